/* change.c — gains and losses, migration and its rules.  See change.h. */
#include "analytics/change.h"

#include <stdlib.h>
#include <string.h>

const char *const an_gl_names[AN_GL_N] = { "none", "same", "more", "less", "new", "returning", "lapsed" };
const char *const an_glc_names[AN_GLC_N] = { "spending same (base)", "spending more (gain)", "activated",
                                             "spending less (actual)", "final total", "spending less (lost)",
                                             "lapsed", "potential total" };

an_gl_class an_gl_classify(const an_gl_in *c, double t)
{
    if (c->prev <= 0 && c->cur <= 0)
        return AN_GL_NONE;
    if (c->prev <= 0)
        return c->ever_before ? AN_GL_RETURNING : AN_GL_NEW;
    if (c->cur <= 0)
        return AN_GL_LAPSED;
    double p = (double)c->prev, v = (double)c->cur;
    if (v > p * (1 + t))
        return AN_GL_MORE;
    if (v < p * (1 - t))
        return AN_GL_LESS;
    return AN_GL_SAME;
}

static void add(an_gl_cell *c, int64_t tx, int64_t v, int32_t rec)
{
    c->customers++;
    c->transactions += tx;
    c->value += v;
    c->recency_days += rec < 0 ? 0 : rec; /* a sum until the end */
}

int an_gains_losses(const an_gl_in *in, size_t n, double tol, an_gl_table *out, an_gl_class *cls, rp_error *err)
{
    if (!(tol >= 0 && tol < 1))
        return rp_err(err, RP_INVAL, "gains and losses: tolerance %g is not from 0 to under 1", tol);
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        const an_gl_in *c = &in[i];
        an_gl_class k = an_gl_classify(c, tol);
        if (cls)
            cls[i] = k;
        out->counts[k]++;
        switch (k) {
        case AN_GL_SAME:
            add(&out->col[AN_GLC_SAME], c->cur_n, c->cur, c->recency_days);
            break;
        case AN_GL_MORE:
            add(&out->col[AN_GLC_MORE], c->cur_n, c->cur, c->recency_days);
            break;
        case AN_GL_NEW:
        case AN_GL_RETURNING:
            add(&out->col[AN_GLC_ACTIVATED], c->cur_n, c->cur, c->recency_days);
            break;
        case AN_GL_LESS:
            add(&out->col[AN_GLC_LESS_ACTUAL], c->cur_n, c->cur, c->recency_days);
            add(&out->col[AN_GLC_LESS_LOST], c->prev_n - c->cur_n, c->prev - c->cur, c->recency_days);
            break;
        case AN_GL_LAPSED:
            add(&out->col[AN_GLC_LAPSED], c->prev_n, c->prev, c->recency_days);
            break;
        default:
            break;
        }
    }
    an_gl_cell *f = &out->col[AN_GLC_FINAL], *p = &out->col[AN_GLC_POTENTIAL];
    for (int k = AN_GLC_SAME; k <= AN_GLC_LESS_ACTUAL; k++) {
        f->customers += out->col[k].customers;
        f->transactions += out->col[k].transactions;
        f->value += out->col[k].value;
        f->recency_days += out->col[k].recency_days;
    }
    *p = *f;
    p->transactions += out->col[AN_GLC_LESS_LOST].transactions + out->col[AN_GLC_LAPSED].transactions;
    p->value += out->col[AN_GLC_LESS_LOST].value + out->col[AN_GLC_LAPSED].value;
    p->customers += out->col[AN_GLC_LAPSED].customers; /* the "less" customers are counted once */
    p->recency_days += out->col[AN_GLC_LAPSED].recency_days;
    for (int k = 0; k < AN_GLC_N; k++)
        if (out->col[k].customers)
            out->col[k].recency_days /= (double)out->col[k].customers;
    return RP_OK;
}

int an_migration(const uint8_t *from, const uint8_t *to, const int64_t *value, size_t n, int g, an_matrix *out,
                 rp_error *err)
{
    memset(out, 0, sizeof *out);
    if (g < 1 || g > 64)
        return rp_err(err, RP_INVAL, "migration: %d groups (1 to 64)", g);
    out->ngroups = g;
    out->count = calloc((size_t)(g * g), sizeof *out->count);
    out->value = calloc((size_t)(g * g), sizeof *out->value);
    if (!out->count || !out->value) {
        an_matrix_free(out);
        return rp_err(err, RP_NOMEM, NULL);
    }
    for (size_t i = 0; i < n; i++) {
        if (from[i] >= g || to[i] >= g) {
            an_matrix_free(out);
            return rp_err(err, RP_INVAL, "migration: customer %zu is in group %d, of %d", i,
                          from[i] >= g ? from[i] : to[i], g);
        }
        out->count[from[i] * g + to[i]]++;
        out->value[from[i] * g + to[i]] += value[i];
    }
    return RP_OK;
}

void an_matrix_free(an_matrix *m)
{
    free(m->count);
    free(m->value);
    m->count = NULL;
    m->value = NULL;
}

static int better(const an_rule *a, const an_rule *b)
{
    return a->lift > b->lift || (a->lift == b->lift && a->support > b->support);
}

static void keep(an_rule *rules, int max, int *nr, const an_rule *r)
{
    int at = *nr;
    while (at > 0 && better(r, &rules[at - 1]))
        at--;
    if (at >= max)
        return;
    int last = *nr < max ? *nr : max - 1;
    memmove(&rules[at + 1], &rules[at], (size_t)(last - at) * sizeof *rules);
    rules[at] = *r;
    if (*nr < max)
        (*nr)++;
}

int an_rules_mine(const uint32_t *features, int nf, const uint8_t *in_pop, const uint8_t *target, size_t n,
                  size_t min_support, an_rule *rules, int max_rules, int *nrules, double *base_rate, rp_error *err)
{
    *nrules = 0;
    *base_rate = 0;
    if (nf < 1 || nf > 32)
        return rp_err(err, RP_INVAL, "rules: %d features (1 to 32)", nf);
    if (max_rules < 1)
        return RP_OK;
    /* support and hits of every single feature and pair, in one pass */
    size_t *sup = calloc((size_t)(nf * nf), sizeof *sup), *hit = calloc((size_t)(nf * nf), sizeof *hit);
    if (!sup || !hit) {
        free(sup), free(hit);
        return rp_err(err, RP_NOMEM, NULL);
    }
    size_t pop = 0, pos = 0;
    for (size_t i = 0; i < n; i++) {
        if (!in_pop[i])
            continue;
        pop++;
        pos += target[i] != 0;
        uint32_t f = features[i];
        for (int a = 0; a < nf; a++) {
            if (!(f >> a & 1))
                continue;
            for (int b = a; b < nf; b++)
                if (f >> b & 1) {
                    sup[a * nf + b]++;
                    hit[a * nf + b] += target[i] != 0;
                }
        }
    }
    if (!pop) {
        free(sup), free(hit);
        return RP_OK;
    }
    double base = (double)pos / (double)pop;
    *base_rate = base;
    for (int a = 0; a < nf && base > 0; a++)
        for (int b = a; b < nf; b++) {
            size_t s = sup[a * nf + b];
            if (s < min_support || !s)
                continue;
            an_rule r = { a, a == b ? -1 : b, s, hit[a * nf + b], 0, 0 };
            r.confidence = (double)r.hits / (double)s;
            r.lift = r.confidence / base;
            if (r.lift <= 1)
                continue;
            if (b != a) {
                double la = sup[a * nf + a] ? (double)hit[a * nf + a] / (double)sup[a * nf + a] / base : 0;
                double lb = sup[b * nf + b] ? (double)hit[b * nf + b] / (double)sup[b * nf + b] / base : 0;
                if (r.lift <= la || r.lift <= lb)
                    continue;
            }
            keep(rules, max_rules, nrules, &r);
        }
    free(sup), free(hit);
    return RP_OK;
}

/* ---- data quality (quality.h) ---- */
#include "analytics/quality.h"
#include "analytics/value.h"
#include "core/sort.h"

/* The party's own columns by their names in WH_PARTY_ATTRS; name (either
 * name), identity_number, phone, email and address are not party columns
 * (identifiers and contact points), so they are spelled here. */
const char *const an_q_fields[AN_Q_NFIELDS] = {
    [AN_Q_NAME] = "name",
    [AN_Q_NAME_ZH] = AN_PARTY_ATTR(name_zh),
    [AN_Q_NAME_LATIN] = AN_PARTY_ATTR(name_latin),
    [AN_Q_BIRTH] = AN_PARTY_ATTR(birth_date),
    [AN_Q_GENDER] = AN_PARTY_ATTR(gender),
    [AN_Q_OCCUPATION] = AN_PARTY_ATTR(occupation),
    [AN_Q_INCOME] = AN_PARTY_ATTR(income_band),
    [AN_Q_BRANCH] = AN_PARTY_ATTR(home_branch),
    [AN_Q_ID] = "identity_number",
    [AN_Q_PHONE] = "phone",
    [AN_Q_EMAIL] = "email",
    [AN_Q_ADDRESS] = "address",
};

typedef struct qkey {
    uint64_t key;
    uint32_t row;
} qkey;

int an_quality(an_q_row *rows, size_t n, int ns, an_q_source *out, rp_error *err)
{
    memset(out, 0, (size_t)ns * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        if (rows[i].source >= (uint32_t)ns)
            return rp_err(err, RP_INVAL, "quality: row %zu has source %u of %d", i, rows[i].source, ns);
        an_q_source *s = &out[rows[i].source];
        s->records++;
        for (int f = 0; f < AN_Q_NFIELDS; f++)
            s->present[f] += rows[i].fields >> f & 1;
    }
    /* duplicates within a source: sort by (customer, source) */
    qkey *k = malloc((n ? n : 1) * sizeof *k);
    if (!k)
        return rp_err(err, RP_NOMEM, NULL);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (rows[i].customer > 0)
            k[m++] = (qkey){ (uint64_t)rows[i].customer << 8 | (rows[i].source & 0xff), (uint32_t)i };
    if (rp_sort_by_u64(k, m, sizeof *k, offsetof(qkey, key))) {
        free(k);
        return rp_err(err, RP_NOMEM, NULL);
    }
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j < m && k[j].key == k[i].key)
            j++;
        if (j - i > 1)
            out[rows[k[i].row].source].duplicates += j - i;
        i = j;
    }
    free(k);
    return RP_OK;
}
