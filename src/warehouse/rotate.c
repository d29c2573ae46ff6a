/* rotate.c — a new sealing key for the store (rapport key rotate): every
 * sealed value sealed again and every keyed hash made again, in batches,
 * resumable.  See warehouse.h. */
#include "warehouse/internal.h"
#include "security/security.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Where a rotation is (store_meta 'key_rotation'): the step and the last id done. */
enum { STEP_IDENTIFIERS, STEP_ACCOUNTS, STEP_DONE };

static void next_path(const wh *w, char *out, size_t n) { snprintf(out, n, "%s.new", w->key_path); }

int wh_rotation_state(wh *w, int *step, int64_t *after, rp_error *err)
{
    char v[64];
    int found;
    int rc = rp_store_meta_get(w->store, "key_rotation", v, sizeof v, &found, err);
    *step = -1;
    *after = 0;
    if (rc || !found || !*v)
        return rc;
    long long s = 0, a = 0;
    if (sscanf(v, "%lld:%lld", &s, &a) != 2)
        return rp_err(err, RP_INTERNAL, "store_meta key_rotation: '%s'", v);
    *step = (int)s;
    *after = a;
    return RP_OK;
}

static int set_state(wh *w, int step, int64_t after, rp_error *err)
{
    char v[64];
    snprintf(v, sizeof v, "%d:%lld", step, (long long)after);
    return rp_store_meta_set(w->store, "key_rotation", v, err);
}

int wh_rotation_begin(wh *w, rp_error *err)
{
    int step;
    int64_t after;
    int rc = wh_rotation_state(w, &step, &after, err);
    if (rc || step >= 0 || w->next)
        return rc ? rc : wh_rotation_keys(w, err);
    char path[1100];
    next_path(w, path, sizeof path);
    /* a new key that a rotation which never began left behind is used, not overwritten */
    if (access(path, F_OK) != 0 && (rc = rp_keyring_create(path, err)))
        return rc;
    if ((rc = rp_keyring_load(path, &w->next, err)))
        return rc;
    if ((rc = rp_store_begin(w->store, err)))
        return rc;
    if ((rc = set_state(w, STEP_IDENTIFIERS, 0, err)) || (rc = rp_store_commit(w->store, err))) {
        rp_store_rollback(w->store);
        return rc;
    }
    return RP_OK;
}

int wh_rotation_keys(wh *w, rp_error *err)
{
    if (w->next)
        return RP_OK;
    char path[1100];
    next_path(w, path, sizeof path);
    int rc = rp_keyring_load(path, &w->next, err);
    return rc == RP_NOTFOUND
               ? rp_err(err, RP_NOTFOUND, "%s: the new key of the rotation under way is missing; restore it", path)
               : rc;
}

int wh_reseal(const wh *w, const void *sealed, size_t n, rp_buf *out, rp_error *err)
{
    if (!w->next)
        return rp_err(err, RP_INTERNAL, "no key rotation under way");
    rp_buf plain = RP_BUF_INIT;
    int rc = wh_unseal(w, sealed, n, &plain, err);
    if (!rc) {
        unsigned char *p = (unsigned char *)rp_buf_space(out, plain.len + RP_SEAL_OVERHEAD);
        if (!p)
            rc = rp_err(err, RP_NOMEM, NULL);
        else {
            rp_seal(w->next, plain.data ? plain.data : "", plain.len, p);
            rp_buf_wrote(out, plain.len + RP_SEAL_OVERHEAD);
        }
    }
    if (plain.data)
        sodium_memzero(plain.data, plain.len);
    rp_buf_release(&plain);
    return rc;
}

/* One identifier: its lookup hash made with the new key, its sealed value sealed with it. */
static int rotate_identifier(wh *w, rp_stmt *st, rp_buf *b, rp_error *err)
{
    const char *type = rp_stmt_text(st, 1), *issuer = rp_stmt_text(st, 2), *value = rp_stmt_text(st, 3);
    char canon[256];
    rp_buf_reset(b);
    int sealed = rp_stmt_column_type(st, 4) != RP_COL_NULL, rc;
    if (sealed) {
        rp_buf plain = RP_BUF_INIT;
        if ((rc = wh_unseal(w, rp_stmt_blob(st, 4), rp_stmt_bytes(st, 4), &plain, err)))
            return rc;
        snprintf(canon, sizeof canon, "%.*s", (int)plain.len, plain.data ? plain.data : "");
        sodium_memzero(plain.data, plain.len);
        rp_buf_release(&plain);
        if ((rc = wh_reseal(w, rp_stmt_blob(st, 4), rp_stmt_bytes(st, 4), b, err)))
            return rc;
    } else {
        snprintf(canon, sizeof canon, "%s", value ? value : "");
    }
    rp_keyring *old = w->keys;
    unsigned char h[RP_HASH_LEN];
    w->keys = w->next; /* the lookup as the new key makes it */
    wh__identifier_lookup(w, type, issuer, canon, h);
    w->keys = old;
    sodium_memzero(canon, sizeof canon);
    rp_stmt *up;
    if ((rc = rp_store_prepare(w->store, "UPDATE party_identifier SET lookup = ?, sealed = coalesce(?, sealed) "
                                         "WHERE id = ?", &up, err)))
        return rc;
    rp_stmt_bind_blob(up, 1, h, sizeof h);
    if (sealed)
        rp_stmt_bind_blob(up, 2, b->data, b->len);
    else
        rp_stmt_bind_null(up, 2);
    rp_stmt_bind_int(up, 3, rp_stmt_int(st, 0));
    return rp_stmt_run(up, err);
}

/* One card: its key (and the lineage's) made with the new key, the number sealed with it. */
static int rotate_card(wh *w, rp_stmt *st, rp_buf *b, rp_error *err)
{
    char number[72], key[WH_ACCOUNT_KEY_LEN];
    int rc = wh_account_number_unseal(w, rp_stmt_blob(st, 2), rp_stmt_bytes(st, 2), number, sizeof number, err);
    if (rc)
        return rc;
    rp_buf_reset(b);
    rp_keyring *old = w->keys;
    w->keys = w->next;
    wh_account_key(w, number, key, NULL, 0);
    w->keys = old;
    sodium_memzero(number, sizeof number);
    if ((rc = wh_reseal(w, rp_stmt_blob(st, 2), rp_stmt_bytes(st, 2), b, err)))
        return rc;
    rp_stmt *up;
    if ((rc = rp_store_prepare(w->store, "UPDATE source_record SET source_key = ? WHERE entity = 'account' AND "
                                         "entity_id = ? AND source_key = ?", &up, err)))
        return rc;
    rp_stmt_bind_text(up, 1, key);
    rp_stmt_bind_int(up, 2, rp_stmt_int(st, 0));
    rp_stmt_bind_text(up, 3, rp_stmt_text(st, 1));
    if ((rc = rp_stmt_run(up, err)) ||
        (rc = rp_store_prepare(w->store, "UPDATE account SET number = ?, sealed = ? WHERE id = ?", &up, err)))
        return rc;
    rp_stmt_bind_text(up, 1, key);
    rp_stmt_bind_blob(up, 2, b->data, b->len);
    rp_stmt_bind_int(up, 3, rp_stmt_int(st, 0));
    return rp_stmt_run(up, err);
}

int wh_rotation_step(wh *w, int batch, int64_t *done, int *finished, rp_error *err)
{
    static const char *const sql[] = {
        [STEP_IDENTIFIERS] = "SELECT id, type, issuer, value, sealed FROM party_identifier WHERE id > ? "
                             "ORDER BY id LIMIT ?",
        [STEP_ACCOUNTS] = "SELECT id, number, sealed FROM account WHERE id > ? AND sealed IS NOT NULL "
                          "ORDER BY id LIMIT ?",
    };
    int step, rc;
    int64_t after, n = 0;
    *finished = 0;
    if ((rc = wh_rotation_state(w, &step, &after, err)) || (rc = wh_rotation_keys(w, err)))
        return rc;
    if (step < 0 || step >= STEP_DONE) {
        *finished = 1;
        return RP_OK;
    }
    if ((rc = rp_store_begin(w->store, err)))
        return rc;
    wh__fresh_party(w, 0); /* the lookups change under what fresh.c remembers */
    rp_stmt *st;
    rp_buf b = RP_BUF_INIT;
    if (!(rc = rp_store_prepare(w->store, sql[step], &st, err))) {
        rp_stmt_bind_int(st, 1, after);
        rp_stmt_bind_int(st, 2, batch > 0 ? batch : 10000);
        while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
            after = rp_stmt_int(st, 0);
            if ((rc = step == STEP_IDENTIFIERS ? rotate_identifier(w, st, &b, err) : rotate_card(w, st, &b, err)))
                break;
            n++;
        }
        rp_stmt_done(st);
    }
    rp_buf_release(&b);
    if (rc == RP_DONE) /* a short batch ends the step: the next begins at its first row */
        rc = n < (batch > 0 ? batch : 10000) ? set_state(w, step + 1, 0, err) : set_state(w, step, after, err);
    if (rc || (rc = rp_store_commit(w->store, err))) {
        rp_store_rollback(w->store);
        return rc;
    }
    *done = n;
    return RP_OK;
}

int wh_rotation_finish(wh *w, char *retired, size_t rn, rp_error *err)
{
    int step;
    int64_t after;
    int rc = wh_rotation_state(w, &step, &after, err);
    if (rc || (rc = wh_rotation_keys(w, err)))
        return rc;
    if (step != STEP_DONE)
        return rp_err(err, RP_INTERNAL, "the key rotation is not through (step %d)", step);
    /* the store says which key is its own, then the files follow: a crash between leaves KEY.new, which opens it */
    unsigned char h[RP_HASH_LEN];
    char check[2 * RP_HASH_LEN + 1], next[1100];
    rp_keyed_hash(w->next, "key-check", "rapport", 7, h);
    sodium_bin2hex(check, sizeof check, h, sizeof h);
    next_path(w, next, sizeof next);
    snprintf(retired, rn, "%s.retired-%lld", w->key_path, (long long)time(NULL));
    if ((rc = rp_store_begin(w->store, err)))
        return rc;
    if ((rc = rp_store_meta_set(w->store, "key_check", check, err)) ||
        (rc = rp_store_meta_set(w->store, "key_rotation", "", err)) || (rc = rp_store_commit(w->store, err))) {
        rp_store_rollback(w->store);
        return rc;
    }
    if (link(w->key_path, retired) != 0 || rename(next, w->key_path) != 0)
        return rp_err(err, RP_IO, "the store now uses %s; move it to %s by hand (the old key is %s)", next,
                      w->key_path, w->key_path);
    rp_keyring_free(w->keys);
    w->keys = w->next;
    w->next = NULL;
    return RP_OK;
}
