#include "core/config.h"
#include "core/map.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rp_config {
    rp_map *values; /* "section\0name" -> strdup'd value */
};

rp_config *rp_config_new(void)
{
    rp_config *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->values = rp_map_new();
    if (!c->values) {
        free(c);
        return NULL;
    }
    return c;
}

void rp_config_free(rp_config *c)
{
    if (!c)
        return;
    rp_map_free(c->values, free);
    free(c);
}

static size_t make_key(char *k, size_t n, const char *section, const char *name)
{
    int len = snprintf(k, n, "%s%c%s", section, 0, name);
    return len < 0 || (size_t)len >= n ? 0 : (size_t)len;
}

int rp_config_set(rp_config *c, const char *section, const char *name, const char *value)
{
    char k[512];
    size_t kl = make_key(k, sizeof k, section, name);
    if (!kl)
        return RP_TOOBIG;
    char *v = strdup(value);
    if (!v)
        return RP_NOMEM;
    void *old;
    if (rp_map_put(c->values, k, kl, v, &old)) {
        free(v);
        return RP_NOMEM;
    }
    free(old);
    return RP_OK;
}

const char *rp_config_get(const rp_config *c, const char *section, const char *name, const char *def)
{
    char k[512];
    size_t kl = make_key(k, sizeof k, section, name);
    const char *v = kl ? rp_map_get(c->values, k, kl) : NULL;
    return v ? v : def;
}

const char *rp_config_next(const rp_config *c, const char *section, size_t *it, const char **value)
{
    const void *k;
    size_t kl;
    void *v;
    size_t sl = strlen(section);
    while (rp_map_next(c->values, it, &k, &kl, &v))
        if (kl > sl && memcmp(k, section, sl) == 0 && ((const char *)k)[sl] == 0) {
            if (value)
                *value = v;
            return (const char *)k + sl + 1;
        }
    return NULL;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    return rp_config_set(user, section, name, value) == RP_OK;
}

int rp_config_load(rp_config *c, const char *file, rp_error *err)
{
    int line = ini_parse(file, handler, c);
    if (line == -1)
        return rp_err(err, RP_IO, "%s: cannot open: %s", file, strerror(errno));
    if (line == -2)
        return rp_err(err, RP_NOMEM, "%s: out of memory", file);
    if (line > 0)
        return rp_err(err, RP_PARSE, "%s:%d: expected [section] or name = value", file, line);
    return RP_OK;
}

int rp_config_load_str(rp_config *c, const char *what, const char *text, rp_error *err)
{
    int line = ini_parse_string(text, handler, c);
    if (line == -2)
        return rp_err(err, RP_NOMEM, "%s: out of memory", what);
    if (line != 0)
        return rp_err(err, RP_PARSE, "%s:%d: expected [section] or name = value", what, line);
    return RP_OK;
}

int rp_config_get_int(const rp_config *c, const char *section, const char *name, int64_t def,
                      int64_t min, int64_t max, int64_t *out, rp_error *err)
{
    const char *v = rp_config_get(c, section, name, NULL);
    if (!v) {
        *out = def;
        return RP_OK;
    }
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || end == v || *end || n < min || n > max)
        return rp_err(err, RP_INVAL, "[%s] %s: '%s' is not a whole number from %lld to %lld",
                      section, name, v, (long long)min, (long long)max);
    *out = n;
    return RP_OK;
}
