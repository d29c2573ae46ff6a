# customer refresh: the kept 360 documents the API serves, built, checked, and deleted by changes
$ rapport init >/dev/null && rapport import $FIXTURES/bank.json >/dev/null
$ rapport customer refresh | sed 's/in [0-9.]* s/in N s/'
> built 6 customer 360 documents in N s; 6 of 6 customers have one
$ rapport customer refresh --verify
> 12 kept documents compared with the warehouse: 0 differ
# nothing left to build
$ rapport customer refresh --json | grep -E '"(built|kept|customers)"'
>   "built": 0,
>   "kept": 6,
>   "customers": 6,
# a change through any program deletes the documents that show it, and refresh builds them again
$ $FIXTURES/../store/sql.sh "UPDATE party SET occupation = 'teacher' WHERE id = 5" && rapport query "SELECT count(*) FROM c360_doc" --csv | tail -1 | tr -d '\r'
> 5
$ rapport customer refresh --json | grep '"built"'
>   "built": 1,
$ rapport customer show 5 --json | grep -c teacher
> 1
# --every goes with --verify; nothing is built
$ rapport customer refresh --every 2
? 2
! rapport: customer refresh: --every N (1 to 1000000) goes with --verify
! usage: rapport customer refresh [--all] [--verify [--every N]] [--json] [--db PATH]
$ rapport customer refresh --verify --every 0
? 2
! rapport: customer refresh: --every N (1 to 1000000) goes with --verify
! usage: rapport customer refresh [--all] [--verify [--every N]] [--json] [--db PATH]
