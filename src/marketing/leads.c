/* leads.c — the leads events make (table lead): routed to the customer's relationship manager,
 * their branch or the outbound queue, held out for a rule's control group, or suppressed; listed
 * for the people who work them, worked (each a contact in the customer's history), expired, and
 * measured by rule.  The outbound channel's daily capacity (channel_capacity) until the contact
 * centre tells it.  See marketing.h. */
#include "marketing/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/* Whether the rule holds this customer out: the same answer on every run (FNV-1a of the rule's code,
 * mixed with the customer). */
static int held_out(const mk__rule_row *r, int64_t customer)
{
    if (r->control_pct <= 0)
        return 0;
    uint64_t h = 1469598103934665603ull;
    for (const char *p = r->code; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return (double)(mix(h ^ (uint64_t)customer) % 1000000) < r->control_pct * 10000;
}

static int int_query(wh *w, const char *sql, const char *a, const char *b, int64_t *out, rp_error *err)
{
    rp_stmt *st;
    *out = -1;
    int rc = rp_store_prepare(wh_store(w), sql, &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, a);
    if (b)
        rp_stmt_bind_text(st, 2, b);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        *out = rp_stmt_int(st, 0);
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

/* Room in the outbound queue today (by channel_capacity's outbound_call; none set: room). */
static int outbound_room(wh *w, int64_t now, int *room, rp_error *err)
{
    int64_t cap, used;
    char day[RP_TIME_UTC_LEN];
    rp_time_format_utc(now, day);
    day[10] = 0;
    int rc = int_query(w, "SELECT per_day FROM channel_capacity WHERE channel = ?", "outbound_call", NULL, &cap, err);
    if (!rc && cap >= 0)
        rc = int_query(w, "SELECT count(*) FROM lead WHERE queue = 'outbound' AND status <> 'control' AND "
                          "substr(created_at, 1, 10) = ?",
                       day, NULL, &used, err);
    *room = cap < 0 || used < cap;
    return rc;
}

static int route(wh *w, const mk__rule_row *r, int64_t customer, int64_t now, const char **queue,
                 char manager[WH_MANAGER_MAX + 1], char branch[16], rp_error *err)
{
    int rc = wh_customer_route(w, customer, manager, branch, err);
    if (rc)
        return rc;
    if (!strcmp(r->route, "manager") && *manager) {
        *queue = "manager";
        return RP_OK;
    }
    *manager = 0;
    int room = 1;
    if ((!strcmp(r->route, "outbound") || !*branch) && (rc = outbound_room(w, now, &room, err)))
        return rc;
    *queue = *branch && (strcmp(r->route, "outbound") || !room) ? "branch" : "outbound";
    return RP_OK;
}

int mk__lead_make(wh *w, const mk__rule_row *r, int64_t event, int64_t customer, int64_t now, const char **outcome,
                  int64_t *lead, rp_error *err)
{
    *lead = 0;
    *outcome = "suppressed";
    /* an offer is marketing and needs consent to be called; a lead without one is service */
    json_t *c = NULL;
    int rc = wh_contactable(w, customer, *r->offer ? "marketing" : "service", "phone", now, &c, err);
    if (rc)
        return rc;
    int allowed = json_is_true(json_object_get(c, "allowed"));
    json_decref(c);
    int staff = 0, complaint = 0, age = -1;
    if (allowed && *r->offer && (rc = wh_customer_marketable(w, customer, now, &staff, &complaint, &age, err)))
        return rc;
    if (!allowed || staff || complaint || (age >= 0 && age < 18)) /* as the campaigns' waterfall */
        return RP_OK;
    const char *queue;
    char manager[WH_MANAGER_MAX + 1], branch[16];
    if ((rc = route(w, r, customer, now, &queue, manager, branch, err)))
        return rc;
    int control = held_out(r, customer);
    char at[RP_TIME_UTC_LEN], until[RP_TIME_UTC_LEN];
    rp_time_format_utc(now, at);
    rp_time_format_utc(now + (int64_t)r->expires_days * 86400, until);
    rp_stmt *st;
    if ((rc = rp_store_prepare(wh_store(w),
                               "INSERT INTO lead(event_id, party_id, rule, offer, queue, assigned_to, branch, priority, "
                               "status, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                               &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, event);
    rp_stmt_bind_int(st, 2, customer);
    rp_stmt_bind_text(st, 3, r->code);
    if (*r->offer)
        rp_stmt_bind_text(st, 4, r->offer);
    else
        rp_stmt_bind_null(st, 4);
    rp_stmt_bind_text(st, 5, queue);
    if (*manager)
        rp_stmt_bind_text(st, 6, manager);
    else
        rp_stmt_bind_null(st, 6);
    if (*branch)
        rp_stmt_bind_text(st, 7, branch);
    else
        rp_stmt_bind_null(st, 7);
    rp_stmt_bind_int(st, 8, r->priority);
    rp_stmt_bind_text(st, 9, control ? "control" : "open");
    rp_stmt_bind_text(st, 10, at);
    rp_stmt_bind_text(st, 11, until);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        *lead = rp_stmt_int(st, 0);
    rp_stmt_done(st);
    if (rc != RP_ROW)
        return rc == RP_DONE ? rp_err(err, RP_INTERNAL, "lead: no id came back") : rc;
    *outcome = control ? "control" : "lead";
    return RP_OK;
}

/* ---- reading ---- */

#define LEAD_SELECT                                                                                              \
    "SELECT l.id, l.party_id, NULL, l.rule, r.name_zh, r.name_en, e.reason_zh, "       \
    "e.reason_en, l.offer, o.name, l.queue, l.assigned_to, l.branch, l.priority, "                                 \
    "CASE WHEN l.status = 'open' AND l.expires_at <= ?1 THEN 'expired' ELSE l.status END, l.created_at, "          \
    "l.expires_at, l.worked_at, l.worked_by, l.note, e.occurred_at FROM lead l " \
    "LEFT JOIN event_rule r ON r.code = l.rule LEFT JOIN customer_event e ON e.id = l.event_id "                   \
    "LEFT JOIN offer o ON o.code = l.offer "

/* Each lead's customer as they are now (a lead made before identity resolution is of the person
 * the party was since found to be) and their name (the warehouse's). */
static int add_names(wh *w, json_t *a, rp_error *err)
{
    size_t i;
    json_t *l;
    json_array_foreach(a, i, l) {
        char zh[200], latin[200], branch[16];
        int64_t cust = json_integer_value(json_object_get(l, "customer")), member;
        int rc = wh_party_customer(w, cust, &cust, &member, err);
        if (rc && rc != RP_NOTFOUND)
            return rc;
        rp_err_clear(err);
        json_object_set_new(l, "customer", json_integer(cust));
        rc = wh_party_names(w, cust, zh, sizeof zh, latin, sizeof latin, branch, sizeof branch, err);
        if (rc == RP_NOTFOUND) {
            rp_err_clear(err);
            continue;
        }
        if (rc)
            return rc;
        json_object_set_new(l, "name", json_string(*zh ? zh : latin));
    }
    return RP_OK;
}

static json_t *lead_row(rp_stmt *st)
{
    json_t *o = json_object();
    static const char *const names[] = { "id", "customer", "name", "rule", "rule_name_zh", "rule_name_en",
                                         "reason_zh", "reason_en", "offer", "offer_name", "queue", "assigned_to",
                                         "branch", "priority", "status", "created_at", "expires_at", "worked_at",
                                         "worked_by", "note", "occurred_at" };
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++) {
        json_t *v = rp_stmt_column_type(st, i) == RP_COL_NULL ? json_null()
                    : i == 0 || i == 1 || i == 13        ? json_integer(rp_stmt_int(st, i))
                                                          : json_string(rp_stmt_text(st, i));
        json_object_set_new(o, names[i], v ? v : json_null());
    }
    return o;
}

int mk__customer_parties(wh *w, int64_t customer, int64_t ids[MK_PARTIES], rp_error *err)
{
    size_t n = 0;
    for (int i = 0; i < MK_PARTIES; i++)
        ids[i] = -1;
    ids[0] = customer;
    int rc = customer > 0 ? wh_person_members(w, customer, 0, ids + 1, MK_PARTIES - 1, &n, err) : RP_OK;
    return rc == RP_NOTFOUND ? (rp_err_clear(err), RP_OK) : rc;
}

int mk_lead_list(wh *w, const mk_lead_filter *f, json_t **out, rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    mk__now(now);
    *out = NULL;
    static const char *const statuses[] = { "open", "worked", "converted", "declined", "expired", "control", NULL };
    static const char *const queues[] = { "manager", "branch", "outbound", NULL };
    if (f->status && mk__index(f->status, statuses) < 0)
        return rp_err(err, RP_INVAL, "status: '%s' is not one of open, worked, converted, declined, expired, control",
                      f->status);
    if (f->queue && mk__index(f->queue, queues) < 0)
        return rp_err(err, RP_INVAL, "queue: '%s' is not one of manager, branch, outbound", f->queue);
    rp_stmt *st;
    int rc = rp_store_prepare(
        wh_store(w),
        LEAD_SELECT "WHERE (?2 IS NULL OR l.assigned_to = ?2) AND (?3 IS NULL OR l.branch = ?3) AND "
                    "(?4 IS NULL OR l.queue = ?4) AND (?6 = 0 OR l.party_id IN (?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)) AND (?5 IS NULL OR "
                    "(?5 = 'open' AND l.status = 'open' AND l.expires_at > ?1) OR (?5 = 'expired' AND "
                    "(l.status = 'expired' OR (l.status = 'open' AND l.expires_at <= ?1))) OR "
                    "(?5 NOT IN ('open', 'expired') AND l.status = ?5)) AND (?5 = 'control' OR l.status <> 'control') "
                    "ORDER BY l.status <> 'open', l.priority DESC, l.expires_at, l.id LIMIT ?7",
        &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, now);
    const char *v[4] = { f->manager, f->branch, f->queue, f->status };
    for (int i = 0; i < 4; i++)
        if (v[i])
            rp_stmt_bind_text(st, i + 2, v[i]);
        else
            rp_stmt_bind_null(st, i + 2);
    rp_stmt_bind_int(st, 6, f->customer);
    rp_stmt_bind_int(st, 7, f->limit > 0 && f->limit <= 10000 ? f->limit : 200);
    int64_t ids[MK_PARTIES];
    if ((rc = mk__customer_parties(w, f->customer, ids, err))) {
        rp_stmt_done(st);
        return rc;
    }
    for (int i = 0; i < MK_PARTIES; i++)
        rp_stmt_bind_int(st, 8 + i, ids[i]);
    json_t *a = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        json_array_append_new(a, lead_row(st));
    rp_stmt_done(st);
    if (rc != RP_DONE || (rc = add_names(w, a, err))) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return RP_OK;
}

int mk_lead_get(wh *w, int64_t id, json_t **out, rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    mk__now(now);
    *out = NULL;
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), LEAD_SELECT "WHERE l.id = ?2", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, now);
    rp_stmt_bind_int(st, 2, id);
    json_t *a = json_array();
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        json_array_append_new(a, lead_row(st));
    rp_stmt_done(st);
    if (rc == RP_DONE)
        rc = rp_err(err, RP_NOTFOUND, "no lead %lld", (long long)id);
    if (rc == RP_ROW && !(rc = add_names(w, a, err)))
        *out = json_incref(json_array_get(a, 0));
    json_decref(a);
    return rc;
}

/* ---- working ---- */

static int record_contact(wh *w, const json_t *l, const char *outcome, const char *note, const char *by,
                          rp_error *err)
{
    char reason[200];
    const char *offer = json_string_value(json_object_get(l, "offer"));
    snprintf(reason, sizeof reason, "lead %lld (%s)%s%s", (long long)json_integer_value(json_object_get(l, "id")),
             json_string_value(json_object_get(l, "rule")) ? json_string_value(json_object_get(l, "rule")) : "",
             offer ? ": offer " : "", offer ? offer : "");
    const char *queue = json_string_value(json_object_get(l, "queue"));
    wh_interaction in = { .party_id = json_integer_value(json_object_get(l, "customer")),
                          .channel = queue && !strcmp(queue, "branch") ? "branch" : "phone",
                          .direction = "outbound",
                          .staff = by,
                          .reason = reason,
                          .outcome = outcome,
                          .notes = note,
                          .created_by = by,
                          .kind = !strcmp(outcome, "converted") ? "sale" : "campaign" };
    return wh_interaction_add(w, &in, NULL, err);
}

int mk_lead_work(wh *w, int64_t id, const char *outcome, const char *note, const char *by, rp_error *err)
{
    static const char *const outcomes[] = { "worked", "converted", "declined", NULL };
    if (!outcome || mk__index(outcome, outcomes) < 0)
        return rp_err(err, RP_INVAL, "outcome: '%s' is not one of worked, converted, declined", outcome ? outcome : "");
    int rc = mk__text_ok("note", note, 2000, 0, err);
    if (rc)
        return rc;
    json_t *l;
    if ((rc = mk_lead_get(w, id, &l, err)))
        return rc;
    const char *status = json_string_value(json_object_get(l, "status"));
    if (strcmp(status, "open") && !(strcmp(status, "worked") == 0 && strcmp(outcome, "worked"))) {
        rc = rp_err(err, RP_DENIED, "lead %lld is %s: only an open lead (or a worked one, to its outcome) is worked",
                    (long long)id, status);
        json_decref(l);
        return rc;
    }
    char now[RP_TIME_UTC_LEN];
    mk__now(now);
    rp_stmt *st;
    if ((rc = wh_begin(w, err))) {
        json_decref(l);
        return rc;
    }
    rc = rp_store_prepare(wh_store(w),
                          "UPDATE lead SET status = ?, worked_at = ?, worked_by = ?, note = coalesce(?, note) "
                          "WHERE id = ? AND (status = 'worked' OR (status = 'open' AND expires_at > ?2))",
                          &st, err);
    if (!rc) {
        rp_stmt_bind_text(st, 1, outcome);
        rp_stmt_bind_text(st, 2, now);
        rp_stmt_bind_text(st, 3, by);
        if (note && *note)
            rp_stmt_bind_text(st, 4, note);
        else
            rp_stmt_bind_null(st, 4);
        rp_stmt_bind_int(st, 5, id);
        rc = rp_stmt_run(st, err);
    }
    if (!rc && rp_store_changes(wh_store(w)) != 1) /* another worked it meanwhile */
        rc = rp_err(err, RP_DENIED, "lead %lld was worked by someone else meanwhile", (long long)id);
    if (!rc)
        rc = record_contact(w, l, outcome, note, by, err);
    json_decref(l);
    if (rc) {
        wh_rollback(w);
        return rc;
    }
    return wh_commit(w, err);
}

int mk_lead_assign(wh *w, int64_t id, const char *to, const char *by, rp_error *err)
{
    int rc = mk__text_ok("to", to, 32, 1, err);
    if (rc)
        return rc;
    for (const char *p = to; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
            return rp_err(err, RP_INVAL, "to: '%s' is not a user name (a-z, 0-9, '.', '_', '-')", to);
    char now[RP_TIME_UTC_LEN], note[120];
    mk__now(now);
    snprintf(note, sizeof note, "assigned to %s by %s", to, by);
    rp_stmt *st;
    if ((rc = rp_store_prepare(wh_store(w),
                               "UPDATE lead SET queue = 'manager', assigned_to = ?, note = coalesce(note || '; ', '') "
                               "|| ? WHERE id = ? AND (status = 'worked' OR (status = 'open' AND expires_at > ?))",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, to);
    rp_stmt_bind_text(st, 2, note);
    rp_stmt_bind_int(st, 3, id);
    rp_stmt_bind_text(st, 4, now);
    if ((rc = rp_stmt_run(st, err)))
        return rc;
    if (rp_store_changes(wh_store(w)) == 1)
        return RP_OK;
    json_t *l;
    if ((rc = mk_lead_get(w, id, &l, err)))
        return rc;
    rc = rp_err(err, RP_DENIED, "lead %lld is %s: only an open or worked lead is assigned", (long long)id,
                json_string_value(json_object_get(l, "status")));
    json_decref(l);
    return rc;
}

int mk_leads_expire(wh *w, int64_t now, int64_t *n, rp_error *err)
{
    char at[RP_TIME_UTC_LEN];
    rp_time_format_utc(now ? now : rp_now(), at);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "UPDATE lead SET status = 'expired' WHERE status = 'open' AND expires_at <= ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, at);
    rc = rp_stmt_run(st, err);
    *n = rc ? 0 : rp_store_changes(wh_store(w));
    return rc;
}

/* ---- measuring ---- */

typedef struct tally {
    char rule[33], product[33];
    int64_t n[6], opened[2], judged[2]; /* n by status; opened and judged: leads (0) and held out (1) */
} tally;

static int tally_rows(wh *w, tally *t, int *nt, int max, rp_error *err)
{
    static const char *const statuses[] = { "open", "worked", "converted", "declined", "expired", "control", NULL };
    char now[RP_TIME_UTC_LEN];
    mk__now(now);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT l.rule, o.product, l.party_id, CASE WHEN l.status = 'open' AND l.expires_at <= ? "
                              "THEN 'expired' ELSE l.status END, substr(l.created_at, 1, 10), substr(l.expires_at, 1, 10), "
                              "l.expires_at <= ?1 FROM lead l LEFT JOIN offer o ON o.code = l.offer WHERE l.rule IS NOT NULL "
                              "ORDER BY l.rule",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, now);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        const char *rule = rp_stmt_text(st, 0);
        if (!*nt || strcmp(t[*nt - 1].rule, rule)) {
            if (*nt == max)
                break;
            memset(&t[*nt], 0, sizeof t[*nt]);
            snprintf(t[*nt].rule, sizeof t[*nt].rule, "%s", rule);
            snprintf(t[*nt].product, sizeof t[*nt].product, "%s", rp_stmt_text(st, 1) ? rp_stmt_text(st, 1) : "");
            (*nt)++;
        }
        tally *x = &t[*nt - 1];
        int s = mk__index(rp_stmt_text(st, 3), statuses);
        if (s >= 0)
            x->n[s]++;
        if (!*x->product || s == 0 || !rp_stmt_int(st, 6))
            continue; /* leads and the held out alike are compared once their window is over */
        int g = s == 5, yes = 0;
        if ((rc = wh_product_opened(w, rp_stmt_int(st, 2), x->product, rp_stmt_text(st, 4), rp_stmt_text(st, 5), &yes,
                                    err)))
            break;
        x->judged[g]++;
        x->opened[g] += yes;
    }
    rp_stmt_done(st);
    return rc == RP_DONE || rc == RP_ROW ? RP_OK : rc;
}

int mk_lead_results(wh *w, json_t **out, rp_error *err)
{
    tally *t = calloc(1000, sizeof *t);
    int nt = 0;
    *out = NULL;
    if (!t)
        return rp_err(err, RP_NOMEM, NULL);
    int rc = tally_rows(w, t, &nt, 1000, err);
    json_t *a = json_array();
    for (int i = 0; !rc && i < nt; i++) {
        const tally *x = &t[i];
        int64_t leads = x->n[0] + x->n[1] + x->n[2] + x->n[3] + x->n[4];
        int64_t worked = x->n[1] + x->n[2] + x->n[3];
        json_t *o = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "rule", x->rule, "leads", (json_int_t)leads,
                              "open", (json_int_t)x->n[0], "worked", (json_int_t)x->n[1], "converted",
                              (json_int_t)x->n[2], "declined", (json_int_t)x->n[3], "expired", (json_int_t)x->n[4],
                              "held_out", (json_int_t)x->n[5]);
        json_object_set_new(o, "conversion", worked ? json_real((double)x->n[2] / (double)worked) : json_null());
        if (*x->product) {
            json_object_set_new(o, "product", json_string(x->product));
            json_object_set_new(o, "opened_leads", json_integer(x->opened[0]));
            json_object_set_new(o, "opened_held_out", json_integer(x->opened[1]));
            double a0 = x->judged[0] ? (double)x->opened[0] / (double)x->judged[0] : 0;
            double a1 = x->judged[1] ? (double)x->opened[1] / (double)x->judged[1] : 0;
            json_object_set_new(o, "take_up_leads", x->judged[0] ? json_real(a0) : json_null());
            json_object_set_new(o, "take_up_held_out", x->judged[1] ? json_real(a1) : json_null());
            json_object_set_new(o, "uplift", x->judged[0] && x->judged[1] ? json_real(a0 - a1) : json_null());
        }
        json_array_append_new(a, o);
    }
    free(t);
    if (rc) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return RP_OK;
}

/* ---- channel capacity ---- */

int mk_capacity_put(wh *w, const char *channel, int64_t per_day, const char *by, rp_error *err)
{
    if (!channel || mk__index(channel, mk_channels) < 0)
        return rp_err(err, RP_INVAL, "channel: '%s' is not a campaign channel", channel ? channel : "");
    if (per_day < 0 || per_day > 100000000)
        return rp_err(err, RP_INVAL, "per_day: %lld is not from 0 to 100,000,000", (long long)per_day);
    char now[RP_TIME_UTC_LEN];
    mk__now(now);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "INSERT INTO channel_capacity(channel, per_day, updated_at, updated_by) VALUES (?,?,?,?) "
                              "ON CONFLICT(channel) DO UPDATE SET per_day = excluded.per_day, updated_at = "
                              "excluded.updated_at, updated_by = excluded.updated_by",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, channel);
    rp_stmt_bind_int(st, 2, per_day);
    rp_stmt_bind_text(st, 3, now);
    rp_stmt_bind_text(st, 4, by);
    return rp_stmt_run(st, err);
}

int mk_capacity_list(wh *w, json_t **out, rp_error *err)
{
    rp_stmt *st;
    *out = NULL;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT channel, per_day, updated_at, updated_by FROM channel_capacity ORDER BY channel",
                              &st, err);
    if (rc)
        return rc;
    json_t *a = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        json_array_append_new(a, json_pack("{s:s, s:I, s:s, s:s}", "channel", rp_stmt_text(st, 0), "per_day",
                                           (json_int_t)rp_stmt_int(st, 1), "updated_at", rp_stmt_text(st, 2),
                                           "updated_by", rp_stmt_text(st, 3)));
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return RP_OK;
}
