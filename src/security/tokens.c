/* tokens.c — tokens for other programs: made with their permissions,
 * checked, listed, revoked (table api_token of migration 0016).  See
 * security.h. */
#include "security/internal.h"
#include "core/json.h"
#include "core/rtime.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Permission names, separated by blanks or commas, into a set; the message names the first that is not one. */
static int parse_permissions(const char *list, unsigned *set, rp_error *err)
{
    *set = 0;
    char name[40];
    for (const char *p = list ? list : ""; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, " ,");
        if (!n)
            break;
        snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name - 1 ? n : sizeof name - 1), p);
        int perm = sec_perm_parse(name);
        if (perm < 0)
            return rp_err(err, RP_INVAL, "permissions: '%s' is not a permission", name);
        if (perm == SEC_P_USERS)
            return rp_err(err, RP_INVAL, "permissions: a token may not manage users or tokens ('users')");
        *set |= 1u << perm;
        p += n;
    }
    if (!*set)
        return rp_err(err, RP_INVAL, "permissions: at least one (%s ...)", sec_perm_names[SEC_P_SEARCH]);
    return RP_OK;
}

static void permission_names(unsigned set, char *out, size_t n)
{
    size_t k = 0;
    out[0] = 0;
    for (int p = 0; p < SEC_NPERMS && k < n; p++)
        if (set >> p & 1)
            k += (size_t)snprintf(out + k, n - k, "%s%s", k ? " " : "", sec_perm_names[p]);
}

static int name_ok(const char *name, rp_error *err)
{
    size_t n = name ? strlen(name) : 0;
    if (n < 2 || n > SEC_NAME_MAX)
        return rp_err(err, RP_INVAL, "name: 2 to %d characters (a-z, 0-9, '.', '_', '-')", SEC_NAME_MAX);
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
            return rp_err(err, RP_INVAL, "name: '%s' may hold only a-z, 0-9, '.', '_' and '-'", name);
    return RP_OK;
}

int sec_token_add(rp_store *s, const sec_token_spec *t, const char *by, int64_t now, char token[SEC_API_TOKEN_LEN],
                  rp_error *err)
{
    unsigned set;
    int rc;
    if ((rc = name_ok(t->name, err)) || (rc = parse_permissions(t->permissions, &set, err)))
        return rc;
    if (t->days < 1 || t->days > SEC_TOKEN_MAX_DAYS)
        return rp_err(err, RP_INVAL, "days: a token lives 1 to %d days", SEC_TOKEN_MAX_DAYS);
    if (t->branch && (!*t->branch || strlen(t->branch) > SEC_BRANCH_MAX))
        return rp_err(err, RP_INVAL, "branch '%s': a branch code of 1 to %d characters", t->branch, SEC_BRANCH_MAX);
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    memcpy(token, "rpt_", 4);
    sodium_bin2base64(token + 4, SEC_API_TOKEN_LEN - 4, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    char hash[65], perms[400], at[RP_TIME_UTC_LEN], until[RP_TIME_UTC_LEN];
    sec__token_hash(token, hash);
    permission_names(set, perms, sizeof perms);
    rp_time_format_utc(now, at);
    rp_time_format_utc(now + (int64_t)t->days * 86400, until);
    rp_stmt *st;
    if ((rc = rp_store_prepare(s, "INSERT INTO api_token(name, permissions, branch, token_hash, created_by, "
                                  "created_at, expires_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                               &st, err)))
        return rc;
    const char *v[7] = { t->name, perms, t->branch, hash, by, at, until };
    for (int i = 0; i < 7; i++)
        rp_stmt_bind_text(st, i + 1, v[i]);
    if ((rc = rp_stmt_run(st, err)))
        return rc;
    if (!rp_store_changes(s)) {
        sodium_memzero(token, SEC_API_TOKEN_LEN);
        return rp_err(err, RP_EXISTS, "a token named '%s' exists; revoke it or choose another name", t->name);
    }
    return RP_OK;
}

int sec_token_check(rp_store *s, const char *token, int64_t now, sec_token_info *out, rp_error *err)
{
    memset(out, 0, sizeof *out);
    if (!token || strncmp(token, "rpt_", 4) || strlen(token) >= SEC_API_TOKEN_LEN)
        return rp_err(err, RP_NOTFOUND, "the token is unknown, expired or revoked");
    char hash[65], at[RP_TIME_UTC_LEN];
    sec__token_hash(token, hash);
    rp_time_format_utc(now, at);
    rp_stmt *st;
    int rc = rp_store_prepare(s, "SELECT id, name, permissions, branch FROM api_token WHERE token_hash = ? AND "
                                 "revoked_at IS NULL AND expires_at > ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, hash);
    rp_stmt_bind_text(st, 2, at);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        out->id = rp_stmt_int(st, 0);
        snprintf(out->name, sizeof out->name, "token:%s", rp_stmt_text(st, 1));
        rp_error ignore = RP_ERROR_INIT;
        if (parse_permissions(rp_stmt_text(st, 2), &out->permissions, &ignore))
            out->permissions = 0;
        snprintf(out->branch, sizeof out->branch, "%s", rp_stmt_text(st, 3) ? rp_stmt_text(st, 3) : "");
    }
    rp_stmt_done(st);
    if (rc == RP_DONE)
        return rp_err(err, RP_NOTFOUND, "the token is unknown, expired or revoked");
    return rc == RP_ROW ? RP_OK : rc;
}

int sec_token_revoke(rp_store *s, const char *name, const char *by, int64_t now, rp_error *err)
{
    char at[RP_TIME_UTC_LEN];
    rp_time_format_utc(now, at);
    rp_stmt *st;
    int rc = rp_store_prepare(s, "UPDATE api_token SET revoked_at = ?, revoked_by = ? WHERE name = ? AND "
                                 "revoked_at IS NULL", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, at);
    rp_stmt_bind_text(st, 2, by);
    rp_stmt_bind_text(st, 3, name);
    if ((rc = rp_stmt_run(st, err)))
        return rc;
    return rp_store_changes(s) ? RP_OK : rp_err(err, RP_NOTFOUND, "no token named '%s' is in use", name);
}

int sec_token_list(rp_store *s, int64_t now, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(s, "SELECT id, name, permissions, branch, created_by, created_at, expires_at, "
                                 "revoked_by, revoked_at FROM api_token ORDER BY revoked_at IS NOT NULL, name",
                              &st, err);
    if (rc)
        return rc;
    char at[RP_TIME_UTC_LEN];
    rp_time_format_utc(now, at);
    json_t *a = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        json_t *perms = json_array();
        const char *p = rp_stmt_text(st, 2);
        while (p && *p) {
            size_t n = strcspn(p, " ");
            json_array_append_new(perms, json_stringn(p, n));
            p += n;
            p += *p == ' ';
        }
        const char *expires = rp_stmt_text(st, 6), *revoked = rp_stmt_text(st, 8);
        json_array_append_new(
            a, json_pack("{s:I, s:s, s:o, s:s?, s:s, s:s, s:s, s:s?, s:s?, s:s}", "id", (json_int_t)rp_stmt_int(st, 0),
                         "name", rp_stmt_text(st, 1), "permissions", perms, "branch", rp_stmt_text(st, 3),
                         "created_by", rp_stmt_text(st, 4), "created_at", rp_stmt_text(st, 5), "expires_at", expires,
                         "revoked_by", rp_stmt_text(st, 7), "revoked_at", revoked, "state",
                         revoked ? "revoked" : strcmp(expires, at) <= 0 ? "expired" : "active"));
    }
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return RP_OK;
}
