# issue 26 item 1: the PostgreSQL store.  `rapport init` on a throwaway PostgreSQL
#! store sqlite: it starts PostgreSQL clusters of its own, beside an SQLite store
# cluster (tests/pg.sh: initdb and pg_ctl in this test's folder, a free port) builds the whole schema, the
# same as SQLite's table by table (tests/store/schema_compare.py: columns, keys, checks, indexes, views,
# triggers); a server's store needs its key file named; a password in the URL is refused; the owner
# grants the application's role what it needs; TLS.  (Every other case of tests/cli/cases runs on
# PostgreSQL too: make test-postgres.)
#! timeout 300
$ python3 $FIXTURES/../store/schema_compare.py --rapport "$(command -v rapport)" | tail -1
> schema_compare: 0 differences
$ $FIXTURES/../pg.sh start pg "$PWD" > url && rapport init --db "$(cat url)"
!~ ^rapport: init: postgresql://rapport_owner@127.0.0.1:[0-9]+/rapport: a database server's store needs its sealing key file named \(--key PATH, RAPPORT_KEY or \[security\] key_file\)$
? 1
$ rapport init --db "$(cat url)" --key pg.key | sed 's/127.0.0.1:[0-9]*/127.0.0.1:PORT/'
> store postgresql://rapport_owner@127.0.0.1:PORT/rapport: schema version 37 (37 migrations applied); sealing key pg.key
$ rapport init --db "$(cat url)" --key pg.key | sed 's/127.0.0.1:[0-9]*/127.0.0.1:PORT/'
> store postgresql://rapport_owner@127.0.0.1:PORT/rapport: up to date at schema version 37; sealing key pg.key
$ cp "$FIXTURES/bank.json" . && rapport import bank.json --db "$(cat url)" --key pg.key > /dev/null && rapport customer show 1 --db "$(cat url)" --key pg.key | head -1
> Customer #1  陳怡君  CHEN, YI-CHUN
$ rapport query "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> 'txn_account_key'" --db "$(cat url)" --key pg.key --csv | tail -1 | tr -d '\r' > pg.n && rapport init --db sq.db > /dev/null && rapport query "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'" --db sq.db --csv | tail -1 | tr -d '\r' > sq.n && [ "$(cat pg.n)" -gt 80 ] && cmp pg.n sq.n && echo the same tables
> the same tables
$ printf '[store]\nurl = %s\n[security]\nkey_file = pg.key\n' "$(cat url)" > rapport.ini && rapport init --config rapport.ini | sed 's/127.0.0.1:[0-9]*/127.0.0.1:PORT/'
> store postgresql://rapport_owner@127.0.0.1:PORT/rapport: up to date at schema version 37; sealing key pg.key
$ rapport init --db 'postgresql://bank:secret@127.0.0.1/rapport' --key pg.key
! rapport: init: the PostgreSQL URL names a password, which ps would show: put it in a password file (PGPASSFILE or ~/.pgpass) or PGPASSWORD instead
? 1
# the application's role is not the owner: --grant lets it read and write, not change the schema or the audit trail
$ psql -qX "$(cat url)" -c "CREATE ROLE rapport_app LOGIN" && rapport init --db "$(cat url)" --key pg.key --grant rapport_app | tail -1
> role rapport_app may read and write the store (not change its schema or its audit trail)
$ echo 'a long password 1' | rapport user add ann --role csr --db "$(sed 's/rapport_owner/rapport_app/' url)" --key pg.key
> user ann added: contact-centre agent (CSR)
$ psql -qXAt "$(sed 's/rapport_owner/rapport_app/' url)" -c "SELECT count(*) FROM app_user" -c "DROP TABLE party" 2>&1 | sed 's/ERROR: */ERROR: /'
> 1
> ERROR: must be owner of table party
$ psql -qXAt "$(sed 's/rapport_owner/rapport_app/' url)" -c "UPDATE audit SET user_name = 'x'" 2>&1; echo "exit $?"
> ERROR:  permission denied for table audit
> exit 1
# ... and brings the statistics up to date after writing much (store_analyze, which a load and a match call: ANALYZE is the owner's)
$ psql -qXAt "$(sed 's/rapport_owner/rapport_app/' url)" -c "INSERT INTO branch(code, name_zh) SELECT 'T' || g, '分行' FROM generate_series(1, 3000) g" -c "SELECT count(pg_stat_force_next_flush())" -c "SELECT store_analyze()" -c "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'branch'" -c "DELETE FROM branch WHERE code LIKE 'T%'" 2>&1
> 1
> 1
> t
$ rapport init --db "$(cat url)" --key pg.key --grant nobody
? 1
! rapport: init: --grant: the database server has no role nobody (CREATE ROLE nobody LOGIN first)
$ rapport init --db "$(cat url)" --key pg.key --grant public
? 1
! rapport: init: --grant: 'public' is not a role of its own: name the application's login role
$ rapport init --db sq.db --grant rapport_app
? 1
! rapport: init: --grant: an SQLite store is a file, with no roles to grant to
# TLS to the server, as libpq's sslmode says: required of a server without it, refused; verified against the
# server's certificate authority, accepted; against another, refused
$ rapport init --db "$(cat url)?sslmode=require" --key pg.key 2>&1 | sed 's/127.0.0.1:[0-9]*/127.0.0.1:PORT/; s/port [0-9]*/port PORT/'
> rapport: init: cannot connect to postgresql://rapport_owner@127.0.0.1:PORT/rapport?sslmode=require: connection to server at "127.0.0.1", port PORT failed: server does not support SSL, but SSL was required
$ $FIXTURES/../pg.sh tls pg && rapport query "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()" --csv --db "$(cat url)?sslmode=verify-full&sslrootcert=$PWD/pg/server.crt" --key pg.key | tail -1 | tr -d '\r'
> 1
$ openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=other" -keyout o.key -out o.crt 2>/dev/null && rapport init --db "$(cat url)?sslmode=verify-full&sslrootcert=$PWD/o.crt" --key pg.key 2>&1 | grep -c 'certificate verify failed'
> 1
$ $FIXTURES/../pg.sh stop pg; echo stopped
> stopped
