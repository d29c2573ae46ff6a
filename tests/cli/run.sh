#!/usr/bin/env bash
# Black-box tests of the rapport binary, from data files in tests/cli/cases/*.t.
#
# A case file is a sequence of steps run in one fresh directory:
#   # comment
#   $ COMMAND        a shell command (rapport is on PATH); starts a step
#   < LINE           a line of standard input
#   ? N              the exit code it must give (default 0)
#   > LINE           standard output must be exactly these lines (">" alone: an empty line)
#   >~ REGEX         standard output must have a line matching REGEX (grep -E)
#   >*               standard output is not checked
#   ! LINE           standard error must be exactly these lines
#   !~ REGEX         standard error must have a line matching REGEX
#   !*               standard error is not checked
#   #! timeout N     each step of the case may take N seconds (60 by default): a case that
#                    builds a whole bank says so
#   #! store sqlite  the case is about the SQLite store itself (its file, the sqlite3 shell), or
#                    about what no store changes and costs much on a server store: it runs in
#                    the SQLite run only; the line says why after a colon
#   #! store postgresql  the case starts PostgreSQL clusters of its own (it names them to every
#                    command): it runs in the PostgreSQL run only, beside the rest (run-all.sh)
# Without any > line, standard output must be empty; likewise standard error
# without any ! line.  Every case runs with RAPPORT_NOW fixed, so output is
# repeatable, and with $FIXTURES pointing at tests/fixtures.
#
# With RAPPORT_TEST_STORE=postgresql every case runs on a PostgreSQL store instead (issue 26): one
# throwaway cluster (tests/pg.sh) for the run, a database of its own for each case, named to the
# commands by RAPPORT_DB with the case's key file in RAPPORT_KEY (rapport.db.key, so that the files a
# server store keeps on this machine have the names an SQLite store's have); the summary line is then
# "cli-postgresql: ..." and names the cases that are SQLite's own.
#
# usage: tests/cli/run.sh BUILD_DIR [CASE...]
set -u
build=$(cd "${1:?build dir}" && pwd); shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=("$here"/cases/*.t)
pass=0; fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rapport-cli-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
store=${RAPPORT_TEST_STORE:-sqlite}; suite=cli; own=0; others=0; pg_url=""
case $store in
sqlite) ;;
postgresql)
    suite=cli-postgresql
    trap '"$root/tests/pg.sh" stop "$tmp/pg"; rm -rf "$tmp"' EXIT
    pg_url=$("$root/tests/pg.sh" start "$tmp/pg" $$) || { echo "$suite: 0 passed, 1 failed (no PostgreSQL cluster)"; exit 1; }
    ;;
*) echo "run.sh: RAPPORT_TEST_STORE is sqlite or postgresql, not '$store'" >&2; exit 2 ;;
esac
store_env=()

run_step() { # case, stepno, cmd, stdin, want_code, want_out, out_mode, out_res, want_err, err_mode, err_res
    local name=$1 n=$2 cmd=$3 input=$4 code=$5
    local got_out="$dir/.out" got_err="$dir/.err" rc problems="" limit=$step_timeout
    # PostgreSQL's loads go a statement a round trip until COPY (issue 26 item 3): three times the time
    [ "$store" = sqlite ] || limit=$((step_timeout * 3))
    (cd "$dir" && printf '%s' "$input" | env -i PATH="$build:/usr/bin:/bin" HOME="$dir" \
        RAPPORT_NOW=2026-11-23T04:00:00Z RAPPORT_USER=tester FIXTURES="$root/tests/fixtures" "${store_env[@]}" \
        LC_ALL=C.UTF-8 TZ=UTC timeout "$limit" bash -c "$cmd" >"$got_out" 2>"$got_err")
    rc=$?
    [ "$rc" = "$code" ] || problems+="exit code $rc, wanted $code"$'\n'
    check() { # stream file mode exact regexes
        local what=$1 file=$2 mode=$3 exact=$4 res=$5
        case $mode in
          any) ;;
          empty) [ -s "$file" ] && problems+="$what should be empty but was:"$'\n'"$(head -20 "$file")"$'\n' ;;
          exact) if ! diff -u <(printf '%s' "$exact") "$file" >"$dir/.diff"; then
                   problems+="$what differs (- wanted, + got):"$'\n'"$(tail -n +3 "$dir/.diff" | head -40)"$'\n'; fi ;;
        esac
        local re
        while IFS= read -r re; do
            [ -n "$re" ] || continue
            grep -Eq -- "$re" "$file" || problems+="$what has no line matching /$re/; it was:"$'\n'"$(head -20 "$file")"$'\n'
        done <<<"$res"
    }
    check stdout "$got_out" "$6" "$7" "$8"
    check stderr "$got_err" "$9" "${10}" "${11}"
    if [ -z "$problems" ]; then return 0; fi
    printf 'not ok - %s step %d: %s\n%s' "$name" "$n" "$cmd" "$problems" | sed '2,$s/^/    /'
    return 1
}

for file in "${cases[@]}"; do
    name=$(basename "$file" .t); started=$SECONDS
    dir="$tmp/$name"; mkdir -p "$dir"
    ok=1; n=0; have=0; step_timeout=60
    if [ "$store" = sqlite ] && grep -q '^#! store postgresql' "$file"; then
        others=$((others + 1)); echo "postgresql's own - $name"; continue
    fi
    if [ "$store" != sqlite ] && grep -q '^#! store postgresql' "$file"; then
        store_env=()
    elif [ "$store" != sqlite ]; then
        if grep -q '^#! store sqlite' "$file"; then own=$((own + 1)); echo "sqlite's own - $name"; continue; fi
        db=case_$(printf '%s' "$name" | tr -c 'a-zA-Z0-9' _)
        psql -q -X "${pg_url%/*}/postgres" -c "CREATE DATABASE $db" > /dev/null ||
            { echo "not ok - $name: could not create its database"; fail=$((fail + 1)); continue; }
        store_env=(RAPPORT_DB="${pg_url%/*}/$db" RAPPORT_KEY="$dir/rapport.db.key")
    fi
    reset_step() { cmd=""; input=""; code=0; out=""; out_mode=empty; out_res=""; err=""; err_mode=empty; err_res=""; }
    flush() {
        [ $have = 1 ] || return 0
        n=$((n + 1))
        run_step "$name" $n "$cmd" "$input" $code "$out_mode" "$out" "$out_res" "$err_mode" "$err" "$err_res" || ok=0
    }
    reset_step
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in
          '$ '*) flush; reset_step; have=1; cmd=${line#\$ } ;;
          '< '*) input+="${line#< }"$'\n' ;;
          '? '*) code=${line#\? } ;;
          '>*') out_mode=any ;;
          '>~ '*) [ $out_mode = empty ] && out_mode=any; out_res+="${line#>~ }"$'\n' ;;
          '>') out_mode=exact; out+=$'\n' ;;
          '> '*) out_mode=exact; out+="${line#> }"$'\n' ;;
          '!*') err_mode=any ;;
          '!~ '*) [ $err_mode = empty ] && err_mode=any; err_res+="${line#!~ }"$'\n' ;;
          '!') err_mode=exact; err+=$'\n' ;;
          '! '*) err_mode=exact; err+="${line#! }"$'\n' ;;
          '#! timeout '*) step_timeout=${line#\#! timeout } ;;
          '#'*|'') ;;
          *) echo "not ok - $name: cannot read line: $line"; ok=0 ;;
        esac
    done <"$file"
    flush
    if [ $ok = 1 ]; then pass=$((pass + 1)); echo "ok - $name ($n steps, $((SECONDS - started)) s)"; else fail=$((fail + 1)); fi
done
if [ "$store" = sqlite ]; then echo "cli: $pass passed, $fail failed ($others cases are PostgreSQL's own)"
else echo "$suite: $pass passed, $fail failed ($own cases are SQLite's own)"; fi
[ $fail = 0 ]
