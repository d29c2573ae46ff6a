/*
 * internal.h — what the synthetic bank's own files share; not for callers,
 * who have gen.h (its opening comment maps the files).  tests/unit/test_gen.c
 * includes it too, for the random streams and the output files.
 */
#ifndef RP_GEN_INTERNAL_H
#define RP_GEN_INTERNAL_H

#include <iconv.h>
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "core/ebcdic.h"
#include "core/error.h"
#include "core/rtime.h"
#include "gen/gen.h"

/* ---- random streams (rng.c) ----
 *
 * xoshiro256** seeded through splitmix64 from (seed, entity, stream): every
 * customer has its own independent streams, so output is byte-identical for
 * the same seed whatever order or however many customers are made, and a
 * change in one stream (say, the defect rate) never shifts another. */

typedef struct rng {
    uint64_t s[4];
} rng;

void rng_init(rng *r, uint64_t seed, uint64_t entity, uint64_t stream);
uint64_t rng_next(rng *r);
/* Uniform in [0, 1). */
double rng_unif(rng *r);
/* Uniform integer in [0, n); n > 0.  Unbiased. */
uint64_t rng_below(rng *r, uint64_t n);
int rng_range(rng *r, int lo, int hi); /* inclusive */
int rng_chance(rng *r, double p);
double rng_normal(rng *r);
double rng_lognormal(rng *r, double mu, double sigma);
int rng_poisson(rng *r, double lambda);
/* Index drawn with probability proportional to w[i]. */
size_t rng_weighted(rng *r, const double *w, size_t n);

/* The streams, one per purpose: rng_init's `stream` (S_DEFECT + k: the
 * defects of one file). */
enum { S_KIND = 1, S_PERSON, S_HOUSE, S_MONTHS, S_CARD, S_CARD_TXN, S_DEFECT, S_CHURN, S_ONLINE, S_CALLS,
       S_CAMPAIGN, S_CARD_STMT, S_PRIVACY };

/* ---- an output file (out.c): written once, hashed as it goes (SHA-256 for
 * the manifest), with its record count ---- */

typedef struct gen_out {
    FILE *f;
    char path[1024]; /* full path */
    char rel[128];   /* path inside the output directory */
    const char *system, *format, *encoding, *layout, *description;
    crypto_hash_sha256_state sha;
    int64_t records;
    int64_t bytes;
    int failed; /* sticky: a write failed */
    int err_no;
} gen_out;

int gen_out_open(gen_out *o, const char *dir, const char *rel, rp_error *err) RP_WARN_UNUSED;
void gen_out_write(gen_out *o, const void *p, size_t n);
void gen_out_printf(gen_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Close and finish the hash; hex receives 64 hex digits. */
int gen_out_close(gen_out *o, char hex[65], rp_error *err) RP_WARN_UNUSED;

/* ---- the world (world.c): places, streets, occupations, e-mail domains;
 * the name tables are in gen.h ---- */

typedef struct gen_district {
    const char *name;
    const char *zip; /* three-digit postal code */
} gen_district;

typedef struct gen_county {
    const char *name;      /* 臺北市 (official form, with 臺) */
    const char *name_en;
    double population;     /* millions, for weighting */
    char id_letter;        /* national-ID letter of the household registration */
    const char *area_code; /* "02", "037" ... */
    int local_digits;      /* digits after the area code */
    const gen_district *districts;
    size_t ndistricts;
} gen_county;

extern const gen_county gen_counties[];
extern const size_t gen_ncounties;
extern const char *const gen_streets[];
extern const size_t gen_nstreets;
extern const char *const gen_email_domains[];
extern const size_t gen_nemail_domains;

typedef struct gen_occupation {
    const char *code, *zh, *en;
    double income_factor;
} gen_occupation;
extern const gen_occupation gen_occupations[];
extern const size_t gen_noccupations;

/* Variant characters a clerk or another system may use for the same
 * character (臺/台 and others), among those both Big5 and IBM-937 hold:
 * returns the variant or NULL. */
const char *gen_variant(const char *ch);

/* A character with the same reading (Zhuyin), as a clerk typing by sound
 * may pick instead: 怡 -> 宜, 婷 -> 庭.  NULL when the table has none. */
const char *gen_homophone(const char *ch);

/* ---- the bank's products, its customers and the run ---- */

#define MAX_ACCTS 5
#define REV_BINS 4096 /* log-binned revenue histogram: a mergeable summary */

typedef enum { P_SAV, P_TD, P_MTG, P_PLN, P_FUND, P_N } product;
typedef struct gen_product {
    const char *code, *name, *kind;
    double nim; /* yearly margin earned on the balance */
} gen_product;
extern const gen_product gen_products[P_N]; /* simulate.c */

typedef struct account {
    product prod;
    char no[40]; /* 14 characters: branch, product, 9 digits */
    int open_m;  /* month index opened (may be < 0: before the window) */
    rp_date opened;
    int64_t bal; /* cents; loans negative */
    int64_t limit;
    int64_t seq;
    int closed_m; /* -1 open */
} account;

typedef struct person {
    int64_t i;
    char pid[24];
    int org;
    int female;
    rp_date birth;
    int age;
    char name_zh[64], name_latin[64];
    const gen_name_part *sur, *g[2];
    int ng;
    const gen_county *county;
    const gen_district *district;
    int county_i, district_i;
    char address[192];
    char mobile[16], landline[16], email[96];
    char id[11];
    const gen_occupation *occ;
    int64_t income; /* yearly TWD */
    double wealth;
    double digital; /* 0 (branch) .. 1 (mobile) */
    int stage;
    char cust_no[11];
    char branch[5];
    rp_date since;
    int since_m;
    int employed;
    account acct[MAX_ACCTS];
    int nacct;
    int has_card;
    int has_online;
    char online_id[48];
    int complaint_m; /* last month with a complaint call, or -100 */
    int campaign_offer[P_N + 2]; /* products accepted in a campaign */
    int churn_m; /* month index of churn; months = next month; -1 none */
    double hazard_next;
    double revenue; /* TWD over the window */
    int household; /* partner index + 1, or 0 */
    /* the card's repayment behaviour (statement.c): 0 no card, 1 pays in full
     * (transactor), 2 carries a balance (revolver); the true probability that the
     * month after the data shows a missed payment, and whether it did */
    int card_kind;
    double card_pd_next;
    int card_bad_next;
    int card_dpd_last; /* days past due on the last statement */
} person;

/* One run: its options, counts, converters and every output file. */
typedef struct ctx {
    const gen_options *o;
    gen_stats *st;
    rp_host_codec *hc;
    iconv_t big5;
    gen_out cif, acct, *txn, card_cust, card_txn, identity, defects, churn, segments;
    gen_out cpy_cif, cpy_acct, cpy_txn, branches, cpy_branch;
    gen_out ol_users, ol_logins, ol_events, ol_transfers;
    gen_out cdr, notes, campaigns, targets, responses, treatment;
    gen_out card_stmt, behaviour;
    gen_out consents, dnc, staff, complaints, managers;
    gen_out *files[64 + GEN_MAX_MONTHS]; /* every open file, in manifest order */
    int nfiles;
    int y0, m0; /* first month */
    rp_date asof;
    double rev_hist[REV_BINS]; /* revenue summed per log bin */
    double rev_cnt[REV_BINS];
    double rev_total;
    int64_t rev_n;
} ctx;

/* The channels a transaction comes through (host.c spells them BR, AT ...). */
enum { CH_BR, CH_AT, CH_IB, CH_MB, CH_PH, CH_BT };

/* One customer's simulation: its behaviour stream and its defect stream
 * for the host's transaction files. */
typedef struct sim {
    ctx *c;
    person *p;
    rng r, dr;
} sim;

/* ---- calendar and keys ---- */

/* Month index m of the window (0 = the first month) as year and month. */
static inline int month_y(const ctx *c, int m) { return c->y0 + (c->m0 - 1 + m) / 12; }
static inline int month_m(const ctx *c, int m) { return (c->m0 - 1 + m) % 12 + 1; }
static inline int days_in(int y, int m)
{
    return (int)(rp_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) -
                 rp_days_from_civil(y, m, 1));
}
/* A date as the host writes it: ROC year, YYYMMDD. */
static inline int64_t roc(rp_date d) { return (int64_t)(d.y - 1911) * 10000 + d.m * 100 + d.d; }

/* A bijection on [0, 10^k) for indexes, so generated keys never collide. */
static inline int64_t perm(int64_t i, int64_t mod, int64_t a, int64_t b) { return (i % mod * a + b) % mod; }

/* Taipei local time in ISO 8601 with its offset. */
static inline void iso_local(char *out, size_t n, int y, int mo, int d, int hh, int mi, int ss)
{
    snprintf(out, n, "%04u-%02u-%02uT%02u:%02u:%02u+08:00", (unsigned)y % 10000u, (unsigned)mo % 100u,
             (unsigned)d % 100u, (unsigned)hh % 100u, (unsigned)mi % 100u, (unsigned)ss % 100u);
}

/* ---- what each file does for the run ----
 * gen_*_begin: the file's copybooks, headers and fixed rows, once, after
 * every file is open; the others once a customer, in gen_run's order. */

/* people.c: customers i and i + 1 (n of them, 1 or 2) into pp, with the
 * channels they use; a pair may be a household. */
void gen_make_pair(ctx *c, int64_t i, int n, person *pp);

/* simulate.c: products held and every month's transactions, calls and
 * churn; revenue and the churn label of the month after. */
void gen_simulate(ctx *c, person *p);

/* host.c: the core-banking host's records */
void gen_host_begin(ctx *c);
void gen_host_txn(sim *s, const account *a, int m, int day, const char *code, int ch, int64_t amount,
                  const char *memo);
void gen_host_cif(ctx *c, const person *p, const char *spouse_no);
void gen_host_accounts(ctx *c, const person *p, const person *partner);

/* card.c: the card system */
void gen_card_begin(ctx *c);
void gen_card(ctx *c, person *p);
void gen_card_row(ctx *c, gen_out *o, const char *const *f, const char *const *plain, int n);

/* statement.c: a card's monthly statements (purchases as spend[m] for the
 * window's months first..last), its repayments and delinquency */
void gen_statement_begin(ctx *c);
void gen_statements(ctx *c, person *p, const char *cardno, int64_t limit, int first, int last,
                    const int64_t *spend);

/* online.c: internet and mobile banking */
void gen_online(ctx *c, const person *p);
void gen_online_transfer(sim *s, const account *a, int m, int day, int ch, int64_t amount, const char *memo);

/* callcentre.c: one month's calls of a customer */
void gen_callcentre_begin(ctx *c);
void gen_calls(sim *s, int m);

/* campaign.c: the campaigns and a customer's part in them */
void gen_campaign_begin(ctx *c);
void gen_campaigns(ctx *c, const person *p);

/* crm.c: consents, do-not-contact, staff, complaints (the CRM's) */
void gen_privacy_begin(ctx *c);
void gen_privacy(ctx *c, const person *p);

/* truth.c: defects as they are put in, and each customer's true labels */
void gen_truth_begin(ctx *c);
void gen_defect(ctx *c, const char *source, const gen_out *o, int64_t record, const char *what,
                const char *kind);
void gen_truth(ctx *c, const person *p);
double gen_top20_share(const ctx *c);

/* manifest.c: every file opened with its manifest entry; all closed and
 * listed with their SHA-256 in manifest.json */
int gen_open_all(ctx *c, rp_error *err) RP_WARN_UNUSED;
int gen_close_all(ctx *c, rp_error *err);

#endif
