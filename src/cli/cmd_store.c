/* cmd_store.c — rapport store copy: the store moved to PostgreSQL (issue 26 item 6). */
#include "cli/cli.h"
#include "core/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct copy_shown {
    rp_progress pr;
    char table[64];
    int64_t before; /* rows of the tables done */
} copy_shown;

static void copy_progress(void *ctx, const char *table, int64_t rows)
{
    copy_shown *s = ctx;
    if (strcmp(s->table, table)) {
        snprintf(s->table, sizeof s->table, "%s", table);
        s->before = s->pr.done;
    }
    rp_progress_update(&s->pr, (uint64_t)(s->before + rows));
}

int cmd_store_copy(cli_ctx *c)
{
    const char *to = cli_arg(c, "to");
    if (!to || !strstr(to, "://"))
        return cli_failf("store copy", "--to: name the PostgreSQL store to copy to (postgresql://...)");
    wh *src;
    rp_error err = RP_ERROR_INIT;
    const char *from = cli_arg(c, "from"); /* the source by name; else the store as for any command */
    int rc = from ? (wh_open(from, cli_arg(c, "key"), 0, &src, NULL, &err) ? cli_fail("store copy", &err) : CLI_OK)
                  : cli_wh(c, 0, &src, NULL);
    if (rc)
        return rc;
    wh *dst;
    int migrations = 0;
    /* the destination made (or brought up to date) with the source's sealing key: what is sealed stays readable */
    if (wh_open(to, wh_key_path(src), WH_INIT, &dst, &migrations, &err)) {
        if (from)
            wh_close(src);
        return cli_fail("store copy", &err);
    }
    copy_shown shown = { 0 };
    rp_progress_start(&shown.pr, "copying", 0);
    rp_copy_table *t;
    int n;
    rc = rp_store_copy_all(wh_store(src), wh_store(dst), copy_progress, &shown, &t, &n, &err);
    rp_progress_finish(&shown.pr);
    wh_close(dst);
    if (rc) {
        if (from)
            wh_close(src);
        return cli_fail("store copy", &err);
    }
    int64_t rows = 0, tables = 0;
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        if (t[i].skipped)
            continue;
        char sum[20];
        snprintf(sum, sizeof sum, "%016llx", (unsigned long long)t[i].sum_to);
        json_array_append_new(list, json_pack("{s:s, s:I, s:s, s:b}", "table", t[i].name, "rows", (json_int_t)t[i].rows,
                                              "sum", sum, "verified", t[i].ok));
        rows += t[i].rows;
        tables++;
    }
    free(t);
    if (cli_flag(c, "json")) {
        json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:o}", "from", wh_db_path(src), "to", to, "tables", (json_int_t)tables,
                              "rows", (json_int_t)rows, "copied", list);
        cli_print_json(o);
        json_decref(o);
        if (from)
            wh_close(src);
        return CLI_OK;
    }
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        if (json_integer_value(json_object_get(e, "rows")))
            printf("  %-28s %12lld rows  sum %s  verified\n", json_string_value(json_object_get(e, "table")),
                   (long long)json_integer_value(json_object_get(e, "rows")), json_string_value(json_object_get(e, "sum")));
    }
    char r[32];
    rp_format_thousands(r, sizeof r, (uint64_t)rows);
    printf("copied %s to %s: %lld tables, %s rows, each counted and summed on both sides\n", wh_db_path(src), to,
           (long long)tables, r);
    json_decref(list);
    if (from)
        wh_close(src);
    return CLI_OK;
}

int cmd_backup(cli_ctx *c)
{
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    const char *file = c->args[0];
    rp_error err = RP_ERROR_INIT;
    if (rp_store_backup(wh_store(w), wh_db_path(w), file, &err))
        return cli_fail("backup", &err);
    printf("%s backed up to %s; keep the sealing key %s apart from it (the backup cannot be read without it)\n",
           wh_db_path(w), file, wh_key_path(w));
    return CLI_OK;
}

int cmd_restore(cli_ctx *c)
{
    char db[1024], key[1024];
    rp_error err = RP_ERROR_INIT;
    const char *file = c->args[0];
    if (cli_store_target(c, db, sizeof db, key, sizeof key, &err) || rp_store_restore(db, file, &err))
        return cli_fail("restore", &err);
    wh *w; /* what came back opened with the key: the right key, a schema this build reads */
    int version = 0;
    if (wh_open(db, key, 0, &w, NULL, &err))
        return cli_failf("restore", "%s was restored into %s, but it does not open: %s", file, db, rp_errmsg(&err));
    if (rp_store_version(wh_store(w), &version, &err)) {
        wh_close(w);
        return cli_fail("restore", &err);
    }
    printf("%s restored from %s: schema version %d; sealing key %s\n", db, file, version, wh_key_path(w));
    wh_close(w);
    return CLI_OK;
}
