#include "core/json.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rp_json_depth(const json_t *j)
{
    int max = 0;
    if (json_is_object(j)) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)j, k, v) {
            int d = rp_json_depth(v) + 1;
            if (d > max)
                max = d;
            if (max > RP_JSON_MAX_DEPTH)
                return max;
        }
        return max ? max : 1;
    }
    if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) {
            int d = rp_json_depth(v) + 1;
            if (d > max)
                max = d;
            if (max > RP_JSON_MAX_DEPTH)
                return max;
        }
        return max ? max : 1;
    }
    return 0;
}

/* jansson's allocations, each failure counted on its thread (rp_json_failures) */
static _Thread_local unsigned long json_failed;

static void *json_malloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        json_failed++;
    return p;
}

static void json_install(void) { json_set_alloc_funcs(json_malloc, free); }

unsigned long rp_json_failures(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, json_install);
    return json_failed;
}

int rp_json_load_str(const char *what, const char *s, size_t n, json_t **out, rp_error *err)
{
    json_error_t je;
    unsigned long failures = rp_json_failures();
    json_t *j = json_loadb(s, n, JSON_REJECT_DUPLICATES, &je);
    if (rp_json_failures() != failures) { /* jansson may even return a tree with a part missing then */
        json_decref(j);
        return rp_err(err, RP_NOMEM, "%s: %s", what, rp_strerror(RP_NOMEM));
    }
    if (!j)
        return rp_err(err, RP_PARSE, "%s:%d:%d: %s", what, je.line, je.column, je.text);
    if (rp_json_depth(j) > RP_JSON_MAX_DEPTH) {
        json_decref(j);
        return rp_err(err, RP_TOOBIG, "%s: nesting deeper than %d levels", what, RP_JSON_MAX_DEPTH);
    }
    *out = j;
    return RP_OK;
}

int rp_json_load_file(const char *file, size_t max_bytes, json_t **out, rp_error *err)
{
    rp_buf b = RP_BUF_INIT;
    int rc = rp_buf_read_file(&b, file, max_bytes, err);
    if (!rc)
        rc = rp_json_load_str(file, rp_buf_str(&b), b.len, out, err);
    rp_buf_release(&b);
    return rc;
}

static const char *typename(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

static const char *dot(const char *path) { return path && *path ? "." : ""; }

static int member(const json_t *obj, const char *path, const char *key, int required,
                  json_t **v, rp_error *err)
{
    *v = json_object_get(obj, key);
    if (!*v || json_is_null(*v)) {
        *v = NULL;
        if (required)
            return rp_err(err, RP_INVAL, "%s%s%s: required", path ? path : "", dot(path), key);
    }
    return RP_OK;
}

#define WRONG(want)                                                                       \
    rp_err(err, RP_INVAL, "%s%s%s: must be %s, not %s", path ? path : "", dot(path), key, \
           want, typename(v))

int rp_json_get_str(const json_t *obj, const char *path, const char *key, int required,
                    const char **out, rp_error *err)
{
    json_t *v;
    int rc = member(obj, path, key, required, &v, err);
    if (rc || !v)
        return rc;
    if (!json_is_string(v))
        return WRONG("a string");
    *out = json_string_value(v);
    return RP_OK;
}

int rp_json_get_int(const json_t *obj, const char *path, const char *key, int required,
                    int64_t *out, rp_error *err)
{
    json_t *v;
    int rc = member(obj, path, key, required, &v, err);
    if (rc || !v)
        return rc;
    if (!json_is_integer(v))
        return WRONG("an integer");
    *out = (int64_t)json_integer_value(v);
    return RP_OK;
}

int rp_json_get_bool(const json_t *obj, const char *path, const char *key, int required,
                     int *out, rp_error *err)
{
    json_t *v;
    int rc = member(obj, path, key, required, &v, err);
    if (rc || !v)
        return rc;
    if (!json_is_boolean(v))
        return WRONG("true or false");
    *out = json_is_true(v);
    return RP_OK;
}

int rp_json_get_array(const json_t *obj, const char *path, const char *key, int required,
                      json_t **out, rp_error *err)
{
    json_t *v;
    int rc = member(obj, path, key, required, &v, err);
    if (rc || !v)
        return rc;
    if (!json_is_array(v))
        return WRONG("an array");
    *out = v;
    return RP_OK;
}

int rp_json_check_keys(const json_t *obj, const char *path, const char *const *allowed,
                       rp_error *err)
{
    if (!json_is_object(obj))
        return rp_err(err, RP_INVAL, "%s: must be an object, not %s", path && *path ? path : "(root)",
                      typename(obj));
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v) {
        int ok = 0;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, k) == 0) {
                ok = 1;
                break;
            }
        if (!ok)
            return rp_err(err, RP_INVAL, "%s%s%s: unknown member", path ? path : "", dot(path), k);
    }
    return RP_OK;
}

void rp_json_set_str(json_t *obj, const char *key, const char *val)
{
    json_object_set_new(obj, key, val ? json_string(val) : json_null());
}

void rp_json_set_int(json_t *obj, const char *key, int64_t val)
{
    json_object_set_new(obj, key, json_integer((json_int_t)val));
}

static int dump_cb(const char *s, size_t n, void *data) { return rp_buf_append(data, s, n) ? -1 : 0; }

int rp_json_dump(const json_t *j, int indent, rp_buf *out)
{
    size_t flags = JSON_PRESERVE_ORDER | (indent ? JSON_INDENT(indent) : JSON_COMPACT);
    if (json_dump_callback(j, dump_cb, out, flags) != 0)
        return rp_buf_status(out) ? rp_buf_status(out) : RP_NOMEM;
    return RP_OK;
}
