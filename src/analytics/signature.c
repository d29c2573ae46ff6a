/* signature.c — the customer signature: one row per customer of what was
 * known on the as-of date, and the label of what happened after it (issue
 * 23; every column is documented in docs/models.md).
 *
 * One pass over the transactions (the customer base's, with a visitor for
 * what the base does not keep: balances worked back to four days, flows,
 * salary and time-deposit breaks by month, each account's last
 * transaction), one over the other events (calls, contacts, campaigns,
 * sign-ins), then a row per customer.  Nothing after the as-of date enters
 * a feature: later transactions only work balances back, later events only
 * make the label. */
#include "analytics/internal.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/rtime.h"
#include "core/sort.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- what is gathered ---- */

enum { X_ASOF, X_3M, X_6M, X_12M, NX };

typedef struct sig_acct {
    double after[NX];            /* amounts posted after each of the days */
    int32_t last;                /* last transaction, AN_NO_DAY none */
} sig_acct;

typedef struct sig_cust {
    double in3, out3, in12, out12;
    double sal3, salprev3;
    int32_t n3, nprev3;          /* transactions on channels other than batch */
    int32_t last_txn, last_break, last_compl, last_camp;
    uint16_t sal_months;         /* bit k: salary in the k-th month back */
    int16_t breaks3, breaks12;
    int16_t calls3, calls12, aband12, compl3, compl12, contacts12;
    int16_t logins3, logins_prev3, logins12, camp12, resp12;
    uint8_t own_after;           /* a transaction of one's own in the lapse window */
    uint8_t target;              /* 1 treatment, 2 control of the campaign labelled */
    uint8_t responded;           /* a positive response to it by its deadline */
    /* card statements to the as-of date (statement()): in the 12 months, those past due, over the
     * limit, the worst days past due; of the last 6, those that carried a balance and those paid in
     * full; of the last 3, repayments against the balances brought forward; the latest of each
     * card (if within two months) summed: balance, limit, days past due (the worst) */
    int16_t st12, dlq12, over12, rev6, full6, dpd_max12, dpd_now, cards_now;
    double pay3, prev3, cash12, bal_now, limit_now;
    uint8_t bad_after;           /* delinquency: a statement after the as-of date, within the horizon,
                                  * at least so->dpd days past due */
} sig_cust;

typedef struct sig {
    const an_job_opts *o;
    const an_sig_opts *so;
    an_valued d;
    an_attrs_ctx at;
    sig_acct *acc;
    sig_cust *c;
    int32_t *idx;                /* customer index by party id, -1 none */
    int64_t maxparty;
    int32_t asof, x[NX], mb[13]; /* mb[k]: the day k months before the as-of date */
    int32_t label_end, lapse_from, last_day;
    int nsal, nbreak;            /* visit classes: salary ones first, then breaks */
    const char *visit[AN_MAX_VISIT_CLASSES + 1];
    char classes[512];
    const char *complaints;
    char **kind_of, **occupation; /* per customer */
    double *p_alive, *clv;
    uint8_t *product_match;      /* takeup: per product of the base */
    int no_header;               /* a later snapshot of several: the rows only */
    an_sig_row_fn *fn;           /* an_signature_each: each row handed over, not written */
    void *fn_ctx;
    int32_t last_stmt;           /* the latest statement of all, AN_NO_DAY none */
    int64_t cur_acct;            /* the account whose statements statement() is reading */
    int32_t cur_cust, cur_day;   /* its customer, and its latest statement to the as-of date */
    wh_statement_row cur;        /* (the numbers of) that statement */
} sig;

static int in_words(const char *list, const char *w)
{
    size_t n = w ? strlen(w) : 0;
    for (const char *p = list; n && p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = p;
        while (*e && *e != ',' && *e != ' ')
            e++;
        if ((size_t)(e - p) == n && !strncmp(p, w, n))
            return 1;
        p = e;
    }
    return 0;
}

/* Which month back (0: the month ending on the as-of date) day is in, -1
 * before the twelfth. */
static int month_back(const sig *s, int32_t day)
{
    for (int k = 0; k < 12; k++)
        if (day > s->mb[k + 1])
            return k;
    return -1;
}

static void visit(void *ctx, size_t acct, int32_t day, int64_t amount, int cls, uint8_t ch)
{
    sig *s = ctx;
    sig_acct *a = &s->acc[acct];
    for (int k = 0; k < NX; k++)
        if (day > s->x[k])
            a->after[k] += (double)amount;
    if (a->last == AN_NO_DAY || day > a->last)
        a->last = day;
    if (day > s->last_day)
        s->last_day = day;
    sig_cust *c = &s->c[s->d.base.acct[acct].cust];
    if (day > s->asof) {
        if (ch != AN_CH_BATCH && day > s->lapse_from && day <= s->label_end)
            c->own_after = 1;
        return;
    }
    if (c->last_txn == AN_NO_DAY || day > c->last_txn)
        c->last_txn = day;
    int k = month_back(s, day);
    if (k < 0)
        return;
    double v = (double)amount;
    if (amount > 0)
        c->in12 += v, c->in3 += k < 3 ? v : 0;
    else
        c->out12 -= v, c->out3 -= k < 3 ? v : 0;
    if (ch != AN_CH_BATCH)
        k < 3 ? c->n3++ : k < 6 ? c->nprev3++ : 0;
    if (cls >= 0 && cls < s->nsal && amount > 0) {
        c->sal_months |= (uint16_t)(1u << k);
        k < 3 ? (c->sal3 += v) : k < 6 ? (c->salprev3 += v) : 0;
    } else if (cls >= s->nsal && cls < s->nsal + s->nbreak) {
        c->breaks12++;
        c->breaks3 += k < 3;
        if (c->last_break == AN_NO_DAY || day > c->last_break)
            c->last_break = day;
    }
}

static int event(void *ctx, const wh_event *e, rp_error *err)
{
    (void)err;
    sig *s = ctx;
    if (e->customer < 0 || e->customer > s->maxparty || s->idx[e->customer] < 0)
        return RP_OK;
    sig_cust *c = &s->c[s->idx[e->customer]];
    int32_t day = an_day_of_instant(e->at);
    if (day == AN_NO_DAY)
        return RP_OK;
    const char *label = s->so->label;
    if (label && !strcmp(label, "response") && e->about && !strcmp(e->about, s->so->campaign)) {
        if (!strcmp(e->kind, "campaign"))
            c->target = e->detail && !strcmp(e->detail, "control") ? 2 : 1;
        else if (!strcmp(e->kind, "response") && e->detail && !strcmp(e->detail, "positive") && !e->flag)
            c->responded = 1;
    }
    int k = day <= s->asof ? month_back(s, day) : -1;
    if (k < 0)
        return RP_OK;
    int compl = in_words(s->complaints, e->detail);
    if (!strcmp(e->kind, "call")) {
        c->calls12++, c->calls3 += k < 3, c->aband12 += e->flag != 0;
    } else if (!strcmp(e->kind, "contact")) {
        c->contacts12++;
    } else if (!strcmp(e->kind, "login")) {
        c->logins12++, c->logins3 += k < 3, c->logins_prev3 += k >= 3 && k < 6;
        return RP_OK;
    } else if (!strcmp(e->kind, "campaign")) {
        if (e->detail && !strcmp(e->detail, "treatment")) {
            c->camp12++;
            if (c->last_camp == AN_NO_DAY || day > c->last_camp)
                c->last_camp = day;
        }
        return RP_OK;
    } else if (!strcmp(e->kind, "response")) {
        c->resp12 += e->detail && !strcmp(e->detail, "positive");
        return RP_OK;
    }
    if (compl) {
        c->compl12++, c->compl3 += k < 3;
        if (c->last_compl == AN_NO_DAY || day > c->last_compl)
            c->last_compl = day;
    }
    return RP_OK;
}

/* ---- card statements ---- */

/* The latest statement of the account just read, if within two months of the as-of date, into
 * its customer's current balance, limit and days past due. */
static void flush_card(sig *s)
{
    if (s->cur_cust < 0 || s->cur_day == AN_NO_DAY || s->asof - s->cur_day > 62)
        return;
    sig_cust *c = &s->c[s->cur_cust];
    c->cards_now++;
    c->bal_now += isfinite(s->cur.balance) ? s->cur.balance : 0;
    c->limit_now += isfinite(s->cur.limit) ? s->cur.limit : 0;
    if (s->cur.days_past_due > c->dpd_now)
        c->dpd_now = (int16_t)(s->cur.days_past_due < 9999 ? s->cur.days_past_due : 9999);
}

static int statement(void *ctx, const wh_statement_row *r, rp_error *err)
{
    (void)err;
    sig *s = ctx;
    const an_base *b = &s->d.base;
    if (r->account_id < 0 || r->account_id >= b->nslot || b->slot[r->account_id] < 0)
        return RP_OK;
    int32_t cu = b->acct[b->slot[r->account_id]].cust;
    int32_t day = an_day_of(r->date);
    if (cu < 0 || day == AN_NO_DAY)
        return RP_OK;
    if (s->last_stmt == AN_NO_DAY || day > s->last_stmt)
        s->last_stmt = day;
    sig_cust *c = &s->c[cu];
    if (r->account_id != s->cur_acct) {
        flush_card(s);
        s->cur_acct = r->account_id, s->cur_cust = cu, s->cur_day = AN_NO_DAY;
    }
    if (day > s->asof) {
        c->bad_after |= day <= s->label_end && r->days_past_due >= (s->so->dpd > 0 ? s->so->dpd : 30);
        return RP_OK;
    }
    s->cur_day = day, s->cur = *r, s->cur.date = NULL;
    int k = month_back(s, day);
    if (k < 0)
        return RP_OK;
    int16_t dpd = (int16_t)(r->days_past_due < 9999 ? r->days_past_due : 9999);
    c->st12++;
    c->dlq12 += dpd > 0;
    c->over12 += isfinite(r->limit) && r->balance > r->limit;
    if (dpd > c->dpd_max12)
        c->dpd_max12 = dpd;
    c->cash12 += isfinite(r->cash_advances) ? r->cash_advances : 0;
    if (k < 6 && isfinite(r->previous_balance) && isfinite(r->payments) && r->previous_balance > 0) {
        c->rev6 += r->payments < r->previous_balance;
        c->full6 += r->payments >= r->previous_balance;
    }
    if (k < 3 && isfinite(r->previous_balance) && isfinite(r->payments) && r->previous_balance > 0)
        c->pay3 += r->payments, c->prev3 += r->previous_balance;
    return RP_OK;
}

static int read_statements(sig *s, wh *w, rp_error *err)
{
    s->last_stmt = AN_NO_DAY, s->cur_acct = -1, s->cur_cust = -1, s->cur_day = AN_NO_DAY;
    int rc = wh_statements(w, statement, s, err);
    if (!rc)
        flush_card(s);
    return rc;
}

/* ---- what the customers are ---- */

static int customer_row(void *ctx, int64_t id, const wh_party *p, rp_error *err)
{
    sig *s = ctx;
    if (id < 0 || id > s->maxparty || s->idx[id] < 0)
        return RP_OK;
    int32_t i = s->idx[id];
    if ((p->kind && !(s->kind_of[i] = strdup(p->kind))) || (p->occupation && !(s->occupation[i] = strdup(p->occupation))))
        return rp_err(err, RP_NOMEM, NULL);
    return RP_OK;
}

/* The first contact of the campaign labelled, for its default as-of date. */
typedef struct first_contact {
    const char *campaign;
    int32_t day;
    size_t targets;
} first_contact;

static int first_contact_row(void *ctx, const wh_event *e, rp_error *err)
{
    (void)err;
    first_contact *f = ctx;
    if (strcmp(e->kind, "campaign") || !e->about || strcmp(e->about, f->campaign))
        return RP_OK;
    int32_t day = an_day_of_instant(e->at);
    f->targets++;
    if (day != AN_NO_DAY && (f->day == AN_NO_DAY || day < f->day))
        f->day = day;
    return RP_OK;
}

/* ---- the dates ---- */

/* The day m months before day (after it for m < 0); from the last day of a
 * month, the last day of that month (so that the months are whole). */
static int32_t months_from(int32_t day, int m)
{
    if (an_month_start(day + 1, 0) == day + 1)
        return an_month_start(day + 1, -m) - 1;
    return an_months_back(day, m);
}

static int set_dates(sig *s, wh *w, rp_error *err)
{
    const an_sig_opts *so = s->so;
    s->asof = s->o->as_of;
    if (so->label && !strcmp(so->label, "response")) {
        first_contact f = { so->campaign, AN_NO_DAY, 0 };
        int rc = wh_customer_events(w, first_contact_row, &f, err);
        if (rc)
            return rc;
        if (!f.targets)
            return rp_err(err, RP_NOTFOUND, "--campaign: no targets of campaign '%s' in the warehouse", so->campaign);
        if (!so->as_of_given && f.day != AN_NO_DAY)
            s->asof = f.day - 1;
    }
    for (int k = 0; k <= 12; k++)
        s->mb[k] = months_from(s->asof, k);
    s->x[X_ASOF] = s->asof, s->x[X_3M] = s->mb[3], s->x[X_6M] = s->mb[6], s->x[X_12M] = s->mb[12];
    s->label_end = months_from(s->asof, -(so->horizon > 0 ? so->horizon : 1));
    s->lapse_from = so->lapse > 0 ? months_from(s->label_end, so->lapse) : INT32_MAX;
    s->last_day = AN_NO_DAY;
    return RP_OK;
}

/* The classes the visitor counts, from [features] (salary_classes,
 * break_classes). */
static void set_classes(sig *s)
{
    const rp_config *cfg = s->o->cfg;
    const char *sal = cfg ? rp_config_get(cfg, "features", "salary_classes", "salary") : "salary";
    const char *brk = cfg ? rp_config_get(cfg, "features", "break_classes", "td_break") : "td_break";
    s->complaints = cfg ? rp_config_get(cfg, "features", "complaint_reasons", "complaint") : "complaint";
    snprintf(s->classes, sizeof s->classes, "%s", sal);
    size_t used = strlen(s->classes) + 1;
    snprintf(s->classes + used, sizeof s->classes - used, "%s", brk);
    int n = 0;
    for (int part = 0; part < 2; part++) {
        char *p = part ? s->classes + used : s->classes;
        int before = n;
        for (char *tok = strtok(p, ", "); tok && n < AN_MAX_VISIT_CLASSES; tok = strtok(NULL, ", "))
            s->visit[n++] = tok;
        if (part)
            s->nbreak = n - before;
        else
            s->nsal = n;
    }
    s->visit[n] = NULL;
}

/* ---- holdings on a day ---- */

/* Was account a held at the end of day x?  One closed without a date is
 * taken as closed after its last transaction. */
static int held(const sig *s, size_t a, int32_t x)
{
    const an_account *ac = &s->d.base.acct[a];
    if (ac->opened != AN_NO_DAY && ac->opened > x)
        return 0;
    if (ac->closed != INT32_MAX)
        return ac->closed > x;
    return !(ac->flags & AN_A_ENDED) || (s->acc[a].last != AN_NO_DAY && s->acc[a].last > x);
}

static int product_matches(const an_base *b, const char *want, size_t pi, uint8_t kind)
{
    return !strcmp(b->products[pi], want) || !strcmp(wh_product_kinds[kind], want);
}

/* What a customer holds: on the as-of date, on the earlier days, and after. */
typedef struct holding {
    int accounts, products, held_end;
    uint8_t holds;
    uint8_t unknown;             /* kinds held with a balance the source never stated */
    int has_p, took_p;           /* takeup: holds the product on the as-of date; opened it after */
    double bal[AN_NKIND];        /* on the as-of date */
    double assets[NX], debt[NX];
} holding;


/* The customer's accounts are first[c] .. first[c + 1] - 1 of order. */
static void holdings_of(const sig *s, const size_t *order, size_t from, size_t to, holding *h)
{
    const an_base *b = &s->d.base;
    memset(h, 0, sizeof *h);
    uint16_t prods[64];
    int np = 0;
    for (size_t j = from; j < to; j++) {
        size_t a = order[j];
        const an_account *ac = &b->acct[a];
        int match = s->product_match && s->product_match[ac->product];
        int stated = !(ac->flags & AN_A_UNSTATED);
        for (int k = 0; k < NX; k++) {
            if (!held(s, a, s->x[k]))
                continue;
            double bal = stated ? (double)ac->balance - s->acc[a].after[k] : 0;
            if (ac->kind == AN_K_LOAN || ac->kind == AN_K_CARD)
                h->debt[k] -= bal;
            else if (ac->kind != AN_K_SERVICE)
                h->assets[k] += bal;
            if (k != X_ASOF)
                continue;
            if (!stated)
                h->unknown |= (uint8_t)(1u << ac->kind);
            h->accounts++;
            h->holds |= (uint8_t)(1u << ac->kind);
            h->bal[ac->kind] += bal;
            h->has_p |= match;
            int seen = 0;
            for (int q = 0; q < np; q++)
                seen |= prods[q] == ac->product;
            if (!seen && np < 64)
                prods[np++] = ac->product;
        }
        if (held(s, a, s->label_end) && held(s, a, s->asof))
            h->held_end++;
        if (match && ac->opened != AN_NO_DAY && ac->opened > s->asof && ac->opened <= s->label_end)
            h->took_p = 1;
    }
    h->products = np;
}

/* ---- the rows ---- */

typedef struct out {
    rp_buf *b;
    int header, col;
    /* handed over instead of written (an_signature_each): the names, and each row's values */
    const char **names;
    double *v;
    const char **t;
} out;

enum { SIG_MAX_COLS = 160 };

static void num(out *o, const char *name, double v)
{
    if (o->names && o->col < SIG_MAX_COLS) {
        if (o->header)
            o->names[o->col] = name;
        o->v[o->col] = v, o->t[o->col] = NULL;
    }
    if (o->col++)
        rp_buf_putc(o->b, ',');
    if (o->header)
        rp_buf_puts(o->b, name);
    else if (isfinite(v))
        rp_buf_printf(o->b, "%.10g", v);
}

static void txt(out *o, const char *name, const char *v)
{
    if (o->names && o->col < SIG_MAX_COLS) {
        if (o->header)
            o->names[o->col] = name;
        o->v[o->col] = NAN, o->t[o->col] = v;
    }
    const char *s = o->header ? name : v ? v : "";
    rp_csv_field(o->b, s, strlen(s), !o->col++);
}

static double money(double minor) { return round(minor) / 100.0; }
static double since(const sig *s, int32_t day) { return day == AN_NO_DAY ? NAN : (double)(s->asof - day); }
/* log((now + 1000) / (then + 1000)): the change of a balance, calm near zero */
static double change(double now, double then)
{
    return log((fmax(now, 0) / 100.0 + 1000) / (fmax(then, 0) / 100.0 + 1000));
}

static void demographics(out *o, const sig *s, size_t i)
{
    const an_customer *cu = &s->d.base.cust[i];
    char g[2] = { cu->gender, 0 };
    txt(o, "kind", s->kind_of[i]);
    txt(o, "gender", g);
    int age = an_age(cu->birth, s->asof);
    num(o, "age", age < 0 ? NAN : age);
    txt(o, "income_band", cu->income_band);
    txt(o, "occupation", s->occupation[i]);
    txt(o, "home_branch", cu->home_branch);
    num(o, "tenure_months", cu->since == AN_NO_DAY ? NAN : floor((double)(s->asof - cu->since) / 30.4375));
}

static void holdings_cols(out *o, const holding *h)
{
    static const char *const has[] = { "has_deposit", "has_time_deposit", "has_loan", "has_card", "has_investment",
                                       "has_insurance" };
    static const char *const bal[] = { "bal_deposit", "bal_time_deposit", "bal_loan", "bal_card", "bal_investment",
                                       "bal_insurance" };
    num(o, "accounts", h->accounts);
    num(o, "products", h->products);
    for (int k = 0; k < AN_K_SERVICE; k++)
        num(o, has[k], (h->holds >> k) & 1);
    for (int k = 0; k < AN_K_SERVICE; k++)
        num(o, bal[k], (h->unknown >> k) & 1 ? NAN : money(h->bal[k]));
    num(o, "assets", money(h->assets[X_ASOF]));
    num(o, "assets_3m_ago", money(h->assets[X_3M]));
    num(o, "assets_6m_ago", money(h->assets[X_6M]));
    num(o, "assets_12m_ago", money(h->assets[X_12M]));
    num(o, "assets_change_3m", change(h->assets[X_ASOF], h->assets[X_3M]));
    num(o, "assets_change_12m", change(h->assets[X_ASOF], h->assets[X_12M]));
    num(o, "debt", money(h->debt[X_ASOF]));
    num(o, "debt_change_3m", change(h->debt[X_ASOF], h->debt[X_3M]));
}

static void activity_cols(out *o, const sig *s, size_t i)
{
    const an_customer *cu = &s->d.base.cust[i];
    const sig_cust *c = &s->c[i];
    const an_window *y = &cu->w[0], *q = &cu->w[1];
    static const char *const ch[] = { "branch_12m", "atm_12m", "internet_12m", "mobile_12m", "phone_12m", "pos_12m" };
    num(o, "in_3m", money(c->in3));
    num(o, "out_3m", money(c->out3));
    num(o, "in_12m", money(c->in12));
    num(o, "out_12m", money(c->out12));
    num(o, "txn_3m", c->n3);
    num(o, "txn_prev_3m", c->nprev3);
    num(o, "txn_trend", c->n3 - c->nprev3);
    num(o, "days_since_txn", since(s, c->last_txn));
    for (int k = 0; k < AN_CH_BATCH; k++)
        num(o, ch[k], y->n[k]);
    num(o, "digital_share_12m", an_digital_share(y));
    num(o, "activity_3m", q->act_n);
    num(o, "activity_12m", y->act_n);
    num(o, "spend_12m", money((double)y->act_sum));
    num(o, "fees_12m", money((double)y->fees));
    num(o, "card_spend_12m", money((double)y->card_spend));
}

static void value_cols(out *o, const sig *s, size_t i)
{
    const an_valued *d = &s->d;
    const an_rfm_out *r = &s->at.rfm[i];
    num(o, "recency_days", s->at.recency[i] < 0 ? NAN : s->at.recency[i]);
    num(o, "rfm_r", r->r), num(o, "rfm_f", r->f), num(o, "rfm_m", r->m);
    num(o, "revenue_12m", money((double)d->v[i].revenue));
    num(o, "profit_12m", money((double)d->v[i].profit));
    num(o, "value_percentile", d->base.ncust ? floor(100.0 * (1.0 - (double)d->rank[i] / (double)d->base.ncust)) : NAN);
    txt(o, "pyramid_level", d->py.level[d->level[i]].name);
    num(o, "p_alive", s->p_alive[i]);
    num(o, "clv", isfinite(s->clv[i]) ? round(s->clv[i] * 100) / 100 : NAN);
}

static void event_cols(out *o, const sig *s, size_t i)
{
    const sig_cust *c = &s->c[i];
    int months = 0;
    for (int k = 0; k < 6; k++)
        months += (c->sal_months >> k) & 1;
    num(o, "salary_months_6m", months);
    num(o, "salary_3m", money(c->sal3));
    num(o, "salary_prev_3m", money(c->salprev3));
    num(o, "salary_change", c->salprev3 > 0 ? c->sal3 / c->salprev3 - 1 : NAN);
    num(o, "salary_stopped", c->salprev3 > 0 && c->sal3 <= 0);
    num(o, "td_breaks_3m", c->breaks3);
    num(o, "td_breaks_12m", c->breaks12);
    num(o, "days_since_td_break", since(s, c->last_break));
    num(o, "calls_3m", c->calls3);
    num(o, "calls_12m", c->calls12);
    num(o, "abandoned_calls_12m", c->aband12);
    num(o, "complaints_3m", c->compl3);
    num(o, "complaints_12m", c->compl12);
    num(o, "days_since_complaint", since(s, c->last_compl));
    num(o, "contacts_12m", c->contacts12);
    num(o, "logins_3m", c->logins3);
    num(o, "logins_prev_3m", c->logins_prev3);
    num(o, "logins_12m", c->logins12);
    num(o, "campaigns_12m", c->camp12);
    num(o, "responses_12m", c->resp12);
    num(o, "days_since_campaign", since(s, c->last_camp));
}

static void card_cols(out *o, const sig *s, size_t i)
{
    const sig_cust *c = &s->c[i];
    int any = c->st12 > 0;
    num(o, "card_statements_12m", c->st12);
    num(o, "card_balance", c->cards_now ? money(c->bal_now) : NAN);
    num(o, "card_utilisation", c->cards_now && c->limit_now > 0 ? round(c->bal_now / c->limit_now * 1e4) / 1e4 : NAN);
    num(o, "card_dpd", c->cards_now ? c->dpd_now : NAN);
    num(o, "card_max_dpd_12m", any ? c->dpd_max12 : NAN);
    num(o, "card_delinquent_12m", any ? c->dlq12 : NAN);
    num(o, "card_over_limit_12m", any ? c->over12 : NAN);
    num(o, "card_revolving_6m", any ? c->rev6 : NAN);
    num(o, "card_paid_full_6m", any ? c->full6 : NAN);
    num(o, "card_payment_ratio_3m", c->prev3 > 0 ? round(c->pay3 / c->prev3 * 1e4) / 1e4 : NAN);
    num(o, "card_cash_advance_12m", any ? money(c->cash12) : NAN);
}

/* The row of customer i (the header when o->header); *label its label. */
static void row(out *o, const sig *s, size_t i, const holding *h, int label)
{
    o->col = 0;
    num(o, "customer_id", (double)s->d.base.cust[i].id);
    demographics(o, s, i);
    holdings_cols(o, h);
    activity_cols(o, s, i);
    value_cols(o, s, i);
    event_cols(o, s, i);
    card_cols(o, s, i);
    const char *l = s->so->label;
    if (l && !strcmp(l, "response"))
        txt(o, "group", s->c[i].target == 2 ? "control" : "treatment");
    if (l)
        num(o, l, label);
    rp_buf_putc(o->b, '\n');
}

/* Who has a row, and their label: -1 no row. */
static int label_of(const sig *s, size_t i, const holding *h)
{
    const char *l = s->so->label;
    if (l && !strcmp(l, "response"))
        return s->c[i].target ? s->c[i].responded : -1;
    if (!h->accounts)
        return -1;
    if (!l && s->so->population && !strcmp(s->so->population, "delinquency"))
        return s->c[i].cards_now ? 0 : -1;
    if (!l)
        return 0;
    if (!strcmp(l, "churn"))
        return !h->held_end || (s->so->lapse > 0 && !s->c[i].own_after);
    if (!strcmp(l, "delinquency")) /* card holders with a statement of the last two months */
        return s->c[i].cards_now ? s->c[i].bad_after : -1;
    return h->has_p ? -1 : h->took_p; /* takeup */
}

/* ---- the whole ---- */

static int check_opts(const an_sig_opts *so, rp_error *err)
{
    const char *l = so->label;
    if (l && strcmp(l, "churn") && strcmp(l, "response") && strcmp(l, "takeup") && strcmp(l, "delinquency"))
        return rp_err(err, RP_INVAL, "--label: '%s' is not churn, response, takeup or delinquency", l);
    if (so->dpd < 0 || so->dpd > 9999)
        return rp_err(err, RP_INVAL, "--dpd: %d days is not from 1 to 9999", so->dpd);
    if (so->horizon < 0 || so->horizon > 36)
        return rp_err(err, RP_INVAL, "--horizon: %d months is not from 1 to 36", so->horizon);
    if (so->lapse < 0 || so->lapse > (so->horizon > 0 ? so->horizon : 1))
        return rp_err(err, RP_INVAL, "--lapse: %d months is not from 0 to the horizon (%d)", so->lapse,
                      so->horizon > 0 ? so->horizon : 1);
    if (so->snapshots < 0 || so->snapshots > 36)
        return rp_err(err, RP_INVAL, "--snapshots: %d is not from 1 to 36", so->snapshots);
    if (so->snapshots > 1 && l && !strcmp(l, "response"))
        return rp_err(err, RP_INVAL, "--snapshots: a campaign's response is taken once (--label churn or takeup)");
    if (l && !strcmp(l, "response") && (!so->campaign || !*so->campaign))
        return rp_err(err, RP_USAGE, "--label response needs --campaign CODE");
    if (l && !strcmp(l, "takeup") && (!so->product || !*so->product))
        return rp_err(err, RP_USAGE, "--label takeup needs --product CODE or KIND");
    return RP_OK;
}

static void sig_free(sig *s)
{
    for (size_t i = 0; s->kind_of && i < s->d.base.ncust; i++)
        free(s->kind_of[i]), free(s->occupation[i]);
    free(s->kind_of), free(s->occupation);
    free(s->acc), free(s->c), free(s->idx), free(s->p_alive), free(s->clv), free(s->product_match);
    an_attrs_free(&s->at);
    an_valued_free(&s->d);
}

/* The transactions, with the base: two windows (12 months and 3 to the
 * as-of date) and the purchase days for lifetime value. */
static int read_base(sig *s, wh *w, rp_error *err)
{
    wh_bounds bd;
    int rc = wh_id_bounds(w, &bd, err);
    if (rc)
        return rc;
    s->maxparty = bd.party;
    if (!(s->acc = malloc(((size_t)bd.account + 1) * sizeof *s->acc)) ||
        !(s->idx = malloc(((size_t)bd.party + 1) * sizeof *s->idx)))
        return rp_err(err, RP_NOMEM, "customer signature: %lld accounts", (long long)bd.account);
    for (int64_t a = 0; a <= bd.account; a++)
        s->acc[a] = (sig_acct){ { 0 }, AN_NO_DAY };
    an_base_params bp;
    an_base_params_of(s->o, &bp);
    bp.windows = 2;
    bp.from[0] = s->mb[12] + 1, bp.to[0] = s->asof + 1;
    bp.from[1] = s->mb[3] + 1, bp.to[1] = s->asof + 1;
    bp.want_days = 1, bp.days_to = s->asof + 1;
    bp.visit = visit, bp.visit_ctx = s, bp.visit_classes = s->visit;
    /* the visitor's customers are counted once the holdings are read:
     * allocated here for every party, which bounds them */
    if (!(s->c = malloc(((size_t)bd.party + 1) * sizeof *s->c)))
        return rp_err(err, RP_NOMEM, "customer signature: %lld parties", (long long)bd.party);
    for (int64_t i = 0; i <= bd.party; i++)
        s->c[i] = (sig_cust){ .last_txn = AN_NO_DAY, .last_break = AN_NO_DAY, .last_compl = AN_NO_DAY,
                              .last_camp = AN_NO_DAY };
    if ((rc = an_valued_params(&s->d, s->o, err)) || (rc = an_base_load(w, &bp, &s->d.base, err)))
        return rc;
    /* A balance the source never stated (a card system's extract of purchases, without repayments)
     * cannot be worked back: today's 0 less the purchases after a day would be a balance that grows
     * with the distance from today, and shrinks for whoever stops buying, a leak of the future. */
    an_base *b = &s->d.base;
    for (size_t a = 0; a < b->nacct; a++)
        if (b->acct[a].flags & AN_A_UNSTATED) {
            b->acct[a].balance = 0;
            for (int k = 0; k < AN_MAX_WINDOWS; k++)
                b->acct[a].after[k] = b->acct[a].flow[k] = 0;
        }
    if ((rc = an_attrs_compute(&s->at, &s->d, s->o, 0, err)))
        return rc;
    memset(s->idx, 0xff, ((size_t)bd.party + 1) * sizeof *s->idx);
    for (size_t i = 0; i < b->ncust; i++)
        if (b->cust[i].id >= 0 && b->cust[i].id <= bd.party)
            s->idx[b->cust[i].id] = (int32_t)i;
    size_t nn = b->ncust ? b->ncust : 1;
    if (!(s->kind_of = calloc(nn, sizeof *s->kind_of)) || !(s->occupation = calloc(nn, sizeof *s->occupation)) ||
        !(s->p_alive = malloc(nn * sizeof *s->p_alive)) || !(s->clv = malloc(nn * sizeof *s->clv)))
        return rp_err(err, RP_NOMEM, NULL);
    return RP_OK;
}

/* What the label needs: the product asked for, history to its end. */
static int check_label(sig *s, rp_error *err)
{
    const an_sig_opts *so = s->so;
    const an_base *b = &s->d.base;
    if (so->label && !strcmp(so->label, "takeup")) {
        if (!(s->product_match = calloc(b->nproducts ? b->nproducts : 1, 1)))
            return rp_err(err, RP_NOMEM, NULL);
        int any = 0;
        for (size_t a = 0; a < b->nacct; a++)
            if (product_matches(b, so->product, b->acct[a].product, b->acct[a].kind))
                s->product_match[b->acct[a].product] = 1, any = 1;
        if (!any)
            return rp_err(err, RP_NOTFOUND, "--product: no account of a product or product kind '%s'", so->product);
    }
    /* the history the label reads: a card's statements, or the transactions */
    int stmts = so->label && !strcmp(so->label, "delinquency");
    int32_t last = stmts ? s->last_stmt : s->last_day;
    if (so->label && strcmp(so->label, "response") && (last == AN_NO_DAY || s->label_end > last)) {
        char e[RP_DATE_LEN], l[RP_DATE_LEN] = "(none)";
        an_day_text(s->label_end, e);
        if (last != AN_NO_DAY)
            an_day_text(last, l);
        return rp_err(err, RP_INVAL,
                      "--horizon: a %s label %d month(s) after the as-of date needs %s to %s; they end %s "
                      "(give an earlier --as-of)",
                      so->label, so->horizon > 0 ? so->horizon : 1, stmts ? "card statements" : "transactions", e, l);
    }
    return RP_OK;
}

/* Every customer's row in order of the base, written to f. */
static int write_rows(sig *s, FILE *f, an_sig_info *info, rp_error *err)
{
    const an_base *b = &s->d.base;
    size_t *first = calloc(b->ncust + 2, sizeof *first), *order = malloc((b->nacct ? b->nacct : 1) * sizeof *order);
    rp_buf buf = RP_BUF_INIT;
    int rc = !first || !order ? rp_err(err, RP_NOMEM, NULL) : RP_OK;
    for (size_t a = 0; !rc && a < b->nacct; a++)
        if (b->acct[a].cust >= 0)
            first[b->acct[a].cust + 2]++;
    for (size_t i = 2; !rc && i < b->ncust + 2; i++)
        first[i] += first[i - 1];
    for (size_t a = 0; !rc && a < b->nacct; a++)
        if (b->acct[a].cust >= 0)
            order[first[b->acct[a].cust + 1]++] = a;
    out o = { &buf, 1, 0, NULL, NULL, NULL };
    const char *names[SIG_MAX_COLS], *texts[SIG_MAX_COLS];
    double vals[SIG_MAX_COLS];
    if (s->fn)
        o.names = names, o.v = vals, o.t = texts;
    holding h = { 0 };
    if (!rc && b->ncust)
        row(&o, s, 0, &h, 0), info->columns = o.col;
    if (!rc && s->fn && o.col > SIG_MAX_COLS)
        rc = rp_err(err, RP_INTERNAL, "customer signature: %d columns, more than %d", o.col, SIG_MAX_COLS);
    if (s->no_header || s->fn)
        rp_buf_reset(&buf);
    o.header = 0;
    for (size_t i = 0; !rc && i < b->ncust; i++) {
        holdings_of(s, order, first[i], first[i + 1], &h);
        int label = label_of(s, i, &h);
        if (label < 0) {
            info->left_out++;
            continue;
        }
        row(&o, s, i, &h, label);
        info->rows++;
        info->positives += (size_t)label;
        if (s->fn) {
            rp_buf_reset(&buf);
            if ((rc = s->fn(s->fn_ctx, o.col, names, vals, texts, err)))
                break;
            continue;
        }
        if (buf.len > (1u << 20) || i + 1 == b->ncust) {
            if (fwrite(buf.data, 1, buf.len, f) != buf.len)
                rc = rp_err(err, RP_IO, "writing the signature");
            rp_buf_reset(&buf);
        }
    }
    if (!rc && buf.len && fwrite(buf.data, 1, buf.len, f) != buf.len)
        rc = rp_err(err, RP_IO, "writing the signature");
    rp_buf_release(&buf);
    free(first), free(order);
    return rc;
}

/* One as-of day's rows (the header too unless no_header). */
static int sig_one(wh *w, const an_job_opts *o, const an_sig_opts *so, int no_header, FILE *f, an_sig_info *info,
                   an_sig_row_fn *fn, void *fn_ctx, rp_error *err)
{
    memset(info, 0, sizeof *info);
    double t0 = rp_monotonic();
    int rc;
    sig s = { .o = o, .so = so, .no_header = no_header, .fn = fn, .fn_ctx = fn_ctx };
    set_classes(&s);
    if (!(rc = set_dates(&s, w, err)) && !(rc = read_base(&s, w, err)) &&
        !(rc = wh_customers(w, 1u << WH_PA_kind | 1u << WH_PA_occupation, customer_row, &s, err)) &&
        !(rc = wh_customer_events(w, event, &s, err)) && !(rc = read_statements(&s, w, err)) &&
        !(rc = an_clv_of_base(&s.d.base, s.asof, s.p_alive, s.clv, err)) && !(rc = check_label(&s, err)))
        rc = write_rows(&s, f, info, err);
    info->customers = s.d.base.ncust;
    info->as_of = s.asof;
    info->label_end = so->label && strcmp(so->label, "response") ? s.label_end : AN_NO_DAY;
    info->seconds = rp_monotonic() - t0;
    sig_free(&s);
    return rc;
}

int an_signature(wh *w, const an_job_opts *o, const an_sig_opts *so, FILE *f, an_sig_info *info, rp_error *err)
{
    memset(info, 0, sizeof *info);
    double t0 = rp_monotonic();
    int rc = check_opts(so, err), n = so->snapshots > 0 ? so->snapshots : 1;
    for (int k = n - 1; k >= 0 && !rc; k--) {
        an_job_opts ok = *o;
        ok.as_of = months_from(o->as_of, k);
        an_sig_info one;
        rc = sig_one(w, &ok, so, k != n - 1, f, &one, NULL, NULL, err);
        if (k == n - 1)
            info->first_as_of = one.as_of, info->columns = one.columns;
        info->rows += one.rows, info->positives += one.positives, info->left_out += one.left_out;
        info->customers = one.customers;
        info->as_of = one.as_of, info->label_end = one.label_end;
    }
    info->seconds = rp_monotonic() - t0;
    return rc;
}

int an_signature_each(wh *w, const an_job_opts *o, const an_sig_opts *so, an_sig_row_fn *fn, void *ctx,
                      an_sig_info *info, rp_error *err)
{
    an_sig_opts one = *so;
    one.snapshots = 1;
    int rc = check_opts(&one, err);
    return rc ? rc : sig_one(w, o, &one, 0, NULL, info, fn, ctx, err);
}
