#include "core/map.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct slot {
    char *key; /* NULL = empty; TOMB = deleted */
    size_t klen;
    uint64_t hash;
    void *val;
} slot;

static char tomb_;
#define TOMB (&tomb_)

struct rp_map {
    slot *slots;
    size_t cap;  /* power of two */
    size_t len;  /* live entries */
    size_t used; /* live + tombstones */
    uint64_t seed;
};

/* A 64-bit multiply-xorshift hash over 8-byte words; fast and well mixed. */
uint64_t rp_hash64(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *s = p;
    uint64_t h = seed ^ (n * 0x9E3779B97F4A7C15ull);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        w *= 0xBF58476D1CE4E5B9ull;
        w ^= w >> 31;
        h = (h ^ w) * 0x94D049BB133111EBull;
        s += 8;
        n -= 8;
    }
    uint64_t w = 0;
    for (size_t i = 0; i < n; i++)
        w |= (uint64_t)s[i] << (8 * i);
    w *= 0xBF58476D1CE4E5B9ull;
    w ^= w >> 31;
    h = (h ^ w) * 0x94D049BB133111EBull;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return h;
}

rp_map *rp_map_new(void)
{
    rp_map *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->cap = 16;
    m->slots = calloc(m->cap, sizeof *m->slots);
    if (!m->slots) {
        free(m);
        return NULL;
    }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    m->seed = rp_hash64(&ts, sizeof ts, (uint64_t)(uintptr_t)m);
    return m;
}

void rp_map_free(rp_map *m, void (*free_val)(void *))
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++) {
        slot *s = &m->slots[i];
        if (s->key && s->key != TOMB) {
            if (free_val)
                free_val(s->val);
            free(s->key);
        }
    }
    free(m->slots);
    free(m);
}

static slot *find(const rp_map *m, const void *key, size_t klen, uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        slot *s = &m->slots[i];
        if (!s->key)
            return NULL;
        if (s->key != TOMB && s->hash == h && s->klen == klen && memcmp(s->key, key, klen) == 0)
            return s;
    }
}

static int resize(rp_map *m, size_t cap)
{
    slot *ns = calloc(cap, sizeof *ns);
    if (!ns)
        return RP_NOMEM;
    for (size_t i = 0; i < m->cap; i++) {
        slot *s = &m->slots[i];
        if (!s->key || s->key == TOMB)
            continue;
        size_t j = s->hash & (cap - 1);
        while (ns[j].key)
            j = (j + 1) & (cap - 1);
        ns[j] = *s;
    }
    free(m->slots);
    m->slots = ns;
    m->cap = cap;
    m->used = m->len;
    return RP_OK;
}

int rp_map_put(rp_map *m, const void *key, size_t klen, void *val, void **old)
{
    uint64_t h = rp_hash64(key, klen, m->seed);
    slot *s = find(m, key, klen, h);
    if (old)
        *old = NULL;
    if (s) {
        if (old)
            *old = s->val;
        s->val = val;
        return RP_OK;
    }
    if ((m->used + 1) * 4 >= m->cap * 3) {
        size_t cap = m->len * 2 >= m->cap ? m->cap * 2 : m->cap;
        if (resize(m, cap))
            return RP_NOMEM;
    }
    char *k = malloc(klen + 1);
    if (!k)
        return RP_NOMEM;
    memcpy(k, key, klen);
    k[klen] = 0;
    size_t mask = m->cap - 1;
    size_t i = h & mask;
    while (m->slots[i].key && m->slots[i].key != TOMB)
        i = (i + 1) & mask;
    if (!m->slots[i].key)
        m->used++;
    m->slots[i] = (slot){ k, klen, h, val };
    m->len++;
    return RP_OK;
}

void *rp_map_get(const rp_map *m, const void *key, size_t klen)
{
    slot *s = find(m, key, klen, rp_hash64(key, klen, m->seed));
    return s ? s->val : NULL;
}

void *rp_map_del(rp_map *m, const void *key, size_t klen)
{
    slot *s = find(m, key, klen, rp_hash64(key, klen, m->seed));
    if (!s)
        return NULL;
    void *v = s->val;
    free(s->key);
    s->key = TOMB;
    s->val = NULL;
    m->len--;
    return v;
}

size_t rp_map_len(const rp_map *m) { return m->len; }

int rp_map_next(const rp_map *m, size_t *it, const void **key, size_t *klen, void **val)
{
    while (*it < m->cap) {
        slot *s = &m->slots[(*it)++];
        if (s->key && s->key != TOMB) {
            if (key)
                *key = s->key;
            if (klen)
                *klen = s->klen;
            if (val)
                *val = s->val;
            return 1;
        }
    }
    return 0;
}
