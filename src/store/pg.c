/* pg.c — the PostgreSQL backend (issue 26): libpq behind store.h's ops.
 *
 * Callers' SQL is store.h's dialect: `?` and `?N` placeholders become $N here (outside quotes), a
 * statement is prepared on the server (PQprepare, named, once per connection) the first time it runs
 * with the parameter types of its first binding (int8, float8, text, bytea; a NULL leaves the type to
 * the server), and runs again with those; bound with other types it runs unprepared (PQexecParams)
 * rather than be coerced.  Results come whole (text format; bytea as hex, decoded on demand); integer,
 * boolean and whole numeric columns read as integers, so that count(*), sum() of integers and
 * comparisons look as they do on SQLite.  Transactions nest by savepoints; a read-only transaction is
 * the server's BEGIN READ ONLY, a snapshot for reads REPEATABLE READ.  Errors by SQLSTATE in Rapport's
 * words: 23 constraint, 40001/40P01/55P03/57014 busy, 53100 full, 53200 memory, 08 and a lost
 * connection I/O, 25006 read-only.  The password never in the URL (ps shows command lines): libpq's
 * password file (PGPASSFILE, ~/.pgpass) or PGPASSWORD. */
#include "store/store.h"
#include "core/log.h"
#include "core/utf8.h"
#include "core/map.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CACHE_MAX 512
#define PARAMS_MAX 256

/* PostgreSQL's type oids (pg_type.h) */
enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_TEXT = 25, OID_OID = 26,
       OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_NUMERIC = 1700 };

/* An inner transaction level (a load's record) costs no round trip of its own: its SAVEPOINT and
 * RELEASE wait for the next statement and go with it, in its pipeline (nothing to send when nothing ran
 * in it).  At most PEND_MAX wait; more are sent at once. */
#define PEND_MAX 8

typedef struct pg_store {
    rp_store base;
    PGconn *conn;
    rp_map *cache;
    int next_name;
    int64_t changes;
    char where[160];        /* host:port/db, for messages */
    const char *sql;        /* the statement at work, for RAPPORT_LOG=debug */
    uint64_t locks[16];     /* the hashes of the locks taken in this transaction (rp_store_lock) */
    int nlocks;
    int flags;              /* rp_store_open's, for a connection made again */
    char url[1100];         /* the store's, for the reader */
    PGconn *reader;         /* streams outside a transaction: a connection of their own, in a snapshot */
    int readers;            /* streams open on it (its transaction ends with the last) */
    int lost;               /* the connection was lost inside a transaction: refused until it ends */
    char pend[PEND_MAX][24];/* an inner level's SAVEPOINT and RELEASE, sent before the next statement */
    int npend;
} pg_store;

typedef struct pg_stmt {
    rp_stmt base;
    char *sql;              /* rewritten: $N */
    int nparams;
    char name[24];          /* the server's prepared statement, "" until prepared */
    unsigned types[PARAMS_MAX], prepared_types[PARAMS_MAX];
    char *vals[PARAMS_MAX];
    int lens[PARAMS_MAX], fmts[PARAMS_MAX];
    PGresult *res;
    PGresult *desc;         /* the prepared statement's columns, asked for before it runs */
    int row, nrows;
    int cached, in_use, bind_rc;
    int stream;             /* rows through a cursor (rp_store_prepare_stream) */
    int on_reader;          /* its cursor is the reader connection's */
    char cursor[24];        /* its name while open, "" otherwise */
    unsigned char *blob;    /* the last bytea decoded, of row blob_row, column blob_col */
    size_t blob_len;
    int blob_row, blob_col;
    const PGresult *blob_res;
} pg_stmt;

#define PG(s_) ((pg_store *)(s_))
#define PS(st_) ((pg_stmt *)(st_))

/* ---- errors ---- */

/* libpq's message of the connection (lines with tabs) as one line. */
static const char *conn_message(PGconn *c, char *line, size_t size)
{
    size_t n = 0;
    for (const char *p = c ? PQerrorMessage(c) : "out of memory"; *p && n + 1 < size; p++)
        if (*p != '\n' && *p != '\t' && *p != '\r')
            line[n++] = *p;
        else if (n && line[n - 1] != ' ')
            line[n++] = ' ';
    while (n && line[n - 1] == ' ')
        n--;
    line[n] = 0;
    return line;
}

static int map_result(pg_store *s, PGresult *r, rp_error *err)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char line[512];
    if (!msg)
        msg = conn_message(s->conn, line, sizeof line);
    rp_log_debug("PostgreSQL %s: %s; the statement: %.2000s", state ? state : "-", msg, s->sql ? s->sql : "-");
    if (PQstatus(s->conn) == CONNECTION_BAD || s->lost) {
        if (s->base.depth > 0)
            s->lost = 1;
        return rp_err(err, RP_UNAVAILABLE, "%s: the connection to PostgreSQL was lost%s: %s", s->where,
                      s->base.depth > 0 ? " in a transaction, which is rolled back" : "", msg);
    }
    if (!state)
        return rp_err(err, RP_STORE, "%s: %s", s->where, msg);
    if (!strncmp(state, "23", 2))
        return rp_err(err, RP_CONSTRAINT, "%s", msg);
    if (!strcmp(state, "57014"))
        return rp_err(err, RP_BUSY, "%s: the statement was cancelled: it ran past the server's statement_timeout, or an "
                      "administrator stopped it (%s)", s->where, msg);
    if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))
        return rp_err(err, RP_BUSY, "%s: the database is busy (%s)", s->where, msg);
    if (!strcmp(state, "53100"))
        return rp_err(err, RP_FULL, "%s: the database server's disk is full", s->where);
    if (!strcmp(state, "53200"))
        return rp_err(err, RP_NOMEM, NULL);
    if (!strcmp(state, "25006")) {
        const char *standby = PQparameterStatus(s->conn, "in_hot_standby"); /* reported by servers since 14 */
        if (standby && !strcmp(standby, "on"))
            return rp_err(err, RP_READONLY, "%s: this server is a standby, which reads only: what changes the store "
                          "(a load, a note, the audit of a customer view) needs the primary (name both hosts with "
                          "target_session_attrs=read-write and the primary is found)", s->where);
        return rp_err(err, RP_READONLY, "%s: a change in a read-only transaction", s->where);
    }
    if (!strncmp(state, "08", 2))
        return rp_err(err, RP_IO, "%s: %s", s->where, msg);
    return rp_err(err, RP_STORE, "%s", msg);
}

/* ---- connecting ---- */

/* A password written into the URL (postgresql://user:secret@host/db) is refused: ps shows it. */
static int password_in_url(const char *url)
{
    const char *p = strstr(url, "://");
    if (!p)
        return 0;
    p += 3;
    size_t n = strcspn(p, "/?");
    const char *at = memchr(p, '@', n);
    return (at && memchr(p, ':', (size_t)(at - p))) || strstr(url, "password=");
}

static void pg_close(rp_store *s_)
{
    pg_store *s = PG(s_);
    if (!s)
        return;
    if (s->cache) {
        size_t it = 0;
        void *v;
        while (rp_map_next(s->cache, &it, NULL, NULL, &v)) {
            pg_stmt *st = v;
            PQclear(st->res);
            PQclear(st->desc);
            for (int i = 0; i < PARAMS_MAX; i++)
                free(st->vals[i]);
            free(st->sql);
            PQfreemem(st->blob);
            free(st);
        }
        rp_map_free(s->cache, NULL);
    }
    PQfinish(s->conn);
    if (s->reader)
        PQfinish(s->reader);
    free(s);
}

/* SQL as it is (several statements may follow one another), for the transactions' own statements. */
static int alive(pg_store *s, rp_error *err);

static int send_pending(pg_store *s);

static int raw_exec(rp_store *s_, const char *sql, rp_error *err)
{
    pg_store *s = PG(s_);
    int rc = alive(s, err);
    if (rc)
        return rc;
    s->sql = sql;
    PGresult *r = send_pending(s) ? PQexec(s->conn, sql) : NULL;
    int ok = r && (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK);
    rc = ok ? RP_OK : map_result(s, r, err);
    s->sql = NULL; /* the caller's text, perhaps on its stack */
    if (ok)
        s->changes = atoll(PQcmdTuples(r));
    PQclear(r);
    return rc;
}

static int guard(pg_store *s);
static void unguard(pg_store *s, int guarded, int ok);

/* A caller's SQL (a migration's several statements, a DDL, a change): failing in a transaction, it takes
 * back only itself. */
static int pg_exec(rp_store *s_, const char *sql, rp_error *err)
{
    int g = guard(PG(s_)), rc = raw_exec(s_, sql, err);
    unguard(PG(s_), g, rc == RP_OK);
    return rc;
}

/* The session as Rapport wants it: UTF-8, UTC, a row another connection holds waited for as long as SQLite
 * waits for its lock (10 s), then busy; read-only when opened so. */
static int session_setup(pg_store *s, rp_error *err)
{
    int rc = raw_exec(&s->base, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; SET client_min_messages = warning; "
                                "SET lock_timeout = '10s'",
                      err);
    if (!rc && (s->flags & RP_STORE_READONLY))
        rc = raw_exec(&s->base, "SET default_transaction_read_only = on", err);
    return rc;
}

/* The connection lost, made again (libpq's PQreset: the same URL, so that one of several hosts with
 * target_session_attrs=read-write finds the new primary after a failover), its session set up again and the
 * statements prepared on the old one forgotten (prepared again as they run).  0 when the server cannot be
 * reached yet. */
static int reconnect(pg_store *s)
{
    PQreset(s->conn);
    if (PQstatus(s->conn) != CONNECTION_OK)
        return 0;
    size_t it = 0;
    void *v;
    while (rp_map_next(s->cache, &it, NULL, NULL, &v)) {
        pg_stmt *st = v;
        st->name[0] = 0;
        PQclear(st->desc);
        st->desc = NULL;
    }
    s->nlocks = 0;
    s->npend = 0;
    rp_error ignored = RP_ERROR_INIT;
    if (session_setup(s, &ignored))
        return 0;
    rp_log(RP_LOG_INFO, "%s: the connection to PostgreSQL is made again", s->where);
    return 1;
}

/* Whether a statement may go to the server: not inside a transaction whose connection was lost; outside
 * one, a connection lost is made again first. */
static int alive(pg_store *s, rp_error *err)
{
    if (s->lost)
        return rp_err(err, RP_UNAVAILABLE, "%s: the connection to PostgreSQL was lost in this transaction, which is "
                      "rolled back: try again", s->where);
    char line[512];
    if (PQstatus(s->conn) == CONNECTION_BAD && s->base.depth == 0 && !reconnect(s))
        return rp_err(err, RP_UNAVAILABLE, "%s: PostgreSQL cannot be reached: %s", s->where,
                      conn_message(s->conn, line, sizeof line));
    return RP_OK;
}

static int pg_open(const char *url, int flags, rp_store **out, rp_error *err)
{
    if (password_in_url(url))
        return rp_err(err, RP_INVAL, "the PostgreSQL URL names a password, which ps would show: put it in a password "
                                     "file (PGPASSFILE or ~/.pgpass) or PGPASSWORD instead");
    pg_store *s = calloc(1, sizeof *s);
    if (!s || !(s->cache = rp_map_new())) {
        free(s);
        return rp_err(err, RP_NOMEM, NULL);
    }
    s->base.ops = &rp_pg_ops;
    s->conn = PQconnectdb(url);
    if (s->conn && PQstatus(s->conn) == CONNECTION_OK)
        snprintf(s->where, sizeof s->where, "PostgreSQL %.60s:%.8s/%.60s", PQhost(s->conn), PQport(s->conn),
                 PQdb(s->conn));
    if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
        char line[512];
        int rc = rp_err(err, RP_UNAVAILABLE, "cannot connect to %s: %s", url, conn_message(s->conn, line, sizeof line));
        pg_close(&s->base);
        return rc;
    }
    s->flags = flags;
    snprintf(s->url, sizeof s->url, "%s", url);
    int rc = session_setup(s, err);
    if (rc) {
        pg_close(&s->base);
        return rc;
    }
    *out = &s->base;
    return RP_OK;
}

/* ---- statements ---- */

/* In a transaction, a statement that fails takes back only itself, as on SQLite (PostgreSQL would
 * abort the whole transaction): each step to the server runs under a savepoint of its own. */
static int guard(pg_store *s)
{
    if (s->base.depth > 0 && send_pending(s))
        PQclear(PQexec(s->conn, "SAVEPOINT rp_stmt"));
    return s->base.depth > 0;
}

/* The inner levels' commands waiting, sent now (one round trip); 0 when they failed (the connection). */
static int send_pending(pg_store *s)
{
    if (!s->npend)
        return 1;
    char sql[PEND_MAX * 26];
    size_t n = 0;
    for (int i = 0; i < s->npend; i++)
        n += (size_t)snprintf(sql + n, sizeof sql - n, "%s%s", i ? "; " : "", s->pend[i]);
    s->npend = 0;
    PGresult *r = PQexec(s->conn, sql);
    int ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok;
}

/* An inner level's SAVEPOINT or RELEASE of savepoint d, to go before the next statement. */
static void pend(pg_store *s, const char *what, int d)
{
    if (s->npend == PEND_MAX)
        send_pending(s);
    snprintf(s->pend[s->npend++], sizeof s->pend[0], "%s rp%d", what, d);
}

/* Whether the last command waiting is savepoint d's SAVEPOINT (nothing ran in that level): taken back. */
static int unpend(pg_store *s, int d)
{
    char sp[24];
    snprintf(sp, sizeof sp, "SAVEPOINT rp%d", d);
    if (s->npend && !strcmp(s->pend[s->npend - 1], sp)) {
        s->npend--;
        return 1;
    }
    return 0;
}

static void unguard(pg_store *s, int guarded, int ok)
{
    if (guarded)
        PQclear(PQexec(s->conn, ok ? "RELEASE SAVEPOINT rp_stmt"
                                   : "ROLLBACK TO SAVEPOINT rp_stmt; RELEASE SAVEPOINT rp_stmt"));
}

/* SQLite's names of the JSON and null functions the callers use, as PostgreSQL names the same function
 * (arguments and result alike: json_object builds an object from key/value pairs, json_group_array an
 * array of a group's values; the result is PostgreSQL's json, read as its text).  Only a name followed
 * by "(" is renamed; a column or a quoted name of the same spelling is left alone. */
static const struct { const char *sqlite, *pg; } renames[] = {
    {"json_object", "json_build_object"}, {"json_array", "json_build_array"},
    {"json_group_array", "json_agg"},     {"json_group_object", "json_object_agg"},
    {"ifnull", "coalesce"},                {"group_concat", "string_agg"}, /* with its separator named */
};

static int ident_char(char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

/* An identifier at p copied to *w, renamed if it is one of renames[] called as a function. */
static const char *identifier(const char *p, char **w)
{
    const char *e = p;
    while (ident_char(*e))
        e++;
    const char *q = e;
    while (*q == ' ' || *q == '\n')
        q++;
    if (*q == '(')
        for (size_t i = 0; i < sizeof renames / sizeof *renames; i++)
            if (strlen(renames[i].sqlite) == (size_t)(e - p) && !strncasecmp(p, renames[i].sqlite, (size_t)(e - p))) {
                *w += sprintf(*w, "%s", renames[i].pg);
                return e;
            }
    memcpy(*w, p, (size_t)(e - p));
    *w += e - p;
    return e;
}

/* The SQL with ? and ?N as $N (outside quotes and comments) and renames[] applied; *n the highest
 * number. */
static char *rewrite(const char *sql, int *n)
{
    size_t len = strlen(sql);
    char *o = malloc(len * 4 + 16), *w = o;
    if (!o)
        return NULL;
    int next = 0, several = 0;
    *n = 0;
    for (const char *p = sql; *p;) {
        if (*p == '\'' || *p == '"') { /* a literal or a quoted name, its doubled quotes included */
            char q = *p;
            *w++ = *p++;
            while (*p) {
                if (*p == q && p[1] == q) {
                    *w++ = *p++;
                    *w++ = *p++;
                    continue;
                }
                if (*p == q)
                    break;
                *w++ = *p++;
            }
            if (*p)
                *w++ = *p++;
        } else if (*p == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                *w++ = *p++;
        } else if (*p == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            e = e ? e + 2 : p + strlen(p);
            memcpy(w, p, (size_t)(e - p));
            w += e - p, p = e;
        } else if (*p == ';') { /* one statement, as SQLite's prepare takes: only blanks and comments after */
            const char *q = p + 1;
            for (;;) {
                while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
                    q++;
                if (q[0] == '-' && q[1] == '-')
                    q += strcspn(q, "\n");
                else if (q[0] == '/' && q[1] == '*' && strstr(q + 2, "*/"))
                    q = strstr(q + 2, "*/") + 2;
                else
                    break;
            }
            several |= *q != 0;
            *w++ = *p++;
        } else if (*p == '?') {
            p++;
            int k;
            if (*p >= '0' && *p <= '9') {
                long v = strtol(p, (char **)&p, 10);
                k = v < 1 || v > PARAMS_MAX ? PARAMS_MAX + 1 : (int)v; /* refused by the caller: never $huge */
            } else {
                k = next < PARAMS_MAX ? next + 1 : PARAMS_MAX + 1;
            }
            if (k > next)
                next = k;
            if (k > *n)
                *n = k;
            w += sprintf(w, "$%d", k);
        } else if (ident_char(*p) && !(*p >= '0' && *p <= '9') && (p == sql || (!ident_char(p[-1]) && p[-1] != '.'))) {
            p = identifier(p, &w);
        } else {
            *w++ = *p++;
        }
    }
    *w = 0;
    if (several)
        *n = -1;
    return o;
}

static int pg_prepare(rp_store *s_, const char *sql, int cached, rp_stmt **out, rp_error *err)
{
    pg_store *s = PG(s_);
    size_t n = strlen(sql);
    int stream = cached == RP_PREPARE_STREAM;
    if (stream)
        cached = 0;
    if (cached) {
        pg_stmt *c = rp_map_get(s->cache, sql, n);
        if (c && !c->in_use) {
            c->in_use = 1;
            c->bind_rc = 0;
            *out = &c->base;
            return RP_OK;
        }
        if (c || rp_map_len(s->cache) >= CACHE_MAX)
            cached = 0;
    }
    pg_stmt *st = calloc(1, sizeof *st);
    if (!st || !(st->sql = rewrite(sql, &st->nparams))) {
        free(st);
        return rp_err(err, RP_NOMEM, NULL);
    }
    if (st->nparams < 0) {
        free(st->sql), free(st);
        return rp_err(err, RP_INVAL, "only one SQL statement is allowed");
    }
    st->base.store = s_;
    if (st->nparams > PARAMS_MAX) {
        free(st->sql), free(st);
        return rp_err(err, RP_INVAL, "a statement with more than %d parameters", PARAMS_MAX);
    }
    if (!st->nparams) { /* prepared now: a statement about a table not there fails here, as on SQLite */
        int rc = alive(s, err);
        if (rc) {
            free(st->sql), free(st);
            return rc;
        }
        snprintf(st->name, sizeof st->name, "rp%d", ++s->next_name);
        int g = guard(s);
        s->sql = st->sql;
        PGresult *r = PQprepare(s->conn, st->name, st->sql, 0, NULL);
        int ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
        unguard(s, g, ok);
        rc = ok ? RP_OK : map_result(s, r, err);
        PQclear(r);
        if (rc) {
            free(st->sql), free(st);
            return rc;
        }
    }
    st->cached = cached;
    st->stream = stream;
    st->in_use = 1;
    if (cached && rp_map_put(s->cache, sql, n, st, NULL)) {
        free(st->sql), free(st);
        return rp_err(err, RP_NOMEM, NULL);
    }
    *out = &st->base;
    return RP_OK;
}

static int put(rp_stmt *st_, int i, unsigned type, const char *v, size_t n, int fmt)
{
    pg_stmt *st = PS(st_);
    if (i < 1 || i > st->nparams) {
        st->bind_rc = st->bind_rc ? st->bind_rc : RP_INVAL;
        return RP_STORE;
    }
    free(st->vals[i - 1]);
    st->vals[i - 1] = NULL;
    st->types[i - 1] = type;
    st->lens[i - 1] = (int)n, st->fmts[i - 1] = fmt;
    if (v && !(st->vals[i - 1] = malloc(n + 1))) {
        st->bind_rc = RP_NOMEM;
        return RP_STORE;
    }
    if (v) {
        memcpy(st->vals[i - 1], v, n);
        st->vals[i - 1][n] = 0;
    }
    return RP_OK;
}

static int pg_bind_int(rp_stmt *st, int i, int64_t v)
{
    char b[24];
    return put(st, i, OID_INT8, b, (size_t)snprintf(b, sizeof b, "%lld", (long long)v), 0);
}
static int pg_bind_real(rp_stmt *st, int i, double v)
{
    char b[40];
    return put(st, i, OID_FLOAT8, b, (size_t)snprintf(b, sizeof b, "%.17g", v), 0);
}
/* PostgreSQL's text holds UTF-8 only (and no NUL): a byte that is not UTF-8 is kept as the four
 * characters \xNN, as Rapport shows such bytes (a file name from another system, a record's garbage),
 * where SQLite keeps the byte itself. */
static int pg_bind_text(rp_stmt *st, int i, const char *v, size_t n)
{
    size_t bad;
    if (rp_utf8_valid(v, n, &bad) && !memchr(v, 0, n))
        return put(st, i, OID_TEXT, v, n, 0);
    char *o = malloc(4 * n + 1), *w = o;
    if (!o) {
        PS(st)->bind_rc = RP_NOMEM;
        return RP_STORE;
    }
    for (size_t k = 0; k < n;) {
        uint32_t cp;
        int l = v[k] ? rp_utf8_decode(v + k, n - k, &cp) : -1;
        if (l > 0) {
            memcpy(w, v + k, (size_t)l);
            w += l, k += (size_t)l;
        } else {
            w += sprintf(w, "\\x%02x", (unsigned char)v[k++]);
        }
    }
    int rc = put(st, i, OID_TEXT, o, (size_t)(w - o), 0);
    free(o);
    return rc;
}
static int pg_bind_blob(rp_stmt *st, int i, const void *v, size_t n) { return put(st, i, OID_BYTEA, v, n, 1); }
static int pg_bind_null(rp_stmt *st, int i) { return put(st, i, 0, NULL, 0, 0); }

/* Prepared on the server with the types bound so far (a NULL's type left to the server; if nothing says
 * it, as in `$1 IS NULL`, text), under a savepoint of its own so that a failure leaves a transaction
 * usable. */
static int prepare_now(pg_store *s, pg_stmt *st, rp_error *err)
{
    int rc = alive(s, err);
    if (rc)
        return rc;
    int guarded = guard(s);
    s->sql = st->sql;
    snprintf(st->name, sizeof st->name, "rp%d", ++s->next_name);
    PGresult *r = PQprepare(s->conn, st->name, st->sql, st->nparams, (const Oid *)st->types);
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (state && (!strcmp(state, "42P18") || !strcmp(state, "42P08"))) { /* indeterminate, ambiguous */
        PQclear(r);
        unguard(s, guarded, 0);
        guarded = guard(s);
        for (int i = 0; i < st->nparams; i++)
            if (!st->types[i])
                st->types[i] = OID_TEXT;
        r = PQprepare(s->conn, st->name, st->sql, st->nparams, (const Oid *)st->types);
    }
    int ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
    rc = ok ? RP_OK : map_result(s, r, err);
    PQclear(r);
    unguard(s, guarded, ok);
    if (rc) {
        st->name[0] = 0;
        return rc;
    }
    memcpy(st->prepared_types, st->types, sizeof st->types);
    return RP_OK;
}

/* Run it: prepared with the types of its first binding; bound otherwise, unprepared. */
/* The statement sent: prepared, or with its parameters' types when bound otherwise. */
static int send_stmt(pg_store *s, pg_stmt *st, int same)
{
    const char *const *vals = (const char *const *)st->vals;
    return same ? PQsendQueryPrepared(s->conn, st->name, st->nparams, vals, st->lens, st->fmts, 0)
                : PQsendQueryParams(s->conn, st->sql, st->nparams, (const Oid *)st->types, vals, st->lens, st->fmts, 0);
}

/* In a transaction the statement runs under a savepoint of its own, so that its failure takes back only
 * itself, as on SQLite: SAVEPOINT, the statement and RELEASE go as one pipeline (one round trip); a
 * failure aborts the RELEASE, and ROLLBACK TO takes the statement back. */
static PGresult *exec_guarded(pg_store *s, pg_stmt *st, int same)
{
    if (s->base.depth <= 0 || !PQenterPipelineMode(s->conn)) {
        int g = guard(s);
        const char *const *vals = (const char *const *)st->vals;
        PGresult *r = same ? PQexecPrepared(s->conn, st->name, st->nparams, vals, st->lens, st->fmts, 0)
                           : PQexecParams(s->conn, st->sql, st->nparams, (const Oid *)st->types, vals, st->lens,
                                          st->fmts, 0);
        ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        unguard(s, g, t == PGRES_TUPLES_OK || t == PGRES_COMMAND_OK);
        return r;
    }
    /* whatever was sent (a send may fail: a value too big for the protocol) is ended by the sync and read
     * whole: query 0 the SAVEPOINT, 1 the statement, 2 the RELEASE, each ended by a NULL */
    int k = 0, sent = 1; /* the inner levels' commands waiting go first: queries 0 .. k-1 */
    for (; k < s->npend && sent; k++)
        sent = PQsendQueryParams(s->conn, s->pend[k], 0, NULL, NULL, NULL, NULL, 0);
    s->npend = 0;
    (void)(sent && PQsendQueryParams(s->conn, "SAVEPOINT rp_stmt", 0, NULL, NULL, NULL, NULL, 0) &&
           send_stmt(s, st, same) && PQsendQueryParams(s->conn, "RELEASE SAVEPOINT rp_stmt", 0, NULL, NULL, NULL, NULL, 0));
    PGresult *r = NULL, *x;
    if (PQpipelineSync(s->conn))
        for (int q = -k, nulls = 0; nulls < 4;) {
            if (!(x = PQgetResult(s->conn))) { /* a query's end (only NULLs once the connection is gone) */
                q++, nulls++;
                continue;
            }
            nulls = 0;
            ExecStatusType xt = PQresultStatus(x);
            if (xt == PGRES_PIPELINE_SYNC) {
                PQclear(x);
                break;
            }
            if ((q == 1 && !r) || (q < 0 && xt == PGRES_FATAL_ERROR && !r)) { /* the statement's, or a waiting one failed */
                r = x;
            } else if (q == 2 && xt == PGRES_FATAL_ERROR && r) { /* the RELEASE failed: so did the statement */
                PQclear(r);
                r = x;
            } else {
                PQclear(x);
            }
        }
    if (!PQexitPipelineMode(s->conn)) { /* results still pending: the connection cannot be trusted */
        while ((x = PQgetResult(s->conn)))
            PQclear(x);
        if (!PQexitPipelineMode(s->conn)) { /* made again: the transaction is gone with the old one */
            PQclear(r);
            if (s->base.depth > 0)
                s->lost = 1;
            reconnect(s);
            return NULL;
        }
    }
    ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK && PQstatus(s->conn) == CONNECTION_OK)
        unguard(s, 1, 0); /* the savepoint the pipeline made: the statement taken back */
    return r;
}

#define STREAM_ROWS 10000

/* The next STREAM_ROWS rows of the statement's cursor. */
static int fetch(pg_store *s, pg_stmt *st, rp_error *err)
{
    int rc = st->on_reader ? RP_OK : alive(s, err);
    if (rc)
        return rc;
    char sql[64];
    snprintf(sql, sizeof sql, "FETCH %d FROM %s", STREAM_ROWS, st->cursor);
    int g = st->on_reader ? 0 : guard(s);
    PGresult *r = PQexec(st->on_reader ? s->reader : s->conn, sql);
    int ok = r && PQresultStatus(r) == PGRES_TUPLES_OK;
    unguard(s, g, ok);
    if (!ok) {
        rc = map_result(s, r, err);
        PQclear(r);
        return rc;
    }
    PQclear(st->res);
    PQfreemem(st->blob); /* of the rows before */
    st->blob = NULL;
    st->res = r;
    st->row = -1;
    st->nrows = PQntuples(r);
    return RP_OK;
}

/* Outside a transaction a stream reads on a connection of its own, in a read-only snapshot that lasts while
 * any stream is open there: its cursor is neither a transaction's (there is none) nor WITH HOLD (the server
 * would compute the whole result before the first row), and the caller's statements between its rows go
 * on the main connection as they would (a 10M-row scan and the writes of what it found).  The reader is
 * opened on first need and kept. */
static int reader_begin(pg_store *s, rp_error *err)
{
    char line[512];
    if (s->reader && PQstatus(s->reader) != CONNECTION_OK) {
        PQfinish(s->reader);
        s->reader = NULL, s->readers = 0;
    }
    if (!s->reader) {
        s->reader = PQconnectdb(s->url);
        if (PQstatus(s->reader) != CONNECTION_OK) {
            int rc = rp_err(err, RP_UNAVAILABLE, "%s: PostgreSQL cannot be reached: %s", s->where,
                            conn_message(s->reader, line, sizeof line));
            PQfinish(s->reader);
            s->reader = NULL;
            return rc;
        }
        PQclear(PQexec(s->reader, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; SET client_min_messages = warning"));
    }
    if (s->readers++ == 0) {
        PGresult *r = PQexec(s->reader, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        int ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
        if (!ok) {
            s->readers--;
            return rp_err(err, RP_UNAVAILABLE, "%s: %s", s->where, conn_message(s->reader, line, sizeof line));
        }
    }
    return RP_OK;
}

static void reader_end(pg_store *s)
{
    if (s->reader && s->readers > 0 && --s->readers == 0)
        PQclear(PQexec(s->reader, "COMMIT"));
}

/* A streamed statement: its cursor declared (in the caller's transaction, or the reader's), its first rows
 * fetched. */
static int open_cursor(pg_store *s, pg_stmt *st, rp_error *err)
{
    size_t n = strlen(st->sql) + 80;
    char *sql = malloc(n);
    if (!sql)
        return rp_err(err, RP_NOMEM, NULL);
    int rc;
    st->on_reader = s->base.depth == 0;
    if (st->on_reader && (rc = reader_begin(s, err))) {
        free(sql);
        st->on_reader = 0;
        return rc;
    }
    snprintf(st->cursor, sizeof st->cursor, "rpc%d", ++s->next_name);
    snprintf(sql, n, "DECLARE %s NO SCROLL CURSOR FOR %s", st->cursor, st->sql);
    s->sql = st->sql;
    int g = st->on_reader ? 0 : guard(s);
    PGresult *r = PQexecParams(st->on_reader ? s->reader : s->conn, sql, st->nparams, (const Oid *)st->types,
                               (const char *const *)st->vals, st->lens, st->fmts, 0);
    free(sql);
    int ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
    unguard(s, g, ok);
    rc = ok ? RP_OK : map_result(s, r, err);
    PQclear(r);
    if (rc) {
        st->cursor[0] = 0;
        if (st->on_reader) {
            PQclear(PQexec(s->reader, "ROLLBACK"));
            s->readers = 0;
            st->on_reader = 0;
        }
        return rc;
    }
    return fetch(s, st, err);
}

static int pg_readonly(rp_stmt *st);

static int run(pg_store *s, pg_stmt *st, rp_error *err)
{
    int rc = alive(s, err);
    if (rc)
        return rc;
    if (st->stream)
        return open_cursor(s, st, err);
    if (!st->name[0] && (rc = prepare_now(s, st, err)))
        return rc;
    int same = 1;
    s->sql = st->sql;
    for (int i = 0; i < st->nparams; i++)
        same = same && (!st->types[i] || st->types[i] == st->prepared_types[i]);
    PGresult *r = exec_guarded(s, st, same);
    ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK && PQstatus(s->conn) == CONNECTION_BAD && s->base.depth == 0 &&
        pg_readonly(&st->base) && reconnect(s)) {
        /* a read outside a transaction, the connection lost (a server restarted, a failover): once more on the
         * connection made again; a change is not, as it may have been made */
        PQclear(r);
        st->name[0] = 0;
        if ((rc = prepare_now(s, st, err)))
            return rc;
        r = exec_guarded(s, st, 1);
        t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    }
    if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK) {
        rc = map_result(s, r, err);
        PQclear(r);
        return rc;
    }
    st->res = r;
    st->row = -1;
    st->nrows = t == PGRES_TUPLES_OK ? PQntuples(r) : 0;
    s->changes = atoll(PQcmdTuples(r));
    return RP_OK;
}

static int pg_step(rp_stmt *st_, rp_error *err)
{
    pg_stmt *st = PS(st_);
    if (st->bind_rc == RP_NOMEM)
        return rp_err(err, RP_NOMEM, NULL);
    if (st->bind_rc)
        return rp_err(err, RP_STORE, "binding a parameter failed: no parameter of that number");
    if (!st->res) {
        int rc = run(PG(st_->store), st, err);
        if (rc)
            return rc;
    }
    if (++st->row < st->nrows)
        return RP_ROW;
    if (!st->cursor[0] || st->nrows < STREAM_ROWS)
        return RP_DONE;
    int rc = fetch(PG(st_->store), st, err); /* the cursor's next rows */
    if (rc)
        return rc;
    return ++st->row < st->nrows ? RP_ROW : RP_DONE;
}

/* The columns: of the result, or, before it runs, of the prepared statement (SQLite knows them then). */
static PGresult *columns(rp_stmt *st_)
{
    pg_stmt *st = PS(st_);
    if (st->res)
        return st->res;
    if (!st->name[0]) { /* bound, not yet run: prepared now with what is bound (a failure is the run's to tell) */
        rp_error ignored = {0};
        if (prepare_now(PG(st_->store), st, &ignored))
            return NULL;
    }
    if (!st->desc)
        st->desc = PQdescribePrepared(PG(st_->store)->conn, st->name);
    return st->desc && PQresultStatus(st->desc) == PGRES_COMMAND_OK ? st->desc : NULL;
}

static int pg_column_count(rp_stmt *st) { return columns(st) ? PQnfields(columns(st)) : 0; }
static const char *pg_column_name(rp_stmt *st, int i) { return columns(st) ? PQfname(columns(st), i) : NULL; }

static int here(rp_stmt *st_, int i)
{
    pg_stmt *st = PS(st_);
    return st->res && st->row >= 0 && st->row < st->nrows && i >= 0 && i < PQnfields(st->res) &&
           !PQgetisnull(st->res, st->row, i);
}

static rp_coltype pg_column_type(rp_stmt *st_, int i)
{
    if (!here(st_, i))
        return RP_COL_NULL;
    pg_stmt *st = PS(st_);
    switch (PQftype(st->res, i)) {
    case OID_INT2: case OID_INT4: case OID_INT8: case OID_OID: case OID_BOOL: return RP_COL_INT;
    case OID_FLOAT4: case OID_FLOAT8: return RP_COL_REAL;
    case OID_NUMERIC: return strpbrk(PQgetvalue(st->res, st->row, i), ".eEN") ? RP_COL_REAL : RP_COL_INT;
    case OID_BYTEA: return RP_COL_BLOB;
    default: return RP_COL_TEXT;
    }
}

static int64_t pg_column_int(rp_stmt *st_, int i)
{
    if (!here(st_, i))
        return 0;
    const char *v = PQgetvalue(PS(st_)->res, PS(st_)->row, i);
    if (PQftype(PS(st_)->res, i) == OID_BOOL)
        return *v == 't';
    return strchr(v, '.') ? (int64_t)strtod(v, NULL) : strtoll(v, NULL, 10);
}

static double pg_column_real(rp_stmt *st_, int i)
{
    if (!here(st_, i))
        return 0;
    const char *v = PQgetvalue(PS(st_)->res, PS(st_)->row, i);
    return PQftype(PS(st_)->res, i) == OID_BOOL ? (*v == 't') : strtod(v, NULL);
}

static const char *pg_column_text(rp_stmt *st_, int i)
{
    if (!here(st_, i))
        return NULL;
    const char *v = PQgetvalue(PS(st_)->res, PS(st_)->row, i);
    if (PQftype(PS(st_)->res, i) == OID_BOOL)
        return *v == 't' ? "1" : "0";
    return v;
}

static const void *pg_column_blob(rp_stmt *st_, int i)
{
    pg_stmt *st = PS(st_);
    if (!here(st_, i))
        return NULL;
    const char *v = PQgetvalue(st->res, st->row, i);
    if (PQftype(st->res, i) != OID_BYTEA) {
        st->blob_len = strlen(v);
        return v;
    }
    /* decoded once: the pointer holds while the row does, whatever is asked between (blob, then bytes) */
    if (st->blob && st->blob_row == st->row && st->blob_col == i && st->blob_res == st->res)
        return st->blob;
    PQfreemem(st->blob);
    st->blob = PQunescapeBytea((const unsigned char *)v, &st->blob_len);
    st->blob_row = st->row, st->blob_col = i, st->blob_res = st->res;
    return st->blob;
}

static size_t pg_column_bytes(rp_stmt *st_, int i)
{
    if (!here(st_, i))
        return 0;
    if (PQftype(PS(st_)->res, i) == OID_BYTEA) {
        pg_column_blob(st_, i);
        return PS(st_)->blob_len;
    }
    return (size_t)PQgetlength(PS(st_)->res, PS(st_)->row, i);
}

/* A statement that only reads: what it begins with. */
static int pg_readonly(rp_stmt *st)
{
    const char *p = PS(st)->sql;
    while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '(' || *p == '\r')
        p++;
    static const char *const reads[] = { "SELECT", "WITH", "VALUES", "EXPLAIN", "SHOW", "TABLE", NULL };
    for (int k = 0; reads[k]; k++)
        if (!strncasecmp(p, reads[k], strlen(reads[k])))
            return !strcasestr(p, "INSERT ") && !strcasestr(p, "UPDATE ") && !strcasestr(p, "DELETE ");
    return 0;
}

static void pg_done(rp_stmt *st_)
{
    pg_stmt *st = PS(st_);
    if (st->cursor[0]) { /* closed, whatever became of it: the reader's snapshot ends with its last */
        char sql[48];
        snprintf(sql, sizeof sql, "CLOSE %s", st->cursor);
        pg_store *s = PG(st_->store);
        if (st->on_reader) {
            PQclear(PQexec(s->reader, sql));
            reader_end(s);
        } else {
            int g = guard(s);
            PGresult *r = PQexec(s->conn, sql);
            unguard(s, g, r && PQresultStatus(r) == PGRES_COMMAND_OK);
            PQclear(r);
        }
        st->cursor[0] = 0;
        st->on_reader = 0;
    }
    PQclear(st->res);
    st->res = NULL;
    st->row = -1, st->nrows = 0;
    if (!st->cached) {
        PQclear(st->desc);
        st->desc = NULL;
    }
    PQfreemem(st->blob);
    st->blob = NULL;
    for (int i = 0; i < st->nparams; i++) {
        free(st->vals[i]);
        st->vals[i] = NULL;
        st->types[i] = 0;
    }
    if (st->cached) {
        st->in_use = 0;
        st->bind_rc = 0;
        return;
    }
    if (st->name[0]) {
        char sql[48];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
        PQclear(PQexec(PG(st_->store)->conn, sql));
    }
    if (PG(st_->store)->sql == st->sql)
        PG(st_->store)->sql = NULL;
    free(st->sql);
    free(st);
}

/* ---- transactions ---- */

static int pg_begin(rp_store *s_, int readonly, rp_error *err)
{
    char sql[64];
    int d = s_->depth;
    if (d > 0) { /* sent with the next statement */
        if (PG(s_)->lost)
            return alive(PG(s_), err);
        pend(PG(s_), "SAVEPOINT", d);
        s_->depth++;
        return RP_OK;
    }
    PG(s_)->npend = 0;
    snprintf(sql, sizeof sql, "%s", readonly == 1   ? "BEGIN READ ONLY"
                                     : readonly == 2 ? "BEGIN ISOLATION LEVEL REPEATABLE READ"
                                                     : "BEGIN");
    int rc = raw_exec(s_, sql, err);
    if (!rc)
        s_->depth++;
    return rc;
}

static int pg_rollback(rp_store *s_)
{
    if (s_->depth <= 0)
        return RP_OK;
    if (PG(s_)->lost) { /* the server rolled it back when the connection went */
        if (--s_->depth == 0)
            PG(s_)->lost = 0;
        PG(s_)->nlocks = 0;
        return RP_OK;
    }
    char sql[96];
    if (s_->depth > 1 && unpend(PG(s_), s_->depth - 1)) { /* nothing ran in it: nothing to take back */
        s_->depth--;
        return RP_OK;
    }
    if (s_->depth == 1) {
        PG(s_)->npend = 0;
        snprintf(sql, sizeof sql, "ROLLBACK");
    } else {
        snprintf(sql, sizeof sql, "ROLLBACK TO rp%d; RELEASE rp%d", s_->depth - 1, s_->depth - 1);
    }
    int rc = raw_exec(s_, sql, NULL);
    s_->depth--;
    PG(s_)->nlocks = 0; /* a savepoint rolled back gives up the locks taken in it: asked again */
    return rc;
}

static int pg_commit(rp_store *s_, rp_error *err)
{
    if (s_->depth <= 0)
        return rp_err(err, RP_INTERNAL, "commit without a transaction");
    if (PG(s_)->lost) { /* nothing of it was written: an inner level stays open, to be rolled back */
        int rc = rp_err(err, RP_UNAVAILABLE, "%s: the connection to PostgreSQL was lost in this transaction: "
                        "nothing of it was written; try again", PG(s_)->where);
        if (s_->depth == 1)
            s_->depth = 0, PG(s_)->lost = 0, PG(s_)->nlocks = 0;
        return rc;
    }
    char sql[64];
    if (s_->depth > 1) { /* sent with the next statement (nothing, when nothing ran in it) */
        if (!unpend(PG(s_), s_->depth - 1))
            pend(PG(s_), "RELEASE", s_->depth - 1);
        s_->depth--;
        return RP_OK;
    }
    PG(s_)->npend = 0; /* a COMMIT ends every level */
    snprintf(sql, sizeof sql, "COMMIT");
    PG(s_)->sql = NULL;
    PGresult *r = PQexec(PG(s_)->conn, sql);
    /* a COMMIT of a transaction that failed answers ROLLBACK: nothing was written */
    int ok = r && PQresultStatus(r) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(r), "ROLLBACK");
    int rc = ok ? RP_OK
                : r && PQresultStatus(r) == PGRES_COMMAND_OK
                      ? rp_err(err, RP_BUSY, "%s: the transaction failed and was rolled back", PG(s_)->where)
                      : map_result(PG(s_), r, err);
    PQclear(r);
    if (!rc || s_->depth == 1) {
        if (rc && PQtransactionStatus(PG(s_)->conn) != PQTRANS_IDLE)
            PQclear(PQexec(PG(s_)->conn, "ROLLBACK"));
        s_->depth--;
    }
    if (s_->depth == 0)
        PG(s_)->nlocks = 0;
    return rc;
}

static int64_t pg_changes(rp_store *s_) { return PG(s_)->changes; }

/* What other connections have written since: the write-ahead log's position (bytes). */
static int pg_data_version(rp_store *s_, int64_t *v, rp_error *err)
{
    rp_stmt *st;
    int rc = pg_prepare(s_, "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint", 1, &st, err);
    if (rc)
        return rc;
    if ((rc = pg_step(st, err)) == RP_ROW)
        *v = pg_column_int(st, 0), rc = RP_OK;
    pg_done(st);
    return rc;
}

/* SQLite's bulk mode and load tuning have no counterpart: loads go through COPY (etl) */
static int pg_bulk(rp_store *s_, int on, int *active, rp_error *err)
{
    (void)s_, (void)on, (void)err;
    if (active)
        *active = 0;
    return RP_OK;
}

static int pg_load_tuning(rp_store *s_, int on, int appends, rp_error *err)
{
    (void)s_, (void)on, (void)appends, (void)err;
    return RP_OK;
}

/* The tables much changed since their statistics were taken, analyzed (0036's store_analyze: the
 * owner's, as ANALYZE wants the owner). */
static int pg_optimize(rp_store *s_, int *tables, rp_error *err)
{
    int64_t n = 0;
    /* this connection's own counts of changed rows, sent to the server's statistics as it goes idle after the
     * first statement (they are sent at most once a second otherwise: a load's last second would be missed) */
    int rc = rp_store_query_int(s_, "SELECT count(pg_stat_force_next_flush())", &n, err);
    if (!rc)
        rc = rp_store_query_int(s_, "SELECT store_analyze()", &n, err);
    if (!rc && tables)
        *tables = (int)n;
    return rc;
}

/* COPY target FROM STDIN: the data sent in pieces of at most 1 MB, under a savepoint in a transaction.
 * The server names the line of a row it refuses (its CONTEXT). */
static int pg_copy_in(rp_store *s_, const char *target, const char *data, size_t len, rp_error *err)
{
    pg_store *s = PG(s_);
    char sql[512];
    if (snprintf(sql, sizeof sql, "COPY %s FROM STDIN", target) >= (int)sizeof sql)
        return rp_err(err, RP_INVAL, "COPY: the target is too long");
    int g = guard(s);
    s->sql = NULL;
    PGresult *r = PQexec(s->conn, sql);
    int rc = RP_OK;
    if (!r || PQresultStatus(r) != PGRES_COPY_IN) {
        rc = map_result(s, r, err);
        PQclear(r);
        unguard(s, g, 0);
        return rc;
    }
    PQclear(r);
    int sent = 1;
    for (size_t at = 0; at < len && sent;) {
        size_t n = len - at < ((size_t)1 << 20) ? len - at : (size_t)1 << 20;
        sent = PQputCopyData(s->conn, data + at, (int)n) == 1;
        at += n;
    }
    sent = PQputCopyEnd(s->conn, sent ? NULL : "Rapport stopped sending") == 1 && sent;
    r = PQgetResult(s->conn);
    int ok = sent && r && PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) {
        const char *where = r ? PQresultErrorField(r, PG_DIAG_CONTEXT) : NULL;
        rc = map_result(s, r, err);
        if (where && err)
            rp_err_prefix(err, "%.200s", where);
    } else {
        s->changes = atoll(PQcmdTuples(r));
    }
    PQclear(r);
    while ((r = PQgetResult(s->conn)))
        PQclear(r);
    unguard(s, g, ok);
    return rc;
}

/* pg_advisory_xact_lock of the name's hash (hashtext: the server's own, the same on every server). */
static int pg_lock(rp_store *s_, const char *name, rp_error *err)
{
    pg_store *s = PG(s_);
    uint64_t h = 1469598103934665603ull; /* FNV-1a: the locks this connection holds, asked once */
    for (const char *c = name; *c; c++)
        h = (h ^ (unsigned char)*c) * 1099511628211ull;
    for (int i = 0; i < s->nlocks; i++)
        if (s->locks[i] == h)
            return RP_OK;
    rp_stmt *st;
    int rc = pg_prepare(s_, "SELECT pg_advisory_xact_lock(hashtext(?))", 1, &st, err);
    if (rc)
        return rc;
    pg_bind_text(st, 1, name, strlen(name));
    rc = pg_step(st, err);
    pg_done(st);
    if (rc != RP_ROW && rc != RP_DONE)
        return rc;
    if (s->nlocks < (int)(sizeof s->locks / sizeof s->locks[0]))
        s->locks[s->nlocks++] = h;
    return RP_OK;
}

/* pg_try_advisory_lock / pg_advisory_unlock of the name's hash: the session's, not the transaction's. */
static int pg_hold(rp_store *s_, const char *name, int on, int *held, rp_error *err)
{
    rp_stmt *st;
    int rc = pg_prepare(s_, on ? "SELECT pg_try_advisory_lock(hashtext(?))" : "SELECT pg_advisory_unlock(hashtext(?))",
                        1, &st, err);
    if (rc)
        return rc;
    pg_bind_text(st, 1, name, strlen(name));
    if ((rc = pg_step(st, err)) == RP_ROW)
        *held = (int)pg_column_int(st, 0), rc = RP_OK;
    pg_done(st);
    return rc;
}

/* ---- notices between servers: LISTEN/NOTIFY ---- */

static int pg_listen(rp_store *s_, const char *channel, rp_error *err)
{
    char *q = PQescapeIdentifier(PG(s_)->conn, channel, strlen(channel));
    if (!q)
        return rp_err(err, RP_NOMEM, NULL);
    char sql[300];
    snprintf(sql, sizeof sql, "LISTEN %s", q);
    PQfreemem(q);
    return raw_exec(s_, sql, err);
}

static int pg_notify(rp_store *s_, const char *channel, const char *payload, rp_error *err)
{
    rp_stmt *st;
    int rc = pg_prepare(s_, "SELECT pg_notify(?, ?)", 1, &st, err);
    if (rc)
        return rc;
    pg_bind_text(st, 1, channel, strlen(channel));
    pg_bind_text(st, 2, payload, strlen(payload));
    rc = pg_step(st, err);
    pg_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

static int pg_notices(rp_store *s_, rp_store_notice_fn fn, void *ctx, rp_error *err)
{
    pg_store *s = PG(s_);
    if (!PQconsumeInput(s->conn))
        return rp_err(err, RP_IO, "%s: the connection to PostgreSQL was lost: %s", s->where, PQerrorMessage(s->conn));
    PGnotify *n;
    while ((n = PQnotifies(s->conn))) {
        fn(ctx, n->relname, n->extra);
        PQfreemem(n);
    }
    return RP_OK;
}

static int pg_socket(rp_store *s_) { return PQsocket(PG(s_)->conn); }

/* ---- backup and restore: pg_dump and pg_restore ---- */

/* A tool of PostgreSQL's client run (no shell), its messages to our stderr: 0 when it ended well. */
static int run_tool(char *const argv[], rp_error *err)
{
    pid_t pid;
    extern char **environ;
    int rc = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
    if (rc)
        return rp_err(err, RP_IO, "%s: cannot run it (%s): install PostgreSQL's client (make deps does)", argv[0],
                      strerror(rc));
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return rp_err(err, RP_IO, "%s: %s", argv[0], strerror(errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status))
        return rp_err(err, RP_STORE, "%s failed (exit %d): its messages are above", argv[0],
                      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return RP_OK;
}

static int pg_backup(rp_store *s_, const char *target, const char *file, rp_error *err)
{
    (void)s_;
    if (access(file, F_OK) == 0)
        return rp_err(err, RP_EXISTS, "%s: there is a file of that name already: name another", file);
    char fileopt[1100], dbopt[1200];
    snprintf(fileopt, sizeof fileopt, "--file=%s", file);
    snprintf(dbopt, sizeof dbopt, "--dbname=%s", target);
    char *argv[] = { "pg_dump", "--format=custom", "--no-owner", fileopt, dbopt, NULL };
    int rc = run_tool(argv, err);
    if (rc)
        unlink(file);
    else
        chmod(file, 0600);
    return rc;
}

static int pg_restore(const char *target, const char *file, rp_error *err)
{
    if (access(file, R_OK))
        return rp_err(err, RP_IO, "%s: %s", file, strerror(errno));
    PGconn *c = PQconnectdb(target);
    char line[512];
    if (PQstatus(c) != CONNECTION_OK) {
        int rc = rp_err(err, RP_UNAVAILABLE, "cannot connect to %s: %s", target, conn_message(c, line, sizeof line));
        PQfinish(c);
        return rc;
    }
    PGresult *r = PQexec(c, "SELECT count(*) FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace "
                            "WHERE n.nspname = current_schema() AND k.relkind IN ('r', 'p')");
    long tables = r && PQresultStatus(r) == PGRES_TUPLES_OK ? atol(PQgetvalue(r, 0, 0)) : -1;
    PQclear(r);
    PQfinish(c);
    if (tables)
        return rp_err(err, RP_EXISTS, "%s: the database holds tables already: restore into an empty one (createdb)",
                      target);
    char dbopt[1200];
    snprintf(dbopt, sizeof dbopt, "--dbname=%s", target);
    char *argv[] = { "pg_restore", "--exit-on-error", "--single-transaction", "--no-owner", dbopt, (char *)file, NULL };
    return run_tool(argv, err);
}

const rp_store_ops rp_pg_ops = {
    .name = "postgresql",
    .migrations = rp_pg_migrations,
    .migration_count = &rp_pg_migrations_count,
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .bind_int = pg_bind_int,
    .bind_real = pg_bind_real,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .column_count = pg_column_count,
    .column_name = pg_column_name,
    .column_type = pg_column_type,
    .column_int = pg_column_int,
    .column_real = pg_column_real,
    .column_text = pg_column_text,
    .column_blob = pg_column_blob,
    .column_bytes = pg_column_bytes,
    .readonly = pg_readonly,
    .done = pg_done,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .changes = pg_changes,
    .data_version = pg_data_version,
    .bulk = pg_bulk,
    .load_tuning = pg_load_tuning,
    .copy_in = pg_copy_in,
    .lock = pg_lock,
    .hold = pg_hold,
    .listen = pg_listen,
    .notify = pg_notify,
    .notices = pg_notices,
    .socket = pg_socket,
    .backup = pg_backup,
    .restore = pg_restore,
    .optimize = pg_optimize,
};

int rp_pg_library_version(void) { return PQlibVersion(); }
