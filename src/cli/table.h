/*
 * table.h — aligned text tables for the terminal.
 *
 * Cells are copied.  Columns are padded to the widest cell by display
 * width, so Chinese text (two columns a character) lines up.
 */
#ifndef RP_CLI_TABLE_H
#define RP_CLI_TABLE_H

#include <stdio.h>
#include "core/vec.h"

#define TABLE_MAX_COLS 64

typedef struct table {
    int ncols;
    rp_vec cells; /* char*, row-major */
    int indent;
} table;

void table_init(table *t, int ncols, int indent);
/* Append a row of ncols cells (NULL prints as empty). */
int table_row(table *t, const char *const *cells);
size_t table_rows(const table *t);
void table_print(const table *t, FILE *f);
void table_release(table *t);

#endif
