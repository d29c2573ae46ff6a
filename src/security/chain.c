/* chain.c — the audit trail hash-chained, verified and archived (table
 * audit_chain of migration 0015).  See security.h. */
#include "security/internal.h"
#include "core/json.h"
#include "core/rtime.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns an entry is chained by, in this order. */
#define ENTRY_COLUMNS "a.id, a.at, a.user_name, a.address, a.action, a.customer_id, a.target, a.reason, a.outcome, " \
                      "a.detail, a.customers"
#define NCOLUMNS 11

static const char *const column_names[NCOLUMNS] = { "id",     "at",     "user",    "address", "action",   "customer",
                                                    "target", "reason", "outcome", "detail",  "customers" };

static void put_field(crypto_hash_sha256_state *h, const char *v)
{
    unsigned char tag = v ? 1 : 0;
    crypto_hash_sha256_update(h, &tag, 1);
    if (!v)
        return;
    size_t n = strlen(v);
    unsigned char len[4] = { (unsigned char)(n >> 24), (unsigned char)(n >> 16), (unsigned char)(n >> 8),
                             (unsigned char)n };
    crypto_hash_sha256_update(h, len, 4);
    crypto_hash_sha256_update(h, (const unsigned char *)v, n);
}

/* SHA-256 of the previous hash and the entry's fields (each tagged null or
 * length-prefixed; numbers in decimal). */
static void entry_hash(const unsigned char prev[SEC_CHAIN_LEN], const char *const f[NCOLUMNS],
                       unsigned char out[SEC_CHAIN_LEN])
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, prev, SEC_CHAIN_LEN);
    for (int i = 0; i < NCOLUMNS; i++)
        put_field(&h, f[i]);
    crypto_hash_sha256_final(&h, out);
}

static void row_fields(rp_stmt *st, char ids[2][24], const char *f[NCOLUMNS])
{
    for (int i = 0; i < NCOLUMNS; i++)
        f[i] = rp_stmt_text(st, i);
    snprintf(ids[0], 24, "%lld", (long long)rp_stmt_int(st, 0));
    f[0] = ids[0];
    if (f[5]) {
        snprintf(ids[1], 24, "%lld", (long long)rp_stmt_int(st, 5));
        f[5] = ids[1];
    }
}

/* The hash the chain goes on from: the last chained entry's, or the last
 * archived one's, or zeros. */
static int chain_head(rp_store *s, int64_t *upto, unsigned char head[SEC_CHAIN_LEN], rp_error *err)
{
    memset(head, 0, SEC_CHAIN_LEN);
    *upto = 0;
    rp_stmt *st;
    int rc = rp_store_prepare(s, "SELECT audit_id, hash FROM audit_chain ORDER BY audit_id DESC LIMIT 1", &st, err);
    if (rc)
        return rc;
    if ((rc = rp_stmt_step(st, err)) == RP_ROW && rp_stmt_bytes(st, 1) == SEC_CHAIN_LEN) {
        *upto = rp_stmt_int(st, 0);
        memcpy(head, rp_stmt_blob(st, 1), SEC_CHAIN_LEN);
    }
    rp_stmt_done(st);
    if (rc != RP_ROW && rc != RP_DONE)
        return rc;
    if (*upto)
        return RP_OK;
    char hex[2 * SEC_CHAIN_LEN + 1];
    int found;
    if ((rc = rp_store_meta_int(s, "audit_archived_upto", upto, err)) ||
        (rc = rp_store_meta_get(s, "audit_archived_head", hex, sizeof hex, &found, err)))
        return rc;
    if (found && sodium_hex2bin(head, SEC_CHAIN_LEN, hex, strlen(hex), NULL, NULL, NULL))
        return rp_err(err, RP_CRYPTO, "store_meta audit_archived_head is not a hash");
    return RP_OK;
}

int sec__audit_chain(rp_store *s, rp_error *err)
{
    int64_t upto;
    unsigned char head[SEC_CHAIN_LEN];
    int rc = chain_head(s, &upto, head, err);
    if (rc)
        return rc;
    rp_stmt *st, *ins;
    if ((rc = rp_store_prepare(s, "SELECT " ENTRY_COLUMNS " FROM audit a WHERE a.id > ? ORDER BY a.id", &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, upto);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        char ids[2][24];
        const char *f[NCOLUMNS];
        row_fields(st, ids, f);
        entry_hash(head, f, head);
        if ((rc = rp_store_prepare(s, "INSERT INTO audit_chain(audit_id, hash) VALUES (?, ?)", &ins, err)))
            break;
        rp_stmt_bind_int(ins, 1, rp_stmt_int(st, 0));
        rp_stmt_bind_blob(ins, 2, head, SEC_CHAIN_LEN);
        if ((rc = rp_stmt_run(ins, err)))
            break;
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

int sec_audit_verify(rp_store *s, sec_audit_check *out, rp_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = sec_audit_index(s, NULL, err);
    if (rc || (rc = rp_store_begin_read(s, err)))
        return rc;
    unsigned char prev[SEC_CHAIN_LEN];
    int64_t archived;
    char hex[2 * SEC_CHAIN_LEN + 1];
    int found;
    memset(prev, 0, sizeof prev);
    if ((rc = rp_store_meta_int(s, "audit_archived_upto", &archived, err)) ||
        (rc = rp_store_meta_get(s, "audit_archived_head", hex, sizeof hex, &found, err)))
        goto out;
    if (found && sodium_hex2bin(prev, sizeof prev, hex, strlen(hex), NULL, NULL, NULL)) {
        rc = rp_err(err, RP_CRYPTO, "store_meta audit_archived_head is not a hash");
        goto out;
    }
    out->archived = archived;
    rp_stmt *st;
    if ((rc = rp_store_prepare(s, "SELECT " ENTRY_COLUMNS ", c.hash FROM audit a LEFT JOIN audit_chain c ON "
                                  "c.audit_id = a.id ORDER BY a.id", &st, err)))
        goto out;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        char ids[2][24];
        const char *f[NCOLUMNS];
        row_fields(st, ids, f);
        unsigned char want[SEC_CHAIN_LEN];
        entry_hash(prev, f, want);
        if (rp_stmt_bytes(st, NCOLUMNS) != SEC_CHAIN_LEN || memcmp(want, rp_stmt_blob(st, NCOLUMNS), SEC_CHAIN_LEN)) {
            out->broken_at = rp_stmt_int(st, 0);
            break;
        }
        memcpy(prev, want, sizeof prev);
        out->entries++;
        out->last = rp_stmt_int(st, 0);
    }
    rp_stmt_done(st);
    if (rc == RP_DONE || rc == RP_ROW)
        rc = RP_OK;
    if (!rc && !out->broken_at) {
        /* a chain row whose entry is gone is a removal the walk above cannot see */
        int64_t orphans = 0;
        if (!(rc = rp_store_query_int(s, "SELECT count(*) FROM audit_chain c WHERE NOT EXISTS "
                                         "(SELECT 1 FROM audit a WHERE a.id = c.audit_id)", &orphans, err)) &&
            orphans)
            out->removed = orphans;
    }
    sodium_bin2hex(out->head, sizeof out->head, prev, sizeof prev);
out:
    rp_store_rollback(s);
    return rc;
}

/* ---- archiving ---- */

static int archive_line(rp_stmt *st, const unsigned char hash[SEC_CHAIN_LEN], FILE *f)
{
    json_t *o = json_object();
    char ids[2][24];
    const char *v[NCOLUMNS];
    row_fields(st, ids, v);
    json_object_set_new(o, "id", json_integer(rp_stmt_int(st, 0)));
    for (int i = 1; i < NCOLUMNS; i++)
        json_object_set_new(o, column_names[i], !v[i]   ? json_null()
                                                : i == 5 ? json_integer(rp_stmt_int(st, 5))
                                                         : json_string(v[i]));
    char hex[2 * SEC_CHAIN_LEN + 1];
    sodium_bin2hex(hex, sizeof hex, hash, SEC_CHAIN_LEN);
    json_object_set_new(o, "hash", json_string(hex));
    char *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
    json_decref(o);
    int ok = line && fprintf(f, "%s\n", line) > 0;
    free(line);
    return ok ? RP_OK : RP_IO;
}

int sec_audit_archive(rp_store *s, const char *before, FILE *f, int64_t *n, rp_error *err)
{
    *n = 0;
    int rc = sec_audit_index(s, NULL, err);
    if (rc || (rc = rp_store_begin(s, err)))
        return rc;
    unsigned char prev[SEC_CHAIN_LEN], last[SEC_CHAIN_LEN];
    int64_t upto = 0, archived;
    char hex[2 * SEC_CHAIN_LEN + 1];
    int found;
    memset(prev, 0, sizeof prev);
    if ((rc = rp_store_meta_int(s, "audit_archived_upto", &archived, err)) ||
        (rc = rp_store_meta_get(s, "audit_archived_head", hex, sizeof hex, &found, err)))
        goto out;
    if (found)
        sodium_hex2bin(prev, sizeof prev, hex, strlen(hex), NULL, NULL, NULL);
    fprintf(f, "{\"rapport_audit_archive\":1,\"after\":%lld,\"prev\":\"%s\"}\n", (long long)archived,
            found ? hex : "0000000000000000000000000000000000000000000000000000000000000000");
    memcpy(last, prev, sizeof last);
    rp_stmt *st;
    if ((rc = rp_store_prepare(s, "SELECT " ENTRY_COLUMNS ", c.hash FROM audit a JOIN audit_chain c ON "
                                  "c.audit_id = a.id WHERE a.at < ? ORDER BY a.id", &st, err)))
        goto out;
    rp_stmt_bind_text(st, 1, before);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        if (rp_stmt_bytes(st, NCOLUMNS) != SEC_CHAIN_LEN) {
            rc = rp_err(err, RP_CRYPTO, "audit entry %lld has no hash", (long long)rp_stmt_int(st, 0));
            break;
        }
        memcpy(last, rp_stmt_blob(st, NCOLUMNS), SEC_CHAIN_LEN);
        if ((rc = archive_line(st, last, f))) {
            rp_err(err, rc, "cannot write the archive");
            break;
        }
        upto = rp_stmt_int(st, 0);
        (*n)++;
    }
    rp_stmt_done(st);
    if (rc != RP_DONE)
        goto out;
    rc = RP_OK;
    if (fflush(f) || ferror(f)) {
        rc = rp_err(err, RP_IO, "cannot write the archive");
        goto out;
    }
    if (!*n)
        goto out; /* nothing before that date: nothing removed */
    /* entries leave the store only once the file holds them, and the chain goes on from the last */
    sodium_bin2hex(hex, sizeof hex, last, sizeof last);
    rp_stmt *del;
    static const char *const removals[] = { "DELETE FROM audit_customer WHERE audit_id <= ?",
                                            "DELETE FROM audit_chain WHERE audit_id <= ?",
                                            "DELETE FROM audit WHERE id <= ?" };
    if ((rc = rp_store_meta_set_int(s, "audit_archived_upto", upto, err)) ||
        (rc = rp_store_meta_set(s, "audit_archived_head", hex, err)))
        goto out;
    for (int i = 0; i < 3 && !rc; i++)
        if (!(rc = rp_store_prepare(s, removals[i], &del, err))) {
            rp_stmt_bind_int(del, 1, upto);
            rc = rp_stmt_run(del, err);
        }
    if (rc)
        goto out;
    return rp_store_commit(s, err);
out:
    rp_store_rollback(s);
    return rc;
}

int sec_audit_verify_file(FILE *f, sec_audit_check *out, rp_error *err)
{
    memset(out, 0, sizeof *out);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned char prev[SEC_CHAIN_LEN];
    int64_t lineno = 0;
    int rc = RP_OK;
    while ((len = getline(&line, &cap, f)) > 0) {
        lineno++;
        json_error_t je;
        unsigned long failures = rp_json_failures();
        json_t *o = json_loadb(line, (size_t)len, 0, &je);
        if (rp_json_failures() != failures) {
            json_decref(o);
            rc = rp_err(err, RP_NOMEM, "line %lld: %s", (long long)lineno, rp_strerror(RP_NOMEM));
            break;
        }
        if (!json_is_object(o)) {
            rc = rp_err(err, RP_PARSE, "line %lld: not a JSON object: %s", (long long)lineno, je.text);
            json_decref(o);
            break;
        }
        if (lineno == 1) {
            const char *p = json_string_value(json_object_get(o, "prev"));
            if (!json_object_get(o, "rapport_audit_archive") || !p ||
                sodium_hex2bin(prev, sizeof prev, p, strlen(p), NULL, NULL, NULL)) {
                rc = rp_err(err, RP_PARSE, "line 1: not the header of a Rapport audit archive");
                json_decref(o);
                break;
            }
            out->archived = json_integer_value(json_object_get(o, "after"));
            json_decref(o);
            continue;
        }
        char ids[2][24];
        const char *v[NCOLUMNS];
        json_t *id = json_object_get(o, "id"), *cu = json_object_get(o, "customer");
        snprintf(ids[0], 24, "%lld", (long long)json_integer_value(id));
        v[0] = ids[0];
        for (int i = 1; i < NCOLUMNS; i++)
            v[i] = json_string_value(json_object_get(o, column_names[i]));
        if (json_is_integer(cu)) {
            snprintf(ids[1], 24, "%lld", (long long)json_integer_value(cu));
            v[5] = ids[1];
        }
        unsigned char want[SEC_CHAIN_LEN], got[SEC_CHAIN_LEN];
        const char *h = json_string_value(json_object_get(o, "hash"));
        entry_hash(prev, v, want);
        if (!json_is_integer(id) || !h || sodium_hex2bin(got, sizeof got, h, strlen(h), NULL, NULL, NULL) ||
            memcmp(want, got, sizeof got)) {
            out->broken_at = json_is_integer(id) ? json_integer_value(id) : -lineno;
            json_decref(o);
            break;
        }
        memcpy(prev, want, sizeof prev);
        out->entries++;
        out->last = json_integer_value(id);
        json_decref(o);
    }
    free(line);
    if (!rc && lineno == 0)
        rc = rp_err(err, RP_PARSE, "an empty file is not an audit archive");
    sodium_bin2hex(out->head, sizeof out->head, prev, sizeof prev);
    return rc;
}
