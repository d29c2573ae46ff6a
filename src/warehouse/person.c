/* person.c — what identity resolution reads of the source parties and
 * writes of the persons it finds.  See warehouse.h. */
#include "warehouse/internal.h"
#include "warehouse/warehouse.h"

#include <stdio.h>
#include <string.h>

/* ---- reading the source parties ---- */

int wh_source_parties(wh *w, wh_source_party_fn fn, void *ctx, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT p.id, p.kind, p.name_zh, p.name_latin, p.birth_date, p.gender, "
                              "coalesce(r.source, 'warehouse'), coalesce(r.source_key, CAST(p.id AS TEXT)), p.merged_into, "
                              "p.occupation, p.income_band, p.home_branch FROM party p "
                              "LEFT JOIN source_record r ON r.entity = 'party' AND r.entity_id = p.id "
                              "WHERE p.resolved = 0 ORDER BY p.id",
                              &st, err);
    if (rc)
        return rc;
    int64_t last = 0;
    int any = 0;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        wh_source_party p = { .id = rp_stmt_int(st, 0) };
        if (any && p.id == last)
            continue; /* a party with lineage from two sources: once (its rows come together) */
        any = 1;
        last = p.id;
        p.kind = rp_stmt_text(st, 1);
        p.name_zh = rp_stmt_text(st, 2);
        p.name_latin = rp_stmt_text(st, 3);
        p.birth_date = rp_stmt_text(st, 4);
        p.gender = rp_stmt_text(st, 5);
        p.source = rp_stmt_text(st, 6);
        p.key = rp_stmt_text(st, 7);
        p.merged_into = rp_stmt_int(st, 8);
        p.occupation = rp_stmt_text(st, 9);
        p.income_band = rp_stmt_text(st, 10);
        p.home_branch = rp_stmt_text(st, 11);
        if ((rc = fn(ctx, &p, err)))
            break;
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

int wh_source_identifiers(wh *w, wh_party_identifier_fn fn, void *ctx, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT party_id, type, lookup, CASE WHEN type IN ('national_id', 'resident_cert', "
                              "'ubn') THEN NULL ELSE coalesce(value, '') END, CASE WHEN type IN ('national_id', "
                              "'resident_cert', 'ubn') THEN NULL ELSE sealed END FROM party_identifier",
                              &st, err);
    if (rc)
        return rc;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        const char *value = rp_stmt_text(st, 3);
        char plain[96];
        size_t n = rp_stmt_bytes(st, 4);
        if (n) {
            if (n < RP_SEAL_OVERHEAD || n - RP_SEAL_OVERHEAD >= sizeof plain ||
                rp_unseal(w->keys, rp_stmt_blob(st, 4), n, plain) != RP_OK) {
                rc = rp_err(err, RP_CRYPTO, "party %lld: a sealed identifier cannot be opened",
                            (long long)rp_stmt_int(st, 0));
                break;
            }
            plain[n - RP_SEAL_OVERHEAD] = 0;
            value = plain;
        }
        if ((rc = fn(ctx, rp_stmt_int(st, 0), rp_stmt_text(st, 1), rp_stmt_blob(st, 2), rp_stmt_bytes(st, 2),
                     value && *value ? value : NULL, err)))
            break;
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

int wh_current_contacts(wh *w, wh_party_contact_fn fn, void *ctx, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT party_id, kind, lookup, value, postal_code, country FROM contact_point "
                              "WHERE valid_to IS NULL",
                              &st, err);
    if (rc)
        return rc;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        wh_current_contact c = { rp_stmt_int(st, 0),  rp_stmt_text(st, 1), rp_stmt_text(st, 2),
                                 rp_stmt_text(st, 3), rp_stmt_text(st, 4), rp_stmt_text(st, 5) };
        if ((rc = fn(ctx, &c, err)))
            break;
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

#define ATTRS_SQL "SELECT id, " WH_PARTY_COLUMNS "updated_at FROM party WHERE resolved = 0"

/* The row's attributes as a wh_party, handed to fn. */
static int attrs_row(rp_stmt *st, wh_party_attrs_fn fn, void *ctx, rp_error *err)
{
    wh_party p;
    for (int a = 0; a < WH_NPARTY_ATTRS; a++)
        *wh_party_attr_slot(&p, a) = rp_stmt_text(st, a + 1);
    return fn(ctx, rp_stmt_int(st, 0), &p, rp_stmt_text(st, WH_NPARTY_ATTRS + 1), err);
}

int wh_source_party_attrs(wh *w, const int64_t *ids, size_t n, wh_party_attrs_fn fn, void *ctx, rp_error *err)
{
    rp_stmt *st;
    int rc;
    if (!ids) {
        if ((rc = rp_store_prepare(w->store, ATTRS_SQL, &st, err)))
            return rc;
        while ((rc = rp_stmt_step(st, err)) == RP_ROW)
            if ((rc = attrs_row(st, fn, ctx, err)))
                break;
        rp_stmt_done(st);
        return rc == RP_DONE ? RP_OK : rc;
    }
    for (size_t i = 0; i < n; i++) {
        if ((rc = rp_store_prepare(w->store, ATTRS_SQL " AND id = ?", &st, err)))
            return rc;
        rp_stmt_bind_int(st, 1, ids[i]);
        if ((rc = rp_stmt_step(st, err)) == RP_ROW)
            rc = attrs_row(st, fn, ctx, err);
        rp_stmt_done(st);
        if (rc && rc != RP_DONE)
            return rc;
    }
    return RP_OK;
}

/* ---- writing persons ---- */

/* A person's columns: the attributes it takes from its source parties
 * (WH_PA_PERSON), in list order, then status.  An attribute's flags are
 * one token, 0 or WH_PA_PERSON: another flag stops the build here rather
 * than pass unseen. */
#define PERSON_IF_0(x)
#define PERSON_IF_WH_PA_PERSON(x) x
#define PERSON_COLUMN(n, check, max, zh, en, flags) PERSON_IF_##flags(#n ", ")
#define PERSON_SET(n, check, max, zh, en, flags) PERSON_IF_##flags(#n " = ?, ")
#define PERSON_PARAM(n, check, max, zh, en, flags) PERSON_IF_##flags("?, ")
#define PERSON_FLAG(n, check, max, zh, en, flags) flags,
#define PERSON_COUNT(n, check, max, zh, en, flags) +((flags)&WH_PA_PERSON ? 1 : 0)
enum { NPERSON = 1 WH_PARTY_ATTRS(PERSON_COUNT) }; /* with status */

/* p's values of a person's columns, in their order. */
static void person_values(const wh_party *p, const char *v[NPERSON])
{
    static const int flags[] = { WH_PARTY_ATTRS(PERSON_FLAG) };
    int k = 0;
    for (int a = 0; a < WH_NPARTY_ATTRS; a++)
        if (flags[a] & WH_PA_PERSON)
            v[k++] = wh_party_attr(p, a);
    v[k] = p->status;
}

int wh_person_add(wh *w, const wh_party *p, const char *now, int64_t *id, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "INSERT INTO party(" WH_PARTY_ATTRS(PERSON_COLUMN) "status, created_at, updated_at, "
                              "resolved) VALUES (" WH_PARTY_ATTRS(PERSON_PARAM) "?, ?, ?, 1) RETURNING id",
                              &st, err);
    if (rc)
        return rc;
    const char *v[NPERSON];
    person_values(p, v);
    for (int a = 0; a < NPERSON; a++)
        rp_stmt_bind_text(st, a + 1, v[a]);
    rp_stmt_bind_text(st, NPERSON + 1, now);
    rp_stmt_bind_text(st, NPERSON + 2, now);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        *id = rp_stmt_int(st, 0);
        return rp_stmt_finish(st, err); /* committed at its end outside a transaction (store.h) */
    }
    if (rc == RP_DONE)
        rc = rp_err(err, RP_INTERNAL, "no id for the new person");
    rp_stmt_done(st);
    return rc;
}

int wh_person_update(wh *w, int64_t id, const wh_party *p, const char *now, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "UPDATE party SET " WH_PARTY_ATTRS(PERSON_SET) "status = ?, updated_at = ? WHERE id = ? "
                              "AND resolved = 1 AND (" WH_PARTY_ATTRS(PERSON_COLUMN) "status) IS DISTINCT FROM ("
                              WH_PARTY_ATTRS(PERSON_PARAM) "?)",
                              &st, err);
    if (rc)
        return rc;
    const char *v[NPERSON];
    person_values(p, v);
    for (int a = 0; a < NPERSON; a++) {
        rp_stmt_bind_text(st, a + 1, v[a]);
        rp_stmt_bind_text(st, a + NPERSON + 3, v[a]);
    }
    rp_stmt_bind_text(st, NPERSON + 1, now);
    rp_stmt_bind_int(st, NPERSON + 2, id);
    return rp_stmt_run(st, err);
}

int wh_party_set_merged(wh *w, int64_t party, int64_t person, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store, "UPDATE party SET merged_into = ? WHERE id = ? AND merged_into IS DISTINCT FROM ?", &st,
                              err);
    if (rc)
        return rc;
    if (person)
        rp_stmt_bind_int(st, 1, person);
    else
        rp_stmt_bind_null(st, 1);
    rp_stmt_bind_int(st, 2, party);
    if (person)
        rp_stmt_bind_int(st, 3, person);
    else
        rp_stmt_bind_null(st, 3);
    return rp_stmt_run(st, err);
}

/* ---- customers and their source parties ---- */

int wh_party_customer(wh *w, int64_t party, int64_t *customer, int64_t *member, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store, "SELECT coalesce(merged_into, id), resolved FROM party WHERE id = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, party);
    int resolved = 0;
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        *customer = rp_stmt_int(st, 0);
        resolved = (int)rp_stmt_int(st, 1);
    }
    rp_stmt_done(st);
    if (rc == RP_DONE)
        return rp_err(err, RP_NOTFOUND, "no party %lld", (long long)party);
    if (rc != RP_ROW)
        return rc;
    *member = party;
    if (!resolved)
        return RP_OK;
    if ((rc = rp_store_prepare(w->store, "SELECT min(id) FROM party WHERE merged_into = ?", &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, party);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW && rp_stmt_int(st, 0))
        *member = rp_stmt_int(st, 0);
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

int wh_person_members(wh *w, int64_t person, int64_t except, int64_t *ids, size_t max, size_t *n, rp_error *err)
{
    *n = 0;
    rp_stmt *st;
    int rc = rp_store_prepare(w->store, "SELECT id FROM party WHERE merged_into = ? AND id <> ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, person);
    rp_stmt_bind_int(st, 2, except);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW && *n < max)
        ids[(*n)++] = rp_stmt_int(st, 0);
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

static int count_of(wh *w, const char *sql, size_t *out, rp_error *err)
{
    int64_t v = 0;
    int rc = rp_store_query_int(w->store, sql, &v, err);
    if (!rc)
        *out = (size_t)v;
    return rc;
}

int wh_customer_count(wh *w, wh_customer_counts *out, rp_error *err)
{
    size_t alone = 0;
    memset(out, 0, sizeof *out);
    int rc = count_of(w, "SELECT count(*) FROM party WHERE resolved = 0 AND merged_into IS NULL", &alone, err);
    if (!rc)
        rc = count_of(w, "SELECT count(DISTINCT merged_into) FROM party WHERE resolved = 0 AND merged_into IS NOT NULL",
                      &out->customers, err);
    if (!rc) /* a source party alone may keep the number of the person it was */
        rc = count_of(w,
                      "SELECT count(*) FROM (SELECT 1 FROM party WHERE resolved = 0 AND merged_into IS NOT NULL "
                      "GROUP BY merged_into HAVING count(*) > 1) g",
                      &out->persons, err);
    if (!rc)
        rc = count_of(w, "SELECT count(*) FROM party WHERE resolved = 0", &out->records, err);
    out->customers += alone;
    return rc;
}

int wh_source_customers(wh *w, wh_source_customer_fn fn, void *ctx, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT r.source, r.source_key, coalesce(p.merged_into, p.id) FROM source_record r "
                              "JOIN party p ON p.id = r.entity_id WHERE r.entity = 'party' ORDER BY r.source, r.source_key",
                              &st, err);
    if (rc)
        return rc;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        if ((rc = fn(ctx, rp_stmt_text(st, 0), rp_stmt_text(st, 1), rp_stmt_int(st, 2), err)))
            break;
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}
