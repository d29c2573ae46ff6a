/* approval.c — separation of duties: changes to users that one administrator
 * may not make alone wait for a second (four eyes).  See security.h
 * ("separation of duties").  Table user_request, migration 0019. */
#include "security/internal.h"
#include "core/rtime.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

const char *const sec_request_kinds[SEC_NREQ] = { "add", "role", "disable" };

static int kind_parse(const char *k)
{
    for (int i = 0; k && i < SEC_NREQ; i++)
        if (!strcmp(k, sec_request_kinds[i]))
            return i;
    return -1;
}

int sec_user_change_needs(rp_store *s, const sec_user_change *c, int *needs, rp_error *err)
{
    *needs = 0;
    sec_user u;
    sec_role r;
    int rc;
    switch (c->kind) {
    case SEC_REQ_ADD:
        if ((rc = sec__role_check(c->role, c->branch, &r, err)))
            return rc;
        *needs = sec_role_reveals(r);
        return RP_OK;
    case SEC_REQ_ROLE:
        if ((rc = sec_user_get(s, c->name, &u, err)) || (rc = sec__role_check(c->role, c->branch, &r, err)))
            return rc;
        /* a revealing role kept or given, or an auditor taken away */
        *needs = sec_role_reveals(r) || (u.role == SEC_AUDITOR && r != SEC_AUDITOR);
        return RP_OK;
    case SEC_REQ_DISABLE:
        if ((rc = sec_user_get(s, c->name, &u, err)))
            return rc;
        *needs = u.role == SEC_AUDITOR && !u.disabled;
        return RP_OK;
    default: return rp_err(err, RP_INVAL, "kind: one of add, role, disable");
    }
}

/* Requests past their time marked expired, and their hashes dropped. */
static int expire(rp_store *s, rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    rp_stmt *st;
    int rc = rp_store_prepare(s, "UPDATE user_request SET status = 'expired', decided_at = expires_at, pw_hash = NULL "
                                 "WHERE status = 'pending' AND expires_at <= ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, now);
    return rp_stmt_run(st, err);
}

/* The pending request of a user name: *id 0 when there is none. */
static int pending_of(rp_store *s, const char *name, int64_t *id, rp_error *err)
{
    *id = 0;
    rp_stmt *st;
    int rc = rp_store_prepare(s, "SELECT id FROM user_request WHERE user_name = ? AND status = 'pending'", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, name);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        *id = rp_stmt_int(st, 0);
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

/* The change, checked as if it were made now (a new user's already, before the transaction). */
static int check_change(rp_store *s, const sec_user_change *c, rp_error *err)
{
    sec_user u;
    sec_role r;
    int rc;
    switch (c->kind) {
    case SEC_REQ_ADD:
        if (sec_user_get(s, c->name, &u, NULL) == RP_OK)
            return rp_err(err, RP_EXISTS, "user '%s' already exists", c->name);
        return RP_OK;
    case SEC_REQ_ROLE:
        if ((rc = sec_user_get(s, c->name, &u, err)))
            return rc;
        return sec__role_check(c->role, c->branch, &r, err);
    case SEC_REQ_DISABLE:
        if ((rc = sec_user_get(s, c->name, &u, err)))
            return rc;
        if (u.disabled)
            return rp_err(err, RP_EXISTS, "user '%s' is disabled already", c->name);
        return RP_OK;
    default: return rp_err(err, RP_INVAL, "kind: one of add, role, disable");
    }
}

static int insert_request(rp_store *s, const sec_user_change *c, const char *hash, const char *by, int64_t max_age,
                          int64_t *id, rp_error *err)
{
    sec_user u;
    const char *from = c->kind != SEC_REQ_ADD && sec_user_get(s, c->name, &u, NULL) == RP_OK ? sec_role_names[u.role]
                                                                                           : NULL;
    int64_t now = rp_now();
    char at[RP_TIME_UTC_LEN], until[RP_TIME_UTC_LEN];
    rp_time_format_utc(now, at);
    rp_time_format_utc(now + (max_age > 0 ? max_age : SEC_REQUEST_DAYS * 86400), until);
    rp_stmt *st;
    int rc = rp_store_prepare(s,
                              "INSERT INTO user_request(kind, user_name, role, branch, pw_hash, requested_by, "
                              "requested_at, expires_at, from_role) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
                              &st, err);
    if (rc)
        return rc;
    int has_role = c->kind != SEC_REQ_DISABLE;
    rp_stmt_bind_text(st, 1, sec_request_kinds[c->kind]);
    rp_stmt_bind_text(st, 2, c->name);
    rp_stmt_bind_text(st, 3, has_role ? c->role : NULL);
    rp_stmt_bind_text(st, 4, has_role ? c->branch : NULL);
    rp_stmt_bind_text(st, 5, c->kind == SEC_REQ_ADD ? hash : NULL);
    rp_stmt_bind_text(st, 6, by);
    rp_stmt_bind_text(st, 7, at);
    rp_stmt_bind_text(st, 8, until);
    rp_stmt_bind_text(st, 9, from);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        *id = rp_stmt_int(st, 0);
        return rp_stmt_finish(st, err); /* committed at its end outside a transaction (store.h) */
    }
    if (rc == RP_DONE)
        rc = rp_err(err, RP_INTERNAL, "user request: no id returned");
    rp_stmt_done(st);
    return rc;
}

/* The change made now (no second administrator needed); a new user with the hash made before. */
static int apply_now(rp_store *s, const sec_user_change *c, const char *hash, const char *by, rp_error *err)
{
    sec_role r;
    int rc;
    switch (c->kind) {
    case SEC_REQ_ADD:
        if ((rc = check_change(s, c, err)) || (rc = sec__role_check(c->role, c->branch, &r, err)))
            return rc;
        return sec__user_insert(s, c->name, r, c->branch, hash, by, 0, err);
    case SEC_REQ_ROLE: return sec_user_role(s, c->name, c->role, c->branch, by, err);
    case SEC_REQ_DISABLE: return sec_user_disable(s, c->name, 1, by, err);
    default: return rp_err(err, RP_INVAL, "kind: one of add, role, disable");
    }
}

/* The change kept for a second administrator: one request a name at a time. */
static int keep(rp_store *s, const sec_user_change *c, const char *hash, const char *by, int64_t max_age,
                int64_t *request, rp_error *err)
{
    int64_t waiting = 0;
    int rc = pending_of(s, c->name, &waiting, err);
    if (!rc && waiting)
        rc = rp_err(err, RP_EXISTS, "user '%s' has a request waiting for approval already (request %lld)", c->name,
                    (long long)waiting);
    if (!rc && !(rc = check_change(s, c, err)))
        rc = insert_request(s, c, hash, by, max_age, request, err);
    return rc;
}

int sec_user_submit(rp_store *s, const sec_user_change *c, const char *by, int64_t max_age, int64_t *request,
                    rp_error *err)
{
    *request = 0;
    if ((unsigned)c->kind >= SEC_NREQ)
        return rp_err(err, RP_INVAL, "kind: one of add, role, disable");
    /* a new user is checked and the password hashed first: hashing takes a while, and not under the store's lock */
    char hash[crypto_pwhash_STRBYTES] = "";
    sec_role r;
    int needs = 0, rc;
    if (c->kind == SEC_REQ_ADD &&
        ((rc = sec__user_new_check(s, c->name, c->role, c->branch, c->password, &r, err)) ||
         (rc = sec__hash_password(c->password, hash, err))))
        return rc;
    if ((rc = rp_store_begin(s, err)))
        goto out;
    if (!(rc = expire(s, err)) && !(rc = sec_user_change_needs(s, c, &needs, err)))
        rc = needs ? keep(s, c, hash, by, max_age, request, err) : apply_now(s, c, hash, by, err);
    if (rc || (rc = rp_store_commit(s, err))) {
        *request = 0;
        rp_store_rollback(s);
    }
out:
    sodium_memzero(hash, sizeof hash);
    return rc;
}

/* ---- deciding ---- */

typedef struct req_row {
    int64_t id;
    int kind;
    char user[SEC_NAME_MAX + 8], role[32], branch[SEC_BRANCH_MAX + 1], by[SEC_NAME_MAX + 8];
    char hash[crypto_pwhash_STRBYTES], status[16], decided_by[SEC_NAME_MAX + 8], decided_at[RP_TIME_UTC_LEN];
    char requested_at[RP_TIME_UTC_LEN], expires_at[RP_TIME_UTC_LEN];
    int has_branch;
} req_row;

static void copy(char *out, size_t n, const char *v) { snprintf(out, n, "%s", v ? v : ""); }

static int read_request(rp_store *s, int64_t id, req_row *r, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(s,
                              "SELECT kind, user_name, role, branch, pw_hash, requested_by, status, decided_by, "
                              "decided_at, requested_at, expires_at FROM user_request WHERE id = ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, id);
    memset(r, 0, sizeof *r);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        r->id = id;
        r->kind = kind_parse(rp_stmt_text(st, 0));
        copy(r->user, sizeof r->user, rp_stmt_text(st, 1));
        copy(r->role, sizeof r->role, rp_stmt_text(st, 2));
        r->has_branch = rp_stmt_column_type(st, 3) != RP_COL_NULL;
        copy(r->branch, sizeof r->branch, rp_stmt_text(st, 3));
        copy(r->hash, sizeof r->hash, rp_stmt_text(st, 4));
        copy(r->by, sizeof r->by, rp_stmt_text(st, 5));
        copy(r->status, sizeof r->status, rp_stmt_text(st, 6));
        copy(r->decided_by, sizeof r->decided_by, rp_stmt_text(st, 7));
        copy(r->decided_at, sizeof r->decided_at, rp_stmt_text(st, 8));
        copy(r->requested_at, sizeof r->requested_at, rp_stmt_text(st, 9));
        copy(r->expires_at, sizeof r->expires_at, rp_stmt_text(st, 10));
        rc = r->kind < 0 ? rp_err(err, RP_INVAL, "request %lld has an unknown kind", (long long)id) : RP_OK;
    } else if (rc == RP_DONE) {
        rc = rp_err(err, RP_NOTFOUND, "no request %lld", (long long)id);
    }
    rp_stmt_done(st);
    return rc;
}

/* May `by` decide r?  Not their own, not about themselves, only while pending. */
static int may_decide(const req_row *r, const char *by, rp_error *err)
{
    if (!strcmp(r->by, by))
        return rp_err(err, RP_DENIED, "request %lld was made by you (%s): another administrator must decide it",
                      (long long)r->id, by);
    if (!strcmp(r->user, by))
        return rp_err(err, RP_DENIED, "request %lld changes your own account: another administrator must decide it",
                      (long long)r->id);
    if (!strcmp(r->status, "expired"))
        return rp_err(err, RP_EXISTS, "request %lld expired at %s undecided; ask again", (long long)r->id,
                      r->decided_at);
    if (strcmp(r->status, "pending"))
        return rp_err(err, RP_EXISTS, "request %lld was %s already by %s", (long long)r->id, r->status,
                      r->decided_by);
    return RP_OK;
}

/* The change a request asks for, made by `by`. */
static int apply_request(rp_store *s, const req_row *r, const char *by, rp_error *err)
{
    sec_user u;
    int rc;
    switch (r->kind) {
    case SEC_REQ_ADD: {
        sec_role role;
        if (sec_user_get(s, r->user, &u, NULL) == RP_OK)
            return rp_err(err, RP_EXISTS, "user '%s' exists already (added since request %lld); reject the request",
                          r->user, (long long)r->id);
        if ((rc = sec__role_check(r->role, r->has_branch ? r->branch : NULL, &role, err)))
            return rc;
        if (!r->hash[0])
            return rp_err(err, RP_INVAL, "request %lld keeps no password", (long long)r->id);
        int64_t set_at = 0;
        if (rp_time_parse(r->requested_at, &set_at, NULL))
            set_at = 0;
        /* the user is the requester's; the approval is in the request and the trail */
        return sec__user_insert(s, r->user, role, r->has_branch ? r->branch : NULL, r->hash, r->by, set_at, err);
    }
    case SEC_REQ_ROLE: return sec_user_role(s, r->user, r->role, r->has_branch ? r->branch : NULL, by, err);
    case SEC_REQ_DISABLE: return sec_user_disable(s, r->user, 1, by, err);
    default: return rp_err(err, RP_INVAL, "request %lld has an unknown kind", (long long)r->id);
    }
}

int sec_user_request_decide(rp_store *s, int64_t id, int approve, const char *by, const char *note, json_t **out,
                            rp_error *err)
{
    if (out)
        *out = NULL;
    if (note && strlen(note) > SEC_NOTE_MAX)
        return rp_err(err, RP_TOOBIG, "note: at most %d bytes", SEC_NOTE_MAX);
    if (note && !*note)
        note = NULL;
    req_row r;
    memset(&r, 0, sizeof r);
    /* what expired stays expired, whatever this decision comes to */
    int rc = expire(s, err);
    if (rc || (rc = rp_store_begin(s, err)))
        return rc;
    if ((rc = read_request(s, id, &r, err)) || (rc = may_decide(&r, by, err)) ||
        (approve && (rc = apply_request(s, &r, by, err))))
        goto out;
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    rp_stmt *st;
    if ((rc = rp_store_prepare(s, "UPDATE user_request SET status = ?, decided_by = ?, decided_at = ?, note = ?, "
                                  "pw_hash = NULL WHERE id = ? AND status = 'pending'", &st, err)))
        goto out;
    rp_stmt_bind_text(st, 1, approve ? "approved" : "rejected");
    rp_stmt_bind_text(st, 2, by);
    rp_stmt_bind_text(st, 3, now);
    rp_stmt_bind_text(st, 4, note);
    rp_stmt_bind_int(st, 5, id);
    if ((rc = rp_stmt_run(st, err)))
        goto out;
    if (rp_store_changes(s) != 1) { /* decided by someone else meanwhile: nothing of this one stays */
        rc = rp_err(err, RP_EXISTS, "request %lld was decided meanwhile", (long long)id);
        goto out;
    }
    if ((out && (rc = sec_user_request_get(s, id, out, err))) || (rc = rp_store_commit(s, err)))
        goto out;
    sodium_memzero(r.hash, sizeof r.hash);
    return RP_OK;
out:
    sodium_memzero(r.hash, sizeof r.hash);
    rp_store_rollback(s);
    if (out) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- listing ---- */

#define LIST_SQL                                                                                                     \
    "SELECT q.id, q.kind, q.user_name, q.role, q.branch, q.from_role, q.requested_by, q.requested_at, q.expires_at, "     \
    "CASE WHEN q.status = 'pending' AND q.live = 0 THEN 'expired' ELSE q.status END, q.decided_by, "                \
    "CASE WHEN q.status = 'pending' AND q.live = 0 THEN q.expires_at ELSE q.decided_at END, q.note "               \
    "FROM (SELECT r.id, r.kind, r.user_name, r.role, r.branch, r.requested_by, r.requested_at, r.expires_at, "      \
    "r.status, r.decided_by, r.decided_at, r.note, r.from_role, "                                                               \
    "CASE WHEN r.status = 'pending' AND r.expires_at > ? THEN 1 ELSE 0 END AS live FROM user_request r) q "

static json_t *request_row(rp_stmt *st)
{
    return json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s?, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?}", "id",
                     (json_int_t)rp_stmt_int(st, 0), "kind", rp_stmt_text(st, 1), "user", rp_stmt_text(st, 2), "role",
                     rp_stmt_text(st, 3), "branch", rp_stmt_text(st, 4), "from_role", rp_stmt_text(st, 5),
                     "requested_by", rp_stmt_text(st, 6), "requested_at", rp_stmt_text(st, 7), "expires_at",
                     rp_stmt_text(st, 8), "status", rp_stmt_text(st, 9), "decided_by", rp_stmt_text(st, 10),
                     "decided_at", rp_stmt_text(st, 11), "note", rp_stmt_text(st, 12));
}

static int list(rp_store *s, int64_t id, int limit, json_t **out, rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    rp_stmt *st;
    int rc = rp_store_prepare(s,
                              id ? LIST_SQL "WHERE q.id = ?"
                                 : LIST_SQL "ORDER BY q.live DESC, CASE WHEN q.live = 1 THEN q.id ELSE -q.id END LIMIT ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, now);
    rp_stmt_bind_int(st, 2, id ? id : limit > 0 ? limit : 200);
    json_t *a = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        json_array_append_new(a, request_row(st));
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return RP_OK;
}

int sec_user_requests(rp_store *s, int limit, json_t **out, rp_error *err) { return list(s, 0, limit, out, err); }

int sec_user_request_get(rp_store *s, int64_t id, json_t **out, rp_error *err)
{
    json_t *a;
    int rc = list(s, id > 0 ? id : -1, 0, &a, err);
    if (rc)
        return rc;
    if (!json_array_size(a)) {
        json_decref(a);
        return rp_err(err, RP_NOTFOUND, "no request %lld", (long long)id);
    }
    *out = json_incref(json_array_get(a, 0));
    json_decref(a);
    return RP_OK;
}

void sec_user_request_text(const json_t *r, char *out, size_t n)
{
    const char *kind = json_string_value(json_object_get(r, "kind")), *user = json_string_value(json_object_get(r, "user")),
               *role = json_string_value(json_object_get(r, "role")),
               *branch = json_string_value(json_object_get(r, "branch")),
               *from = json_string_value(json_object_get(r, "from_role"));
    const char *comma = branch ? ", branch " : "";
    if (!role)
        role = "?";
    if (!branch)
        branch = "";
    if (!kind || !user)
        snprintf(out, n, "?");
    else if (!strcmp(kind, "add"))
        snprintf(out, n, "add %s as %s%s%s", user, role, comma, branch);
    else if (!strcmp(kind, "role"))
        snprintf(out, n, "%s: %s -> %s%s%s", user, from ? from : "?", role, comma, branch);
    else
        snprintf(out, n, "disable %s%s%s", from ? from : "", from ? " " : "", user);
}
