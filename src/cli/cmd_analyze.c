/* cmd_analyze.c — rapport analyze: customer value and segmentation. */
#include "analytics/analytics.h"
#include "models/models.h"
#include "cli/cli.h"
#include "cli/table.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/progress.h"
#include "core/rtime.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A table cell as text: integers with thousands separators, reals with two
 * decimals (three below 1), in CSV plainly. */
static void cell_text(const json_t *v, int csv, char *out, size_t n)
{
    if (json_is_string(v)) {
        snprintf(out, n, "%s", json_string_value(v));
    } else if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        if (csv || i < 0) {
            snprintf(out, n, "%lld", (long long)i);
        } else {
            rp_format_thousands(out, n, (uint64_t)i);
        }
    } else if (json_is_real(v)) {
        double d = json_real_value(v);
        if (csv) {
            snprintf(out, n, "%.10g", d);
        } else if (fabs(d) >= 1000) {
            char t[64];
            rp_format_thousands(t, sizeof t, (uint64_t)llround(fabs(d) * 100) / 100);
            snprintf(out, n, "%s%s.%02lld", d < 0 ? "-" : "", t, (long long)(llround(fabs(d) * 100) % 100));
        } else {
            snprintf(out, n, "%.2f", d);
        }
    } else if (json_is_true(v) || json_is_false(v)) {
        snprintf(out, n, "%s", json_is_true(v) ? "yes" : "no");
    } else {
        snprintf(out, n, "%s", csv ? "" : "-");
    }
}

static int print_table(const json_t *t, int csv)
{
    const json_t *cols = json_object_get(t, "columns"), *rows = json_object_get(t, "rows");
    int nc = (int)json_array_size(cols);
    if (nc < 1 || nc > TABLE_MAX_COLS)
        return 0;
    char cells[TABLE_MAX_COLS][256];
    const char *ptr[TABLE_MAX_COLS];
    for (int c = 0; c < nc; c++)
        ptr[c] = cells[c];
    if (csv) {
        rp_buf out;
        rp_buf_init(&out, (size_t)1 << 30);
        for (int c = 0; c < nc; c++) {
            const char *s = json_string_value(json_array_get(cols, (size_t)c));
            rp_csv_field(&out, s, strlen(s), c == 0);
        }
        rp_csv_end_row(&out);
        size_t i;
        json_t *row;
        json_array_foreach(rows, i, row) {
            for (int c = 0; c < nc; c++) {
                cell_text(json_array_get(row, (size_t)c), 1, cells[c], sizeof cells[c]);
                rp_csv_field(&out, cells[c], strlen(cells[c]), c == 0);
            }
            rp_csv_end_row(&out);
        }
        fwrite(rp_buf_str(&out), 1, strlen(rp_buf_str(&out)), stdout);
        rp_buf_release(&out);
        return 0;
    }
    table tb;
    table_init(&tb, nc, 2);
    for (int c = 0; c < nc; c++)
        snprintf(cells[c], sizeof cells[c], "%s", json_string_value(json_array_get(cols, (size_t)c)));
    table_row(&tb, ptr);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        for (int c = 0; c < nc; c++)
            cell_text(json_array_get(row, (size_t)c), 0, cells[c], sizeof cells[c]);
        table_row(&tb, ptr);
    }
    table_print(&tb, stdout);
    table_release(&tb);
    return 0;
}

/* The text report: the headline, the main table, and what else a reader
 * needs (breakpoints, rules, gaps and overlaps). */
static void print_text(const json_t *sum)
{
    const json_t *run = json_object_get(sum, "run");
    printf("%s as of %s", json_string_value(json_object_get(sum, "job")),
           json_string_value(json_object_get(sum, "as_of")));
    if (json_is_integer(run))
        printf(" (run %lld)", (long long)json_integer_value(run));
    printf(": %s\n\n", json_string_value(json_object_get(sum, "headline")));
    print_table(json_object_get(sum, "table"), 0);
    const json_t *bp = json_object_get(sum, "breakpoints");
    if (bp) {
        printf("\n  contribution breakpoints:");
        size_t i;
        json_t *b;
        json_array_foreach(bp, i, b) printf("%s %lld%% of the total from %.1f%% of customers", i ? ";" : "",
                                            (long long)json_integer_value(json_object_get(b, "share_of_total_%")),
                                            json_real_value(json_object_get(b, "customers_%")));
        printf("\n");
    }
    const json_t *rules = json_object_get(sum, "rules");
    if (json_array_size(rules)) {
        printf("\n  rules (what customers had in the previous period):\n");
        size_t i, j;
        json_t *g, *r;
        json_array_foreach(rules, i, g) {
            printf("  %s, %s (base rate %.1f%% of %lld):\n", json_string_value(json_object_get(g, "group")),
                   json_string_value(json_object_get(g, "outcome")),
                   json_real_value(json_object_get(g, "base_rate_%")),
                   (long long)json_integer_value(json_object_get(g, "population")));
            json_array_foreach(json_object_get(g, "rules"), j, r)
                printf("    if %s: %.1f%% (lift %.2f, %lld customers)\n", json_string_value(json_object_get(r, "if")),
                       json_real_value(json_object_get(r, "confidence_%")), json_real_value(json_object_get(r, "lift")),
                       (long long)json_integer_value(json_object_get(r, "customers")));
        }
    }
    const json_t *valid = json_object_get(sum, "valid");
    if (valid && !json_is_true(valid)) {
        const json_t *gaps = json_object_get(sum, "gaps"), *ov = json_object_get(sum, "overlaps");
        if (json_integer_value(json_object_get(gaps, "customers"))) {
            printf("\n  not exhaustive: %lld customers are in no segment, e.g. customers",
                   (long long)json_integer_value(json_object_get(gaps, "customers")));
            size_t i;
            json_t *e;
            json_array_foreach(json_object_get(gaps, "examples"), i, e) printf(" %lld", (long long)json_integer_value(e));
            printf("\n");
        }
        size_t i, j;
        json_t *p, *e;
        json_array_foreach(json_object_get(ov, "pairs"), i, p) {
            printf("\n  not exclusive: %lld customers are in both '%s' and '%s', e.g. customers",
                   (long long)json_integer_value(json_object_get(p, "customers")),
                   json_string_value(json_array_get(json_object_get(p, "segments"), 0)),
                   json_string_value(json_array_get(json_object_get(p, "segments"), 1)));
            json_array_foreach(json_object_get(p, "examples"), j, e) printf(" %lld", (long long)json_integer_value(e));
            printf("\n");
        }
    }
}

static int parse_int(const char *cmd, const char *name, const char *s, int min, int max, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < min || v > max)
        return cli_failf(cmd, "--%s: '%s' is not a whole number from %d to %d", name, s, min, max);
    *out = (int)v;
    return CLI_OK;
}

static int parse_num(const char *cmd, const char *name, const char *s, double min, double max, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (!*s || *end || !(v >= min && v <= max))
        return cli_failf(cmd, "--%s: '%s' is not a number from %g to %g", name, s, min, max);
    *out = v;
    return CLI_OK;
}

/* "JOB is one of:" and each analysis with its help, from the analyses' table. */
void cmd_analyze_help(FILE *f)
{
    fprintf(f, "JOB is one of:\n");
    for (int i = 0; i < an_njobs; i++) {
        const char *h = an_jobs[i].help;
        fprintf(f, "  %-13s ", an_jobs[i].name);
        for (const char *nl; (nl = strchr(h, '\n')); h = nl + 1)
            fprintf(f, "%.*s\n%16s", (int)(nl - h), h, "");
        fprintf(f, "%s\n", h);
    }
    fprintf(f, "\n");
}

/* Segment rules' score('m') and score_decile('m'): the latest scoring of the warehouse by the kept
 * model m (models.h), handed to the analysis (an_job_opts.model_scores). */
static int model_scores(void *ctx, const char *model, size_t *n, int64_t **customer, double **p, int **decile,
                        rp_error *err)
{
    wh *w = ctx;
    json_t *rec;
    int rc = mdl_kept_find(wh_store(w), model, &rec, err);
    if (rc)
        return rc;
    mdl_scored sc;
    rc = mdl_run_latest(wh_store(w), json_integer_value(json_object_get(rec, "id")), &sc, err);
    json_decref(rec);
    if (rc == RP_NOTFOUND)
        return rp_err(err, RP_NOTFOUND, "score('%s'): the model has scored no customers yet ('rapport model score %s')",
                      model, model);
    if (rc)
        return rc;
    *n = sc.n;
    *customer = sc.customer;
    *p = sc.p;
    *decile = sc.decile;
    sc.customer = NULL, sc.p = NULL, sc.decile = NULL, sc.n = 0;
    mdl_scored_free(&sc);
    return RP_OK;
}

/* The behaviour analysis grades by the risk model ([behaviour] risk_model): refused when that model
 * leans on a protected attribute ([models] protected: gender and age unless the bank's policy says
 * otherwise), which 'model train --protected' leaves out.  No such model: types without grades. */
static int risk_model_fair(wh *w, const rp_config *cfg, rp_error *err)
{
    const char *name = cfg ? rp_config_get(cfg, "behaviour", "risk_model", "risk") : "risk";
    const char *prot = cfg ? rp_config_get(cfg, "models", "protected", "gender, age") : "gender, age";
    json_t *rec;
    int rc = mdl_kept_find(wh_store(w), name, &rec, err);
    if (rc == RP_NOTFOUND) {
        rp_err_clear(err);
        return RP_OK;
    }
    if (rc)
        return rc;
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(json_object_get(rec, "report"), "features"), i, f) {
        const char *col = json_string_value(json_object_get(f, "name"));
        size_t n = col ? strlen(col) : 0;
        for (const char *p = prot; n && *p;) {
            p += strspn(p, ", ");
            size_t k = strcspn(p, ", ");
            if (k == n && !strncmp(p, col, n)) {
                rc = rp_err(err, RP_INVAL,
                            "the risk model '%s' uses '%s', a protected attribute ([models] protected); train it "
                            "again with --protected",
                            name, col);
                json_decref(rec);
                return rc;
            }
            p += k;
        }
    }
    json_decref(rec);
    return RP_OK;
}

int cmd_analyze(cli_ctx *c)
{
    const char *as_of = cli_arg(c, "as-of"), *months = cli_arg(c, "months"), *measure = cli_arg(c, "measure");
    const char *levels = cli_arg(c, "levels"), *segments = cli_arg(c, "segments"), *by = cli_arg(c, "by");
    const char *k = cli_arg(c, "k"), *choose = cli_arg(c, "choose"), *horizon = cli_arg(c, "horizon");
    const char *acq = cli_arg(c, "acquisition-cost");
    const char **jobs = c->args;
    int json = cli_flag(c, "json"), csv = cli_flag(c, "csv"), nosave = cli_flag(c, "no-save");
    int rc;
    int njobs = 0;
    while (njobs < 20 && jobs[njobs])
        njobs++;
    if (json && csv)
        return cli_failf("analyze", "--json and --csv: choose one");
    if (csv && njobs > 1)
        return cli_failf("analyze", "--csv prints one table: name one analysis");
    an_job_opts o = { 0 };
    o.measure = measure;
    o.levels = levels;
    o.segments_file = segments;
    o.by = by;
    o.choose = choose;
    o.save = !nosave;
    o.user = cli_user();
    o.progress = !json && !csv;
    for (int j = 0; j < njobs; j++) {
        int known = 0;
        for (int i = 0; i < an_njobs; i++)
            known |= !strcmp(jobs[j], an_jobs[i].name);
        if (!known)
            return cli_failf("analyze", "no analysis '%s'; see 'rapport analyze --help'", jobs[j]);
    }
    rp_error err = RP_ERROR_INIT;
    if (as_of) {
        rp_date d;
        if (rp_date_parse(as_of, &d, &err))
            return cli_failf("analyze", "--as-of: %s", rp_errmsg(&err));
        o.as_of = (int32_t)rp_days_from_civil(d.y, d.m, d.d);
    } else {
        rp_date d = rp_time_taipei_date(rp_now());
        o.as_of = (int32_t)rp_days_from_civil(d.y, d.m, d.d);
    }
    if ((months && (rc = parse_int("analyze", "months", months, 1, 120, &o.months))) ||
        (k && (rc = parse_int("analyze", "k", k, 2, 20, &o.k))) ||
        (horizon && (rc = parse_num("analyze", "horizon", horizon, 1, 2600, &o.horizon_weeks))) ||
        (acq && (rc = parse_num("analyze", "acquisition-cost", acq, 0.01, 1e12, &o.acquisition_cost))))
        return rc;
    rp_config *cfg = NULL;
    if (cli_cfg(c, &cfg, &err))
        return cli_fail("analyze", &err);
    o.cfg = cfg;
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    if ((rc = cli_surge_wait(c, w, "analyze")))
        return rc;
    o.model_scores = model_scores;
    o.model_scores_ctx = w;
    /* the column copy of the transactions lives beside the store's file */
    char facts[1100];
    if ((rc = cli_facts("analyze", w, cfg, facts, sizeof facts, &o.facts))) {
        cli_wh_close(c);
        return rc;
    }
    /* several analyses in one run share what they read */
    o.shared = njobs > 1 ? an_base_cache_new() : NULL;
    json_t *all = json_array();
    int bad = 0;
    for (int j = 0; j < njobs && !rc; j++) {
        json_t *sum;
        o.job = jobs[j];
        if ((!strcmp(o.job, "behaviour") && (rc = risk_model_fair(w, cfg, &err))) || (rc = an_job_run(w, &o, &sum, &err))) {
            char ctx[64];
            snprintf(ctx, sizeof ctx, "analyze %s", jobs[j]);
            rc = cli_fail(ctx, &err);
            break;
        }
        if (csv)
            print_table(json_object_get(sum, "table"), 1);
        else if (!json) {
            if (j)
                printf("\n");
            print_text(sum);
        }
        const json_t *valid = json_object_get(sum, "valid");
        if (valid && !json_is_true(valid)) {
            fprintf(stderr, "rapport: analyze segment: %s\n", json_string_value(json_object_get(sum, "headline")));
            bad = 1;
        }
        json_array_append_new(all, sum);
    }
    an_base_cache_free(o.shared);
    cli_wh_close(c);
    if (!rc && json)
        cli_print_json(njobs == 1 ? json_array_get(all, 0) : all);
    json_decref(all);
    return rc ? rc : bad ? CLI_FAIL : CLI_OK;
}

int cmd_analyze_runs(cli_ctx *c)
{
    const char *job = cli_arg(c, "job"), *limit = cli_arg(c, "limit");
    int json = cli_flag(c, "json"), lim = 20;
    int rc = CLI_OK;
    if (limit && (rc = parse_int("analyze runs", "limit", limit, 1, 100000, &lim)))
        return rc;
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *list;
    rc = an_run_list(wh_store(w), job, lim, &list, &err);
    cli_wh_close(c);
    if (rc)
        return cli_fail("analyze runs", &err);
    if (json) {
        cli_print_json(list);
    } else if (!json_array_size(list)) {
        printf("no analysis has run yet%s%s\n", job ? " for " : "", job ? job : "");
    } else {
        table t;
        table_init(&t, 5, 0);
        const char *head[5] = { "run", "job", "as of", "customers", "headline" };
        table_row(&t, head);
        size_t i;
        json_t *r;
        json_array_foreach(list, i, r) {
            char id[24], cu[32];
            snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(r, "run")));
            rp_format_thousands(cu, sizeof cu, (uint64_t)json_integer_value(json_object_get(r, "customers")));
            const char *row[5] = { id, json_string_value(json_object_get(r, "job")),
                                   json_string_value(json_object_get(r, "as_of")), cu,
                                   json_string_value(json_object_get(r, "headline")) };
            table_row(&t, row);
        }
        table_print(&t, stdout);
        table_release(&t);
    }
    json_decref(list);
    return CLI_OK;
}

int cmd_analyze_show(cli_ctx *c)
{
    const char *id = c->args[0];
    int json = cli_flag(c, "json"), csv = cli_flag(c, "csv"), run;
    int rc = parse_int("analyze show", "RUN", id, 1, INT32_MAX, &run);
    if (rc)
        return rc;
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *sum;
    rc = an_run_get(wh_store(w), run, &sum, &err);
    cli_wh_close(c);
    if (rc)
        return cli_fail("analyze show", &err);
    if (json)
        cli_print_json(sum);
    else if (csv)
        print_table(json_object_get(sum, "table"), 1);
    else
        print_text(sum);
    json_decref(sum);
    return CLI_OK;
}

int cmd_analyze_attributes(cli_ctx *c)
{
    (void)c;
    table t;
    table_init(&t, 3, 0);
    const char *head[3] = { "attribute", "type", "meaning" };
    table_row(&t, head);
    for (int i = 0; i < an_nattrs; i++) {
        const char *row[3] = { an_attrs[i].name, an_attrs[i].text ? "text" : "number", an_attrs[i].doc };
        table_row(&t, row);
    }
    const char *score[3] = { "score('MODEL')", "number", "probability by the kept model's latest scoring (segment files)" };
    const char *decile[3] = { "score_decile('MODEL')", "number", "its decile, 1 the highest (segment files)" };
    table_row(&t, score);
    table_row(&t, decile);
    table_print(&t, stdout);
    table_release(&t);
    return CLI_OK;
}
