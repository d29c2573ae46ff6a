/*
 * campaign.c — past campaigns with random control groups: the campaign
 * list, target lists, responses, and the true response probabilities with
 * and without the campaign (truth/treatment.csv).
 */
#include "gen/internal.h"

#include <stdio.h>
#include <string.h>

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

/* The campaign list; the headers of the targets, responses and treatment files. */
void gen_campaign_begin(ctx *c)
{
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
}

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

/* The customer in each campaign they were eligible for and picked for:
 * target row, response, and the true probabilities. */
void gen_campaigns(ctx *c, const person *p)
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
