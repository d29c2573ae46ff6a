# issue 26 item 6: moving up and keeping copies.  A bank that began on SQLite moves to PostgreSQL with
# `rapport store copy` (every table, counted and summed on both sides, in one transaction there); the same
# analyses and the same 360 come out of both stores.  `rapport backup` and `rapport restore` for both
# stores: SQLite's online backup, pg_dump and pg_restore; what is refused, by name.
#! store sqlite: it starts a PostgreSQL cluster of its own and copies an SQLite store into it
#! timeout 600
$ rapport gen --customers 200 --out bank > /dev/null && rapport init > /dev/null && rapport load bank > /dev/null 2>&1 && rapport match > /dev/null && $FIXTURES/../pg.sh start pg "$PWD" > url && echo ok
> ok
$ rapport store copy --from rapport.db --to "$(cat url)" | tail -1 | sed 's/127.0.0.1:[0-9]*/127.0.0.1:PORT/; s/[0-9,]* rows,/N rows,/'
>~ ^copied rapport\.db to postgresql://rapport_owner@127\.0\.0\.1:PORT/rapport: [0-9]+ tables, N rows, each counted and summed on both sides$
# SQLite's transactions have no holder column (its blocks are never distributed): PostgreSQL's take their account's
$ psql -qAtX "$(cat url)" -c "SELECT count(*) > 0, count(*) FILTER (WHERE t.holder_party IS DISTINCT FROM a.holder_party) FROM txn t JOIN account a ON a.id = t.account_id"
> t|0
$ rapport store copy --to "$(cat url)"
!~ ^rapport: store copy: the destination already holds data \([0-9]+ rows in party\): copy into a store that 'rapport init' has just made$
? 1
$ rapport store copy --to nowhere.db
! rapport: store copy: --to: name the PostgreSQL store to copy to (postgresql://...)
? 1
# the same answers from both stores: counts and sums of the transactions, RFM, a 360, the audit trail's chain
$ for db in rapport.db "$(cat url)"; do rapport query "SELECT count(*) AS n, sum(amount_minor) AS s FROM txn" --db "$db" --key rapport.db.key --csv | tail -1; rapport analyze rfm --as-of 2026-10-31 --no-save --db "$db" --key rapport.db.key --csv | md5sum; rapport customer show 7 --db "$db" --key rapport.db.key | md5sum; done | sort | uniq -c | sed 's/^ *//' | cut -c1-2
> 2 
> 2 
> 2 
$ rapport audit verify --db "$(cat url)" --key rapport.db.key | sed 's/[0-9]* entries/N entries/; s/head [0-9a-f]*/head HASH/'
> the audit trail: N entries verify; head HASH
# a backup of each store, and a restore of each into a place that is empty
$ rapport backup copy.db && rapport restore copy.db --db again.db --key rapport.db.key && rapport analyze rfm --as-of 2026-10-31 --no-save --db again.db --key rapport.db.key --csv | md5sum > a && rapport analyze rfm --as-of 2026-10-31 --no-save --csv | md5sum | cmp - a && stat -c %a copy.db again.db
> rapport.db backed up to copy.db; keep the sealing key rapport.db.key apart from it (the backup cannot be read without it)
> again.db restored from copy.db: schema version 37; sealing key rapport.db.key
> 600
> 600
$ rapport backup copy.db
! rapport: backup: copy.db: there is a file of that name already: name another
? 1
$ rapport restore copy.db --db again.db --key rapport.db.key
! rapport: restore: again.db: a store is there already: restore to another path, or move it away first
? 1
$ echo 'not a store' > junk.db && rapport restore junk.db --db third.db --key rapport.db.key; echo "exit $?"; ls third.db 2>&1 | sed 's/.*No such file.*/no third.db/'
! rapport: restore: junk.db: not a backup of a store (not an SQLite database)
> exit 1
> no third.db
$ rapport backup pg.dump --db "$(cat url)" --key rapport.db.key | sed 's/127.0.0.1:[0-9]*/127.0.0.1:PORT/' && psql -qX "$(cat url)" -c "CREATE DATABASE restored" && rapport restore pg.dump --db "$(sed 's|/rapport$|/restored|' url)" --key rapport.db.key | sed 's/127.0.0.1:[0-9]*/127.0.0.1:PORT/'
> postgresql://rapport_owner@127.0.0.1:PORT/rapport backed up to pg.dump; keep the sealing key rapport.db.key apart from it (the backup cannot be read without it)
> postgresql://rapport_owner@127.0.0.1:PORT/restored restored from pg.dump: schema version 37; sealing key rapport.db.key
$ rapport analyze rfm --as-of 2026-10-31 --no-save --db "$(sed 's|/rapport$|/restored|' url)" --key rapport.db.key --csv | md5sum | cmp - a && echo same
> same
$ rapport restore pg.dump --db "$(sed 's|/rapport$|/restored|' url)" --key rapport.db.key 2>&1 | sed 's/127.0.0.1:[0-9]*/127.0.0.1:PORT/'
> rapport: restore: postgresql://rapport_owner@127.0.0.1:PORT/restored: the database holds tables already: restore into an empty one (createdb)
# restored with another key: refused, the store is not read with the wrong key
$ rapport init --db other.db > /dev/null && rapport restore copy.db --db fourth.db --key other.db.key
! rapport: restore: copy.db was restored into fourth.db, but it does not open: other.db.key: this key file does not belong to store fourth.db
? 1
$ $FIXTURES/../pg.sh stop pg; echo stopped
> stopped
