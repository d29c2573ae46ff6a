/* out.h — an output file of the synthetic bank: written once, hashed as it
 * goes (SHA-256 for the manifest), with its record count. */
#ifndef RP_GEN_OUT_H
#define RP_GEN_OUT_H

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include "core/error.h"

typedef struct gen_out {
    FILE *f;
    char path[1024]; /* full path */
    char rel[128];   /* path inside the output directory */
    const char *system, *format, *encoding, *layout, *description;
    crypto_hash_sha256_state sha;
    int64_t records;
    int64_t bytes;
    int failed; /* sticky: a write failed */
    int err_no;
} gen_out;

int gen_out_open(gen_out *o, const char *dir, const char *rel, rp_error *err) RP_WARN_UNUSED;
void gen_out_write(gen_out *o, const void *p, size_t n);
void gen_out_printf(gen_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Close and finish the hash; hex receives 64 hex digits. */
int gen_out_close(gen_out *o, char hex[65], rp_error *err) RP_WARN_UNUSED;

#endif
