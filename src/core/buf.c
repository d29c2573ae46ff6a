#include "core/buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rp_buf_init(rp_buf *b, size_t max)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->max = max ? max : RP_BUF_DEFAULT_MAX;
    b->status = RP_OK;
}

static int grow(rp_buf *b, size_t extra)
{
    if (b->status)
        return b->status;
    if (extra > b->max || b->len > b->max - extra) {
        b->status = RP_TOOBIG;
        return b->status;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return RP_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->status = RP_NOMEM;
        return b->status;
    }
    b->data = p;
    b->cap = cap;
    return RP_OK;
}

int rp_buf__append_grow(rp_buf *b, const void *p, size_t n)
{
    if (grow(b, n))
        return b->status;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
    return RP_OK;
}

int rp_buf_puts(rp_buf *b, const char *s) { return rp_buf_append(b, s, strlen(s)); }

char *rp_buf_space(rp_buf *b, size_t n) { return grow(b, n) ? NULL : b->data + b->len; }

size_t rp_fmt_i64(char out[21], int64_t v)
{
    char d[24], *p = d + sizeof d;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    size_t n = (size_t)(d + sizeof d - p);
    memcpy(out, p, n);
    out[n] = 0;
    return n;
}

int rp_buf_put_i64(rp_buf *b, int64_t v)
{
    char d[21];
    return rp_buf_append(b, d, rp_fmt_i64(d, v));
}

int rp_buf_printf(rp_buf *b, const char *fmt, ...)
{
    if (b->status)
        return b->status;
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->status = RP_INVAL;
        return b->status;
    }
    if ((size_t)n < sizeof small)
        return rp_buf_append(b, small, (size_t)n);
    if (grow(b, (size_t)n))
        return b->status;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return RP_OK;
}

const char *rp_buf_str(const rp_buf *b) { return b->data ? b->data : ""; }
int rp_buf_status(const rp_buf *b) { return b->status; }

void rp_buf_reset(rp_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = 0;
    b->status = RP_OK;
}

char *rp_buf_take(rp_buf *b, size_t *len)
{
    if (b->status) {
        rp_buf_release(b);
        return NULL;
    }
    if (!b->data && grow(b, 0))
        return NULL;
    char *p = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void rp_buf_release(rp_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->status = RP_OK;
}

int rp_buf_read_file(rp_buf *b, const char *path, size_t max, rp_error *err)
{
    rp_buf_release(b);
    rp_buf_init(b, max);
    FILE *f = fopen(path, "rb");
    if (!f) /* for want of memory: not a file that is not there (a caller may look elsewhere then) */
        return rp_err(err, errno == ENOMEM ? RP_NOMEM : RP_IO, "%s: cannot open: %s", path, strerror(errno));
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (rp_buf_append(b, chunk, n))
            break;
    int rerr = ferror(f);
    fclose(f);
    int st = rp_buf_status(b);
    if (st == RP_TOOBIG) {
        rp_buf_reset(b);
        return rp_err(err, RP_TOOBIG, "%s: larger than %zu bytes", path, max);
    }
    if (st)
        return rp_err(err, st, "%s: out of memory", path);
    if (rerr)
        return rp_err(err, RP_IO, "%s: read error", path);
    return RP_OK;
}
