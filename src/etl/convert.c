/* convert.c — numbers, amounts and dates from sources.  See convert.h. */
#include "etl/convert.h"
#include "core/ebcdic.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int etl_binary_decode(const unsigned char *p, int len, int is_signed, int64_t *v)
{
    if (len != 2 && len != 4 && len != 8)
        return RP_INVAL;
    uint64_t u = 0;
    for (int i = 0; i < len; i++)
        u = u << 8 | p[i];
    if (is_signed && len < 8 && (p[0] & 0x80))
        u |= ~(uint64_t)0 << (8 * len); /* sign-extend */
    if (!is_signed && len == 8 && (p[0] & 0x80))
        return RP_TOOBIG;
    *v = (int64_t)u;
    return RP_OK;
}

int etl_field_number(const cb_field *f, const unsigned char *rec, size_t reclen, int64_t *v, rp_error *err)
{
    if ((size_t)f->offset + (size_t)f->length > reclen)
        return rp_err(err, RP_INVAL, "%s: beyond the end of a %zu-byte record", f->name, reclen);
    const unsigned char *p = rec + f->offset;
    int rc;
    switch (f->kind) {
    case CB_ZONED: rc = rp_zoned_decode(p, f->digits, v); break;
    case CB_PACKED: rc = rp_packed_decode(p, f->digits, v); break;
    case CB_BINARY: rc = etl_binary_decode(p, f->length, f->is_signed, v); break;
    default: return rp_err(err, RP_INVAL, "%s: not a numeric field", f->name);
    }
    if (rc) {
        char hex[64];
        int k = 0;
        for (int i = 0; i < f->length && k < 60; i++)
            k += snprintf(hex + k, sizeof hex - (size_t)k, "%02X", p[i]);
        return rp_err(err, RP_ENCODING, "%s: bytes %s are not %s decimal", f->name, hex,
                      f->kind == CB_PACKED ? "packed" : f->kind == CB_ZONED ? "zoned" : "binary");
    }
    if (!f->is_signed && *v < 0)
        return rp_err(err, RP_INVAL, "%s: negative in an unsigned field", f->name);
    return RP_OK;
}

int etl_rescale(int64_t v, int from, int to, int64_t *out, rp_error *err)
{
    while (from < to) {
        if (v > INT64_MAX / 10 || v < INT64_MIN / 10)
            return rp_err(err, RP_TOOBIG, "%lld is too large", (long long)v);
        v *= 10;
        from++;
    }
    while (from > to) {
        if (v % 10)
            return rp_err(err, RP_INVAL, "%lld has more decimals than %d", (long long)v, to);
        v /= 10;
        from--;
    }
    *out = v;
    return RP_OK;
}

int etl_parse_amount(const char *text, size_t n, int scale, int implied, int64_t *out, rp_error *err)
{
    char s[64];
    size_t j = 0;
    /* trim */
    while (n && (*text == ' ' || *text == '\t'))
        text++, n--;
    while (n && (text[n - 1] == ' ' || text[n - 1] == '\t'))
        n--;
    if (n == 0 || n >= sizeof s)
        return rp_err(err, RP_INVAL, "'%.*s' is not an amount", (int)(n < 40 ? n : 40), text);
    int neg = 0;
    const char *p = text, *e = text + n;
    if (*p == '(' && e[-1] == ')') {
        neg = 1;
        p++, e--;
    }
    if (p < e && (*p == '-' || *p == '+'))
        neg ^= *p++ == '-';
    else if (p < e && (e[-1] == '-' || e[-1] == '+'))
        neg ^= *--e == '-'; /* a trailing sign, as host reports write it */
    int dot = -1, digits = 0;
    for (; p < e; p++) {
        if (isdigit((unsigned char)*p)) {
            s[j++] = *p;
            digits++;
        } else if (*p == '.' && dot < 0 && !implied) {
            dot = (int)j;
        } else if (*p == ',' && dot < 0) {
            continue; /* thousands separators */
        } else {
            return rp_err(err, RP_INVAL, "'%.*s' is not an amount", (int)n, text);
        }
    }
    if (!digits || digits > 18)
        return rp_err(err, RP_INVAL, "'%.*s' is not an amount", (int)n, text);
    s[j] = 0;
    int have = implied ? scale : dot < 0 ? 0 : (int)j - dot;
    int64_t v = 0;
    for (size_t k = 0; k < j; k++)
        v = v * 10 + (s[k] - '0');
    if (etl_rescale(v, have, scale, &v, err))
        return rp_err(err, RP_INVAL, "'%.*s' has more than %d decimals", (int)n, text, scale);
    *out = neg ? -v : v;
    return RP_OK;
}

int etl_date_from_number(int64_t v, int roc, rp_date *d, int *has, rp_error *err)
{
    *has = 0;
    if (v == 0)
        return RP_OK;
    int y = (int)(v / 10000), m = (int)(v / 100 % 100), dd = (int)(v % 100);
    if (roc)
        y += 1911;
    if (v < 0 || (roc && v / 10000 < 1) || !rp_date_valid(y, m, dd))
        return rp_err(err, RP_INVAL, "%s date %lld is not a day that exists", roc ? "ROC" : "Gregorian",
                      (long long)v);
    *d = (rp_date){ y, m, dd };
    *has = 1;
    return RP_OK;
}
