/* value.c — RFM scores and the Pareto curve.  See value.h. */
#include "analytics/value.h"
#include "core/sort.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct kv {
    uint64_t key;
    size_t idx;
} kv;

static int score_column(kv *t, size_t n, uint8_t *dst, size_t stride, rp_error *err)
{
    if (rp_sort_by_u64(t, n, sizeof *t, offsetof(kv, key)))
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && t[j].key == t[i].key)
            j++;
        uint8_t s = (uint8_t)(1 + (5 * i) / n); /* i customers are strictly below this value */
        for (size_t k = i; k < j; k++)
            dst[t[k].idx * stride] = s;
        i = j;
    }
    return RP_OK;
}

/* An int64 as a uint64 that sorts the same way. */
static uint64_t ordered(int64_t v) { return (uint64_t)v ^ (UINT64_C(1) << 63); }

int an_rfm(const an_rfm_in *in, size_t n, an_rfm_out *out, rp_error *err)
{
    if (!n)
        return RP_OK;
    kv *t = malloc(n * sizeof *t);
    if (!t)
        return rp_err(err, RP_NOMEM, NULL);
    int rc = RP_OK;
    for (int col = 0; col < 3 && !rc; col++) {
        for (size_t i = 0; i < n; i++) {
            int64_t v = col == 0 ? -(int64_t)in[i].recency_days : col == 1 ? in[i].frequency : in[i].monetary_minor;
            t[i] = (kv){ ordered(v), i };
        }
        uint8_t *dst = col == 0 ? &out[0].r : col == 1 ? &out[0].f : &out[0].m;
        rc = score_column(t, n, dst, sizeof *out, err);
    }
    free(t);
    for (size_t i = 0; i < n && !rc; i++)
        out[i].cell = (uint16_t)(out[i].r * 100 + out[i].f * 10 + out[i].m);
    return rc;
}

int an_pareto_compute(const int64_t *value, size_t n, an_pareto *out, rp_error *err)
{
    memset(out, 0, sizeof *out);
    out->customers = n;
    if (!n)
        return RP_OK;
    uint64_t *v = malloc(n * sizeof *v);
    if (!v)
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < n; i++)
        v[i] = ~ordered(value[i]); /* descending */
    if (rp_sort_u64(v, n)) {
        free(v);
        return rp_err(err, RP_NOMEM, NULL);
    }
    int64_t *d = (int64_t *)v;
    for (size_t i = 0; i < n; i++)
        d[i] = (int64_t)(~v[i] ^ (UINT64_C(1) << 63));
    /* prefix sums in long double: a billion customers of a billion minor units */
    long double total = 0;
    for (size_t i = 0; i < n; i++)
        total += (long double)d[i];
    out->total = (int64_t)total;
    long double run = 0;
    size_t i = 0;
    int next_bp = 0;
    static const double bp_at[4] = { 0.5, 0.8, 0.9, 0.95 };
    for (int k = 0; k <= 100; k++) {
        /* the top k % of customers: k * n / 100 of them, the last one fractionally */
        long double upto = (long double)k * (long double)n / 100.0L;
        while ((long double)(i + 1) <= upto) {
            run += (long double)d[i++];
        }
        long double frac = upto - (long double)i;
        long double s = run + (i < n ? frac * (long double)d[i] : 0);
        out->cum_share[k] = total != 0 ? (double)(s / total) : 0;
    }
    out->top20_share = out->cum_share[20];
    run = 0;
    for (size_t j = 0; j < n && next_bp < 4; j++) {
        run += (long double)d[j];
        while (next_bp < 4 && total > 0 && run >= (long double)bp_at[next_bp] * total)
            out->breakpoint[next_bp++] = (double)(j + 1) / (double)n;
    }
    for (int q = 0; q < 10; q++) {
        size_t from = (size_t)q * n / 10, to = (size_t)(q + 1) * n / 10;
        an_decile *dc = &out->decile[q];
        dc->customers = to - from;
        for (size_t j = from; j < to; j++) {
            dc->sum += d[j];
            if (j == from || d[j] > dc->max)
                dc->max = d[j];
            if (j == from || d[j] < dc->min)
                dc->min = d[j];
        }
    }
    free(v);
    return RP_OK;
}
