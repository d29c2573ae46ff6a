/*
 * convert.h — source values to warehouse values.
 *
 * Numbers: a host field (zoned, packed, big-endian binary) to an integer in
 * units of 10^-scale; text amounts ("1,234.50", "-12", "12.50-", "(12.50)",
 * "000012345" with implied decimals) likewise; etl_rescale() moves between
 * scales exactly, refusing to drop a non-zero digit.  Money ends as minor
 * units of its currency (wh_currency_exponent).
 *
 * Dates: "roc" numeric YYYMMDD (0 is no date), "yyyymmdd" numeric, or text
 * in any form rp_date_parse() reads (Gregorian and ROC).
 *
 * Every error names the value and why: "'12.3.4' is not an amount".
 */
#ifndef RP_CONVERT_H
#define RP_CONVERT_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"
#include "core/rtime.h"
#include "etl/copybook.h"

int etl_binary_decode(const unsigned char *p, int len, int is_signed, int64_t *v) RP_WARN_UNUSED;
/* A numeric copybook field of a record: zoned, packed or binary; _at where a variable layout puts it
 * (copybook.h cb_locate) rather than at its own offset. */
int etl_field_number(const cb_field *f, const unsigned char *rec, size_t reclen, int64_t *v,
                     rp_error *err) RP_WARN_UNUSED;
int etl_field_number_at(const cb_field *f, int at, const unsigned char *rec, size_t reclen, int64_t *v,
                        rp_error *err) RP_WARN_UNUSED;
/* A numeric copybook field as a decimal of any size the host writes (copybook.h: up to 38 digits, P
 * scaling, a sign leading, trailing or separate, edited, COMP-1 and COMP-2): its digits most significant
 * first without leading zeros ("0" for zero), its sign, and its scale (>= 0: a P on the right has added
 * its zeros).  An edited field is read from text, the field through its code page (one character a
 * byte); blank is set for an edited field of blanks only (no value, or 0 with BLANK WHEN ZERO).  Errors
 * name the field and show its bytes or text. */
typedef struct etl_decimal {
    char digits[160];
    int n, neg, scale, blank;
} etl_decimal;
int etl_field_decimal(const cb_field *f, const unsigned char *rec, size_t reclen, const char *text, etl_decimal *out,
                      rp_error *err) RP_WARN_UNUSED;
int etl_field_decimal_at(const cb_field *f, int at, const unsigned char *rec, size_t reclen, const char *text,
                         etl_decimal *out, rp_error *err) RP_WARN_UNUSED;
/* Its value in units of 10^-scale: RP_TOOBIG past 18 digits. */
int etl_decimal_int(const etl_decimal *d, int64_t *v) RP_WARN_UNUSED;
/* As text, exactly: -1234.50 */
void etl_decimal_text(const etl_decimal *d, char *out, size_t n);
/* IBM hexadecimal floating point of 4 (COMP-1) or 8 bytes (COMP-2). */
double etl_ibm_float(const unsigned char *p, int len);
int etl_rescale(int64_t v, int from_scale, int to_scale, int64_t *out, rp_error *err) RP_WARN_UNUSED;
/* Text to an integer of `scale` decimals.  implied: the text has no
 * decimal point and its last `scale` digits are the decimals. */
int etl_parse_amount(const char *text, size_t n, int scale, int implied, int64_t *out,
                     rp_error *err) RP_WARN_UNUSED;
/* *has = 0 for "no date" (0, blank). */
int etl_date_from_number(int64_t v, int roc, rp_date *d, int *has, rp_error *err) RP_WARN_UNUSED;

#endif
