/*
 * crm.c — what the bank's CRM keeps besides accounts (issue 24): each customer's consents to
 * marketing by purpose and channel as given and withdrawn, the do-not-contact list (customers who
 * asked, and mobile numbers on the national do-not-call registry), the staff list, complaints,
 * open until resolved, and the relationship managers of the wealthier customers.  Campaign selection suppresses by them.
 */
#include "gen/internal.h"

#include <stdio.h>
#include <string.h>

static const char *const channels[] = { "mail", "email", "sms", "phone", "app" };

void gen_privacy_begin(ctx *c)
{
    gen_out_printf(&c->consents, "cust_no,purpose,channel,granted,effective_date,evidence\r\n");
    gen_out_printf(&c->dnc, "cust_no,phone,channel,reason,since,until\r\n");
    gen_out_printf(&c->staff, "cust_no,employee_no,since\r\n");
    gen_out_printf(&c->complaints, "cust_no,opened_at,channel,reason,resolved_at\r\n");
    gen_out_printf(&c->managers, "cust_no,manager,since\r\n");
}

/* A relationship manager for customers with a time deposit and half a million in the bank, or three
 * million:
 * one of three at their branch, by user name (rm.BRANCH.N); assigned when they became one. */
static void manager(ctx *c, const person *p, rng *r)
{
    int td = 0;
    int64_t held = 0;
    for (int k = 0; k < p->nacct; k++) {
        td |= p->acct[k].prod == P_TD;
        held += p->acct[k].bal > 0 ? p->acct[k].bal : 0;
    }
    if (!p->branch[0] || !((td && held >= 50000000) || held >= 300000000)) /* minor units */
        return;
    gen_out_printf(&c->managers, "%s,rm.%s.%d,%04u-%02u-%02u\r\n", p->cust_no, p->branch, rng_range(r, 1, 3),
                   (unsigned)p->since.y % 10000u, (unsigned)p->since.m % 100u, (unsigned)p->since.d % 100u);
    c->managers.records++;
}

static void day_of(const ctx *c, int m, int day, char out[11])
{
    int y = month_y(c, m), mo = month_m(c, m), dim = days_in(y, mo);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)mo % 100u, (unsigned)(day < dim ? day : dim) % 100u);
}

static void consents(ctx *c, const person *p, rng *r)
{
    char since[11];
    snprintf(since, sizeof since, "%04u-%02u-%02u", (unsigned)p->since.y % 10000u, (unsigned)p->since.m % 100u,
             (unsigned)p->since.d % 100u);
    /* asked when the first account was opened: most agree to marketing on any channel */
    int marketing = rng_chance(r, p->org ? 0.55 : 0.78), group = rng_chance(r, 0.45);
    gen_out_printf(&c->consents, "%s,marketing,any,%s,%s,form\r\n", p->cust_no, marketing ? "Y" : "N", since);
    gen_out_printf(&c->consents, "%s,cross_group,any,%s,%s,form\r\n", p->cust_no, group ? "Y" : "N", since);
    c->consents.records += 2;
    /* later some withdraw one channel (calls and texts the most), a few everything, a few agree again */
    if (marketing && rng_chance(r, 0.12)) {
        int m = rng_range(r, 0, c->o->months - 1);
        char d[11];
        day_of(c, m, rng_range(r, 1, 28), d);
        const char *ch = rng_chance(r, 0.15) ? "any" : channels[rng_chance(r, 0.5) ? 3 : (int)rng_below(r, 5)];
        gen_out_printf(&c->consents, "%s,marketing,%s,N,%s,call\r\n", p->cust_no, ch, d);
        c->consents.records++;
    } else if (!marketing && rng_chance(r, 0.10)) {
        int m = rng_range(r, 0, c->o->months - 1);
        char d[11];
        day_of(c, m, rng_range(r, 1, 28), d);
        gen_out_printf(&c->consents, "%s,marketing,%s,Y,%s,online\r\n", p->cust_no, rng_chance(r, 0.5) ? "email" : "app", d);
        c->consents.records++;
    }
}

void gen_privacy(ctx *c, const person *p)
{
    rng r;
    rng_init(&r, c->o->seed, (uint64_t)p->i, S_PRIVACY);
    consents(c, p, &r);
    char d[11];
    if (rng_chance(&r, 0.02)) { /* asked not to be contacted for sales at all */
        day_of(c, rng_range(&r, 0, c->o->months - 1), rng_range(&r, 1, 28), d);
        gen_out_printf(&c->dnc, "%s,,any,customer_request,%s,\r\n", p->cust_no, d);
        c->dnc.records++;
    }
    if (p->mobile[0] && rng_chance(&r, 0.03)) { /* the mobile number is on the national do-not-call registry */
        day_of(c, rng_range(&r, 0, c->o->months - 1), 1, d);
        gen_out_printf(&c->dnc, ",%s,phone,registry,%s,\r\n", p->mobile, d);
        c->dnc.records++;
    }
    if (!p->org && p->age >= 22 && p->age < 65 && rng_chance(&r, 0.01)) {
        gen_out_printf(&c->staff, "%s,E%06lld,%04u-%02u-%02u\r\n", p->cust_no, (long long)(p->i % 1000000),
                       (unsigned)p->since.y % 10000u, (unsigned)p->since.m % 100u, (unsigned)p->since.d % 100u);
        c->staff.records++;
    }
    if (p->complaint_m >= 0) { /* the latest complaint: resolved within a fortnight, unless it came last month */
        int m = p->complaint_m, day = rng_range(&r, 1, 28);
        char opened[32], resolved[32] = "";
        iso_local(opened, sizeof opened, month_y(c, m), month_m(c, m), day, rng_range(&r, 9, 17), rng_range(&r, 0, 59), 0);
        if (m < c->o->months - 1 || rng_chance(&r, 0.3)) {
            int rd = day + rng_range(&r, 1, 14), rm = m;
            if (rd > 28 && m + 1 < c->o->months)
                rd -= 28, rm = m + 1;
            else if (rd > 28)
                rd = 28; /* the window's last month: resolved by its 28th */
            iso_local(resolved, sizeof resolved, month_y(c, rm), month_m(c, rm), rd, 16, 0, 0);
        }
        static const char *const why[] = { "手續費爭議", "服務態度", "理專銷售爭議", "卡片盜刷處理慢" };
        gen_out_printf(&c->complaints, "%s,%s,phone,%s,%s\r\n", p->cust_no, opened, why[rng_below(&r, 4)], resolved);
        c->complaints.records++;
    }
    manager(c, p, &r); /* last: the draws above stay as they were */
}
