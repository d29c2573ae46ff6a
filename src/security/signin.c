/* signin.c — failed sign-ins counted in the store, throttled and locked.
 * See security.h ("signing in").  Table sign_in_failure, migration 0014. */
#include "security/internal.h"

#include <stdio.h>
#include <string.h>

void sec_signin_defaults(sec_signin_policy *p)
{
    if (p->user_attempts <= 0)
        p->user_attempts = 5;
    if (p->address_attempts <= 0)
        p->address_attempts = 20;
    if (p->window <= 0)
        p->window = 300;
    if (p->lock_after <= 0)
        p->lock_after = 10;
    if (p->lock_seconds <= 0)
        p->lock_seconds = 1800;
}

int sec_signin_config(const rp_config *c, sec_signin_policy *p, rp_error *err)
{
    memset(p, 0, sizeof *p);
    sec_signin_defaults(p);
    p->password_history = SEC_PASSWORD_HISTORY;
    p->password_max_age = 90 * 86400;
    p->request_max_age = SEC_REQUEST_DAYS * 86400;
    if (!c)
        return RP_OK;
    int64_t user, address, window, after, lock, history, days, request_days;
    int rc;
    if ((rc = rp_config_get_int(c, "security", "login_attempts", p->user_attempts, 1, 1000, &user, err)) ||
        (rc = rp_config_get_int(c, "security", "login_address_attempts", p->address_attempts, 1, 100000, &address,
                                err)) ||
        (rc = rp_config_get_int(c, "security", "login_window_minutes", p->window / 60, 1, 24 * 60, &window, err)) ||
        (rc = rp_config_get_int(c, "security", "lock_after", p->lock_after, 1, 1000, &after, err)) ||
        (rc = rp_config_get_int(c, "security", "lock_minutes", p->lock_seconds / 60, 1, 366 * 24 * 60, &lock, err)) ||
        (rc = rp_config_get_int(c, "security", "password_history", SEC_PASSWORD_HISTORY, 0, 24, &history, err)) ||
        (rc = rp_config_get_int(c, "security", "password_max_days", 90, 0, 3650, &days, err)) ||
        (rc = rp_config_get_int(c, "security", "request_days", SEC_REQUEST_DAYS, 1, 365, &request_days, err)))
        return rc;
    if ((rc = sec_totp_roles_parse(rp_config_get(c, "security", "totp_roles", "none"), &p->totp_roles, err)))
        return rp_err_prefix(err, "[security] totp_roles");
    const char *until = rp_config_get(c, "security", "lock_until_unlocked", "no");
    if (strcmp(until, "yes") && strcmp(until, "no"))
        return rp_err(err, RP_INVAL, "[security] lock_until_unlocked: '%s' is not yes or no", until);
    p->user_attempts = (int)user;
    p->address_attempts = (int)address;
    p->window = window * 60;
    p->lock_after = (int)after;
    p->lock_seconds = lock * 60;
    p->lock_until_unlocked = !strcmp(until, "yes");
    p->password_history = (int)history;
    p->password_max_age = days * 86400;
    p->request_max_age = request_days * 86400;
    return RP_OK;
}

/* ---- the rows ---- */

typedef struct failure_row {
    int found;
    int64_t window_start, window_failures, failures;
    int locked;                  /* a lock is recorded (in force or not) */
    int64_t locked_until;        /* -1: until an administrator unlocks it */
} failure_row;

static int read_row(rp_store *s, const char *kind, const char *name, failure_row *r, rp_error *err)
{
    memset(r, 0, sizeof *r);
    rp_stmt *st;
    int rc = rp_store_prepare(s,
                              "SELECT window_start, window_failures, failures, locked_at, locked_until "
                              "FROM sign_in_failure WHERE kind = ? AND name = ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, kind);
    rp_stmt_bind_text(st, 2, name);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        r->found = 1;
        r->window_start = rp_stmt_int(st, 0);
        r->window_failures = rp_stmt_int(st, 1);
        r->failures = rp_stmt_int(st, 2);
        r->locked = rp_stmt_column_type(st, 3) != RP_COL_NULL;
        r->locked_until = rp_stmt_column_type(st, 4) == RP_COL_NULL ? -1 : rp_stmt_int(st, 4);
    }
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

/* Is the row's lock in force at now? */
static int lock_holds(const failure_row *r, int64_t now)
{
    return r->found && r->locked && (r->locked_until < 0 || r->locked_until > now);
}

/* Seconds left of the row's throttle at now (0: not throttled). */
static int64_t throttle_left(const failure_row *r, int64_t attempts, int64_t window, int64_t now)
{
    if (!r->found || r->window_failures < attempts || now - r->window_start >= window)
        return 0;
    return r->window_start + window - now;
}

int sec_signin_check(rp_store *s, const sec_signin_policy *pol, const char *name, const char *address, int64_t now,
                     sec_signin_wait *out, rp_error *err)
{
    sec_signin_policy p = *pol;
    sec_signin_defaults(&p);
    memset(out, 0, sizeof *out);
    failure_row u, a;
    int rc = read_row(s, "user", name ? name : "", &u, err);
    if (rc || (rc = read_row(s, "address", address ? address : "", &a, err)))
        return rc;
    if (lock_holds(&u, now)) {
        out->refused = out->locked = 1;
        out->seconds = u.locked_until < 0 ? 0 : u.locked_until - now;
        return RP_OK;
    }
    int64_t wu = throttle_left(&u, p.user_attempts, p.window, now);
    int64_t wa = throttle_left(&a, p.address_attempts, p.window, now);
    out->seconds = wu > wa ? wu : wa;
    out->refused = out->seconds > 0;
    return RP_OK;
}

/* One failure more for (kind, name): the window begins again once it has passed. */
static int count_failure(rp_store *s, const char *kind, const char *name, int64_t now, int64_t window, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(
        s,
        "INSERT INTO sign_in_failure(kind, name, window_start, window_failures, failures, first_at, last_at) "
        "VALUES (?, ?, ?, 1, 1, ?, ?) "
        "ON CONFLICT (kind, name) DO UPDATE SET "
        "window_start = CASE WHEN excluded.last_at - sign_in_failure.window_start >= ? THEN excluded.last_at "
        "ELSE sign_in_failure.window_start END, "
        "window_failures = CASE WHEN excluded.last_at - sign_in_failure.window_start >= ? THEN 1 "
        "ELSE sign_in_failure.window_failures + 1 END, "
        "failures = sign_in_failure.failures + 1, last_at = excluded.last_at",
        &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, kind);
    rp_stmt_bind_text(st, 2, name);
    rp_stmt_bind_int(st, 3, now);
    rp_stmt_bind_int(st, 4, now);
    rp_stmt_bind_int(st, 5, now);
    rp_stmt_bind_int(st, 6, window);
    rp_stmt_bind_int(st, 7, window);
    return rp_stmt_run(st, err);
}

/* Lock name when it has failed lock_after times in a row and no lock holds it. */
static int lock_if_due(rp_store *s, const sec_signin_policy *p, const char *name, int64_t now, int *locked,
                       rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(s,
                              "UPDATE sign_in_failure SET locked_at = ?, locked_until = ? "
                              "WHERE kind = 'user' AND name = ? AND failures >= ? "
                              "AND (locked_at IS NULL OR (locked_until IS NOT NULL AND locked_until <= ?))",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, now);
    if (p->lock_until_unlocked)
        rp_stmt_bind_null(st, 2);
    else
        rp_stmt_bind_int(st, 2, now + p->lock_seconds);
    rp_stmt_bind_text(st, 3, name);
    rp_stmt_bind_int(st, 4, p->lock_after);
    rp_stmt_bind_int(st, 5, now);
    if ((rc = rp_stmt_run(st, err)))
        return rc;
    *locked = rp_store_changes(s) > 0;
    return RP_OK;
}

/* Rows whose last failure is long past and that no lock holds. */
static int forget_old(rp_store *s, const sec_signin_policy *p, int64_t now, rp_error *err)
{
    int64_t keep = p->window > SEC_SIGNIN_FORGET ? p->window : SEC_SIGNIN_FORGET;
    rp_stmt *st;
    int rc = rp_store_prepare(s,
                              "DELETE FROM sign_in_failure WHERE last_at < ? "
                              "AND (locked_at IS NULL OR (locked_until IS NOT NULL AND locked_until <= ?))",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, now - keep);
    rp_stmt_bind_int(st, 2, now);
    return rp_stmt_run(st, err);
}

int sec_signin_failed(rp_store *s, const sec_signin_policy *pol, const char *name, const char *address, int64_t now,
                      int *locked, rp_error *err)
{
    sec_signin_policy p = *pol;
    sec_signin_defaults(&p);
    int dummy;
    if (!locked)
        locked = &dummy;
    *locked = 0;
    int rc = rp_store_begin(s, err);
    if (rc)
        return rc;
    if (!(rc = forget_old(s, &p, now, err)) && !(rc = count_failure(s, "user", name ? name : "", now, p.window, err)) &&
        !(rc = count_failure(s, "address", address ? address : "", now, p.window, err)) &&
        !(rc = lock_if_due(s, &p, name ? name : "", now, locked, err)))
        rc = rp_store_commit(s, err);
    if (rc) {
        rp_store_rollback(s);
        *locked = 0;
    }
    return rc;
}

static int clear_user(rp_store *s, const char *name, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(s, "DELETE FROM sign_in_failure WHERE kind = 'user' AND name = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, name);
    return rp_stmt_run(st, err);
}

int sec_signin_succeeded(rp_store *s, const char *name, rp_error *err) { return clear_user(s, name, err); }

/* The second factor of a user whose password was right: RP_OK, RP_NOTFOUND
 * for a code missing, wrong or used, or with wait->enrol for a role that
 * needs one the user has not enrolled. */
static int second_factor(rp_store *s, const sec_signin_policy *p, const rp_keyring *k, const sec_user *u,
                         const char *otp, int64_t now, sec_signin_wait *wait, rp_error *err)
{
    int enrolled;
    int rc = sec_totp_enrolled(s, u->id, &enrolled, err);
    if (rc)
        return rc;
    if (!enrolled) {
        if (!(p->totp_roles & (1u << u->role)))
            return RP_OK;
        wait->enrol = 1;
        return rp_err(err, RP_NOTFOUND, "%s %s signs in with a one-time code, and '%s' has none enrolled",
                      sec_role_article(u->role), sec_role_titles[u->role], u->name);
    }
    if (!k)
        return rp_err(err, RP_INTERNAL, "the one-time code cannot be checked without the store's key");
    return sec_totp_check(s, k, u->id, otp, now, err);
}

static int sign_in(rp_store *s, const sec_signin_policy *p, const rp_keyring *k, int factor, const char *name,
                   const char *password, const char *otp, const char *address, int64_t now, sec_user *out,
                   sec_signin_wait *wait, rp_error *err)
{
    int rc = sec_signin_check(s, p, name, address, now, wait, err);
    if (rc)
        return rc;
    if (wait->refused)
        return rp_err(err, RP_NOTFOUND, "too many failed sign-ins");
    rc = sec_authenticate(s, name, password, out, err);
    if (rc == RP_OK && factor) {
        rc = second_factor(s, p, k, out, otp, now, wait, err);
        if (rc == RP_NOTFOUND && wait->enrol)
            return rc; /* the password was right: nothing to count, nothing to clear */
        if (rc == RP_NOTFOUND)
            rp_err(err, RP_NOTFOUND, "wrong user name or password");
    }
    if (rc == RP_NOTFOUND) {
        rp_error e2 = RP_ERROR_INIT;
        if (sec_signin_failed(s, p, name, address, now, &wait->locked, &e2))
            return rp_err(err, e2.code, "%s", rp_errmsg(&e2));
        return RP_NOTFOUND;
    }
    if (rc || (rc = sec_password_expired(s, name, p->password_max_age, now, &out->password_expired, err)))
        return rc;
    return sec_signin_succeeded(s, name, err);
}

int sec_sign_in(rp_store *s, const sec_signin_policy *p, const rp_keyring *k, const char *name, const char *password,
                const char *otp, const char *address, int64_t now, sec_user *out, sec_signin_wait *wait,
                rp_error *err)
{
    return sign_in(s, p, k, 1, name, password, otp, address, now, out, wait, err);
}

int sec__sign_in_password(rp_store *s, const sec_signin_policy *p, const char *name, const char *password,
                          const char *address, int64_t now, sec_user *out, sec_signin_wait *wait, rp_error *err)
{
    return sign_in(s, p, NULL, 0, name, password, NULL, address, now, out, wait, err);
}

int sec_user_unlock(rp_store *s, const char *name, int64_t now, int *was_locked, rp_error *err)
{
    sec_user u;
    failure_row r;
    int rc = sec_user_get(s, name, &u, err);
    if (rc || (rc = read_row(s, "user", name, &r, err)))
        return rc;
    if (was_locked)
        *was_locked = lock_holds(&r, now);
    return clear_user(s, name, err);
}
