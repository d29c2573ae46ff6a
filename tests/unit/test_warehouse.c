/* Unit tests of src/warehouse: rules, writers, find and the 360 view. */
#include "testutil.h"

#include "core/json.h"
#include "core/rtime.h"
#include "warehouse/warehouse.h"

#include <sys/stat.h>

#define FIXTURE "tests/fixtures/bank.json"

static int count(wh *w, const char *sql)
{
    rp_stmt *st;
    rp_error e = RP_ERROR_INIT;
    if (rp_store_prepare(wh_store(w), sql, &st, &e))
        fail_msg("%s: %s", sql, rp_errmsg(&e));
    assert_int_equal(rp_stmt_step(st, &e), RP_ROW);
    int n = (int)rp_stmt_int(st, 0);
    rp_stmt_done(st);
    return n;
}

static wh *fresh(void)
{
    wh *w;
    rp_error e = RP_ERROR_INIT;
    if (wh_open(tu_store("w.db"), tu_store_key(), WH_INIT, &w, NULL, &e))
        fail_msg("%s", rp_errmsg(&e));
    return w;
}

static wh *with_fixture(void)
{
    wh *w = fresh();
    rp_error e = RP_ERROR_INIT;
    if (wh_import_json(w, FIXTURE, "test", NULL, &e))
        fail_msg("%s", rp_errmsg(&e));
    return w;
}

static void national_ids(void **state)
{
    (void)state;
    const char *valid[] = { "A123456789", "A223456781", "F128765439", "H214365872", "E287654329",
                            NULL };
    for (const char **p = valid; *p; p++)
        assert_true(wh_check_national_id(*p));
    const char *invalid[] = { "A123456788", "A323456789", "a123456789", "A12345678", "A1234567890",
                              "1123456789", "", NULL };
    for (const char **p = invalid; *p; p++)
        assert_false(wh_check_national_id(*p));
    /* one change in any digit breaks the checksum */
    char id[] = "A123456789";
    for (int i = 2; i < 10; i++) {
        char save = id[i];
        id[i] = save == '9' ? '0' : (char)(save + 1);
        assert_false(wh_check_national_id(id));
        id[i] = save;
    }
    assert_true(wh_check_resident_cert("A800123450"));  /* 2021 form */
    assert_true(wh_check_resident_cert("B912345674"));
    assert_true(wh_check_resident_cert("AC01234567"));  /* older two-letter form */
    assert_false(wh_check_resident_cert("AC01234568"));
    assert_false(wh_check_resident_cert("A123456789")); /* a citizen's ID */
    assert_true(wh_check_ubn("22099131"));
    assert_true(wh_check_ubn("04595257"));
    assert_true(wh_check_ubn("10000073")); /* seventh digit 7: the sum + 1 rule */
    assert_false(wh_check_ubn("10000001"));
    assert_false(wh_check_ubn("2209913"));
    assert_false(wh_check_ubn("2209913A"));
}

static void identifier_messages(void **state)
{
    (void)state;
    char out[80];
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(wh_identifier_normalise("national_id", " a123-456-789 ", out, sizeof out, &e),
                     RP_OK);
    assert_string_equal(out, "A123456789");
    struct {
        const char *type, *value, *msg;
        int code;
    } bad[] = {
        { "national_id", "A123456788", "invalid national ID 'A123456788': checksum does not match",
          RP_CHECKSUM },
        { "national_id", "A12345678", "invalid national ID 'A12345678': expected a letter and nine digits",
          RP_INVAL },
        { "national_id", "A800123450",
          "invalid national ID 'A800123450': this is a resident certificate number", RP_INVAL },
        { "national_id", "A323456789", "invalid national ID 'A323456789': second character must be 1 or 2",
          RP_INVAL },
        { "resident_cert", "A800123451",
          "invalid resident certificate 'A800123451': checksum does not match", RP_CHECKSUM },
        { "ubn", "22099132", "invalid UBN '22099132': checksum does not match", RP_CHECKSUM },
        { "ubn", "2209913", "invalid UBN '2209913': expected eight digits", RP_INVAL },
        { "passport", "12", "invalid passport '12': 5 to 20 letters and digits", RP_INVAL },
        { "passport", "AB#12345", "invalid passport 'AB#12345': letters and digits only", RP_INVAL },
        { "shoe_size", "42",
          "unknown identifier type 'shoe_size' (national_id, resident_cert, passport, tax_id, ubn, "
          "source_customer_no, card_customer_no, online_user_id)",
          RP_INVAL },
        { "card_customer_no", "", "empty card_customer_no", RP_INVAL },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(wh_identifier_normalise(bad[i].type, bad[i].value, out, sizeof out, &e),
                         bad[i].code);
        assert_string_equal(rp_errmsg(&e), bad[i].msg);
    }
    assert_true(wh_identifier_sealed("national_id"));
    assert_true(wh_identifier_sealed("passport"));
    assert_false(wh_identifier_sealed("ubn"));
    assert_true(wh_identifier_needs_issuer("card_customer_no"));
    wh_mask("A123456789", out, sizeof out);
    assert_string_equal(out, "A12****789");
    wh_mask("C00012345", out, sizeof out);
    assert_string_equal(out, "C00***345");
    wh_mask("12345", out, sizeof out);
    assert_string_equal(out, "1***5");
}

static void phones_to_e164(void **state)
{
    (void)state;
    struct {
        const char *in, *out, *lookup;
    } ok[] = {
        { "0912-345-678", "+886912345678", "+886912345678" },
        { "0912345678", "+886912345678", "+886912345678" },
        { "+886 912 345 678", "+886912345678", "+886912345678" },
        { "+886-0912-345-678", "+886912345678", "+886912345678" },
        { "886912345678", "+886912345678", "+886912345678" },
        { "00886912345678", "+886912345678", "+886912345678" },
        { "(02) 2345-6789", "+886223456789", "+886223456789" },
        { "02-23456789", "+886223456789", "+886223456789" },
        { "+886-2-2345-6789", "+886223456789", "+886223456789" },
        { "03-5636688", "+88635636688", "+88635636688" },
        { "(049) 2345678", "+886492345678", "+886492345678" },
        { "02-2345-6789#123", "+886223456789;ext=123", "+886223456789" },
        { "02 2345 6789 分機 45", "+886223456789;ext=45", "+886223456789" },
        { "+1 (415) 555-2671", "+14155552671", "+14155552671" },
        { "001 415 555 2671", "+14155552671", "+14155552671" },
    };
    char out[64], lookup[64];
    rp_error e = RP_ERROR_INIT;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        if (wh_phone_normalise(ok[i].in, out, sizeof out, lookup, sizeof lookup, &e))
            fail_msg("%s: %s", ok[i].in, rp_errmsg(&e));
        assert_string_equal(out, ok[i].out);
        assert_string_equal(lookup, ok[i].lookup);
    }
    struct {
        const char *in, *msg;
    } bad[] = {
        { "2345-6789", "invalid phone '2345-6789': missing area code or country code" },
        { "0912-345-67", "invalid phone '0912-345-67': not a Taiwan number (mobile needs 9 digits after 0)" },
        { "02-123", "invalid phone '02-123': not a Taiwan number (landline needs 8 or 9 digits after 0)" },
        { "0912-ABC-678", "invalid phone '0912-ABC-678': unexpected character 'A'" },
        { "+1 23", "invalid phone '+1 23': E.164 numbers have 8 to 15 digits" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(wh_phone_normalise(bad[i].in, out, sizeof out, lookup, sizeof lookup, &e),
                         RP_INVAL);
        assert_string_equal(rp_errmsg(&e), bad[i].msg);
    }
    /* by the contact point's country: written as at home there, with its trunk prefix; with + as written */
    struct {
        const char *country, *in, *out;
    } abroad[] = {
        { "AU", "0412 345 678", "+61412345678" },    { "AU", "(02) 9876 5432", "+61298765432" },
        { "US", "(415) 555-2671", "+14155552671" },  { "US", "1-415-555-2671", "+14155552671" },
        { "GB", "020 7946 0958", "+442079460958" },  { "JP", "03-1234-5678", "+81312345678" },
        { "IT", "06 1234 5678", "+390612345678" },   { "HK", "2123 4567", "+85221234567" },
        { "FR", "+33 1 23 45 67 89", "+33123456789" }, { "TW", "0912-345-678", "+886912345678" },
        { "ZA", "+27 21 123 4567", "+27211234567" },   { "AU", "+886 912 345 678", "+886912345678" },
        /* dialled abroad from there, by its own international prefix */
        { "AU", "0011 44 20 7946 0958", "+442079460958" }, { "US", "011 44 20 7946 0958", "+442079460958" },
        { "JP", "010 44 20 7946 0958", "+442079460958" },  { "GB", "00 61 412 345 678", "+61412345678" },
        /* Russia's trunk 8 only before ten digits more: St Petersburg's 812 is not a trunk */
        { "RU", "8 812 123-45-67", "+78121234567" },       { "RU", "812 123-45-67", "+78121234567" },
    };
    for (size_t i = 0; i < sizeof abroad / sizeof abroad[0]; i++) {
        if (wh_phone_normalise_in(abroad[i].country, abroad[i].in, out, sizeof out, lookup, sizeof lookup, &e))
            fail_msg("%s %s: %s", abroad[i].country, abroad[i].in, rp_errmsg(&e));
        assert_string_equal(out, abroad[i].out);
    }
    assert_int_equal(wh_phone_normalise_in("ZA", "021 123 4567", out, sizeof out, lookup, sizeof lookup, &e),
                     RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "invalid phone '021 123 4567': write it with + and the calling code (ZA's "
                                       "numbers are not read without one)");
    assert_int_equal(wh_phone_normalise_in("US", "0123 456 789", out, sizeof out, lookup, sizeof lookup, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "invalid phone '0123 456 789': a North American number begins with 2 to 9 (or 1 "
                                       "and ten digits)");
    assert_int_equal(wh_phone_normalise_in("AU", "04", out, sizeof out, lookup, sizeof lookup, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "invalid phone '04': E.164 numbers have 8 to 15 digits");
}

static void emails_money_dates(void **state)
{
    (void)state;
    char out[300], lookup[300];
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(wh_email_normalise(" YiChun.Chen@Example.com.tw ", out, sizeof out, lookup,
                                        sizeof lookup, &e),
                     RP_OK);
    assert_string_equal(out, "YiChun.Chen@Example.com.tw");
    assert_string_equal(lookup, "yichun.chen@example.com.tw");
    const char *bad[] = { "nobody", "@example.com", "a@b", "a@@b.com", "a b@c.com", "a@.com", NULL };
    for (const char **p = bad; *p; p++)
        assert_int_equal(wh_email_normalise(*p, out, sizeof out, lookup, sizeof lookup, &e), RP_INVAL);
    wh_money_format(128765432, "TWD", out, sizeof out);
    assert_string_equal(out, "1,287,654.32 TWD");
    wh_money_format(-2345600, "TWD", out, sizeof out);
    assert_string_equal(out, "-23,456.00 TWD");
    wh_money_format(5, "USD", out, sizeof out);
    assert_string_equal(out, "0.05 USD");
    wh_money_format(1234567, "JPY", out, sizeof out);
    assert_string_equal(out, "1,234,567 JPY");
    wh_money_format(1234, "KWD", out, sizeof out);
    assert_string_equal(out, "1.234 KWD");
    wh_money_format(INT64_MIN, "TWD", out, sizeof out);
    assert_string_equal(out, "-92,233,720,368,547,758.08 TWD");
    char d[11];
    const char *res;
    assert_int_equal(wh_date_normalise("party.birth_date", "74/03/14", d, &res, &e), RP_OK);
    assert_string_equal(res, "1985-03-14");
    assert_int_equal(wh_date_normalise("party.birth_date", NULL, d, &res, &e), RP_OK);
    assert_null(res);
    assert_int_equal(wh_date_normalise("party.birth_date", "74/02/30", d, &res, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "party.birth_date: invalid date '74/02/30': no such date");
}

static void open_keys(void **state)
{
    (void)state;
    const char *db = tu_path("k.db");
    wh *w;
    rp_error e = RP_ERROR_INIT;
    char want[600];
    /* without init, a missing store is an error and nothing is created */
    assert_int_equal(wh_open(db, NULL, 0, &w, NULL, &e), RP_NOTFOUND);
    assert_int_equal(access(db, F_OK), -1);
    int migrations = -1;
    assert_int_equal(wh_open(db, NULL, WH_INIT, &w, &migrations, &e), RP_OK);
    assert_true(migrations >= 1);
    char key[400];
    snprintf(key, sizeof key, "%s.key", db);
    struct stat st;
    assert_int_equal(stat(key, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    wh_close(w);
    assert_int_equal(wh_open(db, NULL, WH_INIT, &w, &migrations, &e), RP_OK);
    assert_int_equal(migrations, 0);
    wh_close(w);
    assert_int_equal(wh_open(db, NULL, 0, &w, NULL, &e), RP_OK);
    wh_close(w);
    /* another key is refused, not used to seal new data */
    const char *other = tu_path("other.key");
    assert_int_equal(rp_keyring_create(other, &e), RP_OK);
    assert_int_equal(wh_open(db, other, 0, &w, NULL, &e), RP_CRYPTO);
    snprintf(want, sizeof want, "%s: this key file does not belong to store %s", other, db);
    assert_string_equal(rp_errmsg(&e), want);
    /* a lost key is not silently replaced, even by init */
    assert_int_equal(unlink(key), 0);
    assert_int_equal(wh_open(db, NULL, WH_INIT, &w, NULL, &e), RP_NOTFOUND);
    snprintf(want, sizeof want,
             "%s: key file not found; this store's identifiers were sealed with it (set RAPPORT_KEY "
             "or --key)",
             key);
    assert_string_equal(rp_errmsg(&e), want);
    assert_int_equal(access(key, F_OK), -1);
}

static void party_and_identifiers(void **state)
{
    (void)state;
    wh *w = fresh();
    rp_error e = RP_ERROR_INIT;
    int64_t id, id2;
    wh_party p = { .kind = "person", .name_zh = "陳怡君", .birth_date = "74/03/14", .gender = "F" };
    assert_int_equal(wh_party_add(w, &p, &id, &e), RP_OK);
    assert_int_equal(wh_identifier_add(w, id, "national_id", NULL, "A223456781", NULL, &e), RP_OK);
    /* sealed: no plaintext anywhere in the row */
    assert_int_equal(count(w, "SELECT count(*) FROM party_identifier WHERE value IS NULL "
                              "AND sealed IS NOT NULL AND masked = 'A22****781' "
                              "AND CAST(sealed AS TEXT) NOT LIKE '%A223456781%'"),
                     1);
    p.name_zh = "林志明";
    assert_int_equal(wh_party_add(w, &p, &id2, &e), RP_OK);
    /* the same national ID cannot belong to two parties */
    assert_int_equal(wh_identifier_add(w, id2, "national_id", NULL, "a223456781", NULL, &e),
                     RP_EXISTS);
    assert_string_equal(rp_errmsg(&e),
                        "identifier.value: national_id A22****781 already belongs to party 1");
    assert_int_equal(wh_identifier_add(w, id2, "national_id", NULL, "A223456782", NULL, &e),
                     RP_CHECKSUM);
    assert_string_equal(rp_errmsg(&e),
                        "identifier.value: invalid national ID 'A223456782': checksum does not match");
    assert_int_equal(wh_identifier_add(w, id2, "card_customer_no", NULL, "C1", NULL, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e),
                        "identifier.issuer: required for card_customer_no (the source system)");
    assert_int_equal(wh_identifier_add(w, 999, "ubn", NULL, "22099131", NULL, &e), RP_NOTFOUND);
    assert_string_equal(rp_errmsg(&e), "identifier.party: no party 999");
    assert_int_equal(count(w, "SELECT count(*) FROM party_identifier"), 1);

    wh_party bad = { .kind = "robot", .name_zh = "x" };
    assert_int_equal(wh_party_add(w, &bad, &id, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "party.kind: 'robot' is not one of person, organisation");
    bad = (wh_party){ .kind = "person" };
    assert_int_equal(wh_party_add(w, &bad, &id, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "party: name_zh or name_latin is required");
    bad = (wh_party){ .kind = "person", .name_zh = "x", .birth_date = "2999-01-01" };
    assert_int_equal(wh_party_add(w, &bad, &id, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "party.birth_date: '2999-01-01' is in the future");
    bad = (wh_party){ .kind = "person", .name_zh = "\xB3\xAF" };
    assert_int_equal(wh_party_add(w, &bad, &id, &e), RP_ENCODING);
    assert_string_equal(rp_errmsg(&e), "party.name_zh: not valid UTF-8 (byte 0)");
    bad = (wh_party){ .kind = "person", .name_zh = "x", .home_branch = "9999" };
    assert_int_equal(wh_party_add(w, &bad, &id, &e), RP_NOTFOUND);
    assert_string_equal(rp_errmsg(&e), "party.home_branch: unknown branch '9999'");
    assert_int_equal(count(w, "SELECT count(*) FROM party"), 2);
    wh_close(w);
}

/* ---- transactions in blocks ---- */

typedef struct dups {
    int n;
    int64_t tag[16];
    char msg[16][200];
} dups;

static int note(void *ctx, int64_t tag, const char *message, rp_error *err)
{
    (void)err;
    dups *d = ctx;
    if (d->n < 16) {
        d->tag[d->n] = tag;
        snprintf(d->msg[d->n], sizeof d->msg[d->n], "%s", message);
    }
    d->n++;
    return RP_OK;
}

static char *text_of(wh *w, const char *sql)
{
    rp_stmt *st;
    rp_error e = RP_ERROR_INIT;
    if (rp_store_prepare(wh_store(w), sql, &st, &e))
        fail_msg("%s: %s", sql, rp_errmsg(&e));
    assert_int_equal(rp_stmt_step(st, &e), RP_ROW);
    char *t = strdup(rp_stmt_text(st, 0) ? rp_stmt_text(st, 0) : "(null)");
    rp_stmt_done(st);
    return t;
}

/* SQLite keeps transactions in blocks (0012), PostgreSQL in a table partitioned by month (its 0033). */
static int on_pg(wh *w) { return !strcmp(rp_store_backend(wh_store(w)), "postgresql"); }

/* A contact loaded again: the same is unchanged; an address whose postal code or country alone changed is a
 * new address (the old one closed), whether the party was made in this transaction or is in the store */
static void contacts_put_again(void **state)
{
    (void)state;
    wh *w = fresh();
    rp_error e = RP_ERROR_INIT;
    int64_t id;
    int out;
    wh_party p = { .kind = "person", .name_latin = "WALKER, JACK" };
    assert_int_equal(wh_begin(w, &e), RP_OK);
    assert_int_equal(wh_party_add(w, &p, &id, &e), RP_OK);
    wh_contact c = { .kind = "address", .value = "12 Miller Street North Sydney", .postal_code = "2060",
                     .country = "AU", .source = "b" };
    assert_int_equal(wh_contact_put(w, id, &c, &out, &e), RP_OK);
    assert_int_equal(out, WH_CREATED);
    assert_int_equal(wh_contact_put(w, id, &c, &out, &e), RP_OK);
    assert_int_equal(out, WH_UNCHANGED);
    c.postal_code = "2061"; /* the party is fresh: compared in memory */
    assert_int_equal(wh_contact_put(w, id, &c, &out, &e), RP_OK);
    assert_int_equal(out, WH_UPDATED);
    assert_int_equal(wh_commit(w, &e), RP_OK);
    assert_int_equal(wh_contact_put(w, id, &c, &out, &e), RP_OK); /* in the store */
    assert_int_equal(out, WH_UNCHANGED);
    c.country = "NZ", c.postal_code = "0610";
    assert_int_equal(wh_contact_put(w, id, &c, &out, &e), RP_OK);
    assert_int_equal(out, WH_UPDATED);
    assert_int_equal(wh_contact_put(w, id, &c, &out, &e), RP_OK);
    assert_int_equal(out, WH_UNCHANGED);
    wh_contact tw = { .kind = "address", .value = "臺北市大安區忠孝東路四段1號", .postal_code = "106", .source = "b",
                      .purpose = "mail" };
    assert_int_equal(wh_contact_put(w, id, &tw, &out, &e), RP_OK);
    tw.country = "TW"; /* none is Taiwan: the same address */
    assert_int_equal(wh_contact_put(w, id, &tw, &out, &e), RP_OK);
    assert_int_equal(out, WH_UNCHANGED);
    assert_int_equal(count(w, "SELECT count(*) FROM contact_point WHERE kind = 'address'"), 4);
    assert_int_equal(count(w, "SELECT count(*) FROM contact_point WHERE kind = 'address' AND valid_to IS NULL"), 2);
    wh_close(w);
}

static void transactions_in_blocks(void **state)
{
    (void)state;
    wh *w = with_fixture();
    rp_error e = RP_ERROR_INIT;
    int64_t a1, a2;
    assert_ok(wh_account_id(w, "0012-100-000001", &a1, &e));
    assert_ok(wh_account_id(w, "0012-300-000002", &a2, &e));
    assert_int_equal(a1, 1); /* as the SQL below names it */
    int before = count(w, "SELECT count(*) FROM txn");
    int64_t top0 = count(w, "SELECT coalesce(max(id), 0) FROM txn");
    wh_txn_batch *b;
    assert_ok(wh_txn_batch_new(&b, &e));
    /* a refused transaction is not kept, and the message names the field */
    wh_txn t = { .account_id = a1, .posted_at = "2026-11-02T09:00:00+08:00", .amount_minor = 500,
                 .channel = "atm", .class_ = "deposit", .source = "bank", .source_key = "K3" };
    wh_txn bad = t;
    bad.posted_at = "2026-02-30T00:00:00Z";
    assert_int_equal(wh_txn_batch_add(w, b, &bad, 99, &e), RP_INVAL);
    assert_int_equal(strncmp(rp_errmsg(&e), "transaction.posted_at: ", 23), 0);
    bad = t;
    bad.account_id = 424242;
    assert_int_equal(wh_txn_batch_add(w, b, &bad, 99, &e), RP_NOTFOUND);
    assert_string_equal(rp_errmsg(&e), "transaction.account: no account 424242");
    assert_int_equal(wh_txn_batch_len(b), 0);
    /* tags 0..6: two accounts, keys out of order, a repeat within the batch (tag 3 of tag 0) and
     * a transaction without a key */
    const char *keys[] = { "K3", "K1", "K2", "K3", NULL, "K9", "K1" };
    const int64_t accts[] = { a1, a1, a1, a1, a1, a2, a2 };
    for (int i = 0; i < 7; i++) {
        t.account_id = accts[i];
        t.source_key = keys[i];
        t.amount_minor = 100 * (i + 1);
        t.description = i == 4 ? "a \"quoted\" note\twith a tab" : NULL;
        assert_ok(wh_txn_batch_add(w, b, &t, i, &e));
    }
    assert_int_equal(wh_txn_batch_len(b), 7);
    /* truncating forgets the last: tag 6 is gone */
    wh_txn_batch_truncate(b, 6);
    dups d = { 0 };
    int64_t written, first;
    assert_ok(wh_txn_batch_flush(w, b, note, &d, &written, &first, &e));
    assert_int_equal(wh_txn_batch_len(b), 0);
    assert_int_equal(written, 5);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.tag[0], 3);
    assert_string_equal(d.msg[0], "transaction: bank record 'K3' was already loaded");
    assert_int_equal(first, top0 + 1);
    assert_int_equal(count(w, "SELECT count(*) FROM txn"), before + 5);
    /* one block per account (SQLite), each in its month (PostgreSQL); ids contiguous, in the order given
     * within an account */
    if (on_pg(w)) {
        assert_int_equal(count(w, "SELECT count(*) FROM txn_2026_11 WHERE job_id IS NULL AND source = 'bank'"), 5);
        char *mk = text_of(w, "SELECT string_agg(max_key, ' ' ORDER BY account_id) FROM txn_account_key");
        assert_string_equal(mk, "K3 K9");
        free(mk);
    } else {
        assert_int_equal(count(w, "SELECT count(*) FROM txn_block WHERE job_id IS NULL AND source = 'bank'"), 2);
    }
    char *ids = text_of(w, "SELECT group_concat(CAST(amount_minor AS TEXT), ' ') FROM (SELECT amount_minor FROM txn "
                           "WHERE source = 'bank' ORDER BY id) t");
    assert_string_equal(ids, "100 200 300 500 600");
    free(ids);
    char *r;
    if (!on_pg(w)) {
        r = text_of(w, "SELECT min_key || ' ' || max_key || ' ' || first_at || ' ' || n FROM txn_block "
                       "WHERE source = 'bank' AND account_id = (SELECT id FROM account WHERE number = "
                       "'0012-100-000001')");
        assert_string_equal(r, "K1 K3 2026-11-02T01:00:00Z 4");
        free(r);
    }
    /* the view gives every column back, text with quotes and tabs included */
    r = text_of(w, "SELECT description || '|' || currency || '|' || channel || '|' || posted_at FROM txn "
                   "WHERE source = 'bank' AND source_key IS NULL");
    assert_string_equal(r, "a \"quoted\" note\twith a tab|TWD|atm|2026-11-02T01:00:00Z");
    free(r);
    /* a later batch: K2 of account 1 is stored (a repeat); K2 of account 2 is not */
    t.account_id = a1;
    t.source_key = "K2";
    assert_ok(wh_txn_batch_add(w, b, &t, 10, &e));
    t.account_id = a2;
    assert_ok(wh_txn_batch_add(w, b, &t, 11, &e));
    memset(&d, 0, sizeof d);
    assert_ok(wh_txn_batch_flush(w, b, note, &d, &written, &first, &e));
    assert_int_equal(written, 1);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.tag[0], 10);
    /* more than a block holds: split, the ids running on */
    for (int i = 0; i < WH_TXN_BLOCK_ROWS + 5; i++) {
        char k[16];
        snprintf(k, sizeof k, "B%05d", i);
        t.source_key = k;
        assert_ok(wh_txn_batch_add(w, b, &t, i, &e));
    }
    assert_ok(wh_txn_batch_flush(w, b, note, &d, &written, &first, &e));
    assert_int_equal(written, WH_TXN_BLOCK_ROWS + 5);
    if (!on_pg(w)) {
        assert_int_equal(count(w, "SELECT count(*) FROM txn_block WHERE min_key LIKE 'B%'"), 2);
        assert_int_equal(count(w, "SELECT max(n) FROM txn_block"), WH_TXN_BLOCK_ROWS);
    }
    assert_int_equal(count(w, "SELECT count(DISTINCT id) FROM txn"), count(w, "SELECT count(*) FROM txn"));
    assert_int_equal(count(w, "SELECT max(id) - min(id) + 1 FROM txn WHERE source_key LIKE 'B%'"),
                     WH_TXN_BLOCK_ROWS + 5);
    wh_txn_batch_free(b);
    /* another tool, through the view: a repeat is refused, a change and a deletion keep the other ids */
    assert_int_equal(rp_store_exec(wh_store(w), "INSERT INTO txn(account_id, posted_at, amount_minor, channel, class, "
                                             "source, source_key) VALUES (1, '2026-11-03T00:00:00Z', 1, 'atm', "
                                             "'fee', 'bank', 'K1')", &e), RP_CONSTRAINT);
    assert_int_equal(rp_store_exec(wh_store(w), "INSERT INTO txn(account_id, posted_at, amount_minor, channel, class, "
                                             "source, source_key) VALUES (1, '2026-11-03T00:00:00Z', 1, 'ufo', "
                                             "'fee', 'bank', 'K7')", &e), RP_CONSTRAINT);
    assert_ok(rp_store_exec(wh_store(w), "INSERT INTO txn(account_id, posted_at, amount_minor, channel, class, "
                                      "source, source_key) VALUES (1, '2026-11-03T00:00:00Z', 1, 'atm', "
                                      "'fee', 'bank', 'K7')", &e));
    int64_t gen = count(w, "SELECT value FROM store_meta WHERE name = 'txn_generation'");
    int all = count(w, "SELECT count(*) FROM txn");
    int64_t k2 = count(w, "SELECT id FROM txn WHERE source_key = 'K2' AND account_id = 1");
    int64_t k3 = count(w, "SELECT id FROM txn WHERE source_key = 'K3' AND account_id = 1");
    assert_ok(rp_store_exec(wh_store(w), "UPDATE txn SET amount_minor = 7, source_key = 'K0' WHERE source_key = 'K2' "
                                      "AND account_id = 1", &e));
    assert_int_equal(count(w, "SELECT amount_minor FROM txn WHERE source_key = 'K0'"), 7);
    assert_int_equal(count(w, "SELECT id FROM txn WHERE source_key = 'K0'"), k2);
    if (!on_pg(w)) {
        r = text_of(w, "SELECT min_key FROM txn_block WHERE id <= (SELECT id FROM txn WHERE source_key = 'K0') "
                       "ORDER BY id DESC LIMIT 1");
        assert_string_equal(r, "K0"); /* the key range widened */
        free(r);
    }
    assert_int_equal(rp_store_exec(wh_store(w), "UPDATE txn SET account_id = 2 WHERE source_key = 'K0'", &e),
                     RP_CONSTRAINT);
    assert_ok(rp_store_exec(wh_store(w), "DELETE FROM txn WHERE source_key = 'K0'", &e));
    assert_int_equal(count(w, "SELECT count(*) FROM txn"), all - 1);
    assert_int_equal(count(w, "SELECT id FROM txn WHERE source_key = 'K3' AND account_id = 1"), k3);
    assert_int_equal(count(w, "SELECT count(*) FROM txn WHERE source_key = 'K0'"), 0);
    assert_true(count(w, "SELECT value FROM store_meta WHERE name = 'txn_generation'") > gen);
    wh_close(w);
}

/* Another tool's row and Rapport's batches, on either store: a currency left out is the account's; a
 * repeat from another tool is refused, one of Rapport's batch is passed to the caller; text with tabs,
 * backslashes, quotes and newlines comes back as it went in.  PostgreSQL: a month's partition is made
 * when a batch first needs it, another tool's row of a month not yet made waits in the default partition
 * and moves into its month then. */
static void transactions_by_month(void **state)
{
    (void)state;
    wh *w = with_fixture();
    int pg = on_pg(w);
    rp_error e = RP_ERROR_INIT;
    assert_ok(rp_store_exec(wh_store(w), "INSERT INTO txn(account_id, posted_at, amount_minor, channel, class, "
                                         "source, source_key) VALUES (1, '2030-01-31T23:59:59Z', 1, 'atm', 'fee', "
                                         "'tool', 'T1')", &e));
    assert_int_equal(count(w, pg ? "SELECT count(*) FROM txn_other WHERE source = 'tool' AND currency = 'TWD'"
                                 : "SELECT count(*) FROM txn WHERE source = 'tool' AND currency = 'TWD'"), 1);
    assert_int_equal(rp_store_exec(wh_store(w), "INSERT INTO txn(account_id, posted_at, amount_minor, channel, class, "
                                                "source, source_key) VALUES (1, '2030-01-02T00:00:00Z', 2, 'atm', "
                                                "'fee', 'tool', 'T1')", &e), RP_CONSTRAINT);
    wh_txn_batch *b;
    assert_ok(wh_txn_batch_new(&b, &e));
    wh_txn t = { .account_id = 1, .posted_at = "2030-01-15T09:00:00+08:00", .amount_minor = 5, .channel = "atm",
                 .class_ = "fee", .source = "tool", .source_key = "T1" };
    assert_ok(wh_txn_batch_add(w, b, &t, 1, &e));
    t.source_key = "T2";
    assert_ok(wh_txn_batch_add(w, b, &t, 2, &e));
    t.posted_at = "2030-02-01T00:00:00Z";
    t.source_key = "T3\t\\ \"x\"\n";
    t.description = "說明\ttab\\";
    assert_ok(wh_txn_batch_add(w, b, &t, 3, &e));
    dups d = { 0 };
    int64_t written, first;
    assert_ok(wh_txn_batch_flush(w, b, note, &d, &written, &first, &e));
    assert_int_equal(written, 2);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.tag[0], 1);
    assert_string_equal(d.msg[0], "transaction: tool record 'T1' was already loaded");
    if (pg) {
        assert_int_equal(count(w, "SELECT count(*) FROM txn_other"), 0);
        assert_int_equal(count(w, "SELECT count(*) FROM txn_2030_01"), 2);
        assert_int_equal(count(w, "SELECT count(*) FROM txn_2030_02"), 1);
    }
    char *r = text_of(w, "SELECT source_key || '|' || description FROM txn WHERE posted_at >= '2030-02'");
    assert_string_equal(r, "T3\t\\ \"x\"\n|說明\ttab\\");
    free(r);
    assert_int_equal(count(w, "SELECT max(id) FROM txn"), first + 1);
    /* the same key again, from this batch's view of the store: a repeat */
    t.source_key = "T3\t\\ \"x\"\n";
    assert_ok(wh_txn_batch_add(w, b, &t, 4, &e));
    memset(&d, 0, sizeof d);
    assert_ok(wh_txn_batch_flush(w, b, note, &d, &written, &first, &e));
    assert_int_equal(written, 0);
    assert_int_equal(d.n, 1);
    wh_txn_batch_free(b);
    if (pg) { /* a month that is not one is refused by the store's own function */
        assert_int_equal(rp_store_exec(wh_store(w), "SELECT txn_month('2030-13')", &e), RP_STORE);
        assert_non_null(strstr(rp_errmsg(&e), "is not a month"));
    }
    wh_close(w);
}

/* A batch remembers each account's greatest stored key, to skip reading
 * the blocks of a run whose keys are all above it; another connection's
 * commit makes it read them again. */
static void transactions_kept_by_another_connection(void **state)
{
    (void)state;
    char db[320];
    snprintf(db, sizeof db, "%s", tu_path("shared.db"));
    wh *w;
    rp_error e = RP_ERROR_INIT;
    if (wh_open(db, NULL, WH_INIT, &w, NULL, &e) || wh_import_json(w, FIXTURE, "test", NULL, &e))
        fail_msg("%s", rp_errmsg(&e));
    int64_t a1;
    assert_ok(wh_account_id(w, "0012-100-000001", &a1, &e));
    wh_txn_batch *b;
    assert_ok(wh_txn_batch_new(&b, &e));
    wh_txn t = { .account_id = a1, .posted_at = "2026-11-02T09:00:00+08:00", .amount_minor = 500,
                 .channel = "atm", .class_ = "deposit", .source = "bank" };
    const char *first[] = { "R1", "R2" };
    for (int i = 0; i < 2; i++) {
        t.source_key = first[i];
        assert_ok(wh_txn_batch_add(w, b, &t, i, &e));
    }
    dups d = { 0 };
    int64_t written;
    assert_ok(wh_txn_batch_flush(w, b, note, &d, &written, NULL, &e));
    assert_int_equal(written, 2);
    /* another program posts R5 to the account */
    wh *w2;
    if (wh_open(db, NULL, 0, &w2, NULL, &e))
        fail_msg("%s", rp_errmsg(&e));
    t.source_key = "R5";
    assert_ok(wh_txn_add(w2, &t, NULL, &e));
    wh_close(w2);
    /* R5 is above the R2 this batch wrote, yet it is found stored; R6 and R3 are loaded */
    const char *then[] = { "R5", "R6" };
    for (int i = 0; i < 2; i++) {
        t.source_key = then[i];
        assert_ok(wh_txn_batch_add(w, b, &t, 10 + i, &e));
    }
    assert_ok(wh_txn_batch_flush(w, b, note, &d, &written, NULL, &e));
    assert_int_equal(written, 1);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.tag[0], 10);
    assert_string_equal(d.msg[0], "transaction: bank record 'R5' was already loaded");
    /* a run of rising keys that repeats one of its own, and one below the greatest stored */
    const char *last[] = { "R7", "R8", "R7", "R3", "R6" };
    memset(&d, 0, sizeof d);
    for (int i = 0; i < 5; i++) {
        t.source_key = last[i];
        assert_ok(wh_txn_batch_add(w, b, &t, 20 + i, &e));
    }
    assert_ok(wh_txn_batch_flush(w, b, note, &d, &written, NULL, &e));
    assert_int_equal(written, 3);
    assert_int_equal(d.n, 2);
    assert_int_equal(d.tag[0], 22);
    assert_int_equal(d.tag[1], 24);
    char *r = text_of(w, "SELECT group_concat(source_key, ' ') FROM (SELECT source_key FROM txn "
                         "WHERE source = 'bank' AND source_key LIKE 'R%' ORDER BY id) t");
    assert_string_equal(r, "R1 R2 R5 R6 R7 R8 R3");
    free(r);
    wh_txn_batch_free(b);
    wh_close(w);
}

/* An account's primary holder (0034): the party of its first role, kept when an owner comes later; its
 * roles carry it; on PostgreSQL so do its transactions, those stored before it had a holder too, and
 * another tool's rows. */
static void primary_holder(void **state)
{
    (void)state;
    wh *w = with_fixture();
    int pg = on_pg(w);
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(count(w, "SELECT count(*) FROM account WHERE holder_party IS NULL"), 0);
    assert_int_equal(count(w, "SELECT count(*) FROM party_account pa JOIN account a ON a.id = pa.account_id "
                              "WHERE pa.holder_party IS DISTINCT FROM a.holder_party"), 0);
    int64_t acct, id;
    wh_account a = { .number = "0012-100-777777", .product = "SAV01", .currency = "TWD", .opened_on = "2020-01-01" };
    assert_ok(wh_account_add(w, &a, &acct, &e));
    wh_txn t = { .account_id = acct, .posted_at = "2026-11-20T10:00:00+08:00", .amount_minor = 100,
                 .channel = "atm", .class_ = "deposit", .source = "bank", .source_key = "H1" };
    assert_ok(wh_txn_add(w, &t, &id, &e));
    char q[200];
    snprintf(q, sizeof q, "SELECT coalesce(holder_party, 0) FROM account WHERE id = %lld", (long long)acct);
    assert_int_equal(count(w, q), 0);
    assert_ok(wh_role_add(w, 2, acct, "joint", NULL, &e));
    assert_ok(wh_role_add(w, 1, acct, "owner", NULL, &e));
    assert_int_equal(count(w, q), 2);
    snprintf(q, sizeof q, "SELECT count(*) FROM party_account WHERE account_id = %lld AND holder_party = 2",
             (long long)acct);
    assert_int_equal(count(w, q), 2);
    if (pg) {
        t.source_key = "H2";
        assert_ok(wh_txn_add(w, &t, &id, &e));
        snprintf(q, sizeof q, "INSERT INTO txn(account_id, posted_at, amount_minor, channel, class, source, source_key) "
                              "VALUES (%lld, '2026-11-21T00:00:00Z', 1, 'atm', 'fee', 'tool', 'H3')", (long long)acct);
        assert_ok(rp_store_exec(wh_store(w), q, &e));
        snprintf(q, sizeof q, "SELECT count(*) FROM txn WHERE account_id = %lld AND holder_party = 2", (long long)acct);
        assert_int_equal(count(w, q), 3);
    }
    wh_close(w);
}

static void accounts_and_history(void **state)
{
    (void)state;
    wh *w = with_fixture();
    rp_error e = RP_ERROR_INIT;
    int64_t acct, id;
    wh_account a = { .number = "0012-100-000001", .product = "SAV01", .currency = "TWD",
                     .opened_on = "2020-01-01" };
    assert_int_equal(wh_account_add(w, &a, &id, &e), RP_EXISTS);
    assert_string_equal(rp_errmsg(&e), "account.number: account '0012-100-000001' already exists");
    a.number = "0012-100-999999";
    a.product = "NOPE";
    assert_int_equal(wh_account_add(w, &a, &id, &e), RP_NOTFOUND);
    assert_string_equal(rp_errmsg(&e), "account.product: unknown product 'NOPE'");
    a.product = "SAV01";
    a.closed_on = "2019-01-01";
    assert_int_equal(wh_account_add(w, &a, &id, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "account.closed_on: 2019-01-01 is before opened_on 2020-01-01");
    assert_int_equal(wh_account_id(w, "0000-000", &acct, &e), RP_NOTFOUND);
    assert_string_equal(rp_errmsg(&e), "unknown account '0000-000'");
    assert_int_equal(wh_account_id(w, "0012-100-000001", &acct, &e), RP_OK);
    assert_int_equal(wh_role_add(w, 1, acct, "owner", NULL, &e), RP_EXISTS);
    assert_string_equal(rp_errmsg(&e), "role: party 1 is already owner of account 1");
    assert_int_equal(wh_role_add(w, 1, acct, "boss", NULL, &e), RP_INVAL);
    wh_txn t = { .account_id = acct, .posted_at = "2026-11-20T10:00:00+08:00", .amount_minor = -100,
                 .channel = "teleport", .class_ = "fee" };
    assert_int_equal(wh_txn_add(w, &t, &id, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e),
                        "transaction.channel: 'teleport' is not one of branch, atm, internet, mobile, "
                        "phone, pos, batch");
    t.channel = "atm";
    t.source = "host";
    t.source_key = "T1";
    assert_int_equal(wh_txn_add(w, &t, &id, &e), RP_OK);
    assert_int_equal(wh_txn_add(w, &t, &id, &e), RP_EXISTS);
    assert_string_equal(rp_errmsg(&e), "transaction: host record 'T1' was already loaded");
    t.account_id = 9999;
    t.source_key = "T2";
    assert_int_equal(wh_txn_add(w, &t, &id, &e), RP_NOTFOUND);
    assert_string_equal(rp_errmsg(&e), "transaction.account: no account 9999");
    wh_interaction ia = { .party_id = 1, .channel = "branch", .notes = "生日 3/14" };
    assert_int_equal(wh_interaction_add(w, &ia, &id, &e), RP_OK);
    ia.follow_up_on = "2026-13-01";
    assert_int_equal(wh_interaction_add(w, &ia, &id, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e),
                        "interaction.follow_up_on: invalid date '2026-13-01': no such date");
    wh_consent c = { .party_id = 1, .purpose = "spam", .channel = "email", .granted = 1 };
    assert_int_equal(wh_consent_set(w, &c, &e), RP_INVAL);
    assert_int_equal(wh_party_link_add(w, 1, 1, "spouse", NULL, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "link: a party cannot be linked to itself");
    assert_int_equal(wh_party_link_add(w, 1, 2, "spouse", NULL, &e), RP_EXISTS);
    wh_contact k = { .kind = "address", .value = "臺北市", .postal_code = "1O6" };
    assert_int_equal(wh_contact_add(w, 1, &k, NULL, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "contact.postal_code: '1O6' is not a 3, 5 or 6 digit code (Taiwan's; "
                                       "another country's address says so in contact.country)");
    /* by the address's country: an Australian postcode, a British one; a country that is not one */
    wh_contact au = { .kind = "address", .value = "12 Miller St, North Sydney NSW", .postal_code = "2060",
                      .country = "au" };
    assert_int_equal(wh_contact_add(w, 1, &au, NULL, &e), RP_OK);
    au.postal_code = "SW1A 1AA";
    au.country = "GB";
    assert_int_equal(wh_contact_add(w, 1, &au, NULL, &e), RP_OK);
    au.postal_code = "2060!";
    assert_int_equal(wh_contact_add(w, 1, &au, NULL, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "contact.postal_code: '2060!' is not a postal code (GB: 2 to 10 letters, "
                                       "digits, blanks and hyphens)");
    au.postal_code = "2060";
    au.country = "Australia";
    assert_int_equal(wh_contact_add(w, 1, &au, NULL, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "contact.country: 'Australia' is not a country code (ISO 3166 two letters: "
                                       "TW, JP, US, ...)");
    /* an Australian mobile written at home */
    wh_contact mob = { .kind = "mobile", .value = "0412 345 678", .country = "AU" };
    assert_int_equal(wh_contact_add(w, 1, &mob, NULL, &e), RP_OK);
    assert_int_equal(count(w, "SELECT count(*) FROM contact_point WHERE kind = 'mobile' AND country = 'AU' AND "
                              "value = '+61412345678'"),
                     1);
    assert_int_equal(count(w, "SELECT count(*) FROM contact_point WHERE country = 'GB' AND postal_code = 'SW1A 1AA'"),
                     1);
    wh_close(w);
}

static void find_by_every_key(void **state)
{
    (void)state;
    wh *w = with_fixture();
    rp_error e = RP_ERROR_INIT;
    struct {
        const char *key;
        int64_t party;
        const char *how;
    } cases[] = {
        { "#1", 1, "internal id" },
        { "id:2", 2, "internal id" },
        { "A223456781", 1, "national ID" },
        { "a223456781", 1, "national ID" },
        { "nid:F128765439", 2, "national ID" },
        { "0912-345-678", 1, "phone" },
        { "+886 933 111 222", 2, "phone" },
        { "0012-100-000001", 1, "account number" },
        { "0012-500-000003", 1, "account number" }, /* owner before joint holder */
        { "4563-1800-0000-0001", 1, "account number" },
        { "YICHUN.CHEN@example.com.tw", 1, "e-mail" },
        { "C00012345", 1, "card customer number" },
        { "yichun85", 1, "online user id" },
        { "22099131", 6, "UBN" },
        { "A800123450", 5, "resident certificate" },
        { "passport:533380006", 5, "passport" },
        { "03-563-6688", 6, "phone" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t id = 0;
        const char *how = NULL;
        if (wh_find(w, cases[i].key, &id, &how, &e))
            fail_msg("%s: %s", cases[i].key, rp_errmsg(&e));
        assert_int_equal(id, cases[i].party);
        assert_string_equal(how, cases[i].how);
    }
    int64_t id;
    assert_int_equal(wh_find(w, "(02) 2345-6789", &id, NULL, &e), RP_AMBIGUOUS);
    assert_string_equal(rp_errmsg(&e), "'(02) 2345-6789' (phone) matches 2 parties: 1, 2; use id:N");
    assert_int_equal(wh_find(w, "A123456789", &id, NULL, &e), RP_NOTFOUND);
    assert_string_equal(rp_errmsg(&e), "no customer matches 'A123456789'");
    assert_int_equal(wh_find(w, "nid:A123456789", &id, NULL, &e), RP_NOTFOUND);
    assert_string_equal(rp_errmsg(&e), "no customer with national ID 'A123456789'");
    assert_int_equal(wh_find(w, "id:999", &id, NULL, &e), RP_NOTFOUND);
    assert_int_equal(wh_find(w, "   ", &id, NULL, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "empty key");
    wh_close(w);
}

/* The names of the customers a name search finds, "|"-joined. */
static char *names_found(wh *w, const char *text, const char *alt, char *out, size_t n)
{
    rp_error e = RP_ERROR_INIT;
    json_t *a;
    if (wh_search_name(w, text, alt, NULL, NULL, 10, &a, &e))
        fail_msg("%s: %s", text, rp_errmsg(&e));
    size_t o = 0, i;
    json_t *c;
    out[0] = 0;
    json_array_foreach(a, i, c) {
        const char *zh = json_string_value(json_object_get(c, "name_zh"));
        o += (size_t)snprintf(out + o, n - o, "%s%s", i ? "|" : "",
                              zh ? zh : json_string_value(json_object_get(c, "name_latin")));
    }
    json_decref(a);
    return out;
}

static void names_by_any_part(void **state)
{
    (void)state;
    wh *w = with_fixture();
    rp_error e = RP_ERROR_INIT;
    char got[512];
    static const char *const cases[][2] = {
        { "陳怡君", "陳怡君" },       { "怡君", "陳怡君" },     { "君", "陳怡君" },
        { "陳", "陳怡君" },           { " 志 明 ", "林志明" },  { "　林", "林志明" },
        { "chen", "陳怡君" },         { "CHEN, YI-CHUN", "陳怡君" }, { "yi-chun", "陳怡君" },
        { "Yichun Chen", "陳怡君" },  { "chun", "陳怡君" },     { "chen y", "陳怡君" },
        { "john smith", "SMITH, JOHN" }, { "Semiconductor", "台灣積體電路製造股份有限公司" },
        { "積體電路", "台灣積體電路製造股份有限公司" }, { "%", "" }, { "_", "" }, { "zhang", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (strcmp(names_found(w, cases[i][0], NULL, got, sizeof got), cases[i][1]))
            fail_msg("'%s': found '%s', wanted '%s'", cases[i][0], got, cases[i][1]);
    /* given names come before later parts: MEILING, then MANUFACTURING... and MING */
    assert_string_equal(names_found(w, "m", NULL, got, sizeof got), "黃美玲|台灣積體電路製造股份有限公司|林志明");
    /* another spelling, as the API passes Pinyin read as Wade-Giles */
    assert_string_equal(names_found(w, "lin zhiming", "LINCHIHMING", got, sizeof got), "林志明");
    /* a merged record is found as the customer it was merged into */
    assert_int_equal(rp_store_exec(wh_store(w), "UPDATE party SET merged_into = 1 WHERE id = 4", &e), RP_OK);
    assert_string_equal(names_found(w, "huang", NULL, got, sizeof got), "陳怡君");
    /* a renamed party is found by its new name only */
    assert_int_equal(rp_store_exec(wh_store(w), "UPDATE party SET name_zh = '林志強', name_latin = 'LIN, CHIH-CHIANG' "
                                             "WHERE id = 2", &e), RP_OK);
    assert_string_equal(names_found(w, "志明", NULL, got, sizeof got), "");
    assert_string_equal(names_found(w, "chih-chiang", NULL, got, sizeof got), "林志強");
    /* the triggers' keys are the view's, after inserts and updates */
    assert_int_equal(rp_store_exec(wh_store(w), "UPDATE party SET name_latin = 'ACME TRADING CO., LTD.' WHERE id = 6; "
                                             "UPDATE party SET name_zh = NULL WHERE id = 5", &e), RP_OK);
    assert_string_equal(names_found(w, "trading co", NULL, got, sizeof got), "台灣積體電路製造股份有限公司");
    assert_true(count(w, "SELECT count(*) FROM party_name_key") > 40);
    assert_int_equal(count(w, "SELECT count(*) FROM (SELECT party_id, rank, key FROM party_name_keys WHERE key <> '' "
                              "EXCEPT SELECT party_id, rank, key FROM party_name_key) d"), 0);
    assert_int_equal(count(w, "SELECT count(*) FROM (SELECT party_id, rank, key FROM party_name_key "
                              "EXCEPT SELECT party_id, rank, key FROM party_name_keys) d"), 0);
    json_t *a;
    assert_int_equal(wh_search_name(w, "", NULL, NULL, NULL, 10, &a, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "name: 1 to 100 bytes to search for");
    wh_close(w);
}

/* A name search narrowed by birth (year, month, day) and branch, capped; an account number found
 * with its punctuation or without; every customer a key names (issue 22 items 1, 2, 14). */
static void searches_narrow_cap_and_find_accounts_as_typed(void **state)
{
    (void)state;
    wh *w = with_fixture();
    rp_error e = RP_ERROR_INIT;
    json_t *a;
    static const struct {
        const char *born, *branch;
        size_t n;
    } narrow[] = {
        { NULL, NULL, 1 }, { "1985", NULL, 1 }, { "1985-03", NULL, 1 }, { "1985-03-14", NULL, 1 },
        { "1986", NULL, 0 }, { "1985-04", NULL, 0 }, { NULL, "0012", 1 }, { NULL, "0345", 0 }, { "1985", "0012", 1 },
    };
    for (size_t i = 0; i < sizeof narrow / sizeof narrow[0]; i++) {
        if (wh_search_name(w, "chen", NULL, narrow[i].branch, narrow[i].born, 10, &a, &e))
            fail_msg("born %s branch %s: %s", narrow[i].born, narrow[i].branch, rp_errmsg(&e));
        if (json_array_size(a) != narrow[i].n)
            fail_msg("born %s branch %s: %zu found, wanted %zu", narrow[i].born, narrow[i].branch, json_array_size(a),
                     narrow[i].n);
        json_decref(a);
    }
    for (const char *const *bad = (const char *const[]){ "85", "1985-3", "1985/03", "19850314", "1985-03-14x", NULL }; *bad;
         bad++) {
        assert_int_equal(wh_search_name(w, "chen", NULL, NULL, *bad, 10, &a, &e), RP_INVAL);
        assert_string_equal(rp_errmsg(&e), "born: a year (1985), a month (1985-03) or a day (1985-03-14)");
    }
    /* the cap: "m" finds three; asked for two, two come, the whole names first */
    assert_int_equal(wh_search_name(w, "m", NULL, NULL, NULL, 2, &a, &e), RP_OK);
    assert_int_equal(json_array_size(a), 2);
    json_decref(a);
    int64_t want, id;
    assert_int_equal(wh_find(w, "0012-100-000001", &want, NULL, &e), RP_OK);
    for (const char *const *k = (const char *const[]){ "0012100000001", "0012 100 000001", "0012.100.000001",
                                                       "acct:0012100000001", "4563180000000001", "4563 1800 0000 0001",
                                                       NULL };
         *k; k++) {
        const char *how = NULL;
        if (wh_find(w, *k, &id, &how, &e))
            fail_msg("%s: %s", *k, rp_errmsg(&e));
        assert_int_equal(id, want);
        assert_string_equal(how, "account number");
    }
    assert_int_equal(wh_find(w, "0012100000099", &id, NULL, &e), RP_NOTFOUND);
    int64_t ids[8];
    int n = -1;
    const char *how = NULL;
    assert_int_equal(wh_find_all(w, "A223456781", ids, 8, &n, &how, &e), RP_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], want);
    assert_string_equal(how, "national ID");
    assert_int_equal(wh_find_all(w, "A123456789", ids, 8, &n, &how, &e), RP_NOTFOUND);
    wh_close(w);
}

/* Follow-ups due: by date, by writer, by branch, and closed by a contact when due (issue 22 item 12). */
static void follow_ups_due(void **state)
{
    (void)state;
    wh *w = with_fixture();
    rp_error e = RP_ERROR_INIT;
    int64_t chen, id;
    assert_int_equal(wh_find(w, "A223456781", &chen, NULL, &e), RP_OK);
    static const struct {
        const char *due, *by, *branch;
        size_t n;
    } cases[] = {
        { "2026-11-30", NULL, NULL, 0 }, { "2026-12-01", NULL, NULL, 1 }, { "2026-12-31", NULL, NULL, 1 },
        { "2026-12-31", "nobody", NULL, 0 }, { "2026-12-31", NULL, "0012", 1 }, { "2026-12-31", NULL, "0345", 0 },
        { "2026-12-31", NULL, "", 0 },
    };
    json_t *a;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(wh_follow_ups(w, cases[i].due, cases[i].by, cases[i].branch, 50, &a, &e), RP_OK);
        if (json_array_size(a) != cases[i].n)
            fail_msg("due %s by %s branch %s: %zu, wanted %zu", cases[i].due, cases[i].by, cases[i].branch,
                     json_array_size(a), cases[i].n);
        if (cases[i].n)
            assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "reason")), "詢問房貸利率");
        json_decref(a);
    }
    /* a contact before the date does not close it (the fixture's of 2026-11-02 did not); one when due does */
    wh_interaction before = { .party_id = chen, .at = "2026-11-30T02:00:00Z", .channel = "phone", .notes = "x" };
    assert_int_equal(wh_interaction_add(w, &before, &id, &e), RP_OK);
    assert_int_equal(wh_follow_ups(w, "2026-12-31", NULL, NULL, 50, &a, &e), RP_OK);
    assert_int_equal(json_array_size(a), 1);
    json_decref(a);
    wh_interaction due = { .party_id = chen, .at = "2026-12-01T02:00:00Z", .channel = "branch", .notes = "done" };
    assert_int_equal(wh_interaction_add(w, &due, &id, &e), RP_OK);
    assert_int_equal(wh_follow_ups(w, "2026-12-31", NULL, NULL, 50, &a, &e), RP_OK);
    assert_int_equal(json_array_size(a), 0);
    json_decref(a);
    wh_close(w);
}

static json_t *get(json_t *doc, const char *arr, size_t i, const char *key)
{
    return json_object_get(json_array_get(json_object_get(doc, arr), i), key);
}

static void customer_360(void **state)
{
    (void)state;
    setenv("RAPPORT_NOW", "2026-11-23T04:00:00Z", 1);
    wh *w = with_fixture();
    rp_error e = RP_ERROR_INIT;
    json_t *doc;
    assert_int_equal(wh_c360(w, 1, 0, &doc, &e), RP_OK);
    json_t *p = json_object_get(doc, "party");
    assert_string_equal(json_string_value(json_object_get(p, "name_zh")), "陳怡君");
    assert_string_equal(json_string_value(json_object_get(p, "birth_date")), "1985-03-14");
    assert_string_equal(json_string_value(json_object_get(p, "birth_date_roc")), "民國74年03月14日");
    assert_int_equal(json_integer_value(json_object_get(p, "age")), 41);
    assert_string_equal(json_string_value(json_object_get(p, "home_branch_name")), "大安分行");
    assert_int_equal(json_array_size(json_object_get(doc, "identifiers")), 3);
    assert_string_equal(json_string_value(get(doc, "identifiers", 0, "value")), "A22****781");
    assert_true(json_is_true(get(doc, "identifiers", 0, "masked")));
    /* current contact points first, primary first; the old address last */
    assert_int_equal(json_array_size(json_object_get(doc, "contact_points")), 5);
    assert_string_equal(json_string_value(get(doc, "contact_points", 4, "valid_to")), "2019-04-30");
    /* four accounts as owner, balances formatted */
    json_t *accts = json_object_get(doc, "accounts");
    assert_int_equal(json_array_size(accts), 4);
    assert_string_equal(json_string_value(get(doc, "accounts", 0, "number")), "0012-100-000001");
    assert_string_equal(json_string_value(get(doc, "accounts", 0, "balance")), "1,287,654.32 TWD");
    assert_string_equal(json_string_value(get(doc, "accounts", 0, "role")), "owner");
    /* related: spouse, and the mother seen from the child's side */
    assert_int_equal(json_array_size(json_object_get(doc, "related_parties")), 3);
    assert_string_equal(json_string_value(get(doc, "related_parties", 0, "relation")), "spouse");
    assert_string_equal(json_string_value(get(doc, "related_parties", 1, "relation")), "parent");
    assert_string_equal(json_string_value(get(doc, "related_parties", 1, "status")), "deceased");
    /* latest transaction first, across her accounts */
    assert_int_equal(json_array_size(json_object_get(doc, "transactions")), 6);
    assert_string_equal(json_string_value(get(doc, "transactions", 0, "posted_at")),
                        "2026-11-12T02:20:00Z");
    assert_string_equal(json_string_value(get(doc, "transactions", 0, "amount")), "-20,000.00 TWD");
    assert_int_equal(json_array_size(json_object_get(doc, "interactions")), 2);
    assert_string_equal(json_string_value(get(doc, "interactions", 0, "reason")), "定存到期提醒");
    /* consents: the withdrawal of SMS replaced the grant */
    assert_int_equal(json_array_size(json_object_get(doc, "consents")), 2);
    assert_string_equal(json_string_value(get(doc, "consents", 1, "channel")), "sms");
    assert_true(json_is_false(get(doc, "consents", 1, "granted")));
    assert_string_equal(json_string_value(get(doc, "lineage", 0, "source_key")), "0000012345");
    json_decref(doc);

    assert_int_equal(wh_c360(w, 1, WH_C360_REVEAL, &doc, &e), RP_OK);
    assert_string_equal(json_string_value(get(doc, "identifiers", 0, "value")), "A223456781");
    json_decref(doc);
    /* the son: his father is related as parent; his account shows his guarantor role elsewhere */
    assert_int_equal(wh_c360(w, 3, 0, &doc, &e), RP_OK);
    assert_string_equal(json_string_value(get(doc, "related_parties", 0, "relation")), "parent");
    json_decref(doc);
    assert_int_equal(wh_c360(w, 2, 0, &doc, &e), RP_OK);
    assert_string_equal(json_string_value(get(doc, "related_parties", 1, "relation")), "child");
    json_decref(doc);
    assert_int_equal(wh_c360(w, 999, 0, &doc, &e), RP_NOTFOUND);
    assert_string_equal(rp_errmsg(&e), "no party 999");
    /* recent lists are capped */
    int64_t acct;
    assert_int_equal(wh_account_id(w, "0012-100-000001", &acct, &e), RP_OK);
    for (int i = 0; i < 30; i++) {
        wh_txn t = { .account_id = acct, .posted_at = "2026-11-22T10:00:00Z", .amount_minor = -i,
                     .channel = "atm", .class_ = "withdrawal" };
        assert_int_equal(wh_txn_add(w, &t, NULL, &e), RP_OK);
    }
    assert_int_equal(wh_c360(w, 1, 0, &doc, &e), RP_OK);
    assert_int_equal(json_array_size(json_object_get(doc, "transactions")), WH_C360_RECENT);
    json_decref(doc);
    wh_close(w);
    unsetenv("RAPPORT_NOW");
}

static void import_is_all_or_nothing(void **state)
{
    (void)state;
    wh *w = fresh();
    rp_error e = RP_ERROR_INIT;
    const char *bad = tu_path("bad.json");
    tu_write_file(bad, "{ \"branches\": [ { \"code\": \"01\", \"name_zh\": \"總行\" } ],\n"
                       "  \"parties\": [\n"
                       "    { \"ref\": \"a\", \"kind\": \"person\", \"name_zh\": \"甲\",\n"
                       "      \"identifiers\": [ { \"type\": \"national_id\", \"value\": \"A123456789\" } ] },\n"
                       "    { \"ref\": \"b\", \"kind\": \"person\", \"name_zh\": \"乙\",\n"
                       "      \"identifiers\": [ { \"type\": \"national_id\", \"value\": \"A123456788\" } ] }\n"
                       "  ] }\n");
    assert_int_equal(wh_import_json(w, bad, "test", NULL, &e), RP_CHECKSUM);
    char want[600];
    snprintf(want, sizeof want,
             "%s: parties[1].identifiers[0].value: invalid national ID 'A123456788': checksum does "
             "not match",
             bad);
    assert_string_equal(rp_errmsg(&e), want);
    assert_int_equal(count(w, "SELECT count(*) FROM party"), 0);
    assert_int_equal(count(w, "SELECT count(*) FROM branch"), 0);
    assert_int_equal(count(w, "SELECT count(*) FROM load_job"), 0);
    tu_write_file(bad, "{ \"parties\": [ { \"ref\": \"a\", \"kind\": \"person\", \"nmae_zh\": \"甲\" } ] }");
    assert_int_equal(wh_import_json(w, bad, "test", NULL, &e), RP_INVAL);
    snprintf(want, sizeof want, "%s: parties[0].nmae_zh: unknown member", bad);
    assert_string_equal(rp_errmsg(&e), want);
    tu_write_file(bad, "{ \"accounts\": [ { \"number\": \"1\", \"product\": \"X\", \"currency\": \"TWD\",\n"
                       " \"opened_on\": \"2020-01-01\", \"balance_minor\": 0,\n"
                       " \"holders\": [ { \"party\": \"ghost\", \"role\": \"owner\" } ] } ] }");
    assert_int_equal(wh_import_json(w, bad, "test", NULL, &e), RP_NOTFOUND);
    snprintf(want, sizeof want, "%s: accounts[0]: account.product: unknown product 'X'", bad);
    assert_string_equal(rp_errmsg(&e), want);
    wh_import_stats st;
    assert_int_equal(wh_import_json(w, FIXTURE, "test", &st, &e), RP_OK);
    assert_int_equal(st.parties, 6);
    assert_int_equal(st.accounts, 8);
    assert_int_equal(st.transactions, 7);
    assert_int_equal(count(w, "SELECT count(*) FROM party"), 6);
    assert_int_equal(count(w, "SELECT count(*) FROM load_job WHERE status = 'done'"), 1);
    /* the same file again: its keys are already there, and nothing more lands */
    assert_int_equal(wh_import_json(w, FIXTURE, "test", &st, &e), RP_EXISTS);
    assert_non_null(strstr(rp_errmsg(&e), "parties[0].source: source: party record host:0000012345 already loaded"));
    assert_int_equal(count(w, "SELECT count(*) FROM party"), 6);
    wh_close(w);
}

/* A consent row as any tool might write it (recorded when it takes effect). */
static void consent(wh *w, int party, const char *purpose, const char *channel, int granted, const char *effective)
{
    char sql[400];
    snprintf(sql, sizeof sql,
             "INSERT INTO consent(party_id, purpose, channel, granted, effective_at, recorded_at) "
             "VALUES (%d, '%s', '%s', %d, '%s', '%.10s')",
             party, purpose, channel, granted, effective, effective);
    rp_error e = RP_ERROR_INIT;
    if (rp_store_exec(wh_store(w), sql, &e))
        fail_msg("%s: %s", sql, rp_errmsg(&e));
}

static const char *pref(wh *w, int64_t party, const char *name, char *buf, size_t n)
{
    json_t *p;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(wh_preferences(w, party, &p, &e), RP_OK);
    const char *v = json_string_value(json_object_get(json_object_get(p, name), "value"));
    snprintf(buf, n, "%s", v ? v : "(none)");
    json_decref(p);
    return buf;
}

/* Preferences in one written form; whether to contact, decided in one place. */
static void preferences_and_contactable(void **state)
{
    (void)state;
    wh *w = with_fixture();
    rp_error e = RP_ERROR_INIT;
    char b[64];
    int changed;
    static const struct { const char *name, *in, *out; } good[] = {
        { "days", "mon-wed, fri", "mon,tue,wed,fri" }, { "days", "Monday", "mon" },
        { "days", "every day", "mon,tue,wed,thu,fri,sat,sun" }, { "days", "weekdays", "mon,tue,wed,thu,fri" },
        { "hours", "0:00-24:00", "00:00-24:00" }, { "hours", "08:30-12:00", "08:30-12:00" },
        { "language", "EN", "en" }, { "channel", "Sms", "sms" },
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (wh_preference_set(w, 1, good[i].name, good[i].in, "t", NULL, &changed, &e))
            fail_msg("%s %s: %s", good[i].name, good[i].in, rp_errmsg(&e));
        assert_string_equal(pref(w, 1, good[i].name, b, sizeof b), good[i].out);
    }
    static const struct { const char *name, *in, *msg; } bad[] = {
        { "days", "fri-mon", "preferences.days: 'fri-mon' is not a day or a range of days (mon..sun)" },
        { "days", ",", "preferences.days: name at least one day (mon..sun)" },
        { "hours", "24:30-25:00", "preferences.hours: '24:30-25:00' is not HH:MM-HH:MM" },
        { "hours", "09:00-09:00", "preferences.hours: '09:00-09:00' ends before it starts" },
        { "mood", "good", "preferences: 'mood' is not one of language, channel, hours, days" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(wh_preference_set(w, 1, bad[i].name, bad[i].in, "t", NULL, &changed, &e), RP_INVAL);
        assert_string_equal(rp_errmsg(&e), bad[i].msg);
    }
    /* the same value again, and clearing what is not set, change nothing */
    int before = count(w, "SELECT count(*) FROM customer_change");
    assert_int_equal(wh_preference_set(w, 1, "language", "en", "t", NULL, &changed, &e), RP_OK);
    assert_int_equal(changed, 0);
    assert_int_equal(wh_preference_set(w, 2, "days", NULL, "t", NULL, &changed, &e), RP_OK);
    assert_int_equal(changed, 0);
    assert_int_equal(count(w, "SELECT count(*) FROM customer_change"), before);
    /* text longer than its field is refused whole, before anything is written; at the limit it is kept whole
     * (an address of 400 bytes was cut at 299) */
    char longer[WH_CONTACT_VALUE_MAX + 2];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = 0;
    char *old = NULL;
    int outcome;
    wh_contact addr = { .kind = "address", .purpose = "home", .value = longer };
    assert_int_equal(wh_contact_change(w, 1, &addr, "t", NULL, &old, &outcome, &e), RP_TOOBIG);
    assert_string_equal(rp_errmsg(&e), "contact.value: longer than 400 bytes");
    assert_int_equal(wh_contact_change(w, 1, &(wh_contact){ .kind = "email", .value = "a@b.tw" }, "t", longer + 150,
                                       &old, &outcome, &e),
                     RP_TOOBIG);
    assert_string_equal(rp_errmsg(&e), "contact.reason: longer than 250 bytes");
    assert_int_equal(wh_preference_set(w, 1, "language", "ja", "t", longer + 150, &changed, &e), RP_TOOBIG);
    assert_string_equal(rp_errmsg(&e), "preferences.reason: longer than 250 bytes");
    assert_int_equal(count(w, "SELECT count(*) FROM customer_change"), before);
    addr.value = longer + 1;
    assert_int_equal(wh_contact_change(w, 1, &addr, "t", longer + 151, &old, &outcome, &e), RP_OK);
    free(old);
    assert_int_equal(count(w, "SELECT count(*) FROM contact_point WHERE party_id = 1 AND length(value) = 400 AND "
                              "valid_to IS NULL"),
                     1);
    /* a source record merged into a customer is changed through that customer */
    assert_int_equal(rp_store_exec(wh_store(w), "UPDATE party SET merged_into = 1 WHERE id = 5", &e), RP_OK);
    assert_int_equal(wh_preference_set(w, 5, "language", "en", "t", NULL, &changed, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "party 5 is part of customer 1: change that customer");
    assert_int_equal(wh_preference_set(w, 99, "language", "en", "t", NULL, &changed, &e), RP_NOTFOUND);

    /* Monday 2026-11-23 12:00 in Taipei; she asked for Mondays to Wednesdays and Fridays, 08:30-12:00 */
    int64_t noon, morning;
    assert_int_equal(rp_time_parse("2026-11-23T04:00:00Z", &noon, &e), RP_OK);
    assert_int_equal(rp_time_parse("2026-11-23T01:00:00Z", &morning, &e), RP_OK);
    assert_int_equal(wh_preference_set(w, 1, "days", "mon-wed,fri", "t", NULL, &changed, &e), RP_OK);
    json_t *d;
    assert_int_equal(wh_contactable(w, 1, "marketing", "email", noon, &d, &e), RP_OK);
    assert_true(json_is_true(json_object_get(d, "allowed")));
    assert_true(json_is_false(json_object_get(d, "within_hours"))); /* 12:00 is the end: outside */
    assert_string_equal(json_string_value(json_object_get(d, "preferred_channel")), "sms");
    json_decref(d);
    assert_int_equal(wh_contactable(w, 1, "marketing", "email", morning, &d, &e), RP_OK);
    assert_true(json_is_true(json_object_get(d, "within_hours")));
    json_decref(d);
    /* a consent not yet in effect does not count */
    consent(w, 1, "marketing", "phone", 1, "2030-01-01T00:00:00Z");
    assert_int_equal(wh_contactable(w, 1, "marketing", "phone", noon, &d, &e), RP_OK);
    assert_true(json_is_false(json_object_get(d, "allowed")));
    assert_string_equal(json_string_value(json_object_get(d, "reason")), "no consent to marketing by phone on record");
    json_decref(d);
    /* the merged source record's consents count for the customer */
    consent(w, 5, "research", "any", 1, "2026-01-01T00:00:00Z");
    assert_int_equal(wh_contactable(w, 1, "research", "mail", noon, &d, &e), RP_OK);
    assert_true(json_is_true(json_object_get(d, "allowed")));
    json_decref(d);
    /* the deceased are not contacted but for their accounts' service */
    consent(w, 4, "marketing", "any", 1, "2020-01-01T00:00:00Z");
    assert_int_equal(wh_contactable(w, 4, "marketing", "mail", noon, &d, &e), RP_OK);
    assert_true(json_is_false(json_object_get(d, "allowed")));
    assert_string_equal(json_string_value(json_object_get(d, "reason")), "the customer is deceased");
    json_decref(d);
    assert_int_equal(wh_contactable(w, 1, "marketing", "fax", noon, &d, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "channel: 'fax' is not one of mail, email, sms, phone, app");
    wh_close(w);
}

/* ---- the schema's CHECK lists are the vocabulary's ----
 *
 * SQLite keeps a column's closed list in a CHECK (... IN ('a', 'b')) of the
 * table it was created with (migration 0001), and changing it is a
 * migration that rebuilds the table: adding a value to the vocabulary
 * where the schema has such a list is that row plus that migration.  This
 * test says which lists those are and that each holds exactly its
 * vocabulary's values, so the two never drift apart; a CHECK list the test
 * does not know fails it. */

/* The string literals of the list after "col IN (" or "col NOT IN (" in
 * sql, joined "a,b,c"; NULL when there is none. */
static const char *in_list(const char *sql, const char *col, char *out, size_t n)
{
    char pat[80];
    for (int neg = 0; neg < 2; neg++) {
        snprintf(pat, sizeof pat, "%s%s IN (", col, neg ? " NOT" : "");
        const char *p = strstr(sql, pat);
        if (!p)
            continue;
        p += strlen(pat);
        size_t k = 0;
        out[0] = 0;
        while (*p && *p != ')' && k < n) {
            if (*p == '\'') {
                const char *e = strchr(p + 1, '\'');
                if (!e)
                    break;
                k += (size_t)snprintf(out + k, n - k, "%s%.*s", k ? "," : "", (int)(e - p - 1), p + 1);
                p = e + 1;
            } else {
                p++;
            }
        }
        return out;
    }
    return NULL;
}

/* The schema's text where an object's lists of words are: SQLite's CREATE statement; PostgreSQL's CHECK
 * constraints of the table (of every table, for NULL), written back as SQLite writes an IN list:
 * "kind = ANY (ARRAY['a'::text, 'b'::text])" as "kind IN ('a', 'b')". */
static char *schema_text(wh *w, const char *object)
{
    rp_stmt *st;
    rp_error e = RP_ERROR_INIT;
    int pg = on_pg(w);
    const char *sql = !pg ? (object ? "SELECT sql FROM sqlite_master WHERE name = ?"
                                    : "SELECT group_concat(sql, ' ') FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL")
                          : object ? "SELECT string_agg(pg_get_constraintdef(k.oid), ' ') FROM pg_constraint k "
                                     "WHERE k.conrelid = to_regclass(?) AND k.contype = 'c'"
                                   : "SELECT string_agg(pg_get_constraintdef(k.oid), ' ') FROM pg_constraint k "
                                     "JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                                     "WHERE k.contype = 'c' AND NOT c.relispartition AND n.nspname = current_schema()";
    assert_ok(rp_store_prepare(wh_store(w), sql, &st, &e));
    if (object)
        rp_stmt_bind_text(st, 1, object);
    assert_int_equal(rp_stmt_step(st, &e), RP_ROW);
    const char *t = rp_stmt_text(st, 0) ? rp_stmt_text(st, 0) : "";
    char *out = malloc(strlen(t) + 1), *o = out;
    static const struct { const char *from, *to; } pgs[] = { { " = ANY (ARRAY[", " IN (" }, { " <> ALL (ARRAY[", " NOT IN (" },
                                                           { "::text", "" }, { "])", ")" } };
    while (*t) {
        size_t k = 0;
        while (pg && k < sizeof pgs / sizeof *pgs && strncmp(t, pgs[k].from, strlen(pgs[k].from)))
            k++;
        if (pg && k < sizeof pgs / sizeof *pgs) {
            o += sprintf(o, "%s", pgs[k].to);
            t += strlen(pgs[k].from);
        } else {
            *o++ = *t++;
        }
    }
    *o = 0;
    rp_stmt_done(st);
    return out;
}

static void schema_checks_are_the_vocabulary(void **state)
{
    (void)state;
    wh *w = fresh();
    int pg = on_pg(w);
    static const struct {
        const char *object, *col;
        const char *const *values;
    } lists[] = {
        { "party", "kind", wh_party_kinds },
        { "party", "gender", wh_genders },
        { "party", "status", wh_party_statuses },
        { "party_identifier", "type", wh_identifier_types },
        { "contact_point", "kind", wh_contact_kinds },
        { "contact_point", "purpose", wh_contact_purposes },
        { "product", "kind", wh_product_kinds },
        { "account", "status", wh_account_statuses },
        { "party_account", "role", wh_account_roles },
        { "party_link", "kind", wh_party_link_kinds },
        { "account_link", "kind", wh_account_link_kinds },
        { "interaction", "channel", wh_interaction_channels },
        { "interaction", "direction", wh_directions },
        { "interaction", "kind", wh_interaction_kinds },
        { "do_not_contact", "channel", wh_consent_channels },
        { "consent", "purpose", wh_consent_purposes },
        { "consent", "channel", wh_consent_channels },
        { "party_preference", "name", wh_preference_names },
        { "campaign_response", "source", wh_response_sources },
        { "txn_insert", "NEW.channel", wh_txn_channels }, /* the txn view's trigger (migration 0012) */
    };
    /* PostgreSQL: txn is a table with the check (its 0033) */
    static const char *const pg_objects[][2] = { { "txn_insert", "txn" }, { "NEW.channel", "channel" } };
    enum { NLISTS = sizeof lists / sizeof lists[0] };
    for (size_t i = 0; i < NLISTS; i++) {
        int txn = pg && !strcmp(lists[i].object, pg_objects[0][0]);
        char *text = schema_text(w, txn ? pg_objects[0][1] : lists[i].object);
        char got[1024], want[1024] = "";
        const char *l = in_list(text, txn ? pg_objects[1][1] : lists[i].col, got, sizeof got);
        free(text);
        if (!l)
            fail_msg("%s.%s: no IN list in the schema", lists[i].object, lists[i].col);
        for (const char *const *v = lists[i].values; *v; v++)
            snprintf(want + strlen(want), sizeof want - strlen(want), "%s%s", *want ? "," : "", *v);
        if (strcmp(got, want))
            fail_msg("%s.%s: the schema has (%s), the vocabulary (%s)", lists[i].object, lists[i].col, got, want);
    }
    /* no other list of words in a table's CHECK but twelve that are no vocabulary: load_job.status
     * (etl's), source_record.entity (the lineage's), customer_change.what, sign_in_failure.kind,
     * user_request.kind and user_request.status (security's), model.status (the models'),
     * do_not_contact.reason (wh_dnc_reasons()), and marketing's campaign_plan.purpose and .status,
     * campaign_cell.channel (test_marketing checks them against its lists) and campaign_send.status; and
     * five of migration 0027's: event_rule.route, customer_event.via, lead.queue, lead.status and
     * channel_capacity.channel (the cell channels, as campaign_cell's); and five of migration 0028's, the
     * contact centre's: cc_skill.kind, cc_queue.channel, cc_agent.state, cc_interaction.direction and
     * .state (test_contact checks them against the module's lists); and three of migration 0031's, the
     * diallers': cc_dialler.state, cc_dial.state and cc_dial.response (dial.c writes no other);
     * and two of migration 0032's, the customer chat's: cc_chat.lang and cc_chat_message.sender (chat.c
     * refuses any other) */
    int found = 0;
    char *all = schema_text(w, NULL);
    for (const char *p = all; (p = strstr(p, " IN ('")); p++)
        found++;
    free(all);
    /* on PostgreSQL txn's channel is a table's check too */
    assert_int_equal(found, NLISTS - 1 + pg + 12 + 5 + 5 + 3 + 2);
    wh_close(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(national_ids),         cmocka_unit_test(identifier_messages),
        cmocka_unit_test(phones_to_e164),       cmocka_unit_test(emails_money_dates),
        cmocka_unit_test(open_keys),            cmocka_unit_test(party_and_identifiers),
        cmocka_unit_test(accounts_and_history), cmocka_unit_test(primary_holder),
        cmocka_unit_test(find_by_every_key),
        cmocka_unit_test(names_by_any_part),
        cmocka_unit_test(searches_narrow_cap_and_find_accounts_as_typed),
        cmocka_unit_test(follow_ups_due),
        cmocka_unit_test(transactions_in_blocks),
        cmocka_unit_test(contacts_put_again),
        cmocka_unit_test(transactions_by_month),
        cmocka_unit_test(transactions_kept_by_another_connection),
        cmocka_unit_test(customer_360),         cmocka_unit_test(import_is_all_or_nothing),
        cmocka_unit_test(preferences_and_contactable),
        cmocka_unit_test(schema_checks_are_the_vocabulary),
    };
    return cmocka_run_group_tests_name("warehouse", tests, NULL, NULL);
}
