/* sort.c — radix sorts.  See sort.h. */
#include "core/sort.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

static uint64_t key_at(const unsigned char *base, size_t i, size_t size, size_t off)
{
    uint64_t k;
    memcpy(&k, base + i * size + off, sizeof k);
    return k;
}

int rp_sort_by_u64(void *a, size_t n, size_t size, size_t key_off)
{
    if (n < 2)
        return RP_OK;
    unsigned char *src = a, *dst = malloc(n * size);
    if (!dst)
        return RP_NOMEM;
    size_t (*count)[256] = calloc(8, sizeof *count);
    if (!count) {
        free(dst);
        return RP_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t k = key_at(src, i, size, key_off);
        for (int b = 0; b < 8; b++)
            count[b][(k >> (8 * b)) & 0xff]++;
    }
    unsigned char *orig = src;
    for (int b = 0; b < 8; b++) {
        size_t *c = count[b];
        int same = 0;
        for (int v = 0; v < 256; v++)
            same |= c[v] == n;
        if (same)
            continue;
        size_t pos = 0;
        for (int v = 0; v < 256; v++) {
            size_t t = c[v];
            c[v] = pos;
            pos += t;
        }
        for (size_t i = 0; i < n; i++) {
            uint64_t k = key_at(src, i, size, key_off);
            memcpy(dst + c[(k >> (8 * b)) & 0xff]++ * size, src + i * size, size);
        }
        unsigned char *t = src;
        src = dst;
        dst = t;
    }
    if (src != orig) { /* an odd number of passes: the result is in the scratch buffer */
        memcpy(orig, src, n * size);
        dst = src;
    }
    free(dst);
    free(count);
    return RP_OK;
}

int rp_sort_u64(uint64_t *a, size_t n) { return rp_sort_by_u64(a, n, sizeof *a, 0); }
