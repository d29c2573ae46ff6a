/*
 * warehouse.h — the single customer view and its C API.
 *
 * The warehouse holds parties (people and organisations, current and
 * former), their identifiers, contact points, accounts and the roles that
 * tie them, links between parties and between accounts, transactions by
 * channel, contact history (interactions), consents, the product catalogue
 * and branches, and the lineage of every party and account back to a source
 * record and load job.  DOMAIN W1-W5, W14.
 *
 * A `wh` is an open store plus the keyring that seals national IDs,
 * passports, resident certificates and tax numbers at rest (libsodium
 * authenticated encryption) and hashes every identifier with a key for
 * exact lookup.  Identifiers are validated before anything is written: the
 * Taiwan national ID and resident certificate checksums, the company UBN
 * checksum; phones are normalised to E.164 and e-mails to lower case.
 *
 * Writers (wh_*_add, wh_*_put) do not open transactions: the caller wraps a
 * batch in rp_store_begin/commit so that it lands whole or not at all.
 * Every writer validates first and names the offending field in its error
 * ("identifier.value: invalid national ID 'A123456788': checksum ...").
 *
 * Reading: wh_find() turns whatever a person types or a phone system sends
 * (internal id, national ID, phone in any common format, account number,
 * e-mail, card or source customer number) into a party id; wh_c360() returns
 * that party's whole picture as a JSON object (the shape is documented in
 * docs/warehouse.md).  Both are indexed lookups: sub-millisecond at a
 * million customers (bench/c360.c).
 */
#ifndef RP_WAREHOUSE_H
#define RP_WAREHOUSE_H

#include <jansson.h>
#include <stdint.h>
#include "core/buf.h"
#include "core/error.h"
#include "core/seal.h"
#include "store/store.h"

typedef struct wh {
    rp_store *store;
    rp_keyring *keys;
    char db_path[1024];
    char key_path[1024];
} wh;

/* ---- opening ---- */

/* wh_open flags */
enum { WH_INIT = 1 /* create or migrate the store, create the key if new */ };

/* Open db (NULL: $RAPPORT_DB or ./rapport.db) with key file keyfile (NULL:
 * $RAPPORT_KEY or DB.key).  With WH_INIT, *created (if not NULL) says whether
 * the store was new and *migrations how many migrations ran. */
int wh_open(const char *db, const char *keyfile, int flags, wh **out, int *migrations,
            rp_error *err) RP_WARN_UNUSED;
void wh_close(wh *w);
const char *wh_default_db(void);

/* ---- validation and normalisation (pure; no store) ---- */

int wh_check_national_id(const char *id);  /* 1 if the Taiwan checksum holds */
int wh_check_resident_cert(const char *id);/* old (AB12345678) or new (A812345678) form */
int wh_check_ubn(const char *ubn);         /* company unified business number */
/* Normalise and validate an identifier of a type; out receives the
 * canonical form.  Errors name the value and the rule. */
int wh_identifier_normalise(const char *type, const char *value, char *out, size_t n,
                            rp_error *err) RP_WARN_UNUSED;
int wh_identifier_sealed(const char *type);  /* 1 for types sealed at rest */
int wh_identifier_needs_issuer(const char *type);
/* A12****789: first three and last three kept. */
void wh_mask(const char *value, char *out, size_t n);
/* Phones to E.164 (+886 for Taiwan numbers written domestically); an
 * extension is kept as ";ext=N" in out and left out of lookup. */
int wh_phone_normalise(const char *in, char *out, size_t n, char *lookup, size_t ln,
                       rp_error *err) RP_WARN_UNUSED;
int wh_email_normalise(const char *in, char *out, size_t n, char *lookup, size_t ln,
                       rp_error *err) RP_WARN_UNUSED;
/* Minor units to "1,234.56 TWD" with the currency's ISO 4217 exponent. */
void wh_money_format(int64_t minor, const char *currency, char *out, size_t n);
int wh_currency_exponent(const char *currency);
/* Any accepted date form to "YYYY-MM-DD"; NULL or "" gives NULL in *out. */
int wh_date_normalise(const char *field, const char *in, char out[11], const char **res,
                      rp_error *err) RP_WARN_UNUSED;

/* ---- writing ---- */

typedef struct wh_party {
    const char *kind;        /* "person" or "organisation" */
    const char *name_zh, *name_latin;
    const char *birth_date;  /* any accepted date form */
    const char *gender;      /* F, M, X or NULL */
    const char *occupation, *income_band;
    const char *status;      /* default active */
    const char *status_since;
    const char *home_branch;
} wh_party;

typedef struct wh_contact {
    const char *kind;    /* mobile, phone, fax, email, address */
    const char *purpose; /* home (default), work, mail, other */
    const char *value;
    const char *postal_code, *county, *district; /* addresses */
    int primary;
    const char *valid_from, *valid_to;
    const char *source;
} wh_contact;

typedef struct wh_branch {
    const char *code, *name_zh, *name_en, *county, *district, *address, *postal_code, *phone;
    const char *opened_on, *closed_on;
} wh_branch;

typedef struct wh_product {
    const char *code, *name_zh, *name_en, *description, *kind;
    const char *features_json, *constraints_json; /* JSON objects or NULL */
    const char *currency;
    int64_t monthly_cost_minor, monthly_revenue_minor;
    int sales_priority;
    const char *launched_on, *withdrawn_on;
    const char *const *categories; /* NULL-terminated; at least one */
} wh_product;

typedef struct wh_category {
    const char *code, *name_zh, *name_en, *parent;
} wh_category;

typedef struct wh_account {
    const char *number, *product, *branch, *currency;
    const char *opened_on, *closed_on, *status;
    int64_t balance_minor;
    int has_limit;
    int64_t limit_minor;
    const char *balance_at;
    const char *interest_rate;   /* percent a year as decimal text ("1.6500"), or NULL */
    int has_accrued;
    int64_t accrued_interest_minor;
} wh_account;

typedef struct wh_txn {
    int64_t account_id;
    const char *posted_at; /* ISO 8601 */
    const char *value_date;
    int64_t amount_minor;
    const char *currency; /* NULL: the account's */
    const char *channel, *class_, *description, *counterparty;
    const char *source, *source_key;
    int64_t job_id;
    int has_quantity;
    int64_t quantity;
    const char *item; /* product code, merchant category */
    const char *account_currency; /* the account's currency when the caller knows it (saves a lookup) */
} wh_txn;

typedef struct wh_interaction {
    int64_t party_id;
    const char *at; /* NULL: now */
    const char *channel, *direction, *staff, *reason, *outcome, *notes, *follow_up_on;
    const char *created_by;
} wh_interaction;

typedef struct wh_consent {
    int64_t party_id;
    const char *purpose, *channel;
    int granted;
    const char *evidence, *effective_at, *recorded_by;
} wh_consent;

int wh_job_start(wh *w, const char *source, const char *file, const char *by, int64_t *id,
                 rp_error *err) RP_WARN_UNUSED;
int wh_job_finish(wh *w, int64_t id, const char *status, int64_t loaded, int64_t rejected,
                  rp_error *err) RP_WARN_UNUSED;
int wh_branch_put(wh *w, const wh_branch *b, rp_error *err) RP_WARN_UNUSED;
int wh_category_put(wh *w, const wh_category *c, rp_error *err) RP_WARN_UNUSED;
int wh_product_put(wh *w, const wh_product *p, rp_error *err) RP_WARN_UNUSED;
int wh_party_add(wh *w, const wh_party *p, int64_t *id, rp_error *err) RP_WARN_UNUSED;
int wh_identifier_add(wh *w, int64_t party, const char *type, const char *issuer,
                      const char *value, const char *valid_from, rp_error *err) RP_WARN_UNUSED;
int wh_contact_add(wh *w, int64_t party, const wh_contact *c, int64_t *id,
                   rp_error *err) RP_WARN_UNUSED;
int wh_account_add(wh *w, const wh_account *a, int64_t *id, rp_error *err) RP_WARN_UNUSED;
int wh_role_add(wh *w, int64_t party, int64_t account, const char *role, const char *since,
                rp_error *err) RP_WARN_UNUSED;
int wh_party_link_add(wh *w, int64_t from, int64_t to, const char *kind, const char *since,
                      rp_error *err) RP_WARN_UNUSED;
int wh_account_link_add(wh *w, int64_t from, int64_t to, const char *kind, const char *since,
                        rp_error *err) RP_WARN_UNUSED;
/* One transaction, in a block of its own: RP_EXISTS when the account already
 * has a transaction of that source with that source key. */
int wh_txn_add(wh *w, const wh_txn *t, int64_t *id, rp_error *err) RP_WARN_UNUSED;
int wh_interaction_add(wh *w, const wh_interaction *i, int64_t *id, rp_error *err) RP_WARN_UNUSED;
int wh_consent_set(wh *w, const wh_consent *c, rp_error *err) RP_WARN_UNUSED;
int wh_lineage_add(wh *w, const char *entity, int64_t id, const char *source,
                   const char *source_key, int64_t job, rp_error *err) RP_WARN_UNUSED;

/* ---- transactions in bulk ----
 *
 * Transactions are kept in blocks (migration 0012): each row of txn_block
 * holds many transactions of one account from one load, and the view txn
 * shows them as rows.  A batch collects transactions, each checked as
 * wh_txn_add checks one (the error names the field); a flush, inside the
 * caller's store transaction, sorts them by account and source key, passes
 * every one that repeats the source key of a transaction of the same account
 * and source -- kept before, or given earlier to the batch -- to dup (with the caller's tag and a message),
 * and writes the rest, one block per account (at most WH_TXN_BLOCK_ROWS
 * each).  Memory is what the batch holds: the caller flushes as often as
 * it commits. */
#define WH_TXN_BLOCK_ROWS 4096
typedef struct wh_txn_batch wh_txn_batch;
typedef int (*wh_txn_dup_fn)(void *ctx, int64_t tag, const char *message, rp_error *err);

int wh_txn_batch_new(wh_txn_batch **out, rp_error *err) RP_WARN_UNUSED;
void wh_txn_batch_free(wh_txn_batch *b);
size_t wh_txn_batch_len(const wh_txn_batch *b);
/* Check t and keep a copy of it.  RP_INVAL, RP_TOOBIG, RP_ENCODING or
 * RP_NOTFOUND (no such account) when it is refused; nothing is kept then. */
int wh_txn_batch_add(wh *w, wh_txn_batch *b, const wh_txn *t, int64_t tag, rp_error *err) RP_WARN_UNUSED;
/* The part of wh_txn_batch_add that needs neither the store nor a batch:
 * checking t, all but its account, and writing its row, appended to out.
 * A loader does it on its decoding thread and adds the row on its writing
 * one with wh_txn_batch_add_row, which checks the account.  Offsets are
 * into out's bytes. */
typedef struct wh_txn_row {
    size_t row, rowlen;      /* the row, as JSON */
    size_t key, keylen;      /* the source key as given, if has_key */
    int has_key;
    uint64_t khash, when;    /* the key's hash; posted_at as YYYYMMDDhhmmss */
    char currency[4];        /* the transaction's own; "": the account's */
} wh_txn_row;
int wh_txn_encode(const wh_txn *t, rp_buf *out, wh_txn_row *row, rp_error *err) RP_WARN_UNUSED;
/* Add a row wh_txn_encode wrote into text; as wh_txn_batch_add otherwise. */
int wh_txn_batch_add_row(wh *w, wh_txn_batch *b, int64_t account_id, const char *account_currency,
                         const char *source, int64_t job_id, const char *text, const wh_txn_row *row, int64_t tag,
                         rp_error *err) RP_WARN_UNUSED;
/* Write what the batch holds and empty it; *written (may be NULL) counts the
 * transactions written, the rest went to dup.  The ids given are contiguous
 * from *first_id (may be NULL) in the order of the blocks. */
int wh_txn_batch_flush(wh *w, wh_txn_batch *b, wh_txn_dup_fn dup, void *ctx, int64_t *written,
                       int64_t *first_id, rp_error *err) RP_WARN_UNUSED;
/* Forget what the batch holds (after a rollback), or all but its first n. */
void wh_txn_batch_clear(wh_txn_batch *b);
void wh_txn_batch_truncate(wh_txn_batch *b, size_t n);

/* ---- loading: upserts by source key ---- */

/* What a put did. */
enum { WH_CREATED = 1, WH_UPDATED = 2, WH_UNCHANGED = 3 };

/* The party a source record made; RP_NOTFOUND (no message) if none. */
int wh_party_by_source(wh *w, const char *source, const char *key, int64_t *id,
                       rp_error *err) RP_WARN_UNUSED;
/* Create the party of a source record, or bring it up to date: every
 * attribute that changed is kept in attribute_history with the dates the
 * old value held.  insert_only: an existing party is left as it is. */
int wh_party_upsert(wh *w, const char *source, const char *key, const wh_party *p, int64_t job,
                    int insert_only, int64_t *id, int *outcome, rp_error *err) RP_WARN_UNUSED;
/* Accounts likewise, by account number; lineage under source. */
int wh_account_upsert(wh *w, const char *source, const wh_account *a, int64_t job, int insert_only,
                      int64_t *id, int *outcome, rp_error *err) RP_WARN_UNUSED;
/* An identifier the party may already have (unchanged); other parties may
 * hold the same one until identity resolution. */
int wh_identifier_put(wh *w, int64_t party, const char *type, const char *issuer,
                      const char *value, const char *valid_from, int *outcome,
                      rp_error *err) RP_WARN_UNUSED;
/* A contact point of a kind, purpose and source: the same value is
 * unchanged; a new one closes the old (valid_to today) and opens itself. */
int wh_contact_put(wh *w, int64_t party, const wh_contact *c, int *outcome,
                   rp_error *err) RP_WARN_UNUSED;
int wh_role_put(wh *w, int64_t party, int64_t account, const char *role, const char *since,
                int *outcome, rp_error *err) RP_WARN_UNUSED;
/* Branches, categories and products of a JSON object in the import format
 * (what names it in errors); the caller holds the transaction. */
int wh_reference_put(wh *w, json_t *doc, const char *what, rp_error *err) RP_WARN_UNUSED;

/* ---- what people change, contact preferences, whether to contact (migration 0010) ---- */

/* The preferences, in the order shown: language, channel, hours, days. */
extern const char *const wh_preference_names[];

/* Set one preference of a customer (value NULL or "" clears it), as user
 * `by`, keeping the change (who, when, old, new, why) in customer_change.
 * Values are checked and written in one form:
 *   language  zh-TW, en, ja, ko, vi, id, th, tl (zh_tw, ZH-tw are zh-TW);
 *   channel   mobile, phone, email, sms, mail, branch, app;
 *   hours     "HH:MM-HH:MM", Taipei time, the start before the end;
 *   days      mon..sun, comma-separated, written in week order ("weekdays"
 *             and "every day" are mon-fri and mon-sun).
 * Errors name "preferences.NAME".  *changed (may be NULL) is 0 when the
 * value was so already (nothing written).  The caller holds the transaction. */
int wh_preference_set(wh *w, int64_t person, const char *name, const char *value, const char *by,
                      const char *reason, int *changed, rp_error *err) RP_WARN_UNUSED;

/* A person's change of a contact point of a customer: every current point
 * of that kind and purpose, whatever system it came from, is closed (valid
 * to today) and the new one opened, with the change in customer_change.
 * *old (may be NULL) gets the value replaced, to free, or NULL; *outcome
 * WH_CREATED, WH_UPDATED or WH_UNCHANGED.  The caller holds the transaction. */
int wh_contact_change(wh *w, int64_t person, const wh_contact *c, const char *by, const char *reason,
                      char **old, int *outcome, rp_error *err) RP_WARN_UNUSED;

/* The changes people made to a customer, newest first, at most limit
 * (default 200): [{id, at, by_user, what, field, old_value, new_value,
 * reason}]; what (contact or preference) or NULL for both. */
int wh_changes(wh *w, int64_t person, const char *what, int limit, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* Every consent recorded for a customer, newest first. */
int wh_consent_history(wh *w, int64_t person, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* The preferences in force: {name: {value, since, set_by}}. */
int wh_preferences(wh *w, int64_t person, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* May the customer be contacted for a purpose on a channel at time `now`
 * (seconds since 1970)?  The one place that decides it, for everything that
 * contacts customers.  Purposes are the consent purposes and "service" (the
 * customer's own accounts, which needs no consent); channels are mail,
 * email, sms, phone and app.  The consent in force is the latest (by
 * effective date, then as recorded) for the purpose and that channel or
 * "any", already effective; without one the answer is no.  A customer who
 * is deceased or closed is not contacted but for service, and one without a
 * current contact point for the channel cannot be.  *out:
 *   {customer, purpose, channel, allowed, reason, consent|null, reachable,
 *    within_hours|null, language, preferred_channel, hours, days}
 * within_hours says whether now falls in the preferred days and hours
 * (null without preferences); it advises and does not decide. */
int wh_contactable(wh *w, int64_t person, const char *purpose, const char *channel, int64_t now,
                   json_t **out, rp_error *err) RP_WARN_UNUSED;

/* ---- reading ---- */

/* Account id by number; RP_NOTFOUND naming the number otherwise. */
int wh_account_id(wh *w, const char *number, int64_t *id, rp_error *err) RP_WARN_UNUSED;
int wh_party_exists(wh *w, int64_t id);

/* Resolve a key to a party.  A key may carry a prefix that says its kind
 * (id:, nid:, rc:, passport:, ubn:, phone:, acct:, email:, card:, cust:,
 * online:); without one the kind is recognised from its shape and, for
 * plain digits, tried as account, card/source customer number, phone and
 * internal id in that order.  *how (if not NULL) receives the kind that
 * matched.  RP_NOTFOUND or RP_AMBIGUOUS (two different parties) otherwise. */
int wh_find(wh *w, const char *key, int64_t *party, const char **how,
            rp_error *err) RP_WARN_UNUSED;

/* Customers with a name (Chinese or romanised, of any of their source
 * records) that has a part starting with text, as [{id, name_zh,
 * name_latin, birth_date, home_branch, status}], at most limit (default
 * 50): whole names first, then given names, then later parts (怡君 and 君
 * find 陳怡君; "yi-chun", "Yichun Chen" and "chun" find "CHEN, YI-CHUN").
 * Blanks, hyphens, commas, full stops, apostrophes and case do not count.
 * alt, if not NULL, is another spelling to try too (the API's Pinyin read
 * as Wade-Giles).  The key table of migration 0011 serves it: the cost does
 * not grow with the store. */
int wh_search_name(wh *w, const char *text, const char *alt, int limit, json_t **out, rp_error *err) RP_WARN_UNUSED;

enum {
    WH_C360_REVEAL = 1,   /* unseal identifiers instead of masking them */
    WH_C360_ALL = 2,      /* everything kept about the customer, for a copy of their data: every
                             contact point, transaction (at most WH_C360_ALL_TXNS, newest first),
                             interaction and consent ever recorded, the changes people made, the
                             history of changed attributes, and the latest analysis scores */
};
#define WH_C360_ALL_TXNS 100000
#define WH_C360_RECENT 20     /* latest transactions and interactions shown */

int wh_c360(wh *w, int64_t party, int flags, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* The customer's latest scores, one per analysis that scores customers one
 * by one: [{analysis, run, as_of, result}], where result is, by analysis,
 * {revenue, cost, profit (with _minor), decile, level} (value, pareto,
 * pyramid), {recency_days, frequency, monetary, r, f, m, cell} (rfm),
 * {p_alive, expected, expected_value, clv} (clv) or {segment} (segment,
 * cluster, migration, gains-losses).  Empty before any analysis. */
int wh_scores(wh *w, int64_t customer, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* New transactions fire no trigger (it would cost a bulk load a third of
 * its speed), so whoever adds them calls this before committing: the kept
 * 360 documents (migration 0008) of the accounts with transactions added
 * since the last call are deleted.  *gone (may be NULL) gets how many. */
int wh_c360_catch_up(wh *w, int64_t *gone, rp_error *err) RP_WARN_UNUSED;

/* ---- bulk entry ---- */

/* Load a JSON document of branches, categories, products, parties (with
 * identifiers, contacts, source), accounts (with holders), links,
 * transactions, interactions and consents, in one transaction: all or
 * nothing.  The format is in docs/warehouse.md.  Errors name the member
 * path: "FILE: parties[2].identifiers[0].value: ...". */
typedef struct wh_import_stats {
    int64_t branches, categories, products, parties, identifiers, contacts, accounts, roles,
        links, transactions, interactions, consents;
} wh_import_stats;
int wh_import_json(wh *w, const char *file, const char *by, wh_import_stats *stats,
                   rp_error *err) RP_WARN_UNUSED;

#endif
