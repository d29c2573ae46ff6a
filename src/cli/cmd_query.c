/* cmd_query.c — `rapport query`: one read-only SQL statement. */
#include "cli/cli.h"
#include "cli/table.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/json.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SQL_MAX 100000
#define DEFAULT_LIMIT 10000

/* The first keyword must be one that only reads. */
static int reads_only(const char *sql)
{
    static const char *const ok[] = { "SELECT", "WITH", "VALUES", "EXPLAIN", NULL };
    for (;;) {
        while (isspace((unsigned char)*sql))
            sql++;
        if (sql[0] == '-' && sql[1] == '-') {
            while (*sql && *sql != '\n')
                sql++;
        } else if (sql[0] == '/' && sql[1] == '*') {
            const char *e = strstr(sql + 2, "*/");
            if (!e)
                return 0;
            sql = e + 2;
        } else if (*sql == '(') {
            sql++;
        } else {
            break;
        }
    }
    for (const char *const *k = ok; *k; k++) {
        size_t n = strlen(*k);
        if (strncasecmp(sql, *k, n) == 0 && !isalnum((unsigned char)sql[n]) && sql[n] != '_')
            return 1;
    }
    return 0;
}

static void hex(rp_buf *b, const unsigned char *p, size_t n)
{
    static const char d[] = "0123456789abcdef";
    rp_buf_puts(b, "x'");
    for (size_t i = 0; i < n; i++) {
        rp_buf_putc(b, d[p[i] >> 4]);
        rp_buf_putc(b, d[p[i] & 15]);
    }
    rp_buf_putc(b, '\'');
}

/* The cell as text (NULL for SQL NULL). */
static const char *cell(rp_stmt *st, int c, rp_buf *tmp)
{
    rp_buf_reset(tmp);
    switch (rp_stmt_column_type(st, c)) {
    case RP_COL_NULL: return NULL;
    case RP_COL_INT: rp_buf_printf(tmp, "%lld", (long long)rp_stmt_int(st, c)); break;
    case RP_COL_REAL: rp_buf_printf(tmp, "%.17g", rp_stmt_real(st, c)); break;
    case RP_COL_BLOB: hex(tmp, rp_stmt_blob(st, c), rp_stmt_bytes(st, c)); break;
    default: return rp_stmt_text(st, c);
    }
    return rp_buf_str(tmp);
}

int cmd_query(cli_ctx *ctx)
{
    const cli_cmd *self = ctx->cmd;
    int csv = 0, json = 0;
    const char *limit_s = NULL;
    const char **pos = ctx->args;
    csv = cli_flag(ctx, "csv");
    json = cli_flag(ctx, "json");
    limit_s = cli_arg(ctx, "limit");
    int rc;
    if (csv && json) {
        fprintf(stderr, "rapport: query: --csv and --json exclude each other\nusage: %s\n",
                self->usage);
        return CLI_USAGE;
    }
    long long limit = DEFAULT_LIMIT;
    if (limit_s) {
        char *end;
        errno = 0;
        limit = strtoll(limit_s, &end, 10);
        if (errno || *end || end == limit_s || limit < 0) {
            fprintf(stderr, "rapport: query: --limit: '%s' is not a whole number\nusage: %s\n",
                    limit_s, self->usage);
            return CLI_USAGE;
        }
    }
    const char *sql = pos[0];
    if (strlen(sql) > SQL_MAX)
        return cli_failf("query", "statement longer than %d bytes", SQL_MAX);
    if (!reads_only(sql))
        return cli_failf("query",
                         "refused: only read-only statements (SELECT, WITH, VALUES, EXPLAIN) are "
                         "allowed");
    if ((rc = cli_audit(ctx, "query", 0, NULL, sql)))
        return rc;
    char db[1024], key[1024];
    rp_store *s;
    rp_error err = RP_ERROR_INIT;
    if (cli_store_target(ctx, db, sizeof db, key, sizeof key, &err) ||
        rp_store_open(db, RP_STORE_READONLY, &s, &err))
        return cli_fail("query", &err);
    rp_stmt *st = NULL;
    if (rp_store_begin_readonly(s, &err) || rp_store_prepare_once(s, sql, &st, &err)) {
        rp_store_close(s);
        return cli_fail("query", &err);
    }
    if (!rp_stmt_readonly(st)) {
        rp_stmt_done(st);
        rp_store_rollback(s);
        rp_store_close(s);
        return cli_failf("query",
                         "refused: only read-only statements (SELECT, WITH, VALUES, EXPLAIN) are "
                         "allowed");
    }
    int nc = rp_stmt_column_count(st);
    if (nc > TABLE_MAX_COLS && !csv && !json)
        nc = TABLE_MAX_COLS;
    rp_buf out = RP_BUF_INIT, tmp = RP_BUF_INIT;
    rp_buf_init(&out, (size_t)1 << 30);
    table t;
    table_init(&t, nc, 0);
    json_t *arr = json ? json_array() : NULL;
    const char *names[TABLE_MAX_COLS];
    if (csv) {
        for (int c = 0; c < nc; c++) {
            const char *n = rp_stmt_column_name(st, c);
            rp_csv_field(&out, n, strlen(n), c == 0);
        }
        rp_csv_end_row(&out);
    } else if (!json) {
        for (int c = 0; c < nc; c++)
            names[c] = rp_stmt_column_name(st, c);
        table_row(&t, names);
    }
    long long n = 0;
    int truncated = 0;
    while ((rc = rp_stmt_step(st, &err)) == RP_ROW) {
        if (limit && n >= limit) {
            truncated = 1;
            break;
        }
        n++;
        if (json) {
            json_t *o = json_object();
            for (int c = 0; c < nc; c++) {
                const char *name = rp_stmt_column_name(st, c);
                switch (rp_stmt_column_type(st, c)) {
                case RP_COL_NULL: json_object_set_new(o, name, json_null()); break;
                case RP_COL_INT: json_object_set_new(o, name, json_integer(rp_stmt_int(st, c))); break;
                case RP_COL_REAL: json_object_set_new(o, name, json_real(rp_stmt_real(st, c))); break;
                default: json_object_set_new(o, name, json_string(cell(st, c, &tmp)));
                }
            }
            json_array_append_new(arr, o);
        } else if (csv) {
            for (int c = 0; c < nc; c++) {
                const char *v = cell(st, c, &tmp);
                rp_csv_field(&out, v ? v : "", v ? strlen(v) : 0, c == 0);
            }
            rp_csv_end_row(&out);
        } else {
            const char *row[TABLE_MAX_COLS];
            rp_buf cellbufs[TABLE_MAX_COLS];
            for (int c = 0; c < nc; c++) {
                rp_buf_init(&cellbufs[c], 0);
                const char *v = cell(st, c, &tmp);
                rp_buf_puts(&cellbufs[c], v ? v : "NULL");
                row[c] = rp_buf_str(&cellbufs[c]);
            }
            table_row(&t, row);
            for (int c = 0; c < nc; c++)
                rp_buf_release(&cellbufs[c]);
        }
    }
    int failed = rc != RP_ROW && rc != RP_DONE;
    rp_stmt_done(st);
    rp_store_rollback(s);
    rp_store_close(s);
    if (!failed) {
        if (json) {
            rp_json_dump(arr, 2, &out);
            rp_buf_putc(&out, '\n');
        }
        if (rp_buf_status(&out)) {
            failed = 1;
            rp_err(&err, rp_buf_status(&out), "result larger than 1 GiB; use --limit");
        }
    }
    if (!failed) {
        if (csv || json)
            fwrite(out.data ? out.data : "", 1, out.len, stdout);
        else {
            table_print(&t, stdout);
            printf("(%lld row%s)\n", n, n == 1 ? "" : "s");
        }
    }
    json_decref(arr);
    table_release(&t);
    rp_buf_release(&out);
    rp_buf_release(&tmp);
    if (failed)
        return cli_fail("query", &err);
    if (truncated)
        fprintf(stderr, "rapport: query: stopped after %lld rows; use --limit N or --limit 0\n", limit);
    return CLI_OK;
}
