# issue 23 item 6: the model store.  A model trained with --save is kept as its name's next version
# with its settings, columns, data fingerprint and report; listed, shown, exported (PMML, JSON),
# used to score a file and the warehouse's customers (each customer's score, decile and reasons kept
# as a run, with the drift from the training data), and retired; each step audited.
$ rapport init >/dev/null && rapport import $FIXTURES/signature.json >/dev/null
$ rapport features --as-of 2026-09-30 --label churn --out one.csv 2>/dev/null && awk -F, 'NR == 1 { print; next } { for (k = 0; k < 300; k++) { $38 = (k * 7919 + NR * 31) % 40; $NF = (NR == 2) != (k % 10 == 0) ? 1 : 0; print } }' OFS=, one.csv > train.csv && wc -l < train.csv
> 901
$ rapport model train --data train.csv --target churn --learner logit --set C=0.1 --folds 0 --save churn-test --json 2>/dev/null | python3 -c 'import json,sys; r = json.load(sys.stdin); print(r["kept"]["name"], r["kept"]["version"])'
> churn-test 1
$ rapport model train --data train.csv --target churn --learner tree --folds 0 --save churn-test 2>/dev/null | tail -1
> kept as churn-test version 2
$ rapport model list | cut -c1-88 | sed 's/  */ /g; s/ $//'
> model version learner target rows AUC status runs
> churn-test 1 logit churn 900 0.9071 active 0
> churn-test 2 tree churn 900 0.9749 active 0
$ rapport model show churn-test:1 | sed -n '1p;3p'
> churn-test version 1: logit predicting churn = 1; active
> settings {"C":"0.1"}; 45 features
$ rapport model export churn-test:1 --out m.pmml && grep -c '<RegressionModel' m.pmml && rapport model export churn-test --format json | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["learner"], len(d["schema"]["columns"]))'
> 1
> tree 45
$ rapport model score churn-test:1 --as-of 2026-10-31 | head -1
> churn-test version 1 scored 2 customers (run 1; mean probability 0.1394)
$ rapport model show churn-test:1 --json | python3 -c 'import json,sys; r = json.load(sys.stdin); print(r["runs"], r["last_scored"])'
> 1 2026-11-23T04:00:00Z
$ rapport query "SELECT count(*), min(decile), max(decile), sum(reasons LIKE '[%') FROM customer_score WHERE run_id = 1" --csv | tail -1 | tr -d '\r'
> 2,1,6,2
$ rapport model score churn-test:1 --data train.csv --id customer_id --out s.csv >/dev/null && head -2 s.csv | cut -d, -f1
> id
> 1
$ rapport model retire churn-test:1
> model churn-test:1 retired: it scores no more, and its scores leave the customer view
$ rapport model score churn-test:1
! rapport: model score: model churn-test:1 is retired
? 1
$ rapport model list | cut -c1-24 | tail -n +2
> churn-test              
$ rapport model show nope
! rapport: model show: no model 'nope' (see 'rapport model list')
? 1
$ rapport model export churn-test:2 --format xml
! rapport: model export: --format: pmml or json, not 'xml'
? 1
$ rapport model train --data train.csv --target churn --learner logit --folds 0 --save 'bad name'
! rapport: model train: --save: a name of letters, digits, '_', '-' and '.', at most 64, not 'bad name'
? 1
$ rapport audit --action model_keep | tail -n +2 | wc -l
> 2
