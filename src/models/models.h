/*
 * models.h — predictive models: data an analyst brings (any CSV file) or the warehouse's customer
 * signature as a frame of columns, learners that fit a binary target on it, their evaluation, and
 * the sample size a test needs.  DOMAIN M8-M10, M13, M15; issue 23.
 *
 * A frame holds one column per feature, numeric (double, NAN for missing) or categorical (a level
 * code, -1 for missing), and the target as 0/1.  mdl_frame_read_csv() reads a CSV file with a header,
 * detects each column's type, and refuses what a model cannot use with the column and the row named
 * (an unknown target column, a target without exactly two values, text in a numeric column, NaN or
 * Inf); what it drops (a constant or all-missing column, one that looks like an identifier) and what
 * it suspects (a column that predicts the target perfectly: leakage) it says as warnings.
 *
 * Learners are pure functions over a frame's columns, one row each of mdl_learners[]: fit() on the
 * rows given (an index list, so that folds and hold-outs share the data), predict() P(target) for
 * rows, describe() as JSON (a tree as rules), free().  Every learner is deterministic for a seed.
 *
 * Evaluation: stratified hold-out and k-fold splits by a seed; AUC, Gini, KS, log-loss, Brier, the
 * confusion matrix at a threshold, gains, lift and calibration by decile (mdl_metrics).
 *
 * Files:
 *   frame.c     the frame: CSV read with types detected, bad input refused, warnings
 *   split.c     stratified hold-out and k-fold splits by a seed
 *   metrics.c   AUC, Gini, KS, log-loss, Brier, confusion, deciles
 *   tree.c      CART: gini or entropy, numeric and categorical splits, missing values, pruning
 *   design.c    the terms linear models and networks see: standardised numbers, indicators
 *   logit.c     logistic regression: L2, L1 or elastic net by coordinate descent (glmnet's way)
 *   gbm.c       gradient-boosted trees on histograms (LightGBM's, HistGradientBoosting's way)
 *   mlp.c       a neural network of one or two hidden layers, trained by Adam
 *   scorecard.c weight-of-evidence bands, information values, a logistic regression on them, points
 *   learners.c  the learners' table, and training with evaluation (mdl_train)
 *   tune.c      settings with alternatives, the best chosen on a validation quarter
 *   sample.c    sample size for estimating a rate and for detecting a lift (M15)
 *   pmml.c      PMML 4.4: the document every model shares; each learner writes its model element
 *   internal.h  what these files share
 */
#ifndef RP_MODELS_H
#define RP_MODELS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "core/buf.h"
#include "core/error.h"

/* ---- the frame ---- */

typedef enum { MDL_NUM, MDL_CAT } mdl_kind;

typedef struct mdl_col {
    char *name;
    mdl_kind kind;
    double *x;        /* MDL_NUM: a value per row, NAN when missing */
    int32_t *code;    /* MDL_CAT: a level per row, -1 when missing */
    char **levels;    /* MDL_CAT: the levels, in order of first appearance */
    int nlevels;
    size_t missing;   /* rows without a value */
} mdl_col;

typedef struct mdl_frame {
    size_t nrows;
    int ncols;
    mdl_col *cols;
    uint8_t *y;       /* the target: 1 positive, 0 negative */
    char *target, *positive, *negative;
    size_t npos;
} mdl_frame;

/* Limits of what a frame reads: columns, levels of a categorical column kept as such. */
#define MDL_MAX_COLS 1000
#define MDL_MAX_LEVELS 1000

/* Read path (CSV with a header row; RFC 4180 quoting; the delimiter the header uses most of comma,
 * semicolon and tab) into f.  target names the column to predict;
 * positive (NULL: found when the values say it, 1 of 0/1, yes of yes/no, true of true/false, Y of
 * Y/N) its positive value.  Values "", NA, N/A, NULL and ? are missing.  A column is numeric when
 * every value it has is a number; one with a few values that are not (at most 1 in 20, at most 5
 * rows) is refused, naming the first such row.  Rows without a target value are left out and said.
 * Warnings (one a line, "column 'x': ...") are appended to warn.  On error nothing is kept and err
 * names the file, the row (counting the header as row 1, as a spreadsheet does) and the column. */
int mdl_frame_read_csv(const char *path, const char *target, const char *positive, mdl_frame *f, rp_buf *warn,
                       rp_error *err) RP_WARN_UNUSED;
void mdl_frame_free(mdl_frame *f);
/* Read path, a file to score, as like (a model's training frame) was read: each of like's columns
 * found by name (RP_INVAL naming one the file lacks), numbers where like has numbers (text refused
 * with its row), levels mapped to like's (one never seen counts as missing, said in warn).  The
 * target, when the file has it, gives y (like's positive value 1, anything else 0) and f->target;
 * without it f->target is NULL.  *ids: each row's value of column id (NULL: the first column), the
 * caller's to free (each string, then the array). */
int mdl_frame_read_like(const char *path, const mdl_frame *like, const char *id, mdl_frame *f, char ***ids,
                        rp_buf *warn, rp_error *err) RP_WARN_UNUSED;

/* ---- splits ---- */

/* rows 0..n-1 assigned to k folds (fold[i] in 0..k-1), each fold with its share of positives and
 * negatives, shuffled by seed.  A hold-out of share h is mdl_split_holdout: test[i] 1 for about h of
 * each class. */
void mdl_split_folds(const uint8_t *y, size_t n, int k, uint64_t seed, int *fold);
void mdl_split_holdout(const uint8_t *y, size_t n, double h, uint64_t seed, uint8_t *test);

/* ---- metrics ---- */

typedef struct mdl_decile {
    size_t n, pos;        /* rows and positives in the decile (decile 1: the highest scores) */
    double mean_score;    /* calibration: the mean predicted against the observed rate */
    double rate, lift, cum_gain; /* observed rate; rate / overall rate; share of all positives so far */
} mdl_decile;

typedef struct mdl_metrics {
    size_t n, pos;
    double auc, gini, ks, logloss, brier;
    double threshold;                 /* of the confusion matrix */
    size_t tp, fp, tn, fn;
    mdl_decile deciles[10];
} mdl_metrics;

/* Metrics of scores p against labels y over n rows (ties in AUC counted half). */
int mdl_metrics_of(const double *p, const uint8_t *y, size_t n, double threshold, mdl_metrics *m,
                   rp_error *err) RP_WARN_UNUSED;
json_t *mdl_metrics_json(const mdl_metrics *m);

/* ---- learners ---- */

/* A learner's settings, as given (NULL: the learner's default); each learner reads those it has and
 * refuses the others by name. */
typedef struct mdl_params {
    const char *names[32], *values[32];
    int n;
    uint64_t seed;
} mdl_params;

typedef struct mdl_model mdl_model; /* a fitted model: its learner's own */

typedef struct mdl_learner {
    const char *name, *title;
    const char *params_help;      /* "max_depth (8), min_leaf (20), criterion (gini|entropy), ..." */
    const char *const *settings;  /* the names of its settings, NULL-terminated */
    int (*check)(const mdl_params *p, rp_error *err); /* their values, before any data is read */
    int (*fit)(const mdl_frame *f, const size_t *rows, size_t n, const mdl_params *p, mdl_model **out,
               rp_error *err);
    void (*predict)(const mdl_model *m, const mdl_frame *f, const size_t *rows, size_t n, double *out);
    json_t *(*describe)(const mdl_model *m, const mdl_frame *f);
    void (*free)(mdl_model *m);
    void (*pmml)(const mdl_model *m, const mdl_frame *f, rp_buf *out); /* its PMML model element, or NULL */
} mdl_learner;

extern const mdl_learner *const mdl_learners[]; /* the learners' table (learners.c) */
extern const int mdl_nlearners;
const mdl_learner *mdl_learner_find(const char *name);
/* Every setting of p is one the learner has, with a value it takes: RP_INVAL naming the first that
 * is not. */
int mdl_params_check(const mdl_learner *l, const mdl_params *p, rp_error *err) RP_WARN_UNUSED;

/* Train learner on f: a stratified hold-out of share holdout (0.3) by p->seed, fitted on the rest and
 * measured on it, and, folds > 1, the k-fold cross-validated AUC too.  *report: {learner, params,
 * rows, positives, features, holdout: metrics, cv: {folds, auc_mean, auc_sd}, model: describe()}. */
int mdl_train(const mdl_learner *l, const mdl_frame *f, const mdl_params *p, double holdout, int folds,
              json_t **report, rp_error *err) RP_WARN_UNUSED;
/* mdl_train, keeping the model measured (fitted on the rows outside the hold-out) in *kept, the
 * caller's to free with l->free. */
int mdl_train_keep(const mdl_learner *l, const mdl_frame *f, const mdl_params *p, double holdout, int folds,
                   json_t **report, mdl_model **kept, rp_error *err) RP_WARN_UNUSED;

/* ---- settings chosen by the data (tune.c) ---- */

#define MDL_MAX_ALTERNATIVES 8
#define MDL_MAX_TRIALS 64
/* p's settings with alternatives ("max_depth=2|3|4") as every combination of them, *n (at most max) into
 * out, the values copied into buf; RP_INVAL naming an empty alternative, too many of them, or too many
 * combinations.  A p without alternatives gives itself. */
int mdl_grid(const mdl_params *p, mdl_params *out, int max, int *n, char *buf, size_t bufn,
             rp_error *err) RP_WARN_UNUSED;
/* Each of the n combinations fitted on the rows outside the hold-out (the split of mdl_train, by
 * grid[0].seed) less a stratified validation quarter, and measured on that quarter: *best the one
 * with the highest AUC (the first of equals); *trials [{params, auc}]. */
int mdl_tune(const mdl_learner *l, const mdl_frame *f, const mdl_params *grid, int n, double holdout, int *best,
             json_t **trials, rp_error *err) RP_WARN_UNUSED;

/* ---- PMML 4.4 (pmml.c) ---- */

/* The model as a PMML document, appended to out: a TreeModel (tree), a RegressionModel (logit, its
 * standardising and missing indicators as derived fields), a Scorecard (scorecard); RP_INVAL for a
 * learner without a PMML form. */
int mdl_pmml(const mdl_learner *l, const mdl_model *m, const mdl_frame *f, rp_buf *out, rp_error *err) RP_WARN_UNUSED;

/* ---- sample size (M15) ---- */

/* The z of a two-sided confidence: 1.281552 for 0.80, 1.644854 for 0.90, 1.959964 for 0.95; any
 * other level from the normal quantile. */
double mdl_z(double confidence);
/* Customers to sample to estimate a rate near p within ±e at the confidence: z² p (1 − p) / e²,
 * rounded up.  RP_INVAL naming p, e or the confidence when out of range. */
int mdl_sample_rate(double p, double e, double confidence, int64_t *n, rp_error *err) RP_WARN_UNUSED;
/* Customers per group to tell a rate p2 from p1 (a lift) at the confidence (two-sided) with the given
 * power: (z_a √(2 p̄ q̄) + z_b √(p1 q1 + p2 q2))² / (p2 − p1)², rounded up. */
int mdl_sample_lift(double p1, double p2, double confidence, double power, int64_t *n,
                    rp_error *err) RP_WARN_UNUSED;

#endif
