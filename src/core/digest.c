/* digest.c — SHA-256 by libcrypto (digest.h). */
#include "core/digest.h"
#include <errno.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libcrypto's failure: SHA-256 of its default provider fails only for want of memory (which
 * libcrypto says, when it still can) or a broken installation (which it names). */
static int crypto_failure(rp_error *err, const char *what)
{
    unsigned long e, other = 0;
    while ((e = ERR_get_error()))
        if (ERR_GET_REASON(e) != ERR_R_MALLOC_FAILURE)
            other = e;
    if (!other)
        return rp_err(err, RP_NOMEM, "SHA-256: %s: %s", what, rp_strerror(RP_NOMEM));
    /* OpenSSL 3.0 says "initialization error" when an allocation inside EVP_MD_fetch failed */
    char m[256];
    ERR_error_string_n(other, m, sizeof m);
    return rp_err(err, RP_INTERNAL, "SHA-256: %s (out of memory, or OpenSSL is not installed as it should be: %s)",
                  what, m);
}

int rp_sha256_init(rp_sha256 *s, rp_error *err)
{
    s->failed = 0;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (!c || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(c);
        s->ctx = NULL;
        return crypto_failure(err, "libcrypto could not start a digest");
    }
    s->ctx = c;
    return RP_OK;
}

void rp_sha256_update(rp_sha256 *s, const void *p, size_t n)
{
    if (s->ctx && n && EVP_DigestUpdate(s->ctx, p, n) != 1)
        s->failed = 1;
}

int rp_sha256_final(rp_sha256 *s, char hex[65], rp_error *err)
{
    unsigned char h[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    hex[0] = 0;
    if (!s->ctx || s->failed || EVP_DigestFinal_ex(s->ctx, h, &n) != 1 || n != 32) {
        rp_sha256_abandon(s);
        return crypto_failure(err, "libcrypto could not finish a digest");
    }
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        hex[2 * i] = digits[h[i] >> 4];
        hex[2 * i + 1] = digits[h[i] & 15];
    }
    hex[64] = 0;
    rp_sha256_abandon(s);
    return RP_OK;
}

void rp_sha256_abandon(rp_sha256 *s)
{
    EVP_MD_CTX_free(s->ctx);
    s->ctx = NULL;
}

int rp_sha256_file(const char *path, char hex[65], int64_t *bytes, rp_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return rp_err(err, RP_IO, "%s: cannot open: %s", path, strerror(errno));
    rp_sha256 s;
    unsigned char *buf = malloc(1 << 20);
    int rc = buf ? rp_sha256_init(&s, err) : rp_err(err, RP_NOMEM, NULL);
    if (rc) {
        free(buf);
        fclose(f);
        return rc;
    }
    size_t n;
    int64_t total = 0;
    while ((n = fread(buf, 1, 1 << 20, f)) > 0) {
        rp_sha256_update(&s, buf, n);
        total += (int64_t)n;
    }
    int bad = ferror(f);
    fclose(f);
    free(buf);
    if (bad) {
        rp_sha256_abandon(&s);
        return rp_err(err, RP_IO, "%s: read error", path);
    }
    if ((rc = rp_sha256_final(&s, hex, err)))
        return rc;
    *bytes = total;
    return RP_OK;
}
