/* internal.h — shared between the match module's own files (and its unit
 * tests); not for other modules, which use match.h. */
#ifndef RP_MATCH_INTERNAL_H
#define RP_MATCH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "core/buf.h"
#include "core/error.h"
#include "core/map.h"
#include "match/match.h"
#include "warehouse/warehouse.h"

/* ---- standard.c: names, addresses, similarity ----
 *
 * Putting what sources write about a person into forms that can be
 * compared (DOMAIN W12): names in both scripts, addresses, and a string
 * similarity over characters.
 *
 * Romanised names.  Taiwanese passports, and the host and card systems that
 * copied them, write Wade-Giles without apostrophes or umlauts: 張 CHANG,
 * 許 HSU, 君 CHUN, 曾 TSENG, 子 TZU.  mt_romanise() takes each Han character
 * to Hanyu Pinyin with ICU's Han-Latin transliterator (a surname's reading
 * from a table where the character reads otherwise as a surname: 曾 ZENG,
 * 單 SHAN), and each syllable to that Wade-Giles spelling by the rules that
 * relate the two systems (mt_pinyin_to_wg).  A clerk who typed 宜 for 怡 by
 * sound leaves the romanisation unchanged, which is why it is compared.
 * Results are cached per character: ICU is asked once for each.
 *
 * Name keys are upper-case syllables with the given name's syllables
 * joined: 陳怡君 and "Chen, Yi-Chun" both give "CHEN YICHUN".  A romanised
 * name written in Pinyin ("CHEN YIJUN") gets a second key converted to
 * Wade-Giles, because a spelling alone cannot say which system it is in
 * (JU is 如 in Wade-Giles and 居 in Pinyin): comparisons take the better.
 *
 * Addresses are cut into county, district, road (with its section), lane,
 * alley, number and floor, after the cleansing rules (臺 for 台, half-width
 * digits), so that "台北市大安區復興南路1段200號5樓" and "臺北市大安區復興南路一段
 * 200號五樓" compare equal part by part. */

typedef struct mt_romaniser mt_romaniser;

int mt_romaniser_open(mt_romaniser **out, rp_error *err) RP_WARN_UNUSED;
void mt_romaniser_close(mt_romaniser *r);
/* "陳怡君" -> "CHEN YI CHUN": a syllable a Han character, the first read as
 * a surname; letters and digits kept, upper-cased; other characters out. */
int mt_romanise(mt_romaniser *r, const char *zh, char *out, size_t n, rp_error *err) RP_WARN_UNUSED;
/* One toneless Pinyin syllable ("jun"; "lu" also stands for lü) to the
 * passport Wade-Giles spelling, upper case ("CHUN").  Returns 0, leaving
 * the syllable upper-cased, if it is not Pinyin. */
int mt_pinyin_to_wg(const char *syllable, char *out, size_t n);

typedef struct mt_name {
    char han[96];       /* the Chinese name cleaned: blanks out, variants folded (裡 -> 裏) */
    char han_key[96];   /* its romanisation, given name joined: "CHEN YICHUN" */
    char latin_key[96]; /* the romanised name as written: "CHEN YICHUN" */
    char latin_alt[96]; /* ... read as Pinyin, in Wade-Giles; "" when that is the same */
    char sorted[96];    /* the Latin name (else the romanisation) in any order: its words, a nickname as
                         * the name it stands for, sorted: "Bill Smith", "SMITH, William" -> "SMITH WILLIAM" */
} mt_name;

/* Either name may be NULL or empty.  A Latin name in any script or with
 * accents is first written in ASCII (ICU's Any-Latin; Latin-ASCII: José ->
 * JOSE, Müller -> MULLER, Иванов -> IVANOV). */
int mt_name_standardise(mt_romaniser *r, const char *zh, const char *latin, mt_name *out,
                        rp_error *err) RP_WARN_UNUSED;
/* How alike two names are, 0 to 1: the best of the Chinese names compared
 * character by character and the romanisations compared (across scripts). */
double mt_name_similarity(const mt_name *a, const mt_name *b);

typedef struct mt_address {
    char county[16], district[16], road[64], lane[16], alley[16], number[32], floor[16], rest[96];
} mt_address;

/* Cut a Taiwanese address into its parts (what is not recognised goes to
 * rest); Chinese numerals in sections, lanes and floors become digits. */
void mt_address_parse(const char *address, mt_address *out);
/* An address of any other country, in any format: its words upper-cased in
 * ASCII with the usual abbreviations made one (STREET, STR -> ST; ROAD ->
 * RD; APARTMENT, FLAT -> UNIT ...) into street, and its area: the postal
 * code without blanks if given, else the last word (the town). */
void mt_address_words(mt_romaniser *r, const char *address, const char *postal_code, char *street, size_t sn,
                      char *area, size_t an);

/* Jaro-Winkler similarity of two UTF-8 strings, over characters (code
 * points), not bytes; 1 for equal strings, 0 when either is empty. */
double mt_jaro_winkler(const char *a, const char *b);
/* A number as banks write it ("1,200,000", "1 200 000", "35.5", "35,5"): 1 and *v, else 0 (resolve.c) */
int mt_number(const char *s, double *v);
/* Two names' keys word by word: each word of one paired with the word of
 * the other it is most like (any order), Jaro-Winkler per pair, averaged
 * over the longer name's words (a word without a partner counts 0).  So a
 * surname shared by a household counts for half, not, as over the whole
 * string, for its long common beginning. */
double mt_words_similarity(const char *a, const char *b);

/* ---- resolve.c: blocking, comparing, scoring and clustering ----
 *
 * The algorithm works on records in memory (mt_records), one per source
 * party, read from the store by mt_records_load() (records.c).
 * mt_resolve():
 *
 *  1. blocks: records that share an identifier of any type, a phone, an
 *     e-mail, a birth date and surname, a romanised name (as written or in
 *     any order), or an address are candidates, so the number of
 *     comparisons grows with the true candidates, not N²; a typo in one
 *     field still leaves the others to bring a pair together;
 *  2. compares each candidate pair field by field into levels (names across
 *     scripts and in either order by Jaro-Winkler over characters, birth
 *     dates exact or one part off or day and month swapped, phones and
 *     e-mails shared, addresses by their parts or, outside Taiwan, their
 *     words, identifiers other than the national one shared or differing);
 *  3. estimates the Fellegi-Sunter m and u probabilities of every level by
 *     EM from the pairs themselves, and scores each pair by its match
 *     weight and posterior probability;
 *  4. links: the same valid national ID always; a posterior at or above
 *     link_at otherwise, unless the two carry different national IDs (then
 *     never) or one of them has no identifier at all (then a person
 *     decides); pairs between review_at and link_at are kept for a person;
 *  5. clusters the links into people, strongest first, refusing a link
 *     that would put two different national IDs (or two birth dates far
 *     apart) into one cluster, so one bad link cannot chain two people. */

#define MT_PHONES 3
#define MT_IDS 4                   /* identifiers besides the national one a record keeps */
#define MT_ID_AGREE_ONLY 0x80      /* an mt_rec.id_type flag: a source's own number; differing says nothing */

typedef struct mt_rec {
    int64_t party;
    uint32_t source;               /* index into mt_records.sources */
    uint32_t key;                  /* offsets into mt_records.text */
    uint32_t han, han_key, latin_key, latin_alt, sorted, street;
    uint64_t nid;                  /* a hash of the national ID's (resident certificate's, UBN's) lookup; 0 none */
    uint64_t ids[MT_IDS];          /* any other identifier's (passport, tax number, customer numbers): 0 none */
    uint8_t id_type[MT_IDS];       /* each one's type (1 + its place in WH_IDENTIFIER_TYPES), | MT_ID_AGREE_ONLY */
    uint32_t id_value[MT_IDS];     /* each one's value (in memory only), to tell a typo from another number */
    uint64_t phone[MT_PHONES];     /* hashes of E.164 lookups; 0 none */
    uint64_t email;
    uint64_t addr;                 /* county+district+road+number, or any country's address words+area; 0 none */
    uint64_t area;                 /* county+district, or the postal code (else the town); 0 none */
    int32_t birth;                 /* days since 1970; INT32_MIN none */
    int64_t person;                /* the customer it was found to be (party.merged_into); 0 none */
    uint32_t attr[MT_SPEC_ATTRS];  /* the attributes the spec compares (occupation, income band, home branch),
                                    * trimmed and in lower case: offsets into text (0: none or not compared) */
    char gender;                   /* F, M or 0 */
    char org;                      /* an organisation */
} mt_rec;

typedef struct mt_records {
    const mt_spec *spec;           /* how they are compared and blocked (NULL: the default) */
    mt_rec *r;
    size_t n, cap;
    rp_buf text;                   /* NUL-separated strings */
    char sources[16][32];
    int nsources;
} mt_records;

void mt_records_init(mt_records *m);
void mt_records_free(mt_records *m);
const char *mt_text(const mt_records *m, uint32_t off);
/* s kept in m's text: its offset (0 for NULL or ""). */
uint32_t mt_keep_text(mt_records *m, const char *s);
/* s trimmed, its blanks one, ASCII letters in lower case, kept in m's text: its offset (0: none) */
uint32_t mt_keep_folded(mt_records *m, const char *s);
/* Add a record (mt_records_load, and tests); strings may be NULL. */
int mt_records_add(mt_records *m, mt_romaniser *ro, int64_t party, const char *source, const char *key,
                   const char *name_zh, const char *name_latin, const char *birth, const char *gender,
                   int org, rp_error *err) RP_WARN_UNUSED;
/* The hashes records are blocked and compared by. */
uint64_t mt_hash(const void *p, size_t n);
uint64_t mt_hash_str(const char *s, uint64_t tag);

enum { MT_NONE = 0, MT_REVIEW = 1, MT_LINK = 2, MT_SAME_ID = 3 };

#define MT_FIELDS MT_SPEC_FIELDS /* name, birth, gender, phone, email, address, identifier, the attributes */
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
struct mt_model {
    double m[MT_FIELDS][MT_LEVELS], u[MT_FIELDS][MT_LEVELS], p;
};

#define MT_PARAMS_DEFAULT { 0.95, 0.50, 200, 50, 200, NULL, NULL, 0 }

typedef struct mt_result {
    mt_pair *pairs;
    size_t npairs;
    uint32_t *cluster;             /* per record: the index of its cluster's first record */
    double m[MT_FIELDS][MT_LEVELS], u[MT_FIELDS][MT_LEVELS], p;
    int u_sampled;                 /* u began from all the candidates (too few pairs known to be two people) */
    int em_iterations;             /* EM's iterations until it converged (or em_iterations) */
    char note[240];                /* why the weights are not estimated from the data, or are doubtful: "" none */
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

/* A record nobody could be told apart by: no national ID, other
 * identifier (a source's own customer number aside), phone, e-mail or
 * address.  Its pairs never link without a person's decision unless the
 * two share an identifier: those that score for review or whose names are
 * alike are kept for one. */
int mt_rec_anonymous(const mt_rec *r);

int mt_resolve(const mt_records *m, const mt_params *p, const mt_constraints *c, mt_result *out,
               rp_error *err) RP_WARN_UNUSED;
/* Two records compared and scored with a model (the pair's a and b set):
 * its levels, weight and probability; decision MT_SAME_ID when they share
 * a national ID, else MT_LINK (the caller knows they are linked). */
void mt_compare_pair(const mt_records *m, const mt_model *mo, mt_pair *p);
/* Step 1 alone: the candidate pairs of m's records as (a << 32 | b), a < b,
 * sorted, once each; *pk is the caller's to free. */
int mt_candidate_pairs(const mt_records *m, const mt_params *p, uint64_t **pk, size_t *np,
                       rp_error *err) RP_WARN_UNUSED;
void mt_result_free(mt_result *r);
const char *mt_field_name(int f);
/* How many levels field f has under spec sp (the attributes' by their method, 0 when not compared) */
int mt_field_levels(const mt_spec *sp, int f);
/* The spec records are compared with (the default when they have none) */
const mt_spec *mt_spec_of(const mt_records *m);

/* ---- run.c ---- */

/* The names of a few records as their sources gave them (for a person to
 * read: the records in memory keep only their comparison keys). */
typedef struct mt_shown {
    int64_t *party;                /* sorted */
    uint32_t (*name)[2];           /* each one's Chinese and Latin names: offsets into text (0: none) */
    size_t n;
    rp_buf text;
} mt_shown;
/* The names of both records of the pairs r->pairs[pick[0..n)], or (pick NULL) of every pair r keeps for review. */
int mt_shown_load(wh *w, const mt_records *m, const mt_result *r, const size_t *pick, size_t n, mt_shown *s,
                  rp_error *err) RP_WARN_UNUSED;
/* Record r's name as its source gave it (latin: its Latin one), else NULL. */
const char *mt_shown_name(const mt_shown *s, const mt_rec *r, int latin);
void mt_shown_free(mt_shown *s);

/* A pair's evidence as a run keeps it: each field's level in words, the
 * two records (their names as shown, else their comparison keys), the
 * national IDs. */
json_t *mt_evidence(const mt_records *m, const mt_pair *q, const mt_shown *shown);
/* The model of the last full run made with spec, and its thresholds into p (*have 0: none). */
int mt_last_model(wh *w, const mt_spec *spec, mt_params *p, mt_model *model, int *have, rp_error *err) RP_WARN_UNUSED;

/* ---- records.c: the records read from the warehouse ---- */

/* Every source party, with its national IDs and current contact points. */
int mt_records_load(wh *w, mt_romaniser *ro, mt_records *m, rp_error *err) RP_WARN_UNUSED;
/* *ix (freed first) maps each party id of m to its record's index. */
int mt_index(rp_map **ix, const mt_records *m, rp_error *err) RP_WARN_UNUSED;
/* The index of party's record; SIZE_MAX when it has none. */
size_t mt_index_of(rp_map *ix, int64_t party);

/* Each record's attributes for survivorship: the MT_ATTRS attributes, then
 * status and updated_at, as offsets into text (0: none). */
enum { MT_A_STATUS = MT_ATTRS, MT_A_UPDATED, MT_A_N };
typedef struct mt_attrs {
    uint32_t (*off)[MT_A_N];
    rp_buf text;
} mt_attrs;
#define MT_ATTRS_INIT { NULL, RP_BUF_INIT }

/* The attributes of m's records (ix: mt_index).  One scan of the parties
 * when m holds more than a quarter of all the source parties there are,
 * a lookup each otherwise. */
int mt_attrs_load(wh *w, const mt_records *m, rp_map *ix, size_t all, mt_attrs *at, rp_error *err) RP_WARN_UNUSED;
static inline const char *mt_attr_at(const mt_attrs *at, size_t rec, int a)
{
    uint32_t o = at->off[rec][a];
    return o ? at->text.data + o : NULL;
}
void mt_attrs_free(mt_attrs *at);

/* ---- survivorship.c ---- */

/* host, card, online; every attribute from the most trusted source. */
void mt_survivorship_default(mt_survivorship *sv);
/* Attribute a (0 .. MT_ATTRS - 1): its name, and its place in WH_PARTY_ATTRS. */
const char *mt_attr_name(int a);
int mt_attr_slot(int a);
const char *mt_rule_name(int r);

/* A member of a cluster, with its source's trust (lower is more trusted). */
typedef struct mt_member {
    uint32_t rec;
    int trust;
} mt_member;
int mt_trust(const mt_survivorship *sv, const char *source);
/* qsort order: most trusted first, then by record. */
int mt_by_trust(const void *a, const void *b);

/* The values a person of the k members mem (in trust order) shows, by the
 * rules: its MT_ATTRS attributes and status (active while any member is),
 * into p.  RP_INVAL when no member has a name. */
int mt_survivors(const mt_records *m, const mt_attrs *at, const mt_survivorship *sv, const mt_member *mem,
                 size_t k, wh_party *p, rp_error *err) RP_WARN_UNUSED;

#endif
