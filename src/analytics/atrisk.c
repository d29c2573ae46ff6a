/* atrisk.c — who is worth saving (M9, seed 004): customers ranked by their probability of leaving
 * times the profit they bring (the latest value analysis), and the churn-by-contribution cross table
 * (risk bands by the model's deciles against pyramid levels).  The probabilities come from the caller
 * (a kept model's latest scoring, models.h); the values are this module's own (customer_value).  See
 * analytics.h. */
#include "analytics/internal.h"
#include "core/sort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct value_row {
    int64_t customer, profit;
    char level[24];
} value_row;

/* The latest value run's rows, sorted by customer. */
static int latest_values(wh *w, value_row **out, size_t *n, int64_t *run, char *as_of, size_t an, rp_error *err)
{
    rp_store *s = wh_store(w);
    rp_stmt *st;
    int rc = rp_store_prepare(s,
                              "SELECT r.id, r.as_of FROM analysis_run r WHERE r.id = (SELECT max(run_id) FROM "
                              "customer_value)",
                              &st, err);
    if (rc)
        return rc;
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        *run = rp_stmt_int(st, 0);
        snprintf(as_of, an, "%s", rp_stmt_text(st, 1) ? rp_stmt_text(st, 1) : "");
    }
    rp_stmt_done(st);
    if (rc == RP_DONE)
        return rp_err(err, RP_NOTFOUND, "no customer values yet: run 'rapport analyze value' first");
    if (rc != RP_ROW)
        return rc;
    if ((rc = rp_store_prepare(s,
                               "SELECT customer_id, profit_minor, level FROM customer_value WHERE run_id = ? "
                               "ORDER BY customer_id",
                               &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, *run);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 4096;
            value_row *v = realloc(*out, cap * sizeof *v);
            if (!v) {
                rc = rp_err(err, RP_NOMEM, NULL);
                break;
            }
            *out = v;
        }
        value_row *v = &(*out)[(*n)++];
        v->customer = rp_stmt_int(st, 0);
        v->profit = rp_stmt_int(st, 1);
        snprintf(v->level, sizeof v->level, "%s", rp_stmt_text(st, 2) ? rp_stmt_text(st, 2) : "");
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

static const value_row *find(const value_row *v, size_t n, int64_t customer)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].customer < customer)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo].customer == customer ? &v[lo] : NULL;
}

typedef struct risk {
    size_t i;
    double loss;
} risk;

static int by_loss(const void *a, const void *b)
{
    const risk *x = a, *y = b;
    return x->loss > y->loss ? -1 : x->loss < y->loss ? 1 : x->i < y->i ? -1 : x->i > y->i;
}

/* Risk bands by the model's deciles: 1-2 high, 3-5 medium, 6-10 low. */
static int band_of(int decile) { return decile <= 2 ? 0 : decile <= 5 ? 1 : 2; }

/* The cross table: bands by pyramid levels, counts, profit and expected loss. */
static json_t *cross_table(const an_at_risk_in *in, const value_row *v, size_t nv)
{
    static const char *const bands[] = { "high", "medium", "low" };
    const char *levels[16];
    int nl = 0;
    double cnt[3][16] = { { 0 } }, profit[3][16] = { { 0 } }, loss[3][16] = { { 0 } };
    for (size_t i = 0; i < in->n; i++) {
        const value_row *r = find(v, nv, in->customer[i]);
        const char *lv = r ? r->level : "";
        int l = 0;
        while (l < nl && strcmp(levels[l], lv))
            l++;
        if (l == nl && nl < 16)
            levels[nl++] = lv;
        if (l == 16)
            continue;
        int b = band_of(in->decile[i]);
        cnt[b][l]++;
        profit[b][l] += r ? (double)r->profit / 100.0 : 0;
        loss[b][l] += r && r->profit > 0 ? in->p[i] * (double)r->profit / 100.0 : 0;
    }
    /* the levels from the most valuable (by profit a customer) */
    int ord[16];
    double avg[16];
    for (int l = 0; l < nl; l++) {
        double c = cnt[0][l] + cnt[1][l] + cnt[2][l];
        avg[l] = c ? (profit[0][l] + profit[1][l] + profit[2][l]) / c : 0;
        int k = l;
        while (k > 0 && avg[ord[k - 1]] < avg[l]) {
            ord[k] = ord[k - 1];
            k--;
        }
        ord[k] = l;
    }
    json_t *rows = json_array(), *lvls = json_array();
    for (int j = 0; j < nl; j++)
        json_array_append_new(lvls, json_string(*levels[ord[j]] ? levels[ord[j]] : "unvalued"));
    for (int b = 0; b < 3; b++) {
        json_t *cells = json_array();
        for (int j = 0, l; j < nl && (l = ord[j], 1); j++)
            json_array_append_new(cells, json_pack("{s:I, s:f, s:f}", "customers", (json_int_t)cnt[b][l], "profit",
                                                   round(profit[b][l] * 100) / 100, "expected_loss",
                                                   round(loss[b][l] * 100) / 100));
        json_array_append_new(rows, json_pack("{s:s, s:o}", "band", bands[b], "cells", cells));
    }
    return json_pack("{s:s, s:o, s:o}", "bands_by", "the model's deciles: high 1-2, medium 3-5, low 6-10", "levels",
                     lvls, "rows", rows);
}

int an_at_risk(wh *w, const an_at_risk_in *in, int limit, json_t **out, rp_error *err)
{
    value_row *v = NULL;
    size_t nv = 0;
    int64_t run = 0;
    char as_of[RP_DATE_LEN + 8] = "";
    int rc = latest_values(w, &v, &nv, &run, as_of, sizeof as_of, err);
    risk *r = rc ? NULL : malloc((in->n ? in->n : 1) * sizeof *r);
    if (!rc && !r)
        rc = rp_err(err, RP_NOMEM, NULL);
    if (rc) {
        free(v);
        return rc;
    }
    double total = 0;
    for (size_t i = 0; i < in->n; i++) {
        const value_row *x = find(v, nv, in->customer[i]);
        r[i] = (risk){ i, x && x->profit > 0 ? in->p[i] * (double)x->profit / 100.0 : 0 };
        total += r[i].loss;
    }
    qsort(r, in->n, sizeof *r, by_loss);
    json_t *list = json_array();
    for (size_t k = 0; k < in->n && (int)k < limit; k++) {
        size_t i = r[k].i;
        const value_row *x = find(v, nv, in->customer[i]);
        json_array_append_new(list, json_pack("{s:I, s:f, s:i, s:f, s:s, s:f}", "customer", (json_int_t)in->customer[i],
                                              "probability", in->p[i], "decile", in->decile[i], "profit",
                                              x ? (double)x->profit / 100.0 : 0.0, "level", x ? x->level : "",
                                              "expected_loss", round(r[k].loss * 100) / 100));
    }
    *out = json_pack("{s:I, s:s, s:I, s:f, s:o, s:o}", "value_run", (json_int_t)run, "value_as_of", as_of,
                     "customers", (json_int_t)in->n, "expected_loss", round(total * 100) / 100, "at_risk", list,
                     "cross", cross_table(in, v, nv));
    free(v), free(r);
    return *out ? RP_OK : rp_err(err, RP_NOMEM, NULL);
}
