/* scores.c — a customer's latest scores, read from the analyses' own
 * tables (migration 0005).  See analytics.h. */
#include "analytics/internal.h"
#include "core/json.h"

#include <string.h>

/* The latest result of each analysis that scores customers one by one:
 * value (with its decile and pyramid level), RFM, CLV, and the segment of
 * each analysis that assigns them (segment, cluster, migration, gains and
 * losses).  Every ? is the customer. */
#define SCORES_SQL \
    "SELECT r.job AS analysis, r.id AS run, r.as_of, json_object('revenue_minor', v.revenue_minor, " \
    "'cost_minor', v.cost_minor, 'profit_minor', v.profit_minor, 'decile', v.decile, 'level', v.level) " \
    "AS result FROM customer_value v JOIN analysis_run r ON r.id = v.run_id WHERE v.customer_id = ? " \
    "AND v.run_id = (SELECT max(run_id) FROM customer_value WHERE customer_id = ?) " \
    "UNION ALL SELECT r.job, r.id, r.as_of, json_object('recency_days', f.recency_days, 'frequency', " \
    "f.frequency, 'monetary_minor', f.monetary_minor, 'r', f.r, 'f', f.f, 'm', f.m, 'cell', f.cell) " \
    "FROM customer_rfm f JOIN analysis_run r ON r.id = f.run_id WHERE f.customer_id = ? " \
    "AND f.run_id = (SELECT max(run_id) FROM customer_rfm WHERE customer_id = ?) " \
    "UNION ALL SELECT r.job, r.id, r.as_of, json_object('p_alive', c.p_alive, 'expected', c.expected, " \
    "'expected_value', c.expected_value, 'clv_minor', c.clv_minor) FROM customer_clv c " \
    "JOIN analysis_run r ON r.id = c.run_id WHERE c.customer_id = ? " \
    "AND c.run_id = (SELECT max(run_id) FROM customer_clv WHERE customer_id = ?) " \
    "UNION ALL SELECT r.job, r.id, r.as_of, json_object('segment', s.segment) FROM customer_segment s " \
    "JOIN analysis_run r ON r.id = s.run_id WHERE s.customer_id = ? AND s.run_id IN " \
    "(SELECT max(s2.run_id) FROM customer_segment s2 JOIN analysis_run r2 ON r2.id = s2.run_id " \
    "WHERE s2.customer_id = ? GROUP BY r2.job)"

/* The results are kept as JSON text: objects, with the money in words
 * beside each amount in minor units. */
static json_t *result_of(const char *text)
{
    json_t *r = text ? json_loads(text, 0, NULL) : NULL;
    if (!r)
        return text ? json_string(text) : json_null();
    static const char *const minor[][2] = { { "revenue_minor", "revenue" }, { "cost_minor", "cost" },
                                            { "profit_minor", "profit" }, { "monetary_minor", "monetary" },
                                            { "clv_minor", "clv" } };
    for (size_t k = 0; k < sizeof minor / sizeof minor[0]; k++) {
        json_t *m = json_object_get(r, minor[k][0]);
        if (json_is_integer(m)) {
            char buf[64];
            wh_money_format(json_integer_value(m), "TWD", buf, sizeof buf);
            rp_json_set_str(r, minor[k][1], buf);
        }
    }
    return r;
}

static json_t *text_or_null(const char *s) { return s ? json_string(s) : json_null(); }

int an_scores(wh *w, int64_t customer, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), SCORES_SQL, &st, err);
    if (rc)
        return rc;
    int n = 0;
    for (const char *p = SCORES_SQL; (p = strchr(p, '?')); p++)
        rp_stmt_bind_int(st, ++n, customer);
    json_t *arr = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        json_array_append_new(arr, json_pack("{s:o, s:I, s:o, s:o}", "analysis", text_or_null(rp_stmt_text(st, 0)),
                                             "run", (json_int_t)rp_stmt_int(st, 1), "as_of",
                                             text_or_null(rp_stmt_text(st, 2)), "result",
                                             result_of(rp_stmt_text(st, 3))));
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return RP_OK;
}
