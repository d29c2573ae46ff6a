/*
 * reader.h — streaming record readers for source extracts.
 *
 * One reader per file, in one of these formats:
 *   RD_RDW         host variable-length records (RECFM=V/VB), each after a
 *                  4-byte record descriptor word (length incl. the RDW,
 *                  big-endian); with bdw, in blocks, each after a 4-byte block
 *                  descriptor word (its length incl. itself; the extended
 *                  form, high bit set, a 31-bit length) that the block's
 *                  records fill exactly
 *   RD_FIXED       fixed-length records back to back (RECFM=FB), binary
 *   RD_LINES       text lines (fixed-width by column positions, JSON lines)
 *   RD_CSV         RFC 4180: quoted fields may hold the delimiter, line
 *                  breaks and doubled quotes; any one-byte delimiter
 *   RD_DELIMITED   fields split at every delimiter byte, no quoting
 *   RD_WHITESPACE  fields split at runs of blanks and tabs (as CDNOW writes)
 * Memory is bounded by the longest record allowed (max_record), whatever the
 * file's size.  A UTF-8 byte-order mark at the start is skipped and noted.
 *
 * rd_next() returns RD_RECORD with the next record, RD_END at the end, or
 * RD_BAD for a record that cannot be read as one (truncated, unmatched
 * quote, too long, not UTF-8 where UTF-8 was declared): *err then says why,
 * the record's number, offset and raw bytes are filled in, and reading goes
 * on with the next record.  Any other value is an I/O error.
 *
 * Record numbers count from 1 (the header row of a CSV is not a record);
 * offsets are the byte offsets of the record's first byte in the file.
 * Pointers in an rd_record stay valid until the next rd_next().
 */
#ifndef RP_READER_H
#define RP_READER_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

typedef enum { RD_RDW, RD_FIXED, RD_LINES, RD_CSV, RD_DELIMITED, RD_WHITESPACE } rd_format;

enum { RD_RECORD = 200, RD_END = 201, RD_BAD = 202 };

#define RD_DEFAULT_MAX_RECORD ((size_t)1 << 20)
#define RD_MAX_FIELDS 1024

typedef struct rd_options {
    rd_format format;
    int reclen;        /* RD_FIXED */
    int bdw;           /* RD_RDW: blocks with their block descriptor words */
    char delimiter;    /* RD_CSV, RD_DELIMITED; default ',' */
    int header;        /* the first row names the fields (CSV and delimited) */
    int utf8;          /* text must be valid UTF-8 */
    size_t max_record; /* 0: RD_DEFAULT_MAX_RECORD */
} rd_options;

typedef struct rd_record {
    int64_t number, offset;
    const char *data; /* the raw bytes of the record (without RDW or line end) */
    size_t len;
    int nfields; /* CSV, delimited, whitespace */
    const char *field[RD_MAX_FIELDS];
    size_t flen[RD_MAX_FIELDS];
} rd_record;

typedef struct reader reader;

int rd_open(const char *path, const rd_options *o, reader **out, rp_error *err) RP_WARN_UNUSED;
int rd_next(reader *r, rd_record *rec, rp_error *err);
/* The header row's field names (RD_CSV/RD_DELIMITED with header), or 0. */
int rd_header(const reader *r, const char ***names);
/* The header's column named by the first of names (a NULL-ended list of a name and its other names)
 * that it has, or -1. */
int rd_column(const reader *r, const char *const *names);
int rd_had_bom(const reader *r);
int64_t rd_bytes_read(const reader *r);
/* Go on from byte offset, where record recno + 1 starts (resuming a load).
 * A header row is read first, so that rd_header() still names the columns. */
int rd_seek(reader *r, int64_t offset, int64_t recno, rp_error *err) RP_WARN_UNUSED;
void rd_close(reader *r);

#endif
