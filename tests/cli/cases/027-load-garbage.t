# load: a file where nothing loads is not done; bytes from a file never drive the terminal (issue 21 item 11)
$ rapport init >/dev/null && cp "$FIXTURES"/etl/* .
# binary garbage given to a CSV spec: its header row cannot be read, so the file fails cleanly (it ended in
# "UNIQUE constraint failed: reject.job_id, reject.record": the bad header and the next row were both record 1)
$ printf '\xff\n"' > f.csv && rapport load --spec customers.json f.csv
? 1
! rapport: load: f.csv: the header row cannot be read (not UTF-8 at byte 0 of the record), and without it no column can be found: is this the right spec / code page?
$ rapport jobs 1 --json | grep -E '"(status|message)"' | tr -d ','
>     "status": "failed"
>     "message": "f.csv: the header row cannot be read (not UTF-8 at byte 0 of the record) and without it no column can be found: is this the right spec / code page?"
# the same bytes to the shipped CP950 card spec: its one record is rejected, and the job fails
$ rapport load --source card-customers f.csv
? 1
>~ ^f\.csv: 1 records: 0 loaded \(0 fixed\), 1 rejected  \[job 2, 
>~ ^  rejected  parse          \(record\)               1$
! rapport: load: f.csv: its one record was rejected: is this the right spec / code page?
# UTF-16 (another code page): nothing loads, the job says why
$ iconv -f UTF-8 -t UTF-16 customers_2.csv > u16.csv && rapport load --spec customers.json u16.csv
? 1
! rapport: load: u16.csv: the header row cannot be read (not UTF-8 at byte 0 of the record), and without it no column can be found: is this the right spec / code page?
# a file whose every record is rejected: its counts and rejects are kept (they say why), the job fails, exit 1
$ printf 'cust_id,name,id_no,birth,mobile,email,address,segment\nX1,a,,,,,,\nX2,b,,,,,,\n' > all.csv && rapport load --spec customers.json all.csv
? 1
>~ ^all\.csv: 2 records: 0 loaded \(0 fixed\), 2 rejected  \[job 4, 
>~ ^  rejected  pattern        cust_id                2$
! rapport: load: all.csv: every one of 2 records was rejected: is this the right spec / code page?
$ rapport jobs --status failed --json | grep -c '"status": "failed"'
> 4
$ rapport query "SELECT count(*) FROM reject WHERE job_id = 4" --csv | tail -1 | tr -d '\r'
> 2
# a record with a quote out of place that is not UTF-8 either: one reject that gives both reasons
$ printf 'cust_id,name,id_no,birth,mobile,email,address,segment\nK0202,OK,,1980-01-01,,,,M\nK0201,"\xff\n' > both.csv && rapport load --spec customers.json both.csv --rejects r.csv >/dev/null && tr -d '\r' < r.csv
> file,record,offset,field,value,rule,message
> both.csv,2,80,,"K0201,""\xff",parse,field 2: unmatched quote: the file ends inside it; not UTF-8 at byte 7 of the record either
# escape sequences and bytes that are not UTF-8, in a file's name and records: shown as \x1b, never obeyed
$ printf 'cust_id,name,id_no,birth,mobile,email,address,segment\nK0301,OK,,\033[2J1980-01-01,,,,M\nK0302,OK,,1980-01-01,,,,M\n' > "$(printf 'esc\033[31m\xff.csv')" && rapport load --spec customers.json esc*.csv
>~ ^esc\\x1b\[31m\\xff\.csv: 2 records: 1 loaded \(0 fixed\), 1 rejected
>~ ^total: 2 records
$ rapport rejects --job 6
>~ ^job +file +record +field +value +rule +message +status$
>~ ^6 +esc\\x1b\[31m\\xff\.csv +1 +birth +\\x1b\[2J1\*+-01 +date +birth: invalid date '\\x1b\[2J1\*+-01': expected
$ { rapport rejects; rapport rejects --csv; rapport jobs; rapport jobs --json; rapport rejects --json; } | grep -c "$(printf '\033')"
? 1
> 0
$ rapport query "SELECT file FROM load_job WHERE id = 6" --csv | tail -1 | tr -d '\r'
> esc\x1b[31m\xff.csv
# two transactions of one record repeated when the batch is written: one reject giving both reasons (it ended in
# "UNIQUE constraint failed: reject.job_id, reject.record"), and the record counted once
$ rapport import "$FIXTURES"/bank.json >/dev/null && echo '{"spec":"two","source":"card","format":"csv","header":true,"fields":[{"name":"account","from":"account"},{"name":"posted","from":"posted"},{"name":"amount","from":"amount","type":"amount"},{"name":"ref","from":"ref"},{"name":"fee","from":"fee","type":"amount"},{"name":"fee_ref","concat":["ref","=F"]}],"targets":[{"entity":"transaction","account":{"number":"account"},"posted_at":"posted","amount":"fee","channel":"=branch","class":"=fee","key":"fee_ref"},{"entity":"transaction","account":{"number":"account"},"posted_at":"posted","amount":"amount","channel":"=atm","class":"=withdrawal","key":"ref"}]}' > two.json
$ printf 'account,posted,amount,ref,fee\n0012-100-000001,2026-11-02T09:00:00+08:00,-100.00,T1,-15.00\n' > t1.csv && sed '$a0012-100-000001,2026-11-03T09:00:00+08:00,-50.00,T2,-15.00' t1.csv > t2.csv && rapport load --spec two.json t1.csv >/dev/null && rapport load --spec two.json t2.csv --rejects r.csv
>~ ^t2\.csv: 2 records: 1 loaded \(0 fixed\), 1 rejected  \[job 9, 
>~ ^  rejected  duplicate      transaction            1$
$ tr -d '\r' < r.csv
> file,record,offset,field,value,rule,message
> t2.csv,1,30,transaction,,duplicate,transaction: card record 'T1F' was already loaded; transaction: card record 'T1' was already loaded
# a re-submission whose records are all rejected again is no wrong file: the rejects become resubmitted
$ rapport rejects resubmit 4
>~ ^job 4 re-submitted: 2 records: 0 loaded \(0 fixed\), 2 rejected  \[job 10, 
>*
$ rapport rejects --job 4 --all --csv | cut -d, -f3,9 | tr -d '\r'
> record,status
> 1,resubmitted
> 2,resubmitted
# what sources wrote, on the customer screen and in messages about arguments: shown, never obeyed
$ rapport customer note 0012-100-000001 --channel phone --direction inbound --text "$(printf 'hi\033[31mred')" >/dev/null && rapport customer show 0012-100-000001 | grep -F 'hi\x1b[31mred' | sed 's/^ *//'
> hi\x1b[31mred
$ rapport customer show 0012-100-000001 | grep -c "$(printf '\033')"
? 1
> 0
$ rapport jobs "$(printf '\033[2J')"
? 1
! rapport: jobs: '\x1b[2J' is not a job number
