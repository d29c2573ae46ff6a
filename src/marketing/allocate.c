/* allocate.c — a campaign's treated given their offers by the optimiser (optimise.c): the choices are
 * the campaign's cells, the customers its treated targets, the scores a CSV file of the response
 * models' probabilities (customer, cell or offer, score), eligibility as the selection copy says now
 * (consent and reach on each cell's channel, the product not held), values and costs the offers',
 * a customer's own value an attribute (level 3).  With apply, the draft's targets take the
 * assignment: each treated its cell, those given none dropped.  See marketing.h. */
#include "marketing/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/reader.h"
#include "core/rtime.h"
#include "models/models.h"

typedef struct alloc {
    const mk_allocation *a;
    const mk_mart *m;
    int64_t *ids;                      /* the treated, ascending */
    size_t n, room;
    int k;
    char cell[MK_MAX_CELLS][40], offer[MK_MAX_CELLS][40], channel[MK_MAX_CELLS][24], product[MK_MAX_CELLS][40];
    const char *names[MK_MAX_CELLS];
    double value[MK_MAX_CELLS], cost[MK_MAX_CELLS];
    int chan[MK_MAX_CELLS], contact[MK_MAX_CELLS];
    char purpose[24], start[16], end[16];
    char model[MK_MAX_CELLS][80];      /* the kept model a cell's scores come from, or "" */
    float *score;
    int64_t not_targets, ineligible;
} alloc;

static int treated(void *u, const wh_outcome *o, rp_error *err)
{
    alloc *x = u;
    if (o->control)
        return RP_OK;
    if (x->n == x->room) {
        int64_t *p = realloc(x->ids, (x->room = x->room ? x->room * 2 : 1024) * sizeof *p);
        if (!p)
            return rp_err(err, RP_NOMEM, NULL);
        x->ids = p;
    }
    x->ids[x->n++] = o->party_id;
    return RP_OK;
}

static ptrdiff_t find(const alloc *x, int64_t id)
{
    size_t lo = 0, hi = x->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (x->ids[mid] == id)
            return (ptrdiff_t)mid;
        if (x->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* The campaign: a draft with a selection; its cells with their offers' values, costs and products. */
static int design(wh *w, alloc *x, rp_error *err)
{
    mk__campaign c;
    int rc = mk__campaign_cells(w, x->a->campaign, &c, err);
    if (rc)
        return rc;
    if (strcmp(c.status, "draft"))
        rc = rp_err(err, RP_DENIED, "campaign %s is %s: only a draft's targets are given offers", x->a->campaign,
                    c.status);
    else if (!json_integer_value(json_object_get(json_object_get(c.doc, "targets"), "treatment")))
        rc = rp_err(err, RP_DENIED, "campaign %s has no targets: select them first ('rapport campaign select %s')",
                    x->a->campaign, x->a->campaign);
    snprintf(x->purpose, sizeof x->purpose, "%s", c.purpose);
    const char *sd = json_string_value(json_object_get(c.doc, "start_date")),
               *ed = json_string_value(json_object_get(c.doc, "end_date"));
    snprintf(x->start, sizeof x->start, "%s", sd ? sd : "");
    snprintf(x->end, sizeof x->end, "%s", ed ? ed : "");
    for (int j = 0; !rc && j < c.ncells; j++) {
        int k = x->k++;
        snprintf(x->cell[k], sizeof x->cell[k], "%s", c.cells[j].cell);
        snprintf(x->offer[k], sizeof x->offer[k], "%s", c.cells[j].offer);
        snprintf(x->channel[k], sizeof x->channel[k], "%s", c.cells[j].channel);
        x->names[k] = x->cell[k];
        x->chan[k] = mk__index(x->channel[k], mk_channels);
        x->contact[k] = c.cells[j].contact;
        json_t *of;
        if ((rc = mk_offer_get(w, x->offer[k], &of, err)))
            break;
        snprintf(x->product[k], sizeof x->product[k], "%s", json_string_value(json_object_get(of, "product")));
        x->value[k] = json_number_value(json_object_get(of, "value"));
        x->cost[k] = json_number_value(json_object_get(of, "cost"));
        json_decref(of);
    }
    json_decref(c.doc);
    return rc;
}

/* The scores file: a row per customer and cell (or offer: every cell of it); anything else refused
 * naming the file, line and field. */
static int read_scores(alloc *x, rp_error *err)
{
    rd_options o = { .format = RD_CSV, .header = 1, .utf8 = 1 };
    reader *r;
    const char *const file = x->a->scores, *path = x->a->scores_name ? x->a->scores_name : file;
    int rc = rd_open(file, &o, &r, err);
    if (rc)
        return rp_err_prefix(err, "%s", path);
    rd_record rec;
    int first = rd_next(r, &rec, err); /* the header is read with the first record */
    if (first != RD_RECORD && first != RD_END) {
        rd_close(r);
        return first == RD_BAD ? rp_err_prefix(err, "%s", path) : first;
    }
    static const char *const cust[] = { "customer", "customer_id", "id", NULL }, *const cellc[] = { "cell", NULL },
                             *const offc[] = { "offer", NULL }, *const scc[] = { "score", "probability", NULL };
    int ci = rd_column(r, cust), ce = rd_column(r, cellc), co = rd_column(r, offc), cs = rd_column(r, scc);
    if (ci < 0 || cs < 0 || (ce < 0 && co < 0)) {
        rd_close(r);
        return rp_err(err, RP_INVAL, "%s: the header must name customer, cell (or offer) and score", path);
    }
    int st;
    for (st = first; st == RD_RECORD && !rc; st = rc ? st : rd_next(r, &rec, err)) {
        char f[4][80];
        int want[4] = { ci, ce >= 0 ? ce : co, cs, -1 };
        for (int q = 0; q < 3; q++)
            snprintf(f[q], sizeof f[q], "%.*s", want[q] < rec.nfields ? (int)rec.flen[want[q]] : 0,
                     want[q] < rec.nfields ? rec.field[want[q]] : "");
        char *end;
        long long id = strtoll(!strncmp(f[0], "id:", 3) ? f[0] + 3 : f[0], &end, 10);
        if (!*f[0] || *end || id <= 0) {
            rc = rp_err(err, RP_INVAL, "%s:%lld: customer: '%s' is not a customer id", path, (long long)rec.number,
                        f[0]);
            break;
        }
        double s = strtod(f[2], &end);
        if (!*f[2] || *end || !(s >= 0 && s <= 1)) {
            rc = rp_err(err, RP_INVAL, "%s:%lld: score: '%s' is not a probability from 0 to 1", path,
                        (long long)rec.number, f[2]);
            break;
        }
        int hit = 0;
        ptrdiff_t i = find(x, id);
        for (int k = 0; k < x->k; k++)
            if (!strcmp(ce >= 0 ? x->cell[k] : x->offer[k], f[1])) {
                hit = 1;
                if (x->model[k][0]) {
                    rc = rp_err(err, RP_INVAL, "%s:%lld: cell %s is scored by model %s, not by the file", path,
                                (long long)rec.number, x->cell[k], x->model[k]);
                    break;
                }
                if (i < 0)
                    continue;
                float *at = &x->score[(size_t)i * (size_t)x->k + (size_t)k];
                if (*at != -2.0f) {
                    rc = rp_err(err, RP_INVAL, "%s:%lld: customer %lld, %s %s: given twice", path,
                                (long long)rec.number, id, ce >= 0 ? "cell" : "offer", f[1]);
                    break;
                }
                *at = (float)s;
            }
        if (!rc && !hit)
            rc = rp_err(err, RP_INVAL, "%s:%lld: %s: campaign %s has no %s '%s'", path, (long long)rec.number,
                        ce >= 0 ? "cell" : "offer", x->a->campaign, ce >= 0 ? "cell" : "offer", f[1]);
        if (!rc && i < 0)
            x->not_targets++;
    }
    if (!rc && st == RD_BAD) {
        rp_err_prefix(err, "%s", path);
        rc = RP_INVAL;
    } else if (!rc && st != RD_END)
        rc = st;
    rd_close(r);
    return rc;
}

/* One kept model's latest scoring as the scores of the cells named key (a cell, or every cell of an
 * offer); the model's run into used. */
static int model_scores(wh *w, alloc *x, const char *key, const char *name, json_t *used, rp_error *err)
{
    int hit = 0;
    for (int k = 0; k < x->k; k++)
        if (!strcmp(x->cell[k], key) || !strcmp(x->offer[k], key)) {
            if (x->model[k][0])
                return rp_err(err, RP_INVAL, "models: cell %s is given two models (%s, %s)", x->cell[k], x->model[k],
                              name);
            snprintf(x->model[k], sizeof x->model[k], "%s", name);
            hit = 1;
        }
    if (!hit)
        return rp_err(err, RP_INVAL, "models: campaign %s has no cell or offer '%s'", x->a->campaign, key);
    json_t *rec;
    int rc = mdl_kept_find(wh_store(w), name, &rec, err);
    if (rc)
        return rc == RP_NOTFOUND ? rp_err(err, RP_INVAL, "models: %s: no kept model is named '%s'", key, name) : rc;
    mdl_scored sc;
    rc = mdl_run_latest(wh_store(w), json_integer_value(json_object_get(rec, "id")), &sc, err);
    json_decref(rec);
    if (rc == RP_NOTFOUND)
        return rp_err(err, RP_INVAL, "models: %s: model '%s' has scored no customers yet ('rapport model score %s')",
                      key, name, name);
    if (rc)
        return rc;
    for (size_t j = 0; j < sc.n; j++) {
        ptrdiff_t i = find(x, sc.customer[j]);
        if (i < 0 || !(sc.p[j] >= 0 && sc.p[j] <= 1))
            continue;
        for (int k = 0; k < x->k; k++)
            if (!strcmp(x->model[k], name) && (!strcmp(x->cell[k], key) || !strcmp(x->offer[k], key)))
                x->score[(size_t)i * (size_t)x->k + (size_t)k] = (float)sc.p[j];
    }
    json_object_set_new(used, key, json_pack("{s:s, s:I, s:s}", "model", name, "run", (json_int_t)sc.run, "as_of",
                                             sc.as_of));
    mdl_scored_free(&sc);
    return RP_OK;
}

/* models: "CELL=MODEL,..." */
static int models(wh *w, alloc *x, json_t *used, rp_error *err)
{
    for (const char *p = x->a->models; p && *p;) {
        const char *eq = strchr(p, '='), *comma = strchr(p, ',');
        size_t kn = eq ? (size_t)(eq - p) : 0, mn = !eq ? 0 : comma ? (size_t)(comma - eq - 1) : strlen(eq + 1);
        char key[48], name[80];
        if (!eq || (comma && comma < eq) || !kn || kn >= sizeof key || !mn || mn >= sizeof name)
            return rp_err(err, RP_INVAL, "models: '%.60s' is not CELL=MODEL[,CELL=MODEL...]", x->a->models);
        memcpy(key, p, kn), key[kn] = 0;
        memcpy(name, eq + 1, mn), name[mn] = 0;
        int rc = model_scores(w, x, key, name, used, err);
        if (rc)
            return rc;
        p = eq + 1 + mn + (comma ? 1 : 0);
    }
    return RP_OK;
}

/* The channels of the cells that the caller gave no capacity take channel_capacity's: per day times
 * the days the campaign runs; what was taken into taken. */
static int table_capacity(wh *w, alloc *x, int64_t *capacity, const int64_t *given, json_t *taken, rp_error *err)
{
    json_t *list;
    int rc = mk_capacity_list(w, &list, err);
    if (rc)
        return rc;
    rp_date a, b;
    rp_error ignore = RP_ERROR_INIT;
    int64_t days = 1;
    if (x->start[0] && x->end[0] && !rp_date_parse(x->start, &a, &ignore) && !rp_date_parse(x->end, &b, &ignore))
        days = rp_days_from_civil(b.y, b.m, b.d) - rp_days_from_civil(a.y, a.m, a.d) + 1;
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        int c = mk__index(json_string_value(json_object_get(e, "channel")), mk_channels), used = 0;
        for (int k = 0; k < x->k; k++)
            used |= x->chan[k] == c;
        int64_t per_day = json_integer_value(json_object_get(e, "per_day"));
        if (c < 0 || c >= MK_OPT_CHANNELS || !used || given[c] >= 0 || per_day < 0 || days < 1)
            continue;
        if (per_day == 0) { /* the channel closed: none of its cells' pairs is eligible */
            for (int k = 0; k < x->k; k++)
                for (size_t j = 0; x->chan[k] == c && j < x->n; j++)
                    x->score[j * (size_t)x->k + (size_t)k] = -1.0f;
            json_object_set_new(taken, mk_channels[c], json_pack("{s:i, s:I, s:i, s:b}", "per_day", 0, "days",
                                                                 (json_int_t)days, "contacts", 0, "closed", 1));
            continue;
        }
        capacity[c] = per_day * days;
        json_object_set_new(taken, mk_channels[c], json_pack("{s:I, s:I, s:I}", "per_day", (json_int_t)per_day, "days",
                                                             (json_int_t)days, "contacts", (json_int_t)capacity[c]));
    }
    json_decref(list);
    return RP_OK;
}

/* A pair the file gave no score, or the copy says cannot be made now (consent, reach, the product
 * held), is not eligible. */
static void eligibility(alloc *x)
{
    for (size_t i = 0; i < x->n; i++) {
        ptrdiff_t row = mk__row(x->m, x->ids[i]);
        for (int k = 0; k < x->k; k++) {
            float *s = &x->score[i * (size_t)x->k + (size_t)k];
            if (*s == -2.0f) {
                *s = -1.0f;
                continue;
            }
            if (mk__reach_now(x->m, x->purpose, x->contact[k], x->ids[i]) >= 0 ||
                (row >= 0 && mk__holds(x->m, mk__product_index(x->m, x->product[k]), (size_t)row)))
                *s = -1.0f, x->ineligible++;
        }
    }
}

/* "A=100,B=50" into per-cell numbers; "outbound_call=1500" into per-channel ones. */
static int pairs(const alloc *x, const char *opt, const char *text, int channels, int64_t *out, rp_error *err)
{
    for (const char *p = text; p && *p;) {
        const char *eq = strchr(p, '='), *comma = strchr(p, ',');
        size_t n = eq ? (size_t)(eq - p) : 0;
        char key[48], *end;
        if (!eq || (comma && comma < eq) || n == 0 || n >= sizeof key)
            return rp_err(err, RP_INVAL, "%s: '%.60s' is not NAME=NUMBER[,NAME=NUMBER...]", opt, text);
        memcpy(key, p, n);
        key[n] = 0;
        long long v = strtoll(eq + 1, &end, 10);
        if (end == eq + 1 || (*end && *end != ',') || v < 0)
            return rp_err(err, RP_INVAL, "%s: '%s' needs a whole number of customers", opt, key);
        int at = -1;
        if (channels)
            at = mk__index(key, mk_channels);
        else
            for (int k = 0; k < x->k; k++)
                if (!strcmp(x->cell[k], key))
                    at = k;
        if (at < 0)
            return rp_err(err, RP_INVAL, channels ? "%s: '%s' is not a channel (%s)" : "%s: campaign %s has no cell '%s'",
                          opt, channels ? key : x->a->campaign, channels ? "direct_mail, email, sms, outbound_call, "
                                                                           "branch_lead, banner"
                                                                         : key);
        out[at] = v;
        p = *end ? end + 1 : end;
    }
    return RP_OK;
}

/* Each treated customer's group (an attribute of the copy with a code list: branch, level, ...). */
static int groups(const alloc *x, int **grp, int *ngroups, const char *const **gnames, rp_error *err)
{
    int a = -1;
    for (int q = 0; q < an_nattrs; q++)
        if (!strcmp(an_attrs[q].name, x->a->group_by))
            a = q;
    if (a < 0 || !x->m->code[a])
        return rp_err(err, RP_INVAL, "group-by: '%.40s' is not an attribute with values to group by (branch, level, "
                                     "segment, ...)", x->a->group_by);
    *grp = malloc((x->n ? x->n : 1) * sizeof **grp);
    if (!*grp)
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < x->n; i++) {
        ptrdiff_t row = mk__row(x->m, x->ids[i]);
        (*grp)[i] = row < 0 || !x->m->code[a][row] ? -1 : (int)x->m->code[a][row]; /* code 0: no value, no group */
    }
    *ngroups = (int)x->m->ndict[a];
    *gnames = x->m->dict[a];
    return RP_OK;
}

static json_t *summary(const alloc *x, const mk_opt *p, const mk_opt_result *r)
{
    json_t *cells = json_array();
    for (int k = 0; k < x->k; k++) {
        double ev = 0;
        for (size_t i = 0; i < x->n; i++)
            for (int s = 0; s < r->m; s++)
                if (r->pick[i * (size_t)r->m + (size_t)s] == k)
                    ev += mk__opt_value(p, i, k);
        json_array_append_new(cells, json_pack("{s:s, s:s, s:s, s:I, s:f, s:f}", "cell", x->cell[k], "offer",
                                               x->offer[k], "channel", x->channel[k], "customers",
                                               (json_int_t)r->per_choice[k], "cost", x->cost[k] * (double)r->per_choice[k],
                                               "expected_value", ev));
    }
    json_t *o = json_pack("{s:s, s:i, s:s, s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:o, s:O, s:I, s:I, s:b}", "campaign",
                          x->a->campaign, "level", p->level, "method", r->method, "customers", (json_int_t)x->n,
                          "assigned", (json_int_t)r->assigned, "objective", r->objective, "bound", r->bound, "gap",
                          r->gap, "cost", r->cost, "seconds", r->seconds, "by_cell", cells, "binding",
                          r->binding ? r->binding : json_null(), "ineligible_pairs", (json_int_t)x->ineligible,
                          "scores_not_targets", (json_int_t)x->not_targets, "applied", x->a->apply);
    if (r->greedy > 0)
        json_object_set_new(o, "greedy", json_real(r->greedy));
    return o;
}

/* The draft's targets take the assignment; the change is in the campaign's history. */
static int apply(wh *w, const alloc *x, const mk_opt_result *r, const char *by, rp_error *err)
{
    int rc = wh_begin(w, err);
    for (size_t i = 0; !rc && i < x->n; i++) {
        int k = r->pick[i];
        rc = wh_campaign_target_cell(w, x->a->campaign, x->ids[i], k >= 0 ? x->cell[k] : NULL,
                                     k >= 0 ? x->offer[k] : NULL, k >= 0 ? x->channel[k] : NULL, err);
    }
    char detail[200];
    snprintf(detail, sizeof detail, "optimised (level %d, %s): %lld of %zu treated kept, objective %.2f", x->a->level,
             r->method, (long long)r->assigned, x->n, r->objective);
    if (!rc)
        rc = mk__log(w, x->a->campaign, by, "optimise", "draft", "draft", detail, err);
    if (!rc)
        rc = wh_commit(w, err);
    else
        wh_rollback(w);
    return rc;
}

static int solve(wh *w, alloc *x, mk_opt *p, const char *by, json_t *extra, json_t **out, rp_error *err)
{
    const mk_allocation *a = x->a;
    int *grp = NULL;
    double *cv = NULL;
    int rc = RP_OK;
    if (a->level == 3) {
        const char *attr = a->value_attr ? a->value_attr : "profit";
        int q = -1;
        for (int t = 0; t < an_nattrs; t++)
            if (!strcmp(an_attrs[t].name, attr))
                q = t;
        if (q < 0 || x->m->code[q])
            return rp_err(err, RP_INVAL, "value: '%.40s' is not a numeric attribute of a customer", attr);
        if (!(cv = malloc((x->n ? x->n : 1) * sizeof *cv)))
            return rp_err(err, RP_NOMEM, NULL);
        for (size_t i = 0; i < x->n; i++) {
            ptrdiff_t row = mk__row(x->m, x->ids[i]);
            cv[i] = row < 0 || isnan(x->m->num[q][row]) ? 0 : x->m->num[q][row];
        }
        p->cust_value = cv;
    }
    if (a->group_by && (rc = groups(x, &grp, &p->ngroups, &p->group_names, err))) {
        free(cv);
        return rc;
    }
    p->group = grp;
    mk_opt_result r;
    if (!(rc = mk_optimise(p, &r, err))) {
        if (a->apply)
            rc = apply(w, x, &r, by, err);
        if (!rc) {
            *out = summary(x, p, &r);
            json_object_update(*out, extra);
        }
        mk_opt_result_free(&r);
    }
    free(cv), free(grp);
    return rc;
}

int mk_allocate(wh *w, const mk_mart *m, const mk_allocation *a, const char *by, json_t **out, rp_error *err)
{
    if (a->per_customer > 1)
        return rp_err(err, RP_INVAL, "per-customer: a campaign gives each customer one cell; more offers to one "
                                     "customer are more campaigns");
    if (!a->scores && !a->models)
        return rp_err(err, RP_INVAL, "scores: a file of customer, cell (or offer) and score, or models (CELL=MODEL), "
                                     "is required");
    alloc *x = calloc(1, sizeof *x);
    if (!x)
        return rp_err(err, RP_NOMEM, NULL);
    x->a = a, x->m = m;
    int rc = design(w, x, err);
    if (!rc)
        rc = wh_campaign_outcomes(w, a->campaign, treated, x, err);
    if (!rc && !(x->score = malloc((x->n ? x->n : 1) * (size_t)(x->k ? x->k : 1) * sizeof *x->score)))
        rc = rp_err(err, RP_NOMEM, NULL);
    for (size_t q = 0; !rc && q < x->n * (size_t)x->k; q++)
        x->score[q] = -2.0f; /* not given yet */
    json_t *extra = json_object(), *used = json_object(), *taken = json_object();
    if (!rc)
        rc = models(w, x, used, err);
    if (!rc && a->scores)
        rc = read_scores(x, err);
    if (!rc)
        eligibility(x);
    mk_opt p = { .n = x->n, .k = x->k, .score = x->score, .value = x->value, .cost = x->cost, .channel = x->chan,
                 .names = x->names, .channel_names = mk_channels, .level = a->level ? a->level : 4, .per_customer = 1,
                 .budget = a->budget, .group_max = a->group_max, .method = a->method };
    int64_t given[MK_OPT_CHANNELS]; /* the caller's capacities (-1: not given; 0: no limit) */
    for (int c = 0; c < MK_OPT_CHANNELS; c++)
        given[c] = -1;
    if (!rc && !(rc = pairs(x, "min", a->mins, 0, p.min, err)) && !(rc = pairs(x, "max", a->maxes, 0, p.max, err)) &&
        !(rc = pairs(x, "capacity", a->capacities, 1, given, err)) &&
        !(rc = p.level == 4 ? table_capacity(w, x, p.capacity, given, taken, err) : RP_OK)) {
        for (int c = 0; c < MK_OPT_CHANNELS; c++)
            if (given[c] > 0)
                p.capacity[c] = given[c];
        if (json_object_size(used))
            json_object_set(extra, "models", used);
        if (json_object_size(taken))
            json_object_set(extra, "capacity_from_table", taken);
        rc = solve(w, x, &p, by, extra, out, err);
    }
    json_decref(extra), json_decref(used), json_decref(taken);
    free(x->ids), free(x->score), free(x);
    return rc;
}
