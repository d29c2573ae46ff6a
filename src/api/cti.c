/* cti.c — the contact centre's wires: the telephone switch's interface (a call offered: where it goes;
 * what happened to it), the notices Rapport sends the switch (a call it holds goes to this agent now),
 * and the agents' screens kept open as server-sent events (the screen pop).  The board is a thread of
 * its own that does the talking to the switch, so that no request waits on it, and the list of
 * screens connected, each parked (suspended) until it has something to send.
 *
 * The switch's side (docs/contact.md): POST /api/v1/cti/offer {call_id, from, to} answers
 *   {action: "connect", target: "sip:amy@pbx", agent, interaction} or {action: "queue", position,
 *   estimated_wait_s, interaction}; the switch holds a queued call and says where with
 *   POST /api/v1/cti/event {call_id, event: "held", switch_ref}; when an agent takes it, Rapport calls
 *   [cti] switch_url?ref=REF&target=SIP&call_id=ID&interaction=N (with X-Rapport-Secret); answered,
 *   ended, abandoned (a CANCEL), no_answer come back as events. */
#include "api/internal.h"
#include "contact/contact.h"
#include "core/json.h"
#include "core/log.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <unistd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HEARTBEAT_S 15
#define SSE_QUEUE_MAX 64    /* events a parked screen holds; more and the oldest go (the screen re-reads its desk) */

typedef struct sse {
    struct sse *next;
    api_board *b;
    char login[SEC_NAME_MAX + 8];
    struct MHD_Connection *conn;
    json_t *pending;        /* events not yet sent */
    int waiting;            /* suspended until there is something */
    int greeted;
    int beat;               /* a heartbeat is due */
    uint64_t seq;
} sse;

struct api_board {
    pthread_t th;
    int started, stop;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    char url[512], secret[256];
    json_t *outbox;         /* assignments to tell the switch */
    json_t *failed;         /* those the switch could not take: {interaction, reason} for the ticker */
    sse *screens;
    uint64_t seq;
    atomic_ulong sent, refused;
    /* the relay (a store of several servers): what is pushed here goes to the other servers' screens, and
     * theirs to these, as the store's notices on RELAY_CHANNEL */
    char store[1100];       /* the store's URL; "" for a store of one server */
    char me[33];            /* this server, to know its own notices */
    pthread_t relay_th;
    int relay_started;
    int wake[2];            /* a byte: something to send */
    json_t *relay_out;      /* notices to send, under lock */
};

#define RELAY_CHANNEL "rapport_screens"
static void relay_queue(api_board *b, const char *login, const char *type, const json_t *data);

/* ---- the agents' screens ---- */

static void screen_wake(sse *x)
{
    if (x->waiting) {
        x->waiting = 0;
        MHD_resume_connection(x->conn);
    }
}

static void screen_push(api_board *b, const char *login, const char *type, json_t *data)
{
    for (sse *x = b->screens; x; x = x->next)
        if (!strcmp(x->login, login)) {
            if (json_array_size(x->pending) >= SSE_QUEUE_MAX)
                json_array_remove(x->pending, 0);
            json_array_append_new(x->pending, json_pack("{s:I, s:s, s:O}", "id", (json_int_t)++b->seq, "type", type,
                                                        "data", data));
            screen_wake(x);
        }
    json_decref(data);
}

static int screen_more(void *state, wh *w, rp_buf *out, rp_error *err)
{
    (void)w, (void)err;
    sse *x = state;
    api_board *b = x->b;
    pthread_mutex_lock(&b->lock);
    if (!x->greeted) {
        x->greeted = 1;
        rp_buf_printf(out, "retry: 2000\n: the desk of %s\n\n", x->login);
    }
    size_t i;
    json_t *e;
    json_array_foreach(x->pending, i, e) {
        char *d = json_dumps(json_object_get(e, "data"), JSON_COMPACT);
        rp_buf_printf(out, "id: %lld\nevent: %s\ndata: %s\n\n", (long long)json_integer_value(json_object_get(e, "id")),
                      json_string_value(json_object_get(e, "type")), d ? d : "null");
        free(d);
    }
    json_array_clear(x->pending);
    if (x->beat && !out->len)
        rp_buf_puts(out, ": still here\n\n");
    x->beat = 0;
    int rc = RP_OK;
    if (!out->len && !b->stop) {
        x->waiting = 1;
        MHD_suspend_connection(x->conn);
        rc = API_STREAM_WAIT;
    } else if (!out->len)
        rc = API_STREAM_END;
    pthread_mutex_unlock(&b->lock);
    return rc;
}

static void screen_done(void *state)
{
    sse *x = state;
    api_board *b = x->b;
    pthread_mutex_lock(&b->lock);
    for (sse **p = &b->screens; *p; p = &(*p)->next)
        if (*p == x) {
            *p = x->next;
            break;
        }
    pthread_mutex_unlock(&b->lock);
    json_decref(x->pending);
    free(x);
}

/* GET /contact/desk/events: the agent's screen, kept open; each assignment to them an event. */
int api_desk_events(api_req *rq, api_resp *rs)
{
    api_board *b = api_board_of(rq);
    sse *x = calloc(1, sizeof *x);
    if (!b || !x) {
        free(x);
        return api_error(rs, 503, "unavailable", "the contact centre's events are not running on this server");
    }
    *x = (sse){ .b = b, .conn = rq->conn, .pending = json_array() };
    snprintf(x->login, sizeof x->login, "%s", rq->session.user.name);
    pthread_mutex_lock(&b->lock);
    x->next = b->screens;
    b->screens = x;
    pthread_mutex_unlock(&b->lock);
    return api_stream_reply(rq, rs, "text/event-stream; charset=utf-8", "", screen_more, screen_done, x);
}

/* ---- posting what changed ---- */

void api_board_tell(api_board *b, const char *login, const char *type, json_t *data)
{
    if (!b || !login || !data) {
        json_decref(data);
        return;
    }
    pthread_mutex_lock(&b->lock);
    relay_queue(b, login, type, data);
    screen_push(b, login, type, data);
    pthread_mutex_unlock(&b->lock);
}

void api_board_post(api_board *b, const json_t *assignments)
{
    if (!b || !json_array_size(assignments))
        return;
    pthread_mutex_lock(&b->lock);
    size_t i;
    json_t *a;
    json_array_foreach(assignments, i, a) {
        const char *ch = json_string_value(json_object_get(a, "channel"));
        /* a held call put through, an outbound call to dial (its first leg: a transfer's is on the line) */
        if (ch && ((!strcmp(ch, "outbound") && !json_integer_value(json_object_get(a, "parent"))) ||
                   (json_is_string(json_object_get(a, "switch_ref")) && (!strcmp(ch, "voice") || !strcmp(ch, "callback")))))
            json_array_append(b->outbox, a);
        if (json_string_value(json_object_get(a, "agent"))) {
            relay_queue(b, json_string_value(json_object_get(a, "agent")), "assigned", a);
            screen_push(b, json_string_value(json_object_get(a, "agent")), "assigned", json_incref(a));
        }
    }
    pthread_cond_signal(&b->cond);
    pthread_mutex_unlock(&b->lock);
}

json_t *api_board_failures(api_board *b)
{
    if (!b)
        return json_array();
    pthread_mutex_lock(&b->lock);
    json_t *f = b->failed;
    b->failed = json_array();
    pthread_mutex_unlock(&b->lock);
    return f;
}

int api_board_running(const api_board *b) { return b && b->started; }

void api_board_counts(api_board *b, unsigned long *sent, unsigned long *refused)
{
    *sent = b ? atomic_load(&b->sent) : 0;
    *refused = b ? atomic_load(&b->refused) : 0;
}

/* ---- telling the switch ---- */

static size_t sink(char *p, size_t size, size_t n, void *cls)
{
    (void)p, (void)cls;
    return size * n;
}

/* GET url?ref=&target=&call_id=&interaction= (a held call put through) or url?dial=NUMBER&target=&call_id=
 * &interaction= (the agent's phone to dial the number: outbound): 0, or -1 with why in msg. */
static int tell_switch(api_board *b, CURL *h, const json_t *a, char *msg, size_t n)
{
    const char *ref = json_string_value(json_object_get(a, "switch_ref")),
               *target = json_string_value(json_object_get(a, "sip")),
               *call = json_string_value(json_object_get(a, "external_id")),
               *ch = json_string_value(json_object_get(a, "channel"));
    int dial = ch && !strcmp(ch, "outbound");
    const char *number = dial ? json_string_value(json_object_get(a, "address")) : NULL;
    if (!target) {
        snprintf(msg, n, "agent %s has no phone (sip) to %s", json_string_value(json_object_get(a, "agent")),
                 dial ? "dial from" : "put the call through to");
        return -1;
    }
    if (dial && !number) {
        snprintf(msg, n, "no number to dial");
        return -1;
    }
    char *r = curl_easy_escape(h, dial ? number : ref, 0), *t = curl_easy_escape(h, target, 0),
         *c = curl_easy_escape(h, call, 0);
    char url[2048], hdr[300];
    snprintf(url, sizeof url, "%s%s%s=%s&target=%s&call_id=%s&interaction=%lld", b->url, strchr(b->url, '?') ? "&" : "?",
             dial ? "dial" : "ref", r ? r : "", t ? t : "", c ? c : "",
             (long long)json_integer_value(json_object_get(a, "interaction")));
    curl_free(r), curl_free(t), curl_free(c);
    snprintf(hdr, sizeof hdr, "X-Rapport-Secret: %s", b->secret);
    struct curl_slist *hs = b->secret[0] ? curl_slist_append(NULL, hdr) : NULL;
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hs);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 3000L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 1000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hs);
    if (rc != CURLE_OK)
        snprintf(msg, n, "the switch could not be reached: %s", curl_easy_strerror(rc));
    else if (status < 200 || status > 299)
        snprintf(msg, n, "the switch answered %ld", status);
    return rc == CURLE_OK && status >= 200 && status <= 299 ? 0 : -1;
}

static void *board_main(void *arg)
{
    api_board *b = arg;
    CURL *h = curl_easy_init();
    time_t last_beat = time(NULL);
    pthread_mutex_lock(&b->lock);
    while (!b->stop) {
        if (!json_array_size(b->outbox)) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += 1;
            pthread_cond_timedwait(&b->cond, &b->lock, &ts);
        }
        json_t *todo = b->outbox;
        b->outbox = json_array();
        if (time(NULL) - last_beat >= HEARTBEAT_S) {
            last_beat = time(NULL);
            for (sse *x = b->screens; x; x = x->next)
                x->beat = 1, screen_wake(x);
        }
        pthread_mutex_unlock(&b->lock);
        size_t i;
        json_t *a;
        json_array_foreach(todo, i, a) {
            char msg[300];
            if (!b->url[0])
                snprintf(msg, sizeof msg, "no switch to put the call through: [cti] switch_url is not set");
            if (b->url[0] && h && !tell_switch(b, h, a, msg, sizeof msg)) {
                atomic_fetch_add(&b->sent, 1);
                continue;
            }
            atomic_fetch_add(&b->refused, 1);
            rp_log(RP_LOG_WARN, "cti: interaction %lld: %s", (long long)json_integer_value(json_object_get(a, "interaction")),
                   msg);
            pthread_mutex_lock(&b->lock);
            json_array_append_new(b->failed, json_pack("{s:O, s:O, s:s}", "interaction", json_object_get(a, "interaction"),
                                                       "channel", json_object_get(a, "channel"),
                                                       "reason", msg));
            pthread_mutex_unlock(&b->lock);
        }
        json_decref(todo);
        pthread_mutex_lock(&b->lock);
    }
    pthread_mutex_unlock(&b->lock);
    curl_easy_cleanup(h);
    return NULL;
}

/* ---- the relay: the screens of every server of the store ---- */

/* Under b->lock: a notice for the other servers, when there are others. */
static void relay_queue(api_board *b, const char *login, const char *type, const json_t *data)
{
    if (!b->relay_started)
        return;
    json_array_append_new(b->relay_out, json_pack("{s:s, s:s, s:s, s:O}", "from", b->me, "login", login, "type", type,
                                                  "data", data));
    char c = 1;
    if (write(b->wake[1], &c, 1) < 0) { /* full: a wake is pending anyway */
    }
}

/* Another server's notice: pushed to this server's screens of that login (none: nothing to do). */
static void relay_heard(void *ctx, const char *channel, const char *payload)
{
    api_board *b = ctx;
    (void)channel;
    json_t *n = json_loads(payload, 0, NULL);
    const char *from = json_string_value(json_object_get(n, "from")), *login = json_string_value(json_object_get(n, "login")),
               *type = json_string_value(json_object_get(n, "type"));
    json_t *data = json_object_get(n, "data");
    if (from && login && type && data && strcmp(from, b->me)) {
        pthread_mutex_lock(&b->lock);
        screen_push(b, login, type, json_incref(data));
        pthread_mutex_unlock(&b->lock);
    }
    json_decref(n);
}

/* What waits, sent; a notice too large for the store goes as "refresh" (the screen reads its desk again). */
static int relay_send(api_board *b, rp_store *s, rp_error *err)
{
    pthread_mutex_lock(&b->lock);
    json_t *out = b->relay_out;
    b->relay_out = json_array();
    pthread_mutex_unlock(&b->lock);
    int rc = RP_OK;
    size_t i;
    json_t *n;
    json_array_foreach(out, i, n) {
        char *text = json_dumps(n, JSON_COMPACT);
        if (text && strlen(text) > RP_NOTICE_MAX) {
            free(text);
            json_t *r = json_pack("{s:O, s:O, s:s, s:{}}", "from", json_object_get(n, "from"), "login",
                                  json_object_get(n, "login"), "type", "refresh", "data");
            text = json_dumps(r, JSON_COMPACT);
            json_decref(r);
        }
        rc = text ? rp_store_notify(s, RELAY_CHANNEL, text, err) : rp_err(err, RP_NOMEM, NULL);
        free(text);
        if (rc)
            break;
    }
    json_decref(out);
    return rc;
}

/* The relay's connection: its own, listening; on a failure it is opened again every 2 s (what was pushed
 * meanwhile reached this server's screens, not the others'). */
static void *relay_main(void *arg)
{
    api_board *b = arg;
    rp_store *s = NULL;
    rp_error e = RP_ERROR_INIT;
    int down = 0;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        int stop = b->stop;
        pthread_mutex_unlock(&b->lock);
        if (stop)
            break;
        if (!s) {
            if (rp_store_open(b->store, 0, &s, &e) || rp_store_listen(s, RELAY_CHANNEL, &e)) {
                if (!down++)
                    rp_log(RP_LOG_WARN, "cti: the other servers' screens cannot be reached: %s", rp_errmsg(&e));
                rp_store_close(s);
                s = NULL;
                sleep(2);
                continue;
            }
            if (down)
                rp_log(RP_LOG_INFO, "cti: the other servers' screens are reached again");
            down = 0;
        }
        struct pollfd p[2] = { { .fd = rp_store_socket(s), .events = POLLIN }, { .fd = b->wake[0], .events = POLLIN } };
        if (poll(p, 2, 1000) > 0 && (p[1].revents & POLLIN)) {
            char buf[256];
            while (read(b->wake[0], buf, sizeof buf) > 0) {
            }
        }
        if (relay_send(b, s, &e) || rp_store_notices(s, relay_heard, b, &e)) {
            rp_log(RP_LOG_WARN, "cti: the other servers' screens: %s", rp_errmsg(&e));
            rp_store_close(s);
            s = NULL;
        }
    }
    rp_store_close(s);
    return NULL;
}

static void relay_start(api_board *b, const api_options *o)
{
    if (!o->db || !strstr(o->db, "://"))
        return; /* a file's store has one server */
    snprintf(b->store, sizeof b->store, "%s", o->db);
    unsigned char r[16];
    randombytes_buf(r, sizeof r);
    sodium_bin2hex(b->me, sizeof b->me, r, sizeof r);
    if (pipe2(b->wake, O_NONBLOCK | O_CLOEXEC)) {
        rp_log(RP_LOG_ERROR, "cti: no pipe for the relay: screens of other servers are not told");
        return;
    }
    b->relay_out = json_array();
    if (pthread_create(&b->relay_th, NULL, relay_main, b) == 0)
        b->relay_started = 1;
    else
        rp_log(RP_LOG_ERROR, "cti: the relay cannot start: screens of other servers are not told");
}

api_board *api_board_start(const api_options *o)
{
    api_board *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->cond, NULL);
    b->outbox = json_array();
    b->failed = json_array();
    snprintf(b->url, sizeof b->url, "%s", o->cti_switch_url ? o->cti_switch_url : "");
    snprintf(b->secret, sizeof b->secret, "%s", o->cti_secret ? o->cti_secret : "");
    b->wake[0] = b->wake[1] = -1;
    if (pthread_create(&b->th, NULL, board_main, b) == 0)
        b->started = 1;
    else
        rp_log(RP_LOG_ERROR, "api: the contact centre's board cannot start: calls held are not put through");
    relay_start(b, o);
    return b;
}

void api_board_stop(api_board *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->lock);
    b->stop = 1;
    for (sse *x = b->screens; x; x = x->next)
        screen_wake(x);
    pthread_cond_signal(&b->cond);
    pthread_mutex_unlock(&b->lock);
    if (b->started)
        pthread_join(b->th, NULL);
    if (b->relay_started) {
        char c = 1;
        if (write(b->wake[1], &c, 1) < 0) {
        }
        pthread_join(b->relay_th, NULL);
        b->relay_started = 0;
    }
}

void api_board_free(api_board *b)
{
    if (!b)
        return;
    json_decref(b->outbox);
    json_decref(b->failed);
    json_decref(b->relay_out);
    if (b->wake[0] >= 0)
        close(b->wake[0]), close(b->wake[1]);
    pthread_mutex_destroy(&b->lock);
    pthread_cond_destroy(&b->cond);
    free(b);
}

/* ---- the switch's requests ---- */

/* What the switch does with a call: connect it to the agent the engine chose, or hold it in line. */
static json_t *action_of(const json_t *o)
{
    const json_t *ix = json_object_get(o, "interaction");
    const char *state = json_string_value(json_object_get(ix, "state")), *sip = json_string_value(json_object_get(ix, "sip"));
    json_t *r = json_pack("{s:O, s:O, s:O}", "interaction", json_object_get(ix, "id"), "state", json_object_get(ix, "state"),
                          "repeated", json_object_get(o, "repeated"));
    json_t *ivr = json_object_get(o, "ivr");
    if (ivr) { /* in the IVR: play the prompt, collect the keys */
        json_object_set_new(r, "action", json_string("ivr"));
        json_object_update(r, ivr);
    } else if (!strcmp(state, "assigned") && sip) {
        json_object_set_new(r, "action", json_string("connect"));
        json_object_set_new(r, "target", json_string(sip));
        json_object_set(r, "agent", json_object_get(ix, "agent"));
    } else if (!strcmp(state, "queued")) {
        json_object_set_new(r, "action", json_string("queue"));
        json_object_set(r, "position", json_object_get(ix, "position"));
        json_object_set(r, "estimated_wait_s", json_object_get(ix, "estimated_wait_s"));
    } else {
        json_object_set_new(r, "action", json_string(!strcmp(state, "abandoned") ? "release" : "none"));
    }
    json_object_set(r, "switch_ref", json_object_get(ix, "switch_ref"));
    json_object_set(r, "party_id", json_object_get(ix, "party_id"));
    return r;
}

/* The call this reply puts through (connect) is told by the reply: marked so in the store, its agent's
 * screen told now; every other assignment goes out from the store (the scribe: cc_untold). */
static void told_by_reply(api_req *rq, const json_t *o)
{
    const json_t *ix = json_object_get(o, "interaction");
    const char *state = json_string_value(json_object_get(ix, "state"));
    json_t *row = NULL;
    rp_error err = RP_ERROR_INIT;
    if (state && !strcmp(state, "assigned") &&
        !cc_told(rq->w, json_integer_value(json_object_get(ix, "id")), &row, &err) && row) {
        json_t *a = json_deep_copy(json_array_get(row, 0));
        json_object_del(a, "switch_ref"); /* the screens only: the reply tells the switch */
        json_t *one = json_pack("[o]", a);
        api_centre_post(rq, one);
        json_decref(one);
    }
    json_decref(row);
    api_centre_wake(rq);
}

/* POST /cti/offer {call_id, from?, to?, queue?, ivr_path?, reason?} */
int api_cti_offer(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "call_id", "from", "to", "queue", "ivr_path", "reason", NULL };
    cc_offer_in in = { .channel = "voice" };
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_str(rq->body, "body", "call_id", 1, &in.external_id, &err) ||
        rp_json_get_str(rq->body, "body", "from", 0, &in.address, &err) ||
        rp_json_get_str(rq->body, "body", "to", 0, &in.to, &err) ||
        rp_json_get_str(rq->body, "body", "queue", 0, &in.queue, &err) ||
        rp_json_get_str(rq->body, "body", "ivr_path", 0, &in.ivr_path, &err) ||
        rp_json_get_str(rq->body, "body", "reason", 0, &in.reason, &err))
        return api_fail_body(rs, &err, "body");
    json_t *o;
    if (cc_offer(rq->w, &in, &o, &err))
        return api_fail_body(rs, &err, "body");
    snprintf(rq->detail, sizeof rq->detail, "offer %.200s", in.external_id);
    told_by_reply(rq, o);
    json_t *r = action_of(o), *surges = NULL, *sg;
    const char *queue = json_string_value(json_object_get(json_object_get(o, "interaction"), "queue"));
    size_t i;
    /* in a surge the switch offers the caller it holds a call-back, with the wait to expect */
    if (!strcmp(json_string_value(json_object_get(r, "action")), "queue") && !cc_surges_open(rq->w, &surges, &err))
        json_array_foreach(surges, i, sg) if (queue && !strcmp(json_string_value(json_object_get(sg, "queue")), queue))
            json_object_set_new(r, "callback_offered", json_true());
    json_decref(surges);
    json_decref(o);
    return api_ok(rs, r);
}

/* POST /cti/event {call_id, event, switch_ref?, reason?, at?}: call_id a call's (inbound, a call-back,
 * or an outbound call's, the id Rapport gave the switch to dial it) */
int api_cti_event(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "call_id", "event", "switch_ref", "reason", "at", "digits", NULL };
    static const char *const events[] = { "held", "answered", "ended", "abandoned", "no_answer", "dtmf", "callback",
                                          "unreached", "not_dialled", NULL };
    cc_event_in ev = { .channel = "voice", .by = "switch" };
    const char *at = NULL, *digits = NULL;
    rp_error err = RP_ERROR_INIT;
    char msg[160];
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_str(rq->body, "body", "call_id", 1, &ev.external_id, &err) ||
        rp_json_get_str(rq->body, "body", "event", 1, &ev.event, &err) ||
        rp_json_get_str(rq->body, "body", "switch_ref", 0, &ev.switch_ref, &err) ||
        rp_json_get_str(rq->body, "body", "reason", 0, &ev.reason, &err) ||
        rp_json_get_str(rq->body, "body", "digits", 0, &digits, &err) ||
        rp_json_get_str(rq->body, "body", "at", 0, &at, &err) || (at && cc_time_parse("body.at", at, &ev.at_ms, &err)))
        return api_fail_body(rs, &err, "body");
    if (!api_one_of(ev.event, events, msg, sizeof msg))
        return api_error(rs, 422, "invalid", "body.event: '%.20s' is not %s", ev.event, msg);
    json_t *o;
    if (!strcmp(ev.event, "dtmf")) { /* the caller's keys in the IVR */
        if (!digits)
            return api_error(rs, 422, "invalid", "body.digits: required with dtmf");
        if (cc_ivr_input(rq->w, ev.external_id, digits, ev.at_ms, &o, &err)) {
            rp_error e2 = RP_ERROR_INIT;
            if (err.code == RP_INVAL && !strncmp(rp_errmsg(&err), "digits:", 7))
                return rp_err(&e2, RP_INVAL, "body.%s", rp_errmsg(&err)), api_fail_body(rs, &e2, "body");
            return api_fail_body(rs, &err, "body");
        }
    } else if (cc_event_apply(rq->w, &ev, &o, &err))
        return api_fail_body(rs, &err, "body");
    snprintf(rq->detail, sizeof rq->detail, "%s %.200s", ev.event, ev.external_id);
    told_by_reply(rq, o);
    json_t *r = action_of(o);
    json_decref(o);
    return api_ok(rs, r);
}
