#!/usr/bin/env bash
# Scale on paper (issue 26 item 8), measured in one run:
#   A. a bank of N customers from generated extracts (rapport gen: every source system's files), loaded
#      into SQLite and into PostgreSQL by `rapport load`, each family of files timed (customer masters,
#      accounts, transactions, events); who is who (rapport match); RFM and Pareto; the customer 360 over
#      HTTP for random customers, the kept documents dropped first (each answer computed); the store's size;
#   B. a bank of M customers built directly in a PostgreSQL database (one account each and K transactions
#      an account over 22 months, by INSERT ... SELECT from generate_series, the name keys and other row
#      triggers of the customer tables off while it is built, as a bulk load by a DBA would), then the same
#      analyses and 360s.  M customers of extracts do not fit this machine's disk; the build stands for them.
# Every figure is printed in one table; docs/scale.md draws the curve from them.  The PostgreSQL cluster is
# a throwaway one (tests/pg.sh: fsync off, as a test cluster; a bank's has it on).
# usage: bench/scale.sh [BUILD_DIR] [N_EXTRACTS] [M_BUILT] [K_TXN_PER_ACCOUNT] [MONTHS_OF_EXTRACTS] [SECONDS]
# (N_EXTRACTS 0: B alone)
set -euo pipefail
build=${1:-build}; n=${2:-100000}; m=${3:-10000000}; k=${4:-10}; months=${5:-6}; secs=${6:-10}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/needs.bash"; needs "$build" rapport
rapport=$(cd "$build" && pwd)/rapport
for tool in psql wrk curl python3; do
  command -v $tool >/dev/null || { echo "bench/scale.sh: $tool is missing (make deps installs it)" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/rapport-bench-scale-XXXXXX")
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  "$here/../tests/pg.sh" stop "$work/pg"; rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
export RAPPORT_PROGRESS=never
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
url=$("$here/../tests/pg.sh" start "$work/pg" $$)
built=${url%/rapport}/built
psql -X -q "$url" -c "CREATE DATABASE built"
lite=(--db "$work/s.db" --key "$work/s.key"); pg=(--db "$url" --key "$work/pg.key"); big=(--db "$built" --key "$work/b.key")
for s in lite pg big; do declare -n a=$s; "$rapport" init "${a[@]}" > /dev/null; done
echo "A: $n customers from extracts over $months months; B: $m customers built in the database, $k transactions each;"
echo "   PostgreSQL $(psql -X -At "$url" -c 'SHOW server_version'), SQLite $(sqlite3 --version | cut -d' ' -f1), $(nproc) cores"

# ---- A: from extracts (N = 0: skipped) ----
gen_s=0 bank_mb=0 lite_load=0 pg_load=0 lite_match=0 pg_match=0 lite_rfm=0 pg_rfm=0 lite_mb=0 pg_mb=0
if [ "$n" -gt 0 ]; then
t=$(now); "$rapport" gen --customers "$n" --months "$months" --out bank > gen.out; gen_s=$(since "$t")
bank_mb=$(du -sm bank | cut -f1)
for s in lite pg; do
  declare -n a=$s
  t=$(now); "$rapport" load bank "${a[@]}" --json > $s.load.json 2> $s.load.err || true
  eval "${s}_load=$(since "$t")"
  [ -s $s.load.json ] || { echo "bench/scale.sh: the load into $s failed:" >&2; tail -5 $s.load.err >&2; exit 1; }
  t=$(now); "$rapport" match "${a[@]}" > $s.match; eval "${s}_match=$(since "$t")"
  t=$(now); "$rapport" analyze rfm pareto "${a[@]}" --as-of "$(sed -n 's/.*"last_month": "\(.*\)".*/\1/p' bank/manifest.json)-28" \
    --no-save --json > $s.rfm.json; eval "${s}_rfm=$(since "$t")"
done
# the statistics PostgreSQL plans by, brought up to the loaded and matched bank as autovacuum would a minute or
# more later (a 360 planned with the statistics of the first batches took 59 requests/s, not 350: docs/scale.md)
psql -X -q "$url" -c "ANALYZE"
lite_mb=$(( $(stat -c %s s.db) / 1048576 ))
pg_mb=$(psql -X -At "$url" -c "SELECT pg_database_size(current_database()) / 1048576")
fi

# the 360 over HTTP: customers (a party no other merges into) in a random order, each once, their kept
# documents dropped first, so that each answer is computed from the tables
# each answer computed in the request: no documents built in the background (keep_c360 = no), where they
# would be built for every customer the load made stale, beside the requests and ahead of them
printf '[api]\nkeep_c360 = no\n' > "$work/serve.ini"
serve() { # NAME STORE-ARGS...
  local name=$1; shift
  "$rapport" serve "$@" --config "$work/serve.ini" --listen 127.0.0.1:0 --port-file "$work/$name.port" --threads 2 > "$work/$name.log" 2>&1 &
  pids+=($!)
  for i in $(seq 100); do [ -s "$work/$name.port" ] && break; sleep 0.1; done
  [ -s "$work/$name.port" ] || { echo "bench/scale.sh: rapport serve ($name) did not start:" >&2; cat "$work/$name.log" >&2; exit 1; }
}
c360() { # NAME STORE-ARGS...: requests/s and p99 into NAME.wrk
  local name=$1; shift
  echo 'a long password 1' | "$rapport" user add bench-csr --role csr "$@" > /dev/null
  case $2 in
  postgresql:*) psql -X -q "$2" -c "DELETE FROM c360_doc" ;;
  *) sqlite3 "$2" "DELETE FROM c360_doc" ;;
  esac
  "$rapport" query "$@" "SELECT id FROM party WHERE merged_into IS NULL ORDER BY id" --limit 0 --csv | tail -n +2 | tr -d '\r' |
    shuf -n 50000 --random-source=<(yes) > $name.ids
  serve $name "$@"
  local cookie
  cookie=$(curl -s -i -H 'Content-Type: application/json' -d '{"name":"bench-csr","password":"a long password 1"}' \
           "http://127.0.0.1:$(cat $name.port)/api/v1/session" | tr -d '\r' | sed -n 's/^Set-Cookie: \(rapport_session=[^;]*\).*/\1/p')
  { echo "ids = {"; sed 's/$/,/' $name.ids; echo "}"; cat <<LUA
-- each customer once, in a random order (then again, kept: only when the run outlasts the list)
i = 0
request = function()
  i = i % #ids + 1
  return wrk.format("GET", "/api/v1/customers/" .. ids[i], { ["Cookie"] = "$cookie" })
end
LUA
  } > $name.lua
  wrk -t1 -c8 -d"${secs}s" --latency -s $name.lua "http://127.0.0.1:$(cat $name.port)/" > $name.wrk
}
[ "$n" -gt 0 ] && { c360 lite "${lite[@]}"; c360 pg "${pg[@]}"; }

# ---- B: built in the database ----
first=2025-01; last=2026-10
mlist=$(python3 -c "
y, m = 2025, 1
out = []
while (y, m) <= (2026, 10):
    out.append('%04d-%02d' % (y, m)); m += 1
    if m > 12: y, m = y + 1, 1
print(','.join(out))")
t=$(now)
psql -X -q -v ON_ERROR_STOP=1 "$built" > build.out <<SQL
\\timing on
SET rapport.txn_checked = 'on';
INSERT INTO branch(code, name_zh) VALUES ('0001', '總行');
INSERT INTO product_category(code, name_zh) VALUES ('D', '存款');
INSERT INTO product(code, name_zh, kind) VALUES ('SAV', '活存', 'deposit');
INSERT INTO product_category_member(product, category) VALUES ('SAV', 'D');
ALTER TABLE party DISABLE TRIGGER USER;
ALTER TABLE account DISABLE TRIGGER USER;
ALTER TABLE party_account DISABLE TRIGGER USER;
INSERT INTO party(id, kind, name_latin, birth_date, gender, home_branch, created_at, updated_at)
  SELECT g, 'person', 'CUSTOMER ' || g, to_char(date '1950-01-01' + (g % 18000), 'YYYY-MM-DD'), CASE WHEN g % 2 = 0 THEN 'F' ELSE 'M' END,
         '0001', '2024-12-31T00:00:00Z', '2024-12-31T00:00:00Z' FROM generate_series(1, $m) g;
INSERT INTO account(id, number, product, branch, currency, opened_on, balance_minor, updated_at, holder_party)
  SELECT g, '1' || lpad(g::text, 13, '0'), 'SAV', '0001', 'TWD', '2020-01-01', (g % 1000) * 10000, '2024-12-31T00:00:00Z', g
  FROM generate_series(1, $m) g;
INSERT INTO party_account(party_id, account_id, role, since, holder_party) SELECT g, g, 'owner', '2020-01-01', g FROM generate_series(1, $m) g;
ALTER TABLE party ENABLE TRIGGER USER;
ALTER TABLE account ENABLE TRIGGER USER;
ALTER TABLE party_account ENABLE TRIGGER USER;
SELECT setval(pg_get_serial_sequence('party', 'id'), $m);
SELECT setval(pg_get_serial_sequence('account', 'id'), $m);
SELECT txn_reserve($m::bigint * $k, '$mlist');
$(for ((c = 0; c < m; c += 1000000)); do  # a million accounts a statement: what a statement's trigger holds stays bounded
cat <<CHUNK
INSERT INTO txn(id, account_id, posted_at, amount_minor, currency, channel, class, holder_party)
  SELECT (a - 1) * $k + j, a,
         to_char(timestamp '2025-01-01' + ((a::bigint * 7919 + j * 104729) % 668) * interval '1 day' + ((a + j) % 86400) * interval '1 second',
                 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
         CASE WHEN (a + j) % 5 = 0 THEN -((a * j) % 20000) ELSE (a * 31 + j * 17) % 50000 + 100 END, 'TWD',
         (ARRAY['branch','atm','internet','mobile','phone','pos','batch'])[1 + (a + j) % 7],
         (ARRAY['deposit','withdrawal','purchase','transfer_in','transfer_out','fee'])[1 + (a * 3 + j) % 6], a
  FROM generate_series($((c + 1)), $(( c + 1000000 < m ? c + 1000000 : m ))) a, generate_series(1, $k) j;
CHUNK
done)
ANALYZE;
SQL
build_s=$(since "$t")
big_mb=$(psql -X -At "$built" -c "SELECT pg_database_size(current_database()) / 1048576")
big_txn=$(psql -X -At "$built" -c "SELECT count(*) FROM txn")
[ "$big_txn" = "$((m * k))" ] || { echo "bench/scale.sh: built $big_txn transactions, not $((m * k))" >&2; exit 1; }
t=$(now); "$rapport" analyze rfm pareto "${big[@]}" --as-of 2026-10-31 --no-save --json > big.rfm.json; big_rfm=$(since "$t")
c360 big "${big[@]}"

python3 - "$n" "$m" "$k" "$months" "$bank_mb" "$gen_s" "$lite_load" "$pg_load" "$lite_match" "$pg_match" "$lite_rfm" "$pg_rfm" \
          "$lite_mb" "$pg_mb" "$build_s" "$big_mb" "$big_rfm" <<'PY'
import json, re, sys
n, m, k, months, bank_mb = (int(x) for x in sys.argv[1:6])
gen_s, lite_load, pg_load, lite_match, pg_match, lite_rfm, pg_rfm = (float(x) for x in sys.argv[6:13])
lite_mb, pg_mb = int(sys.argv[13]), int(sys.argv[14])
build_s, big_mb, big_rfm = float(sys.argv[15]), int(sys.argv[16]), float(sys.argv[17])
FAMILY = {'host-cif': 'customer masters', 'card-customers': 'customer masters', 'online-users': 'customer masters',
          'host-acct': 'accounts', 'host-txn': 'transactions', 'card-transactions': 'transactions'}
def families(f):
    got = {}
    for j in json.load(open(f)):
        fam = FAMILY.get(j['spec'], 'events and the rest')
        r, s = got.get(fam, (0, 0.0))
        got[fam] = (r + j['records'], s + j['seconds'])
    return got
lf, pf = (families('lite.load.json'), families('pg.load.json')) if n else ({}, {})
def wrk(f):
    t = open(f).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    mm = re.search(r"99%\s+([\d.]+)(us|ms|s)", t)
    p99 = float(mm.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[mm.group(2)]
    errs = sum(int(x) for x in re.findall(r"Non-2xx or 3xx responses: (\d+)", t))
    return rps, p99, errs
lw, pw, bw = (wrk('lite.wrk'), wrk('pg.wrk'), wrk('big.wrk')) if n else (None, None, wrk('big.wrk'))
def agree(a, b):
    pick = lambda f: json.dumps([{x: r.get(x) for x in ('headline', 'table')} for r in json.load(open(f))], sort_keys=True)
    return pick(a) == pick(b)
W = 52
if n:
  print(f"\nA. {n:,} customers from extracts ({months} months, {bank_mb:,} MB of files, written in {gen_s:.0f} s)")
  print(f"{'':{W}}{'SQLite':>14}{'PostgreSQL':>14}{'PG / SQLite':>13}")
  for fam in ('customer masters', 'accounts', 'transactions', 'events and the rest'):
      (r, ls), (_, ps) = lf.get(fam, (0, 0.0)), pf.get(fam, (0, 0.0))
      if r:
          print(f"{'load ' + fam + ', records/s (' + format(r, ',') + ')':{W}}{r / ls:14,.0f}{r / ps:14,.0f}{ls / ps:12.2f}x")
  print(f"{'load, the whole bank, s':{W}}{lite_load:14,.0f}{pg_load:14,.0f}{lite_load / pg_load:12.2f}x")
  print(f"{'who is who (rapport match), s':{W}}{lite_match:14,.1f}{pg_match:14,.1f}{lite_match / pg_match:12.2f}x")
  print(f"{'RFM + Pareto, s':{W}}{lite_rfm:14,.1f}{pg_rfm:14,.1f}{lite_rfm / pg_rfm:12.2f}x")
  print(f"{'customer 360 computed, requests/s (8 connections)':{W}}{lw[0]:14,.0f}{pw[0]:14,.0f}{pw[0] / lw[0]:12.2f}x")
  print(f"{'customer 360 computed, p99 ms':{W}}{lw[1]:14.1f}{pw[1]:14.1f}")
  print(f"{'the store, MB':{W}}{lite_mb:14,}{pg_mb:14,}")
  print(f"RFM and Pareto: the stores {'agree' if agree('lite.rfm.json', 'pg.rfm.json') else 'DIFFER'}; 360 errors {lw[2] + pw[2]} (target 0)")
print(f"\nB. {m:,} customers built in PostgreSQL ({m * k:,} transactions over 22 months)")
print(f"{'build (INSERT ... SELECT, ANALYZE), s':{W}}{build_s:14,.0f}  ({m * (3 + k) / build_s:,.0f} rows/s)")
print(f"{'the store, MB':{W}}{big_mb:14,}")
print(f"{'RFM + Pareto, s':{W}}{big_rfm:14,.1f}  ({m * k / big_rfm:,.0f} transactions/s)")
print(f"{'customer 360 computed, requests/s (8 connections)':{W}}{bw[0]:14,.0f}")
print(f"{'customer 360 computed, p99 ms':{W}}{bw[1]:14.1f}   errors {bw[2]} (target 0)")
PY
