/* cmd_optimise.c — rapport campaign optimise: a draft's treated given their cells by the offer
 * optimiser at one of the four levels (marketing.h mk_allocate; docs/marketing.md). */
#include "cli/cli.h"
#include "cli/table.h"
#include "marketing/marketing.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_plan(const json_t *s)
{
    printf("campaign %s, level %lld (%s): %lld of %lld treated given a cell; objective %.2f, bound %.2f, gap %.3f%%",
           json_string_value(json_object_get(s, "campaign")), (long long)json_integer_value(json_object_get(s, "level")),
           json_string_value(json_object_get(s, "method")), (long long)json_integer_value(json_object_get(s, "assigned")),
           (long long)json_integer_value(json_object_get(s, "customers")),
           json_number_value(json_object_get(s, "objective")), json_number_value(json_object_get(s, "bound")),
           100 * json_number_value(json_object_get(s, "gap")));
    if (json_object_get(s, "greedy"))
        printf(" (greedy %.2f)", json_number_value(json_object_get(s, "greedy")));
    printf("; cost %.2f%s\n", json_number_value(json_object_get(s, "cost")),
           json_is_true(json_object_get(s, "applied")) ? "; the targets now have these cells" : "");
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(s, "models"), key, v)
        printf("  %s: scores of model %s (run %lld, as of %s)\n", key, json_string_value(json_object_get(v, "model")),
               (long long)json_integer_value(json_object_get(v, "run")), json_string_value(json_object_get(v, "as_of")));
    json_object_foreach(json_object_get(s, "capacity_from_table"), key, v)
        printf("  capacity %s: %lld a day x %lld days = %lld contacts (campaign capacity)\n", key,
               (long long)json_integer_value(json_object_get(v, "per_day")),
               (long long)json_integer_value(json_object_get(v, "days")),
               (long long)json_integer_value(json_object_get(v, "contacts")));
    table t;
    table_init(&t, 6, 2);
    static const char *const head[] = { "cell", "offer", "channel", "customers", "cost", "expected_value" };
    table_row(&t, head);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(s, "by_cell"), i, c) {
        char n[24], cost[32], ev[32];
        snprintf(n, sizeof n, "%lld", (long long)json_integer_value(json_object_get(c, "customers")));
        snprintf(cost, sizeof cost, "%.2f", json_number_value(json_object_get(c, "cost")));
        snprintf(ev, sizeof ev, "%.2f", json_number_value(json_object_get(c, "expected_value")));
        const char *row[] = { json_string_value(json_object_get(c, "cell")), json_string_value(json_object_get(c, "offer")),
                              json_string_value(json_object_get(c, "channel")), n, cost, ev };
        table_row(&t, row);
    }
    table_print(&t, stdout);
    table_release(&t);
    json_array_foreach(json_object_get(s, "binding"), i, c)
        printf("  binding: %s, shadow price %.4f (used %.2f of %.2f)\n",
               json_string_value(json_object_get(c, "constraint")),
               json_number_value(json_object_get(c, "shadow_price")), json_number_value(json_object_get(c, "used")),
               json_number_value(json_object_get(c, "limit")));
}

int cmd_campaign_optimise(cli_ctx *c)
{
    const char *cmd = "campaign optimise";
    static const char *const methods[] = { "auto", "exact", "lagrange", "greedy", NULL };
    mk_allocation a = { .campaign = c->args[0], .scores = cli_arg(c, "scores"), .models = cli_arg(c, "models"), .mins = cli_arg(c, "min"),
                        .maxes = cli_arg(c, "max"), .capacities = cli_arg(c, "capacity"),
                        .group_by = cli_arg(c, "group-by"), .value_attr = cli_arg(c, "value"),
                        .apply = cli_flag(c, "apply"), .level = 4 };
    const char *s;
    char *end;
    if ((s = cli_arg(c, "level")) && ((a.level = (int)strtol(s, &end, 10)) < 1 || a.level > 4 || *end))
        return cli_failf(cmd, "--level: 1, 2, 3 or 4, not '%.20s'", s);
    if ((s = cli_arg(c, "budget")) && (!((a.budget = strtod(s, &end)) > 0) || *end))
        return cli_failf(cmd, "--budget: '%.20s' is not an amount above 0", s);
    if ((s = cli_arg(c, "group-max")) && ((a.group_max = strtoll(s, &end, 10)) < 1 || *end))
        return cli_failf(cmd, "--group-max: '%.20s' is not a number of customers", s);
    if (cli_arg(c, "group-by") && !a.group_max)
        return cli_failf(cmd, "--group-by needs --group-max N: the contacts each group may have");
    if ((s = cli_arg(c, "per-customer")) && ((a.per_customer = (int)strtol(s, &end, 10)) < 1 || *end))
        return cli_failf(cmd, "--per-customer: '%.20s' is not a number", s);
    int k = 0;
    for (s = cli_arg(c, "method"); s && methods[k] && strcmp(methods[k], s); k++)
        ;
    if (s && !methods[k])
        return cli_failf(cmd, "--method: auto, exact, lagrange or greedy, not '%.20s'", s);
    a.method = s ? k : MK_OPT_AUTO;
    wh *w;
    mk_mart *m;
    int rc = cli_mart(c, cmd, 1, &w, &m);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *out = NULL;
    rc = mk_allocate(w, m, &a, cli_user(), &out, &err);
    mk_mart_close(m);
    if (rc)
        return cli_fail(cmd, &err);
    if (cli_flag(c, "json"))
        cli_print_json(out);
    else
        print_plan(out);
    json_decref(out);
    return CLI_OK;
}
