/* Unit tests of the analytics algorithms: BG/NBD and Gamma-Gamma against
 * the published CDNOW estimates, RFM and Pareto against values worked out
 * by hand. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/clv.h"
#include "analytics/change.h"
#include "analytics/cluster.h"
#include "analytics/quality.h"
#include "analytics/segment.h"
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


/* ---- pyramid levels ---- */

static void pyramid_levels_parse_and_assign(void **state)
{
    (void)state;
    an_pyramid py;
    rp_error e = RP_ERROR_INIT;
    static const struct {
        const char *spec, *msg;
    } bad[] = {
        { "top:1%", "pyramid: 'top:1%': at least two levels, the last without a share or threshold (it takes the rest)" },
        { "top:1%,big:100,small", "pyramid: levels mix shares and thresholds; use one or the other" },
        { "top:50%,big:50%,small", "pyramid: the shares add up to 100%, leaving nothing for 'small'" },
        { "top:abc,small", "pyramid: level 'top': 'abc' is not a share (1%) or an amount" },
        { "top:10,big:20,small", "pyramid: level 'big': threshold 20 is not below the level above it" },
        { "top:1%,top:2%,small", "pyramid: level 'top' is named twice" },
        { "inactive:1%,small", "pyramid: 'inactive' is the level of customers without transactions; name the others differently" },
        { "top,big:2%,small", "pyramid: level 'top' has no share or threshold, and only the last level may take the rest" },
        { "top:0%,small", "pyramid: level 'top': share 0% is not between 0 and 100" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(an_pyramid_parse(bad[i].spec, 2, &py, &e), RP_INVAL);
        assert_string_equal(rp_errmsg(&e), bad[i].msg);
    }
    /* ten active customers valued 10..1 and two inactive: 10 % top, 20 % big, the rest small */
    assert_ok(an_pyramid_parse("top:10%, big:20%, small", 2, &py, &e));
    assert_int_equal(py.nlevels, 4);
    int64_t v[12] = { 3, 10, 1, 9, 2, 8, 7, 6, 5, 4, 0, 0 };
    uint8_t act[12] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0 }, lv[12];
    assert_ok(an_pyramid_assign(&py, v, act, 12, lv, &e));
    static const uint8_t want[12] = { 2, 0, 2, 1, 2, 1, 2, 2, 2, 2, 3, 3 };
    assert_memory_equal(lv, want, 12);
    assert_int_equal(py.level[0].sum, 10);
    assert_int_equal(py.level[1].sum, 17);
    assert_int_equal(py.level[2].customers, 7);
    assert_int_equal(py.level[2].min, 1);
    assert_int_equal(py.level[3].customers, 2);
    /* thresholds in currency units: 0.05 and 0.02 are 5 and 2 minor units */
    assert_ok(an_pyramid_parse("gold:0.05,silver:0.02,rest", 2, &py, &e));
    assert_ok(an_pyramid_assign(&py, v, act, 12, lv, &e));
    assert_int_equal(py.level[0].customers, 6);  /* 10, 9, 8, 7, 6, 5 */
    assert_int_equal(py.level[1].customers, 3);  /* 4, 3, 2 */
    assert_int_equal(py.level[2].customers, 1);  /* 1 */
}

/* ---- gains and losses, migration, rules ---- */

static void gains_and_losses_table_by_hand(void **state)
{
    (void)state;
    /* prev, cur, prev_n, cur_n, recency, ever_before */
    an_gl_in in[] = {
        { 1000, 1050, 2, 2, 3, 1 },  /* same (within 10 %) */
        { 1000, 2000, 1, 3, 1, 1 },  /* more */
        { 1000, 400, 4, 1, 20, 1 },  /* less: 400 actual, 600 lost */
        { 0, 500, 0, 1, 5, 0 },      /* new */
        { 0, 300, 0, 2, 2, 1 },      /* returning */
        { 700, 0, 2, 0, 45, 1 },     /* lapsed */
        { 0, 0, 0, 0, -1, 1 },       /* none */
    };
    an_gl_table t;
    an_gl_class cls[7];
    rp_error e = RP_ERROR_INIT;
    assert_ok(an_gains_losses(in, 7, 0.10, &t, cls, &e));
    static const an_gl_class want[7] = { AN_GL_SAME, AN_GL_MORE, AN_GL_LESS, AN_GL_NEW, AN_GL_RETURNING,
                                         AN_GL_LAPSED, AN_GL_NONE };
    assert_memory_equal(cls, want, sizeof want);
    assert_int_equal(t.col[AN_GLC_SAME].value, 1050);
    assert_int_equal(t.col[AN_GLC_MORE].value, 2000);
    assert_int_equal(t.col[AN_GLC_ACTIVATED].value, 800);
    assert_int_equal(t.col[AN_GLC_ACTIVATED].customers, 2);
    assert_int_equal(t.col[AN_GLC_ACTIVATED].transactions, 3);
    assert_int_equal(t.col[AN_GLC_LESS_ACTUAL].value, 400);
    assert_int_equal(t.col[AN_GLC_FINAL].value, 1050 + 2000 + 800 + 400);
    assert_int_equal(t.col[AN_GLC_FINAL].customers, 5);
    assert_int_equal(t.col[AN_GLC_LESS_LOST].value, 600);
    assert_int_equal(t.col[AN_GLC_LESS_LOST].transactions, 3);
    assert_int_equal(t.col[AN_GLC_LAPSED].value, 700);
    assert_int_equal(t.col[AN_GLC_POTENTIAL].value, 4250 + 600 + 700);
    assert_int_equal(t.col[AN_GLC_POTENTIAL].customers, 6);
    assert_true(fabs(t.col[AN_GLC_FINAL].recency_days - (3 + 1 + 20 + 5 + 2) / 5.0) < 1e-12);
    assert_int_equal(an_gains_losses(in, 7, 1.5, &t, NULL, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "gains and losses: tolerance 1.5 is not from 0 to under 1");
}

static void migration_and_its_rules(void **state)
{
    (void)state;
    uint8_t from[6] = { 0, 0, 1, 1, 1, 2 }, to[6] = { 0, 1, 1, 1, 0, 2 };
    int64_t val[6] = { 10, 20, 30, 40, 50, 60 };
    an_matrix m;
    rp_error e = RP_ERROR_INIT;
    assert_ok(an_migration(from, to, val, 6, 3, &m, &e));
    assert_int_equal(m.count[0 * 3 + 0], 1);
    assert_int_equal(m.count[0 * 3 + 1], 1);
    assert_int_equal(m.count[1 * 3 + 1], 2);
    assert_int_equal(m.value[1 * 3 + 1], 70);
    assert_int_equal(m.count[1 * 3 + 0], 1);
    an_matrix_free(&m);
    to[5] = 3;
    assert_int_equal(an_migration(from, to, val, 6, 3, &m, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "migration: customer 5 is in group 3, of 3");
    /* 100 customers; feature 0 on the first 40, of whom 30 leave (all the even
     * ones); feature 1 on the even ones; 10 of the other 60 leave (90..99).
     * Base rate 40 %.  Features 0 and 1: 20 of 20, lift 2.5; feature 0: 30 of
     * 40, lift 1.875; feature 1: 25 of 50, lift 1.25. */
    uint32_t f[100];
    uint8_t pop[100], tgt[100];
    for (int i = 0; i < 100; i++) {
        f[i] = (i < 40 ? 1u : 0u) | (i % 2 == 0 ? 2u : 0u);
        pop[i] = 1;
        tgt[i] = i < 40 ? (i % 4 != 3) : (i >= 90);
    }
    an_rule r[4];
    int nr;
    double base;
    assert_ok(an_rules_mine(f, 2, pop, tgt, 100, 10, r, 4, &nr, &base, &e));
    assert_true(fabs(base - 0.4) < 1e-12);
    assert_int_equal(nr, 3);
    static const struct { int f1, f2; size_t sup, hits; double lift; } want[3] = {
        { 0, 1, 20, 20, 2.5 }, { 0, -1, 40, 30, 1.875 }, { 1, -1, 50, 25, 1.25 } };
    for (int i = 0; i < 3; i++) {
        assert_int_equal(r[i].f1, want[i].f1);
        assert_int_equal(r[i].f2, want[i].f2);
        assert_int_equal(r[i].support, want[i].sup);
        assert_int_equal(r[i].hits, want[i].hits);
        assert_true(fabs(r[i].lift - want[i].lift) < 1e-12);
    }
    /* too little support: nothing */
    assert_ok(an_rules_mine(f, 2, pop, tgt, 100, 51, r, 4, &nr, &base, &e));
    assert_int_equal(nr, 0);
}

/* ---- segment expressions ---- */

typedef struct row {
    double age, profit;
    const char *level;
} row;

static an_value_cell get_row(void *ctx, size_t i, int attr)
{
    row *r = (row *)ctx + i;
    an_value_cell c = { NAN, NULL };
    if (attr == AN_A_AGE)
        c.num = r->age;
    else if (attr == AN_A_PROFIT)
        c.num = r->profit;
    else if (attr == AN_A_LEVEL)
        c.str = r->level;
    return c;
}

static int eval_on(const char *text, row *rows, size_t i)
{
    an_expr *x;
    rp_error e = RP_ERROR_INIT;
    if (an_expr_parse(text, "t", 1, &x, &e))
        fail_msg("%s: %s", text, rp_errmsg(&e));
    int v = an_expr_eval(x, get_row, rows, i);
    an_expr_free(x);
    return v;
}

static void segment_expressions(void **state)
{
    (void)state;
    row rows[2] = { { 45, 1200, "top" }, { NAN, -5, "small" } };
    assert_true(eval_on("age >= 30 and profit > 1000", rows, 0));
    assert_true(eval_on("level in ('top', 'big')", rows, 0));
    assert_false(eval_on("level not in ('top', 'big')", rows, 0));
    assert_true(eval_on("age between 40 and 50 or false", rows, 0));
    assert_true(eval_on("profit / 2 + 1 = 601 and -profit < 0", rows, 0));
    assert_true(eval_on("NOT (level = 'small')", rows, 0));
    /* an unknown age makes every comparison, and its negation, false */
    assert_false(eval_on("age < 30", rows, 1));
    assert_false(eval_on("age >= 30", rows, 1));
    assert_false(eval_on("not (age >= 30)", rows, 1));
    assert_true(eval_on("age < 30 or profit < 0", rows, 1));
    assert_false(eval_on("profit / 0 = 1", rows, 0));
    static const struct {
        const char *text, *msg;
    } bad[] = {
        { "agee > 3", "t:1:1: unknown attribute 'agee' (`rapport analyze attributes` lists them)" },
        { "level > 3", "t:1:7: '>' compares a text with a number" },
        { "age in ('a')", "t:1:9: the list holds a text where a number is expected" },
        { "age > 3 and", "t:1:12: an attribute, a number or a text expected at the end" },
        { "(age > 3", "t:1:9: ')' expected" },
        { "level", "t:1:1: a text is not a condition; compare it, e.g. level = 'top'" },
        { "level = 'top", "t:1:9: text not closed" },
        { "age > 3 3", "t:1:9: unexpected '3' after the expression" },
        { "age > 12x", "t:1:7: '12x' is not a number" },
        { "age between 1 or 2", "t:1:15: 'and' expected in 'between ... and ...'" },
        { "", "t:1: the expression is empty" },
        { "score('churn') > 0.5", "t:1:1: score(): a model's scores are read in a segment file, not here" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        an_expr *x;
        rp_error e = RP_ERROR_INIT;
        assert_int_equal(an_expr_parse(bad[i].text, "t", 1, &x, &e), RP_PARSE);
        assert_string_equal(rp_errmsg(&e), bad[i].msg);
        assert_null(x);
    }
    /* a segment set: overlaps and gaps come back with examples */
    an_segment_set set;
    rp_error e = RP_ERROR_INIT;
    assert_ok(an_segments_parse("# rules\nold = age >= 40\n\nrich = profit > 100\n", "s.txt", &set, &e));
    int16_t seg[2];
    an_segment_check chk;
    assert_ok(an_segments_assign(&set, get_row, rows, 2, seg, &chk, &e));
    assert_int_equal(seg[0], -2);
    assert_int_equal(seg[1], -1);
    assert_int_equal(chk.gaps, 1);
    assert_int_equal(chk.gap_example[0], 1);
    assert_int_equal(chk.overlap[0 * 2 + 1], 1);
    assert_int_equal(chk.overlap_example[(0 * 2 + 1) * AN_SEG_EXAMPLES], 0);
    an_segment_check_free(&chk);
    an_segments_free(&set);
    assert_int_equal(an_segments_parse("a = age > 1\na = age < 1\n", "s.txt", &set, &e), RP_PARSE);
    assert_string_equal(rp_errmsg(&e), "s.txt:2: segment 'a' is defined twice");
    assert_int_equal(an_segments_parse("a = else\nb = else\n", "s.txt", &set, &e), RP_PARSE);
    assert_string_equal(rp_errmsg(&e), "s.txt:2: only one segment may be 'else'");
    assert_int_equal(an_segments_parse("just words\n", "s.txt", &set, &e), RP_PARSE);
    assert_string_equal(rp_errmsg(&e), "s.txt:1: 'name = expression' expected");
    assert_int_equal(an_segments_parse("a = age >\n", "s.txt", &set, &e), RP_PARSE);
    assert_string_equal(rp_errmsg(&e), "s.txt:1:10: an attribute, a number or a text expected at the end");
    /* a model's scores: each model named once in the set, its score and decile two attributes past
     * the others', read through the accessor (null where the scoring did not reach) */
    assert_ok(an_segments_parse("hot = score('churn') > 0.5 and score_decile(\"churn\") <= 2\n"
                                "warm = score_decile('resp') between 1 and 3 and score('churn') <= 0.5\nrest = else\n",
                                "s.txt", &set, &e));
    assert_int_equal(set.nmodels, 2);
    assert_string_equal(set.model[0], "churn");
    assert_string_equal(set.model[1], "resp");
    an_segments_free(&set);
    assert_int_equal(an_segments_parse("a = score(churn) > 1\n", "s.txt", &set, &e), RP_PARSE);
    assert_string_equal(rp_errmsg(&e), "s.txt:1:11: score('model') takes the name of a kept model, quoted");
    assert_int_equal(an_segments_parse("a = score_decile('x' < 1\n", "s.txt", &set, &e), RP_PARSE);
    assert_string_equal(rp_errmsg(&e), "s.txt:1:22: score_decile('x') wants its closing parenthesis");
}

/* ---- clustering ---- */

static void kmeans_finds_three_blobs(void **state)
{
    (void)state;
    /* three tight blobs of 30 points at (0,0), (10,0) and (0,10) */
    double x[90 * 2];
    for (int i = 0; i < 90; i++) {
        int b = i / 30;
        x[i * 2] = (b == 1 ? 10 : 0) + 0.1 * (i % 5);
        x[i * 2 + 1] = (b == 2 ? 10 : 0) + 0.1 * (i % 7);
    }
    double best = -1;
    int bestk = 0;
    double wss[5];
    rp_error e = RP_ERROR_INIT;
    for (int k = 2; k <= 6; k++) {
        an_kmeans m;
        assert_ok(an_kmeans_run(x, 90, 2, k, 7, 3, &m, &e));
        wss[k - 2] = m.wss;
        double s = an_silhouette(x, 90, 2, m.assign, k, 1000, 1);
        if (s > best)
            best = s, bestk = k;
        if (k == 3) {
            /* every blob one cluster */
            for (int b = 0; b < 3; b++)
                for (int i = b * 30; i < b * 30 + 30; i++)
                    assert_int_equal(m.assign[i], m.assign[b * 30]);
            assert_int_not_equal(m.assign[0], m.assign[30]);
            assert_int_not_equal(m.assign[0], m.assign[60]);
            assert_int_equal(m.size[m.assign[0]], 30);
        }
        an_kmeans_free(&m);
    }
    assert_int_equal(bestk, 3);
    assert_true(best > 0.9);
    assert_int_equal(an_elbow(wss, 2, 5), 3);
    /* the same seed, the same clusters */
    an_kmeans a, b;
    assert_ok(an_kmeans_run(x, 90, 2, 4, 99, 2, &a, &e));
    assert_ok(an_kmeans_run(x, 90, 2, 4, 99, 2, &b, &e));
    assert_memory_equal(a.assign, b.assign, 90 * sizeof(int));
    an_kmeans_free(&a);
    an_kmeans_free(&b);
    assert_int_equal(an_kmeans_run(x, 2, 2, 3, 1, 1, &a, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "k-means: k = 3 for 2 customers and 2 features");
    /* standardising: mean 0, sample standard deviation 1 */
    double z[4] = { 1, 2, 3, 4 }, mean, sd;
    an_standardise(z, 4, 1, &mean, &sd);
    assert_true(fabs(mean - 2.5) < 1e-12);
    assert_true(fabs(sd - sqrt(5.0 / 3.0)) < 1e-12);
    assert_true(fabs(z[0] + z[3]) < 1e-12);
}

/* ---- data quality ---- */

static void quality_counts_fields_and_duplicates(void **state)
{
    (void)state;
    an_q_row rows[5] = {
        { 0, 1u << AN_Q_NAME | 1u << AN_Q_PHONE, 7 },
        { 0, 1u << AN_Q_NAME, 7 },      /* a second host record of customer 7 */
        { 1, 1u << AN_Q_NAME, 7 },      /* the card record of customer 7: not a duplicate */
        { 1, 0, 0 },
        { 0, 1u << AN_Q_EMAIL, 9 },
    };
    an_q_source q[2];
    rp_error e = RP_ERROR_INIT;
    assert_ok(an_quality(rows, 5, 2, q, &e));
    assert_int_equal(q[0].records, 3);
    assert_int_equal(q[0].present[AN_Q_NAME], 2);
    assert_int_equal(q[0].present[AN_Q_PHONE], 1);
    assert_int_equal(q[0].present[AN_Q_EMAIL], 1);
    assert_int_equal(q[0].duplicates, 2);
    assert_int_equal(q[1].records, 2);
    assert_int_equal(q[1].duplicates, 0);
}

/* ---- the vocabulary ---- */

/* The channels and product kinds analytics names by their places are those
 * places in the warehouse's lists; the analyses are one table. */
static void channels_and_kinds_are_the_warehouses(void **state)
{
    (void)state;
    static const struct {
        int at;
        const char *name;
    } ch[] = { { AN_CH_BRANCH, "branch" }, { AN_CH_ATM, "atm" }, { AN_CH_INTERNET, "internet" },
               { AN_CH_MOBILE, "mobile" }, { AN_CH_PHONE, "phone" }, { AN_CH_POS, "pos" }, { AN_CH_BATCH, "batch" } },
      kind[] = { { AN_K_DEPOSIT, "deposit" }, { AN_K_TIME_DEPOSIT, "time_deposit" }, { AN_K_LOAN, "loan" },
                 { AN_K_CARD, "card" }, { AN_K_INVESTMENT, "investment" }, { AN_K_INSURANCE, "insurance" },
                 { AN_K_SERVICE, "service" } };
    for (size_t i = 0; i < sizeof ch / sizeof ch[0]; i++)
        assert_string_equal(wh_txn_channels[ch[i].at], ch[i].name);
    assert_null(wh_txn_channels[AN_NCH]);
    for (size_t i = 0; i < sizeof kind / sizeof kind[0]; i++)
        assert_string_equal(wh_product_kinds[kind[i].at], kind[i].name);
    assert_null(wh_product_kinds[AN_NKIND]);
    assert_string_equal(an_q_fields[AN_Q_INCOME], "income_band");
    assert_string_equal(an_attrs[AN_A_HOME_BRANCH].name, "home_branch");
    /* every analysis has a run function and a line of help, and the names are unique */
    assert_true(an_njobs >= 10);
    for (int i = 0; i < an_njobs; i++) {
        assert_non_null(an_jobs[i].run);
        assert_true(an_jobs[i].summary && *an_jobs[i].summary);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(an_jobs[i].name, an_jobs[j].name);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bgnbd_on_cdnow_matches_the_published_estimates),
        cmocka_unit_test(gamma_gamma_on_cdnow_matches_the_published_estimates),
        cmocka_unit_test(fitting_refuses_what_is_not_a_history),
        cmocka_unit_test(rfm_scores_by_hand),
        cmocka_unit_test(pareto_by_hand),
        cmocka_unit_test(pyramid_levels_parse_and_assign),
        cmocka_unit_test(gains_and_losses_table_by_hand),
        cmocka_unit_test(migration_and_its_rules),
        cmocka_unit_test(segment_expressions),
        cmocka_unit_test(kmeans_finds_three_blobs),
        cmocka_unit_test(quality_counts_fields_and_duplicates),
        cmocka_unit_test(channels_and_kinds_are_the_warehouses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
