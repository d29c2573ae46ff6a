/*
 * host.c — the core banking host: EBCDIC IBM-937 records with RDW, packed
 * and zoned decimals, made with their COBOL copybooks from one field table;
 * the defects a host file may carry; the CIF, ACCT, TXN and BRANCH records.
 */
#include "gen/internal.h"

#include <stdio.h>
#include <string.h>

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

/* ---- defects in host records ---- */

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
            gen_defect(c, "host", o, recno, r->l->f[id_field].name, kind);
        } else if (!strcmp(kind, "impossible_date") && date_field >= 0) {
            int64_t v;
            if (rp_zoned_decode(r->b + r->l->off[date_field], 7, &v) == RP_OK)
                rec_num(r, date_field, v / 10000 * 10000 + 230); /* the 30th of February */
            gen_defect(c, "host", o, recno, r->l->f[date_field].name, kind);
        } else if (!strcmp(kind, "invalid_dbcs") && text_field >= 0) {
            unsigned char *p = r->b + r->l->off[text_field];
            int w = r->l->f[text_field].n;
            p[0] = RP_EBCDIC_SO;
            p[1] = 0xFF;
            p[2] = 0xFF;
            if (w > 3 && p[3] == RP_EBCDIC_SO)
                p[3] = RP_EBCDIC_SI;
            gen_defect(c, "host", o, recno, r->l->f[text_field].name, kind);
        } else if (!strcmp(kind, "negative_amount") && amount_field >= 0) {
            int64_t v;
            if (rp_packed_decode(r->b + r->l->off[amount_field], r->l->f[amount_field].n, &v) == RP_OK)
                rec_num(r, amount_field, v > 0 ? -v : v - 100);
            gen_defect(c, "host", o, recno, r->l->f[amount_field].name, kind);
        } else if (!strcmp(kind, "orphan_reference") && t.ref >= 0) {
            /* a key that no record of the referenced file has: starts with 99 */
            unsigned char *p = r->b + r->l->off[t.ref];
            p[0] = p[1] = 0xF9;
            gen_defect(c, "host", o, recno, r->l->f[t.ref].name, kind);
        } else if (!strcmp(kind, "truncated")) {
            len = r->l->len * 3 / 5;
            gen_defect(c, "host", o, recno, "", kind);
        } else if (!strcmp(kind, "duplicate")) {
            dup = 1;
            gen_defect(c, "host", o, recno + 1, "", kind);
        }
    }
    rec_write(o, r, len);
    if (dup)
        rec_write(o, r, len);
}

/* ---- transactions, customers and accounts ---- */

static const char *const channel_codes[] = { "BR", "AT", "IB", "MB", "PH", "BT" };

/* A posted transaction, in its month's TXN file; a->bal is the balance after
 * it.  The time of day comes from the simulation's stream. */
void gen_host_txn(sim *s, const account *a, int m, int day, const char *code, int ch, int64_t amount,
                  const char *memo)
{
    ctx *c = s->c;
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
}

/* The customer's CIF record, and the host's line of the identity truth. */
void gen_host_cif(ctx *c, const person *p, const char *spouse_no)
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

/* One ACCT record per account and holder: a partner holds the mortgage too. */
void gen_host_accounts(ctx *c, const person *p, const person *partner)
{
    rng dr;
    rng_init(&dr, c->o->seed, (uint64_t)p->i, S_DEFECT + 200);
    static const int64_t rates[P_N] = { 8000, 16500, 21500, 59000, 0 }; /* percent x 10^4 */
    for (int k = 0; k < p->nacct; k++) {
        const account *a = &p->acct[k];
        int holders = a->prod == P_MTG && partner ? 2 : 1;
        for (int h = 0; h < holders; h++) {
            rec r;
            rec_init(&r, &acct_layout);
            rec_text(c, &r, AC_NO, a->no);
            rec_text(c, &r, AC_CUST_NO, h ? partner->cust_no : p->cust_no);
            rec_text(c, &r, AC_ROLE, h ? "J" : "O");
            rec_text(c, &r, AC_PRODUCT, gen_products[a->prod].code);
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

/* The layouts' offsets, the copybooks and the branch master. */
void gen_host_begin(ctx *c)
{
    layout_init(&branch_layout);
    layout_init(&cif_layout);
    layout_init(&acct_layout);
    layout_init(&txn_layout);
    copybook(&c->cpy_branch, &branch_layout, "BRANCH.dat");
    copybook(&c->cpy_cif, &cif_layout, "CIF.dat");
    copybook(&c->cpy_acct, &acct_layout, "ACCT.dat");
    copybook(&c->cpy_txn, &txn_layout, "TXN_YYYYMM.dat");
    write_branches(c);
}
