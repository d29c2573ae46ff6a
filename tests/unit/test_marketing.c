/* test_marketing.c — offers, a campaign's lifecycle, the waterfall step by step on customers made
 * by hand (each one taken out by exactly one step), the control group, the bulk reach against the
 * one-customer decision (wh_contactable), the sample size. */
#include "testutil.h"

#include <math.h>
#include <string.h>
#include "core/rtime.h"
#include "marketing/internal.h"
#include "marketing/marketing.h"
#include "warehouse/warehouse.h"

static wh *w;
static int64_t cust[16];

static int64_t person(const char *name, const char *birth, const char *status)
{
    wh_party p = { .kind = "person", .name_zh = name, .birth_date = birth, .status = status };
    int64_t id;
    rp_error e = RP_ERROR_INIT;
    assert_ok(wh_party_add(w, &p, &id, &e));
    return id;
}

static void contact(int64_t id, const char *kind, const char *value, const char *postal)
{
    wh_contact c = { .kind = kind, .value = value, .postal_code = postal, .purpose = "home" };
    rp_error e = RP_ERROR_INIT;
    assert_ok(wh_contact_add(w, id, &c, NULL, &e));
}

static void consent(int64_t id, const char *channel, int granted, const char *when)
{
    wh_consent c = { .party_id = id, .purpose = "marketing", .channel = channel, .granted = granted,
                     .effective_at = when, .recorded_by = "t" };
    rp_error e = RP_ERROR_INIT;
    assert_ok(wh_consent_set(w, &c, &e));
}

static void account(int64_t id, const char *product, int n)
{
    char number[32];
    snprintf(number, sizeof number, "ACC%d", n);
    wh_account a = { .number = number, .product = product, .currency = "TWD", .opened_on = "2020-01-01",
                     .balance_minor = 50000000 };
    int64_t acc;
    rp_error e = RP_ERROR_INIT;
    assert_ok(wh_account_add(w, &a, &acc, &e));
    assert_ok(wh_role_add(w, id, acc, "owner", NULL, &e));
}

/* Twelve customers, each (but the first two and the household's first) taken out by one step. */
static int setup(void **state)
{
    (void)state;
    rp_error e = RP_ERROR_INIT;
    if (wh_open(tu_store("m.db"), tu_store_key(), WH_INIT, &w, NULL, &e))
        return 1;
    wh_category cat = { .code = "all", .name_zh = "全部" };
    const char *cats[] = { "all", NULL };
    wh_product sav = { .code = "SAV", .name_zh = "活存", .kind = "deposit", .currency = "TWD", .categories = cats };
    wh_product fnd = { .code = "FND", .name_zh = "基金", .kind = "investment", .currency = "TWD", .categories = cats };
    assert_ok(wh_category_put(w, &cat, &e));
    assert_ok(wh_product_put(w, &sav, &e));
    assert_ok(wh_product_put(w, &fnd, &e));
    static const char *const names[] = { "甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸", "子", "丑" };
    for (int i = 0; i < 12; i++) {
        cust[i] = person(names[i], i == 7 ? "2012-05-01" : "1980-05-01", i == 6 ? "deceased" : NULL);
        char addr[64], mail[64];
        snprintf(addr, sizeof addr, "台北市信義路%d號", i == 11 ? 10 : i);   /* 10 and 11 share an address */
        snprintf(mail, sizeof mail, "c%d@example.com", i);
        contact(cust[i], "address", addr, "110");
        contact(cust[i], "email", mail, NULL);
        if (i != 2)
            consent(cust[i], "any", 1, "2020-01-01T00:00:00Z");
        account(cust[i], i == 8 ? "FND" : "SAV", i);
    }
    consent(cust[3], "mail", 0, "2024-01-01T00:00:00Z");              /* 3: withdrew mail later */
    wh_dnc d = { .party_id = cust[4], .channel = "any", .reason = "customer_request", .since = "2024-01-01" };
    assert_ok(wh_dnc_add(w, &d, NULL, &e));                             /* 4: asked not to be contacted */
    wh_staff s = { .party_id = cust[5], .employee_no = "E1" };
    assert_ok(wh_staff_put(w, &s, &e));                                 /* 5: staff */
    wh_interaction c = { .party_id = cust[9], .channel = "phone", .reason = "fees", .kind = "complaint",
                         .at = "2026-01-01T00:00:00Z" };
    assert_ok(wh_interaction_add(w, &c, NULL, &e));                     /* 9: an open complaint */
    /* 6 deceased, 7 a minor, 8 holds the fund, 11 shares 10's address and is the poorer */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    wh_close(w);
    return 0;
}

static void the_waterfall_takes_each_out_once(void **state)
{
    (void)state;
    rp_error e = RP_ERROR_INIT;
    mk_offer o = { .code = "F1", .name = "基金優惠", .product = "FND", .cost_minor = 1500, .value_minor = 120000 };
    int created;
    assert_ok(mk_offer_put(w, &o, "t", &created, &e));
    assert_int_equal(created, 1);
    mk_campaign c = { .code = "C1", .name = "基金", .objective = "cross-sell", .purpose = "marketing",
                      .rule = "accounts >= 1", .has_control_pct = 1, .control_pct = 0 };
    assert_ok(mk_campaign_create(w, &c, "amy", &e));
    mk_cell cell = { .campaign = "C1", .cell = "A", .offer = "F1", .channel = "direct_mail" };
    assert_ok(mk_cell_put(w, &cell, "amy", &e));
    mk_env env = { 0 };
    mk_mart *m;
    assert_ok(mk_mart_build(w, &env, &m, &e));
    json_t *info = mk_mart_info(m);
    assert_non_null(info);
    json_decref(info);
    json_t *r;
    assert_ok(mk_select(w, m, "C1", "amy", &r, &e));
    static const char *const want[][2] = { { "candidates", "12" }, { "deceased_or_closed", "1" }, { "minor", "1" },
                                           { "staff", "1" }, { "do_not_contact", "1" }, { "no_consent", "2" },
                                           { "unreachable", "0" }, { "open_complaint", "1" }, { "holds_product", "1" },
                                           { "household", "1" } };
    json_t *wf = json_object_get(r, "waterfall");
    for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
        size_t i;
        json_t *s;
        int found = 0;
        json_array_foreach(wf, i, s) if (!strcmp(json_string_value(json_object_get(s, "name")), want[k][0])) {
            found = 1;
            long long got = json_integer_value(json_object_get(s, k ? "removed" : "remaining"));
            if (got != atoll(want[k][1]))
                fail_msg("%s: %lld, not %s", want[k][0], got, want[k][1]);
        }
        assert_true(found);
    }
    assert_int_equal(json_integer_value(json_object_get(r, "treated")), 3); /* 0, 1 and 10 */
    json_decref(r);
    /* the survivors are 0, 1 and 10: the targets written */
    json_t *got;
    assert_ok(mk_campaign_get(w, "C1", &got, &e));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(got, "targets"), "treatment")), 3);
    assert_string_equal(json_string_value(json_object_get(got, "status")), "draft");
    json_decref(got);
    /* the one-customer decision agrees: 3 withdrew mail, 4 is on the list */
    for (int i = 0; i < 5; i++) {
        json_t *d;
        assert_ok(wh_contactable(w, cust[i], "marketing", "mail", rp_now(), &d, &e));
        assert_int_equal(json_is_true(json_object_get(d, "allowed")), i < 2);
        if (i == 4)
            assert_non_null(strstr(json_string_value(json_object_get(d, "reason")), "do-not-contact"));
        json_decref(d);
    }
    /* with email the household and the withdrawal of mail do not matter */
    mk_cell mail = { .campaign = "C1", .cell = "A", .offer = "F1", .channel = "email" };
    assert_ok(mk_cell_put(w, &mail, "amy", &e));
    assert_ok(mk_count(w, m, "C1", NULL, &r, &e));
    assert_int_equal(json_integer_value(json_object_get(r, "treated")), 5); /* 0, 1, 3, 10, 11 */
    json_decref(r);
    mk_mart_close(m);
}

static void the_lifecycle_refuses_what_it_must(void **state)
{
    (void)state;
    rp_error e = RP_ERROR_INIT;
    const char *st;
    assert_int_equal(mk_campaign_act(w, "C1", "launch", "amy", NULL, &st, &e), RP_DENIED);
    assert_int_equal(mk_campaign_act(w, "C1", "submit", "amy", NULL, &st, &e), RP_DENIED); /* changed: select again */
    mk_env env = { 0 };
    mk_mart *m;
    json_t *r;
    assert_ok(mk_mart_build(w, &env, &m, &e));
    assert_ok(mk_select(w, m, "C1", "amy", &r, &e));
    json_decref(r);
    assert_ok(mk_campaign_act(w, "C1", "submit", "amy", NULL, &st, &e));
    assert_string_equal(st, "submitted");
    assert_int_equal(mk_select(w, m, "C1", "amy", &r, &e), RP_DENIED);
    assert_int_equal(mk_campaign_act(w, "C1", "approve", "amy", NULL, &st, &e), RP_DENIED);
    assert_non_null(strstr(rp_errmsg(&e), "four eyes"));
    assert_ok(mk_campaign_act(w, "C1", "approve", "ben", NULL, &st, &e));
    assert_ok(mk_campaign_act(w, "C1", "launch", "ben", NULL, &st, &e));
    assert_string_equal(st, "running");
    assert_int_equal(mk_campaign_act(w, "C1", "resume", "ben", NULL, &st, &e), RP_DENIED);
    json_t *got;
    assert_ok(mk_campaign_get(w, "C1", &got, &e));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(got, "targets"), "contacted")), 5);
    assert_int_equal(json_array_size(json_object_get(got, "history")), 8);
    json_decref(got);
    mk_mart_close(m);
    /* bad input names its member */
    mk_campaign bad = { .code = "C2", .name = "x", .objective = "y" };
    assert_int_equal(mk_campaign_create(w, &bad, "amy", &e), RP_INVAL);
    assert_non_null(strstr(rp_errmsg(&e), "campaign.purpose"));
    mk_offer nop = { .code = "F2", .name = "x" };
    assert_int_equal(mk_offer_put(w, &nop, "t", NULL, &e), RP_INVAL);
    assert_non_null(strstr(rp_errmsg(&e), "offer.product"));
}

static void sample_size_is_m15(void **state)
{
    (void)state;
    assert_int_equal(mk_sample_size(0.05, 0.01, 95), 1825); /* 1.959964^2 x 0.05 x 0.95 / 0.01^2 = 1824.7 */
    assert_int_equal(mk_sample_size(0.5, 0.05, 80), 165);
    assert_int_equal(mk_sample_size(0.5, 0.05, 99), 0);
}

/* The closed lists of marketing's tables are the module's own lists (marketing.h). */
static void schema_checks_are_the_lists(void **state)
{
    (void)state;
    static const struct {
        const char *table;
        const char *const *values;
    } lists[] = { { "campaign_plan", mk_statuses }, { "campaign_cell", mk_channels } };
    rp_error e = RP_ERROR_INIT;
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
        rp_stmt *st;
        /* SQLite's CREATE statement; PostgreSQL's CHECKs of the table ("ARRAY['a'::text, ...]": ::text left out) */
        int pg = !strcmp(rp_store_backend(wh_store(w)), "postgresql");
        assert_ok(rp_store_prepare(wh_store(w), pg ? "SELECT replace(string_agg(pg_get_constraintdef(oid), ' '), '::text', '') "
                                                     "FROM pg_constraint WHERE conrelid = to_regclass(?) AND contype = 'c'"
                                                   : "SELECT sql FROM sqlite_master WHERE name = ?",
                                   &st, &e));
        rp_stmt_bind_text(st, 1, lists[i].table);
        assert_int_equal(rp_stmt_step(st, &e), RP_ROW);
        char want[512] = "";
        for (const char *const *v = lists[i].values; *v; v++)
            snprintf(want + strlen(want), sizeof want - strlen(want), "%s'%s'", *want ? ", " : "", *v);
        char sql[4096];
        size_t n = 0;
        for (const char *p = rp_stmt_text(st, 0); *p && n + 1 < sizeof sql; p++) /* blanks and newlines as one */
            if (!(*p == ' ' || *p == '\n') || (n && sql[n - 1] != ' '))
                sql[n++] = *p == '\n' ? ' ' : *p;
        sql[n] = 0;
        if (!strstr(sql, want))
            fail_msg("%s: the schema's list is not (%s)", lists[i].table, want);
        rp_stmt_done(st);
    }
}

static void opened(int64_t id, const char *product, const char *day, int n)
{
    char number[32];
    snprintf(number, sizeof number, "R%d", n);
    wh_account a = { .number = number, .product = product, .currency = "TWD", .opened_on = day, .balance_minor = 100 };
    int64_t acc;
    rp_error e = RP_ERROR_INIT;
    assert_ok(wh_account_add(w, &a, &acc, &e));
    assert_ok(wh_role_add(w, id, acc, "owner", NULL, &e));
}

static int64_t count_responses(void)
{
    rp_stmt *st;
    rp_error e = RP_ERROR_INIT;
    assert_ok(rp_store_prepare(wh_store(w), "SELECT count(*) FROM campaign_response", &st, &e));
    assert_int_equal(rp_stmt_step(st, &e), RP_ROW);
    int64_t n = rp_stmt_int(st, 0);
    rp_stmt_done(st);
    return n;
}

static double num(const json_t *o, const char *k) { return json_number_value(json_object_get(o, k)); }

/* A campaign of 12 treated and 8 control customers, responses from a file, from behaviour (the
 * fund opened in the window, and not before the contact, after the deadline or of another product)
 * and from staff; the results by hand and by scipy (chi2_contingency [[4, 8], [2, 6]], no
 * correction: chi2 0.158730, p 0.690328). */
static void responses_and_results(void **state)
{
    (void)state;
    rp_error e = RP_ERROR_INIT;
    setenv("RAPPORT_NOW", "2026-06-01T04:00:00Z", 1);
    int64_t c[20];
    for (int i = 0; i < 20; i++)
        c[i] = i < 12 ? cust[i] : person("寅", "1970-01-01", NULL);
    mk_offer o = { .code = "FNDOFF", .name = "基金", .product = "FND", .cost_minor = 1000, .value_minor = 100000 };
    int created;
    assert_ok(mk_offer_put(w, &o, "t", &created, &e));
    wh_campaign r1 = { .code = "R1", .name = "基金推廣", .offer = "FNDOFF", .channel = "email",
                       .start_date = "2026-01-01", .end_date = "2026-03-15", .response_deadline = "2026-03-31" };
    wh_campaign r2 = { .code = "R2", .name = "後來的", .start_date = "2026-02-01" };
    assert_ok(wh_campaign_register(w, &r1, 0, &e));
    assert_ok(wh_campaign_register(w, &r2, 0, &e));
    for (int i = 0; i < 20; i++) {
        wh_campaign_target t = { .campaign = "R1", .party_id = c[i], .group = i < 12 ? "treatment" : "control",
                                 .contacted_at = i < 12 ? "2026-01-10" : NULL, .channel = "email" };
        assert_ok(wh_campaign_target_add(w, &t, &e));
    }
    wh_campaign_target later = { .campaign = "R2", .party_id = c[4], .group = "treatment", .contacted_at = "2026-02-01" };
    assert_ok(wh_campaign_target_add(w, &later, &e));
    const int pos[] = { 0, 1, 2, 12 };
    for (int k = 0; k < 4; k++) {
        wh_campaign_response r = { .campaign = "R1", .party_id = c[pos[k]], .response = "positive",
                                   .responded_at = pos[k] < 12 ? "2026-01-20" : "2026-02-01", .source = "file" };
        assert_ok(wh_campaign_response_put(w, &r, &e));
    }
    wh_campaign_response neg = { .campaign = "R1", .party_id = c[3], .response = "negative", .responded_at = "2026-01-15" };
    assert_ok(wh_campaign_response_put(w, &neg, &e));
    /* a response from a customer never targeted: refused, nothing written */
    wh_campaign_response stranger = { .campaign = "R2", .party_id = c[0], .response = "positive" };
    assert_int_equal(wh_campaign_response_put(w, &stranger, &e), RP_NOTFOUND);
    char want[160];
    snprintf(want, sizeof want, "campaign_response.party_id: customer %lld is not a target of campaign R2", (long long)c[0]);
    assert_string_equal(e.msg, want);
    opened(c[4], "FND", "2026-02-05", 1);   /* treated, in the window: positive */
    opened(c[5], "FND", "2025-12-01", 2);   /* before the contact */
    opened(c[6], "SAV", "2026-02-05", 3);   /* another product */
    opened(c[13], "FND", "2026-01-05", 4);  /* control, after the start: positive */
    opened(c[14], "FND", "2026-04-10", 5);  /* control, after the deadline */
    json_t *ob;
    assert_ok(mk_observe(w, "R1", "t", &ob, &e));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(ob, "added"), "treatment")), 1);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(ob, "added"), "control")), 1);
    json_decref(ob);
    assert_ok(mk_observe(w, "R1", "t", &ob, &e));  /* again: nothing new */
    assert_int_equal(json_integer_value(json_object_get(json_object_get(ob, "added"), "treatment")), 0);
    json_decref(ob);
    int64_t before = count_responses();
    mk_response bad[] = { { "R1", c[15] + 1000, "positive", "2026-02-01", NULL, NULL, "t" },
                          { "R1", c[7], "positive", "2026-04-01", NULL, NULL, "t" },
                          { "R1", c[7], "maybe", "2026-02-01", NULL, NULL, "t" },
                          { "NOPE", c[7], "positive", NULL, NULL, NULL, "t" } };
    const int codes[] = { RP_NOTFOUND, RP_DENIED, RP_INVAL, RP_NOTFOUND };
    const char *msgs[] = { NULL, "response.at: 2026-04-01 is outside campaign R1's response window, 2026-01-01 to 2026-03-31",
                           "campaign_response.response: 'maybe' is not one of positive, negative", "no campaign 'NOPE'" };
    for (int k = 0; k < 4; k++) {
        assert_int_equal(mk_response_record(w, &bad[k], &e), codes[k]);
        if (msgs[k] && strcmp(e.msg, msgs[k]))
            fail_msg("bad response %d: %s", k, e.msg);
    }
    assert_int_equal(count_responses(), before);
    mk_response ok = { "R1", c[7], "negative", "2026-02-10", NULL, "不需要", "teller" };
    assert_ok(mk_response_record(w, &ok, &e));
    json_t *r;
    assert_ok(mk_results(w, "R1", &r, &e));
    json_t *all = json_object_get(r, "overall");
    assert_string_equal(json_string_value(json_object_get(r, "window")), "closed");
    assert_int_equal(json_integer_value(json_object_get(all, "treated")), 12);
    assert_int_equal(json_integer_value(json_object_get(all, "control")), 8);
    assert_int_equal(json_integer_value(json_object_get(all, "responders")), 4);
    assert_int_equal(json_integer_value(json_object_get(all, "control_responders")), 2);
    assert_int_equal(json_integer_value(json_object_get(all, "negatives")), 2);
    assert_int_equal(json_integer_value(json_object_get(all, "neutral")), 6);
    assert_int_equal(json_integer_value(json_object_get(all, "credited_responders")), 3);  /* 4: R2 touched later */
    assert_true(fabs(num(all, "uplift") - 1.0 / 12) < 1e-12);
    assert_true(fabs(num(all, "lift") - 4.0 / 3) < 1e-12);
    assert_true(fabs(num(all, "incremental_responders") - 1) < 1e-12);
    assert_true(fabs(num(all, "z") - 0.39840953644479793) < 1e-9);
    assert_true(fabs(num(all, "p_value") - 0.6903283294641935) < 1e-9);
    assert_true(fabs(json_number_value(json_array_get(json_object_get(all, "ci95"), 0)) + 0.3181293890890777) < 1e-9);
    assert_true(fabs(json_number_value(json_array_get(json_object_get(all, "ci95"), 1)) - 0.4847960557557443) < 1e-9);
    assert_false(json_is_true(json_object_get(all, "significant")));
    assert_true(fabs(num(all, "cost") - 120) < 1e-9);                 /* 12 contacted x 10 */
    assert_true(fabs(num(all, "incremental_revenue") - 1000) < 1e-9); /* 1 incremental x 1,000 */
    assert_true(fabs(num(all, "roi") - 880.0 / 120) < 1e-9);
    json_t *days = json_object_get(r, "daily");
    assert_int_equal(json_array_size(days), 90);                       /* 2026-01-01 to 2026-03-31 */
    json_t *d = json_array_get(days, 19);                              /* 2026-01-20: the file's three */
    assert_string_equal(json_string_value(json_object_get(d, "day")), "2026-01-20");
    assert_int_equal(json_integer_value(json_object_get(d, "responders")), 3);
    assert_int_equal(json_integer_value(json_object_get(d, "control_responders")), 1);
    d = json_array_get(days, 89);
    assert_int_equal(json_integer_value(json_object_get(d, "responders")), 4);
    assert_int_equal(json_integer_value(json_object_get(d, "control_responders")), 2);
    json_decref(r);
    /* a campaign still in design takes no response */
    mk_campaign dc = { .code = "D1", .name = "草稿", .objective = "x", .purpose = "marketing" };
    assert_ok(mk_campaign_create(w, &dc, "t", &e));
    mk_response early = { "D1", c[7], "positive", NULL, NULL, NULL, "t" };
    assert_int_equal(mk_response_record(w, &early, &e), RP_DENIED);
    assert_string_equal(e.msg, "campaign D1 is draft: responses are taken once it runs");
    unsetenv("RAPPORT_NOW");
}

/* ---- offer optimisation ---- */

static const char *const onames[] = { "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P",
                                      "Q", "R", "S", "T" };

static double picked_value(const mk_opt *p, const mk_opt_result *r)
{
    double v = 0;
    for (size_t i = 0; i < p->n; i++)
        for (int s = 0; s < r->m; s++) {
            int j = r->pick[i * (size_t)r->m + (size_t)s];
            if (j >= 0) {
                float sc = p->score[i * (size_t)p->k + (size_t)j];
                v += p->level == 4 ? sc * p->value[j] - p->cost[j] : sc;
            }
        }
    return v;
}

/* The best of every assignment of a tiny problem (one choice or none each), by enumeration. */
static double brute(const mk_opt *p)
{
    double best = -INFINITY;
    int n = (int)p->n, k = p->k;
    long total = 1;
    for (int i = 0; i < n; i++)
        total *= k + 1;
    for (long code = 0; code < total; code++) {
        long c = code;
        double v = 0, cost = 0;
        int64_t per[8] = { 0 };
        int ok = 1;
        for (int i = 0; i < n && ok; i++, c /= k + 1) {
            int j = (int)(c % (k + 1)) - 1;
            if (j < 0)
                continue;
            float sc = p->score[i * k + j];
            if (!(sc >= 0))
                ok = 0;
            else
                v += sc * p->value[j] - p->cost[j], cost += p->cost[j], per[j]++;
        }
        for (int j = 0; j < k && ok; j++)
            ok = per[j] >= p->min[j] && (!p->max[j] || per[j] <= p->max[j]);
        if (ok && (p->budget <= 0 || cost <= p->budget + 1e-9) && v > best)
            best = v;
    }
    return best;
}

static void optimisation_levels_and_exact(void **state)
{
    (void)state;
    rp_error e = RP_ERROR_INIT;
    /* levels 1-3: 3 customers x 2 offers */
    float sc[] = { 0.5f, 0.2f, 0.1f, 0.3f, 0.4f, -1 };
    double value[] = { 100, 1000 }, cost[] = { 1, 1 }, cv[] = { 1, 1, 50 };
    mk_opt p = { .n = 3, .k = 2, .score = sc, .value = value, .cost = cost, .cust_value = cv, .names = onames,
                 .level = 1 };
    mk_opt_result r;
    assert_ok(mk_optimise(&p, &r, &e));
    assert_int_equal(r.pick[0], 0), assert_int_equal(r.pick[1], 1), assert_int_equal(r.pick[2], 0);
    mk_opt_result_free(&r);
    p.level = 2; /* 0.5 x 100 < 0.2 x 1000 */
    assert_ok(mk_optimise(&p, &r, &e));
    assert_int_equal(r.pick[0], 1), assert_int_equal(r.pick[1], 1), assert_int_equal(r.pick[2], 0);
    mk_opt_result_free(&r);
    /* level 4, exactly: against every assignment of small random problems */
    uint64_t x = 88172645463325252ull;
    for (int trial = 0; trial < 30; trial++) {
        float s6[18];
        double v3[3], c3[3];
        for (int q = 0; q < 18; q++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            s6[q] = (x % 7 == 0) ? -1.0f : (float)(x % 1000) / 1000.0f;
        }
        for (int j = 0; j < 3; j++)
            v3[j] = 10 + (double)(x >> (8 * j) & 63), c3[j] = 1 + (double)(x >> (3 + 7 * j) & 7);
        mk_opt q = { .n = 6, .k = 3, .score = s6, .value = v3, .cost = c3, .names = onames, .level = 4,
                     .budget = trial % 3 ? 9 : 0, .method = MK_OPT_EXACT, .mip_gap = 1e-9 };
        q.max[0] = trial % 2 ? 2 : 0;
        q.min[1] = trial % 5 == 0 ? 1 : 0;
        double want = brute(&q);
        int rc = mk_optimise(&q, &r, &e);
        if (isinf(want)) {
            assert_int_equal(rc, RP_INVAL);
            continue;
        }
        if (rc)
            fail_msg("trial %d: %s", trial, e.msg);
        if (fabs(r.objective - want) > 1e-3 || fabs(picked_value(&q, &r) - want) > 1e-3)
            fail_msg("trial %d: exact %.4f, enumeration %.4f", trial, r.objective, want);
        assert_true(r.bound >= r.objective - 1e-6);
        mk_opt_result_free(&r);
    }
}

static void optimisation_duals_and_conflicts(void **state)
{
    (void)state;
    rp_error e = RP_ERROR_INIT;
    /* one offer, values 5, 4, 3, 2 at cost 1, budget 2.5: the relaxation takes 5, 4 and half of 3, so
     * the budget's shadow price is 3 (an extra unit of budget buys half of 3 again); the integer
     * assignment takes 5 and 4 */
    float sc[] = { 1, 1, 1, 1 };
    double value[] = { 0 }, cost[] = { 1 };
    float sv[] = { 6, 5, 4, 3 };
    double one[] = { 1 };
    mk_opt p = { .n = 4, .k = 1, .score = sv, .value = one, .cost = cost, .names = onames, .level = 4,
                 .budget = 2.5, .method = MK_OPT_EXACT };
    (void)sc, (void)value;
    mk_opt_result r;
    assert_ok(mk_optimise(&p, &r, &e));
    assert_true(fabs(r.objective - 9) < 1e-9);
    assert_true(fabs(r.relaxation - 10.5) < 1e-9);
    json_t *b = json_array_get(r.binding, 0);
    assert_string_equal(json_string_value(json_object_get(b, "constraint")), "budget");
    assert_true(fabs(json_number_value(json_object_get(b, "shadow_price")) - 3) < 1e-9);
    mk_opt_result_free(&r);
    /* conflicts named: by counting, and by the relaxation's deletion filter */
    p.min[0] = 3;
    assert_int_equal(mk_optimise(&p, &r, &e), RP_INVAL);
    assert_string_equal(e.msg, "the constraints 'budget' (2.50) and 'min A' conflict: the minimums alone cost 3.00");
    float s2[] = { 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1 };
    double v2[] = { 2, 2 }, c2[] = { 1, 1 };
    mk_opt q = { .n = 6, .k = 2, .score = s2, .value = v2, .cost = c2, .names = onames, .level = 4,
                 .method = MK_OPT_EXACT };
    q.min[0] = 3, q.min[1] = 2; /* three customers can take offers, five are wanted */
    assert_int_equal(mk_optimise(&q, &r, &e), RP_INVAL);
    assert_string_equal(e.msg, "no assignment meets every constraint: 'at most 1 per customer', 'min A', 'min B' conflict");
    q.min[1] = 0, q.max[0] = 2;
    assert_int_equal(mk_optimise(&q, &r, &e), RP_INVAL);
    assert_string_equal(e.msg, "the constraints 'min A' (3) and 'max A' (2) conflict");
    /* an exact count (minimum = maximum) is a fixed row, not a conflict */
    q.min[0] = q.max[0] = 2;
    assert_ok(mk_optimise(&q, &r, &e));
    assert_int_equal(r.per_choice[0], 2);
    mk_opt_result_free(&r);
    /* greedy meets a minimum of the less valuable offer before anything else */
    double v3[] = { 5, 1 };
    float s3[] = { 1, 1, 1, 1, 1, 1, 1, 1 };
    mk_opt g = { .n = 4, .k = 2, .score = s3, .value = v3, .cost = c2, .names = onames, .level = 4,
                 .method = MK_OPT_GREEDY };
    g.min[1] = 2;
    assert_ok(mk_optimise(&g, &r, &e));
    assert_int_equal(r.per_choice[1], 2);
    assert_int_equal(r.per_choice[0], 2);
    mk_opt_result_free(&r);
}

/* The Lagrangian method against the exact one on 10,000 customers x 20 offers with a budget, offer
 * limits, channel capacities and branch caps: within half a percent of the exact method's (proven
 * within 0.1 %), never above its bound. */
static void optimisation_lagrange_near_exact(void **state)
{
    (void)state;
    enum { N = 10000, K = 20, G = 50 };
    float *sc = malloc(sizeof(float) * N * K);
    int *grp = malloc(sizeof(int) * N);
    double value[K], cost[K];
    int channel[K];
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (int j = 0; j < K; j++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        value[j] = 200 + (double)(x % 2000), cost[j] = 5 + (double)(x >> 20 & 31), channel[j] = j % 4;
    }
    for (int i = 0; i < N; i++) {
        grp[i] = i % G;
        for (int j = 0; j < K; j++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            sc[i * K + j] = (x & 15) == 0 ? -1.0f : (float)((x >> 11) % 10000) / 10000.0f * 0.12f;
        }
    }
    static const char *const chn[] = { "email", "sms", "outbound_call", "direct_mail", "", "", "", "" };
    mk_opt p = { .n = N, .k = K, .score = sc, .value = value, .cost = cost, .channel = channel, .names = onames,
                 .channel_names = chn, .level = 4, .per_customer = 1, .budget = 60000, .group = grp, .ngroups = G,
                 .group_max = 150 };
    for (int j = 0; j < K; j++)
        p.max[j] = 900, p.min[j] = j < 3 ? 200 : 0;
    p.capacity[2] = 1500;
    rp_error e = RP_ERROR_INIT;
    mk_opt_result ex, lg, gr;
    p.method = MK_OPT_EXACT;
    assert_ok(mk_optimise(&p, &ex, &e));
    p.method = MK_OPT_LAGRANGE;
    assert_ok(mk_optimise(&p, &lg, &e));
    p.method = MK_OPT_GREEDY;
    assert_ok(mk_optimise(&p, &gr, &e));
    print_message("optimisation 10,000 x 20: exact %.1f (%.2f s, gap %.5f), Lagrangian %.1f (%.2f s, bound %.1f), "
                  "greedy %.1f\n", ex.objective, ex.seconds, ex.gap, lg.objective, lg.seconds, lg.bound, gr.objective);
    assert_true(lg.objective <= ex.bound + 1e-6 && lg.objective >= 0.995 * ex.objective);
    assert_true(ex.gap <= 1e-3 + 1e-12);
    assert_true(lg.bound >= ex.objective - 1e-6 * fabs(ex.objective));
    assert_true(ex.objective >= gr.objective - 1e-6);
    assert_true(ex.cost <= 60000 + 1e-6 && lg.cost <= 60000 + 1e-6);
    for (int j = 0; j < 3; j++)
        assert_true(lg.per_choice[j] >= 200 && ex.per_choice[j] >= 200);
    assert_true(json_array_size(ex.binding) > 0 && json_array_size(lg.binding) > 0);
    mk_opt_result_free(&ex), mk_opt_result_free(&lg), mk_opt_result_free(&gr);
    free(sc), free(grp);
}

/* Waves drawn by their shares from the seed, the same every time; a wave opens on its first day. */
static void waves_drawn_and_opened(void **state)
{
    (void)state;
    json_t *doc = json_pack("{s:[{s:i, s:s, s:f}, {s:i, s:s, s:f}, {s:i, s:s, s:f}]}", "waves", "wave", 1, "starts_on",
                            "2026-06-01", "share", 1.0, "wave", 2, "starts_on", "2026-06-15", "share", 2.0, "wave", 3,
                            "starts_on", "2026-07-01", "share", 1.0);
    setenv("RAPPORT_NOW", "2026-06-15T04:00:00Z", 1);
    mk__waves v;
    mk__waves_read(doc, &v);
    unsetenv("RAPPORT_NOW");
    json_decref(doc);
    assert_int_equal(v.n, 3);
    int64_t n[4] = { 0 };
    for (int64_t id = 1; id <= 40000; id++) {
        int k = mk__wave_draw(&v, 77, id);
        assert_true(k >= 1 && k <= 3);
        assert_int_equal(k, mk__wave_draw(&v, 77, id));
        n[k]++;
    }
    assert_true(fabs((double)n[1] / 40000 - 0.25) < 0.01 && fabs((double)n[2] / 40000 - 0.5) < 0.01 &&
                fabs((double)n[3] / 40000 - 0.25) < 0.01);
    int moved = 0; /* another seed, another draw */
    for (int64_t id = 1; id <= 1000; id++)
        moved += mk__wave_draw(&v, 77, id) != mk__wave_draw(&v, 78, id);
    assert_true(moved > 400);
    assert_int_equal(mk__wave_state(&v, 0), 0);
    assert_int_equal(mk__wave_state(&v, 1), 0);
    assert_int_equal(mk__wave_state(&v, 2), 0);
    assert_int_equal(mk__wave_state(&v, 3), -1);
    assert_int_equal(mk__wave_state(&v, 4), -1); /* a wave the design no longer has */
    snprintf(v.ends[0], sizeof v.ends[0], "2026-06-14"); /* wave 1 over the day before */
    assert_int_equal(mk__wave_state(&v, 1), 1);
    mk__waves none = { 0 };
    assert_int_equal(mk__wave_draw(&none, 77, 5), 0);
    assert_int_equal(mk__wave_state(&none, 2), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_waterfall_takes_each_out_once),
        cmocka_unit_test(the_lifecycle_refuses_what_it_must),
        cmocka_unit_test(sample_size_is_m15),
        cmocka_unit_test(schema_checks_are_the_lists),
        cmocka_unit_test(responses_and_results),
        cmocka_unit_test(optimisation_levels_and_exact),
        cmocka_unit_test(optimisation_duals_and_conflicts),
        cmocka_unit_test(optimisation_lagrange_near_exact),
        cmocka_unit_test(waves_drawn_and_opened),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    tu_cleanup();
    return rc;
}
