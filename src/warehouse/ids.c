/* ids.c — identifier, phone, e-mail, date and money rules (pure functions). */
#include "warehouse/internal.h"
#include "core/progress.h"
#include "core/rtime.h"
#include "core/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Letter codes of the Taiwan national ID: A=10 ... Z=33 (not alphabetical
 * after H: I=34, O=35, W=32, X=30, Y=31, Z=33). */
static int letter_code(char c)
{
    static const int codes[26] = { 10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21,
                                   22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33 };
    if (c < 'A' || c > 'Z')
        return -1;
    return codes[c - 'A'];
}

/* Weighted sum over: letter code (tens x1, units x9), then the digit at
 * positions 1..8 with weights 8..1, then the check digit x1. */
static int id_checksum_ok(int code, int second, const char *s)
{
    int sum = code / 10 + (code % 10) * 9 + second * 8;
    for (int i = 2; i <= 8; i++)
        sum += (s[i] - '0') * (9 - i);
    sum += s[9] - '0';
    return sum % 10 == 0;
}

static int all_digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

int wh_check_national_id(const char *s)
{
    if (strlen(s) != 10 || letter_code(s[0]) < 0 || (s[1] != '1' && s[1] != '2') ||
        !all_digits(s + 1, 9))
        return 0;
    return id_checksum_ok(letter_code(s[0]), s[1] - '0', s);
}

int wh_check_resident_cert(const char *s)
{
    if (strlen(s) != 10 || letter_code(s[0]) < 0 || !all_digits(s + 2, 8))
        return 0;
    if (s[1] == '8' || s[1] == '9') /* the 2021 form, same rule as national IDs */
        return id_checksum_ok(letter_code(s[0]), s[1] - '0', s);
    if (s[1] >= 'A' && s[1] <= 'D') /* the older form: second letter's code, units digit */
        return id_checksum_ok(letter_code(s[0]), letter_code(s[1]) % 10, s);
    return 0;
}

int wh_check_ubn(const char *s)
{
    static const int w[8] = { 1, 2, 1, 2, 1, 2, 4, 1 };
    if (strlen(s) != 8 || !all_digits(s, 8))
        return 0;
    int sum = 0;
    for (int i = 0; i < 8; i++) {
        int p = (s[i] - '0') * w[i];
        sum += p / 10 + p % 10;
    }
    /* Ministry of Finance rule since 2023: divisible by 5 (was 10); when the
     * seventh digit is 7 its product 28 may count as 10 or as 1. */
    return sum % 5 == 0 || (s[6] == '7' && (sum + 1) % 5 == 0);
}

static int in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

static int id_flags(const char *type)
{
#define ID_FLAGS(v, zh, en, flags) if (!strcmp(type, v)) return flags;
    WH_IDENTIFIER_TYPES(ID_FLAGS)
#undef ID_FLAGS
    return 0;
}
int wh_identifier_sealed(const char *type) { return type && (id_flags(type) & WH_ID_SEALED); }
int wh_identifier_needs_issuer(const char *type) { return type && (id_flags(type) & WH_ID_ISSUER); }

/* Copy without spaces, dashes; upper-cased when upper. */
static int squeeze(const char *in, char *out, size_t n, int upper)
{
    size_t j = 0;
    for (const char *p = in; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ' || c == '-' || c == '\t')
            continue;
        if (j + 1 >= n)
            return -1;
        out[j++] = upper ? (char)toupper(c) : (char)c;
    }
    out[j] = 0;
    return (int)j;
}

int wh_identifier_normalise(const char *type, const char *value, char *out, size_t n,
                            rp_error *err)
{
    if (!type || !in_list(type, wh_identifier_types)) {
        char list[256];
        wh__list_join(wh_identifier_types, list, sizeof list);
        return rp_err(err, RP_INVAL, "unknown identifier type '%s' (%s)", type ? type : "", list);
    }
    if (!value || !*value)
        return rp_err(err, RP_INVAL, "empty %s", type);
    if (strlen(value) > 64)
        return rp_err(err, RP_TOOBIG, "%s longer than 64 characters", type);
    int upper = !wh_identifier_needs_issuer(type);
    int len = squeeze(value, out, n, upper);
    if (len <= 0)
        return rp_err(err, RP_INVAL, "empty %s", type);
    if (strcmp(type, "national_id") == 0) {
        if (len != 10 || letter_code(out[0]) < 0 || !all_digits(out + 1, 9))
            return rp_err(err, RP_INVAL,
                          "invalid national ID '%s': expected a letter and nine digits", value);
        if (out[1] == '8' || out[1] == '9')
            return rp_err(err, RP_INVAL,
                          "invalid national ID '%s': this is a resident certificate number", value);
        if (out[1] != '1' && out[1] != '2')
            return rp_err(err, RP_INVAL, "invalid national ID '%s': second character must be 1 or 2",
                          value);
        if (!wh_check_national_id(out))
            return rp_err(err, RP_CHECKSUM, "invalid national ID '%s': checksum does not match",
                          value);
    } else if (strcmp(type, "resident_cert") == 0) {
        if (len != 10)
            return rp_err(err, RP_INVAL, "invalid resident certificate '%s': expected 10 characters",
                          value);
        if (!wh_check_resident_cert(out))
            return rp_err(err, RP_CHECKSUM,
                          "invalid resident certificate '%s': checksum does not match", value);
    } else if (strcmp(type, "ubn") == 0) {
        if (len != 8 || !all_digits(out, 8))
            return rp_err(err, RP_INVAL, "invalid UBN '%s': expected eight digits", value);
        if (!wh_check_ubn(out))
            return rp_err(err, RP_CHECKSUM, "invalid UBN '%s': checksum does not match", value);
    } else if (strcmp(type, "passport") == 0 || strcmp(type, "tax_id") == 0) {
        for (int i = 0; i < len; i++)
            if (!isalnum((unsigned char)out[i]))
                return rp_err(err, RP_INVAL, "invalid %s '%s': letters and digits only", type, value);
        if (len < 5 || len > 20)
            return rp_err(err, RP_INVAL, "invalid %s '%s': 5 to 20 letters and digits", type, value);
    } else {
        for (int i = 0; i < len; i++)
            if ((unsigned char)out[i] < 0x21 || out[i] == 0x7f)
                return rp_err(err, RP_INVAL, "invalid %s '%s': control character", type, value);
        if (!rp_utf8_valid(out, (size_t)len, NULL))
            return rp_err(err, RP_ENCODING, "invalid %s: not UTF-8", type);
    }
    return RP_OK;
}

void wh_mask(const char *v, char *out, size_t n)
{
    size_t len = strlen(v);
    size_t keep_head = len >= 8 ? 3 : (len >= 4 ? 1 : 0);
    size_t keep_tail = len >= 8 ? 3 : (len >= 4 ? 1 : 0);
    size_t j = 0;
    for (size_t i = 0; i < len && j + 1 < n; i++)
        out[j++] = (i < keep_head || i >= len - keep_tail) ? v[i] : '*';
    out[j] = 0;
}

int wh_phone_normalise(const char *in, char *out, size_t n, char *lookup, size_t ln, rp_error *err)
{
    char d[40];
    size_t nd = 0;
    const char *ext = NULL;
    int plus = 0;
    const char *p = in;
    while (*p == ' ')
        p++;
    if (*p == '+') {
        plus = 1;
        p++;
    }
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (isdigit(c)) {
            if (nd + 1 >= sizeof d)
                return rp_err(err, RP_INVAL, "invalid phone '%s': too many digits", in);
            d[nd++] = (char)c;
        } else if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' || c == '/') {
            continue;
        } else if (c == '#' || c == 'x' || c == 'X' || strncmp(p, "ext", 3) == 0 ||
                   strncmp(p, ",", 1) == 0 || strncmp(p, "\xE5\x88\x86\xE6\xA9\x9F", 6) == 0) {
            ext = p;
            break;
        } else {
            return rp_err(err, RP_INVAL, "invalid phone '%s': unexpected character '%c'", in,
                          isprint(c) ? c : '?');
        }
    }
    d[nd] = 0;
    char extd[16] = "";
    if (ext) {
        size_t ne = 0;
        for (const char *q = ext; *q; q++)
            if (isdigit((unsigned char)*q) && ne + 1 < sizeof extd)
                extd[ne++] = *q;
        extd[ne] = 0;
        if (!ne)
            return rp_err(err, RP_INVAL, "invalid phone '%s': extension without digits", in);
    }
    const char *nsn; /* national significant number for Taiwan */
    char e164[48];
    int intl00 = nd > 5 && memcmp(d, "00", 2) == 0;
    int tw00 = intl00 && memcmp(d + 2, "886", 3) == 0;
    int tw = nd >= 11 && memcmp(d, "886", 3) == 0;
    int foreign = 0; /* another country's number, kept as given in E.164 */
    if (!plus && intl00 && !tw00) {
        /* 00 international prefix followed by another country's code */
        snprintf(e164, sizeof e164, "+%s", d + 2);
        foreign = 1;
    } else if (plus || tw || tw00) {
        const char *cc = tw00 ? d + 2 : d;
        if (strlen(cc) < 3 || memcmp(cc, "886", 3) != 0) {
            snprintf(e164, sizeof e164, "+%s", cc);
            foreign = 1;
        } else {
            nsn = cc + 3;
            if (*nsn == '0') /* +886 0912... written with the trunk prefix */
                nsn++;
        }
    } else if (d[0] == '0') {
        nsn = d + 1;
    } else {
        return rp_err(err, RP_INVAL, "invalid phone '%s': missing area code or country code", in);
    }
    if (foreign) {
        if (strlen(e164) < 9 || strlen(e164) > 16)
            return rp_err(err, RP_INVAL, "invalid phone '%s': E.164 numbers have 8 to 15 digits", in);
    } else {
        size_t l = strlen(nsn);
        if (nsn[0] == '9' ? l != 9 : (l < 8 || l > 9 || nsn[0] == '0' || nsn[0] == '1'))
            return rp_err(err, RP_INVAL, "invalid phone '%s': not a Taiwan number (%s digits after 0)", in,
                          nsn[0] == '9' ? "mobile needs 9" : "landline needs 8 or 9");
        snprintf(e164, sizeof e164, "+886%s", nsn);
    }
    if (lookup)
        snprintf(lookup, ln, "%s", e164);
    if (*extd)
        snprintf(out, n, "%s;ext=%s", e164, extd);
    else
        snprintf(out, n, "%s", e164);
    return RP_OK;
}

int wh_email_normalise(const char *in, char *out, size_t n, char *lookup, size_t ln, rp_error *err)
{
    while (*in == ' ')
        in++;
    size_t len = strlen(in);
    while (len && in[len - 1] == ' ')
        len--;
    if (len == 0 || len > 254)
        return rp_err(err, RP_INVAL, "invalid e-mail '%s': 1 to 254 characters", in);
    const char *at = memchr(in, '@', len);
    if (!at || at == in || memchr(at + 1, '@', len - (size_t)(at + 1 - in)))
        return rp_err(err, RP_INVAL, "invalid e-mail '%.*s': needs one @ with a name before it",
                      (int)len, in);
    const char *dom = at + 1;
    size_t dl = len - (size_t)(dom - in);
    if (dl < 3 || !memchr(dom, '.', dl) || dom[0] == '.' || dom[dl - 1] == '.')
        return rp_err(err, RP_INVAL, "invalid e-mail '%.*s': domain needs a dot", (int)len, in);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)in[i] <= ' ' || in[i] == '<' || in[i] == '>' || in[i] == ',')
            return rp_err(err, RP_INVAL, "invalid e-mail '%.*s': space or separator", (int)len, in);
    if (!rp_utf8_valid(in, len, NULL))
        return rp_err(err, RP_ENCODING, "invalid e-mail: not UTF-8");
    if (len + 1 > n || len + 1 > ln)
        return rp_err(err, RP_TOOBIG, "e-mail too long");
    memcpy(out, in, len);
    out[len] = 0;
    for (size_t i = 0; i < len; i++)
        lookup[i] = (char)tolower((unsigned char)in[i]);
    lookup[len] = 0;
    return RP_OK;
}

int wh_currency_exponent(const char *c)
{
    static const char *const zero[] = { "JPY", "KRW", "VND", "CLP", "ISK", "PYG", "UGX", NULL };
    static const char *const three[] = { "BHD", "KWD", "OMR", "JOD", "TND", "LYD", "IQD", NULL };
    if (c && in_list(c, zero))
        return 0;
    if (c && in_list(c, three))
        return 3;
    return 2; /* TWD, USD, EUR, CNY, HKD, ... (ISO 4217) */
}

void wh_money_format(int64_t minor, const char *currency, char *out, size_t n)
{
    int e = wh_currency_exponent(currency);
    int64_t scale = e == 0 ? 1 : e == 3 ? 1000 : 100;
    uint64_t a = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
    char whole[40];
    rp_format_thousands(whole, sizeof whole, a / (uint64_t)scale);
    if (e == 0)
        snprintf(out, n, "%s%s %s", minor < 0 ? "-" : "", whole, currency ? currency : "");
    else
        snprintf(out, n, "%s%s.%0*llu %s", minor < 0 ? "-" : "", whole, e,
                 (unsigned long long)(a % (uint64_t)scale), currency ? currency : "");
}

int wh_date_normalise(const char *field, const char *in, char out[11], const char **res,
                      rp_error *err)
{
    *res = NULL;
    if (!in || !*in)
        return RP_OK;
    rp_date d;
    int rc = rp_date_parse(in, &d, err);
    if (rc)
        return rp_err_prefix(err, "%s", field);
    rp_date_format(d, out);
    *res = out;
    return RP_OK;
}
