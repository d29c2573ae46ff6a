/* internal.h — shared between the models' own files; not for callers. */
#ifndef RP_MODELS_INTERNAL_H
#define RP_MODELS_INTERNAL_H

#include "models/models.h"

/* splitmix64: the models' random numbers, the same on every machine for a seed */
static inline uint64_t mdl__next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
/* uniform in [0, n) */
static inline size_t mdl__below(uint64_t *s, size_t n) { return (size_t)(mdl__next(s) % n); }

/* A setting of p by name: its value, or NULL; mdl__param_* parse with a message naming it. */
const char *mdl__param(const mdl_params *p, const char *name);
int mdl__param_int(const mdl_params *p, const char *name, int def, int min, int max, int *out, rp_error *err);
int mdl__param_real(const mdl_params *p, const char *name, double def, double min, double max, double *out,
                    rp_error *err);

/* the learners, each in its file; the table is learners.c's */
extern const mdl_learner mdl__tree;
extern const mdl_learner mdl__logit;
extern const mdl_learner mdl__gbm;

#endif
