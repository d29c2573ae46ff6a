/* convert.c — numbers, amounts and dates from sources.  See convert.h. */
#include "etl/convert.h"
#include "core/ebcdic.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
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
    return etl_field_number_at(f, f->offset, rec, reclen, v, err);
}

int etl_field_number_at(const cb_field *f, int at, const unsigned char *rec, size_t reclen, int64_t *v,
                        rp_error *err)
{
    if (at < 0 || (size_t)at + (size_t)f->length > reclen)
        return rp_err(err, RP_INVAL, "%s: beyond the end of a %zu-byte record", f->name, reclen);
    const unsigned char *p = rec + at;
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

/* ---- numbers of any size (etl_decimal) ---- */

static int dec_push(etl_decimal *d, int digit)
{
    if (d->n == 0 && digit == 0)
        return RP_OK; /* leading zeros */
    if (d->n >= (int)sizeof d->digits - 1)
        return RP_TOOBIG;
    d->digits[d->n++] = (char)('0' + digit);
    return RP_OK;
}

static void dec_end(etl_decimal *d, int scale)
{
    d->scale = scale;
    for (; d->scale < 0 && d->n && d->n < (int)sizeof d->digits - 1; d->scale++) /* P on the right: zeros */
        d->digits[d->n++] = '0';
    if (d->scale < 0)
        d->scale = 0;
    if (!d->n)
        d->digits[d->n++] = '0', d->neg = 0;
    d->digits[d->n] = 0;
}

static int bad_bytes(const cb_field *f, const unsigned char *p, const char *what, rp_error *err)
{
    char hex[80];
    int k = 0;
    for (int i = 0; i < f->length && k < 72; i++)
        k += snprintf(hex + k, sizeof hex - (size_t)k, "%02X", p[i]);
    return rp_err(err, RP_ENCODING, "%s: bytes %s%s are not %s", f->name, hex, f->length > 36 ? "..." : "", what);
}

/* zoned: a digit a byte, the sign in the zone of the last (or, SIGN LEADING, the first) byte, or in a
 * byte of its own (SEPARATE: '+' or '-', EBCDIC or ASCII) */
static int zoned_decimal(const cb_field *f, const unsigned char *p, etl_decimal *d, rp_error *err)
{
    int from = 0, to = f->length, signat = -1;
    if (f->sign_separate) {
        int s = f->sign_leading ? 0 : f->length - 1;
        if (p[s] == 0x60 || p[s] == '-')
            d->neg = 1;
        else if (p[s] != 0x4E && p[s] != '+')
            return bad_bytes(f, p, "a number with a separate sign ('+' or '-')", err);
        from = f->sign_leading, to = f->length - !f->sign_leading;
    } else { /* an unsigned field's last zone may be C too (then it is no negative) */
        signat = f->sign_leading ? 0 : f->length - 1;
    }
    for (int i = from; i < to; i++) {
        unsigned zone = p[i] >> 4, dg = p[i] & 0xF;
        int ok = dg <= 9 && (zone == 0xF || zone == 0x3 || (i == signat && (zone == 0xC || zone == 0xD)));
        if (!ok)
            return bad_bytes(f, p, "zoned decimal", err);
        if (i == signat && zone == 0xD)
            d->neg = 1;
        if (dec_push(d, (int)dg))
            return bad_bytes(f, p, "a number Rapport can hold", err);
    }
    return RP_OK;
}

static int packed_decimal(const cb_field *f, const unsigned char *p, etl_decimal *d, rp_error *err)
{
    int nib = f->length * 2 - 1;
    for (int i = 0; i < nib; i++) {
        unsigned dg = i % 2 ? p[i / 2] & 0xF : p[i / 2] >> 4;
        if (dg > 9 || (i == 0 && f->digits % 2 == 0 && dg))
            return bad_bytes(f, p, "packed decimal", err);
        if (dec_push(d, (int)dg))
            return bad_bytes(f, p, "a number Rapport can hold", err);
    }
    unsigned sign = p[f->length - 1] & 0xF;
    if (sign < 0xA)
        return bad_bytes(f, p, "packed decimal", err);
    d->neg = sign == 0xD || sign == 0xB;
    return RP_OK;
}

double etl_ibm_float(const unsigned char *p, int len)
{
    uint64_t frac = 0;
    for (int i = 1; i < len; i++)
        frac = frac << 8 | p[i];
    int exp = (p[0] & 0x7F) - 64;
    double v = ldexp((double)frac, 4 * exp - 8 * (len - 1));
    return p[0] & 0x80 ? -v : v;
}

/* a float as the shortest decimal that reads back as the same number (COMP-1: as a float) */
static int float_decimal(const cb_field *f, const unsigned char *p, etl_decimal *d, rp_error *err)
{
    double v = etl_ibm_float(p, f->length);
    char s[64];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(s, sizeof s, "%.*e", prec - 1, v);
        double back = strtod(s, NULL);
        if (f->length == 4 ? (float)back == (float)v : back == v)
            break;
    }
    /* d.ddde[+-]x to digits and a scale */
    const char *c = s;
    if (*c == '-')
        d->neg = 1, c++;
    int ndig = 0, exp10 = atoi(strchr(s, 'e') + 1);
    for (; *c && *c != 'e'; c++)
        if (isdigit((unsigned char)*c)) {
            if (dec_push(d, *c - '0'))
                return bad_bytes(f, p, "a number Rapport can hold", err);
            ndig += d->n > 0 || *c != '0';
        }
    /* value = digits * 10^(exp10 - (ndig - 1)) */
    int scale = ndig ? (ndig - 1) - exp10 : 0;
    if (ndig)
        while (scale > 0 && d->n > 1 && d->digits[d->n - 1] == '0')
            d->n--, scale--;
    if (scale > 120 || scale < -120)
        return bad_bytes(f, p, "a number Rapport can hold (past 10^120)", err);
    dec_end(d, scale);
    return RP_OK;
}

/* An edited field's text read by its picture's mask (copybook.c edited_pic): digits where the mask has
 * a digit position (a blank, '*', or the floating symbol there is a suppressed zero), a sign where + -
 * CR or DB stand, insertions skipped; S9(3).99 has its sign overpunched ({ A-I + 0-9, } J-R - 0-9). */
static int edited_decimal(const cb_field *f, const char *text, etl_decimal *d, rp_error *err)
{
    size_t len = strlen(f->edit), tl = strlen(text);
    int sep = f->sign_separate, off = sep && f->sign_leading;
    if (tl > len + (size_t)sep)
        return rp_err(err, RP_INVAL, "%s: '%s' is longer than the picture's %zu characters", f->name, text,
                      len + (size_t)sep);
    char padded[CB_EDIT_MAX + 2]; /* a code page's decoder may have dropped the trailing blanks */
    snprintf(padded, sizeof padded, "%-*s", (int)(len + (size_t)sep), text);
    text = padded;
    tl = len + (size_t)sep;
    int blanks = 1;
    for (size_t i = 0; i < tl; i++)
        blanks &= text[i] == ' ';
    if (blanks) {
        d->blank = 1;
        dec_end(d, 0);
        return RP_OK;
    }
    if (sep) {
        char s = text[f->sign_leading ? 0 : len];
        if (s != '+' && s != '-')
            return rp_err(err, RP_INVAL, "%s: '%s' has no sign ('+' or '-') where its SIGN clause puts it", f->name, text);
        d->neg = s == '-';
    }
    int over = f->is_signed && !sep && !strpbrk(f->edit, "+-CDsm") ? (f->sign_leading ? 0 : -1) : -2;
    if (over == -1)
        for (int i = (int)len - 1; i >= 0 && over < 0; i--)
            if (f->edit[i] == '9')
                over = i;
    for (size_t i = 0; i < len; i++) {
        char m = f->edit[i], c = text[i + (size_t)off];
        int digit = -1;
        if ((int)i == over && c && strchr("{ABCDEFGHI}JKLMNOPQR", c)) {
            const char *at = strchr("{ABCDEFGHI}JKLMNOPQR", c);
            digit = (int)(at - "{ABCDEFGHI}JKLMNOPQR") % 10;
            d->neg = at - "{ABCDEFGHI}JKLMNOPQR" >= 10;
        } else if (strchr("9Z*smc", m)) {
            if (isdigit((unsigned char)c))
                digit = c - '0';
            else if (c == ' ' || c == '*' || (m != '9' && (c == '+' || c == '-' || c == '$' || c == ',')))
                digit = 0, d->neg |= c == '-' && m == 'm';
            else
                return rp_err(err, RP_INVAL, "%s: '%s' is not an edited number of picture %s (character %zu)", f->name,
                              text, f->edit, i + 1);
        } else if (m == '+' || m == '-') {
            d->neg |= c == '-';
        } else if (m == 'C' || m == 'D') {
            d->neg |= c == m || c == (char)tolower((unsigned char)m);
        }
        if (digit >= 0 && dec_push(d, digit))
            return rp_err(err, RP_INVAL, "%s: '%s' has too many digits", f->name, text);
    }
    dec_end(d, f->scale);
    return RP_OK;
}

int etl_field_decimal(const cb_field *f, const unsigned char *rec, size_t reclen, const char *text, etl_decimal *d,
                      rp_error *err)
{
    return etl_field_decimal_at(f, f->offset, rec, reclen, text, d, err);
}

int etl_field_decimal_at(const cb_field *f, int at, const unsigned char *rec, size_t reclen, const char *text,
                         etl_decimal *d, rp_error *err)
{
    memset(d, 0, sizeof *d);
    if (at < 0 || (size_t)at + (size_t)f->length > reclen)
        return rp_err(err, RP_INVAL, "%s: beyond the end of a %zu-byte record", f->name, reclen);
    const unsigned char *p = rec + at;
    int rc;
    switch (f->kind) {
    case CB_ZONED: rc = zoned_decimal(f, p, d, err); break;
    case CB_PACKED: rc = packed_decimal(f, p, d, err); break;
    case CB_FLOAT: return float_decimal(f, p, d, err);
    case CB_EDITED: return edited_decimal(f, text ? text : "", d, err);
    case CB_BINARY: {
        int64_t v;
        if (etl_binary_decode(p, f->length, f->is_signed, &v))
            return bad_bytes(f, p, "a binary number Rapport can hold", err);
        char s[32];
        snprintf(s, sizeof s, "%lld", (long long)v);
        d->neg = v < 0;
        rc = RP_OK;
        for (const char *c = s + d->neg; *c && !rc; c++)
            rc = dec_push(d, *c - '0');
        break;
    }
    default: return rp_err(err, RP_INVAL, "%s: not a numeric field", f->name);
    }
    if (rc)
        return rc;
    if (d->neg && !f->is_signed)
        return rp_err(err, RP_INVAL, "%s: negative in an unsigned field", f->name);
    dec_end(d, f->scale);
    return RP_OK;
}

int etl_decimal_int(const etl_decimal *d, int64_t *v)
{
    if (d->n > 18)
        return RP_TOOBIG;
    int64_t r = 0;
    for (int i = 0; i < d->n; i++)
        r = r * 10 + (d->digits[i] - '0');
    *v = d->neg ? -r : r;
    return RP_OK;
}

void etl_decimal_text(const etl_decimal *d, char *out, size_t n)
{
    int whole = d->n - d->scale;
    char buf[sizeof d->digits + 200];
    size_t k = 0;
    if (d->neg)
        buf[k++] = '-';
    if (whole <= 0) {
        buf[k++] = '0';
        if (d->scale) {
            buf[k++] = '.';
            for (int i = whole; i < 0; i++)
                buf[k++] = '0';
        }
        for (int i = 0; i < d->n; i++)
            buf[k++] = d->digits[i];
    } else {
        for (int i = 0; i < d->n; i++) {
            if (i == whole)
                buf[k++] = '.';
            buf[k++] = d->digits[i];
        }
    }
    buf[k] = 0;
    snprintf(out, n, "%s", buf);
}
