/* board.c — the supervisor's wallboard (C10): each queue now (waiting, the longest wait) and since the
 * start of the day (offered, answered, abandoned, service level within the queue's target, speed of
 * answer, handle time, abandonment, first-contact resolution), each agent's state and occupancy, and
 * the alerts the thresholds raise.  Computed from the interactions and the agents' state changes, so a
 * restart loses nothing.  See contact.h. */
#include "contact/internal.h"
#include "core/json.h"
#include "core/rtime.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *S(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t I(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

/* A row's time in ms (0 when absent). */
static int64_t T(const json_t *o, const char *k)
{
    int64_t ms;
    rp_error e = RP_ERROR_INIT;
    return S(o, k) && !cc_time_parse(k, S(o, k), &ms, &e) ? ms : 0;
}

static int rows(wh *w, const char *sql, const char *bind, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), sql, &st, err);
    if (rc)
        return rc;
    if (bind)
        rp_stmt_bind_text(st, 1, bind);
    return rp_stmt_rows_json(st, 0, out, NULL, err);
}

typedef struct qstat {
    int64_t waiting, offered, answered, abandoned, within, done, resolved, with_party;
    double wait_sum, handle_sum, longest;
} qstat;

static json_t *num(double v) { return isfinite(v) ? json_real(round(v * 10000) / 10000) : json_null(); }

/* First-contact resolution: each done interaction of a known customer is marked resolved (member
 * "resolved") when no later contact of the same customer for the same reason (its queue when it has
 * none) came within days, not counting its own transfers.  Sorted by customer and time, each looks only
 * at the customer's next contacts. */
static int by_party(const void *a, const void *b, void *rows)
{
    const json_t *x = json_array_get(rows, *(const size_t *)a), *y = json_array_get(rows, *(const size_t *)b);
    int64_t p = I(x, "party_id"), q = I(y, "party_id");
    if (p != q)
        return p < q ? -1 : 1;
    int64_t s = I(x, "id"), t = I(y, "id");
    return s < t ? -1 : s > t;
}

static int mark_resolved(json_t *all, int days, rp_error *err)
{
    size_t n = json_array_size(all), *ix = malloc((n + 1) * sizeof *ix);
    if (!ix)
        return rp_err(err, RP_NOMEM, "wallboard: %zu interactions", n);
    for (size_t i = 0; i < n; i++)
        ix[i] = i;
    qsort_r(ix, n, sizeof *ix, by_party, all);
    for (size_t k = 0; k < n; k++) {
        json_t *x = json_array_get(all, ix[k]);
        if (!I(x, "party_id") || strcmp(S(x, "state"), "done"))
            continue;
        const char *key = S(x, "reason") ? S(x, "reason") : S(x, "queue");
        int64_t at = T(x, "offered_at");
        int again = 0;
        for (size_t m = k + 1; m < n && !again; m++) {
            const json_t *y = json_array_get(all, ix[m]);
            if (I(y, "party_id") != I(x, "party_id"))
                break;
            const char *k2 = S(y, "reason") ? S(y, "reason") : S(y, "queue");
            int64_t t = T(y, "offered_at");
            again = t - at <= (int64_t)days * 86400000 && !strcmp(k2, key) && I(y, "parent") != I(x, "id");
        }
        json_object_set_new(x, "resolved", json_boolean(!again));
    }
    free(ix);
    return RP_OK;
}

static void tally(const json_t *all, int64_t now, int target_s, const char *queue, qstat *q)
{
    memset(q, 0, sizeof *q);
    for (size_t i = 0; i < json_array_size(all); i++) {
        const json_t *x = json_array_get(all, i);
        if (strcmp(S(x, "queue"), queue))
            continue;
        const char *state = S(x, "state");
        int64_t queued = T(x, "queued_at"), conn = T(x, "connected_at");
        if (!strcmp(state, "queued")) {
            q->waiting++;
            if (queued && (double)(now - queued) / 1000 > q->longest)
                q->longest = (double)(now - queued) / 1000;
        }
        if (I(x, "in_period") == 0)
            continue;
        q->offered++;
        q->abandoned += !strcmp(state, "abandoned");
        if (conn) {
            q->answered++;
            q->wait_sum += (double)(conn - queued) / 1000;
            q->within += conn - queued <= (int64_t)target_s * 1000;
        }
        if (!strcmp(state, "done") && conn) {
            q->done++;
            q->handle_sum += (double)(T(x, "ended_at") - conn) / 1000;
            if (I(x, "party_id")) {
                q->with_party++;
                q->resolved += json_is_true(json_object_get(x, "resolved"));
            }
        }
    }
}

static json_t *queue_json(const json_t *qrow, const qstat *q)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:O}", "code", S(qrow, "code"), "name", S(qrow, "name"), "channel",
                          S(qrow, "channel"), "target_s", (json_int_t)I(qrow, "target_s"), "target_level",
                          json_object_get(qrow, "target_level"));
    json_object_set_new(o, "waiting", json_integer(q->waiting));
    json_object_set_new(o, "longest_wait_s", json_integer((json_int_t)q->longest));
    json_object_set_new(o, "offered", json_integer(q->offered));
    json_object_set_new(o, "answered", json_integer(q->answered));
    json_object_set_new(o, "abandoned", json_integer(q->abandoned));
    json_object_set_new(o, "answered_within_target", json_integer(q->within));
    json_object_set_new(o, "service_level", q->offered ? num((double)q->within / (double)q->offered) : json_null());
    json_object_set_new(o, "asa_s", q->answered ? num(q->wait_sum / (double)q->answered) : json_null());
    json_object_set_new(o, "aht_s", q->done ? num(q->handle_sum / (double)q->done) : json_null());
    json_object_set_new(o, "abandonment", q->offered ? num((double)q->abandoned / (double)q->offered) : json_null());
    json_object_set_new(o, "fcr", q->with_party ? num((double)q->resolved / (double)q->with_party) : json_null());
    return o;
}

/* The alerts of one queue by the thresholds. */
static void alerts_of(const json_t *qj, const cc_board_opts *o, json_t *alerts)
{
    double sl = json_number_value(json_object_get(qj, "service_level")),
           level = json_number_value(json_object_get(qj, "target_level")),
           ab = json_number_value(json_object_get(qj, "abandonment"));
    int64_t longest = I(qj, "longest_wait_s"), target = I(qj, "target_s");
    const char *code = S(qj, "code");
    if (json_is_number(json_object_get(qj, "service_level")) && sl < level)
        json_array_append_new(alerts, json_pack("{s:s, s:s, s:O, s:f}", "queue", code, "kind", "service_level",
                                                "value", json_object_get(qj, "service_level"), "threshold", level));
    if (longest > (o->alert_wait_s > 0 ? o->alert_wait_s : target * 4))
        json_array_append_new(alerts, json_pack("{s:s, s:s, s:I, s:I}", "queue", code, "kind", "longest_wait", "value",
                                                (json_int_t)longest, "threshold",
                                                (json_int_t)(o->alert_wait_s > 0 ? o->alert_wait_s : target * 4)));
    if (json_is_number(json_object_get(qj, "abandonment")) && ab > (o->alert_abandon > 0 ? o->alert_abandon : 0.05))
        json_array_append_new(alerts, json_pack("{s:s, s:s, s:O, s:f}", "queue", code, "kind", "abandonment", "value",
                                                json_object_get(qj, "abandonment"), "threshold",
                                                o->alert_abandon > 0 ? o->alert_abandon : 0.05));
}

/* Each agent: state, since when, what they hold, handled since the start, occupancy (time handling
 * over time signed in, from the state changes). */
/* Each agent's work in the period, in one pass over the interactions: {login: [busy ms, handled, open]}. */
static json_t *work_by_agent(const json_t *all, int64_t since_ms, int64_t now)
{
    json_t *by = json_object(), *x;
    size_t j;
    json_array_foreach(all, j, x) {
        const char *login = S(x, "agent");
        if (!login)
            continue;
        json_t *v = json_object_get(by, login);
        if (!v)
            json_object_set_new(by, login, v = json_pack("[I, I, I]", (json_int_t)0, (json_int_t)0, (json_int_t)0));
        int64_t c = T(x, "connected_at"), e = T(x, "ended_at");
        if (c && I(x, "in_period")) {
            json_array_set_new(v, 0, json_integer(json_integer_value(json_array_get(v, 0)) + (e ? e : now) -
                                                  (c > since_ms ? c : since_ms)));
            json_array_set_new(v, 1, json_integer(json_integer_value(json_array_get(v, 1)) + (e != 0)));
        }
        if (!e && strcmp(S(x, "state"), "queued"))
            json_array_set_new(v, 2, json_integer(json_integer_value(json_array_get(v, 2)) + 1));
    }
    return by;
}

/* Each agent: state, since when, what they hold, handled since the start, occupancy (time handling
 * over time signed in, from the state changes, in order by agent: one pass). */
static int agents_json(wh *w, const json_t *all, const char *since, int64_t since_ms, int64_t now, json_t **out,
                       rp_error *err)
{
    json_t *ag, *log;
    int rc = rows(w, "SELECT id, login, name, state, reason, state_at FROM cc_agent WHERE active = 1 ORDER BY id",
                  NULL, &ag, err);
    if (rc || (rc = rows(w, "SELECT agent, at, state FROM cc_agent_state WHERE at >= ? ORDER BY agent, id", since,
                         &log, err))) {
        json_decref(ag);
        return rc;
    }
    json_t *work = work_by_agent(all, since_ms, now), *a;
    size_t i, j = 0, nlog = json_array_size(log);
    json_array_foreach(ag, i, a) {
        int64_t id = I(a, "id"), on = 0, last = since_ms;
        int signed_in = -1; /* before its first change in the period the agent is taken as offline */
        while (j < nlog && I(json_array_get(log, j), "agent") < id)
            j++;
        for (; j < nlog && I(json_array_get(log, j), "agent") == id; j++) {
            const json_t *x = json_array_get(log, j);
            int64_t t = T(x, "at");
            if (signed_in > 0)
                on += t - last;
            signed_in = strcmp(S(x, "state"), "offline") != 0;
            last = t;
        }
        if (signed_in < 0)
            signed_in = strcmp(S(a, "state"), "offline") != 0;
        if (signed_in)
            on += now - last;
        const json_t *v = json_object_get(work, S(a, "login"));
        int64_t busy = json_integer_value(json_array_get(v, 0));
        json_object_set_new(a, "handled", json_integer(json_integer_value(json_array_get(v, 1))));
        json_object_set_new(a, "open", json_integer(json_integer_value(json_array_get(v, 2))));
        json_object_set_new(a, "signed_in_s", json_integer(on / 1000));
        json_object_set_new(a, "occupancy", on > 0 ? num((double)busy / (double)on) : json_null());
        json_object_del(a, "id");
    }
    json_decref(log);
    json_decref(work);
    *out = ag;
    return RP_OK;
}

int cc_wallboard(wh *w, int64_t now_ms, const cc_board_opts *o, json_t **out, rp_error *err)
{
    int64_t now = now_ms ? now_ms : cc_clock_ms(), since_ms = o && o->since_ms ? o->since_ms : 0;
    if (!since_ms) { /* the day so far, in Taipei */
        int64_t local = now / 1000 + RP_TAIPEI_OFFSET;
        since_ms = (local - local % 86400 - RP_TAIPEI_OFFSET) * 1000;
    }
    cc_board_opts dflt = { 0 };
    if (!o)
        o = &dflt;
    char since[CC_TIME_LEN], now_s[CC_TIME_LEN];
    cc_time_format(since_ms, since);
    cc_time_format(now, now_s);
    json_t *queues, *all, *agents = NULL;
    int rc = rows(w, "SELECT code, name, channel, target_s, target_level FROM cc_queue WHERE active = 1 ORDER BY code",
                  NULL, &queues, err);
    if (rc)
        return rc;
    if ((rc = rows(w, "SELECT i.id, i.queue, i.state, i.party_id, i.reason, i.parent, i.offered_at, i.queued_at, "
                      "i.connected_at, i.ended_at, a.login AS agent, CASE WHEN i.offered_at >= ?1 THEN 1 ELSE 0 END "
                      "AS in_period FROM cc_interaction i LEFT JOIN cc_agent a ON a.id = i.agent WHERE i.offered_at "
                      ">= ?1 OR i.state IN ('queued', 'assigned', 'connected', 'wrap_up') ORDER BY i.id",
                   since, &all, err)) ||
        (rc = mark_resolved(all, o->fcr_days > 0 ? o->fcr_days : 7, err)) ||
        (rc = agents_json(w, all, since, since_ms, now, &agents, err))) {
        json_decref(queues);
        json_decref(all);
        return rc;
    }
    json_t *qs = json_array(), *alerts = json_array(), *q;
    size_t i;
    json_array_foreach(queues, i, q) {
        qstat st;
        tally(all, now, (int)I(q, "target_s"), S(q, "code"), &st);
        json_t *qj = queue_json(q, &st);
        alerts_of(qj, o, alerts);
        json_array_append_new(qs, qj);
    }
    json_decref(queues);
    json_decref(all);
    json_t *surges = NULL, *sg;
    if ((rc = cc_surges_open(w, &surges, err))) {
        json_decref(qs), json_decref(agents), json_decref(alerts);
        return rc;
    }
    json_array_foreach(surges, i, sg) {
        json_t *actions = NULL;
        rp_error e = RP_ERROR_INIT;
        const char *a = json_string_value(json_object_get(sg, "actions"));
        if (a && !rp_json_load_str("actions", a, strlen(a), &actions, &e))
            json_object_set_new(sg, "actions", actions);
        json_array_append_new(alerts, json_pack("{s:O, s:s, s:O, s:O}", "queue", json_object_get(sg, "queue"), "kind",
                                                "surge", "value", json_object_get(sg, "agents_needed"), "threshold",
                                                json_object_get(sg, "agents_on_duty")));
    }
    *out = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "as_of", now_s, "since", since, "queues", qs, "agents", agents,
                     "alerts", alerts, "surges", surges);
    return RP_OK;
}
