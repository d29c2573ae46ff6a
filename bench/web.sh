#!/usr/bin/env bash
# Page loads of the web application on the demo bank, in Debian's Chromium
# driven by Playwright (npm playwright-core, as the browser tests): each
# screen opened cold (a fresh browser context, nothing cached) five times,
# from the address to the screen showing its data.  The target is under a
# second for every screen.  Beside it, in the same run, the application's
# files served by nginx, to compare the static part of a page load with what
# a bank would otherwise put in front of it.
# usage: bench/web.sh [BUILD_DIR] [CUSTOMERS] [RUNS]   (RUNS: loads of each screen, 5;
#        BENCH_OUT: where the demo bank is kept, bench/out)
set -euo pipefail
build=${1:-build}; customers=${2:-20000}; runs=${3:-5}
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
. "$here/needs.bash"; needs "$build" rapport web/index.html
build=$(cd "$build" && pwd); rapport=$build/rapport
out=${BENCH_OUT:-$here/out}; mkdir -p "$out"
db=$out/web-$customers.db
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "bench/web.sh: nginx is missing (make deps installs it)" >&2; exit 1; }
[ -x /usr/bin/chromium ] || { echo "bench/web.sh: chromium is missing (make deps installs it)" >&2; exit 1; }
export RAPPORT_DB=$db RAPPORT_PROGRESS=never RAPPORT_USER=bench
# the demo bank, built as `make demo` builds it (once; reused)
if [ ! -s "$db" ]; then
  rm -rf "$out/web-bank"; rm -f "$db" "$db-wal" "$db-shm" "$db.key"
  "$rapport" gen --customers "$customers" --out "$out/web-bank" > /dev/null
  "$rapport" init > /dev/null
  "$rapport" load "$out/web-bank" > /dev/null 2>&1 || true   # rejects are expected: the generator writes defects
  "$rapport" match > /dev/null
  "$rapport" import "$root/tests/fixtures/bank.json" > /dev/null
  asof=$("$rapport" query "SELECT substr(max(posted_at), 1, 10) FROM txn" --csv | tail -1 | tr -d '\r')
  "$rapport" analyze pareto value pyramid rfm gains-losses migration clv cluster quality --as-of "$asof" > /dev/null
  "$rapport" analyze segment --segments "$root/docs/examples/segments.txt" --as-of "$asof" > /dev/null
  for r in csr analyst steward auditor; do echo 'a long password 1' | "$rapport" user add "bench-$r" --role "$r" > /dev/null; done
  "$rapport" customer refresh --all > /dev/null
fi
"$rapport" init > /dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/rapport-bench-web-XXXXXX")
chmod 755 "$work"
cleanup() { [ -n "${spid:-}" ] && kill "$spid" 2>/dev/null; [ -s "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
"$rapport" serve --listen 127.0.0.1:0 --port-file "$work/port" --static "$build/web" > "$work/serve.log" 2>&1 &
spid=$!
for i in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
cp -r "$build/web" "$work/static"; chmod -R a+rX "$work/static"
nport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  include /etc/nginx/mime.types;
  server { listen 127.0.0.1:$nport; root $work/static; }
}
NGINX
/usr/sbin/nginx -c "$work/nginx.conf" -p "$work" -g 'daemon on;'
for i in $(seq 50); do [ -s "$work/nginx.pid" ] && break; sleep 0.1; done
cust=$("$rapport" query "SELECT p.id FROM party p JOIN party_account pa ON pa.party_id = p.id WHERE p.merged_into IS NULL GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 1" --csv | tail -1 | tr -d '\r')
job=$("$rapport" query "SELECT id FROM load_job WHERE rows_rejected > 0 ORDER BY rows_rejected DESC LIMIT 1" --csv | tail -1 | tr -d '\r')
echo "web page loads: $customers customers ($(du -h "$db" | cut -f1) store), cold loads in Chromium, $runs each"
node "$here/web.mjs" "http://127.0.0.1:$(cat "$work/port")/" "http://127.0.0.1:$nport/" "$cust" "$job" "$runs"
