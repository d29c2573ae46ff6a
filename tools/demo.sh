#!/usr/bin/env bash
# The main job, for now: a synthetic bank's source extracts, a fresh demo
# store from the fixture bank, and one customer's whole picture found by a
# phone number as a caller would give it.  Later capabilities (ETL, matching,
# analytics, web) grow it: the ETL will load the generated extracts.
# usage: tools/demo.sh RAPPORT_BINARY DB_PATH
set -euo pipefail
rapport=$1; db=$2
mkdir -p "$(dirname "$db")"
rm -f "$db" "$db-wal" "$db-shm" "$db.key"   # demo data only: start clean every time
export RAPPORT_DB=$db
if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
bank=$(dirname "$db")/bank
step "rapport gen --customers 20000 --out $bank   (the source systems' extracts)"
rm -rf "$bank"
"$rapport" gen --customers 20000 --out "$bank"
echo "files:"; (cd "$bank" && find . -type f | sort | sed 's/^\.\//  /' | head -40)
step "rapport init"
"$rapport" init
step "rapport import tests/fixtures/bank.json"
"$rapport" import tests/fixtures/bank.json
step "rapport customer show '0912-345-678'   (a caller's mobile number)"
"$rapport" customer show '0912-345-678'
step "rapport customer note A223456781 --text ..."
"$rapport" customer note A223456781 --text "客戶來電詢問定存續存；已寄送利率表。" --channel phone --reason "定存到期"
step "rapport query: customers by status"
"$rapport" query "SELECT status, count(*) AS customers FROM party GROUP BY status ORDER BY 2 DESC"
cat <<EOT

The demo store is $db (key: $db.key).  Try:
  RAPPORT_DB=$db $rapport customer show 22099131
  RAPPORT_DB=$db $rapport customer show F128765439 --json
  RAPPORT_DB=$db $rapport help
EOT
