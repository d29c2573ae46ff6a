/* eventrule.c — event rules kept and checked (table event_rule), the events they found
 * (customer_event) and how far they have read (event_state).  The detectors and the runs are
 * events.c's.  See marketing.h. */
#include "marketing/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const routes[] = { "manager", "branch", "outbound", NULL };

static int rule_check(wh *w, const mk_event_rule *r, rp_error *err)
{
    int rc;
    if ((rc = mk__code_ok("event_rule.code", r->code, err)) ||
        (rc = mk__text_ok("event_rule.name_zh", r->name_zh, 128, 1, err)) ||
        (rc = mk__text_ok("event_rule.name_en", r->name_en, 128, 1, err)) ||
        (rc = mk__event_params(r->detector, r->params, NULL, err)))
        return rc;
    if (r->route && mk__index(r->route, routes) < 0)
        return rp_err(err, RP_INVAL, "event_rule.route: '%s' is not one of manager, branch, outbound", r->route);
    if (r->expires_days && (r->expires_days < 1 || r->expires_days > 366))
        return rp_err(err, RP_INVAL, "event_rule.expires_days: %d is not from 1 to 366", r->expires_days);
    if (r->priority < 0 || r->priority > 100)
        return rp_err(err, RP_INVAL, "event_rule.priority: %d is not from 0 to 100", r->priority);
    if (!(r->control_pct >= 0 && r->control_pct < 100))
        return rp_err(err, RP_INVAL, "event_rule.control_pct: %g is not from 0 to below 100", r->control_pct);
    if (r->params && strlen(r->params) > 2000)
        return rp_err(err, RP_TOOBIG, "event_rule.params: more than 2,000 bytes");
    if (r->offer && *r->offer) {
        json_t *o;
        if ((rc = mk_offer_get(w, r->offer, &o, err)) == RP_NOTFOUND)
            return rp_err(err, RP_NOTFOUND, "event_rule.offer: no offer '%s'", r->offer);
        if (rc)
            return rc;
        json_decref(o);
    }
    return RP_OK;
}

int mk_event_rule_put(wh *w, const mk_event_rule *r, const char *by, int *created, rp_error *err)
{
    int rc = rule_check(w, r, err);
    if (rc)
        return rc;
    char now[RP_TIME_UTC_LEN];
    mk__now(now);
    if ((rc = wh_begin(w, err)))
        return rc;
    rp_stmt *st;
    rc = rp_store_prepare(wh_store(w), "SELECT 1 FROM event_rule WHERE code = ?", &st, err);
    if (!rc) {
        rp_stmt_bind_text(st, 1, r->code);
        rc = rp_stmt_step(st, err);
        if (created)
            *created = rc == RP_DONE;
        rp_stmt_done(st);
        rc = rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
    }
    if (!rc)
        rc = rp_store_prepare(wh_store(w),
                              "INSERT INTO event_rule(code, detector, name_zh, name_en, params, offer, route, "
                              "expires_days, priority, control_pct, enabled, created_at, created_by, updated_at, "
                              "updated_by) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?12,?13) "
                              "ON CONFLICT(code) DO UPDATE SET detector = excluded.detector, name_zh = excluded.name_zh, "
                              "name_en = excluded.name_en, params = excluded.params, offer = excluded.offer, "
                              "route = excluded.route, expires_days = excluded.expires_days, priority = "
                              "excluded.priority, control_pct = excluded.control_pct, enabled = excluded.enabled, "
                              "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                              &st, err);
    if (!rc) {
        rp_stmt_bind_text(st, 1, r->code);
        rp_stmt_bind_text(st, 2, r->detector);
        rp_stmt_bind_text(st, 3, r->name_zh);
        rp_stmt_bind_text(st, 4, r->name_en);
        rp_stmt_bind_text(st, 5, r->params && *r->params ? r->params : "{}");
        if (r->offer && *r->offer)
            rp_stmt_bind_text(st, 6, r->offer);
        else
            rp_stmt_bind_null(st, 6);
        rp_stmt_bind_text(st, 7, r->route ? r->route : "manager");
        rp_stmt_bind_int(st, 8, r->expires_days ? r->expires_days : 14);
        rp_stmt_bind_int(st, 9, r->priority);
        rp_stmt_bind_real(st, 10, r->control_pct);
        rp_stmt_bind_int(st, 11, r->enabled ? 1 : 0);
        rp_stmt_bind_text(st, 12, now);
        rp_stmt_bind_text(st, 13, by);
        rc = rp_stmt_run(st, err);
    }
    if (rc) {
        wh_rollback(w);
        return rc;
    }
    return wh_commit(w, err);
}

int mk_event_rule_enable(wh *w, const char *code, int enabled, const char *by, rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    mk__now(now);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "UPDATE event_rule SET enabled = ?, updated_at = ?, updated_by = ? WHERE code = ?", &st,
                              err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, enabled ? 1 : 0);
    rp_stmt_bind_text(st, 2, now);
    rp_stmt_bind_text(st, 3, by);
    rp_stmt_bind_text(st, 4, code);
    if ((rc = rp_stmt_run(st, err)))
        return rc;
    if (rp_store_changes(wh_store(w)) == 0)
        return rp_err(err, RP_NOTFOUND, "no event rule '%s'", code);
    return RP_OK;
}

#define RULE_COLS                                                                                           \
    "r.code, r.detector, r.name_zh, r.name_en, r.params, r.offer, r.route, r.expires_days, r.priority, " \
    "r.control_pct, r.enabled, r.updated_at, r.updated_by"

int mk_event_rule_list(wh *w, json_t **out, rp_error *err)
{
    rp_stmt *st;
    *out = NULL;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT " RULE_COLS ", (SELECT count(*) FROM customer_event e WHERE e.rule = r.code), "
                              "(SELECT count(*) FROM lead l WHERE l.rule = r.code AND l.status = 'open') "
                              "FROM event_rule r ORDER BY r.priority DESC, r.code",
                              &st, err);
    if (rc)
        return rc;
    json_t *a = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        json_t *p = json_loads(rp_stmt_text(st, 4), 0, NULL);
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:i, s:i, s:f, s:b, s:s, s:s, s:I, s:I}", "code",
                              rp_stmt_text(st, 0), "detector", rp_stmt_text(st, 1), "name_zh", rp_stmt_text(st, 2),
                              "name_en", rp_stmt_text(st, 3), "params", p ? p : json_object(), "route",
                              rp_stmt_text(st, 6), "expires_days", (int)rp_stmt_int(st, 7), "priority",
                              (int)rp_stmt_int(st, 8), "control_pct", rp_stmt_real(st, 9), "enabled",
                              (int)rp_stmt_int(st, 10), "updated_at", rp_stmt_text(st, 11), "updated_by",
                              rp_stmt_text(st, 12), "events", (json_int_t)rp_stmt_int(st, 13), "open_leads",
                              (json_int_t)rp_stmt_int(st, 14));
        json_object_set_new(o, "offer", rp_stmt_text(st, 5) ? json_string(rp_stmt_text(st, 5)) : json_null());
        json_array_append_new(a, o);
    }
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return RP_OK;
}

int mk__rules_load(wh *w, mk__rule_row **rows, char ***params, int *n, rp_error *err)
{
    *rows = NULL, *params = NULL, *n = 0;
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT " RULE_COLS " FROM event_rule r WHERE r.enabled = 1 "
                              "ORDER BY r.priority DESC, r.code LIMIT 1000",
                              &st, err);
    if (rc)
        return rc;
    mk__rule_row *R = calloc(1000, sizeof *R);
    char **P = calloc(1000, sizeof *P);
    if (!R || !P) {
        free(R), free(P);
        rp_stmt_done(st);
        return rp_err(err, RP_NOMEM, NULL);
    }
    int k = 0;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        mk__rule_row *r = &R[k];
        snprintf(r->code, sizeof r->code, "%s", rp_stmt_text(st, 0));
        snprintf(r->detector, sizeof r->detector, "%s", rp_stmt_text(st, 1));
        snprintf(r->name_zh, sizeof r->name_zh, "%s", rp_stmt_text(st, 2));
        snprintf(r->name_en, sizeof r->name_en, "%s", rp_stmt_text(st, 3));
        snprintf(r->offer, sizeof r->offer, "%s", rp_stmt_text(st, 5) ? rp_stmt_text(st, 5) : "");
        snprintf(r->route, sizeof r->route, "%s", rp_stmt_text(st, 6));
        r->expires_days = (int)rp_stmt_int(st, 7);
        r->priority = (int)rp_stmt_int(st, 8);
        r->control_pct = rp_stmt_real(st, 9);
        if (!(P[k++] = strdup(rp_stmt_text(st, 4)))) {
            rc = rp_err(err, RP_NOMEM, NULL);
            break;
        }
    }
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        for (int i = 0; i < k; i++)
            free(P[i]);
        free(R), free(P);
        return rc;
    }
    *rows = R, *params = P, *n = k;
    return RP_OK;
}

int mk__event_state(wh *w, const char *name, char *out, size_t n, rp_error *err)
{
    rp_stmt *st;
    *out = 0;
    int rc = rp_store_prepare(wh_store(w), "SELECT value FROM event_state WHERE name = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, name);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        snprintf(out, n, "%s", rp_stmt_text(st, 0));
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

int mk__event_state_set(wh *w, const char *name, const char *value, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "INSERT INTO event_state(name, value) VALUES (?, ?) "
                              "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, name);
    rp_stmt_bind_text(st, 2, value);
    return rp_stmt_run(st, err);
}

int mk__event_put(wh *w, const mk__rule_row *r, int64_t customer, int64_t account, const char *occurred,
                  const char *via, const char *fact, const int64_t *amount, const char *zh, const char *en,
                  int64_t *id, rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    mk__now(now);
    *id = 0;
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "INSERT INTO customer_event(rule, party_id, account_id, occurred_at, detected_at, via, "
                              "fact, amount_minor, reason_zh, reason_en) VALUES (?,?,?,?,?,?,?,?,?,?) "
                              "ON CONFLICT(rule, fact) DO NOTHING RETURNING id",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, r->code);
    rp_stmt_bind_int(st, 2, customer);
    if (account > 0)
        rp_stmt_bind_int(st, 3, account);
    else
        rp_stmt_bind_null(st, 3);
    rp_stmt_bind_text(st, 4, occurred);
    rp_stmt_bind_text(st, 5, now);
    rp_stmt_bind_text(st, 6, via);
    rp_stmt_bind_text(st, 7, fact);
    if (amount)
        rp_stmt_bind_int(st, 8, *amount);
    else
        rp_stmt_bind_null(st, 8);
    rp_stmt_bind_text(st, 9, zh);
    rp_stmt_bind_text(st, 10, en);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        *id = rp_stmt_int(st, 0);
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

int mk_event_list(wh *w, int64_t customer, const char *rule, int limit, json_t **out, rp_error *err)
{
    rp_stmt *st;
    *out = NULL;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT e.id, e.rule, e.party_id, e.account_id, e.occurred_at, e.detected_at, e.via, "
                              "e.amount_minor, e.reason_zh, e.reason_en, l.id, l.status, l.queue, l.assigned_to "
                              "FROM customer_event e LEFT JOIN lead l ON l.event_id = e.id "
                              "WHERE (?1 = 0 OR e.party_id IN (?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)) AND (?2 IS NULL OR e.rule = ?2) "
                              "ORDER BY e.occurred_at DESC, e.id DESC LIMIT ?3",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, customer);
    if (rule)
        rp_stmt_bind_text(st, 2, rule);
    else
        rp_stmt_bind_null(st, 2);
    rp_stmt_bind_int(st, 3, limit > 0 ? limit : 100);
    int64_t ids[MK_PARTIES];
    if ((rc = mk__customer_parties(w, customer, ids, err))) {
        rp_stmt_done(st);
        return rc;
    }
    for (int i = 0; i < MK_PARTIES; i++)
        rp_stmt_bind_int(st, 4 + i, ids[i]);
    json_t *a = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)rp_stmt_int(st, 0), "rule",
                              rp_stmt_text(st, 1), "customer", (json_int_t)rp_stmt_int(st, 2), "occurred_at",
                              rp_stmt_text(st, 4), "detected_at", rp_stmt_text(st, 5), "via", rp_stmt_text(st, 6),
                              "reason_zh", rp_stmt_text(st, 8), "reason_en", rp_stmt_text(st, 9));
        json_object_set_new(o, "account", rp_stmt_column_type(st, 3) == RP_COL_NULL ? json_null()
                                                                                  : json_integer(rp_stmt_int(st, 3)));
        json_object_set_new(o, "amount", rp_stmt_column_type(st, 7) == RP_COL_NULL
                                             ? json_null() : json_real((double)rp_stmt_int(st, 7) / 100));
        json_object_set_new(o, "lead", rp_stmt_column_type(st, 10) == RP_COL_NULL ? json_null()
                                       : json_pack("{s:I, s:s, s:s, s:s?}", "id", (json_int_t)rp_stmt_int(st, 10),
                                                   "status", rp_stmt_text(st, 11), "queue", rp_stmt_text(st, 12),
                                                   "assigned_to", rp_stmt_text(st, 13)));
        json_array_append_new(a, o);
    }
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return RP_OK;
}
