/*
 * c360doc.h — the customer 360 as the API serves it, kept per customer.
 *
 * Building a 360 (wh_c360) takes eight queries, about 160 µs at a million
 * customers; the API's busiest route cannot afford that on every view.  So
 * each customer's document is kept in the store (table c360_doc, migration
 * 0008), rendered and masked, in two variants of its contact_points member:
 * in full, for roles that may see phones, e-mails and addresses, and masked.
 * Serving one is one read by primary key and three copies.
 *
 * A kept document is never out of date: the store's triggers delete it in
 * the same transaction as any change to what it shows (see the migration),
 * and a document whose customer's age has moved on is not served.  A missing
 * one is built from the warehouse again: by the view that finds it missing
 * (which serves the live build), by `rapport serve` in the background, or by
 * `rapport customer refresh`.
 */
#ifndef RP_API_C360DOC_H
#define RP_API_C360DOC_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"
#include "warehouse/warehouse.h"

typedef struct api_doc {
    char *json;              /* the reply, malloc'd, with a final newline */
    size_t len;
    int64_t person;
    char home_branch[32];
} api_doc;

/* A kept document of customer id (a person, not a merged source party) as a
 * viewer sees it, contacts shown or masked; today is the date in Taipei
 * ("YYYY-MM-DD").  RP_NOTFOUND when none is kept or it is out of date. */
int api_doc_read(wh *w, int64_t id, int show_contacts, const char *today, api_doc *out,
                 rp_error *err) RP_WARN_UNUSED;
void api_doc_free(api_doc *d);

/* Build the document of the customer that id is or belongs to, and keep it
 * (in a transaction of its own, or the caller's); id is then no longer to be
 * built.  RP_NOTFOUND when there is no such party. */
int api_doc_build(wh *w, int64_t id, rp_error *err) RP_WARN_UNUSED;

typedef struct api_doc_stats {
    int64_t built;           /* documents built */
    int64_t kept;            /* documents kept, at the end */
    int64_t customers;       /* customers (persons) in the store */
    double seconds;
} api_doc_stats;

/* Build the documents to be built (or all of them, with all): those a change
 * deleted, new customers' and those out of date by age; at most max (0: no
 * limit), batch per transaction.  Progress on a terminal if progress. */
int api_doc_refresh(wh *w, int all, int64_t max, int batch, int progress, api_doc_stats *st,
                    rp_error *err) RP_WARN_UNUSED;

/* Up to max customers whose document is to be built (table c360_stale, and
 * those out of date by age), for building a few at a time. */
int api_doc_pending(wh *w, int64_t *ids, int max, int *got, rp_error *err) RP_WARN_UNUSED;

/* Compare kept documents (each one, or every nth) with fresh builds.  Each
 * difference is counted and its customer logged. */
int api_doc_verify(wh *w, int every, int64_t *checked, int64_t *differ, rp_error *err) RP_WARN_UNUSED;

/* How many documents are kept, customers there are, and documents are to be built (stale may be NULL). */
int api_doc_count(wh *w, int64_t *kept, int64_t *customers, int64_t *stale, rp_error *err) RP_WARN_UNUSED;

#endif
