/* users.c — users and roles, for administrators; unlocking a user locked by failed sign-ins.  A change one
 * administrator may not make alone (security.h, "separation of duties") is kept as a request and answered
 * 202 (requests.c decides them).  See api.h. */
#include "api/internal.h"
#include "core/json.h"
#include "core/rtime.h"

#include <sodium.h>
#include <string.h>

json_t *api_permissions(sec_role r)
{
    json_t *a = json_array();
    for (int p = 0; p < SEC_NPERMS; p++)
        if (sec_can(r, (sec_perm)p))
            json_array_append_new(a, json_string(sec_perm_names[p]));
    return a;
}

int api_users_list(api_req *rq, api_resp *rs)
{
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    if (sec_user_list(wh_store(rq->w), &a, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "users", a));
}

/* The roles, as a list for api_body_in. */
static void role_list(const char *roles[SEC_NROLES + 1])
{
    for (int r = 0; r < SEC_NROLES; r++)
        roles[r] = sec_role_names[r];
    roles[SEC_NROLES] = NULL;
}

/* A change kept for a second administrator: audited (user_request), 202. */
static int pending(api_req *rq, api_resp *rs, int64_t id)
{
    json_t *r;
    rp_error err = RP_ERROR_INIT;
    if (sec_user_request_get(wh_store(rq->w), id, &r, &err))
        return api_fail(rs, &err);
    char what[160], detail[256];
    sec_user_request_text(r, what, sizeof what);
    snprintf(detail, sizeof detail, "request %lld: %s", (long long)id, what);
    sec_audit_entry e = { .user = rq->session.user.name, .address = rq->address, .action = "user_request",
                          .target = json_string_value(json_object_get(r, "user")), .detail = detail };
    int failed = api_audit(rq, &e);
    json_decref(r);
    if (failed)
        return api_error(rs, 500, "audit", "the request was kept, but the audit trail could not be written; it has been logged");
    return api_accepted(rs, json_pack("{s:I, s:s}", "request", (json_int_t)id, "status", "pending"));
}

/* A user's branch must be one of the store's branches: 0, or the reply's status (422 naming body.branch). */
static int branch_known(api_req *rq, api_resp *rs, const char *branch)
{
    int exists = 0;
    rp_error err = RP_ERROR_INIT;
    if (!branch)
        return 0;
    if (wh_branch_exists(rq->w, branch, &exists, &err))
        return api_fail(rs, &err);
    return exists ? 0 : api_error(rs, 422, "invalid", "body.branch: no branch '%s'", branch);
}

int api_user_add(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "name", "role", "branch", "password", NULL };
    const char *name = NULL, *role = NULL, *branch = NULL, *pw = NULL;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_str(rq->body, "body", "name", 1, &name, &err) ||
        rp_json_get_str(rq->body, "body", "role", 1, &role, &err) ||
        rp_json_get_str(rq->body, "body", "branch", 0, &branch, &err) ||
        rp_json_get_str(rq->body, "body", "password", 1, &pw, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    const char *roles[SEC_NROLES + 1];
    role_list(roles);
    int st;
    if ((st = api_body_max(rs, "name", name, SEC_NAME_MAX)) || (st = api_body_in(rs, "role", role, roles)) ||
        (st = api_body_max(rs, "branch", branch, SEC_BRANCH_MAX)) ||
        (st = api_body_max(rs, "password", pw, SEC_PASSWORD_MAX)) || (st = branch_known(rq, rs, branch)))
        return st;
    /* a role that reveals data waits for a second administrator */
    sec_user_change ch = { .kind = SEC_REQ_ADD, .name = name, .role = role, .branch = branch, .password = pw };
    int64_t request;
    if (sec_user_submit(wh_store(rq->w), &ch, rq->session.user.name, rq->opt->signin.request_max_age, &request, &err))
        return api_fail(rs, &err);
    if (request)
        return pending(rq, rs, request);
    sec_audit_entry e = { .user = rq->session.user.name, .address = rq->address, .action = "user_add",
                          .target = name, .detail = role };
    if (api_audit(rq, &e))
        return api_error(rs, 500, "audit", "the user was added, but the audit trail could not be written; it has been logged");
    return api_created(rs, json_pack("{s:s, s:s, s:s?}", "name", name, "role", role, "branch", branch));
}

int api_user_role(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "role", "branch", NULL };
    const char *role = NULL, *branch = NULL;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) || rp_json_get_str(rq->body, "body", "role", 1, &role, &err) ||
        rp_json_get_str(rq->body, "body", "branch", 0, &branch, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    const char *roles[SEC_NROLES + 1];
    role_list(roles);
    int st;
    if ((st = api_body_in(rs, "role", role, roles)) || (st = api_body_max(rs, "branch", branch, SEC_BRANCH_MAX)) ||
        (st = branch_known(rq, rs, branch)))
        return st;
    const char *name = rq->param[0];
    sec_user was;
    if (sec_user_get(wh_store(rq->w), name, &was, &err))
        return api_fail(rs, &err);
    sec_user_change ch = { .kind = SEC_REQ_ROLE, .name = name, .role = role, .branch = branch };
    int64_t request;
    if (sec_user_submit(wh_store(rq->w), &ch, rq->session.user.name, rq->opt->signin.request_max_age, &request, &err))
        return api_fail(rs, &err);
    if (request)
        return pending(rq, rs, request);
    char detail[100];
    snprintf(detail, sizeof detail, "%s%s%s -> %s%s%s", sec_role_names[was.role], was.branch[0] ? ", branch " : "",
             was.branch, role, branch ? ", branch " : "", branch ? branch : "");
    sec_audit_entry e = { .user = rq->session.user.name, .address = rq->address, .action = "user_role",
                          .target = name, .detail = detail };
    if (api_audit(rq, &e))
        return api_error(rs, 500, "audit", "the role was changed, but the audit trail could not be written; it has been logged");
    return api_ok(rs, json_pack("{s:s, s:s, s:s?}", "name", name, "role", role, "branch", branch));
}

int api_user_disable(api_req *rq, api_resp *rs)
{
    int disabled;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_get_bool(rq->body, "body", "disabled", 1, &disabled, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    if (!strcmp(rq->param[0], rq->session.user.name) && disabled)
        return api_error(rs, 409, "conflict", "you cannot disable yourself");
    /* disabling an auditor waits for a second administrator; enabling anyone does not */
    int64_t request = 0;
    sec_user_change ch = { .kind = SEC_REQ_DISABLE, .name = rq->param[0] };
    if (disabled ? sec_user_submit(wh_store(rq->w), &ch, rq->session.user.name, rq->opt->signin.request_max_age,
                                   &request, &err)
                 : sec_user_disable(wh_store(rq->w), rq->param[0], 0, rq->session.user.name, &err))
        return api_fail(rs, &err);
    if (request)
        return pending(rq, rs, request);
    sec_audit_entry e = { .user = rq->session.user.name, .address = rq->address,
                          .action = disabled ? "user_disable" : "user_enable", .target = rq->param[0] };
    if (api_audit(rq, &e))
        return api_error(rs, 500, "audit", "the change was made, but the audit trail could not be written; it has been logged");
    return api_ok(rs, json_pack("{s:s, s:b}", "name", rq->param[0], "disabled", disabled));
}

int api_user_unlock(api_req *rq, api_resp *rs)
{
    int was_locked = 0;
    rp_error err = RP_ERROR_INIT;
    if (sec_user_unlock(wh_store(rq->w), rq->param[0], rp_now(), &was_locked, &err))
        return api_fail(rs, &err);
    sec_audit_entry e = { .user = rq->session.user.name, .address = rq->address, .action = "user_unlock",
                          .target = rq->param[0], .detail = was_locked ? "was locked" : "was not locked" };
    if (api_audit(rq, &e))
        return api_error(rs, 500, "audit", "the user was unlocked, but the audit trail could not be written; it has been logged");
    return api_ok(rs, json_pack("{s:s, s:b, s:b}", "name", rq->param[0], "locked", 0, "was_locked", was_locked));
}

/* An administrator's reset of a user's password: a new one at random, in this reply only, which the user must
 * change at the next sign-in.  Not for a user whose role reveals data, an administrator or an auditor: whoever
 * knows their password could act as them (four eyes: docs/security.md); theirs is the operator's to reset
 * (rapport user passwd), and one's own is changed with PUT /api/v1/session/password. */
int api_user_password_reset(api_req *rq, api_resp *rs)
{
    const char *name = rq->param[0];
    sec_user u;
    rp_error err = RP_ERROR_INIT;
    if (sec_user_get(wh_store(rq->w), name, &u, &err))
        return api_fail(rs, &err);
    if (!strcmp(name, rq->session.user.name))
        return api_error(rs, 403, "forbidden", "your own password is changed with PUT /api/v1/session/password");
    if (sec_role_reveals(u.role) || u.role == SEC_ADMIN || u.role == SEC_AUDITOR)
        return api_error(rs, 403, "forbidden", "the password of %s %s is reset by the system's operator (rapport user "
                         "passwd), not by one administrator alone", sec_role_article(u.role), sec_role_titles[u.role]);
    char pw[SEC_TEMP_PASSWORD_LEN];
    if (sec_password_reset(wh_store(rq->w), name, rq->opt->signin.password_history, rq->session.user.name, pw, &err))
        return api_fail(rs, &err);
    sec_audit_entry e = { .user = rq->session.user.name, .address = rq->address, .action = "user_passwd",
                          .target = name, .detail = "reset by an administrator: to be changed at the next sign-in" };
    if (api_audit(rq, &e)) {
        sodium_memzero(pw, sizeof pw);
        return api_error(rs, 500, "audit", "the password was reset, but the audit trail could not be written; it has "
                         "been logged, and the password is not shown");
    }
    api_ok(rs, json_pack("{s:s, s:s, s:b}", "name", name, "password", pw, "must_change", 1));
    sodium_memzero(pw, sizeof pw);
    return rs->status;
}

/* A new second factor for a user (a lost phone, a first enrolment): the
 * secret is in this reply only, for the administrator to hand over. */
int api_user_totp_reset(api_req *rq, api_resp *rs)
{
    sec_totp_enrolment t;
    rp_error err = RP_ERROR_INIT;
    if (sec_totp_enrol(wh_store(rq->w), wh_keyring(rq->w), rq->param[0], rq->session.user.name, rp_now(), &t, &err))
        return api_fail(rs, &err);
    sec_audit_entry e = { .user = rq->session.user.name, .address = rq->address, .action = "user_totp",
                          .target = rq->param[0], .detail = "a new second factor; the secret shown once" };
    if (api_audit(rq, &e)) {
        sodium_memzero(&t, sizeof t);
        return api_error(rs, 500, "audit", "the second factor was reset, but the audit trail could not be written; "
                         "it has been logged, and the secret is not shown");
    }
    api_ok(rs, json_pack("{s:s, s:s, s:s}", "name", rq->param[0], "secret", t.secret, "uri", t.uri));
    sodium_memzero(&t, sizeof t);
    return rs->status;
}

int api_user_totp_remove(api_req *rq, api_resp *rs)
{
    int had = 0;
    rp_error err = RP_ERROR_INIT;
    if (sec_totp_remove(wh_store(rq->w), rq->param[0], &had, &err))
        return api_fail(rs, &err);
    sec_audit_entry e = { .user = rq->session.user.name, .address = rq->address, .action = "user_totp_remove",
                          .target = rq->param[0], .detail = had ? "removed" : "there was none" };
    if (api_audit(rq, &e))
        return api_error(rs, 500, "audit", "the second factor was removed, but the audit trail could not be written; "
                         "it has been logged");
    return api_ok(rs, json_pack("{s:s, s:b, s:b}", "name", rq->param[0], "totp", 0, "had", had));
}

int api_roles_list(api_req *rq, api_resp *rs)
{
    (void)rq;
    json_t *a = json_array();
    for (int r = 0; r < SEC_NROLES; r++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:o}", "role", sec_role_names[r], "title", sec_role_titles[r],
                                           "permissions", api_permissions((sec_role)r)));
    return api_ok(rs, json_pack("{s:o}", "roles", a));
}

/* ---- tokens for other programs ---- */

int api_tokens_list(api_req *rq, api_resp *rs)
{
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    if (sec_token_list(wh_store(rq->w), rp_now(), &a, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "tokens", a));
}

int api_token_add(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "name", "permissions", "branch", "days", NULL };
    const char *name = NULL, *branch = NULL;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) || rp_json_get_str(rq->body, "body", "name", 1, &name, &err) ||
        rp_json_get_str(rq->body, "body", "branch", 0, &branch, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    json_t *perms = json_object_get(rq->body, "permissions"), *days = json_object_get(rq->body, "days"), *p;
    if (!json_is_array(perms))
        return api_error(rs, 422, "invalid", "body.permissions: a list of permission names");
    if (days && !json_is_integer(days))
        return api_error(rs, 422, "invalid", "body.days: a whole number of days");
    char list[400] = "";
    size_t i, k = 0;
    json_array_foreach(perms, i, p) {
        if (!json_is_string(p) || strlen(json_string_value(p)) > 40)
            return api_error(rs, 422, "invalid", "body.permissions[%zu]: a permission name", i);
        /* one administrator alone gives no program the power to see customers in full (four eyes):
         * such a token is the operator's to make, on the command line */
        if (sec_perm_reveals(sec_perm_parse(json_string_value(p))))
            return api_error(rs, 403, "forbidden", "body.permissions[%zu]: a token that may %s is made by the "
                             "system's operator (rapport token add), not by one administrator alone", i,
                             json_string_value(p));
        k += (size_t)snprintf(list + k, k < sizeof list ? sizeof list - k : 0, "%s%s", k ? " " : "",
                              json_string_value(p));
        if (k >= sizeof list)
            return api_error(rs, 422, "invalid", "body.permissions: too many");
    }
    sec_token_spec t = { .name = name, .permissions = list, .branch = branch,
                         .days = days ? (int)json_integer_value(days) : 90 };
    if (days && (json_integer_value(days) < 1 || json_integer_value(days) > SEC_TOKEN_MAX_DAYS))
        return api_error(rs, 422, "invalid", "body.days: 1 to %d", SEC_TOKEN_MAX_DAYS);
    char token[SEC_API_TOKEN_LEN];
    if (sec_token_add(wh_store(rq->w), &t, rq->session.user.name, rp_now(), token, &err)) {
        if (err.code == RP_INVAL)
            return api_error(rs, 422, "invalid", "body.%s", rp_errmsg(&err));
        return api_fail(rs, &err);
    }
    snprintf(rq->detail, sizeof rq->detail, "%.32s: %.200s", name, list); /* every permission fits (15 names) */
    json_t *all = NULL, *made = NULL;
    if (!sec_token_list(wh_store(rq->w), rp_now(), &all, &err)) {
        json_array_foreach(all, i, p) if (!strcmp(json_string_value(json_object_get(p, "name")), name)) made = p;
    }
    json_t *reply = json_pack("{s:s, s:s, s:o, s:s?, s:s}", "name", name, "token", token, "permissions",
                              made ? json_incref(json_object_get(made, "permissions")) : json_array(), "branch",
                              branch, "expires_at", made ? json_string_value(json_object_get(made, "expires_at")) : "");
    sodium_memzero(token, sizeof token);
    json_decref(all);
    return api_created(rs, reply);
}

int api_token_revoke(api_req *rq, api_resp *rs)
{
    rp_error err = RP_ERROR_INIT;
    snprintf(rq->detail, sizeof rq->detail, "%.100s", rq->param[0]);
    if (sec_token_revoke(wh_store(rq->w), rq->param[0], rq->session.user.name, rp_now(), &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:s, s:b}", "name", rq->param[0], "revoked", 1));
}
