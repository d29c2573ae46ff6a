/* live.c — the centre in the store: routing what waits to the agents who may take it (the engine of
 * route.c over the rows of cc_agent and cc_interaction), interactions offered, read and listed.
 * Every change is in the caller's transaction.  See contact.h. */
#include "contact/internal.h"
#include "analytics/analytics.h"
#include "core/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the state routing reads ---- */

typedef struct live {
    cc_agent *ag;
    char (*login)[40];
    char (*sip)[128];
    int nag;
    cc_item *it;
    int nit;
    const char *skill_names[CC_MAX_SKILLS];
    char names[CC_MAX_SKILLS][CC_NAME_MAX];
} live;

static void live_free(live *l)
{
    free(l->ag), free(l->login), free(l->sip), free(l->it);
}

static double secs(const char *t, double dflt)
{
    int64_t ms;
    rp_error e = RP_ERROR_INIT;
    return t && !cc_time_parse("time", t, &ms, &e) ? (double)ms / 1000.0 : dflt;
}

static int agent_at(const live *l, int64_t id)
{
    int lo = 0, hi = l->nag - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (l->ag[mid].id == id)
            return mid;
        if (l->ag[mid].id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* The agents who are ready (busy ones with room included), their skills and what they hold now. */
static int load_agents(wh *w, double now, live *l, rp_error *err)
{
    rp_store *s = wh_store(w);
    rp_stmt *st;
    int64_t n;
    int rc = rp_store_query_int(s, "SELECT count(*) FROM cc_agent WHERE active = 1 AND state = 'ready'", &n, err);
    if (rc)
        return rc;
    l->ag = calloc((size_t)n + 1, sizeof *l->ag), l->login = calloc((size_t)n + 1, sizeof *l->login);
    l->sip = calloc((size_t)n + 1, sizeof *l->sip);
    if (!l->ag || !l->login || !l->sip)
        return rp_err(err, RP_NOMEM, "routing: %lld agents", (long long)n);
    if ((rc = rp_store_prepare(s, "SELECT id, login, name, coalesce(sip, ''), coalesce(idle_since, state_at), cap_voice, "
                                  "cap_email, cap_chat, cap_callback, cap_outbound, cap_webform FROM cc_agent "
                                  "WHERE active = 1 AND state = 'ready' ORDER BY id",
                               &st, err)))
        return rc;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW && l->nag < n) {
        cc_agent *a = &l->ag[l->nag];
        a->id = (int)rp_stmt_int(st, 0);
        snprintf(l->login[l->nag], sizeof l->login[0], "%s", rp_stmt_text(st, 1));
        snprintf(a->name, sizeof a->name, "%s", rp_stmt_text(st, 2));
        snprintf(l->sip[l->nag], sizeof l->sip[0], "%s", rp_stmt_text(st, 3));
        a->idle_since = secs(rp_stmt_text(st, 4), now);
        for (int k = 0; k < CC_NCHANNELS; k++)
            a->capacity[k] = (uint8_t)rp_stmt_int(st, 5 + k);
        a->state = CC_READY;
        l->nag++;
    }
    rp_stmt_done(st);
    if (rc != RP_DONE && rc != RP_ROW)
        return rc;
    if ((rc = rp_store_prepare(s, "SELECT k.agent, k.skill, k.level FROM cc_agent_skill k JOIN cc_agent a ON a.id = "
                                  "k.agent WHERE a.active = 1 AND a.state = 'ready'",
                               &st, err)))
        return rc;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        int i = agent_at(l, rp_stmt_int(st, 0)), k = (int)rp_stmt_int(st, 1);
        if (i >= 0 && k >= 0 && k < CC_MAX_SKILLS)
            l->ag[i].skill[k] = (uint8_t)rp_stmt_int(st, 2);
    }
    rp_stmt_done(st);
    if (rc != RP_DONE)
        return rc;
    if ((rc = rp_store_prepare(s, "SELECT agent, channel, count(*) FROM cc_interaction WHERE state IN ('assigned', "
                                  "'connected', 'wrap_up') AND agent IS NOT NULL GROUP BY agent, channel",
                               &st, err)))
        return rc;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        int i = agent_at(l, rp_stmt_int(st, 0)), ch = cc__channel(rp_stmt_text(st, 1));
        if (i >= 0 && ch >= 0) {
            l->ag[i].load[ch] = (uint8_t)rp_stmt_int(st, 2);
            l->ag[i].state = CC_BUSY;
        }
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

/* The interactions waiting (call-backs from their time), with their queues' rules. */
static int load_items(wh *w, int64_t now_ms, live *l, rp_error *err)
{
    rp_store *s = wh_store(w);
    rp_stmt *st;
    char now[CC_TIME_LEN];
    cc_time_format(now_ms, now);
    int64_t n;
    int rc = rp_store_query_int(s, "SELECT count(*) FROM cc_interaction WHERE state = 'queued'", &n, err);
    if (rc)
        return rc;
    if (!(l->it = calloc((size_t)n + 1, sizeof *l->it)))
        return rp_err(err, RP_NOMEM, "routing: %lld interactions", (long long)n);
    if ((rc = rp_store_prepare(s, "SELECT i.id, i.channel, q.skill, CASE WHEN EXISTS (SELECT 1 FROM cc_surge s WHERE "
                                  "s.queue = q.code AND s.ended_at IS NULL) THEN 1 ELSE q.min_level END, "
                                  "coalesce(q.overflow_skill, -1), "
                                  "q.overflow_s, q.priority, q.strategy, i.priority, coalesce(i.last_agent, 0), "
                                  "i.queued_at, coalesce(i.target_agent, 0) FROM cc_interaction i "
                                  "JOIN cc_queue q ON q.code = i.queue WHERE i.state = 'queued' "
                                  "AND (i.callback_at IS NULL OR i.callback_at <= ?)",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, now);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW && l->nit < n) {
        cc_item *it = &l->it[l->nit++];
        const cc_strategy *sg = cc_strategy_find(rp_stmt_text(st, 7));
        it->id = rp_stmt_int(st, 0);
        it->channel = cc__channel(rp_stmt_text(st, 1));
        it->skill = (int)rp_stmt_int(st, 2);
        it->min_level = (int)rp_stmt_int(st, 3);
        it->overflow_skill = (int)rp_stmt_int(st, 4);
        it->overflow_s = (double)rp_stmt_int(st, 5);
        /* the queue's priority first, then (value_priority) the customer's tier */
        it->priority = (int)rp_stmt_int(st, 6) * 16 + (sg && !strcmp(sg->name, "value_priority") ?
                                                       (int)rp_stmt_int(st, 8) : 0);
        it->last_agent = (int)rp_stmt_int(st, 9);
        it->arrived = secs(rp_stmt_text(st, 10), (double)now_ms / 1000);
        it->only_agent = (int)rp_stmt_int(st, 11);
        it->strategy = sg;
    }
    rp_stmt_done(st);
    if (rc != RP_DONE && rc != RP_ROW)
        return rc;
    /* the skills' names, for the decisions' reasons */
    if ((rc = rp_store_prepare(s, "SELECT id, name FROM cc_skill", &st, err)))
        return rc;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        int k = (int)rp_stmt_int(st, 0);
        if (k >= 0 && k < CC_MAX_SKILLS) {
            snprintf(l->names[k], sizeof l->names[k], "%s", rp_stmt_text(st, 1));
            l->skill_names[k] = l->names[k];
        }
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

/* ---- applying a decision ---- */

int cc__event(wh *w, int64_t interaction, int64_t at_ms, const char *event, int64_t agent, const char *detail,
              rp_error *err)
{
    rp_stmt *st;
    char at[CC_TIME_LEN];
    int rc = rp_store_prepare(wh_store(w), "INSERT INTO cc_event(interaction, at, event, agent, detail) VALUES (?,?,?,?,?)",
                              &st, err);
    if (rc)
        return rc;
    cc_time_format(at_ms, at);
    rp_stmt_bind_int(st, 1, interaction);
    rp_stmt_bind_text(st, 2, at);
    rp_stmt_bind_text(st, 3, event);
    if (agent > 0)
        rp_stmt_bind_int(st, 4, agent);
    else
        rp_stmt_bind_null(st, 4);
    rp_stmt_bind_text(st, 5, detail);
    return rp_stmt_run(st, err);
}

static int assign(wh *w, live *l, const cc_decision *d, int64_t now_ms, json_t *out, rp_error *err)
{
    cc_item *it = &l->it[d->item];
    cc_agent *ag = &l->ag[d->agent];
    char at[CC_TIME_LEN];
    cc_time_format(now_ms, at);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "UPDATE cc_interaction SET state = 'assigned', agent = ?, assigned_at = ?, "
                                           "why = ?, told_at = NULL WHERE id = ? AND state = 'queued' "
                                           "RETURNING external_id, switch_ref, party_id, address, queue, parent",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, ag->id);
    rp_stmt_bind_text(st, 2, at);
    rp_stmt_bind_text(st, 3, d->why);
    rp_stmt_bind_int(st, 4, it->id);
    if ((rc = rp_stmt_step(st, err)) != RP_ROW) {
        rp_stmt_done(st);
        return rc == RP_DONE ? rp_err(err, RP_INTERNAL, "interaction %lld: no longer waiting", (long long)it->id) : rc;
    }
    json_t *a = json_pack("{s:I, s:s, s:s?, s:s?, s:s, s:s, s:s?, s:s}", "interaction", (json_int_t)it->id, "channel",
                          cc_channel_names[it->channel], "external_id", rp_stmt_text(st, 0), "switch_ref",
                          rp_stmt_text(st, 1), "agent", l->login[d->agent], "queue", rp_stmt_text(st, 4), "sip",
                          l->sip[d->agent][0] ? l->sip[d->agent] : NULL, "why", d->why);
    if (a && rp_stmt_column_type(st, 2) == RP_COL_INT)
        json_object_set_new(a, "party_id", json_integer(rp_stmt_int(st, 2)));
    if (a && rp_stmt_text(st, 3))
        json_object_set_new(a, "address", json_string(rp_stmt_text(st, 3)));
    if (a && rp_stmt_column_type(st, 5) == RP_COL_INT) /* a transfer's new leg: the switch dials nothing */
        json_object_set_new(a, "parent", json_integer(rp_stmt_int(st, 5)));
    json_array_append_new(out, a ? a : json_null());
    if ((rc = rp_stmt_finish(st, err)) || (rc = cc__event(w, it->id, now_ms, "assigned", ag->id, d->why, err)))
        return rc;
    ag->load[it->channel]++;
    ag->state = CC_BUSY;
    l->it[d->item] = l->it[--l->nit];
    return RP_OK;
}

/* Route everything that can be routed now, each assignment added to out. */
int cc__route(wh *w, int64_t now_ms, json_t *out, rp_error *err)
{
    live l = { 0 };
    double now = (double)now_ms / 1000;
    int rc = load_agents(w, now, &l, err);
    if (!rc && l.nag)
        rc = load_items(w, now_ms, &l, err);
    const cc_strategy *order = cc_strategy_find("value_priority");
    while (!rc && l.nag && l.nit) {
        cc_centre c = { l.ag, l.nag, l.it, l.nit, l.skill_names };
        cc_decision d;
        cc_route(&c, order, now, &d);
        if (d.item < 0)
            break;
        rc = assign(w, &l, &d, now_ms, out, err);
    }
    live_free(&l);
    return rc;
}

/* ---- telling the switch and the screens ---- */

#define TOLD_COLUMNS                                                                                     \
    "i.id AS interaction, i.channel, i.external_id, i.switch_ref, a.login AS agent, i.queue, a.sip, i.why, " \
    "i.party_id, i.parties, i.address, i.ivr_path, i.reason, i.parent "

int cc_untold(wh *w, int limit, json_t **out, rp_error *err)
{
    rp_store *s = wh_store(w);
    rp_stmt *st;
    char now[CC_TIME_LEN];
    int64_t n;
    /* asked every few milliseconds: a read first, the writer's lock only when there is something */
    int rc = rp_store_query_int(s, "SELECT count(*) FROM cc_interaction WHERE state = 'assigned' AND told_at IS NULL",
                                &n, err);
    if (rc)
        return rc;
    if (!n) {
        *out = json_array();
        return RP_OK;
    }
    if ((rc = rp_store_begin(s, err)))
        return rc;
    if ((rc = rp_store_prepare(s, "SELECT " TOLD_COLUMNS "FROM cc_interaction i JOIN cc_agent a ON a.id = i.agent "
                                  "WHERE i.state = 'assigned' AND i.told_at IS NULL ORDER BY i.id LIMIT ?",
                               &st, err)))
        return cc__end(w, rc, NULL, err);
    rp_stmt_bind_int(st, 1, limit > 0 ? limit : 100);
    if ((rc = rp_stmt_rows_json(st, 0, out, NULL, err)))
        return cc__end(w, rc, NULL, err);
    cc_time_format(cc_clock_ms(), now);
    size_t i;
    json_t *x;
    json_array_foreach(*out, i, x) {
        if ((rc = rp_store_prepare(s, "UPDATE cc_interaction SET told_at = ? WHERE id = ?", &st, err)))
            break;
        rp_stmt_bind_text(st, 1, now);
        rp_stmt_bind_int(st, 2, json_integer_value(json_object_get(x, "interaction")));
        if ((rc = rp_stmt_run(st, err)))
            break;
    }
    return cc__end(w, rc, out, err);
}

int cc_told(wh *w, int64_t id, json_t **out, rp_error *err)
{
    rp_store *s = wh_store(w);
    rp_stmt *st;
    char now[CC_TIME_LEN];
    cc_time_format(cc_clock_ms(), now);
    int rc = rp_store_prepare(s, "UPDATE cc_interaction SET told_at = ? WHERE id = ? AND state = 'assigned' AND "
                                 "told_at IS NULL",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, now);
    rp_stmt_bind_int(st, 2, id);
    if ((rc = rp_stmt_run(st, err)))
        return rc;
    *out = NULL;
    if (!rp_store_changes(s))
        return RP_OK;
    if ((rc = rp_store_prepare(s, "SELECT " TOLD_COLUMNS "FROM cc_interaction i JOIN cc_agent a ON a.id = i.agent "
                                  "WHERE i.id = ?",
                               &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, id);
    return rp_stmt_rows_json(st, 1, out, NULL, err);
}

/* ---- reading ---- */

#define IX_COLUMNS                                                                                            \
    "i.id, i.channel, i.direction, i.queue, i.external_id, i.leg, i.address, i.party_id, i.parties, i.priority, " \
    "i.state, a.login AS agent, a.sip, t.login AS target_agent, i.why, i.switch_ref, i.ivr_path, i.reason, "     \
    "i.disposition, i.note, i.parent, i.campaign, i.callback_at, i.offered_at, i.queued_at, i.assigned_at, "      \
    "i.connected_at, i.wrap_at, i.ended_at "
#define IX_FROM                                                                                              \
    "FROM cc_interaction i LEFT JOIN cc_agent a ON a.id = i.agent LEFT JOIN cc_agent t ON t.id = i.target_agent "

/* The interaction by id, or the newest leg of (channel, external_id); RP_NOTFOUND naming it. */
int cc__ix(wh *w, int64_t id, const char *channel, const char *ext, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              id ? "SELECT " IX_COLUMNS IX_FROM "WHERE i.id = ?"
                                 : "SELECT " IX_COLUMNS IX_FROM "WHERE i.external_id = ?2 AND (i.channel = ?1 OR "
                                   "(?1 = 'voice' AND i.channel IN ('callback', 'outbound'))) ORDER BY i.leg DESC LIMIT 1",
                              &st, err);
    if (rc)
        return rc;
    if (id)
        rp_stmt_bind_int(st, 1, id);
    else
        rp_stmt_bind_text(st, 1, channel), rp_stmt_bind_text(st, 2, ext);
    json_t *a;
    if ((rc = rp_stmt_rows_json(st, 1, &a, NULL, err)))
        return rc;
    if (!json_array_size(a)) {
        json_decref(a);
        if (id)
            return rp_err(err, RP_NOTFOUND, "no interaction %lld", (long long)id);
        return rp_err(err, RP_NOTFOUND, "no %s interaction '%.80s'", channel ? channel : "", ext ? ext : "");
    }
    *out = json_incref(json_array_get(a, 0));
    json_decref(a);
    return RP_OK;
}

int cc_interaction_get(wh *w, int64_t id, json_t **out, rp_error *err)
{
    json_t *ix, *ev;
    int rc = cc__ix(w, id, NULL, NULL, &ix, err);
    if (rc)
        return rc;
    rp_stmt *st;
    if ((rc = rp_store_prepare(wh_store(w), "SELECT e.at, e.event, a.login AS agent, e.detail FROM cc_event e "
                                            "LEFT JOIN cc_agent a ON a.id = e.agent WHERE e.interaction = ? ORDER BY e.id",
                               &st, err))) {
        json_decref(ix);
        return rc;
    }
    rp_stmt_bind_int(st, 1, id);
    if ((rc = rp_stmt_rows_json(st, 0, &ev, NULL, err))) {
        json_decref(ix);
        return rc;
    }
    json_object_set_new(ix, "events", ev);
    *out = ix;
    return RP_OK;
}

int cc_interactions(wh *w, const char *state, const char *queue, int64_t limit, json_t **out, rp_error *err)
{
    static const char *const states[] = { "offered", "queued", "assigned", "connected", "wrap_up", "done",
                                          "abandoned", "transferred", "open", NULL };
    if (state && cc__index(state, states) < 0)
        return rp_err(err, RP_INVAL, "state: '%.20s' is not a state of an interaction (offered, queued, assigned, "
                                     "connected, wrap_up, done, abandoned, transferred, open)", state);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT " IX_COLUMNS IX_FROM "WHERE (? IS NULL OR i.state = ? OR (? = 'open' AND i.state "
                              "IN ('offered', 'queued', 'assigned', 'connected', 'wrap_up'))) "
                              "AND (? IS NULL OR i.queue = ?) ORDER BY i.id DESC LIMIT ?",
                              &st, err);
    if (rc)
        return rc;
    for (int k = 1; k <= 3; k++)
        rp_stmt_bind_text(st, k, state);
    rp_stmt_bind_text(st, 4, queue);
    rp_stmt_bind_text(st, 5, queue);
    rp_stmt_bind_int(st, 6, limit > 0 && limit <= 10000 ? limit : 100);
    return rp_stmt_rows_json(st, 0, out, NULL, err);
}

/* ---- offering ---- */

/* The queue an interaction goes to: named, or the one whose number was dialled. */
static int queue_of(wh *w, const cc_offer_in *in, char code[40], char channel[16], char ivr[40], rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), in->queue ? "SELECT code, channel, coalesce(ivr, '') FROM cc_queue WHERE code = ? "
                                                       "AND active = 1"
                                                     : "SELECT code, channel, coalesce(ivr, '') FROM cc_queue WHERE number = "
                                                       "? AND active = 1",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, in->queue ? in->queue : in->to);
    rc = rp_stmt_step(st, err);
    if (rc == RP_ROW) {
        snprintf(code, 40, "%s", rp_stmt_text(st, 0));
        snprintf(channel, 16, "%s", rp_stmt_text(st, 1));
        snprintf(ivr, 40, "%s", rp_stmt_text(st, 2));
    }
    rp_stmt_done(st);
    if (rc == RP_DONE)
        return in->queue ? rp_err(err, RP_NOTFOUND, "queue: '%.40s' is not an open queue", in->queue)
                         : rp_err(err, RP_NOTFOUND, "to: no queue answers '%.40s'", in->to ? in->to : "");
    return rc == RP_ROW ? RP_OK : rc;
}

/* The customer by the address (phone or e-mail), the value tier from the latest value analysis (the
 * top tenth 10, the last 1; 0 unknown), and who served them last. */
static int customer_of(wh *w, const cc_offer_in *in, int64_t *party, int *parties, int *tier, int64_t *last,
                       rp_error *err)
{
    *party = in->party_id, *parties = in->party_id ? 1 : 0, *tier = 0, *last = 0;
    if (!*party && in->address && *in->address) {
        char key[120];
        int64_t ids[8];
        rp_error e = RP_ERROR_INIT;
        snprintf(key, sizeof key, "%s%s", strchr(in->address, '@') ? "email:" : "phone:", in->address);
        if (!wh_find_all(w, key, ids, 8, parties, NULL, &e) && *parties)
            *party = ids[0];
    }
    if (!*party)
        return RP_OK;
    json_t *sc;
    rp_error e = RP_ERROR_INIT;
    if (!an_scores(w, *party, &sc, &e)) {
        size_t i;
        json_t *x;
        json_array_foreach(sc, i, x) {
            json_int_t dec = json_integer_value(json_object_get(json_object_get(x, "result"), "decile"));
            if (dec >= 1 && dec <= 10 && !*tier)
                *tier = (int)(11 - dec);
        }
        json_decref(sc);
    }
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "SELECT agent FROM cc_interaction WHERE party_id = ? AND agent IS NOT NULL "
                                           "AND connected_at IS NOT NULL ORDER BY id DESC LIMIT 1",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, *party);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        *last = rp_stmt_int(st, 0);
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

static int offer_check(const cc_offer_in *in, int64_t *cb_ms, rp_error *err)
{
    int rc;
    if (cc__channel(in->channel) < 0)
        return rp_err(err, RP_INVAL, "channel: '%.20s' is not voice, email, chat, callback, outbound or webform",
                      in->channel ? in->channel : "");
    if (!in->queue && !in->to)
        return rp_err(err, RP_INVAL, "queue: required (or to: the number dialled)");
    if ((rc = cc__text_ok("external_id", in->external_id, 200, 1, err)) ||
        (rc = cc__text_ok("address", in->address, 120, 0, err)) || (rc = cc__text_ok("ivr_path", in->ivr_path, 200, 0, err)) ||
        (rc = cc__text_ok("reason", in->reason, 80, 0, err)) || (rc = cc__text_ok("campaign", in->campaign, 40, 0, err)) ||
        (rc = cc__text_ok("to", in->to, 40, 0, err)))
        return rc;
    *cb_ms = 0;
    return in->callback_at ? cc_time_parse("callback_at", in->callback_at, cb_ms, err) : RP_OK;
}

/* Where the interaction stands in its queue's line, and the wait to expect there: the place times 180 s
 * (a handle time) over the agents on duty at its skill's level. */
int cc__position(wh *w, json_t *ix, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT (SELECT count(*) FROM cc_interaction o WHERE o.queue = i.queue AND o.state = "
                              "'queued' AND (o.priority > i.priority OR (o.priority = i.priority AND o.queued_at <= "
                              "i.queued_at))), (SELECT count(DISTINCT a.id) FROM cc_agent a JOIN cc_agent_skill k ON "
                              "k.agent = a.id WHERE k.skill = q.skill AND k.level >= q.min_level AND a.active = 1 AND "
                              "a.state IN ('ready', 'wrap_up')) FROM cc_interaction i JOIN cc_queue q ON q.code = i.queue WHERE i.id = ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, json_integer_value(json_object_get(ix, "id")));
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        int64_t pos = rp_stmt_int(st, 0), staff = rp_stmt_int(st, 1);
        json_object_set_new(ix, "position", json_integer(pos));
        json_object_set_new(ix, "agents_on_duty", json_integer(staff));
        json_object_set_new(ix, "estimated_wait_s", json_integer(pos * 180 / (staff > 0 ? staff : 1)));
    }
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

int cc__offer_insert(wh *w, const cc_offer_in *in, const char *queue, int in_ivr, int64_t at_ms, int64_t *id,
                     rp_error *err)
{
    int64_t party, last;
    int parties, tier;
    int rc = customer_of(w, in, &party, &parties, &tier, &last, err);
    if (rc)
        return rc;
    char at[CC_TIME_LEN];
    cc_time_format(at_ms, at);
    rp_stmt *st;
    if ((rc = rp_store_prepare(wh_store(w),
                               "INSERT INTO cc_interaction(channel, direction, queue, external_id, address, party_id, "
                               "parties, priority, last_agent, state, ivr_path, reason, campaign, callback_at, "
                               "offered_at, queued_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, in->channel);
    rp_stmt_bind_text(st, 2, in->direction_out ? "out" : "in");
    rp_stmt_bind_text(st, 3, queue);
    rp_stmt_bind_text(st, 4, in->external_id);
    rp_stmt_bind_text(st, 5, in->address);
    if (party)
        rp_stmt_bind_int(st, 6, party);
    else
        rp_stmt_bind_null(st, 6);
    rp_stmt_bind_int(st, 7, parties);
    rp_stmt_bind_int(st, 8, tier);
    if (last)
        rp_stmt_bind_int(st, 9, last);
    else
        rp_stmt_bind_null(st, 9);
    rp_stmt_bind_text(st, 10, in_ivr ? "offered" : "queued"); /* a call in the IVR joins its queue at the flow's end */
    rp_stmt_bind_text(st, 11, in->ivr_path);
    rp_stmt_bind_text(st, 12, in->reason);
    rp_stmt_bind_text(st, 13, in->campaign);
    rp_stmt_bind_text(st, 14, in->callback_at);
    rp_stmt_bind_text(st, 15, at);
    rp_stmt_bind_text(st, 16, in_ivr ? NULL : at);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        *id = rp_stmt_int(st, 0);
        rc = rp_stmt_finish(st, err);
    } else {
        rp_stmt_done(st);
        return rc == RP_DONE ? rp_err(err, RP_INTERNAL, "cc_interaction: no id") : rc;
    }
    if (!rc)
        rc = cc__event(w, *id, at_ms, "offered", 0, in->address, err);
    return rc || in_ivr ? rc : cc__event(w, *id, at_ms, "queued", 0, queue, err);
}

/* The summary a change answers with: the interaction as it is now, and everything routed by it. */
int cc__answer(wh *w, int64_t id, json_t *assignments, int repeated, json_t **out, rp_error *err)
{
    json_t *ix;
    int rc = cc__ix(w, id, NULL, NULL, &ix, err);
    if (!rc && !strcmp(json_string_value(json_object_get(ix, "state")), "queued"))
        rc = cc__position(w, ix, err);
    if (rc) {
        json_decref(assignments);
        return rc;
    }
    *out = json_pack("{s:o, s:b, s:o}", "interaction", ix, "repeated", repeated, "assignments", assignments);
    return RP_OK;
}

int cc_offer(wh *w, const cc_offer_in *in, json_t **out, rp_error *err)
{
    int64_t cb, at = in->at_ms ? in->at_ms : cc_clock_ms(), id = 0;
    char queue[40], qch[16], ivr[40];
    int rc = offer_check(in, &cb, err);
    if (rc || (rc = rp_store_begin(wh_store(w), err)))
        return rc;
    json_t *prior = NULL, *assigned = json_array();
    rp_error e = RP_ERROR_INIT;
    if (!cc__ix(w, 0, in->channel, in->external_id, &prior, &e)) {
        id = json_integer_value(json_object_get(prior, "id"));
        json_decref(prior);
        return cc__end(w, cc__answer(w, id, assigned, 1, out, err), out, err);
    }
    json_t *reply = NULL;
    int in_ivr = 0;
    if (!(rc = queue_of(w, in, queue, qch, ivr, err))) {
        in_ivr = ivr[0] && !strcmp(in->channel, "voice");
        rc = cc__offer_insert(w, in, queue, in_ivr, at, &id, err);
    }
    if (!rc && in_ivr) { /* the flow first: the caller's number may already have found them */
        json_t *row = NULL;
        if (!(rc = cc__ix(w, id, NULL, NULL, &row, err)))
            rc = cc__ivr_start(w, id, json_integer_value(json_object_get(row, "party_id")), ivr, at, &reply, err);
        json_decref(row);
    }
    if (!rc && !reply)
        rc = cc__route(w, at, assigned, err);
    if (!rc) {
        rc = cc__answer(w, id, assigned, 0, out, err);
        if (!rc && reply)
            json_object_set_new(*out, "ivr", reply), reply = NULL;
        json_decref(reply);
        return cc__end(w, rc, out, err);
    }
    json_decref(reply);
    json_decref(assigned);
    return cc__end(w, rc, NULL, err);
}

int cc__end(wh *w, int rc, json_t **out, rp_error *err)
{
    if (!rc && (rc = rp_store_commit(wh_store(w), err)) && out) {
        json_decref(*out);
        *out = NULL;
    }
    if (rc)
        rp_store_rollback(wh_store(w));
    return rc;
}

int cc_ivr_input(wh *w, const char *external_id, const char *digits, int64_t at_ms, json_t **out, rp_error *err)
{
    int64_t at = at_ms ? at_ms : cc_clock_ms();
    json_t *ix = NULL, *reply = NULL, *assigned = json_array();
    int rc = rp_store_begin(wh_store(w), err);
    if (!rc)
        rc = cc__ix(w, 0, "voice", external_id, &ix, err);
    int64_t id = ix ? json_integer_value(json_object_get(ix, "id")) : 0;
    json_decref(ix);
    if (!rc)
        rc = cc__ivr_input(w, id, digits, at, &reply, err);
    if (!rc && !reply) /* handed to its queue */
        rc = cc__route(w, at, assigned, err);
    if (!rc) {
        rc = cc__answer(w, id, assigned, 0, out, err);
        if (!rc && reply)
            json_object_set_new(*out, "ivr", reply), reply = NULL;
        assigned = NULL;
    }
    json_decref(reply);
    json_decref(assigned);
    return cc__end(w, rc, out, err);
}
