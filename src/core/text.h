/*
 * text.h — cleaning text as people and source systems type it (DOMAIN W8).
 *
 * Pure functions from one UTF-8 string to its cleaned form, shared by the
 * loader (etl: a rule that fixes a field) and identity resolution (match:
 * standardising names and addresses before comparing them).  Each reports
 * whether it changed anything, so a load can count "fixed" per rule, and
 * fails (RP_INVAL / RP_ENCODING) only for what no rule can fix.
 *
 *   rp_clean_text     full-width ASCII forms (Ａ１，) to ASCII, the
 *                     ideographic space and other blanks to a space, runs
 *                     of blanks to one, trimmed, control characters out
 *   rp_clean_name     clean_text; Chinese names lose the blanks between
 *                     Han characters (陳 怡君 -> 陳怡君); romanised names are
 *                     upper-cased with one blank after the comma
 *   rp_clean_address  clean_text; 台 written for the official 臺 (台北市 ->
 *                     臺北市), full-width digits, blanks removed between Han
 *                     characters and digits
 *
 * Full-width and variant handling is done here by table, without ICU: the
 * forms Taiwanese source data actually carries are few and known, and a
 * table is faster and keeps the rule visible.
 */
#ifndef RP_CORE_TEXT_H
#define RP_CORE_TEXT_H

#include <stddef.h>
#include "core/error.h"

/* Each writes at most n bytes (NUL included) to out; *changed (if not
 * NULL) is set to 1 when out differs from in. */
int rp_clean_text(const char *in, char *out, size_t n, int *changed, rp_error *err) RP_WARN_UNUSED;
/* Printable ASCII without blanks, as most values are: what rp_clean_text
 * leaves as it is, known without calling it. */
static inline int rp_text_plain(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7F)
            return 0;
    return 1;
}
int rp_clean_name(const char *in, char *out, size_t n, int *changed, rp_error *err) RP_WARN_UNUSED;
int rp_clean_address(const char *in, char *out, size_t n, int *changed, rp_error *err) RP_WARN_UNUSED;

#endif
