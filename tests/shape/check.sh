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

# 1. no function longer than 150 lines ({ at column 0 to } at column 0)
check "no function over 150 lines" < <(awk 'FNR == 1 { prev = ""; start = 0 }
     /^\{/ { start = FNR; name = prev }
     /^\}/ && start { if (FNR - start + 1 > 150) print FILENAME ":" start ": " FNR - start + 1 " lines: " name; start = 0 }
     { prev = $0 }' $(find src -name '*.c' | sort))

# 2. the API and the CLI hold no SQL (rapport query passes the user's SQL through)
check "no SQL in src/api or src/cli" < <(grep -nE '"\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|PRAGMA|BEGIN|COMMIT|WITH) [^"]|rp_store_(prepare|exec|query_int|begin|commit|rollback)' \
  src/api/*.c $(ls src/cli/*.c | grep -v cmd_query.c))

# 3. only the store speaks to SQLite
check "sqlite3 only in src/store" < <(grep -nE '\bsqlite3_[a-z_]+\(|#include <sqlite3.h>' $(find src -name '*.[ch]' | grep -v '^src/store/'))

# 4. no two source files share a name (each folder's private header is its internal.h)
check "no two files in src/ share a name" < <(find src -name '*.[ch]' ! -name internal.h -printf '%f\n' | sort | uniq -d)

# 5. one cleanup label
check "one cleanup label, out:" < <(grep -nE '^\s*(goto [a-z_]+;|[a-z_]+:\s*$)' $(find src -name '*.c') | grep -vE 'goto out;|\bout:|default:')

# 6. one public header per domain folder: other folders include only DIR/DIR.h
#    (core is a library of small headers; tests and benchmarks may include a folder's private header)
check "other folders include only a domain's public header" < <(for d in store warehouse etl match analytics security api cli gen; do
  grep -nE "#include \"$d/[a-z_]+\.h\"" $(find src -name '*.[ch]' | grep -v "^src/$d/") | grep -v "\"$d/$d.h\"" \
    | grep -v '"store/store.h"'
done)

# 7. each domain header opens with what the module is and a map of its files
check "each domain header is its manual, with a map of its files" < <(for h in src/store/store.h src/warehouse/warehouse.h src/etl/etl.h src/match/match.h src/analytics/analytics.h \
         src/security/security.h src/api/api.h src/cli/cli.h src/gen/gen.h; do
  [ -f "$h" ] || { echo "$h: missing"; continue; }
  head -60 "$h" | grep -qE '^/\*' || echo "$h: does not open with a comment"
  for c in $(ls "$(dirname "$h")"/*.c 2>/dev/null); do
    head -80 "$h" | grep -q "$(basename "$c")" || echo "$h: its map does not name $(basename "$c")"
  done
done)

echo "shape: $pass passed, $fail failed"
[ "$fail" = 0 ]
