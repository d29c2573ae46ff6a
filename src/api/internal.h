/* internal.h — what the dispatcher (server.c) and the routes (routes.c) share. */
#ifndef RP_API_INTERNAL_H
#define RP_API_INTERNAL_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdarg.h>
#include "api/api.h"
#include "security/security.h"
#include "warehouse/warehouse.h"

#define API_MAX_PARAMS 4

/* Route flags. */
enum {
    API_PUBLIC = 1,        /* no session needed */
    API_BODY = 2,          /* takes a JSON body (Content-Type: application/json) */
    API_CHANGES = 4,       /* changes state: needs the X-CSRF-Token header */
    API_CUSTOMER = 8,      /* customer data: every call is audited with its customer */
    API_TEXT = 16,         /* answers text, not JSON (metrics) */
    API_WRITES = 32,       /* a GET that writes to the store (not in a read transaction) */
};

typedef struct api_req {
    const char *method, *path;
    struct MHD_Connection *conn;
    const char *param[API_MAX_PARAMS];   /* the {x} parts of the path, in order */
    char parambuf[512];
    int nparams;
    json_t *body;                        /* with API_BODY */
    sec_session session;                 /* when signed in */
    int signed_in;
    wh *w;                               /* this thread's store */
    struct api_server *srv;
    const api_options *opt;
    char address[64];
    /* what the handler tells the audit */
    const char *audit_action;            /* default: the route's */
    int64_t customer;
    char reason[256];
    char detail[256];
} api_req;

typedef struct api_resp {
    int status;
    json_t *json;                        /* the body, or NULL */
    char *text;                          /* or a text body (malloc'd) */
    const char *content_type;
    char cookie[256];                    /* Set-Cookie, when not empty */
    char attachment[64];                 /* a file name: Content-Disposition: attachment */
} api_resp;

typedef int (*api_handler)(api_req *rq, api_resp *rs);

typedef struct api_route {
    const char *method, *pattern;        /* "/api/v1/customers/{id}" */
    api_handler fn;
    int permission;                      /* sec_perm, or -1 for any signed-in user */
    unsigned flags;
    const char *action;                  /* for the audit trail: view, search, reveal, ... */
    const char *summary;                 /* for the OpenAPI document */
} api_route;

extern const api_route api_routes[];
extern const int api_nroutes;

/* Set an error reply; returns status. */
int api_error(api_resp *rs, int status, const char *code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* An error of the store or a domain module: RP_NOTFOUND 404, RP_INVAL/RP_PARSE 422, RP_EXISTS 409,
 * RP_AMBIGUOUS 409, anything else 500 (its detail logged, not sent). */
int api_fail(api_resp *rs, const rp_error *err);
int api_ok(api_resp *rs, json_t *body);
/* A query-string argument, or NULL. */
const char *api_query(const api_req *rq, const char *name);

/* Write an audit entry (to the journal; security/journal.h): 0, or -1
 * when it could not be written (logged). */
int api_audit(api_req *rq, const sec_audit_entry *e);
/* Move what the journal holds into the store, so that a query sees it all. */
int api_audit_flush(api_req *rq, rp_error *err) RP_WARN_UNUSED;
/* Ask for the kept 360 of a customer to be built (in the background). */
void api_doc_wanted(api_req *rq, int64_t person);
/* Count a 360 served from a kept document (kept) or built (for /metrics). */
void api_count_doc(api_req *rq, int kept);

/* The OpenAPI 3 document of the route table. */
json_t *api_openapi(void);

#endif
