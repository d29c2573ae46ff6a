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

json_t *mdl__design_save(const mdl__design *d)
{
    json_t *a = json_array();
    for (int j = 0; j < d->nt; j++) {
        const mdl__term *t = &d->t[j];
        json_array_append_new(a, json_pack("[i, i, i, f, f]", t->col, t->level, (int)t->kind, t->mean, t->sd));
    }
    return a;
}

int mdl__design_load(const json_t *j, const mdl_frame *f, mdl__design *d)
{
    size_t n = json_array_size(j);
    d->nt = 0;
    if (!(d->t = calloc(n ? n : 1, sizeof *d->t)))
        return RP_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const json_t *a = json_array_get(j, i);
        mdl__term *t = &d->t[i];
        t->col = (int)json_integer_value(json_array_get(a, 0));
        t->level = (int)json_integer_value(json_array_get(a, 1));
        int kind = (int)json_integer_value(json_array_get(a, 2));
        t->mean = json_number_value(json_array_get(a, 3));
        t->sd = json_number_value(json_array_get(a, 4));
        if (json_array_size(a) != 5 || t->col < 0 || t->col >= f->ncols || kind < MDL__T_NUM ||
            kind > MDL__T_CAT_MISSING ||
            ((kind == MDL__T_NUM || kind == MDL__T_NUM_MISSING) != (f->cols[t->col].kind == MDL_NUM)) ||
            (kind == MDL__T_LEVEL && (t->level < 0 || t->level >= f->cols[t->col].nlevels)) ||
            (kind == MDL__T_NUM && !(t->sd > 0))) {
            mdl__design_free(d);
            return RP_PARSE;
        }
        t->kind = (mdl__term_kind)kind;
        d->nt = (int)i + 1;
    }
    return RP_OK;
}
