/* clv.c — BG/NBD and Gamma-Gamma by maximum likelihood.  See clv.h. */
#include "analytics/clv.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_hyperg.h>
#include <math.h>
#include <string.h>

/* log(exp(u) + exp(v)) without overflow */
static double logsum(double u, double v)
{
    double hi = u > v ? u : v, lo = u > v ? v : u;
    return hi + log1p(exp(lo - hi));
}

double an_bgnbd_ll(const an_bgnbd *m, const an_rfx *c, size_t n)
{
    double r = m->r, al = m->alpha, a = m->a, b = m->b, ll = 0;
    double k1 = r * log(al) - lgamma(r) + lgamma(a + b) - lgamma(b);
    for (size_t i = 0; i < n; i++) {
        double x = c[i].x;
        double l = k1 + lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x);
        double a3 = -(r + x) * log(al + c[i].T);
        if (x > 0)
            a3 = logsum(a3, log(a) - log(b + x - 1) - (r + x) * log(al + c[i].t_x));
        ll += l + a3;
    }
    return ll;
}

double an_gg_ll(const an_gg *m, const an_rfx *c, size_t n)
{
    double p = m->p, q = m->q, g = m->gamma, ll = 0;
    for (size_t i = 0; i < n; i++) {
        double x = c[i].x, z = c[i].zbar;
        if (x <= 0 || z <= 0)
            continue;
        ll += lgamma(p * x + q) - lgamma(p * x) - lgamma(q) + q * log(g) + (p * x - 1) * log(z) + p * x * log(x) -
              (p * x + q) * log(g + x * z);
    }
    return ll;
}

typedef struct fitdata {
    const an_rfx *c;
    size_t n;
    int gg;
} fitdata;

static double negll(const gsl_vector *v, void *arg)
{
    const fitdata *d = arg;
    for (size_t i = 0; i < v->size; i++)
        if (!isfinite(gsl_vector_get(v, i)) || fabs(gsl_vector_get(v, i)) > 30)
            return GSL_POSINF;
    double ll;
    if (d->gg) {
        an_gg m = { exp(gsl_vector_get(v, 0)), exp(gsl_vector_get(v, 1)), exp(gsl_vector_get(v, 2)), 0, 0, 0 };
        ll = an_gg_ll(&m, d->c, d->n);
    } else {
        an_bgnbd m = { exp(gsl_vector_get(v, 0)), exp(gsl_vector_get(v, 1)), exp(gsl_vector_get(v, 2)),
                       exp(gsl_vector_get(v, 3)), 0, 0 };
        ll = an_bgnbd_ll(&m, d->c, d->n);
    }
    return isfinite(ll) ? -ll : GSL_POSINF;
}

/* Nelder-Mead from start (logs), restarted from where it stopped until the
 * optimum no longer moves: a simplex can stall on a ridge. */
static int minimise(fitdata *d, size_t dim, const double *start, double *best, double *fbest, int *iters)
{
    gsl_multimin_function f = { negll, dim, d };
    gsl_vector *x = gsl_vector_alloc(dim), *step = gsl_vector_alloc(dim);
    gsl_multimin_fminimizer *s = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, dim);
    if (!x || !step || !s) {
        gsl_vector_free(x), gsl_vector_free(step), gsl_multimin_fminimizer_free(s);
        return RP_NOMEM;
    }
    for (size_t i = 0; i < dim; i++)
        gsl_vector_set(x, i, start[i]);
    double prev = GSL_POSINF;
    int ok = 0;
    *iters = 0;
    for (int round = 0; round < 8; round++) {
        gsl_vector_set_all(step, round ? 0.1 : 0.5);
        if (gsl_multimin_fminimizer_set(s, &f, x, step) != GSL_SUCCESS || !isfinite(s->fval))
            break;
        int status = GSL_CONTINUE;
        for (int it = 0; it < 20000 && status == GSL_CONTINUE; it++) {
            if (gsl_multimin_fminimizer_iterate(s))
                break;
            (*iters)++;
            status = gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), 1e-10);
        }
        gsl_vector_memcpy(x, s->x);
        ok = isfinite(s->fval);
        if (ok && fabs(prev - s->fval) < 1e-9)
            break;
        prev = s->fval;
    }
    if (ok) {
        for (size_t i = 0; i < dim; i++)
            best[i] = gsl_vector_get(x, i);
        *fbest = s->fval;
    }
    gsl_vector_free(x), gsl_vector_free(step), gsl_multimin_fminimizer_free(s);
    return ok ? RP_OK : RP_NUMERIC;
}

static int fit(fitdata *d, size_t dim, double starts[][4], int nstarts, double *best, double *fbest, int *iters,
               rp_error *err)
{
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    *fbest = GSL_POSINF;
    int any = 0;
    for (int k = 0; k < nstarts; k++) {
        double v[4], fv;
        int it;
        int rc = minimise(d, dim, starts[k], v, &fv, &it);
        if (rc == RP_NOMEM) {
            gsl_set_error_handler(old);
            return rp_err(err, RP_NOMEM, NULL);
        }
        if (rc == RP_OK && fv < *fbest) {
            *fbest = fv;
            memcpy(best, v, dim * sizeof *v);
            *iters = it;
            any = 1;
        }
    }
    gsl_set_error_handler(old);
    return any ? RP_OK : rp_err(err, RP_NUMERIC, "the likelihood could not be maximised from any start");
}

int an_bgnbd_fit(const an_rfx *c, size_t n, an_bgnbd *out, rp_error *err)
{
    memset(out, 0, sizeof *out);
    size_t repeat = 0;
    double mean_T = 0;
    for (size_t i = 0; i < n; i++) {
        repeat += c[i].x > 0;
        mean_T += c[i].T / (double)(n ? n : 1);
        if (!(c[i].x >= 0) || !(c[i].t_x >= 0) || !(c[i].T >= c[i].t_x) || (c[i].x > 0 && c[i].t_x <= 0))
            return rp_err(err, RP_INVAL, "customer %zu: x %g, t_x %g, T %g are not a purchase history (0 <= t_x <= T, "
                          "t_x > 0 when x > 0)", i + 1, c[i].x, c[i].t_x, c[i].T);
    }
    if (!n || !repeat)
        return rp_err(err, RP_INVAL, "BG/NBD needs customers with repeat transactions (%zu customers, %zu with any)",
                      n, repeat);
    fitdata d = { c, n, 0 };
    double l = log(mean_T > 0 ? mean_T : 1);
    double starts[][4] = { { 0, 0, 0, 0 }, { 0, l, 0, 0 }, { -1, l - 1, -0.5, 0.5 }, { 0.5, l + 1, 1, 1.5 } };
    double v[4], f;
    int rc = fit(&d, 4, starts, 4, v, &f, &out->iterations, err);
    if (rc)
        return rc;
    out->r = exp(v[0]), out->alpha = exp(v[1]), out->a = exp(v[2]), out->b = exp(v[3]);
    out->ll = -f;
    return RP_OK;
}

int an_gg_fit(const an_rfx *c, size_t n, an_gg *out, rp_error *err)
{
    memset(out, 0, sizeof *out);
    double mean = 0;
    for (size_t i = 0; i < n; i++)
        if (c[i].x > 0) {
            if (!(c[i].zbar > 0))
                return rp_err(err, RP_INVAL, "customer %zu: %g repeat transactions of mean value %g: the values must "
                              "be positive", i + 1, c[i].x, c[i].zbar);
            out->customers++;
            mean += c[i].zbar;
        }
    if (out->customers < 2)
        return rp_err(err, RP_INVAL, "Gamma-Gamma needs at least 2 customers with repeat transactions (%zu)",
                      out->customers);
    mean /= (double)out->customers;
    fitdata d = { c, n, 1 };
    double l = log(mean);
    double starts[][4] = { { 0, 0, 0, 0 }, { 1, 1, l, 0 }, { 2, 1, l + 1, 0 }, { 0.5, 2, l - 1, 0 } };
    double v[4], f;
    size_t keep = out->customers;
    int rc = fit(&d, 3, starts, 4, v, &f, &out->iterations, err);
    if (rc)
        return rc;
    out->p = exp(v[0]), out->q = exp(v[1]), out->gamma = exp(v[2]);
    out->ll = -f;
    out->customers = keep;
    return RP_OK;
}

double an_bgnbd_p_alive(const an_bgnbd *m, const an_rfx *c)
{
    if (c->x <= 0)
        return 1;
    double lr = log(m->a) - log(m->b + c->x - 1) + (m->r + c->x) * (log(m->alpha + c->T) - log(m->alpha + c->t_x));
    return 1 / (1 + exp(lr));
}

/* 2F1 for 0 <= z < 1 by its series, which GSL's gsl_sf_hyperg_2F1 refuses
 * near some parameter values; the terms fall like z^k. */
static double hyp2f1(double a, double b, double c, double z)
{
    gsl_sf_result res;
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int st = gsl_sf_hyperg_2F1_e(a, b, c, z, &res);
    gsl_set_error_handler(old);
    if (st == GSL_SUCCESS && isfinite(res.val))
        return res.val;
    double term = 1, sum = 1;
    for (int k = 0; k < 100000; k++) {
        term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
        sum += term;
        if (fabs(term) < 1e-15 * fabs(sum))
            break;
    }
    return sum;
}

double an_bgnbd_expected(const an_bgnbd *m, const an_rfx *c, double t)
{
    double r = m->r, al = m->alpha, a = m->a, b = m->b, x = c->x, T = c->T;
    if (t <= 0)
        return 0;
    double z = t / (al + T + t);
    double num = (a + b + x - 1) / (a - 1) *
                 (1 - pow((al + T) / (al + T + t), r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z));
    double den = 1;
    if (x > 0)
        den += a / (b + x - 1) * pow((al + T) / (al + c->t_x), r + x);
    return num / den;
}

double an_bgnbd_expected_new(const an_bgnbd *m, double t)
{
    if (t <= 0)
        return 0;
    double r = m->r, al = m->alpha, a = m->a, b = m->b;
    return (a + b - 1) / (a - 1) * (1 - pow(al / (al + t), r) * hyp2f1(r, b, a + b - 1, t / (al + t)));
}

double an_bgnbd_p_count(const an_bgnbd *m, double t, int x)
{
    double r = m->r, al = m->alpha, a = m->a, b = m->b;
    double lbab = gsl_sf_lnbeta(a, b);
    double p1 = exp(gsl_sf_lnbeta(a, b + x) - lbab + lgamma(r + x) - lgamma(r) - lgamma(x + 1.0) +
                    r * log(al / (al + t)) + (x ? x * log(t / (al + t)) : 0));
    if (x == 0)
        return p1;
    double s = 0;
    for (int j = 0; j < x; j++)
        s += exp(lgamma(r + j) - lgamma(r) - lgamma(j + 1.0) + (j ? j * log(t / (al + t)) : 0));
    return p1 + exp(gsl_sf_lnbeta(a + 1, b + x - 1) - lbab) * (1 - pow(al / (al + t), r) * s);
}

double an_gg_expected(const an_gg *m, const an_rfx *c)
{
    if (c->x <= 0 || c->zbar <= 0)
        return m->q > 1 ? m->p * m->gamma / (m->q - 1) : 0;
    return (m->gamma + c->x * c->zbar) * m->p / (m->p * c->x + m->q - 1);
}

double an_clv(const an_bgnbd *m, const an_gg *g, const an_rfx *c, double horizon_weeks, double period_weeks,
              double rate_per_period, double margin)
{
    if (period_weeks <= 0 || horizon_weeks <= 0)
        return 0;
    double value = an_gg_expected(g, c) * margin, total = 0, prev = 0;
    int k = 1;
    for (double t = period_weeks; t <= horizon_weeks + 1e-9; t += period_weeks, k++) {
        double e = an_bgnbd_expected(m, c, t);
        total += (e - prev) * value / pow(1 + rate_per_period, k);
        prev = e;
    }
    return total;
}
