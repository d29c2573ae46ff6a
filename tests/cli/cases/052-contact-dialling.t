# issue 25 item 10 over real telephony: a campaign's dialler calls through Kamailio.  For each agent free
# Rapport tells the switch to dial; the proxy sends the agent's phone (SIPp) a REFER (click to dial) with
# Rapport's id for the call; the phone dials out through the gateway (SIPp as the public network: busy,
# unknown number, no answer or an answer by the number's last digit); the answer or why there was none
# comes back as the call's events, and each customer ends with that outcome.  Consent was asked at each
# dial; the campaign sees the calls in its customers' contact history.
#! timeout 600
$ rapport gen --customers 300 --out bank >/dev/null && rapport init >/dev/null && rapport load bank >/dev/null 2>&1; echo $?
> 0
$ for u in "tom tsr" "sam supervisor" "ann analyst"; do set -- $u; echo 'a long password 1' | rapport user add $1 --role $2 >/dev/null; done; rapport offer put PLAT1 --name 白金卡 --product PLAT --cost 8 --value 2000 >/dev/null && RAPPORT_USER=ann rapport campaign create X1 --name 電話行銷 --objective cross-sell --purpose marketing --rule "balance > 1000" --control-pct 10 --seed 5 --start 2026-11-23 --end 2036-11-27 >/dev/null && RAPPORT_USER=ann rapport campaign cell X1 C --offer PLAT1 --channel outbound_call --cap 16 >/dev/null && RAPPORT_USER=ann rapport campaign select X1 >/dev/null && RAPPORT_USER=ann rapport campaign submit X1 >/dev/null && RAPPORT_USER=sam rapport campaign approve X1 >/dev/null && RAPPORT_USER=sam rapport campaign launch X1 && echo '{"skills":[{"name":"sales"}],"queues":[{"code":"out","channel":"outbound","skill":"sales","wrap_up_s":0}],"agents":[{"login":"tom","sip":"sip:tom@127.0.0.1","skills":{"sales":3}}]}' > centre.json && rapport contact setup centre.json && rapport token add switch --permissions cti | sed -n 2p > token
> campaign X1 is running
> contact centre: 1 skills, 1 queues, 1 agents
$ rapport contact dial X1 --cell C --queue out --hours 00:00-24:00 --attempts 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["customers"])'
> 16
# the switch, the network beyond it, tom's phone; tom ready: the server's timers dial until the list is done
$ S=$FIXTURES/contact/switch.sh; $S ports && echo 'the switch and rapport share this' > cti.secret && printf '[cti]\nswitch_url = http://127.0.0.1:%s/rapport/continue\npassword_file = cti.secret\n' $(cut -d' ' -f2 kam.ports) > rapport.ini && (env -u RAPPORT_NOW timeout 300 rapport serve --config rapport.ini --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > serve.pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done && SWITCH_LIFE=300 $S up $(cat port) $(cat token) "$(cat cti.secret)" && SWITCH_LIFE=300 $S pstn && SWITCH_LIFE=300 $S dialphone tom 300 && env -u RAPPORT_NOW rapport contact agent tom ready >/dev/null && for i in $(seq 600); do [ "$(rapport contact dialler 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["dialler"]["state"])')" = done ] && break; sleep 0.1; done; rapport contact dialler 1 | head -2
> dialler 1: campaign X1 cell C, queue out, done; 00:00-24:00 on days 1234567, 1 attempts 60 minutes apart
> customers 16: waiting 0, dialling 0, done 16; calls made 16; sales 0, refusals 0
$ rapport contact dialler 1 --entries 50 --json > d.json && rapport contact interactions --json > ix.json && python3 $FIXTURES/contact/dial_check.py d.json ix.json phone-tom.msgs
> outcomes as the network answered: yes
> the phone dialled exactly the numbers given it: True
> every call ended: True answered ones connected: True
> kinds: ['busy', 'contact', 'no_answer', 'wrong_number']
# the trunk is Rapport's to use: an INVITE with the header that Rapport did not ask for (another id, or a
# real one's number from someone else) is refused by the proxy
$ read sip http pstn < kam.ports; python3 $FIXTURES/contact/sip_probe.py $sip 0912345677 mallory 'X-Rapport-Call: dial-1-1-1'; python3 $FIXTURES/contact/sip_probe.py $sip 0800000000 tom 'X-Rapport-Call: dial-9-9-9'; grep -c 'that Rapport did not ask for, refused' kam.log
> SIP/2.0 403 Forbidden
> SIP/2.0 403 Forbidden
> 2
# each answered call a call record and an outbound call in the customer's contact history (those that
# reached nobody are the dialler's to count)
$ rapport query "SELECT (SELECT count(*) FROM cc_interaction WHERE connected_at IS NOT NULL) > 0, (SELECT count(*) FROM call_record WHERE source = 'rapport') = (SELECT count(*) FROM cc_interaction WHERE connected_at IS NOT NULL), (SELECT count(*) FROM cc_interaction WHERE connected_at IS NOT NULL) = (SELECT count(*) FROM interaction WHERE direction = 'outbound' AND channel = 'phone' AND created_by = 'tom')" --csv | tail -1 | tr -d '\r'; $FIXTURES/contact/switch.sh down; kill $(cat serve.pid)
> 1,1,1
