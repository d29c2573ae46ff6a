/* erlang.c — Erlang C: the probability that a call waits, the service level, the average speed of
 * answer, and the fewest agents for a target.  The Erlang B recursion B(k) = A B(k-1) / (k + A B(k-1))
 * keeps every term bounded (no factorials or powers of A), so a thousand agents are as exact as ten;
 * C = N B / (N - A (1 - B)).  See contact.h. */
#include "contact/contact.h"

#include <math.h>

static int positive(const char *what, double v, rp_error *err)
{
    if (!(v > 0) || !isfinite(v))
        return rp_err(err, RP_INVAL, "%s: a number above 0, not %g", what, v);
    return RP_OK;
}

int cc_erlang_c(double calls, double interval_s, double aht_s, int agents, double target_s, cc_erlang *out,
                rp_error *err)
{
    int rc;
    if ((rc = positive("calls", calls, err)) || (rc = positive("interval", interval_s, err)) ||
        (rc = positive("aht", aht_s, err)))
        return rc;
    if (agents < 1 || agents > 1000000)
        return rp_err(err, RP_INVAL, "agents: 1 to 1,000,000, not %d", agents);
    if (!(target_s >= 0) || !isfinite(target_s))
        return rp_err(err, RP_INVAL, "target: a number of seconds, 0 or more, not %g", target_s);
    double a = calls * aht_s / interval_s;
    out->traffic = a;
    out->occupancy = a / agents;
    if (agents <= a) { /* more work than agents: the queue grows without end */
        out->p_wait = 1;
        out->service_level = 0;
        out->asa = INFINITY;
        return RP_OK;
    }
    double b = 1;
    for (int k = 1; k <= agents; k++)
        b = a * b / (k + a * b);
    double c = agents * b / (agents - a * (1 - b));
    out->p_wait = c;
    out->service_level = 1 - c * exp(-(agents - a) * target_s / aht_s);
    out->asa = c * aht_s / (agents - a);
    return RP_OK;
}

int cc_erlang_agents(double calls, double interval_s, double aht_s, double target_s, double service_level,
                     double max_asa_s, int max_agents, int *agents, cc_erlang *out, rp_error *err)
{
    if (!(service_level > 0 && service_level < 1))
        return rp_err(err, RP_INVAL, "service level: a fraction between 0 and 1, not %g", service_level);
    if (max_agents < 1 || max_agents > 1000000)
        return rp_err(err, RP_INVAL, "most agents: 1 to 1,000,000, not %d", max_agents);
    cc_erlang e;
    int rc = cc_erlang_c(calls, interval_s, aht_s, 1, target_s, &e, err);
    if (rc)
        return rc;
    for (int n = (int)floor(e.traffic) + 1; n <= max_agents; n++) {
        if ((rc = cc_erlang_c(calls, interval_s, aht_s, n, target_s, &e, err)))
            return rc;
        if (e.service_level >= service_level && (max_asa_s <= 0 || e.asa <= max_asa_s)) {
            *agents = n;
            *out = e;
            return RP_OK;
        }
    }
    return rp_err(err, RP_NOTFOUND, "%d agents do not reach a service level of %.1f %% in %g s (traffic %.1f Erlangs)",
                  max_agents, 100 * service_level, target_s, e.traffic);
}
