/* split.c — rows into folds and hold-outs, each with its class's share, the same for a seed.  See
 * models.h. */
#include "models/internal.h"

#include <stdlib.h>

/* The rows of one class, shuffled (Fisher-Yates), dealt round the folds in turn. */
static void deal(const uint8_t *y, size_t n, uint8_t cls, int k, uint64_t *s, int *fold, int *next)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += y[i] == cls;
    size_t *idx = malloc((m ? m : 1) * sizeof *idx);
    if (!idx) { /* no memory for the shuffle: dealt in order, still stratified */
        for (size_t i = 0; i < n; i++)
            if (y[i] == cls)
                fold[i] = (*next)++ % k;
        return;
    }
    for (size_t i = 0, j = 0; i < n; i++)
        if (y[i] == cls)
            idx[j++] = i;
    for (size_t i = m; i > 1; i--) {
        size_t j = mdl__below(s, i);
        size_t t = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = t;
    }
    for (size_t i = 0; i < m; i++)
        fold[idx[i]] = (*next)++ % k;
    free(idx);
}

void mdl_split_folds(const uint8_t *y, size_t n, int k, uint64_t seed, int *fold)
{
    uint64_t s = seed;
    int next = 0;
    deal(y, n, 1, k, &s, fold, &next);
    deal(y, n, 0, k, &s, fold, &next);
}

void mdl_split_holdout(const uint8_t *y, size_t n, double h, uint64_t seed, uint8_t *test)
{
    /* each class shuffled on its own; of its m rows, the first round(h m) are the test */
    uint64_t s = seed;
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    for (int cls = 1; cls >= 0; cls--) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (y[i] == cls) {
                if (idx)
                    idx[m] = i;
                m++;
            }
        size_t cut = (size_t)(h * (double)m + 0.5);
        if (!idx) { /* no memory for the shuffle: every 1/h-th row of the class */
            for (size_t i = 0, j = 0; i < n; i++)
                if (y[i] == cls)
                    test[i] = (double)(j++ % 1000) < h * 1000;
            continue;
        }
        for (size_t i = m; i > 1; i--) {
            size_t j = mdl__below(&s, i), t = idx[i - 1];
            idx[i - 1] = idx[j];
            idx[j] = t;
        }
        for (size_t i = 0; i < m; i++)
            test[idx[i]] = i < cut;
    }
    free(idx);
}
