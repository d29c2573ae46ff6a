#!/usr/bin/env bash
# RFM and Pareto at ten million transactions, side by side in one run on the
# same data: Rapport from its store, DuckDB (npm @duckdb/node-api) and pandas
# (Debian's python3-pandas) each on its own in-memory copy (their loading is
# not timed).  All three compute the same thing by the same rules, and the
# script checks that they agree: the RFM cell counts and the top 20 %'s share.
# usage: bench/analyze.sh [BUILD_DIR] [TRANSACTIONS] [CUSTOMERS]
set -euo pipefail
build=${1:-build}; n=${2:-10000000}; customers=${3:-200000}
rapport=$(cd "$build" && pwd)/rapport
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -d "$here/node/node_modules/@duckdb/node-api" ]; then
  (cd "$here/node" && npm install --no-audit --no-fund --silent >/dev/null) || { echo "bench/analyze.sh: npm install of DuckDB failed" >&2; exit 1; }
fi
/usr/bin/python3 -c 'import pandas' 2>/dev/null || { echo "bench/analyze.sh: python3-pandas is missing (make bench installs it)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/rapport-bench-analyze-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
export RAPPORT_DB=$work/b.db RAPPORT_PROGRESS=never
"$rapport" init >/dev/null
# two years of card purchases, customers and days at random
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
DROP INDEX txn_account_time; DROP INDEX txn_source_key;
INSERT INTO txn(account_id, posted_at, amount_minor, currency, channel, class)
  SELECT 1 + (abs(random()) % $customers),
         strftime('%Y-%m-%dT%H:%M:%SZ', '2024-11-01', '+' || (abs(random()) % 63072000) || ' seconds'),
         -(100 + abs(random()) % 500000), 'TWD',
         CASE abs(random()) % 4 WHEN 0 THEN 'internet' WHEN 1 THEN 'pos' WHEN 2 THEN 'atm' ELSE 'mobile' END, 'purchase'
  FROM generate_series(1, $n);
COMMIT;
CREATE INDEX txn_account_time ON txn(account_id, posted_at);
CREATE UNIQUE INDEX txn_source_key ON txn(source, source_key) WHERE source_key IS NOT NULL;
SQL
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
print(f"{f'first analysis after loading (copies {n // 1000000}M)':{w}}{c[0]:9.2f}{c[1]:10.0f}")
print("(Rapport speed: their time / Rapport's, above 1 when Rapport is faster.  Rapport's time is the whole")
print(" command: starting, reading customers and accounts from SQLite and the transactions from the column")
print(" copy, both analyses; the others' time excludes loading their in-memory copy)")
PY
