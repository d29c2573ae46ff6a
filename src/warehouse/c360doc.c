/* c360doc.c — the customer 360 as the API serves it, kept per customer.  See warehouse.h. */
#include "warehouse/internal.h"
#include "core/json.h"
#include "core/log.h"
#include "core/progress.h"
#include "core/rtime.h"
#include "security/security.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONTACTS_MEMBER ",\"contact_points\":"

void wh_c360doc_free(wh_c360doc *d)
{
    if (d) {
        free(d->json);
        d->json = NULL;
        d->len = 0;
    }
}

int wh_c360doc_read(wh *w, int64_t id, int show_contacts, const char *today, wh_c360doc *out, rp_error *err)
{
    memset(out, 0, sizeof *out);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              show_contacts
                                  ? "SELECT home_branch, fresh_until, main, contacts FROM c360_doc WHERE person = ?"
                                  : "SELECT home_branch, fresh_until, main, contacts_masked FROM c360_doc WHERE person = ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, id);
    rc = rp_stmt_step(st, err);
    if (rc != RP_ROW) {
        rp_stmt_done(st);
        return rc == RP_DONE ? rp_err(err, RP_NOTFOUND, "no kept document of customer %lld", (long long)id) : rc;
    }
    const char *fresh = rp_stmt_text(st, 1);
    if (fresh && today && strcmp(today, fresh) >= 0) {
        rp_stmt_done(st);
        return rp_err(err, RP_NOTFOUND, "the kept document of customer %lld is out of date", (long long)id);
    }
    const char *branch = rp_stmt_text(st, 0);
    snprintf(out->home_branch, sizeof out->home_branch, "%s", branch ? branch : "");
    size_t nm = rp_stmt_bytes(st, 2);
    const char *m = rp_stmt_text(st, 2);
    size_t nc = rp_stmt_bytes(st, 3);
    const char *c = rp_stmt_text(st, 3);
    size_t nk = strlen(CONTACTS_MEMBER);
    /* main ends in "{" only for an empty document, which is never kept */
    char *j = m && c ? malloc(nm + nk + nc + 3) : NULL;
    if (!j) {
        rp_stmt_done(st);
        return m && c ? rp_err(err, RP_NOMEM, NULL) : rp_err(err, RP_STORE, "customer %lld: a kept document is empty", (long long)id);
    }
    memcpy(j, m, nm);
    memcpy(j + nm, CONTACTS_MEMBER, nk);
    memcpy(j + nm + nk, c, nc);
    size_t n = nm + nk + nc;
    j[n++] = '}';
    j[n++] = '\n';
    j[n] = 0;
    rp_stmt_done(st);
    out->json = j;
    out->len = n;
    out->person = id;
    return RP_OK;
}

/* The first date after today on which the age of someone born on birth is
 * not what it is today; "" when the document does not show an age. */
static void fresh_until(json_t *party, char out[RP_DATE_LEN])
{
    out[0] = 0;
    const char *kind = json_string_value(json_object_get(party, "kind"));
    const char *bd = json_string_value(json_object_get(party, "birth_date"));
    rp_date b;
    if (!kind || strcmp(kind, "person") || !bd || rp_date_parse(bd, &b, NULL) != RP_OK)
        return;
    rp_date today = rp_time_taipei_date(rp_now());
    int age = rp_date_years_between(b, today);
    int64_t t = rp_days_from_civil(today.y, today.m, today.d);
    for (int k = 1; k <= 400; k++) {
        rp_date d = rp_civil_from_days(t + k);
        if (rp_date_years_between(b, d) != age) {
            rp_date_format(d, out);
            return;
        }
    }
}

/* Run sql with every placeholder bound to person. */
static int run_for(wh *w, const char *sql, int64_t person, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), sql, &st, err);
    if (rc)
        return rc;
    int k = 0;
    for (const char *p = sql; *p; p++)
        if (*p == '?')
            rp_stmt_bind_int(st, ++k, person);
    return rp_stmt_run(st, err);
}

#define MEMBERS "SELECT ? UNION SELECT id FROM party WHERE merged_into = ?"

static int keep(wh *w, json_t *doc, rp_error *err)
{
    unsigned long failures = rp_json_failures();
    json_t *party = json_object_get(doc, "party");
    int64_t person = json_integer_value(json_object_get(party, "id"));
    const char *branch = json_string_value(json_object_get(party, "home_branch"));
    char fresh[RP_DATE_LEN], built[RP_TIME_UTC_LEN];
    fresh_until(party, fresh);
    rp_time_format_utc(rp_now(), built);
    /* the contact points, in full and masked; the rest masked (accounts always) */
    json_t *full = json_deep_copy(json_object_get(doc, "contact_points"));
    sec_mask_c360_contacts(doc, 0);
    char *cf = full ? json_dumps(full, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    char *cm = json_dumps(json_object_get(doc, "contact_points"), JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(full);
    json_object_del(doc, "contact_points");
    char *m = json_dumps(doc, JSON_COMPACT);
    int rc = RP_OK;
    size_t nm = m ? strlen(m) : 0;
    /* kept only whole: jansson leaves a member out of a copy or a dump it could not allocate, and says
     * nothing (tests/faults) */
    if (!cf || !cm || nm < 3 || m[nm - 1] != '}' || rp_json_failures() != failures) {
        rc = rp_err(err, RP_NOMEM, NULL);
        goto out;
    }
    m[nm - 1] = 0; /* the closing brace goes after contact_points */
    if ((rc = rp_store_begin(wh_store(w), err)))
        goto out;
    rp_stmt *st;
    if ((rc = run_for(w, "DELETE FROM c360_doc WHERE person = ?", person, err)) ||
        (rc = rp_store_prepare(wh_store(w),
                               "INSERT INTO c360_doc(person, home_branch, fresh_until, built_at, main, contacts, "
                               "contacts_masked) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               &st, err))) {
        rp_store_rollback(wh_store(w));
        goto out;
    }
    rp_stmt_bind_int(st, 1, person);
    rp_stmt_bind_text(st, 2, branch);
    rp_stmt_bind_text(st, 3, fresh[0] ? fresh : NULL);
    rp_stmt_bind_text(st, 4, built);
    rp_stmt_bind_text(st, 5, m);
    rp_stmt_bind_text(st, 6, cf);
    rp_stmt_bind_text(st, 7, cm);
    if ((rc = rp_stmt_run(st, err)) ||
        /* what it was built from: its own source parties, the parties it is
         * linked to and the customers those belong to; and the accounts */
        (rc = run_for(w,
                      "WITH m(id) AS (" MEMBERS "), "
                      "o(id) AS (SELECT to_party FROM party_link WHERE from_party IN (SELECT id FROM m) "
                      "UNION SELECT from_party FROM party_link WHERE to_party IN (SELECT id FROM m)) "
                      "INSERT INTO c360_dep_party(party, person) SELECT * FROM ("
                      "SELECT id, ? FROM m UNION SELECT id, ? FROM o "
                      "UNION SELECT coalesce(p.merged_into, p.id), ? FROM o JOIN party p ON p.id = o.id) u "
                      "WHERE true ON CONFLICT DO NOTHING",
                      person, err)) ||
        (rc = run_for(w,
                      "WITH m(id) AS (" MEMBERS ") "
                      "INSERT INTO c360_dep_account(account, person) "
                      "SELECT DISTINCT account_id, ? FROM party_account WHERE party_id IN (SELECT id FROM m) "
                      "ON CONFLICT DO NOTHING",
                      person, err)) ||
        (rc = run_for(w, "DELETE FROM c360_stale WHERE person = ?", person, err))) {
        rp_store_rollback(wh_store(w));
        goto out;
    }
    rc = rp_store_commit(wh_store(w), err);
out:
    free(cf);
    free(cm);
    free(m);
    return rc;
}

int wh_c360doc_build(wh *w, int64_t id, rp_error *err)
{
    json_t *doc;
    int rc = wh_c360(w, id, 0, &doc, err);
    if (rc == RP_OK) {
        rc = keep(w, doc, err);
        json_decref(doc);
    }
    /* a source party now part of another customer, or gone: nothing to build for it */
    if (rc == RP_OK || rc == RP_NOTFOUND) {
        rp_error e2 = RP_ERROR_INIT;
        int r2 = run_for(w, "DELETE FROM c360_stale WHERE person = ?", id, &e2);
        if (r2) {
            *err = e2;
            return r2;
        }
    }
    return rc;
}

int wh_c360doc_count(wh *w, int64_t *kept, int64_t *customers, int64_t *stale, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT (SELECT count(*) FROM c360_doc), "
                              "(SELECT count(*) FROM party WHERE merged_into IS NULL), "
                              "(SELECT count(*) FROM c360_stale)",
                              &st, err);
    if (rc)
        return rc;
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        *kept = rp_stmt_int(st, 0);
        *customers = rp_stmt_int(st, 1);
        if (stale)
            *stale = rp_stmt_int(st, 2);
        rc = RP_OK;
    }
    rp_stmt_done(st);
    return rc;
}

int wh_c360doc_pending(wh *w, int64_t *ids, int max, int *got, rp_error *err)
{
    char today[RP_DATE_LEN];
    rp_date_format(rp_time_taipei_date(rp_now()), today);
    rp_stmt *st;
    *got = 0;
    /* those a change deleted, new ones, and those out of date by age */
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT person FROM (SELECT person FROM c360_stale ORDER BY person LIMIT ?1) s "
                              "UNION SELECT person FROM (SELECT person FROM c360_doc WHERE fresh_until <= ?2 "
                              "ORDER BY fresh_until LIMIT ?1) d ORDER BY 1 LIMIT ?1",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, max);
    rp_stmt_bind_text(st, 2, today);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW && *got < max)
        ids[(*got)++] = rp_stmt_int(st, 0);
    rp_stmt_done(st);
    return rc == RP_DONE || rc == RP_ROW ? RP_OK : rc;
}

/* Up to n customers after cursor: every one. */
static int next_all(wh *w, int64_t cursor, int n, int64_t *ids, int *got, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "SELECT id FROM party WHERE id > ? AND merged_into IS NULL ORDER BY id LIMIT ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, cursor);
    rp_stmt_bind_int(st, 2, n);
    *got = 0;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        ids[(*got)++] = rp_stmt_int(st, 0);
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

int wh_c360doc_refresh(wh *w, int all, int64_t max, int batch, int progress, wh_c360doc_stats *stats, rp_error *err)
{
    wh_c360doc_stats z = { 0 };
    wh_c360doc_stats *s = stats ? stats : &z;
    memset(s, 0, sizeof *s);
    double t0 = rp_monotonic();
    if (batch <= 0 || batch > 10000)
        batch = 500;
    int64_t *ids = malloc((size_t)batch * sizeof *ids);
    if (!ids)
        return rp_err(err, RP_NOMEM, NULL);
    int64_t kept = 0, customers = 0, stale = 0;
    int rc = wh_c360_catch_up(w, NULL, err);
    if (!rc)
        rc = wh_c360doc_count(w, &kept, &customers, &stale, err);
    rp_progress pg;
    if (progress)
        rp_progress_start(&pg, "customer 360 documents", (uint64_t)(all ? customers : stale));
    int64_t at = 0;
    while (!rc && (!max || s->built < max)) {
        int n = batch, got;
        if (max && max - s->built < n)
            n = (int)(max - s->built);
        if ((rc = all ? next_all(w, at, n, ids, &got, err) : wh_c360doc_pending(w, ids, n, &got, err)) || !got)
            break;
        if ((rc = rp_store_begin(wh_store(w), err)))
            break;
        for (int i = 0; i < got && !rc; i++)
            if ((rc = wh_c360doc_build(w, ids[i], err)) == RP_NOTFOUND) {
                rp_err_clear(err);
                rc = RP_OK;
            }
        if (rc) {
            rp_store_rollback(wh_store(w));
            break;
        }
        if ((rc = rp_store_commit(wh_store(w), err)))
            break;
        at = ids[got - 1];
        s->built += got;
        if (progress)
            rp_progress_update(&pg, (uint64_t)s->built);
    }
    if (progress)
        rp_progress_finish(&pg);
    free(ids);
    if (!rc)
        rc = wh_c360doc_count(w, &s->kept, &s->customers, NULL, err);
    s->seconds = rp_monotonic() - t0;
    return rc;
}

int wh_c360doc_verify(wh *w, int every, int64_t *checked, int64_t *differ, rp_error *err)
{
    *checked = *differ = 0;
    if (every < 1)
        every = 1;
    char today[RP_DATE_LEN];
    rp_date_format(rp_time_taipei_date(rp_now()), today);
    int64_t at = 0;
    int rc = RP_OK;
    for (;;) {
        int64_t ids[256];
        int got = 0;
        rp_stmt *st;
        if ((rc = rp_store_prepare(wh_store(w), "SELECT person FROM c360_doc WHERE person > ? ORDER BY person LIMIT 256",
                                   &st, err)))
            return rc;
        rp_stmt_bind_int(st, 1, at);
        while ((rc = rp_stmt_step(st, err)) == RP_ROW)
            ids[got++] = rp_stmt_int(st, 0);
        rp_stmt_done(st);
        if (rc != RP_DONE)
            return rc;
        if (!got)
            return RP_OK;
        at = ids[got - 1];
        for (int i = 0; i < got; i++) {
            if (ids[i] % every)
                continue;
            for (int show = 0; show < 2; show++) {
                wh_c360doc d;
                json_t *live;
                rp_error e2 = RP_ERROR_INIT;
                if ((rc = wh_c360doc_read(w, ids[i], show, today, &d, &e2)) == RP_NOTFOUND)
                    break; /* out of date by age: not served, nothing to compare */
                if (rc) {
                    *err = e2;
                    return rc;
                }
                if ((rc = wh_c360(w, ids[i], 0, &live, err))) {
                    wh_c360doc_free(&d);
                    return rc;
                }
                sec_mask_c360_contacts(live, show);
                json_t *kept = json_loadb(d.json, d.len, 0, NULL);
                (*checked)++;
                if (!kept || !json_equal(kept, live)) {
                    (*differ)++;
                    rp_log(RP_LOG_WARN, "customer %lld: the kept 360 (contacts %s) differs from the warehouse's",
                           (long long)ids[i], show ? "shown" : "masked");
                }
                json_decref(kept);
                json_decref(live);
                wh_c360doc_free(&d);
            }
        }
    }
}
