/*
 * quality.h — data quality per source and field (issue 6, DOMAIN M13):
 * how complete each field is, how many records were rejected and by which
 * rule, and how many records look like duplicates within their own source.
 * Pure over in-memory rows; job_quality.c reads them.
 */
#ifndef RP_ANALYTICS_QUALITY_H
#define RP_ANALYTICS_QUALITY_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

enum { AN_Q_NAME, AN_Q_NAME_ZH, AN_Q_NAME_LATIN, AN_Q_BIRTH, AN_Q_GENDER, AN_Q_OCCUPATION, AN_Q_INCOME, AN_Q_BRANCH,
       AN_Q_ID, AN_Q_PHONE, AN_Q_EMAIL, AN_Q_ADDRESS, AN_Q_NFIELDS };
extern const char *const an_q_fields[AN_Q_NFIELDS];

/* One source record of a party: its source (an index), the fields it has
 * (bit per AN_Q_*), and the customer it was resolved into (0 none). */
typedef struct an_q_row {
    uint32_t source;
    uint32_t fields;
    int64_t customer;
} an_q_row;

typedef struct an_q_source {
    size_t records;
    size_t present[AN_Q_NFIELDS];
    size_t duplicates;             /* records sharing a customer with another record of the same source */
} an_q_source;

/* out[nsources]; rows are reordered. */
int an_quality(an_q_row *rows, size_t n, int nsources, an_q_source *out, rp_error *err) RP_WARN_UNUSED;

#endif
