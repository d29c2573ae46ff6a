/* labels.c — precision where no truth exists (`rapport match sample`): a
 * random sample of the links, stratified by score, for a person to label,
 * and the precision the labels estimate.  See match.h. */
#include "match/internal.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/reader.h"
#include "core/rtime.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const strata[MT_STRATA] = { "same national ID", "0.9999 to 1", "0.99 to 0.9999",
                                                "below 0.99" };

const char *mt_stratum_name(int s) { return s >= 0 && s < MT_STRATA ? strata[s] : "?"; }

static int stratum_of(const mt_pair *q)
{
    if (q->decision == MT_SAME_ID)
        return 0;
    return q->prob >= 0.9999f ? 1 : q->prob >= 0.99f ? 2 : 3;
}

/* ---- drawing the sample ---- */

static uint64_t next_random(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 11;
}

/* The record as a person reads it into row: source:key, names, birth date, under the prefix */
static void describe(const mt_records *m, const mt_shown *sh, uint32_t i, const char *px, json_t *row)
{
    const mt_rec *r = &m->r[i];
    char day[11] = "", key[200], name[32];
    if (r->birth != INT32_MIN)
        rp_date_format(rp_civil_from_days(r->birth), day);
    snprintf(key, sizeof key, "%s:%s", m->sources[r->source], mt_text(m, r->key));
    json_object_set_new(row, px, json_string(key));
    snprintf(name, sizeof name, "%s_name_zh", px);
    const char *zh = mt_shown_name(sh, r, 0), *latin = mt_shown_name(sh, r, 1); /* as its source gave them */
    json_object_set_new(row, name, json_string(zh ? zh : ""));
    snprintf(name, sizeof name, "%s_name_latin", px);
    json_object_set_new(row, name, json_string(latin ? latin : ""));
    snprintf(name, sizeof name, "%s_birth", px);
    json_object_set_new(row, name, json_string(day));
}

static void evidence_text(const mt_records *m, const mt_pair *q, char *out, size_t n)
{
    json_t *ev = mt_evidence(m, q, NULL);
    size_t o = 0;
    *out = 0;
    for (int f = 0; f < MT_FIELDS && o < n; f++) {
        const char *w = json_string_value(json_object_get(ev, mt_field_name(f)));
        if (w && strcmp(w, "missing"))
            o += (size_t)snprintf(out + o, n - o, "%s%s %s", o ? "; " : "", mt_field_name(f), w);
    }
    json_decref(ev);
}

static json_t *sample_row(const mt_records *m, const mt_shown *sh, const mt_result *r, size_t i, int n,
                          const size_t *links)
{
    const mt_pair *q = &r->pairs[i];
    int s = stratum_of(q);
    char ev[400];
    json_t *row = json_pack("{s:i, s:s, s:I, s:f}", "sample", n, "stratum", strata[s], "stratum_links",
                            (json_int_t)links[s], "probability", (double)q->prob);
    describe(m, sh, q->a, "a", row);
    describe(m, sh, q->b, "b", row);
    evidence_text(m, q, ev, sizeof ev);
    json_object_set_new(row, "evidence", json_string(ev));
    return row;
}

const char *const mt_sample_columns[] = { "sample", "a", "a_name_zh", "a_name_latin", "a_birth", "b",
                                          "b_name_zh", "b_name_latin", "b_birth", "evidence", "stratum",
                                          "stratum_links", "probability", "label", NULL };

int mt_sample_csv(const json_t *pairs, FILE *out, rp_error *err)
{
    rp_buf b = RP_BUF_INIT;
    for (int c = 0; mt_sample_columns[c]; c++)
        rp_csv_field(&b, mt_sample_columns[c], strlen(mt_sample_columns[c]), c == 0);
    rp_csv_end_row(&b);
    size_t i;
    json_t *row;
    json_array_foreach(pairs, i, row) {
        for (int c = 0; mt_sample_columns[c]; c++) {
            json_t *v = json_object_get(row, mt_sample_columns[c]);
            char num[32];
            const char *t = json_is_string(v) ? json_string_value(v) : "";
            if (json_is_integer(v))
                snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v)), t = num;
            else if (json_is_real(v))
                snprintf(num, sizeof num, "%.6f", json_real_value(v)), t = num;
            rp_csv_field(&b, t, strlen(t), c == 0);
        }
        rp_csv_end_row(&b);
    }
    int rc = fwrite(b.data, 1, b.len, out) == b.len ? RP_OK : rp_err(err, RP_IO, "the sample could not be written");
    rp_buf_release(&b);
    return rc;
}

/* Up to per links of each stratum, drawn at random (a partial Fisher-Yates over the stratum's pairs, which
 * r's pairs are sorted by: each stratum a run of them). */
static int by_stratum(const void *a, const void *b)
{
    int x = stratum_of(a), y = stratum_of(b);
    return (x > y) - (x < y);
}

static int draw(mt_result *r, size_t per, uint64_t seed, size_t links[MT_STRATA], size_t **picked, size_t *npicked,
                rp_error *err)
{
    size_t *out = malloc((per * MT_STRATA + 1) * sizeof *out), k = 0, at = 0;
    if (!out)
        return rp_err(err, RP_NOMEM, NULL);
    qsort(r->pairs, r->npairs, sizeof *r->pairs, by_stratum);
    for (size_t i = 0; i < r->npairs; i++)
        links[stratum_of(&r->pairs[i])]++;
    uint64_t st = seed * 2654435761ULL + 1;
    for (int s = 0; s < MT_STRATA; s++) {
        mt_pair *base = r->pairs + at;
        for (size_t j = 0; j < per && j < links[s]; j++) {
            size_t pick = j + (size_t)(next_random(&st) % (links[s] - j));
            mt_pair t = base[j];
            base[j] = base[pick];
            base[pick] = t;
            out[k++] = at + j;
        }
        at += links[s];
    }
    *picked = out;
    *npicked = k;
    return RP_OK;
}

static int by_person(const void *a, const void *b, void *ctx)
{
    const mt_records *m = ctx;
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    int64_t x = m->r[i].person, y = m->r[j].person;
    return x != y ? (x > y) - (x < y) : (i > j) - (i < j); /* a customer's first records: the same every time */
}

enum { SAMPLE_CUSTOMER_MAX = 200 }; /* records of one customer paired for the sample (its first ones) */

/* The links as the store has them — every two source records of one customer, people's decisions
 * included — scored with the last full run's model. */
static int store_links(wh *w, mt_romaniser *ro, mt_records *m, mt_result *r, rp_error *err)
{
    mt_params prm = MT_PARAMS_DEFAULT;
    mt_model model;
    int have = 0, rc = mt_records_load(w, ro, m, err);
    if (rc || (rc = mt_last_model(w, m->spec ? m->spec : mt_spec_defaults(), &prm, &model, &have, err)))
        return rc;
    if (!have)
        return rp_err(err, RP_NOTFOUND, "no full matching run with this matching specification to sample: run "
                                        "rapport match (with the same --spec) first");
    uint32_t *ix = malloc((m->n ? m->n : 1) * sizeof *ix);
    if (!ix)
        return rp_err(err, RP_NOMEM, NULL);
    size_t n = 0, np = 0, cap = 0;
    for (size_t i = 0; i < m->n; i++)
        if (m->r[i].person)
            ix[n++] = (uint32_t)i;
    qsort_r(ix, n, sizeof *ix, by_person, m);
    for (size_t i = 0; i < n && !rc;) {
        size_t j = i;
        while (j < n && m->r[ix[j]].person == m->r[ix[i]].person)
            j++;
        size_t k = j - i > SAMPLE_CUSTOMER_MAX ? SAMPLE_CUSTOMER_MAX : j - i;
        for (size_t a = 0; a < k && !rc; a++)
            for (size_t b = a + 1; b < k && !rc; b++) {
                if (np == cap) {
                    cap = cap ? cap * 2 : 4096;
                    mt_pair *nr = realloc(r->pairs, cap * sizeof *nr);
                    if (!nr) {
                        rc = rp_err(err, RP_NOMEM, NULL);
                        break;
                    }
                    r->pairs = nr;
                }
                mt_pair *q = &r->pairs[np++];
                memset(q, 0, sizeof *q);
                q->a = ix[i + a] < ix[i + b] ? ix[i + a] : ix[i + b];
                q->b = ix[i + a] < ix[i + b] ? ix[i + b] : ix[i + a];
                mt_compare_pair(m, &model, q);
            }
        i = j;
    }
    r->npairs = np;
    free(ix);
    return rc;
}

int mt_sample(wh *w, const mt_spec *spec, size_t size, uint64_t seed, json_t **pairs, size_t links[MT_STRATA],
              rp_error *err)
{
    memset(links, 0, MT_STRATA * sizeof *links);
    *pairs = NULL;
    if (size < MT_STRATA || size > 100000)
        return rp_err(err, RP_INVAL, "size: %zu is not from %d to 100,000 pairs", size, MT_STRATA);
    mt_romaniser *ro;
    int rc = mt_romaniser_open(&ro, err);
    if (rc)
        return rc;
    mt_records m;
    mt_records_init(&m);
    m.spec = spec;
    mt_result r;
    memset(&r, 0, sizeof r);
    size_t *picked = NULL, n = 0;
    if (!(rc = store_links(w, ro, &m, &r, err)) &&
        !(rc = draw(&r, (size + MT_STRATA - 1) / MT_STRATA, seed, links, &picked, &n, err)) && !n)
        rc = rp_err(err, RP_NOTFOUND, "no customer is made of two source records: nothing to sample");
    mt_shown shown;
    memset(&shown, 0, sizeof shown);
    if (!rc && !(rc = mt_shown_load(w, &m, &r, picked, n, &shown, err))) {
        *pairs = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(*pairs, sample_row(&m, &shown, &r, picked[i], (int)i + 1, links));
    }
    mt_shown_free(&shown);
    free(picked);
    mt_result_free(&r);
    mt_records_free(&m);
    mt_romaniser_close(ro);
    return rc;
}

/* ---- the estimate from the labels ---- */

/* 1 same, 0 different, -1 not labelled yet, -2 not a label */
static int label_of(const char *s, size_t n)
{
    static const char *const same[] = { "same", "yes", "y", "1", "true", "match", "是", "同一人", NULL };
    static const char *const diff[] = { "different", "no", "n", "0", "false", "no match", "否", "不同人", NULL };
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (!n)
        return -1;
    for (int k = 0; same[k]; k++)
        if (strlen(same[k]) == n && !strncasecmp(s, same[k], n))
            return 1;
    for (int k = 0; diff[k]; k++)
        if (strlen(diff[k]) == n && !strncasecmp(s, diff[k], n))
            return 0;
    return -2;
}

static int column(const reader *r, const char *path, const char *name, int *col, rp_error *err)
{
    if ((*col = rd_column(r, (const char *const[]){ name, NULL })) >= 0)
        return RP_OK;
    return rp_err(err, RP_INVAL, "%s: the header has no column '%s' (a sample rapport match sample wrote has it)",
                  path, name);
}

int mt_estimate_add(mt_estimate *e, const char *stratum, size_t sn, const char *links, size_t ln, const char *label,
                    size_t lab, char *why, size_t wn)
{
    int s = -1;
    for (int k = 0; k < MT_STRATA; k++)
        if (sn == strlen(strata[k]) && !memcmp(stratum, strata[k], sn))
            s = k;
    if (s < 0) {
        snprintf(why, wn, "stratum '%.*s' is not one rapport match sample writes", (int)(sn > 100 ? 100 : sn), stratum);
        return -1;
    }
    char num[32] = "";
    if (ln < sizeof num)
        memcpy(num, links, ln), num[ln] = 0;
    char *end;
    long long n = strtoll(num, &end, 10);
    if (!*num || *end || n < 1) {
        snprintf(why, wn, "stratum_links '%s' is not a number of links", num);
        return -1;
    }
    e->links[s] = (size_t)n;
    int l = label_of(label, lab);
    if (l == -2) {
        snprintf(why, wn, "label '%.*s' is not same or different (yes/no, 1/0, 是/否)", (int)(lab > 100 ? 100 : lab),
                 label);
        return -1;
    }
    e->rows++;
    if (l >= 0) {
        e->labelled[s]++;
        e->same[s] += (size_t)l;
    }
    return 0;
}

static int estimate_row(const rd_record *rec, const char *path, const int col[3], mt_estimate *e, rp_error *err)
{
    const char *f[3];
    size_t n[3];
    for (int c = 0; c < 3; c++) {
        f[c] = col[c] < rec->nfields ? rec->field[col[c]] : "";
        n[c] = col[c] < rec->nfields ? rec->flen[col[c]] : 0;
    }
    char why[300];
    if (mt_estimate_add(e, f[0], n[0], f[1], n[1], f[2], n[2], why, sizeof why))
        return rp_err(err, RP_INVAL, "%s: record %lld: %s", path, (long long)rec->number, why);
    return RP_OK;
}

/* Stratified: each stratum's share of the links times its labelled precision; the variance of each with
 * the finite-population correction and, so that a stratum whose labels all agree does not claim certainty,
 * the Agresti-Coull proportion (two of each label added) in it; a 95 % interval within 0 and 1. */
void mt_estimate_finish(mt_estimate *e)
{
    double all = 0, p = 0, var = 0;
    for (int s = 0; s < MT_STRATA; s++)
        if (e->labelled[s])
            all += (double)e->links[s];
    e->total_labelled = 0;
    for (int s = 0; s < MT_STRATA; s++) {
        e->total_labelled += e->labelled[s];
        if (!e->labelled[s])
            continue;
        double n = (double)e->labelled[s], N = (double)e->links[s], ps = (double)e->same[s] / n, w = N / all;
        e->precision_of[s] = ps;
        p += w * ps;
        double fpc = N > 1 ? (N - n) / (N - 1) : 0, pa = ((double)e->same[s] + 2) / (n + 4);
        var += w * w * pa * (1 - pa) / (n + 4) * (fpc > 0 ? fpc : 0);
    }
    e->precision = all > 0 ? p : NAN;
    double half = 1.96 * sqrt(var);
    e->low = p - half < 0 ? 0 : p - half;
    e->high = p + half > 1 ? 1 : p + half;
}

json_t *mt_estimate_json(const mt_estimate *e)
{
    json_t *j = json_object(), *st = json_array();
    for (int s = 0; s < MT_STRATA; s++)
        json_array_append_new(st, json_pack("{s:s, s:I, s:I, s:I, s:o}", "stratum", strata[s], "links",
                                            (json_int_t)e->links[s], "labelled", (json_int_t)e->labelled[s], "same",
                                            (json_int_t)e->same[s], "precision",
                                            e->labelled[s] ? json_real(e->precision_of[s]) : json_null()));
    json_object_set_new(j, "strata", st);
    json_object_set_new(j, "pairs", json_integer((json_int_t)e->rows));
    json_object_set_new(j, "labelled", json_integer((json_int_t)e->total_labelled));
    json_object_set_new(j, "precision", e->total_labelled ? json_real(e->precision) : json_null());
    json_object_set_new(j, "low", e->total_labelled ? json_real(e->low) : json_null());
    json_object_set_new(j, "high", e->total_labelled ? json_real(e->high) : json_null());
    return j;
}

int mt_sample_estimate(const char *path, mt_estimate *e, rp_error *err)
{
    memset(e, 0, sizeof *e);
    reader *r;
    rd_options o = { .format = RD_CSV, .delimiter = ',', .header = 1, .utf8 = 1 };
    int rc = rd_open(path, &o, &r, err), col[3], have = 0;
    if (rc)
        return rc;
    rd_record rec;
    while ((rc = rd_next(r, &rec, err)) == RD_RECORD) {
        if (!have && ((rc = column(r, path, "stratum", &col[0], err)) ||
                      (rc = column(r, path, "stratum_links", &col[1], err)) ||
                      (rc = column(r, path, "label", &col[2], err))))
            break;
        have = 1;
        if ((rc = estimate_row(&rec, path, col, e, err)))
            break;
    }
    if (rc == RD_BAD) /* the reader's message names the file and the record */
        rc = err->code ? err->code : RP_INVAL;
    else if (rc == RD_END)
        rc = RP_OK;
    rd_close(r);
    if (rc)
        return rc;
    mt_estimate_finish(e);
    if (!e->total_labelled)
        return rp_err(err, RP_INVAL, "%s: no pair is labelled yet (label: same or different)", path);
    return RP_OK;
}
