/*
 * ebcdic.h — mainframe field encodings.
 *
 * Packed decimal (COMP-3): two digits a byte, the last nibble the sign
 * (C positive, D negative, F unsigned).  Zoned decimal (PIC 9 DISPLAY): one
 * EBCDIC digit a byte (F0-F9), the sign overpunched in the last byte's zone
 * (C positive, D negative, F unsigned).
 *
 * Mixed text in a host code page (IBM-937 for Traditional Chinese, IBM-037
 * for plain EBCDIC): single-byte characters as they are, double-byte ones
 * between shift-out (0x0E) and shift-in (0x0F).  rp_host_text_encode() fits
 * a UTF-8 string into a fixed-width field: it never splits a character,
 * always closes a DBCS run with SI inside the field, and pads with EBCDIC
 * spaces (0x40).  Conversion is through glibc iconv, cached per code point.
 */
#ifndef RP_EBCDIC_H
#define RP_EBCDIC_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

#define RP_EBCDIC_SPACE 0x40
#define RP_EBCDIC_SO 0x0E
#define RP_EBCDIC_SI 0x0F

/* Bytes a packed field of `digits` digits takes. */
size_t rp_packed_len(int digits);
/* Encode v (an integer in the field's smallest unit, e.g. cents for V99);
 * RP_TOOBIG if it needs more digits than the field has. */
int rp_packed_encode(int64_t v, int digits, int is_signed, unsigned char *out) RP_WARN_UNUSED;
int rp_packed_decode(const unsigned char *p, int digits, int64_t *v) RP_WARN_UNUSED;
int rp_zoned_encode(int64_t v, int digits, int is_signed, unsigned char *out) RP_WARN_UNUSED;
int rp_zoned_decode(const unsigned char *p, int digits, int64_t *v) RP_WARN_UNUSED;

typedef struct rp_host_codec rp_host_codec;

/* codepage: "IBM-937" or "IBM-037" (any name glibc iconv knows). */
int rp_host_codec_open(const char *codepage, rp_host_codec **out, rp_error *err) RP_WARN_UNUSED;
void rp_host_codec_close(rp_host_codec *c);
/* Fit UTF-8 text into width bytes.  *truncated (if not NULL) says whether
 * characters were left out; RP_ENCODING names a character the code page
 * cannot hold. */
int rp_host_text_encode(rp_host_codec *c, const char *utf8, unsigned char *out, size_t width,
                        int *truncated, rp_error *err) RP_WARN_UNUSED;
/* Decode a field to UTF-8 with trailing spaces removed; RP_ENCODING with
 * the byte offset when the bytes are not valid in the code page. */
int rp_host_text_decode(rp_host_codec *c, const unsigned char *in, size_t width, char *out,
                        size_t outn, rp_error *err) RP_WARN_UNUSED;

#endif
