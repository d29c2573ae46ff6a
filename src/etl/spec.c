/* spec.c — reading and checking source specifications.  See spec.h and
 * docs/etl.md. */
#include "etl/spec.h"
#include "etl/rules.h"
#include "core/buf.h"
#include "core/json.h"
#include "warehouse/warehouse.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- attribute tables of the targets ---- */

/* The party's attributes (WH_PARTY_ATTRS) after its key in the source. */
static const char *const attrs_party[] = { "key", WH_PARTY_ATTRS(WH_ATTR_NAME) NULL };
_Static_assert(WH_NPARTY_ATTRS + 1 <= SP_MAX_ATTRS, "a party's attributes outnumber SP_MAX_ATTRS");
static const char *const attrs_identifier[] = { "type", "issuer", "value", "valid_from", NULL };
static const char *const attrs_contact[] = { "kind",     "purpose", "value",   "postal_code",
                                             "county",   "district", "primary", "country", NULL };
static const char *const attrs_account[] = { "number", "product", "branch", "currency", "opened_on",
                                             "closed_on", "status", "balance", "limit", "balance_at",
                                             "interest_rate", "accrued_interest", "matures_on", NULL };
static const char *const attrs_role[] = { "role", "since", NULL };
static const char *const attrs_link[] = { "kind", "since", NULL };
static const char *const attrs_txn[] = { "posted_at", "value_date", "amount", "currency", "channel",
                                         "class", "description", "counterparty", "key", "quantity",
                                         "item", NULL };
static const char *const attrs_interaction[] = { "at", "channel", "direction", "staff", "reason",
                                                 "outcome", "notes", "kind", "resolved_at", NULL };
static const char *const attrs_staff[] = { "employee_no", "since", "until", NULL };
static const char *const attrs_manager[] = { "manager", "since", NULL };
static const char *const attrs_dnc[] = { "value", "channel", "reason", "since", "until", "note", NULL };
static const char *const attrs_consent[] = { "purpose", "channel", "granted", "evidence",
                                             "effective_at", NULL };
static const char *const attrs_activity[] = { "at", "kind", "channel", "detail", "amount",
                                              "currency", "key", NULL };
static const char *const attrs_call[] = { "call_id", "arrival", "caller", "ivr_path", "queue",
                                          "wait_s", "talk_s", "wrap_s", "abandoned", "agent",
                                          "reason", NULL };
static const char *const attrs_call_note[] = { "call_id", "note", "category", "at", "agent", NULL };
static const char *const attrs_campaign[] = { "code", "name", "offer", "channel", "start_date",
                                              "end_date", "response_deadline", NULL };
static const char *const attrs_campaign_target[] = { "campaign", "group", "contacted_at", "channel",
                                                     NULL };
static const char *const attrs_campaign_response[] = { "campaign", "response", "responded_at",
                                                       NULL };
static const char *const attrs_product[] = { "code", "name_zh", "name_en", "description", "kind",
                                             "category", "currency", "monthly_cost", "monthly_revenue",
                                             "sales_priority", "launched_on", "withdrawn_on", NULL };
static const char *const attrs_branch[] = { "code", "name_zh", "name_en", "county", "district",
                                            "address", "postal_code", "phone", "opened_on", NULL };

static const char *const attrs_statement[] = { "date", "due_date", "previous_balance", "purchases",
                                               "cash_advances", "interest_fees", "payments", "balance", "limit",
                                               "minimum_due", "days_past_due", NULL };

static const struct {
    const char *name;
    const char *const *attrs;
    const char *required[4];
    int party, party2, account; /* which references it takes: 0 no, 1 yes, 2 optional */
} kinds[TG__COUNT] = {
    [TG_PARTY] = { "party", attrs_party, { "key", "kind" }, 0, 0, 0 },
    [TG_IDENTIFIER] = { "identifier", attrs_identifier, { "type", "value" }, 1, 0, 0 },
    [TG_CONTACT] = { "contact", attrs_contact, { "kind", "value" }, 1, 0, 0 },
    [TG_ACCOUNT] = { "account", attrs_account, { "number", "product", "opened_on" }, 0, 0, 0 },
    [TG_ROLE] = { "role", attrs_role, { "role" }, 1, 0, 1 },
    [TG_LINK] = { "link", attrs_link, { "kind" }, 1, 1, 0 },
    [TG_TXN] = { "transaction", attrs_txn, { "posted_at", "amount", "channel", "class" }, 0, 0, 1 },
    [TG_INTERACTION] = { "interaction", attrs_interaction, { "channel" }, 1, 0, 0 },
    [TG_CONSENT] = { "consent", attrs_consent, { "purpose", "channel", "granted" }, 1, 0, 0 },
    [TG_ACTIVITY] = { "activity", attrs_activity, { "at", "kind", "key" }, 1, 0, 0 },
    [TG_CALL] = { "call", attrs_call, { "call_id", "arrival" }, 2, 0, 0 },
    [TG_CALL_NOTE] = { "call_note", attrs_call_note, { "call_id", "note" }, 0, 0, 0 },
    [TG_CAMPAIGN] = { "campaign", attrs_campaign, { "code", "name" }, 0, 0, 0 },
    [TG_CAMPAIGN_TARGET] = { "campaign_target", attrs_campaign_target, { "campaign", "group" }, 1, 0, 0 },
    [TG_CAMPAIGN_RESPONSE] = { "campaign_response", attrs_campaign_response, { "campaign", "response" },
                               1, 0, 0 },
    [TG_BRANCH] = { "branch", attrs_branch, { "code", "name_zh" }, 0, 0, 0 },
    [TG_PRODUCT] = { "product", attrs_product, { "code", "name_zh", "kind", "category" }, 0, 0, 0 },
    [TG_STATEMENT] = { "statement", attrs_statement, { "date", "balance" }, 0, 0, 1 },
    [TG_STAFF] = { "staff", attrs_staff, { "employee_no" }, 1, 0, 0 },
    [TG_DNC] = { "do_not_contact", attrs_dnc, { "reason", "since" }, 2, 0, 0 },
    [TG_MANAGER] = { "manager", attrs_manager, { "manager" }, 1, 0, 0 },
};

const char *sp_target_name(sp_target_kind k) { return k < TG__COUNT ? kinds[k].name : "?"; }

int sp_attr_index(sp_target_kind k, const char *name)
{
    for (int i = 0; kinds[k].attrs[i]; i++)
        if (strcmp(kinds[k].attrs[i], name) == 0)
            return i;
    return -1;
}

/* ---- helpers ---- */

static char *dupstr(const char *s)
{
    char *d = strdup(s ? s : "");
    return d;
}

int sp_field_index(const sp_spec *s, const char *name)
{
    for (int i = 0; i < s->nfields; i++)
        if (strcmp(s->fields[i].name, name) == 0)
            return i;
    return -1;
}

static int str_list(const json_t *v, const char *path, char ***out, int *n, rp_error *err)
{
    *out = NULL;
    *n = 0;
    if (!v)
        return RP_OK;
    if (json_is_string(v)) {
        *out = calloc(1, sizeof **out);
        if (!*out || !((*out)[0] = dupstr(json_string_value(v))))
            return rp_err(err, RP_NOMEM, NULL);
        *n = 1;
        return RP_OK;
    }
    if (!json_is_array(v))
        return rp_err(err, RP_INVAL, "%s: a string or an array of strings is needed", path);
    size_t k = json_array_size(v);
    if (k > 4096)
        return rp_err(err, RP_TOOBIG, "%s: more than 4096 entries", path);
    *out = calloc(k + 1, sizeof **out);
    if (!*out)
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < k; i++) {
        const json_t *e = json_array_get(v, i);
        if (!json_is_string(e) && !json_is_integer(e))
            return rp_err(err, RP_INVAL, "%s[%zu]: a string is needed", path, i);
        char num[32];
        if (json_is_integer(e))
            snprintf(num, sizeof num, "%lld", (long long)json_integer_value(e));
        (*out)[i] = dupstr(json_is_string(e) ? json_string_value(e) : num);
        if (!(*out)[i])
            return rp_err(err, RP_NOMEM, NULL);
        (*n)++;
    }
    return RP_OK;
}

void sp_free_list(char **l, int n)
{
    for (int i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

/* On an error, what was read is released: *out NULL, *n 0 (a caller that keeps the list in a spec
 * and one that holds it for a moment alike). */
int sp_str_list(const json_t *v, const char *path, char ***out, int *n, rp_error *err)
{
    int rc = str_list(v, path, out, n, err);
    if (rc) {
        sp_free_list(*out, *n);
        *out = NULL, *n = 0;
    }
    return rc;
}

static int copy_str(const json_t *o, const char *path, const char *key, int required, char *out,
                    size_t n, rp_error *err)
{
    const char *v = NULL;
    int rc = rp_json_get_str(o, path, key, required, &v, err);
    if (rc)
        return rc;
    if (v) {
        if (strlen(v) >= n)
            return rp_err(err, RP_TOOBIG, "%s%s%s: longer than %zu bytes", path, *path ? "." : "", key,
                          n - 1);
        snprintf(out, n, "%s", v);
    }
    return RP_OK;
}

/* ---- fields ---- */

static int is_copybook_format(sp_format f) { return f == SPF_RDW || f == SPF_FIXED; }
static int is_column_format(sp_format f)
{
    return f == SPF_CSV || f == SPF_DELIMITED || f == SPF_WHITESPACE;
}

/* "from": a column (by name or number), a copybook field or a JSON member */
static int parse_from(sp_spec *s, sp_field *f, const json_t *from, const char *path, rp_error *err)
{
    f->src = SRC_FROM;
    if (json_is_integer(from)) {
        if (json_integer_value(from) < 1 || json_integer_value(from) > RD_MAX_FIELDS)
            return rp_err(err, RP_INVAL, "%s.from: column %lld is not from 1 to %d", path,
                          (long long)json_integer_value(from), RD_MAX_FIELDS);
        f->column = (int)json_integer_value(from) - 1;
        snprintf(f->from, sizeof f->from, "%lld", (long long)json_integer_value(from));
    } else if (json_is_string(from) && *json_string_value(from)) {
        if (strlen(json_string_value(from)) >= sizeof f->from)
            return rp_err(err, RP_TOOBIG, "%s.from: too long", path);
        snprintf(f->from, sizeof f->from, "%s", json_string_value(from));
    } else {
        return rp_err(err, RP_INVAL, "%s.from: a column name, a column number, a copybook field "
                      "or a JSON member is needed", path);
    }
    if (is_copybook_format(s->format) && s->layout) {
        f->cb = cb_find(s->layout, f->from);
        for (int i = 0; !f->cb && s->nsegments && i < s->nrecords; i++) /* a segment's field: its record's */
            if ((f->cb = cb_find(s->records[i], f->from)))
                f->book_ix = i;
        if (!f->cb || f->cb->filler)
            return rp_err(err, RP_INVAL, "%s.from: no field '%s' in copybook %s", path, f->from,
                          s->copybook);
    } else if (is_copybook_format(s->format) || s->format == SPF_COLUMNS) {
        return rp_err(err, RP_INVAL, "%s.from: this format takes %s", path,
                      s->format == SPF_COLUMNS ? "start and length" : "copybook field names");
    } else if (is_column_format(s->format) && !s->header && f->column < 0) {
        return rp_err(err, RP_INVAL, "%s.from: the file has no header, so a column number "
                      "(1, 2, ...) is needed", path);
    }
    return RP_OK;
}

/* "concat": earlier fields and =literals, joined by "sep" */
static int parse_concat(sp_spec *s, sp_field *f, const json_t *o, const json_t *concat, int idx,
                        const char *path, rp_error *err)
{
    f->src = SRC_CONCAT;
    if (!json_is_array(concat) || json_array_size(concat) < 1 || json_array_size(concat) > 16)
        return rp_err(err, RP_INVAL, "%s.concat: an array of 1 to 16 field names or =literals is needed",
                      path);
    f->nparts = (int)json_array_size(concat);
    f->parts = calloc((size_t)f->nparts, sizeof *f->parts);
    if (!f->parts)
        return rp_err(err, RP_NOMEM, NULL);
    for (int i = 0; i < f->nparts; i++) {
        const char *p = json_string_value(json_array_get(concat, (size_t)i));
        if (!p)
            return rp_err(err, RP_INVAL, "%s.concat[%d]: a string is needed", path, i);
        if (*p == '=') {
            f->parts[i].field = -1;
            if (!(f->parts[i].lit = dupstr(p + 1)))
                return rp_err(err, RP_NOMEM, NULL);
        } else if ((f->parts[i].field = sp_field_index(s, p)) < 0 || f->parts[i].field >= idx) {
            return rp_err(err, RP_INVAL, "%s.concat[%d]: no earlier field '%s'", path, i, p);
        }
    }
    const char *sep = NULL;
    if (rp_json_get_str(o, path, "sep", 0, &sep, err))
        return err->code;
    if (!(f->sep = dupstr(sep ? sep : "")))
        return rp_err(err, RP_NOMEM, NULL);
    return RP_OK;
}

/* Where the value comes from: exactly one of from, start, value, concat, record. */
static int parse_source(sp_spec *s, sp_field *f, const json_t *o, int idx, const char *path, rp_error *err)
{
    json_t *from = json_object_get(o, "from"), *start = json_object_get(o, "start"),
           *value = json_object_get(o, "value"), *concat = json_object_get(o, "concat"),
           *record = json_object_get(o, "record");
    if (!!from + !!start + !!value + !!concat + !!record != 1)
        return rp_err(err, RP_INVAL, "%s: exactly one of from, start, value, concat, record is needed",
                      path);
    if (from)
        return parse_from(s, f, from, path, err);
    if (concat)
        return parse_concat(s, f, o, concat, idx, path, err);
    if (start) {
        int64_t st = 0, len = 0;
        if (rp_json_get_int(o, path, "start", 1, &st, err) || rp_json_get_int(o, path, "length", 1, &len, err))
            return err->code;
        if (st < 1 || len < 1 || st + len > (1 << 20))
            return rp_err(err, RP_INVAL, "%s: start %lld and length %lld must be positive (start counts "
                          "from 1)", path, (long long)st, (long long)len);
        if (is_column_format(s->format) || s->format == SPF_JSONL)
            return rp_err(err, RP_INVAL, "%s.start: positions are for fixed-width formats", path);
        f->src = SRC_POSITION;
        f->start = (int)st - 1;
        f->length = (int)len;
    } else if (value) {
        f->src = SRC_CONST;
        if (!json_is_string(value))
            return rp_err(err, RP_INVAL, "%s.value: a string is needed", path);
        if (!(f->constant = dupstr(json_string_value(value))))
            return rp_err(err, RP_NOMEM, NULL);
    } else {
        const char *r = json_string_value(record);
        f->src = r && !strcmp(r, "number") ? SRC_RECORD : r && !strcmp(r, "hash") ? SRC_HASH
               : r && !strcmp(r, "file") ? SRC_FILE : SRC_CONST;
        if (f->src == SRC_CONST)
            return rp_err(err, RP_INVAL, "%s.record: one of number, hash, file is needed", path);
    }
    return RP_OK;
}

/* "type" and what it reads: decimals, currency, zone, date, time ... */
static int parse_country(sp_spec *s, sp_field *f, const json_t *o, const char *path, rp_error *err);

static int parse_type(sp_spec *s, sp_field *f, const json_t *o, const char *path, rp_error *err)
{
    const char *type = "text";
    if (rp_json_get_str(o, path, "type", 0, &type, err))
        return err->code;
    int t = -1;
    char all[200] = "";
    for (int i = 0; i < FT__COUNT; i++) {
        if (strcmp(sp_field_types[i].name, type) == 0)
            t = i;
        snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s", i ? ", " : "", sp_field_types[i].name);
    }
    if (t < 0)
        return rp_err(err, RP_INVAL, "%s.type: '%s' is not one of %s", path, type, all);
    f->type = (sp_type)t;
    if (rp_json_get_bool(o, path, "clean", 0, &f->clean, err) ||
        rp_json_get_bool(o, path, "negate", 0, &f->negate, err) ||
        rp_json_get_bool(o, path, "implied", 0, &f->implied, err) ||
        rp_json_get_bool(o, path, "optional", 0, &f->optional, err) ||
        rp_json_get_bool(o, path, "may_be_absent", 0, &f->may_be_absent, err))
        return err->code;
    const char *inv = NULL;
    if (rp_json_get_str(o, path, "on_invalid", 0, &inv, err))
        return err->code;
    if (inv && strcmp(inv, "empty") && strcmp(inv, "reject"))
        return rp_err(err, RP_INVAL, "%s.on_invalid: 'empty' (a value refused is no value, counted) or 'reject' "
                      "(the record is refused: the default) is needed", path);
    f->on_invalid_empty = inv && !strcmp(inv, "empty");
    int64_t dec = -1;
    if (rp_json_get_int(o, path, "decimals", 0, &dec, err))
        return err->code;
    if (dec < -1 || dec > 9)
        return rp_err(err, RP_INVAL, "%s.decimals: %lld is not from 0 to 9", path, (long long)dec);
    f->decimals = (int)dec;
    if (f->implied && f->decimals < 0)
        return rp_err(err, RP_INVAL, "%s.implied: needs decimals", path);
    if (copy_str(o, path, "currency", 0, f->currency, sizeof f->currency, err) ||
        copy_str(o, path, "zone", 0, f->zone, sizeof f->zone, err))
        return err->code;
    f->exponent = wh_currency_exponent(f->currency);
    if (f->exponent < 0)
        return rp_err(err, RP_INVAL, "%s.currency: '%s' is not an ISO 4217 currency", path, f->currency);
    if (strcmp(f->zone, "Z") && !(strlen(f->zone) == 6 && (f->zone[0] == '+' || f->zone[0] == '-') &&
                                 f->zone[3] == ':'))
        return rp_err(err, RP_INVAL, "%s.zone: '%s' is not Z or an offset such as +08:00", path, f->zone);
    const char *df = NULL;
    if (rp_json_get_str(o, path, "date", 0, &df, err))
        return err->code;
    if (df) {
        if (!strcmp(df, "roc"))
            f->datefmt = DF_ROC;
        else if (!strcmp(df, "yyyymmdd"))
            f->datefmt = DF_YYYYMMDD;
        else if (!strcmp(df, "auto"))
            f->datefmt = DF_AUTO;
        else
            return rp_err(err, RP_INVAL, "%s.date: '%s' is not one of roc, yyyymmdd, auto", path, df);
    }
    const char *tf = NULL;
    if (rp_json_get_str(o, path, "time", 0, &tf, err))
        return err->code;
    if (tf) {
        if (f->type != FT_DATETIME)
            return rp_err(err, RP_INVAL, "%s.time: only a datetime field takes a time field", path);
        if ((f->time_field = sp_field_index(s, tf)) < 0)
            return rp_err(err, RP_INVAL, "%s.time: no earlier field '%s'", path, tf);
    }
    return parse_country(s, f, o, path, err);
}

/* "country": the country a phone field's numbers are written as at home in, "=AU" or an earlier field's */
static int parse_country(sp_spec *s, sp_field *f, const json_t *o, const char *path, rp_error *err)
{
    const char *c = NULL;
    if (rp_json_get_str(o, path, "country", 0, &c, err))
        return err->code;
    if (!c)
        return RP_OK;
    if (f->type != FT_PHONE)
        return rp_err(err, RP_INVAL, "%s.country: only a phone field is read by a country", path);
    if (*c == '=') {
        if (!c[1])
            return rp_err(err, RP_INVAL, "%s.country: '=' without a country code (=AU)", path);
        char fld[96];
        snprintf(fld, sizeof fld, "%s.country", path);
        return wh_country_ok(fld, c + 1, f->country, err);
    }
    if ((f->country_field = sp_field_index(s, c)) < 0)
        return rp_err(err, RP_INVAL, "%s.country: no earlier field '%s' (a country code is written \"=AU\")", path, c);
    return RP_OK;
}

/* "map", "strict" and "default": a code table */
static int parse_map(sp_field *f, const json_t *o, const char *path, rp_error *err)
{
    json_t *map = json_object_get(o, "map");
    if (map) {
        if (!json_is_object(map) || json_object_size(map) > 10000)
            return rp_err(err, RP_INVAL, "%s.map: an object of codes and what they mean is needed", path);
        size_t k = json_object_size(map);
        f->map_from = calloc(k + 1, sizeof *f->map_from);
        f->map_to = calloc(k + 1, sizeof *f->map_to);
        if (!f->map_from || !f->map_to)
            return rp_err(err, RP_NOMEM, NULL);
        const char *key;
        json_t *v;
        json_object_foreach(map, key, v)
        {
            if (!json_is_string(v) && !json_is_null(v))
                return rp_err(err, RP_INVAL, "%s.map.%s: a string or null is needed", path, key);
            f->map_from[f->nmap] = dupstr(key);
            f->map_to[f->nmap] = json_is_string(v) ? dupstr(json_string_value(v)) : NULL;
            f->nmap++;
            if (!f->map_from[f->nmap - 1] || (json_is_string(v) && !f->map_to[f->nmap - 1]))
                return rp_err(err, RP_NOMEM, NULL);
        }
        f->map_strict = 1;
        if (rp_json_get_bool(o, path, "strict", 0, &f->map_strict, err))
            return err->code;
    }
    json_t *def = json_object_get(o, "default");
    if (def) {
        if (!json_is_string(def) && !json_is_null(def))
            return rp_err(err, RP_INVAL, "%s.default: a string or null is needed", path);
        f->has_default = 1;
        if (json_is_string(def) && !(f->map_default = dupstr(json_string_value(def))))
            return rp_err(err, RP_NOMEM, NULL);
    }
    return RP_OK;
}

/* "cases": [pattern, value] pairs, the first that matches giving the value */
static int parse_cases(sp_field *f, const json_t *cases, const char *path, rp_error *err)
{
    if (!json_is_array(cases) || json_array_size(cases) < 1 || json_array_size(cases) > 100)
        return rp_err(err, RP_INVAL, "%s.cases: an array of 1 to 100 [pattern, value] pairs is needed", path);
    size_t k = json_array_size(cases);
    f->case_re = calloc(k, sizeof *f->case_re);
    f->case_to = calloc(k + 1, sizeof *f->case_to);
    if (!f->case_re || !f->case_to)
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < k; i++) {
        json_t *c = json_array_get(cases, i);
        const char *pat = json_string_value(json_array_get(c, 0));
        json_t *to = json_array_get(c, 1);
        if (!json_is_array(c) || json_array_size(c) != 2 || !pat || !(json_is_string(to) || json_is_null(to)))
            return rp_err(err, RP_INVAL, "%s.cases[%zu]: [\"pattern\", \"value\" or null] is needed", path, i);
        int e = regcomp(&f->case_re[i], pat, REG_EXTENDED | REG_NOSUB);
        if (e == REG_ESPACE)
            return rp_err(err, RP_NOMEM, "%s.cases[%zu]: %s", path, i, rp_strerror(RP_NOMEM));
        if (e) {
            char m[200];
            regerror(e, &f->case_re[i], m, sizeof m);
            return rp_err(err, RP_INVAL, "%s.cases[%zu]: '%s' is not a regular expression: %s", path, i, pat, m);
        }
        f->ncases++;
        if (json_is_string(to) && !(f->case_to[i] = dupstr(json_string_value(to))))
            return rp_err(err, RP_NOMEM, NULL);
    }
    return RP_OK;
}

/* "bands": [lower bound, label] pairs for an integer */
static int parse_bands(sp_field *f, const json_t *bands, const char *path, rp_error *err)
{
    if (!json_is_array(bands) || json_array_size(bands) < 1 || json_array_size(bands) > 100)
        return rp_err(err, RP_INVAL, "%s.bands: an array of 1 to 100 [lower bound, label] pairs is needed", path);
    size_t k = json_array_size(bands);
    f->band_from = calloc(k, sizeof *f->band_from);
    f->band_label = calloc(k + 1, sizeof *f->band_label);
    if (!f->band_from || !f->band_label)
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < k; i++) {
        json_t *b = json_array_get(bands, i);
        if (!json_is_array(b) || json_array_size(b) != 2 || !json_is_integer(json_array_get(b, 0)) ||
            !json_is_string(json_array_get(b, 1)))
            return rp_err(err, RP_INVAL, "%s.bands[%zu]: [lower bound, \"label\"] is needed", path, i);
        f->band_from[i] = json_integer_value(json_array_get(b, 0));
        f->band_label[i] = dupstr(json_string_value(json_array_get(b, 1)));
        f->nbands++;
        if (!f->band_label[i])
            return rp_err(err, RP_NOMEM, NULL);
        if (i && f->band_from[i] <= f->band_from[i - 1])
            return rp_err(err, RP_INVAL, "%s.bands[%zu]: lower bounds must rise", path, i);
    }
    if (f->type != FT_INTEGER)
        return rp_err(err, RP_INVAL, "%s.bands: only an integer field is banded", path);
    return RP_OK;
}

/* The rules written on the field, then those of its "rules" list. */
static int parse_field_rules(sp_spec *s, sp_field *f, const json_t *o, const char *path, rp_error *err)
{
    if (sp_rules_parse(s, f, o, path, 0, err))
        return err->code;
    json_t *rules = json_object_get(o, "rules");
    if (!rules)
        return RP_OK;
    if (!json_is_array(rules))
        return rp_err(err, RP_INVAL, "%s.rules: an array is needed", path);
    static const char *const when[] = { "when", NULL };
    const char *keys[32];
    sp_rule_members(when, keys, sizeof keys / sizeof keys[0]);
    for (size_t i = 0; i < json_array_size(rules); i++) {
        char p[300];
        snprintf(p, sizeof p, "%s.rules[%zu]", path, i);
        json_t *r = json_array_get(rules, i);
        if (!json_is_object(r))
            return rp_err(err, RP_INVAL, "%s: an object is needed", p);
        if (rp_json_check_keys(r, p, keys, err) || sp_rules_parse(s, f, r, p, 1, err))
            return err->code;
    }
    return RP_OK;
}

static int parse_field(sp_spec *s, const json_t *o, int idx, rp_error *err)
{
    /* and the rules' members (rules.h) */
    static const char *const field_keys[] = { "name", "from", "start", "length", "value", "concat", "sep",
                                              "record", "type", "clean", "map", "default", "strict", "date",
                                              "time", "decimals", "implied", "currency", "negate", "zone",
                                              "optional", "rules", "bands", "cases", "description", "may_be_absent", "on_invalid",
                                              "country", NULL };
    const char *keys[64];
    sp_rule_members(field_keys, keys, sizeof keys / sizeof keys[0]);
    char path[64];
    snprintf(path, sizeof path, "fields[%d]", idx);
    if (!json_is_object(o))
        return rp_err(err, RP_INVAL, "%s: an object is needed", path);
    if (rp_json_check_keys(o, path, keys, err))
        return err->code;
    sp_field *f = &s->fields[idx];
    memset(f, 0, sizeof *f);
    f->column = -1;
    f->time_field = -1;
    f->country_field = -1;
    f->decimals = -1;
    f->clean = 1;
    snprintf(f->zone, sizeof f->zone, "+08:00");
    snprintf(f->currency, sizeof f->currency, "TWD");
    if (copy_str(o, path, "name", 1, f->name, sizeof f->name, err))
        return err->code;
    if (sp_field_index(s, f->name) >= 0 && sp_field_index(s, f->name) < idx)
        return rp_err(err, RP_INVAL, "%s.name: '%s' is defined twice", path, f->name);
    snprintf(path, sizeof path, "fields[%d] (%s)", idx, f->name);
    json_t *cases = json_object_get(o, "cases"), *bands = json_object_get(o, "bands");
    if (parse_source(s, f, o, idx, path, err) || parse_type(s, f, o, path, err) || parse_map(f, o, path, err) ||
        (cases && parse_cases(f, cases, path, err)) || (bands && parse_bands(f, bands, path, err)) ||
        parse_field_rules(s, f, o, path, err))
        return err->code;
    return RP_OK;
}

/* ---- targets ---- */

static int parse_ref(sp_spec *s, const json_t *v, const char *path, int want_account, sp_ref *r,
                     rp_error *err)
{
    memset(r, 0, sizeof *r);
    r->field = -1;
    if (json_is_string(v) && strcmp(json_string_value(v), "$") == 0) {
        r->kind = 1;
        return RP_OK;
    }
    static const char *const party_keys[] = { "source", "key", "find", "optional", NULL };
    static const char *const acct_keys[] = { "number", "optional", NULL };
    if (!json_is_object(v))
        return rp_err(err, RP_INVAL, "%s: \"$\" (this record's %s) or an object is needed", path,
                      want_account ? "account" : "party");
    if (rp_json_check_keys(v, path, want_account ? acct_keys : party_keys, err) ||
        rp_json_get_bool(v, path, "optional", 0, &r->optional, err))
        return err->code;
    const char *key = NULL, *src = NULL;
    if (want_account) {
        r->kind = 3;
        if (rp_json_get_str(v, path, "number", 1, &key, err))
            return err->code;
    } else if (json_object_get(v, "find")) {
        r->kind = 4;
        if (rp_json_get_str(v, path, "find", 1, &key, err))
            return err->code;
    } else {
        r->kind = 2;
        if (rp_json_get_str(v, path, "key", 1, &key, err) || rp_json_get_str(v, path, "source", 0, &src, err))
            return err->code;
        snprintf(r->source, sizeof r->source, "%s", src ? src : s->source);
    }
    if ((r->field = sp_field_index(s, key)) < 0)
        return rp_err(err, RP_INVAL, "%s: no field '%s'", path, key);
    return RP_OK;
}

static int target_record(sp_spec *s, sp_target *t, const json_t *v, const char *path, rp_error *err);

static int parse_target(sp_spec *s, const json_t *o, int idx, int *has_party, int *has_account,
                        rp_error *err)
{
    char path[64];
    snprintf(path, sizeof path, "targets[%d]", idx);
    if (!json_is_object(o))
        return rp_err(err, RP_INVAL, "%s: an object is needed", path);
    sp_target *t = &s->targets[idx];
    memset(t, 0, sizeof *t);
    t->when_field = -1;
    const char *entity = NULL;
    if (rp_json_get_str(o, path, "entity", 1, &entity, err))
        return err->code;
    int k = -1;
    for (int i = 0; i < TG__COUNT; i++)
        if (strcmp(kinds[i].name, entity) == 0)
            k = i;
    if (k < 0) {
        char all[400] = "";
        for (int i = 0; i < TG__COUNT; i++)
            snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s", i ? ", " : "", kinds[i].name);
        return rp_err(err, RP_INVAL, "%s.entity: '%s' is not one of %s", path, entity, all);
    }
    t->kind = (sp_target_kind)k;
    snprintf(path, sizeof path, "targets[%d] (%s)", idx, entity);
    snprintf(t->source, sizeof t->source, "%s", s->source);
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)o, key, v)
    {
        if (!strcmp(key, "entity") || !strcmp(key, "record"))
            continue;
        char p[200];
        snprintf(p, sizeof p, "%s.%s", path, key);
        if (!strcmp(key, "source")) {
            if (!json_is_string(v) || strlen(json_string_value(v)) >= sizeof t->source)
                return rp_err(err, RP_INVAL, "%s: a source system code is needed", p);
            snprintf(t->source, sizeof t->source, "%s", json_string_value(v));
        } else if (!strcmp(key, "mode")) {
            const char *m = json_string_value(v);
            if (!m || (strcmp(m, "upsert") && strcmp(m, "insert")))
                return rp_err(err, RP_INVAL, "%s: upsert or insert is needed", p);
            if (t->kind != TG_PARTY && t->kind != TG_ACCOUNT)
                return rp_err(err, RP_INVAL, "%s: only parties and accounts are upserted", p);
            t->insert_only = !strcmp(m, "insert");
        } else if (!strcmp(key, "when")) {
            if (!json_is_string(v) || (t->when_field = sp_field_index(s, json_string_value(v))) < 0)
                return rp_err(err, RP_INVAL, "%s: the name of a field is needed", p);
        } else if (!strcmp(key, "party") || !strcmp(key, "to") || !strcmp(key, "account")) {
            int which = !strcmp(key, "party") ? 0 : !strcmp(key, "to") ? 1 : 2;
            int allowed = which == 0 ? kinds[k].party : which == 1 ? kinds[k].party2 : kinds[k].account;
            if (!allowed)
                return rp_err(err, RP_INVAL, "%s: a %s takes no %s", p, entity, key);
            sp_ref *r = which == 0 ? &t->party : which == 1 ? &t->party2 : &t->account;
            if (parse_ref(s, v, p, which == 2, r, err))
                return err->code;
            if (r->kind == 1 && which == 0 && !*has_party)
                return rp_err(err, RP_INVAL, "%s: \"$\" needs a party target before this one", p);
            if (r->kind == 1 && which == 2 && !*has_account)
                return rp_err(err, RP_INVAL, "%s: \"$\" needs an account target before this one", p);
            if (r->kind == 1 && which == 1)
                return rp_err(err, RP_INVAL, "%s: a link needs another party, by source and key", p);
        } else {
            int a = sp_attr_index(t->kind, key);
            if (a < 0) {
                char all[400] = "";
                for (int i = 0; kinds[k].attrs[i]; i++)
                    snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s", i ? ", " : "",
                             kinds[k].attrs[i]);
                return rp_err(err, RP_INVAL, "%s: a %s has no attribute '%s' (it has %s)", p, entity, key,
                              all);
            }
            if (json_is_null(v)) {
                t->has[a] = 1;
                t->attr[a].field = -1;
                continue;
            }
            if (!json_is_string(v))
                return rp_err(err, RP_INVAL, "%s: a field name or =literal is needed", p);
            const char *sv = json_string_value(v);
            t->has[a] = 1;
            if (*sv == '=') {
                t->attr[a].field = -1;
                if (!(t->attr[a].lit = dupstr(sv + 1)))
                    return rp_err(err, RP_NOMEM, NULL);
            } else if ((t->attr[a].field = sp_field_index(s, sv)) < 0) {
                return rp_err(err, RP_INVAL, "%s: no field '%s'", p, sv);
            }
        }
    }
    for (int i = 0; i < 4 && kinds[k].required[i]; i++)
        if (!t->has[sp_attr_index(t->kind, kinds[k].required[i])])
            return rp_err(err, RP_INVAL, "%s: '%s' is required", path, kinds[k].required[i]);
    if (kinds[k].party == 1 && !t->party.kind) {
        if (!*has_party)
            return rp_err(err, RP_INVAL, "%s.party: required (no party target comes before)", path);
        t->party.kind = 1;
    }
    if (kinds[k].party2 == 1 && !t->party2.kind)
        return rp_err(err, RP_INVAL, "%s.to: required", path);
    if (kinds[k].account == 1 && !t->account.kind) {
        if (!*has_account)
            return rp_err(err, RP_INVAL, "%s.account: required (no account target comes before)", path);
        t->account.kind = 1;
    }
    if (t->kind == TG_PARTY)
        *has_party = 1;
    if (t->kind == TG_ACCOUNT)
        *has_account = 1;
    return target_record(s, t, json_object_get(o, "record"), path, err);
}

/* record: with segments, the record a target is written from: a field of its own tests it (SRC_SEGMENT), and
 * the target is written when that field has a value, as for when. */
static int target_record(sp_spec *s, sp_target *t, const json_t *v, const char *path, rp_error *err)
{
    if (!s->nsegments)
        return v ? rp_err(err, RP_INVAL, "%s.record: only a spec with segments writes a target from one record",
                          path)
                 : RP_OK;
    const char *name = json_string_value(v);
    if (!name)
        return rp_err(err, RP_INVAL, "%s.record: with segments, each target names the record it is written from",
                      path);
    int ix = -1;
    for (int i = 0; i < s->nrecords; i++)
        if (!strcmp(s->records[i]->record, name))
            ix = i;
    if (ix < 0)
        return rp_err(err, RP_INVAL, "%s.record: '%s' is not one of the copybook's records", path, name);
    if (s->nfields >= SP_MAX_FIELDS)
        return rp_err(err, RP_INVAL, "%s.record: more than %d fields with the targets' record tests", path,
                      SP_MAX_FIELDS);
    sp_field *f = &s->fields[s->nfields];
    memset(f, 0, sizeof *f);
    snprintf(f->name, sizeof f->name, "(record %.50s)", name);
    f->src = SRC_SEGMENT;
    f->type = FT_TEXT;
    f->column = -1;
    f->time_field = -1;
    f->country_field = -1;
    f->seg = ix;
    f->seg_when = t->when_field;
    t->when_field = s->nfields++;
    return RP_OK;
}

/* ---- the document ---- */

static const struct {
    const char *name;
    sp_format f;
} formats[] = { { "rdw", SPF_RDW },         { "fixed", SPF_FIXED },           { "columns", SPF_COLUMNS },
                { "csv", SPF_CSV },         { "delimited", SPF_DELIMITED },   { "whitespace", SPF_WHITESPACE },
                { "jsonl", SPF_JSONL } };

/* The host code pages (EBCDIC CCSIDs) read as host records: Latin (037 US, 273 Germany, 277 Denmark and
 * Norway, 278 Finland and Sweden, 280 Italy, 284 Spain, 285 UK, 297 France, 500 international, 871
 * Iceland, 875 Greek, 1025 Cyrillic, 1026 Turkish, 1047 open systems, 1140-1149 the same with the euro)
 * and the DBCS ones with SO/SI (930 and 939 Japanese, 933 Korean, 935 Simplified Chinese, 937
 * Traditional Chinese, 1364 Korean, 1371 Traditional Chinese, 1388 Simplified Chinese, 1390 and 1399
 * Japanese). */
static const int ebcdic_ccsids[] = { 37,   273,  277,  278,  280,  284,  285,  297,  500,  871,  875,  930,
                                     933,  935,  937,  939,  1025, 1026, 1047, 1140, 1141, 1142, 1143, 1144,
                                     1145, 1146, 1147, 1148, 1149, 1364, 1371, 1388, 1390, 1399, 0 };

/* encoding: IBM-NNN (or IBMNNN, CPNNN) of a host code page, or any name this system's iconv knows (CP950,
 * BIG5-HKSCS, GB18030 ...); refused by name when iconv lacks it, here rather than at the first record. */
static int parse_encoding(sp_spec *s, const char *enc, rp_error *err)
{
    if (strlen(enc) >= sizeof s->encoding)
        return rp_err(err, RP_INVAL, "encoding: '%.40s' is not a code page's name", enc);
    const char *num = NULL;
    if (!strncasecmp(enc, "IBM-", 4))
        num = enc + 4;
    else if (!strncasecmp(enc, "IBM", 3))
        num = enc + 3;
    else if (!strncasecmp(enc, "CP", 2))
        num = enc + 2;
    int ccsid = 0;
    if (num && *num && strspn(num, "0123456789") == strlen(num) && strlen(num) <= 5)
        ccsid = atoi(num);
    s->ebcdic = 0;
    for (int i = 0; ccsid && ebcdic_ccsids[i]; i++)
        s->ebcdic |= ebcdic_ccsids[i] == ccsid;
    if (s->ebcdic) {
        snprintf(s->encoding, sizeof s->encoding, "IBM-%03d", ccsid);
        snprintf(s->iconv_name, sizeof s->iconv_name, "IBM%03d", ccsid);
    } else if (!strcasecmp(enc, "UTF-8") || !strcasecmp(enc, "UTF8")) {
        snprintf(s->encoding, sizeof s->encoding, "UTF-8");
        snprintf(s->iconv_name, sizeof s->iconv_name, "UTF-8");
    } else {
        for (size_t i = 0; i <= strlen(enc); i++)
            s->encoding[i] = (char)toupper((unsigned char)enc[i]);
        snprintf(s->iconv_name, sizeof s->iconv_name, "%s", s->encoding);
    }
    for (int way = 0; way < 1 + s->ebcdic; way++) { /* the host codec goes both ways */
        errno = 0;
        iconv_t cv = way ? iconv_open(s->iconv_name, "UTF-8") : iconv_open("UTF-8", s->iconv_name);
        if (cv != (iconv_t)-1) {
            iconv_close(cv);
            continue;
        }
        if (errno != EINVAL) /* not a missing code page: memory, or too many open */
            return rp_err(err, errno == ENOMEM ? RP_NOMEM : RP_IO, "encoding: %s: %s", enc, strerror(errno));
        return way ? rp_err(err, RP_INVAL, "encoding: this system's iconv cannot write %s", s->encoding)
                   : rp_err(err, RP_INVAL, "encoding: this system's iconv has no code page '%s' (iconv -l lists "
                            "those it has)", enc);
    }
    return RP_OK;
}

static int load_copybook(sp_spec *s, const char *extra_dir, rp_error *err)
{
    char path[1200];
    const char *dirs[] = { extra_dir, *s->dir ? s->dir : NULL };
    rp_error e = RP_ERROR_INIT;
    for (int i = 0; i < 2; i++) {
        if (s->copybook[0] == '/')
            snprintf(path, sizeof path, "%s", s->copybook);
        else if (dirs[i])
            snprintf(path, sizeof path, "%s/%s", dirs[i], s->copybook);
        else
            continue;
        int rc = cb_parse_file(path, &s->book, &e);
        if (rc == RP_OK)
            return RP_OK;
        if (rc != RP_IO) {
            return rp_err(err, rc, "%s", e.msg);
        }
        rp_err_clear(&e);
        if (s->copybook[0] == '/')
            break;
    }
    return rp_err(err, RP_NOTFOUND, "copybook: cannot find %s%s%s%s%s", s->copybook,
                  extra_dir ? " in " : "", extra_dir ? extra_dir : "", *s->dir ? " or " : "", s->dir);
}

/* recfm: the host's record format, F or FB (fixed), V or VB (rdw), instead of format or agreeing with it;
 * block_descriptors: a V or VB file transferred with its block descriptor words. */
static int recfm(sp_spec *s, const json_t *root, const char **fmt, rp_error *err)
{
    const char *rf = NULL, *given = NULL;
    if (rp_json_get_str(root, "", "recfm", 0, &rf, err) || rp_json_get_str(root, "", "format", 0, &given, err) ||
        rp_json_get_bool(root, "", "block_descriptors", 0, &s->bdw, err))
        return err->code;
    if (rf) {
        if (!strcasecmp(rf, "F") || !strcasecmp(rf, "FB"))
            *fmt = "fixed";
        else if (!strcasecmp(rf, "V") || !strcasecmp(rf, "VB"))
            *fmt = "rdw";
        else
            return rp_err(err, RP_INVAL, "recfm: '%s' is not one of F, FB, V, VB (VBS and U records are not read)", rf);
        if (given && strcmp(given, *fmt))
            return rp_err(err, RP_INVAL, "recfm: %s records are format %s, not %s", rf, *fmt, given);
    }
    if (s->bdw && strcmp(*fmt ? *fmt : given ? given : "", "rdw"))
        return rp_err(err, RP_INVAL, "block_descriptors: only variable records (recfm V or VB, format rdw) have them");
    return RP_OK;
}

static int record_index(const sp_spec *s, const char *name)
{
    for (int i = 0; name && i < s->nrecords; i++)
        if (!strcmp(s->records[i]->record, name))
            return i;
    return -1;
}

/* segments.trailer: {"record": the trailer's record, "count": its field of the count, "of": the record counted}. */
static int parse_trailer(sp_spec *s, const json_t *o, rp_error *err)
{
    static const char *const keys[] = { "record", "count", "of", "sum", "sum_of", NULL };
    const char *rec = NULL, *count = NULL, *of = NULL, *sum = NULL, *sum_of = NULL;
    if (!json_is_object(o))
        return rp_err(err, RP_INVAL, "segments.trailer: an object is needed: {record, count, of}");
    if (rp_json_check_keys(o, "segments.trailer", keys, err) ||
        rp_json_get_str(o, "segments.trailer", "record", 1, &rec, err) ||
        rp_json_get_str(o, "segments.trailer", "count", 1, &count, err) ||
        rp_json_get_str(o, "segments.trailer", "of", 1, &of, err) ||
        rp_json_get_str(o, "segments.trailer", "sum", 0, &sum, err) ||
        rp_json_get_str(o, "segments.trailer", "sum_of", !!sum, &sum_of, err))
        return err->code;
    if ((s->trailer = record_index(s, rec)) < 0)
        return rp_err(err, RP_INVAL, "segments.trailer.record: '%s' is not one of the copybook's records", rec);
    if ((s->count_of = record_index(s, of)) < 0)
        return rp_err(err, RP_INVAL, "segments.trailer.of: '%s' is not one of the copybook's records", of);
    const cb_field *f = cb_find(s->records[s->trailer], count);
    if (!f || (f->kind != CB_ZONED && f->kind != CB_PACKED && f->kind != CB_BINARY) || f->scale ||
        s->records[s->trailer]->variable)
        return rp_err(err, RP_INVAL, "segments.trailer.count: '%s' is not a whole number of %s", count, rec);
    s->count_field = f;
    if (!sum)
        return sum_of ? rp_err(err, RP_INVAL, "segments.trailer.sum_of: needs sum, the trailer's field") : RP_OK;
    const cb_field *t = cb_find(s->records[s->trailer], sum), *d = cb_find(s->records[s->count_of], sum_of);
    int num_t = t && (t->kind == CB_ZONED || t->kind == CB_PACKED || t->kind == CB_BINARY) && t->digits <= 18 &&
                t->scale >= 0 && !t->sign_separate && !t->sign_leading;
    int num_d = d && (d->kind == CB_ZONED || d->kind == CB_PACKED || d->kind == CB_BINARY) && d->digits <= 18 &&
                d->scale >= 0 && !d->sign_separate && !d->sign_leading;
    if (!num_t)
        return rp_err(err, RP_INVAL, "segments.trailer.sum: '%s' is not a number of %s (18 digits at most)", sum, rec);
    if (!num_d)
        return rp_err(err, RP_INVAL, "segments.trailer.sum_of: '%s' is not a number of %s (18 digits at most)", sum_of, of);
    s->sum_field = t;
    s->sum_of = d;
    return RP_OK;
}

/* segments: {"by": a field of the first record, "records": {value: record name, ...}, "trailer"?}. */
static int parse_segments(sp_spec *s, const json_t *o, rp_error *err)
{
    static const char *const keys[] = { "by", "records", "trailer", NULL };
    const char *by = NULL;
    json_t *recs = NULL;
    s->trailer = s->count_of = -1;
    if (!json_is_object(o))
        return rp_err(err, RP_INVAL, "segments: an object is needed: {by, records}");
    if (rp_json_check_keys(o, "segments", keys, err) || rp_json_get_str(o, "segments", "by", 1, &by, err))
        return err->code;
    if (!(recs = json_object_get(o, "records")) || !json_is_object(recs))
        return rp_err(err, RP_INVAL, "segments.records: an object of record types is needed: {\"H\": \"HEADER-REC\", ...}");
    s->seg_by = cb_find(s->book, by);
    if (!s->seg_by || s->seg_by->filler || s->book->variable)
        return rp_err(err, RP_INVAL, "segments.by: '%s' is not a field of %s, the first record of %s%s", by,
                      s->book->record, s->copybook, s->book->variable ? " (at a place no count moves)" : "");
    const char *value;
    json_t *v;
    if (json_object_size(recs) < 1 || json_object_size(recs) > CB_MAX_RECORDS)
        return rp_err(err, RP_INVAL, "segments.records: 1 to %d record types are needed", CB_MAX_RECORDS);
    json_object_foreach(recs, value, v) {
        const char *name = json_string_value(v);
        int ix = -1;
        for (int i = 0; name && i < s->nrecords; i++)
            if (!strcmp(s->records[i]->record, name))
                ix = i;
        if (ix < 0 || strlen(value) >= sizeof s->seg_value[0] || !*value)
            return rp_err(err, RP_INVAL, "segments.records.%.31s: %s", value,
                          ix < 0 ? "the name of one of the copybook's records is needed" : "a value of 1 to 31 characters");
        snprintf(s->seg_value[s->nsegments], sizeof s->seg_value[0], "%s", value);
        s->seg_record[s->nsegments++] = ix;
    }
    return json_object_get(o, "trailer") ? parse_trailer(s, json_object_get(o, "trailer"), err) : RP_OK;
}

/* record: which of a copybook's records the spec reads; needed when it has several. */
static int choose_record(sp_spec *s, const json_t *root, rp_error *err)
{
    const char *name = NULL;
    if (rp_json_get_str(root, "", "record", 0, &name, err))
        return err->code;
    char all[400] = "";
    int n = 0;
    for (const cb_layout *r = s->book; r; r = r->next, n++)
        snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s", n ? ", " : "", r->record);
    s->nrecords = 0;
    for (const cb_layout *r = s->book; r; r = r->next)
        s->records[s->nrecords++] = r;
    if (json_object_get(root, "segments")) {
        if (name)
            return rp_err(err, RP_INVAL, "record: a spec with segments reads every record the segments name");
        s->layout = s->book;
        return parse_segments(s, json_object_get(root, "segments"), err);
    }
    if (!name && n > 1)
        return rp_err(err, RP_INVAL, "copybook: %s describes %d records (%s): name the one this spec reads with "
                      "\"record\", or tell them apart with \"segments\"", s->copybook, n, all);
    s->layout = name ? cb_record(s->book, name) : s->book;
    if (!s->layout)
        return rp_err(err, RP_INVAL, "record: '%s' is not a record of %s (it has %s)", name, s->copybook, all);
    return RP_OK;
}

static int parse_doc(sp_spec *s, const json_t *root, const char *extra_dir, rp_error *err)
{
    static const char *const keys[] = { "spec", "source", "description", "files", "after", "format",
                                        "encoding", "copybook", "record_length", "delimiter", "header",
                                        "key", "fields", "targets", "reference", "recfm", "block_descriptors",
                                        "record", "segments", NULL };
    if (!json_is_object(root))
        return rp_err(err, RP_INVAL, "a JSON object is needed");
    if (rp_json_check_keys(root, "", keys, err) ||
        copy_str(root, "", "spec", 1, s->name, sizeof s->name, err) ||
        copy_str(root, "", "source", 1, s->source, sizeof s->source, err) ||
        copy_str(root, "", "description", 0, s->description, sizeof s->description, err) ||
        sp_str_list(json_object_get(root, "files"), "files", &s->files, &s->nfiles, err) ||
        sp_str_list(json_object_get(root, "after"), "after", &s->after, &s->nafter, err))
        return err->code;
    const char *fmt = NULL, *enc = "UTF-8", *delim = NULL;
    if (rp_json_get_str(root, "", "encoding", 0, &enc, err) || rp_json_get_str(root, "", "delimiter", 0, &delim, err) ||
        rp_json_get_bool(root, "", "header", 0, &s->header, err) || recfm(s, root, &fmt, err) ||
        (!fmt && rp_json_get_str(root, "", "format", 1, &fmt, err)))
        return err->code;
    int fi = -1;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(formats[i].name, fmt) == 0)
            fi = (int)i;
    if (fi < 0)
        return rp_err(err, RP_INVAL, "format: '%s' is not one of rdw, fixed, columns, csv, delimited, "
                      "whitespace, jsonl", fmt);
    s->format = formats[fi].f;
    if (parse_encoding(s, enc, err))
        return err->code;
    if (s->ebcdic && !is_copybook_format(s->format))
        return rp_err(err, RP_INVAL, "encoding: %s is for host records (format rdw or fixed)", s->encoding);
    if (s->format == SPF_JSONL && strcmp(s->encoding, "UTF-8"))
        return rp_err(err, RP_INVAL, "encoding: JSON lines are UTF-8");
    s->delimiter = s->format == SPF_WHITESPACE ? ' ' : ',';
    if (delim) {
        if (strcmp(delim, "\\t") == 0 || strcmp(delim, "tab") == 0)
            s->delimiter = '\t';
        else if (strlen(delim) == 1 && delim[0] != '"' && delim[0] != '\n' && delim[0] != '\r')
            s->delimiter = delim[0];
        else
            return rp_err(err, RP_INVAL, "delimiter: '%s' is not one byte (or \"tab\")", delim);
        if (s->format != SPF_CSV && s->format != SPF_DELIMITED)
            return rp_err(err, RP_INVAL, "delimiter: only csv and delimited formats take one");
    }
    if (s->header && !(s->format == SPF_CSV || s->format == SPF_DELIMITED))
        return rp_err(err, RP_INVAL, "header: only csv and delimited formats have a header row");
    if (copy_str(root, "", "copybook", 0, s->copybook, sizeof s->copybook, err))
        return err->code;
    int64_t reclen = 0;
    if (rp_json_get_int(root, "", "record_length", 0, &reclen, err))
        return err->code;
    if (is_copybook_format(s->format)) {
        if (*s->copybook) {
            if (load_copybook(s, extra_dir, err) || choose_record(s, root, err))
                return err->code;
            /* a variable one: its counts say; segments: each record's own */
            s->min_length = s->layout->variable || s->nsegments ? 0 : s->layout->length;
            s->reclen = s->layout->length;
        } else if (s->format == SPF_RDW) {
            return rp_err(err, RP_INVAL, "copybook: a host file with RDWs needs its copybook");
        }
        if (reclen) {
            if (reclen < 1 || reclen > (1 << 20))
                return rp_err(err, RP_INVAL, "record_length: %lld is not from 1 to 1048576", (long long)reclen);
            s->reclen = (int)reclen;
        }
        if (s->format == SPF_FIXED && !s->reclen)
            return rp_err(err, RP_INVAL, "record_length: a fixed-length file needs it (or a copybook)");
    } else if (*s->copybook || reclen) {
        return rp_err(err, RP_INVAL, "%s: only rdw and fixed formats take one",
                      *s->copybook ? "copybook" : "record_length");
    }
    if (!*s->copybook && json_object_get(root, "record"))
        return rp_err(err, RP_INVAL, "record: names one of a copybook's records, and this spec has no copybook");

    json_t *fields = NULL, *targets = NULL;
    if (rp_json_get_array(root, "", "fields", 1, &fields, err) ||
        rp_json_get_array(root, "", "targets", 1, &targets, err))
        return err->code;
    if (json_array_size(fields) < 1 || json_array_size(fields) > SP_MAX_FIELDS)
        return rp_err(err, RP_INVAL, "fields: 1 to %d fields are needed", SP_MAX_FIELDS);
    if (json_array_size(targets) < 1 || json_array_size(targets) > SP_MAX_TARGETS)
        return rp_err(err, RP_INVAL, "targets: 1 to %d targets are needed", SP_MAX_TARGETS);
    for (size_t i = 0; i < json_array_size(fields); i++) {
        s->nfields = (int)i;
        if (parse_field(s, json_array_get(fields, i), (int)i, err)) {
            s->nfields = (int)i + 1; /* so that sp_spec_free releases it */
            return err->code;
        }
    }
    s->nfields = (int)json_array_size(fields);
    char **key = NULL;
    int nkey = 0;
    if (sp_str_list(json_object_get(root, "key"), "key", &key, &nkey, err))
        return err->code;
    int rc = RP_OK;
    if (nkey > 8)
        rc = rp_err(err, RP_INVAL, "key: at most 8 fields");
    for (int i = 0; !rc && i < nkey; i++)
        if ((s->key[i] = sp_field_index(s, key[i])) < 0)
            rc = rp_err(err, RP_INVAL, "key[%d]: no field '%s'", i, key[i]);
    s->nkey = rc ? 0 : nkey;
    sp_free_list(key, nkey);
    if (rc)
        return rc;
    int has_party = 0, has_account = 0, unique_target = 0;
    for (size_t i = 0; i < json_array_size(targets); i++) {
        s->ntargets = (int)i + 1;
        if (parse_target(s, json_array_get(targets, i), (int)i, &has_party, &has_account, err))
            return err->code;
        sp_target_kind k = s->targets[i].kind;
        if (k == TG_TXN || k == TG_ACTIVITY || k == TG_CALL)
            unique_target = 1;
    }
    s->dedup_seen = s->nkey > 0 && !unique_target;
    json_t *ref = json_object_get(root, "reference");
    if (ref) {
        if (!json_is_object(ref))
            return rp_err(err, RP_INVAL, "reference: an object of branches, categories and products is needed");
        s->reference = json_incref(ref);
    }
    return RP_OK;
}

int sp_spec_parse(const char *text, size_t n, const char *what, const char *dir, const char *extra_dir,
                  sp_spec **out, rp_error *err)
{
    json_t *root;
    if (n > SP_MAX_SPEC_BYTES)
        return rp_err(err, RP_TOOBIG, "spec %s: larger than %zu bytes", what, SP_MAX_SPEC_BYTES);
    int rc = rp_json_load_str(what, text, n, &root, err);
    if (rc)
        return rp_err_prefix(err, "spec");
    sp_spec *s = calloc(1, sizeof *s);
    if (!s) {
        json_decref(root);
        return rp_err(err, RP_NOMEM, NULL);
    }
    snprintf(s->dir, sizeof s->dir, "%s", dir ? dir : "");
    s->text = strndup(text, n);
    if (!s->text) {
        json_decref(root);
        free(s);
        return rp_err(err, RP_NOMEM, NULL);
    }
    rc = parse_doc(s, root, extra_dir, err);
    json_decref(root);
    if (rc) {
        rp_err_prefix(err, "spec %s", *s->name ? s->name : what);
        sp_spec_free(s);
        return rc;
    }
    *out = s;
    return RP_OK;
}

int sp_spec_load(const char *path, const char *extra_dir, sp_spec **out, rp_error *err)
{
    rp_buf b = RP_BUF_INIT;
    int rc = rp_buf_read_file(&b, path, SP_MAX_SPEC_BYTES, err);
    if (rc) {
        rp_buf_release(&b);
        return rc;
    }
    char dir[512];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    else
        snprintf(dir, sizeof dir, ".");
    rc = sp_spec_parse(b.data ? b.data : "", b.len, path, dir, extra_dir, out, err);
    rp_buf_release(&b);
    return rc;
}

extern const struct sp_builtin {
    const char *name, *text;
} sp_builtins[];
extern const int sp_builtins_count;

const char *sp_builtin_text(const char *name)
{
    for (int i = 0; i < sp_builtins_count; i++)
        if (strcmp(sp_builtins[i].name, name) == 0)
            return sp_builtins[i].text;
    return NULL;
}

const char *const *sp_builtin_names(void)
{
    static const char *names[256];
    if (!names[0])
        for (int i = 0; i < sp_builtins_count && i < 255; i++)
            names[i] = sp_builtins[i].name;
    return names;
}

/* What "files", "after" and "description" say, for every shipped spec, read once. */
static struct builtin_info {
    char **files, **after;
    int nfiles, nafter, depth;
    char *description;
} *binfo;

static void builtin_info_free(struct builtin_info *b)
{
    for (int i = 0; b && i < sp_builtins_count; i++) {
        sp_free_list(b[i].files, b[i].nfiles);
        sp_free_list(b[i].after, b[i].nafter);
        free(b[i].description);
    }
    free(b);
}

/* Read once; a failure (memory) leaves nothing read, to be tried again. */
static int builtin_info_load(rp_error *err)
{
    if (binfo)
        return RP_OK;
    struct builtin_info *b = calloc((size_t)sp_builtins_count + 1, sizeof *b);
    if (!b)
        return rp_err(err, RP_NOMEM, NULL);
    int rc = RP_OK;
    for (int i = 0; i < sp_builtins_count && !rc; i++) {
        json_t *root;
        if ((rc = rp_json_load_str(sp_builtins[i].name, sp_builtins[i].text, strlen(sp_builtins[i].text), &root,
                                   err)))
            break;
        const char *d = json_string_value(json_object_get(root, "description"));
        if ((rc = sp_str_list(json_object_get(root, "files"), "files", &b[i].files, &b[i].nfiles, err)) ||
            (rc = sp_str_list(json_object_get(root, "after"), "after", &b[i].after, &b[i].nafter, err)))
            rp_err_prefix(err, "shipped spec %s", sp_builtins[i].name);
        else if (!(b[i].description = dupstr(d ? d : "")))
            rc = rp_err(err, RP_NOMEM, NULL);
        json_decref(root);
    }
    if (rc) {
        builtin_info_free(b);
        return rc;
    }
    /* depth: one more than the deepest spec it comes after */
    for (int pass = 0; pass < sp_builtins_count; pass++)
        for (int i = 0; i < sp_builtins_count; i++)
            for (int k = 0; k < b[i].nafter; k++)
                for (int j = 0; j < sp_builtins_count; j++)
                    if (!strcmp(sp_builtins[j].name, b[i].after[k]) && b[i].depth <= b[j].depth &&
                        b[j].depth < sp_builtins_count)
                        b[i].depth = b[j].depth + 1;
    binfo = b;
    return RP_OK;
}

static int pattern_matches(const char *pat, const char *path)
{
    int slashes = 0;
    for (const char *p = pat; *p; p++)
        slashes += *p == '/';
    const char *tail = path + strlen(path);
    for (int k = 0; k <= slashes && tail > path; k++) {
        tail--;
        while (tail > path && tail[-1] != '/')
            tail--;
    }
    return fnmatch(pat, tail, FNM_PATHNAME) == 0;
}

int sp_builtin_for_path(const char *path, const char **name, rp_error *err)
{
    *name = NULL;
    int rc = builtin_info_load(err);
    for (int i = 0; !rc && i < sp_builtins_count && !*name; i++)
        for (int k = 0; k < binfo[i].nfiles && !*name; k++)
            if (pattern_matches(binfo[i].files[k], path))
                *name = sp_builtins[i].name;
    return rc;
}

int sp_builtin_depth(const char *name)
{
    if (builtin_info_load(NULL))
        return 0;
    for (int i = 0; i < sp_builtins_count; i++)
        if (!strcmp(sp_builtins[i].name, name))
            return binfo[i].depth;
    return 0;
}

const char *sp_builtin_description(const char *name)
{
    if (builtin_info_load(NULL))
        return NULL;
    for (int i = 0; i < sp_builtins_count; i++)
        if (!strcmp(sp_builtins[i].name, name))
            return binfo[i].description;
    return NULL;
}

int sp_spec_builtin(const char *name, const char *extra_dir, sp_spec **out, rp_error *err)
{
    const char *t = sp_builtin_text(name);
    if (!t) {
        char all[1024] = "";
        for (int i = 0; i < sp_builtins_count; i++)
            snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s", i ? ", " : "", sp_builtins[i].name);
        return rp_err(err, RP_NOTFOUND, "--source: no spec '%s' ships with Rapport (there are %s)", name, all);
    }
    return sp_spec_parse(t, strlen(t), name, NULL, extra_dir, out, err);
}

void sp_spec_free(sp_spec *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nfields; i++) {
        sp_field *f = &s->fields[i];
        free(f->constant);
        for (int k = 0; k < f->nparts; k++)
            free(f->parts[k].lit);
        free(f->parts);
        free(f->sep);
        sp_free_list(f->map_from, f->nmap);
        sp_free_list(f->map_to, f->nmap);
        free(f->map_default);
        for (int k = 0; k < f->ncases; k++)
            regfree(&f->case_re[k]);
        free(f->case_re);
        for (int k = 0; k < f->ncases; k++)
            free(f->case_to[k]);
        free(f->case_to);
        free(f->band_from);
        sp_free_list(f->band_label, f->nbands);
        for (int k = 0; k < f->nrules; k++)
            sp_rule_release(&f->rules[k]);
        free(f->rules);
    }
    for (int i = 0; i < s->ntargets; i++)
        for (int a = 0; a < SP_MAX_ATTRS; a++)
            free(s->targets[i].attr[a].lit);
    sp_free_list(s->files, s->nfiles);
    sp_free_list(s->after, s->nafter);
    cb_free(s->book);
    json_decref(s->reference);
    free(s->text);
    free(s);
}

int sp_spec_matches(const sp_spec *s, const char *relpath)
{
    for (int i = 0; i < s->nfiles; i++)
        if (pattern_matches(s->files[i], relpath))
            return 1;
    return 0;
}

rd_options sp_reader_options(const sp_spec *s)
{
    rd_options o = { 0 };
    switch (s->format) {
    case SPF_RDW: o.format = RD_RDW; o.bdw = s->bdw; break;
    case SPF_FIXED: o.format = RD_FIXED; o.reclen = s->reclen; break;
    case SPF_COLUMNS: o.format = RD_LINES; break;
    case SPF_CSV: o.format = RD_CSV; break;
    case SPF_DELIMITED: o.format = RD_DELIMITED; break;
    case SPF_WHITESPACE: o.format = RD_WHITESPACE; break;
    case SPF_JSONL: o.format = RD_LINES; break;
    }
    o.delimiter = s->delimiter;
    o.header = s->header;
    o.utf8 = strcmp(s->encoding, "UTF-8") == 0 && s->format != SPF_RDW && s->format != SPF_FIXED;
    return o;
}
