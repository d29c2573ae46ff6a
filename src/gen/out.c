/* out.c — an output file of the synthetic bank: written once, hashed as it
 * goes (SHA-256 for the manifest), with its record count. */
#include "gen/internal.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

static int mkdirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        int rc = mkdir(path, 0755);
        *p = '/';
        if (rc && errno != EEXIST)
            return -1;
    }
    return 0;
}

int gen_out_open(gen_out *o, const char *dir, const char *rel, rp_error *err)
{
    memset(o, 0, sizeof *o);
    snprintf(o->rel, sizeof o->rel, "%s", rel);
    snprintf(o->path, sizeof o->path, "%s/%s", dir, rel);
    if (mkdirs(o->path) != 0)
        return rp_err(err, RP_IO, "%s: cannot create directory: %s", o->path, strerror(errno));
    o->f = fopen(o->path, "wb");
    if (!o->f)
        return rp_err(err, RP_IO, "%s: cannot create: %s", o->path, strerror(errno));
    setvbuf(o->f, NULL, _IOFBF, 1 << 20);
    crypto_hash_sha256_init(&o->sha);
    return RP_OK;
}

void gen_out_write(gen_out *o, const void *p, size_t n)
{
    if (o->failed || n == 0)
        return;
    if (fwrite(p, 1, n, o->f) != n) {
        o->failed = 1;
        o->err_no = errno;
        return;
    }
    crypto_hash_sha256_update(&o->sha, p, n);
    o->bytes += (int64_t)n;
}

void gen_out_printf(gen_out *o, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof buf) {
        o->failed = 1;
        o->err_no = EOVERFLOW;
        return;
    }
    gen_out_write(o, buf, (size_t)n);
}

int gen_out_close(gen_out *o, char hex[65], rp_error *err)
{
    if (!o->f)
        return RP_OK;
    int rc = fclose(o->f);
    o->f = NULL;
    if (!o->failed && rc != 0) {
        o->failed = 1;
        o->err_no = errno;
    }
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&o->sha, h);
    if (hex)
        sodium_bin2hex(hex, 65, h, sizeof h);
    if (o->failed)
        return rp_err(err, RP_IO, "%s: write failed: %s", o->path, strerror(o->err_no));
    return RP_OK;
}
