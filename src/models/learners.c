/* learners.c — the learners' table, a learner's settings read by name, and training with its
 * evaluation: a stratified hold-out and k-fold cross-validation.  See models.h.
 *
 * To add a learner: write it in its own file as a const mdl_learner (fit, predict, describe, free),
 * declare it in internal.h, and add one row below. */
#include "models/internal.h"
#include "core/progress.h"
#include "core/rtime.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const mdl_learner *const mdl_learners[] = {
    &mdl__tree,
    &mdl__logit,
    &mdl__gbm,
    &mdl__mlp,
    &mdl__scorecard,
};
const int mdl_nlearners = sizeof mdl_learners / sizeof mdl_learners[0];

const mdl_learner *mdl_learner_find(const char *name)
{
    for (int i = 0; name && i < mdl_nlearners; i++)
        if (!strcmp(mdl_learners[i]->name, name))
            return mdl_learners[i];
    return NULL;
}

const char *mdl__param(const mdl_params *p, const char *name)
{
    for (int i = 0; p && i < p->n; i++)
        if (!strcmp(p->names[i], name))
            return p->values[i];
    return NULL;
}

int mdl_params_check(const mdl_learner *l, const mdl_params *p, rp_error *err)
{
    for (int i = 0; p && i < p->n; i++) {
        int k = 0;
        while (l->settings[k] && strcmp(l->settings[k], p->names[i]))
            k++;
        if (!l->settings[k])
            return rp_err(err, RP_INVAL, "%s: the %s learner has no setting '%s' (it has: %s)", p->names[i], l->name,
                          p->names[i], l->params_help);
    }
    return l->check ? l->check(p, err) : RP_OK;
}

int mdl__param_real(const mdl_params *p, const char *name, double def, double min, double max, double *out,
                    rp_error *err)
{
    const char *v = mdl__param(p, name);
    *out = def;
    if (!v)
        return RP_OK;
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (!*v || *end || errno || !isfinite(x) || x < min || x > max)
        return rp_err(err, RP_INVAL, "%s: a number from %g to %g, not '%.20s'", name, min, max, v);
    *out = x;
    return RP_OK;
}

int mdl__param_int(const mdl_params *p, const char *name, int def, int min, int max, int *out, rp_error *err)
{
    const char *v = mdl__param(p, name);
    *out = def;
    if (!v)
        return RP_OK;
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (!*v || *end || errno || x < min || x > max)
        return rp_err(err, RP_INVAL, "%s: a whole number from %d to %d, not '%.20s'", name, min, max, v);
    *out = (int)x;
    return RP_OK;
}

typedef struct {
    const mdl_learner *l;
    const mdl_model *m;
    const mdl_frame *f;
    const size_t *rows;
    size_t n;
    double *out;
    int nparts;
} predict_job;

static void predict_part(void *v, int k)
{
    predict_job *j = v;
    size_t from = (size_t)k * j->n / (size_t)j->nparts, to = (size_t)(k + 1) * j->n / (size_t)j->nparts;
    j->l->predict(j->m, j->f, j->rows + from, to - from, j->out + from);
}

void mdl_predict(const mdl_learner *l, const mdl_model *m, const mdl_frame *f, const size_t *rows, size_t n,
                 double *out)
{
    predict_job j = { .l = l, .m = m, .f = f, .rows = rows, .n = n, .out = out, .nparts = n >= 16384 ? 16 : 1 };
    mdl__parallel(j.nparts, predict_part, &j);
}

/* The rows 0..n-1 by test: te those marked, tr the others, in order; *ntr the latter's number. */
static void split_rows(const uint8_t *test, size_t n, size_t *tr, size_t *ntr, size_t *te, size_t *nte)
{
    *ntr = *nte = 0;
    for (size_t i = 0; i < n; i++)
        if (test[i])
            te[(*nte)++] = i;
        else
            tr[(*ntr)++] = i;
}

/* Fit on the rows of one side of test (want 0: train) and score the others. */
static int fit_and_score(const mdl_learner *l, const mdl_frame *f, const mdl_params *p, const uint8_t *test,
                         size_t *tr, size_t *te, double *score, size_t *nte, rp_error *err)
{
    size_t ntr;
    split_rows(test, f->nrows, tr, &ntr, te, nte);
    mdl_model *m;
    int rc = l->fit(f, tr, ntr, p, &m, err);
    if (rc)
        return rc;
    mdl_predict(l, m, f, te, *nte, score);
    l->free(m);
    return RP_OK;
}

static int cross_validate(const mdl_learner *l, const mdl_frame *f, const mdl_params *p, int folds, size_t *tr,
                          size_t *te, double *score, uint8_t *y, json_t **out, rp_error *err)
{
    int *fold = malloc(f->nrows * sizeof *fold);
    uint8_t *test = malloc(f->nrows);
    if (!fold || !test) {
        free(fold);
        free(test);
        return rp_err(err, RP_NOMEM, NULL);
    }
    mdl_split_folds(f->y, f->nrows, folds, p->seed, fold);
    double sum = 0, sq = 0;
    json_t *aucs = json_array();
    int rc = RP_OK;
    char label[64];
    rp_progress pr;
    snprintf(label, sizeof label, "%s: cross-validation", l->name);
    rp_progress_start(&pr, label, (uint64_t)f->nrows);
    for (int k = 0; k < folds && !rc; k++) {
        rp_progress_update(&pr, (uint64_t)k * f->nrows / (uint64_t)folds); /* the rows of the folds done */
        for (size_t i = 0; i < f->nrows; i++)
            test[i] = fold[i] == k;
        size_t nte;
        mdl_metrics m;
        if ((rc = fit_and_score(l, f, p, test, tr, te, score, &nte, err)))
            break;
        for (size_t i = 0; i < nte; i++)
            y[i] = f->y[te[i]];
        if ((rc = mdl_metrics_of(score, y, nte, 0.5, &m, err)))
            break;
        sum += m.auc;
        sq += m.auc * m.auc;
        json_array_append_new(aucs, json_real(m.auc));
    }
    rp_progress_finish(&pr);
    free(fold);
    free(test);
    if (rc) {
        json_decref(aucs);
        return rc;
    }
    double mean = sum / folds, sd = folds > 1 ? sqrt(fmax(0, (sq - folds * mean * mean) / (folds - 1))) : 0;
    *out = json_pack("{s:i, s:f, s:f, s:o}", "folds", folds, "auc_mean", mean, "auc_sd", sd, "auc", aucs);
    return RP_OK;
}

/* Permutation importance on the hold-out (Breiman 2001; Fisher, Rudin and Dominici 2019), the same
 * for every learner: each feature's values shuffled among the hold-out rows (by the seed), the rows
 * scored again, and the AUC lost.  Past MDL_IMPORTANCE_ROWS hold-out rows, on a sample of that many
 * drawn by the seed (as scikit-learn's permutation_importance(max_samples=)): the ranking settles long
 * before, and scoring every row once per feature would cost more than the fit.  [{feature, auc_drop}],
 * the largest first. */
enum { MDL_IMPORTANCE_ROWS = 25000 };

/* The hold-out rows importance is measured on: all, or a sample of MDL_IMPORTANCE_ROWS by the seed;
 * *te the caller's to free. */
static int importance_rows(const size_t *all, size_t n, uint64_t seed, size_t **te, size_t *nte)
{
    if (!(*te = malloc((n ? n : 1) * sizeof **te)))
        return RP_NOMEM;
    memcpy(*te, all, n * sizeof **te);
    *nte = n < MDL_IMPORTANCE_ROWS ? n : MDL_IMPORTANCE_ROWS;
    seed ^= 0x1b9047a4ce5eull;
    for (size_t i = 0; *nte < n && i < *nte; i++) { /* a partial shuffle: the sample first */
        size_t j = i + mdl__below(&seed, n - i), t = (*te)[i];
        (*te)[i] = (*te)[j];
        (*te)[j] = t;
    }
    return RP_OK;
}

static int importance(const mdl_learner *l, const mdl_model *m, const mdl_frame *f, const size_t *hold,
                      size_t nhold, uint64_t seed, json_t **out, rp_error *err)
{
    size_t *te = NULL, nte = 0;
    if (importance_rows(hold, nhold, seed, &te, &nte))
        return rp_err(err, RP_NOMEM, NULL);
    mdl_frame g = *f;
    double *score = malloc((nte ? nte : 1) * sizeof *score), *x = NULL;
    int32_t *code = NULL;
    size_t *perm = malloc((nte ? nte : 1) * sizeof *perm);
    uint8_t *y = malloc(nte ? nte : 1);
    g.cols = malloc((size_t)(f->ncols ? f->ncols : 1) * sizeof *g.cols);
    int rc = score && perm && y && g.cols ? RP_OK : rp_err(err, RP_NOMEM, NULL);
    json_t *a = json_array();
    mdl_metrics base = { 0 };
    for (size_t i = 0; !rc && i < nte; i++)
        y[i] = f->y[te[i]];
    if (!rc) {
        mdl_predict(l, m, f, te, nte, score);
        rc = mdl_metrics_of(score, y, nte, 0.5, &base, err);
    }
    double auc = base.auc;
    for (int c = 0; c < f->ncols && !rc; c++) {
        memcpy(g.cols, f->cols, (size_t)f->ncols * sizeof *g.cols);
        const mdl_col *col = &f->cols[c];
        int num = col->kind == MDL_NUM;
        if (num ? !x && !(x = malloc(f->nrows * sizeof *x)) : !code && !(code = malloc(f->nrows * sizeof *code))) {
            rc = rp_err(err, RP_NOMEM, NULL);
            break;
        }
        if (num)
            memcpy(x, col->x, f->nrows * sizeof *x);
        else
            memcpy(code, col->code, f->nrows * sizeof *code);
        uint64_t s = seed ^ (0x9e37ull * (uint64_t)(c + 1));
        for (size_t i = 0; i < nte; i++)
            perm[i] = te[i];
        for (size_t i = nte; i > 1; i--) {
            size_t j = mdl__below(&s, i), t = perm[i - 1];
            perm[i - 1] = perm[j];
            perm[j] = t;
        }
        for (size_t i = 0; i < nte; i++) { /* row te[i] takes the value of row perm[i] */
            if (num)
                x[te[i]] = col->x[perm[i]];
            else
                code[te[i]] = col->code[perm[i]];
        }
        if (num)
            g.cols[c].x = x;
        else
            g.cols[c].code = code;
        mdl_predict(l, m, &g, te, nte, score);
        mdl_metrics met;
        if ((rc = mdl_metrics_of(score, y, nte, 0.5, &met, err)))
            break;
        json_array_append_new(a, json_pack("{s:s, s:f}", "feature", col->name, "auc_drop", auc - met.auc));
    }
    free(score);
    free(perm);
    free(x);
    free(code);
    free(g.cols);
    free(te);
    free(y);
    if (rc) {
        json_decref(a);
        return rc;
    }
    size_t n = json_array_size(a); /* the largest drop first (a handful to a few hundred features) */
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0; k--) {
            double u = json_real_value(json_object_get(json_array_get(a, k - 1), "auc_drop"));
            double v = json_real_value(json_object_get(json_array_get(a, k), "auc_drop"));
            if (u >= v)
                break;
            json_t *t = json_incref(json_array_get(a, k));
            json_array_remove(a, k);
            json_array_insert_new(a, k - 1, t);
        }
    *out = a;
    return RP_OK;
}

int mdl_train(const mdl_learner *l, const mdl_frame *f, const mdl_params *p, double holdout, int folds,
              json_t **report, rp_error *err)
{
    return mdl_train_keep(l, f, p, holdout, folds, report, NULL, err);
}

/* The model and its scores of the rows it is measured on: fitted on the rows of f outside a
 * stratified share holdout and scoring those, or, tf given, fitted on all of f and scoring every row
 * of tf.  te: the rows scored (of tf, or of f), y their targets; *fit_s the seconds of the fit. */
static int fit_measure(const mdl_learner *l, const mdl_frame *f, const mdl_frame *tf, const mdl_params *p,
                       double holdout, size_t *tr, size_t *te, size_t *nte, double *score, uint8_t *y,
                       mdl_model **m, double *fit_s, rp_error *err)
{
    size_t ntr = 0;
    *nte = 0;
    if (!tf) {
        uint8_t *test = malloc(f->nrows ? f->nrows : 1);
        if (!test)
            return rp_err(err, RP_NOMEM, NULL);
        mdl_split_holdout(f->y, f->nrows, holdout, p->seed, test);
        split_rows(test, f->nrows, tr, &ntr, te, nte);
        free(test);
    } else {
        for (ntr = 0; ntr < f->nrows; ntr++)
            tr[ntr] = ntr;
        for (*nte = 0; *nte < tf->nrows; (*nte)++)
            te[*nte] = *nte;
    }
    double t0 = rp_monotonic();
    int rc = l->fit(f, tr, ntr, p, m, err);
    *fit_s = rp_monotonic() - t0;
    if (!rc)
        mdl_predict(l, *m, tf ? tf : f, te, *nte, score);
    const mdl_frame *on = tf ? tf : f;
    for (size_t i = 0; !rc && i < *nte; i++)
        y[i] = on->y[te[i]];
    return rc;
}

static json_t *report_of(const mdl_learner *l, const mdl_frame *f, const mdl_frame *tf, const mdl_params *p,
                         double holdout, json_t *hold, json_t *cv, json_t *desc, json_t *seconds)
{
    json_t *params = json_object();
    for (int i = 0; i < p->n; i++)
        json_object_set_new(params, p->names[i], json_string(p->values[i]));
    json_t *features = json_array();
    for (int c = 0; c < f->ncols; c++)
        json_array_append_new(features, json_pack("{s:s, s:s, s:I}", "name", f->cols[c].name, "type",
                                                  f->cols[c].kind == MDL_NUM ? "numeric" : "categorical", "missing",
                                                  (json_int_t)f->cols[c].missing));
    json_t *r = json_pack("{s:s, s:o, s:I, s:{s:s, s:s, s:s, s:I}, s:o, s:f, s:I, s:o, s:o, s:o, s:o}", "learner",
                          l->name, "params", params, "seed", (json_int_t)p->seed, "target", "column", f->target,
                          "positive", f->positive, "negative", f->negative, "positives", (json_int_t)f->npos,
                          "features", features, "holdout_share", tf ? 0.0 : holdout, "rows", (json_int_t)f->nrows,
                          "holdout", hold, "cv", cv, "model", desc, "seconds", seconds);
    if (r && tf)
        json_object_set_new(r, "test_rows", json_integer((json_int_t)tf->nrows));
    return r;
}

int mdl_train_keep(const mdl_learner *l, const mdl_frame *f, const mdl_params *p, double holdout, int folds,
                   json_t **report, mdl_model **kept, rp_error *err)
{
    return mdl_train_test(l, f, NULL, p, holdout, folds, report, kept, err);
}

int mdl_train_test(const mdl_learner *l, const mdl_frame *f, const mdl_frame *tf, const mdl_params *p,
                   double holdout, int folds, json_t **report, mdl_model **kept, rp_error *err)
{
    if (!tf && !(holdout > 0 && holdout < 1))
        return rp_err(err, RP_INVAL, "holdout: a share between 0 and 1, not %g", holdout);
    if (folds == 1 || folds < 0 || folds > 20)
        return rp_err(err, RP_INVAL, "folds: 0 (none) or 2 to 20, not %d", folds);
    if (tf && (!tf->npos || tf->npos == tf->nrows))
        return rp_err(err, RP_INVAL, "the test rows have one class only (%zu rows, %zu '%s'): nothing to measure on",
                      tf->nrows, tf->npos, f->positive);
    size_t n = f->nrows, nt = tf && tf->nrows > n ? tf->nrows : n;
    size_t *tr = malloc((n ? n : 1) * sizeof *tr), *te = malloc((nt ? nt : 1) * sizeof *te);
    double *score = malloc((nt ? nt : 1) * sizeof *score), fit_s = 0, t1 = 0, t2 = 0, t3 = 0;
    uint8_t *y = malloc(nt ? nt : 1);
    int rc = !tr || !te || !score || !y ? rp_err(err, RP_NOMEM, NULL) : RP_OK;
    json_t *cv = json_null(), *desc = NULL, *hold = NULL, *imp = NULL;
    mdl_model *m = NULL;
    size_t nte = 0;
    mdl_metrics met;
    if (!rc)
        rc = fit_measure(l, f, tf, p, holdout, tr, te, &nte, score, y, &m, &fit_s, err);
    t1 = rp_monotonic();
    if (!rc && !(rc = mdl_metrics_of(score, y, nte, (double)f->npos / (double)n, &met, err)))
        hold = mdl_metrics_json(&met);
    if (!rc && !(rc = importance(l, m, tf ? tf : f, te, nte, p->seed, &imp, err)))
        json_object_set_new(hold, "importance", imp);
    t2 = rp_monotonic();
    if (!rc && folds > 1) {
        json_decref(cv);
        rc = cross_validate(l, f, p, folds, tr, te, score, y, &cv, err);
    }
    t3 = rp_monotonic();
    if (!rc)
        desc = l->describe(m, f);
    if (m && (rc || !kept))
        l->free(m);
    else if (m)
        *kept = m;
    free(tr);
    free(te);
    free(score);
    free(y);
    if (rc) {
        json_decref(cv);
        json_decref(hold);
        return rc;
    }
    json_t *seconds = json_pack("{s:f, s:f, s:f}", "fit", fit_s, "measure", t2 - t1, "cv", t3 - t2);
    *report = report_of(l, f, tf, p, holdout, hold, cv, desc, seconds);
    if (!*report && kept && *kept) {
        l->free(*kept);
        *kept = NULL;
    }
    return *report ? RP_OK : rp_err(err, RP_NOMEM, NULL);
}
