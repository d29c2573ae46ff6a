/* mart.c — the selection copy: every customer's attributes, what suppression asks and the products
 * each holds, as columns in a file beside the store (DB.mart), so that counting a rule is a scan of
 * a few columns.  Written whole to DB.mart.new and renamed over the old one: a reader sees the
 * old copy or the new, never half of one.  See marketing.h.
 *
 * The file: a header (struct head), a directory of columns (struct dirent_), then the columns,
 * each at an offset that is a multiple of 8:
 *   customer        int64 ids, ascending
 *   a:NAME          an attribute of an_attrs[]: doubles, or for a text one uint32 codes, with
 *   d:NAME          its dictionary: the texts of codes 1, 2, ... each ended by a NUL
 *   consent, address  uint64 (wh_reach);  last_contact int32;  reachable, dnc, flags, recent_all  uint8
 *   p:CODE          a product: a bitset of n bits, 1 for a customer holding it in an open account */
#include "marketing/internal.h"
#include "core/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/log.h"

#define MART_MAGIC "RPMART02"
#define MAX_COLS 512
#define MAX_PRODUCTS 400

struct head {
    char magic[8];
    uint64_t n;
    int32_t as_of, ncols;
    int64_t built_at, txn_generation, txn_max_id;
    char store[96];
    uint64_t reach;                  /* wh_reach_mark's when made */
    char pad[256 - 8 - 8 - 8 - 24 - 96 - 8];
};
_Static_assert(sizeof(struct head) == 256, "the mart's header is 256 bytes");
struct dirent_ {
    char name[48];
    uint64_t offset, bytes;
};

/* ---- building ---- */

typedef struct col {
    char name[48];
    const void *data;
    size_t bytes;
} col;

typedef struct build {
    an_attr_table t;
    uint64_t *consent, *address;
    int32_t *last_contact;
    uint8_t *reachable, *dnc, *flags, *recent_all;
    int nproducts;
    char (*product)[32];
    uint64_t **holds;
    /* accounts: id -> product index (-1 none or closed) */
    int16_t *acct_product;
    int64_t max_account;
} build;

static ptrdiff_t row_of(const int64_t *ids, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && ids[lo] == id ? (ptrdiff_t)lo : -1;
}

ptrdiff_t mk__row(const mk_mart *m, int64_t customer) { return row_of(m->customer, m->n, customer); }

int mk__reach_now(const mk_mart *m, const char *purpose, int contact, int64_t customer)
{
    ptrdiff_t i = mk__row(m, customer);
    if (i < 0 || m->flags[i] & MK_F_DECEASED_OR_CLOSED)
        return 0;
    if (contact < 0)
        return -1;
    if (m->dnc[i] >> contact & 1)
        return 1;
    int p = mk__index(purpose, wh_consent_purposes);
    if (p >= 0 && !(m->consent[i] >> (p * 8 + contact) & 1))
        return 2;
    return m->reachable[i] >> contact & 1 ? -1 : 3;
}

static int reach_row(void *ctx, const wh_reach *r, rp_error *err)
{
    (void)err;
    build *b = ctx;
    ptrdiff_t i = row_of(b->t.customer, b->t.n, r->customer);
    if (i < 0)
        return RP_OK;
    b->consent[i] = r->consent;
    b->address[i] = r->address;
    b->last_contact[i] = r->last_contact;
    b->reachable[i] = r->reachable;
    b->dnc[i] = r->dnc;
    b->recent_all[i] = r->recent_all;
    b->flags[i] |= (uint8_t)((!strcmp(r->status, "deceased") || !strcmp(r->status, "closed") ? MK_F_DECEASED_OR_CLOSED : 0) |
                             (r->staff ? MK_F_STAFF : 0) | (r->complaint ? MK_F_COMPLAINT : 0));
    return RP_OK;
}

static int kind_row(void *ctx, int64_t id, const wh_party *p, rp_error *err)
{
    (void)err;
    build *b = ctx;
    ptrdiff_t i = row_of(b->t.customer, b->t.n, id);
    if (i >= 0 && p->kind && !strcmp(p->kind, "organisation"))
        b->flags[i] |= MK_F_ORGANISATION;
    return RP_OK;
}

static int account_row(void *ctx, const wh_account_row *a, rp_error *err)
{
    build *b = ctx;
    if (a->id <= 0 || a->id > b->max_account)
        return RP_OK;
    b->acct_product[a->id] = -1;
    if (!a->product || (a->status && (!strcmp(a->status, "closed") || !strcmp(a->status, "written_off"))))
        return RP_OK;
    int p = 0;
    while (p < b->nproducts && strcmp(b->product[p], a->product))
        p++;
    if (p == b->nproducts) {
        if (p == MAX_PRODUCTS)
            return rp_err(err, RP_TOOBIG, "the catalogue has more than %d products held", MAX_PRODUCTS);
        char(*np)[32] = realloc(b->product, (size_t)(p + 1) * sizeof *np);
        uint64_t **nh = realloc(b->holds, (size_t)(p + 1) * sizeof *nh);
        if (np)
            b->product = np;
        if (nh)
            b->holds = nh;
        if (!np || !nh || !(b->holds[p] = calloc((b->t.n + 63) / 64 + 1, sizeof(uint64_t))))
            return rp_err(err, RP_NOMEM, NULL);
        snprintf(b->product[p], sizeof b->product[p], "%s", a->product);
        b->nproducts++;
    }
    b->acct_product[a->id] = (int16_t)p;
    return RP_OK;
}

static int holding_row(void *ctx, const wh_holding *h, rp_error *err)
{
    (void)err;
    build *b = ctx;
    if (h->account <= 0 || h->account > b->max_account || b->acct_product[h->account] < 0)
        return RP_OK;
    if (strcmp(h->role, "owner") && strcmp(h->role, "joint"))
        return RP_OK;
    ptrdiff_t i = row_of(b->t.customer, b->t.n, h->customer);
    if (i >= 0)
        b->holds[b->acct_product[h->account]][i / 64] |= (uint64_t)1 << (i % 64);
    return RP_OK;
}

static void build_free(build *b)
{
    an_attr_table_free(&b->t);
    free(b->consent), free(b->address), free(b->last_contact), free(b->reachable), free(b->dnc), free(b->flags);
    free(b->recent_all), free(b->acct_product);
    for (int p = 0; p < b->nproducts; p++)
        free(b->holds[p]);
    free(b->holds), free(b->product);
    memset(b, 0, sizeof *b);
}

static int gather(wh *w, const mk_env *env, build *b, rp_error *err)
{
    an_job_opts o = { 0 };
    int64_t now = env->now ? env->now : rp_now();
    rp_date d = rp_time_taipei_date(now);
    o.job = "marketing";
    o.as_of = (int32_t)rp_days_from_civil(d.y, d.m, d.d);
    o.cfg = env->cfg;
    o.facts = env->facts;
    o.progress = env->progress;
    int rc = an_attr_table_build(w, &o, &b->t, err);
    if (rc)
        return rc;
    size_t n = b->t.n ? b->t.n : 1;
    b->consent = calloc(n, 8), b->address = calloc(n, 8), b->last_contact = malloc(n * 4);
    b->reachable = calloc(n, 1), b->dnc = calloc(n, 1), b->flags = calloc(n, 1), b->recent_all = calloc(n, 1);
    wh_bounds bd;
    if (!b->consent || !b->address || !b->last_contact || !b->reachable || !b->dnc || !b->flags || !b->recent_all)
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < b->t.n; i++)
        b->last_contact[i] = INT32_MIN;
    if ((rc = wh_reach_all(w, now, 30, reach_row, b, err)) ||
        (rc = wh_customers(w, 1u << WH_PA_kind, kind_row, b, err)) || (rc = wh_id_bounds(w, &bd, err)))
        return rc;
    b->max_account = bd.account;
    if (!(b->acct_product = malloc(((size_t)bd.account + 1) * sizeof *b->acct_product)))
        return rp_err(err, RP_NOMEM, NULL);
    for (int64_t a = 0; a <= bd.account; a++)
        b->acct_product[a] = -1;
    if ((rc = wh_accounts(w, account_row, b, err)) || (rc = wh_holdings(w, holding_row, b, err)))
        return rc;
    return RP_OK;
}

/* The columns to write, names and bytes. */
static int columns(build *b, col *c, int *nc, char **dicts, rp_error *err)
{
    size_t n = b->t.n;
    int k = 0;
#define COL(nm, ptr, sz) (snprintf(c[k].name, sizeof c[k].name, "%s", nm), c[k].data = (ptr), c[k].bytes = (sz), k++)
    COL("customer", b->t.customer, n * 8);
    for (int a = 0; a < an_nattrs; a++) {
        char name[48];
        snprintf(name, sizeof name, "a:%s", an_attrs[a].name);
        if (b->t.num[a]) {
            COL(name, b->t.num[a], n * 8);
            continue;
        }
        COL(name, b->t.code[a], n * 4);
        size_t len = 0;
        for (uint32_t j = 1; j < b->t.ndict[a]; j++)
            len += strlen(b->t.dict[a][j]) + 1;
        char *dd = malloc(len ? len : 1), *p = dd;
        if (!dd)
            return rp_err(err, RP_NOMEM, NULL);
        for (uint32_t j = 1; j < b->t.ndict[a]; j++)
            p = stpcpy(p, b->t.dict[a][j]) + 1;
        dicts[a] = dd;
        snprintf(name, sizeof name, "d:%s", an_attrs[a].name);
        COL(name, dd, len);
    }
    COL("consent", b->consent, n * 8);
    COL("address", b->address, n * 8);
    COL("last_contact", b->last_contact, n * 4);
    COL("reachable", b->reachable, n);
    COL("dnc", b->dnc, n);
    COL("flags", b->flags, n);
    COL("recent_all", b->recent_all, n);
    for (int p = 0; p < b->nproducts; p++) {
        char name[48];
        snprintf(name, sizeof name, "p:%s", b->product[p]);
        COL(name, b->holds[p], (n + 63) / 64 * 8);
    }
#undef COL
    *nc = k;
    return RP_OK;
}

static int write_file(const char *path, const struct head *h, const col *c, int nc, rp_error *err)
{
    char tmp[1200];
    snprintf(tmp, sizeof tmp, "%s.new", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return rp_err(err, RP_IO, "%s: %s", tmp, strerror(errno));
    struct dirent_ *dir = calloc((size_t)nc, sizeof *dir);
    uint64_t off = sizeof *h + (uint64_t)nc * sizeof *dir;
    for (int k = 0; dir && k < nc; k++) {
        off = (off + 7) & ~(uint64_t)7;
        snprintf(dir[k].name, sizeof dir[k].name, "%s", c[k].name);
        dir[k].offset = off;
        dir[k].bytes = c[k].bytes;
        off += c[k].bytes;
    }
    static const char zero[8];
    int bad = !dir || rp_write_full(fd, h, sizeof *h) || rp_write_full(fd, dir, (size_t)nc * sizeof *dir);
    uint64_t at = sizeof *h + (uint64_t)nc * sizeof *dir;
    for (int k = 0; !bad && k < nc; k++) {
        if (dir[k].offset > at)
            bad = rp_write_full(fd, zero, dir[k].offset - at);
        bad = bad || rp_write_full(fd, c[k].data, c[k].bytes);
        at = dir[k].offset + c[k].bytes;
    }
    int e = bad ? errno : 0;
    free(dir);
    if (!bad && fsync(fd))
        bad = 1, e = errno;
    if (bad) {
        close(fd);
        unlink(tmp);
        return rp_err(err, e == ENOSPC ? RP_FULL : RP_IO, "%s: %s", tmp, strerror(e ? e : EIO));
    }
    close(fd);
    if (rename(tmp, path)) {
        e = errno;
        unlink(tmp);
        return rp_err(err, RP_IO, "%s: %s", path, strerror(e));
    }
    return RP_OK;
}

static int mart_path(wh *w, char *out, size_t n)
{
    char base[1024];
    if (rp_store_local_name(wh_db_path(w), wh_key_path(w), base, sizeof base) || !base[0])
        return 0;
    return (size_t)snprintf(out, n, "%s.mart", base) < n;
}

static int open_file(const char *path, mk_mart **out, rp_error *err);
static int from_memory(build *b, const struct head *h, mk_mart **out, rp_error *err);

int mk_mart_build(wh *w, const mk_env *env, mk_mart **out, rp_error *err)
{
    build b;
    memset(&b, 0, sizeof b);
    *out = NULL;
    double t0 = rp_monotonic();
    uint64_t reach = 0;  /* taken first: a change while the copy is made makes it stale */
    int rc = wh_reach_mark(w, &reach, err), nc = 0;
    if (!rc)
        rc = gather(w, env, &b, err);
    col *c = calloc(MAX_COLS, sizeof *c);
    char *dicts[AN_ATTRS_MAX] = { 0 };
    struct head h;
    memset(&h, 0, sizeof h);
    wh_txn_mark mark;
    if (!rc && !c)
        rc = rp_err(err, RP_NOMEM, NULL);
    if (!rc && !(rc = wh_txn_mark_get(w, &mark, err)) && !(rc = columns(&b, c, &nc, dicts, err))) {
        memcpy(h.magic, MART_MAGIC, 8);
        h.n = b.t.n;
        h.as_of = b.t.as_of;
        h.ncols = nc;
        h.built_at = rp_now();
        h.txn_generation = mark.generation;
        h.txn_max_id = mark.max_id;
        h.reach = reach;
        snprintf(h.store, sizeof h.store, "%s", mark.store);
        char path[1100];
        if (mart_path(w, path, sizeof path)) {
            if (!(rc = write_file(path, &h, c, nc, err)))
                rc = open_file(path, out, err);
        } else
            rc = from_memory(&b, &h, out, err);
    }
    for (int a = 0; a < AN_ATTRS_MAX; a++)
        free(dicts[a]);
    free(c);
    build_free(&b);
    if (!rc) {
        (*out)->cfg = env->cfg;
        rp_log(RP_LOG_INFO, "marketing: the selection copy of %zu customers made in %.1f s", (*out)->n,
               rp_monotonic() - t0);
    }
    return rc;
}

/* ---- reading ---- */

static int dict_load(mk_mart *m, int a, const char *p, size_t bytes, rp_error *err)
{
    uint32_t count = 1;
    for (size_t i = 0; i < bytes; i++)
        count += p[i] == 0;
    if (bytes && p[bytes - 1])
        return rp_err(err, RP_IO, "%s: a dictionary is not ended", m->path);
    free(m->dict_mem[a]); /* a damaged file naming a dictionary twice */
    if (!(m->dict_mem[a] = calloc(count, sizeof(char *))))
        return rp_err(err, RP_NOMEM, NULL);
    uint32_t k = 1;
    for (size_t i = 0; i < bytes; i += strlen(p + i) + 1)
        m->dict_mem[a][k++] = (char *)(p + i);
    m->dict[a] = (const char *const *)m->dict_mem[a];
    m->ndict[a] = count;
    return RP_OK;
}

/* Point m's columns at their places in base (the file's bytes). */
static int attach(mk_mart *m, const char *base, size_t size, rp_error *err)
{
    const struct head *h = (const void *)base;
    if (size < sizeof *h || memcmp(h->magic, MART_MAGIC, 8) || h->ncols < 1 || h->ncols > MAX_COLS ||
        size < sizeof *h + (size_t)h->ncols * sizeof(struct dirent_))
        return rp_err(err, RP_IO, "%s: not a selection copy, or a damaged one", m->path);
    const struct dirent_ *dir = (const void *)(base + sizeof *h);
    m->n = h->n;
    m->as_of = h->as_of;
    m->built_at = h->built_at;
    int64_t np = 0;
    for (int k = 0; k < h->ncols; k++)
        np += !strncmp(dir[k].name, "p:", 2);
    m->product = calloc((size_t)np + 1, sizeof *m->product);
    m->holds = calloc((size_t)np + 1, sizeof *m->holds);
    if (!m->product || !m->holds)
        return rp_err(err, RP_NOMEM, NULL);
    for (int k = 0; k < h->ncols; k++) {
        const struct dirent_ *e = &dir[k];
        if (e->offset > size || e->bytes > size - e->offset || e->offset % 8 || memchr(e->name, 0, 48) == NULL)
            return rp_err(err, RP_IO, "%s: column %d lies outside the file", m->path, k);
        const void *p = base + e->offset;
        size_t want = !strcmp(e->name, "customer") || !strcmp(e->name, "consent") || !strcmp(e->name, "address") ? m->n * 8
                      : !strcmp(e->name, "last_contact")                                                              ? m->n * 4
                      : !strncmp(e->name, "p:", 2)                                                                     ? (m->n + 63) / 64 * 8
                      : !strncmp(e->name, "a:", 2) || !strncmp(e->name, "d:", 2)                                       ? e->bytes
                                                                                                                        : m->n;
        if (e->bytes != want)
            return rp_err(err, RP_IO, "%s: column %s has %llu bytes, not %zu", m->path, e->name,
                          (unsigned long long)e->bytes, want);
        if (!strcmp(e->name, "customer")) m->customer = p;
        else if (!strcmp(e->name, "consent")) m->consent = p;
        else if (!strcmp(e->name, "address")) m->address = p;
        else if (!strcmp(e->name, "last_contact")) m->last_contact = p;
        else if (!strcmp(e->name, "reachable")) m->reachable = p;
        else if (!strcmp(e->name, "dnc")) m->dnc = p;
        else if (!strcmp(e->name, "flags")) m->flags = p;
        else if (!strcmp(e->name, "recent_all")) m->recent_all = p;
        else if (!strncmp(e->name, "p:", 2)) {
            snprintf(m->product[m->nproducts], sizeof m->product[0], "%s", e->name + 2);
            m->holds[m->nproducts++] = p;
        } else {
            for (int a = 0; a < an_nattrs; a++) {
                if (strcmp(e->name + 2, an_attrs[a].name))
                    continue;
                int rc = RP_OK;
                if (e->name[0] == 'd')
                    rc = dict_load(m, a, p, e->bytes, err);
                else if (an_attrs[a].text && e->bytes == m->n * 4)
                    m->code[a] = p;
                else if (!an_attrs[a].text && e->bytes == m->n * 8)
                    m->num[a] = p;
                else
                    rc = rp_err(err, RP_IO, "%s: column %s is of the wrong size", m->path, e->name);
                if (rc)
                    return rc;
            }
        }
    }
    if (!m->customer || !m->consent || !m->address || !m->last_contact || !m->reachable || !m->dnc || !m->flags ||
        !m->recent_all)
        return rp_err(err, RP_IO, "%s: a column is missing", m->path);
    for (int a = 0; a < an_nattrs; a++)
        if (an_attrs[a].text ? !m->code[a] || !m->dict[a] : !m->num[a])
            return rp_err(err, RP_IO, "%s: the attribute %s is missing (made by another version?)", m->path,
                          an_attrs[a].name);
    return RP_OK;
}

static int open_file(const char *path, mk_mart **out, rp_error *err)
{
    mk_mart *m = calloc(1, sizeof *m);
    if (!m)
        return rp_err(err, RP_NOMEM, NULL);
    snprintf(m->path, sizeof m->path, "%s", path);
    int fd = open(path, O_RDONLY | O_CLOEXEC), rc;
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb)) {
        rc = rp_err(err, errno == ENOENT ? RP_NOTFOUND : RP_IO, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        free(m);
        return rc;
    }
    m->bytes = (size_t)sb.st_size;
    m->map = m->bytes ? mmap(NULL, m->bytes, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    close(fd);
    if (m->map == MAP_FAILED) {
        m->map = NULL;
        mk_mart_close(m);
        return rp_err(err, RP_IO, "%s: cannot be read", path);
    }
    if ((rc = attach(m, m->map, m->bytes, err))) {
        mk_mart_close(m);
        return rc;
    }
    *out = m;
    return RP_OK;
}

/* An in-memory store's copy: the same layout, in memory. */
static int from_memory(build *b, const struct head *h, mk_mart **out, rp_error *err)
{
    char *dicts[AN_ATTRS_MAX] = { 0 };
    col *c = calloc(MAX_COLS, sizeof *c);
    int nc = 0, rc = c ? columns(b, c, &nc, dicts, err) : rp_err(err, RP_NOMEM, NULL);
    size_t off = sizeof *h + (size_t)nc * sizeof(struct dirent_), total = off;
    for (int k = 0; !rc && k < nc; k++)
        total = ((total + 7) & ~(size_t)7) + c[k].bytes;
    char *mem = rc ? NULL : calloc(1, total + 8);
    mk_mart *m = rc ? NULL : calloc(1, sizeof *m);
    if (!rc && (!mem || !m))
        rc = rp_err(err, RP_NOMEM, NULL);
    if (!rc) {
        struct head hh = *h;
        hh.ncols = nc;
        memcpy(mem, &hh, sizeof hh);
        struct dirent_ *dir = (void *)(mem + sizeof hh);
        for (int k = 0; k < nc; k++) {
            off = (off + 7) & ~(size_t)7;
            snprintf(dir[k].name, sizeof dir[k].name, "%s", c[k].name);
            dir[k].offset = off;
            dir[k].bytes = c[k].bytes;
            if (c[k].bytes)
                memcpy(mem + off, c[k].data, c[k].bytes);
            off += c[k].bytes;
        }
        snprintf(m->path, sizeof m->path, "(in memory)");
        m->map = mem;
        m->bytes = total;
        m->in_memory = 1;
        mem = NULL;
        if ((rc = attach(m, m->map, m->bytes, err)))
            mk_mart_close(m);
        else
            *out = m;
    } else
        free(m);
    free(mem);
    for (int a = 0; a < AN_ATTRS_MAX; a++)
        free(dicts[a]);
    free(c);
    return rc;
}

void mk_mart_close(mk_mart *m)
{
    if (!m)
        return;
    if (m->map && m->in_memory)
        free(m->map);
    else if (m->map)
        munmap(m->map, m->bytes);
    for (int a = 0; a < AN_ATTRS_MAX; a++)
        free(m->dict_mem[a]);
    free(m->product);
    free(m->holds);
    free(m);
}

/* Whether the copy is stale: another store, transactions since, consents, contact points or
 * suppressions changed since, or too old. */
static int stale(wh *w, const mk_mart *m, const mk_env *env, int fresh_minutes, const char **why, rp_error *err)
{
    wh_txn_mark mark;
    uint64_t reach;
    int rc = wh_txn_mark_get(w, &mark, err);
    if (!rc)
        rc = wh_reach_mark(w, &reach, err);
    if (rc)
        return rc;
    const struct head *h = m->map;
    long hours = env->cfg ? strtol(rp_config_get(env->cfg, "marketing", "mart_hours", "24"), NULL, 10) : 24;
    int64_t age = rp_now() - m->built_at;
    *why = strcmp(h->store, mark.store) ? "made from another store"
           : h->txn_generation != mark.generation || h->txn_max_id != mark.max_id ? "transactions came since"
           : h->reach != reach ? "consents, contacts or suppressions changed since"
           : age > (hours > 0 ? hours : 24) * 3600                                 ? "older than [marketing] mart_hours"
           : fresh_minutes > 0 && age > (int64_t)fresh_minutes * 60                 ? "older than a selection allows"
                                                                                    : NULL;
    return RP_OK;
}

int mk_mart_get(wh *w, const mk_env *env, int fresh_minutes, mk_mart **out, rp_error *err)
{
    char path[1100];
    *out = NULL;
    if (!mart_path(w, path, sizeof path))
        return mk_mart_build(w, env, out, err);
    mk_mart *m;
    int rc = open_file(path, &m, err);
    if (rc == RP_NOTFOUND || rc == RP_IO) {
        if (rc == RP_IO)
            rp_log(RP_LOG_WARN, "marketing: %s; made again", rp_errmsg(err));
        rp_err_clear(err);
        return mk_mart_build(w, env, out, err);
    }
    if (rc)
        return rc;
    const char *why;
    if ((rc = stale(w, m, env, fresh_minutes, &why, err))) {
        mk_mart_close(m);
        return rc;
    }
    if (!why) {
        m->cfg = env->cfg;
        *out = m;
        return RP_OK;
    }
    rp_log(RP_LOG_INFO, "marketing: the selection copy is %s: made again", why);
    mk_mart_close(m);
    return mk_mart_build(w, env, out, err);
}

int mk_mart_peek(wh *w, const mk_env *env, mk_mart **out, rp_error *err)
{
    char path[1100];
    *out = NULL;
    if (!mart_path(w, path, sizeof path))
        return RP_OK;
    mk_mart *m;
    int rc = open_file(path, &m, err);
    if (rc == RP_NOTFOUND || rc == RP_IO) {
        rp_err_clear(err);
        return RP_OK;
    }
    if (rc)
        return rc;
    wh_txn_mark mark;
    if ((rc = wh_txn_mark_get(w, &mark, err))) {
        mk_mart_close(m);
        return rc;
    }
    if (strcmp(((const struct head *)m->map)->store, mark.store)) {
        mk_mart_close(m);
        return RP_OK;
    }
    m->cfg = env ? env->cfg : NULL;
    *out = m;
    return RP_OK;
}

json_t *mk_mart_info(const mk_mart *m)
{
    char built[RP_TIME_UTC_LEN], asof[RP_DATE_LEN];
    rp_time_format_utc(m->built_at, built);
    rp_date_format(rp_civil_from_days(m->as_of), asof);
    return json_pack("{s:I, s:s, s:s, s:s, s:I, s:i}", "customers", (json_int_t)m->n, "as_of", asof, "built_at", built,
                     "file", m->path, "bytes", (json_int_t)m->bytes, "products", m->nproducts);
}

int mk__holds(const mk_mart *m, int p, size_t i)
{
    return p >= 0 && p < m->nproducts && (m->holds[p][i / 64] >> (i % 64) & 1);
}

int mk__product_index(const mk_mart *m, const char *code)
{
    for (int p = 0; code && p < m->nproducts; p++)
        if (!strcmp(m->product[p], code))
            return p;
    return -1;
}
