/* fuzz_ebcdic.c — mainframe field encodings (core/ebcdic.h) and host
 * numbers of a record (etl/convert.h).
 *
 * Input: a mode byte, a parameter byte, then the field's bytes.
 *   0, 1  text in IBM-937 / IBM-037 decoded (into room for 1023 bytes, or
 *         for the parameter's count); text that decodes is encoded back
 *         into a field as wide and must decode to the same text
 *   2, 3  packed / zoned decimal of 1-18 digits (the parameter); a number
 *         that decodes is encoded back and must decode to the same number
 *   4     a numeric copybook field (kind, digits and sign from the
 *         parameter, at offset 0) of the record that follows
 */
#include "fuzz.h"
#include "core/ebcdic.h"
#include "etl/convert.h"

#include <stdlib.h>
#include <string.h>

static rp_host_codec *codec(int k)
{
    static rp_host_codec *c[2];
    rp_error err = RP_ERROR_INIT;
    if (!c[k] && rp_host_codec_open(k ? "IBM037" : "IBM937", &c[k], &err))
        fz_die("%s", rp_errmsg(&err));
    return c[k];
}

static void text(int k, unsigned param, const uint8_t *p, size_t n)
{
    char out[1024];
    size_t room = param & 1 ? sizeof out : param / 2 + 1;
    rp_error err = RP_ERROR_INIT;
    if (rp_host_text_decode(codec(k), p, n, out, room, &err))
        return;
    size_t len = strlen(out);
    if (len >= room)
        fz_bug("decoded %zu bytes into room for %zu", len, room - 1);
    if (memchr(p, 0, n))
        return; /* a NUL decodes to U+0000, where the text (a C string) ends */
    unsigned char *back = malloc(n + 1);
    int truncated = 0;
    if (rp_host_text_encode(codec(k), out, back, n, &truncated, &err) == RP_OK && !truncated) {
        char again[1024];
        if (rp_host_text_decode(codec(k), back, n, again, sizeof again, &err))
            fz_bug("text encoded from '%s' does not decode: %s", out, rp_errmsg(&err));
        if (strcmp(out, again))
            fz_bug("'%s' encoded and decoded is '%s'", out, again);
    }
    free(back);
}

static void number(int zoned, unsigned param, const uint8_t *p, size_t n)
{
    int digits = (int)(param % 18) + 1;
    size_t need = zoned ? (size_t)digits : rp_packed_len(digits);
    int64_t v, w;
    if (n < need || (zoned ? rp_zoned_decode(p, digits, &v) : rp_packed_decode(p, digits, &v)))
        return;
    unsigned char back[32];
    int rc = zoned ? rp_zoned_encode(v, digits, 1, back) : rp_packed_encode(v, digits, 1, back);
    if (rc)
        fz_bug("%lld decoded from %d digits does not encode in %d", (long long)v, digits, digits);
    if ((zoned ? rp_zoned_decode(back, digits, &w) : rp_packed_decode(back, digits, &w)) || w != v)
        fz_bug("%lld encoded in %d digits decodes as %lld", (long long)v, digits, (long long)w);
}

static void field(unsigned param, const uint8_t *p, size_t n)
{
    static const cb_kind kinds[] = { CB_ZONED, CB_PACKED, CB_BINARY, CB_ALNUM };
    cb_field f;
    memset(&f, 0, sizeof f);
    strcpy(f.name, "FUZZ-FIELD");
    f.kind = kinds[param & 3];
    f.is_signed = (param >> 2) & 1;
    f.digits = (int)(param >> 3) % 18 + 1;
    f.scale = f.digits / 3;
    f.length = f.kind == CB_ZONED ? f.digits : f.kind == CB_PACKED ? (int)rp_packed_len(f.digits)
                                              : f.digits <= 4 ? 2 : f.digits <= 9 ? 4 : 8;
    int64_t v;
    rp_error err = RP_ERROR_INIT;
    if (etl_field_number(&f, p, n, &v, &err) == RP_OK && !f.is_signed && v < 0)
        fz_bug("%lld from an unsigned field", (long long)v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const uint8_t *p = data + 2;
    size_t n = size - 2;
    switch (data[0] % 5) {
    case 0: text(0, data[1], p, n); break;
    case 1: text(1, data[1], p, n); break;
    case 2: number(0, data[1], p, n); break;
    case 3: number(1, data[1], p, n); break;
    default: field(data[1], p, n); break;
    }
    return 0;
}
