/*
 * simulate.c — each customer's behaviour month by month: the products held
 * by life stage and wealth, salaries, spending, bills, loan instalments,
 * time deposits broken early, calls, churn and the revenue the bank earns.
 */
#include "gen/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const gen_product gen_products[P_N] = {
    [P_SAV] = { "SAV001", "活期儲蓄存款", "deposit", 0.012 },
    [P_TD] = { "TD0012", "一年期定期存款", "time_deposit", 0.006 },
    [P_MTG] = { "MTG030", "三十年房屋貸款", "loan", 0.015 },
    [P_PLN] = { "PLN005", "個人信用貸款", "loan", 0.045 },
    [P_FUND] = { "FND001", "共同基金信託帳戶", "investment", 0.012 },
};

/* Post a transaction to account a: its balance moved, written to the host's
 * month, and to online banking when made there. */
static void post(sim *s, account *a, int m, int day, const char *code, int ch, int64_t amount,
                 const char *memo)
{
    ctx *c = s->c;
    a->bal += amount;
    a->seq++;
    gen_host_txn(s, a, m, day, code, ch, amount, memo);
    c->st->host_txns++;
    if ((ch == CH_IB || ch == CH_MB) && s->p->has_online && amount < 0)
        gen_online_transfer(s, a, m, day, ch, amount, memo);
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

void gen_simulate(ctx *c, person *p)
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
        gen_calls(&s, m);
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
            p->revenue += fabs((double)p->acct[k].bal) / 100.0 * gen_products[p->acct[k].prod].nim / 12.0;
    }
    /* the month after the extract: the churn label */
    if (p->churn_m < 0) {
        p->hazard_next = churn_hazard(p, months, td_break_m, p->has_card);
        if (rng_chance(&cr, p->hazard_next))
            p->churn_m = months;
    }
}
