/* quality.c — what loading tells of each source's data quality, for the
 * quality analysis (src/analytics): records read, loaded, fixed and
 * rejected, and the rejects by field and rule.  See etl.h. */
#include "etl/etl.h"

int ld_totals_by_source(wh *w, json_t **out, rp_error *err)
{
    *out = NULL;
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT source, sum(records), sum(rows_loaded), sum(rows_fixed), sum(rows_rejected) "
                              "FROM load_job GROUP BY source ORDER BY source",
                              &st, err);
    if (rc)
        return rc;
    json_t *o = json_object();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        json_object_set_new(o, rp_stmt_text(st, 0),
                            json_pack("{s:I, s:I, s:I, s:I}", "records", (json_int_t)rp_stmt_int(st, 1), "loaded",
                                      (json_int_t)rp_stmt_int(st, 2), "fixed", (json_int_t)rp_stmt_int(st, 3),
                                      "rejected", (json_int_t)rp_stmt_int(st, 4)));
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return RP_OK;
}

int ld_rejects_by_rule(wh *w, json_t **out, rp_error *err)
{
    *out = NULL;
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT j.source, r.field, r.rule, count(*), count(*) FILTER (WHERE r.status = 'open') FROM reject r "
                              "JOIN load_job j ON j.id = r.job_id GROUP BY 1, 2, 3 ORDER BY 1, 4 DESC, 2, 3",
                              &st, err);
    if (rc)
        return rc;
    json_t *a = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:I, s:I}", "source", rp_stmt_text(st, 0), "field",
                                           rp_stmt_text(st, 1), "rule", rp_stmt_text(st, 2), "rejects",
                                           (json_int_t)rp_stmt_int(st, 3), "open", (json_int_t)rp_stmt_int(st, 4)));
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return RP_OK;
}
