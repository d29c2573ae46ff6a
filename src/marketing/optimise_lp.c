/* optimise_lp.c — level 4 solved exactly as an integer programme by GLPK: the LP relaxation first
 * (its duals are the shadow prices of the binding constraints; when it has no solution, a deletion
 * filter names a smallest set of constraints that conflict), then branch and bound for the binary
 * assignment, with the optimality gap it proved.  GLPK rather than COIN-OR CBC: one small C library
 * in Debian with a stable API that gives the relaxation's duals and the gap directly; this
 * assignment's relaxation is nearly integral, so CBC's stronger cuts buy little, and past some
 * hundred thousand variables the Lagrangian method (optimise.c) is used instead of either.
 * See marketing.h. */
#include "marketing/internal.h"

#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A shared row of the programme: which constraint (optimise.c's numbering; for an offer with both
 * a minimum and a maximum, the maximum's number, and min set). */
typedef struct lprow {
    int constraint, both;
    int type;
    double lo, hi;
} lprow;

typedef struct lp {
    glp_prob *P;
    int ncust, nshared;                /* rows 1..ncust per customer, then the shared ones */
    lprow *shared;
    int *colmap_i, *colmap_j;          /* column c is customer colmap_i[c]'s choice colmap_j[c] */
} lp;

static void add_shared(lp *l, int constraint, int type, double lo, double hi, int both)
{
    l->shared[l->nshared++] = (lprow){ constraint, both, type, lo, hi };
}

static int build(const mk_opt *p, lp *l, rp_error *err)
{
    int k = p->k, base = 0;
    l->shared = calloc((size_t)(1 + k + MK_OPT_CHANNELS + (p->ngroups > 0 ? p->ngroups : 0)), sizeof *l->shared);
    if (!l->shared)
        return rp_err(err, RP_NOMEM, NULL);
    if (p->budget > 0)
        add_shared(l, 0, GLP_UP, 0, p->budget, 0);
    int choice_row[MK_OPT_MAX], channel_row[MK_OPT_CHANNELS];
    for (int j = 0; j < k; j++) {
        choice_row[j] = -1;
        if (p->min[j] || p->max[j]) {
            choice_row[j] = l->nshared;
            add_shared(l, p->max[j] ? 1 + j : 1 + k + j,
                       p->min[j] && p->max[j] ? (p->min[j] == p->max[j] ? GLP_FX : GLP_DB)
                       : p->max[j]            ? GLP_UP
                                              : GLP_LO,
                       (double)p->min[j], (double)p->max[j], p->min[j] && p->max[j]);
        }
    }
    for (int c = 0; c < MK_OPT_CHANNELS; c++) {
        channel_row[c] = -1;
        if (p->capacity[c])
            channel_row[c] = l->nshared, add_shared(l, 2 * k + 1 + c, GLP_UP, 0, (double)p->capacity[c], 0);
    }
    int group_base = l->nshared;
    int group_row0 = l->nshared;  /* a row for every group (a group without a cap: free) */
    for (int g = 0; p->group && g < p->ngroups; g++)
        add_shared(l, 2 * k + MK_OPT_CHANNELS + 1 + g, mk__opt_gcap(p, g) ? GLP_UP : GLP_FR, 0,
                   (double)mk__opt_gcap(p, g), 0);
    (void)group_row0;
    size_t ncols = 0;
    for (size_t i = 0; i < p->n; i++)
        for (int j = 0; j < k; j++)
            ncols += !isnan(mk__opt_value(p, i, j));
    l->ncust = (int)p->n;
    l->P = glp_create_prob();
    glp_set_obj_dir(l->P, GLP_MAX);
    glp_add_rows(l->P, l->ncust + l->nshared);
    for (int i = 1; i <= l->ncust; i++)
        glp_set_row_bnds(l->P, i, GLP_UP, 0, p->per_customer > 0 ? p->per_customer : 1);
    for (int s = 0; s < l->nshared; s++)
        glp_set_row_bnds(l->P, l->ncust + 1 + s, l->shared[s].type, l->shared[s].lo, l->shared[s].hi);
    size_t cap = ncols * 5 + 1;
    int *ia = malloc(cap * sizeof *ia), *ja = malloc(cap * sizeof *ja);
    double *ar = malloc(cap * sizeof *ar);
    l->colmap_i = malloc((ncols + 1) * sizeof *l->colmap_i);
    l->colmap_j = malloc((ncols + 1) * sizeof *l->colmap_j);
    if (!ia || !ja || !ar || !l->colmap_i || !l->colmap_j || ncols > INT32_MAX / 5) {
        free(ia), free(ja), free(ar);
        return rp_err(err, RP_NOMEM, "the exact method: %zu variables", ncols);
    }
    if (ncols)
        glp_add_cols(l->P, (int)ncols);
    int col = 0, ne = 0;
#define PUT(row, v) (ia[++ne] = (row), ja[ne] = col, ar[ne] = (v))
    for (size_t i = 0; i < p->n; i++)
        for (int j = 0; j < k; j++) {
            double e = mk__opt_value(p, i, j);
            if (isnan(e))
                continue;
            col++;
            l->colmap_i[col] = (int)i, l->colmap_j[col] = j;
            glp_set_col_bnds(l->P, col, GLP_DB, 0, 1);
            glp_set_obj_coef(l->P, col, e);
            PUT((int)i + 1, 1);
            if (p->budget > 0)
                PUT(l->ncust + 1 + base, p->cost[j]);
            if (choice_row[j] >= 0)
                PUT(l->ncust + 1 + choice_row[j], 1);
            int ch = p->channel ? p->channel[j] : -1;
            if (ch >= 0 && channel_row[ch] >= 0)
                PUT(l->ncust + 1 + channel_row[ch], 1);
            if (p->group && p->group[i] >= 0)
                PUT(l->ncust + 1 + group_base + p->group[i], 1);
        }
#undef PUT
    glp_load_matrix(l->P, ne, ia, ja, ar);
    free(ia), free(ja), free(ar);
    return RP_OK;
}

static int solve_lp(glp_prob *P)
{
    glp_smcp s;
    glp_init_smcp(&s);
    s.msg_lev = GLP_MSG_OFF;
    s.presolve = GLP_OFF;
    int ret = glp_simplex(P, &s);
    return ret ? -1 : glp_get_status(P);
}

/* The programme built (l zeroed by the caller) and its LP relaxation solved: RP_OK with the
 * relaxation's status in *status (solve_lp's), or the error; l is released by lp_free either way. */
static int relax(const mk_opt *p, lp *l, int *status, rp_error *err)
{
    glp_term_out(GLP_OFF);
    int rc = build(p, l, err);
    if (!rc)
        *status = solve_lp(l->P);
    return rc;
}

static void lp_free(lp *l)
{
    if (l->P)
        glp_delete_prob(l->P);
    free(l->shared), free(l->colmap_i), free(l->colmap_j);
}

static void row_name(const mk_opt *p, const lprow *r, char *out, size_t n)
{
    if (r->both) {
        char a[80];
        mk__opt_name(p, r->constraint, a, sizeof a);
        snprintf(out, n, "min/%.70s", a);  /* "min/max OFFER" */
    } else
        mk__opt_name(p, r->constraint, out, n);
}

/* No solution: relax each constraint in turn, keeping it relaxed when the rest still has none; what
 * stays is a smallest set that conflicts (an irreducible infeasible subsystem, by rows). */
static int name_conflict(const mk_opt *p, lp *l, rp_error *err)
{
    int keep[1 + MK_OPT_MAX + MK_OPT_CHANNELS + 1024] = { 0 }, ns = l->nshared > 1024 ? 1024 : l->nshared;
    for (int s = -1; s < ns; s++) { /* -1: the customers' rows, as one */
        if (s < 0)
            for (int i = 1; i <= l->ncust; i++)
                glp_set_row_bnds(l->P, i, GLP_FR, 0, 0);
        else
            glp_set_row_bnds(l->P, l->ncust + 1 + s, GLP_FR, 0, 0);
        int st = solve_lp(l->P);
        if (st == GLP_OPT || st == GLP_FEAS || st == GLP_UNBND) { /* needed: put back */
            keep[s + 1] = 1;
            if (s < 0)
                for (int i = 1; i <= l->ncust; i++)
                    glp_set_row_bnds(l->P, i, GLP_UP, 0, p->per_customer > 0 ? p->per_customer : 1);
            else
                glp_set_row_bnds(l->P, l->ncust + 1 + s, l->shared[s].type, l->shared[s].lo, l->shared[s].hi);
        }
    }
    char names[600] = "", one[80];
    int n = 0;
    for (int s = -1; s < ns; s++)
        if (keep[s + 1] && strlen(names) < sizeof names - 100) {
            if (s < 0)
                snprintf(one, sizeof one, "at most %d per customer", p->per_customer > 0 ? p->per_customer : 1);
            else
                row_name(p, &l->shared[s], one, sizeof one);
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s'%s'", n++ ? ", " : "", one);
        }
    return rp_err(err, RP_INVAL, "no assignment meets every constraint: %s conflict", n ? names : "the constraints");
}

static void on_event(glp_tree *T, void *info)
{
    double *gap = info;
    if (glp_ios_reason(T) == GLP_IBINGO || glp_ios_reason(T) == GLP_ISELECT)
        *gap = glp_ios_mip_gap(T);
}

static void binding_lp(const mk_opt *p, const lp *l, mk_opt_result *r)
{
    r->binding = json_array();
    char name[96];
    for (int s = 0; s < l->nshared; s++) {
        double dual = glp_get_row_dual(l->P, l->ncust + 1 + s), act = glp_get_row_prim(l->P, l->ncust + 1 + s);
        if (fabs(dual) < 1e-9)
            continue;
        const lprow *w = &l->shared[s];
        int at_min = w->both && fabs(act - w->lo) < fabs(act - w->hi);
        if (at_min)
            mk__opt_name(p, w->constraint + p->k, name, sizeof name);
        else
            mk__opt_name(p, w->constraint, name, sizeof name);
        json_array_append_new(r->binding, json_pack("{s:s, s:f, s:f, s:f}", "constraint", name, "shadow_price",
                                                    fabs(dual), "used", act, "limit", at_min || w->type == GLP_LO
                                                                                              ? w->lo
                                                                                              : w->hi));
    }
}

int mk__opt_exact(const mk_opt *p, mk_opt_result *r, rp_error *err)
{
    lp l = { 0 };
    int st, rc = relax(p, &l, &st, err);
    if (!rc && (st == GLP_NOFEAS || st == GLP_INFEAS || st == -1))
        rc = name_conflict(p, &l, err);
    else if (!rc && st != GLP_OPT)
        rc = rp_err(err, RP_NUMERIC, "the relaxation could not be solved (GLPK status %d)", st);
    if (!rc) {
        binding_lp(p, &l, r);
        r->relaxation = glp_get_obj_val(l.P);
        int ncols = glp_get_num_cols(l.P);
        for (int c = 1; c <= ncols; c++)
            glp_set_col_kind(l.P, c, GLP_BV);
        glp_iocp io;
        glp_init_iocp(&io);
        io.msg_lev = GLP_MSG_OFF;
        io.presolve = GLP_OFF;
        /* proven within 0.1 %: an exact search past that can take hours (the budget makes it a knapsack)
         * for nothing a bank would notice; cover and MIR cuts are what knapsack rows want */
        io.mip_gap = p->mip_gap > 0 ? p->mip_gap : 1e-3;
        io.cov_cuts = GLP_ON;
        io.mir_cuts = GLP_ON;
        io.tm_lim = (int)(p->time_limit > 0 ? p->time_limit * 1000 : 120000);
        double gap = 0;
        io.cb_func = on_event;
        io.cb_info = &gap;
        int ret = glp_intopt(l.P, &io), ms = glp_mip_status(l.P);
        if ((ret && ret != GLP_ETMLIM && ret != GLP_EMIPGAP) || (ms != GLP_OPT && ms != GLP_FEAS))
            rc = rp_err(err, RP_NUMERIC, "no integer assignment was found (GLPK %d, status %d)%s", ret, ms,
                        ret == GLP_ETMLIM ? " within the time limit" : "");
        else {
            for (int c = 1; c <= ncols; c++)
                if (glp_mip_col_val(l.P, c) > 0.5) {
                    size_t i = (size_t)l.colmap_i[c];
                    for (int s = 0; s < r->m; s++)
                        if (r->pick[i * (size_t)r->m + (size_t)s] < 0) {
                            r->pick[i * (size_t)r->m + (size_t)s] = (int8_t)l.colmap_j[c];
                            break;
                        }
                }
            double obj = glp_mip_obj_val(l.P);
            r->bound = ms == GLP_OPT && !ret ? obj : fmin(obj + fabs(obj) * gap, r->relaxation);
            r->timed_out = ret == GLP_ETMLIM;
        }
    }
    lp_free(&l);
    return rc;
}

int mk__opt_lp_duals(const mk_opt *p, double *dual, rp_error *err)
{
    lp l = { 0 };
    int st, rc = relax(p, &l, &st, err);
    if (!rc && st != GLP_OPT)
        rc = rp_err(err, RP_NUMERIC, "the sample's relaxation has no solution (GLPK status %d)", st);
    for (int s = 0; !rc && s < l.nshared; s++) {
        double d = fabs(glp_get_row_dual(l.P, l.ncust + 1 + s)), act = glp_get_row_prim(l.P, l.ncust + 1 + s);
        const lprow *w = &l.shared[s];
        int at_min = (w->both && fabs(act - w->lo) < fabs(act - w->hi)) || w->type == GLP_LO;
        /* a row holding an offer's minimum and maximum is numbered by the maximum; its minimum is k on */
        int c = w->both && at_min ? w->constraint + p->k : w->constraint;
        dual[c] = d;
    }
    lp_free(&l);
    return rc;
}
