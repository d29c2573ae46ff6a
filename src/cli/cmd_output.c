/* cmd_output.c — rapport campaign export: a campaign's list for a channel's vendor or system, as
 * CSV or XLSX, with a reason, audited (marketing.h mk_export; docs/marketing.md). */
#include "cli/cli.h"
#include "marketing/marketing.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_campaign_export(cli_ctx *c)
{
    const char *path = cli_arg(c, "out"), *fmt = cli_arg(c, "format"), *reason = cli_arg(c, "reason");
    if (!cli_arg(c, "cell") && !cli_arg(c, "channel"))
        return cli_failf("campaign export", "name --cell or --channel: each channel has its own layout");
    if (!path)
        return cli_failf("campaign export", "--out FILE is required");
    int rc = cli_reason("campaign export", reason);
    if (rc)
        return rc;
    size_t n = strlen(path);
    if (!fmt)
        fmt = n > 5 && !strcmp(path + n - 5, ".xlsx") ? "xlsx" : "csv";
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_config *cfg = NULL;
    rp_error err = RP_ERROR_INIT;
    if (cli_cfg(c, &cfg, &err))
        return cli_fail("campaign export", &err);
    mk_env env = { .cfg = cfg, .progress = !cli_flag(c, "json") };
    char facts[1100];
    if ((rc = cli_facts("campaign export", w, cfg, facts, sizeof facts, &env.facts)))
        return rc;
    mk_mart *m;
    long fresh = strtol(cfg ? rp_config_get(cfg, "marketing", "select_minutes", "60") : "60", NULL, 10);
    if (mk_mart_get(w, &env, (int)fresh, &m, &err))
        return cli_fail("campaign export", &err);
    mk_output o = { .campaign = c->args[0], .cell = cli_arg(c, "cell"), .channel = cli_arg(c, "channel"),
                    .format = fmt, .path = path };
    json_t *s = NULL;
    rc = mk_export(w, m, &o, &s, &err);
    mk_mart_close(m);
    if (rc)
        return cli_fail("campaign export", &err);
    char what[400];
    snprintf(what, sizeof what, "campaign=%.40s cell=%.40s channel=%.20s rows=%lld format=%s file=%.200s", o.campaign,
             o.cell ? o.cell : "", json_string_value(json_object_get(s, "channel")),
             (long long)json_integer_value(json_object_get(s, "rows")), fmt, path);
    if ((rc = cli_audit(c, "campaign_export", 0, reason, what))) {
        remove(path);  /* a list nobody can account for is not left behind */
        json_decref(s);
        return rc;
    }
    if (cli_flag(c, "json"))
        cli_print_json(s);
    else {
        json_t *k = json_object_get(s, "skipped");
        printf("campaign %s: %lld customers written to %s (%s, %s)", o.campaign,
               (long long)json_integer_value(json_object_get(s, "rows")), path,
               json_string_value(json_object_get(s, "channel")), fmt);
        const char *key;
        json_t *v;
        int first = 1;
        json_object_foreach(k, key, v) if (json_integer_value(v)) {
            printf("%s%s %lld", first ? "; not listed: " : ", ", key, (long long)json_integer_value(v));
            first = 0;
        }
        printf("\n");
    }
    json_decref(s);
    return CLI_OK;
}
