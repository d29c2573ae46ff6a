/* listing.c — load jobs and rejects for people: listed as JSON (`rapport
 * jobs`, `rapport rejects` and the API) or as CSV, and rejects dismissed.
 * See etl.h. */
#include "core/csv.h"
#include "core/json.h"
#include "core/rtime.h"
#include "core/utf8.h"
#include "etl/load_internal.h"
#include "security/security.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LD_X_(value, zh, en) value,
const char *const ld_job_statuses[] = { LD_JOB_STATUSES(LD_X_) NULL };
#undef LD_X_

int ld_job_status_ok(const char *s)
{
    for (int i = 0; s && ld_job_statuses[i]; i++)
        if (!strcmp(s, ld_job_statuses[i]))
            return 1;
    return 0;
}

/* A job's status as shown: one stored as running whose process is gone, or
 * that Ctrl-C stopped (finished_at set), is interrupted (ld__job_live). */
static const char *shown_status(rp_stmt *st, int *gone)
{
    const char *status = rp_stmt_text(st, 1);
    *gone = status && !strcmp(status, "running") &&
            !ld__job_live(rp_stmt_text(st, 15), rp_stmt_int(st, 16), rp_stmt_text(st, 17),
                          rp_stmt_text(st, 10) != NULL);
    return *gone ? "interrupted" : status;
}

/* Text of a row as JSON: printable (core/utf8.h), whatever a file put in it. */
static void set_text(json_t *o, const char *key, const char *v)
{
    if (!v || rp_utf8_is_printable(v, strlen(v))) {
        rp_json_set_str(o, key, v);
        return;
    }
    char *p = rp_utf8_printable_dup(v);
    rp_json_set_str(o, key, p ? p : "");
    free(p);
}

static json_t *job_json(rp_stmt *st)
{
    int gone;
    double secs = rp_stmt_real(st, 8);
    int64_t recs = rp_stmt_int(st, 4);
    json_t *o = json_object();
    json_object_set_new(o, "job", json_integer(rp_stmt_int(st, 0)));
    json_object_set_new(o, "status", json_string(shown_status(st, &gone)));
    set_text(o, "spec", rp_stmt_text(st, 2));
    set_text(o, "file", rp_stmt_text(st, 3));
    json_object_set_new(o, "records", json_integer(recs));
    json_object_set_new(o, "loaded", json_integer(rp_stmt_int(st, 5)));
    json_object_set_new(o, "fixed", json_integer(rp_stmt_int(st, 6)));
    json_object_set_new(o, "rejected", json_integer(rp_stmt_int(st, 7)));
    json_object_set_new(o, "seconds", json_real(secs));
    json_object_set_new(o, "records_per_second", json_real(secs > 0 ? (double)recs / secs : 0));
    rp_json_set_str(o, "started_at", rp_stmt_text(st, 9));
    rp_json_set_str(o, "finished_at", rp_stmt_text(st, 10));
    set_text(o, "started_by", rp_stmt_text(st, 11));
    const char *msg = rp_stmt_text(st, 12);
    if (gone && (!msg || !*msg)) {
        char m[300];
        snprintf(m, sizeof m, "interrupted: its process (%lld%s%s) ended before the job did; the last committed "
                 "batch ends at record %lld: load the same file again to go on from there",
                 (long long)rp_stmt_int(st, 16), rp_stmt_text(st, 15) ? " on " : "",
                 rp_stmt_text(st, 15) ? rp_stmt_text(st, 15) : "", (long long)recs);
        set_text(o, "message", m);
    } else {
        set_text(o, "message", msg);
    }
    json_object_set_new(o, "bytes", json_integer(rp_stmt_int(st, 13)));
    rp_json_set_str(o, "sha256", rp_stmt_text(st, 14));
    return o;
}

int ld_jobs_list(wh *w, const char *status, int64_t one, int limit, json_t **out, rp_error *err)
{
    if (status && !ld_job_status_ok(status))
        return rp_err(err, RP_INVAL, "status: '%s' is not one of running, done, failed, interrupted", status);
    /* running and interrupted are both stored as running: told apart here,
     * after the query (the running jobs are few), so the limit too */
    int live = status && (!strcmp(status, "running") || !strcmp(status, "interrupted"));
    if (limit <= 0)
        limit = 50;
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT id, status, coalesce(spec, source), file, records, rows_loaded, rows_fixed, "
                              "rows_rejected, seconds, started_at, finished_at, started_by, message, bytes, "
                              "fingerprint, host, pid, pid_start FROM load_job WHERE (?1 IS NULL OR status = ?1) "
                              "AND (?2 = 0 OR id = ?2) ORDER BY id DESC LIMIT ?3",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, live ? "running" : status);
    rp_stmt_bind_int(st, 2, one);
    rp_stmt_bind_int(st, 3, live ? INT32_MAX : limit);
    json_t *arr = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        int gone;
        if (live && (strcmp(shown_status(st, &gone), status) || json_array_size(arr) >= (size_t)limit))
            continue;
        json_array_append_new(arr, job_json(st));
    }
    rp_stmt_done(st);
    /* one job: what it rejected and fixed, rule by rule */
    if (rc == RP_DONE && one && json_array_size(arr) &&
        (rc = rp_store_prepare(wh_store(w),
                               "SELECT outcome, rule, field, count FROM load_rule WHERE job_id = ? "
                               "ORDER BY outcome DESC, count DESC, rule, field",
                               &st, err)) == RP_OK) {
        rp_stmt_bind_int(st, 1, one);
        json_t *rules = json_array();
        while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
            json_t *o = json_object();
            rp_json_set_str(o, "outcome", rp_stmt_text(st, 0));
            rp_json_set_str(o, "rule", rp_stmt_text(st, 1));
            rp_json_set_str(o, "field", rp_stmt_text(st, 2));
            json_object_set_new(o, "count", json_integer(rp_stmt_int(st, 3)));
            json_array_append_new(rules, o);
        }
        rp_stmt_done(st);
        json_object_set_new(json_array_get(arr, 0), "rules", rules);
    }
    if (rc != RP_DONE) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return RP_OK;
}

int ld_jobs_count(wh *w, ld_jobs_tally *out, rp_error *err)
{
    memset(out, 0, sizeof *out);
    rp_stmt *st;
    /* a job stored as running is told from an interrupted one by its process: those rows one by one */
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT status, count(*), max(finished_at), NULL, NULL, NULL, NULL FROM load_job "
                              "WHERE status <> 'running' GROUP BY status UNION ALL "
                              "SELECT status, 1, finished_at, host, pid, pid_start, finished_at IS NOT NULL "
                              "FROM load_job WHERE status = 'running'",
                              &st, err);
    if (rc)
        return rc;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        const char *status = rp_stmt_text(st, 0);
        if (status && !strcmp(status, "running") &&
            !ld__job_live(rp_stmt_text(st, 3), rp_stmt_int(st, 4), rp_stmt_text(st, 5), (int)rp_stmt_int(st, 6)))
            status = "interrupted";
        for (int i = 0; status && i < 4; i++)
            if (!strcmp(status, ld_job_statuses[i]))
                out->by_status[i] += rp_stmt_int(st, 1);
        int64_t *last = !status ? NULL : !strcmp(status, "done") ? &out->last_done
                                       : !strcmp(status, "failed") ? &out->last_failed : NULL;
        rp_error e2 = RP_ERROR_INIT;
        if (last && rp_stmt_text(st, 2) && rp_time_parse(rp_stmt_text(st, 2), last, &e2))
            *last = 0;
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

/* Rejects are kept masked (privacy.c); one kept in clear before migration
 * 0013, not yet sealed, is scrubbed on its way out. */
static void clear_masked(int clear, const char *v, char *out, size_t n)
{
    if (clear)
        sec_scrub(v, out, n);
    else
        snprintf(out, n, "%s", v);
}

/* One reject of a page's query, as shown: printable, masked (clear_masked). */
typedef struct reject_shown {
    int64_t job, record, offset, resolved_by;
    const char *c[10];
    char value[512], message[1024];
} reject_shown;

static void reject_read(rp_stmt *st, reject_shown *r)
{
    for (int i = 0; i < 10; i++)
        r->c[i] = rp_stmt_text(st, i) ? rp_stmt_text(st, i) : "";
    r->job = rp_stmt_int(st, 0);
    r->record = rp_stmt_int(st, 2);
    r->offset = rp_stmt_int(st, 3);
    r->resolved_by = rp_stmt_int(st, 9);
    clear_masked((int)rp_stmt_int(st, 10), r->c[5], r->value, sizeof r->value);
    clear_masked((int)rp_stmt_int(st, 10), r->c[7], r->message, sizeof r->message);
}

static json_t *reject_json(const reject_shown *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "job", json_integer(r->job));
    set_text(o, "file", r->c[1]);
    json_object_set_new(o, "record", json_integer(r->record));
    json_object_set_new(o, "offset", json_integer(r->offset));
    set_text(o, "field", r->c[4]);
    set_text(o, "value", r->value);
    set_text(o, "rule", r->c[6]);
    set_text(o, "message", r->message);
    json_object_set_new(o, "status", json_string(r->c[8]));
    if (r->resolved_by)
        json_object_set_new(o, "resolved_by_job", json_integer(r->resolved_by));
    return o;
}

/* A page's query, prepared and bound: one job's rejects by record, or every
 * job's by (job, record), from the cursor on, so that the key's index gives
 * the page's first row at once. */
static int page_select(wh *w, const ld_rejects_filter *f, const ld_reject_at *at, int limit, rp_stmt **st,
                       rp_error *err)
{
    int rc = rp_store_prepare(wh_store(w),
                              f->job ? "SELECT job_id, file, record, \"offset\", field, value, rule, message, status, "
                                       "resolved_by_job, sealed IS NULL FROM reject WHERE job_id = ?1 AND "
                                       "(?2 IS NULL OR rule = ?2) AND (?3 IS NULL OR status = ?3) AND record > ?5 "
                                       "ORDER BY record LIMIT ?6"
                                     : "SELECT job_id, file, record, \"offset\", field, value, rule, message, status, "
                                       "resolved_by_job, sealed IS NULL FROM reject WHERE ?1 = 0 AND "
                                       "(?2 IS NULL OR rule = ?2) AND (?3 IS NULL OR status = ?3) AND "
                                       "(job_id, record) > (?4, ?5) ORDER BY job_id, record LIMIT ?6",
                              st, err);
    if (rc)
        return rc;
    int later = f->job && at->job != f->job; /* a cursor of another job: that job from its start */
    rp_stmt_bind_int(*st, 1, f->job);
    rp_stmt_bind_text(*st, 2, f->rule);
    rp_stmt_bind_text(*st, 3, f->status);
    rp_stmt_bind_int(*st, 4, at->job);
    rp_stmt_bind_int(*st, 5, later ? (at->job > f->job ? INT64_MAX : -1) : at->record);
    rp_stmt_bind_int(*st, 6, limit > 0 ? limit : 1000);
    return RP_OK;
}

int ld_rejects_page(wh *w, const ld_rejects_filter *f, ld_reject_at *at, int limit, json_t *out, rp_error *err)
{
    rp_stmt *st;
    int rc = page_select(w, f, at, limit, &st, err);
    if (rc)
        return rc;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        reject_shown r;
        reject_read(st, &r);
        json_array_append_new(out, reject_json(&r));
        at->job = r.job;
        at->record = r.record;
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

int ld_rejects_count(wh *w, const ld_rejects_filter *f, int64_t *total, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              f->job ? "SELECT count(*) FROM reject WHERE job_id = ?1 AND (?2 IS NULL OR rule = ?2) "
                                       "AND (?3 IS NULL OR status = ?3)"
                                     : "SELECT count(*) FROM reject WHERE ?1 = 0 AND (?2 IS NULL OR rule = ?2) "
                                       "AND (?3 IS NULL OR status = ?3)",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, f->job);
    rp_stmt_bind_text(st, 2, f->rule);
    rp_stmt_bind_text(st, 3, f->status);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        *total = rp_stmt_int(st, 0);
        rc = RP_OK;
    }
    rp_stmt_done(st);
    return rc;
}

static const char *const csv_columns[] = { "job", "file", "record", "offset", "field",
                                           "value", "rule", "message", "status" };

void ld_rejects_csv_header(rp_buf *out)
{
    for (int i = 0; i < 9; i++)
        rp_csv_field(out, csv_columns[i], strlen(csv_columns[i]), i == 0);
    rp_csv_end_row(out);
}

/* A field of a listing: printable (core/utf8.h), shown, never obeyed. */
static void csv_text(rp_buf *out, const char *t, int first)
{
    char *shown = NULL;
    if (!rp_utf8_is_printable(t, strlen(t)) && (shown = rp_utf8_printable_dup(t)))
        t = shown;
    rp_csv_field(out, t, strlen(t), first);
    free(shown);
}

int ld_rejects_csv_page(wh *w, const ld_rejects_filter *f, ld_reject_at *at, int limit, rp_buf *out, int *n,
                        rp_error *err)
{
    rp_stmt *st;
    *n = 0;
    int rc = page_select(w, f, at, limit, &st, err);
    if (rc)
        return rc;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        reject_shown r;
        reject_read(st, &r);
        char num[3][24];
        snprintf(num[0], sizeof num[0], "%lld", (long long)r.job);
        snprintf(num[1], sizeof num[1], "%lld", (long long)r.record);
        snprintf(num[2], sizeof num[2], "%lld", (long long)r.offset);
        const char *row[9] = { num[0], r.c[1], num[1], num[2], r.c[4], r.value, r.c[6], r.message, r.c[8] };
        for (int i = 0; i < 9; i++)
            csv_text(out, row[i], i == 0);
        rp_csv_end_row(out);
        at->job = r.job;
        at->record = r.record;
        (*n)++;
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

int ld_rejects_list(wh *w, int64_t job, const char *rule, const char *status, int limit, json_t **out,
                    rp_error *err)
{
    ld_rejects_filter f = { .job = job, .rule = rule, .status = status };
    ld_reject_at at = { 0, 0 };
    json_t *arr = json_array();
    int rc = ld_rejects_page(w, &f, &at, limit > 0 ? limit : 1000, arr, err);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return RP_OK;
}

int ld_rejects_csv(wh *w, int64_t job, FILE *f, int header, rp_error *err)
{
    rp_buf b = RP_BUF_INIT;
    if (header) {
        const char *h[] = { "file", "record", "offset", "field", "value", "rule", "message" };
        for (int i = 0; i < 7; i++)
            rp_csv_field(&b, h[i], strlen(h[i]), i == 0);
        rp_csv_end_row(&b);
    }
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT file, record, \"offset\", field, value, rule, message, sealed IS NULL FROM reject "
                              "WHERE job_id = ? ORDER BY record",
                              &st, err);
    if (!rc) {
        rp_stmt_bind_int(st, 1, job);
        while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
            for (int i = 0; i < 7; i++) {
                const char *t = rp_stmt_text(st, i);
                char m[1024], *shown = NULL;
                if (t && (i == 4 || i == 6)) {
                    clear_masked(rp_stmt_int(st, 7), t, m, sizeof m);
                    t = m;
                }
                if (t && !rp_utf8_is_printable(t, strlen(t)) && (shown = rp_utf8_printable_dup(t)))
                    t = shown; /* a listing: shown, never obeyed */
                rp_csv_field(&b, t ? t : "", t ? strlen(t) : 0, i == 0);
                free(shown);
            }
            rp_csv_end_row(&b);
            if (b.len > (1 << 20)) {
                fwrite(b.data, 1, b.len, f);
                rp_buf_reset(&b);
            }
        }
        rp_stmt_done(st);
        rc = rc == RP_DONE ? RP_OK : rc;
    }
    if (b.len)
        fwrite(b.data, 1, b.len, f);
    rp_buf_release(&b);
    if (!rc && ferror(f))
        rc = rp_err(err, RP_IO, "cannot write the rejects: %s", strerror(errno));
    return rc;
}

int ld_rejects_dismiss(wh *w, int64_t job, int64_t record, const char *rule, const char *reason, const char *by,
                       int64_t *n, rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    rp_stmt *st;
    *n = 0;
    int rc;
    if ((rc = wh_begin(w, err)))
        return rc;
    if (!(rc = rp_store_prepare(wh_store(w),
                                "UPDATE reject SET status = 'dismissed', resolved_at = ?, resolved_by = ?, note = ? "
                                "WHERE job_id = ? AND status = 'open' AND (? = 0 OR record = ?) AND (? IS NULL OR rule = ?)",
                                &st, err))) {
        rp_stmt_bind_text(st, 1, now);
        rp_stmt_bind_text(st, 2, by);
        rp_stmt_bind_text(st, 3, reason);
        rp_stmt_bind_int(st, 4, job);
        rp_stmt_bind_int(st, 5, record);
        rp_stmt_bind_int(st, 6, record);
        rp_stmt_bind_text(st, 7, rule);
        rp_stmt_bind_text(st, 8, rule);
        if (!(rc = rp_stmt_run(st, err))) {
            *n = rp_store_changes(wh_store(w));
            rc = wh_commit(w, err);
        }
    }
    if (rc)
        wh_rollback(w);
    return rc;
}
