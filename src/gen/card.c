/*
 * card.c — the card system: card holders and purchases as CSV in Big5
 * (CP950), with the card system's own customer numbers and its own way of
 * writing the same people (variant characters, homophones, old addresses).
 */
#include "gen/internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "core/buf.h"
#include "core/csv.h"
#include "core/utf8.h"

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
void gen_card_row(ctx *c, gen_out *o, const char *const *f, const char *const *plain, int n)
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

/* The two files' header rows. */
void gen_card_begin(ctx *c)
{
    const char *ch[] = { "card_cust_no", "name", "name_en", "id_no", "birth_date", "gender", "mobile",
                         "home_phone", "zip", "address", "email", "card_no", "card_product", "issued",
                         "credit_limit", "status" };
    gen_card_row(c, &c->card_cust, ch, NULL, 16);
    const char *th[] = { "card_no", "txn_date", "post_date", "type", "merchant", "mcc", "amount", "currency" };
    gen_card_row(c, &c->card_txn, th, NULL, 8);
    c->card_cust.records = c->card_txn.records = 0; /* headers are not records */
}

/* A card holder as the card system writes them, and their purchases month by
 * month. */
void gen_card(ctx *c, person *p)
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
            gen_defect(c, "card", &c->card_cust, recno, "id_no", "bad_checksum");
        } else if (kind == 1) {
            snprintf(birth, sizeof birth, "%04d/02/30", p->birth.y);
            gen_defect(c, "card", &c->card_cust, recno, "birth_date", "impossible_date");
        } else {
            dup = 1;
            gen_defect(c, "card", &c->card_cust, recno + 1, "", "duplicate");
        }
    }
    const char *f[] = { cust, name, p->name_latin, idno, birth, p->female ? "F" : "M", mobile, p->landline,
                        p->district->zip, addr, email, cardno, p->wealth > 2 ? "PLAT" : "GOLD", issued, limit,
                        churned ? "closed" : "active" };
    const char *plain[] = { cust, p->name_zh, p->name_latin, idno, birth, p->female ? "F" : "M", mobile,
                            p->landline, p->district->zip, p->address, email, cardno,
                            p->wealth > 2 ? "PLAT" : "GOLD", issued, limit, churned ? "closed" : "active" };
    gen_card_row(c, &c->card_cust, f, plain, 16);
    if (dup)
        gen_card_row(c, &c->card_cust, f, plain, 16);
    gen_out_printf(&c->identity, "card,%s,%s\n", cust, p->pid);
    c->st->card_customers++;
    /* purchases month by month, by life-stage affinity; travel comes as flight and hotel */
    int last = p->churn_m >= 0 && p->churn_m < c->o->months ? p->churn_m : c->o->months - 1;
    int64_t spend[GEN_MAX_MONTHS] = { 0 };
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
                    gen_defect(c, "card", &c->card_txn, rn, "amount", "negative_amount");
                    break;
                case 1:
                    snprintf(td, sizeof td, "%04d/02/30", y);
                    gen_defect(c, "card", &c->card_txn, rn, "txn_date", "impossible_date");
                    break;
                case 2:
                    memcpy(cno, "45639999", 8);
                    gen_defect(c, "card", &c->card_txn, rn, "card_no", "orphan_reference");
                    break;
                default:
                    tdup = 1;
                    gen_defect(c, "card", &c->card_txn, rn + 1, "", "duplicate");
                }
            }
            const char *row[] = { cno, td, pd, type, merchants[mi].name, merchants[mi].mcc, amount, "TWD" };
            gen_card_row(c, &c->card_txn, row, NULL, 8);
            if (tdup)
                gen_card_row(c, &c->card_txn, row, NULL, 8);
            c->st->card_txns++;
            spend[m] += amt;
            p->revenue += (double)amt * 0.016; /* interchange and revolving interest */
        }
    }
    gen_statements(c, p, cardno, (p->income / 100000 + 1) * 30000, p->since_m > 0 ? p->since_m : 0, last, spend);
}
