/* jobs.c — running analyses against the store.  See jobs.h. */
#include "analytics/jobs.h"
#include "analytics/base.h"
#include "analytics/change.h"
#include "analytics/clv.h"
#include "analytics/cluster.h"
#include "analytics/segment.h"
#include "analytics/value.h"
#include "core/rtime.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const an_job_info an_jobs[] = {
    { "value", "profitability per customer: revenue (interest margin, fees) less cost to serve by channel" },
    { "pareto", "contribution curve, the top 20 %'s share, breakpoints and deciles" },
    { "pyramid", "the customer pyramid: customers and value per level" },
    { "rfm", "recency, frequency and monetary value, quintile scores and RFM cells" },
    { "clv", "lifetime value: BG/NBD and Gamma-Gamma, P(alive), expected transactions, ROI of acquisition" },
    { "gains-losses", "month on month: customers spending the same, more, less, activated and lapsed" },
    { "migration", "movement between pyramid levels or segments, and the rules of joining, leaving and staying" },
    { "segment", "rule-based segments, checked to be exhaustive and mutually exclusive" },
    { "cluster", "k-means++ on standardised features, k by silhouette or elbow, profiles in words" },
    { "quality", "data quality per source and field: completeness, validity, duplicates, rejects by rule" },
};
const int an_njobs = (int)(sizeof an_jobs / sizeof an_jobs[0]);

/* ---- helpers ---- */

static json_t *money(int64_t minor) { return json_real((double)minor / 100.0); }
static json_t *pct(double share) { return json_real(round(share * 10000.0) / 100.0); }

static void day_text(int32_t day, char out[RP_DATE_LEN]) { rp_date_format(rp_civil_from_days(day), out); }

/* The day `m` months before `day` (same day of month, or the month's last). */
static int32_t months_back(int32_t day, int m)
{
    rp_date d = rp_civil_from_days(day);
    int idx = d.y * 12 + (d.m - 1) - m;
    int y = idx >= 0 ? idx / 12 : (idx - 11) / 12, mo = idx - y * 12 + 1;
    int dd = d.d;
    while (dd > 28 && !rp_date_valid(y, mo, dd))
        dd--;
    return (int32_t)rp_days_from_civil(y, mo, dd);
}

static json_t *table_new(const char *const *cols)
{
    json_t *c = json_array();
    for (; *cols; cols++)
        json_array_append_new(c, json_string(*cols));
    return json_pack("{s:o, s:[]}", "columns", c, "rows");
}

static void table_add(json_t *t, json_t *row) { json_array_append_new(json_object_get(t, "rows"), row); }

static int cfg_double(const an_job_opts *o, const char *sec, const char *key, double def, double min, double max,
                      double *out, rp_error *err)
{
    const char *v = o->cfg ? rp_config_get(o->cfg, sec, key, NULL) : NULL;
    if (!v) {
        *out = def;
        return RP_OK;
    }
    char *end;
    double d = strtod(v, &end);
    while (*end == ' ')
        end++;
    if (end == v || *end || !isfinite(d) || d < min || d > max)
        return rp_err(err, RP_INVAL, "[%s] %s: '%s' is not a number from %g to %g", sec, key, v, min, max);
    *out = d;
    return RP_OK;
}

static int value_params(const an_job_opts *o, an_value_params *p, rp_error *err)
{
    an_value_params_default(p);
    int rc = cfg_double(o, "value", "ftp_rate", p->ftp, -100, 100, &p->ftp, err);
    if (!rc)
        rc = cfg_double(o, "value", "investment_fee", p->investment_fee, 0, 100, &p->investment_fee, err);
    if (!rc)
        rc = cfg_double(o, "value", "interchange", p->interchange, 0, 100, &p->interchange, err);
    for (int ch = 0; !rc && ch < AN_NCH; ch++) {
        char key[32];
        snprintf(key, sizeof key, "cost_%s", an_channel_names[ch]);
        double v;
        rc = cfg_double(o, "value", key, (double)p->channel_cost[ch] / 100.0, 0, 1e9, &v, err);
        p->channel_cost[ch] = (int64_t)llround(v * 100.0);
    }
    return rc;
}

static json_t *value_params_json(const an_value_params *p)
{
    json_t *cost = json_object();
    for (int ch = 0; ch < AN_NCH; ch++)
        json_object_set_new(cost, an_channel_names[ch], money(p->channel_cost[ch]));
    return json_pack("{s:f, s:f, s:f, s:o}", "ftp_rate", p->ftp, "investment_fee", p->investment_fee, "interchange",
                     p->interchange, "cost_per_transaction", cost);
}

static int base_params(const an_job_opts *o, an_base_params *bp)
{
    memset(bp, 0, sizeof *bp);
    bp->windows = 1;
    bp->to[0] = o->as_of + 1;
    bp->from[0] = months_back(o->as_of, o->months > 0 ? o->months : 12) + 1;
    bp->activity_classes = o->cfg ? rp_config_get(o->cfg, "analytics", "activity_classes", NULL) : NULL;
    bp->fee_classes = o->cfg ? rp_config_get(o->cfg, "analytics", "fee_classes", NULL) : NULL;
    bp->progress = o->progress;
    bp->facts = o->facts;
    return RP_OK;
}

/* ---- bases shared between the jobs of one process ---- */

#define BASE_CACHE 4
struct an_base_cache {
    an_base b[BASE_CACHE];
    int n;
};

an_base_cache *an_base_cache_new(void) { return calloc(1, sizeof(an_base_cache)); }

void an_base_cache_free(an_base_cache *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->n; i++)
        an_base_free(&c->b[i]);
    free(c);
}

static int same_text(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

static int same_params(const an_base_params *a, const an_base_params *b)
{
    if (a->windows != b->windows || a->want_days != b->want_days || (a->want_days && a->days_to != b->days_to) ||
        !same_text(a->activity_classes, b->activity_classes) || !same_text(a->fee_classes, b->fee_classes) ||
        !same_text(a->facts, b->facts))
        return 0;
    for (int w = 0; w < a->windows; w++)
        if (a->from[w] != b->from[w] || a->to[w] != b->to[w])
            return 0;
    return 1;
}

/* The base for bp: one an earlier job read, or read now (and kept for the next). */
static int base_get(rp_store *s, const an_job_opts *o, const an_base_params *bp, an_base *out, rp_error *err)
{
    an_base_cache *c = o->shared;
    for (int i = 0; c && i < c->n; i++)
        if (same_params(&c->b[i].p, bp)) {
            *out = c->b[i];
            out->borrowed = 1;
            out->copied = 0;
            return RP_OK;
        }
    int rc = an_base_load(s, bp, out, err);
    if (!rc && c && c->n < BASE_CACHE) {
        c->b[c->n++] = *out;
        out->borrowed = 1;
    }
    return rc;
}

/* ---- the run record ---- */

typedef struct run {
    rp_store *s;
    int64_t id;
    double t0;
    json_t *params;
    const an_job_opts *o;
} run;

static int run_begin(rp_store *s, const an_job_opts *o, json_t *params, run *r, rp_error *err)
{
    memset(r, 0, sizeof *r);
    r->s = s;
    r->o = o;
    r->params = params;
    r->t0 = rp_monotonic();
    if (!o->save)
        return RP_OK;
    char now[RP_TIME_UTC_LEN], asof[RP_DATE_LEN];
    rp_time_format_utc(rp_now(), now);
    day_text(o->as_of, asof);
    char *pj = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS);
    if (!pj)
        return rp_err(err, RP_NOMEM, NULL);
    int rc = rp_store_begin(s, err);
    rp_stmt *st;
    if (!rc && !(rc = rp_store_prepare(s,
                                      "INSERT INTO analysis_run(job, as_of, params, started_at, started_by) "
                                      "VALUES (?, ?, ?, ?, ?) RETURNING id",
                                      &st, err))) {
        rp_stmt_bind_text(st, 1, o->job);
        rp_stmt_bind_text(st, 2, asof);
        rp_stmt_bind_text(st, 3, pj);
        rp_stmt_bind_text(st, 4, now);
        rp_stmt_bind_text(st, 5, o->user);
        if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
            r->id = rp_stmt_int(st, 0);
            rc = RP_OK;
        } else if (rc == RP_DONE) {
            rc = rp_err(err, RP_STORE, "analysis_run: no id returned");
        }
        rp_stmt_done(st);
    }
    free(pj);
    if (rc && s->depth)
        rp_store_rollback(s);
    return rc;
}

/* Fill the summary's common members, record it and commit. */
static int run_end(run *r, json_t *sum, size_t customers, rp_error *err)
{
    const an_job_opts *o = r->o;
    char asof[RP_DATE_LEN];
    day_text(o->as_of, asof);
    double secs = rp_monotonic() - r->t0;
    json_object_set_new(sum, "job", json_string(o->job));
    json_object_set_new(sum, "run", r->id ? json_integer(r->id) : json_null());
    json_object_set_new(sum, "as_of", json_string(asof));
    json_object_set(sum, "params", r->params);
    json_object_set_new(sum, "customers", json_integer((json_int_t)customers));
    json_object_set_new(sum, "seconds", json_real(round(secs * 1000) / 1000));
    if (!o->save)
        return RP_OK;
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    char *sj = json_dumps(sum, JSON_COMPACT);
    if (!sj) {
        rp_store_rollback(r->s);
        return rp_err(err, RP_NOMEM, NULL);
    }
    rp_stmt *st;
    int rc = rp_store_prepare(r->s,
                              "UPDATE analysis_run SET finished_at = ?, customers = ?, seconds = ?, summary = ? "
                              "WHERE id = ?",
                              &st, err);
    if (!rc) {
        rp_stmt_bind_text(st, 1, now);
        rp_stmt_bind_int(st, 2, (int64_t)customers);
        rp_stmt_bind_real(st, 3, secs);
        rp_stmt_bind_text(st, 4, sj);
        rp_stmt_bind_int(st, 5, r->id);
        rc = rp_stmt_run(st, err);
    }
    free(sj);
    if (!rc)
        rc = rp_store_commit(r->s, err);
    if (rc)
        rp_store_rollback(r->s);
    return rc;
}

/* A job's summary to its caller, or dropped when the job failed. */
static int hand_over(int rc, json_t *sum, json_t **out)
{
    if (rc) {
        json_decref(sum);
        return rc;
    }
    *out = sum;
    return RP_OK;
}

static void run_abort(run *r)
{
    if (r->o->save && r->s->depth)
        rp_store_rollback(r->s);
}

/* ---- value, pareto, pyramid ---- */

typedef struct valued {
    an_base base;
    an_value_params vp;
    an_value *v;
    int64_t *measure;
    uint32_t *rank;
    uint8_t *active, *level;
    an_pyramid py;
    const char *measure_name;
} valued;

static void valued_free(valued *d)
{
    an_base_free(&d->base);
    free(d->v), free(d->measure), free(d->rank), free(d->active), free(d->level);
}

static int measure_of(const an_job_opts *o, const char **name, rp_error *err)
{
    const char *m = o->measure ? o->measure : "profit";
    if (strcmp(m, "profit") && strcmp(m, "revenue") && strcmp(m, "spend"))
        return rp_err(err, RP_INVAL, "--measure: '%s' is not profit, revenue or spend", m);
    *name = m;
    return RP_OK;
}

static int64_t pick(const char *m, const an_value *v, const an_window *w)
{
    return m[0] == 'p' ? v->profit : m[0] == 'r' ? v->revenue : w->act_sum;
}

static const char *default_levels = "top:1%,big:4%,medium:15%,small";

static int levels_spec(const an_job_opts *o, const char **spec)
{
    *spec = o->levels ? o->levels
                      : o->cfg ? rp_config_get(o->cfg, "pyramid", "levels", default_levels) : default_levels;
    return RP_OK;
}

/* Value, rank and pyramid level of every customer over window w of a base
 * already read. */
static int valued_compute(valued *d, const an_job_opts *o, int w, rp_error *err)
{
    size_t n = d->base.ncust, nn = n ? n : 1;
    if (!d->v) {
        d->v = malloc(nn * sizeof *d->v);
        d->measure = malloc(nn * sizeof *d->measure);
        d->rank = malloc(nn * sizeof *d->rank);
        d->active = malloc(nn);
        d->level = malloc(nn);
        if (!d->v || !d->measure || !d->rank || !d->active || !d->level)
            return rp_err(err, RP_NOMEM, NULL);
    }
    int rc = an_value_compute(&d->base, w, &d->vp, d->v, err);
    for (size_t i = 0; !rc && i < n; i++) {
        d->measure[i] = pick(d->measure_name, &d->v[i], &d->base.cust[i].w[w]);
        /* inactive: neither a transaction nor a balance in the window */
        d->active[i] = d->v[i].transactions > 0 || d->v[i].deposits > 0 || d->v[i].loans > 0;
    }
    if (!rc)
        rc = an_rank(d->measure, n, d->rank, err);
    const char *spec;
    if (!rc && !(rc = levels_spec(o, &spec)))
        rc = an_pyramid_parse(spec, 2, &d->py, err);
    if (rc && rc != RP_NOMEM)
        rp_err_prefix(err, "%s", o->levels ? "--levels" : "[pyramid] levels");
    if (!rc)
        rc = an_pyramid_assign(&d->py, d->measure, d->active, n, d->level, err);
    return rc;
}

static int valued_load(valued *d, rp_store *s, const an_job_opts *o, json_t **params, rp_error *err)
{
    memset(d, 0, sizeof *d);
    an_base_params bp;
    int rc = measure_of(o, &d->measure_name, err);
    if (!rc)
        rc = value_params(o, &d->vp, err);
    if (rc)
        return rc;
    base_params(o, &bp);
    const char *spec;
    levels_spec(o, &spec);
    an_pyramid probe;
    if (an_pyramid_parse(spec, 2, &probe, err))
        return rp_err_prefix(err, "%s", o->levels ? "--levels" : "[pyramid] levels");
    if ((rc = base_get(s, o, &bp, &d->base, err)))
        return rc;
    char from[RP_DATE_LEN];
    day_text(bp.from[0], from);
    *params = json_pack("{s:s, s:i, s:s, s:s, s:o}", "from", from, "months", o->months > 0 ? o->months : 12,
                        "measure", d->measure_name, "levels", spec, "value", value_params_json(&d->vp));
    return valued_compute(d, o, 0, err);
}

static int write_values(run *r, valued *d, rp_error *err)
{
    if (!r->o->save)
        return RP_OK;
    rp_stmt *st;
    int rc = rp_store_prepare(r->s,
                              "INSERT INTO customer_value(run_id, customer_id, revenue_minor, cost_minor, "
                              "profit_minor, margin_minor, fees_minor, transactions, decile, level) "
                              "VALUES (?,?,?,?,?,?,?,?,?,?)",
                              &st, err);
    size_t n = d->base.ncust;
    for (size_t i = 0; !rc && i < n; i++) {
        const an_value *v = &d->v[i];
        rp_stmt_bind_int(st, 1, r->id);
        rp_stmt_bind_int(st, 2, d->base.cust[i].id);
        rp_stmt_bind_int(st, 3, v->revenue);
        rp_stmt_bind_int(st, 4, v->cost);
        rp_stmt_bind_int(st, 5, v->profit);
        rp_stmt_bind_int(st, 6, v->margin);
        rp_stmt_bind_int(st, 7, v->fees);
        rp_stmt_bind_int(st, 8, v->transactions);
        rp_stmt_bind_int(st, 9, 1 + (int64_t)d->rank[i] * 10 / (int64_t)n);
        rp_stmt_bind_text(st, 10, d->py.level[d->level[i]].name);
        rc = rp_stmt_run(st, err);
    }
    return rc;
}

static json_t *decile_table(const an_pareto *p)
{
    static const char *const cols[] = { "decile", "customers", "total", "share_%", "min", "max", "mean", NULL };
    json_t *t = table_new(cols);
    for (int q = 0; q < 10; q++) {
        const an_decile *dc = &p->decile[q];
        table_add(t, json_pack("[i, i, o, o, o, o, o]", q + 1, (json_int_t)dc->customers, money(dc->sum),
                               pct(p->total ? (double)dc->sum / (double)p->total : 0), money(dc->min),
                               money(dc->max),
                               money(dc->customers ? (int64_t)llround((double)dc->sum / (double)dc->customers) : 0)));
    }
    return t;
}

/* value, pareto and pyramid: the same base, values and levels, kept per
 * customer; each builds its own summary (NULL and err set on failure). */
typedef json_t *(*valued_summary)(valued *d, rp_error *err);

static int valued_job(rp_store *s, const an_job_opts *o, valued_summary fn, json_t **out, rp_error *err)
{
    valued d;
    json_t *params = NULL, *sum = NULL;
    run r;
    int rc = valued_load(&d, s, o, &params, err);
    if (!rc)
        rc = run_begin(s, o, params, &r, err);
    if (!rc && ((rc = write_values(&r, &d, err)) || !(sum = fn(&d, err)))) {
        if (!rc)
            rc = err->code ? err->code : RP_NOMEM;
        run_abort(&r);
    }
    if (!rc)
        rc = run_end(&r, sum, d.base.ncust, err);
    json_decref(params);
    valued_free(&d);
    return hand_over(rc, sum, out);
}

static json_t *value_summary(valued *d, rp_error *err)
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
        json_array_append_new(chan, json_pack("{s:s, s:I, s:o}", "channel", an_channel_names[ch], "transactions",
                                              (json_int_t)ch_n[ch], "cost", money(ch_n[ch] * d->vp.channel_cost[ch])));
    char head[256];
    snprintf(head, sizeof head, "%zu customers: revenue %.2f, cost to serve %.2f, profit %.2f; %zu profitable, %zu "
             "cost more than they bring", n, (double)tot[0] / 100, (double)tot[3] / 100, (double)tot[4] / 100,
             profitable, losing);
    return json_pack("{s:s, s:{s:o, s:o, s:o, s:o, s:o}, s:I, s:I, s:o, s:o}", "headline", head, "totals", "revenue",
                     money(tot[0]), "interest_margin", money(tot[1]), "fees", money(tot[2]), "cost_to_serve",
                     money(tot[3]), "profit", money(tot[4]), "profitable", (json_int_t)profitable, "loss_making",
                     (json_int_t)losing, "channels", chan, "table", decile_table(&p));
}

static json_t *pareto_summary(valued *d, rp_error *err)
{
    an_pareto p;
    if (an_pareto_compute(d->measure, d->base.ncust, &p, err))
        return NULL;
    json_t *curve = json_array();
    for (int k = 0; k <= 100; k++)
        json_array_append_new(curve, pct(p.cum_share[k]));
    char head[256];
    snprintf(head, sizeof head, "the top 20%% of customers give %.1f%% of %s; half of it comes from %.1f%% of them",
             p.top20_share * 100, d->measure_name, p.breakpoint[0] * 100);
    json_t *bp = json_array();
    static const int at[4] = { 50, 80, 90, 95 };
    for (int i = 0; i < 4; i++)
        json_array_append_new(bp, json_pack("{s:i, s:o}", "share_of_total_%", at[i], "customers_%",
                                            pct(p.breakpoint[i])));
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "headline", head, "measure", d->measure_name, "total",
                     money(p.total), "top20_share_%", pct(p.top20_share), "curve_%", curve, "breakpoints", bp, "table",
                     decile_table(&p));
}

static json_t *pyramid_table(const an_pyramid *py)
{
    static const char *const cols[] = { "level", "customers", "customers_%", "total", "total_%", "min", "max",
                                        "mean", NULL };
    json_t *t = table_new(cols);
    for (int l = 0; l < py->nlevels; l++) {
        const an_level *lv = &py->level[l];
        table_add(t, json_pack("[s, I, o, o, o, o, o, o]", lv->name, (json_int_t)lv->customers,
                               pct(py->customers ? (double)lv->customers / (double)py->customers : 0), money(lv->sum),
                               pct(py->total ? (double)lv->sum / (double)py->total : 0), money(lv->min),
                               money(lv->max),
                               money(lv->customers ? (int64_t)llround((double)lv->sum / (double)lv->customers) : 0)));
    }
    return t;
}

static json_t *pyramid_summary(valued *d, rp_error *err)
{
    (void)err;
    const an_level *top = &d->py.level[0];
    char head[256];
    snprintf(head, sizeof head, "%zu customers in %d levels; '%s' (%zu customers) gives %.1f%% of %s", d->py.customers,
             d->py.nlevels, top->name, top->customers,
             d->py.total ? 100.0 * (double)top->sum / (double)d->py.total : 0, d->measure_name);
    return json_pack("{s:s, s:s, s:o}", "headline", head, "measure", d->measure_name, "table", pyramid_table(&d->py));
}

static int job_value(rp_store *s, const an_job_opts *o, json_t **out, rp_error *err)
{
    return valued_job(s, o, value_summary, out, err);
}

static int job_pareto(rp_store *s, const an_job_opts *o, json_t **out, rp_error *err)
{
    return valued_job(s, o, pareto_summary, out, err);
}

static int job_pyramid(rp_store *s, const an_job_opts *o, json_t **out, rp_error *err)
{
    return valued_job(s, o, pyramid_summary, out, err);
}

/* ---- rfm ---- */

static int job_rfm(rp_store *s, const an_job_opts *o, json_t **out, rp_error *err)
{
    an_base_params bp;
    an_base b;
    base_params(o, &bp);
    int rc = base_get(s, o, &bp, &b, err);
    if (rc)
        return rc;
    size_t n = 0;
    an_rfm_in *in = malloc((b.ncust ? b.ncust : 1) * sizeof *in);
    an_rfm_out *sc = malloc((b.ncust ? b.ncust : 1) * sizeof *sc);
    uint32_t *who = malloc((b.ncust ? b.ncust : 1) * sizeof *who);
    if (!in || !sc || !who)
        rc = rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; !rc && i < b.ncust; i++) {
        const an_window *w = &b.cust[i].w[0];
        if (w->last_act == AN_NO_DAY)
            continue; /* never active: no recency to score */
        in[n] = (an_rfm_in){ o->as_of - w->last_act, w->act_n, w->act_sum };
        who[n++] = (uint32_t)i;
    }
    if (!rc)
        rc = an_rfm(in, n, sc, err);
    char from[RP_DATE_LEN];
    day_text(bp.from[0], from);
    json_t *params = json_pack("{s:s, s:i}", "from", from, "months", o->months > 0 ? o->months : 12);
    run r;
    if (!rc)
        rc = run_begin(s, o, params, &r, err);
    if (!rc && o->save) {
        rp_stmt *st;
        rc = rp_store_prepare(s,
                              "INSERT INTO customer_rfm(run_id, customer_id, recency_days, frequency, monetary_minor, "
                              "r, f, m, cell) VALUES (?,?,?,?,?,?,?,?,?)",
                              &st, err);
        for (size_t i = 0; !rc && i < n; i++) {
            rp_stmt_bind_int(st, 1, r.id);
            rp_stmt_bind_int(st, 2, b.cust[who[i]].id);
            rp_stmt_bind_int(st, 3, in[i].recency_days);
            rp_stmt_bind_int(st, 4, in[i].frequency);
            rp_stmt_bind_int(st, 5, in[i].monetary_minor);
            rp_stmt_bind_int(st, 6, sc[i].r);
            rp_stmt_bind_int(st, 7, sc[i].f);
            rp_stmt_bind_int(st, 8, sc[i].m);
            rp_stmt_bind_int(st, 9, sc[i].cell);
            rc = rp_stmt_run(st, err);
        }
        if (rc)
            run_abort(&r);
    }
    if (rc) {
        json_decref(params);
        free(in), free(sc), free(who);
        an_base_free(&b);
        return rc;
    }
    /* cells, best first, and each score's range */
    typedef struct cellsum {
        size_t n;
        double rec, freq, mon;
    } cellsum;
    cellsum cells[556];
    memset(cells, 0, sizeof cells);
    int64_t lo[3][6], hi[3][6];
    size_t cnt[3][6];
    memset(cnt, 0, sizeof cnt);
    for (size_t i = 0; i < n; i++) {
        cellsum *c = &cells[sc[i].cell];
        c->n++;
        c->rec += in[i].recency_days, c->freq += in[i].frequency, c->mon += (double)in[i].monetary_minor;
        int64_t v[3] = { in[i].recency_days, in[i].frequency, in[i].monetary_minor };
        uint8_t s3[3] = { sc[i].r, sc[i].f, sc[i].m };
        for (int k = 0; k < 3; k++) {
            if (!cnt[k][s3[k]] || v[k] < lo[k][s3[k]])
                lo[k][s3[k]] = v[k];
            if (!cnt[k][s3[k]] || v[k] > hi[k][s3[k]])
                hi[k][s3[k]] = v[k];
            cnt[k][s3[k]]++;
        }
    }
    static const char *const cols[] = { "cell", "customers", "customers_%", "mean_recency_days", "mean_frequency",
                                        "mean_monetary", NULL };
    json_t *t = table_new(cols);
    for (int c = 555; c >= 111; c--)
        if (cells[c].n) {
            double k = (double)cells[c].n;
            table_add(t, json_pack("[i, I, o, f, f, o]", c, (json_int_t)cells[c].n, pct(k / (double)n),
                                   round(cells[c].rec / k * 10) / 10, round(cells[c].freq / k * 10) / 10,
                                   money((int64_t)llround(cells[c].mon / k))));
        }
    json_t *scores = json_object();
    static const char *const names[3] = { "recency_days", "frequency", "monetary" };
    for (int k = 0; k < 3; k++) {
        json_t *a = json_array();
        for (int sc5 = 1; sc5 <= 5; sc5++) {
            if (!cnt[k][sc5]) {
                json_array_append_new(a, json_pack("{s:i, s:i}", "score", sc5, "customers", 0));
                continue;
            }
            json_t *l = k == 2 ? money(lo[k][sc5]) : json_integer(lo[k][sc5]);
            json_t *h = k == 2 ? money(hi[k][sc5]) : json_integer(hi[k][sc5]);
            json_array_append_new(a, json_pack("{s:i, s:I, s:o, s:o}", "score", sc5, "customers",
                                               (json_int_t)cnt[k][sc5], "min", l, "max", h));
        }
        json_object_set_new(scores, names[k], a);
    }
    size_t best = cells[555].n;
    char head[256];
    snprintf(head, sizeof head, "%zu customers scored; %zu (%.1f%%) in cell 555, %zu never active are not scored", n,
             best, n ? 100.0 * (double)best / (double)n : 0, b.ncust - n);
    json_t *sum = json_pack("{s:s, s:I, s:o, s:o}", "headline", head, "never_active", (json_int_t)(b.ncust - n),
                            "scores", scores, "table", t);
    rc = run_end(&r, sum, n, err);
    json_decref(params);
    free(in), free(sc), free(who);
    an_base_free(&b);
    return hand_over(rc, sum, out);
}

/* ---- clv ---- */

static int job_clv(rp_store *s, const an_job_opts *o, json_t **out, rp_error *err)
{
    double margin, annual, horizon = o->horizon_weeks > 0 ? o->horizon_weeks : 52;
    int rc = cfg_double(o, "clv", "margin", 0.30, 0, 1, &margin, err);
    if (!rc)
        rc = cfg_double(o, "clv", "discount_rate", 15, 0, 1000, &annual, err);
    if (rc)
        return rc;
    if (!(horizon > 0 && horizon <= 52 * 50))
        return rp_err(err, RP_INVAL, "--horizon: %g weeks is not from 1 to 2600", horizon);
    an_base_params bp;
    an_base b;
    base_params(o, &bp);
    bp.want_days = 1;
    bp.days_to = o->as_of + 1;
    if ((rc = base_get(s, o, &bp, &b, err)))
        return rc;
    /* one summary per customer with a purchase by the end of calibration */
    an_rfx *c = malloc((b.ncust ? b.ncust : 1) * sizeof *c);
    uint32_t *who = malloc((b.ncust ? b.ncust : 1) * sizeof *who);
    size_t n = 0;
    if (!c || !who)
        rc = rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; !rc && i < b.ndays;) {
        uint32_t cu = (uint32_t)(b.days[i].key >> 32);
        int64_t first = (int64_t)(uint32_t)b.days[i].key + INT32_MIN, last = first;
        double repeat = 0;
        size_t j = i + 1;
        for (; j < b.ndays && (uint32_t)(b.days[j].key >> 32) == cu; j++) {
            last = (int64_t)(uint32_t)b.days[j].key + INT32_MIN;
            repeat += (double)b.days[j].value / 100.0;
        }
        double x = (double)(j - i - 1);
        c[n] = (an_rfx){ x, (double)(last - first) / 7.0, (double)(o->as_of - first) / 7.0, x > 0 ? repeat / x : 0 };
        who[n++] = cu;
        i = j;
    }
    an_bgnbd m;
    an_gg g;
    if (!rc)
        rc = an_bgnbd_fit(c, n, &m, err);
    if (!rc)
        rc = an_gg_fit(c, n, &g, err);
    if (rc) {
        if (rc == RP_INVAL || rc == RP_NUMERIC)
            rp_err_prefix(err, "%zu customers with purchases by the as-of date", n);
        free(c), free(who);
        an_base_free(&b);
        return rc;
    }
    double period = 52.0 / 12.0, rate = pow(1 + annual / 100.0, 1.0 / 12.0) - 1;
    json_t *params = json_pack("{s:f, s:f, s:f, s:f}", "horizon_weeks", horizon, "margin", margin,
                               "discount_rate_%", annual, "acquisition_cost", o->acquisition_cost);
    run r;
    rc = run_begin(s, o, params, &r, err);
    double *clv = malloc((n ? n : 1) * sizeof *clv);
    if (!rc && !clv)
        rc = rp_err(err, RP_NOMEM, NULL);
    rp_stmt *st = NULL;
    if (!rc && o->save)
        rc = rp_store_prepare(s,
                              "INSERT INTO customer_clv(run_id, customer_id, x, t_x, t_cal, p_alive, expected, "
                              "expected_value, clv_minor) VALUES (?,?,?,?,?,?,?,?,?)",
                              &st, err);
    double sum_alive = 0, sum_exp = 0, sum_clv = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        double pa = an_bgnbd_p_alive(&m, &c[i]), ex = an_bgnbd_expected(&m, &c[i], horizon);
        double ev = an_gg_expected(&g, &c[i]);
        clv[i] = an_clv(&m, &g, &c[i], horizon, period, rate, margin);
        sum_alive += pa, sum_exp += ex, sum_clv += clv[i];
        if (st) {
            rp_stmt_bind_int(st, 1, r.id);
            rp_stmt_bind_int(st, 2, b.cust[who[i]].id);
            rp_stmt_bind_int(st, 3, (int64_t)c[i].x);
            rp_stmt_bind_real(st, 4, c[i].t_x);
            rp_stmt_bind_real(st, 5, c[i].T);
            rp_stmt_bind_real(st, 6, pa);
            rp_stmt_bind_real(st, 7, ex);
            rp_stmt_bind_real(st, 8, ev);
            rp_stmt_bind_int(st, 9, (int64_t)llround(clv[i] * 100));
            rc = rp_stmt_run(st, err);
        }
    }
    if (rc) {
        run_abort(&r);
        json_decref(params);
        free(c), free(who), free(clv);
        an_base_free(&b);
        return rc;
    }
    /* a new customer: the first purchase now, then the expected repeats, discounted by period */
    an_rfx mean = { 0, 0, 0, 0 };
    double ez = an_gg_expected(&g, &mean), future = ez * margin, prev = 0;
    for (int k = 1; k * period <= horizon + 1e-9; k++) {
        double e = an_bgnbd_expected_new(&m, k * period);
        future += (e - prev) * ez * margin / pow(1 + rate, k);
        prev = e;
    }
    /* deciles of lifetime value */
    int64_t *v = malloc((n ? n : 1) * sizeof *v);
    uint32_t *rank = malloc((n ? n : 1) * sizeof *rank);
    if (!v || !rank)
        rc = rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; !rc && i < n; i++)
        v[i] = (int64_t)llround(clv[i] * 100);
    if (!rc)
        rc = an_rank(v, n, rank, err);
    static const char *const cols[] = { "decile", "customers", "mean_p_alive", "expected_transactions", "clv",
                                        "clv_%", NULL };
    json_t *t = table_new(cols);
    double dsum[10][3] = { { 0 } };
    size_t dn[10] = { 0 };
    for (size_t i = 0; !rc && i < n; i++) {
        int q = (int)((uint64_t)rank[i] * 10 / n);
        dn[q]++;
        dsum[q][0] += an_bgnbd_p_alive(&m, &c[i]);
        dsum[q][1] += an_bgnbd_expected(&m, &c[i], horizon);
        dsum[q][2] += clv[i];
    }
    for (int q = 0; q < 10 && !rc; q++)
        table_add(t, json_pack("[i, I, f, f, f, o]", q + 1, (json_int_t)dn[q],
                               dn[q] ? round(dsum[q][0] / (double)dn[q] * 1000) / 1000 : 0.0,
                               round(dsum[q][1] * 10) / 10, round(dsum[q][2] * 100) / 100,
                               pct(sum_clv ? dsum[q][2] / sum_clv : 0)));
    free(v), free(rank);
    char head[320];
    snprintf(head, sizeof head, "BG/NBD r=%.3f alpha=%.3f a=%.3f b=%.3f (log-likelihood %.1f), Gamma-Gamma p=%.2f "
             "q=%.2f gamma=%.2f; %zu customers expect %.0f transactions in %g weeks, lifetime value %.2f",
             m.r, m.alpha, m.a, m.b, m.ll, g.p, g.q, g.gamma, n, sum_exp, horizon, sum_clv);
    json_t *sum = json_pack("{s:s, s:{s:f, s:f, s:f, s:f, s:f}, s:{s:f, s:f, s:f, s:f, s:I}, "
                            "s:f, s:f, s:f, s:{s:f, s:f, s:o}, s:o}",
                            "headline", head, "bgnbd", "r", m.r, "alpha", m.alpha, "a", m.a, "b", m.b,
                            "log_likelihood", m.ll, "gamma_gamma", "p", g.p, "q", g.q, "gamma", g.gamma,
                            "log_likelihood", g.ll, "customers", (json_int_t)g.customers, "mean_p_alive",
                            n ? sum_alive / (double)n : 0, "expected_transactions", sum_exp, "total_clv",
                            round(sum_clv * 100) / 100, "new_customer", "expected_value_per_transaction", ez,
                            "discounted_contribution", round(future * 100) / 100, "roi",
                            o->acquisition_cost > 0 ? json_real(round(future / o->acquisition_cost * 1000) / 1000)
                                                    : json_null(),
                            "table", t);
    if (rc) {
        json_decref(sum);
        sum = NULL;
        run_abort(&r);
    } else {
        rc = run_end(&r, sum, n, err);
    }
    json_decref(params);
    free(c), free(who), free(clv);
    an_base_free(&b);
    return hand_over(rc, sum, out);
}

/* ---- gains and losses ---- */

/* The last whole calendar month at as_of: [*from, *to). */
static void last_month(int32_t as_of, int32_t *from, int32_t *to)
{
    int32_t next = an_month_start(as_of, 1);
    *to = as_of + 1 == next ? next : an_month_start(as_of, 0);
    *from = an_month_start(*to, -1);
}

static int job_gains_losses(rp_store *s, const an_job_opts *o, json_t **out, rp_error *err)
{
    double tol;
    int rc = cfg_double(o, "gains_losses", "tolerance", 10, 0, 99, &tol, err);
    if (rc)
        return rc;
    an_base_params bp;
    an_base b;
    base_params(o, &bp);
    bp.windows = 2;
    last_month(o->as_of, &bp.from[0], &bp.to[0]);
    bp.from[1] = an_month_start(bp.from[0], -1);
    bp.to[1] = bp.from[0];
    if ((rc = base_get(s, o, &bp, &b, err)))
        return rc;
    an_gl_in *in = malloc((b.ncust ? b.ncust : 1) * sizeof *in);
    an_gl_class *cls = malloc((b.ncust ? b.ncust : 1) * sizeof *cls);
    if (!in || !cls)
        rc = rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; !rc && i < b.ncust; i++) {
        const an_customer *cu = &b.cust[i];
        in[i] = (an_gl_in){ cu->w[1].act_sum, cu->w[0].act_sum, cu->w[1].act_n, cu->w[0].act_n,
                            cu->w[0].last_act == AN_NO_DAY ? -1 : bp.to[0] - 1 - cu->w[0].last_act,
                            cu->first_act != AN_NO_DAY && cu->first_act < bp.from[1] };
    }
    an_gl_table t;
    if (!rc)
        rc = an_gains_losses(in, b.ncust, tol / 100, &t, cls, err);
    char mon[RP_DATE_LEN], prev[RP_DATE_LEN];
    day_text(bp.from[0], mon);
    day_text(bp.from[1], prev);
    mon[7] = prev[7] = 0;
    json_t *params = json_pack("{s:s, s:s, s:f}", "month", mon, "previous_month", prev, "tolerance_%", tol);
    run r;
    if (!rc)
        rc = run_begin(s, o, params, &r, err);
    if (!rc && o->save) {
        rp_stmt *st;
        rc = rp_store_prepare(s, "INSERT INTO customer_segment(run_id, customer_id, segment) VALUES (?,?,?)", &st,
                              err);
        for (size_t i = 0; !rc && i < b.ncust; i++) {
            if (cls[i] == AN_GL_NONE)
                continue;
            rp_stmt_bind_int(st, 1, r.id);
            rp_stmt_bind_int(st, 2, b.cust[i].id);
            rp_stmt_bind_text(st, 3, an_gl_names[cls[i]]);
            rc = rp_stmt_run(st, err);
        }
        if (rc)
            run_abort(&r);
    }
    if (rc) {
        json_decref(params);
        free(in), free(cls);
        an_base_free(&b);
        return rc;
    }
    /* seed 002's layout: a row per measure, a column per class */
    json_t *cols = json_array();
    json_array_append_new(cols, json_string("measure"));
    for (int k = 0; k < AN_GLC_N; k++)
        json_array_append_new(cols, json_string(an_glc_names[k]));
    json_t *tab = json_pack("{s:o, s:[]}", "columns", cols, "rows");
    static const char *const rows[4] = { "recency (mean days)", "frequency (transactions)", "value", "customers" };
    for (int row = 0; row < 4; row++) {
        json_t *a = json_array();
        json_array_append_new(a, json_string(rows[row]));
        for (int k = 0; k < AN_GLC_N; k++) {
            const an_gl_cell *c = &t.col[k];
            json_array_append_new(a, row == 0 ? json_real(round(c->recency_days * 10) / 10)
                                     : row == 1 ? json_integer(c->transactions)
                                     : row == 2 ? money(c->value) : json_integer((json_int_t)c->customers));
        }
        table_add(tab, a);
    }
    json_t *counts = json_object();
    for (int k = 1; k < AN_GL_N; k++)
        json_object_set_new(counts, an_gl_names[k], json_integer((json_int_t)t.counts[k]));
    const an_gl_cell *fin = &t.col[AN_GLC_FINAL], *pot = &t.col[AN_GLC_POTENTIAL];
    char head[320];
    snprintf(head, sizeof head, "%s against %s: %zu customers active, %zu spending more, %zu less, %zu activated "
             "(%zu new), %zu lapsed; %.2f spent of a potential %.2f", mon, prev, fin->customers, t.counts[AN_GL_MORE],
             t.counts[AN_GL_LESS], t.counts[AN_GL_NEW] + t.counts[AN_GL_RETURNING], t.counts[AN_GL_NEW],
             t.counts[AN_GL_LAPSED], (double)fin->value / 100, (double)pot->value / 100);
    json_t *sum = json_pack("{s:s, s:o, s:o}", "headline", head, "classes", counts, "table", tab);
    size_t active = fin->customers + t.counts[AN_GL_LAPSED];
    rc = run_end(&r, sum, active, err);
    json_decref(params);
    free(in), free(cls);
    an_base_free(&b);
    return hand_over(rc, sum, out);
}

/* ---- customer attributes for segments, migration rules and clusters ---- */

typedef struct attrs {
    valued *d;
    int w;
    int32_t as_of;                 /* the window's last day */
    an_rfm_out *rfm;               /* cell 0: never active */
    int32_t *recency;
} attrs;

static void attrs_free(attrs *a)
{
    free(a->rfm);
    free(a->recency);
    a->rfm = NULL;
    a->recency = NULL;
}

/* Value, level and RFM over window w. */
static int attrs_compute(attrs *a, valued *d, const an_job_opts *o, int w, rp_error *err)
{
    memset(a, 0, sizeof *a);
    a->d = d;
    a->w = w;
    a->as_of = d->base.p.to[w] - 1;
    int rc = valued_compute(d, o, w, err);
    if (rc)
        return rc;
    size_t n = d->base.ncust, nn = n ? n : 1;
    a->rfm = calloc(nn, sizeof *a->rfm);
    a->recency = malloc(nn * sizeof *a->recency);
    an_rfm_in *in = malloc(nn * sizeof *in);
    an_rfm_out *sc = malloc(nn * sizeof *sc);
    uint32_t *who = malloc(nn * sizeof *who);
    if (!a->rfm || !a->recency || !in || !sc || !who)
        rc = rp_err(err, RP_NOMEM, NULL);
    size_t k = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        const an_window *win = &d->base.cust[i].w[w];
        a->recency[i] = win->last_act == AN_NO_DAY ? -1 : a->as_of - win->last_act;
        if (win->last_act == AN_NO_DAY)
            continue;
        in[k] = (an_rfm_in){ a->recency[i], win->act_n, win->act_sum };
        who[k++] = (uint32_t)i;
    }
    if (!rc)
        rc = an_rfm(in, k, sc, err);
    for (size_t j = 0; !rc && j < k; j++)
        a->rfm[who[j]] = sc[j];
    free(in), free(sc), free(who);
    if (rc)
        attrs_free(a);
    return rc;
}

static double digital_share(const an_window *w)
{
    int32_t own = w->n[AN_CH_BRANCH] + w->n[AN_CH_ATM] + w->n[AN_CH_INTERNET] + w->n[AN_CH_MOBILE] + w->n[AN_CH_PHONE] +
                  w->n[AN_CH_POS];
    return own ? (double)(w->n[AN_CH_INTERNET] + w->n[AN_CH_MOBILE]) / own : NAN;
}

static an_value_cell attr_get(void *ctx, size_t i, int at)
{
    attrs *a = ctx;
    const an_customer *c = &a->d->base.cust[i];
    const an_window *w = &c->w[a->w];
    const an_value *v = &a->d->v[i];
    an_value_cell r = { NAN, NULL };
    int age;
    switch (at) {
    case AN_A_AGE: r.num = (age = an_age(c->birth, a->as_of)) < 0 ? NAN : age; break;
    case AN_A_GENDER: r.str = c->gender == 'F' ? "F" : c->gender == 'M' ? "M" : c->gender == 'X' ? "X" : NULL; break;
    case AN_A_INCOME_BAND: r.str = c->income_band; break;
    case AN_A_HOME_BRANCH: r.str = c->home_branch; break;
    case AN_A_TENURE_YEARS: r.num = (age = an_age(c->since, a->as_of)) < 0 ? NAN : age; break;
    case AN_A_ACCOUNTS: r.num = c->accounts; break;
    case AN_A_PRODUCTS: r.num = c->products; break;
    case AN_A_HAS_DEPOSIT: r.num = c->holds >> AN_K_DEPOSIT & 1; break;
    case AN_A_HAS_TIME_DEPOSIT: r.num = c->holds >> AN_K_TIME_DEPOSIT & 1; break;
    case AN_A_HAS_LOAN: r.num = c->holds >> AN_K_LOAN & 1; break;
    case AN_A_HAS_CARD: r.num = c->holds >> AN_K_CARD & 1; break;
    case AN_A_HAS_INVESTMENT: r.num = c->holds >> AN_K_INVESTMENT & 1; break;
    case AN_A_HAS_INSURANCE: r.num = c->holds >> AN_K_INSURANCE & 1; break;
    case AN_A_BALANCE: r.num = (double)v->deposits / 100; break;
    case AN_A_LOANS: r.num = (double)v->loans / 100; break;
    case AN_A_REVENUE: r.num = (double)v->revenue / 100; break;
    case AN_A_COST: r.num = (double)v->cost / 100; break;
    case AN_A_PROFIT: r.num = (double)v->profit / 100; break;
    case AN_A_TRANSACTIONS: r.num = v->transactions; break;
    case AN_A_LEVEL: r.str = a->d->py.level[a->d->level[i]].name; break;
    case AN_A_DECILE: r.num = 1 + (double)((uint64_t)a->d->rank[i] * 10 / a->d->base.ncust); break;
    case AN_A_RFM: r.num = a->rfm[i].cell ? a->rfm[i].cell : NAN; break;
    case AN_A_R: r.num = a->rfm[i].cell ? a->rfm[i].r : NAN; break;
    case AN_A_F: r.num = a->rfm[i].cell ? a->rfm[i].f : NAN; break;
    case AN_A_M: r.num = a->rfm[i].cell ? a->rfm[i].m : NAN; break;
    case AN_A_RECENCY_DAYS: r.num = a->recency[i] < 0 ? NAN : a->recency[i]; break;
    case AN_A_FREQUENCY: r.num = w->act_n; break;
    case AN_A_MONETARY: r.num = (double)w->act_sum / 100; break;
    case AN_A_BRANCH: r.num = w->n[AN_CH_BRANCH]; break;
    case AN_A_ATM: r.num = w->n[AN_CH_ATM]; break;
    case AN_A_INTERNET: r.num = w->n[AN_CH_INTERNET]; break;
    case AN_A_MOBILE: r.num = w->n[AN_CH_MOBILE]; break;
    case AN_A_PHONE: r.num = w->n[AN_CH_PHONE]; break;
    case AN_A_POS: r.num = w->n[AN_CH_POS]; break;
    case AN_A_DIGITAL_SHARE: r.num = digital_share(w); break;
    case AN_A_ACTIVE: r.num = v->transactions > 0; break;
    }
    return r;
}

static int read_text_file(const char *path, char **out, rp_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return rp_err(err, RP_IO, "%s: cannot open", path);
    char *buf = malloc(1 << 20);
    size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    int more = buf && fgetc(f) != EOF;
    fclose(f);
    if (!buf)
        return rp_err(err, RP_NOMEM, NULL);
    if (more) {
        free(buf);
        return rp_err(err, RP_TOOBIG, "%s: larger than 1 MiB", path);
    }
    buf[n] = 0;
    if (strlen(buf) != n) {
        free(buf);
        return rp_err(err, RP_ENCODING, "%s: a NUL byte in a text file", path);
    }
    *out = buf;
    return RP_OK;
}

static int load_segments(const an_job_opts *o, an_segment_set *set, const char **file, rp_error *err)
{
    *file = o->segments_file ? o->segments_file : o->cfg ? rp_config_get(o->cfg, "segments", "file", NULL) : NULL;
    if (!*file)
        return rp_err(err, RP_USAGE, "segment rules needed: --segments FILE (or [segments] file = ... in the "
                                     "configuration)");
    char *text = NULL;
    int rc = read_text_file(*file, &text, err);
    if (rc)
        return rc;
    rc = an_segments_parse(text, *file, set, err);
    free(text);
    return rc;
}

/* ---- migration ---- */

enum { F_BRANCH, F_ATM, F_INTERNET, F_MOBILE, F_PHONE, F_POS, F_CARD, F_LOAN, F_TD, F_INVEST, F_PRODUCTS3,
       F_AGE_U30, F_AGE_30, F_AGE_45, F_AGE_60, F_NEWISH, F_FEMALE, F_MALE, F_DIGITAL, F_QUIET, F_NFEAT };
static const char *const feature_words[F_NFEAT] = {
    "uses branch counters", "uses ATMs", "uses internet banking", "uses mobile banking", "uses phone banking",
    "pays by card in shops", "holds a card", "holds a loan", "holds a time deposit", "holds investments",
    "holds 3 or more products", "is under 30", "is 30 to 44", "is 45 to 59", "is 60 or over",
    "has been a customer under 2 years", "is a woman", "is a man", "does most of it online (half or more)",
    "made no transaction of their own in the last 90 days",
};

static uint32_t features_of(attrs *a, size_t i)
{
    const an_customer *c = &a->d->base.cust[i];
    const an_window *w = &c->w[a->w];
    uint32_t f = 0;
    static const int ch[6] = { AN_CH_BRANCH, AN_CH_ATM, AN_CH_INTERNET, AN_CH_MOBILE, AN_CH_PHONE, AN_CH_POS };
    for (int k = 0; k < 6; k++)
        if (w->n[ch[k]])
            f |= 1u << (F_BRANCH + k);
    if (c->holds >> AN_K_CARD & 1) f |= 1u << F_CARD;
    if (c->holds >> AN_K_LOAN & 1) f |= 1u << F_LOAN;
    if (c->holds >> AN_K_TIME_DEPOSIT & 1) f |= 1u << F_TD;
    if (c->holds >> AN_K_INVESTMENT & 1) f |= 1u << F_INVEST;
    if (c->products >= 3) f |= 1u << F_PRODUCTS3;
    int age = an_age(c->birth, a->as_of);
    if (age >= 0)
        f |= 1u << (age < 30 ? F_AGE_U30 : age < 45 ? F_AGE_30 : age < 60 ? F_AGE_45 : F_AGE_60);
    int ten = an_age(c->since, a->as_of);
    if (ten >= 0 && ten < 2) f |= 1u << F_NEWISH;
    if (c->gender == 'F') f |= 1u << F_FEMALE;
    if (c->gender == 'M') f |= 1u << F_MALE;
    double ds = digital_share(w);
    if (!isnan(ds) && ds >= 0.5) f |= 1u << F_DIGITAL;
    if (a->recency[i] < 0 || a->recency[i] > 90) f |= 1u << F_QUIET;
    return f;
}

static json_t *rules_json(const an_rule *r, int nr)
{
    json_t *a = json_array();
    for (int i = 0; i < nr; i++) {
        char cond[192];
        if (r[i].f2 < 0)
            snprintf(cond, sizeof cond, "%s", feature_words[r[i].f1]);
        else
            snprintf(cond, sizeof cond, "%s and %s", feature_words[r[i].f1], feature_words[r[i].f2]);
        json_array_append_new(a, json_pack("{s:s, s:I, s:o, s:f}", "if", cond, "customers", (json_int_t)r[i].support,
                                           "confidence_%", pct(r[i].confidence), "lift",
                                           round(r[i].lift * 100) / 100));
    }
    return a;
}

static int job_migration(rp_store *s, const an_job_opts *o, json_t **out, rp_error *err)
{
    const char *by = o->by ? o->by : "pyramid";
    if (strcmp(by, "pyramid") && strcmp(by, "segment"))
        return rp_err(err, RP_INVAL, "--by: '%s' is not pyramid or segment", by);
    an_segment_set set = { 0 };
    set.else_index = -1;
    const char *segfile = NULL;
    int rc = RP_OK;
    if (by[0] == 's' && (rc = load_segments(o, &set, &segfile, err)))
        return rc;
    int months = o->months > 0 ? o->months : 12;
    valued d;
    memset(&d, 0, sizeof d);
    if ((rc = measure_of(o, &d.measure_name, err)) || (rc = value_params(o, &d.vp, err))) {
        an_segments_free(&set);
        return rc;
    }
    an_base_params bp;
    base_params(o, &bp);
    bp.windows = 2;
    bp.to[0] = o->as_of + 1;
    bp.from[0] = months_back(o->as_of, months) + 1;
    bp.to[1] = bp.from[0];
    bp.from[1] = months_back(bp.to[1] - 1, months) + 1;
    if ((rc = base_get(s, o, &bp, &d.base, err))) {
        an_segments_free(&set);
        return rc;
    }
    size_t n = d.base.ncust, nn = n ? n : 1;
    uint8_t *from = malloc(nn), *to = malloc(nn);
    uint32_t *feat = malloc(nn * sizeof *feat);
    int16_t *seg = malloc(nn * sizeof *seg);
    int64_t *val = malloc(nn * sizeof *val);
    if (!from || !to || !feat || !seg || !val)
        rc = rp_err(err, RP_NOMEM, NULL);
    /* groups: the levels or segments, then "unassigned" (segments only), then "new" (not a customer before) */
    int ng = 0;
    char gname[AN_MAX_SEGMENTS + 2][64];
    attrs a;
    an_segment_check chk;
    for (int w = 1; w >= 0 && !rc; w--) {
        if ((rc = attrs_compute(&a, &d, o, w, err)))
            break;
        uint8_t *dst = w ? from : to;
        if (by[0] == 'p') {
            ng = d.py.nlevels;
            for (int l = 0; l < ng; l++)
                snprintf(gname[l], sizeof gname[l], "%s", d.py.level[l].name);
            for (size_t i = 0; i < n; i++)
                dst[i] = d.level[i];
        } else {
            rc = an_segments_assign(&set, attr_get, &a, n, seg, &chk, err);
            an_segment_check_free(&chk);
            ng = set.n + 1;
            for (int l = 0; l < set.n; l++)
                snprintf(gname[l], sizeof gname[l], "%s", set.name[l]);
            snprintf(gname[set.n], sizeof gname[set.n], "(none or several)");
            for (size_t i = 0; !rc && i < n; i++)
                dst[i] = (uint8_t)(seg[i] >= 0 ? seg[i] : set.n);
        }
        if (w == 1)
            for (size_t i = 0; i < n; i++)
                feat[i] = features_of(&a, i);
        else
            memcpy(val, d.measure, n * sizeof *val);
        attrs_free(&a);
    }
    int newg = ng;
    snprintf(gname[newg], sizeof gname[newg], "new");
    for (size_t i = 0; !rc && i < n; i++)
        if (d.base.cust[i].since != AN_NO_DAY && d.base.cust[i].since >= bp.to[1])
            from[i] = (uint8_t)newg;
    an_matrix mx;
    if (!rc)
        rc = an_migration(from, to, val, n, ng + 1, &mx, err);
    char f0[RP_DATE_LEN], f1[RP_DATE_LEN], t1[RP_DATE_LEN];
    day_text(bp.from[0], f0);
    day_text(bp.from[1], f1);
    day_text(bp.to[1] - 1, t1);
    json_t *params = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s}", "by", by, "months", months, "measure",
                               d.measure_name, "from", f0, "previous_from", f1, "previous_to", t1);
    if (segfile)
        json_object_set_new(params, "segments", json_string(segfile));
    run r;
    if (!rc && (rc = run_begin(s, o, params, &r, err)))
        an_matrix_free(&mx);
    if (rc) {
        json_decref(params);
        free(from), free(to), free(feat), free(seg), free(val);
        valued_free(&d);
        an_segments_free(&set);
        return rc;
    }
    /* the matrix: a row per earlier group (and "new"), a column per group now */
    json_t *cols = json_array();
    json_array_append_new(cols, json_string("from \\ to"));
    for (int g = 0; g < ng; g++)
        json_array_append_new(cols, json_string(gname[g]));
    json_array_append_new(cols, json_string("stayed_%"));
    json_t *tab = json_pack("{s:o, s:[]}", "columns", cols, "rows");
    json_t *values = json_array();
    size_t moved = 0, total = 0;
    for (int f = 0; f <= ng; f++) {
        json_t *row = json_array(), *vrow = json_array();
        json_array_append_new(row, json_string(gname[f]));
        size_t rowsum = 0;
        for (int t = 0; t < ng; t++) {
            size_t c = mx.count[f * (ng + 1) + t];
            rowsum += c;
            if (f != t && f != newg)
                moved += c;
            json_array_append_new(row, json_integer((json_int_t)c));
            json_array_append_new(vrow, money(mx.value[f * (ng + 1) + t]));
        }
        total += rowsum;
        json_array_append_new(row, f == newg || !rowsum ? json_null()
                                                        : pct((double)mx.count[f * (ng + 1) + f] / (double)rowsum));
        table_add(tab, row);
        json_array_append_new(values, vrow);
    }
    /* rules for joining, leaving and staying, per group */
    json_t *rules = json_array();
    uint8_t *pop = malloc(nn), *tgt = malloc(nn);
    an_rule best[3];
    for (int g = 0; g < ng && pop && tgt && !rc; g++) {
        for (int kind = 0; kind < 3 && !rc; kind++) {
            /* 0 staying, 1 leaving: those in g before; 2 joining: those not in g before */
            size_t np = 0;
            for (size_t i = 0; i < n; i++) {
                pop[i] = kind < 2 ? from[i] == g : from[i] != g;
                tgt[i] = kind == 0 ? to[i] == g : kind == 1 ? to[i] != g : to[i] == g;
                np += pop[i];
            }
            size_t minsup = np / 100 > 20 ? np / 100 : 20;
            int nr;
            double base;
            rc = an_rules_mine(feat, F_NFEAT, pop, tgt, n, minsup, best, 3, &nr, &base, err);
            if (!rc && nr)
                json_array_append_new(rules, json_pack("{s:s, s:s, s:I, s:o, s:o}", "group", gname[g], "outcome",
                                                       kind == 0 ? "staying" : kind == 1 ? "leaving" : "joining",
                                                       "population", (json_int_t)np, "base_rate_%", pct(base),
                                                       "rules", rules_json(best, nr)));
        }
    }
    if (!pop || !tgt)
        rc = rp_err(err, RP_NOMEM, NULL);
    free(pop), free(tgt);
    if (!rc && o->save) {
        rp_stmt *st;
        rc = rp_store_prepare(s, "INSERT INTO customer_segment(run_id, customer_id, segment) VALUES (?,?,?)", &st,
                              err);
        for (size_t i = 0; !rc && i < n; i++) {
            char move[140];
            snprintf(move, sizeof move, "%s -> %s", gname[from[i]], gname[to[i]]);
            rp_stmt_bind_int(st, 1, r.id);
            rp_stmt_bind_int(st, 2, d.base.cust[i].id);
            rp_stmt_bind_text(st, 3, move);
            rc = rp_stmt_run(st, err);
        }
    }
    char head[256];
    snprintf(head, sizeof head, "%zu of %zu customers moved between %s%s since the previous %d months", moved, total,
             by[0] == 'p' ? "pyramid levels" : "segments", "", months);
    json_t *sum = json_pack("{s:s, s:o, s:o, s:o}", "headline", head, "value_matrix", values, "rules", rules, "table",
                            tab);
    if (rc) {
        run_abort(&r);
        json_decref(sum);
        sum = NULL;
    } else {
        rc = run_end(&r, sum, n, err);
    }
    an_matrix_free(&mx);
    json_decref(params);
    free(from), free(to), free(feat), free(seg), free(val);
    valued_free(&d);
    an_segments_free(&set);
    return hand_over(rc, sum, out);
}

/* ---- segment ---- */

static int job_segment(rp_store *s, const an_job_opts *o, json_t **out, rp_error *err)
{
    an_segment_set set;
    const char *file;
    int rc = load_segments(o, &set, &file, err);
    if (rc)
        return rc;
    valued d;
    json_t *params = NULL;
    if ((rc = valued_load(&d, s, o, &params, err))) {
        an_segments_free(&set);
        return rc;
    }
    json_object_set_new(params, "segments", json_string(file));
    attrs a;
    an_segment_check chk;
    memset(&chk, 0, sizeof chk);
    size_t n = d.base.ncust;
    int16_t *seg = malloc((n ? n : 1) * sizeof *seg);
    if (!seg)
        rc = rp_err(err, RP_NOMEM, NULL);
    int have_attrs = 0;
    if (!rc && !(rc = attrs_compute(&a, &d, o, 0, err))) {
        have_attrs = 1;
        rc = an_segments_assign(&set, attr_get, &a, n, seg, &chk, err);
    }
    run r;
    if (!rc)
        rc = run_begin(s, o, params, &r, err);
    if (!rc && o->save) {
        rp_stmt *st;
        rc = rp_store_prepare(s, "INSERT INTO customer_segment(run_id, customer_id, segment) VALUES (?,?,?)", &st,
                              err);
        for (size_t i = 0; !rc && i < n; i++) {
            if (seg[i] < 0)
                continue; /* gaps and overlaps are reported, not resolved */
            rp_stmt_bind_int(st, 1, r.id);
            rp_stmt_bind_int(st, 2, d.base.cust[i].id);
            rp_stmt_bind_text(st, 3, set.name[seg[i]]);
            rc = rp_stmt_run(st, err);
        }
        if (rc)
            run_abort(&r);
    }
    if (rc) {
        if (have_attrs)
            attrs_free(&a);
        an_segment_check_free(&chk);
        json_decref(params);
        free(seg);
        valued_free(&d);
        an_segments_free(&set);
        return rc;
    }
    static const char *const cols[] = { "segment", "customers", "customers_%", "mean_profit", "mean_balance",
                                        "mean_age", NULL };
    json_t *t = table_new(cols);
    for (int g = 0; g < set.n; g++) {
        double prof = 0, bal = 0, age = 0;
        size_t aged = 0;
        for (size_t i = 0; i < n; i++)
            if (seg[i] == g) {
                prof += (double)d.v[i].profit, bal += (double)d.v[i].deposits;
                int y = an_age(d.base.cust[i].birth, a.as_of);
                if (y >= 0)
                    age += y, aged++;
            }
        size_t c = chk.count[g];
        table_add(t, json_pack("[s, I, o, o, o, o]", set.name[g], (json_int_t)c, pct(n ? (double)c / (double)n : 0),
                               money(c ? (int64_t)llround(prof / (double)c) : 0),
                               money(c ? (int64_t)llround(bal / (double)c) : 0),
                               aged ? json_real(round(age / (double)aged * 10) / 10) : json_null()));
    }
    json_t *gaps = json_array(), *overlaps = json_array();
    for (size_t k = 0; k < chk.gaps && k < AN_SEG_EXAMPLES; k++)
        json_array_append_new(gaps, json_integer(d.base.cust[chk.gap_example[k]].id));
    for (int x = 0; x < set.n; x++)
        for (int y = x + 1; y < set.n; y++) {
            size_t c = chk.overlap[x * set.n + y];
            if (!c)
                continue;
            json_t *ex = json_array();
            for (size_t k = 0; k < c && k < AN_SEG_EXAMPLES; k++)
                json_array_append_new(ex, json_integer(d.base.cust[chk.overlap_example[(x * set.n + y) * AN_SEG_EXAMPLES + k]].id));
            json_array_append_new(overlaps, json_pack("{s:[s, s], s:I, s:o}", "segments", set.name[x], set.name[y],
                                                      "customers", (json_int_t)c, "examples", ex));
        }
    int exhaustive = chk.gaps == 0, exclusive = chk.overlapping == 0;
    char head[256];
    if (exhaustive && exclusive)
        snprintf(head, sizeof head, "%d segments: every one of %zu customers is in exactly one", set.n, n);
    else
        snprintf(head, sizeof head, "%d segments are not %s%s%s: %zu customers in none, %zu in more than one",
                 set.n, exhaustive ? "" : "exhaustive", !exhaustive && !exclusive ? " and " : "",
                 exclusive ? "" : "mutually exclusive", chk.gaps, chk.overlapping);
    json_t *sum = json_pack("{s:s, s:b, s:b, s:b, s:{s:I, s:o}, s:{s:I, s:o}, s:o}", "headline", head, "valid",
                            exhaustive && exclusive, "exhaustive", exhaustive, "exclusive", exclusive, "gaps",
                            "customers", (json_int_t)chk.gaps, "examples", gaps, "overlaps", "customers",
                            (json_int_t)chk.overlapping, "pairs", overlaps, "table", t);
    rc = run_end(&r, sum, n, err);
    attrs_free(&a);
    an_segment_check_free(&chk);
    json_decref(params);
    free(seg);
    valued_free(&d);
    an_segments_free(&set);
    return hand_over(rc, sum, out);
}

/* ---- cluster ---- */

enum { CF_RECENCY, CF_FREQUENCY, CF_MONETARY, CF_PROFIT, CF_BALANCE, CF_PRODUCTS, CF_DIGITAL, CF_AGE, CF_N };
static const char *const cf_names[CF_N] = { "recency_days", "frequency", "monetary", "profit", "balance", "products",
                                            "digital_share", "age" };
static const char *const cf_high[CF_N] = { "long since their last transaction", "transacts often", "spends a lot",
                                           "very profitable", "large balances", "holds many products",
                                           "banks online", "older" };
static const char *const cf_low[CF_N] = { "recently active", "transacts rarely", "spends little", "unprofitable",
                                          "small balances", "holds few products", "prefers branch, ATM and phone",
                                          "younger" };

static double slog(double v) { return v < 0 ? -log1p(-v) : log1p(v); }

static int job_cluster(rp_store *s, const an_job_opts *o, json_t **out, rp_error *err)
{
    const char *choose = o->choose ? o->choose : "silhouette";
    if (strcmp(choose, "silhouette") && strcmp(choose, "elbow"))
        return rp_err(err, RP_INVAL, "--choose: '%s' is not silhouette or elbow", choose);
    if (o->k < 0 || o->k > 20)
        return rp_err(err, RP_INVAL, "--k: %d is not from 2 to 20", o->k);
    if (o->k == 1)
        return rp_err(err, RP_INVAL, "--k: 1 cluster is every customer; ask for 2 to 20");
    valued d;
    json_t *params = NULL;
    int rc = valued_load(&d, s, o, &params, err);
    if (rc)
        return rc;
    attrs a;
    if ((rc = attrs_compute(&a, &d, o, 0, err))) {
        json_decref(params);
        valued_free(&d);
        return rc;
    }
    size_t n = d.base.ncust, m = 0;
    uint32_t *who = malloc((n ? n : 1) * sizeof *who);
    double *x = malloc((n ? n : 1) * CF_N * sizeof *x), *raw = malloc((n ? n : 1) * CF_N * sizeof *raw);
    if (!who || !x || !raw)
        rc = rp_err(err, RP_NOMEM, NULL);
    double age_sum = 0;
    size_t aged = 0;
    for (size_t i = 0; !rc && i < n; i++)
        if (d.v[i].transactions > 0) {
            int y = an_age(d.base.cust[i].birth, a.as_of);
            if (y >= 0)
                age_sum += y, aged++;
        }
    for (size_t i = 0; !rc && i < n; i++) {
        if (!d.v[i].transactions)
            continue; /* the inactive are a group of their own, not a cluster */
        const an_window *w = &d.base.cust[i].w[0];
        int y = an_age(d.base.cust[i].birth, a.as_of);
        double ds = digital_share(w);
        double *r = raw + m * CF_N;
        r[CF_RECENCY] = a.recency[i] < 0 ? (double)(d.base.p.to[0] - d.base.p.from[0]) : a.recency[i];
        r[CF_FREQUENCY] = w->act_n;
        r[CF_MONETARY] = (double)w->act_sum / 100;
        r[CF_PROFIT] = (double)d.v[i].profit / 100;
        r[CF_BALANCE] = (double)d.v[i].deposits / 100;
        r[CF_PRODUCTS] = d.base.cust[i].products;
        r[CF_DIGITAL] = isnan(ds) ? 0 : ds;
        r[CF_AGE] = y >= 0 ? y : aged ? age_sum / (double)aged : 0;
        double *z = x + m * CF_N;
        memcpy(z, r, CF_N * sizeof *z);
        z[CF_FREQUENCY] = log1p(z[CF_FREQUENCY]);
        z[CF_MONETARY] = log1p(z[CF_MONETARY]);
        z[CF_PROFIT] = slog(z[CF_PROFIT]);
        z[CF_BALANCE] = log1p(z[CF_BALANCE]);
        who[m++] = (uint32_t)i;
    }
    int kmin = o->k ? o->k : 2, kmax = o->k ? o->k : 8;
    if (!rc && m < (size_t)kmax + 1) {
        if (m < 3)
            rc = rp_err(err, RP_INVAL, "cluster: %zu active customers; at least 3 are needed", m);
        else
            kmax = (int)m - 1;
        if (kmin > kmax)
            kmin = kmax;
    }
    uint64_t seed = 20261123;
    an_kmeans best = { 0 };
    json_t *tried = json_array();
    double wss[21], sil[21];
    int bestk = kmin;
    if (!rc)
        an_standardise(x, m, CF_N, NULL, NULL);
    for (int k = kmin; !rc && k <= kmax; k++) {
        an_kmeans km;
        if ((rc = an_kmeans_run(x, m, CF_N, k, seed + (uint64_t)k, 4, &km, err)))
            break;
        wss[k] = km.wss;
        sil[k] = an_silhouette(x, m, CF_N, km.assign, k, 2000, seed);
        json_array_append_new(tried, json_pack("{s:i, s:f, s:f}", "k", k, "within_ss", round(km.wss * 10) / 10,
                                               "silhouette", round(sil[k] * 10000) / 10000));
        an_kmeans_free(&km);
    }
    if (!rc) {
        if (kmin == kmax)
            bestk = kmin;
        else if (choose[0] == 'e')
            bestk = an_elbow(wss + kmin, kmin, kmax - kmin + 1);
        else
            for (int k = kmin; k <= kmax; k++)
                if (sil[k] > sil[bestk])
                    bestk = k;
        rc = an_kmeans_run(x, m, CF_N, bestk, seed + (uint64_t)bestk, 4, &best, err);
    }
    json_object_set_new(params, "choose", json_string(o->k ? "fixed" : choose));
    json_object_set_new(params, "features", json_pack("[s,s,s,s,s,s,s,s]", cf_names[0], cf_names[1], cf_names[2],
                                                      cf_names[3], cf_names[4], cf_names[5], cf_names[6], cf_names[7]));
    run r;
    if (!rc)
        rc = run_begin(s, o, params, &r, err);
    if (!rc && o->save) {
        rp_stmt *st;
        rc = rp_store_prepare(s, "INSERT INTO customer_segment(run_id, customer_id, segment) VALUES (?,?,?)", &st,
                              err);
        for (size_t j = 0; !rc && j < m; j++) {
            char name[32];
            snprintf(name, sizeof name, "cluster %d", best.assign[j] + 1);
            rp_stmt_bind_int(st, 1, r.id);
            rp_stmt_bind_int(st, 2, d.base.cust[who[j]].id);
            rp_stmt_bind_text(st, 3, name);
            rc = rp_stmt_run(st, err);
        }
        if (rc)
            run_abort(&r);
    }
    if (rc) {
        json_decref(tried);
        json_decref(params);
        an_kmeans_free(&best);
        free(who), free(x), free(raw);
        attrs_free(&a);
        valued_free(&d);
        return rc;
    }
    /* profiles: each cluster's means, and the features that set it apart, in words */
    double all[CF_N] = { 0 };
    for (size_t j = 0; j < m; j++)
        for (int f = 0; f < CF_N; f++)
            all[f] += raw[j * CF_N + f] / (double)m;
    static const char *const cols[] = { "cluster", "customers", "customers_%", "profile", "recency_days", "frequency",
                                        "monetary", "profit", "balance", "products", "digital_share", "age", NULL };
    json_t *t = table_new(cols);
    for (int c = 0; c < bestk; c++) {
        double mean[CF_N] = { 0 }, zm[CF_N] = { 0 };
        size_t cnt = best.size[c];
        for (size_t j = 0; j < m; j++)
            if (best.assign[j] == c)
                for (int f = 0; f < CF_N; f++) {
                    mean[f] += raw[j * CF_N + f] / (double)cnt;
                    zm[f] += x[j * CF_N + f] / (double)cnt;
                }
        int order[CF_N];
        for (int f = 0; f < CF_N; f++)
            order[f] = f;
        for (int i = 1; i < CF_N; i++)
            for (int j = i; j > 0 && fabs(zm[order[j]]) > fabs(zm[order[j - 1]]); j--) {
                int tmp = order[j];
                order[j] = order[j - 1];
                order[j - 1] = tmp;
            }
        char words[512] = "";
        size_t wl = 0;
        for (int i = 0, said = 0; i < CF_N && said < 4; i++) {
            int f = order[i];
            if (fabs(zm[f]) < 0.4)
                break;
            wl += (size_t)snprintf(words + wl, sizeof words - wl, "%s%s%s", said ? "; " : "",
                                   zm[f] > 0 ? cf_high[f] : cf_low[f], fabs(zm[f]) >= 1.0 ? " (far from the average)" : "");
            if (wl >= sizeof words)
                wl = sizeof words - 1;
            said++;
        }
        if (!wl)
            snprintf(words, sizeof words, "close to the average active customer");
        char name[32];
        snprintf(name, sizeof name, "cluster %d", c + 1);
        table_add(t, json_pack("[s, I, o, s, f, f, f, f, f, f, f, f]", name, (json_int_t)cnt,
                               pct(m ? (double)cnt / (double)m : 0), words, round(mean[CF_RECENCY] * 10) / 10,
                               round(mean[CF_FREQUENCY] * 10) / 10, round(mean[CF_MONETARY] * 100) / 100,
                               round(mean[CF_PROFIT] * 100) / 100, round(mean[CF_BALANCE] * 100) / 100,
                               round(mean[CF_PRODUCTS] * 100) / 100, round(mean[CF_DIGITAL] * 1000) / 1000,
                               round(mean[CF_AGE] * 10) / 10));
    }
    char head[256];
    snprintf(head, sizeof head, "%zu active customers in %d clusters (k by %s%s, silhouette %.3f); %zu inactive left "
             "out", m, bestk, o->k ? "request" : choose, "", sil[bestk], n - m);
    json_t *sum = json_pack("{s:s, s:i, s:o, s:I, s:o}", "headline", head, "k", bestk, "tried", tried, "inactive",
                            (json_int_t)(n - m), "table", t);
    rc = run_end(&r, sum, m, err);
    json_decref(params);
    an_kmeans_free(&best);
    free(who), free(x), free(raw);
    attrs_free(&a);
    valued_free(&d);
    return hand_over(rc, sum, out);
}

/* ---- quality ---- */

#include "analytics/quality.h"

static int job_quality(rp_store *s, const an_job_opts *o, json_t **out, rp_error *err)
{
    char names[255][32];
    int ns = 0;
    an_q_row *rows = NULL;
    size_t n = 0, cap = 0;
    rp_stmt *st = NULL;
    int rc = rp_store_prepare(
        s,
        "SELECT r.source, "
        "coalesce(p.name_zh, '') <> '' OR coalesce(p.name_latin, '') <> '', coalesce(p.name_zh, '') <> '', "
        "coalesce(p.name_latin, '') <> '', p.birth_date IS NOT NULL, p.gender IS NOT NULL, "
        "coalesce(p.occupation, '') <> '', coalesce(p.income_band, '') <> '', p.home_branch IS NOT NULL, "
        "EXISTS (SELECT 1 FROM party_identifier i WHERE i.party_id = p.id AND i.type IN "
        "  ('national_id', 'resident_cert', 'passport', 'tax_id', 'ubn')), "
        "EXISTS (SELECT 1 FROM contact_point c WHERE c.party_id = p.id AND c.kind IN ('mobile', 'phone')), "
        "EXISTS (SELECT 1 FROM contact_point c WHERE c.party_id = p.id AND c.kind = 'email'), "
        "EXISTS (SELECT 1 FROM contact_point c WHERE c.party_id = p.id AND c.kind = 'address'), "
        "coalesce(p.merged_into, 0) "
        "FROM source_record r JOIN party p ON p.id = r.entity_id WHERE r.entity = 'party'",
        &st, err);
    if (!rc)
        while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
            const char *src = rp_stmt_text(st, 0);
            int si = 0;
            while (si < ns && strcmp(names[si], src))
                si++;
            if (si == ns) {
                if (ns == 255) {
                    rc = rp_err(err, RP_TOOBIG, "quality: more than 255 sources");
                    break;
                }
                snprintf(names[ns++], sizeof names[0], "%s", src);
            }
            if (n == cap) {
                cap = cap ? cap * 2 : 4096;
                an_q_row *nr = realloc(rows, cap * sizeof *nr);
                if (!nr) {
                    rc = rp_err(err, RP_NOMEM, NULL);
                    break;
                }
                rows = nr;
            }
            uint32_t f = 0;
            for (int k = 0; k < AN_Q_NFIELDS; k++)
                if (rp_stmt_int(st, 1 + k))
                    f |= 1u << k;
            rows[n++] = (an_q_row){ (uint32_t)si, f, rp_stmt_int(st, 1 + AN_Q_NFIELDS) };
        }
    if (st)
        rp_stmt_done(st);
    if (rc == RP_DONE)
        rc = RP_OK;
    an_q_source qs[255];
    if (!rc)
        rc = an_quality(rows, n, ns, qs, err);
    free(rows);
    if (rc)
        return rc;
    /* loads and rejects by source, field and rule */
    json_t *loads = json_object(), *rejects = json_array();
    st = NULL;
    rc = rp_store_prepare(s,
                          "SELECT source, sum(records), sum(rows_loaded), sum(rows_fixed), sum(rows_rejected) "
                          "FROM load_job GROUP BY source ORDER BY source",
                          &st, err);
    if (!rc)
        while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
            int64_t rec = rp_stmt_int(st, 1), rej = rp_stmt_int(st, 4);
            json_object_set_new(loads, rp_stmt_text(st, 0),
                                json_pack("{s:I, s:I, s:I, s:I, s:o}", "records", (json_int_t)rec, "loaded",
                                          (json_int_t)rp_stmt_int(st, 2), "fixed", (json_int_t)rp_stmt_int(st, 3),
                                          "rejected", (json_int_t)rej, "valid_%",
                                          rec ? pct((double)(rec - rej) / (double)rec) : json_null()));
        }
    if (st)
        rp_stmt_done(st);
    if (rc == RP_DONE) {
        st = NULL;
        rc = rp_store_prepare(s,
                              "SELECT j.source, r.field, r.rule, count(*), sum(r.status = 'open') FROM reject r "
                              "JOIN load_job j ON j.id = r.job_id GROUP BY 1, 2, 3 ORDER BY 1, 4 DESC, 2, 3",
                              &st, err);
        if (!rc)
            while ((rc = rp_stmt_step(st, err)) == RP_ROW)
                json_array_append_new(rejects, json_pack("{s:s, s:s, s:s, s:I, s:I}", "source", rp_stmt_text(st, 0),
                                                         "field", rp_stmt_text(st, 1), "rule", rp_stmt_text(st, 2),
                                                         "rejects", (json_int_t)rp_stmt_int(st, 3), "open",
                                                         (json_int_t)rp_stmt_int(st, 4)));
        if (st)
            rp_stmt_done(st);
    }
    /* source records waiting in a pair for a person's review: suspected duplicates not yet decided */
    json_t *review = json_object();
    if (rc == RP_DONE) {
        st = NULL;
        rc = rp_store_prepare(s,
                              "SELECT r.source, count(DISTINCT r.entity_id) FROM match_pair m JOIN source_record r "
                              "ON r.entity = 'party' AND (r.entity_id = m.a_party OR r.entity_id = m.b_party) "
                              "WHERE m.status = 'review' GROUP BY r.source",
                              &st, err);
        if (!rc)
            while ((rc = rp_stmt_step(st, err)) == RP_ROW)
                json_object_set_new(review, rp_stmt_text(st, 0), json_integer(rp_stmt_int(st, 1)));
        if (st)
            rp_stmt_done(st);
    }
    if (rc == RP_DONE)
        rc = RP_OK;
    json_t *params = json_object();
    run r;
    if (!rc)
        rc = run_begin(s, o, params, &r, err);
    if (rc) {
        json_decref(loads), json_decref(rejects), json_decref(params), json_decref(review);
        return rc;
    }
    json_t *cols = json_array();
    json_array_append_new(cols, json_string("source"));
    json_array_append_new(cols, json_string("records"));
    for (int f = 0; f < AN_Q_NFIELDS; f++) {
        char c[48];
        snprintf(c, sizeof c, "%s_%%", an_q_fields[f]);
        json_array_append_new(cols, json_string(c));
    }
    json_array_append_new(cols, json_string("duplicates"));
    json_array_append_new(cols, json_string("in_review"));
    json_array_append_new(cols, json_string("rejected"));
    json_t *tab = json_pack("{s:o, s:[]}", "columns", cols, "rows");
    size_t total = 0, dups = 0;
    for (int si = 0; si < ns; si++) {
        json_t *row = json_array();
        json_array_append_new(row, json_string(names[si]));
        json_array_append_new(row, json_integer((json_int_t)qs[si].records));
        for (int f = 0; f < AN_Q_NFIELDS; f++)
            json_array_append_new(row, pct(qs[si].records ? (double)qs[si].present[f] / (double)qs[si].records : 0));
        json_array_append_new(row, json_integer((json_int_t)qs[si].duplicates));
        json_t *rv = json_object_get(review, names[si]);
        json_array_append_new(row, rv ? json_incref(rv) : json_integer(0));
        json_t *l = json_object_get(loads, names[si]);
        json_array_append_new(row, l ? json_incref(json_object_get(l, "rejected")) : json_integer(0));
        table_add(tab, row);
        total += qs[si].records;
        dups += qs[si].duplicates;
    }
    size_t nrej = 0;
    json_t *it;
    size_t idx;
    json_array_foreach(rejects, idx, it) nrej += (size_t)json_integer_value(json_object_get(it, "rejects"));
    char head[256];
    snprintf(head, sizeof head, "%zu source records from %d sources; %zu look like duplicates within their source; "
             "%zu records rejected at load", total, ns, dups, nrej);
    json_t *sum = json_pack("{s:s, s:o, s:o, s:o}", "headline", head, "loads", loads, "rejects_by_rule", rejects,
                            "table", tab);
    rc = run_end(&r, sum, total, err);
    json_decref(params);
    json_decref(review);
    return hand_over(rc, sum, out);
}

/* ---- dispatch and past runs ---- */

int an_job_run(rp_store *s, const an_job_opts *o, json_t **summary, rp_error *err)
{
    static int (*const fn[])(rp_store *, const an_job_opts *, json_t **, rp_error *) = {
        job_value, job_pareto, job_pyramid, job_rfm, job_clv, job_gains_losses, job_migration, job_segment,
        job_cluster, job_quality,
    };
    *summary = NULL;
    for (int i = 0; i < an_njobs; i++)
        if (o->job && !strcmp(o->job, an_jobs[i].name))
            return fn[i](s, o, summary, err);
    return rp_err(err, RP_USAGE, "no analysis '%s' (value, pareto, pyramid, rfm, clv, gains-losses, migration, "
                                 "segment, cluster, quality)", o->job ? o->job : "");
}

int an_run_get(rp_store *s, int64_t id, json_t **summary, rp_error *err)
{
    *summary = NULL;
    rp_stmt *st;
    int rc = rp_store_prepare(s, "SELECT summary FROM analysis_run WHERE id = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, id);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        const char *t = rp_stmt_text(st, 0);
        json_error_t je;
        *summary = t ? json_loads(t, 0, &je) : NULL;
        rc = *summary ? RP_OK : rp_err(err, RP_NOTFOUND, "run %lld did not finish", (long long)id);
    } else if (rc == RP_DONE) {
        rc = rp_err(err, RP_NOTFOUND, "no analysis run %lld", (long long)id);
    }
    rp_stmt_done(st);
    return rc;
}

int an_run_list(rp_store *s, const char *job, int limit, json_t **list, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(s,
                              "SELECT id, job, as_of, started_at, started_by, customers, seconds, "
                              "json_extract(summary, '$.headline') FROM analysis_run "
                              "WHERE (?1 IS NULL OR job = ?1) AND finished_at IS NOT NULL ORDER BY id DESC LIMIT ?2",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, job);
    rp_stmt_bind_int(st, 2, limit > 0 ? limit : 20);
    json_t *a = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        const char *h = rp_stmt_text(st, 7), *by = rp_stmt_text(st, 4);
        json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s, s:s?, s:I, s:f, s:s?}", "run",
                                           (json_int_t)rp_stmt_int(st, 0), "job", rp_stmt_text(st, 1), "as_of",
                                           rp_stmt_text(st, 2), "started_at", rp_stmt_text(st, 3), "started_by", by,
                                           "customers", (json_int_t)rp_stmt_int(st, 5), "seconds",
                                           rp_stmt_real(st, 6), "headline", h));
    }
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(a);
        return rc;
    }
    *list = a;
    return RP_OK;
}
