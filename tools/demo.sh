#!/usr/bin/env bash
# The main job: a synthetic bank's source extracts, loaded into a fresh demo
# store through the shipped source specs (with rejects and jobs), then a
# customer's whole picture found as a caller or teller would find it.
# Later capabilities (matching, analytics, web) grow it.
# With DEMO_STORE=postgres (make demo DB=postgres) the store is a PostgreSQL cluster the demo starts in
# the demo's folder (tests/pg.sh: initdb and pg_ctl, a free port), left running for you afterwards.
# usage: tools/demo.sh RAPPORT_BINARY DB_PATH
set -euo pipefail
rapport=$1; db=$2
mkdir -p "$(dirname "$db")"
rm -f "$db" "$db-wal" "$db-shm" "$db.key" "$db.facts" "$db.facts.lock" "$db.mart" "$db-audit"   # demo data only: start clean every time
case ${DEMO_STORE:-sqlite} in
sqlite) export RAPPORT_DB=$db; try="RAPPORT_DB=$db"; store="$db (key: $db.key)" ;;
postgres|postgresql)
    pgdir=$(dirname "$db")/pg; pgsh=$(dirname "$0")/../tests/pg.sh
    "$pgsh" stop "$pgdir"; rm -rf "$pgdir"
    url=$("$pgsh" start "$pgdir")
    # this machine's files of a server store are named after its key file (docs/operations.md)
    export RAPPORT_DB=$url RAPPORT_KEY=$db.key
    try="RAPPORT_DB=$url RAPPORT_KEY=$db.key"; store="PostgreSQL at $url (key: $db.key; stop it with: tests/pg.sh stop $pgdir)"
    echo "store: PostgreSQL at $url (stop it with: tests/pg.sh stop $pgdir)" ;;
*) echo "demo.sh: DEMO_STORE is sqlite or postgres, not '$DEMO_STORE'" >&2; exit 2 ;;
esac
if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
bank=$(dirname "$db")/bank
step "rapport gen --customers 20000 --out $bank   (the source systems' extracts)"
rm -rf "$bank"
"$rapport" gen --customers 20000 --out "$bank"
echo "files:"; (cd "$bank" && find . -type f | sort | sed 's/^\.\//  /' | head -40)
step "rapport init"
"$rapport" init
step "rapport load $bank   (every extract, by its manifest, in dependency order)"
"$rapport" load "$bank" --rejects "$(dirname "$db")/rejects.csv"
step "rapport jobs --limit 5"
"$rapport" jobs --limit 5
step "rapport rejects --limit 8   (what the data steward corrects; all of them in $(dirname "$db")/rejects.csv)"
"$rapport" rejects --limit 8
step "rapport match --review-at 0.2   (who is who: the same person in the host, the card system and internet banking is one customer; doubtful pairs wait for the data steward)"
"$rapport" match --review-at 0.2
asof=$("$rapport" query "SELECT substr(max(posted_at), 1, 10) FROM txn" --csv | tail -1 | tr -d '\r')
step "rapport analyze pareto --as-of $asof   (the data's last day: what the top 20% of customers give)"
"$rapport" analyze pareto --as-of "$asof"
step "rapport analyze value --as-of $asof   (profit = interest margin + fees - cost to serve by channel)"
"$rapport" analyze value --as-of "$asof"
step "rapport analyze channels --as-of $asof   (each pyramid level's channels, the digital share, channel cost)"
"$rapport" analyze channels --as-of "$asof"
step "rapport analyze pyramid --as-of $asof"
"$rapport" analyze pyramid --as-of "$asof"
step "rapport analyze rfm --as-of $asof | head -12"
out=$("$rapport" analyze rfm --as-of "$asof"); head -12 <<<"$out"
step "rapport analyze gains-losses --as-of $asof   (the last whole month against the one before)"
"$rapport" analyze gains-losses --as-of "$asof"
step "rapport analyze migration --as-of $asof | head -22   (pyramid levels: this year against last)"
out=$("$rapport" analyze migration --as-of "$asof"); head -22 <<<"$out"
step "rapport analyze segment --segments docs/examples/segments.txt --as-of $asof"
"$rapport" analyze segment --segments "$(dirname "$0")/../docs/examples/segments.txt" --as-of "$asof"
step "rapport analyze cluster --as-of $asof"
"$rapport" analyze cluster --as-of "$asof"
step "rapport analyze clv --as-of $asof | head -3"
out=$("$rapport" analyze clv --as-of "$asof"); head -3 <<<"$out"
step "rapport analyze quality"
"$rapport" analyze quality
dir=$(dirname "$db")
# predictive models (issue 23): who leaves next month, learnt from seven month-ends of the past
labelday=$(date -d "$(date -d "$asof" +%Y-%m-01) -1 month -1 day" +%F)
step "rapport features --as-of $labelday --snapshots 7 --label churn   (what was known on seven month-ends, and who left in the month after each)"
"$rapport" features --as-of "$labelday" --snapshots 7 --label churn --out "$dir/churn-train.csv"
step "rapport model train --learner gbm --set 'max_depth=2|0,min_samples_leaf=20|100' --save churn   (settings chosen on a validation quarter)"
"$rapport" model train --data "$dir/churn-train.csv" --target churn --learner gbm \
    --set 'max_depth=2|0,min_samples_leaf=20|100,learning_rate=0.05' --folds 0 --save churn 2>/dev/null | sed -n '1,20p;$p'
step "rapport model score churn --as-of $asof   (every customer: probability, decile, reasons, drift)"
"$rapport" model score churn --as-of "$asof"
"$rapport" features --as-of "$asof" --out "$dir/churn-today.csv" 2>/dev/null
"$rapport" model score churn --data "$dir/churn-today.csv" --id customer_id --out "$dir/churn-scores.csv" >/dev/null
"$rapport" query "SELECT coalesce(p.merged_into, p.id) AS customer_id, r.source_key FROM source_record r JOIN party p ON p.id = r.entity_id WHERE r.entity = 'party' AND r.source = 'host'" --csv --limit 0 > "$dir/host-keys.csv"
step "against the generator's truth: the model's AUC as a fraction of the true hazard's (the best any model can do)"
python3 "$(dirname "$0")/../tests/fixtures/models/churn_truth.py" "$dir/churn-scores.csv" "$dir/host-keys.csv" "$bank/truth/churn.csv"
step "rapport model at-risk churn --limit 10   (who is worth saving: P(leaving) x a year's profit)"
"$rapport" model at-risk churn --limit 10
# response and uplift (issue 23 item 8): the mobile-banking campaign CMP05 held a fifth of its targets out
step "rapport features --label response --campaign CMP05   (its targets as known the day before the first contact, and who responded)"
"$rapport" features --label response --campaign CMP05 --out "$dir/response.csv"
step "rapport model train --target response --learner logit --save response   (who responds: AUC, top-decile lift)"
"$rapport" model train --data "$dir/response.csv" --target response --learner logit --set C=0.1 --folds 0 \
    --save response 2>/dev/null | sed -n '1,2p;/^decile/,/^ *2 /p'
step "rapport model uplift --treatment group --learner logit   (who responds because of the campaign: two models, scored across folds)"
"$rapport" model uplift --data "$dir/response.csv" --target response --treatment group --learner logit --id customer_id \
    --scores "$dir/uplift.csv" 2>/dev/null | head -4
step "against the generator's truth: the uplift model's Qini as a fraction of the true uplift's"
python3 "$(dirname "$0")/../tests/fixtures/models/uplift_truth.py" "$dir/uplift.csv" "$dir/host-keys.csv" "$bank/truth/treatment.csv" CMP05
# risk and behaviour (issue 23 item 9): the card statements' repayments and days past due
riskday=$(date -d "$(date -d "$asof" +%Y-%m-01) -1 month -1 day" +%F)
step "rapport features --as-of $riskday --snapshots 6 --label delinquency   (card holders on six month-ends, and who fell 30 days past due in the month after)"
"$rapport" features --as-of "$riskday" --snapshots 6 --label delinquency --out "$dir/risk-train.csv"
step "rapport model train --target delinquency --learner scorecard --protected --save risk   (points per band, as risk teams use; gender and age left out)"
"$rapport" model train --data "$dir/risk-train.csv" --target delinquency --learner scorecard --protected --folds 0 \
    --save risk 2>/dev/null | sed -n '1,3p;$p'
step "rapport model score risk --as-of $asof   (today's card holders)"
"$rapport" model score risk --as-of "$asof" | head -1
step "rapport analyze behaviour --as-of $asof   (behaviour types by rules; risk grades A-E, X for 90 days past due)"
"$rapport" analyze behaviour --as-of "$asof"
"$rapport" query "SELECT customer_id, score FROM customer_score WHERE run_id = (SELECT max(r.id) FROM model_run r JOIN model m ON m.id = r.model_id WHERE m.name = 'risk')" --csv --limit 0 > "$dir/risk-scores.csv"
"$rapport" query "SELECT customer_id, types, risk_grade FROM customer_behaviour WHERE run_id = (SELECT max(run_id) FROM customer_behaviour)" --csv --limit 0 > "$dir/behaviour.csv"
step "against the generator's truth: the grades' true delinquency, the types' agreement, the risk model's AUC as a fraction of the true probability's"
python3 "$(dirname "$0")/../tests/fixtures/models/behaviour_truth.py" "$dir/risk-scores.csv" "$dir/behaviour.csv" "$dir/host-keys.csv" "$bank/truth/behaviour.csv"
step "rapport model train --learner logit --save churn-logit --pmml   (a model other engines can score: PMML 4.4)"
"$rapport" model train --data "$dir/churn-train.csv" --target churn --learner logit --set C=0.05 --folds 0 \
    --save churn-logit --pmml "$dir/churn-logit.pmml" 2>/dev/null | sed -n '1,2p;$p'
echo "PMML: $dir/churn-logit.pmml ($(grep -c '<NumericPredictor' "$dir/churn-logit.pmml") coefficients)"
# database marketing (issue 24): an offer, a campaign designed, counted step by step, selected with a
# control group, approved by another user than its author, launched
step "rapport offer put FUND1 ...; rapport campaign create FUND24 ...   (an offer of a product, a campaign that contacts for marketing)"
"$rapport" offer put FUND1 --name "基金定期定額手續費五折" --product FND001 --cost 15 --value 1200 --eligibility "age >= 20"
"$rapport" offer put PLAT1 --name "白金卡首年免年費" --product PLAT --cost 8 --value 2000
RAPPORT_USER=demo-marketer "$rapport" campaign create FUND24 --name "基金推廣" --objective "cross-sell funds to savers" \
    --purpose marketing --rule "balance > 300000 and has_investment = 0" --control-pct 10 --stratify level --seed 24
RAPPORT_USER=demo-marketer "$rapport" campaign cell FUND24 A --offer FUND1 --channel email
RAPPORT_USER=demo-marketer "$rapport" campaign cell FUND24 B --offer PLAT1 --channel direct_mail
step "rapport campaign select FUND24   (the waterfall: consent, do-not-contact, staff, complaints, households; then the hold-out)"
RAPPORT_USER=demo-marketer "$rapport" campaign select FUND24
step "rapport campaign optimise FUND24 --level 4 --budget ...   (each treated customer's best cell under a budget; GLPK)"
# the scores a response model would write; here made by a script from the customer ids (tests/fixtures/marketing/scores.py)
"$rapport" query "SELECT party_id FROM campaign_target WHERE campaign = 'FUND24' AND grp = 'treatment'" --csv \
    | python3 "$(dirname "$0")/../tests/fixtures/marketing/scores.py" A,B > "$dir/FUND24-scores.csv"
RAPPORT_USER=demo-marketer "$rapport" campaign optimise FUND24 --scores "$dir/FUND24-scores.csv" --budget 40000 --apply
step "rapport campaign submit / approve / launch   (four eyes: the author may not approve)"
RAPPORT_USER=demo-marketer "$rapport" campaign submit FUND24
RAPPORT_USER=demo-marketer "$rapport" campaign approve FUND24 2>&1 || true
RAPPORT_USER=demo-supervisor "$rapport" campaign approve FUND24
RAPPORT_USER=demo-supervisor "$rapport" campaign launch FUND24
step "rapport campaign export FUND24 --channel direct_mail   (the mail house's list: the treated only, with a reason, audited)"
"$rapport" campaign export FUND24 --channel direct_mail --out "$(dirname "$db")/FUND24-mail.xlsx" --reason "demo: mail house run"
step "rapport campaign send FUND24 --cell A   (e-mail really sent, to an SMTP server on this machine; one-click unsubscribe)"
mail=$(dirname "$db")/mail; rm -rf "$mail" "$mail.port"
timeout 300 /usr/bin/python3 "$(dirname "$0")/../tests/fixtures/marketing/smtp_sink.py" "$mail" "$mail.port" >/dev/null 2>&1 &
sink=$!
for i in $(seq 100); do [ -s "$mail.port" ] && break; sleep 0.1; done
"$rapport" campaign send FUND24 --cell A --smtp "smtp://127.0.0.1:$(cat "$mail.port")" --tls none \
    --from "Rapport 銀行 <news@bank.example>" --unsubscribe-url https://bank.example --limit 20
kill $sink 2>/dev/null || true
echo "received: $(ls "$mail" | wc -l) messages in $mail; the first:"
sed -n '3,14p' "$(ls -d "$mail"/* | head -1)"
step "rapport campaign results CMP04   (a past campaign: responses from its file against its control group; an offer of its product gives cost and ROI)"
"$rapport" offer put FND001 --name "基金定期定額" --product FND001 --cost 20 --value 1500 >/dev/null
"$rapport" campaign observe CMP04
"$rapport" campaign results CMP04
/usr/bin/python3 - "$bank/truth/treatment.csv" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r['campaign_id'] == 'CMP04' and r['group'] == 'treatment']
print('the truth (truth/treatment.csv): uplift %.2f points on average over the treated'
      % (100 * sum(float(r['p_treated']) - float(r['p_control']) for r in rows) / len(rows)))
PY
step "rapport event rule TDBREAK ...   (an event rule: a large time deposit broken early becomes a lead for the relationship manager)"
"$rapport" offer put FUNDTD --name "定存解約轉基金" --product FND001 --cost 50 --value 3000 >/dev/null
"$rapport" event rule TDBREAK --detector large_break --name-zh 大額定存中途解約 --name-en "large time deposit broken early" \
    --offer FUNDTD --params '{"min": 100000}' --expires-days 30 --priority 90
"$rapport" event rule BDAY --detector birthday --name-zh 生日 --name-en birthday --route branch --priority 10
step "rapport event run   (every load runs the rules at its end; by hand after a rule is added)"
"$rapport" event run | sed -n 1,12p
lead=$("$rapport" lead list --queue manager --json | /usr/bin/python3 -c 'import json,sys; l = [x for x in json.load(sys.stdin) if x["rule"] == "TDBREAK"]; print(l[0]["assigned_to"], l[0]["customer"]) if l else print("")')
if [ -n "$lead" ]; then
  set -- $lead
  step "RAPPORT_USER=$1 rapport lead list --mine   (the relationship manager's own list)"
  RAPPORT_USER=$1 "$rapport" lead list --mine
  step "rapport customer offers $2   (the next-best offer on the 360, with the reason)"
  "$rapport" customer offers "$2"
else
  echo "(no large time deposit was broken early within 30 days of the data's last day in this bank)"
fi
cust=$("$rapport" query "SELECT r.source_key FROM source_record r JOIN party p ON p.id = r.entity_id JOIN party_account pa ON pa.party_id = p.id WHERE r.entity = 'party' AND r.source = 'host' AND p.status = 'active' GROUP BY r.entity_id, r.source_key ORDER BY count(*) DESC, r.source_key LIMIT 1" --csv | tail -1 | tr -d '\r')
step "rapport customer show cust:$cust   (a host customer, as loaded)"
"$rapport" customer show "cust:$cust" | head -40
step "rapport import tests/fixtures/bank.json"
"$rapport" import tests/fixtures/bank.json
step "rapport customer show '0912-345-678'   (a caller's mobile number)"
"$rapport" customer show '0912-345-678'
step "rapport customer note A223456781 --text ..."
"$rapport" customer note A223456781 --text "客戶來電詢問定存續存；已寄送利率表。" --channel phone --reason "定存到期"
step "rapport query: customers, and the source records they are made of"
"$rapport" query "SELECT count(DISTINCT coalesce(p.merged_into, p.id)) AS customers, count(*) AS source_records, count(*) FILTER (WHERE r.source = 'host') AS host, count(*) FILTER (WHERE r.source = 'card') AS card, count(*) FILTER (WHERE r.source = 'online') AS online FROM party p JOIN source_record r ON r.entity = 'party' AND r.entity_id = p.id"
step "rapport user add ...   (one user for each role; demo passwords, printed here only because this is a demo)"
pwfile=$(dirname "$db")/demo-passwords.txt
: > "$pwfile"; chmod 600 "$pwfile"
for role in teller rm csr tsr supervisor analyst steward admin auditor; do
  pw="$(od -An -N12 -tx4 /dev/urandom | tr -d ' ')"
  branch=""; case $role in teller|rm) branch="--branch 0012";; esac
  echo "$pw" | "$rapport" user add "demo-$role" --role "$role" $branch
  printf '%-18s %s\n' "demo-$role" "$pw" >> "$pwfile"
done
cat "$pwfile"
step "rapport contact setup ...   (the contact centre: skills, two queues, demo-csr and eleven more agents)"
centre=$(dirname "$db")/centre.json
agents='{"login": "demo-csr", "name": "王小美", "sip": "sip:demo-csr@127.0.0.1", "skills": {"zh-TW": 5, "信用卡": 4, "貸款": 2}}'
for i in $(seq -w 1 11); do
  od -An -N12 -tx4 /dev/urandom | tr -d ' ' | "$rapport" user add "demo-agent$i" --role csr > /dev/null
  agents="$agents, {\"login\": \"demo-agent$i\", \"name\": \"座席 $i\", \"skills\": {\"zh-TW\": 5, \"信用卡\": $((1 + 10#$i % 5)), \"貸款\": $((1 + 10#$i % 4))}}"
done
cat > "$centre" <<EOJ
{"skills": [{"name": "zh-TW", "kind": "language"}, {"name": "信用卡"}, {"name": "貸款"}],
 "queues": [{"code": "cards", "name": "信用卡服務", "skill": "信用卡", "number": "5001", "wrap_up_s": 30},
            {"code": "loans", "name": "貸款諮詢", "skill": "貸款", "min_level": 2, "number": "5002", "overflow_s": 60}],
 "agents": [$agents]}
EOJ
"$rapport" contact setup "$centre"
step "rapport contact drive --queue cards --calls 100 --minutes 10 --aht 60 --speed 60 --ready   (ten minutes of a centre in ten seconds)"
"$rapport" contact drive --queue cards --calls 100 --minutes 10 --aht 60 --speed 60 --ready
"$rapport" contact board | head -4
step "rapport serve   (the API on a free port, tried with curl, then stopped)"
portf=$(dirname "$db")/serve.port; logf=$(dirname "$db")/serve.log
rm -f "$portf"
"$rapport" serve --listen 127.0.0.1:0 --port-file "$portf" > "$logf" 2>&1 &
spid=$!
for i in $(seq 100); do [ -s "$portf" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$portf")"
jar=$(mktemp); trap 'rm -f "$jar"; kill $spid 2>/dev/null || true' EXIT
csrpw=$(awk '$1 == "demo-csr" {print $2}' "$pwfile")
echo "POST $url/api/v1/session (demo-csr):"
curl -s -c "$jar" -H 'Content-Type: application/json' -d "{\"name\":\"demo-csr\",\"password\":\"$csrpw\"}" "$url/api/v1/session"
echo "GET $url/api/v1/customers?q=0912-345-678:"
curl -s -b "$jar" "$url/api/v1/customers?q=0912-345-678"
cid=$(curl -s -b "$jar" "$url/api/v1/customers?q=0912-345-678" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
echo "GET $url/api/v1/customers/$cid (the 360 as a CSR sees it; account numbers masked), its first 400 bytes:"
curl -s -b "$jar" "$url/api/v1/customers/$cid" | head -c 400; echo " ..."
echo "GET $url/api/v1/analyses?limit=2 as demo-csr (a CSR may not see analyses):"
curl -s -b "$jar" "$url/api/v1/analyses?limit=2"
echo "GET $url/ (the web application):"
curl -s "$url/" | grep -o '<title>[^<]*</title>'
curl -s -o /dev/null -w "  app.js: %{http_code}, %{size_download} bytes\n" "$url/app.js"
kill -TERM $spid; wait $spid 2>/dev/null || true
tail -1 "$logf"
step "rapport audit --limit 7   (every look at customer data, and every refusal)"
"$rapport" audit --limit 7
cat <<EOT

The demo store is $store.  Try:
  $try $rapport customer show cust:$cust
  $try $rapport jobs
  $try $rapport rejects --rule reference
  $try $rapport customer show F128765439 --json
  $try $rapport analyze runs
  $try $rapport serve          # then sign in with a user from $pwfile
  $try $rapport help
A simulated busy hour on the wallboard: with the server running, sign in as demo-supervisor, open
#/wallboard, and in another terminal play the hour (a minute of it every two seconds):
  $try $rapport contact drive --queue cards --calls 900 --minutes 60 --aht 40 --speed 30 --ready
demo-csr's desk (#/desk) takes calls too: press Ready, and each call routed to it opens its caller.
EOT
# The web application, served until Ctrl-C when someone is at the terminal
# (DEMO_SERVE=0 skips it; DEMO_LISTEN sets the address).
if [ -t 0 ] && [ -t 1 ] && [ "${DEMO_SERVE:-1}" = 1 ]; then
  listen=${DEMO_LISTEN:-127.0.0.1:8080}
  step "rapport serve --listen $listen   (the web application)"
  echo "Open http://$listen/ and sign in as one of the users above (demo-teller and demo-rm belong to branch 0012)."
  echo "The wallboard: http://$listen/#/wallboard as demo-supervisor, while contact drive (above) plays a busy hour."
  echo "Ctrl-C stops it."
  rm -f "$jar"; trap - EXIT
  exec "$rapport" serve --listen "$listen"
fi
