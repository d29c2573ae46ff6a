/* results.c — responses (K3) and results (K5): staff's responses, responses seen in behaviour, and
 * per campaign, cell, channel and segment the treated against the control group: response rates,
 * uplift, lift, incremental responders, a two-proportion test with its confidence interval, cost,
 * incremental revenue, profit and ROI; day by day while the window is open.  See marketing.h. */
#include "marketing/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the campaign as results read it: its window and its arms (a cell each; a loaded campaign
 * has one, its offer) ---- */

typedef struct arm {
    char cell[40], offer[40], product[40], channel[24], currency[4];
    int64_t cost, value;               /* minor units a contact, a take-up */
    int economics;                     /* an offer with cost and value is known */
} arm;

typedef struct camp {
    mk__campaign mc;                   /* the document (mk_campaign_get's), its cells */
    const char *code, *status;
    char start[RP_DATE_LEN], end[RP_DATE_LEN], today[RP_DATE_LEN];
    int closed;                        /* the response window is over: no response is neutral */
    arm arms[MK_MAX_CELLS];
    int narms, designed;
} camp;

static const char *jstr(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static int arm_offer(wh *w, arm *a, const char *offer, rp_error *err)
{
    snprintf(a->offer, sizeof a->offer, "%s", offer ? offer : "");
    json_t *o = NULL;
    int rc = offer ? mk_offer_get(w, offer, &o, err) : RP_NOTFOUND;
    if (rc == RP_NOTFOUND) {  /* a loaded campaign names a product: its economics unknown */
        char name[256], kind[16];
        int exists = 0;
        if (offer && (rc = wh_product_find(w, offer, name, sizeof name, kind, &exists, err)))
            return rc;
        snprintf(a->product, sizeof a->product, "%s", exists ? offer : "");
        return RP_OK;
    }
    if (rc)
        return rc;
    snprintf(a->product, sizeof a->product, "%s", jstr(o, "product"));
    snprintf(a->currency, sizeof a->currency, "%s", jstr(o, "currency") ? jstr(o, "currency") : "TWD");
    a->cost = json_integer_value(json_object_get(o, "cost_minor"));
    a->value = json_integer_value(json_object_get(o, "value_minor"));
    a->economics = 1;
    json_decref(o);
    return RP_OK;
}

static void camp_free(camp *c) { json_decref(c->mc.doc); }

static int camp_load(wh *w, const char *code, camp *c, rp_error *err)
{
    memset(c, 0, sizeof *c);
    int rc = mk__campaign_cells(w, code, &c->mc, err);
    if (rc)
        return rc;
    c->code = code;
    c->status = c->mc.status;
    c->designed = strcmp(c->status, "loaded") != 0;
    const char *s = jstr(c->mc.doc, "start_date"), *e = jstr(c->mc.doc, "response_deadline");
    if (!e)
        e = jstr(c->mc.doc, "end_date");
    snprintf(c->start, sizeof c->start, "%.10s", s ? s : "0000-00-00");
    snprintf(c->end, sizeof c->end, "%.10s", e ? e : "9999-12-31");
    rp_date_format(rp_time_taipei_date(rp_now()), c->today);
    c->closed = strcmp(c->today, c->end) > 0;
    for (int k = 0; k < c->mc.ncells; k++) {
        arm *a = &c->arms[c->narms++];
        snprintf(a->cell, sizeof a->cell, "%s", c->mc.cells[k].cell);
        snprintf(a->channel, sizeof a->channel, "%s", c->mc.cells[k].channel);
        if ((rc = arm_offer(w, a, c->mc.cells[k].offer, err)))
            break;
    }
    if (!rc && !c->narms) {  /* a loaded campaign, or a design without cells: one arm, its offer */
        arm *a = &c->arms[c->narms++];
        snprintf(a->channel, sizeof a->channel, "%s", jstr(c->mc.doc, "channel") ? jstr(c->mc.doc, "channel") : "");
        rc = arm_offer(w, a, jstr(c->mc.doc, "offer"), err);
    }
    if (rc)
        camp_free(c);
    return rc;
}

/* Responses are taken while a campaign runs and after: not for one still in design. */
static int takes_responses(const camp *c, rp_error *err)
{
    static const char *const not[] = { "draft", "submitted", "approved", "cancelled", NULL };
    if (mk__index(c->status, not) >= 0)
        return rp_err(err, RP_DENIED, "campaign %s is %s: responses are taken once it runs", c->code, c->status);
    return RP_OK;
}

int mk_response_record(wh *w, const mk_response *r, rp_error *err)
{
    camp c;
    int rc = camp_load(w, r->campaign, &c, err);
    if (rc)
        return rc;
    char day[RP_DATE_LEN];
    rp_date d;
    if (!(rc = takes_responses(&c, err)) && r->at && rp_date_parse(r->at, &d, err))
        rc = rp_err_prefix(err, "response.at");
    if (!rc) {
        if (r->at)
            rp_date_format(d, day);
        else
            snprintf(day, sizeof day, "%s", c.today);
        if (strcmp(day, c.start) < 0 || strcmp(day, c.end) > 0)
            rc = rp_err(err, RP_DENIED, "response.at: %s is outside campaign %s's response window, %s to %s", day,
                        c.code, c.start, c.end);
    }
    /* the product taken: the offer of the customer's cell is not known here; a staff response
     * counts for the cells that offered the product it names, or for all (NULL) */
    wh_campaign_response wr = { r->campaign, r->customer, r->response, day, 0, "staff", r->by, r->note, r->product };
    if (!rc)
        rc = wh_campaign_response_put(w, &wr, err);
    camp_free(&c);
    return rc;
}

/* ---- responses seen in behaviour ---- */

int mk_observe(wh *w, const char *code, const char *by, json_t **out, rp_error *err)
{
    camp c;
    int rc = camp_load(w, code, &c, err);
    if (rc)
        return rc;
    if ((rc = takes_responses(&c, err))) {
        camp_free(&c);
        return rc;
    }
    const char *to = strcmp(c.today, c.end) < 0 ? c.today : c.end;
    int64_t added[2] = { 0, 0 }, n;
    json_t *products = json_array();
    for (int k = 0; !rc && k < c.narms; k++) {
        if (!c.arms[k].product[0])
            continue;
        wh_observe o = { code, "treatment", c.designed ? c.arms[k].cell : NULL, c.arms[k].product, c.start, to, by, 0 };
        if (!(rc = wh_campaign_observe(w, &o, &n, err)))
            added[0] += n;
        int seen = 0;  /* the control group once for each product offered */
        for (int j = 0; j < k; j++)
            seen |= !strcmp(c.arms[j].product, c.arms[k].product);
        if (seen || rc)
            continue;
        json_array_append_new(products, json_string(c.arms[k].product));
        /* a wave's control customers from its first day, as its treated are contacted from then */
        for (int v = 0; !rc && v < (c.mc.waves.n ? c.mc.waves.n : 1); v++) {
            const char *from = c.mc.waves.n && strcmp(c.mc.waves.starts[v], c.start) > 0 ? c.mc.waves.starts[v] : c.start;
            wh_observe oc = { code, "control", NULL, c.arms[k].product, from, to, by, c.mc.waves.n ? c.mc.waves.wave[v] : 0 };
            if (!(rc = wh_campaign_observe(w, &oc, &n, err)))
                added[1] += n;
        }
    }
    if (!rc)
        *out = json_pack("{s:s, s:s, s:s, s:o, s:{s:I, s:I}}", "campaign", code, "from", c.start, "to", to, "products",
                         json_incref(products), "added", "treatment", (json_int_t)added[0], "control",
                         (json_int_t)added[1]);
    json_decref(products);
    camp_free(&c);
    return rc;
}

/* ---- results ---- */

#define MAX_GROUPS (1 + MK_MAX_CELLS + 8 + 65 + MK_MAX_WAVES)
#define MAX_DAYS 400

typedef struct tally {
    const char *level;                 /* campaign, cell, channel, segment */
    char key[64];
    uint32_t arms;                     /* the arms (bits) whose treated it counts */
    int64_t treated, contacted, control, pos_t, neg_t, pos_c, credited, open_t;
    double cost, value_t;              /* minor units: contacts' cost; the treated's offers' value */
    int economics;                     /* every arm it counts knows its economics */
} tally;

typedef struct res {
    camp *c;
    tally g[MAX_GROUPS];
    int ng, nsegments;
    int64_t day_t[MAX_DAYS], day_c[MAX_DAYS];  /* positives on each day of the window */
    int64_t start_day, ndays;
    int64_t not_in_window;
} res;

static tally *group(res *r, const char *level, const char *key, uint32_t arms)
{
    for (int i = 0; i < r->ng; i++)
        if (!strcmp(r->g[i].level, level) && !strcmp(r->g[i].key, key))
            return &r->g[i];
    if (!strcmp(level, "segment") && r->nsegments >= 64 && strcmp(key, "(other)"))
        return group(r, level, "(other)", arms);
    if (r->ng == MAX_GROUPS)
        return NULL;
    tally *t = &r->g[r->ng++];
    memset(t, 0, sizeof *t);
    t->level = level;
    snprintf(t->key, sizeof t->key, "%s", key);
    t->arms = arms;
    t->economics = 1;
    for (int k = 0; k < r->c->narms; k++)
        if (arms >> k & 1)
            t->economics &= r->c->arms[k].economics;
    r->nsegments += !strcmp(level, "segment");
    return t;
}

static int arm_of(const camp *c, const char *cell)
{
    if (!c->designed)
        return 0;
    for (int k = 0; k < c->narms; k++)
        if (cell && !strcmp(c->arms[k].cell, cell))
            return k;
    return -1;
}

/* A control customer's positive counts for a group when it names no product or one of the group's. */
static int control_positive(const camp *c, const tally *t, const wh_outcome *o)
{
    if (!o->response || strcmp(o->response, "positive"))
        return 0;
    if (!o->product)
        return 1;
    for (int k = 0; k < c->narms; k++)
        if ((t->arms >> k & 1) && !strcmp(c->arms[k].product, o->product))
            return 1;
    return 0;
}

static void count_treated(res *r, tally *t, const arm *a, const wh_outcome *o)
{
    if (!t)
        return;
    int pos = o->response && !strcmp(o->response, "positive");
    /* a wave that begins later is marked contacted from its first day: not contacted yet */
    int contacted = o->contacted_at && strncmp(o->contacted_at, r->c->today, 10) <= 0;
    t->treated++;
    t->contacted += contacted;
    t->pos_t += pos;
    t->neg_t += o->response && !strcmp(o->response, "negative");
    t->open_t += !o->response;
    t->credited += pos && !(o->later_touch && o->source && !strcmp(o->source, "behaviour"));
    t->cost += contacted ? (double)a->cost : 0;
    t->value_t += (double)a->value;
}

static void count_day(res *r, const wh_outcome *o, int control)
{
    rp_date d;
    rp_error e;
    if (!o->response || strcmp(o->response, "positive") || !o->responded_at || rp_date_parse(o->responded_at, &d, &e))
        return;
    if (control && !control_positive(r->c, &r->g[0], o)) /* as the campaign's own figure counts it */
        return;
    int64_t k = rp_days_from_civil(d.y, d.m, d.d) - r->start_day;
    if (k < 0 || k >= r->ndays) {
        r->not_in_window++;
        return;
    }
    (control ? r->day_c : r->day_t)[k]++;
}

static int outcome(void *u, const wh_outcome *o, rp_error *err)
{
    res *r = u;
    camp *c = r->c;
    uint32_t all = c->narms >= 32 ? ~0u : (1u << c->narms) - 1;
    const char *seg = o->stratum ? o->stratum : "(all)";
    count_day(r, o, o->control);
    char wave[16] = "";
    if (o->wave > 0)
        snprintf(wave, sizeof wave, "%d", o->wave);
    if (o->control) {  /* the one control group is every cell's and channel's comparison; a segment's and a
                        * wave's are their own */
        for (int i = 0; i < r->ng; i++)
            if (strcmp(r->g[i].level, "segment") && strcmp(r->g[i].level, "wave")) {
                r->g[i].control++;
                r->g[i].pos_c += control_positive(c, &r->g[i], o);
            }
        tally *t = group(r, "segment", seg, all), *tw = *wave ? group(r, "wave", wave, all) : NULL;
        if (t)
            t->control++, t->pos_c += control_positive(c, t, o);
        if (tw)
            tw->control++, tw->pos_c += control_positive(c, tw, o);
        return RP_OK;
    }
    int k = arm_of(c, o->cell);
    if (k < 0)
        return rp_err(err, RP_INTERNAL, "campaign %s: a target in cell '%s', which the campaign does not have", c->code,
                      o->cell ? o->cell : "");
    const arm *a = &c->arms[k];
    count_treated(r, &r->g[0], a, o);
    if (c->designed)
        count_treated(r, group(r, "cell", a->cell, 1u << k), a, o);
    count_treated(r, group(r, "channel", a->channel, 1u << k), a, o);
    count_treated(r, group(r, "segment", seg, all), a, o);
    if (*wave)
        count_treated(r, group(r, "wave", wave, all), a, o);
    return RP_OK;
}

/* Two proportions x1/n1 (treated) against x2/n2 (control): the pooled z, its two-sided p, and the
 * 95 % interval of the difference (unpooled). */
static void two_proportions(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double out[4])
{
    double p1 = (double)x1 / (double)n1, p2 = (double)x2 / (double)n2;
    double pp = (double)(x1 + x2) / (double)(n1 + n2);
    double se0 = sqrt(pp * (1 - pp) * (1.0 / (double)n1 + 1.0 / (double)n2));
    double se = sqrt(p1 * (1 - p1) / (double)n1 + p2 * (1 - p2) / (double)n2);
    out[0] = se0 > 0 ? (p1 - p2) / se0 : 0;
    out[1] = se0 > 0 ? erfc(fabs(out[0]) / sqrt(2.0)) : 1;
    out[2] = p1 - p2 - 1.959963985 * se;
    out[3] = p1 - p2 + 1.959963985 * se;
}

static double units(double minor, const char *currency)
{
    int e = wh_currency_exponent(currency && *currency ? currency : "TWD");
    return minor / pow(10, e < 0 ? 2 : e);
}

static json_t *num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static json_t *tally_json(const res *r, const tally *t)
{
    json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "level", t->level, "key", t->key, "treated",
                          (json_int_t)t->treated, "contacted", (json_int_t)t->contacted, "control",
                          (json_int_t)t->control, "responders", (json_int_t)t->pos_t, "control_responders",
                          (json_int_t)t->pos_c, "negatives", (json_int_t)t->neg_t, "credited_responders",
                          (json_int_t)t->credited);
    json_object_set_new(o, r->c->closed ? "neutral" : "pending", json_integer(t->open_t));
    double rt = t->treated ? (double)t->pos_t / (double)t->treated : NAN;
    double rc = t->control ? (double)t->pos_c / (double)t->control : NAN;
    double up = rt - rc, inc = up * (double)t->treated;
    json_object_set_new(o, "response_rate", num(rt));
    json_object_set_new(o, "control_rate", num(rc));
    json_object_set_new(o, "uplift", num(up));
    json_object_set_new(o, "lift", num(rc > 0 ? rt / rc : NAN));
    json_object_set_new(o, "incremental_responders", num(inc));
    double s[4] = { NAN, NAN, NAN, NAN };
    if (t->treated && t->control)
        two_proportions(t->pos_t, t->treated, t->pos_c, t->control, s);
    json_object_set_new(o, "z", num(s[0]));
    json_object_set_new(o, "p_value", num(s[1]));
    json_object_set_new(o, "ci95", json_pack("[o, o]", num(s[2]), num(s[3])));
    json_object_set_new(o, "significant", json_boolean(isfinite(s[1]) && s[1] < 0.05));
    const char *cur = r->c->arms[0].currency;
    double cost = units(t->cost, cur), revenue = t->treated ? units(inc * t->value_t / (double)t->treated, cur) : NAN;
    json_object_set_new(o, "economics", json_boolean(t->economics));
    json_object_set_new(o, "cost", t->economics ? num(cost) : json_null());
    json_object_set_new(o, "incremental_revenue", t->economics ? num(revenue) : json_null());
    json_object_set_new(o, "profit", t->economics ? num(revenue - cost) : json_null());
    json_object_set_new(o, "roi", t->economics && cost > 0 ? num((revenue - cost) / cost) : json_null());
    return o;
}

static json_t *daily(const res *r)
{
    json_t *a = json_array();
    int64_t ct = 0, cc = 0;
    const tally *all = &r->g[0];
    for (int64_t k = 0; k < r->ndays; k++) {
        ct += r->day_t[k], cc += r->day_c[k];
        char day[RP_DATE_LEN];
        rp_date_format(rp_civil_from_days(r->start_day + k), day);
        double rt = all->treated ? (double)ct / (double)all->treated : NAN;
        double rc = all->control ? (double)cc / (double)all->control : NAN;
        json_array_append_new(a, json_pack("{s:s, s:I, s:I, s:o, s:o, s:o}", "day", day, "responders", (json_int_t)ct,
                                           "control_responders", (json_int_t)cc, "response_rate", num(rt),
                                           "control_rate", num(rc), "uplift", num(rt - rc)));
    }
    return a;
}

static int window(res *r, rp_error *err)
{
    rp_date a, b;
    const camp *c = r->c;
    const char *to = strcmp(c->today, c->end) < 0 ? c->today : c->end;
    if (!strcmp(c->start, "0000-00-00")) { /* a loaded campaign without a start: no days to list */
        r->ndays = 0;
        return RP_OK;
    }
    if (rp_date_parse(c->start, &a, err) || rp_date_parse(to, &b, err))
        return rp_err(err, RP_INTERNAL, "campaign %s: its dates (%s to %s) cannot be read", c->code, c->start, c->end);
    r->start_day = rp_days_from_civil(a.y, a.m, a.d);
    r->ndays = rp_days_from_civil(b.y, b.m, b.d) - r->start_day + 1;
    if (r->ndays < 0)
        r->ndays = 0;
    if (r->ndays > MAX_DAYS)
        r->ndays = MAX_DAYS;
    return RP_OK;
}

int mk_results(wh *w, const char *code, json_t **out, rp_error *err)
{
    camp c;
    int rc = camp_load(w, code, &c, err);
    if (rc)
        return rc;
    res *r = calloc(1, sizeof *r);
    if (!r) {
        camp_free(&c);
        return rp_err(err, RP_NOMEM, NULL);
    }
    r->c = &c;
    uint32_t all = c.narms >= 32 ? ~0u : (1u << c.narms) - 1;
    group(r, "campaign", code, all);
    for (int k = 0; c.designed && k < c.narms; k++)  /* every cell and channel, even with no target */
        group(r, "cell", c.arms[k].cell, 1u << k);
    for (int k = 0; k < c.narms; k++) {
        tally *t = group(r, "channel", c.arms[k].channel, 0);
        if (t)
            t->arms |= 1u << k, t->economics &= c.arms[k].economics;
    }
    for (int k = 0; k < c.mc.waves.n; k++) {  /* every wave in its order */
        char key[16];
        snprintf(key, sizeof key, "%d", c.mc.waves.wave[k]);
        group(r, "wave", key, all);
    }
    if (!(rc = window(r, err)) && !(rc = wh_campaign_outcomes(w, code, outcome, r, err))) {
        json_t *groups = json_array();
        for (int i = 1; i < r->ng; i++)
            json_array_append_new(groups, tally_json(r, &r->g[i]));
        *out = json_pack("{s:s, s:s?, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:I}", "campaign", code, "name",
                         jstr(c.mc.doc, "name"), "status", c.status, "from", c.start, "to", c.end, "as_of", c.today,
                         "window", c.closed ? "closed" : "open", "overall", tally_json(r, &r->g[0]), "groups", groups,
                         "daily", daily(r), "responses_outside_window", (json_int_t)r->not_in_window);
    }
    free(r);
    camp_free(&c);
    return rc;
}
