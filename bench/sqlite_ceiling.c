/*
 * sqlite_ceiling — how fast SQLite itself takes the load benchmark's rows,
 * with nothing else to do: six columns bound as integers (and the reference
 * as text) through one prepared statement, 200,000 rows a transaction, the
 * same pragmas as Rapport's store.  Run with each set of keys the
 * warehouse's transaction table could have, side by side, so that
 * `rapport load`'s rate (bench/load.sh) can be read against the ceiling.
 *
 * usage: build/bench/sqlite_ceiling [ROWS] [DIR]
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static unsigned long long state = 7;
static unsigned rnd(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(state >> 33);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 2000000;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    static const struct {
        const char *what, *ddl;
        int clustered;
    } v[] = {
        { "no key at all", "CREATE TABLE t(account_id INT, posted INT, amount INT, channel INT, class INT, ref TEXT)", 0 },
        { "unique reference (idempotent loads)",
          "CREATE TABLE t(account_id INT, posted INT, amount INT, channel INT, class INT, ref TEXT);"
          "CREATE UNIQUE INDEX t_ref ON t(ref)", 0 },
        { "unique reference + account and time (Rapport's txn keys)",
          "CREATE TABLE t(account_id INT, posted INT, amount INT, channel INT, class INT, ref TEXT);"
          "CREATE UNIQUE INDEX t_ref ON t(ref); CREATE INDEX t_at ON t(account_id, posted)", 0 },
        { "clustered by account and time, no reference key",
          "CREATE TABLE t(account_id INT, posted INT, seq INT, amount INT, channel INT, class INT, ref TEXT, "
          "PRIMARY KEY (account_id, posted, seq)) WITHOUT ROWID", 1 },
    };
    printf("SQLite %s, %ld rows of six columns bound as integers, one statement, 200,000 rows a commit\n",
           sqlite3_libversion(), n);
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s/sqlite-ceiling-%zu.db", dir, k);
        remove(path);
        char wal[600];
        snprintf(wal, sizeof wal, "%s-wal", path);
        remove(wal);
        sqlite3 *db;
        sqlite3_stmt *st;
        if (sqlite3_open(path, &db) != SQLITE_OK ||
            sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-262144;", 0, 0,
                         0) != SQLITE_OK ||
            sqlite3_exec(db, v[k].ddl, 0, 0, 0) != SQLITE_OK ||
            sqlite3_prepare_v2(db, v[k].clustered ? "INSERT INTO t VALUES (?,?,?,?,?,?,?)" : "INSERT INTO t VALUES (?,?,?,?,?,?)",
                               -1, &st, 0) != SQLITE_OK) {
            fprintf(stderr, "sqlite_ceiling: %s\n", sqlite3_errmsg(db));
            return 1;
        }
        state = 7;
        double t0 = now();
        sqlite3_exec(db, "BEGIN", 0, 0, 0);
        char ref[16];
        for (long i = 1; i <= n; i++) {
            int c = 1;
            sqlite3_bind_int64(st, c++, rnd() % 10000 + 1);
            sqlite3_bind_int64(st, c++, 1767225600 + rnd() % 31536000);
            if (v[k].clustered)
                sqlite3_bind_int64(st, c++, i);
            sqlite3_bind_int64(st, c++, (long long)(rnd() % 2000000) - 1200000);
            sqlite3_bind_int(st, c++, (int)(rnd() % 7));
            sqlite3_bind_int(st, c++, (int)(rnd() % 6));
            int l = snprintf(ref, sizeof ref, "R%09ld", i % 1000000000);
            sqlite3_bind_text(st, c++, ref, l, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE) {
                fprintf(stderr, "sqlite_ceiling: %s\n", sqlite3_errmsg(db));
                return 1;
            }
            sqlite3_reset(st);
            if (i % 200000 == 0)
                sqlite3_exec(db, "COMMIT; BEGIN", 0, 0, 0);
        }
        sqlite3_exec(db, "COMMIT", 0, 0, 0);
        double s = now() - t0;
        printf("  %-58s %10.0f rows/s\n", v[k].what, (double)n / s);
        sqlite3_finalize(st);
        sqlite3_close(db);
        remove(path);
        remove(wal);
    }
    return 0;
}
