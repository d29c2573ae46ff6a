/* facts.c — the column copy of the transactions.  See internal.h ("the
 * column copy"). */
#include "analytics/internal.h"
#include "core/fileio.h"
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

#define MAGIC "RPFACTS2"
#define CHUNK 65536

typedef struct hdr {
    char magic[8];
    uint32_t rowsize, nclasses;
    char store[96]; /* whose copy: the store's key check and creation time (wh_txn_mark) */
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

/* The header of a copy of this store that is whole and current for generation gen; 0 if it is not.
 * Generation and greatest id alone would take another store's copy for this one's: a store made
 * again under the same name, appended to as far, has both the same. */
static int read_header(const char *path, const char *store, int64_t gen, int64_t max_id, hdr *h)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat st;
    int ok = !fstat(fd, &st) && !read_all(fd, h, sizeof *h, 0) && !memcmp(h->magic, MAGIC, 8) &&
             h->rowsize == sizeof(an_fact) && h->nclasses <= AN_FACT_CLASSES && h->generation == gen &&
             !strncmp(h->store, store, sizeof h->store) &&
             h->max_id <= max_id && h->sorted <= h->rows &&
             (uint64_t)st.st_size == sizeof *h + h->rows * sizeof(an_fact);
    close(fd);
    return ok;
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

/* Rows gathered for the copy: sorted runs of at most RUN rows, spilled to
 * temporary files beside the copy, so that memory stays bounded whatever
 * was loaded; the last run stays in memory. */
#define MAX_RUNS 512
size_t an_facts_run_rows = (size_t)1 << 21;
#define RUN an_facts_run_rows

typedef struct gather {
    const char *path;
    an_fact *buf;
    size_t n;
    int nruns;
    char run[MAX_RUNS][1100];
    uint64_t run_rows[MAX_RUNS];
    uint64_t total;
} gather;

static int spill(gather *g, rp_error *err)
{
    if (rp_sort_by_u64(g->buf, g->n, sizeof *g->buf, offsetof(an_fact, key)))
        return rp_err(err, RP_NOMEM, NULL);
    if (g->nruns == MAX_RUNS)
        return rp_err(err, RP_TOOBIG, "analysis copy: more than %d runs of %zu rows", MAX_RUNS, RUN);
    char *name = g->run[g->nruns];
    snprintf(name, sizeof g->run[0], "%s.%ld.run%d", g->path, (long)getpid(), g->nruns);
    int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return io_err(err, name, "cannot create");
    g->run_rows[g->nruns++] = g->n;
    int bad = rp_write_full(fd, g->buf, g->n * sizeof *g->buf);
    if (close(fd) || bad)
        return io_err(err, name, "cannot write");
    g->n = 0;
    return RP_OK;
}

static int gather_add(gather *g, const an_fact *f, rp_error *err)
{
    if (!g->buf && !(g->buf = malloc(RUN * sizeof *g->buf)))
        return rp_err(err, RP_NOMEM, NULL);
    if (g->n == RUN) {
        int rc = spill(g, err);
        if (rc)
            return rc;
    }
    g->buf[g->n++] = *f;
    g->total++;
    return RP_OK;
}

static void gather_free(gather *g)
{
    for (int i = 0; i < g->nruns; i++)
        unlink(g->run[i]);
    free(g->buf);
    g->buf = NULL;
}

/* The transactions with id above h->max_id, up to max_id. */
static int read_new(wh *w, hdr *h, int progress, int64_t max_id, gather *g, rp_error *err)
{
    if (max_id <= h->max_id)
        return RP_OK; /* none (a scan to 0 would read to the end) */
    rp_progress pr;
    if (progress)
        rp_progress_start(&pr, "copying transactions for analysis", (uint64_t)(max_id - h->max_id));
    wh_txn_scan *scan;
    int rc = wh_txn_scan_open(w, h->max_id, max_id, &scan, err);
    if (rc)
        return rc;
    uint64_t k = 0;
    wh_txn_item t;
    while ((rc = wh_txn_scan_next(scan, &t, err)) == RP_ROW) {
        int64_t acct = t.account_id;
        int32_t day = an_day_of_instant(t.posted_at);
        if (acct < 0 || acct > UINT32_MAX)
            acct = UINT32_MAX; /* no such account: counted as nobody's */
        an_fact f;
        memset(&f, 0, sizeof f);
        f.key = (uint64_t)acct << 32 | (uint32_t)((int64_t)day - INT32_MIN);
        f.amount = t.amount_minor;
        f.ch = t.channel >= 0 ? (uint8_t)t.channel : AN_CH_BATCH;
        f.cls = class_index(h, t.class_);
        if ((rc = gather_add(g, &f, err)))
            break;
        if (progress && !(++k & 0xffff))
            rp_progress_update(&pr, k);
    }
    wh_txn_scan_close(scan);
    if (progress)
        rp_progress_finish(&pr);
    return rc == RP_DONE ? RP_OK : rc;
}

/* A sorted stream: a region of a file, or rows in memory. */
typedef struct stream {
    int fd;
    off_t at;
    uint64_t left;               /* rows not yet in buf */
    an_fact *buf;
    size_t n, pos;
} stream;

static int stream_fill(stream *st, const char *name, rp_error *err)
{
    if (st->pos < st->n || !st->left || st->fd < 0)
        return RP_OK;
    size_t k = st->left < CHUNK ? (size_t)st->left : CHUNK;
    if (read_all(st->fd, st->buf, k * sizeof *st->buf, st->at))
        return io_err(err, name, "cannot read");
    st->at += (off_t)(k * sizeof *st->buf);
    st->left -= k;
    st->n = k;
    st->pos = 0;
    return RP_OK;
}

/* Write h, then the old copy's sorted base (base_rows) merged with the runs
 * and the rows in memory, to a temporary file renamed over path. */
static int write_merged(const char *path, hdr *h, uint64_t base_rows, gather *g, rp_error *err)
{
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    int ns = g->nruns + 2, rc = RP_OK;
    stream *sv = calloc((size_t)ns, sizeof *sv);
    int *heap = malloc((size_t)ns * sizeof *heap);
    an_fact *outb = malloc(CHUNK * sizeof *outb);
    if (!sv || !heap || !outb) {
        free(sv), free(heap), free(outb);
        return rp_err(err, RP_NOMEM, NULL);
    }
    for (int i = 0; i < ns; i++)
        sv[i].fd = -1;
    /* 0: the old base; 1..nruns: the runs; last: memory */
    if (base_rows) {
        sv[0].fd = open(path, O_RDONLY | O_CLOEXEC);
        sv[0].at = sizeof *h;
        sv[0].left = base_rows;
        if (sv[0].fd < 0)
            rc = io_err(err, path, "cannot open");
    }
    for (int r = 0; !rc && r < g->nruns; r++) {
        stream *st = &sv[r + 1];
        st->fd = open(g->run[r], O_RDONLY | O_CLOEXEC);
        st->left = g->run_rows[r];
        if (st->fd < 0)
            rc = io_err(err, g->run[r], "cannot open");
    }
    for (int i = 0; !rc && i < ns - 1; i++)
        if (sv[i].fd >= 0 && !(sv[i].buf = malloc(CHUNK * sizeof *sv[i].buf)))
            rc = rp_err(err, RP_NOMEM, NULL);
    sv[ns - 1].buf = g->buf;
    sv[ns - 1].n = g->n;
    if (!rc && g->n && rp_sort_by_u64(g->buf, g->n, sizeof *g->buf, offsetof(an_fact, key)))
        rc = rp_err(err, RP_NOMEM, NULL);
    int fd = rc ? -1 : open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (!rc && fd < 0)
        rc = io_err(err, tmp, "cannot create");
    h->rows = h->sorted = base_rows + g->total;
    if (!rc && rp_write_full(fd, h, sizeof *h))
        rc = io_err(err, tmp, "cannot write");
    /* a binary heap of the streams by their next key */
    int nh = 0;
    for (int i = 0; !rc && i < ns; i++) {
        if ((rc = stream_fill(&sv[i], i ? (i < ns - 1 ? g->run[i - 1] : "memory") : path, err)))
            break;
        if (sv[i].pos < sv[i].n) {
            int c = nh++;
            while (c && sv[heap[(c - 1) / 2]].buf[sv[heap[(c - 1) / 2]].pos].key > sv[i].buf[sv[i].pos].key) {
                heap[c] = heap[(c - 1) / 2];
                c = (c - 1) / 2;
            }
            heap[c] = i;
        }
    }
    size_t no = 0;
    while (!rc && nh) {
        stream *top = &sv[heap[0]];
        outb[no++] = top->buf[top->pos++];
        if (no == CHUNK) {
            if (rp_write_full(fd, outb, no * sizeof *outb))
                rc = io_err(err, tmp, "cannot write");
            no = 0;
        }
        if ((rc = rc ? rc : stream_fill(top, path, err)))
            break;
        int moving = heap[0];
        if (top->pos == top->n) {
            moving = heap[--nh];
            if (!nh)
                break;
        }
        /* sift down */
        int c = 0;
        for (;;) {
            int l = 2 * c + 1, m = c;
            uint64_t km = sv[moving].buf[sv[moving].pos].key;
            if (l < nh && sv[heap[l]].buf[sv[heap[l]].pos].key < km)
                m = l, km = sv[heap[l]].buf[sv[heap[l]].pos].key;
            if (l + 1 < nh && sv[heap[l + 1]].buf[sv[heap[l + 1]].pos].key < km)
                m = l + 1;
            if (m == c)
                break;
            heap[c] = heap[m];
            c = m;
        }
        if (nh)
            heap[c] = moving;
    }
    if (!rc && no && rp_write_full(fd, outb, no * sizeof *outb))
        rc = io_err(err, tmp, "cannot write");
    for (int i = 0; i < ns - 1; i++) {
        if (sv[i].fd >= 0)
            close(sv[i].fd);
        free(sv[i].buf);
    }
    free(sv), free(heap), free(outb);
    if (fd >= 0 && close(fd) && !rc)
        rc = io_err(err, tmp, "cannot write");
    if (!rc && rename(tmp, path))
        rc = io_err(err, path, "cannot replace");
    if (rc)
        unlink(tmp);
    return rc;
}

static int sync_locked(wh *w, const char *path, int progress, an_facts_info *info, rp_error *err);

/* One process at a time brings the copy up to date (a lock file beside it). */
int an_facts_sync(wh *w, const char *path, int progress, an_facts_info *info, rp_error *err)
{
    char lock[1100];
    snprintf(lock, sizeof lock, "%s.lock", path);
    int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return io_err(err, lock, "cannot open");
    while (flock(fd, LOCK_EX) && errno == EINTR)
        ;
    int rc = sync_locked(w, path, progress, info, err);
    close(fd);
    return rc;
}

static int sync_locked(wh *w, const char *path, int progress, an_facts_info *info, rp_error *err)
{
    double t0 = rp_monotonic();
    memset(info, 0, sizeof *info);
    wh_txn_mark m;
    int rc = wh_txn_mark_get(w, &m, err);
    if (rc)
        return rc;
    _Static_assert(sizeof m.store == sizeof ((hdr *)0)->store, "the copy's header names the store as the mark does");
    int64_t gen = m.generation, max_id = m.max_id;
    const char *store = m.store;
    hdr *h = calloc(1, sizeof *h);
    if (!h)
        return rp_err(err, RP_NOMEM, NULL);
    if (!read_header(path, store, gen, max_id, h)) {
        memset(h, 0, sizeof *h);
        memcpy(h->magic, MAGIC, 8);
        h->rowsize = sizeof(an_fact);
        memcpy(h->store, store, sizeof h->store);
        h->generation = gen;
        info->rebuilt = 1;
    }
    if (h->max_id == max_id && !info->rebuilt) {
        info->rows = h->rows;
        free(h);
        info->seconds = rp_monotonic() - t0;
        return RP_OK;
    }
    gather g = { .path = path };
    if ((rc = read_new(w, h, progress, max_id, &g, err))) {
        gather_free(&g);
        free(h);
        return rc;
    }
    info->added = g.total;
    h->max_id = max_id;
    uint64_t tail = h->rows - h->sorted;
    if (info->rebuilt || g.nruns || tail + g.total > h->rows / 8) {
        /* the old unsorted tail joins the new rows, and all is merged into the base */
        if (tail) {
            int fd = open(path, O_RDONLY | O_CLOEXEC);
            an_fact *chunk = malloc(CHUNK * sizeof *chunk);
            if (fd < 0 || !chunk)
                rc = chunk ? io_err(err, path, "cannot open") : rp_err(err, RP_NOMEM, NULL);
            for (uint64_t done = 0; !rc && done < tail;) {
                size_t k = tail - done < CHUNK ? (size_t)(tail - done) : CHUNK;
                if (read_all(fd, chunk, k * sizeof *chunk, (off_t)(sizeof *h + (h->sorted + done) * sizeof *chunk)))
                    rc = io_err(err, path, "cannot read");
                for (size_t i = 0; !rc && i < k; i++)
                    rc = gather_add(&g, &chunk[i], err);
                done += k;
            }
            free(chunk);
            if (fd >= 0)
                close(fd);
        }
        if (!rc)
            rc = write_merged(path, h, info->rebuilt ? 0 : h->sorted, &g, err);
        info->merged = !info->rebuilt;
    } else {
        /* append, then the header that counts them */
        if (rp_sort_by_u64(g.buf, g.n, sizeof *g.buf, offsetof(an_fact, key)))
            rc = rp_err(err, RP_NOMEM, NULL);
        int fd = rc ? -1 : open(path, O_WRONLY | O_CLOEXEC);
        if (!rc && (fd < 0 || lseek(fd, 0, SEEK_END) < 0 || rp_write_full(fd, g.buf, g.n * sizeof *g.buf)))
            rc = io_err(err, path, "cannot append");
        h->rows += g.n;
        if (!rc && (lseek(fd, 0, SEEK_SET) < 0 || rp_write_full(fd, h, sizeof *h)))
            rc = io_err(err, path, "cannot write");
        if (fd >= 0 && close(fd) && !rc)
            rc = io_err(err, path, "cannot write");
    }
    info->rows = h->rows;
    gather_free(&g);
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
