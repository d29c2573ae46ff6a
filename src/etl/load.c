/* load.c — one file, one spec, one job.  See load.h. */
#include "etl/load.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/digest.h"
#include "core/log.h"
#include "core/map.h"
#include "core/progress.h"
#include "core/rtime.h"

#include <errno.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <limits.h>
#include <pthread.h>
#include <unistd.h>

typedef struct ld {
    wh *w;
    const sp_spec *s;
    const ld_options *o;
    ld_result *r;
    int64_t job;
    const char *label;
    int64_t party, account; /* this record's, from its party and account targets */
    ld_count batch[LD_MAX_RULES]; /* counts not yet written to load_rule */
    int nbatch;
    struct ld_accounts *accounts; /* when no target of the spec creates accounts */
    /* transactions wait in txns until the batch commits (written in blocks,
     * warehouse.h); pend says which record each came from, for a reject */
    wh_txn_batch *txns;
    struct ld_pend *pend;
    size_t npend, cappend;
    rp_buf raw;
    const rd_record *rec; /* the record being written, and its fixes */
    int rec_fixed;
    const struct ld_enc *enc; /* its transactions, as the decoding thread checked and wrote them */
    const char *enc_text;
    int64_t saved_autockpt, saved_cache; /* the store's settings, put back after the load */
    int tuned;
    int bulk; /* the store is in bulk writing (rp_store_bulk_begin) */
} ld;

/* A transaction target of a record, checked and written by wh_txn_encode
 * on the decoding thread: the writing thread has only to add it. */
typedef struct ld_enc {
    int rc;                   /* RP_OK, or why it was refused (msg) */
    size_t msg;               /* offset of the message in the block's text */
    wh_txn_row row;
} ld_enc;

typedef struct ld_pend {
    int64_t number, offset;
    size_t raw, rawlen;
    int fixed;
} ld_pend;

/* The accounts a load posts to, by number: open addressing with the number
 * kept in the slot, so that a lookup reads one cache line.  (rp_map keeps a
 * key and its value apart from the slot: three lines, and a seventh of the
 * writing thread's time.)  Numbers longer than a slot holds are looked up
 * in the store each time. */
#define LD_AKEY 43
typedef struct ld_aslot {
    uint64_t hash;           /* 0: empty */
    int64_t id;
    char currency[4];
    uint8_t klen;
    char key[LD_AKEY];
} ld_aslot;
_Static_assert(sizeof(ld_aslot) == 64, "an account slot is one cache line");

typedef struct ld_accounts {
    ld_aslot *slot;
    size_t mask, n;
    uint64_t seed;
} ld_accounts;

#define LD_ACCOUNT_CACHE_MAX 1000000 /* 128 MB of slots at most */

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int ld_fingerprint(const char *file, char hex[65], int64_t *bytes, rp_error *err)
{
    return rp_sha256_file(file, hex, bytes, err);
}

/* ---- counts ---- */

static void count(ld *L, const char *outcome, const char *rule, const char *field)
{
    for (int i = 0; i < L->nbatch; i++)
        if (!strcmp(L->batch[i].rule, rule) && !strcmp(L->batch[i].field, field) &&
            !strcmp(L->batch[i].outcome, outcome)) {
            L->batch[i].n++;
            return;
        }
    if (L->nbatch == LD_MAX_RULES) /* fold the rest into one line rather than lose them */
        field = "(others)";
    int i = L->nbatch < LD_MAX_RULES ? L->nbatch++ : LD_MAX_RULES - 1;
    ld_count *c = &L->batch[i];
    if (c->n && strcmp(c->field, "(others)") == 0) {
        c->n++;
        return;
    }
    snprintf(c->outcome, sizeof c->outcome, "%s", outcome);
    snprintf(c->rule, sizeof c->rule, "%s", rule);
    snprintf(c->field, sizeof c->field, "%s", field);
    c->n = 1;
}

static int flush_counts(ld *L, rp_error *err)
{
    for (int i = 0; i < L->nbatch; i++) {
        rp_stmt *st;
        int rc = rp_store_prepare(wh_store(L->w),
                                  "INSERT INTO load_rule(job_id, outcome, rule, field, count) VALUES (?,?,?,?,?) "
                                  "ON CONFLICT(job_id, outcome, rule, field) DO UPDATE SET count = count + "
                                  "excluded.count",
                                  &st, err);
        if (rc)
            return rc;
        rp_stmt_bind_int(st, 1, L->job);
        rp_stmt_bind_text(st, 2, L->batch[i].outcome);
        rp_stmt_bind_text(st, 3, L->batch[i].rule);
        rp_stmt_bind_text(st, 4, L->batch[i].field);
        rp_stmt_bind_int(st, 5, L->batch[i].n);
        if ((rc = rp_stmt_run(st, err)))
            return rc;
    }
    L->nbatch = 0;
    return RP_OK;
}

static int checkpoint(ld *L, int64_t offset, double seconds, rp_error *err)
{
    ld_result *r = L->r;
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(L->w),
                              "UPDATE load_job SET records = ?, offset = ?, rows_loaded = ?, rows_rejected = ?, "
                              "rows_fixed = ?, rows_unchanged = ?, seconds = ? WHERE id = ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, r->records);
    rp_stmt_bind_int(st, 2, offset);
    rp_stmt_bind_int(st, 3, r->loaded);
    rp_stmt_bind_int(st, 4, r->rejected);
    rp_stmt_bind_int(st, 5, r->fixed);
    rp_stmt_bind_int(st, 6, r->unchanged);
    rp_stmt_bind_real(st, 7, seconds);
    rp_stmt_bind_int(st, 8, L->job);
    if ((rc = rp_stmt_run(st, err)) || (rc = flush_counts(L, err)))
        return rc;
    /* the kept 360s of the accounts this batch posted to go with it */
    return wh_c360_catch_up(L->w, NULL, err);
}

/* ---- rejects ---- */

static int reject(ld *L, const rd_record *rec, const sp_reject *rj, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(L->w),
                              "INSERT INTO reject(job_id, file, record, offset, field, value, rule, message, raw) "
                              "VALUES (?,?,?,?,?,?,?,?,?)",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, L->job);
    rp_stmt_bind_text(st, 2, L->label);
    rp_stmt_bind_int(st, 3, rec->number);
    rp_stmt_bind_int(st, 4, rec->offset);
    rp_stmt_bind_text(st, 5, rj->field);
    rp_stmt_bind_text(st, 6, rj->value);
    rp_stmt_bind_text(st, 7, rj->rule);
    rp_stmt_bind_text(st, 8, rj->message);
    rp_stmt_bind_blob(st, 9, rec->data ? rec->data : "", rec->data ? rec->len : 0);
    if ((rc = rp_stmt_run(st, err)))
        return rc;
    L->r->rejected++;
    count(L, "rejected", rj->rule, rj->field);
    return RP_OK;
}

/* A reader's complaint about a record it could not read as one. */
static void reader_reject(const rp_error *e, sp_reject *rj)
{
    const char *m = rp_errmsg(e), *p = strstr(m, "): ");
    memset(rj, 0, sizeof *rj);
    snprintf(rj->message, sizeof rj->message, "%s", p ? p + 3 : m);
    const char *rule = e->code == RP_ENCODING ? "encoding"
                     : strstr(rj->message, "truncated") || strstr(rj->message, "longer than") ||
                               strstr(rj->message, "RDW")
                         ? "length"
                         : "parse";
    snprintf(rj->rule, sizeof rj->rule, "%s", rule);
}

/* A warehouse writer's refusal of one record: a reject, not a failure. */
static int refused(int rc, const rp_error *e, const char *target, sp_reject *rj)
{
    const char *rule = NULL;
    switch (rc) {
    case RP_INVAL:
    case RP_TOOBIG:
    case RP_ENCODING: rule = "invalid"; break;
    case RP_NOTFOUND:
    case RP_CONSTRAINT: rule = "reference"; break;
    case RP_EXISTS: rule = "duplicate"; break;
    case RP_AMBIGUOUS: rule = "ambiguous"; break;
    default: return 0;
    }
    memset(rj, 0, sizeof *rj);
    snprintf(rj->rule, sizeof rj->rule, "%s", rule);
    snprintf(rj->message, sizeof rj->message, "%s", rp_errmsg(e));
    /* "account.product: unknown product 'X'" names the attribute */
    const char *m = rp_errmsg(e), *colon = strstr(m, ": ");
    if (colon && (size_t)(colon - m) < sizeof rj->field && !memchr(m, ' ', (size_t)(colon - m)))
        snprintf(rj->field, sizeof rj->field, "%.*s", (int)(colon - m), m);
    else
        snprintf(rj->field, sizeof rj->field, "%s", target);
    return 1;
}

/* A transaction the flush found repeated: its record becomes a reject
 * rather than a load. */
static int txn_repeat(void *ctx, int64_t tag, const char *message, rp_error *err)
{
    ld *L = ctx;
    const ld_pend *pd = &L->pend[tag];
    rd_record rec;
    rec.nfields = 0;
    rec.number = pd->number;
    rec.offset = pd->offset;
    rec.data = L->raw.data + pd->raw;
    rec.len = pd->rawlen;
    rp_error e = RP_ERROR_INIT;
    rp_err(&e, RP_EXISTS, "%s", message);
    sp_reject rj;
    refused(RP_EXISTS, &e, "transaction", &rj);
    L->r->loaded--;
    if (pd->fixed)
        L->r->fixed--;
    return reject(L, &rec, &rj, err);
}

/* Write the transactions the batch holds: before each commit. */
static int flush_txns(ld *L, rp_error *err)
{
    int rc = wh_txn_batch_flush(L->w, L->txns, txn_repeat, L, NULL, NULL, err);
    L->npend = 0;
    rp_buf_reset(&L->raw);
    return rc;
}

/* ---- target values ---- */

/* sp_attr_index, remembered by the name's address: the names below are
 * literals, and looking each up by strcmp for every record was a tenth of
 * a load's time. */
static int attr_ix(sp_target_kind k, const char *name)
{
    enum { MEMO = 32 };
    static _Thread_local const char *names[TG__COUNT][MEMO];
    static _Thread_local int ixs[TG__COUNT][MEMO], n[TG__COUNT];
    for (int i = 0; i < n[k]; i++)
        if (names[k][i] == name)
            return ixs[k][i];
    int ix = sp_attr_index(k, name);
    if (n[k] < MEMO) {
        names[k][n[k]] = name;
        ixs[k][n[k]++] = ix;
    }
    return ix;
}

static const char *val_at(const sp_target *t, int a, const sp_value *v)
{
    if (a < 0 || !t->has[a])
        return NULL;
    if (t->attr[a].field < 0)
        return t->attr[a].lit;
    return v[t->attr[a].field].null ? NULL : v[t->attr[a].field].text;
}

static const char *val(const sp_target *t, const char *name, const sp_value *v)
{
    return val_at(t, attr_ix(t->kind, name), v);
}

static int num_at(const sp_target *t, int a, const sp_value *v, int64_t *out)
{
    if (a < 0 || !t->has[a])
        return 0;
    if (t->attr[a].field < 0) {
        if (!t->attr[a].lit)
            return 0;
        *out = strtoll(t->attr[a].lit, NULL, 10);
        return 1;
    }
    const sp_value *x = &v[t->attr[a].field];
    if (x->null)
        return 0;
    *out = x->is_num ? x->num : strtoll(x->text, NULL, 10);
    return 1;
}

static int num(const sp_target *t, const char *name, const sp_value *v, int64_t *out)
{
    return num_at(t, attr_ix(t->kind, name), v, out);
}

/* A reject of a value written as text. */
static inline const char *nn(const char *s) { return s ? s : ""; }
#define rejectf(rj, field, value, rule, ...) sp_reject_set(rj, field, nn(value), strlen(nn(value)), rule, __VA_ARGS__)

static const char *field_name(const ld *L, int f) { return f >= 0 ? L->s->fields[f].name : ""; }

/* The party a reference names: *id = 0 for an optional reference left empty. */
static int party_ref(ld *L, const sp_ref *r, const sp_value *v, int64_t *id, sp_reject *rj, rp_error *err)
{
    *id = 0;
    if (r->kind == 1) {
        *id = L->party;
        return *id ? RP_OK : rejectf(rj, "", "", "reference", "no party for this record");
    }
    const char *key = v[r->field].null ? NULL : v[r->field].text;
    if (!key) {
        if (r->optional)
            return RP_OK;
        return rejectf(rj, field_name(L, r->field), "", "required", "%s: required (the party's key)",
                       field_name(L, r->field));
    }
    rp_error e = RP_ERROR_INIT;
    int rc;
    if (r->kind == 4) {
        rc = wh_find(L->w, key, id, NULL, &e);
        if (rc == RP_NOTFOUND || rc == RP_AMBIGUOUS) {
            *id = 0;
            if (r->optional)
                return RP_OK;
            return rejectf(rj, field_name(L, r->field), key, "reference", "%s", rp_errmsg(&e));
        }
    } else {
        rc = wh_party_by_source(L->w, r->source, key, id, &e);
        if (rc == RP_NOTFOUND)
            return rejectf(rj, field_name(L, r->field), key, "reference", "%s: no %s customer '%s'",
                           field_name(L, r->field), r->source, key);
    }
    if (rc)
        return rp_err(err, rc, "%s", rp_errmsg(&e));
    return RP_OK;
}

/* slots on cache-line bounds, zeroed */
static ld_aslot *aslots(size_t n)
{
    ld_aslot *t = aligned_alloc(64, n * sizeof *t);
    if (t)
        memset(t, 0, n * sizeof *t);
    return t;
}

static ld_accounts *accounts_new(void)
{
    ld_accounts *a = calloc(1, sizeof *a);
    if (a && !(a->slot = aslots(4096))) {
        free(a);
        return NULL;
    }
    if (a) {
        a->mask = 4095;
        a->seed = (uint64_t)(uintptr_t)a ^ (uint64_t)time(NULL);
    }
    return a;
}

static void accounts_free(ld_accounts *a)
{
    if (a)
        free(a->slot);
    free(a);
}

static uint64_t accounts_hash(const ld_accounts *a, const char *key, size_t kl)
{
    return rp_hash64(key, kl, a->seed) | 1;
}

static const ld_aslot *accounts_get(const ld_accounts *a, const char *key, size_t kl, uint64_t h)
{
    for (size_t i = h & a->mask;; i = (i + 1) & a->mask) {
        const ld_aslot *x = &a->slot[i];
        if (!x->hash)
            return NULL;
        if (x->hash == h && x->klen == kl && !memcmp(x->key, key, kl))
            return x;
    }
}

/* Remember an account (not there yet); NULL when full or out of memory. */
static const ld_aslot *accounts_put(ld_accounts *a, const char *key, size_t kl, uint64_t h, int64_t id,
                                    const char *currency)
{
    if (kl > LD_AKEY || a->n >= LD_ACCOUNT_CACHE_MAX)
        return NULL;
    if (2 * (a->n + 1) > a->mask + 1) { /* at most half full */
        size_t cap = (a->mask + 1) * 2;
        ld_aslot *t = aslots(cap);
        if (!t)
            return NULL;
        for (size_t i = 0; i <= a->mask; i++) {
            if (!a->slot[i].hash)
                continue;
            size_t j = a->slot[i].hash & (cap - 1);
            while (t[j].hash)
                j = (j + 1) & (cap - 1);
            t[j] = a->slot[i];
        }
        free(a->slot);
        a->slot = t;
        a->mask = cap - 1;
    }
    size_t i = h & a->mask;
    while (a->slot[i].hash)
        i = (i + 1) & a->mask;
    ld_aslot *x = &a->slot[i];
    x->hash = h;
    x->id = id;
    snprintf(x->currency, sizeof x->currency, "%s", currency);
    x->klen = (uint8_t)kl;
    memcpy(x->key, key, kl);
    a->n++;
    return x;
}

static int account_ref(ld *L, const sp_ref *r, const sp_value *v, int64_t *id, const char **currency,
                       sp_reject *rj, rp_error *err)
{
    *id = 0;
    if (currency)
        *currency = NULL;
    if (r->kind == 1) {
        *id = L->account;
        return *id ? RP_OK : rejectf(rj, "", "", "reference", "no account for this record");
    }
    const char *key = v[r->field].null ? NULL : v[r->field].text;
    if (!key)
        return rejectf(rj, field_name(L, r->field), "", "required", "%s: required (the account number)",
                       field_name(L, r->field));
    size_t kl = strlen(key);
    uint64_t h = L->accounts ? accounts_hash(L->accounts, key, kl) : 0;
    const ld_aslot *c = L->accounts ? accounts_get(L->accounts, key, kl, h) : NULL;
    if (c) {
        *id = c->id;
        if (currency)
            *currency = c->currency;
        return RP_OK;
    }
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(L->w), "SELECT id, currency FROM account WHERE number = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, key);
    rc = rp_stmt_step(st, err);
    int64_t got = 0;
    char cur[4] = "";
    if (rc == RP_ROW) {
        got = rp_stmt_int(st, 0);
        snprintf(cur, sizeof cur, "%s", rp_stmt_text(st, 1) ? rp_stmt_text(st, 1) : "");
    }
    rp_stmt_done(st);
    if (rc == RP_DONE)
        return rejectf(rj, field_name(L, r->field), key, "reference", "%s: no account '%s'", field_name(L, r->field),
                       key);
    if (rc != RP_ROW)
        return rc;
    *id = got;
    if (currency)
        *currency = NULL; /* looked up again with the transaction, unless remembered here */
    if (L->accounts && (c = accounts_put(L->accounts, key, kl, h, got, cur)) && currency)
        *currency = c->currency;
    return RP_OK;
}

/* Links waiting for (source, key) to arrive, now that it has. */
static int resolve_pending(ld *L, const char *source, const char *key, int64_t to, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(L->w),
                              "DELETE FROM pending_link WHERE to_source = ? AND to_key = ? "
                              "RETURNING from_party, kind, since",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, source);
    rp_stmt_bind_text(st, 2, key);
    struct {
        int64_t from;
        char kind[32], since[16];
    } got[16];
    int n = 0;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW && n < 16) {
        got[n].from = rp_stmt_int(st, 0);
        snprintf(got[n].kind, sizeof got[n].kind, "%s", rp_stmt_text(st, 1) ? rp_stmt_text(st, 1) : "");
        snprintf(got[n].since, sizeof got[n].since, "%s", rp_stmt_text(st, 2) ? rp_stmt_text(st, 2) : "");
        n++;
    }
    rp_stmt_done(st);
    if (rc != RP_DONE && rc != RP_ROW)
        return rc;
    for (int i = 0; i < n; i++) {
        rp_error e = RP_ERROR_INIT;
        rc = wh_party_link_add(L->w, got[i].from, to, got[i].kind, *got[i].since ? got[i].since : NULL, &e);
        if (rc && rc != RP_EXISTS && rc != RP_INVAL)
            return rp_err(err, rc, "%s", rp_errmsg(&e));
    }
    return RP_OK;
}

/* Run an INSERT ... ON CONFLICT DO NOTHING: 1 inserted, 0 not, -code on
 * failure. */
static int inserted(rp_store *s, rp_stmt *st, rp_error *err)
{
    int rc = rp_stmt_run(st, err);
    return rc ? -rc : rp_store_changes(s) > 0;
}

static int bind_opt(rp_stmt *st, int i, const char *s)
{
    rp_stmt_bind_text(st, i, s && *s ? s : NULL);
    return 0;
}

/* Write one record's targets.  RP_OK, SP_REJECT (rj says why) or a failure. */
static int write_targets(ld *L, const sp_value *v, sp_reject *rj, rp_error *err)
{
    wh *w = L->w;
    L->party = L->account = 0;
    for (int ti = 0; ti < L->s->ntargets; ti++) {
        const sp_target *t = &L->s->targets[ti];
        if (t->when_field >= 0 && v[t->when_field].null) {
            L->enc += t->kind == TG_TXN; /* the decoding thread wrote none for it, but kept its place */
            continue;
        }
        rp_error e;
        rp_err_clear(&e);
        int rc = RP_OK, outcome = 0;
        int64_t party = 0, party2 = 0, account = 0;
        if (t->party.kind && (rc = party_ref(L, &t->party, v, &party, rj, err)))
            return rc;
        const char *acct_currency = NULL;
        if (t->account.kind && (rc = account_ref(L, &t->account, v, &account, &acct_currency, rj, err)))
            return rc;
        const char *tname = sp_target_name(t->kind);
        switch (t->kind) {
        case TG_PARTY: {
            wh_party p = { val(t, "kind", v),        val(t, "name_zh", v),    val(t, "name_latin", v),
                           val(t, "birth_date", v),  val(t, "gender", v),     val(t, "occupation", v),
                           val(t, "income_band", v), val(t, "status", v),     val(t, "status_since", v),
                           val(t, "home_branch", v) };
            const char *key = val(t, "key", v);
            if (!key)
                return rejectf(rj, "key", "", "required", "party key: required (the source's customer number)");
            rc = wh_party_upsert(w, t->source, key, &p, L->job, t->insert_only, &L->party, &outcome, &e);
            if (!rc && outcome == WH_CREATED)
                rc = resolve_pending(L, t->source, key, L->party, err);
            if (!rc)
                L->r->created += outcome == WH_CREATED, L->r->updated += outcome == WH_UPDATED;
            break;
        }
        case TG_IDENTIFIER: {
            const char *value = val(t, "value", v);
            if (!value)
                continue;
            const char *type = val(t, "type", v);
            if (type && !strcmp(type, "taiwan_id")) /* by its shape: UBN, national ID or resident certificate */
                type = strlen(value) == 8 ? "ubn" : wh_check_national_id(value) ? "national_id" : "resident_cert";
            rc = wh_identifier_put(w, party, type, val(t, "issuer", v), value, val(t, "valid_from", v), &outcome, &e);
            break;
        }
        case TG_CONTACT: {
            const char *value = val(t, "value", v);
            if (!value)
                continue;
            int64_t primary = 0;
            num(t, "primary", v, &primary);
            wh_contact c = { val(t, "kind", v),        val(t, "purpose", v), value,
                             val(t, "postal_code", v), val(t, "county", v),  val(t, "district", v),
                             (int)primary,             NULL,                 NULL,
                             t->source };
            rc = wh_contact_put(w, party, &c, &outcome, &e);
            break;
        }
        case TG_ACCOUNT: {
            wh_account a = { val(t, "number", v), val(t, "product", v),   val(t, "branch", v),
                             val(t, "currency", v), val(t, "opened_on", v), val(t, "closed_on", v),
                             val(t, "status", v), 0,                        0,
                             0,                   val(t, "balance_at", v), NULL, 0, 0 };
            if (!a.currency)
                a.currency = "TWD";
            num(t, "balance", v, &a.balance_minor);
            a.has_limit = num(t, "limit", v, &a.limit_minor);
            a.interest_rate = val(t, "interest_rate", v);
            a.has_accrued = num(t, "accrued_interest", v, &a.accrued_interest_minor);
            rc = wh_account_upsert(w, t->source, &a, L->job, t->insert_only, &L->account, &outcome, &e);
            if (!rc)
                L->r->created += outcome == WH_CREATED, L->r->updated += outcome == WH_UPDATED;
            break;
        }
        case TG_ROLE:
            rc = wh_role_put(w, party, account, val(t, "role", v), val(t, "since", v), &outcome, &e);
            break;
        case TG_LINK: {
            const char *key = v[t->party2.field].null ? NULL : v[t->party2.field].text;
            if (!key)
                continue;
            rc = wh_party_by_source(w, t->party2.source, key, &party2, &e);
            if (rc == RP_NOTFOUND) {
                rp_stmt *st;
                if ((rc = rp_store_prepare(wh_store(w),
                                           "INSERT OR IGNORE INTO pending_link(from_party, to_source, to_key, kind, "
                                           "since, job_id) VALUES (?,?,?,?,?,?)",
                                           &st, err)))
                    return rc;
                rp_stmt_bind_int(st, 1, party);
                rp_stmt_bind_text(st, 2, t->party2.source);
                rp_stmt_bind_text(st, 3, key);
                bind_opt(st, 4, val(t, "kind", v));
                bind_opt(st, 5, val(t, "since", v));
                rp_stmt_bind_int(st, 6, L->job);
                if ((rc = rp_stmt_run(st, err)))
                    return rc;
                continue;
            }
            if (!rc && party2 != party) {
                rc = wh_party_link_add(w, party, party2, val(t, "kind", v), val(t, "since", v), &e);
                if (rc == RP_EXISTS)
                    rc = RP_OK;
            }
            break;
        }
        case TG_TXN: {
            const ld_enc *en = L->enc++;
            if (en->rc) {
                rc = rp_err(&e, en->rc, "%s", L->enc_text + en->msg);
                break;
            }
            if (L->npend == L->cappend) {
                size_t cap = L->cappend ? L->cappend * 2 : 4096;
                ld_pend *np = realloc(L->pend, cap * sizeof *np);
                if (!np)
                    return rp_err(err, RP_NOMEM, NULL);
                L->pend = np;
                L->cappend = cap;
            }
            rc = wh_txn_batch_add_row(w, L->txns, account, acct_currency, t->source, L->job, L->enc_text, &en->row,
                                      (int64_t)L->npend, &e);
            if (!rc) {
                ld_pend *pd = &L->pend[L->npend++];
                pd->number = L->rec->number;
                pd->offset = L->rec->offset;
                pd->raw = L->raw.len;
                pd->rawlen = L->rec->len;
                pd->fixed = L->rec_fixed;
                rp_buf_append(&L->raw, L->rec->data ? L->rec->data : "", L->rec->len);
                if (rp_buf_status(&L->raw) != RP_OK)
                    return rp_err(err, RP_NOMEM, "the records waiting to be written are more than the buffer allows");
            }
            break;
        }
        case TG_INTERACTION: {
            wh_interaction x = { party,
                                 val(t, "at", v),
                                 val(t, "channel", v),
                                 val(t, "direction", v),
                                 val(t, "staff", v),
                                 val(t, "reason", v),
                                 val(t, "outcome", v),
                                 val(t, "notes", v),
                                 NULL,
                                 L->o->by };
            rc = wh_interaction_add(w, &x, NULL, &e);
            break;
        }
        case TG_CONSENT: {
            int64_t g = 0;
            num(t, "granted", v, &g);
            wh_consent c = { party, val(t, "purpose", v), val(t, "channel", v), (int)g,
                             val(t, "evidence", v), val(t, "effective_at", v), L->o->by };
            rc = wh_consent_set(w, &c, &e);
            break;
        }
        case TG_ACTIVITY: {
            rp_stmt *st;
            if ((rc = rp_store_prepare(wh_store(w),
                                       "INSERT INTO activity(party_id, at, kind, channel, detail, amount_minor, "
                                       "currency, source, source_key, job_id) VALUES (?,?,?,?,?,?,?,?,?,?) "
                                       "ON CONFLICT(source, source_key) DO NOTHING",
                                       &st, err)))
                return rc;
            int64_t amt;
            rp_stmt_bind_int(st, 1, party);
            bind_opt(st, 2, val(t, "at", v));
            bind_opt(st, 3, val(t, "kind", v));
            bind_opt(st, 4, val(t, "channel", v));
            bind_opt(st, 5, val(t, "detail", v));
            if (num(t, "amount", v, &amt))
                rp_stmt_bind_int(st, 6, amt);
            else
                rp_stmt_bind_null(st, 6);
            bind_opt(st, 7, val(t, "currency", v));
            rp_stmt_bind_text(st, 8, t->source);
            rp_stmt_bind_text(st, 9, val(t, "key", v));
            rp_stmt_bind_int(st, 10, L->job);
            if ((rc = inserted(wh_store(w), st, err)) < 0)
                return -rc;
            if (!rc)
                return rejectf(rj, "", val(t, "key", v), "duplicate", "%s record '%s' was already loaded",
                               t->source, val(t, "key", v));
            rc = RP_OK;
            break;
        }
        case TG_CALL: {
            int64_t ia = 0;
            const char *agent = val(t, "agent", v), *reason = val(t, "reason", v);
            if (party && reason) {
                wh_interaction x = { party, val(t, "arrival", v), "phone", "inbound", agent, reason,
                                     NULL,  NULL,                 NULL,    L->o->by };
                if ((rc = wh_interaction_add(w, &x, &ia, &e)))
                    break;
            }
            rp_stmt *st;
            if ((rc = rp_store_prepare(wh_store(w),
                                       "INSERT INTO call_record(call_id, source, arrival, caller, ivr_path, party_id, "
                                       "queue, wait_s, talk_s, wrap_s, abandoned, agent, reason, interaction_id, "
                                       "job_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                                       "ON CONFLICT(source, call_id) DO NOTHING",
                                       &st, err)))
                return rc;
            int64_t n;
            rp_stmt_bind_text(st, 1, val(t, "call_id", v));
            rp_stmt_bind_text(st, 2, t->source);
            rp_stmt_bind_text(st, 3, val(t, "arrival", v));
            bind_opt(st, 4, val(t, "caller", v));
            bind_opt(st, 5, val(t, "ivr_path", v));
            if (party)
                rp_stmt_bind_int(st, 6, party);
            else
                rp_stmt_bind_null(st, 6);
            bind_opt(st, 7, val(t, "queue", v));
            const char *ints[] = { "wait_s", "talk_s", "wrap_s" };
            for (int k = 0; k < 3; k++)
                if (num(t, ints[k], v, &n))
                    rp_stmt_bind_int(st, 8 + k, n);
                else
                    rp_stmt_bind_null(st, 8 + k);
            n = 0;
            num(t, "abandoned", v, &n);
            rp_stmt_bind_int(st, 11, n ? 1 : 0);
            bind_opt(st, 12, agent);
            bind_opt(st, 13, reason);
            if (ia)
                rp_stmt_bind_int(st, 14, ia);
            else
                rp_stmt_bind_null(st, 14);
            rp_stmt_bind_int(st, 15, L->job);
            if ((rc = inserted(wh_store(w), st, err)) < 0)
                return -rc;
            if (!rc)
                return rejectf(rj, "call_id", val(t, "call_id", v), "duplicate", "call '%s' was already loaded",
                               val(t, "call_id", v));
            rc = RP_OK;
            break;
        }
        case TG_CALL_NOTE: {
            rp_stmt *st;
            const char *id = val(t, "call_id", v);
            if ((rc = rp_store_prepare(wh_store(w),
                                       "UPDATE call_record SET note = ?, note_category = ?, note_at = ?, "
                                       "agent = coalesce(agent, ?) WHERE source = ? AND call_id = ? "
                                       "RETURNING interaction_id",
                                       &st, err)))
                return rc;
            rp_stmt_bind_text(st, 1, val(t, "note", v));
            bind_opt(st, 2, val(t, "category", v));
            bind_opt(st, 3, val(t, "at", v));
            bind_opt(st, 4, val(t, "agent", v));
            rp_stmt_bind_text(st, 5, t->source);
            rp_stmt_bind_text(st, 6, id);
            rc = rp_stmt_step(st, err);
            int64_t ia = rc == RP_ROW ? rp_stmt_int(st, 0) : 0;
            rp_stmt_done(st);
            if (rc == RP_DONE)
                return rejectf(rj, "call_id", id, "reference", "call_id: no call '%s' from %s", id, t->source);
            if (rc != RP_ROW)
                return rc;
            rc = RP_OK;
            if (ia) {
                if ((rc = rp_store_prepare(wh_store(w), "UPDATE interaction SET notes = ? WHERE id = ?", &st, err)))
                    return rc;
                rp_stmt_bind_text(st, 1, val(t, "note", v));
                rp_stmt_bind_int(st, 2, ia);
                if ((rc = rp_stmt_run(st, err)))
                    return rc;
            }
            break;
        }
        case TG_CAMPAIGN: {
            rp_stmt *st;
            if ((rc = rp_store_prepare(wh_store(w),
                                       "INSERT INTO campaign(code, name, offer, channel, start_date, end_date, "
                                       "response_deadline, job_id) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(code) DO "
                                       "UPDATE SET name = excluded.name, offer = excluded.offer, channel = "
                                       "excluded.channel, start_date = excluded.start_date, end_date = "
                                       "excluded.end_date, response_deadline = excluded.response_deadline, "
                                       "job_id = excluded.job_id",
                                       &st, err)))
                return rc;
            const char *cols[] = { "code", "name", "offer", "channel", "start_date", "end_date",
                                   "response_deadline" };
            for (int k = 0; k < 7; k++)
                bind_opt(st, k + 1, val(t, cols[k], v));
            rp_stmt_bind_int(st, 8, L->job);
            if ((rc = rp_stmt_run(st, err)))
                return rc;
            break;
        }
        case TG_CAMPAIGN_TARGET:
        case TG_CAMPAIGN_RESPONSE: {
            const char *code = val(t, "campaign", v);
            rp_stmt *st;
            if ((rc = rp_store_prepare(wh_store(w), "SELECT 1 FROM campaign WHERE code = ?", &st, err)))
                return rc;
            rp_stmt_bind_text(st, 1, code);
            rc = rp_stmt_step(st, err);
            rp_stmt_done(st);
            if (rc == RP_DONE)
                return rejectf(rj, "campaign", code, "reference", "campaign: no campaign '%s'", code);
            if (rc != RP_ROW)
                return rc;
            int tgt = t->kind == TG_CAMPAIGN_TARGET;
            const char *kind_ = tgt ? val(t, "group", v) : val(t, "response", v);
            if ((rc = rp_store_prepare(wh_store(w),
                                       tgt ? "INSERT INTO campaign_target(campaign, party_id, grp, contacted_at, "
                                             "channel, job_id) VALUES (?,?,?,?,?,?) ON CONFLICT(campaign, "
                                             "party_id) DO UPDATE SET grp = excluded.grp, contacted_at = "
                                             "excluded.contacted_at, channel = excluded.channel, job_id = "
                                             "excluded.job_id"
                                           : "INSERT INTO campaign_response(campaign, party_id, response, "
                                             "responded_at, job_id) VALUES (?,?,?,?,?) ON CONFLICT(campaign, "
                                             "party_id) DO UPDATE SET response = excluded.response, "
                                             "responded_at = excluded.responded_at, job_id = excluded.job_id",
                                       &st, err)))
                return rc;
            rp_stmt_bind_text(st, 1, code);
            rp_stmt_bind_int(st, 2, party);
            rp_stmt_bind_text(st, 3, kind_);
            bind_opt(st, 4, tgt ? val(t, "contacted_at", v) : val(t, "responded_at", v));
            if (tgt) {
                bind_opt(st, 5, val(t, "channel", v));
                rp_stmt_bind_int(st, 6, L->job);
            } else {
                rp_stmt_bind_int(st, 5, L->job);
            }
            rc = rp_stmt_run(st, &e);
            if (rc == RP_CONSTRAINT)
                return rejectf(rj, tgt ? "group" : "response", kind_, "code", "%s: '%s' is not %s",
                               tgt ? "group" : "response", kind_ ? kind_ : "",
                               tgt ? "treatment or control" : "positive or negative");
            if (rc)
                return rp_err(err, rc, "%s", rp_errmsg(&e));
            break;
        }
        case TG_BRANCH: {
            wh_branch b = { val(t, "code", v),     val(t, "name_zh", v),     val(t, "name_en", v),
                            val(t, "county", v),   val(t, "district", v),    val(t, "address", v),
                            val(t, "postal_code", v), val(t, "phone", v),    val(t, "opened_on", v),
                            NULL };
            rc = wh_branch_put(w, &b, &e);
            break;
        }
        case TG_PRODUCT: {
            const char *cats[2] = { val(t, "category", v), NULL };
            wh_product pr = { 0 };
            pr.code = val(t, "code", v);
            pr.name_zh = val(t, "name_zh", v);
            pr.name_en = val(t, "name_en", v);
            pr.description = val(t, "description", v);
            pr.kind = val(t, "kind", v);
            pr.currency = val(t, "currency", v);
            num(t, "monthly_cost", v, &pr.monthly_cost_minor);
            num(t, "monthly_revenue", v, &pr.monthly_revenue_minor);
            int64_t prio = 0;
            num(t, "sales_priority", v, &prio);
            pr.sales_priority = (int)prio;
            pr.launched_on = val(t, "launched_on", v);
            pr.withdrawn_on = val(t, "withdrawn_on", v);
            pr.categories = cats;
            rc = wh_product_put(w, &pr, &e);
            break;
        }
        case TG__COUNT: break;
        }
        if (rc) {
            if (refused(rc, &e, tname, rj))
                return SP_REJECT;
            return rp_err(err, rc, "%s", rp_errmsg(&e));
        }
    }
    return RP_OK;
}

/* A key that came before in this job (load_seen): a duplicate. */
static int seen_before(ld *L, const char *key, int64_t record, sp_reject *rj, rp_error *err)
{
    unsigned char h[16];
    crypto_generichash(h, sizeof h, (const unsigned char *)key, strlen(key), NULL, 0);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(L->w),
                              "INSERT INTO load_seen(job_id, key, record) VALUES (?,?,?) "
                              "ON CONFLICT(job_id, key) DO UPDATE SET job_id = job_id RETURNING record",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, L->job);
    rp_stmt_bind_blob(st, 2, h, sizeof h);
    rp_stmt_bind_int(st, 3, record);
    rc = rp_stmt_step(st, err);
    int64_t first = rc == RP_ROW ? rp_stmt_int(st, 0) : 0;
    rp_stmt_done(st);
    if (rc != RP_ROW)
        return rc == RP_DONE ? rp_err(err, RP_INTERNAL, "load_seen returned nothing") : rc;
    if (first != record) {
        char k[256];
        snprintf(k, sizeof k, "%s", key);
        for (char *p = k; *p; p++)
            if (*p == '\x1f')
                *p = ' ';
        return rejectf(rj, L->s->nkey == 1 ? L->s->fields[L->s->key[0]].name : "", k, "duplicate",
                       "the record with key '%s' came before, at record %lld", k, (long long)first);
    }
    return RP_OK;
}

/* The header row, so that rejects can be written back out as a file of
 * the same shape. */
static int save_header(ld *L, const char **names, int n, char delim, rp_error *err)
{
    rp_buf b = RP_BUF_INIT;
    for (int i = 0; i < n; i++) {
        if (i)
            rp_buf_putc(&b, delim);
        if (strpbrk(names[i], "\",\r\n") || strchr(names[i], delim)) {
            rp_buf_putc(&b, '"');
            for (const char *p = names[i]; *p; p++) {
                if (*p == '"')
                    rp_buf_putc(&b, '"');
                rp_buf_putc(&b, *p);
            }
            rp_buf_putc(&b, '"');
        } else {
            rp_buf_append(&b, names[i], strlen(names[i]));
        }
    }
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(L->w), "UPDATE load_job SET header = ? WHERE id = ?", &st, err);
    if (!rc) {
        rp_stmt_bind_blob(st, 1, b.data ? b.data : "", b.len);
        rp_stmt_bind_int(st, 2, L->job);
        rc = rp_stmt_run(st, err);
    }
    rp_buf_release(&b);
    return rc;
}

/* ---- the job ---- */

static int find_job(ld *L, const char *fp, int64_t *id, char *status, size_t sn, int64_t *pid, int64_t *records,
                    int64_t *offset, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(L->w),
                              "SELECT id, status, pid, records, offset, rows_loaded, rows_rejected, rows_fixed, "
                              "rows_unchanged FROM load_job WHERE fingerprint = ? AND spec = ? "
                              "ORDER BY (status = 'done') DESC, id DESC LIMIT 1",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, fp);
    rp_stmt_bind_text(st, 2, L->s->name);
    rc = rp_stmt_step(st, err);
    *id = 0;
    if (rc == RP_ROW) {
        *id = rp_stmt_int(st, 0);
        snprintf(status, sn, "%s", rp_stmt_text(st, 1));
        *pid = rp_stmt_int(st, 2);
        *records = rp_stmt_int(st, 3);
        *offset = rp_stmt_int(st, 4);
        L->r->loaded = rp_stmt_int(st, 5);
        L->r->rejected = rp_stmt_int(st, 6);
        L->r->fixed = rp_stmt_int(st, 7);
        L->r->unchanged = rp_stmt_int(st, 8);
    }
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

static int job_set(ld *L, const char *status, const char *message, rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(L->w),
                              "UPDATE load_job SET status = ?, message = ?, finished_at = ? WHERE id = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, status);
    rp_stmt_bind_text(st, 2, message);
    if (strcmp(status, "running"))
        rp_stmt_bind_text(st, 3, now);
    else
        rp_stmt_bind_null(st, 3);
    rp_stmt_bind_int(st, 4, L->job);
    return rp_stmt_run(st, err);
}

static int read_counts(ld *L, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(L->w),
                              "SELECT outcome, rule, field, count FROM load_rule WHERE job_id = ? "
                              "ORDER BY outcome DESC, count DESC, rule, field",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, L->job);
    L->r->ncounts = 0;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        if (L->r->ncounts == LD_MAX_RULES)
            continue;
        ld_count *c = &L->r->counts[L->r->ncounts++];
        snprintf(c->outcome, sizeof c->outcome, "%s", rp_stmt_text(st, 0));
        snprintf(c->rule, sizeof c->rule, "%s", rp_stmt_text(st, 1));
        snprintf(c->field, sizeof c->field, "%s", rp_stmt_text(st, 2));
        c->n = rp_stmt_int(st, 3);
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

static int pid_alive(int64_t pid)
{
    return pid > 0 && pid != (int64_t)getpid() && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

/* ---- reading and decoding on a second thread ----
 *
 * The reader and the decoder run on their own thread and hand blocks of
 * decoded records to the loading thread, which alone touches the store:
 * decoding one block while the previous one is written keeps both cores
 * busy.  A block carries each record's values (text copied into the
 * block), its raw bytes (for a reject), the fixes cleansing made, the
 * record's key, and the byte offset after it (the checkpoint). */

#define LD_BLOCK 1024
#define LD_NBLOCKS 256 /* deep enough that decoding goes on while a batch is written (128 MB at most) */
#define LD_BLOCK_BYTES ((size_t)16 << 20) /* a block closes early past this much text */

typedef struct ld_rec {
    int64_t number, offset, after;
    int rejected;             /* 1: the block's rjs[rj] says why */
    int rj;
    size_t raw, rawlen, key;  /* offsets into the block's text */
    int fix0, nfix;           /* into the block's fix arrays */
    int enc0;                 /* its transaction targets' ld_enc, one each, from the block's enc[enc0] */
} ld_rec;

typedef struct ld_block {
    int n, last;              /* last: the file ends after these */
    int failed;               /* the producer stopped on an error (err) */
    rp_error err;
    ld_rec item[LD_BLOCK];
    sp_value *vals;           /* LD_BLOCK x nfields */
    uint32_t *voff;           /* text offsets of the values (the text is less than 4 GB) */
    rp_buf text;
    const char **fix_rule, **fix_field;
    int nfixes, capfixes;
    sp_reject *rjs;           /* why records were rejected: few, so kept apart */
    int nrj, caprj;
    ld_enc *enc;              /* LD_BLOCK x the spec's transaction targets */
} ld_block;

typedef struct ld_pipe {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    ld_block blocks[LD_NBLOCKS];
    int full[LD_NBLOCKS], nfull, head; /* a queue of full blocks, in order */
    int free_[LD_NBLOCKS], nfree;
    int abort;
    int waiting;              /* threads asleep on cv: woken only then (a wake-up is a system call) */
    int nblocks;              /* up to LD_NBLOCKS: fewer for specs of many fields */
    const sp_spec *s;
    const char *file;
    reader *rd;
    sp_decoder *dec;
    const char **header;
    int nheader;
    int ntxn;                 /* the spec's transaction targets */
    unsigned char *unread;    /* fields whose text the writing thread never reads: not copied for it */
} ld_pipe;

static ld_block *pipe_take_free(ld_pipe *p)
{
    pthread_mutex_lock(&p->mu);
    while (!p->nfree && !p->abort) {
        p->waiting++;
        pthread_cond_wait(&p->cv, &p->mu);
        p->waiting--;
    }
    ld_block *b = p->abort ? NULL : &p->blocks[p->free_[--p->nfree]];
    pthread_mutex_unlock(&p->mu);
    return b;
}

static void pipe_push_full(ld_pipe *p, ld_block *b)
{
    pthread_mutex_lock(&p->mu);
    p->full[(p->head + p->nfull) % p->nblocks] = (int)(b - p->blocks);
    p->nfull++;
    if (p->waiting)
        pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

static ld_block *pipe_take_full(ld_pipe *p)
{
    pthread_mutex_lock(&p->mu);
    while (!p->nfull) {
        p->waiting++;
        pthread_cond_wait(&p->cv, &p->mu);
        p->waiting--;
    }
    ld_block *b = &p->blocks[p->full[p->head]];
    p->head = (p->head + 1) % p->nblocks;
    p->nfull--;
    pthread_mutex_unlock(&p->mu);
    return b;
}

static void pipe_give_back(ld_pipe *p, ld_block *b)
{
    pthread_mutex_lock(&p->mu);
    p->free_[p->nfree++] = (int)(b - p->blocks);
    if (p->waiting)
        pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

static void pipe_abort(ld_pipe *p)
{
    pthread_mutex_lock(&p->mu);
    p->abort = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

static size_t keep(ld_block *b, const void *data, size_t n)
{
    size_t at = b->text.len;
    rp_buf_append(&b->text, data ? data : "", n);
    rp_buf_putc(&b->text, 0);
    return at;
}

/* A transaction target's attributes, by index: looked up once, not by name for every record */
enum { TX_POSTED, TX_VDATE, TX_AMOUNT, TX_CURRENCY, TX_CHANNEL, TX_CLASS, TX_DESC, TX_CP, TX_KEY, TX_QTY, TX_ITEM,
       TX__N };
static int tx_ix[TX__N];
static pthread_once_t tx_once = PTHREAD_ONCE_INIT;
static void tx_init(void)
{
    static const char *const names[TX__N] = { "posted_at", "value_date", "amount", "currency", "channel", "class",
                                              "description", "counterparty", "key", "quantity", "item" };
    for (int i = 0; i < TX__N; i++)
        tx_ix[i] = sp_attr_index(TG_TXN, names[i]);
}

/* A record's transactions, checked and written for the writing thread. */
static void encode_txns(const sp_spec *s, const sp_value *v, ld_enc *en, rp_buf *text)
{
    pthread_once(&tx_once, tx_init);
    for (int ti = 0; ti < s->ntargets; ti++) {
        const sp_target *t = &s->targets[ti];
        if (t->kind != TG_TXN)
            continue;
        ld_enc *x = en++;
        x->rc = RP_OK;
        if (t->when_field >= 0 && v[t->when_field].null)
            continue;
        wh_txn w; /* every member set: a zeroing initialiser was a fifth of this thread's own time */
        w.account_id = w.job_id = 0;
        w.account_currency = NULL;
        w.posted_at = val_at(t, tx_ix[TX_POSTED], v);
        w.value_date = val_at(t, tx_ix[TX_VDATE], v);
        num_at(t, tx_ix[TX_AMOUNT], v, &w.amount_minor);
        w.currency = val_at(t, tx_ix[TX_CURRENCY], v);
        w.channel = val_at(t, tx_ix[TX_CHANNEL], v);
        w.class_ = val_at(t, tx_ix[TX_CLASS], v);
        w.description = val_at(t, tx_ix[TX_DESC], v);
        w.counterparty = val_at(t, tx_ix[TX_CP], v);
        w.source = t->source;
        w.source_key = val_at(t, tx_ix[TX_KEY], v);
        w.has_quantity = num_at(t, tx_ix[TX_QTY], v, &w.quantity);
        w.item = val_at(t, tx_ix[TX_ITEM], v);
        rp_error e;
        rp_err_clear(&e);
        size_t mark = text->len;
        if ((x->rc = wh_txn_encode(&w, text, &x->row, &e))) {
            text->len = mark; /* what it had written of the row is not wanted */
            x->msg = text->len;
            rp_buf_append(text, rp_errmsg(&e), strlen(rp_errmsg(&e)) + 1);
        }
    }
}

static void *producer(void *arg)
{
    ld_pipe *p = arg;
    const sp_spec *s = p->s;
    sp_value vals[SP_MAX_FIELDS];
    for (;;) {
        ld_block *b = pipe_take_free(p);
        if (!b)
            return NULL;
        b->n = b->last = b->failed = 0;
        b->nrj = 0;
        b->nfixes = 0;
        rp_err_clear(&b->err);
        rp_buf_reset(&b->text);
        while (b->n < LD_BLOCK && b->text.len < LD_BLOCK_BYTES) {
            rd_record rec;
            rp_error re;
            rp_err_clear(&re);
            int got = rd_next(p->rd, &rec, &re);
            if (got == RD_END) {
                b->last = 1;
                break;
            }
            if (got != RD_RECORD && got != RD_BAD) {
                rp_err(&b->err, got, "%s", rp_errmsg(&re));
                b->failed = b->last = 1;
                break;
            }
            ld_rec *it = &b->item[b->n];
            if (b->nrj == b->caprj) { /* room for this record's reject, should it be one */
                int cap = b->caprj ? b->caprj * 2 : 16;
                sp_reject *nr = realloc(b->rjs, (size_t)cap * sizeof *nr);
                if (!nr) {
                    rp_err(&b->err, RP_NOMEM, NULL);
                    b->failed = b->last = 1;
                    break;
                }
                b->rjs = nr;
                b->caprj = cap;
            }
            sp_reject *rjp = &b->rjs[b->nrj];
            it->number = rec.number;
            it->offset = rec.offset;
            it->after = rd_bytes_read(p->rd);
            it->rejected = 0;
            it->nfix = 0;
            it->fix0 = b->nfixes;
            it->key = 0;
            if (got == RD_BAD) {
                reader_reject(&re, rjp);
                size_t vl = rec.data ? (rec.len < 64 ? rec.len : 64) : 0;
                while (vl && (rec.data[vl - 1] == '\n' || rec.data[vl - 1] == '\r'))
                    vl--;
                sp_printable(rec.data ? rec.data : "", vl, rjp->value, sizeof rjp->value);
                it->rejected = 1;
                it->rj = b->nrj++;
            } else {
                if (!p->dec) {
                    p->nheader = rd_header(p->rd, &p->header);
                    if (sp_decoder_open(s, p->file, p->header, p->nheader, &p->dec, &b->err)) {
                        b->failed = b->last = 1;
                        break;
                    }
                }
                int rc = sp_decode(p->dec, &rec, vals, rjp, &b->err);
                if (rc != RP_OK && rc != SP_REJECT) {
                    b->failed = b->last = 1;
                    break;
                }
                it->rejected = rc == SP_REJECT;
                if (it->rejected)
                    it->rj = b->nrj++;
                if (!it->rejected) {
                    sp_value *dst = b->vals + (size_t)b->n * (size_t)s->nfields;
                    uint32_t *off = b->voff + (size_t)b->n * (size_t)s->nfields;
                    for (int i = 0; i < s->nfields; i++) {
                        dst[i] = vals[i];
                        off[i] = vals[i].null || !vals[i].text || p->unread[i]
                                     ? UINT32_MAX
                                     : (uint32_t)keep(b, vals[i].text, strlen(vals[i].text));
                    }
                    if (s->dedup_seen) {
                        const char *k = sp_record_key(p->dec, vals);
                        it->key = keep(b, k, strlen(k));
                    }
                    it->enc0 = b->n * p->ntxn;
                    if (p->ntxn)
                        encode_txns(s, vals, &b->enc[it->enc0], &b->text);
                    int nf = sp_fixed_count(p->dec);
                    if (b->nfixes + nf > b->capfixes) {
                        int cap = (b->nfixes + nf) * 2 + 64;
                        const char **r1 = realloc(b->fix_rule, (size_t)cap * sizeof *r1);
                        if (r1)
                            b->fix_rule = r1;
                        const char **f1 = realloc(b->fix_field, (size_t)cap * sizeof *f1);
                        if (f1)
                            b->fix_field = f1;
                        if (!r1 || !f1) {
                            rp_err(&b->err, RP_NOMEM, NULL);
                            b->failed = b->last = 1;
                            break;
                        }
                        b->capfixes = cap;
                    }
                    for (int i = 0; i < nf; i++)
                        sp_fixed_get(p->dec, i, &b->fix_rule[b->nfixes + i], &b->fix_field[b->nfixes + i]);
                    it->nfix = nf;
                    b->nfixes += nf;
                }
            }
            it->raw = keep(b, rec.data, rec.data ? rec.len : 0);
            it->rawlen = rec.data ? rec.len : 0;
            b->n++;
        }
        if (rp_buf_status(&b->text) != RP_OK && !b->failed) {
            rp_err(&b->err, RP_NOMEM, "a block of records is larger than the buffer allows");
            b->failed = b->last = 1;
        }
        /* the text is complete: point the values into it */
        for (int k = 0; k < b->n; k++) {
            if (b->item[k].rejected)
                continue;
            sp_value *v = b->vals + (size_t)k * (size_t)s->nfields;
            uint32_t *off = b->voff + (size_t)k * (size_t)s->nfields;
            for (int i = 0; i < s->nfields; i++)
                v[i].text = off[i] == UINT32_MAX ? NULL : b->text.data + off[i];
        }
        int last = b->last;
        pipe_push_full(p, b);
        if (last)
            return NULL;
    }
}

static int pipe_init(ld_pipe *p, const sp_spec *s, const char *file, reader *rd, rp_error *err)
{
    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->s = s;
    p->file = file;
    p->rd = rd;
    for (int i = 0; i < s->ntargets; i++)
        p->ntxn += s->targets[i].kind == TG_TXN;
    /* When every target is a transaction, which this thread checks and writes, the writing thread reads
     * the text of the account numbers alone (and whether a "when" field is empty, which is kept): the
     * other values are not copied for it (about 5 % of this thread's time). */
    if (!(p->unread = calloc((size_t)s->nfields + 1, 1)))
        return rp_err(err, RP_NOMEM, NULL);
    if (p->ntxn == s->ntargets && !s->dedup_seen) {
        memset(p->unread, 1, (size_t)s->nfields);
        for (int i = 0; i < s->ntargets; i++) {
            const sp_ref *a = &s->targets[i].account;
            if (a->kind && a->field >= 0 && a->field < s->nfields)
                p->unread[a->field] = 0;
        }
    }
    /* a block's records take their values (32 bytes and an offset each), their transactions and about
     * 256 bytes of text a record: 64 MB of blocks at most */
    size_t per = (size_t)LD_BLOCK * ((size_t)s->nfields * (sizeof(sp_value) + sizeof(uint32_t)) +
                                     (size_t)p->ntxn * sizeof(ld_enc) + 256);
    p->nblocks = (int)(((size_t)128 << 20) / per);
    if (p->nblocks > LD_NBLOCKS)
        p->nblocks = LD_NBLOCKS;
    if (p->nblocks < 4)
        p->nblocks = 4;
    for (int i = 0; i < p->nblocks; i++) {
        ld_block *b = &p->blocks[i];
        b->vals = calloc((size_t)LD_BLOCK * (size_t)s->nfields, sizeof *b->vals);
        if (p->ntxn && !(b->enc = calloc((size_t)LD_BLOCK * (size_t)p->ntxn, sizeof *b->enc)))
            return rp_err(err, RP_NOMEM, NULL);
        b->voff = calloc((size_t)LD_BLOCK * (size_t)s->nfields, sizeof *b->voff);
        /* one more record past LD_BLOCK_BYTES: its raw bytes (at most 1 MB) and values */
        rp_buf_init(&b->text, LD_BLOCK_BYTES + 2 * RD_DEFAULT_MAX_RECORD + SP_MAX_FIELDS * (SP_TEXT_MAX + 1));
        if (!b->vals || !b->voff)
            return rp_err(err, RP_NOMEM, NULL);
        p->free_[p->nfree++] = i;
    }
    return RP_OK;
}

static void pipe_free(ld_pipe *p)
{
    for (int i = 0; i < p->nblocks; i++) {
        free(p->blocks[i].vals);
        free(p->blocks[i].voff);
        free(p->blocks[i].fix_rule);
        free(p->blocks[i].fix_field);
        free(p->blocks[i].rjs);
        free(p->blocks[i].enc);
        rp_buf_release(&p->blocks[i].text);
    }
    sp_decoder_close(p->dec);
    free(p->unread);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
}

/* A file's reader and the decoding thread that reads it. */
typedef struct ld_run {
    reader *rd;
    ld_pipe *P;
    pthread_t th;
    int running;
} ld_run;

static int run_start(ld_run *u, const sp_spec *s, const char *file, int64_t offset, int64_t records,
                     rp_error *err)
{
    memset(u, 0, sizeof *u);
    rd_options ro = sp_reader_options(s);
    int rc = rd_open(file, &ro, &u->rd, err);
    if (!rc && offset > 0)
        rc = rd_seek(u->rd, offset, records, err);
    if (!rc && !(u->P = calloc(1, sizeof *u->P))) /* blocks of records: too big for the stack */
        rc = rp_err(err, RP_NOMEM, NULL);
    if (!rc && !(rc = pipe_init(u->P, s, file, u->rd, err))) {
        if (pthread_create(&u->th, NULL, producer, u->P) != 0)
            rc = rp_err(err, RP_INTERNAL, "cannot start the decoding thread");
        else
            pthread_setname_np(u->th, "rapport-decode"); /* as top and perf show it */
    }
    u->running = !rc;
    return rc;
}

/* Stop the decoding (if it has not finished) and close the file; again does nothing. */
static void run_stop(ld_run *u)
{
    if (u->running) {
        pipe_abort(u->P);
        pthread_join(u->th, NULL);
    }
    if (u->P) {
        pipe_free(u->P);
        free(u->P);
    }
    rd_close(u->rd);
    memset(u, 0, sizeof *u);
}

typedef struct ld_fp {
    const char *file;
    char hex[65];
    int64_t bytes;
    int rc;
    rp_error err;
} ld_fp;

static void *fingerprint_thread(void *arg)
{
    ld_fp *f = arg;
    f->rc = ld_fingerprint(f->file, f->hex, &f->bytes, &f->err);
    return NULL;
}

int ld_load(wh *w, const sp_spec *s, const char *file, const ld_options *o, ld_result *r, rp_error *err)
{
    memset(r, 0, sizeof *r);
    ld L;
    memset(&L, 0, sizeof L);
    L.w = w;
    L.s = s;
    L.o = o;
    L.r = r;
    L.label = o->label ? o->label : file;
    int creates_accounts = 0, all_txn = s->ntargets > 0;
    for (int i = 0; i < s->ntargets; i++) {
        creates_accounts |= s->targets[i].kind == TG_ACCOUNT;
        all_txn &= s->targets[i].kind == TG_TXN;
    }

    /* Decoding starts at once, from the beginning of the file, while a thread of its own works out
     * the fingerprint that says whether the file was loaded before, or half loaded: the load no longer
     * waits for it (0.12 s of SHA-256 for 146 MB).  Nothing is written until it is known.  A file
     * loaded before stops the decoding; a half-loaded one starts it again where its job stopped. */
    ld_fp fp;
    memset(&fp, 0, sizeof fp);
    fp.file = file;
    pthread_t fth;
    int threaded = pthread_create(&fth, NULL, fingerprint_thread, &fp) == 0;
    if (!threaded)
        fingerprint_thread(&fp);
    ld_run run;
    rp_error run_err;
    rp_err_clear(&run_err);
    int run_rc = run_start(&run, s, file, 0, 0, &run_err);
    if (threaded)
        pthread_join(fth, NULL);
    int rc = fp.rc;
    if (rc) {
        run_stop(&run);
        return rp_err(err, rc, "%s", rp_errmsg(&fp.err));
    }
    memcpy(r->fingerprint, fp.hex, sizeof fp.hex);
    r->bytes = fp.bytes;
    if (o->expect_sha256 && strcasecmp(o->expect_sha256, r->fingerprint) != 0) {
        run_stop(&run);
        return rp_err(err, RP_CHECKSUM, "%s: its SHA-256 is %s, the manifest says %s; the file is not the one "
                      "extracted, nothing was loaded", L.label, r->fingerprint, o->expect_sha256);
    }
    char status[16] = "";
    int64_t pid = 0, records = 0, offset = 0;
    if ((rc = find_job(&L, r->fingerprint, &L.job, status, sizeof status, &pid, &records, &offset, err))) {
        run_stop(&run);
        return rc;
    }
    if (L.job && !strcmp(status, "done") && !o->force) {
        run_stop(&run);
        r->noop = 1;
        r->noop_job = L.job;
        r->job = L.job;
        r->records = records;
        return read_counts(&L, err);
    }
    if (L.job && !strcmp(status, "running") && pid_alive(pid)) {
        run_stop(&run);
        return rp_err(err, RP_BUSY, "%s: job %lld is loading this file now (process %lld)", L.label,
                      (long long)L.job, (long long)pid);
    }
    int single = o->max_reject_rate >= 0;
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    if (L.job && strcmp(status, "done") && records > 0) {
        /* an interrupted job: go on after its last committed batch */
        r->resumed = 1;
        r->resume_from = records;
        r->records = records;
    } else {
        /* a job that committed nothing (stopped by its reject budget, or killed
         * before its first batch) starts over under its own number */
        if (!L.job || !strcmp(status, "done"))
            L.job = 0;
        r->loaded = r->rejected = r->fixed = r->unchanged = 0;
        records = offset = 0;
    }
    /* the job row is committed first, so that a failure is on record */
    if ((rc = rp_store_begin(wh_store(w), err))) {
        run_stop(&run);
        return rc;
    }
    rp_stmt *st;
    if (!L.job) {
        rc = rp_store_prepare(wh_store(w),
                              "INSERT INTO load_job(source, file, fingerprint, started_at, started_by, spec, bytes, "
                              "pid, resubmits, path, spec_text) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                              &st, err);
        if (!rc) {
            rp_stmt_bind_text(st, 1, s->source);
            rp_stmt_bind_text(st, 2, L.label);
            rp_stmt_bind_text(st, 3, r->fingerprint);
            rp_stmt_bind_text(st, 4, now);
            rp_stmt_bind_text(st, 5, o->by);
            rp_stmt_bind_text(st, 6, s->name);
            rp_stmt_bind_int(st, 7, r->bytes);
            rp_stmt_bind_int(st, 8, (int64_t)getpid());
            if (o->resubmit_of)
                rp_stmt_bind_int(st, 9, o->resubmit_of);
            else
                rp_stmt_bind_null(st, 9);
            char abs[PATH_MAX];
            rp_stmt_bind_text(st, 10, realpath(file, abs) ? abs : file);
            rp_stmt_bind_text(st, 11, s->text);
            rc = rp_stmt_step(st, err);
            if (rc == RP_ROW) {
                L.job = rp_stmt_int(st, 0);
                rc = RP_OK;
            }
            rp_stmt_done(st);
        }
    } else if (!(rc = rp_store_prepare(wh_store(w),
                                       "UPDATE load_job SET status = 'running', pid = ?, message = NULL, "
                                       "finished_at = NULL WHERE id = ?",
                                       &st, err))) {
        rp_stmt_bind_int(st, 1, (int64_t)getpid());
        rp_stmt_bind_int(st, 2, L.job);
        rc = rp_stmt_run(st, err);
    }
    if (!rc && s->reference)
        rc = wh_reference_put(w, s->reference, "spec reference data", err);
    if (rc || (rc = rp_store_commit(wh_store(w), err))) {
        rp_store_rollback(wh_store(w));
        run_stop(&run);
        return rc;
    }
    r->job = L.job;
    if ((!creates_accounts && !(L.accounts = accounts_new())) || (rc = wh_txn_batch_new(&L.txns, err))) {
        accounts_free(L.accounts);
        run_stop(&run);
        return rc ? rc : rp_err(err, RP_NOMEM, NULL);
    }
    rp_buf_init(&L.raw, (size_t)1 << 32);
    double t0 = mono();
    rp_progress pr;
    char plabel[300];
    const char *base = strrchr(L.label, '/');
    snprintf(plabel, sizeof plabel, "loading %s", base ? base + 1 : L.label);
    rp_progress_start(&pr, plabel, 0);
    pr.bytes_total = (uint64_t)r->bytes;
    if (!o->progress)
        pr.on = 0;
    if (run_rc) { /* the file could not be read: on record as the job's failure */
        rc = rp_err(err, run_rc, "%s", rp_errmsg(&run_err));
        goto failed;
    }
    if (offset > 0) { /* go on where the job stopped: decoding starts again there */
        run_stop(&run);
        if ((rc = run_start(&run, s, file, offset, records, err)))
            goto failed;
    }
    int batch = o->batch > 0 ? o->batch : LD_DEFAULT_BATCH;
    /* While the load writes: the WAL is checkpointed every 16 MB rather than every 4 MB, fewer
     * copies, with little left for the last one, which the command waits for when it closes the store
     * (64 MB left it 0.4 s of copying and syncing after the last record); and, for a file of
     * transactions alone, which appends, the page cache is 64 MB, not 256: the memory goes to the
     * records waiting to be written.  (Upserts of customers and accounts, all over their indexes,
     * keep the whole cache.)  A checkpointing thread with a connection of its own was tried: it
     * gained nothing measurable on two cores, and the WAL, never free of a reader when a batch began,
     * grew to the size of the load. */
    if ((rc = rp_store_query_int(wh_store(w), "PRAGMA wal_autocheckpoint", &L.saved_autockpt, err)) ||
        (rc = rp_store_query_int(wh_store(w), "PRAGMA cache_size", &L.saved_cache, err)))
        goto failed;
    L.tuned = 1;
    if ((rc = rp_store_exec(wh_store(w), "PRAGMA wal_autocheckpoint=4096", err)) ||
        (all_txn && (rc = rp_store_exec(wh_store(w), "PRAGMA cache_size=-65536", err))))
        goto failed;
    /* With the store to itself, the load writes in bulk: each page once, to the database file (not to
     * the WAL and again when a checkpoint copies it): 0.1 s of 1.3 for 2 million transactions (files of
     * customers, bound by their upserts, about as before).  Another connection open, e.g. the API
     * server's: WAL as before. */
    if ((rc = rp_store_bulk_begin(wh_store(w), &L.bulk, err)))
        goto failed;
    if ((rc = rp_store_begin(wh_store(w), err)))
        goto failed;
    int in_batch = 0, stopped = 0, savepoints = s->ntargets > 1 || s->dedup_seen;
    /* for the crash tests: die as kill -9 would, mid-batch, after this many records */
    const char *crash = getenv("RAPPORT_TEST_KILL_AFTER");
    int64_t kill_after = crash ? strtoll(crash, NULL, 10) : 0;
    /* ... and as Ctrl-C would (SIGINT to this process: the caller's handler sets *o->stop) */
    const char *intr = getenv("RAPPORT_TEST_INTERRUPT_AFTER");
    int64_t interrupt_after = intr ? strtoll(intr, NULL, 10) : 0;
    ld_pipe *P = run.P;
    int64_t done_offset = offset, header_saved = 0;
    int finished = 0;
    while (!finished && !rc) {
        ld_block *b = pipe_take_full(P);
        if (!header_saved && P->nheader) {
            header_saved = 1;
            rc = save_header(&L, P->header, P->nheader, s->delimiter, err);
        }
        for (int k = 0; k < b->n && !rc; k++) {
            ld_rec *it = &b->item[k];
            rd_record rec; /* not zeroed: its 1,024 field slots are not used here */
            rec.nfields = 0;
            rec.number = it->number;
            rec.offset = it->offset;
            rec.data = b->text.data + it->raw;
            rec.len = it->rawlen;
            r->records++;
            if (kill_after && r->records - r->resume_from >= kill_after)
                raise(SIGKILL);
            if (interrupt_after && r->records - r->resume_from == interrupt_after)
                raise(SIGINT);
            sp_reject rj;
            int outcome = RP_OK;
            const sp_value *values = b->vals + (size_t)k * (size_t)s->nfields;
            if (it->rejected) {
                rj = b->rjs[it->rj];
                outcome = SP_REJECT;
            } else {
                if (savepoints && (rc = rp_store_begin(wh_store(w), err)))
                    break;
                if (s->dedup_seen)
                    outcome = seen_before(&L, b->text.data + it->key, it->number, &rj, err);
                size_t txn_mark = wh_txn_batch_len(L.txns), pend_mark = L.npend;
                L.rec = &rec;
                L.rec_fixed = it->nfix > 0;
                L.enc = b->enc ? &b->enc[it->enc0] : NULL;
                L.enc_text = b->text.data;
                if (outcome == RP_OK)
                    outcome = write_targets(&L, values, &rj, err);
                if (outcome != RP_OK) { /* a transaction of this record waits no more */
                    wh_txn_batch_truncate(L.txns, txn_mark);
                    L.npend = pend_mark;
                }
                if (savepoints) {
                    if (outcome == RP_OK)
                        rc = rp_store_commit(wh_store(w), err);
                    else
                        rp_store_rollback(wh_store(w));
                    if (rc)
                        break;
                }
                if (outcome != RP_OK && outcome != SP_REJECT) {
                    rc = outcome;
                    break;
                }
            }
            if (outcome == SP_REJECT) {
                if ((rc = reject(&L, &rec, &rj, err)))
                    break;
            } else {
                r->loaded++;
                if (it->nfix)
                    r->fixed++;
                for (int i = 0; i < it->nfix; i++)
                    count(&L, "fixed", b->fix_rule[it->fix0 + i], b->fix_field[it->fix0 + i]);
            }
            done_offset = it->after;
            if (single && r->records >= 1000 && (double)r->rejected > o->max_reject_rate * (double)r->records) {
                stopped = finished = 1;
                break;
            }
            if (++in_batch >= batch && !single) {
                if ((rc = flush_txns(&L, err)) || (rc = checkpoint(&L, done_offset, mono() - t0, err)) ||
                    (rc = rp_store_commit(wh_store(w), err)) || (rc = rp_store_begin(wh_store(w), err)))
                    break;
                in_batch = 0;
            }
            if (o->stop && *o->stop) {
                r->interrupted = finished = 1;
                break;
            }
        }
        /* once a block, not a record: drawn on a terminal, it reads the clock each time */
        rp_progress_update_bytes(&pr, (uint64_t)r->records, (uint64_t)done_offset);
        if (!rc && b->failed)
            rc = rp_err(err, b->err.code ? b->err.code : RP_INTERNAL, "%s", rp_errmsg(&b->err));
        if (b->last)
            finished = 1;
        pipe_give_back(P, b);
    }
    run_stop(&run);
    if (rc || (rc = flush_txns(&L, err)))
        goto rollback;
    rp_progress_finish(&pr);
    if (single && !stopped && r->records && (double)r->rejected > o->max_reject_rate * (double)r->records)
        stopped = 1;
    if (stopped) {
        rp_store_rollback(wh_store(w));
        char msg[300];
        snprintf(msg, sizeof msg, "stopped: %lld of %lld records rejected (%.1f%%), more than the maximum of %g%%; "
                 "nothing was committed", (long long)r->rejected, (long long)r->records,
                 100.0 * (double)r->rejected / (double)r->records, 100.0 * o->max_reject_rate);
        rp_error e2 = RP_ERROR_INIT;
        if (rp_store_begin(wh_store(w), &e2) == RP_OK) {
            if (job_set(&L, "failed", msg, &e2) == RP_OK && rp_store_commit(wh_store(w), &e2) == RP_OK) {
            } else {
                rp_store_rollback(wh_store(w));
            }
        }
        rc = rp_err(err, RP_INVAL, "%s: %s", L.label, msg);
        goto out;
    }
    r->seconds = mono() - t0;
    if ((rc = checkpoint(&L, done_offset, r->seconds, err)))
        goto rollback;
    if (r->interrupted) {
        char msg[200];
        snprintf(msg, sizeof msg, "interrupted after record %lld; run the load again to finish it",
                 (long long)r->records);
        rc = job_set(&L, "failed", msg, err);
    } else {
        if (!(rc = job_set(&L, "done", NULL, err)) &&
            !(rc = rp_store_prepare(wh_store(w), "DELETE FROM load_seen WHERE job_id = ?", &st, err))) {
            rp_stmt_bind_int(st, 1, L.job);
            rc = rp_stmt_run(st, err);
        }
    }
    if (rc || (rc = rp_store_commit(wh_store(w), err)))
        goto rollback;
    rc = read_counts(&L, err);
    goto out;
rollback:
    rp_store_rollback(wh_store(w));
failed:
    rp_progress_finish(&pr);
    {
        rp_error e2 = RP_ERROR_INIT;
        char msg[600];
        snprintf(msg, sizeof msg, "%s", rp_errmsg(err));
        if (rp_store_begin(wh_store(w), &e2) == RP_OK) {
            if (job_set(&L, "failed", msg, &e2) != RP_OK || rp_store_commit(wh_store(w), &e2) != RP_OK)
                rp_store_rollback(wh_store(w));
        }
    }
out:
    if (L.tuned) {
        char sql[128];
        snprintf(sql, sizeof sql, "PRAGMA wal_autocheckpoint=%lld; PRAGMA cache_size=%lld",
                 (long long)L.saved_autockpt, (long long)L.saved_cache);
        rp_error e2;
        rp_err_clear(&e2);
        if (rp_store_exec(wh_store(w), sql, &e2) != RP_OK && !rc)
            rc = rp_err(err, e2.code, "%s", rp_errmsg(&e2));
    }
    if (L.bulk) { /* what the load did is committed, whatever this says: WAL comes back at the next open */
        rp_error e2;
        rp_err_clear(&e2);
        if (rp_store_bulk_end(wh_store(w), &e2) != RP_OK)
            rp_log_warn("%s: the store stays in bulk writing until it is next opened: %s", L.label, rp_errmsg(&e2));
    }
    run_stop(&run);
    accounts_free(L.accounts);
    L.accounts = NULL;
    wh_txn_batch_free(L.txns);
    free(L.pend);
    rp_buf_release(&L.raw);
    return rc;
}

int ld_rejects_csv(wh *w, int64_t job, FILE *f, int header, rp_error *err)
{
    rp_buf b = RP_BUF_INIT;
    if (header) {
        const char *h[] = { "file", "record", "offset", "field", "value", "rule", "message" };
        for (int i = 0; i < 7; i++)
            rp_csv_field(&b, h[i], strlen(h[i]), i == 0);
        rp_csv_end_row(&b);
    }
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT file, record, offset, field, value, rule, message FROM reject "
                              "WHERE job_id = ? ORDER BY record",
                              &st, err);
    if (!rc) {
        rp_stmt_bind_int(st, 1, job);
        while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
            for (int i = 0; i < 7; i++) {
                const char *t = rp_stmt_text(st, i);
                rp_csv_field(&b, t ? t : "", t ? strlen(t) : 0, i == 0);
            }
            rp_csv_end_row(&b);
            if (b.len > (1 << 20)) {
                fwrite(b.data, 1, b.len, f);
                rp_buf_reset(&b);
            }
        }
        rp_stmt_done(st);
        rc = rc == RP_DONE ? RP_OK : rc;
    }
    if (b.len)
        fwrite(b.data, 1, b.len, f);
    rp_buf_release(&b);
    if (!rc && ferror(f))
        rc = rp_err(err, RP_IO, "cannot write the rejects: %s", strerror(errno));
    return rc;
}
