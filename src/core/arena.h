/*
 * arena.h — bump allocator for many small objects freed together.
 *
 * Memory comes in blocks; rp_arena_release() frees them all at once.
 * Allocations are 16-byte aligned.  `max` caps the total bytes so an arena
 * fed by untrusted input cannot grow without bound (alloc returns NULL).
 */
#ifndef RP_ARENA_H
#define RP_ARENA_H

#include <stddef.h>

typedef struct rp_arena_block rp_arena_block;

typedef struct rp_arena {
    rp_arena_block *head;
    size_t total; /* bytes allocated in blocks */
    size_t max;   /* 0 = no cap */
} rp_arena;

#define RP_ARENA_INIT { NULL, 0, 0 }

void *rp_arena_alloc(rp_arena *a, size_t n);
char *rp_arena_strdup(rp_arena *a, const char *s);
char *rp_arena_strndup(rp_arena *a, const char *s, size_t n);
void rp_arena_release(rp_arena *a);

#endif
