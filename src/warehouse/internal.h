/* internal.h — shared between the warehouse's own files; not for callers. */
#ifndef RP_WAREHOUSE_INTERNAL_H
#define RP_WAREHOUSE_INTERNAL_H

#include "core/map.h"
#include "core/rtime.h"
#include "warehouse/warehouse.h"

/* What a party made on this connection has (fresh.c): at most WH_FRESH_MAX identifiers and contacts. */
#define WH_FRESH_MAX 16
typedef struct wh_fresh_contact {
    int64_t id;
    int open, no_source, no_lookup;  /* valid_to is null; source, lookup null */
    char kind[17], purpose[17], source[65], value[WH_CONTACT_VALUE_MAX + 1], lookup[WH_CONTACT_VALUE_MAX + 1];
} wh_fresh_contact;
typedef struct wh_fresh {
    int64_t party;           /* 0: none */
    unsigned rollbacks, ended; /* the store's counts when it was made */
    int nid, nct;
    unsigned char ids[WH_FRESH_MAX][RP_HASH_LEN];
    wh_fresh_contact cts[WH_FRESH_MAX];
    int64_t account;         /* an account made in the transaction, no transaction written since; 0: none */
    unsigned arollbacks, aended;
} wh_fresh;

struct wh {
    rp_store *store;
    wh_fresh fresh;          /* fresh.c */
    rp_map *known;           /* rows found (row_exists in wh.c), while */
    unsigned known_rows_rollbacks; /* the store has rolled nothing back since */
    int64_t known_party;     /* a party just made or found (wh_party_exists asks the store once), while */
    unsigned known_rollbacks; /* the store has rolled nothing back since */
    rp_map *by_source;        /* "source\0key" -> party id found (wh_party_by_source), while */
    unsigned by_source_rollbacks; /* the store has rolled nothing back since */
    rp_keyring *keys;
    rp_keyring *next;  /* the new key, while a rotation is under way (rotate.c) */
    char db_path[1024];
    char key_path[1024];
};

/* Transactions are rows of a table partitioned by month (PostgreSQL, its 0033), not blocks (SQLite,
 * 0012): the readers of txn_block ask this (txn.c). */
int wh__txn_rows(wh *w);
/* The greatest transaction id committed (or more, after a deletion): the newest block's last (SQLite),
 * store_meta's txn_top (PostgreSQL, its 0035; max(id) for a store without it) */
int wh__txn_top(wh *w, int64_t *top, rp_error *err);
/* PostgreSQL: an account's transactions stored before its first holder take it (0034); SQLite: nothing */
int wh__txn_holder(wh *w, int64_t account, int64_t party, rp_error *err);

/* fresh.c: a party just made, and what is written to it after, answered without the store */
void wh__fresh_party(wh *w, int64_t party);
int wh__fresh(wh *w, int64_t party);
void wh__fresh_identifier(wh *w, int64_t party, const unsigned char lookup[RP_HASH_LEN]);
int wh__fresh_has_identifier(const wh *w, const unsigned char lookup[RP_HASH_LEN]);
void wh__fresh_contact(wh *w, int64_t party, int64_t id, const char *kind, const char *purpose, const char *source,
                       const char *value, const char *lookup, int open);
/* What makes an address the same one: its text, postal code and country (none: Taiwan), as one string
 * (fresh.c keeps it as an address's lookup; upsert.c compares by it) */
void wh__address_identity(const char *value, const char *postal, const char *country, char *out, size_t n);
const wh_fresh_contact *wh__fresh_open_contact(const wh *w, const char *kind, const char *purpose, const char *source);
void wh__fresh_contact_closed(wh *w, int64_t id);
/* an account made in the transaction under way; whether it still has no transactions (none written since) */
void wh__fresh_account(wh *w, int64_t account);
int wh__fresh_account_bare(wh *w, int64_t account);
/* wh_account_add of a number the caller has just looked up and not found (wh.c) */
int wh__account_add_new(wh *w, const wh_account *a, int64_t *id, rp_error *err);
/* a party found (by its source record): it exists (wh.c) */
void wh__party_known(wh *w, int64_t id);

/* Checks shared by the writers: each names the field in its message. */
/* "a, b, c" of a NULL-terminated list, cut at n bytes. */
void wh__list_join(const char *const *list, char *out, size_t n);
/* RP_NOTFOUND "FIELD: no campaign 'C'" (history.c) */
int wh__campaign_exists(wh *w, const char *field, const char *code, rp_error *err);
int wh__one_of(const char *field, const char *v, const char *const *list, rp_error *err);
int wh__text_ok(const char *field, const char *v, size_t max, int required, rp_error *err);
/* the same, of v's first n bytes (v's length, when the caller knows it) */
int wh__text_okn(const char *field, const char *v, size_t n, size_t max, int required, rp_error *err);
int wh__currency_ok(const char *field, const char *c, rp_error *err);
/* in as canonical UTC (YYYY-MM-DDTHH:MM:SSZ) in out; *res = out, or NULL when in is empty */
int wh__time_norm(const char *field, const char *in, char out[RP_TIME_UTC_LEN], int required,
                  const char **res, rp_error *err);

void wh__identifier_lookup(const wh *w, const char *type, const char *issuer, const char *canon,
                           unsigned char h[RP_HASH_LEN]);

int wh__party_check(wh *w, const wh_party *p, char bd[11], const char **birth, char ss[11],
                    const char **since, rp_error *err);
/* The values a party's row gets, in WH_PARTY_ATTRS order: empty text as
 * NULL, the dates as checked (birth, since), status active by default. */
void wh__party_values(const wh_party *p, const char *birth, const char *since, const char *nv[WH_NPARTY_ATTRS]);
int wh__account_check(wh *w, const wh_account *a, char o[11], const char **opened, char c[11],
                      const char **closed, char bat[RP_TIME_UTC_LEN], const char **balance_at,
                      rp_error *err);

/* A transaction's place in its block's row (migration 0012; txn.c writes
 * them, scan.c reads them): [posted_at, amount_minor, channel, class,
 * source_key, value_date, description, counterparty, quantity, item],
 * trailing nulls left out. */
enum { WH__ROW_POSTED_AT, WH__ROW_AMOUNT, WH__ROW_CHANNEL, WH__ROW_CLASS, WH__ROW_SOURCE_KEY };

/* The parties a customer is made of: itself and the source parties that
 * identity resolution found to be the same person (two placeholders). */
#define WH__MEMBERS "SELECT ? UNION ALL SELECT id FROM party WHERE merged_into = ?"

/* A column as a JSON member: null, integer, real or string. */
void wh__set_col(json_t *o, rp_stmt *st, int col, const char *name);
/* Every row of a prepared statement, bound, as an object appended to arr, column i named names[i]
 * (n of them); the statement given back.  RP_OK or the store's failure. */
int wh__rows_named(rp_stmt *st, const char *const *names, int n, json_t *arr, rp_error *err);
/* A prepared statement, bound, stepped once and given back: *yes whether it found a row.  RP_OK or
 * the store's failure (wh.c). */
int wh__exists(rp_stmt *st, int *yes, rp_error *err);
/* The same, the first column of the row it finds as text in out, cut at n bytes ("" for no row or
 * NULL). */
int wh__one_text(rp_stmt *st, char *out, size_t n, rp_error *err);
/* Bind the party to every placeholder of sql. */
void wh__bind_party(rp_stmt *st, const char *sql, int64_t party);
/* Each row of sql (its placeholders all the party) as an object appended to
 * arr, the columns named as the members they become; column bool_col (or
 * -1 for none) as true/false. */
int wh__rows(wh *w, const char *sql, int64_t party, json_t *arr, int bool_col, rp_error *err);

/* The parties linked to a customer, each as the customer it belongs to and seen from this side
 * (a "parent" link read backwards is "child"): [{party_id, relation, since, name_zh, name_latin,
 * status, home_branch}] appended to arr (c360.c). */
int wh__related(wh *w, int64_t party, json_t *arr, rp_error *err);

#endif
