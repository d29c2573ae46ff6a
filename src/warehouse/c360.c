/* c360.c — finding a customer by any key, and the customer-360 view. */
#include "warehouse/internal.h"
#include "core/json.h"
#include "core/rtime.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HITS 8

typedef struct hits {
    int64_t id[MAX_HITS];
    int64_t rec[MAX_HITS]; /* after persons(): the (first) record of each person the key named */
    int n;
} hits;

static void add_hit(hits *h, int64_t id)
{
    for (int i = 0; i < h->n; i++)
        if (h->id[i] == id)
            return;
    if (h->n < MAX_HITS)
        h->id[h->n++] = id;
}

/* Run a one-parameter query whose first column is a party id. */
static int collect(wh *w, const char *sql, const void *p, size_t n, int blob, hits *h,
                   rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store, sql, &st, err);
    if (rc)
        return rc;
    if (blob)
        rp_stmt_bind_blob(st, 1, p, n);
    else
        rp_stmt_bind_textn(st, 1, p, n);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        add_hit(h, rp_stmt_int(st, 0));
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

static int by_sealed(wh *w, const char *type, const char *v, hits *h, rp_error *err)
{
    char canon[80];
    rp_error ignore = RP_ERROR_INIT;
    if (wh_identifier_normalise(type, v, canon, sizeof canon, &ignore))
        return RP_OK;
    unsigned char lk[RP_HASH_LEN];
    wh__identifier_lookup(w, type, "", canon, lk);
    return collect(w, "SELECT party_id FROM party_identifier WHERE lookup = ?", lk, sizeof lk, 1, h,
                   err);
}

static int by_plain_identifier(wh *w, const char *type, const char *v, hits *h, rp_error *err)
{
    char canon[128];
    rp_error ignore = RP_ERROR_INIT;
    /* stored in canonical form (S-001 as S001): look it up the same way */
    if (type && wh_identifier_normalise(type, v, canon, sizeof canon, &ignore) == RP_OK)
        v = canon;
    if (type) {
        rp_stmt *st;
        int rc = rp_store_prepare(w->store,
                                  "SELECT party_id FROM party_identifier WHERE value = ? AND type = ?",
                                  &st, err);
        if (rc)
            return rc;
        rp_stmt_bind_text(st, 1, v);
        rp_stmt_bind_text(st, 2, type);
        while ((rc = rp_stmt_step(st, err)) == RP_ROW)
            add_hit(h, rp_stmt_int(st, 0));
        rp_stmt_done(st);
        return rc == RP_DONE ? RP_OK : rc;
    }
    return collect(w, "SELECT party_id FROM party_identifier WHERE value = ?", v, strlen(v), 0, h,
                   err);
}

static int by_phone(wh *w, const char *v, hits *h, rp_error *err)
{
    char e164[64], lookup[64];
    rp_error ignore = RP_ERROR_INIT;
    if (wh_phone_normalise(v, e164, sizeof e164, lookup, sizeof lookup, &ignore))
        return RP_OK;
    return collect(w,
                   "SELECT party_id FROM contact_point WHERE lookup = ? "
                   "AND kind IN ('mobile', 'phone', 'fax') ORDER BY valid_to IS NOT NULL, id",
                   lookup, strlen(lookup), 0, h, err);
}

static int by_email(wh *w, const char *v, hits *h, rp_error *err)
{
    char e[300], lookup[300];
    rp_error ignore = RP_ERROR_INIT;
    if (wh_email_normalise(v, e, sizeof e, lookup, sizeof lookup, &ignore))
        return RP_OK;
    return collect(w, "SELECT party_id FROM contact_point WHERE lookup = ? AND kind = 'email'",
                   lookup, strlen(lookup), 0, h, err);
}

static int by_account(wh *w, const char *v, hits *h, rp_error *err)
{
    /* owners first: an account number finds the person it belongs to; a card number by its key */
    char key[WH_ACCOUNT_KEY_LEN];
    wh_account_key(w, v, key, NULL, 0);
    v = key;
    int rc = collect(w,
                     "SELECT pa.party_id FROM account a JOIN party_account pa ON pa.account_id = a.id "
                     "WHERE a.number = ? ORDER BY CASE pa.role WHEN 'owner' THEN 0 WHEN 'joint' THEN 1 "
                     "ELSE 2 END, pa.party_id",
                     v, strlen(v), 0, h, err);
    if (rc || h->n || !strncmp(key, "pan:", 4))
        return rc;
    /* typed with other punctuation or none: 0012100000001, 0012 100 000001 (the index of migration 0020) */
    char plain[WH_ACCOUNT_KEY_LEN];
    size_t n = 0;
    for (const char *p = key; *p && n < sizeof plain - 1; p++)
        if (!strchr("- ./", *p))
            plain[n++] = *p;
    plain[n] = 0;
    if (!n)
        return RP_OK;
    return collect(w,
                   "SELECT pa.party_id FROM account a JOIN party_account pa ON pa.account_id = a.id "
                   "WHERE replace(replace(replace(replace(a.number, '-', ''), ' ', ''), '.', ''), '/', '') = ? "
                   "ORDER BY CASE pa.role WHEN 'owner' THEN 0 WHEN 'joint' THEN 1 ELSE 2 END, pa.party_id",
                   plain, n, 0, h, err);
}

static int by_id(wh *w, const char *v, hits *h, rp_error *err)
{
    char *end;
    long long id = strtoll(v, &end, 10);
    if (!*v || *end || id <= 0)
        return RP_OK;
    int rc = wh_party_exists(w, id, err);
    if (rc == RP_OK)
        add_hit(h, id);
    return rc == RP_NOTFOUND ? RP_OK : rc;
}

static int is_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s) && *s != '-' && *s != ' ')
            return 0;
    return 1;
}

typedef enum { K_ID, K_NID, K_RC, K_PASSPORT, K_TAX, K_UBN, K_PHONE, K_ACCT, K_EMAIL, K_CARD, K_CUST,
               K_ONLINE, K_NKINDS } kind;
static const struct {
    const char *prefix, *name;
} kinds[K_NKINDS] = {
    [K_ID] = { "id:", "internal id" },        [K_NID] = { "nid:", "national ID" },
    [K_RC] = { "rc:", "resident certificate" }, [K_PASSPORT] = { "passport:", "passport" },
    [K_TAX] = { "tax:", "tax id" },           [K_UBN] = { "ubn:", "UBN" },
    [K_PHONE] = { "phone:", "phone" },        [K_ACCT] = { "acct:", "account number" },
    [K_EMAIL] = { "email:", "e-mail" },       [K_CARD] = { "card:", "card customer number" },
    [K_CUST] = { "cust:", "source customer number" }, [K_ONLINE] = { "online:", "online user id" },
};

static int try_kind(wh *w, kind k, const char *v, hits *h, rp_error *err)
{
    switch (k) {
    case K_ID: return by_id(w, v, h, err);
    case K_NID: return by_sealed(w, "national_id", v, h, err);
    case K_RC: return by_sealed(w, "resident_cert", v, h, err);
    case K_PASSPORT: return by_sealed(w, "passport", v, h, err);
    case K_TAX: return by_sealed(w, "tax_id", v, h, err);
    case K_UBN: return by_plain_identifier(w, "ubn", v, h, err);
    case K_PHONE: return by_phone(w, v, h, err);
    case K_ACCT: return by_account(w, v, h, err);
    case K_EMAIL: return by_email(w, v, h, err);
    case K_CARD: return by_plain_identifier(w, "card_customer_no", v, h, err);
    case K_CUST: return by_plain_identifier(w, "source_customer_no", v, h, err);
    case K_ONLINE: return by_plain_identifier(w, "online_user_id", v, h, err);
    default: return RP_OK;
    }
}

static int ambiguous(wh *w, const char *key, const char *how, const hits *h, rp_error *err)
{
    char list[256] = "";
    size_t used = 0;
    for (int i = 0; i < h->n && used < sizeof list - 40; i++) {
        int k = snprintf(list + used, sizeof list - used, "%s%lld", i ? ", " : "",
                         (long long)h->id[i]);
        if (k > 0)
            used += (size_t)k;
    }
    (void)w;
    return rp_err(err, RP_AMBIGUOUS, "'%s' (%s) matches %d parties: %s; use id:N", key, how, h->n,
                  list);
}

/* Hits on source parties that identity resolution joined are one customer: the person. */
static int persons(wh *w, hits *h, rp_error *err)
{
    hits out = { { 0 }, { 0 }, 0 };
    for (int i = 0; i < h->n; i++) {
        rp_stmt *st;
        int rc = rp_store_prepare(w->store, "SELECT coalesce(merged_into, id) FROM party WHERE id = ?", &st, err);
        if (rc)
            return rc;
        rp_stmt_bind_int(st, 1, h->id[i]);
        rc = rp_stmt_step(st, err);
        int before = out.n;
        add_hit(&out, rc == RP_ROW ? rp_stmt_int(st, 0) : h->id[i]);
        if (out.n > before)
            out.rec[before] = h->id[i];
        rp_stmt_done(st);
        if (rc != RP_ROW && rc != RP_DONE)
            return rc;
    }
    *h = out;
    return RP_OK;
}

/* wh_find's work: the hits of the first kind that has any, in *out, and that kind in *how;
 * RP_AMBIGUOUS when they are customers the key cannot tell apart (not an account's holders, the
 * owner first). */
static int find_hits(wh *w, const char *key, hits *out, const char **how, rp_error *err)
{
    while (*key == ' ')
        key++;
    if (!*key)
        return rp_err(err, RP_INVAL, "empty key");
    if (strlen(key) > 256)
        return rp_err(err, RP_TOOBIG, "key longer than 256 characters");
    hits h = { { 0 }, { 0 }, 0 };
    int rc;
    for (int k = 0; k < K_NKINDS; k++) {
        size_t pl = strlen(kinds[k].prefix);
        if (strncmp(key, kinds[k].prefix, pl) == 0) {
            const char *v = key + pl;
            if ((rc = try_kind(w, (kind)k, v, &h, err)) || (rc = persons(w, &h, err)))
                return rc;
            if (h.n == 0)
                return rp_err(err, RP_NOTFOUND, "no customer with %s '%s'", kinds[k].name, v);
            *out = h;
            *how = kinds[k].name;
            return k == K_ACCT ? RP_OK : h.n > 1 ? RP_AMBIGUOUS : RP_OK;
        }
    }
    /* No prefix: recognise the key by its shape, most specific first. */
    kind order[K_NKINDS];
    int n = 0;
    size_t len = strlen(key);
    char up0 = (char)toupper((unsigned char)key[0]);
    if (key[0] == '#') {
        key++;
        order[n++] = K_ID;
    } else if (strchr(key, '@')) {
        order[n++] = K_EMAIL;
    } else if (len == 10 && up0 >= 'A' && up0 <= 'Z' && (key[1] == '1' || key[1] == '2')) {
        order[n++] = K_NID;
    } else if (len == 10 && up0 >= 'A' && up0 <= 'Z' &&
               (key[1] == '8' || key[1] == '9' ||
                (toupper((unsigned char)key[1]) >= 'A' && toupper((unsigned char)key[1]) <= 'D'))) {
        order[n++] = K_RC;
        order[n++] = K_PASSPORT;
    } else if (key[0] == '+' || key[0] == '(') {
        order[n++] = K_PHONE;
    } else if (is_digits(key)) {
        order[n++] = K_ACCT;
        order[n++] = K_CARD;
        order[n++] = K_CUST;
        order[n++] = K_UBN;
        order[n++] = K_PHONE;
        order[n++] = K_PASSPORT;
        order[n++] = K_ID;
    } else {
        order[n++] = K_ACCT;
        order[n++] = K_CARD;
        order[n++] = K_CUST;
        order[n++] = K_ONLINE;
        order[n++] = K_PASSPORT;
        order[n++] = K_TAX;
        order[n++] = K_PHONE; /* "02-2345-6789#12", "0912 345 678 ext 3" */
    }
    for (int i = 0; i < n; i++) {
        if ((rc = try_kind(w, order[i], key, &h, err)) || (rc = persons(w, &h, err)))
            return rc;
        if (h.n) {
            *out = h;
            *how = kinds[order[i]].name;
            return h.n > 1 && order[i] != K_ACCT ? RP_AMBIGUOUS : RP_OK;
        }
    }
    return rp_err(err, RP_NOTFOUND, "no customer matches '%s'", key);
}

static int find_one(wh *w, const char *key, int64_t *party, int64_t *record, const char **how, rp_error *err)
{
    hits h = { { 0 }, { 0 }, 0 };
    const char *what = NULL;
    int rc = find_hits(w, key, &h, &what, err);
    if (rc == RP_AMBIGUOUS)
        return ambiguous(w, key, what, &h, err);
    if (rc)
        return rc;
    *party = h.id[0];
    if (record)
        *record = h.rec[0];
    if (how)
        *how = what;
    return RP_OK;
}

int wh_find(wh *w, const char *key, int64_t *party, const char **how, rp_error *err)
{
    return find_one(w, key, party, NULL, how, err);
}

int wh_find_record(wh *w, const char *key, int64_t *record, rp_error *err)
{
    int64_t party;
    return find_one(w, key, &party, record, NULL, err);
}

int wh_find_all(wh *w, const char *key, int64_t *ids, int max, int *n, const char **how, rp_error *err)
{
    hits h = { { 0 }, { 0 }, 0 };
    const char *what = NULL;
    int rc = find_hits(w, key, &h, &what, err);
    if (rc && rc != RP_AMBIGUOUS)
        return rc;
    *n = 0;
    for (int i = 0; i < h.n && *n < max; i++)
        ids[(*n)++] = h.id[i];
    if (how)
        *how = what;
    return RP_OK;
}

int wh_party_names(wh *w, int64_t id, char *zh, size_t zn, char *latin, size_t ln, char *branch, size_t bn,
                   rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store, "SELECT name_zh, name_latin, home_branch FROM party WHERE id = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, id);
    rc = rp_stmt_step(st, err);
    if (rc == RP_ROW) {
        snprintf(zh, zn, "%s", rp_stmt_text(st, 0) ? rp_stmt_text(st, 0) : "");
        snprintf(latin, ln, "%s", rp_stmt_text(st, 1) ? rp_stmt_text(st, 1) : "");
        snprintf(branch, bn, "%s", rp_stmt_text(st, 2) ? rp_stmt_text(st, 2) : "");
    }
    rp_stmt_done(st);
    if (rc == RP_DONE)
        return rp_err(err, RP_NOTFOUND, "no customer %lld", (long long)id);
    return rc == RP_ROW ? RP_OK : rc;
}

/* ---- the 360 view ---- */

void wh__set_col(json_t *o, rp_stmt *st, int col, const char *name)
{
    switch (rp_stmt_column_type(st, col)) {
    case RP_COL_NULL: json_object_set_new(o, name, json_null()); break;
    case RP_COL_INT: json_object_set_new(o, name, json_integer(rp_stmt_int(st, col))); break;
    case RP_COL_REAL: json_object_set_new(o, name, json_real(rp_stmt_real(st, col))); break;
    default: json_object_set_new(o, name, json_string(rp_stmt_text(st, col))); break;
    }
}

#define MEMBERS WH__MEMBERS
#define set_col wh__set_col
#define bind_party wh__bind_party
#define rows wh__rows

void wh__bind_party(rp_stmt *st, const char *sql, int64_t party)
{
    int k = 0;
    for (const char *p = sql; *p; p++)
        if (*p == '?')
            rp_stmt_bind_int(st, ++k, party);
}

int wh__rows_named(rp_stmt *st, const char *const *names, int n, json_t *arr, rp_error *err)
{
    int rc;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        json_t *o = json_object();
        for (int c = 0; c < n; c++)
            set_col(o, st, c, names[c]);
        json_array_append_new(arr, o);
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

int wh__rows(wh *w, const char *sql, int64_t party, json_t *arr, int bool_col, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store, sql, &st, err);
    if (rc)
        return rc;
    bind_party(st, sql, party);
    int nc = rp_stmt_column_count(st);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        json_t *o = json_object();
        for (int c = 0; c < nc; c++) {
            if (c == bool_col)
                json_object_set_new(o, rp_stmt_column_name(st, c),
                                    json_boolean(rp_stmt_int(st, c) != 0));
            else
                set_col(o, st, c, rp_stmt_column_name(st, c));
        }
        json_array_append_new(arr, o);
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

static const char *inverse_link(const char *k)
{
    static const char *const pairs[][2] = {
        { "parent", "child" },         { "child", "parent" },         { "employer", "employee" },
        { "employee", "employer" },    { "introducer", "introduced" }, { "introduced", "introducer" },
        { "guardian", "ward" },        { "ward", "guardian" },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (strcmp(k, pairs[i][0]) == 0)
            return pairs[i][1];
    return k; /* symmetric: spouse, sibling, household, other */
}

static int identifiers(wh *w, int64_t party, int reveal, json_t *arr, rp_error *err)
{
    rp_stmt *st;
    /* one row per identifier, though several source parties carry it */
    static const char *sql = "SELECT type, issuer, value, sealed, masked, valid_from, valid_to "
                             "FROM party_identifier i WHERE party_id IN (" MEMBERS ") AND id = "
                             "(SELECT min(id) FROM party_identifier x WHERE x.lookup = i.lookup "
                             "AND x.party_id IN (" MEMBERS ")) ORDER BY id";
    int rc = rp_store_prepare(w->store, sql, &st, err);
    if (rc)
        return rc;
    bind_party(st, sql, party);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        json_t *o = json_object();
        set_col(o, st, 0, "type");
        const char *issuer = rp_stmt_text(st, 1);
        rp_json_set_str(o, "issuer", issuer && *issuer ? issuer : NULL);
        int sealed = rp_stmt_column_type(st, 3) == RP_COL_BLOB;
        if (sealed && reveal) {
            size_t n = rp_stmt_bytes(st, 3);
            char plain[128] = "";
            if (n < RP_SEAL_OVERHEAD || n - RP_SEAL_OVERHEAD >= sizeof plain ||
                rp_unseal(w->keys, rp_stmt_blob(st, 3), n, plain) != RP_OK) {
                json_decref(o);
                rp_stmt_done(st);
                return rp_err(err, RP_CRYPTO, "party %lld: a sealed identifier cannot be opened",
                              (long long)party);
            }
            plain[n - RP_SEAL_OVERHEAD] = 0;
            rp_json_set_str(o, "value", plain);
        } else {
            set_col(o, st, sealed ? 4 : 2, "value");
        }
        json_object_set_new(o, "masked", json_boolean(sealed && !reveal));
        json_object_set_new(o, "sealed", json_boolean(sealed));
        set_col(o, st, 5, "valid_from");
        set_col(o, st, 6, "valid_to");
        json_array_append_new(arr, o);
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

int wh__related(wh *w, int64_t party, json_t *arr, rp_error *err)
{
    rp_stmt *st;
    /* links are between source parties: each end is shown as the customer it belongs to */
    static const char *sql =
        "SELECT DISTINCT p.id, l.kind, 0, l.since, p.name_zh, p.name_latin, p.status, p.home_branch "
        "FROM party_link l JOIN party t ON t.id = l.to_party "
        "JOIN party p ON p.id = coalesce(t.merged_into, t.id) WHERE l.from_party IN (" MEMBERS ") "
        "AND p.id <> ? "
        "UNION "
        "SELECT DISTINCT p.id, l.kind, 1, l.since, p.name_zh, p.name_latin, p.status, p.home_branch "
        "FROM party_link l JOIN party f ON f.id = l.from_party "
        "JOIN party p ON p.id = coalesce(f.merged_into, f.id) WHERE l.to_party IN (" MEMBERS ") "
        "AND p.id <> ? "
        "ORDER BY 1";
    int rc = rp_store_prepare(w->store, sql, &st, err);
    if (rc)
        return rc;
    bind_party(st, sql, party);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        json_t *o = json_object();
        set_col(o, st, 0, "party_id");
        const char *k = rp_stmt_text(st, 1);
        /* the row says "to is from's KIND"; seen from the other side, invert */
        rp_json_set_str(o, "relation", rp_stmt_int(st, 2) ? inverse_link(k) : k);
        set_col(o, st, 3, "since");
        set_col(o, st, 4, "name_zh");
        set_col(o, st, 5, "name_latin");
        set_col(o, st, 6, "status");
        set_col(o, st, 7, "home_branch");
        json_array_append_new(arr, o);
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

static void add_money(json_t *arr, const char *minor_key, const char *cur_key, const char *out_key)
{
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) {
        json_t *m = json_object_get(o, minor_key);
        if (!json_is_integer(m))
            continue;
        char buf[64];
        wh_money_format(json_integer_value(m), json_string_value(json_object_get(o, cur_key)), buf,
                        sizeof buf);
        rp_json_set_str(o, out_key, buf);
    }
}

/* The preferences in force: {name: {value, since, set_by}}, the latest of any member. */
static int preferences(wh *w, int64_t party, json_t *doc, rp_error *err)
{
    json_t *arr = json_array(), *o = json_object();
    int rc = rows(w,
                  "SELECT name, value, since, set_by FROM party_preference WHERE party_id IN (" MEMBERS ") "
                  "ORDER BY since, party_id",
                  party, arr, -1, err);
    size_t i;
    json_t *p, *latest = json_object();
    json_array_foreach(arr, i, p) {
        json_object_set(latest, json_string_value(json_object_get(p, "name")), p);
        json_object_del(p, "name");
    }
    for (int k = 0; wh_preference_names[k]; k++) /* in the order shown */
        if ((p = json_object_get(latest, wh_preference_names[k])))
            json_object_set(o, wh_preference_names[k], p);
    json_decref(latest);
    json_decref(arr);
    json_object_set_new(doc, "preferences", o);
    return rc;
}

int wh_preferences(wh *w, int64_t person, json_t **out, rp_error *err)
{
    json_t *doc = json_object();
    int rc = preferences(w, person, doc, err);
    if (!rc)
        *out = json_incref(json_object_get(doc, "preferences"));
    json_decref(doc);
    return rc;
}

/* Card numbers (member of each row of arr) come masked from the store; to
 * reveal, each is unsealed (a few cards a customer: the last eight kept).
 * The query's sealed_account column, the account to unseal, goes. */
static int card_numbers(wh *w, json_t *arr, const char *member, int reveal, rp_error *err)
{
    struct { int64_t id; char number[72]; } seen[8] = { { 0, "" } };
    size_t i, next = 0;
    json_t *o;
    json_array_foreach(arr, i, o) {
        json_t *sid = json_object_get(o, "sealed_account");
        if (reveal && json_is_integer(sid)) {
            int64_t id = json_integer_value(sid);
            size_t k = 0;
            while (k < 8 && seen[k].id != id)
                k++;
            if (k == 8) {
                k = next++ % 8;
                seen[k].id = 0;
                rp_stmt *st;
                int rc = rp_store_prepare(w->store, "SELECT sealed FROM account WHERE id = ?", &st, err);
                if (rc)
                    return rc;
                rp_stmt_bind_int(st, 1, id);
                if ((rc = rp_stmt_step(st, err)) == RP_ROW)
                    rc = wh_account_number_unseal(w, rp_stmt_blob(st, 0), rp_stmt_bytes(st, 0), seen[k].number,
                                                  sizeof seen[k].number, err);
                rp_stmt_done(st);
                if (rc)
                    return rc == RP_DONE ? rp_err(err, RP_INTERNAL, "account %lld is gone", (long long)id) : rc;
                seen[k].id = id;
            }
            json_object_set_new(o, member, json_string(seen[k].number));
        }
        json_object_del(o, "sealed_account");
    }
    return RP_OK;
}

/* For a copy of all the customer's data (WH_C360_ALL): the recent lists
 * become whole, and the histories are added (the analyses' scores are
 * analytics', an_scores). */
static int everything(wh *w, int64_t party, int reveal, json_t *doc, rp_error *err)
{
    static const struct {
        const char *member, *sql;
        int bool_col;
    } parts[] = {
        { "contact_points",
          "SELECT id, kind, purpose, value, postal_code, county, district, is_primary AS \"primary\", valid_from, "
          "valid_to, source, country FROM contact_point WHERE party_id IN (" MEMBERS ") ORDER BY kind, purpose, id",
          7 },
        { "transactions",
          "SELECT t.posted_at, t.value_date, coalesce(a.masked, a.number) AS account, t.amount_minor, t.currency, "
          "t.channel, t.class, t.description, t.counterparty, t.source, CASE WHEN a.sealed IS NULL THEN NULL ELSE a.id END AS sealed_account FROM txn t JOIN account a ON a.id = t.account_id "
          "WHERE t.account_id IN (SELECT account_id FROM party_account WHERE party_id IN (" MEMBERS ")) "
          "ORDER BY t.posted_at DESC, t.id DESC LIMIT 100000",
          -1 },
        { "interactions",
          "SELECT id, at, channel, direction, staff, reason, outcome, notes, follow_up_on, created_at, created_by "
          "FROM interaction WHERE party_id IN (" MEMBERS ") ORDER BY at DESC, id DESC",
          -1 },
        { "consent_history",
          "SELECT purpose, channel, granted, evidence, effective_at, recorded_at, recorded_by FROM consent "
          "WHERE party_id IN (" MEMBERS ") ORDER BY id",
          2 },
        { "changes",
          "SELECT at, by_user, what, field, old_value, new_value, reason FROM customer_change "
          "WHERE party_id IN (" MEMBERS ") ORDER BY id",
          -1 },
        { "attribute_history",
          "SELECT h.entity, CASE h.entity WHEN 'account' THEN (SELECT coalesce(masked, number) FROM account WHERE id = h.entity_id) "
          "ELSE CAST(h.entity_id AS TEXT) END AS of, h.attribute, h.old_value, h.new_value, h.valid_from, h.valid_to, h.job_id "
          "FROM attribute_history h WHERE (h.entity = 'party' AND h.entity_id IN (" MEMBERS ")) OR "
          "(h.entity = 'account' AND h.entity_id IN (SELECT account_id FROM party_account WHERE party_id IN "
          "(" MEMBERS "))) ORDER BY h.id",
          -1 },
    };
    _Static_assert(WH_C360_ALL_TXNS == 100000, "the LIMIT above");
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        json_t *arr = json_array();
        int rc = rows(w, parts[i].sql, party, arr, parts[i].bool_col, err);
        json_object_set_new(doc, parts[i].member, arr);
        if (rc)
            return rc;
    }
    json_t *txns = json_object_get(doc, "transactions");
    int rc = card_numbers(w, txns, "account", reveal, err);
    if (rc)
        return rc;
    json_object_set_new(doc, "transactions_truncated", json_boolean(json_array_size(txns) >= WH_C360_ALL_TXNS));
    return RP_OK;
}

static int c360_build(wh *w, int64_t party, int flags, json_t **out, rp_error *err)
{
    rp_stmt *st;
    /* a source party found to be part of a person shows as that person */
    int rc = rp_store_prepare(w->store, "SELECT merged_into FROM party WHERE id = ? AND merged_into IS NOT NULL",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, party);
    if (rp_stmt_step(st, err) == RP_ROW)
        party = rp_stmt_int(st, 0);
    rp_stmt_done(st);
    rc = rp_store_prepare(w->store,
                              "SELECT p.id, p.kind, p.name_zh, p.name_latin, p.birth_date, p.gender, "
                              "p.occupation, p.income_band, p.status, p.status_since, p.home_branch, "
                              "b.name_zh AS home_branch_name, p.created_at, p.updated_at "
                              "FROM party p LEFT JOIN branch b ON b.code = p.home_branch "
                              "WHERE p.id = ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, party);
    rc = rp_stmt_step(st, err);
    if (rc != RP_ROW) {
        rp_stmt_done(st);
        return rc == RP_DONE ? rp_err(err, RP_NOTFOUND, "no party %lld", (long long)party) : rc;
    }
    json_t *doc = json_object();
    json_t *p = json_object();
    int nc = rp_stmt_column_count(st);
    for (int c = 0; c < nc; c++)
        set_col(p, st, c, rp_stmt_column_name(st, c));
    rp_stmt_done(st);
    const char *bd = json_string_value(json_object_get(p, "birth_date"));
    rp_date d;
    if (bd && rp_date_parse(bd, &d, NULL) == RP_OK) {
        char roc[64];
        rp_date_format_roc(d, roc, sizeof roc);
        rp_json_set_str(p, "birth_date_roc", roc);
        if (json_is_string(json_object_get(p, "kind")) &&
            strcmp(json_string_value(json_object_get(p, "kind")), "person") == 0)
            rp_json_set_int(p, "age", rp_date_years_between(d, rp_time_taipei_date(rp_now())));
    }
    json_object_set_new(doc, "party", p);
    json_t *ids = json_array(), *contacts = json_array(), *accounts = json_array(),
           *rel = json_array(), *txns = json_array(), *ias = json_array(),
           *consents = json_array(), *lineage = json_array();
    json_object_set_new(doc, "identifiers", ids);
    json_object_set_new(doc, "contact_points", contacts);
    json_object_set_new(doc, "accounts", accounts);
    json_object_set_new(doc, "related_parties", rel);
    json_object_set_new(doc, "transactions", txns);
    json_object_set_new(doc, "interactions", ias);
    json_object_set_new(doc, "consents", consents);
    json_object_set_new(doc, "lineage", lineage);
    if ((rc = identifiers(w, party, flags & WH_C360_REVEAL, ids, err)) ||
        (rc = rows(w,
                   "SELECT id, kind, purpose, value, postal_code, county, district, "
                   "is_primary AS \"primary\", valid_from, valid_to, source, country "
                   "FROM contact_point c WHERE party_id IN (" MEMBERS ") AND id = "
                   "(SELECT min(id) FROM contact_point x WHERE x.party_id IN (" MEMBERS ") AND x.kind = c.kind "
                   "AND coalesce(x.lookup, x.value) = coalesce(c.lookup, c.value) "
                   "AND (x.valid_to IS NULL) = (c.valid_to IS NULL)) "
                   "ORDER BY valid_to IS NOT NULL, is_primary DESC, kind, id",
                   party, contacts, 7, err)) ||
        (rc = rows(w,
                   "SELECT coalesce(a.masked, a.number) AS number, pa.role, a.product, pr.name_zh AS product_name, "
                   "pr.kind AS product_kind, a.branch, a.currency, a.opened_on, a.closed_on, "
                   "a.status, a.balance_minor, a.limit_minor, a.balance_at, pa.since AS role_since, "
                   "CASE WHEN a.sealed IS NULL THEN NULL ELSE a.id END AS sealed_account "
                   "FROM party_account pa JOIN account a ON a.id = pa.account_id "
                   "JOIN product pr ON pr.code = a.product WHERE pa.party_id IN (" MEMBERS ") "
                   "ORDER BY a.status = 'closed', pa.role <> 'owner', a.opened_on, a.number",
                   party, accounts, -1, err)) ||
        (rc = wh__related(w, party, rel, err)) ||
        (rc = rows(w,
                   "SELECT t.posted_at, coalesce(a.masked, a.number) AS account, t.amount_minor, t.currency, t.channel, "
                   "t.class, t.description, t.counterparty, CASE WHEN a.sealed IS NULL THEN NULL ELSE a.id END AS sealed_account FROM txn t "
                   "JOIN account a ON a.id = t.account_id WHERE t.account_id IN "
                   "(SELECT account_id FROM party_account WHERE party_id IN (" MEMBERS ")) "
                   "ORDER BY t.posted_at DESC, t.id DESC LIMIT 20",
                   party, txns, -1, err)) ||
        (rc = rows(w,
                   "SELECT id, at, channel, direction, staff, reason, outcome, notes, follow_up_on "
                   "FROM interaction WHERE party_id IN (" MEMBERS ") ORDER BY at DESC, id DESC LIMIT 20",
                   party, ias, -1, err)) ||
        (rc = rows(w,
                   "SELECT c.purpose, c.channel, c.granted, c.evidence, c.effective_at, "
                   "c.recorded_by FROM consent c WHERE c.party_id IN (" MEMBERS ") AND c.id = "
                   "(SELECT MAX(c2.id) FROM consent c2 WHERE c2.party_id IN (" MEMBERS ") "
                   "AND c2.purpose = c.purpose AND c2.channel = c.channel) "
                   "ORDER BY c.purpose, c.channel",
                   party, consents, 2, err)) ||
        (rc = rows(w,
                   "SELECT s.source, s.source_key, s.job_id, s.loaded_at, j.file FROM source_record s "
                   "LEFT JOIN load_job j ON j.id = s.job_id "
                   "WHERE s.entity = 'party' AND s.entity_id IN (" MEMBERS ") ORDER BY s.id",
                   party, lineage, -1, err))) {
        json_decref(doc);
        return rc;
    }
    if ((rc = card_numbers(w, accounts, "number", flags & WH_C360_REVEAL, err)) ||
        (rc = card_numbers(w, txns, "account", flags & WH_C360_REVEAL, err)) || (rc = preferences(w, party, doc, err)) ||
        ((flags & WH_C360_ALL) && (rc = everything(w, party, flags & WH_C360_REVEAL, doc, err)))) {
        json_decref(doc);
        return rc;
    }
    add_money(accounts, "balance_minor", "currency", "balance");
    add_money(json_object_get(doc, "transactions"), "amount_minor", "currency", "amount");
    *out = doc;
    return RP_OK;
}

int wh_c360(wh *w, int64_t party, int flags, json_t **out, rp_error *err)
{
    /* jansson says nothing when it cannot allocate a member: a document built then lacks a part, and
     * would be shown, or kept (c360doc.c) and served, as if whole (tests/faults) */
    unsigned long failures = rp_json_failures();
    *out = NULL;
    int rc = c360_build(w, party, flags, out, err);
    if (!rc && (!*out || rp_json_failures() != failures)) {
        json_decref(*out);
        *out = NULL;
        return rp_err(err, RP_NOMEM, "the 360 of customer %lld: %s", (long long)party, rp_strerror(RP_NOMEM));
    }
    return rc;
}

/* What was typed, in the form of the name keys (migration 0011): blanks
 * out; an all-ASCII text upper-cased with hyphens, commas, full stops and
 * apostrophes out too.  "" if nothing is left. */
static void name_key_of(const char *text, char *out, size_t n)
{
    int ascii = 1;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p >= 0x80)
            ascii = 0;
    size_t o = 0;
    for (const char *p = text; *p && o + 4 < n; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ' || c == '\t')
            continue;
        if (!strncmp(p, "\xE3\x80\x80", 3)) { /* U+3000, the full-width space */
            p += 2;
            continue;
        }
        if (ascii) {
            if (c == '-' || c == ',' || c == '.' || c == '\'')
                continue;
            c = (unsigned char)toupper(c);
        }
        out[o++] = (char)c;
    }
    out[o] = 0;
}

/* A birth year, month or day as the store writes them: 1985, 1985-03, 1985-03-14. */
static int born_ok(const char *b)
{
    static const char shape[] = "dddd-dd-dd";
    size_t n = strlen(b);
    if (n != 4 && n != 7 && n != 10)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (shape[i] == 'd' ? !isdigit((unsigned char)b[i]) : b[i] != '-')
            return 0;
    return 1;
}

/* Add to ids (at most limit, no repeats) the customers of parties with a
 * key of this rank starting with key; with a branch, only customers whose
 * home branch it is (the customer's: the person a source party is merged
 * into), so that the limit counts that branch's. */
static int name_keys_scan(wh *w, int rank, const char *key, const char *branch, const char *born, int64_t *ids,
                          int *nid, int limit, rp_error *err)
{
    char hi[600], like[16];
    snprintf(hi, sizeof hi, "%.500s\xF4\x8F\xBF\xBF", key); /* after every key that starts with key */
    snprintf(like, sizeof like, "%.10s%%", born ? born : "");
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT c.id FROM party_name_key k JOIN party p ON p.id = k.party_id "
                              "JOIN party c ON c.id = coalesce(p.merged_into, p.id) "
                              "WHERE k.rank = ?1 AND k.key >= ?2 AND k.key < ?3 "
                              "AND (CAST(?5 AS TEXT) IS NULL OR c.home_branch = ?5) "
                              "AND (CAST(?6 AS TEXT) IS NULL OR c.birth_date LIKE ?6) "
                              "ORDER BY k.key LIMIT ?4",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, rank);
    rp_stmt_bind_text(st, 2, key);
    rp_stmt_bind_text(st, 3, hi);
    rp_stmt_bind_int(st, 4, 4 * (int64_t)limit);
    if (branch)
        rp_stmt_bind_text(st, 5, branch);
    else
        rp_stmt_bind_null(st, 5);
    if (born)
        rp_stmt_bind_text(st, 6, like);
    else
        rp_stmt_bind_null(st, 6);
    while (*nid < limit && (rc = rp_stmt_step(st, err)) == RP_ROW) {
        int64_t id = rp_stmt_int(st, 0);
        int seen = 0;
        for (int i = 0; i < *nid && !seen; i++)
            seen = ids[i] == id;
        if (!seen)
            ids[(*nid)++] = id;
    }
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

int wh_search_name(wh *w, const char *text, const char *alt, const char *branch, const char *born, int limit,
                   json_t **out, rp_error *err)
{
    size_t n = text ? strlen(text) : 0;
    if (!n || n > 100)
        return rp_err(err, RP_INVAL, "name: 1 to 100 bytes to search for");
    if (limit <= 0 || limit > 1000)
        limit = 50;
    if (born && !born_ok(born))
        return rp_err(err, RP_INVAL, "born: a year (1985), a month (1985-03) or a day (1985-03-14)");
    char keys[2][256];
    name_key_of(text, keys[0], sizeof keys[0]);
    keys[1][0] = 0;
    if (alt && strlen(alt) <= 100)
        name_key_of(alt, keys[1], sizeof keys[1]);
    if (!strcmp(keys[0], keys[1]))
        keys[1][0] = 0;
    if (branch && !*branch) { /* a scope of no branch holds no customer */
        *out = json_array();
        return RP_OK;
    }
    int64_t *ids = malloc((size_t)limit * sizeof *ids);
    if (!ids)
        return rp_err(err, RP_NOMEM, "out of memory");
    int nid = 0, rc = RP_OK;
    /* whole names first, then given names, then any later part */
    for (int rank = 0; rank <= 2 && !rc; rank++)
        for (int k = 0; k < 2 && !rc; k++)
            if (keys[k][0])
                rc = name_keys_scan(w, rank, keys[k], branch, born, ids, &nid, limit, err);
    json_t *a = json_array();
    for (int i = 0; i < nid && !rc; i++) {
        rp_stmt *st;
        if ((rc = rp_store_prepare(w->store,
                                   "SELECT id, name_zh, name_latin, birth_date, home_branch, status FROM party WHERE id = ?",
                                   &st, err)))
            break;
        rp_stmt_bind_int(st, 1, ids[i]);
        if ((rc = rp_stmt_step(st, err)) == RP_ROW)
            json_array_append_new(a, json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:s}", "id",
                                               (json_int_t)rp_stmt_int(st, 0), "name_zh", rp_stmt_text(st, 1),
                                               "name_latin", rp_stmt_text(st, 2), "birth_date", rp_stmt_text(st, 3),
                                               "home_branch", rp_stmt_text(st, 4), "status", rp_stmt_text(st, 5)));
        rp_stmt_done(st);
        if (rc == RP_ROW || rc == RP_DONE)
            rc = RP_OK;
    }
    free(ids);
    if (rc) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return RP_OK;
}

int wh_c360_catch_up(wh *w, int64_t *gone, rp_error *err)
{
    if (gone)
        *gone = 0;
    rp_stmt *st;
    int64_t upto, top = 0;
    int rc = rp_store_meta_int(w->store, "c360_txn_upto", &upto, err);
    int rows = wh__txn_rows(w); /* PostgreSQL: txn a table (its 0033), not blocks */
    if (rc || (rc = wh__txn_top(w, &top, err)))
        return rc;
    if (top <= upto)
        return RP_OK;
    if ((rc = rp_store_begin(w->store, err)))
        return rc;
    if ((rc = rp_store_prepare(w->store,
                               rows ? "DELETE FROM c360_doc WHERE EXISTS (SELECT 1 FROM c360_dep_account) AND person IN "
                                      "(SELECT d.person FROM c360_dep_account d "
                                      "WHERE d.account IN (SELECT DISTINCT account_id FROM txn WHERE id > ?1 AND id <= ?2))"
                                    : "DELETE FROM c360_doc WHERE EXISTS (SELECT 1 FROM c360_dep_account) AND person IN "
                                      "(SELECT d.person FROM c360_dep_account d "
                                      "WHERE d.account IN (SELECT DISTINCT account_id FROM txn_block "
                                      "WHERE id > ?1 - 4096 AND id + n - 1 > ?1 AND id <= ?2))",
                               &st, err)))
        goto out;
    rp_stmt_bind_int(st, 1, upto);
    rp_stmt_bind_int(st, 2, top);
    if ((rc = rp_stmt_run(st, err)))
        goto out;
    if (gone)
        *gone = rp_store_changes(w->store);
    if ((rc = rp_store_meta_set_int(w->store, "c360_txn_upto", top, err)))
        goto out;
    return rp_store_commit(w->store, err);
out:
    rp_store_rollback(w->store);
    return rc;
}
