/* cmd_event.c — rapport event ... and rapport lead ...: event rules, their runs and the event feed;
 * the leads they make, worked by the people they are routed to; the daily capacity of channels; a
 * customer's next-best offers (marketing.h; docs/marketing.md, "Events and leads"). */
#include "cli/cli.h"
#include "cli/table.h"
#include "core/config.h"
#include "core/json.h"
#include "marketing/marketing.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int two_formats(cli_ctx *c, const char *cmd, int *json, int *csv)
{
    *json = cli_flag(c, "json"), *csv = cli_flag(c, "csv");
    if (*json && *csv)
        return cli_failf(cmd, "--json and --csv cannot be used together");
    return CLI_OK;
}

/* ---- rules ---- */

int cmd_event_detectors(cli_ctx *c)
{
    json_t *d = mk_detectors();
    if (cli_flag(c, "json")) {
        cli_print_json(d);
        json_decref(d);
        return CLI_OK;
    }
    size_t i;
    json_t *x;
    json_array_foreach(d, i, x) {
        char *p = json_dumps(json_object_get(x, "params"), JSON_COMPACT);
        printf("%-16s %-11s %s / %s  %s\n", json_string_value(json_object_get(x, "name")),
               json_string_value(json_object_get(x, "kind")), json_string_value(json_object_get(x, "name_zh")),
               json_string_value(json_object_get(x, "name_en")), p ? p : "");
        free(p);
    }
    json_decref(d);
    return CLI_OK;
}

static int int_opt(cli_ctx *c, const char *cmd, const char *name, long lo, long hi, long *out)
{
    const char *v = cli_arg(c, name);
    if (!v)
        return CLI_OK;
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < lo || n > hi)
        return cli_failf(cmd, "--%s: '%.40s' is not a whole number from %ld to %ld", name, v, lo, hi);
    *out = n;
    return CLI_OK;
}

int cmd_event_rule(cli_ctx *c)
{
    long expires = 0, priority = 50;
    int rc;
    if ((rc = int_opt(c, "event rule", "expires-days", 1, 366, &expires)) ||
        (rc = int_opt(c, "event rule", "priority", 0, 100, &priority)))
        return rc;
    const char *pct = cli_arg(c, "control-pct");
    char *end = NULL;
    double control = pct ? strtod(pct, &end) : 0;
    if (pct && (!*pct || *end))
        return cli_failf("event rule", "--control-pct: '%.40s' is not a number", pct);
    mk_event_rule r = { .code = c->args[0], .detector = cli_arg(c, "detector"), .name_zh = cli_arg(c, "name-zh"),
                        .name_en = cli_arg(c, "name-en"), .params = cli_arg(c, "params"), .offer = cli_arg(c, "offer"),
                        .route = cli_arg(c, "route"), .expires_days = (int)expires, .priority = (int)priority,
                        .control_pct = control, .enabled = !cli_flag(c, "disabled") };
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    int created = 0;
    if (mk_event_rule_put(w, &r, cli_user(), &created, &err))
        return cli_fail("event rule", &err);
    printf("event rule %s %s\n", r.code, created ? "created" : "replaced");
    return CLI_OK;
}

static int enable(cli_ctx *c, int on)
{
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    if (mk_event_rule_enable(w, c->args[0], on, cli_user(), &err))
        return cli_fail(on ? "event enable" : "event disable", &err);
    printf("event rule %s %s\n", c->args[0], on ? "enabled" : "disabled");
    return CLI_OK;
}

int cmd_event_enable(cli_ctx *c) { return enable(c, 1); }
int cmd_event_disable(cli_ctx *c) { return enable(c, 0); }

int cmd_event_rules(cli_ctx *c)
{
    int json, csv, rc;
    if ((rc = two_formats(c, "event rules", &json, &csv)))
        return rc;
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *a;
    if (mk_event_rule_list(w, &a, &err))
        return cli_fail("event rules", &err);
    cli_printable(a);
    if (json)
        cli_print_json(a);
    else {
        static const char *const cols[] = { "code", "detector", "name_en", "offer", "route", "expires_days",
                                            "priority", "control_pct", "enabled", "events", "open_leads" };
        static const char *const heads[] = { "code", "detector", "name", "offer", "route", "expires", "priority",
                                             "control%", "enabled", "events", "open leads" };
        table_or_csv_json(a, cols, heads, 11, csv, stdout);
    }
    json_decref(a);
    return CLI_OK;
}

/* ---- runs and the feed ---- */

static void print_stats(const char *what, const mk_event_stats *st)
{
    printf("%s: %d rules over %lld transactions (as of %s): %lld new events (%lld seen before), %lld leads, "
           "%lld held out, %lld not to be contacted  [%.1f s]\n",
           what, st->rules, (long long)st->read, st->as_of, (long long)st->events, (long long)st->repeated,
           (long long)st->leads, (long long)st->control, (long long)st->suppressed, st->seconds);
}

static void print_items(const json_t *items)
{
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x) {
        char lead[24] = "";
        if (json_is_integer(json_object_get(x, "lead")))
            snprintf(lead, sizeof lead, "lead %lld", (long long)json_integer_value(json_object_get(x, "lead")));
        printf("  %-16s customer %-8lld %-10s %-10s %s\n", json_string_value(json_object_get(x, "rule")),
               (long long)json_integer_value(json_object_get(x, "customer")),
               json_string_value(json_object_get(x, "outcome")), lead, json_string_value(json_object_get(x, "reason_en")));
    }
}

static const char *home_currency(cli_ctx *c, rp_config **cfg)
{
    rp_error err = RP_ERROR_INIT;
    *cfg = NULL;
    if (cli_cfg(c, cfg, &err) || !*cfg)
        return "TWD";
    return rp_config_get(*cfg, "marketing", "home_currency", "TWD");
}

int cmd_event_run(cli_ctx *c)
{
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    rp_config *cfg;
    mk_event_opts o = { .via = "run", .by = cli_user(), .as_of = cli_arg(c, "as-of"),
                        .home_currency = home_currency(c, &cfg), .progress = isatty(2) };
    mk_event_stats st;
    json_t *items = json_array();
    rp_error err = RP_ERROR_INIT;
    if (mk_events_run(w, &o, &st, items, &err)) {
        json_decref(items);
        return cli_fail("event run", &err);
    }
    if (cli_flag(c, "json")) {
        json_t *j = mk_event_stats_json(&st);
        json_object_set_new(j, "found", items);
        cli_printable(j);
        cli_print_json(j);
        json_decref(j);
        return CLI_OK;
    }
    print_stats("event run", &st);
    cli_printable(items);
    print_items(items);
    json_decref(items);
    return CLI_OK;
}

/* After a load: the rules over what it brought; a failure is said, and the load stands. */
void cli_events_after_load(cli_ctx *c, wh *w, int quiet)
{
    rp_config *cfg;
    mk_event_opts o = { .via = "load", .by = cli_user(), .home_currency = home_currency(c, &cfg),
                        .progress = !quiet && isatty(2) };
    mk_event_stats st;
    rp_error err = RP_ERROR_INIT;
    if (mk_events_run(w, &o, &st, NULL, &err)) {
        fprintf(stderr, "rapport: load: event rules: %s (the load stands; run 'rapport event run')\n", rp_errmsg(&err));
        return;
    }
    if (st.rules > 0 && !quiet)
        print_stats("events", &st);
}

int cmd_event_feed(cli_ctx *c)
{
    const char *file = c->args[0];
    json_t *in = NULL;
    rp_error err = RP_ERROR_INIT;
    if (strcmp(file, "-")) {
        if (rp_json_load_file(file, 4 << 20, &in, &err))
            return cli_fail("event feed", &err);
    } else { /* standard input, a pipe or a socket: read to its end */
        static char buf[4 << 20];
        size_t n = 0, k;
        while (n < sizeof buf && (k = fread(buf + n, 1, sizeof buf - n, stdin)) > 0)
            n += k;
        if (n == sizeof buf)
            return cli_failf("event feed", "standard input: more than 4 MiB");
        if (rp_json_load_str("standard input", buf, n, &in, &err))
            return cli_fail("event feed", &err);
    }
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc) {
        json_decref(in);
        return rc;
    }
    rp_config *cfg;
    mk_event_opts o = { .via = "feed", .by = cli_user(), .home_currency = home_currency(c, &cfg) };
    mk_event_stats st;
    json_t *items = json_array();
    rc = mk_events_feed(w, in, &o, &st, items, &err);
    json_decref(in);
    if (rc) {
        json_decref(items);
        return cli_fail("event feed", &err);
    }
    cli_printable(items);
    if (cli_flag(c, "json")) {
        json_t *j = mk_event_stats_json(&st);
        json_object_set_new(j, "found", items);
        cli_print_json(j);
        json_decref(j);
        return CLI_OK;
    }
    print_stats("event feed", &st);
    print_items(items);
    json_decref(items);
    return CLI_OK;
}

static int customer_id(const char *cmd, const char *v, int64_t *id)
{
    char *end;
    long long n = strtoll(v && !strncmp(v, "id:", 3) ? v + 3 : v ? v : "", &end, 10);
    if (!v || !*v || *end || n <= 0)
        return cli_failf(cmd, "'%.40s' is not a customer id", v ? v : "");
    *id = n;
    return CLI_OK;
}

int cmd_event_list(cli_ctx *c)
{
    int json, csv, rc;
    long limit = 100;
    int64_t customer = 0;
    if ((rc = two_formats(c, "event list", &json, &csv)) || (rc = int_opt(c, "event list", "limit", 1, 100000, &limit)) ||
        (cli_arg(c, "customer") && (rc = customer_id("event list", cli_arg(c, "customer"), &customer))))
        return rc;
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *a;
    if (mk_event_list(w, customer, cli_arg(c, "rule"), (int)limit, &a, &err))
        return cli_fail("event list", &err);
    cli_printable(a);
    if (json)
        cli_print_json(a);
    else {
        static const char *const cols[] = { "id", "rule", "customer", "occurred_at", "via", "reason_en" };
        static const char *const heads[] = { "event", "rule", "customer", "occurred", "via", "reason" };
        table_or_csv_json(a, cols, heads, 6, csv, stdout);
    }
    json_decref(a);
    return CLI_OK;
}

/* ---- leads ---- */

int cmd_lead_list(cli_ctx *c)
{
    int json, csv, rc;
    long limit = 200;
    int64_t customer = 0;
    if ((rc = two_formats(c, "lead list", &json, &csv)) || (rc = int_opt(c, "lead list", "limit", 1, 10000, &limit)) ||
        (cli_arg(c, "customer") && (rc = customer_id("lead list", cli_arg(c, "customer"), &customer))))
        return rc;
    mk_lead_filter f = { .manager = cli_flag(c, "mine") ? cli_user() : cli_arg(c, "manager"),
                         .branch = cli_arg(c, "branch"), .queue = cli_arg(c, "queue"),
                         .status = cli_arg(c, "status") ? cli_arg(c, "status") : cli_flag(c, "all") ? NULL : "open",
                         .customer = customer, .limit = (int)limit };
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *a;
    if (mk_lead_list(w, &f, &a, &err))
        return cli_fail("lead list", &err);
    cli_printable(a);
    if (json)
        cli_print_json(a);
    else {
        static const char *const cols[] = { "id", "customer", "name", "rule", "offer", "queue", "assigned_to",
                                            "branch", "status", "expires_at", "reason_en" };
        static const char *const heads[] = { "lead", "customer", "name", "rule", "offer", "queue", "manager",
                                             "branch", "status", "expires", "because" };
        table_or_csv_json(a, cols, heads, 11, csv, stdout);
    }
    json_decref(a);
    return CLI_OK;
}

/* The lead number of the first argument; 0, or nonzero with the message printed. */
static int lead_id(cli_ctx *c, const char *cmd, long long *id)
{
    char *end;
    *id = strtoll(c->args[0], &end, 10);
    if (*end || *id <= 0)
        return cli_failf(cmd, "'%.40s' is not a lead number", c->args[0]);
    return 0;
}

int cmd_lead_work(cli_ctx *c)
{
    long long id;
    if (lead_id(c, "lead work", &id))
        return CLI_FAIL;
    const char *outcome = cli_arg(c, "outcome");
    if (!outcome)
        return cli_failf("lead work", "--outcome worked|converted|declined is required");
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    if (mk_lead_work(w, id, outcome, cli_arg(c, "note"), cli_user(), &err))
        return cli_fail("lead work", &err);
    printf("lead %lld: %s\n", id, outcome);
    return CLI_OK;
}

int cmd_lead_assign(cli_ctx *c)
{
    long long id;
    if (lead_id(c, "lead assign", &id))
        return CLI_FAIL;
    const char *to = cli_arg(c, "to");
    if (!to)
        return cli_failf("lead assign", "--to USER is required");
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    if (mk_lead_assign(w, id, to, cli_user(), &err))
        return cli_fail("lead assign", &err);
    printf("lead %lld: assigned to %s\n", id, to);
    return CLI_OK;
}

int cmd_lead_expire(cli_ctx *c)
{
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    int64_t n;
    if (mk_leads_expire(w, 0, &n, &err))
        return cli_fail("lead expire", &err);
    printf("%lld leads expired\n", (long long)n);
    return CLI_OK;
}

int cmd_lead_results(cli_ctx *c)
{
    int json, csv, rc;
    if ((rc = two_formats(c, "lead results", &json, &csv)))
        return rc;
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *a;
    if (mk_lead_results(w, &a, &err))
        return cli_fail("lead results", &err);
    if (json)
        cli_print_json(a);
    else {
        static const char *const cols[] = { "rule", "leads", "open", "worked", "converted", "declined", "expired",
                                            "held_out", "conversion", "take_up_leads", "take_up_held_out", "uplift" };
        static const char *const heads[] = { "rule", "leads", "open", "worked", "converted", "declined", "expired",
                                             "held out", "conversion", "take-up", "held-out take-up", "uplift" };
        table_or_csv_json(a, cols, heads, 12, csv, stdout);
    }
    json_decref(a);
    return CLI_OK;
}

int cmd_campaign_capacity(cli_ctx *c)
{
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    for (int pass = 0; pass < 2; pass++) /* every argument checked before any is written */
        for (int i = 0; i < c->nargs; i++) {
            const char *eq = strchr(c->args[i], '=');
            char ch[32], *end = NULL;
            long long n = eq ? strtoll(eq + 1, &end, 10) : -1;
            if (!eq || eq == c->args[i] || (size_t)(eq - c->args[i]) >= sizeof ch || !eq[1] || *end)
                return cli_failf("campaign capacity", "'%.60s' is not CHANNEL=N", c->args[i]);
            snprintf(ch, sizeof ch, "%.*s", (int)(eq - c->args[i]), c->args[i]);
            if (!pass && !mk_channel_contact(ch))
                return cli_failf("campaign capacity", "channel: '%s' is not a campaign channel", ch);
            if (pass && mk_capacity_put(w, ch, n, cli_user(), &err))
                return cli_fail("campaign capacity", &err);
        }
    json_t *a;
    if (mk_capacity_list(w, &a, &err))
        return cli_fail("campaign capacity", &err);
    if (cli_flag(c, "json"))
        cli_print_json(a);
    else {
        static const char *const cols[] = { "channel", "per_day", "updated_at", "updated_by" };
        static const char *const heads[] = { "channel", "a day", "set at", "by" };
        table_or_csv_json(a, cols, heads, 4, 0, stdout);
    }
    json_decref(a);
    return CLI_OK;
}

/* ---- the next-best offer ---- */

int cmd_customer_offers(cli_ctx *c)
{
    int64_t customer;
    int rc = customer_id("customer offers", c->args[0], &customer);
    long max = 3;
    if (rc || (rc = int_opt(c, "customer offers", "max", 1, 50, &max)))
        return rc;
    wh *w;
    mk_mart *m = NULL;
    if ((rc = cli_mart(c, "customer offers", 0, &w, &m)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *o;
    rc = mk_next_best(w, m, customer, (int)max, 0, &o, &err);
    mk_mart_close(m);
    if (rc)
        return cli_fail("customer offers", &err);
    cli_printable(o);
    if (cli_flag(c, "json")) {
        cli_print_json(o);
        json_decref(o);
        return CLI_OK;
    }
    const json_t *nc = json_object_get(o, "not_contactable");
    if (nc)
        printf("customer %lld is not to be offered anything: %s\n", (long long)customer, json_string_value(nc));
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(o, "offers"), i, x) {
        printf("%zu. %s %s (%s)", i + 1, json_string_value(json_object_get(x, "offer")),
               json_string_value(json_object_get(x, "name")), json_string_value(json_object_get(x, "product")));
        if (json_is_number(json_object_get(x, "expected_value")))
            printf("  propensity %.1f%%, expected value %.0f", 100 * json_number_value(json_object_get(x, "propensity")),
                   json_number_value(json_object_get(x, "expected_value")));
        if (json_is_integer(json_object_get(x, "lead")))
            printf("  lead %lld", (long long)json_integer_value(json_object_get(x, "lead")));
        printf("\n");
        size_t k;
        json_t *r;
        json_array_foreach(json_object_get(x, "reasons_en"), k, r) printf("   because: %s\n", json_string_value(r));
    }
    if (!json_array_size(json_object_get(o, "offers")) && !nc)
        printf("no offer fits customer %lld now\n", (long long)customer);
    json_decref(o);
    return CLI_OK;
}
