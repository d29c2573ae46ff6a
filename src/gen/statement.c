/*
 * statement.c — the card system's monthly statements: the balance brought
 * forward, the month's purchases (the card's transactions), cash advances,
 * interest and fees, the repayment made against the last statement, the new
 * balance against the limit, the minimum due and the days past due.
 *
 * Each card holder pays in full (a transactor) or carries a balance (a
 * revolver, likelier the less wealthy), and has a latent risk. Each month the
 * holder misses the minimum payment with a probability that grows with that
 * risk, with being behind already and with a balance near or over the limit;
 * a missed payment adds 30 days past due and a late fee, a paid one cures.
 * The month after the data is drawn the same way for the truth
 * (truth/behaviour.csv): the true probability and whether it was missed.
 * A stream of its own (S_CARD_STMT), so no other file changes with it.
 */
#include "gen/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void gen_statement_begin(ctx *c)
{
    const char *h[] = { "card_no", "statement_date", "due_date", "previous_balance", "purchases", "cash_advances",
                        "interest_fees", "payments", "balance", "credit_limit", "minimum_due", "days_past_due" };
    gen_card_row(c, &c->card_stmt, h, NULL, 12);
    c->card_stmt.records = 0;
}

/* A holder's repayment behaviour, drawn once. */
typedef struct holder {
    int revolver;
    double base;     /* log-odds of missing a payment when current and within the limit */
    double pay_frac; /* a revolver's share of the balance repaid */
    double cash_p;   /* chance of a cash advance in a month */
} holder;

/* The chance that the payment against a statement of balance `bal` is missed. */
static double miss_prob(const holder *h, int bucket, int64_t bal, int64_t limit)
{
    double util = limit > 0 ? (double)bal / (double)limit : 1.0;
    double lo = h->base + (bucket > 0 ? 1.6 + 0.3 * bucket : 0) + (util > 0.9 ? 1.2 : 0) + (util > 1.0 ? 0.8 : 0);
    return 1 / (1 + exp(-lo));
}

static int64_t minimum_due(int64_t bal, int64_t overdue)
{
    if (bal <= 0)
        return 0;
    int64_t m = (int64_t)llround((double)bal * 0.05);
    if (m < 1000)
        m = bal < 1000 ? bal : 1000;
    m += overdue;
    return m > bal ? bal : m;
}

static void ymd(char *out, size_t n, int64_t days)
{
    rp_date d = rp_civil_from_days(days);
    snprintf(out, n, "%04u/%02u/%02u", (unsigned)d.y % 10000u, (unsigned)d.m % 100u, (unsigned)d.d % 100u);
}

/* One statement row, with the defects the card system's extract carries. */
static void write_statement(ctx *c, rng *dr, const char *cardno, int64_t day, const int64_t v[8], int dpd)
{
    char sd[16], dd[16], cno[17], num[8][24], dpds[16];
    ymd(sd, sizeof sd, day);
    ymd(dd, sizeof dd, day + 20);
    snprintf(cno, sizeof cno, "%s", cardno);
    for (int k = 0; k < 8; k++)
        snprintf(num[k], sizeof num[k], "%lld", (long long)v[k]);
    snprintf(dpds, sizeof dpds, "%d", dpd);
    int64_t rn = c->card_stmt.records + 1;
    int dup = 0;
    if (rng_chance(dr, c->o->defect_rate)) {
        switch (rng_below(dr, 3)) {
        case 0:
            memcpy(cno, "45639999", 8);
            gen_defect(c, "card", &c->card_stmt, rn, "card_no", "orphan_reference");
            break;
        case 1:
            sd[5] = '0', sd[6] = '2', sd[8] = '3', sd[9] = '0'; /* the same year's 30 February */
            gen_defect(c, "card", &c->card_stmt, rn, "statement_date", "impossible_date");
            break;
        default:
            dup = 1;
            gen_defect(c, "card", &c->card_stmt, rn + 1, "", "duplicate");
        }
    }
    const char *row[] = { cno, sd, dd, num[0], num[1], num[2], num[3], num[4], num[5], num[6], num[7], dpds };
    gen_card_row(c, &c->card_stmt, row, NULL, 12);
    if (dup)
        gen_card_row(c, &c->card_stmt, row, NULL, 12);
    c->st->card_statements++;
}

void gen_statements(ctx *c, person *p, const char *cardno, int64_t limit, int first, int last,
                    const int64_t *spend)
{
    rng sr, dr;
    rng_init(&sr, c->o->seed, (uint64_t)p->i, S_CARD_STMT);
    rng_init(&dr, c->o->seed, (uint64_t)p->i, S_DEFECT + 301);
    double z = rng_normal(&sr);
    double pr_rev = p->wealth < 0.6 ? 0.55 : p->wealth < 2.5 ? 0.38 : p->wealth < 8 ? 0.18 : 0.08;
    holder h;
    h.revolver = rng_chance(&sr, pr_rev);
    h.base = -5.0 + 0.9 * z + (h.revolver ? 0.9 : -1.3) + (p->wealth < 0.6 ? 0.4 : 0) + (p->employed ? 0 : 0.5);
    h.pay_frac = h.revolver ? 0.05 + 0.25 * rng_unif(&sr) : 1.0;
    h.cash_p = h.revolver ? 0.02 + 0.08 / (1 + exp(-(1.5 * z - 1))) : 0.005;
    p->card_kind = h.revolver ? 2 : 1;
    /* a revolver whose card is older than the window brings a balance into it */
    int64_t bal = first == 0 && h.revolver ? (int64_t)rng_lognormal(&sr, log(0.15 * (double)limit), 0.5) : 0;
    int64_t due = minimum_due(bal, 0);
    int bucket = 0;
    for (int m = first; m <= last; m++) {
        int64_t prev = bal, pay = 0, fees = 0;
        int missed = 0;
        if (prev > 0) {
            missed = rng_chance(&sr, miss_prob(&h, bucket, prev, limit));
            if (missed) /* nothing, or a part of the minimum */
                pay = rng_chance(&sr, 0.3) ? (int64_t)((double)due * rng_unif(&sr)) : 0;
            else if (h.revolver)
                pay = (int64_t)llround(fmax((double)due, h.pay_frac * (double)prev));
            else
                pay = prev;
            if (pay > prev)
                pay = prev;
        }
        bucket = missed ? bucket + 1 : 0;
        int64_t carried = prev - pay;
        if (carried > 0)
            fees += (int64_t)llround((double)carried * 0.15 / 12);
        fees += missed ? 300 : 0;
        fees += prev > limit ? 500 : 0;
        int64_t cash = rng_chance(&sr, h.cash_p) ? (int64_t)rng_lognormal(&sr, log(0.04 * (double)limit), 0.5) : 0;
        bal = carried + spend[m] + cash + fees;
        due = minimum_due(bal, missed && due > pay ? due - pay : 0);
        int y = month_y(c, m), mo = month_m(c, m);
        int64_t day = rp_days_from_civil(y, mo, days_in(y, mo));
        const int64_t v[8] = { prev, spend[m], cash, fees, pay, bal, limit, due };
        write_statement(c, &dr, cardno, day, v, bucket * 30);
        if (bucket == 6) { /* 180 days past due: written off, no more statements */
            last = m;
            break;
        }
    }
    p->card_dpd_last = bucket * 30;
    /* the month after the data: the true chance of a missed payment, and the draw */
    p->card_pd_next = 0;
    p->card_bad_next = 0;
    if (last == c->o->months - 1 && bucket < 6 && bal > 0) {
        p->card_pd_next = miss_prob(&h, bucket, bal, limit);
        p->card_bad_next = rng_chance(&sr, p->card_pd_next);
    }
}
