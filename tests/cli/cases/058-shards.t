# issue 26 item 5: past one machine.  The customer tables hash-partitioned by party id over two other
# PostgreSQL servers (tests/pg.sh shard: postgres_fdw foreign tables as the partitions, the shape
# docs/scale.md gives Citus): a party and its identifiers and contacts by the party's id, an account, its
# roles and its transactions by the account's primary holder (0034), the transactions by month within
# each shard.  The customer 360s and the analyses read across the shards the same as from one server,
# and a query for one party goes to the shard that has it.
#! store postgresql: it starts three PostgreSQL clusters of its own, a coordinator and two shards
#! timeout 300
$ for c in c s0 s1; do $FIXTURES/../pg.sh start $c "$PWD" > /dev/null || exit 1; done && rapport init --db "$(cat c/url)" --key c.key > /dev/null && rapport gen --customers 100 --months 6 --out bank > /dev/null && rapport load bank --db "$(cat c/url)" --key c.key > /dev/null && rapport match --db "$(cat c/url)" --key c.key | sed 's/\[[0-9.]* s\]//'
> run 1: 201 source records are 100 customers (76 of them in more than one source); 135 candidate pairs compared, 0 waiting for review  
# every account and every transaction knows its primary holder: the party of its first role
$ psql -qAtX "$(cat c/url)" -c "SELECT count(*) FILTER (WHERE holder_party IS NULL), count(*) FILTER (WHERE holder_party <> (SELECT pa.party_id FROM party_account pa WHERE pa.account_id = a.id AND pa.role = 'owner' LIMIT 1)) FROM account a" -c "SELECT count(*) FROM txn t JOIN account a ON a.id = t.account_id WHERE t.holder_party IS DISTINCT FROM a.holder_party" -c "SELECT count(*) FROM party_account pa JOIN account a ON a.id = pa.account_id WHERE pa.holder_party IS DISTINCT FROM a.holder_party"
> 0|0
> 0
> 0
# what one server answers: every customer's 360, RFM and Pareto, the tables' rows
$ psql -qAtX "$(cat c/url)" -c "SELECT id FROM party WHERE merged_into IS NULL ORDER BY id" > persons && for p in $(cat persons); do rapport customer show $p --json --db "$(cat c/url)" --key c.key > $p.before || exit 1; done && rapport analyze rfm --as-of 2026-10-31 --no-save --db "$(cat c/url)" --key c.key > rfm.before && rapport analyze pareto --as-of 2026-10-31 --no-save --db "$(cat c/url)" --key c.key > pareto.before && for t in party party_identifier contact_point account party_account txn; do psql -qAtX "$(cat c/url)" -c "SELECT '$t', count(*) FROM $t"; done > counts.before && wc -l < persons
> 100
# the move: the six tables partitioned by hash over the two shards
$ $FIXTURES/../pg.sh shard c s0 s1 && psql -qAtX "$(cat c/url)" -c "SELECT c.relname, c.relkind, p.partstrat FROM pg_class c JOIN pg_partitioned_table p ON p.partrelid = c.oid WHERE c.relname IN ('party', 'account', 'txn') ORDER BY 1" -c "SELECT count(*) FROM pg_class WHERE relkind = 'f'"
> account|p|h
> party|p|h
> txn|p|h
> 12
# each shard holds part of every table, the transactions by month within; together every row
$ for s in s0 s1; do for t in party party_identifier contact_point account party_account txn; do psql -qAtX "$(cat $s/url)" -c "SELECT '$t', count(*) FROM $t"; done; done | awk -F'|' '$2 == 0 {print "empty: " $1} {n[$1] += $2} END {for (t in n) print t "|" n[t]}' | sort > counts.shards && sort counts.before | cmp - counts.shards && psql -qAtX "$(cat s0/url)" -c "SELECT count(*) > 1 FROM pg_inherits WHERE inhparent = 'txn'::regclass"
> t
# a query for one party goes to its shard alone; for one holder's transactions of a month, to one shard
$ psql -qAtX "$(cat c/url)" -c "EXPLAIN (COSTS OFF) SELECT * FROM party WHERE id = $(head -1 persons)" -c "EXPLAIN (COSTS OFF) SELECT * FROM txn WHERE holder_party = $(head -1 persons)" | sed 's/_s[01] /_sN /'
> Foreign Scan on party_sN party
> Foreign Scan on txn_sN txn
# people whose source records live on different shards, whose 360s are gathered from both
$ psql -qAtX "$(cat c/url)" -c "SELECT count(*) > 0 FROM (SELECT merged_into FROM party WHERE merged_into IS NOT NULL GROUP BY merged_into HAVING count(DISTINCT tableoid) > 1) x"
> t
# every customer's 360 and both analyses the same as from one server
$ for p in $(cat persons); do rapport customer show $p --json --db "$(cat c/url)" --key c.key | cmp -s - $p.before || echo "differs: $p"; done; rapport analyze rfm --as-of 2026-10-31 --no-save --db "$(cat c/url)" --key c.key | cmp - rfm.before && rapport analyze pareto --as-of 2026-10-31 --no-save --db "$(cat c/url)" --key c.key | cmp - pareto.before && echo same
> same
# and over HTTP, through a server on the coordinator
$ (timeout 60 rapport serve --db "$(cat c/url)" --key c.key --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done && echo 'a long password 1' | rapport user add mei --role supervisor --db "$(cat c/url)" --key c.key > /dev/null && P=http://127.0.0.1:$(cat port)/api/v1 && curl -s -c jar -H 'Content-Type: application/json' -d '{"name":"mei","password":"a long password 1"}' $P/session > /dev/null && p=$(tail -1 persons) && curl -s -b jar $P/customers/$p | grep -o '"name_zh":"[^"]*"' | head -1 > api && grep -o '"name_zh": *"[^"]*"' $p.before | head -1 | tr -d ' ' | cmp - api && echo same; kill $(cat pid); for c in c s0 s1; do $FIXTURES/../pg.sh stop $c; done
> same
