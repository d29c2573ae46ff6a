/* metrics.c — how well scores rank and predict a binary target: AUC (the Mann-Whitney statistic,
 * ties counted half), Gini (2 AUC - 1), KS (the largest gap between the classes' cumulative shares),
 * log-loss, Brier, a confusion matrix, and gains, lift and calibration by decile.  See models.h. */
#include "models/internal.h"

#include <math.h>
#include <stdlib.h>

typedef struct {
    double p;
    uint8_t y;
} scored;

static int by_score_desc(const void *a, const void *b)
{
    double x = ((const scored *)a)->p, y = ((const scored *)b)->p;
    return x > y ? -1 : x < y ? 1 : 0;
}

int mdl_metrics_of(const double *p, const uint8_t *y, size_t n, double threshold, mdl_metrics *m, rp_error *err)
{
    *m = (mdl_metrics){ .n = n, .threshold = threshold };
    for (size_t i = 0; i < n; i++)
        m->pos += y[i];
    size_t neg = n - m->pos;
    if (!m->pos || !neg)
        return rp_err(err, RP_INVAL, "metrics: %zu rows with %zu positives: both classes are needed", n, m->pos);
    scored *s = malloc(n * sizeof *s);
    if (!s)
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < n; i++) {
        s[i] = (scored){ p[i], y[i] };
        double q = p[i] < 1e-15 ? 1e-15 : p[i] > 1 - 1e-15 ? 1 - 1e-15 : p[i];
        m->logloss -= y[i] ? log(q) : log(1 - q);
        m->brier += (p[i] - y[i]) * (p[i] - y[i]);
        if (p[i] >= threshold)
            y[i] ? m->tp++ : m->fp++;
        else
            y[i] ? m->fn++ : m->tn++;
    }
    m->logloss /= (double)n;
    m->brier /= (double)n;
    qsort(s, n, sizeof *s, by_score_desc);
    /* AUC: for each group of equal scores, the negatives below it, positives within counted half */
    double above_neg = 0, pairs = 0, cpos = 0, cneg = 0;
    m->roc[0][0] = m->roc[0][1] = 0;
    m->nroc = 1;
    for (size_t i = 0; i < n;) {
        size_t j = i, gp = 0, gn = 0;
        while (j < n && s[j].p == s[i].p)
            s[j].y ? gp++ : gn++, j++;
        /* positives in this group rank above every negative after it, and tie with those in it */
        pairs += (double)gp * ((double)neg - above_neg - (double)gn) + 0.5 * (double)gp * (double)gn;
        above_neg += (double)gn;
        cpos += (double)gp;
        cneg += (double)gn;
        double gap = fabs(cpos / (double)m->pos - cneg / (double)neg);
        if (gap > m->ks)
            m->ks = gap;
        /* a point of the curve each hundredth of the rows (a group of equal scores is one step) */
        if ((j == n || j * 100 / n > i * 100 / n) && m->nroc < MDL_ROC_POINTS) {
            m->roc[m->nroc][0] = cneg / (double)neg;
            m->roc[m->nroc++][1] = cpos / (double)m->pos;
        }
        i = j;
    }
    m->auc = pairs / ((double)m->pos * (double)neg);
    m->gini = 2 * m->auc - 1;
    /* deciles: the rows by score, highest first, in ten groups as equal as they can be */
    double rate = (double)m->pos / (double)n, gained = 0;
    for (int d = 0; d < 10; d++) {
        size_t from = n * (size_t)d / 10, to = n * (size_t)(d + 1) / 10;
        mdl_decile *dc = &m->deciles[d];
        double sum = 0;
        for (size_t i = from; i < to; i++) {
            dc->pos += s[i].y;
            sum += s[i].p;
        }
        dc->n = to - from;
        gained += (double)dc->pos;
        dc->mean_score = dc->n ? sum / (double)dc->n : 0;
        dc->rate = dc->n ? (double)dc->pos / (double)dc->n : 0;
        dc->lift = dc->rate / rate;
        dc->cum_gain = gained / (double)m->pos;
    }
    free(s);
    return RP_OK;
}

json_t *mdl_metrics_json(const mdl_metrics *m)
{
    json_t *dec = json_array();
    for (int d = 0; d < 10; d++) {
        const mdl_decile *x = &m->deciles[d];
        json_array_append_new(dec, json_pack("{s:i, s:I, s:I, s:f, s:f, s:f, s:f}", "decile", d + 1, "rows",
                                             (json_int_t)x->n, "positives", (json_int_t)x->pos, "mean_score",
                                             x->mean_score, "rate", x->rate, "lift", x->lift, "cum_gain", x->cum_gain));
    }
    json_t *roc = json_array();
    for (int k = 0; k < m->nroc; k++) /* four decimals draw a curve; more would only weigh the report */
        json_array_append_new(roc, json_pack("[f, f]", round(m->roc[k][0] * 1e4) / 1e4, round(m->roc[k][1] * 1e4) / 1e4));
    return json_pack("{s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:{s:f, s:I, s:I, s:I, s:I}, s:o, s:o}", "rows",
                     (json_int_t)m->n, "positives", (json_int_t)m->pos, "auc", m->auc, "gini", m->gini, "ks", m->ks,
                     "logloss", m->logloss, "brier", m->brier, "confusion", "threshold", m->threshold, "tp",
                     (json_int_t)m->tp, "fp", (json_int_t)m->fp, "tn", (json_int_t)m->tn, "fn", (json_int_t)m->fn,
                     "deciles", dec, "roc", roc);
}
