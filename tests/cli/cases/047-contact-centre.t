# issue 25 items 1, 2, 6, 7 and 11: the live contact centre in the store.  Skills, queues and agents set
# up whole or not at all; agents' states; interactions offered, routed by the engine with the queue's
# strategy and explained, answered, ended, wrapped up with a disposition (enforced before the agent is
# ready again), given back when a phone does not answer (keeping their place in line), transferred
# with their context, turned into call-backs; chats three at a time; every step kept, a call record and
# a contact-history entry left.  Repeated events change nothing, impossible ones are refused by name.
# Then through the API: the agent's desk, one sign-in at a time, the screen pop as a server-sent event
# when the switch offers a call, wrap-up from the desk, the supervisor's view and setup.
#! timeout 600
$ rapport gen --customers 300 --out bank >/dev/null && rapport init >/dev/null && rapport load bank >/dev/null 2>&1; echo $?
> 0
$ for u in "amy csr" "bob csr" "cat tsr" "sam supervisor" "ann analyst"; do set -- $u; echo 'a long password 1' | rapport user add $1 --role $2 >/dev/null; done; echo ok
> ok
# a setup naming a skill there is not: the member said, nothing written
$ rapport contact setup $FIXTURES/contact/bad-setup.json
! rapport: contact setup: queues[1].skill: '房貸' is not a skill (rapport contact skill)
? 1
$ rapport contact show --json | python3 -c 'import json,sys; d = json.load(sys.stdin); print(len(d["skills"]), len(d["queues"]), len(d["agents"]))'
> 0 0 0
$ rapport contact setup $FIXTURES/contact/setup.json
> contact centre: 6 skills, 3 queues, 3 agents
$ rapport contact agent amy ready --at 2026-11-23T10:00:00Z && rapport contact agent bob ready --at 2026-11-23T10:00:05Z
> agent amy: ready since 2026-11-23T10:00:00.000Z
> agent bob: ready since 2026-11-23T10:00:05.000Z
$ rapport contact agent bob dancing
! rapport: contact agent: state: 'dancing' is not ready, break or offline (wrap-up ends with a disposition)
? 1
# the skills strategy: the most proficient in the queue's skill; the caller found by the number
$ rapport contact offer --to 5001 --id call-1 --from $(awk -F, 'NR>1 && $3!="" && $5!="" {print $3; exit}' bank/callcentre/calls.csv) --at 2026-11-23T10:01:00Z
> interaction 1 (voice call-1, queue cards): assigned, agent bob
> routed:
>   interaction 1 (voice) to bob at sip:bob@127.0.0.1: agent 2 (Bob Lin): skill 信用卡 level 5, idle 55 s; voice waited 0 s
$ rapport contact interaction 1 --json | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["party_id"] is not None, d["parties"] >= 1, d["state"])'
> True True assigned
$ rapport contact offer --to 5001 --id call-2 --from 0911000222 --at 2026-11-23T10:01:01Z | head -1; rapport contact offer --to 5001 --id call-3 --at 2026-11-23T10:01:02Z; rapport contact offer --to 5002 --id loan-1 --at 2026-11-23T10:01:03Z
> interaction 2 (voice call-2, queue cards): assigned, agent amy
> interaction 3 (voice call-3, queue cards): queued, position 1, about 90 s
> interaction 4 (voice loan-1, queue loans): queued, position 1, about 180 s
# the switch says it twice: the same interaction, nothing written twice
$ rapport contact offer --to 5001 --id call-1 --at 2026-11-23T10:01:09Z; rapport contact event --id call-1 answered --at 2026-11-23T10:01:04Z; rapport contact event --id call-1 answered --at 2026-11-23T10:01:05Z
> interaction 1 (voice call-1, queue cards): assigned, agent bob (already so: nothing changed)
> interaction 1 (voice call-1, queue cards): connected, agent bob
> interaction 1 (voice call-1, queue cards): connected, agent bob (already so: nothing changed)
$ rapport contact event --id call-1 ended --at 2026-11-23T10:04:04Z && rapport contact desk bob --json | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["agent"]["state"], d["agent"]["wrap_until"], [(i["id"], i["state"]) for i in d["interactions"]])'
> interaction 1 (voice call-1, queue cards): wrap_up, agent bob
> wrap_up 2026-11-23T10:05:04.000Z [(1, 'wrap_up')]
# wrap-up is enforced: a disposition first, and only by the call's own agent
$ rapport contact agent bob ready --at 2026-11-23T10:04:10Z
! rapport: contact agent: agent bob is wrapping up interaction 1: give it a disposition first
? 1
$ rapport contact event 1 wrap_up --agent amy --disposition resolved
! rapport: contact event: interaction 1 is bob's, not amy's
? 1
$ rapport contact event 1 wrap_up --agent bob
! rapport: contact event: disposition: required
? 1
# coded: done, bob ready again and the longest-waiting call in his queues his at once
$ rapport contact event 1 wrap_up --agent bob --disposition 額度調整 --note "raised the card limit" --at 2026-11-23T10:04:30Z
> interaction 1 (voice call-1, queue cards): done, agent bob
> routed:
>   interaction 3 (voice) to bob at sip:bob@127.0.0.1: agent 2 (Bob Lin): skill 信用卡 level 5, idle 0 s; voice waited 208 s
$ rapport contact event 1 abandoned --at 2026-11-23T10:05:00Z
! rapport: contact event: interaction 1 is done: it cannot be abandoned now
? 1
$ rapport contact event --id nope answered
! rapport: contact event: no voice interaction 'nope'
? 1
$ rapport contact event 1 dance
! rapport: contact event: event: 'dance' is not held, answered, ended, abandoned, no_answer, transfer, wrap_up, note, callback, unreached or not_dialled
? 1
$ rapport contact interaction 1 --json | python3 -c 'import json,sys; d = json.load(sys.stdin); print([e["event"] for e in d["events"]], d["disposition"], d["note"])'
> ['offered', 'queued', 'assigned', 'connected', 'ended', 'done'] 額度調整 raised the card limit
# amy's phone does not answer: the call back in line in its place, amy on a break to see to
$ rapport contact event --id call-2 no_answer --at 2026-11-23T10:04:40Z && rapport contact desk amy --json | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["agent"]["state"], d["agent"]["reason"], len(d["interactions"]))'
> interaction 2 (voice call-2, queue cards): queued, position 1, about 180 s
> break no_answer 0
# a transfer: the call ends transferred, a new leg with its note waits for the loans queue; bob free at once
$ rapport contact event --id call-3 answered --at 2026-11-23T10:04:41Z >/dev/null && rapport contact event --id call-3 transfer --agent bob --queue loans --note "wants a loan" --at 2026-11-23T10:06:00Z
> interaction 3 (voice call-3, queue cards): transferred, agent bob
> routed:
>   interaction 2 (voice) to bob at sip:bob@127.0.0.1: agent 2 (Bob Lin): skill 信用卡 level 5, idle 0 s; voice waited 299 s
$ rapport contact interaction 5 --json | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["external_id"], d["leg"], d["queue"], d["state"], d["parent"], d["note"])'
> call-3 1 loans queued 3 wants a loan
# a caller would rather be called back: the call-back keeps its place (its time in line goes on)
$ rapport contact event --id loan-1 callback --callback-at 2026-11-23T11:00:00Z --at 2026-11-23T10:06:10Z
> interaction 4 (callback loan-1, queue loans): queued, position 1, about 180 s
# chats: three at a time to one agent, the fourth waits
$ rapport contact agent cat ready --at 2026-11-23T10:07:00Z >/dev/null; for i in 1 2 3 4; do rapport contact offer --channel chat --queue chat --id chat-$i --from c$i@example.com --at 2026-11-23T10:07:0${i}Z | head -1; done
> interaction 6 (chat chat-1, queue chat): assigned, agent cat
> interaction 7 (chat chat-2, queue chat): assigned, agent cat
> interaction 8 (chat chat-3, queue chat): assigned, agent cat
> interaction 9 (chat chat-4, queue chat): queued, position 1, about 90 s
# a chat ended is wrapped up in 30 s by itself (the timers), and the fourth chat is cat's
$ rapport contact event --id chat-1 --channel chat answered --at 2026-11-23T10:07:10Z >/dev/null && rapport contact event --id chat-1 --channel chat ended --at 2026-11-23T10:09:00Z | head -1; rapport contact tick --at 2026-11-23T10:09:20Z | head -1; rapport contact tick --at 2026-11-23T10:09:31Z
> interaction 6 (chat chat-1, queue chat): wrap_up, agent cat
> wrap-ups ended: 0; agents gone quiet: 0; dialled: 0; routed: 0
> wrap-ups ended: 1; agents gone quiet: 0; dialled: 0; routed: 1
>   interaction 9 (chat) to cat: agent 3 (陳小貓): skill zh-TW level 4, idle 151 s; chat waited 147 s
$ rapport contact agent bob offline
! rapport: contact agent: agent bob has interaction 2 open: finish it before signing off
? 1
$ rapport contact agent bob break --reason 午餐 --at 2026-11-23T10:08:00Z
> agent bob: break (午餐) since 2026-11-23T10:08:00.000Z
$ rapport contact interactions --state open --csv | tr -d '\r'
> id,channel,external_id,queue,state,agent,address,party_id,offered_at,disposition
> 9,chat,chat-4,chat,assigned,cat,c4@example.com,,2026-11-23T10:07:04.000Z,
> 8,chat,chat-3,chat,assigned,cat,c3@example.com,,2026-11-23T10:07:03.000Z,
> 7,chat,chat-2,chat,assigned,cat,c2@example.com,,2026-11-23T10:07:02.000Z,
> 5,voice,call-3,loans,queued,,,,2026-11-23T10:06:00.000Z,
> 4,callback,loan-1,loans,queued,,,,2026-11-23T10:01:03.000Z,
> 2,voice,call-2,cards,assigned,bob,0911000222,,2026-11-23T10:01:01.000Z,
# the wallboard: each queue now and today, the agents, the alerts of the thresholds
$ rapport contact board --at 2026-11-23T10:10:00Z --json | python3 -c 'import json,sys; d = json.load(sys.stdin); [print(q["code"], q["waiting"], q["longest_wait_s"], q["offered"], q["answered"], q["abandoned"], q["answered_within_target"], q["service_level"], q["asa_s"], q["aht_s"], q["fcr"]) for q in d["queues"]]; [print(a["login"], a["state"], a["open"], a["handled"], a["occupancy"]) for a in d["agents"]]; print(sorted((a["queue"], a["kind"]) for a in d["alerts"]))'
> cards 0 0 3 2 0 1 0.3333 111.5 206.0 1.0
> chat 0 0 4 1 0 1 0.25 9.0 141.0 None
> loans 2 537 2 0 0 0 0.0 None None None
> amy break 0 0 0.0
> bob break 1 2 0.479
> cat ready 3 1 0.7833
> [('cards', 'service_level'), ('chat', 'service_level'), ('loans', 'longest_wait'), ('loans', 'service_level')]
# the historical report: the call centre's extract by queue, every figure the same as SQL's apart; the
# live centre's calls by agent, by interval
$ rapport contact report --from 2024-01-01 --to 2027-01-01 --by queue --source callcentre --json > r.json && rapport query "select queue, count(*) as calls, count(*) filter (where abandoned = 0) as answered, sum(abandoned) as abandoned, round(1.0 * count(*) filter (where abandoned = 0 and wait_s <= 15) / count(*), 4) as sl, round(avg(case when abandoned = 0 then wait_s end), 4) as asa, round(avg(case when abandoned = 0 then talk_s + wrap_s end), 4) as aht from call_record where source = 'callcentre' group by queue order by queue" --json > q.json && python3 $FIXTURES/contact/report_check.py r.json q.json
>~ ^[0-9]+ queues agree$
$ rapport contact report --from 2026-11-23 --to 2026-11-24 --by agent --source rapport --csv | tr -d '\r'; rapport contact report --from 2026-11-23 --to 2026-11-24 --by interval --interval 60 --json | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["calls"], [(r["interval"], r["offered"], r["peak_concurrent"]) for r in d["rows"]])'
> agent,offered,answered,abandoned,service_level,asa_s,aht_s,abandonment,peak_concurrent,sales,revenue_per_call
> bob,2,2,0,0.5,111.5,142.5,0,1,0,0
> 2 [('2026-11-23 18:00', 2, 1)]
$ rapport contact report --from 2026-11-24 --to 2026-11-23
! rapport: contact report: report: by interval, queue or agent, over a period that is not empty
? 1
# every call that ended left a call record (the reports' source) and the answered, known caller an
# entry in the contact history
$ rapport query "select call_id, queue, wait_s, talk_s, wrap_s, abandoned, agent, interaction_id is not null as noted from call_record where source = 'rapport' order by id" --csv | tr -d '\r'
> call_id,queue,wait_s,talk_s,wrap_s,abandoned,agent,noted
> call-1,cards,4,180,26,0,bob,1
> call-3,cards,219,79,,0,bob,0
$ rapport customer show $(rapport contact interaction 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["party_id"])') --json | python3 -c 'import json,sys; d = json.load(sys.stdin); print([(i["channel"], i["outcome"], i["staff"]) for i in d["interactions"] if i.get("staff") == "bob"])'
> [('phone', '額度調整', 'bob')]
# a surge: eight loan calls in two minutes while nobody who takes loans is on duty — Erlang C wants four
# agents: the centre defers heavy work, widens the skills (amy, level 2, takes the transferred loan call waiting longest), offers
# call-backs, and says so; when the load is gone it ends
$ for i in 1 2 3 4 5 6 7 8; do rapport contact offer --to 5002 --id surge-$i --at 2026-11-23T10:2$((i / 4)):$((10 + i))Z >/dev/null; done; rapport contact tick --at 2026-11-23T10:23:00Z
> wrap-ups ended: 0; agents gone quiet: 0; dialled: 0; routed: 0
> surge in queue loans: 8 calls in 15 minutes need 4 agents, 0 on duty; outbound cells paused: 0; batch work deferred, skills widened, call-backs offered
$ rapport analyze pareto --as-of 2026-10-31
! rapport: analyze: the contact centre is in a surge (queue loans since 2026-11-23T10:23:00.000Z): heavy work waits until it is over; --even-in-surge to run it now
? 1
$ rapport contact board --at 2026-11-23T10:23:30Z --json | python3 -c 'import json,sys; d = json.load(sys.stdin); print([(s["queue"], s["offered_15m"], s["agents_needed"], s["agents_on_duty"], s["actions"]) for s in d["surges"]], [a["queue"] for a in d["alerts"] if a["kind"] == "surge"])'
> [('loans', 8, 4, 0, {'outbound_paused': [], 'batch_deferred': True, 'skills_widened': True, 'callbacks_offered': True})] ['loans']
$ rapport contact agent amy ready --at 2026-11-23T10:24:00Z | tail -1
>   interaction 5 (voice) to amy at sip:amy@127.0.0.1: agent 1 (王小美): skill 貸款 level 2, idle 0 s; voice waited 1080 s, overflowed
$ for i in 1 2 3 4 5 6 7 8; do rapport contact event --id surge-$i abandoned --at 2026-11-23T10:25:00Z >/dev/null; done; rapport contact event --id loan-1 abandoned --at 2026-11-23T10:25:00Z >/dev/null; rapport contact event 5 abandoned --at 2026-11-23T10:25:00Z >/dev/null; rapport contact agent amy break --reason no_answer --at 2026-11-23T10:25:01Z >/dev/null; rapport contact tick --at 2026-11-23T10:50:00Z | grep surge
> surge in queue loans over: what it paused resumed
# ---- through the API ----
$ rapport token add switch --permissions cti | sed -n 2p > token && (timeout 300 rapport serve --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > serve.pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done && for u in amy bob sam ann; do curl -s -c $u.jar -H 'Content-Type: application/json' -d "{\"name\":\"$u\",\"password\":\"a long password 1\"}" "http://127.0.0.1:$(cat port)/api/v1/session" | sed 's/.*"csrf":"\([^"]*\)".*/\1/' > $u.csrf; done; curl -s -c amy2.jar -H 'Content-Type: application/json' -d '{"name":"amy","password":"a long password 1"}' "http://127.0.0.1:$(cat port)/api/v1/session" | sed 's/.*"csrf":"\([^"]*\)".*/\1/' > amy2.csrf; echo up
> up
# amy's desk; ready from her screen; a second screen of hers is refused until it takes over
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -b amy.jar -H "X-CSRF-Token: $(cat amy.csrf)" -H 'Content-Type: application/json' -X PUT -d '{"state":"ready"}' $P/contact/desk/state | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["agent"]["state"], d["repeated"], [a["interaction"] for a in d["assignments"]])'; curl -s -b amy2.jar -H "X-CSRF-Token: $(cat amy2.csrf)" -H 'Content-Type: application/json' -X PUT -d '{"state":"break","reason":"coffee"}' $P/contact/desk/state -w '%{http_code}\n'
> ready False []
> {"error":{"code":"conflict","message":"agent amy is signed in on another screen (seen 2026-11-23T04:00:00.000Z): take over to work here"}}
> 409
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -b amy2.jar -H "X-CSRF-Token: $(cat amy2.csrf)" -H 'Content-Type: application/json' -X PUT -d '{"state":"break","reason":"coffee","take_over":true}' $P/contact/desk/state | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["agent"]["state"], d["agent"]["reason"])'; curl -s -b amy.jar -H "X-CSRF-Token: $(cat amy.csrf)" -H 'Content-Type: application/json' -X PUT -d '{"state":"sleeping"}' $P/contact/desk/state
> break coffee
> {"error":{"code":"invalid","message":"body.state: 'sleeping' is not ready, break or offline (wrap-up ends with a disposition)","member":"body.state"}}
# the screen pop: amy's screen open as server-sent events; the switch offers a call she takes
$ P=http://127.0.0.1:$(cat port)/api/v1; (timeout 60 curl -sN -b amy2.jar $P/contact/desk/events > amy.sse 2>&1 & echo $! > sse.pid); sleep 0.5; curl -s -b amy2.jar -H "X-CSRF-Token: $(cat amy2.csrf)" -H 'Content-Type: application/json' -X PUT -d '{"state":"ready"}' $P/contact/desk/state >/dev/null; curl -s -H "Authorization: Bearer $(cat token)" -H 'Content-Type: application/json' -d "{\"call_id\":\"sw-1\",\"from\":\"$(awk -F, 'NR>1 && $3!="" && $5!="" {print $3; exit}' bank/callcentre/calls.csv)\",\"to\":\"5001\"}" $P/cti/offer | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["action"], d["target"], d["agent"], d["party_id"] is not None)'; for i in $(seq 50); do grep -q 'sw-1' amy.sse && break; sleep 0.1; done; kill $(cat sse.pid); grep -c '^event: assigned' amy.sse; grep '^data:' amy.sse | tail -1 | sed 's/^data: //' | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["external_id"], d["agent"], d["queue"], d["party_id"] is not None)'
> connect sip:amy@127.0.0.1 amy True
> 1
> sw-1 amy cards True
# the switch's bad input: the member named; an event for a call it never offered
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -H "Authorization: Bearer $(cat token)" -H 'Content-Type: application/json' -d '{"from":"0911"}' $P/cti/offer; curl -s -H "Authorization: Bearer $(cat token)" -H 'Content-Type: application/json' -d '{"call_id":"ghost","event":"answered"}' $P/cti/event -w '%{http_code}\n'; curl -s -H "Authorization: Bearer $(cat token)" -H 'Content-Type: application/json' -d '{"call_id":"sw-1","event":"transfer"}' $P/cti/event
> {"error":{"code":"invalid","message":"body.call_id: required","member":"body.call_id"}}
> {"error":{"code":"not_found","message":"no voice interaction 'ghost'"}}
> 404
> {"error":{"code":"invalid","message":"body.event: 'transfer' is not one of held, answered, ended, abandoned, no_answer, dtmf, callback, unreached, not_dialled","member":"body.event"}}
# amy answers, the caller hangs up, amy codes it from her desk; bob may not touch her call; ann has no desk
$ P=http://127.0.0.1:$(cat port)/api/v1; for e in answered ended; do curl -s -H "Authorization: Bearer $(cat token)" -H 'Content-Type: application/json' -d "{\"call_id\":\"sw-1\",\"event\":\"$e\"}" $P/cti/event | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["state"], d["action"])'; done; I=$(curl -s -b amy2.jar $P/contact/desk | python3 -c 'import json,sys; print([i["id"] for i in json.load(sys.stdin)["interactions"] if i["external_id"] == "sw-1"][0])'); curl -s -b bob.jar -H "X-CSRF-Token: $(cat bob.csrf)" -H 'Content-Type: application/json' -d '{"event":"wrap_up","disposition":"x"}' $P/contact/interactions/$I/events -w ' %{http_code}\n'; curl -s -b amy2.jar -H "X-CSRF-Token: $(cat amy2.csrf)" -H 'Content-Type: application/json' -d '{"event":"wrap_up","disposition":"查詢帳單","note":"explained the bill"}' $P/contact/interactions/$I/events | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["interaction"]["state"], d["interaction"]["disposition"])'; curl -s -b ann.jar $P/contact/desk -w ' %{http_code}\n'
> connected none
> wrap_up none
> {"error":{"code":"forbidden","message":"interaction 18 is amy's, not bob's"}}
>  403
> done 查詢帳單
> {"error":{"code":"forbidden","message":"a marketing analyst may not do this (answer)","reason":"not_permitted"}}
>  403
# another agent learns nothing of amy's call: a note is 404, an event already past is refused, an id offered again says only that it is taken
$ P=http://127.0.0.1:$(cat port)/api/v1; I=$(rapport contact interactions --json | python3 -c 'import json,sys; print([i["id"] for i in json.load(sys.stdin) if i["external_id"] == "sw-1"][0])'); for b in '{"event":"note","note":"peek"}' '{"event":"answered"}'; do curl -s -b bob.jar -H "X-CSRF-Token: $(cat bob.csrf)" -H 'Content-Type: application/json' -d "$b" $P/contact/interactions/$I/events -w ' %{http_code}\n'; done; curl -s -b bob.jar -H "X-CSRF-Token: $(cat bob.csrf)" -H 'Content-Type: application/json' -d '{"channel":"chat","queue":"chat","external_id":"chat-2"}' $P/contact/interactions -w ' %{http_code}\n'
> {"error":{"code":"not_found","message":"no interaction 18 of yours"}}
>  404
> {"error":{"code":"forbidden","message":"interaction 18 is amy's, not bob's"}}
>  403
> {"error":{"code":"conflict","message":"body.external_id: an interaction with this id was offered already","member":"body.external_id"}}
>  409
# the report through the API
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -b sam.jar "$P/contact/report?from=2024-01-01&to=2027-01-01&by=queue" | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["by"], d["calls"] > 600, [r["queue"] for r in d["rows"]][:2])'; curl -s -b sam.jar "$P/contact/report?from=2024-01-01&to=2027-01-01&by=hour"
> queue True ['cards', 'complaints']
> {"error":{"code":"invalid","message":"query.by: 'hour' is not one of interval, queue, agent","member":"query.by"}}
# the supervisor's wallboard through the API; an agent has none
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -b sam.jar "$P/contact/wallboard?since=2026-11-23T00:00:00Z" | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["since"], [(q["code"], q["offered"]) for q in d["queues"]], len(d["agents"]))'; curl -s -b amy.jar $P/contact/wallboard -w ' %{http_code}\n'
> 2026-11-23T00:00:00.000Z [('cards', 4), ('chat', 4), ('loans', 10)] 3
> {"error":{"code":"forbidden","message":"a contact-centre agent (CSR) may not do this (centre)","reason":"not_permitted"}}
>  403
$ grep -c . serve.log; kill $(cat serve.pid)
> 1
# a simulated minute of the centre at sixty times (a second): every call it offered ended, answered or given up
$ rapport contact drive --queue cards --calls 120 --minutes 1 --speed 60 --ready --aht 20 --wrap 5 --seed 7 --json > drive.json && python3 -c 'import json; d = json.load(open("drive.json")); print(d["offered"] > 0, d["answered"] > 0, d["offered"] == d["answered"] + d["abandoned"])'; rapport contact interactions --limit 10000 --json | python3 -c 'import json,sys; d = [i for i in json.load(sys.stdin) if i["external_id"].startswith("drive-")]; print(len(d) == json.load(open("drive.json"))["offered"], sorted(set(i["state"] for i in d)))'
> True True True
> True ['abandoned', 'done']
