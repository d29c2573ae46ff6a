/* cmd_campaign.c — rapport offer ..., rapport campaign ...: offers, campaigns from design to
 * close, counts and selections with their waterfall (marketing.h; docs/marketing.md). */
#include "cli/cli.h"
#include "cli/table.h"
#include "core/rtime.h"
#include "marketing/marketing.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "12.50" currency units as minor units (two decimals). */
static int money(const char *cmd, const char *name, const char *s, int64_t *out)
{
    char *end;
    double v = strtod(s, &end);
    if (!*s || *end || !(v >= -1e13 && v <= 1e13))
        return cli_failf(cmd, "--%s: '%s' is not an amount", name, s);
    *out = (int64_t)llround(v * 100);
    return CLI_OK;
}

static int number(const char *cmd, const char *name, const char *s, double min, double max, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (!*s || *end || !(v >= min && v <= max))
        return cli_failf(cmd, "--%s: '%s' is not a number from %g to %g", name, s, min, max);
    *out = v;
    return CLI_OK;
}

int cli_mart(cli_ctx *c, const char *cmd, int fresh, wh **w, mk_mart **out)
{
    *out = NULL;
    rp_config *cfg = NULL;
    rp_error err = RP_ERROR_INIT;
    int rc = cli_wh(c, 0, w, NULL);
    if (rc)
        return rc;
    if (cli_cfg(c, &cfg, &err))
        return cli_fail(cmd, &err);
    mk_env env = { .cfg = cfg, .progress = !cli_flag(c, "json") };
    char facts[1100];
    if ((rc = cli_facts(cmd, *w, cfg, facts, sizeof facts, &env.facts)))
        return rc;
    long minutes = fresh ? strtol(cfg ? rp_config_get(cfg, "marketing", "select_minutes", "60") : "60", NULL, 10) : 0;
    if (cli_flag(c, "refresh") ? mk_mart_build(*w, &env, out, &err) : mk_mart_get(*w, &env, (int)minutes, out, &err))
        return cli_fail(cmd, &err);
    return CLI_OK;
}

/* ---- offers ---- */

int cmd_offer_put(cli_ctx *c)
{
    mk_offer o = { .code = c->args[0], .name = cli_arg(c, "name"), .product = cli_arg(c, "product"),
                   .incentive = cli_arg(c, "incentive"), .currency = cli_arg(c, "currency"),
                   .eligibility = cli_arg(c, "eligibility"), .valid_from = cli_arg(c, "from"),
                   .valid_to = cli_arg(c, "to") };
    int rc;
    if ((cli_arg(c, "cost") && (rc = money("offer put", "cost", cli_arg(c, "cost"), &o.cost_minor))) ||
        (cli_arg(c, "value") && (rc = money("offer put", "value", cli_arg(c, "value"), &o.value_minor))))
        return rc;
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    int created = 0;
    if ((rc = wh_begin(w, &err)) || (rc = mk_offer_put(w, &o, cli_user(), &created, &err)) ||
        (rc = wh_commit(w, &err))) {
        wh_rollback(w);
        return cli_fail("offer put", &err);
    }
    printf("offer %s %s\n", o.code, created ? "created" : "replaced");
    return CLI_OK;
}

int cmd_offer_list(cli_ctx *c)
{
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *list;
    if (mk_offer_list(w, &list, &err))
        return cli_fail("offer list", &err);
    if (cli_flag(c, "json")) {
        cli_print_json(list);
        json_decref(list);
        return CLI_OK;
    }
    table t;
    table_init(&t, 7, 0);
    static const char *const head[] = { "offer", "name", "product", "cost", "value", "currency", "eligibility" };
    table_row(&t, head);
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) {
        char cost[32], value[32];
        snprintf(cost, sizeof cost, "%.2f", json_number_value(json_object_get(o, "cost")));
        snprintf(value, sizeof value, "%.2f", json_number_value(json_object_get(o, "value")));
        const char *el = json_string_value(json_object_get(o, "eligibility"));
        const char *row[] = { json_string_value(json_object_get(o, "code")), json_string_value(json_object_get(o, "name")),
                              json_string_value(json_object_get(o, "product")), cost, value,
                              json_string_value(json_object_get(o, "currency")), el ? el : "" };
        table_row(&t, row);
    }
    table_print(&t, stdout);
    table_release(&t);
    json_decref(list);
    return CLI_OK;
}

/* ---- campaigns: the design ---- */

static int design(cli_ctx *c, const char *cmd, mk_campaign *m)
{
    memset(m, 0, sizeof *m);
    m->code = c->args[0];
    m->name = cli_arg(c, "name"), m->objective = cli_arg(c, "objective"), m->purpose = cli_arg(c, "purpose");
    m->owner = cli_arg(c, "owner"), m->start_date = cli_arg(c, "start"), m->end_date = cli_arg(c, "end");
    m->response_deadline = cli_arg(c, "deadline"), m->currency = cli_arg(c, "currency");
    m->rule = cli_arg(c, "rule"), m->model = cli_arg(c, "model"), m->list = cli_arg(c, "list");
    m->policy = cli_arg(c, "policy"), m->stratify = cli_arg(c, "stratify");
    double v;
    int rc = CLI_OK;
    const char *s;
    if ((s = cli_arg(c, "budget")) && !(rc = money(cmd, "budget", s, &m->budget_minor)))
        m->has_budget = 1;
    if (!rc && (s = cli_arg(c, "top-deciles")) && !(rc = number(cmd, "top-deciles", s, 1, 10, &v)))
        m->top_deciles = (int)v;
    if (!rc && (s = cli_arg(c, "control-pct")) && !(rc = number(cmd, "control-pct", s, 0, 99.99, &m->control_pct)))
        m->has_control_pct = 1;
    if (!rc && (s = cli_arg(c, "control-rate")))
        rc = number(cmd, "control-rate", s, 1e-6, 0.999999, &m->control_rate);
    if (!rc && (s = cli_arg(c, "control-margin")))
        rc = number(cmd, "control-margin", s, 1e-6, 0.999999, &m->control_margin);
    if (!rc && (s = cli_arg(c, "confidence")) && !(rc = number(cmd, "confidence", s, 80, 95, &v)))
        m->control_conf = (int)v;
    if (!rc && (s = cli_arg(c, "seed")) && !(rc = number(cmd, "seed", s, 0, 9e15, &v)))
        m->seed = (int64_t)v, m->has_seed = 1;
    return rc;
}

static int design_cmd(cli_ctx *c, const char *cmd, int create)
{
    mk_campaign m;
    int rc = design(c, cmd, &m);
    wh *w;
    if (rc || (rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    if (create ? mk_campaign_create(w, &m, cli_user(), &err) : mk_campaign_update(w, &m, cli_user(), &err))
        return cli_fail(cmd, &err);
    printf("campaign %s %s\n", m.code, create ? "created (draft)" : "changed");
    return CLI_OK;
}

int cmd_campaign_create(cli_ctx *c) { return design_cmd(c, "campaign create", 1); }
int cmd_campaign_set(cli_ctx *c) { return design_cmd(c, "campaign set", 0); }

int cmd_campaign_cell(cli_ctx *c)
{
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    if (cli_flag(c, "remove")) {
        if (mk_cell_remove(w, c->args[0], c->args[1], cli_user(), &err))
            return cli_fail("campaign cell", &err);
        printf("campaign %s: cell %s removed\n", c->args[0], c->args[1]);
        return CLI_OK;
    }
    if (cli_flag(c, "pause") || cli_flag(c, "resume") || (cli_arg(c, "cap") && !cli_arg(c, "offer"))) {
        double cap = -1;  /* steering a live campaign's cell */
        if (cli_flag(c, "pause") && cli_flag(c, "resume"))
            return cli_failf("campaign cell", "--pause and --resume cannot be used together");
        if (cli_arg(c, "cap") && (rc = number("campaign cell", "cap", cli_arg(c, "cap"), 0, 1e12, &cap)))
            return rc;
        int paused = cli_flag(c, "pause") ? 1 : cli_flag(c, "resume") ? 0 : -1;
        if (mk_cell_steer(w, c->args[0], c->args[1], paused, (int64_t)cap, cli_user(), &err))
            return cli_fail("campaign cell", &err);
        printf("campaign %s: cell %s%s%s\n", c->args[0], c->args[1],
               paused == 1 ? " paused" : paused == 0 ? " resumed" : "", cap > 0 ? " capped" : cap == 0 ? " uncapped" : "");
        return CLI_OK;
    }
    mk_cell cell = { .campaign = c->args[0], .cell = c->args[1], .offer = cli_arg(c, "offer"),
                     .channel = cli_arg(c, "channel"), .message = cli_arg(c, "message") };
    double v;
    if ((cli_arg(c, "share") && (rc = number("campaign cell", "share", cli_arg(c, "share"), 0.0001, 1000, &cell.share))) ||
        (cli_arg(c, "cap") && (rc = number("campaign cell", "cap", cli_arg(c, "cap"), 0, 1e12, &v))))
        return rc;
    if (cli_arg(c, "cap"))
        cell.cap = (int64_t)v;
    if (mk_cell_put(w, &cell, cli_user(), &err))
        return cli_fail("campaign cell", &err);
    printf("campaign %s: cell %s gives %s by %s\n", cell.campaign, cell.cell, cell.offer, cell.channel);
    return CLI_OK;
}

int cmd_campaign_wave(cli_ctx *c)
{
    const char *cmd = "campaign wave";
    char *end;
    long n = strtol(c->args[1], &end, 10);
    if (*end || n < 1 || n > MK_MAX_WAVES)
        return cli_failf(cmd, "WAVE: a number from 1 to %d, not '%.20s'", MK_MAX_WAVES, c->args[1]);
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    if (cli_flag(c, "remove")) {
        if (mk_wave_remove(w, c->args[0], (int)n, cli_user(), &err))
            return cli_fail(cmd, &err);
        printf("campaign %s: wave %ld removed\n", c->args[0], n);
        return CLI_OK;
    }
    mk_wave v = { .campaign = c->args[0], .wave = (int)n, .starts_on = cli_arg(c, "starts"), .ends_on = cli_arg(c, "ends") };
    if (!v.starts_on)
        return cli_failf(cmd, "--starts DATE is required: the wave's first day");
    if (cli_arg(c, "share") && (rc = number(cmd, "share", cli_arg(c, "share"), 0.0001, 1000, &v.share)))
        return rc;
    if (mk_wave_put(w, &v, cli_user(), &err))
        return cli_fail(cmd, &err);
    printf("campaign %s: wave %d from %s, share %g (select again)\n", v.campaign, v.wave, v.starts_on,
           v.share > 0 ? v.share : 1);
    return CLI_OK;
}

/* ---- the lifecycle: one command a step ---- */

int cmd_campaign_step(cli_ctx *c)
{
    const char *action = c->cmd->name + strlen("campaign ");
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    const char *status;
    if (mk_campaign_act(w, c->args[0], action, cli_user(), cli_arg(c, "note"), &status, &err)) {
        char ctx[40];
        snprintf(ctx, sizeof ctx, "campaign %s", action);
        return cli_fail(ctx, &err);
    }
    printf("campaign %s is %s\n", c->args[0], status);
    return CLI_OK;
}

/* ---- reading ---- */

static void print_waterfall(const json_t *r)
{
    table t;
    table_init(&t, 3, 2);
    static const char *const head[] = { "step", "removed", "remaining" };
    table_row(&t, head);
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(r, "waterfall"), i, s) {
        char a[32], b[32], name[64];
        snprintf(a, sizeof a, "%lld", (long long)json_integer_value(json_object_get(s, "removed")));
        snprintf(b, sizeof b, "%lld", (long long)json_integer_value(json_object_get(s, "remaining")));
        snprintf(name, sizeof name, "%s%s", json_string_value(json_object_get(s, "name")),
                 json_is_true(json_object_get(s, "skipped")) ? " (skipped)" : "");
        const char *row[] = { name, a, b };
        table_row(&t, row);
    }
    table_print(&t, stdout);
    table_release(&t);
}

static void print_count(const json_t *r)
{
    printf("campaign %s: %lld candidates of %lld customers (as of %s; selection copy made %s)\n",
           json_string_value(json_object_get(r, "campaign")), (long long)json_integer_value(json_object_get(r, "candidates")),
           (long long)json_integer_value(json_object_get(r, "customers")), json_string_value(json_object_get(r, "as_of")),
           json_string_value(json_object_get(r, "mart_built_at")));
    print_waterfall(r);
    printf("treated %lld, control %lld\n", (long long)json_integer_value(json_object_get(r, "treated")),
           (long long)json_integer_value(json_object_get(r, "control")));
    size_t i;
    json_t *cl;
    json_array_foreach(json_object_get(r, "by_cell"), i, cl)
        printf("  cell %s: %lld (offer %s by %s)\n", json_string_value(json_object_get(cl, "cell")),
               (long long)json_integer_value(json_object_get(cl, "customers")),
               json_string_value(json_object_get(cl, "offer")), json_string_value(json_object_get(cl, "channel")));
}

/* count and select: the selection copy, then the design run over it. */
static int run_cmd(cli_ctx *c, const char *cmd, int select)
{
    const char *code = c->args[0], *rule = cli_arg(c, "rule");
    if (!code && !rule)
        return cli_failf(cmd, "name a campaign, or give --rule to count a rule alone");
    wh *w;
    mk_mart *m;
    int rc = cli_mart(c, cmd, select, &w, &m);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *r = NULL;
    rc = select ? mk_select(w, m, code, cli_user(), &r, &err)
         : code ? mk_count(w, m, code, rule, &r, &err)
                : mk_count_rule(w, m, rule, &r, &err);
    mk_mart_close(m);
    if (rc)
        return cli_fail(cmd, &err);
    if (cli_flag(c, "json"))
        cli_print_json(r);
    else if (!code)
        printf("%lld of %lld customers match (%.3f s)\n", (long long)json_integer_value(json_object_get(r, "matching")),
               (long long)json_integer_value(json_object_get(r, "customers")),
               json_number_value(json_object_get(r, "seconds")));
    else
        print_count(r);
    json_decref(r);
    return CLI_OK;
}

int cmd_campaign_count(cli_ctx *c) { return run_cmd(c, "campaign count", 0); }
int cmd_campaign_select(cli_ctx *c) { return run_cmd(c, "campaign select", 1); }

int cmd_campaign_show(cli_ctx *c)
{
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *o;
    if (mk_campaign_get(w, c->args[0], &o, &err))
        return cli_fail("campaign show", &err);
    if (cli_flag(c, "json")) {
        cli_print_json(o);
        json_decref(o);
        return CLI_OK;
    }
    cli_printable(o);
#define S(k) (json_string_value(json_object_get(o, k)) ? json_string_value(json_object_get(o, k)) : "-")
    printf("campaign %s  %s  [%s]\n", S("code"), S("name"), S("status"));
    printf("  objective  %s\n  purpose    %s\n  owner      %s (created by %s)\n  dates      %s to %s, responses "
           "until %s\n",
           S("objective"), S("purpose"), S("owner"), S("created_by"), S("start_date"), S("end_date"),
           S("response_deadline"));
    printf("  selection  rule %s; model %s", S("rule"), S("model"));
    if (json_integer_value(json_object_get(o, "top_deciles")))
        printf(" top %lld deciles", (long long)json_integer_value(json_object_get(o, "top_deciles")));
    printf("; list %s\n", S("list"));
    printf("  control    %g%%", json_number_value(json_object_get(o, "control_pct")));
    if (json_number_value(json_object_get(o, "control_rate")) > 0)
        printf(" (or by sample size: rate %g, margin %g, %lld%%)", json_number_value(json_object_get(o, "control_rate")),
               json_number_value(json_object_get(o, "control_margin")),
               (long long)json_integer_value(json_object_get(o, "control_confidence")));
    printf(", stratified by %s, seed %lld\n", S("stratify"), (long long)json_integer_value(json_object_get(o, "seed")));
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(o, "cells"), i, x)
        printf("  cell %s    offer %s by %s, share %g%s\n", json_string_value(json_object_get(x, "cell")),
               json_string_value(json_object_get(x, "offer")), json_string_value(json_object_get(x, "channel")),
               json_number_value(json_object_get(x, "share")), json_is_true(json_object_get(x, "paused")) ? " (paused)" : "");
    json_t *tg = json_object_get(o, "targets"), *bw = json_object_get(tg, "by_wave");
    json_array_foreach(json_object_get(o, "waves"), i, x) {
        json_int_t k = json_integer_value(json_object_get(x, "wave")), t = -1, ctl = 0;
        size_t j;
        json_t *y;
        json_array_foreach(bw, j, y) if (json_integer_value(json_object_get(y, "wave")) == k)
            t = json_integer_value(json_object_get(y, "treatment")), ctl = json_integer_value(json_object_get(y, "control"));
        printf("  wave %lld     from %s%s%s, share %g", (long long)k, json_string_value(json_object_get(x, "starts_on")),
               json_string_value(json_object_get(x, "ends_on")) ? " to " : "",
               json_string_value(json_object_get(x, "ends_on")) ? json_string_value(json_object_get(x, "ends_on")) : "",
               json_number_value(json_object_get(x, "share")));
        if (t >= 0)
            printf(": %lld treated, %lld control", (long long)t, (long long)ctl);
        printf("\n");
    }
    printf("  targets    %lld treated, %lld control, %lld contacted\n",
           (long long)json_integer_value(json_object_get(tg, "treatment")),
           (long long)json_integer_value(json_object_get(tg, "control")),
           (long long)json_integer_value(json_object_get(tg, "contacted")));
    if (json_array_size(json_object_get(o, "waterfall")))
        print_waterfall(o);
    json_array_foreach(json_object_get(o, "history"), i, x)
        printf("  %s  %-8s %-8s %s%s%s\n", json_string_value(json_object_get(x, "at")),
               json_string_value(json_object_get(x, "by")), json_string_value(json_object_get(x, "action")),
               json_string_value(json_object_get(x, "to")) ? json_string_value(json_object_get(x, "to")) : "",
               json_string_value(json_object_get(x, "detail")) ? ": " : "",
               json_string_value(json_object_get(x, "detail")) ? json_string_value(json_object_get(x, "detail")) : "");
#undef S
    json_decref(o);
    return CLI_OK;
}

int cmd_campaign_list(cli_ctx *c)
{
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *list;
    if (mk_campaign_list(w, cli_arg(c, "status"), &list, &err))
        return cli_fail("campaign list", &err);
    if (cli_flag(c, "json")) {
        cli_print_json(list);
        json_decref(list);
        return CLI_OK;
    }
    cli_printable(list);
    table t;
    table_init(&t, 6, 0);
    static const char *const head[] = { "campaign", "name", "status", "start", "owner", "targets" };
    table_row(&t, head);
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) {
        char n[32] = "";
        if (json_is_integer(json_object_get(o, "targets")))
            snprintf(n, sizeof n, "%lld", (long long)json_integer_value(json_object_get(o, "targets")));
        const char *s = json_string_value(json_object_get(o, "start_date")), *ow = json_string_value(json_object_get(o, "owner"));
        const char *row[] = { json_string_value(json_object_get(o, "code")), json_string_value(json_object_get(o, "name")),
                              json_string_value(json_object_get(o, "status")), s ? s : "", ow ? ow : "", n };
        table_row(&t, row);
    }
    table_print(&t, stdout);
    table_release(&t);
    json_decref(list);
    return CLI_OK;
}

/* An uploaded list of customers by id, as arguments or one a line in --file. */
int cmd_targetlist_add(cli_ctx *c)
{
    const char *file = cli_arg(c, "file");
    size_t n = 0, cap = 256;
    int64_t *ids = malloc(cap * sizeof *ids);
    if (!ids)
        return cli_failf("targetlist add", "out of memory");
    FILE *f = file ? fopen(file, "r") : NULL;
    if (file && !f) {
        free(ids);
        return cli_failf("targetlist add", "%s: cannot be read", file);
    }
    char line[128];
    int rc = CLI_OK;
    for (int a = 1, ln = 0; !rc;) {
        const char *s;
        if (a < c->nargs)
            s = c->args[a++];
        else if (f && fgets(line, sizeof line, f)) {
            ln++;
            line[strcspn(line, "\r\n")] = 0;
            if (!line[0] || line[0] == '#')
                continue;
            s = line;
        } else
            break;
        char *end;
        long long v = strtoll(!strncmp(s, "id:", 3) ? s + 3 : s, &end, 10);
        if (*end || v <= 0)
            rc = cli_failf("targetlist add", "%s%s%d: '%.40s' is not a customer id", f && a >= c->nargs ? file : "",
                           f && a >= c->nargs ? ":" : "customer ", f && a >= c->nargs ? ln : a - 1, s);
        else if (n == cap) {
            int64_t *p = realloc(ids, (cap *= 2) * sizeof *p);
            if (!p)
                rc = cli_failf("targetlist add", "out of memory");
            else
                ids = p;
        }
        if (!rc)
            ids[n++] = v;
    }
    if (f)
        fclose(f);
    wh *w;
    size_t added = 0;
    rp_error err = RP_ERROR_INIT;
    if (!rc && !(rc = cli_wh(c, 0, &w, NULL)) && mk_list_add(w, c->args[0], ids, n, cli_user(), &added, &err))
        rc = cli_fail("targetlist add", &err);
    free(ids);
    if (!rc)
        printf("list %s: %zu added of %zu\n", c->args[0], added, n);
    return rc;
}

int cmd_campaign_mart(cli_ctx *c)
{
    wh *w;
    mk_mart *m;
    int rc = cli_mart(c, "campaign mart", 0, &w, &m);
    if (rc)
        return rc;
    json_t *info = mk_mart_info(m);
    mk_mart_close(m);
    if (cli_flag(c, "json"))
        cli_print_json(info);
    else
        printf("selection copy: %lld customers, %d products, as of %s, made %s (%s)\n",
               (long long)json_integer_value(json_object_get(info, "customers")),
               (int)json_integer_value(json_object_get(info, "products")),
               json_string_value(json_object_get(info, "as_of")), json_string_value(json_object_get(info, "built_at")),
               json_string_value(json_object_get(info, "file")));
    json_decref(info);
    return CLI_OK;
}
