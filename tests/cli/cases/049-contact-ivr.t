# issue 25 item 4: the IVR, run by Rapport and driven over the CTI interface.  A flow as data (a language
# menu, a welcome, identification by a national ID keyed as digits, a PIN, self-service: balance, recent
# transactions, a lost card reported; the queue at its end); the caller's keys through `contact keys` and
# through the switch's dtmf events; the path taken travels with the call to the agent; PINs issued by staff
# (audited), kept only under a slow keyed hash, locked after three wrong; flows checked member by member.
# Then over real telephony: Kamailio and a SIPp caller keying through the flow as SIP INFO.
#! timeout 300
$ rapport gen --customers 200 --out bank >/dev/null && rapport init >/dev/null && rapport load bank >/dev/null 2>&1 && rapport import $FIXTURES/bank.json >/dev/null; echo $?
> 0
$ for u in "amy csr" "sam supervisor"; do set -- $u; echo 'a long password 1' | rapport user add $1 --role $2 >/dev/null; done; rapport contact setup $FIXTURES/contact/ivr-setup.json
> contact centre: 3 skills, 1 queues, 1 agents
# a flow that leads nowhere, or a key that is no key, is refused by member; nothing written
$ python3 -c 'import json; d = json.load(open("'$FIXTURES'/contact/ivr-setup.json")); d["ivr"]["main"]["nodes"]["menu"]["options"]["1"]["next"] = "nowhere"; json.dump(d, open("bad1.json", "w"))' && rapport contact setup bad1.json
! rapport: contact setup: ivr.main: flow.nodes.menu.options.1.next: not a node
? 1
$ python3 -c 'import json; d = json.load(open("'$FIXTURES'/contact/ivr-setup.json")); d["ivr"]["main"]["nodes"]["menu"]["options"]["A"] = {"next": "menu"}; d["ivr"]["main"]["nodes"]["balance"]["service"] = "mortgage"; json.dump(d, open("bad2.json", "w"))' && rapport contact setup bad2.json
!~ ^rapport: contact setup: ivr\.main: flow\.nodes\.(menu\.options\.A: a key is one of 0-9, \* and #|balance\.service: 'mortgage' is not balance, last_transactions or lost_card)$
? 1
# chen's telephone PIN, issued by staff: shown once, audited, kept only hashed
$ rapport contact pin A223456781 | sed -n 's/.*PIN \([0-9]\{6\}\) (shown this once.*/\1/p' > pin && [ -s pin ] && rapport query "select count(*) from cc_pin where hash like '\$argon2id\$%'" --csv | tail -1 | tr -d '\r'; rapport audit --action pin_issue --json | python3 -c 'import json,sys; print([(e["action"], e["customer"] is not None) for e in json.load(sys.stdin)])'; rapport query "select count(*) from cc_pin where hash like '%$(cat pin)%'" --csv | tail -1 | tr -d '\r'
> 1
> [('pin_issue', True)]
> 0
$ rapport contact agent amy ready --at 2026-11-23T10:00:00Z >/dev/null; rapport contact offer --to 5001 --id c1 --from 0911000111 --at 2026-11-23T10:01:00Z --json | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["interaction"]["state"], d["ivr"]["prompt"], d["ivr"]["collect"], d["ivr"]["say"])'
> offered main.lang {'max_digits': 1, 'end': '#'} 國語請按1，English please press 2。
# English, then her ID keyed with A as 10, a wrong PIN, the right one, her balance, her transactions, an agent
$ rapport contact keys --id c1 2 && rapport contact keys --id c1 10223456781# && rapport contact keys --id c1 000000 && rapport contact keys --id c1 - < pin | cut -c1-40
> ivr main at id: Welcome to card services. Key your account number or ID number (its letter as two digits), then hash.
> ivr main at pin: Key your six-digit telephone PIN.
> ivr main at pin: that was not right, please try again Key your six-digit telephone PIN.
> ivr main at menu: Balance, press 1; rece
$ rapport contact keys --id c1 1 | grep -o 'account ending 0001 (.*): 1,287,654.32 TWD'; rapport contact keys --id c1 2 | grep -o '2026-11-12 轉帳 林志明 -20,000.00 TWD'
> account ending 0001 (活期儲蓄存款): 1,287,654.32 TWD
> 2026-11-12 轉帳 林志明 -20,000.00 TWD
$ rapport contact keys --id c1 0
> interaction 1 (voice c1, queue cards): assigned, agent amy
> routed:
>   interaction 1 (voice) to amy at sip:amy@127.0.0.1: agent 1 (王小美): skill 信用卡 level 3, idle 0 s; voice waited 0 s
# the path travels with the call (no keys in it: a PIN is never kept), the customer identified
$ rapport contact interaction 1 --json | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["ivr_path"], d["party_id"] is not None, [e["event"] for e in d["events"]])'; rapport query "select count(*) from cc_event where detail like '%$(cat pin)%'" --csv | tail -1 | tr -d '\r'
> lang:2>identified>pin ok>menu:1>balance>menu:2>last_transactions>menu:0>cards True ['offered', 'ivr', 'dtmf', 'dtmf', 'dtmf', 'dtmf', 'dtmf', 'dtmf', 'dtmf', 'queued', 'assigned']
> 0
$ rapport contact keys --id c1 1
! rapport: contact keys: interaction 1 is not in an IVR flow
? 1
# three wrong PINs lock it: the caller goes to an agent with the path saying so, and the right PIN no longer
# opens it (that caller goes straight to an agent too)
$ rapport contact offer --to 5001 --id c2 --at 2026-11-23T10:10:00Z >/dev/null && rapport contact keys --id c2 1 >/dev/null && rapport contact keys --id c2 10223456781 >/dev/null && for p in 111111 222222 333333; do rapport contact keys --id c2 $p >/dev/null; done; rapport contact interaction 2 --json | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["state"], d["ivr_path"])'
> queued lang:1>identified>pin:failed>cards
$ rapport contact offer --to 5001 --id c3 --at 2026-11-23T10:12:00Z >/dev/null && rapport contact keys --id c3 1 >/dev/null && rapport contact keys --id c3 10223456781 >/dev/null && rapport contact keys --id c3 $(cat pin)
> interaction 3 (voice c3, queue cards): queued, position 2, about 360 s
$ rapport contact keys --id c3 12a
! rapport: contact keys: digits: 1 to 24 of 0-9, * and #
? 1
# ---- through the switch's interface: the same flow by dtmf events; a lost card reported ----
$ rapport token add switch --permissions cti | sed -n 2p > token && (timeout 120 rapport serve --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > serve.pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done; echo up
> up
$ P=http://127.0.0.1:$(cat port)/api/v1; A="Authorization: Bearer $(cat token)"; J='Content-Type: application/json'; curl -s -H "$A" -H "$J" -d '{"call_id":"sw-9","from":"0911000999","to":"5001"}' $P/cti/offer | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["action"], d["prompt"], d["collect"]["max_digits"])'; for k in 1 10223456781; do curl -s -H "$A" -H "$J" -d "{\"call_id\":\"sw-9\",\"event\":\"dtmf\",\"digits\":\"$k\"}" $P/cti/event | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["action"], d["node"])'; done; curl -s -H "$A" -H "$J" -d '{"call_id":"sw-9","event":"dtmf"}' $P/cti/event
> ivr main.lang 1
> ivr id
> ivr pin
> {"error":{"code":"invalid","message":"body.digits: required with dtmf","member":"body.digits"}}
# the PIN is locked (three wrong above): a new one from the supervisor through the API unlocks it
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -c sam.jar -H 'Content-Type: application/json' -d '{"name":"sam","password":"a long password 1"}' $P/session | sed 's/.*"csrf":"\([^"]*\)".*/\1/' > sam.csrf; C=$(rapport customer show A223456781 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["party"]["id"])'); curl -s -b sam.jar -H "X-CSRF-Token: $(cat sam.csrf)" -H 'Content-Type: application/json' -d '{}' $P/customers/$C/pin | python3 -c 'import json,sys; d = json.load(sys.stdin); open("pin2", "w").write(d["pin"]); print(len(d["pin"]))'; A="Authorization: Bearer $(cat token)"; J='Content-Type: application/json'; for k in $(cat pin2) 3; do curl -s -H "$A" -H "$J" -d "{\"call_id\":\"sw-9\",\"event\":\"dtmf\",\"digits\":\"$k\"}" $P/cti/event | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["action"], d.get("node"), d["state"])'; done
> 6
> ivr menu offered
> queue None queued
$ rapport contact interaction $(rapport contact interactions --json | python3 -c 'import json,sys; print([i["id"] for i in json.load(sys.stdin) if i["external_id"] == "sw-9"][0])') --json | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["ivr_path"], d["reason"])'; rapport customer show A223456781 --json | python3 -c 'import json,sys; print([(i["channel"], i["reason"], i["staff"]) for i in json.load(sys.stdin)["interactions"] if "IVR" in (i["reason"] or "")])'
> lang:1>identified>pin ok>menu:3>lost_card>cards 卡片掛失
> [('phone', '掛失信用卡 (IVR)', None)]
$ grep -c . serve.log; kill $(cat serve.pid)
> 1
# ---- real telephony: the caller keys through the flow as SIP INFO at Kamailio, and amy's phone rings ----
$ for c in c1 c2 c3 sw-9; do rapport contact event --id $c abandoned >/dev/null; done; S=$FIXTURES/contact/switch.sh; $S ports && echo 'the switch and rapport share this' > cti.secret && printf '[cti]\nswitch_url = http://127.0.0.1:%s/rapport/continue\npassword_file = cti.secret\n' $(cut -d' ' -f2 kam.ports) > rapport.ini && (env -u RAPPORT_NOW timeout 300 rapport serve --config rapport.ini --listen 127.0.0.1:0 --port-file port2 > serve2.log 2>&1 & echo $! > serve2.pid) && for i in $(seq 100); do [ -s port2 ] && break; sleep 0.1; done && SWITCH_LIFE=300 $S up $(cat port2) $(cat token) "$(cat cti.secret)" && SWITCH_LIFE=300 $S phone amy && env -u RAPPORT_NOW rapport contact agent amy ready >/dev/null && echo up
> up
# the server stops for 1.5 s while the caller keys (as under load, or a pause): the keys still reach it
# in their order, none lost or counted twice (CI saw "menu:0" go before "menu:1" when answered at once)
$ (sleep 2.2; pkill -STOP -P $(cat serve2.pid); sleep 1.5; pkill -CONT -P $(cat serve2.pid)) & $FIXTURES/contact/switch.sh ivrcall 0911222333 1500 2 1 0 2 2 3 4 5 6 7 8 1 "#" $(sed 's/./& /g' pin2) 1 0 && echo answered; for i in $(seq 50); do [ "$(rapport contact interactions --limit 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["state"])')" = done ] && break; sleep 0.1; done; rapport contact interactions --limit 1 --json | python3 -c 'import json,sys; d = json.load(sys.stdin)[0]; print(d["state"], d["agent"], d["ivr_path"], d["party_id"] is not None)'
> answered
> done amy lang:2>identified>pin ok>menu:1>balance>menu:0>cards True
# a phone that sends its keys at once, without waiting for each answer, the server stopped meanwhile: the
# keys wait in the switch's workers, which take them in any order; they reach Rapport in the phone's (CSeq)
$ env -u RAPPORT_NOW rapport contact agent amy ready >/dev/null; (sleep 0.3; pkill -STOP -P $(cat serve2.pid); sleep 1.5; pkill -CONT -P $(cat serve2.pid)) & $FIXTURES/contact/switch.sh fastcall 0911222333 500 2 1 0 2 2 3 4 5 6 7 8 1 "#" $(sed 's/./& /g' pin2) 1 0 && echo answered; for i in $(seq 50); do [ "$(rapport contact interactions --limit 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["state"])')" = done ] && break; sleep 0.1; done; rapport contact interactions --limit 1 --json | python3 -c 'import json,sys; d = json.load(sys.stdin)[0]; print(d["state"], d["agent"], d["ivr_path"], d["party_id"] is not None)'
> answered
> done amy lang:2>identified>pin ok>menu:1>balance>menu:0>cards True
$ rapport contact interactions --json > ix.json && python3 $FIXTURES/contact/calls_check.py ix.json; $FIXTURES/contact/switch.sh down; kill $(cat serve2.pid); echo down
> amy: 2 calls chosen, phone rang with exactly those
> down
# a new sealing key: the PINs kept under the old key's hash cannot be made again, so they are withdrawn
# (the IVR then finds none issued) and staff issue new ones
$ rapport key rotate | grep -i pin; rapport query "SELECT count(*) FROM cc_pin" --csv | tail -1 | tr -d '\r'; rapport contact pin A223456781 | grep -c 'shown this once'
> 1 telephone PINs withdrawn (kept under the old key's hash): issue new ones with rapport contact pin
> 0
> 1
