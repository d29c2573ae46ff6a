/* store.c — backend-independent parts: dispatch, migrations, nesting. */
#include "store/store.h"
#include "core/log.h"
#include "core/rtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rp_store_open(const char *target, int flags, rp_store **out, rp_error *err)
{
    const rp_store_ops *ops = &rp_sqlite_ops;
    if (strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0)
        ops = &rp_pg_ops;
    rp_store *s = NULL;
    int rc = ops->open(target, flags, &s, err);
    if (rc)
        return rc;
    int version = 0;
    rc = rp_store_version(s, &version, err);
    if (rc)
        goto out;
    int latest = rp_store_latest_version(s);
    if (version > latest) {
        rc = rp_err(err, RP_VERSION,
                    "%s: store was written by a newer Rapport (schema version %d; this build knows "
                    "up to %d): upgrade rapport",
                    target, version, latest);
        goto out;
    }
    if (version < latest) {
        if (!(flags & RP_STORE_MIGRATE)) {
            if (version == 0)
                rc = rp_err(err, RP_NOTFOUND, "%s: not initialised: run 'rapport init'", target);
            else
                rc = rp_err(err, RP_VERSION,
                            "%s: store schema version %d is older than this build's %d: run "
                            "'rapport init' to migrate",
                            target, version, latest);
            goto out;
        }
        rc = rp_store_migrate(s, &s->migrated, err);
        if (rc)
            goto out;
    }
    *out = s;
    return RP_OK;
out:
    ops->close(s);
    return rc;
}

void rp_store_close(rp_store *s)
{
    if (s)
        s->ops->close(s);
}

const char *rp_store_backend(rp_store *s) { return s->ops->name; }

int rp_store_latest_version(rp_store *s)
{
    int n = *s->ops->migration_count;
    return n ? s->ops->migrations[n - 1].version : 0;
}

int rp_store_version(rp_store *s, int *version, rp_error *err)
{
    /* A store without the table (a new file) is at version 0; any other
     * failure (memory, I/O) is one, not a store to initialise. */
    rp_stmt *st;
    *version = 0;
    rp_error e;
    rp_err_clear(&e);
    int rc = s->ops->prepare(s, "SELECT COALESCE(MAX(version), 0) FROM rapport_migrations", 0, &st, &e);
    if (rc == RP_STORE) /* no such table */
        return RP_OK;
    if (rc)
        return rp_err(err, rc, "%s", rp_errmsg(&e));
    rc = rp_stmt_step(st, err);
    if (rc == RP_ROW) {
        *version = (int)rp_stmt_int(st, 0);
        rc = RP_OK;
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

int rp_store_migrate(rp_store *s, int *applied, rp_error *err)
{
    int version, rc, n = 0;
    if (applied)
        *applied = 0;
    rc = rp_store_exec(s,
                       "CREATE TABLE IF NOT EXISTS rapport_migrations ("
                       " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
                       err);
    if (rc)
        return rc;
    if ((rc = rp_store_version(s, &version, err)))
        return rc;
    const rp_migration *m = s->ops->migrations;
    for (int i = 0; i < *s->ops->migration_count; i++) {
        if (m[i].version <= version)
            continue;
        if ((rc = rp_store_begin(s, err)))
            return rc;
        rc = rp_store_exec(s, m[i].sql, err);
        if (rc) {
            rp_err_prefix(err, "migration %04d_%s", m[i].version, m[i].name);
            rp_store_rollback(s);
            return rc;
        }
        rp_stmt *st;
        rc = rp_store_prepare(s,
                              "INSERT INTO rapport_migrations(version, name, applied_at) "
                              "VALUES (?, ?, ?)",
                              &st, err);
        if (!rc) {
            rp_stmt_bind_int(st, 1, m[i].version);
            rp_stmt_bind_text(st, 2, m[i].name);
            char now[RP_TIME_UTC_LEN];
            rp_time_format_utc(rp_now(), now);
            rp_stmt_bind_text(st, 3, now);
            rc = rp_stmt_run(st, err);
        }
        if (rc || (rc = rp_store_commit(s, err))) {
            rp_store_rollback(s);
            return rc;
        }
        n++;
    }
    if (applied)
        *applied = n;
    return RP_OK;
}

int rp_store_exec(rp_store *s, const char *sql, rp_error *err) { return s->ops->exec(s, sql, err); }

int rp_store_prepare(rp_store *s, const char *sql, rp_stmt **out, rp_error *err)
{
    return s->ops->prepare(s, sql, 1, out, err);
}

int rp_store_prepare_once(rp_store *s, const char *sql, rp_stmt **out, rp_error *err)
{
    return s->ops->prepare(s, sql, 0, out, err);
}

int rp_store_prepare_stream(rp_store *s, const char *sql, rp_stmt **out, rp_error *err)
{
    return s->ops->prepare(s, sql, RP_PREPARE_STREAM, out, err);
}

int rp_store_begin(rp_store *s, rp_error *err) { return s->ops->begin(s, 0, err); }
int rp_store_begin_readonly(rp_store *s, rp_error *err) { return s->ops->begin(s, 1, err); }
int rp_store_begin_read(rp_store *s, rp_error *err) { return s->ops->begin(s, 2, err); }
int rp_store_commit(rp_store *s, rp_error *err)
{
    int outer = s->depth == 1, rc = s->ops->commit(s, err);
    if (rc && outer)
        s->rollbacks++;
    if (outer)
        s->ended++;
    return rc;
}
int rp_store_rollback(rp_store *s)
{
    s->rollbacks++;
    if (s->depth == 1)
        s->ended++;
    return s->ops->rollback(s);
}
unsigned rp_store_rollbacks(const rp_store *s) { return s->rollbacks; }
unsigned rp_store_ended(const rp_store *s) { return s->ended; }
int rp_store_depth(const rp_store *s) { return s->depth; }
int64_t rp_store_changes(rp_store *s) { return s->ops->changes(s); }
int rp_store_data_version(rp_store *s, int64_t *v, rp_error *err) { return s->ops->data_version(s, v, err); }
int rp_store_bulk_begin(rp_store *s, int *active, rp_error *err) { return s->ops->bulk(s, 1, active, err); }
int rp_store_bulk_end(rp_store *s, rp_error *err) { return s->ops->bulk(s, 0, NULL, err); }
int rp_store_load_tuning(rp_store *s, int appends, rp_error *err) { return s->ops->load_tuning(s, 1, appends, err); }
int rp_store_load_tuning_end(rp_store *s, rp_error *err) { return s->ops->load_tuning(s, 0, 0, err); }

int rp_store_optimize(rp_store *s, int *tables, rp_error *err)
{
    if (tables)
        *tables = 0;
    if (s->depth)
        return rp_err(err, RP_INTERNAL, "rp_store_optimize: inside a transaction");
    return s->ops->optimize ? s->ops->optimize(s, tables, err) : RP_OK;
}

int rp_store_has_copy(const rp_store *s) { return s->ops->copy_in != NULL; }

int rp_store_hold(rp_store *s, const char *name, int *held, rp_error *err)
{
    *held = 1;
    return s->ops->hold ? s->ops->hold(s, name, 1, held, err) : RP_OK;
}

void rp_store_unhold(rp_store *s, const char *name)
{
    int held;
    rp_error ignored = RP_ERROR_INIT;
    /* a connection lost has given its locks up with it */
    if (s->ops->hold && s->ops->hold(s, name, 0, &held, &ignored) && ignored.code != RP_IO)
        rp_log_warn("the store's lock %s: %s", name, rp_errmsg(&ignored));
}

int rp_store_backup(rp_store *s, const char *target, const char *file, rp_error *err)
{
    return s->ops->backup(s, target, file, err);
}

int rp_store_restore(const char *target, const char *file, rp_error *err)
{
    int pg = strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0;
    return (pg ? &rp_pg_ops : &rp_sqlite_ops)->restore(target, file, err);
}

int rp_store_has_notices(const rp_store *s) { return s->ops->listen != NULL; }

int rp_store_listen(rp_store *s, const char *channel, rp_error *err)
{
    if (!s->ops->listen)
        return rp_err(err, RP_INTERNAL, "the %s store has one server: no notices", s->ops->name);
    return s->ops->listen(s, channel, err);
}

int rp_store_notify(rp_store *s, const char *channel, const char *payload, rp_error *err)
{
    if (!s->ops->notify)
        return RP_OK;
    if (strlen(payload) > RP_NOTICE_MAX)
        return rp_err(err, RP_TOOBIG, "a notice of %zu bytes (at most %d)", strlen(payload), RP_NOTICE_MAX);
    return s->ops->notify(s, channel, payload, err);
}

int rp_store_notices(rp_store *s, rp_store_notice_fn fn, void *ctx, rp_error *err)
{
    return s->ops->notices ? s->ops->notices(s, fn, ctx, err) : RP_OK;
}

int rp_store_socket(rp_store *s) { return s->ops->socket ? s->ops->socket(s) : -1; }

int rp_store_lock(rp_store *s, const char *name, rp_error *err)
{
    if (s->depth <= 0)
        return rp_err(err, RP_INTERNAL, "a lock outside a transaction: %s", name);
    return s->ops->lock ? s->ops->lock(s, name, err) : RP_OK;
}

int rp_store_copy(rp_store *s, const char *target, const char *data, size_t len, rp_error *err)
{
    if (!s->ops->copy_in)
        return rp_err(err, RP_INTERNAL, "the %s store has no COPY", s->ops->name);
    return s->ops->copy_in(s, target, data, len, err);
}

int rp_store_meta_get(rp_store *s, const char *name, char *out, size_t n, int *found, rp_error *err)
{
    rp_stmt *st;
    if (found)
        *found = 0;
    if (n)
        out[0] = 0;
    int rc = rp_store_prepare(s, "SELECT value FROM store_meta WHERE name = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, name);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        snprintf(out, n, "%s", rp_stmt_text(st, 0));
        if (found)
            *found = 1;
    }
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

int rp_store_meta_set(rp_store *s, const char *name, const char *value, rp_error *err)
{
    rp_stmt *st;
    if (!value) { /* forgotten */
        int rc = rp_store_prepare(s, "DELETE FROM store_meta WHERE name = ?", &st, err);
        if (rc)
            return rc;
        rp_stmt_bind_text(st, 1, name);
        return rp_stmt_run(st, err);
    }
    int rc = rp_store_prepare(s,
                              "INSERT INTO store_meta(name, value) VALUES (?, ?) "
                              "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, name);
    rp_stmt_bind_text(st, 2, value);
    return rp_stmt_run(st, err);
}

int rp_store_query_int(rp_store *s, const char *sql, int64_t *v, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(s, sql, &st, err);
    if (rc)
        return rc;
    rc = rp_stmt_step(st, err);
    if (rc == RP_ROW)
        *v = rp_stmt_int(st, 0);
    rp_stmt_done(st);
    return rc == RP_ROW ? RP_OK : rc == RP_DONE ? rp_err(err, RP_INTERNAL, "%s: no row", sql) : rc;
}

int rp_stmt_rows_json(rp_stmt *st, int64_t max, json_t **out, int *more, rp_error *err)
{
    json_t *a = json_array();
    int rc;
    if (more)
        *more = 0;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        if (max > 0 && (int64_t)json_array_size(a) >= max) {
            if (more)
                *more = 1;
            rc = RP_DONE;
            break;
        }
        json_t *o = json_object();
        for (int i = 0, n = rp_stmt_column_count(st); i < n; i++) {
            json_t *v;
            switch (rp_stmt_column_type(st, i)) {
            case RP_COL_INT: v = json_integer(rp_stmt_int(st, i)); break;
            case RP_COL_REAL: v = json_real(rp_stmt_real(st, i)); break;
            case RP_COL_TEXT: v = json_string(rp_stmt_text(st, i)); break;
            default: v = json_null(); break;
            }
            json_object_set_new(o, rp_stmt_column_name(st, i), v ? v : json_null());
        }
        json_array_append_new(a, o);
    }
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(a);
        *out = NULL;
        return rc;
    }
    *out = a;
    return RP_OK;
}

int rp_store_meta_int(rp_store *s, const char *name, int64_t *v, rp_error *err)
{
    char b[32];
    int rc = rp_store_meta_get(s, name, b, sizeof b, NULL, err);
    *v = rc == RP_OK ? strtoll(b, NULL, 10) : 0;
    return rc;
}

int rp_store_meta_set_int(rp_store *s, const char *name, int64_t v, rp_error *err)
{
    char b[32];
    snprintf(b, sizeof b, "%lld", (long long)v);
    return rp_store_meta_set(s, name, b, err);
}

void rp_stmt_bind_int(rp_stmt *st, int i, int64_t v) { st->store->ops->bind_int(st, i, v); }
void rp_stmt_bind_real(rp_stmt *st, int i, double v) { st->store->ops->bind_real(st, i, v); }
void rp_stmt_bind_text(rp_stmt *st, int i, const char *v)
{
    if (v)
        st->store->ops->bind_text(st, i, v, strlen(v));
    else
        st->store->ops->bind_null(st, i);
}
void rp_stmt_bind_textn(rp_stmt *st, int i, const char *v, size_t n)
{
    st->store->ops->bind_text(st, i, v, n);
}
void rp_stmt_bind_blob(rp_stmt *st, int i, const void *v, size_t n)
{
    st->store->ops->bind_blob(st, i, v, n);
}
void rp_stmt_bind_null(rp_stmt *st, int i) { st->store->ops->bind_null(st, i); }
int rp_stmt_step(rp_stmt *st, rp_error *err) { return st->store->ops->step(st, err); }

int rp_stmt_run(rp_stmt *st, rp_error *err)
{
    int rc = rp_stmt_step(st, err);
    if (rc == RP_ROW && !rp_stmt_readonly(st))
        return rp_stmt_finish(st, err);
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

int rp_stmt_finish(rp_stmt *st, rp_error *err)
{
    int rc;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        ;
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

int rp_stmt_column_count(rp_stmt *st) { return st->store->ops->column_count(st); }
const char *rp_stmt_column_name(rp_stmt *st, int i) { return st->store->ops->column_name(st, i); }
rp_coltype rp_stmt_column_type(rp_stmt *st, int i) { return st->store->ops->column_type(st, i); }
int64_t rp_stmt_int(rp_stmt *st, int i) { return st->store->ops->column_int(st, i); }
double rp_stmt_real(rp_stmt *st, int i) { return st->store->ops->column_real(st, i); }
const char *rp_stmt_text(rp_stmt *st, int i) { return st->store->ops->column_text(st, i); }
const void *rp_stmt_blob(rp_stmt *st, int i) { return st->store->ops->column_blob(st, i); }
size_t rp_stmt_bytes(rp_stmt *st, int i) { return st->store->ops->column_bytes(st, i); }
int rp_stmt_readonly(rp_stmt *st) { return st->store->ops->readonly(st); }
void rp_stmt_done(rp_stmt *st)
{
    if (st)
        st->store->ops->done(st);
}

int rp_store_local_name(const char *db, const char *key, char *out, size_t n)
{
    if (!db)
        db = "";
    if (!strstr(db, "://") || !key || !key[0])
        return (size_t)snprintf(out, n, "%s", db) < n ? 0 : -1;
    size_t k = strlen(key);
    if (k > 4 && !strcmp(key + k - 4, ".key"))
        k -= 4;
    return (size_t)snprintf(out, n, "%.*s", (int)k, key) < n ? 0 : -1;
}

int rp_store_grant(rp_store *s, const char *role, rp_error *err)
{
    if (!strcmp(rp_store_backend(s), "sqlite"))
        return rp_err(err, RP_INVAL, "--grant: an SQLite store is a file, with no roles to grant to");
    size_t n = strlen(role);
    if (!n || n > 63 || strspn(role, "abcdefghijklmnopqrstuvwxyz0123456789_") != n || (role[0] >= '0' && role[0] <= '9'))
        return rp_err(err, RP_INVAL, "--grant: '%s' is not a role name (lower-case letters, digits and _, up to 63)",
                      role);
    static const char *const special[] = { "public", "none", "current_user", "current_role", "session_user" };
    for (size_t i = 0; i < sizeof special / sizeof *special; i++)
        if (!strcmp(role, special[i]))
            return rp_err(err, RP_INVAL, "--grant: '%s' is not a role of its own: name the application's login role",
                          role);
    rp_stmt *st;
    int found = 0, rc = rp_store_prepare(s, "SELECT 1 FROM pg_roles WHERE rolname = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, role);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        found = 1;
    rp_stmt_done(st);
    if (rc != RP_ROW && rc != RP_DONE)
        return rc;
    if (!found)
        return rp_err(err, RP_NOTFOUND, "--grant: the database server has no role %s (CREATE ROLE %s LOGIN first)",
                      role, role);
    char sql[1024];
    snprintf(sql, sizeof sql,
             "GRANT USAGE ON SCHEMA public TO %s; "
             "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %s; "
             "REVOKE UPDATE ON audit, audit_chain FROM %s; "
             "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %s",
             role, role, role, role);
    return rp_store_exec(s, sql, err);
}

int rp_store_cache_limit(rp_store *s, int64_t kib, rp_error *err)
{
    if (strcmp(rp_store_backend(s), "sqlite")) /* a database server's caches are the server's */
        return RP_OK;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size=-%lld", (long long)(kib > 0 ? kib : 2048));
    return rp_store_exec(s, sql, err);
}
