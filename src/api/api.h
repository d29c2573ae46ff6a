/*
 * api.h — the HTTP API (issue 7): `rapport serve`.
 *
 * libmicrohttpd, a pool of epoll threads (one daemon each on an SO_REUSEPORT
 * socket of the port), serves /api/v1/... as JSON and
 * the web application's static files.  One route table (routes.c: method,
 * path pattern, handler, permission, flags) says everything about a route;
 * the dispatcher, not the handlers, does authentication, permission checks,
 * branch limits, audit, body-size and JSON-depth limits, content-type and
 * CSRF checks, and error replies:
 *
 *   {"error": {"code": "forbidden", "message": "..."}}
 *
 * with 400, 401, 403, 404, 405, 409, 413, 415, 422, 429 or 500.  The OpenAPI
 * 3 document at /api/v1/openapi.json is generated from the same table.
 * /healthz and /metrics (Prometheus text) are public.
 *
 * Each pool thread opens its own connection to the store.
 */
#ifndef RP_API_H
#define RP_API_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

typedef struct api_options {
    const char *listen;          /* "127.0.0.1:8080" (port 0: any free port) */
    const char *db, *key;        /* the store and its sealing key */
    const char *static_dir;      /* the web application's files, or NULL */
    int threads;                 /* pool size; 0: the number of cores */
    size_t max_body;             /* bytes; 0: 1 MiB */
    int64_t idle_seconds;        /* session idle timeout; 0: 15 minutes */
    int64_t lifetime_seconds;    /* session absolute lifetime; 0: 8 hours */
    int login_attempts;          /* failures allowed per user and per address in the window; 0: 5 */
    int64_t login_window;        /* seconds; 0: 300 */
    int secure_cookie;           /* add Secure to the cookie (behind TLS) */
    int warm;                    /* build missing kept 360s in the background (warehouse.h, the kept 360) */
} api_options;

typedef struct api_server api_server;

int api_start(const api_options *o, api_server **out, rp_error *err) RP_WARN_UNUSED;
/* The port it listens on (useful with port 0). */
int api_port(const api_server *s);
/* Stop accepting, finish what is in flight, release everything. */
void api_stop(api_server *s);

#endif
