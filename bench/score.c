/*
 * score — how fast does a kept model score every customer?
 *
 * Fits a learner on a CSV file (as 'rapport model train' reads one), then scores ROWS rows made by
 * repeating the rows of a second file, the way 'rapport model score' scores the customers of a
 * store (mdl_predict, on the machine's cores), and prints one JSON line: the learner, the seconds
 * of the fit, the rows scored and the seconds they took.  bench/models.sh runs it for each learner
 * beside scikit-learn's predict_proba on the same rows.
 *
 * usage: build/bench/score TRAIN.csv TEST.csv LEARNER ROWS [NAME=VALUE,...] [TARGET]   (TARGET: y)
 */
#include "core/rtime.h"
#include "models/models.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what, const rp_error *e)
{
    fprintf(stderr, "score: %s: %s\n", what, rp_errmsg(e));
    exit(1);
}

/* f's rows repeated into a frame of n rows (its columns only: scoring needs no target). */
static void tile(const mdl_frame *f, size_t n, mdl_frame *g)
{
    memset(g, 0, sizeof *g);
    g->nrows = n;
    g->ncols = f->ncols;
    g->cols = calloc((size_t)f->ncols, sizeof *g->cols);
    for (int c = 0; g->cols && c < f->ncols; c++) {
        g->cols[c] = f->cols[c];
        g->cols[c].name = strdup(f->cols[c].name);
        g->cols[c].levels = f->cols[c].nlevels ? calloc((size_t)f->cols[c].nlevels, sizeof(char *)) : NULL;
        for (int k = 0; g->cols[c].levels && k < f->cols[c].nlevels; k++)
            g->cols[c].levels[k] = strdup(f->cols[c].levels[k]);
        g->cols[c].x = f->cols[c].kind == MDL_NUM ? malloc(n * sizeof(double)) : NULL;
        g->cols[c].code = f->cols[c].kind == MDL_CAT ? malloc(n * sizeof(int32_t)) : NULL;
        if (!g->cols[c].x && !g->cols[c].code) {
            fprintf(stderr, "score: no memory for %zu rows\n", n);
            exit(1);
        }
        for (size_t i = 0; i < n; i++) {
            if (g->cols[c].x)
                g->cols[c].x[i] = f->cols[c].x[i % f->nrows];
            else
                g->cols[c].code[i] = f->cols[c].code[i % f->nrows];
        }
    }
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: score TRAIN.csv TEST.csv LEARNER ROWS [NAME=VALUE,...] [TARGET]\n");
        return 2;
    }
    rp_error e = RP_ERROR_INIT;
    mdl_frame f, t, g;
    char **ids;
    const mdl_learner *l = mdl_learner_find(argv[3]);
    size_t n = strtoull(argv[4], NULL, 10);
    if (!l || !n) {
        fprintf(stderr, "score: a learner (tree, logit, gbm, mlp, scorecard) and a number of rows\n");
        return 2;
    }
    mdl_params p = { .seed = 1 };
    char *set = argc > 5 ? strdup(argv[5]) : NULL;
    for (char *s = set, *save = NULL, *kv; s && (kv = strtok_r(s, ",", &save)) && p.n < 32; s = NULL) {
        char *eq = strchr(kv, '=');
        if (!eq)
            continue;
        *eq = 0;
        p.names[p.n] = kv;
        p.values[p.n++] = eq + 1;
    }
    if (mdl_frame_read_csv(argv[1], argc > 6 ? argv[6] : "y", NULL, &f, NULL, &e))
        die(argv[1], &e);
    if (mdl_frame_read_like(argv[2], &f, NULL, &t, &ids, NULL, &e))
        die(argv[2], &e);
    size_t *rows = malloc((f.nrows > n ? f.nrows : n) * sizeof *rows);
    double *out = malloc(n * sizeof *out);
    if (!rows || !out) {
        fprintf(stderr, "score: no memory for %zu rows\n", n);
        return 1;
    }
    for (size_t i = 0; i < f.nrows; i++)
        rows[i] = i;
    mdl_model *m;
    double t0 = rp_monotonic();
    if (l->fit(&f, rows, f.nrows, &p, &m, &e))
        die("fit", &e);
    double fitted = rp_monotonic() - t0;
    tile(&t, n, &g);
    for (size_t i = 0; i < n; i++)
        rows[i] = i;
    t0 = rp_monotonic();
    mdl_predict(l, m, &g, rows, n, out);
    double scored = rp_monotonic() - t0;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += out[i];
    printf("{\"learner\": \"%s\", \"fit\": %.3f, \"score_rows\": %zu, \"score\": %.3f, \"mean_score\": %.6f}\n", l->name,
           fitted, n, scored, sum / (double)n);
    l->free(m);
    for (size_t i = 0; i < t.nrows; i++)
        free(ids[i]);
    free(ids);
    free(rows);
    free(out);
    free(set);
    mdl_frame_free(&g);
    mdl_frame_free(&t);
    mdl_frame_free(&f);
    return 0;
}
