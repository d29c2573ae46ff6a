/* base.c — reading the customer base from the store.  See base.h. */
#include "analytics/base.h"
#include "analytics/facts.h"
#include "core/progress.h"
#include "core/rtime.h"
#include "core/sort.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const an_channel_names[AN_NCH] = { "branch", "atm", "internet", "mobile", "phone", "pos", "batch" };
const char *const an_kind_names[AN_NKIND] = { "deposit", "time_deposit", "loan", "card",
                                              "investment", "insurance", "service" };

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

uint8_t an_channel_of(const char *c)
{
    if (!c)
        return AN_CH_BATCH;
    switch (c[0]) {
    case 'b': return c[1] == 'r' ? AN_CH_BRANCH : AN_CH_BATCH;
    case 'a': return AN_CH_ATM;
    case 'i': return AN_CH_INTERNET;
    case 'm': return AN_CH_MOBILE;
    case 'p': return c[1] == 'h' ? AN_CH_PHONE : AN_CH_POS;
    default: return AN_CH_BATCH;
    }
}

static uint8_t kind_of(const char *k)
{
    for (int i = 0; k && i < AN_NKIND; i++)
        if (!strcmp(k, an_kind_names[i]))
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
} class_table;

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
    free(b->days);
    memset(b, 0, sizeof *b);
}

/* After a loop over a statement's rows (st NULL when it was never prepared). */
static int step_err(int rc, rp_stmt *st, rp_error *err)
{
    if (st)
        rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc ? rc : rp_err(err, RP_INTERNAL, "unexpected row");
}

static int64_t max_id(rp_store *s, const char *sql, rp_error *err)
{
    rp_stmt *st;
    if (rp_store_prepare(s, sql, &st, err))
        return -1;
    int64_t v = rp_stmt_step(st, err) == RP_ROW ? rp_stmt_int(st, 0) : 0;
    rp_stmt_done(st);
    return v;
}

/* Customers and which of them holds each account. */
static int load_holders(rp_store *s, an_base *b, int32_t **acct_cust, int64_t *nacct_ids, rp_error *err)
{
    int64_t max_party = max_id(s, "SELECT coalesce(max(id), 0) FROM party", err);
    int64_t max_acct = max_id(s, "SELECT coalesce(max(id), 0) FROM account", err);
    if (max_party < 0 || max_acct < 0)
        return err->code ? err->code : RP_STORE;
    int32_t *party_idx = malloc(((size_t)max_party + 1) * sizeof *party_idx);
    int32_t *ac = malloc(((size_t)max_acct + 1) * sizeof *ac);
    uint8_t *rank = malloc((size_t)max_acct + 1);
    int64_t *first = malloc(((size_t)max_acct + 1) * sizeof *first);
    if (!party_idx || !ac || !rank || !first) {
        free(party_idx), free(ac), free(rank), free(first);
        return rp_err(err, RP_NOMEM, "customer base: %lld accounts", (long long)max_acct);
    }
    memset(party_idx, 0xff, ((size_t)max_party + 1) * sizeof *party_idx);
    memset(rank, 0xff, (size_t)max_acct + 1);
    int64_t *chosen = malloc(((size_t)max_acct + 1) * sizeof *chosen);
    if (!chosen) {
        free(party_idx), free(ac), free(rank), free(first);
        return rp_err(err, RP_NOMEM, NULL);
    }
    rp_stmt *st = NULL;
    int rc = rp_store_prepare(s,
                              "SELECT pa.account_id, coalesce(p.merged_into, p.id), pa.role, pa.party_id "
                              "FROM party_account pa JOIN party p ON p.id = pa.party_id",
                              &st, err);
    if (!rc)
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        int64_t a = rp_stmt_int(st, 0), c = rp_stmt_int(st, 1);
        const char *role = rp_stmt_text(st, 2);
        uint8_t r = !strcmp(role, "owner") ? 0 : !strcmp(role, "joint") ? 1 : 2;
        int64_t holder = rp_stmt_int(st, 3);
        /* the owner; of several, the first recorded (the smallest party id) */
        if (a < 0 || a > max_acct || c < 0 || c > max_party || r > rank[a] ||
            (r == rank[a] && holder >= first[a]))
            continue;
        chosen[a] = c;
        rank[a] = r;
        first[a] = holder;
    }
    rc = step_err(rc, st, err);
    /* customers numbered in the order of their first account, whatever order the rows came in */
    size_t cap = 0;
    for (int64_t a = 0; !rc && a <= max_acct; a++) {
        ac[a] = -1;
        if (rank[a] == 0xff)
            continue;
        int64_t c = chosen[a];
        if (party_idx[c] < 0) {
            if (b->ncust == cap) {
                cap = cap ? cap * 2 : 4096;
                an_customer *n = realloc(b->cust, cap * sizeof *n);
                if (!n) {
                    rc = rp_err(err, RP_NOMEM, NULL);
                    break;
                }
                b->cust = n;
            }
            an_customer *cu = &b->cust[b->ncust];
            memset(cu, 0, sizeof *cu);
            cu->id = c;
            cu->first_act = cu->birth = cu->since = AN_NO_DAY;
            for (int w = 0; w < AN_MAX_WINDOWS; w++)
                cu->w[w].last_act = AN_NO_DAY;
            party_idx[c] = (int32_t)b->ncust++;
        }
        ac[a] = party_idx[c];
    }
    free(chosen);
    free(rank);
    free(first);
    /* what the customers are */
    st = NULL;
    if (!rc)
        rc = rp_store_prepare(s,
                              "SELECT id, birth_date, gender, income_band, home_branch FROM party "
                              "WHERE merged_into IS NULL",
                              &st, err);
    if (!rc)
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        int64_t id = rp_stmt_int(st, 0);
        if (id < 0 || id > max_party || party_idx[id] < 0)
            continue;
        an_customer *cu = &b->cust[party_idx[id]];
        cu->birth = an_day_of(rp_stmt_text(st, 1));
        const char *g = rp_stmt_text(st, 2), *inc = rp_stmt_text(st, 3), *br = rp_stmt_text(st, 4);
        cu->gender = g ? g[0] : 0;
        snprintf(cu->income_band, sizeof cu->income_band, "%s", inc ? inc : "");
        snprintf(cu->home_branch, sizeof cu->home_branch, "%s", br ? br : "");
    }
    rc = step_err(rc, st, err);
    free(party_idx);
    if (rc) {
        free(ac);
        return rc;
    }
    *acct_cust = ac;
    *nacct_ids = max_acct + 1;
    return RP_OK;
}

/* The accounts, dense by id (an account index per id in *slot). */
static int load_accounts(rp_store *s, an_base *b, const int32_t *acct_cust, int64_t nids, int32_t as_of,
                         int32_t **slot_out, rp_error *err)
{
    int32_t *slot = malloc((size_t)nids * sizeof *slot);
    b->acct = calloc((size_t)nids ? (size_t)nids : 1, sizeof *b->acct);
    if (!slot || !b->acct) {
        free(slot);
        return rp_err(err, RP_NOMEM, NULL);
    }
    memset(slot, 0xff, (size_t)nids * sizeof *slot);
    /* products held, counted once per customer: a small sorted list per customer is
     * overkill; (customer, product) pairs sorted instead */
    uint64_t *held = NULL;
    size_t nheld = 0, capheld = 0;
    char **pcode = NULL;
    size_t npcode = 0;
    rp_stmt *st = NULL;
    int rc = rp_store_prepare(s,
                              "SELECT a.id, p.kind, a.interest_rate, a.balance_minor, a.opened_on, a.closed_on, "
                              "p.monthly_revenue_minor - p.monthly_cost_minor, a.product, a.status "
                              "FROM account a JOIN product p ON p.code = a.product ORDER BY a.id",
                              &st, err);
    if (!rc)
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        int64_t id = rp_stmt_int(st, 0);
        if (id < 0 || id >= nids)
            continue;
        an_account *a = &b->acct[b->nacct];
        a->cust = acct_cust[id];
        a->kind = kind_of(rp_stmt_text(st, 1));
        a->rate = rp_stmt_column_type(st, 2) == RP_COL_NULL ? NAN : rp_stmt_real(st, 2);
        a->balance = rp_stmt_int(st, 3);
        a->opened = an_day_of(rp_stmt_text(st, 4));
        int32_t closed = an_day_of(rp_stmt_text(st, 5));
        const char *status = rp_stmt_text(st, 8);
        a->closed = closed != AN_NO_DAY ? closed : INT32_MAX;
        a->month_net = rp_stmt_int(st, 6);
        slot[id] = (int32_t)b->nacct++;
        if (a->cust < 0)
            continue;
        an_customer *cu = &b->cust[a->cust];
        if (a->opened != AN_NO_DAY && (cu->since == AN_NO_DAY || a->opened < cu->since))
            cu->since = a->opened;
        int open = (a->opened == AN_NO_DAY || a->opened <= as_of) && a->closed > as_of && status &&
                   strcmp(status, "closed") && strcmp(status, "written_off");
        if (!open)
            continue;
        cu->accounts++;
        cu->holds |= (uint8_t)(1u << a->kind);
        const char *code = rp_stmt_text(st, 7);
        size_t pi = 0;
        while (pi < npcode && strcmp(pcode[pi], code))
            pi++;
        if (pi == npcode) {
            char **n = realloc(pcode, (npcode + 1) * sizeof *n);
            if (!n || !(n[npcode] = strdup(code))) {
                if (n)
                    pcode = n;
                rc = rp_err(err, RP_NOMEM, NULL);
                break;
            }
            pcode = n;
            npcode++;
        }
        if (nheld == capheld) {
            capheld = capheld ? capheld * 2 : 4096;
            uint64_t *n = realloc(held, capheld * sizeof *n);
            if (!n) {
                rc = rp_err(err, RP_NOMEM, NULL);
                break;
            }
            held = n;
        }
        held[nheld++] = (uint64_t)a->cust << 32 | (uint32_t)pi;
    }
    rc = step_err(rc, st, err);
    for (size_t i = 0; i < npcode; i++)
        free(pcode[i]);
    free(pcode);
    if (!rc && rp_sort_u64(held, nheld))
        rc = rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; !rc && i < nheld; i++)
        if (!i || held[i] != held[i - 1])
            b->cust[held[i] >> 32].products++;
    free(held);
    if (rc) {
        free(slot);
        return rc;
    }
    *slot_out = slot;
    return RP_OK;
}

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

int an_base_load(rp_store *s, const an_base_params *p, an_base *out, rp_error *err)
{
    memset(out, 0, sizeof *out);
    out->p = *p;
    if (p->windows < 1 || p->windows > AN_MAX_WINDOWS)
        return rp_err(err, RP_INVAL, "customer base: %d windows (1 or 2)", p->windows);
    int32_t end = p->to[0];
    for (int w = 0; w < p->windows; w++) {
        if (p->from[w] >= p->to[w])
            return rp_err(err, RP_INVAL, "customer base: window %d is empty", w + 1);
        if (p->to[w] > end)
            end = p->to[w];
    }
    if (p->want_days && p->days_to > end)
        end = p->days_to;
    double t0 = rp_monotonic();
    class_table ct = { .activity = p->activity_classes,
                       .fee = p->fee_classes ? p->fee_classes : "fee,charge,commission" };
    int32_t *acct_cust = NULL, *slot = NULL;
    int64_t nids = 0;
    int rc = load_holders(s, out, &acct_cust, &nids, err);
    if (!rc)
        rc = load_accounts(s, out, acct_cust, nids, p->to[0] - 1, &slot, err);
    free(acct_cust);
    if (rc) {
        an_base_free(out);
        return rc;
    }
    size_t capdays = 0;
    rp_progress pr;
    /* the transactions: from the column copy when there is one, else from txn */
    an_facts_reader fr = { .fd = -1 };
    uint8_t cls_flags[AN_FACT_CLASSES] = { 0 };
    rp_stmt *st = NULL;
    uint64_t total = 0;
    if (p->facts) {
        an_facts_info fi;
        rc = an_facts_sync(s, p->facts, p->progress, &fi, err);
        if (!rc)
            rc = an_facts_open(p->facts, &fr, err);
        for (int i = 0; !rc && i < fr.nclasses; i++)
            cls_flags[i] = (uint8_t)class_flags(&ct, fr.classes[i]);
        out->copied = fi.added;
        out->copy_seconds = fi.seconds;
        total = fr.rows;
    } else {
        int64_t t = max_id(s, "SELECT coalesce((SELECT id + n - 1 FROM txn_block ORDER BY id DESC LIMIT 1), 0)",
                           err);
        total = t > 0 ? (uint64_t)t : 0;
        rc = rp_store_prepare(s, "SELECT account_id, posted_at, amount_minor, channel, class FROM txn", &st, err);
    }
    if (p->progress)
        rp_progress_start(&pr, "reading transactions", total);
    /* Rows are read a batch at a time, the accounts and customers they touch
     * prefetched before they are used: in the order transactions are stored,
     * every row is a cache miss on its account and its customer, which
     * otherwise costs more than reading the row.  (The column copy is sorted
     * by account, so there the rows of one account come together.) */
    enum { BATCH = 1024, AHEAD = 32 };
    static __thread row_t batch[BATCH];
    const an_fact *chunk = NULL;
    size_t nchunk = 0, cpos = 0;
    uint64_t n = 0;
    int done = 0;
    while (!rc && !done) {
        int nb = 0;
        while (nb < BATCH) {
            int64_t id, amount;
            int32_t day;
            uint8_t fl, ch;
            if (st) {
                if ((rc = rp_stmt_step(st, err)) != RP_ROW) {
                    done = 1;
                    break;
                }
                rc = RP_OK;
                id = rp_stmt_int(st, 0);
                day = an_day_of_instant(rp_stmt_text(st, 1));
                amount = rp_stmt_int(st, 2);
                fl = (uint8_t)class_flags(&ct, rp_stmt_text(st, 4));
                ch = an_channel_of(rp_stmt_text(st, 3));
            } else {
                if (cpos == nchunk) {
                    if ((rc = an_facts_next(&fr, &chunk, &nchunk, err)) || !nchunk) {
                        done = 1;
                        break;
                    }
                    cpos = 0;
                }
                const an_fact *f = &chunk[cpos++];
                id = an_fact_account(f) == UINT32_MAX ? -1 : (int64_t)an_fact_account(f);
                day = an_fact_day(f);
                amount = f->amount;
                fl = cls_flags[f->cls < AN_FACT_CLASSES ? f->cls : AN_FACT_OTHER];
                ch = f->ch < AN_NCH ? f->ch : AN_CH_BATCH;
            }
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
        if (done && rc == RP_DONE)
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
    if (st) {
        if (!rc)
            rc = RP_DONE;
        rc = step_err(rc, st, err);
    }
    an_facts_close(&fr);
    if (p->progress)
        rp_progress_finish(&pr);
    free(slot);
    if (!rc && p->want_days) {
        /* one entry per customer and day */
        if (rp_sort_by_u64(out->days, out->ndays, sizeof *out->days, offsetof(an_day, key)))
            rc = rp_err(err, RP_NOMEM, NULL);
        size_t k = 0;
        for (size_t i = 0; !rc && i < out->ndays; i++) {
            if (k && out->days[k - 1].key == out->days[i].key)
                out->days[k - 1].value += out->days[i].value;
            else
                out->days[k++] = out->days[i];
        }
        out->ndays = k;
    }
    if (rc) {
        an_base_free(out);
        return rc;
    }
    out->seconds = rp_monotonic() - t0;
    return RP_OK;
}
