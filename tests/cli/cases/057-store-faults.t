# issue 26 item 7: faults of a database server's store.  The server down at start is named with its host and
# port; a load whose connection is cut in the middle stops with its batch rolled back, and the same command
# goes on after the last committed batch: nothing half-written, nothing twice (the same rows as a load that
# was never cut); a statement past the server's statement_timeout is said so, in Rapport's words.
#! store sqlite: it starts a PostgreSQL cluster of its own and cuts its connections
#! timeout 300
$ rapport jobs --db postgresql://rapport_owner@127.0.0.1:1/rapport --key x.key
! rapport: jobs: cannot connect to postgresql://rapport_owner@127.0.0.1:1/rapport: connection to server at "127.0.0.1", port 1 failed: Connection refused Is the server running on that host and accepting TCP/IP connections?
? 1
$ rapport gen --customers 300 --months 3 --seed 11 --out bank > /dev/null && $FIXTURES/../pg.sh start pg "$PWD" > url && for d in cut whole; do psql -qX "$(cat url)" -c "CREATE DATABASE $d" && rapport init --db "$(sed "s|/rapport$|/$d|" url)" --key pg.key > /dev/null && rapport load bank/host/BRANCH.dat bank/host/CIF.dat bank/host/ACCT.dat --db "$(sed "s|/rapport$|/$d|" url)" --key pg.key > /dev/null; done; echo ready
> ready
# frozen after record 700 (batches of 100: 600 committed), its connection cut, then let go
$ U=$(sed 's|/rapport$|/cut|' url); RAPPORT_TEST_STOP_AFTER=700 rapport load --batch 100 bank/host/TXN_202609.dat --db "$U" --key pg.key > cut.out 2>&1 & p=$!; for i in $(seq 300); do [ "$(cut -d' ' -f3 /proc/$p/stat 2>/dev/null)" = T ] && break; sleep 0.1; done; psql -qAtX "$U" -c "SELECT count(*) > 0 FROM pg_stat_activity WHERE datname = 'cut' AND pid <> pg_backend_pid()" -c "SELECT count(pg_terminate_backend(pid)) > 0 FROM pg_stat_activity WHERE datname = 'cut' AND pid <> pg_backend_pid()"; kill -CONT $p; wait $p; echo "exit $?"; grep -c 'the connection to PostgreSQL was lost in a transaction, which is rolled back' cut.out
> t
> t
> exit 1
> 1
$ rapport jobs 4 --json --db "$(sed 's|/rapport$|/cut|' url)" --key pg.key | python3 -c 'import json,sys; j = json.load(sys.stdin); j = j[0] if isinstance(j, list) else j; print(j["status"], j["records"], "connection to PostgreSQL was lost" in j["message"])'
> interrupted 600 True
$ rapport load --batch 100 bank/host/TXN_202609.dat --db "$(sed 's|/rapport$|/cut|' url)" --key pg.key | head -1 | sed 's/\[job 4, .*, resumed\]/[job 4, resumed]/'
>~ ^bank/host/TXN_202609\.dat: [0-9,]+ records: [0-9,]+ loaded \(0 fixed\), [0-9]+ rejected  \[job 4, resumed\]$
$ rapport load --batch 100 bank/host/TXN_202609.dat --db "$(sed 's|/rapport$|/whole|' url)" --key pg.key > /dev/null && for d in cut whole; do psql -qAtX "$(sed "s|/rapport$|/$d|" url)" -c "SELECT count(*), count(DISTINCT (account_id, source_key)), sum(amount_minor) FROM txn"; done | uniq -c | sed 's/^ *//' | cut -d' ' -f1
> 2
# a statement past the server's statement_timeout
$ rapport query "SELECT pg_sleep(2)" --db "$(sed 's|/rapport$|/whole|' url)?options=-c%20statement_timeout%3D100" --key pg.key 2>&1 | sed 's/127.0.0.1:[0-9]*/127.0.0.1:PORT/'
> rapport: query: PostgreSQL 127.0.0.1:PORT/whole: the statement was cancelled: it ran past the server's statement_timeout, or an administrator stopped it (canceling statement due to statement timeout)
$ $FIXTURES/../pg.sh stop pg; echo stopped
> stopped
