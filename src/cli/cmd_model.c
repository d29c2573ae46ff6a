/* cmd_model.c — rapport model train (any CSV an analyst brings: a learner fitted and measured on
 * a stratified hold-out and by cross-validation), model compare (several on the same folds) and
 * rapport sample-size (M15).  See models.h. */
#include "cli/cli.h"
#include "core/buf.h"
#include "core/csv.h"
#include "models/models.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* --set NAME=VALUE,NAME=VALUE into p (the strings point into buf). */
static int settings(const char *set, char *buf, size_t n, mdl_params *p)
{
    if (!set)
        return CLI_OK;
    if (strlen(set) >= n)
        return cli_failf("model train", "--set: too long");
    strcpy(buf, set);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        char *eq = strchr(tok, '=');
        if (!eq || eq == tok || !eq[1])
            return cli_failf("model train", "--set: NAME=VALUE pairs separated by commas, not '%s'", tok);
        if (p->n == (int)(sizeof p->names / sizeof p->names[0]))
            return cli_failf("model train", "--set: at most %zu settings", sizeof p->names / sizeof p->names[0]);
        *eq = 0;
        p->names[p->n] = tok;
        p->values[p->n++] = eq + 1;
    }
    return CLI_OK;
}

/* The frame's warnings, one a line, on standard error as "rapport: CMD: warning: ...". */
static void print_warnings(const char *cmd, const rp_buf *warn)
{
    for (const char *w = warn->data, *e; w && w < warn->data + warn->len; w = e + 1) {
        e = memchr(w, '\n', (size_t)(warn->data + warn->len - w));
        fprintf(stderr, "rapport: %s: warning: %.*s\n", cmd, (int)((e ? e : warn->data + warn->len) - w), w);
        if (!e)
            break;
    }
}

static int number_arg(const char *cmd, const char *name, const char *v, double def, double *out)
{
    *out = def;
    if (!v)
        return CLI_OK;
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (!*v || *end || errno || !isfinite(x))
        return cli_failf(cmd, "--%s: a number, not '%s'", name, v);
    *out = x;
    return CLI_OK;
}

/* The words of a tree's rules, in English and Traditional Chinese. */
typedef struct {
    const char *lang, *when, *and_, *missing, *in, *not_in, *always, *then, *rows;
} rule_words;
static const rule_words words[] = {
    { "en", "if ", " and ", " (or missing)", "in", "not in", "always", ": P = %.4f (%lld rows)", "" },
    { "zh-TW", "若 ", " 且 ", "（或缺值）", "屬於", "不屬於", "一律", "：機率 %.4f（%lld 筆）", "" },
};

/* A rule as a person reads it, from its conditions (the JSON the learner gives). */
static void print_rule(const json_t *rule, const rule_words *w)
{
    size_t i;
    json_t *c;
    printf("  %s", w->when);
    json_array_foreach(json_object_get(rule, "if"), i, c) {
        const char *op = json_string_value(json_object_get(c, "op"));
        printf("%s%s ", i ? w->and_ : "", json_string_value(json_object_get(c, "feature")));
        if (json_object_get(c, "value")) {
            printf("%s %.6g", !strcmp(op, "<=") ? "≤" : ">", json_real_value(json_object_get(c, "value")));
        } else {
            size_t j;
            json_t *l;
            printf("%s {", !strcmp(op, "in") ? w->in : w->not_in);
            json_array_foreach(json_object_get(c, "levels"), j, l) printf("%s%s", j ? ", " : "", json_string_value(l));
            printf("}");
        }
        if (json_is_true(json_object_get(c, "missing")))
            printf("%s", w->missing);
    }
    if (!i)
        printf("%s", w->always);
    printf(w->then, json_real_value(json_object_get(rule, "p")), (long long)json_integer_value(json_object_get(rule, "rows")));
    printf("\n");
}

/* The settings tried and the one chosen. */
static void print_tuning(const json_t *t, const json_t *chosen)
{
    if (!t)
        return;
    const json_t *trials = json_object_get(t, "trials"), *tr, *v;
    size_t i;
    const char *k;
    printf("settings chosen of %zu tried on a validation quarter of the training rows:", json_array_size(trials));
    json_object_foreach((json_t *)chosen, k, v) printf(" %s=%s", k, json_string_value(v));
    printf("\n");
    json_array_foreach(trials, i, tr) {
        printf("  AUC %.4f ", json_real_value(json_object_get(tr, "auc")));
        json_object_foreach(json_object_get(tr, "params"), k, v) printf(" %s=%s", k, json_string_value(v));
        printf("\n");
    }
}

static void print_report(const json_t *r, const rule_words *w)
{
    const json_t *h = json_object_get(r, "holdout"), *cv = json_object_get(r, "cv"), *m = json_object_get(r, "model");
    printf("%s on %lld rows (%lld '%s'), %zu features; ", json_string_value(json_object_get(r, "learner")),
           (long long)json_integer_value(json_object_get(r, "rows")),
           (long long)json_integer_value(json_object_get(json_object_get(r, "target"), "positives")),
           json_string_value(json_object_get(json_object_get(r, "target"), "positive")),
           json_array_size(json_object_get(r, "features")));
    if (json_object_get(r, "test_rows"))
        printf("tested on %lld other rows", (long long)json_integer_value(json_object_get(r, "test_rows")));
    else
        printf("hold-out %.0f%%", 100 * json_real_value(json_object_get(r, "holdout_share")));
    printf(", seed %lld\n", (long long)json_integer_value(json_object_get(r, "seed")));
    const json_t *lo = json_object_get(r, "left_out");
    for (int k = 0; k < 2; k++) {
        const json_t *a = json_object_get(lo, k ? "protected" : "excluded");
        if (!json_array_size(a))
            continue;
        printf("left out%s: ", k ? " as protected attributes ([models] protected)" : "");
        for (size_t i = 0; i < json_array_size(a); i++)
            printf("%s%s", i ? ", " : "", json_string_value(json_array_get(a, i)));
        printf("\n");
    }
    printf("%s: AUC %.4f  Gini %.4f  KS %.4f  log-loss %.4f  Brier %.4f\n",
           json_object_get(r, "test_rows") ? "test" : "hold-out", json_real_value(json_object_get(h, "auc")),
           json_real_value(json_object_get(h, "gini")), json_real_value(json_object_get(h, "ks")),
           json_real_value(json_object_get(h, "logloss")), json_real_value(json_object_get(h, "brier")));
    print_tuning(json_object_get(r, "tuning"), json_object_get(r, "params"));
    printf("fitted in %.2f s\n", json_real_value(json_object_get(json_object_get(r, "seconds"), "fit")));
    if (json_is_object(cv))
        printf("%lld-fold cross-validation: AUC %.4f ± %.4f\n", (long long)json_integer_value(json_object_get(cv, "folds")),
               json_real_value(json_object_get(cv, "auc_mean")), json_real_value(json_object_get(cv, "auc_sd")));
    printf("decile  rows  positives  rate    lift   cumulative gain\n");
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(h, "deciles"), i, d)
        printf("%6lld %5lld %10lld  %.4f %6.2f  %5.1f%%\n", (long long)json_integer_value(json_object_get(d, "decile")),
               (long long)json_integer_value(json_object_get(d, "rows")),
               (long long)json_integer_value(json_object_get(d, "positives")), json_real_value(json_object_get(d, "rate")),
               json_real_value(json_object_get(d, "lift")), 100 * json_real_value(json_object_get(d, "cum_gain")));
    json_t *im;
    printf("what it leans on (hold-out AUC lost when the feature's values are shuffled):\n");
    json_array_foreach(json_object_get(h, "importance"), i, im)
        printf("  %-30s %8.4f\n", json_string_value(json_object_get(im, "feature")),
               json_real_value(json_object_get(im, "auc_drop")));
    if (json_object_get(m, "coefficients")) {
        printf("%s penalty, C %g; %lld of %lld terms not zero; intercept %.6g\n",
               json_string_value(json_object_get(m, "penalty")), json_real_value(json_object_get(m, "C")),
               (long long)json_integer_value(json_object_get(m, "nonzero")),
               (long long)json_integer_value(json_object_get(m, "terms")), json_real_value(json_object_get(m, "intercept")));
        printf("  %-30s %12s %14s %10s\n", "term", "standardised", "per unit", "odds ratio");
        json_t *co;
        json_array_foreach(json_object_get(m, "coefficients"), i, co) {
            char name[200];
            const char *lv = json_string_value(json_object_get(co, "level"));
            snprintf(name, sizeof name, "%s%s%s%s", json_string_value(json_object_get(co, "feature")), lv ? " = " : "",
                     lv ? lv : "", json_is_true(json_object_get(co, "missing")) ? " missing" : "");
            printf("  %-30s %12.6f %14.6g %10.4f\n", name, json_real_value(json_object_get(co, "coef")),
                   json_real_value(json_object_get(co, "coef_per_unit")), json_real_value(json_object_get(co, "odds_ratio")));
        }
    }
    if (json_object_get(m, "importance")) {
        printf("%lld trees (of %lld rounds run%s), %lld leaves; splits by feature:\n",
               (long long)json_integer_value(json_object_get(m, "trees")),
               (long long)json_integer_value(json_object_get(m, "rounds_run")),
               json_is_true(json_object_get(m, "stopped_early")) ? ", stopped early" : "",
               (long long)json_integer_value(json_object_get(m, "leaves")));
        json_array_foreach(json_object_get(m, "importance"), i, im)
            printf("  %-30s %6lld %6.1f%%\n", json_string_value(json_object_get(im, "feature")),
                   (long long)json_integer_value(json_object_get(im, "splits")),
                   100 * json_real_value(json_object_get(im, "share")));
    }
    if (json_object_get(m, "pdo")) {
        printf("scorecard: %.0f points at odds %g:1, %g points to double them\n",
               json_real_value(json_object_get(m, "base_score")), json_real_value(json_object_get(m, "base_odds")),
               json_real_value(json_object_get(m, "pdo")));
        json_t *ft;
        json_array_foreach(json_object_get(m, "features"), i, ft) {
            printf("  %s (information value %.4f)%s\n", json_string_value(json_object_get(ft, "feature")),
                   json_real_value(json_object_get(ft, "iv")),
                   json_is_true(json_object_get(ft, "kept")) ? "" : ": left out, too weak");
            size_t k;
            json_t *b;
            json_array_foreach(json_object_get(ft, "bands"), k, b) {
                printf("    %-28s %7lld good %6lld bad  WoE %7.3f", json_string_value(json_object_get(b, "band")),
                       (long long)json_integer_value(json_object_get(b, "goods")),
                       (long long)json_integer_value(json_object_get(b, "bads")),
                       json_real_value(json_object_get(b, "woe")));
                if (json_object_get(b, "points"))
                    printf("  %6.1f points", json_real_value(json_object_get(b, "points")));
                printf("\n");
            }
        }
    }
    if (json_object_get(m, "rules")) {
        printf("%lld leaves (depth %lld, ccp_alpha %.6g):\n", (long long)json_integer_value(json_object_get(m, "leaves")),
               (long long)json_integer_value(json_object_get(m, "depth")), json_real_value(json_object_get(m, "ccp_alpha")));
        json_t *rule;
        json_array_foreach(json_object_get(m, "rules"), i, rule) print_rule(rule, w);
    }
}

/* A file written whole or not at all: to PATH.tmp, then renamed. */
static int write_file(const char *path, const char *data, size_t n, rp_error *err)
{
    char tmp[4200];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return rp_err(err, RP_INVAL, "%s: the name is too long", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return rp_err(err, RP_IO, "%s: %s", path, strerror(errno));
    int bad = n && fwrite(data, 1, n, f) != n; /* each step whatever the one before did: the file is closed */
    if (fflush(f) != 0)
        bad = 1;
    int saved = errno;
    if (fclose(f) != 0)
        bad = 1;
    if (bad || rename(tmp, path)) {
        if (!bad)
            saved = errno;
        remove(tmp);
        return rp_err(err, RP_IO, "%s: %s", path, strerror(saved));
    }
    return RP_OK;
}

/* --set with alternatives: every combination, each checked before a file of a million rows is read. */
static int expand(const mdl_learner *l, const mdl_params *p, mdl_params *grid, int *ng, char *buf, size_t n,
                  rp_error *err)
{
    int rc = mdl_grid(p, grid, MDL_MAX_TRIALS, ng, buf, n, err);
    for (int k = 0; !rc && k < *ng; k++)
        rc = mdl_params_check(l, &grid[k], err);
    return rc;
}

/* Train, the settings first chosen among the alternatives (report's "tuning"). */
static int train(const mdl_learner *l, const mdl_frame *f, const mdl_frame *tf, mdl_params *grid, int ng,
                 double holdout, int folds, json_t **report, mdl_model **m, rp_error *err)
{
    json_t *trials = NULL;
    int best = 0, rc = ng > 1 ? mdl_tune(l, f, grid, ng, holdout, &best, &trials, err) : RP_OK;
    if (!rc)
        rc = mdl_train_test(l, f, tf, &grid[best], holdout, folds, report, m, err);
    if (!rc && trials)
        json_object_set_new(*report, "tuning", json_pack("{s:s, s:O}", "by",
                                                         "AUC on a validation quarter of the training rows", "trials",
                                                         trials));
    json_decref(trials);
    return rc;
}

/* --test FILE: the rows to measure on, read as the training file was; they must have the target. */
static int read_test(const char *path, const mdl_frame *f, mdl_frame *tf, rp_buf *warn, rp_error *err)
{
    char **ids = NULL;
    rp_buf w = RP_BUF_INIT;
    int rc = mdl_frame_read_like(path, f, NULL, tf, &ids, &w, err);
    if (rc) {
        rp_buf_release(&w);
        return rc;
    }
    for (size_t i = 0; i < tf->nrows; i++)
        free(ids[i]);
    free(ids);
    if (warn)
        rp_buf_append(warn, w.data, w.len);
    else
        print_warnings("model train", &w);
    rp_buf_release(&w);
    if (!tf->target) {
        mdl_frame_free(tf);
        return rp_err(err, RP_INVAL, "--test: %s has no column '%s', the target", path, f->target);
    }
    return RP_OK;
}

/* The model's probability for every row of f as CSV "ids,score" (ids NULL: the row's number). */
static int write_scores(const char *path, const mdl_learner *l, const mdl_model *m, const mdl_frame *f,
                        const char *idname, char **ids, double *p, rp_error *err)
{
    size_t *rows = malloc((f->nrows ? f->nrows : 1) * sizeof *rows);
    rp_buf b = RP_BUF_INIT;
    b.max = (size_t)1 << 34;
    int rc = RP_OK;
    if (!rows)
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < f->nrows; i++)
        rows[i] = i;
    mdl_predict(l, m, f, rows, f->nrows, p);
    rp_csv_field(&b, idname, strlen(idname), 1);
    rp_buf_puts(&b, ",score\n");
    for (size_t i = 0; i < f->nrows; i++) {
        if (ids)
            rp_csv_field(&b, ids[i], strlen(ids[i]), 1);
        else
            rp_buf_printf(&b, "%zu", i + 1);
        rp_buf_printf(&b, ",%.17g\n", p[i]);
    }
    if (rp_buf_status(&b))
        rc = rp_err(err, RP_NOMEM, NULL);
    else if (write_file(path, b.data, b.len, err))
        rc = err->code;
    free(rows);
    rp_buf_release(&b);
    return rc;
}

/* --score FILE: another file read as the training file was, scored into --scores, and measured
 * when it has the target (report's "scored"). */
static int score_other(cli_ctx *c, const mdl_learner *l, const mdl_model *m, const mdl_frame *f, json_t *report,
                       rp_buf *warn, rp_error *err)
{
    const char *path = cli_arg(c, "score"), *id = cli_arg(c, "id");
    mdl_frame g;
    char **ids;
    int rc = mdl_frame_read_like(path, f, id, &g, &ids, warn, err);
    if (rc)
        return rc;
    double *p = malloc((g.nrows ? g.nrows : 1) * sizeof *p);
    if (!p)
        rc = rp_err(err, RP_NOMEM, NULL);
    if (!rc)
        rc = write_scores(cli_arg(c, "scores"), l, m, &g, id ? id : "id", ids, p, err);
    json_t *sc = json_pack("{s:s, s:I}", "file", path, "rows", (json_int_t)g.nrows);
    mdl_metrics mm;
    if (!rc && g.target && g.npos && g.npos < g.nrows && !mdl_metrics_of(p, g.y, g.nrows, 0.5, &mm, err))
        json_object_set_new(sc, "metrics", mdl_metrics_json(&mm));
    json_object_set_new(report, "scored", sc);
    for (size_t i = 0; i < g.nrows; i++)
        free(ids[i]);
    free(ids);
    free(p);
    mdl_frame_free(&g);
    return rc;
}

/* --pmml FILE: the model as PMML; --scores FILE: the probability of every row (of --score FILE
 * when given), as CSV. */
static int write_outputs(cli_ctx *c, const mdl_learner *l, const mdl_model *m, const mdl_frame *f, json_t *report,
                         rp_buf *warn, rp_error *err)
{
    const char *pmml = cli_arg(c, "pmml"), *scores = cli_arg(c, "scores");
    rp_buf b = RP_BUF_INIT;
    int rc = RP_OK;
    if (pmml && !(rc = mdl_pmml(l, m, f, &b, err)) && write_file(pmml, b.data, b.len, err))
        rc = err->code;
    rp_buf_release(&b);
    if (!rc && cli_arg(c, "score"))
        return score_other(c, l, m, f, report, warn, err);
    if (!rc && scores) {
        double *p = malloc((f->nrows ? f->nrows : 1) * sizeof *p);
        rc = p ? write_scores(scores, l, m, f, "row", NULL, p, err) : rp_err(err, RP_NOMEM, NULL);
        free(p);
    }
    return rc;
}

/* --exclude COLS and --protected (the columns [models] protected names, "gender, age" unless set):
 * left out of the model before it is fitted, and said in the report (left_out).  A column --exclude
 * names that the frame has not is refused (a typo must not leave it in); --protected leaves out
 * those of its list the file has. */
static int leave_out(cli_ctx *c, mdl_frame *f, json_t **left, rp_error *err)
{
    json_t *ex = json_array(), *pr = json_array();
    *left = json_pack("{s:o, s:o}", "excluded", ex, "protected", pr);
    char buf[1024];
    const char *list = cli_arg(c, "exclude");
    if (list && (size_t)snprintf(buf, sizeof buf, "%s", list) >= sizeof buf)
        return rp_err(err, RP_INVAL, "--exclude: at most %zu characters", sizeof buf - 1);
    char *save = NULL;
    for (char *t = list ? strtok_r(buf, ", ", &save) : NULL; t; t = strtok_r(NULL, ", ", &save)) {
        if (!mdl_frame_drop(f, t))
            return rp_err(err, RP_INVAL, "--exclude: no column '%s' among those the model would use", t);
        json_array_append_new(ex, json_string(t));
    }
    if (!cli_flag(c, "protected"))
        return RP_OK;
    rp_config *cfg = NULL;
    int rc = cli_cfg(c, &cfg, err);
    if (rc)
        return rc;
    const char *prot = cfg ? rp_config_get(cfg, "models", "protected", "gender, age") : "gender, age";
    if ((size_t)snprintf(buf, sizeof buf, "%s", prot) >= sizeof buf)
        return rp_err(err, RP_INVAL, "[models] protected: at most %zu characters", sizeof buf - 1);
    for (char *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
        if (mdl_frame_drop(f, t))
            json_array_append_new(pr, json_string(t));
    return RP_OK;
}

int cmd_model_train(cli_ctx *c)
{
    const char *data = cli_arg(c, "data"), *target = cli_arg(c, "target"), *learner = cli_arg(c, "learner");
    if (!data)
        return cli_failf("model train", "--data: the CSV file to learn from");
    if (!target)
        return cli_failf("model train", "--target: the column to predict");
    const char *lang = cli_arg(c, "lang");
    const rule_words *w = &words[0];
    if (lang && strcmp(lang, "en") && strcmp(lang, "zh-TW"))
        return cli_failf("model train", "--lang: en or zh-TW, not '%s'", lang);
    if (lang && !strcmp(lang, "zh-TW"))
        w = &words[1];
    const mdl_learner *l = mdl_learner_find(learner ? learner : "tree");
    if (!l) {
        char names[200] = "";
        for (int i = 0; i < mdl_nlearners; i++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "", mdl_learners[i]->name);
        return cli_failf("model train", "--learner: one of %s, not '%s'", names, learner);
    }
    mdl_params p = { .seed = 1 };
    char buf[2048];
    double holdout, folds, seed;
    int rc;
    if ((rc = settings(cli_arg(c, "set"), buf, sizeof buf, &p)) ||
        (rc = number_arg("model train", "holdout", cli_arg(c, "holdout"), 0.3, &holdout)) ||
        (rc = number_arg("model train", "folds", cli_arg(c, "folds"), 5, &folds)) ||
        (rc = number_arg("model train", "seed", cli_arg(c, "seed"), 1, &seed)))
        return rc;
    if (seed < 0 || seed > 9e15 || seed != floor(seed))
        return cli_failf("model train", "--seed: a whole number from 0, not '%s'", cli_arg(c, "seed"));
    if (folds != floor(folds))
        return cli_failf("model train", "--folds: 0 (none) or 2 to 20, not '%s'", cli_arg(c, "folds"));
    if (cli_arg(c, "test") && cli_arg(c, "holdout"))
        return cli_failf("model train", "--test: measured on TEST's rows or on a --holdout share, not both");
    if (!(holdout > 0 && holdout < 1))
        return cli_failf("model train", "--holdout: a share between 0 and 1, not '%s'", cli_arg(c, "holdout"));
    p.seed = (uint64_t)seed;
    mdl_frame f;
    rp_buf warn = RP_BUF_INIT;
    rp_error err = RP_ERROR_INIT;
    static mdl_params grid[MDL_MAX_TRIALS];
    char gbuf[4096];
    int ng = 0;
    if (expand(l, &p, grid, &ng, gbuf, sizeof gbuf, &err))
        return cli_fail("model train", &err);
    if (cli_arg(c, "save") && (rc = cli_model_name("model train", cli_arg(c, "save"))))
        return rc;
    if (cli_arg(c, "score") && !cli_arg(c, "scores"))
        return cli_failf("model train", "--score: give --scores FILE for the scores of its rows");
    if (cli_arg(c, "id") && !cli_arg(c, "score"))
        return cli_failf("model train", "--id: names the column of --score FILE that tells its rows apart");
    if (cli_arg(c, "pmml") && !l->pmml)
        return cli_failf("model train", "--pmml: the %s learner has no PMML form (tree, logit and scorecard have)",
                         l->name);
    if (mdl_frame_read_csv(data, target, cli_arg(c, "positive"), &f, &warn, &err)) {
        rp_buf_release(&warn);
        return cli_fail("model train", &err);
    }
    int json = cli_flag(c, "json");
    json_t *left = NULL;
    if (leave_out(c, &f, &left, &err)) {
        json_decref(left);
        mdl_frame_free(&f);
        rp_buf_release(&warn);
        return cli_fail("model train", &err);
    }
    if (!json) /* with --json: in the JSON */
        print_warnings("model train", &warn);
    json_t *report = NULL;
    mdl_model *m = NULL;
    mdl_frame tf = { 0 };
    int have_test = cli_arg(c, "test") != NULL;
    if (have_test)
        rc = read_test(cli_arg(c, "test"), &f, &tf, json ? &warn : NULL, &err);
    if (!rc)
        rc = train(l, &f, have_test ? &tf : NULL, grid, ng, holdout, (int)folds, &report, &m, &err);
    if (have_test)
        mdl_frame_free(&tf);
    rp_buf swarn = RP_BUF_INIT;
    if (!rc)
        json_object_set(report, "left_out", left);
    json_decref(left);
    if (!rc)
        rc = write_outputs(c, l, m, &f, report, &swarn, &err);
    if (!rc && cli_arg(c, "save"))
        rc = cli_model_keep(c, l, m, &f, report, data, &err);
    if (json && swarn.len)
        rp_buf_append(&warn, swarn.data, swarn.len);
    else if (!rc)
        print_warnings("model train", &swarn);
    rp_buf_release(&swarn);
    if (m)
        l->free(m);
    mdl_frame_free(&f);
    if (rc) {
        json_decref(report);
        rp_buf_release(&warn);
        return cli_fail("model train", &err);
    }
    if (json) {
        json_t *ws = json_array();
        for (char *s = warn.data, *e; s && s < warn.data + warn.len; s = e + 1) {
            e = memchr(s, '\n', (size_t)(warn.data + warn.len - s));
            if (!e)
                e = warn.data + warn.len;
            json_array_append_new(ws, json_stringn(s, (size_t)(e - s)));
        }
        json_object_set_new(report, "warnings", ws);
        cli_print_json(report);
    } else {
        print_report(report, w);
        const json_t *kept = json_object_get(report, "kept");
        if (kept)
            printf("kept as %s version %lld\n", json_string_value(json_object_get(kept, "name")),
                   (long long)json_integer_value(json_object_get(kept, "version")));
    }
    rp_buf_release(&warn);
    json_decref(report);
    return CLI_OK;
}

/* ---- model uplift ---- */

static void print_uplift(const json_t *r)
{
    const json_t *q = json_object_get(r, "qini");
    printf("%s uplift (%s) on %lld rows: %lld treated, %lld control; %lld-fold cross-fitted, seed %lld\n",
           json_string_value(json_object_get(r, "learner")), json_string_value(json_object_get(r, "method")),
           (long long)json_integer_value(json_object_get(q, "rows")), (long long)json_integer_value(json_object_get(q, "treated")),
           (long long)json_integer_value(json_object_get(q, "control")), (long long)json_integer_value(json_object_get(r, "folds")),
           (long long)json_integer_value(json_object_get(r, "seed")));
    printf("response rate treated less control: %.4f (%.1f extra responders)\n", json_real_value(json_object_get(q, "uplift")),
           json_real_value(json_object_get(q, "gain")));
    printf("Qini coefficient %.4f, area under the uplift curve %.4f\n", json_real_value(json_object_get(q, "qini")),
           json_real_value(json_object_get(q, "auuc")));
    printf("targeted  extra responders (Qini curve)\n");
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(q, "curve"), i, c)
        printf("  %3.0f%%    %8.1f\n", 100 * json_real_value(json_object_get(c, "share")), json_real_value(json_object_get(c, "gain")));
}

/* --scores FILE: each row's cross-fitted uplift, with its id, group and response. */
static int write_uplift_scores(const char *path, const mdl_frame *f, char **ids, const uint8_t *treated,
                               const double *u, rp_error *err)
{
    rp_buf b = RP_BUF_INIT;
    b.max = (size_t)1 << 34;
    rp_buf_puts(&b, "id,uplift,treated,response\n");
    for (size_t i = 0; i < f->nrows; i++) {
        rp_csv_field(&b, ids[i], strlen(ids[i]), 1);
        rp_buf_printf(&b, ",%.17g,%d,%d\n", u[i], treated[i], f->y[i]);
    }
    int rc = rp_buf_status(&b) ? rp_err(err, RP_NOMEM, NULL) : RP_OK;
    if (!rc && write_file(path, b.data, b.len, err))
        rc = (int)err->code;
    rp_buf_release(&b);
    return rc;
}

int cmd_model_uplift(cli_ctx *c)
{
    const char *data = cli_arg(c, "data"), *target = cli_arg(c, "target"), *treatment = cli_arg(c, "treatment");
    const char *treated = cli_arg(c, "treated") ? cli_arg(c, "treated") : "treatment", *method = cli_arg(c, "method");
    if (!data || !target || !treatment)
        return cli_failf("model uplift", "--data FILE.csv, --target COLUMN and --treatment COLUMN are needed");
    if (method && strcmp(method, "two-model") && strcmp(method, "transform"))
        return cli_failf("model uplift", "--method: two-model or transform, not '%s'", method);
    const mdl_learner *l = mdl_learner_find(cli_arg(c, "learner") ? cli_arg(c, "learner") : "gbm");
    if (!l)
        return cli_failf("model uplift", "--learner: no learner '%s'", cli_arg(c, "learner"));
    mdl_params p = { .seed = 1 };
    char buf[2048];
    double folds, seed;
    int rc;
    if ((rc = settings(cli_arg(c, "set"), buf, sizeof buf, &p)) ||
        (rc = number_arg("model uplift", "folds", cli_arg(c, "folds"), 5, &folds)) ||
        (rc = number_arg("model uplift", "seed", cli_arg(c, "seed"), 1, &seed)))
        return rc;
    if (folds != floor(folds) || folds < 2 || folds > 20)
        return cli_failf("model uplift", "--folds: 2 to 20, not '%s'", cli_arg(c, "folds"));
    if (seed < 0 || seed > 9e15 || seed != floor(seed))
        return cli_failf("model uplift", "--seed: a whole number from 0, not '%s'", cli_arg(c, "seed"));
    p.seed = (uint64_t)seed;
    rp_error err = RP_ERROR_INIT;
    if (mdl_params_check(l, &p, &err))
        return cli_fail("model uplift", &err);
    mdl_frame f, g;
    rp_buf warn = RP_BUF_INIT;
    char **ids = NULL;
    uint8_t *tr = NULL;
    double *u = NULL;
    json_t *r = NULL;
    mdl_qini_out q;
    int json = cli_flag(c, "json");
    rc = mdl_frame_read_csv(data, target, cli_arg(c, "positive"), &f, &warn, &err);
    if (!rc && !(rc = mdl_frame_read_like(data, &f, cli_arg(c, "id"), &g, &ids, NULL, &err))) /* the rows' ids */
        mdl_frame_free(&g);
    if (!rc && (!(tr = malloc(f.nrows ? f.nrows : 1)) || !(u = malloc((f.nrows ? f.nrows : 1) * sizeof *u))))
        rc = rp_err(&err, RP_NOMEM, NULL);
    mdl_uplift_method m = method && !strcmp(method, "transform") ? MDL_UPLIFT_TRANSFORM : MDL_UPLIFT_TWO_MODEL;
    if (!rc && !(rc = mdl_frame_treatment(&f, treatment, treated, tr, &err)) &&
        !(rc = mdl_uplift_crossfit(l, &f, tr, &p, m, (int)folds, u, &err)) && !(rc = mdl_qini(u, f.y, tr, f.nrows, &q, &err)))
        r = json_pack("{s:s, s:s, s:I, s:I, s:o}", "learner", l->name, "method",
                      m == MDL_UPLIFT_TRANSFORM ? "transform" : "two-model", "folds", (json_int_t)folds, "seed",
                      (json_int_t)p.seed, "qini", mdl_qini_json(&q));
    if (!rc && cli_arg(c, "scores"))
        rc = write_uplift_scores(cli_arg(c, "scores"), &f, ids, tr, u, &err);
    for (size_t i = 0; ids && i < f.nrows; i++)
        free(ids[i]);
    free(ids), free(tr), free(u);
    mdl_frame_free(&f);
    if (!rc && !json)
        print_warnings("model uplift", &warn);
    rp_buf_release(&warn);
    if (rc) {
        json_decref(r);
        return cli_fail("model uplift", &err);
    }
    if (json)
        cli_print_json(r);
    else
        print_uplift(r);
    json_decref(r);
    return CLI_OK;
}

int cmd_sample_size(cli_ctx *c)
{
    double rate, margin, conf, lift, power;
    int rc;
    if ((rc = number_arg("sample-size", "rate", cli_arg(c, "rate"), NAN, &rate)) ||
        (rc = number_arg("sample-size", "margin", cli_arg(c, "margin"), NAN, &margin)) ||
        (rc = number_arg("sample-size", "confidence", cli_arg(c, "confidence"), 0.95, &conf)) ||
        (rc = number_arg("sample-size", "expected", cli_arg(c, "expected"), NAN, &lift)) ||
        (rc = number_arg("sample-size", "power", cli_arg(c, "power"), 0.8, &power)))
        return rc;
    if (isnan(rate))
        return cli_failf("sample-size", "--rate: the rate expected (0.02 for 2%%)");
    if (isnan(margin) == isnan(lift))
        return cli_failf("sample-size", "give --margin (to estimate the rate) or --expected (to tell it from another "
                                        "rate), one of them");
    int64_t n;
    rp_error err = RP_ERROR_INIT;
    int lifted = !isnan(lift);
    if (lifted ? mdl_sample_lift(rate, lift, conf, power, &n, &err) : mdl_sample_rate(rate, margin, conf, &n, &err))
        return cli_fail("sample-size", &err);
    if (cli_flag(c, "json")) {
        json_t *o = lifted ? json_pack("{s:s, s:f, s:f, s:f, s:f, s:f, s:I}", "for", "difference", "rate", rate,
                                       "expected", lift, "confidence", conf, "z", mdl_z(conf), "power", power,
                                       "per_group", (json_int_t)n)
                           : json_pack("{s:s, s:f, s:f, s:f, s:f, s:I}", "for", "rate", "rate", rate, "margin", margin,
                                       "confidence", conf, "z", mdl_z(conf), "sample", (json_int_t)n);
        cli_print_json(o);
        json_decref(o);
    } else if (lifted) {
        printf("%lld customers in each group tell a rate of %g from %g (%g%% confidence, two-sided; power %g)\n",
               (long long)n, lift, rate, 100 * conf, power);
    } else {
        printf("%lld customers estimate a rate near %g within ±%g (%g%% confidence, z = %.3f)\n", (long long)n, rate,
               margin, 100 * conf, mdl_z(conf));
    }
    return CLI_OK;
}

/* rapport model compare: several learners on the same hold-out and the same folds (the seed makes
 * them), side by side: a champion and its challengers. */
int cmd_model_compare(cli_ctx *c)
{
    const char *data = cli_arg(c, "data"), *target = cli_arg(c, "target"), *list = cli_arg(c, "learners");
    if (!data || !target)
        return cli_failf("model compare", "--data and --target: the CSV file and the column to predict");
    char names[256];
    snprintf(names, sizeof names, "%s", list ? list : "tree,logit,gbm,mlp,scorecard");
    const mdl_learner *ls[16];
    int nl = 0;
    for (char *tok = strtok(names, ","); tok; tok = strtok(NULL, ",")) {
        const mdl_learner *l = mdl_learner_find(tok);
        if (!l)
            return cli_failf("model compare", "--learners: '%s' is not a learner (tree, logit, gbm, mlp, scorecard)", tok);
        if (nl == 16)
            return cli_failf("model compare", "--learners: at most 16");
        ls[nl++] = l;
    }
    double holdout, folds, seed;
    int rc;
    if ((rc = number_arg("model compare", "holdout", cli_arg(c, "holdout"), 0.3, &holdout)) ||
        (rc = number_arg("model compare", "folds", cli_arg(c, "folds"), 5, &folds)) ||
        (rc = number_arg("model compare", "seed", cli_arg(c, "seed"), 1, &seed)))
        return rc;
    if (seed < 0 || seed > 9e15 || seed != floor(seed) || folds != floor(folds))
        return cli_failf("model compare", "--seed and --folds: whole numbers");
    mdl_frame f;
    rp_buf warn = RP_BUF_INIT;
    rp_error err = RP_ERROR_INIT;
    if (mdl_frame_read_csv(data, target, cli_arg(c, "positive"), &f, &warn, &err)) {
        rp_buf_release(&warn);
        return cli_fail("model compare", &err);
    }
    int json = cli_flag(c, "json");
    print_warnings("model compare", &warn);
    rp_buf_release(&warn);
    json_t *all = json_array();
    for (int i = 0; i < nl && !rc; i++) {
        mdl_params p = { .seed = (uint64_t)seed };
        json_t *r;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if ((rc = mdl_train(ls[i], &f, &p, holdout, (int)folds, &r, &err)))
            break;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        json_object_set_new(r, "seconds", json_real((double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9));
        json_object_del(r, "model");
        json_array_append_new(all, r);
    }
    mdl_frame_free(&f);
    if (rc) {
        json_decref(all);
        return cli_fail("model compare", &err);
    }
    if (json) {
        cli_print_json(all);
    } else {
        printf("%-10s %8s %8s %8s %8s %8s %9s %13s %8s\n", "learner", "AUC", "Gini", "KS", "log-loss", "Brier",
               "top lift", "CV AUC", "seconds");
        size_t i;
        json_t *r;
        json_array_foreach(all, i, r) {
            const json_t *h = json_object_get(r, "holdout"), *cv = json_object_get(r, "cv");
            char cvs[32] = "-";
            if (json_is_object(cv))
                snprintf(cvs, sizeof cvs, "%.4f±%.4f", json_real_value(json_object_get(cv, "auc_mean")),
                         json_real_value(json_object_get(cv, "auc_sd")));
            printf("%-10s %8.4f %8.4f %8.4f %8.4f %8.4f %9.2f %13s %8.2f\n", json_string_value(json_object_get(r, "learner")),
                   json_real_value(json_object_get(h, "auc")), json_real_value(json_object_get(h, "gini")),
                   json_real_value(json_object_get(h, "ks")), json_real_value(json_object_get(h, "logloss")),
                   json_real_value(json_object_get(h, "brier")),
                   json_real_value(json_object_get(json_array_get(json_object_get(h, "deciles"), 0), "lift")), cvs,
                   json_real_value(json_object_get(r, "seconds")));
        }
        printf("the same hold-out and the same %d folds (seed %.0f) for each\n", (int)folds, seed);
    }
    json_decref(all);
    return CLI_OK;
}
