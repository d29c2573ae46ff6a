/* security.c — roles, users, sessions, masking and audit.  See security.h. */
#include "security/internal.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/rtime.h"
#include "core/utf8.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

const char *const sec_role_names[SEC_NROLES] = { "teller", "rm", "csr", "tsr", "supervisor",
                                                 "analyst", "steward", "admin", "auditor" };
const char *const sec_role_titles[SEC_NROLES] = {
    "teller / branch staff", "relationship manager", "contact-centre agent (CSR)", "outbound agent (TSR)",
    "supervisor", "marketing analyst", "data steward", "administrator", "auditor",
};
const char *const sec_perm_names[SEC_NPERMS] = { "search", "view", "reveal", "contacts", "note", "edit",
                                                 "consent_read", "consent_write", "all_branches", "etl",
                                                 "analysis", "users", "audit", "export",
                                                 "reveal_rejects", "dial", "lists", "campaigns", "approve",
                                                 "events", "banners", "export_lists", "answer",
                                                 "centre", "cti" };

const char *sec_role_article(sec_role r)
{
    return r < SEC_NROLES && strchr("aeiou", sec_role_titles[r][0]) ? "an" : "a";
}

#define P(x) (1u << SEC_P_##x)
/* The permission matrix: one row per role. */
static const unsigned matrix[SEC_NROLES] = {
    [SEC_TELLER] = P(SEARCH) | P(VIEW) | P(CONTACTS) | P(NOTE) | P(EDIT) | P(CONSENT_READ) | P(CONSENT_WRITE),
    [SEC_RM] = P(SEARCH) | P(VIEW) | P(CONTACTS) | P(NOTE) | P(EDIT) | P(CONSENT_READ) | P(CONSENT_WRITE) |
               P(ANALYSIS),
    [SEC_CSR] = P(SEARCH) | P(VIEW) | P(CONTACTS) | P(NOTE) | P(EDIT) | P(CONSENT_READ) | P(CONSENT_WRITE) |
                P(ALL_BRANCHES) | P(ANSWER),
    [SEC_TSR] = P(SEARCH) | P(VIEW) | P(NOTE) | P(CONSENT_READ) | P(ALL_BRANCHES) | P(DIAL) | P(ANSWER),
    [SEC_SUPERVISOR] = P(SEARCH) | P(VIEW) | P(REVEAL) | P(CONTACTS) | P(NOTE) | P(EDIT) | P(CONSENT_READ) |
                       P(CONSENT_WRITE) | P(ALL_BRANCHES) | P(ANALYSIS) | P(EXPORT) | P(LISTS) | P(CAMPAIGNS) |
                       P(APPROVE) | P(EXPORT_LISTS) | P(ANSWER) | P(CENTRE),
    [SEC_ANALYST] = P(ANALYSIS) | P(CAMPAIGNS),
    [SEC_STEWARD] = P(SEARCH) | P(VIEW) | P(CONTACTS) | P(EDIT) | P(ALL_BRANCHES) | P(ETL) | P(REVEAL_REJECTS),
    [SEC_ADMIN] = P(USERS) | P(ETL),
    [SEC_AUDITOR] = P(AUDIT),
};
#undef P

int sec_role_parse(const char *name)
{
    for (int i = 0; name && i < SEC_NROLES; i++)
        if (!strcmp(name, sec_role_names[i]))
            return i;
    return -1;
}

int sec_perm_parse(const char *name)
{
    for (int i = 0; name && i < SEC_NPERMS; i++)
        if (!strcmp(name, sec_perm_names[i]))
            return i;
    return -1;
}

int sec_can(sec_role r, sec_perm p)
{
    return (unsigned)r < SEC_NROLES && (unsigned)p < SEC_NPERMS && (matrix[r] >> p & 1);
}

/* ---- users ---- */

static int check_name(const char *name, rp_error *err)
{
    size_t n = name ? strlen(name) : 0;
    if (n < 2 || n > SEC_NAME_MAX)
        return rp_err(err, RP_INVAL, "user name: 2 to %d characters, not %zu", SEC_NAME_MAX, n);
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return rp_err(err, RP_INVAL, "user name '%s': only a-z, 0-9, '.', '_' and '-'", name);
    }
    return RP_OK;
}

int sec__hash_password(const char *pw, char *out, rp_error *err)
{
    if (sodium_init() < 0)
        return rp_err(err, RP_CRYPTO, "libsodium could not start");
    if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE))
        return rp_err(err, RP_NOMEM, "password hashing: out of memory");
    return RP_OK;
}

/* libsodium's crypto_pwhash_str_verify answers -1 both for a wrong password and for a check that
 * could not run, and an allocation failing inside it even says EINVAL as a mismatch does: a sign-in
 * refused so would count toward a lock.  So the hash is worked out again here from the parameters
 * and the salt of the stored string ($argon2id$v=19$m=KIB,t=OPS,p=1$SALT$HASH, what libsodium
 * writes) and compared; crypto_pwhash fails only when it cannot run. */
int sec__verify_password(const char *hash, const char *pw, rp_error *err)
{
    unsigned long long m = 0;
    unsigned long v = 0, t = 0, p = 0;
    char salt64[64], out64[160];
    if (sscanf(hash, "$argon2id$v=%lu$m=%llu,t=%lu,p=%lu$%63[^$]$%159s", &v, &m, &t, &p, salt64, out64) != 6 ||
        v != 19 || p != 1 || !t || m < 8 || m > (1ull << 32))
        return RP_NOTFOUND; /* not a hash Rapport writes: no password matches it */
    unsigned char salt[crypto_pwhash_SALTBYTES], want[96], got[96];
    size_t sl = 0, ol = 0;
    if (sodium_base642bin(salt, sizeof salt, salt64, strlen(salt64), NULL, &sl, NULL,
                          sodium_base64_VARIANT_ORIGINAL_NO_PADDING) || sl != sizeof salt ||
        sodium_base642bin(want, sizeof want, out64, strlen(out64), NULL, &ol, NULL,
                          sodium_base64_VARIANT_ORIGINAL_NO_PADDING) || ol < crypto_pwhash_BYTES_MIN)
        return RP_NOTFOUND;
    if (crypto_pwhash(got, ol, pw, strlen(pw), salt, t, (size_t)m * 1024, crypto_pwhash_ALG_ARGON2ID13))
        return rp_err(err, RP_NOMEM, "password check: %s", rp_strerror(RP_NOMEM));
    int same = !sodium_memcmp(got, want, ol);
    sodium_memzero(got, sizeof got);
    return same ? RP_OK : RP_NOTFOUND;
}

static int run1(rp_store *s, const char *sql, const char *const *text, int ntext, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(s, sql, &st, err);
    if (rc)
        return rc;
    for (int i = 0; i < ntext; i++)
        rp_stmt_bind_text(st, i + 1, text[i]);
    return rp_stmt_run(st, err);
}

int sec_perm_reveals(int p)
{
    return p == SEC_P_REVEAL || p == SEC_P_EXPORT || p == SEC_P_REVEAL_REJECTS || p == SEC_P_EXPORT_LISTS;
}

int sec_role_reveals(sec_role r)
{
    for (int p = 0; p < SEC_NPERMS; p++)
        if (sec_perm_reveals(p) && sec_can(r, (sec_perm)p))
            return 1;
    return 0;
}

int sec__role_check(const char *role, const char *branch, sec_role *out, rp_error *err)
{
    int r = sec_role_parse(role);
    if (r < 0)
        return rp_err(err, RP_INVAL, "role '%s': one of teller, rm, csr, tsr, supervisor, analyst, steward, admin, "
                                     "auditor", role ? role : "");
    if (branch && (!*branch || strlen(branch) > SEC_BRANCH_MAX))
        return rp_err(err, RP_INVAL, "branch '%s': a branch code of 1 to %d characters", branch, SEC_BRANCH_MAX);
    if ((r == SEC_TELLER || r == SEC_RM) && !branch)
        return rp_err(err, RP_INVAL, "branch: %s %s works at a branch; give --branch CODE", sec_role_article((sec_role)r),
                      sec_role_titles[r]);
    *out = (sec_role)r;
    return RP_OK;
}

int sec__user_new_check(rp_store *s, const char *name, const char *role, const char *branch, const char *password,
                        sec_role *out, rp_error *err)
{
    int rc;
    if ((rc = check_name(name, err)) || (rc = sec__role_check(role, branch, out, err)) ||
        (rc = sec_password_check(s, name, password, 0, err)))
        return rc;
    sec_user u;
    if (sec_user_get(s, name, &u, NULL) == RP_OK)
        return rp_err(err, RP_EXISTS, "user '%s' already exists", name);
    return RP_OK;
}

int sec__user_insert(rp_store *s, const char *name, sec_role r, const char *branch, const char *hash, const char *by,
                     int64_t pw_changed_at, rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    rp_stmt *st;
    int rc = rp_store_prepare(s, "INSERT INTO app_user(name, role, branch, pw_hash, created_at, created_by, "
                                 "pw_changed_at) VALUES (?,?,?,?,?,?,?)", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, name);
    rp_stmt_bind_text(st, 2, sec_role_names[r]);
    rp_stmt_bind_text(st, 3, branch);
    rp_stmt_bind_text(st, 4, hash);
    rp_stmt_bind_text(st, 5, now);
    rp_stmt_bind_text(st, 6, by);
    if (pw_changed_at)
        rp_stmt_bind_int(st, 7, pw_changed_at);
    else
        rp_stmt_bind_null(st, 7);
    return rp_stmt_run(st, err);
}

int sec_user_add(rp_store *s, const char *name, const char *role, const char *branch, const char *password,
                 const char *by, sec_user *out, rp_error *err)
{
    sec_role r;
    int rc = sec__user_new_check(s, name, role, branch, password, &r, err);
    if (rc)
        return rc;
    char hash[crypto_pwhash_STRBYTES];
    if ((rc = sec__hash_password(password, hash, err)))
        return rc;
    rc = sec__user_insert(s, name, r, branch, hash, by, 0, err);
    sodium_memzero(hash, sizeof hash);
    if (!rc && out)
        rc = sec_user_get(s, name, out, err);
    return rc;
}

int sec_user_role(rp_store *s, const char *name, const char *role, const char *branch, const char *by, rp_error *err)
{
    sec_user u;
    sec_role r;
    int rc;
    if ((rc = sec_user_get(s, name, &u, err)) || (rc = sec__role_check(role, branch, &r, err)))
        return rc;
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    const char *v[5] = { sec_role_names[r], branch, now, by, name };
    return run1(s, "UPDATE app_user SET role = ?, branch = ?, changed_at = ?, changed_by = ? WHERE name = ?", v, 5,
                err);
}

int sec_user_can(rp_store *s, const char *name, sec_perm p, rp_error *err)
{
    sec_user u;
    int rc = sec_user_get(s, name, &u, err);
    if (rc == RP_NOTFOUND)
        return rp_err(err, RP_NOTFOUND, "no user '%.40s'", name);
    if (rc)
        return rc;
    if (u.disabled)
        return rp_err(err, RP_DENIED, "user '%.40s' is disabled", name);
    if (!sec_can(u.role, p))
        return rp_err(err, RP_DENIED, "'%.40s' is %s %s, whose role has no '%s'", name, sec_role_article(u.role),
                      sec_role_titles[u.role], sec_perm_names[p]);
    return RP_OK;
}

int sec_user_get(rp_store *s, const char *name, sec_user *out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(s, "SELECT id, name, role, branch, disabled FROM app_user WHERE name = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, name);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        memset(out, 0, sizeof *out);
        out->id = rp_stmt_int(st, 0);
        snprintf(out->name, sizeof out->name, "%s", rp_stmt_text(st, 1));
        int r = sec_role_parse(rp_stmt_text(st, 2));
        out->role = r < 0 ? SEC_ANALYST : (sec_role)r;
        const char *b = rp_stmt_text(st, 3);
        snprintf(out->branch, sizeof out->branch, "%s", b ? b : "");
        out->disabled = (int)rp_stmt_int(st, 4);
        rc = r < 0 ? rp_err(err, RP_INVAL, "user '%s' has an unknown role", name) : RP_OK;
    } else if (rc == RP_DONE) {
        rc = rp_err(err, RP_NOTFOUND, "no user '%s'", name);
    }
    rp_stmt_done(st);
    return rc;
}

int sec_user_passwd(rp_store *s, const char *name, const char *password, const char *by, rp_error *err)
{
    return sec_password_change(s, name, password, SEC_PASSWORD_HISTORY, by, NULL, err);
}

int sec_user_disable(rp_store *s, const char *name, int disabled, const char *by, rp_error *err)
{
    sec_user u;
    int rc = sec_user_get(s, name, &u, err);
    if (rc)
        return rc;
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    const char *v[4] = { disabled ? "1" : "0", now, by, name };
    if ((rc = rp_store_begin(s, err)))
        return rc;
    rc = run1(s, "UPDATE app_user SET disabled = CAST(? AS INTEGER), changed_at = ?, changed_by = ? WHERE name = ?", v, 4, err);
    if (!rc && disabled) {
        rp_stmt *st;
        if (!(rc = rp_store_prepare(s, "DELETE FROM app_session WHERE user_id = ?", &st, err))) {
            rp_stmt_bind_int(st, 1, u.id);
            rc = rp_stmt_run(st, err);
        }
    }
    if (!rc)
        rc = rp_store_commit(s, err);
    if (rc)
        rp_store_rollback(s);
    return rc;
}

/* One user of sec_user_list's query, with the sign-in lock in force at now. */
static json_t *user_row(rp_stmt *st, int64_t now)
{
    int lock = rp_stmt_column_type(st, 8) != RP_COL_NULL;
    int until = rp_stmt_column_type(st, 9) != RP_COL_NULL;
    int64_t t = until ? rp_stmt_int(st, 9) : 0;
    int locked = lock && (!until || t > now);
    char at[RP_TIME_UTC_LEN];
    if (locked && until)
        rp_time_format_utc(t, at);
    json_t *o = json_pack("{s:s, s:s, s:s?, s:b, s:s, s:s?, s:s?, s:b, s:s?, s:I, s:b}", "name", rp_stmt_text(st, 0),
                          "role", rp_stmt_text(st, 1), "branch", rp_stmt_text(st, 2), "disabled",
                          (int)rp_stmt_int(st, 3), "created_at", rp_stmt_text(st, 4), "created_by",
                          rp_stmt_text(st, 5), "changed_at", rp_stmt_text(st, 6), "locked", locked, "locked_until",
                          locked && until ? at : NULL, "failures", (json_int_t)rp_stmt_int(st, 7), "totp",
                          (int)rp_stmt_int(st, 10));
    if (o) {
        json_object_set_new(o, "last_sign_in", rp_stmt_text(st, 11) ? json_string(rp_stmt_text(st, 11)) : json_null());
        json_object_set_new(o, "must_change", json_boolean(rp_stmt_int(st, 12)));
    }
    return o;
}

int sec_user_list(rp_store *s, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(s,
                              "SELECT u.name, u.role, u.branch, u.disabled, u.created_at, u.created_by, u.changed_at, "
                              "COALESCE(f.failures, 0), f.locked_at, f.locked_until, "
                              "EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id), "
                              /* the index audit_user, read backwards from the newest: few rows a user */
                              "(SELECT a.at FROM audit a WHERE a.user_name = u.name AND a.action = 'login' "
                              "ORDER BY a.at DESC LIMIT 1), u.pw_changed_at IS NOT NULL AND u.pw_changed_at = 0 "
                              "FROM app_user u LEFT JOIN sign_in_failure f ON f.kind = 'user' AND f.name = u.name ORDER BY u.name",
                              &st, err);
    if (rc)
        return rc;
    int64_t now = rp_now();
    json_t *a = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        json_array_append_new(a, user_row(st, now));
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return RP_OK;
}

/* The stand-in hash an unknown name is checked against: a random password
 * hashed as users' are, so that checking it costs what checking theirs does. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static int dummy_ok;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    unsigned char pw[24];
    char text[sizeof pw * 2 + 1];
    randombytes_buf(pw, sizeof pw);
    sodium_bin2hex(text, sizeof text, pw, sizeof pw);
    dummy_ok = sec__hash_password(text, dummy_hash, NULL) == RP_OK;
    sodium_memzero(text, sizeof text);
}

int sec_authenticate(rp_store *s, const char *name, const char *password, sec_user *out, rp_error *err)
{
    static const char *const wrong = "wrong user name or password";
    if (sodium_init() < 0)
        return rp_err(err, RP_CRYPTO, "libsodium could not start");
    pthread_once(&dummy_once, make_dummy);
    if (!dummy_ok)
        return rp_err(err, RP_NOMEM, "password hashing: out of memory");
    rp_stmt *st;
    int rc = rp_store_prepare(s, "SELECT pw_hash FROM app_user WHERE name = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, name);
    char hash[crypto_pwhash_STRBYTES] = "";
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        snprintf(hash, sizeof hash, "%s", rp_stmt_text(st, 0));
    rp_stmt_done(st);
    if (rc != RP_ROW && rc != RP_DONE)
        return rc;
    /* an unknown name costs what a wrong password does */
    int known = hash[0] != 0;
    if (!known)
        memcpy(hash, dummy_hash, sizeof hash);
    if (!password)
        password = "";
    /* a check that could not run (memory) is not a wrong password: it must not count toward a lock */
    if ((rc = sec__verify_password(hash, password, err)) && rc != RP_NOTFOUND)
        return rc;
    if (rc || !known)
        return rp_err(err, RP_NOTFOUND, "%s", wrong);
    if ((rc = sec_user_get(s, name, out, err)))
        return rc;
    if (out->disabled)
        return rp_err(err, RP_NOTFOUND, "%s", wrong);
    return RP_OK;
}

/* ---- sessions ---- */

void sec__token_hash(const char *token, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

static void new_token(char out[SEC_TOKEN_LEN])
{
    unsigned char b[32];
    randombytes_buf(b, sizeof b);
    sodium_bin2base64(out, SEC_TOKEN_LEN, b, sizeof b, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int sec_session_new(rp_store *s, const sec_user *u, const char *address, int64_t now, sec_session *out,
                    rp_error *err)
{
    if (sodium_init() < 0)
        return rp_err(err, RP_CRYPTO, "libsodium could not start");
    memset(out, 0, sizeof *out);
    new_token(out->token);
    new_token(out->csrf);
    out->user = *u;
    out->created_at = out->last_seen = now;
    char h[65];
    sec__token_hash(out->token, h);
    rp_stmt *st;
    int rc = rp_store_prepare(s,
                              "INSERT INTO app_session(token_hash, user_id, csrf, created_at, last_seen, address, "
                              "must_change) VALUES (?,?,?,?,?,?,?)",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, h);
    rp_stmt_bind_int(st, 2, u->id);
    rp_stmt_bind_text(st, 3, out->csrf);
    rp_stmt_bind_int(st, 4, now);
    rp_stmt_bind_int(st, 5, now);
    rp_stmt_bind_text(st, 6, address);
    rp_stmt_bind_int(st, 7, u->password_expired != 0);
    return rp_stmt_run(st, err);
}

int sec_session_get(rp_store *s, const char *token, int64_t now, int64_t idle, int64_t lifetime, sec_session *out,
                    rp_error *err)
{
    int touch = 0;
    int rc = sec_session_check(s, token, now, idle, lifetime, out, &touch, err);
    if (rc == RP_OK && touch && (rc = sec_session_touch(s, token, now, err)) == RP_OK)
        out->last_seen = now;
    return rc;
}

int sec_session_touch(rp_store *s, const char *token, int64_t now, rp_error *err)
{
    char h[65];
    sec__token_hash(token ? token : "", h);
    rp_stmt *st;
    int rc = rp_store_prepare(s, "UPDATE app_session SET last_seen = ? WHERE token_hash = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, now);
    rp_stmt_bind_text(st, 2, h);
    return rp_stmt_run(st, err);
}

int sec_session_check(rp_store *s, const char *token, int64_t now, int64_t idle, int64_t lifetime, sec_session *out,
                      int *touch, rp_error *err)
{
    *touch = 0;
    if (!token || strlen(token) != SEC_TOKEN_LEN - 1)
        return rp_err(err, RP_NOTFOUND, "no session");
    char h[65];
    sec__token_hash(token, h);
    rp_stmt *st;
    /* the session and its user in one read */
    int rc = rp_store_prepare(s,
                              "SELECT u.name, s.csrf, s.created_at, s.last_seen, u.id, u.role, u.branch, s.must_change "
                              "FROM app_session s "
                              "JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = ? AND u.disabled = 0",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, h);
    memset(out, 0, sizeof *out);
    int role = -1;
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        snprintf(out->user.name, sizeof out->user.name, "%s", rp_stmt_text(st, 0));
        snprintf(out->csrf, sizeof out->csrf, "%s", rp_stmt_text(st, 1));
        out->created_at = rp_stmt_int(st, 2);
        out->last_seen = rp_stmt_int(st, 3);
        out->user.id = rp_stmt_int(st, 4);
        role = sec_role_parse(rp_stmt_text(st, 5));
        const char *b = rp_stmt_text(st, 6);
        snprintf(out->user.branch, sizeof out->user.branch, "%s", b ? b : "");
        out->user.password_expired = (int)rp_stmt_int(st, 7);
    }
    rp_stmt_done(st);
    if (rc != RP_ROW && rc != RP_DONE)
        return rc;
    if (!out->user.name[0])
        return rp_err(err, RP_NOTFOUND, "no session");
    if (now - out->last_seen > idle || now - out->created_at > lifetime) {
        if (!rp_store_prepare(s, "DELETE FROM app_session WHERE token_hash = ?", &st, NULL)) {
            rp_stmt_bind_text(st, 1, h);
            if (rp_stmt_run(st, NULL)) {
                /* an expired session is refused whether or not it could be removed */
            }
        }
        return rp_err(err, RP_NOTFOUND, "the session has ended; sign in again");
    }
    if (role < 0)
        return rp_err(err, RP_INVAL, "user '%s' has an unknown role", out->user.name);
    out->user.role = (sec_role)role;
    /* last use, to be written at most once a minute */
    *touch = now - out->last_seen >= 60;
    return RP_OK;
}

int sec_session_end(rp_store *s, const char *token, rp_error *err)
{
    char h[65];
    sec__token_hash(token ? token : "", h);
    rp_stmt *st;
    int rc = rp_store_prepare(s, "DELETE FROM app_session WHERE token_hash = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, h);
    return rp_stmt_run(st, err);
}

/* ---- masking ---- */

/* Keep head and tail code points, star the rest (by code point, so Chinese stays whole). */
static void keep_ends(const char *v, size_t head, size_t tail, char *out, size_t n)
{
    size_t cps = 0;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        cps += (*p & 0xC0) != 0x80;
    if (head + tail >= cps) {
        head = cps > 2 ? 1 : 0;
        tail = cps > 3 ? 1 : 0;
    }
    size_t i = 0, j = 0;
    for (const unsigned char *p = (const unsigned char *)v; *p;) {
        size_t len = 1;
        while ((p[len] & 0xC0) == 0x80)
            len++;
        int keep = i < head || i >= cps - tail;
        if (keep) {
            if (j + len < n) {
                memcpy(out + j, p, len);
                j += len;
            }
        } else if (j + 1 < n) {
            out[j++] = '*';
        }
        p += len;
        i++;
    }
    if (n)
        out[j < n ? j : n - 1] = 0;
}

void sec_mask_phone(const char *v, char *out, size_t n) { keep_ends(v, 4, 2, out, n); }
void sec_mask_account(const char *v, char *out, size_t n) { keep_ends(v, 0, 4, out, n); }
void sec_mask_address(const char *v, char *out, size_t n) { keep_ends(v, 6, 0, out, n); }

void sec_mask_name_zh(const char *v, char *out, size_t n)
{
    size_t len = strlen(v), o = 0;
    out[0] = 0;
    for (size_t i = 0, c = 0; i < len; c++) {
        uint32_t cp;
        int k = rp_utf8_decode(v + i, len - i, &cp);
        size_t w = k > 0 ? (size_t)k : 1;
        const char *put = c == 0 ? v + i : "\xE2\x97\x8B"; /* U+25CB, the circle a form leaves blank */
        size_t pw = c == 0 ? w : 3;
        if (k <= 0 || o + pw + 1 > n)
            break;
        memcpy(out + o, put, pw);
        o += pw;
        out[o] = 0;
        i += w;
    }
}

void sec_mask_name_latin(const char *v, char *out, size_t n)
{
    const char *comma = strchr(v, ',');
    size_t sur = comma ? (size_t)(comma - v) : strcspn(v, " ");
    const char *given = comma ? comma + 1 : v + sur;
    while (*given == ' ')
        given++;
    if (*given && isalpha((unsigned char)*given))
        snprintf(out, n, "%.*s %c.", (int)(sur < 60 ? sur : 60), v, *given);
    else
        snprintf(out, n, "%.*s", (int)(sur < 60 ? sur : 60), v);
}

void sec_mask_email(const char *v, char *out, size_t n)
{
    const char *at = strchr(v, '@');
    if (!at) {
        keep_ends(v, 1, 0, out, n);
        return;
    }
    snprintf(out, n, "%c***%s", v[0], at);
}

int sec_is_pan(const char *number, char digits[20])
{
    size_t n = 0;
    for (const char *p = number; *p; p++) {
        if (*p == '-' || *p == ' ')
            continue;
        if (*p < '0' || *p > '9' || n == 19)
            return 0;
        digits[n++] = *p;
    }
    digits[n] = 0;
    if (n < 13 || digits[0] < '2' || digits[0] > '6')
        return 0;
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        int k = digits[n - 1 - i] - '0';
        if ((i & 1) && (k *= 2) > 9)
            k -= 9;
        sum += k;
    }
    return sum % 10 == 0;
}

void sec_mask_pan(const char *digits, char *out, size_t n)
{
    size_t len = strlen(digits), j = 0;
    for (size_t i = 0; i < len && j + 1 < n; i++)
        out[j++] = i < 6 || i + 4 >= len ? digits[i] : '*';
    if (n)
        out[j] = 0;
}

/* A run of the characters identifiers, numbers and e-mail addresses are made of. */
static int scrub_char(unsigned char c) { return isalnum(c) || strchr("-_.+@:/", c) != NULL; }

/* 2024-01-05, 2024-01-05T10:00:00Z, 10:00:00: a date or time, not an identifier. */
static int date_shaped(const char *s, size_t n)
{
    if (n >= 10 && isdigit((unsigned char)s[0]) && s[4] == '-' && s[7] == '-')
        return 1;
    return n >= 5 && n <= 8 && s[2] == ':';
}

/* Text written into the caller's buffer of n bytes, cut there: scrubbing allocates nothing, so it
 * cannot leave a message half-written when memory runs out (tests/faults). */
typedef struct bounded {
    char *p;
    size_t n, len; /* len < n */
} bounded;

static void put(bounded *b, const char *s, size_t k)
{
    if (b->len + 1 >= b->n)
        return;
    if (k > b->n - 1 - b->len)
        k = b->n - 1 - b->len;
    memcpy(b->p + b->len, s, k);
    b->len += k;
}

static void scrub_run(const char *s, size_t len, bounded *b)
{
    char run[128], m[160], digits[20];
    size_t nd = 0;
    int at = 0;
    for (size_t i = 0; i < len; i++) {
        nd += isdigit((unsigned char)s[i]) != 0;
        at |= s[i] == '@';
    }
    if (len >= sizeof run || (!at && (nd < 7 || date_shaped(s, len)))) {
        if (len >= sizeof run && (at || nd >= 7)) { /* too long to be one value: starred whole */
            for (size_t i = 0; i < len; i++)
                put(b, "*", 1);
            return;
        }
        put(b, s, len);
        return;
    }
    memcpy(run, s, len);
    run[len] = 0;
    if (at)
        sec_mask_email(run, m, sizeof m);
    else if (sec_is_pan(run, digits))
        sec_mask_pan(digits, m, sizeof m);
    else
        keep_ends(run, len >= 8 ? 3 : 1, len >= 8 ? 3 : 1, m, sizeof m);
    put(b, m, strlen(m));
}

void sec_scrub(const char *in, char *out, size_t n)
{
    if (!n)
        return;
    bounded b = { out, n, 0 };
    const char *p = in;
    while (*p) {
        const char *q = p;
        while (*q && scrub_char((unsigned char)*q))
            q++;
        /* sentence punctuation after a value is not part of it */
        const char *e = q;
        while (e > p && strchr(".:-/", e[-1]))
            e--;
        if (e > p)
            scrub_run(p, (size_t)(e - p), &b);
        put(&b, e, (size_t)(q - e));
        if (!*q)
            break;
        const char *r = q;
        while (*r && !scrub_char((unsigned char)*r))
            r++;
        put(&b, q, (size_t)(r - q));
        p = r;
    }
    out[rp_utf8_cut(out, b.len, n - 1)] = 0; /* a character the cut went through is left out whole */
}

static void mask_member(json_t *o, const char *key, void (*fn)(const char *, char *, size_t))
{
    const char *v = json_string_value(json_object_get(o, key));
    if (!v)
        return;
    char m[512];
    fn(v, m, sizeof m);
    json_object_set_new(o, key, json_string(m));
    json_object_set_new(o, "masked", json_true());
}

void sec_mask_c360(json_t *doc, sec_role r) { sec_mask_c360_contacts(doc, sec_can(r, SEC_P_CONTACTS)); }

void sec_mask_c360_contacts(json_t *doc, int show_contacts)
{
    size_t i;
    json_t *c;
    if (show_contacts != SEC_CONTACTS_SHOWN)
        json_array_foreach(json_object_get(doc, "contact_points"), i, c) {
            const char *k = json_string_value(json_object_get(c, "kind"));
            if (!k || (show_contacts == SEC_CONTACTS_PHONES && (!strcmp(k, "mobile") || !strcmp(k, "phone"))))
                continue;
            mask_member(c, "value", !strcmp(k, "email") ? sec_mask_email
                                    : !strcmp(k, "address") ? sec_mask_address : sec_mask_phone);
        }
    json_array_foreach(json_object_get(doc, "accounts"), i, c) mask_member(c, "number", sec_mask_account);
    json_array_foreach(json_object_get(doc, "transactions"), i, c) {
        const char *v = json_string_value(json_object_get(c, "account"));
        char m[128];
        if (v) {
            sec_mask_account(v, m, sizeof m);
            json_object_set_new(c, "account", json_string(m));
        }
    }
}

/* ---- audit ---- */

int sec_audit(rp_store *s, const sec_audit_entry *e, rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    return sec_audit_at(s, e, now, err);
}

/* An entry's id is the next after the greatest: taken under the store's lock "audit" (held to the commit),
 * so that on a store of several servers the ids commit in their order, the order the hash chain follows
 * (chain.c chains what is committed past its head, and would leave behind an id committed later). */
static int audit_insert(rp_store *s, const sec_audit_entry *e, const char *now, rp_error *err);

int sec_audit_at(rp_store *s, const sec_audit_entry *e, const char *now, rp_error *err)
{
    int own = s->depth == 0, rc = own ? rp_store_begin(s, err) : RP_OK;
    if (!rc && !(rc = rp_store_lock(s, "audit", err)))
        rc = audit_insert(s, e, now, err);
    if (own && rc)
        rp_store_rollback(s);
    else if (own)
        rc = rp_store_commit(s, err);
    return rc;
}

static int audit_insert(rp_store *s, const sec_audit_entry *e, const char *now, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(s,
                              /* ids go on past the archived entries, even when every entry was archived */
                              "INSERT INTO audit(id, at, user_name, address, action, customer_id, target, reason, "
                              "outcome, detail, customers) VALUES ((SELECT CASE WHEN ?11 > coalesce(max(id), 0) "
                              "THEN ?11 ELSE coalesce(max(id), 0) END + 1 FROM audit),?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
                              &st, err);
    if (rc)
        return rc;
    int64_t archived = 0;
    rp_error ignore = RP_ERROR_INIT;
    if (rp_store_meta_int(s, "audit_archived_upto", &archived, &ignore) != RP_OK)
        archived = 0;
    rp_stmt_bind_int(st, 11, archived);
    rp_stmt_bind_text(st, 1, now);
    rp_stmt_bind_text(st, 2, e->user);
    rp_stmt_bind_text(st, 3, e->address);
    rp_stmt_bind_text(st, 4, e->action);
    if (e->customer > 0)
        rp_stmt_bind_int(st, 5, e->customer);
    else
        rp_stmt_bind_null(st, 5);
    rp_stmt_bind_text(st, 6, e->target);
    rp_stmt_bind_text(st, 7, e->reason);
    rp_stmt_bind_text(st, 8, e->outcome ? e->outcome : "ok");
    rp_stmt_bind_text(st, 9, e->detail);
    rp_stmt_bind_text(st, 10, e->customers && *e->customers ? e->customers : NULL);
    return rp_stmt_run(st, err);
}

/* The customers an entry showed besides its one (audit.customers, a
 * search's hits) into the trail by customer, for entries upto < id <= top. */
static int index_shown(rp_store *s, int64_t upto, int64_t top, int64_t *added, rp_error *err)
{
    rp_stmt *st, *ins;
    int rc = rp_store_prepare(s, "SELECT id, customer_id, customers FROM audit WHERE id > ? AND id <= ? "
                                 "AND customers IS NOT NULL ORDER BY id", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, upto);
    rp_stmt_bind_int(st, 2, top);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        const char *p = rp_stmt_text(st, 2);
        int64_t one = rp_stmt_column_type(st, 1) == RP_COL_NULL ? 0 : rp_stmt_int(st, 1);
        while (p && *p) {
            char *end;
            long long c = strtoll(p, &end, 10);
            if (end == p)
                break;
            p = end;
            if (c <= 0 || c == one)
                continue;
            if ((rc = rp_store_prepare(s, "INSERT INTO audit_customer(customer_id, audit_id) VALUES (?, ?) "
                                          "ON CONFLICT DO NOTHING", &ins, err)))
                break;
            rp_stmt_bind_int(ins, 1, c);
            rp_stmt_bind_int(ins, 2, rp_stmt_int(st, 0));
            if ((rc = rp_stmt_run(ins, err)))
                break;
            if (added)
                *added += rp_store_changes(s);
        }
        if (rc != RP_ROW && rc != RP_OK)
            break;
    }
    rp_stmt_done(st);
    return rc == RP_DONE || rc == RP_OK ? RP_OK : rc;
}

int sec_audit_index(rp_store *s, int64_t *added, rp_error *err)
{
    if (added)
        *added = 0;
    int rc = rp_store_begin(s, err);
    if (rc)
        return rc;
    if ((rc = rp_store_lock(s, "audit", err))) { /* what it chains is all there is below the newest */
        rp_store_rollback(s);
        return rc;
    }
    rp_stmt *st;
    int64_t upto, top = 0;
    if ((rc = rp_store_meta_int(s, "audit_customer_upto", &upto, err)) ||
        (rc = rp_store_prepare(s, "SELECT coalesce(max(id), 0) FROM audit", &st, err)))
        goto out;
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        top = rp_stmt_int(st, 0);
        rc = RP_OK;
    }
    rp_stmt_done(st);
    if (rc)
        goto out;
    if (top > upto) {
        /* sorted, so that each page of the index is written once */
        if ((rc = rp_store_prepare(s,
                                   "INSERT INTO audit_customer(customer_id, audit_id) SELECT customer_id, id FROM audit "
                                   "WHERE id > ? AND id <= ? AND customer_id IS NOT NULL ORDER BY customer_id, id",
                                   &st, err)))
            goto out;
        rp_stmt_bind_int(st, 1, upto);
        rp_stmt_bind_int(st, 2, top);
        if ((rc = rp_stmt_run(st, err)))
            goto out;
        if (added)
            *added = rp_store_changes(s);
        if ((rc = index_shown(s, upto, top, added, err)))
            goto out;
        if ((rc = rp_store_meta_set_int(s, "audit_customer_upto", top, err)))
            goto out;
    }
    if ((rc = sec__audit_chain(s, err)))
        goto out;
    return rp_store_commit(s, err);
out:
    rp_store_rollback(s);
    return rc;
}

/* The filter's WHERE, shared by the listing, the count and the export: ?1 since, ?2 until, ?3 user, ?4
 * action, ?5 customer, ?6 before (an id: INT64_MAX for none, so that it is always a range of the key). */
#define AUDIT_WHERE                                                                                                   \
    "(?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR at <= ?2) AND (?3 IS NULL OR user_name = ?3) AND "                  \
    "(?4 IS NULL OR action = ?4) AND id < ?6 AND "
#define AUDIT_BY_CUSTOMER "id IN (SELECT audit_id FROM audit_customer WHERE customer_id = ?5)"

static void audit_bind(rp_stmt *st, const sec_audit_filter *f)
{
    rp_stmt_bind_text(st, 1, f->since);
    rp_stmt_bind_text(st, 2, f->until);
    rp_stmt_bind_text(st, 3, f->user);
    rp_stmt_bind_text(st, 4, f->action);
    rp_stmt_bind_int(st, 5, f->customer);
    rp_stmt_bind_int(st, 6, f->before > 0 ? f->before : INT64_MAX);
}

/* A page of f, newest first, prepared and bound (the trail by customer brought up to date first). */
static int audit_select(rp_store *s, const sec_audit_filter *f, rp_stmt **st, rp_error *err)
{
    int rc;
    if (f->customer && (rc = sec_audit_index(s, NULL, err)))
        return rc;
    rc = rp_store_prepare(s,
                          f->customer ? "SELECT id, at, user_name, address, action, customer_id, target, reason, outcome, "
                                        "detail, customers FROM audit WHERE " AUDIT_WHERE AUDIT_BY_CUSTOMER
                                        " ORDER BY id DESC LIMIT ?7"
                                      : "SELECT id, at, user_name, address, action, customer_id, target, reason, outcome, "
                                        "detail, customers FROM audit WHERE " AUDIT_WHERE "?5 = 0 ORDER BY id DESC LIMIT ?7",
                          st, err);
    if (rc)
        return rc;
    audit_bind(*st, f);
    rp_stmt_bind_int(*st, 7, f->limit > 0 ? f->limit : 100);
    return RP_OK;
}

int sec_audit_count(rp_store *s, const sec_audit_filter *f, int64_t *total, int64_t *last, rp_error *err)
{
    rp_stmt *st;
    int rc;
    if (f->customer && (rc = sec_audit_index(s, NULL, err)))
        return rc;
    rc = rp_store_prepare(s,
                          f->customer ? "SELECT count(*), (SELECT coalesce(max(id), 0) FROM audit) FROM audit WHERE "
                                        AUDIT_WHERE AUDIT_BY_CUSTOMER
                                      : "SELECT count(*), (SELECT coalesce(max(id), 0) FROM audit) FROM audit WHERE "
                                        AUDIT_WHERE "?5 = 0",
                          &st, err);
    if (rc)
        return rc;
    audit_bind(st, f);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        *total = rp_stmt_int(st, 0);
        if (last)
            *last = rp_stmt_int(st, 1);
        rc = RP_OK;
    }
    rp_stmt_done(st);
    return rc;
}

static const char *const audit_columns[] = { "id", "at", "user", "address", "action", "customer",
                                             "target", "reason", "outcome", "detail", "customers" };

void sec_audit_csv_header(rp_buf *out)
{
    for (int i = 0; i < 11; i++)
        rp_csv_field(out, audit_columns[i], strlen(audit_columns[i]), i == 0);
    rp_csv_end_row(out);
}

int sec_audit_csv_page(rp_store *s, const sec_audit_filter *f, rp_buf *out, int *n, int64_t *last_id, rp_error *err)
{
    rp_stmt *st;
    *n = 0;
    int rc = audit_select(s, f, &st, err);
    if (rc)
        return rc;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        for (int i = 0; i < 11; i++) {
            const char *v = rp_stmt_text(st, i);
            rp_csv_field(out, v ? v : "", v ? strlen(v) : 0, i == 0);
        }
        rp_csv_end_row(out);
        *last_id = rp_stmt_int(st, 0);
        (*n)++;
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

int sec_audit_query(rp_store *s, const sec_audit_filter *f, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc = audit_select(s, f, &st, err);
    if (rc)
        return rc;
    json_t *a = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        json_t *o = json_pack("{s:I, s:s, s:s?, s:s?, s:s, s:s?, s:s?, s:s, s:s?}", "id", (json_int_t)rp_stmt_int(st, 0),
                              "at", rp_stmt_text(st, 1), "user", rp_stmt_text(st, 2), "address", rp_stmt_text(st, 3),
                              "action", rp_stmt_text(st, 4), "target", rp_stmt_text(st, 6), "reason",
                              rp_stmt_text(st, 7), "outcome", rp_stmt_text(st, 8), "detail", rp_stmt_text(st, 9));
        json_object_set_new(o, "customer", rp_stmt_column_type(st, 5) == RP_COL_NULL ? json_null()
                                                                                    : json_integer(rp_stmt_int(st, 5)));
        json_t *shown = json_array();
        for (const char *p = rp_stmt_text(st, 10), *q; p && *p; p = q) {
            long long c = strtoll(p, (char **)&q, 10);
            if (q == p)
                break;
            json_array_append_new(shown, json_integer(c));
        }
        json_object_set_new(o, "customers", shown);
        json_array_append_new(a, o);
    }
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return RP_OK;
}
