/* design.c — the numeric design a linear model or a network sees of a frame: a numeric column
 * standardised (and an indicator of its missing values when it has any), a category one indicator
 * per level (the first left out as the reference when asked) and one for missing.  Read from the
 * frame's columns in place: no copy of the data.  See internal.h. */
#include "models/internal.h"

#include <math.h>
#include <stdlib.h>

int mdl__design_make(const mdl_frame *f, const size_t *rows, size_t n, int reference, mdl__design *d)
{
    int cap = 0;
    d->nt = 0;
    for (int c = 0; c < f->ncols; c++)
        cap += (f->cols[c].kind == MDL_NUM ? 1 : f->cols[c].nlevels) + 1;
    if (!(d->t = calloc((size_t)cap + 1, sizeof *d->t)))
        return RP_NOMEM;
    for (int c = 0; c < f->ncols; c++) {
        const mdl_col *col = &f->cols[c];
        size_t miss = 0;
        if (col->kind == MDL_NUM) {
            double s = 0, ss = 0;
            size_t k = 0;
            for (size_t i = 0; i < n; i++) {
                double x = col->x[rows[i]];
                if (isnan(x)) {
                    miss++;
                    continue;
                }
                s += x;
                ss += x * x;
                k++;
            }
            double mean = k ? s / (double)k : 0, var = k ? ss / (double)k - mean * mean : 0;
            if (k && var > 1e-300)
                d->t[d->nt++] = (mdl__term){ .col = c, .kind = MDL__T_NUM, .mean = mean, .sd = sqrt(var) };
            if (miss && miss < n)
                d->t[d->nt++] = (mdl__term){ .col = c, .kind = MDL__T_NUM_MISSING, .sd = 1 };
        } else {
            for (size_t i = 0; i < n; i++)
                miss += col->code[rows[i]] < 0;
            for (int l = reference ? 1 : 0; l < col->nlevels; l++)
                d->t[d->nt++] = (mdl__term){ .col = c, .kind = MDL__T_LEVEL, .level = l, .sd = 1 };
            if (miss && miss < n)
                d->t[d->nt++] = (mdl__term){ .col = c, .kind = MDL__T_CAT_MISSING, .sd = 1 };
        }
    }
    return RP_OK;
}

void mdl__design_free(mdl__design *d)
{
    free(d->t);
    d->t = NULL;
    d->nt = 0;
}
