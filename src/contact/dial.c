/* dial.c — outbound dialling from campaigns (C13): a dialler works through a running campaign's
 * outbound_call cell in a queue of channel outbound, one customer for each agent of the queue who is
 * free (progressive pacing: the agent first, so that nobody who answers hears silence), within the
 * calling hours and days, asking consent and do-not-call again at each dial, and ends each customer by
 * the call's outcome, the sales and refusals the campaign's responses.  See contact.h. */
#include "contact/internal.h"
#include "core/rtime.h"
#include "marketing/marketing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *S(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t I(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

/* ---- starting one ---- */

/* "HH:MM" as minutes of the day, or -1. */
static int hhmm(const char *s)
{
    if (!s || strlen(s) != 5 || s[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int h = (s[0] - '0') * 10 + s[1] - '0', m = (s[3] - '0') * 10 + s[4] - '0';
    return h < 24 && m < 60 ? h * 60 + m : -1;
}

static int opts_check(const cc_dial_opts *o, rp_error *err)
{
    int rc;
    if ((rc = cc__text_ok("campaign", o->campaign, 40, 1, err)) || (rc = cc__text_ok("cell", o->cell, 32, 1, err)) ||
        (rc = cc__code_ok("queue", o->queue, err)))
        return rc;
    int from = hhmm(o->hours_from ? o->hours_from : "09:00"),
        to = o->hours_to && !strcmp(o->hours_to, "24:00") ? 1440 : hhmm(o->hours_to ? o->hours_to : "21:00");
    if (from < 0)
        return rp_err(err, RP_INVAL, "hours_from: '%.10s' is not a time of day HH:MM", o->hours_from);
    if (to < 0)
        return rp_err(err, RP_INVAL, "hours_to: '%.10s' is not a time of day HH:MM (24:00: the day's end)", o->hours_to);
    if (to <= from)
        return rp_err(err, RP_INVAL, "hours_to: %s is not after hours_from %s", o->hours_to ? o->hours_to : "21:00",
                      o->hours_from ? o->hours_from : "09:00");
    const char *d = o->days ? o->days : "1234567";
    size_t n = strlen(d);
    for (size_t i = 0; i < n; i++)
        if (d[i] < '1' || d[i] > '7' || strchr(d + i + 1, d[i]))
            return rp_err(err, RP_INVAL, "days: '%.10s' is not a set of ISO weekdays (1 Monday .. 7 Sunday, each once)",
                          d);
    if (!n)
        return rp_err(err, RP_INVAL, "days: at least one weekday");
    if (o->attempts && (o->attempts < 1 || o->attempts > 10))
        return rp_err(err, RP_INVAL, "attempts: %d is not 1 to 10", o->attempts);
    if (o->retry_min && (o->retry_min < 1 || o->retry_min > 10080))
        return rp_err(err, RP_INVAL, "retry_min: %d is not 1 to 10080 minutes", o->retry_min);
    return RP_OK;
}

/* The queue exists, is open and dials (channel outbound); no other dialler works the cell. */
static int place_check(wh *w, const cc_dial_opts *o, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "SELECT channel FROM cc_queue WHERE code = ? AND active = 1", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, o->queue);
    char ch[16] = "";
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        snprintf(ch, sizeof ch, "%s", rp_stmt_text(st, 0));
    rp_stmt_done(st);
    if (rc == RP_DONE)
        return rp_err(err, RP_NOTFOUND, "queue: '%.40s' is not an open queue", o->queue);
    if (rc != RP_ROW)
        return rc;
    if (strcmp(ch, "outbound"))
        return rp_err(err, RP_INVAL, "queue: %s is a queue of %s, not of outbound calls", o->queue, ch);
    if ((rc = rp_store_prepare(wh_store(w), "SELECT id FROM cc_dialler WHERE campaign = ? AND cell = ? AND state IN "
                                            "('running', 'paused')",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, o->campaign);
    rp_stmt_bind_text(st, 2, o->cell);
    int64_t other = (rc = rp_stmt_step(st, err)) == RP_ROW ? rp_stmt_int(st, 0) : 0;
    rp_stmt_done(st);
    if (rc != RP_ROW && rc != RP_DONE)
        return rc;
    return other ? rp_err(err, RP_EXISTS, "campaign %s cell %s is dialled already (dialler %lld: pause or stop it first)",
                          o->campaign, o->cell, (long long)other)
                 : RP_OK;
}

static int insert_dialler(wh *w, const cc_dial_opts *o, const char *purpose, const char *by, int64_t now_ms, int64_t *id,
                         rp_error *err)
{
    char at[CC_TIME_LEN];
    cc_time_format(now_ms, at);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "INSERT INTO cc_dialler(campaign, cell, queue, purpose, hours_from, hours_to, days, attempts, "
                              "retry_min, state, started_at, started_by, changed_at, changed_by) "
                              "VALUES (?,?,?,?,?,?,?,?,?,'running',?,?,?,?) RETURNING id",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, o->campaign);
    rp_stmt_bind_text(st, 2, o->cell);
    rp_stmt_bind_text(st, 3, o->queue);
    rp_stmt_bind_text(st, 4, purpose);
    rp_stmt_bind_text(st, 5, o->hours_from ? o->hours_from : "09:00");
    rp_stmt_bind_text(st, 6, o->hours_to ? o->hours_to : "21:00");
    rp_stmt_bind_text(st, 7, o->days ? o->days : "1234567");
    rp_stmt_bind_int(st, 8, o->attempts ? o->attempts : 3);
    rp_stmt_bind_int(st, 9, o->retry_min ? o->retry_min : 60);
    for (int k = 10; k <= 12; k += 2)
        rp_stmt_bind_text(st, k, at), rp_stmt_bind_text(st, k + 1, by);
    if ((rc = rp_stmt_step(st, err)) != RP_ROW) {
        rp_stmt_done(st);
        return rc == RP_DONE ? rp_err(err, RP_INTERNAL, "cc_dialler: no id") : rc;
    }
    *id = rp_stmt_int(st, 0);
    return rp_stmt_finish(st, err);
}

int cc_dial_start(wh *w, const mk_mart *m, const cc_dial_opts *o, const char *by, int64_t now_ms, json_t **out,
                  rp_error *err)
{
    int64_t now = now_ms ? now_ms : cc_clock_ms(), id = 0;
    int rc = opts_check(o, err);
    mk_dial_target *t = NULL;
    size_t n = 0;
    char purpose[24];
    json_t *skipped = NULL;
    if (rc || (rc = rp_store_begin(wh_store(w), err)))
        return rc;
    if (!(rc = place_check(w, o, err)) && !(rc = mk_dial_targets(w, m, o->campaign, o->cell, &t, &n, purpose, &skipped, err)))
        rc = insert_dialler(w, o, purpose, by, now, &id, err);
    rp_stmt *st;
    /* a customer an earlier dialler of the cell ended (called, refused, not allowed) is not called again */
    int64_t before = 0, added = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        if ((rc = rp_store_prepare(wh_store(w), "INSERT INTO cc_dial(dialler, party_id, seq, phone) SELECT ?, ?, ?, ? "
                                                "WHERE NOT EXISTS (SELECT 1 FROM cc_dial e JOIN cc_dialler d ON d.id = "
                                                "e.dialler WHERE d.campaign = ? AND d.cell = ? AND e.party_id = ? AND "
                                                "e.state = 'done' AND e.outcome <> 'not_called') ON CONFLICT DO NOTHING",
                                   &st, err)))
            break;
        rp_stmt_bind_int(st, 1, id);
        rp_stmt_bind_int(st, 2, t[i].customer);
        rp_stmt_bind_int(st, 3, (int64_t)i + 1);
        rp_stmt_bind_text(st, 4, t[i].phone);
        rp_stmt_bind_text(st, 5, o->campaign);
        rp_stmt_bind_text(st, 6, o->cell);
        rp_stmt_bind_int(st, 7, t[i].customer);
        if (!(rc = rp_stmt_run(st, err)))
            rp_store_changes(wh_store(w)) ? added++ : before++;
    }
    free(t);
    if (!rc && skipped)
        json_object_set_new(skipped, "ended_by_an_earlier_dialler", json_integer(before));
    n = (size_t)added;
    json_t *row = NULL;
    if (!rc && !(rc = cc_dialler_get(w, id, 0, &row, err))) {
        *out = json_pack("{s:O, s:I, s:o}", "dialler", json_object_get(row, "dialler"), "customers", (json_int_t)n,
                         "skipped", skipped);
        skipped = NULL;
    }
    json_decref(row);
    json_decref(skipped);
    return cc__end(w, rc, out, err);
}

/* ---- steering and reading ---- */

int cc_dial_state(wh *w, int64_t id, const char *state, const char *by, int64_t now_ms, json_t **out, rp_error *err)
{
    static const char *const states[] = { "running", "paused", "stopped", NULL };
    if (cc__index(state, states) < 0)
        return rp_err(err, RP_INVAL, "state: '%.20s' is not running, paused or stopped", state ? state : "");
    char at[CC_TIME_LEN];
    cc_time_format(now_ms ? now_ms : cc_clock_ms(), at);
    int rc = rp_store_begin(wh_store(w), err);
    json_t *row = NULL;
    if (!rc)
        rc = cc_dialler_get(w, id, 0, &row, err);
    const char *was = row ? S(json_object_get(row, "dialler"), "state") : NULL;
    if (!rc && (!strcmp(was, "stopped") || !strcmp(was, "done")) && strcmp(was, state))
        rc = rp_err(err, RP_EXISTS, "dialler %lld is %s: it cannot be %s now", (long long)id, was, state);
    rp_stmt *st;
    if (!rc && strcmp(was, state) &&
        !(rc = rp_store_prepare(wh_store(w), "UPDATE cc_dialler SET state = ?, changed_at = ?, changed_by = ?, ended_at = "
                                             "CASE WHEN ? = 'stopped' THEN ? ELSE NULL END WHERE id = ?",
                                &st, err))) {
        rp_stmt_bind_text(st, 1, state);
        rp_stmt_bind_text(st, 2, at);
        rp_stmt_bind_text(st, 3, by);
        rp_stmt_bind_text(st, 4, state);
        rp_stmt_bind_text(st, 5, at);
        rp_stmt_bind_int(st, 6, id);
        rc = rp_stmt_run(st, err);
    }
    json_decref(row);
    if (!rc)
        rc = cc_dialler_get(w, id, 0, out, err);
    return cc__end(w, rc, out, err);
}

#define DIALLER_COLUMNS                                                                                       \
    "d.id, d.campaign, d.cell, d.queue, d.purpose, d.hours_from, d.hours_to, d.days, d.attempts, d.retry_min, " \
    "d.state, d.started_at, d.started_by, d.changed_at, d.changed_by, d.ended_at, "                           \
    "(SELECT count(*) FROM cc_dial e WHERE e.dialler = d.id) AS customers, "                                   \
    "(SELECT count(*) FROM cc_dial e WHERE e.dialler = d.id AND e.state = 'waiting') AS waiting, "             \
    "(SELECT count(*) FROM cc_dial e WHERE e.dialler = d.id AND e.state = 'dialling') AS dialling, "           \
    "(SELECT count(*) FROM cc_dial e WHERE e.dialler = d.id AND e.state = 'done') AS done, "                   \
    "(SELECT coalesce(sum(e.attempts), 0) FROM cc_dial e WHERE e.dialler = d.id) AS attempts_made, "            \
    "(SELECT count(*) FROM cc_dial e WHERE e.dialler = d.id AND e.response = 'positive') AS sales, "           \
    "(SELECT count(*) FROM cc_dial e WHERE e.dialler = d.id AND e.response = 'negative') AS refusals "

int cc_diallers(wh *w, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "SELECT " DIALLER_COLUMNS "FROM cc_dialler d ORDER BY d.id DESC LIMIT 500", &st,
                              err);
    return rc ? rc : rp_stmt_rows_json(st, 0, out, NULL, err);
}

/* A number shown to whoever reads the dialler: its last three digits. */
static void mask(json_t *row)
{
    const char *p = S(row, "phone");
    if (!p)
        return;
    size_t n = strlen(p), k = 0;
    char m[48];
    for (size_t i = 0; i < n && k + 1 < sizeof m; i++)
        m[k++] = i + 3 < n ? '*' : p[i];
    m[k] = 0;
    json_object_set_new(row, "phone", json_string(m));
}

int cc_dialler_get(wh *w, int64_t id, int entries, json_t **out, rp_error *err)
{
    rp_stmt *st;
    json_t *rows, *outcomes, *list = NULL;
    int rc = rp_store_prepare(wh_store(w), "SELECT " DIALLER_COLUMNS "FROM cc_dialler d WHERE d.id = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, id);
    if ((rc = rp_stmt_rows_json(st, 1, &rows, NULL, err)))
        return rc;
    if (!json_array_size(rows)) {
        json_decref(rows);
        return rp_err(err, RP_NOTFOUND, "no dialler %lld", (long long)id);
    }
    if ((rc = rp_store_prepare(wh_store(w), "SELECT coalesce(outcome, state) AS outcome, count(*) AS customers FROM "
                                            "cc_dial WHERE dialler = ? GROUP BY coalesce(outcome, state) ORDER BY 1",
                               &st, err)) == RP_OK) {
        rp_stmt_bind_int(st, 1, id);
        rc = rp_stmt_rows_json(st, 0, &outcomes, NULL, err);
    }
    if (!rc && entries > 0 &&
        !(rc = rp_store_prepare(wh_store(w), "SELECT party_id AS customer, phone, state, attempts, next_at, interaction, "
                                             "agent, outcome, response, detail, updated_at FROM cc_dial WHERE dialler = ? "
                                             "ORDER BY seq LIMIT ?",
                                &st, err))) {
        rp_stmt_bind_int(st, 1, id);
        rp_stmt_bind_int(st, 2, entries);
        if (!(rc = rp_stmt_rows_json(st, 0, &list, NULL, err))) {
            size_t i;
            json_t *x;
            json_array_foreach(list, i, x) mask(x);
        }
    }
    if (rc) {
        json_decref(rows);
        return rc;
    }
    *out = json_pack("{s:O, s:o}", "dialler", json_array_get(rows, 0), "outcomes", outcomes);
    if (list)
        json_object_set_new(*out, "entries", list);
    json_decref(rows);
    return RP_OK;
}

/* ---- pacing: a call for each agent free ---- */

/* Is now (Taipei) within the dialler's hours and days. */
static int in_hours(const char *from, const char *to, const char *days, int64_t now_ms)
{
    int64_t t = now_ms / 1000 + 8 * 3600;
    int minute = (int)((t / 60) % 1440), wd = (int)(((t / 86400) + 3) % 7) + 1;
    return strchr(days, '0' + wd) && minute >= hhmm(from) && minute < (!strcmp(to, "24:00") ? 1440 : hhmm(to));
}

static int entry_set(wh *w, int64_t dialler, int64_t party, const char *state, const char *outcome, const char *detail,
                     int64_t next_ms, int64_t now_ms, rp_error *err)
{
    char at[CC_TIME_LEN], next[CC_TIME_LEN];
    cc_time_format(now_ms, at);
    if (next_ms)
        cc_time_format(next_ms, next);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "UPDATE cc_dial SET state = ?, outcome = coalesce(?, outcome), detail = ?, "
                                           "next_at = ?, updated_at = ? WHERE dialler = ? AND party_id = ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, state);
    rp_stmt_bind_text(st, 2, outcome);
    rp_stmt_bind_text(st, 3, detail);
    rp_stmt_bind_text(st, 4, next_ms ? next : NULL);
    rp_stmt_bind_text(st, 5, at);
    rp_stmt_bind_int(st, 6, dialler);
    rp_stmt_bind_int(st, 7, party);
    return rp_stmt_run(st, err);
}

typedef struct dial_run {
    int64_t id;
    char campaign[48], cell[40], queue[40], purpose[24], from[8], to[8], days[8];
} dial_run;

#define CALLBACK_GRACE_S 900 /* a call-back its agent has not made 15 minutes after its time: anyone's */

/* The number to dial: the one listed if the customer still has it, else their first phone in force
 * (the entry says which), else none (phone "": the entry ends not_allowed) — a number given up may be
 * someone else's now. */
static int current_phone(wh *w, const dial_run *d, int64_t party, char phone[MK_PHONE_MAX], int64_t now_ms,
                         rp_error *err)
{
    json_t *list;
    int rc = wh_phones(w, party, &list, err);
    if (rc)
        return rc;
    size_t i;
    json_t *x;
    const char *first = NULL;
    int still = 0;
    json_array_foreach(list, i, x) {
        const char *v = json_string_value(json_object_get(x, "value"));
        if (v && !first)
            first = v;
        still |= v && !strcmp(v, phone);
    }
    rp_stmt *st;
    if (!still && first && !(rc = rp_store_prepare(wh_store(w), "UPDATE cc_dial SET phone = ? WHERE dialler = ? AND "
                                                                "party_id = ?",
                                                   &st, err))) {
        rp_stmt_bind_text(st, 1, first);
        rp_stmt_bind_int(st, 2, d->id);
        rp_stmt_bind_int(st, 3, party);
        if (!(rc = rp_stmt_run(st, err)))
            snprintf(phone, MK_PHONE_MAX, "%s", first);
    } else if (!still && !first) {
        phone[0] = 0;
        rc = entry_set(w, d->id, party, "done", "not_allowed", "no phone in force", 0, now_ms, err);
    }
    json_decref(list);
    return rc;
}

/* The next customer of the dialler who may be called now, or *party 0: those who may not (consent
 * withdrawn, on the do-not-call list, gone) are ended not_allowed; a dial outside their own preferred
 * hours waits half an hour. */
static int next_due(wh *w, const dial_run *d, int64_t agent, int64_t now_ms, int64_t *party, char phone[MK_PHONE_MAX],
                    rp_error *err)
{
    char grace[CC_TIME_LEN];
    cc_time_format(now_ms - CALLBACK_GRACE_S * 1000, grace);
    char now[CC_TIME_LEN];
    cc_time_format(now_ms, now);
    *party = 0;
    for (int tries = 0; tries < 50 && !*party; tries++) {
        rp_stmt *st;
        /* due first, then new; a call-back goes to the agent who promised it (another takes it once it is
         * CALLBACK_GRACE_S late), and that agent's call-backs come before anything else */
        int rc = rp_store_prepare(wh_store(w),
                                  "SELECT party_id, phone FROM cc_dial WHERE dialler = ?1 AND state = 'waiting' AND "
                                  "(next_at IS NULL OR next_at <= ?2) AND NOT (coalesce(outcome, '') = 'callback' AND agent IS NOT NULL "
                                  "AND agent <> (SELECT login FROM cc_agent WHERE id = ?3) AND next_at > ?4) ORDER BY "
                                  "CASE WHEN coalesce(outcome, '') = 'callback' AND agent = (SELECT login FROM cc_agent WHERE id = ?3) "
                                  "THEN 0 WHEN next_at IS NULL THEN 2 ELSE 1 END, next_at, seq LIMIT 1",
                                  &st, err);
        if (rc)
            return rc;
        rp_stmt_bind_int(st, 1, d->id);
        rp_stmt_bind_text(st, 2, now);
        rp_stmt_bind_int(st, 3, agent);
        rp_stmt_bind_text(st, 4, grace);
        int64_t p = 0;
        if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
            p = rp_stmt_int(st, 0);
            snprintf(phone, MK_PHONE_MAX, "%s", rp_stmt_text(st, 1));
        }
        rp_stmt_done(st);
        if (rc != RP_ROW)
            return rc == RP_DONE ? RP_OK : rc;
        rc = RP_OK;
        json_t *c = NULL;
        rp_error e = RP_ERROR_INIT;
        if ((rc = wh_contactable(w, p, d->purpose, "phone", now_ms / 1000, &c, &e)) && rc != RP_NOTFOUND)
            return rp_err(err, rc, "%s", rp_errmsg(&e)); /* the store's trouble, not the customer's */
        if (rc) {
            rc = entry_set(w, d->id, p, "done", "not_allowed", "the customer is no longer in the store", 0, now_ms, err);
        } else if (!json_is_true(json_object_get(c, "allowed"))) {
            char why[120];
            snprintf(why, sizeof why, "%s", S(c, "reason") ? S(c, "reason") : "not allowed");
            rc = entry_set(w, d->id, p, "done", "not_allowed", why, 0, now_ms, err);
        } else if (json_is_false(json_object_get(c, "within_hours"))) {
            rc = entry_set(w, d->id, p, "waiting", NULL, "outside the customer's preferred hours", now_ms + 1800000,
                           now_ms, err);
        } else {
            rc = current_phone(w, d, p, phone, now_ms, err);
            *party = phone[0] ? p : 0;
        }
        json_decref(c);
        if (rc)
            return rc;
    }
    return RP_OK;
}

/* Dial the customer for the agent: an outbound interaction in the dialler's queue for that agent alone
 * (routing gives it to them at once), the entry dialling. */
static int dial_one(wh *w, const dial_run *d, int64_t agent, int64_t party, const char *phone, int64_t now_ms, rp_error *err)
{
    rp_stmt *st;
    /* the call's id: the dialler, the customer and the how-manieth dial (a dial not placed or a call-back
     * uses no attempt, but each dial is a call of its own) */
    char ext[80], reason[80], like[64];
    snprintf(like, sizeof like, "dial-%lld-%lld-%%", (long long)d->id, (long long)party);
    int rc = rp_store_prepare(wh_store(w), "SELECT count(*) + 1 FROM cc_interaction WHERE channel = 'outbound' AND "
                                           "external_id LIKE ? AND leg = 0",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, like);
    int64_t attempt = (rc = rp_stmt_step(st, err)) == RP_ROW ? rp_stmt_int(st, 0) : 1;
    rp_stmt_done(st);
    if (rc != RP_ROW)
        return rc == RP_DONE ? rp_err(err, RP_INTERNAL, "cc_interaction: no count") : rc;
    snprintf(ext, sizeof ext, "dial-%lld-%lld-%lld", (long long)d->id, (long long)party, (long long)attempt);
    snprintf(reason, sizeof reason, "campaign %.30s %.30s", d->campaign, d->cell);
    cc_offer_in in = { .channel = "outbound", .queue = d->queue, .external_id = ext, .address = phone,
                       .campaign = d->campaign, .reason = reason, .direction_out = 1, .party_id = party };
    int64_t id;
    if ((rc = cc__offer_insert(w, &in, d->queue, 0, now_ms, &id, err)) ||
        (rc = rp_store_prepare(wh_store(w), "UPDATE cc_interaction SET target_agent = ? WHERE id = ?", &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, agent);
    rp_stmt_bind_int(st, 2, id);
    if ((rc = rp_stmt_run(st, err)) ||
        (rc = rp_store_prepare(wh_store(w), "UPDATE cc_dial SET state = 'dialling', attempts = attempts + 1, interaction = ?, "
                                            "agent = (SELECT login FROM cc_agent WHERE id = ?), next_at = NULL, "
                                            "updated_at = ? WHERE dialler = ? AND party_id = ? AND state = 'waiting'",
                               &st, err)))
        return rc;
    char at[CC_TIME_LEN];
    cc_time_format(now_ms, at);
    rp_stmt_bind_int(st, 1, id);
    rp_stmt_bind_int(st, 2, agent);
    rp_stmt_bind_text(st, 3, at);
    rp_stmt_bind_int(st, 4, d->id);
    rp_stmt_bind_int(st, 5, party);
    if ((rc = rp_stmt_run(st, err)))
        return rc;
    /* another server's timers took the customer meanwhile: this tick is taken back whole */
    return rp_store_changes(wh_store(w)) == 1 ? RP_OK
                                              : rp_err(err, RP_BUSY, "dialler %lld: customer %lld dialled already",
                                                       (long long)d->id, (long long)party);
}

/* The agents free for the dialler's queue now, the longest idle first: ready, able to take an outbound
 * call, at its skill's level, holding nothing and nothing waiting for them alone. */
static int free_agents(wh *w, const dial_run *d, int64_t *ids, int max, int *n, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT a.id FROM cc_agent a JOIN cc_queue q ON q.code = ? JOIN cc_agent_skill k ON "
                              "k.agent = a.id AND k.skill = q.skill AND k.level >= q.min_level WHERE a.active = 1 AND "
                              "a.state = 'ready' AND a.cap_outbound > 0 AND NOT EXISTS (SELECT 1 FROM cc_interaction i "
                              "WHERE i.agent = a.id AND i.state IN ('assigned', 'connected', 'wrap_up')) AND NOT EXISTS "
                              "(SELECT 1 FROM cc_interaction i WHERE i.target_agent = a.id AND i.state = 'queued') "
                              "ORDER BY coalesce(a.idle_since, a.state_at), a.id LIMIT ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, d->queue);
    rp_stmt_bind_int(st, 2, max);
    *n = 0;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW && *n < max)
        ids[(*n)++] = rp_stmt_int(st, 0);
    rp_stmt_done(st);
    return rc == RP_DONE || rc == RP_ROW ? RP_OK : rc;
}

/* A dialler with nobody left to call (none waiting or dialling) is done. */
static int finish_if_empty(wh *w, const dial_run *d, int64_t now_ms, json_t *log, rp_error *err)
{
    char at[CC_TIME_LEN];
    cc_time_format(now_ms, at);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "UPDATE cc_dialler SET state = 'done', ended_at = ?, changed_at = ?, changed_by = "
                                           "'contact centre' WHERE id = ? AND state = 'running' AND NOT EXISTS (SELECT 1 "
                                           "FROM cc_dial e WHERE e.dialler = ? AND e.state IN ('waiting', 'dialling'))",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, at);
    rp_stmt_bind_text(st, 2, at);
    rp_stmt_bind_int(st, 3, d->id);
    rp_stmt_bind_int(st, 4, d->id);
    if (!(rc = rp_stmt_run(st, err)) && rp_store_changes(wh_store(w)))
        json_array_append_new(log, json_pack("{s:I, s:s}", "dialler", (json_int_t)d->id, "done", at));
    return rc;
}

/* The campaign is over (closed, cancelled, past its last day): the dialler is done, who was left not called. */
static int stop_over(wh *w, const dial_run *d, const char *why, int64_t now_ms, json_t *log, rp_error *err)
{
    char at[CC_TIME_LEN];
    cc_time_format(now_ms, at);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "UPDATE cc_dial SET state = 'done', outcome = 'not_called', detail = ?, "
                                           "updated_at = ? WHERE dialler = ? AND state = 'waiting'",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, why);
    rp_stmt_bind_text(st, 2, at);
    rp_stmt_bind_int(st, 3, d->id);
    if ((rc = rp_stmt_run(st, err)) ||
        (rc = rp_store_prepare(wh_store(w), "UPDATE cc_dialler SET state = 'done', ended_at = ?, changed_at = ?, "
                                            "changed_by = 'contact centre' WHERE id = ? AND state = 'running'",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, at);
    rp_stmt_bind_text(st, 2, at);
    rp_stmt_bind_int(st, 3, d->id);
    if (!(rc = rp_stmt_run(st, err)))
        json_array_append_new(log, json_pack("{s:I, s:s, s:s}", "dialler", (json_int_t)d->id, "done", at, "why", why));
    return rc;
}

#define DIAL_AGENTS_MAX 256

static int pace(wh *w, const dial_run *d, int64_t now_ms, json_t *log, rp_error *err)
{
    int live = 0, over = 0, n = 0;
    char why[80];
    int rc = mk_cell_live(w, d->campaign, d->cell, now_ms / 1000, &live, &over, why, err);
    if (!rc && over)
        return stop_over(w, d, why, now_ms, log, err);
    if (rc || !live || !in_hours(d->from, d->to, d->days, now_ms))
        return rc;
    int64_t agents[DIAL_AGENTS_MAX];
    if ((rc = free_agents(w, d, agents, DIAL_AGENTS_MAX, &n, err)))
        return rc;
    for (int i = 0; !rc && i < n; i++) {
        int64_t party;
        char phone[MK_PHONE_MAX];
        if ((rc = next_due(w, d, agents[i], now_ms, &party, phone, err)) || !party)
            break;
        if (!(rc = dial_one(w, d, agents[i], party, phone, now_ms, err)))
            json_array_append_new(log, json_pack("{s:I, s:I}", "dialler", (json_int_t)d->id, "customer", (json_int_t)party));
    }
    return rc ? rc : finish_if_empty(w, d, now_ms, log, err);
}

int cc__dial(wh *w, int64_t now_ms, json_t *log, rp_error *err)
{
    int64_t running;
    int rc = rp_store_query_int(wh_store(w), "SELECT count(*) FROM cc_dialler WHERE state = 'running'", &running, err);
    if (rc || !running)
        return rc;
    rp_stmt *st;
    if ((rc = rp_store_prepare(wh_store(w), "SELECT id, campaign, cell, queue, purpose, hours_from, hours_to, days FROM "
                                            "cc_dialler WHERE state = 'running' ORDER BY id LIMIT 64",
                               &st, err)))
        return rc;
    dial_run ds[64];
    int n = 0;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW && n < 64) {
        dial_run *d = &ds[n++];
        d->id = rp_stmt_int(st, 0);
        snprintf(d->campaign, sizeof d->campaign, "%s", rp_stmt_text(st, 1));
        snprintf(d->cell, sizeof d->cell, "%s", rp_stmt_text(st, 2));
        snprintf(d->queue, sizeof d->queue, "%s", rp_stmt_text(st, 3));
        snprintf(d->purpose, sizeof d->purpose, "%s", rp_stmt_text(st, 4));
        snprintf(d->from, sizeof d->from, "%s", rp_stmt_text(st, 5));
        snprintf(d->to, sizeof d->to, "%s", rp_stmt_text(st, 6));
        snprintf(d->days, sizeof d->days, "%s", rp_stmt_text(st, 7));
    }
    rp_stmt_done(st);
    if (rc != RP_DONE && rc != RP_ROW)
        return rc;
    rc = RP_OK;
    for (int i = 0; !rc && i < n; i++)
        rc = pace(w, &ds[i], now_ms, log, err);
    return rc;
}

/* ---- the switch silent ---- */

int cc__dial_timeouts(wh *w, int64_t now_ms, json_t *assigned, rp_error *err)
{
    char cut[CC_TIME_LEN];
    cc_time_format(now_ms - CC_DIAL_SILENCE_S * 1000, cut);
    rp_stmt *st;
    json_t *rows;
    int rc = rp_store_prepare(wh_store(w), "SELECT i.id FROM cc_interaction i JOIN cc_dial e ON e.interaction = i.id WHERE "
                                           "i.state = 'assigned' AND i.channel = 'outbound' AND i.parent IS NULL AND "
                                           "coalesce(i.told_at, i.assigned_at) < ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, cut);
    if ((rc = rp_stmt_rows_json(st, 0, &rows, NULL, err)))
        return rc;
    size_t i;
    json_t *x;
    json_array_foreach(rows, i, x) {
        cc_event_in ev = { .interaction = I(x, "id"), .event = "unreached", .reason = "failed", .by = "contact centre",
                           .at_ms = now_ms };
        json_t *o = NULL;
        if ((rc = cc_event_apply(w, &ev, &o, err)) == RP_EXISTS) { /* answered meanwhile: so be it */
            rp_err_clear(err);
            rc = RP_OK;
            continue;
        }
        if (rc)
            break;
        json_array_extend(assigned, json_object_get(o, "assignments"));
        json_decref(o);
    }
    json_decref(rows);
    return rc;
}

/* ---- outcomes ---- */

/* The campaign's response to a sale or a refusal on the call (a savepoint: a response the campaign
 * does not take, such as one outside its window, is said in the entry and the call stands). */
static int respond(wh *w, const json_t *ix, const char *response, char detail[160], rp_error *err)
{
    char note[120];
    snprintf(note, sizeof note, "outbound call %.60s: %.40s", S(ix, "external_id"), S(ix, "disposition"));
    /* on the day it is recorded (today in Taipei) */
    mk_response r = { .campaign = S(ix, "campaign"), .customer = I(ix, "party_id"), .response = response,
                      .note = note, .by = S(ix, "agent") ? S(ix, "agent") : "contact centre" };
    rp_error e = RP_ERROR_INIT;
    int rc = rp_store_begin(wh_store(w), err);
    if (rc)
        return rc;
    if ((rc = mk_response_record(w, &r, &e))) {
        rp_store_rollback(wh_store(w));
        if (rc != RP_DENIED && rc != RP_NOTFOUND && rc != RP_INVAL) /* the store's trouble: the wrap-up fails */
            return rp_err(err, rc, "%s", rp_errmsg(&e));
        snprintf(detail, 160, "response not taken: %.130s", rp_errmsg(&e));
        return RP_OK;
    }
    return rp_store_commit(wh_store(w), err);
}

int cc__dial_result(wh *w, const json_t *ix, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "SELECT e.dialler, e.party_id, e.attempts, d.attempts, d.retry_min FROM cc_dial e "
                                           "JOIN cc_dialler d ON d.id = e.dialler WHERE e.interaction = ? AND e.state = "
                                           "'dialling'",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, I(ix, "id"));
    if ((rc = rp_stmt_step(st, err)) != RP_ROW) {
        rp_stmt_done(st);
        return rc == RP_DONE ? RP_OK : rc;
    }
    int64_t dialler = rp_stmt_int(st, 0), party = rp_stmt_int(st, 1), made = rp_stmt_int(st, 2), most = rp_stmt_int(st, 3),
            retry = rp_stmt_int(st, 4);
    rp_stmt_done(st);
    const char *state = S(ix, "state"), *disp = S(ix, "disposition");
    int64_t now, next = 0, cb;
    char detail[160] = "";
    rp_error e = RP_ERROR_INIT;
    if (!S(ix, "ended_at") || cc_time_parse("ended_at", S(ix, "ended_at"), &now, &e))
        now = cc_clock_ms();
    if (!strcmp(state, "transferred")) { /* the new leg carries the call on, and its end is the outcome */
        if ((rc = rp_store_prepare(wh_store(w), "UPDATE cc_dial SET interaction = (SELECT max(id) FROM cc_interaction WHERE "
                                                "parent = ?) WHERE dialler = ? AND party_id = ?",
                                   &st, err)))
            return rc;
        rp_stmt_bind_int(st, 1, I(ix, "id"));
        rp_stmt_bind_int(st, 2, dialler);
        rp_stmt_bind_int(st, 3, party);
        return rp_stmt_run(st, err);
    }
    const char *outcome = !strcmp(state, "abandoned") ? "failed" : disp ? disp : "contact";
    int again = !strcmp(outcome, "no_answer") || !strcmp(outcome, "busy") || !strcmp(outcome, "failed");
    /* not dialled (the switch could not, or the phone refused to), or a call-back the customer asked
     * for: no attempt of theirs used up */
    if (!strcmp(outcome, "not_dialled") || !strcmp(outcome, "callback")) {
        if ((rc = rp_store_prepare(wh_store(w), "UPDATE cc_dial SET attempts = attempts - 1 WHERE dialler = ? AND "
                                                "party_id = ? AND attempts > 0",
                                   &st, err)))
            return rc;
        rp_stmt_bind_int(st, 1, dialler);
        rp_stmt_bind_int(st, 2, party);
        if ((rc = rp_stmt_run(st, err)))
            return rc;
        if (!strcmp(outcome, "not_dialled"))
            next = now + retry * 60000;
    }
    if (!strcmp(outcome, "callback")) {
        next = S(ix, "callback_at") && !cc_time_parse("callback_at", S(ix, "callback_at"), &cb, &e) ? cb
                                                                                                  : now + retry * 60000;
    } else if (again && made < most) {
        next = now + retry * 60000;
    }
    if (!strcmp(outcome, "sale") || !strcmp(outcome, "refused")) {
        const char *resp = !strcmp(outcome, "sale") ? "positive" : "negative";
        if ((rc = respond(w, ix, resp, detail, err)))
            return rc;
        if (!detail[0] && (rc = rp_store_prepare(wh_store(w), "UPDATE cc_dial SET response = ? WHERE dialler = ? AND "
                                                              "party_id = ?",
                                                 &st, err)) == RP_OK) {
            rp_stmt_bind_text(st, 1, resp);
            rp_stmt_bind_int(st, 2, dialler);
            rp_stmt_bind_int(st, 3, party);
            rc = rp_stmt_run(st, err);
        }
        if (rc)
            return rc;
    }
    return entry_set(w, dialler, party, next ? "waiting" : "done", outcome, detail[0] ? detail : NULL, next, now, err);
}
