/* lists.c — calling lists: a supervisor gives customers to an outbound agent to call; the agent
 * reads their own list, with the numbers to dial, and sees those numbers on the customer's 360
 * (customers.c) while the list runs.  See api.h and warehouse.h (calling lists). */
#include "api/internal.h"
#include "core/json.h"
#include "core/rtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_MAX_CUSTOMERS 10000 /* customers given in one call */

static void taipei_today(char out[RP_DATE_LEN]) { rp_date_format(rp_time_taipei_date(rp_now()), out); }

/* The customers of a list into the audit entry (those that fit), and their numbers masked for a
 * viewer who may see no contact (the phones are read in full). */
static void shown_and_masked(api_req *rq, json_t *list, int show)
{
    size_t i;
    json_t *e;
    int full = 0;
    json_array_foreach(list, i, e) {
        /* the ids that fit, whole; the entry's detail says how many there were */
        if (!full && api_shown_add(rq, json_integer_value(json_object_get(e, "customer"))))
            full = 1;
        size_t j;
        json_t *ph;
        json_array_foreach(json_object_get(e, "phones"), j, ph) {
            const char *v = json_string_value(json_object_get(ph, "value"));
            char m[WH_CONTACT_VALUE_MAX + 1];
            if (show || !v)
                continue;
            sec_mask_phone(v, m, sizeof m);
            json_object_set_new(ph, "value", json_string(m));
        }
    }
}

static int reply_list(api_req *rq, api_resp *rs, const char *agent, const char *list, int show)
{
    int limit, st;
    if ((st = api_limit(rq, rs, 500, 5000, &limit)))
        return st;
    char today[RP_DATE_LEN];
    taipei_today(today);
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    if (wh_calllist_read(rq->w, agent, list, today, limit, &a, &err))
        return api_fail(rs, &err);
    shown_and_masked(rq, a, show);
    snprintf(rq->detail, sizeof rq->detail, "agent=%.40s list=%.80s: %zu", agent ? agent : "", list ? list : "",
             json_array_size(a));
    return api_ok(rs, json_pack("{s:s, s:o}", "today", today, "entries", a));
}

/* GET /calling-list: the agent's own, the numbers in full. */
int api_calllist_mine(api_req *rq, api_resp *rs) { return reply_list(rq, rs, rq->session.user.name, NULL, 1); }

/* GET /calling-lists?agent=&list=: every list, for the supervisor who makes them. */
int api_calllists(api_req *rq, api_resp *rs)
{
    return reply_list(rq, rs, api_query(rq, "agent"), api_query(rq, "list"), api_can(rq, SEC_P_CONTACTS));
}

/* The agent must be a user who may dial: 0, or the reply's status (422 naming body.agent). */
static int agent_ok(api_req *rq, api_resp *rs, const char *agent)
{
    rp_error err = RP_ERROR_INIT;
    int rc = sec_user_can(wh_store(rq->w), agent, SEC_P_DIAL, &err);
    if (rc == RP_NOTFOUND || rc == RP_DENIED)
        return api_error(rs, 422, "invalid", "body.agent: %s", rp_errmsg(&err));
    return rc ? api_fail(rs, &err) : 0;
}

/* body.customers[i], a customer's id or any key a search takes (a national ID, a phone, an account),
 * as the customer: 0, or the reply's status (422 naming the member). */
static int customer_at(api_req *rq, api_resp *rs, json_t *v, size_t i, int64_t *id)
{
    rp_error err = RP_ERROR_INIT;
    char key[128];
    if (json_is_integer(v) && json_integer_value(v) > 0)
        snprintf(key, sizeof key, "id:%lld", (long long)json_integer_value(v));
    else if (json_is_string(v) && json_string_length(v) > 0 && json_string_length(v) < sizeof key)
        snprintf(key, sizeof key, "%s", json_string_value(v));
    else
        return api_error(rs, 422, "invalid", "body.customers[%zu]: a customer's id or a key to find them by", i);
    int rc = wh_find_record(rq->w, key, id, &err); /* the record named: see wh_calllist_add */
    if (rc == RP_NOTFOUND)
        return api_error(rs, 422, "invalid", "body.customers[%zu]: no customer '%.60s'", i, json_is_string(v) ? key : key + 3);
    if (rc == RP_AMBIGUOUS)
        return api_error(rs, 422, "invalid", "body.customers[%zu]: '%.60s' names more than one customer; give the "
                         "customer's id", i, key);
    return rc ? api_fail(rs, &err) : 0;
}

/* POST /calling-lists {list, agent, customers, until?}: whole or not at all. */
int api_calllist_add(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "list", "agent", "customers", "until", NULL };
    const char *list = NULL, *agent = NULL, *until = NULL;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) || rp_json_get_str(rq->body, "body", "list", 1, &list, &err) ||
        rp_json_get_str(rq->body, "body", "agent", 1, &agent, &err) ||
        rp_json_get_str(rq->body, "body", "until", 0, &until, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    json_t *cs = json_object_get(rq->body, "customers");
    size_t n = json_array_size(cs);
    if (!json_is_array(cs) || !n || n > LIST_MAX_CUSTOMERS)
        return api_error(rs, 422, "invalid", "body.customers: an array of 1 to %d customers", LIST_MAX_CUSTOMERS);
    int st;
    if ((st = api_body_max(rs, "list", list, WH_LIST_NAME_MAX)) || (st = agent_ok(rq, rs, agent)))
        return st;
    int64_t *ids = malloc(n * sizeof *ids);
    if (!ids)
        return api_error(rs, 500, "internal", "something went wrong on the server; it has been logged");
    for (size_t i = 0; i < n; i++)
        if ((st = customer_at(rq, rs, json_array_get(cs, i), i, &ids[i]))) {
            free(ids);
            return st;
        }
    int added = 0, rc = wh_begin(rq->w, &err);
    if (!rc)
        rc = wh_calllist_add(rq->w, list, agent, ids, (int)n, until, rq->session.user.name, &added, &err);
    if (!rc)
        rc = wh_commit(rq->w, &err);
    free(ids);
    if (rc) {
        wh_rollback(rq->w);
        return api_fail_body(rs, &err, "body");
    }
    snprintf(rq->detail, sizeof rq->detail, "list %.80s for %.40s: %d added of %zu", list, agent, added, n);
    json_t *out = json_pack("{s:s, s:s, s:i, s:i}", "list", list, "agent", agent, "added", added, "already",
                            (int)n - added);
    if (until && *until)
        rp_json_set_str(out, "until", until);
    return api_created(rs, out);
}

/* DELETE /calling-lists/{list}?agent=&customer=: taken off, kept on record. */
int api_calllist_remove(api_req *rq, api_resp *rs)
{
    const char *agent = api_query(rq, "agent"), *c = api_query(rq, "customer");
    int ok = 1;
    int64_t party = c ? api_int(c, 1, INT64_MAX, &ok) : 0;
    if (!ok)
        return api_error(rs, 422, "invalid", "customer: a customer's id");
    int64_t removed = 0;
    rp_error err = RP_ERROR_INIT;
    int rc = wh_begin(rq->w, &err);
    if (!rc)
        rc = wh_calllist_remove(rq->w, rq->param[0], agent, party, rq->session.user.name, &removed, &err);
    if (!rc)
        rc = wh_commit(rq->w, &err);
    if (rc) {
        wh_rollback(rq->w);
        return api_fail(rs, &err);
    }
    if (!removed)
        return api_error(rs, 404, "not_found", "list '%.80s' has no such entry running", rq->param[0]);
    snprintf(rq->detail, sizeof rq->detail, "list %.80s agent=%.40s customer=%lld: %lld removed", rq->param[0],
             agent ? agent : "", (long long)party, (long long)removed);
    return api_ok(rs, json_pack("{s:s, s:I}", "list", rq->param[0], "removed", (json_int_t)removed));
}
