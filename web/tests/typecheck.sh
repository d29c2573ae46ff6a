#!/usr/bin/env bash
# The web application checked against the API's own description (the
# web-types suite of tests/run-all.sh, so part of `make test`):
#   openapi  the OpenAPI document, from the binary (rapport serve --openapi)
#   lint     Redocly's linter accepts it (web/tests/openapi-lint.mjs)
#   client   openapi-typescript makes a TypeScript client of it
#   tsc      tsc --checkJs over web/src and web/tests/api-calls.js against
#            that client: every api() call's path, method, arguments and
#            body (web/src/api-types.d.ts), and the mistakes it must refuse
#   catalogue the message catalogue whole in both languages, the API's error
#            codes and reasons in it, no English in the Chinese (catalogue.mjs)
# Writes BUILD/web-types/; ends with "web-types: N passed, N failed".
# usage: web/tests/typecheck.sh BUILD_DIR
set -u
build=${1:?build dir}
here=$(cd "$(dirname "$0")" && pwd)
web=$(dirname "$here")
bin=$web/node_modules/.bin
out=$(mkdir -p "$build/web-types" && cd "$build/web-types" && pwd)
rapport=$(cd "$build" && pwd)/rapport
pass=0 fail=0 broken=
step() {
  local name=$1
  shift
  if [ -n "$broken" ]; then
    fail=$((fail + 1))
    echo "not ok - $name (not run: $broken failed)"
  elif "$@" > "$out/$name.log" 2>&1; then
    pass=$((pass + 1))
    echo "ok - $name"
  else
    fail=$((fail + 1))
    broken=$name
    echo "not ok - $name"
    sed 's/^/    /' "$out/$name.log" | head -80
  fi
}
openapi() { "$rapport" serve --openapi > "$out/openapi.json"; }
tsconfig() {
  cat > "$out/tsconfig.json" <<JSON
{
  "extends": "$web/tsconfig.json",
  "compilerOptions": { "paths": { "rapport-api": ["./openapi.d.ts"] } },
  "include": ["$web/src/**/*", "$web/tests/api-calls.js"]
}
JSON
  "$bin/tsc" -p "$out/tsconfig.json"
}
step openapi openapi
step lint node "$here/openapi-lint.mjs" "$out/openapi.json"
step client "$bin/openapi-typescript" "$out/openapi.json" -o "$out/openapi.d.ts"
step tsc tsconfig
step catalogue node "$here/catalogue.mjs" "$out/openapi.json"
echo "web-types: $pass passed, $fail failed"
[ "$fail" = 0 ]
