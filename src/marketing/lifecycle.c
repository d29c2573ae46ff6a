/* lifecycle.c — a campaign's steps from draft to closed, each checked and recorded; a campaign as
 * people read it; the list of campaigns; uploaded lists.  See marketing.h. */
#include "marketing/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* action: from which statuses, to which */
static const struct step {
    const char *action, *from[4], *to;
} lifecycle[] = {
    { "submit", { "draft" }, "submitted" },
    { "reject", { "submitted", "approved" }, "draft" },
    { "approve", { "submitted" }, "approved" },
    { "launch", { "approved" }, "running" },
    { "pause", { "running" }, "paused" },
    { "resume", { "paused" }, "running" },
    { "close", { "running", "paused" }, "closed" },
    { "cancel", { "draft", "submitted", "approved" }, "cancelled" },
};

typedef struct plan_facts {
    char created_by[65], submitted_by[65], purpose[16];
    int64_t targets, cells;
    int selected, has_selection;
} plan_facts;

static int facts(wh *w, const char *code, plan_facts *f, rp_error *err)
{
    memset(f, 0, sizeof *f);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT created_by, coalesce(submitted_by, ''), purpose, coalesce(targets, -1), "
                              "selected_at IS NOT NULL, (rule IS NOT NULL OR model IS NOT NULL OR list IS NOT NULL), "
                              "(SELECT count(*) FROM campaign_cell c WHERE c.campaign = p.code) "
                              "FROM campaign_plan p WHERE code = ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        snprintf(f->created_by, sizeof f->created_by, "%s", rp_stmt_text(st, 0));
        snprintf(f->submitted_by, sizeof f->submitted_by, "%s", rp_stmt_text(st, 1));
        snprintf(f->purpose, sizeof f->purpose, "%s", rp_stmt_text(st, 2));
        f->targets = rp_stmt_int(st, 3);
        f->selected = (int)rp_stmt_int(st, 4);
        f->has_selection = (int)rp_stmt_int(st, 5);
        f->cells = rp_stmt_int(st, 6);
    }
    rp_stmt_done(st);
    return rc == RP_ROW ? RP_OK : rc == RP_DONE ? rp_err(err, RP_NOTFOUND, "no campaign '%.40s'", code) : rc;
}

/* What a step needs besides the status. */
static int step_ok(const char *code, const char *action, const char *by, const char *note, const plan_facts *f,
                   rp_error *err)
{
    if (!strcmp(action, "submit")) {
        if (!f->cells)
            return rp_err(err, RP_DENIED, "campaign %s has no cell: give it an offer on a channel before submitting", code);
        if (!f->has_selection)
            return rp_err(err, RP_DENIED, "campaign %s selects nobody: give it a rule, a model's deciles or a list", code);
        if (!f->selected)
            return rp_err(err, RP_DENIED, "campaign %s has no selection: select its targets before submitting", code);
    } else if (!strcmp(action, "approve")) {
        if (!strcmp(by, f->created_by) || !strcmp(by, f->submitted_by))
            return rp_err(err, RP_DENIED, "campaign %s was %s by %s: its author may not approve it (four eyes)", code,
                          !strcmp(by, f->submitted_by) ? "submitted" : "created", by);
    } else if (!strcmp(action, "launch")) {
        if (!f->selected || f->targets <= 0)
            return rp_err(err, RP_DENIED, "campaign %s has no targets selected", code);
    } else if (!strcmp(action, "reject") && (!note || !*note))
        return rp_err(err, RP_INVAL, "note: say why the campaign goes back to draft");
    return RP_OK;
}

static int set_status(wh *w, const char *code, const char *action, const char *to, const char *by, rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    mk__now(now);
    const char *sql = !strcmp(action, "submit")    ? "UPDATE campaign_plan SET status = ?2, submitted_by = ?3, "
                                                     "updated_at = ?4 WHERE code = ?1"
                      : !strcmp(action, "approve") ? "UPDATE campaign_plan SET status = ?2, approved_by = ?3, "
                                                     "approved_at = ?4, updated_at = ?4 WHERE code = ?1"
                      : !strcmp(action, "reject")  ? "UPDATE campaign_plan SET status = ?2, submitted_by = NULL, "
                                                     "approved_by = NULL, approved_at = NULL, updated_at = ?4 "
                                                     "WHERE code = ?1 AND ?3 IS NOT NULL"
                                                   : "UPDATE campaign_plan SET status = ?2, updated_at = ?4 "
                                                     "WHERE code = ?1 AND ?3 IS NOT NULL";
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), sql, &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    rp_stmt_bind_text(st, 2, to);
    rp_stmt_bind_text(st, 3, by);
    rp_stmt_bind_text(st, 4, now);
    return rp_stmt_run(st, err);
}

/* Launched, the treated are contacted from today (the channels' outputs send them), those of a wave
 * that begins later from its first day. */
static int launch_contacts(wh *w, const char *code, rp_error *err)
{
    json_t *doc = json_object();
    mk__waves v;
    int rc = mk__waves_json(w, code, doc, err);
    mk__waves_read(doc, &v);
    json_decref(doc);
    int64_t marked;
    for (int k = 0; k < v.n && !rc; k++)
        if (strcmp(v.starts[k], v.today) > 0)
            rc = wh_campaign_contacted(w, code, v.wave[k], v.starts[k], &marked, err);
    return rc ? rc : wh_campaign_contacted(w, code, 0, v.today, &marked, err);
}

int mk_campaign_act(wh *w, const char *code, const char *action, const char *by, const char *note,
                    const char **status, rp_error *err)
{
    const struct step *s = NULL;
    for (size_t i = 0; i < sizeof lifecycle / sizeof *lifecycle; i++)
        if (action && !strcmp(action, lifecycle[i].action))
            s = &lifecycle[i];
    if (!s)
        return rp_err(err, RP_INVAL, "action: '%.20s' is not one of submit, reject, approve, launch, pause, resume, "
                                     "close, cancel", action ? action : "");
    if (!by || !*by)
        return rp_err(err, RP_INVAL, "by: who acts must be known");
    int rc;
    if ((rc = mk__text_ok("note", note, 1000, 0, err)) || (rc = wh_begin(w, err)))
        return rc;
    char now_status[16];
    plan_facts f;
    if ((rc = mk__status(w, code, now_status, err)) || (rc = facts(w, code, &f, err)))
        goto out;
    int ok = 0;
    for (int k = 0; k < 4 && s->from[k]; k++)
        ok |= !strcmp(now_status, s->from[k]);
    if (!ok) {
        rc = !strcmp(action, "launch")
                 ? rp_err(err, RP_DENIED, "campaign %s is %s: only an approved campaign is launched", code, now_status)
                 : rp_err(err, RP_DENIED, "campaign %s is %s: it cannot be %s", code, now_status,
                          !strcmp(action, "submit")    ? "submitted"
                          : !strcmp(action, "approve") ? "approved"
                          : !strcmp(action, "reject")  ? "rejected"
                          : !strcmp(action, "pause")   ? "paused"
                          : !strcmp(action, "resume")  ? "resumed"
                          : !strcmp(action, "close")   ? "closed"
                                                       : "cancelled");
        goto out;
    }
    if ((rc = step_ok(code, action, by, note, &f, err)) || (rc = set_status(w, code, action, s->to, by, err)))
        goto out;
    if (!strcmp(action, "launch") && (rc = launch_contacts(w, code, err)))
        goto out;
    if ((rc = mk__log(w, code, by, action, now_status, s->to, note, err)))
        goto out;
    rc = wh_commit(w, err);
    if (!rc && status)
        *status = s->to;
out:
    if (rc)
        wh_rollback(w);
    return rc;
}

/* ---- reading ---- */

static int history(wh *w, const char *code, json_t *o, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT at, by_user, action, from_status, to_status, detail FROM campaign_change "
                              "WHERE campaign = ? ORDER BY id",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    json_t *arr = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?}", "at", rp_stmt_text(st, 0), "by",
                                             rp_stmt_text(st, 1), "action", rp_stmt_text(st, 2), "from",
                                             rp_stmt_text(st, 3), "to", rp_stmt_text(st, 4), "detail",
                                             rp_stmt_text(st, 5)));
    rp_stmt_done(st);
    json_object_set_new(o, "history", arr);
    if (rc != RP_DONE)
        return rc;
    if ((rc = rp_store_prepare(wh_store(w),
                               "SELECT step, name, removed, remaining FROM campaign_waterfall WHERE campaign = ? "
                               "ORDER BY step",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, code);
    arr = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        json_array_append_new(arr, json_pack("{s:I, s:s, s:I, s:I}", "step", (json_int_t)rp_stmt_int(st, 0), "name",
                                             rp_stmt_text(st, 1), "removed", (json_int_t)rp_stmt_int(st, 2),
                                             "remaining", (json_int_t)rp_stmt_int(st, 3)));
    rp_stmt_done(st);
    json_object_set_new(o, "waterfall", arr);
    return rc == RP_DONE ? RP_OK : rc;
}

static int cells(wh *w, const char *code, json_t *o, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT cell, offer, channel, share, message, cap, paused FROM campaign_cell "
                              "WHERE campaign = ? ORDER BY cell",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    json_t *arr = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        json_t *c = json_pack("{s:s, s:s, s:s, s:f, s:s?, s:b}", "cell", rp_stmt_text(st, 0), "offer",
                              rp_stmt_text(st, 1), "channel", rp_stmt_text(st, 2), "share", rp_stmt_real(st, 3),
                              "message", rp_stmt_text(st, 4), "paused", (int)rp_stmt_int(st, 6));
        json_object_set_new(c, "cap", rp_stmt_column_type(st, 5) == RP_COL_NULL ? json_null()
                                                                                : json_integer(rp_stmt_int(st, 5)));
        json_array_append_new(arr, c);
    }
    rp_stmt_done(st);
    json_object_set_new(o, "cells", arr);
    return rc == RP_DONE ? RP_OK : rc;
}

static json_t *col_json(rp_stmt *st, int c)
{
    switch (rp_stmt_column_type(st, c)) {
    case RP_COL_NULL: return json_null();
    case RP_COL_INT: return json_integer(rp_stmt_int(st, c));
    case RP_COL_REAL: return json_real(rp_stmt_real(st, c));
    default: return json_string(rp_stmt_text(st, c));
    }
}

static int plan(wh *w, const char *code, json_t *o, int *found, rp_error *err)
{
    static const char *const names[] = { "objective", "purpose", "status", "owner", "created_by", "budget_minor",
                                         "currency", "rule", "model", "top_deciles", "list", "policy", "control_pct",
                                         "control_rate", "control_margin", "control_confidence", "stratify", "seed",
                                         "version", "created_at", "updated_at", "submitted_by", "approved_by",
                                         "approved_at", "selected_at" };
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT objective, purpose, status, owner, created_by, budget_minor, currency, rule, "
                              "model, top_deciles, list, policy, control_pct, control_rate, control_margin, "
                              "control_conf, stratify, seed, version, created_at, updated_at, submitted_by, "
                              "approved_by, approved_at, selected_at FROM campaign_plan WHERE code = ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    *found = 0;
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        *found = 1;
        for (int c = 0; c < 25; c++) {
            json_t *v = col_json(st, c);
            if (c == 11) { /* the policy, as the object it is */
                json_t *p = json_loads(rp_stmt_text(st, c), 0, NULL);
                json_decref(v);
                v = p ? p : json_object();
            }
            json_object_set_new(o, names[c], v);
        }
    }
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

int mk_campaign_get(wh *w, const char *code, json_t **out, rp_error *err)
{
    json_t *o;
    *out = NULL;
    int rc = wh_campaign_find(w, code, &o, err), found;
    if (rc)
        return rc;
    json_t *targets = NULL;
    if ((rc = plan(w, code, o, &found, err)) || (rc = wh_campaign_targets_count(w, code, &targets, err))) {
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "targets", targets);
    if (!found) {
        json_object_set_new(o, "status", json_string("loaded"));
        *out = o;
        return RP_OK;
    }
    if ((rc = cells(w, code, o, err)) || (rc = mk__waves_json(w, code, o, err)) || (rc = history(w, code, o, err))) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return RP_OK;
}

int mk__campaign_cells(wh *w, const char *code, mk__campaign *c, rp_error *err)
{
    memset(c, 0, sizeof *c);
    int rc = mk_campaign_get(w, code, &c->doc, err);
    if (rc)
        return rc;
    c->status = json_string_value(json_object_get(c->doc, "status"));
    c->purpose = json_string_value(json_object_get(c->doc, "purpose"));
    mk__waves_read(c->doc, &c->waves);
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(c->doc, "cells"), i, x) {
        if (c->ncells == MK_MAX_CELLS)
            break;
        mk__cell *k = &c->cells[c->ncells++];
        k->cell = json_string_value(json_object_get(x, "cell"));
        k->offer = json_string_value(json_object_get(x, "offer"));
        k->channel = json_string_value(json_object_get(x, "channel"));
        k->message = json_string_value(json_object_get(x, "message"));
        k->paused = json_is_true(json_object_get(x, "paused"));
        k->contact = wh_contact_channel(mk_channel_contact(k->channel));
        k->cap = json_integer_value(json_object_get(x, "cap"));
    }
    return RP_OK;
}

const mk__cell *mk__campaign_cell(const mk__campaign *c, const char *name)
{
    for (int k = 0; k < c->ncells; k++)
        if (!strcmp(c->cells[k].cell, name ? name : ""))
            return &c->cells[k];
    return NULL;
}

int mk_campaign_list(wh *w, const char *status, json_t **out, rp_error *err)
{
    if (status && mk__index(status, mk_statuses) < 0 && strcmp(status, "loaded"))
        return rp_err(err, RP_INVAL, "status: '%.20s' is not one of draft, submitted, approved, running, paused, "
                                     "closed, cancelled, loaded", status);
    json_t *all;
    int rc = wh_campaigns(w, &all, err);
    if (rc)
        return rc;
    json_t *arr = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(all, i, c) {
        char st[16] = "loaded";
        const char *code = json_string_value(json_object_get(c, "code"));
        rp_stmt *q;
        if ((rc = rp_store_prepare(wh_store(w), "SELECT status, owner, coalesce(targets, 0) FROM campaign_plan "
                                                "WHERE code = ?", &q, err)))
            break;
        rp_stmt_bind_text(q, 1, code);
        json_t *owner = json_null(), *targets = json_null();
        if ((rc = rp_stmt_step(q, err)) == RP_ROW) {
            snprintf(st, sizeof st, "%s", rp_stmt_text(q, 0));
            json_decref(owner);
            json_decref(targets);
            owner = json_string(rp_stmt_text(q, 1));
            targets = json_integer(rp_stmt_int(q, 2));
        }
        rp_stmt_done(q);
        if (rc != RP_ROW && rc != RP_DONE) {
            json_decref(owner);
            json_decref(targets);
            break;
        }
        rc = RP_OK;
        json_object_set_new(c, "status", json_string(st));
        json_object_set_new(c, "owner", owner);
        json_object_set_new(c, "targets", targets);
        if (!status || !strcmp(status, st))
            json_array_append(arr, c);
    }
    json_decref(all);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return RP_OK;
}

int mk_list_add(wh *w, const char *name, const int64_t *customers, size_t n, const char *by, size_t *added,
                rp_error *err)
{
    int rc;
    *added = 0;
    if ((rc = mk__code_ok("list", name, err)))
        return rc;
    char now[RP_TIME_UTC_LEN];
    mk__now(now);
    if ((rc = wh_begin(w, err)))
        return rc;
    for (size_t i = 0; i < n && !rc; i++) {
        int64_t customer, member;
        if ((rc = wh_party_customer(w, customers[i], &customer, &member, err))) {
            if (rc == RP_NOTFOUND)
                rc = rp_err(err, RP_NOTFOUND, "customers[%zu]: no customer %lld", i, (long long)customers[i]);
            break;
        }
        rp_stmt *st;
        if ((rc = rp_store_prepare(wh_store(w),
                                   "INSERT INTO target_list(name, party_id, added_at, added_by) VALUES (?,?,?,?) "
                                   "ON CONFLICT(name, party_id) DO NOTHING",
                                   &st, err)))
            break;
        rp_stmt_bind_text(st, 1, name);
        rp_stmt_bind_int(st, 2, customer);
        rp_stmt_bind_text(st, 3, now);
        rp_stmt_bind_text(st, 4, by ? by : "");
        if (!(rc = rp_stmt_run(st, err)))
            *added += (size_t)rp_store_changes(wh_store(w));
    }
    if (!rc)
        rc = wh_commit(w, err);
    if (rc) {
        wh_rollback(w);
        *added = 0;
    }
    return rc;
}

/* A statement's first column, every row, into a growing array; RP_DONE at the end, or the error.
 * The statement is done either way. */
static int read_ids(rp_stmt *st, int64_t **ids, size_t *n, rp_error *err)
{
    size_t cap = 0;
    int rc;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            int64_t *p = realloc(*ids, cap * sizeof *p);
            if (!p) {
                rc = rp_err(err, RP_NOMEM, NULL);
                break;
            }
            *ids = p;
        }
        (*ids)[(*n)++] = rp_stmt_int(st, 0);
    }
    rp_stmt_done(st);
    return rc;
}

static int by_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* "event:RULE[:DAYS]": the customers an event rule found in the last DAYS days (30), as they are now
 * (an event found before identity resolution is of the person its party was since found to be). */
static int event_members(wh *w, const char *spec, int64_t **ids, size_t *n, rp_error *err)
{
    char rule[33] = "";
    long days = 30;
    const char *colon = strchr(spec, ':');
    size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
    char *end = NULL;
    if (colon)
        days = strtol(colon + 1, &end, 10);
    if (!len || len >= sizeof rule || (colon && (*end || days < 1 || days > 366)))
        return rp_err(err, RP_INVAL, "campaign.list: 'event:%.40s' is not event:RULE or event:RULE:DAYS (1-366)", spec);
    memcpy(rule, spec, len);
    char since[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now() - days * 86400, since);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT DISTINCT party_id FROM customer_event WHERE rule = ? AND occurred_at >= ?", &st,
                              err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, rule);
    rp_stmt_bind_text(st, 2, since);
    rc = read_ids(st, ids, n, err);
    for (size_t i = 0; rc == RP_DONE && i < *n; i++) {
        int64_t member;
        int r = wh_party_customer(w, (*ids)[i], &(*ids)[i], &member, err);
        if (r && r != RP_NOTFOUND)
            rc = r;
        rp_err_clear(err);
    }
    if (rc != RP_DONE) {
        free(*ids);
        *ids = NULL, *n = 0;
        return rc;
    }
    qsort(*ids, *n, sizeof **ids, by_id);
    size_t k = 0;
    for (size_t i = 0; i < *n; i++)
        if (!k || (*ids)[k - 1] != (*ids)[i])
            (*ids)[k++] = (*ids)[i];
    *n = k;
    if (!*n)
        return rp_err(err, RP_NOTFOUND, "campaign.list: event rule '%s' found nobody in the last %ld days", rule, days);
    return RP_OK;
}

int mk__list_members(wh *w, const char *name, int64_t **ids, size_t *n, rp_error *err)
{
    rp_stmt *st;
    *ids = NULL;
    *n = 0;
    if (!strncmp(name, "event:", 6))
        return event_members(w, name + 6, ids, n, err);
    int rc = rp_store_prepare(wh_store(w), "SELECT party_id FROM target_list WHERE name = ? ORDER BY party_id", &st,
                              err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, name);
    rc = read_ids(st, ids, n, err);
    if (rc != RP_DONE) {
        free(*ids);
        *ids = NULL;
        *n = 0;
        return rc;
    }
    if (!*n)
        return rp_err(err, RP_NOTFOUND, "campaign.list: no list '%.64s', or it is empty", name);
    return RP_OK;
}
