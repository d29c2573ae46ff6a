/* steps.c — what happens to an interaction, as a table: each event's states it may happen in, the
 * states in which it has already happened (the same event again is repeated, nothing written: the
 * switch may say a thing twice), and what it does.  Then whatever can be routed is routed.  An
 * interaction that ends leaves its call record and, answered and identified, its entry in the
 * customer's contact history.  See contact.h. */
#include "contact/internal.h"
#include "core/rtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *S(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t I(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

/* Is word one of the blank-separated words of list. */
static int in_list(const char *word, const char *list)
{
    size_t n = word ? strlen(word) : 0;
    for (const char *p = list; n && *p;) {
        size_t m = strcspn(p, " ");
        if (m == n && !strncmp(p, word, n))
            return 1;
        p += m + (p[m] == ' ');
    }
    return 0;
}

/* A call takes the whole agent and leaves them in wrap-up; messages and chats share them. */
static int voice_like(const char *channel)
{
    return channel && (!strcmp(channel, "voice") || !strcmp(channel, "callback") || !strcmp(channel, "outbound"));
}

static int ms_of(const json_t *ix, const char *k, int64_t *ms)
{
    rp_error e = RP_ERROR_INIT;
    *ms = 0;
    return S(ix, k) && !cc_time_parse(k, S(ix, k), ms, &e);
}

/* UPDATE cc_interaction SET state, the step's time column (one of a fixed list) and more. */
static int step(wh *w, int64_t id, const char *state, const char *col, int64_t at_ms, rp_error *err)
{
    static const char *const cols[] = { "queued_at", "connected_at", "wrap_at", "ended_at", NULL };
    char sql[160], at[CC_TIME_LEN];
    if (cc__index(col, cols) < 0)
        return rp_err(err, RP_INTERNAL, "interaction step: column %s", col);
    snprintf(sql, sizeof sql, "UPDATE cc_interaction SET state = ?, %s = ? WHERE id = ?", col);
    cc_time_format(at_ms, at);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), sql, &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, state);
    rp_stmt_bind_text(st, 2, at);
    rp_stmt_bind_int(st, 3, id);
    return rp_stmt_run(st, err);
}

static int set_text(wh *w, int64_t id, const char *col, const char *v, rp_error *err)
{
    static const char *const cols[] = { "switch_ref", "disposition", "note", "channel", "callback_at", NULL };
    char sql[120];
    if (cc__index(col, cols) < 0)
        return rp_err(err, RP_INTERNAL, "interaction: column %s", col);
    snprintf(sql, sizeof sql, "UPDATE cc_interaction SET %s = ? WHERE id = ?", col);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), sql, &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, v);
    rp_stmt_bind_int(st, 2, id);
    return rp_stmt_run(st, err);
}

static int agent_of(wh *w, const json_t *ix, int64_t *agent, rp_error *err)
{
    *agent = 0;
    return S(ix, "agent") ? cc__agent_id(w, S(ix, "agent"), agent, err) : RP_OK;
}

/* ---- the events ---- */

typedef int (*ev_fn)(wh *w, const cc_event_in *ev, const json_t *ix, int64_t at, rp_error *err);

static int ev_held(wh *w, const cc_event_in *ev, const json_t *ix, int64_t at, rp_error *err)
{
    int rc = cc__text_ok("switch_ref", ev->switch_ref, 120, 1, err);
    if (!rc)
        rc = set_text(w, I(ix, "id"), "switch_ref", ev->switch_ref, err);
    return rc ? rc : cc__event(w, I(ix, "id"), at, "held", 0, ev->switch_ref, err);
}

static int ev_answered(wh *w, const cc_event_in *ev, const json_t *ix, int64_t at, rp_error *err)
{
    int64_t agent;
    int rc = agent_of(w, ix, &agent, err);
    (void)ev;
    if (!rc)
        rc = step(w, I(ix, "id"), "connected", "connected_at", at, err);
    return rc ? rc : cc__event(w, I(ix, "id"), at, "connected", agent, NULL, err);
}

static int ev_abandoned(wh *w, const cc_event_in *ev, const json_t *ix, int64_t at, rp_error *err)
{
    int64_t agent;
    int rc = agent_of(w, ix, &agent, err);
    if (!rc)
        rc = step(w, I(ix, "id"), "abandoned", "ended_at", at, err);
    if (!rc)
        rc = cc__event(w, I(ix, "id"), at, "abandoned", agent, ev->reason, err);
    return rc ? rc : cc__finish(w, I(ix, "id"), err);
}

/* The agent's wrap-up after a call: its length by the queue; *none when the queue has none (the call is
 * done at once, without a code, and the agent ready). */
static int wrap_agent(wh *w, const json_t *ix, int64_t agent, int64_t at, int *none, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "SELECT wrap_up_s FROM cc_queue WHERE code = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, S(ix, "queue"));
    int64_t wrap = (rc = rp_stmt_step(st, err)) == RP_ROW ? rp_stmt_int(st, 0) : 0;
    rp_stmt_done(st);
    if (rc != RP_ROW && rc != RP_DONE)
        return rc;
    if ((*none = wrap == 0))
        return RP_OK;
    if ((rc = cc__agent_set(w, agent, "wrap_up", NULL, at, S(ix, "agent"), err)))
        return rc;
    char until[CC_TIME_LEN];
    cc_time_format(at + wrap * 1000, until);
    if ((rc = rp_store_prepare(wh_store(w), "UPDATE cc_agent SET wrap_until = ? WHERE id = ?", &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, until);
    rp_stmt_bind_int(st, 2, agent);
    return rp_stmt_run(st, err);
}

static int ev_ended(wh *w, const cc_event_in *ev, const json_t *ix, int64_t at, rp_error *err)
{
    if (strcmp(S(ix, "state"), "connected"))  /* ended before anyone answered: the caller gave up */
        return ev_abandoned(w, ev, ix, at, err);
    int64_t agent;
    int rc = agent_of(w, ix, &agent, err);
    if (!rc)
        rc = step(w, I(ix, "id"), "wrap_up", "wrap_at", at, err);
    if (!rc)
        rc = cc__event(w, I(ix, "id"), at, "ended", agent, ev->reason, err);
    int none = 0;
    if (!rc && agent && voice_like(S(ix, "channel")))
        rc = wrap_agent(w, ix, agent, at, &none, err);
    if (rc || !none)
        return rc;
    /* no wrap-up in this queue: done now, the agent free again */
    int64_t id = I(ix, "id");
    if ((rc = step(w, id, "done", "ended_at", at, err)) || (rc = cc__event(w, id, at, "done", agent, NULL, err)) ||
        (rc = cc__finish(w, id, err)))
        return rc;
    return cc__idle(w, agent, at, err);
}

static int ev_no_answer(wh *w, const cc_event_in *ev, const json_t *ix, int64_t at, rp_error *err)
{
    int64_t agent;
    rp_stmt *st;
    int rc = agent_of(w, ix, &agent, err);
    if (rc || (rc = rp_store_prepare(wh_store(w), "UPDATE cc_interaction SET state = 'queued', agent = NULL, "
                                                  "assigned_at = NULL, why = NULL, told_at = NULL WHERE id = ?",
                                     &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, I(ix, "id"));
    if ((rc = rp_stmt_run(st, err)) || (rc = cc__event(w, I(ix, "id"), at, "no_answer", agent, ev->reason, err)))
        return rc;
    /* an agent whose phone does not answer is not ready (Asterisk's autopause): a break to see to */
    return agent ? cc__agent_set(w, agent, "break", "no_answer", at, ev->by ? ev->by : "switch", err) : RP_OK;
}

static int ev_note(wh *w, const cc_event_in *ev, const json_t *ix, int64_t at, rp_error *err);

/* An outbound call that reached nobody (the switch says why): done with that as its disposition, the
 * agent free again at once (nothing to wrap up); the dialler that placed it tries again or not. */
static int ev_unreached(wh *w, const cc_event_in *ev, const json_t *ix, int64_t at, rp_error *err)
{
    static const char *const reasons[] = { "no_answer", "busy", "wrong_number", "failed", NULL };
    int64_t agent, id = I(ix, "id");
    if (strcmp(S(ix, "channel"), "outbound"))
        return rp_err(err, RP_EXISTS, "interaction %lld is %s, not an outbound call: it cannot be unreached",
                      (long long)id, S(ix, "channel"));
    if (cc__index(ev->reason, reasons) < 0)
        return rp_err(err, RP_INVAL, "reason: '%.20s' is not no_answer, busy, wrong_number or failed",
                      ev->reason ? ev->reason : "");
    int rc = agent_of(w, ix, &agent, err);
    if (rc || (rc = set_text(w, id, "disposition", ev->reason, err)) || (rc = step(w, id, "done", "ended_at", at, err)) ||
        (rc = cc__event(w, id, at, "unreached", agent, ev->reason, err)) || (rc = cc__finish(w, id, err)))
        return rc;
    return agent ? cc__idle(w, agent, at, err) : RP_OK;
}

/* Ended transferred; a new leg of the same interaction (the same Call-ID) waits in the queue asked
 * for, or for the one agent asked for, with its context (customer, IVR path, reason, note). */
static int ev_transfer(wh *w, const cc_event_in *ev, const json_t *ix, int64_t at, rp_error *err)
{
    int64_t agent, target = 0;
    int rc = agent_of(w, ix, &agent, err);
    if (rc)
        return rc;
    if (!ev->queue && !ev->to_agent)
        return rp_err(err, RP_INVAL, "transfer: queue or to_agent required");
    if (ev->to_agent && (rc = cc__agent_id(w, ev->to_agent, &target, err)))
        return rp_err_prefix(err, "to_agent");
    const char *queue = ev->queue ? ev->queue : S(ix, "queue");
    /* the agent's note travels with the call */
    if (ev->note && (rc = ev_note(w, ev, ix, at, err)))
        return rc;
    rp_stmt *st;
    char at_s[CC_TIME_LEN];
    cc_time_format(at, at_s);
    if ((rc = step(w, I(ix, "id"), "transferred", "ended_at", at, err)) ||
        (rc = rp_store_prepare(wh_store(w),
                               "INSERT INTO cc_interaction(channel, direction, queue, external_id, leg, address, party_id, "
                               "parties, priority, last_agent, state, target_agent, ivr_path, reason, note, "
                               "parent, campaign, offered_at, queued_at) SELECT i.channel, i.direction, q.code, "
                               "i.external_id, i.leg + 1, i.address, i.party_id, i.parties, i.priority, i.agent, 'queued', "
                               "?, i.ivr_path, i.reason, i.note, i.id, i.campaign, ?, ? FROM cc_interaction i "
                               "JOIN cc_queue q ON q.code = ? AND q.active = 1 WHERE i.id = ? RETURNING id",
                               &st, err)))
        return rc;
    if (target)
        rp_stmt_bind_int(st, 1, target);
    else
        rp_stmt_bind_null(st, 1);
    rp_stmt_bind_text(st, 2, at_s);
    rp_stmt_bind_text(st, 3, at_s);
    rp_stmt_bind_text(st, 4, queue);
    rp_stmt_bind_int(st, 5, I(ix, "id"));
    int64_t leg = 0;
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        leg = rp_stmt_int(st, 0);
        rc = rp_stmt_finish(st, err);
    } else {
        rp_stmt_done(st);
        if (rc == RP_DONE)
            return rp_err(err, RP_NOTFOUND, "queue: '%.40s' is not an open queue", queue);
    }
    char detail[120];
    snprintf(detail, sizeof detail, "to %s%s%s (interaction %lld)", ev->to_agent ? ev->to_agent : queue,
             ev->to_agent ? " in " : "", ev->to_agent ? queue : "", (long long)leg);
    if (rc || (rc = cc__event(w, I(ix, "id"), at, "transferred", agent, detail, err)) ||
        (rc = cc__event(w, leg, at, "queued", 0, "transferred", err)) || (rc = cc__finish(w, I(ix, "id"), err)))
        return rc;
    return agent && voice_like(S(ix, "channel")) ? cc__idle(w, agent, at, err) : RP_OK; /* free again */
}

static int ev_wrap(wh *w, const cc_event_in *ev, const json_t *ix, int64_t at, rp_error *err)
{
    int64_t agent, id = I(ix, "id");
    int rc;
    if ((rc = cc__text_ok("disposition", ev->disposition, 40, 1, err)) || (rc = cc__text_ok("note", ev->note, 4000, 0, err)) ||
        (rc = agent_of(w, ix, &agent, err)))
        return rc;
    if (!strcmp(S(ix, "state"), "connected") && (rc = step(w, id, "wrap_up", "wrap_at", at, err)))
        return rc;
    int64_t cb;
    char when[CC_TIME_LEN];
    if (ev->callback_at) { /* the customer asks to be called again then (an outbound call's dialler does) */
        if ((rc = cc_time_parse("callback_at", ev->callback_at, &cb, err)))
            return rc;
        cc_time_format(cb, when);
        if ((rc = set_text(w, id, "callback_at", when, err)))
            return rc;
    }
    if ((rc = set_text(w, id, "disposition", ev->disposition, err)) ||
        (ev->note && (rc = set_text(w, id, "note", ev->note, err))) || (rc = step(w, id, "done", "ended_at", at, err)) ||
        (rc = cc__event(w, id, at, "done", agent, ev->disposition, err)) || (rc = cc__finish(w, id, err)))
        return rc;
    /* the agent's wrap-up ends with the call's code (not with a chat's: they never entered it) */
    rp_stmt *st;
    if (!agent || !voice_like(S(ix, "channel")) ||
        (rc = rp_store_prepare(wh_store(w), "SELECT state FROM cc_agent WHERE id = ?", &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, agent);
    int wrapping = (rc = rp_stmt_step(st, err)) == RP_ROW && !strcmp(rp_stmt_text(st, 0), "wrap_up");
    rp_stmt_done(st);
    if (rc != RP_ROW && rc != RP_DONE)
        return rc;
    return wrapping ? cc__agent_set(w, agent, "ready", NULL, at, ev->by ? ev->by : S(ix, "agent"), err) : RP_OK;
}

static int ev_note(wh *w, const cc_event_in *ev, const json_t *ix, int64_t at, rp_error *err)
{
    int rc = cc__text_ok("note", ev->note, 4000, 1, err);
    if (rc)
        return rc;
    const char *old = S(ix, "note");
    size_t n = (old ? strlen(old) + 1 : 0) + strlen(ev->note) + 1;
    if (n > 8000)
        return rp_err(err, RP_TOOBIG, "note: the interaction's notes would be over 8000 bytes");
    char *s = malloc(n);
    if (!s)
        return rp_err(err, RP_NOMEM, "note");
    size_t k = 0;
    if (old) {
        memcpy(s, old, strlen(old));
        k = strlen(old);
        s[k++] = '\n';
    }
    memcpy(s + k, ev->note, strlen(ev->note) + 1);
    rc = set_text(w, I(ix, "id"), "note", s, err);
    free(s);
    int64_t agent = 0;
    rp_error e = RP_ERROR_INIT;
    if (ev->agent && cc__agent_id(w, ev->agent, &agent, &e))
        agent = 0;
    return rc ? rc : cc__event(w, I(ix, "id"), at, "note", agent, ev->by, err);
}

/* The caller would rather be called back: the call leaves the line and a call-back keeps its place in
 * it (its time in the queue goes on counting), from callback_at when given. */
static int ev_callback(wh *w, const cc_event_in *ev, const json_t *ix, int64_t at, rp_error *err)
{
    int64_t cb;
    int rc;
    if (strcmp(S(ix, "channel"), "voice"))
        return rp_err(err, RP_EXISTS, "interaction %lld is %s, not a call waiting: no call-back to offer",
                      (long long)I(ix, "id"), S(ix, "channel"));
    char when[CC_TIME_LEN];
    if (ev->callback_at && (rc = cc_time_parse("callback_at", ev->callback_at, &cb, err)))
        return rc;
    if (ev->callback_at)
        cc_time_format(cb, when);
    if ((rc = set_text(w, I(ix, "id"), "channel", "callback", err)) || (rc = set_text(w, I(ix, "id"), "switch_ref", NULL, err)) ||
        (ev->callback_at && (rc = set_text(w, I(ix, "id"), "callback_at", when, err))))
        return rc;
    return cc__event(w, I(ix, "id"), at, "callback", 0, ev->callback_at ? when : NULL, err);
}

/* An outbound call the switch could not place (not told, the agent's phone not there or refusing to
 * dial): done, not dialled; the customer waits for another time, no attempt of theirs used up; the
 * agent, whose phone is the likely cause, on a break to see to it (as no_answer does). */
static int ev_not_dialled(wh *w, const cc_event_in *ev, const json_t *ix, int64_t at, rp_error *err)
{
    int64_t agent, id = I(ix, "id");
    if (strcmp(S(ix, "channel"), "outbound"))
        return rp_err(err, RP_EXISTS, "interaction %lld is %s, not an outbound call: it cannot be not_dialled",
                      (long long)id, S(ix, "channel"));
    int rc = cc__text_ok("reason", ev->reason, 200, 0, err);
    if (rc || (rc = agent_of(w, ix, &agent, err)) || (rc = set_text(w, id, "disposition", "not_dialled", err)) ||
        (rc = step(w, id, "done", "ended_at", at, err)) || (rc = cc__event(w, id, at, "not_dialled", agent, ev->reason, err)) ||
        (rc = cc__finish(w, id, err)))
        return rc;
    return agent ? cc__agent_set(w, agent, "break", "not_dialled", at, ev->by ? ev->by : "switch", err) : RP_OK;
}

static const struct ev_row {
    const char *name;
    const char *from;  /* the states it may happen in */
    const char *done;  /* the states in which it has happened already: the same again is repeated */
    ev_fn fn;
    int agents_own;    /* only the interaction's own agent may say it (when an agent says it) */
} events[] = {
    { "held", "queued assigned", "", ev_held, 0 },
    { "answered", "assigned", "connected wrap_up done transferred", ev_answered, 1 },
    { "ended", "offered queued assigned connected", "wrap_up done abandoned transferred", ev_ended, 1 },
    { "abandoned", "offered queued assigned", "abandoned", ev_abandoned, 0 },
    { "no_answer", "assigned", "", ev_no_answer, 0 },
    { "transfer", "connected wrap_up", "transferred", ev_transfer, 1 },
    { "wrap_up", "connected wrap_up", "done", ev_wrap, 1 },
    { "note", "offered queued assigned connected wrap_up done abandoned transferred", "", ev_note, 0 },
    { "callback", "queued", "", ev_callback, 0 },
    { "unreached", "assigned", "done", ev_unreached, 0 },
    { "not_dialled", "assigned", "done", ev_not_dialled, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};

static int apply(wh *w, const cc_event_in *ev, const struct ev_row *r, const json_t *ix, int64_t at, int *repeated,
                 rp_error *err)
{
    const char *state = S(ix, "state");
    *repeated = 0;
    /* an agent acts on their own interactions alone, whatever the event (and learns nothing of others') */
    if (ev->agent && (!S(ix, "agent") || strcmp(ev->agent, S(ix, "agent"))))
        return r->agents_own ? rp_err(err, RP_DENIED, "interaction %lld is %s's, not %s's", (long long)I(ix, "id"),
                                      S(ix, "agent") ? S(ix, "agent") : "no agent", ev->agent)
                             : rp_err(err, RP_NOTFOUND, "no interaction %lld of yours", (long long)I(ix, "id"));
    if (!strcmp(r->name, "held") && S(ix, "switch_ref") && ev->switch_ref && !strcmp(S(ix, "switch_ref"), ev->switch_ref))
        return *repeated = 1, RP_OK;
    if (in_list(state, r->done))
        return *repeated = 1, RP_OK;
    if (!in_list(state, r->from))
        return rp_err(err, RP_EXISTS, "interaction %lld is %s: it cannot be %s now", (long long)I(ix, "id"), state,
                      r->name);
    return r->fn(w, ev, ix, at, err);
}

int cc_event_apply(wh *w, const cc_event_in *ev, json_t **out, rp_error *err)
{
    const struct ev_row *r = events;
    while (r->name && (!ev->event || strcmp(r->name, ev->event)))
        r++;
    if (!r->name)
        return rp_err(err, RP_INVAL, "event: '%.20s' is not held, answered, ended, abandoned, no_answer, transfer, "
                                     "wrap_up, note, callback, unreached or not_dialled", ev->event ? ev->event : "");
    if (!ev->interaction && (!ev->channel || !ev->external_id))
        return rp_err(err, RP_INVAL, "interaction: required (or channel and external_id)");
    int64_t at = ev->at_ms ? ev->at_ms : cc_clock_ms();
    json_t *ix = NULL, *assigned = json_array();
    int rc = rp_store_begin(wh_store(w), err), repeated = 0;
    if (!rc && !(rc = cc__ix(w, ev->interaction, ev->channel, ev->external_id, &ix, err)))
        rc = apply(w, ev, r, ix, at, &repeated, err);
    if (!rc && !repeated)
        rc = cc__route(w, at, assigned, err);
    int64_t id = ix ? I(ix, "id") : 0;
    json_decref(ix);
    if (rc) {
        json_decref(assigned);
        return cc__end(w, rc, NULL, err);
    }
    return cc__end(w, cc__answer(w, id, assigned, repeated, out, err), out, err);
}

/* ---- the record an ended interaction leaves ---- */

static int64_t span(const json_t *ix, const char *from, const char *to, int *has)
{
    int64_t a, b;
    *has = ms_of(ix, from, &a) && ms_of(ix, to, &b);
    return *has ? (b - a + 500) / 1000 : 0;
}

/* The contact-history entry of an answered call of a known customer (0: none). */
static int history(wh *w, const json_t *ix, int64_t *id, rp_error *err)
{
    *id = 0;
    if (!I(ix, "party_id") || strcmp(S(ix, "state"), "done") || !S(ix, "connected_at")) /* reached nobody */
        return RP_OK;
    const char *ch = S(ix, "channel");
    wh_interaction in = { .party_id = I(ix, "party_id"), .at = S(ix, "connected_at"),
                          .channel = voice_like(ch) ? "phone" : !strcmp(ch, "webform") ? "internet" : ch,
                          .direction = !strcmp(S(ix, "direction"), "out") ? "outbound" : "inbound",
                          .staff = S(ix, "agent"), .outcome = S(ix, "disposition"),
                          .notes = S(ix, "note"), .created_by = S(ix, "agent") ? S(ix, "agent") : "contact centre" };
    /* the history wants a reason or a note: the caller's, else the queue they called */
    char why[80];
    snprintf(why, sizeof why, "%s: %s", ch, S(ix, "queue"));
    in.reason = S(ix, "reason") ? S(ix, "reason") : why;
    return wh_interaction_add(w, &in, id, err);
}

int cc__finish(wh *w, int64_t id, rp_error *err)
{
    json_t *ix;
    int rc = cc__ix(w, id, NULL, NULL, &ix, err);
    if (rc)
        return rc;
    int64_t hist = 0;
    if (S(ix, "campaign") && !strcmp(S(ix, "channel"), "outbound") && (rc = cc__dial_result(w, ix, err))) {
        json_decref(ix);
        return rc;
    }
    /* a call record for every call but an outbound one that reached nobody (the dialler counts those) */
    if ((rc = history(w, ix, &hist, err)) || !voice_like(S(ix, "channel")) ||
        (!strcmp(S(ix, "channel"), "outbound") && !S(ix, "connected_at"))) {
        json_decref(ix);
        return rc;
    }
    char call_id[240], arrival[RP_TIME_UTC_LEN];
    if (I(ix, "leg"))
        snprintf(call_id, sizeof call_id, "%s#%lld", S(ix, "external_id"), (long long)I(ix, "leg"));
    else
        snprintf(call_id, sizeof call_id, "%s", S(ix, "external_id"));
    snprintf(arrival, sizeof arrival, "%.19sZ", S(ix, "offered_at"));
    wh_call c = { .call_id = call_id, .source = "rapport", .arrival = arrival, .caller = S(ix, "address"),
                  .ivr_path = S(ix, "ivr_path"), .party_id = I(ix, "party_id"), .queue = S(ix, "queue"),
                  .abandoned = !strcmp(S(ix, "state"), "abandoned"), .agent = S(ix, "connected_at") ? S(ix, "agent") : NULL,
                  .reason = S(ix, "reason"), .interaction_id = hist };
    c.wait_s = span(ix, "queued_at", S(ix, "connected_at") ? "connected_at" : "ended_at", &c.has_wait);
    c.talk_s = span(ix, "connected_at", S(ix, "wrap_at") ? "wrap_at" : "ended_at", &c.has_talk);
    c.wrap_s = span(ix, "wrap_at", "ended_at", &c.has_wrap);
    rc = wh_call_add(w, &c, err);
    json_decref(ix);
    return rc;
}
