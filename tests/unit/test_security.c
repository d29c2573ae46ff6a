/* Unit tests of the security module: the permission matrix, users and
 * passwords, sessions and their timeouts, masking, the audit trail. */
#include "testutil.h"

#include "security/security.h"
#include "warehouse/warehouse.h"

static wh *store(void)
{
    wh *w;
    rp_error e = RP_ERROR_INIT;
    if (wh_open(tu_path("s.db"), NULL, WH_INIT, &w, NULL, &e))
        fail_msg("wh_open: %s", rp_errmsg(&e));
    return w;
}

static void the_matrix(void **state)
{
    (void)state;
    /* the rules the bank asked for (S2), not the table read back */
    assert_true(sec_can(SEC_TELLER, SEC_P_VIEW));
    assert_false(sec_can(SEC_TELLER, SEC_P_ALL_BRANCHES));
    assert_false(sec_can(SEC_TELLER, SEC_P_REVEAL));
    assert_true(sec_can(SEC_CSR, SEC_P_ALL_BRANCHES));
    assert_false(sec_can(SEC_TSR, SEC_P_CONTACTS));
    assert_false(sec_can(SEC_TSR, SEC_P_CONSENT_WRITE));
    assert_true(sec_can(SEC_SUPERVISOR, SEC_P_REVEAL));
    for (int p = 0; p < SEC_NPERMS; p++) {
        /* analysts see aggregates and scores, never a customer */
        assert_int_equal(sec_can(SEC_ANALYST, (sec_perm)p), p == SEC_P_ANALYSIS);
        /* auditors read the trail and nothing else; administrators manage users, not customers */
        assert_int_equal(sec_can(SEC_AUDITOR, (sec_perm)p), p == SEC_P_AUDIT);
        assert_false(sec_can(SEC_ADMIN, SEC_P_VIEW));
    }
    /* only the supervisor reveals; only the auditor reads the trail */
    for (int r = 0; r < SEC_NROLES; r++) {
        assert_int_equal(sec_can((sec_role)r, SEC_P_REVEAL), r == SEC_SUPERVISOR);
        assert_int_equal(sec_can((sec_role)r, SEC_P_AUDIT), r == SEC_AUDITOR);
    }
    assert_int_equal(sec_role_parse("csr"), SEC_CSR);
    assert_int_equal(sec_role_parse("boss"), -1);
    assert_false(sec_can((sec_role)99, SEC_P_VIEW));
}

static void users_and_passwords(void **state)
{
    (void)state;
    wh *w = store();
    rp_error e = RP_ERROR_INIT;
    sec_user u;
    assert_int_equal(sec_user_add(wh_store(w), "ling", "rm", "0012", "a long password", "t", &u, &e), RP_OK);
    assert_int_equal(u.role, SEC_RM);
    assert_string_equal(u.branch, "0012");
    /* the hash is argon2id, never the password */
    rp_stmt *st;
    assert_int_equal(rp_store_prepare(wh_store(w), "SELECT pw_hash FROM app_user WHERE name = 'ling'", &st, &e), RP_OK);
    assert_int_equal(rp_stmt_step(st, &e), RP_ROW);
    assert_memory_equal(rp_stmt_text(st, 0), "$argon2id$", 10);
    assert_null(strstr(rp_stmt_text(st, 0), "a long password"));
    rp_stmt_done(st);
    assert_int_equal(sec_authenticate(wh_store(w), "ling", "a long password", &u, &e), RP_OK);
    assert_int_equal(sec_authenticate(wh_store(w), "ling", "a long passworD", &u, &e), RP_NOTFOUND);
    assert_string_equal(rp_errmsg(&e), "wrong user name or password");
    assert_int_equal(sec_authenticate(wh_store(w), "nobody", "a long password", &u, &e), RP_NOTFOUND);
    assert_string_equal(rp_errmsg(&e), "wrong user name or password");
    assert_int_equal(sec_user_passwd(wh_store(w), "ling", "a new long password", "t", &e), RP_OK);
    assert_int_equal(sec_authenticate(wh_store(w), "ling", "a long password", &u, &e), RP_NOTFOUND);
    assert_int_equal(sec_authenticate(wh_store(w), "ling", "a new long password", &u, &e), RP_OK);
    assert_int_equal(sec_user_disable(wh_store(w), "ling", 1, "t", &e), RP_OK);
    assert_int_equal(sec_authenticate(wh_store(w), "ling", "a new long password", &u, &e), RP_NOTFOUND);
    assert_int_equal(sec_user_passwd(wh_store(w), "ling", "short", "t", &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "password: at least 10 characters");
    assert_int_equal(sec_user_add(wh_store(w), "x", "csr", NULL, "a long password", "t", NULL, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "user name: 2 to 32 characters, not 1");
    wh_close(w);
}

static void sessions_end_when_idle_or_old(void **state)
{
    (void)state;
    wh *w = store();
    rp_error e = RP_ERROR_INIT;
    sec_user u;
    assert_int_equal(sec_user_add(wh_store(w), "mei", "csr", NULL, "a long password", "t", &u, &e), RP_OK);
    sec_session s, g;
    int64_t t0 = 1800000000;
    assert_int_equal(sec_session_new(wh_store(w), &u, "10.0.0.1", t0, &s, &e), RP_OK);
    assert_int_equal(strlen(s.token), SEC_TOKEN_LEN - 1);
    /* the store keeps a hash, not the token */
    rp_stmt *st;
    assert_int_equal(rp_store_prepare(wh_store(w), "SELECT count(*) FROM app_session WHERE token_hash = ?", &st, &e),
                     RP_OK);
    rp_stmt_bind_text(st, 1, s.token);
    assert_int_equal(rp_stmt_step(st, &e), RP_ROW);
    assert_int_equal(rp_stmt_int(st, 0), 0);
    rp_stmt_done(st);
    /* used every 10 minutes it lives to its 8 hours, not one second more */
    int64_t idle = 900, life = 8 * 3600;
    for (int64_t t = t0 + 600; t <= t0 + life; t += 600)
        assert_int_equal(sec_session_get(wh_store(w), s.token, t, idle, life, &g, &e), RP_OK);
    assert_string_equal(g.user.name, "mei");
    assert_string_equal(g.csrf, s.csrf);
    assert_int_equal(sec_session_get(wh_store(w), s.token, t0 + life + 1, idle, life, &g, &e), RP_NOTFOUND);
    assert_string_equal(rp_errmsg(&e), "the session has ended; sign in again");
    /* idle for more than 15 minutes: ended */
    assert_int_equal(sec_session_new(wh_store(w), &u, NULL, t0, &s, &e), RP_OK);
    assert_int_equal(sec_session_get(wh_store(w), s.token, t0 + 901, idle, life, &g, &e), RP_NOTFOUND);
    /* logout, and disabling the user, end it at once */
    assert_int_equal(sec_session_new(wh_store(w), &u, NULL, t0, &s, &e), RP_OK);
    assert_int_equal(sec_session_end(wh_store(w), s.token, &e), RP_OK);
    assert_int_equal(sec_session_get(wh_store(w), s.token, t0 + 1, idle, life, &g, &e), RP_NOTFOUND);
    assert_int_equal(sec_session_new(wh_store(w), &u, NULL, t0, &s, &e), RP_OK);
    assert_int_equal(sec_user_disable(wh_store(w), "mei", 1, "t", &e), RP_OK);
    assert_int_equal(sec_session_get(wh_store(w), s.token, t0 + 1, idle, life, &g, &e), RP_NOTFOUND);
    assert_int_equal(sec_session_get(wh_store(w), "not a token", t0, idle, life, &g, &e), RP_NOTFOUND);
    wh_close(w);
}

static void masks(void **state)
{
    (void)state;
    char m[128];
    sec_mask_phone("+886912345678", m, sizeof m);
    assert_string_equal(m, "+886*******78");
    sec_mask_email("YiChun.Chen@Example.com.tw", m, sizeof m);
    assert_string_equal(m, "Y***@Example.com.tw");
    sec_mask_address("臺北市大安區復興南路一段200號5樓", m, sizeof m);
    assert_string_equal(m, "臺北市大安區************");
    sec_mask_account("0012-100-000001", m, sizeof m);
    assert_string_equal(m, "***********0001");
    sec_mask_account("12", m, sizeof m);
    assert_string_equal(m, "**");
    /* a 360 document: contacts masked for a TSR, kept for a CSR; accounts masked for both */
    const char *doc = "{\"contact_points\":[{\"kind\":\"mobile\",\"value\":\"+886912345678\"}],"
                      "\"accounts\":[{\"number\":\"0012-100-000001\"}],"
                      "\"transactions\":[{\"account\":\"0012-100-000001\"}]}";
    json_error_t je;
    json_t *a = json_loads(doc, 0, &je), *b = json_loads(doc, 0, &je);
    sec_mask_c360(a, SEC_TSR);
    sec_mask_c360(b, SEC_CSR);
    char *sa = json_dumps(a, JSON_COMPACT), *sb = json_dumps(b, JSON_COMPACT);
    assert_null(strstr(sa, "912345678"));
    assert_non_null(strstr(sb, "+886912345678"));
    assert_null(strstr(sa, "0012-100"));
    assert_null(strstr(sb, "0012-100"));
    free(sa), free(sb);
    json_decref(a), json_decref(b);
}

static void the_trail_is_append_only(void **state)
{
    (void)state;
    wh *w = store();
    rp_error e = RP_ERROR_INIT;
    sec_audit_entry en = { .user = "mei", .address = "10.0.0.1", .action = "view", .customer = 42, .target = "/x" };
    assert_int_equal(sec_audit(wh_store(w), &en, &e), RP_OK);
    en.action = "reveal";
    en.reason = "statement";
    assert_int_equal(sec_audit(wh_store(w), &en, &e), RP_OK);
    assert_int_not_equal(rp_store_exec(wh_store(w), "UPDATE audit SET reason = NULL", &e), RP_OK);
    assert_non_null(strstr(rp_errmsg(&e), "the audit trail is append-only"));
    assert_int_not_equal(rp_store_exec(wh_store(w), "DELETE FROM audit WHERE action = 'reveal'", &e), RP_OK);
    json_t *a;
    sec_audit_filter f = { .customer = 42, .action = "reveal" };
    assert_int_equal(sec_audit_query(wh_store(w), &f, &a, &e), RP_OK);
    assert_int_equal(json_array_size(a), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "reason")), "statement");
    json_decref(a);
    wh_close(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_matrix),
        cmocka_unit_test(users_and_passwords),
        cmocka_unit_test(sessions_end_when_idle_or_old),
        cmocka_unit_test(masks),
        cmocka_unit_test(the_trail_is_append_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
