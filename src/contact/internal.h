/* internal.h — shared between the contact centre's own files; not for callers. */
#ifndef RP_CONTACT_INTERNAL_H
#define RP_CONTACT_INTERNAL_H

#include "contact/contact.h"
#include "store/store.h"
#include "warehouse/warehouse.h"

#include <jansson.h>

/* v's place in a NULL-terminated list, or -1. */
int cc__index(const char *v, const char *const *list);
/* The channel's number (CC_VOICE ...), or -1. */
int cc__channel(const char *name);
/* A code of 1-32 letters, digits, '-', '_' or '.' (queues, agents' logins); RP_INVAL naming field. */
int cc__code_ok(const char *field, const char *v, rp_error *err);
/* Printable text of at most max bytes (required: not empty); RP_INVAL naming field. */
int cc__text_ok(const char *field, const char *v, size_t max, int required, rp_error *err);
/* A skill's id by name: RP_NOTFOUND naming field. */
int cc__skill_id(wh *w, const char *field, const char *name, int *id, rp_error *err);
/* The agent's id by login: RP_NOTFOUND naming the agent. */
int cc__agent_id(wh *w, const char *login, int64_t *id, rp_error *err);
/* A row of cc_event. */
int cc__event(wh *w, int64_t interaction, int64_t at_ms, const char *event, int64_t agent, const char *detail,
              rp_error *err);
/* A row of cc_agent_state, and the agent's own row set to it. */
int cc__agent_set(wh *w, int64_t agent, const char *state, const char *reason, int64_t at_ms, const char *by,
                  rp_error *err);
/* Route everything that can be routed now (live.c), each assignment appended to out. */
int cc__route(wh *w, int64_t now_ms, json_t *out, rp_error *err);
/* The interaction by id, or the newest leg of (channel, external_id), as a row; RP_NOTFOUND naming it. */
int cc__ix(wh *w, int64_t id, const char *channel, const char *ext, json_t **out, rp_error *err);
/* A queued interaction's place in line, agents on duty and wait to expect, added to its row. */
int cc__position(wh *w, json_t *ix, rp_error *err);
/* {interaction (now), repeated, assignments (taken)} in *out. */
int cc__answer(wh *w, int64_t id, json_t *assignments, int repeated, json_t **out, rp_error *err);
/* The end of a change's transaction: committed when rc is RP_OK (else, or when the commit fails,
 * rolled back and *out, if given, dropped); rc or the commit's error. */
int cc__end(wh *w, int rc, json_t **out, rp_error *err);
/* The interaction ended (done, abandoned or transferred): its call record for the reports (voice,
 * call-backs and outbound calls) and, answered and identified, its entry in the customer's contact
 * history (steps.c). */
int cc__finish(wh *w, int64_t id, rp_error *err);
/* The agent free again from at (the longest idle is first), their state unchanged (agents.c). */
int cc__idle(wh *w, int64_t agent, int64_t at_ms, rp_error *err);
/* Surges judged now (surge.c): started and ended, each said in log. */
int cc__surges(wh *w, int64_t now, json_t *log, rp_error *err);
/* The IVR (ivr.c, ivrcall.c): a call starting the flow (*reply what the switch does, NULL when the flow
 * handed it straight to its queue), the caller's keys, a self-service (RP_DENIED for a caller not
 * identified, or without the PIN it needs), a caller identified by keyed digits, a PIN checked. */
int cc__ivr_start(wh *w, int64_t ix, int64_t party, const char *flow, int64_t now, json_t **reply, rp_error *err);
int cc__ivr_input(wh *w, int64_t ix, const char *digits, int64_t now, json_t **reply, rp_error *err);
int cc__ivr_service(wh *w, const char *name, int64_t party, int verified, const char *lang, char *out, size_t n,
                    rp_error *err);
int cc__ivr_identify(wh *w, const char *digits, int64_t *party);
int cc__pin_check(wh *w, int64_t party, const char *pin, int64_t now, rp_error *err);
/* A flow put with its queue nodes' queues checked (queues) or not yet (a setup putting the queues
 * after it, then checking with cc__ivr_check_queues). */
int cc__ivr_put(wh *w, const char *name, const json_t *flow, int queues, const char *by, int64_t now_ms, rp_error *err);
int cc__ivr_check_queues(wh *w, const json_t *flow, rp_error *err);

/* An interaction inserted (live.c): queued, or offered while in_ivr; *id its id. */
int cc__offer_insert(wh *w, const cc_offer_in *in, const char *queue, int in_ivr, int64_t at_ms, int64_t *id,
                     rp_error *err);
/* Outbound dialling (dial.c): each running dialler's calls for the agents free now (each dialled
 * customer said in log), and an ended interaction's outcome for the dialler that placed it. */
int cc__dial(wh *w, int64_t now_ms, json_t *log, rp_error *err);
int cc__dial_result(wh *w, const json_t *ix, rp_error *err);
/* An outbound call the switch has said nothing of (neither answered nor unreached) CC_DIAL_SILENCE_S
 * after it was given to the agent is unreached, failed: the agent free, the customer tried again. */
#define CC_DIAL_SILENCE_S 120
int cc__dial_timeouts(wh *w, int64_t now_ms, json_t *assigned, rp_error *err);

#endif
