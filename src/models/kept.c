/* kept.c — the model store (migration 0022): models kept by name and version with what made them,
 * retired, and their scorings of the customers (model_run, customer_score); and what a scoring
 * says beside the scores: the drift from the training data (population stability index) and each
 * row's reasons.  See models.h. */
#include "models/internal.h"
#include "core/rtime.h"
#include "core/sort.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the training data's profile, and the drift from it ---- */

enum { NBIN = 10 };

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The decile cut points of the n values of v that are not NaN (sorted into tmp); 0 of them: none. */
static json_t *cuts_of(const double *v, size_t n, double *tmp, double *median)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]))
            tmp[k++] = v[i];
    qsort(tmp, k, sizeof *tmp, cmp_double);
    json_t *c = json_array();
    for (int q = 1; k && q < NBIN; q++)
        json_array_append_new(c, json_real(tmp[(size_t)((double)q / NBIN * (double)(k - 1))]));
    *median = k ? tmp[(k - 1) / 2] : 0;
    return c;
}

static int bin_of(const json_t *cuts, double x)
{
    size_t n = json_array_size(cuts);
    for (size_t k = 0; k < n; k++)
        if (x <= json_real_value(json_array_get(cuts, k)))
            return (int)k;
    return (int)n;
}

/* Shares of a numeric column's values in the bins of cuts, and of missing values. */
static json_t *num_shares(const json_t *cuts, const double *v, size_t n, double *missing)
{
    double cnt[NBIN] = { 0 }, miss = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(v[i]))
            miss++;
        else
            cnt[bin_of(cuts, v[i])]++;
    }
    *missing = n ? miss / (double)n : 0;
    json_t *a = json_array();
    for (size_t k = 0; k <= json_array_size(cuts); k++)
        json_array_append_new(a, json_real(n ? cnt[k] / (double)n : 0));
    return a;
}

static json_t *cat_shares(const mdl_col *c, size_t n, double *missing, int *mode)
{
    double *cnt = calloc((size_t)c->nlevels + 1, sizeof *cnt), miss = 0;
    json_t *a = json_array();
    *mode = 0;
    for (size_t i = 0; cnt && i < n; i++) {
        if (c->code[i] < 0 || c->code[i] >= c->nlevels)
            miss++;
        else
            cnt[c->code[i]]++;
    }
    for (int l = 0; cnt && l < c->nlevels; l++) {
        json_array_append_new(a, json_real(n ? cnt[l] / (double)n : 0));
        if (cnt[l] > cnt[*mode])
            *mode = l;
    }
    *missing = n ? miss / (double)n : 0;
    free(cnt);
    return a;
}

int mdl_profile(const mdl_learner *l, const mdl_model *m, const mdl_frame *f, json_t **out, rp_error *err)
{
    size_t n = f->nrows;
    double *tmp = malloc((n ? n : 1) * sizeof *tmp), *p = malloc((n ? n : 1) * sizeof *p);
    size_t *rows = malloc((n ? n : 1) * sizeof *rows);
    if (!tmp || !p || !rows) {
        free(tmp), free(p), free(rows);
        return rp_err(err, RP_NOMEM, NULL);
    }
    json_t *cols = json_array();
    for (int c = 0; c < f->ncols; c++) {
        const mdl_col *col = &f->cols[c];
        double missing, base;
        json_t *o;
        if (col->kind == MDL_NUM) {
            json_t *cuts = cuts_of(col->x, n, tmp, &base);
            o = json_pack("{s:s, s:O, s:o}", "name", col->name, "cuts", cuts, "shares", num_shares(cuts, col->x, n, &missing));
            json_decref(cuts);
            json_object_set_new(o, "baseline", json_real(base));
        } else {
            int mode;
            o = json_pack("{s:s, s:o}", "name", col->name, "shares", cat_shares(col, n, &missing, &mode));
            json_object_set_new(o, "baseline", json_integer(mode));
        }
        json_object_set_new(o, "missing", json_real(missing));
        json_array_append_new(cols, o);
    }
    for (size_t i = 0; i < n; i++)
        rows[i] = i;
    mdl_predict(l, m, f, rows, n, p);
    double med;
    json_t *cuts = cuts_of(p, n, tmp, &med), *ignored;
    double miss;
    json_t *score = json_pack("{s:O, s:o}", "cuts", cuts, "shares", ignored = num_shares(cuts, p, n, &miss));
    json_decref(cuts);
    *out = json_pack("{s:o, s:o}", "columns", cols, "score", score);
    free(tmp), free(p), free(rows);
    return *out ? RP_OK : rp_err(err, RP_NOMEM, NULL);
}

/* Σ (new − old) ln(new / old) over the bins (and missing), shares floored at 1e-4. */
static double psi_of(const json_t *old, const double *now, size_t nb, double old_miss, double now_miss)
{
    double s = 0;
    for (size_t k = 0; k <= nb; k++) {
        double o = k < nb ? json_real_value(json_array_get(old, k)) : old_miss, w = k < nb ? now[k] : now_miss;
        o = o < 1e-4 ? 1e-4 : o;
        w = w < 1e-4 ? 1e-4 : w;
        s += (w - o) * log(w / o);
    }
    return s;
}

int mdl_psi(const json_t *profile, const mdl_frame *g, const double *score, json_t **out, rp_error *err)
{
    const json_t *cols = json_object_get(profile, "columns");
    size_t n = g->nrows;
    json_t *feats = json_array();
    for (int c = 0; c < g->ncols && (size_t)c < json_array_size(cols); c++) {
        const json_t *pc = json_array_get(cols, (size_t)c), *old = json_object_get(pc, "shares");
        const mdl_col *col = &g->cols[c];
        size_t nb = json_array_size(old);
        double *cnt = calloc(nb + 1, sizeof *cnt), miss = 0;
        if (!cnt) {
            json_decref(feats);
            return rp_err(err, RP_NOMEM, NULL);
        }
        for (size_t i = 0; i < n; i++) {
            if (col->kind == MDL_NUM ? isnan(col->x[i]) : col->code[i] < 0)
                miss++;
            else if (col->kind == MDL_NUM)
                cnt[bin_of(json_object_get(pc, "cuts"), col->x[i])]++;
            else if ((size_t)col->code[i] < nb)
                cnt[col->code[i]]++;
        }
        for (size_t k = 0; k < nb; k++)
            cnt[k] = n ? cnt[k] / (double)n : 0;
        double v = psi_of(old, cnt, nb, json_real_value(json_object_get(pc, "missing")), n ? miss / (double)n : 0);
        json_array_append_new(feats, json_pack("{s:s, s:f}", "feature", col->name, "psi", v));
        free(cnt);
    }
    /* the largest drift first */
    size_t nf = json_array_size(feats);
    for (size_t i = 1; i < nf; i++)
        for (size_t k = i; k > 0; k--) {
            json_t *a = json_array_get(feats, k - 1), *b = json_array_get(feats, k);
            if (json_real_value(json_object_get(a, "psi")) >= json_real_value(json_object_get(b, "psi")))
                break;
            json_incref(a);
            json_array_set(feats, k - 1, b);
            json_array_set_new(feats, k, a);
        }
    const json_t *ps = json_object_get(profile, "score");
    double sc[NBIN + 1] = { 0 };
    size_t nb = json_array_size(json_object_get(ps, "shares"));
    for (size_t i = 0; i < n && nb; i++)
        sc[bin_of(json_object_get(ps, "cuts"), score[i])] += 1.0 / (double)n;
    *out = json_pack("{s:f, s:o}", "score", nb ? psi_of(json_object_get(ps, "shares"), sc, nb, 0, 0) : 0.0, "features",
                     feats);
    return *out ? RP_OK : rp_err(err, RP_NOMEM, NULL);
}

/* ---- reasons ---- */

int mdl_reasons(const mdl_learner *l, const mdl_model *m, mdl_frame *g, const json_t *profile, const double *p,
                int top, mdl_reason *out, rp_error *err)
{
    size_t n = g->nrows;
    const json_t *cols = json_object_get(profile, "columns");
    double *q = malloc((n ? n : 1) * sizeof *q), *bx = malloc((n ? n : 1) * sizeof *bx);
    int32_t *bc = malloc((n ? n : 1) * sizeof *bc);
    size_t *rows = malloc((n ? n : 1) * sizeof *rows);
    if (!q || !bx || !bc || !rows) {
        free(q), free(bx), free(bc), free(rows);
        return rp_err(err, RP_NOMEM, NULL);
    }
    for (size_t i = 0; i < n * (size_t)top; i++)
        out[i] = (mdl_reason){ -1, 0 };
    for (size_t i = 0; i < n; i++)
        rows[i] = i;
    for (int c = 0; c < g->ncols; c++) {
        mdl_col *col = &g->cols[c];
        const json_t *base = json_object_get(json_array_get(cols, (size_t)c), "baseline");
        /* the column as a typical customer has it: the median, the commonest level */
        double *keepx = col->x;
        int32_t *keepc = col->code;
        for (size_t i = 0; i < n; i++)
            col->kind == MDL_NUM ? (void)(bx[i] = json_number_value(base)) : (void)(bc[i] = (int32_t)json_integer_value(base));
        if (col->kind == MDL_NUM)
            col->x = bx;
        else
            col->code = bc;
        mdl_predict(l, m, g, rows, n, q);
        col->x = keepx, col->code = keepc;
        for (size_t i = 0; i < n; i++) {
            double e = p[i] - q[i];
            mdl_reason *r = &out[i * (size_t)top];
            if (!(e > 0) || (r[top - 1].feature >= 0 && e <= r[top - 1].effect))
                continue;
            int k = top - 1;
            while (k > 0 && (r[k - 1].feature < 0 || r[k - 1].effect < e)) {
                r[k] = r[k - 1];
                k--;
            }
            r[k] = (mdl_reason){ c, e };
        }
    }
    free(q), free(bx), free(bc), free(rows);
    return RP_OK;
}

json_t *mdl_reasons_json(const mdl_frame *g, size_t row, const mdl_reason *r, int top)
{
    json_t *a = json_array();
    for (int k = 0; k < top && r[k].feature >= 0; k++) {
        const mdl_col *c = &g->cols[r[k].feature];
        char v[64] = "";
        if (c->kind == MDL_NUM && !isnan(c->x[row]))
            snprintf(v, sizeof v, "%.10g", c->x[row]);
        else if (c->kind == MDL_CAT && c->code[row] >= 0)
            snprintf(v, sizeof v, "%s", c->levels[c->code[row]]);
        json_array_append_new(a, json_pack("{s:s, s:s, s:f}", "feature", c->name, "value", v, "effect", r[k].effect));
    }
    return a;
}
