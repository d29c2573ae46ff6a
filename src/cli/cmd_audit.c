/* cmd_audit.c — rapport audit: who looked at what. */
#include "cli/cli.h"
#include "cli/table.h"
#include "security/security.h"

#include <errno.h>
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
