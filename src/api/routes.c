/* routes.c — the route table and its handlers.  See api.h.
 *
 * A handler reads its checked input (path parameters, query, JSON body),
 * calls a domain module and fills the reply; the dispatcher has already
 * signed the caller in, checked the permission and CSRF token, and will
 * write the audit entry of a customer-data route. */
#include "analytics/jobs.h"
#include "api/internal.h"
#include "core/json.h"
#include "core/rtime.h"

#include <sodium.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int api_metrics(api_req *rq, api_resp *rs);
void api_cookie(api_req *rq, api_resp *rs, const char *token, int64_t max_age);
int api_throttled(api_req *rq, const char *user);
void api_login_failed(api_req *rq, const char *user);
void api_login_ok(api_req *rq, const char *user);

static int64_t int_param(const char *s, int64_t min, int64_t max, int *ok)
{
    char *end;
    long long v = s && *s ? strtoll(s, &end, 10) : 0;
    *ok = s && *s && !*end && v >= min && v <= max;
    return v;
}

static json_t *permissions(sec_role r)
{
    json_t *a = json_array();
    for (int p = 0; p < SEC_NPERMS; p++)
        if (sec_can(r, (sec_perm)p))
            json_array_append_new(a, json_string(sec_perm_names[p]));
    return a;
}

static json_t *whoami(const sec_session *s)
{
    return json_pack("{s:s, s:s, s:s, s:s?, s:o, s:s}", "user", s->user.name, "role", sec_role_names[s->user.role],
                     "role_title", sec_role_titles[s->user.role], "branch", s->user.branch[0] ? s->user.branch : NULL,
                     "permissions", permissions(s->user.role), "csrf", s->csrf);
}

/* ---- public ---- */

static int health(api_req *rq, api_resp *rs)
{
    (void)rq;
    return api_ok(rs, json_pack("{s:s}", "status", "ok"));
}

static int openapi(api_req *rq, api_resp *rs)
{
    (void)rq;
    return api_ok(rs, api_openapi());
}

static void audit_login(api_req *rq, const char *user, const char *action, const char *outcome, const char *detail)
{
    sec_audit_entry e = { .user = user, .address = rq->address, .action = action, .target = rq->path,
                          .outcome = outcome, .detail = detail };
    rp_error err = RP_ERROR_INIT;
    if (sec_audit(rq->w->store, &e, &err)) {
        /* the reply still goes out; the server log has the failure */
    }
}

static int login(api_req *rq, api_resp *rs)
{
    const char *name = NULL, *pw = NULL;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_get_str(rq->body, "body", "name", 1, &name, &err) ||
        rp_json_get_str(rq->body, "body", "password", 1, &pw, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    if (strlen(name) > 64)
        return api_error(rs, 422, "invalid", "body.name: at most 64 characters");
    if (api_throttled(rq, name)) {
        audit_login(rq, name, "login_failed", "refused", "too many failed attempts");
        return api_error(rs, 429, "too_many_attempts", "too many failed sign-ins; wait %lld minutes",
                         (long long)(rq->opt->login_window / 60));
    }
    sec_user u;
    if (sec_authenticate(rq->w->store, name, pw, &u, &err)) {
        if (err.code != RP_NOTFOUND)
            return api_fail(rs, &err);
        api_login_failed(rq, name);
        audit_login(rq, name, "login_failed", "refused", NULL);
        return api_error(rs, 401, "unauthenticated", "wrong user name or password");
    }
    sec_session se;
    if (sec_session_new(rq->w->store, &u, rq->address, rp_now(), &se, &err))
        return api_fail(rs, &err);
    api_login_ok(rq, name);
    audit_login(rq, name, "login", "ok", NULL);
    api_cookie(rq, rs, se.token, rq->opt->lifetime_seconds);
    sodium_memzero(se.token, sizeof se.token);
    return api_ok(rs, whoami(&se));
}

/* ---- signed in ---- */

static int session_get(api_req *rq, api_resp *rs) { return api_ok(rs, whoami(&rq->session)); }

static int logout(api_req *rq, api_resp *rs)
{
    const char *cookie = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, "rapport_session");
    rp_error err = RP_ERROR_INIT;
    if (sec_session_end(rq->w->store, cookie, &err))
        return api_fail(rs, &err);
    audit_login(rq, rq->session.user.name, "logout", "ok", NULL);
    api_cookie(rq, rs, "", 0);
    return api_ok(rs, json_pack("{s:b}", "signed_out", 1));
}

/* Branch staff see their own branch's customers only. */
static int branch_allows(const api_req *rq, const char *home_branch)
{
    if (sec_can(rq->session.user.role, SEC_P_ALL_BRANCHES))
        return 1;
    return home_branch && rq->session.user.branch[0] && !strcmp(home_branch, rq->session.user.branch);
}

static int customers_search(api_req *rq, api_resp *rs)
{
    const char *q = api_query(rq, "q");
    if (!q || !*q)
        return api_error(rs, 422, "invalid", "q: what to search for (a name, national ID, phone, account, e-mail)");
    if (strlen(q) > 200)
        return api_error(rs, 422, "invalid", "q: at most 200 bytes");
    snprintf(rq->detail, sizeof rq->detail, "q=%.200s", q);
    rp_error err = RP_ERROR_INIT;
    int64_t id;
    const char *how = NULL;
    json_t *found = NULL;
    int rc = wh_find(rq->w, q, &id, &how, &err);
    if (rc == RP_OK) {
        json_t *doc;
        if ((rc = wh_c360(rq->w, id, 0, &doc, &err)))
            return api_fail(rs, &err);
        json_t *p = json_object_get(doc, "party");
        found = json_pack("[{s:O, s:O, s:O, s:O, s:O, s:O, s:s}]", "id", json_object_get(p, "id"), "name_zh",
                          json_object_get(p, "name_zh"), "name_latin", json_object_get(p, "name_latin"), "birth_date",
                          json_object_get(p, "birth_date"), "home_branch", json_object_get(p, "home_branch"), "status",
                          json_object_get(p, "status"), "matched", how ? how : "key");
        json_decref(doc);
    } else if (rc == RP_NOTFOUND) {
        rp_err_clear(&err);
        if ((rc = wh_search_name(rq->w, q, 50, &found, &err)))
            return api_fail(rs, &err);
    } else {
        return api_fail(rs, &err);
    }
    /* only what this user may see */
    json_t *out = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(found, i, c) if (branch_allows(rq, json_string_value(json_object_get(c, "home_branch"))))
        json_array_append(out, c);
    json_decref(found);
    return api_ok(rs, json_pack("{s:o}", "customers", out));
}

static int customer_doc(api_req *rq, api_resp *rs, int reveal)
{
    int ok;
    int64_t id = int_param(rq->param[0], 1, INT64_MAX, &ok);
    if (!ok)
        return api_error(rs, 404, "not_found", "no customer '%s'", rq->param[0]);
    rq->customer = id;
    if (!wh_party_exists(rq->w, id))
        return api_error(rs, 404, "not_found", "no customer %lld", (long long)id);
    json_t *doc;
    rp_error err = RP_ERROR_INIT;
    if (wh_c360(rq->w, id, reveal ? WH_C360_REVEAL : 0, &doc, &err))
        return api_fail(rs, &err);
    json_t *p = json_object_get(doc, "party");
    rq->customer = json_integer_value(json_object_get(p, "id"));
    if (!branch_allows(rq, json_string_value(json_object_get(p, "home_branch")))) {
        json_decref(doc);
        rq->audit_action = "denied";
        return api_error(rs, 403, "forbidden", "customer %lld belongs to another branch", (long long)id);
    }
    if (!reveal)
        sec_mask_c360(doc, rq->session.user.role);
    return api_ok(rs, doc);
}

static int customer_get(api_req *rq, api_resp *rs) { return customer_doc(rq, rs, 0); }

static int customer_reveal(api_req *rq, api_resp *rs)
{
    const char *reason = NULL;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_get_str(rq->body, "body", "reason", 1, &reason, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    size_t n = strlen(reason);
    while (n && reason[n - 1] == ' ')
        n--;
    if (n < 5)
        return api_error(rs, 422, "invalid", "body.reason: say why the full values are needed (5 characters or more)");
    snprintf(rq->reason, sizeof rq->reason, "%.*s", (int)(n < 255 ? n : 255), reason);
    return customer_doc(rq, rs, 1);
}

static int analyses_list(api_req *rq, api_resp *rs)
{
    const char *job = api_query(rq, "job"), *lim = api_query(rq, "limit");
    int ok = 1;
    int64_t limit = lim ? int_param(lim, 1, 1000, &ok) : 50;
    if (!ok)
        return api_error(rs, 422, "invalid", "limit: a whole number from 1 to 1000");
    json_t *list;
    rp_error err = RP_ERROR_INIT;
    if (an_run_list(rq->w->store, job, (int)limit, &list, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "runs", list));
}

static int analysis_get(api_req *rq, api_resp *rs)
{
    int ok;
    int64_t run = int_param(rq->param[0], 1, INT64_MAX, &ok);
    if (!ok)
        return api_error(rs, 404, "not_found", "no analysis run '%s'", rq->param[0]);
    json_t *sum;
    rp_error err = RP_ERROR_INIT;
    if (an_run_get(rq->w->store, run, &sum, &err))
        return api_fail(rs, &err);
    return api_ok(rs, sum);
}

static int audit_list(api_req *rq, api_resp *rs)
{
    sec_audit_filter f = { .since = api_query(rq, "since"), .until = api_query(rq, "until"),
                           .user = api_query(rq, "user"), .action = api_query(rq, "action") };
    int ok = 1;
    const char *c = api_query(rq, "customer"), *lim = api_query(rq, "limit");
    if (c)
        f.customer = int_param(c, 1, INT64_MAX, &ok);
    if (!ok)
        return api_error(rs, 422, "invalid", "customer: a customer id");
    f.limit = lim ? (int)int_param(lim, 1, 10000, &ok) : 100;
    if (!ok)
        return api_error(rs, 422, "invalid", "limit: a whole number from 1 to 10000");
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    if (sec_audit_query(rq->w->store, &f, &a, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "entries", a));
}

static int users_list(api_req *rq, api_resp *rs)
{
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    if (sec_user_list(rq->w->store, &a, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "users", a));
}

/* ---- the table ---- */

#define ANY (-1)
const api_route api_routes[] = {
    { "GET", "/healthz", health, ANY, API_PUBLIC, NULL, "Liveness: 200 while the server answers" },
    { "GET", "/metrics", api_metrics, ANY, API_PUBLIC | API_TEXT, NULL,
      "Prometheus metrics: requests, latencies, errors, store time" },
    { "GET", "/api/v1/openapi.json", openapi, ANY, API_PUBLIC, NULL, "This API, as OpenAPI 3" },
    { "POST", "/api/v1/session", login, ANY, API_PUBLIC | API_BODY, "login",
      "Sign in with {name, password}: sets the session cookie and returns the CSRF token" },
    { "GET", "/api/v1/session", session_get, ANY, 0, NULL, "Who is signed in, with role, permissions and CSRF token" },
    { "DELETE", "/api/v1/session", logout, ANY, API_CHANGES, "logout", "Sign out" },
    { "GET", "/api/v1/customers", customers_search, SEC_P_SEARCH, API_CUSTOMER, "search",
      "Find customers by national ID, phone, account number, e-mail, source number, or the start of a name (q=)" },
    { "GET", "/api/v1/customers/{id}", customer_get, SEC_P_VIEW, API_CUSTOMER, "view",
      "The customer 360, masked by the viewer's permissions" },
    { "POST", "/api/v1/customers/{id}/reveal", customer_reveal, SEC_P_REVEAL, API_CUSTOMER | API_BODY | API_CHANGES,
      "reveal", "The customer 360 unmasked, with {reason} (audited)" },
    { "GET", "/api/v1/analyses", analyses_list, SEC_P_ANALYSIS, 0, NULL,
      "Analysis runs kept (job=, limit=), newest first" },
    { "GET", "/api/v1/analyses/{run}", analysis_get, SEC_P_ANALYSIS, 0, NULL, "One analysis run's result" },
    { "GET", "/api/v1/audit", audit_list, SEC_P_AUDIT, 0, NULL,
      "The audit trail (since=, until=, user=, action=, customer=, limit=), newest first" },
    { "GET", "/api/v1/users", users_list, SEC_P_USERS, 0, NULL, "Users, their roles and branches" },
};
const int api_nroutes = (int)(sizeof api_routes / sizeof api_routes[0]);

json_t *api_openapi(void)
{
    json_t *paths = json_object();
    for (int i = 0; i < api_nroutes; i++) {
        const api_route *r = &api_routes[i];
        json_t *item = json_object_get(paths, r->pattern);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, r->pattern, item);
        }
        char method[8];
        size_t k = 0;
        for (; r->method[k] && k < sizeof method - 1; k++)
            method[k] = (char)(r->method[k] | 0x20);
        method[k] = 0;
        json_t *params = json_array();
        for (const char *p = strchr(r->pattern, '{'); p; p = strchr(p + 1, '{')) {
            const char *e = strchr(p, '}');
            if (!e)
                break;
            json_array_append_new(params, json_pack("{s:s%, s:s, s:b, s:{s:s}}", "name", p + 1, (size_t)(e - p - 1),
                                                    "in", "path", "required", 1, "schema", "type", "string"));
        }
        if (r->flags & API_CHANGES)
            json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", "X-CSRF-Token", "in",
                                                    "header", "required", 1, "schema", "type", "string"));
        json_t *responses = json_pack("{s:{s:s}}", "200", "description", "OK");
        static const struct { const char *code, *what; } errs[] = {
            { "400", "malformed JSON" }, { "401", "not signed in" }, { "403", "not permitted, or no CSRF token" },
            { "404", "not found" }, { "413", "body too large" }, { "415", "not application/json" },
            { "422", "invalid member" }, { "429", "too many attempts" }, { "500", "server error" },
        };
        for (size_t e = 0; e < sizeof errs / sizeof errs[0]; e++)
            json_object_set_new(responses, errs[e].code, json_pack("{s:s}", "description", errs[e].what));
        json_t *op = json_pack("{s:s, s:s, s:o, s:o}", "summary", r->summary, "operationId", method, "parameters",
                               params, "responses", responses);
        char opid[160];
        snprintf(opid, sizeof opid, "%s %s", r->method, r->pattern);
        json_object_set_new(op, "operationId", json_string(opid));
        if (r->flags & API_PUBLIC)
            json_object_set_new(op, "security", json_array());
        if (r->permission >= 0)
            json_object_set_new(op, "x-permission", json_string(sec_perm_names[r->permission]));
        if (r->flags & API_BODY)
            json_object_set_new(op, "requestBody",
                                json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1, "content", "application/json",
                                          "schema", "type", "object"));
        json_object_set_new(item, method, op);
    }
    return json_pack("{s:s, s:{s:s, s:s}, s:o, s:{s:{s:{s:s, s:s, s:s}}}, s:[{s:[]}]}", "openapi", "3.0.3", "info",
                     "title", "Rapport API", "version", "1", "paths", paths, "components", "securitySchemes",
                     "session", "type", "apiKey", "in", "cookie", "name", "rapport_session", "security", "session");
}
