/* gbm.c — gradient-boosted trees on histograms, the way LightGBM and scikit-learn's
 * HistGradientBoostingClassifier grow them (Ke et al. 2017): each numeric column cut into at most
 * 255 bins at quantiles of the rows of the fit, missing values a bin of their own; each round fits
 * a tree to the log-loss's gradients and hessians, grown leaf by leaf (the leaf whose best split
 * gains most goes first) up to max_leaf_nodes, a split's gain GL²/(HL+λ) + GR²/(HR+λ) − G²/(H+λ)
 * read off per-bin sums (a child's histogram is its parent's less its sibling's, so only the
 * smaller child is counted); missing values go to the side that gains more; a category's levels are
 * ordered by G/H and cut as numbers are.  Leaves shrink by learning_rate.  With early_stopping (on
 * by default past 10,000 rows, as scikit-learn's 'auto'), a stratified tenth of the rows is kept
 * aside and the rounds stop when its log-loss has not improved for n_iter_no_change rounds.
 * See models.h. */
#include "models/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAXBIN = 255 }; /* bins 0..254 for values; bin 255 for missing */
#define MISSING_BIN 255

typedef struct {
    int feature;          /* -1: a leaf */
    int left, right;
    double thr;           /* numeric: x <= thr goes left */
    uint8_t *cat_left;    /* categorical: per level 1 when it goes left */
    uint8_t missing_left;
    double value;         /* a leaf's score */
} gnode;

/* A tree flattened for scoring without branches: every node steps to left + !(goes left); a leaf
 * steps to itself (its test always passes), so a row walks the tree's depth in steps all the same. */
typedef struct {
    double thr;
    int32_t feature, left;
    int32_t missing_left;
} fnode;

typedef struct {
    gnode *n;
    int nn;
    fnode *flat;          /* NULL: walk n (a categorical split, or children not side by side) */
    int depth;
} gtree;

struct mdl_model {
    gtree *trees;
    int ntrees;
    double base;          /* the log-odds every score starts from */
    double lr;
    int ncols;
    int *nlevels;         /* per column, for categorical splits */
    int stopped_early, rounds_run;
    double best_val_loss;
};

typedef struct {
    double g, h;
    uint32_t n;
} hbin;

typedef struct {
    const mdl_frame *f;
    int nf;
    uint8_t *bins;        /* nf x nrows (of the frame), column by column */
    double *edges;        /* nf x MAXBIN: numeric bin b holds x <= edges[b] */
    int *nb;              /* bins used per feature */
    double lambda;
    int min_leaf, max_leaves, max_depth;
} booster;

/* ---- binning ---- */

/* Column c's bin edges from the distinct values of (a sample of 200,000 of) the rows of the fit:
 * each distinct value its own bin when there are at most 254, else at their quantiles. */
static int column_edges(booster *B, int c, const size_t *rows, size_t n)
{
    const mdl_col *col = &B->f->cols[c];
    double *e = B->edges + (size_t)c * MAXBIN;
    if (col->kind == MDL_CAT) {
        B->nb[c] = col->nlevels < MAXBIN ? col->nlevels : MAXBIN;
        return RP_OK;
    }
    size_t m = 0, step = n > 200000 ? n / 200000 : 1;
    double *v = malloc((n / step + 1) * sizeof *v);
    uint32_t *id = calloc(n / step + 1, sizeof *id);
    if (!v || !id) {
        free(v);
        free(id);
        return RP_NOMEM;
    }
    for (size_t i = 0; i < n; i += step)
        if (!isnan(col->x[rows[i]]))
            v[m++] = col->x[rows[i]];
    int rc = mdl__sort_pairs(v, id, m);
    free(id);
    size_t d = 0;
    for (size_t i = 0; !rc && i < m; i++)
        if (!d || v[i] != v[d - 1])
            v[d++] = v[i];
    int nb = 0;
    if (d <= MAXBIN) {
        for (size_t i = 0; i + 1 < d; i++)
            e[nb++] = v[i] + (v[i + 1] - v[i]) / 2;
    } else { /* at quantiles of the distinct values' positions among all values */
        for (int b = 1; b < MAXBIN; b++) {
            double q = v[(size_t)((double)b * (double)d / MAXBIN)];
            if (!nb || q > e[nb - 1])
                e[nb++] = q;
        }
    }
    e[nb++] = INFINITY; /* the last bin takes the rest */
    B->nb[c] = nb;
    free(v);
    return rc;
}

static uint8_t bin_of(const booster *B, int c, size_t row)
{
    const mdl_col *col = &B->f->cols[c];
    if (col->kind == MDL_CAT) {
        int32_t k = col->code[row];
        return k < 0 ? MISSING_BIN : k < MAXBIN - 1 ? (uint8_t)k : (uint8_t)(MAXBIN - 1);
    }
    double x = col->x[row];
    if (isnan(x))
        return MISSING_BIN;
    const double *e = B->edges + (size_t)c * MAXBIN;
    int lo = 0, len = B->nb[c]; /* the first edge at or above x (the last is infinite), without branches */
    while (len > 1) {
        int half = len / 2;
        lo += e[lo + half - 1] < x ? half : 0;
        len -= half;
    }
    return (uint8_t)(lo + (e[lo] < x));
}

typedef struct {
    booster *B;
    const size_t *rows;
    size_t n;
    int nparts, rc[64];
} bin_job;

static void edges_part(void *v, int k) /* part k of the columns */
{
    bin_job *j = v;
    int nc = j->B->nf;
    for (int c = k * nc / j->nparts; c < (k + 1) * nc / j->nparts && !j->rc[k]; c++)
        j->rc[k] = column_edges(j->B, c, j->rows, j->n);
}

static void bins_part(void *v, int k) /* part k of the frame's rows */
{
    bin_job *j = v;
    booster *B = j->B;
    size_t N = B->f->nrows;
    size_t from = (size_t)k * N / (size_t)j->nparts, to = (size_t)(k + 1) * N / (size_t)j->nparts;
    for (int c = 0; c < B->nf; c++)
        for (size_t r = from; r < to; r++)
            B->bins[(size_t)c * N + r] = bin_of(B, c, r);
}

/* Every column's edges from the rows of the fit, and every row of the frame binned. */
static int bin_all(booster *B, const size_t *rows, size_t n)
{
    bin_job j = { .B = B, .rows = rows, .n = n, .nparts = B->nf < 8 ? (B->nf ? B->nf : 1) : 8 };
    mdl__parallel(j.nparts, edges_part, &j);
    for (int k = 0; k < j.nparts; k++)
        if (j.rc[k])
            return j.rc[k];
    j.nparts = 8;
    mdl__parallel(j.nparts, bins_part, &j);
    return RP_OK;
}

/* ---- one tree ---- */

typedef struct {
    int node, depth;
    size_t from, n;
    double G, H;
    hbin *hist;
    /* its best split */
    double gain;
    int feat, cut, missing_left;
    uint8_t left_bins[MAXBIN + 1]; /* categorical: 1 for the bins going left */
} leafw;

typedef struct {
    booster *B;
    size_t *idx;           /* the rows of the round, partitioned leaf by leaf, each leaf's in order */
    size_t *tmp, *tmp2;    /* as many each, for partitioning */
    float *og, *oh;        /* as many: a leaf's gradients and hessians in its rows' order (as
                            * scikit-learn, single precision: the sums are double) */
    const double *g, *h;   /* per frame row */
    gtree *t;
    int cap;
} grow;

static double score(double G, double H, double lambda) { return G * G / (H + lambda); }

typedef struct {
    const grow *w;
    const leafw *l;
    int nparts;
} hist_job;

/* The histograms of part k of the features over the leaf's rows: each feature's column of bins read
 * at the leaf's rows, its histogram (256 bins) kept in the nearest cache the while. */
static void hist_part(void *v, int k)
{
    hist_job *j = v;
    const grow *w = j->w;
    const booster *B = w->B;
    const size_t *idx = w->idx + j->l->from, n = j->l->n, N = B->f->nrows;
    int from = k * B->nf / j->nparts, to = (k + 1) * B->nf / j->nparts;
    hbin odd[MAXBIN + 1];
    for (int c = from; c < to; c++) {
        hbin *h = j->l->hist + (size_t)c * (MAXBIN + 1);
        const uint8_t *bins = B->bins + (size_t)c * N;
        memset(h, 0, (MAXBIN + 1) * sizeof *h);
        size_t i = 0;
        if (n < 2048) { /* a small leaf: one histogram (a second's clearing and adding would cost more) */
            for (; i < n; i++) {
                hbin *x = &h[bins[idx[i]]];
                x->g += w->og[i];
                x->h += w->oh[i];
                x->n++;
            }
            continue;
        }
        memset(odd, 0, sizeof odd);
        for (; i + 1 < n; i += 2) { /* two histograms, even rows and odd: two chains of sums, not one */
            hbin *x = &h[bins[idx[i]]], *z = &odd[bins[idx[i + 1]]];
            x->g += w->og[i];
            x->h += w->oh[i];
            x->n++;
            z->g += w->og[i + 1];
            z->h += w->oh[i + 1];
            z->n++;
        }
        if (i < n) {
            hbin *x = &h[bins[idx[i]]];
            x->g += w->og[i];
            x->h += w->oh[i];
            x->n++;
        }
        for (int b = 0; b <= MAXBIN; b++) {
            h[b].g += odd[b].g;
            h[b].h += odd[b].h;
            h[b].n += odd[b].n;
        }
    }
}

/* A leaf's histogram of every feature: the gradients of its rows gathered in their order first
 * (scikit-learn's ordered gradients), the features then shared among the cores (each its own bins:
 * the sums add in the rows' order, the same on any machine). */
static int build_hist(const grow *w, leafw *l)
{
    for (size_t i = 0; i < l->n; i++) {
        size_t r = w->idx[l->from + i];
        w->og[i] = (float)w->g[r];
        w->oh[i] = (float)w->h[r];
    }
    hist_job j = { .w = w, .l = l, .nparts = w->B->nf < 8 ? (w->B->nf ? w->B->nf : 1) : 8 };
    if (l->n < 4096)
        j.nparts = 1;
    mdl__parallel(j.nparts, hist_part, &j);
    return RP_OK;
}

typedef struct {
    int bin;
    double key;
} ordbin;

static int by_key(const void *a, const void *b)
{
    double x = ((const ordbin *)a)->key, y = ((const ordbin *)b)->key;
    return x < y ? -1 : x > y ? 1 : ((const ordbin *)a)->bin - ((const ordbin *)b)->bin;
}

/* The best split of a leaf, from its histogram, into l's split members; gain 0 when none. */
static void best_split(const grow *w, leafw *l)
{
    const booster *B = w->B;
    double lam = B->lambda, parent = score(l->G, l->H, lam);
    size_t ml = (size_t)B->min_leaf;
    l->gain = 0;
    l->feat = -1;
    if (l->n < 2 * ml || (B->max_depth > 0 && l->depth >= B->max_depth))
        return;
    for (int c = 0; c < B->nf; c++) {
        const hbin *hc = l->hist + (size_t)c * (MAXBIN + 1), *mb = &hc[MISSING_BIN];
        int cat = B->f->cols[c].kind == MDL_CAT, nb = B->nb[c];
        ordbin ord[MAXBIN];
        int no = 0;
        for (int b = 0; b < nb; b++)
            if (hc[b].n)
                ord[no++] = (ordbin){ b, cat ? hc[b].g / (hc[b].h + 10) : b }; /* categories by their smoothed G/H */
        if (cat)
            qsort(ord, (size_t)no, sizeof *ord, by_key);
        double GL = 0, HL = 0;
        size_t NL = 0;
        for (int j = 0; j + 1 < no; j++) {
            const hbin *x = &hc[ord[j].bin];
            GL += x->g;
            HL += x->h;
            NL += x->n;
            for (int miss = 0; miss < 2; miss++) {
                if (miss && !mb->n)
                    break;
                double gl = GL + (miss ? mb->g : 0), hl = HL + (miss ? mb->h : 0);
                size_t nl = NL + (miss ? mb->n : 0), nr = l->n - nl;
                if (nl < ml || nr < ml || hl < 1e-3 || l->H - hl < 1e-3)
                    continue;
                double gain = score(gl, hl, lam) + score(l->G - gl, l->H - hl, lam) - parent;
                if (gain > l->gain + 1e-12) {
                    l->gain = gain;
                    l->feat = c;
                    l->cut = ord[j].bin; /* numeric: the last bin that goes left */
                    l->missing_left = miss;
                    memset(l->left_bins, 0, sizeof l->left_bins);
                    for (int k = 0; k <= j; k++)
                        l->left_bins[ord[k].bin] = 1;
                    l->left_bins[MISSING_BIN] = (uint8_t)miss;
                }
            }
        }
    }
}

static int add_node(gtree *t, int *cap, double value)
{
    if (t->nn == *cap) {
        int c = *cap ? 2 * *cap : 16;
        gnode *q = realloc(t->n, (size_t)c * sizeof *q);
        if (!q)
            return -1;
        t->n = q;
        *cap = c;
    }
    t->n[t->nn] = (gnode){ .feature = -1, .left = -1, .right = -1, .value = value };
    return t->nn++;
}

typedef struct {
    const grow *w;
    const leafw *l;
    const uint8_t *bins;   /* the split feature's */
    int nparts;
    size_t nl[8];
    double gl[8], hl[8];
} part_job;

/* Part k of a leaf's rows split stably: its left rows to tmp, its right ones to tmp2, each from the
 * part's first position; their number and sums. */
static void partition_part(void *v, int k)
{
    part_job *j = v;
    const grow *w = j->w;
    const leafw *l = j->l;
    size_t a = l->from + (size_t)k * l->n / (size_t)j->nparts, b = l->from + (size_t)(k + 1) * l->n / (size_t)j->nparts;
    size_t nl = 0, nr = 0;
    double gl = 0, hl = 0;
    for (size_t i = a; i < b; i++) {
        size_t r = w->idx[i];
        if (l->left_bins[j->bins[r]]) {
            w->tmp[a + nl++] = r;
            gl += w->g[r];
            hl += w->h[r];
        } else
            w->tmp2[a + nr++] = r;
    }
    j->nl[k] = nl;
    j->gl[k] = gl;
    j->hl[k] = hl;
}

/* Split leaf l into its node's two children: the rows partitioned, the smaller child's histogram
 * counted and the other's by difference (into the parent's, which it takes over). */
static int split_leaf(grow *w, leafw *l, leafw *a, leafw *b)
{
    booster *B = w->B;
    part_job pj = { .w = w, .l = l, .bins = B->bins + (size_t)l->feat * B->f->nrows,
                    .nparts = l->n >= 2 * 32768 ? (l->n >= 8 * 32768 ? 8 : (int)(l->n / 32768)) : 1 };
    mdl__parallel(pj.nparts, partition_part, &pj);
    size_t k = l->from;
    double GL = 0, HL = 0;
    for (int p = 0; p < pj.nparts; p++) { /* the left rows of each part in order, then the right */
        size_t from = l->from + (size_t)p * l->n / (size_t)pj.nparts;
        memcpy(w->idx + k, w->tmp + from, pj.nl[p] * sizeof *w->idx);
        k += pj.nl[p];
        GL += pj.gl[p];
        HL += pj.hl[p];
    }
    size_t at = k;
    for (int p = 0; p < pj.nparts; p++) {
        size_t from = l->from + (size_t)p * l->n / (size_t)pj.nparts, to = l->from + (size_t)(p + 1) * l->n / (size_t)pj.nparts;
        memcpy(w->idx + at, w->tmp2 + from, (to - from - pj.nl[p]) * sizeof *w->idx);
        at += to - from - pj.nl[p];
    }
    gnode *nd = &w->t->n[l->node];
    const mdl_col *col = &B->f->cols[l->feat];
    nd->feature = l->feat;
    nd->missing_left = (uint8_t)l->missing_left;
    if (col->kind == MDL_NUM) {
        /* left is bins 0..cut, ordered by bin */
        nd->thr = B->edges[(size_t)l->feat * MAXBIN + l->cut];
    } else {
        if (!(nd->cat_left = calloc((size_t)col->nlevels + 1, 1)))
            return RP_NOMEM;
        for (int lv = 0; lv < col->nlevels; lv++)
            nd->cat_left[lv] = l->left_bins[lv < MAXBIN - 1 ? lv : MAXBIN - 1];
    }
    int L = add_node(w->t, &w->cap, 0), R = L < 0 ? -1 : add_node(w->t, &w->cap, 0);
    if (L < 0 || R < 0)
        return RP_NOMEM;
    w->t->n[l->node].left = L;
    w->t->n[l->node].right = R;
    *a = (leafw){ .node = L, .depth = l->depth + 1, .from = l->from, .n = k - l->from, .G = GL, .H = HL };
    *b = (leafw){ .node = R, .depth = l->depth + 1, .from = k, .n = l->from + l->n - k, .G = l->G - GL, .H = l->H - HL };
    size_t hsz = (size_t)B->nf * (MAXBIN + 1);
    leafw *small = a->n <= b->n ? a : b, *big = small == a ? b : a;
    if (!(small->hist = malloc(hsz * sizeof *small->hist)) || build_hist(w, small))
        return RP_NOMEM;
    big->hist = l->hist;
    l->hist = NULL;
    for (size_t i = 0; i < hsz; i++) {
        big->hist[i].g -= small->hist[i].g;
        big->hist[i].h -= small->hist[i].h;
        big->hist[i].n -= small->hist[i].n;
    }
    best_split(w, a);
    best_split(w, b);
    return RP_OK;
}

/* One tree on the rows idx[0..n), leaves valued -G/(H+λ) times lr; F of each row moved by its leaf. */
static int grow_tree(booster *B, size_t *idx, size_t *tmp, float *og, size_t n, const double *g, const double *h,
                     double lr, gtree *t, double *F)
{
    grow w = { .B = B, .idx = idx, .tmp = tmp, .tmp2 = tmp + n, .og = og, .oh = og + n, .g = g, .h = h, .t = t };
    leafw *leaves = calloc((size_t)B->max_leaves + 1, sizeof *leaves);
    int nl = 0, rc = RP_OK;
    if (!leaves || add_node(t, &w.cap, 0) < 0) {
        free(leaves);
        return RP_NOMEM;
    }
    leaves[0] = (leafw){ .node = 0, .from = 0, .n = n };
    for (size_t i = 0; i < n; i++) {
        leaves[0].G += g[idx[i]];
        leaves[0].H += h[idx[i]];
    }
    if (!(leaves[0].hist = malloc((size_t)B->nf * (MAXBIN + 1) * sizeof(hbin))) || build_hist(&w, &leaves[0])) {
        free(leaves[0].hist);
        free(leaves);
        return RP_NOMEM;
    }
    best_split(&w, &leaves[0]);
    nl = 1;
    while (nl < B->max_leaves && !rc) {
        int best = -1;
        for (int i = 0; i < nl; i++)
            if (leaves[i].feat >= 0 && (best < 0 || leaves[i].gain > leaves[best].gain))
                best = i;
        if (best < 0)
            break;
        leafw a, b;
        rc = split_leaf(&w, &leaves[best], &a, &b);
        free(leaves[best].hist);
        leaves[best] = a;
        leaves[nl++] = b;
        if (rc) {
            free(b.hist);
            break;
        }
    }
    for (int i = 0; i < nl; i++) {
        double v = -lr * leaves[i].G / (leaves[i].H + B->lambda);
        t->n[leaves[i].node].value = v;
        for (size_t k = leaves[i].from; k < leaves[i].from + leaves[i].n; k++)
            F[idx[k]] += v;
        free(leaves[i].hist);
    }
    free(leaves);
    return rc;
}

/* ---- boosting ---- */

static double tree_score(const gtree *t, const mdl_frame *f, size_t row)
{
    const gnode *nd = &t->n[0];
    while (nd->feature >= 0) {
        const mdl_col *c = &f->cols[nd->feature];
        int left;
        if (c->kind == MDL_NUM) {
            double x = c->x[row];
            left = (x <= nd->thr) | (nd->missing_left & (x != x)); /* no branch: a NaN fails x <= thr */
        } else {
            int32_t k = c->code[row];
            left = k < 0 ? nd->missing_left : nd->cat_left[k < c->nlevels ? k : c->nlevels];
        }
        nd = &t->n[left ? nd->left : nd->right];
    }
    return nd->value;
}

static void gbm_free(mdl_model *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->ntrees; i++) {
        for (int k = 0; k < m->trees[i].nn; k++)
            free(m->trees[i].n[k].cat_left);
        free(m->trees[i].n);
        free(m->trees[i].flat);
    }
    free(m->trees);
    free(m->nlevels);
    free(m);
}

/* The depth below node k, and whether every split there is numeric with its children side by side. */
static int flat_depth(const gtree *t, const mdl_frame *f, int k, int *ok)
{
    const gnode *nd = &t->n[k];
    if (nd->feature < 0)
        return 0;
    if (nd->right != nd->left + 1 || f->cols[nd->feature].kind != MDL_NUM || nd->left <= k)
        *ok = 0;
    if (!*ok)
        return 0;
    int a = flat_depth(t, f, nd->left, ok), b = flat_depth(t, f, nd->right, ok);
    return 1 + (a > b ? a : b);
}

/* Each tree's flat form, where it has one (a model without memory for it walks its trees). */
static void flatten(struct mdl_model *m, const mdl_frame *f)
{
    int num = -1;
    for (int c = 0; c < f->ncols && num < 0; c++)
        num = f->cols[c].kind == MDL_NUM ? c : -1;
    for (int i = 0; num >= 0 && i < m->ntrees; i++) {
        gtree *t = &m->trees[i];
        int ok = 1;
        t->depth = flat_depth(t, f, 0, &ok);
        if (!ok || !(t->flat = malloc((size_t)t->nn * sizeof *t->flat)))
            continue;
        for (int k = 0; k < t->nn; k++) {
            const gnode *nd = &t->n[k];
            t->flat[k] = nd->feature >= 0
                             ? (fnode){ .thr = nd->thr, .feature = nd->feature, .left = nd->left, .missing_left = nd->missing_left }
                             : (fnode){ .thr = INFINITY, .feature = num, .left = k, .missing_left = 1 };
        }
    }
}

typedef struct {
    double lr, lambda, val_share, tol;
    int rounds, leaves, depth, min_leaf, patience, early; /* early: -1 auto */
} gbm_settings_t;

static int gbm_settings(const mdl_params *p, gbm_settings_t *s, rp_error *err)
{
    int rc;
    const char *es = mdl__param(p, "early_stopping");
    if ((rc = mdl__param_real(p, "learning_rate", 0.1, 1e-6, 1, &s->lr, err)) ||
        (rc = mdl__param_int(p, "max_iter", 100, 1, 100000, &s->rounds, err)) ||
        (rc = mdl__param_int(p, "max_leaf_nodes", 31, 2, 65536, &s->leaves, err)) ||
        (rc = mdl__param_int(p, "max_depth", 0, 0, 64, &s->depth, err)) ||
        (rc = mdl__param_int(p, "min_samples_leaf", 20, 1, 1000000, &s->min_leaf, err)) ||
        (rc = mdl__param_real(p, "l2_regularization", 0, 0, 1e12, &s->lambda, err)) ||
        (rc = mdl__param_real(p, "validation_fraction", 0.1, 0.01, 0.5, &s->val_share, err)) ||
        (rc = mdl__param_int(p, "n_iter_no_change", 10, 1, 1000, &s->patience, err)) ||
        (rc = mdl__param_real(p, "tol", 1e-7, 0, 1, &s->tol, err)))
        return rc;
    s->early = !es || !strcmp(es, "auto") ? -1 : !strcmp(es, "on") ? 1 : !strcmp(es, "off") ? 0 : -2;
    if (s->early == -2)
        return rp_err(err, RP_INVAL, "early_stopping: auto, on or off, not '%.20s'", es);
    return RP_OK;
}

static int gbm_check(const mdl_params *p, rp_error *err)
{
    gbm_settings_t s;
    return gbm_settings(p, &s, err);
}

static double logloss_of(const double *F, const uint8_t *y, const size_t *rows, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        double f = F[rows[i]];
        /* log(1 + e^f) - y f, computed without overflow */
        s += (f > 0 ? f + log1p(exp(-f)) : log1p(exp(f))) - y[rows[i]] * f;
    }
    return s / (double)(n ? n : 1);
}

typedef struct {
    const mdl_frame *f;
    const size_t *tr;
    size_t n;
    const double *F;
    double *g, *h;
    size_t *idx;
} grad_job;

/* The log-loss's gradient and hessian at part k of 8 of the rows (each row its own). */
static void grad_part(void *v, int k)
{
    grad_job *j = v;
    int parts = j->n >= 65536 ? 8 : 1;
    for (size_t i = (size_t)k * j->n / (size_t)parts; i < (size_t)(k + 1) * j->n / (size_t)parts; i++) {
        size_t row = j->tr[i];
        double p = 1 / (1 + exp(-j->F[row]));
        j->g[row] = p - j->f->y[row];
        j->h[row] = p * (1 - p) > 1e-16 ? p * (1 - p) : 1e-16;
        j->idx[i] = row;
    }
}

/* Rounds of trees on the rows tr, watching va (nva rows, or none). */
static int boost(booster *B, struct mdl_model *m, const gbm_settings_t *s, const size_t *tr, size_t ntr,
                 const size_t *va, size_t nva)
{
    const mdl_frame *f = B->f;
    size_t N = f->nrows;
    double *F = malloc(N * sizeof *F), *g = malloc(N * sizeof *g), *h = malloc(N * sizeof *h);
    size_t *idx = malloc((ntr ? ntr : 1) * sizeof *idx), *tmp = malloc((ntr ? 2 * ntr : 1) * sizeof *tmp);
    float *og = malloc((ntr ? 2 * ntr : 1) * sizeof *og);
    m->trees = calloc((size_t)s->rounds, sizeof *m->trees);
    if (!F || !g || !h || !idx || !tmp || !og || !m->trees) {
        free(F), free(g), free(h), free(idx), free(tmp), free(og);
        return RP_NOMEM;
    }
    size_t pos = 0;
    for (size_t i = 0; i < ntr; i++)
        pos += f->y[tr[i]];
    double prior = ((double)pos + 1e-9) / ((double)ntr + 2e-9);
    m->base = log(prior / (1 - prior));
    for (size_t i = 0; i < ntr; i++)
        F[tr[i]] = m->base;
    for (size_t i = 0; i < nva; i++)
        F[va[i]] = m->base;
    double best = nva ? logloss_of(F, f->y, va, nva) : 0;
    int since = 0, rc = RP_OK, best_round = 0;
    for (int r = 0; r < s->rounds && !rc; r++) {
        grad_job gj = { .f = f, .tr = tr, .n = ntr, .F = F, .g = g, .h = h, .idx = idx };
        mdl__parallel(ntr >= 65536 ? 8 : 1, grad_part, &gj);
        rc = grow_tree(B, idx, tmp, og, ntr, g, h, s->lr, &m->trees[r], F);
        m->ntrees = r + 1;
        if (rc || !nva)
            continue;
        for (size_t i = 0; i < nva; i++)
            F[va[i]] += tree_score(&m->trees[r], f, va[i]);
        double loss = logloss_of(F, f->y, va, nva);
        if (loss < best - s->tol * fabs(best)) {
            best = loss;
            best_round = r + 1;
            since = 0;
        } else if (++since >= s->patience) {
            m->stopped_early = 1;
            break;
        }
    }
    m->rounds_run = m->ntrees;
    if (!rc && nva && best_round && best_round < m->ntrees) { /* keep the rounds up to the best */
        for (int t = best_round; t < m->ntrees; t++) {
            for (int k = 0; k < m->trees[t].nn; k++)
                free(m->trees[t].n[k].cat_left);
            free(m->trees[t].n);
        }
        m->ntrees = best_round;
    }
    m->best_val_loss = best;
    free(F), free(g), free(h), free(idx), free(tmp), free(og);
    return rc;
}

static int gbm_fit(const mdl_frame *f, const size_t *rows, size_t n, const mdl_params *p, mdl_model **out,
                   rp_error *err)
{
    gbm_settings_t s;
    int rc;
    if ((rc = mdl_params_check(&mdl__gbm, p, err)) || (rc = gbm_settings(p, &s, err)))
        return rc;
    struct mdl_model *m = calloc(1, sizeof *m);
    booster B = { .f = f, .nf = f->ncols, .lambda = s.lambda, .min_leaf = s.min_leaf, .max_leaves = s.leaves,
                  .max_depth = s.depth };
    B.bins = malloc((size_t)f->ncols * f->nrows);
    B.edges = malloc((size_t)f->ncols * MAXBIN * sizeof *B.edges);
    B.nb = calloc((size_t)f->ncols, sizeof *B.nb);
    int early = s.early < 0 ? n > 10000 : s.early;
    uint8_t *y = early ? malloc(n) : NULL, *hold = early ? malloc(n) : NULL;
    size_t *tr = malloc(n * sizeof *tr), *va = malloc(n * sizeof *va), ntr = 0, nva = 0;
    rc = !m || !B.bins || !B.edges || !B.nb || !tr || !va || (early && (!y || !hold)) ? RP_NOMEM : RP_OK;
    if (!rc && early) {
        for (size_t i = 0; i < n; i++)
            y[i] = f->y[rows[i]];
        mdl_split_holdout(y, n, s.val_share, p->seed ^ 0x5eed, hold);
    }
    for (size_t i = 0; !rc && i < n; i++) {
        if (early && hold[i])
            va[nva++] = rows[i];
        else
            tr[ntr++] = rows[i];
    }
    if (!rc)
        rc = bin_all(&B, tr, ntr);
    if (!rc) {
        m->lr = s.lr;
        m->ncols = f->ncols;
        rc = boost(&B, m, &s, tr, ntr, va, nva);
    }
    free(B.bins);
    free(B.edges);
    free(B.nb);
    free(y);
    free(hold);
    free(tr);
    free(va);
    if (rc) {
        gbm_free(m);
        return rp_err(err, RP_NOMEM, "gbm: %s", rp_strerror(RP_NOMEM));
    }
    flatten(m, f);
    *out = m;
    return RP_OK;
}

/* Sixteen rows at a time through each flat tree, step by step to its depth, without a branch to
 * mispredict (a row at a leaf stays there); a tree without a flat form is walked. */
static void gbm_predict(const mdl_model *m, const mdl_frame *f, const size_t *rows, size_t n, double *out)
{
    enum { LANES = 16 };
    const double **x = malloc(((size_t)f->ncols + 1) * sizeof *x);
    for (int c = 0; x && c < f->ncols; c++)
        x[c] = f->cols[c].kind == MDL_NUM ? f->cols[c].x : NULL;
    for (size_t b = 0; b < n; b += LANES) {
        size_t w = n - b < LANES ? n - b : LANES;
        double F[LANES];
        for (size_t r = 0; r < w; r++)
            F[r] = m->base;
        for (int t = 0; t < m->ntrees; t++) {
            const gtree *tr = &m->trees[t];
            if (!tr->flat || !x || w < LANES) {
                for (size_t r = 0; r < w; r++)
                    F[r] += tree_score(tr, f, rows[b + r]);
                continue;
            }
            int32_t k[LANES] = { 0 };
            for (int d = 0; d < tr->depth; d++)
                for (int r = 0; r < LANES; r++) {
                    const fnode *nd = &tr->flat[k[r]];
                    double v = x[nd->feature][rows[b + (size_t)r]];
                    k[r] = nd->left + !((v <= nd->thr) | (nd->missing_left & (v != v)));
                }
            for (int r = 0; r < LANES; r++)
                F[r] += tr->n[k[r]].value;
        }
        for (size_t r = 0; r < w; r++)
            out[b + r] = 1 / (1 + exp(-F[r]));
    }
    free(x);
}

/* Importance: how often each feature splits, and the share of the trees' splits that are its. */
static json_t *gbm_describe(const mdl_model *m, const mdl_frame *f)
{
    int *uses = calloc((size_t)f->ncols + 1, sizeof *uses), total = 0, leaves = 0;
    for (int t = 0; t < m->ntrees; t++)
        for (int k = 0; k < m->trees[t].nn; k++) {
            int c = m->trees[t].n[k].feature;
            if (c >= 0 && uses) {
                uses[c]++;
                total++;
            } else if (c < 0) {
                leaves++;
            }
        }
    json_t *imp = json_array();
    for (int c = 0; uses && c < f->ncols; c++)
        json_array_append_new(imp, json_pack("{s:s, s:i, s:f}", "feature", f->cols[c].name, "splits", uses[c], "share",
                                             total ? (double)uses[c] / total : 0));
    free(uses);
    return json_pack("{s:i, s:i, s:b, s:f, s:f, s:i, s:o}", "trees", m->ntrees, "rounds_run", m->rounds_run,
                     "stopped_early", m->stopped_early, "learning_rate", m->lr, "base_score", m->base, "leaves", leaves,
                     "importance", imp);
}

static const char *const gbm_setting_names[] = { "learning_rate", "max_iter", "max_leaf_nodes", "max_depth",
                                                 "min_samples_leaf", "l2_regularization", "early_stopping",
                                                 "validation_fraction", "n_iter_no_change", "tol", NULL };

static json_t *gbm_save(const mdl_model *m, const mdl_frame *f)
{
    json_t *trees = json_array();
    for (int i = 0; i < m->ntrees; i++) {
        json_t *nodes = json_array();
        for (int k = 0; k < m->trees[i].nn; k++) {
            const gnode *nd = &m->trees[i].n[k];
            json_t *o = json_pack("[i, i, i, f, b, f]", nd->feature, nd->left, nd->right, isfinite(nd->thr) ? nd->thr : 0.0,
                                  nd->missing_left, nd->value);
            if (nd->feature >= 0 && nd->cat_left)
                json_array_append_new(o, mdl__bytes(nd->cat_left, (size_t)f->cols[nd->feature].nlevels + 1));
            json_array_append_new(nodes, o);
        }
        json_array_append_new(trees, nodes);
    }
    return json_pack("{s:f, s:f, s:o, s:i, s:i, s:f}", "base", m->base, "learning_rate", m->lr, "trees", trees,
                     "stopped_early", m->stopped_early, "rounds_run", m->rounds_run, "best_val_loss",
                     isfinite(m->best_val_loss) ? m->best_val_loss : 0.0);
}

/* One tree's nodes from JSON against f's columns; -1 when they do not fit. */
static int gtree_load(const json_t *nodes, const mdl_frame *f, gtree *t)
{
    size_t nn = json_array_size(nodes);
    if (!nn || !(t->n = calloc(nn, sizeof *t->n)))
        return -1;
    t->nn = (int)nn;
    for (size_t k = 0; k < nn; k++) {
        const json_t *o = json_array_get(nodes, k);
        gnode *nd = &t->n[k];
        nd->feature = (int)json_integer_value(json_array_get(o, 0));
        nd->left = (int)json_integer_value(json_array_get(o, 1));
        nd->right = (int)json_integer_value(json_array_get(o, 2));
        nd->thr = json_number_value(json_array_get(o, 3));
        nd->missing_left = json_is_true(json_array_get(o, 4));
        nd->value = json_number_value(json_array_get(o, 5));
        if (nd->feature < 0)
            continue;
        if (nd->feature >= f->ncols || nd->left <= 0 || nd->right <= 0 || (size_t)nd->left >= nn ||
            (size_t)nd->right >= nn)
            return -1;
        if (f->cols[nd->feature].kind == MDL_CAT) {
            size_t nl = (size_t)f->cols[nd->feature].nlevels + 1;
            if (!(nd->cat_left = malloc(nl)) || mdl__bytes_get(json_array_get(o, 6), nd->cat_left, nl))
                return -1;
        }
    }
    return 0;
}

static int gbm_load(const json_t *j, const mdl_frame *f, mdl_model **out, rp_error *err)
{
    const json_t *trees = json_object_get(j, "trees");
    struct mdl_model *m = calloc(1, sizeof *m);
    size_t nt = json_array_size(trees);
    if (!m || !(m->trees = calloc(nt ? nt : 1, sizeof *m->trees)) ||
        !(m->nlevels = calloc((size_t)f->ncols + 1, sizeof *m->nlevels))) {
        gbm_free(m);
        return rp_err(err, RP_NOMEM, NULL);
    }
    m->ncols = f->ncols;
    for (int c = 0; c < f->ncols; c++)
        m->nlevels[c] = f->cols[c].nlevels;
    m->base = json_number_value(json_object_get(j, "base"));
    m->lr = json_number_value(json_object_get(j, "learning_rate"));
    m->stopped_early = (int)json_integer_value(json_object_get(j, "stopped_early"));
    m->rounds_run = (int)json_integer_value(json_object_get(j, "rounds_run"));
    m->best_val_loss = json_number_value(json_object_get(j, "best_val_loss"));
    for (size_t i = 0; i < nt; i++) {
        m->ntrees = (int)i + 1;
        if (gtree_load(json_array_get(trees, i), f, &m->trees[i])) {
            gbm_free(m);
            return rp_err(err, RP_PARSE, "gbm: tree %zu does not fit the model's columns", i + 1);
        }
    }
    flatten(m, f);
    *out = m;
    return RP_OK;
}

const mdl_learner mdl__gbm = {
    .name = "gbm",
    .title = "gradient-boosted trees on histograms",
    .params_help = "learning_rate (0.1), max_iter (100), max_leaf_nodes (31), max_depth (0: none), min_samples_leaf "
                   "(20), l2_regularization (0), early_stopping (auto: on past 10,000 rows | on | off), "
                   "validation_fraction (0.1), n_iter_no_change (10), tol (1e-7); as scikit-learn's "
                   "HistGradientBoostingClassifier",
    .settings = gbm_setting_names,
    .check = gbm_check,
    .fit = gbm_fit,
    .predict = gbm_predict,
    .describe = gbm_describe,
    .free = gbm_free,
    .save = gbm_save,
    .load = gbm_load,
};
