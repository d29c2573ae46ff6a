/* campaigns.c — database marketing over the API: offers, campaigns from design to close (the steps
 * of the lifecycle under two permissions: campaigns designs and submits, approve approves, launches,
 * pauses, resumes, closes and rejects; four eyes is the module's own rule), a campaign's results,
 * and a response staff record ("accepted at the counter").  See api.h and marketing.h. */
#include "api/internal.h"
#include "core/json.h"
#include "marketing/marketing.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int api_offers_list(api_req *rq, api_resp *rs)
{
    json_t *list;
    rp_error err = RP_ERROR_INIT;
    if (mk_offer_list(rq->w, &list, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "offers", list));
}

/* An amount in currency units as minor units (two decimals); 0 and a message when it is not one. */
static int money(const json_t *body, const char *key, int64_t *out, api_resp *rs)
{
    json_t *v = json_object_get(body, key);
    if (!v || json_is_null(v))
        return 0;
    double d = json_number_value(v);
    if (!json_is_number(v) || !(d >= 0 && d <= 1e13))
        return api_error(rs, 422, "invalid", "body.%s: an amount of 0 or more", key);
    *out = (int64_t)llround(d * 100);
    return 0;
}

/* PUT /offers/{code}: an offer created or replaced. */
int api_offer_put(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "name", "product", "incentive", "currency", "cost", "value", "eligibility",
                                        "valid_from", "valid_to", NULL };
    mk_offer o = { .code = rq->param[0] };
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) || rp_json_get_str(rq->body, "body", "name", 1, &o.name, &err) ||
        rp_json_get_str(rq->body, "body", "product", 1, &o.product, &err) ||
        rp_json_get_str(rq->body, "body", "incentive", 0, &o.incentive, &err) ||
        rp_json_get_str(rq->body, "body", "currency", 0, &o.currency, &err) ||
        rp_json_get_str(rq->body, "body", "eligibility", 0, &o.eligibility, &err) ||
        rp_json_get_str(rq->body, "body", "valid_from", 0, &o.valid_from, &err) ||
        rp_json_get_str(rq->body, "body", "valid_to", 0, &o.valid_to, &err))
        return api_fail_body(rs, &err, "body");
    int st;
    if ((st = money(rq->body, "cost", &o.cost_minor, rs)) || (st = money(rq->body, "value", &o.value_minor, rs)))
        return st;
    int created = 0, rc = wh_begin(rq->w, &err);
    if (!rc)
        rc = mk_offer_put(rq->w, &o, rq->session.user.name, &created, &err);
    if (!rc)
        rc = wh_commit(rq->w, &err);
    if (rc) {
        wh_rollback(rq->w);
        return api_fail_body(rs, &err, "body");
    }
    json_t *out;
    if (mk_offer_get(rq->w, o.code, &out, &err))
        return api_fail(rs, &err);
    json_object_set_new(out, "created", json_boolean(created));
    return api_ok(rs, out);
}

int api_campaigns_list(api_req *rq, api_resp *rs)
{
    const char *status = api_query(rq, "status");
    static const char *const statuses[] = { "draft", "submitted", "approved", "running", "paused", "closed",
                                            "cancelled", "loaded", NULL };
    char msg[200];
    if (status && !api_one_of(status, statuses, msg, sizeof msg))
        return api_error(rs, 422, "invalid", "status: %s", msg);
    json_t *list;
    rp_error err = RP_ERROR_INIT;
    if (mk_campaign_list(rq->w, status, &list, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "campaigns", list));
}

int api_campaign_get(api_req *rq, api_resp *rs)
{
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    if (mk_campaign_get(rq->w, rq->param[0], &o, &err))
        return api_fail(rs, &err);
    return api_ok(rs, o);
}

/* POST /campaigns: a draft.  The design's members as `rapport campaign create` takes them. */
int api_campaign_create(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "code", "name", "objective", "purpose", "owner", "start_date", "end_date",
                                        "response_deadline", "currency", "rule", "model", "top_deciles", "list",
                                        "policy", "stratify", "control_pct", "seed", "budget", NULL };
    mk_campaign c = { 0 };
    int64_t top = 0, seed = 0;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) || rp_json_get_str(rq->body, "body", "code", 1, &c.code, &err) ||
        rp_json_get_str(rq->body, "body", "name", 1, &c.name, &err) ||
        rp_json_get_str(rq->body, "body", "objective", 1, &c.objective, &err) ||
        rp_json_get_str(rq->body, "body", "purpose", 1, &c.purpose, &err) ||
        rp_json_get_str(rq->body, "body", "owner", 0, &c.owner, &err) ||
        rp_json_get_str(rq->body, "body", "start_date", 0, &c.start_date, &err) ||
        rp_json_get_str(rq->body, "body", "end_date", 0, &c.end_date, &err) ||
        rp_json_get_str(rq->body, "body", "response_deadline", 0, &c.response_deadline, &err) ||
        rp_json_get_str(rq->body, "body", "currency", 0, &c.currency, &err) ||
        rp_json_get_str(rq->body, "body", "rule", 0, &c.rule, &err) ||
        rp_json_get_str(rq->body, "body", "model", 0, &c.model, &err) ||
        rp_json_get_int(rq->body, "body", "top_deciles", 0, &top, &err) ||
        rp_json_get_str(rq->body, "body", "list", 0, &c.list, &err) ||
        rp_json_get_str(rq->body, "body", "policy", 0, &c.policy, &err) ||
        rp_json_get_str(rq->body, "body", "stratify", 0, &c.stratify, &err) ||
        rp_json_get_int(rq->body, "body", "seed", 0, &seed, &err))
        return api_fail_body(rs, &err, "body");
    json_t *pct = json_object_get(rq->body, "control_pct");
    if (pct && !json_is_null(pct)) {
        if (!json_is_number(pct) || !(json_number_value(pct) >= 0 && json_number_value(pct) < 100))
            return api_error(rs, 422, "invalid", "body.control_pct: a percentage from 0 to below 100");
        c.control_pct = json_number_value(pct), c.has_control_pct = 1;
    }
    if (top < 0 || top > 10)
        return api_error(rs, 422, "invalid", "body.top_deciles: 1 to 10");
    c.top_deciles = (int)top;
    if (json_object_get(rq->body, "seed"))
        c.seed = seed, c.has_seed = 1;
    int st = money(rq->body, "budget", &c.budget_minor, rs);
    if (st)
        return st;
    c.has_budget = json_object_get(rq->body, "budget") != NULL;
    if (mk_campaign_create(rq->w, &c, rq->session.user.name, &err))
        return api_fail_body(rs, &err, "body");
    json_t *o;
    if (mk_campaign_get(rq->w, c.code, &o, &err))
        return api_fail(rs, &err);
    return api_created(rs, o);
}

/* POST /campaigns/{code}/{step}: the step is the path's last part. */
int api_campaign_step(api_req *rq, api_resp *rs)
{
    const char *step = strrchr(rq->path, '/') + 1, *note = NULL;
    static const char *const keys[] = { "note", NULL };
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) || rp_json_get_str(rq->body, "body", "note", 0, &note, &err))
        return api_fail_body(rs, &err, "body");
    const char *status;
    if (mk_campaign_act(rq->w, rq->param[0], step, rq->session.user.name, note, &status, &err))
        return api_fail_body(rs, &err, "body");
    return api_ok(rs, json_pack("{s:s, s:s}", "campaign", rq->param[0], "status", status));
}

int api_campaign_results(api_req *rq, api_resp *rs)
{
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    if (mk_results(rq->w, rq->param[0], &o, &err))
        return api_fail(rs, &err);
    return api_ok(rs, o);
}

/* POST /campaigns/{code}/responses: {customer, response, at?, product?, note?} as staff heard it. */
int api_campaign_response(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "customer", "response", "at", "product", "note", NULL };
    mk_response r = { .campaign = rq->param[0], .by = rq->session.user.name };
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_int(rq->body, "body", "customer", 1, &r.customer, &err) ||
        rp_json_get_str(rq->body, "body", "response", 1, &r.response, &err) ||
        rp_json_get_str(rq->body, "body", "at", 0, &r.at, &err) ||
        rp_json_get_str(rq->body, "body", "product", 0, &r.product, &err) ||
        rp_json_get_str(rq->body, "body", "note", 0, &r.note, &err))
        return api_fail_body(rs, &err, "body");
    int rc = wh_begin(rq->w, &err);
    if (!rc)
        rc = mk_response_record(rq->w, &r, &err);
    if (!rc)
        rc = wh_commit(rq->w, &err);
    if (rc) {
        wh_rollback(rq->w);
        if (rc == RP_NOTFOUND && strstr(err.msg, "not a target")) /* the member as the caller named it */
            return api_error(rs, 404, "not_found", "body.customer: customer %lld is not a target of campaign %.40s",
                             (long long)r.customer, r.campaign);
        return api_fail_body(rs, &err, "body");
    }
    rq->customer = r.customer;
    return api_created(rs, json_pack("{s:s, s:I, s:s}", "campaign", r.campaign, "customer", (json_int_t)r.customer,
                                     "response", r.response));
}
