/* api_common.c — the API's routes run in-process, without a socket, for
 * fuzz_api_body.c and fuzz_api_query.c.  See fuzz.h.
 *
 * A store in the temporary folder holds tests/fixtures/bank.json, a user
 * of each role, a load of tests/fixtures/etl/customers_1.csv (with its
 * rejects), a matching run, a value analysis and a few changes made through
 * the routes themselves.  A
 * call does what the dispatcher (api/server.c) does between reading a
 * request and replying: the route's permission, the viewer's branch scope,
 * the body parsed with the same limits, then the handler, inside a
 * transaction that is rolled back, so that every input meets the same
 * store.  The reply's status must be one the API's own OpenAPI document
 * gives the route, and never 500.
 *
 * The pieces of the server that belong to the transport are replaced at
 * link time (-Wl,--wrap, the Makefile's FUZZ_WRAP): api_query reads the
 * query string the harness parsed as libmicrohttpd does (split at & and =,
 * + a blank, %XX a byte, names compared in any case); the audit journal
 * and the kept-360 queue, which need a running server, take entries
 * without keeping them. */
#include "fuzz.h"
#include "analytics/analytics.h"
#include "api/internal.h"
#include "core/json.h"
#include "core/rtime.h"
#include "etl/etl.h"
#include "match/match.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_ARGS 64

const char *__wrap_api_query(const api_req *rq, const char *name);
int __wrap_api_audit(api_req *rq, const sec_audit_entry *e);
int __wrap_api_audit_flush(api_req *rq, rp_error *err);
void __wrap_api_doc_wanted(api_req *rq, int64_t person);
void __wrap_api_count_doc(api_req *rq, int kept);

static struct {
    char *key[MAX_ARGS], *value[MAX_ARGS];
    int n;
} args;

const char *__wrap_api_query(const api_req *rq, const char *name)
{
    (void)rq;
    for (int i = 0; i < args.n; i++)
        if (!strcasecmp(args.key[i], name))
            return args.value[i];
    return NULL;
}

int __wrap_api_audit(api_req *rq, const sec_audit_entry *e)
{
    (void)rq;
    const char *f[] = { e->user, e->address, e->action, e->target, e->reason, e->outcome, e->detail, e->customers };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (f[i])
            (void)strlen(f[i]);
    if (!e->action)
        fz_bug("an audit entry without an action");
    return 0;
}

int __wrap_api_audit_flush(api_req *rq, rp_error *err)
{
    (void)rq, (void)err;
    return RP_OK;
}

void __wrap_api_doc_wanted(api_req *rq, int64_t person) { (void)rq, (void)person; }
void __wrap_api_count_doc(api_req *rq, int kept) { (void)rq, (void)kept; }

/* ---- the query string, as libmicrohttpd reads it ---- */

static int hexval(int c) { return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10; }

/* In place: + a blank (plus) and %XX a byte; the length, or -1 for a NUL,
 * which the server refuses before any route (server.c, nul_free). */
static int unescape(char *s, int plus)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (plus && *p == '+') {
            *o++ = ' ';
        } else if (*p == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
            *o = (char)(hexval((unsigned char)p[1]) * 16 + hexval((unsigned char)p[2]));
            if (!*o)
                return -1;
            o++;
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = 0;
    return (int)(o - s);
}

/* Split a copy of the query string into args; 0, or -1 when the server would refuse it. */
static int parse_query(char *q)
{
    args.n = 0;
    for (char *part = q; part && *part && args.n < MAX_ARGS;) {
        char *amp = strchr(part, '&');
        if (amp)
            *amp = 0;
        char *eq = strchr(part, '=');
        if (eq)
            *eq = 0;
        if (unescape(part, 1) < 0 || (eq && unescape(eq + 1, 1) < 0))
            return -1;
        args.key[args.n] = part;
        args.value[args.n++] = eq ? eq + 1 : NULL;
        part = amp ? amp + 1 : NULL;
    }
    return 0;
}

/* ---- the store ---- */

static wh *w;
static sec_user users[SEC_NROLES];
static api_options options;
static json_t *doc; /* the OpenAPI document */

static void open_store(void)
{
    char db[700], key[720];
    snprintf(db, sizeof db, "%s/api.db", fz_tmpdir());
    snprintf(key, sizeof key, "%s.key", db); /* named, or $RAPPORT_KEY would be used */
    rp_error err = RP_ERROR_INIT;
    if (wh_open(db, key, WH_INIT, &w, NULL, &err) ||
        wh_import_json(w, fz_tree("tests/fixtures/bank.json"), "fuzz", NULL, &err))
        fz_die("store: %s", rp_errmsg(&err));
    for (int r = 0; r < SEC_NROLES; r++) {
        char name[32];
        snprintf(name, sizeof name, "u-%s", sec_role_names[r]);
        if (sec_user_add(wh_store(w), name, sec_role_names[r], "0012", "a long password 1", "fuzz", &users[r], &err))
            fz_die("user %s: %s", name, rp_errmsg(&err));
    }
    if (!(doc = api_openapi(&err)))
        fz_die("the OpenAPI document: %s", rp_errmsg(&err));
    options.max_body = 1 << 20;
}

/* A load with rejects (job 1), a matching run and an analysis run, for the routes that list them. */
static void load_match_analyse(void)
{
    rp_error err = RP_ERROR_INIT;
    sp_spec *s;
    ld_options lo = { .by = "fuzz", .max_reject_rate = -1 };
    ld_result r;
    if (sp_spec_load(fz_tree("tests/fixtures/etl/customers.json"), NULL, &s, &err) ||
        ld_load(w, s, fz_tree("tests/fixtures/etl/customers_1.csv"), &lo, &r, &err))
        fz_die("load: %s", rp_errmsg(&err));
    sp_spec_free(s);
    mt_options mo;
    mt_options_default(&mo);
    mt_run_stats ms;
    if (mt_run(w, &mo, "fuzz", &ms, &err))
        fz_die("match: %s", rp_errmsg(&err));
    an_job_opts ao = { .job = "value", .as_of = (int32_t)rp_days_from_civil(2026, 10, 31), .user = "fuzz",
                       .save = 1 };
    json_t *summary;
    if (an_job_run(w, &ao, &summary, &err))
        fz_die("analysis: %s", rp_errmsg(&err));
    json_decref(summary);
}

/* ---- the routes ---- */

static int is_slow(const api_route *r)
{
    return r->fn == api_login || r->fn == api_password_change || r->fn == api_user_add || r->fn == api_metrics;
}

static const api_route *find_route(int bodies, const char *op)
{
    for (int i = 0; i < api_nroutes; i++) {
        const api_route *r = &api_routes[i];
        int body = (r->flags & API_BODY) != 0;
        if (r->op && !strcmp(r->op, op) && body == bodies && !is_slow(r) && (body || r->params || r->query))
            return r;
    }
    return NULL;
}

/* The reply: a status the document gives the route, and an error body as every error's. */
static void check_reply(const api_route *rt, const api_resp *rs)
{
    char method[16];
    size_t i;
    for (i = 0; rt->method[i] && i < sizeof method - 1; i++)
        method[i] = (char)tolower((unsigned char)rt->method[i]);
    method[i] = 0;
    char status[8];
    snprintf(status, sizeof status, "%d", rs->status);
    if (getenv("FZ_TRACE")) /* what each call answered, to see what a seed reaches */
        fprintf(stderr, "%s %s: %d\n", rt->method, rt->pattern, rs->status);
    json_t *responses = json_object_get(json_object_get(json_object_get(json_object_get(doc, "paths"), rt->pattern),
                                                        method), "responses");
    if (rs->status == 500 || !json_object_get(responses, status))
        fz_bug("%s %s answered %d: %s", rt->method, rt->pattern, rs->status,
               rs->json ? json_dumps(rs->json, JSON_COMPACT) : "(no body)");
    if ((rt->flags & API_HTML) && rs->status != 500) { /* a page, its errors pages too */
        if (!rs->text || !*rs->text || !rs->content_type || strncmp(rs->content_type, "text/html", 9))
            fz_bug("%s %s: %d is not a page", rt->method, rt->pattern, rs->status);
        return;
    }
    if (rs->status >= 400 && !json_is_string(json_object_get(json_object_get(rs->json, "error"), "message")))
        fz_bug("%s %s: error %d without a message", rt->method, rt->pattern, rs->status);
    if (rs->status < 400 && !rs->json && !rs->text && !rs->stream) /* a streamed file is a body too */
        fz_bug("%s %s: %d without a body", rt->method, rt->pattern, rs->status);
}

/* The dispatcher's part (server.c, dispatch and handle): permission, scope, body, the transaction
 * of a request that only reads; 1 when the handler ran. */
static int dispatch(const api_route *rt, api_req *rq, api_resp *rs, const char *body, size_t nbody, int keep)
{
    if (rt->permission >= 0 && !sec_can(rq->session.user.role, (sec_perm)rt->permission))
        return 0;
    rq->scope_branch = !(rt->flags & API_BRANCH)                                   ? ""
                       : sec_can(rq->session.user.role, SEC_P_ALL_BRANCHES) ? NULL
                                                                             : rq->session.user.branch;
    rp_error err = RP_ERROR_INIT;
    if (rt->flags & API_BODY) {
        if (nbody > options.max_body || rp_json_load_str("body", body ? body : "", nbody, &rq->body, &err) ||
            !json_is_object(rq->body))
            return 0; /* 413, 400 or 422 from the dispatcher */
    }
    int reads = !strcmp(rt->method, "GET") && !(rt->flags & (API_BODY | API_CHANGES | API_WRITES));
    if (reads ? wh_begin_read(w, &err) : wh_begin(w, &err)) /* a write's own transaction nests in this one */
        fz_die("begin: %s", rp_errmsg(&err));
    rt->fn(rq, rs);
    check_reply(rt, rs);
    if (!keep)
        wh_rollback(w);
    else if (rs->status >= 300 || wh_commit(w, &err))
        fz_die("setting up the store: %s %s: %d %s", rt->method, rt->pattern, rs->status,
               json_string_value(json_object_get(json_object_get(rs->json, "error"), "message")));
    return 1;
}

/* The request's first line, "OP ROLE REST": the route, the role, and what follows. */
static const api_route *request_line(int bodies, char *line, sec_role *role, char **rest)
{
    char *sp1 = strchr(line, ' '), *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    if (!sp2)
        return NULL;
    *sp1 = *sp2 = 0;
    int r = sec_role_parse(sp1 + 1);
    if (r < 0)
        return NULL;
    *role = (sec_role)r;
    *rest = sp2 + 1;
    return find_route(bodies, line);
}

/* 1 when the route's handler ran. */
static int call(int bodies, const char *line, const char *body, size_t nbody, int keep)
{
    char *copy = strdup(line), *target = NULL;
    int ran = 0;
    sec_role role;
    const api_route *rt = request_line(bodies, copy, &role, &target);
    api_req rq;
    memset(&rq, 0, sizeof rq);
    api_resp rs;
    memset(&rs, 0, sizeof rs);
    char *query = strchr(target ? target : "", '?');
    if (!rt || (query && (*query++ = 0, parse_query(query))))
        goto out; /* no route, or refused by the server (a NUL) */
    rq.method = rt->method;
    rq.path = rt->pattern;
    for (const char *p = rt->pattern; *p; p++)
        rq.nparams += *p == '{';
    size_t used = 0;
    char *arg = target;
    for (int i = 0; i < rq.nparams; i++) { /* as server.c's match() places them */
        char *slash = i + 1 < rq.nparams && arg ? strchr(arg, '/') : NULL;
        if (slash)
            *slash = 0;
        size_t n = arg ? strlen(arg) : 0;
        if (!n || strchr(arg, '/') || used + n + 1 > sizeof rq.parambuf)
            goto out; /* no route matches: 404 */
        memcpy(rq.parambuf + used, arg, n + 1);
        rq.param[i] = rq.parambuf + used;
        used += n + 1;
        arg = slash ? slash + 1 : NULL;
    }
    rq.signed_in = 1;
    rq.session.user = users[role];
    rq.w = w;
    rq.opt = &options;
    snprintf(rq.address, sizeof rq.address, "127.0.0.1");
    ran = dispatch(rt, &rq, &rs, body, nbody, keep);
out:
    json_decref(rq.body);
    json_decref(rs.json);
    free(rs.text);
    api_stream_discard(&rs);
    free(copy);
    args.n = 0;
    return ran;
}

/* What the lists show besides the bank: changes of contact points and
 * preferences, a consent and a note, made through the routes and kept. */
static void seed_store(void)
{
    static const char *const calls[][2] = {
        { "changeCustomerContact supervisor 1", "{\"kind\": \"mobile\", \"value\": \"0912-345-678\"}" },
        { "changeCustomerContact supervisor 1", "{\"kind\": \"email\", \"value\": \"chen.yi@example.com.tw\"}" },
        { "changeCustomerContact supervisor 1",
          "{\"kind\": \"address\", \"purpose\": \"mail\", \"value\": \"台北市中正區重慶南路一段122號\", "
          "\"postal_code\": \"100\", \"reason\": \"moved\"}" },
        { "setCustomerPreferences supervisor 1",
          "{\"language\": \"zh-TW\", \"channel\": \"phone\", \"hours\": \"09:00-12:00\"}" },
        { "setCustomerConsent supervisor 1",
          "{\"purpose\": \"marketing\", \"channel\": \"sms\", \"granted\": true, \"evidence\": \"form 12\"}" },
        { "addCustomerNote supervisor 1", "{\"text\": \"asked about a mortgage\", \"channel\": \"phone\"}" },
    };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
        if (!call(1, calls[i][0], calls[i][1], strlen(calls[i][1]), 1))
            fz_die("setting up the store: %s did not run", calls[i][0]);
}

void fz_api_call(int bodies, const char *line, const char *body, size_t nbody)
{
    if (!w) {
        open_store();
        load_match_analyse();
        seed_store();
    }
    call(bodies, line, body, nbody, 0);
}
