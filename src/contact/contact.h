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
 */
#ifndef RP_CONTACT_H
#define RP_CONTACT_H

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
 * the skill at the level the wait allows. */
int cc_eligible(const cc_item *it, const cc_agent *ag, double now);

/* The next decision: the first item in the strategy's order that some agent may take, given to the
 * agent the strategy scores best (ties: the longest idle, then the lowest id).  out->item -1 when no
 * item can be routed now. */
void cc_route(const cc_centre *c, const cc_strategy *s, double now, cc_decision *out);

#endif
