/*
 * store.h — the database behind one interface.
 *
 * Every caller talks to the store through these functions; each backend
 * (SQLite now, PostgreSQL later) is one rp_store_ops table.  No sqlite3_*
 * or PQ* call exists outside src/store/.
 *
 * SQL dialect that callers write, so that every backend can run it:
 *   - placeholders are `?` numbered left to right from 1 (a PostgreSQL
 *     backend rewrites them to $1, $2, ...);
 *   - new ids come back with `INSERT ... RETURNING id`;
 *   - text is UTF-8, money an INTEGER of minor units, times ISO 8601 UTC
 *     TEXT ("2026-11-23T04:05:06Z"), dates TEXT "YYYY-MM-DD";
 *   - no backend-specific functions (no rowid, no bare columns with MAX()).
 * Schema changes are numbered migrations, one list per backend
 * (src/store/sql/BACKEND/NNNN_name.sql), compiled into the binary and
 * recorded in the table rapport_migrations.  A store whose recorded version
 * is newer than this build knows is refused (RP_VERSION).
 *
 * Statements: rp_store_prepare() returns a statement from a per-connection
 * cache (keyed by the SQL text), ready to bind; rp_stmt_done() resets it
 * and gives it back.  Binding errors are sticky and reported by the next
 * rp_stmt_step().  rp_stmt_step() returns RP_ROW, RP_DONE, or an error code.
 * Column text/blob pointers are valid until the next step or done.
 *
 * Transactions: rp_store_begin/commit/rollback nest (inner levels are
 * savepoints).  rp_store_begin_readonly() starts a transaction in which the
 * backend itself refuses every write, for ad-hoc queries.  A commit of the
 * outermost level that fails (a full disk, memory, busy) has rolled it back:
 * nothing of it is written and the connection is in no transaction; a
 * rollback after it does nothing.  A commit of an inner level that fails
 * leaves the level open: roll it back.  Ending a transaction or a level
 * needs no memory (its statements are prepared when it begins).
 *
 * Failures are said in Rapport's words, never SQLite's: RP_NOMEM, RP_FULL
 * (a full disk, a file size limit, a quota), RP_BUSY, RP_IO, RP_CONSTRAINT,
 * RP_STORE for the rest.
 *
 * Files: store.c (what is the same for every backend: dispatch, the
 * version check and the migration runner), sqlite.c (the SQLite backend:
 * WAL, the statement cache, bulk writing), sql/sqlite/NNNN_*.sql (its
 * migrations, embedded by tools/embed_sql.sh), pg.c (the PostgreSQL
 * backend, libpq: placeholders rewritten, statements prepared on the
 * server, a savepoint a statement in a transaction so that a failure takes
 * back only itself, COPY, cursors for streams, advisory locks, LISTEN/NOTIFY,
 * a connection lost made again, pg_dump and pg_restore), sql/postgresql/
 * (its migrations), copy.c (rp_store_copy_all: every table of one store into
 * a PostgreSQL one, checked).  The contract is checked on both by
 * tests/unit/test_store_conformance.c.
 */
#ifndef RP_STORE_H
#define RP_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

typedef struct rp_store rp_store;
typedef struct rp_stmt rp_stmt;

enum { RP_ROW = 100, RP_DONE = 101 };

typedef enum { RP_COL_NULL, RP_COL_INT, RP_COL_REAL, RP_COL_TEXT, RP_COL_BLOB } rp_coltype;

/* rp_store_open flags */
enum {
    RP_STORE_CREATE = 1,   /* create the database if it does not exist */
    RP_STORE_MIGRATE = 2,  /* apply pending migrations */
    RP_STORE_READONLY = 4, /* open read-only */
};

typedef struct rp_migration {
    int version;
    const char *name;
    const char *sql;
} rp_migration;

typedef void (*rp_store_notice_fn)(void *ctx, const char *channel, const char *payload);

typedef struct rp_store_ops {
    const char *name;
    const rp_migration *migrations;
    const int *migration_count;
    int (*open)(const char *target, int flags, rp_store **out, rp_error *err);
    void (*close)(rp_store *s);
    int (*exec)(rp_store *s, const char *sql, rp_error *err);
    int (*prepare)(rp_store *s, const char *sql, int cached, rp_stmt **out, rp_error *err);
    int (*bind_int)(rp_stmt *st, int i, int64_t v);
    int (*bind_real)(rp_stmt *st, int i, double v);
    int (*bind_text)(rp_stmt *st, int i, const char *v, size_t n);
    int (*bind_blob)(rp_stmt *st, int i, const void *v, size_t n);
    int (*bind_null)(rp_stmt *st, int i);
    int (*step)(rp_stmt *st, rp_error *err);
    int (*column_count)(rp_stmt *st);
    const char *(*column_name)(rp_stmt *st, int i);
    rp_coltype (*column_type)(rp_stmt *st, int i);
    int64_t (*column_int)(rp_stmt *st, int i);
    double (*column_real)(rp_stmt *st, int i);
    const char *(*column_text)(rp_stmt *st, int i);
    const void *(*column_blob)(rp_stmt *st, int i);
    size_t (*column_bytes)(rp_stmt *st, int i);
    int (*readonly)(rp_stmt *st);
    void (*done)(rp_stmt *st);
    int (*begin)(rp_store *s, int readonly, rp_error *err);
    int (*commit)(rp_store *s, rp_error *err);
    int (*rollback)(rp_store *s);
    int64_t (*changes)(rp_store *s);
    int (*data_version)(rp_store *s, int64_t *v, rp_error *err);
    int (*bulk)(rp_store *s, int on, int *active, rp_error *err);
    int (*load_tuning)(rp_store *s, int on, int appends, rp_error *err);
    int (*copy_in)(rp_store *s, const char *target, const char *data, size_t len, rp_error *err); /* NULL: none */
    int (*lock)(rp_store *s, const char *name, rp_error *err); /* NULL: a writer holds the whole store */
    int (*hold)(rp_store *s, const char *name, int on, int *held, rp_error *err); /* NULL: always held */
    /* notices between the servers of a store (NULL: one server, none to tell) */
    int (*listen)(rp_store *s, const char *channel, rp_error *err);
    int (*notify)(rp_store *s, const char *channel, const char *payload, rp_error *err);
    int (*notices)(rp_store *s, rp_store_notice_fn fn, void *ctx, rp_error *err);
    int (*socket)(rp_store *s);
    int (*backup)(rp_store *s, const char *target, const char *file, rp_error *err);
    int (*restore)(const char *target, const char *file, rp_error *err);
    int (*optimize)(rp_store *s, int *tables, rp_error *err); /* NULL: nothing to do */
} rp_store_ops;

/* Every backend's store and statement begin with these. */
struct rp_store {
    const rp_store_ops *ops;
    int depth;    /* transaction nesting */
    int migrated; /* migrations applied by rp_store_open */
    unsigned rollbacks; /* rp_store_rollbacks */
    unsigned ended;     /* rp_store_ended */
};
struct rp_stmt {
    rp_store *store;
};

/* Open a store.  target is a file path (SQLite) or a postgres:// URI.
 * Without RP_STORE_MIGRATE, a store with pending migrations is refused with
 * a message that says to run `rapport init`. */
int rp_store_open(const char *target, int flags, rp_store **out, rp_error *err) RP_WARN_UNUSED;
void rp_store_close(rp_store *s);
/* Schema version recorded in the store, and the newest this build knows. */
int rp_store_version(rp_store *s, int *version, rp_error *err) RP_WARN_UNUSED;
int rp_store_latest_version(rp_store *s);
const char *rp_store_backend(rp_store *s);

/* The name this machine's own files of a store are made from (a server's audit journal "-audit", the
 * analytics column copy ".facts", the selection copy ".mart"): the store's file (db) for SQLite; for a
 * database server's store (a URL: no file of this machine) its key file's path without ".key", so
 * that /etc/rapport/bank.key has bank-audit and bank.facts beside it.  0, or -1 when out is too short. */
int rp_store_local_name(const char *db, const char *key, char *out, size_t n);

/* A database server's store: let role (the application's login role, not the owner that runs the
 * migrations) read and write every table and use the sequences; the audit trail it may add to and
 * archive, never change.  Run again after a migration (`rapport init --grant ROLE` does both).  On
 * SQLite, RP_INVAL: a file has no roles. */
int rp_store_grant(rp_store *s, const char *role, rp_error *err) RP_WARN_UNUSED;
/* The engines this build can open, with their library versions
 * ("sqlite 3.40.1"), for `rapport version`. */
const char *rp_store_engines(void);
/* Apply pending migrations; *applied (if not NULL) counts them. */
int rp_store_migrate(rp_store *s, int *applied, rp_error *err) RP_WARN_UNUSED;

/* Run SQL without results (several statements allowed). */
int rp_store_exec(rp_store *s, const char *sql, rp_error *err) RP_WARN_UNUSED;
int rp_store_prepare(rp_store *s, const char *sql, rp_stmt **out, rp_error *err) RP_WARN_UNUSED;
/* A statement that is not cached: for ad-hoc SQL. */
int rp_store_prepare_once(rp_store *s, const char *sql, rp_stmt **out, rp_error *err) RP_WARN_UNUSED;
/* A statement that may read many rows (a scan of the transactions): not cached; PostgreSQL reads its rows
 * through a cursor, STREAM_ROWS at a time, so that the client holds a batch, not the whole result (outside
 * a transaction the cursor is WITH HOLD: the server keeps the result until rp_stmt_done).  SQLite reads
 * row by row anyway.  ops->prepare is given RP_PREPARE_STREAM as its cached argument. */
int rp_store_prepare_stream(rp_store *s, const char *sql, rp_stmt **out, rp_error *err) RP_WARN_UNUSED;
#define RP_PREPARE_STREAM 2

int rp_store_begin(rp_store *s, rp_error *err) RP_WARN_UNUSED;
int rp_store_begin_readonly(rp_store *s, rp_error *err) RP_WARN_UNUSED;
/* A transaction for a run of reads that see one snapshot, cheap to begin
 * and end (SQLite: BEGIN DEFERRED, prepared once).  A write in it needs
 * the snapshot still to be the newest, else RP_BUSY. */
int rp_store_begin_read(rp_store *s, rp_error *err) RP_WARN_UNUSED;
int rp_store_commit(rp_store *s, rp_error *err) RP_WARN_UNUSED;
int rp_store_rollback(rp_store *s);
/* Rows the last INSERT, UPDATE or DELETE changed (0 for an INSERT ... ON
 * CONFLICT DO NOTHING that met its conflict): cheaper than RETURNING when
 * the new key is not needed. */
int64_t rp_store_changes(rp_store *s);
/* How many rollbacks (of any level, and outermost commits that failed) this connection has seen: what a
 * caller knows of rows it wrote or saw in a transaction holds while this stays the same. */
unsigned rp_store_rollbacks(const rp_store *s);
/* How many outermost transactions this connection has ended (committed or not), and how deep it is in one
 * now (0: none): what a caller knows of rows no other connection can see yet holds while it stays in the
 * same transaction (after the commit others may change them). */
unsigned rp_store_ended(const rp_store *s);
int rp_store_depth(const rp_store *s);
/* A number that changes when another connection commits to the store (and
 * not when this one does): what this connection remembers of the store's
 * contents holds while it stays the same. */
int rp_store_data_version(rp_store *s, int64_t *v, rp_error *err) RP_WARN_UNUSED;

/* Bulk writing, for a load that appends much and has the store to itself.
 * SQLite: the store leaves WAL for a rollback journal (synchronous=FULL), so
 * a commit writes its new pages once, into the database file, not into the
 * WAL and again when a checkpoint copies them (four system calls a page,
 * not one).  Only when no other connection has the store open: otherwise,
 * at once and without error, *active is 0 and nothing changes.  Nor inside
 * a transaction.  A connection that opens the store meanwhile reads and
 * writes beside it (rollback-journal locking: a commit of either waits for
 * the other's statement in progress) and goes back to WAL with it.
 * rp_store_bulk_end, outside a transaction, puts WAL back; a process that
 * dies in bulk leaves a journal the next connection rolls back, and the
 * next rp_store_open puts WAL back. */
int rp_store_bulk_begin(rp_store *s, int *active, rp_error *err) RP_WARN_UNUSED;
int rp_store_bulk_end(rp_store *s, rp_error *err) RP_WARN_UNUSED;

/* Settings for the length of a load, put back by rp_store_load_tuning_end
 * (which does nothing when they were not changed).  SQLite: the WAL is
 * checkpointed every 16 MB rather than every 4 MB, fewer copies, with little
 * left for the last one, which closing the store waits for; and for a load
 * that only appends (appends set), the page cache is 64 MB, not 256, the
 * memory going to the records waiting to be written.  Upserts all over
 * their indexes keep the whole cache.  A failure to read the settings
 * changes nothing; one to set them leaves them to be put back. */
int rp_store_load_tuning(rp_store *s, int appends, rp_error *err) RP_WARN_UNUSED;
int rp_store_load_tuning_end(rp_store *s, rp_error *err) RP_WARN_UNUSED;

/* After much was written (a large load, a match): the statistics the store plans by brought up to the
 * data now, not when a background worker gets to it.  PostgreSQL: every table (a partitioned one whole)
 * changed by more than a tenth of its rows and a thousand since it was last analyzed is analyzed
 * (autovacuum's own rule, by store_analyze: the application role owns no table); until then a customer
 * 360 was planned with the statistics of the first batches a load wrote (docs/scale.md: 59 requests/s
 * rather than 350).  SQLite plans by its indexes and keeps no statistics unless asked; nothing changes.
 * Outside a transaction.  *tables (if not NULL): how many were analyzed. */
int rp_store_optimize(rp_store *s, int *tables, rp_error *err) RP_WARN_UNUSED;

/* The connection's own page cache, at most kib KiB (SQLite: cache_size);
 * a server with many connections bounds each. */
int rp_store_cache_limit(rp_store *s, int64_t kib, rp_error *err) RP_WARN_UNUSED;

/* Rows in bulk, where the backend has a way of its own (PostgreSQL's COPY ... FROM STDIN; SQLite
 * has none: RP_INTERNAL, its callers write blocks).  target is "table(col, col, ...)"; data the
 * rows in COPY's text format (a tab between fields, \N for null, a backslash before a backslash, tab,
 * newline or return in a value, each row ended by a newline).  In a transaction it takes back only
 * itself when it fails, as a statement does; the message names the row (PostgreSQL's line). */
int rp_store_copy(rp_store *s, const char *target, const char *data, size_t len, rp_error *err) RP_WARN_UNUSED;
int rp_store_has_copy(const rp_store *s);

/* A lock of that name, across every connection and every server of the store, held until the outermost
 * transaction ends: for what must happen one at a time (ids that commit in their order, one load of a
 * file).  In a transaction only (RP_INTERNAL otherwise).  PostgreSQL: pg_advisory_xact_lock of the
 * name's hash, waiting for it; SQLite: nothing to take, a writing transaction holds the whole store. */
int rp_store_lock(rp_store *s, const char *name, rp_error *err) RP_WARN_UNUSED;
/* A lock of that name held by this connection until rp_store_unhold or until the connection ends (a
 * process that dies gives it up): for work of many transactions, one at a time across servers (a load
 * of one file).  *held 0 when another connection holds it; nothing waits.  PostgreSQL:
 * pg_try_advisory_lock; SQLite: always held (its loads check their job's process). */
int rp_store_hold(rp_store *s, const char *name, int *held, rp_error *err) RP_WARN_UNUSED;
void rp_store_unhold(rp_store *s, const char *name);

/* Notices between the servers of one store (a screen pop for an agent connected to another server).
 * rp_store_notify sends payload (at most RP_NOTICE_MAX bytes) on channel to every connection that
 * listens there, this one's too; in a transaction, when it commits.  A connection that listens
 * (rp_store_listen) waits on rp_store_socket (poll: readable) and reads what came with
 * rp_store_notices, which calls fn for each and does not wait.  PostgreSQL: LISTEN/NOTIFY.  SQLite
 * has one server: rp_store_has_notices is 0, notify does nothing, listen is refused (RP_INTERNAL). */
#define RP_NOTICE_MAX 7900
int rp_store_has_notices(const rp_store *s);
int rp_store_listen(rp_store *s, const char *channel, rp_error *err) RP_WARN_UNUSED;
int rp_store_notify(rp_store *s, const char *channel, const char *payload, rp_error *err) RP_WARN_UNUSED;
int rp_store_notices(rp_store *s, rp_store_notice_fn fn, void *ctx, rp_error *err) RP_WARN_UNUSED;
int rp_store_socket(rp_store *s);

/* Every table of one store copied into another that 'rapport init' has just made (rapport store copy: a
 * bank that began on SQLite moves to PostgreSQL; or from one PostgreSQL to another), in one transaction of
 * the destination: whole or nothing.  Both at this build's schema version.  Each destination table is
 * filled from the source's relation of the same name (SQLite's view txn for PostgreSQL's table), in the
 * order of their foreign keys, through COPY; each is read back and compared, its rows counted and summed
 * (a hash of each row's values, added up): a difference rolls everything back (RP_CHECKSUM).  The id
 * sequences go on past what was copied.  fn (may be NULL) hears of every 10,000 rows.  *out: the tables
 * (free()), skipped those the source does not have (kept by the destination itself). */
typedef struct rp_copy_table {
    char name[64];
    int64_t rows, rows_to;
    uint64_t sum_from, sum_to;
    int ok, skipped;
} rp_copy_table;
typedef void (*rp_copy_progress_fn)(void *ctx, const char *table, int64_t rows);
int rp_store_copy_all(rp_store *from, rp_store *to, rp_copy_progress_fn fn, void *ctx, rp_copy_table **out, int *n,
                      rp_error *err) RP_WARN_UNUSED;

/* A copy of the whole store in file, taken while it is in use (rapport backup): SQLite's online backup (file
 * an SQLite database, the pages copied a thousand at a time, a writer waited for); PostgreSQL's pg_dump in
 * its custom format.  target is the store's path or URL, as opened.  rp_store_restore makes target from
 * such a file: an SQLite store's path (refused if a file is there), or a PostgreSQL database that holds no
 * table yet (pg_restore, in one transaction).  The sealing key is not in the copy: keep its file apart. */
int rp_store_backup(rp_store *s, const char *target, const char *file, rp_error *err) RP_WARN_UNUSED;
int rp_store_restore(const char *target, const char *file, rp_error *err) RP_WARN_UNUSED;

/* The first column of a query's first row, as an integer: for counts, next
 * ids and PRAGMAs.  A query without rows is RP_INTERNAL ("SQL: no row"). */
int rp_store_query_int(rp_store *s, const char *sql, int64_t *v, rp_error *err) RP_WARN_UNUSED;

/* Table store_meta (migration 1): the store's own settings and marks of how
 * far some work has got, by name.  *found (may be NULL) says whether the
 * name is there; a missing number reads as 0.  Setting replaces; setting NULL forgets the name. */
int rp_store_meta_get(rp_store *s, const char *name, char *out, size_t n, int *found, rp_error *err) RP_WARN_UNUSED;
int rp_store_meta_set(rp_store *s, const char *name, const char *value, rp_error *err) RP_WARN_UNUSED;
int rp_store_meta_int(rp_store *s, const char *name, int64_t *v, rp_error *err) RP_WARN_UNUSED;
int rp_store_meta_set_int(rp_store *s, const char *name, int64_t v, rp_error *err) RP_WARN_UNUSED;

/* Binding; text NULL binds SQL NULL.  i is 1-based. */
void rp_stmt_bind_int(rp_stmt *st, int i, int64_t v);
void rp_stmt_bind_real(rp_stmt *st, int i, double v);
void rp_stmt_bind_text(rp_stmt *st, int i, const char *v);
void rp_stmt_bind_textn(rp_stmt *st, int i, const char *v, size_t n);
void rp_stmt_bind_blob(rp_stmt *st, int i, const void *v, size_t n);
void rp_stmt_bind_null(rp_stmt *st, int i);
int rp_stmt_step(rp_stmt *st, rp_error *err) RP_WARN_UNUSED;
/* Step a statement expected to return no row (or to ignore it) and give
 * it back: RP_OK or an error.  A statement that writes is stepped to its
 * end (see rp_stmt_finish). */
int rp_stmt_run(rp_stmt *st, rp_error *err) RP_WARN_UNUSED;
/* After the row of an INSERT/UPDATE ... RETURNING has been read: step the
 * statement to its end and give it back; RP_OK or an error.  Outside a
 * transaction SQLite commits such a statement only at its end, so a commit
 * that fails (a full disk) is said here, where rp_stmt_done would drop it
 * and the caller would go on as if the row were stored. */
int rp_stmt_finish(rp_stmt *st, rp_error *err) RP_WARN_UNUSED;
int rp_stmt_column_count(rp_stmt *st);
const char *rp_stmt_column_name(rp_stmt *st, int i);
rp_coltype rp_stmt_column_type(rp_stmt *st, int i);
int64_t rp_stmt_int(rp_stmt *st, int i);
double rp_stmt_real(rp_stmt *st, int i);
/* NULL for SQL NULL.  i is 0-based for columns. */
const char *rp_stmt_text(rp_stmt *st, int i);
const void *rp_stmt_blob(rp_stmt *st, int i);
size_t rp_stmt_bytes(rp_stmt *st, int i);
int rp_stmt_readonly(rp_stmt *st);
void rp_stmt_done(rp_stmt *st);
/* Step a bound statement to its end and give it back: its rows as a JSON array of objects by column
 * name (integers, reals, text; NULL as null; a blob as null), at most max rows (0: no limit; *more,
 * if not NULL, says whether rows were left).  On error *out is NULL. */
int rp_stmt_rows_json(rp_stmt *st, int64_t max, json_t **out, int *more, rp_error *err) RP_WARN_UNUSED;

extern const rp_store_ops rp_sqlite_ops;
/* The PostgreSQL backend (pg.c), for postgres:// and postgresql:// URLs; its migrations are
 * sql/postgresql/NNNN_*.sql. */
extern const rp_store_ops rp_pg_ops;
extern const rp_migration rp_pg_migrations[];
extern const int rp_pg_migrations_count;
int rp_pg_library_version(void);

#endif
