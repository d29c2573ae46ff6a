/* upsert.c — loading source records again and again: create what is new,
 * update what changed and keep the history of every changed attribute.
 * See warehouse.h. */
#include "warehouse/internal.h"
#include "warehouse/warehouse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void now_utc(char out[RP_TIME_UTC_LEN]) { rp_time_format_utc(rp_now(), out); }

static int same(const char *a, const char *b)
{
    if (!a || !*a)
        return !b || !*b;
    return b && strcmp(a, b) == 0;
}

static const char *nz(const char *s) { return s && *s ? s : NULL; }

/* A party's source record, once found, stays (a party is never deleted, its records never moved: a merge
 * marks the party, not them), unless a rollback took back the record: a load of a file of events asks
 * for the same few thousand customers hundreds of thousands of times, the store once each. */
#define BY_SOURCE_MAX 200000

static int by_source_cached(wh *w, const char *k, size_t kl, int64_t *id)
{
    if (!w->by_source || w->by_source_rollbacks != rp_store_rollbacks(w->store)) {
        rp_map_free(w->by_source, NULL);
        w->by_source = rp_map_new();
        w->by_source_rollbacks = rp_store_rollbacks(w->store);
        return 0;
    }
    void *v = rp_map_get(w->by_source, k, kl);
    if (v)
        *id = (int64_t)(intptr_t)v;
    return v != NULL;
}

int wh_party_by_source(wh *w, const char *source, const char *key, int64_t *id, rp_error *err)
{
    char k[512];
    size_t sl = strlen(source), kl = strlen(key);
    int cacheable = sl + kl + 1 < sizeof k;
    if (cacheable) {
        memcpy(k, source, sl + 1);
        memcpy(k + sl + 1, key, kl);
        if (by_source_cached(w, k, sl + 1 + kl, id)) {
            wh__party_known(w, *id); /* a party's source record is its proof: parties are never deleted */
            return RP_OK;
        }
    }
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT entity_id FROM source_record WHERE entity = 'party' AND "
                              "source = ? AND source_key = ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, source);
    rp_stmt_bind_text(st, 2, key);
    rc = rp_stmt_step(st, err);
    if (rc == RP_ROW)
        *id = rp_stmt_int(st, 0);
    rp_stmt_done(st);
    if (rc == RP_ROW && *id > 0)
        wh__party_known(w, *id);
    if (rc == RP_ROW && cacheable && w->by_source && *id > 0) {
        if (rp_map_len(w->by_source) >= BY_SOURCE_MAX) {
            rp_map_free(w->by_source, NULL);
            w->by_source = rp_map_new();
        }
        if (w->by_source && rp_map_put(w->by_source, k, sl + 1 + kl, (void *)(intptr_t)*id, NULL))
            rp_map_free(w->by_source, NULL), w->by_source = NULL; /* out of memory: asked each time */
    }
    return rc == RP_ROW ? RP_OK : rc == RP_DONE ? RP_NOTFOUND : rc;
}

/* Record that attribute `name` of an entity went from old to new now. */
static int history(wh *w, const char *entity, int64_t id, const char *name, const char *old,
                   const char *new_, const char *since, const char *now, int64_t job, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT max(valid_to) FROM attribute_history WHERE entity = ? AND "
                              "entity_id = ? AND attribute = ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, entity);
    rp_stmt_bind_int(st, 2, id);
    rp_stmt_bind_text(st, 3, name);
    char from[RP_TIME_UTC_LEN + 4];
    if ((rc = wh__one_text(st, from, sizeof from, err)))
        return rc;
    if ((rc = rp_store_prepare(w->store,
                               "INSERT INTO attribute_history(entity, entity_id, attribute, old_value, "
                               "new_value, valid_from, valid_to, job_id) VALUES (?,?,?,?,?,?,?,?)",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, entity);
    rp_stmt_bind_int(st, 2, id);
    rp_stmt_bind_text(st, 3, name);
    rp_stmt_bind_text(st, 4, nz(old));
    rp_stmt_bind_text(st, 5, nz(new_));
    rp_stmt_bind_text(st, 6, *from ? from : since);
    rp_stmt_bind_text(st, 7, now);
    if (job)
        rp_stmt_bind_int(st, 8, job);
    else
        rp_stmt_bind_null(st, 8);
    return rp_stmt_run(st, err);
}

static int lineage_touch(wh *w, const char *entity, const char *source, const char *key, int64_t job,
                         const char *now, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "UPDATE source_record SET job_id = ?, loaded_at = ? WHERE entity = ? AND "
                              "source = ? AND source_key = ?",
                              &st, err);
    if (rc)
        return rc;
    if (job)
        rp_stmt_bind_int(st, 1, job);
    else
        rp_stmt_bind_null(st, 1);
    rp_stmt_bind_text(st, 2, now);
    rp_stmt_bind_text(st, 3, entity);
    rp_stmt_bind_text(st, 4, source);
    rp_stmt_bind_text(st, 5, key);
    return rp_stmt_run(st, err);
}

int wh_party_upsert(wh *w, const char *source, const char *key, const wh_party *p, int64_t job,
                    int insert_only, int64_t *id, int *outcome, rp_error *err)
{
    enum { PARTY_ATTRS = WH_NPARTY_ATTRS };
    const char *const *names = wh_party_attr_names;
    if (!key || !*key)
        return rp_err(err, RP_INVAL, "party.key: required (the source's customer number)");
    if (strlen(key) > 128)
        return rp_err(err, RP_TOOBIG, "party.key: longer than 128 bytes");
    int64_t pid = 0;
    int rc = wh_party_by_source(w, source, key, &pid, err);
    if (rc == RP_NOTFOUND) {
        if ((rc = wh_party_add(w, p, &pid, err)) || (rc = wh_lineage_add(w, "party", pid, source, key, job, err)))
            return rc;
        *id = pid;
        *outcome = WH_CREATED;
        return RP_OK;
    }
    if (rc)
        return rc;
    *id = pid;
    char now[RP_TIME_UTC_LEN];
    now_utc(now);
    if (insert_only) {
        *outcome = WH_UNCHANGED;
        return RP_OK;
    }
    char bd[11], ss[11];
    const char *birth, *since;
    if ((rc = wh__party_check(w, p, bd, &birth, ss, &since, err)))
        return rc;
    const char *nv[PARTY_ATTRS];
    wh__party_values(p, birth, since, nv);
    rp_stmt *st;
    if ((rc = rp_store_prepare(w->store,
                               "SELECT " WH_PARTY_COLUMNS "created_at FROM party WHERE id = ?",
                               &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, pid);
    rc = rp_stmt_step(st, err);
    if (rc != RP_ROW) {
        rp_stmt_done(st);
        return rc == RP_DONE ? rp_err(err, RP_INTERNAL, "party %lld of %s:%s is gone", (long long)pid,
                                      source, key)
                             : rc;
    }
    char old[PARTY_ATTRS][256], created[RP_TIME_UTC_LEN + 4];
    int had[PARTY_ATTRS], changed = 0;
    for (int i = 0; i < PARTY_ATTRS; i++) {
        const char *t = rp_stmt_text(st, i);
        had[i] = t != NULL;
        snprintf(old[i], sizeof old[i], "%s", t ? t : "");
    }
    snprintf(created, sizeof created, "%s", rp_stmt_text(st, PARTY_ATTRS) ? rp_stmt_text(st, PARTY_ATTRS) : "");
    rp_stmt_done(st);
    for (int i = 0; i < PARTY_ATTRS; i++) {
        if (same(had[i] ? old[i] : NULL, nv[i]))
            continue;
        changed++;
        if ((rc = history(w, "party", pid, names[i], had[i] ? old[i] : NULL, nv[i], created, now, job, err)))
            return rc;
    }
    if ((rc = lineage_touch(w, "party", source, key, job, now, err)))
        return rc;
    if (!changed) {
        *outcome = WH_UNCHANGED;
        return RP_OK;
    }
    if ((rc = rp_store_prepare(w->store,
                               "UPDATE party SET " WH_PARTY_SETS "updated_at = ? WHERE id = ?",
                               &st, err)))
        return rc;
    for (int i = 0; i < PARTY_ATTRS; i++)
        rp_stmt_bind_text(st, i + 1, nv[i]);
    rp_stmt_bind_text(st, PARTY_ATTRS + 1, now);
    rp_stmt_bind_int(st, PARTY_ATTRS + 2, pid);
    if ((rc = rp_stmt_run(st, err)))
        return rp_err_prefix(err, "party");
    *outcome = WH_UPDATED;
    return RP_OK;
}

#define ACCOUNT_ATTRS 12

int wh_account_upsert(wh *w, const char *source, const wh_account *a, int64_t job, int insert_only,
                      int64_t *id, int *outcome, rp_error *err)
{
    static const char *const names[ACCOUNT_ATTRS] = { "product",       "branch",      "currency",
                                                      "opened_on",     "closed_on",   "status",
                                                      "balance_minor", "limit_minor", "balance_at",
                                                      "interest_rate", "accrued_interest_minor", "matures_on" };
    int64_t aid = 0;
    rp_error e = RP_ERROR_INIT;
    /* the lineage keeps the number as the account does: a card's by its key */
    char key[WH_ACCOUNT_KEY_LEN];
    if (a->number)
        wh_account_key(w, a->number, key, NULL, 0);
    int rc = a->number ? wh_account_id(w, a->number, &aid, &e) : RP_NOTFOUND;
    if (rc == RP_NOTFOUND) {
        if ((rc = wh__account_add_new(w, a, &aid, err)) ||
            (rc = wh_lineage_add(w, "account", aid, source, key, job, err)))
            return rc;
        *id = aid;
        *outcome = WH_CREATED;
        return RP_OK;
    }
    if (rc)
        return rp_err(err, rc, "%s", rp_errmsg(&e));
    *id = aid;
    if (insert_only) {
        *outcome = WH_UNCHANGED;
        return RP_OK;
    }
    char o[11], c[11], bat[RP_TIME_UTC_LEN], now[RP_TIME_UTC_LEN];
    const char *opened, *closed, *balance_at;
    if ((rc = wh__account_check(w, a, o, &opened, c, &closed, bat, &balance_at, err)))
        return rc;
    now_utc(now);
    char bal[24], lim[24], rate[32] = "", acc[24];
    snprintf(bal, sizeof bal, "%lld", (long long)a->balance_minor);
    snprintf(lim, sizeof lim, "%lld", (long long)a->limit_minor);
    snprintf(acc, sizeof acc, "%lld", (long long)a->accrued_interest_minor);
    if (a->interest_rate) /* as SQLite gives a REAL back */
        snprintf(rate, sizeof rate, "%.15g", strtod(a->interest_rate, NULL));
    char mat[11];
    const char *matures = NULL;
    if ((rc = wh_date_normalise("account.matures_on", a->matures_on, mat, &matures, err)))
        return rc;
    const char *nv[ACCOUNT_ATTRS] = { a->product, nz(a->branch), a->currency, opened, closed,
                                      a->status ? a->status : (closed ? "closed" : "active"), bal,
                                      a->has_limit ? lim : NULL, balance_at, a->interest_rate ? rate : NULL,
                                      a->has_accrued ? acc : NULL, matures && *matures ? matures : NULL };
    rp_stmt *st;
    if ((rc = rp_store_prepare(w->store,
                               "SELECT product, branch, currency, opened_on, closed_on, status, "
                               "balance_minor, limit_minor, balance_at, interest_rate, "
                               "accrued_interest_minor, matures_on, updated_at FROM account WHERE id = ?",
                               &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, aid);
    if ((rc = rp_stmt_step(st, err)) != RP_ROW) {
        rp_stmt_done(st);
        return rc == RP_DONE ? rp_err(err, RP_INTERNAL, "account %lld is gone", (long long)aid) : rc;
    }
    char old[ACCOUNT_ATTRS][64], since[RP_TIME_UTC_LEN + 4];
    int had[ACCOUNT_ATTRS], changed = 0;
    for (int i = 0; i < ACCOUNT_ATTRS; i++) {
        const char *t = rp_stmt_text(st, i);
        had[i] = t != NULL;
        if (i == 9 && t) /* the rate as the new one is written (%.15g), whatever text the store gives a real */
            snprintf(old[i], sizeof old[i], "%.15g", rp_stmt_real(st, i));
        else
            snprintf(old[i], sizeof old[i], "%s", t ? t : "");
    }
    snprintf(since, sizeof since, "%s", rp_stmt_text(st, 12) ? rp_stmt_text(st, 12) : "");
    rp_stmt_done(st);
    for (int i = 0; i < ACCOUNT_ATTRS; i++) {
        if (same(had[i] ? old[i] : NULL, nv[i]))
            continue;
        changed++;
        if ((rc = history(w, "account", aid, names[i], had[i] ? old[i] : NULL, nv[i], since, now, job, err)))
            return rc;
    }
    if ((rc = lineage_touch(w, "account", source, key, job, now, err)))
        return rc;
    if (!changed) {
        *outcome = WH_UNCHANGED;
        return RP_OK;
    }
    if ((rc = rp_store_prepare(w->store,
                               "UPDATE account SET product = ?, branch = ?, currency = ?, opened_on = ?, "
                               "closed_on = ?, status = ?, balance_minor = ?, limit_minor = ?, "
                               "balance_at = ?, interest_rate = ?, accrued_interest_minor = ?, matures_on = ?, "
                               "updated_at = ? WHERE id = ?",
                               &st, err)))
        return rc;
    for (int i = 0; i < ACCOUNT_ATTRS; i++)
        if (i == 6)
            rp_stmt_bind_int(st, i + 1, a->balance_minor);
        else if (i == 7 && a->has_limit)
            rp_stmt_bind_int(st, i + 1, a->limit_minor);
        else if (i == 9 && a->interest_rate)
            rp_stmt_bind_real(st, i + 1, strtod(a->interest_rate, NULL));
        else if (i == 10 && a->has_accrued)
            rp_stmt_bind_int(st, i + 1, a->accrued_interest_minor);
        else
            rp_stmt_bind_text(st, i + 1, nv[i]);
    rp_stmt_bind_text(st, 13, now);
    rp_stmt_bind_int(st, 14, aid);
    if ((rc = rp_stmt_run(st, err)))
        return rp_err_prefix(err, "account");
    *outcome = WH_UPDATED;
    return RP_OK;
}

/* The party's open contact point of c's kind, purpose and source (the newest), *old its id (0 none), *equal
 * whether c says the same (a phone or e-mail by its lookup form; an address by its text, postal code and
 * country: ident); for a party this transaction made, from what it was given since (fresh.c). */
static int current_contact(wh *w, int64_t party, const wh_contact *c, int keyed, const char *ident, const char *lookup,
                           int64_t *old, int *equal, rp_error *err)
{
    const char *purpose = c->purpose ? c->purpose : "home";
    if (wh__fresh(w, party)) {
        const wh_fresh_contact *f = wh__fresh_open_contact(w, c->kind, purpose, c->source);
        if (f) {
            *old = f->id;
            *equal = same(f->no_lookup ? NULL : f->lookup, keyed ? lookup : ident);
        }
        return RP_OK;
    }
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT id, value, lookup, postal_code, country FROM contact_point WHERE party_id = ? "
                              "AND kind = ? AND "
                              "purpose = ? AND source IS NOT DISTINCT FROM ? AND valid_to IS NULL ORDER BY id DESC LIMIT 1",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, party);
    rp_stmt_bind_text(st, 2, c->kind);
    rp_stmt_bind_text(st, 3, purpose);
    rp_stmt_bind_text(st, 4, c->source);
    rc = rp_stmt_step(st, err);
    if (rc == RP_ROW) {
        *old = rp_stmt_int(st, 0);
        char was[WH_CONTACT_VALUE_MAX + 64];
        wh__address_identity(rp_stmt_text(st, 1), rp_stmt_text(st, 3), rp_stmt_text(st, 4), was, sizeof was);
        *equal = keyed ? same(rp_stmt_text(st, 2), lookup) : same(was, ident);
    }
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

int wh_contact_put(wh *w, int64_t party, const wh_contact *c, int *outcome, rp_error *err)
{
    char value[WH_CONTACT_VALUE_MAX + 1], lookup[300]; /* an address is kept whole (wh_contact_add) */
    const char *val = c->value;
    int rc = RP_OK;
    if (!c->kind || !c->value || !*c->value)
        return rp_err(err, RP_INVAL, "contact: kind and value are required");
    char country[3];
    if ((rc = wh_country_ok("contact.country", c->country, country, err)))
        return rc;
    if (strcmp(c->kind, "email") == 0)
        rc = wh_email_normalise(c->value, value, sizeof value, lookup, sizeof lookup, err);
    else if (strcmp(c->kind, "address") != 0)
        rc = wh_phone_normalise_in(country, c->value, value, sizeof value, lookup, sizeof lookup, err);
    else
        snprintf(value, sizeof value, "%s", c->value);
    if (rc)
        return rp_err_prefix(err, "contact.value");
    val = value;
    int keyed = strcmp(c->kind, "address") != 0; /* phones and e-mails compare by their lookup form */
    char ident[WH_CONTACT_VALUE_MAX + 64];
    wh__address_identity(val, c->postal_code, country, ident, sizeof ident);
    int64_t old = 0;
    int equal = 0;
    if ((rc = current_contact(w, party, c, keyed, ident, lookup, &old, &equal, err)))
        return rc;
    if (equal) {
        *outcome = WH_UNCHANGED;
        return RP_OK;
    }
    char today[11];
    rp_date_format(rp_time_taipei_date(rp_now()), today);
    wh_contact n = *c;
    if (old) {
        rp_stmt *st;
        if ((rc = rp_store_prepare(w->store, "UPDATE contact_point SET valid_to = ? WHERE id = ?", &st, err)))
            return rc;
        rp_stmt_bind_text(st, 1, today);
        rp_stmt_bind_int(st, 2, old);
        if ((rc = rp_stmt_run(st, err)))
            return rc;
        wh__fresh_contact_closed(w, old);
        if (!n.valid_from)
            n.valid_from = today;
    }
    if ((rc = wh_contact_add(w, party, &n, NULL, err)))
        return rc;
    *outcome = old ? WH_UPDATED : WH_CREATED;
    return RP_OK;
}

int wh_role_put(wh *w, int64_t party, int64_t account, const char *role, const char *since, int *outcome,
                rp_error *err)
{
    rp_error e = RP_ERROR_INIT;
    int rc = wh_role_add(w, party, account, role, since, &e);
    if (rc == RP_EXISTS) {
        *outcome = WH_UNCHANGED;
        return RP_OK;
    }
    if (rc)
        return rp_err(err, rc, "%s", rp_errmsg(&e));
    *outcome = WH_CREATED;
    return RP_OK;
}
