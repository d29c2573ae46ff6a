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
 *   qini.c      the Qini curve and coefficient, and the area under the uplift curve (M10)
 *   uplift.c    uplift models: two models, or one on the transformed class; cross-fitted scores
 *   tree.c      CART: gini or entropy, numeric and categorical splits, missing values, pruning
 *   design.c    the terms linear models and networks see: standardised numbers, indicators
 *   logit.c     logistic regression: L2, L1 or elastic net by coordinate descent (glmnet's way)
 *   gbm.c       gradient-boosted trees on histograms (LightGBM's, HistGradientBoosting's way)
 *   mlp.c       a neural network of one or two hidden layers, trained by Adam
 *   scorecard.c weight-of-evidence bands, information values, a logistic regression on them, points
 *   parallel.c  what the learners share to go fast: fixed parts on the cores, a radix sort
 *   learners.c  the learners' table, and training with evaluation (mdl_train)
 *   keep.c      a fitted model as one JSON document (learner, schema, body) and back
 *   kept.c      the training data's profile, the drift of a scoring from it, each row's reasons
 *   modelstore.c the model store's SQL (migration 0022): models, runs, customers' scores
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
#include "store/store.h"

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
/* Leave column name out of f: 1 when it was there, 0 when not. */
int mdl_frame_drop(mdl_frame *f, const char *name);
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

enum { MDL_ROC_POINTS = 102 };

typedef struct mdl_metrics {
    size_t n, pos;
    double auc, gini, ks, logloss, brier;
    double threshold;                 /* of the confusion matrix */
    size_t tp, fp, tn, fn;
    mdl_decile deciles[10];
    int nroc;                         /* the ROC curve: (fpr, tpr) from (0, 0) to (1, 1), at most */
    double roc[MDL_ROC_POINTS][2];    /* MDL_ROC_POINTS points about evenly spaced by rows */
} mdl_metrics;

/* Metrics of scores p against labels y over n rows (ties in AUC counted half).  JSON: rows,
 * positives, auc, gini, ks, logloss, brier, confusion, deciles, roc ([[fpr, tpr], ...]). */
int mdl_metrics_of(const double *p, const uint8_t *y, size_t n, double threshold, mdl_metrics *m,
                   rp_error *err) RP_WARN_UNUSED;
json_t *mdl_metrics_json(const mdl_metrics *m);

/* ---- uplift (qini.c) ---- */

/* How well scores rank the effect of a treatment, over rows treated (treated[i] 1) or held out as
 * control, responding (y[i] 1) or not.  Rows are taken by score from the highest, ties together; at
 * the first share x of them the Qini curve is g(x) = responders treated − responders in control ×
 * treated / control.  qini: the area between the curve and the straight line to g(1) (a random
 * order's), x from 0 to 1; auuc: the area under the uplift curve (the response rate treated less in
 * control among the first x); curve: g at each tenth; gain: g(1), the campaign's extra responders;
 * uplift: the rate treated less the rate in control.  RP_INVAL without treated or control rows. */
typedef struct mdl_qini_out {
    size_t n, treated, control;
    double qini, auuc, gain, uplift;
    double curve[10];
} mdl_qini_out;
int mdl_qini(const double *uplift, const uint8_t *y, const uint8_t *treated, size_t n, mdl_qini_out *out,
             rp_error *err) RP_WARN_UNUSED;
json_t *mdl_qini_json(const mdl_qini_out *q);

/* The frame's column name as the treatment indicator (out[i] 1 where the row's value is treated):
 * taken out of the frame, so no learner sees it.  RP_INVAL naming the column, a value, or a row
 * without one. */
int mdl_frame_treatment(mdl_frame *f, const char *name, const char *treated, uint8_t *out, rp_error *err) RP_WARN_UNUSED;



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
    /* The fitted model as JSON, and read back against the frame's columns (a frame of the schema the
     * model was trained on: mdl_schema_frame); RP_PARSE for a model that does not fit them. */
    json_t *(*save)(const mdl_model *m, const mdl_frame *f);
    int (*load)(const json_t *j, const mdl_frame *f, mdl_model **out, rp_error *err);
} mdl_learner;

extern const mdl_learner *const mdl_learners[]; /* the learners' table (learners.c) */
extern const int mdl_nlearners;
const mdl_learner *mdl_learner_find(const char *name);
/* Every setting of p is one the learner has, with a value it takes: RP_INVAL naming the first that
 * is not. */
int mdl_params_check(const mdl_learner *l, const mdl_params *p, rp_error *err) RP_WARN_UNUSED;

/* l->predict of the rows, on the machine's cores past 16,384 rows (each row's score is its own: the
 * same scores on any machine). */
void mdl_predict(const mdl_learner *l, const mdl_model *m, const mdl_frame *f, const size_t *rows, size_t n,
                 double *out);

/* Train learner on f: a stratified hold-out of share holdout (0.3) by p->seed, fitted on the rest and
 * measured on it, and, folds > 1, the k-fold cross-validated AUC too.  *report: {learner, params,
 * rows, positives, features, holdout: metrics (importance on at most 25,000 of its rows), cv: {folds,
 * auc_mean, auc_sd}, model: describe(), seconds: {fit, measure, cv}}. */
int mdl_train(const mdl_learner *l, const mdl_frame *f, const mdl_params *p, double holdout, int folds,
              json_t **report, rp_error *err) RP_WARN_UNUSED;
/* mdl_train, keeping the model measured (fitted on the rows outside the hold-out) in *kept, the
 * caller's to free with l->free. */
int mdl_train_keep(const mdl_learner *l, const mdl_frame *f, const mdl_params *p, double holdout, int folds,
                   json_t **report, mdl_model **kept, rp_error *err) RP_WARN_UNUSED;
/* mdl_train_keep measured on the rows of tf instead of a hold-out (tf read like f: the analyst's own
 * split, or another tool's), fitted on every row of f; tf NULL: a hold-out of share holdout.  The
 * report says test_rows and, as every report, seconds: {fit, measure, cv}. */
int mdl_train_test(const mdl_learner *l, const mdl_frame *f, const mdl_frame *tf, const mdl_params *p,
                   double holdout, int folds, json_t **report, mdl_model **kept, rp_error *err) RP_WARN_UNUSED;

/* ---- uplift models (uplift.c) ---- */

/* An uplift model: P(response | treated) − P(response | control) for each row, learnt by learner l
 * on rows (treated[i] 1 treated, 0 control; f->y the response): two models (one per group), or one
 * on the transformed class (z = 1 for a treated responder or a control non-responder; uplift =
 * 2 P(z) − 1, the larger group subsampled by the seed to the smaller's size).  At least 10 rows of
 * each group. */
typedef enum { MDL_UPLIFT_TWO_MODEL, MDL_UPLIFT_TRANSFORM } mdl_uplift_method;
typedef struct mdl_uplift mdl_uplift;
int mdl_uplift_fit(const mdl_learner *l, const mdl_frame *f, const uint8_t *treated, const size_t *rows, size_t n,
                   const mdl_params *p, mdl_uplift_method method, mdl_uplift **out, rp_error *err) RP_WARN_UNUSED;
/* out[i]: the uplift of rows[i]; scratch: n doubles. */
void mdl_uplift_predict(const mdl_uplift *u, const mdl_frame *f, const size_t *rows, size_t n, double *out,
                        double *scratch);
void mdl_uplift_free(mdl_uplift *u);
/* Every row's uplift from a model that did not learn from it: folds (stratified by response), each
 * scored by the model fitted on the others. */
int mdl_uplift_crossfit(const mdl_learner *l, const mdl_frame *f, const uint8_t *treated, const mdl_params *p,
                        mdl_uplift_method method, int folds, double *out, rp_error *err) RP_WARN_UNUSED;

/* ---- a model kept (keep.c) ---- */

/* The frame's schema: {target, positive, negative, columns: [{name, type, levels}]}. */
json_t *mdl_schema_json(const mdl_frame *f);
/* A frame of no rows with the schema's columns (names, types, levels) and target, for reading a file
 * to score (mdl_frame_read_like) and a kept model (mdl_learner.load).  RP_PARSE when it is not one. */
int mdl_schema_frame(const json_t *schema, mdl_frame *f, rp_error *err) RP_WARN_UNUSED;
/* The fitted model m of learner l on f's columns as {learner, format, schema, body}; RP_INVAL for a
 * learner whose models cannot be kept. */
int mdl_model_save(const mdl_learner *l, const mdl_model *m, const mdl_frame *f, json_t **out,
                   rp_error *err) RP_WARN_UNUSED;
/* And back: *l its learner, *schema its columns (the caller's to mdl_frame_free), *m the model (l->free).
 * RP_PARSE for a document that is not a model this build reads, RP_VERSION for another format. */
int mdl_model_load(const json_t *doc, const mdl_learner **l, mdl_frame *schema, mdl_model **m,
                   rp_error *err) RP_WARN_UNUSED;

/* ---- the model store (kept.c, modelstore.c; migration 0022) ---- */

/* What a scoring is compared with: each column's deciles (numbers) or level shares (categories), its
 * missing share and its typical value (the median, the commonest level), and the deciles of the
 * model's score, on the training frame f. */
int mdl_profile(const mdl_learner *l, const mdl_model *m, const mdl_frame *f, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* The population stability index of frame g (read like the training frame) and its scores against
 * the profile: {score, features: [{feature, psi}], the largest first}.  Below 0.1 stable, 0.1-0.25 a
 * shift to watch, above 0.25 a population the model was not trained on. */
int mdl_psi(const json_t *profile, const mdl_frame *g, const double *score, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* Each row's reasons: the top features by how much the probability falls when the row's value is
 * replaced by the typical one (the profile's), those that raise it only.  out: top per row. */
typedef struct mdl_reason {
    int feature;                 /* column of g, -1 none */
    double effect;               /* the probability it adds */
} mdl_reason;
int mdl_reasons(const mdl_learner *l, const mdl_model *m, mdl_frame *g, const json_t *profile, const double *p, int top,
                mdl_reason *out, rp_error *err) RP_WARN_UNUSED;
json_t *mdl_reasons_json(const mdl_frame *g, size_t row, const mdl_reason *r, int top);

typedef struct mdl_keep_in {
    const char *name, *learner, *target, *positive, *data_file, *data_sha256, *by;
    const json_t *params, *doc, *profile, *report;
    int64_t features, rows, positives;
    double auc;
} mdl_keep_in;
/* Keep a model as the next version of its name (*version; 1 for a new name). */
int mdl_keep(rp_store *s, const mdl_keep_in *in, int64_t *id, int64_t *version, rp_error *err) RP_WARN_UNUSED;
/* A kept model by "NAME" (its latest version), "NAME:VERSION" or "#ID", with its doc, profile and
 * report; RP_NOTFOUND naming it. */
int mdl_kept_find(rp_store *s, const char *ref, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* The kept models (all: the retired too), by name and version, without their documents. */
int mdl_kept_list(rp_store *s, int all, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* Retire model id (it scores no more; its scores leave the 360); RP_INVAL when it is already. */
int mdl_kept_retire(rp_store *s, int64_t id, const char *by, rp_error *err) RP_WARN_UNUSED;

typedef struct mdl_run_in {
    int64_t model_id;
    const char *as_of, *source, *by;
    size_t n;
    const int64_t *customer;     /* NULL: a file's rows, kept as the run only */
    const double *score;
    char *const *reasons;        /* JSON text per row, or NULL */
    const json_t *psi;
} mdl_run_in;
/* A scoring as a run, and each customer's score, decile (1 the highest) and reasons; whole or not at all. */
int mdl_run_write(rp_store *s, const mdl_run_in *in, int64_t *run, rp_error *err) RP_WARN_UNUSED;
/* The customer's scores of the latest scoring of the warehouse by each active model: [{model, version, target, run, as_of,
 * scored_at, score, decile, reasons}]. */
int mdl_customer_scores(rp_store *s, int64_t customer, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* The latest scoring of the warehouse's customers by a model (a file's scoring is not one): its run, as-of day, and each customer's probability and decile (by
 * customer); RP_NOTFOUND when it has scored none. */
typedef struct mdl_scored {
    int64_t run;
    char as_of[16], scored_at[24];
    size_t n;
    int64_t *customer;
    double *p;
    int *decile;
} mdl_scored;
int mdl_run_latest(rp_store *s, int64_t model_id, mdl_scored *out, rp_error *err) RP_WARN_UNUSED;
void mdl_scored_free(mdl_scored *s);

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
