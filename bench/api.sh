#!/usr/bin/env bash
# The customer-360 route of the API at a million customers, against nginx
# serving a static JSON file of the same size on the same machine, both
# driven by wrk (Debian) in one run: requests/s, p99 latency and errors.
# Every Rapport request is a real one: a signed-in CSR, a random customer,
# session and branch checks, the kept 360 read from SQLite for the CSR's
# role, and an audit entry written to the journal before the reply.  The
# store's audit table gets every entry too: the script waits until the
# server has moved them all, and says how long that took.
# usage: bench/api.sh [BUILD_DIR] [CUSTOMERS] [SECONDS]   (BENCH_OUT: where the store is kept, bench/out)
set -euo pipefail
build=${1:-build}; customers=${2:-1000000}; secs=${3:-10}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/needs.bash"; needs "$build" rapport bench/c360
rapport=$(cd "$build" && pwd)/rapport
out=${BENCH_OUT:-$here/out}; mkdir -p "$out"
db=$out/c360.db
for tool in wrk nginx curl; do
  command -v $tool >/dev/null || [ -x /usr/sbin/$tool ] || { echo "bench/api.sh: $tool is missing (make deps installs it)" >&2; exit 1; }
done
# the store of bench/c360 (built once, reused while it has CUSTOMERS customers)
"$build/bench/c360" --customers "$customers" --lookups 10 --db "$db" > /dev/null
export RAPPORT_DB=$db RAPPORT_PROGRESS=never
"$rapport" init > /dev/null
echo 'a long password 1' | "$rapport" user add bench-csr --role csr > /dev/null 2>&1 || true
# the kept 360 documents (built once; reused), then the store read once, so
# that it starts in the page cache as nginx's file does
"$rapport" customer refresh --json > /dev/null
cat "$db" > /dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/rapport-bench-api-XXXXXX")
chmod 755 "$work"   # nginx's workers run as www-data
cleanup() { [ -n "${spid:-}" ] && kill "$spid" 2>/dev/null; [ -s "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
"$rapport" serve --listen 127.0.0.1:0 --port-file "$work/port" --threads 2 > "$work/serve.log" 2>&1 &
spid=$!
for i in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
cookie=$(curl -s -i -H 'Content-Type: application/json' -d '{"name":"bench-csr","password":"a long password 1"}' \
         "http://127.0.0.1:$port/api/v1/session" | tr -d '\r' | sed -n 's/^Set-Cookie: \(rapport_session=[^;]*\).*/\1/p')
[ -n "$cookie" ] || { echo "bench/api.sh: could not sign in" >&2; exit 1; }
maxid=$("$rapport" query "SELECT max(id) FROM party" --csv | tail -1 | tr -d '\r')
# a typical document, for nginx to serve
curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/customers/$((maxid / 2))" > "$work/c360.json"
size=$(stat -c %s "$work/c360.json"); chmod 644 "$work/c360.json"
cat > "$work/random.lua" <<LUA
math.randomseed(7)
request = function()
  return wrk.format("GET", "/api/v1/customers/" .. math.random(1, $maxid), { ["Cookie"] = "$cookie" })
end
LUA
cat > "$work/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  server { listen 127.0.0.1:0; root $work; }
}
NGINX
nport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -i "s/listen 127.0.0.1:0/listen 127.0.0.1:$nport/" "$work/nginx.conf"
/usr/sbin/nginx -c "$work/nginx.conf" -p "$work" -g 'daemon on;'
for i in $(seq 50); do [ -s "$work/nginx.pid" ] && break; sleep 0.1; done
before=$("$rapport" query "SELECT count(*) FROM audit" --csv | tail -1 | tr -d '\r')
wrk -t2 -c16 -d"${secs}s" --latency -s "$work/random.lua" "http://127.0.0.1:$port/" > "$work/rapport.wrk"
t0=$(date +%s.%N)
# every view's entry is in the journal; wait until the server has moved them all into the store
views=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$work/rapport.wrk")
for i in $(seq 600); do
  n=$("$rapport" query "SELECT count(*) FROM audit" --csv | tail -1 | tr -d '\r')
  [ $((n - before)) -ge "$views" ] && break
  sleep 0.1
done
lag=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
moved=$((n - before))
wrk -t2 -c16 -d"${secs}s" --latency "http://127.0.0.1:$nport/c360.json" > "$work/nginx.wrk"
served=$(curl -s "http://127.0.0.1:$port/metrics" | sed -n 's/^rapport_c360_served_total{from="\(kept\|built\)"} \([0-9]*\)/\1 \2/p' | tr '\n' ' ')
echo "audit: $moved entries in the store for $views views (the last moved ${lag} s after the run); 360s served: $served"
python3 - "$work/rapport.wrk" "$work/nginx.wrk" "$size" "$maxid" <<'PY'
import re, sys
def parse(f):
    t = open(f).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)", t)
    p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
    errs = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
    if m: errs += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", t)
    if m: errs += sum(int(x) for x in m.groups())
    n = int(re.search(r"(\d+) requests in", t).group(1))
    return rps, p99, errs, n
r, n = parse(sys.argv[1]), parse(sys.argv[2])
print(f"customer 360 over HTTP, {int(sys.argv[4]):,} customers, documents of about {int(sys.argv[3]):,} bytes; wrk -t2 -c16")
print(f"{'':34}{'requests/s':>12}{'p99 ms':>9}{'errors':>8}{'requests':>11}")
print(f"{'rapport GET /api/v1/customers/{id}':34}{r[0]:12,.0f}{r[1]:9.2f}{r[2]:8d}{r[3]:11,d}")
print(f"{'nginx, a static file of that size':34}{n[0]:12,.0f}{n[1]:9.2f}{n[2]:8d}{n[3]:11,d}")
print(f"rapport / nginx: {r[0] / n[0]:.2f} (target at least 0.5), p99 {r[1]:.2f} ms (target under 5), errors {r[2]} (target 0)")
PY
