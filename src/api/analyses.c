/* analyses.c — the analysis runs kept, for the dashboards.  See api.h. */
#include "analytics/analytics.h"
#include "api/internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The one filter a drill-down names (level, decile, cell, rf, type, grade or segment), or NULL with *many. */
static const char *cell_filter(api_req *rq, const char **value, int *many)
{
    static const char *const filters[] = { "level", "decile", "cell", "rf", "type", "grade", "segment" };
    const char *found = NULL;
    *many = 0;
    for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
        const char *v = api_query(rq, filters[i]);
        if (!v)
            continue;
        if (found)
            *many = 1;
        found = filters[i];
        *value = v;
    }
    return found;
}

/* One customer of a cell as an analyst sees them: names masked, the branch, the value in the run. */
static int cell_customer(api_req *rq, const an_member *m, json_t *out, rp_error *err)
{
    char zh[256], latin[256], branch[32], mzh[64], mlatin[80];
    int rc = wh_party_names(rq->w, m->customer, zh, sizeof zh, latin, sizeof latin, branch, sizeof branch, err);
    if (rc == RP_NOTFOUND) { /* a customer merged away since the run: shown without a name */
        rp_err_clear(err);
        zh[0] = latin[0] = branch[0] = 0;
    } else if (rc) {
        return rc;
    }
    sec_mask_name_zh(zh, mzh, sizeof mzh);
    sec_mask_name_latin(latin, mlatin, sizeof mlatin);
    json_array_append_new(out, json_pack("{s:s?, s:s?, s:s?, s:s}", "name_zh", *mzh ? mzh : NULL, "name_latin",
                                         *mlatin ? mlatin : NULL, "home_branch", *branch ? branch : NULL, "value",
                                         m->value));
    return RP_OK;
}

int api_analysis_members(api_req *rq, api_resp *rs)
{
    int ok, many, limit, st;
    int64_t run = api_int(rq->param[0], 1, INT64_MAX, &ok);
    if (!ok)
        return api_error(rs, 404, "not_found", "no analysis run '%s'", rq->param[0]);
    const char *value = NULL, *filter = cell_filter(rq, &value, &many);
    if (!filter || many)
        return api_error(rs, 422, "invalid", "level, decile, cell, rf, type, grade or segment: one of them, the cell to list");
    if (strlen(value) > 60)
        return api_error(rs, 422, "invalid", "%s: at most 60 bytes", filter);
    if ((st = api_limit(rq, rs, 100, 1000, &limit)))
        return st;
    const char *a = api_query(rq, "after");
    int64_t after = a ? api_int(a, 0, INT64_MAX, &ok) : 0;
    if (a && !ok)
        return api_error(rs, 422, "invalid", "after: the page before's next");
    json_t *sum;
    rp_error err = RP_ERROR_INIT;
    if (an_run_get(wh_store(rq->w), run, &sum, &err)) /* the run there, or 404 */
        return api_fail(rs, &err);
    json_decref(sum);
    an_member *m = malloc((size_t)limit * sizeof *m);
    if (!m)
        return api_error(rs, 500, "internal", "out of memory");
    int n = 0;
    int64_t total = 0;
    int rc = an_members(rq->w, run, filter, value, after, limit, m, &n, &total, &err);
    json_t *list = json_array();
    for (int i = 0; i < n && !rc; i++)
        rc = cell_customer(rq, &m[i], list, &err);
    int64_t next = n == limit && n > 0 ? m[n - 1].customer : 0;
    free(m);
    if (rc) {
        json_decref(list);
        return api_fail(rs, &err);
    }
    snprintf(rq->detail, sizeof rq->detail, "run=%lld %s=%.60s: %d of %lld customers shown", (long long)run, filter,
             value, n, (long long)total);
    json_t *body = json_pack("{s:I, s:s, s:s, s:I, s:o, s:o}", "run", (json_int_t)run, "filter", filter, "value", value,
                             "total", (json_int_t)total, "next", next ? json_integer(next) : json_null(), "customers",
                             list);
    return api_ok(rs, body);
}
