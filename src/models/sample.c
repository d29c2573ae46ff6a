/* sample.c — how many customers a test needs (M15, seed 000): to estimate a rate within a margin,
 * and to tell one rate from another.  See models.h. */
#include "models/models.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

double mdl_z(double confidence) { return gsl_cdf_ugaussian_Pinv(1 - (1 - confidence) / 2); }

static int in_open_unit(const char *what, double v, rp_error *err)
{
    if (!(v > 0 && v < 1))
        return rp_err(err, RP_INVAL, "%s: a number between 0 and 1, not %g", what, v);
    return RP_OK;
}

static int rounded_up(double v, int64_t *n, rp_error *err)
{
    if (!(v < 9e15))
        return rp_err(err, RP_INVAL, "the sample would have more than 9e15 customers: widen the margin");
    *n = (int64_t)ceil(v - 1e-9); /* 384.00000001 of rounding is 384 */
    return RP_OK;
}

int mdl_sample_rate(double p, double e, double confidence, int64_t *n, rp_error *err)
{
    int rc;
    if ((rc = in_open_unit("rate", p, err)) || (rc = in_open_unit("margin", e, err)) ||
        (rc = in_open_unit("confidence", confidence, err)))
        return rc;
    double z = mdl_z(confidence);
    return rounded_up(z * z * p * (1 - p) / (e * e), n, err);
}

int mdl_sample_lift(double p1, double p2, double confidence, double power, int64_t *n, rp_error *err)
{
    int rc;
    if ((rc = in_open_unit("rate", p1, err)) || (rc = in_open_unit("expected rate", p2, err)) ||
        (rc = in_open_unit("confidence", confidence, err)) || (rc = in_open_unit("power", power, err)))
        return rc;
    if (p1 == p2)
        return rp_err(err, RP_INVAL, "expected rate: the same as the rate (%g): no difference to detect", p1);
    double za = mdl_z(confidence), zb = gsl_cdf_ugaussian_Pinv(power), pm = (p1 + p2) / 2;
    double a = za * sqrt(2 * pm * (1 - pm)) + zb * sqrt(p1 * (1 - p1) + p2 * (1 - p2));
    return rounded_up(a * a / ((p2 - p1) * (p2 - p1)), n, err);
}
