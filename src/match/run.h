/*
 * run.h — identity resolution against the store: `rapport match`.
 *
 * mt_run() reads every source party (mt_records_load), honours what people
 * decided before (accepted pairs are linked, rejected ones kept apart),
 * resolves, and writes the result in one transaction:
 *
 *  - each cluster of two or more source parties is one person: a party with
 *    resolved = 1 whose values are chosen from its members by the
 *    survivorship rules (mt_survivorship: by default, for each attribute the
 *    most trusted source that has it: host, then card, then online, then
 *    others; the same person keeps the same party id from run to run), and
 *    every member points to it (party.merged_into); a source party alone
 *    points nowhere;
 *  - pairs that need a person's decision are kept in match_pair with the
 *    evidence field by field, unless a person already decided them.
 *
 * Runs are incremental: what the loader adds or changes is queued
 * (match_queue, filled by triggers on party, party_identifier and
 * contact_point), and a run resolves only those records, the records that
 * share a block with them and the customers any of these belong to, scored
 * with the model of the last full run.  The rest of the store is not
 * touched.
 *
 * Nothing of a source party is changed but merged_into, so lineage stays
 * whole and an unmerge is exact.  Every decision (accept, reject, merge,
 * unmerge) is written to match_decision with who and when.
 */
#ifndef RP_MATCH_RUN_H
#define RP_MATCH_RUN_H

#include "match/resolve.h"
#include "core/config.h"
#include "warehouse/warehouse.h"

/* Survivorship: which member's value a person shows, per attribute. */
enum { MT_TRUSTED = 0, /* the most trusted source that has a value */
       MT_RECENT,      /* the member changed most recently that has a value */
       MT_COMPLETE };  /* the longest value (most complete), ties to the most trusted */
#define MT_ATTRS 8     /* kind, name_zh, name_latin, birth_date, gender, occupation, income_band, home_branch */
#define MT_TRUST_MAX 16

typedef struct mt_survivorship {
    char trust[MT_TRUST_MAX][32];  /* sources, most trusted first; others after them, equal */
    int ntrust;
    uint8_t rule[MT_ATTRS];
} mt_survivorship;

/* host, card, online; every attribute from the most trusted source. */
void mt_survivorship_default(mt_survivorship *sv);
/* From a configuration's [survivorship] section:
 *   trust = host, card, online
 *   default = trusted | recent | complete
 *   occupation = recent          (any attribute by name)
 * An unknown attribute or rule is an error naming it. */
int mt_survivorship_config(mt_survivorship *sv, const rp_config *c, rp_error *err) RP_WARN_UNUSED;
const char *mt_attr_name(int a);
const char *mt_rule_name(int r);

typedef struct mt_options {
    mt_params params;
    mt_survivorship surv;
    int full;                      /* compare everything again and estimate the model afresh */
} mt_options;

void mt_options_default(mt_options *o);

typedef struct mt_run_stats {
    int64_t run;                   /* 0: nothing new or changed, nothing run */
    int incremental;
    size_t records;                /* source records in the store */
    size_t changed;                /* new or changed since the last run */
    size_t compared;               /* records this run resolved (all of them in a full run) */
    size_t pairs, links, reviews;  /* this run's candidate pairs, links, pairs waiting */
    size_t customers;              /* in the whole store after the run */
    size_t persons;                /* of them, customers made of two or more source records */
    double seconds;                /* comparing and clustering */
    double read_seconds, write_seconds; /* reading the records; writing the result */
} mt_run_stats;

/* Incremental unless o->full, there is no full run before, its thresholds
 * differ from o->params, or most records are new: then everything. */
int mt_run(wh *w, const mt_options *o, const char *by, mt_run_stats *st, rp_error *err) RP_WARN_UNUSED;
/* A person's decision on a pair waiting for review: accept (link) or
 * reject (keep apart).  The next run applies it. */
int mt_decide(wh *w, int64_t pair, int accept, const char *by, const char *note, rp_error *err) RP_WARN_UNUSED;
/* The pairs waiting for a person, most likely first, at most limit:
 * [{pair, a, b, probability, weight, evidence}], evidence as the run kept
 * it ({records: [a, b], field: "level: value a | value b", ...}). */
int mt_review_list(wh *w, int limit, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* By hand: make the customers a and b one person (their records are
 * linked in every later run), or take the source record source:key out of
 * customer person (kept apart from its other records in every later run).
 * Each is recorded with who, when and why, and resolution runs again. */
int mt_merge(wh *w, int64_t a, int64_t b, const mt_options *o, const char *by, const char *note, mt_run_stats *st,
             rp_error *err) RP_WARN_UNUSED;
int mt_unmerge(wh *w, int64_t person, const char *source, const char *key, const mt_options *o, const char *by,
               const char *note, mt_run_stats *st, rp_error *err) RP_WARN_UNUSED;

#endif
