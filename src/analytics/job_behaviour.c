/* job_behaviour.c — behaviour (DOMAIN W4, W15): each customer's behaviour types by documented
 * rules over the customer signature of the as-of day (signature.c), and a behaviour risk grade
 * from the latest scoring of the risk model ([behaviour] risk_model, "risk" unless set): kept per
 * customer (customer_behaviour) for the 360, counted per type and grade.
 *
 * The rules (docs/analytics.md), each threshold a [behaviour] setting:
 *   dormant        no transaction of their own for dormant_days (180) or more, or none at all
 *   revolver       carried a card balance in at least revolver_months (3) of the last 6 statements
 *   borrower       holds a loan
 *   saver          assets of at least saver_assets (1,000,000), no loan, no revolving card
 *   digital_first  internet and mobile at least digital_share (0.6) of their transactions on the
 *                  channels where one chooses how to deal with the bank (branch, internet, mobile,
 *                  phone; not ATM cash or card purchases) over 12 months, of at least
 *                  min_transactions (6)
 *   branch_loyal   the branch at least branch_share (0.5) of them, of at least min_transactions
 *   transactor     paid the card in full in at least full_months (3) of the last 6 statements and
 *                  never carried a balance in them
 * A customer has every type that applies; the primary is the first of them in that order, or
 * "general" when none does.
 *
 * The grade is a master scale over the probability of falling 30 days past due within a month
 * (the risk model's target): A below the first of grade_bands (0.01, 0.03, 0.08, 0.20), B below
 * the second, ... E at or above the last; X for a card now 90 days or more past due (default),
 * whatever the model says.  The model is trained with --protected (models.h) so that the grade
 * leaves out gender and age; the caller refuses a risk model that uses a protected attribute. */
#include "analytics/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

an_job_fn an_behaviour_job;

enum { BT_DORMANT, BT_REVOLVER, BT_BORROWER, BT_SAVER, BT_DIGITAL, BT_BRANCH, BT_TRANSACTOR, BT_N };
static const char *const bt_code[BT_N] = { "dormant", "revolver", "borrower", "saver",
                                           "digital_first", "branch_loyal", "transactor" };
enum { NGRADES = 6 };
static const char *const grade_name[NGRADES] = { "A", "B", "C", "D", "E", "X" };

/* The columns of the signature the rules read. */
enum { C_DAYS, C_LOAN, C_ASSETS, C_REV6, C_FULL6, C_DPD, C_BRANCH, C_ATM, C_NET, C_MOB, C_PHONE, C_POS, C_N };
static const char *const col_name[C_N] = { "days_since_txn", "has_loan", "assets", "card_revolving_6m",
                                           "card_paid_full_6m", "card_dpd", "branch_12m", "atm_12m",
                                           "internet_12m", "mobile_12m", "phone_12m", "pos_12m" };

typedef struct rules {
    double dormant_days, saver_assets, digital_share, branch_share, min_txn, revolver_months, full_months;
    double bands[4], default_dpd;
} rules;

typedef struct bh {
    rules r;
    int col[C_N];                /* each column's place in the row, -1 before the header is seen */
    size_t n, cap;
    int64_t *cust;
    uint8_t *types;              /* bit per type */
    int8_t *dpd90;               /* a card now default_dpd or more days past due */
    /* the risk model's scoring, by customer (ascending ids) */
    size_t nscored;
    int64_t *scored;
    double *p;
    int *decile;
} bh;

static int read_rules(const an_job_opts *o, rules *r, rp_error *err)
{
    static const double defs[4] = { 0.01, 0.03, 0.08, 0.20 };
    int rc;
    if ((rc = an_cfg_double(o, "behaviour", "dormant_days", 180, 1, 3650, &r->dormant_days, err)) ||
        (rc = an_cfg_double(o, "behaviour", "saver_assets", 1000000, 0, 1e15, &r->saver_assets, err)) ||
        (rc = an_cfg_double(o, "behaviour", "digital_share", 0.6, 0, 1, &r->digital_share, err)) ||
        (rc = an_cfg_double(o, "behaviour", "branch_share", 0.5, 0, 1, &r->branch_share, err)) ||
        (rc = an_cfg_double(o, "behaviour", "min_transactions", 6, 0, 1e6, &r->min_txn, err)) ||
        (rc = an_cfg_double(o, "behaviour", "revolver_months", 3, 1, 6, &r->revolver_months, err)) ||
        (rc = an_cfg_double(o, "behaviour", "full_months", 3, 1, 6, &r->full_months, err)) ||
        (rc = an_cfg_double(o, "behaviour", "default_dpd", 90, 1, 9999, &r->default_dpd, err)))
        return rc;
    memcpy(r->bands, defs, sizeof defs);
    const char *b = o->cfg ? rp_config_get(o->cfg, "behaviour", "grade_bands", NULL) : NULL;
    if (!b)
        return RP_OK;
    double v[4];
    char extra;
    if (sscanf(b, " %lf , %lf , %lf , %lf %c", &v[0], &v[1], &v[2], &v[3], &extra) != 4)
        return rp_err(err, RP_INVAL, "[behaviour] grade_bands: four probabilities, rising (0.01, 0.03, 0.08, 0.20), not '%s'",
                      b);
    for (int k = 0; k < 4; k++)
        if (!(v[k] > 0 && v[k] < 1) || (k && v[k] <= v[k - 1]))
            return rp_err(err, RP_INVAL,
                          "[behaviour] grade_bands: four probabilities between 0 and 1, each above the one before, "
                          "not '%s'", b);
    memcpy(r->bands, v, sizeof v);
    return RP_OK;
}

static double val(const bh *b, const double *num, int c) { return b->col[c] >= 0 ? num[b->col[c]] : NAN; }

/* One customer's types, by the rules above. */
static uint8_t types_of(const bh *b, const double *num)
{
    const rules *r = &b->r;
    double days = val(b, num, C_DAYS), rev6 = val(b, num, C_REV6), full6 = val(b, num, C_FULL6);
    double ch[6], all = 0;
    for (int k = 0; k < 6; k++) {
        ch[k] = val(b, num, C_BRANCH + k);
        ch[k] = isfinite(ch[k]) ? ch[k] : 0;
        if (k != C_ATM - C_BRANCH && k != C_POS - C_BRANCH)
            all += ch[k];
    }
    int loan = val(b, num, C_LOAN) == 1;
    uint8_t t = 0;
    if (!isfinite(days) || days >= r->dormant_days)
        t |= 1u << BT_DORMANT;
    if (isfinite(rev6) && rev6 >= r->revolver_months)
        t |= 1u << BT_REVOLVER;
    if (loan)
        t |= 1u << BT_BORROWER;
    if (!loan && !(t & 1u << BT_REVOLVER) && val(b, num, C_ASSETS) >= r->saver_assets)
        t |= 1u << BT_SAVER;
    if (all >= r->min_txn && all > 0) {
        if ((ch[C_NET - C_BRANCH] + ch[C_MOB - C_BRANCH]) / all >= r->digital_share)
            t |= 1u << BT_DIGITAL;
        if (ch[0] / all >= r->branch_share)
            t |= 1u << BT_BRANCH;
    }
    if (isfinite(full6) && full6 >= r->full_months && rev6 == 0)
        t |= 1u << BT_TRANSACTOR;
    return t;
}

static int row(void *ctx, int ncols, const char *const *names, const double *num, const char *const *text,
               rp_error *err)
{
    (void)text;
    bh *b = ctx;
    if (b->col[0] == -2) { /* the first row: where the columns are */
        for (int c = 0; c < C_N; c++) {
            b->col[c] = -1;
            for (int k = 0; k < ncols; k++)
                if (!strcmp(names[k], col_name[c]))
                    b->col[c] = k;
        }
    }
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        int64_t *c = realloc(b->cust, cap * sizeof *c);
        if (c)
            b->cust = c;
        uint8_t *t = c ? realloc(b->types, cap) : NULL;
        if (t)
            b->types = t;
        int8_t *d = t ? realloc(b->dpd90, cap) : NULL;
        if (!d)
            return rp_err(err, RP_NOMEM, "behaviour: %zu customers", cap);
        b->dpd90 = d, b->cap = cap;
    }
    b->cust[b->n] = (int64_t)num[0]; /* customer_id comes first */
    b->types[b->n] = types_of(b, num);
    double dpd = val(b, num, C_DPD);
    b->dpd90[b->n] = isfinite(dpd) && dpd >= b->r.default_dpd;
    b->n++;
    return RP_OK;
}

/* The grade of customer i, *p its probability: -1 none (not scored). */
static int grade_of(const bh *b, size_t i, double *p)
{
    size_t lo = 0, hi = b->nscored; /* the scoring is in ascending order of customer */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->scored[mid] < b->cust[i])
            lo = mid + 1;
        else
            hi = mid;
    }
    int found = lo < b->nscored && b->scored[lo] == b->cust[i];
    *p = found ? b->p[lo] : NAN;
    if (b->dpd90[i])
        return NGRADES - 1;
    if (!found)
        return -1;
    int g = 0;
    while (g < 4 && *p >= b->r.bands[g])
        g++;
    return g;
}

static int insert(an_run *r, int64_t cust, uint8_t types, int grade, double p, rp_error *err)
{
    char list[160] = "";
    const char *primary = "general";
    for (int k = BT_N - 1; k >= 0; k--)
        if ((types >> k) & 1)
            primary = bt_code[k];
    for (int k = 0; k < BT_N; k++)
        if ((types >> k) & 1)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", *list ? "," : "", bt_code[k]);
    rp_stmt *st;
    int rc = rp_store_prepare(r->s,
                              "INSERT INTO customer_behaviour(run_id, customer_id, types, primary_type, risk_grade, "
                              "risk_p) VALUES (?,?,?,?,?,?)",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, r->id);
    rp_stmt_bind_int(st, 2, cust);
    rp_stmt_bind_text(st, 3, list);
    rp_stmt_bind_text(st, 4, primary);
    if (grade >= 0)
        rp_stmt_bind_text(st, 5, grade_name[grade]);
    else
        rp_stmt_bind_null(st, 5);
    if (isfinite(p))
        rp_stmt_bind_real(st, 6, p);
    else
        rp_stmt_bind_null(st, 6);
    return rp_stmt_run(st, err);
}

/* The table: each type's customers, then each grade's with its band and mean probability. */
static json_t *summary_of(const bh *b, const size_t *tn, const size_t *gn, const double *gp, const size_t *gpn,
                          size_t graded, const char *model)
{
    static const char *const cols[] = { "group", "name", "customers", "customers_%", "band", "mean_p_%", NULL };
    json_t *t = an_table_new(cols);
    double n = b->n ? (double)b->n : 1;
    for (int k = 0; k < BT_N; k++)
        an_table_add(t, json_pack("[s, s, I, o, n, n]", "type", bt_code[k], (json_int_t)tn[k],
                                  an_pct((double)tn[k] / n)));
    an_table_add(t, json_pack("[s, s, I, o, n, n]", "type", "general", (json_int_t)tn[BT_N],
                              an_pct((double)tn[BT_N] / n)));
    for (int g = 0; g < NGRADES; g++) {
        char band[64];
        if (g == NGRADES - 1)
            snprintf(band, sizeof band, "dpd >= %.0f", b->r.default_dpd);
        else if (g == 0)
            snprintf(band, sizeof band, "p < %g", b->r.bands[0]);
        else if (g == 4)
            snprintf(band, sizeof band, "p >= %g", b->r.bands[3]);
        else
            snprintf(band, sizeof band, "%g <= p < %g", b->r.bands[g - 1], b->r.bands[g]);
        an_table_add(t, json_pack("[s, s, I, o, s, o]", "grade", grade_name[g], (json_int_t)gn[g],
                                  an_pct((double)gn[g] / n), band,
                                  gpn[g] ? an_pct(gp[g] / (double)gpn[g]) : json_null()));
    }
    char head[256];
    snprintf(head, sizeof head, "%zu customers typed; %zu graded by the risk model '%s'%s; X (%.0f or more days past due): %zu",
             b->n, graded, model, b->nscored ? "" : " (it has not scored the warehouse: no grades A-E)", b->r.default_dpd,
             gn[NGRADES - 1]);
    return json_pack("{s:s, s:o, s:s}", "headline", head, "table", t, "risk_model", model);
}

static int write_all(bh *b, an_run *r, const char *model, json_t **sum, rp_error *err)
{
    size_t tn[BT_N + 1] = { 0 }, gn[NGRADES] = { 0 }, gpn[NGRADES] = { 0 }, graded = 0;
    double gp[NGRADES] = { 0 };
    int rc = RP_OK;
    for (size_t i = 0; i < b->n && !rc; i++) {
        for (int k = 0; k < BT_N; k++)
            tn[k] += (b->types[i] >> k) & 1;
        tn[BT_N] += !b->types[i];
        double p = NAN;
        int g = grade_of(b, i, &p);
        if (g >= 0) { /* X is a fact, not the model's: counted apart */
            gn[g]++, graded += g < NGRADES - 1;
            if (isfinite(p))
                gp[g] += p, gpn[g]++;
        }
        if (r->id)
            rc = insert(r, b->cust[i], b->types[i], g, p, err);
    }
    if (!rc)
        *sum = summary_of(b, tn, gn, gp, gpn, graded, model);
    return rc;
}

int an_behaviour_job(wh *w, const an_job_opts *o, json_t **summary, rp_error *err)
{
    bh b = { .col = { -2 } };
    const char *model = o->cfg ? rp_config_get(o->cfg, "behaviour", "risk_model", "risk") : "risk";
    int rc = read_rules(o, &b.r, err);
    if (!rc && o->model_scores) {
        rc = o->model_scores(o->model_scores_ctx, model, &b.nscored, &b.scored, &b.p, &b.decile, err);
        if (rc == RP_NOTFOUND) /* no risk model yet: types without grades */
            rc = RP_OK, b.nscored = 0;
    }
    an_sig_opts so = { 0 };
    an_sig_info info;
    if (!rc)
        rc = an_signature_each(w, o, &so, row, &b, &info, err);
    json_t *params = json_pack("{s:s, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:[f,f,f,f], s:f}", "risk_model", model,
                               "dormant_days", b.r.dormant_days, "saver_assets", b.r.saver_assets, "digital_share",
                               b.r.digital_share, "branch_share", b.r.branch_share, "min_transactions", b.r.min_txn,
                               "revolver_months", b.r.revolver_months, "full_months", b.r.full_months, "grade_bands",
                               b.r.bands[0], b.r.bands[1], b.r.bands[2], b.r.bands[3], "default_dpd", b.r.default_dpd);
    an_run r;
    json_t *sum = NULL;
    if (!rc && !(rc = an_run_begin(w, o, params, &r, err))) {
        rc = write_all(&b, &r, model, &sum, err);
        if (!rc)
            rc = an_run_end(&r, sum, b.n, err);
        else
            an_run_abort(&r);
    }
    json_decref(params);
    free(b.cust), free(b.types), free(b.dpd90), free(b.scored), free(b.p), free(b.decile);
    return an_hand_over(rc, sum, summary);
}
