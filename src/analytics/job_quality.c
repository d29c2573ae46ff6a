/* job_quality.c — quality (DOMAIN M13): per source system, its records, how
 * complete each field is, the duplicates within it, the records waiting in
 * a pair for review, and what loading read, loaded, fixed and rejected.
 * The records come from the warehouse, the loads and rejects from the etl
 * module, the pairs from the match module. */
#include "analytics/internal.h"
#include "analytics/quality.h"
#include "core/sort.h"
#include "core/vec.h"
#include "etl/etl.h"
#include "match/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

an_job_fn an_quality_job;

#define MAX_SOURCES 255

typedef struct quality {
    char names[MAX_SOURCES][32]; /* the sources, in the order met */
    int ns;
    rp_vec rows;                 /* an_q_row */
    int64_t *review;             /* the parties in pairs waiting for review, sorted */
    size_t nreview;
    rp_vec held;                 /* uint64_t: party << 8 | source of the records of those parties */
} quality;

static int filled(const char *v) { return v && *v; }

/* The fields a record has (bit per AN_Q_*): the party's own attributes when
 * not empty (birth date, gender and branch when given at all), and what
 * else the party has. */
static uint32_t fields_of(const wh_party_record *r)
{
    const wh_party *p = &r->p;
    uint32_t f = 0;
    f |= (uint32_t)(filled(p->name_zh) || filled(p->name_latin)) << AN_Q_NAME;
    f |= (uint32_t)filled(p->name_zh) << AN_Q_NAME_ZH;
    f |= (uint32_t)filled(p->name_latin) << AN_Q_NAME_LATIN;
    f |= (uint32_t)(p->birth_date != NULL) << AN_Q_BIRTH;
    f |= (uint32_t)(p->gender != NULL) << AN_Q_GENDER;
    f |= (uint32_t)filled(p->occupation) << AN_Q_OCCUPATION;
    f |= (uint32_t)filled(p->income_band) << AN_Q_INCOME;
    f |= (uint32_t)(p->home_branch != NULL) << AN_Q_BRANCH;
    f |= (uint32_t)(r->has_identity != 0) << AN_Q_ID;
    f |= (uint32_t)(r->has_phone != 0) << AN_Q_PHONE;
    f |= (uint32_t)(r->has_email != 0) << AN_Q_EMAIL;
    f |= (uint32_t)(r->has_address != 0) << AN_Q_ADDRESS;
    return f;
}

static int in_review(const quality *q, int64_t party)
{
    size_t lo = 0, hi = q->nreview;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (q->review[mid] < party)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < q->nreview && q->review[lo] == party;
}

static int record_row(void *ctx, const wh_party_record *r, rp_error *err)
{
    quality *q = ctx;
    int si = 0;
    while (si < q->ns && strcmp(q->names[si], r->source))
        si++;
    if (si == q->ns) {
        if (q->ns == MAX_SOURCES)
            return rp_err(err, RP_TOOBIG, "quality: more than 255 sources");
        snprintf(q->names[q->ns++], sizeof q->names[0], "%s", r->source);
    }
    an_q_row *row = rp_vec_push(&q->rows);
    if (!row)
        return rp_err(err, RP_NOMEM, NULL);
    *row = (an_q_row){ (uint32_t)si, fields_of(r), r->merged_into };
    if (!in_review(q, r->party))
        return RP_OK;
    uint64_t *h = rp_vec_push(&q->held);
    if (!h)
        return rp_err(err, RP_NOMEM, NULL);
    *h = (uint64_t)r->party << 8 | (uint32_t)si;
    return RP_OK;
}

/* Per source, the parties of its records that wait in a pair for review, each once. */
static int count_review(quality *q, size_t *per_source, rp_error *err)
{
    uint64_t *h = q->held.data;
    size_t n = q->held.len;
    if (n && rp_sort_u64(h, n))
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < n; i++)
        if (!i || h[i] != h[i - 1])
            per_source[h[i] & 0xff]++;
    return RP_OK;
}

/* Loading's totals by source, with the share of records that were valid. */
static int loads_of(wh *w, json_t **loads, rp_error *err)
{
    int rc = ld_totals_by_source(w, loads, err);
    if (rc)
        return rc;
    const char *k;
    json_t *v;
    json_object_foreach(*loads, k, v) {
        int64_t rec = json_integer_value(json_object_get(v, "records")),
                rej = json_integer_value(json_object_get(v, "rejected"));
        json_object_set_new(v, "valid_%", rec ? an_pct((double)(rec - rej) / (double)rec) : json_null());
    }
    return RP_OK;
}

static json_t *quality_summary(const quality *q, const an_q_source *qs, const size_t *review, json_t *loads,
                               json_t *rejects, size_t *total)
{
    json_t *cols = json_array();
    json_array_append_new(cols, json_string("source"));
    json_array_append_new(cols, json_string("records"));
    for (int f = 0; f < AN_Q_NFIELDS; f++) {
        char c[48];
        snprintf(c, sizeof c, "%s_%%", an_q_fields[f]);
        json_array_append_new(cols, json_string(c));
    }
    json_array_append_new(cols, json_string("duplicates"));
    json_array_append_new(cols, json_string("in_review"));
    json_array_append_new(cols, json_string("rejected"));
    json_t *tab = json_pack("{s:o, s:[]}", "columns", cols, "rows");
    size_t dups = 0;
    *total = 0;
    for (int si = 0; si < q->ns; si++) {
        json_t *row = json_array();
        json_array_append_new(row, json_string(q->names[si]));
        json_array_append_new(row, json_integer((json_int_t)qs[si].records));
        for (int f = 0; f < AN_Q_NFIELDS; f++)
            json_array_append_new(row, an_pct(qs[si].records ? (double)qs[si].present[f] / (double)qs[si].records
                                                             : 0));
        json_array_append_new(row, json_integer((json_int_t)qs[si].duplicates));
        json_array_append_new(row, json_integer((json_int_t)review[si]));
        json_t *l = json_object_get(loads, q->names[si]);
        json_array_append_new(row, l ? json_incref(json_object_get(l, "rejected")) : json_integer(0));
        an_table_add(tab, row);
        *total += qs[si].records;
        dups += qs[si].duplicates;
    }
    size_t nrej = 0;
    json_t *it;
    size_t idx;
    json_array_foreach(rejects, idx, it) nrej += (size_t)json_integer_value(json_object_get(it, "rejects"));
    char head[256];
    snprintf(head, sizeof head, "%zu source records from %d sources; %zu look like duplicates within their source; "
             "%zu records rejected at load", *total, q->ns, dups, nrej);
    return json_pack("{s:s, s:O, s:O, s:o}", "headline", head, "loads", loads, "rejects_by_rule", rejects, "table",
                     tab);
}

int an_quality_job(wh *w, const an_job_opts *o, json_t **summary, rp_error *err)
{
    quality *q = calloc(1, sizeof *q);
    an_q_source *qs = calloc(MAX_SOURCES, sizeof *qs);
    size_t review[MAX_SOURCES] = { 0 }, total = 0;
    json_t *loads = NULL, *rejects = NULL, *params = NULL, *sum = NULL;
    an_run r;
    int rc = !q || !qs ? rp_err(err, RP_NOMEM, NULL) : RP_OK;
    if (q) {
        rp_vec_init(&q->rows, sizeof(an_q_row), SIZE_MAX);
        rp_vec_init(&q->held, sizeof(uint64_t), SIZE_MAX);
    }
    if (rc || (rc = mt_review_parties(w, &q->review, &q->nreview, err)) ||
        (rc = wh_party_records(w, record_row, q, err)) || (rc = count_review(q, review, err)) ||
        (rc = an_quality(q->rows.data, q->rows.len, q->ns, qs, err)) || (rc = loads_of(w, &loads, err)) ||
        (rc = ld_rejects_by_rule(w, &rejects, err)))
        goto out;
    params = json_object();
    if ((rc = an_run_begin(w, o, params, &r, err)))
        goto out;
    sum = quality_summary(q, qs, review, loads, rejects, &total);
    rc = an_run_end(&r, sum, total, err);
out:
    json_decref(loads), json_decref(rejects), json_decref(params);
    if (q) {
        rp_vec_release(&q->rows), rp_vec_release(&q->held);
        free(q->review);
    }
    free(q), free(qs);
    return an_hand_over(rc, sum, summary);
}
