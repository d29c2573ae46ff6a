/* customers.c — finding customers and their 360: search, view, reveal,
 * export.  Every route here has API_BRANCH: the viewer's scope
 * (rq->scope_branch) goes into the search's query, and a customer opened
 * by id is checked against it.  See api.h. */
#include "api/internal.h"
#include "analytics/analytics.h"
#include "core/json.h"
#include "core/rtime.h"
#include "match/match.h"
#include "models/models.h"

#include <stdio.h>
#include <string.h>

/* Does the viewer's scope hold a customer of this home branch? */
static int in_scope(const api_req *rq, const char *home_branch)
{
    return !rq->scope_branch || (*rq->scope_branch && home_branch && !strcmp(home_branch, rq->scope_branch));
}

static int another_branch(api_req *rq, api_resp *rs, int64_t id)
{
    rq->audit_action = "denied";
    return api_error(rs, 403, "forbidden", "customer %lld belongs to another branch", (long long)id);
}

/* The customers a key names (wh_find_all: a phone a household shares names them all), as search
 * hits, those the scope holds. */
static int found_by_key(api_req *rq, const int64_t *ids, int n, const char *how, json_t *found, rp_error *err)
{
    for (int i = 0; i < n; i++) {
        json_t *doc;
        int rc = wh_c360(rq->w, ids[i], 0, &doc, err);
        if (rc)
            return rc;
        json_t *p = json_object_get(doc, "party");
        if (in_scope(rq, json_string_value(json_object_get(p, "home_branch"))))
            json_array_append_new(found,
                                  json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:s}", "id", json_object_get(p, "id"),
                                            "name_zh", json_object_get(p, "name_zh"), "name_latin",
                                            json_object_get(p, "name_latin"), "birth_date",
                                            json_object_get(p, "birth_date"), "home_branch",
                                            json_object_get(p, "home_branch"), "status", json_object_get(p, "status"),
                                            "matched", how ? how : "key"));
        json_decref(doc);
    }
    return RP_OK;
}

/* The hits shown at most; one more is asked for, to say that there are more. */
#define SEARCH_LIMIT 50

/* The hits of the viewer's own branch first (the order otherwise kept): a supervisor or a CSR with a branch. */
static void own_branch_first(json_t *found, const char *branch)
{
    if (!branch || !*branch)
        return;
    json_t *mine = json_array(), *others = json_array();
    size_t i;
    json_t *hit;
    json_array_foreach(found, i, hit) {
        const char *b = json_string_value(json_object_get(hit, "home_branch"));
        json_array_append(b && !strcmp(b, branch) ? mine : others, hit);
    }
    if (json_array_size(mine) + json_array_size(others) == json_array_size(found)) {
        json_array_clear(found);
        json_array_extend(found, mine);
        json_array_extend(found, others);
    }
    json_decref(mine);
    json_decref(others);
}

/* By name: the scope and the refinements (branch, born) in the query, the first SEARCH_LIMIT; *more when there are more. */
static int by_name(api_req *rq, const char *q, json_t **found, int *more, rp_error *err)
{
    const char *branch = api_query(rq, "branch"), *born = api_query(rq, "born");
    if (branch && !*branch)
        branch = NULL;
    if (born && !*born)
        born = NULL;
    if (branch && rq->scope_branch && strcmp(branch, rq->scope_branch)) {
        *found = json_array(); /* another branch than the viewer's: none of theirs */
        return RP_OK;
    }
    if (branch && strlen(branch) > 16)
        return rp_err(err, RP_INVAL, "branch: at most 16 characters");
    char alt[256];
    int rc = wh_search_name(rq->w, q, mt_pinyin_query(q, alt, sizeof alt) ? alt : NULL,
                            rq->scope_branch ? rq->scope_branch : branch, born, SEARCH_LIMIT + 1, found, err);
    if (rc)
        return rc;
    if (json_array_size(*found) > SEARCH_LIMIT) {
        *more = 1;
        json_array_remove(*found, SEARCH_LIMIT);
    }
    own_branch_first(*found, rq->session.user.branch);
    return RP_OK;
}

int api_customers_search(api_req *rq, api_resp *rs)
{
    const char *q = api_query(rq, "q");
    if (!q || !*q)
        return api_error(rs, 422, "invalid", "q: what to search for (a name, national ID, phone, account, e-mail)");
    if (strlen(q) > 200)
        return api_error(rs, 422, "invalid", "q: at most 200 bytes");
    /* the trail keeps the query masked (an ID, phone, card or e-mail as a listing shows it) and who it found */
    char masked[256];
    sec_scrub(q, masked, sizeof masked);
    snprintf(rq->detail, sizeof rq->detail, "q=%.240s", masked);
    rp_error err = RP_ERROR_INIT;
    int64_t ids[8];
    int n_ids = 0;
    const char *how = NULL;
    json_t *found = NULL;
    int more = 0;
    int rc = wh_find_all(rq->w, q, ids, 8, &n_ids, &how, &err);
    if (rc == RP_OK) {
        found = json_array();
        rc = found_by_key(rq, ids, n_ids, how, found, &err);
    } else if (rc == RP_NOTFOUND) {
        rp_err_clear(&err);
        rc = by_name(rq, q, &found, &more, &err);
        if (rc == RP_INVAL)
            return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    }
    if (rc) {
        json_decref(found);
        return api_fail(rs, &err);
    }
    size_t i;
    json_t *hit;
    json_array_foreach(found, i, hit) {
        if (api_shown_add(rq, json_integer_value(json_object_get(hit, "id"))))
            break;
    }
    if (json_array_size(found) == 1) /* the one customer found is the entry's customer */
        rq->customer = json_integer_value(json_object_get(json_array_get(found, 0), "id"));
    return api_ok(rs, json_pack("{s:o, s:b, s:i}", "customers", found, "more", more, "limit", SEARCH_LIMIT));
}

int api_customer_of(api_req *rq, api_resp *rs, int flags, int64_t *id, json_t **doc)
{
    int ok;
    *id = api_int(rq->param[0], 1, INT64_MAX, &ok);
    rp_error err = RP_ERROR_INIT;
    int rc = ok ? wh_party_exists(rq->w, *id, &err) : RP_NOTFOUND;
    if (rc == RP_NOTFOUND)
        return api_error(rs, 404, "not_found", "no customer '%s'", rq->param[0]);
    if (rc)
        return api_fail(rs, &err);
    rq->customer = *id;
    json_t *d;
    if (wh_c360(rq->w, *id, flags, &d, &err))
        return api_fail(rs, &err);
    json_t *p = json_object_get(d, "party");
    *id = rq->customer = json_integer_value(json_object_get(p, "id"));
    if (!in_scope(rq, json_string_value(json_object_get(p, "home_branch")))) {
        json_decref(d);
        return another_branch(rq, rs, *id);
    }
    if (doc)
        *doc = d;
    else
        json_decref(d);
    return 0;
}

/* What of the customer's contact points the viewer sees: all with `contacts`; the numbers to dial
 * with `dial`, of a customer on the viewer's own calling list while it runs; else all masked. */
static int contacts_shown(api_req *rq, int64_t id, int *mode, rp_error *err)
{
    *mode = SEC_CONTACTS_MASKED;
    if (api_can(rq, SEC_P_CONTACTS)) {
        *mode = SEC_CONTACTS_SHOWN;
        return RP_OK;
    }
    if (!api_can(rq, SEC_P_DIAL))
        return RP_OK;
    char today[RP_DATE_LEN];
    rp_date_format(rp_time_taipei_date(rp_now()), today);
    int on = 0, rc = wh_calllist_on(rq->w, rq->session.user.name, id, today, &on, err);
    if (!rc && on) {
        *mode = SEC_CONTACTS_PHONES;
        snprintf(rq->detail, sizeof rq->detail, "numbers to dial: on the calling list");
    }
    return rc;
}

static int customer_doc(api_req *rq, api_resp *rs, int reveal)
{
    int64_t id;
    json_t *doc;
    int st = api_customer_of(rq, rs, reveal ? WH_C360_REVEAL : 0, &id, &doc);
    if (st)
        return st;
    int mode;
    rp_error err = RP_ERROR_INIT;
    if (!reveal && contacts_shown(rq, id, &mode, &err)) {
        json_decref(doc);
        return api_fail(rs, &err);
    }
    if (!reveal)
        sec_mask_c360_contacts(doc, mode);
    return api_ok(rs, doc);
}

/* The 360 as kept (warehouse.h, the kept 360): one read; the warehouse's eight queries only when none is kept. */
int api_customer_get(api_req *rq, api_resp *rs)
{
    int ok;
    int64_t id = api_int(rq->param[0], 1, INT64_MAX, &ok);
    /* an outbound agent sees the numbers of a customer on their list: a document of its own */
    int mode = SEC_CONTACTS_MASKED;
    rp_error e0 = RP_ERROR_INIT;
    if (ok && contacts_shown(rq, id, &mode, &e0))
        return api_fail(rs, &e0);
    if (ok && mode != SEC_CONTACTS_PHONES) {
        char today[RP_DATE_LEN];
        rp_date_format(rp_time_taipei_date(rp_now()), today);
        wh_c360doc d;
        rp_error err = RP_ERROR_INIT;
        int rc = wh_c360doc_read(rq->w, id, api_can(rq, SEC_P_CONTACTS), today, &d, &err);
        if (rc == RP_OK) {
            rq->customer = id;
            if (!in_scope(rq, d.home_branch)) {
                wh_c360doc_free(&d);
                return another_branch(rq, rs, id);
            }
            api_count_doc(rq, 1);
            rs->text = d.json;
            rs->status = 200;
            return 200;
        }
        if (rc != RP_NOTFOUND)
            return api_fail(rs, &err);
    }
    int st = customer_doc(rq, rs, 0);
    if (rq->customer > 0) {
        api_count_doc(rq, 0);
        api_doc_wanted(rq, rq->customer); /* kept from now on */
    }
    return st;
}

/* body.reason, said in 5 characters or more, into rq->reason: 0, or the reply's status. */
int api_customer_reveal(api_req *rq, api_resp *rs)
{
    int st = api_reason(rq, rs, NULL);
    return st ? st : customer_doc(rq, rs, 1);
}

/* A copy of everything kept about the customer, unmasked, as a file: what a
 * customer who asks for their data receives.  Audited as "export". */
int api_customer_export(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "reason", NULL };
    int st = api_reason(rq, rs, keys);
    if (st)
        return st;
    int64_t id;
    json_t *doc;
    if ((st = api_customer_of(rq, rs, WH_C360_REVEAL | WH_C360_ALL, &id, &doc)))
        return st;
    /* the analyses' scores are theirs (analytics.h), shown before the flag that ends the lists */
    json_t *scores, *truncated = json_incref(json_object_get(doc, "transactions_truncated"));
    rp_error err = RP_ERROR_INIT;
    if (an_scores(rq->w, id, &scores, &err)) {
        json_decref(truncated);
        json_decref(doc);
        return api_fail(rs, &err);
    }
    json_t *predictions;
    if (mdl_customer_scores(wh_store(rq->w), id, &predictions, &err)) {
        json_decref(scores);
        json_decref(truncated);
        json_decref(doc);
        return api_fail(rs, &err);
    }
    json_object_del(doc, "transactions_truncated");
    json_object_set_new(doc, "scores", scores);
    json_object_set_new(doc, "predictions", predictions);
    json_object_set_new(doc, "transactions_truncated", truncated);
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    json_object_set_new(doc, "export",
                        json_pack("{s:s, s:s, s:s, s:s}", "at", now, "by", rq->session.user.name, "reason", rq->reason,
                                  "format", "rapport customer export 1"));
    snprintf(rq->detail, sizeof rq->detail, "%zu transactions, %zu interactions, %zu contact points",
             json_array_size(json_object_get(doc, "transactions")),
             json_array_size(json_object_get(doc, "interactions")),
             json_array_size(json_object_get(doc, "contact_points")));
    snprintf(rs->attachment, sizeof rs->attachment, "customer-%lld.json", (long long)id);
    return api_ok(rs, doc);
}
