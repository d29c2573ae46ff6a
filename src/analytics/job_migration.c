/* job_migration.c — migration (DOMAIN M6): pyramid levels or segments now
 * and in the window of the same length before, the matrix of movements,
 * each customer's move (customer_segment), and the rules of joining,
 * leaving and staying mined from what customers had before. */
#include "analytics/change.h"
#include "analytics/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

an_job_fn an_migration_job;

/* What a customer had in the earlier period, as rule conditions. */
enum { F_BRANCH, F_ATM, F_INTERNET, F_MOBILE, F_PHONE, F_POS, F_CARD, F_LOAN, F_TD, F_INVEST, F_PRODUCTS3,
       F_AGE_U30, F_AGE_30, F_AGE_45, F_AGE_60, F_NEWISH, F_FEMALE, F_MALE, F_DIGITAL, F_QUIET, F_NFEAT };
static const char *const feature_words[F_NFEAT] = {
    "uses branch counters", "uses ATMs", "uses internet banking", "uses mobile banking", "uses phone banking",
    "pays by card in shops", "holds a card", "holds a loan", "holds a time deposit", "holds investments",
    "holds 3 or more products", "is under 30", "is 30 to 44", "is 45 to 59", "is 60 or over",
    "has been a customer under 2 years", "is a woman", "is a man", "does most of it online (half or more)",
    "made no transaction of their own in the last 90 days",
};

static uint32_t features_of(const an_attrs_ctx *a, size_t i)
{
    const an_customer *c = &a->d->base.cust[i];
    const an_window *w = &c->w[a->w];
    uint32_t f = 0;
    static const int ch[6] = { AN_CH_BRANCH, AN_CH_ATM, AN_CH_INTERNET, AN_CH_MOBILE, AN_CH_PHONE, AN_CH_POS };
    for (int k = 0; k < 6; k++)
        if (w->n[ch[k]])
            f |= 1u << (F_BRANCH + k);
    if (c->holds >> AN_K_CARD & 1) f |= 1u << F_CARD;
    if (c->holds >> AN_K_LOAN & 1) f |= 1u << F_LOAN;
    if (c->holds >> AN_K_TIME_DEPOSIT & 1) f |= 1u << F_TD;
    if (c->holds >> AN_K_INVESTMENT & 1) f |= 1u << F_INVEST;
    if (c->products >= 3) f |= 1u << F_PRODUCTS3;
    int age = an_age(c->birth, a->as_of);
    if (age >= 0)
        f |= 1u << (age < 30 ? F_AGE_U30 : age < 45 ? F_AGE_30 : age < 60 ? F_AGE_45 : F_AGE_60);
    int ten = an_age(c->since, a->as_of);
    if (ten >= 0 && ten < 2) f |= 1u << F_NEWISH;
    if (c->gender == 'F') f |= 1u << F_FEMALE;
    if (c->gender == 'M') f |= 1u << F_MALE;
    double ds = an_digital_share(w);
    if (!isnan(ds) && ds >= 0.5) f |= 1u << F_DIGITAL;
    if (a->recency[i] < 0 || a->recency[i] > 90) f |= 1u << F_QUIET;
    return f;
}

static json_t *rules_json(const an_rule *r, int nr)
{
    json_t *a = json_array();
    for (int i = 0; i < nr; i++) {
        char cond[192];
        if (r[i].f2 < 0)
            snprintf(cond, sizeof cond, "%s", feature_words[r[i].f1]);
        else
            snprintf(cond, sizeof cond, "%s and %s", feature_words[r[i].f1], feature_words[r[i].f2]);
        json_array_append_new(a, json_pack("{s:s, s:I, s:o, s:f}", "if", cond, "customers", (json_int_t)r[i].support,
                                           "confidence_%", an_pct(r[i].confidence), "lift",
                                           round(r[i].lift * 100) / 100));
    }
    return a;
}

/* Groups: the levels or segments, then "unassigned" (segments only), then
 * "new" (not a customer before). */
typedef struct migration {
    const char *by;
    an_segment_set set;
    const char *segfile;
    an_valued d;
    size_t n;
    uint8_t *from, *to;          /* each customer's group before and now */
    uint32_t *feat;              /* what each had before (F_*) */
    int16_t *seg;
    int64_t *val;                /* the measure now */
    int ng, newg;
    char gname[AN_MAX_SEGMENTS + 2][64];
    an_matrix mx;
} migration;

/* Each customer's group in both windows (1 the earlier), and what they had before. */
/* A group's name into its 64 bytes, cut if longer (snprintf here made gcc
 * -O1 see an overlap between two members of one struct). */
static void name_copy(char dst[64], const char *src)
{
    size_t n = strnlen(src, 63);
    memcpy(dst, src, n);
    dst[n] = 0;
}

static int assign_groups(migration *m, const an_job_opts *o, rp_error *err)
{
    size_t n = m->n;
    an_attrs_ctx a;
    an_segment_check chk;
    int rc = RP_OK;
    for (int w = 1; w >= 0 && !rc; w--) {
        if ((rc = an_attrs_compute(&a, &m->d, o, w, err)))
            break;
        uint8_t *dst = w ? m->from : m->to;
        if (m->by[0] == 'p') {
            m->ng = m->d.py.nlevels;
            for (int l = 0; l < m->ng; l++)
                name_copy(m->gname[l], m->d.py.level[l].name);
            for (size_t i = 0; i < n; i++)
                dst[i] = m->d.level[i];
        } else {
            rc = an_segments_assign(&m->set, an_attr_get, &a, n, m->seg, &chk, err);
            an_segment_check_free(&chk);
            m->ng = m->set.n + 1;
            for (int l = 0; l < m->set.n; l++)
                name_copy(m->gname[l], m->set.name[l]);
            snprintf(m->gname[m->set.n], sizeof m->gname[m->set.n], "(none or several)");
            for (size_t i = 0; !rc && i < n; i++)
                dst[i] = (uint8_t)(m->seg[i] >= 0 ? m->seg[i] : m->set.n);
        }
        if (w == 1)
            for (size_t i = 0; i < n; i++)
                m->feat[i] = features_of(&a, i);
        else
            memcpy(m->val, m->d.measure, n * sizeof *m->val);
        an_attrs_free(&a);
    }
    return rc;
}

/* The matrix: a row per earlier group (and "new"), a column per group now;
 * *moved counts those who changed group, *total all. */
static json_t *matrix_table(const migration *m, json_t **values, size_t *moved, size_t *total)
{
    int ng = m->ng, newg = m->newg;
    json_t *cols = json_array();
    json_array_append_new(cols, json_string("from \\ to"));
    for (int g = 0; g < ng; g++)
        json_array_append_new(cols, json_string(m->gname[g]));
    json_array_append_new(cols, json_string("stayed_%"));
    json_t *tab = json_pack("{s:o, s:[]}", "columns", cols, "rows");
    *values = json_array();
    *moved = *total = 0;
    for (int f = 0; f <= ng; f++) {
        json_t *row = json_array(), *vrow = json_array();
        json_array_append_new(row, json_string(m->gname[f]));
        size_t rowsum = 0;
        for (int t = 0; t < ng; t++) {
            size_t c = m->mx.count[f * (ng + 1) + t];
            rowsum += c;
            if (f != t && f != newg)
                *moved += c;
            json_array_append_new(row, json_integer((json_int_t)c));
            json_array_append_new(vrow, an_money(m->mx.value[f * (ng + 1) + t]));
        }
        *total += rowsum;
        json_array_append_new(row, f == newg || !rowsum
                                       ? json_null()
                                       : an_pct((double)m->mx.count[f * (ng + 1) + f] / (double)rowsum));
        an_table_add(tab, row);
        json_array_append_new(*values, vrow);
    }
    return tab;
}

/* Rules for joining, leaving and staying, per group. */
static int mine_rules(const migration *m, json_t *rules, rp_error *err)
{
    size_t n = m->n, nn = n ? n : 1;
    uint8_t *pop = malloc(nn), *tgt = malloc(nn);
    an_rule best[3];
    int rc = !pop || !tgt ? rp_err(err, RP_NOMEM, NULL) : RP_OK;
    for (int g = 0; g < m->ng && !rc; g++) {
        for (int kind = 0; kind < 3 && !rc; kind++) {
            /* 0 staying, 1 leaving: those in g before; 2 joining: those not in g before */
            size_t np = 0;
            for (size_t i = 0; i < n; i++) {
                pop[i] = kind < 2 ? m->from[i] == g : m->from[i] != g;
                tgt[i] = kind == 0 ? m->to[i] == g : kind == 1 ? m->to[i] != g : m->to[i] == g;
                np += pop[i];
            }
            size_t minsup = np / 100 > 20 ? np / 100 : 20;
            int nr;
            double base;
            rc = an_rules_mine(m->feat, F_NFEAT, pop, tgt, n, minsup, best, 3, &nr, &base, err);
            if (!rc && nr)
                json_array_append_new(rules, json_pack("{s:s, s:s, s:I, s:o, s:o}", "group", m->gname[g], "outcome",
                                                       kind == 0 ? "staying" : kind == 1 ? "leaving" : "joining",
                                                       "population", (json_int_t)np, "base_rate_%", an_pct(base),
                                                       "rules", rules_json(best, nr)));
        }
    }
    free(pop), free(tgt);
    return rc;
}

/* The base of both windows, the groups, the matrix; *params the run's. */
static int migration_compute(migration *m, wh *w, const an_job_opts *o, json_t **params, rp_error *err)
{
    int months = o->months > 0 ? o->months : 12;
    int rc = an_valued_params(&m->d, o, err);
    if (rc)
        return rc;
    an_base_params bp;
    an_base_params_of(o, &bp);
    bp.windows = 2;
    bp.to[0] = o->as_of + 1;
    bp.from[0] = an_months_back(o->as_of, months) + 1;
    bp.to[1] = bp.from[0];
    bp.from[1] = an_months_back(bp.to[1] - 1, months) + 1;
    if ((rc = an_base_get(w, o, &bp, &m->d.base, err)))
        return rc;
    size_t n = m->n = m->d.base.ncust, nn = n ? n : 1;
    m->from = malloc(nn), m->to = malloc(nn);
    m->feat = malloc(nn * sizeof *m->feat);
    m->seg = malloc(nn * sizeof *m->seg);
    m->val = malloc(nn * sizeof *m->val);
    if (!m->from || !m->to || !m->feat || !m->seg || !m->val)
        return rp_err(err, RP_NOMEM, NULL);
    if ((rc = assign_groups(m, o, err)))
        return rc;
    m->newg = m->ng;
    snprintf(m->gname[m->newg], sizeof m->gname[m->newg], "new");
    for (size_t i = 0; i < n; i++)
        if (m->d.base.cust[i].since != AN_NO_DAY && m->d.base.cust[i].since >= bp.to[1])
            m->from[i] = (uint8_t)m->newg;
    char f0[RP_DATE_LEN], f1[RP_DATE_LEN], t1[RP_DATE_LEN];
    an_day_text(bp.from[0], f0);
    an_day_text(bp.from[1], f1);
    an_day_text(bp.to[1] - 1, t1);
    *params = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s}", "by", m->by, "months", months, "measure",
                        m->d.measure_name, "from", f0, "previous_from", f1, "previous_to", t1);
    if (m->segfile)
        json_object_set_new(*params, "segments", json_string(m->segfile));
    return an_migration(m->from, m->to, m->val, n, m->ng + 1, &m->mx, err);
}

int an_migration_job(wh *w, const an_job_opts *o, json_t **summary, rp_error *err)
{
    migration m = { .by = o->by ? o->by : "pyramid" };
    if (strcmp(m.by, "pyramid") && strcmp(m.by, "segment"))
        return rp_err(err, RP_INVAL, "--by: '%s' is not pyramid or segment", m.by);
    m.set.else_index = -1;
    int rc = RP_OK;
    if (m.by[0] == 's' && (rc = an_segments_load(o, &m.set, &m.segfile, err)))
        return rc;
    if (m.by[0] == 's' && m.set.nmodels) { /* a scoring is of one day: it has no year before to move from */
        rc = rp_err(err, RP_INVAL, "%s: score('%s'): migration compares a year with the one before, and a model's "
                    "scores are of the day it scored", m.segfile, m.set.model[0]);
        an_segments_free(&m.set);
        return rc;
    }
    json_t *params = NULL, *sum = NULL;
    an_run r;
    if ((rc = migration_compute(&m, w, o, &params, err)) || (rc = an_run_begin(w, o, params, &r, err)))
        goto out;
    json_t *values, *rules = json_array();
    size_t moved, total;
    json_t *tab = matrix_table(&m, &values, &moved, &total);
    rc = mine_rules(&m, rules, err);
    for (size_t i = 0; o->save && !rc && i < m.n; i++) {
        char move[140];
        snprintf(move, sizeof move, "%s -> %s", m.gname[m.from[i]], m.gname[m.to[i]]);
        rc = an_segment_insert(&r, m.d.base.cust[i].id, move, err);
    }
    char head[256];
    snprintf(head, sizeof head, "%zu of %zu customers moved between %s%s since the previous %d months", moved, total,
             m.by[0] == 'p' ? "pyramid levels" : "segments", "", o->months > 0 ? o->months : 12);
    sum = json_pack("{s:s, s:o, s:o, s:o}", "headline", head, "value_matrix", values, "rules", rules, "table", tab);
    if (rc) {
        an_run_abort(&r);
        json_decref(sum);
        sum = NULL;
    } else {
        rc = an_run_end(&r, sum, m.n, err);
    }
out:
    an_matrix_free(&m.mx);
    json_decref(params);
    free(m.from), free(m.to), free(m.feat), free(m.seg), free(m.val);
    an_valued_free(&m.d);
    an_segments_free(&m.set);
    return an_hand_over(rc, sum, summary);
}
