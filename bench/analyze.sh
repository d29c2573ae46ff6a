#!/usr/bin/env bash
# RFM and Pareto at ten million transactions, side by side in one run on the
# same data: Rapport from its store, DuckDB (npm @duckdb/node-api) and pandas
# (Debian's python3-pandas) each on its own in-memory copy (their loading is
# not timed).  All three compute the same thing by the same rules, and the
# script checks that they agree: the RFM cell counts and the top 20 %'s share.
# usage: bench/analyze.sh [BUILD_DIR] [TRANSACTIONS] [CUSTOMERS]
set -euo pipefail
build=${1:-build}; n=${2:-10000000}; customers=${3:-200000}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/needs.bash"; needs "$build" rapport
rapport=$(cd "$build" && pwd)/rapport
if [ ! -d "$here/node/node_modules/@duckdb/node-api" ]; then
  (cd "$here/node" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || { echo "bench/analyze.sh: npm ci of DuckDB failed" >&2; exit 1; }
fi
/usr/bin/python3 -c 'import pandas' 2>/dev/null || { echo "bench/analyze.sh: python3-pandas is missing (make deps installs it)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/rapport-bench-analyze-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
export RAPPORT_DB=$work/b.db RAPPORT_PROGRESS=never
"$rapport" init >/dev/null
# two years of card purchases, customers and days at random, written as the
# warehouse keeps them (migration 0012): blocks of one account's transactions,
# a JSON array of [posted_at, amount_minor, channel, class] each, with the ids
# id .. id + n - 1.  Through the txn view's INSTEAD OF trigger every row would
# be a block of its own (200,000 took 3.5 s: 10M about three minutes); here a
# temporary table is grouped by account, split in parts when an account would
# have more than about 1,024 on average, far below a block's limit of 4,096
# (WH_TXN_BLOCK_ROWS, which the table's CHECK enforces).
parts=$(( (n / customers + 1023) / 1024 ))
t0=$(date +%s.%N)
sqlite3 b.db >/dev/null <<SQL
PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-400000;
BEGIN;
INSERT INTO product_category(code, name_zh) VALUES ('all', '全部');
INSERT INTO product(code, name_zh, kind) VALUES ('CARD', '信用卡', 'card');
INSERT INTO party(id, kind, name_zh, created_at, updated_at)
  SELECT value, 'person', 'c' || value, '2024-01-01', '2024-01-01' FROM generate_series(1, $customers);
INSERT INTO account(id, number, product, currency, opened_on, updated_at)
  SELECT value, 'A' || value, 'CARD', 'TWD', '2024-01-01', '2024-01-01' FROM generate_series(1, $customers);
INSERT INTO party_account(party_id, account_id, role) SELECT value, value, 'owner' FROM generate_series(1, $customers);
-- account, part of the account, seconds since 2024-11-01 (1730419200), amount, channel
CREATE TEMP TABLE t AS
  SELECT 1 + abs(random()) % $customers AS a, abs(random()) % $parts AS part, abs(random()) % 63072000 AS s,
         -(100 + abs(random()) % 500000) AS m, abs(random()) % 4 AS c
  FROM generate_series(1, $n);
INSERT INTO txn_block(id, n, account_id, currency, first_at, last_at, rows)
  SELECT 1 + sum(n) OVER (ORDER BY a, part) - n, n, a, 'TWD',
         strftime('%Y-%m-%dT%H:%M:%SZ', 1730419200 + lo, 'unixepoch'),
         strftime('%Y-%m-%dT%H:%M:%SZ', 1730419200 + hi, 'unixepoch'), rows
  FROM (SELECT a, part, count(*) AS n, min(s) AS lo, max(s) AS hi,
               json_group_array(json_array(strftime('%Y-%m-%dT%H:%M:%SZ', 1730419200 + s, 'unixepoch'), m,
                                           CASE c WHEN 0 THEN 'internet' WHEN 1 THEN 'pos' WHEN 2 THEN 'atm'
                                                  ELSE 'mobile' END, 'purchase')) AS rows
        FROM t GROUP BY a, part)
  ORDER BY a, part;
COMMIT;
SQL
read -r stored blocks <<<"$(sqlite3 -separator ' ' b.db "SELECT sum(n), count(*) FROM txn_block")"
[ "$stored" = "$n" ] || { echo "bench/analyze.sh: the store holds $stored transactions, not $n" >&2; exit 1; }
awk -v n="$n" -v b="$blocks" -v a="$t0" -v z="$(date +%s.%N)" 'BEGIN {
  printf "the store written in %.1f s (customers, accounts, %d transactions in %d blocks; not timed below)\n", z - a, n, b }'
# the same transactions for the others, with the day in Taipei as Rapport counts it
sqlite3 -csv b.db "SELECT account_id, date(posted_at, '+8 hours'), -amount_minor FROM txn" > t.csv
asof=2026-10-31; from=2025-11-01
# Rapport reading SQLite's rows directly, one analysis at a time
printf '[analytics]\ncolumn_copy = no\n' > nocopy.ini
/usr/bin/time -f '%e %M' -o s1.time "$rapport" analyze rfm --as-of $asof --no-save --config nocopy.ini > /dev/null
/usr/bin/time -f '%e %M' -o s2.time "$rapport" analyze pareto --as-of $asof --measure spend --no-save --config nocopy.ini > /dev/null
# the first analysis after a load brings the column copy beside the store up to date (here: all 10M rows)
/usr/bin/time -f '%e %M' -o c.time "$rapport" analyze pareto --as-of $asof --measure spend --no-save > /dev/null
# then rfm + pareto in one command, as the monthly pack runs
/usr/bin/time -f '%e %M' -o r.time "$rapport" analyze rfm pareto --as-of $asof --measure spend --no-save --json > both.json
/usr/bin/time -f '%e %M' -o d.time node "$here/node/analyze_duckdb.mjs" "$work/t.csv" $asof $from > duck.json
/usr/bin/time -f '%e %M' -o p.time /usr/bin/python3 "$here/analyze_pandas.py" t.csv $asof $from > pandas.json
/usr/bin/python3 - "$n" "$customers" <<'PY'
import json, sys
n, customers = int(sys.argv[1]), int(sys.argv[2])
def t(f):
    s, kb = open(f).read().split()
    return float(s), int(kb) / 1024
rfm, par = json.load(open("both.json"))
r, c, s1, s2 = t("r.time"), t("c.time"), t("s1.time"), t("s2.time")
rapport_s = r[0]
cells = " ".join(f"{row[0]}:{row[1]}" for row in rfm["table"]["rows"])
top20 = par["top20_share_%"] / 100
duck, pandas = json.load(open("duck.json")), json.load(open("pandas.json"))
for name, o in (("duckdb", duck), ("pandas", pandas)):
    if o["cells"] != cells:
        sys.exit(f"bench/analyze.sh: {name}'s RFM cells differ from Rapport's")
    if abs(o["top20"] - top20) > 5e-5:
        sys.exit(f"bench/analyze.sh: {name}'s top 20% share {o['top20']:.6f} differs from Rapport's {top20:.6f}")
print(f"rfm + pareto, {n:,} transactions, {customers:,} customers; all three agree: "
      f"{len(rfm['table']['rows'])} RFM cells, top 20% give {top20 * 100:.2f}%")
w = 44
print(f"{'':{w}}{'seconds':>9}{'peak MiB':>10}{'Rapport speed':>15}")
print(f"{'rapport analyze rfm pareto (column copy)':{w}}{rapport_s:9.2f}{r[1]:10.0f}")
for name, o, f in (("duckdb (in memory)", duck, "d.time"), ("pandas (in memory)", pandas, "p.time")):
    print(f"{name:{w}}{o['seconds']:9.2f}{t(f)[1]:10.0f}{o['seconds'] / rapport_s:14.2f}x")
print(f"{'rapport rfm, then pareto, from SQLite rows':{w}}{s1[0] + s2[0]:9.2f}{max(s1[1], s2[1]):10.0f}")
print(f"{f'first analysis after loading (copies {n / 1e6:g}M)':{w}}{c[0]:9.2f}{c[1]:10.0f}")
print("(Rapport speed: their time / Rapport's, above 1 when Rapport is faster.  Rapport's time is the whole")
print(" command: starting, reading customers and accounts from SQLite and the transactions from the column")
print(" copy, both analyses; the others' time excludes loading their in-memory copy)")
PY
