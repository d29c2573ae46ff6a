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
$ rapport query "SELECT count(*), min(decile), max(decile), count(*) FILTER (WHERE reasons LIKE '[%') FROM customer_score WHERE run_id = 1" --csv | tail -1 | tr -d '\r'
> 2,1,6,2
$ rapport model score churn-test:1 --data train.csv --id customer_id --out s.csv >/dev/null && head -2 s.csv | cut -d, -f1
> customer_id
> 1
# segments read a model's latest scoring: score('m') and score_decile('m'), null where it did not reach;
# a model not kept, or kept and never scored, is named with the file; migration refuses them
$ printf "leaving = score_decile('churn-test:1') <= 2\nstaying = else\n" > seg.txt && rapport analyze segment --segments seg.txt --as-of 2026-10-31 --csv | tr -d '\r' | cut -d, -f1,2
> segment,customers
> leaving,1
> staying,3
$ printf "odd = score('churn-test:1') > 0.5 and score('nope') > 0\n" > bad.txt && rapport analyze segment --segments bad.txt --as-of 2026-10-31
! rapport: analyze segment: bad.txt: score('nope'): no model 'nope' kept
? 1
$ printf "x = score('churn-test') > 0.1\ny = else\n" > unscored.txt && rapport analyze segment --segments unscored.txt --as-of 2026-10-31
! rapport: analyze segment: unscored.txt: score('churn-test'): the model has scored no customers yet ('rapport model score churn-test')
? 1
$ printf "x = score(churn) > 1\n" > unquoted.txt && rapport analyze segment --segments unquoted.txt
! rapport: analyze segment: unquoted.txt:1:11: score('model') takes the name of a kept model, quoted
? 1
$ rapport analyze migration --by segment --segments seg.txt --as-of 2026-10-31
! rapport: analyze migration: seg.txt: score('churn-test:1'): migration compares a year with the one before, and a model's scores are of the day it scored
? 1
# who is worth saving: P(leaving) x a year's profit, and the cross table; over the API without identifiers
$ rapport model at-risk churn-test:1
! rapport: model at-risk: no customer values yet: run 'rapport analyze value' first
? 1
$ rapport analyze value --as-of 2026-10-31 >/dev/null && rapport model at-risk churn-test:1 --json | python3 -c 'import json,sys; r = json.load(sys.stdin); a = r["at_risk"]; print(r["customers"], len(a), a[0]["expected_loss"] >= a[1]["expected_loss"], [x["band"] for x in r["cross"]["rows"]], sum(c["customers"] for x in r["cross"]["rows"] for c in x["cells"]))'
> 2 2 True ['high', 'medium', 'low'] 2
$ rapport model at-risk churn-test:1 --csv | head -1 | tr -d '\r'
> customer,probability,decile,profit,level,expected_loss
# the behaviour analysis (item 9): types for every customer holding an account; no risk model kept, no grades
$ rapport analyze behaviour --as-of 2026-10-31 | head -1
>~ ^behaviour as of 2026-10-31 \(run [0-9]+\): 2 customers typed; 0 graded by the risk model 'risk' \(it has not scored the warehouse: no grades A-E\); X \(90 or more days past due\): 0$
# the CLI's 360 shows them too: the analyses' latest word and each kept model's
$ rapport customer show $(rapport query "SELECT customer_id FROM customer_score WHERE run_id = 1 ORDER BY score DESC LIMIT 1" --csv | tail -1 | tr -d '\r') | sed -n '/^Scores/,/^Identifiers/p' | grep -oE '^(Scores|Predictions)|^  (behaviour|value|churn-test v1)' | sort -u
>   behaviour
>   churn-test v1
>   value
> Predictions
> Scores
$ for u in ana:analyst tel:csr; do echo 'a long password 1' | rapport user add ${u%%:*} --role ${u##*:} >/dev/null; done; (timeout 60 rapport serve --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done
$ curl -s -c aj -H 'Content-Type: application/json' -d '{"name":"ana","password":"a long password 1"}' "http://127.0.0.1:$(cat port)/api/v1/session" >/dev/null && curl -s -b aj "http://127.0.0.1:$(cat port)/api/v1/models/churn-test:1/at-risk?limit=1" | python3 -c 'import json,sys; r = json.load(sys.stdin); c = r["at_risk"][0]; print(r["model"]["name"], r["model"]["run"], len(r["at_risk"]), "customer" in c, sorted(k for k in c if k.startswith("name")))'
> churn-test 1 1 False ['name_latin', 'name_zh']
$ curl -s -b aj "http://127.0.0.1:$(cat port)/api/v1/models" | python3 -c 'import json,sys; print([(m["name"], m["version"]) for m in json.load(sys.stdin)["models"]])'
> [('churn-test', 1), ('churn-test', 2)]
$ curl -s -b aj "http://127.0.0.1:$(cat port)/api/v1/models/nope/at-risk"
> {"error":{"code":"not_found","message":"no model 'nope' kept"}}
$ curl -s -c tj -H 'Content-Type: application/json' -d '{"name":"tel","password":"a long password 1"}' "http://127.0.0.1:$(cat port)/api/v1/session" >/dev/null && curl -s -o /dev/null -w '%{http_code}\n' -b tj "http://127.0.0.1:$(cat port)/api/v1/models"
> 403
$ curl -s -b tj "http://127.0.0.1:$(cat port)/api/v1/customers/$(rapport query "SELECT customer_id FROM customer_score WHERE run_id = 1 ORDER BY score DESC LIMIT 1" --csv | tail -1 | tr -d '\r')/scores" | python3 -c 'import json,sys; b = [s for s in json.load(sys.stdin)["scores"] if s["analysis"] == "behaviour"][0]["result"]; print(sorted(b), b["risk_grade"], b["primary"] in ("dormant", "revolver", "borrower", "saver", "digital_first", "branch_loyal", "transactor", "general"))'
> ['primary', 'risk_grade', 'risk_p', 'types'] None True
$ run=$(rapport query "SELECT max(run_id) FROM customer_behaviour" --csv | tail -1 | tr -d '\r') && t=$(rapport query "SELECT primary_type FROM customer_behaviour WHERE run_id = $run AND types <> '' LIMIT 1" --csv | tail -1 | tr -d '\r') && curl -s -b aj "http://127.0.0.1:$(cat port)/api/v1/analyses/$run/customers?type=$t" | python3 -c 'import json,sys; r = json.load(sys.stdin); print(r["filter"], r["value"], r["total"], len(r["customers"])); print(sorted(r["customers"][0]))' && curl -s -b aj "http://127.0.0.1:$(cat port)/api/v1/analyses/$run/customers?grade=A" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'
> type borrower 1 1
> ['home_branch', 'name_latin', 'name_zh', 'value']
> 0
$ curl -s -b aj "http://127.0.0.1:$(cat port)/api/v1/analyses/$(rapport query "SELECT max(run_id) FROM customer_behaviour" --csv | tail -1 | tr -d '\r')/customers?type=%25"
> {"error":{"code":"invalid","message":"type: a behaviour type such as revolver or digital_first","member":"type"}}
$ curl -s -b tj "http://127.0.0.1:$(cat port)/api/v1/customers/$(rapport query "SELECT customer_id FROM customer_score WHERE run_id = 1 ORDER BY score DESC LIMIT 1" --csv | tail -1 | tr -d '\r')/scores" | python3 -c 'import json,sys; p = json.load(sys.stdin)["predictions"][0]; print(p["model"], p["version"], p["decile"], len(p["reasons"]) > 0)'; kill $(cat pid)
> churn-test 1 1 True
$ rapport model retire churn-test:1
> model churn-test:1 retired: it scores no more, and its scores leave the customer view
$ rapport model score churn-test:1
! rapport: model score: model churn-test:1 is retired
? 1
$ rapport model list | cut -c1-24 | tail -n +2
> churn-test              
$ rapport model show nope
! rapport: model show: no model 'nope' kept
? 1
$ rapport model export churn-test:2 --format xml
! rapport: model export: --format: pmml or json, not 'xml'
? 1
$ rapport model train --data train.csv --target churn --learner logit --folds 0 --save 'bad name'
! rapport: model train: --save: a name of letters, digits, '_', '-' and '.', at most 64, not 'bad name'
? 1
$ rapport audit --action model_keep | tail -n +2 | wc -l
> 2
