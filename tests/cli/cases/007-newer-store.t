# a store written by a newer Rapport is refused, and left as it was
#! store sqlite: the store's file changed with the sqlite3 shell
$ rapport init >/dev/null
$ sqlite3 rapport.db "INSERT INTO rapport_migrations VALUES (99, 'future', '2030-01-01T00:00:00Z')"
$ sha256sum rapport.db > before.sum
$ rapport customer show 1
? 1
! rapport: customer show: rapport.db: store was written by a newer Rapport (schema version 99; this build knows up to 37): upgrade rapport
$ rapport init
? 1
! rapport: init: rapport.db: store was written by a newer Rapport (schema version 99; this build knows up to 37): upgrade rapport
$ rapport query "SELECT 1"
? 1
! rapport: query: rapport.db: store was written by a newer Rapport (schema version 99; this build knows up to 37): upgrade rapport
$ sha256sum -c before.sum
> rapport.db: OK
$ sqlite3 rapport.db "SELECT max(version) FROM rapport_migrations"
> 99
# a database of another program is not touched either
$ sqlite3 foreign.db "CREATE TABLE t(x)" && rapport init --db foreign.db
? 1
! rapport: init: foreign.db: not a Rapport store (a SQLite database of another program)
