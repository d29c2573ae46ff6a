/* manager.c — who looks after a customer and what marketing's event rules read one customer or
 * account at a time (issue 24): relationship managers (migration 0027) and where a lead goes, the
 * complaints opened since a point, an account's holder and its own history.  See warehouse.h. */
#include "warehouse/internal.h"

#include <stdio.h>
#include <string.h>

int wh_manager_put(wh *w, const wh_manager *m, rp_error *err)
{
    char a[11];
    const char *since;
    int rc;
    if ((rc = wh__text_ok("manager.manager", m->manager, 32, 1, err)) ||
        (rc = wh_date_normalise("manager.since", m->since, a, &since, err)))
        return rc;
    for (const char *p = m->manager; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
            return rp_err(err, RP_INVAL, "manager.manager: '%s' is not a user name (a-z, 0-9, '.', '_', '-')",
                          m->manager);
    if ((rc = wh_party_exists(w, m->party_id, err)) == RP_NOTFOUND)
        return rp_err(err, RP_NOTFOUND, "manager.party: no customer %lld", (long long)m->party_id);
    if (rc)
        return rc;
    rp_stmt *st;
    if ((rc = rp_store_prepare(w->store,
                               "INSERT INTO party_manager(party_id, manager, since, source, job_id) VALUES (?,?,?,?,?) "
                               "ON CONFLICT(party_id) DO UPDATE SET manager = excluded.manager, since = excluded.since, "
                               "source = excluded.source, job_id = excluded.job_id",
                               &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, m->party_id);
    rp_stmt_bind_text(st, 2, m->manager);
    rp_stmt_bind_text(st, 3, since);
    rp_stmt_bind_text(st, 4, m->source);
    if (m->job_id)
        rp_stmt_bind_int(st, 5, m->job_id);
    else
        rp_stmt_bind_null(st, 5);
    return rp_stmt_run(st, err);
}

int wh_customer_route(wh *w, int64_t customer, char manager[WH_MANAGER_MAX + 1], char branch[16], rp_error *err)
{
    rp_stmt *st;
    *manager = 0;
    /* the customer's or any of its source parties' (the newest assignment) */
    int rc = rp_store_prepare(w->store,
                              "SELECT m.manager FROM party_manager m JOIN party p ON p.id = m.party_id WHERE p.id = ?1 "
                              "OR p.merged_into = ?1 ORDER BY coalesce(m.since, '') DESC, m.party_id LIMIT 1",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, customer);
    if ((rc = wh__one_text(st, manager, WH_MANAGER_MAX + 1, err)))
        return rc;
    *branch = 0;
    if ((rc = rp_store_prepare(w->store,
                               "SELECT home_branch FROM party WHERE (id = ?1 OR merged_into = ?1) AND home_branch IS "
                               "NOT NULL ORDER BY id = ?1 DESC, updated_at DESC LIMIT 1",
                               &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, customer);
    return wh__one_text(st, branch, 16, err);
}

int wh_complaints_after(wh *w, int64_t after, wh_complaint_fn fn, void *ctx, int64_t *last, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT i.id, coalesce(p.merged_into, p.id), i.at, i.reason FROM interaction i "
                              "JOIN party p ON p.id = i.party_id WHERE i.kind = 'complaint' AND i.id > ? ORDER BY i.id",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, after);
    *last = after;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        *last = rp_stmt_int(st, 0);
        if ((rc = fn(ctx, rp_stmt_int(st, 0), rp_stmt_int(st, 1), rp_stmt_text(st, 2), rp_stmt_text(st, 3), err)))
            break;
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

int wh_account_holder(wh *w, int64_t account, int64_t *customer, char currency[4], rp_error *err)
{
    rp_stmt *st;
    *customer = 0;
    int rc = rp_store_prepare(w->store,
                              "SELECT coalesce(p.merged_into, p.id), a.currency FROM account a "
                              "JOIN party_account pa ON pa.account_id = a.id JOIN party p ON p.id = pa.party_id "
                              "WHERE a.id = ? ORDER BY pa.role <> 'owner', pa.party_id LIMIT 1",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, account);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        *customer = rp_stmt_int(st, 0);
        snprintf(currency, 4, "%s", rp_stmt_text(st, 1) ? rp_stmt_text(st, 1) : "");
    }
    rp_stmt_done(st);
    if (rc == RP_DONE)
        return rp_err(err, RP_NOTFOUND, "account %lld has no holder", (long long)account);
    return rc == RP_ROW ? RP_OK : rc;
}

int wh_account_history(wh *w, int64_t account, wh_history_fn fn, void *ctx, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT id, posted_at, amount_minor, channel, class, currency FROM txn "
                              "WHERE account_id = ? ORDER BY id",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, account);
    wh_txn_item t;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        t.id = rp_stmt_int(st, 0);
        t.account_id = account;
        t.posted_at = rp_stmt_text(st, 1);
        t.amount_minor = rp_stmt_int(st, 2);
        t.channel = -1;
        for (int i = 0; rp_stmt_text(st, 3) && wh_txn_channels[i]; i++)
            if (!strcmp(wh_txn_channels[i], rp_stmt_text(st, 3)))
                t.channel = i;
        t.class_ = rp_stmt_text(st, 4);
        t.currency = rp_stmt_text(st, 5);
        if ((rc = fn(ctx, &t, err)))
            break;
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

int wh_txn_newest(wh *w, char day[11], rp_error *err)
{
    rp_stmt *st;
    *day = 0;
    int rc = rp_store_prepare(w->store, wh__txn_rows(w) ? "SELECT txn_newest()" /* PostgreSQL's 0033 */
                                                        : "SELECT substr(max(last_at), 1, 10) FROM txn_block",
                              &st, err);
    if (rc)
        return rc;
    return wh__one_text(st, day, 11, err);
}

int wh_product_opened(wh *w, int64_t customer, const char *product, const char *from, const char *to, int *yes,
                      rp_error *err)
{
    rp_stmt *st;
    *yes = 0;
    int rc = rp_store_prepare(w->store,
                              "SELECT 1 FROM account a JOIN party_account pa ON pa.account_id = a.id "
                              "JOIN party p ON p.id = pa.party_id WHERE (p.id = ?1 OR p.merged_into = ?1) "
                              "AND a.product = ?2 AND a.opened_on >= ?3 AND a.opened_on <= ?4 LIMIT 1",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, customer);
    rp_stmt_bind_text(st, 2, product);
    rp_stmt_bind_text(st, 3, from);
    rp_stmt_bind_text(st, 4, to);
    return wh__exists(st, yes, err);
}

int wh_campaign_target_of(wh *w, const char *code, int64_t customer, char grp[16], char cell[33], rp_error *err)
{
    rp_stmt *st;
    *grp = *cell = 0;
    int rc = rp_store_prepare(w->store,
                              "SELECT t.grp, t.cell FROM campaign_target t JOIN party p ON p.id = t.party_id "
                              "WHERE t.campaign = ?1 AND (p.id = ?2 OR p.merged_into = ?2) "
                              "ORDER BY t.grp = 'treatment' DESC LIMIT 1",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    rp_stmt_bind_int(st, 2, customer);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        snprintf(grp, 16, "%s", rp_stmt_text(st, 0));
        snprintf(cell, 33, "%s", rp_stmt_text(st, 1) ? rp_stmt_text(st, 1) : "");
    }
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

int wh_customer_marketable(wh *w, int64_t customer, int64_t now, int *staff, int *complaint, int *age, rp_error *err)
{
    char today[RP_DATE_LEN];
    rp_date t = rp_time_taipei_date(now);
    rp_date_format(t, today);
    *age = -1;
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT 1 FROM staff_member s JOIN party p ON p.id = s.party_id WHERE (p.id = ?1 OR "
                              "p.merged_into = ?1) AND (s.until IS NULL OR s.until >= ?2) LIMIT 1",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, customer);
    rp_stmt_bind_text(st, 2, today);
    if ((rc = wh__exists(st, staff, err)) ||
        (rc = rp_store_prepare(w->store,
                               "SELECT 1 FROM interaction i JOIN party p ON p.id = i.party_id WHERE (p.id = ?1 OR "
                               "p.merged_into = ?1) AND i.kind = 'complaint' AND i.resolved_at IS NULL LIMIT 1",
                               &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, customer);
    if ((rc = wh__exists(st, complaint, err)) ||
        (rc = rp_store_prepare(w->store, "SELECT birth_date FROM party WHERE id = ? AND kind = 'person'", &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, customer);
    rp_date b;
    rp_error e = RP_ERROR_INIT;
    if ((rc = rp_stmt_step(st, err)) == RP_ROW && rp_stmt_text(st, 0) && !rp_date_parse(rp_stmt_text(st, 0), &b, &e))
        *age = rp_date_years_between(b, t);
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}
