/*
 * base.h — the customer base the analyses read: one entry per customer
 * with what they hold and did, read from the store in one pass over the
 * transactions (issue 6).
 *
 * A customer is a party nobody is merged into (coalesce(merged_into, id)):
 * the person identity resolution made, or a source party on its own before
 * `rapport match` has run.  An account belongs to its owner (the first
 * owner of a joint account; another role when it has no owner).  Customers
 * are those holding at least one account.
 *
 * Days are whole days since 1970-01-01 in Taipei (a transaction posted at
 * 2026-11-22T17:00:00Z is on 2026-11-23).  Windows are half-open [from, to).
 *
 * Activity — what RFM, gains and losses and CLV count — is what the customer
 * did: by default every purchase (whatever its amount, so that a free item
 * counts as a visit) and every debit on a channel other than `batch`
 * (withdrawals, transfers out, bill payments; not standing orders, salary or
 * interest), or, when activity classes are given, the transactions of those
 * classes whatever their sign.  Its value is the amount without sign.
 *
 * Memory is proportional to customers and accounts, not to transactions
 * (about 200 bytes a customer and 64 an account), except that with
 * want_days the purchase days (one 16-byte entry per customer and day) are
 * kept for lifetime value.
 *
 * Balances: the store holds each account's balance now; the average balance
 * over a window is worked back from it through the transactions (the
 * balance on day d is the balance now less every amount posted after d), so
 * a window in the past has its own balances without a balance history.
 */
#ifndef RP_ANALYTICS_BASE_H
#define RP_ANALYTICS_BASE_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"
#include "store/store.h"

enum { AN_CH_BRANCH, AN_CH_ATM, AN_CH_INTERNET, AN_CH_MOBILE, AN_CH_PHONE, AN_CH_POS, AN_CH_BATCH, AN_NCH };
extern const char *const an_channel_names[AN_NCH];

typedef enum {
    AN_K_DEPOSIT, AN_K_TIME_DEPOSIT, AN_K_LOAN, AN_K_CARD, AN_K_INVESTMENT, AN_K_INSURANCE, AN_K_SERVICE, AN_NKIND
} an_kind;
extern const char *const an_kind_names[AN_NKIND];

#define AN_NO_DAY INT32_MIN
#define AN_MAX_WINDOWS 2
#define AN_MAX_CLASSES 64

/* What one customer did in one window. */
typedef struct an_window {
    int32_t n[AN_NCH];          /* transactions by channel */
    int32_t act_n;              /* activity transactions */
    int64_t act_sum;            /* their value (positive) */
    int64_t fees;               /* fee-class transactions' value (positive) */
    int64_t card_spend;         /* purchases on card accounts (positive) */
    int32_t last_act;           /* last activity before the window's end, or AN_NO_DAY */
    int32_t pad_;
} an_window;

typedef struct an_customer {
    int64_t id;
    int32_t first_act;          /* first activity ever (before the last window's end) */
    int32_t birth;              /* day of birth, or AN_NO_DAY */
    int32_t since;              /* the earliest account opened, or AN_NO_DAY */
    int16_t accounts;           /* accounts held at the as-of date */
    int16_t products;           /* distinct products held at the as-of date */
    uint8_t holds;              /* bit per an_kind held at the as-of date */
    char gender;                /* 'F', 'M', 'X' or 0 */
    char income_band[14];
    char home_branch[16];
    an_window w[AN_MAX_WINDOWS];
} an_customer;

/* One account, for the interest margin: its average balance over each
 * window is balance - after[w] - flow[w] / days(w). */
typedef struct an_account {
    int32_t cust;               /* index into customers, -1 when nobody holds it */
    uint8_t kind;               /* an_kind */
    uint8_t pad_[3];
    int32_t opened, closed;     /* days; closed INT32_MAX while open */
    double rate;                /* percent a year; NAN when the source gave none */
    int64_t balance;            /* minor units, now (debt negative) */
    int64_t month_net;          /* the product's revenue less its cost, a month */
    double after[AN_MAX_WINDOWS];
    double flow[AN_MAX_WINDOWS];
} an_account;

typedef struct an_day {
    uint64_t key;               /* customer index << 32 | (day - INT32_MIN) */
    int64_t value;              /* activity on that day, all transactions summed */
} an_day;

typedef struct an_base_params {
    int windows;                /* 1 or 2 */
    int32_t from[AN_MAX_WINDOWS], to[AN_MAX_WINDOWS];
    int want_days;              /* keep purchase days (for CLV), up to days_to */
    int32_t days_to;
    const char *activity_classes;  /* comma-separated, or NULL for the default rule */
    const char *fee_classes;       /* comma-separated; default "fee,charge,commission" */
    int progress;               /* show progress on a terminal */
    const char *facts;          /* the column copy (facts.h) to read and keep up to date; NULL: read txn */
} an_base_params;

typedef struct an_base {
    an_base_params p;
    an_customer *cust;
    size_t ncust;
    an_account *acct;
    size_t nacct;
    an_day *days;               /* sorted by key, with want_days */
    size_t ndays;
    uint64_t transactions;      /* read */
    uint64_t unowned;           /* transactions on accounts nobody holds */
    uint64_t copied;            /* transactions added to the column copy this time */
    double copy_seconds;        /* bringing the copy up to date */
    double seconds;
    int borrowed;               /* a view of a base another owns: an_base_free() only forgets it */
} an_base;

/* Read the base.  RP_INVAL for windows out of order. */
int an_base_load(rp_store *s, const an_base_params *p, an_base *out, rp_error *err) RP_WARN_UNUSED;
void an_base_free(an_base *b);

/* AN_CH_* of a channel name (unknown names count as batch). */
uint8_t an_channel_of(const char *c);
/* Days since 1970-01-01 of a "YYYY-MM-DD..." text, or AN_NO_DAY. */
int32_t an_day_of(const char *s);
/* Days since 1970 of an instant "YYYY-MM-DDTHH:MM:SSZ" in Taipei. */
int32_t an_day_of_instant(const char *s);
/* The first day of the month m months after the month holding day
 * (m may be negative). */
int32_t an_month_start(int32_t day, int m);
/* Whole years from birth to day, or -1. */
int an_age(int32_t birth, int32_t day);

#endif
