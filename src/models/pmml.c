/* pmml.c — a fitted model as PMML 4.4 (the Data Mining Group's standard, which SAS, SPSS, KNIME and
 * most scoring engines read): the header, the data dictionary and the mining schema every model
 * shares; each learner writes its own model element (tree.c: TreeModel, logit.c: RegressionModel,
 * scorecard.c: Scorecard).  See models.h. */
#include "models/internal.h"

#include <stdio.h>
#include <string.h>

void mdl__xml(rp_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': rp_buf_puts(b, "&amp;"); break;
        case '<': rp_buf_puts(b, "&lt;"); break;
        case '>': rp_buf_puts(b, "&gt;"); break;
        case '"': rp_buf_puts(b, "&quot;"); break;
        case '\'': rp_buf_puts(b, "&apos;"); break;
        default: rp_buf_append(b, s, 1);
        }
    }
}

void mdl__pmml_attr(rp_buf *b, const char *name, const char *value)
{
    rp_buf_printf(b, " %s=\"", name);
    mdl__xml(b, value);
    rp_buf_puts(b, "\"");
}

static void head(rp_buf *b, const mdl_learner *l, const mdl_frame *f)
{
    rp_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\">\n  <Header");
    mdl__pmml_attr(b, "description", l->title);
    rp_buf_puts(b, ">\n    <Application name=\"Rapport\" version=\"0.1.0\"/>\n  </Header>\n");
    rp_buf_printf(b, "  <DataDictionary numberOfFields=\"%d\">\n", f->ncols + 1);
    for (int c = 0; c < f->ncols; c++) {
        const mdl_col *col = &f->cols[c];
        rp_buf_puts(b, "    <DataField");
        mdl__pmml_attr(b, "name", col->name);
        if (col->kind == MDL_NUM) {
            rp_buf_puts(b, " optype=\"continuous\" dataType=\"double\"/>\n");
            continue;
        }
        rp_buf_puts(b, " optype=\"categorical\" dataType=\"string\">\n");
        for (int k = 0; k < col->nlevels; k++) {
            rp_buf_puts(b, "      <Value");
            mdl__pmml_attr(b, "value", col->levels[k]);
            rp_buf_puts(b, "/>\n");
        }
        rp_buf_puts(b, "    </DataField>\n");
    }
    rp_buf_puts(b, "    <DataField");
    mdl__pmml_attr(b, "name", f->target);
    rp_buf_puts(b, " optype=\"categorical\" dataType=\"string\">\n      <Value");
    mdl__pmml_attr(b, "value", f->negative);
    rp_buf_puts(b, "/>\n      <Value");
    mdl__pmml_attr(b, "value", f->positive);
    rp_buf_puts(b, "/>\n    </DataField>\n  </DataDictionary>\n");
}

void mdl__pmml_schema(rp_buf *b, const mdl_frame *f, int indent)
{
    rp_buf_printf(b, "%*s<MiningSchema>\n", indent, "");
    for (int c = 0; c < f->ncols; c++) {
        rp_buf_printf(b, "%*s  <MiningField", indent, "");
        mdl__pmml_attr(b, "name", f->cols[c].name);
        rp_buf_puts(b, "/>\n");
    }
    rp_buf_printf(b, "%*s  <MiningField", indent, "");
    mdl__pmml_attr(b, "name", f->target);
    rp_buf_printf(b, " usageType=\"target\"/>\n%*s</MiningSchema>\n", indent, "");
}

int mdl_pmml(const mdl_learner *l, const mdl_model *m, const mdl_frame *f, rp_buf *out, rp_error *err)
{
    if (!l->pmml)
        return rp_err(err, RP_INVAL, "pmml: the %s learner has no PMML form (tree, logit and scorecard have)", l->name);
    head(out, l, f);
    l->pmml(m, f, out);
    rp_buf_puts(out, "</PMML>\n");
    return rp_buf_status(out) ? rp_err(err, RP_NOMEM, NULL) : RP_OK;
}
