/* analyses.c — the analysis runs kept, for the dashboards.  See api.h. */
#include "analytics/analytics.h"
#include "api/internal.h"

#include <stdint.h>

int api_analyses_list(api_req *rq, api_resp *rs)
{
    const char *job = api_query(rq, "job");
    int limit, st;
    if ((st = api_limit(rq, rs, 50, 1000, &limit)))
        return st;
    json_t *list;
    rp_error err = RP_ERROR_INIT;
    if (an_run_list(wh_store(rq->w), job, (int)limit, &list, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "runs", list));
}

int api_analysis_get(api_req *rq, api_resp *rs)
{
    int ok;
    int64_t run = api_int(rq->param[0], 1, INT64_MAX, &ok);
    if (!ok)
        return api_error(rs, 404, "not_found", "no analysis run '%s'", rq->param[0]);
    json_t *sum;
    rp_error err = RP_ERROR_INIT;
    if (an_run_get(wh_store(rq->w), run, &sum, &err))
        return api_fail(rs, &err);
    return api_ok(rs, sum);
}
