/*
 * vec.h — a growable array of fixed-size elements.
 *
 * rp_vec_push() returns a pointer to a new zeroed slot (valid until the next
 * push), or NULL when memory runs out or `max` elements are reached.
 */
#ifndef RP_VEC_H
#define RP_VEC_H

#include <stddef.h>
#include <stdint.h>

typedef struct rp_vec {
    void *data;
    size_t len, cap;
    size_t esize; /* bytes per element */
    size_t max;   /* cap on len */
} rp_vec;

#define RP_VEC_INIT(type) { NULL, 0, 0, sizeof(type), SIZE_MAX }

void rp_vec_init(rp_vec *v, size_t esize, size_t max);
void *rp_vec_push(rp_vec *v);
void *rp_vec_at(const rp_vec *v, size_t i);
void rp_vec_clear(rp_vec *v); /* len = 0, memory kept */
void rp_vec_release(rp_vec *v);

#endif
