/* tree.c — CART (Breiman et al. 1984) for a binary target: splits that lower Gini impurity or
 * entropy most, numeric (x <= t) and categorical (a set of levels, found by ordering the levels by
 * their positive rate, which is optimal for two classes); missing values go to the side that fits
 * them better, learned at each split; growth stops at max_depth, or where a child would hold fewer
 * than min_leaf rows; then cost-complexity pruning (minimal cost-complexity, by the weakest link)
 * at the alpha that cross-validation (prune_folds) finds best by Brier score, or at ccp_alpha when
 * given.  See models.h. */
#include "models/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tnode {
    int feature;          /* -1: a leaf */
    double thr;           /* numeric: x <= thr goes left */
    uint8_t *side;        /* categorical: per level 1 left, 0 right, 2 not seen here (as missing) */
    uint8_t missing_left;
    int left, right;
    size_t n, pos;
    double p, cost;       /* positive rate; n times the node's impurity */
    int pruned;           /* a leaf by pruning */
} tnode;

struct mdl_model {
    tnode *nodes;
    int nn, cap;
    int entropy, max_depth, min_leaf;
    double alpha;
};

static double impurity(int entropy, size_t n, size_t pos)
{
    if (!n)
        return 0;
    double p = (double)pos / (double)n;
    if (!entropy)
        return 2 * p * (1 - p);
    double h = 0;
    if (p > 0)
        h -= p * log2(p);
    if (p < 1)
        h -= (1 - p) * log2(1 - p);
    return h;
}

static double cost_of(int entropy, size_t n, size_t pos) { return (double)n * impurity(entropy, n, pos); }

static int new_node(struct mdl_model *m, size_t n, size_t pos)
{
    if (m->nn == m->cap) {
        int cap = m->cap ? 2 * m->cap : 64;
        tnode *q = realloc(m->nodes, (size_t)cap * sizeof *q);
        if (!q)
            return -1;
        m->nodes = q;
        m->cap = cap;
    }
    tnode *t = &m->nodes[m->nn];
    *t = (tnode){ .feature = -1, .left = -1, .right = -1, .n = n, .pos = pos,
                  .p = n ? (double)pos / (double)n : 0, .cost = cost_of(m->entropy, n, pos) };
    return m->nn++;
}

typedef struct {
    int feature;
    double thr, cost;
    uint8_t missing_left;
    uint8_t *side;
} split;

/* ---- growing: level by level over columns sorted once ----
 *
 * Each numeric column's rows of the fit are sorted by value once (a radix sort) and kept so; a level
 * of the tree is grown in one pass over each column, every row adding to the counts of the node it
 * is in, so a node's candidate splits are met in the order of their thresholds without sorting its
 * rows again (SLIQ's way, Mehta, Agrawal and Rissanen 1996).  The splits found are the ones growing
 * node by node, sorting at each, finds; the nodes are numbered as that growth numbers them. */

typedef struct {
    double *x;             /* the values, ascending */
    uint32_t *at;          /* their rows' positions in the fit */
    size_t n;
    uint32_t *miss;        /* the positions without a value */
    size_t nmiss;
} sorted_col;

typedef struct {
    const mdl_frame *f;
    struct mdl_model *m;
    const size_t *rows;    /* the fit's rows of the frame, by position */
    size_t n;
    uint8_t *y;            /* by position */
    int32_t *in;           /* by position: the index of its node among the level's, -1 when in a leaf */
    sorted_col *cols;      /* per column (numeric ones) */
    int *act, nact;        /* the level's nodes that may split */
    split *best;           /* per part, per node of the level */
    int nparts;
} grower;

/* The better of sending a node's missing rows left or right, for left counts (nl, pl) of the others. */
static void consider(const struct mdl_model *m, split *best, int feature, double thr, size_t nl, size_t pl, size_t nr,
                     size_t pr, size_t nm, size_t pm)
{
    size_t ml = (size_t)m->min_leaf;
    for (int side = 0; side < 2; side++) {
        size_t a = nl + (side ? nm : 0), ap = pl + (side ? pm : 0), b = nr + (side ? 0 : nm), bp = pr + (side ? 0 : pm);
        if (a < ml || b < ml)
            continue;
        double c = cost_of(m->entropy, a, ap) + cost_of(m->entropy, b, bp);
        if (c < best->cost - 1e-12) {
            best->cost = c;
            best->feature = feature;
            best->thr = thr;
            best->missing_left = (uint8_t)side;
            if (best->side) { /* a numeric split now leads: the levels of an earlier one go */
                free(best->side);
                best->side = NULL;
            }
        }
    }
}

typedef struct {
    size_t nl, pl, nm, pm;
    double last;
} nacc;

/* One numeric column's best split of every node of the level, in one pass over its sorted rows. */
static int numeric_level(grower *g, int fi, split *best)
{
    const sorted_col *sc = &g->cols[fi];
    nacc *a = calloc((size_t)g->nact, sizeof *a);
    if (!a)
        return RP_NOMEM;
    for (size_t i = 0; i < sc->nmiss; i++) {
        int32_t k = g->in[sc->miss[i]];
        if (k >= 0) {
            a[k].nm++;
            a[k].pm += g->y[sc->miss[i]];
        }
    }
    for (size_t i = 0; i < sc->n; i++) {
        uint32_t j = sc->at[i];
        int32_t k = g->in[j];
        if (k < 0)
            continue;
        nacc *c = &a[k];
        double x = sc->x[i];
        if (c->nl && x > c->last) {
            const tnode *t = &g->m->nodes[g->act[k]];
            size_t m = t->n - c->nm, tp = t->pos - c->pm;
            consider(g->m, &best[k], fi, c->last + (x - c->last) / 2, c->nl, c->pl, m - c->nl, tp - c->pl, c->nm, c->pm);
        }
        c->nl++;
        c->pl += g->y[j];
        c->last = x;
    }
    free(a);
    return RP_OK;
}

typedef struct {
    int level;
    size_t n, pos;
} lvl;

static int by_rate(const void *a, const void *b)
{
    const lvl *u = a, *v = b;
    double x = (double)u->pos * (double)v->n, z = (double)v->pos * (double)u->n; /* u->pos/u->n vs v->pos/v->n */
    return x < z ? -1 : x > z ? 1 : u->level - v->level;
}

/* A node's best split by a categorical column from its counts per level (l, nlevels of them; index
 * nlevels the missing ones): the levels ordered by their positive rate, each prefix a candidate. */
static int categorical_node(const struct mdl_model *m, const tnode *t, lvl *l, int nlevels, int fi, split *best)
{
    size_t nm = l[nlevels].n, pm = l[nlevels].pos, tp = t->pos - pm;
    int present = 0;
    for (int k = 0; k < nlevels; k++)
        if (l[k].n)
            l[present++] = l[k];
    qsort(l, (size_t)present, sizeof *l, by_rate);
    size_t nl = 0, pl = 0;
    for (int j = 0; j + 1 < present; j++) {
        nl += l[j].n;
        pl += l[j].pos;
        double before = best->cost;
        consider(m, best, fi, NAN, nl, pl, t->n - nm - nl, tp - pl, nm, pm);
        if (best->cost < before) { /* this prefix leads: the levels up to j go left */
            uint8_t *side = malloc((size_t)nlevels);
            if (!side)
                return RP_NOMEM;
            memset(side, 2, (size_t)nlevels);
            for (int k = 0; k < present; k++)
                side[l[k].level] = k <= j;
            best->side = side;
        }
    }
    return RP_OK;
}

/* A categorical column's best split of every node of the level: counts per node and level in one
 * pass over the rows (nodes taken a batch at a time so the counts stay within a million cells,
 * 16 MB). */
static int categorical_level(grower *g, int fi, split *best)
{
    const mdl_col *c = &g->f->cols[fi];
    size_t L = (size_t)c->nlevels + 1, batch = (size_t)1 << 20;
    batch = batch / L ? batch / L : 1;
    int rc = RP_OK;
    for (size_t k0 = 0; !rc && k0 < (size_t)g->nact; k0 += batch) {
        size_t k1 = k0 + batch < (size_t)g->nact ? k0 + batch : (size_t)g->nact;
        lvl *cnt = calloc((k1 - k0) * L, sizeof *cnt);
        if (!cnt)
            return RP_NOMEM;
        for (size_t j = 0; j < g->n; j++) {
            int32_t k = g->in[j];
            if (k < 0 || (size_t)k < k0 || (size_t)k >= k1)
                continue;
            int32_t v = c->code[g->rows[j]];
            lvl *x = &cnt[((size_t)k - k0) * L + (v < 0 || v >= c->nlevels ? L - 1 : (size_t)v)];
            x->n++;
            x->pos += g->y[j];
        }
        for (size_t k = k0; !rc && k < k1; k++) {
            lvl *l = &cnt[(k - k0) * L];
            for (size_t v = 0; v + 1 < L; v++)
                l[v].level = (int)v;
            rc = categorical_node(g->m, &g->m->nodes[g->act[k]], l, c->nlevels, fi, &best[k]);
        }
        free(cnt);
    }
    return rc;
}

typedef struct {
    grower *g;
    int rc[64];
} level_job;

/* Part k of the columns (a contiguous run of them): its best split of each node into best[k]. */
static void level_part(void *v, int k)
{
    level_job *j = v;
    grower *g = j->g;
    int nc = g->f->ncols, from = k * nc / g->nparts, to = (k + 1) * nc / g->nparts;
    split *best = g->best + (size_t)k * (size_t)g->nact;
    for (int i = 0; i < g->nact; i++)
        best[i] = (split){ .feature = -1, .cost = g->m->nodes[g->act[i]].cost };
    for (int fi = from; fi < to && !j->rc[k]; fi++)
        j->rc[k] = g->f->cols[fi].kind == MDL_NUM ? numeric_level(g, fi, best) : categorical_level(g, fi, best);
}

/* Each numeric column's rows of the fit sorted by value: part k of the columns. */
static void sort_part(void *v, int k)
{
    level_job *j = v;
    grower *g = j->g;
    int nc = g->f->ncols, from = k * nc / g->nparts, to = (k + 1) * nc / g->nparts;
    for (int fi = from; fi < to && !j->rc[k]; fi++) {
        const mdl_col *c = &g->f->cols[fi];
        sorted_col *sc = &g->cols[fi];
        if (c->kind != MDL_NUM)
            continue;
        sc->x = malloc((g->n ? g->n : 1) * sizeof *sc->x);
        sc->at = malloc((g->n ? g->n : 1) * sizeof *sc->at);
        sc->miss = c->missing ? malloc((g->n ? g->n : 1) * sizeof *sc->miss) : NULL;
        if (!sc->x || !sc->at || (c->missing && !sc->miss)) {
            j->rc[k] = RP_NOMEM;
            break;
        }
        for (size_t i = 0; i < g->n; i++) {
            double x = c->x[g->rows[i]];
            if (isnan(x))
                sc->miss[sc->nmiss++] = (uint32_t)i;
            else {
                sc->x[sc->n] = x;
                sc->at[sc->n++] = (uint32_t)i;
            }
        }
        j->rc[k] = mdl__sort_pairs(sc->x, sc->at, sc->n);
    }
}

static int goes_left(const mdl_frame *f, const tnode *t, size_t row)
{
    const mdl_col *c = &f->cols[t->feature];
    if (c->kind == MDL_NUM)
        return isnan(c->x[row]) ? t->missing_left : c->x[row] <= t->thr;
    return c->code[row] < 0 || t->side[c->code[row]] == 2 ? t->missing_left : t->side[c->code[row]];
}

static int may_split(const struct mdl_model *m, const tnode *t, int depth)
{
    return depth < m->max_depth && t->n >= 2 * (size_t)m->min_leaf && t->pos > 0 && t->pos < t->n;
}

/* The level's nodes split by their best (the parts' bests in column order), each row moved to its
 * child, and the next level's nodes that may split. */
static int split_level(grower *g, int depth)
{
    struct mdl_model *m = g->m;
    int *child = malloc(((size_t)g->nact + 1) * sizeof *child), nnext = 0;
    if (!child)
        return RP_NOMEM;
    for (int k = 0; k < g->nact; k++) {
        split b = g->best[k];
        for (int p = 1; p < g->nparts; p++) {
            split *q = &g->best[(size_t)p * (size_t)g->nact + (size_t)k];
            if (q->feature >= 0 && q->cost < b.cost - 1e-12) {
                free(b.side);
                b = *q;
            } else
                free(q->side);
        }
        child[k] = -1;
        tnode *t = &m->nodes[g->act[k]];
        if (b.feature < 0 || b.cost >= t->cost - 1e-12) {
            free(b.side);
            continue;
        }
        t->feature = b.feature;
        t->thr = b.thr;
        t->side = b.side;
        t->missing_left = b.missing_left;
        int l = new_node(m, 0, 0), r = l < 0 ? -1 : new_node(m, 0, 0);
        if (l < 0 || r < 0) {
            free(child);
            return RP_NOMEM;
        }
        m->nodes[g->act[k]].left = l;
        m->nodes[g->act[k]].right = r;
        child[k] = l;
    }
    for (size_t j = 0; j < g->n; j++) {
        int32_t k = g->in[j];
        if (k < 0)
            continue;
        if (child[k] < 0) {
            g->in[j] = -1;
            continue;
        }
        int c = child[k] + !goes_left(g->f, &m->nodes[g->act[k]], g->rows[j]);
        m->nodes[c].n++;
        m->nodes[c].pos += g->y[j];
        g->in[j] = c; /* a node id for now; the level index below */
    }
    for (int k = 0; k < g->nact; k++)
        for (int s = 0; child[k] >= 0 && s < 2; s++) {
            tnode *c = &m->nodes[child[k] + s];
            c->p = c->n ? (double)c->pos / (double)c->n : 0;
            c->cost = cost_of(m->entropy, c->n, c->pos);
            c->left = may_split(m, c, depth + 1) ? nnext : -1; /* the level index, kept here a moment */
            if (c->left >= 0)
                g->act[nnext++] = child[k] + s;
        }
    for (size_t j = 0; j < g->n; j++)
        if (g->in[j] >= 0)
            g->in[j] = m->nodes[g->in[j]].left;
    for (int k = 0; k < nnext; k++)
        m->nodes[g->act[k]].left = -1;
    g->nact = nnext;
    free(child);
    return RP_OK;
}

/* The nodes numbered as growing depth first numbers them: a node's children after it, the left's
 * subtree before the right's. */
static void dfs_order(const struct mdl_model *m, int id, int *map, int *next)
{
    const tnode *t = &m->nodes[id];
    if (t->feature < 0)
        return;
    map[t->left] = (*next)++;
    map[t->right] = (*next)++;
    dfs_order(m, t->left, map, next);
    dfs_order(m, t->right, map, next);
}

static int renumber(struct mdl_model *m)
{
    int *map = malloc((size_t)m->nn * sizeof *map), next = 1;
    tnode *q = malloc((size_t)m->cap * sizeof *q);
    if (!map || !q) {
        free(map);
        free(q);
        return RP_NOMEM;
    }
    map[0] = 0;
    dfs_order(m, 0, map, &next);
    for (int i = 0; i < m->nn; i++) {
        tnode t = m->nodes[i];
        if (t.feature >= 0) {
            t.left = map[t.left];
            t.right = map[t.right];
        }
        q[map[i]] = t;
    }
    free(m->nodes);
    m->nodes = q;
    free(map);
    return RP_OK;
}

static void grower_free(grower *g)
{
    for (int c = 0; g->cols && c < g->f->ncols; c++) {
        free(g->cols[c].x);
        free(g->cols[c].at);
        free(g->cols[c].miss);
    }
    free(g->cols);
    free(g->y);
    free(g->in);
    free(g->act);
    free(g->best);
}

static int grow_levels(grower *g)
{
    struct mdl_model *m = g->m;
    level_job job = { .g = g };
    int rc = RP_OK;
    mdl__parallel(g->nparts, sort_part, &job);
    for (int k = 0; k < g->nparts; k++)
        rc = rc ? rc : job.rc[k];
    g->nact = may_split(m, &m->nodes[0], 0);
    g->act[0] = 0;
    for (size_t j = 0; j < g->n; j++)
        g->in[j] = g->nact ? 0 : -1;
    for (int depth = 0; !rc && g->nact; depth++) {
        split *b = realloc(g->best, (size_t)g->nparts * (size_t)g->nact * sizeof *b);
        if (!b)
            return RP_NOMEM;
        g->best = b;
        mdl__parallel(g->nparts, level_part, &job);
        for (int k = 0; k < g->nparts; k++)
            rc = rc ? rc : job.rc[k];
        if (rc) { /* the splits found so far own their levels */
            for (size_t i = 0; i < (size_t)g->nparts * (size_t)g->nact; i++)
                free(g->best[i].side);
            break;
        }
        rc = split_level(g, depth);
    }
    return rc ? rc : renumber(m);
}

static int is_leaf(const tnode *t) { return t->feature < 0 || t->pruned; }

/* Below id (as pruned now): the cost of the leaves and their number; and the weakest link, the
 * smallest g(t) = (R(t) - R(T_t)) / (|leaves(T_t)| - 1) of a node still split, in *g and *which. */
static void walk(const struct mdl_model *m, int id, double *cost, int *leaves, double *g, int *which)
{
    const tnode *t = &m->nodes[id];
    if (is_leaf(t)) {
        *cost += t->cost;
        (*leaves)++;
        return;
    }
    double c = 0;
    int l = 0;
    walk(m, t->left, &c, &l, g, which);
    walk(m, t->right, &c, &l, g, which);
    double gi = (t->cost - c) / (double)(l - 1);
    if (gi < *g - 1e-12 || (gi <= *g + 1e-12 && *which > id)) {
        *g = gi;
        *which = id;
    }
    *cost += c;
    *leaves += l;
}

static double weakest(const struct mdl_model *m, int *which)
{
    double g = INFINITY, c = 0;
    int leaves = 0;
    *which = -1;
    walk(m, 0, &c, &leaves, &g, which);
    return g;
}

/* Prune the weakest links while their g is at most alpha. */
static void prune_at(struct mdl_model *m, double alpha)
{
    for (int i = 0; i < m->nn; i++)
        m->nodes[i].pruned = 0;
    for (;;) {
        int w;
        double g = weakest(m, &w);
        if (w < 0 || g > alpha + 1e-12)
            break;
        m->nodes[w].pruned = 1;
    }
    m->alpha = alpha;
}

/* The alphas at which the tree loses a link, in order: the pruning path. */
static int path(struct mdl_model *m, double **out, int *n)
{
    int cap = 16, k = 0;
    double *a = malloc((size_t)cap * sizeof *a);
    if (!a)
        return RP_NOMEM;
    a[k++] = 0;
    for (int i = 0; i < m->nn; i++)
        m->nodes[i].pruned = 0;
    for (;;) {
        int w;
        double g = weakest(m, &w);
        if (w < 0)
            break;
        m->nodes[w].pruned = 1;
        if (g <= a[k - 1] + 1e-12)
            continue; /* a link of the same alpha as the one before */
        if (k == cap) {
            double *q = realloc(a, (size_t)(cap *= 2) * sizeof *a);
            if (!q) {
                free(a);
                return RP_NOMEM;
            }
            a = q;
        }
        a[k++] = g;
    }
    for (int i = 0; i < m->nn; i++)
        m->nodes[i].pruned = 0;
    *out = a;
    *n = k;
    return RP_OK;
}

static double predict_row(const struct mdl_model *m, const mdl_frame *f, size_t row)
{
    const tnode *t = &m->nodes[0];
    while (!is_leaf(t)) {
        const mdl_col *c = &f->cols[t->feature];
        int left;
        if (c->kind == MDL_NUM)
            left = isnan(c->x[row]) ? t->missing_left : c->x[row] <= t->thr;
        else
            left = c->code[row] < 0 || c->code[row] >= c->nlevels || t->side[c->code[row]] == 2
                       ? t->missing_left
                       : t->side[c->code[row]];
        t = &m->nodes[left ? t->left : t->right];
    }
    return t->p;
}

static void tree_predict(const mdl_model *m, const mdl_frame *f, const size_t *rows, size_t n, double *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = predict_row(m, f, rows[i]);
}

static void tree_free(mdl_model *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->nn; i++)
        free(m->nodes[i].side);
    free(m->nodes);
    free(m);
}

/* A full tree on rows, not pruned. */
static int grow_tree(const mdl_frame *f, const size_t *rows, size_t n, int entropy, int max_depth, int min_leaf,
                     struct mdl_model **out, rp_error *err)
{
    struct mdl_model *m = calloc(1, sizeof *m);
    size_t cap = n ? n : 1;
    int parts = f->ncols < 8 ? (f->ncols ? f->ncols : 1) : 8;
    grower g = { .f = f, .m = m, .rows = rows, .n = n, .y = malloc(cap), .in = malloc(cap * sizeof *g.in),
                 .cols = calloc((size_t)(f->ncols ? f->ncols : 1), sizeof *g.cols),
                 .act = malloc(cap * sizeof *g.act), .nparts = parts };
    int rc = !m || !g.y || !g.in || !g.cols || !g.act || n > UINT32_MAX ? RP_NOMEM : RP_OK;
    if (!rc) {
        m->entropy = entropy;
        m->max_depth = max_depth;
        m->min_leaf = min_leaf;
        size_t pos = 0;
        for (size_t i = 0; i < n; i++)
            pos += g.y[i] = f->y[rows[i]];
        rc = new_node(m, n, pos) < 0 ? RP_NOMEM : grow_levels(&g);
    }
    grower_free(&g);
    if (rc) {
        tree_free(m);
        return rp_err(err, RP_NOMEM, "tree: %s", rp_strerror(RP_NOMEM));
    }
    *out = m;
    return RP_OK;
}

/* The alpha of the path whose pruned trees, grown on k - 1 folds, score the k-th best (Brier). */
static int cv_alpha(const mdl_frame *f, const size_t *rows, size_t n, const double *alphas, int na, int entropy,
                    int max_depth, int min_leaf, int k, uint64_t seed, double *best, rp_error *err)
{
    uint8_t *y = malloc(n);
    int *fold = malloc(n * sizeof *fold);
    size_t *tr = malloc(n * sizeof *tr), *te = malloc(n * sizeof *te);
    double *p = malloc(n * sizeof *p), *brier = calloc((size_t)na, sizeof *brier);
    int rc = !y || !fold || !tr || !te || !p || !brier ? rp_err(err, RP_NOMEM, NULL) : RP_OK;
    for (size_t i = 0; !rc && i < n; i++)
        y[i] = f->y[rows[i]];
    if (!rc)
        mdl_split_folds(y, n, k, seed, fold);
    for (int j = 0; !rc && j < k; j++) {
        size_t ntr = 0, nte = 0;
        for (size_t i = 0; i < n; i++)
            if (fold[i] == j)
                te[nte++] = rows[i];
            else
                tr[ntr++] = rows[i];
        struct mdl_model *m;
        if ((rc = grow_tree(f, tr, ntr, entropy, max_depth, min_leaf, &m, err)))
            break;
        for (int a = 0; a < na; a++) {
            /* the geometric mean of an alpha and the next stands for the interval between them */
            double b = a + 1 < na ? sqrt(alphas[a] * alphas[a + 1]) : alphas[a];
            prune_at(m, b);
            tree_predict(m, f, te, nte, p);
            for (size_t i = 0; i < nte; i++)
                brier[a] += (p[i] - f->y[te[i]]) * (p[i] - f->y[te[i]]);
        }
        tree_free(m);
    }
    if (!rc) {
        int w = 0;
        for (int a = 1; a < na; a++)
            if (brier[a] < brier[w] - 1e-12)
                w = a;
        *best = w + 1 < na ? sqrt(alphas[w] * alphas[w + 1]) : alphas[w];
    }
    free(y);
    free(fold);
    free(tr);
    free(te);
    free(p);
    free(brier);
    return rc;
}

typedef struct {
    int max_depth, min_leaf, folds, entropy;
    double ccp;
} tree_settings_t;

static int tree_settings(const mdl_params *p, tree_settings_t *s, rp_error *err)
{
    int rc;
    const char *crit = mdl__param(p, "criterion");
    if ((rc = mdl__param_int(p, "max_depth", 8, 1, 64, &s->max_depth, err)) ||
        (rc = mdl__param_int(p, "min_leaf", 20, 1, 1000000, &s->min_leaf, err)) ||
        (rc = mdl__param_int(p, "prune_folds", 5, 0, 20, &s->folds, err)) ||
        (rc = mdl__param_real(p, "ccp_alpha", -1, 0, 1e300, &s->ccp, err)))
        return rc;
    if (crit && strcmp(crit, "gini") && strcmp(crit, "entropy"))
        return rp_err(err, RP_INVAL, "criterion: gini or entropy, not '%.20s'", crit);
    s->entropy = crit && !strcmp(crit, "entropy");
    return RP_OK;
}

static int tree_check(const mdl_params *p, rp_error *err)
{
    tree_settings_t s;
    return tree_settings(p, &s, err);
}

static int tree_fit(const mdl_frame *f, const size_t *rows, size_t n, const mdl_params *p, mdl_model **out,
                    rp_error *err)
{
    tree_settings_t s;
    int rc;
    if ((rc = mdl_params_check(&mdl__tree, p, err)) || (rc = tree_settings(p, &s, err)))
        return rc;
    int max_depth = s.max_depth, min_leaf = s.min_leaf, folds = s.folds, entropy = s.entropy;
    double ccp = s.ccp;
    struct mdl_model *m;
    if ((rc = grow_tree(f, rows, n, entropy, max_depth, min_leaf, &m, err)))
        return rc;
    double alpha = ccp >= 0 ? ccp * (double)n : 0; /* ccp_alpha as scikit-learn's: per row of the fit */
    if (ccp < 0 && folds > 1) {
        double *alphas;
        int na;
        if ((rc = path(m, &alphas, &na))) {
            tree_free(m);
            return rp_err(err, RP_NOMEM, NULL);
        }
        rc = cv_alpha(f, rows, n, alphas, na, entropy, max_depth, min_leaf, folds, p->seed, &alpha, err);
        free(alphas);
        if (rc) {
            tree_free(m);
            return rc;
        }
    }
    prune_at(m, alpha);
    *out = m;
    return RP_OK;
}

/* The condition of going to a child, as data a page words in its language:
 * {feature, op: "<=" | ">" | "in" | "not in", value or levels, missing: true when missing goes there}. */
static json_t *condition(const mdl_frame *f, const tnode *t, int left)
{
    const mdl_col *c = &f->cols[t->feature];
    json_t *o = json_pack("{s:s}", "feature", c->name);
    if (c->kind == MDL_NUM) {
        json_object_set_new(o, "op", json_string(left ? "<=" : ">"));
        json_object_set_new(o, "value", json_real(t->thr));
    } else {
        json_t *lv = json_array();
        for (int k = 0; k < c->nlevels; k++)
            if (t->side[k] == 1)
                json_array_append_new(lv, json_string(c->levels[k]));
        json_object_set_new(o, "op", json_string(left ? "in" : "not in"));
        json_object_set_new(o, "levels", lv);
    }
    json_object_set_new(o, "missing", json_boolean(c->missing && t->missing_left == left));
    return o;
}

/* Each leaf as a rule: the conditions from the root, and what the leaf predicts. */
static void rules(const struct mdl_model *m, const mdl_frame *f, int id, json_t *path_so_far, json_t *out)
{
    const tnode *t = &m->nodes[id];
    if (is_leaf(t)) {
        json_array_append_new(out, json_pack("{s:O, s:I, s:I, s:f}", "if", path_so_far, "rows", (json_int_t)t->n,
                                             "positives", (json_int_t)t->pos, "p", t->p));
        return;
    }
    for (int side = 1; side >= 0; side--) {
        json_t *p = json_deep_copy(path_so_far), *cond = condition(f, t, side), *old;
        size_t i;
        /* x <= 5 and x <= 3 is x <= 3: a bound on a feature already bounded the same way replaces it */
        json_array_foreach(p, i, old) {
            if (json_object_get(cond, "value") && json_equal(json_object_get(old, "feature"), json_object_get(cond, "feature")) &&
                json_equal(json_object_get(old, "op"), json_object_get(cond, "op"))) {
                int missing = json_is_true(json_object_get(old, "missing")) && json_is_true(json_object_get(cond, "missing"));
                json_object_set_new(cond, "missing", json_boolean(missing));
                json_array_remove(p, i);
                break;
            }
        }
        json_array_append_new(p, cond);
        rules(m, f, side ? t->left : t->right, p, out);
        json_decref(p);
    }
}

/* The learner's text of a rule, English, as the command line prints it. */
static void rule_text(const json_t *rule, rp_buf *b)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(rule, "if"), i, c) {
        const char *op = json_string_value(json_object_get(c, "op"));
        rp_buf_printf(b, "%s%s %s ", i ? " and " : "", json_string_value(json_object_get(c, "feature")), op);
        if (json_object_get(c, "value")) {
            rp_buf_printf(b, "%.6g", json_real_value(json_object_get(c, "value")));
        } else {
            size_t j;
            json_t *l;
            rp_buf_puts(b, "{");
            json_array_foreach(json_object_get(c, "levels"), j, l) rp_buf_printf(b, "%s%s", j ? ", " : "",
                                                                                  json_string_value(l));
            rp_buf_puts(b, "}");
        }
        if (json_is_true(json_object_get(c, "missing")))
            rp_buf_puts(b, " (or missing)");
    }
    if (!i)
        rp_buf_puts(b, "always");
}

/* The pruned tree's nodes depth first, for a page to draw: {rows, positives, p} and, split, the
 * condition of going left (as rules give it) and the indexes of the two children. */
static int nodes_of(const struct mdl_model *m, const mdl_frame *f, int id, json_t *out)
{
    const tnode *t = &m->nodes[id];
    int at = (int)json_array_size(out);
    json_t *o = json_pack("{s:I, s:I, s:f}", "rows", (json_int_t)t->n, "positives", (json_int_t)t->pos, "p", t->p);
    json_array_append_new(out, o);
    if (is_leaf(t))
        return at;
    json_object_set_new(o, "split", condition(f, t, 1));
    int l = nodes_of(m, f, t->left, out), r = nodes_of(m, f, t->right, out);
    json_object_set_new(o, "left", json_integer(l));
    json_object_set_new(o, "right", json_integer(r));
    return at;
}

static json_t *tree_describe(const mdl_model *m, const mdl_frame *f)
{
    json_t *rs = json_array(), *none = json_array();
    rules(m, f, 0, none, rs);
    json_decref(none);
    size_t i;
    json_t *r;
    int leaves = 0, depth = 0;
    json_array_foreach(rs, i, r) {
        rp_buf b = RP_BUF_INIT;
        rule_text(r, &b);
        json_object_set_new(r, "text", json_stringn(b.data ? b.data : "", b.len));
        rp_buf_release(&b);
        leaves++;
        int d = (int)json_array_size(json_object_get(r, "if"));
        depth = d > depth ? d : depth;
    }
    json_t *nodes = json_array();
    nodes_of(m, f, 0, nodes);
    return json_pack("{s:s, s:i, s:i, s:i, s:f, s:o, s:o}", "criterion", m->entropy ? "entropy" : "gini", "leaves", leaves,
                     "depth", depth, "nodes_grown", m->nn, "ccp_alpha", m->nodes[0].n ? m->alpha / (double)m->nodes[0].n : 0,
                     "rules", rs, "nodes", nodes);
}


/* ---- PMML: a TreeModel; a missing value takes the child the tree learned (defaultChild) ---- */

static void pmml_levels(rp_buf *b, const mdl_col *c, const tnode *t, int want)
{
    int n = 0;
    for (int k = 0; k < c->nlevels; k++)
        n += t->side[k] == want;
    rp_buf_printf(b, "<Array type=\"string\" n=\"%d\">", n);
    for (int k = 0, i = 0; k < c->nlevels; k++) {
        if (t->side[k] != want)
            continue;
        rp_buf_puts(b, i++ ? " \"" : "\"");
        for (const char *p = c->levels[k]; *p; p++) { /* inside an Array, quotes and backslashes escaped */
            if (*p == '"' || *p == '\\')
                rp_buf_puts(b, "\\");
            char ch[2] = { *p, 0 };
            mdl__xml(b, ch);
        }
        rp_buf_puts(b, "\"");
    }
    rp_buf_puts(b, "</Array>");
}

/* The predicate of going to a child: left or right of t (which levels a side has not seen go with
 * the missing values, as predict_row sends them). */
static void pmml_predicate(rp_buf *b, const mdl_frame *f, const tnode *t, int left, int indent)
{
    const mdl_col *c = &f->cols[t->feature];
    rp_buf_printf(b, "%*s", indent, "");
    if (c->kind == MDL_NUM) {
        rp_buf_puts(b, "<SimplePredicate");
        mdl__pmml_attr(b, "field", c->name);
        rp_buf_printf(b, " operator=\"%s\" value=\"%.17g\"/>\n", left ? "lessOrEqual" : "greaterThan", t->thr);
        return;
    }
    /* the side that takes the unseen levels is "not in the other side's" */
    int takes_unseen = left == t->missing_left;
    rp_buf_puts(b, "<SimpleSetPredicate");
    mdl__pmml_attr(b, "field", c->name);
    rp_buf_printf(b, " booleanOperator=\"%s\">", takes_unseen ? "isNotIn" : "isIn");
    pmml_levels(b, c, t, takes_unseen ? !left : left);
    rp_buf_puts(b, "</SimpleSetPredicate>\n");
}

static void pmml_node(rp_buf *b, const struct mdl_model *m, const mdl_frame *f, int id, int depth, int from_left,
                      const tnode *parent)
{
    const tnode *t = &m->nodes[id];
    int ind = 4 + 2 * depth;
    rp_buf_printf(b, "%*s<Node id=\"%d\"", ind, "", id);
    rp_buf_puts(b, " score=\"");
    mdl__xml(b, t->p >= 0.5 ? f->positive : f->negative);
    rp_buf_printf(b, "\" recordCount=\"%zu\"", t->n);
    if (!is_leaf(t))
        rp_buf_printf(b, " defaultChild=\"%d\"", t->missing_left ? t->left : t->right);
    rp_buf_puts(b, ">\n");
    if (parent)
        pmml_predicate(b, f, parent, from_left, ind + 2);
    else
        rp_buf_printf(b, "%*s<True/>\n", ind + 2, "");
    rp_buf_printf(b, "%*s<ScoreDistribution", ind + 2, "");
    mdl__pmml_attr(b, "value", f->negative);
    rp_buf_printf(b, " recordCount=\"%zu\" probability=\"%.17g\"/>\n", t->n - t->pos, 1 - t->p);
    rp_buf_printf(b, "%*s<ScoreDistribution", ind + 2, "");
    mdl__pmml_attr(b, "value", f->positive);
    rp_buf_printf(b, " recordCount=\"%zu\" probability=\"%.17g\"/>\n", t->pos, t->p);
    if (!is_leaf(t)) {
        pmml_node(b, m, f, t->left, depth + 1, 1, t);
        pmml_node(b, m, f, t->right, depth + 1, 0, t);
    }
    rp_buf_printf(b, "%*s</Node>\n", ind, "");
}

static void tree_pmml(const mdl_model *m, const mdl_frame *f, rp_buf *b)
{
    rp_buf_puts(b, "  <TreeModel functionName=\"classification\" splitCharacteristic=\"binarySplit\" "
                   "missingValueStrategy=\"defaultChild\" noTrueChildStrategy=\"returnLastPrediction\">\n");
    mdl__pmml_schema(b, f, 4);
    pmml_node(b, m, f, 0, 0, 0, NULL);
    rp_buf_puts(b, "  </TreeModel>\n");
}

static const char *const tree_setting_names[] = { "max_depth", "min_leaf", "criterion", "prune_folds", "ccp_alpha", NULL };

/* ---- kept and read back ---- */

static json_t *tree_save(const mdl_model *m, const mdl_frame *f)
{
    json_t *nodes = json_array();
    for (int i = 0; i < m->nn; i++) {
        const tnode *t = &m->nodes[i];
        json_t *o = json_pack("{s:i, s:f, s:b, s:i, s:i, s:I, s:I, s:f, s:b}", "feature", t->feature, "thr",
                              isfinite(t->thr) ? t->thr : 0.0, "missing_left", t->missing_left, "left", t->left,
                              "right", t->right, "n", (json_int_t)t->n, "pos", (json_int_t)t->pos, "p", t->p, "pruned",
                              t->pruned);
        if (t->side && t->feature >= 0)
            json_object_set_new(o, "side", mdl__bytes(t->side, (size_t)f->cols[t->feature].nlevels));
        json_array_append_new(nodes, o);
    }
    return json_pack("{s:o, s:i, s:i, s:i, s:f}", "nodes", nodes, "entropy", m->entropy, "max_depth", m->max_depth,
                     "min_leaf", m->min_leaf, "alpha", m->alpha);
}

static int tree_load(const json_t *j, const mdl_frame *f, mdl_model **out, rp_error *err)
{
    const json_t *nodes = json_object_get(j, "nodes");
    struct mdl_model *m = calloc(1, sizeof *m);
    size_t nn = json_array_size(nodes);
    if (!m || !nn || !(m->nodes = calloc(nn, sizeof *m->nodes))) {
        free(m);
        return nn ? rp_err(err, RP_NOMEM, NULL) : rp_err(err, RP_PARSE, "tree: no nodes");
    }
    m->nn = m->cap = (int)nn;
    m->entropy = (int)json_integer_value(json_object_get(j, "entropy"));
    m->max_depth = (int)json_integer_value(json_object_get(j, "max_depth"));
    m->min_leaf = (int)json_integer_value(json_object_get(j, "min_leaf"));
    m->alpha = json_number_value(json_object_get(j, "alpha"));
    for (size_t i = 0; i < nn; i++) {
        const json_t *o = json_array_get(nodes, i);
        tnode *t = &m->nodes[i];
        t->feature = (int)json_integer_value(json_object_get(o, "feature"));
        t->thr = json_number_value(json_object_get(o, "thr"));
        t->missing_left = json_is_true(json_object_get(o, "missing_left"));
        t->left = (int)json_integer_value(json_object_get(o, "left"));
        t->right = (int)json_integer_value(json_object_get(o, "right"));
        t->n = (size_t)json_integer_value(json_object_get(o, "n"));
        t->pos = (size_t)json_integer_value(json_object_get(o, "pos"));
        t->p = json_number_value(json_object_get(o, "p"));
        t->pruned = json_is_true(json_object_get(o, "pruned"));
        int bad = t->feature >= f->ncols || (t->feature >= 0 && (t->left <= 0 || t->right <= 0 || (size_t)t->left >= nn ||
                                                                 (size_t)t->right >= nn));
        if (!bad && t->feature >= 0 && f->cols[t->feature].kind == MDL_CAT) {
            size_t nl = (size_t)f->cols[t->feature].nlevels;
            bad = !(t->side = malloc(nl ? nl : 1)) || mdl__bytes_get(json_object_get(o, "side"), t->side, nl);
        }
        if (bad) {
            tree_free(m);
            return rp_err(err, RP_PARSE, "tree: node %zu does not fit the model's columns", i);
        }
    }
    *out = m;
    return RP_OK;
}

const mdl_learner mdl__tree = {
    .name = "tree",
    .title = "CART decision tree",
    .params_help = "max_depth (8), min_leaf (20), criterion (gini | entropy), prune_folds (5: cost-complexity "
                   "pruning chosen by cross-validation; 0: none), ccp_alpha (prune at this alpha instead)",
    .settings = tree_setting_names,
    .check = tree_check,
    .fit = tree_fit,
    .predict = tree_predict,
    .describe = tree_describe,
    .free = tree_free,
    .pmml = tree_pmml,
    .save = tree_save,
    .load = tree_load,
};
