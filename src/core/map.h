/*
 * map.h — hash map from byte-string keys to pointers.
 *
 * Keys are copied into the map; values are the caller's.  Open addressing
 * with linear probing and a per-map random seed, so crafted keys cannot
 * force every entry into one chain.  Not thread-safe.
 */
#ifndef RP_MAP_H
#define RP_MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct rp_map rp_map;

rp_map *rp_map_new(void);
/* free_val, if not NULL, is called on every value. */
void rp_map_free(rp_map *m, void (*free_val)(void *));
/* Insert or replace.  Returns RP_OK or RP_NOMEM.  *old (if not NULL)
 * receives a replaced value, or NULL. */
int rp_map_put(rp_map *m, const void *key, size_t klen, void *val, void **old);
void *rp_map_get(const rp_map *m, const void *key, size_t klen);
/* Remove a key; returns its value or NULL. */
void *rp_map_del(rp_map *m, const void *key, size_t klen);
size_t rp_map_len(const rp_map *m);
/* Iterate: start with *it = 0; returns 0 at the end. */
int rp_map_next(const rp_map *m, size_t *it, const void **key, size_t *klen, void **val);

uint64_t rp_hash64(const void *p, size_t n, uint64_t seed);

#endif
