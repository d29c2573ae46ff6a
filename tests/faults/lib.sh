# lib.sh — what the fault-injection workloads share (sourced by tests/faults/run.sh).
#
# Every store is made in $WORK (memory, /dev/shm, when it can be had), every
# command runs with the environment of the black-box tests (RAPPORT_NOW and
# RAPPORT_USER fixed, C.UTF-8), and every server started is on 127.0.0.1 and
# a free port and is stopped by the trap of run.sh, whatever happens.

# rapport with the tests' environment; "faulty" adds the allocation-failure library: only the
# rapport process itself is preloaded (not timeout, nor a shell between).
rp() { env RAPPORT_NOW=2026-11-23T04:00:00Z RAPPORT_USER=tester LC_ALL=C.UTF-8 TZ=UTC "$RP" "$@"; }
faulty() { # VAR=VALUE ... -- ARGS: rapport ARGS with LD_PRELOAD and the variables, under a time-out
  local vars=()
  while [ "$1" != -- ]; do vars+=("$1"); shift; done
  shift
  timeout -k 5 "${FAULTS_TIMEOUT:-60}" env RAPPORT_NOW=2026-11-23T04:00:00Z RAPPORT_USER=tester LC_ALL=C.UTF-8 TZ=UTC \
    "${vars[@]}" bash -c 'LD_PRELOAD=$0 exec "$@"' "$SHIM" "$RP" "$@"
}

# A store of the base bank: branches loaded, the customers' file CIF.dat (101 records) beside it.
make_base() { # DIR
  mkdir -p "$1" && (cd "$1" && rp init >/dev/null &&
    rp gen --customers 100 --months 1 --seed 21 --out bank >/dev/null &&
    rp load bank/host/BRANCH.dat >/dev/null)
}
copy_store() { # FROM TO: the store file and its key, nothing else (a store closed cleanly has no WAL)
  mkdir -p "$2" && cp "$1/rapport.db" "$2/rapport.db" && cp "$1/rapport.db.key" "$2/rapport.db.key"
}

# What the store holds, as a short hash: every table but the audit trail's (each command adds to it),
# sessions and failed sign-ins; without what varies from run to run: the time a job took (columns
# "seconds", and "seconds" in a summary), a load's process and message; sealed values by their length
# (a seal's nonce is new each time).  Each table's rows in order of all their columns.
digest() { # DB
  local sql=${WORK:-/tmp}/digest.sql # the same for every store of this schema: made once
  if [ ! -s "$sql" ]; then
    sqlite3 "$1" "SELECT '.print ' || m.name || char(10) || 'SELECT ' ||
        (SELECT group_concat(CASE WHEN name IN ('sealed', 'secret') THEN 'length(' || name || ')'
                                  WHEN name = 'summary' THEN 'json_remove(summary, ''\$.seconds'')'
                                  ELSE '\"' || name || '\"' END, ',')
           FROM pragma_table_info(m.name) WHERE name NOT IN ('seconds', 'pid', 'pid_start', 'host', 'message')) ||
        ' FROM \"' || m.name || '\" ORDER BY ' ||
        (SELECT group_concat(i, ',') FROM (SELECT row_number() OVER () AS i FROM pragma_table_info(m.name)
           WHERE name NOT IN ('seconds', 'pid', 'pid_start', 'host', 'message'))) || ';'
      FROM sqlite_schema m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
        AND m.name NOT IN ('audit', 'audit_chain', 'audit_customer', 'app_session', 'sign_in_failure')
      ORDER BY m.name" > "$sql.$$" && mv "$sql.$$" "$sql" || { echo "no-digest"; return; }
  fi
  sqlite3 -csv "$1" < "$sql" | sha256sum | cut -c1-16
}

# The store's own checks: "ok", or what is wrong.
integrity() { # DB
  local ic fk
  ic=$(sqlite3 "$1" "PRAGMA integrity_check" 2>&1 | head -3 | paste -sd' ')
  [ "$ic" = ok ] || { echo "integrity_check: $ic"; return; }
  fk=$(sqlite3 "$1" "PRAGMA foreign_key_check" 2>&1 | head -3 | paste -sd' ')
  [ -z "$fk" ] || { echo "foreign_key_check: $fk"; return; }
  echo ok
}

# A load of CIF.dat stopped anywhere left a store that is whole: "ok", or what is wrong.  The store's
# own checks (integrity, foreign keys); then no job, and no customer; or a job whose counts are those
# of its last committed batch (a multiple of BATCH records, or the whole file), each loaded record a
# customer with its lineage and each rejected one a reject, done only with the whole file.  One
# sqlite3 for all of it.
load_state() { # DB BATCH RECORDS
  local db=$1 batch=$2 total=$3 out ic fk parties row
  out=$(sqlite3 -separator ' ' "$db" "PRAGMA integrity_check;
    SELECT 'fk', count(*) FROM pragma_foreign_key_check;
    SELECT 'parties', count(*) FROM party;
    SELECT 'job', id, status, records, rows_loaded, rows_rejected, rows_unchanged,
      (SELECT count(*) FROM source_record s WHERE s.job_id = j.id),
      (SELECT count(*) FROM reject r WHERE r.job_id = j.id)
    FROM load_job j WHERE file LIKE '%CIF.dat'" 2>&1)
  ic=$(printf '%s\n' "$out" | grep -vE '^(fk|parties|job) ' | head -3 | paste -sd' ')
  [ "$ic" = ok ] || { echo "integrity_check: $ic"; return; }
  fk=$(printf '%s\n' "$out" | sed -n 's/^fk //p')
  [ "$fk" = 0 ] || { echo "foreign_key_check: $fk rows"; return; }
  parties=$(printf '%s\n' "$out" | sed -n 's/^parties //p')
  row=$(printf '%s\n' "$out" | sed -n 's/^job //p')
  if [ -z "$row" ]; then
    [ "$parties" = 0 ] && echo ok || echo "no job, but $parties customers"
    return
  fi
  set -- $row
  local id=$1 status=$2 records=$3 loaded=$4 rejected=$5 unchanged=$6 lineage=$7 rejects=$8
  if [ $((loaded + rejected + unchanged)) != "$records" ]; then
    echo "job $id ($status): $records records but $loaded loaded + $rejected rejected + $unchanged unchanged"
  elif [ "$lineage" != "$loaded" ] || [ "$parties" != "$loaded" ]; then
    echo "job $id ($status): $loaded loaded but $parties customers and $lineage lineage rows"
  elif [ "$rejects" != "$rejected" ]; then
    echo "job $id ($status): $rejected rejected but $rejects rejects kept"
  elif [ $((records % batch)) != 0 ] && [ "$records" != "$total" ]; then
    echo "job $id ($status): $records records is not the end of a batch of $batch"
  elif [ "$status" = done ] && [ "$records" != "$total" ]; then
    echo "job $id is done after $records of $total records"
  else
    echo ok
  fi
}

# ---- the server ----

# Start rapport serve in DIR, on 127.0.0.1 and a free port (written to DIR/port): on DIR/rapport.db, or
# SERVE_DB; with the allocation-failure library when SHIM_VARS has its variables; with the file size
# limit SERVE_FSIZE (KB; SIGXFSZ ignored).  Its PID in DIR/pid, what it says in DIR/serve.log.
serve_start() { # DIR [PORT]
  local dir=$1 port=${2:-0} i
  rm -f "$dir/port"
  (cd "$dir" && exec env RAPPORT_NOW=2026-11-23T04:00:00Z RAPPORT_USER=tester LC_ALL=C.UTF-8 TZ=UTC \
      RAPPORT_DB="${SERVE_DB:-rapport.db}" ${SHIM_VARS:-} bash -c '
        [ -n "${RAPPORT_FAULT_CTL:-}" ] && export LD_PRELOAD=$0
        [ -n "$1" ] && { trap "" XFSZ; ulimit -S -f "$1"; }
        shift; exec "$@"' "$SHIM" "${SERVE_FSIZE:-}" \
      "$RP" serve --listen "127.0.0.1:$port" --port-file port --threads 1 >>serve.log 2>&1) &
  echo $! > "$dir/pid"
  for i in $(seq 200); do
    [ -s "$dir/port" ] && return 0
    kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
    sleep 0.05
  done
  echo "the server did not start: $(tail -3 "$dir/serve.log")"
  return 1
}
serve_stop() { # DIR [SIGNAL]: stop it and wait for it
  local pid
  pid=$(cat "$1/pid" 2>/dev/null) || return 0
  kill -"${2:-TERM}" "$pid" 2>/dev/null
  for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  rm -f "$1/pid"
}

# curl against the server in DIR with the cookie jar DIR/jar.JAR (and its CSRF token): "STATUS BODY"
# on one line.
call() { # DIR JAR METHOD PATH [BODY]
  local dir=$1 jar=$2 method=$3 path=$4 body=${5:-} args=()
  [ -n "$body" ] && args=(-H 'Content-Type: application/json' --data-binary "$body")
  [ -s "$dir/csrf.$jar" ] && args+=(-H "X-CSRF-Token: $(cat "$dir/csrf.$jar")")
  curl -s --max-time "${FAULTS_CALL_TIMEOUT:-20}" -o "$dir/reply" -w '%{http_code}' -b "$dir/jar.$jar" \
    -c "$dir/jar.$jar" -X "$method" "${args[@]}" "http://127.0.0.1:$(cat "$dir/port")$path" > "$dir/status" 2>/dev/null
  local r=
  [ -f "$dir/reply" ] && IFS= read -r r < "$dir/reply"
  printf '%s %s\n' "$(cat "$dir/status")" "${r:0:2000}"
}
sign_in() { # DIR USER [JAR]: a session (in DIR/jar.JAR, default USER) and its CSRF token
  local jar=${3:-$2} r
  rm -f "$1/jar.$jar" "$1/csrf.$jar"
  r=$(call "$1" "$jar" POST /api/v1/session "{\"name\":\"$2\",\"password\":\"a long password 1\"}")
  [ "${r%% *}" = 200 ] || { echo "sign-in of $2: $r"; return 1; }
  printf '%s\n' "$r" | sed -n 's/.*"csrf":"\([^"]*\)".*/\1/p' > "$1/csrf.$jar"
}

# ---- what a failed allocation's log says ----

# A call stack of failmalloc.c's log, innermost first, on one line: the failed allocation's callers
# ("at") or where it crashed after it ("in").  Rapport's own frames as function (file:line), by
# addr2line; a library's as symbol (library), or (library) alone for one it does not export.
stack_of() { # LOG at|in [FRAMES]
  local offs=() frames=() line sym obj i k=0
  while IFS= read -r line; do
    case $line in "  $2 "*) ;; *) continue ;; esac
    line=${line#  $2 }
    sym=${line% *} obj=${line##* }
    if [ "$obj" = rapport ] && [ "${sym#+}" != "$sym" ]; then
      offs+=("${sym#+}"); frames+=("@${#offs[@]}")
    else
      frames+=("${sym%+0x*} ($obj)")
    fi
  done < "$1"
  local names=()
  if [ ${#offs[@]} -gt 0 ]; then
    mapfile -t names < <(addr2line -f -e "$RP" "${offs[@]}" | paste - - |
      awk -F'\t' '{ sub(".*/src/", "src/", $2); sub(" \\(discriminator.*", "", $2); print $1 " (" $2 ")" }')
  fi
  local out=
  for i in "${!frames[@]}"; do
    [ $i -lt "${3:-32}" ] || break
    case ${frames[$i]} in
      @*) k=${frames[$i]#@}; line=${names[$((k - 1))]:-?} ;;
      *) line=${frames[$i]} ;;
    esac
    out+="${out:+ < }$line"
  done
  printf '%s\n' "$out"
}

# Why a crash (KIND crash: where it crashed) or a wrong message (KIND message: the failed
# allocation's callers) is a library's and not Rapport's (tests/faults/known.txt), or nothing.
known() { # KIND STACK
  local kind pat why
  while IFS=$'\t' read -r kind pat why; do
    [ "$kind" = "$1" ] || continue
    printf '%s\n' "$2" | grep -qE -- "$pat" && { printf '%s\n' "$why"; return; }
  done < "$FAULTS_HERE/known.txt"
}

# What is wrong with the message of a command that failed because memory ran out, or nothing: one
# line, "rapport: ...", saying so, and no database's own words.
message_problem() { # STDERR_FILE
  local f=$1
  if [ ! -s "$f" ]; then echo "failed without a message"; return; fi
  if grep -qvE '^rapport: ' "$f"; then echo "a line on stderr that is not a message"; return; fi
  if [ "$(wc -l < "$f")" != 1 ]; then echo "$(wc -l < "$f") lines on stderr, not one"; return; fi
  if grep -qiE 'sqlite|constraint|no such (table|column)|syntax error|SQL logic|database disk image|malformed' "$f"; then
    echo "the store's own words reach the user"; return
  fi
  grep -qiE 'out of memory|cannot allocate memory' "$f" || echo "the message does not say that memory ran out"
}
