# Sourced by the benchmarks (not one itself: `make bench` runs bench/*.sh).
#   needs BUILD_DIR TARGET...   e.g. needs build rapport bench/sqlite_ceiling web/index.html
# makes what a benchmark uses in its build directory, so that each script runs
# on its own after a plain `make` (or on a fresh clone) as well as from `make
# bench`; a no-op when it is up to date.  Variables given to a make that runs
# the script (BUILD, OPT, SAN) reach this one through MAKEFLAGS; its jobserver
# does not (make would warn), so this make runs its recipes one at a time.
needs() {
  local build=$1 root abs rel t targets=()
  shift
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  abs=$(mkdir -p "$build" && cd "$build" && pwd)
  rel=$(realpath -m --relative-to="$root" "$abs")
  case $rel in ..*) rel=$abs ;; esac
  for t; do targets+=("$rel/$t"); done
  MAKEFLAGS=$(printf ' %s ' "${MAKEFLAGS:-}" | sed -E 's/ --jobserver-(auth|fds)=[^ ]*//g; s/ -j[0-9]*( |$)/ /g') \
    make -s --no-print-directory -C "$root" BUILD="$rel" "${targets[@]}" >&2 ||
    { echo "bench: could not make ${targets[*]}" >&2; return 1; }
}
