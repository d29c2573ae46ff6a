/*
 * people.c — the customers: persons and companies with their names, IDs,
 * addresses, phones, occupation, income and wealth, the channels they use
 * (a card, an online banking id), and couples sharing a household.
 */
#include "gen/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Customer i, a person or (3 %) a company, from its own stream. */
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

/* Whether the customer holds a card and uses online banking (each from its
 * own stream), and the online user id: given name, year of birth, index. */
static void channels(ctx *c, person *p)
{
    rng cr;
    rng_init(&cr, c->o->seed, (uint64_t)p->i, S_CARD);
    p->has_card = !p->org && rng_chance(&cr, p->age >= 25 && p->age <= 55 ? 0.55 : 0.3);
    rng orr;
    rng_init(&orr, c->o->seed, (uint64_t)p->i, S_ONLINE);
    p->has_online = rng_chance(&orr, p->org ? 0.9 : 0.15 + 0.8 * p->digital);
    if (!p->has_online)
        return;
    char g[24] = "corp";
    if (!p->org) {
        snprintf(g, sizeof g, "%s", p->g[0]->latin);
        lower_ascii(g);
    }
    static const char b36[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    char tail[16];
    int64_t v = p->i;
    int t = 0;
    do {
        tail[t++] = b36[v % 36];
        v /= 36;
    } while (v && t < 15);
    tail[t] = 0;
    snprintf(p->online_id, sizeof p->online_id, "%s%02u%s", g, (unsigned)p->birth.y % 100u, tail);
}

/* Customers are made two at a time, for a pair may be a couple. */
void gen_make_pair(ctx *c, int64_t i, int n, person *pp)
{
    for (int k = 0; k < n; k++) {
        make_person(c, i + k, &pp[k]);
        channels(c, &pp[k]);
    }
    if (n == 2)
        make_household(c, &pp[0], &pp[1]);
}
