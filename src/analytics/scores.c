/* scores.c — a customer's latest scores, read from the analyses' own
 * tables (migration 0005).  See analytics.h. */
#include "analytics/internal.h"
#include "core/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The latest result of each analysis that scores customers one by one:
 * value (with its decile and pyramid level), RFM, CLV, behaviour (types,
 * the primary one, the risk grade and its probability), and the segment of
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
    "UNION ALL SELECT r.job, r.id, r.as_of, json_object('types', b.types, 'primary', b.primary_type, " \
    "'risk_grade', b.risk_grade, 'risk_p', b.risk_p) FROM customer_behaviour b " \
    "JOIN analysis_run r ON r.id = b.run_id WHERE b.customer_id = ? " \
    "AND b.run_id = (SELECT max(run_id) FROM customer_behaviour WHERE customer_id = ?) " \
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

/* The customers behind one cell of a run (analytics.h, an_members): the run's own table, by the
 * one column the filter names, in customer order from after. */
static const struct {
    const char *filter, *count, *page;
    int text;
} members_sql[] = {
    { "level",
      "SELECT count(*) FROM customer_value WHERE run_id = ?1 AND level = ?2",
      "SELECT customer_id, level FROM customer_value WHERE run_id = ?1 AND level = ?2 AND customer_id > ?3 "
      "ORDER BY customer_id LIMIT ?4", 1 },
    { "decile",
      "SELECT count(*) FROM customer_value WHERE run_id = ?1 AND decile = ?2",
      "SELECT customer_id, decile FROM customer_value WHERE run_id = ?1 AND decile = ?2 AND customer_id > ?3 "
      "ORDER BY customer_id LIMIT ?4", 0 },
    { "cell",
      "SELECT count(*) FROM customer_rfm WHERE run_id = ?1 AND cell = ?2",
      "SELECT customer_id, cell FROM customer_rfm WHERE run_id = ?1 AND cell = ?2 AND customer_id > ?3 "
      "ORDER BY customer_id LIMIT ?4", 0 },
    { "rf", /* a heatmap square: R and F as RF (34: R3 F4) */
      "SELECT count(*) FROM customer_rfm WHERE run_id = ?1 AND r * 10 + f = ?2",
      "SELECT customer_id, cell FROM customer_rfm WHERE run_id = ?1 AND r * 10 + f = ?2 AND customer_id > ?3 "
      "ORDER BY customer_id LIMIT ?4", 0 },
    { "type", /* a behaviour type: one of the customer's types (general: none; the value is checked: a-z and _) */
      "SELECT count(*) FROM customer_behaviour WHERE run_id = ?1 AND (',' || types || ',' LIKE '%,' || ?2 || ',%' "
      "OR primary_type = ?2)",
      "SELECT customer_id, primary_type FROM customer_behaviour WHERE run_id = ?1 AND (',' || types || ',' LIKE '%,' || "
      "?2 || ',%' OR primary_type = ?2) AND customer_id > ?3 ORDER BY customer_id LIMIT ?4", 1 },
    { "grade",
      "SELECT count(*) FROM customer_behaviour WHERE run_id = ?1 AND risk_grade = ?2",
      "SELECT customer_id, risk_grade FROM customer_behaviour WHERE run_id = ?1 AND risk_grade = ?2 AND customer_id > ?3 "
      "ORDER BY customer_id LIMIT ?4", 1 },
    { "segment",
      "SELECT count(*) FROM customer_segment WHERE run_id = ?1 AND segment = ?2",
      "SELECT customer_id, segment FROM customer_segment WHERE run_id = ?1 AND segment = ?2 AND customer_id > ?3 "
      "ORDER BY customer_id LIMIT ?4", 1 },
};

static void bind_value(rp_stmt *st, int text, const char *value)
{
    if (text)
        rp_stmt_bind_text(st, 2, value);
    else
        rp_stmt_bind_int(st, 2, strtoll(value, NULL, 10));
}

int an_members(wh *w, int64_t run, const char *filter, const char *value, int64_t after, int limit, an_member *out,
               int *n, int64_t *total, rp_error *err)
{
    size_t k = 0;
    while (k < sizeof members_sql / sizeof members_sql[0] && strcmp(members_sql[k].filter, filter))
        k++;
    if (k == sizeof members_sql / sizeof members_sql[0])
        return rp_err(err, RP_INVAL, "%s: not a cell of an analysis (level, decile, cell, rf, type, grade or segment)",
                      filter);
    if (!strcmp(filter, "type") && (!*value || strspn(value, "abcdefghijklmnopqrstuvwxyz_") != strlen(value)))
        return rp_err(err, RP_INVAL, "type: a behaviour type such as revolver or digital_first");
    if (!members_sql[k].text) {
        char *end;
        long long v = strtoll(value, &end, 10);
        if (!*value || *end || v < 0 || v > 999)
            return rp_err(err, RP_INVAL, "%s: a number", filter);
    }
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), members_sql[k].count, &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, run);
    bind_value(st, members_sql[k].text, value);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        *total = rp_stmt_int(st, 0);
    rp_stmt_done(st);
    if (rc != RP_ROW)
        return rc;
    if ((rc = rp_store_prepare(wh_store(w), members_sql[k].page, &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, run);
    bind_value(st, members_sql[k].text, value);
    rp_stmt_bind_int(st, 3, after);
    rp_stmt_bind_int(st, 4, limit);
    *n = 0;
    while (*n < limit && (rc = rp_stmt_step(st, err)) == RP_ROW) {
        out[*n].customer = rp_stmt_int(st, 0);
        snprintf(out[*n].value, sizeof out[*n].value, "%s", rp_stmt_text(st, 1) ? rp_stmt_text(st, 1) : "");
        (*n)++;
    }
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}
