/* dialler.c — the contact centre's outbound diallers through the API (contact.h, dial.c): started on a
 * running campaign's outbound_call cell, listed, read with their progress, paused, resumed, stopped.
 * The supervisor's (the centre permission). */
#include "api/internal.h"
#include "contact/contact.h"
#include "core/json.h"
#include "marketing/marketing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An error about a member of the body named as the caller sent it (body.hours_from: ...). */
static int fail_member(api_resp *rs, const rp_error *err)
{
    const char *m = rp_errmsg(err);
    size_t n = strspn(m, "abcdefghijklmnopqrstuvwxyz_");
    if (err->code == RP_INVAL && n && m[n] == ':')
        return api_error(rs, 422, "invalid", "body.%s", m);
    return api_fail_body(rs, err, "body");
}

/* GET /contact/diallers */
int api_diallers_list(api_req *rq, api_resp *rs)
{
    json_t *list;
    rp_error err = RP_ERROR_INIT;
    if (cc_diallers(rq->w, &list, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "diallers", list));
}

/* POST /contact/diallers {campaign, cell, queue, hours_from?, hours_to?, days?, attempts?, retry_min?} */
int api_dialler_start(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "campaign", "cell", "queue", "hours_from", "hours_to", "days", "attempts",
                                        "retry_min", NULL };
    cc_dial_opts o = { 0 };
    int64_t attempts = 0, retry = 0;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_str(rq->body, "body", "campaign", 1, &o.campaign, &err) ||
        rp_json_get_str(rq->body, "body", "cell", 1, &o.cell, &err) ||
        rp_json_get_str(rq->body, "body", "queue", 1, &o.queue, &err) ||
        rp_json_get_str(rq->body, "body", "hours_from", 0, &o.hours_from, &err) ||
        rp_json_get_str(rq->body, "body", "hours_to", 0, &o.hours_to, &err) ||
        rp_json_get_str(rq->body, "body", "days", 0, &o.days, &err) ||
        rp_json_get_int(rq->body, "body", "attempts", 0, &attempts, &err) ||
        rp_json_get_int(rq->body, "body", "retry_min", 0, &retry, &err))
        return api_fail_body(rs, &err, "body");
    if (json_object_get(rq->body, "attempts") && (attempts < 1 || attempts > 10))
        return api_error(rs, 422, "invalid", "body.attempts: %lld is not 1 to 10", (long long)attempts);
    if (json_object_get(rq->body, "retry_min") && (retry < 1 || retry > 10080))
        return api_error(rs, 422, "invalid", "body.retry_min: %lld is not 1 to 10080 minutes", (long long)retry);
    o.attempts = (int)attempts, o.retry_min = (int)retry;
    mk_mart *m;
    int st = api_mart(rq, rs, 60, &m);
    if (st)
        return st;
    json_t *out;
    int rc = cc_dial_start(rq->w, m, &o, rq->session.user.name, 0, &out, &err);
    mk_mart_close(m);
    if (rc)
        return fail_member(rs, &err);
    snprintf(rq->detail, sizeof rq->detail, "dialler %lld: campaign %.40s cell %.32s, %lld customers",
             (long long)json_integer_value(json_object_get(json_object_get(out, "dialler"), "id")),
             o.campaign, o.cell, (long long)json_integer_value(json_object_get(out, "customers")));
    api_centre_wake(rq);
    return api_ok(rs, out);
}

static int64_t id_of(api_req *rq) { return strtoll(rq->param[0], NULL, 10); }

/* GET /contact/diallers/{id}?entries=N */
int api_dialler_get(api_req *rq, api_resp *rs)
{
    int ok = 1, entries = 0;
    if (api_query(rq, "entries"))
        entries = (int)api_int(api_query(rq, "entries"), 0, 10000, &ok);
    if (!ok)
        return api_error(rs, 422, "invalid", "query.entries: 0 to 10000");
    json_t *out;
    rp_error err = RP_ERROR_INIT;
    if (cc_dialler_get(rq->w, id_of(rq), entries, &out, &err))
        return api_fail(rs, &err);
    return api_ok(rs, out);
}

/* PUT /contact/diallers/{id}/state {state: running | paused | stopped} */
int api_dialler_state(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "state", NULL };
    const char *state = NULL;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) || rp_json_get_str(rq->body, "body", "state", 1, &state, &err))
        return api_fail_body(rs, &err, "body");
    json_t *out;
    if (cc_dial_state(rq->w, id_of(rq), state, rq->session.user.name, 0, &out, &err))
        return fail_member(rs, &err);
    snprintf(rq->detail, sizeof rq->detail, "dialler %s: %s", rq->param[0], state);
    api_centre_wake(rq);
    return api_ok(rs, out);
}
