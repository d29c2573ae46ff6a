/* valued.c — what several analyses read of every customer over a window:
 * value, rank and pyramid level (value, pareto, pyramid), and the
 * attributes segment rules, migration rules and clusters read, with RFM.
 * See internal.h. */
#include "analytics/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- value, rank and level ---- */

void an_valued_free(an_valued *d)
{
    an_base_free(&d->base);
    free(d->v), free(d->measure), free(d->rank), free(d->active), free(d->level);
}

/* The [value] parameters: the transfer price, fees, each channel's cost. */
static int value_params(const an_job_opts *o, an_value_params *p, rp_error *err)
{
    an_value_params_default(p);
    int rc = an_cfg_double(o, "value", "ftp_rate", p->ftp, -100, 100, &p->ftp, err);
    if (!rc)
        rc = an_cfg_double(o, "value", "investment_fee", p->investment_fee, 0, 100, &p->investment_fee, err);
    if (!rc)
        rc = an_cfg_double(o, "value", "interchange", p->interchange, 0, 100, &p->interchange, err);
    for (int ch = 0; !rc && ch < AN_NCH; ch++) {
        char key[32];
        snprintf(key, sizeof key, "cost_%s", wh_txn_channels[ch]);
        double v;
        rc = an_cfg_double(o, "value", key, (double)p->channel_cost[ch] / 100.0, 0, 1e9, &v, err);
        p->channel_cost[ch] = (int64_t)llround(v * 100.0);
    }
    return rc;
}

static json_t *value_params_json(const an_value_params *p)
{
    json_t *cost = json_object();
    for (int ch = 0; ch < AN_NCH; ch++)
        json_object_set_new(cost, wh_txn_channels[ch], an_money(p->channel_cost[ch]));
    return json_pack("{s:f, s:f, s:f, s:o}", "ftp_rate", p->ftp, "investment_fee", p->investment_fee, "interchange",
                     p->interchange, "cost_per_transaction", cost);
}

int an_valued_params(an_valued *d, const an_job_opts *o, rp_error *err)
{
    const char *m = o->measure ? o->measure : "profit";
    if (strcmp(m, "profit") && strcmp(m, "revenue") && strcmp(m, "spend"))
        return rp_err(err, RP_INVAL, "--measure: '%s' is not profit, revenue or spend", m);
    d->measure_name = m;
    return value_params(o, &d->vp, err);
}

static int64_t pick(const char *m, const an_value *v, const an_window *w)
{
    return m[0] == 'p' ? v->profit : m[0] == 'r' ? v->revenue : w->act_sum;
}

static const char *default_levels = "top:1%,big:4%,medium:15%,small";

static const char *levels_spec(const an_job_opts *o)
{
    return o->levels ? o->levels : o->cfg ? rp_config_get(o->cfg, "pyramid", "levels", default_levels) : default_levels;
}

int an_valued_compute(an_valued *d, const an_job_opts *o, int w, rp_error *err)
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
    if (!rc)
        rc = an_pyramid_parse(levels_spec(o), 2, &d->py, err);
    if (rc && rc != RP_NOMEM)
        rp_err_prefix(err, "%s", o->levels ? "--levels" : "[pyramid] levels");
    if (!rc)
        rc = an_pyramid_assign(&d->py, d->measure, d->active, n, d->level, err);
    return rc;
}

int an_valued_load(an_valued *d, wh *w, const an_job_opts *o, json_t **params, rp_error *err)
{
    memset(d, 0, sizeof *d);
    an_base_params bp;
    int rc = an_valued_params(d, o, err);
    if (rc)
        return rc;
    an_base_params_of(o, &bp);
    const char *spec = levels_spec(o);
    an_pyramid probe;
    if (an_pyramid_parse(spec, 2, &probe, err))
        return rp_err_prefix(err, "%s", o->levels ? "--levels" : "[pyramid] levels");
    if ((rc = an_base_get(w, o, &bp, &d->base, err)))
        return rc;
    char from[RP_DATE_LEN];
    an_day_text(bp.from[0], from);
    *params = json_pack("{s:s, s:i, s:s, s:s, s:o}", "from", from, "months", o->months > 0 ? o->months : 12,
                        "measure", d->measure_name, "levels", spec, "value", value_params_json(&d->vp));
    return an_valued_compute(d, o, 0, err);
}

int an_valued_write(an_run *r, const an_valued *d, rp_error *err)
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

json_t *an_decile_table(const an_pareto *p)
{
    static const char *const cols[] = { "decile", "customers", "total", "share_%", "min", "max", "mean", NULL };
    json_t *t = an_table_new(cols);
    for (int q = 0; q < 10; q++) {
        const an_decile *dc = &p->decile[q];
        an_table_add(t, json_pack("[i, i, o, o, o, o, o]", q + 1, (json_int_t)dc->customers, an_money(dc->sum),
                                  an_pct(p->total ? (double)dc->sum / (double)p->total : 0), an_money(dc->min),
                                  an_money(dc->max),
                                  an_money(dc->customers ? (int64_t)llround((double)dc->sum / (double)dc->customers)
                                                         : 0)));
    }
    return t;
}

int an_valued_job(wh *w, const an_job_opts *o, an_valued_summary *make, json_t **summary, rp_error *err)
{
    an_valued d;
    json_t *params = NULL, *sum = NULL;
    an_run r;
    int rc = an_valued_load(&d, w, o, &params, err);
    if (!rc)
        rc = an_run_begin(w, o, params, &r, err);
    if (!rc && ((rc = an_valued_write(&r, &d, err)) || !(sum = make(&d, err)))) {
        if (!rc)
            rc = err->code ? err->code : RP_NOMEM;
        an_run_abort(&r);
    }
    if (!rc)
        rc = an_run_end(&r, sum, d.base.ncust, err);
    json_decref(params);
    an_valued_free(&d);
    return an_hand_over(rc, sum, summary);
}

/* ---- attributes for segments, migration rules and clusters ---- */

void an_attrs_free(an_attrs_ctx *a)
{
    free(a->rfm);
    free(a->recency);
    a->rfm = NULL;
    a->recency = NULL;
    for (int k = 0; k < a->nmodels; k++) {
        free(a->mscore[k]);
        free(a->mdecile[k]);
    }
    a->nmodels = 0;
}

/* The customer index of id in the base (its customers in ascending order of id), or -1. */
static ptrdiff_t customer_at(const an_base *b, int64_t id)
{
    size_t lo = 0, hi = b->ncust;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->cust[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < b->ncust && b->cust[lo].id == id ? (ptrdiff_t)lo : -1;
}

int an_attrs_models(an_attrs_ctx *a, const an_segment_set *set, const char *file, const an_job_opts *o,
                    rp_error *err)
{
    if (set->nmodels && !o->model_scores)
        return rp_err(err, RP_INVAL, "%s: score('%s'): a model's scores cannot be read here", file, set->model[0]);
    size_t nc = a->d->base.ncust;
    for (int k = 0; k < set->nmodels; k++) {
        size_t n = 0;
        int64_t *id = NULL;
        double *p = NULL;
        int *dec = NULL;
        int rc = o->model_scores(o->model_scores_ctx, set->model[k], &n, &id, &p, &dec, err);
        if (rc) { /* said with the file and the rule's words */
            char why[RP_ERROR_MSG_MAX];
            snprintf(why, sizeof why, "%s", rp_errmsg(err));
            return strncmp(why, "score(", 6) ? rp_err(err, rc, "%s: score('%s'): %s", file, set->model[k], why)
                                             : rp_err(err, rc, "%s: %s", file, why);
        }
        a->mscore[k] = malloc((nc ? nc : 1) * sizeof *a->mscore[k]);
        a->mdecile[k] = calloc(nc ? nc : 1, sizeof *a->mdecile[k]);
        a->nmodels = k + 1;
        if (!a->mscore[k] || !a->mdecile[k]) {
            free(id), free(p), free(dec);
            return rp_err(err, RP_NOMEM, NULL);
        }
        for (size_t i = 0; i < nc; i++)
            a->mscore[k][i] = NAN;
        for (size_t j = 0; j < n; j++) {
            ptrdiff_t i = customer_at(&a->d->base, id[j]);
            if (i >= 0) {
                a->mscore[k][i] = p[j];
                a->mdecile[k][i] = dec[j];
            }
        }
        free(id), free(p), free(dec);
    }
    return RP_OK;
}

int an_attrs_compute(an_attrs_ctx *a, an_valued *d, const an_job_opts *o, int w, rp_error *err)
{
    memset(a, 0, sizeof *a);
    a->d = d;
    a->w = w;
    a->as_of = d->base.p.to[w] - 1;
    int rc = an_valued_compute(d, o, w, err);
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
        an_attrs_free(a);
    return rc;
}

double an_digital_share(const an_window *w)
{
    int32_t own = w->n[AN_CH_BRANCH] + w->n[AN_CH_ATM] + w->n[AN_CH_INTERNET] + w->n[AN_CH_MOBILE] + w->n[AN_CH_PHONE] +
                  w->n[AN_CH_POS];
    return own ? (double)(w->n[AN_CH_INTERNET] + w->n[AN_CH_MOBILE]) / own : NAN;
}

an_value_cell an_attr_get(void *ctx, size_t i, int at)
{
    an_attrs_ctx *a = ctx;
    if (at >= AN_NATTRS) { /* a model's score or decile (segment.h) */
        int k = (at - AN_NATTRS) / 2;
        an_value_cell m = { NAN, NULL };
        if (k < a->nmodels)
            m.num = (at - AN_NATTRS) % 2 ? (a->mdecile[k][i] ? a->mdecile[k][i] : NAN) : a->mscore[k][i];
        return m;
    }
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
    case AN_A_DIGITAL_SHARE: r.num = an_digital_share(w); break;
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

int an_segments_load(const an_job_opts *o, an_segment_set *set, const char **file, rp_error *err)
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
