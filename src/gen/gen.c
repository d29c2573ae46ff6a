/*
 * gen.c — the synthetic bank: people, their behaviour month by month, and
 * the files the source systems write about them.  See gen.h and
 * docs/sources.md.
 */
#include "gen/gen.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/ebcdic.h"
#include "core/json.h"
#include "core/utf8.h"
#include "core/progress.h"
#include "core/rtime.h"
#include "gen/out.h"
#include "gen/rng.h"
#include "gen/world.h"

#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { S_KIND = 1, S_PERSON, S_HOUSE, S_MONTHS, S_CARD, S_CARD_TXN, S_DEFECT, S_CHURN, S_ONLINE, S_CALLS,
       S_CAMPAIGN };

#define MAX_ACCTS 5
#define REV_BINS 4096 /* log-binned revenue histogram: a mergeable summary */

typedef enum { P_SAV, P_TD, P_MTG, P_PLN, P_FUND, P_N } product;
static const struct {
    const char *code, *name, *kind;
    double nim; /* yearly margin earned on the balance */
} products[P_N] = {
    [P_SAV] = { "SAV001", "活期儲蓄存款", "deposit", 0.012 },
    [P_TD] = { "TD0012", "一年期定期存款", "time_deposit", 0.006 },
    [P_MTG] = { "MTG030", "三十年房屋貸款", "loan", 0.015 },
    [P_PLN] = { "PLN005", "個人信用貸款", "loan", 0.045 },
    [P_FUND] = { "FND001", "共同基金信託帳戶", "investment", 0.012 },
};

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
} person;

static const char *const stages[] = { "student", "young_adult", "family", "mature", "retired" };

typedef struct ctx {
    const gen_options *o;
    gen_stats *st;
    rp_host_codec *hc;
    iconv_t big5;
    gen_out cif, acct, *txn, card_cust, card_txn, identity, defects, churn, segments;
    gen_out cpy_cif, cpy_acct, cpy_txn, branches, cpy_branch;
    gen_out ol_users, ol_logins, ol_events, ol_transfers;
    gen_out cdr, notes, campaigns, targets, responses, treatment;
    gen_out *files[64 + GEN_MAX_MONTHS]; /* every open file, in manifest order */
    int nfiles;
    int y0, m0; /* first month */
    rp_date asof;
    double rev_hist[REV_BINS]; /* revenue summed per log bin */
    double rev_cnt[REV_BINS];
    double rev_total;
    int64_t rev_n;
} ctx;

/* ---- helpers ---- */

static int month_y(const ctx *c, int m) { return c->y0 + (c->m0 - 1 + m) / 12; }
static int month_m(const ctx *c, int m) { return (c->m0 - 1 + m) % 12 + 1; }
static int days_in(int y, int m)
{
    return (int)(rp_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) -
                 rp_days_from_civil(y, m, 1));
}
static int64_t roc(rp_date d) { return (int64_t)(d.y - 1911) * 10000 + d.m * 100 + d.d; }

/* A bijection on [0, 10^k) for indexes, so generated keys never collide. */
static int64_t perm(int64_t i, int64_t mod, int64_t a, int64_t b) { return (i % mod * a + b) % mod; }

static const gen_name_part *pick_part(rng *r, const gen_name_part *parts, size_t n)
{
    double w[64];
    for (size_t k = 0; k < n && k < 64; k++)
        w[k] = parts[k].weight;
    return &parts[rng_weighted(r, w, n < 64 ? n : 64)];
}

static int org_of(const ctx *c, int64_t i)
{
    rng r;
    rng_init(&r, c->o->seed, (uint64_t)i, S_KIND);
    return rng_chance(&r, 0.03);
}

static void national_id(char out[11], char letter, int female, int64_t serial)
{
    static const int codes[26] = { 10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21,
                                   22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33 };
    snprintf(out, 11, "%c%d%07lld", letter, female ? 2 : 1, (long long)(serial % 10000000));
    int code = codes[letter - 'A'];
    int sum = code / 10 + (code % 10) * 9;
    for (int k = 1; k <= 8; k++)
        sum += (out[k] - '0') * (9 - k);
    out[9] = (char)('0' + (10 - sum % 10) % 10);
    out[10] = 0;
}

static void ubn(char out[9], int64_t serial)
{
    static const int w[7] = { 1, 2, 1, 2, 1, 2, 4 };
    snprintf(out, 9, "%07lld", (long long)(serial % 10000000));
    int sum = 0;
    for (int k = 0; k < 7; k++) {
        int p = (out[k] - '0') * w[k];
        sum += p / 10 + p % 10;
    }
    out[7] = (char)('0' + (10 - sum % 10) % 10); /* weight 1: the digit itself */
    out[8] = 0;
}

static void lower_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s + 32);
}

/* ---- people ---- */

static void make_person(ctx *c, int64_t i, person *p)
{
    memset(p, 0, sizeof *p);
    rng r;
    rng_init(&r, c->o->seed, (uint64_t)i, S_PERSON);
    p->i = i;
    snprintf(p->pid, sizeof p->pid, "P%08lld", (long long)i + 1);
    p->org = org_of(c, i);
    double cw[32];
    for (size_t k = 0; k < gen_ncounties; k++)
        cw[k] = gen_counties[k].population;
    p->county_i = (int)rng_weighted(&r, cw, gen_ncounties);
    p->county = &gen_counties[p->county_i];
    p->district_i = (int)rng_below(&r, p->county->ndistricts);
    p->district = &p->county->districts[p->district_i];
    char num[64];
    int lane = rng_chance(&r, 0.4) ? rng_range(&r, 1, 300) : 0;
    snprintf(num, sizeof num, "%d號", rng_range(&r, 1, 350));
    char lanebuf[32] = "";
    if (lane)
        snprintf(lanebuf, sizeof lanebuf, "%d巷", lane);
    static const char *const sections[] = { "", "一段", "二段", "三段", "四段" };
    const char *street = gen_streets[rng_below(&r, gen_nstreets)];
    const char *sec = sections[rng_chance(&r, 0.35) ? rng_range(&r, 1, 4) : 0];
    int floor = rng_chance(&r, 0.7) ? rng_range(&r, 2, 18) : 0;
    char floorbuf[16] = "";
    if (floor)
        snprintf(floorbuf, sizeof floorbuf, "%d樓", floor);
    snprintf(p->address, sizeof p->address, "%s%s%s%s%s%s%s", p->county->name, p->district->name,
             street, sec, lanebuf, num, floorbuf);
    snprintf(p->landline, sizeof p->landline, "%s%d%0*lld", p->county->area_code,
             rng_range(&r, 2, 8), p->county->local_digits - 1,
             (long long)rng_below(&r, (uint64_t)pow(10, p->county->local_digits - 1)));
    int64_t cust = perm(i, 100000000, 48271, 12345679);
    snprintf(p->cust_no, sizeof p->cust_no, "%02u%08llu", (unsigned)(i / 100000000 % 100),
             (unsigned long long)cust);
    snprintf(p->branch, sizeof p->branch, "%02u%02u", (unsigned)(p->county_i + 1) % 100u,
             (unsigned)(p->district_i + 1) % 100u);
    rp_date asof = c->asof;
    if (p->org) {
        snprintf(p->name_zh, sizeof p->name_zh, "%s%s%s股份有限公司",
                 gen_surnames[rng_below(&r, gen_nsurnames)].zh, gen_given_male[rng_below(&r, gen_ngiven_male)].zh,
                 (const char *[]){ "企業", "科技", "實業", "貿易", "建設", "電子" }[rng_below(&r, 6)]);
        snprintf(p->name_latin, sizeof p->name_latin, "%s %s CO., LTD.",
                 gen_surnames[rng_below(&r, gen_nsurnames)].latin,
                 (const char *[]){ "ENTERPRISE", "TECHNOLOGY", "INDUSTRIAL", "TRADING" }[rng_below(&r, 4)]);
        ubn(p->id, perm(i, 10000000, 7919, 1234567));
        p->age = rng_range(&r, 1, 50);
        p->birth = (rp_date){ asof.y - p->age, rng_range(&r, 1, 12), rng_range(&r, 1, 28) };
        p->wealth = rng_lognormal(&r, 1.5, 1.6);
        p->income = (int64_t)(3e6 * p->wealth);
        p->digital = 0.8;
        p->employed = 0;
        p->stage = 2;
        p->occ = NULL;
    } else {
        static const double age_w[] = { 17, 18, 19, 18, 16, 12 };
        static const int age_lo[] = { 18, 30, 40, 50, 60, 70 }, age_hi[] = { 29, 39, 49, 59, 69, 90 };
        int band = (int)rng_weighted(&r, age_w, 6);
        p->age = rng_range(&r, age_lo[band], age_hi[band]);
        int doy = rng_range(&r, 0, 364);
        rp_date b = rp_civil_from_days(rp_days_from_civil(asof.y - p->age, asof.m, asof.d) - 1 - doy);
        p->birth = b;
        p->age = rp_date_years_between(b, asof);
        p->female = rng_chance(&r, 0.5);
        p->sur = pick_part(&r, gen_surnames, gen_nsurnames);
        const gen_name_part *given = p->female ? gen_given_female : gen_given_male;
        size_t ngiven = p->female ? gen_ngiven_female : gen_ngiven_male;
        p->ng = rng_chance(&r, 0.9) ? 2 : 1;
        p->g[0] = pick_part(&r, given, ngiven);
        p->g[1] = p->ng == 2 ? pick_part(&r, given, ngiven) : NULL;
        if (p->ng == 2 && p->g[1] == p->g[0] && rng_chance(&r, 0.8))
            p->g[1] = pick_part(&r, given, ngiven);
        snprintf(p->name_zh, sizeof p->name_zh, "%s%s%s", p->sur->zh, p->g[0]->zh, p->ng == 2 ? p->g[1]->zh : "");
        if (p->ng == 2) {
            char second[16];
            snprintf(second, sizeof second, "%s", p->g[1]->latin);
            snprintf(p->name_latin, sizeof p->name_latin, "%s, %s-%s", p->sur->latin, p->g[0]->latin, second);
        } else {
            snprintf(p->name_latin, sizeof p->name_latin, "%s, %s", p->sur->latin, p->g[0]->latin);
        }
        /* household registration mostly where they live */
        const gen_county *reg = rng_chance(&r, 0.8) ? p->county : &gen_counties[rng_below(&r, gen_ncounties)];
        national_id(p->id, reg->id_letter, p->female, perm(i, 10000000, 1000003, 4567891));
        int64_t mob = 10000000 + perm(i, 80000000, 73939133, 31337); /* 0910... to 0989... */
        snprintf(p->mobile, sizeof p->mobile, "09%08lld", (long long)mob);
        if (rng_chance(&r, 0.7)) {
            char given_l[32];
            snprintf(given_l, sizeof given_l, "%s%s", p->g[0]->latin, p->ng == 2 ? p->g[1]->latin : "");
            lower_ascii(given_l);
            char sur_l[16];
            snprintf(sur_l, sizeof sur_l, "%s", p->sur->latin);
            lower_ascii(sur_l);
            snprintf(p->email, sizeof p->email, "%s.%s%lld@%s", given_l, sur_l, (long long)i,
                     gen_email_domains[rng_below(&r, gen_nemail_domains)]);
        }
        /* occupation and income by age */
        if (p->age < 23 && rng_chance(&r, 0.8))
            p->occ = &gen_occupations[0];
        else if (p->age >= 65 && rng_chance(&r, 0.85))
            p->occ = &gen_occupations[9];
        else if (p->female && p->age >= 30 && rng_chance(&r, 0.12))
            p->occ = &gen_occupations[8];
        else
            p->occ = &gen_occupations[rng_range(&r, 1, (int)gen_noccupations - 1)];
        if (p->occ == &gen_occupations[9] && p->age < 50)
            p->occ = &gen_occupations[2];
        double curve = p->age < 25 ? 0.55 : p->age < 35 ? 0.85 : p->age < 55 ? 1.15 : p->age < 65 ? 1.0 : 0.6;
        p->income = (int64_t)(620000.0 * curve * p->occ->income_factor * rng_lognormal(&r, 0, 0.45));
        p->employed = p->occ != &gen_occupations[0] && p->occ != &gen_occupations[8] &&
                      p->occ != &gen_occupations[9];
        /* wealth: heavy-tailed, rising with age and income */
        p->wealth = rng_lognormal(&r, log((double)p->income / 620000.0 + 0.2) + (p->age > 50 ? 0.6 : 0), 1.7);
        p->digital = p->age < 30 ? 0.85 : p->age < 45 ? 0.65 : p->age < 60 ? 0.4 : 0.15;
        p->stage = p->age < 23 ? 0 : p->age < 35 ? 1 : p->age < 50 ? 2 : p->age < 65 ? 3 : 4;
    }
    /* customer since: most long before the window, some new */
    int months = c->o->months;
    if (rng_chance(&r, 0.1)) {
        p->since_m = rng_range(&r, 0, months - 1);
        p->since = (rp_date){ month_y(c, p->since_m), month_m(c, p->since_m), rng_range(&r, 1, 28) };
    } else {
        int max_years = p->org ? p->age : p->age - 18;
        if (max_years < 1)
            max_years = 1;
        int years = rng_range(&r, 0, max_years > 30 ? 30 : max_years);
        rp_date s = rp_civil_from_days(rp_days_from_civil(c->y0, c->m0, 1) - 1 - years * 365 -
                                       rng_range(&r, 0, 364));
        p->since = s;
        p->since_m = -1 - years;
    }
}

/* Households: persons 2k and 2k+1 may be a couple sharing address and home phone. */
static void make_household(ctx *c, person *a, person *b)
{
    if (a->org || b->org)
        return;
    rng r;
    rng_init(&r, c->o->seed, (uint64_t)(a->i / 2), S_HOUSE);
    if (!rng_chance(&r, 0.3) || a->female == b->female || abs(a->age - b->age) > 12)
        return;
    memcpy(b->address, a->address, sizeof b->address);
    memcpy(b->landline, a->landline, sizeof b->landline);
    b->county = a->county;
    b->district = a->district;
    b->county_i = a->county_i;
    b->district_i = a->district_i;
    memcpy(b->branch, a->branch, sizeof b->branch);
    a->household = (int)b->i + 1;
    b->household = (int)a->i + 1;
}

/* ---- host records: one field table makes both the copybook and the bytes ---- */

typedef enum { F_X, F_9, F_S9, F_P } ftype; /* text, zoned, signed zoned, signed packed */
typedef struct field {
    const char *name;
    ftype t;
    int n;     /* bytes for X, digits otherwise */
    int scale; /* implied decimals */
    const char *note;
} field;

typedef struct layout {
    const char *record, *title;
    const field *f;
    int nf;
    int off[40];
    int len;
} layout;

enum { CIF_CUST_NO, CIF_CUST_TYPE, CIF_ID_TYPE, CIF_ID_NO, CIF_NAME, CIF_NAME_EN, CIF_BIRTH_DATE,
       CIF_GENDER, CIF_OCCUPATION, CIF_INCOME, CIF_ZIP, CIF_ADDRESS, CIF_TEL_HOME, CIF_TEL_MOBILE,
       CIF_EMAIL, CIF_BRANCH, CIF_OPEN_DATE, CIF_STATUS, CIF_STATUS_DATE, CIF_PARTNER, CIF_FILLER };
static const field cif_fields[] = {
    { "CIF-CUST-NO", F_X, 10, 0, "HOST CUSTOMER NUMBER" },
    { "CIF-CUST-TYPE", F_X, 1, 0, "P PERSON, C COMPANY" },
    { "CIF-ID-TYPE", F_X, 1, 0, "1 NATIONAL ID, 3 UBN" },
    { "CIF-ID-NO", F_X, 10, 0, "NATIONAL ID OR UBN" },
    { "CIF-NAME", F_X, 42, 0, "NAME, MIXED SBCS/DBCS (SO/SI)" },
    { "CIF-NAME-EN", F_X, 40, 0, "ROMANISED NAME" },
    { "CIF-BIRTH-DATE", F_9, 7, 0, "BIRTH/FOUNDING DATE, ROC YYYMMDD" },
    { "CIF-GENDER", F_X, 1, 0, "M, F, SPACE FOR COMPANIES" },
    { "CIF-OCCUPATION", F_X, 4, 0, "OCCUPATION CODE" },
    { "CIF-ANNUAL-INCOME", F_P, 11, 0, "DECLARED YEARLY INCOME, TWD" },
    { "CIF-ZIP", F_X, 5, 0, "POSTAL CODE" },
    { "CIF-ADDRESS", F_X, 82, 0, "ADDRESS, MIXED SBCS/DBCS" },
    { "CIF-TEL-HOME", F_X, 15, 0, "HOME PHONE" },
    { "CIF-TEL-MOBILE", F_X, 15, 0, "MOBILE PHONE" },
    { "CIF-EMAIL", F_X, 60, 0, "E-MAIL" },
    { "CIF-BRANCH", F_X, 4, 0, "HOME BRANCH" },
    { "CIF-OPEN-DATE", F_9, 7, 0, "CUSTOMER SINCE, ROC YYYMMDD" },
    { "CIF-STATUS", F_X, 1, 0, "A ACTIVE, C CLOSED, D DECEASED" },
    { "CIF-STATUS-DATE", F_9, 7, 0, "STATUS SINCE, ROC YYYMMDD" },
    { "CIF-SPOUSE-NO", F_X, 10, 0, "SPOUSE'S CUSTOMER NUMBER" },
    { "FILLER", F_X, 20, 0, NULL },
};

enum { AC_NO, AC_CUST_NO, AC_ROLE, AC_PRODUCT, AC_BRANCH, AC_CURRENCY, AC_OPEN, AC_CLOSE, AC_STATUS,
       AC_BALANCE, AC_LIMIT, AC_RATE, AC_BAL_DATE, AC_ACCRUED, AC_FILLER };
static const field acct_fields[] = {
    { "ACCT-NO", F_X, 14, 0, "ACCOUNT NUMBER" },
    { "ACCT-CUST-NO", F_X, 10, 0, "HOLDER'S CUSTOMER NUMBER" },
    { "ACCT-ROLE", F_X, 1, 0, "O OWNER, J JOINT, G GUARANTOR" },
    { "ACCT-PRODUCT", F_X, 6, 0, "PRODUCT CODE" },
    { "ACCT-BRANCH", F_X, 4, 0, "BRANCH" },
    { "ACCT-CURRENCY", F_X, 3, 0, "ISO 4217" },
    { "ACCT-OPEN-DATE", F_9, 7, 0, "ROC YYYMMDD" },
    { "ACCT-CLOSE-DATE", F_9, 7, 0, "ROC YYYMMDD, ZERO WHILE OPEN" },
    { "ACCT-STATUS", F_X, 1, 0, "A ACTIVE, C CLOSED" },
    { "ACCT-BALANCE", F_P, 15, 2, "BALANCE, LOANS NEGATIVE" },
    { "ACCT-LIMIT", F_P, 15, 2, "CREDIT LIMIT OR LOAN AMOUNT" },
    { "ACCT-RATE", F_P, 7, 4, "INTEREST RATE, PERCENT" },
    { "ACCT-BAL-DATE", F_9, 7, 0, "BALANCE DATE, ROC YYYMMDD" },
    { "ACCT-ACCRUED-INT", F_S9, 11, 2, "ACCRUED INTEREST, ZONED" },
    { "FILLER", F_X, 10, 0, NULL },
};

enum { TX_ACCT, TX_SEQ, TX_DATE, TX_TIME, TX_CODE, TX_CHANNEL, TX_AMOUNT, TX_BALANCE, TX_MEMO,
       TX_BRANCH, TX_FILLER };
static const field txn_fields[] = {
    { "TXN-ACCT-NO", F_X, 14, 0, "ACCOUNT NUMBER" },
    { "TXN-SEQ", F_9, 9, 0, "SEQUENCE WITHIN THE ACCOUNT" },
    { "TXN-DATE", F_9, 7, 0, "POSTING DATE, ROC YYYMMDD" },
    { "TXN-TIME", F_9, 6, 0, "HHMMSS, TAIPEI TIME" },
    { "TXN-CODE", F_X, 4, 0, "TRANSACTION CODE" },
    { "TXN-CHANNEL", F_X, 2, 0, "BR AT IB MB PH BT" },
    { "TXN-AMOUNT", F_P, 15, 2, "AMOUNT, CREDIT POSITIVE" },
    { "TXN-BALANCE", F_P, 15, 2, "BALANCE AFTER" },
    { "TXN-MEMO", F_X, 22, 0, "MEMO, MIXED SBCS/DBCS" },
    { "TXN-BRANCH", F_X, 4, 0, "BRANCH OR ATM SITE" },
    { "FILLER", F_X, 8, 0, NULL },
};

enum { BR_CODE, BR_NAME, BR_COUNTY, BR_DISTRICT, BR_ZIP, BR_OPEN, BR_FILLER };
static const field branch_fields[] = {
    { "BR-CODE", F_X, 4, 0, "BRANCH CODE" },
    { "BR-NAME", F_X, 30, 0, "BRANCH NAME, MIXED SBCS/DBCS" },
    { "BR-COUNTY", F_X, 12, 0, "COUNTY OR CITY" },
    { "BR-DISTRICT", F_X, 12, 0, "DISTRICT" },
    { "BR-ZIP", F_X, 5, 0, "POSTAL CODE" },
    { "BR-OPEN-DATE", F_9, 7, 0, "OPENED, ROC YYYMMDD" },
    { "FILLER", F_X, 10, 0, NULL },
};

static layout branch_layout = { "BR-RECORD", "BRANCH MASTER", branch_fields,
                                (int)(sizeof branch_fields / sizeof branch_fields[0]), { 0 }, 0 };
static layout cif_layout = { "CIF-RECORD", "CUSTOMER INFORMATION FILE", cif_fields,
                             (int)(sizeof cif_fields / sizeof cif_fields[0]), { 0 }, 0 };
static layout acct_layout = { "ACCT-RECORD", "ACCOUNT MASTER, ONE RECORD PER HOLDER", acct_fields,
                              (int)(sizeof acct_fields / sizeof acct_fields[0]), { 0 }, 0 };
static layout txn_layout = { "TXN-RECORD", "POSTED TRANSACTIONS OF ONE MONTH", txn_fields,
                             (int)(sizeof txn_fields / sizeof txn_fields[0]), { 0 }, 0 };

static int field_bytes(const field *f)
{
    return f->t == F_X ? f->n : f->t == F_P ? (int)rp_packed_len(f->n) : f->n;
}

static void layout_init(layout *l)
{
    int off = 0;
    for (int k = 0; k < l->nf; k++) {
        l->off[k] = off;
        off += field_bytes(&l->f[k]);
    }
    l->len = off;
}

static void copybook(gen_out *o, const layout *l, const char *file)
{
    gen_out_printf(o, "      * %s\n", l->title);
    gen_out_printf(o, "      * FILE %s: RECFM=VB WITH RDW, CODE PAGE IBM-937, %d BYTES\n", file, l->len);
    gen_out_printf(o, "       01  %s.\n", l->record);
    for (int k = 0; k < l->nf; k++) {
        const field *f = &l->f[k];
        char pic[40];
        if (f->t == F_X)
            snprintf(pic, sizeof pic, "PIC X(%02d)", f->n);
        else if (f->scale)
            snprintf(pic, sizeof pic, "PIC %s9(%02d)V9(%d)", f->t == F_9 ? "" : "S", f->n - f->scale, f->scale);
        else
            snprintf(pic, sizeof pic, "PIC %s9(%02d)", f->t == F_9 ? "" : "S", f->n);
        gen_out_printf(o, "           05  %-20s %s%s.\n", f->name, pic, f->t == F_P ? " COMP-3" : "");
        if (f->note)
            gen_out_printf(o, "      *        %s\n", f->note);
    }
}

typedef struct rec {
    const layout *l;
    unsigned char b[512];
} rec;

static void rec_init(rec *r, const layout *l)
{
    r->l = l;
    memset(r->b, RP_EBCDIC_SPACE, (size_t)l->len);
}

static void rec_text(ctx *c, rec *r, int k, const char *s)
{
    const field *f = &r->l->f[k];
    rp_error e = RP_ERROR_INIT;
    if (rp_host_text_encode(c->hc, s ? s : "", r->b + r->l->off[k], (size_t)f->n, NULL, &e))
        memset(r->b + r->l->off[k], RP_EBCDIC_SPACE, (size_t)f->n); /* world tables are all encodable */
}

static void rec_num(rec *r, int k, int64_t v)
{
    const field *f = &r->l->f[k];
    unsigned char *p = r->b + r->l->off[k];
    int rc = f->t == F_P ? rp_packed_encode(v, f->n, 1, p) : rp_zoned_encode(v, f->n, f->t == F_S9, p);
    if (rc) /* too large for the field: saturate, as a host would reject it upstream */
        memset(p, f->t == F_P ? 0x99 : 0xF9, (size_t)field_bytes(f));
}

static void rec_write(gen_out *o, const rec *r, int len)
{
    unsigned char rdw[4] = { (unsigned char)((len + 4) >> 8), (unsigned char)((len + 4) & 0xFF), 0, 0 };
    gen_out_write(o, rdw, 4);
    gen_out_write(o, r->b, (size_t)len);
    o->records++;
}

/* ---- defects ---- */

static void defect(ctx *c, const char *source, const gen_out *o, int64_t record, const char *what,
                   const char *kind)
{
    gen_out_printf(&c->defects, "%s,%s,%lld,%s,%s\n", source, o->rel, (long long)record, what, kind);
    c->st->defects++;
}

/* Which fields of a record a defect may strike (-1: none). */
typedef struct targets {
    int id, date, text, amount, ref;
} targets;

/* Write a host record, perhaps with one defect from `kinds`. */
static void host_write(ctx *c, rng *dr, gen_out *o, rec *r, const char *kinds, targets t)
{
    int id_field = t.id, date_field = t.date, text_field = t.text, amount_field = t.amount;
    int len = r->l->len;
    int dup = 0;
    if (rng_chance(dr, c->o->defect_rate)) {
        const char *options[8];
        int n = 0;
        char buf[64];
        snprintf(buf, sizeof buf, "%s", kinds);
        for (char *tok = strtok(buf, ","); tok && n < 8; tok = strtok(NULL, ","))
            options[n++] = tok;
        const char *kind = options[rng_below(dr, (uint64_t)n)];
        int64_t recno = o->records + 1;
        if (!strcmp(kind, "bad_checksum") && id_field >= 0) {
            unsigned char *p = r->b + r->l->off[id_field] + 9;
            *p = (unsigned char)(0xF0 | (((*p & 0xF) + 1) % 10));
            defect(c, "host", o, recno, r->l->f[id_field].name, kind);
        } else if (!strcmp(kind, "impossible_date") && date_field >= 0) {
            int64_t v;
            if (rp_zoned_decode(r->b + r->l->off[date_field], 7, &v) == RP_OK)
                rec_num(r, date_field, v / 10000 * 10000 + 230); /* the 30th of February */
            defect(c, "host", o, recno, r->l->f[date_field].name, kind);
        } else if (!strcmp(kind, "invalid_dbcs") && text_field >= 0) {
            unsigned char *p = r->b + r->l->off[text_field];
            int w = r->l->f[text_field].n;
            p[0] = RP_EBCDIC_SO;
            p[1] = 0xFF;
            p[2] = 0xFF;
            if (w > 3 && p[3] == RP_EBCDIC_SO)
                p[3] = RP_EBCDIC_SI;
            defect(c, "host", o, recno, r->l->f[text_field].name, kind);
        } else if (!strcmp(kind, "negative_amount") && amount_field >= 0) {
            int64_t v;
            if (rp_packed_decode(r->b + r->l->off[amount_field], r->l->f[amount_field].n, &v) == RP_OK)
                rec_num(r, amount_field, v > 0 ? -v : v - 100);
            defect(c, "host", o, recno, r->l->f[amount_field].name, kind);
        } else if (!strcmp(kind, "orphan_reference") && t.ref >= 0) {
            /* a key that no record of the referenced file has: starts with 99 */
            unsigned char *p = r->b + r->l->off[t.ref];
            p[0] = p[1] = 0xF9;
            defect(c, "host", o, recno, r->l->f[t.ref].name, kind);
        } else if (!strcmp(kind, "truncated")) {
            len = r->l->len * 3 / 5;
            defect(c, "host", o, recno, "", kind);
        } else if (!strcmp(kind, "duplicate")) {
            dup = 1;
            defect(c, "host", o, recno + 1, "", kind);
        }
    }
    rec_write(o, r, len);
    if (dup)
        rec_write(o, r, len);
}

/* ---- behaviour, month by month ---- */

static const char *const channel_codes[] = { "BR", "AT", "IB", "MB", "PH", "BT" };
enum { CH_BR, CH_AT, CH_IB, CH_MB, CH_PH, CH_BT };

typedef struct sim {
    ctx *c;
    person *p;
    rng r, dr;
} sim;

/* ---- JSON lines and the online banking system ---- */

/* Append s as a JSON string (quotes, backslashes and controls escaped). */
static void json_str(rp_buf *b, const char *s)
{
    rp_buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            rp_buf_putc(b, '\\');
            rp_buf_putc(b, (char)ch);
        } else if (ch < 0x20) {
            rp_buf_printf(b, "\\u%04x", ch);
        } else {
            rp_buf_putc(b, (char)ch);
        }
    }
    rp_buf_putc(b, '"');
}

static void iso_local(char *out, size_t n, int y, int mo, int d, int hh, int mi, int ss)
{
    snprintf(out, n, "%04u-%02u-%02uT%02u:%02u:%02u+08:00", (unsigned)y % 10000u, (unsigned)mo % 100u,
             (unsigned)d % 100u, (unsigned)hh % 100u, (unsigned)mi % 100u, (unsigned)ss % 100u);
}

/* Write one JSON line, perhaps with a defect: cut short, a day that does
 * not exist, a negative amount, or written twice. */
static void jsonl_write(ctx *c, rng *dr, gen_out *o, rp_buf *line, const char *ts_field, int has_amount)
{
    int64_t recno = o->records + 1;
    int dup = 0;
    if (rng_chance(dr, c->o->defect_rate)) {
        int kind = (int)rng_below(dr, has_amount ? 4 : 3);
        if (kind == 0) {
            line->len = line->len / 2;
            defect(c, "online", o, recno, "", "truncated");
        } else if (kind == 1) {
            char *q = strstr(line->data, ts_field), *t;
            if (q && (t = strchr(q + strlen(ts_field), '-'))) /* "YYYY-MM-DD": make it February 30 */
                memcpy(t + 1, "02-30", 5);
            char name[32];
            snprintf(name, sizeof name, "%.*s", (int)strlen(ts_field) - 4, ts_field + 1);
            defect(c, "online", o, recno, name, "impossible_date");
        } else if (kind == 2) {
            dup = 1;
            defect(c, "online", o, recno + 1, "", "duplicate");
        } else {
            const char *a = strstr(line->data, "\"amount\":");
            if (a) {
                rp_buf neg = RP_BUF_INIT;
                size_t cut = (size_t)(a + 9 - line->data);
                rp_buf_append(&neg, line->data, cut);
                rp_buf_putc(&neg, '-');
                rp_buf_append(&neg, line->data + cut, line->len - cut);
                rp_buf_reset(line);
                rp_buf_append(line, neg.data, neg.len);
                rp_buf_release(&neg);
            }
            defect(c, "online", o, recno, "amount", "negative_amount");
        }
    }
    rp_buf_putc(line, '\n');
    gen_out_write(o, line->data, line->len);
    o->records++;
    if (dup) {
        gen_out_write(o, line->data, line->len);
        o->records++;
    }
}

static void online_transfer(sim *s, const account *a, int m, int day, int ch, int64_t amount, const char *memo)
{
    ctx *c = s->c;
    person *p = s->p;
    rng dr;
    rng_init(&dr, c->o->seed, (uint64_t)p->i, S_DEFECT + 400 + (uint64_t)a->seq);
    rp_buf b = RP_BUF_INIT;
    char ts[40];
    iso_local(ts, sizeof ts, month_y(c, m), month_m(c, m), day, rng_range(&s->r, 7, 23), rng_range(&s->r, 0, 59),
              rng_range(&s->r, 0, 59));
    int64_t v = amount < 0 ? -amount : amount;
    rp_buf_puts(&b, "{\"user_id\":");
    json_str(&b, p->online_id);
    rp_buf_printf(&b, ",\"ts\":\"%s\",\"type\":\"%s\",\"from_account\":\"%s\",\"amount\":%lld.%02lld,"
                      "\"currency\":\"TWD\",\"channel\":\"%s\",\"memo\":",
                  ts, strstr(memo, "費") || strstr(memo, "繳") ? "payment" : "transfer", a->no,
                  (long long)(v / 100), (long long)(v % 100), ch == CH_MB ? "mobile" : "internet");
    json_str(&b, memo);
    rp_buf_puts(&b, ",\"status\":\"ok\"}");
    jsonl_write(c, &dr, &c->ol_transfers, &b, "\"ts\":\"", 1);
    rp_buf_release(&b);
}

static const char *const pages[] = { "/home", "/accounts", "/accounts/history", "/transfer", "/payments",
                                     "/fx/rates", "/funds", "/td/rates", "/loans/mortgage", "/loans/personal",
                                     "/cards/apply", "/profile" };

static void online(ctx *c, person *p)
{
    if (!p->has_online)
        return;
    rng r, dr;
    rng_init(&r, c->o->seed, (uint64_t)p->i, S_ONLINE);
    rng_init(&dr, c->o->seed, (uint64_t)p->i, S_DEFECT + 500);
    (void)rng_next(&r); /* the first draw decided has_online */
    int first = p->since_m > 0 ? p->since_m : 0;
    int last = p->churn_m >= 0 && p->churn_m < c->o->months ? p->churn_m : c->o->months - 1;
    rp_buf b = RP_BUF_INIT;
    char ts[40];
    rp_date reg = p->since_m >= 0 ? p->since : (rp_date){ c->y0 - rng_range(&r, 0, 6), rng_range(&r, 1, 12), 1 };
    iso_local(ts, sizeof ts, reg.y, reg.m, reg.d, 10, 0, 0);
    rp_buf_puts(&b, "{\"user_id\":");
    json_str(&b, p->online_id);
    rp_buf_puts(&b, ",\"name\":");
    json_str(&b, p->name_zh);
    rp_buf_printf(&b, ",\"id_no\":\"%s\",\"mobile\":\"%s\",\"email\":", rng_chance(&r, 0.95) ? p->id : "",
                  p->mobile);
    json_str(&b, p->email);
    rp_buf_printf(&b, ",\"registered_at\":\"%s\",\"status\":\"%s\"}", ts,
                  last < c->o->months - 1 ? "closed" : "active");
    jsonl_write(c, &dr, &c->ol_users, &b, "\"registered_at\":\"", 0);
    gen_out_printf(&c->identity, "online,%s,%s\n", p->online_id, p->pid);
    static const char *const devices[] = { "ios", "android", "web" };
    for (int m = first; m <= last; m++) {
        int y = month_y(c, m), mo = month_m(c, m), dim = days_in(y, mo);
        int n = rng_poisson(&r, 0.5 + 3.5 * p->digital);
        for (int k = 0; k < n; k++) {
            int day = rng_range(&r, 1, dim), hh = rng_range(&r, 7, 23), mi = rng_range(&r, 0, 59);
            iso_local(ts, sizeof ts, y, mo, day, hh, mi, rng_range(&r, 0, 59));
            int ok = !rng_chance(&r, 0.04);
            const char *dev = devices[p->digital > 0.6 ? rng_below(&r, 2) : rng_below(&r, 3)];
            rp_buf_reset(&b);
            rp_buf_puts(&b, "{\"user_id\":");
            json_str(&b, p->online_id);
            rp_buf_printf(&b, ",\"ts\":\"%s\",\"device\":\"%s\",\"ip\":\"203.0.113.%d\",\"success\":%s}", ts, dev,
                          rng_range(&r, 1, 254), ok ? "true" : "false");
            jsonl_write(c, &dr, &c->ol_logins, &b, "\"ts\":\"", 0);
            /* the click stream is kept for the last three months */
            if (!ok || m < c->o->months - 3)
                continue;
            int views = 1 + rng_poisson(&r, 1.5);
            for (int v = 0; v < views; v++) {
                int pg = (int)rng_below(&r, sizeof pages / sizeof pages[0]);
                /* interest shows before a purchase: the wealthy look at funds, families at mortgages */
                if (p->wealth > 2 && rng_chance(&r, 0.3))
                    pg = 6;
                else if (p->stage == 2 && rng_chance(&r, 0.15))
                    pg = 8;
                iso_local(ts, sizeof ts, y, mo, day, hh, (mi + v) % 60, rng_range(&r, 0, 59));
                rp_buf_reset(&b);
                rp_buf_puts(&b, "{\"user_id\":");
                json_str(&b, p->online_id);
                rp_buf_printf(&b, ",\"ts\":\"%s\",\"session\":\"%s-%d-%d-%d\",\"page\":\"%s\",\"device\":\"%s\"}", ts,
                              p->online_id, m, k, day, pages[pg], dev);
                jsonl_write(c, &dr, &c->ol_events, &b, "\"ts\":\"", 0);
            }
        }
    }
    rp_buf_release(&b);
}

/* ---- the call centre ---- */

static const struct {
    const char *queue, *reason, *note;
    double weight;
} call_reasons[] = {
    { "deposits", "balance_inquiry", "客戶查詢帳戶餘額與近期交易，已說明。", 30 },
    { "cards", "card_bill", "客戶詢問信用卡帳單金額與繳款期限。", 18 },
    { "cards", "lost_card", "客戶掛失信用卡，已辦理停卡並補發新卡。", 4 },
    { "loans", "loan_rate", "客戶詢問房貸利率調整，已轉介理專回電。", 8 },
    { "deposits", "td_rates", "客戶詢問定存利率，已告知本月牌告利率。", 10 },
    { "general", "online_help", "客戶網銀登入失敗，已協助重設密碼。", 15 },
    { "general", "address_change", "客戶申請變更通訊地址，已請其臨櫃辦理。", 5 },
    { "complaints", "complaint", "客戶抱怨臨櫃等候過久且手續費過高，表示考慮轉往他行。", 3 },
    { "general", "other", "其他一般詢問。", 7 },
};

static void calls(sim *s, int m)
{
    ctx *c = s->c;
    person *p = s->p;
    rng r, dr;
    rng_init(&r, c->o->seed, (uint64_t)p->i * 131 + (uint64_t)m, S_CALLS);
    rng_init(&dr, c->o->seed, (uint64_t)p->i * 131 + (uint64_t)m, S_DEFECT + 600);
    int n = rng_poisson(&r, 0.05 + 0.12 * (1 - p->digital));
    int y = month_y(c, m), mo = month_m(c, m), dim = days_in(y, mo);
    for (int k = 0; k < n; k++) {
        double w[16];
        size_t nr = sizeof call_reasons / sizeof call_reasons[0];
        for (size_t q = 0; q < nr; q++)
            w[q] = call_reasons[q].weight;
        int why = (int)rng_weighted(&r, w, nr);
        if (call_reasons[why].queue[0] == 'c' && !strcmp(call_reasons[why].queue, "complaints"))
            p->complaint_m = m;
        int day = rng_range(&r, 1, dim);
        /* arrivals peak mid-morning and mid-afternoon */
        static const double hour_w[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 10, 9, 5, 6, 9, 9, 7, 5, 3, 2, 2, 1, 0, 0 };
        int hh = (int)rng_weighted(&r, hour_w, 24);
        int peak = hh == 10 || hh == 11 || hh == 14 || hh == 15;
        int wait = (int)(-log(1 - rng_unif(&r)) * (peak ? 45 : 15));
        int patience = (int)(-log(1 - rng_unif(&r)) * 90);
        int abandoned = wait > patience;
        if (abandoned)
            wait = patience;
        int talk = abandoned ? 0 : (int)rng_lognormal(&r, log(200), 0.6);
        int wrap = abandoned ? 0 : rng_range(&r, 15, 90);
        int identified = !abandoned && rng_chance(&r, 0.65);
        char ts[40], id[32], agent[16] = "", caller[24], ivr[24];
        iso_local(ts, sizeof ts, y, mo, day, hh, rng_range(&r, 0, 59), rng_range(&r, 0, 59));
        snprintf(id, sizeof id, "CL%08lld%02d%02d", (long long)p->i, m % 100, k % 100);
        if (!abandoned)
            snprintf(agent, sizeof agent, "A%03d", rng_range(&r, 1, 120));
        double cw[] = { 0.6, 0.25, 0.15 };
        size_t ani = rng_weighted(&r, cw, 3);
        snprintf(caller, sizeof caller, "%s", ani == 0 && p->mobile[0] ? p->mobile : ani == 1 ? p->landline : "");
        snprintf(ivr, sizeof ivr, "%d>%d%s", rng_range(&r, 1, 4), rng_range(&r, 1, 3), identified ? ">9" : ">0");
        int64_t recno = c->cdr.records + 1;
        int dup = 0;
        char arrival[40];
        memcpy(arrival, ts, sizeof arrival);
        if (rng_chance(&dr, c->o->defect_rate)) {
            switch (rng_below(&dr, 3)) {
            case 0:
                talk = -talk - 1;
                defect(c, "callcentre", &c->cdr, recno, "talk_s", "negative_amount");
                break;
            case 1:
                memcpy(arrival + 5, "02-30", 5); /* the CDR's only: the agent's note keeps the true time */
                defect(c, "callcentre", &c->cdr, recno, "arrival", "impossible_date");
                break;
            default:
                dup = 1;
                defect(c, "callcentre", &c->cdr, recno + 1, "", "duplicate");
            }
        }
        for (int t = 0; t <= dup; t++) {
            gen_out_printf(&c->cdr, "%s,%s,%s,%s,%s,%s,%d,%d,%d,%d,%s,%s\r\n", id, arrival, caller, ivr,
                           identified ? p->cust_no : "", call_reasons[why].queue, wait, talk, wrap, abandoned,
                           agent, call_reasons[why].reason);
            c->cdr.records++;
        }
        if (!abandoned && rng_chance(&r, 0.6)) {
            gen_out_printf(&c->notes, "%s,%s,%s,%s,%s\r\n", id, agent, ts, call_reasons[why].reason,
                           call_reasons[why].note);
            c->notes.records++;
        }
    }
}

/* ---- campaigns with random control groups and true treatment effects ---- */

typedef struct campaign {
    const char *id, *name, *offer, *channel;
    int offset; /* in eighths of the window */
} campaign;

static const campaign campaign_list[] = {
    { "CMP01", "定存加碼專案", "TD0012", "outbound_call", 1 },
    { "CMP02", "信用卡首刷禮", "CARD", "sms", 2 },
    { "CMP03", "房貸轉貸優惠", "MTG030", "direct_mail", 3 },
    { "CMP04", "基金定期定額", "FND001", "email", 4 },
    { "CMP05", "行動銀行推廣", "MOBILE", "sms", 5 },
    { "CMP06", "信貸優惠利率", "PLN005", "outbound_call", 6 },
};
#define NCAMPAIGNS ((int)(sizeof campaign_list / sizeof campaign_list[0]))

static int campaign_month(const ctx *c, int k) { return c->o->months * campaign_list[k].offset / 8; }

static int holds(const person *p, product pr)
{
    for (int k = 0; k < p->nacct; k++)
        if (p->acct[k].prod == pr)
            return 1;
    return 0;
}

/* Eligibility, and the true response probability without (base) and with
 * (base + effect) the campaign; the effect depends on who the customer is. */
static int campaign_truth(const person *p, int k, double *base, double *effect)
{
    double liquid = 150000.0 * p->wealth;
    switch (k) {
    case 0:
        *base = 0.03;
        *effect = p->age >= 50 ? 0.08 : 0.02;
        return !holds(p, P_TD) && liquid > 200000;
    case 1:
        *base = 0.015;
        *effect = p->age < 35 ? 0.05 : 0.01;
        return !p->org && !p->has_card && p->age >= 20 && p->age <= 60;
    case 2:
        *base = 0.004;
        *effect = p->stage == 2 ? 0.02 : 0.005;
        return !p->org && (p->stage == 2 || p->stage == 3) && p->income > 800000 && !holds(p, P_MTG);
    case 3:
        *base = 0.02;
        *effect = p->stage == 3 ? 0.06 : 0.02;
        return p->wealth > 1.2 && !holds(p, P_FUND);
    case 4:
        *base = 0.05;
        *effect = p->age < 40 ? 0.12 : p->age >= 65 ? -0.02 : 0.04; /* retirees resent the push */
        return !p->org && !p->has_online && p->age < 75;
    default:
        *base = 0.01;
        *effect = p->wealth < 0.5 ? 0.04 : 0.015;
        return p->employed && p->age >= 25 && p->age <= 55 && !holds(p, P_MTG) && !holds(p, P_PLN);
    }
}

static void campaign_write(ctx *c, person *p)
{
    rng r;
    rng_init(&r, c->o->seed, (uint64_t)p->i, S_CAMPAIGN);
    for (int k = 0; k < NCAMPAIGNS; k++) {
        int m = campaign_month(c, k);
        double base, effect;
        int eligible = campaign_truth(p, k, &base, &effect);
        double pick = rng_unif(&r), grp = rng_unif(&r), resp = rng_unif(&r), neg = rng_unif(&r);
        int day = rng_range(&r, 1, 20), rday = rng_range(&r, 1, 28);
        if (!eligible || pick > 0.6 || m < p->since_m || (p->churn_m >= 0 && p->churn_m <= m))
            continue;
        int control = grp < 0.2;
        double pr = base + (control ? 0 : effect);
        if (pr < 0)
            pr = 0;
        const char *answer = resp < pr ? "positive" : (!control && !strcmp(campaign_list[k].channel, "outbound_call") && neg < 0.25) ? "negative" : NULL;
        char when[16];
        snprintf(when, sizeof when, "%04u-%02u-%02u", (unsigned)month_y(c, m) % 10000u,
                 (unsigned)month_m(c, m) % 100u, (unsigned)day % 100u);
        gen_out_printf(&c->targets, "%s,%s,%s,%s,%s\r\n", campaign_list[k].id, p->cust_no,
                       control ? "control" : "treatment", control ? "" : when, control ? "" : campaign_list[k].channel);
        c->targets.records++;
        if (answer) {
            int rm = m + 1 < c->o->months ? m + 1 : m;
            gen_out_printf(&c->responses, "%s,%s,%s,%04u-%02u-%02u\r\n", campaign_list[k].id, p->cust_no, answer,
                           (unsigned)month_y(c, rm) % 10000u, (unsigned)month_m(c, rm) % 100u, (unsigned)rday % 100u);
            c->responses.records++;
        }
        gen_out_printf(&c->treatment, "%s,%s,%s,%s,%.4f,%.4f,%s\n", campaign_list[k].id, p->pid, p->cust_no,
                       control ? "control" : "treatment", base, base + effect < 0 ? 0 : base + effect,
                       answer ? answer : "none");
    }
}

static void post(sim *s, account *a, int m, int day, const char *code, int ch, int64_t amount,
                 const char *memo)
{
    ctx *c = s->c;
    a->bal += amount;
    a->seq++;
    rec r;
    rec_init(&r, &txn_layout);
    rec_text(c, &r, TX_ACCT, a->no);
    rec_num(&r, TX_SEQ, a->seq);
    rp_date d = { month_y(c, m), month_m(c, m), day };
    rec_num(&r, TX_DATE, roc(d));
    int hh = ch == CH_BT ? rng_range(&s->r, 1, 5) : rng_range(&s->r, 8, 22);
    rec_num(&r, TX_TIME, hh * 10000 + rng_range(&s->r, 0, 59) * 100 + rng_range(&s->r, 0, 59));
    rec_text(c, &r, TX_CODE, code);
    rec_text(c, &r, TX_CHANNEL, channel_codes[ch]);
    rec_num(&r, TX_AMOUNT, amount);
    rec_num(&r, TX_BALANCE, a->bal);
    rec_text(c, &r, TX_MEMO, memo);
    rec_text(c, &r, TX_BRANCH, s->p->branch);
    /* codes that are credits by definition must be positive: a sign flip is a
     * defect there (a repayment, 6001, is a credit on the loan and a debit on
     * savings, so its sign proves nothing) */
    int credit = amount > 0 && (!strcmp(code, "1001") || !strcmp(code, "2001") || !strcmp(code, "3001") ||
                                !strcmp(code, "5001") || !strcmp(code, "7002"));
    targets t = { -1, TX_DATE, -1, credit ? TX_AMOUNT : -1, TX_ACCT };
    host_write(c, &s->dr, &c->txn[m], &r,
               credit ? "negative_amount,impossible_date,orphan_reference,duplicate,truncated"
                      : "impossible_date,orphan_reference,duplicate,truncated",
               t);
    c->st->host_txns++;
    if ((ch == CH_IB || ch == CH_MB) && s->p->has_online && amount < 0)
        online_transfer(s, a, m, day, ch, amount, memo);
}

static int spend_channel(sim *s)
{
    double d = s->p->digital;
    double w[] = { 0.25 * (1 - d), 0.45 * (1 - d) + 0.1, 0.3 * d, 0.6 * d, 0.03 };
    static const int ch[] = { CH_BR, CH_AT, CH_IB, CH_MB, CH_PH };
    return ch[rng_weighted(&s->r, w, 5)];
}

static double churn_hazard(const person *p, int m, int td_break_m, int has_card)
{
    double complaint = m - p->complaint_m <= 2 ? 3.0 : 1.0;
    int held = p->nacct + has_card;
    double h = 0.008;
    if (p->age < 30)
        h *= 1.6;
    if (p->age > 75)
        h *= 1.4;
    h *= held >= 3 ? 0.35 : held == 2 ? 0.7 : 1.3;
    if (m - p->since_m < 24)
        h *= 1.8;
    if (p->wealth < 0.3)
        h *= 1.5;
    if (td_break_m >= 0 && m - td_break_m <= 3)
        h *= 6;
    if (p->employed)
        h *= 0.85;
    if (p->org)
        h *= 0.5;
    return h * complaint;
}

static void add_account(sim *s, product prod, int64_t bal, int64_t limit)
{
    person *p = s->p;
    if (p->nacct >= MAX_ACCTS)
        return;
    account *a = &p->acct[p->nacct++];
    memset(a, 0, sizeof *a);
    a->prod = prod;
    snprintf(a->no, sizeof a->no, "%.4s%u%02u%07llu", p->branch, (unsigned)prod % 10 + 1,
             (unsigned)(p->i / 10000000 % 100), (unsigned long long)perm(p->i, 10000000, 999983, 77777));
    a->closed_m = -1;
    a->bal = bal;
    a->limit = limit;
    if (prod == P_SAV || p->since_m >= 0) {
        a->open_m = p->since_m;
        a->opened = p->since;
    } else {
        /* later products opened some time after the customer joined */
        int64_t from = rp_days_from_civil(p->since.y, p->since.m, p->since.d);
        int64_t to = rp_days_from_civil(s->c->y0, s->c->m0, 1) - 1;
        a->opened = rp_civil_from_days(from + (int64_t)(rng_unif(&s->r) * (double)(to - from)));
        a->open_m = -1;
    }
}

static void simulate(ctx *c, person *p)
{
    sim s = { c, p, { { 0 } }, { { 0 } } };
    rng_init(&s.r, c->o->seed, (uint64_t)p->i, S_MONTHS);
    rng_init(&s.dr, c->o->seed, (uint64_t)p->i, S_DEFECT);
    rng cr;
    rng_init(&cr, c->o->seed, (uint64_t)p->i, S_CHURN);
    double liquid = 150000.0 * p->wealth; /* TWD */
    /* product holdings by life stage and wealth */
    int td = rng_chance(&s.r, p->stage >= 3 ? 0.45 : p->stage == 2 ? 0.25 : 0.08) && liquid > 50000;
    int fund = rng_chance(&s.r, p->wealth > 2 ? 0.35 : 0.05);
    int mtg = !p->org && (p->stage == 2 || p->stage == 3) && p->income > 700000 && rng_chance(&s.r, 0.3);
    int pln = !p->org && !mtg && p->age < 55 && rng_chance(&s.r, p->wealth < 0.5 ? 0.12 : 0.04);
    add_account(&s, P_SAV, (int64_t)(liquid * (td ? 0.35 : 1.0) * 100), 0);
    if (td)
        add_account(&s, P_TD, (int64_t)(liquid * 0.65 / 10000 + 1) * 1000000, 0);
    if (fund)
        add_account(&s, P_FUND, (int64_t)(liquid * 0.5 * 100), 0);
    if (mtg) {
        int64_t principal = (int64_t)rng_range(&s.r, 4, 18) * 100000000; /* 4-18 million TWD */
        add_account(&s, P_MTG, -principal * 8 / 10, principal);
    }
    if (pln) {
        int64_t principal = (int64_t)rng_range(&s.r, 10, 80) * 1000000;
        add_account(&s, P_PLN, -principal, principal);
    }
    p->churn_m = -1;
    p->complaint_m = -100;
    int td_break_m = -1;
    account *sav = &p->acct[0];
    int months = c->o->months;
    for (int m = 0; m < months; m++) {
        if (m < p->since_m)
            continue;
        int y = month_y(c, m), mo = month_m(c, m), dim = days_in(y, mo);
        calls(&s, m);
        /* churn: everything goes to another bank, and the accounts close */
        if (m > p->since_m && rng_chance(&cr, churn_hazard(p, m, td_break_m, p->has_card))) {
            int day = rng_range(&s.r, 3, dim);
            for (int k = p->nacct - 1; k >= 0; k--) {
                account *a = &p->acct[k];
                if (a->prod == P_MTG || a->prod == P_PLN) {
                    if (a->bal < 0) /* repaid from savings or refinanced elsewhere */
                        post(&s, a, m, day, "6001", CH_BT, -a->bal, "貸款清償");
                } else if (k > 0 && a->bal > 0) {
                    int64_t v = a->bal;
                    post(&s, a, m, day, "2002", CH_BR, -v, "轉出本行帳戶");
                    post(&s, sav, m, day, "2001", CH_BR, v, "轉入");
                }
                a->closed_m = m;
            }
            if (sav->bal > 0)
                post(&s, sav, m, day, "2002", spend_channel(&s), -sav->bal, "跨行轉出");
            sav->closed_m = m;
            p->churn_m = m;
            break;
        }
        double season = mo == 1 || mo == 2 ? 1.35 : mo == 12 ? 1.15 : 1.0;
        /* salary on the 5th; a year-end bonus before the Lunar New Year */
        if (p->employed) {
            int64_t pay = (int64_t)((double)p->income / 14.0 * (0.97 + 0.06 * rng_unif(&s.r)) * 100);
            post(&s, sav, m, 5, "3001", CH_BT, pay, "薪資轉入");
            if (mo == 1)
                post(&s, sav, m, 20, "3001", CH_BT, pay * 2, "年終獎金");
        } else if (p->org) {
            int64_t rev = (int64_t)((double)p->income / 12.0 * (0.8 + 0.4 * rng_unif(&s.r)) * 100);
            post(&s, sav, m, rng_range(&s.r, 1, dim), "2001", CH_IB, rev, "貨款收入");
        } else if (p->occ == &gen_occupations[9]) {
            post(&s, sav, m, 10, "2001", CH_BT, (int64_t)(18000 + 30000 * p->wealth / 3) * 100, "退休金");
        }
        /* everyday spending */
        int n = rng_poisson(&s.r, (1.8 + 1.5 * p->digital) * season * (p->org ? 2 : 1));
        for (int k = 0; k < n; k++) {
            int ch = spend_channel(&s);
            int64_t amt = (int64_t)(rng_lognormal(&s.r, log(2500.0 * (0.5 + p->wealth * 0.3)), 0.8)) * 100;
            if (ch == CH_AT)
                amt = (amt / 100000 + 1) * 100000; /* ATMs give thousands */
            if (amt > sav->bal)
                continue;
            static const char *const memos[] = { "現金提款", "轉帳", "轉帳支出", "跨行轉帳" };
            post(&s, sav, m, rng_range(&s.r, 1, dim), ch == CH_AT || ch == CH_BR ? "1002" : "2002", ch, -amt,
                 memos[ch == CH_AT ? 0 : rng_range(&s.r, 1, 3)]);
        }
        /* bills */
        static const char *const bills[] = { "台電電費", "台灣自來水", "中華電信", "瓦斯費", "保險費" };
        int64_t bill = (int64_t)rng_range(&s.r, 600, 4500) * 100;
        if (sav->bal > bill)
            post(&s, sav, m, rng_range(&s.r, 10, 25), "4001", p->digital > 0.5 ? CH_MB : CH_BT, -bill,
                 bills[rng_below(&s.r, 5)]);
        /* loans repaid on the 10th */
        for (int k = 1; k < p->nacct; k++) {
            account *a = &p->acct[k];
            if ((a->prod == P_MTG || a->prod == P_PLN) && a->bal < 0 && a->closed_m < 0) {
                int64_t inst = a->limit / (a->prod == P_MTG ? 360 : 60);
                if (inst > -a->bal)
                    inst = -a->bal;
                if (inst > sav->bal)
                    continue; /* not enough in savings: the instalment is missed (arrears), deposits never go negative */
                post(&s, sav, m, 10, "6001", CH_BT, -inst, "貸款還款");
                post(&s, a, m, 10, "6001", CH_BT, inst, "本金攤還");
            }
        }
        /* a large time deposit broken early: a life event (M12) */
        for (int k = 1; k < p->nacct; k++) {
            account *a = &p->acct[k];
            if (a->prod == P_TD && a->bal > 0 && td_break_m < 0 && rng_chance(&s.r, 0.012)) {
                int64_t v = a->bal;
                int day = rng_range(&s.r, 1, dim);
                post(&s, a, m, day, "7003", CH_BR, -v, "定存中途解約");
                post(&s, sav, m, day, "7002", CH_BR, v, "定存解約轉入");
                td_break_m = m;
            }
        }
        /* savings interest in June and December */
        if ((mo == 6 || mo == 12) && sav->bal > 0)
            post(&s, sav, m, 21, "5001", CH_BT, (int64_t)((double)sav->bal * 0.0075 / 2), "利息");
        /* what the bank earned from this customer this month */
        for (int k = 0; k < p->nacct; k++)
            p->revenue += fabs((double)p->acct[k].bal) / 100.0 * products[p->acct[k].prod].nim / 12.0;
    }
    /* the month after the extract: the churn label */
    if (p->churn_m < 0) {
        p->hazard_next = churn_hazard(p, months, td_break_m, p->has_card);
        if (rng_chance(&cr, p->hazard_next))
            p->churn_m = months;
    }
}

/* ---- host master records ---- */

static void write_cif(ctx *c, person *p, const char *spouse_no)
{
    rng dr;
    rng_init(&dr, c->o->seed, (uint64_t)p->i, S_DEFECT + 100);
    rec r;
    rec_init(&r, &cif_layout);
    rec_text(c, &r, CIF_CUST_NO, p->cust_no);
    rec_text(c, &r, CIF_CUST_TYPE, p->org ? "C" : "P");
    rec_text(c, &r, CIF_ID_TYPE, p->org ? "3" : "1");
    rec_text(c, &r, CIF_ID_NO, p->id);
    rec_text(c, &r, CIF_NAME, p->name_zh);
    rec_text(c, &r, CIF_NAME_EN, p->name_latin);
    rec_num(&r, CIF_BIRTH_DATE, roc(p->birth));
    rec_text(c, &r, CIF_GENDER, p->org ? "" : p->female ? "F" : "M");
    rec_text(c, &r, CIF_OCCUPATION, p->occ ? p->occ->code : "");
    rec_num(&r, CIF_INCOME, p->income);
    rec_text(c, &r, CIF_ZIP, p->district->zip);
    rec_text(c, &r, CIF_ADDRESS, p->address);
    rec_text(c, &r, CIF_TEL_HOME, p->landline);
    rec_text(c, &r, CIF_TEL_MOBILE, p->mobile);
    rec_text(c, &r, CIF_EMAIL, p->email);
    rec_text(c, &r, CIF_BRANCH, p->branch);
    rec_num(&r, CIF_OPEN_DATE, roc(p->since));
    int closed = p->churn_m >= 0 && p->churn_m < c->o->months;
    rec_text(c, &r, CIF_STATUS, closed ? "C" : "A");
    rp_date sd = closed ? (rp_date){ month_y(c, p->churn_m), month_m(c, p->churn_m), 28 } : p->since;
    rec_num(&r, CIF_STATUS_DATE, roc(sd));
    rec_text(c, &r, CIF_PARTNER, spouse_no);
    targets t = { p->org ? -1 : CIF_ID_NO, CIF_BIRTH_DATE, CIF_NAME, -1, -1 };
    host_write(c, &dr, &c->cif, &r,
               p->org ? "impossible_date,invalid_dbcs,duplicate,truncated"
                      : "bad_checksum,impossible_date,invalid_dbcs,duplicate,truncated",
               t);
    gen_out_printf(&c->identity, "host,%s,%s\n", p->cust_no, p->pid);
}

static void write_accounts(ctx *c, person *p, const person *partner)
{
    rng dr;
    rng_init(&dr, c->o->seed, (uint64_t)p->i, S_DEFECT + 200);
    static const int64_t rates[P_N] = { 8000, 16500, 21500, 59000, 0 }; /* percent x 10^4 */
    for (int k = 0; k < p->nacct; k++) {
        account *a = &p->acct[k];
        int holders = a->prod == P_MTG && partner ? 2 : 1;
        for (int h = 0; h < holders; h++) {
            rec r;
            rec_init(&r, &acct_layout);
            rec_text(c, &r, AC_NO, a->no);
            rec_text(c, &r, AC_CUST_NO, h ? partner->cust_no : p->cust_no);
            rec_text(c, &r, AC_ROLE, h ? "J" : "O");
            rec_text(c, &r, AC_PRODUCT, products[a->prod].code);
            rec_text(c, &r, AC_BRANCH, p->branch);
            rec_text(c, &r, AC_CURRENCY, "TWD");
            rec_num(&r, AC_OPEN, roc(a->opened));
            int closed = a->closed_m >= 0 && a->closed_m < c->o->months;
            rp_date cd = { 0, 0, 0 };
            if (closed)
                cd = (rp_date){ month_y(c, a->closed_m), month_m(c, a->closed_m), 28 };
            rec_num(&r, AC_CLOSE, closed ? roc(cd) : 0);
            rec_text(c, &r, AC_STATUS, closed ? "C" : "A");
            rec_num(&r, AC_BALANCE, a->bal);
            rec_num(&r, AC_LIMIT, a->limit);
            rec_num(&r, AC_RATE, rates[a->prod]);
            rec_num(&r, AC_BAL_DATE, roc(c->asof));
            rec_num(&r, AC_ACCRUED, a->bal > 0 ? a->bal * rates[a->prod] / 1000000 / 12 : 0);
            /* only deposits must not be negative */
            targets t = { -1, AC_OPEN, -1, a->prod == P_SAV || a->prod == P_TD ? AC_BALANCE : -1, AC_CUST_NO };
            host_write(c, &dr, &c->acct, &r,
                       t.amount >= 0 ? "negative_amount,impossible_date,orphan_reference,duplicate,truncated"
                                     : "impossible_date,orphan_reference,duplicate,truncated",
                       t);
            c->st->accounts++;
        }
    }
}

/* ---- the card system: its own numbers, its own way of writing people ---- */

static const struct {
    const char *mcc, *name;
} merchants[] = {
    { "5411", "全聯福利中心" }, { "5411", "家樂福" },     { "5812", "鼎泰豐" },     { "5814", "麥當勞" },
    { "5541", "台灣中油" },     { "5311", "新光三越" },   { "5732", "燦坤3C" },     { "5912", "屈臣氏" },
    { "4511", "中華航空" },     { "7011", "晶華酒店" },   { "5942", "誠品書店" },   { "5399", "momo購物網" },
    { "8299", "補習班" },       { "6300", "國泰人壽" },   { "5499", "7-ELEVEN" },   { "4121", "台灣大車隊" },
};
/* merchant affinities by life stage: indexes into merchants[] */
static const int affinity[5][6] = {
    { 3, 11, 14, 15, 6, 10 },  /* student */
    { 3, 11, 14, 15, 6, 2 },   /* young adult */
    { 0, 1, 4, 12, 5, 2 },     /* family */
    { 5, 2, 13, 0, 4, 10 },    /* mature */
    { 7, 0, 14, 13, 1, 2 },    /* retired */
};

static int big5_line(ctx *c, gen_out *o, rp_buf *line)
{
    char out[4096];
    char *in = line->data, *op = out;
    size_t inl = line->len, outl = sizeof out;
    iconv(c->big5, NULL, NULL, NULL, NULL);
    if (iconv(c->big5, &in, &inl, &op, &outl) == (size_t)-1)
        return -1;
    gen_out_write(o, out, sizeof out - outl);
    o->records++;
    return 0;
}

/* Write a CSV row given as UTF-8 fields; falls back field by field to
 * the plain form when a variant has no Big5 code. */
static void card_row(ctx *c, gen_out *o, const char *const *f, const char *const *plain, int n)
{
    rp_buf b = RP_BUF_INIT;
    for (int k = 0; k < n; k++)
        rp_csv_field(&b, f[k] ? f[k] : "", f[k] ? strlen(f[k]) : 0, k == 0);
    rp_csv_end_row(&b);
    if (big5_line(c, o, &b) != 0 && plain) {
        rp_buf_reset(&b);
        for (int k = 0; k < n; k++)
            rp_csv_field(&b, plain[k] ? plain[k] : "", plain[k] ? strlen(plain[k]) : 0, k == 0);
        rp_csv_end_row(&b);
        if (big5_line(c, o, &b) != 0)
            o->failed = 1, o->err_no = EILSEQ;
    }
    rp_buf_release(&b);
}

/* Replace each character that has a variant with that variant, at probability q. */
static void variants(rng *r, const char *in, char *out, size_t n, double q)
{
    size_t j = 0;
    for (size_t i = 0; in[i];) {
        uint32_t cp;
        int k = rp_utf8_decode(in + i, strlen(in + i), &cp);
        if (k < 0)
            k = 1;
        char ch[8];
        memcpy(ch, in + i, (size_t)k);
        ch[k] = 0;
        const char *v = gen_variant(ch);
        const char *use = v && rng_chance(r, q) ? v : ch;
        size_t ul = strlen(use);
        if (j + ul + 1 >= n)
            break;
        memcpy(out + j, use, ul);
        j += ul;
        i += (size_t)k;
    }
    out[j] = 0;
}

/* ASCII digits to full-width ones (U+FF10..). */
static void fullwidth_digits(const char *in, char *out, size_t n)
{
    size_t j = 0;
    for (; *in && j + 4 < n; in++) {
        if (*in >= '0' && *in <= '9') {
            out[j++] = (char)0xEF;
            out[j++] = (char)0xBC;
            out[j++] = (char)(0x90 + (*in - '0'));
        } else {
            out[j++] = *in;
        }
    }
    out[j] = 0;
}

static void luhn_card(char out[17], int64_t serial)
{
    snprintf(out, 17, "4563%011lld", (long long)(serial % 100000000000LL));
    int sum = 0;
    for (int k = 14; k >= 0; k--) {
        int d = out[k] - '0';
        if ((14 - k) % 2 == 0) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    out[15] = (char)('0' + (10 - sum % 10) % 10);
    out[16] = 0;
}

static void card(ctx *c, person *p)
{
    if (!p->has_card)
        return;
    rng r, tr, dr;
    rng_init(&r, c->o->seed, (uint64_t)p->i, S_CARD);
    rng_init(&tr, c->o->seed, (uint64_t)p->i, S_CARD_TXN);
    rng_init(&dr, c->o->seed, (uint64_t)p->i, S_DEFECT + 300);
    (void)rng_next(&r); /* the first draw decided has_card */
    char cust[16], cardno[17], name[96], addr[256], addr2[256], mobile[40], birth[16], idno[12], email[96];
    snprintf(cust, sizeof cust, "C%09lld", (long long)perm(p->i, 1000000000, 7654321, 1111111));
    luhn_card(cardno, perm(p->i, 100000000000LL, 1000003, 424242));
    /* the card system's own way of writing the same person */
    variants(&r, p->name_zh, name, sizeof name, 0.5);
    if (p->ng == 2 && rng_chance(&r, 0.04)) {
        /* a typo by sound: the clerk typed the last character by its Zhuyin and
         * picked a homophone; the romanised name stays the same */
        const gen_name_part *given = p->female ? gen_given_female : gen_given_male;
        size_t ng = p->female ? gen_ngiven_female : gen_ngiven_male;
        const char *h = gen_homophone(p->g[1]->zh);
        const char *other = given[rng_below(&r, ng)].zh;
        snprintf(name, sizeof name, "%s%s%s", p->sur->zh, p->g[0]->zh, h ? h : other);
    }
    if (rng_chance(&r, 0.03))
        name[0] = 0; /* only the romanised name on file */
    variants(&r, p->address, addr2, sizeof addr2, 0.9); /* 臺 -> 台 mostly */
    if (rng_chance(&r, 0.12))
        fullwidth_digits(addr2, addr, sizeof addr);
    else
        snprintf(addr, sizeof addr, "%s", addr2);
    if (rng_chance(&r, 0.1)) /* moved since: a new address the host does not know */
        snprintf(addr, sizeof addr, "%s%s%s%d號", p->county->name, p->district->name,
                 gen_streets[rng_below(&r, gen_nstreets)], rng_range(&r, 1, 300));
    if (rng_chance(&r, 0.08)) /* a changed phone */
        snprintf(mobile, sizeof mobile, "09%02d-%03d-%03d", rng_range(&r, 10, 99), rng_range(&r, 0, 999),
                 rng_range(&r, 0, 999));
    else
        snprintf(mobile, sizeof mobile, "%.4s-%.3s-%.3s", p->mobile, p->mobile + 4, p->mobile + 7);
    snprintf(birth, sizeof birth, "%04d/%02d/%02d", p->birth.y, p->birth.m, p->birth.d);
    /* older card applications were taken without the national ID */
    snprintf(idno, sizeof idno, "%s", rng_chance(&r, 0.75) ? p->id : "");
    snprintf(email, sizeof email, "%s", rng_chance(&r, 0.8) ? p->email : "");
    char limit[24];
    snprintf(limit, sizeof limit, "%lld", (long long)((p->income / 100000 + 1) * 30000));
    int churned = p->churn_m >= 0 && p->churn_m < c->o->months;
    /* issued some time between joining (or 2005) and a year before the extract ends */
    int64_t from = rp_days_from_civil(p->since.y < 2005 ? 2005 : p->since.y, p->since.y < 2005 ? 1 : p->since.m, 1);
    int64_t to = rp_days_from_civil(c->asof.y - 1, c->asof.m, 1);
    rp_date iss = rp_civil_from_days(to > from ? from + (int64_t)rng_below(&r, (uint64_t)(to - from)) : from);
    char issued[16];
    snprintf(issued, sizeof issued, "%04u/%02u/%02u", (unsigned)iss.y % 10000u, (unsigned)iss.m % 100u,
             (unsigned)iss.d % 100u);
    int64_t recno = c->card_cust.records + 1;
    int dup = 0;
    if (rng_chance(&dr, c->o->defect_rate)) {
        int kind = (int)rng_below(&dr, idno[0] ? 3 : 2);
        if (kind == 2) {
            idno[9] = (char)('0' + ((idno[9] - '0' + 1) % 10));
            defect(c, "card", &c->card_cust, recno, "id_no", "bad_checksum");
        } else if (kind == 1) {
            snprintf(birth, sizeof birth, "%04d/02/30", p->birth.y);
            defect(c, "card", &c->card_cust, recno, "birth_date", "impossible_date");
        } else {
            dup = 1;
            defect(c, "card", &c->card_cust, recno + 1, "", "duplicate");
        }
    }
    const char *f[] = { cust, name, p->name_latin, idno, birth, p->female ? "F" : "M", mobile, p->landline,
                        p->district->zip, addr, email, cardno, p->wealth > 2 ? "PLAT" : "GOLD", issued, limit,
                        churned ? "closed" : "active" };
    const char *plain[] = { cust, p->name_zh, p->name_latin, idno, birth, p->female ? "F" : "M", mobile,
                            p->landline, p->district->zip, p->address, email, cardno,
                            p->wealth > 2 ? "PLAT" : "GOLD", issued, limit, churned ? "closed" : "active" };
    card_row(c, &c->card_cust, f, plain, 16);
    if (dup)
        card_row(c, &c->card_cust, f, plain, 16);
    gen_out_printf(&c->identity, "card,%s,%s\n", cust, p->pid);
    c->st->card_customers++;
    /* purchases month by month, by life-stage affinity; travel comes as flight and hotel */
    int last = p->churn_m >= 0 && p->churn_m < c->o->months ? p->churn_m : c->o->months - 1;
    for (int m = p->since_m > 0 ? p->since_m : 0; m <= last; m++) {
        int y = month_y(c, m), mo = month_m(c, m), dim = days_in(y, mo);
        int n = rng_poisson(&tr, 2.0 + 4.0 * p->digital * (mo == 1 || mo == 2 ? 1.3 : 1.0));
        int travel = rng_chance(&tr, p->wealth > 1.5 ? 0.12 : 0.02);
        for (int k = 0; k < n + 2 * travel; k++) {
            int mi = k >= n ? (k == n ? 8 : 9) : affinity[p->stage][rng_below(&tr, 6)];
            if (k < n && rng_chance(&tr, 0.2))
                mi = (int)rng_below(&tr, sizeof merchants / sizeof merchants[0]);
            double base = mi == 8 ? 18000 : mi == 9 ? 12000 : mi == 13 ? 8000 : 900;
            int64_t amt = (int64_t)(rng_lognormal(&tr, log(base * (0.6 + 0.4 * p->wealth)), 0.6));
            int day = rng_range(&tr, 1, dim);
            char td[16], pd[16], amount[24];
            snprintf(td, sizeof td, "%04d/%02d/%02d", y, mo, day);
            rp_date post = rp_civil_from_days(rp_days_from_civil(y, mo, day) + rng_range(&tr, 1, 3));
            snprintf(pd, sizeof pd, "%04d/%02d/%02d", post.y, post.m, post.d);
            snprintf(amount, sizeof amount, "%lld", (long long)amt);
            const char *type = "purchase";
            char cno[17];
            memcpy(cno, cardno, sizeof cno);
            int64_t rn = c->card_txn.records + 1;
            int tdup = 0;
            if (rng_chance(&dr, c->o->defect_rate)) {
                switch (rng_below(&dr, 4)) {
                case 0:
                    snprintf(amount, sizeof amount, "-%lld", (long long)amt);
                    defect(c, "card", &c->card_txn, rn, "amount", "negative_amount");
                    break;
                case 1:
                    snprintf(td, sizeof td, "%04d/02/30", y);
                    defect(c, "card", &c->card_txn, rn, "txn_date", "impossible_date");
                    break;
                case 2:
                    memcpy(cno, "45639999", 8);
                    defect(c, "card", &c->card_txn, rn, "card_no", "orphan_reference");
                    break;
                default:
                    tdup = 1;
                    defect(c, "card", &c->card_txn, rn + 1, "", "duplicate");
                }
            }
            const char *row[] = { cno, td, pd, type, merchants[mi].name, merchants[mi].mcc, amount, "TWD" };
            card_row(c, &c->card_txn, row, NULL, 8);
            if (tdup)
                card_row(c, &c->card_txn, row, NULL, 8);
            c->st->card_txns++;
            p->revenue += (double)amt * 0.016; /* interchange and revolving interest */
        }
    }
}

/* ---- truth ---- */

static void truth(ctx *c, const person *p)
{
    const char *tier = p->wealth > 8 ? "private" : p->wealth > 2.5 ? "affluent" : p->wealth > 0.6 ? "mass" : "low";
    gen_out_printf(&c->segments, "%s,%s,%s,%s,%s,%.0f\n", p->pid, p->cust_no, p->org ? "company" : stages[p->stage],
                   tier, p->org ? "organisation" : "person", p->revenue);
    char cm[16] = "";
    int months = c->o->months;
    if (p->churn_m >= 0 && p->churn_m < months)
        snprintf(cm, sizeof cm, "%04d-%02d", month_y(c, p->churn_m) % 10000, month_m(c, p->churn_m) % 100);
    gen_out_printf(&c->churn, "%s,%s,%s,%d,%.5f\n", p->pid, p->cust_no, cm, p->churn_m == months,
                   p->churn_m >= 0 && p->churn_m < months ? 0.0 : p->hazard_next);
    c->st->churned_next_month += p->churn_m == months;
    double v = p->revenue > 0 ? p->revenue : 0;
    int bin = (int)(log10(v + 1) * (REV_BINS / 10.0));
    if (bin >= REV_BINS)
        bin = REV_BINS - 1;
    c->rev_hist[bin] += v;
    c->rev_cnt[bin] += 1;
    c->rev_total += v;
    c->rev_n++;
}

static double top20_share(const ctx *c)
{
    double want = 0.2 * (double)c->rev_n, have = 0, sum = 0;
    for (int b = REV_BINS - 1; b >= 0 && have < want; b--) {
        double take = c->rev_cnt[b] < want - have ? c->rev_cnt[b] : want - have;
        if (c->rev_cnt[b] > 0)
            sum += c->rev_hist[b] * take / c->rev_cnt[b];
        have += take;
    }
    return c->rev_total > 0 ? sum / c->rev_total : 0;
}

/* ---- the branch master: one branch per district, coded as customers' home branches are ---- */

static void write_branches(ctx *c)
{
    for (size_t ci = 0; ci < gen_ncounties; ci++) {
        const gen_county *k = &gen_counties[ci];
        for (size_t di = 0; di < k->ndistricts; di++) {
            char code[8], name[64];
            snprintf(code, sizeof code, "%02u%02u", (unsigned)(ci + 1) % 100u, (unsigned)(di + 1) % 100u);
            /* 臺北市大安區 -> 臺北大安分行 */
            const char *d = k->districts[di].name;
            size_t n = strlen(d);
            if (n >= 3 && (strcmp(d + n - 3, "區") == 0 || strcmp(d + n - 3, "市") == 0 ||
                           strcmp(d + n - 3, "鎮") == 0 || strcmp(d + n - 3, "鄉") == 0))
                n -= 3;
            size_t kn = strlen(k->name) >= 3 ? strlen(k->name) - 3 : 0; /* 臺北市 -> 臺北 */
            snprintf(name, sizeof name, "%.*s%.*s分行", (int)kn, k->name, (int)n, d);
            rec r;
            rec_init(&r, &branch_layout);
            rec_text(c, &r, BR_CODE, code);
            rec_text(c, &r, BR_NAME, name);
            rec_text(c, &r, BR_COUNTY, k->name);
            rec_text(c, &r, BR_DISTRICT, d);
            rec_text(c, &r, BR_ZIP, k->districts[di].zip);
            rec_num(&r, BR_OPEN, 600101 + (int64_t)((ci * 7 + di * 13) % 50) * 10000);
            rec_write(&c->branches, &r, branch_layout.len);
        }
    }
}

/* ---- the run ---- */

static int open_all(ctx *c, rp_error *err)
{
    const char *dir = c->o->out;
    struct {
        gen_out *o;
        const char *rel, *system, *format, *encoding, *layout, *description;
    } files[] = {
        { &c->branches, "host/BRANCH.dat", "host", "fixed-width records with RDW", "IBM-937",
          "host/BRANCH.cpy", "branch master: one record per branch" },
        { &c->cpy_branch, "host/BRANCH.cpy", "host", "COBOL copybook", "ASCII", NULL, "layout of BRANCH.dat" },
        { &c->cif, "host/CIF.dat", "host", "fixed-width records with RDW", "IBM-937", "host/CIF.cpy",
          "customer information file: one record per customer" },
        { &c->acct, "host/ACCT.dat", "host", "fixed-width records with RDW", "IBM-937", "host/ACCT.cpy",
          "account master: one record per account holder" },
        { &c->cpy_cif, "host/CIF.cpy", "host", "COBOL copybook", "ASCII", NULL, "layout of CIF.dat" },
        { &c->cpy_acct, "host/ACCT.cpy", "host", "COBOL copybook", "ASCII", NULL, "layout of ACCT.dat" },
        { &c->cpy_txn, "host/TXN.cpy", "host", "COBOL copybook", "ASCII", NULL, "layout of TXN_YYYYMM.dat" },
        { &c->card_cust, "card/card_customers.csv", "card", "CSV (RFC 4180) with header", "CP950", NULL,
          "card holders as the card system knows them" },
        { &c->card_txn, "card/card_transactions.csv", "card", "CSV (RFC 4180) with header", "CP950", NULL,
          "card purchases" },
        { &c->ol_users, "online/users.jsonl", "online", "JSON lines", "UTF-8", NULL,
          "internet and mobile banking users" },
        { &c->ol_logins, "online/logins.jsonl", "online", "JSON lines", "UTF-8", NULL,
          "log-ins, successful and failed" },
        { &c->ol_events, "online/events.jsonl", "online", "JSON lines", "UTF-8", NULL,
          "page views (click stream) of the last three months" },
        { &c->ol_transfers, "online/transfers.jsonl", "online", "JSON lines", "UTF-8", NULL,
          "transfers and payments made online" },
        { &c->cdr, "callcentre/calls.csv", "callcentre", "CSV (RFC 4180) with header", "UTF-8", NULL,
          "call detail records: arrival, IVR path, queue, wait, talk, wrap-up, abandon" },
        { &c->notes, "callcentre/notes.csv", "callcentre", "CSV (RFC 4180) with header", "UTF-8", NULL,
          "agents' contact notes" },
        { &c->campaigns, "campaign/campaigns.csv", "campaign", "CSV (RFC 4180) with header", "UTF-8", NULL,
          "past campaigns: offer, channel, dates" },
        { &c->targets, "campaign/targets.csv", "campaign", "CSV (RFC 4180) with header", "UTF-8", NULL,
          "target lists with the random control group" },
        { &c->responses, "campaign/responses.csv", "campaign", "CSV (RFC 4180) with header", "UTF-8", NULL,
          "responses: positive, negative (no response is no row)" },
        { &c->treatment, "truth/treatment.csv", "truth", "CSV with header", "UTF-8", NULL,
          "true response probabilities with and without the campaign" },
        { &c->identity, "truth/identity.csv", "truth", "CSV with header", "UTF-8", NULL,
          "the true person behind every customer record of every source" },
        { &c->defects, "truth/defects.csv", "truth", "CSV with header", "UTF-8", NULL,
          "every defect put into the extracts" },
        { &c->churn, "truth/churn.csv", "truth", "CSV with header", "UTF-8", NULL,
          "churn within the window and in the month after it" },
        { &c->segments, "truth/segments.csv", "truth", "CSV with header", "UTF-8", NULL,
          "true life stage, value tier and revenue" },
    };
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        int rc = gen_out_open(files[k].o, dir, files[k].rel, err);
        if (rc)
            return rc;
        c->files[c->nfiles++] = files[k].o;
        files[k].o->system = files[k].system;
        files[k].o->format = files[k].format;
        files[k].o->encoding = files[k].encoding;
        files[k].o->layout = files[k].layout;
        files[k].o->description = files[k].description;
    }
    for (int m = 0; m < c->o->months; m++) {
        char rel[64];
        snprintf(rel, sizeof rel, "host/TXN_%04d%02d.dat", month_y(c, m) % 10000, month_m(c, m) % 100);
        int rc = gen_out_open(&c->txn[m], dir, rel, err);
        if (rc)
            return rc;
        c->files[c->nfiles++] = &c->txn[m];
        c->txn[m].system = "host";
        c->txn[m].format = "fixed-width records with RDW";
        c->txn[m].encoding = "IBM-937";
        c->txn[m].layout = "host/TXN.cpy";
        c->txn[m].description = "posted transactions of one month";
    }
    copybook(&c->cpy_branch, &branch_layout, "BRANCH.dat");
    copybook(&c->cpy_cif, &cif_layout, "CIF.dat");
    copybook(&c->cpy_acct, &acct_layout, "ACCT.dat");
    copybook(&c->cpy_txn, &txn_layout, "TXN_YYYYMM.dat");
    write_branches(c);
    const char *ch[] = { "card_cust_no", "name", "name_en", "id_no", "birth_date", "gender", "mobile",
                         "home_phone", "zip", "address", "email", "card_no", "card_product", "issued",
                         "credit_limit", "status" };
    card_row(c, &c->card_cust, ch, NULL, 16);
    const char *th[] = { "card_no", "txn_date", "post_date", "type", "merchant", "mcc", "amount", "currency" };
    card_row(c, &c->card_txn, th, NULL, 8);
    c->card_cust.records = c->card_txn.records = 0; /* headers are not records */
    gen_out_printf(&c->identity, "source,source_key,person_id\n");
    gen_out_printf(&c->cdr, "call_id,arrival,caller_number,ivr_path,identified_cust_no,queue,wait_s,talk_s,"
                            "wrap_s,abandoned,agent,reason\r\n");
    gen_out_printf(&c->notes, "call_id,agent,written_at,category,note\r\n");
    gen_out_printf(&c->campaigns, "campaign_id,name,offer,channel,start_date,end_date,response_deadline\r\n");
    for (int k = 0; k < NCAMPAIGNS; k++) {
        int m = campaign_month(c, k), e = m + 1 < c->o->months ? m + 1 : m;
        gen_out_printf(&c->campaigns, "%s,%s,%s,%s,%04u-%02u-01,%04u-%02u-20,%04u-%02u-28\r\n", campaign_list[k].id,
                       campaign_list[k].name, campaign_list[k].offer, campaign_list[k].channel,
                       (unsigned)month_y(c, m) % 10000u, (unsigned)month_m(c, m) % 100u,
                       (unsigned)month_y(c, m) % 10000u, (unsigned)month_m(c, m) % 100u,
                       (unsigned)month_y(c, e) % 10000u, (unsigned)month_m(c, e) % 100u);
        c->campaigns.records++;
    }
    gen_out_printf(&c->targets, "campaign_id,cust_no,group,contacted_at,channel\r\n");
    gen_out_printf(&c->responses, "campaign_id,cust_no,response,responded_at\r\n");
    gen_out_printf(&c->treatment, "campaign_id,person_id,host_cust_no,group,p_control,p_treated,response\n");
    gen_out_printf(&c->defects, "source,file,record,field,defect\n");
    gen_out_printf(&c->churn, "person_id,host_cust_no,churn_month,churn_next_month,hazard_next\n");
    gen_out_printf(&c->segments, "person_id,host_cust_no,lifecycle,value_tier,kind,revenue_twd\n");
    return RP_OK;
}

static int close_all(ctx *c, rp_error *err)
{
    gen_out **all = c->files;
    int n = c->nfiles;
    json_t *files = json_array();
    int rc = RP_OK;
    for (int k = 0; k < n; k++) {
        gen_out *o = all[k];
        if (!o->f)
            continue;
        char hex[65];
        int r = gen_out_close(o, hex, err);
        if (r && !rc)
            rc = r;
        json_t *f = json_object();
        json_object_set_new(f, "path", json_string(o->rel));
        json_object_set_new(f, "system", json_string(o->system));
        json_object_set_new(f, "format", json_string(o->format));
        json_object_set_new(f, "encoding", json_string(o->encoding));
        if (o->layout)
            json_object_set_new(f, "layout", json_string(o->layout));
        json_object_set_new(f, "description", json_string(o->description));
        json_object_set_new(f, "records", json_integer(o->records));
        json_object_set_new(f, "bytes", json_integer(o->bytes));
        json_object_set_new(f, "sha256", json_string(hex));
        json_array_append_new(files, f);
    }
    if (rc) {
        json_decref(files);
        return rc;
    }
    json_t *m = json_object();
    char first[16], last[16];
    snprintf(first, sizeof first, "%04d-%02d", c->y0 % 10000, c->m0 % 100);
    snprintf(last, sizeof last, "%04d-%02d", c->o->end_year % 10000, c->o->end_month % 100);
    json_object_set_new(m, "generator", json_string("rapport gen"));
    json_object_set_new(m, "seed", json_integer((json_int_t)c->o->seed));
    json_object_set_new(m, "customers", json_integer(c->o->customers));
    json_object_set_new(m, "months", json_integer(c->o->months));
    json_object_set_new(m, "first_month", json_string(first));
    json_object_set_new(m, "last_month", json_string(last));
    json_object_set_new(m, "defect_rate", json_real(c->o->defect_rate));
    json_object_set_new(m, "files", files);
    gen_out mf;
    if ((rc = gen_out_open(&mf, c->o->out, "manifest.json", err)) == RP_OK) {
        rp_buf b = RP_BUF_INIT;
        rp_json_dump(m, 2, &b);
        rp_buf_putc(&b, '\n');
        gen_out_write(&mf, b.data, b.len);
        rp_buf_release(&b);
        rc = gen_out_close(&mf, NULL, err);
    }
    json_decref(m);
    return rc;
}

int gen_run(const gen_options *o, gen_stats *stats, rp_error *err)
{
    if (o->customers < 1 || o->customers > GEN_MAX_CUSTOMERS)
        return rp_err(err, RP_INVAL, "--customers: %lld is not a number of customers from 1 to %d",
                      (long long)o->customers, GEN_MAX_CUSTOMERS);
    if (o->months < 1 || o->months > GEN_MAX_MONTHS)
        return rp_err(err, RP_INVAL, "--months: %d is not from 1 to %d", o->months, GEN_MAX_MONTHS);
    if (!(o->defect_rate >= 0 && o->defect_rate <= 0.5))
        return rp_err(err, RP_INVAL, "--defect-rate: %g is not from 0 to 0.5", o->defect_rate);
    if (!o->out || !*o->out)
        return rp_err(err, RP_USAGE, "--out: required");
    if (o->end_month < 1 || o->end_month > 12 || o->end_year < 1950 || o->end_year > 2100)
        return rp_err(err, RP_INVAL, "--end: %04d-%02d is not a month", o->end_year, o->end_month);
    if (mkdir(o->out, 0755) != 0 && errno != EEXIST)
        return rp_err(err, RP_IO, "%s: cannot create: %s", o->out, strerror(errno));
    struct stat sb;
    if (stat(o->out, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return rp_err(err, RP_IO, "%s: not a directory", o->out);
    gen_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    ctx *c = calloc(1, sizeof *c);
    if (!c)
        return rp_err(err, RP_NOMEM, NULL);
    c->o = o;
    c->st = stats;
    c->txn = calloc((size_t)o->months, sizeof *c->txn);
    int total = (o->end_year * 12 + o->end_month - 1) - (o->months - 1);
    c->y0 = total / 12;
    c->m0 = total % 12 + 1;
    c->asof = (rp_date){ o->end_year, o->end_month, days_in(o->end_year, o->end_month) };
    layout_init(&branch_layout);
    layout_init(&cif_layout);
    layout_init(&acct_layout);
    layout_init(&txn_layout);
    int rc = c->txn ? RP_OK : rp_err(err, RP_NOMEM, NULL);
    if (!rc)
        rc = rp_host_codec_open("IBM-937", &c->hc, err);
    c->big5 = iconv_open("CP950", "UTF-8");
    if (!rc && c->big5 == (iconv_t)-1)
        rc = rp_err(err, RP_ENCODING, "code page CP950 is not available");
    if (!rc)
        rc = open_all(c, err);
    rp_progress pr;
    rp_progress_start(&pr, "generating customers", (uint64_t)o->customers);
    if (!o->progress)
        pr.on = 0;
    person *pp = calloc(2, sizeof *pp);
    if (!pp && !rc)
        rc = rp_err(err, RP_NOMEM, NULL);
    for (int64_t i = 0; !rc && i < o->customers; i += 2) {
        int n = i + 1 < o->customers ? 2 : 1;
        for (int k = 0; k < n; k++) {
            make_person(c, i + k, &pp[k]);
            rng cr;
            rng_init(&cr, o->seed, (uint64_t)(i + k), S_CARD);
            pp[k].has_card = !pp[k].org &&
                             rng_chance(&cr, pp[k].age >= 25 && pp[k].age <= 55 ? 0.55 : 0.3);
            rng orr;
            rng_init(&orr, o->seed, (uint64_t)(i + k), S_ONLINE);
            pp[k].has_online = rng_chance(&orr, pp[k].org ? 0.9 : 0.15 + 0.8 * pp[k].digital);
            if (pp[k].has_online) {
                char g[24] = "corp";
                if (!pp[k].org) {
                    snprintf(g, sizeof g, "%s", pp[k].g[0]->latin);
                    lower_ascii(g);
                }
                static const char b36[] = "0123456789abcdefghijklmnopqrstuvwxyz";
                char tail[16];
                int64_t v = i + k;
                int t = 0;
                do {
                    tail[t++] = b36[v % 36];
                    v /= 36;
                } while (v && t < 15);
                tail[t] = 0;
                snprintf(pp[k].online_id, sizeof pp[k].online_id, "%s%02u%s", g,
                         (unsigned)pp[k].birth.y % 100u, tail);
            }
        }
        if (n == 2)
            make_household(c, &pp[0], &pp[1]);
        for (int k = 0; k < n; k++) {
            person *p = &pp[k], *partner = p->household ? &pp[1 - k] : NULL;
            simulate(c, p);
            card(c, p);
            online(c, p);
            campaign_write(c, p);
            write_cif(c, p, partner ? partner->cust_no : "");
            write_accounts(c, p, partner);
            truth(c, p);
            stats->customers++;
            if (p->org)
                stats->organisations++;
            else
                stats->persons++;
        }
        /* a write that failed (a full disk) stops the run at once; close_all names the file */
        int failed = 0;
        for (int k = 0; k < c->nfiles && !failed; k++)
            failed = c->files[k]->failed;
        if (failed)
            break;
        rp_progress_update(&pr, (uint64_t)stats->customers);
    }
    rp_progress_finish(&pr);
    free(pp);
    int rc2 = close_all(c, err);
    if (!rc)
        rc = rc2;
    stats->top20_revenue_share = top20_share(c);
    /* records of the source systems' files (not copybooks, not the truth) */
    stats->records = 0;
    for (int k = 0; k < c->nfiles; k++)
        if (strcmp(c->files[k]->system, "truth") != 0 && !strstr(c->files[k]->rel, ".cpy"))
            stats->records += c->files[k]->records;
    stats->online_users = c->ol_users.records;
    stats->calls = c->cdr.records;
    stats->campaign_targets = c->targets.records;
    if (c->big5 != (iconv_t)-1 && c->big5)
        iconv_close(c->big5);
    rp_host_codec_close(c->hc);
    free(c->txn);
    free(c);
    return rc;
}
