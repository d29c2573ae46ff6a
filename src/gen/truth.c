/*
 * truth.c — the truth beside the extracts: every defect as it is put in,
 * churn (within the window and the month after), life stage, value tier
 * and revenue; the top 20 %'s share of revenue from a log-binned histogram.
 */
#include "gen/internal.h"

#include <math.h>
#include <stdio.h>

static const char *const stages[] = { "student", "young_adult", "family", "mature", "retired" };

void gen_truth_begin(ctx *c)
{
    gen_out_printf(&c->identity, "source,source_key,person_id\n");
    gen_out_printf(&c->defects, "source,file,record,field,defect\n");
    gen_out_printf(&c->churn, "person_id,host_cust_no,churn_month,churn_next_month,hazard_next\n");
    gen_out_printf(&c->segments, "person_id,host_cust_no,lifecycle,value_tier,kind,revenue_twd\n");
    gen_out_printf(&c->behaviour, "person_id,host_cust_no,digital,card,dpd_last,pd_next,delinquent_next_month\n");
}

/* A defect put into record `record` of file o (field `what`, or "" for the
 * whole record). */
void gen_defect(ctx *c, const char *source, const gen_out *o, int64_t record, const char *what,
                const char *kind)
{
    gen_out_printf(&c->defects, "%s,%s,%lld,%s,%s\n", source, o->rel, (long long)record, what, kind);
    c->st->defects++;
}

/* The customer's true segment and churn; revenue into the histogram. */
void gen_truth(ctx *c, const person *p)
{
    const char *tier = p->wealth > 8 ? "private" : p->wealth > 2.5 ? "affluent" : p->wealth > 0.6 ? "mass" : "low";
    gen_out_printf(&c->segments, "%s,%s,%s,%s,%s,%.0f\n", p->pid, p->cust_no, p->org ? "company" : stages[p->stage],
                   tier, p->org ? "organisation" : "person", p->revenue);
    static const char *const card[] = { "", "transactor", "revolver" };
    int held = p->has_card && !(p->churn_m >= 0 && p->churn_m < c->o->months) && p->card_dpd_last < 180;
    if (held)
        gen_out_printf(&c->behaviour, "%s,%s,%.3f,%s,%d,%.5f,%d\n", p->pid, p->cust_no, p->digital,
                       card[p->card_kind], p->card_dpd_last, p->card_pd_next, p->card_bad_next);
    else
        gen_out_printf(&c->behaviour, "%s,%s,%.3f,%s,%s,,\n", p->pid, p->cust_no, p->digital,
                       p->has_card ? card[p->card_kind] : "", p->card_dpd_last >= 180 ? "180" : "");
    char cm[16] = "";
    int months = c->o->months;
    if (p->churn_m >= 0 && p->churn_m < months)
        snprintf(cm, sizeof cm, "%04d-%02d", month_y(c, p->churn_m) % 10000, month_m(c, p->churn_m) % 100);
    gen_out_printf(&c->churn, "%s,%s,%s,%d,%.5f\n", p->pid, p->cust_no, cm, p->churn_m == months,
                   p->churn_m >= 0 && p->churn_m < months ? 0.0 : p->hazard_next);
    c->st->churned_next_month += p->churn_m == months;
    double v = p->revenue > 0 ? p->revenue : 0;
    int bin = (int)(log10(v + 1) * (REV_BINS / 10.0));
    if (bin >= REV_BINS)
        bin = REV_BINS - 1;
    c->rev_hist[bin] += v;
    c->rev_cnt[bin] += 1;
    c->rev_total += v;
    c->rev_n++;
}

/* The top 20 % of customers' share of all revenue, from the histogram. */
double gen_top20_share(const ctx *c)
{
    double want = 0.2 * (double)c->rev_n, have = 0, sum = 0;
    for (int b = REV_BINS - 1; b >= 0 && have < want; b--) {
        double take = c->rev_cnt[b] < want - have ? c->rev_cnt[b] : want - have;
        if (c->rev_cnt[b] > 0)
            sum += c->rev_hist[b] * take / c->rev_cnt[b];
        have += take;
    }
    return c->rev_total > 0 ? sum / c->rev_total : 0;
}
