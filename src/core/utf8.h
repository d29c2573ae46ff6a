/*
 * utf8.h — UTF-8 validation, decoding and display width.
 *
 * Validation follows RFC 3629: no overlong forms, no surrogates, nothing
 * above U+10FFFF.  Display width counts East Asian wide and full-width
 * characters (Han, kana, Hangul, full-width forms) as two terminal columns.
 *
 * rp_utf8_printable is the one way text that came from data (a file's bytes,
 * a value, a message quoting one, a file name) is made fit for a terminal
 * and for a column that must hold text: valid UTF-8 is kept; a byte that is
 * not UTF-8 and every control character a terminal would obey (C0, DEL and
 * the C1 controls U+0080-U+009F: ESC, CSI, BEL, newline, tab) is written as
 * \xhh, one escape a byte (ESC as \x1b, U+009B as \xc2\x9b).  A backslash
 * stays as it is, so escaping twice changes nothing more.
 */
#ifndef RP_UTF8_H
#define RP_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* 1 if valid; else 0 and *bad (if not NULL) is the first bad byte's offset. */
int rp_utf8_valid(const char *s, size_t n, size_t *bad);
/* Decode one code point; returns bytes used (1-4) or -1 when invalid. */
int rp_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encode; returns bytes written (1-4) or 0 for an invalid code point. */
int rp_utf8_encode(uint32_t cp, char out[4]);
/* Code points in a valid string. */
size_t rp_utf8_count(const char *s, size_t n);
/* At most max bytes of p's len, not cutting a UTF-8 character in two. */
size_t rp_utf8_cut(const char *p, size_t len, size_t max);
/* Code points of s (n bytes) that show: blanks of every kind and the
 * invisible ones (zero-width spaces and joiners, the byte-order mark, the
 * soft hyphen) are not counted.  -1 when s is not UTF-8, -2 when it holds a
 * control character (C0, DEL, C1).  What a person typed as a reason is
 * measured so. */
long rp_utf8_visible(const char *s, size_t n);
/* Terminal columns of one code point (0, 1 or 2) and of a string. */
int rp_utf8_cp_width(uint32_t cp);
size_t rp_utf8_width(const char *s, size_t n);

/* s (len bytes) made printable into out, at most n bytes with the NUL, never
 * cutting a character or an escape in two; returns the bytes written (the
 * NUL not counted).  4 * len + 1 bytes always hold the whole. */
size_t rp_utf8_printable(const void *s, size_t len, char *out, size_t n);
/* Whether s (len bytes) is printable as it is (rp_utf8_printable would not
 * change it). */
int rp_utf8_is_printable(const void *s, size_t len);
/* A NUL-terminated string made printable, in memory of its own (free it);
 * NULL when out of memory.  s NULL is "". */
char *rp_utf8_printable_dup(const char *s);

#endif
