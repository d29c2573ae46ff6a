/* report.c — the contact centre's historical reports (C10): the call records of a period (the live
 * centre's and those the call centre's extract loaded) by interval, queue or agent: calls offered,
 * answered and abandoned, the service level (answered within the queue's target: its own in the live
 * centre, else the seeds' 15 s), speed of answer, handle time (talk and wrap-up), abandonment, the peak
 * of calls talking at once, and revenue per answered call (the offers' value of the sales the agent
 * recorded for the caller that day).  See contact.h. */
#include "contact/internal.h"
#include "core/rtime.h"
#include "marketing/marketing.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CALLS_MAX 2000000

static const char *S(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t I(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

typedef struct group {
    char key[64];
    int64_t offered, answered, abandoned, within, wait_sum, handle_sum, handled, revenue_minor, sales;
    int64_t *starts, *ends; /* answered calls' talk, for the peak */
    size_t n, cap;
} group;

static json_t *num(double v) { return isfinite(v) ? json_real(round(v * 10000) / 10000) : json_null(); }

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The most calls talking at once: starts and ends swept in order (an end before a start at the same
 * second). */
static int64_t peak(group *g)
{
    qsort(g->starts, g->n, sizeof *g->starts, cmp64);
    qsort(g->ends, g->n, sizeof *g->ends, cmp64);
    int64_t now = 0, top = 0;
    for (size_t i = 0, j = 0; i < g->n;) {
        if (j < g->n && g->ends[j] <= g->starts[i])
            now--, j++;
        else if (++now > top)
            top = now, i++;
        else
            i++;
    }
    return top;
}

/* The group of a call (by interval: its start in Taipei, floored to the interval). */
static void key_of(const cc_report_opts *o, const json_t *c, char key[64])
{
    if (o->by == CC_BY_QUEUE)
        snprintf(key, 64, "%s", S(c, "queue") ? S(c, "queue") : "");
    else if (o->by == CC_BY_AGENT)
        snprintf(key, 64, "%s", S(c, "agent") ? S(c, "agent") : "");
    else {
        int64_t t = I(c, "arrival_t") + RP_TAIPEI_OFFSET, step = (int64_t)o->interval_min * 60;
        t -= ((t % step) + step) % step;
        rp_date d = rp_civil_from_days(t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
        int64_t sec = t - rp_days_from_civil(d.y, d.m, d.d) * 86400;
        snprintf(key, 64, "%04d-%02d-%02d %02d:%02d", d.y, d.m, d.d, (int)(sec / 3600), (int)(sec / 60 % 60));
    }
}

static group *find(group **gs, size_t *n, size_t *cap, const char *key)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*gs)[i].key, key))
            return &(*gs)[i];
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        group *g = realloc(*gs, c * sizeof *g);
        if (!g)
            return NULL;
        *gs = g, *cap = c;
    }
    group *g = &(*gs)[(*n)++];
    memset(g, 0, sizeof *g);
    snprintf(g->key, sizeof g->key, "%s", key);
    return g;
}

static int add_talk(group *g, int64_t start, int64_t end)
{
    if (g->n == g->cap) {
        size_t c = g->cap ? g->cap * 2 : 64;
        int64_t *s = realloc(g->starts, c * sizeof *s), *e = s ? realloc(g->ends, c * sizeof *e) : NULL;
        if (s)
            g->starts = s;
        if (!s || !e)
            return -1;
        g->ends = e, g->cap = c;
    }
    g->starts[g->n] = start, g->ends[g->n++] = end;
    return 0;
}

/* The queues' own targets (the live centre's), else 15 s. */
static int64_t target_of(const json_t *targets, const char *queue)
{
    json_t *t = queue ? json_object_get(targets, queue) : NULL;
    return t ? json_integer_value(t) : 15;
}

/* Each sale's value: the offer's, by the agent, customer and day (Taipei) it was recorded. */
static int sales_by(wh *w, const cc_report_opts *o, json_t **out, rp_error *err)
{
    json_t *rows;
    int rc = wh_staff_sales(w, o->from, o->to, &rows, err);
    if (rc)
        return rc;
    *out = json_object();
    size_t i;
    json_t *x;
    json_array_foreach(rows, i, x) {
        int64_t t;
        rp_error e = RP_ERROR_INIT;
        json_t *offer = NULL;
        if (!S(x, "offer") || rp_time_parse(S(x, "at"), &t, &e) || mk_offer_get(w, S(x, "offer"), &offer, &e))
            continue;
        char day[RP_DATE_LEN], key[160];
        rp_date_format(rp_time_taipei_date(t), day);
        snprintf(key, sizeof key, "%s|%lld|%s", S(x, "by"), (long long)I(x, "party_id"), day);
        json_int_t v = json_integer_value(json_object_get(*out, key)) + I(offer, "value_minor");
        json_object_set_new(*out, key, json_integer(v));
        json_decref(offer);
    }
    json_decref(rows);
    return RP_OK;
}

static int tally(const cc_report_opts *o, const json_t *calls, const json_t *targets, json_t *sales, group **gs,
                 size_t *ng, rp_error *err)
{
    size_t cap = 0, i;
    json_t *c;
    json_array_foreach(calls, i, c) {
        char key[64];
        key_of(o, c, key);
        group *g = find(gs, ng, &cap, key);
        if (!g)
            return rp_err(err, RP_NOMEM, "report: %zu groups", *ng);
        g->offered++;
        if (I(c, "abandoned")) {
            g->abandoned++;
            continue;
        }
        int64_t wait = I(c, "wait_s"), talk = I(c, "talk_s"), wrap = I(c, "wrap_s");
        g->answered++;
        g->wait_sum += wait;
        g->within += wait <= target_of(targets, S(c, "queue"));
        g->handle_sum += talk + wrap;
        g->handled++;
        if (add_talk(g, I(c, "arrival_t") + wait, I(c, "arrival_t") + wait + talk))
            return rp_err(err, RP_NOMEM, "report: calls");
        if (S(c, "agent") && I(c, "party_id")) {
            char day[RP_DATE_LEN], k2[160];
            rp_date_format(rp_time_taipei_date(I(c, "arrival_t")), day);
            snprintf(k2, sizeof k2, "%s|%lld|%s", S(c, "agent"), (long long)I(c, "party_id"), day);
            json_t *v = json_object_get(sales, k2);
            if (v) { /* counted once, with the first call of that customer that day */
                g->revenue_minor += json_integer_value(v), g->sales++;
                json_object_del(sales, k2);
            }
        }
    }
    return RP_OK;
}

static json_t *row_of(const cc_report_opts *o, group *g)
{
    static const char *const keys[] = { "interval", "queue", "agent" };
    json_t *r = json_object();
    json_object_set_new(r, keys[o->by], json_string(g->key));
    json_object_set_new(r, "offered", json_integer(g->offered));
    json_object_set_new(r, "answered", json_integer(g->answered));
    json_object_set_new(r, "abandoned", json_integer(g->abandoned));
    json_object_set_new(r, "service_level", g->offered ? num((double)g->within / (double)g->offered) : json_null());
    json_object_set_new(r, "asa_s", g->answered ? num((double)g->wait_sum / (double)g->answered) : json_null());
    json_object_set_new(r, "aht_s", g->handled ? num((double)g->handle_sum / (double)g->handled) : json_null());
    json_object_set_new(r, "abandonment", g->offered ? num((double)g->abandoned / (double)g->offered) : json_null());
    json_object_set_new(r, "peak_concurrent", json_integer(peak(g)));
    json_object_set_new(r, "sales", json_integer(g->sales));
    json_object_set_new(r, "revenue", num((double)g->revenue_minor / 100.0));
    json_object_set_new(r, "revenue_per_call", g->answered ? num((double)g->revenue_minor / 100.0 / (double)g->answered)
                                                           : json_null());
    return r;
}

static int by_key(const void *a, const void *b) { return strcmp(((const group *)a)->key, ((const group *)b)->key); }

int cc_report(wh *w, const cc_report_opts *o, json_t **out, rp_error *err)
{
    if (o->by < CC_BY_INTERVAL || o->by > CC_BY_AGENT || o->from >= o->to)
        return rp_err(err, RP_INVAL, "report: by interval, queue or agent, over a period that is not empty");
    if (o->by == CC_BY_INTERVAL && (o->interval_min < 5 || o->interval_min > 1440 || 1440 % o->interval_min))
        return rp_err(err, RP_INVAL, "interval: minutes that divide a day, from 5 to 1440, not %d", o->interval_min);
    json_t *calls = NULL, *targets = json_object(), *sales = NULL, *qs = NULL;
    rp_stmt *st;
    int rc = wh_calls_read(w, o->from, o->to, o->source, CALLS_MAX, &calls, err);
    if (!rc && !(rc = rp_store_prepare(wh_store(w), "SELECT code, target_s FROM cc_queue", &st, err)) &&
        !(rc = rp_stmt_rows_json(st, 0, &qs, NULL, err))) {
        size_t i;
        json_t *q;
        json_array_foreach(qs, i, q) json_object_set(targets, S(q, "code"), json_object_get(q, "target_s"));
    }
    if (!rc)
        rc = sales_by(w, o, &sales, err);
    group *gs = NULL;
    size_t ng = 0;
    if (!rc)
        rc = tally(o, calls, targets, sales, &gs, &ng, err);
    if (!rc) {
        qsort(gs, ng, sizeof *gs, by_key);
        json_t *rows = json_array();
        for (size_t i = 0; i < ng; i++)
            json_array_append_new(rows, row_of(o, &gs[i]));
        char from[RP_TIME_UTC_LEN], to[RP_TIME_UTC_LEN];
        rp_time_format_utc(o->from, from);
        rp_time_format_utc(o->to, to);
        *out = json_pack("{s:s, s:s, s:s, s:I, s:o}", "from", from, "to", to, "by",
                         o->by == CC_BY_QUEUE ? "queue" : o->by == CC_BY_AGENT ? "agent" : "interval", "calls",
                         (json_int_t)json_array_size(calls), "rows", rows);
    }
    for (size_t i = 0; i < ng; i++)
        free(gs[i].starts), free(gs[i].ends);
    free(gs);
    json_decref(calls), json_decref(targets), json_decref(sales), json_decref(qs);
    return rc;
}
