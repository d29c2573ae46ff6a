/* tune.c — settings chosen by the data: a learner's settings given with alternatives ("max_depth=2|3")
 * expanded into every combination, each fitted on the training rows less a validation quarter and
 * measured on that quarter, the best kept.  The hold-out stays out of the choice, so the AUC the
 * report gives for it is not flattered by the search.  See models.h. */
#include "models/internal.h"

#include <stdlib.h>
#include <string.h>

int mdl_grid(const mdl_params *p, mdl_params *out, int max, int *n, char *buf, size_t bufn, rp_error *err)
{
    const char *alt[32][MDL_MAX_ALTERNATIVES];
    int nalt[32] = { 0 }, total = 1;
    size_t used = 0;
    *n = 0;
    for (int i = 0; i < p->n; i++) {
        const char *v = p->values[i];
        for (;;) {
            const char *bar = strchr(v, '|');
            size_t len = bar ? (size_t)(bar - v) : strlen(v);
            if (!len)
                return rp_err(err, RP_INVAL, "%s: an empty alternative in '%s'", p->names[i], p->values[i]);
            if (nalt[i] == MDL_MAX_ALTERNATIVES)
                return rp_err(err, RP_INVAL, "%s: at most %d alternatives", p->names[i], MDL_MAX_ALTERNATIVES);
            if (used + len + 1 > bufn)
                return rp_err(err, RP_INVAL, "--set: too long");
            memcpy(buf + used, v, len);
            buf[used + len] = 0;
            alt[i][nalt[i]++] = buf + used;
            used += len + 1;
            if (!bar)
                break;
            v = bar + 1;
        }
        total *= nalt[i];
        if (total > max)
            return rp_err(err, RP_INVAL, "--set: more than %d combinations of settings to try", max);
    }
    for (int k = 0; k < total; k++) {
        mdl_params *q = &out[k];
        *q = *p;
        for (int i = 0, r = k; i < p->n; i++) {
            q->values[i] = alt[i][r % nalt[i]];
            r /= nalt[i];
        }
    }
    *n = total;
    return RP_OK;
}

static json_t *params_json(const mdl_params *p)
{
    json_t *o = json_object();
    for (int i = 0; i < p->n; i++)
        json_object_set_new(o, p->names[i], json_string(p->values[i]));
    return o;
}

/* The rows outside the hold-out split into those fitted on (*fit) and a stratified validation quarter. */
static int validation_split(const mdl_frame *f, double holdout, uint64_t seed, size_t **fit, size_t *nfit,
                            size_t **val, size_t *nval, rp_error *err)
{
    size_t n = f->nrows, ntr = 0;
    uint8_t *test = malloc(n ? n : 1), *ytr = malloc(n ? n : 1), *inner = malloc(n ? n : 1);
    size_t *tr = malloc((n ? n : 1) * sizeof *tr);
    *fit = malloc((n ? n : 1) * sizeof **fit);
    *val = malloc((n ? n : 1) * sizeof **val);
    int rc = !test || !ytr || !inner || !tr || !*fit || !*val ? rp_err(err, RP_NOMEM, NULL) : RP_OK;
    if (!rc) {
        mdl_split_holdout(f->y, n, holdout, seed, test);
        for (size_t i = 0; i < n; i++)
            if (!test[i])
                ytr[ntr] = f->y[i], tr[ntr++] = i;
        mdl_split_holdout(ytr, ntr, 0.25, seed ^ 0x7475e5eedull, inner);
        *nfit = *nval = 0;
        for (size_t i = 0; i < ntr; i++) {
            if (inner[i])
                (*val)[(*nval)++] = tr[i];
            else
                (*fit)[(*nfit)++] = tr[i];
        }
    }
    free(test), free(ytr), free(inner), free(tr);
    return rc;
}

int mdl_tune(const mdl_learner *l, const mdl_frame *f, const mdl_params *grid, int n, double holdout, int *best,
             json_t **trials, rp_error *err)
{
    size_t *fit = NULL, *val = NULL, nfit = 0, nval = 0;
    *best = 0;
    *trials = NULL;
    int rc = validation_split(f, holdout, grid[0].seed, &fit, &nfit, &val, &nval, err);
    double *p = rc ? NULL : malloc((nval ? nval : 1) * sizeof *p);
    uint8_t *y = rc ? NULL : malloc(nval ? nval : 1);
    if (!rc && (!p || !y))
        rc = rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; !rc && i < nval; i++)
        y[i] = f->y[val[i]];
    json_t *all = json_array();
    double top = -1;
    for (int k = 0; !rc && k < n; k++) {
        mdl_model *m = NULL;
        mdl_metrics mm;
        if ((rc = l->fit(f, fit, nfit, &grid[k], &m, err)))
            break;
        mdl_predict(l, m, f, val, nval, p);
        l->free(m);
        if ((rc = mdl_metrics_of(p, y, nval, 0.5, &mm, err)))
            break;
        json_array_append_new(all, json_pack("{s:o, s:f}", "params", params_json(&grid[k]), "auc", mm.auc));
        if (mm.auc > top)
            top = mm.auc, *best = k;
    }
    free(fit), free(val), free(p), free(y);
    if (rc) {
        json_decref(all);
        return rp_err_prefix(err, "tuning");
    }
    *trials = all;
    return RP_OK;
}
