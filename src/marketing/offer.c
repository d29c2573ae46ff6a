/* offer.c — offers: a product with an incentive, a cost per contact, a value when taken up and an
 * eligibility rule (table offer).  See marketing.h. */
#include "marketing/internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* ---- helpers the module's files share ---- */

int mk__code_ok(const char *field, const char *v, rp_error *err)
{
    size_t n = v ? strlen(v) : 0;
    if (!n)
        return rp_err(err, RP_INVAL, "%s: a code is needed", field);
    if (n > 32)
        return rp_err(err, RP_INVAL, "%s: '%.40s...' is longer than 32 bytes", field, v);
    for (const char *p = v; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
            return rp_err(err, RP_INVAL, "%s: '%s' may hold only letters, digits, '-' and '_'", field, v);
    return RP_OK;
}

int mk__text_ok(const char *field, const char *v, size_t max, int required, rp_error *err)
{
    if (!v || !*v)
        return required ? rp_err(err, RP_INVAL, "%s: is required", field) : RP_OK;
    if (strlen(v) > max)
        return rp_err(err, RP_INVAL, "%s: longer than %zu bytes", field, max);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 && *p != '\t')
            return rp_err(err, RP_INVAL, "%s: holds a control character", field);
    return RP_OK;
}

int mk__index(const char *v, const char *const *list)
{
    for (int i = 0; v && list[i]; i++)
        if (!strcmp(v, list[i]))
            return i;
    return -1;
}

void mk__now(char out[RP_TIME_UTC_LEN]) { rp_time_format_utc(rp_now(), out); }

/* ---- offers ---- */

static int offer_check(wh *w, const mk_offer *o, char dfrom[11], const char **from, char dto[11], const char **to,
                       rp_error *err)
{
    int rc, exists;
    if ((rc = mk__code_ok("offer.code", o->code, err)) || (rc = mk__text_ok("offer.name", o->name, 200, 1, err)) ||
        (rc = mk__text_ok("offer.incentive", o->incentive, 500, 0, err)) ||
        (rc = mk__text_ok("offer.eligibility", o->eligibility, 8192, 0, err)) ||
        (rc = wh_date_normalise("offer.valid_from", o->valid_from, dfrom, from, err)) ||
        (rc = wh_date_normalise("offer.valid_to", o->valid_to, dto, to, err)))
        return rc;
    if (!o->product || !*o->product)
        return rp_err(err, RP_INVAL, "offer.product: an offer is of a product; none was given");
    if ((rc = wh_product_find(w, o->product, NULL, 0, NULL, &exists, err)))
        return rc;
    if (!exists)
        return rp_err(err, RP_INVAL, "offer.product: no product '%.40s' in the catalogue", o->product);
    if (o->currency && *o->currency && (strlen(o->currency) != 3 || wh_currency_exponent(o->currency) < 0))
        return rp_err(err, RP_INVAL, "offer.currency: '%.10s' is not an ISO 4217 code", o->currency);
    if (o->cost_minor < 0)
        return rp_err(err, RP_INVAL, "offer.cost: a cost may not be negative");
    if (*from && *to && strcmp(*to, *from) < 0)
        return rp_err(err, RP_INVAL, "offer.valid_to: %s is before valid_from (%s)", *to, *from);
    if (o->eligibility && *o->eligibility) {
        an_rule *r;
        if ((rc = an_rule_parse(o->eligibility, "offer.eligibility", &r, err)))
            return rc;
        an_rule_free(r);
    }
    return RP_OK;
}

int mk_offer_put(wh *w, const mk_offer *o, const char *by, int *created, rp_error *err)
{
    char dfrom[11], dto[11], now[RP_TIME_UTC_LEN];
    const char *from, *to;
    int rc = offer_check(w, o, dfrom, &from, dto, &to, err);
    if (rc)
        return rc;
    mk__now(now);
    rp_stmt *st;
    if ((rc = rp_store_prepare(wh_store(w), "SELECT 1 FROM offer WHERE code = ?", &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, o->code);
    rc = rp_stmt_step(st, err);
    rp_stmt_done(st);
    if (rc != RP_ROW && rc != RP_DONE)
        return rc;
    if (created)
        *created = rc == RP_DONE;
    if ((rc = rp_store_prepare(wh_store(w),
                               "INSERT INTO offer(code, name, product, incentive, currency, cost_minor, value_minor, "
                               "eligibility, valid_from, valid_to, created_at, created_by, updated_at) "
                               "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?11) ON CONFLICT(code) DO UPDATE SET "
                               "name = ?2, product = ?3, incentive = ?4, currency = ?5, cost_minor = ?6, "
                               "value_minor = ?7, eligibility = ?8, valid_from = ?9, valid_to = ?10, updated_at = ?11",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, o->code);
    rp_stmt_bind_text(st, 2, o->name);
    rp_stmt_bind_text(st, 3, o->product);
    rp_stmt_bind_text(st, 4, o->incentive && *o->incentive ? o->incentive : NULL);
    rp_stmt_bind_text(st, 5, o->currency && *o->currency ? o->currency : "TWD");
    rp_stmt_bind_int(st, 6, o->cost_minor);
    rp_stmt_bind_int(st, 7, o->value_minor);
    rp_stmt_bind_text(st, 8, o->eligibility && *o->eligibility ? o->eligibility : NULL);
    rp_stmt_bind_text(st, 9, from);
    rp_stmt_bind_text(st, 10, to);
    rp_stmt_bind_text(st, 11, now);
    rp_stmt_bind_text(st, 12, by ? by : "");
    return rp_stmt_run(st, err);
}

static const char *const offer_cols[] = { "code", "name", "product", "incentive", "currency", "cost_minor",
                                          "value_minor", "eligibility", "valid_from", "valid_to", "created_at",
                                          "created_by", "updated_at" };
#define OFFER_SELECT                                                                                          \
    "SELECT code, name, product, incentive, currency, cost_minor, value_minor, eligibility, valid_from, valid_to, " \
    "created_at, created_by, updated_at FROM offer "

static int money_json(json_t *o, const char *name, int64_t minor, const char *currency)
{
    int e = wh_currency_exponent(currency);
    double scale = 1;
    for (int i = 0; i < (e < 0 ? 2 : e); i++)
        scale *= 10;
    return json_object_set_new(o, name, json_real((double)minor / scale));
}

static int offer_row(wh *w, rp_stmt *st, json_t **out, rp_error *err)
{
    json_t *o = json_object();
    for (int c = 0; c < 13; c++) {
        if (rp_stmt_column_type(st, c) == RP_COL_NULL)
            json_object_set_new(o, offer_cols[c], json_null());
        else if (c == 5 || c == 6)
            json_object_set_new(o, offer_cols[c], json_integer(rp_stmt_int(st, c)));
        else
            json_object_set_new(o, offer_cols[c], json_string(rp_stmt_text(st, c)));
    }
    const char *cur = rp_stmt_text(st, 4);
    money_json(o, "cost", rp_stmt_int(st, 5), cur);
    money_json(o, "value", rp_stmt_int(st, 6), cur);
    char name[256] = "", kind[16] = "";
    int exists;
    int rc = wh_product_find(w, rp_stmt_text(st, 2), name, sizeof name, kind, &exists, err);
    if (rc) {
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "product_name", exists ? json_string(name) : json_null());
    json_object_set_new(o, "kind", exists ? json_string(kind) : json_null());
    *out = o;
    return RP_OK;
}

int mk_offer_get(wh *w, const char *code, json_t **out, rp_error *err)
{
    rp_stmt *st;
    *out = NULL;
    int rc = rp_store_prepare(wh_store(w), OFFER_SELECT "WHERE code = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        rc = offer_row(w, st, out, err);
    else if (rc == RP_DONE)
        rc = rp_err(err, RP_NOTFOUND, "no offer '%.40s'", code ? code : "");
    rp_stmt_done(st);
    return rc;
}

int mk_offer_list(wh *w, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), OFFER_SELECT "ORDER BY code", &st, err);
    if (rc)
        return rc;
    json_t *arr = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        json_t *o;
        if ((rc = offer_row(w, st, &o, err)))
            break;
        json_array_append_new(arr, o);
    }
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return RP_OK;
}
