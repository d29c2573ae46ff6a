/* text.c — cleaning text as people and systems type it.  See text.h. */
#include "core/text.h"
#include "core/utf8.h"

#include <string.h>

static int is_han(uint32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x3FFFD);
}

static int is_blank(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x3000 || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x202F || cp == 0x205F;
}

/* Decode in into code points, applying f to each; blanks collapsed and
 * trimmed; returns the count or -1 when in is not UTF-8. */
typedef struct cps {
    uint32_t cp[1024];
    int n;
} cps;

static int decode(const char *in, cps *c, rp_error *err)
{
    size_t len = strlen(in), i = 0;
    c->n = 0;
    int pending_blank = 0;
    while (i < len) {
        uint32_t cp;
        int k = rp_utf8_decode(in + i, len - i, &cp);
        if (k < 0)
            return rp_err(err, RP_ENCODING, "not UTF-8 at byte %zu", i);
        i += (size_t)k;
        if (cp >= 0xFF01 && cp <= 0xFF5E) /* full-width ASCII */
            cp -= 0xFEE0;
        if (is_blank(cp)) {
            pending_blank = c->n > 0;
            continue;
        }
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0x200B || cp == 0xFEFF)
            continue; /* controls, zero-width space, a stray BOM */
        if (c->n + 2 >= (int)(sizeof c->cp / sizeof c->cp[0]))
            return rp_err(err, RP_TOOBIG, "text longer than 1000 characters");
        if (pending_blank)
            c->cp[c->n++] = ' ';
        pending_blank = 0;
        c->cp[c->n++] = cp;
    }
    return RP_OK;
}

static int encode(const cps *c, const char *in, char *out, size_t n, int *changed, rp_error *err)
{
    size_t j = 0;
    for (int k = 0; k < c->n; k++) {
        char b[4];
        int m = rp_utf8_encode(c->cp[k], b);
        if (j + (size_t)m + 1 > n)
            return rp_err(err, RP_TOOBIG, "cleaned text longer than %zu bytes", n - 1);
        memcpy(out + j, b, (size_t)m);
        j += (size_t)m;
    }
    out[j] = 0;
    if (changed)
        *changed = strcmp(in, out) != 0;
    return RP_OK;
}

/* Drop blanks that stand between two Han characters (or a Han character
 * and a digit, for addresses). */
static void join_han(cps *c, int digits_too)
{
    int j = 0;
    for (int k = 0; k < c->n; k++) {
        if (c->cp[k] == ' ' && j > 0 && k + 1 < c->n) {
            uint32_t a = c->cp[j - 1], b = c->cp[k + 1];
            int ah = is_han(a) || (digits_too && a >= '0' && a <= '9');
            int bh = is_han(b) || (digits_too && b >= '0' && b <= '9');
            if ((is_han(a) || is_han(b)) && ah && bh)
                continue;
        }
        c->cp[j++] = c->cp[k];
    }
    c->n = j;
}

int rp_clean_text(const char *in, char *out, size_t n, int *changed, rp_error *err)
{
    size_t k = strlen(in);
    if (rp_text_plain(in, k) && k < n) {
        memcpy(out, in, k + 1);
        if (changed)
            *changed = 0;
        return RP_OK;
    }
    cps c;
    int rc = decode(in, &c, err);
    return rc ? rc : encode(&c, in, out, n, changed, err);
}

int rp_clean_name(const char *in, char *out, size_t n, int *changed, rp_error *err)
{
    cps c;
    int rc = decode(in, &c, err);
    if (rc)
        return rc;
    int han = 0;
    for (int k = 0; k < c.n; k++)
        han |= is_han(c.cp[k]);
    if (han) {
        join_han(&c, 0);
    } else {
        /* romanised: upper case, "CHEN,YI-CHUN" and "CHEN , YI-CHUN" to "CHEN, YI-CHUN";
         * a blank may be inserted, so write to a second array */
        static _Thread_local cps o;
        int j = 0;
        for (int k = 0; k < c.n && j + 2 < (int)(sizeof o.cp / sizeof o.cp[0]); k++) {
            uint32_t cp = c.cp[k];
            if (cp >= 'a' && cp <= 'z')
                cp -= 32;
            if (cp == ' ' && k + 1 < c.n && c.cp[k + 1] == ',')
                continue;
            o.cp[j++] = cp;
            if (cp == ',' && k + 1 < c.n && c.cp[k + 1] != ' ')
                o.cp[j++] = ' ';
        }
        o.n = j;
        return encode(&o, in, out, n, changed, err);
    }
    return encode(&c, in, out, n, changed, err);
}

int rp_clean_address(const char *in, char *out, size_t n, int *changed, rp_error *err)
{
    cps c;
    int rc = decode(in, &c, err);
    if (rc)
        return rc;
    for (int k = 0; k < c.n; k++)
        if (c.cp[k] == 0x53F0) /* 台 -> 臺, the official form in place names */
            c.cp[k] = 0x81FA;
    join_han(&c, 1);
    return encode(&c, in, out, n, changed, err);
}
