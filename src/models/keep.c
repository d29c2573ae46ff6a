/* keep.c — a fitted model as one JSON document and back: its learner, the schema of the frame it was
 * trained on (each column's name, type and levels, the target and its values) and the learner's own
 * body (mdl_learner.save / load).  What the model store keeps, and what scores a file or the
 * warehouse later.  See models.h. */
#include "models/internal.h"

#include <stdlib.h>
#include <string.h>

json_t *mdl__bytes(const uint8_t *b, size_t n)
{
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++)
        s[i] = (char)('0' + (b[i] < 10 ? b[i] : 9));
    s[n] = 0;
    json_t *j = json_string(s);
    free(s);
    return j;
}

int mdl__bytes_get(const json_t *j, uint8_t *b, size_t n)
{
    const char *s = json_string_value(j);
    if (!s || strlen(s) != n)
        return RP_PARSE;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return RP_PARSE;
        b[i] = (uint8_t)(s[i] - '0');
    }
    return RP_OK;
}

json_t *mdl__reals(const double *x, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_real(x[i]));
    return a;
}

int mdl__reals_get(const json_t *j, double *x, size_t n)
{
    if (json_array_size(j) != n)
        return RP_PARSE;
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_array_get(j, i);
        if (!json_is_number(v))
            return RP_PARSE;
        x[i] = json_number_value(v);
    }
    return RP_OK;
}

/* ---- the schema ---- */

json_t *mdl_schema_json(const mdl_frame *f)
{
    json_t *cols = json_array();
    for (int c = 0; c < f->ncols; c++) {
        const mdl_col *col = &f->cols[c];
        json_t *o = json_pack("{s:s, s:s}", "name", col->name, "type", col->kind == MDL_NUM ? "numeric" : "categorical");
        if (col->kind == MDL_CAT) {
            json_t *lv = json_array();
            for (int l = 0; l < col->nlevels; l++)
                json_array_append_new(lv, json_string(col->levels[l]));
            json_object_set_new(o, "levels", lv);
        }
        json_array_append_new(cols, o);
    }
    return json_pack("{s:s, s:s, s:s, s:o}", "target", f->target ? f->target : "", "positive",
                     f->positive ? f->positive : "", "negative", f->negative ? f->negative : "", "columns", cols);
}

int mdl_schema_frame(const json_t *schema, mdl_frame *f, rp_error *err)
{
    memset(f, 0, sizeof *f);
    const json_t *cols = json_object_get(schema, "columns");
    size_t n = json_array_size(cols);
    const char *t = json_string_value(json_object_get(schema, "target")),
               *pos = json_string_value(json_object_get(schema, "positive")),
               *neg = json_string_value(json_object_get(schema, "negative"));
    if (!n || n > MDL_MAX_COLS || !t || !pos || !neg)
        return rp_err(err, RP_PARSE, "model: its schema names no columns or no target");
    if (!(f->cols = calloc(n, sizeof *f->cols)) || !(f->target = strdup(t)) || !(f->positive = strdup(pos)) ||
        !(f->negative = strdup(neg)))
        goto out;
    for (size_t c = 0; c < n; c++) {
        const json_t *o = json_array_get(cols, c), *lv = json_object_get(o, "levels");
        const char *name = json_string_value(json_object_get(o, "name")),
                   *type = json_string_value(json_object_get(o, "type"));
        mdl_col *col = &f->cols[c];
        f->ncols = (int)c + 1;
        if (!name || !type || (strcmp(type, "numeric") && strcmp(type, "categorical"))) {
            mdl_frame_free(f);
            return rp_err(err, RP_PARSE, "model: column %zu of its schema has no name or type", c + 1);
        }
        if (!(col->name = strdup(name)))
            goto out;
        col->kind = strcmp(type, "numeric") ? MDL_CAT : MDL_NUM;
        if (col->kind == MDL_NUM)
            continue;
        size_t nl = json_array_size(lv);
        if (!(col->levels = calloc(nl ? nl : 1, sizeof *col->levels)))
            goto out;
        for (size_t l = 0; l < nl; l++, col->nlevels++)
            if (!json_string_value(json_array_get(lv, l)) ||
                !(col->levels[l] = strdup(json_string_value(json_array_get(lv, l)))))
                goto out;
    }
    return RP_OK;
out:
    mdl_frame_free(f);
    return rp_err(err, RP_NOMEM, NULL);
}

/* ---- the whole ---- */

int mdl_model_save(const mdl_learner *l, const mdl_model *m, const mdl_frame *f, json_t **out, rp_error *err)
{
    json_t *body = l->save ? l->save(m, f) : NULL;
    if (!body)
        return rp_err(err, RP_INVAL, "the %s learner's models cannot be kept", l->name);
    *out = json_pack("{s:s, s:i, s:o, s:o}", "learner", l->name, "format", 1, "schema", mdl_schema_json(f), "body",
                     body);
    return *out ? RP_OK : rp_err(err, RP_NOMEM, NULL);
}

int mdl_model_load(const json_t *doc, const mdl_learner **l, mdl_frame *schema, mdl_model **m, rp_error *err)
{
    const char *name = json_string_value(json_object_get(doc, "learner"));
    *m = NULL;
    memset(schema, 0, sizeof *schema);
    if (!name || !(*l = mdl_learner_find(name)) || !(*l)->load)
        return rp_err(err, RP_PARSE, "model: no learner '%s' here to read it", name ? name : "");
    if (json_integer_value(json_object_get(doc, "format")) != 1)
        return rp_err(err, RP_VERSION, "model: kept in a format this build does not read");
    int rc = mdl_schema_frame(json_object_get(doc, "schema"), schema, err);
    if (!rc && (rc = (*l)->load(json_object_get(doc, "body"), schema, m, err)))
        mdl_frame_free(schema);
    return rc;
}
