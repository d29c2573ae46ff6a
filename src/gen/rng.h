/*
 * rng.h — deterministic random streams for the synthetic bank.
 *
 * xoshiro256** seeded through splitmix64 from (seed, entity, stream): every
 * customer has its own independent streams, so output is byte-identical for
 * the same seed whatever order or however many customers are made, and a
 * change in one stream (say, the defect rate) never shifts another.
 */
#ifndef RP_GEN_RNG_H
#define RP_GEN_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct rng {
    uint64_t s[4];
} rng;

void rng_init(rng *r, uint64_t seed, uint64_t entity, uint64_t stream);
uint64_t rng_next(rng *r);
/* Uniform in [0, 1). */
double rng_unif(rng *r);
/* Uniform integer in [0, n); n > 0.  Unbiased. */
uint64_t rng_below(rng *r, uint64_t n);
int rng_range(rng *r, int lo, int hi); /* inclusive */
int rng_chance(rng *r, double p);
double rng_normal(rng *r);
double rng_lognormal(rng *r, double mu, double sigma);
int rng_poisson(rng *r, double lambda);
/* Index drawn with probability proportional to w[i]. */
size_t rng_weighted(rng *r, const double *w, size_t n);

#endif
