/*
 * value.h — ranking customers by what they are worth (issue 6, DOMAIN
 * M2-M4): RFM quintile scores, the Pareto contribution curve,
 * profitability, ranks and the pyramid (value.c, profit.c); and the
 * channels and product kinds they count by.  Pure functions over in-memory
 * columns, one entry per customer; private to analytics (analytics.h).
 */
#ifndef RP_ANALYTICS_VALUE_H
#define RP_ANALYTICS_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"
#include "warehouse/warehouse.h"

/* ---- what analytics counts by, from the warehouse's vocabulary ----
 *
 * Transaction channels are their places in WH_TXN_CHANNELS (names
 * wh_txn_channels[]), product kinds in WH_PRODUCT_KINDS (wh_product_kinds[]).
 * The lists hold names, not identifiers, so the channels and kinds analytics
 * treats apart are named here by their places; the counts come from the
 * lists, and test_analytics.c holds the names to them. */
#define AN_ONE_(...) +1
enum { AN_NCH = 0 WH_TXN_CHANNELS(AN_ONE_) };
enum { AN_CH_BRANCH, AN_CH_ATM, AN_CH_INTERNET, AN_CH_MOBILE, AN_CH_PHONE, AN_CH_POS, AN_CH_BATCH };
_Static_assert(AN_CH_BATCH == AN_NCH - 1, "AN_CH_* name every channel of WH_TXN_CHANNELS");
enum { AN_NKIND = 0 WH_PRODUCT_KINDS(AN_ONE_) };
enum { AN_K_DEPOSIT, AN_K_TIME_DEPOSIT, AN_K_LOAN, AN_K_CARD, AN_K_INVESTMENT, AN_K_INSURANCE, AN_K_SERVICE };
_Static_assert(AN_K_SERVICE == AN_NKIND - 1 && AN_NKIND <= 8, "AN_K_* name every kind of WH_PRODUCT_KINDS, a bit each");
/* A party attribute's name, a compile error unless WH_PARTY_ATTRS has it. */
#define AN_PARTY_ATTR(n) (&#n[0 * WH_PA_##n])

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

/* ---- profitability (DOMAIN M2) ---- */

typedef struct an_base an_base; /* the customer base (internal.h) */

/* What a customer brings and costs over a window:
 *   margin  interest margin on each account's average balance: deposits
 *           (ftp - rate), loans and card debt (rate - ftp), investments the
 *           management fee; an unknown rate counts as 0 % on a deposit and
 *           as the transfer price (no margin) on a loan;
 *   fees    fee-class transactions, card interchange on purchases, and each
 *           product's monthly revenue less its monthly cost while held;
 *   cost    each transaction's cost by channel.
 * profit = margin + fees - cost; revenue = margin + fees. */
typedef struct an_value_params {
    double ftp;                      /* funds transfer price, percent a year */
    double investment_fee;           /* percent a year of invested balances */
    double interchange;              /* percent of card purchases */
    int64_t channel_cost[AN_NCH];    /* minor units per transaction */
} an_value_params;

typedef struct an_value {
    int64_t revenue, cost, profit, margin, fees;
    int64_t deposits;                /* average deposit, time deposit and investment balance */
    int64_t loans;                   /* average debt (positive) */
    int32_t transactions;
} an_value;

/* Defaults: transfer price 2 %, investment fee 1 %, interchange 1.5 %;
 * per transaction branch 120, phone 60, ATM 20, internet 8, mobile 5,
 * POS 1 and batch 1 (currency units, after DOMAIN M2's ratios). */
void an_value_params_default(an_value_params *p);
/* out[i] for each customer of b over window w. */
int an_value_compute(const an_base *b, int w, const an_value_params *p, an_value *out, rp_error *err) RP_WARN_UNUSED;

/* ---- ranking, deciles and the customer pyramid (M3, W15) ---- */

/* Customers ranked from the most valuable (ties by position): rank[i] is
 * customer i's place, 0 the first.  Decile = 1 + 10 * rank / n. */
int an_rank(const int64_t *value, size_t n, uint32_t *rank, rp_error *err) RP_WARN_UNUSED;

#define AN_MAX_LEVELS 8
typedef struct an_level {
    char name[24];
    int by_share;                    /* share (percent) of active customers, else threshold */
    double share;
    int64_t threshold;               /* minor units: value at least this */
    int rest;                        /* everyone left (the last level) */
    /* results */
    size_t customers;
    int64_t sum, min, max;
} an_level;

typedef struct an_pyramid {
    an_level level[AN_MAX_LEVELS + 1]; /* the last one used is "inactive" */
    int nlevels;                       /* including inactive */
    size_t customers;
    int64_t total;
} an_pyramid;

/* Parse "top:1%,big:4%,medium:15%,small" (shares of active customers, the
 * last level taking the rest) or "top:1000000,big:100000,medium:10000,small"
 * (value at least so many currency units; exponent digits of minor units).
 * Shares and thresholds cannot be mixed.  Errors name the level. */
int an_pyramid_parse(const char *spec, int exponent, an_pyramid *out, rp_error *err) RP_WARN_UNUSED;
/* Assign levels: active[i] 0 puts customer i in "inactive"; level_of[i] is
 * the level's index.  Levels are filled from the top by rank. */
int an_pyramid_assign(an_pyramid *py, const int64_t *value, const uint8_t *active, size_t n, uint8_t *level_of,
                      rp_error *err) RP_WARN_UNUSED;

#endif
