/*
 * utf8.h — UTF-8 validation, decoding and display width.
 *
 * Validation follows RFC 3629: no overlong forms, no surrogates, nothing
 * above U+10FFFF.  Display width counts East Asian wide and full-width
 * characters (Han, kana, Hangul, full-width forms) as two terminal columns.
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
/* Terminal columns of one code point (0, 1 or 2) and of a string. */
int rp_utf8_cp_width(uint32_t cp);
size_t rp_utf8_width(const char *s, size_t n);

#endif
