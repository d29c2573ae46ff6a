#!/usr/bin/env bash
# Run every test: each unit-test program in its own process, then the
# black-box tests of the binary, then the web application in a browser.  Ends with one line "N passed, N failed".
# usage: tests/run-all.sh BUILD_DIR [unit|cli|web]
set -u
build=${1:?build dir}; only=${2:-all}
pass=0; fail=0; failed_suites=()
if [ "$only" = all ] || [ "$only" = unit ]; then
  for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    out=$(timeout 300 "$t" 2>&1); rc=$?
    printf '%s\n' "$out" | grep -E '^\[ +(OK|FAILED|ERROR|LINE|PASSED) +\]|^\[=+\]' | grep -v '^\[       OK \]' 
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
    if [ $rc != 0 ]; then
      [ -n "$f" ] || { fail=$((fail + 1)); printf '%s\n' "$out" | tail -20; }
      failed_suites+=("$(basename "$t")")
    fi
  done
fi
if [ "$only" = all ] || [ "$only" = cli ]; then
  out=$(tests/cli/run.sh "$build" 2>&1); rc=$?
  printf '%s\n' "$out" | grep -v '^ok - '
  p=$(printf '%s\n' "$out" | sed -n 's/^cli: \([0-9]*\) passed.*/\1/p')
  f=$(printf '%s\n' "$out" | sed -n 's/^cli: [0-9]* passed, \([0-9]*\) failed/\1/p')
  pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
  [ $rc = 0 ] || failed_suites+=(cli)
fi
if [ "$only" = all ] || [ "$only" = web ]; then
  # the web application in Debian's Chromium (web/tests/browser.mjs); screenshots in BUILD/web-shots
  out=$(timeout 600 node web/tests/browser.mjs "$build" 2>&1); rc=$?
  printf '%s\n' "$out" | grep -v '^ok - '
  p=$(printf '%s\n' "$out" | sed -n 's/^web: \([0-9]*\) passed.*/\1/p')
  f=$(printf '%s\n' "$out" | sed -n 's/^web: [0-9]* passed, \([0-9]*\) failed/\1/p')
  pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
  [ $rc = 0 ] || failed_suites+=(web)
fi
[ ${#failed_suites[@]} = 0 ] || echo "failing: ${failed_suites[*]}"
echo "$pass passed, $fail failed"
[ $fail = 0 ] && [ ${#failed_suites[@]} = 0 ]
