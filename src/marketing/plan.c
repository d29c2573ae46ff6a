/* plan.c — campaigns designed in Rapport: the plan (campaign_plan), its cells (campaign_cell),
 * the lifecycle and the history of every change (campaign_change), uploaded lists (target_list).
 * The register of every campaign, loaded or designed, and the targets are the warehouse's.  See
 * marketing.h. */
#include "marketing/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/json.h"
#include "models/models.h"

#define MK_VALUE(v, ...) v,
const char *const mk_channels[] = { MK_CHANNELS(MK_VALUE) NULL };
const char *const mk_statuses[] = { MK_STATUSES(MK_VALUE) NULL };
#define MK_CONTACT(v, zh, en, c) c,
static const char *const channel_contact[] = { MK_CHANNELS(MK_CONTACT) NULL };

const char *mk_channel_contact(const char *channel)
{
    int i = mk__index(channel, mk_channels);
    return i < 0 ? NULL : channel_contact[i];
}

int mk__log(wh *w, const char *campaign, const char *by, const char *action, const char *from, const char *to,
            const char *detail, rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    mk__now(now);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "INSERT INTO campaign_change(campaign, at, by_user, action, from_status, to_status, detail) "
                              "VALUES (?,?,?,?,?,?,?)",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, campaign);
    rp_stmt_bind_text(st, 2, now);
    rp_stmt_bind_text(st, 3, by ? by : "");
    rp_stmt_bind_text(st, 4, action);
    rp_stmt_bind_text(st, 5, from);
    rp_stmt_bind_text(st, 6, to);
    rp_stmt_bind_text(st, 7, detail && *detail ? detail : NULL);
    return rp_stmt_run(st, err);
}

int mk__status(wh *w, const char *code, char status[16], rp_error *err)
{
    rp_stmt *st;
    *status = 0;
    int rc = rp_store_prepare(wh_store(w), "SELECT status FROM campaign_plan WHERE code = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        snprintf(status, 16, "%s", rp_stmt_text(st, 0));
    rp_stmt_done(st);
    if (rc == RP_DONE) {
        json_t *c;
        if ((rc = wh_campaign_find(w, code, &c, err)))
            return rc;
        json_decref(c);
        return rp_err(err, RP_DENIED, "campaign %.40s was loaded from files: it has no design to change", code);
    }
    return rc == RP_ROW ? RP_OK : rc;
}

/* ---- checks ---- */

static const char *const policy_members[] = { "recent_days", "max_per_month", "minor_age", "household", "skip", NULL };
static const char *const steps[] = { "deceased_or_closed", "minor", "staff", "do_not_contact", "no_consent",
                                     "unreachable", "open_complaint", "holds_product", "not_eligible",
                                     "recently_contacted", "contact_pressure", "household", NULL };
const char *const *mk__steps(void) { return steps; }

static int policy_ok(const char *text, rp_error *err)
{
    json_error_t je;
    json_t *p = json_loads(text, JSON_REJECT_DUPLICATES, &je);
    int rc = RP_OK;
    if (!json_is_object(p)) {
        json_decref(p);
        return rp_err(err, RP_INVAL, "campaign.policy: a JSON object is expected (%s)", p ? "not an object" : je.text);
    }
    const char *k;
    json_t *v;
    json_object_foreach(p, k, v) {
        int i = mk__index(k, policy_members);
        if (i < 0)
            rc = rp_err(err, RP_INVAL, "campaign.policy.%.40s: no such member (recent_days, max_per_month, minor_age, "
                                       "household, skip)", k);
        else if (i <= 2 && (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 3650))
            rc = rp_err(err, RP_INVAL, "campaign.policy.%s: a whole number of 0 to 3650 is expected", k);
        else if (i == 3 && !json_is_boolean(v))
            rc = rp_err(err, RP_INVAL, "campaign.policy.household: true or false");
        else if (i == 4) {
            size_t j;
            json_t *s;
            if (!json_is_array(v))
                rc = rp_err(err, RP_INVAL, "campaign.policy.skip: a list of steps is expected");
            json_array_foreach(v, j, s) if (!rc && mk__index(json_string_value(s), steps) < 0) rc =
                rp_err(err, RP_INVAL, "campaign.policy.skip[%zu]: no step '%.40s'", j,
                       json_string_value(s) ? json_string_value(s) : "");
        }
        if (rc)
            break;
    }
    json_decref(p);
    return rc;
}

static int model_ok(wh *w, const char *model, rp_error *err)
{
    json_t *rec;
    int rc = mdl_kept_find(wh_store(w), model, &rec, err);
    if (rc == RP_NOTFOUND)
        return rp_err(err, RP_INVAL, "campaign.model: no kept model '%.64s' ('rapport model list')", model);
    json_decref(rec);
    return rc;
}

static int dates_ok(const mk_campaign *c, char d[3][11], const char *v[3], rp_error *err)
{
    static const char *const names[] = { "campaign.start_date", "campaign.end_date", "campaign.response_deadline" };
    const char *in[3] = { c->start_date, c->end_date, c->response_deadline };
    for (int k = 0; k < 3; k++) {
        int rc = in[k] ? wh_date_normalise(names[k], in[k], d[k], &v[k], err) : RP_OK;
        if (rc)
            return rc;
        if (!in[k])
            v[k] = NULL;
    }
    if (v[0] && v[1] && strcmp(v[1], v[0]) < 0)
        return rp_err(err, RP_INVAL, "campaign.end_date: %s is before the start (%s)", v[1], v[0]);
    if (v[1] && v[2] && strcmp(v[2], v[1]) < 0)
        return rp_err(err, RP_INVAL, "campaign.response_deadline: %s is before the end (%s)", v[2], v[1]);
    return RP_OK;
}

static int design_ok(wh *w, const mk_campaign *c, int create, rp_error *err)
{
    int rc;
    if ((rc = mk__code_ok("campaign.code", c->code, err)) ||
        (rc = mk__text_ok("campaign.name", c->name, 200, create, err)) ||
        (rc = mk__text_ok("campaign.objective", c->objective, 1000, create, err)) ||
        (rc = mk__text_ok("campaign.owner", c->owner, 64, 0, err)) ||
        (rc = mk__text_ok("campaign.rule", c->rule, 8192, 0, err)) ||
        (rc = mk__text_ok("campaign.list", c->list, 64, 0, err)))
        return rc;
    if (!create) { /* a member given empty where the plan needs one */
        const char *const need[][2] = { { "campaign.objective", c->objective }, { "campaign.purpose", c->purpose },
                                        { "campaign.owner", c->owner }, { "campaign.currency", c->currency },
                                        { "campaign.name", c->name } };
        for (size_t k = 0; k < sizeof need / sizeof *need; k++)
            if (need[k][1] && !*need[k][1])
                return rp_err(err, RP_INVAL, "%s: may not be emptied", need[k][0]);
    }
    if (create && (!c->purpose || !*c->purpose))
        return rp_err(err, RP_INVAL, "campaign.purpose: a campaign contacts for a consent purpose (marketing, "
                                     "cross_group, ...); none was given");
    if (c->purpose && mk__index(c->purpose, wh_contact_purposes_all) < 0)
        return rp_err(err, RP_INVAL, "campaign.purpose: '%.40s' is not a consent purpose (marketing, profiling, "
                                     "third_party, cross_group, research, service)", c->purpose);
    if (c->rule && *c->rule) {
        an_rule *r;
        if ((rc = an_rule_parse(c->rule, "campaign.rule", &r, err)))
            return rc;
        an_rule_free(r);
    }
    if (c->model && *c->model && (rc = model_ok(w, c->model, err)))
        return rc;
    if (c->top_deciles && (c->top_deciles < 1 || c->top_deciles > 10))
        return rp_err(err, RP_INVAL, "campaign.top_deciles: 1 to 10");
    if (c->has_control_pct && !(c->control_pct >= 0 && c->control_pct < 100))
        return rp_err(err, RP_INVAL, "campaign.control_pct: a percentage of 0 to less than 100");
    if ((c->control_rate != 0) != (c->control_margin != 0))
        return rp_err(err, RP_INVAL, "campaign.control_rate: the sample size needs the expected rate and the margin");
    if (c->control_rate && (!(c->control_rate > 0 && c->control_rate < 1) || !(c->control_margin > 0 && c->control_margin < 1)))
        return rp_err(err, RP_INVAL, "campaign.control_rate: the rate and the margin are fractions between 0 and 1");
    if (c->control_conf && !mk_sample_size(0.5, 0.5, c->control_conf))
        return rp_err(err, RP_INVAL, "campaign.control_confidence: 80, 90 or 95");
    if (c->stratify && *c->stratify) {
        int found = 0;
        for (int i = 0; i < an_nattrs; i++)
            found |= !strcmp(an_attrs[i].name, c->stratify);
        if (!found)
            return rp_err(err, RP_INVAL, "campaign.stratify: no attribute '%.40s' ('rapport analyze attributes')",
                          c->stratify);
    }
    if (c->has_budget && c->budget_minor < 0)
        return rp_err(err, RP_INVAL, "campaign.budget: may not be negative");
    if (c->currency && *c->currency && wh_currency_exponent(c->currency) < 0)
        return rp_err(err, RP_INVAL, "campaign.currency: '%.10s' is not an ISO 4217 code", c->currency);
    if (c->policy && *c->policy && (rc = policy_ok(c->policy, err)))
        return rc;
    return RP_OK;
}

/* ---- creating and changing a design ---- */

int mk_campaign_create(wh *w, const mk_campaign *c, const char *by, rp_error *err)
{
    char d[3][11], now[RP_TIME_UTC_LEN];
    const char *dv[3];
    int rc;
    if ((rc = design_ok(w, c, 1, err)) || (rc = dates_ok(c, d, dv, err)))
        return rc;
    wh_campaign reg = { .code = c->code, .name = c->name, .start_date = dv[0], .end_date = dv[1],
                        .response_deadline = dv[2] };
    mk__now(now);
    if ((rc = wh_begin(w, err)))
        return rc;
    rp_stmt *st;
    if ((rc = wh_campaign_register(w, &reg, 0, err)) ||
        (rc = rp_store_prepare(wh_store(w),
                               "INSERT INTO campaign_plan(code, objective, purpose, owner, created_by, budget_minor, "
                               "currency, rule, model, top_deciles, list, policy, control_pct, control_rate, "
                               "control_margin, control_conf, stratify, seed, created_at, updated_at) "
                               "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?19)",
                               &st, err)))
        goto out;
    rp_stmt_bind_text(st, 1, c->code);
    rp_stmt_bind_text(st, 2, c->objective);
    rp_stmt_bind_text(st, 3, c->purpose);
    rp_stmt_bind_text(st, 4, c->owner && *c->owner ? c->owner : by);
    rp_stmt_bind_text(st, 5, by);
    if (c->has_budget)
        rp_stmt_bind_int(st, 6, c->budget_minor);
    else
        rp_stmt_bind_null(st, 6);
    rp_stmt_bind_text(st, 7, c->currency && *c->currency ? c->currency : "TWD");
    rp_stmt_bind_text(st, 8, c->rule && *c->rule ? c->rule : NULL);
    rp_stmt_bind_text(st, 9, c->model && *c->model ? c->model : NULL);
    if (c->top_deciles)
        rp_stmt_bind_int(st, 10, c->top_deciles);
    else
        rp_stmt_bind_null(st, 10);
    rp_stmt_bind_text(st, 11, c->list && *c->list ? c->list : NULL);
    rp_stmt_bind_text(st, 12, c->policy && *c->policy ? c->policy : "{}");
    if (c->has_control_pct)
        rp_stmt_bind_real(st, 13, c->control_pct);
    else
        rp_stmt_bind_real(st, 13, 10);
    if (c->control_rate) {
        rp_stmt_bind_real(st, 14, c->control_rate);
        rp_stmt_bind_real(st, 15, c->control_margin);
    } else {
        rp_stmt_bind_null(st, 14);
        rp_stmt_bind_null(st, 15);
    }
    rp_stmt_bind_int(st, 16, c->control_conf ? c->control_conf : 95);
    rp_stmt_bind_text(st, 17, c->stratify && *c->stratify ? c->stratify : NULL);
    rp_stmt_bind_int(st, 18, c->has_seed ? c->seed : 1);
    rp_stmt_bind_text(st, 19, now);
    if ((rc = rp_stmt_run(st, err)) || (rc = mk__log(w, c->code, by, "create", NULL, "draft", c->name, err)))
        goto out;
    rc = wh_commit(w, err);
out:
    if (rc)
        wh_rollback(w);
    return rc;
}

/* The plan's columns a design's members set, in mk_campaign order: text (NULL: not given, "":
 * emptied), whole numbers and reals, each with whether it was given. */
typedef struct {
    const char *col;
    char kind;                        /* 't' text, 'i' integer, 'r' real */
    int has;
    const char *text;
    int64_t i;
    double r;
} plan_col;

static int set_plan_col(wh *w, const char *code, const plan_col *p, json_t *changed, rp_error *err)
{
    char sql[200];
    snprintf(sql, sizeof sql, "UPDATE campaign_plan SET %s = ?2 WHERE code = ?1", p->col);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), sql, &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    json_t *v;
    if (p->kind == 't') {
        rp_stmt_bind_text(st, 2, *p->text ? p->text : !strcmp(p->col, "policy") ? "{}" : NULL);
        v = *p->text ? json_string(p->text) : json_null();
    } else if (p->kind == 'i') {
        rp_stmt_bind_int(st, 2, p->i);
        v = json_integer(p->i);
    } else {
        rp_stmt_bind_real(st, 2, p->r);
        v = json_real(p->r);
    }
    json_object_set_new(changed, p->col, v);
    return rp_stmt_run(st, err);
}

static int update_plan(wh *w, const mk_campaign *c, json_t *changed, rp_error *err)
{
#define T(col, v) { col, 't', (v) != NULL, (v), 0, 0 }
    const plan_col cols[] = {
        T("objective", c->objective), T("purpose", c->purpose), T("owner", c->owner), T("currency", c->currency),
        T("rule", c->rule), T("model", c->model), T("list", c->list), T("policy", c->policy),
        T("stratify", c->stratify),
        { "budget_minor", 'i', c->has_budget, NULL, c->budget_minor, 0 },
        { "top_deciles", 'i', c->top_deciles != 0, NULL, c->top_deciles, 0 },
        { "control_pct", 'r', c->has_control_pct, NULL, 0, c->control_pct },
        { "control_rate", 'r', c->control_rate != 0, NULL, 0, c->control_rate },
        { "control_margin", 'r', c->control_margin != 0, NULL, 0, c->control_margin },
        { "control_conf", 'i', c->control_conf != 0, NULL, c->control_conf, 0 },
        { "seed", 'i', c->has_seed, NULL, c->seed, 0 },
    };
#undef T
    int rc = RP_OK;
    for (size_t k = 0; k < sizeof cols / sizeof *cols && !rc; k++)
        if (cols[k].has)
            rc = set_plan_col(w, c->code, &cols[k], changed, err);
    return rc;
}

/* Only a draft is changed; the change is logged and the earlier selection dropped. */
int mk__draft_only(wh *w, const char *code, const char *what, rp_error *err)
{
    char status[16];
    int rc = mk__status(w, code, status, err);
    if (rc)
        return rc;
    if (strcmp(status, "draft"))
        return rp_err(err, RP_DENIED, "campaign %s is %s: only a draft's %s may be changed (reject it back to draft first)",
                      code, status, what);
    return RP_OK;
}

int mk__touch(wh *w, const char *code, rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    mk__now(now);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "UPDATE campaign_plan SET version = version + 1, updated_at = ?2, selected_at = NULL, "
                              "targets = NULL WHERE code = ?1",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    rp_stmt_bind_text(st, 2, now);
    if ((rc = rp_stmt_run(st, err)) || (rc = wh_campaign_targets_clear(w, code, err)))
        return rc;
    if ((rc = rp_store_prepare(wh_store(w), "DELETE FROM campaign_waterfall WHERE campaign = ?", &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, code);
    return rp_stmt_run(st, err);
}

int mk_campaign_update(wh *w, const mk_campaign *c, const char *by, rp_error *err)
{
    char d[3][11];
    const char *dv[3];
    int rc;
    if ((rc = design_ok(w, c, 0, err)) || (rc = dates_ok(c, d, dv, err)))
        return rc;
    if ((rc = wh_begin(w, err)))
        return rc;
    json_t *changed = json_object(), *reg = NULL;
    if ((rc = mk__draft_only(w, c->code, "design", err)) || (rc = update_plan(w, c, changed, err)))
        goto out;
    if (c->name || c->start_date || c->end_date || c->response_deadline) {
        if ((rc = wh_campaign_find(w, c->code, &reg, err)))
            goto out;
        wh_campaign r = { .code = c->code,
                          .name = c->name ? c->name : json_string_value(json_object_get(reg, "name")),
                          .offer = json_string_value(json_object_get(reg, "offer")),
                          .channel = json_string_value(json_object_get(reg, "channel")),
                          .start_date = c->start_date ? dv[0] : json_string_value(json_object_get(reg, "start_date")),
                          .end_date = c->end_date ? dv[1] : json_string_value(json_object_get(reg, "end_date")),
                          .response_deadline = c->response_deadline
                                                   ? dv[2]
                                                   : json_string_value(json_object_get(reg, "response_deadline")) };
        if ((rc = wh_campaign_register(w, &r, 1, err)) ||
            (rc = mk__waves_within(w, c->code, r.start_date, r.end_date, err)))
            goto out;
        json_object_set_new(changed, "dates", json_pack("[s?, s?, s?]", r.start_date, r.end_date, r.response_deadline));
    }
    char *detail = json_dumps(changed, JSON_COMPACT | JSON_SORT_KEYS);
    rc = mk__touch(w, c->code, err);
    if (!rc)
        rc = mk__log(w, c->code, by, "update", "draft", "draft", detail, err);
    free(detail);
    if (!rc)
        rc = wh_commit(w, err);
out:
    if (rc)
        wh_rollback(w);
    json_decref(reg);
    json_decref(changed);
    return rc;
}

/* ---- a campaign's cells: each change one transaction ---- */

typedef struct cell_change {
    const char *campaign, *cell, *by;
    const mk_cell *put;                /* mk_cell_put's design */
    int paused;                        /* mk_cell_steer's: 1, 0, -1 unchanged */
    int64_t cap;                       /* mk_cell_steer's: 0 none, -1 unchanged */
    char status[16];                   /* the campaign's, read in the transaction */
} cell_change;

/* change run in a transaction after the campaign's status is checked (live: the campaign is
 * approved, running or paused, else a draft): committed when all is well, else rolled back. */
static int cell_tx(wh *w, cell_change *x, int live, int (*change)(wh *, cell_change *, rp_error *), rp_error *err)
{
    static const char *const lives[] = { "approved", "running", "paused", NULL };
    int rc = wh_begin(w, err);
    if (rc)
        return rc;
    if (!live)
        rc = mk__draft_only(w, x->campaign, "cells", err);
    else if (!(rc = mk__status(w, x->campaign, x->status, err)) && mk__index(x->status, lives) < 0)
        rc = rp_err(err, RP_DENIED, "campaign %s is %s: a cell is paused, resumed or capped while the campaign is "
                                    "approved, running or paused (a draft's cells are designed)", x->campaign, x->status);
    if (rc || (rc = change(w, x, err)) || (rc = wh_commit(w, err)))
        wh_rollback(w);
    return rc;
}

/* The statement run changed a row: else the campaign has no such cell. */
static int cell_changed(wh *w, const cell_change *x, rp_error *err)
{
    if (!rp_store_changes(wh_store(w)))
        return rp_err(err, RP_NOTFOUND, "campaign %s has no cell '%.40s'", x->campaign, x->cell ? x->cell : "");
    return RP_OK;
}

static int put_cell(wh *w, cell_change *x, rp_error *err)
{
    const mk_cell *c = x->put;
    rp_stmt *st;
    int64_t others = 0;
    int rc = rp_store_prepare(wh_store(w), "SELECT count(*) FROM campaign_cell WHERE campaign = ? AND cell <> ?", &st,
                              err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, c->campaign);
    rp_stmt_bind_text(st, 2, c->cell);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        others = rp_stmt_int(st, 0), rc = RP_OK;
    rp_stmt_done(st);
    if (!rc && others >= MK_MAX_CELLS)
        rc = rp_err(err, RP_TOOBIG, "campaign %s has %d cells, the most a campaign takes", c->campaign, MK_MAX_CELLS);
    if (rc ||
        (rc = rp_store_prepare(wh_store(w),
                               "INSERT INTO campaign_cell(campaign, cell, offer, channel, share, message, cap) "
                               "VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(campaign, cell) DO UPDATE SET offer = ?3, "
                               "channel = ?4, share = ?5, message = ?6, cap = ?7",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, c->campaign);
    rp_stmt_bind_text(st, 2, c->cell);
    rp_stmt_bind_text(st, 3, c->offer);
    rp_stmt_bind_text(st, 4, c->channel);
    rp_stmt_bind_real(st, 5, c->share > 0 ? c->share : 1);
    rp_stmt_bind_text(st, 6, c->message && *c->message ? c->message : NULL);
    if (c->cap > 0)
        rp_stmt_bind_int(st, 7, c->cap);
    else
        rp_stmt_bind_null(st, 7);
    char detail[200];
    snprintf(detail, sizeof detail, "cell %s: offer %s by %s, share %g", c->cell, c->offer, c->channel,
             c->share > 0 ? c->share : 1);
    if ((rc = rp_stmt_run(st, err)) || (rc = mk__touch(w, c->campaign, err)))
        return rc;
    return mk__log(w, c->campaign, x->by, "cell", "draft", "draft", detail, err);
}

int mk_cell_put(wh *w, const mk_cell *c, const char *by, rp_error *err)
{
    int rc;
    json_t *offer = NULL;
    if ((rc = mk__code_ok("cell.name", c->cell, err)) || (rc = mk__text_ok("cell.message", c->message, 2000, 0, err)))
        return rc;
    if (!c->offer || !*c->offer)
        return rp_err(err, RP_INVAL, "cell.offer: a cell gives an offer; none was given");
    if (mk__index(c->channel, mk_channels) < 0)
        return rp_err(err, RP_INVAL, "cell.channel: '%.40s' is not one of direct_mail, email, sms, outbound_call, "
                                     "branch_lead, banner", c->channel ? c->channel : "");
    if (c->share < 0 || !isfinite(c->share) || c->share > 1000)
        return rp_err(err, RP_INVAL, "cell.share: a positive weight");
    if (c->cap < 0)
        return rp_err(err, RP_INVAL, "cell.cap: may not be negative");
    if ((rc = mk_offer_get(w, c->offer, &offer, err)))
        return rc == RP_NOTFOUND ? rp_err(err, RP_INVAL, "cell.offer: no offer '%.40s' ('rapport offer list')", c->offer)
                                 : rc;
    json_decref(offer);
    cell_change x = { .campaign = c->campaign, .cell = c->cell, .by = by, .put = c };
    return cell_tx(w, &x, 0, put_cell, err);
}

static int remove_cell(wh *w, cell_change *x, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "DELETE FROM campaign_cell WHERE campaign = ? AND cell = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, x->campaign);
    rp_stmt_bind_text(st, 2, x->cell);
    if ((rc = rp_stmt_run(st, err)) || (rc = cell_changed(w, x, err)))
        return rc;
    char detail[100];
    snprintf(detail, sizeof detail, "cell %s removed", x->cell);
    if ((rc = mk__touch(w, x->campaign, err)))
        return rc;
    return mk__log(w, x->campaign, x->by, "cell", "draft", "draft", detail, err);
}

int mk_cell_remove(wh *w, const char *campaign, const char *cell, const char *by, rp_error *err)
{
    cell_change x = { .campaign = campaign, .cell = cell, .by = by };
    return cell_tx(w, &x, 0, remove_cell, err);
}

static int steer_cell(wh *w, cell_change *x, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "UPDATE campaign_cell SET paused = CASE WHEN ?3 < 0 THEN paused ELSE ?3 END, "
                              "cap = CASE WHEN ?4 < 0 THEN cap WHEN ?4 = 0 THEN NULL ELSE ?4 END "
                              "WHERE campaign = ?1 AND cell = ?2",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, x->campaign);
    rp_stmt_bind_text(st, 2, x->cell);
    rp_stmt_bind_int(st, 3, x->paused);
    rp_stmt_bind_int(st, 4, x->cap);
    if ((rc = rp_stmt_run(st, err)) || (rc = cell_changed(w, x, err)))
        return rc;
    char detail[160];
    int n = snprintf(detail, sizeof detail, "cell %s:", x->cell);
    if (x->paused >= 0)
        n += snprintf(detail + n, sizeof detail - (size_t)n, " %s", x->paused ? "paused" : "resumed");
    if (x->cap >= 0)
        snprintf(detail + n, sizeof detail - (size_t)n, x->cap ? " cap %lld" : " no cap", (long long)x->cap);
    return mk__log(w, x->campaign, x->by, "cell", x->status, x->status, detail, err);
}

int mk_cell_steer(wh *w, const char *campaign, const char *cell, int paused, int64_t cap, const char *by, rp_error *err)
{
    if (paused < 0 && cap < 0)
        return rp_err(err, RP_INVAL, "cell: say --pause, --resume or --cap");
    cell_change x = { .campaign = campaign, .cell = cell, .by = by, .paused = paused, .cap = cap };
    return cell_tx(w, &x, 1, steer_cell, err);
}
