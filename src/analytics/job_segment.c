/* job_segment.c — segment (DOMAIN M7): the rules of a file assign each
 * customer a segment (customer_segment), checked to put every customer in
 * exactly one; gaps and overlaps are reported with examples, not resolved. */
#include "analytics/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

an_job_fn an_segment_job;

/* Each segment's customers and means. */
static json_t *segment_table(const an_segment_set *set, const an_segment_check *chk, const an_valued *d,
                             const int16_t *seg, int32_t as_of)
{
    static const char *const cols[] = { "segment", "customers", "customers_%", "mean_profit", "mean_balance",
                                        "mean_age", NULL };
    json_t *t = an_table_new(cols);
    size_t n = d->base.ncust;
    for (int g = 0; g < set->n; g++) {
        double prof = 0, bal = 0, age = 0;
        size_t aged = 0;
        for (size_t i = 0; i < n; i++)
            if (seg[i] == g) {
                prof += (double)d->v[i].profit, bal += (double)d->v[i].deposits;
                int y = an_age(d->base.cust[i].birth, as_of);
                if (y >= 0)
                    age += y, aged++;
            }
        size_t c = chk->count[g];
        an_table_add(t, json_pack("[s, I, o, o, o, o]", set->name[g], (json_int_t)c,
                                  an_pct(n ? (double)c / (double)n : 0),
                                  an_money(c ? (int64_t)llround(prof / (double)c) : 0),
                                  an_money(c ? (int64_t)llround(bal / (double)c) : 0),
                                  aged ? json_real(round(age / (double)aged * 10) / 10) : json_null()));
    }
    return t;
}

static json_t *segment_summary(const an_segment_set *set, const an_segment_check *chk, const an_valued *d,
                               const int16_t *seg, int32_t as_of)
{
    size_t n = d->base.ncust;
    json_t *gaps = json_array(), *overlaps = json_array();
    for (size_t k = 0; k < chk->gaps && k < AN_SEG_EXAMPLES; k++)
        json_array_append_new(gaps, json_integer(d->base.cust[chk->gap_example[k]].id));
    for (int x = 0; x < set->n; x++)
        for (int y = x + 1; y < set->n; y++) {
            size_t c = chk->overlap[x * set->n + y];
            if (!c)
                continue;
            json_t *ex = json_array();
            for (size_t k = 0; k < c && k < AN_SEG_EXAMPLES; k++)
                json_array_append_new(
                    ex, json_integer(d->base.cust[chk->overlap_example[(x * set->n + y) * AN_SEG_EXAMPLES + k]].id));
            json_array_append_new(overlaps, json_pack("{s:[s, s], s:I, s:o}", "segments", set->name[x], set->name[y],
                                                      "customers", (json_int_t)c, "examples", ex));
        }
    int exhaustive = chk->gaps == 0, exclusive = chk->overlapping == 0;
    char head[256];
    if (exhaustive && exclusive)
        snprintf(head, sizeof head, "%d segments: every one of %zu customers is in exactly one", set->n, n);
    else
        snprintf(head, sizeof head, "%d segments are not %s%s%s: %zu customers in none, %zu in more than one",
                 set->n, exhaustive ? "" : "exhaustive", !exhaustive && !exclusive ? " and " : "",
                 exclusive ? "" : "mutually exclusive", chk->gaps, chk->overlapping);
    return json_pack("{s:s, s:b, s:b, s:b, s:{s:I, s:o}, s:{s:I, s:o}, s:o}", "headline", head, "valid",
                     exhaustive && exclusive, "exhaustive", exhaustive, "exclusive", exclusive, "gaps", "customers",
                     (json_int_t)chk->gaps, "examples", gaps, "overlaps", "customers", (json_int_t)chk->overlapping,
                     "pairs", overlaps, "table", segment_table(set, chk, d, seg, as_of));
}

int an_segment_job(wh *w, const an_job_opts *o, json_t **summary, rp_error *err)
{
    an_segment_set set;
    const char *file;
    int rc = an_segments_load(o, &set, &file, err);
    if (rc)
        return rc;
    an_valued d;
    json_t *params = NULL, *sum = NULL;
    an_attrs_ctx a = { 0 };
    an_segment_check chk;
    memset(&chk, 0, sizeof chk);
    int16_t *seg = NULL;
    an_run r;
    if ((rc = an_valued_load(&d, w, o, &params, err)))
        goto out;
    json_object_set_new(params, "segments", json_string(file));
    size_t n = d.base.ncust;
    if (!(seg = malloc((n ? n : 1) * sizeof *seg))) {
        rc = rp_err(err, RP_NOMEM, NULL);
        goto out;
    }
    if ((rc = an_attrs_compute(&a, &d, o, 0, err)) || (rc = an_attrs_models(&a, &set, file, o, err)) ||
        (rc = an_segments_assign(&set, an_attr_get, &a, n, seg, &chk, err)) ||
        (rc = an_run_begin(w, o, params, &r, err)))
        goto out;
    for (size_t i = 0; o->save && !rc && i < n; i++)
        if (seg[i] >= 0) /* gaps and overlaps are reported, not resolved */
            rc = an_segment_insert(&r, d.base.cust[i].id, set.name[seg[i]], err);
    if (rc) {
        an_run_abort(&r);
        goto out;
    }
    sum = segment_summary(&set, &chk, &d, seg, a.as_of);
    rc = an_run_end(&r, sum, n, err);
out:
    an_attrs_free(&a);
    an_segment_check_free(&chk);
    json_decref(params);
    free(seg);
    an_valued_free(&d);
    an_segments_free(&set);
    return an_hand_over(rc, sum, summary);
}
