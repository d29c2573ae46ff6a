/* resubmit.c — rejected records out to a file, corrected records back in.
 * See etl.h. */
#include "core/rtime.h"
#include "etl/load_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct job_info {
    char *spec_text, *path;
    void *header;
    size_t header_len;
} job_info;

static void job_info_free(job_info *j)
{
    free(j->spec_text);
    free(j->path);
    free(j->header);
}

static int job_info_get(wh *w, int64_t job, job_info *j, rp_error *err)
{
    memset(j, 0, sizeof *j);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "SELECT spec_text, path, header FROM load_job WHERE id = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, job);
    rc = rp_stmt_step(st, err);
    if (rc == RP_ROW) {
        const char *t = rp_stmt_text(st, 0), *p = rp_stmt_text(st, 1);
        j->spec_text = t ? strdup(t) : NULL;
        j->path = strdup(p ? p : ".");
        j->header_len = rp_stmt_bytes(st, 2);
        if (j->header_len && (j->header = malloc(j->header_len)))
            memcpy(j->header, rp_stmt_blob(st, 2), j->header_len);
    }
    rp_stmt_done(st);
    if (rc == RP_DONE)
        return rp_err(err, RP_NOTFOUND, "no job %lld", (long long)job);
    if (rc != RP_ROW)
        return rc;
    if (!j->spec_text) {
        job_info_free(j);
        return rp_err(err, RP_INVAL, "job %lld was not a load with a spec (an import?); it has no rejects to re-submit",
                      (long long)job);
    }
    return RP_OK;
}

/* The job's row and its spec as it was read (copybooks from beside its file). */
static int job_open(wh *w, int64_t job, job_info *j, sp_spec **out, rp_error *err)
{
    int rc = job_info_get(w, job, j, err);
    if (rc)
        return rc;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", j->path);
    char what[64];
    snprintf(what, sizeof what, "of job %lld", (long long)job);
    if ((rc = sp_spec_parse(j->spec_text, strlen(j->spec_text), what, NULL, dirname(dir), out, err)))
        job_info_free(j);
    else if ((*out)->nsegments) { /* a detail alone would lose its header */
        rc = rp_err(err, RP_INVAL, "job %lld read a file of segments (its details see their header): correct the "
                    "file itself and load it again (--force)", (long long)job);
        sp_spec_free(*out);
        *out = NULL;
        job_info_free(j);
    }
    return rc;
}

int ld_rejects_export(wh *w, int64_t job, const char *path, int64_t *n, rp_error *err)
{
    job_info j;
    sp_spec *s = NULL;
    int rc = job_open(w, job, &j, &s, err);
    if (rc)
        return rc;
    /* the records hold personal data: the file is the user's alone */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        rc = rp_err(err, RP_IO, "%s: cannot write: %s", path, strerror(errno));
        goto out;
    }
    int binary = s->format == SPF_RDW || s->format == SPF_FIXED;
    if (j.header_len) {
        fwrite(j.header, 1, j.header_len, f);
        fputc('\n', f);
    }
    rp_stmt *st;
    *n = 0;
    rp_buf b = RP_BUF_INIT;
    if (!(rc = rp_store_prepare(wh_store(w),
                                "SELECT sealed, value, message, raw FROM reject WHERE job_id = ? AND status = 'open' "
                                "ORDER BY record",
                                &st, err))) {
        rp_stmt_bind_int(st, 1, job);
        while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
            ld_reject_plain p;
            rp_buf_reset(&b);
            if ((rc = ld__reject_plain(w, st, 0, &b, &p, err)))
                break;
            size_t len = p.rawn;
            const unsigned char *raw = p.raw;
            if (s->format == SPF_RDW) {
                unsigned char rdw[4] = { (unsigned char)((len + 4) >> 8), (unsigned char)((len + 4) & 0xFF), 0, 0 };
                fwrite(rdw, 1, 4, f);
            }
            if (len)
                fwrite(raw, 1, len, f);
            if (!binary)
                fputc('\n', f);
            (*n)++;
        }
        rp_stmt_done(st);
        rc = rc == RP_DONE ? RP_OK : rc;
    }
    sodium_memzero(b.data, b.len);
    rp_buf_release(&b);
    if (fclose(f) != 0 && !rc)
        rc = rp_err(err, RP_IO, "%s: cannot write: %s", path, strerror(errno));
out:
    sp_spec_free(s);
    job_info_free(&j);
    return rc;
}

int ld_resubmit(wh *w, int64_t job, const char *file, const ld_options *o, ld_result *r, rp_error *err)
{
    job_info j;
    sp_spec *s = NULL;
    int rc = job_open(w, job, &j, &s, err);
    if (rc)
        return rc;
    char tmp[] = "/tmp/rapport-resubmit-XXXXXX";
    int made = 0;
    /* the open rejects, in the order an export lists them */
    int64_t *ids = NULL, nids = 0, cap = 0;
    rp_stmt *st;
    if ((rc = rp_store_prepare(wh_store(w), "SELECT id FROM reject WHERE job_id = ? AND status = 'open' ORDER BY record",
                               &st, err)))
        goto out;
    rp_stmt_bind_int(st, 1, job);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        if (nids == cap) {
            cap = cap ? cap * 2 : 256;
            int64_t *ni = realloc(ids, (size_t)cap * sizeof *ni);
            if (!ni) {
                rc = rp_err(err, RP_NOMEM, NULL);
                break;
            }
            ids = ni;
        }
        ids[nids++] = rp_stmt_int(st, 0);
    }
    rp_stmt_done(st);
    if (rc != RP_DONE)
        goto out;
    if (!nids) {
        rc = rp_err(err, RP_NOTFOUND, "job %lld has no open rejects", (long long)job);
        goto out;
    }
    if (!file) {
        int fd = mkstemp(tmp);
        if (fd < 0) {
            rc = rp_err(err, RP_IO, "cannot make a temporary file: %s", strerror(errno));
            goto out;
        }
        close(fd);
        made = 1;
        int64_t n;
        if ((rc = ld_rejects_export(w, job, tmp, &n, err)))
            goto out;
        file = tmp;
    }
    ld_options lo = *o;
    char label[300];
    snprintf(label, sizeof label, "%s (re-submitting job %lld)", made ? "rejected records" : file, (long long)job);
    lo.label = label;
    lo.resubmit_of = job;
    lo.force = 1;
    if ((rc = ld_load(w, s, file, &lo, r, err)))
        goto out;
    /* the record numbers of the new file follow the export's order */
    int aligned = r->records == nids;
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    if ((rc = wh_begin(w, err)))
        goto out;
    for (int64_t i = 0; i < nids && !rc; i++) {
        if (!(rc = rp_store_prepare(wh_store(w),
                                    "UPDATE reject SET status = CASE WHEN ?1 = 0 OR EXISTS (SELECT 1 FROM reject n "
                                    "WHERE n.job_id = ?2 AND n.record = ?3) THEN 'resubmitted' ELSE 'loaded' END, "
                                    "resolved_by_job = ?2, resolved_at = ?4 WHERE id = ?5",
                                    &st, err))) {
            rp_stmt_bind_int(st, 1, aligned);
            rp_stmt_bind_int(st, 2, r->job);
            rp_stmt_bind_int(st, 3, i + 1);
            rp_stmt_bind_text(st, 4, now);
            rp_stmt_bind_int(st, 5, ids[i]);
            rc = rp_stmt_run(st, err);
        }
    }
    if (rc || (rc = wh_commit(w, err)))
        wh_rollback(w);
out:
    if (rc) {
        char what[64];
        snprintf(what, sizeof what, "re-submitting job %lld", (long long)job);
        ld__hide_store_words(err, what);
    }
    if (made)
        unlink(tmp);
    free(ids);
    sp_spec_free(s);
    job_info_free(&j);
    return rc;
}
