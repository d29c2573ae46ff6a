/* fresh.c — what a party made on this connection in the transaction under way has, while nothing was rolled
 * back since: the identifiers and contact points written to it after, and nothing else (no other connection
 * sees the party before the commit).  A load makes a party and gives it its identifiers and contacts from the same record; each
 * would first ask the store whether the party has it already (on PostgreSQL a round trip each: five of the
 * twenty a customer record costs), and this answers instead.  Forgotten when another party is made, when
 * the store rolls anything back (rp_store_rollbacks), when the transaction ends (rp_store_ended), and when
 * more is written than it keeps (then the store is asked, as before); a party made outside a transaction
 * (seen by others at once) is not remembered.  So too an account made in the transaction: no transactions
 * until one is written (txn.c forgets it then), so that its first holder need not be written into any. */
#include "warehouse/internal.h"

#include <string.h>

static int same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int copy_text(char *dst, size_t n, const char *src, int *null)
{
    *null = !src;
    if (src && strlen(src) >= n)
        return 0;
    snprintf(dst, n, "%s", src ? src : "");
    return 1;
}

void wh__fresh_party(wh *w, int64_t party)
{
    w->fresh.party = rp_store_depth(w->store) > 0 ? party : 0;
    w->fresh.rollbacks = rp_store_rollbacks(w->store);
    w->fresh.ended = rp_store_ended(w->store);
    w->fresh.nid = w->fresh.nct = 0;
}

int wh__fresh(wh *w, int64_t party)
{
    return party > 0 && w->fresh.party == party && w->fresh.rollbacks == rp_store_rollbacks(w->store) &&
           w->fresh.ended == rp_store_ended(w->store) && rp_store_depth(w->store) > 0;
}

void wh__fresh_identifier(wh *w, int64_t party, const unsigned char lookup[RP_HASH_LEN])
{
    if (!wh__fresh(w, party))
        return;
    if (w->fresh.nid == WH_FRESH_MAX) {
        w->fresh.party = 0;
        return;
    }
    memcpy(w->fresh.ids[w->fresh.nid++], lookup, RP_HASH_LEN);
}

int wh__fresh_has_identifier(const wh *w, const unsigned char lookup[RP_HASH_LEN])
{
    for (int i = 0; i < w->fresh.nid; i++)
        if (memcmp(w->fresh.ids[i], lookup, RP_HASH_LEN) == 0)
            return 1;
    return 0;
}

void wh__fresh_contact(wh *w, int64_t party, int64_t id, const char *kind, const char *purpose, const char *source,
                       const char *value, const char *lookup, int open)
{
    if (!wh__fresh(w, party))
        return;
    wh_fresh_contact *c = &w->fresh.cts[w->fresh.nct];
    int nsrc, nval, nlook, ignored;
    if (w->fresh.nct == WH_FRESH_MAX || !copy_text(c->kind, sizeof c->kind, kind, &ignored) ||
        !copy_text(c->purpose, sizeof c->purpose, purpose, &ignored) ||
        !copy_text(c->source, sizeof c->source, source, &nsrc) ||
        !copy_text(c->value, sizeof c->value, value, &nval) ||
        !copy_text(c->lookup, sizeof c->lookup, lookup, &nlook)) {
        w->fresh.party = 0;
        return;
    }
    c->id = id;
    c->open = open;
    c->no_source = nsrc, c->no_lookup = nlook;
    w->fresh.nct++;
}

const wh_fresh_contact *wh__fresh_open_contact(const wh *w, const char *kind, const char *purpose, const char *source)
{
    for (int i = w->fresh.nct - 1; i >= 0; i--) { /* the newest, as the store's ORDER BY id DESC */
        const wh_fresh_contact *c = &w->fresh.cts[i];
        if (c->open && !strcmp(c->kind, kind) && !strcmp(c->purpose, purpose) &&
            same_text(c->no_source ? NULL : c->source, source))
            return c;
    }
    return NULL;
}

void wh__fresh_contact_closed(wh *w, int64_t id)
{
    for (int i = 0; i < w->fresh.nct; i++)
        if (w->fresh.cts[i].id == id)
            w->fresh.cts[i].open = 0;
}

void wh__fresh_account(wh *w, int64_t account)
{
    w->fresh.account = rp_store_depth(w->store) > 0 ? account : 0;
    w->fresh.arollbacks = rp_store_rollbacks(w->store);
    w->fresh.aended = rp_store_ended(w->store);
}

int wh__fresh_account_bare(wh *w, int64_t account)
{
    return account > 0 && w->fresh.account == account && w->fresh.arollbacks == rp_store_rollbacks(w->store) &&
           w->fresh.aended == rp_store_ended(w->store) && rp_store_depth(w->store) > 0;
}

void wh__address_identity(const char *value, const char *postal, const char *country, char *out, size_t n)
{
    snprintf(out, n, "%s\x1f%s\x1f%s", value ? value : "", postal ? postal : "",
             country && *country && strcmp(country, "TW") ? country : "");
}
