# load DIR: a manifest's record and byte counts are control totals (issue 21 item 11)
$ rapport init >/dev/null && rapport gen --customers 30 --months 1 --seed 3 --out bank >/dev/null
# the manifest says 30 log-ins where the file has 29, and 1,000 bytes of transactions where there are 14,208
$ awk '/"path": "online\/logins.jsonl"/ {f = 1} f && /"records"/ {sub(/[0-9]+/, "30"); f = 0} /"path": "host\/TXN_202610.dat"/ {g = 1} g && /"bytes"/ {sub(/[0-9]+/, "1000"); g = 0} {print}' bank/manifest.json > m && mv m bank/manifest.json
# with a maximum reject rate the file is one transaction: a count that differs commits nothing of it
$ rapport load --max-reject-rate 100% bank | grep -E '^(online/logins|host/TXN|total)'; exit ${PIPESTATUS[0]}
? 1
> total: 478 records: 457 loaded (11 fixed), 21 rejected
! rapport: load: online/logins.jsonl: manifest says 30 records, the file has 29; nothing was committed
! rapport: load: host/TXN_202610.dat: manifest says 1,000 bytes, the file has 14,208; nothing was loaded
$ rapport jobs --status failed --json | grep -E '"(job|status|records|message)"' | tr -d ','
>     "job": 21
>     "status": "failed"
>     "records": 0
>     "message": "host/TXN_202610.dat: manifest says 1000 bytes the file has 14208; nothing was loaded"
>     "job": 9
>     "status": "failed"
>     "records": 0
>     "message": "manifest says 30 records the file has 29; nothing was committed"
$ rapport query "SELECT count(*) FROM activity WHERE job_id = 9" --csv | tail -1 | tr -d '\r'
> 0
# without one, batches commit as they go: what loaded stays, and the job still ends failed with both numbers
$ rapport init --db b.db >/dev/null && rapport load --db b.db bank | grep -E '^(online/logins|host/TXN|total)'; exit ${PIPESTATUS[0]}
? 1
>~ ^online/logins\.jsonl: 29 records: 27 loaded \(0 fixed\), 2 rejected  \[job 9, 
>~ ^total: 507 records: 484 loaded \(11 fixed\), 23 rejected$
! rapport: load: online/logins.jsonl: manifest says 30 records, the file has 29; its batches were committed as they were read (there was no --max-reject-rate): what loaded stays
! rapport: load: host/TXN_202610.dat: manifest says 1,000 bytes, the file has 14,208; nothing was loaded
$ rapport jobs --db b.db 9 --json | grep -E '"(status|records|loaded)"' | tr -d ','
>     "status": "failed"
>     "records": 29
>     "loaded": 27
$ rapport query --db b.db "SELECT count(*) > 0 FROM activity WHERE job_id = 9" --csv | tail -1 | tr -d '\r'
> 1
# the same folder again: the file that failed fails the same way, the rest are no-ops
$ rapport load --db b.db bank 2>&1 >/dev/null | sed 's/(there was.*//'
> rapport: load: online/logins.jsonl: manifest says 30 records, the file has 29; its batches were committed as they were read 
> rapport: load: host/TXN_202610.dat: manifest says 1,000 bytes, the file has 14,208; nothing was loaded
# a manifest whose count is not a number is refused before anything is loaded
$ awk '/"path": "online\/logins.jsonl"/ {f = 1} f && /"records"/ {sub(/[0-9]+/, "\"thirty\""); f = 0} {print}' bank/manifest.json > m && mv m bank/manifest.json && rapport load --db b.db bank
? 1
! rapport: load: bank/manifest.json: files[11] (online/logins.jsonl).records: a count (a whole number, 0 or more) is needed
