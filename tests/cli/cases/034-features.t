# issue 23 items 1 and 2: the customer signature as of a day, with churn, take-up and response
# labels (the figures are checked one by one in tests/unit/test_analyze.c); written whole or not at
# all; audited as an export; bad options refused by name.
$ rapport init >/dev/null && rapport import $FIXTURES/signature.json >/dev/null
$ rapport features --as-of 2026-09-30 --label churn --out train.csv
!~ ^rapport: features: 3 rows of 93 columns as of 2026-09-30; churn: 1 positive \(33\.33 %\) to 2026-10-31; 1 customers left out \(no account that day\); [0-9.]+ s; written to train\.csv$
$ head -1 train.csv | tr , '\n' | sed -n '1,3p;$p'
> customer_id
> kind
> gender
> churn
$ rapport features --as-of 2026-09-30 --label takeup --product loan --out t.csv --json | python3 -c 'import json,sys; j = json.load(sys.stdin); print(j["rows"], j["positives"], j["label"], j["label_end"], j["out"])'
> 3 1 takeup 2026-10-31 t.csv
$ rapport features --label response --campaign NOPE
! rapport: features: --campaign: no targets of campaign 'NOPE' in the warehouse
? 1
$ rapport features --as-of 2026-10-31 | wc -l
> 3
!~ ^rapport: features: 2 rows of 92 columns as of 2026-10-31; 2 customers left out \(no account that day\); [0-9.]+ s$
$ rapport features --as-of 2026-10-15 --label churn --out late.csv; ls late.csv*
! rapport: features: --horizon: a churn label 1 month(s) after the as-of date needs transactions to 2026-11-15; they end 2026-10-31 (give an earlier --as-of)
! ls: cannot access 'late.csv*': No such file or directory
? 2
$ rapport features --label churn
! rapport: features: --label churn needs --as-of DATE: the features are taken on that day and the label looks 1 month(s) after it
? 1
$ rapport features --as-of 2026-09-30 --horizon 40 --label churn
! rapport: features: --horizon: a whole number from 1 to 36, not '40'
? 1
$ rapport features --json
! rapport: features: --json prints the summary: give --out FILE for the rows
? 1
$ rapport audit --action export | cut -c23- | sed 's/  */ /g'
> user from action customer outcome what
> tester cli export ok rapport features churn
> tester cli export ok rapport features customer signature
> tester cli export ok rapport features response
> tester cli export ok rapport features takeup
> tester cli export ok rapport features churn
# --dpd counts only for the delinquency label
$ rapport features --as-of 2026-09-30 --label churn --dpd 60
? 1
! rapport: features: --dpd: the days past due that count for --label delinquency
