#!/bin/bash
# pg.sh — a throwaway PostgreSQL cluster for the tests (issue 26): initdb and pg_ctl of Debian's
# PostgreSQL in a folder of the test's, as an unprivileged user (postgres when run as root: initdb
# refuses root), listening on 127.0.0.1 and a free port and on a socket in that folder; fsync off (a
# test's data need not survive a power cut).  The owner role rapport_owner (migrations) and a database
# rapport.  With WATCH (a process id, or a folder) the cluster stops by itself when that process ends or
# that folder is gone, so that a test that crashes leaves no server behind.
#   pg.sh start DIR [WATCH]       prints the URL (also in DIR/url)
#   pg.sh tls DIR                 TLS on: a certificate of its own for 127.0.0.1 (DIR/server.crt,
#                                 the root a client names in sslrootcert), reloaded
#   pg.sh standby DIR PRIMARY [sync]  a streaming replica of PRIMARY's cluster (hot standby), synchronous
#                                 with sync; prints its URL
#   pg.sh promote DIR             the standby made the primary (a failover)
#   pg.sh shard DIR SHARD_DIR...  the customer tables of DIR's database rapport (a Rapport store) moved
#                                 onto the clusters SHARD_DIR... (started, each with its database
#                                 rapport), hash-partitioned by party id (docs/scale.md)
#   pg.sh stop DIR
set -eu
PATH=$PATH:/usr/sbin:/sbin
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "pg.sh: no PostgreSQL server installed (make deps installs it)" >&2; exit 1; }
as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
dir=$(realpath -m "$2")
case $1 in
start)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$dir"
        # the server's user passes through the test's folders to its own (traverse, not list)
        p=$(dirname "$dir"); while [ "$p" != / ]; do chmod o+x "$p"; p=$(dirname "$p"); done
    fi
    port=$(free_port)
    as "$bin/initdb" -D "$dir/data" -U rapport_owner --auth=trust -E UTF8 --locale=C.UTF-8 > "$dir/initdb.log" 2>&1 ||
        { echo "pg.sh: initdb failed:" >&2; cat "$dir/initdb.log" >&2; exit 1; }
    as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start > /dev/null || { echo "pg.sh: the server did not start:" >&2; tail -20 "$dir/server.log" >&2; exit 1; }
    as "$bin/createdb" -h 127.0.0.1 -p "$port" -U rapport_owner rapport
    echo "$port" > "$dir/port"
    echo "postgresql://rapport_owner@127.0.0.1:$port/rapport" | tee "$dir/url"
    if [ -n "${3:-}" ]; then
        main=$(head -1 "$dir/data/postmaster.pid")
        case $3 in
        *[!0-9]*) alive() { [ -d "$1" ]; } ;;
        *) alive() { kill -0 "$1" 2>/dev/null; } ;;
        esac
        # the server's own process, stopped at once (its folder may be gone with the test's)
        (while alive "$3" && kill -0 "$main" 2>/dev/null; do sleep 1; done; kill -QUIT "$main" 2>/dev/null) \
            > /dev/null 2>&1 < /dev/null &
    fi
    ;;
tls)
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
        -keyout "$dir/server.key" -out "$dir/server.crt" > /dev/null 2>&1 || { echo "pg.sh: openssl failed" >&2; exit 1; }
    cp "$dir/server.crt" "$dir/server.key" "$dir/data/"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir/data/server.crt" "$dir/data/server.key"; fi
    chmod 600 "$dir/data/server.key"
    printf "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n" >> "$dir/data/postgresql.auto.conf"
    as "$bin/pg_ctl" -D "$dir/data" reload > /dev/null
    sleep 0.5
    ;;
standby)
    # a streaming replica of the cluster in $3 (hot standby: it serves reads), started on a free port; with
    # $4 = sync, the primary waits for it at each commit (synchronous_standby_names; synchronous_commit on for
    # the database rapport, over start's off), so that nothing the primary acknowledged is lost when it fails
    # and the standby is promoted
    primary=$(realpath -m "$3"); pport=$(cat "$primary/port")
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port=$(free_port)
    as "$bin/pg_basebackup" -h 127.0.0.1 -p "$pport" -U rapport_owner -D "$dir/data" -R -X stream -c fast \
        > "$dir/basebackup.log" 2>&1 || { echo "pg.sh: pg_basebackup failed:" >&2; cat "$dir/basebackup.log" >&2; exit 1; }
    printf "primary_conninfo = 'host=127.0.0.1 port=%s user=rapport_owner application_name=standby'\n" "$pport" \
        >> "$dir/data/postgresql.auto.conf"
    as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c hot_standby=on" start > /dev/null ||
        { echo "pg.sh: the standby did not start:" >&2; tail -20 "$dir/server.log" >&2; exit 1; }
    echo "$port" > "$dir/port"
    if [ "${4:-}" = sync ]; then
        as "$bin/psql" -qX -h 127.0.0.1 -p "$pport" -U rapport_owner -d rapport \
            -c "ALTER SYSTEM SET synchronous_standby_names = 'standby'" -c "ALTER DATABASE rapport SET synchronous_commit = on" \
            -c "SELECT pg_reload_conf()" > /dev/null
        for i in $(seq 100); do
            [ "$(as "$bin/psql" -qAtX -h 127.0.0.1 -p "$pport" -U rapport_owner -d rapport \
                 -c "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby'")" = sync ] && break
            sleep 0.1
        done
    fi
    echo "postgresql://rapport_owner@127.0.0.1:$port/rapport" | tee "$dir/url"
    ;;
shard)
    # each table by its party column: a party by its id, the party's own rows by party_id, an account,
    # its roles and its transactions by the account's primary holder (0034).  On each shard the table
    # as the coordinator has it (its columns, its unique and other indexes: uniqueness kept on each shard;
    # the transactions partitioned by the same months within); on the coordinator a table partitioned by
    # hash of that column whose partitions are postgres_fdw foreign tables, one a shard, filled from the
    # old table, which then goes, and with it the foreign keys that named it (a foreign table carries no
    # index to check one against) and its triggers.
    url=$(cat "$dir/url"); shift 2; n=$#
    q() { psql -qAtX -v ON_ERROR_STOP=1 "$@"; }
    q "$url" -c "CREATE EXTENSION IF NOT EXISTS postgres_fdw"
    k=0
    for s in "$@"; do
        sport=$(cat "$(realpath -m "$s")/port")
        q "$url" -c "CREATE SERVER shard_$k FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '$sport', dbname 'rapport', fetch_size '10000', batch_size '1000')" \
                 -c "CREATE USER MAPPING FOR PUBLIC SERVER shard_$k OPTIONS (user 'rapport_owner')"
        k=$((k + 1))
    done
    for td in party:id party_identifier:party_id contact_point:party_id account:holder_party \
              party_account:holder_party txn:holder_party; do
        t=${td%%:*}; col=${td#*:}
        cols=$(q "$url" -c "SELECT string_agg(format('%I %s%s', attname, format_type(atttypid, atttypmod),
                                   CASE WHEN attnotnull THEN ' NOT NULL' ELSE '' END), ', ' ORDER BY attnum)
                              FROM pg_attribute WHERE attrelid = '$t'::regclass AND attnum > 0 AND NOT attisdropped")
        within=""; parts=""
        if [ "$t" = txn ]; then
            within="PARTITION BY RANGE (posted_at)"
            parts=$(q "$url" -c "SELECT format('CREATE TABLE %I PARTITION OF txn %s;', c.relname, pg_get_expr(c.relpartbound, c.oid))
                                   FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'txn'::regclass")
        fi
        indexes=$(q "$url" -c "SELECT replace(indexdef, ' ON ONLY ', ' ON ') || ';' FROM pg_indexes
                                 WHERE schemaname = current_schema() AND tablename = '$t'")
        for s in "$@"; do
            q "$(cat "$(realpath -m "$s")/url")" -c "CREATE TABLE $t ($cols) $within; $parts $indexes"
        done
        seqs=$(q "$url" -c "SELECT string_agg(format('ALTER SEQUENCE %s OWNED BY NONE;', pg_get_serial_sequence('$t', attname)), ' ')
                              FROM pg_attribute WHERE attrelid = '$t'::regclass AND attnum > 0
                               AND pg_get_serial_sequence('$t', attname) IS NOT NULL AND attidentity = ''")
        sql="BEGIN; $seqs ALTER TABLE $t RENAME TO ${t}_local;
             CREATE TABLE $t (LIKE ${t}_local INCLUDING DEFAULTS) PARTITION BY HASH ($col);"
        for k in $(seq 0 $((n - 1))); do
            sql="$sql CREATE FOREIGN TABLE ${t}_s$k PARTITION OF $t FOR VALUES WITH (MODULUS $n, REMAINDER $k)
                      SERVER shard_$k OPTIONS (table_name '$t');"
        done
        q "$url" -c "SET client_min_messages = warning; $sql INSERT INTO $t SELECT * FROM ${t}_local;
                     DROP TABLE ${t}_local CASCADE; COMMIT;"
    done
    # the newest posting day, which 0033's function reads from the months' partitions of the coordinator
    q "$url" -c "CREATE OR REPLACE FUNCTION txn_newest() RETURNS TEXT LANGUAGE sql STABLE AS
                 \$\$ SELECT substr(max(posted_at), 1, 10) FROM txn \$\$" -c "ANALYZE"
    ;;
promote)
    as "$bin/pg_ctl" -D "$dir/data" -w promote > /dev/null
    ;;
stop)
    [ -d "$dir/data" ] && as "$bin/pg_ctl" -D "$dir/data" -m immediate stop > /dev/null 2>&1 || true
    ;;
*)
    echo "usage: pg.sh start DIR [WATCH_PID] | tls DIR | standby DIR PRIMARY_DIR [sync] | promote DIR | shard DIR SHARD_DIR... | stop DIR" >&2; exit 2
    ;;
esac
