/* logit.c — logistic regression with an L2, L1 or elastic-net penalty: Newton steps (iteratively
 * reweighted least squares), each solved exactly by Cholesky under an L2 or no penalty
 * (newton_exact: p x p normal equations), and under L1 or elastic net by cyclic coordinate descent
 * with soft-thresholding as glmnet does (Friedman, Hastie and Tibshirani 2010).  Written here rather
 * than taken from liblinear: it reads the frame's columns where they are (a numeric column
 * standardised on the fly, a category as its level codes), so a million rows of fifty features need
 * no second copy as liblinear's sparse rows would (16 bytes a value).
 *
 * Terms: a numeric column standardised ((x - mean) / sd), and, when it has missing values, an
 * indicator of them (the value then counts as the mean); a categorical column one indicator per
 * level (all of them under a penalty; without one the first level is the reference), and one for
 * missing when there are.  The penalty is on the standardised coefficients, so it treats every
 * feature alike whatever its unit; the intercept is not penalised.  C is scikit-learn's: the
 * objective is (1/n) sum of log-losses + lambda (l1_ratio |b|_1 + (1 - l1_ratio) |b|^2 / 2) with
 * lambda = 1 / (C n).  See models.h. */
#include "models/internal.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mdl_model {
    mdl__design d;
    double *beta;
    double b0;
    int iterations;
    const char *penalty;
    double C, l1_ratio;
};

static double soft(double z, double g) { return z > g ? z - g : z < -g ? z + g : 0; }

/* One Newton step's weighted least squares by coordinate descent: w the weights, r the working
 * residuals (z - eta), both updated as the coefficients move.  Each term is centred on its weighted
 * mean, the intercept taking up the difference (as glmnet does): under the weights a term's mean is
 * not 0, and without the centring the intercept and the terms would be solved against each other, a
 * zig-zag of hundreds of passes.  The residuals are kept as r + shift: a centred update moves every
 * row's residual by the same amount, which the shift carries instead of a pass over all rows. */
static void wls(struct mdl_model *m, const mdl_frame *f, const size_t *rows, size_t n, const double *w, double *r,
                double lam, double alpha, int max_pass, double tol, double *xbar, double *den)
{
    double sw = 0, shift = 0, nn = (double)n;
    for (size_t i = 0; i < n; i++)
        sw += w[i];
    for (int j = 0; j < m->d.nt; j++) { /* each term's weighted mean and centred weighted spread */
        const mdl__term *t = &m->d.t[j];
        double s1 = 0, s2 = 0;
        for (size_t i = 0; i < n; i++) {
            double v = mdl__term_value(t, f, rows[i]);
            if (v != 0) {
                s1 += w[i] * v;
                s2 += w[i] * v * v;
            }
        }
        xbar[j] = s1 / sw;
        den[j] = (s2 - sw * xbar[j] * xbar[j]) / nn;
    }
    /* the intercept first: the weighted residuals sum to 0 from here on */
    double g = 0;
    for (size_t i = 0; i < n; i++)
        g += w[i] * r[i];
    m->b0 += g / sw;
    shift -= g / sw;
    for (int pass = 0; pass < max_pass; pass++) {
        double biggest = 0;
        for (int j = 0; j < m->d.nt; j++) {
            const mdl__term *t = &m->d.t[j];
            if (den[j] <= 1e-300)
                continue;
            double num = 0;
            for (size_t i = 0; i < n; i++) {
                double v = mdl__term_value(t, f, rows[i]);
                if (v != 0)
                    num += w[i] * v * r[i];
            }
            /* sum of w (v - xbar)(r + shift) = sum w v r + shift sw xbar - xbar sum w (r + shift), the last 0 */
            num = (num + shift * sw * xbar[j]) / nn;
            double b = soft(num + den[j] * m->beta[j], lam * alpha) / (den[j] + lam * (1 - alpha));
            double d = b - m->beta[j];
            if (d == 0)
                continue;
            m->beta[j] = b;
            m->b0 -= d * xbar[j]; /* the intercept keeps the centring */
            for (size_t i = 0; i < n; i++) {
                double v = mdl__term_value(t, f, rows[i]);
                if (v != 0)
                    r[i] -= d * v;
            }
            shift += d * xbar[j];
            if (fabs(d) * sqrt(den[j]) > biggest)
                biggest = fabs(d) * sqrt(den[j]);
        }
        if (biggest < tol)
            break;
    }
}

/* The design at the rows of the fit, when it fits in memory: row i's terms (1 for the intercept, then
 * each term's value) at X + i p, so a pass over the rows is plain arithmetic (X NULL: each value
 * worked out from the frame as it is needed). */
typedef struct {
    double *X;
    size_t p;
} design_rows;

/* Past this many rows, a Newton step's matrix X'WX is summed over an even sample of them (every
 * k-th row, scaled to the whole) while its gradient is summed over all: the step is then a
 * sub-sampled Newton step (Roosta-Khorasani and Mahoney 2019; Byrd et al. 2011), whose fixed point
 * is the same optimum, at a tenth of the cost at a million rows.  Up to it the design is written out
 * (the normal equations read every row); past it each pass works a row's terms out from the frame
 * (writing out a million rows of fifty terms cost more than the passes it saved). */
enum { HESSIAN_ROWS = 131072, DESIGN_MAX_BYTES = 1 << 30 };

typedef struct {
    const struct mdl_model *m;
    const mdl_frame *f;
    const size_t *rows;
    size_t n;
    design_rows *dr;
} make_job;

static void make_part(void *v, int k) /* rows of part k of 8 */
{
    make_job *j = v;
    size_t p = j->dr->p;
    for (size_t i = (size_t)k * j->n / 8; i < (size_t)(k + 1) * j->n / 8; i++) {
        double *x = j->dr->X + i * p;
        x[0] = 1;
        for (size_t t = 1; t < p; t++)
            x[t] = mdl__term_value(&j->m->d.t[t - 1], j->f, j->rows[i]);
    }
}

static void design_rows_make(const struct mdl_model *m, const mdl_frame *f, const size_t *rows, size_t n,
                             design_rows *dr)
{
    dr->p = (size_t)m->d.nt + 1;
    dr->X = n && n <= HESSIAN_ROWS && n <= DESIGN_MAX_BYTES / sizeof(double) / dr->p
                ? mdl__alloc_big(n * dr->p * sizeof *dr->X)
                : NULL;
    make_job j = { .m = m, .f = f, .rows = rows, .n = n, .dr = dr };
    if (dr->X)
        mdl__parallel(8, make_part, &j);
}

typedef struct {
    const struct mdl_model *m;
    const mdl_frame *f;
    const size_t *rows;
    const design_rows *dr;
    size_t n, p;
    const double *w, *eta, *r;
    size_t stride;         /* the rows summed: every stride-th (n of them, at 0, stride, ...) */
    int want_A, rhs_kind;  /* rhs_kind 1: X'Wz; 0: none */
    double *A, *rhs;       /* per part: p x p (the upper triangle) and p */
    int nparts, failed[4];
} gram_job;

/* A += w v v' (the upper triangle) for one row's terms v: the loop the vectoriser takes. */
static void rank1(double *restrict A, const double *restrict v, double wi, size_t p)
{
    for (size_t a = 0; a < p; a++) {
        double wa = wi * v[a];
        if (wa == 0)
            continue;
        double *restrict row = A + a * p;
        for (size_t b = a; b < p; b++)
            row[b] += wa * v[b];
    }
}

/* Part k of the rows' sums X'WX and X'Wz into its own A and rhs. */
static void gram_part(void *arg, int k)
{
    gram_job *j = arg;
    size_t p = j->p, from = (size_t)k * j->n / (size_t)j->nparts, to = (size_t)(k + 1) * j->n / (size_t)j->nparts;
    double *A = j->A + (size_t)k * p * p, *rhs = j->rhs + (size_t)k * p, *v = NULL;
    memset(A, 0, p * p * sizeof *A);
    memset(rhs, 0, p * sizeof *rhs);
    if (!j->dr->X && !(v = malloc(p * sizeof *v))) {
        j->failed[k] = 1;
        return;
    }
    for (size_t q = from; q < to; q++) {
        size_t i = q * j->stride;
        const double *x = v;
        if (j->dr->X)
            x = j->dr->X + i * p;
        else {
            v[0] = 1;
            for (size_t t = 1; t < p; t++)
                v[t] = mdl__term_value(&j->m->d.t[t - 1], j->f, j->rows[i]);
        }
        double z = j->eta[i] + j->r[i]; /* the working response */
        if (j->want_A)
            rank1(A, x, j->w[i], p);
        if (j->rhs_kind == 1)
            for (size_t a = 0; a < p; a++)
                rhs[a] += j->w[i] * x[a] * z;
    }
    free(v);
}

/* Sums over rows in parts cut by their number (on the cores, then added in order: the same sums on
 * any machine): A (the upper triangle) and rhs, each scaled by scale. */
static int gram(gram_job *j, gsl_matrix *A, gsl_vector *rhs, double scale)
{
    size_t p = j->p;
    j->nparts = j->n >= 4 * 16384 ? 4 : 1;
    j->A = malloc((size_t)j->nparts * p * p * sizeof(double));
    j->rhs = malloc((size_t)j->nparts * p * sizeof(double));
    int rc = j->A && j->rhs ? 0 : -1;
    if (!rc)
        mdl__parallel(j->nparts, gram_part, j);
    for (int k = 0; !rc && k < j->nparts; k++) {
        rc = j->failed[k] ? -1 : 0;
        for (size_t a = 0; !rc && a < p; a++) {
            for (size_t b = a; j->want_A && b < p; b++)
                *gsl_matrix_ptr(A, a, b) += scale * j->A[(size_t)k * p * p + a * p + b];
            if (j->rhs_kind)
                *gsl_vector_ptr(rhs, a) += scale * j->rhs[(size_t)k * p + a];
        }
    }
    free(j->A);
    free(j->rhs);
    return rc;
}


/* An L2 (or no) penalty's Newton step solved exactly: (X'WX + n lambda D) theta = X'Wz, theta the
 * intercept and the coefficients, D the identity but for the intercept, by Cholesky (GSL); the
 * normal equations cost n p^2 / 2, which for the few hundred terms a bank's file has is less than
 * coordinate descent's passes over terms that are nearly collinear (a category's indicators and the
 * intercept).  Past HESSIAN_ROWS rows, (H_s + n lambda D) theta' = H_s theta + X'(y - q), H_s from
 * the sample.  -1 when the system is singular (then coordinate descent goes on from here). */
static int newton_exact(struct mdl_model *m, const mdl_frame *f, const size_t *rows, size_t n,
                        const design_rows *dr, const double *w, const double *eta, const double *r, const double *grad,
                        double lam)
{
    size_t p = (size_t)m->d.nt + 1;
    gram_job j = { .m = m, .f = f, .rows = rows, .dr = dr, .n = n, .p = p, .w = w, .eta = eta, .r = r, .stride = 1,
                   .want_A = 1, .rhs_kind = 1 };
    gsl_matrix *A = gsl_matrix_calloc(p, p);
    gsl_vector *rhs = gsl_vector_calloc(p), *theta = gsl_vector_alloc(p);
    int rc = A && rhs && theta ? 0 : -1;
    if (!rc && (n <= HESSIAN_ROWS || !grad))
        rc = gram(&j, A, rhs, 1);
    else if (!rc) {
        j.stride = n / HESSIAN_ROWS + (n % HESSIAN_ROWS != 0);
        j.n = (n + j.stride - 1) / j.stride;
        j.rhs_kind = 0;
        rc = gram(&j, A, rhs, (double)n / (double)j.n);
        for (size_t a = 0; !rc && a < p; a++) /* X'(y - q), from the pass at theta */
            *gsl_vector_ptr(rhs, a) += grad[a];
        for (size_t a = 0; !rc && a < p; a++) /* + H_s theta, H_s's upper triangle read both ways */
            for (size_t b = 0; b < p; b++)
                *gsl_vector_ptr(rhs, a) += gsl_matrix_get(A, a < b ? a : b, a < b ? b : a) *
                                           (b ? m->beta[b - 1] : m->b0);
    }
    if (!rc) {
        for (size_t a = 0; a < p; a++) {
            for (size_t b = 0; b < a; b++)
                gsl_matrix_set(A, a, b, gsl_matrix_get(A, b, a));
            if (a)
                *gsl_matrix_ptr(A, a, a) += (double)n * lam;
        }
        gsl_error_handler_t *old = gsl_set_error_handler_off();
        rc = gsl_linalg_cholesky_decomp1(A) || gsl_linalg_cholesky_solve(A, rhs, theta) ? -1 : 0;
        gsl_set_error_handler(old);
    }
    if (!rc) {
        m->b0 = gsl_vector_get(theta, 0);
        for (size_t t = 1; t < p; t++)
            m->beta[t - 1] = gsl_vector_get(theta, t);
    }
    gsl_matrix_free(A);
    gsl_vector_free(rhs);
    gsl_vector_free(theta);
    return rc;
}

/* One pass over the rows of the fit: each row's linear predictor, its log-loss summed and, eta
 * given, the Newton step's weights, working residuals and deviance.  In parts cut by the rows'
 * number (added in order: the same sums on any machine). */
typedef struct {
    const struct mdl_model *m;
    const mdl_frame *f;
    const size_t *rows;
    const design_rows *dr;
    size_t n;
    double *eta, *w, *r;   /* NULL: the loss only */
    double *grad;          /* with eta, not NULL: X'(y - q), the log-likelihood's gradient (p terms) */
    double *gpart;         /* 8 x p, the parts' */
    double loss[8], dev[8];
    int nparts, failed[8];
} pass_job;

/* e[i] += beta times term t of rows[i], a term at a time (its kind read once, not once a value):
 * each row's predictor adds its terms in their order all the same, so the sums are the ones a row at
 * a time gives. */
static void term_axpy(const mdl__term *t, const mdl_frame *f, const size_t *restrict rows, size_t n, double beta,
                      double *restrict e)
{
    const mdl_col *c = &f->cols[t->col];
    switch (t->kind) {
    case MDL__T_NUM:
        for (size_t i = 0; i < n; i++) {
            double x = c->x[rows[i]];
            e[i] += beta * (x != x ? 0 : (x - t->mean) / t->sd);
        }
        break;
    case MDL__T_NUM_MISSING:
        for (size_t i = 0; i < n; i++)
            e[i] += beta * (double)(c->x[rows[i]] != c->x[rows[i]]);
        break;
    case MDL__T_LEVEL:
        for (size_t i = 0; i < n; i++)
            e[i] += beta * (double)(c->code[rows[i]] == t->level);
        break;
    default:
        for (size_t i = 0; i < n; i++)
            e[i] += beta * (double)(c->code[rows[i]] < 0);
    }
}

/* The sum over rows[i] of g[i] times term t, in the rows' order. */
static double term_dot(const mdl__term *t, const mdl_frame *f, const size_t *restrict rows, size_t n,
                       const double *restrict g)
{
    const mdl_col *c = &f->cols[t->col];
    double sum = 0;
    switch (t->kind) {
    case MDL__T_NUM:
        for (size_t i = 0; i < n; i++) {
            double x = c->x[rows[i]];
            sum += g[i] * (x != x ? 0 : (x - t->mean) / t->sd);
        }
        break;
    case MDL__T_NUM_MISSING:
        for (size_t i = 0; i < n; i++)
            sum += g[i] * (double)(c->x[rows[i]] != c->x[rows[i]]);
        break;
    case MDL__T_LEVEL:
        for (size_t i = 0; i < n; i++)
            sum += g[i] * (double)(c->code[rows[i]] == t->level);
        break;
    default:
        for (size_t i = 0; i < n; i++)
            sum += g[i] * (double)(c->code[rows[i]] < 0);
    }
    return sum;
}

/* Part k of a pass: the predictors a term at a time, then each row's loss, weight and residual, then
 * the gradient a term at a time. */
static void pass_part(void *arg, int k)
{
    pass_job *j = arg;
    size_t from = (size_t)k * j->n / (size_t)j->nparts, to = (size_t)(k + 1) * j->n / (size_t)j->nparts, n = to - from;
    const size_t *rows = j->rows + from;
    double loss = 0, dev = 0, *e = j->eta ? j->eta + from : malloc((n ? n : 1) * sizeof *e);
    double *gy = j->grad ? malloc((n ? n : 1) * sizeof *gy) : NULL; /* y - q */
    if (!e || (j->grad && !gy)) {
        j->failed[k] = 1;
        if (!j->eta)
            free(e);
        return;
    }
    for (size_t i = 0; i < n; i++)
        e[i] = j->m->b0;
    for (int t = 0; t < j->m->d.nt; t++)
        if (j->m->beta[t] != 0)
            term_axpy(&j->m->d.t[t], j->f, rows, n, j->m->beta[t], e);
    for (size_t i = 0; i < n; i++) {
        int y = j->f->y[rows[i]];
        double s = y ? -e[i] : e[i];
        loss += s > 0 ? s + log1p(exp(-s)) : log1p(exp(s));
        if (!j->eta)
            continue;
        double q = 1 / (1 + exp(-e[i]));
        q = q < 1e-10 ? 1e-10 : q > 1 - 1e-10 ? 1 - 1e-10 : q;
        j->w[from + i] = q * (1 - q) < 1e-5 ? 1e-5 : q * (1 - q);
        j->r[from + i] = (y - q) / j->w[from + i]; /* the working response less eta */
        dev -= y ? log(q) : log(1 - q);
        if (gy)
            gy[i] = y - q;
    }
    if (gy) {
        double *g = j->gpart + (size_t)k * j->dr->p;
        for (size_t i = 0; i < n; i++)
            g[0] += gy[i];
        for (int t = 0; t < j->m->d.nt; t++)
            g[t + 1] = term_dot(&j->m->d.t[t], j->f, rows, n, gy);
    }
    if (!j->eta)
        free(e);
    free(gy);
    j->loss[k] = loss;
    j->dev[k] = dev;
}

static int pass(pass_job *j, double *loss, double *dev)
{
    size_t p = j->dr->p;
    int bad = 0;
    j->nparts = j->n >= 65536 ? 8 : 1;
    if (j->grad)
        memset(j->gpart, 0, (size_t)j->nparts * p * sizeof *j->gpart);
    mdl__parallel(j->nparts, pass_part, j);
    *loss = *dev = 0;
    for (int k = 0; k < j->nparts; k++) {
        *loss += j->loss[k];
        *dev += j->dev[k];
        bad |= j->failed[k];
        j->failed[k] = 0;
    }
    if (bad)
        return RP_NOMEM;
    for (size_t a = 0; j->grad && a < p; a++) {
        j->grad[a] = 0;
        for (int k = 0; k < j->nparts; k++)
            j->grad[a] += j->gpart[(size_t)k * p + a];
    }
    return RP_OK;
}

/* The penalty of what the fit minimises: the log-loss summed over the rows and this, as
 * scikit-learn's C·Σ loss + ½‖β‖² (L2) divided by C, with its L1 share alpha. */
static double penalty(const struct mdl_model *m, size_t n, double lam, double alpha)
{
    double l1 = 0, l2 = 0;
    for (int j = 0; j < m->d.nt; j++)
        l1 += fabs(m->beta[j]), l2 += m->beta[j] * m->beta[j];
    alpha = alpha < 0 ? 0 : alpha;
    return (double)n * lam * (alpha * l1 + (1 - alpha) * l2 / 2);
}

/* The step from (b0, beta) in keep to m's halved until the objective does not rise (IRLS alone
 * can overshoot and diverge where the classes are nearly separable), each trial a pass that leaves
 * the rows' state in pj, *loss and *dev: 1 when they are the state at m's coefficients (the next
 * Newton step needs no pass of its own), 0 after thirty halvings, the last not passed over; -1
 * without the memory for a pass. */
static int damp(struct mdl_model *m, const double *keep, double before, pass_job *pj, double lam, double alpha,
                double *loss, double *dev)
{
    for (int k = 0; k < 30; k++) {
        if (pass(pj, loss, dev))
            return -1;
        if (*loss + penalty(m, pj->n, lam, alpha) <= before + 1e-12 * fabs(before))
            return 1;
        m->b0 = (m->b0 + keep[0]) / 2;
        for (int j = 0; j < m->d.nt; j++)
            m->beta[j] = (m->beta[j] + keep[j + 1]) / 2;
    }
    return 0;
}

static void logit_free(mdl_model *m)
{
    if (m) {
        mdl__design_free(&m->d);
        free(m->beta);
        free(m);
    }
}

typedef struct {
    int max_iter, none;
    double C, alpha, tol;
} logit_settings_t;

static int logit_settings(const mdl_params *p, logit_settings_t *s, rp_error *err)
{
    int rc;
    double l1;
    const char *pen = mdl__param(p, "penalty");
    if ((rc = mdl__param_real(p, "C", 1.0, 1e-12, 1e12, &s->C, err)) ||
        (rc = mdl__param_real(p, "l1_ratio", 0.5, 0, 1, &l1, err)) ||
        (rc = mdl__param_int(p, "max_iter", 100, 1, 10000, &s->max_iter, err)) ||
        (rc = mdl__param_real(p, "tol", 1e-6, 1e-15, 1, &s->tol, err)))
        return rc;
    if (!pen)
        pen = "l2";
    s->alpha = !strcmp(pen, "l2") ? 0 : !strcmp(pen, "l1") ? 1 : !strcmp(pen, "elasticnet") ? l1 : -1;
    s->none = !strcmp(pen, "none");
    if (s->alpha < 0 && !s->none)
        return rp_err(err, RP_INVAL, "penalty: l2, l1, elasticnet or none, not '%.20s'", pen);
    return RP_OK;
}

static int logit_check(const mdl_params *p, rp_error *err)
{
    logit_settings_t s;
    return logit_settings(p, &s, err);
}

static int logit_fit(const mdl_frame *f, const size_t *rows, size_t n, const mdl_params *p, mdl_model **out,
                     rp_error *err)
{
    logit_settings_t st;
    int rc;
    if ((rc = mdl_params_check(&mdl__logit, p, err)) || (rc = logit_settings(p, &st, err)))
        return rc;
    int max_iter = st.max_iter, none = st.none;
    double C = st.C, alpha = st.alpha, tol = st.tol;
    struct mdl_model *m = calloc(1, sizeof *m);
    double *w = malloc(n * sizeof *w), *r = malloc(n * sizeof *r), *eta = malloc(n * sizeof *eta), *xbar = NULL,
           *den = NULL, *keep = NULL;
    if (!m || !w || !r || !eta || mdl__design_make(f, rows, n, none, &m->d) ||
        !(m->beta = calloc((size_t)m->d.nt + 1, sizeof *m->beta)) ||
        !(xbar = malloc(((size_t)m->d.nt + 1) * sizeof *xbar)) || !(den = malloc(((size_t)m->d.nt + 1) * sizeof *den)) ||
        !(keep = malloc(((size_t)m->d.nt + 1) * sizeof *keep))) {
        free(keep);
        free(w);
        free(r);
        free(eta);
        free(xbar);
        free(den);
        logit_free(m);
        return rp_err(err, RP_NOMEM, NULL);
    }
    m->penalty = none ? "none" : alpha == 0 ? "l2" : alpha == 1 ? "l1" : "elasticnet";
    m->C = C;
    m->l1_ratio = alpha < 0 ? 0 : alpha;
    double lam = none ? 0 : 1 / (C * (double)n), dev_before = INFINITY;
    size_t pos = 0;
    for (size_t i = 0; i < n; i++)
        pos += f->y[rows[i]];
    m->b0 = log(((double)pos + 0.5) / ((double)(n - pos) + 0.5));
    design_rows dr;
    design_rows_make(m, f, rows, n, &dr);
    int sampled = alpha <= 0 && (size_t)m->d.nt <= 2000 && n > HESSIAN_ROWS; /* newton_exact wants X'(y - q);
                                                                               * without room for it, exact steps */
    double *grad = sampled ? malloc(dr.p * sizeof *grad) : NULL, *gpart = sampled ? malloc(8 * dr.p * sizeof *gpart) : NULL;
    pass_job pj = { .m = m, .f = f, .rows = rows, .dr = &dr, .n = n, .eta = eta, .w = w, .r = r,
                    .grad = grad && gpart ? grad : NULL, .gpart = gpart };
    int current = 0;
    double dev = 0, loss = 0;
    for (m->iterations = 0; m->iterations < max_iter && current >= 0; m->iterations++) {
        if (!current && pass(&pj, &loss, &dev)) {
            current = -1;
            break;
        }
        if (fabs(dev_before - dev) <= tol * (fabs(dev) + 0.1))
            break;
        dev_before = dev;
        double before = loss + penalty(m, n, lam, none ? 0 : alpha); /* the objective here */
        keep[0] = m->b0;
        memcpy(keep + 1, m->beta, (size_t)m->d.nt * sizeof *keep);
        if (alpha > 0 || (size_t)m->d.nt > 2000 || newton_exact(m, f, rows, n, &dr, w, eta, r, pj.grad, lam))
            wls(m, f, rows, n, w, r, lam, none ? 0 : alpha, 1000, tol, xbar, den);
        current = damp(m, keep, before, &pj, lam, none ? 0 : alpha, &loss, &dev);
    }
    free(grad);
    free(gpart);
    free(dr.X);
    if (current < 0 || (sampled && !pj.grad)) {
        free(keep), free(w), free(r), free(eta), free(xbar), free(den);
        logit_free(m);
        return rp_err(err, RP_NOMEM, NULL);
    }
    free(keep);
    free(w);
    free(r);
    free(eta);
    free(xbar);
    free(den);
    *out = m;
    return RP_OK;
}

/* A block of rows at a time, a term at a time (the sums as a row at a time gives them). */
static void logit_predict(const mdl_model *m, const mdl_frame *f, const size_t *rows, size_t n, double *out)
{
    enum { BLOCK = 4096 };
    for (size_t b = 0; b < n; b += BLOCK) {
        size_t k = n - b < BLOCK ? n - b : BLOCK;
        for (size_t i = 0; i < k; i++)
            out[b + i] = m->b0;
        for (int t = 0; t < m->d.nt; t++)
            if (m->beta[t] != 0)
                term_axpy(&m->d.t[t], f, rows + b, k, m->beta[t], out + b);
        for (size_t i = 0; i < k; i++)
            out[b + i] = 1 / (1 + exp(-out[b + i]));
    }
}

static json_t *logit_describe(const mdl_model *m, const mdl_frame *f)
{
    json_t *co = json_array();
    double b0 = m->b0;
    int kept = 0;
    for (int j = 0; j < m->d.nt; j++) {
        const mdl__term *t = &m->d.t[j];
        const mdl_col *c = &f->cols[t->col];
        double beta = m->beta[j];
        if (t->kind == MDL__T_NUM)
            b0 -= beta * t->mean / t->sd;
        kept += beta != 0;
        json_t *o = json_pack("{s:s}", "feature", c->name);
        if (t->kind == MDL__T_LEVEL)
            json_object_set_new(o, "level", json_string(c->levels[t->level]));
        if (t->kind == MDL__T_NUM_MISSING || t->kind == MDL__T_CAT_MISSING)
            json_object_set_new(o, "missing", json_true());
        json_object_set_new(o, "coef", json_real(beta));
        /* per unit of the column as it is written (a numeric's coefficient over its spread) */
        json_object_set_new(o, "coef_per_unit", json_real(t->kind == MDL__T_NUM ? beta / t->sd : beta));
        json_object_set_new(o, "odds_ratio", json_real(exp(t->kind == MDL__T_NUM ? beta / t->sd : beta)));
        json_array_append_new(co, o);
    }
    /* largest effect first (on the standardised scale, where effects compare) */
    size_t n = json_array_size(co);
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0; k--) {
            double a = fabs(json_real_value(json_object_get(json_array_get(co, k - 1), "coef")));
            double b = fabs(json_real_value(json_object_get(json_array_get(co, k), "coef")));
            if (a >= b)
                break;
            json_t *x = json_incref(json_array_get(co, k));
            json_array_remove(co, k);
            json_array_insert_new(co, k - 1, x);
        }
    return json_pack("{s:s, s:f, s:f, s:i, s:f, s:f, s:i, s:i, s:o}", "penalty", m->penalty, "C", m->C, "l1_ratio",
                     m->l1_ratio, "iterations", m->iterations, "intercept", b0, "intercept_standardised", m->b0,
                     "terms", m->d.nt, "nonzero", kept, "coefficients", co);
}


/* ---- PMML: a RegressionModel (logit); each term a derived field, so that a missing value counts as
 * the design counts it (a number as its mean, with its indicator; a category's indicators 0) ---- */

static void pmml_term(rp_buf *b, const mdl__term *t, const mdl_frame *f, int j)
{
    const mdl_col *c = &f->cols[t->col];
    rp_buf_printf(b, "      <DerivedField name=\"rapport_term_%d\" optype=\"continuous\" dataType=\"double\">\n", j);
    rp_buf_puts(b, "        <Apply function=\"if\"");
    if (t->kind == MDL__T_LEVEL)
        rp_buf_puts(b, " mapMissingTo=\"0\"");
    rp_buf_puts(b, ">\n          <Apply function=\"");
    rp_buf_puts(b, t->kind == MDL__T_LEVEL ? "equal" : "isMissing");
    rp_buf_puts(b, "\"><FieldRef");
    mdl__pmml_attr(b, "field", c->name);
    rp_buf_puts(b, "/>");
    if (t->kind == MDL__T_LEVEL) {
        rp_buf_puts(b, "<Constant dataType=\"string\">");
        mdl__xml(b, c->levels[t->level]);
        rp_buf_puts(b, "</Constant>");
    }
    rp_buf_puts(b, "</Apply>\n");
    if (t->kind == MDL__T_NUM) { /* missing: the mean; else the value */
        rp_buf_printf(b, "          <Constant dataType=\"double\">%.17g</Constant>\n          <FieldRef", t->mean);
        mdl__pmml_attr(b, "field", c->name);
        rp_buf_puts(b, "/>\n");
    } else {
        rp_buf_puts(b, "          <Constant dataType=\"double\">1</Constant>\n"
                       "          <Constant dataType=\"double\">0</Constant>\n");
    }
    rp_buf_puts(b, "        </Apply>\n      </DerivedField>\n");
}

static void logit_pmml(const mdl_model *m, const mdl_frame *f, rp_buf *b)
{
    rp_buf_puts(b, "  <RegressionModel functionName=\"classification\" normalizationMethod=\"logit\">\n");
    mdl__pmml_schema(b, f, 4);
    rp_buf_puts(b, "    <LocalTransformations>\n");
    for (int j = 0; j < m->d.nt; j++)
        pmml_term(b, &m->d.t[j], f, j);
    rp_buf_puts(b, "    </LocalTransformations>\n");
    double b0 = m->b0;
    for (int j = 0; j < m->d.nt; j++)
        if (m->d.t[j].kind == MDL__T_NUM)
            b0 -= m->beta[j] * m->d.t[j].mean / m->d.t[j].sd;
    rp_buf_printf(b, "    <RegressionTable intercept=\"%.17g\"", b0);
    mdl__pmml_attr(b, "targetCategory", f->positive);
    rp_buf_puts(b, ">\n");
    for (int j = 0; j < m->d.nt; j++) {
        const mdl__term *t = &m->d.t[j];
        double coef = t->kind == MDL__T_NUM ? m->beta[j] / t->sd : m->beta[j];
        if (coef != 0)
            rp_buf_printf(b, "      <NumericPredictor name=\"rapport_term_%d\" coefficient=\"%.17g\"/>\n", j, coef);
    }
    rp_buf_puts(b, "    </RegressionTable>\n    <RegressionTable intercept=\"0\"");
    mdl__pmml_attr(b, "targetCategory", f->negative);
    rp_buf_puts(b, "/>\n  </RegressionModel>\n");
}

static json_t *logit_save(const mdl_model *m, const mdl_frame *f)
{
    (void)f;
    return json_pack("{s:o, s:o, s:f, s:s, s:f, s:f, s:i}", "terms", mdl__design_save(&m->d), "beta",
                     mdl__reals(m->beta, (size_t)m->d.nt), "b0", m->b0, "penalty", m->penalty, "C", m->C, "l1_ratio",
                     m->l1_ratio, "iterations", m->iterations);
}

static int logit_load(const json_t *j, const mdl_frame *f, mdl_model **out, rp_error *err)
{
    static const char *const penalties[] = { "l2", "l1", "elasticnet", "none", NULL };
    struct mdl_model *m = calloc(1, sizeof *m);
    if (!m)
        return rp_err(err, RP_NOMEM, NULL);
    int rc = mdl__design_load(json_object_get(j, "terms"), f, &m->d);
    if (!rc && !(m->beta = calloc((size_t)m->d.nt + 1, sizeof *m->beta)))
        rc = RP_NOMEM;
    if (!rc)
        rc = mdl__reals_get(json_object_get(j, "beta"), m->beta, (size_t)m->d.nt);
    const char *pen = json_string_value(json_object_get(j, "penalty"));
    m->penalty = "l2";
    for (int k = 0; pen && penalties[k]; k++)
        if (!strcmp(pen, penalties[k]))
            m->penalty = penalties[k];
    m->b0 = json_number_value(json_object_get(j, "b0"));
    m->C = json_number_value(json_object_get(j, "C"));
    m->l1_ratio = json_number_value(json_object_get(j, "l1_ratio"));
    m->iterations = (int)json_integer_value(json_object_get(j, "iterations"));
    if (rc) {
        logit_free(m);
        return rc == RP_NOMEM ? rp_err(err, RP_NOMEM, NULL)
                              : rp_err(err, RP_PARSE, "logit: its terms do not fit the model's columns");
    }
    *out = m;
    return RP_OK;
}

static const char *const logit_setting_names[] = { "penalty", "C", "l1_ratio", "max_iter", "tol", NULL };

const mdl_learner mdl__logit = {
    .name = "logit",
    .title = "logistic regression",
    .params_help = "penalty (l2 | l1 | elasticnet | none), C (1: the inverse of the penalty's strength, as "
                   "scikit-learn's), l1_ratio (0.5, elasticnet), max_iter (100), tol (1e-6)",
    .settings = logit_setting_names,
    .check = logit_check,
    .fit = logit_fit,
    .predict = logit_predict,
    .describe = logit_describe,
    .free = logit_free,
    .pmml = logit_pmml,
    .save = logit_save,
    .load = logit_load,
};
