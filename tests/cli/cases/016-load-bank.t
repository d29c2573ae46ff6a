# load DIR: a whole extract folder by its manifest, in dependency order
$ rapport init >/dev/null && rapport gen --customers 300 --months 3 --seed 11 --out bank >/dev/null
$ rapport load bank | grep -v '^  '
>~ ^campaign/campaigns\.csv: 6 records: 6 loaded \(0 fixed\), 0 rejected  \[job 1, 
>~ ^host/CIF\.dat: 303 records: 297 loaded \(0 fixed\), 6 rejected  \[job 7, 
>~ ^host/ACCT\.dat: 443 records: 436 loaded \(0 fixed\), 7 rejected  \[job 18, 
>~ ^host/TXN_202610\.dat: 1,338 records: 1,287 loaded \(0 fixed\), 51 rejected  \[job 23, 
>~ ^total: 13,371 records: 12,981 loaded \(169 fixed\), 390 rejected$
# customers precede their accounts, accounts their transactions
$ rapport jobs --json | grep '"spec"' | tac | tr -d ' ,' | awk '{print NR": "$0}' | grep -E 'host-(cif|acct|txn)' | head -3
> 7: "spec":"host-cif"
> 18: "spec":"host-acct"
> 21: "spec":"host-txn"
# the manifest's count is what was loaded plus what was rejected
$ grep -o '"records": [0-9]*' bank/manifest.json | head -20 | awk -F': ' '{s+=$2} END {print s}'
>~ ^[0-9]+$
$ rapport query "SELECT sum(records), sum(rows_loaded) + sum(rows_rejected) FROM load_job" --csv | tail -1 | tr -d '\r'
> 13371,13371
# again: nothing to do, file by file
$ rapport load bank | sort | uniq -c | awk '{print $1}' | sort -u
> 1
$ rapport load bank | grep -c 'already loaded by job'
> 23
# a load killed like kill -9 in the middle of a batch resumes and loads nothing twice
$ rapport init --db k.db >/dev/null && rapport load --db k.db bank/host/BRANCH.dat bank/host/CIF.dat bank/host/ACCT.dat >/dev/null
$ { RAPPORT_TEST_KILL_AFTER=700 rapport load --db k.db --batch 100 bank/host/TXN_202609.dat; echo "exit $?"; } 2>/dev/null
> exit 137
$ rapport jobs --db k.db 4 --json | grep -E '"(status|records)"' | tr -d ' ,'
> "status":"interrupted"
> "records":600
$ rapport load --db k.db --batch 100 bank/host/TXN_202609.dat | head -1
>~ ^bank/host/TXN_202609\.dat: 1,336 records: 1,[0-9]{3} loaded \(0 fixed\), [0-9]+ rejected  \[job 4, .*, resumed\]$
$ rapport query --db k.db "SELECT count(*) = count(DISTINCT source_key) FROM txn" --csv | tail -1 | tr -d '\r'
> 1
$ rapport query --db k.db "SELECT count(*) FROM txn" --csv | tail -1 > a && rapport query "SELECT count(*) FROM txn WHERE job_id = 22" --csv | tail -1 > b && cmp a b && echo same
> same
# Ctrl-C: the record in hand is finished, what was read is committed, the job says so; the same command finishes it
$ rapport init --db c.db >/dev/null && rapport load --db c.db bank/host/BRANCH.dat bank/host/CIF.dat bank/host/ACCT.dat >/dev/null
$ RAPPORT_TEST_INTERRUPT_AFTER=500 rapport load --db c.db --batch 100 bank/host/TXN_202609.dat
? 1
>~ ^bank/host/TXN_202609\.dat: 500 records: [0-9]+ loaded \(0 fixed\), [0-9]+ rejected  \[job 4, 
>~ ^bank/host/TXN_202609\.dat: interrupted after record 500; run the same command again to finish$
! rapport: load: interrupted; what was committed stays, run the same command to finish
$ rapport jobs --db c.db 4 --json | grep -E '"(status|records|message)"' | tr -d ','
>     "status": "interrupted"
>     "records": 500
>     "message": "interrupted after record 500; run the load again to finish it"
$ rapport load --db c.db --batch 100 bank/host/TXN_202609.dat --json | grep -E '"(status|records|resumed_from)"' | tr -d ','
>     "status": "done"
>     "records": 1336
>     "resumed_from": 500
$ rapport query --db c.db "SELECT count(*) FROM txn" --csv | tail -1 > a && rapport query "SELECT count(*) FROM txn WHERE job_id = 22" --csv | tail -1 > b && cmp a b && echo same
> same
# watch: files arriving in an inbox are loaded and archived; what no spec reads goes to errors
$ mkdir inbox && cp bank/card/card_customers.csv bank/host/ACCT.cpy inbox/ && echo hello > inbox/notes.txt && touch -d '1 minute ago' inbox/*
$ rapport watch inbox --once
? 1
> card_customers.csv: already loaded by job 2 (same SHA-256); nothing to do
>   archived as archive/card_customers.csv
! rapport: watch: notes.txt: no spec reads this file; moved to errors/notes.txt
$ find archive errors inbox -type f | sort && cat errors/notes.txt.why
> archive/card_customers.csv
> errors/notes.txt
> errors/notes.txt.why
> inbox/ACCT.cpy
> no spec reads this file; load it with rapport load --spec FILE
