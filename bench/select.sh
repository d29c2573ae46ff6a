#!/usr/bin/env bash
# Campaign selection: a rule counted over every customer, as a marketer editing it sees the count
# change (issue 24 item 2), side by side in one run with the sqlite3 shell counting the same customers
# by the same conditions in SQL on the same store.  The store is written directly (customers with a
# birth date, gender and home branch, an account each, consents), as bench/analyze.sh writes its own:
# generated extracts of ten million customers would not fit the disk.  Rapport's count is the whole
# command (`rapport campaign count --rule ...`: the selection copy opened and the rule run over it);
# making the copy (`rapport campaign mart --refresh`) is timed on its own.  The script stops if the
# two counts differ.
# usage: bench/select.sh [BUILD_DIR] [CUSTOMERS]
set -euo pipefail
build=${1:-build}; n=${2:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/needs.bash"; needs "$build" rapport
rapport=$(cd "$build" && pwd)/rapport
work=$(mktemp -d "${TMPDIR:-/tmp}/rapport-bench-select-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
export RAPPORT_DB=$work/s.db RAPPORT_PROGRESS=never
"$rapport" init >/dev/null
today=$(TZ=Asia/Taipei date +%F)
t0=$(date +%s.%N)
sqlite3 s.db >/dev/null <<SQL
PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-400000;
BEGIN;
INSERT INTO branch(code, name_zh) SELECT printf('B%03d', value), printf('分行%d', value) FROM generate_series(1, 100);
INSERT INTO product_category(code, name_zh) VALUES ('all', '全部');
INSERT INTO product(code, name_zh, kind) VALUES ('SAV', '活期儲蓄', 'deposit'), ('FND', '基金', 'investment');
-- birth days 1 to 28 of any month: whole years the same by SQL's date arithmetic and Rapport's
INSERT INTO party(id, kind, name_zh, birth_date, gender, home_branch, created_at, updated_at)
  SELECT value, 'person', 'c' || value,
         printf('%04d-%02d-%02d', 1940 + abs(random()) % 66, 1 + abs(random()) % 12, 1 + abs(random()) % 28),
         CASE abs(random()) % 2 WHEN 0 THEN 'F' ELSE 'M' END, printf('B%03d', 1 + abs(random()) % 100),
         '2024-01-01', '2024-01-01'
  FROM generate_series(1, $n);
INSERT INTO account(id, number, product, currency, opened_on, balance_minor, updated_at)
  SELECT value, 'A' || value, CASE WHEN value % 5 = 0 THEN 'FND' ELSE 'SAV' END, 'TWD', '2024-01-01',
         abs(random()) % 500000000, '2024-01-01' FROM generate_series(1, $n);
INSERT INTO party_account(party_id, account_id, role) SELECT value, value, 'owner' FROM generate_series(1, $n);
INSERT INTO contact_point(party_id, kind, value, lookup) SELECT value, 'email', 'c' || value || '@example.com',
  'c' || value || '@example.com' FROM generate_series(1, $n);
INSERT INTO consent(party_id, purpose, channel, granted, effective_at, recorded_at)
  SELECT value, 'marketing', 'any', abs(random()) % 5 > 0, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'
  FROM generate_series(1, $n);
COMMIT;
SQL
awk -v n="$n" -v a="$t0" -v z="$(date +%s.%N)" 'BEGIN { printf "the store written in %.1f s (%d customers; not timed below)\n", z - a, n }'
rule="gender = 'F' and age >= 30 and age < 60 and home_branch in ('B001', 'B002', 'B003', 'B004', 'B005')"
sql="SELECT count(*) FROM party WHERE merged_into IS NULL AND gender = 'F' AND birth_date <= date('$today', '-30 years') AND birth_date > date('$today', '-60 years') AND home_branch IN ('B001', 'B002', 'B003', 'B004', 'B005')"
/usr/bin/time -f '%e %M' -o m.time "$rapport" campaign mart --refresh >/dev/null
best() { sort -n "$@" | head -1; }
for k in 1 2 3; do
  /usr/bin/time -f '%e %M' -o r$k.time "$rapport" campaign count --rule "$rule" --json > r.json
  /usr/bin/time -f '%e %M' -o q$k.time sqlite3 s.db "$sql" > q.txt
done
got=$(python3 -c 'import json,sys; print(json.load(open("r.json"))["matching"])')
want=$(cat q.txt)
[ "$got" = "$want" ] || { echo "bench/select.sh: Rapport counts $got, the sqlite3 shell $want" >&2; exit 1; }
r=$(cut -d' ' -f1 r1.time r2.time r3.time | sort -n | head -1); q=$(cut -d' ' -f1 q1.time q2.time q3.time | sort -n | head -1)
inner=$(python3 -c 'import json; print(json.load(open("r.json"))["seconds"])')
printf 'customers %d, the rule matches %d (both agree)\n' "$n" "$got"
printf 'the selection copy made in %s s (peak %s KiB)\n' "$(cut -d' ' -f1 m.time)" "$(cut -d' ' -f2 m.time)"
printf 'rapport campaign count, whole command  %6.3f s (the rule over the copy: %.3f s)\n' "$r" "$inner"
printf 'sqlite3 shell, the same count in SQL   %6.3f s\n' "$q"
awk -v r="$r" -v q="$q" 'BEGIN { printf "rapport / sqlite3: %.2fx\n", (q > 0 ? r / q : 0) }'
