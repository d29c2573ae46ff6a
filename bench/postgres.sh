#!/usr/bin/env bash
# The two stores side by side (issue 26), in one run on the same data: the same CSV of transactions
# loaded by `rapport load` into SQLite (blocks) and into PostgreSQL (COPY into txn, partitioned by
# month), against psql's \copy of that file into a bare table and into a table of txn's shape
# (partitioned by month, the same keys and indexes); RFM and Pareto on each store, reading it
# directly and through the column copy, the two stores' answers compared; the customer 360 over HTTP
# from one `rapport serve` on SQLite, one and two on one PostgreSQL, against nginx serving a static
# file of the same size.  The PostgreSQL cluster is a throwaway one (tests/pg.sh: fsync off, as a test
# cluster; a bank's has it on).  One table at the end.
# usage: bench/postgres.sh [BUILD_DIR] [TRANSACTIONS] [ACCOUNTS] [SECONDS]
set -euo pipefail
build=${1:-build}; rows=${2:-10000000}; accounts=${3:-200000}; secs=${4:-10}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/needs.bash"; needs "$build" rapport
rapport=$(cd "$build" && pwd)/rapport
for tool in psql wrk curl; do
  command -v $tool >/dev/null || { echo "bench/postgres.sh: $tool is missing (make deps installs it)" >&2; exit 1; }
done
[ -x /usr/sbin/nginx ] || { echo "bench/postgres.sh: nginx is missing (make deps installs it)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/rapport-bench-pg-XXXXXX")
chmod 755 "$work"   # nginx's workers and the server's user pass through
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -s "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  "$here/../tests/pg.sh" stop "$work/pg"; rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
export RAPPORT_PROGRESS=never
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
url=$("$here/../tests/pg.sh" start "$work/pg" $$)
lite=(--db "$work/s.db"); pg=(--db "$url" --key "$work/pg.key")
"$rapport" init "${lite[@]}" > /dev/null
"$rapport" init "${pg[@]}" > /dev/null

# customers with an account each, entered through the warehouse of both stores
awk -v n="$accounts" 'BEGIN {
  print "{\"branches\":[{\"code\":\"0001\",\"name_zh\":\"總行\"}],\"categories\":[{\"code\":\"D\",\"name_zh\":\"存款\"}],"
  print "\"products\":[{\"code\":\"SAV\",\"name_zh\":\"活存\",\"kind\":\"deposit\",\"categories\":[\"D\"]}],\"parties\":["
  for (i = 1; i <= n; i++) printf "%s{\"ref\":\"p%d\",\"kind\":\"person\",\"name_latin\":\"CUSTOMER %d\",\"home_branch\":\"0001\"}", (i > 1 ? "," : ""), i, i
  print "],\"accounts\":["
  for (i = 1; i <= n; i++) printf "%s{\"number\":\"1%013d\",\"product\":\"SAV\",\"branch\":\"0001\",\"currency\":\"TWD\",\"opened_on\":\"2020-01-01\",\"balance_minor\":0,\"holders\":[{\"party\":\"p%d\",\"role\":\"owner\"}]}", (i > 1 ? "," : ""), i, i
  print "]}" }' > accounts.json
"$rapport" import "${lite[@]}" accounts.json > /dev/null
"$rapport" import "${pg[@]}" accounts.json > /dev/null
# two years of transactions, accounts and days at random: account, posted, amount, channel, class, ref
awk -v n="$rows" -v a="$accounts" 'BEGIN {
  srand(7); split("branch atm internet mobile phone pos batch", ch, " "); split("deposit withdrawal purchase transfer_in transfer_out fee", cl, " ")
  print "account,posted,amount,channel,class,ref"
  for (i = 1; i <= n; i++) {
    y = 2025 + int(rand() * 2); m = int(rand() * 12) + 1; d = int(rand() * 28) + 1
    if (y == 2026 && m > 10) y = 2025
    printf "1%013d,%d-%02d-%02dT%02d:%02d:%02d+08:00,%.2f,%s,%s,R%09d\n", int(rand() * a) + 1, y, m, d,
      int(rand() * 24), int(rand() * 60), int(rand() * 60), (rand() - 0.6) * 20000, ch[int(rand() * 7) + 1], cl[int(rand() * 6) + 1], i
  } }' > txns.csv
mb=$(du -m txns.csv | cut -f1)
echo "$rows transactions ($mb MB of CSV) into $accounts accounts; PostgreSQL $(psql -X -At "$url" -c 'SHOW server_version'), SQLite $(sqlite3 --version | cut -d' ' -f1)"

# ---- loading ----
t=$(now); "$rapport" load "${lite[@]}" --spec "$here/load/transactions.json" txns.csv > s.load; ls_=$(since "$t")
t=$(now); "$rapport" load "${pg[@]}" --spec "$here/load/transactions.json" txns.csv > p.load; lp=$(since "$t")
for s in lite pg; do
  declare -n a=$s
  got=$("$rapport" query "${a[@]}" "SELECT count(*) FROM txn" --csv | tail -1 | tr -d '\r')
  [ "$got" = "$rows" ] || { echo "bench/postgres.sh: $s holds $got transactions, not $rows" >&2; cat s.load p.load >&2; exit 1; }
done
psql -X -q "$url" -c "CREATE TABLE bare(account TEXT, posted TEXT, amount TEXT, channel TEXT, class TEXT, ref TEXT)"
t=$(now); psql -X -q "$url" -c "\\copy bare FROM 'txns.csv' CSV HEADER"; lb=$(since "$t")
months=$(psql -X -At "$url" -c "SELECT string_agg(format('CREATE TABLE shaped_%s PARTITION OF shaped FOR VALUES FROM (%L) TO (%L);',
  replace(m, '-', '_'), m, to_char(to_date(m || '-01', 'YYYY-MM-DD') + interval '1 month', 'YYYY-MM')), ' ')
  FROM (SELECT DISTINCT substr(posted, 1, 7) m FROM bare) x")
psql -X -q "$url" <<SQL
CREATE SEQUENCE shaped_id;
CREATE TABLE shaped(id BIGINT NOT NULL DEFAULT nextval('shaped_id'), account TEXT NOT NULL, posted TEXT NOT NULL,
                    amount NUMERIC NOT NULL, channel TEXT NOT NULL CHECK (channel IN ('branch', 'atm', 'internet', 'mobile',
                    'phone', 'pos', 'batch')), class TEXT NOT NULL, ref TEXT, PRIMARY KEY (id, posted)) PARTITION BY RANGE (posted);
$months
CREATE INDEX shaped_account_time ON shaped(account, posted);
CREATE INDEX shaped_account_ref ON shaped(account, ref);
SQL
t=$(now); psql -X -q "$url" -c "\\copy shaped(account, posted, amount, channel, class, ref) FROM 'txns.csv' CSV HEADER"; lk=$(since "$t")
psql -X -q "$url" -c "DROP TABLE bare, shaped; DROP SEQUENCE shaped_id"

# ---- RFM and Pareto: the store read directly (no column copy), then through the column copy ----
asof=2026-10-31
printf '[analytics]\ncolumn_copy = no\n' > nocopy.ini
for s in lite pg; do
  declare -n a=$s
  t=$(now); "$rapport" analyze rfm pareto "${a[@]}" --as-of $asof --measure spend --no-save --config nocopy.ini --json > $s.direct.json
  eval "${s}_direct=$(since "$t")"
  "$rapport" analyze pareto "${a[@]}" --as-of $asof --measure spend --no-save > /dev/null   # the column copy made
  t=$(now); "$rapport" analyze rfm pareto "${a[@]}" --as-of $asof --measure spend --no-save --json > $s.copy.json
  eval "${s}_copy=$(since "$t")"
done
python3 - <<'PY'
import json, sys
def pick(f):
    d = json.load(open(f))
    return json.dumps({k: d[k] for k in ('rfm', 'pareto') if k in d}, sort_keys=True, default=str)
a = [pick(f) for f in ('lite.direct.json', 'pg.direct.json', 'lite.copy.json', 'pg.copy.json')]
if len(set(a)) != 1:
    sys.exit('bench/postgres.sh: the stores\' RFM and Pareto differ')
print('RFM and Pareto: both stores agree, read directly and through the column copy')
PY

# ---- the customer 360 over HTTP ----
for s in lite pg; do
  declare -n a=$s
  echo 'a long password 1' | "$rapport" user add bench-csr --role csr "${a[@]}" > /dev/null
  "$rapport" customer refresh "${a[@]}" --json > /dev/null
done
serve() { # NAME STORE-ARGS...: a server on a free port, its port in NAME.port
  local name=$1; shift
  "$rapport" serve "$@" --listen 127.0.0.1:0 --port-file "$work/$name.port" --threads 2 > "$work/$name.log" 2>&1 &
  pids+=($!)
  for i in $(seq 100); do [ -s "$work/$name.port" ] && break; sleep 0.1; done
  [ -s "$work/$name.port" ] || { echo "bench/postgres.sh: rapport serve ($name) did not start:" >&2; cat "$work/$name.log" >&2; exit 1; }
}
serve lite "${lite[@]}"; serve pg1 "${pg[@]}"; serve pg2 "${pg[@]}"
signin() {
  curl -s -i -H 'Content-Type: application/json' -d '{"name":"bench-csr","password":"a long password 1"}' \
       "http://127.0.0.1:$(cat "$work/$1.port")/api/v1/session" | tr -d '\r' | sed -n 's/^Set-Cookie: \(rapport_session=[^;]*\).*/\1/p'
}
lua() { # NAME COOKIE: random customers
  cat > "$work/$1.lua" <<LUA
math.randomseed(7)
request = function()
  return wrk.format("GET", "/api/v1/customers/" .. math.random(1, $accounts), { ["Cookie"] = "$2" })
end
LUA
}
lua lite "$(signin lite)"; lua pg "$(signin pg1)"
# the session made on one server is good on the other: they share the store
curl -sf -o /dev/null -H "$(sed -n 's/.*"Cookie"\] = "\(.*\)" }).*/Cookie: \1/p' "$work/pg.lua")" \
  "http://127.0.0.1:$(cat "$work/pg2.port")/api/v1/customers/1" || { echo "bench/postgres.sh: a session of one server is refused by the other" >&2; exit 1; }
curl -s -H "$(sed -n 's/.*"Cookie"\] = "\(.*\)" }).*/Cookie: \1/p' "$work/lite.lua")" \
  "http://127.0.0.1:$(cat "$work/lite.port")/api/v1/customers/$((accounts / 2))" > c360.json
size=$(stat -c %s c360.json); chmod 644 c360.json
nport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > nginx.conf <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 1024; }
http { access_log off; default_type application/json; server { listen 127.0.0.1:$nport; root $work; } }
NGINX
/usr/sbin/nginx -c "$work/nginx.conf" -p "$work" -g 'daemon on;'
for i in $(seq 50); do [ -s nginx.pid ] && break; sleep 0.1; done
w() { wrk -t1 -c"$1" -d"${secs}s" --latency ${3:+-s "$3"} "$2"; }
w 16 "http://127.0.0.1:$(cat lite.port)/" lite.lua > lite.wrk
w 16 "http://127.0.0.1:$(cat pg1.port)/" pg.lua > pg1.wrk
w 8 "http://127.0.0.1:$(cat pg1.port)/" pg.lua > pg2a.wrk & wa=$!
w 8 "http://127.0.0.1:$(cat pg2.port)/" pg.lua > pg2b.wrk
wait $wa
w 16 "http://127.0.0.1:$nport/c360.json" > nginx.wrk

python3 - "$rows" "$mb" "$size" "$accounts" "$ls_" "$lp" "$lb" "$lk" "$lite_direct" "$pg_direct" "$lite_copy" "$pg_copy" <<'PY'
import re, sys
rows, mb, size, accounts = (int(x) for x in sys.argv[1:5])
ls, lp, lb, lk, ld, pd, lc, pc = (float(x) for x in sys.argv[5:13])
def parse(f):
    t = open(f).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)", t)
    p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
    errs = sum(int(x) for x in re.findall(r"Non-2xx or 3xx responses: (\d+)", t))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", t)
    errs += sum(int(x) for x in m.groups()) if m else 0
    return rps, p99, errs
lite, pg1, a, b, ng = (parse(f + '.wrk') for f in ('lite', 'pg1', 'pg2a', 'pg2b', 'nginx'))
pg2 = (a[0] + b[0], max(a[1], b[1]), a[2] + b[2])
w = 58
print(f"\n{'':{w}}{'SQLite':>12}{'PostgreSQL':>12}{'PG / SQLite':>13}")
print(f"{'load ' + format(rows, ',') + ' transactions, rows/s (rapport load)':{w}}{rows / ls:12,.0f}{rows / lp:12,.0f}{ls / lp:12.2f}x")
print(f"{'RFM + Pareto, the store read directly, s':{w}}{ld:12.2f}{pd:12.2f}{ld / pd:12.2f}x")
print(f"{'RFM + Pareto through the column copy, s':{w}}{lc:12.2f}{pc:12.2f}{lc / pc:12.2f}x")
print(f"{'customer 360, requests/s, one rapport serve':{w}}{lite[0]:12,.0f}{pg1[0]:12,.0f}{pg1[0] / lite[0]:12.2f}x")
print(f"{'customer 360, p99 ms, one rapport serve':{w}}{lite[1]:12.2f}{pg1[1]:12.2f}")
print(f"{'customer 360, requests/s, two rapport serve, one store':{w}}{'':>12}{pg2[0]:12,.0f}")
print(f"\nloading into PostgreSQL, the same {mb} MB file:")
print(f"  {'rapport load (checked, deduplicated, lineage; COPY)':{w}}{lp:8.2f} s {rows / lp:12,.0f} rows/s")
bare, shaped = 'psql \\copy into a bare table of six text columns', 'psql \\copy into a table of txn shape (by month, keys)'
print(f"  {bare:{w}}{lb:8.2f} s {rows / lb:12,.0f} rows/s   rapport / psql: {lb / lp:.2f}x")
print(f"  {shaped:{w}}{lk:8.2f} s {rows / lk:12,.0f} rows/s   rapport / psql: {lk / lp:.2f}x")
print(f"\ncustomer 360 over HTTP ({accounts:,} customers, documents of about {size:,} bytes; wrk, 16 connections):")
for name, r in (('rapport serve on SQLite', lite), ('rapport serve on PostgreSQL', pg1), ('two rapport serve on one PostgreSQL', pg2), ('nginx, a static file of that size', ng)):
    print(f"  {name:{w}}{r[0]:10,.0f} requests/s  p99 {r[1]:7.2f} ms  errors {r[2]}")
print(f"rapport on PostgreSQL / nginx: {pg1[0] / ng[0]:.2f}; on SQLite / nginx: {lite[0] / ng[0]:.2f}; errors {lite[2] + pg1[2] + pg2[2]} (target 0)")
PY
