# issue 26 items 5 and 7: a streaming replica of the store's PostgreSQL (hot standby, synchronous commit)
# serves read-only analytics; then a failover drill: the primary is killed while a server takes notes, the
# standby is promoted, and the server, given both hosts (target_session_attrs=read-write), finds the new
# primary by itself.  During the gap a change is answered with a clear 503, never a wrong answer; every
# note acknowledged before, during and after is in the store, and no other.
#! store sqlite: it starts two PostgreSQL clusters of its own, a primary and its standby
#! timeout 300
$ $FIXTURES/../pg.sh start p "$PWD" > /dev/null && $FIXTURES/../pg.sh standby s p sync > surl && psql -qAtX "$(cat p/url)" -c "SELECT application_name, sync_state FROM pg_stat_replication" -c "SHOW synchronous_commit"
> standby|sync
> on
$ echo "postgresql://rapport_owner@127.0.0.1:$(cat p/port),127.0.0.1:$(cat s/port)/rapport?target_session_attrs=read-write" > url && rapport init --db "$(cat url)" --key pg.key | sed 's/:[0-9]*,127.0.0.1:[0-9]*\//:P,127.0.0.1:S\//' && cp "$FIXTURES/bank.json" . && rapport import bank.json --db "$(cat url)" --key pg.key > /dev/null && echo 'a long password 1' | rapport user add mei --role supervisor --db "$(cat url)" --key pg.key
> store postgresql://rapport_owner@127.0.0.1:P,127.0.0.1:S/rapport?target_session_attrs=read-write: schema version 37 (37 migrations applied); sealing key pg.key
> user mei added: supervisor
# the standby answers an analysis (it reads); a change there is refused by the server itself
$ rapport analyze pareto --as-of 2026-10-31 --no-save --db "$(cat surl)" --key pg.key | head -1
> pareto as of 2026-10-31: the top 20% of customers give 99.5% of profit; half of it comes from 20.0% of them
$ echo 'a long password 1' | rapport user add tom --role teller --branch 0012 --db "$(cat surl)" --key pg.key 2>&1 | sed 's/127.0.0.1:[0-9]*/127.0.0.1:S/'
> rapport: user add: PostgreSQL 127.0.0.1:S/rapport: this server is a standby, which reads only: what changes the store (a load, a note, the audit of a customer view) needs the primary (name both hosts with target_session_attrs=read-write and the primary is found)
$ rapport customer show 1 --db "$(cat surl)" --key pg.key 2>&1 | sed 's/127.0.0.1:[0-9]*/127.0.0.1:S/'
> rapport: customer show: PostgreSQL 127.0.0.1:S/rapport: this server is a standby, which reads only: what changes the store (a load, a note, the audit of a customer view) needs the primary (name both hosts with target_session_attrs=read-write and the primary is found)
# the drill: twenty notes, the primary killed (immediate stop), ten more, the standby promoted, twenty more
$ (timeout 120 rapport serve --db "$(cat url)" --key pg.key --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done && P=http://127.0.0.1:$(cat port)/api/v1 && curl -s -c jar -H 'Content-Type: application/json' -d '{"name":"mei","password":"a long password 1"}' $P/session | sed 's/.*"csrf":"\([^"]*\)".*/\1/' > csrf && note() { c=$(curl -s -b jar -H "X-CSRF-Token: $(cat csrf)" -H 'Content-Type: application/json' -d "{\"text\":\"drill $1\"}" $P/customers/1/notes -o n$1.json -w "%{http_code}"); echo "$c" >> codes; if [ "$c" = 201 ]; then echo "$1" >> acked; fi; } && for i in $(seq 1 20); do note $i; done && $FIXTURES/../pg.sh stop p && for i in $(seq 21 30); do note $i; done && $FIXTURES/../pg.sh promote s && for i in $(seq 31 50); do note $i; sleep 0.05; done; uniq -c codes | sed 's/^ *//'; cat n25.json
> 20 201
> 10 503
> 20 201
> {"error":{"code":"unavailable","message":"the store cannot be reached just now (its database server is restarting or failing over); try again"}}
$ rapport query "SELECT notes FROM interaction WHERE notes LIKE 'drill %'" --db "$(cat url)" --key pg.key --csv | tail -n +2 | tr -d '\r' | sed 's/^drill //' | sort > stored && sort acked > acked.sorted && cmp acked.sorted stored && wc -l < stored
> 40
# the server says what happened in its log, and reads on the new primary as before
$ grep -c 'cannot be reached' serve.log | sed 's/^[1-9][0-9]*$/some/'
> some
$ curl -s -b jar http://127.0.0.1:$(cat port)/api/v1/customers/1 | grep -o '"name_zh":"陳怡君"' | head -1; kill $(cat pid); $FIXTURES/../pg.sh stop s; echo stopped
> "name_zh":"陳怡君"
> stopped
