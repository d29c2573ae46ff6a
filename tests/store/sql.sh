#!/bin/bash
# sql.sh — another program's hand on the case's store, whichever it is (tests/cli/run.sh): SQL run by
# the sqlite3 shell on rapport.db, or by psql on $RAPPORT_DB when that names a PostgreSQL database; rows
# printed as both print them unaligned ("a|b").  With --dump, every byte the store holds of its data
# (the SQLite file; pg_dump of the database), for a test that a secret is not kept in the clear.
#   sql.sh "SQL"      sql.sh --dump
set -eu
case ${RAPPORT_DB:-} in
postgresql://*|postgres://*)
    if [ "$1" = --dump ]; then exec pg_dump "$RAPPORT_DB"; fi
    exec psql -X -q -At -v ON_ERROR_STOP=1 "$RAPPORT_DB" -c "$1" ;;
*)
    db=${RAPPORT_DB:-rapport.db}
    if [ "$1" = --dump ]; then exec cat "$db"; fi
    exec sqlite3 "$db" "$1" ;;
esac
