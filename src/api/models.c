/* models.c — the kept models (models.h, "the model store") over the API: the list, and who is worth
 * saving by a churn model (analytics.h, an_at_risk), each customer as the analyses' drill-down shows
 * one: surname and initial, branch, no identifier. */
#include "api/internal.h"
#include "analytics/analytics.h"
#include "models/models.h"
#include "security/security.h"

#include <stdio.h>
#include <string.h>

int api_models_list(api_req *rq, api_resp *rs)
{
    json_t *list;
    rp_error err = RP_ERROR_INIT;
    if (mdl_kept_list(wh_store(rq->w), 0, &list, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "models", list));
}

/* One kept model with its training report: hold-out metrics, gains, lift and calibration by decile,
 * what it leans on, the settings tried, the model described (a tree as rules). */
int api_model_get(api_req *rq, api_resp *rs)
{
    json_t *rec;
    rp_error err = RP_ERROR_INIT;
    if (mdl_kept_find(wh_store(rq->w), rq->param[0], &rec, &err))
        return api_fail(rs, &err);
    json_object_del(rec, "doc");
    json_object_del(rec, "profile");
    return api_ok(rs, rec);
}

/* The customer's masked name and branch beside what the list says of them. */
static int named(api_req *rq, json_t *c, rp_error *err)
{
    char zh[256], latin[256], branch[32], mzh[64], mlatin[80];
    int64_t id = json_integer_value(json_object_get(c, "customer"));
    int rc = wh_party_names(rq->w, id, zh, sizeof zh, latin, sizeof latin, branch, sizeof branch, err);
    if (rc == RP_NOTFOUND) { /* merged away since the scoring: shown without a name */
        rp_err_clear(err);
        zh[0] = latin[0] = branch[0] = 0;
    } else if (rc) {
        return rc;
    }
    sec_mask_name_zh(zh, mzh, sizeof mzh);
    sec_mask_name_latin(latin, mlatin, sizeof mlatin);
    json_object_del(c, "customer");
    json_object_set_new(c, "name_zh", *mzh ? json_string(mzh) : json_null());
    json_object_set_new(c, "name_latin", *mlatin ? json_string(mlatin) : json_null());
    json_object_set_new(c, "home_branch", *branch ? json_string(branch) : json_null());
    return RP_OK;
}

int api_model_at_risk(api_req *rq, api_resp *rs)
{
    int limit, st;
    if ((st = api_limit(rq, rs, 100, 1000, &limit)))
        return st;
    json_t *rec, *out = NULL;
    rp_error err = RP_ERROR_INIT;
    if (mdl_kept_find(wh_store(rq->w), rq->param[0], &rec, &err))
        return api_fail(rs, &err);
    mdl_scored sc;
    int rc = mdl_run_latest(wh_store(rq->w), json_integer_value(json_object_get(rec, "id")), &sc, &err);
    if (!rc) {
        an_at_risk_in in = { sc.n, sc.customer, sc.p, sc.decile };
        rc = an_at_risk(rq->w, &in, limit, &out, &err);
    }
    size_t i;
    json_t *c;
    json_array_foreach(out ? json_object_get(out, "at_risk") : NULL, i, c) if (!rc) rc = named(rq, c, &err);
    if (!rc) {
        json_object_set_new(out, "model", json_pack("{s:s, s:I, s:s, s:I, s:s, s:s}", "name",
                                                    json_string_value(json_object_get(rec, "name")), "version",
                                                    json_integer_value(json_object_get(rec, "version")), "target",
                                                    json_string_value(json_object_get(rec, "target")), "run",
                                                    (json_int_t)sc.run, "as_of", sc.as_of, "scored_at", sc.scored_at));
        snprintf(rq->detail, sizeof rq->detail, "%s: %zu of %zu customers shown", rq->param[0],
                 json_array_size(json_object_get(out, "at_risk")), sc.n);
    }
    if (sc.n || sc.customer)
        mdl_scored_free(&sc);
    json_decref(rec);
    if (rc) {
        json_decref(out);
        return api_fail(rs, &err);
    }
    return api_ok(rs, out);
}
