/*
 * table.h — aligned text tables for the terminal.
 *
 * Cells are copied, made printable (core/utf8.h: a control character or a
 * byte that is not UTF-8 is shown as \xhh, so a value can never drive the
 * terminal).  Columns are padded to the widest cell by display
 * width, so Chinese text (two columns a character) lines up.
 */
#ifndef RP_CLI_TABLE_H
#define RP_CLI_TABLE_H

#include <jansson.h>
#include <stdio.h>
#include "core/buf.h"
#include "core/vec.h"

#define TABLE_MAX_COLS 64

typedef struct table_noted {
    size_t row; /* printed before this row: after the one before it */
    char *text;
} table_noted;

typedef struct table {
    int ncols;
    rp_vec cells; /* char*, row-major */
    rp_vec notes; /* table_note's: {row, text} */
    int indent;
} table;

void table_init(table *t, int ncols, int indent);
/* Append a row of ncols cells (NULL prints as empty). */
int table_row(table *t, const char *const *cells);
/* A line of text under the last row (a job's message), indented by two
 * more columns and not counted in any column's width. */
int table_note(table *t, const char *text);
size_t table_rows(const table *t);
void table_print(const table *t, FILE *f);
void table_release(table *t);

/* Rows shown as an aligned table or, for a listing's --csv, as CSV (core/csv.h,
 * quoted where needed): the header, then each row; table_or_csv_end prints
 * them to f and releases them.  The table's cells are made printable as
 * table_row's; CSV's are written as given (the caller made the data
 * printable first: cli_printable). */
typedef struct table_or_csv {
    table t;
    rp_buf csv;
    int is_csv;
} table_or_csv;

void table_or_csv_init(table_or_csv *o, int ncols, int csv, const char *const *head);
void table_or_csv_row(table_or_csv *o, const char *const *cells);
void table_or_csv_end(table_or_csv *o, FILE *f);

/* A JSON array of objects printed to f the same way, under heads as a table or, as CSV, under
 * cols: cell k of a row is its member cols[k], text as it is, an integer plainly, a real as %.4g,
 * true or false as yes or no, anything else (null, missing) empty; a cell is cut at
 * TABLE_JSON_CELL - 1 bytes, and columns after the first TABLE_JSON_MAX_COLS left out. */
#define TABLE_JSON_MAX_COLS 16
#define TABLE_JSON_CELL 600
void table_or_csv_json(const json_t *rows, const char *const *cols, const char *const *heads, int ncols, int csv,
                       FILE *f);

#endif
