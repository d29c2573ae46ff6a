/* internal.h — what the dispatcher, the route table and the handlers share.
 * Private to src/api (and tests/unit/test_api.c, which walks the table). */
#ifndef RP_API_INTERNAL_H
#define RP_API_INTERNAL_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdarg.h>
#include "api/api.h"
#include "security/security.h"
#include "warehouse/warehouse.h"

#define API_MAX_PARAMS 4

/* Route flags: what the dispatcher does for a route besides calling it. */
enum {
    API_PUBLIC = 1,        /* no session needed */
    API_BODY = 2,          /* takes a JSON body (Content-Type: application/json) */
    API_CHANGES = 4,       /* changes state: needs the X-CSRF-Token header */
    API_CUSTOMER = 8,      /* customer data: every call is audited with its customer */
    API_TEXT = 16,         /* answers text, not JSON (metrics) */
    API_WRITES = 32,       /* a GET that writes to the store (not in a read transaction) */
    API_BRANCH = 64,       /* customers: the viewer's branch scope applies (rq->scope_branch) */
    API_CREATED = 128,     /* answers 201 Created, not 200 */
    API_EXPIRED_OK = 256,  /* open to a session whose password has expired (the rest answer 403 password_expired) */
    API_AUDITED = 512,     /* personal data not of one customer (rejects, pairs, the trail itself):
                              every call is audited */
    API_CSV = 1024,        /* answers a CSV file (text/csv), streamed: api_stream_reply */
    API_HTML = 2048,       /* answers a page (text/html) for people following a link, its own errors pages too */
    API_LONG = 4096,       /* may run for minutes (mail going out, a solver): outside the writers' turn, so
                              that it holds up nobody; its own short transactions wait in SQLite's busy handler */
    API_EVENTS = 8192,     /* answers server-sent events (text/event-stream), kept open: api_stream_reply with
                              more() answering API_STREAM_WAIT while it has nothing */
};

typedef struct api_req {
    const char *method, *path;
    struct MHD_Connection *conn;
    const char *param[API_MAX_PARAMS];   /* the {x} parts of the path, in order */
    char parambuf[512];
    int nparams;
    json_t *body;                        /* with API_BODY */
    sec_session session;                 /* when signed in (by a token: its name as the user) */
    int signed_in;
    int by_token;                        /* signed in by "Authorization: Bearer rpt_..." (security.h) */
    unsigned token_permissions;          /* then: what it may do, a bit per sec_perm */
    /* The branch whose customers the viewer may see: NULL for every branch
     * (SEC_P_ALL_BRANCHES), "" for none.  Set by the dispatcher: the user's
     * branch on an API_BRANCH route, "" on any other, so that a customer
     * route that forgot the flag finds none through the scope.  Queries take
     * it as their scope (wh_search_name); a single customer is checked
     * against it (api_customer_of).  The steward's lists (rejects, pairs in
     * review) are not by customer and take no scope: their permission
     * (SEC_P_ETL) is the limit. */
    const char *scope_branch;
    wh *w;                               /* this thread's store */
    struct api_server *srv;
    const api_options *opt;
    char address[64];
    /* what the handler tells the audit */
    const char *audit_action;            /* default: the route's */
    int64_t customer;
    char reason[WH_REASON_MAX + 1];      /* a reason is refused when longer, never cut */
    char detail[256];
    char shown[1024];                    /* the customers a search showed, ids separated by blanks */
} api_req;

_Static_assert(WH_REASON_MAX <= SEC_AUDIT_FIELD_MAX, "the audit trail keeps a reason whole");

typedef struct api_resp {
    int status;
    json_t *json;                        /* the body, or NULL */
    char *text;                          /* or a text body (malloc'd) */
    const char *content_type;
    char cookie[256];                    /* Set-Cookie, when not empty */
    char attachment[64];                 /* a file name: Content-Disposition: attachment */
    int64_t retry_after;                 /* seconds: Retry-After, when above 0 */
    struct api_stream *stream;           /* or a body streamed in pieces (api_stream_reply) */
    const char *csp;                     /* a page's own Content-Security-Policy (static text), instead of the
                                            default that allows no script (the chat page's: its script's hash) */
} api_resp;

/* A reply of any length sent in pieces as the client takes them, never
 * whole in memory (an export of every reject or the whole audit trail).
 * After the handler has returned, the server calls more() on its thread,
 * with w, that thread's store, outside any transaction: more() appends the
 * next piece to out and returns RP_OK, API_STREAM_END when there is no more
 * (it may have appended a last piece), or an error: the connection is then
 * cut, so that a partial file is never taken for a whole one (the error is
 * logged).  done() frees state, whether or not the reply was sent. */
#define API_STREAM_END (-1)
/* more() has nothing now and has suspended the connection (MHD_suspend_connection) until it has: the
 * server sends nothing and asks again when the connection is resumed (an agent's screen, cti.c). */
#define API_STREAM_WAIT (-2)
typedef int (*api_stream_more)(void *state, wh *w, rp_buf *out, rp_error *err);
/* Answer 200 with such a body, of content_type, as the attachment filename; state is the reply's from
 * here on, freed by done() even when this fails (500, for want of memory). */
int api_stream_reply(api_req *rq, api_resp *rs, const char *content_type, const char *filename, api_stream_more more,
                     void (*done)(void *state), void *state);

/* A streamed reply not sent after all (a test harness's): its state freed by its done(). */
void api_stream_discard(api_resp *rs);

typedef int (*api_handler)(api_req *rq, api_resp *rs);

/* One row of the route table (routes.c, which says how to add one).  The
 * schemas are in the notation of openapi.c ("{name: string, branch?:
 * string | null}", "Job[]", "'a' | 'b'"); names are api_shapes[] or the
 * warehouse's vocabularies (ContactKind, ...). */
typedef struct api_route {
    const char *method, *pattern;        /* "/api/v1/customers/{id}" */
    api_handler fn;
    int permission;                      /* sec_perm, or -1 for any signed-in user */
    unsigned flags;
    const char *action;                  /* for the audit trail: view, search, reveal, ... */
    const char *op;                      /* the OpenAPI operationId: getCustomer */
    const char *summary;                 /* for the OpenAPI document */
    const char *params;                  /* the path's {x}: "id: integer" */
    const char *query;                   /* query-string arguments: "q: string, limit?: integer" */
    const char *request;                 /* the body's schema (API_BODY) */
    const char *response;                /* the 200 (201) reply's schema */
    const char *accepted;                /* the 202 reply's schema, when the handler may answer that: a change
                                            kept until another administrator approves it (api_accepted) */
    const char *errors;                  /* statuses the handler answers besides those the
                                            dispatcher adds from the flags: "404 422" */
    size_t max_body;                     /* a body larger is refused (413) before the handler; 0: the
                                            server's max_body */
} api_route;

extern const api_route api_routes[];
extern const int api_nroutes;

/* A shape several routes share: components/schemas/NAME of the OpenAPI document. */
typedef struct api_shape {
    const char *name, *schema, *about;
} api_shape;
extern const api_shape api_shapes[];
extern const int api_nshapes;

/* ---- replies (server.c) ---- */

/* Set an error reply; returns status. */
int api_error(api_resp *rs, int status, const char *code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* An error of the store or a domain module: RP_NOTFOUND 404, RP_INVAL/RP_PARSE/RP_TOOBIG 422, RP_EXISTS 409,
 * RP_AMBIGUOUS 409, RP_DENIED 403, RP_BUSY 503, anything else 500 (its detail logged, not sent). */
int api_fail(api_resp *rs, const rp_error *err);
/* The same, with the error of a writer's field ("contact.value: ...", writer
 * "contact") said as the body's member of that name ("body.value: ..."). */
int api_fail_body(api_resp *rs, const rp_error *err, const char *writer);
int api_ok(api_resp *rs, json_t *body);
/* 201 Created with body. */
int api_created(api_resp *rs, json_t *body);
/* 202 Accepted with body: kept, not done yet (a change waiting for a second administrator). */
int api_accepted(api_resp *rs, json_t *body);
/* A query-string argument, or NULL. */
const char *api_query(const api_req *rq, const char *name);

/* ---- arguments (args.c) ---- */

/* A whole number from min to max: *ok says whether s was one. */
int64_t api_int(const char *s, int64_t min, int64_t max, int *ok);
/* A customer shown by the reply, into its audit entry (rq->shown): 0, or -1 when no more fit (the
 * ids before stay whole). */
int api_shown_add(api_req *rq, int64_t id);
/* limit= of the query, def when absent: 0, or the reply's status (422)
 * when it is not a whole number from 1 to max. */
int api_limit(api_req *rq, api_resp *rs, int def, int max, int *limit);
/* body.reason of a reveal or export into rq->reason: 0, or 422 when it is
 * missing, over WH_REASON_MAX bytes (refused, never cut), holds control characters,
 * or has fewer than API_REASON_MIN characters that are not blanks or
 * invisible.  keys: the body's members, when it may hold only those. */
#define API_REASON_MIN 5
int api_reason(api_req *rq, api_resp *rs, const char *const *keys);
/* Is v one of list?  If not, "one of a, b, c" into msg. */
int api_one_of(const char *v, const char *const *list, char *msg, size_t n);
/* Checks of the body's member: 0, or the reply's status (422 naming it).
 * Text is held to the number of the field it goes to (WH_NOTES_MAX, ...),
 * and refused when longer, never cut; NULL (absent) passes both. */
int api_body_max(api_resp *rs, const char *member, const char *v, size_t max);
int api_body_in(api_resp *rs, const char *member, const char *v, const char *const *list);

/* ---- the server's services to handlers (server.c) ---- */

/* May the caller do p?  The user's role decides, or a token's permissions. */
int api_can(const api_req *rq, sec_perm p);

/* Write an audit entry (to the journal; security/journal.h): 0, or -1
 * when it could not be written (logged). */
int api_audit(api_req *rq, const sec_audit_entry *e);
/* Move what the journal holds into the store, so that a query sees it all. */
int api_audit_flush(api_req *rq, rp_error *err) RP_WARN_UNUSED;
/* Ask for the kept 360 of a customer to be built (in the background). */
void api_doc_wanted(api_req *rq, int64_t person);
/* Count a 360 served from a kept document (kept) or built (for /metrics). */
void api_count_doc(api_req *rq, int kept);
/* The session cookie: token for max_age seconds ("" and 0 to end it). */
void api_cookie(api_req *rq, api_resp *rs, const char *token, int64_t max_age);

/* ---- the contact centre's wires (cti.c) ---- */

typedef struct api_board api_board;
/* Start and stop the board's thread (stopping lets every screen parked go); free it after. */
api_board *api_board_start(const api_options *o);
void api_board_stop(api_board *b);
void api_board_free(api_board *b);
/* Assignments made by a change: calls the switch holds are put through, agents' screens told. */
void api_board_post(api_board *b, const json_t *assignments);
/* The calls the switch could not take since the last call: [{interaction, reason}] (a new reference). */
json_t *api_board_failures(api_board *b);
void api_board_counts(api_board *b, unsigned long *sent, unsigned long *refused);
/* Is the board's thread running (a board that could not start tells nothing: nothing is marked told). */
int api_board_running(const api_board *b);
/* The server's board (server.c), and a handler's assignments posted to it; the scribe woken to tell the
 * switch and the screens of the assignments a change made (cc_untold). */
api_board *api_board_of(api_req *rq);
void api_centre_post(api_req *rq, const json_t *assignments);
/* Tell the agent's screens on this server of something (a server-sent event of type, data taken). */
void api_board_tell(api_board *b, const char *login, const char *type, json_t *data);
void api_centre_wake(api_req *rq);

/* ---- HTTPS, and who may read /metrics (tls.c) ---- */

/* TLS 1.3 and 1.2 only (GnuTLS priority syntax): NORMAL's ciphers and
 * groups, every version taken out and those two put back. */
#define API_TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

typedef struct api_tls {
    char *cert, *key;                    /* PEM as read, for libmicrohttpd; NULL without TLS */
} api_tls;

/* Read and check the certificate and key files: that libmicrohttpd was
 * built with TLS, that each file is PEM (the key without a passphrase, and
 * readable by its owner alone), that the certificate has not expired and
 * that the key is its key.  Errors name the file. */
int api_tls_load(const char *cert_file, const char *key_file, api_tls *out, rp_error *err) RP_WARN_UNUSED;
void api_tls_free(api_tls *t);
/* A small file whole (what: "TLS key", for the error), refused with private
 * set when group or others may read it. */
int api_read_file(const char *what, const char *path, int private, char **out, size_t *len,
                  rp_error *err) RP_WARN_UNUSED;

#define API_METRICS_NETS 32
typedef struct api_net {
    unsigned char addr[16];              /* IPv4 as ::ffff:a.b.c.d */
    int bits;                            /* the prefix, of the 128 */
} api_net;
typedef struct api_metrics_access {
    api_net nets[API_METRICS_NETS];
    int nnets;
    char token[512];                     /* "" none */
} api_metrics_access;

/* The allow-list ("127.0.0.1, 10.0.0.0/8 ::1"; NULL: 127.0.0.1 and ::1;
 * "none") and the token (NULL none; 16 visible characters or more, blanks
 * around it dropped). */
int api_metrics_access_parse(const char *allow, const char *token, api_metrics_access *out,
                             rp_error *err) RP_WARN_UNUSED;
/* May rq read /metrics?  0, or the reply's status: 401 for a token that is
 * wrong (or sent when none is set), 403 for an address not allowed. */
int api_metrics_check(const api_metrics_access *m, api_req *rq, api_resp *rs);

/* ---- the OpenAPI document (openapi.c) ---- */

/* The schema notation as JSON Schema (OpenAPI 3.1): RP_PARSE naming the
 * place in text otherwise. */
int api_schema_parse(const char *text, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* ---- the handlers, by file ---- */

/* session.c */
int api_login(api_req *rq, api_resp *rs);
int api_session_get(api_req *rq, api_resp *rs);
int api_logout(api_req *rq, api_resp *rs);
int api_password_change(api_req *rq, api_resp *rs);
/* customers.c: finding customers, their 360, reveal and export */
int api_customers_search(api_req *rq, api_resp *rs);
int api_customer_get(api_req *rq, api_resp *rs);
int api_customer_reveal(api_req *rq, api_resp *rs);
int api_customer_export(api_req *rq, api_resp *rs);
/* The customer of the path, if the viewer's scope holds them: 0, or the
 * reply's status; *doc (if not NULL) their 360 built with flags. */
int api_customer_of(api_req *rq, api_resp *rs, int flags, int64_t *id, json_t **doc);
/* parts.c: a customer's notes, contact points, preferences, consents, scores */
int api_notes_list(api_req *rq, api_resp *rs);
int api_follow_ups(api_req *rq, api_resp *rs);
int api_household(api_req *rq, api_resp *rs);
/* lists.c: calling lists */
int api_calllist_mine(api_req *rq, api_resp *rs);
int api_calllists(api_req *rq, api_resp *rs);
int api_calllist_add(api_req *rq, api_resp *rs);
int api_calllist_remove(api_req *rq, api_resp *rs);
int api_note_add(api_req *rq, api_resp *rs);
int api_contact_change(api_req *rq, api_resp *rs);
int api_changes_list(api_req *rq, api_resp *rs);
int api_preferences_get(api_req *rq, api_resp *rs);
int api_preferences_set(api_req *rq, api_resp *rs);
int api_contactable(api_req *rq, api_resp *rs);
int api_consents_get(api_req *rq, api_resp *rs);
int api_consent_set(api_req *rq, api_resp *rs);
int api_scores_get(api_req *rq, api_resp *rs);
/* etl.c: load jobs, rejects, the review queue */
int api_jobs_list(api_req *rq, api_resp *rs);
int api_job_get(api_req *rq, api_resp *rs);
int api_rejects_list(api_req *rq, api_resp *rs);
int api_rejects_export(api_req *rq, api_resp *rs);
int api_reject_reveal(api_req *rq, api_resp *rs);
int api_matches_list(api_req *rq, api_resp *rs);
int api_match_decide(api_req *rq, api_resp *rs);
int api_match_evaluate(api_req *rq, api_resp *rs);
int api_match_sample(api_req *rq, api_resp *rs);
int api_match_estimate(api_req *rq, api_resp *rs);
int api_copybook_layout(api_req *rq, api_resp *rs);
int api_load_preview(api_req *rq, api_resp *rs);
/* analyses.c */
int api_analyses_list(api_req *rq, api_resp *rs);
int api_models_list(api_req *rq, api_resp *rs);
int api_model_get(api_req *rq, api_resp *rs);
int api_model_at_risk(api_req *rq, api_resp *rs);
int api_analysis_get(api_req *rq, api_resp *rs);
int api_analysis_members(api_req *rq, api_resp *rs);
/* audit.c */
int api_audit_list(api_req *rq, api_resp *rs);
int api_audit_export(api_req *rq, api_resp *rs);
/* users.c: users and roles */
int api_users_list(api_req *rq, api_resp *rs);
int api_tokens_list(api_req *rq, api_resp *rs);
int api_token_add(api_req *rq, api_resp *rs);
int api_token_revoke(api_req *rq, api_resp *rs);
int api_user_add(api_req *rq, api_resp *rs);
int api_user_disable(api_req *rq, api_resp *rs);
int api_user_unlock(api_req *rq, api_resp *rs);
int api_user_password_reset(api_req *rq, api_resp *rs);
int api_user_totp_reset(api_req *rq, api_resp *rs);
int api_user_totp_remove(api_req *rq, api_resp *rs);
int api_user_role(api_req *rq, api_resp *rs);
int api_roles_list(api_req *rq, api_resp *rs);
/* requests.c: changes to users waiting for a second administrator */
int api_user_requests_list(api_req *rq, api_resp *rs);
int api_user_request_approve(api_req *rq, api_resp *rs);
int api_user_request_reject(api_req *rq, api_resp *rs);
/* The role's permissions, by name (users.c; the session shows them too). */
json_t *api_permissions(sec_role r);
/* meta.c: health, this API's document, the vocabulary; metrics in server.c (they need the server) */
int api_health(api_req *rq, api_resp *rs);
int api_offers_list(api_req *rq, api_resp *rs);
int api_offer_put(api_req *rq, api_resp *rs);
int api_campaigns_list(api_req *rq, api_resp *rs);
int api_campaign_create(api_req *rq, api_resp *rs);
int api_campaign_get(api_req *rq, api_resp *rs);
int api_campaign_step(api_req *rq, api_resp *rs);
int api_campaign_results(api_req *rq, api_resp *rs);
int api_campaign_response(api_req *rq, api_resp *rs);
int api_campaign_update(api_req *rq, api_resp *rs);
int api_campaign_cell_put(api_req *rq, api_resp *rs);
int api_campaign_cell_remove(api_req *rq, api_resp *rs);
int api_campaign_cell_steer(api_req *rq, api_resp *rs);
int api_campaign_count(api_req *rq, api_resp *rs);
int api_rule_count(api_req *rq, api_resp *rs);
int api_campaign_select(api_req *rq, api_resp *rs);
int api_campaign_wave_put(api_req *rq, api_resp *rs);
int api_campaign_wave_remove(api_req *rq, api_resp *rs);
/* execution.c: a campaign carried out (optimised, its list exported, e-mail sent, calls given to agents) */
int api_campaign_optimise(api_req *rq, api_resp *rs);
int api_campaign_export(api_req *rq, api_resp *rs);
int api_campaign_send(api_req *rq, api_resp *rs);
int api_campaign_dial(api_req *rq, api_resp *rs);
int api_capacity_list(api_req *rq, api_resp *rs);
int api_capacity_put(api_req *rq, api_resp *rs);
/* campaigns.c: the selection copy for a request (marketing.h mk_mart_get), made again when older than
 * fresh_minutes (0: only when stale); 0, or the reply's status */
struct mk_mart;
int api_mart(api_req *rq, api_resp *rs, int fresh_minutes, struct mk_mart **m);
/* triggers.c: the event feed, event rules, leads, the next-best offer */
int api_event_feed(api_req *rq, api_resp *rs);
int api_event_detectors(api_req *rq, api_resp *rs);
int api_event_rules(api_req *rq, api_resp *rs);
int api_event_rule_put(api_req *rq, api_resp *rs);
int api_lead_results(api_req *rq, api_resp *rs);
int api_leads(api_req *rq, api_resp *rs);
int api_lead_work(api_req *rq, api_resp *rs);
/* desk.c */
int api_desk_get(api_req *rq, api_resp *rs);
int api_desk_state(api_req *rq, api_resp *rs);
int api_interaction_event(api_req *rq, api_resp *rs);
int api_interaction_get(api_req *rq, api_resp *rs);
int api_interaction_offer(api_req *rq, api_resp *rs);
int api_interactions_list(api_req *rq, api_resp *rs);
int api_centre_setup_get(api_req *rq, api_resp *rs);
int api_centre_setup_put(api_req *rq, api_resp *rs);
int api_agent_state_put(api_req *rq, api_resp *rs);
int api_wallboard(api_req *rq, api_resp *rs);
int api_centre_report(api_req *rq, api_resp *rs);
int api_customer_pin(api_req *rq, api_resp *rs);
/* dialler.c */
int api_diallers_list(api_req *rq, api_resp *rs);
int api_dialler_start(api_req *rq, api_resp *rs);
int api_dialler_get(api_req *rq, api_resp *rs);
int api_dialler_state(api_req *rq, api_resp *rs);
int api_interaction_messages(api_req *rq, api_resp *rs);
int api_interaction_say(api_req *rq, api_resp *rs);
/* webchat.c */
int api_chat_page(api_req *rq, api_resp *rs);
int api_chat_start(api_req *rq, api_resp *rs);
int api_chat_send(api_req *rq, api_resp *rs);
int api_chat_read(api_req *rq, api_resp *rs);
int api_chat_end(api_req *rq, api_resp *rs);
/* cti.c */
int api_desk_events(api_req *rq, api_resp *rs);
int api_cti_offer(api_req *rq, api_resp *rs);
int api_cti_event(api_req *rq, api_resp *rs);
int api_lead_assign(api_req *rq, api_resp *rs);
int api_customer_offers(api_req *rq, api_resp *rs);
int api_customer_events(api_req *rq, api_resp *rs);
int api_banners(api_req *rq, api_resp *rs);
int api_unsubscribe_page(api_req *rq, api_resp *rs);
/* s written into an HTML page as text: < > & " ' as entities (marketing.c; the public pages). */
void api_html_text(rp_buf *b, const char *s);
int api_unsubscribe(api_req *rq, api_resp *rs);
int api_openapi_get(api_req *rq, api_resp *rs);
int api_vocabulary(api_req *rq, api_resp *rs);
int api_metrics(api_req *rq, api_resp *rs);

#endif
