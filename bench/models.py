#!/usr/bin/python3
"""The scikit-learn side of bench/models.sh, and its data.

  models.py data DIR ROWS TEST_ROWS FEATURES  write DIR/train.csv and DIR/test.csv
  models.py fit DIR SCORE_ROWS                fit each learner, one JSON line each

The data: FEATURES columns (normal, counts 0-9 and amounts with a long tail), a binary target from
a logistic of linear terms, an interaction, thresholds and a sine, by a fixed seed.  Debian's numpy,
pandas and scikit-learn (python3-sklearn 1.2), so the benchmark runs where Rapport runs."""
import json
import sys
import time

import numpy as np
import pandas as pd


def data(out, rows, test_rows, p):
    rng = np.random.default_rng(7)
    n = rows + test_rows
    X = rng.normal(size=(n, p))
    counts = range(int(p * 0.8), int(p * 0.9))
    amounts = range(int(p * 0.9), p)
    for c in counts:
        X[:, c] = rng.integers(0, 10, size=n)
    for c in amounts:
        X[:, c] = rng.exponential(1000, size=n).round(2)
    c0, a0 = int(p * 0.8), int(p * 0.9)
    z = (0.8 * X[:, 0] - 0.6 * X[:, 1] + 0.5 * X[:, 2] * X[:, 3] + 1.0 * (X[:, 4] > 0.5) - 0.7 * (X[:, 5] < -1)
         + 0.3 * np.sin(2 * X[:, 6]) + 0.15 * (X[:, c0] - 4.5) + 0.4 * np.log1p(X[:, a0]) / 3 - 1.2)
    y = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(int)
    df = pd.DataFrame(X, columns=[f"x{i:02d}" for i in range(p)])
    for c in df.columns[:c0]:
        df[c] = df[c].round(4)
    df.insert(0, "y", y)
    df.iloc[:rows].to_csv(f"{out}/train.csv", index=False)
    df.iloc[rows:].to_csv(f"{out}/test.csv", index=False)


def fit(d, score_rows):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier
    t = time.monotonic()
    tr, te = pd.read_csv(f"{d}/train.csv"), pd.read_csv(f"{d}/test.csv")
    read = time.monotonic() - t
    ytr, yte = tr.pop("y").values, te.pop("y").values
    Xtr, Xte = tr.values, te.values
    big = np.tile(Xte, (score_rows // len(Xte) + 1, 1))[:score_rows]
    learners = [("tree", DecisionTreeClassifier(max_depth=8, min_samples_leaf=20, random_state=1)),
                ("logit", make_pipeline(StandardScaler(), LogisticRegression(C=1, max_iter=100))),
                ("gbm", HistGradientBoostingClassifier(random_state=1))]
    for name, m in learners:
        t = time.monotonic()
        m.fit(Xtr, ytr)
        fitted = time.monotonic() - t
        auc = roc_auc_score(yte, m.predict_proba(Xte)[:, 1])
        t = time.monotonic()
        m.predict_proba(big)
        scored = time.monotonic() - t
        print(json.dumps({"learner": name, "read": read, "fit": fitted, "auc": auc, "score_rows": score_rows,
                          "score": scored}), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "data":
        data(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        fit(sys.argv[2], int(sys.argv[3]))
