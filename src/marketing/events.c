/* events.c — event rules (M12): each a row of event_rule naming a detector of the table below and
 * its parameters; evaluated over what came since the last run (at the end of every load and by
 * `rapport event run`) and over transactions posted to the event feed as they happen.  An event is
 * kept once per rule and fact (customer_event), however and however often it was seen, and becomes
 * a lead (leads.c).  See marketing.h. */
#include "marketing/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/json.h"
#include "core/log.h"
#include "core/progress.h"

#define NONE INT32_MIN
#define MAX_CLASSES 8

typedef struct acct {
    int64_t customer;
    int32_t last_day;             /* the day of its latest transaction so far; NONE */
    int32_t n;                    /* debits counted, their mean and sum of squares (currency units) */
    double mean, m2;
    int32_t matures;              /* its maturity day (active accounts only); NONE */
    uint8_t deposit;
    int64_t balance;              /* now */
    int64_t recent[4];            /* what moved in each balance_drop window (ev.windows) */
} acct;

typedef struct cust {
    int32_t last_salary, abroad_month; /* a day; a calendar month (year * 12 + month - 1) */
    uint64_t salary_bits;         /* bit k: a salary came in the month k months before today's */
} cust;

typedef struct rule {
    mk__rule_row row;
    const struct detector *d;
    int64_t mark;                 /* the greatest transaction id it has judged */
    int64_t complaint_last;       /* the greatest complaint it has read */
    double min, pct, k;
    int days, months, min_history;
    int win;                      /* balance_drop: its window's place in ev.windows */
    int nclasses;
    char classes[MAX_CLASSES][24];
} rule;

typedef struct found {
    int64_t customer, account, amount;
    int has_amount;
    char occurred[RP_TIME_UTC_LEN], fact[96], zh[256], en[256];
} found;

typedef struct ev {
    wh *w;
    const char *via, *by;
    int64_t now;
    int32_t today;                /* the day events are judged on: the data's as-of, or now for the feed */
    int windows[4], nwindows;     /* the balance_drop rules' windows, days */
    char home[4];                 /* the bank's own currency */
    rule *rules;
    int nrules;
    acct *a;
    size_t na;
    cust *c;
    size_t nc;
    mk_event_stats *st;
    json_t *items;                /* the events found, when the caller wants them */
    struct pending *pend;
    size_t npend, cpend;
} ev;

/* ---- days and money ---- */

static int32_t day_of(const char *s)
{
    int y, m, d;
    if (!s || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || !rp_date_valid(y, m, d))
        return NONE;
    return (int32_t)rp_days_from_civil(y, m, d);
}

/* A calendar month as year * 12 + month - 1, or NONE. */
static int32_t month_of(const char *s)
{
    int y, m;
    if (!s || sscanf(s, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12)
        return NONE;
    return y * 12 + m - 1;
}

static int32_t month_of_day(int32_t day)
{
    rp_date d = rp_civil_from_days(day);
    return d.y * 12 + d.m - 1;
}

static void day_text(int32_t day, char out[RP_DATE_LEN]) { rp_date_format(rp_civil_from_days(day), out); }

static void money(int64_t minor, char *out, size_t n)
{
    char b[32];
    int64_t v = minor < 0 ? -minor : minor;
    rp_format_thousands(b, sizeof b, (uint64_t)((v + 50) / 100));
    snprintf(out, n, "%s%s", minor < 0 ? "-" : "", b);
}

static int has_class(const rule *r, const char *c)
{
    if (!r->nclasses)
        return 1;
    for (int i = 0; c && i < r->nclasses; i++)
        if (!strcmp(r->classes[i], c))
            return 1;
    return 0;
}

/* The usual reason: the rule's name, the amount and the day. */
static void reason_amount(const rule *r, const wh_txn_item *t, found *f, const char *zh_more, const char *en_more)
{
    char m[40];
    money(t->amount_minor, m, sizeof m);
    snprintf(f->zh, sizeof f->zh, "%s：%s %s（%.10s）%s", r->row.name_zh, t->currency ? t->currency : "", m,
             t->posted_at, zh_more ? zh_more : "");
    snprintf(f->en, sizeof f->en, "%s: %s %s on %.10s%s", r->row.name_en, t->currency ? t->currency : "", m,
             t->posted_at, en_more ? en_more : "");
}

static void fact_txn(found *f, const wh_txn_item *t)
{
    /* by day: the feed's instant and the night's posting time of one transaction differ */
    snprintf(f->fact, sizeof f->fact, "txn:%lld:%.10s:%lld", (long long)t->account_id, t->posted_at,
             (long long)t->amount_minor);
    f->account = t->account_id;
    f->amount = t->amount_minor;
    f->has_amount = 1;
    snprintf(f->occurred, sizeof f->occurred, "%s", t->posted_at);
}

/* ---- transaction detectors: 1 when t (judged against its account's and customer's history before
 * it) is an event ---- */

static int d_large(ev *x, const rule *r, const wh_txn_item *t, const acct *a, const cust *c, found *f, int sign)
{
    (void)x, (void)a, (void)c;
    if (!has_class(r, t->class_) || (sign > 0 && t->amount_minor <= 0) ||
        fabs((double)t->amount_minor) < r->min * 100)
        return 0;
    fact_txn(f, t);
    reason_amount(r, t, f, NULL, NULL);
    return 1;
}

static int d_break(ev *x, const rule *r, const wh_txn_item *t, const acct *a, const cust *c, found *f)
{
    return d_large(x, r, t, a, c, f, 0);
}

static int d_incoming(ev *x, const rule *r, const wh_txn_item *t, const acct *a, const cust *c, found *f)
{
    return d_large(x, r, t, a, c, f, 1);
}

static int d_salary_in(ev *x, const rule *r, const wh_txn_item *t, const acct *a, const cust *c, found *f)
{
    (void)x, (void)a;
    int32_t day = day_of(t->posted_at);
    if (!has_class(r, t->class_) || t->amount_minor <= 0 ||
        (c->last_salary != NONE && day - c->last_salary <= r->months * 31))
        return 0;
    fact_txn(f, t);
    char zh[64], en[80];
    snprintf(zh, sizeof zh, "，前 %d 個月未在本行入薪", r->months);
    snprintf(en, sizeof en, ", the first salary here in %d months", r->months);
    reason_amount(r, t, f, zh, en);
    return 1;
}

static int d_abroad(ev *x, const rule *r, const wh_txn_item *t, const acct *a, const cust *c, found *f)
{
    (void)a;
    if (!has_class(r, t->class_) || t->amount_minor >= 0 || !t->currency || !strcmp(t->currency, x->home) ||
        fabs((double)t->amount_minor) < r->min * 100)
        return 0;
    if (c->abroad_month == month_of(t->posted_at))
        return 0;
    fact_txn(f, t);
    snprintf(f->fact, sizeof f->fact, "abroad:%lld:%.7s", (long long)a->customer, t->posted_at);
    reason_amount(r, t, f, NULL, NULL);
    return 1;
}

static int d_dormant(ev *x, const rule *r, const wh_txn_item *t, const acct *a, const cust *c, found *f)
{
    (void)x, (void)c;
    int32_t day = day_of(t->posted_at);
    if (!has_class(r, t->class_) || a->last_day == NONE || day - a->last_day < r->days)
        return 0;
    fact_txn(f, t);
    char zh[64], en[80];
    snprintf(zh, sizeof zh, "，距上一筆 %d 天", (int)(day - a->last_day));
    snprintf(en, sizeof en, ", the first in %d days", (int)(day - a->last_day));
    reason_amount(r, t, f, zh, en);
    return 1;
}

static int d_unusual(ev *x, const rule *r, const wh_txn_item *t, const acct *a, const cust *c, found *f)
{
    (void)x, (void)c;
    double v = fabs((double)t->amount_minor) / 100;
    if (!has_class(r, t->class_) || t->amount_minor >= 0 || a->n < r->min_history || v < r->min)
        return 0;
    double sd = sqrt(a->m2 / (a->n - 1));
    if (sd < a->mean / 100) /* amounts that never vary: a spread of 1 % of their mean */
        sd = a->mean / 100;
    double z = sd > 0 ? (v - a->mean) / sd : v > a->mean ? INFINITY : 0;
    if (z < r->k)
        return 0;
    fact_txn(f, t);
    char zh[96], en[128];
    snprintf(zh, sizeof zh, "，高於其平常 %.1f 個標準差（平均 %.0f）", z, a->mean);
    snprintf(en, sizeof en, ", %.1f standard deviations above their usual (mean %.0f)", z, a->mean);
    reason_amount(r, t, f, zh, en);
    return 1;
}

/* After t is judged: its account's and customer's history take it in. */
static void observe(const ev *x, acct *a, cust *c, const wh_txn_item *t)
{
    int32_t day = day_of(t->posted_at);
    if (day == NONE)
        return;
    if (a->last_day == NONE || day > a->last_day)
        a->last_day = day;
    if (t->amount_minor < 0) {
        double v = -(double)t->amount_minor / 100, d = v - a->mean;
        a->n++;
        a->mean += d / a->n;
        a->m2 += d * (v - a->mean);
    }
    for (int k = 0; k < x->nwindows; k++)
        if (day > x->today - x->windows[k])
            a->recent[k] += t->amount_minor;
    if (!c)
        return;
    if (t->class_ && !strcmp(t->class_, "salary") && t->amount_minor > 0) {
        if (c->last_salary == NONE || day > c->last_salary)
            c->last_salary = day;
        int32_t ago = month_of_day(x->today) - month_of(t->posted_at);
        if (ago >= 0 && ago < 64)
            c->salary_bits |= 1ull << ago;
    }
}

/* ---- state detectors: run over today's picture, at the end of a run ---- */

static int keep(ev *x, const rule *r, found *f, rp_error *err);

static int s_salary_stopped(ev *x, const rule *r, rp_error *err)
{
    for (size_t i = 0; i < x->nc; i++) {
        const cust *c = &x->c[i];
        if (__builtin_popcountll(c->salary_bits) < r->months || c->last_salary == NONE || x->today - c->last_salary <= r->days ||
            x->today - c->last_salary > r->days + r->row.expires_days)
            continue;
        found f = { .customer = (int64_t)i };
        char d[RP_DATE_LEN];
        day_text(c->last_salary, d);
        snprintf(f.fact, sizeof f.fact, "salary_stopped:%lld:%s", (long long)i, d);
        snprintf(f.occurred, sizeof f.occurred, "%s", d);
        snprintf(f.zh, sizeof f.zh, "%s：最後一次入薪 %s，已 %d 天", r->row.name_zh, d, (int)(x->today - c->last_salary));
        snprintf(f.en, sizeof f.en, "%s: the last salary came on %s, %d days ago", r->row.name_en, d,
                 (int)(x->today - c->last_salary));
        int rc = keep(x, r, &f, err);
        if (rc)
            return rc;
    }
    return RP_OK;
}

static int s_balance_drop(ev *x, const rule *r, rp_error *err)
{
    int64_t *now = calloc(x->nc ? x->nc : 1, sizeof *now), *before = calloc(x->nc ? x->nc : 1, sizeof *before);
    int rc = now && before ? RP_OK : rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; !rc && i < x->na; i++)
        if (x->a[i].deposit && x->a[i].customer > 0 && (size_t)x->a[i].customer < x->nc) {
            now[x->a[i].customer] += x->a[i].balance;
            before[x->a[i].customer] += x->a[i].balance - x->a[i].recent[r->win];
        }
    char month[8], d[RP_DATE_LEN];
    day_text(x->today, d);
    snprintf(month, sizeof month, "%.7s", d);
    for (size_t i = 0; !rc && i < x->nc; i++) {
        if (before[i] < r->min * 100 || (double)(before[i] - now[i]) < (double)before[i] * r->pct / 100)
            continue;
        found f = { .customer = (int64_t)i, .amount = now[i] - before[i], .has_amount = 1 };
        char b[40], n[40];
        money(before[i], b, sizeof b);
        money(now[i], n, sizeof n);
        double drop = 100.0 * (double)(before[i] - now[i]) / (double)before[i];
        snprintf(f.fact, sizeof f.fact, "balance_drop:%lld:%s", (long long)i, month);
        snprintf(f.occurred, sizeof f.occurred, "%s", d);
        snprintf(f.zh, sizeof f.zh, "%s：存款 %d 天內由 %s 降至 %s（-%.0f%%）", r->row.name_zh, r->days, b, n, drop);
        snprintf(f.en, sizeof f.en, "%s: deposits fell from %s to %s in %d days (-%.0f%%)", r->row.name_en, b, n,
                 r->days, drop);
        rc = keep(x, r, &f, err);
    }
    free(now);
    free(before);
    return rc;
}

static int s_maturity(ev *x, const rule *r, rp_error *err)
{
    for (size_t i = 0; i < x->na; i++) {
        const acct *a = &x->a[i];
        if (a->matures == NONE || a->customer <= 0 || a->matures < x->today || a->matures > x->today + r->days)
            continue;
        found f = { .customer = a->customer, .account = (int64_t)i, .amount = a->balance, .has_amount = 1 };
        char d[RP_DATE_LEN], m[40];
        day_text(a->matures, d);
        money(a->balance, m, sizeof m);
        snprintf(f.fact, sizeof f.fact, "maturity:%lld:%s", (long long)i, d);
        snprintf(f.occurred, sizeof f.occurred, "%s", d);
        snprintf(f.zh, sizeof f.zh, "%s：%s 到期，金額 %s", r->row.name_zh, d, m);
        snprintf(f.en, sizeof f.en, "%s: %s matures on %s", r->row.name_en, m, d);
        int rc = keep(x, r, &f, err);
        if (rc)
            return rc;
    }
    return RP_OK;
}

typedef struct bday_ctx {
    ev *x;
    const rule *r;
} bday_ctx;

static int bday_row(void *ctx, int64_t id, const wh_party *p, rp_error *err)
{
    bday_ctx *b = ctx;
    ev *x = b->x;
    int y, m, d;
    if (!p->birth_date || !p->kind || strcmp(p->kind, "person") || (p->status && (!strcmp(p->status, "deceased") ||
        !strcmp(p->status, "closed"))) || sscanf(p->birth_date, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return RP_OK;
    rp_date today = rp_civil_from_days(x->today);
    for (int k = 0; k <= 1; k++) { /* this year's birthday, or next year's when the window crosses the new year */
        int yy = today.y + k, dd = m == 2 && d == 29 && !rp_date_valid(yy, 2, 29) ? 28 : d;
        if (!rp_date_valid(yy, m, dd))
            continue;
        int32_t day = (int32_t)rp_days_from_civil(yy, m, dd);
        if (day < x->today || day > x->today + b->r->days)
            continue;
        found f = { .customer = id };
        char t[RP_DATE_LEN];
        day_text(day, t);
        snprintf(f.fact, sizeof f.fact, "birthday:%lld:%d", (long long)id, yy);
        snprintf(f.occurred, sizeof f.occurred, "%s", t);
        snprintf(f.zh, sizeof f.zh, "%s：%s 滿 %d 歲", b->r->row.name_zh, t, yy - y);
        snprintf(f.en, sizeof f.en, "%s: %d on %s", b->r->row.name_en, yy - y, t);
        return keep(x, b->r, &f, err);
    }
    return RP_OK;
}

static int s_birthday(ev *x, const rule *r, rp_error *err)
{
    bday_ctx b = { x, r };
    return wh_customers(x->w, 1u << WH_PA_birth_date | 1u << WH_PA_kind | 1u << WH_PA_status, bday_row, &b, err);
}

typedef struct complaint_ctx {
    ev *x;
    const rule *r;
} complaint_ctx;

static int complaint_row(void *ctx, int64_t id, int64_t customer, const char *at, const char *reason,
                         rp_error *err)
{
    complaint_ctx *k = ctx;
    int32_t day = day_of(at);
    if (day == NONE || day < k->x->today - k->r->row.expires_days)
        return RP_OK;
    found f = { .customer = customer };
    snprintf(f.fact, sizeof f.fact, "complaint:%lld", (long long)id);
    snprintf(f.occurred, sizeof f.occurred, "%s", at);
    snprintf(f.zh, sizeof f.zh, "%s：%.10s %s", k->r->row.name_zh, at, reason ? reason : "");
    snprintf(f.en, sizeof f.en, "%s: on %.10s, %s", k->r->row.name_en, at, reason ? reason : "no reason given");
    return keep(k->x, k->r, &f, err);
}

static int s_complaint(ev *x, const rule *r, rp_error *err)
{
    char v[32], name[64];
    snprintf(name, sizeof name, "complaint_id:%s", r->row.code);
    int rc = mk__event_state(x->w, name, v, sizeof v, err);
    int64_t last;
    complaint_ctx k = { x, r };
    if (!rc)
        rc = wh_complaints_after(x->w, strtoll(v, NULL, 10), complaint_row, &k, &last, err);
    if (!rc)
        ((rule *)r)->complaint_last = last;
    return rc;
}

/* ---- the table ---- */

typedef int (*txn_fn)(ev *x, const rule *r, const wh_txn_item *t, const acct *a, const cust *c, found *f);
typedef struct detector {
    const char *name, *zh, *en, *defaults;
    txn_fn txn;
    int (*state)(ev *x, const rule *r, rp_error *err);
    int customer_wide;            /* judged against all of the customer's accounts: not by the feed, which reads one */
} detector;

static const detector detectors[] = {
    { "large_break", "大額定存中途解約", "a large time deposit broken early", "{\"min\": 1000000, \"classes\": [\"td_break\"]}",
      d_break, NULL, 0 },
    { "large_incoming", "大額匯入", "a large incoming transfer", "{\"min\": 1000000, \"classes\": [\"transfer_in\"]}",
      d_incoming, NULL, 0 },
    { "salary_moved_in", "薪轉移入", "salary moved here", "{\"months\": 6, \"classes\": [\"salary\"]}", d_salary_in,
      NULL, 1 },
    { "salary_stopped", "薪轉停止", "salary stopped or moved away", "{\"months\": 3, \"days\": 45}", NULL,
      s_salary_stopped, 0 },
    { "balance_drop", "存款大幅減少", "deposits falling by more than pct %", "{\"days\": 30, \"pct\": 50, \"min\": 100000}",
      NULL, s_balance_drop, 0 },
    { "spend_abroad", "國外消費", "spending abroad", "{\"min\": 0, \"classes\": [\"purchase\", \"withdrawal\"]}",
      d_abroad, NULL, 0 },
    { "maturity", "定存即將到期", "a maturity approaching", "{\"days\": 30}", NULL, s_maturity, 0 },
    { "birthday", "生日", "a birthday", "{\"days\": 7}", NULL, s_birthday, 0 },
    { "dormant_active", "靜止戶恢復往來", "dormant becoming active",
      "{\"days\": 180, \"classes\": [\"deposit\", \"withdrawal\", \"transfer_in\", \"transfer_out\", \"purchase\", "
      "\"bill_payment\", \"salary\"]}",
      d_dormant, NULL, 0 },
    { "complaint", "客訴", "a complaint", "{}", NULL, s_complaint, 0 },
    { "unusual_amount", "異於平常的交易", "unlike this customer's own pattern",
      "{\"k\": 4, \"min_history\": 20, \"min\": 50000, \"classes\": []}", d_unusual, NULL, 0 },
};
enum { NDETECTORS = sizeof detectors / sizeof detectors[0] };

static const detector *detector_find(const char *name)
{
    for (int i = 0; name && i < NDETECTORS; i++)
        if (!strcmp(detectors[i].name, name))
            return &detectors[i];
    return NULL;
}

json_t *mk_detectors(void)
{
    json_t *a = json_array();
    for (int i = 0; i < NDETECTORS; i++) {
        json_t *d = json_loads(detectors[i].defaults, 0, NULL);
        json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:o}", "name", detectors[i].name, "name_zh",
                                           detectors[i].zh, "name_en", detectors[i].en, "kind",
                                           detectors[i].txn ? "transaction" : "state", "params",
                                           d ? d : json_object()));
    }
    return a;
}

/* A detector's parameters: its defaults, the rule's over them; RP_INVAL naming an unknown one or a
 * bad value.  Into r (when not NULL). */
int mk__event_params(const char *name, const char *params, rule *r, rp_error *err)
{
    const detector *d = detector_find(name);
    if (!d) {
        char list[400] = "";
        for (int i = 0; i < NDETECTORS; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", detectors[i].name);
        return rp_err(err, RP_INVAL, "event_rule.detector: '%s' is not one of %s", name ? name : "", list);
    }
    json_t *def = json_loads(d->defaults, 0, NULL), *p = NULL;
    int rc = RP_OK;
    if (params && *params && (rc = rp_json_load_str("event_rule.params", params, strlen(params), &p, err))) {
        json_decref(def);
        return rc;
    }
    if (p && !json_is_object(p))
        rc = rp_err(err, RP_INVAL, "event_rule.params: an object is expected");
    const char *key;
    json_t *v;
    json_object_foreach(p, key, v) {
        if (rc)
            break;
        json_t *was = json_object_get(def, key);
        if (!was)
            rc = rp_err(err, RP_INVAL, "event_rule.params.%s: not a parameter of detector %s (%s)", key, d->name,
                        d->defaults);
        else if (json_is_array(was) ? !json_is_array(v) || json_array_size(v) > MAX_CLASSES
                                    : !json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1e13)
            rc = rp_err(err, RP_INVAL, "event_rule.params.%s: %s expected", key,
                        json_is_array(was) ? "a list of at most 8 transaction classes" : "a number from 0");
        else
            json_object_set(def, key, v);
    }
    /* the values' bounds, whoever gave them */
    static const struct { const char *key; double lo, hi; } bounds[] = {
        { "days", 1, 3660 }, { "months", 1, 60 }, { "min_history", 2, 100000 }, { "k", 0.1, 100 },
        { "pct", 0.1, 100 }, { "min", 0, 1e12 },
    };
    for (size_t b = 0; !rc && b < sizeof bounds / sizeof bounds[0]; b++) {
        json_t *bv = json_object_get(def, bounds[b].key);
        if (bv && (json_number_value(bv) < bounds[b].lo || json_number_value(bv) > bounds[b].hi))
            rc = rp_err(err, RP_INVAL, "event_rule.params.%s: %g is not from %g to %g", bounds[b].key,
                        json_number_value(bv), bounds[b].lo, bounds[b].hi);
    }
    if (!rc && r) {
        r->d = d;
        r->min = json_number_value(json_object_get(def, "min"));
        r->pct = json_number_value(json_object_get(def, "pct"));
        r->k = json_number_value(json_object_get(def, "k"));
        r->days = (int)json_number_value(json_object_get(def, "days"));
        r->months = (int)json_number_value(json_object_get(def, "months"));
        r->min_history = (int)json_number_value(json_object_get(def, "min_history"));
        if (r->min_history < 2)
            r->min_history = 2;
        json_t *cl = json_object_get(def, "classes");
        r->nclasses = 0;
        for (size_t i = 0; i < json_array_size(cl); i++) {
            const char *c = json_string_value(json_array_get(cl, i));
            if (!c || mk__index(c, wh_txn_classes) < 0) {
                rc = rp_err(err, RP_INVAL, "event_rule.params.classes[%zu]: not a transaction class", i);
                break;
            }
            snprintf(r->classes[r->nclasses++], sizeof r->classes[0], "%s", c);
        }
    } else if (!rc) { /* check the classes without a rule to fill */
        rule tmp;
        memset(&tmp, 0, sizeof tmp);
        json_decref(p);
        json_decref(def);
        return mk__event_params(name, params, &tmp, err);
    }
    json_decref(p);
    json_decref(def);
    return rc;
}

/* ---- keeping what was found: gathered while reading, written at the end in one transaction ---- */

typedef struct pending {
    int rule;
    found f;
} pending;

static int keep(ev *x, const rule *r, found *f, rp_error *err)
{
    if (f->customer <= 0)
        return RP_OK;
    if (x->npend == x->cpend) {
        size_t cap = x->cpend ? 2 * x->cpend : 64;
        if (cap > 10000000)
            return rp_err(err, RP_TOOBIG, "event rules: more than 10,000,000 events in one run; narrow the rules");
        pending *p = realloc(x->pend, cap * sizeof *p);
        if (!p)
            return rp_err(err, RP_NOMEM, NULL);
        x->pend = p, x->cpend = cap;
    }
    x->pend[x->npend].rule = (int)(r - x->rules);
    x->pend[x->npend++].f = *f;
    return RP_OK;
}

static int write_one(ev *x, const pending *p, rp_error *err)
{
    const rule *r = &x->rules[p->rule];
    const found *f = &p->f;
    int64_t id = 0;
    int rc = mk__event_put(x->w, &r->row, f->customer, f->account, f->occurred, x->via, f->fact,
                           f->has_amount ? &f->amount : NULL, f->zh, f->en, &id, err);
    if (rc)
        return rc;
    if (!id) {
        x->st->repeated++;
        return RP_OK;
    }
    x->st->events++;
    const char *outcome = NULL;
    int64_t lead = 0;
    if ((rc = mk__lead_make(x->w, &r->row, id, f->customer, x->now, &outcome, &lead, err)))
        return rc;
    if (!strcmp(outcome, "lead"))
        x->st->leads++;
    else if (!strcmp(outcome, "control"))
        x->st->control++;
    else
        x->st->suppressed++;
    if (x->items) {
        json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s}", "event", (json_int_t)id, "rule", r->row.code,
                              "customer", (json_int_t)f->customer, "occurred_at", f->occurred, "reason_zh", f->zh,
                              "reason_en", f->en, "outcome", outcome);
        json_object_set_new(o, "lead", lead ? json_integer(lead) : json_null());
        json_array_append_new(x->items, o);
    }
    return RP_OK;
}

/* The transaction rules on t (when it is recent enough to act on), then t into the history. */
static int judge(ev *x, const wh_txn_item *t, acct *a, cust *c, rp_error *err)
{
    int32_t day = day_of(t->posted_at);
    for (int i = 0; i < x->nrules; i++) {
        const rule *r = &x->rules[i];
        if (!r->d->txn || (t->id > 0 && t->id <= r->mark) || (r->d->customer_wide && !strcmp(x->via, "feed")) || day == NONE || day < x->today - r->row.expires_days ||
            day > x->today + 1)
            continue;
        found f;
        memset(&f, 0, sizeof f);
        f.customer = a->customer;
        if (!r->d->txn(x, r, t, a, c, &f))
            continue;
        if (!strcmp(r->d->name, "spend_abroad") && c)
            c->abroad_month = month_of(t->posted_at);
        int rc = keep(x, r, &f, err);
        if (rc)
            return rc;
    }
    observe(x, a, c, t);
    return RP_OK;
}

/* ---- a run: what came since the last one ---- */

static void ev_free(ev *x)
{
    free(x->rules);
    free(x->a);
    free(x->c);
    free(x->pend);
}

static int ev_rules(wh *w, ev *x, rp_error *err)
{
    mk__rule_row *rows;
    char **params;
    int n;
    int rc = mk__rules_load(w, &rows, &params, &n, err);
    if (!rc && !(x->rules = calloc(n ? (size_t)n : 1, sizeof *x->rules)))
        rc = rp_err(err, RP_NOMEM, NULL);
    for (int i = 0; !rc && i < n; i++) {
        rule *r = &x->rules[x->nrules];
        r->row = rows[i];
        rp_error e = RP_ERROR_INIT;
        if (mk__event_params(rows[i].detector, params[i], r, &e)) { /* changed by hand since: left out, said */
            rp_log(RP_LOG_WARN, "event rule %s left out: %s", rows[i].code, rp_errmsg(&e));
            continue;
        }
        if (!strcmp(r->d->name, "balance_drop")) {
            int k = 0;
            while (k < x->nwindows && x->windows[k] != r->days)
                k++;
            if (k == 4) {
                rp_log(RP_LOG_WARN, "event rule %s left out: more than 4 balance_drop windows", rows[i].code);
                continue;
            }
            x->windows[k] = r->days, r->win = k;
            x->nwindows += k == x->nwindows;
        }
        x->nrules++;
    }
    for (int i = 0; i < n; i++)
        free(params[i]);
    free(params);
    free(rows);
    return rc;
}

static int on_holding(void *ctx, const wh_holding *h, rp_error *err)
{
    ev *x = ctx;
    (void)err;
    if (h->account > 0 && (size_t)h->account < x->na && (!x->a[h->account].customer || !strcmp(h->role, "owner")))
        x->a[h->account].customer = h->customer;
    return RP_OK;
}

static int on_account(void *ctx, const wh_account_row *r, rp_error *err)
{
    ev *x = ctx;
    (void)err;
    if (r->id <= 0 || (size_t)r->id >= x->na)
        return RP_OK;
    acct *a = &x->a[r->id];
    a->deposit = r->kind && (!strcmp(r->kind, "deposit") || !strcmp(r->kind, "time_deposit"));
    a->balance = r->balance_minor;
    a->matures = r->status && !strcmp(r->status, "active") ? day_of(r->matures_on) : NONE;
    return RP_OK;
}

static int ev_picture(ev *x, rp_error *err)
{
    wh_bounds b;
    int rc = wh_id_bounds(x->w, &b, err);
    if (rc)
        return rc;
    x->na = (size_t)b.account + 1, x->nc = (size_t)b.party + 1;
    x->a = calloc(x->na, sizeof *x->a);
    x->c = calloc(x->nc, sizeof *x->c);
    if (!x->a || !x->c)
        return rp_err(err, RP_NOMEM, "event rules: the picture of %zu accounts and %zu customers", x->na, x->nc);
    for (size_t i = 0; i < x->na; i++)
        x->a[i].last_day = x->a[i].matures = NONE;
    for (size_t i = 0; i < x->nc; i++)
        x->c[i].last_salary = x->c[i].abroad_month = NONE;
    if ((rc = wh_holdings(x->w, on_holding, x, err)))
        return rc;
    return wh_accounts(x->w, on_account, x, err);
}

/* Every transaction in id order: those up to the mark are history, those after it are judged. */
static int ev_scan(ev *x, int64_t mark, int64_t upto, int progress, rp_error *err)
{
    wh_txn_scan *s;
    int rc = wh_txn_scan_open(x->w, 0, upto, &s, err);
    if (rc)
        return rc;
    rp_progress pr;
    rp_progress_start(&pr, "event rules: reading transactions", (uint64_t)(upto > 0 ? upto : 0));
    if (!progress)
        pr.on = 0;
    wh_txn_item t;
    while ((rc = wh_txn_scan_next(s, &t, err)) == RP_ROW) {
        x->st->read++;
        if ((x->st->read & 0xffff) == 0)
            rp_progress_update(&pr, (uint64_t)t.id);
        if (t.account_id <= 0 || (size_t)t.account_id >= x->na)
            continue;
        acct *a = &x->a[t.account_id];
        cust *c = a->customer > 0 && (size_t)a->customer < x->nc ? &x->c[a->customer] : NULL;
        if (t.id <= mark || !c) {
            observe(x, a, c, &t);
            continue;
        }
        if ((rc = judge(x, &t, a, c, err)))
            break;
    }
    rp_progress_finish(&pr);
    wh_txn_scan_close(s);
    return rc == RP_DONE ? RP_OK : rc;
}

/* The events found, their leads and each rule's marks (upto: the greatest transaction read; 0 for
 * the feed, which moves no mark), in one transaction. */
static int ev_write(ev *x, int64_t upto, rp_error *err)
{
    int rc = wh_begin(x->w, err);
    if (rc)
        return rc;
    for (size_t i = 0; !rc && i < x->npend; i++)
        rc = write_one(x, &x->pend[i], err);
    for (int i = 0; !rc && upto > 0 && i < x->nrules; i++) {
        char name[64], v[32];
        snprintf(name, sizeof name, "txn_id:%s", x->rules[i].row.code);
        snprintf(v, sizeof v, "%lld", (long long)(upto > x->rules[i].mark ? upto : x->rules[i].mark));
        rc = mk__event_state_set(x->w, name, v, err);
        if (!rc && x->rules[i].complaint_last > 0) {
            snprintf(name, sizeof name, "complaint_id:%s", x->rules[i].row.code);
            snprintf(v, sizeof v, "%lld", (long long)x->rules[i].complaint_last);
            rc = mk__event_state_set(x->w, name, v, err);
        }
    }
    if (rc) {
        wh_rollback(x->w);
        return rc;
    }
    return wh_commit(x->w, err);
}

/* Each rule's mark; *least the least of them. */
static int ev_marks(ev *x, int64_t *least, rp_error *err)
{
    *least = INT64_MAX;
    for (int i = 0; i < x->nrules; i++) {
        char name[64], v[32];
        snprintf(name, sizeof name, "txn_id:%s", x->rules[i].row.code);
        int rc = mk__event_state(x->w, name, v, sizeof v, err);
        if (rc)
            return rc;
        x->rules[i].mark = strtoll(v, NULL, 10);
        if (x->rules[i].mark < *least)
            *least = x->rules[i].mark;
    }
    if (*least == INT64_MAX)
        *least = 0;
    return RP_OK;
}

static int ev_today(ev *x, const char *as_of, char out[RP_DATE_LEN], rp_error *err)
{
    char day[11] = "";
    int rc;
    if (as_of) {
        rp_date d;
        if ((rc = rp_date_parse(as_of, &d, err))) {
            char why[200];
            snprintf(why, sizeof why, "%s", rp_errmsg(err));
            return rp_err(err, RP_INVAL, "as_of: %s", why);
        }
        rp_date_format(d, day);
    } else if ((rc = wh_txn_newest(x->w, day, err))) {
        return rc;
    }
    char now[RP_DATE_LEN];
    rp_date_format(rp_time_taipei_date(x->now), now);
    if (!*day || (!as_of && strcmp(day, now) > 0)) /* none, or one dated in the future: today */
        snprintf(day, sizeof day, "%s", now);
    x->today = day_of(day);
    snprintf(out, RP_DATE_LEN, "%s", day);
    return RP_OK;
}

int mk_events_run(wh *w, const mk_event_opts *o, mk_event_stats *st, json_t *items, rp_error *err)
{
    double t0 = rp_monotonic();
    memset(st, 0, sizeof *st);
    ev x = { .w = w, .via = o->via ? o->via : "run", .by = o->by, .now = o->now ? o->now : rp_now(), .st = st,
             .items = items };
    snprintf(x.home, sizeof x.home, "%s", o->home_currency ? o->home_currency : "TWD");
    wh_txn_mark m;
    int64_t least = 0;
    int rc = ev_rules(w, &x, err);
    if (!rc)
        rc = ev_today(&x, o->as_of, st->as_of, err);
    if (!rc)
        rc = ev_marks(&x, &least, err);
    if (!rc)
        rc = wh_txn_mark_get(w, &m, err);
    if (!rc && x.nrules > 0 && (rc = ev_picture(&x, err)) == RP_OK &&
        (rc = ev_scan(&x, least, m.max_id, o->progress, err)) == RP_OK)
        for (int i = 0; !rc && i < x.nrules; i++)
            if (x.rules[i].d->state)
                rc = x.rules[i].d->state(&x, &x.rules[i], err);
    st->rules = x.nrules;
    if (!rc && x.nrules > 0) /* a run as of another day judges again and moves no mark */
        rc = ev_write(&x, o->as_of ? 0 : m.max_id, err);
    st->seconds = rp_monotonic() - t0;
    ev_free(&x);
    return rc;
}

/* ---- the feed: transactions as they happen ---- */

typedef struct feed_txn {
    int64_t account, customer, amount;
    char posted[RP_TIME_UTC_LEN], class_[24], currency[4];
    int channel;
} feed_txn;

static int feed_read(wh *w, const json_t *j, size_t i, feed_txn *f, rp_error *err)
{
    static const char *const keys[] = { "account", "posted_at", "amount", "class", "currency", "channel", NULL };
    char path[48];
    snprintf(path, sizeof path, "transactions[%zu]", i);
    if (!json_is_object(j))
        return rp_err(err, RP_INVAL, "%s: an object is expected", path);
    const char *number = NULL, *posted = NULL, *cls = NULL, *cur = NULL, *ch = NULL;
    int rc;
    if ((rc = rp_json_check_keys(j, path, keys, err)) || (rc = rp_json_get_str(j, path, "account", 1, &number, err)) ||
        (rc = rp_json_get_str(j, path, "posted_at", 1, &posted, err)) ||
        (rc = rp_json_get_str(j, path, "class", 1, &cls, err)) ||
        (rc = rp_json_get_str(j, path, "currency", 0, &cur, err)) ||
        (rc = rp_json_get_str(j, path, "channel", 0, &ch, err)))
        return rc;
    json_t *amt = json_object_get(j, "amount");
    if (!json_is_number(amt) || fabs(json_number_value(amt)) > 1e13)
        return rp_err(err, RP_INVAL, "%s.amount: a number (currency units, credit positive) is expected", path);
    f->amount = llround(json_number_value(amt) * 100);
    int64_t t;
    if (rp_time_parse(posted, &t, err)) {
        char why[200];
        snprintf(why, sizeof why, "%s", rp_errmsg(err));
        return rp_err(err, RP_INVAL, "%s.posted_at: '%.40s' is not a time: %s", path, posted, why);
    }
    rp_time_format_utc(t, f->posted);
    if (mk__index(cls, wh_txn_classes) < 0)
        return rp_err(err, RP_INVAL, "%s.class: '%s' is not a transaction class", path, cls);
    snprintf(f->class_, sizeof f->class_, "%s", cls);
    f->channel = ch ? mk__index(ch, wh_txn_channels) : -1;
    if (ch && f->channel < 0)
        return rp_err(err, RP_INVAL, "%s.channel: '%s' is not a transaction channel", path, ch);
    char acur[4];
    if ((rc = wh_account_id(w, number, &f->account, err)) == RP_NOTFOUND)
        return rp_err(err, RP_NOTFOUND, "%s.account: no account '%s'", path, number);
    if (rc || (rc = wh_account_holder(w, f->account, &f->customer, acur, err)))
        return rc == RP_NOTFOUND ? rp_err(err, RP_NOTFOUND, "%s.account: the account has no holder", path) : rc;
    if (cur && (strlen(cur) != 3 || cur[0] < 'A' || cur[0] > 'Z'))
        return rp_err(err, RP_INVAL, "%s.currency: '%s' is not an ISO 4217 code", path, cur);
    snprintf(f->currency, sizeof f->currency, "%s", cur ? cur : acur);
    return RP_OK;
}

typedef struct hist_ctx {
    ev *x;
    acct *a;
    cust *c;
} hist_ctx;

static int on_history(void *ctx, const wh_txn_item *t, rp_error *err)
{
    hist_ctx *h = ctx;
    (void)err;
    observe(h->x, h->a, h->c, t);
    return RP_OK;
}

/* One transaction judged against its account's own history. */
static int feed_one(ev *x, const feed_txn *f, rp_error *err)
{
    acct a = { .customer = f->customer, .last_day = NONE, .matures = NONE };
    cust c = { .last_salary = NONE, .abroad_month = NONE };
    hist_ctx h = { x, &a, &c };
    int rc = wh_account_history(x->w, f->account, on_history, &h, err);
    if (rc)
        return rc;
    wh_txn_item t = { .account_id = f->account, .amount_minor = f->amount, .posted_at = f->posted,
                      .class_ = f->class_, .channel = f->channel, .currency = f->currency };
    x->st->read++;
    return judge(x, &t, &a, &c, err);
}

int mk_events_feed(wh *w, const json_t *in, const mk_event_opts *o, mk_event_stats *st, json_t *items, rp_error *err)
{
    double t0 = rp_monotonic();
    memset(st, 0, sizeof *st);
    const json_t *list = json_is_object(in) ? json_object_get(in, "transactions") : NULL;
    if (!json_is_array(list) || json_array_size(list) == 0)
        return rp_err(err, RP_INVAL, "transactions: a list of 1 to 1,000 transactions is expected");
    if (json_array_size(list) > 1000)
        return rp_err(err, RP_TOOBIG, "transactions: %zu; at most 1,000 a request", json_array_size(list));
    if (json_object_size(in) != 1)
        return rp_err(err, RP_INVAL, "the body has members besides transactions");
    ev x = { .w = w, .via = "feed", .by = o->by, .now = o->now ? o->now : rp_now(), .st = st, .items = items };
    snprintf(x.home, sizeof x.home, "%s", o->home_currency ? o->home_currency : "TWD");
    size_t n = json_array_size(list);
    feed_txn *f = calloc(n, sizeof *f);
    int rc = f ? ev_rules(w, &x, err) : rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; !rc && i < n; i++) /* all checked before any is judged: the batch is whole or refused */
        rc = feed_read(w, json_array_get(list, i), i, &f[i], err);
    if (!rc) {
        x.today = (int32_t)rp_days_from_civil(rp_time_taipei_date(x.now).y, rp_time_taipei_date(x.now).m,
                                              rp_time_taipei_date(x.now).d);
        rp_date_format(rp_time_taipei_date(x.now), st->as_of);
    }
    for (size_t i = 0; !rc && i < n; i++)
        rc = feed_one(&x, &f[i], err);
    st->rules = x.nrules;
    if (!rc && x.npend)
        rc = ev_write(&x, 0, err);
    st->seconds = rp_monotonic() - t0;
    free(f);
    ev_free(&x);
    return rc;
}

json_t *mk_event_stats_json(const mk_event_stats *st)
{
    return json_pack("{s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:f}", "rules", st->rules, "transactions",
                     (json_int_t)st->read, "events", (json_int_t)st->events, "repeated", (json_int_t)st->repeated,
                     "leads", (json_int_t)st->leads, "control", (json_int_t)st->control, "suppressed",
                     (json_int_t)st->suppressed, "as_of", st->as_of, "seconds", st->seconds);
}
