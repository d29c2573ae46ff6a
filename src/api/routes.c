/* routes.c — the route table and its handlers.  See api.h.
 *
 * A handler reads its checked input (path parameters, query, JSON body),
 * calls a domain module and fills the reply; the dispatcher has already
 * signed the caller in, checked the permission and CSRF token, and will
 * write the audit entry of a customer-data route. */
#include "analytics/jobs.h"
#include "etl/load.h"
#include "match/run.h"
#include "match/standard.h"
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

/* limit= of the query, def when absent: 0, or the reply's status (422)
 * when it is not a whole number from 1 to max. */
static int limit_of(api_req *rq, api_resp *rs, int def, int max, int *limit)
{
    const char *lim = api_query(rq, "limit");
    int ok = 1;
    *limit = lim ? (int)int_param(lim, 1, max, &ok) : def;
    return ok ? 0 : api_error(rs, 422, "invalid", "query.limit: a whole number from 1 to %d", max);
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
    if (api_audit(rq, &e)) {
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

/* ---- signed in ---- */

static int session_get(api_req *rq, api_resp *rs) { return api_ok(rs, whoami(&rq->session)); }

static int logout(api_req *rq, api_resp *rs)
{
    const char *cookie = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, "rapport_session");
    rp_error err = RP_ERROR_INIT;
    if (sec_session_end(wh_store(rq->w), cookie, &err))
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
        char alt[256];
        if ((rc = wh_search_name(rq->w, q, mt_pinyin_query(q, alt, sizeof alt) ? alt : NULL, 50, &found, &err)))
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

/* The customer of the path, if this user may see them: 0, or the reply's status. */
static int customer_of(api_req *rq, api_resp *rs, int flags, int64_t *id, json_t **doc)
{
    int ok;
    *id = int_param(rq->param[0], 1, INT64_MAX, &ok);
    if (!ok || !wh_party_exists(rq->w, *id))
        return api_error(rs, 404, "not_found", "no customer '%s'", rq->param[0]);
    rq->customer = *id;
    rp_error err = RP_ERROR_INIT;
    json_t *d;
    if (wh_c360(rq->w, *id, flags, &d, &err))
        return api_fail(rs, &err);
    json_t *p = json_object_get(d, "party");
    *id = rq->customer = json_integer_value(json_object_get(p, "id"));
    if (!branch_allows(rq, json_string_value(json_object_get(p, "home_branch")))) {
        json_decref(d);
        rq->audit_action = "denied";
        return api_error(rs, 403, "forbidden", "customer %lld belongs to another branch", (long long)*id);
    }
    if (doc)
        *doc = d;
    else
        json_decref(d);
    return 0;
}

static int customer_doc(api_req *rq, api_resp *rs, int reveal)
{
    int64_t id;
    json_t *doc;
    int st = customer_of(rq, rs, reveal ? WH_C360_REVEAL : 0, &id, &doc);
    if (st)
        return st;
    if (!reveal)
        sec_mask_c360(doc, rq->session.user.role);
    return api_ok(rs, doc);
}

/* One member of the customer's 360 (their notes, their consents). */
static int customer_part(api_req *rq, api_resp *rs, const char *member, const char *as)
{
    int64_t id;
    json_t *doc;
    int st = customer_of(rq, rs, 0, &id, &doc);
    if (st)
        return st;
    json_t *part = json_incref(json_object_get(doc, member));
    json_decref(doc);
    return api_ok(rs, json_pack("{s:I, s:o}", "customer", (json_int_t)id, as, part));
}

/* The 360 as kept (warehouse.h, the kept 360): one read; the warehouse's eight queries only when none is kept. */
static int customer_get(api_req *rq, api_resp *rs)
{
    int ok;
    int64_t id = int_param(rq->param[0], 1, INT64_MAX, &ok);
    if (ok) {
        char today[RP_DATE_LEN];
        rp_date_format(rp_time_taipei_date(rp_now()), today);
        wh_c360doc d;
        rp_error err = RP_ERROR_INIT;
        int rc = wh_c360doc_read(rq->w, id, sec_can(rq->session.user.role, SEC_P_CONTACTS), today, &d, &err);
        if (rc == RP_OK) {
            rq->customer = id;
            if (!branch_allows(rq, d.home_branch)) {
                wh_c360doc_free(&d);
                rq->audit_action = "denied";
                return api_error(rs, 403, "forbidden", "customer %lld belongs to another branch", (long long)id);
            }
            api_count_doc(rq, 1);
            rs->text = d.json;
            rs->status = 200;
            return 200;
        }
        if (rc != RP_NOTFOUND)
            return api_fail(rs, &err);
    }
    int st = customer_doc(rq, rs, 0);
    if (rq->customer > 0) {
        api_count_doc(rq, 0);
        api_doc_wanted(rq, rq->customer); /* kept from now on */
    }
    return st;
}

/* body.reason, said in 5 characters or more, into rq->reason: 0, or the reply's status. */
static int reason_of(api_req *rq, api_resp *rs, const char *const *keys)
{
    const char *reason = NULL;
    rp_error err = RP_ERROR_INIT;
    if ((keys && rp_json_check_keys(rq->body, "body", keys, &err)) ||
        rp_json_get_str(rq->body, "body", "reason", 1, &reason, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    size_t n = strlen(reason);
    while (n && reason[n - 1] == ' ')
        n--;
    if (n < 5)
        return api_error(rs, 422, "invalid", "body.reason: say why the full values are needed (5 characters or more)");
    snprintf(rq->reason, sizeof rq->reason, "%.*s", (int)(n < 255 ? n : 255), reason);
    return 0;
}

static int customer_reveal(api_req *rq, api_resp *rs)
{
    int st = reason_of(rq, rs, NULL);
    return st ? st : customer_doc(rq, rs, 1);
}

/* A copy of everything kept about the customer, unmasked, as a file: what a
 * customer who asks for their data receives.  Audited as "export". */
static int customer_export(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "reason", NULL };
    int st = reason_of(rq, rs, keys);
    if (st)
        return st;
    int64_t id;
    json_t *doc;
    if ((st = customer_of(rq, rs, WH_C360_REVEAL | WH_C360_ALL, &id, &doc)))
        return st;
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    json_object_set_new(doc, "export",
                        json_pack("{s:s, s:s, s:s, s:s}", "at", now, "by", rq->session.user.name, "reason", rq->reason,
                                  "format", "rapport customer export 1"));
    snprintf(rq->detail, sizeof rq->detail, "%zu transactions, %zu interactions, %zu contact points",
             json_array_size(json_object_get(doc, "transactions")),
             json_array_size(json_object_get(doc, "interactions")),
             json_array_size(json_object_get(doc, "contact_points")));
    snprintf(rs->attachment, sizeof rs->attachment, "customer-%lld.json", (long long)id);
    return api_ok(rs, doc);
}

static int analyses_list(api_req *rq, api_resp *rs)
{
    const char *job = api_query(rq, "job");
    int limit, st;
    if ((st = limit_of(rq, rs, 50, 1000, &limit)))
        return st;
    json_t *list;
    rp_error err = RP_ERROR_INIT;
    if (an_run_list(wh_store(rq->w), job, (int)limit, &list, &err))
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
    if (an_run_get(wh_store(rq->w), run, &sum, &err))
        return api_fail(rs, &err);
    return api_ok(rs, sum);
}

static int audit_list(api_req *rq, api_resp *rs)
{
    sec_audit_filter f = { .since = api_query(rq, "since"), .until = api_query(rq, "until"),
                           .user = api_query(rq, "user"), .action = api_query(rq, "action") };
    int ok = 1;
    const char *c = api_query(rq, "customer");
    if (c)
        f.customer = int_param(c, 1, INT64_MAX, &ok);
    if (!ok)
        return api_error(rs, 422, "invalid", "customer: a customer id");
    int st;
    if ((st = limit_of(rq, rs, 100, 10000, &f.limit)))
        return st;
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    /* everything written so far, including what the journal still holds */
    if (api_audit_flush(rq, &err) || sec_audit_query(wh_store(rq->w), &f, &a, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "entries", a));
}

static int users_list(api_req *rq, api_resp *rs)
{
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    if (sec_user_list(wh_store(rq->w), &a, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "users", a));
}


/* ---- a customer's notes, contacts and consents ---- */

static int notes_list(api_req *rq, api_resp *rs) { return customer_part(rq, rs, "interactions", "notes"); }

static int note_add(api_req *rq, api_resp *rs)
{
    int64_t id;
    int st = customer_of(rq, rs, 0, &id, NULL);
    if (st)
        return st;
    static const char *const keys[] = { "text", "channel", "direction", "reason", "outcome", "follow_up_on", NULL };
    rp_error err = RP_ERROR_INIT;
    wh_interaction in = { .party_id = id, .channel = "branch", .direction = "inbound",
                          .staff = rq->session.user.name, .created_by = rq->session.user.name };
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_str(rq->body, "body", "text", 1, &in.notes, &err) ||
        rp_json_get_str(rq->body, "body", "channel", 0, &in.channel, &err) ||
        rp_json_get_str(rq->body, "body", "direction", 0, &in.direction, &err) ||
        rp_json_get_str(rq->body, "body", "reason", 0, &in.reason, &err) ||
        rp_json_get_str(rq->body, "body", "outcome", 0, &in.outcome, &err) ||
        rp_json_get_str(rq->body, "body", "follow_up_on", 0, &in.follow_up_on, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    if (!*in.notes || strlen(in.notes) > 8000)
        return api_error(rs, 422, "invalid", "body.text: 1 to 8000 bytes");
    int64_t nid;
    if (wh_interaction_add(rq->w, &in, &nid, &err))
        return api_fail(rs, &err);
    snprintf(rq->detail, sizeof rq->detail, "note %lld", (long long)nid);
    rs->status = 201;
    rs->json = json_pack("{s:I, s:I}", "note", (json_int_t)nid, "customer", (json_int_t)id);
    return 201;
}

/* Contact values of a change as this viewer may see them. */
static void mask_change(json_t *c, int show)
{
    const char *field = json_string_value(json_object_get(c, "field"));
    const char *what = json_string_value(json_object_get(c, "what"));
    if (show || !field || !what || strcmp(what, "contact"))
        return;
    static const char *const members[] = { "old_value", "new_value" };
    for (int i = 0; i < 2; i++) {
        const char *v = json_string_value(json_object_get(c, members[i]));
        if (!v)
            continue;
        char m[300];
        if (!strncmp(field, "email", 5))
            sec_mask_email(v, m, sizeof m);
        else if (!strncmp(field, "address", 7))
            sec_mask_address(v, m, sizeof m);
        else
            sec_mask_phone(v, m, sizeof m);
        json_object_set_new(c, members[i], json_string(m));
    }
}

static int changes_list(api_req *rq, api_resp *rs)
{
    int64_t id;
    int st = customer_of(rq, rs, 0, &id, NULL);
    if (st)
        return st;
    const char *what = api_query(rq, "what");
    if (what && strcmp(what, "contact") && strcmp(what, "preference"))
        return api_error(rs, 422, "invalid", "query.what: contact or preference, not '%.40s'", what);
    int limit;
    if ((st = limit_of(rq, rs, 200, 1000, &limit)))
        return st;
    json_t *arr;
    rp_error err = RP_ERROR_INIT;
    if (wh_changes(rq->w, id, what, (int)limit, &arr, &err))
        return api_fail(rs, &err);
    int show = sec_can(rq->session.user.role, SEC_P_CONTACTS);
    size_t i;
    json_t *c;
    json_array_foreach(arr, i, c) mask_change(c, show);
    return api_ok(rs, json_pack("{s:I, s:o}", "customer", (json_int_t)id, "changes", arr));
}

static int contact_change(api_req *rq, api_resp *rs)
{
    int64_t id;
    int st = customer_of(rq, rs, 0, &id, NULL);
    if (st)
        return st;
    static const char *const keys[] = { "kind", "purpose", "value", "postal_code", "reason", NULL };
    rp_error err = RP_ERROR_INIT;
    const char *reason = NULL;
    wh_contact c = { .purpose = "home", .primary = 1, .source = "branch" };
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_str(rq->body, "body", "kind", 1, &c.kind, &err) ||
        rp_json_get_str(rq->body, "body", "value", 1, &c.value, &err) ||
        rp_json_get_str(rq->body, "body", "purpose", 0, &c.purpose, &err) ||
        rp_json_get_str(rq->body, "body", "postal_code", 0, &c.postal_code, &err) ||
        rp_json_get_str(rq->body, "body", "reason", 0, &reason, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    static const char *const kinds[] = { "mobile", "phone", "fax", "email", "address" };
    static const char *const purposes[] = { "home", "work", "mail", "other" };
    int known = 0, purpose_known = 0;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        known |= !strcmp(c.kind, kinds[i]);
    for (size_t i = 0; i < sizeof purposes / sizeof purposes[0]; i++)
        purpose_known |= !strcmp(c.purpose, purposes[i]);
    if (!known)
        return api_error(rs, 422, "invalid", "body.kind: one of mobile, phone, fax, email, address");
    if (!purpose_known)
        return api_error(rs, 422, "invalid", "body.purpose: one of home, work, mail, other");
    if (strlen(c.value) > 250)
        return api_error(rs, 422, "invalid", "body.value: at most 250 bytes");
    if (reason && strlen(reason) > 250)
        return api_error(rs, 422, "invalid", "body.reason: at most 250 bytes");
    int outcome;
    char *old = NULL;
    int rc = rp_store_begin(wh_store(rq->w), &err);
    if (!rc)
        rc = wh_contact_change(rq->w, id, &c, rq->session.user.name, reason, &old, &outcome, &err);
    if (!rc)
        rc = rp_store_commit(wh_store(rq->w), &err);
    if (rc) {
        rp_store_rollback(wh_store(rq->w));
        if (!strncmp(rp_errmsg(&err), "contact.value: ", 15))
            return api_error(rs, 422, "invalid", "body.value: %s", rp_errmsg(&err) + 15);
        return api_fail(rs, &err);
    }
    snprintf(rq->detail, sizeof rq->detail, "%s %s: %.100s -> %.100s", c.kind, c.purpose, old ? old : "(none)",
             c.value);
    if (reason)
        snprintf(rq->reason, sizeof rq->reason, "%.250s", reason);
    rq->audit_action = "change";
    json_t *out = json_pack("{s:I, s:s, s:s, s:s?, s:s, s:s}", "customer", (json_int_t)id, "kind", c.kind, "purpose",
                            c.purpose, "replaced", old, "outcome", outcome == WH_UNCHANGED ? "unchanged" : "changed",
                            "changed_by", rq->session.user.name);
    free(old);
    return api_ok(rs, out);
}

static int preferences_reply(api_req *rq, api_resp *rs, int64_t id)
{
    json_t *prefs, *hist;
    rp_error err = RP_ERROR_INIT;
    if (wh_preferences(rq->w, id, &prefs, &err))
        return api_fail(rs, &err);
    if (wh_changes(rq->w, id, "preference", 200, &hist, &err)) {
        json_decref(prefs);
        return api_fail(rs, &err);
    }
    return api_ok(rs, json_pack("{s:I, s:o, s:o}", "customer", (json_int_t)id, "preferences", prefs, "history", hist));
}

static int preferences_get(api_req *rq, api_resp *rs)
{
    int64_t id;
    int st = customer_of(rq, rs, 0, &id, NULL);
    return st ? st : preferences_reply(rq, rs, id);
}

/* Set or clear (null) any of language, channel, hours and days, in one transaction. */
static int preferences_set(api_req *rq, api_resp *rs)
{
    int64_t id;
    int st = customer_of(rq, rs, 0, &id, NULL);
    if (st)
        return st;
    static const char *const keys[] = { "language", "channel", "hours", "days", "reason", NULL };
    rp_error err = RP_ERROR_INIT;
    const char *reason = NULL;
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_str(rq->body, "body", "reason", 0, &reason, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    if (reason && strlen(reason) > 250)
        return api_error(rs, 422, "invalid", "body.reason: at most 250 bytes");
    int named = 0;
    for (int i = 0; wh_preference_names[i]; i++) {
        json_t *v = json_object_get(rq->body, wh_preference_names[i]);
        if (v && !json_is_string(v) && !json_is_null(v))
            return api_error(rs, 422, "invalid", "body.%s: a string, or null to clear it", wh_preference_names[i]);
        named += v != NULL;
    }
    if (!named)
        return api_error(rs, 422, "invalid", "body: name at least one of language, channel, hours, days");
    int rc = rp_store_begin(wh_store(rq->w), &err);
    size_t dl = 0;
    rq->detail[0] = 0;
    for (int i = 0; wh_preference_names[i] && !rc; i++) {
        json_t *v = json_object_get(rq->body, wh_preference_names[i]);
        int changed = 0;
        if (v)
            rc = wh_preference_set(rq->w, id, wh_preference_names[i], json_string_value(v), rq->session.user.name,
                                   reason, &changed, &err);
        if (!rc && changed && dl < sizeof rq->detail)
            dl += (size_t)snprintf(rq->detail + dl, sizeof rq->detail - dl, "%s%s: %.60s", dl ? "; " : "",
                                   wh_preference_names[i], json_is_null(v) ? "(cleared)" : json_string_value(v));
    }
    if (!rc)
        rc = rp_store_commit(wh_store(rq->w), &err);
    if (rc) {
        rp_store_rollback(wh_store(rq->w));
        if (!strncmp(rp_errmsg(&err), "preferences.", 12))
            return api_error(rs, 422, "invalid", "body.%s", rp_errmsg(&err) + 12);
        return api_fail(rs, &err);
    }
    if (!rq->detail[0])
        snprintf(rq->detail, sizeof rq->detail, "unchanged");
    if (reason)
        snprintf(rq->reason, sizeof rq->reason, "%.250s", reason);
    rq->audit_action = "change";
    return preferences_reply(rq, rs, id);
}

/* Whether the customer may be contacted for a purpose on a channel now
 * (warehouse.h: wh_contactable); without a channel, on each channel. */
static int contactable(api_req *rq, api_resp *rs)
{
    int64_t id;
    int st = customer_of(rq, rs, 0, &id, NULL);
    if (st)
        return st;
    static const char *const channels[] = { "phone", "sms", "email", "mail", "app" };
    const char *purpose = api_query(rq, "purpose"), *channel = api_query(rq, "channel");
    json_t *all = json_array();
    rp_error err = RP_ERROR_INIT;
    int64_t now = rp_now();
    size_t dl = 0;
    rq->detail[0] = 0;
    for (size_t i = 0; i < (channel ? 1 : sizeof channels / sizeof channels[0]); i++) {
        json_t *out;
        int rc = wh_contactable(rq->w, id, purpose ? purpose : "marketing", channel ? channel : channels[i], now,
                                &out, &err);
        if (rc) {
            json_decref(all);
            return rc == RP_INVAL ? api_error(rs, 422, "invalid", "query.%s", rp_errmsg(&err)) : api_fail(rs, &err);
        }
        if (dl < sizeof rq->detail)
            dl += (size_t)snprintf(rq->detail + dl, sizeof rq->detail - dl, "%s%s by %s: %s", dl ? "; " : "",
                                   json_string_value(json_object_get(out, "purpose")),
                                   json_string_value(json_object_get(out, "channel")),
                                   json_is_true(json_object_get(out, "allowed")) ? "yes" : "no");
        json_array_append_new(all, out);
    }
    if (channel) {
        json_t *one = json_incref(json_array_get(all, 0));
        json_decref(all);
        return api_ok(rs, one);
    }
    return api_ok(rs, json_pack("{s:I, s:s, s:o}", "customer", (json_int_t)id, "purpose", purpose ? purpose : "marketing",
                                "channels", all));
}

/* The latest analysis scores: value level, pyramid level, RFM cell, CLV, segments. */
static int scores_get(api_req *rq, api_resp *rs)
{
    int64_t id;
    int st = customer_of(rq, rs, 0, &id, NULL);
    if (st)
        return st;
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    if (wh_scores(rq->w, id, &a, &err))
        return api_fail(rs, &err);
    snprintf(rq->detail, sizeof rq->detail, "scores");
    return api_ok(rs, json_pack("{s:I, s:o}", "customer", (json_int_t)id, "scores", a));
}

/* The consents in force, and every consent ever recorded (newest first). */
static int consents_get(api_req *rq, api_resp *rs)
{
    int64_t id;
    json_t *doc;
    int st = customer_of(rq, rs, 0, &id, &doc);
    if (st)
        return st;
    json_t *now = json_incref(json_object_get(doc, "consents")), *hist;
    json_decref(doc);
    rp_error err = RP_ERROR_INIT;
    if (wh_consent_history(rq->w, id, &hist, &err)) {
        json_decref(now);
        return api_fail(rs, &err);
    }
    return api_ok(rs, json_pack("{s:I, s:o, s:o}", "customer", (json_int_t)id, "consents", now, "history", hist));
}

static int consent_set(api_req *rq, api_resp *rs)
{
    int64_t id;
    int st = customer_of(rq, rs, 0, &id, NULL);
    if (st)
        return st;
    static const char *const keys[] = { "purpose", "channel", "granted", "evidence", "effective_at", NULL };
    rp_error err = RP_ERROR_INIT;
    wh_consent c = { .party_id = id, .channel = "any", .recorded_by = rq->session.user.name };
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_str(rq->body, "body", "purpose", 1, &c.purpose, &err) ||
        rp_json_get_str(rq->body, "body", "channel", 0, &c.channel, &err) ||
        rp_json_get_bool(rq->body, "body", "granted", 1, &c.granted, &err) ||
        rp_json_get_str(rq->body, "body", "evidence", 1, &c.evidence, &err) ||
        rp_json_get_str(rq->body, "body", "effective_at", 0, &c.effective_at, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    if (!*c.evidence)
        return api_error(rs, 422, "invalid", "body.evidence: how the customer gave or withdrew consent");
    if (wh_consent_set(rq->w, &c, &err))
        return api_fail(rs, &err);
    snprintf(rq->detail, sizeof rq->detail, "%s/%s %s", c.purpose, c.channel, c.granted ? "granted" : "withdrawn");
    rq->audit_action = "change";
    return consents_get(rq, rs);
}

/* ---- loading ---- */

static int jobs_list(api_req *rq, api_resp *rs)
{
    const char *status = api_query(rq, "status");
    int limit, st;
    if ((st = limit_of(rq, rs, 50, 10000, &limit)))
        return st;
    if (status && strcmp(status, "running") && strcmp(status, "done") && strcmp(status, "failed"))
        return api_error(rs, 422, "invalid", "status: running, done or failed");
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    if (ld_jobs_list(rq->w, status, 0, (int)limit, &a, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "jobs", a));
}

static int job_get(api_req *rq, api_resp *rs)
{
    int ok;
    int64_t id = int_param(rq->param[0], 1, INT64_MAX, &ok);
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    if (!ok)
        return api_error(rs, 404, "not_found", "no job '%s'", rq->param[0]);
    if (ld_jobs_list(rq->w, NULL, id, 1, &a, &err))
        return api_fail(rs, &err);
    if (!json_array_size(a)) {
        json_decref(a);
        return api_error(rs, 404, "not_found", "no job %lld", (long long)id);
    }
    json_t *j = json_incref(json_array_get(a, 0));
    json_decref(a);
    return api_ok(rs, j);
}

static int rejects_list(api_req *rq, api_resp *rs)
{
    const char *job = api_query(rq, "job"), *status = api_query(rq, "status");
    int ok = 1;
    int64_t j = job ? int_param(job, 1, INT64_MAX, &ok) : 0;
    if (!ok)
        return api_error(rs, 422, "invalid", "job: a job number");
    int limit, st;
    if ((st = limit_of(rq, rs, 1000, 10000, &limit)))
        return st;
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    if (ld_rejects_list(rq->w, j, api_query(rq, "rule"), status ? status : "open", (int)limit, &a, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "rejects", a));
}

/* ---- who is who: the pairs a person decides ---- */

static int matches_list(api_req *rq, api_resp *rs)
{
    int limit, st;
    if ((st = limit_of(rq, rs, 100, 10000, &limit)))
        return st;
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    if (mt_review_list(rq->w, (int)limit, &a, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "pairs", a));
}

static int match_decide(api_req *rq, api_resp *rs)
{
    int ok;
    int64_t pair = int_param(rq->param[0], 1, INT64_MAX, &ok);
    if (!ok)
        return api_error(rs, 404, "not_found", "no pair '%s'", rq->param[0]);
    static const char *const keys[] = { "accept", "note", NULL };
    int accept;
    const char *note = NULL;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_bool(rq->body, "body", "accept", 1, &accept, &err) ||
        rp_json_get_str(rq->body, "body", "note", 0, &note, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    if (note && strlen(note) > 1000)
        return api_error(rs, 422, "invalid", "body.note: at most 1000 bytes");
    if (mt_decide(rq->w, pair, accept, rq->session.user.name, note, &err))
        return api_fail(rs, &err);
    char target[32];
    snprintf(target, sizeof target, "pair %lld", (long long)pair);
    sec_audit_entry e = { .user = rq->session.user.name, .address = rq->address,
                          .action = accept ? "match_accept" : "match_reject", .target = target, .reason = note };
    if (api_audit(rq, &e))
        return api_error(rs, 500, "audit", "the decision was kept, but the audit trail could not be written; it has been logged");
    return api_ok(rs, json_pack("{s:I, s:s, s:s}", "pair", (json_int_t)pair, "status", accept ? "accepted" : "rejected",
                                "applied", "at the next matching run"));
}

/* ---- users and roles ---- */

static int user_add(api_req *rq, api_resp *rs)
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
    sec_user u;
    if (sec_user_add(wh_store(rq->w), name, role, branch, pw, rq->session.user.name, &u, &err))
        return api_fail(rs, &err);
    sec_audit_entry e = { .user = rq->session.user.name, .address = rq->address, .action = "user_add",
                          .target = name, .detail = role };
    if (api_audit(rq, &e))
        return api_error(rs, 500, "audit", "the user was added, but the audit trail could not be written; it has been logged");
    rs->status = 201;
    rs->json = json_pack("{s:s, s:s, s:s?}", "name", u.name, "role", sec_role_names[u.role], "branch",
                         u.branch[0] ? u.branch : NULL);
    return 201;
}

static int user_disable(api_req *rq, api_resp *rs)
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

static int roles_list(api_req *rq, api_resp *rs)
{
    (void)rq;
    json_t *a = json_array();
    for (int r = 0; r < SEC_NROLES; r++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:o}", "role", sec_role_names[r], "title", sec_role_titles[r],
                                           "permissions", permissions((sec_role)r)));
    return api_ok(rs, json_pack("{s:o}", "roles", a));
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
      "Find customers by national ID, phone, account number, e-mail, source number, or any part of a name, Chinese or romanised (q=)" },
    { "GET", "/api/v1/customers/{id}", customer_get, SEC_P_VIEW, API_CUSTOMER, "view",
      "The customer 360, masked by the viewer's permissions" },
    { "POST", "/api/v1/customers/{id}/reveal", customer_reveal, SEC_P_REVEAL, API_CUSTOMER | API_BODY | API_CHANGES,
      "reveal", "The customer 360 unmasked, with {reason} (audited)" },
    { "GET", "/api/v1/customers/{id}/notes", notes_list, SEC_P_VIEW, API_CUSTOMER, "view",
      "The customer's contact history, latest first" },
    { "POST", "/api/v1/customers/{id}/notes", note_add, SEC_P_NOTE, API_CUSTOMER | API_BODY | API_CHANGES, "note",
      "Add to the contact history: {text, channel, direction, reason, outcome, follow_up_on}" },
    { "PUT", "/api/v1/customers/{id}/contacts", contact_change, SEC_P_EDIT, API_CUSTOMER | API_BODY | API_CHANGES,
      "change", "Change a phone, e-mail or address: {kind, purpose, value}; the old one is kept, closed" },
    { "GET", "/api/v1/customers/{id}/changes", changes_list, SEC_P_VIEW, API_CUSTOMER, "view",
      "Changes people made to the customer's contact points and preferences: who, when, old and new (what=, limit=)" },
    { "GET", "/api/v1/customers/{id}/preferences", preferences_get, SEC_P_VIEW, API_CUSTOMER, "view",
      "Contact preferences (language, channel, hours, days) and their history" },
    { "PUT", "/api/v1/customers/{id}/preferences", preferences_set, SEC_P_EDIT, API_CUSTOMER | API_BODY | API_CHANGES,
      "change", "Set preferences ({language, channel, hours, days}: a string, or null to clear; reason)" },
    { "GET", "/api/v1/customers/{id}/contactable", contactable, SEC_P_VIEW, API_CUSTOMER, "view",
      "May the customer be contacted now: purpose=marketing (default), profiling, third_party, cross_group, "
      "research or service; channel=phone, sms, email, mail or app (default: each)" },
    { "POST", "/api/v1/customers/{id}/export", customer_export, SEC_P_EXPORT,
      API_CUSTOMER | API_BODY | API_CHANGES, "export",
      "All data kept about the customer, unmasked, as a file ({reason}); audited" },
    { "GET", "/api/v1/customers/{id}/scores", scores_get, SEC_P_VIEW, API_CUSTOMER, "view",
      "The customer's latest analysis scores: value decile and pyramid level, RFM cell, lifetime value, segments" },
    { "GET", "/api/v1/customers/{id}/consents", consents_get, SEC_P_CONSENT_READ, API_CUSTOMER, "view",
      "The customer's consents in force, by purpose and channel" },
    { "PUT", "/api/v1/customers/{id}/consents", consent_set, SEC_P_CONSENT_WRITE,
      API_CUSTOMER | API_BODY | API_CHANGES, "change",
      "Give or withdraw a consent: {purpose, channel, granted, evidence}" },
    { "GET", "/api/v1/jobs", jobs_list, SEC_P_ETL, 0, NULL, "Load jobs, newest first (status=, limit=)" },
    { "GET", "/api/v1/jobs/{id}", job_get, SEC_P_ETL, 0, NULL, "One load job, with its counts rule by rule" },
    { "GET", "/api/v1/rejects", rejects_list, SEC_P_ETL, 0, NULL,
      "Rejected records (job=, rule=, status= open by default, limit=)" },
    { "GET", "/api/v1/matches", matches_list, SEC_P_ETL, 0, NULL,
      "Pairs of source records waiting for a person to say whether they are one customer, most likely first (limit=)" },
    { "POST", "/api/v1/matches/{pair}/decision", match_decide, SEC_P_ETL, API_BODY | API_CHANGES, NULL,
      "Decide a pair: {accept: true|false, note}; the next matching run applies it (audited)" },
    { "GET", "/api/v1/analyses", analyses_list, SEC_P_ANALYSIS, 0, NULL,
      "Analysis runs kept (job=, limit=), newest first" },
    { "GET", "/api/v1/analyses/{run}", analysis_get, SEC_P_ANALYSIS, 0, NULL, "One analysis run's result" },
    { "GET", "/api/v1/audit", audit_list, SEC_P_AUDIT, API_WRITES, NULL,
      "The audit trail (since=, until=, user=, action=, customer=, limit=), newest first" },
    { "GET", "/api/v1/users", users_list, SEC_P_USERS, 0, NULL, "Users, their roles and branches" },
    { "POST", "/api/v1/users", user_add, SEC_P_USERS, API_BODY | API_CHANGES, NULL,
      "Add a user: {name, role, branch, password}" },
    { "PUT", "/api/v1/users/{name}/disabled", user_disable, SEC_P_USERS, API_BODY | API_CHANGES, NULL,
      "Disable a user at once (their sessions end), or enable them: {disabled}" },
    { "GET", "/api/v1/roles", roles_list, ANY, 0, NULL, "The roles and the permission matrix" },
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
