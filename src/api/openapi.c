/* openapi.c — the OpenAPI 3.1 document of the route table, and the schema
 * notation the table's rows are written in.  See api.h.
 *
 * The notation is a small part of TypeScript's types, so that a row reads
 * like the client it becomes:
 *
 *   string integer number boolean null   the JSON types; any: no constraint
 *   Name                   components/schemas/Name: a shape of api_shapes[]
 *                          (routes.c) or a vocabulary of the warehouse
 *                          (contact_kind is ContactKind; warehouse.h)
 *   'text'                 that string; 'a' | 'b' is an enum
 *   T[]                    an array of T
 *   A | B                  either; T | null is T or null
 *   {a: T, b?: U}          an object with a (required), b (optional), nothing else
 *   {a: T, ...}            ... and any other members
 *   {*: T}                 an object whose every member is a T
 *   (T)                    grouping: (A | B)[]
 *
 * Each route's operation gets its statuses from two places: those the
 * dispatcher answers, from the route's flags (401 unless public, 403 with a
 * permission or CSRF, 413 415 422 with a body, 400 500 and 503 always), and
 * those its handler answers (the row's errors).  Besides its 200 (201), a
 * route whose row has an accepted schema answers 202 with it (a change kept
 * for a second administrator).  Every error body is
 * {"error": {"code", "message"}} with the codes of that status. */
#include "api/internal.h"
#include "analytics/analytics.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the notation ---- */

typedef struct parser {
    const char *text, *p;
    rp_error *err;
    int failed, depth;
} parser;

static json_t *fail(parser *ps, const char *what)
{
    if (!ps->failed)
        rp_err(ps->err, RP_PARSE, "schema \"%s\": %s at offset %d", ps->text ? ps->text : "", what, (int)(ps->p - ps->text));
    ps->failed = 1;
    return NULL;
}

static void skip(parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\n')
        ps->p++;
}

static int eat(parser *ps, const char *tok)
{
    skip(ps);
    size_t n = strlen(tok);
    if (strncmp(ps->p, tok, n))
        return 0;
    ps->p += n;
    return 1;
}

/* A name: letters, digits and _ (the caller says what may start one). */
static size_t word(parser *ps)
{
    skip(ps);
    size_t n = 0;
    while (isalnum((unsigned char)ps->p[n]) || ps->p[n] == '_')
        n++;
    return n;
}

static json_t *type(parser *ps);

/* ...Name in an object: the members of shape Name (api_shapes[]), as TypeScript spreads them. */
static int spread(parser *ps, json_t *props, json_t *req)
{
    size_t n = word(ps);
    const api_shape *sh = NULL;
    for (int i = 0; i < api_nshapes && !sh; i++)
        if (strlen(api_shapes[i].name) == n && !strncmp(api_shapes[i].name, ps->p, n))
            sh = &api_shapes[i];
    ps->p += n;
    if (!sh || ps->depth > 4)
        return fail(ps, "...: a shape of api_shapes[], not spread in itself"), -1;
    parser inner = { .text = sh->schema, .p = sh->schema, .err = ps->err, .depth = ps->depth + 1 };
    json_t *o = type(&inner);
    if (!o) {
        ps->failed = 1; /* inner said why */
        return -1;
    }
    if (!json_object_get(o, "properties")) {
        json_decref(o);
        return fail(ps, "...: a shape that is an object"), -1;
    }
    json_object_update(props, json_object_get(o, "properties"));
    json_array_extend(req, json_object_get(o, "required"));
    json_decref(o);
    return 0;
}

static json_t *object(parser *ps)
{
    json_t *props = json_object(), *req = json_array(), *extra = json_false(), *o = NULL;
    for (int first = 1; !eat(ps, "}"); first = 0) {
        if (!first && !eat(ps, ",")) {
            fail(ps, "',' or '}' expected");
            goto out;
        }
        if (eat(ps, "...")) {
            skip(ps);
            if (isupper((unsigned char)*ps->p)) { /* ...Shape: its members here */
                if (spread(ps, props, req))
                    goto out;
                continue;
            }
            json_decref(extra);
            extra = NULL; /* open: other members too */
            if (!eat(ps, "}")) {
                fail(ps, "'...' ends an object");
                goto out;
            }
            break;
        }
        char key[64] = "*";
        if (!eat(ps, "*")) {
            size_t n = word(ps);
            if (!n || n >= sizeof key || isdigit((unsigned char)*ps->p)) {
                fail(ps, "a member's name expected");
                goto out;
            }
            snprintf(key, sizeof key, "%.*s", (int)n, ps->p);
            ps->p += n;
        }
        int optional = eat(ps, "?");
        json_t *t = eat(ps, ":") ? type(ps) : fail(ps, "':' expected");
        if (!t)
            goto out;
        if (!strcmp(key, "*")) {
            json_decref(extra);
            extra = t;
        } else if (json_object_get(props, key)) {
            json_decref(t);
            fail(ps, "a member named twice");
            goto out;
        } else {
            json_object_set_new(props, key, t);
            if (!optional)
                json_array_append_new(req, json_string(key));
        }
    }
    o = json_pack("{s:s}", "type", "object");
    if (json_object_size(props))
        json_object_set(o, "properties", props);
    if (json_array_size(req))
        json_object_set(o, "required", req);
    if (extra)
        json_object_set(o, "additionalProperties", extra);
out:
    json_decref(props);
    json_decref(req);
    json_decref(extra);
    return o;
}

static json_t *primary(parser *ps)
{
    skip(ps);
    if (eat(ps, "(")) {
        json_t *t = type(ps);
        if (t && !eat(ps, ")")) {
            json_decref(t);
            return fail(ps, "')' expected");
        }
        return t;
    }
    if (eat(ps, "{"))
        return object(ps);
    if (eat(ps, "'")) {
        const char *end = strchr(ps->p, '\'');
        if (!end)
            return fail(ps, "a quote is not closed");
        json_t *t = json_pack("{s:s, s:[s%]}", "type", "string", "enum", ps->p, (size_t)(end - ps->p));
        ps->p = end + 1;
        return t;
    }
    size_t n = word(ps);
    if (!n)
        return fail(ps, "a type expected");
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(n < 63 ? n : 63), ps->p);
    ps->p += n;
    static const char *const builtin[] = { "string", "integer", "number", "boolean", "null", "object" };
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
        if (!strcmp(name, builtin[i]))
            return json_pack("{s:s}", "type", name);
    if (!strcmp(name, "any"))
        return json_object();
    if (!isupper((unsigned char)name[0]))
        return fail(ps, "unknown type (a shape's name begins with a capital)");
    return json_pack("{s:s+}", "$ref", "#/components/schemas/", name);
}

static json_t *postfix(parser *ps)
{
    json_t *t = primary(ps);
    while (t && eat(ps, "[]"))
        t = json_pack("{s:s, s:o}", "type", "array", "items", t);
    return t;
}

/* {"type": "x"} alone, or {"type": "string", "enum": [...]}: what can merge into one schema. */
static int bare(json_t *t, int with_enum)
{
    const char *ty = json_string_value(json_object_get(t, "type"));
    if (!ty)
        return 0;
    if (json_object_size(t) == 1)
        return !with_enum;
    return with_enum && json_object_size(t) == 2 && json_is_array(json_object_get(t, "enum")) && !strcmp(ty, "string");
}

/* One schema for A | B | ...: an enum of literals, a list of types, or anyOf. */
static json_t *either(json_t *alts)
{
    size_t i, nlit = 0, nbare = 0, n = json_array_size(alts);
    int null = 0;
    json_t *a;
    json_array_foreach(alts, i, a) {
        if (bare(a, 0) && !strcmp(json_string_value(json_object_get(a, "type")), "null"))
            null = 1;
        else if (bare(a, 1))
            nlit++;
        else if (bare(a, 0))
            nbare++;
    }
    json_t *out;
    if (nlit && nlit + null == n) {
        json_t *e = json_array();
        json_array_foreach(alts, i, a) json_array_extend(e, json_object_get(a, "enum"));
        if (null)
            json_array_append_new(e, json_null());
        out = null ? json_pack("{s:[s, s], s:o}", "type", "string", "null", "enum", e)
                   : json_pack("{s:s, s:o}", "type", "string", "enum", e);
    } else if (nbare + null == n) {
        json_t *types = json_array();
        json_array_foreach(alts, i, a) json_array_append(types, json_object_get(a, "type"));
        out = json_pack("{s:o}", "type", types);
    } else {
        out = json_pack("{s:O}", "anyOf", alts);
    }
    json_decref(alts);
    return out;
}

static json_t *type(parser *ps)
{
    json_t *t = postfix(ps);
    if (!t)
        return NULL;
    skip(ps);
    if (*ps->p != '|')
        return t;
    json_t *alts = json_array();
    json_array_append_new(alts, t);
    while (eat(ps, "|")) {
        if (!(t = postfix(ps))) {
            json_decref(alts);
            return NULL;
        }
        json_array_append_new(alts, t);
    }
    return either(alts);
}

int api_schema_parse(const char *text, json_t **out, rp_error *err)
{
    parser ps = { .text = text, .p = text, .err = err };
    json_t *t = text ? type(&ps) : fail(&ps, "no schema");
    skip(&ps);
    if (t && *ps.p) {
        json_decref(t);
        t = fail(&ps, "more after the type");
    }
    if (!t)
        return err->code;
    *out = t;
    return RP_OK;
}

/* ---- errors ---- */

static const struct {
    const char *status, *name, *codes, *what;
} errors[] = {
    { "400", "Malformed", "'malformed' | 'bad_request'",
      "the body is not JSON, or is nested over 64 deep (malformed); the path, query or a header holds a NUL "
      "(bad_request, on any route)" },
    { "401", "Unauthenticated", "'unauthenticated'",
      "not signed in, or the session ended (sign-in: a wrong name, password or one-time code; /metrics: a wrong token)" },
    { "403", "Forbidden", "'forbidden' | 'csrf' | 'password_expired' | 'otp_not_enrolled' | 'chat_session' | 'chat_ended'",
      "the role may not, the customer is another branch's, the X-CSRF-Token header is missing or wrong, the "
      "password has expired (only changing it is open), the role signs in with a second factor the user has not "
      "enrolled, /metrics is asked from an address not allowed, or an administrator decides a request they made "
      "or one that changes their own account; a customer's chat session is missing, forged or expired "
      "(chat_session), or the chat has ended (chat_ended)" },
    { "404", "NotFound", "'not_found'", "no such customer, run, job, pair, user or request" },
    { "405", "MethodNotAllowed", "'method_not_allowed'", "the path has no such method" },
    { "409", "Conflict", "'conflict' | 'ambiguous'", "it exists already, was decided already or expired, waits for approval already, or a key names two customers" },
    { "413", "TooLarge", "'too_large'", "the body is over the server's limit (1 MiB) or the route's own" },
    { "415", "UnsupportedMediaType", "'unsupported_media_type'", "the body is not Content-Type: application/json" },
    { "422", "Invalid", "'invalid'", "a member or argument is missing, unknown or wrong; the message names it" },
    { "429", "TooManyAttempts", "'too_many_attempts' | 'too_many_requests'",
      "sign-in is throttled, or the account locked, by failed sign-ins; a customer's chat started or written too "
      "often (Retry-After says when to try again)" },
    { "500", "Internal", "'internal' | 'audit'", "logged on the server; nothing internal is sent" },
    { "503", "Busy", "'busy' | 'disk_full' | 'unavailable'",
      "the store is busy or its disk is full (nothing was written), or its database server cannot be reached just "
      "now; try again" },
};
#define NERRORS (sizeof errors / sizeof errors[0])

static json_t *error_schema(const char *codes, rp_error *err)
{
    char text[1200];
    json_t *s;
    /* member and reason: what a page needs to say the error in its user's language (server.c, api_error) */
    if ((size_t)snprintf(text, sizeof text,
                         "{error: {code: %s, message: string, member?: string, reason?: 'another_branch' | "
                         "'too_long' | 'too_short' | 'control_characters' | 'not_utf8' | 'signed_out' | "
                         "'wrong_password' | 'not_permitted' | 'no_customer' | 'not_a_number' | 'not_a_date' | "
                         "'missing' | 'unknown_member' | 'unknown_branch' | 'unknown_user' | 'user_disabled' | "
                         "'role_lacks' | 'ambiguous_customer'}}",
                         codes) >= sizeof text) {
        rp_err(err, RP_INVAL, "error codes: too many for %zu bytes", sizeof text);
        return NULL;
    }
    return api_schema_parse(text, &s, err) ? NULL : s;
}

static json_t *error_responses(rp_error *err)
{
    json_t *out = json_object();
    for (size_t i = 0; i < NERRORS; i++) {
        json_t *s = error_schema(errors[i].codes, err);
        if (!s) {
            json_decref(out);
            return NULL;
        }
        json_t *r = json_pack("{s:s, s:{s:{s:o}}}", "description", errors[i].what, "content", "application/json",
                              "schema", s);
        if (!strcmp(errors[i].status, "429"))
            json_object_set_new(r, "headers",
                                json_pack("{s:{s:s, s:{s:s}}}", "Retry-After", "description",
                                          "seconds until sign-in may be tried again (absent while only an "
                                          "administrator can unlock the account)",
                                          "schema", "type", "integer"));
        json_object_set_new(out, errors[i].name, r);
    }
    return out;
}

/* The statuses of a route's errors, "401 403 ...", in order. */
static void route_errors(const api_route *r, char *out, size_t n)
{
    int on[NERRORS] = { 0 };
    for (size_t i = 0; i < NERRORS; i++) {
        const char *st = errors[i].status;
        on[i] = !strcmp(st, "400") || !strcmp(st, "500") || !strcmp(st, "503") ||
                (!(r->flags & API_PUBLIC) && !strcmp(st, "401")) ||
                (!(r->flags & API_PUBLIC) &&
                 (r->permission >= 0 || (r->flags & API_CHANGES) || !(r->flags & API_EXPIRED_OK)) &&
                 !strcmp(st, "403")) ||
                ((r->flags & API_BODY) && strstr("400 413 415 422", st)) ||
                (r->errors && strstr(r->errors, st));
    }
    size_t k = 0;
    out[0] = 0;
    for (size_t i = 0; i < NERRORS && k < n; i++)
        if (on[i])
            k += (size_t)snprintf(out + k, n - k, "%s%s", k ? " " : "", errors[i].status);
}

/* ---- components ---- */

/* contact_kind: ContactKind */
static void pascal(const char *snake, char *out, size_t n)
{
    size_t k = 0;
    for (int up = 1; *snake && k + 1 < n; snake++) {
        if (*snake == '_') {
            up = 1;
            continue;
        }
        out[k++] = up ? (char)toupper((unsigned char)*snake) : *snake;
        up = 0;
    }
    out[k] = 0;
}

static json_t *vocabulary_schemas(void)
{
    json_t *out = json_object();
    for (int i = 0; i < wh_nvocabs; i++) {
        const wh_vocab *v = &wh_vocabs[i];
        json_t *values = json_array();
        for (int t = 0; t < v->n; t++)
            json_array_append_new(values, json_string(v->terms[t].value));
        char name[64];
        pascal(v->name, name, sizeof name);
        /* an open list names its values as examples: others are accepted too */
        json_object_set_new(out, name, json_pack("{s:s, s:s, s:o}", "type", "string", "description", v->about,
                                                 v->open ? "examples" : "enum", values));
    }
    /* the lists together, as GET /api/v1/vocabulary serves them (wh_vocab_json) */
    json_t *props = json_object(), *names = json_array(), *list;
    rp_error err = RP_ERROR_INIT;
    if (api_schema_parse("{open: boolean, about: string, terms: {value: string, zh: string, en: string}[]}", &list,
                         &err) == RP_OK) {
        for (int i = 0; i < wh_nvocabs; i++) {
            json_object_set_new(props, wh_vocabs[i].name, json_pack("{s:s}", "$ref", "#/components/schemas/VocabularyList"));
            json_array_append_new(names, json_string(wh_vocabs[i].name));
        }
        json_object_set_new(props, "analysis", json_pack("{s:s}", "$ref", "#/components/schemas/VocabularyList"));
        json_array_append_new(names, json_string("analysis"));
        json_object_set_new(out, "VocabularyList", list);
    }
    json_object_set_new(out, "Vocabulary", json_pack("{s:s, s:s, s:o, s:o, s:b}", "type", "object", "description",
                                                     "each list's values with their zh-TW and English labels",
                                                     "properties", props, "required", names,
                                                     "additionalProperties", 0));
    /* the analyses there are (analytics.h) */
    json_t *jobs = json_array();
    for (int i = 0; i < an_njobs; i++)
        json_array_append_new(jobs, json_string(an_jobs[i].name));
    json_object_set_new(out, "Analysis", json_pack("{s:s, s:s, s:o}", "type", "string", "description",
                                                   "an analysis (rapport analyze)", "enum", jobs));
    /* and the security module's: roles and permissions (security.h) */
    json_t *roles = json_array(), *perms = json_array();
    for (int r = 0; r < SEC_NROLES; r++)
        json_array_append_new(roles, json_string(sec_role_names[r]));
    for (int p = 0; p < SEC_NPERMS; p++)
        json_array_append_new(perms, json_string(sec_perm_names[p]));
    json_object_set_new(out, "Role", json_pack("{s:s, s:s, s:o}", "type", "string", "description", "a user's role",
                                               "enum", roles));
    json_object_set_new(out, "Permission", json_pack("{s:s, s:s, s:o}", "type", "string", "description",
                                                     "what a role may do (GET /api/v1/roles)", "enum", perms));
    return out;
}

static json_t *shape_schemas(rp_error *err)
{
    json_t *out = vocabulary_schemas();
    for (int i = 0; i < api_nshapes; i++) {
        json_t *s;
        if (api_schema_parse(api_shapes[i].schema, &s, err)) {
            json_decref(out);
            return NULL;
        }
        if (api_shapes[i].about)
            json_object_set_new(s, "description", json_string(api_shapes[i].about));
        if (json_object_get(out, api_shapes[i].name)) {
            json_decref(s);
            json_decref(out);
            rp_err(err, RP_INVAL, "shape %s: the name is taken", api_shapes[i].name);
            return NULL;
        }
        json_object_set_new(out, api_shapes[i].name, s);
    }
    json_t *e = error_schema("'malformed' | 'unauthenticated' | 'forbidden' | 'csrf' | 'password_expired' | "
                             "'otp_not_enrolled' | 'not_found' | "
                             "'method_not_allowed' | 'conflict' | 'ambiguous' | 'too_large' | "
                             "'unsupported_media_type' | 'invalid' | 'too_many_attempts' | 'too_many_requests' | "
                             "'chat_session' | 'chat_ended' | 'internal' | 'audit' | 'busy' | 'disk_full' | "
                             "'unavailable'",
                             err);
    if (!e) {
        json_decref(out);
        return NULL;
    }
    json_object_set_new(e, "description", json_string("every error: {\"error\": {\"code\", \"message\", "
                                                              "\"member\" (the member it names), \"reason\"}}"));
    json_object_set_new(out, "Error", e);
    return out;
}

/* Every "$ref" in t names a schema of comps. */
static int refs_resolve(json_t *t, json_t *comps, const char *where, rp_error *err)
{
    if (json_is_array(t)) {
        size_t i;
        json_t *v;
        json_array_foreach(t, i, v) if (refs_resolve(v, comps, where, err)) return err->code;
        return RP_OK;
    }
    if (!json_is_object(t))
        return RP_OK;
    const char *ref = json_string_value(json_object_get(t, "$ref"));
    const char *prefix = "#/components/schemas/";
    if (ref && !strncmp(ref, prefix, strlen(prefix)) && !json_object_get(comps, ref + strlen(prefix)))
        return rp_err(err, RP_INVAL, "%s: no shape named %s", where, ref + strlen(prefix));
    const char *k;
    json_t *v;
    json_object_foreach(t, k, v) if (refs_resolve(v, comps, where, err)) return err->code;
    return RP_OK;
}

/* ---- operations ---- */

/* The members of {notation} as parameters in where ("path", "query"). */
static int parameters(const char *members, const char *in, json_t *params, rp_error *err)
{
    if (!members)
        return RP_OK;
    char text[1024];
    if ((size_t)snprintf(text, sizeof text, "{%s}", members) >= sizeof text)
        return rp_err(err, RP_INVAL, "parameters '%.40s...': over %zu bytes", members, sizeof text);
    json_t *o;
    if (api_schema_parse(text, &o, err))
        return err->code;
    json_t *req = json_object_get(o, "required");
    const char *name;
    json_t *s;
    json_object_foreach(json_object_get(o, "properties"), name, s) {
        int required = 0;
        size_t i;
        json_t *r;
        json_array_foreach(req, i, r) required |= !strcmp(json_string_value(r), name);
        json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:O}", "name", name, "in", in, "required", required,
                                                "schema", s));
    }
    json_decref(o);
    return RP_OK;
}

/* The route's shape is whole: an operationId in camelCase, every {x} of the path described, a body
 * schema exactly when it takes a body. */
static int route_check(const api_route *r, json_t *params, rp_error *err)
{
    int ok = r->op && islower((unsigned char)r->op[0]);
    for (const char *c = r->op; ok && *c; c++)
        ok = isalnum((unsigned char)*c);
    if (!ok)
        return rp_err(err, RP_INVAL, "%s %s: the operationId '%s' is not camelCase", r->method, r->pattern,
                      r->op ? r->op : "");
    for (const char *p = strchr(r->pattern, '{'); p; p = strchr(p + 1, '{')) {
        size_t n = strcspn(p + 1, "}");
        int found = 0;
        size_t i;
        json_t *q;
        json_array_foreach(params, i, q) {
            const char *name = json_string_value(json_object_get(q, "name"));
            found |= strlen(name) == n && !strncmp(name, p + 1, n);
        }
        if (!found)
            return rp_err(err, RP_INVAL, "%s %s: {%.*s} is not in params", r->method, r->pattern, (int)n, p + 1);
    }
    if (!(r->flags & API_BODY) != !r->request)
        return rp_err(err, RP_INVAL, "%s %s: a request schema exactly when the route takes a body (API_BODY)",
                      r->method, r->pattern);
    if (!r->response || !r->summary)
        return rp_err(err, RP_INVAL, "%s %s: no response schema or summary", r->method, r->pattern);
    return RP_OK;
}

static json_t *responses(const api_route *r, json_t *ok, json_t *accepted)
{
    json_t *out = json_object();
    const char *type = (r->flags & API_CSV)      ? "text/csv"
                       : (r->flags & API_EVENTS) ? "text/event-stream"
                       : (r->flags & API_HTML) ? "text/html"
                       : (r->flags & API_TEXT) ? "text/plain"
                                               : "application/json";
    json_object_set_new(out, (r->flags & API_CREATED) ? "201" : "200",
                        json_pack("{s:s, s:{s:{s:o}}}", "description", (r->flags & API_CREATED) ? "Created" : "OK",
                                  "content", type, "schema", ok));
    if (accepted)
        json_object_set_new(out, "202",
                            json_pack("{s:s, s:{s:{s:o}}}", "description",
                                      "Accepted: kept until another administrator approves it", "content", type,
                                      "schema", accepted));
    char statuses[64];
    route_errors(r, statuses, sizeof statuses);
    for (size_t i = 0; i < NERRORS; i++)
        if ((r->flags & API_HTML) && r->errors && strstr(r->errors, errors[i].status)) /* the handler's: a page */
            json_object_set_new(out, errors[i].status,
                                json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", errors[i].name, "content",
                                          "text/html", "schema", "type", "string"));
        else if (strstr(statuses, errors[i].status))
            json_object_set_new(out, errors[i].status,
                                json_pack("{s:s+}", "$ref", "#/components/responses/", errors[i].name));
    return out;
}

static int operation(const api_route *r, json_t **out, rp_error *err)
{
    json_t *params = json_array(), *body = NULL, *ok = NULL, *accepted = NULL;
    int rc;
    if ((rc = parameters(r->params, "path", params, err)) || (rc = parameters(r->query, "query", params, err)) ||
        (rc = route_check(r, params, err)) || (r->request && (rc = api_schema_parse(r->request, &body, err))) ||
        (rc = api_schema_parse(r->response, &ok, err)) ||
        (r->accepted && (rc = api_schema_parse(r->accepted, &accepted, err)))) {
        json_decref(params), json_decref(body), json_decref(ok);
        return rc;
    }
    if ((r->flags & API_CHANGES) && !(r->flags & API_PUBLIC)) /* a public route has no session to forge */
        json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:{s:s}, s:s}", "name", "X-CSRF-Token", "in",
                                                "header", "required", 1, "schema", "type", "string", "description",
                                                "the token sign-in gave (GET /api/v1/session gives it again)"));
    json_t *op = json_pack("{s:s, s:s, s:o, s:o}", "operationId", r->op, "summary", r->summary, "parameters", params,
                           "responses", responses(r, ok, accepted));
    if (body)
        json_object_set_new(op, "requestBody", json_pack("{s:b, s:{s:{s:o}}}", "required", 1, "content",
                                                         "application/json", "schema", body));
    if (r->flags & API_PUBLIC)
        json_object_set_new(op, "security", json_array());
    if (r->permission >= 0)
        json_object_set_new(op, "x-permission", json_string(sec_perm_names[r->permission]));
    if (r->flags & API_CUSTOMER)
        json_object_set_new(op, "x-audited", json_string(r->action ? r->action : "yes"));
    if (r->flags & API_BRANCH)
        json_object_set_new(op, "x-branch-scope", json_true());
    *out = op;
    return RP_OK;
}

static void lower(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (; s[k] && k + 1 < n; k++)
        out[k] = (char)tolower((unsigned char)s[k]);
    out[k] = 0;
}

static int paths_of(json_t *paths, json_t *comps, rp_error *err)
{
    json_t *ops = json_object();
    int rc = RP_OK;
    for (int i = 0; i < api_nroutes && !rc; i++) {
        const api_route *r = &api_routes[i];
        json_t *op;
        if ((rc = operation(r, &op, err)))
            break;
        char where[200], method[8];
        snprintf(where, sizeof where, "%s %s", r->method, r->pattern);
        lower(r->method, method, sizeof method);
        json_t *item = json_object_get(paths, r->pattern);
        if (!item)
            json_object_set_new(paths, r->pattern, item = json_object());
        if (json_object_get(ops, r->op) || json_object_get(item, method))
            rc = rp_err(err, RP_INVAL, "%s: the operationId %s or the method is there twice", where, r->op);
        else
            rc = refs_resolve(op, comps, where, err);
        json_object_set_new(ops, r->op, json_true());
        json_object_set_new(item, method, op);
    }
    json_decref(ops);
    return rc;
}

json_t *api_openapi(rp_error *err)
{
    json_t *comps = shape_schemas(err), *paths = json_object(), *resp = NULL;
    if (!comps || refs_resolve(comps, comps, "components", err) || paths_of(paths, comps, err) ||
        !(resp = error_responses(err))) {
        json_decref(comps), json_decref(paths), json_decref(resp);
        return NULL;
    }
    return json_pack("{s:s, s:{s:s, s:s, s:s}, s:[{s:s, s:s}], s:o, s:{s:o, s:o, s:{s:{s:s, s:s, s:s}}}, s:[{s:[]}]}",
                     "openapi", "3.1.0", "info", "title", "Rapport API", "version", "1", "description",
                     "The HTTP API of Rapport (docs/api.md), generated from its route table (src/api/routes.c).",
                     "servers", "url", "/", "description", "the server that serves this document", "paths", paths,
                     "components", "schemas", comps, "responses", resp, "securitySchemes", "session", "type", "apiKey",
                     "in", "cookie", "name", "rapport_session", "security", "session");
}
