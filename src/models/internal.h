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

/* ---- the design of linear models and networks (design.c) ---- */
typedef enum { MDL__T_NUM, MDL__T_NUM_MISSING, MDL__T_LEVEL, MDL__T_CAT_MISSING } mdl__term_kind;
typedef struct {
    int col, level;
    mdl__term_kind kind;
    double mean, sd;      /* MDL__T_NUM: of the rows of the fit */
} mdl__term;
typedef struct {
    mdl__term *t;
    int nt;
} mdl__design;
/* The terms of the frame's columns, means and spreads from rows; reference: no term for a category's
 * first level (a model without a penalty needs it left out). */
int mdl__design_make(const mdl_frame *f, const size_t *rows, size_t n, int reference, mdl__design *d);
void mdl__design_free(mdl__design *d);
/* The terms as JSON, and back against a frame of the model's schema (RP_PARSE when they do not fit it). */
json_t *mdl__design_save(const mdl__design *d);
int mdl__design_load(const json_t *j, const mdl_frame *f, mdl__design *d);
static inline double mdl__term_value(const mdl__term *t, const mdl_frame *f, size_t row)
{
    const mdl_col *c = &f->cols[t->col];
    switch (t->kind) {
    case MDL__T_NUM: {
        double x = c->x[row];
        return x != x ? 0 : (x - t->mean) / t->sd; /* a missing value counts as the mean */
    }
    case MDL__T_NUM_MISSING: return c->x[row] != c->x[row];
    case MDL__T_LEVEL: return c->code[row] == t->level;
    default: return c->code[row] < 0;
    }
}

/* ---- models kept as JSON (keep.c) ---- */
/* bytes as a string of digits ("0120"), and back (RP_PARSE unless it has n digits of 0-9) */
json_t *mdl__bytes(const uint8_t *b, size_t n);
int mdl__bytes_get(const json_t *j, uint8_t *b, size_t n);
/* doubles as an array (exactly: jansson writes 17 digits), and back (RP_PARSE unless n numbers) */
json_t *mdl__reals(const double *x, size_t n);
int mdl__reals_get(const json_t *j, double *x, size_t n);

/* ---- speed (parallel.c) ---- */
/* The cores online (1 to 64). */
int mdl__cores(void);
/* fn(arg, k) for each part k of nparts, on up to mdl__cores() threads (the caller's one of them);
 * parts run in any order and at once: each writes only what is its own. */
void mdl__parallel(int nparts, void (*fn)(void *arg, int part), void *arg);
/* n bytes for a large array (rows x features), in huge pages where the system gives them (a fault a
 * 2 MiB page rather than a 4 KiB one); freed with free(). */
void *mdl__alloc_big(size_t n);
/* x[0..n) sorted ascending (no NaN), id moved with it; stable (equal values keep their order): an
 * LSD radix sort, four passes of 16 bits over keys and ids apart, O(n).  Not core/sort.h's, whose
 * eight byte passes over 16-byte records took 141 ms for a million where this takes 88 (the tree
 * sorts every column of its fit).  RP_NOMEM, or RP_OK. */
int mdl__sort_pairs(double *x, uint32_t *id, size_t n);

/* ---- PMML (pmml.c) ---- */
void mdl__xml(rp_buf *b, const char *s);                            /* text, escaped */
void mdl__pmml_attr(rp_buf *b, const char *name, const char *value); /* ` name="value"` */
void mdl__pmml_schema(rp_buf *b, const mdl_frame *f, int indent);    /* every column active, the target predicted */

/* the learners, each in its file; the table is learners.c's */
extern const mdl_learner mdl__tree;
extern const mdl_learner mdl__logit;
extern const mdl_learner mdl__gbm;
extern const mdl_learner mdl__mlp;
extern const mdl_learner mdl__scorecard;

#endif
