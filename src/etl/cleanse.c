/* cleanse.c — rules that fix source data.  See cleanse.h. */
#include "etl/cleanse.h"
#include "warehouse/warehouse.h"

#include <string.h>

int etl_clean_phone(const char *in, char *out, size_t n, int *changed, rp_error *err)
{
    return etl_clean_phone_in(NULL, in, out, n, changed, err);
}

int etl_clean_phone_in(const char *country, const char *in, char *out, size_t n, int *changed, rp_error *err)
{
    char text[256], lookup[64];
    int rc = rp_clean_text(in, text, sizeof text, NULL, err); /* full-width digits first */
    if (rc)
        return rc;
    if ((rc = wh_phone_normalise_in(country, text, out, n, lookup, sizeof lookup, err)))
        return rc;
    if (changed)
        *changed = strcmp(in, out) != 0;
    return RP_OK;
}
