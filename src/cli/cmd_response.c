/* cmd_response.c — rapport campaign respond|observe|results: responses told by staff or seen in
 * behaviour, and what a campaign did against its control group (marketing.h; docs/marketing.md). */
#include "cli/cli.h"
#include "cli/table.h"
#include "marketing/marketing.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_campaign_respond(cli_ctx *c)
{
    const char *who = c->args[1];
    char *end;
    long long id = strtoll(!strncmp(who, "id:", 3) ? who + 3 : who, &end, 10);
    if (*end || id <= 0)
        return cli_failf("campaign respond", "'%.40s' is not a customer id", who);
    mk_response r = { .campaign = c->args[0], .customer = id, .response = c->args[2], .at = cli_arg(c, "at"),
                      .product = cli_arg(c, "product"), .note = cli_arg(c, "note"), .by = cli_user() };
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    if ((rc = wh_begin(w, &err)) || (rc = mk_response_record(w, &r, &err)) || (rc = wh_commit(w, &err))) {
        wh_rollback(w);
        return cli_fail("campaign respond", &err);
    }
    printf("campaign %s: customer %lld responded %s\n", r.campaign, id, r.response);
    return CLI_OK;
}

int cmd_campaign_observe(cli_ctx *c)
{
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *o = NULL;
    if ((rc = wh_begin(w, &err)) || (rc = mk_observe(w, c->args[0], cli_user(), &o, &err)) ||
        (rc = wh_commit(w, &err))) {
        wh_rollback(w);
        json_decref(o);
        return cli_fail("campaign observe", &err);
    }
    if (cli_flag(c, "json"))
        cli_print_json(o);
    else {
        json_t *a = json_object_get(o, "added");
        printf("campaign %s: %lld treated and %lld control customers opened the product offered from %s to %s\n",
               c->args[0], (long long)json_integer_value(json_object_get(a, "treatment")),
               (long long)json_integer_value(json_object_get(a, "control")), json_string_value(json_object_get(o, "from")),
               json_string_value(json_object_get(o, "to")));
    }
    json_decref(o);
    return CLI_OK;
}

/* ---- results ---- */

#define NRES 18
static const char *const res_head[NRES] = { "level",   "group",   "treated",    "contacted",   "responders", "rate_pct",
                                             "control", "control_responders", "control_rate_pct", "uplift_pp", "lift",
                                             "incremental", "p_value", "ci95_low_pp", "ci95_high_pp", "cost",
                                             "incremental_revenue", "roi" };

static void fmt(char *out, size_t n, const json_t *v, double scale, const char *f)
{
    if (json_is_number(v))
        snprintf(out, n, f, json_number_value(v) * scale);
    else
        snprintf(out, n, "%s", "");
}

static void res_cells(const json_t *g, char cell[NRES][48])
{
    static const char *const keys[NRES] = { "level", "key", "treated", "contacted", "responders", "response_rate",
                                            "control", "control_responders", "control_rate", "uplift", "lift",
                                            "incremental_responders", "p_value", NULL, NULL, "cost",
                                            "incremental_revenue", "roi" };
    for (int k = 0; k < NRES; k++) {
        const json_t *v = keys[k] ? json_object_get(g, keys[k]) : json_array_get(json_object_get(g, "ci95"), k - 13);
        if (json_is_string(v))
            snprintf(cell[k], 48, "%s", json_string_value(v));
        else if (json_is_integer(v))
            snprintf(cell[k], 48, "%lld", (long long)json_integer_value(v));
        else if (k == 5 || k == 8 || k == 9 || k == 13 || k == 14)
            fmt(cell[k], 48, v, 100, "%.2f");
        else if (k == 12)
            fmt(cell[k], 48, v, 1, "%.4f");
        else if (k == 10 || k == 17)
            fmt(cell[k], 48, v, 1, "%.2f");
        else
            fmt(cell[k], 48, v, 1, "%.0f");
    }
}

static void print_results(const json_t *r, int csv)
{
    table_or_csv out;
    table_or_csv_init(&out, NRES, csv, res_head);
    char cell[NRES][48];
    const char *row[NRES];
    for (int k = 0; k < NRES; k++)
        row[k] = cell[k];
    size_t i = 0;
    for (const json_t *g = json_object_get(r, "overall"); g; g = json_array_get(json_object_get(r, "groups"), i++)) {
        res_cells(g, cell);
        table_or_csv_row(&out, row);
    }
    table_or_csv_end(&out, stdout);
}

static void print_daily(const json_t *r)
{
    table t;
    table_init(&t, 6, 0);
    static const char *const head[] = { "day", "responders", "control_responders", "rate_pct", "control_rate_pct",
                                        "uplift_pp" };
    table_row(&t, head);
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(r, "daily"), i, d) {
        char a[32], b[32], x[32], y[32], z[32];
        snprintf(a, sizeof a, "%lld", (long long)json_integer_value(json_object_get(d, "responders")));
        snprintf(b, sizeof b, "%lld", (long long)json_integer_value(json_object_get(d, "control_responders")));
        fmt(x, sizeof x, json_object_get(d, "response_rate"), 100, "%.2f");
        fmt(y, sizeof y, json_object_get(d, "control_rate"), 100, "%.2f");
        fmt(z, sizeof z, json_object_get(d, "uplift"), 100, "%.2f");
        const char *row[] = { json_string_value(json_object_get(d, "day")), a, b, x, y, z };
        table_row(&t, row);
    }
    table_print(&t, stdout);
    table_release(&t);
}

int cmd_campaign_results(cli_ctx *c)
{
    int json = cli_flag(c, "json"), csv = cli_flag(c, "csv");
    if (json && csv)
        return cli_failf("campaign results", "--json and --csv cannot be used together");
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *r;
    if (mk_results(w, c->args[0], &r, &err))
        return cli_fail("campaign results", &err);
    if (json) {
        cli_print_json(r);
        json_decref(r);
        return CLI_OK;
    }
    cli_printable(r);
    if (!csv) {
        const json_t *o = json_object_get(r, "overall");
        const char *name = json_string_value(json_object_get(r, "name"));
        printf("campaign %s %s [%s], %s to %s, window %s (as of %s)\n", json_string_value(json_object_get(r, "campaign")),
               name ? name : "", json_string_value(json_object_get(r, "status")),
               json_string_value(json_object_get(r, "from")), json_string_value(json_object_get(r, "to")),
               json_string_value(json_object_get(r, "window")), json_string_value(json_object_get(r, "as_of")));
        double p = json_number_value(json_object_get(o, "p_value"));
        if (json_is_number(json_object_get(o, "p_value")))
            printf("treated respond %.2f%%, control %.2f%%: uplift %+.2f points, %s (p = %.4f)\n",
                   100 * json_number_value(json_object_get(o, "response_rate")),
                   100 * json_number_value(json_object_get(o, "control_rate")),
                   100 * json_number_value(json_object_get(o, "uplift")),
                   p < 0.05 ? "significant at 5%" : "not significant at 5%", p);
        else
            printf("no control group to compare with: uplift, lift and significance are not known\n");
    }
    if (cli_flag(c, "daily"))
        print_daily(r);
    else
        print_results(r, csv);
    json_decref(r);
    return CLI_OK;
}
