#!/usr/bin/env bash
# Write the seed corpora of fuzz/corpus/NAME/ from the tree (specs/,
# tests/fixtures/) and from a small bank `rapport gen` writes (its host
# copybooks and RDW records in IBM-937, the card system's CP950 files, the
# online JSON lines ...), a few records of each; binary seeds are made here
# with python3.  The seeds are committed: run this again when a format
# changes, and commit what changed.  Inputs the fuzzers found worth keeping
# (a crash, once fixed) are added by hand beside them.
# usage: fuzz/make-corpus.sh RAPPORT_BINARY
set -euo pipefail
bin=$(realpath "${1:?usage: fuzz/make-corpus.sh RAPPORT_BINARY}")
cd "$(dirname "$0")/.."
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rapport-corpus-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$bin" gen --customers 12 --months 1 --defect-rate 0.3 --out "$tmp/bank" >/dev/null
c=fuzz/corpus
mkdir -p $c

python3 - "$tmp/bank" "$c" <<'EOF'
import glob, os, struct, sys
bank, out = sys.argv[1], sys.argv[2]

def put(harness, name, data):
    d = os.path.join(out, harness)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)

def read(path):
    with open(path, 'rb') as f:
        return f.read()

def lines(path, n, header=True):
    """The header (if any) and the first n records of a text file."""
    ls = read(path).splitlines(keepends=True)
    return b''.join(ls[:n + (1 if header else 0)])

def rdw(path, n):
    """The first n RDW records of a host file, RDWs included."""
    b, at, recs = read(path), 0, []
    while at + 4 <= len(b) and len(recs) < n:
        k = struct.unpack('>H', b[at:at + 2])[0]
        recs.append(b[at:at + k])
        at += k
    return b''.join(recs)

fixtures = 'tests/fixtures/etl'

# ---- copybooks ----
for f in sorted(glob.glob(bank + '/host/*.cpy')):
    put('copybook', 'host-' + os.path.basename(f), read(f))
for f in sorted(glob.glob(fixtures + '/*.cpy')):
    put('copybook', 'fixture-' + os.path.basename(f), read(f))
put('copybook', 'dialect-odo-nested.cpy', '01 R.\n 05 N-ADDR PIC 9(2).\n 05 ADDR OCCURS 0 TO 3 TIMES DEPENDING ON N-ADDR.\n'
    '  10 A-N PIC 9.\n  10 A-LINE OCCURS 0 TO 2 DEPENDING ON A-N PIC X(2).\n 05 TAIL PIC X(2).\n')
put('copybook', 'dialect-edited.cpy', '''       01 R.
          05 ED PIC ZZ,ZZ9.99-.
          05 CR PIC $$$,$$9.99CR.
          05 PL PIC +9(3).99.
          05 STAR PIC **,**9.99 BLANK WHEN ZERO.
          05 FM PIC ----9.
          05 SPT PIC S9(3).99 SIGN LEADING SEPARATE.
          05 F1 COMP-1.
          05 GRP COMP-3.
             10 A PIC S9(29)V9(9).
             10 B PIC PPP9(3).
          05 SG SIGN TRAILING SEPARATE.
             10 C PIC S9(20)
''')
put('copybook', 'occurs-redefines.cpy', '''      * REPEATED AND REDEFINED ITEMS
000100 01  ORDER-REC.
000200     05  ORD-NO               PIC X(08).
000300     05  ORD-LINE OCCURS 3 TIMES.
000400         10  LINE-ITEM        PIC X(06).
000500         10  LINE-QTY         PIC S9(4) COMP.
000600         10  LINE-AMT         PIC S9(7)V99 COMP-3.
000700     05  ORD-DATE             PIC 9(08).
000800     05  ORD-DATE-R REDEFINES ORD-DATE.
000900         10  ORD-YYYY         PIC 9(04).
001000         10  ORD-MM           PIC 9(02).
001100         10  ORD-DD           PIC 9(02).
001200     05  ORD-STATUS           PIC X(01).
001300         88  ORD-OPEN         VALUE 'O'.
001400         88  ORD-CLOSED       VALUE 'C' 'X'.
001500     05  FILLER               PIC X(05) VALUE SPACES.
''')
put('copybook', 'usages.cpy', '''       01  USAGE-REC.
           05  U-BIN2        PIC S9(4)  USAGE IS BINARY.
           05  U-BIN4        PIC 9(9)   COMP-4.
           05  U-BIN8        PIC S9(18) COMP-5.
           05  U-PACK        PIC S9(5)V99 PACKED-DECIMAL.
           05  U-PACK3       PIC 9(3)   COMPUTATIONAL-3.
           05  U-DBCS        PIC G(10)  DISPLAY-1.
           05  U-NAT         PIC N(4)   NATIONAL.
           05  U-TEXT        PIC X(12)  JUSTIFIED RIGHT.
           05  U-NUM         PIC 9(5)   BLANK WHEN ZERO.
           05  U-ZONED       PIC S9(3)V9 DISPLAY.
      D    05  U-DEBUG       PIC X(01).
      /
           05  U-LAST        PICTURE IS XXX.
''')
put('copybook', 'free-format.cpy', '01 FREE-REC.\n  05 F-ID PIC X(4).\n  05 F-AMT PIC S9(9)V99 COMP-3. *> an amount\n'
    '  05 F-TAB\tPIC 9(2).\n77 LONE PIC X.\n')
put('copybook', 'refused.cpy', '''       01  BAD-REC.
           05  B-EDIT        PIC ZZ,ZZ9.99-.
           05  B-DEP         PIC X OCCURS 1 TO 9 DEPENDING ON B-N.
           05  B-SIGN        PIC S9(3) SIGN LEADING SEPARATE.
           05  B-SYNC        PIC S9(4) COMP SYNC.
           05  B-FLOAT       COMP-2.
       66  B-REN RENAMES B-EDIT THRU B-SIGN.
''')

# ---- specs, each with a few records of its own data after a NUL ----
data_of = {
    'callcentre-calls': ('callcentre/calls.csv', 'csv'), 'callcentre-notes': ('callcentre/notes.csv', 'csv'),
    'campaign-campaigns': ('campaign/campaigns.csv', 'csv'), 'campaign-responses': ('campaign/responses.csv', 'csv'),
    'campaign-targets': ('campaign/targets.csv', 'csv'), 'card-customers': ('card/card_customers.csv', 'csv'),
    'card-transactions': ('card/card_transactions.csv', 'csv'),
    'host-acct': ('host/ACCT.dat', 'rdw'), 'host-branch': ('host/BRANCH.dat', 'rdw'),
    'host-cif': ('host/CIF.dat', 'rdw'), 'host-txn': ('host/TXN_202610.dat', 'rdw'),
    'online-events': ('online/events.jsonl', 'jsonl'), 'online-logins': ('online/logins.jsonl', 'jsonl'),
    'online-transfers': ('online/transfers.jsonl', 'jsonl'), 'online-users': ('online/users.jsonl', 'jsonl'),
}
cdnow = b'00001 19970101  1  11.77\n00002 19970112  1  12.00\n00002 19970112  5  77.00\n00003 19970102  2  20.76\n'
def sample(spec):
    if spec in data_of:
        rel, kind = data_of[spec]
        p = os.path.join(bank, rel)
        return rdw(p, 4) if kind == 'rdw' else lines(p, 4, kind == 'csv')
    if spec == 'cdnow':
        return cdnow
    if spec == 'customer-transactions':
        return read(fixtures + '/transactions.csv')
    return b''
fixture_data = {'contacts': 'contacts.csv', 'customers': 'customers_1.csv', 'fixed': 'fixed.dat',
                'missing_column': 'customers_2.csv', 'names': 'names.dat', 'products': 'products.txt'}
builtins = sorted(os.path.basename(f)[:-5] for f in glob.glob('specs/*.json'))
for i, name in enumerate(builtins):
    put('spec', name + '.json', read('specs/' + name + '.json') + b'\0' + sample(name))
    put('decode', '%02d-%s' % (i, name), bytes([i]) + sample(name))
k = len(builtins)
for f in sorted(glob.glob(fixtures + '/*.json')):
    name = os.path.basename(f)[:-5]
    d = read(fixtures + '/' + fixture_data[name]) if name in fixture_data else b''
    put('spec', 'fixture-' + name + '.json', read(f) + b'\0' + d)
    if name == 'accounts':
        continue  # refused: its copybook has an edited picture
    put('decode', '%02d-fixture-%s' % (k, name), bytes([k]) + d)
    k += 1

# ---- readers: format, options (1 header, 2 UTF-8, 4/8 longest record), delimiter, record length ----
RDW, FIXED, LINES, CSV, DELIM, WS = range(6)
def reader(name, fmt, opts, delim, reclen, body):
    put('reader', name, bytes([fmt, opts, delim, reclen]) + body)
reader('rdw-cif', RDW, 8, 0, 0x40, rdw(bank + '/host/CIF.dat', 4))
reader('rdw-short', RDW, 0, 0, 0, b'\x00\x0a\x00\x00abcdef\x00\x08\x00\x00ab')
reader('fixed', FIXED, 8, 0, 19, read(fixtures + '/fixed.dat'))
reader('lines-jsonl', LINES, 2 | 8, 0, 0x80, lines(bank + '/online/users.jsonl', 4, False))
reader('lines-columns', LINES, 8, 0, 0, read(fixtures + '/products.txt'))
reader('csv-header', CSV, 1 | 2 | 8, ord(','), 0x40, read(fixtures + '/customers_1.csv'))
reader('csv-bom', CSV, 1 | 2 | 8, ord(','), 0, read(fixtures + '/bom.csv'))
reader('csv-quoted', CSV, 1 | 4, ord(';'), 0xc0,
       b'id;name;note\r\n1;"Chen; Yi";"said ""hi""\r\nthen left"\r\n2;Lin;\r\n\r\n3;"unclosed\n')
reader('csv-cp950', CSV, 1 | 8, ord(','), 0x40, lines(bank + '/card/card_customers.csv', 3))
reader('delimited', DELIM, 1 | 2 | 8, ord('|'), 0x40, b'a|b|c\n1|2|3\n4||6\n7|8\n')
reader('whitespace', WS, 2 | 8, 0, 0x40, cdnow)

# ---- EBCDIC: mode (0 IBM-937, 1 IBM-037, 2 packed, 3 zoned, 4 a field), parameter, bytes ----
cif = rdw(bank + '/host/CIF.dat', 1)[4:]
put('ebcdic', 'ibm937-name', bytes([0, 1]) + cif[22:64])
put('ebcdic', 'ibm937-address', bytes([0, 1]) + cif[127:209])
put('ebcdic', 'ibm937-small-room', bytes([0, 6]) + cif[22:64])
put('ebcdic', 'ibm037-text', bytes([1, 1]) + 'Hello, Taipei 101'.encode('cp037'))
put('ebcdic', 'packed-11', bytes([2, 10]) + b'\x00\x01\x23\x45\x67\x8c')
put('ebcdic', 'packed-7-neg', bytes([2, 6]) + b'\x12\x34\x56\x7d')
put('ebcdic', 'zoned-7', bytes([3, 6]) + b'\xf1\xf1\xf4\xf0\xf2\xf3\xf0')
put('ebcdic', 'zoned-5-neg', bytes([3, 4]) + b'\xf0\xf0\xf1\xf2\xd3')
put('ebcdic', 'field-binary', bytes([4, 2 | 4 | 8]) + b'\xff\xfe\x00\x01')
put('ebcdic', 'field-packed', bytes([4, 1 | 4 | 48]) + b'\x00\x00\x12\x34\x5c\x00')

# ---- Big5: 0 card customers, 1 card transactions (header added by the harness), 2 products ----
def rows(rel, n):
    return b''.join(read(os.path.join(bank, rel)).splitlines(keepends=True)[1:n + 1])
put('big5', 'card-customers', b'\0' + rows('card/card_customers.csv', 4))
put('big5', 'card-transactions', b'\1' + rows('card/card_transactions.csv', 4))
put('big5', 'products', b'\2' + read(fixtures + '/products.txt'))

# ---- segments ----
put('segment', 'examples.txt', read('docs/examples/segments.txt'))
put('segment', 'expressions.txt', '''old = age >= 40 and not (profit < 0)
young = age between 18 and 29 or tenure_years < 1
cards = has_card = 1 and gender in ('F', "X") and home_branch not in ('0012')
math = (balance - loans) / 2 + revenue * 1.5 >= -cost
rfm555 = rfm = 555 or (r >= 4 and f != 1)
none = false
rest = else
''')

# ---- the audit journal: a byte (1: a server starting), then its lines ----
put('journal', 'entries', b'\0' + b'''{"at":"2026-10-01T02:03:04Z","user":"u-csr","address":"127.0.0.1","action":"view","customer":3,"target":"/api/v1/customers/3","outcome":"ok"}
{"at":"2026-10-01T02:03:05Z","user":"u-admin","action":"reveal","reason":"the customer asked","outcome":"ok","detail":"\\u00e9\\ufffd","customers":"1 2 3"}
{"at":"2026-10-01T02:03:06Z","action":"denied","outcome":"refused"}
''')
put('journal', 'damaged', b'\1' + b'{"at":"2026-10-01T02:03:04Z","action":"view"}\nnot json\n{"at":1}\n{"at":"x","action":"view","customer":"7"}\n{"at":"2026')

# ---- the API: "OP ROLE ARGS" then the body; "OP ROLE TARGET" ----
bodies = [
    ('note', 'addCustomerNote csr 1', '{"text": "\u4f86\u96fb\u8a62\u554f\u623f\u8cb8", "channel": "phone", "direction": "inbound", "reason": "loan", "outcome": "callback", "follow_up_on": "2026-11-02"}'),
    ('contact', 'changeCustomerContact supervisor 2', '{"kind": "address", "purpose": "home", "value": "\u53f0\u5317\u5e02\u4fe1\u7fa9\u5340\u5e02\u5e9c\u8def1\u865f", "postal_code": "110", "reason": "moved"}'),
    ('contact-phone', 'changeCustomerContact rm 1', '{"kind": "mobile", "value": "+886 912 345 678"}'),
    ('preferences', 'setCustomerPreferences csr 1', '{"language": "en", "channel": null, "hours": "18:00-21:00", "days": "mon-fri", "reason": "asked"}'),
    ('consent', 'setCustomerConsent supervisor 3', '{"purpose": "profiling", "channel": "any", "granted": false, "evidence": "call 2026-10-02", "effective_at": "2026-10-02T10:00:00+08:00"}'),
    ('reveal', 'revealCustomer supervisor 1', '{"reason": "customer on the phone, identity checked"}'),
    ('export', 'exportCustomer supervisor 2', '{"reason": "data subject access request 42"}'),
    ('reject', 'revealReject steward 2/2', '{"reason": "to correct the record"}'),
    ('decide', 'decideMatchPair steward 1', '{"accept": true, "note": "same ID"}'),
    ('disable', 'setUserDisabled admin u-teller', '{"disabled": true}'),
    ('deep', 'addCustomerNote csr 1', '{"text": [[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]}'),
    ('not-object', 'revealCustomer supervisor 1', '["reason"]'),
]
for name, line, body in bodies:
    put('api_body', name, (line + '\n' + body).encode())
queries = [
    ('search', 'searchCustomers csr ?q=%E9%99%B3&limit=3'), ('search-id', 'searchCustomers teller ?q=A123456789'),
    ('customer', 'getCustomer rm 1'), ('notes', 'listCustomerNotes csr 1'),
    ('changes', 'listCustomerChanges supervisor 1?what=contact&limit=5'),
    ('preferences', 'getCustomerPreferences csr 1'), ('contactable', 'getCustomerContactable tsr 1?purpose=marketing&channel=sms'),
    ('scores', 'getCustomerScores rm 2'), ('consents', 'getCustomerConsents supervisor 1'),
    ('jobs', 'listJobs steward ?status=done&limit=10'), ('job', 'getJob steward 2'),
    ('rejects', 'listRejects steward ?job=2&rule=checksum&status=open&limit=2'),
    ('matches', 'listMatchPairs steward ?limit=1'), ('analyses', 'listAnalysisRuns analyst ?job=rfm&limit=3'),
    ('analysis', 'getAnalysisRun analyst 1'),
    ('audit', 'listAuditEntries auditor ?since=2026-01-01&until=2026-12-31T23:59:59Z&user=u-csr&action=view&customer=1&limit=20'),
    ('unlock', 'unlockUser admin u-teller'),
]
for name, line in queries:
    put('api_query', name, line)
EOF

# dictionaries for the text formats
{
  echo '# COBOL copybooks (fuzz_copybook)'
  for w in PIC PICTURE IS USAGE OCCURS TIMES TO DEPENDING ON REDEFINES VALUE VALUES FILLER COMP COMP-1 COMP-2 \
           COMP-3 COMP-4 COMP-5 BINARY PACKED-DECIMAL DISPLAY DISPLAY-1 NATIONAL COMPUTATIONAL-3 SIGN LEADING \
           SEPARATE SYNC JUSTIFIED RIGHT BLANK WHEN ZERO INDEXED BY KEY ASCENDING RENAMES THRU \
           01 05 10 49 66 77 88 'X(10)' '9(7)' 'S9(11)' V99 'G(4)' 'N(2)' ZZ9.99 '*>' ; do
    printf '"%s"\n' "$w"
  done
  printf '"%s"\n' '      *' '       ' '000100' '.' "'"
  echo '"\""'
} > fuzz/copybook.dict
{
  echo '# source specs (fuzz_spec): the members spec.c and rules.c read, and some values'
  grep -ohE '"[a-z_]+"' src/etl/spec.c src/etl/rules.c | sort -u
  for w in IBM-937 IBM-037 CP950 UTF-8 CIF.cpy ACCT.cpy fixed.cpy names.cpy CIF-NAME CIF-ANNUAL-INCOME '$' \
           '^[0-9]{3}$' '(a|b)*' '{' '}' '[' ']' ':' ',' true false null; do
    printf '"%s"\n' "$w"
  done
} > fuzz/spec.dict
{
  echo '# segment rules (fuzz_segment): keywords, operators, attributes'
  for w in or and not in between true false else '=' '!=' '<=' '>=' '(' ')' "'" '#' ' = '; do printf '"%s"\n' "$w"; done
  sed -n 's/^ *\[AN_A_[A-Z_]*\] = { "\([a-z_]*\)".*/"\1"/p' src/analytics/segment.c
  printf '"%s"\n' gender income_band home_branch
} > fuzz/segment.dict
{
  echo '# API bodies and query strings (fuzz_api_body, fuzz_api_query): operations, roles, members, values'
  grep -ohE '\.op = "[a-zA-Z]+"' src/api/routes.c | sed 's/.op = //'
  for w in teller rm csr tsr supervisor analyst steward admin auditor u-admin u-teller \
           text channel direction reason outcome follow_up_on kind value purpose postal_code language hours days \
           granted evidence effective_at accept note disabled q limit what status job rule since until user action \
           customer mobile phone email address home work mail marketing profiling sms any contact preference \
           open done failed '%00' '%E9%99%B3' '?' '&' '=' '/'; do
    printf '"%s"\n' "$w"
  done
} > fuzz/api.dict
{
  echo '# the audit journal (fuzz_journal)'
  for w in at user address action customer target reason outcome detail customers; do printf '"\\"%s\\":"\n' "$w"; done
  printf '"%s"\n' '{' '}' '\\u0000' '\\ud800' 2026-10-01T02:03:04Z
} > fuzz/journal.dict
du -sh $c
