/* security.c — roles, users, sessions, masking and audit.  See security.h. */
#include "security/security.h"
#include "core/rtime.h"
#include "core/utf8.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const sec_role_names[SEC_NROLES] = { "teller", "rm", "csr", "tsr", "supervisor",
                                                 "analyst", "steward", "admin", "auditor" };
const char *const sec_role_titles[SEC_NROLES] = {
    "teller / branch staff", "relationship manager", "contact-centre agent (CSR)", "outbound agent (TSR)",
    "supervisor", "marketing analyst", "data steward", "administrator", "auditor",
};
const char *const sec_perm_names[SEC_NPERMS] = { "search", "view", "reveal", "contacts", "note", "edit",
                                                 "consent_read", "consent_write", "all_branches", "etl",
                                                 "analysis", "users", "audit", "export" };

#define P(x) (1u << SEC_P_##x)
/* The permission matrix: one row per role. */
static const unsigned matrix[SEC_NROLES] = {
    [SEC_TELLER] = P(SEARCH) | P(VIEW) | P(CONTACTS) | P(NOTE) | P(EDIT) | P(CONSENT_READ) | P(CONSENT_WRITE),
    [SEC_RM] = P(SEARCH) | P(VIEW) | P(CONTACTS) | P(NOTE) | P(EDIT) | P(CONSENT_READ) | P(CONSENT_WRITE) |
               P(ANALYSIS),
    [SEC_CSR] = P(SEARCH) | P(VIEW) | P(CONTACTS) | P(NOTE) | P(EDIT) | P(CONSENT_READ) | P(CONSENT_WRITE) |
                P(ALL_BRANCHES),
    [SEC_TSR] = P(SEARCH) | P(VIEW) | P(NOTE) | P(CONSENT_READ) | P(ALL_BRANCHES),
    [SEC_SUPERVISOR] = P(SEARCH) | P(VIEW) | P(REVEAL) | P(CONTACTS) | P(NOTE) | P(EDIT) | P(CONSENT_READ) |
                       P(CONSENT_WRITE) | P(ALL_BRANCHES) | P(ANALYSIS) | P(EXPORT),
    [SEC_ANALYST] = P(ANALYSIS),
    [SEC_STEWARD] = P(SEARCH) | P(VIEW) | P(CONTACTS) | P(EDIT) | P(ALL_BRANCHES) | P(ETL),
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

static int check_password(const char *pw, rp_error *err)
{
    size_t n = pw ? strlen(pw) : 0;
    if (n < 10)
        return rp_err(err, RP_INVAL, "password: at least 10 characters");
    if (n > SEC_PASSWORD_MAX)
        return rp_err(err, RP_INVAL, "password: at most %d characters", SEC_PASSWORD_MAX);
    return RP_OK;
}

static int hash_password(const char *pw, char out[crypto_pwhash_STRBYTES], rp_error *err)
{
    if (sodium_init() < 0)
        return rp_err(err, RP_CRYPTO, "libsodium could not start");
    if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE))
        return rp_err(err, RP_NOMEM, "password hashing: out of memory");
    return RP_OK;
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

int sec_user_add(rp_store *s, const char *name, const char *role, const char *branch, const char *password,
                 const char *by, sec_user *out, rp_error *err)
{
    int rc = check_name(name, err);
    if (rc)
        return rc;
    int r = sec_role_parse(role);
    if (r < 0)
        return rp_err(err, RP_INVAL, "role '%s': one of teller, rm, csr, tsr, supervisor, analyst, steward, admin, "
                                     "auditor", role ? role : "");
    if (branch && (!*branch || strlen(branch) > SEC_BRANCH_MAX))
        return rp_err(err, RP_INVAL, "branch '%s': a branch code of 1 to %d characters", branch, SEC_BRANCH_MAX);
    if ((r == SEC_TELLER || r == SEC_RM) && !branch)
        return rp_err(err, RP_INVAL, "branch: a %s works at a branch; give --branch CODE", sec_role_titles[r]);
    if ((rc = check_password(password, err)))
        return rc;
    sec_user u;
    if (sec_user_get(s, name, &u, NULL) == RP_OK)
        return rp_err(err, RP_EXISTS, "user '%s' already exists", name);
    char hash[crypto_pwhash_STRBYTES], now[RP_TIME_UTC_LEN];
    if ((rc = hash_password(password, hash, err)))
        return rc;
    rp_time_format_utc(rp_now(), now);
    const char *v[6] = { name, sec_role_names[r], branch, hash, now, by };
    rc = run1(s, "INSERT INTO app_user(name, role, branch, pw_hash, created_at, created_by) VALUES (?,?,?,?,?,?)", v,
              6, err);
    sodium_memzero(hash, sizeof hash);
    if (!rc && out)
        rc = sec_user_get(s, name, out, err);
    return rc;
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
    sec_user u;
    int rc = sec_user_get(s, name, &u, err);
    if (rc || (rc = check_password(password, err)))
        return rc;
    char hash[crypto_pwhash_STRBYTES], now[RP_TIME_UTC_LEN];
    if ((rc = hash_password(password, hash, err)))
        return rc;
    rp_time_format_utc(rp_now(), now);
    const char *v[4] = { hash, now, by, name };
    rc = run1(s, "UPDATE app_user SET pw_hash = ?, changed_at = ?, changed_by = ? WHERE name = ?", v, 4, err);
    sodium_memzero(hash, sizeof hash);
    return rc;
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
    rc = run1(s, "UPDATE app_user SET disabled = ?, changed_at = ?, changed_by = ? WHERE name = ?", v, 4, err);
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

int sec_user_list(rp_store *s, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(s,
                              "SELECT name, role, branch, disabled, created_at, created_by, changed_at FROM app_user "
                              "ORDER BY name",
                              &st, err);
    if (rc)
        return rc;
    json_t *a = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        json_array_append_new(a, json_pack("{s:s, s:s, s:s?, s:b, s:s, s:s?, s:s?}", "name", rp_stmt_text(st, 0),
                                           "role", rp_stmt_text(st, 1), "branch", rp_stmt_text(st, 2), "disabled",
                                           (int)rp_stmt_int(st, 3), "created_at", rp_stmt_text(st, 4), "created_by",
                                           rp_stmt_text(st, 5), "changed_at", rp_stmt_text(st, 6)));
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return RP_OK;
}

int sec_authenticate(rp_store *s, const char *name, const char *password, sec_user *out, rp_error *err)
{
    static const char *const wrong = "wrong user name or password";
    if (sodium_init() < 0)
        return rp_err(err, RP_CRYPTO, "libsodium could not start");
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
    if (!hash[0] || !password || crypto_pwhash_str_verify(hash, password, strlen(password)))
        return rp_err(err, RP_NOTFOUND, "%s", wrong);
    if ((rc = sec_user_get(s, name, out, err)))
        return rc;
    if (out->disabled)
        return rp_err(err, RP_NOTFOUND, "%s", wrong);
    return RP_OK;
}

/* ---- sessions ---- */

static void token_hash(const char *token, char out[65])
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
    token_hash(out->token, h);
    rp_stmt *st;
    int rc = rp_store_prepare(s,
                              "INSERT INTO app_session(token_hash, user_id, csrf, created_at, last_seen, address) "
                              "VALUES (?,?,?,?,?,?)",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, h);
    rp_stmt_bind_int(st, 2, u->id);
    rp_stmt_bind_text(st, 3, out->csrf);
    rp_stmt_bind_int(st, 4, now);
    rp_stmt_bind_int(st, 5, now);
    rp_stmt_bind_text(st, 6, address);
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
    token_hash(token ? token : "", h);
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
    token_hash(token, h);
    rp_stmt *st;
    /* the session and its user in one read */
    int rc = rp_store_prepare(s,
                              "SELECT u.name, s.csrf, s.created_at, s.last_seen, u.id, u.role, u.branch FROM app_session s "
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
    token_hash(token ? token : "", h);
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

void sec_mask_email(const char *v, char *out, size_t n)
{
    const char *at = strchr(v, '@');
    if (!at) {
        keep_ends(v, 1, 0, out, n);
        return;
    }
    snprintf(out, n, "%c***%s", v[0], at);
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
    if (!show_contacts)
        json_array_foreach(json_object_get(doc, "contact_points"), i, c) {
            const char *k = json_string_value(json_object_get(c, "kind"));
            if (!k)
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

int sec_audit_at(rp_store *s, const sec_audit_entry *e, const char *now, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(s,
                              "INSERT INTO audit(at, user_name, address, action, customer_id, target, reason, "
                              "outcome, detail) VALUES (?,?,?,?,?,?,?,?,?)",
                              &st, err);
    if (rc)
        return rc;
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
    return rp_stmt_run(st, err);
}

int sec_audit_index(rp_store *s, int64_t *added, rp_error *err)
{
    if (added)
        *added = 0;
    int rc = rp_store_begin(s, err);
    if (rc)
        return rc;
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
        if ((rc = rp_store_meta_set_int(s, "audit_customer_upto", top, err)))
            goto out;
    }
    return rp_store_commit(s, err);
out:
    rp_store_rollback(s);
    return rc;
}

int sec_audit_query(rp_store *s, const sec_audit_filter *f, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc;
    /* the trail by customer is brought up to date first */
    if (f->customer && (rc = sec_audit_index(s, NULL, err)))
        return rc;
    rc = rp_store_prepare(s,
                          f->customer
                              ? "SELECT id, at, user_name, address, action, customer_id, target, reason, outcome, "
                                "detail FROM audit WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR at <= ?2) AND "
                                "(?3 IS NULL OR user_name = ?3) AND (?4 IS NULL OR action = ?4) AND "
                                "id IN (SELECT audit_id FROM audit_customer WHERE customer_id = ?5) "
                                "ORDER BY id DESC LIMIT ?6"
                              : "SELECT id, at, user_name, address, action, customer_id, target, reason, outcome, "
                                "detail FROM audit WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR at <= ?2) AND "
                                "(?3 IS NULL OR user_name = ?3) AND (?4 IS NULL OR action = ?4) AND ?5 = 0 "
                                "ORDER BY id DESC LIMIT ?6",
                          &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, f->since);
    rp_stmt_bind_text(st, 2, f->until);
    rp_stmt_bind_text(st, 3, f->user);
    rp_stmt_bind_text(st, 4, f->action);
    rp_stmt_bind_int(st, 5, f->customer);
    rp_stmt_bind_int(st, 6, f->limit > 0 ? f->limit : 100);
    json_t *a = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        json_t *o = json_pack("{s:I, s:s, s:s?, s:s?, s:s, s:s?, s:s?, s:s, s:s?}", "id", (json_int_t)rp_stmt_int(st, 0),
                              "at", rp_stmt_text(st, 1), "user", rp_stmt_text(st, 2), "address", rp_stmt_text(st, 3),
                              "action", rp_stmt_text(st, 4), "target", rp_stmt_text(st, 6), "reason",
                              rp_stmt_text(st, 7), "outcome", rp_stmt_text(st, 8), "detail", rp_stmt_text(st, 9));
        json_object_set_new(o, "customer", rp_stmt_column_type(st, 5) == RP_COL_NULL ? json_null()
                                                                                    : json_integer(rp_stmt_int(st, 5)));
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
