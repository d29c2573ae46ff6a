/* job_pareto.c — pareto (DOMAIN M3): the contribution curve of a measure,
 * the top 20 %'s share, the breakpoints and the deciles. */
#include "analytics/internal.h"

#include <stdio.h>

an_job_fn an_pareto_job;

static json_t *pareto_summary(an_valued *d, rp_error *err)
{
    an_pareto p;
    if (an_pareto_compute(d->measure, d->base.ncust, &p, err))
        return NULL;
    json_t *curve = json_array();
    for (int k = 0; k <= 100; k++)
        json_array_append_new(curve, an_pct(p.cum_share[k]));
    char head[256];
    snprintf(head, sizeof head, "the top 20%% of customers give %.1f%% of %s; half of it comes from %.1f%% of them",
             p.top20_share * 100, d->measure_name, p.breakpoint[0] * 100);
    json_t *bp = json_array();
    static const int at[4] = { 50, 80, 90, 95 };
    for (int i = 0; i < 4; i++)
        json_array_append_new(bp, json_pack("{s:i, s:o}", "share_of_total_%", at[i], "customers_%",
                                            an_pct(p.breakpoint[i])));
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "headline", head, "measure", d->measure_name, "total",
                     an_money(p.total), "top20_share_%", an_pct(p.top20_share), "curve_%", curve, "breakpoints", bp,
                     "table", an_decile_table(&p));
}

int an_pareto_job(wh *w, const an_job_opts *o, json_t **summary, rp_error *err)
{
    return an_valued_job(w, o, pareto_summary, summary, err);
}
