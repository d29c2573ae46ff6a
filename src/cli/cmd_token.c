/* cmd_token.c — rapport token add, list, revoke: other programs' tokens for the API. */
#include "cli/cli.h"
#include "cli/table.h"
#include "core/rtime.h"
#include "security/security.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_token_add(cli_ctx *c)
{
    const char *days = cli_arg(c, "days");
    sec_token_spec t = { .name = c->args[0], .permissions = cli_arg(c, "permissions"),
                         .branch = cli_arg(c, "branch"), .days = 90 };
    if (!t.permissions)
        return cli_failf("token add", "--permissions LIST is required (e.g. search,view)");
    if (days) {
        char *end;
        long d = strtol(days, &end, 10);
        if (*end || d < 1 || d > SEC_TOKEN_MAX_DAYS)
            return cli_failf("token add", "--days: '%s' is not a number from 1 to %d", days, SEC_TOKEN_MAX_DAYS);
        t.days = (int)d;
    }
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    char token[SEC_API_TOKEN_LEN], what[300];
    rp_error err = RP_ERROR_INIT;
    if (sec_token_add(wh_store(w), &t, cli_user(), rp_now(), token, &err))
        return cli_fail("token add", &err);
    snprintf(what, sizeof what, "%s: %.200s", t.name, t.permissions);
    if ((rc = cli_audit(c, "token_add", 0, NULL, what))) {
        sodium_memzero(token, sizeof token);
        return rc;
    }
    printf("token %s for %s, for %d days:\n%s\n(shown this once: put it where the program reads it)\n", t.name,
           t.permissions, t.days, token);
    sodium_memzero(token, sizeof token);
    return CLI_OK;
}

int cmd_token_list(cli_ctx *c)
{
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    if (sec_token_list(wh_store(w), rp_now(), &a, &err))
        return cli_fail("token list", &err);
    if (cli_flag(c, "json")) {
        cli_print_json(a);
        json_decref(a);
        return CLI_OK;
    }
    table t;
    table_init(&t, 6, 0);
    const char *head[6] = { "name", "state", "permissions", "branch", "expires", "made by" };
    table_row(&t, head);
    size_t i, j;
    json_t *o, *p;
    json_array_foreach(a, i, o) {
        char perms[400] = "";
        size_t k = 0;
        json_array_foreach(json_object_get(o, "permissions"), j, p)
            k += (size_t)snprintf(perms + k, k < sizeof perms ? sizeof perms - k : 0, "%s%s", k ? "," : "",
                                  json_string_value(p));
        const char *row[6] = { json_string_value(json_object_get(o, "name")),
                               json_string_value(json_object_get(o, "state")), perms,
                               json_string_value(json_object_get(o, "branch")),
                               json_string_value(json_object_get(o, "expires_at")),
                               json_string_value(json_object_get(o, "created_by")) };
        table_row(&t, row);
    }
    table_print(&t, stdout);
    table_release(&t);
    json_decref(a);
    return CLI_OK;
}

int cmd_token_revoke(cli_ctx *c)
{
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    if (sec_token_revoke(wh_store(w), c->args[0], cli_user(), rp_now(), &err))
        return cli_fail("token revoke", &err);
    if ((rc = cli_audit(c, "token_revoke", 0, NULL, c->args[0])))
        return rc;
    printf("token %s revoked: the API refuses it from now on\n", c->args[0]);
    return CLI_OK;
}
