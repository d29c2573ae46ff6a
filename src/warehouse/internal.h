/* internal.h — shared between the warehouse's own files; not for callers. */
#ifndef RP_WAREHOUSE_INTERNAL_H
#define RP_WAREHOUSE_INTERNAL_H

#include "warehouse/warehouse.h"

void wh__identifier_lookup(const wh *w, const char *type, const char *issuer, const char *canon,
                           unsigned char h[RP_HASH_LEN]);

#endif
