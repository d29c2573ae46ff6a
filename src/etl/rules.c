/* rules.c — a field's rules and the checksums they name: read from a spec,
 * applied to each value.  See rules.h and docs/etl.md. */
#include "etl/rules.h"
#include "core/rtime.h"
#include "core/utf8.h"
#include "warehouse/warehouse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define reject sp_reject_set

/* ---- checks ---- */

static int luhn_ok(const char *s)
{
    int sum = 0, n = (int)strlen(s), alt = 0;
    if (n < 2)
        return 0;
    for (int i = n - 1; i >= 0; i--) {
        if (!isdigit((unsigned char)s[i]))
            return 0;
        int k = s[i] - '0';
        if (alt && (k *= 2) > 9)
            k -= 9;
        sum += k;
        alt = !alt;
    }
    return sum % 10 == 0;
}

static int person_id_ok(const char *s) { return wh_check_national_id(s) || wh_check_resident_cert(s); }

static int taiwan_id_ok(const char *s)
{
    return wh_check_national_id(s) || wh_check_resident_cert(s) || wh_check_ubn(s);
}

/* ISO 13616 IBAN (remittances' beneficiary accounts): two letters, two
 * check digits and up to 30 letters or digits, blanks between groups of
 * four allowed; the first four moved to the end, letters read as 10 to 35,
 * the number modulo 97 is 1.  Each country's own length is not checked. */
static int iban_ok(const char *s)
{
    char c[40];
    size_t n = 0;
    for (; *s; s++) {
        if (*s == ' ')
            continue;
        if (n == sizeof c - 1 || !isalnum((unsigned char)*s))
            return 0;
        c[n++] = (char)toupper((unsigned char)*s);
    }
    if (n < 15 || !isalpha((unsigned char)c[0]) || !isalpha((unsigned char)c[1]) ||
        !isdigit((unsigned char)c[2]) || !isdigit((unsigned char)c[3]))
        return 0;
    unsigned rem = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = c[(i + 4) % n];
        rem = isdigit((unsigned char)ch) ? (rem * 10 + (unsigned)(ch - '0')) % 97
                                         : (rem * 100 + (unsigned)(ch - 'A' + 10)) % 97;
    }
    return rem == 1;
}

/* Checksums, not identifier types (WH_IDENTIFIER_TYPES): three share a
 * type's name, the others accept one of several types or a card number. */
const sp_check sp_checks[] = {
    { "national_id", "national ID", wh_check_national_id },
    { "resident_cert", "resident certificate", wh_check_resident_cert },
    { "person_id", "national ID or resident certificate", person_id_ok },
    { "ubn", "unified business number", wh_check_ubn },
    { "taiwan_id", "national ID, resident certificate or unified business number", taiwan_id_ok },
    { "luhn", "card number (Luhn)", luhn_ok },
    { "iban", "IBAN", iban_ok },
    { NULL, NULL, NULL },
};

/* ---- parsers of a rule's value ---- */

/* A pattern ^...$ made only of literal characters and bracket classes of
 * single bytes, each taken once or {n} times, as one set of bytes a
 * position: the number of positions, or 0 for any other pattern (then
 * regexec decides).  Only ASCII: a class or character beyond it, '.', and
 * every other operator leave the pattern to regexec. */
static int fixed_classes(const char *re, unsigned char (**out)[32])
{
    *out = NULL;
    size_t len = strlen(re);
    if (len < 2 || re[0] != '^' || re[len - 1] != '$' || (len >= 3 && re[len - 2] == '\\'))
        return 0;
    unsigned char set[64][32];
    int n = 0;
    const char *p = re + 1, *end = re + len - 1;
    while (p < end) {
        unsigned char one[32];
        memset(one, 0, sizeof one);
        if (*p == '[') {
            p++;
            if (p < end && (*p == '^' || *p == ']'))
                return 0;
            while (p < end && *p != ']') {
                unsigned char a = (unsigned char)*p;
                if (a >= 0x80 || a == '[' || a == '\\')
                    return 0;
                unsigned char b = a;
                if (p + 2 < end && p[1] == '-' && p[2] != ']') {
                    b = (unsigned char)p[2];
                    if (b >= 0x80 || b < a || b == '\\' || b == '[')
                        return 0;
                    p += 2;
                }
                for (unsigned c = a; c <= b; c++)
                    one[c >> 3] |= (unsigned char)(1u << (c & 7));
                p++;
            }
            if (p >= end)
                return 0;
            p++; /* ] */
        } else if (*p == '\\' && p + 1 < end && ((unsigned char)p[1] < 0x80) && !isalnum((unsigned char)p[1])) {
            one[(unsigned char)p[1] >> 3] |= (unsigned char)(1u << ((unsigned char)p[1] & 7));
            p += 2;
        } else if (isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '/' || *p == ':' || *p == ' ' ||
                   *p == '@' || *p == '#' || *p == '=' || *p == ',' || *p == ';' || *p == '%') {
            one[(unsigned char)*p >> 3] |= (unsigned char)(1u << ((unsigned char)*p & 7));
            p++;
        } else {
            return 0;
        }
        int times = 1;
        if (p < end && *p == '{') {
            char *q;
            long t = strtol(p + 1, &q, 10);
            if (q == p + 1 || *q != '}' || t < 1 || t > 64)
                return 0;
            times = (int)t;
            p = q + 1;
        }
        if (p < end && (*p == '*' || *p == '+' || *p == '?' || *p == '{' || *p == '|'))
            return 0;
        if (n + times > 64)
            return 0;
        while (times--)
            memcpy(set[n++], one, sizeof one);
    }
    if (!n || !(*out = malloc((size_t)n * sizeof set[0])))
        return 0;
    memcpy(*out, set, (size_t)n * sizeof set[0]);
    return n;
}

/* "required": true; false asks for no rule */
static int parse_flag(sp_rule *r, const json_t *v, const char *path, rp_error *err)
{
    (void)r;
    if (json_is_false(v))
        return SP_NO_RULE;
    if (!json_is_true(v))
        return rp_err(err, RP_INVAL, "%s: true or false is needed", path);
    return RP_OK;
}

static int parse_number(sp_rule *r, const json_t *v, const char *path, rp_error *err)
{
    if (!json_is_number(v))
        return rp_err(err, RP_INVAL, "%s: a number is needed", path);
    r->num = json_number_value(v);
    return RP_OK;
}

/* min and max: a number, or for a date field a date (YYYY-MM-DD) or "today" (the day of the load, Taipei) */
static int parse_bound(sp_rule *r, const json_t *v, const char *path, rp_error *err)
{
    if (json_is_number(v))
        return parse_number(r, v, path, err);
    const char *t = json_string_value(v);
    rp_date d;
    rp_error ignore = RP_ERROR_INIT;
    if (!t || (strcmp(t, "today") && (strlen(t) != 10 || rp_date_parse(t, &d, &ignore))))
        return rp_err(err, RP_INVAL, "%s: a number is needed (or for a date field a date YYYY-MM-DD, or today)", path);
    char canon[11];
    if (strcmp(t, "today"))
        rp_date_format(d, canon); /* compared with the field's canonical YYYY-MM-DD */
    if (!(r->text = strdup(strcmp(t, "today") ? canon : t)))
        return rp_err(err, RP_NOMEM, NULL);
    return RP_OK;
}

static int parse_pattern(sp_rule *r, const json_t *v, const char *path, rp_error *err)
{
    if (!json_is_string(v))
        return rp_err(err, RP_INVAL, "%s: a regular expression is needed", path);
    if (!(r->text = strdup(json_string_value(v))))
        return rp_err(err, RP_NOMEM, NULL);
    int e = regcomp(&r->re, r->text, REG_EXTENDED | REG_NOSUB);
    if (e == REG_ESPACE)
        return rp_err(err, RP_NOMEM, "%s: %s", path, rp_strerror(RP_NOMEM));
    if (e) {
        char m[200];
        regerror(e, &r->re, m, sizeof m);
        return rp_err(err, RP_INVAL, "%s: '%s' is not a regular expression: %s", path, r->text, m);
    }
    r->has_re = 1;
    r->nfixed = fixed_classes(r->text, &r->fixed);
    return RP_OK;
}

static int parse_check(sp_rule *r, const json_t *v, const char *path, rp_error *err)
{
    const char *name = json_string_value(v);
    for (const sp_check *c = sp_checks; name && c->name; c++)
        if (strcmp(name, c->name) == 0) {
            r->check = c;
            return RP_OK;
        }
    char all[300] = "";
    for (const sp_check *c = sp_checks; c->name; c++)
        snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s", c == sp_checks ? "" : ", ", c->name);
    return rp_err(err, RP_INVAL, "%s: one of %s is needed", path, all);
}

static int parse_set(sp_rule *r, const json_t *v, const char *path, rp_error *err)
{
    return sp_str_list(v, path, &r->set, &r->nset, err);
}

/* ---- applying a rule ---- */

static int apply_required(const sp_rule *r, const sp_field *f, const sp_value *v, size_t len, sp_reject *rej)
{
    (void)r, (void)v, (void)len;
    return reject(rej, f->name, "", 0, "required", "%s: required", f->name);
}

static double pow10i(int e)
{
    double p = 1;
    while (e-- > 0)
        p *= 10;
    return p;
}

/* A date field's value against a date bound (below = 1: min) */
static int date_range(const sp_rule *r, const sp_field *f, const sp_value *v, int below, sp_reject *rej)
{
    char today[11];
    const char *bound = r->text;
    if (!strcmp(bound, "today")) {
        rp_date_format(rp_time_taipei_date(rp_now()), today);
        bound = today;
    }
    int c = strncmp(v->text, bound, 10);
    if (below ? c >= 0 : c <= 0)
        return RP_OK;
    return reject(rej, f->name, v->text, strlen(v->text), "range", "%s: %s is %s %s", f->name, v->text,
                  below ? "before" : "after", r->text);
}

/* min (below = 1) and max: amounts compared in major units */
static int range(const sp_rule *r, const sp_field *f, const sp_value *v, int below, sp_reject *rej)
{
    if (r->text)
        return date_range(r, f, v, below, rej);
    double x = v->is_num ? (double)v->num : strtod(v->text, NULL);
    if (f->type == FT_AMOUNT)
        x /= pow10i(f->exponent);
    if (below ? !(x < r->num) : !(x > r->num))
        return RP_OK;
    char shown[96];
    if (f->type == FT_AMOUNT && v->is_num && f->exponent > 0) {
        int64_t p = 1;
        for (int k = 0; k < f->exponent; k++)
            p *= 10;
        uint64_t a = v->num < 0 ? (uint64_t)0 - (uint64_t)v->num : (uint64_t)v->num;
        snprintf(shown, sizeof shown, "%s%llu.%0*llu", v->num < 0 ? "-" : "", (unsigned long long)(a / (uint64_t)p),
                 f->exponent & 15, (unsigned long long)(a % (uint64_t)p));
    } else {
        snprintf(shown, sizeof shown, "%s", v->text);
    }
    return reject(rej, f->name, shown, strlen(shown), "range", "%s: %s is %s %g", f->name, shown,
                  below ? "below the minimum" : "above the maximum", r->num);
}

static int apply_min(const sp_rule *r, const sp_field *f, const sp_value *v, size_t len, sp_reject *rej)
{
    (void)len;
    return range(r, f, v, 1, rej);
}

static int apply_max(const sp_rule *r, const sp_field *f, const sp_value *v, size_t len, sp_reject *rej)
{
    (void)len;
    return range(r, f, v, 0, rej);
}

static int fixed_match(const sp_rule *r, const char *t)
{
    int i = 0;
    for (; t[i]; i++) {
        unsigned char c = (unsigned char)t[i];
        if (i >= r->nfixed || !(r->fixed[i][c >> 3] & (1u << (c & 7))))
            return 0;
    }
    return i == r->nfixed;
}

int sp_regexec(const regex_t *re, const char *text)
{
    errno = 0;
    int e = regexec(re, text, 0, NULL, 0);
    return e == REG_NOMATCH && errno == ENOMEM ? REG_ESPACE : e;
}

static int apply_pattern(const sp_rule *r, const sp_field *f, const sp_value *v, size_t len, sp_reject *rej)
{
    (void)len;
    const char *t = v->text;
    if (r->nfixed && fixed_match(r, t))
        return RP_OK;
    int e = r->nfixed ? REG_NOMATCH : sp_regexec(&r->re, t);
    if (e == 0)
        return RP_OK;
    if (e == REG_ESPACE) /* not the value's fault: the load fails (sp_decode names the field) */
        return RP_NOMEM;
    return reject(rej, f->name, t, strlen(t), "pattern", "%s: '%s' does not match %s", f->name, t, r->text);
}

static int apply_check(const sp_rule *r, const sp_field *f, const sp_value *v, size_t len, sp_reject *rej)
{
    (void)len;
    const char *t = v->text;
    if (r->check->ok(t))
        return RP_OK;
    return reject(rej, f->name, t, strlen(t), "checksum", "%s: '%s' is not a valid %s", f->name, t, r->check->what);
}

static int apply_in(const sp_rule *r, const sp_field *f, const sp_value *v, size_t len, sp_reject *rej)
{
    (void)len;
    const char *t = v->text;
    for (int k = 0; k < r->nset; k++) /* by first byte first */
        if (r->set[k][0] == t[0] && strcmp(r->set[k], t) == 0)
            return RP_OK;
    return reject(rej, f->name, t, strlen(t), "code", "%s: '%s' is not an allowed value", f->name, t);
}

static int apply_max_length(const sp_rule *r, const sp_field *f, const sp_value *v, size_t len, sp_reject *rej)
{
    const char *t = v->text;
    size_t n = len != SP_NOLEN ? len : strlen(t); /* characters counted only when the bytes are more */
    if ((double)n > r->num && (double)rp_utf8_count(t, n) > r->num)
        return reject(rej, f->name, t, n, "length", "%s: longer than %g characters", f->name, r->num);
    return RP_OK;
}

/* ---- the rules ---- */

const sp_rule_kind sp_rule_kinds[] = {
    { "required", parse_flag, apply_required, 1 },
    { "min", parse_bound, apply_min, 0 },
    { "max", parse_bound, apply_max, 0 },
    { "pattern", parse_pattern, apply_pattern, 0 },
    { "check", parse_check, apply_check, 0 },
    { "in", parse_set, apply_in, 0 },
    { "max_length", parse_number, apply_max_length, 0 },
    { NULL, NULL, NULL, 0 },
};

void sp_rule_members(const char *const *first, const char **out, size_t n)
{
    size_t o = 0;
    for (; *first && o + 1 < n; first++)
        out[o++] = *first;
    for (const sp_rule_kind *k = sp_rule_kinds; k->name && o + 1 < n; k++)
        out[o++] = k->name;
    out[o] = NULL;
}

static int parse_when(sp_spec *s, const json_t *w, const char *path, sp_rule *r, rp_error *err)
{
    r->when_field = -1;
    if (!w)
        return RP_OK;
    if (!json_is_object(w) || json_object_size(w) != 1)
        return rp_err(err, RP_INVAL, "%s.when: an object of one field and its values is needed, "
                      "such as {\"id_type\": [\"1\"]}", path);
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)w, k, v)
    {
        r->when_field = sp_field_index(s, k);
        if (r->when_field < 0)
            return rp_err(err, RP_INVAL, "%s.when: no earlier field '%s'", path, k);
        char p[300];
        snprintf(p, sizeof p, "%s.when.%s", path, k);
        if (sp_str_list(v, p, &r->when, &r->nwhen, err))
            return err->code;
    }
    return RP_OK;
}

int sp_rules_parse(sp_spec *s, sp_field *f, const json_t *o, const char *path, int in_list, rp_error *err)
{
    for (const sp_rule_kind *k = sp_rule_kinds; k->name; k++) {
        json_t *v = json_object_get(o, k->name);
        if (!v)
            continue;
        sp_rule r;
        memset(&r, 0, sizeof r);
        r.kind = k;
        r.when_field = -1;
        char p[300];
        snprintf(p, sizeof p, "%s.%s", path, k->name);
        int rc = k->parse(&r, v, p, err);
        if (rc == SP_NO_RULE)
            continue;
        int date = f->type == FT_DATE || f->type == FT_DATETIME;
        if (!rc && (k->parse == parse_bound) && (r.text != NULL) != date)
            rc = rp_err(err, RP_INVAL, "%s: %s", p, date ? "a date field's bound is a date (YYYY-MM-DD) or today"
                                                         : "a date or today bounds a date field only");
        if (!rc && in_list)
            rc = parse_when(s, json_object_get(o, "when"), path, &r, err);
        sp_rule *nr = rc ? NULL : realloc(f->rules, (size_t)(f->nrules + 1) * sizeof *nr);
        if (!rc && !nr)
            rc = rp_err(err, RP_NOMEM, NULL);
        if (rc) {
            sp_rule_release(&r);
            return rc;
        }
        f->rules = nr;
        f->rules[f->nrules++] = r;
    }
    return RP_OK;
}

int sp_rules_apply(const sp_field *f, const sp_value *v, size_t len, const sp_value *all, sp_reject *rej)
{
    for (int i = 0; i < f->nrules; i++) {
        const sp_rule *r = &f->rules[i];
        if (r->kind->on_null != v->null)
            continue;
        if (r->when_field >= 0) {
            const char *t = all[r->when_field].null ? "" : all[r->when_field].text;
            int k = 0;
            while (k < r->nwhen && strcmp(r->when[k], t) != 0)
                k++;
            if (k == r->nwhen)
                continue;
        }
        int rc = r->kind->apply(r, f, v, len, rej);
        if (rc)
            return rc;
    }
    return RP_OK;
}

void sp_rule_release(sp_rule *r)
{
    if (r->has_re)
        regfree(&r->re);
    free(r->fixed);
    free(r->text);
    sp_free_list(r->set, r->nset);
    sp_free_list(r->when, r->nwhen);
}
