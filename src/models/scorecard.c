/* scorecard.c — a credit-style scorecard, as banks' risk teams build them (Siddiqi, "Credit Risk
 * Scorecards", 2006): each feature cut into bands (numbers at quantiles, at most `bins`, none under
 * min_bin_share of the rows; a category's levels, the rare ones pooled as "other"; missing values a
 * band of their own), each band's weight of evidence WoE = ln((goods in it / all goods) /
 * (bads in it / all bads)) (the positive class is the "bad": the event predicted; half a row added
 * to each count so that a pure band has a finite WoE), the feature's information value IV = sum of
 * (%good - %bad) WoE; features under iv_min left out; a logistic regression on the WoE of those kept
 * (the logit learner, unpenalised); and points: score = offset + factor ln(odds good:bad), factor =
 * pdo / ln 2, offset = base_score - factor ln(base_odds), shared out so that each band of each feature
 * has its own points and a customer's score is the sum of theirs.  See models.h. */
#include "models/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    double upper;          /* numeric: the band holds x <= upper (the last +inf) */
    int32_t level;         /* categorical: the level, or -2 for "other" */
    int missing;           /* the band of missing values */
    size_t good, bad;
    double woe, points;
} band;

typedef struct {
    int col;
    band *b;
    int nb;
    double iv, coef;
    int kept;
} feature;

struct mdl_model {
    feature *f;
    int nf;
    double intercept, factor, offset, base_score, base_odds, pdo;
    size_t goods, bads;
};

typedef struct {
    int bins;
    double min_share, iv_min, base_score, base_odds, pdo;
} sc_settings_t;

static int sc_settings(const mdl_params *p, sc_settings_t *s, rp_error *err)
{
    int rc;
    if ((rc = mdl__param_int(p, "bins", 10, 2, 50, &s->bins, err)) ||
        (rc = mdl__param_real(p, "min_bin_share", 0.05, 0.001, 0.5, &s->min_share, err)) ||
        (rc = mdl__param_real(p, "iv_min", 0.02, 0, 10, &s->iv_min, err)) ||
        (rc = mdl__param_real(p, "base_score", 600, -1e6, 1e6, &s->base_score, err)) ||
        (rc = mdl__param_real(p, "base_odds", 50, 1e-6, 1e6, &s->base_odds, err)) ||
        (rc = mdl__param_real(p, "pdo", 20, 1e-3, 1e6, &s->pdo, err)))
        return rc;
    return RP_OK;
}

static int sc_check(const mdl_params *p, rp_error *err)
{
    sc_settings_t s;
    return sc_settings(p, &s, err);
}

/* The band of a row for feature ft, or -1 (a missing value or level the training rows had not). */
static int band_of(const feature *ft, const mdl_frame *f, size_t row)
{
    const mdl_col *c = &f->cols[ft->col];
    int other = -1;
    for (int k = 0; k < ft->nb; k++) {
        const band *b = &ft->b[k];
        if (c->kind == MDL_NUM) {
            double x = c->x[row];
            if (x != x ? b->missing : !b->missing && x <= b->upper)
                return k;
        } else {
            int32_t lv = c->code[row];
            if (lv < 0 ? b->missing : !b->missing && b->level == lv)
                return k;
            if (!b->missing && b->level == -2)
                other = k;
        }
    }
    return c->kind == MDL_CAT && c->code[row] >= 0 ? other : -1;
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* A numeric feature's bands: at quantiles, merged so that none holds fewer than min rows. */
static int numeric_bands(const mdl_col *c, const size_t *rows, size_t n, const sc_settings_t *s, feature *ft)
{
    double *v = malloc((n ? n : 1) * sizeof *v);
    size_t m = 0, miss = 0;
    if (!v)
        return RP_NOMEM;
    for (size_t i = 0; i < n; i++)
        if (isnan(c->x[rows[i]]))
            miss++;
        else
            v[m++] = c->x[rows[i]];
    qsort(v, m, sizeof *v, cmp_dbl);
    size_t min = (size_t)ceil(s->min_share * (double)n), per = m / (size_t)s->bins;
    if (per < min)
        per = min;
    ft->b = calloc((size_t)s->bins + 2, sizeof *ft->b);
    if (!ft->b) {
        free(v);
        return RP_NOMEM;
    }
    size_t in = 0;
    for (size_t i = 0; i < m; i++) {
        in++;
        int last = i + 1 == m;
        if (!last && in >= per && v[i + 1] > v[i] && m - i - 1 >= min) { /* a band closes between two values */
            ft->b[ft->nb++] = (band){ .upper = v[i] + (v[i + 1] - v[i]) / 2 };
            in = 0;
        }
    }
    if (m)
        ft->b[ft->nb++] = (band){ .upper = INFINITY };
    if (miss)
        ft->b[ft->nb++] = (band){ .missing = 1, .upper = NAN };
    free(v);
    return RP_OK;
}

static int categorical_bands(const mdl_col *c, const size_t *rows, size_t n, const sc_settings_t *s, feature *ft)
{
    size_t *count = calloc((size_t)c->nlevels + 1, sizeof *count), miss = 0;
    ft->b = calloc((size_t)c->nlevels + 2, sizeof *ft->b);
    if (!count || !ft->b) {
        free(count);
        return RP_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        int32_t lv = c->code[rows[i]];
        if (lv < 0)
            miss++;
        else
            count[lv]++;
    }
    size_t min = (size_t)ceil(s->min_share * (double)n), pooled = 0;
    for (int l = 0; l < c->nlevels; l++) {
        if (count[l] >= min)
            ft->b[ft->nb++] = (band){ .level = l };
        else
            pooled += count[l];
    }
    if (pooled || !ft->nb)
        ft->b[ft->nb++] = (band){ .level = -2 };
    if (miss)
        ft->b[ft->nb++] = (band){ .missing = 1, .level = -1 };
    free(count);
    return RP_OK;
}

static void sc_free(mdl_model *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->nf; i++)
        free(m->f[i].b);
    free(m->f);
    free(m);
}

/* Counts, weight of evidence and information value of one feature's bands on the rows of the fit. */
static void weigh(feature *ft, const mdl_frame *f, const size_t *rows, size_t n, size_t goods, size_t bads)
{
    for (size_t i = 0; i < n; i++) {
        int k = band_of(ft, f, rows[i]);
        if (k < 0)
            continue;
        if (f->y[rows[i]])
            ft->b[k].bad++;
        else
            ft->b[k].good++;
    }
    ft->iv = 0;
    for (int k = 0; k < ft->nb; k++) {
        band *b = &ft->b[k];
        double pg = ((double)b->good + 0.5) / ((double)goods + 0.5 * ft->nb),
               pb = ((double)b->bad + 0.5) / ((double)bads + 0.5 * ft->nb);
        b->woe = log(pg / pb);
        ft->iv += (pg - pb) * b->woe;
    }
}

/* The logistic regression on the kept features' WoE (logit, unpenalised): coefficients and intercept. */
static int regress(struct mdl_model *m, const mdl_frame *f, const size_t *rows, size_t n, rp_error *err)
{
    int kept = 0;
    for (int i = 0; i < m->nf; i++)
        kept += m->f[i].kept;
    mdl_frame w = { .nrows = f->nrows, .y = f->y, .npos = f->npos };
    w.cols = calloc((size_t)kept, sizeof *w.cols);
    int rc = w.cols ? RP_OK : RP_NOMEM;
    for (int i = 0; i < m->nf && !rc; i++) {
        if (!m->f[i].kept)
            continue;
        mdl_col *c = &w.cols[w.ncols++];
        c->kind = MDL_NUM;
        c->name = f->cols[m->f[i].col].name; /* borrowed */
        if (!(c->x = malloc(f->nrows * sizeof *c->x))) {
            rc = RP_NOMEM;
            break;
        }
        for (size_t r = 0; r < n; r++) {
            int k = band_of(&m->f[i], f, rows[r]);
            c->x[rows[r]] = k < 0 ? 0 : m->f[i].b[k].woe;
        }
    }
    mdl_model *lm = NULL;
    mdl_params none = { .n = 2, .names = { "penalty", "tol" }, .values = { "none", "1e-10" } };
    if (!rc && (rc = mdl__logit.fit(&w, rows, n, &none, &lm, err)) == RP_OK) {
        json_t *d = mdl__logit.describe(lm, &w);
        m->intercept = json_real_value(json_object_get(d, "intercept"));
        size_t j;
        json_t *co;
        json_array_foreach(json_object_get(d, "coefficients"), j, co) {
            const char *name = json_string_value(json_object_get(co, "feature"));
            for (int i = 0; i < m->nf; i++)
                if (m->f[i].kept && !strcmp(f->cols[m->f[i].col].name, name) && !json_object_get(co, "missing"))
                    m->f[i].coef = json_real_value(json_object_get(co, "coef_per_unit"));
        }
        json_decref(d);
        mdl__logit.free(lm);
    } else if (rc == RP_NOMEM) {
        rp_err(err, RP_NOMEM, NULL);
    }
    for (int i = 0; i < w.ncols; i++)
        free(w.cols[i].x);
    free(w.cols);
    return rc;
}

static int sc_fit(const mdl_frame *f, const size_t *rows, size_t n, const mdl_params *p, mdl_model **out,
                  rp_error *err)
{
    sc_settings_t s;
    int rc;
    if ((rc = mdl_params_check(&mdl__scorecard, p, err)) || (rc = sc_settings(p, &s, err)))
        return rc;
    struct mdl_model *m = calloc(1, sizeof *m);
    if (!m || !(m->f = calloc((size_t)f->ncols, sizeof *m->f))) {
        free(m);
        return rp_err(err, RP_NOMEM, NULL);
    }
    for (size_t i = 0; i < n; i++)
        f->y[rows[i]] ? m->bads++ : m->goods++;
    int kept = 0;
    for (int c = 0; c < f->ncols && !rc; c++) {
        feature *ft = &m->f[m->nf++];
        ft->col = c;
        rc = f->cols[c].kind == MDL_NUM ? numeric_bands(&f->cols[c], rows, n, &s, ft)
                                         : categorical_bands(&f->cols[c], rows, n, &s, ft);
        if (rc)
            break;
        weigh(ft, f, rows, n, m->goods, m->bads);
        ft->kept = ft->nb > 1 && ft->iv >= s.iv_min;
        kept += ft->kept;
    }
    if (rc) {
        sc_free(m);
        return rp_err(err, RP_NOMEM, NULL);
    }
    if (!kept) {
        sc_free(m);
        return rp_err(err, RP_INVAL, "scorecard: no feature has an information value of %g or more (iv_min)", s.iv_min);
    }
    if ((rc = regress(m, f, rows, n, err))) {
        sc_free(m);
        return rc;
    }
    m->base_score = s.base_score;
    m->base_odds = s.base_odds;
    m->pdo = s.pdo;
    m->factor = s.pdo / log(2);
    m->offset = s.base_score - m->factor * log(s.base_odds);
    for (int i = 0; i < m->nf; i++) {
        feature *ft = &m->f[i];
        for (int k = 0; ft->kept && k < ft->nb; k++)
            ft->b[k].points = -m->factor * ft->coef * ft->b[k].woe + (m->offset - m->factor * m->intercept) / kept;
    }
    *out = m;
    return RP_OK;
}

/* A row's score: the points of its bands (a band the fit had not seen: WoE 0, its share of the base). */
static double row_score(const struct mdl_model *m, const mdl_frame *f, size_t row, int kept)
{
    double s = 0;
    for (int i = 0; i < m->nf; i++) {
        const feature *ft = &m->f[i];
        if (!ft->kept)
            continue;
        int k = band_of(ft, f, row);
        s += k < 0 ? (m->offset - m->factor * m->intercept) / kept : ft->b[k].points;
    }
    return s;
}

static int kept_of(const struct mdl_model *m)
{
    int k = 0;
    for (int i = 0; i < m->nf; i++)
        k += m->f[i].kept;
    return k;
}

static void sc_predict(const mdl_model *m, const mdl_frame *f, const size_t *rows, size_t n, double *out)
{
    int kept = kept_of(m);
    for (size_t i = 0; i < n; i++) {
        /* ln(odds good:bad) = (score - offset) / factor; the probability of the bad */
        double lg = (row_score(m, f, rows[i], kept) - m->offset) / m->factor;
        out[i] = 1 / (1 + exp(lg));
    }
}

static json_t *sc_describe(const mdl_model *m, const mdl_frame *f)
{
    json_t *fs = json_array();
    for (int i = 0; i < m->nf; i++) {
        const feature *ft = &m->f[i];
        const mdl_col *c = &f->cols[ft->col];
        json_t *bs = json_array();
        double lower = -INFINITY;
        for (int k = 0; k < ft->nb; k++) {
            const band *b = &ft->b[k];
            char text[200];
            if (b->missing)
                snprintf(text, sizeof text, "missing");
            else if (c->kind == MDL_CAT)
                snprintf(text, sizeof text, "%s", b->level == -2 ? "other" : c->levels[b->level]);
            else if (isinf(lower) && isinf(b->upper))
                snprintf(text, sizeof text, "any");
            else if (isinf(lower))
                snprintf(text, sizeof text, "<= %.6g", b->upper);
            else if (isinf(b->upper))
                snprintf(text, sizeof text, "> %.6g", lower);
            else
                snprintf(text, sizeof text, "%.6g - %.6g", lower, b->upper);
            if (!b->missing && c->kind == MDL_NUM)
                lower = b->upper;
            json_t *o = json_pack("{s:s, s:I, s:I, s:f}", "band", text, "goods", (json_int_t)b->good, "bads",
                                  (json_int_t)b->bad, "woe", b->woe);
            if (ft->kept)
                json_object_set_new(o, "points", json_real(b->points));
            json_array_append_new(bs, o);
        }
        json_array_append_new(fs, json_pack("{s:s, s:f, s:b, s:f, s:o}", "feature", c->name, "iv", ft->iv, "kept",
                                            ft->kept, "coef", ft->coef, "bands", bs));
    }
    return json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:o}", "base_score", m->base_score, "base_odds", m->base_odds,
                     "pdo", m->pdo, "factor", m->factor, "offset", m->offset, "intercept", m->intercept, "features", fs);
}


/* ---- PMML: a Scorecard; the points as partial scores, a row's band its first true attribute (a
 * value the fit had not seen: the base share, as sc_predict gives it); factor and offset as
 * extensions, for the probability ---- */

static void pmml_band(rp_buf *b, const mdl_col *c, const band *bd, double lower)
{
    if (bd->missing) {
        rp_buf_puts(b, "<SimplePredicate");
        mdl__pmml_attr(b, "field", c->name);
        rp_buf_puts(b, " operator=\"isMissing\"/>");
    } else if (c->kind == MDL_CAT && bd->level >= 0) {
        rp_buf_puts(b, "<SimplePredicate");
        mdl__pmml_attr(b, "field", c->name);
        rp_buf_puts(b, " operator=\"equal\"");
        mdl__pmml_attr(b, "value", c->levels[bd->level]);
        rp_buf_puts(b, "/>");
    } else if (c->kind == MDL_CAT) { /* "other": every level without a band of its own */
        rp_buf_puts(b, "<SimplePredicate");
        mdl__pmml_attr(b, "field", c->name);
        rp_buf_puts(b, " operator=\"isNotMissing\"/>");
    } else if (isinf(bd->upper) && isinf(lower)) {
        rp_buf_puts(b, "<SimplePredicate");
        mdl__pmml_attr(b, "field", c->name);
        rp_buf_puts(b, " operator=\"isNotMissing\"/>");
    } else if (isinf(bd->upper)) {
        rp_buf_puts(b, "<SimplePredicate");
        mdl__pmml_attr(b, "field", c->name);
        rp_buf_printf(b, " operator=\"greaterThan\" value=\"%.17g\"/>", lower);
    } else { /* bands are tried in order: the lower bound is implied by the bands before */
        rp_buf_puts(b, "<SimplePredicate");
        mdl__pmml_attr(b, "field", c->name);
        rp_buf_printf(b, " operator=\"lessOrEqual\" value=\"%.17g\"/>", bd->upper);
    }
}

static void sc_pmml(const mdl_model *m, const mdl_frame *f, rp_buf *b)
{
    int kept = kept_of(m);
    rp_buf_puts(b, "  <Scorecard functionName=\"regression\" useReasonCodes=\"false\" initialScore=\"0\">\n");
    rp_buf_printf(b, "    <Extension name=\"factor\" value=\"%.17g\"/>\n    <Extension name=\"offset\" value=\"%.17g\"/>\n",
                  m->factor, m->offset);
    mdl__pmml_schema(b, f, 4);
    rp_buf_puts(b, "    <Characteristics>\n");
    double base = (m->offset - m->factor * m->intercept) / kept;
    for (int i = 0; i < m->nf; i++) {
        const feature *ft = &m->f[i];
        const mdl_col *c = &f->cols[ft->col];
        if (!ft->kept)
            continue;
        rp_buf_puts(b, "      <Characteristic");
        mdl__pmml_attr(b, "name", c->name);
        rp_buf_puts(b, ">\n");
        double lower = -INFINITY;
        /* the missing band first: a missing value must not reach a numeric test */
        for (int pass = 0; pass < 2; pass++)
            for (int k = 0; k < ft->nb; k++) {
                const band *bd = &ft->b[k];
                if (bd->missing != !pass)
                    continue;
                rp_buf_printf(b, "        <Attribute partialScore=\"%.17g\">", bd->points);
                pmml_band(b, c, bd, lower);
                rp_buf_puts(b, "</Attribute>\n");
                if (!bd->missing && c->kind == MDL_NUM)
                    lower = bd->upper;
            }
        rp_buf_printf(b, "        <Attribute partialScore=\"%.17g\"><True/></Attribute>\n", base);
        rp_buf_puts(b, "      </Characteristic>\n");
    }
    rp_buf_puts(b, "    </Characteristics>\n  </Scorecard>\n");
}

static const char *const sc_setting_names[] = { "bins", "min_bin_share", "iv_min", "base_score", "base_odds", "pdo",
                                                NULL };

static json_t *sc_save(const mdl_model *m, const mdl_frame *f)
{
    (void)f;
    json_t *fs = json_array();
    for (int i = 0; i < m->nf; i++) {
        const feature *ft = &m->f[i];
        json_t *bs = json_array();
        for (int k = 0; k < ft->nb; k++) {
            const band *b = &ft->b[k];
            /* the missing band's bound is NaN and the last one's +inf: JSON has neither */
            json_array_append_new(bs, json_pack("[f, i, b, I, I, f, f]", isfinite(b->upper) ? b->upper : 1e308,
                                                b->level, b->missing, (json_int_t)b->good, (json_int_t)b->bad,
                                                isfinite(b->woe) ? b->woe : 0.0, isfinite(b->points) ? b->points : 0.0));
        }
        json_array_append_new(fs, json_pack("{s:i, s:o, s:f, s:f, s:b}", "col", ft->col, "bands", bs, "iv", ft->iv,
                                            "coef", ft->coef, "kept", ft->kept));
    }
    return json_pack("{s:o, s:f, s:f, s:f, s:f, s:f, s:f, s:I, s:I}", "features", fs, "intercept", m->intercept,
                     "factor", m->factor, "offset", m->offset, "base_score", m->base_score, "base_odds", m->base_odds,
                     "pdo", m->pdo, "goods", (json_int_t)m->goods, "bads", (json_int_t)m->bads);
}

/* One feature's bands from JSON; -1 when they do not fit the frame's columns. */
static int feature_load(const json_t *o, const mdl_frame *f, feature *ft)
{
    const json_t *bs = json_object_get(o, "bands");
    size_t nb = json_array_size(bs);
    ft->col = (int)json_integer_value(json_object_get(o, "col"));
    ft->iv = json_number_value(json_object_get(o, "iv"));
    ft->coef = json_number_value(json_object_get(o, "coef"));
    ft->kept = json_is_true(json_object_get(o, "kept"));
    if (ft->col < 0 || ft->col >= f->ncols || !nb || !(ft->b = calloc(nb, sizeof *ft->b)))
        return -1;
    ft->nb = (int)nb;
    for (size_t k = 0; k < nb; k++) {
        const json_t *a = json_array_get(bs, k);
        band *b = &ft->b[k];
        double up = json_number_value(json_array_get(a, 0));
        b->upper = up >= 1e308 ? INFINITY : up;
        b->level = (int32_t)json_integer_value(json_array_get(a, 1));
        b->missing = json_is_true(json_array_get(a, 2));
        b->good = (size_t)json_integer_value(json_array_get(a, 3));
        b->bad = (size_t)json_integer_value(json_array_get(a, 4));
        b->woe = json_number_value(json_array_get(a, 5));
        b->points = json_number_value(json_array_get(a, 6));
        if (json_array_size(a) != 7 || (f->cols[ft->col].kind == MDL_CAT && !b->missing &&
                                        (b->level < -2 || b->level >= f->cols[ft->col].nlevels)))
            return -1;
    }
    return 0;
}

static int sc_load(const json_t *j, const mdl_frame *f, mdl_model **out, rp_error *err)
{
    const json_t *fs = json_object_get(j, "features");
    size_t nf = json_array_size(fs);
    struct mdl_model *m = calloc(1, sizeof *m);
    if (!m || !(m->f = calloc(nf ? nf : 1, sizeof *m->f))) {
        free(m);
        return rp_err(err, RP_NOMEM, NULL);
    }
    m->intercept = json_number_value(json_object_get(j, "intercept"));
    m->factor = json_number_value(json_object_get(j, "factor"));
    m->offset = json_number_value(json_object_get(j, "offset"));
    m->base_score = json_number_value(json_object_get(j, "base_score"));
    m->base_odds = json_number_value(json_object_get(j, "base_odds"));
    m->pdo = json_number_value(json_object_get(j, "pdo"));
    m->goods = (size_t)json_integer_value(json_object_get(j, "goods"));
    m->bads = (size_t)json_integer_value(json_object_get(j, "bads"));
    for (size_t i = 0; i < nf; i++) {
        m->nf = (int)i + 1;
        if (feature_load(json_array_get(fs, i), f, &m->f[i])) {
            sc_free(m);
            return rp_err(err, RP_PARSE, "scorecard: feature %zu does not fit the model's columns", i + 1);
        }
    }
    if (!(m->factor != 0)) {
        sc_free(m);
        return rp_err(err, RP_PARSE, "scorecard: no scale (factor)");
    }
    *out = m;
    return RP_OK;
}

const mdl_learner mdl__scorecard = {
    .name = "scorecard",
    .title = "scorecard: logistic regression on weight of evidence, as points",
    .params_help = "bins (10), min_bin_share (0.05), iv_min (0.02), base_score (600), base_odds (50: good to bad at "
                   "the base score), pdo (20: points to double the odds)",
    .settings = sc_setting_names,
    .check = sc_check,
    .fit = sc_fit,
    .predict = sc_predict,
    .describe = sc_describe,
    .free = sc_free,
    .pmml = sc_pmml,
    .save = sc_save,
    .load = sc_load,
};
