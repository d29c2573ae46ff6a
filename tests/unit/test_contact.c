/* test_contact.c — Erlang C against the textbook case and an independent summation, the agents a
 * target needs, and the simulator: every call ended once, the same from the same seed, agreeing with
 * Erlang C within a percentage point on the textbook case, and behaving as a centre does when callers
 * give up and shifts change. */
#include "testutil.h"

#include <math.h>
#include <string.h>
#include "contact/contact.h"

/* 100 calls in 30 minutes, 180 s each, 14 agents, 20 s: the textbook's 0.8884 and 7.84 s. */
static void erlang_c_textbook(void **state)
{
    (void)state;
    cc_erlang e;
    rp_error err = RP_ERROR_INIT;
    assert_ok(cc_erlang_c(100, 1800, 180, 14, 20, &e, &err));
    assert_true(fabs(e.traffic - 10) < 1e-12);
    assert_true(fabs(e.service_level - 0.8884) < 0.00005);
    assert_true(fabs(e.asa - 7.84) < 0.005);
    assert_true(fabs(e.occupancy - 10.0 / 14) < 1e-12);
    /* the probability of waiting by the sum of Poisson terms, computed independently */
    double a = 10, s = 0, t = 1;
    for (int k = 0; k < 14; k++) {
        s += t;
        t *= a / (k + 1);
    }
    double last = t * 14 / (14 - a);
    assert_true(fabs(e.p_wait - last / (s + last)) < 1e-12);
    /* a large centre stays exact: 900 Erlangs on 950 agents */
    assert_ok(cc_erlang_c(18000, 3600, 180, 950, 20, &e, &err));
    assert_true(e.p_wait > 0 && e.p_wait < 1 && e.service_level > 0.5 && isfinite(e.asa));
    /* fewer agents than Erlangs: the queue grows without end */
    assert_ok(cc_erlang_c(100, 1800, 180, 10, 20, &e, &err));
    assert_true(e.p_wait == 1 && e.service_level == 0 && isinf(e.asa));
    assert_int_equal(cc_erlang_c(-1, 1800, 180, 14, 20, &e, &err), RP_INVAL);
    assert_string_equal(err.msg, "calls: a number above 0, not -1");
    assert_int_equal(cc_erlang_c(100, 1800, 180, 0, 20, &e, &err), RP_INVAL);
}

static void agents_for_a_target(void **state)
{
    (void)state;
    cc_erlang e;
    rp_error err = RP_ERROR_INIT;
    int n = 0;
    /* the fewest agents for 80 % in 20 s: one fewer falls short; 85 % takes the textbook's 14 */
    assert_ok(cc_erlang_agents(100, 1800, 180, 20, 0.80, 0, 100, &n, &e, &err));
    cc_erlang below;
    assert_ok(cc_erlang_c(100, 1800, 180, n - 1, 20, &below, &err));
    assert_true(e.service_level >= 0.80 && below.service_level < 0.80);
    assert_ok(cc_erlang_agents(100, 1800, 180, 20, 0.85, 0, 100, &n, &e, &err));
    assert_int_equal(n, 14);
    assert_ok(cc_erlang_agents(100, 1800, 180, 20, 0.80, 5, 100, &n, &e, &err)); /* and ASA at most 5 s */
    assert_true(e.asa <= 5 && e.service_level >= 0.8);
    assert_int_equal(cc_erlang_agents(100, 1800, 180, 20, 0.80, 0, 11, &n, &e, &err), RP_NOTFOUND);
    assert_int_equal(cc_erlang_agents(100, 1800, 180, 20, 1.5, 0, 100, &n, &e, &err), RP_INVAL);
}

static cc_sim_in textbook(int intervals, uint64_t seed)
{
    cc_sim_in in = { .intervals = intervals, .interval_s = 1800, .aht_s = 180, .target_s = 20, .seed = seed };
    for (int k = 0; k < intervals; k++)
        in.calls[k] = 100, in.agents[k] = 14;
    return in;
}

/* Erlang C's assumptions in the simulator: its service level within a percentage point of 0.8884 over
 * 96 half hours (9,600 calls, each seed), every call ended once, the same again from the same seed. */
static void simulator_agrees_with_erlang_c(void **state)
{
    (void)state;
    static cc_sim_out out, again;
    rp_error err = RP_ERROR_INIT;
    double sl = 0, asa = 0;
    int64_t offered = 0;
    for (uint64_t seed = 1; seed <= 5; seed++) {
        cc_sim_in in = textbook(96, seed);
        assert_ok(cc_simulate(&in, &out, &err));
        assert_int_equal(out.unended, 0);
        assert_int_equal(out.all.answered + out.all.abandoned, out.all.offered);
        assert_int_equal(out.all.abandoned, 0);
        sl += (double)out.all.within_target / (double)out.all.offered;
        asa += out.all.wait_sum_s / (double)out.all.answered;
        offered += out.all.offered;
    }
    sl /= 5, asa /= 5;
    print_message("simulated 5 x 96 half hours (%lld calls): service level %.4f (Erlang C 0.8884), ASA %.2f s (7.84)\n",
                  (long long)offered, sl, asa);
    assert_true(fabs(sl - 0.8884) < 0.01);
    assert_true(fabs(asa - 7.84) < 1.0);
    assert_true(offered > 45000 && offered < 51000);
    cc_sim_in in = textbook(96, 3);
    assert_ok(cc_simulate(&in, &out, &err));
    assert_ok(cc_simulate(&in, &again, &err));
    assert_int_equal(out.all.within_target, again.all.within_target);
    assert_true(out.all.wait_sum_s == again.all.wait_sum_s);
}

/* Callers who give up, a shift that shrinks: every call still ends once; fewer agents, a worse service. */
static void simulator_patience_and_shifts(void **state)
{
    (void)state;
    static cc_sim_out out;
    rp_error err = RP_ERROR_INIT;
    cc_sim_in in = textbook(8, 11);
    in.patience_s = 60;
    for (int k = 4; k < 8; k++)
        in.agents[k] = 9; /* under the traffic: the queue grows, callers give up */
    in.handle = CC_HANDLE_LOGNORMAL, in.handle_cv = 0.6;
    assert_ok(cc_simulate(&in, &out, &err));
    assert_int_equal(out.unended, 0);
    assert_int_equal(out.all.answered + out.all.abandoned, out.all.offered);
    int64_t ab_early = 0, ab_late = 0, in_early = 0, in_late = 0;
    for (int k = 0; k < 8; k++) {
        *(k < 4 ? &ab_early : &ab_late) += out.interval[k].abandoned;
        *(k < 4 ? &in_early : &in_late) += out.interval[k].within_target;
    }
    assert_true(ab_late > ab_early && in_late < in_early);
    /* nobody on duty and nobody gives up: the calls cannot end, and that is said */
    cc_sim_in none = textbook(2, 5);
    none.agents[0] = none.agents[1] = 0;
    assert_ok(cc_simulate(&none, &out, &err));
    assert_int_equal(out.unended, out.all.offered);
    /* bad input named */
    cc_sim_in bad = textbook(2, 5);
    bad.calls[1] = -3;
    assert_int_equal(cc_simulate(&bad, &out, &err), RP_INVAL);
    assert_string_equal(err.msg, "calls[1]: 0 to 10,000,000, not -3");
    bad = textbook(0, 5);
    assert_int_equal(cc_simulate(&bad, &out, &err), RP_INVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(erlang_c_textbook),
        cmocka_unit_test(agents_for_a_target),
        cmocka_unit_test(simulator_agrees_with_erlang_c),
        cmocka_unit_test(simulator_patience_and_shifts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
