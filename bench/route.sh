#!/usr/bin/env bash
# The routing engine at 1,000 agents and 50 skills (issue 25 item 12): build/bench/route's decisions a
# second and their latency (p50, p99, p99.9), side by side in one run with the same engine written
# plainly in Python (what a team would script around a switch: every waiting interaction against every
# agent), on the same centre from the same seed.  Both must make the same choices (their checksums over
# the first decisions are compared) or the script stops.
# usage: bench/route.sh [BUILD_DIR] [AGENTS] [DECISIONS] [PY_DECISIONS]
set -euo pipefail
build=${1:-build}; agents=${2:-1000}; decisions=${3:-200000}; pyd=${4:-1500}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/needs.bash"; needs "$build" bench/route
route=$(cd "$build" && pwd)/bench/route
work=$(mktemp -d "${TMPDIR:-/tmp}/rapport-bench-route-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
"$route" --agents "$agents" --decisions "$decisions" | tee c.txt
"$route" --agents "$agents" --decisions "$pyd" > c-small.txt
cat > route.py <<'PY'
import sys, time
agents_n, skills, queue, decisions = int(sys.argv[1]), 50, 20, int(sys.argv[2])
M = (1 << 64) - 1
rng = 0x9E3779B97F4A7C15
def nxt():
    global rng
    rng ^= (rng << 13) & M; rng ^= rng >> 7; rng ^= (rng << 17) & M
    return rng
VOICE, CHAT = 0, 2
class Agent: pass
agents = []
for a in range(agents_n):
    g = Agent(); g.id = a + 1; g.busy = False; g.idle_since = -float(nxt() % 600)
    g.cap = {VOICE: 1, CHAT: 3}; g.load = {VOICE: 0, CHAT: 0}; g.skill = [0] * 64
    n = 3 + nxt() % 6
    for k in range(n):
        sk = nxt() % skills; g.skill[sk] = 1 + nxt() % 5
    agents.append(g)
def new_item(i, t):
    ch = CHAT if nxt() % 4 == 0 else VOICE
    return dict(id=i, ch=ch, skill=nxt() % skills, min=1 + nxt() % 3, over=30.0 if nxt() % 2 else 0.0,
                prio=nxt() % 10, arrived=t)
t, ids = 0.0, 0
items = []
for q in range(queue):
    ids += 1; items.append(new_item(ids, t))
def eligible(it, g, now):
    if g.load[it['ch']] >= g.cap[it['ch']]: return False
    if it['ch'] == VOICE:
        if g.load[VOICE] + g.load[CHAT] > 0: return False
    elif g.load[VOICE] > 0: return False
    over = it['over'] > 0 and now - it['arrived'] >= it['over']
    return g.skill[it['skill']] >= (1 if over else it['min'])
def route(now):
    for i in sorted(range(len(items)), key=lambda i: (items[i]['arrived'], items[i]['id'])):
        it, pick, top = items[i], None, 0.0
        for g in agents:
            if not eligible(it, g, now): continue
            v = g.skill[it['skill']] * 1e7 + max(0.0, now - g.idle_since)
            if pick is None or v > top or (v == top and g.id < agents[pick].id): pick, top = g.id - 1, v
        if pick is not None: return i, pick
    return None, None
made, checksum, spent = 0, 0, 0.0
while made < decisions:
    a0 = time.perf_counter(); i, a = route(t); spent += time.perf_counter() - a0
    t += 0.05
    if i is not None:
        made += 1; checksum = (checksum * 31 + i * 1009 + a) & M
        g = agents[a]; g.load[items[i]['ch']] += 1; g.busy = True
        ids += 1; items[i] = new_item(ids, t)
    for k in range(3):
        g = agents[nxt() % agents_n]
        for ch in (VOICE, CHAT):
            if g.load[ch]: g.load[ch] -= 1
        if g.busy and not g.load[VOICE] and not g.load[CHAT]: g.busy = False; g.idle_since = t
print(f"python routing: {made} decisions in {spent:.3f} s of routing ({made / spent:.0f} a second); checksum {checksum:x}")
PY
python3 route.py "$agents" "$pyd" | tee py.txt
c=$(sed -n 's/.*checksum \([0-9a-f]*\)$/\1/p' c-small.txt); p=$(sed -n 's/.*checksum \([0-9a-f]*\)$/\1/p' py.txt)
[ "$c" = "$p" ] || { echo "route.sh: the two engines chose differently ($c against $p)" >&2; exit 1; }
crate=$(sed -n 's/.*(\([0-9]*\) a second).*/\1/p' c.txt); prate=$(sed -n 's/.*(\([0-9]*\) a second).*/\1/p' py.txt)
echo "the same choices over the first $pyd decisions; rapport / python decisions a second: $(python3 -c "print(f'{$crate / $prate:.0f}x')")"
