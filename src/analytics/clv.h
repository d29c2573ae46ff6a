/*
 * clv.h — customer lifetime value: BG/NBD for how many transactions a
 * customer will make, Gamma-Gamma for how much each is worth (issue 6,
 * DOMAIN M2).  Pure functions over per-customer summaries, which
 * job_clv.c makes from the customer base.
 *
 * Time is in weeks throughout, as in the literature, so fitted parameters
 * can be compared with the published ones (CDNOW: r = 0.243, alpha =
 * 4.414, a = 0.793, b = 2.426; p = 6.25, q = 3.74, gamma = 15.44).
 *
 * A customer's summary (Fader, Hardie and Lee 2005): x, the number of
 * repeat transactions (days with a transaction after the first); t_x, the
 * time of the last one since the first; T, the time from the first to the
 * end of the calibration period; zbar, the mean value of the repeat
 * transactions (0 when x = 0).
 */
#ifndef RP_ANALYTICS_CLV_H
#define RP_ANALYTICS_CLV_H

#include <stddef.h>
#include "core/error.h"

typedef struct an_rfx {
    double x, t_x, T, zbar;
} an_rfx;

typedef struct an_bgnbd {
    double r, alpha, a, b;
    double ll;                     /* log-likelihood at the estimates */
    int iterations;
} an_bgnbd;

typedef struct an_gg {
    double p, q, gamma;
    double ll;
    size_t customers;              /* those with x > 0 that the fit used */
    int iterations;
} an_gg;

/* Maximum likelihood by Nelder-Mead over the logs of the parameters
 * (GSL), from several starts.  RP_INVAL when there is nothing to fit (no
 * customer, or no repeat transaction at all), RP_NUMERIC when no start
 * converges. */
int an_bgnbd_fit(const an_rfx *c, size_t n, an_bgnbd *out, rp_error *err) RP_WARN_UNUSED;
double an_bgnbd_ll(const an_bgnbd *m, const an_rfx *c, size_t n);
/* P(alive | x, t_x, T). */
double an_bgnbd_p_alive(const an_bgnbd *m, const an_rfx *c);
/* E[Y(t) | x, t_x, T]: expected transactions in the next t weeks. */
double an_bgnbd_expected(const an_bgnbd *m, const an_rfx *c, double t);
/* E[X(t)]: expected repeat transactions of a new customer in t weeks. */
double an_bgnbd_expected_new(const an_bgnbd *m, double t);
/* P(X(t) = x) for a new customer. */
double an_bgnbd_p_count(const an_bgnbd *m, double t, int x);

/* Gamma-Gamma over the customers with x > 0 (needs at least 2 of them). */
int an_gg_fit(const an_rfx *c, size_t n, an_gg *out, rp_error *err) RP_WARN_UNUSED;
double an_gg_ll(const an_gg *m, const an_rfx *c, size_t n);
/* E[Z | x, zbar]: the expected value of this customer's transactions
 * (the population mean for x = 0). */
double an_gg_expected(const an_gg *m, const an_rfx *c);

/* Lifetime value over horizon_weeks: the expected transactions of each
 * period of period_weeks, times the expected value and the margin, each
 * discounted at rate_per_period ((1 + r)^-k for period k). */
double an_clv(const an_bgnbd *m, const an_gg *g, const an_rfx *c, double horizon_weeks, double period_weeks,
              double rate_per_period, double margin);

#endif
