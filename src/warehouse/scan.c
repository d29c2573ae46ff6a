/*
 * scan.c — reading the warehouse whole, for the analyses: customers,
 * holdings, accounts with their products, the source records of parties,
 * and the transactions out of their blocks.  See warehouse.h ("reading in
 * bulk").
 *
 * Transactions are the one large table: a scan reads each block, copies its
 * rows' JSON once and parses them in place, handing each row's fields as
 * they lie in that copy, the channel looked up in the vocabulary; a row the
 * parser does not take (an escape, a real number, a damaged block) is read
 * through SQLite's json_each instead, as the txn view reads it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "warehouse/internal.h"

#define STR_(x) #x
#define STR(x) STR_(x)

int wh_id_bounds(wh *w, wh_bounds *b, rp_error *err)
{
    memset(b, 0, sizeof *b);
    int rc = rp_store_query_int(w->store, "SELECT coalesce(max(id), 0) FROM party", &b->party, err);
    if (!rc)
        rc = rp_store_query_int(w->store, "SELECT coalesce(max(id), 0) FROM account", &b->account, err);
    if (!rc)
        rc = wh__txn_top(w, &b->txn, err);
    return rc;
}

int wh_txn_mark_get(wh *w, wh_txn_mark *m, rp_error *err)
{
    memset(m, 0, sizeof *m);
    char kc[72] = "", at[24] = "";
    wh_bounds b;
    int rc = rp_store_meta_int(w->store, "txn_generation", &m->generation, err);
    if (!rc)
        rc = wh_id_bounds(w, &b, err);
    if (!rc)
        rc = rp_store_meta_get(w->store, "key_check", kc, sizeof kc, NULL, err);
    if (!rc)
        rc = rp_store_meta_get(w->store, "created_at", at, sizeof at, NULL, err);
    if (rc)
        return rc;
    m->max_id = b.txn;
    snprintf(m->store, sizeof m->store, "%s %s", kc, at);
    return RP_OK;
}

/* The end of a loop over a statement's rows. */
static int scan_end(rp_stmt *st, int rc)
{
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

/* A party's attributes, columns 0 .. WH_NPARTY_ATTRS - 1 of st. */
static void party_of(rp_stmt *st, wh_party *p)
{
    for (int a = 0; a < WH_NPARTY_ATTRS; a++)
        *wh_party_attr_slot(p, a) = rp_stmt_text(st, a);
}

#define P_COLUMN(n, ...) "p." #n ", "

int wh_customers(wh *w, uint32_t attrs, wh_customer_fn fn, void *ctx, rp_error *err)
{
    /* only the attributes asked for: a column costs SQLite something a row */
    char sql[512] = "SELECT id";
    size_t n = strlen(sql);
    for (int a = 0; a < WH_NPARTY_ATTRS && n < sizeof sql; a++)
        if (attrs >> a & 1)
            n += (size_t)snprintf(sql + n, sizeof sql - n, ", %s", wh_party_attr_names[a]);
    if (n >= sizeof sql || (size_t)snprintf(sql + n, sizeof sql - n, " FROM party WHERE merged_into IS NULL") >=
                               sizeof sql - n)
        return rp_err(err, RP_TOOBIG, "party attributes: more than a query of %zu bytes names", sizeof sql);
    rp_stmt *st;
    int rc = rp_store_prepare(w->store, sql, &st, err);
    if (rc)
        return rc;
    wh_party p;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        memset(&p, 0, sizeof p);
        for (int a = 0, c = 1; a < WH_NPARTY_ATTRS; a++)
            if (attrs >> a & 1)
                *wh_party_attr_slot(&p, a) = rp_stmt_text(st, c++);
        if ((rc = fn(ctx, rp_stmt_int(st, 0), &p, err)))
            break;
    }
    return scan_end(st, rc);
}

int wh_holdings(wh *w, wh_holding_fn fn, void *ctx, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT pa.account_id, coalesce(p.merged_into, p.id), pa.role, pa.party_id "
                              "FROM party_account pa JOIN party p ON p.id = pa.party_id",
                              &st, err);
    if (rc)
        return rc;
    wh_holding h;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        h.account = rp_stmt_int(st, 0);
        h.customer = rp_stmt_int(st, 1);
        h.role = rp_stmt_text(st, 2);
        h.party = rp_stmt_int(st, 3);
        if ((rc = fn(ctx, &h, err)))
            break;
    }
    return scan_end(st, rc);
}

int wh_customer_events(wh *w, wh_event_fn fn, void *ctx, rp_error *err)
{
    /* Calls the customer was identified in; the contacts recorded besides
     * them (an interaction a call's note made is that call); campaign
     * contacts and responses; sign-ins to online banking. */
    rp_stmt *st;
    int rc = rp_store_prepare(
        w->store,
        "SELECT coalesce(p.merged_into, p.id), c.arrival, 'call', c.reason, c.abandoned, c.queue "
        "FROM call_record c JOIN party p ON p.id = c.party_id "
        "UNION ALL "
        "SELECT coalesce(p.merged_into, p.id), i.at, 'contact', i.reason, 0, i.channel "
        "FROM interaction i JOIN party p ON p.id = i.party_id "
        "WHERE i.id NOT IN (SELECT interaction_id FROM call_record WHERE interaction_id IS NOT NULL) "
        "UNION ALL "
        "SELECT coalesce(p.merged_into, p.id), coalesce(t.contacted_at, m.start_date), 'campaign', t.grp, 0, "
        "t.campaign FROM campaign_target t JOIN party p ON p.id = t.party_id JOIN campaign m ON m.code = t.campaign "
        "WHERE coalesce(t.contacted_at, m.start_date) IS NOT NULL "
        "UNION ALL "
        "SELECT coalesce(p.merged_into, p.id), r.responded_at, 'response', r.response, "
        "CASE WHEN m.response_deadline IS NOT NULL AND r.responded_at > m.response_deadline THEN 1 ELSE 0 END, "
        "r.campaign FROM campaign_response r JOIN party p ON p.id = r.party_id JOIN campaign m ON m.code = r.campaign "
        "WHERE r.responded_at IS NOT NULL "
        "UNION ALL "
        "SELECT coalesce(p.merged_into, p.id), a.at, 'login', a.channel, 0, NULL "
        "FROM activity a JOIN party p ON p.id = a.party_id WHERE a.kind = 'login'",
        &st, err);
    if (rc)
        return rc;
    wh_event e;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        e.customer = rp_stmt_int(st, 0);
        e.at = rp_stmt_text(st, 1);
        e.kind = rp_stmt_text(st, 2);
        e.detail = rp_stmt_text(st, 3);
        e.flag = (int)rp_stmt_int(st, 4);
        e.about = rp_stmt_text(st, 5);
        if (e.at && (rc = fn(ctx, &e, err)))
            break;
    }
    return scan_end(st, rc);
}

int wh_statements(wh *w, wh_statement_fn fn, void *ctx, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT account_id, statement_date, balance_minor, credit_limit_minor, payments_minor, "
                              "previous_balance_minor, minimum_due_minor, cash_advances_minor, days_past_due "
                              "FROM account_statement ORDER BY account_id, statement_date",
                              &st, err);
    if (rc)
        return rc;
    wh_statement_row r;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        r.account_id = rp_stmt_int(st, 0);
        r.date = rp_stmt_text(st, 1);
        double *v[6] = { &r.balance, &r.limit, &r.payments, &r.previous_balance, &r.minimum_due, &r.cash_advances };
        for (int k = 0; k < 6; k++)
            *v[k] = rp_stmt_column_type(st, 2 + k) == RP_COL_NULL ? NAN : (double)rp_stmt_int(st, 2 + k);
        r.days_past_due = rp_stmt_int(st, 8);
        if (r.date && (rc = fn(ctx, &r, err)))
            break;
    }
    return scan_end(st, rc);
}

int wh_accounts(wh *w, wh_account_fn fn, void *ctx, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT a.id, p.kind, a.interest_rate, a.balance_minor, a.opened_on, a.closed_on, "
                              "p.monthly_revenue_minor, p.monthly_cost_minor, a.product, a.status, a.balance_at, "
                              "a.matures_on FROM account a JOIN product p ON p.code = a.product ORDER BY a.id",
                              &st, err);
    if (rc)
        return rc;
    wh_account_row a;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        a.id = rp_stmt_int(st, 0);
        a.kind = rp_stmt_text(st, 1);
        a.interest_rate = rp_stmt_column_type(st, 2) == RP_COL_NULL ? NAN : rp_stmt_real(st, 2);
        a.balance_minor = rp_stmt_int(st, 3);
        a.opened_on = rp_stmt_text(st, 4);
        a.closed_on = rp_stmt_text(st, 5);
        a.product_revenue_minor = rp_stmt_int(st, 6);
        a.product_cost_minor = rp_stmt_int(st, 7);
        a.balance_at = rp_stmt_text(st, 10);
        a.product = rp_stmt_text(st, 8);
        a.status = rp_stmt_text(st, 9);
        a.matures_on = rp_stmt_text(st, 11);
        if ((rc = fn(ctx, &a, err)))
            break;
    }
    return scan_end(st, rc);
}

/* What else a source record's party has, for data quality: an identity
 * number (the identifiers a person has whoever issued them; not a source
 * system's own customer numbers), a phone, an e-mail, an address. */
#define HAS_SQL(tail) "EXISTS (SELECT 1 FROM " tail ")"

int wh_party_records(wh *w, wh_party_record_fn fn, void *ctx, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(
        w->store,
        "SELECT " WH_PARTY_ATTRS(P_COLUMN) "r.source, p.id, coalesce(p.merged_into, 0), "
        HAS_SQL("party_identifier i WHERE i.party_id = p.id AND i.type IN "
                "('national_id', 'resident_cert', 'passport', 'tax_id', 'ubn')") ", "
        HAS_SQL("contact_point c WHERE c.party_id = p.id AND c.kind IN ('mobile', 'phone')") ", "
        HAS_SQL("contact_point c WHERE c.party_id = p.id AND c.kind = 'email'") ", "
        HAS_SQL("contact_point c WHERE c.party_id = p.id AND c.kind = 'address'") " "
        "FROM source_record r JOIN party p ON p.id = r.entity_id WHERE r.entity = 'party'",
        &st, err);
    if (rc)
        return rc;
    wh_party_record r;
    enum { C = WH_NPARTY_ATTRS };
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        party_of(st, &r.p);
        r.source = rp_stmt_text(st, C);
        r.party = rp_stmt_int(st, C + 1);
        r.merged_into = rp_stmt_int(st, C + 2);
        r.has_identity = (int)rp_stmt_int(st, C + 3);
        r.has_phone = (int)rp_stmt_int(st, C + 4);
        r.has_email = (int)rp_stmt_int(st, C + 5);
        r.has_address = (int)rp_stmt_int(st, C + 6);
        if ((rc = fn(ctx, &r, err)))
            break;
    }
    return scan_end(st, rc);
}

/* ---- transactions ----
 *
 * A scan steps over the blocks in id order and parses each block's rows
 * itself: SQLite's json_each and ->> cost some 18,000 instructions a
 * transaction, the parser a few hundred.  The block's text is copied once
 * into the scan's buffer, where each field's closing quote becomes its
 * NUL, so that the fields are strings pointing into the block's text.  The
 * parser takes JSON as Rapport and SQLite write it: the fields read are
 * strings without escapes, integers or null.  At anything else (an escape,
 * a real number, JSON5, a damaged block) it hands the rest of the block to
 * SQLite, which reads it as the txn view does, or fails as it would. */

struct wh_txn_scan {
    rp_store *s;
    int rows;                    /* PostgreSQL: txn is a table, read row by row (no blocks) */
    rp_stmt *st;                 /* the blocks */
    rp_stmt *slow;               /* SQLite's reading of the rest of a block, or NULL */
    int64_t after, upto;
    int64_t block, account;      /* the block being read */
    int64_t k;                   /* the index in it of the next row */
    char currency[8];            /* the block's */
    char *p;                     /* the next row in text, NULL when the block is done */
    char *text;
    size_t cap;
};

#define BLOCKS_ALL "SELECT id, account_id, rows, currency FROM txn_block ORDER BY id"
/* the blocks that may hold ids after ?1 (a block's first id is at most
 * WH_TXN_BLOCK_ROWS - 1 before its last) up to ?2 */
#define BLOCKS_RANGE                                                                                    \
    "SELECT id, account_id, rows, currency FROM txn_block WHERE id > ?1 - " STR(WH_TXN_BLOCK_ROWS) " AND id + n > ?1 + 1 " \
    "AND id <= ?2 ORDER BY id"
/* the rows of block ?1 from index ?2 on, as the txn view reads them */
#define ROWS_SLOW                                                                                          \
    "SELECT j.key, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3 FROM txn_block b, json_each(b.rows) j " \
    "WHERE b.id = ?1 AND j.key >= ?2 AND j.type = 'array'"

/* PostgreSQL's txn table (its 0033), in id order */
#define ROWS_COLS "SELECT id, account_id, currency, posted_at, amount_minor, channel, class FROM txn "
#define ROWS_ALL ROWS_COLS "ORDER BY id"
#define ROWS_RANGE ROWS_COLS "WHERE id > ?1 AND id <= ?2 ORDER BY id"

int wh_txn_scan_open(wh *w, int64_t after, int64_t upto, wh_txn_scan **out, rp_error *err)
{
    *out = NULL;
    wh_txn_scan *s = calloc(1, sizeof *s);
    if (!s)
        return rp_err(err, RP_NOMEM, NULL);
    s->s = w->store;
    s->after = after;
    s->upto = upto > 0 ? upto : INT64_MAX;
    int ranged = after > 0 || upto > 0;
    s->rows = wh__txn_rows(w);
    int rc = rp_store_prepare_stream(w->store, s->rows ? ranged ? ROWS_RANGE : ROWS_ALL : ranged ? BLOCKS_RANGE : BLOCKS_ALL,
                                     &s->st, err);
    if (rc) {
        free(s);
        return rc;
    }
    if (ranged) {
        rp_stmt_bind_int(s->st, 1, after);
        rp_stmt_bind_int(s->st, 2, s->upto);
    }
    *out = s;
    return RP_OK;
}

void wh_txn_scan_close(wh_txn_scan *s)
{
    if (!s)
        return;
    if (s->slow)
        rp_stmt_done(s->slow);
    rp_stmt_done(s->st);
    free(s->text);
    free(s);
}

/* A channel's place in wh_txn_channels, or -1. */
static int channel_of(const char *c)
{
    if (c)
        for (int i = 0; wh_txn_channels[i]; i++)
            if (wh_txn_channels[i][0] == c[0] && !strcmp(wh_txn_channels[i], c))
                return i;
    return -1;
}

/* The bytes that end a run of plain text in a JSON string: the closing
 * quote, an escape, a control character (which JSON does not allow). */
static const unsigned char str_stop[256] = {
    [0] = 1, [1] = 1, [2] = 1, [3] = 1, [4] = 1, [5] = 1, [6] = 1, [7] = 1, [8] = 1, [9] = 1, [10] = 1,
    [11] = 1, [12] = 1, [13] = 1, [14] = 1, [15] = 1, [16] = 1, [17] = 1, [18] = 1, [19] = 1, [20] = 1,
    [21] = 1, [22] = 1, [23] = 1, [24] = 1, [25] = 1, [26] = 1, [27] = 1, [28] = 1, [29] = 1, [30] = 1,
    [31] = 1, ['"'] = 1, ['\\'] = 1,
};

static int is_null(const char *p) { return p[0] == 'n' && p[1] == 'u' && p[2] == 'l' && p[3] == 'l'; }

static char *ws(char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

/* The JSON string at p (its opening quote), if it has no escape and no
 * control character: ended in place, *pp past it. */
static char *plain_string(char *p, char **pp)
{
    char *s = ++p;
    while (!str_stop[(unsigned char)*p])
        p++;
    if (*p != '"')
        return NULL;
    *p = 0;
    *pp = p + 1;
    return s;
}

/* An integer as JSON writes it, -?(0|[1-9][0-9]*), of at most 18 digits. */
static int plain_int(char **pp, int64_t *v)
{
    char *p = *pp;
    int neg = *p == '-';
    p += neg;
    if (*p < '0' || *p > '9' || (*p == '0' && p[1] >= '0' && p[1] <= '9'))
        return 0;
    int64_t x = 0;
    int n = 0;
    for (; *p >= '0' && *p <= '9'; p++, n++)
        x = x * 10 + (*p - '0');
    if (n > 18 || *p == '.' || *p == 'e' || *p == 'E')
        return 0;
    *v = neg ? -x : x;
    *pp = p;
    return 1;
}

static int digits(char **pp)
{
    char *p = *pp;
    while (*p >= '0' && *p <= '9')
        p++;
    int n = p > *pp;
    *pp = p;
    return n;
}

/* Past a JSON value that is not read (a string, number, true, false or
 * null); NULL for anything else (nested, JSON5, damaged). */
static char *skip_value(char *p)
{
    if (*p == '"') {
        for (p++;; p++) {
            while (!str_stop[(unsigned char)*p])
                p++;
            if (*p == '"')
                return p + 1;
            if (*p != '\\')
                return NULL;
            p++;
            if (*p == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f') || (p[i] >= 'A' && p[i] <= 'F')))
                        return NULL;
                p += 4;
            } else if (!*p || !strchr("\"\\/bfnrt", *p)) {
                return NULL;
            }
        }
    }
    if (is_null(p) || !strncmp(p, "true", 4))
        return p + 4;
    if (!strncmp(p, "false", 5))
        return p + 5;
    p += *p == '-';
    if (*p == '0')
        p++;
    else if (*p < '1' || *p > '9' || !digits(&p))
        return NULL;
    if (*p == '.' && (p++, !digits(&p)))
        return NULL;
    if (*p == 'e' || *p == 'E') {
        p++;
        p += *p == '+' || *p == '-';
        if (!digits(&p))
            return NULL;
    }
    return p;
}

enum { ROW_TXN, ROW_NONE, ROW_END, ROW_HARD };

/* The row at *pp (a value of the block's array, or its closing bracket):
 * ROW_TXN and its fields in t, ROW_NONE for a deleted transaction (null),
 * ROW_END after the last, ROW_HARD for what is left to SQLite. */
static int parse_row(char **pp, wh_txn_item *t)
{
    char *p = ws(*pp);
    if (*p == ']')
        return *ws(p + 1) ? ROW_HARD : ROW_END;
    int kind = ROW_TXN;
    if (is_null(p)) {
        kind = ROW_NONE;
        p += 4;
    } else if (*p != '[') {
        return ROW_HARD;
    } else {
        const char *f[4] = { NULL, NULL, NULL, NULL };
        int64_t amount = 0;
        int i = 0;
        for (p = ws(p + 1); *p != ']'; i++) {
            if (i && *p++ != ',')
                return ROW_HARD;
            p = ws(p);
            if (i > WH__ROW_CLASS || is_null(p)) {
                if (!(p = skip_value(p)))
                    return ROW_HARD;
            } else if (i == WH__ROW_AMOUNT) {
                if (!plain_int(&p, &amount))
                    return ROW_HARD;
            } else if (*p != '"' || !(f[i] = plain_string(p, &p))) {
                return ROW_HARD;
            }
            p = ws(p);
        }
        p++;
        t->posted_at = f[WH__ROW_POSTED_AT];
        t->amount_minor = amount;
        t->channel = channel_of(f[WH__ROW_CHANNEL]);
        t->class_ = f[WH__ROW_CLASS];
    }
    p = ws(p);
    if (*p == ',')
        p++;
    else if (*p != ']')
        return ROW_HARD;
    *pp = p;
    return kind;
}

/* The next block, copied: RP_ROW, RP_DONE or an error. */
static int next_block(wh_txn_scan *s, rp_error *err)
{
    int rc = rp_stmt_step(s->st, err);
    if (rc != RP_ROW)
        return rc;
    s->block = rp_stmt_int(s->st, 0);
    s->account = rp_stmt_int(s->st, 1);
    snprintf(s->currency, sizeof s->currency, "%s", rp_stmt_text(s->st, 3) ? rp_stmt_text(s->st, 3) : "");
    s->k = 0;
    s->p = NULL;
    if (rp_stmt_column_type(s->st, 2) != RP_COL_TEXT)
        return RP_ROW; /* not JSON text: SQLite reads it */
    size_t n = rp_stmt_bytes(s->st, 2);
    if (n + 1 > s->cap) {
        size_t cap = n + 1 > 2 * s->cap ? n + 1 : 2 * s->cap;
        char *t = realloc(s->text, cap);
        if (!t)
            return rp_err(err, RP_NOMEM, "transactions: a block of %zu bytes", n);
        s->text = t;
        s->cap = cap;
    }
    memcpy(s->text, rp_stmt_text(s->st, 2), n);
    s->text[n] = 0;
    char *p = ws(s->text);
    if (*p == '[')
        s->p = p + 1;
    return RP_ROW;
}

/* The rest of the block from row k on, through SQLite. */
static int go_slow(wh_txn_scan *s, rp_error *err)
{
    s->p = NULL;
    int rc = rp_store_prepare(s->s, ROWS_SLOW, &s->slow, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(s->slow, 1, s->block);
    rp_stmt_bind_int(s->slow, 2, s->k);
    return RP_OK;
}

static int slow_row(wh_txn_scan *s, wh_txn_item *t, rp_error *err)
{
    int rc = rp_stmt_step(s->slow, err);
    if (rc != RP_ROW) {
        rp_stmt_done(s->slow);
        s->slow = NULL;
        return rc;
    }
    s->k = rp_stmt_int(s->slow, 0);
    t->posted_at = rp_stmt_text(s->slow, 1);
    t->amount_minor = rp_stmt_int(s->slow, 2);
    t->channel = channel_of(rp_stmt_text(s->slow, 3));
    t->class_ = rp_stmt_text(s->slow, 4);
    return RP_ROW;
}

/* A row of PostgreSQL's txn table. */
static int table_row(wh_txn_scan *s, wh_txn_item *t, rp_error *err)
{
    int rc = rp_stmt_step(s->st, err);
    if (rc != RP_ROW)
        return rc;
    t->id = rp_stmt_int(s->st, 0);
    t->account_id = rp_stmt_int(s->st, 1);
    snprintf(s->currency, sizeof s->currency, "%s", rp_stmt_text(s->st, 2) ? rp_stmt_text(s->st, 2) : "");
    t->currency = s->currency;
    t->posted_at = rp_stmt_text(s->st, 3);
    t->amount_minor = rp_stmt_int(s->st, 4);
    t->channel = channel_of(rp_stmt_text(s->st, 5));
    t->class_ = rp_stmt_text(s->st, 6);
    return RP_ROW;
}

int wh_txn_scan_next(wh_txn_scan *s, wh_txn_item *t, rp_error *err)
{
    if (s->rows)
        return table_row(s, t, err);
    for (;;) {
        int rc, kind;
        if (s->slow) {
            if ((rc = slow_row(s, t, err)) == RP_DONE)
                continue; /* the block is done */
            if (rc != RP_ROW)
                return rc;
            kind = ROW_TXN;
        } else if (s->p) {
            if ((kind = parse_row(&s->p, t)) == ROW_HARD) {
                if ((rc = go_slow(s, err)))
                    return rc;
                continue;
            }
            if (kind == ROW_END) {
                s->p = NULL;
                continue;
            }
        } else {
            if ((rc = next_block(s, err)) != RP_ROW)
                return rc;
            if (!s->p && (rc = go_slow(s, err)))
                return rc;
            continue;
        }
        int64_t id = s->block + s->k++;
        if (kind == ROW_TXN && id > s->after && id <= s->upto) {
            t->id = id;
            t->currency = s->currency;
            t->account_id = s->account;
            return RP_ROW;
        }
    }
}
