/* audit.c — the audit trail, for auditors.  See api.h. */
#include "api/internal.h"

#include <stdint.h>

int api_audit_list(api_req *rq, api_resp *rs)
{
    sec_audit_filter f = { .since = api_query(rq, "since"), .until = api_query(rq, "until"),
                           .user = api_query(rq, "user"), .action = api_query(rq, "action") };
    int ok = 1;
    const char *c = api_query(rq, "customer");
    if (c)
        f.customer = api_int(c, 1, INT64_MAX, &ok);
    if (!ok)
        return api_error(rs, 422, "invalid", "customer: a customer id");
    int st;
    if ((st = api_limit(rq, rs, 100, 10000, &f.limit)))
        return st;
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    /* everything written so far, including what the journal still holds */
    if (api_audit_flush(rq, &err) || sec_audit_query(wh_store(rq->w), &f, &a, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "entries", a));
}
