/* totp.c — the second factor: RFC 6238 codes (liboath), enrolment, a code
 * accepted once.  See security.h ("the second factor").  Table user_totp,
 * migration 0017. */
#include "security/internal.h"

#include <ctype.h>
#include <oath.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int oath_ok;
static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static void start_oath(void) { oath_ok = oath_init() == OATH_OK; }

static int need_oath(rp_error *err)
{
    pthread_once(&oath_once, start_oath);
    return oath_ok ? RP_OK : rp_err(err, RP_CRYPTO, "liboath could not start");
}

int sec_totp_code(const void *secret, size_t n, int64_t t, int digits, sec_totp_hash h, char *out, rp_error *err)
{
    int rc = need_oath(err);
    if (rc)
        return rc;
    if (digits < 6 || digits > 8)
        return rp_err(err, RP_INVAL, "digits: 6 to 8, not %d", digits);
    int flags = h == SEC_TOTP_SHA256 ? OATH_TOTP_HMAC_SHA256 : h == SEC_TOTP_SHA512 ? OATH_TOTP_HMAC_SHA512 : 0;
    int o = oath_totp_generate2(secret, n, (time_t)t, SEC_TOTP_STEP, OATH_TOTP_DEFAULT_START_TIME, (unsigned)digits,
                                flags, out);
    return o == OATH_OK ? RP_OK : rp_err(err, RP_CRYPTO, "TOTP: %s", oath_strerror(o));
}

int sec_totp_roles_parse(const char *list, unsigned *roles, rp_error *err)
{
    *roles = 0;
    const char *p = list ? list : "";
    while (*p) {
        size_t skip = strspn(p, ", \t");
        p += skip;
        size_t n = strcspn(p, ", \t");
        if (!n)
            break;
        char word[32];
        snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word - 1 ? n : sizeof word - 1), p);
        int r = sec_role_parse(word);
        if (r >= 0)
            *roles |= 1u << r;
        else if (strcmp(word, "none"))
            return rp_err(err, RP_INVAL, "'%.*s' is not a role (one of teller, rm, csr, tsr, supervisor, analyst, "
                          "steward, admin, auditor, or none)", (int)n, p);
        p += n;
    }
    return RP_OK;
}

/* ---- the table ---- */

int sec_totp_enrol(rp_store *s, const rp_keyring *k, const char *name, const char *by, int64_t now,
                   sec_totp_enrolment *out, rp_error *err)
{
    memset(out, 0, sizeof *out);
    sec_user u;
    int rc = need_oath(err);
    if (rc || (rc = sec_user_get(s, name, &u, err)))
        return rc;
    unsigned char secret[SEC_TOTP_SECRET_BYTES], sealed[SEC_TOTP_SECRET_BYTES + RP_SEAL_OVERHEAD];
    randombytes_buf(secret, sizeof secret);
    char *b32 = NULL;
    size_t len = 0;
    if (oath_base32_encode((const char *)secret, sizeof secret, &b32, &len) != OATH_OK || len >= sizeof out->secret) {
        sodium_memzero(secret, sizeof secret);
        free(b32);
        return rp_err(err, RP_NOMEM, "TOTP: the secret could not be written in base32");
    }
    rp_seal(k, secret, sizeof secret, sealed);
    sodium_memzero(secret, sizeof secret);
    memcpy(out->secret, b32, len);
    sodium_memzero(b32, len);
    free(b32);
    snprintf(out->uri, sizeof out->uri,
             "otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1&digits=%d&period=%d", SEC_TOTP_ISSUER,
             u.name, out->secret, SEC_TOTP_ISSUER, SEC_TOTP_DIGITS, SEC_TOTP_STEP);
    rp_stmt *st;
    if ((rc = rp_store_prepare(s,
                               "INSERT INTO user_totp(user_id, secret, last_step, enrolled_at, enrolled_by) "
                               "VALUES (?, ?, 0, ?, ?) ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, "
                               "last_step = 0, enrolled_at = excluded.enrolled_at, enrolled_by = excluded.enrolled_by",
                               &st, err))) {
        sodium_memzero(out, sizeof *out);
        return rc;
    }
    rp_stmt_bind_int(st, 1, u.id);
    rp_stmt_bind_blob(st, 2, sealed, sizeof sealed);
    rp_stmt_bind_int(st, 3, now);
    rp_stmt_bind_text(st, 4, by ? by : "");
    if ((rc = rp_stmt_run(st, err)))
        sodium_memzero(out, sizeof *out);
    return rc;
}

int sec_totp_remove(rp_store *s, const char *name, int *had, rp_error *err)
{
    sec_user u;
    int rc = sec_user_get(s, name, &u, err);
    if (rc)
        return rc;
    rp_stmt *st;
    if ((rc = rp_store_prepare(s, "DELETE FROM user_totp WHERE user_id = ?", &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, u.id);
    if ((rc = rp_stmt_run(st, err)))
        return rc;
    if (had)
        *had = rp_store_changes(s) > 0;
    return RP_OK;
}

int sec_totp_enrolled(rp_store *s, int64_t user_id, int *yes, rp_error *err)
{
    *yes = 0;
    rp_stmt *st;
    int rc = rp_store_prepare(s, "SELECT 1 FROM user_totp WHERE user_id = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, user_id);
    rc = rp_stmt_step(st, err);
    *yes = rc == RP_ROW;
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

int sec_totp_users(rp_store *s, json_t **names, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(s,
                              "SELECT u.name FROM user_totp t JOIN app_user u ON u.id = t.user_id ORDER BY u.name",
                              &st, err);
    if (rc)
        return rc;
    json_t *a = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        json_array_append_new(a, json_string(rp_stmt_text(st, 0)));
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(a);
        return rc;
    }
    *names = a;
    return RP_OK;
}

/* ---- checking a code ---- */

/* The user's secret, unsealed into out: RP_OK, or RP_NOTFOUND with none enrolled. */
static int read_secret(rp_store *s, const rp_keyring *k, int64_t user_id, unsigned char out[SEC_TOTP_SECRET_BYTES],
                       int64_t *last_step, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(s, "SELECT secret, last_step FROM user_totp WHERE user_id = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, user_id);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        size_t n = rp_stmt_bytes(st, 0);
        *last_step = rp_stmt_int(st, 1);
        rc = n != SEC_TOTP_SECRET_BYTES + RP_SEAL_OVERHEAD || rp_unseal(k, rp_stmt_blob(st, 0), n, out) != RP_OK
                 ? rp_err(err, RP_CRYPTO, "the second factor's secret of user %lld cannot be opened with this key",
                          (long long)user_id)
                 : RP_OK;
    } else if (rc == RP_DONE) {
        rc = rp_err(err, RP_NOTFOUND, "no second factor enrolled");
    }
    rp_stmt_done(st);
    return rc;
}

/* Record step as the last one used, unless it is not later than the one recorded: *taken. */
static int take_step(rp_store *s, int64_t user_id, int64_t step, int *taken, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(s, "UPDATE user_totp SET last_step = ? WHERE user_id = ? AND last_step < ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, step);
    rp_stmt_bind_int(st, 2, user_id);
    rp_stmt_bind_int(st, 3, step);
    if ((rc = rp_stmt_run(st, err)))
        return rc;
    *taken = rp_store_changes(s) == 1;
    return RP_OK;
}

int sec_totp_check(rp_store *s, const rp_keyring *k, int64_t user_id, const char *code, int64_t now, rp_error *err)
{
    static const char *const wrong = "the one-time code is missing, wrong or already used";
    int rc = need_oath(err);
    if (rc)
        return rc;
    /* six digits, blanks between groups allowed ("123 456") */
    char digits[SEC_TOTP_DIGITS + 1];
    size_t n = 0;
    for (const char *c = code ? code : ""; *c; c++) {
        if (*c == ' ')
            continue;
        if (!isdigit((unsigned char)*c) || n == SEC_TOTP_DIGITS)
            return rp_err(err, RP_NOTFOUND, "%s", wrong);
        digits[n++] = *c;
    }
    digits[n] = 0;
    if (n != SEC_TOTP_DIGITS)
        return rp_err(err, RP_NOTFOUND, "%s", wrong);
    unsigned char secret[SEC_TOTP_SECRET_BYTES];
    int64_t last = 0;
    if ((rc = read_secret(s, k, user_id, secret, &last, err)))
        return rc == RP_NOTFOUND ? rp_err(err, RP_NOTFOUND, "%s", wrong) : rc;
    int pos = 0;
    uint64_t step = 0;
    int o = oath_totp_validate3((const char *)secret, sizeof secret, (time_t)now, SEC_TOTP_STEP,
                                OATH_TOTP_DEFAULT_START_TIME, SEC_TOTP_WINDOW, &pos, &step, digits);
    sodium_memzero(secret, sizeof secret);
    if (o < 0)
        return rp_err(err, RP_NOTFOUND, "%s", wrong);
    int taken = 0;
    if ((int64_t)step <= last || (rc = take_step(s, user_id, (int64_t)step, &taken, err)) || !taken)
        return rc ? rc : rp_err(err, RP_NOTFOUND, "%s", wrong);
    return RP_OK;
}
