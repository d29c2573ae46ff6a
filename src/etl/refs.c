/* refs.c — the parties and accounts a record names, and the accounts a
 * load remembers by number.  See load_internal.h. */
#include "etl/load_internal.h"
#include "core/map.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The accounts a load posts to, by number: open addressing with the number
 * kept in the slot, so that a lookup reads one cache line.  (rp_map keeps a
 * key and its value apart from the slot: three lines, and a seventh of the
 * writing thread's time.)  Numbers longer than a slot holds are looked up
 * in the store each time. */
#define LD_AKEY 43
typedef struct ld_aslot {
    uint64_t hash;           /* 0: empty */
    int64_t id;
    char currency[4];
    uint8_t klen;
    char key[LD_AKEY];
} ld_aslot;
_Static_assert(sizeof(ld_aslot) == 64, "an account slot is one cache line");

typedef struct ld_accounts {
    ld_aslot *slot;
    size_t mask, n;
    uint64_t seed;
} ld_accounts;

#define LD_ACCOUNT_CACHE_MAX 1000000 /* 128 MB of slots at most */

/* The party a reference names: *id = 0 for an optional reference left empty. */
int ld__party_ref(ld *L, const sp_ref *r, const sp_value *v, int64_t *id, sp_reject *rj, rp_error *err)
{
    *id = 0;
    if (r->kind == 1) {
        *id = L->party;
        return *id ? RP_OK : ld__rejectf(rj, "", "", "reference", "no party for this record");
    }
    const char *key = v[r->field].null ? NULL : v[r->field].text;
    if (!key) {
        if (r->optional)
            return RP_OK;
        return ld__rejectf(rj, ld__field_name(L, r->field), "", "required", "%s: required (the party's key)",
                           ld__field_name(L, r->field));
    }
    rp_error e = RP_ERROR_INIT;
    int rc;
    if (r->kind == 4) {
        rc = wh_find(L->w, key, id, NULL, &e);
        if (rc == RP_NOTFOUND || rc == RP_AMBIGUOUS) {
            *id = 0;
            if (r->optional)
                return RP_OK;
            return ld__rejectf(rj, ld__field_name(L, r->field), key, "reference", "%s", rp_errmsg(&e));
        }
    } else {
        rc = wh_party_by_source(L->w, r->source, key, id, &e);
        if (rc == RP_NOTFOUND)
            return ld__rejectf(rj, ld__field_name(L, r->field), key, "reference", "%s: no %s customer '%s'",
                           ld__field_name(L, r->field), r->source, key);
    }
    if (rc)
        return rp_err(err, rc, "%s", rp_errmsg(&e));
    return RP_OK;
}

/* slots on cache-line bounds, zeroed */
static ld_aslot *aslots(size_t n)
{
    ld_aslot *t = aligned_alloc(64, n * sizeof *t);
    if (t)
        memset(t, 0, n * sizeof *t);
    return t;
}

ld_accounts *ld__accounts_new(void)
{
    ld_accounts *a = calloc(1, sizeof *a);
    if (a && !(a->slot = aslots(4096))) {
        free(a);
        return NULL;
    }
    if (a) {
        a->mask = 4095;
        a->seed = (uint64_t)(uintptr_t)a ^ (uint64_t)time(NULL);
    }
    return a;
}

void ld__accounts_free(ld_accounts *a)
{
    if (a)
        free(a->slot);
    free(a);
}

static uint64_t accounts_hash(const ld_accounts *a, const char *key, size_t kl)
{
    return rp_hash64(key, kl, a->seed) | 1;
}

static const ld_aslot *accounts_get(const ld_accounts *a, const char *key, size_t kl, uint64_t h)
{
    for (size_t i = h & a->mask;; i = (i + 1) & a->mask) {
        const ld_aslot *x = &a->slot[i];
        if (!x->hash)
            return NULL;
        if (x->hash == h && x->klen == kl && !memcmp(x->key, key, kl))
            return x;
    }
}

/* Remember an account (not there yet); NULL when full or out of memory. */
static const ld_aslot *accounts_put(ld_accounts *a, const char *key, size_t kl, uint64_t h, int64_t id,
                                    const char *currency)
{
    if (kl > LD_AKEY || a->n >= LD_ACCOUNT_CACHE_MAX)
        return NULL;
    if (2 * (a->n + 1) > a->mask + 1) { /* at most half full */
        size_t cap = (a->mask + 1) * 2;
        ld_aslot *t = aslots(cap);
        if (!t)
            return NULL;
        for (size_t i = 0; i <= a->mask; i++) {
            if (!a->slot[i].hash)
                continue;
            size_t j = a->slot[i].hash & (cap - 1);
            while (t[j].hash)
                j = (j + 1) & (cap - 1);
            t[j] = a->slot[i];
        }
        free(a->slot);
        a->slot = t;
        a->mask = cap - 1;
    }
    size_t i = h & a->mask;
    while (a->slot[i].hash)
        i = (i + 1) & a->mask;
    ld_aslot *x = &a->slot[i];
    x->hash = h;
    x->id = id;
    snprintf(x->currency, sizeof x->currency, "%s", currency);
    x->klen = (uint8_t)kl;
    memcpy(x->key, key, kl);
    a->n++;
    return x;
}

int ld__account_ref(ld *L, const sp_ref *r, const sp_value *v, int64_t *id, const char **currency,
                       sp_reject *rj, rp_error *err)
{
    *id = 0;
    if (currency)
        *currency = NULL;
    if (r->kind == 1) {
        *id = L->account;
        return *id ? RP_OK : ld__rejectf(rj, "", "", "reference", "no account for this record");
    }
    const char *key = v[r->field].null ? NULL : v[r->field].text;
    if (!key)
        return ld__rejectf(rj, ld__field_name(L, r->field), "", "required", "%s: required (the account number)",
                           ld__field_name(L, r->field));
    size_t kl = strlen(key);
    uint64_t h = L->accounts ? accounts_hash(L->accounts, key, kl) : 0;
    const ld_aslot *c = L->accounts ? accounts_get(L->accounts, key, kl, h) : NULL;
    if (c) {
        *id = c->id;
        if (currency)
            *currency = c->currency;
        return RP_OK;
    }
    int64_t got = 0;
    char cur[4] = "";
    rp_error e;
    rp_err_clear(&e);
    int rc = wh_account_by_number(L->w, key, &got, cur, &e);
    if (rc == RP_NOTFOUND)
        return ld__rejectf(rj, ld__field_name(L, r->field), key, "reference", "%s: no account '%s'",
                           ld__field_name(L, r->field), key);
    if (rc)
        return rp_err(err, rc, "%s", rp_errmsg(&e));
    *id = got;
    if (currency)
        *currency = NULL; /* looked up again with the transaction, unless remembered here */
    if (L->accounts && (c = accounts_put(L->accounts, key, kl, h, got, cur)) && currency)
        *currency = c->currency;
    return RP_OK;
}
