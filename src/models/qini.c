/* qini.c — how well a score ranks the effect of a treatment (M10): the Qini curve and coefficient
 * and the area under the uplift curve, over rows that were treated or held out as control and did
 * or did not respond (Radcliffe 2007; Gutierrez and Gérardy 2016).  See models.h. */
#include "models/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct ranked {
    double s;
    size_t i;
} ranked;

static int by_score_desc(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    return x->s > y->s ? -1 : x->s < y->s ? 1 : x->i < y->i ? -1 : x->i > y->i;
}

int mdl_qini(const double *uplift, const uint8_t *y, const uint8_t *treated, size_t n, mdl_qini_out *out,
             rp_error *err)
{
    memset(out, 0, sizeof *out);
    size_t nt = 0, nc = 0;
    for (size_t i = 0; i < n; i++)
        treated[i] ? nt++ : nc++;
    if (!nt || !nc)
        return rp_err(err, RP_INVAL, "uplift: %zu treated and %zu control rows; both are needed", nt, nc);
    ranked *r = malloc(n * sizeof *r);
    if (!r)
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < n; i++) {
        if (isnan(uplift[i])) {
            free(r);
            return rp_err(err, RP_INVAL, "uplift: row %zu has no score", i + 1);
        }
        r[i] = (ranked){ uplift[i], i };
    }
    qsort(r, n, sizeof *r, by_score_desc);
    /* Walk down the ranking a block of equal scores at a time (ties take their place together):
     * g(k) = responders treated − responders held out × treated / held out, among the first k rows. */
    double rt = 0, rc = 0, ct = 0, cc = 0, prev_x = 0, prev_g = 0, prev_u = 0, area_q = 0, area_u = 0;
    int next_decile = 1;
    for (size_t k = 0; k < n;) {
        size_t e = k;
        while (e < n && r[e].s == r[k].s) {
            size_t i = r[e++].i;
            if (treated[i])
                ct++, rt += y[i];
            else
                cc++, rc += y[i];
        }
        double x = (double)e / (double)n;
        double g = rt - (cc > 0 ? rc * ct / cc : 0);
        double u = (ct > 0 ? rt / ct : 0) - (cc > 0 ? rc / cc : 0);
        area_q += (x - prev_x) * (g + prev_g) / 2;
        area_u += (x - prev_x) * (u + prev_u) / 2;
        while (next_decile <= 10 && x >= next_decile / 10.0 - 1e-12) {
            out->curve[next_decile - 1] = g;
            next_decile++;
        }
        prev_x = x, prev_g = g, prev_u = u;
        k = e;
    }
    out->n = n, out->treated = nt, out->control = nc;
    out->gain = prev_g; /* the whole population's: the campaign's extra responders */
    out->uplift = rt / (double)nt - rc / (double)nc;
    out->qini = area_q - prev_g / 2; /* the area between the curve and the line of a random order */
    out->auuc = area_u;
    free(r);
    return RP_OK;
}

json_t *mdl_qini_json(const mdl_qini_out *q)
{
    json_t *c = json_array();
    for (int d = 0; d < 10; d++)
        json_array_append_new(c, json_pack("{s:f, s:f}", "share", (d + 1) / 10.0, "gain", q->curve[d]));
    return json_pack("{s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:o}", "rows", (json_int_t)q->n, "treated",
                     (json_int_t)q->treated, "control", (json_int_t)q->control, "uplift", q->uplift, "gain", q->gain,
                     "qini", q->qini, "auuc", q->auuc, "curve", c);
}
