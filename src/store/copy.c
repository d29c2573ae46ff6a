/* copy.c — one store's every table into another (rapport store copy: a bank that began on SQLite moves to
 * PostgreSQL).  See store.h (rp_store_copy_all).
 *
 * The destination's tables, read from PostgreSQL's catalogue, are filled in the order of their foreign
 * keys, each from the relation of the same name in the source (a table, or SQLite's view txn over its
 * blocks), with the columns both have, through COPY in pieces of a few megabytes; a column that refers to
 * its own table (party.merged_into) is left empty on the way and set once the whole table is there.  Each
 * row is summed as it is read (a 64-bit hash of its values as text, added up: the order does not matter)
 * and read back from the destination the same way, so that a table copied is a table checked.  All in one
 * transaction of the destination: the copy is whole or nothing. */
#include "store/store.h"
#include "core/buf.h"
#include "core/map.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COPY_PIECE ((size_t)8 << 20)
#define MAX_TABLES 512
#define MAX_COLS 128

typedef struct ctable {
    char name[64];
    int order, deps, copied;
} ctable;

/* A value as text, as COPY takes it (and as the sums read it): NULL for SQL's null. */
static const char *value_text(rp_stmt *st, int i, char *num, size_t n, rp_buf *hex)
{
    switch (rp_stmt_column_type(st, i)) {
    case RP_COL_NULL: return NULL;
    case RP_COL_INT: snprintf(num, n, "%lld", (long long)rp_stmt_int(st, i)); return num;
    case RP_COL_REAL: {
        double v = rp_stmt_real(st, i);
        if (isinf(v))
            return v > 0 ? "Infinity" : "-Infinity";
        if (v == floor(v) && fabs(v) < 9e15)
            snprintf(num, n, "%.0f", v);
        else
            snprintf(num, n, "%.17g", v);
        return num;
    }
    case RP_COL_BLOB: {
        static const char x[] = "0123456789abcdef";
        const unsigned char *b = rp_stmt_blob(st, i);
        size_t len = rp_stmt_bytes(st, i);
        rp_buf_reset(hex);
        rp_buf_append(hex, "\\x", 2);
        for (size_t k = 0; k < len; k++) {
            rp_buf_putc(hex, x[b[k] >> 4]);
            rp_buf_putc(hex, x[b[k] & 15]);
        }
        rp_buf_putc(hex, 0);
        return rp_buf_status(hex) == RP_OK ? hex->data : NULL;
    }
    default: return rp_stmt_text(st, i) ? rp_stmt_text(st, i) : "";
    }
}

static void copy_field(rp_buf *out, const char *v)
{
    if (!v) {
        rp_buf_append(out, "\\N", 2);
        return;
    }
    for (const char *p = v; *p; p++) {
        char c = *p;
        if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
            rp_buf_putc(out, '\\');
            c = c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : c;
        }
        rp_buf_putc(out, c);
    }
}

/* The sum of one row: each value's text (or a mark for null) hashed in turn. */
static uint64_t row_sum(rp_stmt *st, int ncols, char *num, size_t n, rp_buf *hex)
{
    uint64_t h = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < ncols; i++) {
        const char *v = value_text(st, i, num, n, hex);
        h = v ? rp_hash64(v, strlen(v), h) : rp_hash64("\001null", 5, h);
    }
    return h;
}

/* ---- the destination's catalogue (PostgreSQL) ---- */

static int find(ctable *t, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(t[i].name, name))
            return i;
    return -1;
}

/* Its tables (not partitions), in an order where each comes after those its foreign keys name. */
static int dest_tables(rp_store *to, ctable *t, int *n, rp_error *err)
{
    rp_stmt *st;
    *n = 0;
    int rc = rp_store_prepare(to, "SELECT c.relname FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace "
                                  "WHERE s.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
                                  "AND c.relname <> 'rapport_migrations' ORDER BY c.relname",
                              &st, err);
    if (rc)
        return rc;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW && *n < MAX_TABLES) {
        memset(&t[*n], 0, sizeof t[*n]);
        snprintf(t[*n].name, sizeof t[*n].name, "%s", rp_stmt_text(st, 0));
        t[*n].order = -1;
        (*n)++;
    }
    rp_stmt_done(st);
    if (rc != RP_DONE)
        return rc == RP_ROW ? rp_err(err, RP_TOOBIG, "more tables than %d", MAX_TABLES) : rc;
    /* the edges: table -> the table it refers to (not itself) */
    if ((rc = rp_store_prepare(to, "SELECT DISTINCT a.relname, b.relname FROM pg_constraint k "
                                   "JOIN pg_class a ON a.oid = k.conrelid JOIN pg_class b ON b.oid = k.confrelid "
                                   "JOIN pg_namespace s ON s.oid = a.relnamespace WHERE k.contype = 'f' "
                                   "AND s.nspname = current_schema() AND k.conrelid <> k.confrelid AND NOT a.relispartition",
                               &st, err)))
        return rc;
    static int edge[MAX_TABLES * 4][2];
    int ne = 0;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW && ne < MAX_TABLES * 4) {
        int a = find(t, *n, rp_stmt_text(st, 0)), b = find(t, *n, rp_stmt_text(st, 1));
        if (a >= 0 && b >= 0) {
            edge[ne][0] = a, edge[ne][1] = b;
            t[a].deps++;
            ne++;
        }
    }
    rp_stmt_done(st);
    if (rc != RP_DONE)
        return rc == RP_ROW ? rp_err(err, RP_TOOBIG, "more foreign keys than %d", MAX_TABLES * 4) : rc;
    for (int placed = 0; placed < *n;) { /* Kahn: the tables whose references are all placed */
        int any = 0;
        for (int i = 0; i < *n; i++) {
            if (t[i].order >= 0 || t[i].deps)
                continue;
            t[i].order = placed++;
            any = 1;
            for (int e = 0; e < ne; e++)
                if (edge[e][1] == i)
                    t[edge[e][0]].deps--;
        }
        if (!any)
            return rp_err(err, RP_INTERNAL, "the destination's foreign keys go round in a circle");
    }
    return RP_OK;
}

/* The columns of the destination's table, in their order, comma-separated; those that refer to the table
 * itself, comma-separated ("" for none), with their types, "COLUMN TYPE" a line, and the table's key. */
static int dest_columns(rp_store *to, const char *table, rp_buf *cols, rp_buf *self, rp_buf *types, char key[64],
                        rp_error *err)
{
    rp_stmt *st;
    rp_buf_reset(cols), rp_buf_reset(self);
    int rc = rp_store_prepare(to, "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                                  "AND table_name = ? ORDER BY ordinal_position",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, table);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        rp_buf_printf(cols, "%s%s", cols->len ? "," : "", rp_stmt_text(st, 0));
    rp_stmt_done(st);
    if (rc != RP_DONE)
        return rc;
    if ((rc = rp_store_prepare(to, "SELECT a.attname, format_type(a.atttypid, a.atttypmod), (SELECT p.attname FROM "
                                   "pg_index i JOIN pg_attribute p ON p.attrelid = i.indrelid AND p.attnum = i.indkey[0] "
                                   "WHERE i.indrelid = c.oid AND i.indisprimary AND i.indnkeyatts = 1) "
                                   "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
                                   "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] "
                                   "JOIN pg_namespace s ON s.oid = c.relnamespace WHERE k.contype = 'f' "
                                   "AND k.conrelid = k.confrelid AND s.nspname = current_schema() AND c.relname = ?",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, table);
    rp_buf_reset(types);
    *key = 0;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        rp_buf_printf(self, "%s%s", self->len ? "," : "", rp_stmt_text(st, 0));
        rp_buf_printf(types, "%s %s\n", rp_stmt_text(st, 0), rp_stmt_text(st, 1));
        snprintf(key, 64, "%s", rp_stmt_text(st, 2) ? rp_stmt_text(st, 2) : "");
    }
    rp_stmt_done(st);
    rp_buf_putc(types, 0);
    types->len--;
    rp_buf_putc(cols, 0), rp_buf_putc(self, 0);
    cols->len--, self->len--;
    return rc == RP_DONE ? RP_OK : rc;
}

static int in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t k = e ? (size_t)(e - p) : strlen(p);
        if (k == n && !strncmp(p, name, n))
            return 1;
        p = e ? e + 1 : p + k;
    }
    return 0;
}

/* Whether the source has a relation of that name (a table or a view). */
static int source_has(rp_store *from, const char *name, int *yes, rp_error *err)
{
    int64_t v = 0;
    rp_stmt *st;
    int pg = !strcmp(rp_store_backend(from), "postgresql");
    int rc = rp_store_prepare(from, pg ? "SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace "
                                         "WHERE s.nspname = current_schema() AND c.relname = ? AND c.relkind IN ('r', 'p', 'v')"
                                       : "SELECT count(*) FROM sqlite_master WHERE name = ? AND type IN ('table', 'view')",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, name);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        v = rp_stmt_int(st, 0), rc = RP_OK;
    rp_stmt_done(st);
    *yes = v > 0;
    return rc;
}

/* The columns the source's relation has, of those the destination's has; a column of the source that the
 * destination lacks would be lost: refused. */
static int common_columns(rp_store *from, const char *table, const char *dcols, rp_buf *out, rp_error *err)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT * FROM %s", table);
    rp_stmt *st;
    int rc = rp_store_prepare_once(from, sql, &st, err);
    if (rc)
        return rc;
    int n = rp_stmt_column_count(st);
    char src[MAX_COLS * 64] = "";
    for (int i = 0; i < n && !rc; i++) {
        const char *c = rp_stmt_column_name(st, i);
        if (!in_list(dcols, c))
            rc = rp_err(err, RP_VERSION, "%s.%s of the source is not in the destination", table, c);
        snprintf(src + strlen(src), sizeof src - strlen(src), "%s%s", i ? "," : "", c);
    }
    rp_stmt_done(st);
    rp_buf_reset(out);
    for (const char *p = dcols; *p && !rc;) { /* the destination's order */
        const char *e = strchr(p, ',');
        size_t k = e ? (size_t)(e - p) : strlen(p);
        char c[64];
        snprintf(c, sizeof c, "%.*s", (int)k, p);
        if (in_list(src, c)) /* quoted: a column may be named as a keyword (load_job."offset") */
            rp_buf_printf(out, "%s\"%s\"", out->len ? "," : "", c);
        p = e ? e + 1 : p + k;
    }
    rp_buf_putc(out, 0);
    out->len--;
    return rc;
}

/* ---- one table ---- */

typedef struct tcopy {
    rp_store *from, *to;
    const char *table, *cols, *self, *types, *key;
    rp_buf lines, later, hex;   /* COPY's text; the self-references held back (id, column, value) */
    int64_t rows;
    uint64_t sum;
    rp_copy_progress_fn fn;
    void *ctx;
} tcopy;

static int flush_lines(tcopy *c, rp_error *err)
{
    if (!c->lines.len)
        return RP_OK;
    if (rp_buf_status(&c->lines) != RP_OK)
        return rp_err(err, RP_NOMEM, NULL);
    char target[MAX_COLS * 64 + 80];
    snprintf(target, sizeof target, "%s(%s)", c->table, c->cols);
    int rc = rp_store_copy(c->to, target, c->lines.data, c->lines.len, err);
    if (rc)
        rp_err_prefix(err, "table %s", c->table);
    rp_buf_reset(&c->lines);
    return rc;
}

/* The rows of the source's relation into the destination's table, summed; a self-reference held back. */
static int copy_rows(tcopy *c, rp_error *err)
{
    char sql[MAX_COLS * 64 + 80], num[40];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s", c->cols, c->table);
    rp_stmt *st;
    int rc = rp_store_prepare_stream(c->from, sql, &st, err);
    if (rc)
        return rc;
    int n = rp_stmt_column_count(st), self[MAX_COLS] = { 0 }, idcol = -1;
    for (int i = 0; i < n && i < MAX_COLS; i++) {
        self[i] = in_list(c->self, rp_stmt_column_name(st, i));
        if (!strcmp(rp_stmt_column_name(st, i), c->key))
            idcol = i;
    }
    if (*c->self && idcol < 0) {
        rp_stmt_done(st);
        return rp_err(err, RP_INTERNAL, "%s refers to itself and has no key of one column", c->table);
    }
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        c->sum += row_sum(st, n, num, sizeof num, &c->hex);
        for (int i = 0; i < n; i++) {
            if (i)
                rp_buf_putc(&c->lines, '\t');
            const char *v = value_text(st, i, num, sizeof num, &c->hex);
            if (self[i] && v) { /* later: key, column, value */
                char kbuf[40];
                copy_field(&c->later, value_text(st, idcol, kbuf, sizeof kbuf, &c->hex));
                rp_buf_printf(&c->later, "\t%s\t", rp_stmt_column_name(st, i));
                v = value_text(st, i, num, sizeof num, &c->hex); /* the key's text may have used the buffers */
                copy_field(&c->later, v);
                rp_buf_putc(&c->later, '\n');
                v = NULL;
            }
            copy_field(&c->lines, v);
        }
        rp_buf_putc(&c->lines, '\n');
        if (++c->rows % 10000 == 0 && c->fn)
            c->fn(c->ctx, c->table, c->rows);
        if (c->lines.len >= COPY_PIECE && (rc = flush_lines(c, err)))
            break;
    }
    rp_stmt_done(st);
    if (rc != RP_DONE && rc != RP_OK)
        return rc;
    return flush_lines(c, err);
}

/* The self-references held back, set now that every row is there. */
static int copy_later(tcopy *c, rp_error *err)
{
    if (!c->later.len)
        return RP_OK;
    int rc = rp_store_exec(c->to, "CREATE TEMP TABLE rapport_copy_later(k TEXT, col TEXT, val TEXT) ON COMMIT DROP", err);
    if (!rc)
        rc = rp_store_copy(c->to, "rapport_copy_later(k, col, val)", c->later.data, c->later.len, err);
    for (const char *p = c->types; !rc && *p;) { /* "COLUMN TYPE" lines */
        const char *nl = strchr(p, '\n'), *sp = strchr(p, ' ');
        if (!nl || !sp || sp > nl)
            break;
        char sql[700];
        snprintf(sql, sizeof sql, "UPDATE %s t SET \"%.*s\" = CAST(l.val AS %.*s) FROM rapport_copy_later l "
                                  "WHERE l.k = t.\"%s\"::text AND l.col = '%.*s'", c->table, (int)(sp - p), p,
                 (int)(nl - sp - 1), sp + 1, c->key, (int)(sp - p), p);
        rc = rp_store_exec(c->to, sql, err);
        p = nl + 1;
    }
    if (!rc)
        rc = rp_store_exec(c->to, "DROP TABLE rapport_copy_later", err);
    return rc;
}

/* The destination's table read back: its rows and their sum. */
static int read_back(rp_store *s, const char *table, const char *cols, int64_t *rows, uint64_t *sum, rp_error *err)
{
    char sql[MAX_COLS * 64 + 80], num[40];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s", cols, table);
    rp_stmt *st;
    rp_buf hex = RP_BUF_INIT;
    *rows = 0, *sum = 0;
    int rc = rp_store_prepare_stream(s, sql, &st, err);
    if (rc)
        return rc;
    int n = rp_stmt_column_count(st);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        *sum += row_sum(st, n, num, sizeof num, &hex);
        (*rows)++;
    }
    rp_stmt_done(st);
    rp_buf_release(&hex);
    return rc == RP_DONE ? RP_OK : rc;
}

static int copy_table(rp_store *from, rp_store *to, const char *table, rp_copy_table *r, rp_copy_progress_fn fn,
                      void *ctx, rp_error *err)
{
    rp_buf dcols = RP_BUF_INIT, self = RP_BUF_INIT, cols = RP_BUF_INIT, types = RP_BUF_INIT;
    char key[64] = "";
    tcopy c = { .from = from, .to = to, .table = table, .fn = fn, .ctx = ctx };
    rp_buf_init(&c.lines, COPY_PIECE * 2);
    rp_buf_init(&c.later, (size_t)1 << 31);
    rp_buf_init(&c.hex, (size_t)1 << 30);
    snprintf(r->name, sizeof r->name, "%.63s", table);
    int yes, rc = source_has(from, table, &yes, err);
    if (rc || !yes) { /* kept by the destination itself (txn_account_key), or new */
        r->skipped = 1;
        goto out;
    }
    if ((rc = dest_columns(to, table, &dcols, &self, &types, key, err)) ||
        (rc = common_columns(from, table, dcols.data, &cols, err)))
        goto out;
    c.cols = cols.data;
    c.self = self.data;
    c.types = types.data;
    c.key = key;
    char sql[100]; /* what the destination's triggers made of the tables copied before (party_name_key of party) */
    snprintf(sql, sizeof sql, "DELETE FROM %.63s", table);
    if ((rc = rp_store_exec(to, sql, err)) || (rc = copy_rows(&c, err)) || (rc = copy_later(&c, err)))
        goto out;
    r->rows = c.rows;
    r->sum_from = c.sum;
    if ((rc = read_back(to, table, cols.data, &r->rows_to, &r->sum_to, err)))
        goto out;
    r->ok = r->rows == r->rows_to && r->sum_from == r->sum_to;
out:
    rp_buf_release(&dcols), rp_buf_release(&self), rp_buf_release(&cols), rp_buf_release(&types);
    rp_buf_release(&c.lines), rp_buf_release(&c.later), rp_buf_release(&c.hex);
    return rc;
}

/* ---- the whole store ---- */

/* The destination must hold no bank yet: what its migrations put there is replaced. */
static int dest_empty(rp_store *to, rp_error *err)
{
    static const char *const held[] = { "party", "account", "app_user", "load_job" };
    for (size_t i = 0; i < sizeof held / sizeof held[0]; i++) {
        char sql[80];
        int64_t n = 0;
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", held[i]);
        int rc = rp_store_query_int(to, sql, &n, err);
        if (rc)
            return rc;
        if (n)
            return rp_err(err, RP_EXISTS, "the destination already holds data (%lld rows in %s): copy into "
                                          "a store that 'rapport init' has just made",
                          (long long)n, held[i]);
    }
    return RP_OK;
}

/* After the rows: each id sequence past the greatest id copied; PostgreSQL's transactions filed into their
 * months (the store's own function, 0033). */
static int dest_after(rp_store *to, rp_error *err)
{
    rp_stmt *st;
    rp_buf todo = RP_BUF_INIT; /* "table column sequence" a line */
    int rc = rp_store_prepare(to, "SELECT c.table_name, c.column_name, pg_get_serial_sequence(quote_ident(c.table_name), "
                                  "c.column_name) FROM information_schema.columns c JOIN pg_class k ON k.relname = c.table_name "
                                  "AND NOT k.relispartition WHERE c.table_schema = current_schema() "
                                  "AND pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) IS NOT NULL",
                              &st, err);
    if (rc)
        return rc;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        rp_buf_printf(&todo, "%s %s %s\n", rp_stmt_text(st, 0), rp_stmt_text(st, 1), rp_stmt_text(st, 2));
    rp_stmt_done(st);
    rc = rc == RP_DONE ? RP_OK : rc;
    rp_buf_putc(&todo, 0);
    for (char *p = todo.data, *nl; !rc && p && *p; p = nl + 1) {
        char table[64], col[64], seq[200], sql[512];
        if (!(nl = strchr(p, '\n')) || sscanf(p, "%63s %63s %199s", table, col, seq) != 3)
            break;
        snprintf(sql, sizeof sql, "SELECT setval('%s', (SELECT max(%s) FROM %s)) WHERE EXISTS (SELECT 1 FROM %s)", seq,
                 col, table, table);
        rc = rp_store_exec(to, sql, err);
    }
    rp_buf_release(&todo);
    if (!rc)
        rc = rp_store_exec(to, "SELECT txn_month(m) FROM (SELECT DISTINCT substr(posted_at, 1, 7) AS m FROM txn_other "
                               "WHERE posted_at ~ '^[0-9]{4}-(0[1-9]|1[0-2])') AS months",
                           err);
    return rc;
}

int rp_store_copy_all(rp_store *from, rp_store *to, rp_copy_progress_fn fn, void *ctx, rp_copy_table **out, int *nout,
                      rp_error *err)
{
    *out = NULL, *nout = 0;
    int vf, vt, rc;
    if (!rp_store_has_copy(to))
        return rp_err(err, RP_USAGE, "the destination is a %s store: a store is copied to PostgreSQL",
                      rp_store_backend(to));
    if ((rc = rp_store_version(from, &vf, err)) || (rc = rp_store_version(to, &vt, err)))
        return rc;
    if (vf != rp_store_latest_version(from) || vt != vf)
        return rp_err(err, RP_VERSION, "the source is at schema version %d, the destination at %d: run "
                                       "'rapport init' on both first", vf, vt);
    static ctable t[MAX_TABLES];
    int n;
    if ((rc = dest_tables(to, t, &n, err)) || (rc = dest_empty(to, err)))
        return rc;
    rp_copy_table *r = calloc((size_t)n, sizeof *r);
    if (!r)
        return rp_err(err, RP_NOMEM, NULL);
    if ((rc = rp_store_begin(to, err))) {
        free(r);
        return rc;
    }
    /* what the migrations wrote is replaced, the tables emptied in the reverse of their order */
    rc = rp_store_exec(to, "SELECT set_config('rapport.txn_checked', 'on', true)", err);
    for (int o = n - 1; o >= 0 && !rc; o--)
        for (int i = 0; i < n && !rc; i++)
            if (t[i].order == o) {
                char sql[100];
                snprintf(sql, sizeof sql, "DELETE FROM %.63s", t[i].name);
                rc = rp_store_exec(to, sql, err);
            }
    for (int o = 0; o < n && !rc; o++)
        for (int i = 0; i < n && !rc; i++)
            if (t[i].order == o)
                rc = copy_table(from, to, t[i].name, &r[o], fn, ctx, err);
    if (!rc)
        rc = dest_after(to, err);
    for (int i = 0; i < n && !rc; i++)
        if (!r[i].skipped && !r[i].ok)
            rc = rp_err(err, RP_CHECKSUM, "table %s: %lld rows read, %lld written, the sums %s: nothing was "
                                          "kept", r[i].name, (long long)r[i].rows, (long long)r[i].rows_to,
                        r[i].sum_from == r[i].sum_to ? "agree" : "differ");
    if (!rc)
        rc = rp_store_commit(to, err);
    else
        rp_store_rollback(to);
    if (rc) {
        free(r);
        return rc;
    }
    *out = r, *nout = n;
    return RP_OK;
}
