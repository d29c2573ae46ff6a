/*
 * callcentre.c — the call centre: call detail records (arrival, IVR path,
 * queue, wait, talk, wrap-up, abandon) and agents' notes, CSV; complaints
 * are remembered, for they raise churn.
 */
#include "gen/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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

/* The two files' header rows. */
void gen_callcentre_begin(ctx *c)
{
    gen_out_printf(&c->cdr, "call_id,arrival,caller_number,ivr_path,identified_cust_no,queue,wait_s,talk_s,"
                            "wrap_s,abandoned,agent,reason\r\n");
    gen_out_printf(&c->notes, "call_id,agent,written_at,category,note\r\n");
}

/* A customer's calls of month m: fewer the more digital the customer. */
void gen_calls(sim *s, int m)
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
                gen_defect(c, "callcentre", &c->cdr, recno, "talk_s", "negative_amount");
                break;
            case 1:
                memcpy(arrival + 5, "02-30", 5); /* the CDR's only: the agent's note keeps the true time */
                gen_defect(c, "callcentre", &c->cdr, recno, "arrival", "impossible_date");
                break;
            default:
                dup = 1;
                gen_defect(c, "callcentre", &c->cdr, recno + 1, "", "duplicate");
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
