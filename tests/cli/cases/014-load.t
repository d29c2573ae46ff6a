# load: a customer list with a spec, with fixes, rejects per rule, and a reload that does nothing
$ rapport init >/dev/null && cp "$FIXTURES"/etl/* .
$ rapport load --spec customers.json customers_1.csv --rejects rejects.csv
>~ ^customers_1\.csv: 6 records: 1 loaded \(1 fixed\), 5 rejected  \[job 1, [0-9.]+ s, [0-9,]+ records/s\]$
>~ ^  rejected  checksum       id_no                  1$
>~ ^  rejected  columns        \(record\)               1$
>~ ^  rejected  date           birth                  1$
>~ ^  rejected  duplicate      cust_id                1$
>~ ^  rejected  phone          mobile                 1$
>~ ^  fixed     clean_address  address                1$
>~ ^  fixed     clean_name     name                   1$
>~ ^  fixed     clean_phone    mobile                 1$
$ tr -d '\r' < rejects.csv
> file,record,offset,field,value,rule,message
> customers_1.csv,2,175,id_no,B23****804,checksum,id_no: 'B23****804' is not a valid national ID
> customers_1.csv,3,283,birth,1975-02-30,date,birth: invalid date '1975-02-30': no such date
> customers_1.csv,4,375,mobile,1***5,phone,mobile: invalid phone '1***5': missing area code or country code
> customers_1.csv,5,476,,"K0005,李大同,,1968-07-07,095****777,l***@example,臺南市東",columns,"the record has 9 fields, the header 8 (a delimiter inside an unquoted field?)"
> customers_1.csv,6,565,cust_id,K0001,duplicate,"the record with key 'K0001' came before, at record 1"
# what was fixed is stored fixed: 陳 怡君 -> 陳怡君, 台北 -> 臺北, full-width digits, E.164
$ rapport query "SELECT p.name_zh, c.kind, c.value FROM party p JOIN contact_point c ON c.party_id = p.id ORDER BY c.id" --csv | tr -d '\r'
> name_zh,kind,value
> 陳怡君,mobile,+886912345678
> 陳怡君,email,YICHUN@EXAMPLE.COM
> 陳怡君,address,臺北市大安區復興南路一段12號
# the same file again is a no-op that says so
$ rapport load --spec customers.json customers_1.csv
> customers_1.csv: already loaded by job 1 (same SHA-256); nothing to do
# the next extract updates K0001 (history kept) and brings K0002 with its ID corrected
$ rapport load --spec customers.json customers_2.csv
>~ ^customers_2\.csv: 2 records: 2 loaded \(0 fixed\), 0 rejected
$ rapport query "SELECT entity, entity_id, attribute, old_value, new_value FROM attribute_history" --csv | tr -d '\r'
> entity,entity_id,attribute,old_value,new_value
> party,1,income_band,private,mass
$ rapport query "SELECT kind, value, valid_to FROM contact_point WHERE party_id = 1 ORDER BY id" --csv | tr -d '\r'
> kind,value,valid_to
> mobile,+886912345678,2026-11-23
> email,YICHUN@EXAMPLE.COM,
> address,臺北市大安區復興南路一段12號,2026-11-23
> mobile,+886987654321,
> address,臺北市信義區松仁路100號,
$ rapport customer show K0002 | head -3
>~ 林志明
# the steward lists the open rejects, exports them, corrects one and re-submits
$ rapport rejects --rule checksum --csv | tr -d '\r'
> job,file,record,offset,field,value,rule,message,status
> 1,customers_1.csv,2,175,id_no,B23****804,checksum,id_no: 'B23****804' is not a valid national ID,open
$ rapport rejects export 1 --out fix.csv --reason "correct the bad dates" && sed -i 's/1975-02-30/1975-02-28/; s/,12345,/,0944555666,/' fix.csv && wc -l < fix.csv
> wrote fix.csv: 5 open rejected records of job 1, in the file's own format
> 6
$ rapport rejects resubmit 1 fix.csv
>~ ^job 1 re-submitted: 5 records: 2 loaded \(0 fixed\), 3 rejected  \[job 3, 
# K0003's date and K0004's phone were corrected, but K0004 also has segment X and comes back;
# the duplicate of K0001 is, on its own, an update that changes nothing
$ rapport query "SELECT record, status, resolved_by_job FROM reject WHERE job_id = 1 ORDER BY record" --csv | tr -d '\r'
> record,status,resolved_by_job
> 2,resubmitted,3
> 3,loaded,3
> 4,resubmitted,3
> 5,resubmitted,3
> 6,loaded,3
$ rapport query "SELECT record, field, rule FROM reject WHERE job_id = 3 ORDER BY record" --csv | tr -d '\r'
> record,field,rule
> 1,id_no,checksum
> 3,segment,code
> 4,,columns
$ rapport customer show K0003 | head -3
>~ 黃, 美玲|黃,美玲
# jobs lists every load with its counts
$ rapport jobs --json | grep -E '"(job|status|records|loaded|rejected)"' | tr -d ' ,'
> "job":3
> "status":"done"
> "records":5
> "loaded":2
> "rejected":3
> "job":2
> "status":"done"
> "records":2
> "loaded":2
> "rejected":0
> "job":1
> "status":"done"
> "records":6
> "loaded":1
> "rejected":5
# one job with its counts rule by rule
$ rapport jobs 1 | tail -n +3
>~ ^  rejected  checksum       id_no                  1$
>~ ^  fixed     clean_phone    mobile                 1$
# what will never load is dismissed, with who and why; it leaves the open list
$ rapport rejects dismiss 3 --rule columns --reason "李大同's record is garbled at the source; the branch re-keys it"
> dismissed 1 reject of job 3
$ rapport query "SELECT record, status, resolved_by, note FROM reject WHERE job_id = 3 AND rule = 'columns'" --csv | tr -d '\r'
> record,status,resolved_by,note
> 4,dismissed,tester,李大同's record is garbled at the source; the branch re-keys it
$ rapport rejects dismiss 3 --rule columns --reason again
? 1
! rapport: rejects dismiss: job 3 has no open reject by rule columns
$ rapport rejects dismiss 3 --record 1
? 1
! rapport: rejects dismiss: --reason is required: say why the records will not be loaded
