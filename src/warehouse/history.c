/* history.c — what source systems tell of a customer besides their
 * records: online activity, the contact centre's calls and their notes,
 * campaigns with their targets and responses; and an account found by its
 * number with its currency, for loads that post to accounts.  The loader
 * writes these through the functions here (tables of migration 0002).
 * See warehouse.h. */
#include "warehouse/internal.h"
#include "core/rtime.h"

#include <stdio.h>
#include <string.h>


/* what the schema holds NOT NULL: bound as text, NULL is missing */
static int present(const char *field, const char *v, rp_error *err)
{
    return v ? RP_OK : rp_err(err, RP_INVAL, "%s: required", field);
}

/* ... and bound as NULL when empty, so empty is missing too */
static int given(const char *field, const char *v, rp_error *err)
{
    return v && *v ? RP_OK : rp_err(err, RP_INVAL, "%s: required", field);
}

static void bind_opt(rp_stmt *st, int i, const char *s) { rp_stmt_bind_text(st, i, s && *s ? s : NULL); }

static void bind_opt_int(rp_stmt *st, int i, int has, int64_t v)
{
    if (has)
        rp_stmt_bind_int(st, i, v);
    else
        rp_stmt_bind_null(st, i);
}

/* Run an INSERT ... ON CONFLICT DO NOTHING: RP_EXISTS when it met its conflict. */
static int insert_new(wh *w, rp_stmt *st, rp_error *err)
{
    int rc = rp_stmt_run(st, err);
    return rc ? rc : rp_store_changes(w->store) > 0 ? RP_OK : RP_EXISTS;
}

int wh_activity_add(wh *w, const wh_activity *a, rp_error *err)
{
    int rc;
    if ((rc = given("activity.at", a->at, err)) || (rc = given("activity.kind", a->kind, err)) ||
        (rc = present("activity.source", a->source, err)) || (rc = present("activity.key", a->source_key, err)))
        return rc;
    rp_stmt *st;
    if ((rc = rp_store_prepare(w->store,
                               "INSERT INTO activity(party_id, at, kind, channel, detail, amount_minor, "
                               "currency, source, source_key, job_id) VALUES (?,?,?,?,?,?,?,?,?,?) "
                               "ON CONFLICT(source, source_key) DO NOTHING",
                               &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, a->party_id);
    bind_opt(st, 2, a->at);
    bind_opt(st, 3, a->kind);
    bind_opt(st, 4, a->channel);
    bind_opt(st, 5, a->detail);
    bind_opt_int(st, 6, a->has_amount, a->amount_minor);
    bind_opt(st, 7, a->currency);
    rp_stmt_bind_text(st, 8, a->source);
    rp_stmt_bind_text(st, 9, a->source_key);
    rp_stmt_bind_int(st, 10, a->job_id);
    if ((rc = insert_new(w, st, err)) == RP_EXISTS)
        return rp_err(err, rc, "activity: %s record '%s' was already loaded", a->source, a->source_key);
    return rc;
}

int wh_call_add(wh *w, const wh_call *c, rp_error *err)
{
    int rc;
    if ((rc = present("call.call_id", c->call_id, err)) || (rc = present("call.source", c->source, err)) ||
        (rc = present("call.arrival", c->arrival, err)))
        return rc;
    rp_stmt *st;
    if ((rc = rp_store_prepare(w->store,
                               "INSERT INTO call_record(call_id, source, arrival, caller, ivr_path, party_id, "
                               "queue, wait_s, talk_s, wrap_s, abandoned, agent, reason, interaction_id, "
                               "job_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                               "ON CONFLICT(source, call_id) DO NOTHING",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, c->call_id);
    rp_stmt_bind_text(st, 2, c->source);
    rp_stmt_bind_text(st, 3, c->arrival);
    bind_opt(st, 4, c->caller);
    bind_opt(st, 5, c->ivr_path);
    bind_opt_int(st, 6, c->party_id != 0, c->party_id);
    bind_opt(st, 7, c->queue);
    bind_opt_int(st, 8, c->has_wait, c->wait_s);
    bind_opt_int(st, 9, c->has_talk, c->talk_s);
    bind_opt_int(st, 10, c->has_wrap, c->wrap_s);
    rp_stmt_bind_int(st, 11, c->abandoned ? 1 : 0);
    bind_opt(st, 12, c->agent);
    bind_opt(st, 13, c->reason);
    bind_opt_int(st, 14, c->interaction_id != 0, c->interaction_id);
    bind_opt_int(st, 15, c->job_id != 0, c->job_id); /* 0: written by the live centre, not a load */
    if ((rc = insert_new(w, st, err)) == RP_EXISTS)
        return rp_err(err, rc, "call: '%s' from %s was already loaded", c->call_id, c->source);
    return rc;
}

int wh_call_note_put(wh *w, const wh_call_note *n, rp_error *err)
{
    rp_stmt *st;
    int rc;
    if ((rc = rp_store_prepare(w->store,
                               "UPDATE call_record SET note = ?, note_category = ?, note_at = ?, "
                               "agent = coalesce(agent, ?) WHERE source = ? AND call_id = ? "
                               "RETURNING interaction_id",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, n->note);
    bind_opt(st, 2, n->category);
    bind_opt(st, 3, n->at);
    bind_opt(st, 4, n->agent);
    rp_stmt_bind_text(st, 5, n->source);
    rp_stmt_bind_text(st, 6, n->call_id);
    rc = rp_stmt_step(st, err);
    int64_t ia = rc == RP_ROW ? rp_stmt_int(st, 0) : 0;
    if (rc == RP_ROW) { /* committed at its end outside a transaction (store.h) */
        int f = rp_stmt_finish(st, err);
        rc = f ? f : RP_ROW;
    } else {
        rp_stmt_done(st);
    }
    if (rc == RP_DONE)
        return rp_err(err, RP_NOTFOUND, "call_note.call_id: no call '%s' from %s", n->call_id ? n->call_id : "",
                      n->source ? n->source : "");
    if (rc != RP_ROW)
        return rc;
    if (!ia) /* a call nobody was identified on is in no contact history */
        return RP_OK;
    if ((rc = rp_store_prepare(w->store, "UPDATE interaction SET notes = ? WHERE id = ?", &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, n->note);
    rp_stmt_bind_int(st, 2, ia);
    return rp_stmt_run(st, err);
}

int wh_statement_put(wh *w, const wh_statement *s, rp_error *err)
{
    int rc;
    if ((rc = given("statement.date", s->date, err)) || (rc = present("statement.source", s->source, err)))
        return rc;
    if (!s->has_balance)
        return rp_err(err, RP_INVAL, "statement.balance: required");
    if (s->days_past_due < 0)
        return rp_err(err, RP_INVAL, "statement.days_past_due: %lld is negative", (long long)s->days_past_due);
    rp_stmt *st;
    if ((rc = rp_store_prepare(w->store,
                               "INSERT INTO account_statement(account_id, statement_date, due_date, "
                               "previous_balance_minor, purchases_minor, cash_advances_minor, interest_fees_minor, "
                               "payments_minor, balance_minor, credit_limit_minor, minimum_due_minor, days_past_due, "
                               "source, job_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                               "ON CONFLICT(account_id, statement_date) DO UPDATE SET due_date = excluded.due_date, "
                               "previous_balance_minor = excluded.previous_balance_minor, purchases_minor = "
                               "excluded.purchases_minor, cash_advances_minor = excluded.cash_advances_minor, "
                               "interest_fees_minor = excluded.interest_fees_minor, payments_minor = "
                               "excluded.payments_minor, balance_minor = excluded.balance_minor, credit_limit_minor "
                               "= excluded.credit_limit_minor, minimum_due_minor = excluded.minimum_due_minor, "
                               "days_past_due = excluded.days_past_due, source = excluded.source, job_id = "
                               "excluded.job_id",
                               &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, s->account_id);
    rp_stmt_bind_text(st, 2, s->date);
    bind_opt(st, 3, s->due_date);
    const int has[8] = { s->has_previous_balance, s->has_purchases, s->has_cash_advances, s->has_interest_fees,
                         s->has_payments, s->has_balance, s->has_limit, s->has_minimum_due };
    const int64_t v[8] = { s->previous_balance, s->purchases, s->cash_advances, s->interest_fees,
                           s->payments, s->balance, s->limit, s->minimum_due };
    for (int k = 0; k < 8; k++)
        bind_opt_int(st, 4 + k, has[k], v[k]);
    rp_stmt_bind_int(st, 12, s->days_past_due);
    rp_stmt_bind_text(st, 13, s->source);
    rp_stmt_bind_int(st, 14, s->job_id);
    return rp_stmt_run(st, err);
}

int wh_campaign_put(wh *w, const wh_campaign *c, rp_error *err)
{
    int rc;
    if ((rc = given("campaign.name", c->name, err)))
        return rc;
    rp_stmt *st;
    if ((rc = rp_store_prepare(w->store,
                               "INSERT INTO campaign(code, name, offer, channel, start_date, end_date, "
                               "response_deadline, job_id) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(code) DO "
                               "UPDATE SET name = excluded.name, offer = excluded.offer, channel = "
                               "excluded.channel, start_date = excluded.start_date, end_date = "
                               "excluded.end_date, response_deadline = excluded.response_deadline, "
                               "job_id = excluded.job_id",
                               &st, err)))
        return rc;
    const char *v[] = { c->code, c->name, c->offer, c->channel, c->start_date, c->end_date, c->response_deadline };
    for (int k = 0; k < 7; k++)
        bind_opt(st, k + 1, v[k]);
    rp_stmt_bind_int(st, 8, c->job_id);
    return rp_stmt_run(st, err);
}

/* The campaign a target or a response names. */
int wh__campaign_exists(wh *w, const char *field, const char *code, rp_error *err)
{
    rp_stmt *st;
    int yes, rc = rp_store_prepare(w->store, "SELECT 1 FROM campaign WHERE code = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    if ((rc = wh__exists(st, &yes, err)))
        return rc;
    return yes ? RP_OK : rp_err(err, RP_NOTFOUND, "%s: no campaign '%s'", field, code ? code : "");
}

int wh_campaign_target_put(wh *w, const wh_campaign_target *t, rp_error *err)
{
    int rc;
    if ((rc = wh__campaign_exists(w, "campaign_target.campaign", t->campaign, err)) ||
        (rc = given("campaign_target.group", t->group, err)) ||
        (rc = wh__one_of("campaign_target.group", t->group, wh_campaign_groups, err)))
        return rc;
    rp_stmt *st;
    if ((rc = rp_store_prepare(w->store,
                               "INSERT INTO campaign_target(campaign, party_id, grp, contacted_at, channel, job_id) "
                               "VALUES (?,?,?,?,?,?) ON CONFLICT(campaign, party_id) DO UPDATE SET grp = excluded.grp, "
                               "contacted_at = excluded.contacted_at, channel = excluded.channel, job_id = "
                               "excluded.job_id",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, t->campaign);
    rp_stmt_bind_int(st, 2, t->party_id);
    rp_stmt_bind_text(st, 3, t->group);
    bind_opt(st, 4, t->contacted_at);
    bind_opt(st, 5, t->channel);
    rp_stmt_bind_int(st, 6, t->job_id);
    return rp_stmt_run(st, err);
}

/* ---- campaigns designed in Rapport (marketing.h): the register, the targets of a selection ---- */

static const char *const campaign_cols[] = { "code", "name", "offer", "channel", "start_date", "end_date",
                                             "response_deadline" };

static int campaign_object(rp_stmt *st, json_t **out)
{
    json_t *o = json_object();
    for (int c = 0; c < 7; c++)
        json_object_set_new(o, campaign_cols[c], rp_stmt_column_type(st, c) == RP_COL_NULL ? json_null()
                                                                                          : json_string(rp_stmt_text(st, c)));
    json_object_set_new(o, "loaded", json_boolean(rp_stmt_column_type(st, 7) != RP_COL_NULL));
    *out = o;
    return RP_OK;
}

int wh_campaign_find(wh *w, const char *code, json_t **out, rp_error *err)
{
    rp_stmt *st;
    *out = NULL;
    int rc = rp_store_prepare(w->store,
                              "SELECT code, name, offer, channel, start_date, end_date, response_deadline, job_id "
                              "FROM campaign WHERE code = ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        rc = campaign_object(st, out);
    else if (rc == RP_DONE)
        rc = rp_err(err, RP_NOTFOUND, "no campaign '%.40s'", code ? code : "");
    rp_stmt_done(st);
    return rc;
}

int wh_campaigns(wh *w, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT code, name, offer, channel, start_date, end_date, response_deadline, job_id "
                              "FROM campaign ORDER BY coalesce(start_date, '9999') DESC, code",
                              &st, err);
    if (rc)
        return rc;
    json_t *arr = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        json_t *o;
        campaign_object(st, &o);
        json_array_append_new(arr, o);
    }
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return RP_OK;
}

int wh_campaign_register(wh *w, const wh_campaign *c, int replace, rp_error *err)
{
    int rc;
    if ((rc = given("campaign.code", c->code, err)) || (rc = given("campaign.name", c->name, err)))
        return rc;
    rp_stmt *st;
    const char *sql = replace ? "UPDATE campaign SET name = ?2, offer = ?3, channel = ?4, start_date = ?5, "
                                "end_date = ?6, response_deadline = ?7 WHERE code = ?1"
                              : "INSERT INTO campaign(code, name, offer, channel, start_date, end_date, "
                                "response_deadline) VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(code) DO NOTHING";
    if ((rc = rp_store_prepare(w->store, sql, &st, err)))
        return rc;
    const char *v[] = { c->code, c->name, c->offer, c->channel, c->start_date, c->end_date, c->response_deadline };
    for (int k = 0; k < 7; k++)
        bind_opt(st, k + 1, v[k]);
    if ((rc = rp_stmt_run(st, err)))
        return rc;
    if (!rp_store_changes(w->store))
        return replace ? rp_err(err, RP_NOTFOUND, "no campaign '%.40s'", c->code)
                       : rp_err(err, RP_EXISTS, "campaign.code: there is a campaign '%.40s' already", c->code);
    return RP_OK;
}

int wh_campaign_targets_clear(wh *w, const char *code, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store, "DELETE FROM campaign_target WHERE campaign = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    return rp_stmt_run(st, err);
}

int wh_campaign_target_add(wh *w, const wh_campaign_target *t, rp_error *err)
{
    int rc;
    if ((rc = wh__one_of("campaign_target.group", t->group, wh_campaign_groups, err)))
        return rc;
    rp_stmt *st;
    if ((rc = rp_store_prepare(w->store,
                               "INSERT INTO campaign_target(campaign, party_id, grp, contacted_at, channel, cell, offer, "
                               "wave, stratum) VALUES (?,?,?,?,?,?,?,?,?)",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, t->campaign);
    rp_stmt_bind_int(st, 2, t->party_id);
    rp_stmt_bind_text(st, 3, t->group);
    bind_opt(st, 4, t->contacted_at);
    bind_opt(st, 5, t->channel);
    bind_opt(st, 6, t->cell);
    bind_opt(st, 7, t->offer);
    bind_opt_int(st, 8, t->wave > 0, t->wave);
    bind_opt(st, 9, t->stratum);
    return rp_stmt_run(st, err);
}

/* A campaign in waves: each wave's treated and control targets into out's by_wave. */
static int by_wave(wh *w, const char *code, json_t *out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT wave, sum(CASE WHEN grp = 'treatment' THEN 1 ELSE 0 END), sum(CASE WHEN grp = "
                              "'control' THEN 1 ELSE 0 END) FROM campaign_target WHERE campaign = ? "
                              "AND wave IS NOT NULL GROUP BY wave ORDER BY wave",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    json_t *waves = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        json_array_append_new(waves, json_pack("{s:I, s:I, s:I}", "wave", (json_int_t)rp_stmt_int(st, 0), "treatment",
                                               (json_int_t)rp_stmt_int(st, 1), "control", (json_int_t)rp_stmt_int(st, 2)));
    rp_stmt_done(st);
    if (json_array_size(waves))
        json_object_set(out, "by_wave", waves);
    json_decref(waves);
    return rc == RP_DONE ? RP_OK : rc;
}

int wh_campaign_targets_count(wh *w, const char *code, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT grp, cell, offer, channel, count(*), sum(CASE WHEN substr(contacted_at, 1, 10) "
                              "<= ?2 THEN 1 ELSE 0 END) FROM campaign_target WHERE campaign = ?1 GROUP BY grp, cell, "
                              "offer, channel ORDER BY grp DESC, cell",
                              &st, err);
    if (rc)
        return rc;
    /* contacted by today (Taipei): a wave that begins later is marked contacted from its first day */
    char today[RP_DATE_LEN];
    rp_date_format(rp_time_taipei_date(rp_now()), today);
    rp_stmt_bind_text(st, 1, code);
    rp_stmt_bind_text(st, 2, today);
    int64_t n[2] = { 0, 0 }, contacted = 0;
    json_t *cells = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        int control = !strcmp(rp_stmt_text(st, 0), "control");
        n[control] += rp_stmt_int(st, 4);
        contacted += rp_stmt_int(st, 5);
        if (!control)
            json_array_append_new(cells, json_pack("{s:s?, s:s?, s:s?, s:I}", "cell", rp_stmt_text(st, 1), "offer",
                                                   rp_stmt_text(st, 2), "channel", rp_stmt_text(st, 3), "customers",
                                                   (json_int_t)rp_stmt_int(st, 4)));
    }
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(cells);
        return rc;
    }
    *out = json_pack("{s:I, s:I, s:I, s:o}", "treatment", (json_int_t)n[0], "control", (json_int_t)n[1], "contacted",
                     (json_int_t)contacted, "by_cell", cells);
    if ((rc = by_wave(w, code, *out, err))) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

int wh_campaign_contacted(wh *w, const char *code, int wave, const char *day, int64_t *marked, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "UPDATE campaign_target SET contacted_at = ?2 WHERE campaign = ?1 AND grp = 'treatment' "
                              "AND contacted_at IS NULL AND (?3 = 0 OR wave = ?3)",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    rp_stmt_bind_text(st, 2, day);
    rp_stmt_bind_int(st, 3, wave);
    if ((rc = rp_stmt_run(st, err)))
        return rc;
    if (marked)
        *marked = rp_store_changes(w->store);
    return RP_OK;
}

int wh_campaign_target_cell(wh *w, const char *code, int64_t party, const char *cell, const char *offer,
                            const char *channel, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              cell ? "UPDATE campaign_target SET cell = ?3, offer = ?4, channel = ?5 WHERE campaign = ?1 "
                                     "AND party_id = ?2 AND grp = 'treatment'"
                                   : "DELETE FROM campaign_target WHERE campaign = ?1 AND party_id = ?2 AND grp = "
                                     "'treatment'",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    rp_stmt_bind_int(st, 2, party);
    if (cell) {
        rp_stmt_bind_text(st, 3, cell);
        bind_opt(st, 4, offer);
        bind_opt(st, 5, channel);
    }
    if ((rc = rp_stmt_run(st, err)))
        return rc;
    return rp_store_changes(w->store) ? RP_OK
                                      : rp_err(err, RP_NOTFOUND, "customer %lld is not treated in campaign %s",
                                               (long long)party, code);
}

int wh_follow_ups(wh *w, const char *due, const char *by, const char *branch, int limit, json_t **out,
                  rp_error *err)
{
    if (branch && !*branch) {
        *out = json_array();
        return RP_OK;
    }
    rp_stmt *st;
    int rc = rp_store_prepare(
        w->store,
        "SELECT i.id, c.id, c.name_zh, c.name_latin, c.home_branch, i.follow_up_on, i.at, i.channel, i.reason, "
        "i.notes, i.staff, i.created_by FROM interaction i JOIN party p ON p.id = i.party_id "
        "JOIN party c ON c.id = coalesce(p.merged_into, p.id) "
        "WHERE i.follow_up_on IS NOT NULL AND i.follow_up_on <= ?1 "
        "AND (CAST(?2 AS TEXT) IS NULL OR i.created_by = ?2) AND (CAST(?3 AS TEXT) IS NULL OR c.home_branch = ?3) "
        "AND NOT EXISTS (SELECT 1 FROM interaction l JOIN party lp ON lp.id = l.party_id "
        "WHERE coalesce(lp.merged_into, lp.id) = c.id AND l.at > i.at AND l.at >= i.follow_up_on) "
        "ORDER BY i.follow_up_on, i.id LIMIT ?4",
        &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, due);
    if (by)
        rp_stmt_bind_text(st, 2, by);
    else
        rp_stmt_bind_null(st, 2);
    if (branch)
        rp_stmt_bind_text(st, 3, branch);
    else
        rp_stmt_bind_null(st, 3);
    rp_stmt_bind_int(st, 4, limit);
    static const char *const names[] = { "note",   "customer", "name_zh", "name_latin", "home_branch", "follow_up_on",
                                         "at",     "channel",  "reason",  "notes",      "staff",       "by" };
    json_t *a = json_array();
    if ((rc = wh__rows_named(st, names, (int)(sizeof names / sizeof names[0]), a, err))) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return RP_OK;
}

/* LIKE's pattern for a word found anywhere: '%', '_' and '\' taken as themselves, ASCII lowered (the
 * haystack is lowered by the SQL; Chinese has no case). */
static void like_word(const char *w, size_t n, char *out)
{
    size_t k = 0;
    out[k++] = '%';
    for (size_t i = 0; i < n; i++) {
        char c = w[i];
        if (c == '%' || c == '_' || c == '\\')
            out[k++] = '\\';
        out[k++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    out[k++] = '%';
    out[k] = 0;
}

int wh_notes(wh *w, int64_t party, const char *q, int64_t before, int limit, json_t **out, int64_t *total,
             rp_error *err)
{
    char pat[WH_NOTE_WORDS][2 * WH_SUBJECT_MAX + 3];
    int nw = 0;
    for (const char *p = q ? q : ""; *p;) {
        p += strspn(p, " \t\r\n");
        size_t n = strcspn(p, " \t\r\n");
        if (!n)
            break;
        if (nw == WH_NOTE_WORDS || n > WH_SUBJECT_MAX)
            return rp_err(err, RP_INVAL, "q: at most %d words of at most %d bytes", WH_NOTE_WORDS, WH_SUBJECT_MAX);
        like_word(p, n, pat[nw++]);
        p += n;
    }
    /* ?1 the customer, ?2..?5 the words (NULL: none), ?6 the note before which a page starts, ?7 the limit */
#define HAY "lower(coalesce(i.notes, '') || ' ' || coalesce(i.reason, '') || ' ' || coalesce(i.outcome, '') || ' ' || " \
            "coalesce(i.staff, ''))"
#define WORD(n) "AND (CAST(?" #n " AS TEXT) IS NULL OR " HAY " LIKE lower(?" #n ") ESCAPE '\\') "
#define MATCHING "FROM interaction i WHERE i.party_id IN (SELECT ?1 UNION ALL SELECT id FROM party WHERE merged_into = ?1) " \
                 WORD(2) WORD(3) WORD(4) WORD(5)
    static const char *const sql[2] = {
        "SELECT count(*) " MATCHING,
        "SELECT i.id, i.at, i.channel, i.direction, i.staff, i.reason, i.outcome, i.notes, i.follow_up_on " MATCHING
        "AND (CAST(?6 AS BIGINT) IS NULL OR (i.at, i.id) < (SELECT b.at, b.id FROM interaction b WHERE b.id = ?6)) "
        "ORDER BY i.at DESC, i.id DESC LIMIT ?7",
    };
#undef MATCHING
#undef WORD
#undef HAY
    json_t *a = json_array();
    int rc = RP_OK;
    for (int s = 0; s < 2 && !rc; s++) {
        rp_stmt *st;
        if ((rc = rp_store_prepare(w->store, sql[s], &st, err)))
            break;
        rp_stmt_bind_int(st, 1, party);
        for (int k = 0; k < WH_NOTE_WORDS; k++)
            if (k < nw)
                rp_stmt_bind_text(st, 2 + k, pat[k]);
            else
                rp_stmt_bind_null(st, 2 + k);
        if (s == 1) {
            if (before)
                rp_stmt_bind_int(st, 6, before);
            else
                rp_stmt_bind_null(st, 6);
            rp_stmt_bind_int(st, 7, limit);
        }
        static const char *const names[] = { "id",      "at",      "channel", "direction",   "staff",
                                             "reason",  "outcome", "notes",   "follow_up_on" };
        while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
            if (s == 0) {
                *total = rp_stmt_int(st, 0);
                continue;
            }
            json_t *o = json_object();
            for (int c = 0; c < (int)(sizeof names / sizeof names[0]); c++)
                wh__set_col(o, st, c, names[c]);
            json_array_append_new(a, o);
        }
        rp_stmt_done(st);
        rc = rc == RP_DONE ? RP_OK : rc;
    }
    if (rc) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return RP_OK;
}

int wh_calls_read(wh *w, int64_t from, int64_t to, const char *source, int64_t max, json_t **out, rp_error *err)
{
    rp_stmt *st;
    /* arrival is the source's text (any offset): a day's margin each side in SQL, the exact cut in C */
    char lo[RP_TIME_UTC_LEN], hi[RP_TIME_UTC_LEN];
    rp_time_format_utc(from - 86400, lo);
    rp_time_format_utc(to + 86400, hi);
    int rc = rp_store_prepare(w->store, "SELECT call_id, source, arrival, queue, wait_s, talk_s, wrap_s, abandoned, agent, "
                                        "party_id, reason FROM call_record WHERE arrival >= ? AND arrival < ? AND (? IS "
                                        "NULL OR source = ?) ORDER BY arrival",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, lo);
    rp_stmt_bind_text(st, 2, hi);
    rp_stmt_bind_text(st, 3, source);
    rp_stmt_bind_text(st, 4, source);
    json_t *all, *keep = json_array();
    int more = 0;
    if ((rc = rp_stmt_rows_json(st, max > 0 ? max * 2 + 1000 : 0, &all, &more, err))) {
        json_decref(keep);
        return rc;
    }
    size_t i;
    json_t *x;
    json_array_foreach(all, i, x) {
        int64_t t;
        rp_error e = RP_ERROR_INIT;
        if (rp_time_parse(json_string_value(json_object_get(x, "arrival")), &t, &e) || t < from || t >= to)
            continue;
        json_object_set_new(x, "arrival_t", json_integer(t));
        json_array_append(keep, x);
    }
    json_decref(all);
    if (more || (max > 0 && (int64_t)json_array_size(keep) > max)) {
        json_decref(keep);
        return rp_err(err, RP_TOOBIG, "more than %lld calls in the period: narrow it", (long long)max);
    }
    *out = keep;
    return RP_OK;
}

int wh_staff_sales(wh *w, int64_t from, int64_t to, json_t **out, rp_error *err)
{
    rp_stmt *st;
    char lo[RP_TIME_UTC_LEN], hi[RP_TIME_UTC_LEN];
    rp_time_format_utc(from - 86400, lo);
    rp_time_format_utc(to + 86400, hi);
    int rc = rp_store_prepare(w->store, "SELECT r.recorded_by AS by, r.party_id, r.responded_at AS at, t.offer FROM "
                                        "campaign_response r JOIN campaign_target t ON t.campaign = r.campaign AND "
                                        "t.party_id = r.party_id WHERE r.response = 'positive' AND r.source = 'staff' "
                                        "AND r.recorded_by IS NOT NULL AND r.responded_at >= ? AND r.responded_at < ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, lo);
    rp_stmt_bind_text(st, 2, hi);
    return rp_stmt_rows_json(st, 0, out, NULL, err);
}
