/* job_gains_losses.c — gains-losses (DOMAIN M5, seed 002's table): the last
 * whole month against the month before, each customer's class kept in
 * customer_segment. */
#include "analytics/change.h"
#include "analytics/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

an_job_fn an_gains_losses_job;

/* The last whole calendar month at as_of: [*from, *to). */
static void last_month(int32_t as_of, int32_t *from, int32_t *to)
{
    int32_t next = an_month_start(as_of, 1);
    *to = as_of + 1 == next ? next : an_month_start(as_of, 0);
    *from = an_month_start(*to, -1);
}

/* Seed 002's layout: a row per measure, a column per class. */
static json_t *gl_table(const an_gl_table *t)
{
    json_t *cols = json_array();
    json_array_append_new(cols, json_string("measure"));
    for (int k = 0; k < AN_GLC_N; k++)
        json_array_append_new(cols, json_string(an_glc_names[k]));
    json_t *tab = json_pack("{s:o, s:[]}", "columns", cols, "rows");
    static const char *const rows[4] = { "recency (mean days)", "frequency (transactions)", "value", "customers" };
    for (int row = 0; row < 4; row++) {
        json_t *a = json_array();
        json_array_append_new(a, json_string(rows[row]));
        for (int k = 0; k < AN_GLC_N; k++) {
            const an_gl_cell *c = &t->col[k];
            json_array_append_new(a, row == 0 ? json_real(round(c->recency_days * 10) / 10)
                                     : row == 1 ? json_integer(c->transactions)
                                     : row == 2 ? an_money(c->value) : json_integer((json_int_t)c->customers));
        }
        an_table_add(tab, a);
    }
    return tab;
}

static json_t *gl_summary(const an_gl_table *t, const char *mon, const char *prev)
{
    json_t *counts = json_object();
    for (int k = 1; k < AN_GL_N; k++)
        json_object_set_new(counts, an_gl_names[k], json_integer((json_int_t)t->counts[k]));
    const an_gl_cell *fin = &t->col[AN_GLC_FINAL], *pot = &t->col[AN_GLC_POTENTIAL];
    char head[320];
    snprintf(head, sizeof head, "%s against %s: %zu customers active, %zu spending more, %zu less, %zu activated "
             "(%zu new), %zu lapsed; %.2f spent of a potential %.2f", mon, prev, fin->customers, t->counts[AN_GL_MORE],
             t->counts[AN_GL_LESS], t->counts[AN_GL_NEW] + t->counts[AN_GL_RETURNING], t->counts[AN_GL_NEW],
             t->counts[AN_GL_LAPSED], (double)fin->value / 100, (double)pot->value / 100);
    return json_pack("{s:s, s:o, s:o}", "headline", head, "classes", counts, "table", gl_table(t));
}

int an_gains_losses_job(wh *w, const an_job_opts *o, json_t **summary, rp_error *err)
{
    double tol;
    int rc = an_cfg_double(o, "gains_losses", "tolerance", 10, 0, 99, &tol, err);
    if (rc)
        return rc;
    an_base_params bp;
    an_base b;
    an_base_params_of(o, &bp);
    bp.windows = 2;
    last_month(o->as_of, &bp.from[0], &bp.to[0]);
    bp.from[1] = an_month_start(bp.from[0], -1);
    bp.to[1] = bp.from[0];
    if ((rc = an_base_get(w, o, &bp, &b, err)))
        return rc;
    an_gl_in *in = malloc((b.ncust ? b.ncust : 1) * sizeof *in);
    an_gl_class *cls = malloc((b.ncust ? b.ncust : 1) * sizeof *cls);
    json_t *params = NULL, *sum = NULL;
    an_run r;
    an_gl_table t;
    if (!in || !cls) {
        rc = rp_err(err, RP_NOMEM, NULL);
        goto out;
    }
    for (size_t i = 0; i < b.ncust; i++) {
        const an_customer *cu = &b.cust[i];
        in[i] = (an_gl_in){ cu->w[1].act_sum, cu->w[0].act_sum, cu->w[1].act_n, cu->w[0].act_n,
                            cu->w[0].last_act == AN_NO_DAY ? -1 : bp.to[0] - 1 - cu->w[0].last_act,
                            cu->first_act != AN_NO_DAY && cu->first_act < bp.from[1] };
    }
    if ((rc = an_gains_losses(in, b.ncust, tol / 100, &t, cls, err)))
        goto out;
    char mon[RP_DATE_LEN], prev[RP_DATE_LEN];
    an_day_text(bp.from[0], mon);
    an_day_text(bp.from[1], prev);
    mon[7] = prev[7] = 0;
    params = json_pack("{s:s, s:s, s:f}", "month", mon, "previous_month", prev, "tolerance_%", tol);
    if ((rc = an_run_begin(w, o, params, &r, err)))
        goto out;
    for (size_t i = 0; o->save && !rc && i < b.ncust; i++)
        if (cls[i] != AN_GL_NONE)
            rc = an_segment_insert(&r, b.cust[i].id, an_gl_names[cls[i]], err);
    if (rc) {
        an_run_abort(&r);
        goto out;
    }
    sum = gl_summary(&t, mon, prev);
    rc = an_run_end(&r, sum, t.col[AN_GLC_FINAL].customers + t.counts[AN_GL_LAPSED], err);
out:
    json_decref(params);
    free(in), free(cls);
    an_base_free(&b);
    return an_hand_over(rc, sum, summary);
}
