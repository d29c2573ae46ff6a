/* facts.c — the column copy of the transactions.  See facts.h. */
#include "analytics/facts.h"
#include "analytics/base.h"
#include "core/progress.h"
#include "core/rtime.h"
#include "core/sort.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "RPFACTS1"
#define CHUNK 65536

typedef struct hdr {
    char magic[8];
    uint32_t rowsize, nclasses;
    int64_t generation, max_id;
    uint64_t rows, sorted;
    char classes[AN_FACT_CLASSES][32];
} hdr;

_Static_assert(sizeof(an_fact) == 24, "a fact is 24 bytes");

static int io_err(rp_error *err, const char *path, const char *what)
{
    return rp_err(err, RP_IO, "%s: %s: %s", path, what, strerror(errno));
}

static int read_all(int fd, void *p, size_t n, off_t at)
{
    char *c = p;
    while (n) {
        ssize_t k = pread(fd, c, n, at);
        if (k <= 0)
            return -1;
        c += k, n -= (size_t)k, at += k;
    }
    return 0;
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t k = write(fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        c += k, n -= (size_t)k;
    }
    return 0;
}

/* The header of a copy that is whole and current for generation gen; 0 if it is not. */
static int read_header(const char *path, int64_t gen, int64_t max_id, hdr *h)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat st;
    int ok = !fstat(fd, &st) && !read_all(fd, h, sizeof *h, 0) && !memcmp(h->magic, MAGIC, 8) &&
             h->rowsize == sizeof(an_fact) && h->nclasses <= AN_FACT_CLASSES && h->generation == gen &&
             h->max_id <= max_id && h->sorted <= h->rows &&
             (uint64_t)st.st_size == sizeof *h + h->rows * sizeof(an_fact);
    close(fd);
    return ok;
}

static int64_t scalar(rp_store *s, const char *sql, rp_error *err, int *rc)
{
    rp_stmt *st;
    if ((*rc = rp_store_prepare(s, sql, &st, err)))
        return 0;
    int64_t v = 0;
    int r = rp_stmt_step(st, err);
    if (r == RP_ROW)
        v = rp_stmt_column_type(st, 0) == RP_COL_TEXT ? strtoll(rp_stmt_text(st, 0), NULL, 10) : rp_stmt_int(st, 0);
    else if (r != RP_DONE)
        *rc = r;
    rp_stmt_done(st);
    return v;
}

static uint16_t class_index(hdr *h, const char *c)
{
    if (!c)
        c = "";
    if (strlen(c) >= sizeof h->classes[0])
        return AN_FACT_OTHER;
    for (uint32_t i = 0; i < h->nclasses; i++)
        if (!strcmp(h->classes[i], c))
            return (uint16_t)i;
    if (h->nclasses >= AN_FACT_OTHER)
        return AN_FACT_OTHER;
    strcpy(h->classes[h->nclasses], c);
    return (uint16_t)h->nclasses++;
}

/* The rows with id above h->max_id, sorted by account and day. */
static int read_new(rp_store *s, hdr *h, int progress, int64_t max_id, an_fact **out, size_t *n, rp_error *err)
{
    size_t cap = 0, k = 0;
    an_fact *a = NULL;
    rp_progress pr;
    if (progress)
        rp_progress_start(&pr, "copying transactions for analysis", (uint64_t)(max_id - h->max_id));
    rp_stmt *st;
    int rc = rp_store_prepare(s,
                              "SELECT id, account_id, posted_at, amount_minor, channel, class FROM txn "
                              "WHERE id > ? AND id <= ? ORDER BY id",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, h->max_id);
    rp_stmt_bind_int(st, 2, max_id);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        int64_t acct = rp_stmt_int(st, 1);
        int32_t day = an_day_of_instant(rp_stmt_text(st, 2));
        if (acct < 0 || acct > UINT32_MAX)
            acct = UINT32_MAX; /* no such account: counted as nobody's */
        if (k == cap) {
            cap = cap ? cap * 2 : 1 << 16;
            an_fact *na = realloc(a, cap * sizeof *na);
            if (!na) {
                rc = rp_err(err, RP_NOMEM, "analysis copy: %zu transactions", cap);
                break;
            }
            a = na;
        }
        an_fact *f = &a[k++];
        memset(f, 0, sizeof *f);
        f->key = (uint64_t)acct << 32 | (uint32_t)((int64_t)day - INT32_MIN);
        f->amount = rp_stmt_int(st, 3);
        f->ch = an_channel_of(rp_stmt_text(st, 4));
        f->cls = class_index(h, rp_stmt_text(st, 5));
        if (progress && !(k & 0xffff))
            rp_progress_update(&pr, k);
    }
    rp_stmt_done(st);
    if (progress)
        rp_progress_finish(&pr);
    if (rc != RP_DONE) {
        free(a);
        return rc;
    }
    if (rp_sort_by_u64(a, k, sizeof *a, offsetof(an_fact, key))) {
        free(a);
        return rp_err(err, RP_NOMEM, NULL);
    }
    *out = a;
    *n = k;
    return RP_OK;
}

/* Write h, then the sorted base of the old copy merged with add[0..nadd). */
static int write_merged(const char *path, const char *old, hdr *h, uint64_t base_rows, const an_fact *add,
                        size_t nadd, rp_error *err)
{
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return io_err(err, tmp, "cannot create");
    int in = base_rows ? open(old, O_RDONLY | O_CLOEXEC) : -1;
    an_fact *buf = malloc(CHUNK * sizeof *buf), *outb = malloc(CHUNK * sizeof *outb);
    int rc = RP_OK;
    if (!buf || !outb || (base_rows && in < 0))
        rc = buf && outb ? io_err(err, old, "cannot open") : rp_err(err, RP_NOMEM, NULL);
    h->rows = h->sorted = base_rows + nadd;
    if (!rc && write_all(fd, h, sizeof *h))
        rc = io_err(err, tmp, "cannot write");
    uint64_t bi = 0, bn = 0, bpos = 0; /* rows of the base read, in buf, used */
    size_t ai = 0, no = 0;
    off_t at = sizeof *h;
    while (!rc && (bi < base_rows || bpos < bn || ai < nadd)) {
        if (bpos == bn && bi < base_rows) {
            bn = base_rows - bi < CHUNK ? base_rows - bi : CHUNK;
            if (read_all(in, buf, bn * sizeof *buf, at)) {
                rc = io_err(err, old, "cannot read");
                break;
            }
            at += (off_t)(bn * sizeof *buf);
            bi += bn;
            bpos = 0;
        }
        int from_base = bpos < bn && (ai == nadd || buf[bpos].key <= add[ai].key);
        outb[no++] = from_base ? buf[bpos++] : add[ai++];
        if (no == CHUNK) {
            if (write_all(fd, outb, no * sizeof *outb))
                rc = io_err(err, tmp, "cannot write");
            no = 0;
        }
    }
    if (!rc && no && write_all(fd, outb, no * sizeof *outb))
        rc = io_err(err, tmp, "cannot write");
    free(buf), free(outb);
    if (in >= 0)
        close(in);
    if (close(fd) && !rc)
        rc = io_err(err, tmp, "cannot write");
    if (!rc && rename(tmp, path))
        rc = io_err(err, path, "cannot replace");
    if (rc)
        unlink(tmp);
    return rc;
}

static int sync_locked(rp_store *s, const char *path, int progress, an_facts_info *info, rp_error *err);

/* One process at a time brings the copy up to date (a lock file beside it). */
int an_facts_sync(rp_store *s, const char *path, int progress, an_facts_info *info, rp_error *err)
{
    char lock[1100];
    snprintf(lock, sizeof lock, "%s.lock", path);
    int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return io_err(err, lock, "cannot open");
    while (flock(fd, LOCK_EX) && errno == EINTR)
        ;
    int rc = sync_locked(s, path, progress, info, err);
    close(fd);
    return rc;
}

static int sync_locked(rp_store *s, const char *path, int progress, an_facts_info *info, rp_error *err)
{
    double t0 = rp_monotonic();
    memset(info, 0, sizeof *info);
    int rc;
    int64_t gen = scalar(s, "SELECT value FROM store_meta WHERE name = 'txn_generation'", err, &rc);
    if (rc)
        return rc;
    int64_t max_id = scalar(s, "SELECT coalesce(max(id), 0) FROM txn", err, &rc);
    if (rc)
        return rc;
    hdr *h = calloc(1, sizeof *h);
    if (!h)
        return rp_err(err, RP_NOMEM, NULL);
    if (!read_header(path, gen, max_id, h)) {
        memset(h, 0, sizeof *h);
        memcpy(h->magic, MAGIC, 8);
        h->rowsize = sizeof(an_fact);
        h->generation = gen;
        info->rebuilt = 1;
    }
    if (h->max_id == max_id && !info->rebuilt) {
        info->rows = h->rows;
        free(h);
        info->seconds = rp_monotonic() - t0;
        return RP_OK;
    }
    an_fact *add = NULL;
    size_t nadd = 0;
    if ((rc = read_new(s, h, progress, max_id, &add, &nadd, err))) {
        free(h);
        return rc;
    }
    h->max_id = max_id;
    uint64_t tail = h->rows - h->sorted;
    if (info->rebuilt || tail + nadd > h->rows / 8) {
        /* the old unsorted tail joins the new rows, and all is merged into the base */
        if (tail) {
            an_fact *na = realloc(add, (nadd + tail) * sizeof *na);
            int fd = na ? open(path, O_RDONLY | O_CLOEXEC) : -1;
            if (!na)
                rc = rp_err(err, RP_NOMEM, NULL);
            else if (fd < 0 || read_all(fd, na + nadd, tail * sizeof *na, (off_t)(sizeof *h + h->sorted * sizeof *na)))
                rc = io_err(err, path, "cannot read");
            if (fd >= 0)
                close(fd);
            if (na)
                add = na;
            nadd += rc ? 0 : tail;
            if (!rc && rp_sort_by_u64(add, nadd, sizeof *add, offsetof(an_fact, key)))
                rc = rp_err(err, RP_NOMEM, NULL);
        }
        if (!rc)
            rc = write_merged(path, path, h, info->rebuilt ? 0 : h->sorted, add, nadd, err);
        info->merged = !info->rebuilt;
    } else {
        /* append, then the header that counts them */
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || lseek(fd, 0, SEEK_END) < 0 || write_all(fd, add, nadd * sizeof *add))
            rc = io_err(err, path, "cannot append");
        h->rows += nadd;
        if (!rc && (lseek(fd, 0, SEEK_SET) < 0 || write_all(fd, h, sizeof *h)))
            rc = io_err(err, path, "cannot write");
        if (fd >= 0 && close(fd) && !rc)
            rc = io_err(err, path, "cannot write");
    }
    info->rows = h->rows;
    info->added = nadd;
    free(add);
    free(h);
    info->seconds = rp_monotonic() - t0;
    return rc;
}

int an_facts_open(const char *path, an_facts_reader *r, rp_error *err)
{
    memset(r, 0, sizeof *r);
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0)
        return io_err(err, path, "cannot open");
    hdr *h = malloc(sizeof *h);
    r->buf = malloc(CHUNK * sizeof *r->buf);
    if (!h || !r->buf) {
        free(h);
        an_facts_close(r);
        return rp_err(err, RP_NOMEM, NULL);
    }
    if (read_all(r->fd, h, sizeof *h, 0) || memcmp(h->magic, MAGIC, 8) || h->nclasses > AN_FACT_CLASSES) {
        free(h);
        an_facts_close(r);
        return rp_err(err, RP_PARSE, "%s: not an analysis copy of this version", path);
    }
    r->rows = h->rows;
    r->nclasses = (int)h->nclasses;
    memcpy(r->classes, h->classes, sizeof r->classes);
    free(h);
    return RP_OK;
}

int an_facts_next(an_facts_reader *r, const an_fact **rows, size_t *n, rp_error *err)
{
    *n = 0;
    *rows = r->buf;
    if (r->next >= r->rows)
        return RP_OK;
    size_t k = r->rows - r->next < CHUNK ? (size_t)(r->rows - r->next) : CHUNK;
    if (read_all(r->fd, r->buf, k * sizeof *r->buf, (off_t)(sizeof(hdr) + r->next * sizeof *r->buf)))
        return rp_err(err, RP_IO, "analysis copy: cannot read: %s", errno ? strerror(errno) : "cut short");
    r->next += k;
    *n = k;
    return RP_OK;
}

void an_facts_close(an_facts_reader *r)
{
    if (r->fd >= 0)
        close(r->fd);
    free(r->buf);
    r->fd = -1;
    r->buf = NULL;
}
