/*
 * cleanse.h — fixing what rules can fix (DOMAIN W8).
 *
 * The text rules (full-width forms, blanks, names, addresses) are in
 * core/text.h, shared with identity resolution; here is what needs the
 * warehouse's own rules:
 *
 *   etl_clean_phone    to E.164 (+886 for domestic forms), see wh_phone_normalise
 */
#ifndef RP_CLEANSE_H
#define RP_CLEANSE_H

#include <stddef.h>
#include "core/error.h"
#include "core/text.h"

int etl_clean_phone(const char *in, char *out, size_t n, int *changed, rp_error *err) RP_WARN_UNUSED;
/* ... written as at home in country (ISO 3166 alpha-2; NULL or "" Taiwan): wh_phone_normalise_in */
int etl_clean_phone_in(const char *country, const char *in, char *out, size_t n, int *changed,
                       rp_error *err) RP_WARN_UNUSED;

#endif
