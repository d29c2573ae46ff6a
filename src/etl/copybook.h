/*
 * copybook.h — COBOL copybooks to record layouts.
 *
 * Reads the data description of one record (levels 01-49, 77) and returns
 * its elementary fields with byte offsets and lengths, the way the host
 * lays them out:
 *   PIC X / A         alphanumeric, one byte a character (mixed SBCS/DBCS
 *                     text with SO/SI lives here too; B, 0 and / insertions
 *                     in an alphanumeric-edited picture are characters)
 *   PIC G / N         DBCS (DISPLAY-1 / NATIONAL), two bytes a character
 *   PIC 9, S9, V      zoned decimal (DISPLAY), up to 38 digits, the sign in
 *                     the last byte's zone; SIGN LEADING puts it in the
 *                     first, SIGN ... SEPARATE [CHARACTER] in a byte of its
 *                     own ('+' or '-') before or after the digits
 *   P                 scaling: 9(3)PP is hundreds (scale -2), PP9(3) or
 *                     VPP9(3) thousandths of a hundredth (scale 5)
 *   COMP-3 / PACKED-DECIMAL    packed decimal, up to 38 digits
 *   COMP / COMP-4 / COMP-5 / BINARY    big-endian binary: 2, 4 or 8 bytes
 *   COMP-1 / COMP-2   IBM hexadecimal floating point, 4 or 8 bytes, no PIC
 *   edited numbers    9 Z * . , + - CR DB B 0 / $ (ZZ,ZZ9.99-, +9(3).99,
 *                     $$$,$$9.99CR, 9(8).9(2)), read through the code page
 *                     position by position: the explicit point gives the
 *                     scale, zero suppression reads as zeros; S9(3).99 is a
 *                     display number with an explicit point, its sign
 *                     overpunched in the last digit as in S9(5) (or where
 *                     its SIGN clause puts it)
 *   OCCURS n [TIMES]  repeated, fields named NAME(1), NAME(2) ...
 *   OCCURS [m TO] n [TIMES] DEPENDING ON counter
 *                     as many as the counter (a whole number before it) says,
 *                     nested too; what follows moves with it (cb_locate)
 *   REDEFINES         an alternative view of the same bytes, marked as such
 *   FILLER            kept in the layout, marked as filler
 *   88 levels, VALUE, USAGE DISPLAY, JUSTIFIED, BLANK WHEN ZERO: read (BLANK
 *   WHEN ZERO: an edited number all blanks is 0, otherwise missing)
 * Several 01 records (a file's header, detail and trailer records) are
 * layouts of their own, chained by next in the copybook's order; an 01's
 * REDEFINES of another is what every 01 of a file is already.
 * Anything else (66 RENAMES, SYNCHRONIZED, floating-point edited pictures,
 * POINTER) is refused with an error that names the
 * line: "CIF.cpy:14: SYNCHRONIZED is not supported (it inserts slack bytes)".
 *
 * Both fixed format (a sequence area in columns 1-6, whatever it holds,
 * the indicator in column 7, code in 8-72) and free format are read, the
 * format decided by the whole copybook (fixed when every line's column 7
 * is blank or an indicator); tabs stop every 8 columns; the last statement
 * may lack its period, as the host's compilers allow.
 *
 * Besides the fields, the layout lists every item as a programmer reads a
 * compiler's map (cb_item: level, name, picture, usage, start, length,
 * occurs), groups included, for `rapport copybook`.
 */
#ifndef RP_COPYBOOK_H
#define RP_COPYBOOK_H

#include <stddef.h>
#include "core/error.h"

typedef enum { CB_ALNUM, CB_DBCS, CB_ZONED, CB_PACKED, CB_BINARY, CB_EDITED, CB_FLOAT } cb_kind;

#define CB_MAX_DIGITS 38
#define CB_EDIT_MAX 64 /* bytes of an edited picture */

typedef struct cb_field {
    char name[96];   /* with OCCURS subscripts: ITEM(2) */
    char parent[64]; /* the enclosing group, "" at the top */
    cb_kind kind;
    int offset, length; /* bytes */
    int digits, scale;  /* numeric items; scale < 0 for P on the right (9(3)PP: -2) */
    int is_signed;
    int sign_leading, sign_separate; /* SIGN LEADING, SIGN ... SEPARATE */
    int blank_zero;                  /* BLANK WHEN ZERO */
    char edit[CB_EDIT_MAX];          /* CB_EDITED: one symbol a byte (copybook.c: edit_mask) */
    int filler;
    int redefined; /* lies in a REDEFINES alternative */
    int line;      /* where it was declared */
} cb_field;

/* One item of the record as declared, groups too, an OCCURS once (its first occurrence). */
typedef struct cb_item {
    int level, depth; /* depth: 0 for the record, 1 for its items, ... */
    char name[64];
    char picture[48]; /* as written, "" for a group or a float */
    char usage[20];   /* DISPLAY, COMP-3, ... ("" for a group) */
    int offset, length; /* of one occurrence */
    int occurs;         /* 1 unless OCCURS; the most with DEPENDING ON */
    int occurs_min;     /* the least (OCCURS min TO max DEPENDING ON), else occurs */
    char depending[64]; /* the counter of OCCURS DEPENDING ON, "" if none */
    int is_group, line;
    char redefines[64]; /* the item whose bytes it redefines, "" if none */
} cb_item;

typedef struct cb_layout {
    char record[64]; /* the 01 level's name */
    cb_field *fields;
    int nfields;
    int length; /* bytes of the whole record */
    cb_item *items;
    int nitems;
    int variable;  /* OCCURS DEPENDING ON: each record's fields lie where cb_locate says (the offsets above are
                      those of the most occurrences, length the longest record) */
    struct node *tree;
    struct cb_layout *next; /* the copybook's next record (several 01 levels: header, detail, trailer ...) */
} cb_layout;

#define CB_MAX_RECORDS 64

#define CB_MAX_FIELDS 4096
#define CB_MAX_TEXT ((size_t)1 << 20)

int cb_parse(const char *text, const char *filename, cb_layout **out, rp_error *err) RP_WARN_UNUSED;
int cb_parse_file(const char *path, cb_layout **out, rp_error *err) RP_WARN_UNUSED;
void cb_free(cb_layout *l);
/* Where each field of a variable layout lies in this record: off[i] for fields[i] (-1 for an occurrence
 * past its counter's value), *reclen the bytes the record's counts make it.  Each counter is read from
 * the record as it comes (it precedes its array); one that is not a number from its OCCURS's least to
 * its most is an error naming it and its value, as is a record shorter than its counts make it. */
int cb_locate(const cb_layout *l, const unsigned char *rec, size_t len, int *off, int *reclen, rp_error *err)
    RP_WARN_UNUSED;
/* A copybook of several records: the record of that name (among l and those after it), or NULL. */
const cb_layout *cb_record(const cb_layout *l, const char *name);
/* The field of that name, or NULL. */
const cb_field *cb_find(const cb_layout *l, const char *name);
const char *cb_kind_name(cb_kind k);

#endif
