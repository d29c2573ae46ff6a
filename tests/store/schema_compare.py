#!/usr/bin/env python3
"""schema_compare.py — do the SQLite and the PostgreSQL store have the same schema? (issue 26)

Builds an SQLite store with `rapport init`, starts a throwaway PostgreSQL cluster (tests/pg.sh)
and brings it to the PostgreSQL migrations' schema: through `rapport init --db URL` when the
PostgreSQL list is as long as the SQLite one (wh.c opens a warehouse on PostgreSQL only then),
else by applying src/store/sql/postgresql/NNNN_*.sql in order with psql.  Then compares, table by
table: the columns (names, order, type class int/real/text/blob, NOT NULL, default), the primary
key, UNIQUE constraints, foreign keys, CHECK constraints (by the columns and the values they
name), the indexes (name, unique, columns or expressions, a partial index's WHERE), the views
(names and columns) and the triggers (name, table, timing, event).  Prints each difference and
exits 1 if there is any.

usage: tests/store/schema_compare.py [--rapport build/rapport] [--url URL] [--psql] [--keep DIR]
  --url URL   compare against a database already migrated (nothing started, nothing applied)
  --psql      apply the migrations with psql even when the list is whole
"""
import argparse, glob, json, os, re, sqlite3, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def type_class(t):
    t = (t or '').lower()
    if 'int' in t:
        return 'int'
    if any(x in t for x in ('real', 'floa', 'doub', 'numeric')):
        return 'real'
    if any(x in t for x in ('char', 'clob', 'text')):
        return 'text'
    if 'blob' in t or 'bytea' in t:
        return 'blob'
    return 'none:' + t


STOP = {'any', 'array', 'in', 'text', 'bigint', 'integer', 'double', 'precision', 'and', 'bytea'}


def tokens(expr):
    """An expression as the sorted words and literals in it: IN (...) and = ANY (ARRAY[...]), casts,
    parentheses and operators left out, so that both stores' renderings of one expression agree."""
    if expr is None:
        return None
    e = re.sub(r'::[a-z ]+?(?=[\s,)\]]|$)', '', expr.lower())
    toks = re.findall(r"'(?:[^']|'')*'|[a-z_][a-z_0-9]*|\d+(?:\.\d+)?", e)
    return ' '.join(sorted(t for t in toks if t not in STOP))


def norm_default(d):
    if d is None:
        return None
    d = d.strip()
    d = re.sub(r"::[a-z ]+$", '', d)
    while d.startswith('(') and d.endswith(')'):
        d = d[1:-1].strip()
    d = re.sub(r"::[a-z ]+$", '', d)
    if d.upper() == 'NULL':
        return None
    return d


def balanced(s, i):
    """s[i] is '(': the text inside it up to its matching ')'."""
    depth, q = 0, False
    for j in range(i, len(s)):
        c = s[j]
        if c == "'":
            q = not q
        elif not q and c == '(':
            depth += 1
        elif not q and c == ')':
            depth -= 1
            if depth == 0:
                return s[i + 1:j]
    raise ValueError('unbalanced: ' + s[i:i + 80])


def strip_comments(sql):
    return '\n'.join(re.sub(r"--.*$", '', l) if "'" not in l.split('--')[0] or l.count("'") % 2 == 0 else l
                     for l in sql.split('\n'))


def sqlite_schema(path):
    db = sqlite3.connect(path)
    s = {'tables': {}, 'indexes': {}, 'views': {}, 'triggers': set()}
    rows = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
    for typ, name, tbl, sql in rows:
        if typ == 'table':
            cols = db.execute('PRAGMA table_info(%s)' % name).fetchall()
            pk = [c[1] for c in sorted((c for c in cols if c[5]), key=lambda c: c[5])]
            t = {
                'columns': [(c[1], type_class(c[2]), bool(c[3]) or c[1] in pk, norm_default(c[4])) for c in cols],
                'pk': pk,
                'unique': set(),
                'fk': set(),
                'check': [],
            }
            for il in db.execute('PRAGMA index_list(%s)' % name).fetchall():
                if il[3] == 'u':
                    t['unique'].add(tuple(r[2] for r in db.execute('PRAGMA index_info(%s)' % il[1]).fetchall()))
            for fk in db.execute('PRAGMA foreign_key_list(%s)' % name).fetchall():
                t['fk'].add((fk[3], fk[2], fk[4] or pk_of(db, fk[2]), fk[6].upper()))
            body = strip_comments(sql)
            colnames = {c[1] for c in cols}
            for m in re.finditer(r'\bCHECK\s*\(', body, re.I):
                expr = balanced(body, m.end() - 1)
                t['check'].append(check_key(expr, colnames))
            s['tables'][name] = t
        elif typ == 'index' and sql:
            s['indexes'][name] = sqlite_index(db, name, tbl, sql)
        elif typ == 'view':
            s['views'][name] = [c[1] for c in db.execute('PRAGMA table_info(%s)' % name).fetchall()]
        elif typ == 'trigger':
            m = re.match(r'CREATE TRIGGER \w+\s+(BEFORE|AFTER|INSTEAD OF)\s+(INSERT|DELETE|UPDATE)(?:\s+OF\s+([\w, ]+?))?\s+ON',
                         sql, re.I)
            of = ','.join(c.strip() for c in m.group(3).split(',')) if m.group(3) else ''
            s['triggers'].add((tbl, name, m.group(1).upper(), m.group(2).upper(), of))
    return s


def pk_of(db, table):
    return ','.join(c[1] for c in db.execute('PRAGMA table_info(%s)' % table).fetchall() if c[5])


def check_key(expr, colnames):
    toks = tokens(expr).split()
    return (' '.join(sorted(set(t for t in toks if t in colnames))),
            ' '.join(sorted(t for t in toks if t not in colnames and (t[0] == "'" or t[0].isdigit()))))


def sqlite_index(db, name, tbl, sql):
    sql = strip_comments(sql)
    head, _, where = re.split(r'\bWHERE\b', sql, maxsplit=1, flags=re.I)[0], None, None
    parts = re.split(r'\bWHERE\b', sql, maxsplit=1, flags=re.I)
    where = parts[1].strip().rstrip(';') if len(parts) > 1 else None
    inner = balanced(parts[0], parts[0].index('('))
    cols = [tokens(c) for c in split_top(inner)]
    unique = bool(re.match(r'\s*CREATE\s+UNIQUE', sql, re.I))
    return (tbl, unique, tuple(cols), tokens(where))


def split_top(s):
    out, depth, cur, q = [], 0, '', False
    for c in s:
        if c == "'":
            q = not q
        if not q and c == '(':
            depth += 1
        if not q and c == ')':
            depth -= 1
        if not q and c == ',' and depth == 0:
            out.append(cur)
            cur = ''
        else:
            cur += c
    out.append(cur)
    return [x.strip() for x in out]


def psql_json(url, query):
    r = subprocess.run(['psql', '-X', '-At', '-v', 'ON_ERROR_STOP=1', url, '-c', query], capture_output=True, text=True)
    if r.returncode:
        sys.exit('psql: ' + r.stderr)
    return json.loads(r.stdout or 'null') or []


def pg_schema(url):
    s = {'tables': {}, 'indexes': {}, 'views': {}, 'triggers': set()}
    cols = psql_json(url, """
        SELECT json_agg(json_build_array(c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default,
                                         c.ordinal_position, t.table_type) ORDER BY c.table_name, c.ordinal_position)
        FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
        WHERE c.table_schema = 'public' AND NOT EXISTS (SELECT 1 FROM pg_class p JOIN pg_namespace n
              ON n.oid = p.relnamespace WHERE n.nspname = 'public' AND p.relname = c.table_name AND p.relispartition)""")
    for tbl, col, typ, nullable, dflt, _, ttype in cols:
        if ttype == 'VIEW':
            s['views'].setdefault(tbl, []).append(col)
            continue
        t = s['tables'].setdefault(tbl, {'columns': [], 'pk': [], 'unique': set(), 'fk': set(), 'check': []})
        t['columns'].append((col, type_class(typ), nullable == 'NO', norm_default(dflt)))
    cons = psql_json(url, """
        SELECT json_agg(json_build_array(cl.relname, co.contype,
               (SELECT json_agg(a.attname ORDER BY k.n) FROM unnest(co.conkey) WITH ORDINALITY k(num, n)
                  JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.num),
               ft.relname,
               (SELECT json_agg(a.attname ORDER BY k.n) FROM unnest(co.confkey) WITH ORDINALITY k(num, n)
                  JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.num),
               co.confdeltype, pg_get_constraintdef(co.oid)))
        FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid
        JOIN pg_namespace n ON n.oid = cl.relnamespace LEFT JOIN pg_class ft ON ft.oid = co.confrelid
        WHERE n.nspname = 'public' AND NOT cl.relispartition""")
    deltype = {'a': 'NO ACTION', 'r': 'RESTRICT', 'c': 'CASCADE', 'n': 'SET NULL', 'd': 'SET DEFAULT'}
    for tbl, typ, keys, ftbl, fkeys, dt, defn in cons:
        t = s['tables'][tbl]
        if typ == 'p':
            t['pk'] = keys
        elif typ == 'u':
            t['unique'].add(tuple(keys))
        elif typ == 'f':
            t['fk'].add((keys[0], ftbl, fkeys[0], deltype[dt]))
        elif typ == 'c':
            colnames = {c[0] for c in t['columns']}
            t['check'].append(check_key(balanced(defn, defn.index('(')), colnames))
    idx = psql_json(url, """
        SELECT json_agg(json_build_array(ic.relname, tc.relname, i.indisunique,
               (SELECT json_agg(pg_get_indexdef(i.indexrelid, k, true) ORDER BY k)
                  FROM generate_series(1, i.indnkeyatts) k),
               pg_get_expr(i.indpred, i.indrelid)))
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = tc.relnamespace
        WHERE n.nspname = 'public' AND NOT tc.relispartition
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""")
    for name, tbl, unique, keys, pred in idx:
        s['indexes'][name] = (tbl, unique, tuple(tokens(k) for k in keys), tokens(pred))
    trg = psql_json(url, """
        SELECT json_agg(json_build_array(c.relname, t.tgname, t.tgtype,
               (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(t.tgattr::int2[]) WITH ORDINALITY k(num, n)
                  JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = k.num)))
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND NOT t.tgisinternal AND NOT c.relispartition""")
    for tbl, name, tgtype, of in trg:
        timing = 'INSTEAD OF' if tgtype & 64 else 'BEFORE' if tgtype & 2 else 'AFTER'
        event = 'INSERT' if tgtype & 4 else 'DELETE' if tgtype & 8 else 'UPDATE' if tgtype & 16 else '?'
        s['triggers'].add((tbl, name, timing, event, of or ''))
    return s


# Differences that are meant, with why: printed, not counted.
JUSTIFIED = {
    'trigger party_name_input_keys on party_name_input (AFTER INSERT) only in SQLite':
        "0011: SQLite's trigger deletes the input row by rowid after making the keys",
    'trigger party_name_input_keys on party_name_input (BEFORE INSERT) only in PostgreSQL':
        "0011: PostgreSQL's makes the keys before and returns NULL, so that the row is never kept (no rowid)",
}


# The transactions (0033): PostgreSQL keeps them in a table partitioned by month, loaded through COPY;
# SQLite in blocks of JSON behind the view txn (0012).  Meant, so long as PostgreSQL's table has the
# view's columns in its order (every query reads both alike): what differs about txn, txn_block and
# txn_account_key (the blocks' max_key, as a table of its own) is then printed, not counted.
TXN_FAMILY = re.compile(r"^(table (txn|txn_block|txn_account_key)[: ]|view txn:|index (txn_account_time|txn_block_account|txn_source_key):|trigger \w+ on (txn|txn_block) )")
TXN_WHY = "0033: transactions in a table partitioned by month on PostgreSQL, in blocks behind a view on SQLite"


# 0034: PostgreSQL's txn carries its account's primary holder last (holder_party, the column a distributed
# store keeps a customer's transactions together by); SQLite's blocks are never distributed.
TXN_PG_ONLY = ['holder_party']


def txn_shape(a, b):
    """The difference, if any, between SQLite's view txn and PostgreSQL's table txn, in the columns."""
    view = a['views'].get('txn')
    table = [c[0] for c in b['tables'].get('txn', {'columns': []})['columns']]
    if (view or []) + TXN_PG_ONLY != table:
        return ['txn: SQLite view columns (%s), PostgreSQL table columns (%s)'
                % (', '.join(view or []), ', '.join(table))]
    return []


def compare(a, b):
    """a: SQLite, b: PostgreSQL; the differences as lines."""
    d = []
    for name in sorted(set(a['tables']) | set(b['tables'])):
        if name not in b['tables']:
            d.append('table %s: only in SQLite' % name)
            continue
        if name not in a['tables']:
            d.append('table %s: only in PostgreSQL' % name)
            continue
        ta, tb = a['tables'][name], b['tables'][name]
        ca, cb = ta['columns'], tb['columns']
        if [c[0] for c in ca] != [c[0] for c in cb]:
            d.append('table %s: columns differ: SQLite (%s), PostgreSQL (%s)'
                     % (name, ', '.join(c[0] for c in ca), ', '.join(c[0] for c in cb)))
        cbn = {c[0]: c for c in cb}
        for c in ca:
            o = cbn.get(c[0])
            if not o:
                continue
            for i, what in ((1, 'type class'), (2, 'NOT NULL'), (3, 'default')):
                if c[i] != o[i]:
                    d.append('table %s column %s: %s %r in SQLite, %r in PostgreSQL' % (name, c[0], what, c[i], o[i]))
        if ta['pk'] != tb['pk']:
            d.append('table %s: primary key (%s) in SQLite, (%s) in PostgreSQL'
                     % (name, ', '.join(ta['pk']), ', '.join(tb['pk'] or [])))
        for what in ('unique', 'fk'):
            for x in sorted(ta[what] - tb[what]):
                d.append('table %s: %s %s only in SQLite' % (name, what, x))
            for x in sorted(tb[what] - ta[what]):
                d.append('table %s: %s %s only in PostgreSQL' % (name, what, x))
        ka, kb = sorted(ta['check']), sorted(tb['check'])
        for x in ka:
            if x in kb:
                kb.remove(x)
            else:
                d.append('table %s: CHECK on (%s) values [%s] only in SQLite' % (name, x[0], x[1]))
        for x in kb:
            d.append('table %s: CHECK on (%s) values [%s] only in PostgreSQL' % (name, x[0], x[1]))
    for name in sorted(set(a['indexes']) | set(b['indexes'])):
        ia, ib = a['indexes'].get(name), b['indexes'].get(name)
        if ia != ib:
            d.append('index %s: SQLite %s, PostgreSQL %s' % (name, ia, ib))
    for name in sorted(set(a['views']) | set(b['views'])):
        if a['views'].get(name) != b['views'].get(name):
            d.append('view %s: SQLite %s, PostgreSQL %s' % (name, a['views'].get(name), b['views'].get(name)))
    for x in sorted(a['triggers'] - b['triggers']):
        d.append('trigger %s on %s (%s %s%s) only in SQLite' % (x[1], x[0], x[2], x[3], ' OF ' + x[4] if x[4] else ''))
    for x in sorted(b['triggers'] - a['triggers']):
        d.append('trigger %s on %s (%s %s%s) only in PostgreSQL' % (x[1], x[0], x[2], x[3], ' OF ' + x[4] if x[4] else ''))
    return d


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--rapport', default=os.path.join(ROOT, 'build', 'rapport'))
    ap.add_argument('--url')
    ap.add_argument('--psql', action='store_true')
    ap.add_argument('--keep')
    args = ap.parse_args()
    tmp = args.keep or tempfile.mkdtemp(prefix='schema_compare.')
    os.makedirs(tmp, exist_ok=True)
    db = os.path.join(tmp, 'x.db')
    for f in (db, db + '.key', db + '-wal', db + '-shm'):
        if os.path.exists(f):
            os.remove(f)
    r = subprocess.run([args.rapport, 'init', '--db', db], capture_output=True, text=True)
    if r.returncode:
        sys.exit('rapport init (SQLite): ' + r.stderr)
    url, cluster = args.url, None
    try:
        if not url:
            cluster = os.path.join(tmp, 'pg')
            url = subprocess.run([os.path.join(ROOT, 'tests', 'pg.sh'), 'start', cluster, str(os.getpid())],
                                 capture_output=True, text=True, check=True).stdout.strip()
            pg = sorted(glob.glob(os.path.join(ROOT, 'src/store/sql/postgresql/[0-9]*.sql')))
            lite = sorted(glob.glob(os.path.join(ROOT, 'src/store/sql/sqlite/[0-9]*.sql')))
            if args.psql or len(pg) < len(lite):
                for f in pg:
                    r = subprocess.run(['psql', '-X', '-q', '-1', '-v', 'ON_ERROR_STOP=1', url, '-f', f],
                                       capture_output=True, text=True, env=dict(os.environ, PGOPTIONS='-c client_min_messages=warning'))
                    if r.returncode:
                        sys.exit('%s: %s' % (os.path.basename(f), r.stderr))
            else:
                r = subprocess.run([args.rapport, 'init', '--db', url, '--key', os.path.join(tmp, 'pg.key')],
                                   capture_output=True, text=True)
                if r.returncode:
                    sys.exit('rapport init (PostgreSQL): ' + r.stderr)
        lite_s, pg_s = sqlite_schema(db), pg_schema(url)
        diffs, txn_shape_diffs = compare(lite_s, pg_s), txn_shape(lite_s, pg_s)
    finally:
        if cluster and not args.keep:
            subprocess.run([os.path.join(ROOT, 'tests', 'pg.sh'), 'stop', cluster])
    for line in [x for x in diffs if x in JUSTIFIED]:
        print('justified: %s (%s)' % (line, JUSTIFIED[line]))
    diffs = [x for x in diffs if x not in JUSTIFIED]
    for line in [x for x in diffs if TXN_FAMILY.match(x)]:
        print('justified: %s (%s)' % (line, TXN_WHY))
    diffs = [x for x in diffs if not TXN_FAMILY.match(x)] + txn_shape_diffs
    for line in diffs:
        print(line)
    print('schema_compare: %d difference%s' % (len(diffs), '' if len(diffs) == 1 else 's'))
    return 1 if diffs else 0


if __name__ == '__main__':
    sys.exit(main())
