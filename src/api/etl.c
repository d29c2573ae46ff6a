/* etl.c — the data steward's routes: load jobs, rejects, and the pairs of
 * source records a person decides (identity resolution).  See api.h. */
#include "api/internal.h"
#include "core/json.h"
#include "etl/etl.h"
#include "match/match.h"

#include <stdint.h>
#include <stdio.h>
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

int api_rejects_list(api_req *rq, api_resp *rs)
{
    const char *job = api_query(rq, "job"), *status = api_query(rq, "status");
    int ok = 1;
    int64_t j = job ? api_int(job, 1, INT64_MAX, &ok) : 0;
    if (!ok)
        return api_error(rs, 422, "invalid", "job: a job number");
    int limit, st;
    if ((st = api_limit(rq, rs, 1000, 10000, &limit)))
        return st;
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    snprintf(rq->detail, sizeof rq->detail, "job=%lld rule=%.40s status=%.20s", (long long)j,
             api_query(rq, "rule") ? api_query(rq, "rule") : "", status ? status : "open");
    if (ld_rejects_list(rq->w, j, api_query(rq, "rule"), status ? status : "open", (int)limit, &a, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "rejects", a));
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
