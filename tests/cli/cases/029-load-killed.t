# a killed load is shown as interrupted, not running, and the next load of the file resumes it (issue 21 item 12)
$ rapport init >/dev/null && rapport gen --customers 300 --months 3 --seed 11 --out bank >/dev/null && rapport load bank/host/BRANCH.dat bank/host/CIF.dat bank/host/ACCT.dat >/dev/null
# a load frozen after record 700 (batches of 100: 600 committed) is running while its process is there:
# it is listed so, and the same file is refused; then kill -9, and it is interrupted
$ RAPPORT_TEST_STOP_AFTER=700 rapport load --batch 100 bank/host/TXN_202609.dat >load.out 2>&1 & p=$!; for i in $(seq 300); do [ "$(cut -d' ' -f3 /proc/$p/stat 2>/dev/null)" = T ] && break; sleep 0.1; done; rapport jobs 4 --json | grep -E '"(status|records)"' | tr -d ' ,'; rapport load bank/host/TXN_202609.dat; echo "load: exit $?"; kill -9 $p; wait $p; echo "killed: exit $?"
> "status":"running"
> "records":600
> load: exit 1
> killed: exit 137
!~ ^rapport: load: bank/host/TXN_202609\.dat: job 4 is loading this file now \(process [0-9]+\)$
!~ Killed
$ rapport jobs 4 --json | grep -E '"(status|records|message)"' | tr -d ',' | sed 's/process ([0-9]* on [^)]*)/process (PID on HOST)/'
>     "status": "interrupted"
>     "records": 600
>     "message": "interrupted: its process (PID on HOST) ended before the job did; the last committed batch ends at record 600: load the same file again to go on from there"
$ rapport jobs --status interrupted | sed 's/([0-9]* on [^)]*)/(PID on HOST)/' | cut -c1-41 | sed 's/ *$//'
> job  state        spec      file
> 4    interrupted  host-txn  bank/host/TXN
>   interrupted: its process (PID on HOST)
$ rapport jobs --status running --json
> []
$ rapport jobs --status stopped
? 1
! rapport: jobs: --status: 'stopped' is not one of running, done, failed, interrupted
# the next load of the same file goes on from the last committed batch, as before
$ rapport load --batch 100 bank/host/TXN_202609.dat | head -1
>~ ^bank/host/TXN_202609\.dat: 1,336 records: 1,[0-9]{3} loaded \(0 fixed\), [0-9]+ rejected  \[job 4, .*, resumed\]$
$ rapport jobs 4 --json | grep -E '"(status|records)"' | tr -d ' ,'
> "status":"done"
> "records":1336
