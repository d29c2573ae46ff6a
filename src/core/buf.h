/*
 * buf.h — growable byte buffer with a size cap and a sticky error.
 *
 * An rp_buf holds bytes plus a terminating NUL that is never counted in len.
 * Appends past `max` bytes, or an allocation failure, set a sticky status:
 * every later append does nothing, so a sequence of appends is checked once
 * with rp_buf_status() at the end.  Untrusted input therefore cannot grow
 * memory without bound.  rp_buf_take() hands the bytes to the caller.
 */
#ifndef RP_BUF_H
#define RP_BUF_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

typedef struct rp_buf {
    char *data;   /* NULL until the first append */
    size_t len;   /* bytes used, not counting the NUL */
    size_t cap;   /* bytes allocated */
    size_t max;   /* cap on len; appends beyond it fail with RP_TOOBIG */
    int status;   /* RP_OK, RP_NOMEM or RP_TOOBIG; sticky */
} rp_buf;

#define RP_BUF_DEFAULT_MAX ((size_t)64 << 20)
#define RP_BUF_INIT { NULL, 0, 0, RP_BUF_DEFAULT_MAX, RP_OK }

void rp_buf_init(rp_buf *b, size_t max);
/* the slow path of rp_buf_append: growing, the cap, the sticky error */
int rp_buf__append_grow(rp_buf *b, const void *p, size_t n);
/* Inline: loads append a few bytes at a time, millions of times, and the
 * call cost more than the copy. */
static inline int rp_buf_append(rp_buf *b, const void *p, size_t n)
{
    if (b->cap - b->len > n && b->max - b->len >= n && !b->status) {
        if (n)
            __builtin_memcpy(b->data + b->len, p, n);
        b->len += n;
        b->data[b->len] = 0;
        return RP_OK;
    }
    return rp_buf__append_grow(b, p, n);
}
static inline int rp_buf_putc(rp_buf *b, char c)
{
    if (b->cap - b->len > 1 && b->max > b->len && !b->status) {
        b->data[b->len++] = c;
        b->data[b->len] = 0;
        return RP_OK;
    }
    return rp_buf__append_grow(b, &c, 1);
}
int rp_buf_puts(rp_buf *b, const char *s);
/* Room for n more bytes, to write in place: where to write them, or NULL
 * (the sticky error set).  rp_buf_wrote then counts what was written. */
char *rp_buf_space(rp_buf *b, size_t n);
static inline void rp_buf_wrote(rp_buf *b, size_t n)
{
    b->len += n;
    b->data[b->len] = 0;
}
int rp_buf_printf(rp_buf *b, const char *fmt, ...) RP_PRINTF(2, 3);
/* v in decimal into out (NUL-terminated); its length.  Hot paths use it
 * where snprintf cost more than the rest of the work. */
size_t rp_fmt_i64(char out[21], int64_t v);
int rp_buf_put_i64(rp_buf *b, int64_t v);
/* Always a valid NUL-terminated string ("" when empty). */
const char *rp_buf_str(const rp_buf *b);
int rp_buf_status(const rp_buf *b);
/* Empty the buffer but keep its memory and clear a sticky error. */
void rp_buf_reset(rp_buf *b);
/* Move the bytes to the caller (free() them); the buffer is left empty.
 * Returns NULL if the buffer failed. */
char *rp_buf_take(rp_buf *b, size_t *len);
void rp_buf_release(rp_buf *b);

/* Read a whole file into b (emptied first), refusing more than max bytes:
 * "PATH: cannot open: REASON", "PATH: larger than MAX bytes" (RP_TOOBIG),
 * "PATH: read error".  b is always left a valid string. */
int rp_buf_read_file(rp_buf *b, const char *path, size_t max, rp_error *err) RP_WARN_UNUSED;

#endif
