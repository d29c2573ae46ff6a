/*
 * match.h — identity resolution: who is who (issue 5, DOMAIN W1, W12).
 *
 * The sources (the host, the card system, internet banking) each write the
 * same person as a party of their own.  `rapport match` reads every source
 * party with its identifiers and current contact points, puts names and
 * addresses into comparable forms, brings together the records that share
 * a block (an identifier, a phone, an e-mail, a name, a birth date and
 * name, an address), scores each candidate pair with Fellegi-Sunter weights
 * estimated by EM, and clusters the links into people.  `rapport match
 * evaluate` measures the result against a truth file (mt_evaluate).  It writes the
 * result in one transaction:
 *
 *  - each cluster of two or more source parties is one person: a party with
 *    resolved = 1 whose values are chosen from its members by the
 *    survivorship rules (by default, for each attribute the most trusted
 *    source that has it: host, then card, then online, then others; the
 *    same person keeps the same party id from run to run), and every member
 *    points to it (party.merged_into); a source party alone points nowhere;
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
 * unmerge) is written to match_decision with who and when.  The module's
 * own tables are match_run, match_pair, match_decision and match_queue
 * (migrations 0003, 0004); what it reads and writes of the parties goes
 * through the warehouse (warehouse.h, "identity resolution").
 *
 * Files:
 *   match.h          this: what other modules use
 *   internal.h       what the module's files share (records, pairs, the model; names, addresses)
 *   standard.c       names in both scripts, romanisation, addresses, Jaro-Winkler
 *   resolve.c        the algorithm on records in memory: blocking, comparing, EM, clustering
 *   records.c        the records and their attributes read from the warehouse
 *   survivorship.c   the survivorship rules, and choosing a person's values by them
 *   run.c            mt_run: a run against the store, phase by phase
 *   review.c         people's decisions: the pairs waiting for review, accept, reject, merge, unmerge
 *   undecided.c      the parties of pairs waiting for review, for analytics' data quality
 *   export.c         which customer each source record belongs to, as CSV
 *   evaluate.c       the customers found measured against a truth file
 *   labels.c         where there is none: a sample of links to label, and the precision it estimates
 *   comparing.c      the matching specification: fields compared and how, blocks, thresholds
 */
#ifndef RP_MATCH_H
#define RP_MATCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "core/config.h"
#include "core/error.h"
#include "warehouse/warehouse.h"

/* ---- options ---- */

typedef struct mt_model mt_model;  /* the Fellegi-Sunter model (internal.h) */

/* The matching specification (`rapport match --spec FILE`, comparing.c):
 * which fields are compared and how, which blocks bring records together,
 * and the thresholds.  A JSON document, every member optional:
 *   {"link_at": 0.95, "review_at": 0.5, "max_block": 200, "max_name_block": 50,
 *    "compare": {"name": {"method": "words" | "jaro_winkler" | "exact", "same": 0.99,
 *                         "close": 0.93, "alike": 0.85},
 *                "birth_date": {"method": "typos" | "exact"}, "gender": true,
 *                "phone": true, "email": true,
 *                "address": {"method": "parts" | "exact", "alike": 0.9},
 *                "identifier": {"method": "typos" | "exact"},
 *                "occupation": {"method": "exact" | "jaro_winkler" | "number",
 *                               "alike": 0.9, "within": 0, "within_share": 0},
 *                "income_band": ..., "home_branch": ...},
 *    "blocking": ["national_id", "identifier", "phone", "email", "name",
 *                 "name_birth", "address", {"all": ["area", "surname"]}]}
 * A blocking rule of parts brings together the records that share all of
 * them: area (postal code or district, else the town), surname (a name's
 * first word), initial (the first letter of the rest), birth_date,
 * birth_year; up to 8 rules.
 * A field given false is not compared; one given true, or left out, is
 * compared the default way (the values above).  Errors name the member
 * path (compare.name.method: 'fuzzy' is not one of words, jaro_winkler,
 * exact).  A national ID compares and blocks whatever the spec says: a
 * valid one is one person's.
 * The party's own attributes (occupation, income_band, home_branch) are
 * compared only when the spec names them: true or "exact" (the same
 * value, letter case and blanks aside, or not), "jaro_winkler" (the same,
 * alike at "alike" or more, or different) or "number" (the same, within
 * "within" of each other or "within_share" of the larger, or different; a
 * value that is not a number is compared as text, the same or missing). */
enum { MT_NAME_WORDS, MT_NAME_JW, MT_NAME_EXACT };
enum { MT_METHOD_TYPOS, MT_METHOD_EXACT };  /* dates, identifiers; addresses: parts (typos) or exact */
enum { MT_ATTR_EXACT, MT_ATTR_JW, MT_ATTR_NUMBER }; /* the party's attributes */
enum { MT_B_NATIONAL, MT_B_IDENTIFIER, MT_B_PHONE, MT_B_EMAIL, MT_B_NAME, MT_B_NAME_BIRTH, MT_B_ADDRESS,
       MT_BLOCK_KINDS };
/* A blocking rule's parts ({"all": ["area", "surname"]}: records that share every part are compared) */
enum { MT_P_AREA, MT_P_SURNAME, MT_P_INITIAL, MT_P_BIRTH_DATE, MT_P_BIRTH_YEAR, MT_PARTS };
#define MT_RULES 8
#define MT_SPEC_FIELDS 10
#define MT_FIRST_ATTR 7            /* the fields from here on are the party's attributes, off by default */
#define MT_SPEC_ATTRS (MT_SPEC_FIELDS - MT_FIRST_ATTR)
typedef struct mt_spec {
    uint8_t use[MT_SPEC_FIELDS];   /* name, birth_date, gender, phone, email, address, identifier,
                                    * occupation, income_band, home_branch */
    uint8_t name_method, date_method, address_method, id_method;
    uint8_t attr_method[MT_SPEC_ATTRS]; /* MT_ATTR_... */
    double name_same, name_close, name_alike, address_alike;
    double attr_alike[MT_SPEC_ATTRS], attr_within[MT_SPEC_ATTRS], attr_share[MT_SPEC_ATTRS];
    uint32_t blocks;               /* 1 << MT_B_... */
    size_t max_block, max_name_block; /* as mt_params says them; here so that a change is another spec */
    uint8_t rules[MT_RULES];       /* blocking rules of parts: each a set of 1 << MT_P_... (0: none) */
    uint64_t hash;                 /* of what it says (0: the default); a run whose spec differs is full */
} mt_spec;
void mt_spec_default(mt_spec *s);
const mt_spec *mt_spec_defaults(void); /* the same, shared, never written */

typedef struct mt_params {
    double link_at, review_at;     /* posterior probabilities */
    size_t max_block;              /* larger blocks are skipped (too common to tell anyone apart) */
    size_t max_name_block;         /* the same for blocks of a name alone (no birth date) */
    int em_iterations;
    const mt_model *model;         /* NULL: estimate from the pairs; else score with this one */
    const uint64_t *skip;          /* sorted blocking keys to skip whatever their size here */
    size_t nskip;
} mt_params;

/* The spec in text (name for messages: a file's path) into s and p's thresholds and block limits. */
int mt_spec_parse(const char *text, size_t n, const char *name, mt_spec *s, mt_params *p, rp_error *err) RP_WARN_UNUSED;
/* The same from a file (at most 1 MiB), named by its path in messages. */
int mt_spec_file(const char *path, mt_spec *s, mt_params *p, rp_error *err) RP_WARN_UNUSED;

/* Survivorship: which member's value a person shows, per attribute. */
enum { MT_TRUSTED = 0, /* the most trusted source that has a value */
       MT_RECENT,      /* the member changed most recently that has a value */
       MT_COMPLETE };  /* the longest value (most complete), ties to the most trusted */
/* The attributes a person takes from its records: those of WH_PARTY_ATTRS
 * flagged WH_PA_PERSON, in list order (kind, name_zh, name_latin,
 * birth_date, gender, occupation, income_band, home_branch). */
#define MT_ATTR_COUNT(n, check, max, zh, en, flags) +((flags)&WH_PA_PERSON ? 1 : 0)
enum { MT_ATTRS = 0 WH_PARTY_ATTRS(MT_ATTR_COUNT) };
#define MT_TRUST_MAX 16

typedef struct mt_survivorship {
    char trust[MT_TRUST_MAX][32];  /* sources, most trusted first; others after them, equal */
    int ntrust;
    uint8_t rule[MT_ATTRS];
} mt_survivorship;

/* From a configuration's [survivorship] section:
 *   trust = host, card, online
 *   default = trusted | recent | complete
 *   occupation = recent          (any attribute by name)
 * An unknown attribute or rule is an error naming it. */
int mt_survivorship_config(mt_survivorship *sv, const rp_config *c, rp_error *err) RP_WARN_UNUSED;

typedef struct mt_options {
    mt_params params;
    mt_spec spec;
    mt_survivorship surv;
    int full;                      /* compare everything again and estimate the model afresh */
} mt_options;

/* Thresholds 0.95 (link) and 0.50 (review); host, card, online trusted in that order. */
void mt_options_default(mt_options *o);

/* ---- running ---- */

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
    char note[240];                /* "" or why the weights are not what the data would say (too few
                                    * candidates, one field only, EM that did not settle) */
} mt_run_stats;

/* Incremental unless o->full, there is no full run before, its thresholds
 * differ from o->params, or most records are new: then everything. */
int mt_run(wh *w, const mt_options *o, const char *by, mt_run_stats *st, rp_error *err) RP_WARN_UNUSED;

/* ---- people's decisions ---- */

/* The pairs waiting for a person, most likely first, at most limit:
 * [{pair, a, b, probability, weight, evidence}], evidence as the run kept
 * it ({records: [a, b], field: "level: value a | value b", ...}). */
int mt_review_list(wh *w, int limit, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* A person's decision on a pair waiting for review: accept (link) or
 * reject (keep apart), with a note of at most MT_NOTE_MAX bytes (longer is
 * refused, RP_TOOBIG "note: ...").  The next run applies it. */
#define MT_NOTE_MAX 1000
int mt_decide(wh *w, int64_t pair, int accept, const char *by, const char *note, rp_error *err) RP_WARN_UNUSED;
/* By hand: make the customers a and b one person (their records are
 * linked in every later run), or take the source record source:key out of
 * customer person (kept apart from its other records in every later run).
 * Each is recorded with who, when and why, and resolution runs again. */
int mt_merge(wh *w, int64_t a, int64_t b, const mt_options *o, const char *by, const char *note, mt_run_stats *st,
             rp_error *err) RP_WARN_UNUSED;
int mt_unmerge(wh *w, int64_t person, const char *source, const char *key, const mt_options *o, const char *by,
               const char *note, mt_run_stats *st, rp_error *err) RP_WARN_UNUSED;
/* The parties of the pairs waiting for review (suspected duplicates nobody
 * has decided yet), each once, by id; *ids is the caller's to free. */
int mt_review_parties(wh *w, int64_t **ids, size_t *n, rp_error *err) RP_WARN_UNUSED;

/* ---- the result ---- */

/* How the customers found compare with the truth: a CSV file with the
 * columns source, key (or source_key) and true_id (the person each source
 * record is; or party_id: `rapport match export` of another run or store
 * is a truth to compare with; or person_id, as `rapport gen` writes its
 * truth/identity.csv), in any order among others.  Pairwise over the truth's records
 * found in the store: precision (of the pairs put in one customer, the share
 * that are one person), recall (of the true pairs, the share put together)
 * and F1; blocking recall (the true pairs that blocking made candidates, of
 * true sets of at most 2,000 records); the pairs waiting for review and their
 * share of the store's records. */
typedef struct mt_quality {
    size_t truth_records, found_records, missing_records, store_records;
    int64_t true_pairs, found_pairs, right_pairs, candidate_true_pairs, checked_true_pairs;
    double precision, recall, f1, blocking_recall;
    size_t reviews;
    double review_share;
} mt_quality;
/* o: the spec and block limits blocking recall is measured with (NULL: the defaults). */
int mt_evaluate(wh *w, const char *truth, const mt_options *o, mt_quality *q, rp_error *err) RP_WARN_UNUSED;
/* Where there is no truth: a random sample of the links the store holds —
 * every two source records of one customer, people's decisions included
 * (of a customer of more than 200, its first 200) — scored by the last full
 * run's model (stratified by score: links by the same national ID,
 * probability 0.9999 to 1, 0.99 to 0.9999, below 0.99; up to size / 4 of
 * each, so the doubtful ones are not drowned by the sure), as *pairs: an
 * array of objects with the members mt_sample_columns names but the label
 * (sample, both records' source:key, names and birth dates, the evidence,
 * the stratum, the links it holds, the probability); links[] how many links
 * each stratum holds.  mt_sample_csv writes them for a person to fill in
 * the label column (same or different).  mt_sample_estimate reads the
 * labelled file back (mt_estimate_add a pair at a time, for the API; then
 * mt_estimate_finish): each stratum's precision, and the bank's, weighted
 * by the strata's links, with a 95 % interval. */
#define MT_STRATA 4
extern const char *const mt_sample_columns[];
/* spec: the matching specification the last full run was made with (NULL: the defaults) */
int mt_sample(wh *w, const mt_spec *spec, size_t size, uint64_t seed, json_t **pairs, size_t links[MT_STRATA],
              rp_error *err) RP_WARN_UNUSED;
int mt_sample_csv(const json_t *pairs, FILE *out, rp_error *err) RP_WARN_UNUSED;
typedef struct mt_estimate {
    size_t rows, total_labelled;
    size_t links[MT_STRATA], labelled[MT_STRATA], same[MT_STRATA];
    double precision_of[MT_STRATA];
    double precision, low, high;   /* over the strata with a label */
} mt_estimate;
int mt_sample_estimate(const char *path, mt_estimate *e, rp_error *err) RP_WARN_UNUSED;
/* One pair: 0, or -1 with why (its stratum, links or label not what a sample has). */
int mt_estimate_add(mt_estimate *e, const char *stratum, size_t sn, const char *links, size_t ln, const char *label,
                    size_t lab, char *why, size_t wn);
void mt_estimate_finish(mt_estimate *e);
json_t *mt_estimate_json(const mt_estimate *e);
const char *mt_stratum_name(int s);
/* The figures as the CLI's --json and the API give them (for_review is reviews). */
json_t *mt_quality_json(const mt_quality *q);

/* Which customer each source record of a party belongs to, as CSV with the
 * header source,source_key,party_id, ordered by source and key. */
int mt_export(wh *w, FILE *out, rp_error *err) RP_WARN_UNUSED;

/* ---- names ---- */

/* A name as someone typed it into a search box, read as Pinyin and written
 * in Wade-Giles without blanks: "xu yizhen" -> "HSUYICHEN".  Returns 0 (out
 * "") when a word is not Pinyin, or when the spelling would not change. */
int mt_pinyin_query(const char *text, char *out, size_t n);

#endif
