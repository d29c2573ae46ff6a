/* cmd_gen.c — `rapport gen`: write the synthetic bank's extracts. */
#include "cli/cli.h"
#include "gen/gen.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int number(const cli_cmd *self, const char *opt, const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end) {
        fprintf(stderr, "rapport: gen: %s: '%s' is not a number\nusage: %s\n", opt, s, self->usage);
        return CLI_USAGE;
    }
    *out = v;
    return CLI_OK;
}

int cmd_gen(cli_ctx *c)
{
    const cli_cmd *self = c->cmd;
    const char *customers = cli_arg(c, "customers");
    const char *months = cli_arg(c, "months");
    const char *seed = cli_arg(c, "seed");
    const char *rate = cli_arg(c, "defect-rate");
    const char *end = cli_arg(c, "end");
    gen_options o = GEN_OPTIONS_INIT;
    int json = cli_flag(c, "json");
    o.out = cli_arg(c, "out");
    int rc;
    if (!customers || !o.out) {
        fprintf(stderr, "rapport: gen: --customers and --out are required\nusage: %s\n", self->usage);
        return CLI_USAGE;
    }
    double v;
    if ((rc = number(self, "--customers", customers, &v)))
        return rc;
    if (v != (double)(int64_t)v)
        return cli_failf("gen", "--customers: '%s' is not a whole number", customers);
    o.customers = (int64_t)v;
    if (months) {
        if ((rc = number(self, "--months", months, &v)))
            return rc;
        o.months = v == (int)v ? (int)v : -1;
    }
    if (seed) {
        if ((rc = number(self, "--seed", seed, &v)))
            return rc;
        if (v < 0 || v != (double)(uint64_t)v)
            return cli_failf("gen", "--seed: '%s' is not a whole number of 0 or more", seed);
        o.seed = (uint64_t)v;
    }
    if (rate && (rc = number(self, "--defect-rate", rate, &o.defect_rate)))
        return rc;
    if (end && (sscanf(end, "%4d-%2d", &o.end_year, &o.end_month) != 2))
        return cli_failf("gen", "--end: '%s' is not a month such as 2026-10", end);
    o.progress = isatty(STDERR_FILENO);
    gen_stats st;
    rp_error err = RP_ERROR_INIT;
    if (gen_run(&o, &st, &err))
        return cli_fail("gen", &err);
    if (json) {
        json_t *j = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:f}", "out", o.out, "customers",
                              (json_int_t)st.customers, "organisations", (json_int_t)st.organisations,
                              "accounts", (json_int_t)st.accounts, "host_transactions",
                              (json_int_t)st.host_txns, "card_customers", (json_int_t)st.card_customers,
                              "card_transactions", (json_int_t)st.card_txns, "card_statements",
                              (json_int_t)st.card_statements, "online_users",
                              (json_int_t)st.online_users, "calls", (json_int_t)st.calls, "campaign_targets",
                              (json_int_t)st.campaign_targets, "records",
                              (json_int_t)st.records, "defects", (json_int_t)st.defects,
                              "churn_next_month", (json_int_t)st.churned_next_month,
                              "top20_revenue_share", st.top20_revenue_share);
        cli_print_json(j);
        json_decref(j);
    } else {
        printf("wrote %s: %lld customers (%lld organisations), %lld account holdings, %lld host "
               "transactions, %lld card holders, %lld card transactions, %lld card statements, %lld online users, "
               "%lld calls, "
               "%lld campaign targets; %lld defects in %lld records; top 20%% of customers give %.1f%% "
               "of revenue\n",
               o.out, (long long)st.customers, (long long)st.organisations, (long long)st.accounts,
               (long long)st.host_txns, (long long)st.card_customers, (long long)st.card_txns,
               (long long)st.card_statements, (long long)st.online_users, (long long)st.calls, (long long)st.campaign_targets,
               (long long)st.defects, (long long)st.records, 100 * st.top20_revenue_share);
    }
    return CLI_OK;
}
