/*
 * facts.h — a column copy of the transactions, kept beside the store for
 * the analyses (issue 6): each transaction's account, day, amount, channel
 * and class in 24 bytes, sorted by account and day, so that a pass over ten
 * million transactions reads 240 MB in order instead of walking SQLite's
 * rows.
 *
 * It is a cache.  Transactions are only ever appended in Rapport, so the
 * copy is brought up to date by reading the rows whose id is above the
 * last it holds.  Any deletion or update of a transaction (possible only
 * with another tool) counts up `txn_generation` in store_meta (triggers,
 * migration 0006), and a copy made at another generation is rebuilt.  A
 * copy that is damaged, cut short or of another format is rebuilt too.
 * New rows are appended; when the unsorted tail passes an eighth of the
 * copy, the tail is sorted and merged in (memory proportional to the tail).
 * Writes go to a temporary file renamed into place, so a reader never sees
 * half a copy.
 */
#ifndef RP_ANALYTICS_FACTS_H
#define RP_ANALYTICS_FACTS_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"
#include "store/store.h"

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
int an_facts_sync(rp_store *s, const char *path, int progress, an_facts_info *info, rp_error *err) RP_WARN_UNUSED;

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

#endif
