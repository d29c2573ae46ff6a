/*
 * resolve.h — who is who: blocking, comparing, scoring and clustering
 * source records into people (issue 5, DOMAIN W1, W12).
 *
 * The algorithm works on records in memory (mt_records), one per source
 * party, read from the store by mt_records_load().  mt_resolve():
 *
 *  1. blocks: records that share a national ID, a phone, an e-mail, a
 *     birth date and surname, or a romanised name are candidates, so the
 *     number of comparisons grows with the true candidates, not N²; a
 *     typo in one field still leaves the others to bring a pair together;
 *  2. compares each candidate pair field by field into levels (names across
 *     scripts by Jaro-Winkler over characters, birth dates exact or one
 *     part off, phones and e-mails shared, addresses by their parts);
 *  3. estimates the Fellegi-Sunter m and u probabilities of every level by
 *     EM from the pairs themselves, and scores each pair by its match
 *     weight and posterior probability;
 *  4. links: the same valid national ID always; a posterior at or above
 *     link_at otherwise, unless the two carry different national IDs (then
 *     never) or one of them has no identifier at all (then a person
 *     decides); pairs between review_at and link_at are kept for a person;
 *  5. clusters the links into people, strongest first, refusing a link
 *     that would put two different national IDs (or two birth dates far
 *     apart) into one cluster, so one bad link cannot chain two people.
 */
#ifndef RP_MATCH_RESOLVE_H
#define RP_MATCH_RESOLVE_H

#include <stddef.h>
#include <stdint.h>
#include "core/buf.h"
#include "core/error.h"
#include "match/standard.h"
#include "warehouse/warehouse.h"

#define MT_PHONES 3

typedef struct mt_rec {
    int64_t party;
    uint32_t source;               /* index into mt_records.sources */
    uint32_t key;                  /* offsets into mt_records.text */
    uint32_t han, han_key, latin_key, latin_alt, street;
    uint64_t nid;                  /* a hash of the sealed ID's lookup; 0 none */
    uint64_t phone[MT_PHONES];     /* hashes of E.164 lookups; 0 none */
    uint64_t email;
    uint64_t addr;                 /* county+district+road+number; 0 none */
    uint64_t area;                 /* county+district; 0 none */
    int32_t birth;                 /* days since 1970; INT32_MIN none */
    int64_t person;                /* the customer it was found to be (party.merged_into); 0 none */
    char gender;                   /* F, M or 0 */
    char org;                      /* an organisation */
} mt_rec;

typedef struct mt_records {
    mt_rec *r;
    size_t n, cap;
    rp_buf text;                   /* NUL-separated strings */
    char sources[16][32];
    int nsources;
} mt_records;

void mt_records_init(mt_records *m);
void mt_records_free(mt_records *m);
const char *mt_text(const mt_records *m, uint32_t off);
/* Add a record (tests and the loader below); strings may be NULL. */
int mt_records_add(mt_records *m, mt_romaniser *ro, int64_t party, const char *source, const char *key,
                   const char *name_zh, const char *name_latin, const char *birth, const char *gender,
                   int org, rp_error *err) RP_WARN_UNUSED;
/* Every party that is not merged, with its identifiers and contact points. */
int mt_records_load(wh *w, mt_romaniser *ro, mt_records *m, rp_error *err) RP_WARN_UNUSED;

enum { MT_NONE = 0, MT_REVIEW = 1, MT_LINK = 2, MT_SAME_ID = 3 };

#define MT_FIELDS 6 /* name, birth, gender, phone, email, address */
#define MT_LEVELS 4

typedef struct mt_pair {
    uint32_t a, b;
    uint8_t level[MT_FIELDS];      /* 255: missing */
    int8_t id;                     /* 1 same national ID, -1 different, 0 unknown */
    float weight, prob;
    uint8_t decision;              /* MT_NONE, MT_REVIEW, MT_LINK, MT_SAME_ID */
} mt_pair;

/* The Fellegi-Sunter model: m and u per field and level, and the share of
 * candidate pairs that are matches. */
typedef struct mt_model {
    double m[MT_FIELDS][MT_LEVELS], u[MT_FIELDS][MT_LEVELS], p;
} mt_model;

typedef struct mt_params {
    double link_at, review_at;     /* posterior probabilities */
    size_t max_block;              /* larger blocks are skipped (too common to tell anyone apart) */
    size_t max_name_block;         /* the same for blocks of a name alone (no birth date) */
    int em_iterations;
    const mt_model *model;         /* NULL: estimate from the pairs; else score with this one */
    const uint64_t *skip;          /* sorted blocking keys to skip whatever their size here */
    size_t nskip;
} mt_params;

#define MT_PARAMS_DEFAULT { 0.95, 0.50, 200, 50, 50, NULL, NULL, 0 }

typedef struct mt_result {
    mt_pair *pairs;
    size_t npairs;
    uint32_t *cluster;             /* per record: the index of its cluster's first record */
    double m[MT_FIELDS][MT_LEVELS], u[MT_FIELDS][MT_LEVELS], p;
    size_t blocks_skipped, links, reviews, refused;
    double seconds;
} mt_result;

/* Decisions people made, as pairs of record indexes: linked whatever the
 * score (must), or never directly linked nor joined through others (cannot). */
typedef struct mt_constraints {
    const uint32_t (*must)[2];
    size_t nmust;
    const uint32_t (*cannot)[2];
    size_t ncannot;
} mt_constraints;

/* For an incremental run: mark[i] is nonzero for the records that are new
 * or changed; every other record that shares a block (of at most
 * max_block records over all of m) with one of them gets mark 2.  *skip
 * receives the sorted keys of the blocks too large to use (free() it), to
 * be passed to mt_resolve on a subset so that it skips what a full run
 * would skip. */
int mt_neighbours(const mt_records *m, const mt_params *p, uint8_t *mark, uint64_t **skip, size_t *nskip,
                  rp_error *err) RP_WARN_UNUSED;

/* A record nobody could be told apart by: no national ID, phone, e-mail
 * or full address.  Its pairs never link without a person's decision:
 * those that score for review or whose names are alike are kept for one. */
int mt_rec_anonymous(const mt_rec *r);

int mt_resolve(const mt_records *m, const mt_params *p, const mt_constraints *c, mt_result *out,
               rp_error *err) RP_WARN_UNUSED;
void mt_result_free(mt_result *r);
const char *mt_field_name(int f);

#endif
