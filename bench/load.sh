#!/usr/bin/env bash
# The load benchmark: the same CSV of transactions (six narrow columns) loaded
# by `rapport load` (decoding, validation, account lookup, rejects, lineage)
# and by the sqlite3 shell's `.import` into a table of the same columns --
# once bare, once with the same keys as Rapport's txn table -- in one run,
# with the ratio; then the host's IBM-937 files of a generated bank.
# usage: bench/load.sh [BUILD_DIR] [ROWS] [HOST_CUSTOMERS]
set -euo pipefail
build=${1:-build}; rows=${2:-2000000}; host_customers=${3:-${HOST_CUSTOMERS:-50000}}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/needs.bash"; needs "$build" rapport bench/sqlite_ceiling
rapport=$(cd "$build" && pwd)/rapport
work=$(mktemp -d "${TMPDIR:-/tmp}/rapport-bench-load-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
now() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

# accounts to post to: 10,000 of them, entered through the warehouse
accounts=10000
awk -v n=$accounts 'BEGIN {
  print "{\"branches\":[{\"code\":\"0001\",\"name_zh\":\"總行\"}],\"categories\":[{\"code\":\"D\",\"name_zh\":\"存款\"}],"
  print "\"products\":[{\"code\":\"SAV\",\"name_zh\":\"活存\",\"kind\":\"deposit\",\"categories\":[\"D\"]}],\"parties\":["
  for (i = 1; i <= n; i++) printf "%s{\"ref\":\"p%d\",\"kind\":\"person\",\"name_latin\":\"CUSTOMER %d\"}", (i > 1 ? "," : ""), i, i
  print "],\"accounts\":["
  for (i = 1; i <= n; i++) printf "%s{\"number\":\"1%013d\",\"product\":\"SAV\",\"branch\":\"0001\",\"currency\":\"TWD\",\"opened_on\":\"2020-01-01\",\"balance_minor\":0,\"holders\":[{\"party\":\"p%d\",\"role\":\"owner\"}]}", (i > 1 ? "," : ""), i, i
  print "]}" }' > accounts.json
"$rapport" init --db r.db >/dev/null
"$rapport" import --db r.db accounts.json >/dev/null

# the transactions: account, posted, amount, channel, class, ref
awk -v n="$rows" -v a=$accounts 'BEGIN {
  srand(7); split("branch atm internet mobile phone pos batch", ch, " "); split("deposit withdrawal purchase transfer_in transfer_out fee", cl, " ")
  print "account,posted,amount,channel,class,ref"
  for (i = 1; i <= n; i++) {
    d = int(rand() * 28) + 1; m = int(rand() * 12) + 1
    printf "1%013d,2026-%02d-%02dT%02d:%02d:%02d+08:00,%.2f,%s,%s,R%09d\n", int(rand() * a) + 1, m, d,
      int(rand() * 24), int(rand() * 60), int(rand() * 60), (rand() - 0.6) * 20000, ch[int(rand() * 7) + 1], cl[int(rand() * 6) + 1], i
  } }' > txns.csv
mb=$(du -m txns.csv | cut -f1)
echo "transactions: $rows rows, $mb MB of CSV, into $accounts accounts"

/usr/bin/time -f '%e %M' -o load.time "$rapport" load --db r.db --spec "$here/load/transactions.json" txns.csv > load.out
rs=$(cut -d' ' -f1 load.time); peak=$(cut -d' ' -f2 load.time)
loaded=$("$rapport" query --db r.db "SELECT count(*) FROM txn" --csv | tail -1 | tr -d '\r')
[ "$loaded" = "$rows" ] || { echo "rapport loaded $loaded of $rows rows"; cat load.out; exit 1; }

cat > bare.sql <<EOSQL
CREATE TABLE t(account TEXT, posted TEXT, amount TEXT, channel TEXT, class TEXT, ref TEXT);
.import --csv --skip 1 txns.csv t
EOSQL
cat > keyed.sql <<EOSQL
PRAGMA journal_mode=WAL;
PRAGMA cache_size=-262144;
CREATE TABLE t(id INTEGER PRIMARY KEY, account TEXT, posted TEXT, amount TEXT, channel TEXT, class TEXT, ref TEXT);
CREATE INDEX t_account_time ON t(account, posted);
CREATE UNIQUE INDEX t_ref ON t(ref);
CREATE VIEW v AS SELECT account, posted, amount, channel, class, ref FROM t;
CREATE TRIGGER v_in INSTEAD OF INSERT ON v BEGIN
  INSERT INTO t(account, posted, amount, channel, class, ref) VALUES (new.account, new.posted, new.amount, new.channel, new.class, new.ref);
END;
.import --csv --skip 1 txns.csv v
EOSQL
t0=$(now); sqlite3 bare.db < bare.sql; t1=$(now)
ss=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
t0=$(now); sqlite3 keyed.db < keyed.sql >/dev/null; t1=$(now)
ks=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
n1=$(sqlite3 bare.db "SELECT count(*) FROM t"); n2=$(sqlite3 keyed.db "SELECT count(*) FROM t")
[ "$n1" = "$rows" ] && [ "$n2" = "$rows" ] || { echo "sqlite3 imported $n1 / $n2 rows"; exit 1; }

printf '\n%-58s %10s %12s\n' "" "seconds" "rows/s"
printf '%-58s %10.2f %12s\n' "rapport load (validated, into the warehouse's txn blocks)" "$rs" "$(rate "$rows" "$rs")"
printf '%-58s %10.2f %12s\n' "sqlite3 .import, bare table of six text columns" "$ss" "$(rate "$rows" "$ss")"
printf '%-58s %10.2f %12s\n' "sqlite3 .import, keys of a row per transaction, same cache" "$ks" "$(rate "$rows" "$ks")"
awk -v r="$rs" -v s="$ss" -v k="$ks" 'BEGIN { printf "\nrapport / .import bare: %.2fx (target 1.6x)   rapport / .import keyed: %.2fx\n", s / r, k / r }'
echo "rapport peak memory: ${peak} KiB (a 64 MB page cache while loading, up to 128 MB of records between the threads; the file is streamed)"
echo
"$(dirname "$rapport")/bench/sqlite_ceiling" "$rows" "$work"

# the host's IBM-937 files: a generated bank's masters, then its monthly transaction files
"$rapport" gen --customers "$host_customers" --months 12 --out bank >/dev/null
"$rapport" init --db h.db >/dev/null
"$rapport" load --db h.db bank/host/BRANCH.dat bank/host/CIF.dat bank/host/ACCT.dat > masters.out
t0=$(now); "$rapport" load --db h.db bank/host/ > host.out; t1=$(now)
hs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
hr=$(grep '^total:' host.out | sed 's/total: \([0-9,]*\) records.*/\1/' | tr -d ,)
echo
grep -E 'host/(CIF|ACCT)\.dat:' masters.out | sed 's/^/  /'
echo "host TXN files (IBM-937, RDW, packed decimals): $hr records in $(printf %.1f "$hs") s: $(rate "$hr" "$hs") records/s"

# the same records with OCCURS DEPENDING ON (issue 27 item 5): TXN.cpy's memo an array of 0 or 1 before the
# amounts (bench/load/TXN-ODO.cpy), RECFM=VB, the bytes copied.  Side by side, each one file into a store with the
# same masters: the TXN files put together (TXN_ALL.dat, the shipped spec) and the ODO file (its own spec, the
# same fields); target: at least 0.80 of the TXN rate
cat bank/host/TXN_*.dat > TXN_ALL.dat && cp bank/host/TXN.cpy .
python3 "$here/load/txn_odo.py" TXN_ALL.dat TXN_ODO.dat
for db in t o; do
  "$rapport" init --db $db.db >/dev/null
  "$rapport" load --db $db.db bank/host/BRANCH.dat bank/host/CIF.dat bank/host/ACCT.dat > /dev/null
done
t0=$(now); "$rapport" load --db t.db --source host-txn TXN_ALL.dat > all.out; t1=$(now)
ts=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
t0=$(now); "$rapport" load --db o.db --spec "$here/load/txn-odo.json" TXN_ODO.dat > odo.out; t1=$(now)
os=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
count() { "$rapport" query --db "$1" "SELECT count(*) FROM txn" --csv | tail -1 | tr -d '\r'; }
records() { grep "^$1:" "$2" | sed 's/^[^:]*: \([0-9,]*\) records.*/\1/' | tr -d ,; }
tn=$(records TXN_ALL.dat all.out); on=$(records TXN_ODO.dat odo.out); tl=$(count t.db); ol=$(count o.db)
[ "$on" = "$tn" ] && [ "$ol" = "$tl" ] || { echo "the ODO file: $on records, $ol transactions; the TXN file: $tn, $tl"; cat all.out odo.out; exit 1; }
tb=$(wc -c < TXN_ALL.dat); ob=$(wc -c < TXN_ODO.dat)
echo
printf '%-64s %8s %12s\n' "$tn records, $tl transactions loaded by each" "seconds" "records/s"
printf '%-64s %8.2f %12s\n' "host TXN records, one file (RDW, $(rate "$tb" 1048576) MB)" "$ts" "$(rate "$tn" "$ts")"
printf '%-64s %8.2f %12s\n' "the same with OCCURS DEPENDING ON (VB, $(rate "$ob" 1048576) MB)" "$os" "$(rate "$on" "$os")"
awk -v t="$ts" -v o="$os" 'BEGIN { printf "ODO / TXN: %.2fx (target at least 0.80)\n", t / o }'
