/* select.c — counting and selecting a campaign's targets from the selection copy: the candidates
 * (a rule, a kept model's top deciles, an uploaded list), the waterfall of eligibility and
 * suppression, the control group (stratified, reproducible from the seed), the cells (shares,
 * caps); a selection written as the campaign's targets.  See marketing.h for the steps. */
#include "marketing/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "models/models.h"

#define MAX_CELLS MK_MAX_CELLS
enum { S_DECEASED, S_MINOR, S_STAFF, S_DNC, S_CONSENT, S_REACH, S_COMPLAINT, S_HOLDS, S_ELIGIBLE, S_RECENT,
       S_PRESSURE, S_HOUSEHOLD, NSTEPS };

typedef struct cell {
    char name[33], offer[33], channel[16];
    int contact;                  /* wh_contact_channels index */
    double share;
    int64_t cap, taken;
    int product;                  /* index in the mart, -1 when nobody holds it */
    an_rule *elig;
} cell;

typedef struct design {
    char code[33], purpose[16], model[65], list[65], stratify[48];
    char *rule;
    an_rule *r;
    int top, conf, purpose_bit;   /* purpose_bit -1: service (no consent needed) */
    double pct, rate, margin;
    int64_t seed;
    int recent_days, max_per_month, minor_age, household;
    unsigned skip;
    int ncells;
    cell cells[MAX_CELLS];
    /* the models the rules read: their scores by mart row */
    int nmodels;
    double *score[16];
    int *decile[16];
    const char *mname[16];
    int64_t *list_ids;
    size_t nlist;
} design;

typedef struct eval_ctx {
    const mk_mart *m;
    const design *d;
    int base;                     /* the model index of the rule being evaluated's first model */
    int map[8];                   /* the rule's k-th model -> design's model index */
} eval_ctx;

an_value_cell mk__attr_get(const mk_mart *m, size_t i, int at)
{
    an_value_cell v = { NAN, NULL };
    if (at < an_nattrs) {
        if (m->num[at])
            v.num = m->num[at][i];
        else if (m->code[at]) {
            uint32_t c = m->code[at][i];
            v.str = c && c < m->ndict[at] ? m->dict[at][c] : NULL;
        }
    }
    return v;
}

/* The mart's attributes, then each of the rule's models' score and decile. */
static an_value_cell get(void *ctx, size_t i, int at)
{
    eval_ctx *e = ctx;
    if (at < an_nattrs)
        return mk__attr_get(e->m, i, at);
    an_value_cell v = { NAN, NULL };
    int k = (at - an_nattrs) / 2;
    if (k < 8 && e->map[k] >= 0) {
        int j = e->map[k];
        v.num = (at - an_nattrs) % 2 ? (e->d->decile[j][i] ? e->d->decile[j][i] : NAN) : e->d->score[j][i];
    }
    return v;
}

static void design_free(design *d)
{
    free(d->rule);
    an_rule_free(d->r);
    for (int c = 0; c < d->ncells; c++)
        an_rule_free(d->cells[c].elig);
    for (int k = 0; k < d->nmodels; k++)
        free(d->score[k]), free(d->decile[k]);
    free(d->list_ids);
}

/* The scores of kept model name on the mart's rows; its index in d. */
static int model_load(wh *w, const mk_mart *m, design *d, const char *name, int *index, rp_error *err)
{
    for (int k = 0; k < d->nmodels; k++)
        if (!strcmp(d->mname[k], name)) {
            *index = k;
            return RP_OK;
        }
    if (d->nmodels == 16)
        return rp_err(err, RP_TOOBIG, "more than 16 models' scores in one campaign");
    json_t *rec;
    int rc = mdl_kept_find(wh_store(w), name, &rec, err);
    if (rc)
        return rc == RP_NOTFOUND ? rp_err(err, RP_INVAL, "score('%.64s'): no kept model of that name", name) : rc;
    mdl_scored sc;
    rc = mdl_run_latest(wh_store(w), json_integer_value(json_object_get(rec, "id")), &sc, err);
    json_decref(rec);
    if (rc == RP_NOTFOUND)
        return rp_err(err, RP_INVAL, "model '%.64s' has scored no customers yet ('rapport model score %s')", name, name);
    if (rc)
        return rc;
    int k = d->nmodels;
    d->score[k] = malloc((m->n ? m->n : 1) * sizeof *d->score[k]);
    d->decile[k] = calloc(m->n ? m->n : 1, sizeof *d->decile[k]);
    if (!d->score[k] || !d->decile[k]) {
        free(d->score[k]), free(d->decile[k]);
        mdl_scored_free(&sc);
        return rp_err(err, RP_NOMEM, NULL);
    }
    for (size_t i = 0; i < m->n; i++)
        d->score[k][i] = NAN;
    for (size_t j = 0; j < sc.n; j++) {
        ptrdiff_t i = mk__row(m, sc.customer[j]);
        if (i >= 0)
            d->score[k][i] = sc.p[j], d->decile[k][i] = sc.decile[j];
    }
    mdl_scored_free(&sc);
    d->mname[k] = name;
    d->nmodels++;
    *index = k;
    return RP_OK;
}

/* A rule's models mapped onto d's. */
static int rule_models(wh *w, const mk_mart *m, design *d, const an_rule *r, eval_ctx *e, rp_error *err)
{
    const char *const *names;
    int n = an_rule_models(r, &names), rc = RP_OK;
    for (int k = 0; k < 8; k++)
        e->map[k] = -1;
    for (int k = 0; k < n && k < 8 && !rc; k++)
        rc = model_load(w, m, d, names[k], &e->map[k], err);
    return rc;
}

static int policy_read(design *d, const char *text, rp_error *err)
{
    json_t *p = json_loads(text ? text : "{}", 0, NULL);
    if (!json_is_object(p)) {
        json_decref(p);
        return rp_err(err, RP_INVAL, "campaign %s: its policy is not a JSON object", d->code);
    }
    json_t *v;
    d->recent_days = (v = json_object_get(p, "recent_days")) ? (int)json_integer_value(v) : 30;
    d->max_per_month = (v = json_object_get(p, "max_per_month")) ? (int)json_integer_value(v) : 4;
    d->minor_age = (v = json_object_get(p, "minor_age")) ? (int)json_integer_value(v) : d->minor_age;
    d->household = (v = json_object_get(p, "household")) ? json_is_true(v) : 1;
    size_t i;
    json_array_foreach(json_object_get(p, "skip"), i, v) {
        int s = mk__index(json_string_value(v), mk__steps());
        if (s >= 0)
            d->skip |= 1u << s;
    }
    json_decref(p);
    return RP_OK;
}

static int plan_read(wh *w, design *d, const char *code, const char *rule, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT purpose, rule, coalesce(model, ''), coalesce(top_deciles, 0), coalesce(list, ''), "
                              "policy, coalesce(control_pct, 0), coalesce(control_rate, 0), coalesce(control_margin, 0), "
                              "coalesce(control_conf, 95), coalesce(stratify, ''), seed FROM campaign_plan WHERE code = ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        snprintf(d->purpose, sizeof d->purpose, "%s", rp_stmt_text(st, 0));
        const char *r = rule ? rule : rp_stmt_text(st, 1);
        d->rule = r && *r ? strdup(r) : NULL;
        snprintf(d->model, sizeof d->model, "%s", rp_stmt_text(st, 2));
        d->top = (int)rp_stmt_int(st, 3);
        snprintf(d->list, sizeof d->list, "%s", rp_stmt_text(st, 4));
        rc = policy_read(d, rp_stmt_text(st, 5), err) ? RP_INVAL : RP_ROW;
        d->pct = rp_stmt_real(st, 6), d->rate = rp_stmt_real(st, 7), d->margin = rp_stmt_real(st, 8);
        d->conf = (int)rp_stmt_int(st, 9);
        snprintf(d->stratify, sizeof d->stratify, "%s", rp_stmt_text(st, 10));
        d->seed = rp_stmt_int(st, 11);
    }
    rp_stmt_done(st);
    if (rc == RP_DONE) {
        char status[16];
        return mk__status(w, code, status, err) ? (int)err->code : rp_err(err, RP_NOTFOUND, "no campaign '%.40s'", code);
    }
    return rc == RP_ROW ? RP_OK : rc;
}

static int cells_read(wh *w, const mk_mart *m, design *d, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT cell, offer, channel, share, coalesce(cap, 0) FROM campaign_cell "
                              "WHERE campaign = ? AND paused = 0 ORDER BY cell",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, d->code);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        if (d->ncells == MAX_CELLS) {
            rp_stmt_done(st);
            return rp_err(err, RP_TOOBIG, "campaign %s has more than %d cells", d->code, MAX_CELLS);
        }
        cell *c = &d->cells[d->ncells++];
        snprintf(c->name, sizeof c->name, "%s", rp_stmt_text(st, 0));
        snprintf(c->offer, sizeof c->offer, "%s", rp_stmt_text(st, 1));
        snprintf(c->channel, sizeof c->channel, "%s", rp_stmt_text(st, 2));
        c->share = rp_stmt_real(st, 3);
        c->cap = rp_stmt_int(st, 4);
        c->contact = wh_contact_channel(mk_channel_contact(c->channel));
    }
    rp_stmt_done(st);
    if (rc != RP_DONE)
        return rc;
    for (int k = 0; k < d->ncells; k++) {
        json_t *o;
        if ((rc = mk_offer_get(w, d->cells[k].offer, &o, err)))
            return rc;
        d->cells[k].product = mk__product_index(m, json_string_value(json_object_get(o, "product")));
        const char *el = json_string_value(json_object_get(o, "eligibility"));
        char what[80];
        snprintf(what, sizeof what, "offer %s eligibility", d->cells[k].offer);
        if (el && *el)
            rc = an_rule_parse(el, what, &d->cells[k].elig, err);
        json_decref(o);
        if (rc)
            return rc;
    }
    return RP_OK;
}

static int design_load(wh *w, const mk_mart *m, const char *code, const char *rule, const rp_config *cfg, design *d,
                       rp_error *err)
{
    memset(d, 0, sizeof *d);
    snprintf(d->code, sizeof d->code, "%s", code ? code : "");
    d->minor_age = cfg ? (int)strtol(rp_config_get(cfg, "marketing", "minor_age", "18"), NULL, 10) : 18;
    int rc = plan_read(w, d, code, rule, err);
    if (rc || (rc = cells_read(w, m, d, err)))
        return rc;
    int p = mk__index(d->purpose, wh_consent_purposes);
    d->purpose_bit = p < 0 ? -1 : p * 8;
    if (d->rule && (rc = an_rule_parse(d->rule, "rule", &d->r, err)))
        return rc;
    int k;
    if (d->model[0] && (rc = model_load(w, m, d, d->model, &k, err)))
        return rc;
    if (d->list[0] && (rc = mk__list_members(w, d->list, &d->list_ids, &d->nlist, err)))
        return rc;
    return RP_OK;
}

/* ---- the waterfall ---- */

typedef struct tally {
    size_t candidates, removed[NSTEPS], control, treated, over_cap;
    size_t by_cell[MAX_CELLS];
} tally;

static int in_list(const design *d, int64_t id)
{
    size_t lo = 0, hi = d->nlist;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->list_ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < d->nlist && d->list_ids[lo] == id;
}

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/* The cells a customer may be given after the steps (a bit each), or 0 with *step the step that
 * took them out; -1 when they are no candidate. */
static int row_cells(const mk_mart *m, const design *d, eval_ctx *ex, eval_ctx *cx, size_t i, int *step)
{
    if ((d->r && !an_rule_eval(d->r, get, ex, i)) ||
        (d->model[0] && (d->decile[0][i] == 0 || (d->top && d->decile[0][i] > d->top))) ||
        (d->list[0] && !in_list(d, m->customer[i])))
        return -1;
    unsigned all = (1u << d->ncells) - 1, ok = all;
    uint8_t f = m->flags[i];
    double age = m->num[0][i]; /* an_attrs[0] is age */
#define OUT(s, cond) if (!(d->skip >> (s) & 1) && (cond)) { *step = (s); return 0; }
#define DROP(s, bad)                                                   \
    if (!(d->skip >> (s) & 1)) {                                       \
        for (int c = 0; c < d->ncells; c++)                            \
            if (ok >> c & 1 && (bad))                                  \
                ok &= ~(1u << c);                                      \
        if (!ok) { *step = (s); return 0; }                            \
    }
    OUT(S_DECEASED, f & MK_F_DECEASED_OR_CLOSED);
    OUT(S_MINOR, !(f & MK_F_ORGANISATION) && !isnan(age) && age < d->minor_age);
    OUT(S_STAFF, f & MK_F_STAFF);
    DROP(S_DNC, d->cells[c].contact >= 0 && (m->dnc[i] >> d->cells[c].contact & 1));
    DROP(S_CONSENT, d->purpose_bit >= 0 && (d->cells[c].contact < 0 ||
                                            !(m->consent[i] >> (d->purpose_bit + d->cells[c].contact) & 1)));
    DROP(S_REACH, d->cells[c].contact >= 0 && !(m->reachable[i] >> d->cells[c].contact & 1));
    OUT(S_COMPLAINT, f & MK_F_COMPLAINT);
    DROP(S_HOLDS, mk__holds(m, d->cells[c].product, i));
    DROP(S_ELIGIBLE, d->cells[c].elig && !an_rule_eval(d->cells[c].elig, get, &cx[c], i));
    OUT(S_RECENT, d->recent_days > 0 && m->last_contact[i] > m->as_of - d->recent_days);
    OUT(S_PRESSURE, d->max_per_month > 0 && m->recent_all[i] >= d->max_per_month);
#undef OUT
#undef DROP
    return (int)ok;
}

/* One piece of mail per household address: of the survivors a direct-mail cell is open to who share
 * one, the most profitable (then the lowest id) keeps the mail; the others keep their other cells. */
static int households(const mk_mart *m, const design *d, int *cells, tally *t, rp_error *err)
{
    int dm = 0; /* the direct-mail cells: only they send a piece of mail to the address */
    for (int c = 0; c < d->ncells; c++)
        if (!strcmp(d->cells[c].channel, "direct_mail"))
            dm |= 1 << c;
    if (!dm || !d->household || (d->skip >> S_HOUSEHOLD & 1))
        return RP_OK;
    size_t n = 0;
    for (size_t i = 0; i < m->n; i++)
        n += cells[i] > 0 && (cells[i] & dm) && m->address[i];
    size_t *ix = malloc((n ? n : 1) * sizeof *ix), k = 0;
    if (!ix)
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < m->n; i++)
        if (cells[i] > 0 && (cells[i] & dm) && m->address[i])
            ix[k++] = i;
    const double *profit = NULL;
    for (int a = 0; a < an_nattrs; a++)
        if (!strcmp(an_attrs[a].name, "profit"))
            profit = m->num[a];
    /* sort by address, then profit descending, then row */
    for (size_t gap = n / 2; gap; gap /= 2) /* shell sort: no qsort context in C17 */
        for (size_t x = gap; x < n; x++)
            for (size_t y = x; y >= gap; y -= gap) {
                size_t a = ix[y - gap], b = ix[y];
                double pa = profit && !isnan(profit[a]) ? profit[a] : -1e300, pb = profit && !isnan(profit[b]) ? profit[b] : -1e300;
                int before = m->address[b] < m->address[a] || (m->address[b] == m->address[a] && (pb > pa || (pb == pa && b < a)));
                if (!before)
                    break;
                ix[y - gap] = b, ix[y] = a;
            }
    for (size_t x = 1; x < n; x++)
        if (m->address[ix[x]] == m->address[ix[x - 1]]) { /* the mail cells closed; out when none is left */
            cells[ix[x]] &= ~dm;
            t->removed[S_HOUSEHOLD] += cells[ix[x]] == 0;
        }
    free(ix);
    return RP_OK;
}

int64_t mk_sample_size(double p, double e, int confidence)
{
    int64_t n = 0;
    rp_error err = RP_ERROR_INIT;
    if ((confidence != 80 && confidence != 90 && confidence != 95) || mdl_sample_rate(p, e, confidence / 100.0, &n, &err))
        return 0;
    return n;
}

/* The control group: per stratum, the customers in order of a hash of the seed and their id, the
 * first share of them (rounded to the nearest).  grp[i] 1 control. */
typedef struct member {
    uint64_t stratum, hash;
    size_t row;
} member;

static int member_cmp(const void *a, const void *b)
{
    const member *x = a, *y = b;
    if (x->stratum != y->stratum)
        return x->stratum < y->stratum ? -1 : 1;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

static int control_group(const mk_mart *m, const design *d, const int *cells, size_t survivors, uint8_t *grp,
                         size_t *control, rp_error *err)
{
    double share = d->pct / 100;
    if (d->rate > 0) {
        int64_t need = mk_sample_size(d->rate, d->margin, d->conf ? d->conf : 95);
        share = survivors ? (double)need / (double)survivors : 0;
        if (share > 0.5)
            share = 0.5; /* more held out than treated: the test is too small, and the count says so */
    }
    int strat = -1;
    for (int a = 0; a < an_nattrs && d->stratify[0]; a++)
        if (!strcmp(an_attrs[a].name, d->stratify))
            strat = a;
    member *mb = malloc((survivors ? survivors : 1) * sizeof *mb);
    if (!mb)
        return rp_err(err, RP_NOMEM, NULL);
    size_t n = 0;
    uint64_t seed = mix((uint64_t)d->seed);
    for (size_t i = 0; i < m->n && n < survivors; i++)
        if (cells[i] > 0) {
            uint64_t s = strat < 0             ? 0
                         : m->code[strat]      ? m->code[strat][i]
                         : isnan(m->num[strat][i]) ? UINT64_MAX
                                               : (uint64_t)llround(m->num[strat][i] * 1000);
            mb[n++] = (member){ s, mix(seed ^ (uint64_t)m->customer[i]), i };
        }
    qsort(mb, n, sizeof *mb, member_cmp);
    *control = 0;
    for (size_t x = 0; x < n;) {
        size_t y = x;
        while (y < n && mb[y].stratum == mb[x].stratum)
            y++;
        size_t k = (size_t)llround(share * (double)(y - x));
        for (size_t j = x; j < x + k; j++)
            grp[mb[j].row] = 1;
        *control += k;
        x = y;
    }
    free(mb);
    return RP_OK;
}

/* The treated's cells: among those allowed, by share (a hash of the seed, the id and the cell), a
 * full cell passing its customer on to another allowed one; none left: over the cap. */
static void assign_cells(const mk_mart *m, design *d, int *cells, const uint8_t *grp, tally *t)
{
    uint64_t seed = mix((uint64_t)d->seed ^ 0x63656c6cull);
    for (size_t i = 0; i < m->n; i++) {
        if (cells[i] <= 0 || grp[i])
            continue;
        unsigned ok = (unsigned)cells[i];
        double total = 0;
        for (int c = 0; c < d->ncells; c++)
            if (ok >> c & 1)
                total += d->cells[c].share;
        double u = (double)(mix(seed ^ (uint64_t)m->customer[i]) >> 11) / 9007199254740992.0 * total;
        int pick = -1;
        for (int c = 0; c < d->ncells && pick < 0; c++)
            if (ok >> c & 1 && (u -= d->cells[c].share) < 0)
                pick = c;
        for (int c = 0; c < d->ncells && pick < 0; c++) /* rounding left nothing: the first allowed */
            if (ok >> c & 1)
                pick = c;
        if (d->cells[pick].cap && d->cells[pick].taken >= d->cells[pick].cap) {
            pick = -1;
            for (int c = 0; c < d->ncells && pick < 0; c++)
                if (ok >> c & 1 && (!d->cells[c].cap || d->cells[c].taken < d->cells[c].cap))
                    pick = c;
        }
        if (pick < 0) {
            cells[i] = 0;
            t->over_cap++;
            continue;
        }
        d->cells[pick].taken++;
        t->by_cell[pick]++;
        t->treated++;
        cells[i] = -2 - pick; /* treated in cell pick */
    }
}

/* Run the design over the mart: cells[i] -1 no candidate, 0 out, -2 - c treated in cell c; grp[i]
 * 1 control. */
static int run(wh *w, const mk_mart *m, design *d, int *cells, uint8_t *grp, tally *t, rp_error *err)
{
    eval_ctx ex = { m, d, 0, { 0 } }, cx[MAX_CELLS];
    int rc = RP_OK;
    if (d->r)
        rc = rule_models(w, m, d, d->r, &ex, err);
    for (int c = 0; c < d->ncells && !rc; c++) {
        cx[c] = (eval_ctx){ m, d, 0, { 0 } };
        if (d->cells[c].elig)
            rc = rule_models(w, m, d, d->cells[c].elig, &cx[c], err);
    }
    if (rc)
        return rc;
    if (!d->ncells)
        d->skip |= 1u << S_DNC | 1u << S_CONSENT | 1u << S_REACH | 1u << S_HOLDS | 1u << S_ELIGIBLE;
    size_t survivors = 0;
    for (size_t i = 0; i < m->n; i++) {
        int step = -1, c = d->ncells ? row_cells(m, d, &ex, cx, i, &step) : 0;
        if (!d->ncells) { /* no cell yet: the steps that do not need one */
            unsigned saved = d->skip;
            d->ncells = 1, d->cells[0].contact = -1, d->cells[0].product = -1;
            c = row_cells(m, d, &ex, cx, i, &step);
            d->ncells = 0, d->skip = saved;
        }
        cells[i] = c;
        if (c < 0)
            continue;
        t->candidates++;
        if (c == 0)
            t->removed[step]++;
        else
            survivors++;
    }
    if ((rc = households(m, d, cells, t, err)))
        return rc;
    survivors -= t->removed[S_HOUSEHOLD];
    if ((rc = control_group(m, d, cells, survivors, grp, &t->control, err)))
        return rc;
    if (d->ncells)
        assign_cells(m, d, cells, grp, t);
    else
        t->treated = survivors - t->control;
    return RP_OK;
}

static const char *const step_names[] = { "deceased_or_closed", "minor", "staff", "do_not_contact", "no_consent",
                                          "unreachable", "open_complaint", "holds_product", "not_eligible",
                                          "recently_contacted", "contact_pressure", "household" };

static json_t *summary(const mk_mart *m, const design *d, const tally *t, double seconds)
{
    json_t *wf = json_array(), *bc = json_array();
    size_t left = t->candidates;
    json_array_append_new(wf, json_pack("{s:i, s:s, s:I, s:I, s:b}", "step", 0, "name", "candidates", "removed",
                                        (json_int_t)0, "remaining", (json_int_t)left, "skipped", 0));
    for (int s = 0; s < NSTEPS; s++) {
        left -= t->removed[s];
        json_array_append_new(wf, json_pack("{s:i, s:s, s:I, s:I, s:b}", "step", s + 1, "name", step_names[s],
                                            "removed", (json_int_t)t->removed[s], "remaining", (json_int_t)left,
                                            "skipped", (int)(d->skip >> s & 1)));
    }
    left -= t->control;
    json_array_append_new(wf, json_pack("{s:i, s:s, s:I, s:I, s:b}", "step", NSTEPS + 1, "name", "control", "removed",
                                        (json_int_t)t->control, "remaining", (json_int_t)left, "skipped", 0));
    left -= t->over_cap;
    json_array_append_new(wf, json_pack("{s:i, s:s, s:I, s:I, s:b}", "step", NSTEPS + 2, "name", "over_cap",
                                        "removed", (json_int_t)t->over_cap, "remaining", (json_int_t)left, "skipped",
                                        0));
    for (int c = 0; c < d->ncells; c++)
        json_array_append_new(bc, json_pack("{s:s, s:s, s:s, s:I}", "cell", d->cells[c].name, "offer",
                                            d->cells[c].offer, "channel", d->cells[c].channel, "customers",
                                            (json_int_t)t->by_cell[c]));
    json_t *info = mk_mart_info(m);
    json_t *o = json_pack("{s:s, s:I, s:o, s:I, s:I, s:o, s:f, s:O, s:O, s:I}", "campaign", d->code, "candidates",
                          (json_int_t)t->candidates, "waterfall", wf, "control", (json_int_t)t->control, "treated",
                          (json_int_t)t->treated, "by_cell", bc, "seconds", round(seconds * 1000) / 1000, "as_of",
                          json_object_get(info, "as_of"), "mart_built_at", json_object_get(info, "built_at"),
                          "customers", (json_int_t)m->n);
    json_decref(info);
    return o;
}

static int evaluate(wh *w, mk_mart *m, const char *code, const char *rule, design *d, int **cells, uint8_t **grp,
                    tally *t, rp_error *err)
{
    memset(t, 0, sizeof *t);
    *cells = NULL, *grp = NULL;
    int rc = design_load(w, m, code, rule, m->cfg, d, err);
    if (rc)
        return rc;
    *cells = malloc((m->n ? m->n : 1) * sizeof **cells);
    *grp = calloc(m->n ? m->n : 1, 1);
    if (!*cells || !*grp)
        return rp_err(err, RP_NOMEM, NULL);
    return run(w, m, d, *cells, *grp, t, err);
}

int mk_count(wh *w, mk_mart *m, const char *code, const char *rule, json_t **out, rp_error *err)
{
    double t0 = rp_monotonic();
    design d;
    tally t;
    int *cells;
    uint8_t *grp;
    *out = NULL;
    int rc = evaluate(w, m, code, rule, &d, &cells, &grp, &t, err);
    if (!rc)
        *out = summary(m, &d, &t, rp_monotonic() - t0);
    free(cells), free(grp);
    design_free(&d);
    return rc;
}

int mk_count_rule(wh *w, mk_mart *m, const char *rule, json_t **out, rp_error *err)
{
    double t0 = rp_monotonic();
    design d;
    memset(&d, 0, sizeof d);
    eval_ctx ex = { m, &d, 0, { 0 } };
    int rc = an_rule_parse(rule, "rule", &d.r, err);
    if (!rc)
        rc = rule_models(w, m, &d, d.r, &ex, err);
    size_t hit = 0;
    for (size_t i = 0; !rc && i < m->n; i++)
        hit += an_rule_eval(d.r, get, &ex, i) == 1;
    if (!rc) {
        json_t *info = mk_mart_info(m);
        *out = json_pack("{s:s, s:I, s:I, s:f, s:O, s:O}", "rule", rule, "customers", (json_int_t)m->n, "matching",
                         (json_int_t)hit, "seconds", round((rp_monotonic() - t0) * 1000) / 1000, "as_of",
                         json_object_get(info, "as_of"), "mart_built_at", json_object_get(info, "built_at"));
        json_decref(info);
    }
    design_free(&d);
    return rc;
}

/* The selection written: targets, waterfall, the plan's selected_at and count, the history. */
static int write_selection(wh *w, const mk_mart *m, const design *d, const int *cells, const uint8_t *grp,
                           json_t *sum, const char *by, rp_error *err)
{
    json_t *wdoc = json_object();
    mk__waves waves;
    int rc = mk__waves_json(w, d->code, wdoc, err);
    mk__waves_read(wdoc, &waves);
    json_decref(wdoc);
    if (!rc)
        rc = wh_campaign_targets_clear(w, d->code, err);
    int strat = -1;
    for (int a = 0; a < an_nattrs && d->stratify[0]; a++)
        if (!strcmp(an_attrs[a].name, d->stratify))
            strat = a;
    for (size_t i = 0; i < m->n && !rc; i++) {
        if (!grp[i] && cells[i] > -2)
            continue;
        char stratum[64] = "";
        if (strat >= 0 && m->code[strat])
            snprintf(stratum, sizeof stratum, "%s",
                     m->code[strat][i] && m->code[strat][i] < m->ndict[strat] ? m->dict[strat][m->code[strat][i]] : "");
        else if (strat >= 0 && !isnan(m->num[strat][i]))
            snprintf(stratum, sizeof stratum, "%g", m->num[strat][i]);
        const cell *c = grp[i] ? NULL : &d->cells[-2 - cells[i]];
        wh_campaign_target t = { .campaign = d->code, .party_id = m->customer[i],
                                 .group = grp[i] ? "control" : "treatment", .channel = c ? c->channel : NULL,
                                 .cell = c ? c->name : NULL, .offer = c ? c->offer : NULL, .stratum = stratum,
                                 .wave = mk__wave_draw(&waves, (uint64_t)d->seed ^ 0x77617665ull, m->customer[i]) };
        rc = wh_campaign_target_add(w, &t, err);
    }
    rp_stmt *st;
    if (!rc && !(rc = rp_store_prepare(wh_store(w), "DELETE FROM campaign_waterfall WHERE campaign = ?", &st, err))) {
        rp_stmt_bind_text(st, 1, d->code);
        rc = rp_stmt_run(st, err);
    }
    size_t k;
    json_t *row;
    json_array_foreach(json_object_get(sum, "waterfall"), k, row) {
        if (rc || (rc = rp_store_prepare(wh_store(w),
                                         "INSERT INTO campaign_waterfall(campaign, step, name, removed, remaining) "
                                         "VALUES (?,?,?,?,?)",
                                         &st, err)))
            break;
        rp_stmt_bind_text(st, 1, d->code);
        rp_stmt_bind_int(st, 2, json_integer_value(json_object_get(row, "step")));
        rp_stmt_bind_text(st, 3, json_string_value(json_object_get(row, "name")));
        rp_stmt_bind_int(st, 4, json_integer_value(json_object_get(row, "removed")));
        rp_stmt_bind_int(st, 5, json_integer_value(json_object_get(row, "remaining")));
        rc = rp_stmt_run(st, err);
    }
    char now[RP_TIME_UTC_LEN], detail[160];
    mk__now(now);
    if (!rc && !(rc = rp_store_prepare(wh_store(w), "UPDATE campaign_plan SET selected_at = ?2, targets = ?3 WHERE code = ?1",
                                       &st, err))) {
        rp_stmt_bind_text(st, 1, d->code);
        rp_stmt_bind_text(st, 2, now);
        rp_stmt_bind_int(st, 3, json_integer_value(json_object_get(sum, "treated")));
        rc = rp_stmt_run(st, err);
    }
    snprintf(detail, sizeof detail, "%lld candidates, %lld treated, %lld control",
             (long long)json_integer_value(json_object_get(sum, "candidates")),
             (long long)json_integer_value(json_object_get(sum, "treated")),
             (long long)json_integer_value(json_object_get(sum, "control")));
    if (!rc)
        rc = mk__log(w, d->code, by, "select", "draft", "draft", detail, err);
    return rc;
}

int mk_select(wh *w, mk_mart *m, const char *code, const char *by, json_t **out, rp_error *err)
{
    double t0 = rp_monotonic();
    design d;
    tally t;
    int *cells = NULL;
    uint8_t *grp = NULL;
    json_t *sum = NULL;
    char status[16];
    *out = NULL;
    int rc = mk__status(w, code, status, err);
    if (!rc && strcmp(status, "draft"))
        rc = rp_err(err, RP_DENIED, "campaign %s is %s: only a draft's targets are selected", code, status);
    memset(&d, 0, sizeof d);
    if (!rc && !(rc = evaluate(w, m, code, NULL, &d, &cells, &grp, &t, err)) && !d.ncells)
        rc = rp_err(err, RP_DENIED, "campaign %s has no cell: give it an offer on a channel first", code);
    if (!rc && !d.r && !d.model[0] && !d.list[0])
        rc = rp_err(err, RP_DENIED, "campaign %s selects nobody: give it a rule, a model's deciles or a list", code);
    if (!rc) {
        sum = summary(m, &d, &t, rp_monotonic() - t0);
        if (!(rc = wh_begin(w, err))) { /* still a draft: nobody submitted it meanwhile */
            if ((rc = mk__status(w, code, status, err)) ||
                (strcmp(status, "draft") &&
                 (rc = rp_err(err, RP_DENIED, "campaign %s is %s: only a draft's targets are selected", code, status))) ||
                (rc = write_selection(w, m, &d, cells, grp, sum, by, err)) || (rc = wh_commit(w, err)))
                wh_rollback(w);
        }
    }
    free(cells), free(grp);
    design_free(&d);
    if (rc) {
        json_decref(sum);
        return rc;
    }
    json_object_set_new(sum, "seconds", json_real(round((rp_monotonic() - t0) * 1000) / 1000));
    *out = sum;
    return RP_OK;
}
