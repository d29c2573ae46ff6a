#!/usr/bin/env bash
# Fault injection (docs/testing.md, "Fault injection"): allocations failing
# one at a time, a full disk, and kill -9 at random moments, each followed by
# checks of what must hold after it.  Prints "ok - NAME: ..." or "not ok -
# NAME" with what went wrong, and ends with "faults: N passed, N failed", as
# tests/run-all.sh reads it.
#
# usage: tests/faults/run.sh BUILD_DIR [WORKLOAD...]
#   alloc-load    `rapport load` of a 101-record file, an allocation failing in each run: the first of
#                 each distinct call stack in turn
#   alloc-serve   twenty API requests of every kind to a running server, each with an allocation
#                 failing, the first of each distinct call stack in turn (or every one)
#   disk-load     a load into a store on a disk that fills (tmpfs of a few hundred KB, or RLIMIT_FSIZE)
#   disk-serve    a server writing notes and its audit trail when the disk fills, then room again
#   kill-load, kill-match, kill-analyze, kill-serve
#                 kill -9 at a random moment, FAULTS_TRIALS times (20) each
# Settings (environment):
#   FAULTS_DEPTH=N        the load's allocations are told apart by the first N (1, 2, 3, 4, 6, 8, 16)
#                         frames of their call stack: 1 by default (make test), 16 for make faults;
#                         FAULTS_EVERY=1 fails every allocation in turn instead (137,398 runs: days)
#   FAULTS_POINTS="T:N ..."  the load's allocations to fail, as a finding names them
#   FAULTS_SERVE_DEPTH=N  the same for the requests (2); FAULTS_SERVE_EVERY=1: every allocation
#                         of every request (make faults); FAULTS_REQUESTS="1 9": only those
#   FAULTS_DISK=fsize     RLIMIT_FSIZE even where a tmpfs can be mounted; FAULTS_DISK_BOTH=1 both
#   FAULTS_TRIALS=N       kill -9 trials per workload (20); FAULTS_SEED=N their random seed (printed)
#   FAULTS_JOBS=N         allocation runs side by side (2); FAULTS_KEEP=1 keeps the work folder;
#                         FAULTS_VERBOSE=1 says more of what held (known faults, messages)
set -u
build=$(cd "${1:?usage: tests/faults/run.sh BUILD_DIR [WORKLOAD...]}" && pwd); shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export RP=$build/rapport SHIM=$build/faults/failmalloc.so FAULTS_HERE=$here
. "$here/lib.sh"

# ---- one allocation run of alloc-load, side by side with others (xargs -P) ----
if [ "${1:-}" = --alloc-load-point ]; then
  point=$2 dir=$WORK/p-${2/:/-} knownmsg=
  copy_store "$WORK/base" "$dir"
  cd "$dir"
  faulty RAPPORT_FAULT_ALLOC="$point" RAPPORT_FAULT_LOG="$dir/log" -- load --batch 25 "$WORK/base/bank/host/CIF.dat" \
    >out 2>err
  rc=$?
  problem=
  if ! grep -q '^fail ' log 2>/dev/null; then
    echo "$point unreached"; cd /; rm -rf "$dir"; exit 0
  fi
  at=$(stack_of log at)
  if [ $rc -ge 124 ]; then
    crash=$(stack_of log in)
    why=$(known crash "$crash")
    if [ -n "$why" ]; then echo "$point known $why"; cd /; rm -rf "$dir"; exit 0; fi
    [ $rc = 124 ] && problem="hung (60 s)" || problem="exit $rc (signal $((rc - 128))) in $(stack_of log in 8)"
  elif [ $rc != 0 ]; then
    problem=$(message_problem err)
    if [ -n "$problem" ] && why=$(known message "$at") && [ -n "$why" ]; then
      problem= knownmsg=$why
    fi
  fi
  if [ -z "$problem" ]; then
    s=$(load_state rapport.db 25 101)
    [ "$s" = ok ] || problem="after the failure: $s"
  fi
  now=
  [ -z "$problem" ] && now=$(digest rapport.db)
  if [ -z "$problem" ] && [ $rc = 0 ]; then
    [ "$now" = "$(cat "$WORK/clean.digest")" ] ||
      problem="the load succeeded in spite of the failure, but the store differs from a clean load's"
  fi
  # nothing written (the store as it was): the load again would be the clean load itself
  if [ -z "$problem" ] && [ $rc != 0 ] && [ "$now" != "$(cat "$WORK/base.digest")" ]; then
    rp load --batch 25 "$WORK/base/bank/host/CIF.dat" >out2 2>err2 ||
      problem="the load again, without a failure: exit $?: $(head -2 err2 | paste -sd' ')"
    if [ -z "$problem" ]; then
      s=$(load_state rapport.db 25 101)
      [ "$s" = ok ] || problem="after the load again: $s"
    fi
    [ -z "$problem" ] && [ "$(digest rapport.db)" != "$(cat "$WORK/clean.digest")" ] &&
      problem="the load again ends in a store that differs from a clean load's"
  fi
  if [ -n "$problem" ]; then
    printf '%s FAIL %s | rc %s | %s | at %s\n' "$point" "$problem" "$rc" "$(grep -v 'lib.sh: line' err | head -c 300 |
      paste -sd' ')" "$(stack_of log at 10)"
    exit 0
  fi
  [ -n "${knownmsg:-}" ] && { echo "$point known $knownmsg"; cd /; rm -rf "$dir"; exit 0; }
  echo "$point ok rc=$rc"
  cd /; rm -rf "$dir"
  exit 0
fi

workloads=("$@")
seed=${FAULTS_SEED:-$(( $(date +%s) % 100000 ))}
RANDOM=$seed
[ ${#workloads[@]} -gt 0 ] || workloads=(alloc-load alloc-serve disk-load disk-serve kill-load kill-match kill-analyze kill-serve)
pass=0; fail=0; skip=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
not_ok() { echo "not ok - $*"; fail=$((fail + 1)); }
skipped() { echo "skip - $*"; skip=$((skip + 1)); }

# Memory when it can be had (fsync costs nothing there), with 512 MB free.
base=${TMPDIR:-/tmp}
if [ -d /dev/shm ] && [ -w /dev/shm ] && [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -ge 524288 ]; then
  base=/dev/shm
fi
export WORK
WORK=$(mktemp -d "$base/rapport-faults-XXXXXX")
mounts=()
cleanup() {
  local d
  for d in "$WORK"/*/; do [ -f "$d/pid" ] && serve_stop "$d" KILL; done
  [ "${FAULTS_KEEP:-0}" = 1 ] || for d in "${mounts[@]}"; do umount "$d" 2>/dev/null; done
  [ "${FAULTS_KEEP:-0}" = 1 ] && echo "kept: $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x "$RP" ] || { echo "not ok - $RP is not built"; echo "faults: 0 passed, 1 failed"; exit 1; }
[ -f "$SHIM" ] || { echo "not ok - $SHIM is not built (make faults-build)"; echo "faults: 0 passed, 1 failed"; exit 1; }
for tool in sqlite3 curl addr2line; do
  command -v $tool >/dev/null || { echo "not ok - $tool is needed"; echo "faults: 0 passed, 1 failed"; exit 1; }
done

# The column of failmalloc.c's sites lines ("T N H1 H2 H3 H4 H6 H8 H16") for a depth of N frames.
depth_column() { case $1 in 1) echo 3 ;; 2) echo 4 ;; 3) echo 5 ;; 4) echo 6 ;; 6) echo 7 ;; 8) echo 8 ;; *) echo 9 ;; esac; }

# ---- alloc-load ----
alloc_load() {
  local t0=$SECONDS depth=${FAULTS_DEPTH:-1} points results n
  make_base "$WORK/base" || { not_ok "alloc-load: the base store could not be made"; return; }
  digest "$WORK/base/rapport.db" > "$WORK/base.digest"
  copy_store "$WORK/base" "$WORK/clean"
  (cd "$WORK/clean" && rp load --batch 25 "$WORK/base/bank/host/CIF.dat" >/dev/null) ||
    { not_ok "alloc-load: the clean load failed"; return; }
  digest "$WORK/clean/rapport.db" > "$WORK/clean.digest"
  # the allocations, and their call stacks, of a run without a failure
  copy_store "$WORK/base" "$WORK/profile"
  (cd "$WORK/profile" && faulty RAPPORT_FAULT_SITES="$WORK/sites" RAPPORT_FAULT_LOG="$WORK/profile/log" -- \
     load --batch 25 "$WORK/base/bank/host/CIF.dat" >/dev/null 2>&1) ||
    { not_ok "alloc-load: the profiling run failed"; return; }
  n=$(wc -l < "$WORK/sites")
  points=$WORK/points
  if [ -n "${FAULTS_POINTS:-}" ]; then # these, as a finding names them
    printf '%s\n' $FAULTS_POINTS > "$points"
  elif [ "${FAULTS_EVERY:-0}" = 1 ]; then
    awk '{ print $1 ":" $2 }' "$WORK/sites" > "$points"
  else
    case $depth in 1|2|3|4|6|8) ;; *) depth=16 ;; esac
    awk -v c="$(depth_column $depth)" '!seen[$c]++ { print $1 ":" $2 }' "$WORK/sites" > "$points"
  fi
  results=$WORK/alloc-load.results
  xargs -P "${FAULTS_JOBS:-2}" -n 1 "$here/run.sh" "$build" --alloc-load-point < "$points" > "$results"
  local tried okn unreached knownn failed
  tried=$(wc -l < "$points"); okn=$(grep -c ' ok ' "$results"); unreached=$(grep -c ' unreached' "$results")
  knownn=$(grep -c ' known ' "$results"); failed=$(grep -c ' FAIL ' "$results")
  local how="the first of each distinct call stack of $depth frames"
  [ "${FAULTS_EVERY:-0}" = 1 ] && how="every one"
  [ -n "${FAULTS_POINTS:-}" ] && how="those of FAULTS_POINTS"
  local what="$n allocations, $tried failed in turn ($how); $okn held, $knownn known library faults, $unreached not reached; $((SECONDS - t0)) s"
  if [ "$failed" = 0 ] && [ $((okn + unreached + knownn)) = "$tried" ]; then
    ok "alloc-load: $what"
    [ "${FAULTS_VERBOSE:-0}" = 1 ] && grep ' known ' "$results" | cut -d' ' -f3- | sort | uniq -c | sed 's/^ */    known: /'
  else
    not_ok "alloc-load: $failed failed: $what"
    grep ' FAIL ' "$results" | sort -t: -k1,1n -k2,2n | head -"${FAULTS_SHOW:-20}" | sed 's/^/    /'
  fi
}

# ---- alloc-serve ----

# The twenty requests: user (a cookie jar each; "signin" signs in, "login" out), method, path,
# body, and "=" when the reply is the same every time (then a reply of 2xx under a failure must be it).
requests() {
  cat <<'REQUESTS'
signin|POST|/api/v1/session|{"name":"mei","password":"a long password 1"}|
mei|GET|/api/v1/session||
mei|GET|/api/v1/customers?q=%E9%99%B3||=
mei|GET|/api/v1/customers/1||=
mei|GET|/api/v1/customers/1/notes||
mei|POST|/api/v1/customers/1/notes|{"text":"asked about a mortgage","channel":"phone"}|
mei|PUT|/api/v1/customers/1/consents|{"purpose":"marketing","channel":"sms","granted":true,"evidence":"form 12"}|
mei|PUT|/api/v1/customers/1/contacts|{"kind":"email","value":"chen.yi@example.com.tw"}|
mei|PUT|/api/v1/customers/1/preferences|{"language":"zh-TW","channel":"phone","hours":"09:00-12:00"}|
mei|GET|/api/v1/customers/1/contactable?purpose=marketing&channel=sms||
mei|POST|/api/v1/customers/1/reveal|{"reason":"客戶臨櫃申請對帳單"}|
mei|GET|/api/v1/analyses||=
stu|GET|/api/v1/jobs||=
stu|GET|/api/v1/rejects||=
stu|GET|/api/v1/matches||=
ada|GET|/api/v1/users||
ada|PUT|/api/v1/users/tom/disabled|{"disabled":false}|
aud|GET|/api/v1/audit?limit=5||
mei|GET|/api/v1/vocabulary||=
login|DELETE|/api/v1/session||
REQUESTS
}

# A store for the server: the fixture bank, a user of each kind the requests need, a load with
# rejects, a matching run and an analysis.
make_serve_base() { # DIR
  mkdir -p "$1" && (cd "$1" && rp init >/dev/null && rp import "$root/tests/fixtures/bank.json" >/dev/null &&
    for u in mei:supervisor stu:steward ada:admin aud:auditor tom:teller; do
      echo 'a long password 1' | rp user add "${u%%:*}" --role "${u#*:}" --branch 0012 >/dev/null || exit 1
    done &&
    rp load --spec "$root/tests/fixtures/etl/customers.json" "$root/tests/fixtures/etl/customers_1.csv" >/dev/null &&
    rp match >/dev/null && rp analyze value --as-of 2026-10-31 >/dev/null)
}

# What is wrong with a reply under a failed allocation (CLEAN: the reply without one), in $problem, or
# nothing: a status (curl says 000 when none came), the clean one or 500/503 with an error in JSON,
# and a reply of 2xx the same as the clean one where that is always the same.
reply_problem() { # REPLY CLEAN STABLE
  local st=${1%% *} body=${1#* } cst=${2%% *} cbody=${2#* }
  local err_re='^\{"error":\{"code":"[a-z_]+","message":"[^"]+' raw_re='sqlite|constraint|no such (table|column)|syntax error'
  problem=
  case $st in
    000) problem="no reply (the connection closed, or 20 s passed)"; return ;;
    500|503) ;;
    "$cst") ;;
    *) problem="status $st where it is $cst, or 500 for want of memory"; return ;;
  esac
  if [ "$st" -ge 400 ]; then
    [[ $body =~ $err_re ]] || { problem="status $st without an error in JSON"; return; }
    [[ ${body,,} =~ $raw_re ]] && problem="the store's own words in the reply"
  elif [ "$3" = "=" ] && [ "$body" != "$cbody" ]; then
    problem="a reply of $st that differs from the one without a failure"
  fi
}

# The requests of one kind, each with the allocation its N says failing, in one curl on one connection
# (a curl a request costs ten times the server's work): "N1 0 N2 0 ..." when each is followed by the
# same request without a failure (PROBE=1), which must answer as without failures.  Writes a line a
# point to $WORK/alloc-serve.points: "N ALLOCATIONS FAILED STATUS BODY" (failmalloc.c's "request"
# line: "? ?" when the request never ended) and, with PROBE, "| STATUS BODY".
batch() { # DIR JAR METHOD PATH BODY PROBE N...
  local dir=$1 jar=$2 method=$3 path=$4 body=$5 probe=$6 n list=() args=() k=0
  shift 6
  for n in "$@"; do list+=("$n"); [ "$probe" = 1 ] && list+=(0); done
  ctl_seq=$((ctl_seq + 1))
  printf '%s %s\n' "$ctl_seq" "${list[*]}" > "$dir/ctl"
  : > "$dir/log"
  for n in "${list[@]}"; do k=$((k + 1)); args+=(-o "$dir/r$k" "http://127.0.0.1:$(cat "$dir/port")$path"); done
  local h=()
  [ -n "$body" ] && h=(-H 'Content-Type: application/json' --data-binary "$body")
  [ -s "$dir/csrf.$jar" ] && h+=(-H "X-CSRF-Token: $(cat "$dir/csrf.$jar")")
  rm -f "$dir"/r[0-9]*
  local t0=$SECONDS
  curl -s --max-time "$((20 + 2 * k))" -b "$dir/jar.$jar" -c "$dir/jar.$jar" -X "$method" "${h[@]}" \
    -w '%{http_code}\n' "${args[@]}" > "$dir/codes" 2>/dev/null
  batch_curl="curl's exit $? after $((SECONDS - t0)) s for $k requests"
  ctl_seq=$((ctl_seq + 1)); echo "$ctl_seq" > "$dir/ctl"
  local codes=() logs=()
  mapfile -t codes < "$dir/codes"
  mapfile -t logs < <(grep '^request ' "$dir/log")
  local i=0 f=0 line reached r
  for n in "$@"; do
    i=$((i + 1))
    line=${logs[$f]:-}; f=$((f + 1))
    set -- $line
    r=; [ -f "$dir/r$i" ] && IFS= read -r r < "$dir/r$i"
    printf '%s %s %s %s %s' "$n" "${2:-?}" "${3:-?}" "${codes[$((i - 1))]:-000}" "${r:0:2000}"
    if [ "$probe" = 1 ]; then
      i=$((i + 1))
      r=; [ -f "$dir/r$i" ] && IFS= read -r r < "$dir/r$i"
      printf ' | %s %s' "${codes[$((i - 1))]:-000}" "${r:0:2000}"
    fi
    printf '\n'
  done > "$WORK/alloc-serve.points${retrying:+.retry}"
  # the log's failure lines, each with its stack, for the report
  cp "$dir/log" "$dir/log.batch${retrying:+.retry}"
}

alloc_serve() {
  local t0=$SECONDS dir=$WORK/serve requests_n=0 ran=0 points=0 failures=0 lines=() line u
  ctl_seq=0
  make_serve_base "$dir" || { not_ok "alloc-serve: the store could not be made"; return; }
  echo 0 > "$dir/ctl"
  SHIM_VARS="RAPPORT_FAULT_CTL=$dir/ctl RAPPORT_FAULT_LOG=$dir/log RAPPORT_FAULT_SITES=$dir/sites" serve_start "$dir" ||
    { not_ok "alloc-serve: the server did not start"; return; }
  signed_in() {
    for u in mei stu ada aud login; do
      sign_in "$dir" "$([ $u = login ] && echo mei || echo $u)" "$u" >/dev/null || return 1
    done
  }
  signed_in || { not_ok "alloc-serve: the users could not sign in"; serve_stop "$dir"; return; }
  mapfile -t lines < <(requests)
  local found=$WORK/alloc-serve.found acked=0
  : > "$found"; : > "$WORK/alloc-serve.counts"
  for line in "${lines[@]}"; do
    IFS='|' read -r u method path body stable <<<"$line"
    requests_n=$((requests_n + 1))
    [ -n "${FAULTS_REQUESTS:-}" ] && [[ " $FAULTS_REQUESTS " != *" $requests_n "* ]] && continue
    ran=$((ran + 1))
    local clean n=0 step size probe=1 done_=0 p reached st rest fst fbody pst pbody problem total=0 r0=$SECONDS
    local retry_failed=0 stacks
    clean=$(call "$dir" "$u" "$method" "$path" "$body")
    [ "$method" = DELETE ] && sign_in "$dir" mei login >/dev/null
    case ${clean%% *} in 2??) ;; *) echo "    request $requests_n ($method $path) fails without a failure: $clean" >> "$found"
      failures=$((failures + 1)); continue ;; esac
    # its allocations, and their call stacks: every one fails in turn (FAULTS_EVERY=1), or the first
    # of each distinct stack of FAULTS_DEPTH frames (as alloc-load)
    : > "$dir/sites"
    batch "$dir" "$u" "$method" "$path" "$body" 0 -1
    [ "$method" = DELETE ] && sign_in "$dir" mei login >/dev/null
    local count all=() at=0
    count=$(awk '{ print $2; exit }' "$WORK/alloc-serve.points") # the request's allocations
    if [ "${FAULTS_SERVE_EVERY:-0}" = 1 ]; then
      mapfile -t all < <(seq 1 $((count + 1)))
    else
      mapfile -t all < <(awk -v c="$(depth_column "${FAULTS_SERVE_DEPTH:-2}")" '!seen[$c]++ { print $2 }' "$dir/sites")
    fi
    [ -n "${FAULTS_REQUEST_MAX:-}" ] && all=("${all[@]:0:$FAULTS_REQUEST_MAX}")
    # sign-in has no probe (it signs in again anyway); sign-out one at a time, each followed by a sign-in
    [ "$u" = signin ] && probe=0
    size=${FAULTS_BATCH:-100}
    [ "$method" = DELETE ] && size=1 probe=0
    while [ $done_ = 0 ]; do
      local ns=("${all[@]:$at:$size}")
      at=$((at + size))
      [ ${#ns[@]} -gt 0 ] || break
      batch "$dir" "$u" "$method" "$path" "$body" "$probe" "${ns[@]}"
      while IFS= read -r p; do
        set -- $p
        n=$1 reached=$3 fst=$4
        rest=${p#* * * * }; fbody=${rest%% | *}
        problem= stacks=$dir/log.batch
        [ "$reached" = 0 ] && continue # past its last allocation this time
        total=$((total + 1))
        if { [ "$reached" = "?" ] || [ "$fst" = 000 ]; } && [ "$retry_failed" = 0 ]; then
          # no reply: once more alone.  A request that never ends, or closes its connection, because of
          # its failure does so again; one that a passing stall of the machine kept past curl's time for
          # the whole batch (CI: two cores, the PostgreSQL suites beside) answers
          local why="$batch_curl; the server's log ends: $(tail -2 "$dir/serve.log" | paste -sd' ')"
          [ "$method" = DELETE ] && sign_in "$dir" mei login >/dev/null # (the stalled one may have signed out)
          retrying=1 batch "$dir" "$u" "$method" "$path" "$body" "$probe" "$n"
          [ "$method" = DELETE ] && sign_in "$dir" mei login >/dev/null
          p=$(head -1 "$WORK/alloc-serve.points.retry") stacks=$dir/log.batch.retry
          set -- $p
          reached=$3 fst=$4
          rest=${p#* * * * }; fbody=${rest%% | *}
          if [ "$reached" = "?" ]; then
            problem="no reply, and the request never ended (twice: $why; then $batch_curl)"
          elif [ "$fst" = 000 ]; then
            reply_problem "$fst $fbody" "$clean" "$stable"
            problem="$problem (twice: $why; then $batch_curl)"
          fi
          if [ "$reached" = "?" ] || [ "$fst" = 000 ]; then
            retry_failed=1 # the rest of this request's without a reply: tried once only
          else
            echo "    request $requests_n ($method $path), allocation $n: no reply in a batch ($why); alone: $fst" >> "$WORK/alloc-serve.retried"
            reply_problem "$fst $fbody" "$clean" "$stable"
          fi
        elif [ "$reached" = "?" ]; then
          problem="no reply, and the request never ended: $batch_curl; the server's log ends: $(tail -2 "$dir/serve.log" | paste -sd' ')"
        else
          reply_problem "$fst $fbody" "$clean" "$stable"
        fi
        case $fst in 2??) [ "$method $path" = "POST /api/v1/customers/1/notes" ] && acked=$((acked + 1)) ;; esac
        if [ -z "$problem" ] && [ $probe = 1 ]; then
          rest=${p#* | }; pst=${rest%% *}; pbody=${rest#* }
          case $pst in 2??) [ "$method $path" = "POST /api/v1/customers/1/notes" ] && acked=$((acked + 1)) ;; esac
          [ "$pst" = "${clean%% *}" ] || problem="then the same request without a failure: $pst ${pbody:0:200}"
          [ -z "$problem" ] && [ "$stable" = "=" ] && [ "$pst $pbody" != "$clean" ] &&
            problem="then the same request without a failure answers otherwise: ${pbody:0:200}"
        fi
        if [ -n "$problem" ]; then
          failures=$((failures + 1))
          awk -v n="$n" '$1 == "fail" && $2 ~ ":" n "$" { on = 1; print; next } /^(fail|request|crash)/ { on = 0 } on' \
            "$stacks" > "$dir/log.one"
          printf '    request %d (%s %s), allocation %d: %s | %s | at %s\n' "$requests_n" "$method" "$path" "$n" \
            "$problem" "$fst ${fbody:0:200}" "$(stack_of "$dir/log.one" at 10)" >> "$found"
        fi
      done < "$WORK/alloc-serve.points"
      if ! kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
        failures=$((failures + 1))
        echo "    request $requests_n ($method $path): the server died: $(tail -3 "$dir/serve.log" | paste -sd' ')" >> "$found"
        serve_start "$dir" "$(cat "$dir/port")" >/dev/null && signed_in
      fi
      [ "$method" = DELETE ] && sign_in "$dir" mei login >/dev/null
      [ $failures -gt "${FAULTS_SHOW:-20}" ] && done_=1
    done
    points=$((points + total))
    printf '%s %s: %s allocations, %d failed in turn (%d s)\n' "$method" "$path" "$count" "$total" \
      $((SECONDS - r0)) >> "$WORK/alloc-serve.counts"
  done
  serve_stop "$dir"
  # what the server acknowledged is in the store, and the store is whole
  local s notes
  s=$(integrity "$dir/rapport.db")
  [ "$s" = ok ] || { failures=$((failures + 1)); echo "    after the server stopped: $s" >> "$found"; }
  notes=$(sqlite3 "$dir/rapport.db" "SELECT count(*) FROM interaction WHERE party_id = 1 AND notes = 'asked about a mortgage'")
  [ "$notes" -ge "$acked" ] ||
    { failures=$((failures + 1)); echo "    $acked notes acknowledged, $notes in the store" >> "$found"; }
  local what="$ran requests, $points allocations failed one at a time ($( [ "${FAULTS_SERVE_EVERY:-0}" = 1 ] &&
    echo "each request's every one" || echo "the first of each distinct call stack of ${FAULTS_SERVE_DEPTH:-2} frames")); $((SECONDS - t0)) s"
  if [ -s "$WORK/alloc-serve.retried" ]; then # said, as what held is: the stall is not the failure's
    what="$what; $(wc -l < "$WORK/alloc-serve.retried") without a reply in their batch answered alone"
    sed 's/^/  /' "$WORK/alloc-serve.retried" >&2
  fi
  if [ $failures = 0 ]; then
    ok "alloc-serve: $what"
  else
    not_ok "alloc-serve: $failures failed: $what"
    head -"${FAULTS_SHOW:-20}" "$found"
  fi
}

# ---- a full disk ----

# How a small disk is had: a tmpfs of the size asked for, mounted where this machine allows it (root,
# not in a locked container); else RLIMIT_FSIZE (ulimit -f), which limits each file the process
# writes to that size, with SIGXFSZ ignored so that write() says EFBIG.
disk_mode=
small_disk_mode() {
  [ -n "$disk_mode" ] && return
  mkdir -p "$WORK/probe"
  if [ "${FAULTS_DISK:-}" != fsize ] && mount -t tmpfs -o size=64k tmpfs "$WORK/probe" 2>/dev/null; then
    umount "$WORK/probe"; disk_mode=tmpfs
  else
    disk_mode=fsize
  fi
}
small_disk() { # DIR KB: DIR on a disk of KB (tmpfs), or a plain DIR whose files rapport keeps under KB
  mkdir -p "$1"
  if [ $disk_mode = tmpfs ]; then
    mount -t tmpfs -o "size=${2}k" tmpfs "$1" && mounts+=("$1")
  fi
  echo "$2" > "$1.limit"
}
free_disk() { # DIR [PID]: room again (for fsize, the running process PID's limit lifted with prlimit)
  [ $disk_mode = tmpfs ] && mount -o remount,size=256m "$1"
  [ $disk_mode = fsize ] && [ -n "${2:-}" ] && prlimit --pid "$2" --fsize=unlimited:
  echo unlimited > "$1.limit"
}
release_disk() { # DIR
  [ "${FAULTS_KEEP:-0}" = 1 ] && return
  [ $disk_mode = tmpfs ] && umount "$1" 2>/dev/null
  rm -rf "$1" "$1.limit"
}
# rapport ARGS in DIR with the file size limit of DIR (fsize), under the tests' environment
rp_limited() { # DIR ARGS
  local dir=$1; shift
  (cd "$dir" && trap '' XFSZ && ulimit -f "$( [ $disk_mode = fsize ] && cat "$dir.limit" || echo unlimited)" &&
    exec env RAPPORT_NOW=2026-11-23T04:00:00Z RAPPORT_USER=tester LC_ALL=C.UTF-8 TZ=UTC timeout 60 "$RP" "$@")
}
disk_message() { # STDERR_FILE: what is wrong with the message of a command that ran out of disk, or nothing
  local f=$1
  if [ ! -s "$f" ]; then echo "failed without a message"; return; fi
  if grep -qvE '^rapport: ' "$f"; then echo "a line on stderr that is not a message"; return; fi
  if grep -qiE 'sqlite|constraint|no such (table|column)|syntax error|SQL logic|database disk image|malformed' "$f"; then
    echo "the store's own words reach the user"; return
  fi
  grep -qiE 'disk is full|no space left|size limit' "$f" || echo "the message does not say that the disk is full"
}

disk_load() {
  local t0=$SECONDS trials=0 failures=0 full=0 problems=$WORK/disk-load.problems kb base_kb
  : > "$problems"
  [ -d "$WORK/base" ] || make_base "$WORK/base" || { not_ok "disk-load: the base store could not be made"; return; }
  if [ ! -f "$WORK/clean.digest" ]; then
    copy_store "$WORK/base" "$WORK/clean"
    (cd "$WORK/clean" && rp load --batch 25 "$WORK/base/bank/host/CIF.dat" >/dev/null) ||
      { not_ok "disk-load: the clean load failed"; return; }
    digest "$WORK/clean/rapport.db" > "$WORK/clean.digest"
  fi
  small_disk_mode
  base_kb=$(( ($(stat -c %s "$WORK/base/rapport.db") + 1023) / 1024 + 4 ))
  # from room for a few pages to room for all of the load (it grows the store by ~130 KB, its rollback
  # journal holds a batch's pages besides, and the WAL comes back at its end: ~300 KB in all)
  local steps=(${FAULTS_DISK_STEPS:-8 16 24 40 64 96 128 160 192 224 256 288 320})
  for extra in "${steps[@]}"; do
    kb=$((base_kb + extra)) trials=$((trials + 1))
    local d=$WORK/disk-$extra problem= rc
    small_disk "$d" "$kb" || { problem="no disk of $kb KB"; }
    if [ -z "$problem" ]; then
      cp "$WORK/base/rapport.db" "$WORK/base/rapport.db.key" "$d/"
      rp_limited "$d" load --batch 25 "$WORK/base/bank/host/CIF.dat" >"$d.out" 2>"$d.err"
      rc=$?
      if [ $rc = 1 ]; then
        full=$((full + 1))
        problem=$(disk_message "$d.err")
      elif [ $rc != 0 ]; then
        problem="exit $rc"
      fi
      # the checks need room themselves (sqlite3 makes the WAL's index), and what the store holds is the same
      [ -z "$problem" ] && free_disk "$d"
      [ -z "$problem" ] && { s=$(integrity "$d/rapport.db"); [ "$s" = ok ] || problem="after the disk filled: $s"; }
      [ -z "$problem" ] && { s=$(load_state "$d/rapport.db" 25 101); [ "$s" = ok ] || problem="after the disk filled: $s"; }
      if [ -z "$problem" ]; then
        rp_limited "$d" load --batch 25 "$WORK/base/bank/host/CIF.dat" >"$d.out2" 2>"$d.err2" ||
          problem="with room again, the load: exit $?: $(head -2 "$d.err2" | paste -sd' ')"
      fi
      [ -z "$problem" ] && [ "$(digest "$d/rapport.db")" != "$(cat "$WORK/clean.digest")" ] &&
        problem="with room again, the load ends in a store that differs from a clean load's"
    fi
    if [ -n "$problem" ]; then
      failures=$((failures + 1))
      printf '    %d KB (%d KB more than the store): %s | rc %s | %s\n' "$kb" "$extra" "$problem" "${rc:-}" \
        "$(head -c 300 "$d.err" 2>/dev/null | paste -sd' ')" >> "$problems"
    fi
    release_disk "$d"
  done
  local what="$trials disks ($disk_mode) of $((base_kb + steps[0])) to $((base_kb + steps[-1])) KB, $full filled before the load's end; $((SECONDS - t0)) s"
  if [ $failures = 0 ] && [ $full -gt 0 ]; then
    ok "disk-load: $what"
    [ "${FAULTS_VERBOSE:-0}" = 1 ] && grep -h . "$WORK"/disk-*.err 2>/dev/null | sort | uniq -c | sort -rn | head -3 | sed 's/^ */    said: /'
  else
    not_ok "disk-load: $failures failed: $what"
    cat "$problems"
  fi
}

# A server whose store's disk fills while it writes notes and its audit trail, then gets room again.
disk_serve() {
  local t0=$SECONDS dir=$WORK/dserve problems=$WORK/disk-serve.problems i r st acked=0 refused=0 run=0 views=0
  : > "$problems"
  [ -d "$WORK/dserve-base" ] || make_serve_base "$WORK/dserve-base" ||
    { not_ok "disk-serve: the store could not be made"; return; }
  small_disk_mode
  rm -rf "$dir"
  mkdir -p "$dir"
  local kb=$(( $(du -sk "$WORK/dserve-base/rapport.db" | cut -f1) + 4 + ${FAULTS_DISK_ROOM:-400} ))
  small_disk "$dir/disk" "$kb" || { not_ok "disk-serve: no disk of $kb KB"; return; }
  cp "$WORK/dserve-base/rapport.db" "$WORK/dserve-base/rapport.db.key" "$dir/disk/"
  local fsize=
  [ $disk_mode = fsize ] && fsize=$kb
  SERVE_DB=disk/rapport.db SERVE_FSIZE=$fsize serve_start "$dir" || { not_ok "disk-serve: the server did not start"; return; }
  sign_in "$dir" mei >/dev/null || { not_ok "disk-serve: mei could not sign in"; serve_stop "$dir"; return; }
  local pad
  pad=$(printf '%0900d' 0)
  # notes (and a look at the customer every fifth) until ten in a row are refused; then room again,
  # and five more that must be kept
  for i in $(seq "${FAULTS_DISK_NOTES:-600}"); do
    [ $run -ge 10 ] && [ -z "${freed:-}" ] && { free_disk "$dir/disk" "$(cat "$dir/pid")"; freed=$i; }
    [ -n "${freed:-}" ] && [ $i -ge $((freed + 5)) ] && break
    r=$(call "$dir" mei POST /api/v1/customers/1/notes "{\"text\":\"fill $i $pad\",\"channel\":\"phone\"}")
    st=${r%% *}
    case $st in
      2??) acked=$((acked + 1)); run=0; echo "fill $i" >> "$dir/acked" ;;
      503|500)
        refused=$((refused + 1)); run=$((run + 1))
        printf '%s' "${r#* }" | grep -qE '^\{"error":\{"code":"(disk_full|audit|internal)","message":"[^"]+' ||
          echo "    note $i: $st without an error in JSON: ${r:0:200}" >> "$problems"
        [ -n "${freed:-}" ] && echo "    note $i: refused with room again: ${r:0:200}" >> "$problems" ;;
      *) echo "    note $i: ${r:0:200}" >> "$problems" ;;
    esac
    if [ $((i % 5)) = 0 ]; then
      r=$(call "$dir" mei GET /api/v1/customers/1)
      case ${r%% *} in
        200) views=$((views + 1)) ;;
        500|503) printf '%s' "${r#* }" | grep -qE '^\{"error":\{"code":"(disk_full|audit|internal)"' ||
            echo "    view after note $i: ${r:0:200}" >> "$problems" ;;
        *) echo "    view after note $i: ${r:0:200}" >> "$problems" ;;
      esac
    fi
    kill -0 "$(cat "$dir/pid")" 2>/dev/null || { echo "    the server died: $(tail -2 "$dir/serve.log")" >> "$problems"; break; }
  done
  [ -n "${freed:-}" ] || echo "    the disk never filled ($i notes)" >> "$problems"
  serve_stop "$dir"
  # what the journal still holds goes into the store when a server starts
  SERVE_DB=disk/rapport.db serve_start "$dir" >/dev/null && serve_stop "$dir"
  local s
  s=$(integrity "$dir/disk/rapport.db")
  [ "$s" = ok ] || echo "    after the server stopped: $s" >> "$problems"
  local missing
  missing=$(sqlite3 "$dir/disk/rapport.db" "SELECT substr(notes, 1, instr(substr(notes, 6), ' ') + 4) FROM interaction
    WHERE notes LIKE 'fill %'" | sort | comm -13 - <(sort "$dir/acked") | head -3 | paste -sd,)
  [ -z "$missing" ] || echo "    acknowledged but not in the store: $missing" >> "$problems"
  local audited
  audited=$(sqlite3 "$dir/disk/rapport.db" "SELECT count(*) FROM audit WHERE action = 'view' AND customer_id = 1 AND outcome = 'ok'" 2>&1)
  [ "$audited" -ge "$views" ] 2>/dev/null || echo "    $views views shown, $audited in the audit trail" >> "$problems"
  release_disk "$dir/disk"
  unset freed
  local what="a disk ($disk_mode) of $kb KB: $acked notes kept, $refused refused when it filled, then room again; $views views; $((SECONDS - t0)) s"
  if [ ! -s "$problems" ]; then
    ok "disk-serve: $what"
    [ "${FAULTS_VERBOSE:-0}" = 1 ] && grep -E 'disk|full|limit' "$dir/serve.log" | sort | uniq -c | sort -rn | head -2 |
      sed 's/^ */    logged: /'
  else
    not_ok "disk-serve: $what"
    head -"${FAULTS_SHOW:-20}" "$problems"
  fi
}

# ---- kill -9 at a random moment ----

# rapport ARGS in DIR in the background, as the process itself (so that kill -9 reaches it): its PID
# in $bgpid, what it says in DIR/out and DIR/err.
rp_bg() { # DIR ARGS
  local dir=$1
  shift
  (cd "$dir" && exec env RAPPORT_NOW=2026-11-23T04:00:00Z RAPPORT_USER=tester LC_ALL=C.UTF-8 TZ=UTC "$RP" "$@" \
     >out 2>err) &
  bgpid=$!
}
ms_now() { echo $(( $(date +%s%N) / 1000000 )); }
sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }
# a moment within MS milliseconds, from bash's RANDOM (seeded once with FAULTS_SEED)
moment() { echo $(( (RANDOM * 32768 + RANDOM) % ($1 > 0 ? $1 : 1) )); }

# Run rapport ARGS in a copy of the store in FROM, kill -9 it at a random moment within MS (the time
# an uninterrupted run took), FAULTS_TRIALS times; CHECK DIR is called after each kill and prints what is wrong, or nothing.  A process that
# ended before its kill is checked too, and the trial tried again (twice at most) at half the moment,
# so that each trial is a kill; $finished counts those that ended first.
kill_trials() { # NAME FROM MS CHECK ARGS...
  local name=$1 from=$2 ms=$3 check=$4 i d delay problem try
  shift 4
  finished=0 killed_n=0
  for i in $(seq "${FAULTS_TRIALS:-20}"); do
    d=$WORK/$name-$i problem=
    # odd trials anywhere in the run; even ones in its second half, where a run writes its result
    delay=$(moment "$ms")
    [ $((i % 2)) = 0 ] && delay=$((ms / 2 + $(moment $((ms / 2)))))
    for try in 1 2 3; do
      rm -rf "$d"
      copy_store "$from" "$d"
      rp_bg "$d" "$@"
      sleep_ms "$delay"
      if kill -9 "$bgpid" 2>/dev/null; then
        wait "$bgpid" 2>/dev/null
        killed_n=$((killed_n + 1))
        problem=$($check "$d")
        break
      fi
      wait "$bgpid" 2>/dev/null
      finished=$((finished + 1))
      problem=$($check "$d") # what ended before its kill must have left the store right too
      [ -n "$problem" ] || [ $try = 3 ] && break
      delay=$((delay / 2))
    done
    if [ -n "$problem" ]; then
      echo "    trial $i (killed after $delay ms): $problem" >> "$WORK/$name.problems"
    else
      rm -rf "$d"
    fi
  done
}

# Then at each of its commits in turn: killed right after the Nth commit of a transaction that wrote
# (RAPPORT_TEST_KILL_AT_COMMIT, store/sqlite.c), N = 1, 2, ... until it ends by itself; the same checks.
commit_trials() { # NAME FROM CHECK ARGS...
  local name=$1 from=$2 check=$3 k d rc problem
  shift 3
  commits=0
  for k in $(seq 1 200); do
    d=$WORK/$name-c$k
    copy_store "$from" "$d"
    (cd "$d" && RAPPORT_TEST_KILL_AT_COMMIT=$k rp "$@" >out 2>err)
    rc=$?
    if [ $rc != 137 ]; then # it ended before a kth commit
      [ $rc = 0 ] || echo "    not killed at commit $k, and yet exit $rc: $(head -2 "$d/err" | paste -sd' ')" >> "$WORK/$name.problems"
      rm -rf "$d"
      break
    fi
    commits=$k
    problem=$($check "$d")
    if [ -n "$problem" ]; then
      echo "    killed after commit $k: $problem" >> "$WORK/$name.problems"
    else
      rm -rf "$d"
    fi
  done
}

report_kill() { # NAME WHAT
  local t0=$1 name=$2 what=$3
  what="${FAULTS_TRIALS:-20} trials within $what, seed $seed: $killed_n killed, $finished ended first; then after each of its $commits commits; $((SECONDS - t0)) s"
  if [ ! -s "$WORK/$name.problems" ]; then
    ok "$name: $what"
  else
    not_ok "$name: $(wc -l < "$WORK/$name.problems") failed: $what"
    head -"${FAULTS_SHOW:-20}" "$WORK/$name.problems"
  fi
}

# After a load of CIF.dat killed: the store whole, the job interrupted (never shown running), counts at
# a batch's end, and the same load again ends as an uninterrupted one.
check_killed_load() { # DIR
  local d=$1 s running stored
  s=$(integrity "$d/rapport.db"); [ "$s" = ok ] || { echo "$s"; return; }
  s=$(load_state "$d/rapport.db" 10 101); [ "$s" = ok ] || { echo "$s"; return; }
  running=$(cd "$d" && rp jobs --status running --json | tr -d ' \n')
  [ "$running" = "[]" ] || { echo "a job is shown running after its process was killed: $running"; return; }
  stored=$(sqlite3 "$d/rapport.db" "SELECT count(*) FROM load_job WHERE file LIKE '%CIF.dat' AND status = 'running'")
  if [ "$stored" != 0 ]; then
    (cd "$d" && rp jobs --status interrupted) | grep -q 'interrupted' || { echo "the killed job is not shown interrupted"; return; }
  fi
  (cd "$d" && rp load --batch 10 "$WORK/base/bank/host/CIF.dat" >/dev/null 2>err2) ||
    { echo "the load again: exit $?: $(head -2 "$d/err2" | paste -sd' ')"; return; }
  [ "$(digest "$d/rapport.db")" = "$(cat "$WORK/kclean.digest")" ] ||
    echo "the load again ends in a store that differs from an uninterrupted load's"
}

kill_load() {
  local t0=$SECONDS ms a
  : > "$WORK/kill-load.problems"
  [ -d "$WORK/base" ] || make_base "$WORK/base" || { not_ok "kill-load: the base store could not be made"; return; }
  copy_store "$WORK/base" "$WORK/kclean"
  a=$(ms_now)
  (cd "$WORK/kclean" && rp load --batch 10 "$WORK/base/bank/host/CIF.dat" >/dev/null) ||
    { not_ok "kill-load: the uninterrupted load failed"; return; }
  ms=$(( $(ms_now) - a ))
  digest "$WORK/kclean/rapport.db" > "$WORK/kclean.digest"
  kill_trials kill-load "$WORK/base" "$ms" check_killed_load load --batch 10 "$WORK/base/bank/host/CIF.dat"
  commit_trials kill-load "$WORK/base" check_killed_load load --batch 10 "$WORK/base/bank/host/CIF.dat"
  report_kill $t0 kill-load "$ms ms (a load of 101 records, batches of 10)"
}

# The bank of 100 customers loaded whole (host, card, online, call centre), for matching and analysis.
make_bank() { # DIR
  [ -d "$WORK/base" ] || make_base "$WORK/base" || return 1
  copy_store "$WORK/base" "$1" && (cd "$1" && rp load "$WORK/base/bank" >/dev/null)
}

# After a run killed: the store whole and as before the run or as after an uninterrupted one (a run
# is one transaction), and, as before, the same command again ends as an uninterrupted one.
check_all_or_nothing() { # DIR BEFORE AFTER ARGS...
  local d=$1 before=$2 after=$3 s now
  shift 3
  s=$(integrity "$d/rapport.db"); [ "$s" = ok ] || { echo "$s"; return; }
  now=$(digest "$d/rapport.db")
  [ "$now" = "$after" ] && return # it ended before the kill
  [ "$now" = "$before" ] || { echo "the store is neither as before the run nor as after it"; return; }
  (cd "$d" && rp "$@" >/dev/null 2>err2) || { echo "$* again: exit $?: $(head -2 "$d/err2" | paste -sd' ')"; return; }
  [ "$(digest "$d/rapport.db")" = "$after" ] || echo "$* again ends in a store that differs from an uninterrupted run's"
}
check_killed_match() { check_all_or_nothing "$1" "$(cat "$WORK/mbase.digest")" "$(cat "$WORK/mclean.digest")" match; }
check_killed_analyze() {
  check_all_or_nothing "$1" "$(cat "$WORK/mclean.digest")" "$(cat "$WORK/aclean.digest")" analyze value --as-of 2026-10-31
}

kill_match() {
  local t0=$SECONDS ms a
  : > "$WORK/kill-match.problems"
  [ -d "$WORK/mbase" ] || make_bank "$WORK/mbase" || { not_ok "kill-match: the bank could not be loaded"; return; }
  digest "$WORK/mbase/rapport.db" > "$WORK/mbase.digest"
  copy_store "$WORK/mbase" "$WORK/mclean"
  a=$(ms_now)
  (cd "$WORK/mclean" && rp match >/dev/null) || { not_ok "kill-match: the uninterrupted run failed"; return; }
  ms=$(( $(ms_now) - a ))
  digest "$WORK/mclean/rapport.db" > "$WORK/mclean.digest"
  kill_trials kill-match "$WORK/mbase" "$ms" check_killed_match match
  commit_trials kill-match "$WORK/mbase" check_killed_match match
  report_kill $t0 kill-match "$ms ms (matching 100 customers' records from four sources)"
}

kill_analyze() {
  local t0=$SECONDS ms a
  : > "$WORK/kill-analyze.problems"
  if [ ! -f "$WORK/mclean.digest" ]; then
    [ -d "$WORK/mbase" ] || make_bank "$WORK/mbase" || { not_ok "kill-analyze: the bank could not be loaded"; return; }
    copy_store "$WORK/mbase" "$WORK/mclean"
    (cd "$WORK/mclean" && rp match >/dev/null) || { not_ok "kill-analyze: matching failed"; return; }
    digest "$WORK/mclean/rapport.db" > "$WORK/mclean.digest"
  fi
  copy_store "$WORK/mclean" "$WORK/aclean"
  a=$(ms_now)
  (cd "$WORK/aclean" && rp analyze value --as-of 2026-10-31 >/dev/null) ||
    { not_ok "kill-analyze: the uninterrupted analysis failed"; return; }
  ms=$(( $(ms_now) - a ))
  digest "$WORK/aclean/rapport.db" > "$WORK/aclean.digest"
  kill_trials kill-analyze "$WORK/mclean" "$ms" check_killed_analyze analyze value --as-of 2026-10-31
  commit_trials kill-analyze "$WORK/mclean" check_killed_analyze analyze value --as-of 2026-10-31
  report_kill $t0 kill-analyze "$ms ms (the value analysis of 100 customers)"
}

# A server writing notes and consents for a client, killed with kill -9 at a random moment and
# started again at once on the same port, FAULTS_TRIALS times: every write answered 2xx before a kill
# is in the store, with its audit entry (the journal is moved into the store when the server starts).
kill_serve() {
  local t0=$SECONDS dir=$WORK/kserve problems=$WORK/kill-serve.problems i port client delay s ms=${FAULTS_SERVE_MS:-1500}
  : > "$problems"
  make_serve_base "$dir" || { not_ok "kill-serve: the store could not be made"; return; }
  : > "$dir/acked"
  serve_start "$dir" || { not_ok "kill-serve: the server did not start"; return; }
  sign_in "$dir" mei >/dev/null || { not_ok "kill-serve: mei could not sign in"; serve_stop "$dir"; return; }
  port=$(cat "$dir/port")
  killed_n=0 finished=0
  for i in $(seq "${FAULTS_TRIALS:-20}"); do
    # the client: a note and a consent in turn until the server answers no more
    ( k=0
      while [ $k -lt 500 ]; do
        k=$((k + 1))
        if [ $((k % 2)) = 1 ]; then
          r=$(call "$dir" mei POST /api/v1/customers/1/notes "{\"text\":\"kill $i.$k\",\"channel\":\"phone\"}")
        else
          r=$(call "$dir" mei PUT /api/v1/customers/1/consents \
            "{\"purpose\":\"marketing\",\"channel\":\"sms\",\"granted\":$([ $((k % 4)) = 0 ] && echo true || echo false),\"evidence\":\"kill $i.$k\"}")
        fi
        case ${r%% *} in
          2??) echo "$k $r" >> "$dir/acked.$i" ;;
          000) break ;;
          *) echo "trial $i, write $k: ${r:0:200}" >> "$dir/refused" ;;
        esac
      done ) &
    client=$!
    delay=$(moment "$ms")
    sleep_ms "$((200 + delay))"
    { # (bash's word that a job was killed is not wanted)
      kill -9 "$(cat "$dir/pid")" && killed_n=$((killed_n + 1))
      wait "$(cat "$dir/pid")"
      wait "$client"
    } 2>/dev/null
    rm -f "$dir/pid"
    s=$(integrity "$dir/rapport.db")
    [ "$s" = ok ] || echo "    trial $i (killed after $((200 + delay)) ms): $s" >> "$problems"
    [ -f "$dir/acked.$i" ] && sed "s/^/$i./" "$dir/acked.$i" >> "$dir/acked"
    # at once on the same port: the dead server's connections do not hold it
    local t1
    t1=$(ms_now)
    serve_start "$dir" "$port" >/dev/null ||
      { echo "    trial $i: the server did not start again on port $port: $(tail -2 "$dir/serve.log" | paste -sd' ')" >> "$problems"; break; }
    [ $(( $(ms_now) - t1 )) -lt 3000 ] ||
      echo "    trial $i: the server took $(( $(ms_now) - t1 )) ms to start again on port $port" >> "$problems"
  done
  serve_stop "$dir"
  [ -s "$dir/refused" ] && sed 's/^/    refused: /' "$dir/refused" | head -5 >> "$problems"
  # every acknowledged write is in the store, and so is its audit entry
  local notes consents missing
  notes=$(grep -c '{"note":' "$dir/acked")
  consents=$(grep -vc '{"note":' "$dir/acked")
  missing=$(awk '/"note":/ { split($0, a, " "); print "kill " a[1] }' "$dir/acked" | sort |
    comm -23 - <(sqlite3 "$dir/rapport.db" "SELECT notes FROM interaction WHERE notes LIKE 'kill %'" | sort) | head -3)
  [ -z "$missing" ] || echo "    notes acknowledged but not in the store: $(echo $missing)" >> "$problems"
  missing=$(awk '!/"note":/ { split($0, a, " "); print "kill " a[1] }' "$dir/acked" | sort |
    comm -23 - <(sqlite3 "$dir/rapport.db" "SELECT evidence FROM consent WHERE evidence LIKE 'kill %'" | sort) | head -3)
  [ -z "$missing" ] || echo "    consents acknowledged but not in the store: $(echo $missing)" >> "$problems"
  missing=$(sed -n 's/.*{"note":\([0-9]*\),.*/note \1/p' "$dir/acked" | sort |
    comm -23 - <(sqlite3 "$dir/rapport.db" "SELECT detail FROM audit WHERE action = 'note'" | sort) | head -3)
  [ -z "$missing" ] || echo "    notes acknowledged without their audit entry: $(echo $missing)" >> "$problems"
  s=$(integrity "$dir/rapport.db")
  [ "$s" = ok ] || echo "    at the end: $s" >> "$problems"
  local what="${FAULTS_TRIALS:-20} kills within $((200 + ms)) ms of writing, seed $seed: $notes notes and $consents consents acknowledged; $((SECONDS - t0)) s"
  if [ ! -s "$problems" ]; then
    ok "kill-serve: $what"
  else
    not_ok "kill-serve: $what"
    head -"${FAULTS_SHOW:-20}" "$problems"
  fi
}

# The allocation-failure library replaces malloc, as AddressSanitizer does: not both in one process.
sanitized=
ldd "$RP" 2>/dev/null | grep -qE 'libasan|libubsan' && sanitized=1

for w in "${workloads[@]}"; do
  case $w in
    alloc-*) [ -n "$sanitized" ] && { skipped "$w: $RP is built with AddressSanitizer, which replaces malloc as the allocation-failure library does"; continue; } ;;
  esac
  case $w in
    kill-serve) kill_serve ;;
    kill-load) kill_load ;;
    kill-match) kill_match ;;
    kill-analyze) kill_analyze ;;
    disk-serve) disk_serve
      [ "${FAULTS_DISK_BOTH:-0}" = 1 ] && [ "$disk_mode" = tmpfs ] && { disk_mode=fsize; disk_serve; disk_mode=; } ;;
    disk-load) disk_load
      [ "${FAULTS_DISK_BOTH:-0}" = 1 ] && [ "$disk_mode" = tmpfs ] && { disk_mode=fsize; disk_load; disk_mode=; } ;;
    alloc-load) alloc_load ;;
    alloc-serve) alloc_serve ;;
    *) not_ok "$w: no such workload" ;;
  esac
done
echo "faults: $pass passed, $fail failed$( [ $skip -gt 0 ] && echo ", $skip skipped")"
[ $fail = 0 ]
