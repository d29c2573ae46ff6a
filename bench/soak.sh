#!/usr/bin/env bash
# A soak of `rapport serve` (issue 21 item 15; DOMAIN S4, S6): for
# SOAK_SECONDS (600) wrk drives a mixed load at the server on a demo-size
# store — customer 360 views across every customer, searches by name, by
# national ID and by phone, notes added, consents recorded — as a CSR of the
# bank and a teller of one branch, while the server's resident memory is
# sampled from /proc.  Beside it, what a user would otherwise watch: the
# memory the server had after the first minute (the caches warm), set against
# the memory at the end.
#
# It fails (exit 1) when the memory at the end is more than 10 % above that
# after the first minute (SOAK_RSS_LIMIT, 1.10), when any answer was not what
# the request should get (only a 409 for a phone a household shares is
# expected), or when the audit trail of the run does not verify.  It prints
# requests by kind, p50/p99, requests a second, and the audit trail's growth:
# bytes of store and of journal, and entries, per view.  --json: the summary
# as one JSON object on standard output (the progress still on the terminal).
#
# usage: bench/soak.sh [BUILD_DIR] [CUSTOMERS] [--json]
#   SOAK_SECONDS      how long the load runs (600); 60-90 to try it.  The memory
#                     check needs 60 s or more: the reference is the memory after
#                     the first minute, or after a third of a run under 3 minutes
#   SOAK_CONNECTIONS  wrk's connections (8; 2 threads)
#   SOAK_SAMPLE       seconds between memory samples (5)
#   SOAK_RSS_LIMIT    the end's memory over the reference's that fails (1.10)
#   SOAK_KEEP=1       keep the run's store, journal, server log and wrk's script (the folder is named)
#   BENCH_OUT         where the demo store is built once and kept (bench/out)
# The store is copied for each run, so every run starts from the same one.
set -euo pipefail
json=0; args=()
for a; do case $a in --json) json=1 ;; *) args+=("$a") ;; esac; done
build=${args[0]:-build}; customers=${args[1]:-20000}
secs=${SOAK_SECONDS:-600}; conns=${SOAK_CONNECTIONS:-8}; every=${SOAK_SAMPLE:-5}; limit=${SOAK_RSS_LIMIT:-1.10}
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
. "$here/needs.bash"; needs "$build" rapport
build=$(cd "$build" && pwd); rapport=$build/rapport
out=${BENCH_OUT:-$here/out}; mkdir -p "$out"
for tool in wrk curl python3; do
  command -v $tool >/dev/null || { echo "bench/soak.sh: $tool is missing (make deps installs it)" >&2; exit 1; }
done
[[ $secs =~ ^[0-9]+$ ]] && [ "$secs" -ge 5 ] || { echo "bench/soak.sh: SOAK_SECONDS: 5 or more" >&2; exit 2; }
say() { if [ $json = 1 ]; then printf '%s\n' "$*" >&2; else printf '%s\n' "$*"; fi; }

# ---- the demo store, built once as `make demo` builds it (no analyses: the load does not ask for them) ----
kept=$out/soak-$customers.db
export RAPPORT_PROGRESS=never RAPPORT_USER=soak
if [ ! -s "$kept" ] || [ ! -s "$kept.ready" ]; then
  say "building the demo store ($customers customers) in $kept, once"
  rm -rf "$out/soak-$customers-bank"; rm -f "$kept" "$kept-wal" "$kept-shm" "$kept.key" "$kept-audit" "$kept.ready"
  RAPPORT_DB=$kept "$rapport" gen --customers "$customers" --out "$out/soak-$customers-bank" > /dev/null
  RAPPORT_DB=$kept "$rapport" init > /dev/null
  RAPPORT_DB=$kept "$rapport" load "$out/soak-$customers-bank" > /dev/null 2>&1 || true   # the generator writes defects: rejects are expected
  RAPPORT_DB=$kept "$rapport" match > /dev/null
  RAPPORT_DB=$kept "$rapport" customer refresh --all > /dev/null
  date -u +%FT%TZ > "$kept.ready"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/rapport-soak-XXXXXX")
spid=; wpid=
cleanup() {
  [ -n "$wpid" ] && kill "$wpid" 2>/dev/null
  [ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
  if [ "${SOAK_KEEP:-0}" = 1 ]; then echo "bench/soak.sh: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
db=$work/rapport.db
cp --reflink=auto "$kept" "$db"; cp "$kept.key" "$db.key"
export RAPPORT_DB=$db
"$rapport" init > /dev/null   # a store kept from an older build: brought up to this one's schema
q() { "$rapport" query "$1" --csv --limit 0 | tail -n +2 | tr -d '\r'; }
branch=$(q "SELECT home_branch FROM party WHERE merged_into IS NULL AND home_branch IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
echo 'a long password 1' | "$rapport" user add soak-csr --role csr > /dev/null
echo 'a long password 1' | "$rapport" user add soak-teller --role teller --branch "$branch" > /dev/null

# what the requests ask for: customers of the bank and of the teller's branch, and keys people type
q "SELECT id FROM party WHERE merged_into IS NULL ORDER BY id" > "$work/ids"
q "SELECT id FROM party WHERE merged_into IS NULL AND home_branch = '$branch' ORDER BY id" > "$work/branch-ids"
python3 - "$out/soak-$customers-bank/online/users.jsonl" "$work" <<'PY'
import json, sys, urllib.parse
names, nids, phones = [], [], []
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        u = json.loads(line)
    except ValueError:
        continue                     # the generator's defects
    if not isinstance(u, dict): continue
    if u.get("name"): names += [u["name"], u["name"][:1]]   # a whole name, and a surname
    if u.get("id_no"): nids.append(u["id_no"])
    if u.get("mobile"): phones.append(u["mobile"][:4] + "-" + u["mobile"][4:7] + "-" + u["mobile"][7:])
for name, vals in (("names", names), ("nids", nids), ("phones", phones)):
    with open(f"{sys.argv[2]}/{name}", "w") as f:
        for v in vals[:5000]: f.write(urllib.parse.quote(v, safe="") + "\n")
PY

# the store and the journal before: pages in use, audit entries, the audit tables' pages
size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }
audit_pages() { q "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'audit%'"; }
used() { q "SELECT (p.page_count - f.freelist_count) * s.page_size FROM pragma_page_count() p, pragma_freelist_count() f, pragma_page_size() s"; }
entries0=$(q "SELECT count(*) FROM audit"); apages0=$(audit_pages); dbbytes0=$(used); jbytes0=$(size_of "$db-audit")

# ---- the server ----
"$rapport" serve --listen 127.0.0.1:0 --port-file "$work/port" --threads 2 > "$work/serve.log" 2>&1 &
spid=$!
for i in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { echo "bench/soak.sh: the server did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
url=http://127.0.0.1:$(cat "$work/port")
signin() { # USER -> "COOKIE CSRF"
  curl -s -i -H 'Content-Type: application/json' -d "{\"name\":\"$1\",\"password\":\"a long password 1\"}" \
    "$url/api/v1/session" | tr -d '\r' | python3 -c '
import json, re, sys
t = sys.stdin.read(); head, _, body = t.partition("\n\n")
m = re.search(r"^Set-Cookie: (rapport_session=[^;]*)", head, re.M)
print(m.group(1), json.loads(body)["csrf"]) if m else sys.exit(1)'
}
read -r csr_cookie csr_csrf < <(signin soak-csr) || { echo "bench/soak.sh: the CSR could not sign in" >&2; exit 1; }
read -r tel_cookie tel_csrf < <(signin soak-teller) || { echo "bench/soak.sh: the teller could not sign in" >&2; exit 1; }

# ---- the load: 60 % views, 25 % searches (name, ID, phone), 10 % notes, 5 % consents;
#      a quarter of each as the teller, on the branch's customers ----
lua_list() { printf 'local %s = {' "$1"; sed 's/.*/"&",/' "$2" | tr -d '\n'; printf '}\n'; }
{
  lua_list ids "$work/ids"; lua_list branch_ids "$work/branch-ids"
  lua_list names "$work/names"; lua_list nids "$work/nids"; lua_list phones "$work/phones"
  cat <<LUA
local users = {
  { cookie = "$csr_cookie", csrf = "$csr_csrf", ids = ids },
  { cookie = "$tel_cookie", csrf = "$tel_csrf", ids = branch_ids },
}
LUA
  cat <<'LUA'
local kinds = { "view", "search_name", "search_id", "search_phone", "note", "consent" }
local purposes = { "marketing", "profiling", "third_party", "cross_group", "research" }
local channels = { "phone", "sms", "email", "mail", "app", "any" }
local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  math.randomseed(7 + tid)
  sent = {}; statuses = {}
  for _, k in ipairs(kinds) do sent[k] = 0 end
end
local function pick(t) return t[math.random(1, #t)] end
function request()
  local u = users[math.random() < 0.25 and 2 or 1]
  local h = { ["Cookie"] = u.cookie }
  local r = math.random(100)
  local kind, method, path, body
  if r <= 60 then
    kind, method, path = "view", "GET", "/api/v1/customers/" .. pick(u.ids)
  elseif r <= 85 then
    local s = math.random(3)
    if u == users[2] then s = 1 end       -- a teller finds by name, within the branch
    kind = kinds[1 + s]
    method, path = "GET", "/api/v1/customers?q=" .. pick(s == 1 and names or s == 2 and nids or phones)
  elseif r <= 95 then
    kind, method, path = "note", "POST", "/api/v1/customers/" .. pick(u.ids) .. "/notes"
    body = '{"text":"soak: the customer called about a transfer","channel":"phone","reason":"soak"}'
  else
    kind, method, path = "consent", "PUT", "/api/v1/customers/" .. pick(u.ids) .. "/consents"
    body = '{"purpose":"' .. pick(purposes) .. '","channel":"' .. pick(channels) .. '","granted":' ..
           (math.random(2) == 1 and "true" or "false") .. ',"evidence":"soak: asked on the phone"}'
  end
  if body then
    h["Content-Type"] = "application/json"; h["X-CSRF-Token"] = u.csrf
  end
  sent[kind] = sent[kind] + 1
  return wrk.format(method, path, h, body)
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local f = io.open(os.getenv("SOAK_WRK_OUT"), "w")
  for _, t in ipairs(threads) do
    for _, k in ipairs(kinds) do f:write("sent ", k, " ", t:get("sent")[k], "\n") end
    for s, n in pairs(t:get("statuses")) do f:write("status ", s, " ", n, "\n") end
  end
  f:write("requests ", summary.requests, "\n")
  f:write("seconds ", summary.duration / 1e6, "\n")
  local e = summary.errors
  f:write("socket_errors ", e.connect + e.read + e.write + e.timeout, "\n")
  f:write("p50_ms ", latency:percentile(50) / 1000, "\n")
  f:write("p99_ms ", latency:percentile(99) / 1000, "\n")
  f:write("max_ms ", latency.max / 1000, "\n")
  f:close()
end
LUA
} > "$work/soak.lua"


rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$spid/status" 2>/dev/null || echo 0; }
served() { # requests the server has answered (its /metrics), or -1
  curl -s -m 5 "$url/metrics" | awk '/^rapport_http_requests_total/ { n += $NF } END { print n + 0 }'
}
warm=$(( secs >= 180 ? 60 : secs / 3 ))
say "soak: $secs s of views, searches, notes and consents on $customers customers (branch $branch for the teller);"
say "      wrk -t2 -c$conns; memory sampled every $every s; the reference is the memory at $warm s"
SOAK_WRK_OUT=$work/wrk.out wrk -t2 -c"$conns" -d"${secs}s" --timeout 10s -s "$work/soak.lua" "$url" \
  > "$work/wrk.log" 2>&1 &
wpid=$!
t0=$(date +%s.%N); base_req=$(served); : > "$work/rss"
tty=0; [ -t 2 ] && tty=1
while kill -0 "$wpid" 2>/dev/null; do
  sleep "$every"
  kill -0 "$spid" 2>/dev/null || { echo "bench/soak.sh: the server died:" >&2; tail -20 "$work/serve.log" >&2; exit 1; }
  el=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')
  r=$(rss); n=$(( $(served) - base_req ))
  echo "$el $r $n" >> "$work/rss"
  line=$(awk -v e="$el" -v n="$n" -v r="$r" -v t="$secs" 'BEGIN { printf "%4d/%d s  %9d requests  %7.0f/s  RSS %6.1f MB", e, t, n, e ? n / e : 0, r / 1024 }')
  if [ $tty = 1 ]; then printf '\r%s' "$line" >&2; elif [ $((el % 60)) -lt "$every" ]; then say "$line"; fi
done
[ $tty = 1 ] && printf '\n' >&2
wait "$wpid" || { echo "bench/soak.sh: wrk failed:" >&2; cat "$work/wrk.log" >&2; exit 1; }
wpid=
rss_end=$(rss)
curl -s "$url/metrics" > "$work/metrics"
# stop the server: it moves the rest of the journal into the store; then the trail is chained and verified
kill "$spid"; wait "$spid" || true; spid=
"$rapport" audit verify > "$work/verify" 2>&1 && verified=1 || verified=0
entries1=$(q "SELECT count(*) FROM audit"); apages1=$(audit_pages)
dbbytes1=$(used); jbytes1=$(size_of "$db-audit")
jdisk=$(du -k "$db-audit" | cut -f1)

python3 - "$work" "$secs" "$warm" "$limit" "$json" "$verified" "$customers" "$conns" \
  "$entries0" "$entries1" "$apages0" "$apages1" "$dbbytes0" "$dbbytes1" "$jbytes0" "$jbytes1" "$jdisk" "$rss_end" <<'PY'
import json, sys
w = sys.argv[1]
secs, warm, limit, as_json, verified, customers, conns = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5] == "1", sys.argv[6] == "1", int(sys.argv[7]), int(sys.argv[8])
e0, e1, a0, a1, d0, d1, j0, j1, jdisk, rss_end = (int(x or 0) for x in sys.argv[9:19])
samples = [tuple(int(x) for x in l.split()) for l in open(f"{w}/rss") if l.strip()]
sent, status, wrk = {}, {}, {}
for l in open(f"{w}/wrk.out"):
    p = l.split()
    if p[0] == "sent": sent[p[1]] = sent.get(p[1], 0) + int(p[2])
    elif p[0] == "status": status[int(p[1])] = status.get(int(p[1]), 0) + int(p[2])
    else: wrk[p[0]] = float(p[1])
# the server's own count by route and status class
routes = {}
for l in open(f"{w}/metrics"):
    if l.startswith("rapport_http_requests_total{"):
        lab, v = l.rsplit(" ", 1)
        route = lab.split('route="')[1].split('"')[0]; cls = lab.split('status="')[1].split('"')[0]
        routes.setdefault(route, {})[cls] = int(float(v))
ref = next((r for t, r, n in samples if t >= warm), samples[-1][1] if samples else 0)
ref_t = next((t for t, r, n in samples if t >= warm), 0)
first = samples[0][1] if samples else 0
peak = max((r for t, r, n in samples), default=0)
ratio = rss_end / ref if ref else 0
checked = secs >= 60
requests = int(wrk["requests"])
views = sent.get("view", 0)
# expected: 2xx; 201 for a note; 409 for a phone a household shares (at most the phone searches)
expected_409 = min(status.get(409, 0), sent.get("search_phone", 0))
unexpected = {s: n for s, n in status.items() if not (200 <= s < 300) and not (s == 409)}
unexpected_n = sum(unexpected.values()) + (status.get(409, 0) - expected_409) + int(wrk.get("socket_errors", 0))
entries = e1 - e0
audited = sum(sent.values())
out = {
    "seconds": secs, "customers": customers, "connections": conns,
    "requests": requests, "requests_per_second": round(requests / wrk["seconds"], 1),
    "by_kind": sent, "status": {str(k): v for k, v in sorted(status.items())},
    "unexpected": unexpected_n, "socket_errors": int(wrk.get("socket_errors", 0)),
    "p50_ms": round(wrk["p50_ms"], 2), "p99_ms": round(wrk["p99_ms"], 2), "max_ms": round(wrk["max_ms"], 1),
    "rss_mb": {"first_sample": round(first / 1024, 1), "reference": round(ref / 1024, 1), "reference_at_s": ref_t,
               "peak": round(peak / 1024, 1), "end": round(rss_end / 1024, 1)},
    "rss_ratio": round(ratio, 3), "rss_limit": limit, "rss_checked": checked,
    "audit": {"entries": entries, "entries_per_request": round(entries / audited, 3) if audited else 0,
              "entries_per_view": round(entries / views, 3) if views else 0,
              "table_bytes": a1 - a0, "table_bytes_per_entry": round((a1 - a0) / entries, 1) if entries else 0,
              "store_bytes": d1 - d0, "store_bytes_per_view": round((d1 - d0) / views, 1) if views else 0,
              "journal_bytes": j1 - j0, "journal_bytes_per_entry": round((j1 - j0) / entries, 1) if entries else 0,
              "journal_disk_kb": jdisk, "verified": verified},
    "routes": routes,
}
fails = []
if checked and ratio > limit:
    fails.append(f"memory at the end {rss_end / 1024:.1f} MB is {ratio:.2f} times that at {ref_t} s ({ref / 1024:.1f} MB); at most {limit:.2f}")
if unexpected_n:
    fails.append(f"{unexpected_n} answers that were not what the request should get: {unexpected}")
if not verified:
    fails.append("the audit trail does not verify: " + open(f"{w}/verify").read().strip())
if entries < audited:
    fails.append(f"{entries} audit entries for {audited} requests that are each audited")
out["ok"] = not fails; out["failures"] = fails
p = print if not as_json else (lambda *a, **k: print(*a, file=sys.stderr, **k))
a = out["audit"]
p(f"\nsoak of rapport serve: {secs} s, {customers:,} customers, wrk -t2 -c{conns}")
p(f"  requests          {requests:,} ({out['requests_per_second']:,.0f}/s): " +
  ", ".join(f"{k} {v:,}" for k, v in sent.items()))
p(f"  statuses          " + ", ".join(f"{k} {v:,}" for k, v in sorted(status.items())) +
  f"; unexpected {unexpected_n} (409 is a phone a household shares)")
p(f"  latency           p50 {wrk['p50_ms']:.2f} ms, p99 {wrk['p99_ms']:.2f} ms, max {wrk['max_ms']:.0f} ms")
p(f"  memory (RSS)      {first / 1024:.1f} MB at the first sample, {ref / 1024:.1f} MB at {ref_t} s, peak {peak / 1024:.1f} MB, "
  f"{rss_end / 1024:.1f} MB at the end")
p(f"  end / at {ref_t} s     {ratio:.3f} (limit {limit:.2f}" + ("" if checked else "; not checked: a run under 60 s") + ")")
p(f"  audit trail       {entries:,} entries ({a['entries_per_request']} a request, {a['entries_per_view']} a view): "
  f"{a['table_bytes_per_entry']:.0f} bytes of store an entry (audit tables and indexes), "
  f"journal {a['journal_bytes_per_entry']:.0f} bytes an entry (given back once moved: {jdisk} kB on disk)")
p(f"  store growth      {(d1 - d0) / 1e6:.1f} MB in all, {a['store_bytes_per_view']:.0f} bytes a view (notes, consents and kept 360s too); "
  f"chain {'verifies' if verified else 'DOES NOT VERIFY'}")
p(f"  memory, end / after the first minute: {ratio:.3f} (target at most {limit:.2f})")
for f in fails: p(f"FAIL: {f}")
if as_json: print(json.dumps(out, indent=1, ensure_ascii=False))
sys.exit(0 if not fails else 1)
PY
