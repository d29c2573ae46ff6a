#!/usr/bin/env bash
# Predictive models at a million rows and fifty features, side by side in one run with
# scikit-learn (Debian's python3-sklearn 1.2) on the same files, the same split and comparable
# settings: a CART tree (depth 8, leaves of 20, no pruning), L2 logistic regression (C 1, the
# features standardised) and gradient-boosted trees on histograms (HistGradientBoostingClassifier's
# defaults, which are Rapport's).  Each learner's fit is timed on its own (reading the file is
# not), its AUC measured on the test file, and then SCORE_ROWS rows (the test rows repeated) are
# scored by the fitted model: Rapport's as 'rapport model score' scores a store's customers
# (build/bench/score), scikit-learn's predict_proba.  Peak memory of each whole run is printed.
# The data (bench/models.py) is kept in $BENCH_OUT/models-ROWSxFEATURES for the next run.
# usage: bench/models.sh [BUILD_DIR] [ROWS] [FEATURES] [SCORE_ROWS]
set -euo pipefail
build=${1:-build}; rows=${2:-1000000}; p=${3:-50}; score_rows=${4:-10000000}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/needs.bash"; needs "$build" rapport bench/score
rapport=$(cd "$build" && pwd)/rapport; score=$(cd "$build" && pwd)/bench/score
/usr/bin/python3 -c 'import sklearn, pandas' 2>/dev/null ||
  { echo "bench/models.sh: python3-sklearn or python3-pandas is missing (make deps installs them)" >&2; exit 1; }
out=${BENCH_OUT:-$here/out}/models-${rows}x$p
test_rows=$(( rows / 4 ))
if [ ! -s "$out/test.csv" ]; then
  mkdir -p "$out"
  echo "writing $rows training rows and $test_rows test rows of $p features to $out ..." >&2
  /usr/bin/python3 "$here/models.py" data "$out" "$rows" "$test_rows" "$p"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/rapport-bench-models-XXXXXX")
trap 'rm -rf "$work"' EXIT
export RAPPORT_PROGRESS=never
declare -A set=([tree]="max_depth=8,min_leaf=20,prune_folds=0" [logit]="C=1" [gbm]="")
for l in tree logit gbm; do
  /usr/bin/time -f %M -o "$work/$l.mem" "$rapport" model train --data "$out/train.csv" --test "$out/test.csv" \
    --target y --learner $l ${set[$l]:+--set ${set[$l]}} --folds 0 --json > "$work/$l.json" 2> "$work/$l.err" ||
    { cat "$work/$l.err" >&2; exit 1; }
  "$score" "$out/train.csv" "$out/test.csv" $l "$score_rows" ${set[$l]} > "$work/$l.score"
done
/usr/bin/time -f %M -o "$work/sk.mem" /usr/bin/python3 "$here/models.py" fit "$out" "$score_rows" > "$work/sk.json"
/usr/bin/python3 - "$work" "$rows" "$p" "$score_rows" <<'PY'
import json, sys
work, rows, p, score_rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
sk = {r["learner"]: r for r in map(json.loads, open(f"{work}/sk.json"))}
print(f"{rows:,} rows x {p} features, tested on {rows // 4:,}; scoring {score_rows:,} rows")
print(f"{'learner':8} {'rapport fit s':>13} {'sklearn fit s':>13} {'speed-up':>9} {'rapport AUC':>11} {'sklearn AUC':>11}"
      f" {'AUC diff':>9} {'rapport score s':>15} {'sklearn score s':>15} {'speed-up':>9}")
worst = 0
for l in ("tree", "logit", "gbm"):
    r = json.load(open(f"{work}/{l}.json"))
    s = json.loads(open(f"{work}/{l}.score").read())
    k = sk[l]
    fit, auc = r["seconds"]["fit"], r["holdout"]["auc"]
    worst = max(worst, abs(auc - k["auc"]))
    print(f"{l:8} {fit:13.2f} {k['fit']:13.2f} {k['fit'] / fit:8.1f}x {auc:11.4f} {k['auc']:11.4f} {auc - k['auc']:+9.4f}"
          f" {s['score']:15.2f} {k['score']:15.2f} {k['score'] / s['score']:8.1f}x")
mem = {l: int(open(f"{work}/{l}.mem").read().split()[-1]) for l in ("tree", "logit", "gbm")}
print("peak memory, rapport model train (read, fit, measure): " +
      ", ".join(f"{l} {mem[l] / 1024:,.0f} MiB" for l in mem) +
      f"; scikit-learn's whole run {int(open(f'{work}/sk.mem').read().split()[-1]) / 1024:,.0f} MiB"
      f" (the data as float64: {rows * 1.25 * p * 8 / 2**20:,.0f} MiB)")
print(f"largest AUC difference {worst:.4f} (target at most 0.01)")
PY
