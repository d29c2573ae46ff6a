#!/usr/bin/env bash
# Who is who at scale: a generated bank's customer files (host, card, online)
# loaded, then `rapport match` timed, with pairwise precision and recall
# against the generator's truth, beside the published rate of Splink
# (about a million records a minute on a laptop).
# usage: bench/match.sh [BUILD_DIR] [CUSTOMERS]   (500,000 customers are about a million source records)
set -euo pipefail
build=${1:-build}; customers=${2:-500000}
. "$(dirname "$0")/needs.bash"; needs "$build" rapport
rapport=$(cd "$build" && pwd)/rapport
work=$(mktemp -d "${TMPDIR:-/tmp}/rapport-bench-match-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
"$rapport" gen --customers "$customers" --months 1 --out bank >/dev/null
"$rapport" init >/dev/null
# the last 1% of the internet-banking users arrive after the first run: a daily delta
users=$(wc -l < bank/online/users.jsonl); late=$((users / 100))
head -n $((users - late)) bank/online/users.jsonl > users.jsonl; tail -n "$late" bank/online/users.jsonl > users-late.jsonl
RAPPORT_PROGRESS=never "$rapport" load bank/host/BRANCH.dat bank/host/CIF.dat bank/card/card_customers.csv > load.out
RAPPORT_PROGRESS=never "$rapport" load --source online-users users.jsonl >> load.out
grep '^total' load.out
/usr/bin/time -f '%e %M' -o match.time "$rapport" match --json > match.json
secs=$(cut -d' ' -f1 match.time); peak=$(cut -d' ' -f2 match.time)
records=$(grep '"records"' match.json | tr -dc 0-9)
pairs=$(grep '"candidate_pairs"' match.json | tr -dc 0-9)
customers_found=$(grep '"customers"' match.json | tr -dc 0-9)
inside=$(grep '"seconds"' match.json | sed 's/[^0-9.]//g')
RAPPORT_PROGRESS=never "$rapport" load --source online-users users-late.jsonl > /dev/null
/usr/bin/time -f '%e' -o inc.time "$rapport" match --json > inc.json
inc_secs=$(cat inc.time); inc_changed=$(grep '"changed"' inc.json | tr -dc 0-9); inc_compared=$(grep '"compared"' inc.json | tr -dc 0-9)
inc_mode=$(grep '"mode"' inc.json | cut -d'"' -f4)
# pairwise precision and recall against truth/identity.csv
"$rapport" match export | tail -n +2 | tr -d '\r' | awk -F, '{print $1":"$2","$3}' | sort > found.csv
tail -n +2 bank/truth/identity.csv | awk -F, '{print $1":"$2","$3}' | sort > truth.csv
join -t, found.csv truth.csv | awk -F, '
  { c[$2]++; p[$3]++; b[$2","$3]++ }
  END { for (k in c) fp += c[k] * (c[k] - 1) / 2; for (k in p) tp += p[k] * (p[k] - 1) / 2;
        for (k in b) rp += b[k] * (b[k] - 1) / 2;
        printf "pairwise precision %.4f, recall %.4f (%d true pairs, %d found, %d right)\n", rp / fp, rp / tp, tp, fp, rp }'
people=$(tail -n +2 bank/truth/identity.csv | cut -d, -f3 | sort -u | wc -l)
awk -v ic="$inc_changed" -v ip="$inc_compared" -v is="$inc_secs" -v im="$inc_mode" 'BEGIN {
  printf "then %d new records, %s: %d resolved again in %.1f s\n", ic, im, ip, is }'
awk -v r="$records" -v s="$secs" -v i="$inside" -v p="$pairs" -v c="$customers_found" -v t="$people" -v m="$peak" 'BEGIN {
  printf "rapport match: %d source records -> %d customers (%d people in the truth) in %.1f s (%.1f s comparing and clustering), %d candidate pairs\n", r, c, t, s, i, p
  printf "  %.0f records/s, %.0f candidate pairs/s, peak memory %d MiB\n", r / s, p / i, m / 1024
  printf "  Splink, published: about 1,000,000 records a minute (16,667 records/s): rapport %.1fx\n", (r / s) / 16667
  printf "  a million records at this rate: %.0f s (target: under 30 s)\n", 1000000 / (r / s) }'
