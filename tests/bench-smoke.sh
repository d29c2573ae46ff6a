#!/usr/bin/env bash
# Every benchmark in bench/ at a tiny size, so that a change that breaks one
# fails the tests: each must exit 0 and print its comparison (for
# bench/analyze.sh, that Rapport, DuckDB and pandas agree).  The figures mean
# nothing at these sizes.  A benchmark whose tools are missing is skipped
# and says which (make deps installs them); tests/run-all.sh fails a skip
# under CI.  Kept stores and banks go to a temporary BENCH_OUT, not bench/out.
# usage: tests/bench-smoke.sh BUILD_DIR [NAME...]   (NAME: analyze, load, c360, ...)
# Ends with "bench: N passed, M failed, K skipped".
set -u
build=$(cd "${1:?build dir}" && pwd); shift
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rapport-bench-smoke-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export BENCH_OUT=$tmp/out RAPPORT_PROGRESS=never
pass=0; fail=0; skip=0

# NAME: the tools it needs beyond make deps' base | its command | a line its comparison prints (grep -E),
# one per line
declare -A needs cmd want
needs[analyze]='pandas duckdb'
cmd[analyze]="bench/analyze.sh $build 20000 500"
want[analyze]=$'all three agree: [0-9]+ RFM cells\nduckdb \\(in memory\\) .*x$\npandas \\(in memory\\) .*x$'
cmd[load]="bench/load.sh $build 20000 300"
want[load]=$'rapport / \\.import bare: [0-9.]+x .*rapport / \\.import keyed: [0-9.]+x\nno key at all +[0-9]+ rows/s\nhost TXN files .*records/s'
cmd[gen]="bench/gen.sh $build 300"
want[gen]=$'dd, the same .*of the disk\npython3 script .*\\([0-9.]+x\\)'
cmd[match]="bench/match.sh $build 500"
want[match]=$'pairwise precision [0-9.]+, recall [0-9.]+\nSplink, published: .*rapport [0-9.]+x'
needs[api]='wrk nginx'
cmd[api]="bench/api.sh $build 300 1"
want[api]=$'rapport / nginx: [0-9.]+ \\(target at least 0.5\\)'
needs[soak]='wrk'
cmd[soak]="env SOAK_SECONDS=15 bench/soak.sh $build 300"
want[soak]=$'requests +[0-9,]+ \\([0-9,]+/s\\): view [0-9,]+, search_name [0-9,]+, search_id [0-9,]+, search_phone [0-9,]+, note [0-9,]+, consent [0-9,]+\nunexpected 0 \nchain verifies\nmemory, end / after the first minute: [0-9.]+'
needs[web]='nginx chromium'
cmd[web]="bench/web.sh $build 300 1"
want[web]=$'analyst: Pareto dashboard +[0-9]+\nsign-in page from rapport serve takes [0-9.]+ times as long as from nginx'
needs[models]='pandas sklearn'
cmd[models]="bench/models.sh $build 20000 10 100000"
want[models]=$'^gbm +[0-9.]+ +[0-9.]+ +[0-9.]+x +0\\.[0-9]+ +0\\.[0-9]+ .*x$\nlargest AUC difference 0\\.0[0-9]+ \\(target at most 0\\.01\\)'
cmd[score]="$build/bench/score tests/fixtures/models/churn.csv tests/fixtures/models/churn.csv gbm 10000 max_iter=20 churned"
want[score]=$'^\\{"learner": "gbm", "fit": [0-9.]+, "score_rows": 10000, "score": [0-9.]+, "mean_score": 0\\.[0-9]+\\}$'
cmd[contact]="bench/contact.sh $build 100 0.85"
want[contact]=$'rapport contact simulate \\| [0-9.]+ \\|.*\nrapport / python: [0-9.]+x the time; the service levels agree'
needs[screenpop]='kamailio sipp chromium'
cmd[screenpop]="bench/screenpop.sh $build 300 3"
want[screenpop]=$'INVITE to the customer\'s name on screen +[0-9.]+ +[0-9.]+ +[0-9.]+\nthe screen pop, INVITE to the name: p95 [0-9.]+ ms, (under|OVER) the 300 ms target\npolling every 2 s: [0-9]+ ms at the median .* the pushed screen pop is [0-9.]+x faster'
cmd[route]="bench/route.sh $build 100 2000 300"
want[route]=$'rapport routing: 100 agents.*p99 [0-9.]+ us\nthe same choices over the first 300 decisions; rapport / python decisions a second: [0-9]+x'
cmd[events]="bench/events.sh $build 500"
want[events]=$'events by rule \\(both agree\\):.*EV_IN [0-9]+\nrapport / sqlite3: [0-9.]+x the time'
cmd[select]="bench/select.sh $build 5000"
want[select]=$'the rule matches [0-9]+ \\(both agree\\)\nrapport / sqlite3: [0-9.]+x'
cmd[optimise]="$build/bench/optimise --customers 4000 --exact 600"
want[optimise]=$'^rapport / greedy: objective [+-][0-9.]+%, time [0-9.]+x\nat 600 customers: exact \\(GLPK\\) [0-9.]+ in [0-9.]+ s .*below$'
cmd[c360]="$build/bench/c360 --customers 300 --lookups 50 --db $tmp/c360.db"
want[c360]=$'ratio sqlite3 shell / rapport +[0-9.]+x'
needs[postgres]='wrk nginx psql'
cmd[postgres]="bench/postgres.sh $build 20000 300 1"
want[postgres]=$'RFM and Pareto: both stores agree, read directly and through the column copy\nload 20,000 transactions, rows/s .* [0-9.]+x$\npsql .copy into a table of txn shape .*rapport / psql: [0-9.]+x\nrapport on PostgreSQL / nginx: [0-9.]+; on SQLite / nginx: [0-9.]+; errors 0'
needs[scale]='wrk psql'
cmd[scale]="bench/scale.sh $build 200 2000 3 2 1"
want[scale]=$'load customer masters, records/s .* [0-9.]+x$\nRFM and Pareto: the stores agree; 360 errors 0 \\(target 0\\)\nB. 2,000 customers built in PostgreSQL \\(6,000 transactions over 22 months\\)\ncustomer 360 computed, p99 ms +[0-9.]+ +errors 0 \\(target 0\\)'
cmd[sqlite_ceiling]="$build/bench/sqlite_ceiling 20000 $tmp"
want[sqlite_ceiling]=$'no key at all +[0-9]+ rows/s\nclustered by account and time.* [0-9]+ rows/s'

missing() { # the tools of NAME that are not here
  local t m=""
  for t in ${needs[$1]:-}; do
    case $t in
      pandas) /usr/bin/python3 -c 'import pandas' 2>/dev/null || m+=" python3-pandas" ;;
      sklearn) /usr/bin/python3 -c 'import sklearn' 2>/dev/null || m+=" python3-sklearn" ;;
      duckdb) [ -d bench/node/node_modules/@duckdb/node-api ] || m+=" DuckDB (npm, bench/node)" ;;
      nginx) [ -x /usr/sbin/nginx ] || m+=" nginx" ;;
      chromium) [ -x /usr/bin/chromium ] || m+=" chromium" ;;
      kamailio) [ -x /usr/sbin/kamailio ] || m+=" kamailio" ;;
      *) command -v "$t" >/dev/null || m+=" $t" ;;
    esac
  done
  printf '%s' "${m# }"
}

names=("$@")
if [ ${#names[@]} = 0 ]; then
  # a benchmark with a program and its script (route.c, route.sh) is one
  while IFS= read -r n; do names+=("$n"); done < <(for f in bench/*.sh bench/*.c; do basename "${f%.*}"; done | sort -u)
fi
for name in "${names[@]}"; do
  if [ -z "${cmd[$name]:-}" ]; then
    echo "not ok - $name: no tiny size known for it (add it to tests/bench-smoke.sh)"; fail=$((fail + 1)); continue
  fi
  m=$(missing "$name")
  if [ -n "$m" ]; then
    echo "skip - $name: $m missing (make deps installs it)"; skip=$((skip + 1)); continue
  fi
  t0=$(date +%s.%N)
  timeout 300 ${cmd[$name]} > "$tmp/$name.out" 2>&1; rc=$?
  secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  problems=""
  [ $rc = 0 ] || problems+="exit code $rc"$'\n'
  while IFS= read -r re; do
    grep -Eq -- "$re" "$tmp/$name.out" || problems+="no line matching /$re/"$'\n'
  done <<<"${want[$name]}"
  if [ -z "$problems" ]; then
    echo "ok - $name (${secs} s): ${cmd[$name]}"; pass=$((pass + 1))
  else
    printf 'not ok - %s (%s s): %s\n%s\n    its output ended:\n' "$name" "$secs" "${cmd[$name]}" "$(printf '%s' "$problems" | sed 's/^/    /')"
    tail -15 "$tmp/$name.out" | sed 's/^/      /'
    fail=$((fail + 1))
  fi
done
echo "bench: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
