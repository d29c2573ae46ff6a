/* uplift.c — who responds because of the campaign (M10): models of the effect of a treatment,
 * learnt from a campaign's treated and control targets.  Two models (the response of the treated
 * less that of the control, each learnt by any learner on its own group), or one on the transformed
 * class (Jaskowski and Jaroszewicz 2012: z = 1 for a treated responder or a control non-responder,
 * uplift = 2 P(z) − 1, the larger group subsampled to the size of the smaller so that the formula
 * holds).  See models.h. */
#include "models/internal.h"

#include <stdlib.h>
#include <string.h>

struct mdl_uplift {
    const mdl_learner *l;
    mdl_uplift_method method;
    mdl_model *a, *b; /* two models: treated, control; transform: a alone */
};

void mdl_uplift_free(mdl_uplift *u)
{
    if (!u)
        return;
    if (u->a)
        u->l->free(u->a);
    if (u->b)
        u->l->free(u->b);
    free(u);
}

/* The rows of group g (1 treated, 0 control) among rows. */
static size_t group_rows(const uint8_t *treated, const size_t *rows, size_t n, int g, size_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (treated[rows[i]] == g)
            out[k++] = rows[i];
    return k;
}

static int fit_transform(mdl_uplift *u, const mdl_frame *f, const uint8_t *treated, const size_t *rows, size_t n,
                         const mdl_params *p, size_t *buf, rp_error *err)
{
    size_t nt = group_rows(treated, rows, n, 1, buf), nc = group_rows(treated, rows, n, 0, buf + nt);
    /* the larger group shuffled by the seed and cut to the smaller's size */
    size_t *big = nt > nc ? buf : buf + nt, nbig = nt > nc ? nt : nc, nsmall = nt > nc ? nc : nt;
    uint64_t s = p->seed ^ 0x75706c6966ull;
    for (size_t i = nbig; i > 1; i--) {
        size_t j = mdl__below(&s, i), t = big[i - 1];
        big[i - 1] = big[j], big[j] = t;
    }
    if (nt > nc)
        memmove(buf + nsmall, buf + nt, nc * sizeof *buf);
    size_t m = 2 * nsmall;
    uint8_t *z = malloc(f->nrows ? f->nrows : 1);
    if (!z)
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < f->nrows; i++)
        z[i] = treated[i] ? f->y[i] : !f->y[i];
    mdl_frame g = *f; /* the same columns, the transformed class */
    g.y = z;
    g.npos = 0;
    for (size_t i = 0; i < m; i++)
        g.npos += z[buf[i]];
    int rc = u->l->fit(&g, buf, m, p, &u->a, err);
    free(z);
    return rc;
}

int mdl_uplift_fit(const mdl_learner *l, const mdl_frame *f, const uint8_t *treated, const size_t *rows, size_t n,
                   const mdl_params *p, mdl_uplift_method method, mdl_uplift **out, rp_error *err)
{
    mdl_uplift *u = calloc(1, sizeof *u);
    size_t *buf = malloc((n ? n : 1) * sizeof *buf);
    int rc = !u || !buf ? rp_err(err, RP_NOMEM, NULL) : RP_OK;
    if (!rc) {
        u->l = l;
        u->method = method;
        size_t nt = group_rows(treated, rows, n, 1, buf), nc = n - nt;
        if (nt < 10 || nc < 10)
            rc = rp_err(err, RP_INVAL, "uplift: %zu treated and %zu control rows; at least 10 of each are needed", nt,
                        nc);
        else if (method == MDL_UPLIFT_TRANSFORM)
            rc = fit_transform(u, f, treated, rows, n, p, buf, err);
        else if (!(rc = l->fit(f, buf, nt, p, &u->a, err)))
            rc = l->fit(f, buf + nt, group_rows(treated, rows, n, 0, buf + nt), p, &u->b, err);
    }
    free(buf);
    if (rc) {
        mdl_uplift_free(u);
        return rc == RP_INVAL ? rc : rp_err_prefix(err, "uplift");
    }
    *out = u;
    return RP_OK;
}

void mdl_uplift_predict(const mdl_uplift *u, const mdl_frame *f, const size_t *rows, size_t n, double *out,
                        double *scratch)
{
    u->l->predict(u->a, f, rows, n, out);
    if (u->method == MDL_UPLIFT_TRANSFORM) {
        for (size_t i = 0; i < n; i++)
            out[i] = 2 * out[i] - 1;
        return;
    }
    u->l->predict(u->b, f, rows, n, scratch);
    for (size_t i = 0; i < n; i++)
        out[i] -= scratch[i];
}

int mdl_uplift_crossfit(const mdl_learner *l, const mdl_frame *f, const uint8_t *treated, const mdl_params *p,
                        mdl_uplift_method method, int folds, double *out, rp_error *err)
{
    size_t n = f->nrows;
    int *fold = malloc((n ? n : 1) * sizeof *fold);
    uint8_t *strata = malloc(n ? n : 1);
    size_t *tr = malloc((n ? n : 1) * sizeof *tr), *te = malloc((n ? n : 1) * sizeof *te);
    double *scratch = malloc((n ? n : 1) * sizeof *scratch), *u = malloc((n ? n : 1) * sizeof *u);
    int rc = !fold || !strata || !tr || !te || !scratch || !u ? rp_err(err, RP_NOMEM, NULL) : RP_OK;
    /* folds that keep each group's share of responders: split by group and response together */
    for (size_t i = 0; !rc && i < n; i++)
        strata[i] = (uint8_t)(treated[i] * 2 + f->y[i]);
    if (!rc) {
        uint8_t *y1 = malloc(n ? n : 1);
        if (!y1)
            rc = rp_err(err, RP_NOMEM, NULL);
        for (size_t i = 0; !rc && i < n; i++)
            y1[i] = strata[i] & 1;
        if (!rc)
            mdl_split_folds(y1, n, folds, p->seed, fold);
        free(y1);
    }
    for (int k = 0; !rc && k < folds; k++) {
        size_t ntr = 0, nte = 0;
        for (size_t i = 0; i < n; i++)
            fold[i] == k ? (void)(te[nte++] = i) : (void)(tr[ntr++] = i);
        mdl_uplift *m;
        if ((rc = mdl_uplift_fit(l, f, treated, tr, ntr, p, method, &m, err)))
            break;
        mdl_uplift_predict(m, f, te, nte, u, scratch);
        for (size_t i = 0; i < nte; i++)
            out[te[i]] = u[i];
        mdl_uplift_free(m);
    }
    free(fold), free(strata), free(tr), free(te), free(scratch), free(u);
    return rc;
}
