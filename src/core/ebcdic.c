#include "core/ebcdic.h"
#include "core/utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

size_t rp_packed_len(int digits) { return (size_t)digits / 2 + 1; }

static int fits(int64_t v, int digits)
{
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    for (int i = 0; i < digits; i++)
        a /= 10;
    return a == 0;
}

int rp_packed_encode(int64_t v, int digits, int is_signed, unsigned char *out)
{
    if (digits < 1 || digits > 18 || !fits(v, digits) || (!is_signed && v < 0))
        return RP_TOOBIG;
    size_t n = rp_packed_len(digits);
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    unsigned sign = !is_signed ? 0xF : v < 0 ? 0xD : 0xC;
    memset(out, 0, n);
    /* nibbles from the right: sign, then digits */
    int nib = (int)n * 2 - 1;
    out[n - 1] = (unsigned char)sign;
    for (int i = nib - 1; i >= 0; i--) {
        unsigned d = (unsigned)(a % 10);
        a /= 10;
        if (i % 2)
            out[i / 2] |= (unsigned char)d;
        else
            out[i / 2] |= (unsigned char)(d << 4);
    }
    return RP_OK;
}

int rp_packed_decode(const unsigned char *p, int digits, int64_t *v)
{
    size_t n = rp_packed_len(digits);
    int64_t r = 0;
    for (size_t i = 0; i < n * 2 - 1; i++) {
        unsigned d = i % 2 ? p[i / 2] & 0xF : p[i / 2] >> 4;
        /* an even number of digits leaves the first nibble over: 0, or the value has a digit too many */
        if (d > 9 || (i == 0 && digits % 2 == 0 && d))
            return RP_ENCODING;
        r = r * 10 + d;
    }
    unsigned sign = p[n - 1] & 0xF;
    if (sign == 0xD || sign == 0xB)
        r = -r;
    else if (sign < 0xA)
        return RP_ENCODING;
    *v = r;
    return RP_OK;
}

int rp_zoned_encode(int64_t v, int digits, int is_signed, unsigned char *out)
{
    if (digits < 1 || digits > 18 || !fits(v, digits) || (!is_signed && v < 0))
        return RP_TOOBIG;
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    for (int i = digits - 1; i >= 0; i--) {
        out[i] = (unsigned char)(0xF0 | (a % 10));
        a /= 10;
    }
    if (is_signed)
        out[digits - 1] = (unsigned char)((v < 0 ? 0xD0 : 0xC0) | (out[digits - 1] & 0xF));
    return RP_OK;
}

int rp_zoned_decode(const unsigned char *p, int digits, int64_t *v)
{
    int64_t r = 0;
    for (int i = 0; i < digits; i++) {
        unsigned zone = p[i] >> 4, d = p[i] & 0xF;
        if (d > 9 || (i < digits - 1 && zone != 0xF) ||
            (i == digits - 1 && zone != 0xF && zone != 0xC && zone != 0xD))
            return RP_ENCODING;
        r = r * 10 + d;
    }
    if ((p[digits - 1] >> 4) == 0xD)
        r = -r;
    *v = r;
    return RP_OK;
}

/* ---- text ---- */

typedef struct cached {
    unsigned char len; /* 0 = not yet, 1 = SBCS, 2 = DBCS, 255 = not encodable */
    unsigned char b[2];
} cached;

struct rp_host_codec {
    iconv_t to, from;
    cached *bmp; /* per BMP code point */
};

int rp_host_codec_open(const char *codepage, rp_host_codec **out, rp_error *err)
{
    rp_host_codec *c = calloc(1, sizeof *c);
    if (!c)
        return rp_err(err, RP_NOMEM, NULL);
    int e = 0;
    if ((c->to = iconv_open(codepage, "UTF-8")) == (iconv_t)-1 ||
        (c->from = iconv_open("UTF-8", codepage)) == (iconv_t)-1)
        e = errno;
    if (!e && !(c->bmp = calloc(65536, sizeof *c->bmp)))
        e = ENOMEM;
    if (e) {
        rp_host_codec_close(c);
        if (e == ENOMEM)
            return rp_err(err, RP_NOMEM, "code page '%s': %s", codepage, rp_strerror(RP_NOMEM));
        return rp_err(err, RP_ENCODING, "code page '%s' is not available", codepage);
    }
    *out = c;
    return RP_OK;
}

void rp_host_codec_close(rp_host_codec *c)
{
    if (!c)
        return;
    if (c->to && c->to != (iconv_t)-1)
        iconv_close(c->to);
    if (c->from && c->from != (iconv_t)-1)
        iconv_close(c->from);
    free(c->bmp);
    free(c);
}

static cached lookup(rp_host_codec *c, const char *ch, size_t n, uint32_t cp)
{
    if (cp < 65536 && c->bmp[cp].len)
        return c->bmp[cp];
    cached r = { 255, { 0, 0 } };
    unsigned char buf[8];
    char *in = (char *)ch, *o = (char *)buf;
    size_t inl = n, outl = sizeof buf;
    iconv(c->to, NULL, NULL, NULL, NULL);
    if (iconv(c->to, &in, &inl, &o, &outl) != (size_t)-1 &&
        iconv(c->to, NULL, NULL, &o, &outl) != (size_t)-1) {
        size_t got = sizeof buf - outl;
        if (got == 1) {
            r.len = 1;
            r.b[0] = buf[0];
        } else if (got == 4 && buf[0] == RP_EBCDIC_SO && buf[3] == RP_EBCDIC_SI) {
            r.len = 2;
            r.b[0] = buf[1];
            r.b[1] = buf[2];
        }
    }
    if (cp < 65536)
        c->bmp[cp] = r;
    return r;
}

int rp_host_text_encode(rp_host_codec *c, const char *s, unsigned char *out, size_t width,
                        int *truncated, rp_error *err)
{
    size_t used = 0, n = strlen(s), i = 0;
    int dbcs = 0;
    if (truncated)
        *truncated = 0;
    while (i < n) {
        uint32_t cp;
        int k = rp_utf8_decode(s + i, n - i, &cp);
        if (k < 0)
            return rp_err(err, RP_ENCODING, "not UTF-8 at byte %zu", i);
        cached e = lookup(c, s + i, (size_t)k, cp);
        if (e.len == 255)
            return rp_err(err, RP_ENCODING, "'%.*s' (U+%04X) has no code in the host code page", k,
                          s + i, cp);
        /* bytes needed: a shift if the mode changes, the character, and an
         * SI to close a DBCS run before the field ends */
        size_t need = e.len + (e.len == 2 ? (dbcs ? 0 : 1) + 1 : (dbcs ? 1 : 0));
        if (used + need > width) {
            if (truncated)
                *truncated = 1;
            break;
        }
        if (e.len == 2 && !dbcs) {
            out[used++] = RP_EBCDIC_SO;
            dbcs = 1;
        } else if (e.len == 1 && dbcs) {
            out[used++] = RP_EBCDIC_SI;
            dbcs = 0;
        }
        memcpy(out + used, e.b, e.len);
        used += e.len;
        i += (size_t)k;
    }
    if (dbcs)
        out[used++] = RP_EBCDIC_SI;
    memset(out + used, RP_EBCDIC_SPACE, width - used);
    return RP_OK;
}

int rp_host_text_decode(rp_host_codec *c, const unsigned char *in, size_t width, char *out,
                        size_t outn, rp_error *err)
{
    char *ip = (char *)in, *op = out;
    size_t inl = width, outl = outn - 1;
    iconv(c->from, NULL, NULL, NULL, NULL);
    if (iconv(c->from, &ip, &inl, &op, &outl) == (size_t)-1) {
        int e = errno;
        return rp_err(err, e == E2BIG ? RP_TOOBIG : RP_ENCODING,
                      e == E2BIG ? "field too long to decode" : "invalid byte 0x%02X at offset %zu",
                      (unsigned)(unsigned char)*ip, (size_t)((unsigned char *)ip - in));
    }
    /* an unterminated DBCS run is an error in the data */
    if (iconv(c->from, NULL, NULL, &op, &outl) == (size_t)-1)
        return rp_err(err, RP_ENCODING, "shift-out without shift-in");
    while (op > out && op[-1] == ' ')
        op--;
    *op = 0;
    return RP_OK;
}
