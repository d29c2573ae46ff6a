#include "cli/table.h"
#include "core/csv.h"
#include "core/utf8.h"

#include <stdlib.h>
#include <string.h>

void table_init(table *t, int ncols, int indent)
{
    t->ncols = ncols < TABLE_MAX_COLS ? ncols : TABLE_MAX_COLS;
    t->indent = indent;
    rp_vec_init(&t->cells, sizeof(char *), 0);
    rp_vec_init(&t->notes, sizeof(table_noted), 0);
}

int table_note(table *t, const char *text)
{
    table_noted *n = rp_vec_push(&t->notes);
    if (!n || !(n->text = rp_utf8_printable_dup(text)))
        return -1;
    n->row = table_rows(t);
    return 0;
}

int table_row(table *t, const char *const *cells)
{
    for (int c = 0; c < t->ncols; c++) {
        char **slot = rp_vec_push(&t->cells);
        if (!slot)
            return -1;
        *slot = rp_utf8_printable_dup(cells[c]); /* data: shown, never obeyed */
        if (!*slot)
            return -1;
    }
    return 0;
}

size_t table_rows(const table *t) { return t->ncols ? t->cells.len / (size_t)t->ncols : 0; }

void table_print(const table *t, FILE *f)
{
    size_t w[TABLE_MAX_COLS] = { 0 };
    size_t rows = table_rows(t);
    char **cell = t->cells.data;
    for (size_t r = 0; r < rows; r++)
        for (int c = 0; c < t->ncols; c++) {
            const char *s = cell[r * (size_t)t->ncols + (size_t)c];
            size_t cw = rp_utf8_width(s, strlen(s));
            if (cw > w[c])
                w[c] = cw;
        }
    const table_noted *note = t->notes.data;
    size_t nnotes = t->notes.len, k = 0;
    for (size_t r = 0; r < rows; r++) {
        for (; k < nnotes && note[k].row <= r; k++)
            fprintf(f, "%*s  %s\n", t->indent, "", note[k].text);
        fprintf(f, "%*s", t->indent, "");
        /* the last non-empty cell ends the line: no trailing blanks */
        int last = t->ncols - 1;
        while (last > 0 && !*cell[r * (size_t)t->ncols + (size_t)last])
            last--;
        for (int c = 0; c <= last; c++) {
            const char *s = cell[r * (size_t)t->ncols + (size_t)c];
            fputs(s, f);
            if (c < last) {
                size_t cw = rp_utf8_width(s, strlen(s));
                fprintf(f, "%*s", (int)(w[c] - cw + 2), "");
            }
        }
        fputc('\n', f);
    }
    for (; k < nnotes; k++)
        fprintf(f, "%*s  %s\n", t->indent, "", note[k].text);
}

void table_release(table *t)
{
    char **cell = t->cells.data;
    for (size_t i = 0; i < t->cells.len; i++)
        free(cell[i]);
    rp_vec_release(&t->cells);
    table_noted *note = t->notes.data;
    for (size_t i = 0; i < t->notes.len; i++)
        free(note[i].text);
    rp_vec_release(&t->notes);
}

void table_or_csv_init(table_or_csv *o, int ncols, int csv, const char *const *head)
{
    o->csv = (rp_buf)RP_BUF_INIT;
    o->is_csv = csv;
    table_init(&o->t, ncols, 0);
    table_or_csv_row(o, head);
}

void table_or_csv_row(table_or_csv *o, const char *const *cells)
{
    if (!o->is_csv) {
        table_row(&o->t, cells);
        return;
    }
    for (int k = 0; k < o->t.ncols; k++) /* NULL: empty, as in a table */
        rp_csv_field(&o->csv, cells[k] ? cells[k] : "", cells[k] ? strlen(cells[k]) : 0, k == 0);
    rp_csv_end_row(&o->csv);
}

void table_or_csv_end(table_or_csv *o, FILE *f)
{
    if (o->is_csv)
        fwrite(o->csv.data, 1, o->csv.len, f);
    else
        table_print(&o->t, f);
    table_release(&o->t);
    rp_buf_release(&o->csv);
}

/* A JSON value as a cell: text as it is, numbers plainly, null empty. */
static void json_cell(const json_t *v, char *out, size_t n)
{
    if (json_is_string(v))
        snprintf(out, n, "%s", json_string_value(v));
    else if (json_is_integer(v))
        snprintf(out, n, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(out, n, "%.4g", json_real_value(v));
    else if (json_is_boolean(v))
        snprintf(out, n, "%s", json_is_true(v) ? "yes" : "no");
    else
        *out = 0;
}

void table_or_csv_json(const json_t *rows, const char *const *cols, const char *const *heads, int ncols, int csv,
                       FILE *f)
{
    char cells[TABLE_JSON_MAX_COLS][TABLE_JSON_CELL];
    const char *p[TABLE_JSON_MAX_COLS];
    if (ncols > TABLE_JSON_MAX_COLS)
        ncols = TABLE_JSON_MAX_COLS;
    table_or_csv o;
    table_or_csv_init(&o, ncols, csv, csv ? cols : heads);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        for (int k = 0; k < ncols; k++) {
            json_cell(json_object_get(r, cols[k]), cells[k], sizeof cells[k]);
            p[k] = cells[k];
        }
        table_or_csv_row(&o, p);
    }
    table_or_csv_end(&o, f);
}
