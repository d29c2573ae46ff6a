/* Unit tests of the analytics algorithms: BG/NBD and Gamma-Gamma against
 * the published CDNOW estimates, RFM and Pareto against values worked out
 * by hand. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/clv.h"
#include "analytics/value.h"

#define CDNOW "../shared/data/cdnow/cdnow_customers_summary_with_transactions.csv"

/* ID,x,t_x,T,zbar */
static an_rfx *read_cdnow(size_t *n)
{
    FILE *f = fopen(CDNOW, "r");
    if (!f)
        return NULL;
    char line[256];
    size_t cap = 4096;
    an_rfx *c = malloc(cap * sizeof *c);
    *n = 0;
    if (!fgets(line, sizeof line, f)) { /* the header */
        fclose(f);
        free(c);
        return NULL;
    }
    while (fgets(line, sizeof line, f)) {
        int id;
        an_rfx r;
        if (sscanf(line, "%d,%lf,%lf,%lf,%lf", &id, &r.x, &r.t_x, &r.T, &r.zbar) != 5)
            continue;
        if (*n == cap)
            c = realloc(c, (cap *= 2) * sizeof *c);
        c[(*n)++] = r;
    }
    fclose(f);
    return c;
}

static void bgnbd_on_cdnow_matches_the_published_estimates(void **state)
{
    (void)state;
    size_t n;
    an_rfx *c = read_cdnow(&n);
    if (!c) {
        printf("skipped: %s is not here (the shared data folder sits beside the project)\n", CDNOW);
        skip();
    }
    assert_int_equal(n, 2357);
    rp_error e = RP_ERROR_INIT;
    an_bgnbd m;
    assert_ok(an_bgnbd_fit(c, n, &m, &e));
    printf("BG/NBD on CDNOW: r %.4f alpha %.4f a %.4f b %.4f, log-likelihood %.2f (%d iterations)\n", m.r, m.alpha,
           m.a, m.b, m.ll, m.iterations);
    /* Fader, Hardie and Lee (2005): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4 */
    assert_true(fabs(m.r - 0.243) < 0.0005);
    assert_true(fabs(m.alpha - 4.414) < 0.0005);
    assert_true(fabs(m.a - 0.793) < 0.0005);
    assert_true(fabs(m.b - 2.426) < 0.0005);
    assert_true(fabs(m.ll - -9582.4) < 0.05);
    /* at the published parameters: the published consequences */
    an_bgnbd pub = { 0.243, 4.414, 0.793, 2.426, 0, 0 };
    an_rfx one = { 2, 30.43, 38.86, 0 };
    double e39 = an_bgnbd_expected(&pub, &one, 39);
    printf("  E[Y(39) | x=2, t_x=30.43, T=38.86] = %.4f (published 1.226)\n", e39);
    assert_true(fabs(e39 - 1.226) < 0.0005);
    /* published from the unrounded estimates: computed here from ours */
    static const double t[] = { 1, 3, 32, 78 }, want[] = { 0.0532, 0.1506, 1.0437, 1.8576 };
    for (int i = 0; i < 4; i++) {
        double got = an_bgnbd_expected_new(&m, t[i]);
        printf("  E[X(%g)] = %.4f (published %.4f)\n", t[i], got, want[i]);
        /* 78 weeks: 1.8580 here and from mpmath's hyp2f1 at these estimates (1.85793), 1.8576 published */
        assert_true(fabs(got - want[i]) < (t[i] < 50 ? 0.00005 : 0.0005));
    }
    assert_true(fabs(an_bgnbd_p_count(&pub, 39, 0) - 0.5737864) < 1e-6);
    /* the probabilities of every count add up to one */
    double sum = 0;
    for (int x = 0; x < 200; x++)
        sum += an_bgnbd_p_count(&pub, 39, x);
    assert_true(fabs(sum - 1) < 1e-6);
    /* P(alive): certain without repeat purchases; lower the longer since the last */
    an_rfx none = { 0, 0, 38.86, 0 }, recent = { 2, 38, 38.86, 0 }, long_ago = { 2, 5, 38.86, 0 };
    assert_true(an_bgnbd_p_alive(&pub, &none) == 1);
    assert_true(an_bgnbd_p_alive(&pub, &recent) > an_bgnbd_p_alive(&pub, &long_ago));
    /* the likelihood at the published parameters is the published one too */
    assert_true(fabs(an_bgnbd_ll(&pub, c, n) - -9582.4) < 0.5);
    free(c);
}

static void gamma_gamma_on_cdnow_matches_the_published_estimates(void **state)
{
    (void)state;
    size_t n;
    an_rfx *c = read_cdnow(&n);
    if (!c)
        skip();
    rp_error e = RP_ERROR_INIT;
    an_gg g;
    assert_ok(an_gg_fit(c, n, &g, &e));
    printf("Gamma-Gamma on CDNOW: p %.4f q %.4f gamma %.4f, log-likelihood %.2f over %zu customers\n", g.p, g.q,
           g.gamma, g.ll, g.customers);
    /* Fader and Hardie (2013): p = 6.25, q = 3.74, gamma = 15.44, two decimals (gamma cut, not
     * rounded, from 15.447), log-likelihood about -4055.92 */
    assert_int_equal(g.customers, 946);
    assert_true(fabs(g.p - 6.25) < 0.01);
    assert_true(fabs(g.q - 3.74) < 0.01);
    assert_true(fabs(g.gamma - 15.44) < 0.01);
    assert_true(fabs(g.ll - -4055.92) < 0.01);
    /* a customer's expected spend lies between the population mean and their own mean */
    an_rfx cust = { 2, 30.43, 38.86, 22.35 };
    double pop = g.p * g.gamma / (g.q - 1), own = an_gg_expected(&g, &cust);
    assert_true(own > (pop < 22.35 ? pop : 22.35) && own < (pop > 22.35 ? pop : 22.35));
    /* lifetime value: the sum of the discounted periods, and less with discounting */
    an_bgnbd m = { 0.243, 4.414, 0.793, 2.426, 0, 0 };
    double undiscounted = an_clv(&m, &g, &cust, 52.14, 4.345, 0, 1); /* twelve periods of a month */
    assert_true(fabs(undiscounted - an_bgnbd_expected(&m, &cust, 52.14) * own) < 1e-9 * undiscounted);
    double discounted = an_clv(&m, &g, &cust, 52.14, 4.345, 0.01, 1), by_hand = 0;
    for (int k = 1; k <= 12; k++)
        by_hand += (an_bgnbd_expected(&m, &cust, 4.345 * k) - an_bgnbd_expected(&m, &cust, 4.345 * (k - 1))) * own /
                   pow(1.01, k);
    assert_true(discounted < undiscounted);
    assert_true(fabs(discounted - by_hand) < 1e-9 * by_hand);
    free(c);
}

static void fitting_refuses_what_is_not_a_history(void **state)
{
    (void)state;
    rp_error e = RP_ERROR_INIT;
    an_bgnbd m;
    an_rfx none[2] = { { 0, 0, 10, 0 }, { 0, 0, 12, 0 } };
    assert_int_equal(an_bgnbd_fit(none, 2, &m, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "BG/NBD needs customers with repeat transactions (2 customers, 0 with any)");
    an_rfx bad[1] = { { 2, 12, 10, 5 } };
    assert_int_equal(an_bgnbd_fit(bad, 1, &m, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "customer 1: x 2, t_x 12, T 10 are not a purchase history (0 <= t_x <= T, t_x > "
                                       "0 when x > 0)");
    an_gg g;
    an_rfx one[1] = { { 2, 5, 10, 5 } };
    assert_int_equal(an_gg_fit(one, 1, &g, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "Gamma-Gamma needs at least 2 customers with repeat transactions (1)");
    an_rfx zero[2] = { { 2, 5, 10, 5 }, { 1, 3, 10, 0 } };
    assert_int_equal(an_gg_fit(zero, 2, &g, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "customer 2: 1 repeat transactions of mean value 0: the values must be positive");
}

static void rfm_scores_by_hand(void **state)
{
    (void)state;
    rp_error e = RP_ERROR_INIT;
    /* ten customers: recency 1..10 days, frequency with ties, monetary distinct */
    an_rfm_in in[10];
    static const int32_t freq[10] = { 1, 1, 1, 1, 1, 1, 2, 3, 4, 5 };
    for (int i = 0; i < 10; i++)
        in[i] = (an_rfm_in){ i + 1, freq[i], (int64_t)(i + 1) * 1000 };
    an_rfm_out out[10];
    assert_ok(an_rfm(in, 10, out, &e));
    /* recency: smaller is better, two customers a quintile: days 1-2 score 5 ... 9-10 score 1 */
    static const uint8_t r[10] = { 5, 5, 4, 4, 3, 3, 2, 2, 1, 1 };
    /* frequency: six customers tie at 1: all score 1 (none below them); 2 has six below: 1 + 30/10 = 4;
     * 3: 1 + 35/10 = 4; 4: 1 + 40/10 = 5; 5: 1 + 45/10 = 5 */
    static const uint8_t f[10] = { 1, 1, 1, 1, 1, 1, 4, 4, 5, 5 };
    static const uint8_t mo[10] = { 1, 1, 2, 2, 3, 3, 4, 4, 5, 5 };
    for (int i = 0; i < 10; i++) {
        assert_int_equal(out[i].r, r[i]);
        assert_int_equal(out[i].f, f[i]);
        assert_int_equal(out[i].m, mo[i]);
        assert_int_equal(out[i].cell, r[i] * 100 + f[i] * 10 + mo[i]);
    }
    assert_ok(an_rfm(in, 0, out, &e));
}

static void pareto_by_hand(void **state)
{
    (void)state;
    rp_error e = RP_ERROR_INIT;
    /* ten customers: one gives 910, the others 10 each: total 1000 */
    int64_t v[10] = { 10, 10, 910, 10, 10, 10, 10, 10, 10, 10 };
    an_pareto p;
    assert_ok(an_pareto_compute(v, 10, &p, &e));
    assert_int_equal(p.total, 1000);
    assert_true(fabs(p.cum_share[10] - 0.91) < 1e-12);
    assert_true(fabs(p.top20_share - 0.92) < 1e-12);
    assert_true(fabs(p.cum_share[100] - 1) < 1e-12);
    assert_true(fabs(p.cum_share[5] - 0.455) < 1e-12); /* half of the top customer */
    assert_true(fabs(p.breakpoint[0] - 0.1) < 1e-12);  /* 50 %: the top customer alone */
    assert_true(fabs(p.breakpoint[1] - 0.1) < 1e-12);  /* 80 % too */
    assert_true(fabs(p.breakpoint[2] - 0.1) < 1e-12);  /* 90 %: 910 */
    assert_true(fabs(p.breakpoint[3] - 0.5) < 1e-12);  /* 95 %: 910 + 4 x 10 */
    assert_int_equal(p.decile[0].sum, 910);
    assert_int_equal(p.decile[9].sum, 10);
    assert_int_equal(p.decile[0].customers, 1);
    /* a customer who costs money: the curve passes 100 % before it ends */
    int64_t w[4] = { 100, 50, -50, 0 };
    assert_ok(an_pareto_compute(w, 4, &p, &e));
    assert_int_equal(p.total, 100);
    assert_true(fabs(p.cum_share[50] - 1.5) < 1e-12);
    assert_true(fabs(p.cum_share[100] - 1) < 1e-12);
    assert_true(fabs(p.breakpoint[0] - 0.25) < 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bgnbd_on_cdnow_matches_the_published_estimates),
        cmocka_unit_test(gamma_gamma_on_cdnow_matches_the_published_estimates),
        cmocka_unit_test(fitting_refuses_what_is_not_a_history),
        cmocka_unit_test(rfm_scores_by_hand),
        cmocka_unit_test(pareto_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
