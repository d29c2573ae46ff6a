/* drive.c — a simulated busy period played against the live centre: callers arriving at random
 * (Poisson), agents' phones ringing and answering, talking for an exponential time, wrapping up;
 * callers who wait too long hanging up.  Everything goes through the same calls the switch and the
 * agents' desks use (cc_offer, cc_event_apply, cc_agent_state, cc_tick), in real time compressed by
 * a factor, so that the wallboard moves as it would on a busy morning.  See contact.h. */
#include "contact/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { ACT_ARRIVE, ACT_ANSWER, ACT_HANGUP, ACT_WRAP, ACT_PATIENCE };

typedef struct act {
    int64_t at;       /* ms, on the real clock */
    int kind;
    int64_t ix;       /* the interaction (0 for an arrival) */
} act;

typedef struct drive {
    act *heap;
    size_t n, cap;
    uint64_t rng;
    const cc_drive_opts *o;
    cc_drive_stats st;
    int64_t end;      /* no caller arrives after it */
    int64_t first;    /* the first interaction the drive offered: those before are not counted as its */
} drive;

/* The real clock, whatever RAPPORT_NOW says: the drive plays in real time. */
static int64_t real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double uniform(drive *d)
{
    d->rng = d->rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((double)(d->rng >> 11) + 0.5) / 9007199254740992.0;
}

static double expo(drive *d, double mean) { return -mean * log(uniform(d)); }

static int push(drive *d, int64_t at, int kind, int64_t ix, rp_error *err)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        act *h = realloc(d->heap, cap * sizeof *h);
        if (!h)
            return rp_err(err, RP_NOMEM, "drive: %zu events", cap);
        d->heap = h, d->cap = cap;
    }
    size_t i = d->n++;
    d->heap[i] = (act){ at, kind, ix };
    while (i && d->heap[(i - 1) / 2].at > d->heap[i].at) {
        act t = d->heap[i];
        d->heap[i] = d->heap[(i - 1) / 2], d->heap[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
    return RP_OK;
}

static act pop(drive *d)
{
    act top = d->heap[0];
    d->heap[0] = d->heap[--d->n];
    for (size_t i = 0;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < d->n && d->heap[l].at < d->heap[m].at)
            m = l;
        if (r < d->n && d->heap[r].at < d->heap[m].at)
            m = r;
        if (m == i)
            break;
        act t = d->heap[i];
        d->heap[i] = d->heap[m], d->heap[m] = t;
        i = m;
    }
    return top;
}

/* Durations on the compressed clock: seconds of the simulated centre as real ms. */
static int64_t ms(const drive *d, double s) { return (int64_t)(s * 1000.0 / d->o->speed); }

/* Every assignment a change made: the agent's phone rings and is answered a few seconds later. */
static int schedule_answers(drive *d, const json_t *o, int64_t now, rp_error *err)
{
    size_t i;
    json_t *a;
    int rc = RP_OK;
    json_array_foreach(json_object_get(o, "assignments"), i, a)
        if (!rc)
            rc = push(d, now + ms(d, 2 + 4 * uniform(d)), ACT_ANSWER, json_integer_value(json_object_get(a, "interaction")), err);
    return rc;
}

static int arrive(wh *w, drive *d, int64_t now, rp_error *err)
{
    char id[48], from[16];
    snprintf(id, sizeof id, "drive-%lld-%lld", (long long)d->o->run, (long long)++d->st.offered);
    snprintf(from, sizeof from, "09%08u", (unsigned)(uniform(d) * 1e8));
    cc_offer_in in = { .channel = "voice", .queue = d->o->queue, .external_id = id, .address = from, .at_ms = now };
    json_t *o;
    int rc = cc_offer(w, &in, &o, err);
    if (rc)
        return rc;
    int64_t ix = json_integer_value(json_object_get(json_object_get(o, "interaction"), "id"));
    if (!d->first)
        d->first = ix;
    rc = schedule_answers(d, o, now, err);
    json_decref(o);
    if (!rc && d->o->patience_s > 0)
        rc = push(d, now + ms(d, expo(d, d->o->patience_s)), ACT_PATIENCE, ix, err);
    double gap = expo(d, d->o->minutes * 60.0 / d->o->calls);
    if (!rc && now + ms(d, gap) < d->end)
        rc = push(d, now + ms(d, gap), ACT_ARRIVE, 0, err);
    return rc;
}

/* One thing happens to an interaction; one that cannot happen now (a caller who gave up while the
 * phone rang, a patience that ran out after the answer) changes nothing. */
static int happen(wh *w, drive *d, const act *a, int64_t now, rp_error *err)
{
    static const char *const names[] = { "", "answered", "ended", "wrap_up", "abandoned" };
    cc_event_in ev = { .interaction = a->ix, .event = names[a->kind], .by = "drive", .at_ms = now,
                       .disposition = "resolved", .reason = a->kind == ACT_PATIENCE ? "the caller gave up" : NULL };
    json_t *o = NULL;
    rp_error e = RP_ERROR_INIT;
    int rc = cc_event_apply(w, &ev, &o, &e);
    if (rc == RP_EXISTS || (rc == RP_OK && json_is_true(json_object_get(o, "repeated")))) {
        json_decref(o);
        return RP_OK;
    }
    if (rc) {
        *err = e;
        return rc;
    }
    if (a->kind == ACT_ANSWER)
        d->st.answered += d->first && a->ix >= d->first, rc = push(d, now + ms(d, expo(d, d->o->aht_s)), ACT_HANGUP, a->ix, err);
    else if (a->kind == ACT_HANGUP)
        rc = push(d, now + ms(d, d->o->wrap_s), ACT_WRAP, a->ix, err);
    else if (a->kind == ACT_PATIENCE)
        d->st.abandoned++;
    if (!rc)
        rc = schedule_answers(d, o, now, err);
    json_decref(o);
    return rc;
}

static void nap(int64_t until)
{
    int64_t now = real_ms();
    if (until <= now)
        return;
    struct timespec ts = { (until - now) / 1000, (long)((until - now) % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* Every agent of the centre ready to take calls (what that routes to them rings too: the drive plays
 * every agent's phone). */
static int all_ready(wh *w, drive *d, int64_t now, rp_error *err)
{
    rp_stmt *st;
    json_t *rows;
    int rc = rp_store_prepare(wh_store(w), "SELECT login FROM cc_agent WHERE active = 1 AND state <> 'ready'", &st, err);
    if (rc || (rc = rp_stmt_rows_json(st, 0, &rows, NULL, err)))
        return rc;
    size_t i;
    json_t *x;
    json_array_foreach(rows, i, x) {
        json_t *o = NULL;
        rp_error e = RP_ERROR_INIT;
        if (cc_agent_state(w, json_string_value(json_object_get(x, "login")), "ready", NULL, NULL, 1, "drive", now, &o, &e) ==
            RP_OK)
            rc = schedule_answers(d, o, now, err);
        json_decref(o);
        if (rc)
            break;
    }
    json_decref(rows);
    return rc;
}

int cc_drive(wh *w, const cc_drive_opts *o, void (*progress)(const cc_drive_stats *s, void *cls), void *cls,
             cc_drive_stats *out, rp_error *err)
{
    if (!(o->speed >= 1 && o->speed <= 3600) || !(o->minutes > 0 && o->minutes <= 24 * 60) || o->calls < 1 ||
        !(o->aht_s > 0) || o->patience_s < 0 || o->wrap_s < 0)
        return rp_err(err, RP_INVAL, "drive: speed 1-3600, minutes above 0 and at most a day, calls, handle time above 0");
    drive d = { .rng = o->seed ? o->seed : 1, .o = o };
    int64_t start = real_ms(), last_tick = start, last_said = start;
    d.end = start + ms(&d, o->minutes * 60);
    int rc = o->ready_all ? all_ready(w, &d, start, err) : RP_OK;
    if (!rc)
        rc = push(&d, start, ACT_ARRIVE, 0, err);
    while (!rc && d.n) {
        nap(d.heap[0].at < last_tick + 1000 ? d.heap[0].at : last_tick + 1000);
        int64_t now = real_ms();
        if (now - last_tick >= 1000) { /* the centre's own timers, as rapport serve runs them */
            json_t *t = NULL;
            if (!(rc = cc_tick(w, now, &t, err)))
                rc = schedule_answers(&d, t, now, err);
            json_decref(t);
            last_tick = now;
        }
        while (!rc && d.n && d.heap[0].at <= now) {
            act a = pop(&d);
            rc = a.kind == ACT_ARRIVE ? arrive(w, &d, now, err) : happen(w, &d, &a, now, err);
        }
        if (progress && now - last_said >= 2000) {
            d.st.elapsed_s = (double)(now - start) / 1000;
            progress(&d.st, cls);
            last_said = now;
        }
    }
    free(d.heap);
    d.st.elapsed_s = (double)(real_ms() - start) / 1000;
    *out = d.st;
    return rc;
}
