/* desk.c — the contact centre through the API (contact.h): an agent's desk (their state, what is
 * routed to them, what they do with it) and the supervisor's view and setup.  Every change also
 * routes what it lets be routed; the assignments go to the switch and the agents' screens
 * (api_centre_post, cti.c). */
#include "api/internal.h"
#include "contact/contact.h"
#include "core/json.h"
#include "core/rtime.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* The sign-in as the centre knows it: a hash of the session's CSRF token (never the token). */
static void session_of(const api_req *rq, char out[33])
{
    unsigned char h[16];
    crypto_generichash(h, sizeof h, (const unsigned char *)rq->session.csrf, strlen(rq->session.csrf), NULL, 0);
    sodium_bin2hex(out, 33, h, sizeof h);
}

/* A domain error: one naming a member of the body ("state: ...", "queues[2].skill: ...", "setup.x: ...")
 * said as the body's ("body.state: ..."), with the member for the client. */
static int fail(api_resp *rs, const rp_error *err)
{
    const char *m = rp_errmsg(err);
    size_t n = strspn(m, "abcdefghijklmnopqrstuvwxyz_");
    if ((err->code != RP_INVAL && err->code != RP_TOOBIG) || !n || !strchr(".[:", m[n]))
        return api_fail(rs, err);
    if (n == 5 && !strncmp(m, "setup", 5) && m[n] != '[')
        m += m[n] == '.' ? 6 : 5;
    rp_error e = RP_ERROR_INIT;
    rp_err(&e, err->code, "body%s%s", *m == '[' || *m == ':' ? "" : ".", m);
    return api_fail(rs, &e);
}

/* A change's reply (the assignments it made go out to the switch and the screens from the store, by the
 * server's scribe: cc_untold). */
static int changed(api_req *rq, api_resp *rs, json_t *o)
{
    api_centre_wake(rq);
    return api_ok(rs, o);
}

/* GET /contact/desk: the agent's own state and interactions (the screen's sign of life too). */
int api_desk_get(api_req *rq, api_resp *rs)
{
    json_t *o;
    char sess[33];
    rp_error err = RP_ERROR_INIT;
    session_of(rq, sess);
    if (cc_desk(rq->w, rq->session.user.name, &o, &err))
        return api_fail(rs, &err);
    if (cc_agent_seen(rq->w, rq->session.user.name, sess, 0, &err)) {
        json_decref(o);
        return api_fail(rs, &err);
    }
    return api_ok(rs, o);
}

/* PUT /contact/desk/state {state, reason?, take_over?} */
int api_desk_state(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "state", "reason", "take_over", NULL };
    const char *state = NULL, *reason = NULL;
    int take = 0;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) || rp_json_get_str(rq->body, "body", "state", 1, &state, &err) ||
        rp_json_get_str(rq->body, "body", "reason", 0, &reason, &err) ||
        rp_json_get_bool(rq->body, "body", "take_over", 0, &take, &err))
        return api_fail_body(rs, &err, "body");
    char sess[33];
    session_of(rq, sess);
    json_t *o;
    if (cc_agent_state(rq->w, rq->session.user.name, state, reason, sess, take, rq->session.user.name, 0, &o, &err))
        return fail(rs, &err);
    return changed(rq, rs, o);
}

/* The body of an event an agent or supervisor sends: its members into ev. */
static int event_of(api_req *rq, api_resp *rs, cc_event_in *ev)
{
    static const char *const keys[] = { "event", "disposition", "note", "queue", "to_agent", "reason", "callback_at",
                                        NULL };
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_str(rq->body, "body", "event", 1, &ev->event, &err) ||
        rp_json_get_str(rq->body, "body", "disposition", 0, &ev->disposition, &err) ||
        rp_json_get_str(rq->body, "body", "note", 0, &ev->note, &err) ||
        rp_json_get_str(rq->body, "body", "queue", 0, &ev->queue, &err) ||
        rp_json_get_str(rq->body, "body", "to_agent", 0, &ev->to_agent, &err) ||
        rp_json_get_str(rq->body, "body", "reason", 0, &ev->reason, &err) ||
        rp_json_get_str(rq->body, "body", "callback_at", 0, &ev->callback_at, &err))
        return api_fail_body(rs, &err, "body");
    /* an agent's screen says what agents do; the switch says the rest */
    static const char *const mine[] = { "wrap_up", "transfer", "note", "callback", "answered", "ended", NULL };
    char msg[160];
    if (!api_one_of(ev->event, mine, msg, sizeof msg))
        return api_error(rs, 422, "invalid", "body.event: '%.20s' is not %s", ev->event, msg);
    return 0;
}

/* POST /contact/interactions/{id}/events: what the agent did (the supervisor may for any). */
int api_interaction_event(api_req *rq, api_resp *rs)
{
    int ok;
    cc_event_in ev = { .interaction = api_int(rq->param[0], 1, INT64_MAX, &ok), .by = rq->session.user.name };
    if (!ok)
        return api_error(rs, 404, "not_found", "no interaction '%.20s'", rq->param[0]);
    int st = event_of(rq, rs, &ev);
    if (st)
        return st;
    if (!api_can(rq, SEC_P_CENTRE))
        ev.agent = rq->session.user.name; /* only on their own interactions */
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    if (cc_event_apply(rq->w, &ev, &o, &err))
        return fail(rs, &err);
    return changed(rq, rs, o);
}

/* GET /contact/interactions/{id}: with every step.  An agent sees those routed to them. */
int api_interaction_get(api_req *rq, api_resp *rs)
{
    int ok;
    int64_t id = api_int(rq->param[0], 1, INT64_MAX, &ok);
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    if (!ok || cc_interaction_get(rq->w, id, &o, &err))
        return ok ? api_fail(rs, &err) : api_error(rs, 404, "not_found", "no interaction '%.20s'", rq->param[0]);
    const char *agent = json_string_value(json_object_get(o, "agent"));
    if (!api_can(rq, SEC_P_CENTRE) && (!agent || strcmp(agent, rq->session.user.name))) {
        json_decref(o);
        return api_error(rs, 404, "not_found", "no interaction %lld of yours", (long long)id);
    }
    return api_ok(rs, o);
}

/* POST /contact/interactions: an interaction offered by staff (a call-back asked for at the branch, an
 * e-mail or a form to answer). */
int api_interaction_offer(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "channel", "queue", "external_id", "address", "party_id", "reason",
                                        "callback_at", NULL };
    cc_offer_in in = { 0 };
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_str(rq->body, "body", "channel", 1, &in.channel, &err) ||
        rp_json_get_str(rq->body, "body", "queue", 1, &in.queue, &err) ||
        rp_json_get_str(rq->body, "body", "external_id", 1, &in.external_id, &err) ||
        rp_json_get_str(rq->body, "body", "address", 0, &in.address, &err) ||
        rp_json_get_int(rq->body, "body", "party_id", 0, &in.party_id, &err) ||
        rp_json_get_str(rq->body, "body", "reason", 0, &in.reason, &err) ||
        rp_json_get_str(rq->body, "body", "callback_at", 0, &in.callback_at, &err))
        return api_fail_body(rs, &err, "body");
    json_t *o;
    if (cc_offer(rq->w, &in, &o, &err))
        return fail(rs, &err);
    if (json_is_true(json_object_get(o, "repeated")) && !api_can(rq, SEC_P_CENTRE)) {
        json_decref(o); /* someone's interaction: an agent sees only that the id is taken */
        return api_error(rs, 409, "conflict", "body.external_id: an interaction with this id was offered already");
    }
    return changed(rq, rs, o);
}

/* GET /contact/interactions?state=&queue=&limit= */
int api_interactions_list(api_req *rq, api_resp *rs)
{
    int limit, st = api_limit(rq, rs, 100, 10000, &limit);
    if (st)
        return st;
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    if (cc_interactions(rq->w, api_query(rq, "state"), api_query(rq, "queue"), limit, &o, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "interactions", o));
}

/* GET /contact/setup */
int api_centre_setup_get(api_req *rq, api_resp *rs)
{
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    if (cc_setup_get(rq->w, &o, &err))
        return api_fail(rs, &err);
    return api_ok(rs, o);
}

/* PUT /contact/setup {skills?, queues?, agents?}: written whole or not at all; the setup after. */
int api_centre_setup_put(api_req *rq, api_resp *rs)
{
    rp_error err = RP_ERROR_INIT;
    if (cc_setup_put(rq->w, rq->body, rq->session.user.name, cc_clock_ms(), &err))
        return fail(rs, &err);
    snprintf(rq->detail, sizeof rq->detail, "skills %zu, queues %zu, agents %zu",
             json_array_size(json_object_get(rq->body, "skills")), json_array_size(json_object_get(rq->body, "queues")),
             json_array_size(json_object_get(rq->body, "agents")));
    return api_centre_setup_get(rq, rs);
}

/* PUT /contact/agents/{login}/state {state, reason?}: a supervisor sets an agent's state (one stuck on
 * a screen that is gone, a break ended). */
int api_agent_state_put(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "state", "reason", NULL };
    const char *state = NULL, *reason = NULL;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) || rp_json_get_str(rq->body, "body", "state", 1, &state, &err) ||
        rp_json_get_str(rq->body, "body", "reason", 0, &reason, &err))
        return api_fail_body(rs, &err, "body");
    json_t *o;
    if (cc_agent_state(rq->w, rq->param[0], state, reason, NULL, 1, rq->session.user.name, 0, &o, &err))
        return fail(rs, &err);
    snprintf(rq->detail, sizeof rq->detail, "%s: %s", rq->param[0], state);
    return changed(rq, rs, o);
}

/* GET /contact/wallboard?since= */
int api_wallboard(api_req *rq, api_resp *rs)
{
    cc_board_opts o = { 0 };
    rp_error err = RP_ERROR_INIT;
    const char *since = api_query(rq, "since");
    if (since && cc_time_parse("since", since, &o.since_ms, &err))
        return api_fail(rs, &err);
    json_t *out;
    if (cc_wallboard(rq->w, 0, &o, &out, &err))
        return api_fail(rs, &err);
    return api_ok(rs, out);
}

/* GET /contact/report?from=&to=&by=&interval=&source= */
int api_centre_report(api_req *rq, api_resp *rs)
{
    const char *by = api_query(rq, "by") ? api_query(rq, "by") : "queue", *iv = api_query(rq, "interval");
    cc_report_opts o = { .by = !strcmp(by, "interval") ? CC_BY_INTERVAL : !strcmp(by, "agent") ? CC_BY_AGENT : CC_BY_QUEUE,
                         .interval_min = 30, .source = api_query(rq, "source") };
    static const char *const bys[] = { "interval", "queue", "agent", NULL };
    char msg[120];
    if (!api_one_of(by, bys, msg, sizeof msg))
        return api_error(rs, 422, "invalid", "query.by: '%.20s' is not %s", by, msg);
    rp_error err = RP_ERROR_INIT;
    if (!api_query(rq, "from") || rp_time_parse(api_query(rq, "from"), &o.from, &err))
        return api_error(rs, 422, "invalid", "query.from: a day or a time is required");
    if (!api_query(rq, "to") || rp_time_parse(api_query(rq, "to"), &o.to, &err))
        return api_error(rs, 422, "invalid", "query.to: a day or a time is required");
    int ok = 1;
    if (iv)
        o.interval_min = (int)api_int(iv, 5, 1440, &ok);
    if (!ok)
        return api_error(rs, 422, "invalid", "query.interval: minutes from 5 to 1440");
    json_t *out;
    if (cc_report(rq->w, &o, &out, &err))
        return api_fail(rs, &err);
    return api_ok(rs, out);
}

/* POST /customers/{id}/pin {}: a new telephone PIN for the IVR, shown this once (audited with the customer). */
int api_customer_pin(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { NULL };
    int64_t id;
    int st = api_customer_of(rq, rs, 0, &id, NULL);
    if (st)
        return st;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err))
        return api_fail_body(rs, &err, "body");
    char pin[CC_PIN_LEN + 1];
    if (cc_pin_issue(rq->w, id, rq->session.user.name, cc_clock_ms(), pin, &err))
        return api_fail(rs, &err);
    snprintf(rq->detail, sizeof rq->detail, "a telephone PIN issued");
    json_t *o = json_pack("{s:I, s:s}", "customer", (json_int_t)id, "pin", pin);
    sodium_memzero(pin, sizeof pin);
    return api_ok(rs, o);
}

/* GET /contact/interactions/{id}/messages?after=: a chat's transcript; an agent's own chats only. */
int api_interaction_messages(api_req *rq, api_resp *rs)
{
    int ok, ok2 = 1;
    int64_t id = api_int(rq->param[0], 1, INT64_MAX, &ok), after = 0;
    if (!ok)
        return api_error(rs, 404, "not_found", "no interaction '%.20s'", rq->param[0]);
    if (api_query(rq, "after"))
        after = api_int(api_query(rq, "after"), 0, INT64_MAX, &ok2);
    if (!ok2)
        return api_error(rs, 422, "invalid", "query.after: a message's number (0 or more)");
    cc_chat_viewer v = { .agent = api_can(rq, SEC_P_CENTRE) ? NULL : rq->session.user.name };
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    if (cc_chat_read(rq->w, id, after, &v, 0, &o, &err))
        return api_fail(rs, &err);
    return api_ok(rs, o);
}

/* POST /contact/interactions/{id}/messages {text}: the agent's answer in their own chat. */
int api_interaction_say(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "text", NULL };
    int ok;
    int64_t id = api_int(rq->param[0], 1, INT64_MAX, &ok);
    if (!ok)
        return api_error(rs, 404, "not_found", "no interaction '%.20s'", rq->param[0]);
    const char *text = NULL;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) || rp_json_get_str(rq->body, "body", "text", 1, &text, &err))
        return api_fail_body(rs, &err, "body");
    json_t *o;
    if (cc_chat_say(rq->w, id, "agent", rq->session.user.name, text, 0, &o, &err))
        return err.code == RP_INVAL ? api_error(rs, 422, "invalid", "body.%s", rp_errmsg(&err)) : api_fail(rs, &err);
    json_object_del(o, "to_agent");
    api_centre_wake(rq);
    return api_created(rs, o);
}
