#!/usr/bin/env bash
# Run each libFuzzer harness (BUILD/fuzz/fuzz_NAME, `make fuzz-build`) for
# FUZZ_SECONDS (default 600), one at a time, from its seeds (fuzz/corpus/NAME)
# and what earlier runs found (BUILD/fuzz-corpus/NAME, kept between runs).
# Prints "ok - NAME: runs, exec/s, coverage" or "not ok - NAME" with the
# finding (the input is kept in BUILD/fuzz-crashes/NAME/, the whole log in
# BUILD/fuzz-logs/NAME.log), and ends with "fuzz: N passed, N failed", as
# tests/run-all.sh reads it.  docs/testing.md says how to reproduce,
# minimise and keep a finding.
# usage: fuzz/run.sh BUILD_DIR [NAME...]     (FUZZ_SECONDS=30 is what CI runs)
set -u
build=${1:?usage: fuzz/run.sh BUILD_DIR [NAME...]}; shift
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-600}
names=("$@")
if [ ${#names[@]} = 0 ]; then
  for f in fuzz/fuzz_*.c; do n=${f#fuzz/fuzz_}; names+=("${n%.c}"); done
fi

# The longest input each harness is given: a few records, a spec, a request.
max_len() {
  case $1 in
    ebcdic) echo 512 ;;
    api_query) echo 1024 ;;
    segment) echo 2048 ;;
    reader|big5|api_body) echo 4096 ;;
    spec) echo 16384 ;;
    *) echo 8192 ;;
  esac
}

# Files the harnesses write go to memory when it can be had (twice as many runs of the journal's):
# /dev/shm if it is writable with 256 MB free (a container's may have 64 MB in all).
tmpbase=${TMPDIR:-/tmp}
if [ -d /dev/shm ] && [ -w /dev/shm ] && [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -ge 262144 ]; then
  tmpbase=/dev/shm
fi
pass=0; fail=0
for name in "${names[@]}"; do
  bin=$build/fuzz/fuzz_$name
  if [ ! -x "$bin" ]; then
    echo "not ok - $name: $bin is not built (make fuzz-build)"; fail=$((fail + 1)); continue
  fi
  work=$build/fuzz-corpus/$name crashes=$build/fuzz-crashes/$name/ log=$build/fuzz-logs/$name.log
  mkdir -p "$work" "$crashes" "$(dirname "$log")"
  tmp=$(mktemp -d "$tmpbase/rapport-fuzz-run-XXXXXX")
  dict=()
  for d in "fuzz/$name.dict" "fuzz/${name%%_*}.dict"; do
    [ -f "$d" ] && { dict=("-dict=$d"); break; }
  done
  # findings: crash-, leak-, timeout- and oom- files; a slow-unit- file (an input over 10 s, less than
  # the time-out) is kept and named, and is no failure
  findings() { ls "$crashes" | grep -cE '^(crash|leak|timeout|oom)-'; }
  before=$(findings) slow_before=$(ls "$crashes" | grep -c '^slow-unit-')
  # the harnesses' own messages (the store logs each damaged journal line ...) are not wanted a
  # thousand times over; libFuzzer's and the sanitizers' reports still come (close_fd_mask=2)
  TMPDIR=$tmp timeout -k 10 $((seconds * 2 + 120)) "$bin" -max_total_time="$seconds" -max_len="$(max_len "$name")" \
    -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 -close_fd_mask=2 -artifact_prefix="$crashes" "${dict[@]}" \
    "$work" "fuzz/corpus/$name" > "$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1)
  found=$(( $(findings) - before ))
  slow=$(( $(ls "$crashes" | grep -c '^slow-unit-') - slow_before ))
  [ "$slow" -gt 0 ] && slow=", $slow slow input(s) kept in $crashes" || slow=
  if [ $rc = 0 ] && [ "$found" = 0 ]; then
    echo "ok - $name: ${runs:-?} runs in ${seconds} s, ${speed:-?} exec/s, ${cov:-cov ?}, 0 crashes$slow"
    pass=$((pass + 1))
    rm -rf "$tmp"
    continue
  fi
  echo "not ok - $name: exit $rc, $found input(s) kept in $crashes (log: $log)"
  fail=$((fail + 1))
  # the harness's own message went to the closed stderr: run the input again to see it
  input=
  [ "$found" -gt 0 ] && input=$(ls -t "$crashes" | grep -E '^(crash|leak|timeout|oom)-' | head -1)
  if [ -n "$input" ]; then
    echo "    again: $bin $crashes$input"
    TMPDIR=$tmp timeout 120 "$bin" "$crashes$input" 2>&1 | grep -vE '^(INFO|Running|Executed|MERGE)' |
      grep -vE '^ +#[0-9]+ .* in (fuzzer::|__libc_start|_start|main )' | head -40 | sed 's/^/    /' | tee -a "$log"
  else
    grep -vE '^#|^INFO' "$log" | tail -20 | sed 's/^/    /'
  fi
  rm -rf "$tmp" # a harness that crashed left its own folder in it
done
echo "fuzz: $pass passed, $fail failed"
[ $fail = 0 ]
