#include "core/vec.h"

#include <stdlib.h>
#include <string.h>

void rp_vec_init(rp_vec *v, size_t esize, size_t max)
{
    v->data = NULL;
    v->len = v->cap = 0;
    v->esize = esize;
    v->max = max ? max : SIZE_MAX;
}

void *rp_vec_push(rp_vec *v)
{
    if (v->len >= v->max)
        return NULL;
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        if (cap > SIZE_MAX / v->esize)
            return NULL;
        void *p = realloc(v->data, cap * v->esize);
        if (!p)
            return NULL;
        v->data = p;
        v->cap = cap;
    }
    void *slot = (char *)v->data + v->len * v->esize;
    memset(slot, 0, v->esize);
    v->len++;
    return slot;
}

void *rp_vec_at(const rp_vec *v, size_t i)
{
    if (i >= v->len)
        return NULL;
    return (char *)v->data + i * v->esize;
}

void rp_vec_clear(rp_vec *v) { v->len = 0; }

void rp_vec_release(rp_vec *v)
{
    free(v->data);
    v->data = NULL;
    v->len = v->cap = 0;
}
