/*
 * sqlite.c — the SQLite backend: WAL, foreign keys on, a busy timeout, and
 * a prepared-statement cache keyed by SQL text.
 */
#include "store/store.h"
#include "core/log.h"
#include "core/map.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <unistd.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#define RP_APPLICATION_ID 0x52505254 /* "RPRT" */
#define CACHE_MAX 512
#define BUSY_TIMEOUT_MS 10000
#define SAVEPOINTS 16 /* levels whose statements are prepared (deeper ones are parsed each time) */

extern const rp_migration rp_sqlite_migrations[];
extern const int rp_sqlite_migrations_count;

typedef struct sq_store {
    rp_store base;
    sqlite3 *db;
    rp_map *cache; /* sql -> sq_stmt* */
    char path[1024];
    sqlite3_stmt *begin_st, *commit_st, *rollback_st; /* BEGIN DEFERRED, COMMIT, ROLLBACK: prepared once */
    sqlite3_stmt *writable_st;                         /* PRAGMA query_only=0, after a read-only one */
    sqlite3_stmt *sp[SAVEPOINTS][3];                   /* SAVEPOINT, RELEASE, ROLLBACK TO rpN */
    int plain;     /* the open transaction is one of those */
    int ro;        /* the open transaction is read-only (query_only) */
    int doomed;    /* a level could not be rolled back (its failure): only the whole transaction can */
    int tuned;     /* a load's settings are in force (sq_load_tuning): these were before */
    int64_t saved_autockpt, saved_cache;
} sq_store;

typedef struct sq_stmt {
    rp_stmt base;
    sqlite3_stmt *st;
    int cached, in_use;
    int bind_rc; /* sticky binding error */
    int mid_row; /* the last step gave a row: a writing statement has not ended */
} sq_stmt;

/* Whether a file of the store (the database, its WAL or its rollback journal) is within 64 KB of the
 * largest file this process may write (RLIMIT_FSIZE): SQLite says only "disk I/O error" for a write
 * that met the limit (EFBIG), and the errno it keeps is the last system call's. */
static int at_size_limit(const char *path)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_FSIZE, &rl) || rl.rlim_cur == RLIM_INFINITY)
        return 0;
    static const char *const suffix[] = { "", "-wal", "-journal" };
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char p[1100];
        struct stat st;
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        if (!stat(p, &st) && (uint64_t)st.st_size + 65536 >= (uint64_t)rl.rlim_cur)
            return 1;
    }
    return 0;
}

/* A write that did not fit, said so (RP_FULL), whichever way SQLite reports it: SQLITE_FULL for no
 * space left, a write error for a file size limit (EFBIG) or a quota.  what is the store's path. */
static int io_failure(sqlite3 *db, int rc, rp_error *err, const char *what, const char *msg)
{
    int e = db ? sqlite3_system_errno(db) : 0;
    if (e == EFBIG || ((rc & 0xff) != SQLITE_CANTOPEN && at_size_limit(what)))
        return rp_err(err, RP_FULL, "%s: the store may not grow: the file has reached the size limit of this "
                      "process (%s); nothing of the work in hand was written", what, strerror(EFBIG));
    if (e == ENOSPC || e == EDQUOT || (rc & 0xff) == SQLITE_FULL)
        return rp_err(err, RP_FULL, "%s: the disk is full (%s); nothing of the work in hand was written", what,
                      strerror(e == EDQUOT ? EDQUOT : ENOSPC));
    if (rc == SQLITE_IOERR_NOMEM)
        return rp_err(err, RP_NOMEM, NULL);
    return rp_err(err, RP_IO, "%s: %s", what, msg);
}

static int map_rc(sqlite3 *db, int rc, rp_error *err, const char *what)
{
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT: return rp_err(err, RP_CONSTRAINT, "%s", msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return rp_err(err, RP_BUSY, "%s: database is busy", what);
    case SQLITE_NOMEM: return rp_err(err, RP_NOMEM, NULL);
    case SQLITE_READONLY: return rp_err(err, RP_READONLY, "%s: %s", what, msg);
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN: return io_failure(db, rc, err, what, msg);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT: return rp_err(err, RP_STORE, "%s: not a Rapport store (%s)", what, msg);
    default: return rp_err(err, RP_STORE, "%s", msg);
    }
}

static void sq_close(rp_store *s_)
{
    sq_store *s = (sq_store *)s_;
    if (!s)
        return;
    sqlite3_finalize(s->begin_st);
    sqlite3_finalize(s->commit_st);
    sqlite3_finalize(s->rollback_st);
    sqlite3_finalize(s->writable_st);
    for (int d = 0; d < SAVEPOINTS; d++)
        for (int k = 0; k < 3; k++)
            sqlite3_finalize(s->sp[d][k]);
    if (s->cache) {
        size_t it = 0;
        void *v;
        while (rp_map_next(s->cache, &it, NULL, NULL, &v)) {
            sq_stmt *st = v;
            sqlite3_finalize(st->st);
            free(st);
        }
        rp_map_free(s->cache, NULL);
    }
    sqlite3_close(s->db);
    free(s);
}

static int sq_exec(rp_store *s_, const char *sql, rp_error *err)
{
    sq_store *s = (sq_store *)s_;
    char *msg = NULL;
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        int r = map_rc(s->db, rc, err, s->path);
        if (msg && err && r == RP_STORE)
            rp_err(err, RP_STORE, "%s", msg);
        sqlite3_free(msg);
        return r;
    }
    return RP_OK;
}

static int pragma_int(sq_store *s, const char *sql, int *out)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Once per process, before the first connection: no memory statistics.
 * With them on, every allocation of every connection takes one global
 * mutex, and the API server's threads queue on it (futex waits). */
static pthread_once_t sq_once = PTHREAD_ONCE_INIT;
static void sq_configure(void)
{
    if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK) {
        /* already initialised by someone else: harmless, only slower */
    }
}

static int sq_open(const char *path, int flags, rp_store **out, rp_error *err)
{
    pthread_once(&sq_once, sq_configure);
    sq_store *s = calloc(1, sizeof *s);
    if (!s)
        return rp_err(err, RP_NOMEM, NULL);
    s->base.ops = &rp_sqlite_ops;
    snprintf(s->path, sizeof s->path, "%s", path);
    s->cache = rp_map_new();
    if (!s->cache) {
        free(s);
        return rp_err(err, RP_NOMEM, NULL);
    }
    int oflags = (flags & RP_STORE_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (flags & RP_STORE_CREATE)
        oflags |= SQLITE_OPEN_CREATE;
    oflags |= SQLITE_OPEN_NOMUTEX;
    /* A new store is its owner's alone (0600), whatever the umask: SQLite
     * gives its -wal and -shm files the database file's permissions. */
    if ((flags & RP_STORE_CREATE) && strcmp(path, ":memory:") != 0) {
        int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0)
            close(fd);
    }
    int rc = sqlite3_open_v2(path, &s->db, oflags, NULL);
    if (rc != SQLITE_OK) {
        if (rc == SQLITE_CANTOPEN && !(flags & RP_STORE_CREATE))
            rc = rp_err(err, RP_NOTFOUND, "%s: no such store: run 'rapport init'", path);
        else
            rc = rp_err(err, RP_IO, "%s: cannot open: %s", path,
                        s->db ? sqlite3_errmsg(s->db) : "out of memory");
        sq_close(&s->base);
        return rc;
    }
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(s->db, 1);
    int app = 0, tables = 0;
    rc = pragma_int(s, "PRAGMA application_id", &app);
    if (rc == SQLITE_OK)
        rc = pragma_int(s, "SELECT count(*) FROM sqlite_schema", &tables);
    if (rc != SQLITE_OK) {
        rc = map_rc(s->db, rc, err, path);
        sq_close(&s->base);
        return rc;
    }
    if (app != RP_APPLICATION_ID && tables > 0) {
        sq_close(&s->base);
        return rp_err(err, RP_STORE, "%s: not a Rapport store (a SQLite database of another program)",
                      path);
    }
    /* A page cache of 256 MB at most (allocated as used): loads insert into
     * several indexes at random places, and SQLite's default 2 MB cache would
     * turn every insert into reads and writes of the file. */
    const char *setup = (flags & RP_STORE_READONLY)
                            ? "PRAGMA foreign_keys=ON; PRAGMA cache_size=-262144;"
                            : "PRAGMA synchronous=NORMAL; "
                              "PRAGMA foreign_keys=ON; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;";
    if (!(flags & RP_STORE_READONLY)) {
        /* WAL, which the file keeps.  When another connection writes the store in bulk (sq_bulk)
         * the switch is busy: at once, not after the timeout, and this connection goes on in the
         * rollback journal beside it; SQLite moves it to WAL when the file says WAL again. */
        rp_error e;
        rp_err_clear(&e);
        sqlite3_busy_timeout(s->db, 0);
        rc = sq_exec(&s->base, "PRAGMA journal_mode=WAL", &e);
        sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
        if (rc && rc != RP_BUSY) {
            sq_close(&s->base);
            return rp_err(err, rc, "%s", rp_errmsg(&e));
        }
        rc = RP_OK;
    }
    if ((rc = sq_exec(&s->base, setup, err))) {
        sq_close(&s->base);
        return rc;
    }
    if (app != RP_APPLICATION_ID && !(flags & RP_STORE_READONLY) && (flags & RP_STORE_MIGRATE)) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA application_id=%d", RP_APPLICATION_ID);
        if ((rc = sq_exec(&s->base, sql, err))) {
            sq_close(&s->base);
            return rc;
        }
    }
    *out = &s->base;
    return RP_OK;
}

static int sq_prepare(rp_store *s_, const char *sql, int cached, rp_stmt **out, rp_error *err)
{
    if (cached == RP_PREPARE_STREAM) /* SQLite reads row by row anyway */
        cached = 0;
    sq_store *s = (sq_store *)s_;
    size_t n = strlen(sql);
    if (cached) {
        sq_stmt *c = rp_map_get(s->cache, sql, n);
        if (c && !c->in_use) {
            c->in_use = 1;
            c->bind_rc = SQLITE_OK;
            *out = &c->base;
            return RP_OK;
        }
        if (c || rp_map_len(s->cache) >= CACHE_MAX)
            cached = 0; /* in use (re-entrant) or cache full: a one-off */
    }
    sq_stmt *st = calloc(1, sizeof *st);
    if (!st)
        return rp_err(err, RP_NOMEM, NULL);
    st->base.store = s_;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v3(s->db, sql, (int)n + 1, cached ? SQLITE_PREPARE_PERSISTENT : 0,
                                &st->st, &tail);
    if (rc != SQLITE_OK) {
        rc = map_rc(s->db, rc, err, s->path);
        free(st);
        return rc;
    }
    if (!st->st) {
        free(st);
        return rp_err(err, RP_INVAL, "empty SQL statement");
    }
    while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r' || *tail == ';'))
        tail++;
    if (tail && *tail) {
        sqlite3_finalize(st->st);
        free(st);
        return rp_err(err, RP_INVAL, "only one SQL statement is allowed");
    }
    st->cached = cached;
    st->in_use = 1;
    if (cached && rp_map_put(s->cache, sql, n, st, NULL)) {
        sqlite3_finalize(st->st);
        free(st);
        return rp_err(err, RP_NOMEM, NULL);
    }
    *out = &st->base;
    return RP_OK;
}

#define SQ(st_) ((sq_stmt *)(st_))
#define BIND(expr)                              \
    do {                                        \
        int brc_ = (expr);                      \
        if (brc_ != SQLITE_OK && !SQ(st)->bind_rc) \
            SQ(st)->bind_rc = brc_;             \
        return brc_ == SQLITE_OK ? RP_OK : RP_STORE; \
    } while (0)

static int sq_bind_int(rp_stmt *st, int i, int64_t v) { BIND(sqlite3_bind_int64(SQ(st)->st, i, v)); }
static int sq_bind_real(rp_stmt *st, int i, double v) { BIND(sqlite3_bind_double(SQ(st)->st, i, v)); }
static int sq_bind_text(rp_stmt *st, int i, const char *v, size_t n)
{
    BIND(sqlite3_bind_text64(SQ(st)->st, i, v, n, SQLITE_TRANSIENT, SQLITE_UTF8));
}
static int sq_bind_blob(rp_stmt *st, int i, const void *v, size_t n)
{
    BIND(sqlite3_bind_blob64(SQ(st)->st, i, v, n, SQLITE_TRANSIENT));
}
static int sq_bind_null(rp_stmt *st, int i) { BIND(sqlite3_bind_null(SQ(st)->st, i)); }

static int doomed(sq_store *s, rp_error *err);

static int sq_step(rp_stmt *st, rp_error *err)
{
    sq_store *s = (sq_store *)st->store;
    /* A transaction SQLite rolled back by itself (memory ran out in a ROLLBACK TO or a RELEASE), or
     * one a level of which could not be taken back: a statement now would run on its own and be
     * committed at once, outside the transaction its caller thinks it is in (tests/faults found a
     * reject kept of a batch that failed).  Nothing more runs until the outermost rollback. */
    if (st->store->depth > 0 && !s->doomed && sqlite3_get_autocommit(s->db))
        s->doomed = RP_NOMEM;
    if (st->store->depth > 0 && s->doomed)
        return doomed(s, err);
    int b = SQ(st)->bind_rc;
    if (b == SQLITE_NOMEM) /* the value was to be copied */
        return rp_err(err, RP_NOMEM, NULL);
    if (b == SQLITE_TOOBIG)
        return rp_err(err, RP_TOOBIG, "%s: a value is larger than the store takes", s->path);
    if (b)
        return rp_err(err, RP_STORE, "binding a parameter failed: %s", sqlite3_errstr(b));
    int rc = sqlite3_step(SQ(st)->st);
    SQ(st)->mid_row = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW)
        return RP_ROW;
    if (rc == SQLITE_DONE)
        return RP_DONE;
    return map_rc(s->db, rc, err, s->path);
}

static int sq_column_count(rp_stmt *st) { return sqlite3_column_count(SQ(st)->st); }
static const char *sq_column_name(rp_stmt *st, int i) { return sqlite3_column_name(SQ(st)->st, i); }
static rp_coltype sq_column_type(rp_stmt *st, int i)
{
    switch (sqlite3_column_type(SQ(st)->st, i)) {
    case SQLITE_INTEGER: return RP_COL_INT;
    case SQLITE_FLOAT: return RP_COL_REAL;
    case SQLITE_TEXT: return RP_COL_TEXT;
    case SQLITE_BLOB: return RP_COL_BLOB;
    default: return RP_COL_NULL;
    }
}
static int64_t sq_column_int(rp_stmt *st, int i) { return sqlite3_column_int64(SQ(st)->st, i); }
static double sq_column_real(rp_stmt *st, int i) { return sqlite3_column_double(SQ(st)->st, i); }
static const char *sq_column_text(rp_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(SQ(st)->st, i);
}
static const void *sq_column_blob(rp_stmt *st, int i) { return sqlite3_column_blob(SQ(st)->st, i); }
static size_t sq_column_bytes(rp_stmt *st, int i) { return (size_t)sqlite3_column_bytes(SQ(st)->st, i); }
static int sq_readonly(rp_stmt *st) { return sqlite3_stmt_readonly(SQ(st)->st); }

static void sq_done(rp_stmt *st_)
{
    sq_stmt *st = SQ(st_);
    /* a writing statement given back after its row ends here, and outside a transaction commits
     * here: what fails now is lost to the caller, who should have called rp_stmt_finish (store.h) */
    if (st->mid_row && !sqlite3_stmt_readonly(st->st)) {
        int rc = sqlite3_reset(st->st);
        if (rc != SQLITE_OK)
            rp_log(RP_LOG_ERROR, "%s: a change given back before its end was not made: %s",
                   ((sq_store *)st_->store)->path, sqlite3_errstr(rc));
    }
    st->mid_row = 0;
    if (st->cached) {
        sqlite3_reset(st->st);
        sqlite3_clear_bindings(st->st);
        st->in_use = 0;
        st->bind_rc = SQLITE_OK;
    } else {
        sqlite3_finalize(st->st);
        free(st);
    }
}

/* Statements of transactions, prepared once: ending a transaction or a level of one then parses
 * nothing and asks for no memory.  A COMMIT or a RELEASE parsed at the end failed when memory ran
 * out, and a level left open under a caller that had gone on nested every later one (tests/faults). */
static int prepare_once(sq_store *s, sqlite3_stmt **st, const char *sql, rp_error *err)
{
    int rc;
    if (!*st && (rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL)) != SQLITE_OK) {
        *st = NULL;
        return map_rc(s->db, rc, err, s->path);
    }
    return RP_OK;
}

static int step_once(sq_store *s, sqlite3_stmt *st, rp_error *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? RP_OK : map_rc(s->db, rc, err, s->path); /* in Rapport's words, not SQLite's */
}

static int sq_step_once(sq_store *s, sqlite3_stmt **st, const char *sql, rp_error *err)
{
    int rc = prepare_once(s, st, sql, err);
    return rc ? rc : step_once(s, *st, err);
}

/* Level d's SAVEPOINT, RELEASE and ROLLBACK TO, prepared when it is first begun. */
static int savepoint_ready(sq_store *s, int d, rp_error *err)
{
    static const char *const fmt[3] = { "SAVEPOINT rp%d", "RELEASE rp%d", "ROLLBACK TO rp%d" };
    for (int k = 0; k < 3; k++) {
        char sql[48];
        snprintf(sql, sizeof sql, fmt[k], d);
        int rc = prepare_once(s, &s->sp[d][k], sql, err);
        if (rc)
            return rc;
    }
    return RP_OK;
}

/* A transaction a level of which could not be rolled back (ROLLBACK TO needs memory): what it holds is
 * not what its callers think, so it takes no new level and commits nothing; its outermost rollback
 * ends it (tests/faults). */
static int doomed(sq_store *s, rp_error *err)
{
    return rp_err(err, s->doomed, "%s: a part of the work in hand could not be taken back (%s): all of it is given up",
                  s->path, rp_strerror(s->doomed));
}

static int sq_begin(rp_store *s_, int readonly, rp_error *err)
{
    sq_store *s = (sq_store *)s_;
    int rc, d = s_->depth;
    if (d > 0 && s->doomed)
        return doomed(s, err);
    if (d == 0 && ((rc = prepare_once(s, &s->commit_st, "COMMIT", err)) ||
                   (rc = prepare_once(s, &s->rollback_st, "ROLLBACK", err)) ||
                   (readonly == 1 && (rc = prepare_once(s, &s->writable_st, "PRAGMA query_only=0", err)))))
        return rc;
    if (d == 0 && readonly == 2) {
        /* one snapshot for a request's reads; a write may still follow */
        if ((rc = sq_step_once(s, &s->begin_st, "BEGIN DEFERRED", err)))
            return rc;
        s->plain = 1;
        s_->depth++;
        return RP_OK;
    }
    if (d == 0) {
        rc = sq_exec(s_, readonly ? "BEGIN DEFERRED; PRAGMA query_only=1" : "BEGIN IMMEDIATE", err);
        if (rc && readonly)
            sq_exec(s_, "ROLLBACK; PRAGMA query_only=0", NULL);
        s->ro = readonly && !rc;
    } else if (d < SAVEPOINTS) {
        if (!(rc = savepoint_ready(s, d, err)))
            rc = step_once(s, s->sp[d][0], err);
    } else {
        char sql[64];
        snprintf(sql, sizeof sql, "SAVEPOINT rp%d", d);
        rc = sq_exec(s_, sql, err);
    }
    if (!rc)
        s_->depth++;
    return rc;
}

static int sq_rollback(rp_store *s_);

/* The kill tests' (tests/faults, docs/testing.md): with RAPPORT_TEST_KILL_AT_COMMIT=N the process
 * dies as kill -9 would right after the Nth commit of a transaction that wrote, so that a test can
 * stop a command at each of its commits in turn and look at what it left. */
static void kill_at_commit(void)
{
    static atomic_int n, at = -1;
    if (at < 0) {
        const char *v = getenv("RAPPORT_TEST_KILL_AT_COMMIT");
        atomic_store(&at, v ? atoi(v) : 0);
    }
    if (atomic_load(&at) > 0 && atomic_fetch_add(&n, 1) + 1 == atomic_load(&at))
        raise(SIGKILL);
}

static int sq_commit(rp_store *s_, rp_error *err)
{
    if (s_->depth <= 0)
        return rp_err(err, RP_INTERNAL, "commit without a transaction");
    int rc;
    sq_store *sq = (sq_store *)s_;
    if (sq->doomed) {
        rc = doomed(sq, err);
        if (s_->depth == 1)
            sq_rollback(s_);
        return rc;
    }
    int wrote = s_->depth == 1 && sqlite3_txn_state(sq->db, NULL) == SQLITE_TXN_WRITE;
    if (s_->depth == 1) {
        rc = step_once(sq, sq->commit_st, err); /* prepared when it began */
        if (rc == RP_OK) {
            sq->plain = 0;
            if (sq->ro) {
                sq->ro = 0;
                step_once(sq, sq->writable_st, NULL);
            }
        }
    } else if (s_->depth - 1 < SAVEPOINTS) {
        rc = step_once(sq, sq->sp[s_->depth - 1][1], err);
    } else {
        char sql[64];
        snprintf(sql, sizeof sql, "RELEASE rp%d", s_->depth - 1);
        rc = sq_exec(s_, sql, err);
    }
    if (!rc) {
        s_->depth--;
        if (wrote)
            kill_at_commit();
    } else if (s_->depth == 1)
        /* SQLite may have rolled the transaction back itself (a full disk, memory) or kept it (busy);
         * either way nothing of it is written, and the connection must not stay in a transaction that
         * every later "begin" would only nest in, holding the store's write lock (store.h) */
        sq_rollback(s_);
    return rc;
}

static int sq_rollback(rp_store *s_)
{
    if (s_->depth <= 0)
        return RP_OK;
    int rc;
    sq_store *sq = (sq_store *)s_;
    if (s_->depth == 1) {
        rc = step_once(sq, sq->rollback_st, NULL); /* prepared when it began */
        sq->plain = sq->doomed = 0;
        if (sq->ro) {
            sq->ro = 0;
            step_once(sq, sq->writable_st, NULL);
        }
    } else if (s_->depth - 1 < SAVEPOINTS) {
        int d = s_->depth - 1;
        if ((rc = step_once(sq, sq->sp[d][2], NULL)) == RP_OK)
            rc = step_once(sq, sq->sp[d][1], NULL);
        else if (!sq->doomed)
            sq->doomed = rc;
    } else {
        char sql[96];
        snprintf(sql, sizeof sql, "ROLLBACK TO rp%d; RELEASE rp%d", s_->depth - 1, s_->depth - 1);
        if ((rc = sq_exec(s_, sql, NULL)) && !sq->doomed)
            sq->doomed = rc;
    }
    s_->depth--;
    return rc;
}

static int64_t sq_changes(rp_store *s_) { return sqlite3_changes64(((sq_store *)s_)->db); }

static int sq_data_version(rp_store *s_, int64_t *v, rp_error *err)
{
    return rp_store_query_int(s_, "PRAGMA data_version", v, err);
}

/* Bulk writing (store.h).  Leaving WAL takes the store to oneself; with another connection open
 * SQLite says busy, asked without the timeout, and the store stays as it is. */
static int sq_bulk(rp_store *s_, int on, int *active, rp_error *err)
{
    sq_store *s = (sq_store *)s_;
    if (active)
        *active = 0;
    if (s_->depth)
        return on ? RP_OK : rp_err(err, RP_INVAL, "%s: bulk writing ends outside a transaction", s->path);
    if (!on)
        return sq_exec(s_, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", err);
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode=TRUNCATE", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return map_rc(s->db, rc, err, s->path);
    sqlite3_busy_timeout(s->db, 0);
    rc = sqlite3_step(st);
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    int truncate = rc == SQLITE_ROW && sqlite3_column_text(st, 0) &&
                   !strcmp((const char *)sqlite3_column_text(st, 0), "truncate");
    sqlite3_finalize(st);
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED || (rc & 0xff) == SQLITE_READONLY)
        return RP_OK; /* not alone, or not writable: as it was */
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return map_rc(s->db, rc, err, s->path);
    if (!truncate) /* a store in memory keeps its journal there */
        return RP_OK;
    /* a rollback journal is safe from a power cut at every moment only with FULL */
    if ((rc = sq_exec(s_, "PRAGMA synchronous=FULL", err))) {
        rp_error e2;
        rp_err_clear(&e2);
        (void)sq_exec(s_, "PRAGMA journal_mode=WAL", &e2);
        return rc;
    }
    if (active)
        *active = 1;
    return RP_OK;
}

/* A load's settings (store.h), and those it replaced, put back after it.  A checkpointing thread
 * with a connection of its own was tried: it gained nothing measurable on two cores, and the WAL,
 * never free of a reader when a batch began, grew to the size of the load. */
static int sq_load_tuning(rp_store *s_, int on, int appends, rp_error *err)
{
    sq_store *s = (sq_store *)s_;
    int rc;
    if (!on) {
        if (!s->tuned)
            return RP_OK;
        s->tuned = 0;
        char sql[128];
        snprintf(sql, sizeof sql, "PRAGMA wal_autocheckpoint=%lld; PRAGMA cache_size=%lld",
                 (long long)s->saved_autockpt, (long long)s->saved_cache);
        return sq_exec(s_, sql, err);
    }
    if ((rc = rp_store_query_int(s_, "PRAGMA wal_autocheckpoint", &s->saved_autockpt, err)) ||
        (rc = rp_store_query_int(s_, "PRAGMA cache_size", &s->saved_cache, err)))
        return rc;
    s->tuned = 1;
    if ((rc = sq_exec(s_, "PRAGMA wal_autocheckpoint=4096", err)) ||
        (appends && (rc = sq_exec(s_, "PRAGMA cache_size=-65536", err))))
        return rc;
    return RP_OK;
}

/* ---- backup and restore: SQLite's online backup ---- */

/* Every page of src into dst, a thousand at a time; a writer holding the source is waited for. */
static int copy_pages(sqlite3 *dst, sqlite3 *src, const char *what, rp_error *err)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b)
        return rp_err(err, RP_STORE, "%s: %s", what, sqlite3_errmsg(dst));
    int rc;
    while ((rc = sqlite3_backup_step(b, 1000)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        if (rc != SQLITE_OK)
            sqlite3_sleep(10);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        return rp_err(err, rc == SQLITE_FULL ? RP_FULL : RP_IO, "%s: %s", what, sqlite3_errstr(rc));
    return RP_OK;
}

static int sq_backup(rp_store *s_, const char *target, const char *file, rp_error *err)
{
    (void)target;
    sqlite3 *dst = NULL;
    if (access(file, F_OK) == 0)
        return rp_err(err, RP_EXISTS, "%s: there is a file of that name already: name another", file);
    int rc = sqlite3_open_v2(file, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    rc = rc == SQLITE_OK ? copy_pages(dst, ((sq_store *)s_)->db, file, err)
                         : rp_err(err, RP_IO, "%s: %s", file, sqlite3_errmsg(dst));
    sqlite3_close(dst);
    if (rc)
        unlink(file);
    else
        chmod(file, 0600);
    return rc;
}

static int sq_restore(const char *target, const char *file, rp_error *err)
{
    if (access(target, F_OK) == 0)
        return rp_err(err, RP_EXISTS, "%s: a store is there already: restore to another path, or move it away first",
                      target);
    sqlite3 *src = NULL, *dst = NULL;
    int rc = sqlite3_open_v2(file, &src, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) {
        rc = rp_err(err, RP_IO, "%s: %s", file, sqlite3_errmsg(src));
    } else if ((rc = sqlite3_open_v2(target, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)) != SQLITE_OK) {
        rc = rp_err(err, RP_IO, "%s: %s", target, sqlite3_errmsg(dst));
    } else {
        rc = copy_pages(dst, src, file, err);
        if (rc == RP_IO && strstr(rp_errmsg(err), "not a database"))
            rc = rp_err(err, RP_PARSE, "%s: not a backup of a store (not an SQLite database)", file);
    }
    sqlite3_close(src);
    sqlite3_close(dst);
    if (rc)
        unlink(target);
    else
        chmod(target, 0600);
    return rc;
}

const rp_store_ops rp_sqlite_ops = {
    .name = "sqlite",
    .migrations = rp_sqlite_migrations,
    .migration_count = &rp_sqlite_migrations_count,
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .bind_int = sq_bind_int,
    .bind_real = sq_bind_real,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .column_count = sq_column_count,
    .column_name = sq_column_name,
    .column_type = sq_column_type,
    .column_int = sq_column_int,
    .column_real = sq_column_real,
    .column_text = sq_column_text,
    .column_blob = sq_column_blob,
    .column_bytes = sq_column_bytes,
    .readonly = sq_readonly,
    .done = sq_done,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .changes = sq_changes,
    .data_version = sq_data_version,
    .bulk = sq_bulk,
    .load_tuning = sq_load_tuning,
    .backup = sq_backup,
    .restore = sq_restore,
};

const char *rp_store_engines(void)
{
    static char v[64];
    int pq = rp_pg_library_version();
    snprintf(v, sizeof v, "sqlite %s, libpq %d.%d", sqlite3_libversion(), pq / 10000, pq % 10000);
    return v;
}
