/* decode.c — records to typed, cleansed, validated field values.  See
 * spec.h. */
#include "core/ebcdic.h"
#include "core/json.h"
#include "core/utf8.h"
#include "etl/cleanse.h"
#include "etl/convert.h"
#include "etl/spec.h"
#include "core/buf.h"
#include "warehouse/warehouse.h"

#include <ctype.h>
#include <iconv.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sp_decoder {
    const sp_spec *s;
    char file[256];
    int col[SP_MAX_FIELDS];
    int bound;
    int nheader;
    rp_host_codec *host;
    iconv_t cv;
    int utf8;
    int reader_checked; /* the reader has checked each record is UTF-8: its fields need not be again */
    json_t *doc;
    char txt[SP_MAX_FIELDS][SP_TEXT_MAX];
    char key[1024];
    int nfixed;
    const char *fixed_rule[SP_MAX_FIELDS];
    const char *fixed_field[SP_MAX_FIELDS];
};

/* At most max bytes of p, not cutting a UTF-8 character in two. */
static size_t cut(const char *p, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
        n--;
    return n;
}

void sp_printable(const void *p, size_t len, char *out, size_t n)
{
    const unsigned char *s = p;
    size_t o = 0;
    if (!n)
        return;
    for (size_t i = 0; i < len && o + 1 < n;) {
        uint32_t cp;
        int k = rp_utf8_decode((const char *)s + i, len - i, &cp);
        if (k > 0 && cp >= 0x20 && cp != 0x7F) {
            if (o + (size_t)k + 1 > n)
                break;
            memcpy(out + o, s + i, (size_t)k);
            o += (size_t)k;
            i += (size_t)k;
        } else {
            if (o + 5 > n)
                break;
            snprintf(out + o, n - o, "\\x%02X", s[i]);
            o += 4;
            i++;
        }
    }
    out[o] = 0;
}

int sp_decoder_open(const sp_spec *s, const char *file, const char **header, int nheader, sp_decoder **out,
                    rp_error *err)
{
    sp_decoder *d = calloc(1, sizeof *d);
    if (!d)
        return rp_err(err, RP_NOMEM, NULL);
    d->s = s;
    d->cv = (iconv_t)-1;
    const char *base = strrchr(file, '/');
    snprintf(d->file, sizeof d->file, "%s", base ? base + 1 : file);
    int rc = RP_OK;
    if (!strcmp(s->encoding, "IBM-937") || !strcmp(s->encoding, "IBM-037")) {
        rc = rp_host_codec_open(!strcmp(s->encoding, "IBM-937") ? "IBM937" : "IBM037", &d->host, err);
    } else if (!strcmp(s->encoding, "UTF-8")) {
        d->utf8 = 1;
        d->reader_checked = sp_reader_options(s).utf8;
    } else {
        d->cv = iconv_open("UTF-8", s->encoding);
        if (d->cv == (iconv_t)-1)
            rc = rp_err(err, RP_ENCODING, "this system's iconv cannot convert from %s", s->encoding);
    }
    if (rc) {
        sp_decoder_close(d);
        return rc;
    }
    for (int i = 0; i < s->nfields; i++)
        d->col[i] = s->fields[i].column;
    if (header) {
        for (int i = 0; i < s->nfields; i++) {
            const sp_field *f = &s->fields[i];
            if (f->src != SRC_FROM || f->column >= 0)
                continue;
            for (int c = 0; c < nheader && d->col[i] < 0; c++)
                if (strcmp(header[c], f->from) == 0)
                    d->col[i] = c;
            if (d->col[i] < 0 && !f->optional) {
                char cols[600] = "";
                for (int c = 0; c < nheader; c++)
                    snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "%s%s", c ? ", " : "", header[c]);
                rc = rp_err(err, RP_INVAL, "spec %s: fields[%d] (%s).from: no column '%s' in the header "
                            "of %s (it has %s)", s->name, i, f->name, f->from, d->file, cols);
                sp_decoder_close(d);
                return rc;
            }
        }
    }
    d->bound = 1;
    d->nheader = header ? nheader : 0;
    *out = d;
    return RP_OK;
}

void sp_decoder_close(sp_decoder *d)
{
    if (!d)
        return;
    rp_host_codec_close(d->host);
    if (d->cv != (iconv_t)-1)
        iconv_close(d->cv);
    json_decref(d->doc);
    free(d);
}

int sp_fixed_count(const sp_decoder *d) { return d->nfixed; }
void sp_fixed_get(const sp_decoder *d, int i, const char **rule, const char **field)
{
    *rule = d->fixed_rule[i];
    *field = d->fixed_field[i];
}

int sp_reject_set(sp_reject *rej, const char *field, const void *value, size_t vlen, const char *rule,
                  const char *fmt, ...)
{
    snprintf(rej->field, sizeof rej->field, "%s", field ? field : "");
    sp_printable(value ? value : "", value ? vlen : 0, rej->value, sizeof rej->value);
    snprintf(rej->rule, sizeof rej->rule, "%s", rule);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rej->message, sizeof rej->message, fmt, ap);
    va_end(ap);
    return SP_REJECT;
}

#define reject sp_reject_set

/* A length not known (the text was written by a formatting call): strlen it. */
#define NOLEN ((size_t)-1)

/* Blanks off both ends of s, of n bytes (NOLEN: measured); the length left. */
static size_t trim(char *s, size_t n)
{
    if (n == NOLEN)
        n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = 0;
    size_t k = 0;
    while (s[k] == ' ' || s[k] == '\t')
        k++;
    if (k)
        memmove(s, s + k, n - k + 1);
    return n - k;
}

/* Source bytes in the file's encoding to UTF-8 text in out. */
static int to_utf8(sp_decoder *d, const sp_field *f, const char *p, size_t n, int dbcs, int checked, char *out,
                   size_t *outlen, sp_reject *rej, rp_error *err)
{
    *outlen = NOLEN;
    if (d->host) {
        unsigned char tmp[SP_TEXT_MAX];
        const unsigned char *in = (const unsigned char *)p;
        if (dbcs) { /* PIC G: the bytes of a DBCS run without SO/SI */
            if (n + 2 > sizeof tmp)
                n = sizeof tmp - 2;
            tmp[0] = RP_EBCDIC_SO;
            memcpy(tmp + 1, p, n);
            tmp[n + 1] = RP_EBCDIC_SI;
            in = tmp;
            n += 2;
        }
        rp_error e;
        rp_err_clear(&e);
        int rc = rp_host_text_decode(d->host, in, n, out, SP_TEXT_MAX, &e);
        if (rc == RP_ENCODING || rc == RP_TOOBIG || rc == RP_INVAL) {
            /* EBCDIC bytes mean nothing as ASCII: the value is shown in hex, without the padding */
            size_t k = n;
            while (k && in[k - 1] == RP_EBCDIC_SPACE)
                k--;
            reject(rej, f->name, "", 0, "encoding", "%s: not valid %s: %s", f->name, d->s->encoding, rp_errmsg(&e));
            size_t o = 0;
            for (size_t i = 0; i < k && o + 5 < sizeof rej->value; i++)
                o += (size_t)snprintf(rej->value + o, sizeof rej->value - o, "\\x%02X", in[i]);
            return SP_REJECT;
        }
        if (rc)
            return rp_err(err, rc, "%s", rp_errmsg(&e));
        return RP_OK;
    }
    if (n >= SP_TEXT_MAX)
        return reject(rej, f->name, p, 80, "length", "%s: longer than %d bytes", f->name, SP_TEXT_MAX - 1);
    if (d->utf8) {
        size_t bad;
        if (!checked && !rp_utf8_valid(p, n, &bad))
            return reject(rej, f->name, p, n, "encoding", "%s: not valid UTF-8 at byte %zu", f->name, bad);
        memcpy(out, p, n);
        out[n] = 0;
        *outlen = n;
        return RP_OK;
    }
    char *in = (char *)p, *o = out;
    size_t inl = n, outl = SP_TEXT_MAX - 1;
    iconv(d->cv, NULL, NULL, NULL, NULL);
    if (iconv(d->cv, &in, &inl, &o, &outl) == (size_t)-1)
        return reject(rej, f->name, p, n, "encoding", "%s: not valid %s at byte %zu", f->name, d->s->encoding,
                      (size_t)(in - p));
    *o = 0;
    *outlen = (size_t)(o - out);
    return RP_OK;
}

static int json_member(sp_decoder *d, const char *path, const json_t **out)
{
    const json_t *cur = d->doc;
    char part[128];
    while (*path && cur) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        if (n >= sizeof part)
            return 0;
        memcpy(part, path, n);
        part[n] = 0;
        cur = json_is_object(cur) ? json_object_get(cur, part) : NULL;
        path += n + (dot ? 1 : 0);
    }
    *out = cur;
    return cur != NULL;
}

static int when_holds(const sp_rule *r, const sp_value *v)
{
    if (r->when_field < 0)
        return 1;
    const char *t = v[r->when_field].null ? "" : v[r->when_field].text;
    for (int i = 0; i < r->nwhen; i++)
        if (strcmp(r->when[i], t) == 0)
            return 1;
    return 0;
}

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

static int check_ok(sp_check c, const char *t)
{
    switch (c) {
    case CK_NATIONAL_ID: return wh_check_national_id(t);
    case CK_RESIDENT_CERT: return wh_check_resident_cert(t);
    case CK_PERSON_ID: return wh_check_national_id(t) || wh_check_resident_cert(t);
    case CK_UBN: return wh_check_ubn(t);
    case CK_TAIWAN_ID: return wh_check_national_id(t) || wh_check_resident_cert(t) || wh_check_ubn(t);
    case CK_LUHN: return luhn_ok(t);
    case CK_NONE: break;
    }
    return 1;
}

static const char *check_name(sp_check c)
{
    switch (c) {
    case CK_NATIONAL_ID: return "national ID";
    case CK_RESIDENT_CERT: return "resident certificate";
    case CK_PERSON_ID: return "national ID or resident certificate";
    case CK_UBN: return "unified business number";
    case CK_TAIWAN_ID: return "national ID, resident certificate or unified business number";
    case CK_LUHN: return "card number (Luhn)";
    case CK_NONE: break;
    }
    return "";
}

static double pow10i(int e)
{
    double p = 1;
    while (e-- > 0)
        p *= 10;
    return p;
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

/* len: of v's text, or NOLEN */
static int apply_rules(const sp_field *f, sp_value *v, size_t len, const sp_value *all, sp_reject *rej)
{
    for (int i = 0; i < f->nrules; i++) {
        const sp_rule *r = &f->rules[i];
        if (!when_holds(r, all))
            continue;
        if (r->kind == RL_REQUIRED) {
            if (v->null)
                return reject(rej, f->name, "", 0, "required", "%s: required", f->name);
            continue;
        }
        if (v->null)
            continue;
        const char *t = v->text;
        switch (r->kind) {
        case RL_MIN:
        case RL_MAX: {
            double x = v->is_num ? (double)v->num : strtod(t, NULL);
            if (f->type == FT_AMOUNT)
                x /= pow10i(f->exponent);
            if ((r->kind == RL_MIN && x < r->num) || (r->kind == RL_MAX && x > r->num)) {
                char shown[96];
                if (f->type == FT_AMOUNT && v->is_num && f->exponent > 0) {
                    int64_t p = 1;
                    for (int k = 0; k < f->exponent; k++)
                        p *= 10;
                    uint64_t a = v->num < 0 ? (uint64_t)0 - (uint64_t)v->num : (uint64_t)v->num;
                    snprintf(shown, sizeof shown, "%s%llu.%0*llu", v->num < 0 ? "-" : "",
                             (unsigned long long)(a / (uint64_t)p), f->exponent & 15, (unsigned long long)(a % (uint64_t)p));
                } else {
                    snprintf(shown, sizeof shown, "%s", t);
                }
                return reject(rej, f->name, shown, strlen(shown), "range", "%s: %s is %s %g", f->name, shown,
                              r->kind == RL_MIN ? "below the minimum" : "above the maximum", r->num);
            }
            break;
        }
        case RL_MAXLEN: {
            size_t n = len != NOLEN ? len : strlen(t); /* characters counted only when the bytes are more */
            if ((double)n > r->num && (double)rp_utf8_count(t, n) > r->num)
                return reject(rej, f->name, t, n, "length", "%s: longer than %g characters", f->name, r->num);
            break;
        }
        case RL_PATTERN:
            if (r->nfixed ? !fixed_match(r, t) : regexec(&r->re, t, 0, NULL, 0) != 0)
                return reject(rej, f->name, t, strlen(t), "pattern", "%s: '%s' does not match %s", f->name, t,
                              r->text);
            break;
        case RL_CHECK:
            if (!check_ok(r->check, t))
                return reject(rej, f->name, t, strlen(t), "checksum", "%s: '%s' is not a valid %s", f->name, t,
                              check_name(r->check));
            break;
        case RL_IN: {
            int ok = 0;
            for (int k = 0; k < r->nset && !ok; k++)
                ok = r->set[k][0] == t[0] && strcmp(r->set[k], t) == 0;
            if (!ok)
                return reject(rej, f->name, t, strlen(t), "code", "%s: '%s' is not an allowed value", f->name, t);
            break;
        }
        case RL_REQUIRED: break;
        }
    }
    return RP_OK;
}

static void fixed(sp_decoder *d, const char *rule, const char *field)
{
    if (d->nfixed < SP_MAX_FIELDS) {
        d->fixed_rule[d->nfixed] = rule;
        d->fixed_field[d->nfixed] = field;
        d->nfixed++;
    }
}

/* The time zone offset text (+08:00) in seconds. */
static int64_t zone_seconds(const char *z)
{
    if (!strcmp(z, "Z"))
        return 0;
    int64_t s = ((z[1] - '0') * 10 + (z[2] - '0')) * 3600 + ((z[4] - '0') * 10 + (z[5] - '0')) * 60;
    return z[0] == '-' ? -s : s;
}

static int has_zone(const char *t, size_t n)
{
    if (n && (t[n - 1] == 'Z' || t[n - 1] == 'z'))
        return 1;
    return n > 6 && (t[n - 6] == '+' || t[n - 6] == '-') && t[n - 3] == ':';
}

static int decode_field(sp_decoder *d, int i, const rd_record *rec, sp_value *vals, sp_reject *rej,
                        rp_error *err)
{
    const sp_spec *s = d->s;
    const sp_field *f = &s->fields[i];
    sp_value *v = &vals[i];
    char *txt = d->txt[i];
    int numeric = 0, have_text = 0, json_typed = 0;
    int64_t num = 0;
    int scale = 0, digits = 0;
    size_t tl = NOLEN; /* the length of txt, where known */
    memset(v, 0, sizeof *v);
    txt[0] = 0;

    switch (f->src) {
    case SRC_FROM:
        if (f->cb) {
            const cb_field *c = f->cb;
            if ((size_t)(c->offset + c->length) > rec->len)
                return reject(rej, f->name, "", 0, "length", "%s: the record ends before the field", f->name);
            const unsigned char *p = (const unsigned char *)rec->data + c->offset;
            if (c->kind == CB_ALNUM || c->kind == CB_DBCS) {
                int rc = to_utf8(d, f, (const char *)p, (size_t)c->length, c->kind == CB_DBCS, 0, txt, &tl, rej, err);
                if (rc)
                    return rc;
                have_text = 1;
            } else {
                rp_error e;
                rp_err_clear(&e);
                if (etl_field_number(c, (const unsigned char *)rec->data, rec->len, &num, &e))
                    return reject(rej, f->name, p, (size_t)c->length, "number", "%s: %s", f->name, rp_errmsg(&e));
                numeric = 1;
                scale = c->scale;
                digits = c->digits;
            }
        } else if (s->format == SPF_JSONL) {
            const json_t *m = NULL;
            if (!json_member(d, f->from, &m) || json_is_null(m)) {
                v->null = 1;
                break;
            }
            json_typed = 1;
            if (json_is_string(m)) {
                size_t n = json_string_length(m);
                if (n >= SP_TEXT_MAX)
                    return reject(rej, f->name, json_string_value(m), 80, "length", "%s: longer than %d bytes",
                                  f->name, SP_TEXT_MAX - 1);
                memcpy(txt, json_string_value(m), n + 1);
                tl = n;
            } else if (json_is_integer(m)) {
                snprintf(txt, SP_TEXT_MAX, "%lld", (long long)json_integer_value(m));
            } else if (json_is_real(m)) {
                snprintf(txt, SP_TEXT_MAX, "%.*f", f->type == FT_AMOUNT ? f->exponent : 6, json_real_value(m));
            } else if (json_is_boolean(m)) {
                snprintf(txt, SP_TEXT_MAX, "%s", json_is_true(m) ? "true" : "false");
            } else {
                char *dump = json_dumps(m, JSON_COMPACT);
                snprintf(txt, SP_TEXT_MAX, "%s", dump ? dump : "");
                free(dump);
            }
            have_text = 1;
        } else {
            int c = d->col[i];
            if (c < 0 || c >= rec->nfields) {
                if (f->optional) {
                    v->null = 1;
                    break;
                }
                return reject(rej, f->name, "", 0, "columns", "%s: the record has %d fields; column %d is missing",
                              f->name, rec->nfields, c + 1);
            }
            /* a field of a text record the reader has checked is UTF-8 (sp_reader_options) */
            int rc = to_utf8(d, f, rec->field[c], rec->flen[c], 0, d->reader_checked, txt, &tl, rej, err);
            if (rc)
                return rc;
            have_text = 1;
        }
        break;
    case SRC_POSITION: {
        size_t st = (size_t)f->start, n = (size_t)f->length;
        if (st >= rec->len)
            n = 0;
        else if (st + n > rec->len)
            n = rec->len - st;
        int rc = to_utf8(d, f, n ? rec->data + st : "", n, 0, 0, txt, &tl, rej, err);
        if (rc)
            return rc;
        have_text = 1;
        break;
    }
    case SRC_CONST:
        snprintf(txt, SP_TEXT_MAX, "%s", f->constant);
        have_text = 1;
        break;
    case SRC_CONCAT: {
        size_t o = 0;
        for (int k = 0; k < f->nparts; k++) {
            const char *p = f->parts[k].field < 0 ? f->parts[k].lit
                          : vals[f->parts[k].field].null ? "" : vals[f->parts[k].field].text;
            int w = snprintf(txt + o, SP_TEXT_MAX - o, "%s%s", k && *f->sep ? f->sep : "", p);
            if (w < 0 || (size_t)w >= SP_TEXT_MAX - o)
                return reject(rej, f->name, txt, o, "length", "%s: longer than %d bytes", f->name, SP_TEXT_MAX - 1);
            o += (size_t)w;
        }
        have_text = 1;
        break;
    }
    case SRC_RECORD:
        snprintf(txt, SP_TEXT_MAX, "%lld", (long long)rec->number);
        have_text = 1;
        break;
    case SRC_HASH: {
        unsigned char h[16];
        crypto_generichash(h, sizeof h, (const unsigned char *)rec->data, rec->len, NULL, 0);
        sodium_bin2hex(txt, SP_TEXT_MAX, h, sizeof h);
        have_text = 1;
        break;
    }
    case SRC_FILE:
        snprintf(txt, SP_TEXT_MAX, "%s", d->file);
        have_text = 1;
        break;
    }
    if (v->null) { /* missing: the default, if there is one, as it is */
        if (!f->has_default || !f->map_default)
            return apply_rules(f, v, NOLEN, vals, rej);
        v->null = 0;
        snprintf(txt, SP_TEXT_MAX, "%s", f->map_default);
        have_text = 0;
    }

    if (have_text) {
        if (!json_typed || f->type != FT_TEXT)
            tl = trim(txt, tl);
        if (f->ncases && *txt) {
            int k = 0;
            while (k < f->ncases && regexec(&f->case_re[k], txt, 0, NULL, 0) != 0)
                k++;
            if (k == f->ncases)
                return reject(rej, f->name, txt, strlen(txt), "code", "%s: '%s' matches none of its cases", f->name,
                              txt);
            if (!f->case_to[k]) {
                v->null = 1;
                return apply_rules(f, v, NOLEN, vals, rej);
            }
            snprintf(txt, SP_TEXT_MAX, "%s", f->case_to[k]);
            tl = NOLEN;
        }
        if (f->nmap || f->has_default) {
            int found = -1, use_default = 0;
            for (int k = 0; k < f->nmap && found < 0; k++)
                if (strcmp(f->map_from[k], txt) == 0)
                    found = k;
            if (found >= 0) {
                if (!f->map_to[found]) {
                    v->null = 1;
                    return apply_rules(f, v, NOLEN, vals, rej);
                }
                snprintf(txt, SP_TEXT_MAX, "%s", f->map_to[found]);
                tl = NOLEN;
            } else if (f->nmap && f->has_default) {
                use_default = 1;
            } else if (!f->nmap) {
                use_default = !*txt;
            } else if (f->map_strict && *txt) {
                char codes[300] = "";
                for (int k = 0; k < f->nmap && strlen(codes) < 250; k++)
                    snprintf(codes + strlen(codes), sizeof codes - strlen(codes), "%s%s", k ? ", " : "",
                             f->map_from[k]);
                return reject(rej, f->name, txt, strlen(txt), "code", "%s: '%s' is not one of %s", f->name, txt,
                              codes);
            }
            if (use_default) {
                if (!f->map_default) {
                    v->null = 1;
                    return apply_rules(f, v, NOLEN, vals, rej);
                }
                snprintf(txt, SP_TEXT_MAX, "%s", f->map_default);
                tl = NOLEN;
            }
        }
        if (!*txt && f->type != FT_BOOLEAN) {
            v->null = 1;
            return apply_rules(f, v, NOLEN, vals, rej);
        }
    }

    rp_error e;
    rp_err_clear(&e);
    int changed = 0;
    size_t in_len = tl != NOLEN ? tl : strlen(txt); /* the text as it came, before the type's rewriting */
    tl = NOLEN;
    switch (f->type) {
    case FT_TEXT:
    case FT_NAME:
    case FT_ADDRESS: {
        if (numeric) {
            snprintf(txt, SP_TEXT_MAX, "%lld", (long long)num);
            break;
        }
        tl = in_len;
        if (!f->clean || (f->type == FT_TEXT && rp_text_plain(txt, tl)))
            break;
        char tmp[SP_TEXT_MAX];
        int rc = f->type == FT_NAME ? rp_clean_name(txt, tmp, sizeof tmp, &changed, &e)
               : f->type == FT_ADDRESS ? rp_clean_address(txt, tmp, sizeof tmp, &changed, &e)
                                       : rp_clean_text(txt, tmp, sizeof tmp, &changed, &e);
        if (rc)
            return reject(rej, f->name, txt, strlen(txt), "text", "%s: %s", f->name, rp_errmsg(&e));
        if (changed) {
            tl = strlen(tmp);
            memcpy(txt, tmp, tl + 1);
            fixed(d, f->type == FT_NAME ? "clean_name" : f->type == FT_ADDRESS ? "clean_address" : "clean_text",
                  f->name);
        }
        if (!*txt) {
            v->null = 1;
            return apply_rules(f, v, NOLEN, vals, rej);
        }
        break;
    }
    case FT_PHONE: {
        if (numeric)
            snprintf(txt, SP_TEXT_MAX, "%0*lld", digits, (long long)num);
        char tmp[64];
        if (etl_clean_phone(txt, tmp, sizeof tmp, &changed, &e))
            return reject(rej, f->name, txt, strlen(txt), "phone", "%s: %s", f->name, rp_errmsg(&e));
        int separators = 0;
        for (const char *p = txt; *p; p++)
            separators |= !isdigit((unsigned char)*p) && *p != '+';
        if (separators)
            fixed(d, "clean_phone", f->name);
        snprintf(txt, SP_TEXT_MAX, "%s", tmp);
        break;
    }
    case FT_EMAIL: {
        char tmp[300], look[300];
        if (wh_email_normalise(txt, tmp, sizeof tmp, look, sizeof look, &e))
            return reject(rej, f->name, txt, strlen(txt), "email", "%s: %s", f->name, rp_errmsg(&e));
        if (strcmp(tmp, txt)) {
            fixed(d, "clean_email", f->name);
            snprintf(txt, SP_TEXT_MAX, "%s", tmp);
        }
        break;
    }
    case FT_INTEGER:
        if (numeric) {
            if (etl_rescale(num, scale, 0, &num, &e))
                return reject(rej, f->name, txt, 0, "number", "%s: %s", f->name, rp_errmsg(&e));
        } else if (etl_parse_amount(txt, in_len, 0, 0, &num, &e)) {
            return reject(rej, f->name, txt, in_len, "number", "%s: '%s' is not a whole number", f->name, txt);
        }
        v->is_num = 1;
        v->num = num;
        rp_fmt_i64(txt, num);
        break;
    case FT_AMOUNT:
        if (numeric) {
            if (etl_rescale(num, scale, f->exponent, &num, &e))
                return reject(rej, f->name, "", 0, "amount", "%s: %s", f->name, rp_errmsg(&e));
        } else {
            int sc = f->decimals >= 0 ? f->decimals : f->exponent;
            if (etl_parse_amount(txt, in_len, sc, f->implied, &num, &e))
                return reject(rej, f->name, txt, in_len, "amount", "%s: %s", f->name, rp_errmsg(&e));
            if (etl_rescale(num, sc, f->exponent, &num, &e))
                return reject(rej, f->name, txt, in_len, "amount", "%s: %s", f->name, rp_errmsg(&e));
        }
        v->is_num = 1;
        v->num = num;
        rp_fmt_i64(txt, num);
        break;
    case FT_DATE:
    case FT_DATETIME: {
        rp_date dt = { 0, 0, 0 };
        int has = 1;
        int is_number = numeric;
        if (!numeric && f->datefmt != DF_AUTO) {
            if (etl_parse_amount(txt, strlen(txt), 0, 0, &num, &e) || num < 0)
                return reject(rej, f->name, txt, strlen(txt), "date", "%s: '%s' is not a %s date", f->name, txt,
                              f->datefmt == DF_ROC ? "ROC YYYMMDD" : "YYYYMMDD");
            is_number = 1;
            scale = 0;
        }
        if (f->type == FT_DATETIME && f->time_field < 0 && !is_number && memchr(txt, ':', in_len)) {
            char t[80];
            size_t zl = has_zone(txt, in_len) ? 0 : strlen(f->zone);
            if (in_len + zl >= sizeof t)
                return reject(rej, f->name, txt, in_len, "date", "%s: '%s' is not a date and time", f->name, txt);
            memcpy(t, txt, in_len);
            memcpy(t + in_len, f->zone, zl);
            t[in_len + zl] = 0;
            int64_t at;
            if (rp_time_parse(t, &at, &e))
                return reject(rej, f->name, txt, strlen(txt), "date", "%s: %s", f->name, rp_errmsg(&e));
            rp_time_format_utc(at, txt);
            v->is_num = 1;
            v->num = at;
            break;
        }
        /* a datetime written as a date alone: midnight in the field's zone */
        if (is_number) {
            int roc = f->datefmt == DF_ROC || (f->datefmt == DF_AUTO && digits == 7);
            if (scale || etl_date_from_number(num, roc, &dt, &has, &e))
                return reject(rej, f->name, txt, strlen(txt), "date", "%s: %s", f->name,
                              scale ? "a date has no decimals" : rp_errmsg(&e));
        } else if (rp_date_parse(txt, &dt, &e)) {
            return reject(rej, f->name, txt, strlen(txt), "date", "%s: %s", f->name, rp_errmsg(&e));
        }
        if (!has) {
            v->null = 1;
            return apply_rules(f, v, NOLEN, vals, rej);
        }
        int64_t days = rp_days_from_civil(dt.y, dt.m, dt.d);
        if (f->type == FT_DATE) {
            rp_date_format(dt, txt);
            v->is_num = 1;
            v->num = days;
            break;
        }
        int64_t secs = 0;
        if (f->time_field >= 0 && !vals[f->time_field].null) {
            const sp_value *tv = &vals[f->time_field];
            int64_t hms = tv->is_num ? tv->num : strtoll(tv->text, NULL, 10);
            int hh = (int)(hms / 10000), mi = (int)(hms / 100 % 100), ss = (int)(hms % 100);
            if (hms < 0 || hh > 23 || mi > 59 || ss > 59)
                return reject(rej, s->fields[f->time_field].name, tv->text, strlen(tv->text), "date",
                              "%s: %06lld is not a time of day (HHMMSS)", s->fields[f->time_field].name,
                              (long long)hms);
            secs = hh * 3600 + mi * 60 + ss;
        }
        int64_t at = days * 86400 + secs - zone_seconds(f->zone);
        rp_time_format_utc(at, txt);
        v->is_num = 1;
        v->num = at;
        break;
    }
    case FT_DECIMAL: {
        /* a number kept at its own scale: rates (1.6500 %), ratios */
        int sc = numeric ? scale : f->decimals >= 0 ? f->decimals : 6;
        if (!numeric && etl_parse_amount(txt, strlen(txt), sc, f->implied, &num, &e))
            return reject(rej, f->name, txt, strlen(txt), "number", "%s: %s", f->name, rp_errmsg(&e));
        uint64_t a = num < 0 ? (uint64_t)0 - (uint64_t)num : (uint64_t)num, p = 1;
        for (int k = 0; k < sc; k++)
            p *= 10;
        if (sc)
            snprintf(txt, SP_TEXT_MAX, "%s%llu.%0*llu", num < 0 ? "-" : "", (unsigned long long)(a / p), sc & 15,
                     (unsigned long long)(a % p));
        else
            snprintf(txt, SP_TEXT_MAX, "%lld", (long long)num);
        v->is_num = 0; /* the text is the value; min and max read it */
        break;
    }
    case FT_BOOLEAN: {
        static const char *const yes[] = { "1", "true", "TRUE", "True", "Y", "y", "yes", "YES", "T", NULL };
        static const char *const no[] = { "0", "false", "FALSE", "False", "N", "n", "no", "NO", "F", "", NULL };
        int b = -1;
        if (numeric)
            b = num != 0;
        for (int k = 0; b < 0 && yes[k]; k++)
            if (!strcmp(yes[k], txt))
                b = 1;
        for (int k = 0; b < 0 && no[k]; k++)
            if (!strcmp(no[k], txt))
                b = 0;
        if (b < 0)
            return reject(rej, f->name, txt, strlen(txt), "code", "%s: '%s' is not yes or no", f->name, txt);
        v->is_num = 1;
        v->num = b;
        snprintf(txt, SP_TEXT_MAX, "%d", b);
        break;
    }
    }
    v->text = txt;
    int rc = apply_rules(f, v, tl, vals, rej);
    if (rc)
        return rc;
    /* after the rules, which speak of the source's value */
    if (f->negate && v->is_num) {
        v->num = -v->num;
        rp_fmt_i64(txt, v->num);
    }
    if (f->nbands && v->is_num) {
        int b = -1;
        for (int k = 0; k < f->nbands; k++)
            if (v->num >= f->band_from[k])
                b = k;
        if (b < 0) {
            v->null = 1;
            v->text = NULL;
        } else {
            snprintf(txt, SP_TEXT_MAX, "%s", f->band_label[b]);
        }
        v->is_num = 0;
    }
    return RP_OK;
}

int sp_decode(sp_decoder *d, const rd_record *rec, sp_value *values, sp_reject *rej, rp_error *err)
{
    const sp_spec *s = d->s;
    d->nfixed = 0;
    if (s->min_length && rec->len < (size_t)s->min_length)
        return reject(rej, "", rec->data, cut(rec->data, rec->len, 64), "length",
                      "record is %zu bytes; the layout %s needs %d", rec->len,
                      s->layout ? s->layout->record : "", s->min_length);
    if (s->format == SPF_JSONL) {
        json_decref(d->doc);
        json_error_t je;
        d->doc = json_loadb(rec->data, rec->len, JSON_REJECT_DUPLICATES, &je);
        if (!d->doc)
            return reject(rej, "", rec->data, cut(rec->data, rec->len, 64), "parse", "not JSON: %s at column %d",
                          je.text, je.column);
        if (!json_is_object(d->doc))
            return reject(rej, "", rec->data, cut(rec->data, rec->len, 64), "parse", "not a JSON object");
    }
    if (d->nheader && rec->nfields != d->nheader)
        return reject(rej, "", rec->data, cut(rec->data, rec->len, 64), "columns",
                      "the record has %d fields, the header %d (a delimiter inside an unquoted field?)", rec->nfields,
                      d->nheader);
    for (int i = 0; i < s->nfields; i++) {
        int rc = decode_field(d, i, rec, values, rej, err);
        if (rc)
            return rc;
        if (values[i].null)
            values[i].text = NULL;
    }
    return SP_OK;
}

const char *sp_record_key(sp_decoder *d, const sp_value *values)
{
    size_t o = 0;
    d->key[0] = 0;
    for (int i = 0; i < d->s->nkey; i++) {
        const sp_value *v = &values[d->s->key[i]];
        int w = snprintf(d->key + o, sizeof d->key - o, "%s%s", i ? "\x1f" : "", v->null ? "" : v->text);
        if (w < 0 || (size_t)w >= sizeof d->key - o)
            break;
        o += (size_t)w;
    }
    return d->key;
}
