/* attrtable.c — every customer's attributes (an_attrs[]) as columns, for a module that keeps
 * them and selects from them many times (marketing's selection copy), and single rules in the
 * segment language over them.  See analytics.h. */
#include "analytics/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(AN_NATTRS <= AN_ATTRS_MAX, "AN_ATTRS_MAX must hold every attribute");

void an_attr_table_free(an_attr_table *t)
{
    free(t->customer);
    for (int a = 0; a < AN_ATTRS_MAX; a++) {
        free(t->num[a]);
        free(t->code[a]);
        for (uint32_t k = 1; t->dict[a] && k < t->ndict[a]; k++)
            free(t->dict[a][k]);
        free(t->dict[a]);
    }
    memset(t, 0, sizeof *t);
}

/* The code of text s in column a's dictionary (a linear search: the text attributes have few values,
 * a branch code at most a few hundred, so a pointer-equality cache of the last one does the rest). */
static int text_code(an_attr_table *t, int a, const char *s, uint32_t *code, uint32_t *cap, rp_error *err)
{
    if (!s || !*s) {
        *code = 0;
        return RP_OK;
    }
    for (uint32_t k = 1; k < t->ndict[a]; k++)
        if (!strcmp(t->dict[a][k], s)) {
            *code = k;
            return RP_OK;
        }
    if (t->ndict[a] >= 1u << 20)
        return rp_err(err, RP_TOOBIG, "attribute %s: more than a million different values", an_attrs[a].name);
    if (t->ndict[a] == *cap) {
        uint32_t nc = *cap ? *cap * 2 : 16;
        char **d = realloc(t->dict[a], nc * sizeof *d);
        if (!d)
            return rp_err(err, RP_NOMEM, NULL);
        t->dict[a] = d;
        *cap = nc;
        if (!t->ndict[a])
            d[t->ndict[a]++] = NULL;
    }
    if (!(t->dict[a][t->ndict[a]] = strdup(s)))
        return rp_err(err, RP_NOMEM, NULL);
    *code = t->ndict[a]++;
    return RP_OK;
}

/* rows in ascending order of id: the base's order need not be */
typedef struct by_id {
    int64_t id;
    size_t row;
} by_id;

static int by_id_cmp(const void *x, const void *y)
{
    const by_id *a = x, *b = y;
    return a->id < b->id ? -1 : a->id > b->id;
}

static int fill(an_attr_table *t, an_attrs_ctx *a, const size_t *order, rp_error *err)
{
    size_t n = t->n, nn = n ? n : 1;
    int rc = RP_OK;
    for (int at = 0; at < AN_NATTRS && !rc; at++) {
        if (an_attrs[at].text) {
            uint32_t cap = 0, last = 0;
            const char *prev = NULL;
            if (!(t->code[at] = malloc(nn * sizeof *t->code[at])))
                return rp_err(err, RP_NOMEM, NULL);
            for (size_t i = 0; i < n && !rc; i++) {
                const char *s = an_attr_get(a, order[i], at).str;
                if (s && s == prev)
                    t->code[at][i] = last;
                else if (!(rc = text_code(t, at, s, &t->code[at][i], &cap, err)))
                    prev = s, last = t->code[at][i];
            }
            if (!t->dict[at] && !rc) { /* no value at all: a dictionary of the unknown alone */
                if (!(t->dict[at] = calloc(1, sizeof *t->dict[at])))
                    return rp_err(err, RP_NOMEM, NULL);
                t->ndict[at] = 1;
            }
        } else {
            if (!(t->num[at] = malloc(nn * sizeof *t->num[at])))
                return rp_err(err, RP_NOMEM, NULL);
            for (size_t i = 0; i < n; i++)
                t->num[at][i] = an_attr_get(a, order[i], at).num;
        }
    }
    return rc;
}

int an_attr_table_build(wh *w, const an_job_opts *o, an_attr_table *t, rp_error *err)
{
    memset(t, 0, sizeof *t);
    an_valued d;
    an_attrs_ctx a = { 0 };
    json_t *params = NULL;
    int rc = an_valued_load(&d, w, o, &params, err);
    json_decref(params);
    if (rc)
        return rc;
    if ((rc = an_attrs_compute(&a, &d, o, 0, err)))
        goto out;
    t->n = d.base.ncust;
    t->as_of = a.as_of;
    if (!(t->customer = malloc((t->n ? t->n : 1) * sizeof *t->customer))) {
        rc = rp_err(err, RP_NOMEM, NULL);
        goto out;
    }
    by_id *o2 = malloc((t->n ? t->n : 1) * sizeof *o2);
    size_t *order = malloc((t->n ? t->n : 1) * sizeof *order);
    if (!o2 || !order) {
        free(o2), free(order);
        rc = rp_err(err, RP_NOMEM, NULL);
        goto out;
    }
    for (size_t i = 0; i < t->n; i++)
        o2[i] = (by_id){ d.base.cust[i].id, i };
    qsort(o2, t->n, sizeof *o2, by_id_cmp);
    for (size_t i = 0; i < t->n; i++)
        t->customer[i] = o2[i].id, order[i] = o2[i].row;
    free(o2);
    rc = fill(t, &a, order, err);
    free(order);
out:
    an_attrs_free(&a);
    an_valued_free(&d);
    if (rc)
        an_attr_table_free(t);
    return rc;
}

/* ---- one rule ---- */

struct an_rule {
    an_expr *e;
    an_segment_set set;          /* the models score() names */
    const char *names[AN_SEG_MODELS];
};

int an_rule_parse(const char *text, const char *what, an_rule **out, rp_error *err)
{
    *out = NULL;
    if (!text)
        text = "";
    if (strlen(text) > 8192)
        return rp_err(err, RP_TOOBIG, "%s: a rule of more than 8192 bytes", what ? what : "rule");
    if (strchr(text, '\n'))
        return rp_err(err, RP_PARSE, "%s: a rule is one line", what ? what : "rule");
    an_rule *r = calloc(1, sizeof *r);
    if (!r)
        return rp_err(err, RP_NOMEM, NULL);
    r->set.else_index = -1;
    int rc = an_expr_parse_set(text, what ? what : "rule", 1, &r->set, &r->e, err);
    if (rc) {
        free(r);
        return rc;
    }
    for (int k = 0; k < r->set.nmodels; k++)
        r->names[k] = r->set.model[k];
    *out = r;
    return RP_OK;
}

int an_rule_eval(const an_rule *r, an_attr_fn get, void *ctx, size_t row) { return an_expr_eval(r->e, get, ctx, row); }

int an_rule_models(const an_rule *r, const char *const **names)
{
    *names = r->names;
    return r->set.nmodels;
}

void an_rule_attrs(const an_rule *r, uint8_t used[AN_ATTRS_MAX])
{
    memset(used, 0, AN_ATTRS_MAX);
    an_expr_attrs(r->e, used, AN_NATTRS);
}

void an_rule_free(an_rule *r)
{
    if (!r)
        return;
    an_expr_free(r->e);
    free(r);
}
