/* testutil.h — shared helpers for the cmocka unit tests. */
#ifndef RP_TESTUTIL_H
#define RP_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A fresh temporary directory per test process, removed at exit. */
static char tu_dir[256];

static inline void tu_cleanup(void)
{
    if (tu_dir[0]) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tu_dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tu_dir);
    }
}

static inline const char *tu_tmpdir(void)
{
    if (!tu_dir[0]) {
        const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
        snprintf(tu_dir, sizeof tu_dir, "%s/rapport-test-XXXXXX", base);
        if (!mkdtemp(tu_dir)) {
            perror("mkdtemp");
            exit(1);
        }
        atexit(tu_cleanup);
    }
    return tu_dir;
}

/* A path inside the temporary directory, unique per call. */
static inline const char *tu_path(const char *name)
{
    static char paths[16][320];
    static int next;
    static int serial;
    char *p = paths[next++ % 16];
    snprintf(p, 320, "%s/%d-%s", tu_tmpdir(), serial++, name);
    return p;
}

static inline void tu_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A whole file, NUL-terminated (malloc'd), or NULL. */
static inline char *tu_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&buf, &n);
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, k, m);
    fclose(f);
    fclose(m);
    return buf;
}

/* The store a test opens, named name: an SQLite file in the temporary folder; or, with RAPPORT_TEST_PG
 * set to a PostgreSQL server's URL (its postgres database, say), a new database of its own on that
 * server (issue 26: the unit tests on both stores).  Open it (WH_INIT) with tu_store_key() as the key
 * file: NULL for SQLite (the store's own beside it), a new key file each call on PostgreSQL. */
#include <libpq-fe.h>
static inline const char *tu_store_key(void)
{
    static char keys[16][300];
    static int n;
    const char *pg = getenv("RAPPORT_TEST_PG");
    if (!pg || !*pg)
        return NULL;
    char *key = keys[n % 16];
    snprintf(key, sizeof keys[0], "%s/pg-%d.key", tu_tmpdir(), n++);
    return key;
}
static inline const char *tu_store(const char *name)
{
    const char *path = tu_path(name);
    const char *pg = getenv("RAPPORT_TEST_PG");
    if (!pg || !*pg)
        return path;
    static char urls[16][400];
    static int n;
    char *u = urls[n % 16], sql[128];
    const char *slash = strrchr(pg, '/');
    snprintf(sql, sizeof sql, "CREATE DATABASE u%d_%d", (int)getpid(), n);
    snprintf(u, sizeof urls[0], "%.*s/u%d_%d", (int)(slash - pg), pg, (int)getpid(), n);
    n++;
    PGconn *c = PQconnectdb(pg);
    PGresult *r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK)
        fail_msg("the test's PostgreSQL database: %s", PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return u;
}

#define assert_ok(expr)                                                                     \
    do {                                                                                    \
        rp_error e_ = RP_ERROR_INIT;                                                        \
        (void)e_;                                                                           \
        int rc_ = (expr);                                                                   \
        if (rc_ != 0)                                                                       \
            fail_msg("%s failed with %d", #expr, rc_);                                      \
    } while (0)

#endif
