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

/* A phone's digits (after a leading +, *plus set) and its extension's. */
static int phone_digits(const char *in, char d[40], int *plus, char extd[16], rp_error *err)
{
    size_t nd = 0;
    const char *ext = NULL;
    const char *p = in;
    *plus = 0;
    while (*p == ' ')
        p++;
    if (*p == '+') {
        *plus = 1;
        p++;
    }
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (isdigit(c)) {
            if (nd + 1 >= 40)
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
    *extd = 0;
    if (ext) {
        size_t ne = 0;
        for (const char *q = ext; *q; q++)
            if (isdigit((unsigned char)*q) && ne + 1 < 16)
                extd[ne++] = *q;
        extd[ne] = 0;
        if (!ne)
            return rp_err(err, RP_INVAL, "invalid phone '%s': extension without digits", in);
    }
    return RP_OK;
}

/* The calling codes (ITU-T E.164) and trunk prefixes of the countries a
 * Taiwanese bank's foreign customers mostly come from: a number written as
 * that country writes it at home is read by its country.  A country not
 * here needs its numbers written with + and the calling code. */
static const struct calling {
    char country[3];
    char code[4];
    char trunk; /* the domestic prefix dropped after the calling code; 0 none (kept, as Italy's 0) */
} callings[] = { /* the international prefix is 00 but where intl_prefix() says otherwise */
    { "AT", "43", '0' },  { "AU", "61", '0' },  { "BE", "32", '0' }, { "BR", "55", '0' },  { "CA", "1", '1' },
    { "CH", "41", '0' },  { "CN", "86", '0' },  { "DE", "49", '0' }, { "DK", "45", 0 },    { "ES", "34", 0 },
    { "FI", "358", '0' }, { "FR", "33", '0' },  { "GB", "44", '0' }, { "HK", "852", 0 },   { "ID", "62", '0' },
    { "IE", "353", '0' }, { "IN", "91", '0' },  { "IT", "39", 0 },   { "JP", "81", '0' },  { "KR", "82", '0' },
    { "MO", "853", 0 },   { "MX", "52", 0 },    { "MY", "60", '0' }, { "NL", "31", '0' },  { "NO", "47", 0 },
    { "NZ", "64", '0' },  { "PH", "63", '0' },  { "PT", "351", 0 },  { "RU", "7", '8' },   { "SE", "46", '0' },
    { "SG", "65", 0 },    { "TH", "66", '0' },  { "TW", "886", '0' }, { "US", "1", '1' },  { "VN", "84", '0' },
};

int wh_country_ok(const char *field, const char *in, char out[3], rp_error *err)
{
    *out = 0;
    if (!in || !*in)
        return RP_OK;
    if (strlen(in) != 2 || !isalpha((unsigned char)in[0]) || !isalpha((unsigned char)in[1]))
        return rp_err(err, RP_INVAL, "%s: '%s' is not a country code (ISO 3166 two letters: TW, JP, US, ...)",
                      field, in);
    out[0] = (char)toupper((unsigned char)in[0]);
    out[1] = (char)toupper((unsigned char)in[1]);
    out[2] = 0;
    return RP_OK;
}

static int is_taiwan(const char *country) { return !country || !*country || !strcmp(country, "TW"); }

int wh_postal_code_ok(const char *country, const char *code, rp_error *err)
{
    if (!code || !*code)
        return RP_OK;
    size_t n = strlen(code);
    if (is_taiwan(country)) {
        int ok = n == 3 || n == 5 || n == 6;
        for (size_t i = 0; i < n; i++)
            ok = ok && code[i] >= '0' && code[i] <= '9';
        return ok ? RP_OK
                  : rp_err(err, RP_INVAL, "contact.postal_code: '%s' is not a 3, 5 or 6 digit code (Taiwan's; "
                                          "another country's address says so in contact.country)", code);
    }
    /* elsewhere leniently: 2 to 10 letters, digits, blanks and hyphens, with a digit or letter at each end */
    int ok = n >= 2 && n <= 10 && isalnum((unsigned char)code[0]) && isalnum((unsigned char)code[n - 1]);
    for (size_t i = 0; i < n; i++)
        ok = ok && (isalnum((unsigned char)code[i]) || code[i] == ' ' || code[i] == '-');
    return ok ? RP_OK
              : rp_err(err, RP_INVAL, "contact.postal_code: '%s' is not a postal code (%s: 2 to 10 letters, digits, "
                                      "blanks and hyphens)", code, country);
}

/* Taiwan's numbers: d after the country code or trunk 0, into e164 */
static int taiwan_number(const char *in, const char *nsn, char e164[48], rp_error *err)
{
    size_t l = strlen(nsn);
    if (nsn[0] == '9' ? l != 9 : (l < 8 || l > 9 || nsn[0] == '0' || nsn[0] == '1'))
        return rp_err(err, RP_INVAL, "invalid phone '%s': not a Taiwan number (%s digits after 0)", in,
                      nsn[0] == '9' ? "mobile needs 9" : "landline needs 8 or 9");
    snprintf(e164, 48, "+886%s", nsn);
    return RP_OK;
}

/* The prefix a country dials abroad with, where it is not 00 */
static const char *intl_prefix(const char *country)
{
    if (!strcmp(country, "US") || !strcmp(country, "CA"))
        return "011";
    if (!strcmp(country, "AU"))
        return "0011";
    if (!strcmp(country, "JP"))
        return "010";
    return "00";
}

/* A number written as at home in country (not Taiwan; one dialled abroad from there, after its
 * international prefix, is read by the caller), into e164: the calling code before it, its trunk prefix
 * dropped (NANP's 1 and Russia's 8 only before ten digits more). */
static int domestic_number(const char *in, const char *country, const char *d, char e164[48], rp_error *err)
{
    const struct calling *c = NULL;
    for (size_t i = 0; i < sizeof callings / sizeof *callings && !c; i++)
        if (!strcmp(callings[i].country, country))
            c = &callings[i];
    if (!c)
        return rp_err(err, RP_INVAL, "invalid phone '%s': write it with + and the calling code (%s's numbers are "
                                     "not read without one)", in, country);
    if (c->code[0] == '1' && !c->code[1] && d[0] == '0')
        return rp_err(err, RP_INVAL, "invalid phone '%s': a North American number begins with 2 to 9 (or 1 and "
                                     "ten digits)", in);
    int long_trunk = c->trunk == '1' || c->trunk == '8';
    if (c->trunk && d[0] == c->trunk && (!long_trunk || strlen(d) == 11))
        d++;
    snprintf(e164, 48, "+%s%s", c->code, d);
    return RP_OK;
}

int wh_phone_normalise_in(const char *country, const char *in, char *out, size_t n, char *lookup, size_t ln,
                          rp_error *err)
{
    char d[40], extd[16], e164[48];
    int plus, rc = phone_digits(in, d, &plus, extd, err);
    if (rc)
        return rc;
    size_t nd = strlen(d);
    const char *ip = is_taiwan(country) ? "00" : intl_prefix(country); /* the country's prefix abroad */
    int intl = nd > strlen(ip) + 3 && !strncmp(d, ip, strlen(ip));
    const char *cc = plus ? d : intl ? d + strlen(ip) : NULL; /* the number after its calling code's + or prefix */
    if (!cc && is_taiwan(country) && nd >= 11 && memcmp(d, "886", 3) == 0)
        cc = d; /* 886... without + */
    if (cc && strlen(cc) >= 3 && memcmp(cc, "886", 3) == 0) {
        rc = taiwan_number(in, cc[3] == '0' ? cc + 4 : cc + 3, e164, err); /* +886 0912...: the trunk 0 too */
    } else if (cc) {
        snprintf(e164, sizeof e164, "+%s", cc);
    } else if (is_taiwan(country)) {
        rc = d[0] == '0' ? taiwan_number(in, d + 1, e164, err)
                         : rp_err(err, RP_INVAL, "invalid phone '%s': missing area code or country code", in);
    } else {
        rc = domestic_number(in, country, d, e164, err);
    }
    if (rc)
        return rc;
    size_t digits = strlen(e164) - 1;
    if (digits < 8 || digits > 15)
        return rp_err(err, RP_INVAL, "invalid phone '%s': E.164 numbers have 8 to 15 digits", in);
    if (lookup)
        snprintf(lookup, ln, "%s", e164);
    if (*extd)
        snprintf(out, n, "%s;ext=%s", e164, extd);
    else
        snprintf(out, n, "%s", e164);
    return RP_OK;
}

int wh_phone_normalise(const char *in, char *out, size_t n, char *lookup, size_t ln, rp_error *err)
{
    return wh_phone_normalise_in(NULL, in, out, n, lookup, ln, err);
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
