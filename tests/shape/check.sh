#!/usr/bin/env bash
# The shape of the tree (../shared/STYLE.md, issue "One room for each thing"),
# checked so that it stays so.  Prints "ok - NAME" or "not ok - NAME" and the
# offending places for each rule, and ends with "shape: N passed, N failed".
# usage: tests/shape/check.sh   (from anywhere; reads the checkout it sits in)
set -u
cd "$(dirname "$0")/../.."
pass=0; fail=0
check() { # NAME, then the offending lines on stdin (none: the rule holds)
  local out; out=$(cat)
  if [ -z "$out" ]; then echo "ok - $1"; pass=$((pass + 1))
  else echo "not ok - $1"; printf '%s\n' "$out" | sed 's/^/    /'; fail=$((fail + 1)); fi
}
domains="store warehouse etl match analytics models marketing contact security api cli gen"

# 1. no function longer than 150 lines ({ at column 0 to } at column 0)
functions() {
  awk 'FNR == 1 { prev = ""; start = 0 }
       /^\{/ { start = FNR; name = prev }
       /^\}/ && start { if (FNR - start + 1 > 150) print FILENAME ":" start ": " FNR - start + 1 " lines: " name; start = 0 }
       { prev = $0 }' $(find src -name '*.c' | sort)
}
check "no function over 150 lines" < <(functions)

# 2. SQL only in the module that owns the table.  The tables are the
#    migrations'; each folder may name only its own (the warehouse all but
#    the others').  load_job is shared: the warehouse's import and lineage
#    write and read it beside etl's loads.  `rapport query` passes the
#    user's SQL through.  A table is named in a string literal after FROM,
#    JOIN, INTO, UPDATE or TABLE, in any case.
owned() { # FOLDER: its tables, one a line
  case $1 in
    etl) printf '%s\n' load_job load_rule load_seen reject pending_link ;;
    match) printf '%s\n' match_run match_pair match_decision match_queue ;;
    analytics) printf '%s\n' analysis_run customer_value customer_rfm customer_clv customer_segment customer_behaviour ;;
    models) printf '%s\n' model model_run customer_score ;;
    marketing) printf '%s\n' offer campaign_plan campaign_cell campaign_wave campaign_change target_list \
                        campaign_waterfall campaign_send event_rule customer_event lead event_state channel_capacity ;;
    security) printf '%s\n' app_user app_session audit audit_customer sign_in_failure password_history audit_chain \
                       api_token user_totp user_request ;;
    contact) printf '%s\n' cc_skill cc_queue cc_agent cc_agent_skill cc_agent_state cc_interaction cc_event cc_surge cc_ivr cc_ivr_session cc_pin cc_dialler cc_dial cc_chat cc_chat_message ;;
    store) printf '%s\n' rapport_migrations store_meta ;;
    warehouse) comm -23 <(tables) <({ for d in etl match analytics models marketing contact security store; do owned $d; done; } | sort -u)
               echo load_job ;;
  esac
}
tables() {
  grep -hoiE 'create (table|view|virtual table)( if not exists)? [a-z_0-9]+' src/store/sql/sqlite/*.sql |
    awk '{ print tolower($NF) }' | sort -u
}
foreign_sql() { # one pass in Python: a grep and an awk a hit took a minute and a half on two busy cores
  local all; all=$(tables | paste -sd'|')
  for d in $domains; do
    printf '%s\t%s\n' "$(owned "$d" | paste -sd'|')" "$(find "src/$d" -name '*.[ch]' | sort | paste -sd' ')"
  done | python3 -c '
import re, sys
lit = re.compile(r"\"[^\"]*\b(?:from|join|into|update|table)\s+(?:%s)\b" % sys.argv[1], re.I)
kw = re.compile(r"\b(?:from|join|into|update|table)\s+(%s)\b" % sys.argv[1], re.I)
for row in sys.stdin:
    mine, files = row.rstrip("\n").split("\t")
    mine = set(mine.split("|")) if mine else set()
    for f in files.split():
        if f == "src/cli/cmd_query.c":
            continue
        for n, line in enumerate(open(f, encoding="utf-8", errors="replace"), 1):
            for m in lit.finditer(line):
                t = kw.findall(m.group(0))[-1].lower()
                if t not in mine:
                    print("%s:%d: %s belongs to another module" % (f, n, t))
' "$all"
}
check "SQL only in the module that owns the table" < <(foreign_sql)
# and no store calls at all in the API and the CLI (they go through the modules)
check "no SQL in src/api or src/cli" < <(grep -nE 'rp_store_(prepare|exec|query_int|begin|commit|rollback)\b' \
  src/api/*.c $(ls src/cli/*.c | grep -v cmd_query.c))

# 3. only the store speaks to SQLite
check "sqlite3 only in src/store" < <(grep -nE '\bsqlite3_[a-z0-9_]+[[:space:]]*\(|#include[[:space:]]*<sqlite3\.h>' \
  $(find src -name '*.[ch]' | grep -v '^src/store/'))

# 4. no two source files share a name (each folder's private header is its internal.h)
check "no two files in src/ share a name" < <(find src -name '*.[ch]' ! -name internal.h -printf '%f\n' | sort | uniq -d)

# 5. one cleanup label
check "one cleanup label, out:" < <(grep -nE '^\s*(goto [a-z_0-9]+;|[a-z_0-9]+:\s*$)' $(find src -name '*.c') |
  grep -vE 'goto out;|\bout:|default:')

# 6. one public header per domain folder: other folders include only DIR/DIR.h
#    (core is a library of small headers; tests and benchmarks may include a folder's private header)
includes() {
  for d in $domains; do
    grep -nE "#include[[:space:]]*\"(\.\./)*$d/[a-z_0-9]+\.h\"" $(find src -name '*.[ch]' | grep -v "^src/$d/") |
      grep -vE "\"(\.\./)*$d/$d\.h\""
  done
}
check "other folders include only a domain's public header" < <(includes)

# 7. each domain header is its manual: it opens with a comment whose map names
#    every file of its folder, .c and .h (a line for PREFIX_NAME.c covers
#    every PREFIX_*.c, as analytics' job_NAME.c does)
maps() {
  for d in $domains; do
    local h=src/$d/$d.h
    [ -f "$h" ] || { echo "$h: missing"; continue; }
    head -1 "$h" | grep -q '^/\*' || echo "$h: does not open with a comment"
    local map; map=$(awk 'NR == 1, /\*\//' "$h")
    for f in $(ls "src/$d"/*.[ch]); do
      local b; b=$(basename "$f")
      [ "$b" = "$d.h" ] && continue
      printf '%s\n' "$map" | grep -qwF "$b" && continue
      local covered=0
      for p in $(printf '%s\n' "$map" | grep -oE '\b[a-z0-9]+_NAME\.c\b' | sed 's/_NAME\.c$//' | sort -u); do
        case $b in "${p}_"*.c) covered=1 ;; esac
      done
      [ $covered = 1 ] || echo "$h: its map does not name $b"
    done
  done
}
check "each domain header is its manual, with a map of its files" < <(maps)

echo "shape: $pass passed, $fail failed"
[ "$fail" = 0 ]
