/*
 * optimise — offer optimisation at a million customers x 20 offers (issue 24 item 5).
 *
 * A score matrix of CUSTOMERS x OFFERS (the probability of each take-up: long-tailed, a sixteenth of
 * the pairs not eligible), offer values and costs, four channels and 200 branches; level 4 under a
 * budget, a maximum per offer, minimums for three offers, a capacity on the call-centre channel and a
 * cap per branch.  Side by side in one run: the greedy assignment (what a marketer's spreadsheet or a
 * rule engine does: the most valuable pair first while everything fits) and Rapport's Lagrangian
 * relaxation; the objective of each, the relaxation's upper bound (so how far from the optimum at
 * most), the time of each and the ratio.  --exact N also solves N customers exactly with GLPK to show
 * the Lagrangian method's distance from the proven optimum there.
 *
 * usage: build/bench/optimise [--customers N] [--offers K] [--exact N]
 */
#include "marketing/marketing.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint64_t next(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return rng;
}

static const char *const names[] = { "O01", "O02", "O03", "O04", "O05", "O06", "O07", "O08", "O09", "O10", "O11",
                                     "O12", "O13", "O14", "O15", "O16", "O17", "O18", "O19", "O20", "O21", "O22",
                                     "O23", "O24", "O25", "O26", "O27", "O28", "O29", "O30", "O31", "O32" };
static const char *const channels[] = { "email", "sms", "outbound_call", "direct_mail", "", "", "", "" };

static int run(size_t n, int k, int method, mk_opt_result *r)
{
    float *sc = malloc(sizeof(float) * n * (size_t)k);
    int *grp = malloc(sizeof(int) * n);
    if (!sc || !grp)
        return 1;
    rng = 0x2545F4914F6CDD1Dull;
    double value[32], cost[32];
    int channel[32];
    for (int j = 0; j < k; j++)
        value[j] = 200 + (double)(next() % 2000), cost[j] = 5 + (double)(next() % 32), channel[j] = j % 4;
    for (size_t i = 0; i < n; i++) {
        grp[i] = (int)(i % 200);
        for (int j = 0; j < k; j++) {
            uint64_t x = next();
            double u = (double)(x >> 11) / 9007199254740992.0;
            sc[i * (size_t)k + (size_t)j] = (x & 15) == 0 ? -1.0f : (float)(0.15 * u * u * u);
        }
    }
    mk_opt p = { .n = n, .k = k, .score = sc, .value = value, .cost = cost, .channel = channel, .names = names,
                 .channel_names = channels, .level = 4, .per_customer = 1, .budget = 6.0 * (double)n,
                 .group = grp, .ngroups = 200, .group_max = (int64_t)(n / 200 * 3 / 10), .method = method };
    for (int j = 0; j < k; j++)
        p.max[j] = (int64_t)(n / 40), p.min[j] = j < 3 ? (int64_t)(n / 200) : 0;
    p.capacity[2] = (int64_t)(n / 25);
    rp_error e = RP_ERROR_INIT;
    int rc = mk_optimise(&p, r, &e);
    if (rc)
        fprintf(stderr, "bench/optimise: %s\n", e.msg);
    free(sc), free(grp);
    return rc != 0;
}

int main(int argc, char **argv)
{
    size_t n = 1000000, exact = 0;
    int k = 20;
    for (int a = 1; a + 1 < argc; a += 2) {
        if (!strcmp(argv[a], "--customers"))
            n = strtoull(argv[a + 1], NULL, 10);
        else if (!strcmp(argv[a], "--offers"))
            k = atoi(argv[a + 1]);
        else if (!strcmp(argv[a], "--exact"))
            exact = strtoull(argv[a + 1], NULL, 10);
    }
    if (k < 1 || k > 32 || n < 200) {
        fprintf(stderr, "usage: build/bench/optimise [--customers N (200 or more)] [--offers K (1-32)] [--exact N]\n");
        return 2;
    }
    mk_opt_result g, l;
    if (run(n, k, MK_OPT_GREEDY, &g) || run(n, k, MK_OPT_LAGRANGE, &l))
        return 1;
    printf("customers %zu x offers %d, level 4 (budget, offer limits, 3 minimums, call capacity, 200 branch caps)\n",
           n, k);
    printf("greedy                 objective %14.1f  %7.2f s\n", g.objective, g.seconds);
    printf("rapport (Lagrangian)   objective %14.1f  %7.2f s  upper bound %.1f, gap %.3f%%, %d iterations\n",
           l.lagrangian, l.seconds, l.bound, 100 * (l.bound - l.lagrangian) / l.bound, l.iterations);
    printf("rapport keeps          objective %14.1f  (%s), within %.3f%% of the optimum\n", l.objective, l.method,
           100 * l.gap);
    printf("rapport / greedy: objective %+.2f%%, time %.1fx\n", 100 * (l.lagrangian / g.objective - 1),
           g.seconds > 0 ? l.seconds / g.seconds : 0);
    mk_opt_result_free(&g), mk_opt_result_free(&l);
    if (exact) {
        mk_opt_result x, y;
        if (run(exact, k, MK_OPT_EXACT, &x) || run(exact, k, MK_OPT_LAGRANGE, &y))
            return 1;
        printf("at %zu customers: exact (GLPK) %.1f in %.2f s (gap %.4f%%); Lagrangian %.1f in %.2f s: %.3f%% below\n",
               exact, x.objective, x.seconds, 100 * x.gap, y.objective, y.seconds,
               100 * (1 - y.objective / x.objective));
        mk_opt_result_free(&x), mk_opt_result_free(&y);
    }
    return 0;
}
