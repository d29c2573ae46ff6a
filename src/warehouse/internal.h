/* internal.h — shared between the warehouse's own files; not for callers. */
#ifndef RP_WAREHOUSE_INTERNAL_H
#define RP_WAREHOUSE_INTERNAL_H

#include "core/rtime.h"
#include "warehouse/warehouse.h"

void wh__identifier_lookup(const wh *w, const char *type, const char *issuer, const char *canon,
                           unsigned char h[RP_HASH_LEN]);

int wh__party_check(wh *w, const wh_party *p, char bd[11], const char **birth, char ss[11],
                    const char **since, rp_error *err);
int wh__account_check(wh *w, const wh_account *a, char o[11], const char **opened, char c[11],
                      const char **closed, char bat[RP_TIME_UTC_LEN], const char **balance_at,
                      rp_error *err);

#endif
