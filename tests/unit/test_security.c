/* Unit tests of the security module: the permission matrix, users and
 * passwords, sessions and their timeouts, masking, the audit trail. */
#include "testutil.h"

#include "core/rtime.h"
#include "security/security.h"

#include <oath.h>
#include <sodium.h>
#include "security/internal.h"
#include "warehouse/warehouse.h"

static wh *store(void)
{
    wh *w;
    rp_error e = RP_ERROR_INIT;
    if (wh_open(tu_store("s.db"), tu_store_key(), WH_INIT, &w, NULL, &e))
        fail_msg("wh_open: %s", rp_errmsg(&e));
    return w;
}

/* A password is checked by working its hash out again (security.c): the stored string's own
 * parameters and salt, whatever libsodium's defaults are now; a string that is not one is matched by
 * no password.  (libsodium's verify took a failed allocation for a wrong password, which counted
 * toward a lock: tests/faults.) */
static void passwords_are_verified_by_their_hash(void **state)
{
    (void)state;
    char h[crypto_pwhash_STRBYTES];
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(sec__hash_password("a long password 1", h, &e), RP_OK);
    assert_int_equal(sec__verify_password(h, "a long password 1", &e), RP_OK);
    assert_int_equal(sec__verify_password(h, "a long password 2", &e), RP_NOTFOUND);
    assert_int_equal(sec__verify_password(h, "", &e), RP_NOTFOUND);
    /* other parameters than today's (a hash of an earlier Rapport's) */
    char older[crypto_pwhash_STRBYTES];
    assert_int_equal(crypto_pwhash_str_alg(older, "pw 2019", 7, 3, 16 << 20, crypto_pwhash_ALG_ARGON2ID13), 0);
    assert_int_equal(sec__verify_password(older, "pw 2019", &e), RP_OK);
    assert_int_equal(sec__verify_password(older, "pw 2020", &e), RP_NOTFOUND);
    /* not a hash Rapport writes */
    static const char *const bad[] = { "", "x", "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$aGFzaA",
                                       "$argon2id$v=19$m=65536,t=2,p=4$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaA",
                                       "$argon2id$v=19$m=65536,t=2,p=1$!!$aGFzaA" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(sec__verify_password(bad[i], "a long password 1", &e), RP_NOTFOUND);
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
        /* analysts see aggregates and scores, never a customer; they design campaigns (counts,
         * waterfalls and results, no customer) */
        assert_int_equal(sec_can(SEC_ANALYST, (sec_perm)p), p == SEC_P_ANALYSIS || p == SEC_P_CAMPAIGNS);
        /* auditors read the trail and nothing else; administrators manage users, not customers */
        assert_int_equal(sec_can(SEC_AUDITOR, (sec_perm)p), p == SEC_P_AUDIT);
        assert_false(sec_can(SEC_ADMIN, SEC_P_VIEW));
    }
    /* only the supervisor reveals; only the auditor reads the trail */
    for (int r = 0; r < SEC_NROLES; r++) {
        assert_int_equal(sec_can((sec_role)r, SEC_P_REVEAL), r == SEC_SUPERVISOR);
        assert_int_equal(sec_can((sec_role)r, SEC_P_AUDIT), r == SEC_AUDITOR);
        /* campaigns are approved by supervisors only */
        assert_int_equal(sec_can((sec_role)r, SEC_P_APPROVE), r == SEC_SUPERVISOR);
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

/* The shortest of a few sign-ins of name with password, in seconds. */
static double auth_time(wh *w, const char *name, const char *password)
{
    double best = 1e9;
    for (int i = 0; i < 3; i++) {
        sec_user u;
        rp_error e = RP_ERROR_INIT;
        double t0 = rp_monotonic();
        assert_int_equal(sec_authenticate(wh_store(w), name, password, &u, &e), RP_NOTFOUND);
        double t = rp_monotonic() - t0;
        best = t < best ? t : best;
    }
    return best;
}

/* An unknown user and a disabled one take as long as a wrong password, so
 * that the time of the answer does not tell which names exist (issue 21). */
static void unknown_users_take_as_long_as_wrong_passwords(void **state)
{
    (void)state;
    wh *w = store();
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(sec_user_add(wh_store(w), "ling", "rm", "0012", "a long password", "t", NULL, &e), RP_OK);
    assert_int_equal(sec_user_add(wh_store(w), "gone", "csr", NULL, "a long password", "t", NULL, &e), RP_OK);
    assert_int_equal(sec_user_disable(wh_store(w), "gone", 1, "t", &e), RP_OK);
    double wrong = auth_time(w, "ling", "not the password");
    double unknown = auth_time(w, "nobody.here", "not the password");
    double disabled = auth_time(w, "gone", "a long password");
    if (unknown / wrong < 0.5 || unknown / wrong > 2 || disabled / wrong < 0.5 || disabled / wrong > 2)
        fail_msg("wrong password %.1f ms, unknown user %.1f ms, disabled user %.1f ms", wrong * 1e3, unknown * 1e3,
                 disabled * 1e3);
    wh_close(w);
}

/* ---- failed sign-ins (issue 21) ---- */

static const sec_signin_policy policy = { .user_attempts = 3, .address_attempts = 6, .window = 300, .lock_after = 5,
                                          .lock_seconds = 600 };
#define T0 1800000000

static sec_signin_wait wait_of(wh *w, const sec_signin_policy *p, const char *name, const char *address, int64_t now)
{
    sec_signin_wait x;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(sec_signin_check(wh_store(w), p, name, address, now, &x, &e), RP_OK);
    return x;
}

static int fail_at(wh *w, const sec_signin_policy *p, const char *name, const char *address, int64_t now)
{
    int locked = -1;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(sec_signin_failed(wh_store(w), p, name, address, now, &locked, &e), RP_OK);
    return locked;
}

/* A name waits after user_attempts failures in the window, is locked after
 * lock_after in a row, for lock_seconds; one failure after that locks it again. */
static void failures_throttle_then_lock(void **state)
{
    (void)state;
    wh *w = store();
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(fail_at(w, &policy, "ling", "10.0.0.1", T0), 0);
    assert_int_equal(fail_at(w, &policy, "ling", "10.0.0.1", T0 + 1), 0);
    assert_false(wait_of(w, &policy, "ling", "10.0.0.1", T0 + 2).refused);
    assert_int_equal(fail_at(w, &policy, "ling", "10.0.0.1", T0 + 2), 0);
    /* throttled for the rest of the window, from any address */
    sec_signin_wait x = wait_of(w, &policy, "ling", "10.0.0.2", T0 + 3);
    assert_true(x.refused);
    assert_false(x.locked);
    assert_int_equal(x.seconds, 297);
    assert_false(wait_of(w, &policy, "ling", "10.0.0.2", T0 + 300).refused);
    /* two more in a row lock it, though the window began again */
    assert_int_equal(fail_at(w, &policy, "ling", "10.0.0.2", T0 + 300), 0);
    assert_int_equal(fail_at(w, &policy, "ling", "10.0.0.2", T0 + 301), 1);
    x = wait_of(w, &policy, "ling", "10.0.0.3", T0 + 302);
    assert_true(x.refused && x.locked);
    assert_int_equal(x.seconds, 599);
    /* the back-off passes; the next failure locks it again at once */
    assert_false(wait_of(w, &policy, "ling", "10.0.0.3", T0 + 901).refused);
    assert_int_equal(fail_at(w, &policy, "ling", "10.0.0.3", T0 + 910), 1);
    x = wait_of(w, &policy, "ling", "10.0.0.3", T0 + 911);
    assert_true(x.refused && x.locked);
    assert_int_equal(x.seconds, 599);
    /* a success clears the name's failures */
    assert_int_equal(sec_signin_succeeded(wh_store(w), "ling", &e), RP_OK);
    assert_false(wait_of(w, &policy, "ling", "10.0.0.4", T0 + 912).refused);
    assert_int_equal(fail_at(w, &policy, "ling", "10.0.0.4", T0 + 913), 0);
    wh_close(w);
}

/* An address spraying names waits; its count outlives the names' successes. */
static void an_address_spraying_names_waits(void **state)
{
    (void)state;
    wh *w = store();
    rp_error e = RP_ERROR_INIT;
    for (int i = 0; i < 6; i++) {
        char name[24];
        snprintf(name, sizeof name, "spray%d", i);
        assert_false(wait_of(w, &policy, name, "10.9.9.9", T0 + i).refused);
        fail_at(w, &policy, name, "10.9.9.9", T0 + i);
    }
    assert_int_equal(sec_signin_succeeded(wh_store(w), "spray0", &e), RP_OK);
    sec_signin_wait x = wait_of(w, &policy, "somebody.else", "10.9.9.9", T0 + 10);
    assert_true(x.refused);
    assert_false(x.locked);
    assert_int_equal(x.seconds, 290);
    assert_false(wait_of(w, &policy, "somebody.else", "10.9.9.8", T0 + 10).refused);
    assert_false(wait_of(w, &policy, "somebody.else", "10.9.9.9", T0 + 300).refused);
    wh_close(w);
}

/* A lock until unlocked lasts until an administrator unlocks it: no number
 * of other names' failures pushes it out (the old table had 1,024 slots),
 * nor does time; unknown names are locked alike. */
static void a_lock_lasts_until_unlocked(void **state)
{
    (void)state;
    sec_signin_policy p = policy;
    p.lock_until_unlocked = 1;
    wh *w = store();
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(sec_user_add(wh_store(w), "ling", "rm", "0012", "a long password", "t", NULL, &e), RP_OK);
    for (int i = 0; i < 5; i++)
        fail_at(w, &p, "ling", "10.0.0.1", T0 + i * 1000);
    for (int i = 0; i < 5; i++)
        fail_at(w, &p, "no.such.user", "10.0.0.1", T0 + i * 1000);
    /* 5,000 other names, from as many addresses */
    assert_int_equal(rp_store_begin(wh_store(w), &e), RP_OK);
    for (int i = 0; i < 5000; i++) {
        char name[16], addr[32];
        snprintf(name, sizeof name, "n%d", i);
        snprintf(addr, sizeof addr, "10.1.%d.%d", i / 250, i % 250);
        fail_at(w, &p, name, addr, T0 + 5000);
    }
    assert_int_equal(rp_store_commit(wh_store(w), &e), RP_OK);
    /* a year on, both still locked; the other names' rows are forgotten */
    int64_t later = T0 + 366 * 86400LL;
    fail_at(w, &p, "someone", "10.0.0.9", later);
    sec_signin_wait x = wait_of(w, &p, "ling", "10.0.0.2", later);
    assert_true(x.refused && x.locked);
    assert_int_equal(x.seconds, 0);
    x = wait_of(w, &p, "no.such.user", "10.0.0.2", later);
    assert_true(x.refused && x.locked);
    int64_t rows = -1;
    assert_int_equal(rp_store_query_int(wh_store(w), "SELECT count(*) FROM sign_in_failure", &rows, &e), RP_OK);
    assert_int_equal(rows, 4); /* ling, no.such.user, someone and its address */
    /* the right password is refused, unchecked */
    sec_user u;
    assert_int_equal(sec_sign_in(wh_store(w), &p, wh_keyring(w), "ling", "a long password", NULL, "10.0.0.2", later, &u, &x, &e),
                     RP_NOTFOUND);
    assert_true(x.refused && x.locked);
    /* administrators see it */
    json_t *list;
    assert_int_equal(sec_user_list(wh_store(w), &list, &e), RP_OK);
    json_t *l = json_array_get(list, 0);
    assert_true(json_is_true(json_object_get(l, "locked")));
    assert_true(json_is_null(json_object_get(l, "locked_until")));
    assert_int_equal(json_integer_value(json_object_get(l, "failures")), 5);
    json_decref(list);
    /* and unlock it */
    int was = -1;
    assert_int_equal(sec_user_unlock(wh_store(w), "nobody", later, &was, &e), RP_NOTFOUND);
    assert_int_equal(sec_user_unlock(wh_store(w), "ling", later, &was, &e), RP_OK);
    assert_int_equal(was, 1);
    assert_false(wait_of(w, &p, "ling", "10.0.0.2", later).refused);
    assert_int_equal(sec_sign_in(wh_store(w), &p, wh_keyring(w), "ling", "a long password", NULL, "10.0.0.2", later, &u, &x, &e), RP_OK);
    assert_string_equal(u.name, "ling");
    assert_int_equal(sec_user_unlock(wh_store(w), "ling", later, &was, &e), RP_OK);
    assert_int_equal(was, 0);
    wh_close(w);
}

/* sec_sign_in: a wrong password counts, the lock comes with the failure that makes it. */
static void signing_in_counts_and_clears(void **state)
{
    (void)state;
    wh *w = store();
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(sec_user_add(wh_store(w), "mei", "csr", NULL, "a long password", "t", NULL, &e), RP_OK);
    sec_signin_policy p = { .user_attempts = 10, .lock_after = 2 };
    sec_user u;
    sec_signin_wait x;
    int64_t now = rp_now();
    assert_int_equal(sec_sign_in(wh_store(w), &p, wh_keyring(w), "mei", "wrong password", NULL, "a", now, &u, &x, &e), RP_NOTFOUND);
    assert_false(x.refused || x.locked);
    assert_string_equal(rp_errmsg(&e), "wrong user name or password");
    assert_int_equal(sec_sign_in(wh_store(w), &p, wh_keyring(w), "mei", "a long password", NULL, "a", now, &u, &x, &e), RP_OK);
    assert_int_equal(sec_sign_in(wh_store(w), &p, wh_keyring(w), "mei", "wrong password", NULL, "a", now, &u, &x, &e), RP_NOTFOUND);
    assert_false(x.locked); /* the success cleared the first */
    assert_int_equal(sec_sign_in(wh_store(w), &p, wh_keyring(w), "mei", "wrong password", NULL, "a", now, &u, &x, &e), RP_NOTFOUND);
    assert_true(x.locked && !x.refused);
    json_t *list;
    assert_int_equal(sec_user_list(wh_store(w), &list, &e), RP_OK);
    json_t *m = json_array_get(list, 0);
    assert_true(json_is_true(json_object_get(m, "locked")));
    char until[RP_TIME_UTC_LEN];
    rp_time_format_utc(now + 1800, until);
    assert_string_equal(json_string_value(json_object_get(m, "locked_until")), until);
    json_decref(list);
    wh_close(w);
}

/* [security]: the knobs, their defaults and their errors. */
static void the_policy_from_the_configuration(void **state)
{
    (void)state;
    sec_signin_policy p;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(sec_signin_config(NULL, &p, &e), RP_OK);
    assert_int_equal(p.user_attempts, 5);
    assert_int_equal(p.address_attempts, 20);
    assert_int_equal(p.window, 300);
    assert_int_equal(p.lock_after, 10);
    assert_int_equal(p.lock_seconds, 1800);
    assert_int_equal(p.lock_until_unlocked, 0);
    rp_config *c = rp_config_new();
    assert_int_equal(rp_config_load_str(c, "t", "[security]\nlogin_attempts = 3\nlogin_window_minutes = 10\n"
                                              "lock_after = 4\nlock_minutes = 60\nlock_until_unlocked = yes\n", &e),
                     RP_OK);
    assert_int_equal(sec_signin_config(c, &p, &e), RP_OK);
    assert_int_equal(p.user_attempts, 3);
    assert_int_equal(p.address_attempts, 20);
    assert_int_equal(p.window, 600);
    assert_int_equal(p.lock_after, 4);
    assert_int_equal(p.lock_seconds, 3600);
    assert_int_equal(p.lock_until_unlocked, 1);
    assert_int_equal(rp_config_set(c, "security", "lock_until_unlocked", "maybe"), RP_OK);
    assert_int_equal(sec_signin_config(c, &p, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "[security] lock_until_unlocked: 'maybe' is not yes or no");
    assert_int_equal(rp_config_set(c, "security", "lock_after", "0"), RP_OK);
    assert_int_equal(sec_signin_config(c, &p, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "[security] lock_after: '0' is not a whole number from 1 to 1000");
    rp_config_free(c);
    /* the roles that sign in only with a second factor: none by default */
    assert_int_equal(sec_signin_config(NULL, &p, &e), RP_OK);
    assert_int_equal(p.totp_roles, 0);
    c = rp_config_new();
    assert_int_equal(rp_config_load_str(c, "t", "[security]\ntotp_roles = supervisor, steward admin,auditor\n", &e),
                     RP_OK);
    assert_int_equal(sec_signin_config(c, &p, &e), RP_OK);
    assert_int_equal(p.totp_roles,
                     1u << SEC_SUPERVISOR | 1u << SEC_STEWARD | 1u << SEC_ADMIN | 1u << SEC_AUDITOR);
    assert_int_equal(rp_config_set(c, "security", "totp_roles", "none"), RP_OK);
    assert_int_equal(sec_signin_config(c, &p, &e), RP_OK);
    assert_int_equal(p.totp_roles, 0);
    assert_int_equal(rp_config_set(c, "security", "totp_roles", "admin, boss"), RP_OK);
    assert_int_equal(sec_signin_config(c, &p, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "[security] totp_roles: 'boss' is not a role (one of teller, rm, csr, tsr, "
                                       "supervisor, analyst, steward, admin, auditor, or none)");
    rp_config_free(c);
}

/* ---- the second factor (issue 21 item 7) ---- */

/* RFC 6238, appendix B: every time and hash of the table, 8 digits. */
static void totp_codes_are_rfc_6238s(void **state)
{
    (void)state;
    static const char *const seed[] = { "12345678901234567890", "12345678901234567890123456789012",
                                        "1234567890123456789012345678901234567890123456789012345678901234" };
    static const struct {
        int64_t t;
        const char *code[3]; /* SHA1, SHA256, SHA512 */
    } v[] = {
        { 59, { "94287082", "46119246", "90693936" } },
        { 1111111109, { "07081804", "68084774", "25091201" } },
        { 1111111111, { "14050471", "67062674", "99943326" } },
        { 1234567890, { "89005924", "91819424", "93441116" } },
        { 2000000000, { "69279037", "90698825", "38618901" } },
        { 20000000000LL, { "65353130", "77737706", "47863826" } },
    };
    rp_error e = RP_ERROR_INIT;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        for (int h = 0; h < 3; h++) {
            char out[9];
            assert_int_equal(sec_totp_code(seed[h], strlen(seed[h]), v[i].t, 8, (sec_totp_hash)h, out, &e), RP_OK);
            if (strcmp(out, v[i].code[h]))
                fail_msg("T=%lld, hash %d: %s, not %s", (long long)v[i].t, h, out, v[i].code[h]);
        }
    /* six digits are the last six of the eight */
    char six[7];
    assert_int_equal(sec_totp_code(seed[0], 20, 1111111109, 6, SEC_TOTP_SHA1, six, &e), RP_OK);
    assert_string_equal(six, "081804");
    assert_int_equal(sec_totp_code(seed[0], 20, 59, 9, SEC_TOTP_SHA1, six, &e), RP_INVAL);
}

/* The user's code at t: the secret read back from base32, as an app does. */
static void code_at(const char *b32, int64_t t, char out[7])
{
    char *secret = NULL;
    size_t n = 0;
    assert_int_equal(oath_base32_decode(b32, strlen(b32), &secret, &n), OATH_OK);
    assert_int_equal(n, SEC_TOTP_SECRET_BYTES);
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(sec_totp_code(secret, n, t, 6, SEC_TOTP_SHA1, out, &e), RP_OK);
    free(secret);
}

/* Enrolment gives the secret once and keeps it sealed; a code is taken in
 * the window of a step either side, and only once; enrolling again
 * replaces the secret. */
static void a_code_is_taken_once(void **state)
{
    (void)state;
    wh *w = store();
    rp_error e = RP_ERROR_INIT;
    sec_user u;
    assert_int_equal(sec_user_add(wh_store(w), "mei", "supervisor", NULL, "a long password", "t", &u, &e), RP_OK);
    sec_totp_enrolment t;
    assert_int_equal(sec_totp_enrol(wh_store(w), wh_keyring(w), "nobody", "t", 0, &t, &e), RP_NOTFOUND);
    const int64_t now = 1800000000; /* on a step's start */
    assert_int_equal(sec_totp_enrol(wh_store(w), wh_keyring(w), "mei", "t", now, &t, &e), RP_OK);
    assert_int_equal(strlen(t.secret), 32);
    char uri[300];
    snprintf(uri, sizeof uri, "otpauth://totp/Rapport:mei?secret=%s&issuer=Rapport&algorithm=SHA1&digits=6&period=30",
             t.secret);
    assert_string_equal(t.uri, uri);
    /* kept sealed: 20 bytes, a nonce and a MAC, and not the secret */
    char *raw = NULL;
    size_t rn = 0;
    assert_int_equal(oath_base32_decode(t.secret, 32, &raw, &rn), OATH_OK);
    rp_stmt *st;
    assert_int_equal(rp_store_prepare(wh_store(w), "SELECT secret FROM user_totp", &st, &e), RP_OK);
    assert_int_equal(rp_stmt_step(st, &e), RP_ROW);
    assert_int_equal(rp_stmt_bytes(st, 0), 60);
    assert_null(memmem(rp_stmt_blob(st, 0), 60, raw, rn));
    rp_stmt_done(st);
    free(raw);
    int yes = 0;
    assert_int_equal(sec_totp_enrolled(wh_store(w), u.id, &yes, &e), RP_OK);
    assert_true(yes);
    char c0[7], cm1[7], cp1[7], cp2[7];
    code_at(t.secret, now, c0);
    code_at(t.secret, now - 30, cm1);
    code_at(t.secret, now + 30, cp1);
    code_at(t.secret, now + 60, cp2);
    /* malformed, missing, out of the window */
    const char *bad[] = { NULL, "", "12345", "1234567", "12a456", cp2 };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (!bad[i] || strcmp(bad[i], c0))
            assert_int_equal(sec_totp_check(wh_store(w), wh_keyring(w), u.id, bad[i], now, &e), RP_NOTFOUND);
    /* the current code, with blanks between its groups */
    char spaced[9];
    snprintf(spaced, sizeof spaced, "%.3s %s", c0, c0 + 3);
    assert_int_equal(sec_totp_check(wh_store(w), wh_keyring(w), u.id, spaced, now, &e), RP_OK);
    /* not twice, nor the step before it, even within the window */
    assert_int_equal(sec_totp_check(wh_store(w), wh_keyring(w), u.id, c0, now, &e), RP_NOTFOUND);
    assert_string_equal(rp_errmsg(&e), "the one-time code is missing, wrong or already used");
    if (strcmp(cm1, c0))
        assert_int_equal(sec_totp_check(wh_store(w), wh_keyring(w), u.id, cm1, now, &e), RP_NOTFOUND);
    /* the step after it (a clock a step ahead) */
    assert_int_equal(sec_totp_check(wh_store(w), wh_keyring(w), u.id, cp1, now, &e), RP_OK);
    /* a second enrolment replaces the secret: the old one's codes are refused */
    sec_totp_enrolment t2;
    assert_int_equal(sec_totp_enrol(wh_store(w), wh_keyring(w), "mei", "t", now, &t2, &e), RP_OK);
    assert_string_not_equal(t2.secret, t.secret);
    char n0[7], old[7];
    code_at(t2.secret, now + 120, n0);
    code_at(t.secret, now + 120, old);
    if (strcmp(old, n0))
        assert_int_equal(sec_totp_check(wh_store(w), wh_keyring(w), u.id, old, now + 120, &e), RP_NOTFOUND);
    assert_int_equal(sec_totp_check(wh_store(w), wh_keyring(w), u.id, n0, now + 120, &e), RP_OK);
    json_t *names;
    assert_int_equal(sec_totp_users(wh_store(w), &names, &e), RP_OK);
    assert_int_equal(json_array_size(names), 1);
    assert_string_equal(json_string_value(json_array_get(names, 0)), "mei");
    json_decref(names);
    int had = 0;
    assert_int_equal(sec_totp_remove(wh_store(w), "mei", &had, &e), RP_OK);
    assert_true(had);
    assert_int_equal(sec_totp_remove(wh_store(w), "mei", &had, &e), RP_OK);
    assert_false(had);
    assert_int_equal(sec_totp_check(wh_store(w), wh_keyring(w), u.id, n0, now + 120, &e), RP_NOTFOUND);
    wh_close(w);
}

/* sec_sign_in with a second factor: a missing, wrong or used code fails as
 * a wrong password does and is counted; a role of totp_roles without one
 * enrolled is refused without counting; changing one's own password in a
 * session needs no code. */
static void signing_in_with_a_second_factor(void **state)
{
    (void)state;
    wh *w = store();
    rp_error e = RP_ERROR_INIT;
    sec_user u;
    assert_int_equal(sec_user_add(wh_store(w), "mei", "supervisor", NULL, "a long password", "t", NULL, &e), RP_OK);
    assert_int_equal(sec_user_add(wh_store(w), "ann", "csr", NULL, "a long password", "t", NULL, &e), RP_OK);
    sec_signin_policy p = { .user_attempts = 10, .lock_after = 10, .totp_roles = 1u << SEC_SUPERVISOR };
    sec_signin_wait x;
    const int64_t now = 1800000000;
    rp_store *s = wh_store(w);
    const rp_keyring *k = wh_keyring(w);
    /* the supervisor has none: refused, nothing counted; the CSR needs none */
    assert_int_equal(sec_sign_in(s, &p, k, "mei", "a long password", NULL, "a", now, &u, &x, &e), RP_NOTFOUND);
    assert_true(x.enrol && !x.refused);
    assert_string_equal(rp_errmsg(&e), "a supervisor signs in with a one-time code, and 'mei' has none enrolled");
    int64_t failures = -1;
    assert_int_equal(rp_store_query_int(s, "SELECT count(*) FROM sign_in_failure", &failures, &e), RP_OK);
    assert_int_equal(failures, 0);
    assert_int_equal(sec_sign_in(s, &p, k, "ann", "a long password", NULL, "a", now, &u, &x, &e), RP_OK);
    /* enrolled: no code, a wrong one, then the right one */
    sec_totp_enrolment t;
    assert_int_equal(sec_totp_enrol(s, k, "mei", "t", now, &t, &e), RP_OK);
    char c0[7], far[7];
    code_at(t.secret, now, c0);
    code_at(t.secret, now + 300, far);
    assert_int_equal(sec_sign_in(s, &p, k, "mei", "a long password", NULL, "a", now, &u, &x, &e), RP_NOTFOUND);
    assert_false(x.enrol);
    assert_string_equal(rp_errmsg(&e), "wrong user name or password");
    if (strcmp(far, c0))
        assert_int_equal(sec_sign_in(s, &p, k, "mei", "a long password", far, "a", now, &u, &x, &e), RP_NOTFOUND);
    assert_int_equal(rp_store_query_int(s, "SELECT failures FROM sign_in_failure WHERE kind = 'user' AND name = 'mei'",
                                        &failures, &e),
                     RP_OK);
    assert_int_equal(failures, strcmp(far, c0) ? 2 : 1);
    /* the right code with a wrong password is still a wrong password, and does not use the code up */
    assert_int_equal(sec_sign_in(s, &p, k, "mei", "wrong password", c0, "a", now, &u, &x, &e), RP_NOTFOUND);
    assert_int_equal(sec_sign_in(s, &p, k, "mei", "a long password", c0, "a", now, &u, &x, &e), RP_OK);
    assert_string_equal(u.name, "mei");
    assert_int_equal(rp_store_query_int(s, "SELECT count(*) FROM sign_in_failure WHERE kind = 'user'", &failures, &e),
                     RP_OK);
    assert_int_equal(failures, 0);
    /* the same code again */
    assert_int_equal(sec_sign_in(s, &p, k, "mei", "a long password", c0, "a", now, &u, &x, &e), RP_NOTFOUND);
    /* one's own password, changed in a session that had the code */
    assert_int_equal(sec_password_change_own(s, &p, "mei", "a long password", "another long one 7", "a", now, NULL,
                                             &x, &e),
                     RP_OK);
    /* a user who is not of totp_roles but has a second factor gives it too */
    assert_int_equal(sec_totp_enrol(s, k, "ann", "t", now, &t, &e), RP_OK);
    assert_int_equal(sec_sign_in(s, &p, k, "ann", "a long password", NULL, "a", now, &u, &x, &e), RP_NOTFOUND);
    code_at(t.secret, now, c0);
    assert_int_equal(sec_sign_in(s, &p, k, "ann", "a long password", c0, "a", now, &u, &x, &e), RP_OK);
    wh_close(w);
}

/* ---- passwords (issue 21 item 5) ---- */

static void password_is_refused(wh *w, const char *name, const char *password, const char *why)
{
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(sec_password_check(wh_store(w), name, password, 0, &e), RP_INVAL);
    if (!strstr(rp_errmsg(&e), why))
        fail_msg("'%s' for %s: %s, not %s", password, name, rp_errmsg(&e), why);
}

/* Common passwords (and their variants), one character repeated, the user's name. */
static void what_a_password_may_not_be(void **state)
{
    (void)state;
    wh *w = store();
    rp_error e = RP_ERROR_INIT;
    password_is_refused(w, "ling", "qwertyuiop", "most common");
    password_is_refused(w, "ling", "QwertyUiop", "most common");
    password_is_refused(w, "ling", "Password2024!", "most common");
    password_is_refused(w, "ling", "!!iloveyou!!", "most common");
    password_is_refused(w, "ling", "1234567890", "most common");
    password_is_refused(w, "ling", "zzzzzzzzzzzz", "one character repeated");
    password_is_refused(w, "ling", "my ling is 42!", "user name");
    password_is_refused(w, "chen.yichun", "YiChun-1985-03-14", "user name");
    password_is_refused(w, "ling", "short", "at least 10 characters");
    assert_int_equal(sec_password_check(wh_store(w), "ling", "jade river lamps 47", 0, &e), RP_OK);
    assert_int_equal(sec_password_check(wh_store(w), "ling", "password manager says k7#Qz", 0, &e), RP_OK);
    /* a user is added under the same rules */
    assert_int_equal(sec_user_add(wh_store(w), "mei", "csr", NULL, "letmein2025", "t", NULL, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "password: one of the most common passwords; choose another");
    wh_close(w);
}

static int session_alive(wh *w, const char *token)
{
    sec_session se;
    rp_error e = RP_ERROR_INIT;
    return sec_session_get(wh_store(w), token, rp_now(), 3600, 3600, &se, &e) == RP_OK;
}

/* The last N passwords do not come back; a change ends the user's other sessions. */
static void history_and_sessions(void **state)
{
    (void)state;
    wh *w = store();
    rp_error e = RP_ERROR_INIT;
    sec_user u;
    assert_int_equal(sec_user_add(wh_store(w), "ling", "rm", "0012", "first of many 1", "t", &u, &e), RP_OK);
    sec_session a, b;
    assert_int_equal(sec_session_new(wh_store(w), &u, "10.0.0.1", rp_now(), &a, &e), RP_OK);
    assert_int_equal(sec_session_new(wh_store(w), &u, "10.0.0.2", rp_now(), &b, &e), RP_OK);
    assert_int_equal(sec_password_change(wh_store(w), "ling", "second of many 2", 3, "ling", a.token, &e), RP_OK);
    assert_true(session_alive(w, a.token));
    assert_false(session_alive(w, b.token));
    assert_int_equal(sec_password_change(wh_store(w), "ling", "third of many 3", 3, "ling", NULL, &e), RP_OK);
    assert_false(session_alive(w, a.token));
    /* the current one and the two before it are refused; the one before those is not */
    assert_int_equal(sec_password_change(wh_store(w), "ling", "third of many 3", 3, "t", NULL, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "password: one of the last 3 passwords of 'ling'; choose another");
    assert_int_equal(sec_password_change(wh_store(w), "ling", "second of many 2", 3, "t", NULL, &e), RP_INVAL);
    assert_int_equal(sec_password_change(wh_store(w), "ling", "first of many 1", 3, "t", NULL, &e), RP_INVAL);
    assert_int_equal(sec_password_change(wh_store(w), "ling", "fourth of many 4", 3, "t", NULL, &e), RP_OK);
    assert_int_equal(sec_password_change(wh_store(w), "ling", "first of many 1", 3, "t", NULL, &e), RP_OK);
    int64_t kept = -1;
    assert_int_equal(rp_store_query_int(wh_store(w), "SELECT count(*) FROM password_history", &kept, &e), RP_OK);
    assert_int_equal(kept, 2);
    assert_int_equal(sec_authenticate(wh_store(w), "ling", "first of many 1", &u, &e), RP_OK);
    assert_int_equal(sec_password_change(wh_store(w), "nobody", "fifth of many 5", 3, "t", NULL, &e), RP_NOTFOUND);
    wh_close(w);
}

/* A password older than the policy's age signs in expired; changing it clears that. */
static void passwords_expire(void **state)
{
    (void)state;
    wh *w = store();
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(sec_user_add(wh_store(w), "ling", "rm", "0012", "first of many 1", "t", NULL, &e), RP_OK);
    int64_t now = rp_now(), day = 86400;
    int expired = -1;
    assert_int_equal(sec_password_expired(wh_store(w), "ling", 90 * day, now + 89 * day, &expired, &e), RP_OK);
    assert_false(expired);
    assert_int_equal(sec_password_expired(wh_store(w), "ling", 90 * day, now + 91 * day, &expired, &e), RP_OK);
    assert_true(expired);
    assert_int_equal(sec_password_expired(wh_store(w), "ling", 0, now + 9999 * day, &expired, &e), RP_OK);
    assert_false(expired);
    sec_signin_policy p = { .password_max_age = 90 * day, .password_history = 3 };
    sec_user u;
    sec_signin_wait x;
    assert_int_equal(sec_sign_in(wh_store(w), &p, wh_keyring(w), "ling", "first of many 1", NULL, "a", now + 91 * day, &u, &x, &e), RP_OK);
    assert_true(u.password_expired);
    /* a session begun so carries it, until the password is changed in it */
    sec_session se, got;
    assert_int_equal(sec_session_new(wh_store(w), &u, "a", now, &se, &e), RP_OK);
    assert_int_equal(sec_session_get(wh_store(w), se.token, now, 3600, 3600, &got, &e), RP_OK);
    assert_true(got.user.password_expired);
    assert_int_equal(sec_password_change_own(wh_store(w), &p, "ling", "not it at all", "second of many 2", "a", now,
                                             se.token, &x, &e),
                     RP_NOTFOUND);
    assert_string_equal(rp_errmsg(&e), "password: not your current password");
    assert_int_equal(sec_password_change_own(wh_store(w), &p, "ling", "first of many 1", "second of many 2", "a", now,
                                             se.token, &x, &e),
                     RP_OK);
    assert_int_equal(sec_session_get(wh_store(w), se.token, now, 3600, 3600, &got, &e), RP_OK);
    assert_false(got.user.password_expired);
    assert_int_equal(sec_password_expired(wh_store(w), "ling", 90 * day, now + 89 * day, &expired, &e), RP_OK);
    assert_false(expired);
    /* [security]'s defaults */
    assert_int_equal(sec_signin_config(NULL, &p, &e), RP_OK);
    assert_int_equal(p.password_history, 5);
    assert_int_equal(p.password_max_age, 90 * day);
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

/* Names as an analyst's drill-down shows them: the surname and an initial (issue 22 item 13). */
static void names_masked_for_analysts(void **state)
{
    (void)state;
    char out[80];
    static const char *const zh[][2] = { { "陳怡君", "陳○○" }, { "歐陽娜娜", "歐○○○" }, { "林", "林" }, { "", "" } };
    for (size_t i = 0; i < sizeof zh / sizeof zh[0]; i++) {
        sec_mask_name_zh(zh[i][0], out, sizeof out);
        assert_string_equal(out, zh[i][1]);
    }
    static const char *const latin[][2] = { { "CHEN, YI-CHUN", "CHEN Y." }, { "SMITH, JOHN", "SMITH J." },
                                            { "Wang Hsiao-ming", "Wang H." }, { "MADONNA", "MADONNA" }, { "", "" } };
    for (size_t i = 0; i < sizeof latin / sizeof latin[0]; i++) {
        sec_mask_name_latin(latin[i][0], out, sizeof out);
        assert_string_equal(out, latin[i][1]);
    }
    sec_mask_name_zh("陳怡君", out, 5); /* no room: never half a character */
    assert_string_equal(out, "陳");
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

/* What may identify a person is masked wherever it stands in free text. */
static void scrubbing_and_card_numbers(void **state)
{
    (void)state;
    char m[256], d[20];
    sec_scrub("q=F105679092", m, sizeof m);
    assert_string_equal(m, "q=F10****092");
    sec_scrub("unknown account '4563180000000001'.", m, sizeof m);
    assert_string_equal(m, "unknown account '456318******0001'.");
    sec_scrub("call 0912-345-678 or mail yi.chun@example.com on 2026-11-02T10:00:00Z", m, sizeof m);
    assert_string_equal(m, "call 091******678 or mail y***@example.com on 2026-11-02T10:00:00Z");
    sec_scrub("陳怡君 record 123456 of 0012", m, sizeof m);
    assert_string_equal(m, "陳怡君 record 123456 of 0012");
    assert_true(sec_is_pan("4563-1800-0000-0001", d));
    assert_string_equal(d, "4563180000000001");
    assert_false(sec_is_pan("4563180000000002", d));  /* Luhn */
    assert_false(sec_is_pan("0012100000001", d));     /* not a card's first digit */
    sec_mask_pan("4563180000000001", m, sizeof m);
    assert_string_equal(m, "456318******0001");
}

/* The trail is a hash chain: a change behind Rapport's back is found, with
 * where; archiving moves the old part to a file that verifies on its own,
 * and the chain and the ids go on. */
static void the_trail_is_chained_and_archived(void **state)
{
    (void)state;
    wh *w = store();
    rp_store *s = wh_store(w);
    rp_error e = RP_ERROR_INIT;
    for (int i = 0; i < 5; i++) {
        sec_audit_entry en = { .user = "mei", .address = "10.0.0.1", .action = "view", .customer = 40 + i,
                               .target = "/x", .customers = i == 2 ? "7 8" : NULL };
        assert_int_equal(sec_audit_at(s, &en, i < 3 ? "2026-01-01T00:00:00Z" : "2026-06-01T00:00:00Z", &e), RP_OK);
    }
    sec_audit_check k;
    assert_int_equal(sec_audit_verify(s, &k, &e), RP_OK);
    assert_int_equal(k.entries, 5);
    assert_int_equal(k.broken_at, 0);
    char head[65];
    memcpy(head, k.head, sizeof head);
    /* archive what is before March: three entries, to a file that verifies */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int64_t n;
    assert_int_equal(sec_audit_archive(s, "2026-03-01T00:00:00Z", f, &n, &e), RP_OK);
    fclose(f);
    assert_int_equal(n, 3);
    f = fmemopen(buf, len, "r");
    assert_int_equal(sec_audit_verify_file(f, &k, &e), RP_OK);
    fclose(f);
    assert_int_equal(k.entries, 3);
    assert_int_equal(k.last, 3);
    /* the store verifies from the archived head to the same head as before */
    assert_int_equal(sec_audit_verify(s, &k, &e), RP_OK);
    assert_int_equal(k.entries, 2);
    assert_string_equal(k.head, head);
    /* a line of the archive changed: found */
    char *at = strstr(buf, "\"customer\":41");
    assert_non_null(at);
    at[12] = '9';
    f = fmemopen(buf, len, "r");
    assert_int_equal(sec_audit_verify_file(f, &k, &e), RP_OK);
    fclose(f);
    assert_int_equal(k.broken_at, 2);
    free(buf);
    /* ids go on past the archived ones even when all are archived; nothing newer may be removed */
    f = open_memstream(&buf, &len);
    assert_int_equal(sec_audit_archive(s, "2027-01-01T00:00:00Z", f, &n, &e), RP_OK);
    fclose(f);
    free(buf);
    assert_int_equal(n, 2);
    sec_audit_entry en = { .user = "tom", .action = "view", .customer = 1 };
    assert_int_equal(sec_audit(s, &en, &e), RP_OK);
    int64_t id = 0;
    assert_int_equal(rp_store_query_int(s, "SELECT max(id) FROM audit", &id, &e), RP_OK);
    assert_int_equal(id, 6);
    assert_int_not_equal(rp_store_exec(s, "DELETE FROM audit", &e), RP_OK);
    assert_int_equal(sec_audit_verify(s, &k, &e), RP_OK);
    assert_int_equal(k.entries, 1);
    assert_int_equal(k.broken_at, 0);
    /* changed behind Rapport's back (the trigger dropped): found, with where */
    assert_int_equal(rp_store_exec(s, strcmp(rp_store_backend(s), "sqlite") ? "DROP TRIGGER audit_append_only_update ON audit; "
                                      "UPDATE audit SET user_name = 'mallory' WHERE id = 6" : "DROP TRIGGER audit_append_only_update; "
                                      "UPDATE audit SET user_name = 'mallory' WHERE id = 6", &e), RP_OK);
    assert_int_equal(sec_audit_verify(s, &k, &e), RP_OK);
    assert_int_equal(k.broken_at, 6);
    wh_close(w);
}

/* ---- separation of duties: four eyes (issue 21 item 6) ---- */

static int64_t count_of(wh *w, const char *sql)
{
    int64_t v = -1;
    rp_error e = RP_ERROR_INIT;
    if (rp_store_query_int(wh_store(w), sql, &v, &e))
        fail_msg("%s: %s", sql, rp_errmsg(&e));
    return v;
}

/* Two administrators and an auditor. */
static wh *four_eyes_store(void)
{
    wh *w = store();
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(sec_user_add(wh_store(w), "ann", "admin", NULL, "a long password", "t", NULL, &e), RP_OK);
    assert_int_equal(sec_user_add(wh_store(w), "bob", "admin", NULL, "a long password", "t", NULL, &e), RP_OK);
    assert_int_equal(sec_user_add(wh_store(w), "aud", "auditor", NULL, "a long password", "t", NULL, &e), RP_OK);
    return w;
}

static void roles_that_reveal_come_from_the_matrix(void **state)
{
    (void)state;
    for (int r = 0; r < SEC_NROLES; r++)
        assert_int_equal(sec_role_reveals((sec_role)r), sec_can((sec_role)r, SEC_P_REVEAL) ||
                                                            sec_can((sec_role)r, SEC_P_EXPORT) ||
                                                            sec_can((sec_role)r, SEC_P_REVEAL_REJECTS));
    assert_true(sec_role_reveals(SEC_SUPERVISOR));
    assert_true(sec_role_reveals(SEC_STEWARD));
    assert_false(sec_role_reveals(SEC_CSR));
    assert_false(sec_role_reveals(SEC_ADMIN));
    assert_false(sec_role_reveals(SEC_AUDITOR));
}

/* A supervisor added by one administrator is a request, no user, until a
 * second approves it; the requester may not; the hash waits, never the password. */
static void a_revealing_role_waits_for_a_second_administrator(void **state)
{
    (void)state;
    wh *w = four_eyes_store();
    rp_error e = RP_ERROR_INIT;
    sec_user u;
    int64_t req = -1;
    sec_user_change add = { .kind = SEC_REQ_ADD, .name = "sup1", .role = "supervisor", .password = "jade river lamps" };
    assert_int_equal(sec_user_submit(wh_store(w), &add, "ann", 0, &req, &e), RP_OK);
    assert_true(req > 0);
    assert_int_equal(sec_user_get(wh_store(w), "sup1", &u, &e), RP_NOTFOUND);
    assert_int_equal(count_of(w, "SELECT count(*) FROM user_request WHERE pw_hash LIKE '$argon2id$%' AND "
                                 "pw_hash NOT LIKE '%jade river%' AND status = 'pending' AND requested_by = 'ann'"),
                     1);
    /* a role that reveals nothing is made at once */
    int64_t none = -1;
    sec_user_change csr = { .kind = SEC_REQ_ADD, .name = "c1", .role = "csr", .password = "jade river lamps" };
    assert_int_equal(sec_user_submit(wh_store(w), &csr, "ann", 0, &none, &e), RP_OK);
    assert_int_equal(none, 0);
    assert_int_equal(sec_user_get(wh_store(w), "c1", &u, &e), RP_OK);
    /* one request a name at a time; the change is checked when asked */
    assert_int_equal(sec_user_submit(wh_store(w), &add, "bob", 0, &none, &e), RP_EXISTS);
    assert_non_null(strstr(rp_errmsg(&e), "has a request waiting for approval already"));
    sec_user_change weak = { .kind = SEC_REQ_ADD, .name = "sup2", .role = "supervisor", .password = "short" };
    assert_int_equal(sec_user_submit(wh_store(w), &weak, "ann", 0, &none, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "password: at least 10 characters");
    /* the requester may not approve, nor reject */
    json_t *r = NULL;
    assert_int_equal(sec_user_request_decide(wh_store(w), req, 1, "ann", NULL, &r, &e), RP_DENIED);
    assert_string_equal(rp_errmsg(&e), "request 1 was made by you (ann): another administrator must decide it");
    assert_null(r);
    assert_int_equal(sec_user_request_decide(wh_store(w), req, 0, "ann", NULL, NULL, &e), RP_DENIED);
    assert_int_equal(sec_user_get(wh_store(w), "sup1", &u, &e), RP_NOTFOUND);
    /* a second administrator approves: the user is made, and signs in */
    assert_int_equal(sec_user_request_decide(wh_store(w), req, 1, "bob", "checked with HR", &r, &e), RP_OK);
    assert_string_equal(json_string_value(json_object_get(r, "status")), "approved");
    assert_string_equal(json_string_value(json_object_get(r, "decided_by")), "bob");
    assert_string_equal(json_string_value(json_object_get(r, "note")), "checked with HR");
    json_decref(r);
    assert_int_equal(sec_authenticate(wh_store(w), "sup1", "jade river lamps", &u, &e), RP_OK);
    assert_int_equal(u.role, SEC_SUPERVISOR);
    assert_int_equal(count_of(w, "SELECT count(*) FROM user_request WHERE pw_hash IS NOT NULL"), 0);
    /* once */
    assert_int_equal(sec_user_request_decide(wh_store(w), req, 1, "aud", NULL, NULL, &e), RP_EXISTS);
    assert_string_equal(rp_errmsg(&e), "request 1 was approved already by bob");
    assert_int_equal(sec_user_request_decide(wh_store(w), 99, 1, "bob", NULL, NULL, &e), RP_NOTFOUND);
    assert_string_equal(rp_errmsg(&e), "no request 99");
    wh_close(w);
}

/* Role changes: to a revealing role, or an auditor's away, wait; rejected, nothing changes. */
static void role_changes_and_rejection(void **state)
{
    (void)state;
    wh *w = four_eyes_store();
    rp_error e = RP_ERROR_INIT;
    sec_user u;
    int64_t req = -1, none = -1;
    assert_int_equal(sec_user_add(wh_store(w), "c1", "csr", NULL, "a long password", "t", NULL, &e), RP_OK);
    sec_user_change up = { .kind = SEC_REQ_ROLE, .name = "c1", .role = "steward" };
    assert_int_equal(sec_user_submit(wh_store(w), &up, "ann", 0, &req, &e), RP_OK);
    assert_true(req > 0);
    assert_int_equal(sec_user_get(wh_store(w), "c1", &u, &e), RP_OK);
    assert_int_equal(u.role, SEC_CSR);
    json_t *r;
    assert_int_equal(sec_user_request_get(wh_store(w), req, &r, &e), RP_OK);
    char text[160];
    sec_user_request_text(r, text, sizeof text);
    assert_string_equal(text, "c1: csr -> steward");
    json_decref(r);
    assert_int_equal(sec_user_request_decide(wh_store(w), req, 0, "bob", "not in the data team", &r, &e), RP_OK);
    assert_string_equal(json_string_value(json_object_get(r, "status")), "rejected");
    json_decref(r);
    assert_int_equal(sec_user_get(wh_store(w), "c1", &u, &e), RP_OK);
    assert_int_equal(u.role, SEC_CSR);
    /* a role that reveals nothing: at once */
    sec_user_change down = { .kind = SEC_REQ_ROLE, .name = "c1", .role = "tsr" };
    assert_int_equal(sec_user_submit(wh_store(w), &down, "ann", 0, &none, &e), RP_OK);
    assert_int_equal(none, 0);
    assert_int_equal(sec_user_get(wh_store(w), "c1", &u, &e), RP_OK);
    assert_int_equal(u.role, SEC_TSR);
    sec_user_change teller = { .kind = SEC_REQ_ROLE, .name = "c1", .role = "teller" };
    assert_int_equal(sec_user_submit(wh_store(w), &teller, "ann", 0, &none, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "branch: a teller / branch staff works at a branch; give --branch CODE");
    /* an auditor made an analyst is an auditor taken away */
    sec_user_change away = { .kind = SEC_REQ_ROLE, .name = "aud", .role = "analyst" };
    assert_int_equal(sec_user_submit(wh_store(w), &away, "ann", 0, &req, &e), RP_OK);
    assert_true(req > 0);
    /* nobody decides a change of their own account */
    sec_user_change own = { .kind = SEC_REQ_ROLE, .name = "bob", .role = "supervisor" };
    int64_t mine = 0;
    assert_int_equal(sec_user_submit(wh_store(w), &own, "ann", 0, &mine, &e), RP_OK);
    assert_int_equal(sec_user_request_decide(wh_store(w), mine, 1, "bob", NULL, NULL, &e), RP_DENIED);
    assert_non_null(strstr(rp_errmsg(&e), "changes your own account"));
    assert_int_equal(sec_user_request_decide(wh_store(w), req, 1, "bob", NULL, NULL, &e), RP_OK);
    assert_int_equal(sec_user_get(wh_store(w), "aud", &u, &e), RP_OK);
    assert_int_equal(u.role, SEC_ANALYST);
    /* the command line's change, the operator's: at once */
    assert_int_equal(sec_user_role(wh_store(w), "c1", "supervisor", NULL, "operator", &e), RP_OK);
    assert_int_equal(sec_user_get(wh_store(w), "c1", &u, &e), RP_OK);
    assert_int_equal(u.role, SEC_SUPERVISOR);
    wh_close(w);
}

/* Disabling an auditor waits for a second administrator; anyone else's does not. */
static void disabling_an_auditor_needs_approval(void **state)
{
    (void)state;
    wh *w = four_eyes_store();
    rp_error e = RP_ERROR_INIT;
    sec_user u;
    int64_t req = -1, none = -1;
    assert_int_equal(sec_user_add(wh_store(w), "aud2", "auditor", NULL, "a long password", "t", NULL, &e), RP_OK);
    assert_int_equal(sec_user_add(wh_store(w), "c1", "csr", NULL, "a long password", "t", NULL, &e), RP_OK);
    sec_user_change off = { .kind = SEC_REQ_DISABLE, .name = "aud" };
    int needs = -1;
    assert_int_equal(sec_user_change_needs(wh_store(w), &off, &needs, &e), RP_OK);
    assert_int_equal(needs, 1);
    assert_int_equal(sec_user_submit(wh_store(w), &off, "ann", 0, &req, &e), RP_OK);
    assert_true(req > 0);
    assert_int_equal(sec_user_get(wh_store(w), "aud", &u, &e), RP_OK);
    assert_int_equal(u.disabled, 0);
    json_t *r;
    assert_int_equal(sec_user_request_get(wh_store(w), req, &r, &e), RP_OK);
    char text[160];
    sec_user_request_text(r, text, sizeof text);
    assert_string_equal(text, "disable auditor aud");
    json_decref(r);
    assert_int_equal(sec_user_request_decide(wh_store(w), req, 1, "bob", NULL, NULL, &e), RP_OK);
    assert_int_equal(sec_user_get(wh_store(w), "aud", &u, &e), RP_OK);
    assert_int_equal(u.disabled, 1);
    sec_user_change csr = { .kind = SEC_REQ_DISABLE, .name = "c1" };
    assert_int_equal(sec_user_submit(wh_store(w), &csr, "ann", 0, &none, &e), RP_OK);
    assert_int_equal(none, 0);
    assert_int_equal(sec_user_get(wh_store(w), "c1", &u, &e), RP_OK);
    assert_int_equal(u.disabled, 1);
    sec_user_change nobody = { .kind = SEC_REQ_DISABLE, .name = "nobody" };
    assert_int_equal(sec_user_submit(wh_store(w), &nobody, "ann", 0, &none, &e), RP_NOTFOUND);
    wh_close(w);
}

/* A request not decided in time expires: listed so, refused, its hash dropped, the name free again. */
static void requests_expire(void **state)
{
    (void)state;
    setenv("RAPPORT_NOW", "2026-11-23T04:00:00Z", 1);
    wh *w = four_eyes_store();
    rp_error e = RP_ERROR_INIT;
    int64_t old = 0, fresh = 0, later = 0;
    sec_user_change add = { .kind = SEC_REQ_ADD, .name = "sup1", .role = "supervisor", .password = "jade river lamps" };
    assert_int_equal(sec_user_submit(wh_store(w), &add, "ann", 3 * 86400, &old, &e), RP_OK);
    sec_user_change up = { .kind = SEC_REQ_ROLE, .name = "aud", .role = "steward" };
    setenv("RAPPORT_NOW", "2026-11-25T04:00:00Z", 1);
    assert_int_equal(sec_user_submit(wh_store(w), &up, "ann", 3 * 86400, &fresh, &e), RP_OK);
    setenv("RAPPORT_NOW", "2026-11-26T04:00:01Z", 1);
    json_t *a;
    assert_int_equal(sec_user_requests(wh_store(w), 0, &a, &e), RP_OK);
    assert_int_equal(json_array_size(a), 2);
    /* pending first */
    assert_int_equal(json_integer_value(json_object_get(json_array_get(a, 0), "id")), fresh);
    assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "status")), "pending");
    assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "expires_at")), "2026-11-28T04:00:00Z");
    assert_string_equal(json_string_value(json_object_get(json_array_get(a, 1), "status")), "expired");
    assert_string_equal(json_string_value(json_object_get(json_array_get(a, 1), "decided_at")), "2026-11-26T04:00:00Z");
    json_decref(a);
    assert_int_equal(sec_user_request_decide(wh_store(w), old, 1, "bob", NULL, NULL, &e), RP_EXISTS);
    assert_string_equal(rp_errmsg(&e), "request 1 expired at 2026-11-26T04:00:00Z undecided; ask again");
    sec_user u;
    assert_int_equal(sec_user_get(wh_store(w), "sup1", &u, &e), RP_NOTFOUND);
    assert_int_equal(count_of(w, "SELECT count(*) FROM user_request WHERE status = 'expired' AND pw_hash IS NULL"), 1);
    assert_int_equal(sec_user_submit(wh_store(w), &add, "ann", 0, &later, &e), RP_OK);
    assert_true(later > fresh);
    /* the policy's default, and [security] request_days */
    sec_signin_policy p;
    assert_int_equal(sec_signin_config(NULL, &p, &e), RP_OK);
    assert_int_equal(p.request_max_age, 7 * 86400);
    rp_config *c = rp_config_new();
    assert_int_equal(rp_config_load_str(c, "t", "[security]\nrequest_days = 2\n", &e), RP_OK);
    assert_int_equal(sec_signin_config(c, &p, &e), RP_OK);
    assert_int_equal(p.request_max_age, 2 * 86400);
    assert_int_equal(rp_config_set(c, "security", "request_days", "0"), RP_OK);
    assert_int_equal(sec_signin_config(c, &p, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "[security] request_days: '0' is not a whole number from 1 to 365");
    rp_config_free(c);
    unsetenv("RAPPORT_NOW");
    wh_close(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_matrix),
        cmocka_unit_test(names_masked_for_analysts),
        cmocka_unit_test(passwords_are_verified_by_their_hash),
        cmocka_unit_test(users_and_passwords),
        cmocka_unit_test(unknown_users_take_as_long_as_wrong_passwords),
        cmocka_unit_test(failures_throttle_then_lock),
        cmocka_unit_test(an_address_spraying_names_waits),
        cmocka_unit_test(a_lock_lasts_until_unlocked),
        cmocka_unit_test(signing_in_counts_and_clears),
        cmocka_unit_test(the_policy_from_the_configuration),
        cmocka_unit_test(totp_codes_are_rfc_6238s),
        cmocka_unit_test(a_code_is_taken_once),
        cmocka_unit_test(signing_in_with_a_second_factor),
        cmocka_unit_test(what_a_password_may_not_be),
        cmocka_unit_test(history_and_sessions),
        cmocka_unit_test(passwords_expire),
        cmocka_unit_test(sessions_end_when_idle_or_old),
        cmocka_unit_test(masks),
        cmocka_unit_test(the_trail_is_append_only),
        cmocka_unit_test(scrubbing_and_card_numbers),
        cmocka_unit_test(the_trail_is_chained_and_archived),
        cmocka_unit_test(roles_that_reveal_come_from_the_matrix),
        cmocka_unit_test(a_revealing_role_waits_for_a_second_administrator),
        cmocka_unit_test(role_changes_and_rejection),
        cmocka_unit_test(disabling_an_auditor_needs_approval),
        cmocka_unit_test(requests_expire),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
