/* job_value.c — value: profitability per customer (DOMAIN M2), the totals,
 * the deciles of profit, transactions and cost per channel. */
#include "analytics/internal.h"

#include <stdio.h>
#include <stdlib.h>

an_job_fn an_value_job;

static json_t *value_summary(an_valued *d, rp_error *err)
{
    size_t n = d->base.ncust, profitable = 0, losing = 0;
    int64_t tot[5] = { 0 };
    int64_t ch_n[AN_NCH] = { 0 };
    for (size_t i = 0; i < n; i++) {
        const an_value *v = &d->v[i];
        tot[0] += v->revenue, tot[1] += v->margin, tot[2] += v->fees, tot[3] += v->cost, tot[4] += v->profit;
        profitable += v->profit > 0;
        losing += v->profit < 0;
        for (int ch = 0; ch < AN_NCH; ch++)
            ch_n[ch] += d->base.cust[i].w[0].n[ch];
    }
    /* the distribution of profit by decile */
    int64_t *profit = malloc((n ? n : 1) * sizeof *profit);
    an_pareto p;
    if (!profit) {
        rp_err(err, RP_NOMEM, NULL);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        profit[i] = d->v[i].profit;
    int rc = an_pareto_compute(profit, n, &p, err);
    free(profit);
    if (rc)
        return NULL;
    json_t *chan = json_array();
    for (int ch = 0; ch < AN_NCH; ch++)
        json_array_append_new(chan, json_pack("{s:s, s:I, s:o}", "channel", wh_txn_channels[ch], "transactions",
                                              (json_int_t)ch_n[ch], "cost",
                                              an_money(ch_n[ch] * d->vp.channel_cost[ch])));
    char head[256];
    snprintf(head, sizeof head, "%zu customers: revenue %.2f, cost to serve %.2f, profit %.2f; %zu profitable, %zu "
             "cost more than they bring", n, (double)tot[0] / 100, (double)tot[3] / 100, (double)tot[4] / 100,
             profitable, losing);
    return json_pack("{s:s, s:{s:o, s:o, s:o, s:o, s:o}, s:I, s:I, s:o, s:o}", "headline", head, "totals", "revenue",
                     an_money(tot[0]), "interest_margin", an_money(tot[1]), "fees", an_money(tot[2]),
                     "cost_to_serve", an_money(tot[3]), "profit", an_money(tot[4]), "profitable",
                     (json_int_t)profitable, "loss_making", (json_int_t)losing, "channels", chan, "table",
                     an_decile_table(&p));
}

int an_value_job(wh *w, const an_job_opts *o, json_t **summary, rp_error *err)
{
    return an_valued_job(w, o, value_summary, summary, err);
}
