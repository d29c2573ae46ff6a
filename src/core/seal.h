/*
 * seal.h — sealing secrets at rest with libsodium.
 *
 * A keyring is loaded from a key file holding one 32-byte master key as 64
 * hex digits (created by rp_keyring_create with mode 0600).  Two subkeys are
 * derived from it (crypto_kdf): one for authenticated encryption
 * (XSalsa20-Poly1305, crypto_secretbox, random nonce stored in front of the
 * ciphertext) and one for keyed hashes (BLAKE2b, 16 bytes), which let an
 * exact value be found without decrypting anything.
 */
#ifndef RP_SEAL_H
#define RP_SEAL_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

typedef struct rp_keyring rp_keyring;

#define RP_SEAL_OVERHEAD 40 /* nonce (24) + MAC (16) */
#define RP_HASH_LEN 16

int rp_keyring_create(const char *file, rp_error *err) RP_WARN_UNUSED;
int rp_keyring_load(const char *file, rp_keyring **out, rp_error *err) RP_WARN_UNUSED;
void rp_keyring_free(rp_keyring *k);

/* out must hold n + RP_SEAL_OVERHEAD bytes. */
int rp_seal(const rp_keyring *k, const void *plain, size_t n, unsigned char *out);
/* out must hold n - RP_SEAL_OVERHEAD bytes; RP_CRYPTO if forged or the
 * wrong key. */
int rp_unseal(const rp_keyring *k, const unsigned char *sealed, size_t n, void *out) RP_WARN_UNUSED;
/* Keyed hash of (domain, data): equal inputs give equal hashes. */
void rp_keyed_hash(const rp_keyring *k, const char *domain, const void *data, size_t n,
                   unsigned char out[RP_HASH_LEN]);

#endif
