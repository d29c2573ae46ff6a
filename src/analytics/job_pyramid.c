/* job_pyramid.c — pyramid (DOMAIN M3, W15): customers and value per level. */
#include "analytics/internal.h"

#include <math.h>
#include <stdio.h>

an_job_fn an_pyramid_job;

static json_t *pyramid_table(const an_pyramid *py)
{
    static const char *const cols[] = { "level", "customers", "customers_%", "total", "total_%", "min", "max",
                                        "mean", NULL };
    json_t *t = an_table_new(cols);
    for (int l = 0; l < py->nlevels; l++) {
        const an_level *lv = &py->level[l];
        an_table_add(t, json_pack("[s, I, o, o, o, o, o, o]", lv->name, (json_int_t)lv->customers,
                                  an_pct(py->customers ? (double)lv->customers / (double)py->customers : 0),
                                  an_money(lv->sum), an_pct(py->total ? (double)lv->sum / (double)py->total : 0),
                                  an_money(lv->min), an_money(lv->max),
                                  an_money(lv->customers ? (int64_t)llround((double)lv->sum / (double)lv->customers)
                                                         : 0)));
    }
    return t;
}

static json_t *pyramid_summary(an_valued *d, rp_error *err)
{
    (void)err;
    const an_level *top = &d->py.level[0];
    char head[256];
    snprintf(head, sizeof head, "%zu customers in %d levels; '%s' (%zu customers) gives %.1f%% of %s", d->py.customers,
             d->py.nlevels, top->name, top->customers,
             d->py.total ? 100.0 * (double)top->sum / (double)d->py.total : 0, d->measure_name);
    return json_pack("{s:s, s:s, s:o}", "headline", head, "measure", d->measure_name, "table", pyramid_table(&d->py));
}

int an_pyramid_job(wh *w, const an_job_opts *o, json_t **summary, rp_error *err)
{
    return an_valued_job(w, o, pyramid_summary, summary, err);
}
