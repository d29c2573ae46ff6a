/* calllist.c — calling lists: the customers an outbound agent has been given to call (migration
 * 0021).  Who may make them and who may dial is the API's and the CLI's to check (security.h: the
 * lists and dial permissions); here they are kept and read.  See warehouse.h. */
#include "warehouse/internal.h"

#include <stdio.h>
#include <string.h>

static int check_list(const char *list, const char *agent, rp_error *err)
{
    int rc;
    if ((rc = wh__text_ok("list", list, WH_LIST_NAME_MAX, 1, err)) ||
        (rc = wh__text_ok("agent", agent, WH_LIST_NAME_MAX, 1, err)))
        return rc;
    for (const char *p = list; *p; p++) {
        if ((unsigned char)*p < 0x20)
            return rp_err(err, RP_INVAL, "list: '%s' has a control character", list);
        if (*p == '/') /* a list is named in a path (DELETE /calling-lists/{list}) */
            return rp_err(err, RP_INVAL, "list: '%s': a list's name may not hold '/'", list);
    }
    return RP_OK;
}

int wh_calllist_add(wh *w, const char *list, const char *agent, const int64_t *parties, int n, const char *until,
                    const char *by, int *added, rp_error *err)
{
    int rc = check_list(list, agent, err);
    if (rc)
        return rc;
    rp_date d;
    char day[RP_DATE_LEN];
    if (until && *until) {
        if (rp_date_parse(until, &d, NULL) || strlen(until) != 10)
            return rp_err(err, RP_INVAL, "until: '%.20s' is not a date (YYYY-MM-DD)", until);
        rp_date_format(d, day);
    }
    char now[RP_TIME_UTC_LEN], today[RP_DATE_LEN];
    rp_time_format_utc(rp_now(), now);
    rp_date_format(rp_time_taipei_date(rp_now()), today);
    *added = 0;
    /* The party the key named is kept, not the customer it is merged into today: read through merges,
     * an entry follows the person, and an unmerge cannot hand the agent another customer's numbers. A
     * customer is on a list once while it runs; an entry that has ended is closed, and a new one made. */
    static const char *const sql[2] = {
        "UPDATE calling_list SET removed_at = ?5, removed_by = ?6 WHERE list = ?1 AND agent = ?2 "
        "AND removed_at IS NULL AND until < ?4 AND party_id IN (SELECT id FROM party WHERE coalesce(merged_into, id) = "
        "(SELECT coalesce(merged_into, id) FROM party WHERE id = ?3))",
        "INSERT INTO calling_list(list, agent, party_id, until, added_at, added_by) "
        "SELECT ?1, ?2, p.id, ?4, ?5, ?6 FROM party p WHERE p.id = ?3 AND NOT EXISTS (SELECT 1 FROM calling_list c "
        "JOIN party cp ON cp.id = c.party_id WHERE c.list = ?1 AND c.agent = ?2 AND c.removed_at IS NULL "
        "AND coalesce(cp.merged_into, cp.id) = coalesce(p.merged_into, p.id))",
    };
    for (int i = 0; i < n; i++) {
        if ((rc = wh_party_exists(w, parties[i], err)) == RP_NOTFOUND)
            return rp_err(err, RP_NOTFOUND, "customers[%d]: no customer %lld", i, (long long)parties[i]);
        for (int k = 0; k < 2 && !rc; k++) {
            rp_stmt *st;
            if ((rc = rp_store_prepare(w->store, sql[k], &st, err)))
                return rc;
            rp_stmt_bind_text(st, 1, list);
            rp_stmt_bind_text(st, 2, agent);
            rp_stmt_bind_int(st, 3, parties[i]);
            /* ?4: the day the entries before it ended (closing), or the new entry's last day */
            rp_stmt_bind_text(st, 4, k == 0 ? today : until && *until ? day : NULL);
            rp_stmt_bind_text(st, 5, now);
            rp_stmt_bind_text(st, 6, by);
            if ((rc = rp_stmt_run(st, err)))
                return rc;
            if (k == 1)
                *added += rp_store_changes(w->store) > 0;
        }
        if (rc)
            return rc;
    }
    return RP_OK;
}

int wh_calllist_remove(wh *w, const char *list, const char *agent, int64_t party, const char *by, int64_t *removed,
                       rp_error *err)
{
    int rc = wh__text_ok("list", list, WH_LIST_NAME_MAX, 1, err);
    if (rc)
        return rc;
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    rp_stmt *st;
    if ((rc = rp_store_prepare(w->store,
                               "UPDATE calling_list SET removed_at = ?4, removed_by = ?5 WHERE list = ?1 "
                               "AND (CAST(?2 AS TEXT) IS NULL OR agent = ?2) AND removed_at IS NULL "
                               "AND (CAST(?3 AS BIGINT) IS NULL OR party_id IN (SELECT id FROM party WHERE "
                               "coalesce(merged_into, id) = (SELECT coalesce(merged_into, id) FROM party WHERE id = ?3)))",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, list);
    rp_stmt_bind_text(st, 2, agent);
    if (party)
        rp_stmt_bind_int(st, 3, party);
    else
        rp_stmt_bind_null(st, 3);
    rp_stmt_bind_text(st, 4, now);
    rp_stmt_bind_text(st, 5, by);
    if ((rc = rp_stmt_run(st, err)))
        return rc;
    *removed = rp_store_changes(w->store);
    return RP_OK;
}

int wh_calllist_on(wh *w, const char *agent, int64_t party, const char *today, int *on, rp_error *err)
{
    rp_stmt *st;
    /* the list names the customer as they were when added: one merged into this one since counts */
    int rc = rp_store_prepare(w->store,
                              "SELECT 1 FROM calling_list c WHERE c.agent = ?1 AND c.removed_at IS NULL "
                              "AND (c.until IS NULL OR c.until >= ?3) AND c.party_id IN "
                              "(SELECT ?2 UNION ALL SELECT id FROM party WHERE merged_into = ?2) LIMIT 1",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, agent);
    rp_stmt_bind_int(st, 2, party);
    rp_stmt_bind_text(st, 3, today);
    return wh__exists(st, on, err);
}

/* The phones of a customer in force, mobile and primary first: [{kind, value}]. */
static int phones_of(wh *w, int64_t party, json_t **out, rp_error *err)
{
    json_t *a = json_array();
    int rc = wh__rows(w,
                      "SELECT kind, value FROM contact_point WHERE party_id IN (" WH__MEMBERS ") "
                      "AND kind IN ('mobile', 'phone') AND valid_to IS NULL "
                      "ORDER BY kind = 'mobile' DESC, is_primary DESC, id",
                      party, a, -1, err);
    if (rc) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return RP_OK;
}

int wh_phones(wh *w, int64_t party, json_t **out, rp_error *err) { return phones_of(w, party, out, err); }

int wh_calllist_read(wh *w, const char *agent, const char *list, const char *today, int limit, json_t **out,
                     rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(
        w->store,
        "SELECT c.list, c.agent, p.id, p.name_zh, p.name_latin, p.home_branch, c.until, c.added_at, c.added_by, "
        "(SELECT max(i.at) FROM interaction i JOIN party ip ON ip.id = i.party_id "
        "WHERE coalesce(ip.merged_into, ip.id) = p.id) "
        "FROM calling_list c JOIN party s ON s.id = c.party_id JOIN party p ON p.id = coalesce(s.merged_into, s.id) "
        "WHERE c.removed_at IS NULL AND (c.until IS NULL OR c.until >= ?3) "
        "AND (CAST(?1 AS TEXT) IS NULL OR c.agent = ?1) AND (CAST(?2 AS TEXT) IS NULL OR c.list = ?2) "
        "ORDER BY c.list, c.agent, c.id LIMIT ?4",
        &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, agent);
    rp_stmt_bind_text(st, 2, list);
    rp_stmt_bind_text(st, 3, today);
    rp_stmt_bind_int(st, 4, limit);
    static const char *const names[] = { "list",  "agent",    "customer", "name_zh",  "name_latin",
                                         "home_branch", "until", "added_at", "added_by", "last_contact" };
    json_t *a = json_array();
    rc = wh__rows_named(st, names, (int)(sizeof names / sizeof names[0]), a, err);
    size_t i;
    json_t *o;
    json_array_foreach(a, i, o) {
        json_t *ph;
        if (rc || (rc = phones_of(w, json_integer_value(json_object_get(o, "customer")), &ph, err)))
            break;
        json_object_set_new(o, "phones", ph);
    }
    if (rc) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return RP_OK;
}
