# load: bad files and bad specs get exact messages; nothing half-written
$ rapport init >/dev/null && cp "$FIXTURES"/etl/* .
# a file that is mostly garbage, with a reject budget, commits nothing
$ rapport load --spec customers.json --max-reject-rate 0.5 customers_1.csv
? 1
! rapport: load: customers_1.csv: stopped: 5 of 6 records rejected (83.3%), more than the maximum of 50%; nothing was committed
$ rapport query "SELECT (SELECT count(*) FROM party), (SELECT count(*) FROM reject), (SELECT status FROM load_job)" --csv | tail -1 | tr -d '\r'
> 0,0,failed
$ rapport load --spec customers.json --max-reject-rate 2 customers_1.csv
? 1
! rapport: load: --max-reject-rate: '2' is not a share from 0 to 1 (or 0% to 100%)
# an empty file, a byte-order mark, invalid UTF-8, an unmatched quote: the rest of the file loads
$ rapport load --spec customers.json empty.csv
>~ ^empty\.csv: the file is empty; nothing to load  \[job 2\]$
$ rapport load --spec customers.json bom.csv
>~ ^bom\.csv: 1 records: 1 loaded \(0 fixed\), 0 rejected
$ rapport load --spec customers.json badutf8.csv --rejects r.csv
>~ ^badutf8\.csv: 2 records: 1 loaded \(0 fixed\), 1 rejected
$ tr -d '\r' < r.csv
> file,record,offset,field,value,rule,message
> badutf8.csv,1,54,,"K0201,陳\xff,,1970-01-01,,,,M",encoding,not UTF-8 at byte 9 of the record
$ rapport load --spec customers.json unmatched.csv --rejects r.csv
>~ ^unmatched\.csv: 2 records: 1 loaded \(0 fixed\), 1 rejected
$ tr -d '\r' < r.csv
> file,record,offset,field,value,rule,message
> unmatched.csv,2,84,,"K0302,""周六,,1971-01-01,,,,M",parse,field 2: unmatched quote: the file ends inside it
$ rapport query "SELECT name_zh FROM party ORDER BY id" --csv | tr -d '\r'
> name_zh
> 張三
> 趙四
> 孫五
# a host file whose last record is cut short, and a balance below its minimum
$ rapport load --spec fixed.json fixed.dat --rejects r.csv
>~ ^fixed\.dat: 4 records: 2 loaded \(0 fixed\), 2 rejected
$ tr -d '\r' < r.csv
> file,record,offset,field,value,rule,message
> fixed.dat,2,20,balance,-5.00,range,balance: -5.00 is below the minimum 0
> fixed.dat,4,60,,\xc6\xf0\xf0\xf0\xf0\xf4\xe2\xc8\xd6\xd9\xe3,length,truncated: 11 of 20 bytes
# a spec that names a column the file does not have: nothing is loaded
$ rapport load --spec missing_column.json customers_2.csv
? 1
! rapport: load: spec test-missing-column: fields[4] (mobile).from: no column 'cellphone' in the header of customers_2.csv (it has cust_id, name, id_no, birth, mobile, email, address, segment; a column files may lack is "may_be_absent": true)
$ rapport query "SELECT count(*) FROM party WHERE name_zh = '林志明'" --csv | tail -1 | tr -d '\r'
> 0
# a copybook with a usage the loader does not read
$ rapport load --spec accounts.json fixed.dat
? 1
! rapport: load: spec test-accounts: ./accounts.cpy:5: USAGE POINTER is not supported
# bad specs are refused before anything is read
$ echo '{"spec":"x","source":"s","format":"csv","header":true,"fields":[{"name":"a","from":"a"}],"targets":[{"entity":"parti"}]}' > bad.json && rapport load --spec bad.json customers_2.csv
? 1
! rapport: load: spec x: targets[0].entity: 'parti' is not one of party, identifier, contact, account, role, link, transaction, interaction, consent, activity, call, call_note, campaign, campaign_target, campaign_response, branch, product, statement, staff, do_not_contact, manager
$ echo '{"spec":"x","source":"s","format":"csv","header":true,"fields":[{"name":"a","from":"a"}],"targets":[{"entity":"party","key":"a","kind":"=person","colour":"a"}]}' > bad.json && rapport load --spec bad.json customers_2.csv
? 1
! rapport: load: spec x: targets[0] (party).colour: a party has no attribute 'colour' (it has key, kind, name_zh, name_latin, birth_date, gender, occupation, income_band, status, status_since, home_branch)
$ echo '{"spec":"x","source":"s","format":"csv","header":true,"fields":[{"name":"a","from":"a","type":"money"}],"targets":[{"entity":"party","key":"a","kind":"=person"}]}' > bad.json && rapport load --spec bad.json customers_2.csv
? 1
! rapport: load: spec x: fields[0] (a).type: 'money' is not one of text, name, address, phone, email, integer, amount, date, datetime, boolean, decimal
$ echo '{"spec":"x","source":"s","format":"csv","fields":[{"name":"a","from":"a"}],"targets":[{"entity":"party","key":"a","kind":"=person"}]}' > bad.json && rapport load --spec bad.json customers_2.csv
? 1
! rapport: load: spec x: fields[0] (a).from: the file has no header, so a column number (1, 2, ...) is needed
$ echo '{"spec":"x",' > bad.json && rapport load --spec bad.json customers_2.csv
? 1
! rapport: load: spec: bad.json:2:0: string or '}' expected near end of file
# files that are not there, or that no spec reads
$ rapport load nothing.csv
? 1
! rapport: load: nothing.csv: No such file or directory
$ rapport load customers_2.csv
? 1
! rapport: load: customers_2.csv: no shipped spec matches this file; name one with --spec FILE or --source NAME (rapport load --list-specs shows them)
$ rapport load --source nope customers_2.csv
? 1
!~ ^rapport: load: --source: no spec 'nope' ships with Rapport \(there are callcentre-calls, .*, online-users\)$
# issue 28 item 1: a header written with a blank after each comma is read by its names; a column the header
# lacks is an error even for an optional field (it is empty values that optional allows), unless the field
# says the column itself may be absent
$ printf 'rec_id, given_name, surname\nr1, Anna, Smith\n' > blanks.csv && printf '{"spec":"blanks","source":"b","format":"csv","header":true,"fields":[{"name":"id","from":"rec_id"},{"name":"given","from":"given_name","optional":true},{"name":"surname","from":"surname"}],"targets":[{"entity":"party","key":"id","kind":"=person","name_latin":"surname"}]}' > blanks.json && rapport load --spec blanks.json blanks.csv --preview 1 --json | python3 -c "import json, sys; print(json.load(sys.stdin)[0]['records'][0]['values'])"
> {'id': 'r1', 'given': 'Anna', 'surname': 'Smith'}
$ sed 's/"from":"given_name"/"from":"givenname"/' blanks.json > typo.json && rapport load --spec typo.json blanks.csv --preview 1
? 1
! rapport: load: spec blanks: fields[1] (given).from: no column 'givenname' in the header of blanks.csv (it has rec_id,  given_name,  surname; a column files may lack is "may_be_absent": true)
$ sed 's/"from":"given_name","optional":true/"from":"middle_name","optional":true,"may_be_absent":true/' blanks.json > absent.json && rapport load --spec absent.json blanks.csv --preview 1 --json | python3 -c "import json, sys; print(json.load(sys.stdin)[0]['records'][0]['values'])"
> {'id': 'r1', 'given': None, 'surname': 'Smith'}
# "on_invalid": "empty": an impossible birth date loads as none, counted as fixed (emptied), and the customer is not lost; a required field so emptied is still refused, saying why
$ printf 'id,name,birth\n1,Anna,1980-02-30\n2,Bob,1975-05-05\n' > bd.csv && printf '{"spec":"bd","source":"bd","format":"csv","header":true,"fields":[{"name":"id","from":"id"},{"name":"name","from":"name"},{"name":"birth","from":"birth","type":"date","on_invalid":"empty"}],"targets":[{"entity":"party","key":"id","kind":"=person","name_latin":"name","birth_date":"birth"}]}' > bd.json && rapport load --spec bd.json bd.csv | sed 's/\[job.*//' && rapport query "SELECT name_latin, birth_date FROM party WHERE name_latin IN ('Anna', 'Bob') ORDER BY 1" --csv | tr -d '\r'
> bd.csv: 2 records: 2 loaded (1 fixed), 0 rejected  
>   fixed     emptied        birth                  1
> total: 2 records: 2 loaded (1 fixed), 0 rejected
> name_latin,birth_date
> Anna,
> Bob,1975-05-05
$ sed 's/"on_invalid":"empty"/"on_invalid":"empty","required":true/' bd.json > bd2.json && rapport load --spec bd2.json bd.csv --preview 1 --json | python3 -c "import json, sys; print(json.load(sys.stdin)[0]['records'][0]['rejected']['message'])"
> birth: required (emptied: birth: invalid date '1980-02-30': no such date)
$ sed 's/"on_invalid":"empty"/"on_invalid":"blank"/' bd.json > bd3.json && rapport load --spec bd3.json bd.csv --preview 1
? 1
! rapport: load: spec bd: fields[2] (birth).on_invalid: 'empty' (a value refused is no value, counted) or 'reject' (the record is refused: the default) is needed
