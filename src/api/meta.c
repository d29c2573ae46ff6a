/* meta.c — the routes about the server and the API itself: health, this
 * API's document, and the vocabulary the web application's choices come
 * from.  /metrics is in server.c (it reads the server's counters).  See api.h. */
#include "api/internal.h"
#include "analytics/analytics.h"
#include "core/log.h"

int api_health(api_req *rq, api_resp *rs)
{
    (void)rq;
    return api_ok(rs, json_pack("{s:s}", "status", "ok"));
}

int api_openapi_get(api_req *rq, api_resp *rs)
{
    (void)rq;
    rp_error err = RP_ERROR_INIT;
    json_t *doc = api_openapi(&err);
    if (doc)
        return api_ok(rs, doc);
    /* a row of the table that does not describe itself; the unit tests make the document too */
    rp_log(RP_LOG_ERROR, "api: the OpenAPI document: %s", rp_errmsg(&err));
    return api_error(rs, 500, "internal", "something went wrong on the server; it has been logged");
}

/* Every closed list of values (warehouse.h, vocabulary) with its zh-TW and
 * English labels, and the analyses there are (analytics.h), as one more. */
int api_vocabulary(api_req *rq, api_resp *rs)
{
    (void)rq;
    json_t *v = wh_vocab_json();
    json_object_set_new(v, "analysis", an_jobs_json());
    return api_ok(rs, v);
}
