#!/usr/bin/env bash
# Benchmark of `rapport gen`: a million customers with 24 months of history.
# Side by side: (1) the disk's own write speed (dd), the ceiling for any
# generator; (2) what a user would otherwise write: a plain Python script
# (standard library only) that makes just the customer master as CSV.
# Peak memory at a tenth of CUSTOMERS and at CUSTOMERS (100,000 and 1,000,000)
# shows that memory stays flat.
# usage: bench/gen.sh [BUILD_DIR] [CUSTOMERS]   (BENCH_OUT: where to write, bench/out; the bank in BENCH_OUT/gen)
set -euo pipefail
build=${1:-build}; n=${2:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/needs.bash"; needs "$build" rapport
out=${BENCH_OUT:-$here/out}/gen
rapport=$(cd "$build" && pwd)/rapport
small=$(( n / 10 > 0 ? n / 10 : 1 ))
mkdir -p "$out"
rm -rf "$out/small" "$out/big"
rss() { awk '/Maximum resident/ {print $6}' "$1"; }

/usr/bin/time -v "$rapport" gen --customers "$small" --out "$out/small" >/dev/null 2>"$out/small.time"
start=$(date +%s.%N)
/usr/bin/time -v "$rapport" gen --customers "$n" --out "$out/big" --json >"$out/big.json" 2>"$out/big.time"
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc -l)
bytes=$(du -sb "$out/big" | cut -f1)
records=$(sed -n 's/.*"records": \([0-9]*\).*/\1/p' "$out/big.json")
mb=$((bytes / 1048576))

# (1) the disk: the same number of bytes through dd
rm -f "$out/dd.bin"
dstart=$(date +%s.%N)
dd if=/dev/zero of="$out/dd.bin" bs=1M count="$mb" conv=fsync status=none
dend=$(date +%s.%N)
dsecs=$(echo "$dend - $dstart" | bc -l)
rm -f "$out/dd.bin"

# (2) a Python script writing only a customer master (name, checksummed ID, phone, address)
py=/usr/bin/python3; [ -x "$py" ] || py=python3
pn=$(( n < 100000 ? n : 100000 ))
pstart=$(date +%s.%N)
"$py" - "$pn" "$out/python_customers.csv" <<'PY'
import csv, random, sys
n, path = int(sys.argv[1]), sys.argv[2]
random.seed(1)
sur = "陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐"; giv = "怡君志明淑芬美玲家豪建宏雅婷俊傑宗翰冠廷"
codes = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", [10,11,12,13,14,15,16,17,34,18,19,20,21,22,35,23,24,25,26,27,28,29,32,30,31,33]))
def nid():
    l = random.choice("ABCDEFGHJKLMNPQRSTUVXYWZIO"); s = str(random.randint(1, 2)) + "%07d" % random.randrange(10**7)
    c = codes[l]; t = c // 10 + (c % 10) * 9 + sum(int(d) * w for d, w in zip(s, range(8, 0, -1)))
    return l + s + str((10 - t % 10) % 10)
with open(path, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    for i in range(n):
        w.writerow([i, random.choice(sur) + random.choice(giv) + random.choice(giv), nid(),
                    "09%08d" % random.randrange(10**8), "臺北市大安區中山路%d號" % random.randint(1, 300)])
PY
pend=$(date +%s.%N)
psecs=$(echo "$pend - $pstart" | bc -l)

# per record: the script writes one CSV row a customer; rapport writes every source's records
ours=$(echo "$records / $secs" | bc -l)
theirs=$(echo "$pn / $psecs" | bc -l)
printf 'rapport gen, %d customers, 24 months: %.1f s, %d records (%.0f records/s), %d MiB (%.0f MiB/s)\n' \
    "$n" "$secs" "$records" "$(echo "$records / $secs" | bc -l)" "$mb" "$(echo "$mb / $secs" | bc -l)"
printf '  peak memory: %s KiB at %d customers, %s KiB at %d\n' "$(rss "$out/small.time")" "$small" "$(rss "$out/big.time")" "$n"
printf '  dd, the same %d MiB to the same disk: %.1f s (%.0f MiB/s); rapport runs at %.0f%% of the disk\n' \
    "$mb" "$dsecs" "$(echo "$mb / $dsecs" | bc -l)" "$(echo "100 * $dsecs / $secs" | bc -l)"
printf '  python3 script writing a customer master only: %.0f records/s; rapport, every source: %.0f records/s (%.2fx)\n' \
    "$theirs" "$ours" "$(echo "$ours / $theirs" | bc -l)"
rm -rf "$out/small"
