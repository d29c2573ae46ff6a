/*
 * change.h — how customers change from one period to the next (issue 6,
 * DOMAIN M5, M6): month-on-month gains and losses, movement between
 * levels or segments, and the rules that predict joining, leaving and
 * staying.  Pure functions over in-memory columns.
 */
#ifndef RP_ANALYTICS_CHANGE_H
#define RP_ANALYTICS_CHANGE_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

/* ---- gains and losses (M5, seed 002's table) ----
 *
 * A customer active in either month falls in one class, by this month's
 * value (cur) against last month's (prev), within a tolerance t (a share,
 * 0.10 for 10 %):
 *   same       prev > 0, cur > 0, |cur - prev| <= t * prev
 *   more       cur > prev * (1 + t)
 *   less       cur < prev * (1 - t), cur > 0
 *   new        prev = 0, cur > 0, never active before this month
 *   returning  prev = 0, cur > 0, active before last month
 *   lapsed     prev > 0, cur = 0
 * (activated = new + returning.) */
typedef enum {
    AN_GL_NONE, AN_GL_SAME, AN_GL_MORE, AN_GL_LESS, AN_GL_NEW, AN_GL_RETURNING, AN_GL_LAPSED, AN_GL_N
} an_gl_class;
extern const char *const an_gl_names[AN_GL_N];

typedef struct an_gl_in {
    int64_t prev, cur;           /* value in each month */
    int32_t prev_n, cur_n;       /* transactions in each month */
    int32_t recency_days;        /* days from the last activity to this month's end, -1 never */
    int ever_before;             /* active before last month */
} an_gl_in;

an_gl_class an_gl_classify(const an_gl_in *c, double tolerance);

/* The table's columns, as in seed 002. */
enum { AN_GLC_SAME, AN_GLC_MORE, AN_GLC_ACTIVATED, AN_GLC_LESS_ACTUAL, AN_GLC_FINAL, AN_GLC_LESS_LOST,
       AN_GLC_LAPSED, AN_GLC_POTENTIAL, AN_GLC_N };
extern const char *const an_glc_names[AN_GLC_N];

typedef struct an_gl_cell {
    size_t customers;
    int64_t transactions;
    int64_t value;
    double recency_days;         /* mean */
} an_gl_cell;

/* Columns: same, more, activated and less (actual) hold this month's
 * transactions and value of their customers; final total is their sum
 * (this month's total); less (lost) holds what the "less" customers no
 * longer spend (prev - cur); lapsed holds last month's of the lapsed; the
 * potential total is final + lost + lapsed.  counts[] by class. */
typedef struct an_gl_table {
    an_gl_cell col[AN_GLC_N];
    size_t counts[AN_GL_N];
} an_gl_table;

int an_gains_losses(const an_gl_in *in, size_t n, double tolerance, an_gl_table *out, an_gl_class *cls,
                    rp_error *err) RP_WARN_UNUSED;

/* ---- migration (M6) ---- */

/* counts[from * ngroups + to] and value (this period's) for each pair of
 * groups; from[i] and to[i] index groups.  */
typedef struct an_matrix {
    int ngroups;
    size_t *count;
    int64_t *value;
} an_matrix;

int an_migration(const uint8_t *from, const uint8_t *to, const int64_t *value, size_t n, int ngroups,
                 an_matrix *out, rp_error *err) RP_WARN_UNUSED;
void an_matrix_free(an_matrix *m);

/* Rules: conjunctions of one or two binary features that pick out the
 * customers of a target among a population.  features[i] has bit f set
 * when customer i has feature f (up to 32); in_pop[i] says whether i is in
 * the population; target[i] whether i has the outcome.  A rule holds for
 * `support` customers of the population, `hits` of them with the outcome:
 * confidence = hits / support, lift = confidence / the base rate.  Rules
 * with support below min_support, or lift at most 1, are left out; the best
 * max_rules by lift (then support) are returned, a pair only when it lifts
 * more than both its parts. */
typedef struct an_rule {
    int f1, f2;                  /* f2 -1 for a single condition */
    size_t support, hits;
    double confidence, lift;
} an_rule;

int an_rules_mine(const uint32_t *features, int nfeatures, const uint8_t *in_pop, const uint8_t *target, size_t n,
                  size_t min_support, an_rule *rules, int max_rules, int *nrules, double *base_rate,
                  rp_error *err) RP_WARN_UNUSED;

#endif
