/*
 * run.h — identity resolution against the store: `rapport match`.
 *
 * mt_run() reads every source party (mt_records_load), honours what people
 * decided before (accepted pairs are linked, rejected ones kept apart),
 * resolves, and writes the result in one transaction:
 *
 *  - each cluster of two or more source parties is one person: a party with
 *    resolved = 1 whose values are chosen from its members by the
 *    survivorship rules (for each attribute the most trusted source that has
 *    it: host, then card, then online, then others; the same person keeps
 *    the same party id from run to run), and every member points to it
 *    (party.merged_into); a source party alone points nowhere;
 *  - pairs that need a person's decision are kept in match_pair with the
 *    evidence field by field, unless a person already decided them.
 *
 * Nothing of a source party is changed but merged_into, so lineage stays
 * whole and an unmerge is exact.  Every decision (accept, reject, merge,
 * unmerge) is written to match_decision with who and when.
 */
#ifndef RP_MATCH_RUN_H
#define RP_MATCH_RUN_H

#include "match/resolve.h"
#include "warehouse/warehouse.h"

typedef struct mt_run_stats {
    int64_t run;
    size_t records, pairs, links, reviews, persons, merged_records;
    double seconds;
} mt_run_stats;

int mt_run(wh *w, const mt_params *p, const char *by, mt_run_stats *st, rp_error *err) RP_WARN_UNUSED;
/* A person's decision on a pair waiting for review: accept (link) or
 * reject (keep apart).  The next run applies it. */
int mt_decide(wh *w, int64_t pair, int accept, const char *by, const char *note, rp_error *err) RP_WARN_UNUSED;

/* By hand: make the customers a and b one person (their records are
 * linked in every later run), or take the source record source:key out of
 * customer person (kept apart from its other records in every later run).
 * Each is recorded with who, when and why, and resolution runs again. */
int mt_merge(wh *w, int64_t a, int64_t b, const char *by, const char *note, mt_run_stats *st,
             rp_error *err) RP_WARN_UNUSED;
int mt_unmerge(wh *w, int64_t person, const char *source, const char *key, const char *by, const char *note,
               mt_run_stats *st, rp_error *err) RP_WARN_UNUSED;

#endif
