/* cmd_audit.c — rapport audit: who looked at what. */
#include "cli/cli.h"
#include "cli/table.h"
#include "core/rtime.h"
#include "security/security.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

int cmd_audit(cli_ctx *c)
{
    const char *since = cli_arg(c, "since");
    const char *until = cli_arg(c, "until");
    const char *user = cli_arg(c, "user");
    const char *customer = cli_arg(c, "customer");
    const char *action = cli_arg(c, "action");
    const char *limit = cli_arg(c, "limit");
    int json = cli_flag(c, "json");
    int rc;
    sec_audit_filter f = { .since = since, .until = until, .user = user, .action = action, .limit = 100 };
    char *end;
    if (customer && ((f.customer = strtoll(customer, &end, 10)) <= 0 || *end))
        return cli_failf("audit", "--customer: '%s' is not a customer id", customer);
    if (limit && ((f.limit = (int)strtol(limit, &end, 10)) <= 0 || *end || f.limit > 1000000))
        return cli_failf("audit", "--limit: '%s' is not a number from 1 to 1000000", limit);
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *a;
    char asked[300];
    snprintf(asked, sizeof asked, "since=%.30s until=%.30s user=%.40s action=%.30s customer=%lld",
             f.since ? f.since : "", f.until ? f.until : "", f.user ? f.user : "", f.action ? f.action : "",
             (long long)f.customer);
    /* what a running (or stopped) server still holds in its journal first; the reading itself is an entry */
    if ((rc = sec_journal_ingest(wh_store(w), wh_db_path(w), NULL, 0, 0, NULL, &err)))
        return cli_fail("audit", &err);
    if ((rc = cli_audit(c, "audit_read", 0, NULL, asked)))
        return rc;
    rc = sec_audit_query(wh_store(w), &f, &a, &err);
    cli_wh_close(c);
    if (rc)
        return cli_fail("audit", &err);
    if (json) {
        cli_print_json(a);
    } else {
        table t;
        table_init(&t, 7, 0);
        const char *head[7] = { "at", "user", "from", "action", "customer", "outcome", "what" };
        table_row(&t, head);
        size_t i;
        json_t *e;
        json_array_foreach(a, i, e) {
            char cu[24] = "";
            if (json_is_integer(json_object_get(e, "customer")))
                snprintf(cu, sizeof cu, "%lld", (long long)json_integer_value(json_object_get(e, "customer")));
            char what[400];
            const char *tg = json_string_value(json_object_get(e, "target")),
                       *rs = json_string_value(json_object_get(e, "reason")),
                       *dt = json_string_value(json_object_get(e, "detail"));
            snprintf(what, sizeof what, "%s%s%s%s%s", tg ? tg : "", rs ? "  reason: " : "", rs ? rs : "",
                     dt ? "  " : "", dt ? dt : "");
            const char *row[7] = { json_string_value(json_object_get(e, "at")),
                                   json_string_value(json_object_get(e, "user")),
                                   json_string_value(json_object_get(e, "address")),
                                   json_string_value(json_object_get(e, "action")), cu,
                                   json_string_value(json_object_get(e, "outcome")), what };
            table_row(&t, row);
        }
        table_print(&t, stdout);
        table_release(&t);
    }
    json_decref(a);
    return CLI_OK;
}

static void print_check(const sec_audit_check *k, const char *what, int json)
{
    if (json) {
        json_t *o = json_pack("{s:s, s:I, s:I, s:I, s:I, s:s, s:b}", "what", what, "entries", (json_int_t)k->entries,
                              "last", (json_int_t)k->last, "archived_before", (json_int_t)k->archived, "removed",
                              (json_int_t)k->removed, "head", k->head, "intact", !k->broken_at && !k->removed);
        json_object_set_new(o, "broken_at", k->broken_at ? json_integer(k->broken_at) : json_null());
        cli_print_json(o);
        json_decref(o);
        return;
    }
    if (k->broken_at)
        printf("%s: BROKEN at entry %lld: it is not what was written (changed, removed or put in); %lld entries "
               "before it verify\n", what, (long long)k->broken_at, (long long)k->entries);
    else if (k->removed)
        printf("%s: BROKEN: %lld entries are gone from the trail\n", what, (long long)k->removed);
    else
        printf("%s: %lld entries verify%s; head %s\n", what, (long long)k->entries,
               k->archived ? " (after the archived ones)" : "", k->head);
}

int cmd_audit_verify(cli_ctx *c)
{
    const char *file = cli_arg(c, "file");
    int json = cli_flag(c, "json"), rc;
    sec_audit_check k;
    rp_error err = RP_ERROR_INIT;
    if (file) {
        FILE *f = fopen(file, "rb");
        if (!f)
            return cli_failf("audit verify", "%s: %s", file, strerror(errno));
        rc = sec_audit_verify_file(f, &k, &err);
        fclose(f);
        if (rc)
            return cli_failf("audit verify", "%s: %s", file, rp_errmsg(&err));
    } else {
        wh *w;
        if ((rc = cli_wh(c, 0, &w, NULL)))
            return rc;
        if ((rc = sec_journal_ingest(wh_store(w), wh_db_path(w), NULL, 0, 0, NULL, &err)) ||
            (rc = sec_audit_verify(wh_store(w), &k, &err)))
            return cli_fail("audit verify", &err);
        if ((rc = cli_audit(c, "audit_verify", 0, NULL, k.broken_at || k.removed ? "broken" : "intact")))
            return rc;
    }
    print_check(&k, file ? file : "the audit trail", json);
    return k.broken_at || k.removed ? CLI_FAIL : CLI_OK;
}

int cmd_audit_archive(cli_ctx *c)
{
    const char *before = cli_arg(c, "before"), *out = cli_arg(c, "out");
    if (!before || !out)
        return cli_failf("audit archive", "--before DATE and --out FILE are required");
    char iso[RP_TIME_UTC_LEN];
    rp_date d;
    if (rp_date_parse(before, &d, NULL) != RP_OK)
        return cli_failf("audit archive", "--before: '%s' is not a date (YYYY-MM-DD)", before);
    snprintf(iso, sizeof iso, "%.10sT00:00:00Z", before);
    int fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return cli_failf("audit archive", "--out %s: %s", out, strerror(errno));
    FILE *f = fdopen(fd, "wb");
    wh *w;
    int rc = f ? cli_wh(c, 0, &w, NULL) : CLI_FAIL;
    rp_error err = RP_ERROR_INIT;
    int64_t n = 0;
    if (!rc && (rc = sec_journal_ingest(wh_store(w), wh_db_path(w), NULL, 0, 0, NULL, &err)) == RP_OK &&
        (rc = cli_audit(c, "audit_archive", 0, NULL, iso)) == CLI_OK) {
        /* the file reaches the disk before the entries leave the store */
        rc = sec_audit_archive(wh_store(w), iso, f, &n, &err);
        if (rc == RP_OK && fsync(fileno(f)) != 0)
            rc = rp_err(&err, RP_IO, "%s: %s", out, strerror(errno));
    }
    if (f)
        fclose(f);
    else
        close(fd);
    if (rc) {
        unlink(out);
        return err.code ? cli_fail("audit archive", &err) : rc;
    }
    printf("archived %lld entr%s before %s to %s\n", (long long)n, n == 1 ? "y" : "ies", iso, out);
    if (!n)
        unlink(out);
    return CLI_OK;
}
