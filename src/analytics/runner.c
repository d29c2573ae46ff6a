/* runner.c — running an analysis: the job found in the table, its run
 * recorded in analysis_run, the customer bases the jobs of one process
 * share, the helpers every job's summary uses; and the runs kept.  See
 * analytics.h and internal.h. */
#include "analytics/internal.h"
#include "core/buf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

json_t *an_money(int64_t minor) { return json_real((double)minor / 100.0); }
json_t *an_pct(double share) { return json_real(round(share * 10000.0) / 100.0); }

void an_day_text(int32_t day, char out[RP_DATE_LEN]) { rp_date_format(rp_civil_from_days(day), out); }

int32_t an_months_back(int32_t day, int m)
{
    rp_date d = rp_civil_from_days(day);
    int idx = d.y * 12 + (d.m - 1) - m;
    int y = idx >= 0 ? idx / 12 : (idx - 11) / 12, mo = idx - y * 12 + 1;
    int dd = d.d;
    while (dd > 28 && !rp_date_valid(y, mo, dd))
        dd--;
    return (int32_t)rp_days_from_civil(y, mo, dd);
}

json_t *an_table_new(const char *const *cols)
{
    json_t *c = json_array();
    for (; *cols; cols++)
        json_array_append_new(c, json_string(*cols));
    return json_pack("{s:o, s:[]}", "columns", c, "rows");
}

void an_table_add(json_t *t, json_t *row) { json_array_append_new(json_object_get(t, "rows"), row); }

int an_cfg_double(const an_job_opts *o, const char *sec, const char *key, double def, double min, double max,
                  double *out, rp_error *err)
{
    const char *v = o->cfg ? rp_config_get(o->cfg, sec, key, NULL) : NULL;
    if (!v) {
        *out = def;
        return RP_OK;
    }
    char *end;
    double d = strtod(v, &end);
    while (*end == ' ')
        end++;
    if (end == v || *end || !isfinite(d) || d < min || d > max)
        return rp_err(err, RP_INVAL, "[%s] %s: '%s' is not a number from %g to %g", sec, key, v, min, max);
    *out = d;
    return RP_OK;
}

void an_base_params_of(const an_job_opts *o, an_base_params *bp)
{
    memset(bp, 0, sizeof *bp);
    bp->windows = 1;
    bp->to[0] = o->as_of + 1;
    bp->from[0] = an_months_back(o->as_of, o->months > 0 ? o->months : 12) + 1;
    bp->activity_classes = o->cfg ? rp_config_get(o->cfg, "analytics", "activity_classes", NULL) : NULL;
    bp->fee_classes = o->cfg ? rp_config_get(o->cfg, "analytics", "fee_classes", NULL) : NULL;
    bp->progress = o->progress;
    bp->facts = o->facts;
}

/* ---- bases shared between the jobs of one process ---- */

#define BASE_CACHE 4
struct an_base_cache {
    an_base b[BASE_CACHE];
    int n;
};

an_base_cache *an_base_cache_new(void) { return calloc(1, sizeof(an_base_cache)); }

void an_base_cache_free(an_base_cache *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->n; i++)
        an_base_free(&c->b[i]);
    free(c);
}

static int same_text(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

static int same_params(const an_base_params *a, const an_base_params *b)
{
    if (a->visit || b->visit || a->windows != b->windows || a->want_days != b->want_days || (a->want_days && a->days_to != b->days_to) ||
        !same_text(a->activity_classes, b->activity_classes) || !same_text(a->fee_classes, b->fee_classes) ||
        !same_text(a->facts, b->facts))
        return 0;
    for (int w = 0; w < a->windows; w++)
        if (a->from[w] != b->from[w] || a->to[w] != b->to[w])
            return 0;
    return 1;
}

int an_base_get(wh *w, const an_job_opts *o, const an_base_params *bp, an_base *out, rp_error *err)
{
    an_base_cache *c = o->shared;
    for (int i = 0; c && i < c->n; i++)
        if (same_params(&c->b[i].p, bp)) {
            *out = c->b[i];
            out->borrowed = 1;
            out->copied = 0;
            return RP_OK;
        }
    int rc = an_base_load(w, bp, out, err);
    if (!rc && c && c->n < BASE_CACHE) {
        c->b[c->n++] = *out;
        out->borrowed = 1;
    }
    return rc;
}

/* ---- the run record ---- */

int an_run_begin(wh *w, const an_job_opts *o, json_t *params, an_run *r, rp_error *err)
{
    rp_store *s = wh_store(w);
    memset(r, 0, sizeof *r);
    r->s = s;
    r->o = o;
    r->params = params;
    r->t0 = rp_monotonic();
    if (!o->save)
        return RP_OK;
    char now[RP_TIME_UTC_LEN], asof[RP_DATE_LEN];
    rp_time_format_utc(rp_now(), now);
    an_day_text(o->as_of, asof);
    char *pj = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS);
    if (!pj)
        return rp_err(err, RP_NOMEM, NULL);
    int rc = rp_store_begin(s, err);
    rp_stmt *st;
    if (!rc && !(rc = rp_store_prepare(s,
                                      "INSERT INTO analysis_run(job, as_of, params, started_at, started_by) "
                                      "VALUES (?, ?, ?, ?, ?) RETURNING id",
                                      &st, err))) {
        rp_stmt_bind_text(st, 1, o->job);
        rp_stmt_bind_text(st, 2, asof);
        rp_stmt_bind_text(st, 3, pj);
        rp_stmt_bind_text(st, 4, now);
        rp_stmt_bind_text(st, 5, o->user);
        if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
            r->id = rp_stmt_int(st, 0);
            rc = rp_stmt_finish(st, err); /* committed at its end outside a transaction (store.h) */
        } else {
            if (rc == RP_DONE)
                rc = rp_err(err, RP_STORE, "analysis_run: no id returned");
            rp_stmt_done(st);
        }
    }
    free(pj);
    if (rc && s->depth)
        rp_store_rollback(s);
    return rc;
}

int an_run_end(an_run *r, json_t *sum, size_t customers, rp_error *err)
{
    const an_job_opts *o = r->o;
    char asof[RP_DATE_LEN];
    an_day_text(o->as_of, asof);
    double secs = rp_monotonic() - r->t0;
    json_object_set_new(sum, "job", json_string(o->job));
    json_object_set_new(sum, "run", r->id ? json_integer(r->id) : json_null());
    json_object_set_new(sum, "as_of", json_string(asof));
    json_object_set(sum, "params", r->params);
    json_object_set_new(sum, "customers", json_integer((json_int_t)customers));
    json_object_set_new(sum, "seconds", json_real(round(secs * 1000) / 1000));
    if (!o->save)
        return RP_OK;
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    char *sj = json_dumps(sum, JSON_COMPACT);
    if (!sj) {
        rp_store_rollback(r->s);
        return rp_err(err, RP_NOMEM, NULL);
    }
    rp_stmt *st;
    int rc = rp_store_prepare(r->s,
                              "UPDATE analysis_run SET finished_at = ?, customers = ?, seconds = ?, summary = ? "
                              "WHERE id = ?",
                              &st, err);
    if (!rc) {
        rp_stmt_bind_text(st, 1, now);
        rp_stmt_bind_int(st, 2, (int64_t)customers);
        rp_stmt_bind_real(st, 3, secs);
        rp_stmt_bind_text(st, 4, sj);
        rp_stmt_bind_int(st, 5, r->id);
        rc = rp_stmt_run(st, err);
    }
    free(sj);
    if (!rc)
        rc = rp_store_commit(r->s, err);
    if (rc)
        rp_store_rollback(r->s);
    return rc;
}

int an_hand_over(int rc, json_t *sum, json_t **out)
{
    if (rc) {
        json_decref(sum);
        return rc;
    }
    *out = sum;
    return RP_OK;
}

void an_run_abort(an_run *r)
{
    if (r->o->save && r->s->depth)
        rp_store_rollback(r->s);
}

int an_segment_insert(an_run *r, int64_t customer, const char *segment, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(r->s, "INSERT INTO customer_segment(run_id, customer_id, segment) VALUES (?,?,?)", &st,
                              err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, r->id);
    rp_stmt_bind_int(st, 2, customer);
    rp_stmt_bind_text(st, 3, segment);
    return rp_stmt_run(st, err);
}

/* ---- dispatch and past runs ---- */

int an_job_run(wh *w, const an_job_opts *o, json_t **summary, rp_error *err)
{
    *summary = NULL;
    for (int i = 0; i < an_njobs; i++)
        if (o->job && !strcmp(o->job, an_jobs[i].name))
            return an_jobs[i].run(w, o, summary, err);
    /* "no analysis 'x' (value, pareto, ...)": the names from the table */
    rp_buf names;
    rp_buf_init(&names, 4096);
    for (int i = 0; i < an_njobs; i++)
        rp_buf_printf(&names, "%s%s", i ? ", " : "", an_jobs[i].name);
    int rc = rp_err(err, RP_USAGE, "no analysis '%s' (%s)", o->job ? o->job : "", rp_buf_str(&names));
    rp_buf_release(&names);
    return rc;
}

int an_run_get(rp_store *s, int64_t id, json_t **summary, rp_error *err)
{
    *summary = NULL;
    rp_stmt *st;
    int rc = rp_store_prepare(s, "SELECT summary FROM analysis_run WHERE id = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, id);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        const char *t = rp_stmt_text(st, 0);
        json_error_t je;
        *summary = t ? json_loads(t, 0, &je) : NULL;
        rc = *summary ? RP_OK : rp_err(err, RP_NOTFOUND, "run %lld did not finish", (long long)id);
    } else if (rc == RP_DONE) {
        rc = rp_err(err, RP_NOTFOUND, "no analysis run %lld", (long long)id);
    }
    rp_stmt_done(st);
    return rc;
}

int an_run_list(rp_store *s, const char *job, int limit, json_t **list, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(s,
                              "SELECT id, job, as_of, started_at, started_by, customers, seconds, "
                              "json_extract(summary, '$.headline') FROM analysis_run "
                              "WHERE (?1 IS NULL OR job = ?1) AND finished_at IS NOT NULL ORDER BY id DESC LIMIT ?2",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, job);
    rp_stmt_bind_int(st, 2, limit > 0 ? limit : 20);
    json_t *a = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        const char *h = rp_stmt_text(st, 7), *by = rp_stmt_text(st, 4);
        json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s, s:s?, s:I, s:f, s:s?}", "run",
                                           (json_int_t)rp_stmt_int(st, 0), "job", rp_stmt_text(st, 1), "as_of",
                                           rp_stmt_text(st, 2), "started_at", rp_stmt_text(st, 3), "started_by", by,
                                           "customers", (json_int_t)rp_stmt_int(st, 5), "seconds",
                                           rp_stmt_real(st, 6), "headline", h));
    }
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(a);
        return rc;
    }
    *list = a;
    return RP_OK;
}
