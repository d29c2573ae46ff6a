# issue 27 item 1 (the elementary items), 2 and 3: the COBOL record dialect banks' copybooks use, read from
# a host file written byte by byte by tests/fixtures/etl/host_dialect.py (fixed format with sequence
# numbers and change marks in columns 1-6, a tab, no final period; 25 and 38 digits, packed and zoned; an
# explicit decimal point, an overpunched sign after it, zero suppression with a trailing sign, a leading
# separate sign, P scaling, IBM hexadecimal floating point); `rapport copybook` shows the layout as a
# programmer reads a compiler's map; `rapport load --preview` decodes the first records and writes nothing;
# RECFM=VB with block descriptor words.
$ cp "$FIXTURES"/etl/host-dialect*.json . && python3 "$FIXTURES"/etl/host_dialect.py && rapport copybook HOST.cpy
> HOST.cpy: record HOST-REC, 97 bytes, 9 fields
> LVL  NAME         PICTURE      USAGE    START  END  LENGTH  OCCURS
> 01   HOST-REC                           1      97   97
> 05     CUST-NAME  X(10)        DISPLAY  1      10   10
> 05     BIG-ID     9(25)        DISPLAY  11     35   25
> 05     BIG-AMT    S9(30)V9(8)  COMP-3   36     55   20
> 05     PT         9(8).9(2)    DISPLAY  56     66   11
> 05     SPT        S9(3).99     DISPLAY  67     72   6
> 05     ED         ZZ,ZZ9.99-   DISPLAY  73     82   10
> 05     LSEP       S9(3)        DISPLAY  83     86   4
> 05     HUN        9(3)PP       DISPLAY  87     89   3
> 05     F2                      COMP-2   90     97   8
$ rapport copybook --json HOST.cpy | python3 -c "import json, sys; m = json.load(sys.stdin); f = {x['name']: x for x in m['fields']}; print(m['length'], len(m['items']), f['BIG-AMT']['kind'], f['BIG-AMT']['digits'], f['BIG-AMT']['scale'], f['LSEP']['sign'], f['HUN']['scale'], f['F2']['kind'], f['ED']['kind'], m['items'][3]['start'], m['items'][3]['end'])"
> 97 10 packed 38 8 leading separate -2 float edited 36 55
# an item in an OCCURS is listed once, its end that of the last occurrence; a REDEFINES says what it redefines
$ printf '       01 ORDER-REC.\n          05 ORD-LINE OCCURS 3 TIMES.\n             10 LINE-QTY PIC S9(4) COMP.\n          05 ORD-DATE PIC 9(8).\n          05 ORD-DATE-R REDEFINES ORD-DATE.\n             10 ORD-YYYY PIC 9(4).\n' > order.cpy && rapport copybook order.cpy
> order.cpy: record ORDER-REC, 14 bytes, 5 fields
> LVL  NAME                             PICTURE  USAGE    START  END  LENGTH  OCCURS
> 01   ORDER-REC                                          1      14   14
> 05     ORD-LINE                                         1      6    2       3
> 10       LINE-QTY                     S9(4)    COMP     1      2    2
> 05     ORD-DATE                       9(8)     DISPLAY  7      14   8
> 05     ORD-DATE-R REDEFINES ORD-DATE                    7      10   4
> 10       ORD-YYYY                     9(4)     DISPLAY  7      10   4
# what it cannot read is named by its line
$ printf '       01 R.\n          05 A PIC 9(3)K.\n' > bad.cpy && rapport copybook bad.cpy
? 1
! rapport: copybook: bad.cpy:2: picture '9(3)K' has a symbol COBOL does not know
$ rapport copybook nothere.cpy
? 1
!~ ^rapport: copybook: nothere.cpy: .*No such file or directory
# the preview: the spec's values, and every copybook field as decoded; no store is opened, nothing is written
$ rapport load --spec host-dialect.json HOST.dat --preview 5
> HOST.dat (spec test-host-dialect): the first 2 records, nothing loaded
> record 1 (offset 0, 97 bytes)
>   name  CHEN MEI
>   big   1234567890123456789012345
>   huge  123456789012345678901234567890.12345678
>   pt    1234.56
>   spt   -123.41
>   ed    -1234.50
>   lsep  -42
>   hun   12300
>   f2    -0.1
>   as the copybook reads it:
>     CUST-NAME  CHEN MEI
>     BIG-ID     1234567890123456789012345
>     BIG-AMT    123456789012345678901234567890.12345678
>     PT         1234.56
>     SPT        -123.41
>     ED         -1234.50
>     LSEP       -42
>     HUN        12300
>     F2         -0.1
> record 2 (offset 97, 97 bytes)
>   name  LIN WEI
>   big   42
>   huge  -0.00000150
>   pt    0.00
>   spt   1.00
>   ed    0.05
>   lsep  7
>   hun   0
>   f2    100
>   as the copybook reads it:
>     CUST-NAME  LIN WEI
>     BIG-ID     42
>     BIG-AMT    -0.00000150
>     PT         0.00
>     SPT        1.00
>     ED         0.05
>     LSEP       7
>     HUN        0
>     F2         100
$ ls rapport.db 2>&1 | sed 's/.*No such file.*/nothing written/'
> nothing written
$ rapport load --spec host-dialect.json HOST.dat --preview 1 --json | python3 -c "import json, sys; r = json.load(sys.stdin)[0]['records']; print(len(r), r[0]['values']['lsep'], r[0]['values']['huge'], r[0]['rejected'], r[0]['copybook']['HUN'])"
> 1 -42 123456789012345678901234567890.12345678 None 12300
$ rapport load --spec host-dialect.json HOST.dat --preview 0
? 1
! rapport: load: --preview: '0' is not a number of records from 1 to 100000
# loaded: a 25-digit number is the party's key exactly
$ rapport init > /dev/null && rapport load --spec host-dialect.json HOST.dat | head -1 | sed 's/\[job.*//' && rapport query "SELECT source_key FROM source_record ORDER BY 1" --csv | tr -d '\r'
> HOST.dat: 2 records: 2 loaded (0 fixed), 0 rejected  
> source_key
> 1234567890123456789012345
> 42
# 38 digits where an amount is wanted: refused by name, the record kept as a reject; so is a number with more decimals than the currency
$ rapport load --spec host-dialect-amounts.json HOST.dat 2>/dev/null | tail -1; rapport rejects --csv | cut -d, -f3,5,7- | tr -d '\r'
> total: 2 records: 0 loaded (0 fixed), 2 rejected
> record,field,rule,message,status
> 1,huge,number,huge: 123*********************************678 has more digits than an amount holds (18); a decimal field keeps it exactly,open
> 2,huge,amount,huge: -0.*****150 has more decimals than the currency,open
# the same records as RECFM=VB with block descriptor words (an empty block, an extended BDW): the same values
$ for f in host-dialect.json:HOST.dat host-dialect-vb.json:HOST.vb; do rapport load --spec ${f%%:*} ${f#*:} --preview 5 --json | python3 -c "import json, sys; print([(r['record'], r['values']) for r in json.load(sys.stdin)[0]['records']])" > ${f#*:}.values; done; cmp HOST.dat.values HOST.vb.values && wc -l < HOST.vb.values && rapport load --spec host-dialect-vb.json HOST.vb | head -1 | sed 's/\[job.*//' && rapport query "SELECT count(*) FROM party" --csv | tail -1 | tr -d '\r'
> 1
> HOST.vb: 2 records: 2 loaded (0 fixed), 0 rejected  
> 2
$ sed 's/"VB"/"U"/' host-dialect-vb.json > u.json && rapport load --spec u.json HOST.vb --preview 1
? 1
! rapport: load: spec test-host-vb: recfm: 'U' is not one of F, FB, V, VB (VBS and U records are not read)
$ sed 's/"recfm": "VB"/"recfm": "FB"/' host-dialect-vb.json > fb.json && rapport load --spec fb.json HOST.vb --preview 1
? 1
! rapport: load: spec test-host-vb: block_descriptors: only variable records (recfm V or VB, format rdw) have them
# OCCURS 0 TO 4 DEPENDING ON: each record as long as its count makes it (RECFM=VB), the name after the array found where the count puts it
$ cp "$FIXTURES"/etl/customers-odo.json . && rapport copybook CUSTOMERS.cpy
> CUSTOMERS.cpy: record CUST-REC, up to 70 bytes, 11 fields (OCCURS DEPENDING ON: what follows an array moves with its count; the map shows the most)
> LVL  NAME          PICTURE   USAGE    START  END  LENGTH  OCCURS
> 01   CUST-REC                         1      70   70
> 05     CUST-ID     X(6)      DISPLAY  1      6    6
> 05     N-ACCT      9(2)      DISPLAY  7      8    2
> 05     ACCT                           9      60   13      0 TO 4 DEPENDING ON N-ACCT
> 10       ACCT-NO   X(8)      DISPLAY  9      16   8
> 10       ACCT-BAL  S9(7)V99  COMP-3   17     21   5
> 05     CUST-NAME   X(10)     DISPLAY  61     70   10
$ rapport load --spec customers-odo.json CUSTOMERS.dat --preview 5 --json | python3 -c "import json, sys; [print(r['length'], r['values']) for r in json.load(sys.stdin)[0]['records']]"
> 44 {'id': 'C00001', 'accounts': 2, 'first': 'ACCT0001', 'first_balance': '1234.56', 'fourth_balance': None, 'name': 'CHEN MEI'}
> 18 {'id': 'C00002', 'accounts': 0, 'first': None, 'first_balance': None, 'fourth_balance': None, 'name': 'LIN WEI'}
> 70 {'id': 'C00003', 'accounts': 4, 'first': 'A1', 'first_balance': '0.01', 'fourth_balance': '999999.99', 'name': 'WANG HUA'}
$ rapport load --spec customers-odo.json CUSTOMERS.dat | head -1 | sed 's/\[job.*//' && rapport query "SELECT p.name_latin FROM party p JOIN source_record s ON s.entity = 'party' AND s.entity_id = p.id WHERE s.source_key LIKE 'C0000%' ORDER BY 1" --csv | tr -d '\r'
> CUSTOMERS.dat: 3 records: 3 loaded (0 fixed), 0 rejected  
> name_latin
> CHEN MEI
> LIN WEI
> WANG HUA
# a count past the OCCURS, or a record shorter than its count makes it: the record is a reject that says so
$ python3 -c "import sys; b = open('CUSTOMERS.dat', 'rb').read(); r = b[4:48]; bad = r[:7] + b'\xf5' + r[8:]; sys.stdout.buffer.write(b'\x00\x30\x00\x00' + bad + b'\x00\x2c\x00\x00' + r[:40])" > bad.dat && rapport load --spec customers-odo.json bad.dat --preview 5 --json | python3 -c "import json, sys; [print(r['rejected']['rule'], r['rejected']['message']) for r in json.load(sys.stdin)[0]['records']]"
> occurs layout CUST-REC: N-ACCT: 5 is not from 0 to 4, the OCCURS of ACCT
> occurs layout CUST-REC: the record is 40 bytes; its counts make it 44
# the data steward's screen, through the API: the layout of an uploaded copybook, a sample decoded (the
# same values as --preview), nothing loaded; the spec's copybook must be the upload, never a file of the server's
$ echo 'a long password 1' | rapport user add stew --role steward > /dev/null && (timeout 60 rapport serve --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done && P=http://127.0.0.1:$(cat port)/api/v1 && curl -s -c jar -H 'Content-Type: application/json' -d '{"name":"stew","password":"a long password 1"}' $P/session | sed 's/.*"csrf":"\([^"]*\)".*/\1/' > csrf && post() { curl -s -b jar -H "X-CSRF-Token: $(cat csrf)" -H 'Content-Type: application/json' -d @$2 $P/$1; } && python3 -c "import json; print(json.dumps({'copybook': open('CUSTOMERS.cpy').read(), 'name': 'CUSTOMERS.cpy'}))" > b1.json && post copybooks/layout b1.json | python3 -c "import json, sys; m = json.load(sys.stdin); print(m['record'], m['length'], m['variable'], m['items'][3]['depending_on'])" && python3 -c "import json, base64; print(json.dumps({'spec': json.load(open('customers-odo.json')), 'copybook': open('CUSTOMERS.cpy').read(), 'sample': base64.b64encode(open('CUSTOMERS.dat', 'rb').read()).decode(), 'records': 3}))" > b2.json && post load/preview b2.json | python3 -c "import json, sys; [print(r['values']['name'], r['values']['fourth_balance']) for r in json.load(sys.stdin)['records']]" && python3 -c "import json; print(json.dumps({'spec': dict(json.load(open('customers-odo.json')), copybook='/etc/passwd'), 'copybook': 'x', 'sample': ''}))" > b3.json && post load/preview b3.json; printf '{"copybook":"01 R.\\n 05 A PIC 9(3)K.\\n","name":"bad.cpy"}' > b4.json && post copybooks/layout b4.json; kill $(cat pid)
> CUST-REC 70 True N-ACCT
> CHEN MEI None
> LIN WEI None
> WANG HUA 999999.99
> {"error":{"code":"invalid","message":"spec: copybook: '/etc/passwd' is not a plain file name (the uploaded copybook is it)","member":"spec"}}
> {"error":{"code":"invalid","message":"bad.cpy:2: picture '9(3)K' has a symbol COBOL does not know"}}
# a copybook of several records: each shown; a spec reads one of them by name ("record"), and must name it
$ printf '       01 HDR.\n          05 H-TYPE PIC X.\n          05 H-DATE PIC 9(8).\n       01 DTL REDEFINES HDR.\n          05 D-TYPE PIC X.\n          05 D-AMT PIC S9(5)V99 COMP-3.\n' > multi.cpy && rapport copybook multi.cpy
> multi.cpy: record HDR, 9 bytes, 2 fields
> LVL  NAME      PICTURE  USAGE    START  END  LENGTH  OCCURS
> 01   HDR                         1      9    9
> 05     H-TYPE  X        DISPLAY  1      1    1
> 05     H-DATE  9(8)     DISPLAY  2      9    8
>
> multi.cpy: record DTL, 5 bytes, 2 fields
> LVL  NAME      PICTURE   USAGE    START  END  LENGTH  OCCURS
> 01   DTL                          1      5    5
> 05     D-TYPE  X         DISPLAY  1      1    1
> 05     D-AMT   S9(5)V99  COMP-3   2      5    4
$ printf '\xc4\x01\x23\x45\x6c\xc4\x00\x00\x50\x0d' > dtl.dat && printf '{"spec":"dtl","source":"t","recfm":"FB","encoding":"IBM-037","copybook":"multi.cpy","fields":[{"name":"type","from":"D-TYPE"},{"name":"amount","from":"D-AMT","type":"amount"}],"targets":[{"entity":"party","key":"type","kind":"=person"}]}' > dtl.json && rapport load --spec dtl.json dtl.dat --preview 2
? 1
! rapport: load: spec dtl: copybook: multi.cpy describes 2 records (HDR, DTL): name the one this spec reads with "record", or tell them apart with "segments"
$ sed 's/"copybook":"multi.cpy"/"copybook":"multi.cpy","record":"DTL"/' dtl.json > dtl2.json && rapport load --spec dtl2.json dtl.dat --preview 2 --json | python3 -c "import json, sys; print([r['values'] for r in json.load(sys.stdin)[0]['records']])"
> [{'type': 'D', 'amount': '1234.56'}, {'type': 'D', 'amount': '-5.00'}]
$ sed 's/"copybook":"multi.cpy"/"copybook":"multi.cpy","record":"TRL"/' dtl.json > dtl3.json && rapport load --spec dtl3.json dtl.dat --preview 2
? 1
! rapport: load: spec dtl: record: 'TRL' is not a record of multi.cpy (it has HDR, DTL)
# segments: a batch file of three kinds of record told apart by REC-TYPE (BATCH.cpy: a header with the business
# date, customer details with an amount, a trailer with their count and sum); a detail's target sees its
# header's date; the trailer's count and sum are checked; a load killed in the middle goes on from its
# checkpoint with the header it had
$ cp "$FIXTURES"/etl/batch-segments.json . && rapport load --spec batch-segments.json BATCH.dat --preview 3 | head -11
> BATCH.dat (spec test-batch-segments): the first 3 records, nothing loaded
> record 1 (offset 0, 13 bytes, BATCH-HEADER)
>   key
>   name
>   business_date  2026-10-31
>   count
>   as the copybook reads it:
>     REC-TYPE    H
>     HDR-DATE    20261031
>     HDR-BRANCH  0101
> record 2 (offset 17, 34 bytes, BATCH-DETAIL)
$ rapport init --db b.db > /dev/null && rapport load --db b.db --spec batch-segments.json BATCH.dat | head -1 | sed 's/\[job.*//' && rapport query --db b.db "SELECT s.source_key, p.name_latin, p.status_since FROM party p JOIN source_record s ON s.entity = 'party' AND s.entity_id = p.id ORDER BY 1" --csv | tr -d '\r' | tee b.csv
> BATCH.dat: 14 records: 14 loaded (0 fixed), 0 rejected  
> source_key,name_latin,status_since
> K0000001,CHEN MEI,2026-10-31
> K0000002,LIN WEI,2026-10-31
> K0000003,WANG HUA,2026-10-31
> K0000004,LEE MIN,2026-10-31
> K0000005,HUANG YU,2026-10-31
> K0000006,WU TING,2026-10-31
> K0000009,TSAI HAO,2026-11-30
> K0000010,YANG LI,2026-11-30
> K0000011,HSU AN,2026-11-30
> K0000012,CHANG PO,2026-11-30
$ rapport init --db k.db > /dev/null && { RAPPORT_TEST_KILL_AFTER=11 rapport load --db k.db --batch 2 --spec batch-segments.json BATCH.dat; echo "exit $?"; } 2>/dev/null; rapport load --db k.db --batch 2 --spec batch-segments.json BATCH.dat | head -1 | sed 's/ \[job 1, .*, resumed\]/ resumed/' && rapport query --db k.db "SELECT s.source_key, p.name_latin, p.status_since FROM party p JOIN source_record s ON s.entity = 'party' AND s.entity_id = p.id ORDER BY 1" --csv | tr -d '\r' > k.csv && cmp k.csv b.csv && echo the same
> exit 137
> BATCH.dat: 14 records: 14 loaded (0 fixed), 0 rejected  resumed
> the same
$ rapport init --db c.db > /dev/null && rapport load --db c.db --spec batch-segments.json BATCH-SHORT.dat > /dev/null
? 1
! rapport: load: BATCH-SHORT.dat: record 7, the trailer: TRL-COUNT says 6 BATCH-DETAIL records, the file has 5 since the last trailer; what came before it stays loaded
$ rapport init --db s.db > /dev/null && rapport load --db s.db --spec batch-segments.json BATCH-SUM.dat > /dev/null
? 1
! rapport: load: BATCH-SUM.dat: record 8, the trailer: TRL-TOTAL says 1507.50, the BATCH-DETAIL records' DTL-AMOUNT add up to 1506.50 since the last trailer; what came before it stays loaded
$ python3 -c "import json; d = json.load(open('batch-segments.json')); del d['targets'][0]['record']; print(json.dumps(d))" > nore.json && rapport load --spec nore.json BATCH.dat --preview 1
? 1
! rapport: load: spec test-batch-segments: targets[0] (party).record: with segments, each target names the record it is written from
$ sed 's/"D": "BATCH-DETAIL"/"D": "BATCH-DETAILS"/' batch-segments.json > bad.json && rapport load --spec bad.json BATCH.dat --preview 1
? 1
! rapport: load: spec test-batch-segments: segments.records.D: the name of one of the copybook's records is needed
$ printf '\x00\x08\x00\x00\xe7\xe7\xe7\xe7' > x.dat && rapport load --spec batch-segments.json x.dat --preview 1 --json | python3 -c "import json, sys; r = json.load(sys.stdin)[0]['records'][0]['rejected']; print(r['rule'], r['message'])"
> segment REC-TYPE: 'X' is none of the record types (H, D, T)
# a reject of a file of segments is not resubmitted alone (a detail would lose its header)
$ printf '\x00\x08\x00\x00\xe7\xe7\xe7\xe7' > x.dat && cat BATCH.dat x.dat > withbad.dat && rapport init --db r.db > /dev/null && rapport load --db r.db --spec batch-segments.json withbad.dat | tail -1 && rapport rejects resubmit 1 --db r.db
? 1
> total: 15 records: 14 loaded (0 fixed), 1 rejected
! rapport: rejects resubmit: job 1 read a file of segments (its details see their header): correct the file itself and load it again (--force)
