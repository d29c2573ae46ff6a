/*
 * copybook.h — COBOL copybooks to record layouts.
 *
 * Reads the data description of one record (levels 01-49, 77) and returns
 * its elementary fields with byte offsets and lengths, the way the host
 * lays them out:
 *   PIC X / A         alphanumeric, one byte a character (mixed SBCS/DBCS
 *                     text with SO/SI lives here too)
 *   PIC G / N         DBCS (DISPLAY-1 / NATIONAL), two bytes a character
 *   PIC 9, S9, V      zoned decimal (DISPLAY), sign in the last byte's zone
 *   COMP-3 / PACKED-DECIMAL    packed decimal
 *   COMP / COMP-4 / COMP-5 / BINARY    big-endian binary: 2, 4 or 8 bytes
 *   OCCURS n [TIMES]  repeated, fields named NAME(1), NAME(2) ...
 *   REDEFINES         an alternative view of the same bytes, marked as such
 *   FILLER            kept in the layout, marked as filler
 *   88 levels, VALUE, SYNC, USAGE DISPLAY, JUSTIFIED, BLANK WHEN ZERO: ignored
 * Anything else (edited pictures such as ZZ9.99, P scaling, OCCURS
 * DEPENDING ON, 66 RENAMES, SIGN SEPARATE, COMP-1/COMP-2 floats) is refused
 * with an error that names the line: "CIF.cpy:14: edited picture 'ZZ9.99'
 * is not supported".
 *
 * Both fixed format (sequence area in columns 1-6, indicator in column 7,
 * code in 8-72) and free format are read.
 */
#ifndef RP_COPYBOOK_H
#define RP_COPYBOOK_H

#include <stddef.h>
#include "core/error.h"

typedef enum { CB_ALNUM, CB_DBCS, CB_ZONED, CB_PACKED, CB_BINARY } cb_kind;

typedef struct cb_field {
    char name[96];   /* with OCCURS subscripts: ITEM(2) */
    char parent[64]; /* the enclosing group, "" at the top */
    cb_kind kind;
    int offset, length; /* bytes */
    int digits, scale;  /* numeric items */
    int is_signed;
    int filler;
    int redefined; /* lies in a REDEFINES alternative */
    int line;      /* where it was declared */
} cb_field;

typedef struct cb_layout {
    char record[64]; /* the 01 level's name */
    cb_field *fields;
    int nfields;
    int length; /* bytes of the whole record */
} cb_layout;

#define CB_MAX_FIELDS 4096
#define CB_MAX_TEXT ((size_t)1 << 20)

int cb_parse(const char *text, const char *filename, cb_layout **out, rp_error *err) RP_WARN_UNUSED;
int cb_parse_file(const char *path, cb_layout **out, rp_error *err) RP_WARN_UNUSED;
void cb_free(cb_layout *l);
/* The field of that name, or NULL. */
const cb_field *cb_find(const cb_layout *l, const char *name);
const char *cb_kind_name(cb_kind k);

#endif
