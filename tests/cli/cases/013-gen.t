# the synthetic bank: files, truth, manifest, determinism, bad options
$ rapport gen --customers 300 --months 3 --seed 11 --out bank
> wrote bank: 300 customers (6 organisations), 443 account holdings, 3910 host transactions, 138 card holders, 1703 card transactions, 400 card statements, 168 online users, 97 calls, 344 campaign targets; 230 defects in 13371 records; top 20% of customers give 81.7% of revenue
$ cd bank && find . -type f | sort
> ./callcentre/calls.csv
> ./callcentre/notes.csv
> ./campaign/campaigns.csv
> ./campaign/responses.csv
> ./campaign/targets.csv
> ./card/card_customers.csv
> ./card/card_statements.csv
> ./card/card_transactions.csv
> ./crm/complaints.csv
> ./crm/consents.csv
> ./crm/do_not_contact.csv
> ./crm/managers.csv
> ./crm/staff.csv
> ./host/ACCT.cpy
> ./host/ACCT.dat
> ./host/BRANCH.cpy
> ./host/BRANCH.dat
> ./host/CIF.cpy
> ./host/CIF.dat
> ./host/TXN.cpy
> ./host/TXN_202608.dat
> ./host/TXN_202609.dat
> ./host/TXN_202610.dat
> ./manifest.json
> ./online/events.jsonl
> ./online/logins.jsonl
> ./online/transfers.jsonl
> ./online/users.jsonl
> ./truth/behaviour.csv
> ./truth/churn.csv
> ./truth/defects.csv
> ./truth/identity.csv
> ./truth/segments.csv
> ./truth/treatment.csv
# the same options give the same bytes; another seed does not
$ rapport gen --customers 300 --months 3 --seed 11 --out again >/dev/null && cmp bank/manifest.json again/manifest.json && cmp bank/host/CIF.dat again/host/CIF.dat
$ rapport gen --customers 300 --months 3 --seed 12 --out other >/dev/null && cmp -s bank/host/CIF.dat other/host/CIF.dat
? 1
# every file's SHA-256 in the manifest is the file's own
$ cd bank && grep -o '"path": "[^"]*"\|"sha256": "[^"]*"' manifest.json | cut -d'"' -f4 | paste - - | awk '{print $2 "  " $1}' | sha256sum -c --quiet && echo ok
> ok
# the card system's file is Big5 and writes 台 where the host writes 臺
$ iconv -f CP950 -t UTF-8 bank/card/card_customers.csv | head -1 | tr -d '\r'
> card_cust_no,name,name_en,id_no,birth_date,gender,mobile,home_phone,zip,address,email,card_no,card_product,issued,credit_limit,status
# the card system's statements: repayments and delinquency, with their truth beside them
$ iconv -f CP950 -t UTF-8 bank/card/card_statements.csv | head -1 | tr -d '\r'
> card_no,statement_date,due_date,previous_balance,purchases,cash_advances,interest_fees,payments,balance,credit_limit,minimum_due,days_past_due
$ head -1 bank/truth/behaviour.csv
> person_id,host_cust_no,digital,card,dpd_last,pd_next,delinquent_next_month
$ head -1 bank/truth/identity.csv bank/truth/defects.csv | grep -v '^$'
> ==> bank/truth/identity.csv <==
> source,source_key,person_id
> ==> bank/truth/defects.csv <==
> source,file,record,field,defect
$ rapport gen --customers 200 --months 2 --defect-rate 0 --out clean --json | grep '"defects"'
>   "defects": 0,
# bad options
$ rapport gen --customers 0 --out x
? 1
! rapport: gen: --customers: 0 is not a number of customers from 1 to 10000000
$ rapport gen --customers -3 --out x
? 1
! rapport: gen: --customers: -3 is not a number of customers from 1 to 10000000
$ rapport gen --customers ten --out x
? 2
! rapport: gen: --customers: 'ten' is not a number
! usage: rapport gen --customers N --out DIR [--months M] [--seed S] [--defect-rate R] [--end YYYY-MM] [--json]
$ rapport gen --customers 10
? 2
! rapport: gen: --customers and --out are required
! usage: rapport gen --customers N --out DIR [--months M] [--seed S] [--defect-rate R] [--end YYYY-MM] [--json]
$ rapport gen --customers 10 --out /proc/nope
? 1
! rapport: gen: /proc/nope: cannot create: No such file or directory
$ touch afile && rapport gen --customers 10 --out afile
? 1
! rapport: gen: afile: not a directory
$ ls x
? 2
!*
