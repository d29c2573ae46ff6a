/* profit.c — customer profitability, ranking and the pyramid.  See value.h. */
#include "analytics/internal.h"
#include "core/sort.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void an_value_params_default(an_value_params *p)
{
    memset(p, 0, sizeof *p);
    p->ftp = 2.0;
    p->investment_fee = 1.0;
    p->interchange = 1.5;
    static const int64_t cost[AN_NCH] = { [AN_CH_BRANCH] = 12000, [AN_CH_ATM] = 2000, [AN_CH_INTERNET] = 800,
                                          [AN_CH_MOBILE] = 500,   [AN_CH_PHONE] = 6000, [AN_CH_POS] = 100,
                                          [AN_CH_BATCH] = 100 };
    memcpy(p->channel_cost, cost, sizeof cost);
}

static int64_t round_minor(double v) { return (int64_t)llround(v); }

int an_value_compute(const an_base *b, int w, const an_value_params *p, an_value *out, rp_error *err)
{
    if (w < 0 || w >= b->p.windows)
        return rp_err(err, RP_INVAL, "value: no window %d", w + 1);
    int32_t from = b->p.from[w], to = b->p.to[w];
    double days = (double)(to - from), years = days / 365.0;
    double *margin = calloc(b->ncust ? b->ncust : 1, sizeof *margin);
    double *fees = calloc(b->ncust ? b->ncust : 1, sizeof *fees);
    if (!margin || !fees) {
        free(margin), free(fees);
        return rp_err(err, RP_NOMEM, NULL);
    }
    memset(out, 0, b->ncust * sizeof *out);
    for (size_t i = 0; i < b->nacct; i++) {
        const an_account *a = &b->acct[i];
        if (a->cust < 0)
            continue;
        double avg = (double)a->balance - a->after[w] - a->flow[w] / days;
        double m = 0, rate = a->rate;
        switch (a->kind) {
        case AN_K_DEPOSIT:
        case AN_K_TIME_DEPOSIT:
            if (avg > 0)
                m = avg * (p->ftp - (isnan(rate) ? 0 : rate)) / 100.0 * years;
            if (avg > 0)
                out[a->cust].deposits += round_minor(avg);
            break;
        case AN_K_LOAN:
        case AN_K_CARD:
            if (avg < 0) {
                m = -avg * ((isnan(rate) ? p->ftp : rate) - p->ftp) / 100.0 * years;
                out[a->cust].loans += round_minor(-avg);
            }
            break;
        case AN_K_INVESTMENT:
            if (avg > 0) {
                m = avg * p->investment_fee / 100.0 * years;
                out[a->cust].deposits += round_minor(avg);
            }
            break;
        default:
            break;
        }
        margin[a->cust] += m;
        /* the product's own monthly revenue less cost, for the days held in the window */
        int32_t o = a->opened == AN_NO_DAY || a->opened < from ? from : a->opened;
        int32_t c = a->closed < to ? a->closed : to;
        if (a->month_net && c > o)
            fees[a->cust] += (double)a->month_net * (double)(c - o) / (365.0 / 12.0);
    }
    for (size_t i = 0; i < b->ncust; i++) {
        const an_window *win = &b->cust[i].w[w];
        an_value *v = &out[i];
        double f = fees[i] + (double)win->fees + (double)win->card_spend * p->interchange / 100.0;
        v->margin = round_minor(margin[i]);
        v->fees = round_minor(f);
        v->revenue = v->margin + v->fees;
        for (int ch = 0; ch < AN_NCH; ch++) {
            v->cost += (int64_t)win->n[ch] * p->channel_cost[ch];
            v->transactions += win->n[ch];
        }
        v->profit = v->revenue - v->cost;
    }
    free(margin);
    free(fees);
    return RP_OK;
}

/* An int64 as a uint64 that sorts the same way. */
static uint64_t ordered(int64_t v) { return (uint64_t)v ^ (UINT64_C(1) << 63); }

typedef struct kv {
    uint64_t key;
    uint32_t idx;
} kv;

int an_rank(const int64_t *value, size_t n, uint32_t *rank, rp_error *err)
{
    if (n > UINT32_MAX)
        return rp_err(err, RP_TOOBIG, "rank: %zu customers", n);
    kv *t = malloc((n ? n : 1) * sizeof *t);
    if (!t)
        return rp_err(err, RP_NOMEM, NULL);
    /* descending by value; the sort is stable, so equal values keep their order */
    for (size_t i = 0; i < n; i++)
        t[i] = (kv){ ~ordered(value[i]), (uint32_t)i };
    if (rp_sort_by_u64(t, n, sizeof *t, offsetof(kv, key))) {
        free(t);
        return rp_err(err, RP_NOMEM, NULL);
    }
    for (size_t r = 0; r < n; r++)
        rank[t[r].idx] = (uint32_t)r;
    free(t);
    return RP_OK;
}

int an_pyramid_parse(const char *spec, int exponent, an_pyramid *out, rp_error *err)
{
    memset(out, 0, sizeof *out);
    const char *p = spec;
    int shares = 0, amounts = 0;
    double total = 0;
    while (p && *p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        if (out->nlevels == AN_MAX_LEVELS)
            return rp_err(err, RP_INVAL, "pyramid: more than %d levels", AN_MAX_LEVELS);
        an_level *l = &out->level[out->nlevels];
        size_t n = strcspn(p, ":,");
        while (n && p[n - 1] == ' ')
            n--;
        if (!n || n >= sizeof l->name)
            return rp_err(err, RP_INVAL, "pyramid: level %d: a name of 1 to %zu bytes is needed", out->nlevels + 1,
                          sizeof l->name - 1);
        memcpy(l->name, p, n);
        if (!strcmp(l->name, "inactive"))
            return rp_err(err, RP_INVAL, "pyramid: 'inactive' is the level of customers without transactions; "
                                         "name the others differently");
        for (int i = 0; i < out->nlevels; i++)
            if (!strcmp(out->level[i].name, l->name))
                return rp_err(err, RP_INVAL, "pyramid: level '%s' is named twice", l->name);
        p += strcspn(p, ":,");
        if (*p != ':') {
            l->rest = 1;
            out->nlevels++;
            while (*p == ' ')
                p++;
            if (*p == ',' && p[strspn(p, ", ")])
                return rp_err(err, RP_INVAL, "pyramid: level '%s' has no share or threshold, and only the last "
                                             "level may take the rest", l->name);
            break;
        }
        p++;
        char *end;
        double v = strtod(p, &end);
        if (end == p || !isfinite(v) || v < 0)
            return rp_err(err, RP_INVAL, "pyramid: level '%s': '%.*s' is not a share (1%%) or an amount", l->name,
                          (int)strcspn(p, ","), p);
        while (*end == ' ')
            end++;
        if (*end == '%') {
            end++;
            if (v <= 0 || v >= 100)
                return rp_err(err, RP_INVAL, "pyramid: level '%s': share %g%% is not between 0 and 100", l->name, v);
            l->by_share = 1;
            l->share = v;
            total += v;
            shares = 1;
        } else {
            double minor = v * pow(10, exponent);
            if (minor > 9e18)
                return rp_err(err, RP_INVAL, "pyramid: level '%s': amount %g is too large", l->name, v);
            l->threshold = (int64_t)llround(minor);
            if (out->nlevels && amounts && l->threshold >= out->level[out->nlevels - 1].threshold)
                return rp_err(err, RP_INVAL, "pyramid: level '%s': threshold %g is not below the level above it",
                              l->name, v);
            amounts = 1;
        }
        while (*end == ' ')
            end++;
        if (*end && *end != ',')
            return rp_err(err, RP_INVAL, "pyramid: level '%s': unexpected '%s'", l->name, end);
        p = end;
        out->nlevels++;
    }
    if (shares && amounts)
        return rp_err(err, RP_INVAL, "pyramid: levels mix shares and thresholds; use one or the other");
    if (out->nlevels < 2 || !out->level[out->nlevels - 1].rest)
        return rp_err(err, RP_INVAL, "pyramid: '%s': at least two levels, the last without a share or threshold "
                                     "(it takes the rest)", spec ? spec : "");
    if (total >= 100)
        return rp_err(err, RP_INVAL, "pyramid: the shares add up to %g%%, leaving nothing for '%s'", total,
                      out->level[out->nlevels - 1].name);
    an_level *in = &out->level[out->nlevels++];
    snprintf(in->name, sizeof in->name, "inactive");
    return RP_OK;
}

int an_pyramid_assign(an_pyramid *py, const int64_t *value, const uint8_t *active, size_t n, uint8_t *level_of,
                      rp_error *err)
{
    int inactive = py->nlevels - 1;
    for (int l = 0; l < py->nlevels; l++)
        py->level[l].customers = 0, py->level[l].sum = py->level[l].min = py->level[l].max = 0;
    py->customers = n;
    py->total = 0;
    int64_t *v = calloc(n ? n : 1, sizeof *v);
    uint32_t *idx = malloc((n ? n : 1) * sizeof *idx);
    uint32_t *rank = malloc((n ? n : 1) * sizeof *rank);
    if (!v || !idx || !rank) {
        free(v), free(idx), free(rank);
        return rp_err(err, RP_NOMEM, NULL);
    }
    size_t na = 0;
    for (size_t i = 0; i < n; i++)
        if (active[i]) {
            idx[na] = (uint32_t)i;
            v[na++] = value[i];
        } else {
            level_of[i] = (uint8_t)inactive;
        }
    int rc = an_rank(v, na, rank, err);
    for (size_t j = 0; !rc && j < na; j++) {
        int l = 0;
        if (py->level[0].by_share) {
            double cum = 0;
            /* the first level whose cumulative share reaches past this rank */
            for (l = 0; l < inactive - 1; l++) {
                cum += py->level[l].share;
                if ((double)rank[j] < floor(cum * (double)na / 100.0 + 0.5))
                    break;
            }
        } else {
            for (l = 0; l < inactive - 1; l++)
                if (v[j] >= py->level[l].threshold)
                    break;
        }
        level_of[idx[j]] = (uint8_t)l;
    }
    for (size_t i = 0; !rc && i < n; i++) {
        an_level *l = &py->level[level_of[i]];
        if (!l->customers || value[i] < l->min)
            l->min = value[i];
        if (!l->customers || value[i] > l->max)
            l->max = value[i];
        l->customers++;
        l->sum += value[i];
        py->total += value[i];
    }
    free(v), free(idx), free(rank);
    return rc;
}
