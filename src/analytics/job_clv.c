/* job_clv.c — clv (DOMAIN M2): BG/NBD and Gamma-Gamma fitted on the
 * purchase days to the as-of date; each customer's P(alive), expected
 * transactions and value, and lifetime value (customer_clv); the deciles of
 * lifetime value and the ROI of acquiring a customer. */
#include "analytics/clv.h"
#include "analytics/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

an_job_fn an_clv_job;

typedef struct clv_job {
    double margin, annual, horizon, period, rate;
    an_base b;
    an_rfx *c;                   /* one summary per customer with a purchase by the as-of date */
    uint32_t *who;               /* its customer */
    size_t n;
    an_bgnbd m;
    an_gg g;
    double *clv;
    double sum_alive, sum_exp, sum_clv;
} clv_job;

/* x, t_x, T and zbar of each customer from the purchase days. */
static int summaries(clv_job *j, int32_t as_of, rp_error *err)
{
    const an_base *b = &j->b;
    j->c = malloc((b->ncust ? b->ncust : 1) * sizeof *j->c);
    j->who = malloc((b->ncust ? b->ncust : 1) * sizeof *j->who);
    if (!j->c || !j->who)
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < b->ndays;) {
        uint32_t cu = (uint32_t)(b->days[i].key >> 32);
        int64_t first = (int64_t)(uint32_t)b->days[i].key + INT32_MIN, last = first;
        double repeat = 0;
        size_t k = i + 1;
        for (; k < b->ndays && (uint32_t)(b->days[k].key >> 32) == cu; k++) {
            last = (int64_t)(uint32_t)b->days[k].key + INT32_MIN;
            repeat += (double)b->days[k].value / 100.0;
        }
        double x = (double)(k - i - 1);
        j->c[j->n] = (an_rfx){ x, (double)(last - first) / 7.0, (double)(as_of - first) / 7.0, x > 0 ? repeat / x : 0 };
        j->who[j->n++] = cu;
        i = k;
    }
    return RP_OK;
}

int an_clv_of_base(const an_base *b, int32_t as_of, double *p_alive, double *clv, rp_error *err)
{
    clv_job j = { .horizon = 52, .margin = 0.30, .annual = 15, .b = *b };
    for (size_t i = 0; i < b->ncust; i++)
        p_alive[i] = clv[i] = NAN;
    int rc = summaries(&j, as_of, err);
    if (!rc && j.n >= 2 && !an_bgnbd_fit(j.c, j.n, &j.m, err) && !an_gg_fit(j.c, j.n, &j.g, err)) {
        j.period = 52.0 / 12.0;
        j.rate = pow(1 + j.annual / 100.0, 1.0 / 12.0) - 1;
        for (size_t i = 0; i < j.n; i++) {
            p_alive[j.who[i]] = an_bgnbd_p_alive(&j.m, &j.c[i]);
            clv[j.who[i]] = an_clv(&j.m, &j.g, &j.c[i], j.horizon, j.period, j.rate, j.margin);
        }
    }
    if (!rc)
        rp_err_clear(err); /* a population the models do not fit leaves the values unknown */
    free(j.c), free(j.who);
    return rc;
}

/* Each customer's lifetime value, kept in customer_clv when saving. */
static int score(clv_job *j, an_run *r, rp_error *err)
{
    if (!(j->clv = malloc((j->n ? j->n : 1) * sizeof *j->clv)))
        return rp_err(err, RP_NOMEM, NULL);
    rp_stmt *st = NULL;
    int rc = RP_OK;
    if (r->o->save)
        rc = rp_store_prepare(r->s,
                              "INSERT INTO customer_clv(run_id, customer_id, x, t_x, t_cal, p_alive, expected, "
                              "expected_value, clv_minor) VALUES (?,?,?,?,?,?,?,?,?)",
                              &st, err);
    for (size_t i = 0; !rc && i < j->n; i++) {
        const an_rfx *c = &j->c[i];
        double pa = an_bgnbd_p_alive(&j->m, c), ex = an_bgnbd_expected(&j->m, c, j->horizon);
        double ev = an_gg_expected(&j->g, c);
        j->clv[i] = an_clv(&j->m, &j->g, c, j->horizon, j->period, j->rate, j->margin);
        j->sum_alive += pa, j->sum_exp += ex, j->sum_clv += j->clv[i];
        if (st) {
            rp_stmt_bind_int(st, 1, r->id);
            rp_stmt_bind_int(st, 2, j->b.cust[j->who[i]].id);
            rp_stmt_bind_int(st, 3, (int64_t)c->x);
            rp_stmt_bind_real(st, 4, c->t_x);
            rp_stmt_bind_real(st, 5, c->T);
            rp_stmt_bind_real(st, 6, pa);
            rp_stmt_bind_real(st, 7, ex);
            rp_stmt_bind_real(st, 8, ev);
            rp_stmt_bind_int(st, 9, (int64_t)llround(j->clv[i] * 100));
            rc = rp_stmt_run(st, err);
        }
    }
    return rc;
}

/* The deciles of lifetime value as the summary's table (NULL and err set on failure). */
static json_t *deciles(const clv_job *j, rp_error *err)
{
    size_t n = j->n;
    int64_t *v = malloc((n ? n : 1) * sizeof *v);
    uint32_t *rank = malloc((n ? n : 1) * sizeof *rank);
    int rc = !v || !rank ? rp_err(err, RP_NOMEM, NULL) : RP_OK;
    for (size_t i = 0; !rc && i < n; i++)
        v[i] = (int64_t)llround(j->clv[i] * 100);
    if (!rc)
        rc = an_rank(v, n, rank, err);
    static const char *const cols[] = { "decile", "customers", "mean_p_alive", "expected_transactions", "clv",
                                        "clv_%", NULL };
    json_t *t = an_table_new(cols);
    double dsum[10][3] = { { 0 } };
    size_t dn[10] = { 0 };
    for (size_t i = 0; !rc && i < n; i++) {
        int q = (int)((uint64_t)rank[i] * 10 / n);
        dn[q]++;
        dsum[q][0] += an_bgnbd_p_alive(&j->m, &j->c[i]);
        dsum[q][1] += an_bgnbd_expected(&j->m, &j->c[i], j->horizon);
        dsum[q][2] += j->clv[i];
    }
    for (int q = 0; q < 10 && !rc; q++)
        an_table_add(t, json_pack("[i, I, f, f, f, o]", q + 1, (json_int_t)dn[q],
                                  dn[q] ? round(dsum[q][0] / (double)dn[q] * 1000) / 1000 : 0.0,
                                  round(dsum[q][1] * 10) / 10, round(dsum[q][2] * 100) / 100,
                                  an_pct(j->sum_clv ? dsum[q][2] / j->sum_clv : 0)));
    free(v), free(rank);
    if (rc) {
        json_decref(t);
        return NULL;
    }
    return t;
}

static json_t *clv_summary(const clv_job *j, double acquisition_cost, rp_error *err)
{
    /* a new customer: the first purchase now, then the expected repeats, discounted by period */
    an_rfx mean = { 0, 0, 0, 0 };
    double ez = an_gg_expected(&j->g, &mean), future = ez * j->margin, prev = 0;
    for (int k = 1; k * j->period <= j->horizon + 1e-9; k++) {
        double e = an_bgnbd_expected_new(&j->m, k * j->period);
        future += (e - prev) * ez * j->margin / pow(1 + j->rate, k);
        prev = e;
    }
    json_t *t = deciles(j, err);
    if (!t)
        return NULL;
    const an_bgnbd *m = &j->m;
    const an_gg *g = &j->g;
    char head[320];
    snprintf(head, sizeof head, "BG/NBD r=%.3f alpha=%.3f a=%.3f b=%.3f (log-likelihood %.1f), Gamma-Gamma p=%.2f "
             "q=%.2f gamma=%.2f; %zu customers expect %.0f transactions in %g weeks, lifetime value %.2f",
             m->r, m->alpha, m->a, m->b, m->ll, g->p, g->q, g->gamma, j->n, j->sum_exp, j->horizon, j->sum_clv);
    return json_pack("{s:s, s:{s:f, s:f, s:f, s:f, s:f}, s:{s:f, s:f, s:f, s:f, s:I}, "
                     "s:f, s:f, s:f, s:{s:f, s:f, s:o}, s:o}",
                     "headline", head, "bgnbd", "r", m->r, "alpha", m->alpha, "a", m->a, "b", m->b,
                     "log_likelihood", m->ll, "gamma_gamma", "p", g->p, "q", g->q, "gamma", g->gamma,
                     "log_likelihood", g->ll, "customers", (json_int_t)g->customers, "mean_p_alive",
                     j->n ? j->sum_alive / (double)j->n : 0, "expected_transactions", j->sum_exp, "total_clv",
                     round(j->sum_clv * 100) / 100, "new_customer", "expected_value_per_transaction", ez,
                     "discounted_contribution", round(future * 100) / 100, "roi",
                     acquisition_cost > 0 ? json_real(round(future / acquisition_cost * 1000) / 1000) : json_null(),
                     "table", t);
}

int an_clv_job(wh *w, const an_job_opts *o, json_t **summary, rp_error *err)
{
    clv_job j = { .horizon = o->horizon_weeks > 0 ? o->horizon_weeks : 52 };
    int rc = an_cfg_double(o, "clv", "margin", 0.30, 0, 1, &j.margin, err);
    if (!rc)
        rc = an_cfg_double(o, "clv", "discount_rate", 15, 0, 1000, &j.annual, err);
    if (rc)
        return rc;
    if (!(j.horizon > 0 && j.horizon <= 52 * 50))
        return rp_err(err, RP_INVAL, "--horizon: %g weeks is not from 1 to 2600", j.horizon);
    an_base_params bp;
    an_base_params_of(o, &bp);
    bp.want_days = 1;
    bp.days_to = o->as_of + 1;
    if ((rc = an_base_get(w, o, &bp, &j.b, err)))
        return rc;
    json_t *params = NULL, *sum = NULL;
    an_run r;
    if ((rc = summaries(&j, o->as_of, err)) || (rc = an_bgnbd_fit(j.c, j.n, &j.m, err)) ||
        (rc = an_gg_fit(j.c, j.n, &j.g, err))) {
        if (rc == RP_INVAL || rc == RP_NUMERIC)
            rp_err_prefix(err, "%zu customers with purchases by the as-of date", j.n);
        goto out;
    }
    j.period = 52.0 / 12.0;
    j.rate = pow(1 + j.annual / 100.0, 1.0 / 12.0) - 1;
    params = json_pack("{s:f, s:f, s:f, s:f}", "horizon_weeks", j.horizon, "margin", j.margin, "discount_rate_%",
                       j.annual, "acquisition_cost", o->acquisition_cost);
    if ((rc = an_run_begin(w, o, params, &r, err)))
        goto out;
    if ((rc = score(&j, &r, err)) || !(sum = clv_summary(&j, o->acquisition_cost, err))) {
        if (!rc)
            rc = err->code ? err->code : RP_NOMEM;
        an_run_abort(&r);
        goto out;
    }
    rc = an_run_end(&r, sum, j.n, err);
out:
    json_decref(params);
    free(j.c), free(j.who), free(j.clv);
    an_base_free(&j.b);
    return an_hand_over(rc, sum, summary);
}
