/*
 * json.h — helpers over jansson.
 *
 * Reading: rp_json_load_file/_str parse with a byte cap and a nesting-depth
 * cap and report "FILE:LINE:COLUMN: message", or RP_NOMEM when jansson ran
 * out of memory: its own message then blames the text ("string or '}'
 * expected").  So every allocation of jansson's goes through a count of
 * failures per thread (rp_json_failures), which a caller of json_loads
 * reads too, and so do the API's dispatcher and the CLI's around a handler
 * or a command: json_object_set_new() and the like fail without a word, and
 * a reply with a member missing must not go out as if whole.  The field getters read one
 * member of an object and name it by its path ("parties[2].identifiers[0].
 * value") when it is missing or of the wrong type; `path` is the object's
 * own path ("" for the root).
 *
 * Writing: rp_json_dump appends compact or indented UTF-8 JSON to a buffer.
 */
#ifndef RP_JSON_H
#define RP_JSON_H

#include <jansson.h>
#include <stdint.h>
#include "core/buf.h"
#include "core/error.h"

#define RP_JSON_MAX_DEPTH 64

int rp_json_load_file(const char *file, size_t max_bytes, json_t **out, rp_error *err) RP_WARN_UNUSED;
int rp_json_load_str(const char *what, const char *s, size_t n, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* How many of jansson's allocations have failed on this thread so far:
 * `n = rp_json_failures(); j = json_loadb(...); if (rp_json_failures() !=
 * n)` tells memory from a malformed text.  Compare even when a tree or a
 * text came back: jansson 2.14 can return one with a part left out (an
 * object's key, in json_dumps) after a failed allocation. */
unsigned long rp_json_failures(void);
/* Depth of nesting (a scalar is 0). */
int rp_json_depth(const json_t *j);

/* Each returns RP_OK, or RP_INVAL naming PATH.KEY.  With required = 0 a
 * missing or null member leaves *out at its default (NULL / unchanged). */
int rp_json_get_str(const json_t *obj, const char *path, const char *key, int required,
                    const char **out, rp_error *err) RP_WARN_UNUSED;
int rp_json_get_int(const json_t *obj, const char *path, const char *key, int required,
                    int64_t *out, rp_error *err) RP_WARN_UNUSED;
int rp_json_get_bool(const json_t *obj, const char *path, const char *key, int required,
                     int *out, rp_error *err) RP_WARN_UNUSED;
int rp_json_get_array(const json_t *obj, const char *path, const char *key, int required,
                      json_t **out, rp_error *err) RP_WARN_UNUSED;
/* Refuse members not in the NULL-terminated list, naming the first one. */
int rp_json_check_keys(const json_t *obj, const char *path, const char *const *allowed,
                       rp_error *err) RP_WARN_UNUSED;

/* Convenience setters that ignore NULL strings (the member is then null). */
void rp_json_set_str(json_t *obj, const char *key, const char *val);
void rp_json_set_int(json_t *obj, const char *key, int64_t val);

int rp_json_dump(const json_t *j, int indent, rp_buf *out);

#endif
