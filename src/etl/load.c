/* load.c — one file, one spec, one job: ld_load in its phases (the file
 * opened and fingerprinted, its job found or started, the batches, the
 * end).  See load.h, and load_internal.h for the files it is made of. */
#include "etl/load_internal.h"
#include "core/digest.h"
#include "core/log.h"
#include "core/proc.h"
#include "core/progress.h"
#include "core/utf8.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <pthread.h>
#include <unistd.h>

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int ld_fingerprint(const char *file, char hex[65], int64_t *bytes, rp_error *err)
{
    return rp_sha256_file(file, hex, bytes, err);
}

/* ---- the file opened and fingerprinted ---- */

typedef struct ld_fp {
    const char *file;
    char hex[65];
    int64_t bytes;
    int rc;
    rp_error err;
} ld_fp;

static void *fingerprint_thread(void *arg)
{
    ld_fp *f = arg;
    f->rc = ld_fingerprint(f->file, f->hex, &f->bytes, &f->err);
    return NULL;
}

/* Decoding starts at once, from the beginning of the file, while a thread of its own works out the
 * fingerprint that says whether the file was loaded before, or half loaded: the load no longer waits
 * for it (0.12 s of SHA-256 for 146 MB).  Nothing is written until it is known.  A file loaded before
 * stops the decoding; a half-loaded one starts it again where its job stopped.  Whether the decoding
 * could start is in *run_rc (run_err): a failure of the job, once there is one.  On failure the run
 * is stopped. */
static int load_open(ld *L, const char *file, ld_run *run, int *run_rc, rp_error *run_err, rp_error *err)
{
    ld_result *r = L->r;
    ld_fp fp;
    memset(&fp, 0, sizeof fp);
    fp.file = file;
    pthread_t fth;
    int threaded = pthread_create(&fth, NULL, fingerprint_thread, &fp) == 0;
    if (!threaded)
        fingerprint_thread(&fp);
    rp_err_clear(run_err);
    *run_rc = ld__run_start(run, L->s, file, 0, 0, run_err);
    if (threaded)
        pthread_join(fth, NULL);
    if (fp.rc) {
        ld__run_stop(run);
        return rp_err(err, fp.rc, "%s", rp_errmsg(&fp.err));
    }
    memcpy(r->fingerprint, fp.hex, sizeof fp.hex);
    r->bytes = fp.bytes;
    if (L->o->expect_sha256 && strcasecmp(L->o->expect_sha256, r->fingerprint) != 0) {
        ld__run_stop(run);
        return rp_err(err, RP_CHECKSUM, "%s: its SHA-256 is %s, the manifest says %s; the file is not the one "
                      "extracted, nothing was loaded", L->label, r->fingerprint, L->o->expect_sha256);
    }
    return RP_OK;
}

/* ---- the job found, or started ---- */

/* Whether job j is being loaded by another process now: busy.  One whose
 * process cannot be checked (another host's) is busy unless --force takes it
 * over. */
static int job_busy(const ld *L, const ld_jobrow *j, rp_error *err)
{
    if (!j->id || strcmp(j->status, "running") || j->pid == (int64_t)getpid() ||
        !ld__job_live(j->host, j->pid, j->pid_start, j->finished))
        return RP_OK;
    if (rp_proc_alive(j->host, j->pid, j->pid_start) == RP_PROC_ALIVE)
        return rp_err(err, RP_BUSY, "%s: job %lld is loading this file now (process %lld)", L->label,
                      (long long)j->id, (long long)j->pid);
    if (L->o->force)
        return RP_OK;
    return rp_err(err, RP_BUSY, "%s: job %lld is loading this file now (process %lld on %s); if that process has "
                  "ended, --force takes the job over", L->label, (long long)j->id, (long long)j->pid,
                  *j->host ? j->host : "another host");
}

/* Another server's process holds the load of the file (the store's lock): its job said. */
static int busy_elsewhere(const ld *L, const ld_jobrow *j, rp_error *err)
{
    if (rp_proc_alive(j->host, j->pid, j->pid_start) == RP_PROC_ALIVE)
        return rp_err(err, RP_BUSY, "%s: job %lld is loading this file now (process %lld)", L->label,
                      (long long)j->id, (long long)j->pid);
    return rp_err(err, RP_BUSY, "%s: job %lld is loading this file now (process %lld on %s)", L->label,
                  (long long)j->id, (long long)j->pid, *j->host ? j->host : "another host");
}

/* The file's job: one that loaded it is a no-op (r->noop), one a live
 * process is loading it with is busy, an interrupted one goes on after its
 * last committed batch (*records, *offset); anything else starts over.  The
 * job row is committed first, so that a failure is on record. */
static int load_job(ld *L, const char *file, int64_t *records, int64_t *offset, rp_error *err)
{
    ld_result *r = L->r;
    ld_jobrow j;
    int rc, held;
    /* one load of a file at a time across the servers of a store, whatever host each is on */
    char name[80];
    snprintf(name, sizeof name, "load %s", r->fingerprint);
    if ((rc = rp_store_hold(wh_store(L->w), name, &held, err)) || (rc = ld__job_find(L, r->fingerprint, &j, err)))
        return rc;
    if (!held && j.id && !strcmp(j.status, "running"))
        return busy_elsewhere(L, &j, err);
    if (!held)
        return rp_err(err, RP_BUSY, "%s: another process is loading this file now (the store's lock on it is held)",
                      L->label);
    memcpy(L->hold, name, sizeof name);
    L->job = j.id;
    *records = j.records;
    *offset = j.offset;
    const char *status = j.status;
    if (L->job && !strcmp(status, "done") && !L->o->force) {
        r->noop = 1;
        r->noop_job = L->job;
        r->job = L->job;
        r->records = *records;
        return RP_OK;
    }
    if ((rc = job_busy(L, &j, err)))
        return rc;
    /* a job that failed once the whole file was read (every record rejected, a
     * control total that differs) is loaded again from the start, as a new
     * job, only when asked to (--force, a re-submission); otherwise it is
     * resumed at its end, and fails the same way */
    int read_whole = !strcmp(status, "failed") && *offset >= r->bytes;
    if (L->job && strcmp(status, "done") && *records > 0 && !(read_whole && L->o->force)) {
        /* an interrupted job: go on after its last committed batch */
        r->resumed = 1;
        r->resume_from = *records;
        r->records = *records;
    } else {
        /* a job that committed nothing (stopped by its reject budget, or killed
         * before its first batch) starts over under its own number */
        if (!L->job || !strcmp(status, "done") || read_whole)
            L->job = 0;
        r->loaded = r->rejected = r->fixed = r->unchanged = 0;
        *records = *offset = 0;
    }
    if ((rc = wh_begin(L->w, err)))
        return rc;
    rc = ld__job_start(L, file, err);
    if (!rc && L->s->reference)
        rc = wh_reference_put(L->w, L->s->reference, "spec reference data", err);
    if (rc || (rc = wh_commit(L->w, err))) {
        wh_rollback(L->w);
        return rc;
    }
    r->job = L->job;
    return RP_OK;
}

/* What the writing needs beside the store: the accounts posted to,
 * remembered (when the spec creates none), and the batch of transactions
 * with their records' bytes. */
static int load_alloc(ld *L, rp_error *err)
{
    int creates_accounts = 0, rc = RP_OK;
    for (int i = 0; i < L->s->ntargets; i++)
        creates_accounts |= L->s->targets[i].kind == TG_ACCOUNT;
    if ((!creates_accounts && !(L->accounts = ld__accounts_new())) || (rc = wh_txn_batch_new(&L->txns, err)))
        return rc ? rc : rp_err(err, RP_NOMEM, NULL);
    rp_buf_init(&L->raw, (size_t)1 << 32);
    return RP_OK;
}

static void load_progress(const ld *L, rp_progress *pr)
{
    char plabel[300];
    const char *base = strrchr(L->label, '/');
    snprintf(plabel, sizeof plabel, "loading %s", base ? base + 1 : L->label);
    rp_progress_start(pr, plabel, 0);
    pr->bytes_total = (uint64_t)L->r->bytes;
    if (!L->o->progress)
        pr->on = 0;
}

/* Ready to write: the decoding going on where the job stopped, the store
 * set for a load (store.h: for a file of transactions alone, which appends,
 * a smaller page cache), and the first batch's transaction.  With the store
 * to itself the load writes in bulk: each page once, to the database file
 * (not to the WAL and again when a checkpoint copies it): 0.1 s of 1.3 for
 * 2 million transactions (files of customers, bound by their upserts, about
 * as before).  Another connection open, e.g. the API server's: WAL as
 * before. */
static int load_ready(ld *L, ld_run *run, const char *file, int64_t records, int64_t offset, rp_error *err)
{
    int rc, all_txn = L->s->ntargets > 0;
    for (int i = 0; i < L->s->ntargets; i++)
        all_txn &= L->s->targets[i].kind == TG_TXN;
    if (offset > 0) {
        ld__run_stop(run);
        if ((rc = ld__run_start(run, L->s, file, offset, records, err)))
            return rc;
    }
    if ((rc = rp_store_load_tuning(wh_store(L->w), all_txn, err)) ||
        (rc = rp_store_bulk_begin(wh_store(L->w), &L->bulk, err)))
        return rc;
    return wh_begin(L->w, err);
}

/* ---- the batches ---- */

typedef struct ld_loop {
    int batch;                 /* records a transaction */
    int single;                /* the whole file is one transaction (a maximum reject rate) */
    int savepoints;            /* a record's targets in a savepoint of their own */
    int64_t kill_after;        /* the crash tests': die as kill -9 would, mid-batch, after this many records */
    int64_t interrupt_after;   /* ... and as Ctrl-C would (SIGINT: the caller's handler sets *o->stop) */
    int64_t stop_after;        /* ... or freeze (SIGSTOP), for a test to look at it running and kill -9 it */
    int in_batch;
    int64_t done_offset;       /* the file's offset after the last record done */
    int stopped;               /* by the reject rate */
    int finished;
    double t0;
} ld_loop;

static void loop_init(const ld *L, ld_loop *lp, int64_t offset)
{
    memset(lp, 0, sizeof *lp);
    lp->batch = L->o->batch > 0 ? L->o->batch : LD_DEFAULT_BATCH;
    lp->single = L->o->max_reject_rate >= 0;
    lp->savepoints = L->s->ntargets > 1 || L->s->dedup_seen;
    const char *crash = getenv("RAPPORT_TEST_KILL_AFTER");
    lp->kill_after = crash ? strtoll(crash, NULL, 10) : 0;
    const char *intr = getenv("RAPPORT_TEST_INTERRUPT_AFTER");
    lp->interrupt_after = intr ? strtoll(intr, NULL, 10) : 0;
    const char *freeze = getenv("RAPPORT_TEST_STOP_AFTER");
    lp->stop_after = freeze ? strtoll(freeze, NULL, 10) : 0;
    lp->done_offset = offset;
}

static int over_budget(const ld *L, const ld_loop *lp)
{
    return lp->single && (double)L->r->rejected > L->o->max_reject_rate * (double)L->r->records;
}

/* A record that is not rejected yet: its key checked, its targets written
 * (in a savepoint of their own when there are several).  *outcome: RP_OK or
 * SP_REJECT (rj says why); the return a failure of the load. */
static int write_record(ld *L, const ld_loop *lp, const ld_block *b, const ld_rec *it, const rd_record *rec,
                        sp_reject *rj, int *outcome, rp_error *err)
{
    const sp_spec *s = L->s;
    int rc = RP_OK;
    *outcome = RP_OK;
    if (lp->savepoints && (rc = wh_begin(L->w, err)))
        return rc;
    if (s->dedup_seen)
        *outcome = ld__seen_before(L, b->text.data + it->key, it->number, rj, err);
    size_t txn_mark = wh_txn_batch_len(L->txns), pend_mark = L->npend;
    L->rec = rec;
    L->rec_fixed = it->nfix > 0;
    L->enc = b->enc ? &b->enc[it->enc0] : NULL;
    L->enc_text = b->text.data;
    if (*outcome == RP_OK)
        *outcome = ld__write_targets(L, b->vals + (size_t)(it - b->item) * (size_t)s->nfields, rj, err);
    if (*outcome != RP_OK) { /* a transaction of this record waits no more */
        wh_txn_batch_truncate(L->txns, txn_mark);
        L->npend = pend_mark;
    }
    if (lp->savepoints) {
        if (*outcome == RP_OK && (rc = wh_commit(L->w, err)))
            wh_rollback(L->w); /* the record's level is not left open under the batch (store.h) */
        else if (*outcome != RP_OK)
            wh_rollback(L->w);
        if (rc)
            return rc;
    }
    return *outcome != RP_OK && *outcome != SP_REJECT ? *outcome : RP_OK;
}

/* Record k of a block: rejected or written, counted, and the batch
 * committed when it is full.  lp->finished when the load stops here. */
static int load_record(ld *L, ld_loop *lp, const ld_block *b, int k, rp_error *err)
{
    ld_result *r = L->r;
    const ld_rec *it = &b->item[k];
    rd_record rec; /* not zeroed: its 1,024 field slots are not used here */
    rec.nfields = 0;
    rec.number = it->number;
    rec.offset = it->offset;
    rec.data = b->text.data + it->raw;
    rec.len = it->rawlen;
    L->at = it->number;
    r->records++;
    if (lp->kill_after && r->records - r->resume_from >= lp->kill_after)
        raise(SIGKILL);
    if (lp->interrupt_after && r->records - r->resume_from == lp->interrupt_after)
        raise(SIGINT);
    if (lp->stop_after && r->records - r->resume_from == lp->stop_after)
        raise(SIGSTOP);
    sp_reject rj;
    int outcome = SP_REJECT, rc;
    if (it->rejected)
        rj = b->rjs[it->rj];
    else if ((rc = write_record(L, lp, b, it, &rec, &rj, &outcome, err)))
        return rc;
    if (outcome == SP_REJECT) {
        if ((rc = ld__reject(L, &rec, &rj, err)))
            return rc;
    } else {
        r->loaded++;
        if (it->nfix)
            r->fixed++;
        for (int i = 0; i < it->nfix; i++)
            ld__count(L, "fixed", b->fix_rule[it->fix0 + i], b->fix_field[it->fix0 + i]);
    }
    lp->done_offset = it->after;
    if (r->records >= 1000 && over_budget(L, lp)) {
        lp->stopped = lp->finished = 1;
        return RP_OK;
    }
    if (++lp->in_batch >= lp->batch && !lp->single) {
        if ((rc = ld__flush_txns(L, err)) || (rc = ld__checkpoint(L, lp->done_offset, mono() - lp->t0, err)) ||
            (rc = wh_commit(L->w, err)) || (rc = wh_begin(L->w, err)))
            return rc;
        lp->in_batch = 0;
    }
    if (L->o->stop && *L->o->stop)
        r->interrupted = lp->finished = 1;
    return RP_OK;
}

/* The blocks of records the decoding thread fills, to the end of the file
 * or until the load stops; then the decoding is stopped. */
static int load_batches(ld *L, ld_loop *lp, ld_run *run, rp_progress *pr, rp_error *err)
{
    ld_pipe *P = run->P;
    int rc = RP_OK, header_saved = 0;
    while (!lp->finished && !rc) {
        ld_block *b = ld__pipe_take_full(P);
        if (!header_saved && P->nheader) {
            header_saved = 1;
            rc = ld__save_header(L, P->header, P->nheader, L->s->delimiter, err);
        }
        for (int k = 0; k < b->n && !rc && !lp->finished; k++)
            rc = load_record(L, lp, b, k, err);
        /* once a block, not a record: drawn on a terminal, it reads the clock each time */
        rp_progress_update_bytes(pr, (uint64_t)L->r->records, (uint64_t)lp->done_offset);
        if (!rc && b->failed)
            rc = rp_err(err, b->err.code ? b->err.code : RP_INTERNAL, "%s", rp_errmsg(&b->err));
        if (b->last)
            lp->finished = 1;
        ld__pipe_give_back(P, b);
    }
    ld__run_stop(run);
    return rc;
}

/* ---- the end ---- */

/* Every record of the file rejected: not a load that is done.  Most often
 * the file is not what the spec reads (random bytes, another code page,
 * UTF-16); when every reject is a duplicate, the file came before. */
static int all_rejected(ld *L, char *msg, size_t n)
{
    const ld_result *r = L->r;
    if (r->records <= 0 || r->loaded > 0 || r->rejected < r->records)
        return 0;
    char a[64];
    if (r->records == 1)
        snprintf(a, sizeof a, "its one record was");
    else {
        char k[32];
        rp_format_thousands(k, sizeof k, (uint64_t)r->records);
        snprintf(a, sizeof a, "every one of %s records was", k);
    }
    if (ld__rejected_by(L, "duplicate") >= r->records)
        snprintf(msg, n, "%s rejected as a duplicate: was this file loaded before, under another name?", a);
    else
        snprintf(msg, n, "%s rejected: is this the right spec / code page?", a);
    return 1;
}

/* More rejects than the maximum: nothing is committed (the caller has
 * rolled back), and the job says why. */
static int load_refused(ld *L, rp_error *err)
{
    const ld_result *r = L->r;
    char msg[400], all[200];
    if (all_rejected(L, all, sizeof all))
        snprintf(msg, sizeof msg, "stopped: %s; nothing was committed", all);
    else
        snprintf(msg, sizeof msg, "stopped: %lld of %lld records rejected (%.1f%%), more than the maximum of %g%%; "
                 "nothing was committed", (long long)r->rejected, (long long)r->records,
                 100.0 * (double)r->rejected / (double)r->records, 100.0 * L->o->max_reject_rate);
    ld__job_failed(L, msg);
    return rp_err(err, RP_INVAL, "%s: %s", L->label, msg);
}

/* The file read to its end, checked: the manifest's record count (a control
 * total) and whether anything loaded at all.  0 when it passes; else why
 * (msg) and 2 for a count that differs, 1 for every record rejected. */
static int load_check(ld *L, char *msg, size_t n)
{
    const ld_result *r = L->r;
    int bad = 0;
    msg[0] = 0;
    if ((L->o->expect & LD_EXPECT_RECORDS) && r->records != L->o->expect_records) {
        char a[32], b[32];
        rp_format_thousands(a, sizeof a, (uint64_t)(L->o->expect_records < 0 ? 0 : L->o->expect_records));
        rp_format_thousands(b, sizeof b, (uint64_t)r->records);
        snprintf(msg, n, "manifest says %s records, the file has %s", a, b);
        bad = 2;
    }
    char all[200];
    /* a re-submission whose records are all rejected again is not a wrong file: its rejects say why */
    if (!L->o->resubmit_of && all_rejected(L, all, sizeof all)) {
        size_t k = strlen(msg);
        snprintf(msg + k, n - k, "%s%s", k ? "; " : "", all);
        bad = bad ? bad : 1;
    }
    return bad;
}

/* A file that failed load_check.  With a maximum reject rate (one
 * transaction) a count that differs commits nothing.  Otherwise what was
 * read is committed — without a maximum the batches before were committed
 * as they went and stay; a file whose every record was rejected keeps its
 * rejects, which say why — and the job ends failed with the message
 * (r->failed: the counts are what it did).  The caller's transaction is
 * ended either way. */
static int load_failed(ld *L, const ld_loop *lp, int bad, const char *why, rp_error *err)
{
    ld_result *r = L->r;
    char msg[800];
    int rc;
    r->seconds = mono() - lp->t0;
    if (lp->single && bad == 2) {
        wh_rollback(L->w);
        snprintf(msg, sizeof msg, "%s; nothing was committed", why);
        ld__job_failed(L, msg);
        return rp_err(err, RP_CHECKSUM, "%s: %s", L->label, msg);
    }
    snprintf(msg, sizeof msg, "%s%s", why,
             bad == 2 ? "; its batches were committed as they were read (there was no --max-reject-rate): what "
                        "loaded stays"
                      : "");
    if ((rc = ld__checkpoint(L, lp->done_offset, r->seconds, err)) || (rc = ld__job_set(L, "failed", msg, err)) ||
        (rc = wh_commit(L->w, err))) {
        wh_rollback(L->w);
        ld__store_failure(L, err);
        ld__job_failed(L, rp_errmsg(err));
        return rc;
    }
    r->failed = 1;
    if ((rc = ld__job_counts(L, err)))
        return rc;
    return rp_err(err, bad == 2 ? RP_CHECKSUM : RP_INVAL, "%s: %s", L->label, msg);
}

/* The last checkpoint and the job's status, committed: done, or
 * interrupted (run again to finish): stored as running, with finished_at,
 * and shown as interrupted (listing.c). */
static int load_finish(ld *L, const ld_loop *lp, rp_error *err)
{
    ld_result *r = L->r;
    r->seconds = mono() - lp->t0;
    int rc;
    if ((rc = ld__checkpoint(L, lp->done_offset, r->seconds, err)))
        return rc;
    if (r->interrupted) {
        char msg[200];
        snprintf(msg, sizeof msg, "interrupted after record %lld; run the load again to finish it",
                 (long long)r->records);
        rc = ld__job_set(L, "running", msg, err);
    } else {
        rc = ld__job_done(L, err);
    }
    return rc ? rc : wh_commit(L->w, err);
}

/* What the load took: the store's settings put back, bulk writing ended,
 * the decoding stopped, memory freed. */
static int load_release(ld *L, ld_run *run, int rc, rp_error *err)
{
    rp_error e2;
    rp_err_clear(&e2);
    if (rp_store_load_tuning_end(wh_store(L->w), &e2) != RP_OK && !rc)
        rc = rp_err(err, e2.code, "%s", rp_errmsg(&e2));
    if (L->bulk) { /* what the load did is committed, whatever this says: WAL comes back at the next open */
        rp_err_clear(&e2);
        if (rp_store_bulk_end(wh_store(L->w), &e2) != RP_OK)
            rp_log_warn("%s: the store stays in bulk writing until it is next opened: %s", L->label, rp_errmsg(&e2));
    }
    if (!rc && L->r->records && !rp_store_depth(wh_store(L->w))) { /* what the next file and the 360 plan by */
        rp_err_clear(&e2);
        if (rp_store_optimize(wh_store(L->w), NULL, &e2) != RP_OK)
            rp_log_warn("%s: the store's statistics stay as they were until its own maintenance: %s", L->label,
                        rp_errmsg(&e2));
    }
    ld__run_stop(run);
    if (*L->hold)
        rp_store_unhold(wh_store(L->w), L->hold);
    ld__accounts_free(L->accounts);
    L->accounts = NULL;
    wh_txn_batch_free(L->txns);
    free(L->pend);
    rp_buf_release(&L->raw);
    rp_buf_release(&L->sealed);
    free(L->label_own);
    return rc;
}

int ld_load(wh *w, const sp_spec *s, const char *file, const ld_options *o, ld_result *r, rp_error *err)
{
    memset(r, 0, sizeof *r);
    ld L;
    memset(&L, 0, sizeof L);
    L.w = w;
    L.s = s;
    L.o = o;
    L.r = r;
    /* the file as messages and the job name it: printable (a name is bytes, and may hold ESC) */
    if (!(L.label_own = rp_utf8_printable_dup(o->label ? o->label : file)))
        return rp_err(err, RP_NOMEM, NULL);
    L.label = L.label_own;
    ld__mask_kinds(s, L.mask);
    rp_buf_init(&L.sealed, RP_BUF_DEFAULT_MAX);
    ld_run run;
    rp_error run_err;
    int run_rc;
    int rc = ld__targets_check(err);
    if (rc || (rc = load_open(&L, file, &run, &run_rc, &run_err, err))) {
        free(L.label_own);
        return rc;
    }
    int64_t records = 0, offset = 0;
    int on_record = 0, in_txn = 0; /* a failure is the job's; a transaction is open */
    rp_progress pr;
    ld_loop lp;
    if ((rc = load_job(&L, file, &records, &offset, err)) || r->noop || (rc = load_alloc(&L, err))) {
        if (!rc)
            rc = ld__job_counts(&L, err);
        goto out;
    }
    loop_init(&L, &lp, offset);
    lp.t0 = mono();
    load_progress(&L, &pr);
    on_record = 1;
    if (run_rc) { /* the file could not be read: on record as the job's failure */
        rc = rp_err(err, run_rc, "%s", rp_errmsg(&run_err));
        goto out;
    }
    if ((o->expect & LD_EXPECT_BYTES) && r->bytes != o->expect_bytes) { /* a control total: before anything */
        char a[32], b[32];
        rp_format_thousands(a, sizeof a, (uint64_t)(o->expect_bytes < 0 ? 0 : o->expect_bytes));
        rp_format_thousands(b, sizeof b, (uint64_t)r->bytes);
        rc = rp_err(err, RP_CHECKSUM, "%s: manifest says %s bytes, the file has %s; nothing was loaded", L.label, a, b);
        goto out;
    }
    if ((rc = load_ready(&L, &run, file, records, offset, err)))
        goto out;
    in_txn = 1;
    if ((rc = load_batches(&L, &lp, &run, &pr, err)) || (rc = ld__flush_txns(&L, err)))
        goto out;
    rp_progress_finish(&pr);
    if (lp.stopped || (r->records && over_budget(&L, &lp))) {
        wh_rollback(w);
        on_record = in_txn = 0;
        rc = load_refused(&L, err);
        goto out;
    }
    char why[600];
    int bad = r->interrupted ? 0 : load_check(&L, why, sizeof why);
    if (bad) {
        on_record = in_txn = 0; /* load_failed ends the transaction and puts the failure on record */
        rc = load_failed(&L, &lp, bad, why, err);
        goto out;
    }
    if ((rc = load_finish(&L, &lp, err)))
        goto out;
    on_record = in_txn = 0;
    rc = ld__job_counts(&L, err);
out:
    if (rc)
        ld__store_failure(&L, err);
    if (rc && on_record) {
        if (in_txn)
            wh_rollback(w);
        rp_progress_finish(&pr);
        ld__job_stopped(&L, err);
    }
    return load_release(&L, &run, rc, err);
}
