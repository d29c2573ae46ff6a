/* privacy.c — rejected records kept as identifiers are (issue 21, S1): a
 * reject's raw record, value and message sealed together with the store's
 * key in reject.sealed; reject.value and reject.message masked for every
 * listing; the whole revealed, with a reason, to who may (the caller
 * audits).  See etl.h. */
#include "etl/load_internal.h"
#include "etl/rules.h"
#include "core/utf8.h"
#include "security/security.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- what a field holds ---- */

static void mark(unsigned char *kinds, const sp_target *t, int attr, int kind)
{
    if (attr >= 0 && t->has[attr] && t->attr[attr].field >= 0)
        kinds[t->attr[attr].field] = (unsigned char)kind;
}

static int contact_kind(const sp_target *t)
{
    int a = sp_attr_index(TG_CONTACT, "kind");
    const char *k = a >= 0 && t->has[a] && t->attr[a].field < 0 ? t->attr[a].lit : NULL;
    if (!k)
        return LD_MASK_ID; /* a kind from the record: masked as the strictest */
    if (!strcmp(k, "email"))
        return LD_MASK_EMAIL;
    return !strcmp(k, "address") ? LD_MASK_ADDRESS : LD_MASK_PHONE;
}

/* An identifier of a type sealed at rest (national IDs, passports ...), or
 * of a type the record says: masked.  Source customer numbers are not. */
static int identifier_sealed(const sp_target *t)
{
    int a = sp_attr_index(TG_IDENTIFIER, "type");
    const char *type = a >= 0 && t->has[a] && t->attr[a].field < 0 ? t->attr[a].lit : NULL;
    return !type || wh_identifier_sealed(type);
}

void ld__mask_kinds(const sp_spec *s, unsigned char kinds[SP_MAX_FIELDS])
{
    memset(kinds, LD_MASK_TEXT, SP_MAX_FIELDS);
    for (int i = 0; i < s->nfields; i++) {
        const sp_field *f = &s->fields[i];
        kinds[i] = f->type == FT_PHONE     ? LD_MASK_PHONE
                   : f->type == FT_EMAIL   ? LD_MASK_EMAIL
                   : f->type == FT_ADDRESS ? LD_MASK_ADDRESS
                                           : LD_MASK_TEXT;
        for (int r = 0; r < f->nrules; r++)
            if (f->rules[r].check) /* every check is of an identifier: IDs, cards, IBANs */
                kinds[i] = LD_MASK_ID;
    }
    for (int i = 0; i < s->ntargets; i++) {
        const sp_target *t = &s->targets[i];
        if (t->kind == TG_IDENTIFIER && identifier_sealed(t))
            mark(kinds, t, sp_attr_index(TG_IDENTIFIER, "value"), LD_MASK_ID);
        else if (t->kind == TG_ACCOUNT)
            mark(kinds, t, sp_attr_index(TG_ACCOUNT, "number"), LD_MASK_ID);
        else if (t->kind == TG_CONTACT)
            mark(kinds, t, sp_attr_index(TG_CONTACT, "value"), contact_kind(t));
        if (t->account.kind == 3 && t->account.field >= 0)
            kinds[t->account.field] = LD_MASK_ID;
        if (t->party.kind == 4 && t->party.field >= 0)
            kinds[t->party.field] = LD_MASK_ID;
        if (t->party2.kind == 4 && t->party2.field >= 0)
            kinds[t->party2.field] = LD_MASK_ID;
    }
}

int ld__mask_kind_of(const sp_spec *s, const unsigned char kinds[SP_MAX_FIELDS], const char *field)
{
    for (int i = 0; s && i < s->nfields; i++)
        if (!strcmp(s->fields[i].name, field))
            return kinds[i];
    /* a writer's refusal names the attribute: account.number, identifier.value ... */
    if (!strncmp(field, "account.number", 14) || !strncmp(field, "identifier", 10) || !strcmp(field, "key"))
        return LD_MASK_ID;
    return LD_MASK_TEXT;
}

void ld__mask_value(int kind, const char *v, char *out, size_t n)
{
    char digits[20];
    switch (kind) {
    case LD_MASK_ID:
        if (sec_is_pan(v, digits))
            sec_mask_pan(digits, out, n);
        else
            wh_mask(v, out, n);
        return;
    case LD_MASK_PHONE: sec_mask_phone(v, out, n); return;
    case LD_MASK_EMAIL: sec_mask_email(v, out, n); return;
    case LD_MASK_ADDRESS: sec_mask_address(v, out, n); return;
    default: sec_scrub(v, out, n); return;
    }
}

/* Up to n bytes of s at out, within room (one byte kept for the NUL): how many. */
static size_t put_within(char *out, size_t room, const char *s, size_t n)
{
    if (room <= 1)
        return 0;
    if (n > room - 1)
        n = room - 1;
    memcpy(out, s, n);
    return n;
}

void ld__mask_reject(int kind, const sp_reject *rj, char *value, size_t vn, char *message, size_t mn)
{
    ld__mask_value(kind, rj->value, value, vn);
    /* the message quotes the value: the mask stands in for it, then the rest is scrubbed.  On the
     * stack, not in an allocation whose failure left a reject with half its message (tests/faults) */
    char b[2 * sizeof rj->message];
    const char *m = rj->message, *hit;
    size_t vl = strlen(rj->value), ml = strlen(value), o = 0;
    while (vl >= 3 && (hit = strstr(m, rj->value)) != NULL) {
        o += put_within(b + o, sizeof b - o, m, (size_t)(hit - m));
        o += put_within(b + o, sizeof b - o, value, ml);
        m = hit + vl;
    }
    o += put_within(b + o, sizeof b - o, m, strlen(m));
    b[o] = 0;
    sec_scrub(b, message, mn);
}

/* ---- the sealed envelope: value, message and raw record together ---- */

static void put_u32(rp_buf *b, size_t v)
{
    unsigned char x[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                           (unsigned char)v };
    rp_buf_append(b, x, 4);
}

static size_t get_u32(const unsigned char *p)
{
    return ((size_t)p[0] << 24) | ((size_t)p[1] << 16) | ((size_t)p[2] << 8) | p[3];
}

int ld__reject_seal(wh *w, const char *value, const char *message, const void *raw, size_t rawn, rp_buf *out)
{
    rp_buf plain = RP_BUF_INIT;
    size_t vl = value ? strlen(value) : 0, ml = message ? strlen(message) : 0;
    put_u32(&plain, vl);
    rp_buf_append(&plain, value ? value : "", vl);
    put_u32(&plain, ml);
    rp_buf_append(&plain, message ? message : "", ml);
    if (rawn)
        rp_buf_append(&plain, raw, rawn);
    int rc = rp_buf_status(&plain) ? RP_NOMEM : wh_seal(w, plain.data, plain.len, out);
    sodium_memzero(plain.data, plain.len);
    rp_buf_release(&plain);
    return rc;
}

/* The envelope opened into b; the parts point into it. */
static int reject_open(wh *w, const void *sealed, size_t n, rp_buf *b, ld_reject_plain *p, rp_error *err)
{
    int rc = wh_unseal(w, sealed, n, b, err);
    if (rc)
        return rc;
    const unsigned char *d = (const unsigned char *)b->data;
    size_t len = b->len, vl, ml;
    if (len < 8 || (vl = get_u32(d)) > len - 8 || (ml = get_u32(d + 4 + vl)) > len - 8 - vl)
        return rp_err(err, RP_CRYPTO, "a sealed reject is not in the form Rapport writes");
    /* NUL-terminate value and message in place: the lengths before them make room */
    memmove(b->data, d + 4, vl);
    b->data[vl] = 0;
    memmove(b->data + vl + 1, d + 8 + vl, ml);
    b->data[vl + 1 + ml] = 0;
    p->value = b->data;
    p->message = b->data + vl + 1;
    p->raw = (const unsigned char *)b->data + 8 + vl + ml;
    p->rawn = len - 8 - vl - ml;
    return RP_OK;
}

int ld__reject_plain(wh *w, rp_stmt *st, int col, rp_buf *b, ld_reject_plain *p, rp_error *err)
{
    if (rp_stmt_column_type(st, col) == RP_COL_NULL) { /* kept in clear before migration 0013 */
        const char *v = rp_stmt_text(st, col + 1), *m = rp_stmt_text(st, col + 2);
        size_t vl = v ? strlen(v) : 0, ml = m ? strlen(m) : 0, rl = rp_stmt_bytes(st, col + 3);
        rp_buf_append(b, v ? v : "", vl + 1);
        rp_buf_append(b, m ? m : "", ml + 1);
        if (rl)
            rp_buf_append(b, rp_stmt_blob(st, col + 3), rl);
        if (rp_buf_status(b))
            return rp_err(err, RP_NOMEM, NULL);
        p->value = b->data;
        p->message = b->data + vl + 1;
        p->raw = (const unsigned char *)b->data + vl + ml + 2;
        p->rawn = rl;
        return RP_OK;
    }
    return reject_open(w, rp_stmt_blob(st, col), rp_stmt_bytes(st, col), b, p, err);
}

/* ---- revealing one reject ---- */

int ld_reject_reveal(wh *w, int64_t job, int64_t record, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT file, \"offset\", field, rule, status, sealed, value, message, raw FROM reject "
                              "WHERE job_id = ? AND record = ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, job);
    rp_stmt_bind_int(st, 2, record);
    if ((rc = rp_stmt_step(st, err)) != RP_ROW) {
        rp_stmt_done(st);
        return rc == RP_DONE ? rp_err(err, RP_NOTFOUND, "job %lld has no reject at record %lld", (long long)job,
                                      (long long)record)
                             : rc;
    }
    rp_buf b = RP_BUF_INIT;
    ld_reject_plain p;
    if (!(rc = ld__reject_plain(w, st, 5, &b, &p, err))) {
        size_t pn = p.rawn * 4 + 1;
        char *printable = malloc(pn);
        if (!printable) {
            rc = rp_err(err, RP_NOMEM, NULL);
        } else {
            rp_utf8_printable(p.raw, p.rawn, printable, pn);
            *out = json_pack("{s:I, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "job", (json_int_t)job, "file",
                             rp_stmt_text(st, 0), "record", (json_int_t)record, "offset",
                             (json_int_t)rp_stmt_int(st, 1), "field", rp_stmt_text(st, 2), "value", p.value,
                             "rule", rp_stmt_text(st, 3), "message", p.message, "status", rp_stmt_text(st, 4),
                             "raw", printable);
            free(printable);
            if (!*out)
                rc = rp_err(err, RP_ENCODING, "record %lld of job %lld is not valid text", (long long)record,
                            (long long)job);
        }
    }
    rp_stmt_done(st);
    sodium_memzero(b.data, b.len);
    rp_buf_release(&b);
    return rc;
}

/* ---- rejects a store kept in clear (before migration 0013) ---- */

int ld_seal_rejects(wh *w, int64_t *sealed, rp_error *err)
{
    int64_t done = 0, n = 0;
    int rc;
    if (sealed)
        *sealed = 0;
    if ((rc = rp_store_meta_int(wh_store(w), "rejects_sealed", &done, err)) || done)
        return rc;
    if ((rc = wh_begin(w, err)))
        return rc;
    rp_stmt *st, *up;
    if ((rc = rp_store_prepare(wh_store(w), "SELECT id, field, value, message, raw FROM reject WHERE sealed IS NULL",
                               &st, err)))
        goto out;
    rp_buf box = RP_BUF_INIT;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        sp_reject rj;
        memset(&rj, 0, sizeof rj);
        const char *f = rp_stmt_text(st, 1), *v = rp_stmt_text(st, 2), *m = rp_stmt_text(st, 3);
        snprintf(rj.field, sizeof rj.field, "%s", f ? f : "");
        snprintf(rj.value, sizeof rj.value, "%s", v ? v : "");
        snprintf(rj.message, sizeof rj.message, "%s", m ? m : "");
        char mv[sizeof rj.value], mm[sizeof rj.message];
        /* the spec is not at hand: the value masked as an identifier unless it is plain text */
        ld__mask_reject(ld__mask_kind_of(NULL, NULL, rj.field), &rj, mv, sizeof mv, mm, sizeof mm);
        rp_buf_reset(&box);
        if ((rc = ld__reject_seal(w, v, m, rp_stmt_blob(st, 4), rp_stmt_bytes(st, 4), &box)) ||
            (rc = rp_store_prepare(wh_store(w), "UPDATE reject SET value = ?, message = ?, raw = NULL, sealed = ? "
                                                "WHERE id = ?", &up, err)))
            break;
        rp_stmt_bind_text(up, 1, mv);
        rp_stmt_bind_text(up, 2, mm);
        rp_stmt_bind_blob(up, 3, box.data, box.len);
        rp_stmt_bind_int(up, 4, rp_stmt_int(st, 0));
        if ((rc = rp_stmt_run(up, err)))
            break;
        n++;
    }
    rp_stmt_done(st);
    rp_buf_release(&box);
    if (rc != RP_DONE && rc != RP_OK)
        goto out;
    if ((rc = rp_store_meta_set_int(wh_store(w), "rejects_sealed", 1, err)) || (rc = wh_commit(w, err)))
        goto out;
    if (sealed)
        *sealed = n;
    return RP_OK;
out:
    wh_rollback(w);
    return rc;
}

/* ---- a new sealing key: the rejects sealed again (store_meta 'key_rotation_rejects': the last id) ---- */

int ld_rotation_step(wh *w, int batch, int64_t *done, int *finished, rp_error *err)
{
    char v[32];
    int found, rc;
    *done = 0;
    *finished = 0;
    if ((rc = rp_store_meta_get(wh_store(w), "key_rotation_rejects", v, sizeof v, &found, err)))
        return rc;
    if (found && !strcmp(v, "done")) {
        *finished = 1;
        return RP_OK;
    }
    int64_t after = found ? strtoll(v, NULL, 10) : 0, n = 0;
    if (batch <= 0)
        batch = 10000;
    if ((rc = wh_begin(w, err)))
        return rc;
    rp_stmt *st, *up;
    rp_buf b = RP_BUF_INIT;
    if (!(rc = rp_store_prepare(wh_store(w), "SELECT id, sealed FROM reject WHERE id > ? AND sealed IS NOT NULL "
                                             "ORDER BY id LIMIT ?", &st, err))) {
        rp_stmt_bind_int(st, 1, after);
        rp_stmt_bind_int(st, 2, batch);
        while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
            after = rp_stmt_int(st, 0);
            rp_buf_reset(&b);
            if ((rc = wh_reseal(w, rp_stmt_blob(st, 1), rp_stmt_bytes(st, 1), &b, err)) ||
                (rc = rp_store_prepare(wh_store(w), "UPDATE reject SET sealed = ? WHERE id = ?", &up, err)))
                break;
            rp_stmt_bind_blob(up, 1, b.data, b.len);
            rp_stmt_bind_int(up, 2, after);
            if ((rc = rp_stmt_run(up, err)))
                break;
            n++;
        }
        rp_stmt_done(st);
    }
    rp_buf_release(&b);
    if (rc == RP_DONE) {
        snprintf(v, sizeof v, "%lld", (long long)after);
        rc = rp_store_meta_set(wh_store(w), "key_rotation_rejects", n < batch ? "done" : v, err);
    }
    if (rc || (rc = wh_commit(w, err))) {
        wh_rollback(w);
        return rc;
    }
    *done = n;
    *finished = n < batch;
    return RP_OK;
}

int ld_rotation_end(wh *w, rp_error *err) { return rp_store_meta_set(wh_store(w), "key_rotation_rejects", "", err); }
