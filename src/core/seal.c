#include "core/seal.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct rp_keyring {
    unsigned char seal[crypto_secretbox_KEYBYTES];
    unsigned char hash[crypto_generichash_KEYBYTES];
};

static int init_sodium(rp_error *err)
{
    if (sodium_init() < 0)
        return rp_err(err, RP_CRYPTO, "libsodium could not be initialised");
    return RP_OK;
}

int rp_keyring_create(const char *file, rp_error *err)
{
    if (init_sodium(err))
        return RP_CRYPTO;
    unsigned char master[crypto_kdf_KEYBYTES];
    crypto_kdf_keygen(master);
    char hex[crypto_kdf_KEYBYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, master, sizeof master);
    sodium_memzero(master, sizeof master);
    int fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return rp_err(err, errno == EEXIST ? RP_EXISTS : RP_IO, "%s: cannot create key file: %s",
                      file, strerror(errno));
    char line[sizeof hex + 1];
    snprintf(line, sizeof line, "%s\n", hex);
    sodium_memzero(hex, sizeof hex);
    ssize_t w = write(fd, line, strlen(line));
    sodium_memzero(line, sizeof line);
    if (w != (ssize_t)(crypto_kdf_KEYBYTES * 2 + 1) || fsync(fd) != 0) {
        close(fd);
        unlink(file);
        return rp_err(err, RP_IO, "%s: cannot write key file", file);
    }
    close(fd);
    return RP_OK;
}

int rp_keyring_load(const char *file, rp_keyring **out, rp_error *err)
{
    if (init_sodium(err))
        return RP_CRYPTO;
    FILE *f = fopen(file, "r");
    if (!f)
        return rp_err(err, errno == ENOENT ? RP_NOTFOUND : RP_IO, "%s: cannot open key file: %s",
                      file, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077))
        fprintf(stderr, "rapport: warning: key file %s is readable by others; chmod 600 it\n", file);
    char line[160] = { 0 };
    int ok = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    unsigned char master[crypto_kdf_KEYBYTES];
    size_t got = 0;
    line[strcspn(line, "\r\n")] = 0;
    if (!ok || strlen(line) != 2 * crypto_kdf_KEYBYTES ||
        sodium_hex2bin(master, sizeof master, line, strlen(line), NULL, &got, NULL) != 0 ||
        got != sizeof master) {
        sodium_memzero(line, sizeof line);
        return rp_err(err, RP_CRYPTO, "%s: not a key file (expected %d hex digits)", file,
                      2 * crypto_kdf_KEYBYTES);
    }
    sodium_memzero(line, sizeof line);
    rp_keyring *k = sodium_malloc(sizeof *k);
    if (!k)
        return rp_err(err, RP_NOMEM, NULL);
    crypto_kdf_derive_from_key(k->seal, sizeof k->seal, 1, "rapport1", master);
    crypto_kdf_derive_from_key(k->hash, sizeof k->hash, 2, "rapport1", master);
    sodium_memzero(master, sizeof master);
    *out = k;
    return RP_OK;
}

void rp_keyring_free(rp_keyring *k)
{
    if (k)
        sodium_free(k);
}

int rp_seal(const rp_keyring *k, const void *plain, size_t n, unsigned char *out)
{
    randombytes_buf(out, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, plain, n, out, k->seal);
    return RP_OK;
}

int rp_unseal(const rp_keyring *k, const unsigned char *sealed, size_t n, void *out)
{
    if (n < RP_SEAL_OVERHEAD)
        return RP_CRYPTO;
    if (crypto_secretbox_open_easy(out, sealed + crypto_secretbox_NONCEBYTES,
                                   n - crypto_secretbox_NONCEBYTES, sealed, k->seal) != 0)
        return RP_CRYPTO;
    return RP_OK;
}

void rp_keyed_hash(const rp_keyring *k, const char *domain, const void *data, size_t n,
                   unsigned char out[RP_HASH_LEN])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, k->hash, sizeof k->hash, RP_HASH_LEN);
    crypto_generichash_update(&st, (const unsigned char *)domain, strlen(domain) + 1);
    crypto_generichash_update(&st, data, n);
    crypto_generichash_final(&st, out, RP_HASH_LEN);
}
