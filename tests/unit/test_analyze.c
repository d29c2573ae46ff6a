/* Unit tests of the analyses run against a store: a hand-made bank
 * (tests/fixtures/analytics.json) whose every figure is worked out by hand
 * below, and CDNOW loaded through the ETL with its spec file. */
#include "testutil.h"

#include <math.h>

#include "analytics/internal.h"
#include "core/rtime.h"
#include "etl/etl.h"
#include "etl/spec.h"
#include "warehouse/warehouse.h"


static wh *bank(void)
{
    wh *w;
    rp_error e = RP_ERROR_INIT;
    if (wh_open(tu_store("a.db"), tu_store_key(), WH_INIT, &w, NULL, &e))
        fail_msg("wh_open: %s", rp_errmsg(&e));
    if (wh_import_json(w, "../tests/fixtures/analytics.json", "test", NULL, &e) &&
        wh_import_json(w, "tests/fixtures/analytics.json", "test", NULL, &e))
        fail_msg("import: %s", rp_errmsg(&e));
    /* E (the card system's record of A) was found to be A */
    assert_ok(rp_store_exec(wh_store(w),
                            "UPDATE party SET merged_into = (SELECT entity_id FROM source_record WHERE "
                            "source = 'host' AND source_key = 'A') WHERE id = (SELECT entity_id FROM source_record "
                            "WHERE source = 'card' AND source_key = 'E')",
                            &e));
    return w;
}

static int32_t day(const char *s) { return an_day_of(s); }

static int64_t scalar(wh *w, const char *sql)
{
    rp_stmt *st;
    rp_error e = RP_ERROR_INIT;
    if (rp_store_prepare(wh_store(w), sql, &st, &e))
        fail_msg("%s: %s", sql, rp_errmsg(&e));
    int64_t v = rp_stmt_step(st, &e) == RP_ROW ? rp_stmt_int(st, 0) : -1;
    rp_stmt_done(st);
    return v;
}

static json_t *run(wh *w, const char *job, const char *as_of, an_job_opts *extra)
{
    an_job_opts o = extra ? *extra : (an_job_opts){ 0 };
    o.job = job;
    o.as_of = day(as_of);
    o.save = 1;
    o.user = "test";
    json_t *sum;
    rp_error e = RP_ERROR_INIT;
    if (an_job_run(w, &o, &sum, &e))
        fail_msg("%s: %s", job, rp_errmsg(&e));
    return sum;
}

static const char *headline(json_t *s) { return json_string_value(json_object_get(s, "headline")); }

/* The customer base: who holds what, and each window's activity. */
static void base_reads_customers_accounts_and_windows(void **state)
{
    (void)state;
    wh *w = bank();
    an_base_params p = { .windows = 2 };
    p.from[0] = day("2025-11-01"), p.to[0] = day("2026-11-01");
    p.from[1] = day("2026-09-01"), p.to[1] = day("2026-10-01");
    an_base b;
    rp_error e = RP_ERROR_INIT;
    assert_ok(an_base_load(w, &p, &b, &e));
    assert_int_equal(b.ncust, 4); /* A (with E), B, C, D */
    assert_int_equal(b.nacct, 6);
    assert_int_equal(b.transactions, 8);
    const an_customer *a = NULL, *bb = NULL;
    for (size_t i = 0; i < b.ncust; i++) {
        if (b.cust[i].birth == day("1960-05-01"))
            a = &b.cust[i];
        if (b.cust[i].birth == day("1990-03-01"))
            bb = &b.cust[i];
    }
    assert_non_null(a);
    assert_non_null(bb);
    /* A: the ATM withdrawal and E's branch withdrawal are activity; the deposit
     * (a credit) and the salary (batch, and after the window) are not */
    assert_int_equal(a->w[0].act_n, 2);
    assert_int_equal(a->w[0].act_sum, 502000);
    assert_int_equal(a->w[0].n[AN_CH_BRANCH], 2);
    assert_int_equal(a->w[0].n[AN_CH_ATM], 1);
    assert_int_equal(a->w[0].n[AN_CH_BATCH], 0);
    assert_int_equal(a->w[0].last_act, day("2026-10-15"));
    assert_int_equal(a->first_act, day("2026-10-01"));
    assert_int_equal(a->accounts, 2);
    /* September: nothing of A's; B bought once with the card */
    assert_int_equal(a->w[1].act_n, 0);
    assert_int_equal(a->w[1].last_act, AN_NO_DAY);
    assert_int_equal(bb->w[1].act_sum, 100000);
    assert_int_equal(bb->w[1].card_spend, 100000);
    assert_int_equal(bb->w[0].fees, 15000);
    assert_int_equal(bb->holds, (1 << AN_K_LOAN) | (1 << AN_K_CARD));
    assert_int_equal(bb->products, 2);
    /* 2026-10-31T15:00Z is 23:00 in Taipei: still the 31st */
    for (size_t i = 0; i < b.ncust; i++)
        if (b.cust[i].w[0].n[AN_CH_INTERNET])
            assert_int_equal(b.cust[i].w[0].last_act, day("2026-10-31"));
    an_base_free(&b);
    wh_close(w);
}

/* Profit per customer over the 12 months to 2026-10-31, by hand:
 *
 * A  deposit 1,000,000.00 now at 0.5 %; +365,000.00 on 05-01 (181 days into
 *    the window), -5,000.00 on 10-15 (day 348), +10,000.00 on 11-10 (after):
 *    average = 100,000,000 - 1,000,000 - (36,500,000 * 181 - 500,000 * 348) / 365
 *            = 81,376,712.33 minor; margin at (2.0 - 0.5) % = 1,220,650.68
 *    E's account: 0 now, -20.00 on 10-01 (day 334): average 1,830.14,
 *    margin at 2 % (no rate: 0 %) = 36.60
 *    cost: 2 branch (120.00 each) + 1 ATM (20.00) = 26,000 minor
 *    profit = 1,220,650.68 + 36.60 - 26,000 = 1,194,687 (the margin rounded once)
 * B  loan -500,000.00 at 4 %; a 150.00 fee on 06-01 (day 212):
 *    average = -50,000,000 + 15,000 * 212 / 365 = -49,991,287.67;
 *    margin at (4 - 2) % = 999,825.75; fee 15,000; interchange 1.5 % of
 *    2,000.00 = 3,000; cost 2 POS (1.00) + 1 batch (1.00) = 300
 *    profit = 999,826 + 18,000 - 300 = 1,017,526
 * C  a service at 60.00 a month net, held 92 days: 6,000 * 92 / (365 / 12)
 *    = 18,147.95; one internet transaction (8.00): profit 17,348
 * D  nothing: 0, inactive */
/* channels, on the bank below (value_pareto_and_pyramid_by_hand), with a
 * level for each active customer: A (top) went to the branch twice and the
 * ATM once, B (big) paid by card twice and had a batch fee, C (small) used
 * internet banking once, D did nothing: the digital channels carry 1 of 7
 * transactions, C's level all of its own, and the channel cost per customer
 * is 260.00, 3.00 and 8.00. */
static void channels_by_hand(void **state)
{
    (void)state;
    wh *w = bank();
    an_job_opts o = { .levels = "top:34%,big:33%,small" };
    json_t *s = run(w, "channels", "2026-10-31", &o);
    assert_string_equal(headline(s), "internet, mobile carry 14.3% of 7 transactions: 0.0% for 'top', 100.0% for 'small'");
    json_t *cols = json_object_get(json_object_get(s, "table"), "columns");
    json_t *rows = json_object_get(json_object_get(s, "table"), "rows");
    size_t dig = json_array_size(cols) - 2, cost = json_array_size(cols) - 1;
    assert_string_equal(json_string_value(json_array_get(cols, dig)), "digital_%");
    static const struct {
        const char *level;
        int customers;
        double digital, cost;
    } want[] = { { "top", 1, 0, 260 }, { "big", 1, 0, 3 }, { "small", 1, 100, 8 },
                 { "inactive", 1, 0, 0 }, { "all", 4, 14.29, 67.75 } };
    assert_int_equal(json_array_size(rows), 5);
    for (size_t i = 0; i < 5; i++) {
        json_t *r = json_array_get(rows, i);
        assert_string_equal(json_string_value(json_array_get(r, 0)), want[i].level);
        assert_int_equal(json_integer_value(json_array_get(r, 1)), want[i].customers);
        assert_float_equal(json_real_value(json_array_get(r, dig)), want[i].digital, 0.005);
        assert_float_equal(json_real_value(json_array_get(r, cost)), want[i].cost, 0.005);
    }
    /* every channel's share of all, against the transactions as the txn view shows them */
    for (int ch = 0; ch < AN_NCH; ch++) {
        char sql[300];
        const char *in_window = "FROM txn WHERE posted_at >= '2025-10-31T16:00:00Z' AND posted_at < '2026-10-31T16:00:00Z'";
        snprintf(sql, sizeof sql, "SELECT count(*) %s AND channel = '%s'", in_window, wh_txn_channels[ch]);
        int64_t n = scalar(w, sql);
        snprintf(sql, sizeof sql, "SELECT count(*) %s", in_window);
        double share = 100.0 * (double)n / (double)scalar(w, sql);
        assert_float_equal(json_real_value(json_array_get(json_array_get(rows, 4), 3 + (size_t)ch)), share, 0.01);
    }
    json_decref(s);
    /* the digital channels as the bank counts them, and a channel that is not one */
    rp_config *cfg = rp_config_new();
    rp_error e = RP_ERROR_INIT;
    const char *ini = "[channels]\ndigital = internet, mobile, atm\n";
    assert_ok(rp_config_load_str(cfg, "t.ini", ini, &e));
    o.cfg = cfg;
    s = run(w, "channels", "2026-10-31", &o);
    assert_string_equal(headline(s), "atm, internet, mobile carry 28.6% of 7 transactions: 33.3% for 'top', 100.0% for 'small'");
    json_decref(s);
    rp_config_free(cfg);
    cfg = rp_config_new();
    assert_ok(rp_config_load_str(cfg, "t.ini", "[channels]\ndigital = internet, fax\n", &e));
    o.cfg = cfg, o.job = "channels", o.as_of = day("2026-10-31"), o.save = 1;
    int64_t runs = scalar(w, "SELECT count(*) FROM analysis_run");
    json_t *sum;
    assert_int_equal(an_job_run(w, &o, &sum, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "[channels] digital: 'fax' is not a channel");
    assert_int_equal(scalar(w, "SELECT count(*) FROM analysis_run"), runs);
    rp_config_free(cfg);
    wh_close(w);
}

static void value_pareto_and_pyramid_by_hand(void **state)
{
    (void)state;
    wh *w = bank();
    json_t *s = run(w, "value", "2026-10-31", NULL);
    assert_string_equal(headline(s), "4 customers: revenue 22566.61, cost to serve 271.00, profit 22295.61; "
                                     "3 profitable, 0 cost more than they bring");
    json_decref(s);
    int64_t run_id = scalar(w, "SELECT max(id) FROM analysis_run WHERE job = 'value'");
    char sql[256];
    static const struct {
        const char *key;
        int64_t margin, fees, cost, profit;
        int decile;
        const char *level;
    } want[] = {
        { "A", 1220687, 0, 26000, 1194687, 1, "top" },
        { "B", 999826, 18000, 300, 1017526, 3, "big" },
        { "C", 0, 18148, 800, 17348, 6, "medium" },
        { "D", 0, 0, 0, 0, 8, "inactive" },
    };
    for (int i = 0; i < 4; i++) {
        snprintf(sql, sizeof sql,
                 "SELECT margin_minor * 1000000000000 + fees_minor * 1000000 + cost_minor FROM customer_value v "
                 "JOIN source_record r ON r.entity_id = v.customer_id AND r.entity = 'party' "
                 "WHERE v.run_id = %lld AND r.source_key = '%s'",
                 (long long)run_id, want[i].key);
        assert_int_equal(scalar(w, sql), want[i].margin * 1000000000000 + want[i].fees * 1000000 + want[i].cost);
        snprintf(sql, sizeof sql,
                 "SELECT profit_minor * 100 + decile FROM customer_value v JOIN source_record r ON "
                 "r.entity_id = v.customer_id AND r.entity = 'party' WHERE v.run_id = %lld AND r.source_key = '%s'",
                 (long long)run_id, want[i].key);
        assert_int_equal(scalar(w, sql), want[i].profit * 100 + want[i].decile);
    }
    /* pareto: 2,229,562 in all; the top 20 % is 0.8 of customer A: 1,194,688 * 0.8 / 2,229,562;
     * A alone (a quarter of the customers) holds 53.6 % */
    s = run(w, "pareto", "2026-10-31", NULL);
    assert_float_equal(json_real_value(json_object_get(s, "top20_share_%")), 42.87, 0.005);
    assert_string_equal(headline(s), "the top 20% of customers give 42.9% of profit; half of it comes from 25.0% of them");
    json_decref(s);
    /* pyramid by shares of the 3 active customers: round(0.34 * 3) = 1 top, round(0.67 * 3) - 1 = 1 big */
    an_job_opts o = { .levels = "top:34%,big:33%,small" };
    s = run(w, "pyramid", "2026-10-31", &o);
    json_t *rows = json_object_get(json_object_get(s, "table"), "rows");
    assert_int_equal(json_array_size(rows), 4);
    static const int counts[4] = { 1, 1, 1, 1 };
    for (int i = 0; i < 4; i++)
        assert_int_equal(json_integer_value(json_array_get(json_array_get(rows, (size_t)i), 1)), counts[i]);
    assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 3), 0)), "inactive");
    json_decref(s);
    /* by thresholds in currency units */
    o.levels = "gold:10000,silver:100,bronze";
    s = run(w, "pyramid", "2026-10-31", &o);
    rows = json_object_get(json_object_get(s, "table"), "rows");
    assert_int_equal(json_integer_value(json_array_get(json_array_get(rows, 0), 1)), 2);
    assert_int_equal(json_integer_value(json_array_get(json_array_get(rows, 1), 1)), 1);
    assert_int_equal(json_integer_value(json_array_get(json_array_get(rows, 2), 1)), 0);
    json_decref(s);
    /* a bad level spec names where it came from, and nothing is kept */
    int64_t runs = scalar(w, "SELECT count(*) FROM analysis_run");
    o.levels = "top:60%,big:50%,small";
    o.job = "pyramid";
    o.as_of = day("2026-10-31");
    o.save = 1;
    json_t *sum;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(an_job_run(w, &o, &sum, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "--levels: pyramid: the shares add up to 110%, leaving nothing for 'small'");
    assert_int_equal(scalar(w, "SELECT count(*) FROM analysis_run"), runs);
    wh_close(w);
}

/* RFM at 2026-10-31: recency A 16 days, B 11, C 0; frequency A 2, B 2, C 1;
 * monetary A 5,020.00, B 2,000.00, C 10.00.  Scores 1 + floor(5 * below / 3):
 * A r1 f2 m4, B r2 f2 m2, C r4 f1 m1; D never active, not scored. */
static void rfm_by_hand(void **state)
{
    (void)state;
    wh *w = bank();
    json_t *s = run(w, "rfm", "2026-10-31", NULL);
    assert_string_equal(headline(s), "3 customers scored; 0 (0.0%) in cell 555, 1 never active are not scored");
    json_decref(s);
    rp_stmt *st;
    rp_error e = RP_ERROR_INIT;
    assert_ok(rp_store_prepare(wh_store(w),
                               "SELECT group_concat(x, ' ') FROM (SELECT cell || ':' || recency_days || ':' || "
                               "frequency || ':' || monetary_minor AS x FROM customer_rfm ORDER BY cell) r",
                               &st, &e));
    assert_int_equal(rp_stmt_step(st, &e), RP_ROW);
    assert_string_equal(rp_stmt_text(st, 0), "124:16:2:502000 222:11:2:200000 411:0:1:1000");
    rp_stmt_done(st);
    wh_close(w);
}

/* October against September: A new (first activity ever in October), B the
 * same (1,000.00 both months), C new; 5,020.00 + 1,000.00 + 10.00 spent. */
static void gains_and_losses_by_hand(void **state)
{
    (void)state;
    wh *w = bank();
    json_t *s = run(w, "gains-losses", "2026-11-12", NULL);
    assert_string_equal(headline(s), "2026-10 against 2026-09: 3 customers active, 0 spending more, 0 less, 2 "
                                     "activated (2 new), 0 lapsed; 6030.00 spent of a potential 6030.00");
    json_t *cl = json_object_get(s, "classes");
    assert_int_equal(json_integer_value(json_object_get(cl, "same")), 1);
    assert_int_equal(json_integer_value(json_object_get(cl, "new")), 2);
    json_decref(s);
    wh_close(w);
}

/* Overlapping rules are reported with example customers, not resolved. */
static void segments_overlap_and_gaps_are_reported(void **state)
{
    (void)state;
    wh *w = bank();
    const char *rules = tu_path("seg.txt");
    tu_write_file(rules, "# two rules that overlap, and nobody for D\n"
                         "rich = profit > 10000\n"
                         "busy = frequency >= 1\n");
    an_job_opts o = { .segments_file = rules };
    json_t *s = run(w, "segment", "2026-10-31", &o);
    assert_false(json_is_true(json_object_get(s, "valid")));
    assert_string_equal(headline(s), "2 segments are not exhaustive and mutually exclusive: 1 customers in none, 2 in "
                                     "more than one");
    json_t *pair = json_array_get(json_object_get(json_object_get(s, "overlaps"), "pairs"), 0);
    assert_int_equal(json_integer_value(json_object_get(pair, "customers")), 2);
    int64_t d = scalar(w, "SELECT entity_id FROM source_record WHERE source_key = 'D'");
    assert_int_equal(json_integer_value(json_array_get(json_object_get(json_object_get(s, "gaps"), "examples"), 0)),
                     d);
    json_decref(s);
    /* only C is in exactly one segment, and only C is kept */
    assert_int_equal(scalar(w, "SELECT count(*) FROM customer_segment WHERE run_id = (SELECT max(id) FROM "
                               "analysis_run)"),
                     1);
    tu_write_file(rules, "rich = profit > 10000 and age >= 60\n"
                         "young = age < 40\n"
                         "rest = else\n");
    s = run(w, "segment", "2026-10-31", &o);
    assert_true(json_is_true(json_object_get(s, "valid")));
    json_t *rows = json_object_get(json_object_get(s, "table"), "rows");
    assert_int_equal(json_integer_value(json_array_get(json_array_get(rows, 0), 1)), 1); /* A */
    assert_int_equal(json_integer_value(json_array_get(json_array_get(rows, 1), 1)), 1); /* B */
    assert_int_equal(json_integer_value(json_array_get(json_array_get(rows, 2), 1)), 2); /* C (no age), D */
    json_decref(s);
    /* a mistake in the rules names the line and column */
    tu_write_file(rules, "rich = profit > 10\nold = agee > 60\n");
    o.job = "segment";
    o.as_of = day("2026-10-31");
    json_t *sum;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(an_job_run(w, &o, &sum, &e), RP_PARSE);
    char want[256];
    snprintf(want, sizeof want, "%s:2:7: unknown attribute 'agee' (`rapport analyze attributes` lists them)", rules);
    assert_string_equal(rp_errmsg(&e), want);
    wh_close(w);
}

/* CDNOW loaded through the ETL with its spec file: the published BG/NBD and
 * Gamma-Gamma estimates (Fader, Hardie and Lee 2005), calibration to
 * 1997-09-30. */
static void cdnow_through_the_etl(void **state)
{
    (void)state;
    const char *path = "../shared/data/cdnow/CDNOW_sample.txt";
    if (access(path, R_OK) != 0) {
        print_message("skipped: %s is absent\n", path);
        skip();
    }
    wh *w;
    rp_error e = RP_ERROR_INIT;
    assert_ok(wh_open(tu_store("cdnow.db"), tu_store_key(), WH_INIT, &w, NULL, &e));
    sp_spec *sp;
    assert_ok(sp_spec_builtin("cdnow", NULL, &sp, &e));
    ld_options lo = { .by = "test", .max_reject_rate = -1 };
    ld_result r;
    assert_ok(ld_load(w, sp, path, &lo, &r, &e));
    sp_spec_free(sp);
    assert_int_equal(r.loaded, 6919);
    json_t *s = run(w, "clv", "1997-09-30", NULL);
    json_t *m = json_object_get(s, "bgnbd"), *g = json_object_get(s, "gamma_gamma");
    assert_float_equal(json_real_value(json_object_get(m, "r")), 0.243, 0.0006);
    assert_float_equal(json_real_value(json_object_get(m, "alpha")), 4.414, 0.002);
    assert_float_equal(json_real_value(json_object_get(m, "a")), 0.793, 0.0006);
    assert_float_equal(json_real_value(json_object_get(m, "b")), 2.426, 0.002);
    assert_float_equal(json_real_value(json_object_get(m, "log_likelihood")), -9582.4, 0.05);
    assert_float_equal(json_real_value(json_object_get(g, "p")), 6.25, 0.005);
    assert_float_equal(json_real_value(json_object_get(g, "q")), 3.74, 0.006);
    assert_float_equal(json_real_value(json_object_get(g, "gamma")), 15.44, 0.01);
    assert_int_equal(json_integer_value(json_object_get(s, "customers")), 2357);
    json_decref(s);
    assert_int_equal(scalar(w, "SELECT count(*) FROM customer_clv"), 2357);
    /* customer 4 bought on 1997-01-01, 01-18 and 08-02: x = 2 repeat days, the last
     * 213 days after the first, calibration ending 272 days after it */
    assert_int_equal(scalar(w, "SELECT x * 1000000 + CAST(round(t_x * 7) AS INTEGER) * 1000 + "
                               "CAST(round(t_cal * 7) AS INTEGER) FROM customer_clv c JOIN "
                               "party_identifier i ON i.party_id = c.customer_id WHERE i.value = '00004'"),
                     2213272);
    wh_close(w);
}


/* The column copy gives exactly what reading txn gives, and keeps up:
 * appended rows, a merge of the tail, a deletion by another tool (rebuilt),
 * a damaged file (rebuilt). */
static char *summary_text(wh *w, const char *job, const char *facts)
{
    an_job_opts o = { .job = job, .as_of = day("2026-10-31"), .facts = facts, .user = "t" };
    json_t *s;
    rp_error e = RP_ERROR_INIT;
    if (an_job_run(w, &o, &s, &e))
        fail_msg("%s: %s", job, rp_errmsg(&e));
    json_object_del(s, "seconds");
    char *t = json_dumps(s, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(s);
    return t;
}

static void same_with_and_without_the_copy(wh *w, const char *facts)
{
    static const char *const jobs[] = { "value", "pareto", "rfm", "gains-losses", "migration" };
    for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++) {
        char *a = summary_text(w, jobs[i], NULL), *b = summary_text(w, jobs[i], facts);
        assert_string_equal(a, b);
        free(a), free(b);
    }
}

static void column_copy_matches_and_keeps_up(void **state)
{
    (void)state;
    wh *w = bank();
    const char *facts = tu_path("a.facts");
    rp_error e = RP_ERROR_INIT;
    an_facts_info fi;
    assert_ok(an_facts_sync(w, facts, 0, &fi, &e));
    assert_true(fi.rebuilt);
    assert_int_equal(fi.rows, 8);
    assert_int_equal(fi.added, 8);
    same_with_and_without_the_copy(w, facts);
    /* up to date: nothing read */
    assert_ok(an_facts_sync(w, facts, 0, &fi, &e));
    assert_false(fi.rebuilt);
    assert_int_equal(fi.added, 0);
    /* one new row: appended (an eighth of 8 is 1) */
    int64_t acct = scalar(w, "SELECT id FROM account WHERE number = 'C-SVC'");
    wh_txn t = { .account_id = acct, .posted_at = "2026-10-30T01:00:00Z", .amount_minor = -70000,
                 .channel = "branch", .class_ = "withdrawal" };
    int64_t id;
    assert_ok(wh_txn_add(w, &t, &id, &e));
    assert_ok(an_facts_sync(w, facts, 0, &fi, &e));
    assert_int_equal(fi.added, 1);
    assert_false(fi.merged);
    assert_int_equal(fi.rows, 9);
    same_with_and_without_the_copy(w, facts);
    /* two more: the tail passes an eighth, and is merged in */
    t.posted_at = "2026-09-30T01:00:00Z";
    assert_ok(wh_txn_add(w, &t, &id, &e));
    t.class_ = "fee";
    t.channel = "batch";
    assert_ok(wh_txn_add(w, &t, &id, &e));
    assert_ok(an_facts_sync(w, facts, 0, &fi, &e));
    assert_true(fi.merged);
    assert_int_equal(fi.rows, 11);
    same_with_and_without_the_copy(w, facts);
    /* another tool deletes a transaction: the generation moves and the copy is made again */
    assert_ok(rp_store_exec(wh_store(w), "DELETE FROM txn WHERE class = 'fee' AND channel = 'batch' AND "
                                      "amount_minor = -70000", &e));
    assert_ok(an_facts_sync(w, facts, 0, &fi, &e));
    assert_true(fi.rebuilt);
    assert_int_equal(fi.rows, 10);
    same_with_and_without_the_copy(w, facts);
    /* a copy cut short is made again */
    assert_int_equal(truncate(facts, 8000), 0);
    assert_ok(an_facts_sync(w, facts, 0, &fi, &e));
    assert_true(fi.rebuilt);
    same_with_and_without_the_copy(w, facts);
    /* made in runs of 3 rows spilled to files and merged (as ten million are, in runs of 2M) */
    an_facts_run_rows = 3;
    assert_int_equal(unlink(facts), 0);
    assert_ok(an_facts_sync(w, facts, 0, &fi, &e));
    assert_true(fi.rebuilt);
    assert_int_equal(fi.rows, 10);
    same_with_and_without_the_copy(w, facts);
    t.posted_at = "2026-10-02T01:00:00Z";
    t.class_ = "purchase";
    t.channel = "pos";
    for (int i = 0; i < 4; i++)
        assert_ok(wh_txn_add(w, &t, &id, &e));
    assert_ok(an_facts_sync(w, facts, 0, &fi, &e));
    assert_true(fi.merged);
    assert_int_equal(fi.rows, 14);
    same_with_and_without_the_copy(w, facts);
    /* merged means in order of account and day throughout */
    an_facts_reader fr;
    const an_fact *rows;
    size_t nr;
    uint64_t prev = 0, seen = 0;
    assert_ok(an_facts_open(facts, &fr, &e));
    while (!an_facts_next(&fr, &rows, &nr, &e) && nr)
        for (size_t i = 0; i < nr; i++, seen++) {
            assert_true(rows[i].key >= prev);
            prev = rows[i].key;
        }
    an_facts_close(&fr);
    assert_int_equal(seen, 14);
    an_facts_run_rows = (size_t)1 << 21;
    /* no run file is left behind */
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls %s.*.run* 2>/dev/null | wc -l", facts);
    FILE *ls = popen(cmd, "r");
    int left = -1;
    assert_int_equal(fscanf(ls, "%d", &left), 1);
    pclose(ls);
    assert_int_equal(left, 0);
    wh_close(w);
}

/* Several jobs in one process read the base once and get what each gets alone. */
static void jobs_share_what_they_read(void **state)
{
    (void)state;
    wh *w = bank();
    char *alone = summary_text(w, "pareto", NULL);
    an_base_cache *c = an_base_cache_new();
    an_job_opts o = { .job = "value", .as_of = day("2026-10-31"), .shared = c, .user = "t" };
    json_t *s;
    rp_error e = RP_ERROR_INIT;
    assert_ok(an_job_run(w, &o, &s, &e));
    json_decref(s);
    o.job = "pareto";
    assert_ok(an_job_run(w, &o, &s, &e));
    json_object_del(s, "seconds");
    char *shared = json_dumps(s, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(s);
    an_base_cache_free(c);
    assert_string_equal(alone, shared);
    free(alone), free(shared);
    wh_close(w);
}

/* A copy beside a store made again under the same name, and appended to as far, has the same
 * generation and greatest id as the new store's would: it is another store's, made again, not taken. */
static void column_copy_of_another_store_is_not_taken(void **state)
{
    (void)state;
    const char *facts = tu_path("same.facts");
    rp_error e = RP_ERROR_INIT;
    an_facts_info fi;
    wh *w1 = bank(), *w2 = bank();
    wh_txn t = { .account_id = scalar(w1, "SELECT id FROM account WHERE number = 'C-SVC'"),
                 .posted_at = "2026-10-30T01:00:00Z", .amount_minor = -70000, .channel = "branch",
                 .class_ = "withdrawal" };
    int64_t id;
    assert_ok(wh_txn_add(w1, &t, &id, &e));
    t.account_id = scalar(w2, "SELECT id FROM account WHERE number = 'C-SVC'");
    t.amount_minor = -990000;
    assert_ok(wh_txn_add(w2, &t, &id, &e));
    const char *top = "SELECT max(id) FROM txn";
    assert_int_equal(scalar(w1, top), scalar(w2, top));
    assert_ok(an_facts_sync(w1, facts, 0, &fi, &e));
    assert_true(fi.rebuilt);
    assert_ok(an_facts_sync(w2, facts, 0, &fi, &e));
    assert_true(fi.rebuilt);
    assert_int_equal(fi.rows, 9);
    same_with_and_without_the_copy(w2, facts);
    wh_close(w1);
    wh_close(w2);
}

/* The warehouse's transaction scan, which base.c and the column copy read,
 * gives what the txn view shows, whatever a block holds: escapes, reals,
 * deleted rows, rows cut short, whitespace, values past the class. */
static char *view_text(wh *w, int64_t after, int64_t upto)
{
    rp_buf b = RP_BUF_INIT;
    rp_stmt *st;
    rp_error e = RP_ERROR_INIT;
    assert_ok(rp_store_prepare(wh_store(w),
                               "SELECT id, account_id, posted_at, amount_minor, channel, class FROM txn "
                               "WHERE id > ?1 AND id <= ?2 ORDER BY id",
                               &st, &e));
    rp_stmt_bind_int(st, 1, after);
    rp_stmt_bind_int(st, 2, upto);
    while (rp_stmt_step(st, &e) == RP_ROW) {
        const char *c = rp_stmt_text(st, 4);
        int ch = -1;
        for (int i = 0; c && wh_txn_channels[i]; i++)
            if (!strcmp(wh_txn_channels[i], c))
                ch = i;
        rp_buf_printf(&b, "%lld %lld %s %lld %d %s\n", (long long)rp_stmt_int(st, 0), (long long)rp_stmt_int(st, 1),
                      rp_stmt_text(st, 2) ? rp_stmt_text(st, 2) : "-", (long long)rp_stmt_int(st, 3), ch,
                      rp_stmt_text(st, 5) ? rp_stmt_text(st, 5) : "-");
    }
    rp_stmt_done(st);
    return rp_buf_take(&b, NULL);
}

static char *scan_text(wh *w, int64_t after, int64_t upto)
{
    rp_buf b = RP_BUF_INIT;
    rp_error e = RP_ERROR_INIT;
    wh_txn_scan *sc;
    wh_txn_item t;
    int rc;
    assert_ok(wh_txn_scan_open(w, after, upto, &sc, &e));
    while ((rc = wh_txn_scan_next(sc, &t, &e)) == RP_ROW)
        rp_buf_printf(&b, "%lld %lld %s %lld %d %s\n", (long long)t.id, (long long)t.account_id,
                      t.posted_at ? t.posted_at : "-", (long long)t.amount_minor, t.channel,
                      t.class_ ? t.class_ : "-");
    assert_int_equal(rc, RP_DONE);
    wh_txn_scan_close(sc);
    return rp_buf_take(&b, NULL);
}

/* More rows than PostgreSQL's cursor fetches at once (10,000): the scan reads on across the fetches, in a
 * transaction and outside one (a cursor WITH HOLD), as the view shows them. */
static void transaction_scan_reads_on_past_a_fetch(void **state)
{
    (void)state;
    wh *w = bank();
    rp_error e = RP_ERROR_INIT;
    int64_t acct = scalar(w, "SELECT id FROM account WHERE number = 'C-SVC'");
    int64_t top = scalar(w, "SELECT coalesce(max(id), 0) FROM txn");
    wh_txn_batch *b;
    assert_ok(wh_txn_batch_new(&b, &e));
    for (int i = 0; i < 25000; i++) {
        char at[32], key[16];
        snprintf(at, sizeof at, "2026-%02d-%02dT%02d:00:00Z", 1 + i % 12, 1 + i % 28, i % 24);
        snprintf(key, sizeof key, "S%06d", i);
        wh_txn t = { .account_id = acct, .posted_at = at, .amount_minor = i - 12000, .channel = "atm",
                     .class_ = i % 2 ? "fee" : "deposit", .source = "scan", .source_key = key };
        assert_ok(wh_txn_batch_add(w, b, &t, i, &e));
    }
    int64_t written;
    assert_ok(wh_txn_batch_flush(w, b, NULL, NULL, &written, NULL, &e));
    assert_int_equal(written, 25000);
    wh_txn_batch_free(b);
    static const int64_t ranges[][2] = { { 0, 0 }, { 0, 10000 }, { 9999, 20001 }, { 19999, 0 } };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        int64_t after = ranges[i][0] ? top + ranges[i][0] : 0, upto = ranges[i][1] ? top + ranges[i][1] : 0;
        char *want = view_text(w, after, upto ? upto : INT64_MAX);
        char *got = scan_text(w, after, upto);
        assert_string_equal(got, want);
        free(got);
        assert_ok(rp_store_begin_read(wh_store(w), &e));
        got = scan_text(w, after, upto);
        assert_ok(rp_store_commit(wh_store(w), &e));
        assert_string_equal(got, want);
        free(want), free(got);
    }
    wh_close(w);
}

static void transaction_scan_reads_what_the_view_shows(void **state)
{
    (void)state;
    wh *w = bank();
    rp_error e = RP_ERROR_INIT;
    int64_t acct = scalar(w, "SELECT id FROM account WHERE number = 'C-SVC'");
    if (!strcmp(rp_store_backend(wh_store(w)), "postgresql")) { /* no blocks there: rows of a table (its 0033) */
        char sql[1024];
        snprintf(sql, sizeof sql,
                 "INSERT INTO txn(account_id, posted_at, amount_minor, currency, channel, class, description) VALUES "
                 "(%lld, '2026-10-01T01:00:00Z', -100, 'TWD', 'atm', 'withdrawal', NULL), "
                 "(%lld, '2026-10-02T01:00:00Z', 250, 'TWD', 'branch', 'de\"pos\\it\t', 'x \"y\"'), "
                 "(%lld, '2026-10-03T01:00:00Z', -5, 'TWD', 'pos', '購物', NULL)",
                 (long long)acct, (long long)acct, (long long)acct);
        assert_ok(rp_store_exec(wh_store(w), sql, &e));
        int64_t top = scalar(w, "SELECT max(id) FROM txn");
        static const int64_t ranges[][2] = { { 0, 0 }, { 3, 1000 }, { -2, 0 }, { -3, -1 } };
        for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
            int64_t after = ranges[i][0] < 0 ? top + ranges[i][0] : ranges[i][0];
            int64_t upto = ranges[i][1] < 0 ? top + ranges[i][1] : ranges[i][1];
            char *want = view_text(w, after, upto ? upto : INT64_MAX);
            char *got = scan_text(w, after, upto);
            assert_string_equal(got, want);
            free(want), free(got);
        }
        wh_close(w);
        return;
    }
    int64_t next = scalar(w, "SELECT max(id + n) FROM txn_block");
    static const char *const blocks[] = {
        /* as Rapport writes them, a deleted one among them, values past the class */
        "[[\"2026-10-01T01:00:00Z\",-100,\"atm\",\"withdrawal\"],null,"
        "[\"2026-10-02T01:00:00Z\",250,\"branch\",\"deposit\",\"K1\",null,\"x \\\"y\\\"\",null,3,\"i\"]]",
        /* escapes in the class, a real amount, an amount as text, a row cut short, an empty row */
        "[[\"2026-10-03T01:00:00Z\",-5,\"pos\",\"purch\\u0061se\"],[\"2026-10-04T01:00:00Z\",-7.9,\"mobile\",\"fee\"],"
        "[\"2026-10-05T01:00:00Z\",\"12\",\"internet\",\"fee\"],[\"2026-10-06T01:00:00Z\",-3],[]]",
        /* whitespace, a null class, an unknown channel, a nested value past the class, a scalar row */
        " [ [ \"2026-10-07T01:00:00Z\" , -1 , \"phone\" , null ] , [\"2026-10-08T01:00:00Z\",-2,\"telex\",\"fee\",[1]], 5 ] ",
    };
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
        char sql[1024];
        snprintf(sql, sizeof sql,
                 "INSERT INTO txn_block(id, n, account_id, currency, first_at, last_at, rows) "
                 "VALUES (%lld, 6, %lld, 'TWD', '2026-10-01T01:00:00Z', '2026-10-08T01:00:00Z', '%s')",
                 (long long)next, (long long)acct, blocks[i]);
        assert_ok(rp_store_exec(wh_store(w), sql, &e));
        next += 6;
    }
    static const int64_t ranges[][2] = { { 0, 0 }, { 3, 1000 }, { 9, 12 }, { 10, 11 } };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        char *want = view_text(w, ranges[i][0], ranges[i][1] ? ranges[i][1] : INT64_MAX);
        char *got = scan_text(w, ranges[i][0], ranges[i][1]);
        assert_string_equal(got, want);
        free(want), free(got);
    }
    /* a damaged block fails the scan as it fails the view */
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO txn_block(id, n, account_id, currency, first_at, last_at, rows) "
             "VALUES (%lld, 1, %lld, 'TWD', '2026-10-01T01:00:00Z', '2026-10-01T01:00:00Z', '[[\"2026-10-0')",
             (long long)next, (long long)acct);
    assert_ok(rp_store_exec(wh_store(w), sql, &e));
    wh_txn_scan *sc;
    wh_txn_item t;
    int rc;
    assert_ok(wh_txn_scan_open(w, 0, 0, &sc, &e));
    while ((rc = wh_txn_scan_next(sc, &t, &e)) == RP_ROW)
        ;
    assert_int_not_equal(rc, RP_DONE);
    wh_txn_scan_close(sc);
    wh_close(w);
}

/* An analysis that does not exist: the message names those that do, from the table. */
static void unknown_analysis_names_them_all(void **state)
{
    (void)state;
    wh *w = bank();
    an_job_opts o = { .job = "nope", .as_of = day("2026-10-31"), .user = "t" };
    json_t *s = NULL;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(an_job_run(w, &o, &s, &e), RP_USAGE);
    assert_null(s);
    char want[512] = "no analysis 'nope' (";
    for (int i = 0; i < an_njobs; i++)
        snprintf(want + strlen(want), sizeof want - strlen(want), "%s%s", i ? ", " : "", an_jobs[i].name);
    strcat(want, ")");
    assert_string_equal(rp_errmsg(&e), want);
    assert_non_null(strstr(want, "(value, pareto, pyramid, rfm, clv, gains-losses, migration, segment, cluster, "));
    wh_close(w);
}

/* ---- the customer signature (signature.c) ---- */

static wh *sig_bank(void)
{
    wh *w;
    rp_error e = RP_ERROR_INIT;
    if (wh_open(tu_store("sig.db"), tu_store_key(), WH_INIT, &w, NULL, &e))
        fail_msg("wh_open: %s", rp_errmsg(&e));
    if (wh_import_json(w, "../tests/fixtures/signature.json", "test", NULL, &e) &&
        wh_import_json(w, "tests/fixtures/signature.json", "test", NULL, &e))
        fail_msg("import: %s", rp_errmsg(&e));
    /* a campaign: X targeted and responding by the deadline, Y its control; Y called to complain */
    assert_ok(rp_store_exec(
        wh_store(w),
        "INSERT INTO campaign(code, name, start_date, end_date, response_deadline) "
        "VALUES ('CMP1', '定存加碼', '2026-09-01', '2026-09-20', '2026-10-15');"
        "INSERT INTO campaign_target(campaign, party_id, grp, contacted_at) SELECT 'CMP1', entity_id, 'treatment', "
        "'2026-09-10' FROM source_record WHERE entity = 'party' AND source_key = 'X';"
        "INSERT INTO campaign_target(campaign, party_id, grp, contacted_at) SELECT 'CMP1', entity_id, 'control', "
        "'2026-09-12' FROM source_record WHERE entity = 'party' AND source_key = 'Y';"
        "INSERT INTO campaign_response(campaign, party_id, response, responded_at) SELECT 'CMP1', entity_id, "
        "'positive', '2026-09-20' FROM source_record WHERE entity = 'party' AND source_key = 'X';"
        "INSERT INTO call_record(call_id, source, arrival, party_id, reason, abandoned) SELECT 'C1', 'cc', "
        "'2026-09-01T03:00:00Z', entity_id, 'complaint', 0 FROM source_record WHERE entity = 'party' AND source_key = 'Y';",
        &e));
    return w;
}

typedef struct sig_csv {
    char *text;
    size_t len;
    char *cell[8][128];         /* rows (0: the header) by column */
    int rows, cols;
} sig_csv;

/* The signature as of day, split into cells (no field here is quoted). */
static int sig_run(wh *w, const char *day_, const an_sig_opts *so, sig_csv *c, an_sig_info *info, rp_error *e)
{
    memset(c, 0, sizeof *c);
    an_job_opts o = { .as_of = day(day_), .user = "test" };
    FILE *f = open_memstream(&c->text, &c->len);
    int rc = an_signature(w, &o, so, f, info, e);
    fclose(f);
    char *save = NULL;
    for (char *line = strtok_r(c->text, "\n", &save); line && c->rows < 8; line = strtok_r(NULL, "\n", &save)) {
        int k = 0;
        for (char *p = line; p && k < 128; k++) {
            c->cell[c->rows][k] = p;
            p = strchr(p, ',');
            if (p)
                *p++ = 0;
        }
        c->cols = k;
        c->rows++;
    }
    return rc;
}

/* The value in column name of the row whose column key is value. */
static const char *sig_cell(const sig_csv *c, const char *key, const char *value, const char *name)
{
    int kc = -1, nc = -1;
    for (int k = 0; k < c->cols; k++) {
        if (!strcmp(c->cell[0][k], key))
            kc = k;
        if (!strcmp(c->cell[0][k], name))
            nc = k;
    }
    if (kc < 0 || nc < 0)
        fail_msg("no column %s or %s", key, name);
    for (int r = 1; r < c->rows; r++)
        if (!strcmp(c->cell[r][kc], value))
            return c->cell[r][nc];
    fail_msg("no row with %s = %s", key, value);
    return NULL;
}

/* What X (who left in October), Y and Z showed on 2026-09-30, and nothing of what came after. */
static void signature_knows_the_day_and_nothing_after(void **state)
{
    (void)state;
    wh *w = sig_bank();
    sig_csv c;
    an_sig_info info;
    rp_error e = RP_ERROR_INIT;
    an_sig_opts so = { .label = "churn", .horizon = 1 };
    assert_ok(sig_run(w, "2026-09-30", &so, &c, &info, &e));
    assert_int_equal(info.rows, 3); /* W closed in June: left out */
    assert_int_equal(info.left_out, 1);
    assert_int_equal(info.positives, 1);
    assert_int_equal(info.label_end, day("2026-10-31")); /* a whole month after a month's end */
    assert_int_equal(c.rows, 4);
    assert_string_equal(c.cell[0][c.cols - 1], "churn");
    /* X: 30 years old; the savings account held (closed 10-28), the time deposit not (broken and closed 08-12) */
    assert_string_equal(sig_cell(&c, "age", "30", "churn"), "1");
    assert_string_equal(sig_cell(&c, "age", "30", "accounts"), "1");
    assert_string_equal(sig_cell(&c, "age", "30", "has_time_deposit"), "0");
    /* the balance on 09-30 worked back from 0 now through October's transfer out */
    assert_string_equal(sig_cell(&c, "age", "30", "bal_deposit"), "249000");
    assert_string_equal(sig_cell(&c, "age", "30", "assets_3m_ago"), "190000"); /* 90,000 saved, 100,000 in the deposit */
    assert_string_equal(sig_cell(&c, "age", "30", "in_3m"), "160000");
    assert_string_equal(sig_cell(&c, "age", "30", "out_3m"), "101000"); /* not October's 249,000 */
    assert_string_equal(sig_cell(&c, "age", "30", "txn_3m"), "3");
    assert_string_equal(sig_cell(&c, "age", "30", "days_since_txn"), "10");
    assert_string_equal(sig_cell(&c, "age", "30", "salary_months_6m"), "5");
    assert_string_equal(sig_cell(&c, "age", "30", "salary_3m"), "60000");
    assert_string_equal(sig_cell(&c, "age", "30", "salary_prev_3m"), "90000");
    assert_string_equal(sig_cell(&c, "age", "30", "td_breaks_3m"), "1");
    assert_string_equal(sig_cell(&c, "age", "30", "days_since_td_break"), "49");
    assert_string_equal(sig_cell(&c, "age", "30", "complaints_3m"), "1");
    assert_string_equal(sig_cell(&c, "age", "30", "days_since_complaint"), "15");
    assert_string_equal(sig_cell(&c, "age", "30", "campaigns_12m"), "1");
    assert_string_equal(sig_cell(&c, "age", "30", "responses_12m"), "1");
    assert_string_equal(sig_cell(&c, "age", "30", "occupation"), "engineer");
    assert_string_equal(sig_cell(&c, "age", "30", "tenure_months"), "21");
    /* Y: the card closed without a date was held (bought with in October); stays */
    assert_string_equal(sig_cell(&c, "age", "76", "churn"), "0");
    assert_string_equal(sig_cell(&c, "age", "76", "products"), "2");
    assert_string_equal(sig_cell(&c, "age", "76", "has_card"), "1");
    /* the card system states no balance: none is worked back from its purchases (a leak) */
    assert_string_equal(sig_cell(&c, "age", "76", "bal_card"), "");
    assert_string_equal(sig_cell(&c, "age", "76", "debt"), "0");
    assert_string_equal(sig_cell(&c, "age", "76", "calls_3m"), "1");
    assert_string_equal(sig_cell(&c, "age", "76", "complaints_3m"), "1");
    assert_string_equal(sig_cell(&c, "age", "76", "bal_deposit"), "4990"); /* before October's interest */
    /* Z: the loan opened in October is not held yet */
    assert_string_equal(sig_cell(&c, "kind", "organisation", "has_loan"), "0");
    assert_string_equal(sig_cell(&c, "kind", "organisation", "churn"), "0");
    assert_string_equal(sig_cell(&c, "kind", "organisation", "age"), "");
    free(c.text);
    wh_close(w);
}

static void signature_labels_takeup_and_response(void **state)
{
    (void)state;
    wh *w = sig_bank();
    sig_csv c;
    an_sig_info info;
    rp_error e = RP_ERROR_INIT;
    an_sig_opts so = { .label = "takeup", .product = "loan", .horizon = 1 };
    assert_ok(sig_run(w, "2026-09-30", &so, &c, &info, &e));
    assert_int_equal(info.rows, 3);
    assert_int_equal(info.positives, 1);
    assert_string_equal(sig_cell(&c, "kind", "organisation", "takeup"), "1");
    assert_string_equal(sig_cell(&c, "age", "76", "takeup"), "0");
    free(c.text);
    /* by product code too; a product nobody holds is named */
    so.product = "LN";
    assert_ok(sig_run(w, "2026-09-30", &so, &c, &info, &e));
    assert_int_equal(info.positives, 1);
    free(c.text);
    so.product = "MORTGAGE";
    assert_int_equal(sig_run(w, "2026-09-30", &so, &c, &info, &e), RP_NOTFOUND);
    assert_string_equal(rp_errmsg(&e), "--product: no account of a product or product kind 'MORTGAGE'");
    free(c.text);
    /* the response to CMP1: its targets only, as of the day before its first contact */
    so = (an_sig_opts){ .label = "response", .campaign = "CMP1" };
    assert_ok(sig_run(w, "2026-12-31", &so, &c, &info, &e));
    assert_int_equal(info.as_of, day("2026-09-09"));
    assert_int_equal(info.rows, 2);
    assert_int_equal(info.positives, 1);
    assert_string_equal(sig_cell(&c, "age", "30", "response"), "1");
    assert_string_equal(sig_cell(&c, "age", "30", "group"), "treatment");
    assert_string_equal(sig_cell(&c, "age", "30", "campaigns_12m"), "0"); /* contacted after the day */
    assert_string_equal(sig_cell(&c, "age", "76", "response"), "0");
    assert_string_equal(sig_cell(&c, "age", "76", "group"), "control");
    free(c.text);
    so.campaign = "NOPE";
    assert_int_equal(sig_run(w, "2026-09-30", &so, &c, &info, &e), RP_NOTFOUND);
    assert_string_equal(rp_errmsg(&e), "--campaign: no targets of campaign 'NOPE' in the warehouse");
    free(c.text);
    wh_close(w);
}

/* Y's card statements, worked by hand: July revolved (5,000 of 10,000 repaid), August revolved with a
 * 3,000 cash advance, September missed (30 days past due, 60,000 over a 50,000 limit); October,
 * after the day, 60 days past due: the delinquency label. */
static wh *card_bank(void)
{
    wh *w = sig_bank();
    rp_error e = RP_ERROR_INIT;
    assert_ok(rp_store_exec(
        wh_store(w),
        "INSERT INTO account_statement(account_id, statement_date, previous_balance_minor, purchases_minor, "
        "cash_advances_minor, payments_minor, balance_minor, credit_limit_minor, minimum_due_minor, days_past_due, "
        "source) SELECT id, d, prev, 0, cash, paid, bal, 5000000, 100000, dpd, 'card' FROM account, (SELECT "
        "'2026-07-31' AS d, 1000000 AS prev, 0 AS cash, 500000 AS paid, 2000000 AS bal, 0 AS dpd UNION ALL SELECT "
        "'2026-08-31', 2000000, 300000, 500000, 4000000, 0 UNION ALL SELECT '2026-09-30', 4000000, 0, 0, 6000000, 30 "
        "UNION ALL SELECT '2026-10-31', 6000000, 0, 0, 6100000, 60) s WHERE number = 'Y-CC'",
        &e));
    return w;
}

static void signature_reads_card_statements(void **state)
{
    (void)state;
    wh *w = card_bank();
    sig_csv c;
    an_sig_info info;
    rp_error e = RP_ERROR_INIT;
    an_sig_opts so = { .label = "delinquency", .horizon = 1 };
    assert_ok(sig_run(w, "2026-09-30", &so, &c, &info, &e));
    assert_int_equal(info.rows, 1); /* the card holders only */
    assert_int_equal(info.positives, 1);
    assert_string_equal(sig_cell(&c, "age", "76", "card_statements_12m"), "3");
    assert_string_equal(sig_cell(&c, "age", "76", "card_balance"), "60000");
    assert_string_equal(sig_cell(&c, "age", "76", "card_utilisation"), "1.2");
    assert_string_equal(sig_cell(&c, "age", "76", "card_dpd"), "30");
    assert_string_equal(sig_cell(&c, "age", "76", "card_max_dpd_12m"), "30");
    assert_string_equal(sig_cell(&c, "age", "76", "card_delinquent_12m"), "1");
    assert_string_equal(sig_cell(&c, "age", "76", "card_over_limit_12m"), "1");
    assert_string_equal(sig_cell(&c, "age", "76", "card_revolving_6m"), "3");
    assert_string_equal(sig_cell(&c, "age", "76", "card_paid_full_6m"), "0");
    assert_string_equal(sig_cell(&c, "age", "76", "card_payment_ratio_3m"), "0.1429"); /* 10,000 of 70,000 */
    assert_string_equal(sig_cell(&c, "age", "76", "card_cash_advance_12m"), "3000");
    assert_string_equal(sig_cell(&c, "age", "76", "delinquency"), "1");
    free(c.text);
    /* 60 days past due counts only from --dpd 60 up */
    so.dpd = 61;
    assert_ok(sig_run(w, "2026-09-30", &so, &c, &info, &e));
    assert_int_equal(info.positives, 0);
    free(c.text);
    /* a month earlier: August's statement is the latest, and September's missed payment the label */
    so.dpd = 0;
    assert_ok(sig_run(w, "2026-08-31", &so, &c, &info, &e));
    assert_string_equal(sig_cell(&c, "age", "76", "card_dpd"), "0");
    assert_string_equal(sig_cell(&c, "age", "76", "card_statements_12m"), "2");
    assert_string_equal(sig_cell(&c, "age", "76", "delinquency"), "1");
    free(c.text);
    /* without a label the others have no card columns */
    so = (an_sig_opts){ 0 };
    assert_ok(sig_run(w, "2026-09-30", &so, &c, &info, &e));
    assert_string_equal(sig_cell(&c, "age", "30", "card_statements_12m"), "0");
    assert_string_equal(sig_cell(&c, "age", "30", "card_dpd"), "");
    free(c.text);
    /* statements end 10-31: a month after 10-15 is not known yet */
    so = (an_sig_opts){ .label = "delinquency", .horizon = 1 };
    assert_int_equal(sig_run(w, "2026-10-15", &so, &c, &info, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "--horizon: a delinquency label 1 month(s) after the as-of date needs card "
                                       "statements to 2026-11-15; they end 2026-10-31 (give an earlier --as-of)");
    free(c.text);
    wh_close(w);
}

/* The risk model's scoring handed to the behaviour analysis: Y at 5 %. */
static int y_scored(void *ctx, const char *model, size_t *n, int64_t **customer, double **p, int **decile,
                    rp_error *err)
{
    (void)err;
    if (strcmp(model, "risk"))
        return rp_err(err, RP_NOTFOUND, "no model '%s'", model);
    *n = 1;
    *customer = malloc(sizeof **customer), *p = malloc(sizeof **p), *decile = malloc(sizeof **decile);
    **customer = *(int64_t *)ctx, **p = 0.05, **decile = 1;
    return RP_OK;
}

/* Behaviour types by the rules and the risk grade by the master scale, kept per customer. */
static void behaviour_types_and_grades(void **state)
{
    (void)state;
    wh *w = card_bank();
    rp_error e = RP_ERROR_INIT;
    int64_t y;
    assert_ok(rp_store_query_int(wh_store(w), "SELECT entity_id FROM source_record WHERE entity = 'party' AND "
                                              "source_key = 'Y'", &y, &e));
    an_job_opts o = { .job = "behaviour", .as_of = day("2026-09-30"), .user = "test", .save = 1,
                      .model_scores = y_scored, .model_scores_ctx = &y };
    json_t *sum;
    assert_ok(an_job_run(w, &o, &sum, &e));
    assert_int_equal(json_integer_value(json_object_get(sum, "customers")), 3);
    json_decref(sum);
    rp_stmt *st;
    assert_ok(rp_store_prepare(wh_store(w), "SELECT types, primary_type, risk_grade, risk_p FROM customer_behaviour "
                                            "WHERE customer_id = ?", &st, &e));
    rp_stmt_bind_int(st, 1, y);
    assert_int_equal(rp_stmt_step(st, &e), RP_ROW);
    assert_non_null(strstr(rp_stmt_text(st, 0), "revolver")); /* 3 of the last 6 statements revolved */
    assert_null(strstr(rp_stmt_text(st, 0), "transactor"));
    assert_string_equal(rp_stmt_text(st, 2), "C"); /* 0.03 <= 0.05 < 0.08 */
    assert_true(fabs(rp_stmt_real(st, 3) - 0.05) < 1e-12);
    rp_stmt_done(st);
    /* the customer scores show it */
    json_t *sc;
    assert_ok(an_scores(w, y, &sc, &e));
    char *txt = json_dumps(sc, JSON_COMPACT);
    assert_non_null(strstr(txt, "\"analysis\":\"behaviour\""));
    assert_non_null(strstr(txt, "\"risk_grade\":\"C\""));
    free(txt);
    json_decref(sc);
    /* bad grade bands are refused, naming the setting */
    rp_config *cfg = rp_config_new();
    assert_ok(rp_config_load_str(cfg, "test", "[behaviour]\ngrade_bands = 0.05, 0.03, 0.1, 0.2\n", &e));
    o.cfg = cfg;
    assert_int_equal(an_job_run(w, &o, &sum, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "[behaviour] grade_bands: four probabilities between 0 and 1, each above the "
                                       "one before, not '0.05, 0.03, 0.1, 0.2'");
    rp_config_free(cfg);
    wh_close(w);
}

static void signature_refuses_what_it_cannot_know(void **state)
{
    (void)state;
    wh *w = sig_bank();
    sig_csv c;
    an_sig_info info;
    rp_error e = RP_ERROR_INIT;
    an_sig_opts so = { .label = "churn", .horizon = 1 };
    assert_int_equal(sig_run(w, "2026-10-15", &so, &c, &info, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "--horizon: a churn label 1 month(s) after the as-of date needs transactions "
                                       "to 2026-11-15; they end 2026-10-31 (give an earlier --as-of)");
    assert_int_equal(c.len, 0); /* nothing written */
    free(c.text);
    so = (an_sig_opts){ .label = "attrition" };
    assert_int_equal(sig_run(w, "2026-09-30", &so, &c, &info, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "--label: 'attrition' is not churn, response, takeup or delinquency");
    free(c.text);
    so = (an_sig_opts){ .label = "churn", .horizon = 2, .lapse = 3 };
    assert_int_equal(sig_run(w, "2026-09-30", &so, &c, &info, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "--lapse: 3 months is not from 0 to the horizon (2)");
    free(c.text);
    so = (an_sig_opts){ .label = "response" };
    assert_int_equal(sig_run(w, "2026-09-30", &so, &c, &info, &e), RP_USAGE);
    free(c.text);
    wh_close(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(base_reads_customers_accounts_and_windows),
        cmocka_unit_test(value_pareto_and_pyramid_by_hand),
        cmocka_unit_test(channels_by_hand),
        cmocka_unit_test(rfm_by_hand),
        cmocka_unit_test(gains_and_losses_by_hand),
        cmocka_unit_test(segments_overlap_and_gaps_are_reported),
        cmocka_unit_test(cdnow_through_the_etl),
        cmocka_unit_test(column_copy_matches_and_keeps_up),
        cmocka_unit_test(column_copy_of_another_store_is_not_taken),
        cmocka_unit_test(jobs_share_what_they_read),
        cmocka_unit_test(unknown_analysis_names_them_all),
        cmocka_unit_test(transaction_scan_reads_what_the_view_shows),
        cmocka_unit_test(transaction_scan_reads_on_past_a_fetch),
        cmocka_unit_test(signature_knows_the_day_and_nothing_after),
        cmocka_unit_test(signature_labels_takeup_and_response),
        cmocka_unit_test(signature_refuses_what_it_cannot_know),
        cmocka_unit_test(signature_reads_card_statements),
        cmocka_unit_test(behaviour_types_and_grades),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
