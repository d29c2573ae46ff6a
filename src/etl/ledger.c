/* ledger.c — a load's own rows: the job (load_job) with its checkpoint,
 * its counts rule by rule (load_rule), its rejects, the keys it has seen
 * (load_seen) and the links waiting for their other party (pending_link).
 * See load_internal.h. */
#include "etl/load_internal.h"
#include "core/log.h"
#include "core/proc.h"
#include "core/rtime.h"
#include "core/utf8.h"

#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- counts ---- */

void ld__count(ld *L, const char *outcome, const char *rule, const char *field)
{
    for (int i = 0; i < L->nbatch; i++)
        if (!strcmp(L->batch[i].rule, rule) && !strcmp(L->batch[i].field, field) &&
            !strcmp(L->batch[i].outcome, outcome)) {
            L->batch[i].n++;
            return;
        }
    if (L->nbatch == LD_MAX_RULES) /* fold the rest into one line rather than lose them */
        field = "(others)";
    int i = L->nbatch < LD_MAX_RULES ? L->nbatch++ : LD_MAX_RULES - 1;
    ld_count *c = &L->batch[i];
    if (c->n && strcmp(c->field, "(others)") == 0) {
        c->n++;
        return;
    }
    snprintf(c->outcome, sizeof c->outcome, "%s", outcome);
    snprintf(c->rule, sizeof c->rule, "%s", rule);
    snprintf(c->field, sizeof c->field, "%s", field);
    c->n = 1;
}

int64_t ld__rejected_by(ld *L, const char *rule)
{
    int64_t n = 0;
    for (int i = 0; i < L->nbatch; i++)
        if (!strcmp(L->batch[i].outcome, "rejected") && !strcmp(L->batch[i].rule, rule))
            n += L->batch[i].n;
    rp_stmt *st;
    rp_error e = RP_ERROR_INIT;
    if (rp_store_prepare(wh_store(L->w),
                         "SELECT coalesce(sum(count), 0) FROM load_rule WHERE job_id = ? AND outcome = 'rejected' "
                         "AND rule = ?",
                         &st, &e) == RP_OK) {
        rp_stmt_bind_int(st, 1, L->job);
        rp_stmt_bind_text(st, 2, rule);
        if (rp_stmt_step(st, &e) == RP_ROW)
            n += rp_stmt_int(st, 0);
        rp_stmt_done(st);
    }
    return n;
}

static int flush_counts(ld *L, rp_error *err)
{
    for (int i = 0; i < L->nbatch; i++) {
        rp_stmt *st;
        int rc = rp_store_prepare(wh_store(L->w),
                                  "INSERT INTO load_rule(job_id, outcome, rule, field, count) VALUES (?,?,?,?,?) "
                                  "ON CONFLICT(job_id, outcome, rule, field) DO UPDATE SET count = load_rule.count + "
                                  "excluded.count",
                                  &st, err);
        if (rc)
            return rc;
        rp_stmt_bind_int(st, 1, L->job);
        rp_stmt_bind_text(st, 2, L->batch[i].outcome);
        rp_stmt_bind_text(st, 3, L->batch[i].rule);
        rp_stmt_bind_text(st, 4, L->batch[i].field);
        rp_stmt_bind_int(st, 5, L->batch[i].n);
        if ((rc = rp_stmt_run(st, err)))
            return rc;
    }
    L->nbatch = 0;
    return RP_OK;
}

int ld__checkpoint(ld *L, int64_t offset, double seconds, rp_error *err)
{
    ld_result *r = L->r;
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(L->w),
                              "UPDATE load_job SET records = ?, \"offset\" = ?, rows_loaded = ?, rows_rejected = ?, "
                              "rows_fixed = ?, rows_unchanged = ?, seconds = ? WHERE id = ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, r->records);
    rp_stmt_bind_int(st, 2, offset);
    rp_stmt_bind_int(st, 3, r->loaded);
    rp_stmt_bind_int(st, 4, r->rejected);
    rp_stmt_bind_int(st, 5, r->fixed);
    rp_stmt_bind_int(st, 6, r->unchanged);
    rp_stmt_bind_real(st, 7, seconds);
    rp_stmt_bind_int(st, 8, L->job);
    if ((rc = rp_stmt_run(st, err)) || (rc = flush_counts(L, err)))
        return rc;
    /* the kept 360s of the accounts this batch posted to go with it */
    return wh_c360_catch_up(L->w, NULL, err);
}

/* ---- rejects ---- */

/* A second reason for a record rejected before in this job (two of its
 * transactions found repeated when the batch was written): the one reject
 * keeps its value and raw record, and its message gives both reasons. */
static int reject_again(ld *L, const rd_record *rec, const char *masked, const char *plain, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(L->w),
                              "SELECT sealed, value, message, raw FROM reject WHERE job_id = ? AND record = ?", &st,
                              err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, L->job);
    rp_stmt_bind_int(st, 2, rec->number);
    if ((rc = rp_stmt_step(st, err)) != RP_ROW) {
        rp_stmt_done(st);
        return rc == RP_DONE ? rp_err(err, RP_INTERNAL, "%s: record %lld: its reject is not there", L->label,
                                      (long long)rec->number)
                             : rc;
    }
    rp_buf open = RP_BUF_INIT, both = RP_BUF_INIT, shown = RP_BUF_INIT;
    ld_reject_plain p;
    rp_buf_puts(&shown, rp_stmt_text(st, 2) ? rp_stmt_text(st, 2) : "");
    if (!(rc = ld__reject_plain(L->w, st, 0, &open, &p, err))) {
        rp_buf_puts(&both, p.message);
        rp_buf_puts(&both, "; ");
        rp_buf_puts(&both, plain);
        rp_buf_puts(&shown, "; ");
        rp_buf_puts(&shown, masked);
        rp_buf_reset(&L->sealed);
        if (rp_buf_status(&both) || rp_buf_status(&shown))
            rc = rp_err(err, RP_NOMEM, NULL);
        else if ((rc = ld__reject_seal(L->w, p.value, rp_buf_str(&both), p.raw, p.rawn, &L->sealed)))
            rc = rp_err(err, rc, "cannot seal a rejected record: %s", rp_strerror(rc));
    }
    rp_stmt_done(st);
    if (!rc && !(rc = rp_store_prepare(wh_store(L->w),
                                       "UPDATE reject SET message = ?, sealed = ? WHERE job_id = ? AND record = ?",
                                       &st, err))) {
        rp_stmt_bind_text(st, 1, rp_buf_str(&shown));
        rp_stmt_bind_blob(st, 2, L->sealed.data ? L->sealed.data : "", L->sealed.len);
        rp_stmt_bind_int(st, 3, L->job);
        rp_stmt_bind_int(st, 4, rec->number);
        rc = rp_stmt_run(st, err);
    }
    sodium_memzero(open.data, open.len);
    sodium_memzero(both.data, both.len);
    rp_buf_release(&open);
    rp_buf_release(&both);
    rp_buf_release(&shown);
    return rc;
}

int ld__reject(ld *L, const rd_record *rec, const sp_reject *in, rp_error *err)
{
    sp_reject rj = *in; /* the message may quote the record: kept printable (core/utf8.h) */
    rp_utf8_printable(in->message, strlen(in->message), rj.message, sizeof rj.message);
    char value[sizeof rj.value], message[sizeof rj.message];
    ld__mask_reject(ld__mask_kind_of(L->s, L->mask, rj.field), &rj, value, sizeof value, message, sizeof message);
    rp_buf_reset(&L->sealed);
    int rc = ld__reject_seal(L->w, rj.value, rj.message, rec->data, rec->data ? rec->len : 0, &L->sealed);
    if (rc)
        return rp_err(err, rc, "cannot seal a rejected record: %s", rp_strerror(rc));
    rp_stmt *st;
    if ((rc = rp_store_prepare(wh_store(L->w),
                               "INSERT INTO reject(job_id, file, record, \"offset\", field, value, rule, message, sealed) "
                               "VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (job_id, record) DO NOTHING",
                               &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, L->job);
    rp_stmt_bind_text(st, 2, L->label);
    rp_stmt_bind_int(st, 3, rec->number);
    rp_stmt_bind_int(st, 4, rec->offset);
    rp_stmt_bind_text(st, 5, rj.field);
    rp_stmt_bind_text(st, 6, value);
    rp_stmt_bind_text(st, 7, rj.rule);
    rp_stmt_bind_text(st, 8, message);
    rp_stmt_bind_blob(st, 9, L->sealed.data ? L->sealed.data : "", L->sealed.len);
    if ((rc = rp_stmt_run(st, err)))
        return rc;
    if ((L->rejected_again = rp_store_changes(wh_store(L->w)) == 0))
        return reject_again(L, rec, message, rj.message, err);
    L->r->rejected++;
    ld__count(L, "rejected", rj.rule, rj.field);
    return RP_OK;
}

/* A warehouse writer's refusal of one record: a reject, not a failure. */
int ld__refused(int rc, const rp_error *e, const char *target, sp_reject *rj)
{
    const char *rule = NULL;
    switch (rc) {
    case RP_INVAL:
    case RP_TOOBIG:
    case RP_ENCODING: rule = "invalid"; break;
    case RP_NOTFOUND:
    case RP_CONSTRAINT: rule = "reference"; break;
    case RP_EXISTS: rule = "duplicate"; break;
    case RP_AMBIGUOUS: rule = "ambiguous"; break;
    default: return 0;
    }
    memset(rj, 0, sizeof *rj);
    snprintf(rj->rule, sizeof rj->rule, "%s", rule);
    if (ld__store_words(e)) { /* the database's own words are not a reason a person can act on */
        rp_log_debug("%s: refused by the store: %s", target, rp_errmsg(e));
        snprintf(rj->field, sizeof rj->field, "%s", target);
        snprintf(rj->message, sizeof rj->message, "%s: the warehouse refused it: it conflicts with what is stored "
                 "(a reference that is not there, or a key stored before)", target);
        return 1;
    }
    snprintf(rj->message, sizeof rj->message, "%s", rp_errmsg(e));
    /* "account.product: unknown product 'X'" names the attribute */
    const char *m = rp_errmsg(e), *colon = strstr(m, ": ");
    if (colon && (size_t)(colon - m) < sizeof rj->field && !memchr(m, ' ', (size_t)(colon - m)))
        snprintf(rj->field, sizeof rj->field, "%.*s", (int)(colon - m), m);
    else
        snprintf(rj->field, sizeof rj->field, "%s", target);
    return 1;
}

/* The store's errors keep the database's words (store.h): a constraint
 * violated with no writer's message over it, or anything the store could
 * not do. */
int ld__store_words(const rp_error *e)
{
    const char *m = rp_errmsg(e);
    return e->code == RP_STORE ||
           (e->code == RP_CONSTRAINT && (strstr(m, "constraint") || strstr(m, "CONSTRAINT")));
}

void ld__hide_store_words(rp_error *err, const char *context)
{
    if (!ld__store_words(err))
        return;
    rp_log_debug("%s: the store: %s", context, rp_errmsg(err));
    rp_err(err, RP_INTERNAL, "%s: the store refused a write (%s); nothing of it was committed: run with "
           "RAPPORT_LOG=debug to see the store's own words", context, rp_strerror(err->code));
}

void ld__store_failure(ld *L, rp_error *err)
{
    if (!ld__store_words(err))
        return;
    rp_log_debug("%s: record %lld: the store: %s", L->label, (long long)L->at, rp_errmsg(err));
    if (L->at)
        rp_err(err, RP_INTERNAL, "%s: record %lld: the store refused to write it (%s); nothing of the batch in hand "
               "was committed: run the same load again to go on from the last batch, with RAPPORT_LOG=debug to see "
               "the store's own words", L->label, (long long)L->at, rp_strerror(err->code));
    else
        rp_err(err, RP_INTERNAL, "%s: the store refused to write the job's rows (%s); run with RAPPORT_LOG=debug "
               "to see its own words", L->label, rp_strerror(err->code));
}

/* A key that came before in this job (load_seen): a duplicate. */
int ld__seen_before(ld *L, const char *key, int64_t record, sp_reject *rj, rp_error *err)
{
    unsigned char h[RP_HASH_LEN]; /* keyed: a key may be a card number */
    wh_keyed_hash(L->w, "seen", key, strlen(key), h);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(L->w),
                              "INSERT INTO load_seen(job_id, key, record) VALUES (?,?,?) "
                              "ON CONFLICT(job_id, key) DO UPDATE SET job_id = load_seen.job_id RETURNING record",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, L->job);
    rp_stmt_bind_blob(st, 2, h, sizeof h);
    rp_stmt_bind_int(st, 3, record);
    rc = rp_stmt_step(st, err);
    int64_t first = rc == RP_ROW ? rp_stmt_int(st, 0) : 0;
    if (rc != RP_ROW) {
        rp_stmt_done(st);
        return rc == RP_DONE ? rp_err(err, RP_INTERNAL, "load_seen returned nothing") : rc;
    }
    if ((rc = rp_stmt_finish(st, err))) /* committed at its end outside a transaction (store.h) */
        return rc;
    if (first != record) {
        char k[256];
        snprintf(k, sizeof k, "%s", key);
        for (char *p = k; *p; p++)
            if (*p == '\x1f')
                *p = ' ';
        return ld__rejectf(rj, L->s->nkey == 1 ? L->s->fields[L->s->key[0]].name : "", k, "duplicate",
                       "the record with key '%s' came before, at record %lld", k, (long long)first);
    }
    return RP_OK;
}

/* The header row, so that rejects can be written back out as a file of
 * the same shape. */
int ld__save_header(ld *L, const char **names, int n, char delim, rp_error *err)
{
    rp_buf b = RP_BUF_INIT;
    for (int i = 0; i < n; i++) {
        if (i)
            rp_buf_putc(&b, delim);
        if (strpbrk(names[i], "\",\r\n") || strchr(names[i], delim)) {
            rp_buf_putc(&b, '"');
            for (const char *p = names[i]; *p; p++) {
                if (*p == '"')
                    rp_buf_putc(&b, '"');
                rp_buf_putc(&b, *p);
            }
            rp_buf_putc(&b, '"');
        } else {
            rp_buf_append(&b, names[i], strlen(names[i]));
        }
    }
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(L->w), "UPDATE load_job SET header = ? WHERE id = ?", &st, err);
    if (!rc) {
        rp_stmt_bind_blob(st, 1, b.data ? b.data : "", b.len);
        rp_stmt_bind_int(st, 2, L->job);
        rc = rp_stmt_run(st, err);
    }
    rp_buf_release(&b);
    return rc;
}

/* ---- the job ---- */

int ld__job_find(ld *L, const char *fp, ld_jobrow *j, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(L->w),
                              "SELECT id, status, pid, records, \"offset\", rows_loaded, rows_rejected, rows_fixed, "
                              "rows_unchanged, host, pid_start, finished_at IS NOT NULL FROM load_job "
                              "WHERE fingerprint = ? AND spec = ? ORDER BY (status = 'done') DESC, id DESC LIMIT 1",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, fp);
    rp_stmt_bind_text(st, 2, L->s->name);
    rc = rp_stmt_step(st, err);
    memset(j, 0, sizeof *j);
    if (rc == RP_ROW) {
        j->id = rp_stmt_int(st, 0);
        snprintf(j->status, sizeof j->status, "%s", rp_stmt_text(st, 1));
        j->pid = rp_stmt_int(st, 2);
        j->records = rp_stmt_int(st, 3);
        j->offset = rp_stmt_int(st, 4);
        L->r->loaded = rp_stmt_int(st, 5);
        L->r->rejected = rp_stmt_int(st, 6);
        L->r->fixed = rp_stmt_int(st, 7);
        L->r->unchanged = rp_stmt_int(st, 8);
        snprintf(j->host, sizeof j->host, "%s", rp_stmt_text(st, 9) ? rp_stmt_text(st, 9) : "");
        snprintf(j->pid_start, sizeof j->pid_start, "%s", rp_stmt_text(st, 10) ? rp_stmt_text(st, 10) : "");
        j->finished = (int)rp_stmt_int(st, 11);
    }
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

int ld__job_live(const char *host, int64_t pid, const char *pid_start, int finished)
{
    return !finished && rp_proc_alive(host, pid, pid_start) != RP_PROC_GONE;
}

/* The job's end: its status (running for one Ctrl-C stopped: shown as
 * interrupted), its message printable (it may quote the file), and when. */
int ld__job_set(ld *L, const char *status, const char *message, rp_error *err)
{
    char now[RP_TIME_UTC_LEN], msg[4 * RP_ERROR_MSG_MAX + 1];
    rp_time_format_utc(rp_now(), now);
    if (message)
        rp_utf8_printable(message, strlen(message), msg, sizeof msg);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(L->w),
                              "UPDATE load_job SET status = ?, message = ?, finished_at = ? WHERE id = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, status);
    rp_stmt_bind_text(st, 2, message ? msg : NULL);
    rp_stmt_bind_text(st, 3, now);
    rp_stmt_bind_int(st, 4, L->job);
    return rp_stmt_run(st, err);
}

int ld__job_counts(ld *L, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(L->w),
                              "SELECT outcome, rule, field, count FROM load_rule WHERE job_id = ? "
                              "ORDER BY outcome DESC, count DESC, rule, field",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, L->job);
    L->r->ncounts = 0;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        if (L->r->ncounts == LD_MAX_RULES)
            continue;
        ld_count *c = &L->r->counts[L->r->ncounts++];
        snprintf(c->outcome, sizeof c->outcome, "%s", rp_stmt_text(st, 0));
        snprintf(c->rule, sizeof c->rule, "%s", rp_stmt_text(st, 1));
        snprintf(c->field, sizeof c->field, "%s", rp_stmt_text(st, 2));
        c->n = rp_stmt_int(st, 3);
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

int ld__job_start(ld *L, const char *file, rp_error *err)
{
    rp_stmt *st;
    int rc;
    char host[RP_HOST_MAX], start[RP_PROC_START_MAX];
    rp_proc_host(host, sizeof host);
    rp_proc_start((int64_t)getpid(), start, sizeof start);
    if (L->job) {
        if ((rc = rp_store_prepare(wh_store(L->w),
                                   "UPDATE load_job SET status = 'running', pid = ?, host = ?, pid_start = ?, "
                                   "message = NULL, finished_at = NULL WHERE id = ?",
                                   &st, err)))
            return rc;
        rp_stmt_bind_int(st, 1, (int64_t)getpid());
        rp_stmt_bind_text(st, 2, *host ? host : NULL);
        rp_stmt_bind_text(st, 3, *start ? start : NULL);
        rp_stmt_bind_int(st, 4, L->job);
        return rp_stmt_run(st, err);
    }
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    if ((rc = rp_store_prepare(wh_store(L->w),
                               "INSERT INTO load_job(source, file, fingerprint, started_at, started_by, spec, bytes, "
                               "pid, resubmits, path, spec_text, host, pid_start) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
                               "RETURNING id",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, L->s->source);
    rp_stmt_bind_text(st, 2, L->label);
    rp_stmt_bind_text(st, 3, L->r->fingerprint);
    rp_stmt_bind_text(st, 4, now);
    rp_stmt_bind_text(st, 5, L->o->by);
    rp_stmt_bind_text(st, 6, L->s->name);
    rp_stmt_bind_int(st, 7, L->r->bytes);
    rp_stmt_bind_int(st, 8, (int64_t)getpid());
    if (L->o->resubmit_of)
        rp_stmt_bind_int(st, 9, L->o->resubmit_of);
    else
        rp_stmt_bind_null(st, 9);
    char abs[PATH_MAX];
    rp_stmt_bind_text(st, 10, realpath(file, abs) ? abs : file);
    rp_stmt_bind_text(st, 11, L->s->text);
    rp_stmt_bind_text(st, 12, *host ? host : NULL);
    rp_stmt_bind_text(st, 13, *start ? start : NULL);
    rc = rp_stmt_step(st, err);
    if (rc == RP_ROW) {
        L->job = rp_stmt_int(st, 0);
        rc = rp_stmt_finish(st, err); /* committed at its end outside a transaction (store.h) */
    } else {
        rp_stmt_done(st);
    }
    return rc;
}

int ld__job_done(ld *L, rp_error *err)
{
    rp_stmt *st;
    int rc;
    if ((rc = ld__job_set(L, "done", NULL, err)) ||
        (rc = rp_store_prepare(wh_store(L->w), "DELETE FROM load_seen WHERE job_id = ?", &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, L->job);
    return rp_stmt_run(st, err);
}

void ld__job_failed(ld *L, const char *message)
{
    rp_error e = RP_ERROR_INIT;
    if (wh_begin(L->w, &e) != RP_OK)
        return;
    if (ld__job_set(L, "failed", message, &e) != RP_OK || wh_commit(L->w, &e) != RP_OK)
        wh_rollback(L->w);
}

void ld__job_stopped(ld *L, const rp_error *why)
{
    if (why->code != RP_UNAVAILABLE) {
        ld__job_failed(L, rp_errmsg(why));
        return;
    }
    /* the store was lost (a server restarted, a failover, a connection cut): nothing about the file is wrong,
     * and the same command goes on after the last committed batch.  Stored as running with finished_at, the
     * job is shown as interrupted (listing.c), if the store can be written again at all. */
    char msg[RP_ERROR_MSG_MAX + 160];
    snprintf(msg, sizeof msg, "interrupted: %s; load the same file again to go on after the last committed batch",
             rp_errmsg(why));
    rp_error e = RP_ERROR_INIT;
    if (wh_begin(L->w, &e) != RP_OK)
        return;
    if (ld__job_set(L, "running", msg, &e) != RP_OK || wh_commit(L->w, &e) != RP_OK)
        wh_rollback(L->w);
}

/* ---- links waiting for their other party ---- */

int ld__pending_add(ld *L, int64_t from, const char *source, const char *key, const char *kind, const char *since,
                    rp_error *err)
{
    if (!kind || !*kind) /* a link of no kind waits for nothing (kind is required) */
        return RP_OK;
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(L->w),
                              "INSERT INTO pending_link(from_party, to_source, to_key, kind, since, job_id) "
                              "VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, from);
    rp_stmt_bind_text(st, 2, source);
    rp_stmt_bind_text(st, 3, key);
    rp_stmt_bind_text(st, 4, kind);
    rp_stmt_bind_text(st, 5, since && *since ? since : NULL);
    rp_stmt_bind_int(st, 6, L->job);
    return rp_stmt_run(st, err);
}

/* Links waiting for (source, key) to arrive, now that it has. */
int ld__pending_resolve(ld *L, const char *source, const char *key, int64_t to, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(L->w),
                              "DELETE FROM pending_link WHERE to_source = ? AND to_key = ? "
                              "RETURNING from_party, kind, since",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, source);
    rp_stmt_bind_text(st, 2, key);
    /* every row the DELETE returns is kept: links cannot be lost however many wait */
    struct waiting {
        int64_t from;
        char kind[32], since[16];
    } *got = NULL;
    size_t n = 0, cap = 0;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        if (n == cap) {
            struct waiting *g = realloc(got, (cap = cap ? 2 * cap : 16) * sizeof *g);
            if (!g) {
                rc = rp_err(err, RP_NOMEM, NULL);
                break;
            }
            got = g;
        }
        got[n].from = rp_stmt_int(st, 0);
        snprintf(got[n].kind, sizeof got[n].kind, "%s", rp_stmt_text(st, 1) ? rp_stmt_text(st, 1) : "");
        snprintf(got[n].since, sizeof got[n].since, "%s", rp_stmt_text(st, 2) ? rp_stmt_text(st, 2) : "");
        n++;
    }
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        free(got);
        return rc;
    }
    rc = RP_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        rp_error e = RP_ERROR_INIT;
        rc = wh_party_link_add(L->w, got[i].from, to, got[i].kind, *got[i].since ? got[i].since : NULL, &e);
        if (rc == RP_EXISTS || rc == RP_INVAL)
            rc = RP_OK;
        else if (rc)
            rc = rp_err(err, rc, "%s", rp_errmsg(&e));
    }
    free(got);
    return rc;
}
