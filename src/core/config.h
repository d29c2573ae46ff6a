/*
 * config.h — INI configuration over inih.
 *
 * A file of [section] name = value lines.  Values are looked up as
 * (section, name); a later duplicate replaces an earlier one.  Parse errors
 * name the file and line.
 */
#ifndef RP_CONFIG_H
#define RP_CONFIG_H

#include <stdint.h>
#include "core/error.h"

typedef struct rp_config rp_config;

rp_config *rp_config_new(void);
void rp_config_free(rp_config *c);
int rp_config_load(rp_config *c, const char *file, rp_error *err) RP_WARN_UNUSED;
int rp_config_load_str(rp_config *c, const char *what, const char *text, rp_error *err) RP_WARN_UNUSED;
int rp_config_set(rp_config *c, const char *section, const char *name, const char *value);
/* The value, or def when absent. */
const char *rp_config_get(const rp_config *c, const char *section, const char *name, const char *def);
/* Each name set in [section], in no particular order: *it starts at 0;
 * returns the next name (and its value in *value) or NULL at the end. */
const char *rp_config_next(const rp_config *c, const char *section, size_t *it, const char **value);
/* An integer within [min, max]; def when absent; RP_INVAL naming
 * "[section] name" otherwise. */
int rp_config_get_int(const rp_config *c, const char *section, const char *name, int64_t def,
                      int64_t min, int64_t max, int64_t *out, rp_error *err) RP_WARN_UNUSED;

#endif
