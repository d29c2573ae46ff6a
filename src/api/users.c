/* users.c — users and roles, for administrators; unlocking a user locked by failed sign-ins.  See api.h. */
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
    json_t *a, *enrolled, *u, *n;
    rp_error err = RP_ERROR_INIT;
    if (sec_user_list(wh_store(rq->w), &a, &err))
        return api_fail(rs, &err);
    if (sec_totp_users(wh_store(rq->w), &enrolled, &err)) {
        json_decref(a);
        return api_fail(rs, &err);
    }
    size_t i, j;
    json_array_foreach(a, i, u) {
        int has = 0;
        json_array_foreach(enrolled, j, n) has |= json_equal(n, json_object_get(u, "name"));
        json_object_set_new(u, "totp", json_boolean(has));
    }
    json_decref(enrolled);
    return api_ok(rs, json_pack("{s:o}", "users", a));
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
    const char *roles[SEC_NROLES + 1] = { NULL };
    for (int r = 0; r < SEC_NROLES; r++)
        roles[r] = sec_role_names[r];
    int st;
    if ((st = api_body_max(rs, "name", name, SEC_NAME_MAX)) || (st = api_body_in(rs, "role", role, roles)) ||
        (st = api_body_max(rs, "branch", branch, SEC_BRANCH_MAX)) ||
        (st = api_body_max(rs, "password", pw, SEC_PASSWORD_MAX)))
        return st;
    sec_user u;
    if (sec_user_add(wh_store(rq->w), name, role, branch, pw, rq->session.user.name, &u, &err))
        return api_fail(rs, &err);
    sec_audit_entry e = { .user = rq->session.user.name, .address = rq->address, .action = "user_add",
                          .target = name, .detail = role };
    if (api_audit(rq, &e))
        return api_error(rs, 500, "audit", "the user was added, but the audit trail could not be written; it has been logged");
    return api_created(rs, json_pack("{s:s, s:s, s:s?}", "name", u.name, "role", sec_role_names[u.role], "branch",
                                     u.branch[0] ? u.branch : NULL));
}

int api_user_disable(api_req *rq, api_resp *rs)
{
    int disabled;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_get_bool(rq->body, "body", "disabled", 1, &disabled, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    if (!strcmp(rq->param[0], rq->session.user.name) && disabled)
        return api_error(rs, 409, "conflict", "you cannot disable yourself");
    if (sec_user_disable(wh_store(rq->w), rq->param[0], disabled, rq->session.user.name, &err))
        return api_fail(rs, &err);
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
