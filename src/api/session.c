/* session.c — signing in and out, and who is signed in.  See api.h. */
#include "api/internal.h"
#include "core/json.h"
#include "core/rtime.h"

#include <sodium.h>
#include <string.h>

static json_t *whoami(const sec_session *s)
{
    return json_pack("{s:s, s:s, s:s, s:s?, s:o, s:s, s:b}", "user", s->user.name, "role",
                     sec_role_names[s->user.role], "role_title", sec_role_titles[s->user.role], "branch",
                     s->user.branch[0] ? s->user.branch : NULL, "permissions", api_permissions(s->user.role), "csrf",
                     s->csrf, "password_expired", s->user.password_expired);
}

static void audit_login(api_req *rq, const char *user, const char *action, const char *outcome, const char *detail)
{
    sec_audit_entry e = { .user = user, .address = rq->address, .action = action, .target = rq->path,
                          .outcome = outcome, .detail = detail };
    if (api_audit(rq, &e)) {
        /* the reply still goes out; the server log has the failure */
    }
}

/* 429 for a sign-in refused by the throttle or a lock, whatever the password. */
static int too_many(api_req *rq, api_resp *rs, const char *name, const sec_signin_wait *w)
{
    audit_login(rq, name, "login_failed", "refused", w->locked ? "locked" : "too many failed attempts");
    if (w->locked && !w->seconds)
        return api_error(rs, 429, "too_many_attempts",
                         "too many failed sign-ins; an administrator must unlock this account");
    rs->retry_after = w->seconds;
    long long minutes = (w->seconds + 59) / 60;
    return api_error(rs, 429, "too_many_attempts", "too many failed sign-ins; try again in %lld minute%s", minutes,
                     minutes == 1 ? "" : "s");
}

int api_login(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "name", "password", "otp", NULL };
    const char *name = NULL, *pw = NULL, *otp = NULL;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_str(rq->body, "body", "name", 1, &name, &err) ||
        rp_json_get_str(rq->body, "body", "password", 1, &pw, &err) ||
        rp_json_get_str(rq->body, "body", "otp", 0, &otp, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    int st;
    if ((st = api_body_max(rs, "name", name, SEC_NAME_MAX)) || (st = api_body_max(rs, "password", pw, SEC_PASSWORD_MAX)) ||
        (st = api_body_max(rs, "otp", otp, 16)))
        return st;
    sec_user u;
    sec_signin_wait wait;
    int64_t now = rp_now();
    if (sec_sign_in(wh_store(rq->w), &rq->opt->signin, wh_keyring(rq->w), name, pw, otp, rq->address, now, &u, &wait,
                    &err)) {
        if (wait.refused)
            return too_many(rq, rs, name, &wait);
        if (err.code != RP_NOTFOUND)
            return api_fail(rs, &err);
        if (wait.enrol) {
            audit_login(rq, name, "login_failed", "refused", "no second factor enrolled");
            return api_error(rs, 403, "otp_not_enrolled", "%s; an administrator enrols it (rapport user totp %s)",
                             rp_errmsg(&err), name);
        }
        audit_login(rq, name, "login_failed", "refused", wait.locked ? "now locked" : NULL);
        /* one answer for a wrong name, password or code: which one it was is not said */
        return api_error(rs, 401, "unauthenticated", "wrong user name or password, or a one-time code missing or wrong");
    }
    sec_session se;
    if (sec_session_new(wh_store(rq->w), &u, rq->address, now, &se, &err))
        return api_fail(rs, &err);
    audit_login(rq, name, "login", "ok", NULL);
    api_cookie(rq, rs, se.token, rq->opt->lifetime_seconds);
    sodium_memzero(se.token, sizeof se.token);
    return api_ok(rs, whoami(&se));
}

/* A program's token is not a session: nothing to show, end or change but by revoking it. */
static int no_session(api_resp *rs)
{
    return api_error(rs, 403, "forbidden", "a token has no session; an administrator revokes it to end it");
}

int api_session_get(api_req *rq, api_resp *rs)
{
    return rq->by_token ? no_session(rs) : api_ok(rs, whoami(&rq->session));
}

int api_logout(api_req *rq, api_resp *rs)
{
    if (rq->by_token)
        return no_session(rs);
    const char *cookie = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, "rapport_session");
    rp_error err = RP_ERROR_INIT;
    if (sec_session_end(wh_store(rq->w), cookie, &err))
        return api_fail(rs, &err);
    audit_login(rq, rq->session.user.name, "logout", "ok", NULL);
    api_cookie(rq, rs, "", 0);
    return api_ok(rs, json_pack("{s:b}", "signed_out", 1));
}

int api_password_change(api_req *rq, api_resp *rs)
{
    if (rq->by_token)
        return no_session(rs);
    static const char *const keys[] = { "password", "new_password", NULL };
    const char *pw = NULL, *fresh = NULL;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_str(rq->body, "body", "password", 1, &pw, &err) ||
        rp_json_get_str(rq->body, "body", "new_password", 1, &fresh, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    const char *name = rq->session.user.name;
    const char *cookie = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, "rapport_session");
    sec_signin_wait wait;
    if (sec_password_change_own(wh_store(rq->w), &rq->opt->signin, name, pw, fresh, rq->address, rp_now(), cookie,
                                &wait, &err)) {
        if (wait.refused)
            return too_many(rq, rs, name, &wait);
        audit_login(rq, name, "password_change", "refused", rp_errmsg(&err));
        /* the rules speak of "password": here it is the new one */
        if (err.code == RP_NOTFOUND)
            return api_error(rs, 422, "invalid", "body.%s", rp_errmsg(&err));
        if (err.code == RP_INVAL)
            return api_error(rs, 422, "invalid", "body.new_%s", rp_errmsg(&err));
        return api_fail(rs, &err);
    }
    audit_login(rq, name, "password_change", "ok", "the user's other sessions ended");
    rq->session.user.password_expired = 0;
    return api_ok(rs, json_pack("{s:b}", "changed", 1));
}
