/*
 * internal.h — what the analytics module's files share; not for other
 * modules (analytics.h is the manual).  Included by the module's files and
 * its unit tests.
 */
#ifndef RP_ANALYTICS_INTERNAL_H
#define RP_ANALYTICS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "analytics/analytics.h"
#include "analytics/segment.h"
#include "analytics/value.h"
#include "core/rtime.h"

/* ---- days ----
 *
 * Days are whole days since 1970-01-01 in Taipei (a transaction posted at
 * 2026-11-22T17:00:00Z is on 2026-11-23).  Windows are half-open [from, to). */

#define AN_NO_DAY INT32_MIN

/* Days since 1970-01-01 of a "YYYY-MM-DD..." text, or AN_NO_DAY. */
int32_t an_day_of(const char *s);
/* Days since 1970 of an instant "YYYY-MM-DDTHH:MM:SSZ" in Taipei. */
int32_t an_day_of_instant(const char *s);
/* The first day of the month m months after the month holding day
 * (m may be negative). */
int32_t an_month_start(int32_t day, int m);
/* Whole years from birth to day, or -1. */
int an_age(int32_t birth, int32_t day);

/* ---- the customer base (base.c) ----
 *
 * The customer base the analyses read: one entry per customer with what
 * they hold and did, read through the warehouse in one pass over the
 * transactions (issue 6).
 *
 * A customer is a party nobody is merged into (coalesce(merged_into, id)):
 * the person identity resolution made, or a source party on its own before
 * `rapport match` has run.  An account belongs to its owner (the first
 * owner of a joint account; another role when it has no owner).  Customers
 * are those holding at least one account.
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
 * a window in the past has its own balances without a balance history. */

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
    uint8_t holds;              /* bit per AN_K_* held at the as-of date */
    char gender;                /* 'F', 'M', 'X' or 0 */
    char income_band[14];
    char home_branch[16];
    an_window w[AN_MAX_WINDOWS];
} an_customer;

/* One account, for the interest margin: its average balance over each
 * window is balance - after[w] - flow[w] / days(w). */
typedef struct an_account {
    int32_t cust;               /* index into customers, -1 when nobody holds it */
    uint8_t kind;               /* AN_K_* */
    uint8_t flags;              /* AN_A_* */
    uint16_t product;           /* index into the base's products */
    int32_t opened, closed;     /* days; closed INT32_MAX while open or when unknown */
    double rate;                /* percent a year; NAN when the source gave none */
    int64_t balance;            /* minor units, now (debt negative) */
    int64_t month_net;          /* the product's revenue less its cost, a month */
    double after[AN_MAX_WINDOWS];
    double flow[AN_MAX_WINDOWS];
} an_account;

/* an_account.flags: closed or written off now (closed may be unknown); its balance never stated by
 * the source (no balance date: a card system's extract of purchases only, say) */
enum { AN_A_ENDED = 1, AN_A_UNSTATED = 2 };

/* Was the account held on day: opened by then and not closed yet (one
 * closed now without a date counts as closed all along). */
static inline int an_account_open(const an_account *a, int32_t day)
{
    return (a->opened == AN_NO_DAY || a->opened <= day) && a->closed > day && !((a->flags & AN_A_ENDED) && a->closed == INT32_MAX);
}

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
    const char *facts;          /* the column copy (below) to read and keep up to date; NULL: read the store */
    /* Every transaction of an account somebody holds, whatever its day, is
     * also handed to visit (when set) as it is read: the account's index,
     * the day, the amount, the place of its class in visit_classes (at most
     * AN_MAX_VISIT_CLASSES names, NULL-terminated; -1 another class) and
     * the channel. */
    void (*visit)(void *ctx, size_t acct, int32_t day, int64_t amount, int cls, uint8_t ch);
    void *visit_ctx;
    const char *const *visit_classes;
} an_base_params;

#define AN_MAX_VISIT_CLASSES 31

struct an_base {
    an_base_params p;
    an_customer *cust;
    size_t ncust;
    an_account *acct;
    size_t nacct;
    char **products;            /* the accounts' product codes */
    size_t nproducts;
    an_day *days;               /* sorted by key, with want_days */
    size_t ndays;
    uint64_t transactions;      /* read */
    uint64_t unowned;           /* transactions on accounts nobody holds */
    uint64_t copied;            /* transactions added to the column copy this time */
    double copy_seconds;        /* bringing the copy up to date */
    double seconds;
    int32_t *slot;              /* each account id's index in acct, -1 none; nslot ids */
    int64_t nslot;
    int borrowed;               /* a view of a base another owns: an_base_free() only forgets it */
};

/* Read the base.  RP_INVAL for windows out of order. */
int an_base_load(wh *w, const an_base_params *p, an_base *out, rp_error *err) RP_WARN_UNUSED;
void an_base_free(an_base *b);

/* ---- the column copy of the transactions (facts.c) ----
 *
 * Kept beside the store for the analyses (issue 6): each transaction's
 * account, day, amount, channel and class in 24 bytes, sorted by account and
 * day, so that a pass over ten million transactions reads 240 MB in order
 * instead of walking SQLite's rows.
 *
 * It is a cache.  Transactions are only ever appended in Rapport, so the
 * copy is brought up to date by reading those whose id is above the last it
 * holds (wh_txn_scan).  Any deletion or update of a transaction (possible
 * only with another tool) counts up the warehouse's transaction generation
 * (wh_txn_mark), and a copy made at another generation, or of another store,
 * is rebuilt.  A copy that is damaged, cut short or of another format is
 * rebuilt too.  New rows are appended; when the unsorted tail passes an
 * eighth of the copy, the tail is sorted and merged in (memory proportional
 * to the tail).  Writes go to a temporary file renamed into place, so a
 * reader never sees half a copy. */

typedef struct an_fact {
    uint64_t key;                /* account << 32 | (day - INT32_MIN): the sort order */
    int64_t amount;
    uint16_t cls;                /* index into the copy's class names */
    uint8_t ch;                  /* AN_CH_* */
    uint8_t pad_[5];
} an_fact;

#define AN_FACT_CLASSES 256
#define AN_FACT_OTHER 255        /* a class past the table's room, or longer than 31 bytes */

static inline uint32_t an_fact_account(const an_fact *f) { return (uint32_t)(f->key >> 32); }
static inline int32_t an_fact_day(const an_fact *f) { return (int32_t)((int64_t)(uint32_t)f->key + INT32_MIN); }

/* Rows sorted in memory at a time when the copy is made or merged (48 MiB
 * at the default 2M); more are spilled to sorted runs beside the copy and
 * merged.  Tests set it small. */
extern size_t an_facts_run_rows;

typedef struct an_facts_info {
    uint64_t rows;               /* in the copy now */
    uint64_t added;              /* read from the store this time */
    int rebuilt;                 /* made afresh (missing, stale or damaged) */
    int merged;                  /* the tail sorted and merged in */
    double seconds;
} an_facts_info;

/* Bring the copy at path up to date with the store. */
int an_facts_sync(wh *w, const char *path, int progress, an_facts_info *info, rp_error *err) RP_WARN_UNUSED;

typedef struct an_facts_reader {
    int fd;
    uint64_t rows, next;
    int nclasses;
    char classes[AN_FACT_CLASSES][32];
    an_fact *buf;
} an_facts_reader;

int an_facts_open(const char *path, an_facts_reader *r, rp_error *err) RP_WARN_UNUSED;
/* The next rows (*n of them, 0 at the end), valid until the next call. */
int an_facts_next(an_facts_reader *r, const an_fact **rows, size_t *n, rp_error *err) RP_WARN_UNUSED;
void an_facts_close(an_facts_reader *r);

/* Each customer's P(alive) and lifetime value over 52 weeks (job_clv.c's
 * models at their default settings) from a base read with want_days to
 * as_of; NAN for a customer without a purchase, and for everyone when the
 * models cannot be fitted. */
int an_clv_of_base(const an_base *b, int32_t as_of, double *p_alive, double *clv, rp_error *err) RP_WARN_UNUSED;

/* ---- the runner's helpers (runner.c), for the jobs ---- */

/* Money in minor units as currency units; a share as a percentage (two decimals). */
json_t *an_money(int64_t minor);
json_t *an_pct(double share);
void an_day_text(int32_t day, char out[RP_DATE_LEN]);
/* The day `m` months before `day` (same day of month, or the month's last). */
int32_t an_months_back(int32_t day, int m);
/* A summary's table: {"columns": cols (NULL-terminated), "rows": []}, and a row added to it. */
json_t *an_table_new(const char *const *cols);
void an_table_add(json_t *t, json_t *row);
/* [sec] key from the configuration: def when absent, RP_INVAL naming it
 * when it is not a number from min to max. */
int an_cfg_double(const an_job_opts *o, const char *sec, const char *key, double def, double min, double max,
                  double *out, rp_error *err) RP_WARN_UNUSED;

/* The base's parameters for o: one window of o->months (12) to the as-of
 * date, the configured activity and fee classes, the column copy. */
void an_base_params_of(const an_job_opts *o, an_base_params *bp);
/* The base for bp: one an earlier job of the process read (o->shared), or
 * read now and kept for the next. */
int an_base_get(wh *w, const an_job_opts *o, const an_base_params *bp, an_base *out, rp_error *err) RP_WARN_UNUSED;

/* A run being recorded in analysis_run: an_run_begin opens the store's
 * transaction (when o->save) in which the job writes its table, an_run_end
 * fills the summary's common members, records it and commits; an_run_abort
 * rolls back.  params is the caller's; the summary keeps a reference. */
typedef struct an_run {
    rp_store *s;
    int64_t id;                  /* 0 when not saved */
    double t0;
    json_t *params;
    const an_job_opts *o;
} an_run;
int an_run_begin(wh *w, const an_job_opts *o, json_t *params, an_run *r, rp_error *err) RP_WARN_UNUSED;
int an_run_end(an_run *r, json_t *sum, size_t customers, rp_error *err) RP_WARN_UNUSED;
void an_run_abort(an_run *r);
/* A job's summary to its caller (RP_OK), or dropped when the job failed. */
int an_hand_over(int rc, json_t *sum, json_t **out);
/* INSERT INTO customer_segment: each customer's segment of a run. */
int an_segment_insert(an_run *r, int64_t customer, const char *segment, rp_error *err) RP_WARN_UNUSED;

/* ---- customers' values, levels and attributes (valued.c) ---- */

/* Value, rank and pyramid level of every customer over a window of a base:
 * value, pareto and pyramid keep them; segment, migration and cluster read
 * them as attributes. */
typedef struct an_valued {
    an_base base;
    an_value_params vp;
    an_value *v;
    int64_t *measure;
    uint32_t *rank;
    uint8_t *active, *level;
    an_pyramid py;
    const char *measure_name;
} an_valued;

/* o->measure checked (profit, revenue or spend), and the [value] parameters. */
int an_valued_params(an_valued *d, const an_job_opts *o, rp_error *err) RP_WARN_UNUSED;
/* The parameters, the base of one window (an_base_params_of) and the values
 * over it; *params the run's parameters (the caller's). */
int an_valued_load(an_valued *d, wh *w, const an_job_opts *o, json_t **params, rp_error *err) RP_WARN_UNUSED;
/* Value, rank and level over window w of the base already read. */
int an_valued_compute(an_valued *d, const an_job_opts *o, int w, rp_error *err) RP_WARN_UNUSED;
void an_valued_free(an_valued *d);
/* Customer value and pyramid level of a run (table customer_value). */
int an_valued_write(an_run *r, const an_valued *d, rp_error *err) RP_WARN_UNUSED;
/* The deciles of a Pareto curve as a summary's table. */
json_t *an_decile_table(const an_pareto *p);
/* value, pareto and pyramid: the same base, values and levels, kept per
 * customer; make builds each one's own summary (NULL and err set on
 * failure). */
typedef json_t *an_valued_summary(an_valued *d, rp_error *err);
int an_valued_job(wh *w, const an_job_opts *o, an_valued_summary *make, json_t **summary,
                  rp_error *err) RP_WARN_UNUSED;

/* The attributes segment rules, migration rules and clusters read, over
 * window w: the values above and each customer's RFM. */
typedef struct an_attrs_ctx {
    an_valued *d;
    int w;
    int32_t as_of;                 /* the window's last day */
    an_rfm_out *rfm;               /* cell 0: never active */
    int32_t *recency;              /* days, -1 never active */
    int nmodels;                   /* the scores segment rules read (an_attrs_models), by customer */
    double *mscore[AN_SEG_MODELS]; /* NAN where the scoring did not reach */
    int *mdecile[AN_SEG_MODELS];   /* 0 there */
} an_attrs_ctx;
int an_attrs_compute(an_attrs_ctx *a, an_valued *d, const an_job_opts *o, int w, rp_error *err) RP_WARN_UNUSED;
void an_attrs_free(an_attrs_ctx *a);
/* The latest scoring of each model set names (score('m') in its rules), read through o->model_scores,
 * onto the customers; RP_INVAL naming the file when the caller cannot read scores, RP_NOTFOUND
 * naming a model that is not kept or has scored none. */
int an_attrs_models(an_attrs_ctx *a, const an_segment_set *set, const char *file, const an_job_opts *o,
                    rp_error *err) RP_WARN_UNUSED;
/* an_attr_fn over an an_attrs_ctx. */
an_value_cell an_attr_get(void *ctx, size_t i, int attr);
/* Internet and mobile's share of the customer's own transactions, NAN without any. */
double an_digital_share(const an_window *w);
/* The segment rules of --segments or [segments] file; *file names it. */
int an_segments_load(const an_job_opts *o, an_segment_set *set, const char **file, rp_error *err) RP_WARN_UNUSED;

#endif
