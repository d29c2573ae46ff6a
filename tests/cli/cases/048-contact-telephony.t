# issue 25 items 5 and 11: real telephony.  Kamailio (contrib/kamailio/rapport.cfg) in front of rapport
# serve asks the CTI interface where each call goes; agents' phones (SIPp) registered with it ring when
# the engine chooses them; callers (SIPp) beyond the agents free are held at the proxy (182 Queued, the
# INVITE suspended) and put through when an agent is free; a caller who gives up (CANCEL) is an
# abandoned call; every call leaves a call record.  Then the switch vanishes mid-call: the call it held
# is recorded abandoned with the reason, nothing is lost or counted twice.
#! timeout 600
$ rapport gen --customers 300 --out bank >/dev/null && rapport init >/dev/null && rapport load bank >/dev/null 2>&1; echo $?
> 0
$ for u in amy bob cat; do echo 'a long password 1' | rapport user add $u --role csr >/dev/null; done; rapport contact setup $FIXTURES/contact/setup.json && echo '{"queues":[{"code":"cards","name":"信用卡服務","skill":"信用卡","number":"5001","wrap_up_s":0}]}' > q.json && rapport contact setup q.json >/dev/null && rapport token add switch --permissions cti | sed -n 2p > token && echo ok
> contact centre: 6 skills, 3 queues, 3 agents
> ok
# the switch's ports first (Rapport's [cti] names its HTTP side), then the server on a running clock
$ S=$FIXTURES/contact/switch.sh; $S ports && echo 'the switch and rapport share this' > cti.secret && printf '[cti]\nswitch_url = http://127.0.0.1:%s/rapport/continue\npassword_file = cti.secret\n' $(cut -d' ' -f2 kam.ports) > rapport.ini && (env -u RAPPORT_NOW timeout 300 rapport serve --config rapport.ini --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > serve.pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done && SWITCH_LIFE=300 $S up $(cat port) $(cat token) "$(cat cti.secret)" && SWITCH_LIFE=300 $S phone amy && SWITCH_LIFE=300 $S phone bob && env -u RAPPORT_NOW rapport contact agent amy ready >/dev/null && env -u RAPPORT_NOW rapport contact agent bob ready >/dev/null && echo up
> up
# four callers at once for two agents: two ring at once, two are held and put through in turn
$ printf 'SEQUENTIAL\n0912345678;\n0922333444;\n0933111222;\n0944555666;\n' > callers.csv && $FIXTURES/contact/switch.sh call callers.csv 4 1500 10 && echo all answered
> all answered
$ rapport contact interactions --json > ix.json && python3 -c 'import json; d = json.load(open("ix.json")); print(len(d), sorted(i["state"] for i in d), sum(1 for i in d if any(True for _ in [0]) and i["switch_ref"]))'
> 4 ['done', 'done', 'done', 'done'] 2
$ python3 $FIXTURES/contact/calls_check.py ix.json
> amy: 2 calls chosen, phone rang with exactly those
> bob: 2 calls chosen, phone rang with exactly those
$ rapport contact interaction 3 --json | python3 -c 'import json,sys; print([e["event"] for e in json.load(sys.stdin)["events"]])'
> ['offered', 'queued', 'held', 'assigned', 'connected', 'ended', 'done']
# both agents on long calls; a fifth caller waits a second and gives up: CANCEL, 487, abandoned
$ printf 'SEQUENTIAL\n0955000001;\n0955000002;\n' > two.csv && ($FIXTURES/contact/switch.sh call two.csv 2 4000 10 > two.log 2>&1 &) && sleep 1 && $FIXTURES/contact/switch.sh abandon 0966000003 1000 && echo gave up; for i in $(seq 100); do [ "$(rapport contact interactions --state open --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 0 ] && break; sleep 0.1; done; cat two.log
> gave up
$ rapport contact interactions --limit 3 --json | python3 -c 'import json,sys; print([(i["address"], i["state"], i["agent"] is not None) for i in json.load(sys.stdin)])'
> [('0966000003', 'abandoned', False), ('0955000002', 'done', True), ('0955000001', 'done', True)]
# the reports' call records: every call once, the abandoned one as abandoned
$ rapport query "select count(*) as calls, sum(abandoned) as abandoned, count(distinct call_id) as call_ids, count(*) filter (where agent is null) as unanswered from call_record where source = 'rapport'" --csv | tr -d '\r'
> calls,abandoned,call_ids,unanswered
> 7,1,7,1
# the switch vanishes with two calls up and one held: the agents' calls are ended by the supervisor
# (a person's recorded outcome), and the held call, that no switch can now put through, is recorded
# abandoned with the reason
$ printf 'SEQUENTIAL\n0977000001;\n0977000002;\n0977000003;\n' > three.csv && ($FIXTURES/contact/switch.sh call three.csv 3 20000 10 > three.log 2>&1 &) && for i in $(seq 100); do [ "$(rapport contact interactions --state queued --json | python3 -c 'import json,sys; print(sum(1 for i in json.load(sys.stdin) if i["switch_ref"]))')" = 1 ] && break; sleep 0.1; done && $FIXTURES/contact/switch.sh vanish && echo gone
> gone
$ for a in amy bob; do I=$(rapport contact desk $a --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["interactions"][0]["id"])'); env -u RAPPORT_NOW rapport contact event $I ended --reason "the switch went down" >/dev/null; done; for i in $(seq 100); do [ "$(rapport contact interactions --state open --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 0 ] && break; sleep 0.1; done; rapport contact interactions --limit 3 --json | python3 -c 'import json,sys; print(sorted(i["state"] for i in json.load(sys.stdin)))'
> ['abandoned', 'done', 'done']
$ rapport contact interactions --state abandoned --limit 1 --json | python3 -c 'import json,sys; i = json.load(sys.stdin)[0]; print(i["address"])'; rapport contact interaction $(rapport contact interactions --state abandoned --limit 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])') --json | python3 -c 'import json,sys; e = json.load(sys.stdin)["events"][-1]; print(e["event"], e["detail"].split(":")[0])'
> 0977000003
> abandoned the switch could not be reached
$ rapport query "select count(*), count(distinct call_id) from call_record where source = 'rapport'" --csv | tr -d '\r' | tail -1
> 10,10
$ $FIXTURES/contact/switch.sh down; kill $(cat serve.pid); echo down
> down
