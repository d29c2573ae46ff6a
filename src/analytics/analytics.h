/*
 * analytics.h — customer value and segmentation (issue 6, DOMAIN M2-M8,
 * M13): what each customer is worth and costs, how customers rank, move
 * and group, their lifetime value, and how good each source's data is.
 *
 * An analysis is a job run against the store: it reads its inputs, runs a
 * pure algorithm over in-memory columns, keeps the result with a run id,
 * its parameters and as-of date (analysis_run and the customer_* tables of
 * migration 0005, the module's own), and returns a summary for people and
 * programs.  Everything else it reads through the modules that own it: the
 * warehouse's bulk readers (warehouse.h, "reading in bulk"; the
 * transactions through wh_txn_scan, so that how they are kept is the
 * warehouse's business), loading's totals (etl/etl.h) and the pairs
 * waiting for review (match/match.h).  Most jobs read a customer base:
 * customers, their accounts, and one pass over the transactions, from a
 * column copy kept beside the store when there is one.
 *
 * Files:
 *   analytics.h          this: what other modules use (cli, api, tests)
 *   internal.h           (private) what the files share: dates, the customer base, the column
 *                        copy, the runner's helpers, customers' values and attributes
 *   registry.c           the table of analyses, one row each
 *   runner.c             an_job_run: the run record (analysis_run), bases shared between jobs,
 *                        parameters, the summaries' helpers; past runs
 *   base.c               the customer base, read through the warehouse
 *   facts.c              the column copy of the transactions beside the store
 *   scores.c             a customer's latest scores, for the 360 and a copy of their data
 *   attrtable.c          every customer's attributes as a table, and rules over them, for selections
 *   signature.c          the customer signature as of a day, with labels, for the models
 *   atrisk.c             who is worth saving: P(leaving) x profit, and the cross table
 *   valued.c             value, rank, pyramid level and RFM of every customer; the attributes
 *                        segment rules read
 *   job_NAME.c           one analysis each, the NAME of its row in registry.c: its
 *                        parameters, the algorithm, its per-customer table, its summary
 * The algorithms, pure and private, each header its manual:
 *   value.h              value.c (RFM, Pareto) and profit.c (profitability, ranks, the pyramid);
 *                        the channels and product kinds counted, from the warehouse's vocabulary
 *   change.h             change.c: gains and losses, migration, rule mining; and quality.h, data
 *                        quality, whose function is in change.c too
 *   clv.h                clv.c: BG/NBD and Gamma-Gamma (GSL)
 *   segment.h            segment.c: the segment rule language and its check
 *   cluster.h            cluster.c: k-means++, silhouette, elbow
 *
 * Adding an analysis is one file with one function, plus one row:
 *   1. job_NAME.c: `an_job_fn an_NAME_job;` and its definition, which reads
 *      its parameters (o, then the configuration, an_cfg_double), gets the
 *      customer base (an_base_get), runs the algorithm, starts the run
 *      (an_run_begin), writes its per-customer table when o->save, builds
 *      the summary and ends the run (an_run_end); job_rfm.c is the model;
 *   2. the row X("NAME", an_NAME_job, "標題", "Title", "what it gives",
 *      "its lines for --help") in AN_ANALYSES (registry.c): `rapport analyze
 *      NAME`, its help, the API (the runs, the "analysis" list of GET
 *      /api/v1/vocabulary, the OpenAPI enum) and the web application's
 *      dashboards (a tab, the run shown as its table) take it from there.
 * docs/analytics.md says what each analysis counts.
 *
 * Every summary is a JSON object with at least
 *   job, run, as_of, params, customers, seconds,
 *   headline  one sentence a manager reads first,
 *   table     {"columns": [...], "rows": [[...], ...]}: the analysis's main
 *             table, which `rapport analyze` prints as text or CSV.
 * Money in summaries is in currency units (two decimals for TWD and USD);
 * shares are percentages.
 *
 * Parameters come from the options below, then the configuration file's
 * sections ([value], [pyramid], [analytics], [clv], [segments],
 * [cluster]), then the defaults documented in docs/analytics.md.
 */
#ifndef RP_ANALYTICS_H
#define RP_ANALYTICS_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include "core/config.h"
#include "core/error.h"
#include "store/store.h"
#include "warehouse/warehouse.h"

/* Customer bases read by earlier jobs of one process, reused by later jobs
 * with the same windows and rules: `rapport analyze value pareto rfm` reads
 * the transactions once. */
typedef struct an_base_cache an_base_cache;
an_base_cache *an_base_cache_new(void);
void an_base_cache_free(an_base_cache *c);

typedef struct an_job_opts {
    const char *job;
    int32_t as_of;               /* inclusive, days since 1970 */
    int months;                  /* window length; 0 for the job's default */
    const char *measure;         /* profit (default), revenue or spend */
    const char *levels;          /* pyramid levels (value.h); NULL: [pyramid] levels or the default */
    const char *segments_file;   /* segment rules, one "name = expression" a line */
    const char *by;              /* migration: pyramid (default) or segment */
    int k;                       /* cluster: k, 0 to choose */
    const char *choose;          /* cluster: silhouette (default) or elbow */
    double horizon_weeks;        /* clv: 0 for 52 */
    double acquisition_cost;     /* clv: per new customer, currency units; 0 none */
    an_base_cache *shared;       /* may be NULL */
    const char *facts;           /* the column copy of the transactions (internal.h), or NULL to read them */
    const rp_config *cfg;        /* may be NULL */
    const char *user;
    int progress;
    int save;                    /* keep the run (1 unless told otherwise) */
    /* The latest scoring of the warehouse by the kept model named (segment rules' score('m')): *n
     * customers in ascending order of id, their probabilities and deciles (1 the highest), arrays
     * the caller frees; RP_NOTFOUND naming a model not kept or that has scored none.  NULL: rules
     * that read scores are refused.  (The model store is models.h's; analytics does not reach it.) */
    int (*model_scores)(void *ctx, const char *model, size_t *n, int64_t **customer, double **p, int **decile,
                        rp_error *err);
    void *model_scores_ctx;
} an_job_opts;

/* An analysis: runs o->job's analysis, *summary the caller's to
 * json_decref.  Bad parameters are RP_INVAL naming the option or
 * configuration key; nothing is kept when it fails. */
typedef int an_job_fn(wh *w, const an_job_opts *o, json_t **summary, rp_error *err);

typedef struct an_job {
    const char *name;
    const char *summary;         /* one line, for help */
    an_job_fn *run;
    const char *title_zh, *title_en; /* a few words, for the web application's tabs */
    const char *help;            /* what `rapport analyze --help` says of it, lines of at most 60 */
} an_job;
/* Every analysis (registry.c), in the order help lists them. */
extern const an_job an_jobs[];
extern const int an_njobs;
/* The analyses as a list of the vocabulary's shape, {open, about, terms:
 * [{value, zh, en}]}, for the API (GET /api/v1/vocabulary, "analysis"). */
json_t *an_jobs_json(void);

/* The customer's latest scores (scores.c), one per analysis that scores customers one
 * by one: [{analysis, run, as_of, result}], where result is, by analysis,
 * {revenue, cost, profit (with _minor), decile, level} (value, pareto,
 * pyramid), {recency_days, frequency, monetary, r, f, m, cell} (rfm),
 * {p_alive, expected, expected_value, clv} (clv) or {segment} (segment,
 * cluster, migration, gains-losses).  Empty before any analysis. */
int an_scores(wh *w, int64_t customer, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* The customers behind one cell of a run's chart or table, for an analyst's drill-down (issue 22
 * item 13): filter is the cell's kind, value its value: "level" (a pyramid level) or "decile" of a
 * value run, "cell" (555) or "rf" (R and F as one number, 34) of an RFM run, "segment" of a
 * segment, cluster, migration or gains-and-losses run.  At most limit, in customer order after
 * the customer after (0 for the first page), each with its value in the run; *total is how many
 * the cell holds.  RP_INVAL naming the filter for one there is not.  Ids only: the page shows
 * names masked (the API, security.h), never an identifier or a 360. */
typedef struct an_member {
    int64_t customer;
    char value[64];
} an_member;
int an_members(wh *w, int64_t run, const char *filter, const char *value, int64_t after, int limit, an_member *out,
               int *n, int64_t *total, rp_error *err) RP_WARN_UNUSED;

/* Run o->job (RP_USAGE naming the analyses there are when there is no such
 * one). */
int an_job_run(wh *w, const an_job_opts *o, json_t **summary, rp_error *err) RP_WARN_UNUSED;

/* The summary a past run kept (NULL when there is none), and the list of
 * runs (newest first, job NULL for all): the module's own table, s being
 * wh_store() of the warehouse. */
int an_run_get(rp_store *s, int64_t run, json_t **summary, rp_error *err) RP_WARN_UNUSED;
int an_run_list(rp_store *s, const char *job, int limit, json_t **list, rp_error *err) RP_WARN_UNUSED;

/* The customer attributes segment rules can name (segment.h), for
 * `rapport analyze attributes`. */
typedef struct an_attr_def {
    const char *name;
    int text;                    /* 1 for a text attribute */
    const char *doc;
} an_attr_def;
extern const an_attr_def an_attrs[];
extern const int an_nattrs;

/* ---- every customer's attributes as a table, and rules over them (attrtable.c) ----
 *
 * For a module that keeps the attributes elsewhere and selects from them many times over (marketing's
 * selection copy, marketing.h): the attributes of an_attrs[] of every customer as of o->as_of, by
 * the same rules the segment job reads them (o's windows, measure and levels), in columns: numbers
 * (NAN when unknown) and texts as codes into a dictionary per column (code 0 for unknown). */
#define AN_ATTRS_MAX 48
typedef struct an_attr_table {
    size_t n;                    /* customers, in ascending order of id */
    int32_t as_of;               /* days since 1970 */
    int64_t *customer;
    double *num[AN_ATTRS_MAX];   /* numeric attributes; NULL for a text one */
    uint32_t *code[AN_ATTRS_MAX];/* text attributes; NULL for a numeric one */
    char **dict[AN_ATTRS_MAX];   /* dict[a][code], dict[a][0] NULL */
    uint32_t ndict[AN_ATTRS_MAX];
} an_attr_table;
int an_attr_table_build(wh *w, const an_job_opts *o, an_attr_table *t, rp_error *err) RP_WARN_UNUSED;
void an_attr_table_free(an_attr_table *t);

/* A value of an attribute for a rule: a number (NAN when unknown) or a text (NULL or "" unknown). */
typedef struct an_value_cell {
    double num;
    const char *str;
} an_value_cell;
/* Row accessor: the attribute `attr` of customer `row`; attr < an_nattrs is an_attrs[attr],
 * an_nattrs + 2k the probability of the k-th model the rule names, an_nattrs + 2k + 1 its decile. */
typedef an_value_cell (*an_attr_fn)(void *ctx, size_t row, int attr);

/* One condition in the segment language (docs/analytics.md: attributes, score('m'),
 * score_decile('m')), for selecting customers.  Errors name what and the column:
 * "rule:1:14: unknown attribute 'agee'". */
typedef struct an_rule an_rule;
int an_rule_parse(const char *text, const char *what, an_rule **out, rp_error *err) RP_WARN_UNUSED;
/* 1 when it holds for the row (null counts as false). */
int an_rule_eval(const an_rule *r, an_attr_fn get, void *ctx, size_t row);
/* The models whose scores it reads (names valid while r is), and the attributes it reads:
 * used[a] = 1 for a < an_nattrs. */
int an_rule_models(const an_rule *r, const char *const **names);
void an_rule_attrs(const an_rule *r, uint8_t used[AN_ATTRS_MAX]);
void an_rule_free(an_rule *r);

/* ---- the customer signature (signature.c; docs/models.md) ----
 *
 * One CSV row per customer of what was known at the end of o->as_of (no
 * later transaction or event enters a feature), and, with a label, what
 * happened after: churn (every account held on the as-of date closed
 * within horizon months; with lapse, also no transaction of one's own in
 * its last lapse months), response (the targets of a campaign, 1 for a
 * positive response by its deadline; the as-of date, unless given, the day
 * before its first contact; a column group, treatment or control) or
 * takeup (customers not holding product, a product code or kind, 1 when
 * they opened it within horizon months) or delinquency (card holders with a
 * statement in the two months to the as-of date, 1 when a statement within
 * horizon months after it is dpd or more days past due).  Rows are the
 * customers holding an account on the as-of date (response: the campaign's
 * targets; delinquency: the card holders).  RP_INVAL
 * naming the option for a label the history does not yet reach. */
typedef struct an_sig_opts {
    const char *label;           /* NULL, "churn", "response", "takeup" or "delinquency" */
    int dpd;                     /* delinquency: days past due that count (1 to 9999; 0: 30) */
    const char *population;      /* without a label: the rows of this label's population (delinquency:
                                  * the card holders), to score a model of it */
    int horizon;                 /* months, 1 to 36 (0: 1) */
    int lapse;                   /* churn: months, 0 to the horizon */
    const char *campaign;        /* response */
    const char *product;         /* takeup */
    int as_of_given;             /* response: o->as_of was given */
    int snapshots;               /* rows of this many month-ends (or days) back to o->as_of, one after
                                  * another, for a model to learn from several months; 0: 1 */
} an_sig_opts;

typedef struct an_sig_info {
    size_t rows, positives, customers, left_out;
    int columns;
    int32_t as_of, label_end;    /* label_end AN_NO_DAY (INT32_MIN) without a horizon */
    int32_t first_as_of;         /* with snapshots, the earliest */
    double seconds;
} an_sig_info;

int an_signature(wh *w, const an_job_opts *o, const an_sig_opts *so, FILE *f, an_sig_info *info,
                 rp_error *err) RP_WARN_UNUSED;
/* The same rows (of o->as_of alone) handed to fn one by one instead of written: ncols values, each
 * a number (num[k], NAN when empty) or a text (text[k] non-NULL), under names[k]; fn's error stops
 * the run. */
typedef int an_sig_row_fn(void *ctx, int ncols, const char *const *names, const double *num, const char *const *text,
                          rp_error *err);
int an_signature_each(wh *w, const an_job_opts *o, const an_sig_opts *so, an_sig_row_fn *fn, void *ctx,
                      an_sig_info *info, rp_error *err) RP_WARN_UNUSED;

/* ---- who is worth saving (atrisk.c) ----
 *
 * Customers ranked by P(leaving) x the profit of the latest value analysis (expected_loss, currency
 * units; a customer who costs more than they bring counts 0), the first limit of them, and the
 * churn-by-contribution cross table of seed 004: risk bands by the model's deciles (high 1-2,
 * medium 3-5, low 6-10) against pyramid levels, each cell's customers, profit and expected loss.
 * The probabilities are a kept model's latest scoring (models.h); RP_NOTFOUND when no value analysis
 * has run. */
typedef struct an_at_risk_in {
    size_t n;
    const int64_t *customer;
    const double *p;
    const int *decile;
} an_at_risk_in;
int an_at_risk(wh *w, const an_at_risk_in *in, int limit, json_t **out, rp_error *err) RP_WARN_UNUSED;

#endif
