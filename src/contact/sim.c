/* sim.c — a discrete-event simulator of a contact centre: calls arriving by interval (a Poisson
 * process at each interval's rate), agents on duty by interval, handle times exponential or
 * log-normal, callers' patience exponential; one first-come-first-served queue served by alike
 * agents.  Events (an arrival, a service's end, a caller giving up, a change of shift) in a binary
 * heap by time; the queue a ring of waiting calls, a caller who gave up skipped when reached.  Every
 * offered call ends exactly once, answered or abandoned; the count of those that did not (no agent
 * left to answer and no patience to end the wait) is reported.  See contact.h. */
#include "contact/contact.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { EV_ARRIVE, EV_DONE, EV_GIVE_UP, EV_SHIFT };

typedef struct event {
    double t;
    int kind;
    int64_t call;                 /* the call (arrive, give up, done) or the interval (shift) */
} event;

typedef struct call {
    double arrived;
    int interval;
    uint8_t state;                /* 0 waiting, 1 answered, 2 abandoned */
} call;

typedef struct sim {
    const cc_sim_in *in;
    cc_sim_out *out;
    event *heap;
    size_t nheap, heap_room;
    call *calls;
    size_t ncalls, calls_room;
    int64_t *queue;               /* waiting calls, a ring */
    size_t qhead, qlen, qroom;
    int idle, leaving;            /* agents free; busy agents who leave when they finish */
    uint64_t rng;
} sim;

static double uniform(sim *s)
{
    uint64_t z = (s->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return ((double)(z >> 11) + 0.5) / 9007199254740992.0;  /* in (0, 1) */
}

static double exponential(sim *s, double mean) { return -log(uniform(s)) * mean; }

static double handle_time(sim *s)
{
    const cc_sim_in *in = s->in;
    if (in->handle != CC_HANDLE_LOGNORMAL)
        return exponential(s, in->aht_s);
    double cv = in->handle_cv > 0 ? in->handle_cv : 1, s2 = log(1 + cv * cv);
    double n = sqrt(-2 * log(uniform(s))) * cos(2 * M_PI * uniform(s));
    return exp(log(in->aht_s) - s2 / 2 + sqrt(s2) * n);
}

static int push(sim *s, double t, int kind, int64_t what)
{
    if (s->nheap == s->heap_room) {
        size_t room = s->heap_room ? s->heap_room * 2 : 1024;
        event *h = realloc(s->heap, room * sizeof *h);
        if (!h)
            return RP_NOMEM;
        s->heap = h, s->heap_room = room;
    }
    size_t i = s->nheap++;
    while (i > 0 && s->heap[(i - 1) / 2].t > t) {
        s->heap[i] = s->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    s->heap[i] = (event){ t, kind, what };
    return RP_OK;
}

static event pop(sim *s)
{
    event top = s->heap[0], last = s->heap[--s->nheap];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= s->nheap)
            break;
        if (c + 1 < s->nheap && s->heap[c + 1].t < s->heap[c].t)
            c++;
        if (s->heap[c].t >= last.t)
            break;
        s->heap[i] = s->heap[c];
        i = c;
    }
    if (s->nheap)
        s->heap[i] = last;
    return top;
}

static int enqueue(sim *s, int64_t id)
{
    if (s->qlen == s->qroom) {
        size_t room = s->qroom ? s->qroom * 2 : 1024;
        int64_t *q = malloc(room * sizeof *q);
        if (!q)
            return RP_NOMEM;
        for (size_t i = 0; i < s->qlen; i++)
            q[i] = s->queue[(s->qhead + i) % s->qroom];
        free(s->queue);
        s->queue = q, s->qroom = room, s->qhead = 0;
    }
    s->queue[(s->qhead + s->qlen++) % s->qroom] = id;
    return RP_OK;
}

/* The longest-waiting caller still waiting, or -1. */
static int64_t dequeue(sim *s)
{
    while (s->qlen) {
        int64_t id = s->queue[s->qhead];
        s->qhead = (s->qhead + 1) % s->qroom, s->qlen--;
        if (s->calls[id].state == 0)
            return id;
    }
    return -1;
}

/* An agent takes call id at t. */
static int answer(sim *s, int64_t id, double t)
{
    call *c = &s->calls[id];
    cc_sim_stats *st = &s->out->interval[c->interval];
    double wait = t - c->arrived, h = handle_time(s);
    c->state = 1;
    st->answered++;
    st->within_target += wait <= s->in->target_s;
    st->wait_sum_s += wait;
    st->handle_sum_s += h;
    st->busy_s += h;
    if (wait > st->longest_wait_s)
        st->longest_wait_s = wait;
    return push(s, t + h, EV_DONE, id);
}

/* An agent free at t: leaves if the shift says so, else takes the longest-waiting call or waits. */
static int agent_free(sim *s, double t)
{
    if (s->leaving > 0) {
        s->leaving--;
        return RP_OK;
    }
    int64_t id = dequeue(s);
    if (id < 0) {
        s->idle++;
        return RP_OK;
    }
    return answer(s, id, t);
}

static int arrive(sim *s, double t, int interval)
{
    if (s->ncalls == s->calls_room) {
        size_t room = s->calls_room ? s->calls_room * 2 : 4096;
        call *c = realloc(s->calls, room * sizeof *c);
        if (!c)
            return RP_NOMEM;
        s->calls = c, s->calls_room = room;
    }
    int64_t id = (int64_t)s->ncalls++;
    s->calls[id] = (call){ t, interval, 0 };
    s->out->interval[interval].offered++;
    if (s->idle > 0) {
        s->idle--;
        return answer(s, id, t);
    }
    int rc = enqueue(s, id);
    if (!rc && s->in->patience_s > 0)
        rc = push(s, t + exponential(s, s->in->patience_s), EV_GIVE_UP, id);
    return rc;
}

/* Interval k begins: agents join (taking waiting calls) or leave (the idle first, then the busy as
 * they finish); its arrivals are drawn. */
static int shift(sim *s, int k, double t)
{
    const cc_sim_in *in = s->in;
    int before = k ? in->agents[k - 1] : 0, want = in->agents[k], rc = RP_OK;
    s->out->interval[k].staffed_s = (double)want * in->interval_s;
    for (int d = want - before; d > 0 && !rc; d--) {
        if (s->leaving > 0) /* one who was to leave stays */
            s->leaving--;
        else
            rc = agent_free(s, t);
    }
    for (int d = before - want; d > 0; d--) {
        if (s->idle > 0)
            s->idle--;
        else
            s->leaving++;
    }
    double rate = in->calls[k] / in->interval_s, end = t + in->interval_s;
    for (double a = t + (rate > 0 ? exponential(s, 1 / rate) : INFINITY); !rc && a < end; a += exponential(s, 1 / rate))
        rc = push(s, a, EV_ARRIVE, k);
    if (!rc && k + 1 < in->intervals)
        rc = push(s, end, EV_SHIFT, k + 1);
    return rc;
}

static int check(const cc_sim_in *in, rp_error *err)
{
    if (in->intervals < 1 || in->intervals > CC_SIM_MAX_INTERVALS)
        return rp_err(err, RP_INVAL, "intervals: 1 to %d, not %d", CC_SIM_MAX_INTERVALS, in->intervals);
    if (!(in->interval_s > 0 && in->interval_s <= 86400))
        return rp_err(err, RP_INVAL, "interval: seconds above 0, at most a day, not %g", in->interval_s);
    if (!(in->aht_s > 0 && in->aht_s <= 86400))
        return rp_err(err, RP_INVAL, "aht: seconds above 0, at most a day, not %g", in->aht_s);
    if (!(in->patience_s >= 0 && in->patience_s <= 86400) || !(in->target_s >= 0 && in->target_s <= 86400))
        return rp_err(err, RP_INVAL, "patience and target: seconds, 0 to a day");
    if (in->handle_cv < 0 || in->handle_cv > 10)
        return rp_err(err, RP_INVAL, "handle_cv: 0 to 10, not %g", in->handle_cv);
    for (int k = 0; k < in->intervals; k++) {
        if (!(in->calls[k] >= 0 && in->calls[k] <= 1e7))
            return rp_err(err, RP_INVAL, "calls[%d]: 0 to 10,000,000, not %g", k, in->calls[k]);
        if (in->agents[k] < 0 || in->agents[k] > CC_SIM_MAX_AGENTS)
            return rp_err(err, RP_INVAL, "agents[%d]: 0 to %d, not %d", k, CC_SIM_MAX_AGENTS, in->agents[k]);
    }
    return RP_OK;
}

static void total(const cc_sim_in *in, cc_sim_out *out)
{
    cc_sim_stats *a = &out->all;
    for (int k = 0; k < in->intervals; k++) {
        const cc_sim_stats *i = &out->interval[k];
        a->offered += i->offered, a->answered += i->answered, a->abandoned += i->abandoned;
        a->within_target += i->within_target;
        a->wait_sum_s += i->wait_sum_s, a->handle_sum_s += i->handle_sum_s, a->busy_s += i->busy_s;
        a->staffed_s += i->staffed_s;
        if (i->longest_wait_s > a->longest_wait_s)
            a->longest_wait_s = i->longest_wait_s;
    }
    out->unended = a->offered - a->answered - a->abandoned;
}

int cc_simulate(const cc_sim_in *in, cc_sim_out *out, rp_error *err)
{
    int rc = check(in, err);
    if (rc)
        return rc;
    memset(out, 0, sizeof *out);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sim s = { .in = in, .out = out, .rng = in->seed ^ 0x636f6e74616374ull };
    rc = shift(&s, 0, 0);
    while (!rc && s.nheap) {
        event e = pop(&s);
        switch (e.kind) {
        case EV_ARRIVE: rc = arrive(&s, e.t, (int)e.call); break;
        case EV_DONE: rc = agent_free(&s, e.t); break;
        case EV_GIVE_UP:
            if (s.calls[e.call].state == 0) {
                s.calls[e.call].state = 2;
                out->interval[s.calls[e.call].interval].abandoned++;
            }
            break;
        default: rc = shift(&s, (int)e.call, e.t); break;
        }
    }
    free(s.heap), free(s.calls), free(s.queue);
    if (rc)
        return rp_err(err, rc, NULL);
    total(in, out);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    out->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return RP_OK;
}
