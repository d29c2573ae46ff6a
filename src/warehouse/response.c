/* response.c — campaign responses (DOMAIN K3): read from files, told by staff, seen in behaviour
 * (the offered product opened within the window); and each target's outcome as results read it.
 * Tables campaign_target, campaign_response (migrations 0002, 0024, 0025).  See warehouse.h. */
#include "warehouse/internal.h"

#include <stdio.h>
#include <string.h>



static void bind_opt(rp_stmt *st, int i, const char *s) { rp_stmt_bind_text(st, i, s && *s ? s : NULL); }

/* The customer is one of the campaign's targets: *group "treatment" or "control". */
static int target_of(wh *w, const char *code, int64_t party, char group[16], rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store, "SELECT grp FROM campaign_target WHERE campaign = ? AND party_id = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    rp_stmt_bind_int(st, 2, party);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        snprintf(group, 16, "%s", rp_stmt_text(st, 0));
    rp_stmt_done(st);
    if (rc == RP_DONE)
        return rp_err(err, RP_NOTFOUND, "campaign_response.party_id: customer %lld is not a target of campaign %s",
                      (long long)party, code);
    return rc == RP_ROW ? RP_OK : rc;
}

int wh_campaign_response_put(wh *w, const wh_campaign_response *r, rp_error *err)
{
    const char *source = r->source ? r->source : "file";
    char group[16];
    int rc;
    if ((rc = wh__campaign_exists(w, "campaign_response.campaign", r->campaign, err)) ||
        (rc = r->response && *r->response ? RP_OK : rp_err(err, RP_INVAL, "campaign_response.response: required")) ||
        (rc = wh__one_of("campaign_response.response", r->response, wh_campaign_responses, err)) ||
        (rc = wh__one_of("campaign_response.source", source, wh_response_sources, err)) ||
        (rc = wh__text_ok("campaign_response.note", r->note, 2000, 0, err)) ||
        (rc = wh__text_ok("campaign_response.recorded_by", r->recorded_by, 64, 0, err)) ||
        (rc = target_of(w, r->campaign, r->party_id, group, err)))
        return rc;
    rp_stmt *st;
    if ((rc = rp_store_prepare(w->store,
                               "INSERT INTO campaign_response(campaign, party_id, response, responded_at, job_id, "
                               "source, recorded_by, note, product) VALUES (?,?,?,?,?,?,?,?,?) "
                               "ON CONFLICT(campaign, party_id) DO UPDATE SET response = excluded.response, "
                               "responded_at = excluded.responded_at, job_id = excluded.job_id, source = "
                               "excluded.source, recorded_by = excluded.recorded_by, note = excluded.note, "
                               "product = excluded.product",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, r->campaign);
    rp_stmt_bind_int(st, 2, r->party_id);
    rp_stmt_bind_text(st, 3, r->response);
    bind_opt(st, 4, r->responded_at);
    if (r->job_id)
        rp_stmt_bind_int(st, 5, r->job_id);
    else
        rp_stmt_bind_null(st, 5);
    rp_stmt_bind_text(st, 6, source);
    bind_opt(st, 7, r->recorded_by);
    bind_opt(st, 8, r->note);
    bind_opt(st, 9, r->product);
    return rp_stmt_run(st, err);
}

/* Two statements, with and without a cell: a parameter tested for NULL has no type PostgreSQL
 * can infer. */
#define OBSERVE_SQL(CELL)                                                                                  \
    "INSERT INTO campaign_response(campaign, party_id, response, responded_at, source, recorded_by, "      \
    "product) SELECT t.campaign, t.party_id, 'positive', min(a.opened_on), 'behaviour', ?7, ?4 "          \
    "FROM campaign_target t JOIN party_account pa ON pa.party_id = t.party_id "                           \
    "JOIN account a ON a.id = pa.account_id WHERE t.campaign = ?1 AND t.grp = ?2 " CELL                   \
    "AND (?8 = 0 OR t.wave = ?8) "                                                                         \
    "AND a.product = ?4 AND a.opened_on >= coalesce(substr(t.contacted_at, 1, 10), ?5) "                 \
    "AND a.opened_on <= ?6 GROUP BY t.campaign, t.party_id "                                               \
    "ON CONFLICT(campaign, party_id) DO UPDATE SET response = 'positive', responded_at = "                \
    "excluded.responded_at, source = 'behaviour', recorded_by = excluded.recorded_by, product = "          \
    "excluded.product, job_id = NULL WHERE campaign_response.response <> 'positive'"

int wh_campaign_observe(wh *w, const wh_observe *o, int64_t *added, rp_error *err)
{
    int rc;
    *added = 0;
    if ((rc = wh__campaign_exists(w, "campaign", o->campaign, err)) ||
        (rc = wh__one_of("group", o->group, wh_campaign_groups, err)))
        return rc;
    if (!o->product || !*o->product || !o->from || !o->to)
        return rp_err(err, RP_INVAL, "campaign %s: a product and a window (from, to) are required", o->campaign);
    rp_stmt *st;
    if ((rc = rp_store_prepare(w->store, o->cell ? OBSERVE_SQL("AND t.cell = ?3 ") : OBSERVE_SQL("AND ?3 = ?3 "), &st,
                               err)))
        return rc;
    rp_stmt_bind_text(st, 1, o->campaign);
    rp_stmt_bind_text(st, 2, o->group);
    rp_stmt_bind_text(st, 3, o->cell ? o->cell : "");
    rp_stmt_bind_text(st, 4, o->product);
    rp_stmt_bind_text(st, 5, o->from);
    rp_stmt_bind_text(st, 6, o->to);
    bind_opt(st, 7, o->by);
    rp_stmt_bind_int(st, 8, o->wave);
    if ((rc = rp_stmt_run(st, err)))
        return rc;
    *added = rp_store_changes(w->store);
    return RP_OK;
}

int wh_campaign_outcomes(wh *w, const char *code, int (*fn)(void *u, const wh_outcome *o, rp_error *err), void *u,
                         rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(
        w->store,
        "SELECT t.party_id, t.grp, t.cell, t.offer, t.channel, t.stratum, t.contacted_at, r.response, "
        "r.responded_at, r.source, r.product, CASE WHEN r.response = 'positive' AND t.contacted_at IS NOT NULL "
        "AND EXISTS (SELECT 1 FROM campaign_target o WHERE o.party_id = t.party_id AND o.campaign <> t.campaign "
        "AND o.contacted_at > t.contacted_at AND substr(o.contacted_at, 1, 10) <= r.responded_at) THEN 1 ELSE 0 "
        "END, coalesce(t.wave, 0) FROM campaign_target t LEFT JOIN campaign_response r ON r.campaign = t.campaign AND "
        "r.party_id = t.party_id WHERE t.campaign = ? ORDER BY t.party_id",
        &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        wh_outcome o = { .party_id = rp_stmt_int(st, 0), .control = !strcmp(rp_stmt_text(st, 1), "control"),
                         .cell = rp_stmt_text(st, 2), .offer = rp_stmt_text(st, 3), .channel = rp_stmt_text(st, 4),
                         .stratum = rp_stmt_text(st, 5), .contacted_at = rp_stmt_text(st, 6),
                         .response = rp_stmt_text(st, 7), .responded_at = rp_stmt_text(st, 8),
                         .source = rp_stmt_text(st, 9), .product = rp_stmt_text(st, 10),
                         .later_touch = (int)rp_stmt_int(st, 11), .wave = (int)rp_stmt_int(st, 12) };
        if ((rc = fn(u, &o, err)))
            break;
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}
