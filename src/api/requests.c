/* requests.c — changes to users waiting for a second administrator (four
 * eyes): listed, approved (the change is made) or rejected by another
 * administrator than the one who asked.  See security.h ("separation of
 * duties") and api.h. */
#include "api/internal.h"
#include "core/json.h"

#include <stdint.h>
#include <string.h>

int api_user_requests_list(api_req *rq, api_resp *rs)
{
    int limit, st;
    if ((st = api_limit(rq, rs, 200, 1000, &limit)))
        return st;
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    if (sec_user_requests(wh_store(rq->w), limit, &a, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "requests", a));
}

/* Approve or reject the request of the path, with note; audited as user_approve or user_reject, refusals too. */
static int decide(api_req *rq, api_resp *rs, int approve, const char *note)
{
    int ok;
    int64_t id = api_int(rq->param[0], 1, INT64_MAX, &ok);
    if (!ok)
        return api_error(rs, 404, "not_found", "no request '%s'", rq->param[0]);
    rp_error err = RP_ERROR_INIT;
    json_t *before = NULL, *after = NULL;
    if (sec_user_request_get(wh_store(rq->w), id, &before, &err))
        return api_fail(rs, &err);
    char what[160], detail[256];
    sec_user_request_text(before, what, sizeof what);
    snprintf(detail, sizeof detail, "request %lld: %s (asked by %s)", (long long)id, what,
             json_string_value(json_object_get(before, "requested_by")));
    int rc = sec_user_request_decide(wh_store(rq->w), id, approve, rq->session.user.name, note, &after, &err);
    sec_audit_entry e = { .user = rq->session.user.name, .address = rq->address,
                          .action = approve ? "user_approve" : "user_reject",
                          .target = json_string_value(json_object_get(before, "user")), .reason = note,
                          .outcome = !rc ? "ok" : rc == RP_DENIED ? "refused" : "failed", .detail = detail };
    int failed = api_audit(rq, &e);
    json_decref(before);
    if (rc)
        return api_fail(rs, &err);
    if (failed) {
        json_decref(after);
        return api_error(rs, 500, "audit", "the request was decided, but the audit trail could not be written; it has "
                                          "been logged");
    }
    return api_ok(rs, after);
}

int api_user_request_approve(api_req *rq, api_resp *rs) { return decide(rq, rs, 1, NULL); }

int api_user_request_reject(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "note", NULL };
    const char *note = NULL;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) || rp_json_get_str(rq->body, "body", "note", 0, &note, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    int st = api_body_max(rs, "note", note, SEC_NOTE_MAX);
    if (st)
        return st;
    return decide(rq, rs, 0, note);
}
