/* cmd_modelstore.c — the model store from the command line: model train --save (cli_model_keep),
 * model list, show, export, retire, at-risk (who is worth saving), and model score (the warehouse's customers as of a day, or a
 * file).  See models.h ("the model store") and docs/models.md. */
#include "analytics/analytics.h"
#include "cli/cli.h"
#include "core/csv.h"
#include "core/digest.h"
#include "core/rtime.h"
#include "models/models.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_model_name(const char *cmd, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
              *p == '-' || *p == '.'))
            n = 0;
    if (!n || n > 64)
        return cli_failf(cmd, "--save: a name of letters, digits, '_', '-' and '.', at most 64, not '%s'", name);
    return CLI_OK;
}

int cli_model_keep(cli_ctx *c, const mdl_learner *l, const mdl_model *m, const mdl_frame *f, json_t *report,
                   const char *data, rp_error *err)
{
    const char *name = cli_arg(c, "save");
    char sha[65];
    int64_t bytes;
    json_t *doc = NULL, *profile = NULL;
    wh *w;
    int rc = rp_sha256_file(data, sha, &bytes, err);
    if (!rc && !(rc = mdl_model_save(l, m, f, &doc, err)))
        rc = mdl_profile(l, m, f, &profile, err);
    if (!rc && (rc = cli_wh(c, 0, &w, NULL))) {
        json_decref(doc), json_decref(profile);
        return rp_err(err, RP_IO, "--save: the store could not be opened");
    }
    int64_t id = 0, version = 0;
    mdl_keep_in in = { .name = name, .learner = l->name, .target = f->target, .positive = f->positive,
                       .data_file = data, .data_sha256 = sha, .by = cli_user(), .params = json_object_get(report, "params"),
                       .doc = doc, .profile = profile, .report = report, .features = f->ncols,
                       .rows = (int64_t)f->nrows, .positives = (int64_t)f->npos,
                       .auc = json_real_value(json_object_get(json_object_get(report, "holdout"), "auc")) };
    if (!rc && (rc = cli_audit(c, "model_keep", 0, NULL, name)))
        rc = rp_err(err, RP_IO, "the audit trail could not be written");
    if (!rc)
        rc = mdl_keep(wh_store(w), &in, &id, &version, err);
    if (!rc)
        json_object_set_new(report, "kept", json_pack("{s:s, s:I, s:I}", "name", name, "version", (json_int_t)version,
                                                      "id", (json_int_t)id));
    json_decref(doc), json_decref(profile);
    return rc;
}

/* The store and the model named by the command's first argument. */
static int open_model(cli_ctx *c, const char *cmd, wh **w, json_t **rec)
{
    int rc = cli_wh(c, 0, w, NULL);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    if (mdl_kept_find(wh_store(*w), c->args[0], rec, &err))
        return cli_fail(cmd, &err);
    return CLI_OK;
}

int cmd_model_list(cli_ctx *c)
{
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    if (mdl_kept_list(wh_store(w), cli_flag(c, "all"), &a, &err))
        return cli_fail("model list", &err);
    if (cli_flag(c, "json")) {
        cli_print_json(a);
    } else {
        printf("%-24s %7s  %-9s  %-10s %8s  %6s  %-7s  %4s  %s\n", "model", "version", "learner", "target", "rows",
               "AUC", "status", "runs", "kept");
        size_t i;
        json_t *m;
        json_array_foreach(a, i, m) printf("%-24s %7lld  %-9s  %-10s %8lld  %6.4f  %-7s  %4lld  %.10s %s\n",
                                           json_string_value(json_object_get(m, "name")),
                                           (long long)json_integer_value(json_object_get(m, "version")),
                                           json_string_value(json_object_get(m, "learner")),
                                           json_string_value(json_object_get(m, "target")),
                                           (long long)json_integer_value(json_object_get(m, "rows")),
                                           json_real_value(json_object_get(m, "auc")),
                                           json_string_value(json_object_get(m, "status")),
                                           (long long)json_integer_value(json_object_get(m, "runs")),
                                           json_string_value(json_object_get(m, "created_at")),
                                           json_string_value(json_object_get(m, "created_by")));
        if (!json_array_size(a))
            printf("(no models kept: 'rapport model train ... --save NAME')\n");
    }
    json_decref(a);
    return CLI_OK;
}

int cmd_model_show(cli_ctx *c)
{
    wh *w;
    json_t *rec;
    int rc = open_model(c, "model show", &w, &rec);
    if (rc)
        return rc;
    json_object_del(rec, "doc");
    if (cli_flag(c, "json")) {
        json_object_del(rec, "profile");
        cli_print_json(rec);
    } else {
        const json_t *h = json_object_get(json_object_get(rec, "report"), "holdout");
        printf("%s version %lld: %s predicting %s = %s; %s\n", json_string_value(json_object_get(rec, "name")),
               (long long)json_integer_value(json_object_get(rec, "version")),
               json_string_value(json_object_get(rec, "learner")), json_string_value(json_object_get(rec, "target")),
               json_string_value(json_object_get(rec, "positive")), json_string_value(json_object_get(rec, "status")));
        printf("kept %s by %s from %s (%lld rows, %lld positive; sha256 %.16s...)\n",
               json_string_value(json_object_get(rec, "created_at")), json_string_value(json_object_get(rec, "created_by")),
               json_string_value(json_object_get(rec, "data_file")), (long long)json_integer_value(json_object_get(rec, "rows")),
               (long long)json_integer_value(json_object_get(rec, "positives")),
               json_string_value(json_object_get(rec, "data_sha256")));
        char *params = json_dumps(json_object_get(rec, "params"), JSON_COMPACT);
        printf("settings %s; %lld features\n", params ? params : "{}",
               (long long)json_integer_value(json_object_get(rec, "features")));
        free(params);
        printf("hold-out: AUC %.4f  Gini %.4f  KS %.4f  log-loss %.4f  Brier %.4f\n", json_real_value(json_object_get(h, "auc")),
               json_real_value(json_object_get(h, "gini")), json_real_value(json_object_get(h, "ks")),
               json_real_value(json_object_get(h, "logloss")), json_real_value(json_object_get(h, "brier")));
        printf("scored %lld times%s%s\n", (long long)json_integer_value(json_object_get(rec, "runs")),
               json_is_string(json_object_get(rec, "last_scored")) ? ", last " : "",
               json_is_string(json_object_get(rec, "last_scored")) ? json_string_value(json_object_get(rec, "last_scored")) : "");
    }
    json_decref(rec);
    return CLI_OK;
}

int cmd_model_retire(cli_ctx *c)
{
    wh *w;
    json_t *rec;
    int rc = open_model(c, "model retire", &w, &rec);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    char what[300];
    snprintf(what, sizeof what, "%s:%lld", json_string_value(json_object_get(rec, "name")),
             (long long)json_integer_value(json_object_get(rec, "version")));
    if (!(rc = cli_audit(c, "model_retire", 0, NULL, what)) &&
        mdl_kept_retire(wh_store(w), json_integer_value(json_object_get(rec, "id")), cli_user(), &err))
        rc = cli_fail("model retire", &err);
    if (!rc)
        printf("model %s retired: it scores no more, and its scores leave the customer view\n", what);
    json_decref(rec);
    return rc;
}

int cmd_model_export(cli_ctx *c)
{
    wh *w;
    json_t *rec;
    int rc = open_model(c, "model export", &w, &rec);
    if (rc)
        return rc;
    const char *format = cli_arg(c, "format") ? cli_arg(c, "format") : "pmml", *out = cli_arg(c, "out");
    rp_error err = RP_ERROR_INIT;
    rp_buf b = RP_BUF_INIT;
    const mdl_learner *l;
    mdl_frame schema;
    mdl_model *m = NULL;
    if (strcmp(format, "pmml") && strcmp(format, "json"))
        rc = cli_failf("model export", "--format: pmml or json, not '%s'", format);
    else if (!strcmp(format, "json")) {
        char *t = json_dumps(json_object_get(rec, "doc"), JSON_INDENT(1));
        rp_buf_puts(&b, t ? t : "");
        rp_buf_putc(&b, '\n');
        free(t);
    } else if (mdl_model_load(json_object_get(rec, "doc"), &l, &schema, &m, &err) ||
               mdl_pmml(l, m, &schema, &b, &err)) {
        rc = cli_fail("model export", &err);
    }
    if (m) {
        l->free(m);
        mdl_frame_free(&schema);
    }
    if (!rc && out) {
        FILE *f = fopen(out, "wb");
        int bad = !f || fwrite(b.data, 1, b.len, f) != b.len;
        if ((f && fclose(f)) || bad) {
            rc = cli_failf("model export", "%s: %s", out, strerror(errno));
            unlink(out);
        }
    } else if (!rc) {
        fwrite(b.data, 1, b.len, stdout);
    }
    rp_buf_release(&b);
    json_decref(rec);
    return rc;
}

/* ---- model score ---- */

typedef struct scoring {
    const mdl_learner *l;
    mdl_model *m;
    mdl_frame schema, g;
    char **ids;
    double *p;
    char **reasons;
    json_t *psi;
    char as_of[RP_DATE_LEN];
} scoring;

static void scoring_free(scoring *sc)
{
    for (size_t i = 0; i < sc->g.nrows; i++) {
        free(sc->ids ? sc->ids[i] : NULL);
        free(sc->reasons ? sc->reasons[i] : NULL);
    }
    free(sc->ids), free(sc->reasons), free(sc->p);
    if (sc->m)
        sc->l->free(sc->m);
    mdl_frame_free(&sc->schema);
    mdl_frame_free(&sc->g);
    json_decref(sc->psi);
}

/* The warehouse's customer signature as of o's day, into a temporary file (its name in path). */
static int signature_file(cli_ctx *c, wh *w, const char *as_of, char *path, size_t n, scoring *sc, rp_error *err)
{
    an_job_opts o = { .user = cli_user(), .progress = isatty(2) };
    an_sig_opts so = { 0 };
    /* a model of a label with a population of its own scores that population: delinquency, the card
     * holders (churn and take-up are of every customer holding an account) */
    if (sc->schema.target && !strcmp(sc->schema.target, "delinquency"))
        so.population = "delinquency";
    rp_date d = rp_time_taipei_date(rp_now());
    if (as_of && rp_date_parse(as_of, &d, err))
        return rp_err_prefix(err, "--as-of");
    o.as_of = (int32_t)rp_days_from_civil(d.y, d.m, d.d);
    rp_date_format(d, sc->as_of);
    rp_config *cfg = NULL;
    char facts[1100];
    int rc = cli_cfg(c, &cfg, err);
    if (rc)
        return rc;
    o.cfg = cfg;
    if (cli_facts("model score", w, cfg, facts, sizeof facts, &o.facts))
        return rp_err(err, RP_INVAL, "[analytics] column_copy");
    const char *tmp = getenv("TMPDIR");
    snprintf(path, n, "%s/rapport-score-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        return rp_err(err, RP_IO, "a temporary file: %s", strerror(errno));
    }
    an_sig_info info;
    rc = an_signature(w, &o, &so, f, &info, err);
    if (fclose(f) && !rc)
        rc = rp_err(err, RP_IO, "a temporary file: %s", strerror(errno));
    return rc;
}

/* Scores, drift and reasons of the rows of sc->g. */
static int score_rows(scoring *sc, const json_t *profile, int top, rp_error *err)
{
    size_t n = sc->g.nrows;
    size_t *rows = malloc((n ? n : 1) * sizeof *rows);
    mdl_reason *r = malloc((n ? n : 1) * (size_t)top * sizeof *r);
    sc->p = malloc((n ? n : 1) * sizeof *sc->p);
    sc->reasons = calloc(n ? n : 1, sizeof *sc->reasons);
    int rc = !rows || !r || !sc->p || !sc->reasons ? rp_err(err, RP_NOMEM, NULL) : RP_OK;
    for (size_t i = 0; !rc && i < n; i++)
        rows[i] = i;
    if (!rc)
        mdl_predict(sc->l, sc->m, &sc->g, rows, n, sc->p);
    if (!rc && !(rc = mdl_psi(profile, &sc->g, sc->p, &sc->psi, err)))
        rc = mdl_reasons(sc->l, sc->m, &sc->g, profile, sc->p, top, r, err);
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *j = mdl_reasons_json(&sc->g, i, r + i * (size_t)top, top);
        sc->reasons[i] = json_dumps(j, JSON_COMPACT);
        json_decref(j);
    }
    free(rows), free(r);
    return rc;
}

static void print_scoring(const scoring *sc, const json_t *rec, int64_t run, const char *source)
{
    size_t n = sc->g.nrows;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += sc->p[i];
    printf("%s version %lld scored %zu %s (run %lld; mean probability %.4f)\n",
           json_string_value(json_object_get(rec, "name")), (long long)json_integer_value(json_object_get(rec, "version")),
           n, source, (long long)run, n ? sum / (double)n : 0.0);
    double ps = json_real_value(json_object_get(sc->psi, "score"));
    printf("drift from the training data (population stability index): score %.4f%s\n", ps,
           ps > 0.25 ? "  -- a population the model was not trained on" : ps > 0.1 ? "  -- a shift to watch" : "");
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(sc->psi, "features"), i, f) {
        if (i >= 5)
            break;
        double v = json_real_value(json_object_get(f, "psi"));
        printf("  %-30s %.4f%s\n", json_string_value(json_object_get(f, "feature")), v,
               v > 0.25 ? "  shifted" : v > 0.1 ? "  to watch" : "");
    }
}

int cmd_model_score(cli_ctx *c)
{
    const char *data = cli_arg(c, "data"), *out = cli_arg(c, "out");
    int json = cli_flag(c, "json"), top = 3;
    if (data && !out)
        return cli_failf("model score", "--data: give --out FILE for the scores of its rows");
    if (!data && (out || cli_arg(c, "id")))
        return cli_failf("model score", "--out and --id are for --data FILE; the warehouse's scores go to the store");
    wh *w;
    json_t *rec;
    int rc = open_model(c, "model score", &w, &rec);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    scoring sc = { 0 };
    char tmp[4200] = "";
    rp_buf warn = RP_BUF_INIT;
    int64_t run = 0, *cust = NULL;
    if (strcmp(json_string_value(json_object_get(rec, "status")), "active"))
        rc = rp_err(&err, RP_INVAL, "model %s:%lld is retired", json_string_value(json_object_get(rec, "name")),
                    (long long)json_integer_value(json_object_get(rec, "version")));
    if (!rc)
        rc = mdl_model_load(json_object_get(rec, "doc"), &sc.l, &sc.schema, &sc.m, &err);
    if (!rc && !data)
        rc = signature_file(c, w, cli_arg(c, "as-of"), tmp, sizeof tmp, &sc, &err);
    if (!rc)
        rc = mdl_frame_read_like(data ? data : tmp, &sc.schema, data ? cli_arg(c, "id") : "customer_id", &sc.g, &sc.ids,
                                 &warn, &err);
    if (!rc)
        rc = score_rows(&sc, json_object_get(rec, "profile"), top, &err);
    if (!rc && !data && !(cust = malloc((sc.g.nrows ? sc.g.nrows : 1) * sizeof *cust)))
        rc = rp_err(&err, RP_NOMEM, NULL);
    for (size_t i = 0; !rc && cust && i < sc.g.nrows; i++)
        cust[i] = strtoll(sc.ids[i], NULL, 10);
    char source[4200];
    snprintf(source, sizeof source, "%s%s", data ? "file:" : "warehouse", data ? data : "");
    mdl_run_in in = { .model_id = json_integer_value(json_object_get(rec, "id")), .as_of = data ? NULL : sc.as_of,
                      .source = source, .by = cli_user(), .n = sc.g.nrows, .customer = cust,
                      .score = sc.p, .reasons = cust ? sc.reasons : NULL, .psi = sc.psi };
    if (!rc && (rc = cli_audit(c, "model_score", 0, NULL, json_string_value(json_object_get(rec, "name")))))
        rc = rp_err(&err, RP_IO, "the audit trail could not be written");
    if (!rc)
        rc = mdl_run_write(wh_store(w), &in, &run, &err);
    if (!rc && data) {
        FILE *f = fopen(out, "w");
        int bad = !f;
        const char *idname = cli_arg(c, "id") ? cli_arg(c, "id") : "id"; /* the header names the rows as the file did */
        if (f)
            bad |= fprintf(f, "%s,score\n", idname) < 0;
        rp_buf line = RP_BUF_INIT;
        for (size_t i = 0; f && i < sc.g.nrows; i++) {
            rp_buf_reset(&line);
            rp_csv_field(&line, sc.ids[i], strlen(sc.ids[i]), 1); /* quoted when it holds a comma or quote */
            bad |= fprintf(f, "%s,%.17g\n", rp_buf_str(&line), sc.p[i]) < 0;
        }
        rp_buf_release(&line);
        if ((f && fclose(f)) || bad)
            rc = rp_err(&err, RP_IO, "%s: %s", out, strerror(errno));
    }
    if (*tmp)
        unlink(tmp);
    if (rc) {
        rp_buf_release(&warn);
        scoring_free(&sc), free(cust), json_decref(rec);
        return cli_fail("model score", &err);
    }
    if (json) {
        json_t *j = json_pack("{s:s, s:I, s:I, s:I, s:o, s:O}", "model", json_string_value(json_object_get(rec, "name")),
                              "version", json_integer_value(json_object_get(rec, "version")), "run", (json_int_t)run,
                              "rows", (json_int_t)sc.g.nrows, "as_of", data ? json_null() : json_string(sc.as_of), "psi",
                              sc.psi);
        cli_print_json(j);
        json_decref(j);
    } else {
        for (const char *s = warn.data, *e; s && s < warn.data + warn.len; s = e + 1) {
            e = memchr(s, '\n', (size_t)(warn.data + warn.len - s));
            fprintf(stderr, "rapport: model score: warning: %.*s\n", (int)((e ? e : warn.data + warn.len) - s), s);
            if (!e)
                break;
        }
        print_scoring(&sc, rec, run, data ? "rows" : "customers");
    }
    rp_buf_release(&warn);
    scoring_free(&sc), free(cust), json_decref(rec);
    return CLI_OK;
}

/* ---- model at-risk ---- */

static void print_at_risk(const json_t *r, const json_t *rec, const mdl_scored *sc)
{
    printf("%s version %lld, scored %s (as of %s): %lld customers, expected loss %.2f a year\n",
           json_string_value(json_object_get(rec, "name")), (long long)json_integer_value(json_object_get(rec, "version")),
           sc->scored_at, sc->as_of, (long long)json_integer_value(json_object_get(r, "customers")),
           json_real_value(json_object_get(r, "expected_loss")));
    printf("value: run %lld as of %s (profit over 12 months)\n\n", (long long)json_integer_value(json_object_get(r, "value_run")),
           json_string_value(json_object_get(r, "value_as_of")));
    printf("%10s  %11s  %6s  %14s  %-8s  %13s\n", "customer", "probability", "decile", "profit", "level", "expected_loss");
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(r, "at_risk"), i, c) printf(
        "%10lld  %11.4f  %6lld  %14.2f  %-8s  %13.2f\n", (long long)json_integer_value(json_object_get(c, "customer")),
        json_real_value(json_object_get(c, "probability")), (long long)json_integer_value(json_object_get(c, "decile")),
        json_real_value(json_object_get(c, "profit")), json_string_value(json_object_get(c, "level")),
        json_real_value(json_object_get(c, "expected_loss")));
    const json_t *x = json_object_get(r, "cross"), *lv = json_object_get(x, "levels"), *row;
    printf("\nchurn risk by contribution (customers; expected loss), bands by %s\n%-8s",
           json_string_value(json_object_get(x, "bands_by")), "risk");
    json_array_foreach(lv, i, c) printf("  %20s", json_string_value(c));
    printf("\n");
    json_array_foreach(json_object_get(x, "rows"), i, row) {
        printf("%-8s", json_string_value(json_object_get(row, "band")));
        size_t k;
        json_t *cell;
        json_array_foreach(json_object_get(row, "cells"), k, cell) printf(
            "  %6lld; %12.2f", (long long)json_integer_value(json_object_get(cell, "customers")),
            json_real_value(json_object_get(cell, "expected_loss")));
        printf("\n");
    }
}

int cmd_model_at_risk(cli_ctx *c)
{
    int limit = 50, json = cli_flag(c, "json"), csv = cli_flag(c, "csv");
    const char *ls = cli_arg(c, "limit");
    if (ls) {
        char *end;
        long v = strtol(ls, &end, 10);
        if (!*ls || *end || v < 1 || v > 100000)
            return cli_failf("model at-risk", "--limit: a whole number from 1 to 100000, not '%s'", ls);
        limit = (int)v;
    }
    wh *w;
    json_t *rec, *r = NULL;
    int rc = open_model(c, "model at-risk", &w, &rec);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    mdl_scored sc;
    if (!(rc = cli_audit(c, "model_at_risk", 0, NULL, json_string_value(json_object_get(rec, "name")))) &&
        !mdl_run_latest(wh_store(w), json_integer_value(json_object_get(rec, "id")), &sc, &err)) {
        an_at_risk_in in = { sc.n, sc.customer, sc.p, sc.decile };
        if (an_at_risk(w, &in, limit, &r, &err))
            rc = cli_fail("model at-risk", &err);
    } else if (!rc) {
        rc = cli_fail("model at-risk", &err);
    }
    if (!rc && json) {
        cli_print_json(r);
    } else if (!rc && csv) {
        printf("customer,probability,decile,profit,level,expected_loss\r\n");
        size_t i;
        json_t *x;
        json_array_foreach(json_object_get(r, "at_risk"), i, x) printf(
            "%lld,%.6f,%lld,%.2f,%s,%.2f\r\n", (long long)json_integer_value(json_object_get(x, "customer")),
            json_real_value(json_object_get(x, "probability")), (long long)json_integer_value(json_object_get(x, "decile")),
            json_real_value(json_object_get(x, "profit")), json_string_value(json_object_get(x, "level")),
            json_real_value(json_object_get(x, "expected_loss")));
    } else if (!rc) {
        print_at_risk(r, rec, &sc);
    }
    if (sc.customer || sc.n)
        mdl_scored_free(&sc);
    json_decref(r), json_decref(rec);
    return rc;
}
