#!/usr/bin/env bash
# Run every test: each unit-test program in its own process, then the
# black-box tests of the binary, then the web application in a browser, then
# every benchmark at a tiny size.  The black-box tests run on a PostgreSQL
# store too (cli-postgresql: a throwaway cluster), side by side with the
# rest from the start, after the unit tests on PostgreSQL (unit-postgresql), and both are counted at the
# end (RAPPORT_TEST_PG_SUITE=no leaves them out of a run, as when PostgreSQL is not installed).  Ends with
# one line "N passed, N failed, N skipped" ("PART: N passed, ..." for one part); each skipped test is
# named, with why where the test said so.
# Under CI (CI=true in the environment) a skipped test fails the run: CI has
# everything a test needs, ../shared/data beside its clone included.
# usage: tests/run-all.sh BUILD_DIR [unit|unit-postgresql|shape|cli|cli-postgresql|web|web-types|bench|fuzz|faults]
# The fuzz suite runs the harnesses built in $FUZZ_BUILD (default build-fuzz;
# make fuzz-build) for $FUZZ_SECONDS each (default 30).
set -u
build=${1:?build dir}; only=${2:-all}
pass=0; fail=0; skipped=(); failed_suites=()
case ${CI:-} in true|1|yes) ci=1 ;; *) ci=0 ;; esac

# The skipped tests of one unit-test program's output, one "NAME<TAB>WHY" a
# line: cmocka's "[  SKIPPED ] NAME" (skip()), and a test that printed
# "skipped: WHY" and returned (cmocka counts it as passed).
unit_skips() {
  awk '
    /^\[ RUN      \] / { cur = substr($0, 14); why = ""; next }
    cur != "" && /^skipped: / { why = substr($0, 10); next }
    /^\[  SKIPPED \] / && substr($0, 14) == cur { print cur "\t" (why == "" ? "skip() without a reason printed" : why); cur = ""; next }
    /^\[       OK \] / && substr($0, 14) == cur { if (why != "") print cur "\t" why " (printed, and passed)"; cur = ""; next }
    /^\[  FAILED  \] / && substr($0, 14) == cur { cur = "" }'
}

# A suite whose runner prints "ok - NAME", "not ok - NAME", "skip - NAME: WHY"
# and ends with "SUITE: N passed, M failed[, K skipped]".
suite() { # name, command...
  local name=$1 out rc started=$SECONDS
  shift
  out=$("$@" 2>&1); rc=$?
  suite_counted "$name" "$out" "$rc"
  took "$name" "$started"
}
# How long a part took, for CI's budget (docs/testing.md): "took: NAME N s" (at N s of the run)
took() { echo "took: $1 $((SECONDS - $2)) s (at $SECONDS s)"; }
suite_counted() { # name, its output, its exit code
  local name=$1 out=$2 rc=$3 p f s line
  printf '%s\n' "$out" | grep -v '^ok - '
  p=$(printf '%s\n' "$out" | sed -n "s/^$name: \([0-9]*\) passed.*/\1/p" | tail -1)
  f=$(printf '%s\n' "$out" | sed -n "s/^$name: [0-9]* passed, \([0-9]*\) failed.*/\1/p" | tail -1)
  s=$(printf '%s\n' "$out" | sed -n "s/^$name: [0-9]* passed, [0-9]* failed, \([0-9]*\) skipped.*/\1/p" | tail -1)
  pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
  while IFS= read -r line; do
    [ -n "$line" ] && skipped+=("$name: ${line#skip - }")
  done < <(printf '%s\n' "$out" | grep '^skip - ')
  if [ -z "$p" ]; then
    fail=$((fail + 1)); echo "$name: no summary line (the runner stopped early?)"
  fi
  [ "${s:-0}" = "$(printf '%s\n' "$out" | grep -c '^skip - ')" ] ||
    { fail=$((fail + 1)); echo "$name: counted ${s:-0} skipped but named $(printf '%s\n' "$out" | grep -c '^skip - ')"; }
  [ $rc = 0 ] && [ -n "$p" ] || failed_suites+=("$name")
}

pg_suite=""
if [ "$only" = all ] && [ "${RAPPORT_TEST_PG_SUITE:-yes}" != no ]; then
  # the unit tests and the black-box suite on PostgreSQL, beside everything else (two cores: one each,
  # most of the time; the two sides take about as long, docs/testing.md)
  pg_suite=$(mktemp "${TMPDIR:-/tmp}/rapport-cli-postgresql-XXXXXX")
  (started=$SECONDS
   "$0" "$build" unit-postgresql > "$pg_suite.units" 2>&1; echo $? > "$pg_suite.units.rc"
   RAPPORT_TEST_STORE=postgresql tests/cli/run.sh "$build" > "$pg_suite" 2>&1; echo $? > "$pg_suite.rc"
   echo "took: cli-postgresql, with the unit tests before it, $((SECONDS - started)) s (beside the rest)" >> "$pg_suite") &
  pg_pid=$!
fi
# One unit-test program run and counted (LABEL names it in failures and skips).
unit_program() { # program, label
  local t=$1 label=$2 out rc p f quiet test why
  out=$(timeout 300 "$t" 2>&1); rc=$?
  printf '%s\n' "$out" | grep -E '^\[ +(OK|FAILED|ERROR|LINE|PASSED|SKIPPED) +\]|^\[=+\]' | grep -v '^\[       OK \]'
  p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  quiet=0
  while IFS=$'\t' read -r test why; do
    [ -n "$test" ] || continue
    skipped+=("$label $test: $why")
    case $why in *'(printed, and passed)') quiet=$((quiet + 1)) ;; esac
  done < <(printf '%s\n' "$out" | unit_skips)
  pass=$((pass + ${p:-0} - quiet)); fail=$((fail + ${f:-0}))
  if [ $rc != 0 ]; then
    [ -n "$f" ] || { fail=$((fail + 1)); printf '%s\n' "$out" | tail -20; }
    failed_suites+=("$label")
  fi
}

if [ "$only" = all ] || [ "$only" = unit ]; then
  units=0; started=$SECONDS
  for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    units=$((units + 1))
    unit_program "$t" "$(basename "$t")"
  done
  [ $units -gt 0 ] || { fail=$((fail + 1)); failed_suites+=(unit); echo "unit: no test programs in $build/tests"; }
  took unit "$started"
fi
if [ "$only" = unit-postgresql ]; then
  # the unit tests that open a store (tu_store) again, each store a database of a throwaway cluster
  pg_units=$(mktemp -d "${TMPDIR:-/tmp}/rapport-unit-pg-XXXXXX"); started=$SECONDS
  if url=$(tests/pg.sh start "$pg_units/pg" $$); then
    for src in $(grep -l 'tu_store(' tests/unit/test_*.c); do
      t="$build/tests/$(basename "${src%.c}")"
      [ -x "$t" ] && RAPPORT_TEST_PG="${url%/*}/postgres" unit_program "$t" "$(basename "$t") (PostgreSQL)"
    done
  else
    fail=$((fail + 1)); failed_suites+=(unit-postgresql)
  fi
  tests/pg.sh stop "$pg_units/pg"; rm -rf "$pg_units"
  took unit-postgresql "$started"
fi
if [ "$only" = all ] || [ "$only" = shape ]; then
  # the shape of the tree: function lengths, SQL where it belongs, one public header a folder
  suite shape tests/shape/check.sh
fi
if [ "$only" = all ] || [ "$only" = cli ]; then
  suite cli tests/cli/run.sh "$build"
fi
if [ "$only" = cli-postgresql ]; then
  # the same cases on a PostgreSQL store alone (make test-postgres; under "all" they run beside the rest)
  suite cli-postgresql env RAPPORT_TEST_STORE=postgresql tests/cli/run.sh "$build"
fi
if [ "$only" = all ] || [ "$only" = web ]; then
  # the web application in Debian's Chromium (web/tests/browser.mjs); screenshots in BUILD/web-shots
  suite web timeout 600 node web/tests/browser.mjs "$build"
fi
if [ "$only" = all ] || [ "$only" = web-types ]; then
  # the web application's API calls against a client generated from the API's own document
  suite web-types timeout 600 web/tests/typecheck.sh "$build"
fi
if [ "$only" = all ] || [ "$only" = bench ]; then
  # every benchmark at a tiny size: it still runs and prints its comparison
  suite bench timeout 600 tests/bench-smoke.sh "$build"
fi
if [ "$only" = all ] || [ "$only" = faults ]; then
  # fault injection, a shorter round than make faults: allocations failing in turn, a full disk,
  # kill -9 at random moments (tests/faults/run.sh, docs/testing.md); about four minutes
  suite faults timeout 1200 tests/faults/run.sh "$build"
fi
if [ "$only" = all ] || [ "$only" = fuzz ]; then
  # each libFuzzer harness in fuzz/ from its seeds, 30 s each; any crash fails (docs/testing.md)
  suite fuzz env FUZZ_SECONDS="${FUZZ_SECONDS:-30}" fuzz/run.sh "${FUZZ_BUILD:-build-fuzz}"
fi
if [ -n "$pg_suite" ]; then
  took "the rest (the PostgreSQL suites still running)" 0
  wait "$pg_pid"
  suite_counted unit-postgresql "$(cat "$pg_suite.units")" "$(cat "$pg_suite.units.rc" 2>/dev/null || echo 1)"
  rm -f "$pg_suite.units" "$pg_suite.units.rc"
  took "the PostgreSQL suites (ended)" 0
  suite_counted cli-postgresql "$(cat "$pg_suite")" "$(cat "$pg_suite.rc" 2>/dev/null || echo 1)"
  rm -f "$pg_suite" "$pg_suite.rc"
fi
for s in "${skipped[@]}"; do
  echo "skipped: $s"
  [ "$only" = all ] || echo "skip - $s" # as a part of another run counts them (unit-postgresql)
done
if [ $ci = 1 ] && [ ${#skipped[@]} -gt 0 ]; then
  echo "CI: ${#skipped[@]} test(s) skipped, named above. Under CI every test must run: CI has everything a test"
  echo "    needs (the Debian and npm packages of make deps, ../shared/data beside the clone), so a skip here"
  echo "    means checks that were not made: a test did not find what it needs, or was left out."
  failed_suites+=(skipped-under-CI)
fi
[ ${#failed_suites[@]} = 0 ] || echo "failing: ${failed_suites[*]}"
if [ "$only" = all ]; then echo "$pass passed, $fail failed, ${#skipped[@]} skipped"
else echo "$only: $pass passed, $fail failed, ${#skipped[@]} skipped"; fi
[ $fail = 0 ] && [ ${#failed_suites[@]} = 0 ]
