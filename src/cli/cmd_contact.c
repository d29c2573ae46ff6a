/* cmd_contact.c — rapport contact erlang: a centre's service level, speed of answer and the agents a
 * target needs by Erlang C; rapport contact simulate: the same centre simulated call by call, interval
 * by interval, beside Erlang C's figures (contact.h). */
#include "cli/cli.h"
#include "cli/table.h"
#include "contact/contact.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --name as a number from min to max (def when absent); -1 said when it is not. */
static int num(cli_ctx *c, const char *cmd, const char *name, double min, double max, double def, double *out)
{
    const char *s = cli_arg(c, name);
    char *end;
    *out = def;
    if (!s)
        return 0;
    double v = strtod(s, &end);
    if (!*s || *end || !(v >= min && v <= max)) {
        cli_failf(cmd, "--%s: a number from %g to %g, not '%.20s'", name, min, max, s);
        return -1;
    }
    *out = v;
    return 0;
}

static json_t *erlang_json(const cc_erlang *e, int agents)
{
    return json_pack("{s:i, s:f, s:f, s:f, s:o, s:f}", "agents", agents, "traffic", e->traffic, "p_wait", e->p_wait,
                     "service_level", e->service_level, "asa", isfinite(e->asa) ? json_real(e->asa) : json_null(),
                     "occupancy", e->occupancy);
}

int cmd_contact_erlang(cli_ctx *c)
{
    const char *cmd = "contact erlang";
    double calls, interval, aht, agents, target, sl, asa;
    if (num(c, cmd, "calls", 0, 1e7, -1, &calls) || num(c, cmd, "interval", 1, 86400, 1800, &interval) ||
        num(c, cmd, "aht", 1, 86400, -1, &aht) || num(c, cmd, "agents", 1, 1e6, -1, &agents) ||
        num(c, cmd, "target", 0, 86400, 20, &target) || num(c, cmd, "service-level", 1, 99.99, -1, &sl) ||
        num(c, cmd, "max-asa", 0, 86400, 0, &asa))
        return CLI_FAIL;
    if (calls < 0 || aht < 0)
        return cli_failf(cmd, "--calls and --aht are required: the calls in an interval and their handle time");
    if ((agents < 0) == (sl < 0))
        return cli_failf(cmd, "give --agents N (their service level) or --service-level P (the agents it needs)");
    cc_erlang e;
    rp_error err = RP_ERROR_INIT;
    int n = (int)agents;
    if (sl >= 0 ? cc_erlang_agents(calls, interval, aht, target, sl / 100, asa, 1000000, &n, &e, &err)
                : cc_erlang_c(calls, interval, aht, n, target, &e, &err))
        return cli_fail(cmd, &err);
    json_t *o = erlang_json(&e, n);
    if (cli_flag(c, "json"))
        cli_print_json(o);
    else if (!isfinite(e.asa))
        printf("%.1f Erlangs on %d agents: more work than agents, the queue grows without end\n", e.traffic, n);
    else
        printf("%d agents, %.1f Erlangs (occupancy %.1f %%): %.2f %% answered within %g s, average speed of answer "
               "%.2f s, %.2f %% of calls wait\n",
               n, e.traffic, 100 * e.occupancy, 100 * e.service_level, target, e.asa, 100 * e.p_wait);
    json_decref(o);
    return CLI_OK;
}

/* "100,120,90": a value for each interval; a single value for all. */
static int per_interval(const char *cmd, const char *opt, const char *text, int n, double max, double *out)
{
    int k = 0;
    for (const char *p = text; k < CC_SIM_MAX_INTERVALS;) {
        char *end;
        double v = strtod(p, &end);
        if (end == p || !(v >= 0 && v <= max) || (*end && *end != ','))
            return cli_failf(cmd, "--%s: numbers from 0 to %g, comma-separated, not '%.40s'", opt, max, text);
        out[k++] = v;
        if (!*end)
            break;
        p = end + 1;
    }
    if (k == 1)
        for (int i = 1; i < n; i++)
            out[i] = out[0];
    else if (k != n)
        return cli_failf(cmd, "--%s: %d values for %d intervals (one value is every interval's)", opt, k, n);
    return CLI_OK;
}

static void print_sim(const cc_sim_in *in, const cc_sim_out *o)
{
    table t;
    table_init(&t, 8, 2);
    static const char *const head[] = { "interval", "agents", "offered", "answered", "abandoned", "service_level_pct",
                                        "asa_s", "erlang_c_pct" };
    table_row(&t, head);
    for (int k = 0; k < in->intervals; k++) {
        const cc_sim_stats *s = &o->interval[k];
        cc_erlang e;
        rp_error err = RP_ERROR_INIT;
        char f[7][32];
        snprintf(f[0], 32, "%d", k + 1);
        snprintf(f[1], 32, "%d", in->agents[k]);
        snprintf(f[2], 32, "%lld", (long long)s->offered);
        snprintf(f[3], 32, "%lld", (long long)s->answered);
        snprintf(f[4], 32, "%lld", (long long)s->abandoned);
        snprintf(f[5], 32, "%.1f", s->offered ? 100.0 * (double)s->within_target / (double)s->offered : 0);
        snprintf(f[6], 32, "%.1f", s->answered ? s->wait_sum_s / (double)s->answered : 0);
        char ec[32] = "";
        if (in->calls[k] > 0 && in->agents[k] > 0 &&
            !cc_erlang_c(in->calls[k], in->interval_s, in->aht_s, in->agents[k], in->target_s, &e, &err))
            snprintf(ec, sizeof ec, "%.1f", 100 * e.service_level);
        const char *row[] = { f[0], f[1], f[2], f[3], f[4], f[5], f[6], ec };
        table_row(&t, row);
    }
    table_print(&t, stdout);
    table_release(&t);
    const cc_sim_stats *a = &o->all;
    printf("in all: %lld offered, %lld answered, %lld abandoned; %.2f %% within %g s, average speed of answer %.2f s, "
           "occupancy %.1f %%; simulated in %.3f s\n",
           (long long)a->offered, (long long)a->answered, (long long)a->abandoned,
           a->offered ? 100.0 * (double)a->within_target / (double)a->offered : 0, in->target_s,
           a->answered ? a->wait_sum_s / (double)a->answered : 0, a->staffed_s > 0 ? 100 * a->busy_s / a->staffed_s : 0,
           o->seconds);
    if (o->unended)
        printf("%lld calls could not end: no agent was left to answer them and nobody gave up\n", (long long)o->unended);
}

static json_t *sim_json(const cc_sim_in *in, const cc_sim_out *o)
{
    json_t *arr = json_array();
    for (int k = 0; k <= in->intervals; k++) {
        const cc_sim_stats *s = k < in->intervals ? &o->interval[k] : &o->all;
        json_t *x = json_pack("{s:I, s:I, s:I, s:I, s:f, s:f, s:f}", "offered", (json_int_t)s->offered, "answered",
                              (json_int_t)s->answered, "abandoned", (json_int_t)s->abandoned, "within_target",
                              (json_int_t)s->within_target, "wait_sum_s", s->wait_sum_s, "busy_s", s->busy_s,
                              "longest_wait_s", s->longest_wait_s);
        if (k == in->intervals)
            return json_pack("{s:o, s:o, s:I, s:f}", "intervals", arr, "all", x, "unended", (json_int_t)o->unended,
                             "seconds", o->seconds);
        json_object_set_new(x, "agents", json_integer(in->agents[k]));
        json_array_append_new(arr, x);
    }
    return arr; /* not reached */
}

int cmd_contact_simulate(cli_ctx *c)
{
    const char *cmd = "contact simulate";
    double n, interval, aht, patience, target, seed, cv;
    cc_sim_in in;
    memset(&in, 0, sizeof in);
    if (num(c, cmd, "intervals", 1, CC_SIM_MAX_INTERVALS, 1, &n) || num(c, cmd, "interval", 1, 86400, 1800, &interval) ||
        num(c, cmd, "aht", 1, 86400, -1, &aht) || num(c, cmd, "patience", 0, 86400, 0, &patience) ||
        num(c, cmd, "target", 0, 86400, 20, &target) || num(c, cmd, "seed", 0, 4294967295.0, 1, &seed) ||
        num(c, cmd, "handle-cv", 0, 10, 0, &cv))
        return CLI_FAIL;
    if (aht < 0 || !cli_arg(c, "calls") || !cli_arg(c, "agents"))
        return cli_failf(cmd, "--calls, --agents and --aht are required");
    in.intervals = (int)n, in.interval_s = interval, in.aht_s = aht, in.patience_s = patience, in.target_s = target;
    in.seed = (uint64_t)seed, in.handle_cv = cv, in.handle = cv > 0 ? CC_HANDLE_LOGNORMAL : CC_HANDLE_EXP;
    double agents[CC_SIM_MAX_INTERVALS];
    int rc = per_interval(cmd, "calls", cli_arg(c, "calls"), in.intervals, 1e7, in.calls);
    if (!rc)
        rc = per_interval(cmd, "agents", cli_arg(c, "agents"), in.intervals, CC_SIM_MAX_AGENTS, agents);
    if (rc)
        return rc;
    for (int k = 0; k < in.intervals; k++)
        in.agents[k] = (int)agents[k];
    static cc_sim_out out;
    rp_error err = RP_ERROR_INIT;
    if (cc_simulate(&in, &out, &err))
        return cli_fail(cmd, &err);
    if (cli_flag(c, "json")) {
        json_t *o = sim_json(&in, &out);
        cli_print_json(o);
        json_decref(o);
    } else
        print_sim(&in, &out);
    return CLI_OK;
}
