/* optimise.c — offer optimisation (M11): which customers get which offer, at the four levels of
 * seed 000 — (1) the highest score, (2) score × the offer's value, (3) score × the customer's own
 * value, (4) expected profit under constraints: a budget, a minimum and maximum per offer, a
 * capacity per channel, at most so many contacts per group of customers (branch, region, segment),
 * at most M offers per customer.  Level 4 is solved exactly by GLPK (optimise_lp.c) or, when the
 * problem is too large for it, by Lagrangian relaxation of the shared constraints here; the greedy
 * assignment is what both are measured against.  See marketing.h. */
#include "marketing/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The expected value of customer i taking choice j at the problem's level; NAN: not eligible. */
double mk__opt_value(const mk_opt *p, size_t i, int j)
{
    float s = p->score[i * (size_t)p->k + (size_t)j];
    if (!(s >= 0))
        return NAN;
    switch (p->level) {
    case 1: return s;
    case 2: return s * p->value[j];
    case 3: return s * (p->cust_value ? p->cust_value[i] : 1);
    default: return s * p->value[j] - p->cost[j];
    }
}

/* ---- the constraints, shared by every method: names, what a pick uses, whether it still fits ---- */

static int group_of(const mk_opt *p, size_t i) { return p->group ? p->group[i] : -1; }

int64_t mk__opt_gcap(const mk_opt *p, int g) { return p->group_caps ? p->group_caps[g] : p->group_max; }

void mk__opt_name(const mk_opt *p, int c, char *out, size_t n)
{
    /* constraints are numbered: 0 budget, 1..k max per choice, k+1..2k min, 2k+1..2k+8 channels,
     * then groups */
    int k = p->k;
    if (c == 0)
        snprintf(out, n, "budget");
    else if (c <= k)
        snprintf(out, n, "max %s", p->names[c - 1]);
    else if (c <= 2 * k)
        snprintf(out, n, "min %s", p->names[c - k - 1]);
    else if (c <= 2 * k + MK_OPT_CHANNELS)
        snprintf(out, n, "capacity %s", p->channel_names ? p->channel_names[c - 2 * k - 1] : "?");
    else
        snprintf(out, n, "group %s", p->group_names ? p->group_names[c - 2 * k - MK_OPT_CHANNELS - 1] : "?");
}

/* What is used of each constraint by an assignment. */
typedef struct usage {
    double cost;
    int64_t per_choice[MK_OPT_MAX], per_channel[MK_OPT_CHANNELS];
    int64_t *per_group;
} usage;

static int fits(const mk_opt *p, const usage *u, size_t i, int j)
{
    int ch = p->channel ? p->channel[j] : -1, g = group_of(p, i);
    return (p->budget <= 0 || u->cost + p->cost[j] <= p->budget + 1e-9) && (!p->max[j] || u->per_choice[j] < p->max[j]) &&
           (ch < 0 || !p->capacity[ch] || u->per_channel[ch] < p->capacity[ch]) &&
           (g < 0 || !mk__opt_gcap(p, g) || u->per_group[g] < mk__opt_gcap(p, g));
}

static void use(const mk_opt *p, usage *u, size_t i, int j, int sign)
{
    int ch = p->channel ? p->channel[j] : -1, g = group_of(p, i);
    u->cost += sign * p->cost[j];
    u->per_choice[j] += sign;
    if (ch >= 0)
        u->per_channel[ch] += sign;
    if (g >= 0)
        u->per_group[g] += sign;
}

/* ---- conflicts a count shows at once, named before any solver runs ---- */

static int conflicts(const mk_opt *p, rp_error *err)
{
    char a[80], b[80];
    int64_t sum_min = 0, eligible[MK_OPT_MAX] = { 0 };
    double min_cost = 0;
    for (size_t i = 0; i < p->n; i++)
        for (int j = 0; j < p->k; j++)
            eligible[j] += !isnan(mk__opt_value(p, i, j));
    int64_t by_channel[MK_OPT_CHANNELS] = { 0 };
    for (int j = 0; j < p->k; j++) {
        if (p->max[j] && p->min[j] > p->max[j])
            return rp_err(err, RP_INVAL, "the constraints 'min %s' (%lld) and 'max %s' (%lld) conflict", p->names[j],
                          (long long)p->min[j], p->names[j], (long long)p->max[j]);
        if (p->min[j] > eligible[j])
            return rp_err(err, RP_INVAL, "the constraint 'min %s' (%lld) conflicts with the customers eligible for "
                                         "it (%lld)", p->names[j], (long long)p->min[j], (long long)eligible[j]);
        sum_min += p->min[j];
        min_cost += (double)p->min[j] * p->cost[j];
        if (p->channel && p->channel[j] >= 0)
            by_channel[p->channel[j]] += p->min[j];
    }
    if (p->budget > 0 && min_cost > p->budget + 1e-9) {
        int n = 0;
        a[0] = 0;
        for (int j = 0; j < p->k && n < 3; j++)
            if (p->min[j])
                n += snprintf(a + strlen(a), sizeof a - strlen(a), "%s'min %s'", n ? ", " : "", p->names[j]) > 0;
        return rp_err(err, RP_INVAL, "the constraints 'budget' (%.2f) and %s conflict: the minimums alone cost %.2f",
                      p->budget, a, min_cost);
    }
    for (int c = 0; c < MK_OPT_CHANNELS; c++)
        if (p->capacity[c] && by_channel[c] > p->capacity[c]) {
            mk__opt_name(p, 2 * p->k + 1 + c, b, sizeof b);
            return rp_err(err, RP_INVAL, "the constraint '%s' (%lld) conflicts with the minimums of its offers "
                                         "(%lld together)", b, (long long)p->capacity[c], (long long)by_channel[c]);
        }
    if (sum_min > (int64_t)p->n * p->per_customer)
        return rp_err(err, RP_INVAL, "the minimums per offer (%lld together) conflict with 'at most %d per customer' "
                                     "over %zu customers", (long long)sum_min, p->per_customer, p->n);
    int all_grouped = p->group != NULL;
    for (size_t i = 0; all_grouped && i < p->n; i++)
        all_grouped = p->group[i] >= 0;
    if (all_grouped && !p->group_caps && p->group_max && sum_min > (int64_t)p->ngroups * p->group_max)
        return rp_err(err, RP_INVAL, "the minimums per offer (%lld together) conflict with 'at most %lld per group' "
                                     "over %d groups", (long long)sum_min, (long long)p->group_max, p->ngroups);
    return RP_OK;
}

/* ---- levels 1 to 3, and the greedy assignment ---- */

typedef struct pair {
    double e;
    uint32_t i;
    uint8_t j;
} pair;

static int pair_desc(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    return x->e > y->e ? -1 : x->e < y->e ? 1 : x->i < y->i ? -1 : x->i > y->i ? 1 : x->j - y->j;
}

static int result_alloc(const mk_opt *p, mk_opt_result *r, rp_error *err)
{
    memset(r, 0, sizeof *r);
    r->m = p->per_customer > 0 ? p->per_customer : 1;
    r->pick = malloc((p->n ? p->n : 1) * (size_t)r->m * sizeof *r->pick);
    if (!r->pick)
        return rp_err(err, RP_NOMEM, NULL);
    memset(r->pick, 0xff, (p->n ? p->n : 1) * (size_t)r->m * sizeof *r->pick);
    return RP_OK;
}

static void take(mk_opt_result *r, size_t i, int j)
{
    for (int s = 0; s < r->m; s++)
        if (r->pick[i * (size_t)r->m + (size_t)s] < 0) {
            r->pick[i * (size_t)r->m + (size_t)s] = (int8_t)j;
            return;
        }
}

static int slots(const mk_opt_result *r, size_t i)
{
    int n = 0;
    for (int s = 0; s < r->m; s++)
        n += r->pick[i * (size_t)r->m + (size_t)s] >= 0;
    return n;
}

/* Levels 1-3: each customer's best M (positive) choices, no constraint but M. */
static int by_score(const mk_opt *p, mk_opt_result *r)
{
    for (size_t i = 0; i < p->n; i++) {
        for (int s = 0; s < r->m; s++) {
            int best = -1;
            double be = 0;
            for (int j = 0; j < p->k; j++) {
                double e = mk__opt_value(p, i, j);
                int taken = 0;
                for (int t = 0; t < s; t++)
                    taken |= r->pick[i * (size_t)r->m + (size_t)t] == j;
                if (!taken && e > be)
                    best = j, be = e;
            }
            if (best >= 0)
                take(r, i, best);
        }
    }
    return RP_OK;
}

/* Greedy: the minimums first (for each choice short of its minimum, its most valuable eligible
 * customers), then every positive pair from the most valuable down, each taken while everything
 * fits.  RP_NUMERIC when a minimum cannot be met that way. */
int mk__opt_greedy(const mk_opt *p, mk_opt_result *r, rp_error *err)
{
    size_t np = 0;
    pair *pp = malloc((p->n * (size_t)p->k + 1) * sizeof *pp);
    usage u = { 0 };
    u.per_group = calloc((size_t)(p->ngroups > 0 ? p->ngroups : 1), sizeof *u.per_group);
    if (!pp || !u.per_group) {
        free(pp), free(u.per_group);
        return rp_err(err, RP_NOMEM, NULL);
    }
    for (size_t i = 0; i < p->n; i++)
        for (int j = 0; j < p->k; j++) {
            double e = mk__opt_value(p, i, j);
            if (!isnan(e))
                pp[np++] = (pair){ e, (uint32_t)i, (uint8_t)j };
        }
    qsort(pp, np, sizeof *pp, pair_desc);
    for (int pass = 0; pass < 2; pass++)
        for (size_t x = 0; x < np; x++) {
            int j = pp[x].j;
            if ((pass == 0 && u.per_choice[j] >= p->min[j]) || (pass == 1 && pp[x].e <= 0) ||
                slots(r, pp[x].i) >= r->m || !fits(p, &u, pp[x].i, j))
                continue;
            int taken = 0;
            for (int s = 0; s < r->m; s++)
                taken |= r->pick[pp[x].i * (size_t)r->m + (size_t)s] == j;
            if (!taken)
                take(r, pp[x].i, j), use(p, &u, pp[x].i, j, 1);
        }
    free(pp), free(u.per_group);
    for (int j = 0; j < p->k; j++)
        if (u.per_choice[j] < p->min[j])
            return rp_err(err, RP_NUMERIC, "the greedy assignment cannot meet 'min %s' (%lld) with the other "
                                           "constraints; the exact method (--method exact) may", p->names[j],
                          (long long)p->min[j]);
    return RP_OK;
}

/* ---- level 4 at scale: Lagrangian relaxation of the shared constraints ---- */

typedef struct mult {
    double B, mu[MK_OPT_MAX], nu[MK_OPT_MAX], kap[MK_OPT_CHANNELS];
    double *gam;
} mult;

static double reduced(const mk_opt *p, const mult *m, size_t i, int j, double e)
{
    int ch = p->channel ? p->channel[j] : -1, g = group_of(p, i);
    return e - m->B * p->cost[j] - m->mu[j] + m->nu[j] - (ch >= 0 ? m->kap[ch] : 0) - (g >= 0 ? m->gam[g] : 0);
}

/* Each customer's best M positive reduced values under the multipliers: the relaxation's value
 * L(λ), an upper bound, and what that assignment uses (u). */
static double relax(const mk_opt *p, const mult *m, mk_opt_result *r, usage *u)
{
    double L = 0;
    memset(u->per_choice, 0, sizeof u->per_choice);
    memset(u->per_channel, 0, sizeof u->per_channel);
    memset(u->per_group, 0, (size_t)(p->ngroups > 0 ? p->ngroups : 1) * sizeof *u->per_group);
    u->cost = 0;
    memset(r->pick, 0xff, p->n * (size_t)r->m * sizeof *r->pick);
    for (size_t i = 0; i < p->n; i++)
        for (int s = 0; s < r->m; s++) {
            int best = -1;
            double bv = 0;
            for (int j = 0; j < p->k; j++) {
                double e = mk__opt_value(p, i, j);
                if (isnan(e))
                    continue;
                int taken = 0;
                for (int t = 0; t < s; t++)
                    taken |= r->pick[i * (size_t)r->m + (size_t)t] == j;
                double v = reduced(p, m, i, j, e);
                if (!taken && v > bv)
                    best = j, bv = v;
            }
            if (best < 0)
                break;
            take(r, i, best);
            use(p, u, i, best, 1);
            L += bv;
        }
    if (p->budget > 0)
        L += m->B * p->budget;
    for (int j = 0; j < p->k; j++)
        L += m->mu[j] * (double)p->max[j] - m->nu[j] * (double)p->min[j];
    for (int c = 0; c < MK_OPT_CHANNELS; c++)
        L += m->kap[c] * (double)p->capacity[c];
    for (int g = 0; g < p->ngroups; g++)
        L += m->gam[g] * (double)mk__opt_gcap(p, g);
    return L;
}

/* One subgradient step (Polyak's), on the constraints scaled by their limits so that a budget in
 * money and a cap in customers weigh alike: each multiplier moved by its constraint's relative
 * excess, kept >= 0. */
static void step(const mk_opt *p, mult *m, const usage *u, double L, double lower, double theta)
{
#define REL(used, limit) (((double)(used) - (double)(limit)) / fmax((double)(limit), 1))
    double norm = 0;
    if (p->budget > 0)
        norm += pow(REL(u->cost, p->budget), 2);
    for (int j = 0; j < p->k; j++)
        norm += (p->max[j] ? pow(REL(u->per_choice[j], p->max[j]), 2) : 0) +
                (p->min[j] ? pow(REL(p->min[j], u->per_choice[j]) * fmax((double)u->per_choice[j], 1) /
                                     fmax((double)p->min[j], 1), 2)
                           : 0);
    for (int c = 0; c < MK_OPT_CHANNELS; c++)
        if (p->capacity[c])
            norm += pow(REL(u->per_channel[c], p->capacity[c]), 2);
    for (int g = 0; g < p->ngroups; g++)
        if (mk__opt_gcap(p, g))
            norm += pow(REL(u->per_group[g], mk__opt_gcap(p, g)), 2);
    if (norm <= 0)
        return;
    double t = theta * (L - lower > 0 ? L - lower : fabs(L) * 1e-3 + 1e-9) / norm;
    /* a multiplier of a row scaled by 1/limit moves by t x its relative excess, / limit unscaled */
    if (p->budget > 0)
        m->B = fmax(0, m->B + t * REL(u->cost, p->budget) / fmax(p->budget, 1));
    for (int j = 0; j < p->k; j++) {
        if (p->max[j])
            m->mu[j] = fmax(0, m->mu[j] + t * REL(u->per_choice[j], p->max[j]) / fmax((double)p->max[j], 1));
        if (p->min[j])
            m->nu[j] = fmax(0, m->nu[j] + t * ((double)(p->min[j] - u->per_choice[j]) / fmax((double)p->min[j], 1)) /
                                           fmax((double)p->min[j], 1));
    }
    for (int c = 0; c < MK_OPT_CHANNELS; c++)
        if (p->capacity[c])
            m->kap[c] = fmax(0, m->kap[c] + t * REL(u->per_channel[c], p->capacity[c]) / fmax((double)p->capacity[c], 1));
    for (int g = 0; g < p->ngroups; g++)
        if (mk__opt_gcap(p, g))
            m->gam[g] = fmax(0, m->gam[g] + t * REL(u->per_group[g], mk__opt_gcap(p, g)) /
                                                fmax((double)mk__opt_gcap(p, g), 1));
#undef REL
}

/* The relaxation's assignment made feasible: the minimums met first (the customers the
 * relaxation gave the choice, then the others), then the relaxation's picks that still fit, then
 * whatever else fits and pays, each most valuable first. */
static int repair(const mk_opt *p, const mult *m, mk_opt_result *r, usage *u, rp_error *err)
{
    (void)m;
    size_t np = 0;
    pair *pp = malloc((p->n * (size_t)p->k + 1) * sizeof *pp);
    int8_t *relaxed = malloc(p->n * (size_t)r->m + 1);
    if (!pp || !relaxed) {
        free(pp), free(relaxed);
        return rp_err(err, RP_NOMEM, NULL);
    }
    memcpy(relaxed, r->pick, p->n * (size_t)r->m);
    memset(r->pick, 0xff, p->n * (size_t)r->m);
    u->cost = 0;
    memset(u->per_choice, 0, sizeof u->per_choice);
    memset(u->per_channel, 0, sizeof u->per_channel);
    memset(u->per_group, 0, (size_t)(p->ngroups > 0 ? p->ngroups : 1) * sizeof *u->per_group);
    for (size_t i = 0; i < p->n; i++)
        for (int j = 0; j < p->k; j++) {
            double e = mk__opt_value(p, i, j);
            if (isnan(e))
                continue;
            int chosen = 0;
            for (int s = 0; s < r->m; s++)
                chosen |= relaxed[i * (size_t)r->m + (size_t)s] == j;
            /* the relaxation's picks ahead of the rest: a large constant lifts them */
            pp[np++] = (pair){ e + (chosen ? 1e12 : 0), (uint32_t)i, (uint8_t)j };
        }
    qsort(pp, np, sizeof *pp, pair_desc);
    for (int pass = 0; pass < 3; pass++) /* the minimums; the relaxation's picks; all else that pays */
        for (size_t x = 0; x < np; x++) {
            int j = pp[x].j, chosen = pp[x].e >= 1e11;
            double e = mk__opt_value(p, pp[x].i, j);
            if ((pass == 0 && u->per_choice[j] >= p->min[j]) || (pass == 1 && !chosen) || (pass > 0 && e <= 0) ||
                slots(r, pp[x].i) >= r->m || !fits(p, u, pp[x].i, j))
                continue;
            int taken = 0;
            for (int s = 0; s < r->m; s++)
                taken |= r->pick[pp[x].i * (size_t)r->m + (size_t)s] == j;
            if (!taken)
                take(r, pp[x].i, j), use(p, u, pp[x].i, j, 1);
        }
    free(pp), free(relaxed);
    for (int j = 0; j < p->k; j++)
        if (u->per_choice[j] < p->min[j])
            return rp_err(err, RP_NUMERIC, "no assignment meeting 'min %s' (%lld) was found with the other "
                                           "constraints; the exact method (--method exact) may find one",
                          p->names[j], (long long)p->min[j]);
    return RP_OK;
}

static void binding_lagrange(const mk_opt *p, const mult *m, const usage *u, mk_opt_result *r)
{
    char name[80];
    r->binding = json_array();
#define BIND(c, price, used, limit)                                                                            \
    if ((price) > 1e-9) {                                                                                      \
        mk__opt_name(p, c, name, sizeof name);                                                                 \
        json_array_append_new(r->binding, json_pack("{s:s, s:f, s:f, s:f}", "constraint", name, "shadow_price", \
                                                    price, "used", (double)(used), "limit", (double)(limit)));  \
    }
    BIND(0, m->B, u->cost, p->budget);
    for (int j = 0; j < p->k; j++) {
        BIND(1 + j, m->mu[j], u->per_choice[j], p->max[j]);
        BIND(1 + p->k + j, m->nu[j], u->per_choice[j], p->min[j]);
    }
    for (int c = 0; c < MK_OPT_CHANNELS; c++)
        BIND(2 * p->k + 1 + c, m->kap[c], u->per_channel[c], p->capacity[c]);
    for (int g = 0; g < p->ngroups; g++)
        BIND(2 * p->k + MK_OPT_CHANNELS + 1 + g, m->gam[g], u->per_group[g], mk__opt_gcap(p, g));
#undef BIND
}

/* Multipliers to start from: the duals of the LP relaxation of a sample of the customers (every
 * (n / SAMPLE)-th, and at least 25 a group so that each group's cap gets a price), its limits scaled
 * to the sample's share; the dual prices of so many customers are close to those of all of them.
 * Nothing when the sample's relaxation cannot be solved. */
#define SAMPLE 3000
static void warm_start(const mk_opt *p, mult *m)
{
    size_t want = SAMPLE > 25 * (size_t)p->ngroups ? SAMPLE : 25 * (size_t)p->ngroups; /* each group's price too */
    size_t step_n = p->n / want > 1 ? p->n / want : 1, ns = 0;  /* few customers: all of them */
    float *sc = malloc(sizeof(float) * (p->n / step_n + 1) * (size_t)p->k);
    double *cv = p->cust_value ? malloc(sizeof(double) * (p->n / step_n + 1)) : NULL;
    int *gr = p->group ? malloc(sizeof(int) * (p->n / step_n + 1)) : NULL;
    int nc = 2 * p->k + MK_OPT_CHANNELS + 1 + (p->ngroups > 0 ? p->ngroups : 0);
    double *dual = calloc((size_t)nc, sizeof *dual);
    int64_t *gcount = NULL, *gcap = NULL;
    if (!sc || (p->cust_value && !cv) || (p->group && !gr) || !dual)
        goto out;
    for (size_t i = 0; i < p->n; i += step_n, ns++) {
        memcpy(sc + ns * (size_t)p->k, p->score + i * (size_t)p->k, sizeof(float) * (size_t)p->k);
        if (cv)
            cv[ns] = p->cust_value[i];
        if (gr)
            gr[ns] = p->group[i];
    }
    mk_opt q = *p;
    double f = (double)ns / (double)p->n;
    q.n = ns, q.score = sc, q.cust_value = cv, q.group = gr, q.budget = p->budget * f;
    for (int j = 0; j < p->k; j++)
        q.min[j] = (int64_t)floor((double)p->min[j] * f), q.max[j] = p->max[j] ? (int64_t)ceil((double)p->max[j] * f) : 0;
    for (int c = 0; c < MK_OPT_CHANNELS; c++)
        q.capacity[c] = p->capacity[c] ? (int64_t)ceil((double)p->capacity[c] * f) : 0;
    if (gr && (gcount = calloc((size_t)p->ngroups * 2, sizeof *gcount)) && (gcap = malloc((size_t)p->ngroups * sizeof *gcap))) {
        for (size_t i = 0; i < p->n; i++)
            if (p->group[i] >= 0)
                gcount[p->group[i]]++;
        for (size_t i = 0; i < ns; i++)
            if (gr[i] >= 0)
                gcount[p->ngroups + gr[i]]++;
        for (int g = 0; g < p->ngroups; g++) /* each group's cap at its share in the sample */
            gcap[g] = mk__opt_gcap(p, g) && gcount[g]
                          ? (int64_t)ceil((double)mk__opt_gcap(p, g) * (double)gcount[p->ngroups + g] / (double)gcount[g])
                          : 0;
        q.group_caps = gcap;
    } else if (gr)
        goto out;
    rp_error e = RP_ERROR_INIT;
    if (mk__opt_lp_duals(&q, dual, &e))
        goto out;
    m->B = dual[0];
    for (int j = 0; j < p->k; j++)
        m->mu[j] = dual[1 + j], m->nu[j] = dual[1 + p->k + j];
    for (int c = 0; c < MK_OPT_CHANNELS; c++)
        m->kap[c] = dual[2 * p->k + 1 + c];
    for (int g = 0; g < p->ngroups; g++)
        m->gam[g] = dual[2 * p->k + MK_OPT_CHANNELS + 1 + g];
out:
    free(sc), free(cv), free(gr), free(dual), free(gcount), free(gcap);
}

static int lagrange(const mk_opt *p, mk_opt_result *r, double lower, rp_error *err)
{
    mult m = { 0 };
    usage u = { 0 };
    m.gam = calloc((size_t)(p->ngroups > 0 ? p->ngroups : 1), sizeof *m.gam);
    u.per_group = calloc((size_t)(p->ngroups > 0 ? p->ngroups : 1), sizeof *u.per_group);
    mult best = { 0 };
    best.gam = calloc((size_t)(p->ngroups > 0 ? p->ngroups : 1), sizeof *best.gam);
    if (!m.gam || !u.per_group || !best.gam) {
        free(m.gam), free(u.per_group), free(best.gam);
        return rp_err(err, RP_NOMEM, NULL);
    }
    double bound = INFINITY, theta = 2, last = INFINITY;
    int stale = 0, it = 0;
    warm_start(p, &m);
    if (m.B > 0 || m.gam[0] > 0)  /* from good prices: small steps */
        theta = 0.25;
    for (int cap = p->iterations > 0 ? p->iterations : 400; it < cap && theta > 1e-4; it++) {
        double L = relax(p, &m, r, &u);
        if (isinf(bound) || L < bound - 1e-9 * fabs(bound)) {
            bound = L, stale = 0;
            double *g = best.gam;
            best = m, best.gam = g;
            memcpy(best.gam, m.gam, (size_t)(p->ngroups > 0 ? p->ngroups : 1) * sizeof *m.gam);
        } else if (++stale >= 20)
            theta /= 2, stale = 0;
        if (bound - lower <= 1e-6 * fabs(bound))
            break;
        if (it % 20 == 19) { /* the bound no longer moves: done */
            if (last - bound <= 1e-5 * fabs(bound))
                break;
            last = bound;
        }
        step(p, &m, &u, L, lower, theta);
    }
    free(m.gam);
    m = best;
    relax(p, &m, r, &u);
    int rc = repair(p, &m, r, &u, err);
    if (!rc) {
        r->bound = bound;
        r->iterations = it;
        binding_lagrange(p, &m, &u, r);
    }
    free(best.gam), free(u.per_group);
    return rc;
}

/* ---- the entry ---- */

static void totals(const mk_opt *p, mk_opt_result *r)
{
    r->objective = 0, r->assigned = 0, r->cost = 0;
    memset(r->per_choice, 0, sizeof r->per_choice);
    for (size_t i = 0; i < p->n; i++)
        for (int s = 0; s < r->m; s++) {
            int j = r->pick[i * (size_t)r->m + (size_t)s];
            if (j < 0)
                continue;
            r->objective += mk__opt_value(p, i, j);
            r->cost += p->cost[j];
            r->per_choice[j]++;
            r->assigned++;
        }
}

int mk_optimise(const mk_opt *given, mk_opt_result *r, rp_error *err)
{
    mk_opt q = *given;
    if (q.per_customer <= 0)
        q.per_customer = 1;
    const mk_opt *p = &q;
    if (p->k < 1 || p->k > MK_OPT_MAX)
        return rp_err(err, RP_INVAL, "offers: from 1 to %d, not %d", MK_OPT_MAX, p->k);
    if (p->level < 1 || p->level > 4)
        return rp_err(err, RP_INVAL, "level: 1 to 4, not %d", p->level);
    if (p->n > UINT32_MAX)
        return rp_err(err, RP_TOOBIG, "customers: at most %u", UINT32_MAX);
    if (p->n == 0)
        return rp_err(err, RP_INVAL, "customers: none to give offers to");
    double t0 = rp_monotonic();
    int rc = result_alloc(p, r, err);
    if (rc)
        return rc;
    if (p->level < 4) {
        r->method = "by score";
        rc = by_score(p, r);
    } else if (!(rc = conflicts(p, err))) {
        int exact = p->method == MK_OPT_EXACT ||
                    (p->method == MK_OPT_AUTO && p->n * (size_t)p->k <= MK_OPT_EXACT_VARS);
        if (exact) {
            r->method = "exact (GLPK)";
            rc = mk__opt_exact(p, r, err);
        } else if (p->method == MK_OPT_GREEDY) {
            r->method = "greedy";
            rc = mk__opt_greedy(p, r, err);
        } else {
            r->method = "Lagrangian relaxation";
            mk_opt_result g;
            rp_error ge = RP_ERROR_INIT;
            int gok = 0;
            if (!(rc = result_alloc(p, &g, err))) {
                if ((gok = !mk__opt_greedy(p, &g, &ge))) { /* greedy that misses a minimum is no candidate */
                    totals(p, &g);
                    r->greedy = g.objective;
                } else
                    g.objective = -INFINITY;
                rc = lagrange(p, r, gok ? g.objective : 0, err);
                if (!rc) { /* the better of the two is kept; the bound certifies whichever it is */
                    totals(p, r);
                    r->lagrangian = r->objective;
                    if (g.objective > r->objective) {
                        int8_t *t = r->pick;
                        r->pick = g.pick, g.pick = t;
                        r->method = "Lagrangian bound, greedy assignment";
                    }
                }
            }
            mk_opt_result_free(&g);
        }
    }
    if (!rc) {
        totals(p, r);
        if (p->level < 4 || p->method == MK_OPT_GREEDY)
            r->bound = r->objective;
        r->gap = r->bound != 0 ? (r->bound - r->objective) / fabs(r->bound) : 0;
        if (r->gap < 0)
            r->gap = 0;
        r->seconds = rp_monotonic() - t0;
    } else
        mk_opt_result_free(r);
    return rc;
}

void mk_opt_result_free(mk_opt_result *r)
{
    free(r->pick);
    json_decref(r->binding);
    r->pick = NULL, r->binding = NULL;
}
