/* pipe.c — reading and decoding on a second thread, and the queue of
 * blocks between it and the writing one.  See load_internal.h. */
#include "etl/load_internal.h"
#include "core/utf8.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ld_block *pipe_take_free(ld_pipe *p)
{
    pthread_mutex_lock(&p->mu);
    while (!p->nfree && !p->abort) {
        p->waiting++;
        pthread_cond_wait(&p->cv, &p->mu);
        p->waiting--;
    }
    ld_block *b = p->abort ? NULL : &p->blocks[p->free_[--p->nfree]];
    pthread_mutex_unlock(&p->mu);
    return b;
}

static void pipe_push_full(ld_pipe *p, ld_block *b)
{
    pthread_mutex_lock(&p->mu);
    p->full[(p->head + p->nfull) % p->nblocks] = (int)(b - p->blocks);
    p->nfull++;
    if (p->waiting)
        pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

ld_block *ld__pipe_take_full(ld_pipe *p)
{
    pthread_mutex_lock(&p->mu);
    while (!p->nfull) {
        p->waiting++;
        pthread_cond_wait(&p->cv, &p->mu);
        p->waiting--;
    }
    ld_block *b = &p->blocks[p->full[p->head]];
    p->head = (p->head + 1) % p->nblocks;
    p->nfull--;
    pthread_mutex_unlock(&p->mu);
    return b;
}

void ld__pipe_give_back(ld_pipe *p, ld_block *b)
{
    pthread_mutex_lock(&p->mu);
    p->free_[p->nfree++] = (int)(b - p->blocks);
    if (p->waiting)
        pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

static void pipe_abort(ld_pipe *p)
{
    pthread_mutex_lock(&p->mu);
    p->abort = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

/* A reader's complaint about a record it could not read as one. */
void ld__reader_reject(const rp_error *e, sp_reject *rj)
{
    const char *m = rp_errmsg(e), *p = strstr(m, "): ");
    memset(rj, 0, sizeof *rj);
    snprintf(rj->message, sizeof rj->message, "%s", p ? p + 3 : m);
    const char *rule = e->code == RP_ENCODING ? "encoding"
                     : strstr(rj->message, "truncated") || strstr(rj->message, "longer than") ||
                               strstr(rj->message, "RDW")
                         ? "length"
                         : "parse";
    snprintf(rj->rule, sizeof rj->rule, "%s", rule);
}

static size_t keep(ld_block *b, const void *data, size_t n)
{
    size_t at = b->text.len;
    rp_buf_append(&b->text, data ? data : "", n);
    rp_buf_putc(&b->text, 0);
    return at;
}

/* A transaction target's attributes, by index: looked up once, not by name for every record */
enum { TX_POSTED, TX_VDATE, TX_AMOUNT, TX_CURRENCY, TX_CHANNEL, TX_CLASS, TX_DESC, TX_CP, TX_KEY, TX_QTY, TX_ITEM,
       TX__N };
static int tx_ix[TX__N];
static pthread_once_t tx_once = PTHREAD_ONCE_INIT;
static void tx_init(void)
{
    static const char *const names[TX__N] = { "posted_at", "value_date", "amount", "currency", "channel", "class",
                                              "description", "counterparty", "key", "quantity", "item" };
    for (int i = 0; i < TX__N; i++)
        tx_ix[i] = sp_attr_index(TG_TXN, names[i]);
}

/* A record's transactions, checked and written for the writing thread. */
static void encode_txns(const sp_spec *s, const sp_value *v, ld_enc *en, rp_buf *text)
{
    pthread_once(&tx_once, tx_init);
    for (int ti = 0; ti < s->ntargets; ti++) {
        const sp_target *t = &s->targets[ti];
        if (t->kind != TG_TXN)
            continue;
        ld_enc *x = en++;
        x->rc = RP_OK;
        if (t->when_field >= 0 && v[t->when_field].null)
            continue;
        wh_txn w; /* every member set: a zeroing initialiser was a fifth of this thread's own time */
        w.account_id = w.job_id = 0;
        w.account_currency = NULL;
        w.posted_at = ld__val_at(t, tx_ix[TX_POSTED], v);
        w.value_date = ld__val_at(t, tx_ix[TX_VDATE], v);
        ld__num_at(t, tx_ix[TX_AMOUNT], v, &w.amount_minor);
        w.currency = ld__val_at(t, tx_ix[TX_CURRENCY], v);
        w.channel = ld__val_at(t, tx_ix[TX_CHANNEL], v);
        w.class_ = ld__val_at(t, tx_ix[TX_CLASS], v);
        w.description = ld__val_at(t, tx_ix[TX_DESC], v);
        w.counterparty = ld__val_at(t, tx_ix[TX_CP], v);
        w.source = t->source;
        w.source_key = ld__val_at(t, tx_ix[TX_KEY], v);
        w.has_quantity = ld__num_at(t, tx_ix[TX_QTY], v, &w.quantity);
        w.item = ld__val_at(t, tx_ix[TX_ITEM], v);
        rp_error e;
        rp_err_clear(&e);
        size_t mark = text->len;
        if ((x->rc = wh_txn_encode(&w, text, &x->row, &e))) {
            text->len = mark; /* what it had written of the row is not wanted */
            x->msg = text->len;
            rp_buf_append(text, rp_errmsg(&e), strlen(rp_errmsg(&e)) + 1);
        }
    }
}

/* A decoded record's values, key, transactions and fixes kept in the
 * block; 0, or -1 when memory ran out (the block says so). */
static int keep_decoded(ld_pipe *p, ld_block *b, ld_rec *it, const sp_value *vals)
{
    const sp_spec *s = p->s;
    sp_value *dst = b->vals + (size_t)b->n * (size_t)s->nfields;
    uint32_t *off = b->voff + (size_t)b->n * (size_t)s->nfields;
    for (int i = 0; i < s->nfields; i++) {
        dst[i] = vals[i];
        off[i] = vals[i].null || !vals[i].text || p->unread[i] ? UINT32_MAX
                                                                : (uint32_t)keep(b, vals[i].text, strlen(vals[i].text));
    }
    if (s->dedup_seen) {
        const char *k = sp_record_key(p->dec, vals);
        it->key = keep(b, k, strlen(k));
    }
    it->enc0 = b->n * p->ntxn;
    if (p->ntxn)
        encode_txns(s, vals, &b->enc[it->enc0], &b->text);
    int nf = sp_fixed_count(p->dec);
    if (b->nfixes + nf > b->capfixes) {
        int cap = (b->nfixes + nf) * 2 + 64;
        const char **r1 = realloc(b->fix_rule, (size_t)cap * sizeof *r1);
        if (r1)
            b->fix_rule = r1;
        const char **f1 = realloc(b->fix_field, (size_t)cap * sizeof *f1);
        if (f1)
            b->fix_field = f1;
        if (!r1 || !f1) {
            rp_err(&b->err, RP_NOMEM, NULL);
            b->failed = b->last = 1;
            return -1;
        }
        b->capfixes = cap;
    }
    for (int i = 0; i < nf; i++)
        sp_fixed_get(p->dec, i, &b->fix_rule[b->nfixes + i], &b->fix_field[b->nfixes + i]);
    it->nfix = nf;
    b->nfixes += nf;
    return 0;
}

/* The block's text could not take more (sticky, core/buf.h): the block fails, saying why. */
static int text_failed(ld_block *b)
{
    int st = rp_buf_status(&b->text);
    if (st == RP_OK)
        return 0;
    if (!b->failed)
        rp_err(&b->err, st, "%s", st == RP_TOOBIG ? "a block of records is larger than the buffer allows"
                                                  : rp_strerror(RP_NOMEM));
    b->failed = b->last = 1;
    return 1;
}

/* The next record of the file into the block, decoded or rejected: 1, or
 * 0 at the end of the file or on a failure (the block says which). */
static int take_record(ld_pipe *p, ld_block *b, sp_value *vals)
{
    rd_record rec;
    rp_error re;
    rp_err_clear(&re);
    int got = rd_next(p->rd, &rec, &re);
    if (got == RD_END) {
        b->last = 1;
        return 0;
    }
    if (got != RD_RECORD && got != RD_BAD) {
        rp_err(&b->err, got, "%s", rp_errmsg(&re));
        b->failed = b->last = 1;
        return 0;
    }
    ld_rec *it = &b->item[b->n];
    if (b->nrj == b->caprj) { /* room for this record's reject, should it be one */
        int cap = b->caprj ? b->caprj * 2 : 16;
        sp_reject *nr = realloc(b->rjs, (size_t)cap * sizeof *nr);
        if (!nr) {
            rp_err(&b->err, RP_NOMEM, NULL);
            b->failed = b->last = 1;
            return 0;
        }
        b->rjs = nr;
        b->caprj = cap;
    }
    sp_reject *rjp = &b->rjs[b->nrj];
    it->number = rec.number;
    it->offset = rec.offset;
    it->after = rd_bytes_read(p->rd);
    it->rejected = 0;
    it->nfix = 0;
    it->fix0 = b->nfixes;
    it->key = 0;
    if (got == RD_BAD) {
        ld__reader_reject(&re, rjp);
        size_t vl = rec.data ? (rec.len < 64 ? rec.len : 64) : 0;
        while (vl && (rec.data[vl - 1] == '\n' || rec.data[vl - 1] == '\r'))
            vl--;
        rp_utf8_printable(rec.data ? rec.data : "", vl, rjp->value, sizeof rjp->value);
        it->rejected = 1;
        it->rj = b->nrj++;
    } else {
        if (!p->dec) {
            p->nheader = rd_header(p->rd, &p->header);
            if (sp_decoder_open(p->s, p->file, p->header, p->nheader, &p->dec, &b->err)) {
                b->failed = b->last = 1;
                return 0;
            }
        }
        int rc = sp_decode(p->dec, &rec, vals, rjp, &b->err);
        if (rc != RP_OK && rc != SP_REJECT) {
            b->failed = b->last = 1;
            return 0;
        }
        it->rejected = rc == SP_REJECT;
        if (it->rejected)
            it->rj = b->nrj++;
        else if (keep_decoded(p, b, it, vals))
            return 0;
    }
    it->raw = keep(b, rec.data, rec.data ? rec.len : 0);
    it->rawlen = rec.data ? rec.len : 0;
    /* a record whose text the block could not keep (memory, its cap) is not one of the block's: the
     * offsets kept for it point past what is there, and the load stops before it */
    if (text_failed(b))
        return 0;
    b->n++;
    return 1;
}

/* The decoding thread: blocks filled with records, in file order, until
 * the file ends, it fails, or the load aborts. */
static void *producer(void *arg)
{
    ld_pipe *p = arg;
    const sp_spec *s = p->s;
    sp_value vals[SP_MAX_FIELDS];
    for (;;) {
        ld_block *b = pipe_take_free(p);
        if (!b)
            return NULL;
        b->n = b->last = b->failed = 0;
        b->nrj = 0;
        b->nfixes = 0;
        rp_err_clear(&b->err);
        rp_buf_reset(&b->text);
        while (b->n < LD_BLOCK && b->text.len < LD_BLOCK_BYTES && take_record(p, b, vals))
            ;
        text_failed(b);
        /* the text is complete: point the values into it */
        for (int k = 0; k < b->n; k++) {
            if (b->item[k].rejected)
                continue;
            sp_value *v = b->vals + (size_t)k * (size_t)s->nfields;
            uint32_t *off = b->voff + (size_t)k * (size_t)s->nfields;
            for (int i = 0; i < s->nfields; i++)
                v[i].text = off[i] == UINT32_MAX ? NULL : b->text.data + off[i];
        }
        int last = b->last;
        pipe_push_full(p, b);
        if (last)
            return NULL;
    }
}

static int pipe_init(ld_pipe *p, const sp_spec *s, const char *file, reader *rd, rp_error *err)
{
    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->s = s;
    p->file = file;
    p->rd = rd;
    for (int i = 0; i < s->ntargets; i++)
        p->ntxn += s->targets[i].kind == TG_TXN;
    /* When every target is a transaction, which this thread checks and writes, the writing thread reads
     * the text of the account numbers alone (and whether a "when" field is empty, which is kept): the
     * other values are not copied for it (about 5 % of this thread's time). */
    if (!(p->unread = calloc((size_t)s->nfields + 1, 1)))
        return rp_err(err, RP_NOMEM, NULL);
    if (p->ntxn == s->ntargets && !s->dedup_seen) {
        memset(p->unread, 1, (size_t)s->nfields);
        for (int i = 0; i < s->ntargets; i++) {
            const sp_ref *a = &s->targets[i].account;
            if (a->kind && a->field >= 0 && a->field < s->nfields)
                p->unread[a->field] = 0;
        }
    }
    /* a block's records take their values (32 bytes and an offset each), their transactions and about
     * 256 bytes of text a record: 64 MB of blocks at most */
    size_t per = (size_t)LD_BLOCK * ((size_t)s->nfields * (sizeof(sp_value) + sizeof(uint32_t)) +
                                     (size_t)p->ntxn * sizeof(ld_enc) + 256);
    p->nblocks = (int)(((size_t)128 << 20) / per);
    if (p->nblocks > LD_NBLOCKS)
        p->nblocks = LD_NBLOCKS;
    if (p->nblocks < 4)
        p->nblocks = 4;
    for (int i = 0; i < p->nblocks; i++) {
        ld_block *b = &p->blocks[i];
        b->vals = calloc((size_t)LD_BLOCK * (size_t)s->nfields, sizeof *b->vals);
        if (p->ntxn && !(b->enc = calloc((size_t)LD_BLOCK * (size_t)p->ntxn, sizeof *b->enc)))
            return rp_err(err, RP_NOMEM, NULL);
        b->voff = calloc((size_t)LD_BLOCK * (size_t)s->nfields, sizeof *b->voff);
        /* one more record past LD_BLOCK_BYTES: its raw bytes (at most 1 MB) and values */
        rp_buf_init(&b->text, LD_BLOCK_BYTES + 2 * RD_DEFAULT_MAX_RECORD + SP_MAX_FIELDS * (SP_TEXT_MAX + 1));
        if (!b->vals || !b->voff)
            return rp_err(err, RP_NOMEM, NULL);
        p->free_[p->nfree++] = i;
    }
    return RP_OK;
}

static void pipe_free(ld_pipe *p)
{
    for (int i = 0; i < p->nblocks; i++) {
        free(p->blocks[i].vals);
        free(p->blocks[i].voff);
        free(p->blocks[i].fix_rule);
        free(p->blocks[i].fix_field);
        free(p->blocks[i].rjs);
        free(p->blocks[i].enc);
        rp_buf_release(&p->blocks[i].text);
    }
    sp_decoder_close(p->dec);
    free(p->unread);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
}

/* Segments: going on from a checkpoint, the records before it read again (not decoded) for the last of each
 * kind, so that a detail after the checkpoint sees its header as it would have. */
static int replay(ld_pipe *p, const sp_spec *s, const char *file, int64_t offset, rp_error *err)
{
    rd_options ro = sp_reader_options(s);
    reader *rd;
    int rc = rd_open(file, &ro, &rd, err);
    if (!rc)
        rc = sp_decoder_open(s, file, NULL, 0, &p->dec, err);
    while (!rc) {
        rd_record rec;
        rp_error re = RP_ERROR_INIT;
        int got = rd_next(rd, &rec, &re);
        if (got == RD_END || (got == RD_RECORD && rec.offset >= offset) || (got == RD_BAD && rec.offset >= offset))
            break;
        if (got == RD_RECORD)
            rc = sp_decoder_remember(p->dec, &rec, err);
        else if (got != RD_BAD)
            rc = rp_err(err, got, "%s", rp_errmsg(&re));
    }
    rd_close(rd);
    return rc;
}

int ld__run_start(ld_run *u, const sp_spec *s, const char *file, int64_t offset, int64_t records,
                  rp_error *err)
{
    memset(u, 0, sizeof *u);
    rd_options ro = sp_reader_options(s);
    int rc = rd_open(file, &ro, &u->rd, err);
    if (!rc && offset > 0)
        rc = rd_seek(u->rd, offset, records, err);
    if (!rc && !(u->P = calloc(1, sizeof *u->P))) /* blocks of records: too big for the stack */
        rc = rp_err(err, RP_NOMEM, NULL);
    if (!rc && !(rc = pipe_init(u->P, s, file, u->rd, err)) && s->nsegments && offset > 0)
        rc = replay(u->P, s, file, offset, err);
    if (!rc) {
        int e = pthread_create(&u->th, NULL, producer, u->P);
        if (e)
            rc = rp_err(err, e == EAGAIN ? RP_NOMEM : RP_INTERNAL, "cannot start the decoding thread: %s%s",
                        strerror(e), e == EAGAIN ? " (out of memory, or of threads)" : "");
        else
            pthread_setname_np(u->th, "rapport-decode"); /* as top and perf show it */
    }
    u->running = !rc;
    return rc;
}

/* Stop the decoding (if it has not finished) and close the file; again does nothing. */
void ld__run_stop(ld_run *u)
{
    if (u->running) {
        pipe_abort(u->P);
        pthread_join(u->th, NULL);
    }
    if (u->P) {
        pipe_free(u->P);
        free(u->P);
    }
    rd_close(u->rd);
    memset(u, 0, sizeof *u);
}
