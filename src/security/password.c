/* password.c — what a password may be, its history and expiry, changing it.
 * See security.h ("passwords").  Table password_history, migration 0014. */
#include "security/internal.h"
#include "core/map.h"
#include "core/rtime.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* ---- the common passwords (common_passwords.txt, compiled in by the build) ---- */

extern const struct sec_embedded {
    const char *name, *text;
} sec_password_lists[];
extern const int sec_password_lists_count;

static rp_map *common;
static pthread_once_t common_once = PTHREAD_ONCE_INIT;

/* The list as a set (read-only once made, so any thread may look in it). */
static void make_common(void)
{
    if (!(common = rp_map_new()))
        return;
    for (int i = 0; i < sec_password_lists_count; i++)
        for (const char *p = sec_password_lists[i].text; *p;) {
            size_t n = strcspn(p, "\n");
            if (n && *p != '#' && rp_map_put(common, p, n, (void *)1, NULL)) {
                rp_map_free(common, NULL);
                common = NULL;
                return;
            }
            p += n + (p[n] == '\n');
        }
}

static int listed(const char *w, size_t n) { return common && rp_map_get(common, w, n) != NULL; }

static int is_letter(char c) { return c >= 'a' && c <= 'z'; }

/* Is lower (a password in lower case) common: on the list, or a listed word
 * of 4 letters or more with digits or symbols before or after? */
static int is_common(const char *lower)
{
    size_t n = strlen(lower);
    if (listed(lower, n))
        return 1;
    size_t i = 0, j = n;
    while (i < n && !is_letter(lower[i]))
        i++;
    while (j > i && !is_letter(lower[j - 1]))
        j--;
    return j - i >= 4 && j - i < n && listed(lower + i, j - i);
}

/* Does lower contain the name, or a part of it (cut at '.', '_', '-') of 3 or more? */
static int has_name(const char *lower, const char *name)
{
    if (!name || !*name)
        return 0;
    if (strstr(lower, name))
        return 1;
    for (const char *p = name; *p;) {
        size_t k = strcspn(p, "._-");
        char part[40];
        if (k >= 3 && k < sizeof part) {
            memcpy(part, p, k);
            part[k] = 0;
            if (strstr(lower, part))
                return 1;
        }
        p += k + (p[k] != 0);
    }
    return 0;
}

/* Is password one of name's last history passwords (the current one first)? */
static int reused(rp_store *s, const char *name, const char *password, int history, int *was, rp_error *err)
{
    *was = 0;
    if (history <= 0)
        return RP_OK;
    rp_stmt *st;
    int rc = rp_store_prepare(s,
                              "SELECT pw_hash FROM app_user WHERE name = ? UNION ALL "
                              "SELECT pw_hash FROM (SELECT h.pw_hash, h.id FROM password_history h "
                              "JOIN app_user u ON u.id = h.user_id WHERE u.name = ? ORDER BY h.id DESC LIMIT ?) older",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, name);
    rp_stmt_bind_text(st, 2, name);
    rp_stmt_bind_int(st, 3, history - 1);
    while (!*was && (rc = rp_stmt_step(st, err)) == RP_ROW) {
        const char *h = rp_stmt_text(st, 0);
        int v = h ? sec__verify_password(h, password, err) : RP_NOTFOUND;
        if (v != RP_OK && v != RP_NOTFOUND) { /* not known whether it was used: not taken as new */
            rc = v;
            break;
        }
        *was = v == RP_OK;
    }
    rp_stmt_done(st);
    return *was || rc == RP_DONE ? RP_OK : rc;
}

int sec_password_check(rp_store *s, const char *name, const char *password, int history, rp_error *err)
{
    size_t n = password ? strlen(password) : 0;
    if (n < 10)
        return rp_err(err, RP_INVAL, "password: at least 10 characters");
    if (n > SEC_PASSWORD_MAX)
        return rp_err(err, RP_INVAL, "password: at most %d characters", SEC_PASSWORD_MAX);
    if (sodium_init() < 0)
        return rp_err(err, RP_CRYPTO, "libsodium could not start");
    pthread_once(&common_once, make_common);
    if (!common)
        return rp_err(err, RP_NOMEM, "the list of common passwords: out of memory");
    char lower[1025];
    size_t same = 0;
    for (size_t i = 0; i <= n; i++) {
        char c = password[i];
        lower[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
        same += i < n && c == password[0];
    }
    int rc = RP_OK;
    if (same == n)
        rc = rp_err(err, RP_INVAL, "password: one character repeated; choose another");
    else if (is_common(lower))
        rc = rp_err(err, RP_INVAL, "password: one of the most common passwords; choose another");
    else if (has_name(lower, name))
        rc = rp_err(err, RP_INVAL, "password: contains the user name; choose another");
    int was = 0;
    if (!rc && !(rc = reused(s, name, password, history, &was, err)) && was)
        rc = rp_err(err, RP_INVAL, "password: one of the last %d passwords of '%s'; choose another", history, name);
    sodium_memzero(lower, sizeof lower);
    return rc;
}

/* ---- changing it ---- */

static int run_ints(rp_store *s, const char *sql, const int64_t *v, int n, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(s, sql, &st, err);
    if (rc)
        return rc;
    for (int i = 0; i < n; i++)
        rp_stmt_bind_int(st, i + 1, v[i]);
    return rp_stmt_run(st, err);
}

/* The new hash in, the old one into the history (history - 1 kept), the sessions ended but keep's. */
static int store_change(rp_store *s, int64_t user, const char *hash, int history, const char *by, const char *keep,
                        rp_error *err)
{
    int64_t now = rp_now();
    char at[RP_TIME_UTC_LEN], kh[65] = "";
    rp_time_format_utc(now, at);
    if (keep)
        sec__token_hash(keep, kh);
    const int64_t old[2] = { now, user };
    const int64_t prune[3] = { user, user, history > 1 ? history - 1 : 0 };
    int rc = run_ints(s, "INSERT INTO password_history(user_id, pw_hash, replaced_at) "
                         "SELECT id, pw_hash, ? FROM app_user WHERE id = ?", old, 2, err);
    if (rc || (rc = run_ints(s, "DELETE FROM password_history WHERE user_id = ? AND id NOT IN (SELECT id FROM "
                                "password_history WHERE user_id = ? ORDER BY id DESC LIMIT ?)", prune, 3, err)))
        return rc;
    rp_stmt *st;
    if ((rc = rp_store_prepare(s, "UPDATE app_user SET pw_hash = ?, pw_changed_at = ?, changed_at = ?, changed_by = ? "
                                  "WHERE id = ?", &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, hash);
    rp_stmt_bind_int(st, 2, now);
    rp_stmt_bind_text(st, 3, at);
    rp_stmt_bind_text(st, 4, by);
    rp_stmt_bind_int(st, 5, user);
    if ((rc = rp_stmt_run(st, err)) ||
        (rc = rp_store_prepare(s, "DELETE FROM app_session WHERE user_id = ? AND token_hash <> ?", &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, user);
    rp_stmt_bind_text(st, 2, kh);
    if ((rc = rp_stmt_run(st, err)) ||
        (rc = rp_store_prepare(s, "UPDATE app_session SET must_change = 0 WHERE token_hash = ?", &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, kh);
    return rp_stmt_run(st, err);
}

int sec_password_change(rp_store *s, const char *name, const char *password, int history, const char *by,
                        const char *keep_token, rp_error *err)
{
    sec_user u;
    int rc = sec_user_get(s, name, &u, err);
    if (rc || (rc = sec_password_check(s, name, password, history, err)))
        return rc;
    char hash[crypto_pwhash_STRBYTES];
    if ((rc = sec__hash_password(password, hash, err)))
        return rc;
    if (!(rc = rp_store_begin(s, err))) {
        rc = store_change(s, u.id, hash, history, by, keep_token, err);
        if (!rc)
            rc = rp_store_commit(s, err);
        if (rc)
            rp_store_rollback(s);
    }
    sodium_memzero(hash, sizeof hash);
    return rc;
}

int sec_password_change_own(rp_store *s, const sec_signin_policy *p, const char *name, const char *current,
                            const char *password, const char *address, int64_t now, const char *keep_token,
                            sec_signin_wait *wait, rp_error *err)
{
    sec_user u;
    int rc = sec__sign_in_password(s, p, name, current, address, now, &u, wait, err);
    if (rc == RP_NOTFOUND && !wait->refused)
        return rp_err(err, RP_NOTFOUND, "password: not your current password");
    if (rc)
        return rc;
    return sec_password_change(s, name, password, p->password_history, name, keep_token, err);
}

int sec_password_reset(rp_store *s, const char *name, int history, const char *by, char out[SEC_TEMP_PASSWORD_LEN],
                       rp_error *err)
{
    /* four groups of four, of letters and digits no one misreads (no 0/o, 1/l/i) */
    static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
    int rc = RP_INVAL;
    for (int tries = 0; tries < 8 && rc == RP_INVAL; tries++) {
        for (int i = 0; i < SEC_TEMP_PASSWORD_LEN - 1; i++)
            out[i] = (i % 5 == 4) ? '-' : alphabet[randombytes_uniform(sizeof alphabet - 1)];
        out[SEC_TEMP_PASSWORD_LEN - 1] = 0;
        rp_err_clear(err);
        rc = sec_password_check(s, name, out, history, err);
    }
    if (rc)
        return rc;
    if ((rc = rp_store_begin(s, err)))
        return rc;
    rp_stmt *st;
    if (!(rc = sec_password_change(s, name, out, history, by, NULL, err)) &&
        !(rc = rp_store_prepare(s, "UPDATE app_user SET pw_changed_at = 0 WHERE name = ?", &st, err))) {
        rp_stmt_bind_text(st, 1, name);
        if (!(rc = rp_stmt_run(st, err)))
            rc = rp_store_commit(s, err);
    }
    if (rc) {
        rp_store_rollback(s);
        sodium_memzero(out, SEC_TEMP_PASSWORD_LEN);
    }
    return rc;
}

int sec_password_expired(rp_store *s, const char *name, int64_t max_age, int64_t now, int *expired, rp_error *err)
{
    *expired = 0;
    rp_stmt *st;
    int rc = rp_store_prepare(s, "SELECT pw_changed_at, created_at FROM app_user WHERE name = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, name);
    int64_t since = 0;
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        /* set at every change; before the first, the user's creation; 0 after an administrator's reset */
        int prc = RP_OK;
        if (rp_stmt_column_type(st, 0) != RP_COL_NULL)
            since = rp_stmt_int(st, 0);
        else
            prc = rp_time_parse(rp_stmt_text(st, 1), &since, err);
        if (prc)
            rc = prc;
        else
            *expired = (rp_stmt_column_type(st, 0) != RP_COL_NULL && since == 0) ||
                       (max_age > 0 && now - since >= max_age);
    } else if (rc == RP_DONE) {
        rc = rp_err(err, RP_NOTFOUND, "no user '%s'", name);
    }
    rp_stmt_done(st);
    return rc == RP_ROW ? RP_OK : rc;
}
