/*
 * api.h — the HTTP API (issue 7): `rapport serve`.
 *
 * libmicrohttpd, a pool of epoll threads (one daemon each on an SO_REUSEPORT
 * socket of the port), serves /api/v1/... as JSON and the web application's
 * static files.  One route table says everything about a route: method,
 * path, handler, permission, flags, audit action, operationId and the
 * schemas of its arguments, body and reply.  The dispatcher, not the
 * handlers, does authentication, permission checks, the viewer's branch
 * scope, audit, body-size and JSON-depth limits, content-type and CSRF
 * checks, refuses a NUL in the path or a header, and makes error replies:
 *
 *   {"error": {"code": "forbidden", "message": "..."}}
 *
 * with 400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500 or 503.  The
 * OpenAPI 3.1 document at /api/v1/openapi.json (`rapport serve --openapi`)
 * is generated from the same table, with a schema for every body and
 * error; the web application is type-checked against a client generated
 * from it.  /healthz is public; /metrics (Prometheus text) answers a
 * bearer token or an allowed address (127.0.0.1 and ::1 by default).  With
 * a certificate and key it speaks HTTPS only (GnuTLS, TLS 1.2 and 1.3),
 * marks the session cookie Secure and sends HSTS.  Each pool thread opens
 * its own connection to the store.
 *
 * The files:
 *   api.h        this: starting and stopping the server, the API's document
 *   internal.h   private: the request, the reply, the route row and flags, the handlers
 *   routes.c     the route table and the shared shapes; its top says how to add a route
 *   server.c     libmicrohttpd, the dispatcher, static files, metrics, the scribe thread
 *   tls.c        HTTPS: the certificate and key read and checked, TLS 1.2+; who may read /metrics
 *   openapi.c    the OpenAPI document from the table, and the schema notation rows use
 *   args.c       reading arguments: whole numbers, limit=, values of a list; the customers shown
 *   session.c    sign-in (throttled and locked by security.h's sign-in section), sign-out, who is signed in
 *   customers.c  search (in the viewer's branch scope), the 360, reveal, export
 *   parts.c      a customer's notes, contact points, changes, preferences, consents, scores, household
 *   lists.c      calling lists: an outbound agent's customers to call, the numbers to dial
 *   etl.c        load jobs, rejects, the identity-resolution review queue
 *   analyses.c   the analysis runs kept
 *   models.c     the kept models, and who is worth saving by a churn model
 *   campaigns.c  database marketing: offers, campaigns and their lifecycle, results, staff's responses
 *   execution.c  a campaign carried out: the optimiser, the vendor's list (audited), e-mail sent, calls given
 *                to agents, the channels' daily capacity
 *   triggers.c   events and leads: the event feed (a token's), event rules, a person's leads and working
 *                them, what they came to, a customer's next-best offers
 *   marketing.c  database marketing: the one-click unsubscribe link of campaign e-mail (public)
 *   desk.c       the contact centre: an agent's desk (state, interactions, what they do with them, a
 *                chat's transcript and answers), the supervisor's setup and agents' states
 *   dialler.c    the contact centre's outbound diallers: started on a campaign's outbound_call cell, steered,
 *                read with their progress
 *   webchat.c    the customer-side chat (public): its page in zh-TW and English, a chat started, the
 *                customer's messages, reads and end under a signed session, rate-limited
 *   cti.c        the contact centre's wires: the switch's interface (calls offered, their events), held
 *                calls put through, agents' screens as server-sent events (the screen pop)
 *   audit.c      the audit trail
 *   users.c      users and roles; unlocking a user locked by failed sign-ins; the second factor reset;
 *                a change one administrator may not make alone is kept as a request (202)
 *   requests.c   those requests: listed, approved or rejected by another administrator
 *   meta.c       health, this API's document, the vocabulary
 */
#ifndef RP_API_H
#define RP_API_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "core/error.h"
#include "security/security.h"

typedef struct api_options {
    const char *listen;          /* "127.0.0.1:8080" (port 0: any free port) */
    const char *db, *key;        /* the store and its sealing key */
    const char *static_dir;      /* the web application's files, or NULL */
    int threads;                 /* pool size; 0: the number of cores */
    size_t max_body;             /* bytes; 0: 1 MiB */
    int64_t idle_seconds;        /* session idle timeout; 0: 15 minutes */
    int64_t lifetime_seconds;    /* session absolute lifetime; 0: 8 hours */
    sec_signin_policy signin;    /* sign-in throttle and lock, the second factor's roles (security.h);
                                    fields 0: the defaults */
    int secure_cookie;           /* add Secure to the cookie (plain HTTP behind a TLS proxy); always with TLS */
    int warm;                    /* build missing kept 360s in the background (warehouse.h, the kept 360) */
    int cache_mb;                /* the store's page cache of each pool thread's connection: MiB; 0:
                                    API_CACHE_MB.  The scribe's (the journal, the trail's index, kept
                                    360s built) is at most API_SCRIBE_CACHE_MB: its work touches few
                                    pages a second, and a larger cache went on filling for minutes,
                                    growing the memory long after the first (docs/operations.md).  The
                                    operating system's file cache does the rest, shared */
    /* HTTPS (tls.c): both files PEM, or neither for plain HTTP.  The key
     * file may not be readable by group or others. */
    const char *tls_cert, *tls_key;
    int64_t hsts_seconds;        /* Strict-Transport-Security max-age with TLS; 0: a year; -1: none */
    /* /metrics: open to a request bearing metrics_token (Authorization:
     * Bearer), and to the addresses of metrics_allow (addresses and CIDR
     * blocks, blanks or commas between; NULL: "127.0.0.1 ::1"; "none":
     * none).  A wrong token is 401, another address 403. */
    const char *metrics_token;
    const char *metrics_token_file;  /* or the token in a file (its owner's alone: mode 0600 or 0400) */
    const char *metrics_allow;
    /* campaign e-mail sent through the API (POST /campaigns/{code}/send; marketing.h mk_send_email), from
     * [mail] in the configuration: no smtp or from, none is sent.  The password from
     * $RAPPORT_SMTP_PASSWORD or [mail] password_file, never the configuration itself. */
    const char *mail_smtp, *mail_user, *mail_password, *mail_tls, *mail_from, *mail_unsubscribe;
    /* a campaign's text messages, from [sms] (mk_send_sms): the gateway, its user and password
     * ($RAPPORT_SMS_PASSWORD or [sms] password_file), the sender, the country code, the link's address */
    const char *sms_gateway, *sms_user, *sms_password, *sms_from, *sms_country, *sms_unsubscribe;
    const char *home_currency;   /* the event feed's home currency ([marketing] home_currency; NULL: TWD) */
    /* the telephone switch ([cti]): where Rapport tells it to put a held call through (switch_url), and the
     * shared secret it sends there as X-Rapport-Secret ($RAPPORT_CTI_SECRET or [cti] password_file) */
    const char *cti_switch_url, *cti_secret;
    /* [match] spec: the matching specification (and its thresholds) the runs are made with, for the sample
     * and the evaluation (NULL: the default; match/match.h) */
    const struct mt_options *match;
    /* the customer chat page ([chat]; webchat.c): chats one address may start a minute (0: 5), messages
     * one chat may send a minute (0: 30), and the queue chats go to (NULL: the first open chat queue) */
    int chat_starts_per_min, chat_messages_per_min;
    const char *chat_queue;
} api_options;
#define API_CACHE_MB 16
#define API_SCRIBE_CACHE_MB 4

typedef struct api_server api_server;

int api_start(const api_options *o, api_server **out, rp_error *err) RP_WARN_UNUSED;
/* The port it listens on (useful with port 0). */
int api_port(const api_server *s);
/* Stop accepting, finish what is in flight, release everything. */
void api_stop(api_server *s);

/* The OpenAPI 3.1 document of the route table (a new reference), or NULL
 * with err naming the row that does not describe itself. */
json_t *api_openapi(rp_error *err);

#endif
