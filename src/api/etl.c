/* etl.c — the data steward's routes: load jobs, rejects, the pairs of
 * source records a person decides (identity resolution), and a new host
 * file's copybook and spec tried on a sample before its first load.  See
 * api.h. */
#include "api/internal.h"
#include "core/json.h"
#include "etl/etl.h"
#include "match/match.h"

#include <errno.h>
#include <sodium.h>
#include <unistd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(MT_NOTE_MAX <= SEC_AUDIT_FIELD_MAX, "the audit trail keeps a decision's note whole");

int api_jobs_list(api_req *rq, api_resp *rs)
{
    const char *status = api_query(rq, "status");
    int limit, st;
    if ((st = api_limit(rq, rs, 50, 10000, &limit)))
        return st;
    if (status && !ld_job_status_ok(status))
        return api_error(rs, 422, "invalid", "status: running, done, failed or interrupted");
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    if (ld_jobs_list(rq->w, status, 0, (int)limit, &a, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "jobs", a));
}

int api_job_get(api_req *rq, api_resp *rs)
{
    int ok;
    int64_t id = api_int(rq->param[0], 1, INT64_MAX, &ok);
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    if (!ok)
        return api_error(rs, 404, "not_found", "no job '%s'", rq->param[0]);
    if (ld_jobs_list(rq->w, NULL, id, 1, &a, &err))
        return api_fail(rs, &err);
    if (!json_array_size(a)) {
        json_decref(a);
        return api_error(rs, 404, "not_found", "no job %lld", (long long)id);
    }
    json_t *j = json_incref(json_array_get(a, 0));
    json_decref(a);
    return api_ok(rs, j);
}

/* The listing's and the export's filter: job=, rule=, status= (open by default; all: every status).
 * 0, or the reply's status (422 naming the argument). */
static int rejects_filter(api_req *rq, api_resp *rs, ld_rejects_filter *f)
{
    static const char *const statuses[] = { "open", "loaded", "resubmitted", "dismissed", "all", NULL };
    const char *job = api_query(rq, "job"), *status = api_query(rq, "status"), *rule = api_query(rq, "rule");
    int ok = 1;
    f->job = job ? api_int(job, 1, INT64_MAX, &ok) : 0;
    if (!ok)
        return api_error(rs, 422, "invalid", "job: a job number");
    char msg[200];
    if (status && !api_one_of(status, statuses, msg, sizeof msg))
        return api_error(rs, 422, "invalid", "status: %s", msg);
    if (rule && strlen(rule) > 100)
        return api_error(rs, 422, "invalid", "rule: at most 100 bytes");
    f->rule = rule;
    f->status = !status ? "open" : strcmp(status, "all") ? status : NULL;
    snprintf(rq->detail, sizeof rq->detail, "job=%lld rule=%.40s status=%.20s", (long long)f->job, rule ? rule : "",
             status ? status : "open");
    return 0;
}

/* after=: the cursor of the page before, "JOB.RECORD" as the listing's next gave it. */
static int rejects_after(api_req *rq, api_resp *rs, ld_reject_at *at)
{
    const char *a = api_query(rq, "after");
    long long j, r;
    int n = 0;
    at->job = at->record = 0;
    if (!a)
        return 0;
    if (sscanf(a, "%lld.%lld%n", &j, &r, &n) != 2 || a[n] || j < 0 || r < 0)
        return api_error(rs, 422, "invalid", "after: a cursor as the listing's next gave it (JOB.RECORD)");
    at->job = j;
    at->record = r;
    return 0;
}

int api_rejects_list(api_req *rq, api_resp *rs)
{
    ld_rejects_filter f;
    ld_reject_at at;
    int limit, st;
    if ((st = rejects_filter(rq, rs, &f)) || (st = rejects_after(rq, rs, &at)) ||
        (st = api_limit(rq, rs, 1000, 10000, &limit)))
        return st;
    json_t *a = json_array();
    int64_t total = 0;
    rp_error err = RP_ERROR_INIT;
    /* one more than asked says whether a page follows */
    if (ld_rejects_page(rq->w, &f, &at, limit + 1, a, &err) || ld_rejects_count(rq->w, &f, &total, &err)) {
        json_decref(a);
        return api_fail(rs, &err);
    }
    json_t *next = json_null();
    if (json_array_size(a) > (size_t)limit) {
        json_array_remove(a, (size_t)limit);
        json_t *last = json_array_get(a, (size_t)limit - 1);
        char c[48];
        snprintf(c, sizeof c, "%lld.%lld", (long long)json_integer_value(json_object_get(last, "job")),
                 (long long)json_integer_value(json_object_get(last, "record")));
        next = json_string(c);
    }
    size_t len = strlen(rq->detail);
    snprintf(rq->detail + len, sizeof rq->detail - len, ": %zu of %lld", json_array_size(a), (long long)total);
    return api_ok(rs, json_pack("{s:o, s:I, s:o}", "rejects", a, "total", (json_int_t)total, "next", next));
}

/* ---- the export, streamed: every reject the filter selects ---- */

#define EXPORT_PAGE 500

typedef struct rejects_export {
    ld_rejects_filter f;
    ld_reject_at at;
    char rule[104], status[16];
    int64_t left;              /* as counted and audited: never more leaves */
    int started;
} rejects_export;

static int rejects_more(void *state, wh *w, rp_buf *out, rp_error *err)
{
    rejects_export *x = state;
    if (!x->started) {
        rp_buf_append(out, "\xEF\xBB\xBF", 3); /* a byte-order mark: Excel then reads the UTF-8 as such */
        ld_rejects_csv_header(out);
        x->started = 1;
    }
    if (x->left <= 0)
        return API_STREAM_END;
    int want = x->left < EXPORT_PAGE ? (int)x->left : EXPORT_PAGE, n;
    int rc = ld_rejects_csv_page(w, &x->f, &x->at, want, out, &n, err);
    if (rc)
        return rc;
    x->left -= n;
    return n < want ? API_STREAM_END : RP_OK;
}

int api_rejects_export(api_req *rq, api_resp *rs)
{
    rejects_export *x = calloc(1, sizeof *x);
    if (!x)
        return api_error(rs, 500, "internal", "something went wrong on the server; it has been logged");
    int st = rejects_filter(rq, rs, &x->f);
    rp_error err = RP_ERROR_INIT;
    if (!st && ld_rejects_count(rq->w, &x->f, &x->left, &err))
        st = api_fail(rs, &err);
    if (st) {
        free(x);
        return st;
    }
    /* the query's strings are the connection's: the export keeps its own */
    snprintf(x->rule, sizeof x->rule, "%s", x->f.rule ? x->f.rule : "");
    snprintf(x->status, sizeof x->status, "%s", x->f.status ? x->f.status : "");
    x->f.rule = x->f.rule ? x->rule : NULL;
    x->f.status = x->f.status ? x->status : NULL;
    size_t len = strlen(rq->detail);
    snprintf(rq->detail + len, sizeof rq->detail - len, ": %lld rejects exported", (long long)x->left);
    char name[64];
    if (x->f.job)
        snprintf(name, sizeof name, "rejects-job%lld.csv", (long long)x->f.job);
    else
        snprintf(name, sizeof name, "rejects.csv");
    return api_stream_reply(rq, rs, "text/csv; charset=utf-8", name, rejects_more, free, x);
}

int api_reject_reveal(api_req *rq, api_resp *rs)
{
    int ok1, ok2, st = api_reason(rq, rs, NULL);
    if (st)
        return st;
    int64_t job = api_int(rq->param[0], 1, INT64_MAX, &ok1), record = api_int(rq->param[1], 1, INT64_MAX, &ok2);
    if (!ok1 || !ok2)
        return api_error(rs, 404, "not_found", "no reject %s of job %s", rq->param[1], rq->param[0]);
    snprintf(rq->detail, sizeof rq->detail, "job %lld record %lld", (long long)job, (long long)record);
    json_t *r;
    rp_error err = RP_ERROR_INIT;
    if (ld_reject_reveal(rq->w, job, record, &r, &err))
        return api_fail(rs, &err);
    return api_ok(rs, r);
}

int api_matches_list(api_req *rq, api_resp *rs)
{
    int limit, st;
    if ((st = api_limit(rq, rs, 100, 10000, &limit)))
        return st;
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    if (mt_review_list(rq->w, (int)limit, &a, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "pairs", a));
}

int api_match_decide(api_req *rq, api_resp *rs)
{
    int ok;
    int64_t pair = api_int(rq->param[0], 1, INT64_MAX, &ok);
    if (!ok)
        return api_error(rs, 404, "not_found", "no pair '%s'", rq->param[0]);
    static const char *const keys[] = { "accept", "note", NULL };
    int accept;
    const char *note = NULL;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_bool(rq->body, "body", "accept", 1, &accept, &err) ||
        rp_json_get_str(rq->body, "body", "note", 0, &note, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    int st = api_body_max(rs, "note", note, MT_NOTE_MAX);
    if (st)
        return st;
    if (mt_decide(rq->w, pair, accept, rq->session.user.name, note, &err))
        return api_fail(rs, &err);
    char target[32];
    snprintf(target, sizeof target, "pair %lld", (long long)pair);
    sec_audit_entry e = { .user = rq->session.user.name, .address = rq->address,
                          .action = accept ? "match_accept" : "match_reject", .target = target, .reason = note };
    if (api_audit(rq, &e))
        return api_error(rs, 500, "audit", "the decision was kept, but the audit trail could not be written; it has been logged");
    return api_ok(rs, json_pack("{s:I, s:s, s:s}", "pair", (json_int_t)pair, "status", accept ? "accepted" : "rejected",
                                "applied", "at the next matching run"));
}

int api_match_sample(api_req *rq, api_resp *rs)
{
    const char *qs = api_query(rq, "size"), *qd = api_query(rq, "seed");
    int ok = 1;
    int64_t size = qs ? api_int(qs, 4, 10000, &ok) : 40;
    if (!ok)
        return api_error(rs, 422, "invalid", "query.size: a whole number from 4 to 10000");
    int64_t seed = qd ? api_int(qd, 0, INT64_MAX, &ok) : 1;
    if (!ok)
        return api_error(rs, 422, "invalid", "query.seed: a whole number");
    json_t *pairs;
    size_t links[MT_STRATA];
    rp_error err = RP_ERROR_INIT;
    if (mt_sample(rq->w, rq->opt->match ? &rq->opt->match->spec : NULL, (size_t)size, (uint64_t)seed, &pairs, links,
                  &err))
        return api_fail(rs, &err);
    json_t *l = json_object();
    for (int s = 0; s < MT_STRATA; s++)
        json_object_set_new(l, mt_stratum_name(s), json_integer((json_int_t)links[s]));
    return api_ok(rs, json_pack("{s:o, s:o}", "pairs", pairs, "links", l));
}

int api_match_estimate(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "labels", NULL }, *const item_keys[] = { "stratum", "stratum_links", "label", NULL };
    rp_error err = RP_ERROR_INIT;
    json_t *labels = json_object_get(rq->body, "labels");
    if (rp_json_check_keys(rq->body, "body", keys, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    if (!json_is_array(labels) || json_array_size(labels) > 100000)
        return api_error(rs, 422, "invalid", "body.labels: a list of up to 100,000 labelled pairs is needed");
    mt_estimate e;
    memset(&e, 0, sizeof e);
    size_t i;
    json_t *it;
    json_array_foreach(labels, i, it) {
        char path[48], why[300], num[32];
        snprintf(path, sizeof path, "body.labels[%zu]", i);
        const char *stratum = NULL, *label = "";
        json_t *links = json_object_get(it, "stratum_links");
        if (rp_json_check_keys(it, path, item_keys, &err) || rp_json_get_str(it, path, "stratum", 1, &stratum, &err) ||
            rp_json_get_str(it, path, "label", 0, &label, &err))
            return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
        if (!json_is_integer(links))
            return api_error(rs, 422, "invalid", "%s.stratum_links: a number of links is needed", path);
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(links));
        if (mt_estimate_add(&e, stratum, strlen(stratum), num, strlen(num), label ? label : "", label ? strlen(label) : 0,
                            why, sizeof why))
            return api_error(rs, 422, "invalid", "%s: %s", path, why);
    }
    mt_estimate_finish(&e);
    if (!e.total_labelled)
        return api_error(rs, 422, "invalid", "body.labels: no pair is labelled yet (label: same or different)");
    return api_ok(rs, mt_estimate_json(&e));
}

#define TRUTH_UPLOAD_MAX ((size_t)64 << 20)

/* body.spec, a matching specification to measure by (its blocks' recall), else the server's ([match] spec):
 * into o; 0, or the status of the answer given */
static int evaluate_spec(api_req *rq, api_resp *rs, mt_options *o)
{
    json_t *spec = json_object_get(rq->body, "spec");
    if (!spec || json_is_null(spec)) {
        if (rq->opt->match)
            *o = *rq->opt->match;
        else
            mt_options_default(o);
        return 0;
    }
    mt_options_default(o);
    if (!json_is_object(spec))
        return api_error(rs, 422, "invalid", "body.spec: a matching specification (an object) is needed");
    char *text = json_dumps(spec, JSON_COMPACT);
    rp_error err = RP_ERROR_INIT;
    int rc = text ? mt_spec_parse(text, strlen(text), "body.spec", &o->spec, &o->params, &err) : rp_err(&err, RP_NOMEM, NULL);
    free(text);
    if (!rc)
        return 0;
    /* "match spec body.spec: compare.name: ..." as a member path: body.spec.compare.name: ... */
    const char *m = rp_errmsg(&err), *pre = "match spec body.spec: ";
    if (strncmp(m, pre, strlen(pre)))
        return api_fail(rs, &err);
    m += strlen(pre);
    if (!strncmp(m, "spec", 4) && (m[4] == '.' || m[4] == ':'))
        m += 4; /* the document itself: body.spec */
    else if (!strncmp(m, "line ", 5))
        return api_error(rs, 422, "invalid", "body.spec: %s", m);
    return api_error(rs, 422, "invalid", "body.spec%s%s", *m == '.' || *m == ':' ? "" : ".", m);
}

int api_match_evaluate(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "truth", "spec", NULL };
    const char *truth = NULL;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) || rp_json_get_str(rq->body, "body", "truth", 1, &truth, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    mt_options mo;
    int sst = evaluate_spec(rq, rs, &mo);
    if (sst)
        return sst;
    int st = api_body_max(rs, "truth", truth, TRUTH_UPLOAD_MAX);
    if (st)
        return st;
    /* the reader reads files: the upload goes to one of its own, gone when measured */
    char path[512];
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/rapport-truth-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return api_error(rs, 500, "io", "the truth could not be kept for measuring");
    size_t n = strlen(truth), done = 0;
    while (done < n) {
        ssize_t k = write(fd, truth + done, n - done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        done += (size_t)k;
    }
    int ok = done == n;
    close(fd);
    mt_quality q;
    int rc = ok ? mt_evaluate(rq->w, path, &mo, &q, &err) : rp_err(&err, RP_IO, "the truth could not be kept for measuring");
    unlink(path);
    if (rc) {
        const char *m = rp_errmsg(&err);
        if (!strncmp(m, path, strlen(path))) /* the file's name is the upload's: body.truth */
            return api_error(rs, 422, "invalid", "body.truth%s", m + strlen(path));
        return api_fail(rs, &err);
    }
    json_t *j = mt_quality_json(&q);
    return api_ok(rs, j);
}

/* ---- a new file tried before its first load ---- */

#define COPYBOOK_UPLOAD_MAX ((size_t)256 << 10)

int api_copybook_layout(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "copybook", "name", NULL };
    const char *text = NULL, *name = "copybook";
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_str(rq->body, "body", "copybook", 1, &text, &err) ||
        rp_json_get_str(rq->body, "body", "name", 0, &name, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    int st;
    if ((st = api_body_max(rs, "copybook", text, COPYBOOK_UPLOAD_MAX)) || (st = api_body_max(rs, "name", name, 100)))
        return st;
    json_t *m;
    if (etl_copybook_map(text, name, &m, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    return api_ok(rs, m);
}

int api_load_preview(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "spec", "copybook", "sample", "records", NULL };
    const char *copybook = NULL, *sample64 = NULL;
    json_t *spec = NULL;
    json_int_t records = 10;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_str(rq->body, "body", "copybook", 0, &copybook, &err) ||
        rp_json_get_str(rq->body, "body", "sample", 1, &sample64, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    spec = json_object_get(rq->body, "spec");
    if (!json_is_object(spec))
        return api_error(rs, 422, "invalid", "body.spec: a spec document (an object) is needed");
    json_t *r = json_object_get(rq->body, "records");
    if (r && (!json_is_integer(r) || json_integer_value(r) < 1 || json_integer_value(r) > 1000))
        return api_error(rs, 422, "invalid", "body.records: a number of records from 1 to 1000");
    if (r)
        records = json_integer_value(r);
    int st = copybook ? api_body_max(rs, "copybook", copybook, COPYBOOK_UPLOAD_MAX) : 0;
    if (st)
        return st;
    size_t cap = strlen(sample64) / 4 * 3 + 3, len;
    unsigned char *sample = malloc(cap ? cap : 1);
    char *text = json_dumps(spec, JSON_COMPACT);
    if (!sample || !text) {
        free(sample);
        free(text);
        return api_error(rs, 500, "memory", "out of memory");
    }
    if (sodium_base642bin(sample, cap, sample64, strlen(sample64), " \r\n", &len, NULL, sodium_base64_VARIANT_ORIGINAL)) {
        free(sample);
        free(text);
        return api_error(rs, 422, "invalid", "body.sample: not base64 (the file's first bytes, as they are)");
    }
    json_t *out;
    int rc = ld_preview_upload(text, strlen(text), copybook, sample, len, records, &out, &err);
    free(sample);
    free(text);
    if (rc)
        return rc == RP_NOMEM || rc == RP_IO ? api_fail(rs, &err) : api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    return api_ok(rs, json_pack("{s:o}", "records", out));
}
