/* decode.c — records to typed, cleansed, validated field values.  See
 * spec.h.  A field goes through four steps (decode_field): its source, its
 * text's code (cases, code table), its type (one function each, the table
 * sp_field_types[] below) and its rules (rules.c). */
#include "core/ebcdic.h"
#include "core/json.h"
#include "core/utf8.h"
#include "etl/cleanse.h"
#include "etl/convert.h"
#include "etl/rules.h"
#include "etl/spec.h"
#include "core/buf.h"
#include "warehouse/warehouse.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A copybook record's last bytes read (segments), and where its fields lie in them. */
typedef struct seg_last {
    unsigned char *data; /* NULL until one is read */
    size_t len, cap;
    int *off;            /* a variable layout's (cb_locate), else NULL */
} seg_last;

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
    int *off; /* a variable layout's fields in the record at hand (copybook.h cb_locate), else NULL */
    seg_last *last; /* segments: the last record of each of the copybook's records, the one at hand's too */
    int seg;        /* ... the record at hand's (its index in the book), -1 before the first */
    int64_t counted; /* ... records of the trailer's count_of since the last trailer */
    int64_t summed;  /* ... and the sum of their sum_of, at its scale */
    int sum_bad;     /* ... which could not be read or ran past 18 digits (then the trailer says so) */
    const char *fixed_rule[SP_MAX_FIELDS];
    const char *fixed_field[SP_MAX_FIELDS];
};

/* A field on its way: what its source gave, then its text as the steps
 * rewrite it (decode_field). */
struct sp_raw {
    const sp_field *f;
    sp_value *v;
    const sp_value *vals; /* the record's values, the earlier fields' decoded */
    sp_reject *rej;
    char *txt;            /* SP_TEXT_MAX bytes */
    size_t len;           /* of txt where known, else NOLEN */
    size_t in_len;        /* of txt as it came, before the type rewrites it */
    int have_text;        /* txt is the source's text (not a host number, not a default) */
    int json_typed;       /* ... a JSON member's */
    int numeric;          /* a host number instead: num in units of 10^-scale, of digits */
    int big;              /* a host number of more than 18 digits: txt is it exactly, as decimal text */
    int64_t num;
    int scale, digits;
};


/* A header's column name as a spec names it: the blanks around it are not part of it (" given_name" after
 * each comma, as many exported files write their headers). */
static int same_name(const char *column, const char *name)
{
    while (*column == ' ' || *column == '\t')
        column++;
    size_t n = strlen(column);
    while (n && (column[n - 1] == ' ' || column[n - 1] == '\t'))
        n--;
    return n == strlen(name) && !memcmp(column, name, n);
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
    if (s->ebcdic) {
        rc = rp_host_codec_open(s->iconv_name, &d->host, err);
    } else if (!strcmp(s->encoding, "UTF-8")) {
        d->utf8 = 1;
        d->reader_checked = sp_reader_options(s).utf8;
    } else {
        d->cv = iconv_open("UTF-8", s->iconv_name);
        if (d->cv == (iconv_t)-1)
            rc = errno == ENOMEM ? rp_err(err, RP_NOMEM, "%s: %s", s->encoding, rp_strerror(RP_NOMEM))
                                 : rp_err(err, RP_ENCODING, "this system's iconv cannot convert from %s", s->encoding);
    }
    if (rc) {
        sp_decoder_close(d);
        return rc;
    }
    d->seg = -1;
    int nomem = s->layout && s->layout->variable && !s->nsegments &&
                !(d->off = calloc((size_t)s->layout->nfields, sizeof *d->off));
    if (s->nsegments && !nomem && (nomem = !(d->last = calloc((size_t)s->nrecords, sizeof *d->last))) == 0)
        for (int k = 0; k < s->nrecords && !nomem; k++)
            nomem = s->records[k]->variable &&
                    !(d->last[k].off = calloc((size_t)s->records[k]->nfields, sizeof *d->last[k].off));
    if (nomem) {
        sp_decoder_close(d);
        return rp_err(err, RP_NOMEM, NULL);
    }
    for (int i = 0; i < s->nfields; i++)
        d->col[i] = s->fields[i].column;
    if (header) {
        for (int i = 0; i < s->nfields; i++) {
            const sp_field *f = &s->fields[i];
            if (f->src != SRC_FROM || f->column >= 0)
                continue;
            for (int c = 0; c < nheader && d->col[i] < 0; c++)
                if (same_name(header[c], f->from))
                    d->col[i] = c;
            if (d->col[i] < 0 && !f->may_be_absent) {
                char cols[600] = "";
                for (int c = 0; c < nheader; c++)
                    snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "%s%s", c ? ", " : "", header[c]);
                rc = rp_err(err, RP_INVAL, "spec %s: fields[%d] (%s).from: no column '%s' in the header "
                            "of %s (it has %s; a column files may lack is \"may_be_absent\": true)", s->name, i,
                            f->name, f->from, d->file, cols);
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
    free(d->off);
    for (int k = 0; d->last && k < d->s->nrecords; k++) {
        free(d->last[k].data);
        free(d->last[k].off);
    }
    free(d->last);
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
    rp_utf8_printable(value ? value : "", value ? vlen : 0, rej->value, sizeof rej->value);
    snprintf(rej->rule, sizeof rej->rule, "%s", rule);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rej->message, sizeof rej->message, fmt, ap);
    va_end(ap);
    return SP_REJECT;
}

#define reject sp_reject_set

/* A length not known (the text was written by a formatting call): strlen it. */
#define NOLEN SP_NOLEN

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

/* PIC G: the bytes of a DBCS run without SO/SI, put between them in tmp (cap bytes) for the code page. */
static const unsigned char *in_so_si(const unsigned char *p, size_t *n, unsigned char *tmp, size_t cap)
{
    if (*n + 2 > cap)
        *n = cap - 2;
    tmp[0] = RP_EBCDIC_SO;
    memcpy(tmp + 1, p, *n);
    tmp[*n + 1] = RP_EBCDIC_SI;
    *n += 2;
    return tmp;
}

/* Source bytes in the file's encoding to UTF-8 text in x->txt. */
static int to_utf8(sp_decoder *d, sp_raw *x, const char *p, size_t n, int dbcs, int checked, rp_error *err)
{
    const sp_field *f = x->f;
    char *out = x->txt;
    sp_reject *rej = x->rej;
    size_t *outlen = &x->len;
    *outlen = NOLEN;
    if (d->host) {
        unsigned char tmp[SP_TEXT_MAX];
        const unsigned char *in = dbcs ? in_so_si((const unsigned char *)p, &n, tmp, sizeof tmp) : (const unsigned char *)p;
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
                o += (size_t)snprintf(rej->value + o, sizeof rej->value - o, "\\x%02x", in[i]);
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

static void fixed(sp_decoder *d, const char *rule, const char *field)
{
    if (d->nfixed < SP_MAX_FIELDS) {
        d->fixed_rule[d->nfixed] = rule;
        d->fixed_field[d->nfixed] = field;
        d->nfixed++;
    }
}

/* ---- step 1: the source ---- */

/* A host number of any other kind (convert.h: etl_decimal): more than 18 digits, P scaling, a leading
 * or separate sign, edited, floating point.  One of at most 18 digits is a number as any other; a larger
 * one is its exact decimal text (x->big), which a decimal keeps and an amount refuses. */
static int host_decimal(sp_decoder *d, const unsigned char *data, size_t len, sp_raw *x, int at, rp_error *err)
{
    const sp_field *f = x->f;
    const cb_field *c = f->cb;
    const unsigned char *p = data + at;
    if (c->kind == CB_EDITED) { /* read as text, through the code page */
        int rc = to_utf8(d, x, (const char *)p, (size_t)c->length, 0, 0, err);
        if (rc)
            return rc;
    }
    etl_decimal dec;
    rp_error e;
    rp_err_clear(&e);
    if (etl_field_decimal_at(c, at, data, len, c->kind == CB_EDITED ? x->txt : NULL, &dec, &e))
        return c->kind == CB_EDITED
                   ? reject(x->rej, f->name, x->txt, strlen(x->txt), "number", "%s: %s", f->name, rp_errmsg(&e))
                   : reject(x->rej, f->name, p, (size_t)c->length, "number", "%s: %s", f->name, rp_errmsg(&e));
    if (dec.blank && !c->blank_zero) {
        x->v->null = 1;
        return RP_OK;
    }
    x->digits = c->digits;
    if (dec.scale <= 18 && !etl_decimal_int(&dec, &x->num)) {
        x->numeric = 1;
        x->scale = dec.scale;
        return RP_OK;
    }
    etl_decimal_text(&dec, x->txt, SP_TEXT_MAX);
    x->big = 1;
    return RP_OK;
}

/* A copybook field: text from the code page, or a host number. */
static int from_copybook(sp_decoder *d, const rd_record *rec, sp_raw *x, rp_error *err)
{
    const sp_field *f = x->f;
    const cb_field *c = f->cb;
    const unsigned char *data = (const unsigned char *)rec->data;
    size_t len = rec->len;
    int at;
    if (d->s->nsegments) { /* the field's record: this one, or the last of its kind (the header, the parent) */
        const seg_last *sl = &d->last[f->book_ix];
        data = sl->data;
        len = sl->len;
        at = !data ? -1 : sl->off ? sl->off[c - d->s->records[f->book_ix]->fields] : c->offset;
    } else {
        at = d->off ? d->off[c - d->s->layout->fields] : c->offset;
    }
    if (at < 0) { /* an occurrence past its count, or a record not yet seen: not in this record */
        x->v->null = 1;
        return RP_OK;
    }
    if ((size_t)at + (size_t)c->length > len)
        return reject(x->rej, f->name, "", 0, "length", "%s: the record ends before the field", f->name);
    const unsigned char *p = data + at;
    if (c->kind == CB_ALNUM || c->kind == CB_DBCS) {
        x->have_text = 1;
        return to_utf8(d, x, (const char *)p, (size_t)c->length, c->kind == CB_DBCS, 0, err);
    }
    rp_error e;
    rp_err_clear(&e);
    if (c->kind != CB_EDITED && c->kind != CB_FLOAT && c->digits <= 18 && c->scale >= 0 && c->scale <= 18 && !c->sign_leading &&
        !c->sign_separate) { /* most host numbers: straight to an integer */
        if (etl_field_number_at(c, at, data, len, &x->num, &e))
            return reject(x->rej, f->name, p, (size_t)c->length, "number", "%s: %s", f->name, rp_errmsg(&e));
        x->numeric = 1;
        x->scale = c->scale;
        x->digits = c->digits;
        return RP_OK;
    }
    return host_decimal(d, data, len, x, at, err);
}

/* A JSON member: absent or null is a missing value. */
static int from_json(sp_decoder *d, sp_raw *x)
{
    const sp_field *f = x->f;
    char *txt = x->txt;
    const json_t *m = NULL;
    if (!json_member(d, f->from, &m) || json_is_null(m)) {
        x->v->null = 1;
        return RP_OK;
    }
    x->json_typed = 1;
    if (json_is_string(m)) {
        size_t n = json_string_length(m);
        if (n >= SP_TEXT_MAX)
            return reject(x->rej, f->name, json_string_value(m), 80, "length", "%s: longer than %d bytes", f->name,
                          SP_TEXT_MAX - 1);
        memcpy(txt, json_string_value(m), n + 1);
        x->len = n;
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
    x->have_text = 1;
    return RP_OK;
}

/* A column of a CSV, delimited or whitespace record. */
static int from_column(sp_decoder *d, int i, const rd_record *rec, sp_raw *x, rp_error *err)
{
    const sp_field *f = x->f;
    int c = d->col[i];
    if (c < 0 || c >= rec->nfields) {
        if (f->optional) {
            x->v->null = 1;
            return RP_OK;
        }
        return reject(x->rej, f->name, "", 0, "columns", "%s: the record has %d fields; column %d is missing",
                      f->name, rec->nfields, c + 1);
    }
    /* a field of a text record the reader has checked is UTF-8 (sp_reader_options) */
    x->have_text = 1;
    return to_utf8(d, x, rec->field[c], rec->flen[c], 0, d->reader_checked, err);
}

static int from_concat(sp_raw *x)
{
    const sp_field *f = x->f;
    size_t o = 0;
    for (int k = 0; k < f->nparts; k++) {
        const sp_part *pt = &f->parts[k];
        const char *p = pt->field < 0 ? pt->lit : x->vals[pt->field].null ? "" : x->vals[pt->field].text;
        int w = snprintf(x->txt + o, SP_TEXT_MAX - o, "%s%s", k && *f->sep ? f->sep : "", p);
        if (w < 0 || (size_t)w >= SP_TEXT_MAX - o)
            return reject(x->rej, f->name, x->txt, o, "length", "%s: longer than %d bytes", f->name, SP_TEXT_MAX - 1);
        o += (size_t)w;
    }
    x->have_text = 1;
    return RP_OK;
}

static int read_source(sp_decoder *d, int i, const rd_record *rec, sp_raw *x, rp_error *err)
{
    const sp_field *f = x->f;
    char *txt = x->txt;
    switch (f->src) {
    case SRC_FROM:
        if (f->cb)
            return from_copybook(d, rec, x, err);
        if (d->s->format == SPF_JSONL)
            return from_json(d, x);
        return from_column(d, i, rec, x, err);
    case SRC_POSITION: {
        size_t st = (size_t)f->start, n = (size_t)f->length;
        if (st >= rec->len)
            n = 0;
        else if (st + n > rec->len)
            n = rec->len - st;
        x->have_text = 1;
        return to_utf8(d, x, n ? rec->data + st : "", n, 0, 0, err);
    }
    case SRC_CONCAT:
        return from_concat(x);
    case SRC_CONST:
        snprintf(txt, SP_TEXT_MAX, "%s", f->constant);
        break;
    case SRC_RECORD:
        snprintf(txt, SP_TEXT_MAX, "%lld", (long long)rec->number);
        break;
    case SRC_HASH: {
        unsigned char h[16];
        crypto_generichash(h, sizeof h, (const unsigned char *)rec->data, rec->len, NULL, 0);
        sodium_bin2hex(txt, SP_TEXT_MAX, h, sizeof h);
        break;
    }
    case SRC_FILE:
        snprintf(txt, SP_TEXT_MAX, "%s", d->file);
        break;
    case SRC_SEGMENT:
        if (d->seg != f->seg || (f->seg_when >= 0 && x->vals[f->seg_when].null)) {
            x->v->null = 1;
            return RP_OK;
        }
        snprintf(txt, SP_TEXT_MAX, "1");
        break;
    }
    x->have_text = 1;
    return RP_OK;
}

/* ---- step 2: the text's code ---- */

/* The code table (map, strict, default); a code that means no value, or
 * no default, leaves the value missing. */
static int map_code(sp_raw *x)
{
    const sp_field *f = x->f;
    char *txt = x->txt;
    int found = -1, use_default = 0;
    for (int k = 0; k < f->nmap && found < 0; k++)
        if (strcmp(f->map_from[k], txt) == 0)
            found = k;
    if (found >= 0) {
        if (!f->map_to[found]) {
            x->v->null = 1;
            return RP_OK;
        }
        snprintf(txt, SP_TEXT_MAX, "%s", f->map_to[found]);
        x->len = NOLEN;
    } else if (f->nmap && f->has_default) {
        use_default = 1;
    } else if (!f->nmap) {
        use_default = !*txt;
    } else if (f->map_strict && *txt) {
        char codes[300] = "";
        for (int k = 0; k < f->nmap && strlen(codes) < 250; k++)
            snprintf(codes + strlen(codes), sizeof codes - strlen(codes), "%s%s", k ? ", " : "", f->map_from[k]);
        return reject(x->rej, f->name, txt, strlen(txt), "code", "%s: '%s' is not one of %s", f->name, txt, codes);
    }
    if (use_default) {
        if (!f->map_default) {
            x->v->null = 1;
            return RP_OK;
        }
        snprintf(txt, SP_TEXT_MAX, "%s", f->map_default);
        x->len = NOLEN;
    }
    return RP_OK;
}

/* Trimmed, classified by cases, looked up in the code table: the text the
 * type reads, or a missing value (empty text but a boolean's). */
static int code_text(sp_raw *x)
{
    const sp_field *f = x->f;
    char *txt = x->txt;
    if (!x->json_typed || f->type != FT_TEXT)
        x->len = trim(txt, x->len);
    if (f->ncases && *txt) {
        int k = 0, e = REG_NOMATCH;
        while (k < f->ncases && (e = sp_regexec(&f->case_re[k], txt)) == REG_NOMATCH)
            k++;
        if (e == REG_ESPACE) /* not the value's fault: the load fails (sp_decode names the field) */
            return RP_NOMEM;
        if (k == f->ncases)
            return reject(x->rej, f->name, txt, strlen(txt), "code", "%s: '%s' matches none of its cases", f->name,
                          txt);
        if (!f->case_to[k]) {
            x->v->null = 1;
            return RP_OK;
        }
        snprintf(txt, SP_TEXT_MAX, "%s", f->case_to[k]);
        x->len = NOLEN;
    }
    if (f->nmap || f->has_default) {
        int rc = map_code(x);
        if (rc || x->v->null)
            return rc;
    }
    if (!*txt && f->type != FT_BOOLEAN)
        x->v->null = 1;
    return RP_OK;
}

/* ---- step 3: the type, one function each (sp_field_types below) ---- */

typedef int (*text_cleaner)(const char *in, char *out, size_t n, int *changed, rp_error *err);

/* Cleansed by its rule, counted as fixed when that changed it. */
static int clean_text_as(sp_decoder *d, sp_raw *x, text_cleaner clean, const char *rule)
{
    const sp_field *f = x->f;
    char *txt = x->txt;
    char tmp[SP_TEXT_MAX];
    rp_error e;
    rp_err_clear(&e);
    int changed = 0;
    if (clean(txt, tmp, sizeof tmp, &changed, &e))
        return reject(x->rej, f->name, txt, strlen(txt), "text", "%s: %s", f->name, rp_errmsg(&e));
    if (changed) {
        x->len = strlen(tmp);
        memcpy(txt, tmp, x->len + 1);
        fixed(d, rule, f->name);
    }
    if (!*txt)
        x->v->null = 1;
    return RP_OK;
}

/* text, name, address; plain text as it is, without a call (most values) */
static inline int text_as(sp_decoder *d, sp_raw *x, text_cleaner clean, const char *rule)
{
    if (x->numeric) {
        snprintf(x->txt, SP_TEXT_MAX, "%lld", (long long)x->num);
        return RP_OK;
    }
    x->len = x->in_len;
    if (!x->f->clean || (x->f->type == FT_TEXT && rp_text_plain(x->txt, x->len)))
        return RP_OK;
    return clean_text_as(d, x, clean, rule);
}

static int type_text(sp_decoder *d, sp_raw *x) { return text_as(d, x, rp_clean_text, "clean_text"); }
static int type_name(sp_decoder *d, sp_raw *x) { return text_as(d, x, rp_clean_name, "clean_name"); }
static int type_address(sp_decoder *d, sp_raw *x) { return text_as(d, x, rp_clean_address, "clean_address"); }

static int type_phone(sp_decoder *d, sp_raw *x)
{
    const sp_field *f = x->f;
    char *txt = x->txt;
    if (x->numeric)
        snprintf(txt, SP_TEXT_MAX, "%0*lld", x->digits, (long long)x->num);
    char tmp[64];
    rp_error e;
    rp_err_clear(&e);
    int changed = 0;
    char country[3] = "";
    if (f->country_field >= 0 && !x->vals[f->country_field].null) {
        const char *cf = d->s->fields[f->country_field].name, *cv = x->vals[f->country_field].text;
        if (wh_country_ok(cf, cv, country, &e))
            return reject(x->rej, cf, cv, strlen(cv), "country", "%s", rp_errmsg(&e));
    }
    if (etl_clean_phone_in(f->country_field >= 0 ? country : f->country, txt, tmp, sizeof tmp, &changed, &e))
        return reject(x->rej, f->name, txt, strlen(txt), "phone", "%s: %s", f->name, rp_errmsg(&e));
    int separators = 0;
    for (const char *p = txt; *p; p++)
        separators |= !isdigit((unsigned char)*p) && *p != '+';
    if (separators)
        fixed(d, "clean_phone", f->name);
    snprintf(txt, SP_TEXT_MAX, "%s", tmp);
    return RP_OK;
}

static int type_email(sp_decoder *d, sp_raw *x)
{
    const sp_field *f = x->f;
    char *txt = x->txt;
    char tmp[300], look[300];
    rp_error e;
    rp_err_clear(&e);
    if (wh_email_normalise(txt, tmp, sizeof tmp, look, sizeof look, &e))
        return reject(x->rej, f->name, txt, strlen(txt), "email", "%s: %s", f->name, rp_errmsg(&e));
    if (strcmp(tmp, txt)) {
        fixed(d, "clean_email", f->name);
        snprintf(txt, SP_TEXT_MAX, "%s", tmp);
    }
    return RP_OK;
}

/* The value is the number num, its text the same. */
static void set_number(sp_raw *x, int64_t num)
{
    x->v->is_num = 1;
    x->v->num = num;
    rp_fmt_i64(x->txt, num);
}

/* A host number of more than 18 digits where an integer is wanted. */
static int too_big(sp_raw *x, const char *what)
{
    return reject(x->rej, x->f->name, x->txt, strlen(x->txt), "number",
                  "%s: %s has more digits than %s holds (18); a decimal field keeps it exactly", x->f->name, x->txt,
                  what);
}

static int type_integer(sp_decoder *d, sp_raw *x)
{
    (void)d;
    const sp_field *f = x->f;
    char *txt = x->txt;
    int64_t num = x->num;
    rp_error e;
    rp_err_clear(&e);
    if (x->big)
        return too_big(x, "a whole number");
    if (x->numeric) {
        if (etl_rescale(num, x->scale, 0, &num, &e))
            return reject(x->rej, f->name, txt, 0, "number", "%s: %s", f->name, rp_errmsg(&e));
    } else if (etl_parse_amount(txt, x->in_len, 0, 0, &num, &e)) {
        return reject(x->rej, f->name, txt, x->in_len, "number", "%s: '%s' is not a whole number", f->name, txt);
    }
    set_number(x, num);
    return RP_OK;
}

static int type_amount(sp_decoder *d, sp_raw *x)
{
    (void)d;
    const sp_field *f = x->f;
    char *txt = x->txt;
    int64_t num = x->num;
    rp_error e;
    rp_err_clear(&e);
    if (x->big)
        return too_big(x, "an amount");
    if (x->numeric) {
        if (etl_rescale(num, x->scale, f->exponent, &num, &e)) { /* the host's number as written */
            etl_decimal dec = { .neg = x->num < 0, .scale = x->scale };
            dec.n = snprintf(dec.digits, sizeof dec.digits, "%llu",
                             (unsigned long long)(x->num < 0 ? (uint64_t)0 - (uint64_t)x->num : (uint64_t)x->num));
            char shown[200];
            etl_decimal_text(&dec, shown, sizeof shown);
            return reject(x->rej, f->name, shown, strlen(shown), "amount", "%s: %s %s", f->name, shown,
                          e.code == RP_TOOBIG ? "is too large for an amount" : "has more decimals than the currency");
        }
    } else {
        int sc = f->decimals >= 0 ? f->decimals : f->exponent;
        if (etl_parse_amount(txt, x->in_len, sc, f->implied, &num, &e))
            return reject(x->rej, f->name, txt, x->in_len, "amount", "%s: %s", f->name, rp_errmsg(&e));
        if (etl_rescale(num, sc, f->exponent, &num, &e))
            return reject(x->rej, f->name, txt, x->in_len, "amount", "%s: %s", f->name, rp_errmsg(&e));
    }
    set_number(x, num);
    return RP_OK;
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

/* A datetime written with its time: ISO 8601, local in the field's zone
 * when it has no offset. */
static int datetime_text(sp_raw *x)
{
    const sp_field *f = x->f;
    char *txt = x->txt;
    size_t in_len = x->in_len;
    char t[80];
    size_t zl = has_zone(txt, in_len) ? 0 : strlen(f->zone);
    if (in_len + zl >= sizeof t)
        return reject(x->rej, f->name, txt, in_len, "date", "%s: '%s' is not a date and time", f->name, txt);
    memcpy(t, txt, in_len);
    memcpy(t + in_len, f->zone, zl);
    t[in_len + zl] = 0;
    int64_t at;
    rp_error e;
    rp_err_clear(&e);
    if (rp_time_parse(t, &at, &e))
        return reject(x->rej, f->name, txt, strlen(txt), "date", "%s: %s", f->name, rp_errmsg(&e));
    rp_time_format_utc(at, txt);
    x->v->is_num = 1;
    x->v->num = at;
    return RP_OK;
}

/* date, and datetime: a date alone is midnight in the field's zone, or
 * the time of its time field (HHMMSS) */
static int type_date(sp_decoder *d, sp_raw *x)
{
    const sp_field *f = x->f;
    sp_value *v = x->v;
    char *txt = x->txt;
    rp_error e;
    rp_err_clear(&e);
    rp_date dt = { 0, 0, 0 };
    int has = 1, is_number = x->numeric, scale = x->scale;
    int64_t num = x->num;
    if (x->big)
        return too_big(x, "a date");
    if (!x->numeric && f->datefmt != DF_AUTO) {
        if (etl_parse_amount(txt, strlen(txt), 0, 0, &num, &e) || num < 0)
            return reject(x->rej, f->name, txt, strlen(txt), "date", "%s: '%s' is not a %s date", f->name, txt,
                          f->datefmt == DF_ROC ? "ROC YYYMMDD" : "YYYYMMDD");
        is_number = 1;
        scale = 0;
    }
    if (f->type == FT_DATETIME && f->time_field < 0 && !is_number && memchr(txt, ':', x->in_len))
        return datetime_text(x);
    if (is_number) {
        int roc = f->datefmt == DF_ROC || (f->datefmt == DF_AUTO && x->digits == 7);
        if (scale || etl_date_from_number(num, roc, &dt, &has, &e))
            return reject(x->rej, f->name, txt, strlen(txt), "date", "%s: %s", f->name,
                          scale ? "a date has no decimals" : rp_errmsg(&e));
    } else if (rp_date_parse(txt, &dt, &e)) {
        return reject(x->rej, f->name, txt, strlen(txt), "date", "%s: %s", f->name, rp_errmsg(&e));
    }
    if (!has) {
        v->null = 1;
        return RP_OK;
    }
    int64_t days = rp_days_from_civil(dt.y, dt.m, dt.d);
    if (f->type == FT_DATE) {
        rp_date_format(dt, txt);
        v->is_num = 1;
        v->num = days;
        return RP_OK;
    }
    int64_t secs = 0;
    if (f->time_field >= 0 && !x->vals[f->time_field].null) {
        const sp_value *tv = &x->vals[f->time_field];
        const char *tname = d->s->fields[f->time_field].name;
        int64_t hms = tv->is_num ? tv->num : strtoll(tv->text, NULL, 10);
        int hh = (int)(hms / 10000), mi = (int)(hms / 100 % 100), ss = (int)(hms % 100);
        if (hms < 0 || hh > 23 || mi > 59 || ss > 59)
            return reject(x->rej, tname, tv->text, strlen(tv->text), "date",
                          "%s: %06lld is not a time of day (HHMMSS)", tname, (long long)hms);
        secs = hh * 3600 + mi * 60 + ss;
    }
    int64_t at = days * 86400 + secs - zone_seconds(f->zone);
    rp_time_format_utc(at, txt);
    v->is_num = 1;
    v->num = at;
    return RP_OK;
}

/* a number kept at its own scale: rates (1.6500 %), ratios */
static int type_decimal(sp_decoder *d, sp_raw *x)
{
    (void)d;
    const sp_field *f = x->f;
    char *txt = x->txt;
    int64_t num = x->num;
    if (x->big) { /* kept exactly, as the host wrote it */
        x->v->is_num = 0;
        return RP_OK;
    }
    int sc = x->numeric ? x->scale : f->decimals >= 0 ? f->decimals : 6;
    rp_error e;
    rp_err_clear(&e);
    if (!x->numeric && etl_parse_amount(txt, strlen(txt), sc, f->implied, &num, &e))
        return reject(x->rej, f->name, txt, strlen(txt), "number", "%s: %s", f->name, rp_errmsg(&e));
    uint64_t a = num < 0 ? (uint64_t)0 - (uint64_t)num : (uint64_t)num, p = 1;
    for (int k = 0; k < sc; k++)
        p *= 10;
    if (sc)
        snprintf(txt, SP_TEXT_MAX, "%s%llu.%0*llu", num < 0 ? "-" : "", (unsigned long long)(a / p), sc,
                 (unsigned long long)(a % p));
    else
        snprintf(txt, SP_TEXT_MAX, "%lld", (long long)num);
    x->v->is_num = 0; /* the text is the value; min and max read it */
    return RP_OK;
}

static int type_boolean(sp_decoder *d, sp_raw *x)
{
    (void)d;
    static const char *const yes[] = { "1", "true", "TRUE", "True", "Y", "y", "yes", "YES", "T", NULL };
    static const char *const no[] = { "0", "false", "FALSE", "False", "N", "n", "no", "NO", "F", "", NULL };
    const sp_field *f = x->f;
    char *txt = x->txt;
    int b = -1;
    if (x->numeric)
        b = x->num != 0;
    for (int k = 0; b < 0 && yes[k]; k++)
        if (!strcmp(yes[k], txt))
            b = 1;
    for (int k = 0; b < 0 && no[k]; k++)
        if (!strcmp(no[k], txt))
            b = 0;
    if (b < 0)
        return reject(x->rej, f->name, txt, strlen(txt), "code", "%s: '%s' is not yes or no", f->name, txt);
    x->v->is_num = 1;
    x->v->num = b;
    snprintf(txt, SP_TEXT_MAX, "%d", b);
    return RP_OK;
}

/* The types by sp_type: the names a spec gives them (spec.c) and how each
 * decodes (rules.h says how to add one). */
const sp_field_type sp_field_types[FT__COUNT] = {
    [FT_TEXT] = { "text", type_text },
    [FT_NAME] = { "name", type_name },
    [FT_ADDRESS] = { "address", type_address },
    [FT_PHONE] = { "phone", type_phone },
    [FT_EMAIL] = { "email", type_email },
    [FT_INTEGER] = { "integer", type_integer },
    [FT_AMOUNT] = { "amount", type_amount },
    [FT_DATE] = { "date", type_date },
    [FT_DATETIME] = { "datetime", type_date },
    [FT_BOOLEAN] = { "boolean", type_boolean },
    [FT_DECIMAL] = { "decimal", type_decimal },
};

/* ---- step 4: the rules (rules.c), then what comes after them ---- */

/* negate and bands, after the rules, which speak of the source's value */
static void after_rules(const sp_field *f, sp_value *v, char *txt)
{
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
}

static int decode_field_as_is(sp_decoder *d, int i, const rd_record *rec, sp_value *vals, sp_reject *rej,
                              rp_error *err);

/* A field with "on_invalid": "empty": a value its type or rules refuse is no value, the record goes on, and
 * the field is counted as fixed by "emptied" (an impossible birth date must not make a customer vanish). */
static int decode_field(sp_decoder *d, int i, const rd_record *rec, sp_value *vals, sp_reject *rej,
                        rp_error *err)
{
    int rc = decode_field_as_is(d, i, rec, vals, rej, err);
    const sp_field *f = &d->s->fields[i];
    if (rc != SP_REJECT || !f->on_invalid_empty || strcmp(rej->field, f->name))
        return rc;
    memset(&vals[i], 0, sizeof vals[i]);
    vals[i].null = 1;
    sp_reject was = *rej;
    memset(rej, 0, sizeof *rej);
    if ((rc = sp_rules_apply(f, &vals[i], NOLEN, vals, rej))) { /* what a missing value must pass (required) */
        if (rc == SP_REJECT) { /* required, and refused: the reason it was emptied said too */
            size_t n = strlen(rej->message);
            snprintf(rej->message + n, sizeof rej->message - n, " (emptied: %.*s)", (int)(sizeof rej->message / 2),
                     was.message);
        }
        return rc;
    }
    fixed(d, "emptied", f->name);
    return RP_OK;
}

static int decode_field_as_is(sp_decoder *d, int i, const rd_record *rec, sp_value *vals, sp_reject *rej,
                              rp_error *err)
{
    const sp_field *f = &d->s->fields[i];
    sp_value *v = &vals[i];
    sp_raw x; /* each member set: an initialiser would clear it all, for every field */
    x.f = f;
    x.v = v;
    x.vals = vals;
    x.rej = rej;
    x.txt = d->txt[i];
    x.len = NOLEN;
    x.have_text = x.json_typed = x.numeric = x.big = 0;
    x.num = 0;
    x.scale = x.digits = 0;
    memset(v, 0, sizeof *v);
    x.txt[0] = 0;
    int rc = read_source(d, i, rec, &x, err);
    if (rc)
        return rc;
    if (v->null) { /* missing: the default, if there is one, as it is */
        if (!f->has_default || !f->map_default)
            return sp_rules_apply(f, v, NOLEN, vals, rej);
        v->null = 0;
        snprintf(x.txt, SP_TEXT_MAX, "%s", f->map_default);
        x.have_text = 0;
    }
    if (x.have_text && ((rc = code_text(&x)) || v->null))
        return rc ? rc : sp_rules_apply(f, v, NOLEN, vals, rej);
    x.in_len = x.len != NOLEN ? x.len : strlen(x.txt);
    x.len = NOLEN;
    if ((rc = sp_field_types[f->type].decode(d, &x)))
        return rc;
    if (v->null)
        return sp_rules_apply(f, v, NOLEN, vals, rej);
    v->text = x.txt;
    if ((rc = sp_rules_apply(f, v, x.len, vals, rej)))
        return rc;
    after_rules(f, v, x.txt);
    return RP_OK;
}

/* ---- segments: a file of several kinds of record ---- */

static int layout_text(sp_decoder *d, const unsigned char *p, size_t len, int dbcs, char *out, size_t n);

/* The record's kind, by its selector's text (trimmed) through the code page; -1 when it is none of them, its
 * text in what. */
static int segment_of(sp_decoder *d, const rd_record *rec, char *what, size_t n)
{
    const sp_spec *s = d->s;
    const cb_field *by = s->seg_by;
    what[0] = 0;
    if ((size_t)(by->offset + by->length) > rec->len)
        return -1;
    if (layout_text(d, (const unsigned char *)rec->data + by->offset, (size_t)by->length, by->kind == CB_DBCS, what, n))
        return -1;
    trim(what, NOLEN);
    for (int i = 0; i < s->nsegments; i++)
        if (!strcmp(s->seg_value[i], what))
            return s->seg_record[i];
    return -1;
}

/* The record kept as the last of its kind k (its bytes copied, a variable one located). */
static int keep_segment(sp_decoder *d, int k, const rd_record *rec, rp_error *err)
{
    seg_last *sl = &d->last[k];
    if (rec->len > sl->cap) {
        unsigned char *b = realloc(sl->data, rec->len ? rec->len : 1);
        if (!b)
            return rp_err(err, RP_NOMEM, NULL);
        sl->data = b;
        sl->cap = rec->len;
    }
    if (!sl->data && !(sl->data = malloc(1)))
        return rp_err(err, RP_NOMEM, NULL);
    memcpy(sl->data, rec->data, rec->len);
    sl->len = rec->len;
    int reclen;
    if (sl->off && cb_locate(d->s->records[k], sl->data, sl->len, sl->off, &reclen, err))
        return RP_INVAL;
    return RP_OK;
}

/* The trailer's control total: the records counted since the last one against its count (then counted
 * again from 0).  A mismatch is the file's failure, not the record's, as a manifest's count is. */
/* A detail's amount added to the trailer's sum (from its kept bytes, where its counts put it). */
static void add_to_sum(sp_decoder *d, int k)
{
    const sp_spec *s = d->s;
    const seg_last *sl = &d->last[k];
    int at = sl->off ? sl->off[s->sum_of - s->records[k]->fields] : s->sum_of->offset;
    int64_t v;
    rp_error e = RP_ERROR_INIT;
    if (at < 0 || !sl->len || etl_field_number_at(s->sum_of, at, sl->data, sl->len, &v, &e) ||
        __builtin_add_overflow(d->summed, v, &d->summed))
        d->sum_bad = 1;
}

/* The trailer's sum against the details' (both at the finer scale): 0, or the error. */
static int sum_check(sp_decoder *d, const rd_record *rec, rp_error *err)
{
    const sp_spec *s = d->s;
    const cb_field *t = s->sum_field, *f = s->sum_of;
    int64_t want, got = d->summed;
    rp_error e = RP_ERROR_INIT;
    if (etl_field_number(t, (const unsigned char *)rec->data, rec->len, &want, &e))
        return rp_err(err, RP_INVAL, "%s: record %lld, the trailer: %s", d->file, (long long)rec->number, rp_errmsg(&e));
    int scale = t->scale > f->scale ? t->scale : f->scale;
    if (d->sum_bad || etl_rescale(want, t->scale, scale, &want, &e) || etl_rescale(got, f->scale, scale, &got, &e))
        return rp_err(err, RP_CHECKSUM, "%s: record %lld, the trailer: the %s records' %s could not all be read or "
                      "add up past 18 digits since the last trailer", d->file, (long long)rec->number,
                      s->records[s->count_of]->record, f->name);
    if (want == got)
        return RP_OK;
    etl_decimal a = { .neg = want < 0, .scale = scale }, b = { .neg = got < 0, .scale = scale };
    a.n = snprintf(a.digits, sizeof a.digits, "%llu", (unsigned long long)(want < 0 ? -(uint64_t)want : (uint64_t)want));
    b.n = snprintf(b.digits, sizeof b.digits, "%llu", (unsigned long long)(got < 0 ? -(uint64_t)got : (uint64_t)got));
    char ta[64], tb[64];
    etl_decimal_text(&a, ta, sizeof ta);
    etl_decimal_text(&b, tb, sizeof tb);
    return rp_err(err, RP_CHECKSUM, "%s: record %lld, the trailer: %s says %s, the %s records' %s add up to %s since "
                  "the last trailer; what came before it stays loaded", d->file, (long long)rec->number, t->name, ta,
                  s->records[s->count_of]->record, f->name, tb);
}

static int control_total(sp_decoder *d, int k, const rd_record *rec, int check, rp_error *err)
{
    const sp_spec *s = d->s;
    if (k == s->count_of) {
        d->counted++;
        if (s->sum_of)
            add_to_sum(d, k);
    }
    if (k != s->trailer)
        return RP_OK;
    int64_t want;
    rp_error e = RP_ERROR_INIT;
    int rc = check && etl_field_number(s->count_field, (const unsigned char *)rec->data, rec->len, &want, &e);
    if (rc)
        rc = rp_err(err, RP_INVAL, "%s: record %lld, the trailer: %s", d->file, (long long)rec->number, rp_errmsg(&e));
    else if (check && want != d->counted)
        rc = rp_err(err, RP_CHECKSUM, "%s: record %lld, the trailer: %s says %lld %s records, the file has %lld since "
                    "the last trailer; what came before it stays loaded", d->file, (long long)rec->number,
                    s->count_field->name,
                    (long long)want, s->records[s->count_of]->record, (long long)d->counted);
    if (!rc && check && s->sum_field)
        rc = sum_check(d, rec, err);
    d->counted = d->summed = 0;
    d->sum_bad = 0;
    return rc;
}

static int segment(sp_decoder *d, const rd_record *rec, sp_reject *rej, rp_error *err)
{
    const sp_spec *s = d->s;
    char what[SP_TEXT_MAX], all[400] = "";
    int k = segment_of(d, rec, what, sizeof what);
    d->seg = k;
    if (k < 0) {
        for (int i = 0; i < s->nsegments && strlen(all) < 300; i++)
            snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s", i ? ", " : "", s->seg_value[i]);
        return reject(rej, s->seg_by->name, what, strlen(what), "segment", "%s: '%s' is none of the record types (%s)",
                      s->seg_by->name, what, all);
    }
    const cb_layout *l = s->records[k];
    if (!l->variable && rec->len < (size_t)l->length)
        return reject(rej, "", rec->data, rp_utf8_cut(rec->data, rec->len, 64), "length",
                      "record is %zu bytes; the layout %s needs %d", rec->len, l->record, l->length);
    rp_error e = RP_ERROR_INIT;
    int rc = keep_segment(d, k, rec, &e);
    if (rc == RP_NOMEM)
        return RP_NOMEM;
    int ct = !rc && s->trailer >= 0 ? control_total(d, k, rec, 1, err) : RP_OK; /* from the kept bytes */
    if (ct)
        return ct;
    if (rc) {
        d->last[k].len = 0; /* its counts are wrong: no field of it is read */
        return reject(rej, "", rec->data, rp_utf8_cut(rec->data, rec->len, 64), "occurs", "layout %s: %s", l->record,
                      rp_errmsg(&e));
    }
    return RP_OK;
}

int sp_decoder_remember(sp_decoder *d, const rd_record *rec, rp_error *err)
{
    char what[SP_TEXT_MAX];
    int k = d->s->nsegments ? segment_of(d, rec, what, sizeof what) : -1;
    rp_error e = RP_ERROR_INIT;
    if (k >= 0 && keep_segment(d, k, rec, &e) == RP_NOMEM)
        return rp_err(err, RP_NOMEM, NULL);
    if (k >= 0 && d->s->trailer >= 0)
        (void)control_total(d, k, rec, 0, err); /* counted again, checked when it was read */
    return RP_OK;
}

const char *sp_decoder_record(const sp_decoder *d)
{
    return d->s->nsegments && d->seg >= 0 ? d->s->records[d->seg]->record : NULL;
}

int sp_decode(sp_decoder *d, const rd_record *rec, sp_value *values, sp_reject *rej, rp_error *err)
{
    const sp_spec *s = d->s;
    d->nfixed = 0;
    if (s->min_length && rec->len < (size_t)s->min_length)
        return reject(rej, "", rec->data, rp_utf8_cut(rec->data, rec->len, 64), "length",
                      "record is %zu bytes; the layout %s needs %d", rec->len,
                      s->layout ? s->layout->record : "", s->min_length);
    if (s->nsegments) { /* which record this is, kept as its kind's last (the header's fields for its details) */
        int rc = segment(d, rec, rej, err);
        if (rc)
            return rc;
    }
    if (d->off) { /* OCCURS DEPENDING ON: where this record's fields are */
        rp_error e = RP_ERROR_INIT;
        int reclen;
        if (cb_locate(s->layout, (const unsigned char *)rec->data, rec->len, d->off, &reclen, &e))
            return reject(rej, "", rec->data, rp_utf8_cut(rec->data, rec->len, 64), "occurs", "layout %s: %s",
                          s->layout->record, rp_errmsg(&e));
    }
    if (s->format == SPF_JSONL) {
        json_decref(d->doc);
        json_error_t je;
        unsigned long failures = rp_json_failures();
        d->doc = json_loadb(rec->data, rec->len, JSON_REJECT_DUPLICATES, &je);
        if (rp_json_failures() != failures) {
            json_decref(d->doc);
            d->doc = NULL;
            return rp_err(err, RP_NOMEM, "record %lld: %s", (long long)rec->number, rp_strerror(RP_NOMEM));
        }
        if (!d->doc)
            return reject(rej, "", rec->data, rp_utf8_cut(rec->data, rec->len, 64), "parse", "not JSON: %s at column %d",
                          je.text, je.column);
        if (!json_is_object(d->doc))
            return reject(rej, "", rec->data, rp_utf8_cut(rec->data, rec->len, 64), "parse", "not a JSON object");
    }
    if (d->nheader && rec->nfields != d->nheader)
        return reject(rej, "", rec->data, rp_utf8_cut(rec->data, rec->len, 64), "columns",
                      "the record has %d fields, the header %d (a delimiter inside an unquoted field?)", rec->nfields,
                      d->nheader);
    for (int i = 0; i < s->nfields; i++) {
        int rc = decode_field(d, i, rec, values, rej, err);
        if (rc == RP_NOMEM && (!err || !err->code)) /* a rule or a case could not run (regexec) */
            return rp_err(err, RP_NOMEM, "record %lld: %s: %s", (long long)rec->number, s->fields[i].name,
                          rp_strerror(RP_NOMEM));
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

/* ---- the copybook's own fields (rapport load --preview) ---- */

/* Bytes through the file's code page to UTF-8 in out (n bytes): 0, or -1 when they are not of it. */
static int layout_text(sp_decoder *d, const unsigned char *p, size_t len, int dbcs, char *out, size_t n)
{
    if (d->host) {
        unsigned char tmp[SP_TEXT_MAX];
        if (dbcs)
            p = in_so_si(p, &len, tmp, sizeof tmp);
        rp_error e;
        rp_err_clear(&e);
        return rp_host_text_decode(d->host, p, len, out, n, &e) ? -1 : 0;
    }
    if (len >= n)
        len = n - 1;
    if (d->utf8) {
        size_t bad;
        if (!rp_utf8_valid((const char *)p, len, &bad))
            return -1;
        memcpy(out, p, len);
        out[len] = 0;
        return 0;
    }
    char *in = (char *)p, *o = out;
    size_t inl = len, outl = n - 1;
    iconv(d->cv, NULL, NULL, NULL, NULL);
    if (iconv(d->cv, &in, &inl, &o, &outl) == (size_t)-1)
        return -1;
    *o = 0;
    return 0;
}

static json_t *layout_value(sp_decoder *d, const cb_field *c, int at, const rd_record *rec)
{
    const unsigned char *p = (const unsigned char *)rec->data + at;
    char txt[SP_TEXT_MAX], why[700];
    if (at < 0 || (size_t)at + (size_t)c->length > rec->len)
        return json_null();
    int is_text = c->kind == CB_ALNUM || c->kind == CB_DBCS || c->kind == CB_EDITED;
    if (is_text && layout_text(d, p, (size_t)c->length, c->kind == CB_DBCS, txt, sizeof txt)) {
        size_t k = (size_t)snprintf(why, sizeof why, "not text of %s: ", d->s->encoding);
        for (int i = 0; i < c->length && k + 5 < 240; i++)
            k += (size_t)snprintf(why + k, sizeof why - k, "\\x%02x", p[i]);
        return json_pack("{s:s}", "error", why);
    }
    if (c->kind == CB_ALNUM || c->kind == CB_DBCS) {
        trim(txt, NOLEN);
        return json_string(txt);
    }
    etl_decimal dec;
    rp_error e;
    rp_err_clear(&e);
    if (etl_field_decimal_at(c, at, (const unsigned char *)rec->data, rec->len, c->kind == CB_EDITED ? txt : NULL, &dec,
                             &e))
        return json_pack("{s:s}", "error", rp_errmsg(&e));
    if (dec.blank && !c->blank_zero)
        return json_null();
    etl_decimal_text(&dec, txt, sizeof txt);
    return json_string(txt);
}

int sp_decode_layout(sp_decoder *d, const rd_record *rec, json_t *obj, rp_error *err)
{
    const cb_layout *l = d->s->layout;
    int *off = d->off;
    if (d->s->nsegments) { /* the record's own layout, of its kind */
        if (d->seg < 0)
            return RP_OK;
        l = d->s->records[d->seg];
        off = d->last[d->seg].off;
    }
    rp_error e = RP_ERROR_INIT;
    int reclen, located = l && off && !cb_locate(l, (const unsigned char *)rec->data, rec->len, off, &reclen, &e);
    for (int i = 0; l && i < l->nfields; i++) {
        const cb_field *c = &l->fields[i];
        if (c->filler)
            continue;
        json_t *v = off && !located ? json_pack("{s:s}", "error", rp_errmsg(&e))
                                    : layout_value(d, c, off ? off[i] : c->offset, rec);
        if (!v || json_object_set_new(obj, c->name, v))
            return rp_err(err, RP_NOMEM, NULL);
    }
    return RP_OK;
}
