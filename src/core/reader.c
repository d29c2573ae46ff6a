/* reader.c — streaming record readers.  See reader.h. */
#include "core/reader.h"
#include "core/buf.h"
#include "core/utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reader {
    FILE *f;
    char path[1024];
    rd_options o;
    unsigned char *buf;
    size_t cap, beg, end;
    int eof, broken, bom, started;
    int64_t file_off; /* file offset of buf[beg] */
    int64_t block_end; /* RD_RDW with BDWs: where the block being read ends */
    int64_t recno;
    rp_buf fields;    /* the text of quoted fields, unescaped */
    size_t foff[RD_MAX_FIELDS];
    char **header;
    int nheader;
    unsigned char stop[256]; /* CSV: the bytes an unquoted field stops at (delimiter, quote, CR, LF) */
};

int rd_open(const char *path, const rd_options *o, reader **out, rp_error *err)
{
    if (o->format == RD_FIXED && (o->reclen < 1 || o->reclen > 1 << 20))
        return rp_err(err, RP_INVAL, "%s: a fixed record length from 1 to 1048576 is needed", path);
    reader *r = calloc(1, sizeof *r);
    if (!r)
        return rp_err(err, RP_NOMEM, NULL);
    r->o = *o;
    if (!r->o.max_record)
        r->o.max_record = RD_DEFAULT_MAX_RECORD;
    if (!r->o.delimiter)
        r->o.delimiter = ',';
    r->stop[(unsigned char)r->o.delimiter] = r->stop['\n'] = r->stop['\r'] = r->stop['"'] = 1;
    snprintf(r->path, sizeof r->path, "%s", path);
    r->cap = r->o.max_record + 8 + (1 << 16);
    r->buf = malloc(r->cap + 1);
    rp_buf_init(&r->fields, r->o.max_record * 2 + 1024);
    r->f = fopen(path, "rb");
    if (!r->buf || !r->f) {
        int e = errno;
        rd_close(r);
        return rp_err(err, RP_IO, "%s: cannot open: %s", path, strerror(e));
    }
    *out = r;
    return RP_OK;
}

void rd_close(reader *r)
{
    if (!r)
        return;
    if (r->f)
        fclose(r->f);
    for (int i = 0; i < r->nheader; i++)
        free(r->header[i]);
    free(r->header);
    free(r->buf);
    rp_buf_release(&r->fields);
    free(r);
}

int rd_header(const reader *r, const char ***names)
{
    *names = (const char **)r->header;
    return r->nheader;
}
int rd_column(const reader *r, const char *const *names)
{
    for (const char *const *w = names; *w; w++)
        for (int c = 0; c < r->nheader; c++)
            if (!strcmp(r->header[c], *w))
                return c;
    return -1;
}

int rd_had_bom(const reader *r) { return r->bom; }
int64_t rd_bytes_read(const reader *r) { return r->file_off; }

/* Keep the unread bytes and read more; returns the bytes now available. */
static int fill(reader *r, rp_error *err)
{
    if (r->beg > 0) {
        memmove(r->buf, r->buf + r->beg, r->end - r->beg);
        r->end -= r->beg;
        r->beg = 0;
    }
    while (!r->eof && r->end < r->cap) {
        size_t n = fread(r->buf + r->end, 1, r->cap - r->end, r->f);
        r->end += n;
        if (n == 0) {
            if (ferror(r->f))
                return rp_err(err, RP_IO, "%s: read error: %s", r->path, strerror(errno));
            r->eof = 1;
        }
    }
    r->buf[r->end] = 0;
    return RP_OK;
}

static size_t avail(const reader *r) { return r->end - r->beg; }

static int ensure(reader *r, size_t n, rp_error *err)
{
    if (avail(r) >= n || r->eof)
        return RP_OK;
    return fill(r, err);
}

static void consume(reader *r, size_t n)
{
    r->beg += n;
    r->file_off += (int64_t)n;
}

static int bad(reader *r, rd_record *rec, size_t rawlen, rp_error *err, const char *fmt, const char *a,
               long long b, long long c)
{
    rec->data = (const char *)r->buf + r->beg;
    rec->len = rawlen;
    char msg[300];
    snprintf(msg, sizeof msg, fmt, a, b, c);
    rp_err(err, RP_PARSE, "%s: record %lld (byte %lld): %s", r->path, (long long)rec->number,
           (long long)rec->offset, msg);
    return RD_BAD;
}

static int check_utf8(reader *r, rd_record *rec, rp_error *err)
{
    size_t at;
    if (r->o.utf8 && !rp_utf8_valid(rec->data, rec->len, &at)) {
        char msg[160];
        snprintf(msg, sizeof msg, "not UTF-8 at byte %zu of the record", at);
        rp_err(err, RP_ENCODING, "%s: record %lld (byte %lld): %s", r->path, (long long)rec->number,
               (long long)rec->offset, msg);
        return RD_BAD;
    }
    return RD_RECORD;
}

/* ---- binary records ---- */

/* A block descriptor word's length: 2 bytes and two zero bytes, or (extended, high bit set) 31 bits; 0 if
 * it is none. */
static int64_t bdw_length(const unsigned char *p)
{
    if (p[0] & 0x80)
        return (int64_t)(p[0] & 0x7F) << 24 | p[1] << 16 | p[2] << 8 | p[3];
    return p[2] || p[3] ? 0 : p[0] << 8 | p[1];
}

/* At a block's end, the next block's descriptor read (empty blocks skipped): RD_RECORD to go on, RD_END,
 * RD_BAD for a broken one (the rest of the file reported as one record), or an I/O error. */
static int next_block(reader *r, rd_record *rec, rp_error *err)
{
    while (r->file_off >= r->block_end) {
        int rc = ensure(r, 4, err);
        if (rc)
            return rc;
        if (avail(r) == 0)
            return RD_END;
        unsigned char *p = r->buf + r->beg;
        int64_t len = avail(r) < 4 ? 0 : bdw_length(p);
        if (len < 4) {
            rec->number = ++r->recno;
            rec->offset = r->file_off;
            r->broken = 1;
            size_t n = avail(r);
            rc = bad(r, rec, n, err, "bad block descriptor word %s(length %lld): the rest of the file cannot be read",
                     "", avail(r) < 4 ? 0 : (long long)(p[0] << 8 | p[1]), 0);
            consume(r, n);
            return rc;
        }
        r->block_end = r->file_off + len;
        consume(r, 4);
    }
    return RD_RECORD;
}

static int next_rdw(reader *r, rd_record *rec, rp_error *err)
{
    int rc;
    if (r->o.bdw && (rc = next_block(r, rec, err)) != RD_RECORD)
        return rc;
    if ((rc = ensure(r, 4, err)))
        return rc;
    if (avail(r) == 0)
        return RD_END;
    rec->number = ++r->recno;
    rec->offset = r->file_off;
    unsigned char *p = r->buf + r->beg;
    if (avail(r) < 4) {
        size_t n = avail(r);
        rc = bad(r, rec, n, err, "truncated: %s%lld bytes where a 4-byte RDW should be", "", (long long)n, 0);
        consume(r, n);
        return rc;
    }
    size_t len = (size_t)(p[0] << 8 | p[1]);
    if (len < 4 || len - 4 > r->o.max_record || p[2] || p[3]) {
        /* nothing after a broken RDW can be trusted: report the rest as one record */
        r->broken = 1;
        size_t n = avail(r);
        rc = bad(r, rec, n, err, "bad RDW %s(length %lld, flags %lld): the rest of the file cannot be read", "",
                 (long long)len, (long long)(p[2] << 8 | p[3]));
        consume(r, n);
        return rc;
    }
    if (r->o.bdw && r->file_off + (int64_t)len > r->block_end) {
        r->broken = 1;
        size_t n = avail(r);
        rc = bad(r, rec, n, err, "bad RDW %s(length %lld): its block has %lld bytes left; the rest of the file cannot "
                 "be read", "", (long long)len, (long long)(r->block_end - r->file_off));
        consume(r, n);
        return rc;
    }
    if ((rc = ensure(r, len, err)))
        return rc;
    p = r->buf + r->beg;
    if (avail(r) < len) {
        size_t n = avail(r);
        rc = bad(r, rec, n, err, "truncated: %sthe RDW says %lld bytes, the file ends after %lld", "",
                 (long long)len, (long long)n);
        consume(r, n);
        return rc;
    }
    rec->data = (const char *)p + 4;
    rec->len = len - 4;
    rec->nfields = 0;
    consume(r, len);
    return RD_RECORD;
}

static int next_fixed(reader *r, rd_record *rec, rp_error *err)
{
    size_t len = (size_t)r->o.reclen;
    int rc = ensure(r, len, err);
    if (rc)
        return rc;
    if (avail(r) == 0)
        return RD_END;
    rec->number = ++r->recno;
    rec->offset = r->file_off;
    if (avail(r) < len) {
        size_t n = avail(r);
        rc = bad(r, rec, n, err, "truncated: %s%lld of %lld bytes", "", (long long)n, (long long)len);
        consume(r, n);
        return rc;
    }
    rec->data = (const char *)r->buf + r->beg;
    rec->len = len;
    rec->nfields = 0;
    consume(r, len);
    return RD_RECORD;
}

/* ---- text ---- */

static int skip_bom(reader *r, rp_error *err)
{
    if (r->started)
        return RP_OK;
    r->started = 1;
    int rc = ensure(r, 3, err);
    if (!rc && avail(r) >= 3 && memcmp(r->buf + r->beg, "\xEF\xBB\xBF", 3) == 0) {
        r->bom = 1;
        consume(r, 3);
    }
    return rc;
}

/* The next line: [beg, nl) with the line end excluded; *adv is what to consume. */
static int find_line(reader *r, size_t *len, size_t *adv, int *toolong, rp_error *err)
{
    *toolong = 0;
    for (;;) {
        unsigned char *p = r->buf + r->beg;
        unsigned char *nl = memchr(p, '\n', avail(r));
        if (nl) {
            *adv = (size_t)(nl - p) + 1;
            *len = (size_t)(nl - p);
            break;
        }
        if (avail(r) > r->o.max_record || r->eof) {
            if (!r->eof && avail(r) > r->o.max_record) {
                /* too long: report it and skip to the next line end */
                *toolong = 1;
                *len = r->o.max_record;
                size_t skipped = avail(r);
                consume(r, skipped);
                for (;;) {
                    int rc = fill(r, err);
                    if (rc)
                        return rc;
                    unsigned char *q = memchr(r->buf + r->beg, '\n', avail(r));
                    if (q) {
                        *adv = (size_t)(q - (r->buf + r->beg)) + 1;
                        *len = 0;
                        return RP_OK;
                    }
                    if (r->eof) {
                        *adv = avail(r);
                        *len = 0;
                        return RP_OK;
                    }
                    consume(r, avail(r));
                }
            }
            *adv = *len = avail(r);
            break;
        }
        int rc = fill(r, err);
        if (rc)
            return rc;
    }
    if (*len && r->buf[r->beg + *len - 1] == '\r')
        (*len)--;
    if (*len > r->o.max_record)
        *toolong = 1; /* a line end was in the buffer, which holds more than the longest record */
    return RP_OK;
}

static int split_fields(reader *r, rd_record *rec, rp_error *err)
{
    rec->nfields = 0;
    const char *s = rec->data, *e = rec->data + rec->len;
    if (r->o.format == RD_WHITESPACE) {
        while (s < e) {
            while (s < e && (*s == ' ' || *s == '\t'))
                s++;
            if (s >= e)
                break;
            const char *b = s;
            while (s < e && *s != ' ' && *s != '\t')
                s++;
            if (rec->nfields >= RD_MAX_FIELDS)
                return bad(r, rec, rec->len, err, "more than %s%lld fields", "", RD_MAX_FIELDS, 0);
            rec->field[rec->nfields] = b;
            rec->flen[rec->nfields++] = (size_t)(s - b);
        }
        return RD_RECORD;
    }
    for (;;) {
        const char *d = memchr(s, r->o.delimiter, (size_t)(e - s));
        if (rec->nfields >= RD_MAX_FIELDS)
            return bad(r, rec, rec->len, err, "more than %s%lld fields", "", RD_MAX_FIELDS, 0);
        rec->field[rec->nfields] = s;
        rec->flen[rec->nfields++] = (size_t)((d ? d : e) - s);
        if (!d)
            break;
        s = d + 1;
    }
    return RD_RECORD;
}

/* Before each text record: the BOM once, then at least one byte or the end.
 * Returns 0 to go on, RD_END, or an I/O error. */
static int text_ready(reader *r, rp_error *err)
{
    int rc = skip_bom(r, err);
    if (!rc)
        rc = ensure(r, 1, err);
    if (rc)
        return rc;
    return avail(r) == 0 ? RD_END : 0;
}

static int next_line(reader *r, rd_record *rec, rp_error *err)
{
    int rc;
    for (;;) {
        if ((rc = text_ready(r, err)))
            return rc;
        size_t len, adv;
        int toolong;
        int64_t off = r->file_off;
        if ((rc = find_line(r, &len, &adv, &toolong, err)))
            return rc;
        if (!toolong && len == 0) { /* blank lines are not records */
            consume(r, adv);
            continue;
        }
        rec->number = ++r->recno;
        rec->offset = off;
        rec->data = (const char *)r->buf + r->beg;
        rec->len = len;
        rec->nfields = 0;
        if (toolong) {
            rc = bad(r, rec, 0, err, "longer than %s%lld bytes", "", (long long)r->o.max_record, 0);
            consume(r, adv);
            return rc;
        }
        consume(r, adv);
        if ((rc = check_utf8(r, rec, err)) != RD_RECORD)
            return rc;
        if (r->o.format == RD_LINES)
            return RD_RECORD;
        return split_fields(r, rec, err);
    }
}

/* RFC 4180.  Parses one record from buf[beg..end); returns RD_RECORD,
 * RD_BAD, or 1 when more bytes are needed. */
static int parse_csv(reader *r, rd_record *rec, size_t *adv, rp_error *err)
{
    const unsigned char *p = r->buf + r->beg, *e = r->buf + r->end;
    const unsigned char *s = p;
    char dl = r->o.delimiter;
    rp_buf_reset(&r->fields);
    int nf = 0;
    const char *problem = NULL;
    int problem_field = 0;
    for (;;) {
        if (nf >= RD_MAX_FIELDS) {
            problem = "more than 1024 fields";
            break;
        }
        int fi = nf++;
        if (s < e && *s == '"') { /* unescaped into fields: placed when it is complete */
            r->foff[fi] = r->fields.len;
            rec->field[fi] = NULL;
            const unsigned char *q = s + 1;
            for (;;) {
                if (q >= e) {
                    if (!r->eof)
                        return 1;
                    *adv = (size_t)(e - p);
                    rec->data = (const char *)p;
                    rec->len = *adv;
                    return bad(r, rec, *adv, err, "field %s%lld: unmatched quote: the file ends inside it", "",
                               nf, 0);
                }
                if (*q == '"') {
                    if (q + 1 < e && q[1] == '"') {
                        rp_buf_putc(&r->fields, '"');
                        q += 2;
                        continue;
                    }
                    if (q + 1 >= e && !r->eof)
                        return 1;
                    q++;
                    break;
                }
                const unsigned char *run = q; /* up to the next quote, at once */
                const unsigned char *nq = memchr(q, '"', (size_t)(e - q));
                q = nq ? nq : e;
                rp_buf_append(&r->fields, run, (size_t)(q - run));
            }
            s = q;
            if (s < e && *s != (unsigned char)dl && *s != '\n' && !(*s == '\r' && s + 1 < e && s[1] == '\n') &&
                !problem) {
                problem = "text after a closing quote";
                problem_field = nf;
            }
            rec->flen[fi] = r->fields.len - r->foff[fi];
            while (s < e && *s != (unsigned char)dl && *s != '\n')
                s++; /* to the end of the field, for the report */
        } else { /* the bytes in the buffer, as they are: not copied */
            const unsigned char *run = s;
            for (;;) {
                while (s < e && !r->stop[*s]) /* one test a byte, by table */
                    s++;
                if (s >= e || *s == (unsigned char)dl || *s == '\n')
                    break;
                if (*s == '"' && !problem) {
                    problem = "a quote inside an unquoted field";
                    problem_field = nf;
                }
                s++;
            }
            rec->field[fi] = (const char *)run;
            rec->flen[fi] = (size_t)(s - run);
            if (s < e && *s == '\n' && s > run && s[-1] == '\r')
                rec->flen[fi]--; /* a CR before the line end is not data */
        }
        if (s >= e) {
            if (!r->eof)
                return 1;
            break; /* the last record without a line end */
        }
        if (*s == '\n') {
            s++;
            break;
        }
        s++; /* the delimiter */
    }
    *adv = (size_t)(s - p);
    if (*adv > r->o.max_record || rp_buf_status(&r->fields)) {
        rec->data = (const char *)p;
        rec->len = 0;
        return bad(r, rec, 0, err, "longer than %s%lld bytes", "", (long long)r->o.max_record, 0);
    }
    rec->data = (const char *)p;
    rec->len = *adv;
    while (rec->len && (rec->data[rec->len - 1] == '\n' || rec->data[rec->len - 1] == '\r'))
        rec->len--;
    if (problem) {
        char what[96];
        snprintf(what, sizeof what, "field %d: %s", problem_field, problem);
        return bad(r, rec, rec->len, err, "%s", problem_field ? what : problem, 0, 0);
    }
    rec->nfields = nf;
    for (int i = 0; i < nf; i++)
        if (!rec->field[i])
            rec->field[i] = r->fields.data ? r->fields.data + r->foff[i] : "";
    return check_utf8(r, rec, err);
}

/* A record already bad in its shape (a quote) that is not UTF-8 either:
 * its reject gives both reasons, the second often the real one (the wrong
 * code page). */
static void also_not_utf8(const reader *r, const rd_record *rec, rp_error *err)
{
    size_t at;
    if (!r->o.utf8 || !rec->data || rp_utf8_valid(rec->data, rec->len, &at))
        return;
    size_t k = strlen(err->msg);
    snprintf(err->msg + k, sizeof err->msg - k, "; not UTF-8 at byte %zu of the record either", at);
}

static int next_csv(reader *r, rd_record *rec, rp_error *err)
{
    int rc;
    for (;;) {
        if ((rc = text_ready(r, err)))
            return rc;
        if (r->buf[r->beg] == '\n' || (r->buf[r->beg] == '\r' && avail(r) > 1 && r->buf[r->beg + 1] == '\n')) {
            consume(r, r->buf[r->beg] == '\n' ? 1 : 2); /* blank lines are not records */
            continue;
        }
        rec->number = r->recno + 1;
        rec->offset = r->file_off;
        size_t adv = 0;
        int got = parse_csv(r, rec, &adv, err);
        if (got == 1) {
            if (avail(r) > r->o.max_record) {
                /* no record end within the limit: skip to the next line end */
                size_t n = avail(r);
                r->recno++;
                int b = bad(r, rec, 0, err, "longer than %s%lld bytes", "", (long long)r->o.max_record, 0);
                consume(r, n);
                while (!r->eof) {
                    if ((rc = fill(r, err)))
                        return rc;
                    unsigned char *q = memchr(r->buf + r->beg, '\n', avail(r));
                    if (q) {
                        consume(r, (size_t)(q - (r->buf + r->beg)) + 1);
                        break;
                    }
                    consume(r, avail(r));
                }
                return b;
            }
            if ((rc = fill(r, err)))
                return rc;
            continue;
        }
        r->recno++;
        if (got == RD_BAD && err && err->code != RP_ENCODING)
            also_not_utf8(r, rec, err);
        consume(r, adv);
        return got;
    }
}

int rd_next(reader *r, rd_record *rec, rp_error *err)
{
    if (r->broken)
        return RD_END;
    switch (r->o.format) {
    case RD_RDW: return next_rdw(r, rec, err);
    case RD_FIXED: return next_fixed(r, rec, err);
    case RD_CSV:
    case RD_DELIMITED:
    case RD_WHITESPACE:
    case RD_LINES: break;
    }
    int with_header = r->o.header && (r->o.format == RD_CSV || r->o.format == RD_DELIMITED) && !r->header;
    if (with_header)
        r->recno = -1; /* the header row is record 0 (when it is bad, its reject says so) */
    int rc = r->o.format == RD_CSV ? next_csv(r, rec, err) : next_line(r, rec, err);
    if (with_header && rc == RD_RECORD) {
        r->header = calloc((size_t)rec->nfields, sizeof *r->header);
        if (!r->header)
            return rp_err(err, RP_NOMEM, NULL);
        for (int i = 0; i < rec->nfields; i++) {
            r->header[i] = strndup(rec->field[i], rec->flen[i]);
            if (!r->header[i])
                return rp_err(err, RP_NOMEM, NULL);
        }
        r->nheader = rec->nfields;
        r->recno = 0;
        return rd_next(r, rec, err);
    }
    if (with_header && rc == RD_BAD) {
        /* the header names the columns: without it no record can be read (and
         * the next row must not be taken for it), so the file fails here */
        const char *m = rp_errmsg(err), *why = strstr(m, "): ");
        char msg[RP_ERROR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", why ? why + 3 : m);
        return rp_err(err, err->code ? err->code : RP_PARSE, "%s: the header row cannot be read (%s), and without "
                      "it no column can be found: is this the right spec / code page?", r->path, msg);
    }
    return rc;
}

/* The block that holds byte offset (a record's, after a checkpoint), found by its descriptors from the
 * start of the file: where it ends. */
static int seek_block(reader *r, int64_t offset, rp_error *err)
{
    int64_t at = 0;
    for (;;) {
        if (at == offset) { /* a block's start: its descriptor is read next */
            r->block_end = at;
            return RP_OK;
        }
        unsigned char p[4];
        if (fseeko(r->f, (off_t)at, SEEK_SET) != 0 || fread(p, 1, 4, r->f) != 4)
            return rp_err(err, RP_IO, "%s: cannot read the block descriptor at byte %lld to go on from byte %lld",
                          r->path, (long long)at, (long long)offset);
        int64_t len = bdw_length(p);
        if (len < 4)
            return rp_err(err, RP_PARSE, "%s: a bad block descriptor word at byte %lld, before byte %lld", r->path,
                          (long long)at, (long long)offset);
        if (at + len > offset) {
            if (offset < at + 4)
                return rp_err(err, RP_PARSE, "%s: byte %lld is inside the block descriptor at byte %lld", r->path,
                              (long long)offset, (long long)at);
            r->block_end = at + len;
            return RP_OK;
        }
        at += len;
    }
}

int rd_seek(reader *r, int64_t offset, int64_t recno, rp_error *err)
{
    int is_text = r->o.format != RD_RDW && r->o.format != RD_FIXED;
    if (is_text && r->o.header && (r->o.format == RD_CSV || r->o.format == RD_DELIMITED) && !r->header) {
        rd_record rec;
        int rc = rd_next(r, &rec, err); /* reads the header, then the first record */
        if (rc != RD_RECORD && rc != RD_BAD && rc != RD_END)
            return rc;
    }
    if (is_text && !r->started) {
        int rc = skip_bom(r, err);
        if (rc)
            return rc;
    }
    if (r->o.format == RD_RDW && r->o.bdw && offset > 0) {
        int rc = seek_block(r, offset, err);
        if (rc)
            return rc;
    }
    if (fseeko(r->f, (off_t)offset, SEEK_SET) != 0)
        return rp_err(err, RP_IO, "%s: cannot seek to byte %lld: %s", r->path, (long long)offset,
                      strerror(errno));
    r->beg = r->end = 0;
    r->eof = 0;
    r->file_off = offset;
    r->recno = recno;
    r->started = 1;
    return RP_OK;
}

