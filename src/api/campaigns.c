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

/* The design's members of a body, as `rapport campaign create|set` take them: required ones when creating. */
static int design_of(api_req *rq, api_resp *rs, mk_campaign *c, int creating)
{
    static const char *const keys[] = { "code", "name", "objective", "purpose", "owner", "start_date", "end_date",
                                        "response_deadline", "currency", "rule", "model", "top_deciles", "list",
                                        "policy", "stratify", "control_pct", "seed", "budget", NULL };
    static const char *const set_keys[] = { "name", "objective", "purpose", "owner", "start_date", "end_date",
                                            "response_deadline", "currency", "rule", "model", "top_deciles", "list",
                                            "policy", "stratify", "control_pct", "seed", "budget", NULL };
    int64_t top = 0, seed = 0;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", creating ? keys : set_keys, &err) ||
        (creating && rp_json_get_str(rq->body, "body", "code", 1, &c->code, &err)) ||
        rp_json_get_str(rq->body, "body", "name", creating, &c->name, &err) ||
        rp_json_get_str(rq->body, "body", "objective", creating, &c->objective, &err) ||
        rp_json_get_str(rq->body, "body", "purpose", creating, &c->purpose, &err) ||
        rp_json_get_str(rq->body, "body", "owner", 0, &c->owner, &err) ||
        rp_json_get_str(rq->body, "body", "start_date", 0, &c->start_date, &err) ||
        rp_json_get_str(rq->body, "body", "end_date", 0, &c->end_date, &err) ||
        rp_json_get_str(rq->body, "body", "response_deadline", 0, &c->response_deadline, &err) ||
        rp_json_get_str(rq->body, "body", "currency", 0, &c->currency, &err) ||
        rp_json_get_str(rq->body, "body", "rule", 0, &c->rule, &err) ||
        rp_json_get_str(rq->body, "body", "model", 0, &c->model, &err) ||
        rp_json_get_int(rq->body, "body", "top_deciles", 0, &top, &err) ||
        rp_json_get_str(rq->body, "body", "list", 0, &c->list, &err) ||
        rp_json_get_str(rq->body, "body", "policy", 0, &c->policy, &err) ||
        rp_json_get_str(rq->body, "body", "stratify", 0, &c->stratify, &err) ||
        rp_json_get_int(rq->body, "body", "seed", 0, &seed, &err))
        return api_fail_body(rs, &err, "body");
    json_t *pct = json_object_get(rq->body, "control_pct");
    if (pct && !json_is_null(pct)) {
        if (!json_is_number(pct) || !(json_number_value(pct) >= 0 && json_number_value(pct) < 100))
            return api_error(rs, 422, "invalid", "body.control_pct: a percentage from 0 to below 100");
        c->control_pct = json_number_value(pct), c->has_control_pct = 1;
    }
    if (top < 0 || top > 10)
        return api_error(rs, 422, "invalid", "body.top_deciles: 1 to 10");
    c->top_deciles = (int)top;
    if (json_object_get(rq->body, "seed"))
        c->seed = seed, c->has_seed = 1;
    int st = money(rq->body, "budget", &c->budget_minor, rs);
    if (st)
        return st;
    c->has_budget = json_object_get(rq->body, "budget") != NULL;
    return 0;
}

/* POST /campaigns: a draft.  The design's members as `rapport campaign create` takes them. */
int api_campaign_create(api_req *rq, api_resp *rs)
{
    mk_campaign c = { 0 };
    int st = design_of(rq, rs, &c, 1);
    if (st)
        return st;
    rp_error err = RP_ERROR_INIT;
    if (mk_campaign_create(rq->w, &c, rq->session.user.name, &err))
        return api_fail_body(rs, &err, "body");
    json_t *o;
    if (mk_campaign_get(rq->w, c.code, &o, &err))
        return api_fail(rs, &err);
    return api_created(rs, o);
}

/* PATCH /campaigns/{code}: a draft's design changed, the members given (an empty text clears one). */
int api_campaign_update(api_req *rq, api_resp *rs)
{
    mk_campaign c = { .code = rq->param[0] };
    int st = design_of(rq, rs, &c, 0);
    if (st)
        return st;
    rp_error err = RP_ERROR_INIT;
    if (mk_campaign_update(rq->w, &c, rq->session.user.name, &err))
        return api_fail_body(rs, &err, "body");
    json_t *o;
    if (mk_campaign_get(rq->w, c.code, &o, &err))
        return api_fail(rs, &err);
    return api_ok(rs, o);
}

/* PUT /campaigns/{code}/cells/{cell}: {offer, channel, share?, cap?, message?}; DELETE removes it. */
int api_campaign_cell_put(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "offer", "channel", "share", "cap", "message", NULL };
    mk_cell c = { .campaign = rq->param[0], .cell = rq->param[1] };
    int64_t cap = 0;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) || rp_json_get_str(rq->body, "body", "offer", 1, &c.offer, &err) ||
        rp_json_get_str(rq->body, "body", "channel", 1, &c.channel, &err) ||
        rp_json_get_str(rq->body, "body", "message", 0, &c.message, &err) ||
        rp_json_get_int(rq->body, "body", "cap", 0, &cap, &err))
        return api_fail_body(rs, &err, "body");
    json_t *share = json_object_get(rq->body, "share");
    if (share && (!json_is_number(share) || !(json_number_value(share) > 0 && json_number_value(share) <= 1e6)))
        return api_error(rs, 422, "invalid", "body.share: a weight above 0");
    if (cap < 0)
        return api_error(rs, 422, "invalid", "body.cap: 0 (none) or more");
    c.share = share ? json_number_value(share) : 0, c.cap = cap;
    if (mk_cell_put(rq->w, &c, rq->session.user.name, &err))
        return api_fail_body(rs, &err, "cell");
    json_t *o;
    if (mk_campaign_get(rq->w, c.campaign, &o, &err))
        return api_fail(rs, &err);
    return api_ok(rs, o);
}

int api_campaign_cell_remove(api_req *rq, api_resp *rs)
{
    rp_error err = RP_ERROR_INIT;
    if (mk_cell_remove(rq->w, rq->param[0], rq->param[1], rq->session.user.name, &err))
        return api_fail(rs, &err);
    json_t *o;
    if (mk_campaign_get(rq->w, rq->param[0], &o, &err))
        return api_fail(rs, &err);
    return api_ok(rs, o);
}

/* The wave of the path: 1 to MK_MAX_WAVES, else 404. */
static int wave_of(api_req *rq, api_resp *rs, int *wave)
{
    int ok;
    *wave = (int)api_int(rq->param[1], 1, MK_MAX_WAVES, &ok);
    return ok ? 0 : api_error(rs, 404, "not_found", "waves are numbered 1 to %d, not '%.20s'", MK_MAX_WAVES, rq->param[1]);
}

/* PUT /campaigns/{code}/waves/{wave}: {starts_on, ends_on?, share?} */
int api_campaign_wave_put(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "starts_on", "ends_on", "share", NULL };
    mk_wave v = { .campaign = rq->param[0] };
    int st = wave_of(rq, rs, &v.wave);
    if (st)
        return st;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_str(rq->body, "body", "starts_on", 1, &v.starts_on, &err) ||
        rp_json_get_str(rq->body, "body", "ends_on", 0, &v.ends_on, &err))
        return api_fail_body(rs, &err, "body");
    json_t *share = json_object_get(rq->body, "share");
    if (share && (!json_is_number(share) || !(json_number_value(share) > 0 && json_number_value(share) <= 1000)))
        return api_error(rs, 422, "invalid", "body.share: a weight above 0, up to 1000");
    v.share = share ? json_number_value(share) : 0;
    if (mk_wave_put(rq->w, &v, rq->session.user.name, &err))
        return api_fail_body(rs, &err, "wave");
    json_t *o;
    if (mk_campaign_get(rq->w, v.campaign, &o, &err))
        return api_fail(rs, &err);
    return api_ok(rs, o);
}

int api_campaign_wave_remove(api_req *rq, api_resp *rs)
{
    int wave, st = wave_of(rq, rs, &wave);
    if (st)
        return st;
    rp_error err = RP_ERROR_INIT;
    if (mk_wave_remove(rq->w, rq->param[0], wave, rq->session.user.name, &err))
        return api_fail(rs, &err);
    json_t *o;
    if (mk_campaign_get(rq->w, rq->param[0], &o, &err))
        return api_fail(rs, &err);
    return api_ok(rs, o);
}

/* POST /campaigns/{code}/cells/{cell}/steer: {paused?, cap?} while the campaign is live. */
int api_campaign_cell_steer(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "paused", "cap", NULL };
    int paused = -1;
    int64_t cap = -1;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        (json_object_get(rq->body, "paused") && rp_json_get_bool(rq->body, "body", "paused", 1, &paused, &err)) ||
        (json_object_get(rq->body, "cap") && rp_json_get_int(rq->body, "body", "cap", 1, &cap, &err)))
        return api_fail_body(rs, &err, "body");
    if (json_object_get(rq->body, "cap") && cap < 0)
        return api_error(rs, 422, "invalid", "body.cap: 0 (none) or more");
    if (paused < 0 && cap < 0)
        return api_error(rs, 422, "invalid", "body: paused or cap is required");
    if (mk_cell_steer(rq->w, rq->param[0], rq->param[1], paused, cap, rq->session.user.name, &err))
        return api_fail_body(rs, &err, "body");
    json_t *o;
    if (mk_campaign_get(rq->w, rq->param[0], &o, &err))
        return api_fail(rs, &err);
    return api_ok(rs, o);
}

/* The selection copy for a request: made again when stale (and, for a selection that writes targets,
 * older than an hour, as [marketing] select_minutes' default). */
int api_mart(api_req *rq, api_resp *rs, int fresh_minutes, mk_mart **m)
{
    mk_env env = { .cfg = NULL, .facts = NULL, .progress = 0 };
    rp_error err = RP_ERROR_INIT;
    if (mk_mart_get(rq->w, &env, fresh_minutes, m, &err))
        return api_fail(rs, &err);
    return 0;
}

/* The count routes' shared body {rule} (required or not) and the selection copy they count on. */
static int rule_of(api_req *rq, api_resp *rs, int required, const char **rule, mk_mart **m)
{
    static const char *const keys[] = { "rule", NULL };
    rp_error err = RP_ERROR_INIT;
    *rule = NULL;
    if (rp_json_check_keys(rq->body, "body", keys, &err) || rp_json_get_str(rq->body, "body", "rule", required, rule, &err))
        return api_fail_body(rs, &err, "body");
    return api_mart(rq, rs, 0, m);
}

/* POST /campaigns/{code}/count: {rule?} the design counted step by step (the rule tried, not kept). */
int api_campaign_count(api_req *rq, api_resp *rs)
{
    const char *rule;
    mk_mart *m;
    int st = rule_of(rq, rs, 0, &rule, &m);
    if (st)
        return st;
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    int rc = mk_count(rq->w, m, rq->param[0], rule && *rule ? rule : NULL, &o, &err);
    mk_mart_close(m);
    return rc ? api_fail_body(rs, &err, "body") : api_ok(rs, o);
}

/* POST /selection-count: {rule} a rule alone over every customer (the live count as it is typed). */
int api_rule_count(api_req *rq, api_resp *rs)
{
    const char *rule;
    mk_mart *m;
    int st = rule_of(rq, rs, 1, &rule, &m);
    if (st)
        return st;
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    int rc = mk_count_rule(rq->w, m, rule, &o, &err);
    mk_mart_close(m);
    return rc ? api_fail_body(rs, &err, "body") : api_ok(rs, o);
}

/* POST /campaigns/{code}/select: a draft's targets written (the waterfall kept). */
int api_campaign_select(api_req *rq, api_resp *rs)
{
    mk_mart *m;
    int st = api_mart(rq, rs, 60, &m);
    if (st)
        return st;
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    int rc = mk_select(rq->w, m, rq->param[0], rq->session.user.name, &o, &err);
    mk_mart_close(m);
    if (rc)
        return api_fail_body(rs, &err, "body");
    return api_ok(rs, o);
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
