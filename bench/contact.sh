#!/usr/bin/env bash
# A simulated day of a large contact centre (issue 25 item 12): `rapport contact simulate` over 48 half
# hours of AGENTS agents (default 1,000) at 97 % of their time (Erlang C: 99.1 % within 20 s), side by side in one run with the same
# model simulated in Python (heapq, the standard library: what an analyst would otherwise write), and
# Erlang C's service level for the same staffing.  Both simulations must agree with each other and
# with Erlang C within two percentage points, or the script stops.
# usage: bench/contact.sh [BUILD_DIR] [AGENTS] [OCCUPANCY]   (0.97: a small centre needs less to stay steady)
set -euo pipefail
build=${1:-build}; agents=${2:-1000}; occ=${3:-0.97}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/needs.bash"; needs "$build" rapport
rapport=$(cd "$build" && pwd)/rapport
work=$(mktemp -d "${TMPDIR:-/tmp}/rapport-bench-contact-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
aht=180
calls=$(python3 -c "print(round($agents * $occ * 1800 / $aht))")   # the agents' time, at the occupancy
/usr/bin/time -f '%e %M' -o r.time "$rapport" contact simulate --calls "$calls" --agents "$agents" --aht $aht \
  --intervals 48 --seed 11 --json > r.json
"$rapport" contact erlang --calls "$calls" --aht $aht --agents "$agents" --json > e.json
cat > sim.py <<'PY'
import heapq, json, math, random, sys
calls, agents, aht, intervals, length, target = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), 48, 1800.0, 20.0
rng = random.Random(11)
events, queue, free = [], [], agents
offered = answered = within = 0
wait_sum = 0.0
for k in range(intervals):
    t = k * length + rng.expovariate(calls / length)
    while t < (k + 1) * length:
        heapq.heappush(events, (t, 0))
        t += rng.expovariate(calls / length)
head = 0
while events:
    t, kind = heapq.heappop(events)
    if kind == 0:
        offered += 1
        if free:
            free -= 1; answered += 1; within += 1
            heapq.heappush(events, (t + rng.expovariate(1 / aht), 1))
        else:
            queue.append(t)
    else:
        if head < len(queue):
            w = t - queue[head]; head += 1
            answered += 1; within += w <= target; wait_sum += w
            heapq.heappush(events, (t + rng.expovariate(1 / aht), 1))
        else:
            free += 1
print(json.dumps({"offered": offered, "answered": answered, "within_target": within, "wait_sum_s": wait_sum}))
PY
/usr/bin/time -f '%e %M' -o p.time python3 sim.py "$calls" "$agents" "$aht" > p.json
python3 - "$agents" "$calls" "$occ" <<'PY'
import json, sys
agents, calls, occ = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
r, p, e = json.load(open("r.json"))["all"], json.load(open("p.json")), json.load(open("e.json"))
rs, rm = open("r.time").read().split(); ps, pm = open("p.time").read().split()
rsl, psl = r["within_target"] / r["offered"], p["within_target"] / p["offered"]
print(f"a day of {agents} agents: 48 half hours, {calls} calls each ({100 * occ:.0f} % occupancy), {r['offered']:,} calls in all")
print(f"| | seconds | calls/s | service level within 20 s | speed of answer s | peak memory |")
print(f"| --- | ---: | ---: | ---: | ---: | ---: |")
print(f"| rapport contact simulate | {float(rs):.2f} | {r['offered'] / max(float(rs), 1e-3):,.0f} | {rsl:.4f} | {r['wait_sum_s'] / r['answered']:.2f} | {int(rm) / 1024:.0f} MiB |")
print(f"| Python (heapq) | {float(ps):.2f} | {p['offered'] / max(float(ps), 1e-3):,.0f} | {psl:.4f} | {p['wait_sum_s'] / p['answered']:.2f} | {int(pm) / 1024:.0f} MiB |")
print(f"| Erlang C | | | {e['service_level']:.4f} | {e['asa']:.2f} | |")
bad = abs(rsl - psl) > 0.02 or abs(rsl - e["service_level"]) > 0.02
print(f"rapport / python: {float(rs) / max(float(ps), 1e-3):.3f}x the time; the service levels {'DIFFER' if bad else 'agree'}")
sys.exit(1 if bad else 0)
PY
