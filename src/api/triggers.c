/* triggers.c — events and leads over the API: the event feed a core system posts transactions to (a
 * token with the events permission), event rules and their detectors, the leads of the person
 * asking (their own, their branch's, the outbound queue's) and working one, what each rule's leads
 * came to, and a customer's next-best offers.  See api.h and marketing.h. */
#include "api/internal.h"
#include "core/json.h"
#include "marketing/marketing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* POST /events: transactions as they happen, judged now against each account's own history. */
int api_event_feed(api_req *rq, api_resp *rs)
{
    mk_event_opts o = { .via = "feed", .by = rq->session.user.name, .home_currency = rq->opt->home_currency };
    mk_event_stats st;
    json_t *items = json_array();
    rp_error err = RP_ERROR_INIT;
    if (mk_events_feed(rq->w, rq->body, &o, &st, items, &err)) {
        json_decref(items);
        if (err.code == RP_INVAL || err.code == RP_NOTFOUND || err.code == RP_TOOBIG)
            return api_error(rs, 422, "invalid", "body.%s", rp_errmsg(&err));
        return api_fail(rs, &err);
    }
    snprintf(rq->detail, sizeof rq->detail, "%lld transactions, %lld events", (long long)st.read,
             (long long)st.events);
    json_t *out = mk_event_stats_json(&st);
    json_object_set_new(out, "found", items);
    return api_ok(rs, out);
}

int api_event_detectors(api_req *rq, api_resp *rs)
{
    (void)rq;
    return api_ok(rs, json_pack("{s:o}", "detectors", mk_detectors()));
}

int api_event_rules(api_req *rq, api_resp *rs)
{
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    if (mk_event_rule_list(rq->w, &a, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "rules", a));
}

/* PUT /event-rules/{code}: a rule created or replaced; params an object. */
int api_event_rule_put(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "detector", "name_zh", "name_en", "params", "offer", "route", "expires_days",
                                        "priority", "control_pct", "enabled", NULL };
    mk_event_rule r = { .code = rq->param[0], .priority = 50, .enabled = 1 };
    int64_t expires = 0, priority = 50;
    int enabled = 1;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_str(rq->body, "body", "detector", 1, &r.detector, &err) ||
        rp_json_get_str(rq->body, "body", "name_zh", 1, &r.name_zh, &err) ||
        rp_json_get_str(rq->body, "body", "name_en", 1, &r.name_en, &err) ||
        rp_json_get_str(rq->body, "body", "offer", 0, &r.offer, &err) ||
        rp_json_get_str(rq->body, "body", "route", 0, &r.route, &err) ||
        rp_json_get_int(rq->body, "body", "expires_days", 0, &expires, &err) ||
        rp_json_get_int(rq->body, "body", "priority", 0, &priority, &err) ||
        rp_json_get_bool(rq->body, "body", "enabled", 0, &enabled, &err))
        return api_fail_body(rs, &err, "body");
    json_t *p = json_object_get(rq->body, "params"), *pct = json_object_get(rq->body, "control_pct");
    if (p && !json_is_object(p))
        return api_error(rs, 422, "invalid", "body.params: an object is expected");
    if (pct && !json_is_number(pct))
        return api_error(rs, 422, "invalid", "body.control_pct: a number is expected");
    if (expires < 0 || expires > 366 || priority < 0 || priority > 100)
        return api_error(rs, 422, "invalid", "body.%s: out of range", expires < 0 || expires > 366 ? "expires_days"
                                                                                                   : "priority");
    char *params = p ? json_dumps(p, JSON_COMPACT) : NULL;
    r.params = params;
    r.expires_days = (int)expires, r.priority = (int)priority, r.enabled = enabled;
    r.control_pct = pct ? json_number_value(pct) : 0;
    int created = 0, rc = mk_event_rule_put(rq->w, &r, rq->session.user.name, &created, &err);
    free(params);
    if (rc)
        return api_fail_body(rs, &err, "event_rule");
    return api_ok(rs, json_pack("{s:s, s:b}", "code", r.code, "created", created));
}

int api_lead_results(api_req *rq, api_resp *rs)
{
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    if (mk_lead_results(rq->w, &a, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "rules", a));
}

/* ---- leads ---- */

/* May the person asking work this lead: assigned to them, in their branch's queue, the outbound
 * queue for an outbound agent, anything for one who sees every branch. */
static int lead_visible(const api_req *rq, const json_t *l)
{
    const char *queue = json_string_value(json_object_get(l, "queue"));
    const char *to = json_string_value(json_object_get(l, "assigned_to"));
    const char *branch = json_string_value(json_object_get(l, "branch"));
    if (!rq->scope_branch)
        return 1;
    if (to && !strcmp(to, rq->session.user.name))
        return 1;
    if (queue && !strcmp(queue, "branch") && branch && *rq->scope_branch && !strcmp(branch, rq->scope_branch))
        return 1;
    return queue && !strcmp(queue, "outbound") && api_can(rq, SEC_P_DIAL);
}

/* GET /leads?queue=mine|branch|outbound&status=&limit=: the leads of the person asking. */
int api_leads(api_req *rq, api_resp *rs)
{
    const char *queue = api_query(rq, "queue") ? api_query(rq, "queue") : "mine";
    static const char *const queues[] = { "mine", "branch", "outbound", NULL };
    char msg[200];
    if (!api_one_of(queue, queues, msg, sizeof msg))
        return api_error(rs, 422, "invalid", "queue: %s", msg);
    int limit, st;
    if ((st = api_limit(rq, rs, 200, 2000, &limit)))
        return st;
    mk_lead_filter f = { .status = api_query(rq, "status") ? api_query(rq, "status") : "open", .limit = limit };
    if (!strcmp(f.status, "any"))
        f.status = NULL;
    else if (!strcmp(f.status, "control")) /* who is held out is never shown: it would be contacted */
        return api_error(rs, 422, "invalid", "status: the customers held out are not shown (GET /lead-results counts them)");
    if (!strcmp(queue, "mine")) {
        f.manager = rq->session.user.name, f.queue = "manager";
    } else if (!strcmp(queue, "branch")) {
        f.queue = "branch";
        f.branch = rq->scope_branch ? rq->scope_branch : api_query(rq, "branch");
        if (!f.branch || !*f.branch)
            return api_error(rs, 422, "invalid", "branch: %s", rq->scope_branch ? "you belong to no branch"
                                                                              : "which branch (branch=)?");
    } else {
        if (rq->scope_branch && !api_can(rq, SEC_P_DIAL))
            return api_error(rs, 403, "forbidden", "the outbound queue is the outbound agents' and supervisors'");
        f.queue = "outbound";
    }
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    if (mk_lead_list(rq->w, &f, &a, &err))
        return api_fail(rs, &err);
    snprintf(rq->detail, sizeof rq->detail, "leads %s: %zu", queue, json_array_size(a));
    return api_ok(rs, json_pack("{s:s, s:o}", "queue", queue, "leads", a));
}

/* POST /leads/{id}: {outcome: worked|converted|declined, note?}. */
int api_lead_work(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "outcome", "note", NULL };
    char *end;
    long long id = strtoll(rq->param[0], &end, 10);
    if (*end || id <= 0)
        return api_error(rs, 404, "not_found", "no lead %.40s", rq->param[0]);
    const char *outcome, *note = NULL;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_str(rq->body, "body", "outcome", 1, &outcome, &err) ||
        rp_json_get_str(rq->body, "body", "note", 0, &note, &err))
        return api_fail_body(rs, &err, "body");
    json_t *l;
    if (mk_lead_get(rq->w, id, &l, &err))
        return api_fail(rs, &err);
    int visible = lead_visible(rq, l);
    rq->customer = json_integer_value(json_object_get(l, "customer"));
    json_decref(l);
    if (!visible)
        return api_error(rs, 404, "not_found", "no lead %lld", id); /* another's lead is not said to exist */
    if (mk_lead_work(rq->w, id, outcome, note, rq->session.user.name, &err))
        return api_fail_body(rs, &err, "body");
    snprintf(rq->detail, sizeof rq->detail, "lead %lld %s", id, outcome);
    if (mk_lead_get(rq->w, id, &l, &err))
        return api_fail(rs, &err);
    return api_ok(rs, l);
}

/* GET /customers/{id}/events: what the event rules found of the customer. */
int api_customer_events(api_req *rq, api_resp *rs)
{
    int64_t id;
    int st = api_customer_of(rq, rs, 0, &id, NULL);
    if (st)
        return st;
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    if (mk_event_list(rq->w, id, NULL, 50, &a, &err))
        return api_fail(rs, &err);
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e) { /* who is held out is never shown: it would be contacted */
        const char *ls = json_string_value(json_object_get(json_object_get(e, "lead"), "status"));
        if (ls && !strcmp(ls, "control"))
            json_object_set_new(e, "lead", json_null());
    }
    snprintf(rq->detail, sizeof rq->detail, "events");
    return api_ok(rs, json_pack("{s:I, s:o}", "customer", (json_int_t)id, "events", a));
}

/* GET /customers/{id}/offers: the next-best offers, by the selection copy as it stands. */
int api_customer_offers(api_req *rq, api_resp *rs)
{
    int64_t id;
    int st = api_customer_of(rq, rs, 0, &id, NULL);
    if (st)
        return st;
    mk_mart *m = NULL;
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    if (mk_mart_peek(rq->w, NULL, &m, &err))
        return api_fail(rs, &err);
    int rc = mk_next_best(rq->w, m, id, 3, 0, &o, &err);
    mk_mart_close(m);
    if (rc)
        return api_fail(rs, &err);
    snprintf(rq->detail, sizeof rq->detail, "offers");
    return api_ok(rs, o);
}

/* GET /banners?customer=KEY: the banners internet banking shows the customer it names by any key Rapport
 * knows (its own user ID, a customer number, a phone...); each first showing kept. */
int api_banners(api_req *rq, api_resp *rs)
{
    const char *key = api_query(rq, "customer");
    if (!key || !*key)
        return api_error(rs, 422, "invalid", "customer: which customer (any key: internet-banking user ID, ...)?");
    if (strlen(key) > 100)
        return api_error(rs, 422, "invalid", "customer: at most 100 bytes");
    int64_t party;
    const char *how;
    rp_error err = RP_ERROR_INIT;
    int rc = wh_find(rq->w, key, &party, &how, &err);
    if (rc == RP_NOTFOUND)
        return api_error(rs, 404, "not_found", "customer: no customer '%.40s'", key);
    if (rc)
        return api_fail(rs, &err);
    json_t *o;
    if (mk_banners(rq->w, party, rq->session.user.name, &o, &err))
        return api_fail(rs, &err);
    rq->customer = party;
    snprintf(rq->detail, sizeof rq->detail, "banners: %zu", json_array_size(json_object_get(o, "banners")));
    return api_ok(rs, o);
}

/* POST /leads/{id}/assign: {to} an open lead given to another person (supervisors). */
int api_lead_assign(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "to", NULL };
    char *end;
    long long id = strtoll(rq->param[0], &end, 10);
    if (*end || id <= 0)
        return api_error(rs, 404, "not_found", "no lead %.40s", rq->param[0]);
    const char *to;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) || rp_json_get_str(rq->body, "body", "to", 1, &to, &err))
        return api_fail_body(rs, &err, "body");
    json_t *l;
    if (mk_lead_get(rq->w, id, &l, &err))
        return api_fail(rs, &err);
    const char *branch = json_string_value(json_object_get(l, "branch"));
    rq->customer = json_integer_value(json_object_get(l, "customer"));
    int visible = !rq->scope_branch || (branch && !strcmp(branch, rq->scope_branch));
    json_decref(l);
    if (!visible)
        return api_error(rs, 404, "not_found", "no lead %lld", id);
    if (mk_lead_assign(rq->w, id, to, rq->session.user.name, &err))
        return api_fail_body(rs, &err, "body");
    snprintf(rq->detail, sizeof rq->detail, "lead %lld to %.40s", id, to);
    if (mk_lead_get(rq->w, id, &l, &err))
        return api_fail(rs, &err);
    return api_ok(rs, l);
}
