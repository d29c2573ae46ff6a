/* nbo.c — the next-best offers for one customer, as branch staff and agents see them on the 360:
 * the offers in their validity whose product the customer does not hold and whose eligibility holds,
 * when they may be called about them, ranked, each with its reasons (the events behind the
 * customer's open leads; how many of their peers hold the product against everyone).  See
 * marketing.h. */
#include "marketing/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct getter {
    const mk_mart *m;
} getter;

/* The mart's attributes; a kept model's score is not read here: such a rule does not hold. */
static an_value_cell get(void *ctx, size_t i, int at)
{
    return mk__attr_get(((getter *)ctx)->m, i, at);
}

static int attr_index(const char *name)
{
    for (int a = 0; a < an_nattrs; a++)
        if (!strcmp(an_attrs[a].name, name))
            return a;
    return -1;
}

/* The customer's peers: the same pyramid level and ten years of age.  A text for the reasons. */
typedef struct peers {
    int level, age;                  /* attribute indexes, -1 when the copy has none */
    uint32_t lv;                     /* the customer's level code (0: unknown) */
    int band;                        /* the customer's age band, -1 unknown */
    char zh[104], en[128]; /* the level (63 bytes at most), "、" and the ages (31) */
} peers;

static int is_peer(const mk_mart *m, const peers *p, size_t i)
{
    if (p->lv && m->code[p->level][i] != p->lv)
        return 0;
    if (p->band >= 0) {
        double a = m->num[p->age][i];
        if (isnan(a) || (int)(a / 10) != p->band)
            return 0;
    }
    return 1;
}

static void peers_of(const mk_mart *m, size_t row, peers *p)
{
    memset(p, 0, sizeof *p);
    p->level = attr_index("level"), p->age = attr_index("age"), p->band = -1;
    if (p->level >= 0 && m->code[p->level])
        p->lv = m->code[p->level][row];
    else
        p->level = -1;
    if (p->age >= 0 && m->num[p->age] && !isnan(m->num[p->age][row]))
        p->band = (int)(m->num[p->age][row] / 10);
    const char *lv = p->lv && p->lv < m->ndict[p->level] ? m->dict[p->level][p->lv] : NULL;
    if (!lv)
        p->lv = 0;
    /* the default pyramid's levels in Chinese (a bank's own names are shown as they are) */
    static const char *const levels[][2] = { { "top", "頂級" }, { "big", "大" }, { "medium", "中" }, { "small", "小" },
                                             { "inactive", "靜止" } };
    const char *lv_zh = lv;
    for (size_t k = 0; lv && k < sizeof levels / sizeof levels[0]; k++)
        if (!strcmp(lv, levels[k][0]))
            lv_zh = levels[k][1];
    char lzh[64] = "";
    if (lv_zh)
        snprintf(lzh, sizeof lzh, "價值等級%s", lv_zh);
    char age_zh[32] = "", age_en[32] = "";
    if (p->band >= 0) {
        snprintf(age_zh, sizeof age_zh, "%d-%d 歲", p->band * 10, p->band * 10 + 9);
        snprintf(age_en, sizeof age_en, "aged %d-%d", p->band * 10, p->band * 10 + 9);
    }
    snprintf(p->zh, sizeof p->zh, "%s%s%s", lzh, *lzh && *age_zh ? "、" : "", age_zh);
    snprintf(p->en, sizeof p->en, "%s%s%s", lv ? lv : "", lv && *age_en ? ", " : "", age_en);
}

/* The share of the peers and of everyone holding product p. */
static void shares(const mk_mart *m, const peers *pe, int p, double *peer, double *all)
{
    size_t n = 0, np = 0, h = 0, hp = 0;
    for (size_t i = 0; i < m->n; i++) {
        int held = mk__holds(m, p, i), in = is_peer(m, pe, i);
        n++, h += (size_t)held;
        np += (size_t)in, hp += (size_t)(in && held);
    }
    *all = n ? (double)h / (double)n : 0;
    *peer = np >= 30 ? (double)hp / (double)np : *all; /* too few peers to tell: everyone */
}

static int add_left(json_t *left, const char *offer, const char *why)
{
    json_array_append_new(left, json_pack("{s:s, s:s}", "offer", offer, "why", why));
    return 0;
}

/* The reasons of the customer's open leads for an offer, and the lead's id (*lead its row). */
static int64_t lead_reasons(const json_t *leads, const char *offer, json_t *zh, json_t *en, const json_t **lead)
{
    int64_t id = 0;
    *lead = NULL;
    size_t i;
    json_t *l;
    json_array_foreach(leads, i, l) {
        const char *o = json_string_value(json_object_get(l, "offer"));
        if (!o || strcmp(o, offer))
            continue;
        json_array_append(zh, json_object_get(l, "reason_zh"));
        json_array_append(en, json_object_get(l, "reason_en"));
        if (!id)
            id = json_integer_value(json_object_get(l, "id")), *lead = l;
    }
    return id;
}

/* One offer judged for the customer: appended to offers, or to left with why not. */
static int judge_offer(const mk_mart *m, ptrdiff_t row, const json_t *o, const json_t *leads, const char *today,
                       json_t *offers, json_t *left, rp_error *err)
{
    const char *code = json_string_value(json_object_get(o, "code"));
    const char *product = json_string_value(json_object_get(o, "product"));
    const char *from = json_string_value(json_object_get(o, "valid_from"));
    const char *to = json_string_value(json_object_get(o, "valid_to"));
    const char *el = json_string_value(json_object_get(o, "eligibility"));
    if ((from && strcmp(today, from) < 0) || (to && strcmp(today, to) > 0))
        return add_left(left, code, "outside its validity");
    double propensity = NAN, peer = 0, all = 0;
    peers pe;
    if (m && row >= 0) {
        int p = mk__product_index(m, product);
        if (p >= 0 && mk__holds(m, p, (size_t)row))
            return add_left(left, code, "holds the product");
        if (el && *el) {
            an_rule *r;
            if (an_rule_parse(el, "eligibility", &r, err)) { /* changed by hand since: this offer alone is left out */
                rp_err_clear(err);
                return add_left(left, code, "its eligibility rule does not parse");
            }
            getter g = { m };
            int ok = an_rule_eval(r, get, &g, (size_t)row);
            an_rule_free(r);
            if (!ok)
                return add_left(left, code, "not eligible");
        }
        peers_of(m, (size_t)row, &pe);
        if (p >= 0)
            shares(m, &pe, p, &peer, &all);
        propensity = peer;
    }
    json_t *zh = json_array(), *en = json_array();
    const json_t *lrow;
    int64_t lead = lead_reasons(leads, code, zh, en, &lrow);
    if (m && row >= 0 && (*pe.zh || *pe.en)) {
        char a[256], b[256];
        snprintf(a, sizeof a, "同類客戶（%s）%.0f%% 持有，全體 %.0f%%", pe.zh, 100 * peer, 100 * all);
        snprintf(b, sizeof b, "peers with this profile (%s): %.0f%% hold it, against %.0f%% of all", pe.en,
                 100 * peer, 100 * all);
        json_array_append_new(zh, json_string(a));
        json_array_append_new(en, json_string(b));
    }
    double value = (double)json_integer_value(json_object_get(o, "value_minor")) / 100;
    double cost = (double)json_integer_value(json_object_get(o, "cost_minor")) / 100;
    json_t *x = json_pack("{s:s, s:O, s:s, s:o, s:o}", "offer", code, "name", json_object_get(o, "name"), "product",
                          product, "reasons_zh", zh, "reasons_en", en);
    json_object_set_new(x, "propensity", isnan(propensity) ? json_null() : json_real(propensity));
    json_object_set_new(x, "expected_value", isnan(propensity) ? json_null() : json_real(propensity * value - cost));
    json_object_set_new(x, "lead", lead ? json_integer(lead) : json_null());
    /* whose the lead is: a viewer works only their own, their branch's or (outbound agents) the queue's */
    json_object_set_new(x, "lead_queue", lrow ? json_incref(json_object_get(lrow, "queue")) : json_null());
    json_object_set_new(x, "lead_assigned_to", lrow && json_object_get(lrow, "assigned_to")
                                                   ? json_incref(json_object_get(lrow, "assigned_to")) : json_null());
    json_object_set_new(x, "lead_branch", lrow && json_object_get(lrow, "branch")
                                              ? json_incref(json_object_get(lrow, "branch")) : json_null());
    json_t *inc = json_object_get(o, "incentive");
    json_object_set_new(x, "incentive", inc ? json_incref(inc) : json_null());
    json_array_append_new(offers, x);
    return RP_OK;
}

/* Offers with an open lead first, then by expected value. */
static int by_rank(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int lx = !json_is_null(json_object_get(x, "lead")), ly = !json_is_null(json_object_get(y, "lead"));
    if (lx != ly)
        return ly - lx;
    double ex = json_is_null(json_object_get(x, "expected_value")) ? -1e300 : json_real_value(json_object_get(x, "expected_value"));
    double ey = json_is_null(json_object_get(y, "expected_value")) ? -1e300 : json_real_value(json_object_get(y, "expected_value"));
    return ex < ey ? 1 : ex > ey ? -1 : strcmp(json_string_value(json_object_get(x, "offer")),
                                               json_string_value(json_object_get(y, "offer")));
}

static json_t *ranked(json_t *offers, int max)
{
    size_t n = json_array_size(offers);
    json_t **v = calloc(n ? n : 1, sizeof *v), *out = json_array();
    for (size_t i = 0; v && i < n; i++)
        v[i] = json_array_get(offers, i);
    if (v)
        qsort(v, n, sizeof *v, by_rank);
    for (size_t i = 0; v && i < n && (int)i < max; i++)
        json_array_append(out, v[i]);
    free(v);
    json_decref(offers);
    return out;
}

int mk_next_best(wh *w, const mk_mart *m, int64_t customer, int max, int64_t now, json_t **out, rp_error *err)
{
    *out = NULL;
    json_t *c = NULL, *offers = NULL, *leads = NULL;
    int rc = wh_contactable(w, customer, "marketing", "phone", now ? now : rp_now(), &c, err);
    if (rc)
        return rc;
    json_t *o = json_pack("{s:I}", "customer", (json_int_t)customer), *left = json_array();
    char today[RP_DATE_LEN];
    rp_date_format(rp_time_taipei_date(now ? now : rp_now()), today);
    int staff = 0, complaint = 0, age = -1;
    if ((rc = wh_customer_marketable(w, customer, now ? now : rp_now(), &staff, &complaint, &age, err))) {
        json_decref(c), json_decref(o), json_decref(left);
        return rc;
    }
    if (json_is_true(json_object_get(c, "allowed")) && (staff || complaint || (age >= 0 && age < 18)))
        json_object_set_new(c, "allowed", json_false()),
            json_object_set_new(c, "reason", json_string(staff ? "staff" : complaint ? "open complaint" : "minor"));
    if (!json_is_true(json_object_get(c, "allowed"))) {
        json_object_set_new(o, "offers", json_array());
        json_object_set(o, "not_contactable", json_object_get(c, "reason"));
        json_object_set_new(o, "left_out", left);
        json_object_set_new(o, "as_of", json_null());
        json_object_set_new(o, "eligibility_judged", json_false());
        json_decref(c);
        *out = o;
        return RP_OK;
    }
    json_decref(c);
    mk_lead_filter f = { .customer = customer, .status = "open", .limit = 100 };
    if ((rc = mk_offer_list(w, &offers, err)) || (rc = mk_lead_list(w, &f, &leads, err))) {
        json_decref(offers), json_decref(o), json_decref(left);
        return rc;
    }
    ptrdiff_t row = m ? mk__row(m, customer) : -1;
    json_t *good = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(offers, i, x) if (!rc) rc = judge_offer(m, row, x, leads, today, good, left, err);
    json_decref(offers);
    json_decref(leads);
    if (rc) {
        json_decref(good), json_decref(o), json_decref(left);
        return rc;
    }
    json_object_set_new(o, "offers", ranked(good, max > 0 ? max : 3));
    json_object_set_new(o, "left_out", left);
    json_t *info = m ? mk_mart_info(m) : NULL;
    json_object_set_new(o, "as_of", info ? json_incref(json_object_get(info, "as_of")) : json_null());
    json_decref(info);
    json_object_set_new(o, "eligibility_judged", json_boolean(m && row >= 0));
    *out = o;
    return RP_OK;
}
