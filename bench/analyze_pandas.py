#!/usr/bin/python3
"""RFM and Pareto in pandas (Debian's python3-pandas) on its own in-memory
copy of the transactions, for bench/analyze.sh.  Loading is not timed.
usage: analyze_pandas.py CSV AS_OF FROM   (CSV: customer,day,value)"""
import json, sys, time
import numpy as np
import pandas as pd

csv, as_of, frm = sys.argv[1:4]
t = pd.read_csv(csv, header=None, names=["customer", "day", "value"], parse_dates=["day"])
as_of, frm = pd.Timestamp(as_of), pd.Timestamp(frm)
t0 = time.perf_counter()
upto = t[t.day <= as_of]
last = upto.groupby("customer").day.max()
win = upto[upto.day >= frm]
g = win.groupby("customer").value
c = pd.DataFrame({"recency": (as_of - last).dt.days})
c["frequency"] = g.count().reindex(c.index, fill_value=0)
c["monetary"] = g.sum().reindex(c.index, fill_value=0)
n = len(c)
# score = 1 + floor(5 * below / n), below = customers strictly worse (rank 'min' - 1)
r = 1 + (5 * (c.recency.rank(method="min", ascending=False) - 1) // n)
f = 1 + (5 * (c.frequency.rank(method="min") - 1) // n)
m = 1 + (5 * (c.monetary.rank(method="min") - 1) // n)
cells = (100 * r + 10 * f + m).astype(int).value_counts().sort_index(ascending=False)
v = np.sort(g.sum().to_numpy())[::-1]
k = 0.2 * len(v)
whole = int(np.floor(k))
top = v[:whole].sum() + (v[whole] * (k - whole) if whole < len(v) else 0)
top20 = top / v.sum()
secs = time.perf_counter() - t0
print(json.dumps({"seconds": secs, "top20": float(top20),
                  "cells": " ".join(f"{i}:{j}" for i, j in cells.items())}))
