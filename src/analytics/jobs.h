/*
 * jobs.h — running an analysis against the store (issue 6): read its
 * inputs, run the pure algorithm, keep the result with a run id, its
 * parameters and as-of date (analysis_run and the customer_* tables), and
 * return a summary for people and programs.
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
#ifndef RP_ANALYTICS_JOBS_H
#define RP_ANALYTICS_JOBS_H

#include <jansson.h>
#include <stdint.h>
#include "core/config.h"
#include "core/error.h"
#include "store/store.h"

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
    const char *facts;           /* the column copy of the transactions (facts.h), or NULL to read txn */
    const rp_config *cfg;        /* may be NULL */
    const char *user;
    int progress;
    int save;                    /* keep the run (1 unless told otherwise) */
} an_job_opts;

typedef struct an_job_info {
    const char *name;
    const char *summary;
} an_job_info;
extern const an_job_info an_jobs[];
extern const int an_njobs;

/* Run o->job.  *summary is the caller's to json_decref.  Bad parameters are
 * RP_INVAL naming the option or configuration key. */
int an_job_run(rp_store *s, const an_job_opts *o, json_t **summary, rp_error *err) RP_WARN_UNUSED;

/* The summary a past run kept (NULL when there is none), and the list of
 * runs (newest first, job NULL for all). */
int an_run_get(rp_store *s, int64_t run, json_t **summary, rp_error *err) RP_WARN_UNUSED;
int an_run_list(rp_store *s, const char *job, int limit, json_t **list, rp_error *err) RP_WARN_UNUSED;

#endif
