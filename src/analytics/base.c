/* base.c — reading the customer base through the warehouse's readers.  See
 * internal.h ("the customer base"). */
#include "analytics/internal.h"
#include "core/progress.h"
#include "core/rtime.h"
#include "core/sort.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int32_t an_day_of(const char *s)
{
    int y, m, d;
    if (!s || strlen(s) < 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) || digits(s + 5, 2, &m) ||
        digits(s + 8, 2, &d) || !rp_date_valid(y, m, d))
        return AN_NO_DAY;
    return (int32_t)rp_days_from_civil(y, m, d);
}

int32_t an_day_of_instant(const char *s)
{
    int32_t day = an_day_of(s);
    int h;
    if (day == AN_NO_DAY)
        return day;
    if (s[10] == 'T' && !digits(s + 11, 2, &h) && h >= 16)
        day++; /* 16:00Z is midnight in Taipei (+08:00) */
    return day;
}

int32_t an_month_start(int32_t day, int m)
{
    rp_date d = rp_civil_from_days(day);
    int idx = d.y * 12 + (d.m - 1) + m;
    int y = idx >= 0 ? idx / 12 : (idx - 11) / 12;
    return (int32_t)rp_days_from_civil(y, idx - y * 12 + 1, 1);
}

int an_age(int32_t birth, int32_t day)
{
    if (birth == AN_NO_DAY || day < birth)
        return -1;
    rp_date b = rp_civil_from_days(birth), d = rp_civil_from_days(day);
    return rp_date_years_between(b, d);
}

/* AN_K_* of a product kind (another counts as a service). */
static uint8_t kind_of(const char *k)
{
    for (int i = 0; k && i < AN_NKIND; i++)
        if (!strcmp(k, wh_product_kinds[i]))
            return (uint8_t)i;
    return AN_K_SERVICE;
}

/* Is word in the comma-separated list? */
static int in_list(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = p;
        while (*e && *e != ',')
            e++;
        const char *t = e;
        while (t > p && t[-1] == ' ')
            t--;
        if ((size_t)(t - p) == n && !memcmp(p, word, n))
            return 1;
        p = e;
    }
    return 0;
}

/* The transaction classes met so far, each with what it counts as. */
enum { CL_ACTIVITY = 1, CL_FEE = 2, CL_PURCHASE = 4 };
typedef struct class_table {
    char name[AN_MAX_CLASSES][32];
    uint8_t flags[AN_MAX_CLASSES];
    int n;
    const char *activity, *fee;
    const char *const *visit;    /* the visitor's classes (an_base_params) */
} class_table;

/* A class's flags carry, above them, its place in the visitor's classes
 * plus one (0: none of them). */
#define CL_VISIT_SHIFT 3

/* flags for a class; classes past the table's room count as their name
 * says, looked up each time. */
static int class_flags(class_table *t, const char *c)
{
    if (!c)
        c = "";
    for (int i = 0; i < t->n; i++)
        if (!strcmp(t->name[i], c))
            return t->flags[i];
    int f = (t->activity && in_list(t->activity, c) ? CL_ACTIVITY : 0) | (in_list(t->fee, c) ? CL_FEE : 0) |
            (!strcmp(c, "purchase") ? CL_PURCHASE : 0);
    for (int v = 0; t->visit && t->visit[v] && v < AN_MAX_VISIT_CLASSES; v++)
        if (!strcmp(t->visit[v], c)) {
            f |= (v + 1) << CL_VISIT_SHIFT;
            break;
        }
    if (t->n < AN_MAX_CLASSES && strlen(c) < sizeof t->name[0]) {
        strcpy(t->name[t->n], c);
        t->flags[t->n++] = (uint8_t)f;
    }
    return f;
}

void an_base_free(an_base *b)
{
    if (b->borrowed) {
        memset(b, 0, sizeof *b);
        return;
    }
    free(b->cust);
    free(b->acct);
    free(b->slot);
    free(b->days);
    for (size_t i = 0; i < b->nproducts; i++)
        free(b->products[i]);
    free(b->products);
    memset(b, 0, sizeof *b);
}

/* ---- customers and their accounts ---- */

/* Who holds each account (by id): the owner; of several, the first
 * recorded (the smallest party id); another role when it has no owner. */
typedef struct holders {
    int64_t max_party, max_acct;
    uint8_t *rank;               /* 0 owner, 1 joint, 2 another role; 0xff nobody */
    int64_t *first, *chosen;     /* the holder and its customer */
    int32_t *party_idx;          /* customer index by party id, -1 none */
    an_base *b;
} holders;

static int holding_row(void *ctx, const wh_holding *h, rp_error *err)
{
    (void)err;
    holders *hd = ctx;
    int64_t a = h->account, c = h->customer;
    uint8_t r = !strcmp(h->role, "owner") ? 0 : !strcmp(h->role, "joint") ? 1 : 2;
    if (a < 0 || a > hd->max_acct || c < 0 || c > hd->max_party || r > hd->rank[a] ||
        (r == hd->rank[a] && h->party >= hd->first[a]))
        return RP_OK;
    hd->chosen[a] = c;
    hd->rank[a] = r;
    hd->first[a] = h->party;
    return RP_OK;
}

static int customer_row(void *ctx, int64_t id, const wh_party *p, rp_error *err)
{
    (void)err;
    holders *hd = ctx;
    if (id < 0 || id > hd->max_party || hd->party_idx[id] < 0)
        return RP_OK;
    an_customer *cu = &hd->b->cust[hd->party_idx[id]];
    cu->birth = an_day_of(p->birth_date);
    cu->gender = p->gender ? p->gender[0] : 0;
    snprintf(cu->income_band, sizeof cu->income_band, "%s", p->income_band ? p->income_band : "");
    snprintf(cu->home_branch, sizeof cu->home_branch, "%s", p->home_branch ? p->home_branch : "");
    return RP_OK;
}

/* A customer for each party holding an account, numbered in the order of
 * their first account, whatever order the holdings came in; ac[a] the
 * customer of account a. */
static int number_customers(holders *hd, int32_t *ac, rp_error *err)
{
    an_base *b = hd->b;
    size_t cap = 0;
    for (int64_t a = 0; a <= hd->max_acct; a++) {
        ac[a] = -1;
        if (hd->rank[a] == 0xff)
            continue;
        int64_t c = hd->chosen[a];
        if (hd->party_idx[c] < 0) {
            if (b->ncust == cap) {
                cap = cap ? cap * 2 : 4096;
                an_customer *n = realloc(b->cust, cap * sizeof *n);
                if (!n)
                    return rp_err(err, RP_NOMEM, NULL);
                b->cust = n;
            }
            an_customer *cu = &b->cust[b->ncust];
            memset(cu, 0, sizeof *cu);
            cu->id = c;
            cu->first_act = cu->birth = cu->since = AN_NO_DAY;
            for (int w = 0; w < AN_MAX_WINDOWS; w++)
                cu->w[w].last_act = AN_NO_DAY;
            hd->party_idx[c] = (int32_t)b->ncust++;
        }
        ac[a] = hd->party_idx[c];
    }
    return RP_OK;
}

/* Customers and which of them holds each account (*acct_cust, by id up to
 * bounds->account). */
static int load_holders(wh *w, an_base *b, const wh_bounds *bounds, int32_t **acct_cust, rp_error *err)
{
    holders hd = { .max_party = bounds->party, .max_acct = bounds->account, .b = b };
    size_t np = (size_t)hd.max_party + 1, na = (size_t)hd.max_acct + 1;
    int32_t *ac = malloc(na * sizeof *ac);
    hd.party_idx = malloc(np * sizeof *hd.party_idx);
    hd.rank = malloc(na);
    hd.first = malloc(na * sizeof *hd.first);
    hd.chosen = malloc(na * sizeof *hd.chosen);
    int rc = RP_OK;
    if (!ac || !hd.party_idx || !hd.rank || !hd.first || !hd.chosen) {
        rc = rp_err(err, RP_NOMEM, "customer base: %lld accounts", (long long)hd.max_acct);
        goto out;
    }
    memset(hd.party_idx, 0xff, np * sizeof *hd.party_idx);
    memset(hd.rank, 0xff, na);
    if ((rc = wh_holdings(w, holding_row, &hd, err)) || (rc = number_customers(&hd, ac, err)))
        goto out;
    /* what the customers are */
    rc = wh_customers(w, 1u << WH_PA_birth_date | 1u << WH_PA_gender | 1u << WH_PA_income_band | 1u << WH_PA_home_branch,
                      customer_row, &hd, err);
out:
    free(hd.party_idx), free(hd.rank), free(hd.first), free(hd.chosen);
    if (rc) {
        free(ac);
        return rc;
    }
    *acct_cust = ac;
    return RP_OK;
}

/* The accounts, dense by id (an account index per id in slot), and what
 * each customer holds at the as-of date. */
typedef struct accounts {
    an_base *b;
    const int32_t *acct_cust;
    int64_t nids;
    int32_t as_of;
    int32_t *slot;
    /* products held, counted once per customer: a small sorted list per
     * customer is overkill; (customer, product) pairs sorted instead */
    uint64_t *held;
    size_t nheld, capheld;
} accounts;

static int account_row(void *ctx, const wh_account_row *r, rp_error *err)
{
    accounts *ac = ctx;
    an_base *b = ac->b;
    if (r->id < 0 || r->id >= ac->nids)
        return RP_OK;
    an_account *a = &b->acct[b->nacct];
    a->cust = ac->acct_cust[r->id];
    a->kind = kind_of(r->kind);
    a->rate = r->interest_rate;
    a->balance = r->balance_minor;
    a->opened = an_day_of(r->opened_on);
    int32_t closed = an_day_of(r->closed_on);
    a->closed = closed != AN_NO_DAY ? closed : INT32_MAX;
    a->month_net = r->product_revenue_minor - r->product_cost_minor;
    ac->slot[r->id] = (int32_t)b->nacct++;
    /* held on the as-of date: opened by then and not yet closed (an account
     * closed now without a date counts as closed all along) */
    a->flags = (uint8_t)((r->status && (!strcmp(r->status, "closed") || !strcmp(r->status, "written_off")) ? AN_A_ENDED : 0) |
                         (!r->balance_at ? AN_A_UNSTATED : 0));
    size_t pi = 0;
    while (pi < b->nproducts && strcmp(b->products[pi], r->product))
        pi++;
    if (pi == b->nproducts) {
        char **n = pi < UINT16_MAX ? realloc(b->products, (pi + 1) * sizeof *n) : NULL;
        if (n)
            b->products = n;
        if (!n || !(n[pi] = strdup(r->product)))
            return rp_err(err, RP_NOMEM, "customer base: products");
        b->nproducts++;
    }
    a->product = (uint16_t)pi;
    if (a->cust < 0)
        return RP_OK;
    an_customer *cu = &b->cust[a->cust];
    if (a->opened != AN_NO_DAY && (cu->since == AN_NO_DAY || a->opened < cu->since))
        cu->since = a->opened;
    if (!an_account_open(a, ac->as_of))
        return RP_OK;
    cu->accounts++;
    cu->holds |= (uint8_t)(1u << a->kind);
    if (ac->nheld == ac->capheld) {
        size_t cap = ac->capheld ? ac->capheld * 2 : 4096;
        uint64_t *n = realloc(ac->held, cap * sizeof *n);
        if (!n)
            return rp_err(err, RP_NOMEM, NULL);
        ac->held = n;
        ac->capheld = cap;
    }
    ac->held[ac->nheld++] = (uint64_t)a->cust << 32 | (uint32_t)pi;
    return RP_OK;
}

static int load_accounts(wh *w, an_base *b, const int32_t *acct_cust, int64_t nids, int32_t as_of,
                         int32_t **slot_out, rp_error *err)
{
    accounts ac = { .b = b, .acct_cust = acct_cust, .nids = nids, .as_of = as_of };
    ac.slot = malloc((size_t)nids * sizeof *ac.slot);
    b->acct = calloc((size_t)nids ? (size_t)nids : 1, sizeof *b->acct);
    if (!ac.slot || !b->acct) {
        free(ac.slot);
        return rp_err(err, RP_NOMEM, NULL);
    }
    memset(ac.slot, 0xff, (size_t)nids * sizeof *ac.slot);
    int rc = wh_accounts(w, account_row, &ac, err);
    if (!rc && rp_sort_u64(ac.held, ac.nheld))
        rc = rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; !rc && i < ac.nheld; i++)
        if (!i || ac.held[i] != ac.held[i - 1])
            b->cust[ac.held[i] >> 32].products++;
    free(ac.held);
    if (rc) {
        free(ac.slot);
        return rc;
    }
    *slot_out = ac.slot;
    return RP_OK;
}

/* ---- the transactions ---- */

typedef struct row_t {
    int32_t acct, day;
    int64_t amount;
    uint8_t fl, ch;
} row_t;

/* One transaction into its account and customer. */
static int take_row(an_base *out, const an_base_params *p, const row_t *r, int32_t end, size_t *capdays,
                    rp_error *err)
{
    an_account *a = &out->acct[r->acct];
    int32_t day = r->day;
    int64_t amount = r->amount;
    for (int w = 0; w < p->windows; w++) {
        if (day >= p->to[w])
            a->after[w] += (double)amount;
        else if (day >= p->from[w])
            a->flow[w] += (double)amount * (double)(day - p->from[w]);
    }
    if (a->cust < 0) {
        out->unowned++;
        return RP_OK;
    }
    int fl = r->fl;
    if (p->visit)
        p->visit(p->visit_ctx, (size_t)r->acct, day, amount, (fl >> CL_VISIT_SHIFT) - 1, r->ch);
    uint8_t ch = r->ch;
    int act = p->activity_classes ? (fl & CL_ACTIVITY) : ((amount < 0 && ch != AN_CH_BATCH) || (fl & CL_PURCHASE));
    an_customer *cu = &out->cust[a->cust];
    int64_t v = amount < 0 ? -amount : amount;
    if (act && day < end && (cu->first_act == AN_NO_DAY || day < cu->first_act))
        cu->first_act = day;
    for (int w = 0; w < p->windows; w++) {
        if (day >= p->to[w])
            continue;
        an_window *win = &cu->w[w];
        if (act && day > win->last_act)
            win->last_act = day;
        if (day < p->from[w])
            continue;
        win->n[ch]++;
        if (act) {
            win->act_n++;
            win->act_sum += v;
        }
        if (fl & CL_FEE)
            win->fees += v;
        if ((fl & CL_PURCHASE) && a->kind == AN_K_CARD)
            win->card_spend += v;
    }
    if (p->want_days && act && day < p->days_to) {
        if (out->ndays == *capdays) {
            size_t cap = *capdays ? *capdays * 2 : 65536;
            an_day *nd = realloc(out->days, cap * sizeof *nd);
            if (!nd)
                return rp_err(err, RP_NOMEM, "customer base: purchase days");
            out->days = nd;
            *capdays = cap;
        }
        out->days[out->ndays++] = (an_day){ (uint64_t)a->cust << 32 | (uint32_t)((int64_t)day - INT32_MIN), v };
    }
    return RP_OK;
}

/* Where the transactions come from: the column copy when there is one,
 * else the warehouse's scan. */
typedef struct txns {
    class_table *ct;
    wh_txn_scan *scan;
    an_facts_reader fr;
    uint8_t cls_flags[AN_FACT_CLASSES];
    const an_fact *chunk;
    size_t nchunk, cpos;
    uint64_t total;              /* for progress */
} txns;

static int txns_open(wh *w, an_base *out, txns *t, int64_t max_id, rp_error *err)
{
    const an_base_params *p = &out->p;
    t->fr.fd = -1;
    if (!p->facts) {
        t->total = max_id > 0 ? (uint64_t)max_id : 0;
        return wh_txn_scan_open(w, 0, 0, &t->scan, err);
    }
    an_facts_info fi;
    int rc = an_facts_sync(w, p->facts, p->progress, &fi, err);
    if (!rc)
        rc = an_facts_open(p->facts, &t->fr, err);
    for (int i = 0; !rc && i < t->fr.nclasses; i++)
        t->cls_flags[i] = (uint8_t)class_flags(t->ct, t->fr.classes[i]);
    out->copied = fi.added;
    out->copy_seconds = fi.seconds;
    t->total = t->fr.rows;
    return rc;
}

static void txns_close(txns *t)
{
    wh_txn_scan_close(t->scan);
    an_facts_close(&t->fr);
}

/* The next transaction: RP_ROW, RP_DONE at the end, or an error. */
static inline int txns_next(txns *t, int64_t *id, int32_t *day, int64_t *amount, uint8_t *fl, uint8_t *ch,
                            rp_error *err)
{
    int rc;
    if (t->scan) {
        wh_txn_item it;
        if ((rc = wh_txn_scan_next(t->scan, &it, err)) != RP_ROW)
            return rc;
        *id = it.account_id;
        *day = an_day_of_instant(it.posted_at);
        *amount = it.amount_minor;
        *fl = (uint8_t)class_flags(t->ct, it.class_);
        *ch = it.channel >= 0 ? (uint8_t)it.channel : AN_CH_BATCH;
        return RP_ROW;
    }
    if (t->cpos == t->nchunk) {
        if ((rc = an_facts_next(&t->fr, &t->chunk, &t->nchunk, err)))
            return rc;
        if (!t->nchunk)
            return RP_DONE;
        t->cpos = 0;
    }
    const an_fact *f = &t->chunk[t->cpos++];
    *id = an_fact_account(f) == UINT32_MAX ? -1 : (int64_t)an_fact_account(f);
    *day = an_fact_day(f);
    *amount = f->amount;
    *fl = t->cls_flags[f->cls < AN_FACT_CLASSES ? f->cls : AN_FACT_OTHER];
    *ch = f->ch < AN_NCH ? f->ch : AN_CH_BATCH;
    return RP_ROW;
}

/* Every transaction into the accounts and customers (slot: account index
 * by id), up to end. */
static int read_transactions(wh *w, an_base *out, class_table *ct, const int32_t *slot, int64_t nids, int32_t end,
                             int64_t max_id, rp_error *err)
{
    const an_base_params *p = &out->p;
    txns t = { .ct = ct };
    int rc = txns_open(w, out, &t, max_id, err);
    rp_progress pr;
    if (p->progress)
        rp_progress_start(&pr, "reading transactions", t.total);
    /* Rows are read a batch at a time, the accounts and customers they touch
     * prefetched before they are used: in the order transactions are stored,
     * every row is a cache miss on its account and its customer, which
     * otherwise costs more than reading the row.  (The column copy is sorted
     * by account, so there the rows of one account come together.) */
    enum { BATCH = 1024, AHEAD = 32 };
    static __thread row_t batch[BATCH];
    size_t capdays = 0;
    uint64_t n = 0;
    int done = 0;
    while (!rc && !done) {
        int nb = 0;
        while (nb < BATCH) {
            int64_t id = 0, amount = 0;
            int32_t day = 0;
            uint8_t fl = 0, ch = 0;
            if ((rc = txns_next(&t, &id, &day, &amount, &fl, &ch, err)) != RP_ROW) {
                done = 1;
                break;
            }
            rc = RP_OK;
            out->transactions++;
            if (id < 0 || id >= nids || slot[id] < 0) {
                out->unowned++;
                continue;
            }
            if (day == AN_NO_DAY || day >= end + 366 * 100)
                continue;
            row_t *r = &batch[nb++];
            r->acct = slot[id];
            r->day = day;
            r->amount = amount;
            r->fl = fl;
            r->ch = ch;
            __builtin_prefetch(&out->acct[r->acct], 1);
        }
        if (rc == RP_DONE)
            rc = RP_OK;
        for (int i = 0; i < nb && !rc; i++) {
            if (i + AHEAD < nb) {
                int32_t c = out->acct[batch[i + AHEAD].acct].cust;
                if (c >= 0) {
                    __builtin_prefetch(&out->cust[c], 1);
                    __builtin_prefetch(&out->cust[c].w[0].last_act, 1);
                    if (p->windows > 1)
                        __builtin_prefetch(&out->cust[c].w[1].last_act, 1);
                }
            }
            rc = take_row(out, p, &batch[i], end, &capdays, err);
        }
        n += (uint64_t)nb;
        if (p->progress)
            rp_progress_update(&pr, n);
    }
    txns_close(&t);
    if (p->progress)
        rp_progress_finish(&pr);
    return rc;
}

/* One entry per customer and day. */
static int merge_days(an_base *out, rp_error *err)
{
    if (rp_sort_by_u64(out->days, out->ndays, sizeof *out->days, offsetof(an_day, key)))
        return rp_err(err, RP_NOMEM, NULL);
    size_t k = 0;
    for (size_t i = 0; i < out->ndays; i++) {
        if (k && out->days[k - 1].key == out->days[i].key)
            out->days[k - 1].value += out->days[i].value;
        else
            out->days[k++] = out->days[i];
    }
    out->ndays = k;
    return RP_OK;
}

int an_base_load(wh *w, const an_base_params *p, an_base *out, rp_error *err)
{
    memset(out, 0, sizeof *out);
    out->p = *p;
    if (p->windows < 1 || p->windows > AN_MAX_WINDOWS)
        return rp_err(err, RP_INVAL, "customer base: %d windows (1 or 2)", p->windows);
    int32_t end = p->to[0];
    for (int i = 0; i < p->windows; i++) {
        if (p->from[i] >= p->to[i])
            return rp_err(err, RP_INVAL, "customer base: window %d is empty", i + 1);
        if (p->to[i] > end)
            end = p->to[i];
    }
    if (p->want_days && p->days_to > end)
        end = p->days_to;
    double t0 = rp_monotonic();
    class_table ct = { .activity = p->activity_classes,
                       .fee = p->fee_classes ? p->fee_classes : "fee,charge,commission",
                       .visit = p->visit_classes };
    int32_t *acct_cust = NULL, *slot = NULL;
    wh_bounds bounds;
    int rc = wh_id_bounds(w, &bounds, err);
    if (!rc)
        rc = load_holders(w, out, &bounds, &acct_cust, err);
    if (!rc)
        rc = load_accounts(w, out, acct_cust, bounds.account + 1, p->to[0] - 1, &slot, err);
    free(acct_cust);
    if (!rc)
        rc = read_transactions(w, out, &ct, slot, bounds.account + 1, end, bounds.txn, err);
    out->slot = slot;
    out->nslot = bounds.account + 1;
    if (!rc && p->want_days)
        rc = merge_days(out, err);
    if (rc) {
        an_base_free(out);
        return rc;
    }
    out->seconds = rp_monotonic() - t0;
    return RP_OK;
}
