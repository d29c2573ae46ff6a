/*
 * contact.h — the contact centre (issue 25): staffing by Erlang C and a discrete-event simulator of
 * the centre to check it and to compare ways of working.  This first part is pure computation: no
 * store, no clock; the routing engine, interactions, queues and agents, the IVR and the telephony
 * come after it.
 *
 * Erlang C (erlang.c): calls arriving at random (Poisson) at a rate, served by N agents in a time
 * with exponential distribution and waiting, never leaving, in one first-come-first-served queue.
 * The traffic A = rate x handle time (Erlangs); with N > A agents the probability that a call waits
 * is C(N, A), the service level (answered within t) 1 - C exp(-(N - A) t / AHT), the average speed of
 * answer C AHT / (N - A).  Reproduces the textbook case: 100 calls in 30 minutes, 180 s handle time,
 * 14 agents, 20 s -> service level 0.8884, average speed of answer 7.84 s.
 *
 * The simulator (sim.c): the same centre call by call — arrivals by interval (a rate for each),
 * handle times exponential or log-normal, callers' patience exponential (or none: nobody abandons),
 * agents by interval (a schedule), alike agents each taking the longest-waiting call when free — from
 * a seed, the same every time.  Its service level agrees with Erlang C's on the
 * textbook case within a percentage point over a long enough run (tests/unit/test_contact.c).
 *
 * The routing engine (route.c): which waiting interaction which free agent takes, by a strategy that
 * is a row of one table (longest_idle, skills, value_priority, last_agent, blended), each decision
 * explained ("agent 117: skill 信用卡 level 3, idle 94 s").  Pure: the caller holds the centre's state
 * (agents, their skills, states and loads; the interactions waiting) and applies the decision.
 *
 * The files:
 *   contact.h   this: Erlang C, the simulator, the routing engine
 *   erlang.c    Erlang C: the probability of waiting, service level, speed of answer, agents needed
 *   sim.c       the discrete-event simulator of a centre, its results by interval and in all
 *   route.c     the routing engine: strategies in a table, eligibility, overflow, explanations
 *   internal.h  shared between these files
 *   setup.c     the live centre's definitions: skills, queues, agents; the clock
 *   live.c      routing in the store (the engine over the agents' and interactions' rows); offering,
 *               reading and listing interactions
 *   steps.c     what happens to an interaction, as a table of events; the call record and contact
 *               history an ended one leaves
 *   agents.c    agents' states and sign-ins, the timers (wrap-up, quiet sign-ins), an agent's desk
 *   board.c     the supervisor's wallboard: queues now and today, agents, alerts
 *   drive.c     a simulated busy period played against the live centre, in compressed real time
 *   report.c    the historical reports from the call records: by interval, queue or agent
 *   surge.c     surges: load past the staff judged by Erlang C, the centre's own logged actions
 *   ivr.c       IVR flows as data and their checks, self-service, identification, PINs
 *   ivrcall.c   a call in a flow: its session, the walk from node to node, the hand-over to the queue
 *   dial.c      outbound dialling from campaigns: diallers, progressive pacing, outcomes as responses
 *   chat.c      the customer-side chat: a chat started from the public page, its signed session, its
 *               messages (the customer's, the agent's, the centre's), read and written by either side
 */
#ifndef RP_CONTACT_H
#define RP_CONTACT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

/* ---- Erlang C (erlang.c) ---- */

typedef struct cc_erlang {
    double traffic;        /* A, Erlangs */
    double p_wait;         /* C(N, A): the probability that a call waits */
    double service_level;  /* answered within the target */
    double asa;            /* average speed of answer, seconds */
    double occupancy;      /* A / N */
} cc_erlang;

/* calls in interval_s seconds, aht_s seconds a call, agents, target_s: RP_INVAL naming what is not
 * a positive number (a target may be 0); agents <= A is an unstable queue: p_wait 1, service level 0,
 * asa infinite (not an error: the figure a planner must see). */
int cc_erlang_c(double calls, double interval_s, double aht_s, int agents, double target_s, cc_erlang *out,
                rp_error *err) RP_WARN_UNUSED;

/* The fewest agents (at most max_agents) for the service level within target_s and, when max_asa_s
 * > 0, an average speed of answer at most it: *agents, and their figures in *out; RP_NOTFOUND when
 * max_agents cannot. */
int cc_erlang_agents(double calls, double interval_s, double aht_s, double target_s, double service_level,
                     double max_asa_s, int max_agents, int *agents, cc_erlang *out, rp_error *err) RP_WARN_UNUSED;

/* ---- the simulator (sim.c) ---- */

#define CC_SIM_MAX_INTERVALS 96   /* a day of quarter hours */
#define CC_SIM_MAX_AGENTS 20000

enum { CC_HANDLE_EXP, CC_HANDLE_LOGNORMAL };

typedef struct cc_sim_in {
    int intervals;                         /* 1..CC_SIM_MAX_INTERVALS */
    double interval_s;                     /* each interval's length */
    double calls[CC_SIM_MAX_INTERVALS];    /* calls offered in each interval (a Poisson rate) */
    int agents[CC_SIM_MAX_INTERVALS];      /* agents on duty in each (a schedule) */
    double aht_s;                          /* mean handle time */
    int handle;                            /* CC_HANDLE_EXP or CC_HANDLE_LOGNORMAL */
    double handle_cv;                      /* log-normal: the coefficient of variation (0: 1) */
    double patience_s;                     /* mean patience (exponential); 0: nobody abandons */
    double target_s;                       /* service level's target */
    uint64_t seed;
} cc_sim_in;

typedef struct cc_sim_stats {
    int64_t offered, answered, abandoned, within_target;
    double wait_sum_s, handle_sum_s, busy_s, staffed_s, longest_wait_s;
} cc_sim_stats;

typedef struct cc_sim_out {
    cc_sim_stats interval[CC_SIM_MAX_INTERVALS];  /* by the interval a call arrived in */
    cc_sim_stats all;
    /* every offered call ends exactly once (answered or abandoned): checked, and said here */
    int64_t unended;
    double seconds;                                /* the simulation's own running time */
} cc_sim_out;

/* Service level = within_target / offered (abandoned calls count against it), speed of answer =
 * wait_sum / answered, occupancy = busy / staffed.  RP_INVAL naming the field that is out of range.
 * Calls still waiting or in service when the last interval ends are finished by the agents then on
 * duty (none arrive after). */
int cc_simulate(const cc_sim_in *in, cc_sim_out *out, rp_error *err) RP_WARN_UNUSED;

/* ---- the routing engine (route.c) ---- */

#define CC_MAX_SKILLS 64
#define CC_NAME_MAX 40

enum { CC_VOICE, CC_EMAIL, CC_CHAT, CC_CALLBACK, CC_OUTBOUND, CC_WEBFORM, CC_NCHANNELS };
enum { CC_READY, CC_BUSY, CC_WRAP_UP, CC_BREAK, CC_OFFLINE };

extern const char *const cc_channel_names[CC_NCHANNELS];

typedef struct cc_agent {
    int id;
    char name[CC_NAME_MAX];
    int state;                            /* CC_READY ... */
    double idle_since;                    /* when the agent last became free (seconds, the caller's clock) */
    uint8_t skill[CC_MAX_SKILLS];         /* proficiency 1-5 by skill; 0: none */
    uint8_t capacity[CC_NCHANNELS];       /* at once: one call, up to three chats */
    uint8_t load[CC_NCHANNELS];           /* now */
} cc_agent;

struct cc_strategy;
typedef struct cc_item {
    int64_t id;
    int channel;                          /* CC_VOICE ... */
    int skill;                            /* required skill, 0..CC_MAX_SKILLS-1 */
    int min_level;                        /* proficiency at least (1-5) */
    int overflow_skill;                   /* after overflow_s: this skill instead (-1: none) */
    double overflow_s;                    /* after waiting this long: any level of skill, or overflow_skill */
    int priority;                         /* the customer's value tier: higher first (value_priority) */
    int last_agent;                       /* the agent who served the customer last (-1: none) */
    double arrived;
    int only_agent;                       /* > 0: only this agent, whatever their skills (a transfer to them
                                             by name, a dial for them); 0: any */
    const struct cc_strategy *strategy;   /* scores the agents for this item (its queue's); NULL: the route's */
} cc_item;

typedef struct cc_centre {
    cc_agent *agents;
    int nagents;
    cc_item *items;                       /* waiting */
    int nitems;
    const char *const *skill_names;       /* for explanations; NULL: "skill N" */
} cc_centre;

typedef struct cc_decision {
    int item;                             /* index in items, -1: nothing to route */
    int agent;                            /* index in agents */
    char why[200];
} cc_decision;

typedef struct cc_strategy {
    const char *name, *summary;
    /* a score for giving item it to agent ag (higher better; < 0 not eligible beyond eligibility) */
    double (*score)(const cc_centre *c, const cc_item *it, const cc_agent *ag, double now);
    int (*item_before)(const cc_item *a, const cc_item *b, double now);  /* the order items are served in */
} cc_strategy;

/* The strategies, a table (NULL-terminated by name); the one named, or NULL. */
extern const cc_strategy cc_strategies[];
const cc_strategy *cc_strategy_find(const char *name);

/* May the agent take the item now: ready (or busy with room on the channel), room for its channel,
 * the skill at the level the wait allows (not asked of the one agent an item is for by name). */
int cc_eligible(const cc_item *it, const cc_agent *ag, double now);

/* The next decision: the first item in the strategy's order that some agent may take, given to the
 * agent the strategy scores best (ties: the longest idle, then the lowest id).  out->item -1 when no
 * item can be routed now. */
void cc_route(const cc_centre *c, const cc_strategy *s, double now, cc_decision *out);

/* ---- the live centre in the store (setup.c, live.c, steps.c, agents.c) ----
 *
 * Tables of migration 0028.  The store is the centre's state: every change is a transaction that
 * also routes what can be routed then, so that several servers may share one store and a restart
 * loses nothing (no statistics reset, no call-back losing its place).  Times are milliseconds since
 * 1970 (cc_clock_ms: RAPPORT_NOW when set), kept as text "2026-12-04T10:00:00.125Z". */

typedef struct wh wh;

#define CC_TIME_LEN 25
#define CC_SESSION_TIMEOUT_S 120    /* an agent whose sign-in gave no sign of life for this long: offline */

int64_t cc_clock_ms(void);
void cc_time_format(int64_t ms, char out[CC_TIME_LEN]);
/* ISO 8601 (rtime.h's forms) with optional milliseconds; RP_INVAL naming field. */
int cc_time_parse(const char *field, const char *s, int64_t *ms, rp_error *err) RP_WARN_UNUSED;

/* Definitions, each one JSON object checked member by member (errors name "queue.skill" and so on),
 * written whole or not at all:
 *   skill  {name, kind: language|product|segment|other}
 *   queue  {code, name, channel, skill, min_level 1-5, strategy (a row of cc_strategies), priority,
 *           overflow_s, overflow_skill, target_s, target_level, wrap_up_s, number, active}
 *   agent  {login (a Rapport user), name, sip, skills {name: level 1-5}, capacity {channel: n}, active}
 * A put replaces the row (an agent's skills all).  cc_setup_put takes {skills, queues, agents} in one
 * transaction (the errors name "agents[3].skills.信用卡"). */
int cc_skill_put(wh *w, const json_t *def, const char *path, rp_error *err) RP_WARN_UNUSED;
int cc_queue_put(wh *w, const json_t *def, const char *path, const char *by, int64_t now_ms, rp_error *err) RP_WARN_UNUSED;
int cc_agent_put(wh *w, const json_t *def, const char *path, const char *by, int64_t now_ms, rp_error *err) RP_WARN_UNUSED;
int cc_setup_put(wh *w, const json_t *doc, const char *by, int64_t now_ms, rp_error *err) RP_WARN_UNUSED;
/* {skills: [...], queues: [...], agents: [{..., skills: {name: level}, capacity: {...}, state, ...}]} */
int cc_setup_get(wh *w, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* An interaction offered to the centre (the switch's INVITE, an e-mail, a chat, a call-back asked
 * for, an outbound call placed).  queue: its code, or NULL for the queue whose number is `to`.
 * party_id 0: found from the address (a phone number, an e-mail address; several customers sharing
 * it are counted, the first taken).  at_ms 0: now. */
typedef struct cc_offer_in {
    const char *channel, *queue, *to, *external_id, *address, *ivr_path, *reason, *campaign, *callback_at;
    int direction_out;
    int64_t party_id, at_ms;
} cc_offer_in;

/* Offer it, queue it and route what can be routed: *out {interaction, state, agent, sip, why,
 * position, estimated_wait_s, party_id, parties, assignments: [...]} where assignments are every
 * interaction given to an agent by this change (the server tells the switch and the agents' screens of
 * them through cc_untold, whoever made the change).
 * The same external_id again is the same interaction (repeated: true), nothing written. */
int cc_offer(wh *w, const cc_offer_in *in, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* Something that happened to an interaction: held (the switch holds the call: detail switch_ref),
 * answered, ended, abandoned, no_answer (the agent's phone did not answer: back to the queue, the
 * agent on a break), transfer (detail queue or agent: the interaction ends transferred and a new one
 * is queued with its context), wrap_up (detail disposition, note: done), note.  The interaction by id,
 * or by channel and external_id.  The same event again where it already happened is repeated: true,
 * nothing written; one that cannot happen now is RP_EXISTS naming the state. */
typedef struct cc_event_in {
    int64_t interaction;
    const char *channel, *external_id;
    const char *event, *agent, *by;          /* agent: the login doing it (wrap_up, transfer, note) */
    const char *switch_ref, *disposition, *note, *queue, *to_agent, *reason, *callback_at;
    int64_t at_ms;
} cc_event_in;
int cc_event_apply(wh *w, const cc_event_in *ev, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* An agent's state: ready, break (a reason), offline; session: the sign-in holding it (NULL from the
 * command line).  A second sign-in while the first is alive is RP_EXISTS unless take_over.  *out as
 * cc_offer's, with the agent's row. */
int cc_agent_state(wh *w, const char *login, const char *state, const char *reason, const char *session,
                   int take_over, const char *by, int64_t at_ms, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* The sign-in's sign of life (the agent's screen connected). */
int cc_agent_seen(wh *w, const char *login, const char *session, int64_t at_ms, rp_error *err) RP_WARN_UNUSED;
/* The timers: wrap-ups ended, sign-ins gone quiet (offline, their unanswered interactions back in
 * line), surges started and ended, call-backs due, overflow; then routing.  *out {wrapped_up,
 * timed_out, surges, assignments}. */
int cc_tick(wh *w, int64_t now_ms, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* The agent's desk: their row, their open interactions (each with its steps), and the queues and
 * colleagues a transfer may go to. */
int cc_desk(wh *w, const char *login, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* The assignments nobody has told the switch and the agent's screen of yet (made by any server or by
 * the command line), at most limit, oldest first, as [{interaction, channel, external_id, switch_ref,
 * agent, queue, sip, why, party_id, parties, address, ivr_path, reason}], marked told in the same
 * transaction: the one server that takes them tells.  cc_told marks one told by the reply that put
 * it through (*out its row, or NULL when it was told already or is not assigned). */
int cc_untold(wh *w, int limit, json_t **out, rp_error *err) RP_WARN_UNUSED;
int cc_told(wh *w, int64_t id, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* The wallboard (board.c): per queue now and since the start of the period (the day in Taipei unless
 * since_ms): {as_of, since, queues: [{code, name, channel, target_s, target_level, waiting,
 * longest_wait_s, offered, answered, abandoned, answered_within_target, service_level (within the
 * target, of those offered), asa_s, aht_s, abandonment, fcr}], agents: [{login, name, state, reason,
 * state_at, handled, open, signed_in_s, occupancy}], alerts: [{queue, kind: service_level |
 * longest_wait | abandonment, value, threshold}]}.  First-contact resolution: a done interaction of a
 * known customer with no contact of theirs for the same reason within fcr_days (7) after it. */
typedef struct cc_board_opts {
    int64_t since_ms;
    int alert_wait_s;          /* a caller waiting longer raises an alert (0: four times the queue's target) */
    double alert_abandon;      /* abandonment above it (0: 5 %) */
    int fcr_days;
} cc_board_opts;
int cc_wallboard(wh *w, int64_t now_ms, const cc_board_opts *o, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* A simulated busy period played against the live centre (drive.c): calls arriving at random into
 * queue (Poisson, calls in minutes), agents' phones answering after a few seconds, talking for an
 * exponential time (mean aht_s), wrapping up after wrap_s; callers giving up after an exponential
 * patience (mean patience_s; 0: never).  Real time divided by speed (60: a busy hour in a minute),
 * written as it happens through the calls the switch and the desks use, so that the wallboard moves.
 * ready_all: every agent made ready first.  progress, if given, every two seconds. */
typedef struct cc_drive_opts {
    const char *queue;
    double minutes, speed, aht_s, patience_s, wrap_s;
    int calls;
    uint64_t seed;
    int64_t run;               /* a number in the calls' ids (drive-RUN-N), so that runs do not meet */
    int ready_all;
} cc_drive_opts;
typedef struct cc_drive_stats {
    int64_t offered, answered, abandoned;
    double elapsed_s;
} cc_drive_stats;
int cc_drive(wh *w, const cc_drive_opts *o, void (*progress)(const cc_drive_stats *s, void *cls), void *cls,
             cc_drive_stats *out, rp_error *err) RP_WARN_UNUSED;
/* The historical report (report.c): the call records from from to before to (UTC seconds; the live
 * centre's and those loaded from the call centre's extract, or one source) by interval (its start in
 * Taipei, interval_min minutes that divide a day), queue or agent: {from, to, by, calls, rows:
 * [{interval|queue|agent, offered, answered, abandoned, service_level (answered within the queue's
 * target, of those offered; 15 s for a queue the live centre does not know), asa_s, aht_s (talk and
 * wrap-up), abandonment, peak_concurrent (calls talking at once), sales, revenue, revenue_per_call}]},
 * revenue: the offers' value of the sales (positive responses) an agent recorded for the caller the
 * day of the call, in the offers' currency. */
enum { CC_BY_INTERVAL, CC_BY_QUEUE, CC_BY_AGENT };
typedef struct cc_report_opts {
    int by;
    int64_t from, to;
    int interval_min;
    const char *source;
} cc_report_opts;
int cc_report(wh *w, const cc_report_opts *o, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* The surges on now (surge.c; cc_tick starts and ends them): [{id, queue, started_at, offered_15m,
 * aht_s, agents_needed, agents_on_duty, actions}].  While one is on, heavy batch work waits (rapport
 * analyze and customer refresh say so), the queue's calls go to any level of its skill, callers are
 * offered a call-back, and running campaigns' outbound call cells are paused (resumed at its end). */
int cc_surges_open(wh *w, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* The IVR (ivr.c, ivrcall.c).  A flow: {start, nodes: {id: {kind, prompt: {"zh-TW", "en"}, ...}}} with
 * kinds menu (options: {"1": {next, lang?}}), identify (an account number, or a national ID keyed as
 * digits, the letter as its two-digit code: A123456789 as 10123456789; next, fail), pin (next, fail),
 * service (balance, last_transactions: with the PIN; lost_card: identified; next, fail), say (next)
 * and queue (queue, reason?: the call joins it with the path it took).  Three wrong inputs at a node
 * take its fail.  A queue whose ivr names a flow sends each call through it first (cc_offer answers
 * with {ivr: {flow, node, prompt: "FLOW.NODE", lang, say, collect: {max_digits, end}}}); cc_ivr_input
 * takes the caller's keys and answers the same way, or, at the queue, as cc_offer does.  PINs: six
 * digits, Argon2id over a hash keyed with the store's key (a key rotation asks for new PINs), three
 * wrong lock them for thirty minutes; cc_pin_issue makes one (pin: shown once) and resets the lock. */
#define CC_PIN_LEN 6
int cc_ivr_put(wh *w, const char *name, const json_t *flow, const char *by, int64_t now_ms, rp_error *err) RP_WARN_UNUSED;
int cc_ivr_flow(wh *w, const char *name, json_t **out, rp_error *err) RP_WARN_UNUSED;
int cc_ivr_input(wh *w, const char *external_id, const char *digits, int64_t at_ms, json_t **out,
                 rp_error *err) RP_WARN_UNUSED;
int cc_pin_issue(wh *w, int64_t party, const char *by, int64_t now_ms, char pin[CC_PIN_LEN + 1],
                 rp_error *err) RP_WARN_UNUSED;
/* Every PIN withdrawn (*n of them): a key rotation does it, since a PIN kept under the old key's hash
 * cannot be made again without the PIN itself (the IVR then says none was issued; staff issue anew). */
int cc_pins_withdraw(wh *w, int64_t *n, rp_error *err) RP_WARN_UNUSED;
/* Outbound dialling (dial.c, migration 0031).  A dialler works through a running campaign's
 * outbound_call cell — its customers as the cell's calling list chooses them (mk_dial_targets: consent,
 * reach, do-not-call, a phone) — in a queue of channel outbound.  Progressive pacing: every tick, each
 * agent of the queue (its skill at its level, able to take an outbound call) who is free once routing
 * has given out what waits (inbound first: a blended agent dials only when no caller needs them) gets
 * the next customer due, dialled for them alone: the agent is taken first, so nobody who answers
 * hears silence.  Only within the calling hours hours_from to hours_to (Taipei, default 09:00-21:00)
 * on the days (ISO weekdays, default every day), only while the campaign runs and the cell is not
 * paused (a surge pauses it), and with consent and do-not-call asked again at each dial
 * (wh_contactable: a customer who may no longer be called ends not_allowed; one outside their own
 * preferred hours waits half an hour).  The switch is told to dial as for any assignment (cc_untold:
 * channel outbound, address the number, sip the agent's phone).  Outcomes: the switch's unreached
 * event (no_answer, busy, wrong_number, failed: no one on the line), or, once answered, the agent's
 * wrap-up disposition — sale (the campaign's positive response), refused (its negative one),
 * callback (again at callback_at), wrong_number, anything else a contact.  no_answer, busy and
 * failed are dialled again after retry_min minutes, up to attempts in all; a dial the switch says
 * nothing of for two minutes is failed (cc_tick).  A dialler with nobody left is done.  *out of cc_dial_start {dialler (the row), customers, skipped (as mk_dial_list's)}; of cc_dialler_get
 * {dialler: {id, campaign, cell, queue, ..., state, customers, waiting, dialling, done, attempts_made,
 * sales, refusals}, outcomes: [{outcome, customers}], entries?: the first `entries` customers with
 * their numbers masked}; cc_dial_state: running, paused or stopped (stopped and done are final). */
typedef struct mk_mart mk_mart;
typedef struct cc_dial_opts {
    const char *campaign, *cell, *queue;
    const char *hours_from, *hours_to, *days;   /* NULL: 09:00, 21:00, 1234567 */
    int attempts, retry_min;                    /* 0: 3, 60 */
} cc_dial_opts;
int cc_dial_start(wh *w, const mk_mart *m, const cc_dial_opts *o, const char *by, int64_t now_ms, json_t **out,
                  rp_error *err) RP_WARN_UNUSED;
int cc_dial_state(wh *w, int64_t id, const char *state, const char *by, int64_t now_ms, json_t **out,
                  rp_error *err) RP_WARN_UNUSED;
int cc_diallers(wh *w, json_t **out, rp_error *err) RP_WARN_UNUSED;
int cc_dialler_get(wh *w, int64_t id, int entries, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* The customer-side chat (chat.c, migration 0032).  A customer starts a chat from the public page
 * (cc_chat_start): an interaction of channel chat offered to the queue named, or to the first open chat
 * queue (the highest priority), with the name they gave (optional, one line of at most
 * CC_CHAT_NAME_MAX characters) and their language (zh-TW or en).  *out {chat, token, expires_at, state,
 * queue, position, assignments}: chat is the interaction's id, which names the chat for good (a
 * transfer's new leg goes on as the same conversation); token is its session, "CHAT.EXPIRY.HEX", the
 * chat and the expiry (seconds since 1970, CC_CHAT_TTL_S after the start) under a keyed hash with the
 * store's key (wh_keyed_hash, domain "chat": the unsubscribe links' mechanism); nothing of it is kept.
 * cc_chat_session checks one: *chat, or RP_DENIED "the chat session is not valid" (forged, changed,
 * malformed) or "the chat session has expired: start a new chat".
 *
 * Messages (cc_chat_message): numbered within the chat from 1 (seq), from customer, agent (with the
 * agent's login) or system (the centre's own, as a code: customer_ended), text of at most
 * CC_CHAT_TEXT_MAX characters (UTF-8, new lines and tabs its only control characters; RP_INVAL naming
 * "text").  cc_chat_say: id any leg of the chat; an agent's only on the chat whose newest leg is theirs
 * (RP_DENIED "interaction N is amy's, not bob's"), and answering a chat given to them and not yet
 * accepted accepts it (answered); a chat that has ended (its newest leg neither offered, queued,
 * assigned nor connected) takes no message: RP_EXISTS "this chat has ended".  *out {chat, interaction
 * (the newest leg), seq, from, agent, text, at, to_agent: the agent to tell, or null}.  cc_chat_end:
 * the customer ends it (a system message customer_ended, then the event ended: a chat talking goes to
 * wrap-up, one never answered is abandoned); *out {chat, interaction, state, to_agent}.
 * cc_chat_read: the messages after seq after (at most CC_CHAT_READ_MAX, oldest first) and where the
 * chat stands: {chat, interaction, state, ended, name, lang, last_seq, agent_name, messages: [{seq,
 * from, agent, text, at}], agent}.  The viewer: an agent (only their own chat, else RP_NOTFOUND "no
 * interaction N of yours"), the customer (no agent's login in it; an ended chat is read for
 * CC_CHAT_GRACE_S after its end, so that the page shows the last words, then RP_EXISTS "this chat has
 * ended"), or neither (a supervisor, the command line). */
#define CC_CHAT_TEXT_MAX 2000
#define CC_CHAT_NAME_MAX 80
#define CC_CHAT_TOKEN_MAX 112
#define CC_CHAT_TTL_S (4 * 3600)
#define CC_CHAT_GRACE_S 600
#define CC_CHAT_READ_MAX 500
typedef struct cc_chat_in {
    const char *queue, *name, *lang;
    int64_t at_ms;
} cc_chat_in;
typedef struct cc_chat_viewer {
    const char *agent;         /* an agent's login: their own chats only */
    int customer;              /* the customer's page */
} cc_chat_viewer;
int cc_chat_start(wh *w, const cc_chat_in *in, json_t **out, rp_error *err) RP_WARN_UNUSED;
void cc_chat_token(wh *w, int64_t chat, int64_t expires_s, char out[CC_CHAT_TOKEN_MAX]);
int cc_chat_session(wh *w, const char *token, int64_t now_ms, int64_t *chat, rp_error *err) RP_WARN_UNUSED;
int cc_chat_say(wh *w, int64_t id, const char *from, const char *agent, const char *text, int64_t at_ms, json_t **out,
                rp_error *err) RP_WARN_UNUSED;
int cc_chat_end(wh *w, int64_t id, int64_t at_ms, json_t **out, rp_error *err) RP_WARN_UNUSED;
int cc_chat_read(wh *w, int64_t id, int64_t after, const cc_chat_viewer *v, int64_t now_ms, json_t **out,
                 rp_error *err) RP_WARN_UNUSED;
/* An interaction with its events. */
int cc_interaction_get(wh *w, int64_t id, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* Interactions, newest first: state (NULL any, "open" the unfinished), queue, at most limit. */
int cc_interactions(wh *w, const char *state, const char *queue, int64_t limit, json_t **out,
                    rp_error *err) RP_WARN_UNUSED;

#endif
