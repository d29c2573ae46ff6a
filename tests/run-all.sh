#!/usr/bin/env bash
# Run every test: each unit-test program in its own process, then the
# black-box tests of the binary.  Ends with one line "N passed, N failed".
# usage: tests/run-all.sh BUILD_DIR [unit|cli]
set -u
build=${1:?build dir}; only=${2:-all}
pass=0; fail=0; failed_suites=()
if [ "$only" != cli ]; then
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
if [ "$only" != unit ]; then
  out=$(tests/cli/run.sh "$build" 2>&1); rc=$?
  printf '%s\n' "$out" | grep -v '^ok - '
  p=$(printf '%s\n' "$out" | sed -n 's/^cli: \([0-9]*\) passed.*/\1/p')
  f=$(printf '%s\n' "$out" | sed -n 's/^cli: [0-9]* passed, \([0-9]*\) failed/\1/p')
  pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
  [ $rc = 0 ] || failed_suites+=(cli)
fi
[ ${#failed_suites[@]} = 0 ] || echo "failing: ${failed_suites[*]}"
echo "$pass passed, $fail failed"
[ $fail = 0 ] && [ ${#failed_suites[@]} = 0 ]
