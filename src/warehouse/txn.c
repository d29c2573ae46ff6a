/*
 * txn.c — transactions, written in blocks (migration 0012).
 *
 * A batch keeps each transaction it is given as a row of offsets into one
 * text buffer; a flush sorts the rows by account and (currency, source,
 * job) with a stable radix sort, so that within a run they stay in the
 * order given, and writes each run as one block: a JSON array of rows, with
 * the run's time and key ranges beside it.  A transaction that repeats a
 * source key of its account is passed to the caller instead: within the run
 * the keys are sorted to find repeats; among the stored blocks only those
 * whose key range overlaps the run's are read.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "core/map.h"
#include "core/sort.h"
#include "core/utf8.h"
#include "warehouse/internal.h"

typedef struct trow {
    int64_t account, tag;
    uint64_t khash;          /* of the source key, to find repeats without comparing text */
    uint64_t when;           /* posted_at as the number YYYYMMDDhhmmss: a block's first and last */
    uint32_t group;          /* index into the batch's (currency, source, job) */
    uint32_t row, rowlen;    /* the row as JSON, in text */
    uint32_t key, keylen;    /* the source key as given, in text; 0: none */
} trow;

typedef struct tgroup {
    char currency[4];
    uint32_t source;         /* text offset, 0: null */
    int64_t job;
} tgroup;

struct wh_txn_batch {
    trow *rows;
    size_t n, cap;
    char *text;
    size_t tlen, tcap;
    tgroup *groups;
    uint32_t ngroups, capgroups, last;
    /* the flush's working arrays, kept from one flush to the next */
    struct sorted *o;
    uint32_t *ix, *keyed;
    unsigned char *rep;
    size_t capwork;
    /* each account's greatest stored source key, as far as this batch knows:
     * a run whose keys are all above it cannot repeat a stored one, and
     * needs no reading.  Kept while no other connection commits. */
    rp_map *kmax;
    int64_t data_version;
    int known_version;
    rp_buf scratch;          /* wh_txn_batch_add's row */
};

#define TEXT_MAX ((size_t)UINT32_MAX - 65536)
#define KMAX_ACCOUNTS 1000000 /* forgotten past this many accounts, and read again */
static char no_keys_;         /* kmax's value for an account without keyed transactions */
#define NO_KEYS (&no_keys_)

static void free_kmax(void *v)
{
    if (v != NO_KEYS)
        free(v);
}

int wh_txn_batch_new(wh_txn_batch **out, rp_error *err)
{
    wh_txn_batch *b = calloc(1, sizeof *b);
    if (!b || !(b->kmax = rp_map_new())) {
        free(b);
        return rp_err(err, RP_NOMEM, NULL);
    }
    b->tlen = 1; /* offset 0 is null */
    rp_buf_init(&b->scratch, 1 << 20);
    *out = b;
    return RP_OK;
}

void wh_txn_batch_free(wh_txn_batch *b)
{
    if (!b)
        return;
    free(b->rows);
    free(b->text);
    free(b->groups);
    free(b->o);
    free(b->ix);
    free(b->keyed);
    free(b->rep);
    rp_map_free(b->kmax, free_kmax);
    rp_buf_release(&b->scratch);
    free(b);
}

size_t wh_txn_batch_len(const wh_txn_batch *b) { return b ? b->n : 0; }

void wh_txn_batch_truncate(wh_txn_batch *b, size_t n)
{
    if (n < b->n)
        b->n = n; /* their text stays until the batch is flushed or cleared */
}

void wh_txn_batch_clear(wh_txn_batch *b)
{
    b->n = 0;
    b->tlen = 1;
    b->ngroups = 0;
}

/* Reserve room for n more bytes of text. */
static int room(wh_txn_batch *b, size_t n)
{
    if (b->tlen + n <= b->tcap)
        return 1;
    if (b->tlen + n > TEXT_MAX)
        return 0;
    size_t cap = b->tcap ? b->tcap * 2 : 1 << 20;
    while (cap < b->tlen + n)
        cap *= 2;
    if (cap > TEXT_MAX + 65536)
        cap = TEXT_MAX + 65536;
    char *t = realloc(b->text, cap);
    if (!t)
        return 0;
    if (!b->tcap)
        t[0] = 0;
    b->text = t;
    b->tcap = cap;
    return 1;
}

/* Copy s (room already made) and give its offset; 0 for null. */
static uint32_t put(wh_txn_batch *b, const char *s, size_t n)
{
    if (!s)
        return 0;
    uint32_t at = (uint32_t)b->tlen;
    memcpy(b->text + at, s, n);
    b->text[at + n] = 0;
    b->tlen += n + 1;
    return at;
}

/* s as a JSON string at o (room for 6 bytes a byte, and 2); past its end. */
static char *json_str(char *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *o++ = (char)c;
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        default:
            memcpy(o, "u00", 3);
            o[3] = hex[c >> 4];
            o[4] = hex[c & 15];
            o += 5;
        }
    }
    *o++ = '"';
    return o;
}

static int group_of(wh_txn_batch *b, const char *currency, const char *source, int64_t job, uint32_t *out)
{
    if (b->ngroups) { /* as the last one, most often */
        const tgroup *g = &b->groups[b->last];
        uint32_t c1, c2;
        memcpy(&c1, g->currency, 4);
        memcpy(&c2, currency, 4);
        if (g->job == job && c1 == c2 &&
            (g->source ? source && !strcmp(b->text + g->source, source) : !source)) {
            *out = b->last;
            return 1;
        }
    }
    for (uint32_t i = b->ngroups; i-- > 0;) {
        tgroup *g = &b->groups[i];
        if (g->job == job && !strcmp(g->currency, currency) &&
            (g->source ? source && !strcmp(b->text + g->source, source) : !source)) {
            *out = b->last = i;
            return 1;
        }
    }
    if (b->ngroups == b->capgroups) {
        uint32_t cap = b->capgroups ? b->capgroups * 2 : 8;
        tgroup *g = realloc(b->groups, cap * sizeof *g);
        if (!g)
            return 0;
        b->groups = g;
        b->capgroups = cap;
    }
    size_t sl = source ? strlen(source) : 0;
    if (!room(b, sl + 1))
        return 0;
    tgroup *g = &b->groups[b->ngroups];
    memcpy(g->currency, currency, 4);
    g->source = put(b, source, sl);
    g->job = job;
    *out = b->last = b->ngroups++;
    return 1;
}


/* A canonical time (YYYY-MM-DDThh:mm:ssZ) as the number YYYYMMDDhhmmss, which orders as the time does. */
static uint64_t time_number(const char *t)
{
    static const unsigned char at[14] = { 0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18 };
    uint64_t v = 0;
    for (int i = 0; i < 14; i++)
        v = v * 10 + (uint64_t)(t[at[i]] - '0');
    return v;
}

int wh_txn_encode(const wh_txn *t, rp_buf *out, wh_txn_row *row, rp_error *err)
{
    int rc;
    char pt[RP_TIME_UTC_LEN], vd[11];
    const char *posted, *vdate;
    /* [posted_at, amount_minor, channel, class, source_key, value_date, description, counterparty,
     * quantity, item], trailing nulls left out; posted_at first, where a flush reads it back (row + 2) */
    const char *s[] = { NULL, NULL, t->channel, t->class_, t->source_key, NULL, t->description, t->counterparty,
                        NULL, t->item };
    size_t len[10] = { 0 };
    for (int i = 2; i < 10; i++)
        len[i] = s[i] ? strlen(s[i]) : 0;
    if ((rc = wh__time_norm("transaction.posted_at", t->posted_at, pt, 1, &posted, err)) ||
        (rc = wh_date_normalise("transaction.value_date", t->value_date, vd, &vdate, err)) ||
        (rc = wh__text_okn("transaction.channel", s[2], len[2], 16, 1, err)) ||
        (rc = wh__one_of("transaction.channel", t->channel, wh_txn_channels, err)) ||
        (rc = wh__text_okn("transaction.class", s[3], len[3], 32, 1, err)) ||
        (rc = wh__text_okn("transaction.description", s[6], len[6], 400, 0, err)) ||
        (rc = wh__text_okn("transaction.counterparty", s[7], len[7], 200, 0, err)) ||
        (rc = wh__text_okn("transaction.item", s[9], len[9], 64, 0, err)) ||
        (rc = wh__text_okn("transaction.key", s[4], len[4], 200, 0, err)) ||
        (t->currency && (rc = wh__currency_ok("transaction.currency", t->currency, err))))
        return rc;
    s[0] = posted;
    len[0] = RP_TIME_UTC_LEN - 1;
    s[5] = vdate;
    len[5] = vdate ? strlen(vdate) : 0;
    memset(row->currency, 0, sizeof row->currency);
    if (t->currency)
        memcpy(row->currency, t->currency, 3);
    row->when = time_number(posted);
    row->has_key = s[4] != NULL;
    row->keylen = len[4];
    row->khash = row->has_key ? rp_hash64(s[4], len[4], 0) : 0;
    int last = s[9] ? 9 : t->has_quantity ? 8 : s[7] ? 7 : s[6] ? 6 : s[5] ? 5 : s[4] ? 4 : 3;
    size_t need = len[4] + 1 + 64;
    for (int i = 0; i <= last; i++)
        need += len[i] * 6 + 8;
    char *o0 = rp_buf_space(out, need), *o = o0;
    if (!o)
        return rp_err(err, RP_NOMEM, "transactions: more text than the buffer allows");
    row->key = out->len;
    if (row->has_key) {
        memcpy(o, s[4], len[4]);
        o[len[4]] = 0;
        o += len[4] + 1;
    }
    row->row = out->len + (size_t)(o - o0);
    *o++ = '[';
    o = json_str(o, s[0], len[0]);
    *o++ = ',';
    o += rp_fmt_i64(o, t->amount_minor);
    for (int i = 2; i <= last; i++) {
        *o++ = ',';
        if (i == 8 && t->has_quantity) {
            o += rp_fmt_i64(o, t->quantity);
        } else if (s[i]) {
            o = json_str(o, s[i], len[i]);
        } else {
            memcpy(o, "null", 4);
            o += 4;
        }
    }
    *o++ = ']';
    row->rowlen = out->len + (size_t)(o - o0) - row->row;
    rp_buf_wrote(out, (size_t)(o - o0));
    return RP_OK;
}

int wh_txn_batch_add_row(wh *w, wh_txn_batch *b, int64_t account_id, const char *account_currency,
                         const char *source, int64_t job_id, const char *text, const wh_txn_row *row, int64_t tag,
                         rp_error *err)
{
    int rc;
    char cur[4] = "";
    if (row->currency[0]) {
        memcpy(cur, row->currency, 4);
    } else if (account_currency && strlen(account_currency) == 3) {
        memcpy(cur, account_currency, 4);
    }
    if (!*cur || !account_currency) {
        /* the account must exist: its currency, when the caller does not know it, comes with it */
        rp_stmt *st;
        if ((rc = rp_store_prepare(w->store, "SELECT currency FROM account WHERE id = ?", &st, err)))
            return rc;
        rp_stmt_bind_int(st, 1, account_id);
        rc = rp_stmt_step(st, err);
        if (rc == RP_ROW && !*cur)
            snprintf(cur, sizeof cur, "%s", rp_stmt_text(st, 0) ? rp_stmt_text(st, 0) : "");
        rp_stmt_done(st);
        if (rc == RP_DONE)
            return rp_err(err, RP_NOTFOUND, "transaction.account: no account %lld", (long long)account_id);
        if (rc != RP_ROW)
            return rc;
        if (strlen(cur) != 3)
            return rp_err(err, RP_INVAL, "transaction.currency: account %lld has no currency",
                          (long long)account_id);
    }
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        trow *r = realloc(b->rows, cap * sizeof *r);
        if (!r)
            return rp_err(err, RP_NOMEM, NULL);
        b->rows = r;
        b->cap = cap;
    }
    trow *r = &b->rows[b->n];
    if (!group_of(b, cur, source, job_id, &r->group))
        return rp_err(err, RP_NOMEM, NULL);
    if (!room(b, row->rowlen + row->keylen + 2))
        return rp_err(err, RP_NOMEM, "transactions: the batch holds more text than it may (%zu bytes)", b->tlen);
    r->account = account_id;
    r->tag = tag;
    r->when = row->when;
    r->khash = row->khash;
    r->key = row->has_key ? put(b, text + row->key, row->keylen) : 0;
    r->keylen = (uint32_t)row->keylen;
    r->row = (uint32_t)b->tlen;
    r->rowlen = (uint32_t)row->rowlen;
    memcpy(b->text + b->tlen, text + row->row, row->rowlen);
    b->tlen += row->rowlen;
    b->n++;
    return RP_OK;
}

int wh_txn_batch_add(wh *w, wh_txn_batch *b, const wh_txn *t, int64_t tag, rp_error *err)
{
    wh_txn_row row;
    rp_buf_reset(&b->scratch);
    int rc = wh_txn_encode(t, &b->scratch, &row, err);
    if (rc)
        return rc;
    return wh_txn_batch_add_row(w, b, t->account_id, t->account_currency, t->source, t->job_id, b->scratch.data,
                                &row, tag, err);
}

/* ---- flushing ---- */

/* a run's keyed rows, by the hash of their key and then in the order given */
static int by_hash_then_tag(const void *x, const void *y, void *ctx)
{
    const wh_txn_batch *b = ctx;
    const trow *p = &b->rows[*(const uint32_t *)x], *q = &b->rows[*(const uint32_t *)y];
    if (p->khash != q->khash)
        return p->khash < q->khash ? -1 : 1;
    return p->tag < q->tag ? -1 : p->tag > q->tag;
}

/* Source keys compared as SQLite compares text (bytes, then length). */
static int kcmp(const char *a, size_t al, const char *b, size_t bl)
{
    int c = memcmp(a, b, al < bl ? al : bl);
    return c ? c : al < bl ? -1 : al > bl;
}

static int by_str(const void *x, const void *y) { return strcmp(*(char *const *)x, *(char *const *)y); }

/* The source keys stored for the account that may repeat keys in [lo, hi]:
 * those of the blocks whose key range overlaps, sorted, in *keys (an arena). */
typedef struct keyset {
    char **k;
    size_t *off;             /* into text, until the reading is done */
    size_t n, cap;
    rp_buf text;
} keyset;

static int stored_keys(wh *w, int64_t account, const char *source, const char *lo, const char *hi, keyset *ks,
                       rp_error *err)
{
    ks->n = 0;
    rp_buf_reset(&ks->text);
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT j.value ->> 4 FROM txn_block b, json_each(b.rows) j "
                              "WHERE b.account_id = ? AND b.max_key >= ? AND b.min_key <= ? AND b.source IS NOT DISTINCT FROM ? "
                              "AND j.value ->> 4 BETWEEN ? AND ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, account);
    rp_stmt_bind_text(st, 2, lo);
    rp_stmt_bind_text(st, 3, hi);
    rp_stmt_bind_text(st, 4, source);
    rp_stmt_bind_text(st, 5, lo);
    rp_stmt_bind_text(st, 6, hi);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        const char *k = rp_stmt_text(st, 0);
        if (!k)
            continue;
        if (ks->n == ks->cap) {
            size_t cap = ks->cap ? ks->cap * 2 : 256;
            char **nk = realloc(ks->k, cap * sizeof *nk);
            if (nk)
                ks->k = nk;
            size_t *no = realloc(ks->off, cap * sizeof *no);
            if (no)
                ks->off = no;
            if (!nk || !no) {
                rp_stmt_done(st);
                return rp_err(err, RP_NOMEM, NULL);
            }
            ks->cap = cap;
        }
        ks->off[ks->n++] = ks->text.len;
        rp_buf_append(&ks->text, k, strlen(k) + 1);
    }
    rp_stmt_done(st);
    if (rc == RP_DONE && rp_buf_status(&ks->text) != RP_OK)
        rc = rp_err(err, RP_NOMEM, NULL);
    if (rc != RP_DONE)
        return rc;
    for (size_t i = 0; i < ks->n; i++)
        ks->k[i] = ks->text.data + ks->off[i];
    if (ks->n > 1)
        qsort(ks->k, ks->n, sizeof *ks->k, by_str);
    return RP_OK;
}

/* The account's greatest stored source key, of any source (NO_KEYS: none),
 * remembered in b->kmax. */
static int stored_max(wh *w, wh_txn_batch *b, int64_t account, const char **out, rp_error *err)
{
    char *m = rp_map_get(b->kmax, &account, sizeof account);
    if (m) {
        *out = m;
        return RP_OK;
    }
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT max_key FROM txn_block WHERE account_id = ? AND max_key IS NOT NULL "
                              "ORDER BY max_key DESC LIMIT 1",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, account);
    rc = rp_stmt_step(st, err);
    if (rc == RP_ROW) {
        const char *k = rp_stmt_text(st, 0);
        m = k ? strdup(k) : NO_KEYS;
    } else if (rc == RP_DONE) {
        m = NO_KEYS;
    }
    rp_stmt_done(st);
    if (rc != RP_ROW && rc != RP_DONE)
        return rc;
    if (!m)
        return rp_err(err, RP_NOMEM, NULL);
    if (rp_map_len(b->kmax) >= KMAX_ACCOUNTS) {
        rp_map_free(b->kmax, free_kmax);
        if (!(b->kmax = rp_map_new())) {
            free_kmax(m);
            return rp_err(err, RP_NOMEM, NULL);
        }
    }
    if (rp_map_put(b->kmax, &account, sizeof account, m, NULL)) {
        free_kmax(m);
        return rp_err(err, RP_NOMEM, NULL);
    }
    *out = m;
    return RP_OK;
}

/* The account now has keys up to hi (given its stored maximum *was). */
static int raise_max(wh_txn_batch *b, int64_t account, const char *was, const char *hi, size_t hl, rp_error *err)
{
    if (was != NO_KEYS && kcmp(hi, hl, was, strlen(was)) <= 0)
        return RP_OK;
    char *m = strndup(hi, hl);
    void *old = NULL;
    if (!m || rp_map_put(b->kmax, &account, sizeof account, m, &old)) {
        free(m);
        return rp_err(err, RP_NOMEM, NULL);
    }
    if (old)
        free_kmax(old);
    return RP_OK;
}

static int next_id(wh *w, int64_t *id, rp_error *err)
{
    return rp_store_query_int(w->store, "SELECT coalesce((SELECT id + n FROM txn_block ORDER BY id DESC LIMIT 1), 1)",
                              id, err);
}

/* kmin, kmax: the rows' key range when the caller knows it (NULL: work it out) */
static int write_block(wh *w, const wh_txn_batch *b, const tgroup *g, const uint32_t *ix, size_t n, int64_t id,
                       const char *kmin, const char *kmax, rp_buf *json, rp_error *err)
{
    const trow *r0 = &b->rows[ix[0]], *first = r0, *last = r0, *lo = NULL, *hi = NULL;
    int known = kmin != NULL;
    rp_buf_reset(json);
    rp_buf_putc(json, '[');
    for (size_t i = 0; i < n; i++) {
        if (i + 4 < n) /* the rows are all over the batch's text: fetch ahead */
            __builtin_prefetch(b->text + b->rows[ix[i + 4]].row);
        const trow *r = &b->rows[ix[i]];
        if (r->when < first->when)
            first = r;
        if (r->when > last->when)
            last = r;
        if (r->key && !known) {
            if (!lo || kcmp(b->text + r->key, r->keylen, b->text + lo->key, lo->keylen) < 0)
                lo = r;
            if (!hi || kcmp(b->text + r->key, r->keylen, b->text + hi->key, hi->keylen) > 0)
                hi = r;
        }
        if (i)
            rp_buf_putc(json, ',');
        rp_buf_append(json, b->text + r->row, r->rowlen);
    }
    rp_buf_putc(json, ']');
    if (rp_buf_status(json) != RP_OK)
        return rp_err(err, RP_NOMEM, NULL);
    if (!known && lo) {
        kmin = b->text + lo->key;
        kmax = b->text + hi->key;
    }
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "INSERT INTO txn_block(id, n, account_id, currency, source, job_id, first_at, last_at, "
                              "min_key, max_key, rows) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, id);
    rp_stmt_bind_int(st, 2, (int64_t)n);
    rp_stmt_bind_int(st, 3, r0->account);
    rp_stmt_bind_text(st, 4, g->currency);
    rp_stmt_bind_text(st, 5, g->source ? b->text + g->source : NULL);
    if (g->job)
        rp_stmt_bind_int(st, 6, g->job);
    else
        rp_stmt_bind_null(st, 6);
    rp_stmt_bind_textn(st, 7, b->text + first->row + 2, RP_TIME_UTC_LEN - 1);
    rp_stmt_bind_textn(st, 8, b->text + last->row + 2, RP_TIME_UTC_LEN - 1);
    rp_stmt_bind_text(st, 9, kmin);
    rp_stmt_bind_text(st, 10, kmax);
    rp_stmt_bind_textn(st, 11, json->data, json->len);
    rc = rp_stmt_run(st, err);
    if (rc == RP_CONSTRAINT)
        return rp_err(err, RP_CONSTRAINT, "transaction.account: no account %lld", (long long)r0->account);
    return rc;
}

static int repeated(wh_txn_batch *b, const trow *r, wh_txn_dup_fn dup, void *ctx, rp_error *err)
{
    const tgroup *g = &b->groups[r->group];
    char msg[512];
    snprintf(msg, sizeof msg, "transaction: %s record '%s' was already loaded", g->source ? b->text + g->source : "",
             b->text + r->key);
    return dup ? dup(ctx, r->tag, msg, err) : RP_OK;
}

typedef struct sorted {
    uint64_t key;            /* account << 16 | group: runs of one block's kind */
    uint32_t ix;
} sorted;

static int work_room(wh_txn_batch *b, size_t n)
{
    if (n <= b->capwork)
        return 1;
    sorted *o = realloc(b->o, n * sizeof *o);
    if (o)
        b->o = o;
    uint32_t *ix = realloc(b->ix, n * sizeof *ix);
    if (ix)
        b->ix = ix;
    uint32_t *k = realloc(b->keyed, n * sizeof *k);
    if (k)
        b->keyed = k;
    unsigned char *r = realloc(b->rep, n);
    if (r)
        b->rep = r;
    if (!o || !ix || !k || !r)
        return 0;
    b->capwork = n;
    return 1;
}

/* Forget the stored maxima if another connection has committed since the last flush. */
static int check_version(wh *w, wh_txn_batch *b, rp_error *err)
{
    int64_t v = 0;
    int rc = rp_store_data_version(w->store, &v, err);
    if (rc)
        return rc;
    if (b->known_version && v != b->data_version) {
        rp_map_free(b->kmax, free_kmax);
        if (!(b->kmax = rp_map_new()))
            return rp_err(err, RP_NOMEM, NULL);
    }
    b->data_version = v;
    b->known_version = 1;
    return RP_OK;
}

/* The batch's rows by account and kind (ix), stably: within a run the rows stay in the order given. */
static int sort_runs(wh_txn_batch *b, size_t n, rp_error *err)
{
    sorted *o = b->o;
    int radix = b->ngroups <= 0xffff;
    for (size_t i = 0; i < n; i++) {
        const trow *r = &b->rows[i];
        radix &= r->account >= 0 && r->account < ((int64_t)1 << 47);
        o[i].key = (uint64_t)r->account << 16 | r->group;
        o[i].ix = (uint32_t)i;
    }
    if (!radix)
        return rp_err(err, RP_TOOBIG, "transactions: an account id or a number of sources past what a batch sorts");
    if (rp_sort_by_u64(o, n, sizeof *o, offsetof(sorted, key)))
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < n; i++)
        b->ix[i] = o[i].ix;
    return RP_OK;
}

/* One run (ix[i .. j), one account and kind): its keyed rows in keyed[0 .. *nk), the ones that repeat
 * another of the run marked in rep (the first given kept), the least and greatest key in *lo, *hi. */
static void run_repeats(wh_txn_batch *b, size_t i, size_t j, size_t n, size_t *nk_, const trow **lo_,
                        const trow **hi_)
{
    const uint32_t *ix = b->ix;
    uint32_t *keyed = b->keyed;
    unsigned char *rep = b->rep;
    size_t nk = 0;
    const trow *lo = NULL, *hi = NULL;
    int rising = 1; /* each key above the one before: none repeats another */
    for (size_t k = i; k < j; k++) {
        if (k + 8 < n) { /* rows in account order are all over the batch: fetch ahead */
            __builtin_prefetch(&b->rows[ix[k + 8]]);
            if (k + 4 < n)
                __builtin_prefetch(b->text + b->rows[ix[k + 4]].key);
        }
        const trow *r = &b->rows[ix[k]];
        if (!r->key)
            continue;
        const char *key = b->text + r->key;
        if (!hi) {
            lo = hi = r;
        } else if (kcmp(key, r->keylen, b->text + hi->key, hi->keylen) > 0) {
            hi = r;
        } else {
            rising = 0;
            if (kcmp(key, r->keylen, b->text + lo->key, lo->keylen) < 0)
                lo = r;
        }
        keyed[nk++] = ix[k];
    }
    if (nk > 1 && !rising) { /* repeats within the batch: neighbours by the key's hash, the first given kept */
        qsort_r(keyed, nk, sizeof *keyed, by_hash_then_tag, b);
        for (size_t k = 1; k < nk; k++) {
            const trow *r = &b->rows[keyed[k]];
            for (size_t q = k; q-- > 0 && b->rows[keyed[q]].khash == r->khash;)
                if (!rep[keyed[q]] && !strcmp(b->text + r->key, b->text + b->rows[keyed[q]].key)) {
                    rep[keyed[k]] = 1;
                    break;
                }
        }
    }
    *nk_ = nk;
    *lo_ = lo;
    *hi_ = hi;
}

/* The repeats of the run ix[i .. j) go back to the caller, in the order given; the rest stay, in place,
 * ix[i .. *m). */
static int run_deliver(wh_txn_batch *b, size_t i, size_t j, size_t *m_, wh_txn_dup_fn dup, void *ctx,
                       rp_error *err)
{
    size_t m = i;
    for (size_t k = i; k < j; k++) {
        if (b->rep[b->ix[k]]) {
            int rc = repeated(b, &b->rows[b->ix[k]], dup, ctx, err);
            if (rc)
                return rc;
            continue;
        }
        b->ix[m++] = b->ix[k];
    }
    *m_ = m;
    return RP_OK;
}

/* SQLite: each run's stored repeats from the blocks whose key range overlaps it, then a block a run
 * (or several, of at most WH_TXN_BLOCK_ROWS each). */
static int flush_blocks(wh *w, wh_txn_batch *b, size_t n, wh_txn_dup_fn dup, void *ctx, int64_t id, size_t *kept_,
                        rp_error *err)
{
    int rc = RP_OK;
    size_t kept = 0;
    keyset ks = { 0 };
    rp_buf json = RP_BUF_INIT;
    rp_buf_init(&ks.text, (size_t)1 << 31);
    rp_buf_init(&json, (size_t)1 << 30);
    const sorted *o = b->o;
    uint32_t *ix = b->ix;
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && o[j].key == o[i].key;)
            j++;
        const trow *r0 = &b->rows[ix[i]], *lo, *hi;
        const tgroup *g = &b->groups[r0->group];
        size_t nk, m;
        run_repeats(b, i, j, n, &nk, &lo, &hi);
        const char *klo = lo ? b->text + lo->key : NULL, *khi = hi ? b->text + hi->key : NULL, *was = NULL;
        if (nk) { /* repeats of what is stored: none when every key is above the account's greatest */
            if ((rc = stored_max(w, b, r0->account, &was, err)))
                goto out;
            if (was != NO_KEYS && kcmp(klo, lo->keylen, was, strlen(was)) <= 0) {
                if ((rc = stored_keys(w, r0->account, g->source ? b->text + g->source : NULL, klo, khi, &ks, err)))
                    goto out;
                for (size_t k = 0; k < nk && ks.n; k++) {
                    const char *key = b->text + b->rows[b->keyed[k]].key;
                    if (bsearch(&key, ks.k, ks.n, sizeof *ks.k, by_str))
                        b->rep[b->keyed[k]] = 1;
                }
            }
        }
        if ((rc = run_deliver(b, i, j, &m, dup, ctx, err)))
            goto out;
        /* one block for the run, with the run's key range (wider at worst, when a repeat held an end of
         * it: a later check then reads a block more), or several, each working out its own */
        int one = m - i <= WH_TXN_BLOCK_ROWS;
        for (size_t k = i; k < m; k += WH_TXN_BLOCK_ROWS) {
            size_t c = m - k < WH_TXN_BLOCK_ROWS ? m - k : WH_TXN_BLOCK_ROWS;
            if ((rc = write_block(w, b, g, ix + k, c, id, one ? klo : NULL, one ? khi : NULL, &json, err)))
                goto out;
            id += (int64_t)c;
            kept += c;
        }
        if (m > i && hi && (rc = raise_max(b, r0->account, was, khi, hi->keylen, err)))
            goto out;
    }
out:
    *kept_ = kept;
    free(ks.k);
    free(ks.off);
    rp_buf_release(&ks.text);
    rp_buf_release(&json);
    return rc;
}

/* ---- PostgreSQL: rows of a table partitioned by month (its migration 0033) ---- */

int wh__txn_rows(wh *w) { return !strcmp(rp_store_backend(w->store), "postgresql"); }

int wh__txn_top(wh *w, int64_t *top, rp_error *err)
{
    *top = 0;
    if (wh__txn_rows(w)) {
        char v[32];
        int found, rc = rp_store_meta_get(w->store, "txn_top", v, sizeof v, &found, err);
        if (rc || found) {
            *top = rc ? 0 : strtoll(v, NULL, 10);
            return rc;
        }
    }
    return rp_store_query_int(w->store,
                              wh__txn_rows(w) ? "SELECT coalesce(max(id), 0) FROM txn"
                                              : "SELECT coalesce((SELECT id + n - 1 FROM txn_block ORDER BY id DESC LIMIT 1), 0)",
                              top, err);
}

int wh__txn_holder(wh *w, int64_t account, int64_t party, rp_error *err)
{
    if (!wh__txn_rows(w))
        return RP_OK;
    rp_stmt *st;
    int rc = rp_store_prepare(w->store, "UPDATE txn SET holder_party = ? WHERE account_id = ? AND holder_party IS NULL",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, party);
    rp_stmt_bind_int(st, 2, account);
    return rp_stmt_run(st, err);
}

/* Text as a COPY field: a backslash before a backslash, tab, newline or return. */
static void copy_text(rp_buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
            rp_buf_putc(out, '\\');
            c = c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : c;
        }
        rp_buf_putc(out, c);
    }
}

static int hex4(const char *p, unsigned *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return 0;
        *v = *v << 4 | (unsigned)d;
    }
    return 1;
}

/* The JSON string at *pp (past its opening quote) as a COPY field; *pp past its closing quote.  0 for
 * what wh_txn_encode does not write (a NUL, a lone surrogate, a damaged escape). */
static int copy_json_string(rp_buf *out, const char **pp, const char *end)
{
    const char *p = *pp;
    while (p < end && *p != '"') {
        const char *q = p;
        while (q < end && *q != '"' && *q != '\\')
            q++;
        copy_text(out, p, (size_t)(q - p));
        if (q >= end || *q == '"') {
            p = q;
            break;
        }
        if (q + 1 >= end)
            return 0;
        char e = q[1], u8[4];
        p = q + 2;
        unsigned cp;
        switch (e) {
        case '"': case '\\': case '/': copy_text(out, &e, 1); continue;
        case 'n': copy_text(out, "\n", 1); continue;
        case 'r': copy_text(out, "\r", 1); continue;
        case 't': copy_text(out, "\t", 1); continue;
        case 'b': copy_text(out, "\b", 1); continue;
        case 'f': copy_text(out, "\f", 1); continue;
        case 'u': break;
        default: return 0;
        }
        if (end - p < 4 || !hex4(p, &cp) || !cp)
            return 0;
        p += 4;
        if (cp >= 0xD800 && cp < 0xDC00) {
            unsigned lo;
            if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                return 0;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            p += 6;
        } else if (cp >= 0xDC00 && cp < 0xE000) {
            return 0;
        }
        size_t k = rp_utf8_encode(cp, u8);
        copy_text(out, u8, k);
    }
    if (p >= end)
        return 0;
    *pp = p + 1;
    return 1;
}

/* A row as wh_txn_encode wrote it ([posted_at, amount_minor, channel, class, source_key, value_date,
 * description, counterparty, quantity, item], trailing nulls left out) as ROW_FIELDS COPY fields, each
 * after a tab.  0 for anything else. */
#define ROW_FIELDS 10
static int copy_row(rp_buf *out, const char *p, size_t len)
{
    const char *end = p + len;
    if (!len || *p++ != '[')
        return 0;
    int i = 0;
    for (; p < end && *p != ']'; i++) {
        if (i == ROW_FIELDS || (i && *p++ != ','))
            return 0;
        rp_buf_putc(out, '\t');
        if (*p == '"') {
            p++;
            if (!copy_json_string(out, &p, end))
                return 0;
        } else if (end - p >= 4 && !memcmp(p, "null", 4)) {
            rp_buf_append(out, "\\N", 2);
            p += 4;
        } else {
            const char *q = p + (*p == '-');
            while (q < end && *q >= '0' && *q <= '9')
                q++;
            if (q == p || q - p > 20)
                return 0;
            rp_buf_append(out, p, (size_t)(q - p));
            p = q;
        }
    }
    if (p >= end || p + 1 != end)
        return 0;
    for (; i < ROW_FIELDS; i++)
        rp_buf_append(out, "\t\\N", 3);
    return 1;
}

/* A run of the batch, for the PostgreSQL flush: its place in ix, its keyed rows' least key. */
typedef struct prun {
    size_t i, j;
    const trow *lo;
    int probe;               /* its keys reach below the account's greatest stored one */
    int64_t holder;          /* the account's primary holder (0034); 0: none yet */
} prun;

/* The batch's accounts, read at once: each one's primary holder, and which runs need their keys looked
 * up (those whose least key is not above the account's greatest stored key, txn_account_key). */
static int mark_probes(wh *w, wh_txn_batch *b, prun *runs, size_t nr, rp_buf *q, rp_error *err)
{
    rp_buf_reset(q);
    for (size_t r = 0; r < nr; r++)
        rp_buf_printf(q, "%s%lld", q->len ? "," : "", (long long)b->rows[b->ix[runs[r].i]].account);
    if (!q->len)
        return RP_OK;
    if (rp_buf_putc(q, 0), rp_buf_status(q) != RP_OK)
        return rp_err(err, RP_NOMEM, NULL);
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT a.id, k.max_key, a.holder_party FROM account a "
                              "LEFT JOIN txn_account_key k ON k.account_id = a.id "
                              "WHERE a.id = ANY (string_to_array(?1, ',')::bigint[]) ORDER BY a.id",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, q->data);
    size_t r = 0; /* runs and rows both by account */
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        int64_t a = rp_stmt_int(st, 0);
        const char *max = rp_stmt_text(st, 1);
        for (; r < nr && b->rows[b->ix[runs[r].i]].account <= a; r++) {
            if (b->rows[b->ix[runs[r].i]].account != a)
                continue;
            runs[r].holder = rp_stmt_int(st, 2);
            if (runs[r].lo && max)
                runs[r].probe = kcmp(b->text + runs[r].lo->key, runs[r].lo->keylen, max, strlen(max)) <= 0;
        }
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

/* The keyed rows of the runs to look up, against what is stored: one statement for the batch. */
static int probe_stored(wh *w, wh_txn_batch *b, const prun *runs, size_t nr, rp_buf *q, rp_error *err)
{
    rp_buf_reset(q);
    rp_buf_putc(q, '[');
    for (size_t r = 0; r < nr; r++) {
        if (!runs[r].probe)
            continue;
        for (size_t k = runs[r].i; k < runs[r].j; k++) {
            const trow *t = &b->rows[b->ix[k]];
            if (!t->key || b->rep[b->ix[k]])
                continue;
            const tgroup *g = &b->groups[t->group];
            const char *src = g->source ? b->text + g->source : NULL;
            size_t sl = src ? strlen(src) : 0;
            char *o = rp_buf_space(q, 64 + 6 * (sl + t->keylen));
            if (!o)
                return rp_err(err, RP_NOMEM, NULL);
            char *o0 = o;
            o += sprintf(o, "%s[%u,%lld,", q->len > 1 ? "," : "", b->ix[k], (long long)t->account);
            o = src ? json_str(o, src, sl) : memcpy(o, "null", 4) + 4;
            *o++ = ',';
            o = json_str(o, b->text + t->key, t->keylen);
            *o++ = ']';
            rp_buf_wrote(q, (size_t)(o - o0));
        }
    }
    if (q->len == 1)
        return RP_OK;
    rp_buf_append(q, "]", 2);
    if (rp_buf_status(q) != RP_OK)
        return rp_err(err, RP_NOMEM, NULL);
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT (j.value ->> 0)::bigint FROM json_array_elements(?1::json) j WHERE EXISTS ("
                              "SELECT 1 FROM txn t WHERE t.account_id = (j.value ->> 1)::bigint "
                              "AND t.source_key = j.value ->> 3 AND t.source IS NOT DISTINCT FROM j.value ->> 2)",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, q->data);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        int64_t x = rp_stmt_int(st, 0);
        if (x >= 0 && (size_t)x < b->n)
            b->rep[x] = 1;
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

/* The months (YYYY-MM) of the kept rows ix[i .. m), added to q's comma-separated list once each. */
static void note_months(const wh_txn_batch *b, size_t i, size_t m, rp_buf *q)
{
    char last[8] = "";
    for (size_t k = i; k < m; k++) {
        const char *month = b->text + b->rows[b->ix[k]].row + 2; /* past [" */
        if (!memcmp(month, last, 7))
            continue;
        memcpy(last, month, 7);
        int seen = 0;
        for (size_t at = 0; !seen && at + 7 <= q->len; at += 8)
            seen = !memcmp(q->data + at, month, 7);
        if (!seen) {
            if (q->len)
                rp_buf_putc(q, ',');
            rp_buf_append(q, month, 7);
        }
    }
}

/* The kept rows ix[i .. m) of one run (of an account whose primary holder is holder, 0 none) as COPY
 * lines, with ids from *id on. */
static int copy_lines(const wh_txn_batch *b, size_t i, size_t m, int64_t holder, int64_t *id, rp_buf *out,
                      rp_error *err)
{
    for (size_t k = i; k < m; k++) {
        const trow *r = &b->rows[b->ix[k]];
        const tgroup *g = &b->groups[r->group];
        char num[21];
        rp_buf_append(out, num, rp_fmt_i64(num, (*id)++));
        rp_buf_putc(out, '\t');
        rp_buf_append(out, num, rp_fmt_i64(num, r->account));
        rp_buf_putc(out, '\t');
        copy_text(out, g->currency, strlen(g->currency));
        rp_buf_putc(out, '\t');
        if (g->source)
            copy_text(out, b->text + g->source, strlen(b->text + g->source));
        else
            rp_buf_append(out, "\\N", 2);
        rp_buf_putc(out, '\t');
        if (g->job)
            rp_buf_append(out, num, rp_fmt_i64(num, g->job));
        else
            rp_buf_append(out, "\\N", 2);
        rp_buf_putc(out, '\t');
        if (holder)
            rp_buf_append(out, num, rp_fmt_i64(num, holder));
        else
            rp_buf_append(out, "\\N", 2);
        if (!copy_row(out, b->text + r->row, r->rowlen))
            return rp_err(err, RP_ENCODING, "transaction: a row the store cannot take: %.*s", (int)(r->rowlen < 200 ? r->rowlen : 200),
                          b->text + r->row);
        rp_buf_putc(out, '\n');
    }
    return rp_buf_status(out) == RP_OK ? RP_OK : rp_err(err, RP_NOMEM, "transactions: more than a COPY holds");
}

#define TXN_COPY "txn(id, account_id, currency, source, job_id, holder_party, posted_at, amount_minor, channel, class, " \
                 "source_key, value_date, description, counterparty, quantity, item)"

/* PostgreSQL: the batch's stored repeats looked up in one statement (only for the accounts whose keys
 * reach below their greatest stored one), the rest written by one COPY, under ids reserved in a run. */
static int flush_rows(wh *w, wh_txn_batch *b, size_t n, wh_txn_dup_fn dup, void *ctx, int64_t *first,
                      size_t *kept_, rp_error *err)
{
    int rc = RP_OK;
    size_t nr = 0, kept = 0;
    prun *runs = malloc(n * sizeof *runs);
    rp_buf q = RP_BUF_INIT, months = RP_BUF_INIT, lines = RP_BUF_INIT;
    rp_buf_init(&q, (size_t)1 << 31);
    rp_buf_init(&months, (size_t)1 << 20);
    rp_buf_init(&lines, (size_t)1 << 31);
    if (!runs) {
        rc = rp_err(err, RP_NOMEM, NULL);
        goto out;
    }
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && b->o[j].key == b->o[i].key;)
            j++;
        const trow *hi;
        size_t nk;
        runs[nr] = (prun){ i, j, NULL, 0, 0 };
        run_repeats(b, i, j, n, &nk, &runs[nr].lo, &hi);
        nr++;
    }
    if ((rc = mark_probes(w, b, runs, nr, &q, err)) || (rc = probe_stored(w, b, runs, nr, &q, err)))
        goto out;
    for (size_t r = 0; r < nr; r++) {
        size_t m;
        if ((rc = run_deliver(b, runs[r].i, runs[r].j, &m, dup, ctx, err)))
            goto out;
        runs[r].j = m;
        kept += m - runs[r].i;
        note_months(b, runs[r].i, m, &months);
    }
    if (!kept)
        goto out;
    if (rp_buf_putc(&months, 0), rp_buf_status(&months) != RP_OK) {
        rc = rp_err(err, RP_TOOBIG, "transactions: too many months in one batch");
        goto out;
    }
    rp_stmt *st;
    if ((rc = rp_store_prepare(w->store, "SELECT txn_reserve(?1, ?2)", &st, err)))
        goto out;
    rp_stmt_bind_int(st, 1, (int64_t)kept);
    rp_stmt_bind_text(st, 2, months.data);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        *first = rp_stmt_int(st, 0), rc = RP_OK;
    rp_stmt_done(st);
    int64_t id = *first;
    for (size_t r = 0; r < nr && !rc; r++)
        rc = copy_lines(b, runs[r].i, runs[r].j, runs[r].holder, &id, &lines, err);
    if (!rc && (rc = rp_store_copy(w->store, TXN_COPY, lines.data, lines.len, err)) == RP_CONSTRAINT)
        rc = rp_err(err, RP_CONSTRAINT, "transaction.account: an account that is not in the store");
out:
    *kept_ = rc ? 0 : kept;
    free(runs);
    rp_buf_release(&q);
    rp_buf_release(&months);
    rp_buf_release(&lines);
    return rc;
}

int wh_txn_batch_flush(wh *w, wh_txn_batch *b, wh_txn_dup_fn dup, void *ctx, int64_t *written, int64_t *first_id,
                       rp_error *err)
{
    if (written)
        *written = 0;
    if (first_id)
        *first_id = 0;
    if (!b->n)
        return RP_OK;
    w->fresh.account = 0; /* an account made in the transaction may have transactions now (fresh.c) */
    int rc;
    int64_t id = 0;
    size_t n = b->n, kept = 0;
    if (n > UINT32_MAX || !work_room(b, n)) {
        rc = rp_err(err, RP_NOMEM, "transactions: %zu in one batch", n);
        goto out;
    }
    memset(b->rep, 0, n);
    if ((rc = sort_runs(b, n, err)))
        goto out;
    if (wh__txn_rows(w)) {
        rc = flush_rows(w, b, n, dup, ctx, &id, &kept, err);
    } else {
        if ((rc = check_version(w, b, err)) || (rc = next_id(w, &id, err)))
            goto out;
        rc = flush_blocks(w, b, n, dup, ctx, id, &kept, err);
    }
    if (!rc && first_id)
        *first_id = kept ? id : 0;
    if (!rc && written)
        *written = (int64_t)kept;
out:
    wh_txn_batch_clear(b);
    return rc;
}

/* ---- one at a time ---- */

typedef struct one_dup {
    int seen;
    char msg[512];
} one_dup;

static int note_dup(void *ctx, int64_t tag, const char *message, rp_error *err)
{
    (void)tag;
    (void)err;
    one_dup *d = ctx;
    d->seen = 1;
    snprintf(d->msg, sizeof d->msg, "%s", message);
    return RP_OK;
}

int wh_txn_add(wh *w, const wh_txn *t, int64_t *id, rp_error *err)
{
    wh_txn_batch *b = NULL;
    int rc = wh_txn_batch_new(&b, err);
    if (rc)
        return rc;
    one_dup d = { 0, "" };
    int64_t n = 0, first = 0;
    if (!(rc = wh_txn_batch_add(w, b, t, 0, err)))
        rc = wh_txn_batch_flush(w, b, note_dup, &d, &n, &first, err);
    wh_txn_batch_free(b);
    if (rc)
        return rc;
    if (d.seen)
        return rp_err(err, RP_EXISTS, "%s", d.msg);
    if (id)
        *id = first;
    return RP_OK;
}
