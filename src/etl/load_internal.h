/* load_internal.h — what the loader's files share; not for callers (see
 * load.h).
 *
 *   load.c     ld_load: the file opened and fingerprinted, its job found or
 *              started, the batches, the end
 *   pipe.c     the decoding thread and the queue of blocks it fills
 *   ledger.c   the job's own rows: load_job, load_rule, reject, load_seen,
 *              pending_link
 *   refs.c     the parties and accounts a record names, and the accounts
 *              a load remembers
 *   targets.c  a record's targets written, one function per kind
 */
#ifndef RP_LOAD_INTERNAL_H
#define RP_LOAD_INTERNAL_H

#include "core/buf.h"
#include "etl/etl.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A transaction target of a record, checked and written by wh_txn_encode
 * on the decoding thread: the writing thread has only to add it. */
typedef struct ld_enc {
    int rc;                   /* RP_OK, or why it was refused (msg) */
    size_t msg;               /* offset of the message in the block's text */
    wh_txn_row row;
} ld_enc;

/* A transaction waiting in the batch: the record it came from, should the
 * flush find it repeated. */
typedef struct ld_pend {
    int64_t number, offset;
    size_t raw, rawlen;
    int fixed;
} ld_pend;

typedef struct ld_accounts ld_accounts; /* refs.c */

/* One load in progress. */
typedef struct ld {
    wh *w;
    char hold[80];             /* the store's lock on this file's load ("load SHA256"), "" when not held */
    const sp_spec *s;
    const ld_options *o;
    ld_result *r;
    int64_t job;
    const char *label;      /* the file as messages name it, printable (core/utf8.h) */
    char *label_own;        /* ... in memory of its own */
    int64_t at;             /* the record in hand, for a failure's message */
    int rejected_again;     /* the last ld__reject was a second reason for a record rejected before */
    int64_t party, account; /* this record's, from its party and account targets */
    ld_count batch[LD_MAX_RULES]; /* counts not yet written to load_rule */
    int nbatch;
    ld_accounts *accounts; /* when no target of the spec creates accounts */
    /* transactions wait in txns until the batch commits (written in blocks,
     * warehouse.h); pend says which record each came from, for a reject */
    wh_txn_batch *txns;
    ld_pend *pend;
    size_t npend, cappend;
    rp_buf raw;
    const rd_record *rec; /* the record being written, and its fixes */
    int rec_fixed;
    const ld_enc *enc; /* its transactions, as the decoding thread checked and wrote them */
    const char *enc_text;
    int bulk; /* the store is in bulk writing (rp_store_bulk_begin) */
    unsigned char mask[SP_MAX_FIELDS]; /* how each field's value is masked in a reject (privacy.c) */
    rp_buf sealed;                     /* a reject's sealed envelope, reused */
} ld;

/* ---- a target's values ---- */

static inline const char *ld__val_at(const sp_target *t, int a, const sp_value *v)
{
    if (a < 0 || !t->has[a])
        return NULL;
    if (t->attr[a].field < 0)
        return t->attr[a].lit;
    return v[t->attr[a].field].null ? NULL : v[t->attr[a].field].text;
}

static inline int ld__num_at(const sp_target *t, int a, const sp_value *v, int64_t *out)
{
    if (a < 0 || !t->has[a])
        return 0;
    if (t->attr[a].field < 0) {
        if (!t->attr[a].lit)
            return 0;
        *out = strtoll(t->attr[a].lit, NULL, 10);
        return 1;
    }
    const sp_value *x = &v[t->attr[a].field];
    if (x->null)
        return 0;
    *out = x->is_num ? x->num : strtoll(x->text, NULL, 10);
    return 1;
}

/* A reject of a value written as text. */
static inline const char *ld__nn(const char *s) { return s ? s : ""; }
#define ld__rejectf(rj, field, value, rule, ...) \
    sp_reject_set(rj, field, ld__nn(value), strlen(ld__nn(value)), rule, __VA_ARGS__)

static inline const char *ld__field_name(const ld *L, int f) { return f >= 0 ? L->s->fields[f].name : ""; }

/* ---- the decoding thread (pipe.c) ----
 *
 * The reader and the decoder run on their own thread and hand blocks of
 * decoded records to the loading thread, which alone touches the store:
 * decoding one block while the previous one is written keeps both cores
 * busy.  A block carries each record's values (text copied into the
 * block), its raw bytes (for a reject), the fixes cleansing made, the
 * record's key, and the byte offset after it (the checkpoint). */

#define LD_BLOCK 1024
#define LD_NBLOCKS 256 /* deep enough that decoding goes on while a batch is written (128 MB at most) */
#define LD_BLOCK_BYTES ((size_t)16 << 20) /* a block closes early past this much text */

typedef struct ld_rec {
    int64_t number, offset, after;
    int rejected;             /* 1: the block's rjs[rj] says why */
    int rj;
    size_t raw, rawlen, key;  /* offsets into the block's text */
    int fix0, nfix;           /* into the block's fix arrays */
    int enc0;                 /* its transaction targets' ld_enc, one each, from the block's enc[enc0] */
} ld_rec;

typedef struct ld_block {
    int n, last;              /* last: the file ends after these */
    int failed;               /* the producer stopped on an error (err) */
    rp_error err;
    ld_rec item[LD_BLOCK];
    sp_value *vals;           /* LD_BLOCK x nfields */
    uint32_t *voff;           /* text offsets of the values (the text is less than 4 GB) */
    rp_buf text;
    const char **fix_rule, **fix_field;
    int nfixes, capfixes;
    sp_reject *rjs;           /* why records were rejected: few, so kept apart */
    int nrj, caprj;
    ld_enc *enc;              /* LD_BLOCK x the spec's transaction targets */
} ld_block;

typedef struct ld_pipe {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    ld_block blocks[LD_NBLOCKS];
    int full[LD_NBLOCKS], nfull, head; /* a queue of full blocks, in order */
    int free_[LD_NBLOCKS], nfree;
    int abort;
    int waiting;              /* threads asleep on cv: woken only then (a wake-up is a system call) */
    int nblocks;              /* up to LD_NBLOCKS: fewer for specs of many fields */
    const sp_spec *s;
    const char *file;
    reader *rd;
    sp_decoder *dec;
    const char **header;
    int nheader;
    int ntxn;                 /* the spec's transaction targets */
    unsigned char *unread;    /* fields whose text the writing thread never reads: not copied for it */
} ld_pipe;

/* A file's reader and the decoding thread that reads it. */
typedef struct ld_run {
    reader *rd;
    ld_pipe *P;
    pthread_t th;
    int running;
} ld_run;

/* Start decoding file at offset (records before it); stop it (if it has
 * not finished) and close the file, again doing nothing. */
int ld__run_start(ld_run *u, const sp_spec *s, const char *file, int64_t offset, int64_t records,
                 rp_error *err) RP_WARN_UNUSED;
void ld__run_stop(ld_run *u);
/* A reader's complaint about a record it could not read as one, as the record's reject. */
void ld__reader_reject(const rp_error *e, sp_reject *rj);
/* The next full block, in file order (waits for it); given back when read. */
ld_block *ld__pipe_take_full(ld_pipe *p);
void ld__pipe_give_back(ld_pipe *p, ld_block *b);

/* ---- the job's rows (ledger.c) ---- */

/* A job's row as the loader needs it. */
typedef struct ld_jobrow {
    int64_t id;                /* 0: the file has no job under the spec */
    char status[16];           /* as stored */
    int64_t pid;               /* the process that ran it last, and where */
    char host[256];
    char pid_start[64];
    int finished;              /* finished_at is set: a job stored running that Ctrl-C stopped */
    int64_t records, offset;   /* the checkpoint */
} ld_jobrow;
/* The job of a file (fingerprint) under L's spec (j->id 0 if none), and its
 * counts in L->r. */
int ld__job_find(ld *L, const char *fp, ld_jobrow *j, rp_error *err) RP_WARN_UNUSED;
/* Whether a job stored as running is being loaded now: 0 when it has
 * finished (Ctrl-C) or its process is gone (killed, or its PID another
 * process's now); 1 when its process is there, or cannot be checked from
 * here (another host's). */
int ld__job_live(const char *host, int64_t pid, const char *pid_start, int finished);
/* A new job for the file (L->job set), or L->job running again. */
int ld__job_start(ld *L, const char *file, rp_error *err) RP_WARN_UNUSED;
int ld__job_set(ld *L, const char *status, const char *message, rp_error *err) RP_WARN_UNUSED;
/* Done: its status, and the keys it saw forgotten. */
int ld__job_done(ld *L, rp_error *err) RP_WARN_UNUSED;
/* Failed with message, in a transaction of its own (if the store allows). */
void ld__job_failed(ld *L, const char *message);
/* Stopped by an error: failed, or, when the store was lost (RP_UNAVAILABLE), interrupted (the file is not at
 * fault and the same command goes on). */
void ld__job_stopped(ld *L, const rp_error *why);
/* A failure in the database's own words (a constraint's name, a statement):
 * the store error's code and text are for the log (RAPPORT_LOG=debug), and
 * the error becomes one that says what failed in the loader's words. */
int ld__store_words(const rp_error *e);
void ld__store_failure(ld *L, rp_error *err);
/* The same, where no record is in hand: context names what failed. */
void ld__hide_store_words(rp_error *err, const char *context);
/* The job's counts, rule by rule, into L->r. */
int ld__job_counts(ld *L, rp_error *err) RP_WARN_UNUSED;
/* The end of a batch: records, offset, counts and seconds on the job. */
int ld__checkpoint(ld *L, int64_t offset, double seconds, rp_error *err) RP_WARN_UNUSED;
/* The file's header row, for writing rejects back out in its shape. */
int ld__save_header(ld *L, const char **names, int n, char delim, rp_error *err) RP_WARN_UNUSED;
/* The job's records rejected by one rule, so far (committed and in hand). */
int64_t ld__rejected_by(ld *L, const char *rule);
/* One more record with this outcome (rejected, fixed) by rule and field. */
void ld__count(ld *L, const char *outcome, const char *rule, const char *field);
/* A record's reject.  A record rejected before in this job (two of its
 * transactions found repeated) keeps one reject, whose message then gives
 * both reasons; L->rejected_again says so, and nothing is counted twice. */
int ld__reject(ld *L, const rd_record *rec, const sp_reject *rj, rp_error *err) RP_WARN_UNUSED;

/* ---- rejects kept sealed (privacy.c) ----
 * A reject's value, message and raw record are sealed together in
 * reject.sealed; value and message are kept masked beside it, by what the
 * field holds: an identifier (a check, an identifier's value, an account
 * or card number, a key found by wh_find), a phone, an e-mail, an address,
 * or text, which is scrubbed (security.h: sec_scrub). */
enum { LD_MASK_TEXT, LD_MASK_ID, LD_MASK_PHONE, LD_MASK_EMAIL, LD_MASK_ADDRESS };
void ld__mask_kinds(const sp_spec *s, unsigned char kinds[SP_MAX_FIELDS]);
/* The kind of a reject's field (s and kinds may be NULL: by its name alone). */
int ld__mask_kind_of(const sp_spec *s, const unsigned char kinds[SP_MAX_FIELDS], const char *field);
void ld__mask_value(int kind, const char *v, char *out, size_t n);
void ld__mask_reject(int kind, const sp_reject *rj, char *value, size_t vn, char *message, size_t mn);
int ld__reject_seal(wh *w, const char *value, const char *message, const void *raw, size_t rawn,
                    rp_buf *out) RP_WARN_UNUSED;
typedef struct ld_reject_plain {
    const char *value, *message;
    const unsigned char *raw;
    size_t rawn;
} ld_reject_plain;
/* A row's reject opened: column col is reject.sealed, followed by value,
 * message and raw (for rows kept in clear before migration 0013).  The
 * parts point into b. */
int ld__reject_plain(wh *w, rp_stmt *st, int col, rp_buf *b, ld_reject_plain *p, rp_error *err) RP_WARN_UNUSED;
/* A warehouse writer's refusal of one record as its reject (1), or 0 when
 * rc is a failure of the load. */
int ld__refused(int rc, const rp_error *e, const char *target, sp_reject *rj);
/* A key that came before in this job: SP_REJECT, a duplicate. */
int ld__seen_before(ld *L, const char *key, int64_t record, sp_reject *rj, rp_error *err) RP_WARN_UNUSED;
/* A link whose other party has not arrived yet, and the links waiting for
 * (source, key) now that it has, as party to. */
int ld__pending_add(ld *L, int64_t from, const char *source, const char *key, const char *kind,
                   const char *since, rp_error *err) RP_WARN_UNUSED;
int ld__pending_resolve(ld *L, const char *source, const char *key, int64_t to, rp_error *err) RP_WARN_UNUSED;

/* ---- the parties and accounts a record names (refs.c) ---- */

ld_accounts *ld__accounts_new(void);
void ld__accounts_free(ld_accounts *a);
/* *id 0 for an optional reference left empty; SP_REJECT when there is no
 * such party or account.  *currency: the account's, when known. */
int ld__party_ref(ld *L, const sp_ref *r, const sp_value *v, int64_t *id, sp_reject *rj,
                 rp_error *err) RP_WARN_UNUSED;
int ld__account_ref(ld *L, const sp_ref *r, const sp_value *v, int64_t *id, const char **currency, sp_reject *rj,
                   rp_error *err) RP_WARN_UNUSED;

/* ---- writing (targets.c) ---- */

/* Whether every kind of target has its writer (a check of the table). */
int ld__targets_check(rp_error *err) RP_WARN_UNUSED;
/* Write one record's targets.  RP_OK, SP_REJECT (rj says why) or a failure. */
int ld__write_targets(ld *L, const sp_value *v, sp_reject *rj, rp_error *err) RP_WARN_UNUSED;
/* Write the transactions the batch holds: before each commit. */
int ld__flush_txns(ld *L, rp_error *err) RP_WARN_UNUSED;

#endif
