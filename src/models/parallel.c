/* parallel.c — what the learners share to go fast: work cut into a fixed number of parts run on the
 * machine's cores, and a radix sort of doubles.  See internal.h.
 *
 * A part is cut by the work, never by the cores: the parts' results are combined in their order, so
 * a model is the same to the last bit on one core or many (the sums of doubles add in one order). */
#include "models/internal.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct {
    void (*fn)(void *arg, int part);
    void *arg;
    int next, nparts;
    pthread_mutex_t mu;
} pool;

static void *worker(void *v)
{
    pool *p = v;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        int k = p->next < p->nparts ? p->next++ : -1;
        pthread_mutex_unlock(&p->mu);
        if (k < 0)
            return NULL;
        p->fn(p->arg, k);
    }
}

int mdl__cores(void)
{
    static int n;
    if (!n) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        n = c < 1 ? 1 : c > 64 ? 64 : (int)c;
    }
    return n;
}

void mdl__parallel(int nparts, void (*fn)(void *arg, int part), void *arg)
{
    int nt = mdl__cores() < nparts ? mdl__cores() : nparts;
    if (nt <= 1) {
        for (int k = 0; k < nparts; k++)
            fn(arg, k);
        return;
    }
    pool p = { .fn = fn, .arg = arg, .nparts = nparts };
    pthread_t th[64];
    int started[64] = { 0 };
    pthread_mutex_init(&p.mu, NULL);
    for (int t = 1; t < nt; t++)
        started[t] = pthread_create(&th[t], NULL, worker, &p) == 0; /* one that will not start: fewer hands */
    worker(&p);
    for (int t = 1; t < nt; t++)
        if (started[t])
            pthread_join(th[t], NULL);
    pthread_mutex_destroy(&p.mu);
}

void *mdl__alloc_big(size_t n)
{
    enum { HUGE = 2 << 20 };
    if (n < 8 * (size_t)HUGE)
        return malloc(n ? n : 1);
    void *p = NULL;
    if (posix_memalign(&p, HUGE, (n + HUGE - 1) / HUGE * HUGE))
        return NULL;
    madvise(p, (n + HUGE - 1) / HUGE * HUGE, MADV_HUGEPAGE); /* a hint: refused, the pages are small */
    return p;
}

/* A double as an unsigned key in the same order (-0 before +0; no NaN comes here). */
static inline uint64_t key_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u >> 63 ? ~u : u | 0x8000000000000000ull;
}

int mdl__sort_pairs(double *x, uint32_t *id, size_t n)
{
    if (n < 2)
        return RP_OK;
    uint64_t *k = malloc(n * sizeof *k), *k2 = malloc(n * sizeof *k2);
    uint32_t *id2 = malloc(n * sizeof *id2);
    size_t *cnt = malloc(65536 * sizeof *cnt);
    if (!k || !k2 || !id2 || !cnt) {
        free(k), free(k2), free(id2), free(cnt);
        return RP_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        k[i] = key_of(x[i]);
    for (int pass = 0; pass < 4; pass++) { /* least significant 16 bits first; each pass stable */
        int sh = 16 * pass;
        memset(cnt, 0, 65536 * sizeof *cnt);
        for (size_t i = 0; i < n; i++)
            cnt[(k[i] >> sh) & 0xffff]++;
        if (cnt[(k[0] >> sh) & 0xffff] == n)
            continue; /* every key alike in these bits */
        size_t sum = 0;
        for (int b = 0; b < 65536; b++) {
            size_t c = cnt[b];
            cnt[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            size_t at = cnt[(k[i] >> sh) & 0xffff]++;
            k2[at] = k[i];
            id2[at] = id[i];
        }
        uint64_t *tk = k;
        k = k2, k2 = tk;
        memcpy(id, id2, n * sizeof *id);
    }
    for (size_t i = 0; i < n; i++) { /* back from keys */
        uint64_t u = k[i] >> 63 ? k[i] & 0x7fffffffffffffffull : ~k[i];
        memcpy(&x[i], &u, sizeof u);
    }
    free(k), free(k2), free(id2), free(cnt);
    return RP_OK;
}
