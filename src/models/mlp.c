/* mlp.c — a small neural network (the seeds name it): one or two hidden layers of ReLU (or tanh)
 * units and a logistic output, trained on the log-loss with an L2 penalty by Adam (Kingma and Ba
 * 2015) in shuffled mini-batches, as scikit-learn's MLPClassifier with its settings and defaults:
 * Glorot-uniform weights, training stops when the epoch's loss has not improved by tol for
 * n_iter_no_change epochs, or at max_iter.  Inputs are the design linear models see (design.c:
 * numbers standardised, categories as indicators).  The same seed gives the same network.  See
 * models.h. */
#include "models/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_LAYERS = 2, MAX_UNITS = 1024 };

struct mdl_model {
    mdl__design d;
    int nl;                    /* hidden layers */
    int size[MAX_LAYERS + 2];  /* units: inputs, hidden..., 1 */
    double *w[MAX_LAYERS + 1]; /* layer k: size[k+1] x size[k] */
    double *b[MAX_LAYERS + 1];
    int tanh_units, epochs;
    double loss;
};

typedef struct {
    int sizes[MAX_LAYERS], nl, tanh_units, batch, epochs, patience;
    double alpha, lr, tol;
} mlp_settings_t;

static int mlp_settings(const mdl_params *p, mlp_settings_t *s, rp_error *err)
{
    int rc;
    const char *h = mdl__param(p, "hidden_layer_sizes"), *act = mdl__param(p, "activation");
    if ((rc = mdl__param_real(p, "alpha", 1e-4, 0, 1e6, &s->alpha, err)) ||
        (rc = mdl__param_real(p, "learning_rate_init", 1e-3, 1e-8, 10, &s->lr, err)) ||
        (rc = mdl__param_int(p, "batch_size", 200, 1, 1000000, &s->batch, err)) ||
        (rc = mdl__param_int(p, "max_iter", 200, 1, 100000, &s->epochs, err)) ||
        (rc = mdl__param_int(p, "n_iter_no_change", 10, 1, 10000, &s->patience, err)) ||
        (rc = mdl__param_real(p, "tol", 1e-4, 0, 1, &s->tol, err)))
        return rc;
    s->nl = 0;
    for (const char *q = h ? h : "100"; *q;) { /* "32" or "32;16" (a comma separates --set's pairs) */
        char *end;
        long u = strtol(q, &end, 10);
        if (end == q || u < 1 || u > MAX_UNITS || s->nl == MAX_LAYERS || (*end && *end != ';' && *end != ':'))
            return rp_err(err, RP_INVAL, "hidden_layer_sizes: one or two layers of 1 to %d units (100, or 32;16), "
                          "not '%.30s'", MAX_UNITS, h);
        s->sizes[s->nl++] = (int)u;
        q = *end ? end + 1 : end;
    }
    if (act && strcmp(act, "relu") && strcmp(act, "tanh"))
        return rp_err(err, RP_INVAL, "activation: relu or tanh, not '%.20s'", act);
    s->tanh_units = act && !strcmp(act, "tanh");
    return RP_OK;
}

static int mlp_check(const mdl_params *p, rp_error *err)
{
    mlp_settings_t s;
    return mlp_settings(p, &s, err);
}

static void mlp_free(mdl_model *m)
{
    if (!m)
        return;
    mdl__design_free(&m->d);
    for (int k = 0; k <= MAX_LAYERS; k++) {
        free(m->w[k]);
        free(m->b[k]);
    }
    free(m);
}

/* Forward: the activations of every layer for input x (a[0] = x); the output's probability. */
static double forward(const struct mdl_model *m, double **a)
{
    int L = m->nl + 1;
    for (int k = 0; k < L; k++) {
        int in = m->size[k], out = m->size[k + 1];
        for (int j = 0; j < out; j++) {
            double z = m->b[k][j];
            const double *w = m->w[k] + (size_t)j * in;
            for (int i = 0; i < in; i++)
                z += w[i] * a[k][i];
            a[k + 1][j] = k == L - 1 ? z : m->tanh_units ? tanh(z) : z > 0 ? z : 0;
        }
    }
    double z = a[L][0];
    return z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z));
}

static void input(const struct mdl_model *m, const mdl_frame *f, size_t row, double *x)
{
    for (int j = 0; j < m->d.nt; j++)
        x[j] = mdl__term_value(&m->d.t[j], f, row);
}

typedef struct {
    double *a[MAX_LAYERS + 2], *delta[MAX_LAYERS + 2];
    double *gw[MAX_LAYERS + 1], *gb[MAX_LAYERS + 1];
    double *mw[MAX_LAYERS + 1], *vw[MAX_LAYERS + 1], *mb[MAX_LAYERS + 1], *vb[MAX_LAYERS + 1];
} work;

static void work_free(work *w)
{
    for (int k = 0; k < MAX_LAYERS + 2; k++) {
        free(w->a[k]);
        free(w->delta[k]);
    }
    for (int k = 0; k <= MAX_LAYERS; k++) {
        free(w->gw[k]), free(w->gb[k]), free(w->mw[k]), free(w->vw[k]), free(w->mb[k]), free(w->vb[k]);
    }
}

/* The network's layers and Adam's state, weights drawn by seed (Glorot uniform, as scikit-learn). */
static int build(struct mdl_model *m, const mlp_settings_t *s, work *w, uint64_t *seed)
{
    m->nl = s->nl;
    m->size[0] = m->d.nt;
    for (int k = 0; k < s->nl; k++)
        m->size[k + 1] = s->sizes[k];
    m->size[s->nl + 1] = 1;
    for (int k = 0; k <= s->nl + 1; k++) {
        if (!(w->a[k] = calloc((size_t)m->size[k] + 1, sizeof(double))) ||
            !(w->delta[k] = calloc((size_t)m->size[k] + 1, sizeof(double))))
            return RP_NOMEM;
    }
    for (int k = 0; k <= s->nl; k++) {
        size_t nw = (size_t)m->size[k] * (size_t)m->size[k + 1], nb = (size_t)m->size[k + 1];
        if (!(m->w[k] = malloc(nw * sizeof(double))) || !(m->b[k] = malloc(nb * sizeof(double))) ||
            !(w->gw[k] = calloc(nw, sizeof(double))) || !(w->gb[k] = calloc(nb, sizeof(double))) ||
            !(w->mw[k] = calloc(nw, sizeof(double))) || !(w->vw[k] = calloc(nw, sizeof(double))) ||
            !(w->mb[k] = calloc(nb, sizeof(double))) || !(w->vb[k] = calloc(nb, sizeof(double))))
            return RP_NOMEM;
        double factor = k == s->nl ? 2 : 6, bound = sqrt(factor / (m->size[k] + m->size[k + 1]));
        for (size_t i = 0; i < nw; i++)
            m->w[k][i] = bound * (2 * ((double)(mdl__next(seed) >> 11) / 9007199254740992.0) - 1);
        for (size_t i = 0; i < nb; i++)
            m->b[k][i] = bound * (2 * ((double)(mdl__next(seed) >> 11) / 9007199254740992.0) - 1);
    }
    return RP_OK;
}

/* Back-propagate one row's error (out - y) into the gradients. */
static void backward(const struct mdl_model *m, work *w, double err)
{
    int L = m->nl + 1;
    w->delta[L][0] = err;
    for (int k = L - 1; k >= 0; k--) {
        int in = m->size[k], out = m->size[k + 1];
        for (int j = 0; j < out; j++) {
            double d = w->delta[k + 1][j];
            if (d == 0)
                continue;
            double *g = w->gw[k] + (size_t)j * in;
            for (int i = 0; i < in; i++)
                g[i] += d * w->a[k][i];
            w->gb[k][j] += d;
        }
        if (k == 0)
            break;
        for (int i = 0; i < in; i++) { /* the error of the layer below, through its activation */
            double s = 0;
            for (int j = 0; j < out; j++)
                s += m->w[k][(size_t)j * in + i] * w->delta[k + 1][j];
            double a = w->a[k][i];
            w->delta[k][i] = m->tanh_units ? s * (1 - a * a) : a > 0 ? s : 0;
        }
    }
}

static void adam(struct mdl_model *m, work *w, const mlp_settings_t *s, int t, size_t batch)
{
    double b1 = 0.9, b2 = 0.999, lr = s->lr * sqrt(1 - pow(b2, t)) / (1 - pow(b1, t));
    for (int k = 0; k <= m->nl; k++) {
        size_t nw = (size_t)m->size[k] * (size_t)m->size[k + 1], nb = (size_t)m->size[k + 1];
        for (size_t i = 0; i < nw; i++) {
            double g = (w->gw[k][i] + s->alpha * m->w[k][i]) / (double)batch;
            w->mw[k][i] = b1 * w->mw[k][i] + (1 - b1) * g;
            w->vw[k][i] = b2 * w->vw[k][i] + (1 - b2) * g * g;
            m->w[k][i] -= lr * w->mw[k][i] / (sqrt(w->vw[k][i]) + 1e-8);
            w->gw[k][i] = 0;
        }
        for (size_t i = 0; i < nb; i++) {
            double g = w->gb[k][i] / (double)batch;
            w->mb[k][i] = b1 * w->mb[k][i] + (1 - b1) * g;
            w->vb[k][i] = b2 * w->vb[k][i] + (1 - b2) * g * g;
            m->b[k][i] -= lr * w->mb[k][i] / (sqrt(w->vb[k][i]) + 1e-8);
            w->gb[k][i] = 0;
        }
    }
}

static int mlp_fit(const mdl_frame *f, const size_t *rows, size_t n, const mdl_params *p, mdl_model **out,
                   rp_error *err)
{
    mlp_settings_t s;
    int rc;
    if ((rc = mdl_params_check(&mdl__mlp, p, err)) || (rc = mlp_settings(p, &s, err)))
        return rc;
    struct mdl_model *m = calloc(1, sizeof *m);
    work w = { 0 };
    size_t *order = malloc(n * sizeof *order);
    uint64_t seed = p->seed;
    if (!m || !order || mdl__design_make(f, rows, n, 0, &m->d) || build(m, &s, &w, &seed)) {
        free(order);
        work_free(&w);
        mlp_free(m);
        return rp_err(err, RP_NOMEM, "mlp: %s", rp_strerror(RP_NOMEM));
    }
    m->tanh_units = s.tanh_units;
    memcpy(order, rows, n * sizeof *order);
    size_t batch = (size_t)s.batch < n ? (size_t)s.batch : n;
    double best = INFINITY, wsum;
    int since = 0, t = 0;
    for (m->epochs = 0; m->epochs < s.epochs; m->epochs++) {
        for (size_t i = n; i > 1; i--) { /* shuffled each epoch */
            size_t j = mdl__below(&seed, i), x = order[i - 1];
            order[i - 1] = order[j];
            order[j] = x;
        }
        double loss = 0;
        for (size_t from = 0; from < n; from += batch) {
            size_t to = from + batch < n ? from + batch : n;
            for (size_t i = from; i < to; i++) {
                size_t row = order[i];
                input(m, f, row, w.a[0]);
                double q = forward(m, w.a), y = f->y[row];
                double qc = q < 1e-15 ? 1e-15 : q > 1 - 1e-15 ? 1 - 1e-15 : q;
                loss -= y ? log(qc) : log(1 - qc);
                backward(m, &w, q - y);
            }
            adam(m, &w, &s, ++t, to - from);
        }
        wsum = 0;
        for (int k = 0; k <= m->nl; k++)
            for (size_t i = 0; i < (size_t)m->size[k] * (size_t)m->size[k + 1]; i++)
                wsum += m->w[k][i] * m->w[k][i];
        loss = loss / (double)n + 0.5 * s.alpha * wsum / (double)n;
        m->loss = loss;
        if (loss > best - s.tol) {
            if (++since >= s.patience) {
                m->epochs++;
                break;
            }
        } else {
            since = 0;
        }
        if (loss < best)
            best = loss;
    }
    free(order);
    work_free(&w);
    *out = m;
    return RP_OK;
}

static void mlp_predict(const mdl_model *m, const mdl_frame *f, const size_t *rows, size_t n, double *out)
{
    double *a[MAX_LAYERS + 2] = { 0 };
    int ok = 1;
    for (int k = 0; k <= m->nl + 1; k++)
        ok &= (a[k] = calloc((size_t)m->size[k] + 1, sizeof(double))) != NULL;
    for (size_t i = 0; i < n; i++) {
        if (!ok) { /* no memory for the layers: no score, said as the base rate would be */
            out[i] = NAN;
            continue;
        }
        input(m, f, rows[i], a[0]);
        out[i] = forward(m, a);
    }
    for (int k = 0; k <= m->nl + 1; k++)
        free(a[k]);
}

static json_t *mlp_describe(const mdl_model *m, const mdl_frame *f)
{
    (void)f;
    json_t *layers = json_array();
    for (int k = 1; k <= m->nl; k++)
        json_array_append_new(layers, json_integer(m->size[k]));
    return json_pack("{s:i, s:o, s:s, s:i, s:f}", "inputs", m->size[0], "hidden_layers", layers, "activation",
                     m->tanh_units ? "tanh" : "relu", "epochs", m->epochs, "loss", m->loss);
}

static json_t *mlp_save(const mdl_model *m, const mdl_frame *f)
{
    (void)f;
    json_t *sizes = json_array(), *w = json_array(), *b = json_array();
    for (int k = 0; k <= m->nl + 1; k++)
        json_array_append_new(sizes, json_integer(m->size[k]));
    for (int k = 0; k <= m->nl; k++) {
        json_array_append_new(w, mdl__reals(m->w[k], (size_t)m->size[k] * (size_t)m->size[k + 1]));
        json_array_append_new(b, mdl__reals(m->b[k], (size_t)m->size[k + 1]));
    }
    return json_pack("{s:o, s:o, s:o, s:o, s:b, s:i, s:f}", "terms", mdl__design_save(&m->d), "sizes", sizes,
                     "weights", w, "biases", b, "tanh", m->tanh_units, "epochs", m->epochs, "loss", m->loss);
}

static int mlp_load(const json_t *j, const mdl_frame *f, mdl_model **out, rp_error *err)
{
    struct mdl_model *m = calloc(1, sizeof *m);
    if (!m)
        return rp_err(err, RP_NOMEM, NULL);
    const json_t *sizes = json_object_get(j, "sizes");
    int rc = mdl__design_load(json_object_get(j, "terms"), f, &m->d);
    size_t ns = json_array_size(sizes);
    if (!rc && (ns < 3 || ns > MAX_LAYERS + 2))
        rc = RP_PARSE;
    m->nl = (int)ns - 2;
    for (size_t k = 0; !rc && k < ns; k++) {
        m->size[k] = (int)json_integer_value(json_array_get(sizes, k));
        if (m->size[k] < 1 || m->size[k] > MAX_UNITS * 8 || (k == 0 && m->size[0] != m->d.nt) || (k == ns - 1 && m->size[k] != 1))
            rc = RP_PARSE;
    }
    for (int k = 0; !rc && k <= m->nl; k++) {
        size_t nw = (size_t)m->size[k] * (size_t)m->size[k + 1], nb = (size_t)m->size[k + 1];
        if (!(m->w[k] = malloc(nw * sizeof(double))) || !(m->b[k] = malloc(nb * sizeof(double))))
            rc = RP_NOMEM;
        else if (mdl__reals_get(json_array_get(json_object_get(j, "weights"), (size_t)k), m->w[k], nw) ||
                 mdl__reals_get(json_array_get(json_object_get(j, "biases"), (size_t)k), m->b[k], nb))
            rc = RP_PARSE;
    }
    m->tanh_units = json_is_true(json_object_get(j, "tanh"));
    m->epochs = (int)json_integer_value(json_object_get(j, "epochs"));
    m->loss = json_number_value(json_object_get(j, "loss"));
    if (rc) {
        mlp_free(m);
        return rc == RP_NOMEM ? rp_err(err, RP_NOMEM, NULL)
                              : rp_err(err, RP_PARSE, "mlp: its layers do not fit the model's columns");
    }
    *out = m;
    return RP_OK;
}

static const char *const mlp_setting_names[] = { "hidden_layer_sizes", "activation", "alpha", "batch_size",
                                                 "learning_rate_init", "max_iter", "n_iter_no_change", "tol", NULL };

const mdl_learner mdl__mlp = {
    .name = "mlp",
    .title = "neural network",
    .params_help = "hidden_layer_sizes (100; two layers as 32;16), activation (relu | tanh), alpha (1e-4), "
                   "batch_size (200), learning_rate_init (0.001), max_iter (200 epochs), n_iter_no_change (10), "
                   "tol (1e-4); as scikit-learn's MLPClassifier",
    .settings = mlp_setting_names,
    .check = mlp_check,
    .fit = mlp_fit,
    .predict = mlp_predict,
    .describe = mlp_describe,
    .free = mlp_free,
    .save = mlp_save,
    .load = mlp_load,
};
