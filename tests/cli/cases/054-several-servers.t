# issue 26 item 4: several `rapport serve` share one PostgreSQL store.  Two servers on one machine (different
# machines in a bank), one cluster: a session made on one is good on the other and signing out on one ends
# it on both; a screen pop reaches an agent whose screen is on the other server; each server keeps a journal of its own (pg-audit, pg-audit.2) and its own place in it, and
# their entries go into the one audit trail under the store's lock, so that the hash chain takes every
# entry of both in the order of its id.
#! store sqlite: it starts a PostgreSQL cluster of its own and two servers on it
#! timeout 300
$ $FIXTURES/../pg.sh start pg "$PWD" > url && rapport init --db "$(cat url)" --key pg.key > /dev/null && cp "$FIXTURES/bank.json" . && rapport import bank.json --db "$(cat url)" --key pg.key > /dev/null && echo 'a long password 1' | rapport user add mei --role supervisor --db "$(cat url)" --key pg.key
> user mei added: supervisor
$ for n in 1 2; do (timeout 120 rapport serve --db "$(cat url)" --key pg.key --listen 127.0.0.1:0 --port-file port$n > serve$n.log 2>&1 & echo $! > pid$n); done; for i in $(seq 100); do [ -s port1 ] && [ -s port2 ] && break; sleep 0.1; done; ls pg-audit*
> pg-audit
> pg-audit.2
# signed in on the first, seen by the second
$ curl -s -c jar -H 'Content-Type: application/json' -d '{"name":"mei","password":"a long password 1"}' "http://127.0.0.1:$(cat port1)/api/v1/session" | grep -o '"user":"mei","role":"supervisor"' && curl -s -b jar "http://127.0.0.1:$(cat port2)/api/v1/customers/1" | grep -o '"name_zh":"陳怡君"'
> "user":"mei","role":"supervisor"
> "name_zh":"陳怡君"
# sixty views at once, eight at a time, half on each server
$ seq 60 | xargs -P 8 -I{} sh -c 'p=$(( {} % 2 + 1 )); curl -s -o /dev/null -w "%{http_code}\n" -b jar "http://127.0.0.1:$(cat port$p)/api/v1/customers/$(( {} % 3 + 1 ))"' | sort | uniq -c | sed 's/^ *//'
> 60 200
# the screen pop reaches an agent connected to the other server: amy's desk is open on the second, the switch
# offers a call to the first (the store's notices, LISTEN/NOTIFY, carry it between them)
$ for u in "amy csr" "bob csr" "cat tsr"; do set -- $u; echo 'a long password 1' | rapport user add $1 --role $2 --db "$(cat url)" --key pg.key >/dev/null; done; rapport contact setup $FIXTURES/contact/setup.json --db "$(cat url)" --key pg.key && rapport token add switch --permissions cti --db "$(cat url)" --key pg.key | sed -n 2p > token
> contact centre: 6 skills, 3 queues, 3 agents
$ P2=http://127.0.0.1:$(cat port2)/api/v1; curl -s -c amy.jar -H 'Content-Type: application/json' -d '{"name":"amy","password":"a long password 1"}' $P2/session | sed 's/.*"csrf":"\([^"]*\)".*/\1/' > amy.csrf; (timeout 60 curl -sN -b amy.jar $P2/contact/desk/events > amy.sse 2>&1 & echo $! > sse.pid); sleep 0.5; curl -s -b amy.jar -H "X-CSRF-Token: $(cat amy.csrf)" -H 'Content-Type: application/json' -X PUT -d '{"state":"ready"}' $P2/contact/desk/state | python3 -c 'import json,sys; print(json.load(sys.stdin)["agent"]["state"])'; curl -s -H "Authorization: Bearer $(cat token)" -H 'Content-Type: application/json' -d '{"call_id":"sw-1","from":"0912345678","to":"5001"}' http://127.0.0.1:$(cat port1)/api/v1/cti/offer | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["action"], d["agent"], d["party_id"])'; for i in $(seq 50); do grep -q 'sw-1' amy.sse && break; sleep 0.1; done; kill $(cat sse.pid); grep -c '^event: assigned' amy.sse; grep '^data:' amy.sse | tail -1 | sed 's/^data: //' | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["external_id"], d["agent"], d["queue"])'
> ready
> connect amy 1
> 1
> sw-1 amy cards
# signed out on the second, refused by the first
$ csrf=$(curl -s -b jar "http://127.0.0.1:$(cat port1)/api/v1/session" | sed 's/.*"csrf":"\([^"]*\)".*/\1/') && curl -s -b jar -H "X-CSRF-Token: $csrf" -X DELETE "http://127.0.0.1:$(cat port2)/api/v1/session" && curl -s -b jar "http://127.0.0.1:$(cat port1)/api/v1/customers/1"
> {"signed_out":true}
> {"error":{"code":"unauthenticated","message":"sign in first (POST /api/v1/session)","reason":"signed_out"}}
$ kill -TERM $(cat pid1) $(cat pid2) && for i in $(seq 100); do grep -q stopped serve1.log && grep -q stopped serve2.log && break; sleep 0.1; done && tail -qn1 serve1.log serve2.log
> stopped
> stopped
# every view of both servers is in the trail, each journal's place kept apart, and the chain holds them all
$ rapport audit --action view --db "$(cat url)" --key pg.key --limit 1000 --json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)), "views")'
> 61 views
$ rapport query "SELECT count(*) FROM store_meta WHERE name LIKE 'audit_journal %'" --db "$(cat url)" --key pg.key --csv | tail -1 | tr -d '\r'
> 2
$ rapport audit verify --db "$(cat url)" --key pg.key | sed 's/head [0-9a-f]*/head HASH/'
>~ ^the audit trail: [0-9]+ entries verify; head HASH$
$ rapport audit verify --db "$(cat url)" --key pg.key --json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["intact"], d["entries"] >= 64, d["removed"])'
> True True 0
$ $FIXTURES/../pg.sh stop pg; echo stopped
> stopped
