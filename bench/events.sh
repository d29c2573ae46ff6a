#!/usr/bin/env bash
# Event rules over a bank's history (issue 24 item 9): `rapport event run` judging every transaction of
# the last year against its account's history before it, side by side in one run with the sqlite3
# shell finding the same events in SQL (window functions) on the same store.  Three rules: a large
# incoming transfer (a filter), a large time deposit broken early (a filter) and a dormant account
# becoming active (each transaction against the latest day of its account's earlier ones: a running
# maximum over two or three hundred transactions an account).  Rapport's figure is the whole command
# (the transactions read in id order, the events kept, each made a lead or suppressed, the marks
# moved); the shell's only counts the distinct events.  The bank is generated and loaded first (not
# timed).  The script stops if the counts differ.
# usage: bench/events.sh [BUILD_DIR] [CUSTOMERS]
set -euo pipefail
build=${1:-build}; n=${2:-50000}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/needs.bash"; needs "$build" rapport
rapport=$(cd "$build" && pwd)/rapport
work=$(mktemp -d "${TMPDIR:-/tmp}/rapport-bench-events-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
export RAPPORT_DB=$work/e.db RAPPORT_PROGRESS=never RAPPORT_USER=bench
t0=$(date +%s.%N)
"$rapport" gen --customers "$n" --out bank >/dev/null
"$rapport" init >/dev/null
"$rapport" load bank >/dev/null 2>&1
txns=$(sqlite3 e.db "SELECT count(*) FROM txn")
awk -v n="$n" -v t="$txns" -v a="$t0" -v z="$(date +%s.%N)" \
  'BEGIN { printf "the bank generated and loaded in %.1f s (%d customers, %d transactions; not timed below)\n", z - a, n, t }'
"$rapport" offer put EVFUND --name 基金 --product FND001 --cost 50 --value 3000 >/dev/null
rule() { "$rapport" event rule "$@" --expires-days 365 --control-pct 0 >/dev/null; }
rule EV_IN --detector large_incoming --name-zh 大額匯入 --name-en "large incoming" --params '{"min": 100000}' --offer EVFUND
rule EV_TD --detector large_break --name-zh 定存解約 --name-en "deposit broken" --params '{"min": 50000}' --offer EVFUND
rule EV_DORM --detector dormant_active --name-zh 靜止戶 --name-en "dormant active" --params '{"days": 90}' --offer EVFUND
/usr/bin/time -f '%e %M' -o r.time "$rapport" event run --json > run.json
sqlite3 e.db "SELECT rule, count(*) FROM customer_event GROUP BY rule ORDER BY rule" > r.txt
# the same events in SQL: each rule's distinct facts (account, day, amount) among the transactions of
# accounts with a holder, within 365 days of the newest day
cat > q.sql <<'SQL'
WITH newest AS (SELECT julianday(max(substr(posted_at, 1, 10))) AS d FROM txn),
t AS (
  SELECT account_id, substr(posted_at, 1, 10) AS day, julianday(substr(posted_at, 1, 10)) AS jd, amount_minor, class,
         max(julianday(substr(posted_at, 1, 10))) OVER (PARTITION BY account_id ORDER BY id
                                                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS last_jd
  FROM txn),
judged AS (
  SELECT t.* FROM t, newest WHERE t.jd >= newest.d - 365 AND t.jd <= newest.d + 1
    AND t.account_id IN (SELECT account_id FROM party_account))
SELECT 'EV_DORM', count(*) FROM (SELECT DISTINCT account_id, day, amount_minor FROM judged
  WHERE class IN ('deposit', 'withdrawal', 'transfer_in', 'transfer_out', 'purchase', 'bill_payment', 'salary')
    AND last_jd IS NOT NULL AND jd - last_jd >= 90)
UNION ALL
SELECT 'EV_IN', count(*) FROM (SELECT DISTINCT account_id, day, amount_minor FROM judged
  WHERE class = 'transfer_in' AND amount_minor > 0 AND amount_minor >= 10000000)
UNION ALL
SELECT 'EV_TD', count(*) FROM (SELECT DISTINCT account_id, day, amount_minor FROM judged
  WHERE class = 'td_break' AND abs(amount_minor) >= 5000000);
SQL
/usr/bin/time -f '%e %M' -o q.time sqlite3 e.db < q.sql | sed 's/|/ /' | awk '$2 > 0' > q.txt
sed 's/|/ /' r.txt > r2.txt
if ! diff -q r2.txt q.txt >/dev/null; then
  echo "bench/events.sh: Rapport's events and the sqlite3 shell's differ:" >&2
  paste r2.txt q.txt >&2
  exit 1
fi
read -r rs rm < r.time; read -r qs qm < q.time
echo "events by rule (both agree): $(tr '\n' ' ' < r2.txt)"
python3 - "$rs" "$rm" "$qs" "$qm" "$txns" run.json <<'PY'
import json, sys
rs, rm, qs, qm, txns = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
r = json.load(open(sys.argv[6]))
print(f"| | seconds | transactions/s | peak memory |")
print(f"| --- | ---: | ---: | ---: |")
print(f"| rapport event run (3 rules, {r['events']} events, {r['leads']} leads, {r['suppressed']} suppressed) | {rs:.2f} | {txns / max(rs, 1e-3):,.0f} | {rm / 1024:.0f} MiB |")
print(f"| sqlite3 shell, the same events counted in SQL | {qs:.2f} | {txns / max(qs, 1e-3):,.0f} | {qm / 1024:.0f} MiB |")
print(f"rapport / sqlite3: {rs / max(qs, 1e-3):.2f}x the time")
PY
