/* Tests of the kept customer-360 documents (src/api/c360doc.c and migration
 * 0008): a kept document reads back as the live 360 in both variants, and
 * every kind of change to what a document shows deletes exactly the
 * documents it should, so that what is kept is never out of date. */
#include "testutil.h"

#include <jansson.h>

#include "security/security.h"
#include "warehouse/warehouse.h"

static wh *w;

static int setup(void **state)
{
    (void)state;
    setenv("RAPPORT_NOW", "2026-11-23T04:00:00Z", 1);
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(wh_open(tu_store("docs.db"), tu_store_key(), WH_INIT, &w, NULL, &e), RP_OK);
    if (wh_import_json(w, "../tests/fixtures/bank.json", "t", NULL, &e) &&
        wh_import_json(w, "tests/fixtures/bank.json", "t", NULL, &e))
        fail_msg("import: %s", rp_errmsg(&e));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    wh_close(w);
    return 0;
}

static int kept(int64_t person)
{
    rp_stmt *st;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(rp_store_prepare(wh_store(w), "SELECT count(*) FROM c360_doc WHERE person = ?", &st, &e), RP_OK);
    rp_stmt_bind_int(st, 1, person);
    assert_int_equal(rp_stmt_step(st, &e), RP_ROW);
    int n = (int)rp_stmt_int(st, 0);
    rp_stmt_done(st);
    return n;
}

static void build_missing(void)
{
    rp_error e = RP_ERROR_INIT;
    wh_c360doc_stats st;
    if (wh_c360doc_refresh(w, 0, 0, 2, 0, &st, &e))
        fail_msg("refresh: %s", rp_errmsg(&e));
    assert_int_equal(st.kept, st.customers);
}

static void none_differs(const char *after)
{
    int64_t checked, differ;
    rp_error e = RP_ERROR_INIT;
    if (wh_c360doc_verify(w, 1, &checked, &differ, &e))
        fail_msg("verify: %s", rp_errmsg(&e));
    if (differ)
        fail_msg("after %s: %lld kept documents differ from the warehouse", after, (long long)differ);
}

/* Nothing is served before it is built; then both variants read back as the live 360, masked as the role sees it. */
static void a_kept_document_is_the_live_360(void **state)
{
    (void)state;
    wh_c360doc d;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(wh_c360doc_read(w, 1, 1, "2026-11-23", &d, &e), RP_NOTFOUND);
    build_missing();
    for (int64_t id = 1; id <= 6; id++)
        for (int show = 0; show < 2; show++) {
            assert_int_equal(wh_c360doc_read(w, id, show, "2026-11-23", &d, &e), RP_OK);
            assert_int_equal(d.json[d.len - 1], '\n');
            assert_int_equal(strlen(d.json), d.len);
            json_t *k = json_loadb(d.json, d.len, 0, NULL), *live;
            assert_non_null(k);
            assert_int_equal(wh_c360(w, id, 0, &live, &e), RP_OK);
            sec_mask_c360_contacts(live, show);
            if (!json_equal(k, live))
                fail_msg("customer %lld, contacts %d: kept %s", (long long)id, show, d.json);
            /* account numbers are masked in both */
            assert_null(strstr(d.json, "0012-100-000001"));
            if (id == 1) {
                /* the mobile in full only for those who may see contacts */
                assert_true(!strstr(d.json, "+886912345678") == !show);
                assert_string_equal(d.home_branch, "0012");
            }
            json_decref(k);
            json_decref(live);
            wh_c360doc_free(&d);
        }
    /* a customer that does not exist has none */
    assert_int_equal(wh_c360doc_read(w, 999, 0, "2026-11-23", &d, &e), RP_NOTFOUND);
}

/* A document showing an age is not served from the customer's next birthday on. */
static void an_age_goes_out_of_date_on_the_birthday(void **state)
{
    (void)state;
    build_missing();
    wh_c360doc d;
    rp_error e = RP_ERROR_INIT;
    json_t *live;
    assert_int_equal(wh_c360(w, 1, 0, &live, &e), RP_OK);
    const char *bd = json_string_value(json_object_get(json_object_get(live, "party"), "birth_date"));
    assert_non_null(bd);
    char birthday[11];
    snprintf(birthday, sizeof birthday, "2027-%.5s", bd + 5);
    json_decref(live);
    assert_int_equal(wh_c360doc_read(w, 1, 0, "2026-12-31", &d, &e), RP_OK);
    wh_c360doc_free(&d);
    assert_int_equal(wh_c360doc_read(w, 1, 0, birthday, &d, &e), RP_NOTFOUND);
    /* refresh builds it again on that day, with the new age */
    setenv("RAPPORT_NOW", "2027-12-01T04:00:00Z", 1);
    build_missing();
    assert_int_equal(wh_c360doc_read(w, 1, 0, "2027-12-01", &d, &e), RP_OK);
    wh_c360doc_free(&d);
    none_differs("a year on");
    setenv("RAPPORT_NOW", "2026-11-23T04:00:00Z", 1);
    rp_error e2 = RP_ERROR_INIT;
    wh_c360doc_stats st;
    assert_int_equal(wh_c360doc_refresh(w, 1, 0, 100, 0, &st, &e2), RP_OK);
    assert_int_equal(st.built, st.customers);
}

typedef struct change {
    int catch_up;    /* new transactions: wh_c360_catch_up(), as the ETL and the server call it */
    const char *sql;
    int gone[7];     /* customers whose document must be deleted (0 ends) */
    int stays[7];    /* customers whose document must stay */
} change;

/* Each kind of change, through plain SQL as any tool might make it. */
static const change changes[] = {
    { 0, "UPDATE party SET name_latin = 'CHEN YI-CHUN' WHERE id = 1", { 1, 2, 4, 6 }, { 3, 5 } },
    { 1, "INSERT INTO txn(account_id, posted_at, amount_minor, currency, channel, class) "
      "VALUES (5, '2026-11-20T01:00:00Z', 100, 'TWD', 'branch', 'deposit')", { 2, 3 }, { 1, 4, 5, 6 } },
    { 0, "UPDATE txn SET description = 'corrected' WHERE account_id = 1", { 1 }, { 3, 5 } },
    { 0, "DELETE FROM txn WHERE account_id = 4", { 1 }, { 3, 5 } },
    { 0, "UPDATE account SET balance_minor = balance_minor + 1 WHERE id = 7", { 5 }, { 1, 2, 3, 4, 6 } },
    { 0, "INSERT INTO contact_point(party_id, kind, value) VALUES (3, 'email', 'x@example.com')", { 3 }, { 1, 4, 5, 6 } },
    { 0, "UPDATE contact_point SET value = '+886911000111' WHERE id = 6", { 2 }, { 5 } },
    { 0, "DELETE FROM contact_point WHERE id = 8", { 5 }, { 1, 2, 3, 4, 6 } },
    { 0, "UPDATE party_identifier SET valid_to = '2026-01-01' WHERE id = 9", { 6 }, { 2, 3, 4, 5 } },
    { 0, "DELETE FROM party_identifier WHERE id = 3", { 1 }, { 3, 5 } },
    { 0, "INSERT INTO interaction(party_id, at, channel, created_at) "
      "VALUES (4, '2026-11-22T00:00:00Z', 'phone', '2026-11-22T00:00:00Z')", { 4 }, { 2, 3, 5, 6 } },
    { 0, "INSERT INTO consent(party_id, purpose, channel, granted, effective_at, recorded_at) "
      "VALUES (5, 'marketing', 'sms', 0, '2026-11-22', '2026-11-22')", { 5 }, { 1, 2, 3, 4, 6 } },
    { 0, "INSERT INTO party_preference(party_id, name, value, since) VALUES (3, 'language', 'en', '2026-11-22')",
      { 3 }, { 1, 4, 5, 6 } },
    { 0, "UPDATE party_preference SET value = 'ja' WHERE party_id = 3", { 3 }, { 1, 4, 5, 6 } },
    { 0, "DELETE FROM party_preference WHERE party_id = 3", { 3 }, { 1, 4, 5, 6 } },
    { 0, "INSERT INTO source_record(entity, entity_id, source, source_key, loaded_at) "
      "VALUES ('party', 6, 'card', 'K9', '2026-11-22')", { 6 }, { 2, 3, 4, 5 } },
    { 0, "INSERT INTO party_link(from_party, to_party, kind) VALUES (5, 3, 'sibling')", { 5, 3, 2 }, { 4, 6 } },
    { 0, "DELETE FROM party_link WHERE from_party = 1 AND to_party = 6", { 1, 6 }, { 3, 5 } },
    { 0, "INSERT INTO party_account(party_id, account_id, role) VALUES (4, 7, 'authorised')", { 4 }, { 2, 3, 5, 6 } },
    { 0, "DELETE FROM party_account WHERE party_id = 2 AND account_id = 5", { 2 }, { 5, 6 } },
    /* identity resolution: 5 joins 1, then is taken out again */
    { 0, "UPDATE party SET merged_into = 1 WHERE id = 5", { 1, 5 }, { 6 } },
    { 0, "UPDATE party SET merged_into = NULL WHERE id = 5", { 1 }, { 6 } },
    /* a new customer is built too (build_missing checks every customer has one) */
    { 0, "INSERT INTO party(kind, name_zh, created_at, updated_at) VALUES ('person', '新客戶', '2026-11-22', '2026-11-22')",
      { 0 }, { 1, 2, 3, 4, 5, 6 } },
    /* names every document shows */
    { 0, "UPDATE branch SET phone = '02-2345-0000' WHERE code = '0345'", { 0 }, { 1, 2, 3, 4, 5, 6 } },
    { 0, "UPDATE branch SET name_zh = '新竹分行' WHERE code = '0345'", { 1, 2, 3, 4, 5, 6 }, { 0 } },
    { 0, "UPDATE product SET name_zh = '數位活存' WHERE code = 'SAV01'", { 1, 2, 3, 4, 5, 6 }, { 0 } },
    { 0, "UPDATE load_job SET file = 'renamed.json' WHERE id = 1", { 1, 2, 3, 4, 5, 6 }, { 0 } },
};

static void every_change_deletes_what_it_touches(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
        const change *c = &changes[i];
        build_missing();
        rp_error e = RP_ERROR_INIT;
        if (rp_store_exec(wh_store(w), c->sql, &e))
            fail_msg("%s: %s", c->sql, rp_errmsg(&e));
        if (c->catch_up) {
            /* a new transaction alone deletes nothing (no trigger on txn inserts) ... */
            for (int k = 0; k < 7 && c->gone[k]; k++)
                assert_int_equal(kept(c->gone[k]), 1);
            /* ... until whoever added it catches up, before committing */
            int64_t gone;
            assert_int_equal(wh_c360_catch_up(w, &gone, &e), RP_OK);
            assert_true(gone >= 1);
            assert_int_equal(wh_c360_catch_up(w, &gone, &e), RP_OK);
            assert_int_equal(gone, 0);
        }
        for (int k = 0; k < 7 && c->gone[k]; k++)
            if (kept(c->gone[k]))
                fail_msg("after %s: the document of %d was kept", c->sql, c->gone[k]);
        for (int k = 0; k < 7 && c->stays[k]; k++)
            if (!kept(c->stays[k]))
                fail_msg("after %s: the document of %d was deleted", c->sql, c->stays[k]);
        none_differs(c->sql);
    }
    /* and after all of them, every document built again is the live one */
    build_missing();
    none_differs("all changes");
}

/* The API's own writes go through the warehouse: a note deletes the document too. */
static void a_note_through_the_warehouse(void **state)
{
    (void)state;
    build_missing();
    wh_interaction ia = { .party_id = 2, .channel = "branch", .notes = "wants a mortgage", .created_by = "t" };
    int64_t id;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(rp_store_begin(wh_store(w), &e), RP_OK);
    assert_int_equal(wh_interaction_add(w, &ia, &id, &e), RP_OK);
    assert_int_equal(rp_store_commit(wh_store(w), &e), RP_OK);
    assert_int_equal(kept(2), 0);
    assert_int_equal(kept(5), 1);
    /* a rolled-back change deletes nothing */
    assert_int_equal(rp_store_begin(wh_store(w), &e), RP_OK);
    assert_int_equal(rp_store_exec(wh_store(w), "UPDATE party SET occupation = 'x' WHERE id = 5", &e), RP_OK);
    assert_int_equal(kept(5), 0);
    rp_store_rollback(wh_store(w));
    assert_int_equal(kept(5), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_kept_document_is_the_live_360),
        cmocka_unit_test(an_age_goes_out_of_date_on_the_birthday),
        cmocka_unit_test(every_change_deletes_what_it_touches),
        cmocka_unit_test(a_note_through_the_warehouse),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
