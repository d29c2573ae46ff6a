/*
 * csv.h — RFC 4180 CSV output.
 *
 * rp_csv_field appends one field, quoted when it holds a comma, quote, CR or
 * LF (quotes doubled).  Rows end with CRLF as RFC 4180 asks.
 */
#ifndef RP_CSV_H
#define RP_CSV_H

#include <stddef.h>
#include "core/buf.h"

int rp_csv_field(rp_buf *b, const char *s, size_t n, int first);
int rp_csv_end_row(rp_buf *b);

#endif
