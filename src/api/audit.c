/* audit.c — the audit trail, for auditors: listed by pages (a keyset cursor,
 * with the total the filter selects) and exported whole, streamed.  See api.h. */
#include "api/internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* since=, until=, user=, action=, customer=: 0, or the reply's status (422 naming the argument). */
static int audit_filter(api_req *rq, api_resp *rs, sec_audit_filter *f)
{
    *f = (sec_audit_filter){ .since = api_query(rq, "since"), .until = api_query(rq, "until"),
                             .user = api_query(rq, "user"), .action = api_query(rq, "action") };
    int ok = 1;
    const char *c = api_query(rq, "customer");
    if (c)
        f->customer = api_int(c, 1, INT64_MAX, &ok);
    if (!ok)
        return api_error(rs, 422, "invalid", "customer: a customer id");
    const char *a = api_query(rq, "after");
    if (a)
        f->before = api_int(a, 1, INT64_MAX, &ok);
    if (!ok)
        return api_error(rs, 422, "invalid", "after: an entry's id, as the listing's next gave it");
    snprintf(rq->detail, sizeof rq->detail, "since=%.30s until=%.30s user=%.40s action=%.30s customer=%lld",
             f->since ? f->since : "", f->until ? f->until : "", f->user ? f->user : "",
             f->action ? f->action : "", (long long)f->customer);
    return 0;
}

int api_audit_list(api_req *rq, api_resp *rs)
{
    sec_audit_filter f;
    int st;
    if ((st = audit_filter(rq, rs, &f)) || (st = api_limit(rq, rs, 100, 10000, &f.limit)))
        return st;
    json_t *a;
    int64_t total = 0;
    rp_error err = RP_ERROR_INIT;
    f.limit++; /* one more than asked says whether a page follows */
    /* everything written so far, including what the journal still holds */
    if (api_audit_flush(rq, &err) || sec_audit_query(wh_store(rq->w), &f, &a, &err))
        return api_fail(rs, &err);
    f.limit--;
    /* the total is the filter's, wherever the page stands */
    sec_audit_filter all = f;
    all.before = 0;
    if (sec_audit_count(wh_store(rq->w), &all, &total, NULL, &err)) {
        json_decref(a);
        return api_fail(rs, &err);
    }
    json_t *next = json_null();
    if (json_array_size(a) > (size_t)f.limit) {
        json_array_remove(a, (size_t)f.limit);
        next = json_integer(json_integer_value(json_object_get(json_array_get(a, (size_t)f.limit - 1), "id")));
    }
    return api_ok(rs, json_pack("{s:o, s:I, s:o}", "entries", a, "total", (json_int_t)total, "next", next));
}

/* ---- the export, streamed: every entry the filter selects ---- */

typedef struct audit_export {
    sec_audit_filter f;        /* before: the page's start, moving down */
    char since[40], until[40], user[80], action[48];
    int64_t left;              /* as counted and audited */
    int started;
} audit_export;

static int audit_more(void *state, wh *w, rp_buf *out, rp_error *err)
{
    audit_export *x = state;
    if (!x->started) {
        rp_buf_append(out, "\xEF\xBB\xBF", 3); /* a byte-order mark: Excel then reads the UTF-8 as such */
        sec_audit_csv_header(out);
        x->started = 1;
    }
    if (x->left <= 0)
        return API_STREAM_END;
    x->f.limit = x->left < 1000 ? (int)x->left : 1000;
    int n;
    int64_t last = 0;
    int rc = sec_audit_csv_page(wh_store(w), &x->f, out, &n, &last, err);
    if (rc)
        return rc;
    x->left -= n;
    x->f.before = last;
    return n < x->f.limit ? API_STREAM_END : RP_OK;
}

/* A copy of a query's text the export keeps (the connection's may go): NULL stays NULL. */
static const char *keep(const char *v, char *to, size_t n)
{
    if (!v)
        return NULL;
    snprintf(to, n, "%s", v);
    return to;
}

int api_audit_export(api_req *rq, api_resp *rs)
{
    audit_export *x = calloc(1, sizeof *x);
    if (!x)
        return api_error(rs, 500, "internal", "something went wrong on the server; it has been logged");
    int st = audit_filter(rq, rs, &x->f);
    if (!st && ((x->f.since && strlen(x->f.since) >= sizeof x->since) ||
                (x->f.until && strlen(x->f.until) >= sizeof x->until)))
        st = api_error(rs, 422, "invalid", "since, until: a time such as 2026-11-23T04:00:00Z");
    if (!st && ((x->f.user && strlen(x->f.user) >= sizeof x->user) ||
                (x->f.action && strlen(x->f.action) >= sizeof x->action)))
        st = api_error(rs, 422, "invalid", "user, action: a user name (32 bytes at most) and an action");
    int64_t last = 0;
    rp_error err = RP_ERROR_INIT;
    /* what the journal holds first; then the count and the trail's end, in one read: exactly those leave */
    if (!st && (api_audit_flush(rq, &err) || sec_audit_count(wh_store(rq->w), &x->f, &x->left, &last, &err)))
        st = api_fail(rs, &err);
    if (st) {
        free(x);
        return st;
    }
    x->f.since = keep(x->f.since, x->since, sizeof x->since);
    x->f.until = keep(x->f.until, x->until, sizeof x->until);
    x->f.user = keep(x->f.user, x->user, sizeof x->user);
    x->f.action = keep(x->f.action, x->action, sizeof x->action);
    if (!x->f.before || x->f.before > last + 1)
        x->f.before = last + 1;
    size_t len = strlen(rq->detail);
    snprintf(rq->detail + len, sizeof rq->detail - len, ": %lld entries exported", (long long)x->left);
    return api_stream_reply(rq, rs, "text/csv; charset=utf-8", "audit.csv", audit_more, free, x);
}
