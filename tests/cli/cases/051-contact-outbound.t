# issue 25 item 10: outbound dialling from campaigns.  A dialler works through a running campaign's
# outbound_call cell in an outbound queue: one customer for each agent free once the callers waiting are
# served (progressive pacing, inbound first), within the calling hours and days, while the campaign runs
# and the cell is not paused; consent asked again at each dial; no answer and busy tried again later up
# to the attempts; the agent's wrap-up code is the outcome, a sale or a refusal the campaign's response.
# Bad starts are refused by name and write nothing; pausing, resuming and stopping are audited; the
# supervisor does the same through the API.
#! timeout 600
$ rapport gen --customers 300 --out bank >/dev/null && rapport init >/dev/null && rapport load bank >/dev/null 2>&1; echo $?
> 0
$ for u in "tom tsr" "tim tsr" "sam supervisor" "ann analyst"; do set -- $u; echo 'a long password 1' | rapport user add $1 --role $2 >/dev/null; done; rapport offer put PLAT1 --name 白金卡 --product PLAT --cost 8 --value 2000 >/dev/null && RAPPORT_USER=ann rapport campaign create X1 --name 電話行銷 --objective cross-sell --purpose marketing --rule "balance > 1000" --control-pct 10 --seed 5 --start 2026-11-23 --end 2026-11-27 >/dev/null && RAPPORT_USER=ann rapport campaign cell X1 C --offer PLAT1 --channel outbound_call --share 3 >/dev/null && RAPPORT_USER=ann rapport campaign cell X1 E --offer PLAT1 --channel email >/dev/null && RAPPORT_USER=ann rapport campaign select X1 >/dev/null && RAPPORT_USER=ann rapport campaign submit X1 >/dev/null && RAPPORT_USER=sam rapport campaign approve X1 >/dev/null && RAPPORT_USER=sam rapport campaign launch X1
> campaign X1 is running
$ echo '{"skills":[{"name":"sales"}],"queues":[{"code":"out","name":"電話行銷","channel":"outbound","skill":"sales","wrap_up_s":30},{"code":"q1","skill":"sales","number":"7001"}],"agents":[{"login":"tom","skills":{"sales":3}},{"login":"tim","skills":{"sales":3}}]}' > centre.json && rapport contact setup centre.json
> contact centre: 1 skills, 2 queues, 2 agents
# refused by name, nothing written
$ rapport contact dial X1 --cell C --queue q1
! rapport: contact dial: queue: q1 is a queue of voice, not of outbound calls
? 1
$ rapport contact dial X1 --cell E --queue out
! rapport: contact dial: cell E is of channel email: only an outbound_call cell is dialled
? 1
$ rapport contact dial X1 --cell C --queue out --hours 21:00-09:00
! rapport: contact dial: hours_to: 09:00 is not after hours_from 21:00
? 1
$ rapport contact dial X1 --cell C --queue out --days 1289
! rapport: contact dial: days: '1289' is not a set of ISO weekdays (1 Monday .. 7 Sunday, each once)
? 1
$ rapport contact dial X9 --cell C --queue out
! rapport: contact dial: no campaign 'X9'
? 1
$ rapport contact dial X1 --cell C --queue nope --attempts 11
! rapport: contact dial: --attempts: '11' is not a number from 1 to 10
? 1
$ rapport query "SELECT (SELECT count(*) FROM cc_dialler), (SELECT count(*) FROM cc_dial)" --csv | tail -1 | tr -d '\r'
> 0,0
# started: the cell's customers who may be called, in its order
$ rapport contact dial X1 --cell C --queue out --attempts 2 --retry 30 --json > d1.json && python3 -c 'import json; d = json.load(open("d1.json")); print(d["dialler"]["id"], d["dialler"]["state"], d["customers"] > 50, d["customers"] == d["dialler"]["waiting"], sorted(d["skipped"]))'
> 1 running True True ['deceased_or_closed', 'do_not_contact', 'ended_by_an_earlier_dialler', 'missing_phone', 'no_consent', 'over_cap', 'unreachable']
$ rapport contact dial X1 --cell C --queue out
! rapport: contact dial: campaign X1 cell C is dialled already (dialler 1: pause or stop it first)
? 1
# nobody dialled while the agents are offline; both ready: a call each, outbound, to them alone
$ rapport contact tick
> wrap-ups ended: 0; agents gone quiet: 0; dialled: 0; routed: 0
$ rapport contact agent tom ready >/dev/null && rapport contact agent tim ready >/dev/null && rapport contact tick
>~ ^wrap-ups ended: 0; agents gone quiet: 0; dialled: 2; routed: 2$
>~ ^  interaction 1 \(outbound\) to tom: agent 1 \(tom\): skill sales level 3, idle 0 s; outbound waited 0 s$
>~ ^  interaction 2 \(outbound\) to tim: agent 2 \(tim\): skill sales level 3, idle 0 s; outbound waited 0 s$
$ rapport contact interactions --state open --json | python3 -c 'import json,sys; print([(i["channel"], i["direction"], i["state"], i["agent"], i["campaign"], i["external_id"].rsplit("-", 1)[1], i["address"].startswith("+886")) for i in json.load(sys.stdin)])'
> [('outbound', 'out', 'assigned', 'tim', 'X1', '1', True), ('outbound', 'out', 'assigned', 'tom', 'X1', '1', True)]
# a caller waits on the inbound line; tom's number is busy: he takes the caller, not another dial
$ rapport contact offer --to 7001 --id in1 --from +886900000001 >/dev/null && rapport contact event 1 unreached --reason busy
>~ ^interaction 1 \(outbound dial-1-[0-9]+-1, queue out\): done, agent tom$
>~ ^  interaction 3 \(voice\) to tom: agent 1 \(tom\): skill sales level 3, idle 0 s; voice waited 0 s$
$ rapport contact tick && rapport contact desk tom --json | python3 -c 'import json,sys; print([(i["channel"], i["external_id"]) for i in json.load(sys.stdin)["interactions"]])'
> wrap-ups ended: 0; agents gone quiet: 0; dialled: 0; routed: 0
> [('voice', 'in1')]
# tim's customer answers and buys: the campaign's positive response, the entry done
$ rapport contact event 2 answered >/dev/null && rapport contact event 2 ended >/dev/null && rapport contact event 2 wrap_up --agent tim --disposition sale --note 'takes the card' >/dev/null && rapport contact dialler 1 --json | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["dialler"]["sales"], d["dialler"]["done"], d["dialler"]["attempts_made"], [o for o in d["outcomes"] if o["outcome"] in ("busy", "sale")])'
> 1 1 2 [{'outcome': 'busy', 'customers': 1}, {'outcome': 'sale', 'customers': 1}]
$ rapport query "SELECT r.response, r.source, t.party_id = r.party_id FROM campaign_response r JOIN cc_interaction t ON t.id = 2 WHERE r.campaign = 'X1'" --csv | tail -1 | tr -d '\r'
> positive,staff,1
# the report by agent counts the sale and its revenue (the offer's value) to tim's call
$ rapport contact report --from 2026-11-23 --to 2026-11-24 --by agent --json | python3 -c 'import json,sys; print([(r["agent"], r["answered"], r["sales"], r["revenue"], r["revenue_per_call"]) for r in json.load(sys.stdin)["rows"] if r["agent"] == "tim"])'
> [('tim', 1, 1, 2000.0, 2000.0)]
# tim is free again: the next customer; tom ends his caller
$ rapport contact tick --at 2026-11-23T04:00:05Z | head -1; rapport contact event 3 answered >/dev/null && rapport contact event 3 ended >/dev/null && rapport contact event 3 wrap_up --agent tom --disposition info >/dev/null; echo $?
> wrap-ups ended: 0; agents gone quiet: 0; dialled: 1; routed: 1
> 0
# a new customer for tom; a wrong number ends a customer, no answer waits 30 minutes
$ rapport contact tick --at 2026-11-23T04:01:00Z | head -1
> wrap-ups ended: 0; agents gone quiet: 0; dialled: 1; routed: 1
$ rapport contact event 5 unreached --reason wrong_number --at 2026-11-23T04:01:30Z >/dev/null && rapport contact event 4 unreached --reason no_answer --at 2026-11-23T04:01:30Z >/dev/null; rapport contact event 4 unreached --reason no_answer --at 2026-11-23T04:01:30Z | tail -1
> interaction 4 (outbound dial-1-300-1, queue out): done, agent tim (already so: nothing changed)
# the busy customer is due again before any new one: their second and last attempt
$ rapport contact tick --at 2026-11-23T04:31:00Z | head -1 && rapport contact interactions --state open --json | python3 -c 'import json,sys; print([(i["agent"], i["external_id"].rsplit("-", 1)[1]) for i in json.load(sys.stdin)])'
> wrap-ups ended: 0; agents gone quiet: 0; dialled: 2; routed: 2
> [('tim', '1'), ('tom', '2')]
$ rapport contact event 6 unreached --reason no_answer --at 2026-11-23T04:32:00Z >/dev/null && rapport contact dialler 1 --entries 4 --json | python3 -c 'import json,sys; d = json.load(sys.stdin); print([(e["state"], e["attempts"], e["outcome"], e["response"], e["next_at"], e["phone"][:4], e["phone"][-3:].isdigit()) for e in d["entries"]])'
> [('done', 2, 'no_answer', None, None, '****', True), ('done', 1, 'sale', 'positive', None, '****', True), ('waiting', 1, 'no_answer', None, '2026-11-23T04:31:30.000Z', '****', True), ('done', 1, 'wrong_number', None, None, '****', True)]
# no calls after the calling hours (21:30 in Taipei), nor while the cell is paused (as a surge pauses it),
# nor while the dialler is paused
$ rapport contact tick --at 2026-11-23T13:30:00Z | head -1
> wrap-ups ended: 0; agents gone quiet: 0; dialled: 0; routed: 0
# tim's call of 04:31 the switch never said anything of: failed by the timers, tim free, the customer due again
$ rapport contact interaction 7 --json | python3 -c 'import json,sys; i = json.load(sys.stdin); print(i["state"], i["disposition"], [(e["event"], e["detail"]) for e in i["events"]][-2:])'
> done failed [('assigned', 'agent 2 (tim): skill sales level 3, idle 1770 s; outbound waited 0 s'), ('unreached', 'failed')]
$ RAPPORT_USER=sam rapport campaign cell X1 C --pause >/dev/null && rapport contact tick --at 2026-11-23T04:40:00Z | head -1 && RAPPORT_USER=sam rapport campaign cell X1 C --resume >/dev/null && RAPPORT_USER=sam rapport contact dialler 1 --pause | head -1 && rapport contact tick --at 2026-11-23T04:40:00Z | head -1
> wrap-ups ended: 0; agents gone quiet: 0; dialled: 0; routed: 0
> dialler 1: campaign X1 cell C, queue out, paused; 09:00-21:00 on days 1234567, 2 attempts 30 minutes apart
> wrap-ups ended: 0; agents gone quiet: 0; dialled: 0; routed: 0
# through the API: the supervisor's, not an agent's
$ (timeout 300 rapport serve --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > serve.pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done && for u in tom sam; do curl -s -c $u.jar -H 'Content-Type: application/json' -d "{\"name\":\"$u\",\"password\":\"a long password 1\"}" "http://127.0.0.1:$(cat port)/api/v1/session" | sed 's/.*"csrf":"\([^"]*\)".*/\1/' > $u.csrf; done; P=http://127.0.0.1:$(cat port)/api/v1; curl -s -b sam.jar "$P/contact/diallers" | python3 -c 'import json,sys; print([(d["id"], d["state"], d["sales"]) for d in json.load(sys.stdin)["diallers"]])'; curl -s -b tom.jar "$P/contact/diallers" -o /dev/null -w '%{http_code}\n'
> [(1, 'paused', 1)]
> 403
$ P=http://127.0.0.1:$(cat port)/api/v1; for b in '{"campaign":"X1","cell":"C","queue":"out","hours_from":"9am"}' '{"campaign":"X1","cell":"C","queue":"out","retry_min":0}' '{"campaign":"X1","cell":"C","queue":"out","speed":2}' '{"campaign":"X1","cell":"C","queue":"out"}'; do curl -s -b sam.jar -H "X-CSRF-Token: $(cat sam.csrf)" -H 'Content-Type: application/json' -d "$b" "$P/contact/diallers" -w ' %{http_code}\n'; done
> {"error":{"code":"invalid","message":"body.hours_from: '9am' is not a time of day HH:MM","member":"body.hours_from"}}
>  422
> {"error":{"code":"invalid","message":"body.retry_min: 0 is not 1 to 10080 minutes","member":"body.retry_min"}}
>  422
> {"error":{"code":"invalid","message":"body.speed: unknown member","member":"body.speed","reason":"unknown_member"}}
>  422
> {"error":{"code":"conflict","message":"campaign X1 cell C is dialled already (dialler 1: pause or stop it first)"}}
>  409
# the next customer withdraws their consent to marketing calls: resumed, the dialler passes them by
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -b sam.jar "$P/contact/diallers/1?entries=300" | python3 -c 'import json,sys; print([e["customer"] for e in json.load(sys.stdin)["entries"] if e["state"] == "waiting" and not e["next_at"]][0])' > nxt && curl -s -b sam.jar -H "X-CSRF-Token: $(cat sam.csrf)" -H 'Content-Type: application/json' -X PUT -d '{"purpose":"marketing","channel":"phone","granted":false,"evidence":"asked not to be called"}' "$P/customers/$(cat nxt)/consents" -o /dev/null -w '%{http_code}\n' && curl -s -b sam.jar -H "X-CSRF-Token: $(cat sam.csrf)" -H 'Content-Type: application/json' -X PUT -d '{"state":"running"}' "$P/contact/diallers/1/state" | python3 -c 'import json,sys; print(json.load(sys.stdin)["dialler"]["state"])'; for i in $(seq 50); do curl -s -b sam.jar "$P/contact/diallers/1" | python3 -c 'import json,sys; sys.exit(json.load(sys.stdin)["dialler"]["dialling"] != 2)' && break; sleep 0.2; done; curl -s -b sam.jar "$P/contact/diallers/1?entries=300" | python3 -c 'import json,sys; n = int(open("nxt").read()); print([(e["state"], e["outcome"], e["attempts"], e["detail"]) for e in json.load(sys.stdin)["entries"] if e["customer"] == n])'
> 200
> running
> [('done', 'not_allowed', 0, 'consent to marketing by phone withdrawn on 2026-11-23')]
# stopped is final; every steer audited
$ P=http://127.0.0.1:$(cat port)/api/v1; for st in stopped running; do curl -s -b sam.jar -H "X-CSRF-Token: $(cat sam.csrf)" -H 'Content-Type: application/json' -X PUT -d "{\"state\":\"$st\"}" "$P/contact/diallers/1/state" | python3 -c 'import json,sys; r = json.load(sys.stdin); print(r["dialler"]["state"] if "dialler" in r else r["error"]["message"])'; done; kill $(cat serve.pid)
> stopped
> dialler 1 is stopped: it cannot be running now
$ rapport audit --json | python3 -c 'import json,sys; print([(e["user"], e["action"], e["outcome"], e["detail"]) for e in json.load(sys.stdin) if e["action"].startswith("dialler")][::-1])'
> [('tester', 'dialler_start', 'ok', 'dialler 1: campaign X1 cell C, 120 customers'), ('sam', 'dialler_state', 'ok', 'dialler 1 paused'), ('sam', 'dialler_start', 'failed', None), ('sam', 'dialler_start', 'failed', None), ('sam', 'dialler_start', 'failed', None), ('sam', 'dialler_start', 'failed', None), ('sam', 'dialler_state', 'ok', 'dialler 1: running'), ('sam', 'dialler_state', 'ok', 'dialler 1: stopped'), ('sam', 'dialler_state', 'failed', None)]
# a second dialler on the cell calls nobody the first ended, only on its days (Tuesdays), and ted's phone
# not placing the call uses up no attempt and puts ted on a break; past the campaign's last day it is done
$ echo 'a long password 1' | rapport user add ted --role tsr >/dev/null && echo '{"skills":[{"name":"loans"}],"queues":[{"code":"out2","channel":"outbound","skill":"loans"}],"agents":[{"login":"ted","skills":{"loans":3}}]}' > more.json && rapport contact setup more.json >/dev/null && rapport contact dial X1 --cell C --queue out2 --days 2 --json | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["dialler"]["id"], d["customers"] > 0, d["skipped"]["ended_by_an_earlier_dialler"])'
> 2 True 3
$ rapport contact agent ted ready >/dev/null && rapport contact tick --at 2026-11-23T04:50:00Z | head -1 && rapport contact tick --at 2026-11-24T02:00:00Z | head -1
> wrap-ups ended: 0; agents gone quiet: 0; dialled: 0; routed: 0
> wrap-ups ended: 0; agents gone quiet: 0; dialled: 1; routed: 1
$ rapport contact interactions --state open --queue out2 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])' > ix2 && rapport contact event $(cat ix2) not_dialled --reason 'phone not registered' --at 2026-11-24T02:00:05Z | head -1 && rapport contact desk ted --json | python3 -c 'import json,sys; a = json.load(sys.stdin)["agent"]; print(a["state"], a["reason"])' && rapport contact dialler 2 --entries 1 --json | python3 -c 'import json,sys; e = json.load(sys.stdin)["entries"][0]; print(e["state"], e["attempts"], e["outcome"])'
>~ ^interaction [0-9]+ \(outbound dial-2-[0-9]+-1, queue out2\): done, agent ted$
>~ ^break not_dialled$
>~ ^waiting 0 not_dialled$
$ rapport contact tick --at 2026-11-28T02:00:00Z | head -2 && rapport contact dialler 2 --json | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["dialler"]["state"], d["dialler"]["waiting"], [o["outcome"] for o in d["outcomes"]])'
> wrap-ups ended: 0; agents gone quiet: 0; dialled: 0; routed: 0
> dialler 2 done: campaign X1 ended on 2026-11-27
> done 0 ['not_called']
# a third dialler (the 26th, before the campaign's end) takes up whom the second did not call; ted's
# customer asks to be called back at 11:00; at 11:00 the call-back goes to ted, who promised it, though tia
# has been free longer (she gets a new customer), and it is a call of its own (the dial's number 2) though
# it used no attempt
$ echo 'a long password 1' | rapport user add tia --role tsr >/dev/null && echo '{"agents":[{"login":"tia","skills":{"loans":3}}]}' > tia.json && rapport contact setup tia.json >/dev/null && rapport contact dial X1 --cell C --queue out2 --days 1234567 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["dialler"]["id"])' && rapport contact agent ted ready --at 2026-11-26T01:00:00Z >/dev/null && rapport contact tick --at 2026-11-26T01:00:00Z | head -1 && rapport contact interactions --state open --queue out2 --json | python3 -c 'import json,sys; i = json.load(sys.stdin)[0]; print(i["agent"], i["external_id"].split("-")[1], i["external_id"].split("-")[3]); open("ix3", "w").write(str(i["id"])); open("c3", "w").write(i["external_id"].split("-")[2])'
> 3
> wrap-ups ended: 0; agents gone quiet: 0; dialled: 1; routed: 1
> ted 3 1
$ for ev in answered ended; do rapport contact event $(cat ix3) $ev --at 2026-11-26T01:01:00Z >/dev/null; done && rapport contact event $(cat ix3) wrap_up --agent ted --disposition callback --callback-at 2026-11-26T03:00:00Z --at 2026-11-26T01:02:00Z >/dev/null && rapport contact agent tia ready --at 2026-11-26T01:00:30Z >/dev/null && rapport contact dialler 3 --entries 1 --json | python3 -c 'import json,sys; e = json.load(sys.stdin)["entries"][0]; print(e["state"], e["attempts"], e["outcome"], e["agent"], e["next_at"])'
> waiting 0 callback ted 2026-11-26T03:00:00.000Z
$ rapport contact tick --at 2026-11-26T03:00:00Z | head -1 && rapport contact interactions --state open --queue out2 --json | python3 -c 'import json,sys; c = open("c3").read(); print(sorted((i["agent"], i["external_id"].split("-")[2] == c, i["external_id"].split("-")[3]) for i in json.load(sys.stdin)))'
> wrap-ups ended: 0; agents gone quiet: 0; dialled: 2; routed: 2
> [('ted', True, '2'), ('tia', False, '1')]
