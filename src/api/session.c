/* session.c — signing in and out, and who is signed in.  See api.h. */
#include "api/internal.h"
#include "core/json.h"
#include "core/rtime.h"

#include <sodium.h>
#include <string.h>

static json_t *whoami(const sec_session *s)
{
    return json_pack("{s:s, s:s, s:s, s:s?, s:o, s:s}", "user", s->user.name, "role", sec_role_names[s->user.role],
                     "role_title", sec_role_titles[s->user.role], "branch", s->user.branch[0] ? s->user.branch : NULL,
                     "permissions", api_permissions(s->user.role), "csrf", s->csrf);
}

static void audit_login(api_req *rq, const char *user, const char *action, const char *outcome, const char *detail)
{
    sec_audit_entry e = { .user = user, .address = rq->address, .action = action, .target = rq->path,
                          .outcome = outcome, .detail = detail };
    if (api_audit(rq, &e)) {
        /* the reply still goes out; the server log has the failure */
    }
}

int api_login(api_req *rq, api_resp *rs)
{
    const char *name = NULL, *pw = NULL;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_get_str(rq->body, "body", "name", 1, &name, &err) ||
        rp_json_get_str(rq->body, "body", "password", 1, &pw, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    int st;
    if ((st = api_body_max(rs, "name", name, SEC_NAME_MAX)) || (st = api_body_max(rs, "password", pw, SEC_PASSWORD_MAX)))
        return st;
    if (api_throttled(rq, name)) {
        audit_login(rq, name, "login_failed", "refused", "too many failed attempts");
        return api_error(rs, 429, "too_many_attempts", "too many failed sign-ins; wait %lld minutes",
                         (long long)(rq->opt->login_window / 60));
    }
    sec_user u;
    if (sec_authenticate(wh_store(rq->w), name, pw, &u, &err)) {
        if (err.code != RP_NOTFOUND)
            return api_fail(rs, &err);
        api_login_failed(rq, name);
        audit_login(rq, name, "login_failed", "refused", NULL);
        return api_error(rs, 401, "unauthenticated", "wrong user name or password");
    }
    sec_session se;
    if (sec_session_new(wh_store(rq->w), &u, rq->address, rp_now(), &se, &err))
        return api_fail(rs, &err);
    api_login_ok(rq, name);
    audit_login(rq, name, "login", "ok", NULL);
    api_cookie(rq, rs, se.token, rq->opt->lifetime_seconds);
    sodium_memzero(se.token, sizeof se.token);
    return api_ok(rs, whoami(&se));
}

int api_session_get(api_req *rq, api_resp *rs) { return api_ok(rs, whoami(&rq->session)); }

int api_logout(api_req *rq, api_resp *rs)
{
    const char *cookie = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, "rapport_session");
    rp_error err = RP_ERROR_INIT;
    if (sec_session_end(wh_store(rq->w), cookie, &err))
        return api_fail(rs, &err);
    audit_login(rq, rq->session.user.name, "logout", "ok", NULL);
    api_cookie(rq, rs, "", 0);
    return api_ok(rs, json_pack("{s:b}", "signed_out", 1));
}
