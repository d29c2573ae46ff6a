/* agents.c — the agents' states (ready, wrap-up, break with a reason, offline), each change kept in
 * cc_agent_state; one sign-in holds an agent at a time and one that goes quiet lets go; the timers
 * (wrap-ups that end by themselves, call-backs due, overflow); an agent's desk.  See contact.h. */
#include "contact/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *S(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t I(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

int cc__agent_set(wh *w, int64_t agent, const char *state, const char *reason, int64_t at_ms, const char *by,
                  rp_error *err)
{
    char at[CC_TIME_LEN];
    cc_time_format(at_ms, at);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "UPDATE cc_agent SET state = ?1, reason = ?2, state_at = ?3, idle_since = CASE WHEN ?1 = "
                              "'ready' THEN ?3 ELSE idle_since END, wrap_until = NULL, session = CASE WHEN ?1 = "
                              "'offline' THEN NULL ELSE session END WHERE id = ?4",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, state);
    rp_stmt_bind_text(st, 2, reason);
    rp_stmt_bind_text(st, 3, at);
    rp_stmt_bind_int(st, 4, agent);
    if ((rc = rp_stmt_run(st, err)) ||
        (rc = rp_store_prepare(wh_store(w), "INSERT INTO cc_agent_state(agent, at, state, reason, by_user) "
                                            "VALUES (?, ?, ?, ?, ?)",
                               &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, agent);
    rp_stmt_bind_text(st, 2, at);
    rp_stmt_bind_text(st, 3, state);
    rp_stmt_bind_text(st, 4, reason);
    rp_stmt_bind_text(st, 5, by);
    return rp_stmt_run(st, err);
}

int cc__idle(wh *w, int64_t agent, int64_t at_ms, rp_error *err)
{
    char at[CC_TIME_LEN];
    cc_time_format(at_ms, at);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "UPDATE cc_agent SET idle_since = ? WHERE id = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, at);
    rp_stmt_bind_int(st, 2, agent);
    return rp_stmt_run(st, err);
}

static int agent_row(wh *w, const char *login, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "SELECT id, login, name, sip, state, reason, state_at, idle_since, "
                                           "wrap_until, session, seen_at FROM cc_agent WHERE login = ? AND active = 1",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, login);
    json_t *a;
    if ((rc = rp_stmt_rows_json(st, 1, &a, NULL, err)))
        return rc;
    if (!json_array_size(a)) {
        json_decref(a);
        return rp_err(err, RP_NOTFOUND, "'%.40s' is not an agent of the contact centre", login ? login : "");
    }
    *out = json_incref(json_array_get(a, 0));
    json_decref(a);
    return RP_OK;
}

/* How many of the agent's interactions are in the states listed (a fixed set of queries). */
static int open_count(wh *w, int64_t agent, int wrap_only, int64_t *n, int64_t *first, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), wrap_only ? "SELECT count(*), min(id) FROM cc_interaction WHERE agent = ? "
                                                       "AND state = 'wrap_up'"
                                                     : "SELECT count(*), min(id) FROM cc_interaction WHERE agent = ? "
                                                       "AND state IN ('assigned', 'connected', 'wrap_up')",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, agent);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        *n = rp_stmt_int(st, 0), *first = rp_stmt_int(st, 1);
    rp_stmt_done(st);
    return rc == RP_ROW ? RP_OK : rc == RP_DONE ? rp_err(err, RP_INTERNAL, "count: no row") : rc;
}

static int session_set(wh *w, int64_t agent, const char *session, int64_t at_ms, rp_error *err)
{
    char at[CC_TIME_LEN];
    cc_time_format(at_ms, at);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "UPDATE cc_agent SET session = ?, seen_at = ? WHERE id = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, session);
    rp_stmt_bind_text(st, 2, at);
    rp_stmt_bind_int(st, 3, agent);
    return rp_stmt_run(st, err);
}

/* May this sign-in change the agent: the same one, none alive, or taking over. */
static int session_ok(const json_t *a, const char *session, int take_over, int64_t at, rp_error *err)
{
    const char *held = S(a, "session");
    int64_t seen;
    rp_error e = RP_ERROR_INIT;
    if (!session || !held || !strcmp(held, session) || take_over || !strcmp(S(a, "state"), "offline"))
        return RP_OK;
    if (!S(a, "seen_at") || cc_time_parse("seen_at", S(a, "seen_at"), &seen, &e) ||
        at - seen > CC_SESSION_TIMEOUT_S * 1000)
        return RP_OK;
    return rp_err(err, RP_EXISTS, "agent %s is signed in on another screen (seen %s): take over to work here",
                  S(a, "login"), S(a, "seen_at"));
}

static int state_check(const char *state, const char *reason, rp_error *err)
{
    static const char *const states[] = { "ready", "break", "offline", NULL };
    if (cc__index(state, states) < 0)
        return rp_err(err, RP_INVAL, "state: '%.20s' is not ready, break or offline (wrap-up ends with a "
                                     "disposition)", state ? state : "");
    if (!strcmp(state, "break"))
        return cc__text_ok("reason", reason, 40, 1, err);
    if (reason && *reason)
        return rp_err(err, RP_INVAL, "reason: only a break has one");
    return RP_OK;
}

/* The change itself, in the caller's transaction: *same when the agent is in that state already. */
static int change(wh *w, const json_t *a, const char *state, const char *reason, const char *by, int64_t at,
                  int *same, rp_error *err)
{
    int64_t id = I(a, "id"), n = 0, first = 0;
    const char *now = S(a, "state");
    int rc = RP_OK;
    *same = !strcmp(now, state) && (!reason || (S(a, "reason") && !strcmp(reason, S(a, "reason"))));
    if (*same)
        return RP_OK;
    if (!strcmp(now, "wrap_up") && (rc = open_count(w, id, 1, &n, &first, err)) == RP_OK && n)
        return rp_err(err, RP_EXISTS, "agent %s is wrapping up interaction %lld: give it a disposition first",
                      S(a, "login"), (long long)first);
    if (rc)
        return rc;
    if (!strcmp(state, "offline") && !(rc = open_count(w, id, 0, &n, &first, err)) && n)
        return rp_err(err, RP_EXISTS, "agent %s has interaction %lld open: finish it before signing off", S(a, "login"),
                      (long long)first);
    return rc ? rc : cc__agent_set(w, id, state, reason, at, by, err);
}

int cc_agent_state(wh *w, const char *login, const char *state, const char *reason, const char *session,
                   int take_over, const char *by, int64_t at_ms, json_t **out, rp_error *err)
{
    int64_t at = at_ms ? at_ms : cc_clock_ms();
    int rc = state_check(state, reason, err), same = 0;
    if (rc || (rc = rp_store_begin(wh_store(w), err)))
        return rc;
    json_t *a = NULL, *assigned = json_array();
    if (!(rc = agent_row(w, login, &a, err)) && !(rc = session_ok(a, session, take_over, at, err)) &&
        !(rc = change(w, a, state, reason, by, at, &same, err)) && session && strcmp(state, "offline"))
        rc = session_set(w, I(a, "id"), session, at, err);
    if (!rc && !same)
        rc = cc__route(w, at, assigned, err);
    json_decref(a);
    a = NULL;
    if (!rc && !(rc = agent_row(w, login, &a, err))) {
        json_object_del(a, "session");
        *out = json_pack("{s:o, s:b, s:o}", "agent", a, "repeated", same, "assignments", assigned);
        return cc__end(w, RP_OK, out, err);
    }
    json_decref(assigned);
    return cc__end(w, rc, NULL, err);
}

int cc_agent_seen(wh *w, const char *login, const char *session, int64_t at_ms, rp_error *err)
{
    json_t *a;
    int rc = agent_row(w, login, &a, err);
    if (rc)
        return rc;
    if (S(a, "session") && session && !strcmp(S(a, "session"), session))
        rc = session_set(w, I(a, "id"), session, at_ms ? at_ms : cc_clock_ms(), err);
    json_decref(a);
    return rc;
}

/* ---- the timers ---- */

/* Calls whose wrap-up time is over end without a code; messages likewise by their queue's time. */
static int wrap_timeouts(wh *w, int64_t now, json_t *done, json_t *assigned, rp_error *err)
{
    rp_stmt *st;
    json_t *rows;
    int rc = rp_store_prepare(wh_store(w), "SELECT i.id, i.wrap_at, q.wrap_up_s, a.login, a.id AS agent_id, "
                                           "a.state AS agent_state, a.wrap_until FROM cc_interaction i JOIN cc_queue q "
                                           "ON q.code = i.queue LEFT JOIN cc_agent a ON a.id = i.agent WHERE i.state = "
                                           "'wrap_up'",
                              &st, err);
    if (rc || (rc = rp_stmt_rows_json(st, 0, &rows, NULL, err)))
        return rc;
    size_t i;
    json_t *x;
    json_array_foreach(rows, i, x) {
        int64_t wrap_at, until;
        rp_error e = RP_ERROR_INIT;
        if (cc_time_parse("wrap_at", S(x, "wrap_at"), &wrap_at, &e))
            continue;
        until = S(x, "wrap_until") && !cc_time_parse("wrap_until", S(x, "wrap_until"), &until, &e)
                    ? until : wrap_at + I(x, "wrap_up_s") * 1000;
        if (until > now)
            continue;
        cc_event_in ev = { .interaction = I(x, "id"), .event = "wrap_up", .disposition = "no code (wrap-up time over)",
                           .by = "contact centre", .at_ms = now };
        json_t *o = NULL;
        if ((rc = cc_event_apply(w, &ev, &o, err)))
            break;
        json_array_extend(assigned, json_object_get(o, "assignments"));
        json_decref(o);
        json_array_append_new(done, json_integer(I(x, "id")));
    }
    json_decref(rows);
    return rc;
}

/* Agents whose sign-in gave no sign of life: offline, what was given to them and not answered back in
 * line (its place kept). */
static int quiet_sessions(wh *w, int64_t now, json_t *gone, json_t *assigned, rp_error *err)
{
    char cut[CC_TIME_LEN];
    cc_time_format(now - CC_SESSION_TIMEOUT_S * 1000, cut);
    rp_stmt *st;
    json_t *rows;
    int rc = rp_store_prepare(wh_store(w), "SELECT id, login FROM cc_agent WHERE state <> 'offline' AND session IS NOT "
                                           "NULL AND seen_at < ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, cut);
    if ((rc = rp_stmt_rows_json(st, 0, &rows, NULL, err)))
        return rc;
    size_t i;
    json_t *x;
    json_array_foreach(rows, i, x) {
        if ((rc = rp_store_prepare(wh_store(w), "SELECT id FROM cc_interaction WHERE agent = ? AND state = 'assigned'",
                                   &st, err)))
            break;
        rp_stmt_bind_int(st, 1, I(x, "id"));
        json_t *ids;
        if ((rc = rp_stmt_rows_json(st, 0, &ids, NULL, err)))
            break;
        size_t j;
        json_t *y;
        json_array_foreach(ids, j, y) if (!rc) {
            cc_event_in ev = { .interaction = I(y, "id"), .event = "no_answer", .reason = "the agent's screen went quiet",
                               .by = "contact centre", .at_ms = now };
            json_t *o = NULL;
            if (!(rc = cc_event_apply(w, &ev, &o, err)))
                json_array_extend(assigned, json_object_get(o, "assignments"));
            json_decref(o);
        }
        json_decref(ids);
        if (rc || (rc = rp_store_begin(wh_store(w), err)))
            break;
        if ((rc = cc__agent_set(w, I(x, "id"), "offline", "signed in elsewhere or gone quiet", now, "contact centre",
                                err)) ||
            (rc = rp_store_commit(wh_store(w), err))) {
            rp_store_rollback(wh_store(w));
            break;
        }
        json_array_append_new(gone, json_string(S(x, "login")));
    }
    json_decref(rows);
    return rc;
}

int cc_tick(wh *w, int64_t now_ms, json_t **out, rp_error *err)
{
    int64_t now = now_ms ? now_ms : cc_clock_ms(), queues;
    /* a store without a contact centre: nothing to time, and no writer's lock taken every second */
    int rc0 = rp_store_query_int(wh_store(w), "SELECT count(*) FROM cc_queue WHERE active = 1", &queues, err);
    if (rc0)
        return rc0;
    if (!queues) {
        *out = json_pack("{s:[], s:[], s:[], s:[], s:[]}", "wrapped_up", "timed_out", "surges", "dialled", "assignments");
        return RP_OK;
    }
    json_t *done = json_array(), *gone = json_array(), *assigned = json_array(), *surges = json_array(),
           *dialled = json_array();
    int rc = wrap_timeouts(w, now, done, assigned, err);
    if (!rc)
        rc = quiet_sessions(w, now, gone, assigned, err);
    if (!rc)
        rc = cc__dial_timeouts(w, now, assigned, err);
    if (!rc && !(rc = rp_store_begin(wh_store(w), err))) {
        rc = cc__surges(w, now, surges, err);
        if (!rc)
            rc = cc__route(w, now, assigned, err);
        /* the agents still free after that dial for the diallers, and the calls placed go to them */
        size_t before = json_array_size(dialled);
        if (!rc && !(rc = cc__dial(w, now, dialled, err)) && json_array_size(dialled) > before)
            rc = cc__route(w, now, assigned, err);
        rc = cc__end(w, rc, NULL, err);
    }
    if (rc) {
        json_decref(done), json_decref(gone), json_decref(assigned), json_decref(surges), json_decref(dialled);
        return rc;
    }
    *out = json_pack("{s:o, s:o, s:o, s:o, s:o}", "wrapped_up", done, "timed_out", gone, "surges", surges, "dialled",
                     dialled, "assignments", assigned);
    return RP_OK;
}

/* ---- the desk ---- */

int cc_desk(wh *w, const char *login, json_t **out, rp_error *err)
{
    json_t *a, *open;
    int rc = agent_row(w, login, &a, err);
    if (rc)
        return rc;
    json_object_del(a, "session");
    rp_stmt *st;
    if ((rc = rp_store_prepare(wh_store(w), "SELECT id FROM cc_interaction WHERE agent = ? AND state IN ('assigned', "
                                            "'connected', 'wrap_up') ORDER BY id",
                               &st, err))) {
        json_decref(a);
        return rc;
    }
    rp_stmt_bind_int(st, 1, I(a, "id"));
    if ((rc = rp_stmt_rows_json(st, 0, &open, NULL, err))) {
        json_decref(a);
        return rc;
    }
    json_t *list = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(open, i, x) {
        json_t *ix;
        if ((rc = cc_interaction_get(w, I(x, "id"), &ix, err)))
            break;
        json_array_append_new(list, ix);
    }
    json_decref(open);
    if (rc) {
        json_decref(a), json_decref(list);
        return rc;
    }
    /* the queues a transfer may go to, and the agents (who is ready) */
    json_t *queues = NULL, *agents = NULL;
    if ((rc = rp_store_prepare(wh_store(w), "SELECT code, name, channel FROM cc_queue WHERE active = 1 ORDER BY code",
                               &st, err)) ||
        (rc = rp_stmt_rows_json(st, 0, &queues, NULL, err)) ||
        (rc = rp_store_prepare(wh_store(w), "SELECT login, name, state FROM cc_agent WHERE active = 1 AND login <> ? "
                                            "ORDER BY login",
                               &st, err))) {
        json_decref(a), json_decref(list), json_decref(queues);
        return rc;
    }
    rp_stmt_bind_text(st, 1, login);
    if ((rc = rp_stmt_rows_json(st, 0, &agents, NULL, err))) {
        json_decref(a), json_decref(list), json_decref(queues);
        return rc;
    }
    *out = json_pack("{s:o, s:o, s:o, s:o}", "agent", a, "interactions", list, "queues", queues, "colleagues", agents);
    return RP_OK;
}
