#include "core/arena.h"

#include <stdlib.h>
#include <string.h>

struct rp_arena_block {
    rp_arena_block *next;
    size_t size, used;
    _Alignas(16) unsigned char mem[];
};

#define BLOCK_MIN ((size_t)16 << 10)

void *rp_arena_alloc(rp_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0)
        n = 16;
    rp_arena_block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > BLOCK_MIN ? n : BLOCK_MIN;
        if (a->max && (a->total + size > a->max))
            return NULL;
        b = malloc(sizeof *b + size);
        if (!b)
            return NULL;
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
        a->total += size;
    }
    void *p = b->mem + b->used;
    b->used += n;
    return p;
}

char *rp_arena_strndup(rp_arena *a, const char *s, size_t n)
{
    char *p = rp_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *rp_arena_strdup(rp_arena *a, const char *s) { return rp_arena_strndup(a, s, strlen(s)); }

void rp_arena_release(rp_arena *a)
{
    rp_arena_block *b = a->head;
    while (b) {
        rp_arena_block *n = b->next;
        free(b);
        b = n;
    }
    a->head = NULL;
    a->total = 0;
}
