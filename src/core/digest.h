/*
 * digest.h — SHA-256 of files and streams, by OpenSSL's libcrypto, which
 * uses the processor's SHA instructions where there are any: a load
 * fingerprints every file before it reads it, and at 1.2 GB/s against
 * libsodium's 0.4 GB/s that is a tenth of a second rather than a third for
 * a 150 MB extract.
 */
#ifndef RP_CORE_DIGEST_H
#define RP_CORE_DIGEST_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

typedef struct rp_sha256 {
    void *ctx;  /* EVP_MD_CTX */
    int failed; /* an update failed: the digest is refused */
} rp_sha256;

/* A failure of libcrypto's is RP_NOMEM when it ran out of memory (or could
 * not say), RP_INTERNAL naming its error otherwise. */
int rp_sha256_init(rp_sha256 *s, rp_error *err) RP_WARN_UNUSED;
void rp_sha256_update(rp_sha256 *s, const void *p, size_t n);
/* The digest in hex (65 bytes with the NUL), or the failure of an update or
 * of the end (never a digest of what was not all read); the state is freed. */
int rp_sha256_final(rp_sha256 *s, char hex[65], rp_error *err) RP_WARN_UNUSED;
/* Free a state without a digest (after an error). */
void rp_sha256_abandon(rp_sha256 *s);
/* A whole file's digest, and its size. */
int rp_sha256_file(const char *path, char hex[65], int64_t *bytes, rp_error *err) RP_WARN_UNUSED;

#endif
