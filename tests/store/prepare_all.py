#!/usr/bin/env python3
"""prepare_all.py — every SQL statement written in Rapport's C sources, prepared on a PostgreSQL store
(issue 26): the statements are the adjacent string literals that begin with SELECT, INSERT, UPDATE,
DELETE or WITH; each is given the PostgreSQL store's rewriting (pg.c: ? and ?N as $N, SQLite's JSON
function names as PostgreSQL's) and PREPAREd, so that a phrase only SQLite understands is found without
running the command that uses it.  A statement built at run time (a macro or %s inside) is prepared
with its pieces as far as they go, or skipped when they do not make a statement.

usage: prepare_all.py URL [SRC_DIR]     prints each failure as FILE:LINE: SQLSTATE message, then
                                         "prepare_all: N statements, M failed, K skipped"
"""
import os, re, subprocess, sys

RENAMES = {'json_object': 'json_build_object', 'json_array': 'json_build_array',
           'json_group_array': 'json_agg', 'json_group_object': 'json_object_agg', 'ifnull': 'coalesce'}
LIT = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
START = re.compile(r'^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b', re.I)


DEFINE = re.compile(r'^#define\s+([A-Z_][A-Z0-9_]*)\s+((?:"(?:[^"\\\n]|\\.)*"[ \t]*\\?\s*)+)', re.M)


def statements(path):
    src = open(path, encoding='utf-8', errors='replace').read()
    macros = {m.group(1): ''.join(LIT.findall(m.group(2))) for m in DEFINE.finditer(src)}
    for h in re.findall(r'#include "([^"]+)"', src):
        hp = os.path.join(os.path.dirname(path), os.path.basename(h))
        if os.path.exists(hp) and hp != path:
            hs = open(hp, encoding='utf-8', errors='replace').read()
            macros.update({m.group(1): ''.join(LIT.findall(m.group(2))) for m in DEFINE.finditer(hs)})
    for m in re.finditer(r'^#define\s+([A-Z_][A-Z0-9_]*)\s+([A-Z_][A-Z0-9_]*)\s*$', src, re.M):
        if m.group(2) in macros:
            macros[m.group(1)] = macros[m.group(2)]
    # a statement that is a macro of its own
    for m in DEFINE.finditer(src):
        text = macros[m.group(1)]
        if START.match(text):
            yield src.count('\n', 0, m.start()) + 1, expand(text, macros), True
    i = 0
    while True:
        m = LIT.search(src, i)
        if not m:
            return
        parts, end, gap_ok = [m.group(1)], m.end(), True
        while True:
            n = re.compile(r'\s*"((?:[^"\\\n]|\\.)*)"').match(src, end)
            if n:
                parts.append(n.group(1)); end = n.end(); continue
            # a macro between literals: the statement is assembled at run time
            n = re.compile(r'\s*([A-Z_][A-Z0-9_]*)\s*(?=")').match(src, end)
            if n:
                if n.group(1) in macros:
                    parts.append(macros[n.group(1)])
                else:
                    gap_ok = False; parts.append(' ')
                end = n.end(); continue
            break
        i = end
        text = ''.join(parts)
        if START.match(text):
            line = src.count('\n', 0, m.start()) + 1
            yield line, text, gap_ok


def expand(text, macros):
    return text


def unescape(s):
    return s.encode('utf-8').decode('unicode_escape').encode('latin-1').decode('utf-8', 'replace')


def rewrite(sql):
    out, i, nxt, high = [], 0, 0, 0
    while i < len(sql):
        c = sql[i]
        if c in '\'"':
            j = i + 1
            while j < len(sql):
                if sql[j] == c and j + 1 < len(sql) and sql[j + 1] == c:
                    j += 2; continue
                if sql[j] == c:
                    break
                j += 1
            out.append(sql[i:j + 1]); i = j + 1
        elif c == '?':
            m = re.match(r'\?(\d*)', sql[i:])
            k = int(m.group(1)) if m.group(1) else nxt + 1
            nxt = max(nxt, k); high = max(high, k)
            out.append('$%d' % k); i += len(m.group(0))
        elif re.match(r'[A-Za-z_]', c) and (i == 0 or not re.match(r'[A-Za-z0-9_.]', sql[i - 1])):
            m = re.match(r'[A-Za-z_][A-Za-z0-9_]*', sql[i:])
            w = m.group(0)
            after = sql[i + len(w):].lstrip()
            out.append(RENAMES.get(w.lower(), w) if after.startswith('(') else w); i += len(w)
        else:
            out.append(c); i += 1
    return ''.join(out), high


def main():
    url = sys.argv[1]
    src = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), '..', '..', 'src')
    items = []
    for d, _, files in os.walk(src):
        for f in sorted(files):
            if f.endswith('.c'):
                p = os.path.join(d, f)
                for line, text, whole in statements(p):
                    items.append((os.path.relpath(p, os.path.join(src, '..')), line, text, whole))
    script, skipped = [], 0
    for k, (p, line, text, whole) in enumerate(items):
        if '%' in text and re.search(r'%[-0-9.]*(l?l?[sdu]|zu|lld|\*)', text):
            skipped += 1; continue
        try:
            sql, _ = rewrite(unescape(text))
        except Exception:
            skipped += 1; continue
        tag = '%s:%d' % (p, line)
        script.append("SAVEPOINT s;\n\\echo @@%s\nPREPARE q%d AS %s;\nROLLBACK TO SAVEPOINT s;" % (tag, k, sql.rstrip('; ')))
    r = subprocess.run(['psql', '-X', '-q', url], input='BEGIN;\n' + '\n'.join(script) + '\nROLLBACK;\n',
                       capture_output=True, text=True)
    # psql writes the \echo lines to stdout and the errors to stderr: merge by order with a second run
    # would be costly; instead ask for the errors inline
    fails, cur = [], None
    r = subprocess.run(['psql', '-X', '-q', url], input='BEGIN;\n' + '\n'.join(script) + '\nROLLBACK;\n',
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for l in r.stdout.splitlines():
        if l.startswith('@@'):
            cur = l[2:]
        elif l.startswith('ERROR:') and cur:
            msg = l[6:].strip()
            if 'could not determine data type of parameter' in msg or 'inconsistent types deduced' in msg:
                continue
            fails.append('%s: %s' % (cur, msg))
    for f in fails:
        print(f)
    print('prepare_all: %d statements, %d failed, %d skipped' % (len(script), len(fails), skipped))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
