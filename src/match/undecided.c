/* undecided.c — the parties in pairs waiting for a person's review, for the
 * quality analysis (src/analytics): suspected duplicates not yet decided.
 * See match.h. */
#include <stdlib.h>
#include "core/sort.h"
#include "core/vec.h"
#include "match/match.h"

int mt_review_parties(wh *w, int64_t **ids, size_t *n, rp_error *err)
{
    *ids = NULL;
    *n = 0;
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "SELECT a_party, b_party FROM match_pair WHERE status = 'review'", &st, err);
    if (rc)
        return rc;
    rp_vec all = RP_VEC_INIT(uint64_t);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        for (int c = 0; c < 2 && rc == RP_ROW; c++) { /* a_party, then b_party */
            uint64_t *p = rp_vec_push(&all);
            if (!p)
                rc = rp_err(err, RP_NOMEM, NULL);
            else
                *p = (uint64_t)rp_stmt_int(st, c);
        }
    rp_stmt_done(st);
    uint64_t *v = all.data;
    size_t k = all.len;
    if (rc == RP_DONE && k && rp_sort_u64(v, k))
        rc = rp_err(err, RP_NOMEM, NULL);
    if (rc != RP_DONE) {
        rp_vec_release(&all);
        return rc;
    }
    /* each party once */
    size_t m = 0;
    for (size_t i = 0; i < k; i++)
        if (!m || v[i] != v[m - 1])
            v[m++] = v[i];
    *ids = (int64_t *)v;
    *n = m;
    return RP_OK;
}
