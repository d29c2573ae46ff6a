/* modelstore.c — the SQL of the model store (migration 0022): models kept by name and version,
 * found, listed, retired; a scoring's run and each customer's score; a customer's latest scores.
 * See models.h ("the model store"). */
#include "models/internal.h"
#include "core/rtime.h"
#include "core/sort.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dump(const json_t *j) { return json_dumps(j, JSON_COMPACT); }

int mdl_keep(rp_store *s, const mdl_keep_in *in, int64_t *id, int64_t *version, rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    char *params = dump(in->params), *doc = dump(in->doc), *profile = dump(in->profile), *report = dump(in->report);
    rp_stmt *st = NULL;
    int rc = !params || !doc || !profile || !report ? rp_err(err, RP_NOMEM, NULL) : rp_store_begin(s, err);
    if (!rc && !(rc = rp_store_prepare(s, "SELECT coalesce(max(version), 0) + 1 FROM model WHERE name = ?", &st, err))) {
        rp_stmt_bind_text(st, 1, in->name);
        if ((rc = rp_stmt_step(st, err)) == RP_ROW)
            *version = rp_stmt_int(st, 0), rc = RP_OK;
        rp_stmt_done(st);
        if (!rc)
            rc = rp_store_prepare(s,
                                  "INSERT INTO model(name, version, learner, target, positive, params, features, "
                                  "data_file, data_sha256, rows, positives, auc, doc, profile, report, created_at, "
                                  "created_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                                  &st, err);
        if (!rc) {
            const char *t[] = { in->name, NULL, in->learner, in->target, in->positive, params };
            for (int i = 0; i < 6; i++)
                if (t[i])
                    rp_stmt_bind_text(st, i + 1, t[i]);
            rp_stmt_bind_int(st, 2, *version);
            rp_stmt_bind_int(st, 7, in->features);
            rp_stmt_bind_text(st, 8, in->data_file);
            rp_stmt_bind_text(st, 9, in->data_sha256);
            rp_stmt_bind_int(st, 10, in->rows);
            rp_stmt_bind_int(st, 11, in->positives);
            rp_stmt_bind_real(st, 12, in->auc);
            rp_stmt_bind_text(st, 13, doc);
            rp_stmt_bind_text(st, 14, profile);
            rp_stmt_bind_text(st, 15, report);
            rp_stmt_bind_text(st, 16, now);
            rp_stmt_bind_text(st, 17, in->by);
            if ((rc = rp_stmt_step(st, err)) == RP_ROW)
                *id = rp_stmt_int(st, 0), rc = rp_stmt_finish(st, err);
            else
                rp_stmt_done(st);
        }
        rc = rc ? (rp_store_rollback(s), rc) : rp_store_commit(s, err);
    }
    free(params), free(doc), free(profile), free(report);
    return rc;
}

/* ---- finding kept models ---- */

#define MODEL_COLS                                                                                                     \
    "m.id, m.name, m.version, m.learner, m.target, m.positive, m.params, m.features, m.data_file, m.data_sha256, "     \
    "m.rows, m.positives, m.auc, m.status, m.created_at, m.created_by, m.retired_at, m.retired_by, "                   \
    "(SELECT count(*) FROM model_run r WHERE r.model_id = m.id), "                                                     \
    "(SELECT max(r.scored_at) FROM model_run r WHERE r.model_id = m.id)"

static json_t *text_or_null(rp_stmt *st, int i)
{
    const char *t = rp_stmt_text(st, i);
    return t ? json_string(t) : json_null();
}

static json_t *model_row(rp_stmt *st, int whole)
{
    json_t *params = json_loads(rp_stmt_text(st, 6) ? rp_stmt_text(st, 6) : "{}", 0, NULL);
    json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:o, s:I, s:o, s:s, s:I, s:I, s:f, s:s, s:s, s:s, s:o, s:o, "
                          "s:I, s:o}",
                          "id", (json_int_t)rp_stmt_int(st, 0), "name", rp_stmt_text(st, 1), "version",
                          (json_int_t)rp_stmt_int(st, 2), "learner", rp_stmt_text(st, 3), "target",
                          rp_stmt_text(st, 4), "positive", rp_stmt_text(st, 5), "params",
                          params ? params : json_object(), "features", (json_int_t)rp_stmt_int(st, 7), "data_file",
                          text_or_null(st, 8), "data_sha256", rp_stmt_text(st, 9), "rows",
                          (json_int_t)rp_stmt_int(st, 10), "positives", (json_int_t)rp_stmt_int(st, 11), "auc",
                          rp_stmt_real(st, 12), "status", rp_stmt_text(st, 13), "created_at", rp_stmt_text(st, 14),
                          "created_by", rp_stmt_text(st, 15), "retired_at", text_or_null(st, 16), "retired_by",
                          text_or_null(st, 17), "runs", (json_int_t)rp_stmt_int(st, 18), "last_scored",
                          text_or_null(st, 19));
    for (int k = 0; whole && o && k < 3; k++) {
        static const char *const names[] = { "doc", "profile", "report" };
        json_t *j = json_loads(rp_stmt_text(st, 20 + k) ? rp_stmt_text(st, 20 + k) : "null", 0, NULL);
        json_object_set_new(o, names[k], j ? j : json_null());
    }
    return o;
}

/* "NAME" (its latest version), "NAME:VERSION" or "#ID": the SQL condition and its binding. */
static int parse_ref(const char *ref, char *name, size_t n, int64_t *version, int64_t *id, rp_error *err)
{
    const char *colon = strrchr(ref, ':');
    char *end;
    *version = *id = 0;
    if (ref[0] == '#') {
        *id = strtoll(ref + 1, &end, 10);
        if (*id > 0 && !*end)
            return RP_OK;
    } else if (colon) {
        *version = strtoll(colon + 1, &end, 10);
        if (*version > 0 && !*end && (size_t)(colon - ref) < n && colon > ref) {
            snprintf(name, n, "%.*s", (int)(colon - ref), ref);
            return RP_OK;
        }
    } else if (*ref && strlen(ref) < n) {
        snprintf(name, n, "%s", ref);
        return RP_OK;
    }
    return rp_err(err, RP_INVAL, "'%s' is not a model: NAME, NAME:VERSION or #ID", ref);
}

int mdl_kept_find(rp_store *s, const char *ref, json_t **out, rp_error *err)
{
    char name[200];
    int64_t version, id;
    int rc = parse_ref(ref, name, sizeof name, &version, &id, err);
    rp_stmt *st;
    if (rc || (rc = rp_store_prepare(s,
                                     "SELECT " MODEL_COLS ", m.doc, m.profile, m.report FROM model m "
                                     "WHERE (? > 0 AND m.id = ?) OR (? = 0 AND m.name = ? AND (? = m.version OR "
                                     "(? = 0 AND m.version = (SELECT max(version) FROM model WHERE name = m.name)))) ",
                                     &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, id);
    rp_stmt_bind_int(st, 2, id);
    rp_stmt_bind_int(st, 3, id);
    rp_stmt_bind_text(st, 4, name);
    rp_stmt_bind_int(st, 5, version);
    rp_stmt_bind_int(st, 6, version);
    rc = rp_stmt_step(st, err);
    if (rc == RP_ROW) {
        *out = model_row(st, 1);
        rc = *out ? RP_OK : rp_err(err, RP_NOMEM, NULL);
    } else if (rc == RP_DONE) {
        rc = rp_err(err, RP_NOTFOUND, "no model '%s' kept", ref);
    }
    rp_stmt_done(st);
    return rc;
}

int mdl_kept_list(rp_store *s, int all, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(s,
                              "SELECT " MODEL_COLS " FROM model m WHERE ? = 1 OR m.status = 'active' "
                              "ORDER BY m.name, m.version",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, all);
    json_t *a = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        json_array_append_new(a, model_row(st, 0));
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return RP_OK;
}

int mdl_kept_retire(rp_store *s, int64_t id, const char *by, rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    rp_stmt *st;
    int rc = rp_store_prepare(s,
                              "UPDATE model SET status = 'retired', retired_at = ?, retired_by = ? "
                              "WHERE id = ? AND status = 'active' RETURNING id",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, now);
    rp_stmt_bind_text(st, 2, by);
    rp_stmt_bind_int(st, 3, id);
    rc = rp_stmt_step(st, err);
    if (rc == RP_ROW)
        return rp_stmt_finish(st, err);
    rp_stmt_done(st);
    return rc == RP_DONE ? rp_err(err, RP_INVAL, "the model is retired already") : rc;
}

/* ---- scorings ---- */

typedef struct ranked {
    double score;
    size_t i;
} ranked;

static int by_score_desc(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    return x->score > y->score ? -1 : x->score < y->score ? 1 : x->i < y->i ? -1 : x->i > y->i;
}

int mdl_run_write(rp_store *s, const mdl_run_in *in, int64_t *run, rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    size_t n = in->n;
    ranked *r = malloc((n ? n : 1) * sizeof *r);
    uint8_t *decile = malloc(n ? n : 1);
    char *psi = dump(in->psi);
    rp_stmt *st = NULL;
    int rc = !r || !decile || !psi ? rp_err(err, RP_NOMEM, NULL) : RP_OK, began = 0;
    for (size_t i = 0; !rc && i < n; i++)
        r[i] = (ranked){ in->score[i], i };
    if (!rc) {
        qsort(r, n, sizeof *r, by_score_desc);
        for (size_t k = 0; k < n; k++)
            decile[r[k].i] = (uint8_t)(1 + 10 * k / n);
        rc = rp_store_begin(s, err);
        began = !rc;
    }
    if (!rc && !(rc = rp_store_prepare(s,
                                       "INSERT INTO model_run(model_id, as_of, source, rows, psi, scored_at, scored_by) "
                                       "VALUES (?,?,?,?,?,?,?) RETURNING id",
                                       &st, err))) {
        rp_stmt_bind_int(st, 1, in->model_id);
        rp_stmt_bind_text(st, 2, in->as_of);
        rp_stmt_bind_text(st, 3, in->source);
        rp_stmt_bind_int(st, 4, (int64_t)n);
        rp_stmt_bind_text(st, 5, psi);
        rp_stmt_bind_text(st, 6, now);
        rp_stmt_bind_text(st, 7, in->by);
        if ((rc = rp_stmt_step(st, err)) == RP_ROW)
            *run = rp_stmt_int(st, 0), rc = rp_stmt_finish(st, err);
        else
            rp_stmt_done(st);
    }
    if (!rc && in->customer &&
        !(rc = rp_store_prepare(s, "INSERT INTO customer_score(run_id, customer_id, score, decile, reasons) "
                                   "VALUES (?,?,?,?,?)",
                                &st, err))) {
        for (size_t i = 0; !rc && i < n; i++) {
            rp_stmt_bind_int(st, 1, *run);
            rp_stmt_bind_int(st, 2, in->customer[i]);
            rp_stmt_bind_real(st, 3, in->score[i]);
            rp_stmt_bind_int(st, 4, decile[i]);
            rp_stmt_bind_text(st, 5, in->reasons ? in->reasons[i] : NULL);
            rc = rp_stmt_run(st, err);
        }
        rp_stmt_done(st);
    }
    if (began)
        rc = rc ? (rp_store_rollback(s), rc) : rp_store_commit(s, err);
    free(r), free(decile), free(psi);
    return rc;
}

int mdl_customer_scores(rp_store *s, int64_t customer, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(s,
                              "SELECT m.name, m.version, m.target, r.id, r.as_of, r.scored_at, c.score, c.decile, "
                              "c.reasons FROM customer_score c JOIN model_run r ON r.id = c.run_id "
                              "JOIN model m ON m.id = r.model_id "
                              "WHERE c.customer_id = ? AND m.status = 'active' "
                              "AND r.id = (SELECT max(r2.id) FROM model_run r2 WHERE r2.model_id = m.id AND r2.source = 'warehouse') "
                              "ORDER BY m.name",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, customer);
    json_t *a = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        json_t *reasons = rp_stmt_text(st, 8) ? json_loads(rp_stmt_text(st, 8), 0, NULL) : NULL;
        json_array_append_new(a, json_pack("{s:s, s:I, s:s, s:I, s:o, s:s, s:f, s:I, s:o}", "model", rp_stmt_text(st, 0),
                                           "version", (json_int_t)rp_stmt_int(st, 1), "target", rp_stmt_text(st, 2),
                                           "run", (json_int_t)rp_stmt_int(st, 3), "as_of", text_or_null(st, 4),
                                           "scored_at", rp_stmt_text(st, 5), "score", rp_stmt_real(st, 6), "decile",
                                           (json_int_t)rp_stmt_int(st, 7), "reasons", reasons ? reasons : json_array()));
    }
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return RP_OK;
}

int mdl_run_latest(rp_store *s, int64_t model_id, mdl_scored *out, rp_error *err)
{
    memset(out, 0, sizeof *out);
    rp_stmt *st;
    int rc = rp_store_prepare(s, "SELECT id, as_of, scored_at FROM model_run WHERE model_id = ? AND source = 'warehouse' "
                              "ORDER BY id DESC LIMIT 1",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, model_id);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        out->run = rp_stmt_int(st, 0);
        snprintf(out->as_of, sizeof out->as_of, "%s", rp_stmt_text(st, 1) ? rp_stmt_text(st, 1) : "");
        snprintf(out->scored_at, sizeof out->scored_at, "%s", rp_stmt_text(st, 2));
    }
    rp_stmt_done(st);
    if (rc == RP_DONE)
        return rp_err(err, RP_NOTFOUND, "the model has scored no customers of the warehouse yet: 'rapport model score NAME'");
    if (rc != RP_ROW)
        return rc;
    if ((rc = rp_store_prepare(s, "SELECT customer_id, score, decile FROM customer_score WHERE run_id = ? "
                                  "ORDER BY customer_id",
                               &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, out->run);
    size_t cap = 0;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 4096;
            int64_t *c = realloc(out->customer, cap * sizeof *c);
            double *p = c ? realloc(out->p, cap * sizeof *p) : NULL;
            int *d = p ? realloc(out->decile, cap * sizeof *d) : NULL;
            if (c)
                out->customer = c;
            if (p)
                out->p = p;
            if (!d) {
                rc = rp_err(err, RP_NOMEM, NULL);
                break;
            }
            out->decile = d;
        }
        out->customer[out->n] = rp_stmt_int(st, 0);
        out->p[out->n] = rp_stmt_real(st, 1);
        out->decile[out->n++] = (int)rp_stmt_int(st, 2);
    }
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        mdl_scored_free(out);
        return rc;
    }
    return RP_OK;
}

void mdl_scored_free(mdl_scored *s)
{
    free(s->customer), free(s->p), free(s->decile);
    memset(s, 0, sizeof *s);
}
