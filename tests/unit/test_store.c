/* Unit tests of src/store: the interface over the SQLite backend. */
#include "testutil.h"

#include "core/error.h"
#include "store/store.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

static int count(rp_store *s, const char *sql)
{
    rp_stmt *st;
    rp_error e = RP_ERROR_INIT;
    if (rp_store_prepare(s, sql, &st, &e))
        fail_msg("%s: %s", sql, rp_errmsg(&e));
    int rc = rp_stmt_step(st, &e);
    assert_int_equal(rc, RP_ROW);
    int n = (int)rp_stmt_int(st, 0);
    rp_stmt_done(st);
    return n;
}

static void open_creates_and_migrates(void **state)
{
    (void)state;
    const char *db = tu_path("a.db");
    rp_store *s;
    rp_error e = RP_ERROR_INIT;
    /* without CREATE a missing store is a clear error */
    assert_int_equal(rp_store_open(db, 0, &s, &e), RP_NOTFOUND);
    char want[400];
    snprintf(want, sizeof want, "%s: no such store: run 'rapport init'", db);
    assert_string_equal(rp_errmsg(&e), want);
    assert_int_equal(access(db, F_OK), -1); /* and nothing was created */

    assert_int_equal(rp_store_open(db, RP_STORE_CREATE | RP_STORE_MIGRATE, &s, &e), RP_OK);
    assert_string_equal(rp_store_backend(s), "sqlite");
    int v;
    assert_int_equal(rp_store_version(s, &v, &e), RP_OK);
    assert_int_equal(v, rp_store_latest_version(s));
    assert_true(v >= 1);
    /* every migration, once (their numbers may have a gap while two branches each add one) */
    assert_int_equal(s->migrated, *s->ops->migration_count);
    assert_int_equal(count(s, "SELECT count(*) FROM rapport_migrations"), *s->ops->migration_count);
    /* foreign keys are enforced */
    assert_int_equal(rp_store_exec(s, "INSERT INTO party_account(party_id, account_id, role) "
                                      "VALUES (999, 999, 'owner')", &e),
                     RP_CONSTRAINT);
    assert_string_equal(rp_errmsg(&e), "FOREIGN KEY constraint failed");
    rp_store_close(s);
    /* opening again migrates nothing */
    assert_int_equal(rp_store_open(db, RP_STORE_CREATE | RP_STORE_MIGRATE, &s, &e), RP_OK);
    assert_int_equal(s->migrated, 0);
    assert_int_equal(count(s, "SELECT count(*) FROM rapport_migrations"), *s->ops->migration_count);
    rp_store_close(s);
    /* the journal is WAL */
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(raw);
}

/* Every file of a new store is its owner's alone, whatever the umask (PCI DSS 3.5, issue 21). */
static void store_files_are_private(void **state)
{
    (void)state;
    const char *db = tu_path("private.db");
    mode_t old = umask(022);
    rp_store *s;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(rp_store_open(db, RP_STORE_CREATE | RP_STORE_MIGRATE, &s, &e), RP_OK);
    assert_int_equal(rp_store_exec(s, "CREATE TABLE t(x); INSERT INTO t VALUES (1)", &e), RP_OK);
    const char *suffix[] = { "", "-wal", "-shm" };
    for (int i = 0; i < 3; i++) {
        char p[400];
        snprintf(p, sizeof p, "%s%s", db, suffix[i]);
        struct stat sb;
        if (stat(p, &sb) != 0)
            fail_msg("%s was not made", p);
        if ((sb.st_mode & 0777) != 0600)
            fail_msg("%s has mode %o", p, (unsigned)(sb.st_mode & 0777));
    }
    rp_store_close(s);
    umask(old);
}

static void newer_store_is_refused(void **state)
{
    (void)state;
    const char *db = tu_path("newer.db");
    rp_store *s;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(rp_store_open(db, RP_STORE_CREATE | RP_STORE_MIGRATE, &s, &e), RP_OK);
    int latest = rp_store_latest_version(s);
    char sql[200];
    snprintf(sql, sizeof sql,
             "INSERT INTO rapport_migrations VALUES (%d, 'from_the_future', '2030-01-01T00:00:00Z')",
             latest + 5);
    assert_int_equal(rp_store_exec(s, sql, &e), RP_OK);
    rp_store_close(s);
    assert_int_equal(rp_store_open(db, RP_STORE_CREATE | RP_STORE_MIGRATE, &s, &e), RP_VERSION);
    char want[400];
    snprintf(want, sizeof want,
             "%s: store was written by a newer Rapport (schema version %d; this build knows up to "
             "%d): upgrade rapport",
             db, latest + 5, latest);
    assert_string_equal(rp_errmsg(&e), want);
    assert_int_equal(rp_store_open(db, 0, &s, &e), RP_VERSION);
}

static void older_store_needs_init(void **state)
{
    (void)state;
    const char *db = tu_path("empty.db");
    rp_store *s;
    rp_error e = RP_ERROR_INIT;
    /* an empty SQLite file is a store not yet initialised */
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
    sqlite3_close(raw);
    assert_int_equal(rp_store_open(db, 0, &s, &e), RP_NOTFOUND);
    char want[400];
    snprintf(want, sizeof want, "%s: not initialised: run 'rapport init'", db);
    assert_string_equal(rp_errmsg(&e), want);
}

static void foreign_database_is_refused(void **state)
{
    (void)state;
    const char *db = tu_path("other.db");
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    rp_store *s;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(rp_store_open(db, RP_STORE_CREATE | RP_STORE_MIGRATE, &s, &e), RP_STORE);
    char want[400];
    snprintf(want, sizeof want, "%s: not a Rapport store (a SQLite database of another program)", db);
    assert_string_equal(rp_errmsg(&e), want);
    const char *txt = tu_path("text.db");
    tu_write_file(txt, "this is not a database, just some text that is long enough.........\n"
                       "................................................................\n");
    assert_int_equal(rp_store_open(txt, RP_STORE_CREATE | RP_STORE_MIGRATE, &s, &e), RP_STORE);
    assert_non_null(strstr(rp_errmsg(&e), "not a Rapport store"));
}

static rp_store *fresh(void)
{
    rp_store *s;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(rp_store_open(tu_path("s.db"), RP_STORE_CREATE | RP_STORE_MIGRATE, &s, &e),
                     RP_OK);
    assert_int_equal(rp_store_exec(s, "CREATE TABLE kv(k TEXT PRIMARY KEY, v INTEGER, r REAL, b BLOB)",
                                   &e),
                     RP_OK);
    return s;
}

static void statements_bind_and_read(void **state)
{
    (void)state;
    rp_store *s = fresh();
    rp_error e = RP_ERROR_INIT;
    rp_stmt *st, *st2;
    const char *ins = "INSERT INTO kv(k, v, r, b) VALUES (?, ?, ?, ?) RETURNING k";
    for (int i = 0; i < 100; i++) {
        assert_int_equal(rp_store_prepare(s, ins, &st, &e), RP_OK);
        char k[16];
        snprintf(k, sizeof k, "k%03d", i);
        rp_stmt_bind_text(st, 1, k);
        rp_stmt_bind_int(st, 2, i * 1000000000LL);
        rp_stmt_bind_real(st, 3, i / 4.0);
        rp_stmt_bind_blob(st, 4, "\0\1\2", 3);
        assert_int_equal(rp_stmt_step(st, &e), RP_ROW);
        assert_string_equal(rp_stmt_text(st, 0), k);
        rp_stmt_done(st);
    }
    /* the cache hands back the same statement for the same SQL */
    assert_int_equal(rp_store_prepare(s, ins, &st, &e), RP_OK);
    rp_stmt_done(st);
    assert_int_equal(rp_store_prepare(s, ins, &st2, &e), RP_OK);
    assert_ptr_equal(st, st2);
    /* ... and a second one while the first is in use */
    assert_int_equal(rp_store_prepare(s, ins, &st, &e), RP_OK);
    assert_ptr_not_equal(st, st2);
    rp_stmt_done(st);
    rp_stmt_done(st2);

    assert_int_equal(rp_store_prepare(s, "SELECT k, v, r, b, NULL AS n FROM kv WHERE k = ?", &st, &e),
                     RP_OK);
    rp_stmt_bind_text(st, 1, "k042");
    assert_int_equal(rp_stmt_step(st, &e), RP_ROW);
    assert_int_equal(rp_stmt_column_count(st), 5);
    assert_string_equal(rp_stmt_column_name(st, 1), "v");
    assert_int_equal(rp_stmt_column_type(st, 0), RP_COL_TEXT);
    assert_int_equal(rp_stmt_column_type(st, 1), RP_COL_INT);
    assert_int_equal(rp_stmt_column_type(st, 2), RP_COL_REAL);
    assert_int_equal(rp_stmt_column_type(st, 3), RP_COL_BLOB);
    assert_int_equal(rp_stmt_column_type(st, 4), RP_COL_NULL);
    assert_int_equal(rp_stmt_int(st, 1), 42000000000LL);
    assert_true(rp_stmt_real(st, 2) == 10.5);
    assert_int_equal(rp_stmt_bytes(st, 3), 3);
    assert_memory_equal(rp_stmt_blob(st, 3), "\0\1\2", 3);
    assert_null(rp_stmt_text(st, 4));
    assert_int_equal(rp_stmt_step(st, &e), RP_DONE);
    assert_true(rp_stmt_readonly(st));
    rp_stmt_done(st);

    assert_int_equal(rp_store_prepare(s, "SELEC nonsense", &st, &e), RP_STORE);
    assert_string_equal(rp_errmsg(&e), "near \"SELEC\": syntax error");
    assert_int_equal(rp_store_prepare(s, "SELECT 1; SELECT 2", &st, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "only one SQL statement is allowed");
    /* a unique violation is a constraint error with the column named */
    assert_int_equal(rp_store_prepare(s, ins, &st, &e), RP_OK);
    rp_stmt_bind_text(st, 1, "k001");
    rp_stmt_bind_int(st, 2, 1);
    rp_stmt_bind_null(st, 3);
    rp_stmt_bind_null(st, 4);
    assert_int_equal(rp_stmt_run(st, &e), RP_CONSTRAINT);
    assert_string_equal(rp_errmsg(&e), "UNIQUE constraint failed: kv.k");
    rp_store_close(s);
}

static void transactions_nest_and_roll_back(void **state)
{
    (void)state;
    rp_store *s = fresh();
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(rp_store_begin(s, &e), RP_OK);
    assert_int_equal(rp_store_exec(s, "INSERT INTO kv(k, v) VALUES ('a', 1)", &e), RP_OK);
    assert_int_equal(rp_store_begin(s, &e), RP_OK); /* savepoint */
    assert_int_equal(rp_store_exec(s, "INSERT INTO kv(k, v) VALUES ('b', 2)", &e), RP_OK);
    assert_int_equal(rp_store_rollback(s), RP_OK); /* only 'b' goes */
    assert_int_equal(s->depth, 1);
    assert_int_equal(rp_store_commit(s, &e), RP_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM kv"), 1);
    assert_int_equal(rp_store_begin(s, &e), RP_OK);
    assert_int_equal(rp_store_exec(s, "INSERT INTO kv(k, v) VALUES ('c', 3)", &e), RP_OK);
    assert_int_equal(rp_store_rollback(s), RP_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM kv"), 1);
    assert_int_equal(rp_store_commit(s, &e), RP_INTERNAL);
    /* a read-only transaction refuses writes inside the engine */
    assert_int_equal(rp_store_begin_readonly(s, &e), RP_OK);
    assert_int_equal(rp_store_exec(s, "INSERT INTO kv(k, v) VALUES ('d', 4)", &e), RP_READONLY);
    assert_int_equal(rp_store_rollback(s), RP_OK);
    /* and afterwards writes work again */
    assert_int_equal(rp_store_exec(s, "INSERT INTO kv(k, v) VALUES ('d', 4)", &e), RP_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM kv"), 2);
    rp_store_close(s);
}

/* A commit that fails has rolled back (store.h): nothing of it is stored and the connection is in no
 * transaction that a later begin would only nest in (found by tests/faults: a server whose disk had
 * filled answered 201 for notes it then lost, and 503 busy for ever).  A deferred foreign key makes
 * the commit itself fail, as a full disk does. */
static void a_failed_commit_rolls_back(void **state)
{
    (void)state;
    rp_store *s = fresh();
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(rp_store_begin(s, &e), RP_OK);
    assert_int_equal(rp_store_exec(s, "PRAGMA defer_foreign_keys = ON", &e), RP_OK);
    assert_int_equal(rp_store_exec(s, "INSERT INTO kv(k, v) VALUES ('a', 1)", &e), RP_OK);
    assert_int_equal(rp_store_exec(s, "INSERT INTO party_account(party_id, account_id, role) "
                                      "VALUES (999, 999, 'owner')", &e),
                     RP_OK);
    assert_int_equal(rp_store_commit(s, &e), RP_CONSTRAINT);
    assert_int_equal(s->depth, 0);
    assert_int_equal(rp_store_rollback(s), RP_OK); /* what callers do after a failed commit: nothing */
    assert_int_equal(count(s, "SELECT count(*) FROM kv"), 0);
    /* a new transaction is one, and commits */
    assert_int_equal(rp_store_begin(s, &e), RP_OK);
    assert_int_equal(rp_store_exec(s, "INSERT INTO kv(k, v) VALUES ('b', 2)", &e), RP_OK);
    assert_int_equal(rp_store_commit(s, &e), RP_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM kv"), 1);
    rp_store_close(s);
}

/* A store that may not grow says so in Rapport's words, RP_FULL; an INSERT ... RETURNING outside a
 * transaction is committed by rp_stmt_finish, which says whether it was. */
static void a_full_store_is_said(void **state)
{
    (void)state;
    rp_store *s = fresh();
    rp_error e = RP_ERROR_INIT;
    int64_t pages = 0;
    assert_int_equal(rp_store_query_int(s, "PRAGMA page_count", &pages, &e), RP_OK);
    char sql[80];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages + 2);
    assert_int_equal(rp_store_exec(s, sql, &e), RP_OK);
    rp_stmt *st;
    assert_int_equal(rp_store_prepare(s, "INSERT INTO kv(k, b) VALUES (?, zeroblob(200000)) RETURNING k", &st, &e), RP_OK);
    rp_stmt_bind_text(st, 1, "big");
    int rc = rp_stmt_step(st, &e);
    if (rc == RP_ROW)
        rc = rp_stmt_finish(st, &e);
    else
        rp_stmt_done(st);
    assert_int_equal(rc, RP_FULL);
    assert_non_null(strstr(rp_errmsg(&e), "the disk is full"));
    assert_null(strstr(rp_errmsg(&e), "SQLITE"));
    assert_int_equal(count(s, "SELECT count(*) FROM kv"), 0);
    /* and a row that fits goes in, committed at the statement's end */
    assert_int_equal(rp_store_prepare(s, "INSERT INTO kv(k, v) VALUES ('small', 1) RETURNING k", &st, &e), RP_OK);
    assert_int_equal(rp_stmt_step(st, &e), RP_ROW);
    assert_string_equal(rp_stmt_text(st, 0), "small");
    assert_int_equal(rp_stmt_finish(st, &e), RP_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM kv"), 1);
    rp_store_close(s);
}

/* The connection's journal mode, as SQLite names it. */
static const char *journal_mode(rp_store *s)
{
    static char modes[4][16];
    static int next;
    char *m = modes[next++ % 4];
    rp_stmt *st;
    rp_error e = RP_ERROR_INIT;
    if (rp_store_prepare_once(s, "PRAGMA journal_mode", &st, &e))
        fail_msg("%s", rp_errmsg(&e));
    assert_int_equal(rp_stmt_step(st, &e), RP_ROW);
    snprintf(m, 16, "%s", rp_stmt_text(st, 0));
    rp_stmt_done(st);
    return m;
}

static int exists(const char *db, const char *suffix)
{
    char p[400];
    snprintf(p, sizeof p, "%s%s", db, suffix);
    struct stat sb;
    return stat(p, &sb) == 0;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void bulk_writing_only_alone(void **state)
{
    (void)state;
    const char *db = tu_path("bulk.db");
    rp_store *a, *b;
    rp_error e = RP_ERROR_INIT;
    int64_t sync = 0;
    assert_int_equal(rp_store_open(db, RP_STORE_CREATE | RP_STORE_MIGRATE, &a, &e), RP_OK);
    assert_int_equal(rp_store_exec(a, "CREATE TABLE kv(k TEXT PRIMARY KEY, v INTEGER)", &e), RP_OK);
    assert_string_equal(journal_mode(a), "wal");
    /* another connection open: nothing changes, at once and without error */
    assert_int_equal(rp_store_open(db, 0, &b, &e), RP_OK);
    int on = -1;
    double t0 = now();
    assert_int_equal(rp_store_bulk_begin(a, &on, &e), RP_OK);
    assert_true(now() - t0 < 2);
    assert_int_equal(on, 0);
    assert_string_equal(journal_mode(a), "wal");
    rp_store_close(b);
    /* nor inside a transaction */
    assert_int_equal(rp_store_begin(a, &e), RP_OK);
    on = -1;
    assert_int_equal(rp_store_bulk_begin(a, &on, &e), RP_OK);
    assert_int_equal(on, 0);
    assert_int_equal(rp_store_bulk_end(a, &e), RP_INVAL);
    assert_non_null(strstr(rp_errmsg(&e), "bulk writing ends outside a transaction"));
    assert_int_equal(rp_store_rollback(a), RP_OK);
    assert_string_equal(journal_mode(a), "wal");
    /* alone: a rollback journal, synced in full; commits write the database file, no WAL */
    assert_int_equal(rp_store_bulk_begin(a, &on, &e), RP_OK);
    assert_int_equal(on, 1);
    assert_string_equal(journal_mode(a), "truncate");
    assert_int_equal(rp_store_query_int(a, "PRAGMA synchronous", &sync, &e), RP_OK);
    assert_int_equal(sync, 2);
    assert_false(exists(db, "-wal"));
    assert_int_equal(rp_store_exec(a, "INSERT INTO kv VALUES ('a', 1)", &e), RP_OK);
    /* a connection that opens meanwhile, while a transaction is open, does so at once (not after the
     * busy timeout) and reads what is committed */
    assert_int_equal(rp_store_begin(a, &e), RP_OK);
    assert_int_equal(rp_store_exec(a, "INSERT INTO kv VALUES ('b', 2)", &e), RP_OK);
    t0 = now();
    assert_int_equal(rp_store_open(db, 0, &b, &e), RP_OK);
    assert_true(now() - t0 < 2);
    assert_int_equal(count(b, "SELECT count(*) FROM kv"), 1);
    assert_int_equal(rp_store_commit(a, &e), RP_OK);
    assert_int_equal(count(b, "SELECT count(*) FROM kv"), 2);
    /* and both go back to WAL when the bulk ends */
    assert_int_equal(rp_store_bulk_end(a, &e), RP_OK);
    assert_string_equal(journal_mode(a), "wal");
    assert_int_equal(rp_store_query_int(a, "PRAGMA synchronous", &sync, &e), RP_OK);
    assert_int_equal(sync, 1);
    assert_int_equal(count(b, "SELECT count(*) FROM kv"), 2);
    assert_string_equal(journal_mode(b), "wal");
    assert_int_equal(rp_store_exec(b, "INSERT INTO kv VALUES ('c', 3)", &e), RP_OK);
    assert_true(exists(db, "-wal"));
    assert_int_equal(count(a, "SELECT count(*) FROM kv"), 3);
    rp_store_close(b);
    rp_store_close(a);
}

static void bulk_writing_survives_a_crash(void **state)
{
    (void)state;
    const char *db = tu_path("crash.db");
    rp_store *s;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(rp_store_open(db, RP_STORE_CREATE | RP_STORE_MIGRATE, &s, &e), RP_OK);
    assert_int_equal(rp_store_exec(s, "CREATE TABLE kv(k INTEGER PRIMARY KEY, b BLOB)", &e), RP_OK);
    assert_int_equal(rp_store_exec(s, "INSERT INTO kv VALUES (1, randomblob(100))", &e), RP_OK);
    rp_store_close(s);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* in bulk, a transaction larger than its page cache writes the database file before it
         * commits; then the process dies, as kill -9 would have it */
        int on = 0;
        if (rp_store_open(db, 0, &s, &e) || rp_store_bulk_begin(s, &on, &e) || !on ||
            rp_store_exec(s, "PRAGMA cache_size=8", &e) || rp_store_begin(s, &e) ||
            rp_store_exec(s, "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
                             "INSERT INTO kv SELECT i, randomblob(500) FROM n", &e))
            _exit(2);
        char p[400];
        snprintf(p, sizeof p, "%s-journal", db);
        struct stat sb;
        _exit(stat(p, &sb) == 0 && sb.st_size > 0 ? 0 : 3); /* the journal is hot */
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    /* the next connection rolls the journal back and is in WAL again */
    assert_int_equal(rp_store_open(db, 0, &s, &e), RP_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM kv"), 1);
    rp_stmt *st;
    assert_int_equal(rp_store_prepare_once(s, "PRAGMA integrity_check", &st, &e), RP_OK);
    assert_int_equal(rp_stmt_step(st, &e), RP_ROW);
    assert_string_equal(rp_stmt_text(st, 0), "ok");
    rp_stmt_done(st);
    assert_string_equal(journal_mode(s), "wal");
    rp_store_close(s);
}

/* A postgres:// URL is the PostgreSQL backend's (test_store_conformance runs it on a real server). */
static void postgres_is_named(void **state)
{
    (void)state;
    rp_store *s;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(rp_store_open("postgres://127.0.0.1:1/rapport?connect_timeout=2", 0, &s, &e), RP_UNAVAILABLE);
    assert_non_null(strstr(rp_errmsg(&e), "cannot connect to postgres://127.0.0.1:1/rapport?connect_timeout=2: "));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(open_creates_and_migrates), cmocka_unit_test(store_files_are_private),
        cmocka_unit_test(newer_store_is_refused),
        cmocka_unit_test(older_store_needs_init),    cmocka_unit_test(foreign_database_is_refused),
        cmocka_unit_test(statements_bind_and_read),  cmocka_unit_test(transactions_nest_and_roll_back),
        cmocka_unit_test(bulk_writing_only_alone),   cmocka_unit_test(bulk_writing_survives_a_crash),
        cmocka_unit_test(postgres_is_named),         cmocka_unit_test(a_failed_commit_rolls_back),
        cmocka_unit_test(a_full_store_is_said),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
