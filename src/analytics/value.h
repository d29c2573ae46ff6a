/*
 * value.h — ranking customers by what they are worth (issue 6, DOMAIN
 * M3, M4): RFM quintile scores and the Pareto contribution curve.  Pure
 * functions over in-memory columns, one entry per customer.
 */
#ifndef RP_ANALYTICS_VALUE_H
#define RP_ANALYTICS_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

/* Quintile scores 1..5, 5 the best, by rank with ties kept together: a
 * customer's score is 1 + floor(5 * below / n), where below counts the
 * customers with a strictly worse value, so equal values always share a
 * score and a score may be skipped when many customers tie (a fifth of
 * them at one value fills that value's quintile and more).  Recency is
 * better when smaller (days since the last transaction), frequency and
 * monetary when larger. */
typedef struct an_rfm_in {
    int32_t recency_days;
    int32_t frequency;
    int64_t monetary_minor;
} an_rfm_in;

typedef struct an_rfm_out {
    uint8_t r, f, m;
    uint16_t cell;                 /* 100 r + 10 f + m, e.g. 555 */
} an_rfm_out;

int an_rfm(const an_rfm_in *in, size_t n, an_rfm_out *out, rp_error *err) RP_WARN_UNUSED;

/* The Pareto curve of values (revenue, profit) over customers ranked from
 * the most valuable: cum_share[k] is the share of the total held by the
 * top k % of customers (k = 0..100, the customer at a boundary counted
 * fractionally); the share of the top 20 %; breakpoints: the smallest
 * share of customers holding 50, 80, 90 and 95 % of the total; and
 * deciles of customers with their count, sum, minimum and maximum.
 * Negative values (customers who cost more than they bring) are kept:
 * shares can then exceed 100 % before the curve comes down to it. */
typedef struct an_decile {
    size_t customers;
    int64_t sum, min, max;
} an_decile;

typedef struct an_pareto {
    size_t customers;
    int64_t total;
    double cum_share[101];
    double top20_share;
    double breakpoint[4];          /* customers' share for 50, 80, 90, 95 % of the total */
    an_decile decile[10];          /* decile[0] the top tenth */
} an_pareto;

int an_pareto_compute(const int64_t *value, size_t n, an_pareto *out, rp_error *err) RP_WARN_UNUSED;

#endif
