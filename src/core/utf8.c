#include "core/utf8.h"
#include <stdlib.h>
#include <string.h>

int rp_utf8_decode(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (n == 0)
        return -1;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    int len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        v = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        return -1;
    }
    if (n < (size_t)len)
        return -1;
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return -1;
    *cp = v;
    return len;
}

int rp_utf8_valid(const char *s, size_t n, size_t *bad)
{
    size_t i = 0;
    while (i < n) {
        /* ASCII eight bytes at a time: most of what is loaded */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        int k = rp_utf8_decode(s + i, n - i, &cp);
        if (k < 0) {
            if (bad)
                *bad = i;
            return 0;
        }
        i += (size_t)k;
    }
    return 1;
}

int rp_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp <= 0x10FFFF) {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        return 4;
    }
    return 0;
}

size_t rp_utf8_count(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

int rp_utf8_cp_width(uint32_t cp)
{
    if (cp == 0)
        return 0;
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
        return 0;
    if ((cp >= 0x0300 && cp <= 0x036F) || cp == 0x200B || (cp >= 0xFE00 && cp <= 0xFE0F))
        return 0; /* combining marks, zero-width space, variation selectors */
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
        (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
        (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
        (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
        (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

size_t rp_utf8_width(const char *s, size_t n)
{
    size_t w = 0, i = 0;
    while (i < n) {
        uint32_t cp;
        int k = rp_utf8_decode(s + i, n - i, &cp);
        if (k < 0) {
            w += 1;
            i++;
            continue;
        }
        w += (size_t)rp_utf8_cp_width(cp);
        i += (size_t)k;
    }
    return w;
}

size_t rp_utf8_cut(const char *p, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/* ---- printable: what a terminal shows and does not obey ---- */

/* The bytes of s[i..] that are one printable character, or 0 when s[i] is
 * to be escaped. */
static int printable_at(const unsigned char *s, size_t len, size_t i)
{
    if (s[i] >= 0x20 && s[i] < 0x7F)
        return 1;
    uint32_t cp;
    int k = rp_utf8_decode((const char *)s + i, len - i, &cp);
    return k > 1 && cp >= 0xA0 ? k : 0; /* C0, DEL and C1 are escaped */
}

size_t rp_utf8_printable(const void *p, size_t len, char *out, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = p;
    size_t o = 0;
    if (!n)
        return 0;
    for (size_t i = 0; i < len;) {
        int k = printable_at(s, len, i);
        if (k) {
            if (o + (size_t)k + 1 > n)
                break;
            memcpy(out + o, s + i, (size_t)k);
            o += (size_t)k;
            i += (size_t)k;
        } else {
            if (o + 5 > n)
                break;
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[s[i] >> 4];
            out[o++] = hex[s[i] & 15];
            i++;
        }
    }
    out[o] = 0;
    return o;
}

int rp_utf8_is_printable(const void *p, size_t len)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < len;) {
        int k = printable_at(s, len, i);
        if (!k)
            return 0;
        i += (size_t)k;
    }
    return 1;
}

char *rp_utf8_printable_dup(const char *s)
{
    size_t len = s ? strlen(s) : 0, n = 4 * len + 1;
    char *out = malloc(n);
    if (out)
        rp_utf8_printable(s ? s : "", len, out, n);
    return out;
}

static int invisible(uint32_t cp)
{
    return cp == ' ' || cp == 0xA0 || cp == 0xAD || cp == 0x1680 || cp == 0x180E || (cp >= 0x2000 && cp <= 0x200F) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || (cp >= 0x2060 && cp <= 0x2064) ||
           cp == 0x3000 || cp == 0xFEFF;
}

long rp_utf8_visible(const char *s, size_t n)
{
    long seen = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k = rp_utf8_decode(s + i, n - i, &cp);
        if (k <= 0)
            return -1;
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
            return -2;
        seen += !invisible(cp);
        i += (size_t)k;
    }
    return seen;
}
