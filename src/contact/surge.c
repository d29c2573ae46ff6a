/* surge.c — surges (C12): each second (cc_tick) every voice queue's last fifteen minutes are weighed by
 * Erlang C — the calls offered, the handle time of the last hour, the queue's target — against the
 * agents on duty with its skill.  When more are needed than there are a surge starts, and the centre acts by itself, each action logged in cc_surge: running
 * campaigns' outbound call cells paused (marketing's own steering, so their lists stop), heavy batch
 * work deferred (rapport analyze and customer refresh wait while a surge is on), the queue's skills
 * widened (any level of its skill takes its calls), and callers offered a call-back with the wait to
 * expect (the switch's reply says so).  When the agents are enough again for the calls of the last
 * fifteen minutes, it ends and what it paused is resumed.  See contact.h. */
#include "contact/internal.h"
#include "core/json.h"
#include "marketing/marketing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW_S 900
#define MIN_CALLS 5     /* a queue with fewer calls in the window is not judged: noise */

static const char *S(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t I(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

static int rows(wh *w, const char *sql, const char *a, const char *b, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), sql, &st, err);
    if (rc)
        return rc;
    if (a)
        rp_stmt_bind_text(st, 1, a);
    if (b)
        rp_stmt_bind_text(st, 2, b);
    return rp_stmt_rows_json(st, 0, out, NULL, err);
}

int cc_surges_open(wh *w, json_t **out, rp_error *err)
{
    return rows(w, "SELECT id, queue, started_at, offered_15m, aht_s, agents_needed, agents_on_duty, actions FROM cc_surge "
                   "WHERE ended_at IS NULL ORDER BY id",
                NULL, NULL, out, err);
}

/* Pause (or resume) the outbound call cells of running campaigns: those paused are listed in out. */
static int outbound(wh *w, json_t *cells, int pause, json_t *out, rp_error *err)
{
    size_t i;
    json_t *x;
    if (!pause) { /* resume what this surge paused */
        json_array_foreach(cells, i, x) {
            char code[80];
            snprintf(code, sizeof code, "%s", json_string_value(x));
            char *slash = strchr(code, '/');
            rp_error e = RP_ERROR_INIT;
            if (slash && (*slash = 0, mk_cell_steer(w, code, slash + 1, 0, -1, "contact centre (surge over)", &e)))
                continue; /* a campaign closed meanwhile: nothing to resume */
        }
        return RP_OK;
    }
    json_t *list;
    int rc = mk_campaign_list(w, "running", &list, err);
    if (rc)
        return rc;
    json_array_foreach(list, i, x) {
        json_t *c, *cell;
        size_t j;
        rp_error e = RP_ERROR_INIT;
        if (mk_campaign_get(w, S(x, "code"), &c, &e))
            continue;
        json_array_foreach(json_object_get(c, "cells"), j, cell) {
            if (strcmp(S(cell, "channel"), "outbound_call") || json_is_true(json_object_get(cell, "paused")))
                continue;
            if (mk_cell_steer(w, S(x, "code"), S(cell, "cell"), 1, -1, "contact centre (surge)", &e) == RP_OK) {
                char k[80];
                snprintf(k, sizeof k, "%s/%s", S(x, "code"), S(cell, "cell"));
                json_array_append_new(out, json_string(k));
            }
        }
        json_decref(c);
    }
    json_decref(list);
    return RP_OK;
}

/* A queue's load now: calls offered in the window, handle time of the last hour (180 s with none),
 * agents on duty with its skill, the longest wait. */
typedef struct load {
    int64_t offered, on_duty;
    double aht, longest;
} load;

static int load_of(wh *w, const json_t *q, int64_t now, load *l, rp_error *err)
{
    char since[CC_TIME_LEN], hour[CC_TIME_LEN], until[CC_TIME_LEN];
    cc_time_format(now - WINDOW_S * 1000, since);
    cc_time_format(now - 3600 * 1000, hour);
    cc_time_format(now, until);
    json_t *r;
    int rc = rows(w, "SELECT i.state, i.offered_at, i.queued_at, i.connected_at, i.ended_at FROM cc_interaction i WHERE "
                     "i.queue = ?1 AND (i.offered_at >= ?2 OR i.state = 'queued' OR (i.state = 'done' AND i.ended_at >= "
                     "?2))",
                  S(q, "code"), hour, &r, err);
    if (rc)
        return rc;
    *l = (load){ 0 };
    double sum = 0;
    int n = 0;
    size_t i;
    json_t *x;
    json_array_foreach(r, i, x) {
        int64_t off, q0, c, e;
        rp_error er = RP_ERROR_INIT;
        if (!cc_time_parse("t", S(x, "offered_at"), &off, &er) && strcmp(S(x, "offered_at"), since) >= 0 &&
            strcmp(S(x, "offered_at"), until) <= 0)
            l->offered++;
        if (!strcmp(S(x, "state"), "queued") && !cc_time_parse("t", S(x, "queued_at"), &q0, &er) &&
            (double)(now - q0) / 1000 > l->longest)
            l->longest = (double)(now - q0) / 1000;
        if (!strcmp(S(x, "state"), "done") && S(x, "connected_at") && !cc_time_parse("t", S(x, "connected_at"), &c, &er) &&
            !cc_time_parse("t", S(x, "ended_at"), &e, &er) && e <= now)
            sum += (double)(e - c) / 1000, n++;
    }
    json_decref(r);
    l->aht = n ? sum / n : 180;
    rp_stmt *st;
    if ((rc = rp_store_prepare(wh_store(w), "SELECT count(DISTINCT a.id) FROM cc_agent a JOIN cc_agent_skill k ON k.agent = "
                                            "a.id JOIN cc_queue q ON q.skill = k.skill WHERE q.code = ? AND a.active = 1 "
                                            "AND a.state IN ('ready', 'wrap_up')",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, S(q, "code"));
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        l->on_duty = rp_stmt_int(st, 0);
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

static int start(wh *w, const json_t *q, const load *l, int needed, int64_t now, json_t *log, rp_error *err)
{
    json_t *paused = json_array();
    int rc = outbound(w, NULL, 1, paused, err);
    /* a surge that pauses nothing (another paused them) resumes at its end what the others paused */
    if (!rc && !json_array_size(paused)) {
        json_t *open;
        size_t i;
        json_t *x;
        if (!(rc = cc_surges_open(w, &open, err))) {
            json_array_foreach(open, i, x) {
                json_t *a = NULL;
                rp_error e = RP_ERROR_INIT;
                if (S(x, "actions") && !rp_json_load_str("actions", S(x, "actions"), strlen(S(x, "actions")), &a, &e))
                    json_array_extend(paused, json_object_get(a, "outbound_paused"));
                json_decref(a);
            }
            json_decref(open);
        }
    }
    json_t *actions = json_pack("{s:o, s:b, s:b, s:b}", "outbound_paused", paused, "batch_deferred", 1,
                                "skills_widened", 1, "callbacks_offered", 1);
    char *a = json_dumps(actions, JSON_COMPACT), at[CC_TIME_LEN];
    cc_time_format(now, at);
    rp_stmt *st;
    if (!rc && !(rc = rp_store_prepare(wh_store(w), "INSERT INTO cc_surge(queue, started_at, offered_15m, aht_s, "
                                                    "agents_needed, agents_on_duty, actions) VALUES (?,?,?,?,?,?,?)",
                                       &st, err))) {
        rp_stmt_bind_text(st, 1, S(q, "code"));
        rp_stmt_bind_text(st, 2, at);
        rp_stmt_bind_int(st, 3, l->offered);
        rp_stmt_bind_real(st, 4, l->aht);
        rp_stmt_bind_int(st, 5, needed);
        rp_stmt_bind_int(st, 6, l->on_duty);
        rp_stmt_bind_text(st, 7, a);
        rc = rp_stmt_run(st, err);
    }
    free(a);
    if (!rc)
        json_array_append_new(log, json_pack("{s:s, s:s, s:I, s:i, s:I, s:O}", "queue", S(q, "code"), "surge", "started",
                                             "offered_15m", (json_int_t)l->offered, "agents_needed", needed,
                                             "agents_on_duty", (json_int_t)l->on_duty, "actions", actions));
    json_decref(actions);
    return rc;
}

static int finish(wh *w, const json_t *s, int64_t now, json_t *log, rp_error *err)
{
    json_t *actions = NULL;
    rp_error e = RP_ERROR_INIT;
    int64_t others = 0;
    rp_stmt *q;
    int rc0 = rp_store_prepare(wh_store(w), "SELECT count(*) FROM cc_surge WHERE ended_at IS NULL AND id <> ?", &q, err);
    if (rc0)
        return rc0;
    rp_stmt_bind_int(q, 1, I(s, "id"));
    if ((rc0 = rp_stmt_step(q, err)) == RP_ROW)
        others = rp_stmt_int(q, 0);
    rp_stmt_done(q);
    if (rc0 != RP_ROW)
        return rc0;
    /* the outbound cells stay paused while another queue is in a surge: the last surge resumes them */
    if (!others && S(s, "actions") && !rp_json_load_str("actions", S(s, "actions"), strlen(S(s, "actions")), &actions, &e))
        (void)outbound(w, json_object_get(actions, "outbound_paused"), 0, NULL, err);
    json_decref(actions);
    char at[CC_TIME_LEN];
    cc_time_format(now, at);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "UPDATE cc_surge SET ended_at = ? WHERE id = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, at);
    rp_stmt_bind_int(st, 2, I(s, "id"));
    if (!(rc = rp_stmt_run(st, err)))
        json_array_append_new(log, json_pack("{s:s, s:s}", "queue", S(s, "queue"), "surge", "ended"));
    return rc;
}

int cc__surges(wh *w, int64_t now, json_t *log, rp_error *err)
{
    json_t *queues, *open;
    int rc = rows(w, "SELECT code, target_s, target_level FROM cc_queue WHERE active = 1 AND channel IN ('voice', "
                     "'callback')",
                  NULL, NULL, &queues, err);
    if (rc || (rc = cc_surges_open(w, &open, err))) {
        json_decref(queues);
        return rc;
    }
    size_t i, j;
    json_t *q, *s;
    json_array_foreach(queues, i, q) {
        load l;
        if ((rc = load_of(w, q, now, &l, err)))
            break;
        int needed = 0;
        cc_erlang e;
        rp_error er = RP_ERROR_INIT;
        if (l.offered >= MIN_CALLS &&
            cc_erlang_agents((double)l.offered, WINDOW_S, l.aht, (double)I(q, "target_s"),
                             json_number_value(json_object_get(q, "target_level")), 0, 5000, &needed, &e, &er))
            needed = 5000; /* past any staffing */
        const json_t *on = NULL;
        json_array_foreach(open, j, s) if (!strcmp(S(s, "queue"), S(q, "code"))) on = s;
        /* the load past the staff, not one caller left waiting (that is understaffing, on the wallboard) */
        int over = l.offered >= MIN_CALLS && needed > l.on_duty;
        if (over && !on)
            rc = start(w, q, &l, needed, now, log, err);
        else if (!over && on)
            rc = finish(w, on, now, log, err);
        if (rc)
            break;
    }
    json_decref(queues);
    json_decref(open);
    return rc;
}
