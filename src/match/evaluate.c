/* evaluate.c — how good who is who is on a bank's own data: the customers
 * found against a truth file (`rapport match evaluate`).  See match.h. */
#include "match/internal.h"
#include "core/reader.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A truth record: its true id (interned) and what the store made of it. */
typedef struct truth_rec {
    uint32_t truth;                /* index of its true id */
    int64_t customer;              /* 0: not in the store */
    uint32_t rec;                  /* its mt_records index; UINT32_MAX none */
} truth_rec;

typedef struct evaluating {
    rp_map *by_key;                /* "source\0key" -> 1 + index into recs */
    rp_map *ids;                   /* true id -> 1 + its index */
    truth_rec *recs;
    size_t n, cap, nids;
    size_t store_records;
} evaluating;

static int key_of(char *out, size_t n, const char *source, size_t sl, const char *key, size_t kl)
{
    if (sl + kl + 1 > n)
        return -1;
    memcpy(out, source, sl);
    out[sl] = 0;
    memcpy(out + sl + 1, key, kl);
    return (int)(sl + 1 + kl);
}

/* The truth file's columns by their header names. */
static int truth_columns(reader *r, const char *path, int col[3], rp_error *err)
{
    static const char *const want[3][4] = { { "source", NULL },
                                            { "key", "source_key", NULL },
                                            { "true_id", "party_id", "person_id", NULL } };
    for (int c = 0; c < 3; c++)
        if ((col[c] = rd_column(r, want[c])) < 0)
            return rp_err(err, RP_INVAL, "%s: the header has no column '%s' (it needs source, key, true_id)", path,
                          want[c][0]);
    return RP_OK;
}

static int truth_add(evaluating *x, const char *path, const rd_record *rec, const int col[3], rp_error *err)
{
    for (int c = 0; c < 3; c++)
        if (col[c] >= rec->nfields || !rec->flen[col[c]])
            return rp_err(err, RP_INVAL, "%s: record %lld: %s is empty", path, (long long)rec->number,
                          c == 0 ? "source" : c == 1 ? "key" : "true_id");
    char k[600];
    int kl = key_of(k, sizeof k, rec->field[col[0]], rec->flen[col[0]], rec->field[col[1]], rec->flen[col[1]]);
    if (kl < 0)
        return rp_err(err, RP_TOOBIG, "%s: record %lld: source and key are longer than 598 bytes", path,
                      (long long)rec->number);
    if (rp_map_get(x->by_key, k, (size_t)kl))
        return rp_err(err, RP_INVAL, "%s: record %lld: %.*s:%.*s is there twice", path, (long long)rec->number,
                      (int)rec->flen[col[0]], rec->field[col[0]], (int)rec->flen[col[1]], rec->field[col[1]]);
    uintptr_t id = (uintptr_t)rp_map_get(x->ids, rec->field[col[2]], rec->flen[col[2]]);
    if (!id) {
        id = ++x->nids;
        if (rp_map_put(x->ids, rec->field[col[2]], rec->flen[col[2]], (void *)id, NULL))
            return rp_err(err, RP_NOMEM, NULL);
    }
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 4096;
        truth_rec *nr = realloc(x->recs, cap * sizeof *nr);
        if (!nr)
            return rp_err(err, RP_NOMEM, NULL);
        x->recs = nr;
        x->cap = cap;
    }
    x->recs[x->n] = (truth_rec){ (uint32_t)(id - 1), 0, UINT32_MAX };
    if (rp_map_put(x->by_key, k, (size_t)kl, (void *)(uintptr_t)++x->n, NULL))
        return rp_err(err, RP_NOMEM, NULL);
    return RP_OK;
}

static int truth_read(evaluating *x, const char *path, rp_error *err)
{
    reader *r;
    rd_options o = { .format = RD_CSV, .delimiter = ',', .header = 1, .utf8 = 1 };
    int rc = rd_open(path, &o, &r, err);
    if (rc)
        return rc;
    int col[3], have_cols = 0;
    rd_record rec;
    while ((rc = rd_next(r, &rec, err)) == RD_RECORD) { /* the header is read with the first record */
        if (!have_cols && (rc = truth_columns(r, path, col, err)))
            goto out;
        have_cols = 1;
        if ((rc = truth_add(x, path, &rec, col, err)))
            goto out;
    }
    if (rc == RD_BAD) /* the reader's message names the file and the record */
        rc = err->code ? err->code : RP_INVAL;
    else if (rc == RD_END)
        rc = x->n ? RP_OK : rp_err(err, RP_INVAL, "%s: no records", path);
out:
    rd_close(r);
    return rc;
}

static int on_customer(void *ctx, const char *source, const char *key, int64_t customer, rp_error *err)
{
    (void)err;
    evaluating *x = ctx;
    char k[600];
    int kl = key_of(k, sizeof k, source, strlen(source), key, strlen(key));
    x->store_records++;
    uintptr_t at = kl < 0 ? 0 : (uintptr_t)rp_map_get(x->by_key, k, (size_t)kl);
    if (at)
        x->recs[at - 1].customer = customer;
    return RP_OK;
}

static int by_truth(const void *a, const void *b)
{
    const truth_rec *x = a, *y = b;
    if (x->truth != y->truth)
        return x->truth < y->truth ? -1 : 1;
    return (x->customer > y->customer) - (x->customer < y->customer);
}

static int by_customer(const void *a, const void *b)
{
    const truth_rec *x = a, *y = b;
    return (x->customer > y->customer) - (x->customer < y->customer);
}

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Pairwise counts over the truth records found in the store; blocking recall over the candidate pairs pk
 * when blocks is set (none at all: no true pair was a candidate). */
static void pairwise(truth_rec *r, size_t n, int blocks, const uint64_t *pk, size_t np, mt_quality *q)
{
    qsort(r, n, sizeof *r, by_truth);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && r[j].truth == r[i].truth)
            j++;
        q->true_pairs += (int64_t)(j - i) * (int64_t)(j - i - 1) / 2;
        for (size_t a = i; a < j;) {
            size_t b = a;
            while (b < j && r[b].customer == r[a].customer)
                b++;
            q->right_pairs += (int64_t)(b - a) * (int64_t)(b - a - 1) / 2;
            a = b;
        }
        if (blocks && j - i <= 2000)
            q->checked_true_pairs += (int64_t)(j - i) * (int64_t)(j - i - 1) / 2;
        for (size_t a = i; a < j && blocks && np && j - i <= 2000; a++)
            for (size_t b = a + 1; b < j; b++) {
                uint32_t x = r[a].rec, y = r[b].rec;
                if (x == UINT32_MAX || y == UINT32_MAX || x == y)
                    continue;
                uint64_t key = x < y ? (uint64_t)x << 32 | y : (uint64_t)y << 32 | x;
                q->candidate_true_pairs += bsearch(&key, pk, np, sizeof *pk, by_u64) != NULL;
            }
        i = j;
    }
    qsort(r, n, sizeof *r, by_customer);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && r[j].customer == r[i].customer)
            j++;
        q->found_pairs += (int64_t)(j - i) * (int64_t)(j - i - 1) / 2;
        i = j;
    }
}

/* Each truth record's mt_records index, for blocking recall. */
static void records_of(const mt_records *m, evaluating *x)
{
    char k[600];
    for (size_t i = 0; i < m->n; i++) {
        const char *src = m->sources[m->r[i].source], *key = mt_text(m, m->r[i].key);
        int kl = key_of(k, sizeof k, src, strlen(src), key, strlen(key));
        uintptr_t at = kl < 0 ? 0 : (uintptr_t)rp_map_get(x->by_key, k, (size_t)kl);
        if (at)
            x->recs[at - 1].rec = (uint32_t)i;
    }
}

static int blocking(wh *w, const mt_options *o, evaluating *x, uint64_t **pk, size_t *np, rp_error *err)
{
    mt_romaniser *ro;
    int rc = mt_romaniser_open(&ro, err);
    if (rc)
        return rc;
    mt_records m;
    mt_records_init(&m);
    m.spec = o ? &o->spec : NULL;
    mt_params prm = MT_PARAMS_DEFAULT;
    if (o)
        prm = o->params;
    if (!(rc = mt_records_load(w, ro, &m, err)) && !(rc = mt_candidate_pairs(&m, &prm, pk, np, err)))
        records_of(&m, x);
    mt_records_free(&m);
    mt_romaniser_close(ro);
    return rc;
}

static int reviews(wh *w, size_t *n, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "SELECT count(*) FROM match_pair WHERE status = 'review'", &st, err);
    if (rc)
        return rc;
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        *n = (size_t)rp_stmt_int(st, 0);
    rp_stmt_done(st);
    return rc == RP_ROW ? RP_OK : rc;
}

json_t *mt_quality_json(const mt_quality *q)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:I, s:f}", "truth_records",
                     (json_int_t)q->truth_records, "found_records", (json_int_t)q->found_records,
                     "missing_records", (json_int_t)q->missing_records, "store_records",
                     (json_int_t)q->store_records, "true_pairs", (json_int_t)q->true_pairs, "found_pairs",
                     (json_int_t)q->found_pairs, "right_pairs", (json_int_t)q->right_pairs,
                     "candidate_true_pairs", (json_int_t)q->candidate_true_pairs, "precision", q->precision,
                     "recall", q->recall, "f1", q->f1, "blocking_recall", q->blocking_recall, "for_review",
                     (json_int_t)q->reviews, "review_share", q->review_share);
}

int mt_evaluate(wh *w, const char *truth, const mt_options *o, mt_quality *q, rp_error *err)
{
    memset(q, 0, sizeof *q);
    evaluating x = { rp_map_new(), rp_map_new(), NULL, 0, 0, 0, 0 };
    uint64_t *pk = NULL;
    size_t np = 0;
    int rc = !x.by_key || !x.ids ? rp_err(err, RP_NOMEM, NULL) : truth_read(&x, truth, err);
    if (!rc)
        rc = wh_source_customers(w, on_customer, &x, err);
    if (!rc)
        rc = blocking(w, o, &x, &pk, &np, err);
    if (!rc)
        rc = reviews(w, &q->reviews, err);
    if (rc)
        goto out;
    q->truth_records = x.n;
    q->store_records = x.store_records;
    size_t k = 0;
    for (size_t i = 0; i < x.n; i++)
        if (x.recs[i].customer)
            x.recs[k++] = x.recs[i];
    q->found_records = k;
    q->missing_records = x.n - k;
    pairwise(x.recs, k, 1, pk, np, q);
    q->precision = q->found_pairs ? (double)q->right_pairs / (double)q->found_pairs : 1;
    q->recall = q->true_pairs ? (double)q->right_pairs / (double)q->true_pairs : 1;
    q->f1 = q->precision + q->recall > 0 ? 2 * q->precision * q->recall / (q->precision + q->recall) : 0;
    q->blocking_recall = q->checked_true_pairs ? (double)q->candidate_true_pairs / (double)q->checked_true_pairs : 1;
    q->review_share = q->store_records ? (double)q->reviews / (double)q->store_records : 0;
out:
    free(pk);
    free(x.recs);
    rp_map_free(x.by_key, NULL);
    rp_map_free(x.ids, NULL);
    return rc;
}
