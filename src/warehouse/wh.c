/* wh.c — opening the warehouse and writing to it. */
#include "warehouse/internal.h"
#include "security/security.h"
#include "core/log.h"
#include "core/rtime.h"
#include "core/utf8.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NAME_MAX_ 200

const char *wh_default_db(void)
{
    const char *e = getenv("RAPPORT_DB");
    return e && *e ? e : "rapport.db";
}

static void now_utc(char out[RP_TIME_UTC_LEN]) { rp_time_format_utc(rp_now(), out); }

static int key_check_value(const rp_keyring *k, char out[2 * RP_HASH_LEN + 1])
{
    unsigned char h[RP_HASH_LEN];
    rp_keyed_hash(k, "key-check", "rapport", 7, h);
    sodium_bin2hex(out, 2 * RP_HASH_LEN + 1, h, sizeof h);
    return RP_OK;
}

static int seal_cards_kept_in_clear(wh *w, rp_error *err);

/* The store's key is not the key file's: a rotation that stopped between
 * the store's commit and the files' rename left the new key as KEY.new,
 * which is taken (and put in its place) when it is the store's. */
static int key_rotated(wh *w, const char *stored, char check[2 * RP_HASH_LEN + 1], const char *db, rp_error *err)
{
    char next[1100];
    rp_keyring *k = NULL;
    rp_error e2 = RP_ERROR_INIT;
    snprintf(next, sizeof next, "%s.new", w->key_path);
    if (rp_keyring_load(next, &k, &e2) == RP_OK) {
        key_check_value(k, check);
        if (!strcmp(check, stored)) {
            rp_keyring_free(w->keys);
            w->keys = k;
            if (rename(next, w->key_path) != 0)
                rp_log_warn("%s: the store's key is %s; move it there by hand", w->key_path, next);
            return RP_OK;
        }
        rp_keyring_free(k);
    }
    return rp_err(err, RP_CRYPTO, "%s: this key file does not belong to store %s", w->key_path, db);
}

int wh_open(const char *db, const char *keyfile, int flags, wh **out, int *migrations,
            rp_error *err)
{
    wh *w = calloc(1, sizeof *w);
    if (!w)
        return rp_err(err, RP_NOMEM, NULL);
    if (!db)
        db = wh_default_db();
    if (!keyfile)
        keyfile = getenv("RAPPORT_KEY") && *getenv("RAPPORT_KEY") ? getenv("RAPPORT_KEY") : NULL;
    snprintf(w->db_path, sizeof w->db_path, "%s", db);
    if (keyfile)
        snprintf(w->key_path, sizeof w->key_path, "%s", keyfile);
    else if (strstr(db, "://")) { /* a server's store: its key is a file of this machine's, named */
        free(w);
        return rp_err(err, RP_INVAL, "%s: a database server's store needs its sealing key file named (--key PATH, "
                                     "RAPPORT_KEY or [security] key_file)", db);
    } else
        snprintf(w->key_path, sizeof w->key_path, "%s.key", db);
    int rc;
    int init = flags & WH_INIT;
    rc = rp_store_open(db, init ? RP_STORE_CREATE | RP_STORE_MIGRATE : 0, &w->store, err);
    if (rc)
        goto out;
    /* a server store's migrations are its own list: it must know every table the SQLite list makes */
    if (strcmp(rp_store_backend(w->store), "sqlite") &&
        rp_store_latest_version(w->store) < rp_sqlite_ops.migrations[*rp_sqlite_ops.migration_count - 1].version) {
        rc = rp_err(err, RP_VERSION, "%s: this build's PostgreSQL schema is behind its SQLite one: it cannot open "
                                     "a PostgreSQL store",
                    db);
        goto out;
    }
    char check[2 * RP_HASH_LEN + 1], stored[128];
    int found;
    if ((rc = rp_store_meta_get(w->store, "key_check", stored, sizeof stored, &found, err)))
        goto out;
    if (!found) {
        if (!init) {
            rc = rp_err(err, RP_NOTFOUND, "%s: store has no sealing key: run 'rapport init'", db);
            goto out;
        }
        if (access(w->key_path, F_OK) != 0 && (rc = rp_keyring_create(w->key_path, err)))
            goto out;
    } else if (access(w->key_path, F_OK) != 0) {
        rc = rp_err(err, RP_NOTFOUND,
                    "%s: key file not found; this store's identifiers were sealed with it (set "
                    "RAPPORT_KEY or --key)",
                    w->key_path);
        goto out;
    }
    if ((rc = rp_keyring_load(w->key_path, &w->keys, err)))
        goto out;
    key_check_value(w->keys, check);
    if (found && strcmp(check, stored) != 0 && (rc = key_rotated(w, stored, check, db, err)))
        goto out;
    char rotating[64] = "";
    int under_way = 0;
    if ((rc = rp_store_meta_get(w->store, "key_rotation", rotating, sizeof rotating, &under_way, err)))
        goto out;
    if (under_way && *rotating && !(flags & WH_ROTATE)) {
        rc = rp_err(err, RP_BUSY, "%s: a key rotation is under way; run 'rapport key rotate' to finish it", db);
        goto out;
    }
    if (!found) {
        char now[RP_TIME_UTC_LEN];
        now_utc(now);
        if ((rc = rp_store_begin(w->store, err)))
            goto out;
        if ((rc = rp_store_meta_set(w->store, "key_check", check, err)) ||
            (rc = rp_store_meta_set(w->store, "created_at", now, err)) ||
            (rc = rp_store_commit(w->store, err))) {
            rp_store_rollback(w->store);
            goto out;
        }
    }
    if (init && (rc = seal_cards_kept_in_clear(w, err)))
        goto out;
    if (migrations)
        *migrations = w->store->migrated;
    *out = w;
    return RP_OK;
out:
    wh_close(w);
    return rc;
}

void wh_close(wh *w)
{
    if (!w)
        return;
    rp_store_close(w->store);
    rp_map_free(w->by_source, NULL);
    rp_map_free(w->known, NULL);
    rp_keyring_free(w->keys);
    rp_keyring_free(w->next);
    free(w);
}

rp_store *wh_store(const wh *w) { return w->store; }

const rp_keyring *wh_keyring(const wh *w) { return w->keys; }

int wh_seal(const wh *w, const void *plain, size_t n, rp_buf *out)
{
    unsigned char *p = (unsigned char *)rp_buf_space(out, n + RP_SEAL_OVERHEAD);
    if (!p)
        return RP_NOMEM;
    rp_seal(w->keys, plain, n, p);
    rp_buf_wrote(out, n + RP_SEAL_OVERHEAD);
    return RP_OK;
}

int wh_unseal(const wh *w, const void *sealed, size_t n, rp_buf *out, rp_error *err)
{
    if (n < RP_SEAL_OVERHEAD)
        return rp_err(err, RP_CRYPTO, "sealed data of %zu bytes is too short", n);
    char *p = rp_buf_space(out, n - RP_SEAL_OVERHEAD + 1);
    if (!p)
        return rp_err(err, RP_NOMEM, NULL);
    if (rp_unseal(w->keys, sealed, n, p) != RP_OK)
        return rp_err(err, RP_CRYPTO, "sealed data does not open with this store's key");
    rp_buf_wrote(out, n - RP_SEAL_OVERHEAD);
    return RP_OK;
}

void wh_keyed_hash(const wh *w, const char *domain, const void *data, size_t n, unsigned char h[RP_HASH_LEN])
{
    rp_keyed_hash(w->keys, domain, data, n, h);
}
const char *wh_db_path(const wh *w) { return w->db_path; }
const char *wh_key_path(const wh *w) { return w->key_path; }
int wh_begin(wh *w, rp_error *err) { return rp_store_begin(w->store, err); }
int wh_begin_read(wh *w, rp_error *err) { return rp_store_begin_read(w->store, err); }
int wh_commit(wh *w, rp_error *err) { return rp_store_commit(w->store, err); }
void wh_rollback(wh *w) { rp_store_rollback(w->store); }

/* ---- field checks ---- */

void wh__list_join(const char *const *list, char *out, size_t n)
{
    size_t used = 0;
    out[0] = 0;
    for (const char *const *p = list; *p; p++) {
        int k = snprintf(out + used, n - used, "%s%s", p == list ? "" : ", ", *p);
        if (k < 0 || (size_t)k >= n - used)
            break;
        used += (size_t)k;
    }
}

int wh__one_of(const char *field, const char *v, const char *const *list, rp_error *err)
{
    for (const char *const *p = list; *p; p++)
        if (**p == *v && strcmp(v, *p) == 0)
            return RP_OK;
    char all[512];
    wh__list_join(list, all, sizeof all);
    return rp_err(err, RP_INVAL, "%s: '%s' is not one of %s", field, v, all);
}

int wh__text_ok(const char *field, const char *v, size_t max, int required, rp_error *err)
{
    return wh__text_okn(field, v, v ? strlen(v) : 0, max, required, err);
}

int wh__text_okn(const char *field, const char *v, size_t n, size_t max, int required, rp_error *err)
{
    if (!v || !n) {
        if (required)
            return rp_err(err, RP_INVAL, "%s: required", field);
        return RP_OK;
    }
    if (n > max)
        return rp_err(err, RP_TOOBIG, "%s: longer than %zu bytes", field, max);
    size_t bad;
    if (!rp_utf8_valid(v, n, &bad))
        return rp_err(err, RP_ENCODING, "%s: not valid UTF-8 (byte %zu)", field, bad);
    return RP_OK;
}

int wh__currency_ok(const char *field, const char *c, rp_error *err)
{
    if (!c || strlen(c) != 3 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' || c[2] < 'A' ||
        c[2] > 'Z')
        return rp_err(err, RP_INVAL, "%s: '%s' is not an ISO 4217 code such as TWD", field,
                      c ? c : "");
    return RP_OK;
}

int wh__time_norm(const char *field, const char *in, char out[RP_TIME_UTC_LEN], int required,
                     const char **res, rp_error *err)
{
    *res = NULL;
    if (!in || !*in) {
        if (required)
            return rp_err(err, RP_INVAL, "%s: required", field);
        return RP_OK;
    }
    /* already canonical (YYYY-MM-DDTHH:MM:SSZ, as loads give it): checked, not re-parsed */
    if (strlen(in) == RP_TIME_UTC_LEN - 1 && in[4] == '-' && in[7] == '-' && in[10] == 'T' && in[13] == ':' &&
        in[16] == ':' && in[19] == 'Z') {
        int ok = 1;
        for (int i = 0; i < 19; i++)
            if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16)
                ok &= in[i] >= '0' && in[i] <= '9';
#define D2(p) (((p)[0] - '0') * 10 + (p)[1] - '0')
        int y = D2(in) * 100 + D2(in + 2), mo = D2(in + 5), d = D2(in + 8), h = D2(in + 11), mi = D2(in + 14),
            sec = D2(in + 17);
#undef D2
        if (ok && rp_date_valid(y, mo, d) && h < 24 && mi < 60 && sec < 60) {
            memcpy(out, in, RP_TIME_UTC_LEN);
            *res = out;
            return RP_OK;
        }
    }
    int64_t t;
    if (rp_time_parse(in, &t, err))
        return rp_err_prefix(err, "%s", field);
    rp_time_format_utc(t, out);
    *res = out;
    return RP_OK;
}

/* Translate a store constraint failure into the caller's words. */
static int store_fail(int rc, rp_error *err, const char *what)
{
    if (rc == RP_CONSTRAINT)
        return rp_err_prefix(err, "%s", what);
    return rc;
}

/* Does the one-parameter query `sql` find a row?  key is text, or NULL to
 * bind id.  RP_OK when found, RP_NOTFOUND (with no message) when not. */
static void party_known(wh *w, int64_t id);

/* Rows found stay found: branches and products (a catalogue row is withdrawn, not deleted), parties and
 * accounts (closed, never deleted); unless a rollback took back the row this connection made.  A load asks
 * of each record whether its branch, product, party and account are there: the store once each. */
#define KNOWN_MAX 100000

static int row_known(wh *w, const char *k, size_t kl)
{
    if (!w->known || w->known_rows_rollbacks != rp_store_rollbacks(w->store) || rp_map_len(w->known) >= KNOWN_MAX) {
        rp_map_free(w->known, NULL);
        w->known = rp_map_new();
        w->known_rows_rollbacks = rp_store_rollbacks(w->store);
        return 0;
    }
    return rp_map_get(w->known, k, kl) != NULL;
}

static int row_key(char k[300], const char *sql, const char *key, int64_t id)
{
    int kl = key ? snprintf(k, 300, "%p %s", (const void *)sql, key)
                 : snprintf(k, 300, "%p #%lld", (const void *)sql, (long long)id);
    return kl > 0 && kl < 300 ? kl : 0;
}

/* A row this connection just made, as row_exists would find it with the same sql. */
static void row_seen(wh *w, const char *sql, const char *key, int64_t id)
{
    char k[300];
    int kl = row_key(k, sql, key, id);
    if (kl && (row_known(w, k, (size_t)kl) || w->known) && rp_map_put(w->known, k, (size_t)kl, (void *)1, NULL))
        rp_map_free(w->known, NULL), w->known = NULL;
}

static int row_exists(wh *w, const char *sql, const char *key, int64_t id, rp_error *err)
{
    char k[300];
    int kl = row_key(k, sql, key, id), cacheable = kl > 0;
    if (cacheable && row_known(w, k, (size_t)kl))
        return RP_OK;
    rp_stmt *st;
    int yes, rc = rp_store_prepare(w->store, sql, &st, err);
    if (rc)
        return rc;
    if (key)
        rp_stmt_bind_text(st, 1, key);
    else
        rp_stmt_bind_int(st, 1, id);
    if ((rc = wh__exists(st, &yes, err)))
        return rc;
    if (yes && cacheable && w->known && rp_map_put(w->known, k, (size_t)kl, (void *)1, NULL))
        rp_map_free(w->known, NULL), w->known = NULL; /* out of memory: asked each time */
    return yes ? RP_OK : RP_NOTFOUND;
}

int wh__exists(rp_stmt *st, int *yes, rp_error *err)
{
    int rc = rp_stmt_step(st, err);
    *yes = rc == RP_ROW;
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

int wh__one_text(rp_stmt *st, char *out, size_t n, rp_error *err)
{
    int rc = rp_stmt_step(st, err);
    *out = 0;
    if (rc == RP_ROW && rp_stmt_text(st, 0))
        snprintf(out, n, "%s", rp_stmt_text(st, 0));
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

static int branch_exists(wh *w, const char *code, rp_error *err)
{
    int rc = row_exists(w, "SELECT 1 FROM branch WHERE code = ?", code, 0, err);
    return rc == RP_NOTFOUND ? rp_err(err, rc, "unknown branch '%s'", code) : rc;
}

/* ---- jobs ---- */

int wh_job_start(wh *w, const char *source, const char *file, const char *by, int64_t *id,
                 rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    now_utc(now);
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "INSERT INTO load_job(source, file, started_at, started_by) "
                              "VALUES (?, ?, ?, ?) RETURNING id",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, source);
    rp_stmt_bind_text(st, 2, file);
    rp_stmt_bind_text(st, 3, now);
    rp_stmt_bind_text(st, 4, by);
    rc = rp_stmt_step(st, err);
    if (rc == RP_ROW) {
        *id = rp_stmt_int(st, 0);
        rc = rp_stmt_finish(st, err); /* committed at its end outside a transaction (store.h) */
    } else {
        rp_stmt_done(st);
    }
    return rc;
}

int wh_job_finish(wh *w, int64_t id, const char *status, int64_t loaded, int64_t rejected,
                  rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    now_utc(now);
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "UPDATE load_job SET finished_at = ?, status = ?, rows_loaded = ?, "
                              "rows_rejected = ? WHERE id = ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, now);
    rp_stmt_bind_text(st, 2, status);
    rp_stmt_bind_int(st, 3, loaded);
    rp_stmt_bind_int(st, 4, rejected);
    rp_stmt_bind_int(st, 5, id);
    return rp_stmt_run(st, err);
}

/* ---- reference data ---- */

int wh_branch_exists(wh *w, const char *code, int *exists, rp_error *err)
{
    int rc = row_exists(w, "SELECT 1 FROM branch WHERE code = ?", code, 0, err);
    *exists = rc == RP_OK;
    return rc == RP_NOTFOUND ? RP_OK : rc;
}

int wh_branch_put(wh *w, const wh_branch *b, rp_error *err)
{
    int rc;
    char o[11], c[11];
    const char *opened, *closed;
    if ((rc = wh__text_ok("branch.code", b->code, 16, 1, err)) ||
        (rc = wh__text_ok("branch.name_zh", b->name_zh, NAME_MAX_, 1, err)) ||
        (rc = wh__text_ok("branch.name_en", b->name_en, NAME_MAX_, 0, err)) ||
        (rc = wh__text_ok("branch.address", b->address, 400, 0, err)) ||
        (rc = wh_date_normalise("branch.opened_on", b->opened_on, o, &opened, err)) ||
        (rc = wh_date_normalise("branch.closed_on", b->closed_on, c, &closed, err)))
        return rc;
    rp_stmt *st;
    rc = rp_store_prepare(w->store,
                          "INSERT INTO branch(code, name_zh, name_en, county, district, address, "
                          "postal_code, phone, opened_on, closed_on) VALUES (?,?,?,?,?,?,?,?,?,?) "
                          "ON CONFLICT(code) DO UPDATE SET name_zh = excluded.name_zh, "
                          "name_en = excluded.name_en, county = excluded.county, "
                          "district = excluded.district, address = excluded.address, "
                          "postal_code = excluded.postal_code, phone = excluded.phone, "
                          "opened_on = excluded.opened_on, closed_on = excluded.closed_on",
                          &st, err);
    if (rc)
        return rc;
    const char *v[] = { b->code, b->name_zh, b->name_en, b->county, b->district,
                        b->address, b->postal_code, b->phone, opened, closed };
    for (int i = 0; i < 10; i++)
        rp_stmt_bind_text(st, i + 1, v[i]);
    return store_fail(rp_stmt_run(st, err), err, "branch");
}

int wh_category_put(wh *w, const wh_category *c, rp_error *err)
{
    int rc;
    if ((rc = wh__text_ok("category.code", c->code, 32, 1, err)) ||
        (rc = wh__text_ok("category.name_zh", c->name_zh, NAME_MAX_, 1, err)))
        return rc;
    rp_stmt *st;
    rc = rp_store_prepare(w->store,
                          "INSERT INTO product_category(code, name_zh, name_en, parent) "
                          "VALUES (?,?,?,?) ON CONFLICT(code) DO UPDATE SET "
                          "name_zh = excluded.name_zh, name_en = excluded.name_en, "
                          "parent = excluded.parent",
                          &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, c->code);
    rp_stmt_bind_text(st, 2, c->name_zh);
    rp_stmt_bind_text(st, 3, c->name_en);
    rp_stmt_bind_text(st, 4, c->parent);
    rc = rp_stmt_run(st, err);
    if (rc == RP_CONSTRAINT)
        return rp_err(err, RP_NOTFOUND, "category.parent: unknown category '%s'", c->parent);
    return rc;
}


static int json_object_text_ok(const char *field, const char *j, rp_error *err)
{
    if (!j)
        return RP_OK;
    json_error_t je;
    json_t *v = json_loads(j, 0, &je);
    int ok = v && json_is_object(v);
    json_decref(v);
    return ok ? RP_OK : rp_err(err, RP_INVAL, "%s: must be a JSON object", field);
}

int wh_product_put(wh *w, const wh_product *p, rp_error *err)
{
    int rc;
    char l[11], wd[11];
    const char *launched, *withdrawn;
    if ((rc = wh__text_ok("product.code", p->code, 32, 1, err)) ||
        (rc = wh__text_ok("product.name_zh", p->name_zh, NAME_MAX_, 1, err)) ||
        (rc = wh__text_ok("product.kind", p->kind, 32, 1, err)) ||
        (rc = wh__one_of("product.kind", p->kind, wh_product_kinds, err)) ||
        (rc = wh__currency_ok("product.currency", p->currency ? p->currency : "TWD", err)) ||
        (rc = json_object_text_ok("product.features", p->features_json, err)) ||
        (rc = json_object_text_ok("product.constraints", p->constraints_json, err)) ||
        (rc = wh_date_normalise("product.launched_on", p->launched_on, l, &launched, err)) ||
        (rc = wh_date_normalise("product.withdrawn_on", p->withdrawn_on, wd, &withdrawn, err)))
        return rc;
    if (!p->categories || !p->categories[0])
        return rp_err(err, RP_INVAL, "product.categories: at least one category");
    if (p->monthly_cost_minor < 0 || p->monthly_revenue_minor < 0)
        return rp_err(err, RP_INVAL, "product: cost and revenue must not be negative");
    rp_stmt *st;
    rc = rp_store_prepare(w->store,
                          "INSERT INTO product(code, name_zh, name_en, description, kind, features, "
                          "constraints, currency, monthly_cost_minor, monthly_revenue_minor, "
                          "sales_priority, launched_on, withdrawn_on) "
                          "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(code) DO UPDATE SET "
                          "name_zh = excluded.name_zh, name_en = excluded.name_en, "
                          "description = excluded.description, kind = excluded.kind, "
                          "features = excluded.features, constraints = excluded.constraints, "
                          "currency = excluded.currency, "
                          "monthly_cost_minor = excluded.monthly_cost_minor, "
                          "monthly_revenue_minor = excluded.monthly_revenue_minor, "
                          "sales_priority = excluded.sales_priority, "
                          "launched_on = excluded.launched_on, withdrawn_on = excluded.withdrawn_on",
                          &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, p->code);
    rp_stmt_bind_text(st, 2, p->name_zh);
    rp_stmt_bind_text(st, 3, p->name_en);
    rp_stmt_bind_text(st, 4, p->description);
    rp_stmt_bind_text(st, 5, p->kind);
    rp_stmt_bind_text(st, 6, p->features_json);
    rp_stmt_bind_text(st, 7, p->constraints_json);
    rp_stmt_bind_text(st, 8, p->currency ? p->currency : "TWD");
    rp_stmt_bind_int(st, 9, p->monthly_cost_minor);
    rp_stmt_bind_int(st, 10, p->monthly_revenue_minor);
    rp_stmt_bind_int(st, 11, p->sales_priority);
    rp_stmt_bind_text(st, 12, launched);
    rp_stmt_bind_text(st, 13, withdrawn);
    if ((rc = store_fail(rp_stmt_run(st, err), err, "product")))
        return rc;
    if ((rc = rp_store_prepare(w->store, "DELETE FROM product_category_member WHERE product = ?",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, p->code);
    if ((rc = rp_stmt_run(st, err)))
        return rc;
    for (const char *const *c = p->categories; *c; c++) {
        if ((rc = rp_store_prepare(w->store,
                                   "INSERT INTO product_category_member(product, category) "
                                   "SELECT ?, code FROM product_category WHERE code = ? "
                                   "ON CONFLICT DO NOTHING RETURNING category",
                                   &st, err)))
            return rc;
        rp_stmt_bind_text(st, 1, p->code);
        rp_stmt_bind_text(st, 2, *c);
        rc = rp_stmt_step(st, err);
        if (rc == RP_ROW) { /* committed at its end outside a transaction (store.h) */
            int f = rp_stmt_finish(st, err);
            rc = f ? f : RP_ROW;
        } else {
            rp_stmt_done(st);
        }
        if (rc == RP_DONE) {
            /* either unknown, or listed twice: tell which */
            rc = row_exists(w, "SELECT 1 FROM product_category WHERE code = ?", *c, 0, err);
            if (rc == RP_NOTFOUND)
                return rp_err(err, rc, "product.categories: unknown category '%s'", *c);
        } else if (rc == RP_ROW) {
            rc = RP_OK;
        }
        if (rc)
            return rc;
    }
    return RP_OK;
}

/* ---- parties ---- */


int wh__party_check(wh *w, const wh_party *p, char bd[11], const char **birth, char ss[11],
                    const char **since, rp_error *err)
{
    int rc;
    if ((rc = wh__text_ok("party.kind", p->kind, 16, 1, err)) ||
        (rc = wh__one_of("party.kind", p->kind, wh_party_kinds, err)))
        return rc;
    /* free text: its length, as its row of WH_PARTY_ATTRS says */
#define TEXT_CHECK(n, check, max, ...)                                                   \
    if (check == WH_CK_TEXT && (rc = wh__text_ok("party." #n, p->n, max, 0, err)))     \
        return rc;
    WH_PARTY_ATTRS(TEXT_CHECK)
#undef TEXT_CHECK
    if ((rc = wh_date_normalise("party.birth_date", p->birth_date, bd, birth, err)) ||
        (rc = wh_date_normalise("party.status_since", p->status_since, ss, since, err)))
        return rc;
    if ((!p->name_zh || !*p->name_zh) && (!p->name_latin || !*p->name_latin))
        return rp_err(err, RP_INVAL, "party: name_zh or name_latin is required");
    if (p->gender && *p->gender && (rc = wh__one_of("party.gender", p->gender, wh_genders, err)))
        return rc;
    if (p->status && (rc = wh__one_of("party.status", p->status, wh_party_statuses, err)))
        return rc;
    if (*birth) {
        rp_date today = rp_time_taipei_date(rp_now());
        char t[11];
        rp_date_format(today, t);
        if (strcmp(*birth, t) > 0)
            return rp_err(err, RP_INVAL, "party.birth_date: '%s' is in the future", p->birth_date);
    }
    if (p->home_branch && *p->home_branch && (rc = branch_exists(w, p->home_branch, err)))
        return rp_err_prefix(err, "party.home_branch");
    return RP_OK;
}

void wh__party_values(const wh_party *p, const char *birth, const char *since, const char *nv[WH_NPARTY_ATTRS])
{
    for (int i = 0; i < WH_NPARTY_ATTRS; i++) {
        const char *v = wh_party_attr(p, i);
        nv[i] = v && *v ? v : NULL;
    }
    nv[WH_PA_kind] = p->kind;
    nv[WH_PA_birth_date] = birth;
    nv[WH_PA_status] = p->status ? p->status : "active";
    nv[WH_PA_status_since] = since;
}

int wh_party_add(wh *w, const wh_party *p, int64_t *id, rp_error *err)
{
    char bd[11], ss[11];
    const char *birth, *since;
    int rc = wh__party_check(w, p, bd, &birth, ss, &since, err);
    if (rc)
        return rc;
    char now[RP_TIME_UTC_LEN];
    now_utc(now);
    rp_stmt *st;
    rc = rp_store_prepare(w->store,
                          "INSERT INTO party(" WH_PARTY_COLUMNS "created_at, updated_at) "
                          "VALUES (" WH_PARTY_PARAMS "?, ?) RETURNING id",
                          &st, err);
    if (rc)
        return rc;
    const char *nv[WH_NPARTY_ATTRS];
    wh__party_values(p, birth, since, nv);
    for (int i = 0; i < WH_NPARTY_ATTRS; i++)
        rp_stmt_bind_text(st, i + 1, nv[i]);
    rp_stmt_bind_text(st, WH_NPARTY_ATTRS + 1, now);
    rp_stmt_bind_text(st, WH_NPARTY_ATTRS + 2, now);
    rc = rp_stmt_step(st, err);
    if (rc == RP_ROW) {
        *id = rp_stmt_int(st, 0);
        rc = rp_stmt_finish(st, err); /* committed at its end outside a transaction (store.h) */
        if (!rc)
            party_known(w, *id), wh__fresh_party(w, *id);
    } else {
        rp_stmt_done(st);
    }
    return store_fail(rc, err, "party");
}

/* Parties are never deleted: one made or found stays, unless a rollback took it back.  A load checks the
 * party of each identifier and contact point it writes: asked once a party, not five times. */
void wh__party_known(wh *w, int64_t id) { party_known(w, id); }

static void party_known(wh *w, int64_t id)
{
    w->known_party = id;
    w->known_rollbacks = rp_store_rollbacks(w->store);
}

int wh_party_exists(wh *w, int64_t id, rp_error *err)
{
    if (id > 0 && id == w->known_party && w->known_rollbacks == rp_store_rollbacks(w->store))
        return RP_OK;
    int rc = row_exists(w, "SELECT 1 FROM party WHERE id = ?", NULL, id, err);
    if (!rc)
        party_known(w, id);
    return rc;
}

static int party_must_exist(wh *w, const char *field, int64_t id, rp_error *err)
{
    int rc = wh_party_exists(w, id, err);
    if (rc == RP_NOTFOUND)
        return rp_err(err, RP_NOTFOUND, "%s: no party %lld", field, (long long)id);
    return rc;
}

/* The lookup hash binds type, issuer and the canonical value together; a
 * sealed identifier is one per person whoever issued it, so its issuer is
 * left out and a person can be found by the number alone. */
void wh__identifier_lookup(const wh *w, const char *type, const char *issuer, const char *canon,
                           unsigned char h[RP_HASH_LEN])
{
    char buf[256];
    if (wh_identifier_sealed(type) || !issuer)
        issuer = "";
    int n = snprintf(buf, sizeof buf, "%s%c%s%c%s", type, 0, issuer, 0, canon);
    rp_keyed_hash(w->keys, "identifier", buf, n > 0 ? (size_t)n : 0, h);
}

static int identifier_insert(wh *w, int64_t party, const char *type, const char *issuer,
                             const char *value, const char *valid_from, int strict, int *outcome,
                             rp_error *err);

int wh_identifier_add(wh *w, int64_t party, const char *type, const char *issuer,
                      const char *value, const char *valid_from, rp_error *err)
{
    return identifier_insert(w, party, type, issuer, value, valid_from, 1, NULL, err);
}

int wh_identifier_put(wh *w, int64_t party, const char *type, const char *issuer,
                      const char *value, const char *valid_from, int *outcome, rp_error *err)
{
    return identifier_insert(w, party, type, issuer, value, valid_from, 0, outcome, err);
}

static int identifier_insert(wh *w, int64_t party, const char *type, const char *issuer,
                             const char *value, const char *valid_from, int strict, int *outcome,
                             rp_error *err)
{
    char canon[80], masked[80], vf[11];
    const char *from;
    int rc = wh_identifier_normalise(type, value, canon, sizeof canon, err);
    if (rc)
        return rp_err_prefix(err, "identifier.value");
    if (wh_identifier_needs_issuer(type) && (!issuer || !*issuer))
        return rp_err(err, RP_INVAL, "identifier.issuer: required for %s (the source system)", type);
    if ((rc = wh__text_ok("identifier.issuer", issuer, 32, 0, err)) ||
        (rc = wh_date_normalise("identifier.valid_from", valid_from, vf, &from, err)) ||
        (rc = party_must_exist(w, "identifier.party", party, err)))
        return rc;
    if (!issuer)
        issuer = "";
    unsigned char h[RP_HASH_LEN];
    wh__identifier_lookup(w, type, issuer, canon, h);
    /* say clearly who already has it, rather than a bare constraint error; a
     * load (not strict) lets separate source parties share an ID until
     * identity resolution merges them */
    rp_stmt *st;
    int64_t other = 0;
    if (!strict && wh__fresh(w, party)) { /* a party this transaction made: it has what it was given since */
        other = wh__fresh_has_identifier(w, h) ? party : 0;
    } else {
        if ((rc = rp_store_prepare(w->store,
                                   strict ? "SELECT party_id FROM party_identifier WHERE lookup = ? "
                                            "ORDER BY party_id = ? DESC LIMIT 1"
                                          : "SELECT party_id FROM party_identifier WHERE lookup = ? "
                                            "AND party_id = ?",
                                   &st, err)))
            return rc;
        rp_stmt_bind_blob(st, 1, h, sizeof h);
        rp_stmt_bind_int(st, 2, party);
        rc = rp_stmt_step(st, err);
        other = rc == RP_ROW ? rp_stmt_int(st, 0) : 0;
        rp_stmt_done(st);
        if (rc != RP_ROW && rc != RP_DONE)
            return rc;
    }
    wh_mask(canon, masked, sizeof masked);
    if (other == party && outcome) {
        *outcome = WH_UNCHANGED;
        return RP_OK;
    }
    if (other)
        return rp_err(err, RP_EXISTS, "identifier.value: %s %s already belongs to party %lld", type,
                      wh_identifier_sealed(type) ? masked : canon, (long long)other);
    if (outcome)
        *outcome = WH_CREATED;
    rc = rp_store_prepare(w->store,
                          "INSERT INTO party_identifier(party_id, type, issuer, value, sealed, "
                          "lookup, masked, valid_from) VALUES (?,?,?,?,?,?,?,?)",
                          &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, party);
    rp_stmt_bind_text(st, 2, type);
    rp_stmt_bind_text(st, 3, issuer);
    if (wh_identifier_sealed(type)) {
        size_t n = strlen(canon);
        unsigned char sealed[80 + RP_SEAL_OVERHEAD];
        rp_seal(w->keys, canon, n, sealed);
        rp_stmt_bind_null(st, 4);
        rp_stmt_bind_blob(st, 5, sealed, n + RP_SEAL_OVERHEAD);
    } else {
        rp_stmt_bind_text(st, 4, canon);
        rp_stmt_bind_null(st, 5);
    }
    rp_stmt_bind_blob(st, 6, h, sizeof h);
    rp_stmt_bind_text(st, 7, masked);
    rp_stmt_bind_text(st, 8, from);
    if ((rc = rp_stmt_run(st, err)))
        return store_fail(rc, err, "identifier");
    wh__fresh_identifier(w, party, h);
    return RP_OK;
}


int wh_contact_add(wh *w, int64_t party, const wh_contact *c, int64_t *id, rp_error *err)
{
    int rc;
    char vf[11], vt[11], value[300], lookup[300], country[3];
    const char *from, *to, *look = NULL, *val = c->value;
    if ((rc = wh__text_ok("contact.kind", c->kind, 16, 1, err)) ||
        (rc = wh__one_of("contact.kind", c->kind, wh_contact_kinds, err)) ||
        (c->purpose && (rc = wh__one_of("contact.purpose", c->purpose, wh_contact_purposes, err))) ||
        (rc = wh__text_ok("contact.value", c->value, WH_CONTACT_VALUE_MAX, 1, err)) ||
        (rc = wh__text_ok("contact.postal_code", c->postal_code, WH_POSTAL_CODE_MAX, 0, err)) ||
        (rc = wh_country_ok("contact.country", c->country, country, err)) ||
        (rc = wh_date_normalise("contact.valid_from", c->valid_from, vf, &from, err)) ||
        (rc = wh_date_normalise("contact.valid_to", c->valid_to, vt, &to, err)) ||
        (rc = party_must_exist(w, "contact.party", party, err)))
        return rc;
    if (from && to && strcmp(from, to) > 0)
        return rp_err(err, RP_INVAL, "contact.valid_to: %s is before valid_from %s", to, from);
    if (strcmp(c->kind, "email") == 0) {
        if ((rc = wh_email_normalise(c->value, value, sizeof value, lookup, sizeof lookup, err)))
            return rp_err_prefix(err, "contact.value");
        val = value;
        look = lookup;
    } else if (strcmp(c->kind, "address") != 0) {
        if ((rc = wh_phone_normalise_in(country, c->value, value, sizeof value, lookup, sizeof lookup, err)))
            return rp_err_prefix(err, "contact.value");
        val = value;
        look = lookup;
    } else if ((rc = wh_postal_code_ok(country, c->postal_code, err))) {
        return rc;
    }
    rp_stmt *st;
    rc = rp_store_prepare(w->store,
                          "INSERT INTO contact_point(party_id, kind, purpose, value, lookup, "
                          "postal_code, county, district, is_primary, valid_from, valid_to, source, country) "
                          "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                          &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, party);
    rp_stmt_bind_text(st, 2, c->kind);
    rp_stmt_bind_text(st, 3, c->purpose ? c->purpose : "home");
    rp_stmt_bind_text(st, 4, val);
    rp_stmt_bind_text(st, 5, look);
    rp_stmt_bind_text(st, 6, c->postal_code);
    rp_stmt_bind_text(st, 7, c->county);
    rp_stmt_bind_text(st, 8, c->district);
    rp_stmt_bind_int(st, 9, c->primary ? 1 : 0);
    rp_stmt_bind_text(st, 10, from);
    rp_stmt_bind_text(st, 11, to);
    rp_stmt_bind_text(st, 12, c->source);
    rp_stmt_bind_text(st, 13, *country ? country : NULL);
    rc = rp_stmt_step(st, err);
    if (rc == RP_ROW) {
        int64_t made = rp_stmt_int(st, 0);
        if (id)
            *id = made;
        rc = rp_stmt_finish(st, err); /* committed at its end outside a transaction (store.h) */
        if (!rc) {
            char ident[WH_CONTACT_VALUE_MAX + 64];
            if (!look) /* an address: compared by its text, postal code and country (upsert.c) */
                wh__address_identity(val, c->postal_code, country, ident, sizeof ident);
            wh__fresh_contact(w, party, made, c->kind, c->purpose ? c->purpose : "home", c->source, val,
                              look ? look : ident, !to);
        }
    } else {
        rp_stmt_done(st);
    }
    return store_fail(rc, err, "contact");
}

/* ---- accounts ---- */


/* A card number is kept as "pan:" and the keyed hash of its digits (no
 * other number has lower-case letters or a colon), sealed, and masked for
 * display; any other account number as it is. */
int wh_account_key(const wh *w, const char *number, char key[WH_ACCOUNT_KEY_LEN], char *masked, size_t mn)
{
    char digits[20];
    if (!sec_is_pan(number, digits)) {
        snprintf(key, WH_ACCOUNT_KEY_LEN, "%s", number);
        if (masked)
            sec_mask_account(number, masked, mn);
        return 0;
    }
    unsigned char h[RP_HASH_LEN];
    rp_keyed_hash(w->keys, "card", digits, strlen(digits), h);
    memcpy(key, "pan:", 4);
    sodium_bin2hex(key + 4, WH_ACCOUNT_KEY_LEN - 4, h, sizeof h);
    if (masked)
        sec_mask_pan(digits, masked, mn);
    return 1;
}

int wh_account_by_number(wh *w, const char *number, int64_t *id, char currency[4], rp_error *err)
{
    char key[WH_ACCOUNT_KEY_LEN], masked[40];
    wh_account_key(w, number, key, masked, sizeof masked);
    rp_stmt *st;
    int rc = rp_store_prepare(w->store, "SELECT id, currency FROM account WHERE number = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, key);
    rc = rp_stmt_step(st, err);
    if (rc == RP_ROW) {
        *id = rp_stmt_int(st, 0);
        snprintf(currency, 4, "%s", rp_stmt_text(st, 1) ? rp_stmt_text(st, 1) : "");
    }
    rp_stmt_done(st);
    if (rc == RP_DONE)
        return rp_err(err, RP_NOTFOUND, "unknown account '%s'", strcmp(key, number) ? masked : number);
    return rc == RP_ROW ? RP_OK : rc;
}

/* A card number sealed: how it was written (dashes and all), for reveal. */
static int seal_number(const wh *w, const char *number, unsigned char *out, size_t *n)
{
    size_t len = strlen(number);
    if (len > 64)
        return RP_TOOBIG;
    rp_seal(w->keys, number, len, out);
    *n = len + RP_SEAL_OVERHEAD;
    return RP_OK;
}

int wh_account_number_unseal(const wh *w, const void *sealed, size_t n, char *out, size_t on, rp_error *err)
{
    if (n <= RP_SEAL_OVERHEAD || n - RP_SEAL_OVERHEAD >= on)
        return rp_err(err, RP_CRYPTO, "a sealed account number of %zu bytes", n);
    if (rp_unseal(w->keys, sealed, n, out) != RP_OK)
        return rp_err(err, RP_CRYPTO, "an account number does not unseal with this key");
    out[n - RP_SEAL_OVERHEAD] = 0;
    return RP_OK;
}

/* Card numbers a store kept in clear before they were sealed (migration
 * 0013): sealed once, in one transaction, and marked done in store_meta. */
static int seal_cards_kept_in_clear(wh *w, rp_error *err)
{
    int64_t done = 0;
    int rc;
    if ((rc = rp_store_meta_int(w->store, "cards_sealed", &done, err)) || done)
        return rc;
    if ((rc = rp_store_begin(w->store, err)))
        return rc;
    rp_stmt *st, *up;
    if ((rc = rp_store_prepare(w->store, "SELECT id, number FROM account WHERE masked IS NULL", &st, err)))
        goto out;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        const char *number = rp_stmt_text(st, 1);
        char key[WH_ACCOUNT_KEY_LEN], masked[40];
        unsigned char sealed[64 + RP_SEAL_OVERHEAD];
        size_t sn;
        if (!number || !wh_account_key(w, number, key, masked, sizeof masked) || seal_number(w, number, sealed, &sn))
            continue;
        if ((rc = rp_store_prepare(w->store, "UPDATE account SET number = ?, sealed = ?, masked = ? WHERE id = ?",
                                   &up, err)))
            break;
        rp_stmt_bind_text(up, 1, key);
        rp_stmt_bind_blob(up, 2, sealed, sn);
        rp_stmt_bind_text(up, 3, masked);
        rp_stmt_bind_int(up, 4, rp_stmt_int(st, 0));
        if ((rc = rp_stmt_run(up, err)) ||
            (rc = rp_store_prepare(w->store, "UPDATE source_record SET source_key = ? WHERE entity = 'account' "
                                             "AND entity_id = ? AND source_key = ?", &up, err)))
            break;
        rp_stmt_bind_text(up, 1, key); /* the lineage names it as the account does */
        rp_stmt_bind_int(up, 2, rp_stmt_int(st, 0));
        rp_stmt_bind_text(up, 3, number);
        if ((rc = rp_stmt_run(up, err)))
            break;
    }
    rp_stmt_done(st);
    if (rc != RP_DONE && rc != RP_OK)
        goto out;
    if ((rc = rp_store_meta_set_int(w->store, "cards_sealed", 1, err)))
        goto out;
    return rp_store_commit(w->store, err);
out:
    rp_store_rollback(w->store);
    return rc;
}

int wh_account_id(wh *w, const char *number, int64_t *id, rp_error *err)
{
    char currency[4];
    return wh_account_by_number(w, number, id, currency, err);
}

static int product_exists(wh *w, const char *code, rp_error *err)
{
    int rc = row_exists(w, "SELECT 1 FROM product WHERE code = ?", code, 0, err);
    return rc == RP_NOTFOUND ? rp_err(err, rc, "account.product: unknown product '%s'", code) : rc;
}

int wh__account_check(wh *w, const wh_account *a, char o[11], const char **opened, char c[11],
                      const char **closed, char bat[RP_TIME_UTC_LEN], const char **balance_at,
                      rp_error *err)
{
    int rc;
    if ((rc = wh__text_ok("account.number", a->number, 34, 1, err)) ||
        (rc = wh__text_ok("account.product", a->product, 32, 1, err)) ||
        (rc = wh__currency_ok("account.currency", a->currency, err)) ||
        (rc = wh_date_normalise("account.opened_on", a->opened_on, o, opened, err)) ||
        (rc = wh_date_normalise("account.closed_on", a->closed_on, c, closed, err)) ||
        (rc = wh__time_norm("account.balance_at", a->balance_at, bat, 0, balance_at, err)) ||
        (a->status && (rc = wh__one_of("account.status", a->status, wh_account_statuses, err))) ||
        (rc = product_exists(w, a->product, err)))
        return rc;
    for (const char *p = a->number; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || *p == '-'))
            return rp_err(err, RP_INVAL, "account.number: '%s' may hold only digits, capitals and -",
                          a->number);
    if (!*opened)
        return rp_err(err, RP_INVAL, "account.opened_on: required");
    if (*closed && strcmp(*closed, *opened) < 0)
        return rp_err(err, RP_INVAL, "account.closed_on: %s is before opened_on %s", *closed, *opened);
    if (a->branch && *a->branch && (rc = branch_exists(w, a->branch, err)))
        return rp_err_prefix(err, "account.branch");
    char m[11];
    const char *matures;
    if ((rc = wh_date_normalise("account.matures_on", a->matures_on, m, &matures, err)))
        return rc;
    if (matures && *matures && strcmp(matures, *opened) < 0)
        return rp_err(err, RP_INVAL, "account.matures_on: %s is before opened_on %s", matures, *opened);
    if (a->interest_rate) {
        char *end;
        double r = strtod(a->interest_rate, &end);
        if (end == a->interest_rate || *end || r < -100 || r > 1000)
            return rp_err(err, RP_INVAL, "account.interest_rate: '%s' is not a rate in percent a year",
                          a->interest_rate);
    }
    return RP_OK;
}

static const char ACCOUNT_EXISTS[] = "SELECT 1 FROM account WHERE id = ?";

static int account_add(wh *w, const wh_account *a, int known_new, int64_t *id, rp_error *err);

int wh_account_add(wh *w, const wh_account *a, int64_t *id, rp_error *err) { return account_add(w, a, 0, id, err); }
int wh__account_add_new(wh *w, const wh_account *a, int64_t *id, rp_error *err) { return account_add(w, a, 1, id, err); }

/* known_new: the caller has just looked the number up (upsert.c) */
static int account_add(wh *w, const wh_account *a, int known_new, int64_t *id, rp_error *err)
{
    char o[11], c[11], bat[RP_TIME_UTC_LEN];
    const char *opened, *closed, *balance_at;
    int rc = wh__account_check(w, a, o, &opened, c, &closed, bat, &balance_at, err);
    if (rc)
        return rc;
    int64_t existing;
    rp_error e2 = RP_ERROR_INIT;
    char key[WH_ACCOUNT_KEY_LEN], masked[40];
    unsigned char sealed[64 + RP_SEAL_OVERHEAD];
    size_t sn = 0;
    int card = wh_account_key(w, a->number, key, masked, sizeof masked);
    if (!known_new && wh_account_id(w, a->number, &existing, &e2) == RP_OK)
        return rp_err(err, RP_EXISTS, "account.number: account '%s' already exists", card ? masked : a->number);
    if (card && seal_number(w, a->number, sealed, &sn))
        return rp_err(err, RP_TOOBIG, "account.number: longer than 64 bytes");
    char now[RP_TIME_UTC_LEN];
    now_utc(now);
    rp_stmt *st;
    rc = rp_store_prepare(w->store,
                          "INSERT INTO account(number, product, branch, currency, opened_on, "
                          "closed_on, status, balance_minor, limit_minor, balance_at, updated_at, "
                          "interest_rate, accrued_interest_minor, sealed, masked, matures_on) "
                          "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                          &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, key);
    if (card) {
        rp_stmt_bind_blob(st, 14, sealed, sn);
        rp_stmt_bind_text(st, 15, masked);
    } else {
        rp_stmt_bind_null(st, 14);
        rp_stmt_bind_null(st, 15);
    }
    rp_stmt_bind_text(st, 2, a->product);
    rp_stmt_bind_text(st, 3, a->branch && *a->branch ? a->branch : NULL);
    rp_stmt_bind_text(st, 4, a->currency);
    rp_stmt_bind_text(st, 5, opened);
    rp_stmt_bind_text(st, 6, closed);
    rp_stmt_bind_text(st, 7, a->status ? a->status : (closed ? "closed" : "active"));
    rp_stmt_bind_int(st, 8, a->balance_minor);
    if (a->has_limit)
        rp_stmt_bind_int(st, 9, a->limit_minor);
    else
        rp_stmt_bind_null(st, 9);
    rp_stmt_bind_text(st, 10, balance_at);
    rp_stmt_bind_text(st, 11, now);
    if (a->interest_rate)
        rp_stmt_bind_real(st, 12, strtod(a->interest_rate, NULL));
    else
        rp_stmt_bind_null(st, 12);
    if (a->has_accrued)
        rp_stmt_bind_int(st, 13, a->accrued_interest_minor);
    else
        rp_stmt_bind_null(st, 13);
    char m[11];
    const char *matures = NULL;
    if (wh_date_normalise("account.matures_on", a->matures_on, m, &matures, err)) /* checked above */
        matures = NULL;
    rp_stmt_bind_text(st, 16, matures && *matures ? matures : NULL);
    rc = rp_stmt_step(st, err);
    if (rc == RP_ROW) {
        int64_t made = rp_stmt_int(st, 0);
        if (id)
            *id = made;
        if (!(rc = rp_stmt_finish(st, err))) /* committed at its end outside a transaction (store.h) */
            wh__fresh_account(w, made), row_seen(w, ACCOUNT_EXISTS, NULL, made);
    } else {
        rp_stmt_done(st);
    }
    return store_fail(rc, err, "account");
}

static int account_must_exist(wh *w, const char *field, int64_t id, rp_error *err)
{
    int rc = row_exists(w, ACCOUNT_EXISTS, NULL, id, err);
    return rc == RP_NOTFOUND ? rp_err(err, rc, "%s: no account %lld", field, (long long)id) : rc;
}


int wh_role_add(wh *w, int64_t party, int64_t account, const char *role, const char *since,
                rp_error *err)
{
    int rc;
    char s[11];
    const char *from;
    if ((rc = wh__text_ok("role", role, 16, 1, err)) || (rc = wh__one_of("role", role, wh_account_roles, err)) ||
        (rc = wh_date_normalise("role.since", since, s, &from, err)) ||
        (rc = party_must_exist(w, "role.party", party, err)) ||
        (rc = account_must_exist(w, "role.account", account, err)))
        return rc;
    rp_stmt *st;
    /* the account's primary holder: the party of its first role, set once (0034) */
    if ((rc = rp_store_prepare(w->store, "UPDATE account SET holder_party = ? WHERE id = ? AND holder_party IS NULL",
                               &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, party);
    rp_stmt_bind_int(st, 2, account);
    if ((rc = rp_stmt_run(st, err)) ||
        (rp_store_changes(w->store) > 0 && !wh__fresh_account_bare(w, account) && (rc = wh__txn_holder(w, account, party, err))))
        return rc;
    rc = rp_store_prepare(w->store,
                          "INSERT INTO party_account(party_id, account_id, role, since, holder_party) "
                          "VALUES (?,?,?,?, (SELECT holder_party FROM account WHERE id = ?))",
                          &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, party);
    rp_stmt_bind_int(st, 2, account);
    rp_stmt_bind_text(st, 3, role);
    rp_stmt_bind_text(st, 4, from);
    rp_stmt_bind_int(st, 5, account);
    rc = rp_stmt_run(st, err);
    if (rc == RP_CONSTRAINT)
        return rp_err(err, RP_EXISTS, "role: party %lld is already %s of account %lld",
                      (long long)party, role, (long long)account);
    return rc;
}


int wh_party_link_add(wh *w, int64_t from, int64_t to, const char *kind, const char *since,
                      rp_error *err)
{
    int rc;
    char s[11];
    const char *sd;
    if ((rc = wh__text_ok("link.kind", kind, 16, 1, err)) ||
        (rc = wh__one_of("link.kind", kind, wh_party_link_kinds, err)) ||
        (rc = wh_date_normalise("link.since", since, s, &sd, err)) ||
        (rc = party_must_exist(w, "link.from", from, err)) ||
        (rc = party_must_exist(w, "link.to", to, err)))
        return rc;
    if (from == to)
        return rp_err(err, RP_INVAL, "link: a party cannot be linked to itself");
    rp_stmt *st;
    rc = rp_store_prepare(w->store,
                          "INSERT INTO party_link(from_party, to_party, kind, since) VALUES (?,?,?,?)",
                          &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, from);
    rp_stmt_bind_int(st, 2, to);
    rp_stmt_bind_text(st, 3, kind);
    rp_stmt_bind_text(st, 4, sd);
    rc = rp_stmt_run(st, err);
    if (rc == RP_CONSTRAINT)
        return rp_err(err, RP_EXISTS, "link: parties %lld and %lld are already linked as %s",
                      (long long)from, (long long)to, kind);
    return rc;
}


int wh_account_link_add(wh *w, int64_t from, int64_t to, const char *kind, const char *since,
                        rp_error *err)
{
    int rc;
    char s[11];
    const char *sd;
    if ((rc = wh__text_ok("account_link.kind", kind, 16, 1, err)) ||
        (rc = wh__one_of("account_link.kind", kind, wh_account_link_kinds, err)) ||
        (rc = wh_date_normalise("account_link.since", since, s, &sd, err)) ||
        (rc = account_must_exist(w, "account_link.from", from, err)) ||
        (rc = account_must_exist(w, "account_link.to", to, err)))
        return rc;
    if (from == to)
        return rp_err(err, RP_INVAL, "account_link: an account cannot be linked to itself");
    rp_stmt *st;
    rc = rp_store_prepare(w->store,
                          "INSERT INTO account_link(from_account, to_account, kind, since) "
                          "VALUES (?,?,?,?)",
                          &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, from);
    rp_stmt_bind_int(st, 2, to);
    rp_stmt_bind_text(st, 3, kind);
    rp_stmt_bind_text(st, 4, sd);
    rc = rp_stmt_run(st, err);
    if (rc == RP_CONSTRAINT)
        return rp_err(err, RP_EXISTS, "account_link: accounts already linked as %s", kind);
    return rc;
}

/* ---- transactions, interactions, consents ---- */


int wh_interaction_add(wh *w, const wh_interaction *i, int64_t *id, rp_error *err)
{
    int rc;
    char at[RP_TIME_UTC_LEN], fu[11], now[RP_TIME_UTC_LEN], res[RP_TIME_UTC_LEN];
    const char *when, *follow, *resolved;
    now_utc(now);
    if ((rc = wh__time_norm("interaction.at", i->at, at, 0, &when, err)) ||
        (rc = wh__text_ok("interaction.channel", i->channel, 16, 1, err)) ||
        (rc = wh__one_of("interaction.channel", i->channel, wh_interaction_channels, err)) ||
        (i->direction && (rc = wh__one_of("interaction.direction", i->direction, wh_directions, err))) ||
        (rc = wh__text_ok("interaction.staff", i->staff, 64, 0, err)) ||
        (rc = wh__text_ok("interaction.reason", i->reason, WH_SUBJECT_MAX, 0, err)) ||
        (rc = wh__text_ok("interaction.outcome", i->outcome, WH_SUBJECT_MAX, 0, err)) ||
        (rc = wh__text_ok("interaction.notes", i->notes, WH_NOTES_MAX, 0, err)) ||
        (rc = wh_date_normalise("interaction.follow_up_on", i->follow_up_on, fu, &follow, err)) ||
        (i->kind && *i->kind && (rc = wh__one_of("interaction.kind", i->kind, wh_interaction_kinds, err))) ||
        (rc = wh__time_norm("interaction.resolved_at", i->resolved_at, res, 0, &resolved, err)) ||
        (rc = party_must_exist(w, "interaction.party", i->party_id, err)))
        return rc;
    if (!i->notes && !i->reason)
        return rp_err(err, RP_INVAL, "interaction: notes or reason is required");
    rp_stmt *st;
    rc = rp_store_prepare(w->store,
                          "INSERT INTO interaction(party_id, at, channel, direction, staff, reason, "
                          "outcome, notes, follow_up_on, created_at, created_by, kind, resolved_at) "
                          "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                          &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, i->party_id);
    rp_stmt_bind_text(st, 2, when ? when : now);
    rp_stmt_bind_text(st, 3, i->channel);
    rp_stmt_bind_text(st, 4, i->direction ? i->direction : "inbound");
    rp_stmt_bind_text(st, 5, i->staff);
    rp_stmt_bind_text(st, 6, i->reason);
    rp_stmt_bind_text(st, 7, i->outcome);
    rp_stmt_bind_text(st, 8, i->notes);
    rp_stmt_bind_text(st, 9, follow);
    rp_stmt_bind_text(st, 10, now);
    rp_stmt_bind_text(st, 11, i->created_by);
    rp_stmt_bind_text(st, 12, i->kind && *i->kind ? i->kind : "contact");
    rp_stmt_bind_text(st, 13, resolved);
    rc = rp_stmt_step(st, err);
    if (rc == RP_ROW) {
        if (id)
            *id = rp_stmt_int(st, 0);
        rc = rp_stmt_finish(st, err); /* committed at its end outside a transaction (store.h) */
    } else {
        rp_stmt_done(st);
    }
    return store_fail(rc, err, "interaction");
}


int wh_consent_set(wh *w, const wh_consent *c, rp_error *err)
{
    int rc;
    char eff[RP_TIME_UTC_LEN], now[RP_TIME_UTC_LEN];
    const char *effective;
    now_utc(now);
    if ((rc = wh__text_ok("consent.purpose", c->purpose, 32, 1, err)) ||
        (rc = wh__one_of("consent.purpose", c->purpose, wh_consent_purposes, err)) ||
        (rc = wh__text_ok("consent.channel", c->channel, 16, 1, err)) ||
        (rc = wh__one_of("consent.channel", c->channel, wh_consent_channels, err)) ||
        (rc = wh__text_ok("consent.evidence", c->evidence, WH_EVIDENCE_MAX, 0, err)) ||
        (rc = wh__time_norm("consent.effective_at", c->effective_at, eff, 0, &effective, err)) ||
        (rc = party_must_exist(w, "consent.party", c->party_id, err)))
        return rc;
    rp_stmt *st;
    rc = rp_store_prepare(w->store,
                          "INSERT INTO consent(party_id, purpose, channel, granted, evidence, "
                          "effective_at, recorded_at, recorded_by) VALUES (?,?,?,?,?,?,?,?)",
                          &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, c->party_id);
    rp_stmt_bind_text(st, 2, c->purpose);
    rp_stmt_bind_text(st, 3, c->channel);
    rp_stmt_bind_int(st, 4, c->granted ? 1 : 0);
    rp_stmt_bind_text(st, 5, c->evidence);
    rp_stmt_bind_text(st, 6, effective ? effective : now);
    rp_stmt_bind_text(st, 7, now);
    rp_stmt_bind_text(st, 8, c->recorded_by);
    return store_fail(rp_stmt_run(st, err), err, "consent");
}

int wh_lineage_add(wh *w, const char *entity, int64_t id, const char *source,
                   const char *source_key, int64_t job, rp_error *err)
{
    static const char *const entities[] = { "party", "account", NULL };
    int rc;
    if ((rc = wh__one_of("lineage.entity", entity, entities, err)) ||
        (rc = wh__text_ok("source.system", source, 32, 1, err)) ||
        (rc = wh__text_ok("source.key", source_key, 128, 1, err)))
        return rc;
    char now[RP_TIME_UTC_LEN];
    now_utc(now);
    rp_stmt *st;
    rc = rp_store_prepare(w->store,
                          "INSERT INTO source_record(entity, entity_id, source, source_key, job_id, "
                          "loaded_at) VALUES (?,?,?,?,?,?)",
                          &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, entity);
    rp_stmt_bind_int(st, 2, id);
    rp_stmt_bind_text(st, 3, source);
    rp_stmt_bind_text(st, 4, source_key);
    if (job)
        rp_stmt_bind_int(st, 5, job);
    else
        rp_stmt_bind_null(st, 5);
    rp_stmt_bind_text(st, 6, now);
    rc = rp_stmt_run(st, err);
    if (rc == RP_CONSTRAINT)
        return rp_err(err, RP_EXISTS, "source: %s record %s:%s already loaded", entity, source,
                      source_key);
    return rc;
}
