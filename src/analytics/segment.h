/*
 * segment.h — rule-based segments (issue 6, DOMAIN M7) in a small
 * expression language over customer attributes, and the check that a set
 * of segments puts every customer in exactly one.
 *
 * A rule file has one segment a line, `name = expression`; blank lines and
 * lines starting with # are skipped.  Expressions:
 *
 *   or, and, not            logic (and binds tighter than or)
 *   = != < <= > >=          comparisons of numbers, or of texts (= and !=)
 *   x in (a, b, ...)        membership; x not in (...)
 *   x between a and b       a <= x <= b
 *   + - * /, ( )            arithmetic on numbers
 *   12, 0.5, 'text'         literals ("text" too)
 *   true, false
 *   else                    (alone) every customer no other segment takes
 *
 * Attribute names are those an_attrs[] lists (age, balance, rfm, level,
 * digital_share, ...).  In a segment file, score('churn') and
 * score_decile('churn') are a customer's probability and decile (1 the
 * highest) by the latest scoring of the kept model named (rapport model
 * score); null for a customer that scoring did not reach.  An attribute a customer lacks (age without a birth
 * date) is null: every comparison with it is false, so `age < 30` and
 * `age >= 30` both leave such a customer out — the check then reports them
 * as a gap rather than guessing.
 *
 * Errors name the line and the column: "segments.txt:3:14: unknown
 * attribute 'agee'".
 */
#ifndef RP_ANALYTICS_SEGMENT_H
#define RP_ANALYTICS_SEGMENT_H

#include <stddef.h>
#include <stdint.h>
#include "analytics/analytics.h"
#include "core/error.h"

/* A customer's attributes: numbers (NAN when unknown) and texts (NULL or ""
 * when unknown), by index into an_attrs[]. */
enum {
    AN_A_AGE, AN_A_GENDER, AN_A_INCOME_BAND, AN_A_HOME_BRANCH, AN_A_TENURE_YEARS, AN_A_ACCOUNTS, AN_A_PRODUCTS,
    AN_A_HAS_DEPOSIT, AN_A_HAS_TIME_DEPOSIT, AN_A_HAS_LOAN, AN_A_HAS_CARD, AN_A_HAS_INVESTMENT, AN_A_HAS_INSURANCE,
    AN_A_BALANCE, AN_A_LOANS, AN_A_REVENUE, AN_A_COST, AN_A_PROFIT, AN_A_TRANSACTIONS, AN_A_LEVEL, AN_A_DECILE,
    AN_A_RFM, AN_A_R, AN_A_F, AN_A_M, AN_A_RECENCY_DAYS, AN_A_FREQUENCY, AN_A_MONETARY, AN_A_BRANCH, AN_A_ATM,
    AN_A_INTERNET, AN_A_MOBILE, AN_A_PHONE, AN_A_POS, AN_A_DIGITAL_SHARE, AN_A_ACTIVE, AN_NATTRS
};

/* an_attrs[] (analytics.h) names and describes them. */

/* an_value_cell and an_attr_fn, the row accessor, are analytics.h's. */
typedef struct an_expr an_expr;

#define AN_MAX_SEGMENTS 64
#define AN_SEG_MODELS 8

typedef struct an_segment_set {
    int n;
    char name[AN_MAX_SEGMENTS][64];
    an_expr *rule[AN_MAX_SEGMENTS];  /* NULL for `else` */
    int else_index;                  /* -1 when there is none */
    /* the kept models whose scores the rules read: score('m') is attribute AN_NATTRS + 2k, its
     * score_decile AN_NATTRS + 2k + 1, k the model's index here */
    char model[AN_SEG_MODELS][64];
    int nmodels;
} an_segment_set;

/* Parse one expression (what names the source in messages). */
int an_expr_parse(const char *text, const char *what, int line, an_expr **out, rp_error *err) RP_WARN_UNUSED;
/* The same, score('m') and score_decile('m') allowed, their models named in set (its segments unused). */
int an_expr_parse_set(const char *text, const char *what, int line, an_segment_set *set, an_expr **out,
                      rp_error *err) RP_WARN_UNUSED;
/* used[a] = 1 for each attribute a < n the expression reads (a model's score: AN_NATTRS + 2k (+1)). */
void an_expr_attrs(const an_expr *e, uint8_t *used, int n);
/* 1 true, 0 false (null counts as false). */
int an_expr_eval(const an_expr *e, an_attr_fn get, void *ctx, size_t row);
void an_expr_free(an_expr *e);

int an_segments_parse(const char *text, const char *what, an_segment_set *out, rp_error *err) RP_WARN_UNUSED;
void an_segments_free(an_segment_set *s);

/* Assign each row: seg[i] the segment's index, -1 for none (a gap), -2
 * for several (an overlap).  Counts per segment, the gaps, and for each
 * pair of segments the rows in both (overlap[a * n + b], a < b), with up to
 * `examples` example rows each. */
#define AN_SEG_EXAMPLES 5
typedef struct an_segment_check {
    size_t count[AN_MAX_SEGMENTS];
    size_t gaps;
    size_t gap_example[AN_SEG_EXAMPLES];
    size_t *overlap;                 /* n * n */
    size_t *overlap_example;         /* n * n * AN_SEG_EXAMPLES */
    size_t overlapping;              /* rows in more than one */
} an_segment_check;

int an_segments_assign(const an_segment_set *s, an_attr_fn get, void *ctx, size_t rows, int16_t *seg,
                       an_segment_check *chk, rp_error *err) RP_WARN_UNUSED;
void an_segment_check_free(an_segment_check *c);

#endif
