/* server.c — libmicrohttpd, the dispatcher, static files, metrics.  See api.h. */
#include "api/internal.h"
#include "contact/contact.h"
#include "core/fault.h"
#include "core/json.h"
#include "core/log.h"
#include "core/rtime.h"
#include "core/utf8.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include "etl/etl.h"
#include "security/security.h"

#define COOKIE "rapport_session"
#define NBUCKETS 12
static const double bucket_le[NBUCKETS] = { 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025,
                                            0.05,   0.1,   0.25,  0.5,   1.0,  2.5 };

/* per route (and two more: static files, no route) */
typedef struct route_stats {
    atomic_ulong status[6];      /* by hundreds: 1xx..5xx */
    atomic_ulong bucket[NBUCKETS + 1];
    atomic_ullong micros;        /* total time, microseconds */
    atomic_ullong store_micros;  /* time in the handler (the store and domain work) */
} route_stats;

/* customers whose kept 360 a view found missing, for the scribe to build */
#define WANTED 4096

#define MAX_DAEMONS 256

struct api_server {
    /* one daemon and thread per worker, each with its own socket on the
     * port (SO_REUSEPORT), so that the kernel spreads connections over
     * them; a pool sharing one socket lets one thread accept a burst of
     * connections and leaves the others idle */
    struct MHD_Daemon *d[MAX_DAEMONS];
    int nd;
    sec_journal *journal;
    /* the scribe: a thread that moves the journal into the store and builds kept 360s */
    pthread_t scribe;
    int scribe_started;
    pthread_mutex_t qlock;
    pthread_cond_t qcond;
    int stop_scribe;
    int64_t wanted[WANTED];
    unsigned whead, wtail;
    atomic_ullong docs_kept, docs_built, docs_made;
    api_options o;
    char db[1024], key[1024], static_dir[PATH_MAX];
    route_stats *stats;          /* api_nroutes + 2 */
    pthread_key_t store_key;
    int port;
    atomic_int stopping;
    api_tls tls;                 /* the certificate and key, with HTTPS */
    char hsts[64];               /* the Strict-Transport-Security header, or "" */
    api_metrics_access metrics;  /* who may read /metrics */
    /* what /metrics reads from the store, kept for METRICS_CACHE seconds */
    pthread_mutex_t mlock;
    int jobs_read;
    double jobs_at;
    ld_jobs_tally jobs;
    int64_t started;
    api_board *board;            /* the contact centre's wires: the switch, the agents' screens (cti.c) */
    int centre_wanted;           /* a change assigned something: the scribe tells at once (under qlock) */
};

static api_server *the_server; /* one server per process */

/* What every reply carries over HTTPS: MHD_YES, or MHD_NO when it could not be added. */
static enum MHD_Result transport_headers(struct MHD_Response *r)
{
    if (the_server && the_server->hsts[0])
        return MHD_add_response_header(r, "Strict-Transport-Security", the_server->hsts);
    return MHD_YES;
}

/* ---- replies ---- */

/* A message may echo what the client sent: bytes that are not UTF-8, or a
 * character cut by "%.40s" or by the message's size.  Each such byte is
 * written \xHH, for jansson refuses text that is not UTF-8, and the reply
 * would have gone out without its error. */
static void utf8_message(const char *in, char *out, size_t n)
{
    size_t len = strlen(in), o = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int k = rp_utf8_decode(in + i, len - i, &cp);
        size_t w = k > 0 ? (size_t)k : 4;
        if (o + w + 1 > n)
            break;
        if (k > 0)
            memcpy(out + o, in + i, w);
        else
            snprintf(out + o, n - o, "\\x%02X", (unsigned char)in[i]);
        o += w;
        i += k > 0 ? (size_t)k : 1;
    }
    out[o] = 0;
}

/* The member a message names, as it begins ("body.reason: at most 200 bytes", "q: ..."): what a
 * page shows in its own words, with the member's label (docs/api.md, Errors). */
static int error_member(const char *msg, char *out, size_t n)
{
    size_t i = 0;
    while (msg[i] && i + 1 < n && (isalnum((unsigned char)msg[i]) || strchr("._[]", msg[i])))
        i++;
    if (!i || msg[i] != ':' || msg[i + 1] != ' ')
        return 0;
    memcpy(out, msg, i);
    out[i] = 0;
    return 1;
}

/* What kind of wrong a message says, for a page to say it in the user's language: one word of a
 * closed list (docs/api.md), found in the words every such message uses. */
static const char *error_reason(const char *msg)
{
    static const struct {
        const char *words, *reason;
    } reasons[] = {
        { "belongs to another branch", "another_branch" },
        { "at most ", "too_long" },
        { "at least ", "too_short" },
        { "control characters", "control_characters" },
        { "not UTF-8", "not_utf8" },
        { "sign in first", "signed_out" },
        { "wrong user name or password", "wrong_password" },
        { "may not do this", "not_permitted" },
        { "no customer", "no_customer" },
        { "no branch '", "unknown_branch" },
        { "no user '", "unknown_user" },
        { "is disabled", "user_disabled" },
        { "whose role has no '", "role_lacks" },
        { "names more than one customer", "ambiguous_customer" },
        { "a whole number", "not_a_number" },
        { "not a date", "not_a_date" },
        { "is missing", "missing" },
        { "unknown member", "unknown_member" },
    };
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (strstr(msg, reasons[i].words))
            return reasons[i].reason;
    return NULL;
}

int api_error(api_resp *rs, int status, const char *code, const char *fmt, ...)
{
    char msg[512], text[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    utf8_message(msg, text, sizeof text);
    json_decref(rs->json);
    rs->json = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", text);
    json_t *e = json_object_get(rs->json, "error");
    char member[80];
    const char *why;
    if (e && error_member(text, member, sizeof member))
        json_object_set_new(e, "member", json_string(member));
    if (e && (why = error_reason(text)))
        json_object_set_new(e, "reason", json_string(why));
    rs->status = status;
    return status;
}

int api_fail(api_resp *rs, const rp_error *err) { return api_fail_body(rs, err, NULL); }

int api_fail_body(api_resp *rs, const rp_error *err, const char *writer)
{
    const char *m = rp_errmsg(err);
    size_t n = writer ? strlen(writer) : 0;
    switch (err->code) {
    case RP_NOTFOUND: return api_error(rs, 404, "not_found", "%s", m);
    case RP_INVAL:
    case RP_PARSE:
    case RP_CHECKSUM:
    case RP_ENCODING:
    case RP_TOOBIG:
        if (n && !strncmp(m, writer, n) && m[n] == '.')
            return api_error(rs, 422, "invalid", "body.%s", m + n + 1);
        return api_error(rs, 422, "invalid", "%s", m);
    case RP_EXISTS: return api_error(rs, 409, "conflict", "%s", rp_errmsg(err));
    case RP_AMBIGUOUS: return api_error(rs, 409, "ambiguous", "%s", rp_errmsg(err));
    case RP_DENIED: return api_error(rs, 403, "forbidden", "%s", rp_errmsg(err));
    case RP_BUSY: return api_error(rs, 503, "busy", "the store is busy; try again");
    case RP_UNAVAILABLE:
        rp_log(RP_LOG_WARN, "api: %s", rp_errmsg(err));
        return api_error(rs, 503, "unavailable", "the store cannot be reached just now (its database server is "
                         "restarting or failing over); try again");
    case RP_FULL:
        rp_log(RP_LOG_ERROR, "api: %s", rp_errmsg(err));
        return api_error(rs, 503, "disk_full", "the server's disk is full: nothing was written; try again when "
                         "space has been freed");
    default:
        rp_log(RP_LOG_ERROR, "api: %s", rp_errmsg(err));
        return api_error(rs, 500, "internal", "something went wrong on the server; it has been logged");
    }
}

int api_ok(api_resp *rs, json_t *body)
{
    json_decref(rs->json);
    rs->json = body;
    rs->status = 200;
    return 200;
}

int api_created(api_resp *rs, json_t *body)
{
    api_ok(rs, body);
    return rs->status = 201;
}

int api_accepted(api_resp *rs, json_t *body)
{
    api_ok(rs, body);
    return rs->status = 202;
}

/* ---- streamed replies ---- */

typedef struct api_stream {
    api_stream_more more;
    void (*done)(void *state);
    void *state;
    wh *w;                    /* the store of the thread that answers (the callback runs on it) */
    rp_buf buf;               /* the piece being sent, from off */
    size_t off;
    int end;                  /* more() said there is no more */
    char type[96], filename[64];
} api_stream;

static void stream_free(void *cls)
{
    api_stream *st = cls;
    if (!st)
        return;
    if (st->done)
        st->done(st->state);
    rp_buf_release(&st->buf);
    free(st);
}

void api_stream_discard(api_resp *rs)
{
    stream_free(rs->stream);
    rs->stream = NULL;
}

int api_stream_reply(api_req *rq, api_resp *rs, const char *content_type, const char *filename, api_stream_more more,
                     void (*done)(void *state), void *state)
{
    api_stream *st = calloc(1, sizeof *st);
    if (!st) {
        done(state);
        return api_error(rs, 500, "internal", "something went wrong on the server; it has been logged");
    }
    *st = (api_stream){ .more = more, .done = done, .state = state, .w = rq->w, .buf = RP_BUF_INIT };
    snprintf(st->type, sizeof st->type, "%s", content_type);
    snprintf(st->filename, sizeof st->filename, "%s", filename);
    json_decref(rs->json);
    rs->json = NULL;
    stream_free(rs->stream);
    rs->stream = st;
    rs->status = 200;
    return 200;
}

/* libmicrohttpd asks for the next bytes: what is left of the piece, or the next piece. */
static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
    (void)pos;
    api_stream *st = cls;
    while (st->off == st->buf.len) {
        if (st->end)
            return MHD_CONTENT_READER_END_OF_STREAM;
        rp_buf_reset(&st->buf);
        st->off = 0;
        rp_error err = RP_ERROR_INIT;
        int rc = st->more(st->state, st->w, &st->buf, &err);
        if (rc == API_STREAM_WAIT && !st->buf.len)
            return 0; /* more() suspended the connection until it has something (cti.c) */
        if (rc == API_STREAM_WAIT)
            rc = RP_OK;
        if (rc == API_STREAM_END)
            st->end = 1;
        else if (rc || rp_buf_status(&st->buf)) {
            rp_log(RP_LOG_ERROR, "api: a streamed reply (%s) cut: %s", st->filename,
                   rc ? rp_errmsg(&err) : "out of memory");
            return MHD_CONTENT_READER_END_WITH_ERROR;
        }
    }
    size_t n = st->buf.len - st->off < max ? st->buf.len - st->off : max;
    memcpy(out, st->buf.data + st->off, n);
    st->off += n;
    return (ssize_t)n;
}

const char *api_query(const api_req *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* ---- the store, one connection per thread ---- */

static void close_store(void *p) { wh_close(p); }

/* A pool thread's page cache, KiB: [api] cache_mb (api.h); the scribe's, at most API_SCRIBE_CACHE_MB. */
static int64_t cache_kib(const api_server *s, int scribe)
{
    int64_t mb = s->o.cache_mb > 0 ? s->o.cache_mb : API_CACHE_MB;
    return (scribe && mb > API_SCRIBE_CACHE_MB ? API_SCRIBE_CACHE_MB : mb) * 1024;
}

/* A connection of the server's: its page cache bounded, so that memory stays flat. */
static int open_store(api_server *s, int scribe, wh **w, rp_error *err)
{
    int rc = wh_open(s->db, s->key[0] ? s->key : NULL, 0, w, NULL, err);
    if (!rc && (rc = rp_store_cache_limit(wh_store(*w), cache_kib(s, scribe), err))) {
        wh_close(*w);
        *w = NULL;
    }
    return rc;
}

static wh *thread_store(api_server *s, rp_error *err)
{
    wh *w = pthread_getspecific(s->store_key);
    if (w)
        return w;
    if (open_store(s, 0, &w, err))
        return NULL;
    pthread_setspecific(s->store_key, w);
    return w;
}

/* ---- routing ---- */

/* Does path match pattern?  The {x} parts go to rq->param. */
static int match(const char *pattern, const char *path, api_req *rq)
{
    int np = 0;
    size_t used = 0;
    const char *p = pattern, *q = path;
    while (*p && *q) {
        if (*p == '{') {
            const char *end = strchr(p, '}');
            size_t n = strcspn(q, "/");
            if (!end || !n || np == API_MAX_PARAMS || used + n + 1 > sizeof rq->parambuf)
                return 0;
            memcpy(rq->parambuf + used, q, n);
            rq->parambuf[used + n] = 0;
            rq->param[np++] = rq->parambuf + used;
            used += n + 1;
            p = end + 1;
            q += n;
        } else if (*p++ != *q++) {
            return 0;
        }
    }
    if (*p || *q)
        return 0;
    rq->nparams = np;
    return 1;
}

/* ---- metrics ---- */

static void observe(api_server *s, int r, int status, double secs, double handler_secs)
{
    route_stats *st = &s->stats[r];
    int cls = status / 100;
    atomic_fetch_add(&st->status[cls >= 1 && cls <= 5 ? cls : 0], 1);
    int b = 0;
    while (b < NBUCKETS && secs > bucket_le[b])
        b++;
    atomic_fetch_add(&st->bucket[b], 1);
    atomic_fetch_add(&st->micros, (unsigned long long)(secs * 1e6));
    atomic_fetch_add(&st->store_micros, (unsigned long long)(handler_secs * 1e6));
}

/* What /metrics reads from the store (the load jobs' counts), at most once
 * every METRICS_CACHE seconds, in the request's read transaction: no writer
 * waits for it.  0 when it has never been read. */
#define METRICS_CACHE 5.0
static int jobs_tally(api_server *s, wh *w, ld_jobs_tally *out)
{
    pthread_mutex_lock(&s->mlock);
    double now = rp_monotonic();
    if (w && (!s->jobs_read || now - s->jobs_at >= METRICS_CACHE)) {
        rp_error err = RP_ERROR_INIT;
        ld_jobs_tally t;
        if (ld_jobs_count(w, &t, &err) == RP_OK) {
            s->jobs = t;
            s->jobs_read = 1;
            s->jobs_at = now;
        } else {
            rp_log(RP_LOG_WARN, "api: metrics: the load jobs: %s", rp_errmsg(&err));
        }
    }
    *out = s->jobs;
    int ok = s->jobs_read;
    pthread_mutex_unlock(&s->mlock);
    return ok;
}

static int64_t file_bytes(const char *path, int allocated)
{
    struct stat st;
    if (stat(path, &st))
        return 0;
    return allocated ? (int64_t)st.st_blocks * 512 : (int64_t)st.st_size;
}

static int64_t resident_bytes(void)
{
    long pages = 0, rss = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
            rss = 0;
        fclose(f);
    }
    return (int64_t)rss * sysconf(_SC_PAGESIZE);
}

static char *metrics_text(api_server *s, wh *w)
{
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
#define OUT(...)                                                                                   \
    do {                                                                                           \
        int k_ = snprintf(out + n, cap - n, __VA_ARGS__);                                          \
        if (k_ < 0)                                                                                \
            break;                                                                                 \
        if ((size_t)k_ >= cap - n) {                                                               \
            char *m_ = realloc(out, cap = cap * 2 + (size_t)k_);                                   \
            if (!m_) {                                                                             \
                free(out);                                                                         \
                return NULL;                                                                       \
            }                                                                                      \
            out = m_;                                                                              \
            k_ = snprintf(out + n, cap - n, __VA_ARGS__);                                          \
        }                                                                                          \
        n += (size_t)k_;                                                                           \
    } while (0)
    OUT("# HELP rapport_http_requests_total HTTP requests by route and status class.\n"
        "# TYPE rapport_http_requests_total counter\n");
    for (int r = 0; r < api_nroutes + 2; r++) {
        char name[200];
        if (r < api_nroutes)
            snprintf(name, sizeof name, "%s %s", api_routes[r].method, api_routes[r].pattern);
        else
            snprintf(name, sizeof name, "%s", r == api_nroutes ? "static" : "unmatched");
        for (int c = 1; c <= 5; c++) {
            unsigned long v = atomic_load(&s->stats[r].status[c]);
            if (v)
                OUT("rapport_http_requests_total{route=\"%s\",status=\"%dxx\"} %lu\n", name, c, v);
        }
    }
    OUT("# HELP rapport_http_request_seconds Time to answer, by route.\n"
        "# TYPE rapport_http_request_seconds histogram\n");
    for (int r = 0; r < api_nroutes + 2; r++) {
        route_stats *st = &s->stats[r];
        unsigned long total = 0;
        for (int b = 0; b <= NBUCKETS; b++)
            total += atomic_load(&st->bucket[b]);
        if (!total)
            continue;
        char name[200];
        if (r < api_nroutes)
            snprintf(name, sizeof name, "%s %s", api_routes[r].method, api_routes[r].pattern);
        else
            snprintf(name, sizeof name, "%s", r == api_nroutes ? "static" : "unmatched");
        unsigned long cum = 0;
        for (int b = 0; b < NBUCKETS; b++) {
            cum += atomic_load(&st->bucket[b]);
            OUT("rapport_http_request_seconds_bucket{route=\"%s\",le=\"%g\"} %lu\n", name, bucket_le[b], cum);
        }
        OUT("rapport_http_request_seconds_bucket{route=\"%s\",le=\"+Inf\"} %lu\n", name, total);
        OUT("rapport_http_request_seconds_sum{route=\"%s\"} %.6f\n", name, (double)atomic_load(&st->micros) / 1e6);
        OUT("rapport_http_request_seconds_count{route=\"%s\"} %lu\n", name, total);
    }
    OUT("# HELP rapport_store_seconds_total Time spent in handlers (store and domain work), by route.\n"
        "# TYPE rapport_store_seconds_total counter\n");
    for (int r = 0; r < api_nroutes; r++) {
        unsigned long long us = atomic_load(&s->stats[r].store_micros);
        if (us)
            OUT("rapport_store_seconds_total{route=\"%s %s\"} %.6f\n", api_routes[r].method, api_routes[r].pattern,
                (double)us / 1e6);
    }
    OUT("# HELP rapport_c360_served_total Customer 360s served, from a kept document or built from the warehouse.\n"
        "# TYPE rapport_c360_served_total counter\n"
        "rapport_c360_served_total{from=\"kept\"} %llu\n"
        "rapport_c360_served_total{from=\"built\"} %llu\n",
        (unsigned long long)atomic_load(&s->docs_kept), (unsigned long long)atomic_load(&s->docs_built));
    OUT("# HELP rapport_c360_documents_built_total Customer 360 documents built and kept by the server.\n"
        "# TYPE rapport_c360_documents_built_total counter\n"
        "rapport_c360_documents_built_total %llu\n",
        (unsigned long long)atomic_load(&s->docs_made));
    OUT("# HELP rapport_audit_journal_pending_bytes Audit entries written and not yet moved into the store.\n"
        "# TYPE rapport_audit_journal_pending_bytes gauge\n"
        "rapport_audit_journal_pending_bytes %lld\n",
        (long long)sec_journal_pending(s->journal));
    /* capacity (DOMAIN S4): docs/operations.md has the alerts on these */
    sec_journal_state js;
    sec_journal_backlog(s->journal, &js);
    int64_t now = rp_now();
    OUT("# HELP rapport_audit_journal_pending_entries Audit entries written and not yet moved into the store.\n"
        "# TYPE rapport_audit_journal_pending_entries gauge\n"
        "rapport_audit_journal_pending_entries %lld\n"
        "# HELP rapport_audit_journal_oldest_pending_seconds Age of the oldest audit entry not yet moved into the "
        "store (0: none waits).\n"
        "# TYPE rapport_audit_journal_oldest_pending_seconds gauge\n"
        "rapport_audit_journal_oldest_pending_seconds %lld\n",
        (long long)js.entries, (long long)(js.oldest && now > js.oldest ? now - js.oldest : 0));
    char journal[1100];
    sec_journal_path(s->db, s->key, journal, sizeof journal);
    char wal[1100];
    snprintf(wal, sizeof wal, "%s-wal", s->db);
    OUT("# HELP rapport_store_bytes The store's files: the database, its write-ahead log, and the blocks the audit "
        "journal holds on disk.\n"
        "# TYPE rapport_store_bytes gauge\n"
        "rapport_store_bytes{file=\"database\"} %lld\n"
        "rapport_store_bytes{file=\"wal\"} %lld\n"
        "rapport_store_bytes{file=\"audit_journal\"} %lld\n",
        (long long)file_bytes(s->db, 0), (long long)file_bytes(wal, 0), (long long)file_bytes(journal, 1));
    struct statvfs fs;
    if (statvfs(s->db, &fs) == 0)
        OUT("# HELP rapport_filesystem_free_bytes Bytes free to the server on the store's file system.\n"
            "# TYPE rapport_filesystem_free_bytes gauge\n"
            "rapport_filesystem_free_bytes %llu\n"
            "# HELP rapport_filesystem_size_bytes Size of the store's file system in bytes.\n"
            "# TYPE rapport_filesystem_size_bytes gauge\n"
            "rapport_filesystem_size_bytes %llu\n",
            (unsigned long long)fs.f_bavail * fs.f_frsize, (unsigned long long)fs.f_blocks * fs.f_frsize);
    ld_jobs_tally jt;
    if (jobs_tally(s, w, &jt)) {
        OUT("# HELP rapport_load_jobs Load jobs by status, as rapport jobs shows them.\n"
            "# TYPE rapport_load_jobs gauge\n");
        for (int i = 0; i < 4; i++)
            OUT("rapport_load_jobs{status=\"%s\"} %lld\n", ld_job_statuses[i], (long long)jt.by_status[i]);
        OUT("# HELP rapport_load_last_done_timestamp_seconds When the last load job that ended done finished "
            "(0: none).\n"
            "# TYPE rapport_load_last_done_timestamp_seconds gauge\n"
            "rapport_load_last_done_timestamp_seconds %lld\n"
            "# HELP rapport_load_last_failed_timestamp_seconds When the last load job that failed finished (0: none).\n"
            "# TYPE rapport_load_last_failed_timestamp_seconds gauge\n"
            "rapport_load_last_failed_timestamp_seconds %lld\n",
            (long long)jt.last_done, (long long)jt.last_failed);
    }
    OUT("# HELP rapport_resident_memory_bytes The server's resident memory.\n"
        "# TYPE rapport_resident_memory_bytes gauge\n"
        "rapport_resident_memory_bytes %lld\n"
        "# HELP rapport_store_cache_limit_bytes The bound on the store's page caches: [api] cache_mb for each pool "
        "thread's connection, and the scribe's.\n"
        "# TYPE rapport_store_cache_limit_bytes gauge\n"
        "rapport_store_cache_limit_bytes %lld\n"
        "# HELP rapport_start_time_seconds When the server started, in seconds since 1970.\n"
        "# TYPE rapport_start_time_seconds gauge\n"
        "rapport_start_time_seconds %lld\n",
        (long long)resident_bytes(), (long long)(cache_kib(s, 0) * s->nd + cache_kib(s, 1)) * 1024, (long long)s->started);
#undef OUT
    return out;
}

/* ---- static files ---- */

static const char *mime(const char *path)
{
    const char *dot = strrchr(path, '.');
    static const struct { const char *ext, *type; } t[] = {
        { ".html", "text/html; charset=utf-8" }, { ".js", "text/javascript; charset=utf-8" },
        { ".mjs", "text/javascript; charset=utf-8" }, { ".css", "text/css; charset=utf-8" },
        { ".json", "application/json" }, { ".svg", "image/svg+xml" }, { ".png", "image/png" },
        { ".ico", "image/x-icon" }, { ".woff2", "font/woff2" }, { ".txt", "text/plain; charset=utf-8" },
        { ".map", "application/json" },
    };
    for (size_t i = 0; dot && i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(dot, t[i].ext))
            return t[i].type;
    return "application/octet-stream";
}

/* A file under the static root, or an error reply.  Paths with "..", a
 * backslash or a leading dot in any segment are refused before the file
 * system is asked (one with a NUL never comes here: see malformed()); the
 * resolved path must stay under the root. */
static struct MHD_Response *static_file(api_server *s, const char *url, int *status)
{
    *status = 404;
    if (!s->static_dir[0])
        return NULL;
    const char *rel = url[0] == '/' ? url + 1 : url;
    if (!*rel)
        rel = "index.html";
    if (strlen(rel) > 512 || strstr(rel, "..") || strchr(rel, '\\') || rel[0] == '.' || strstr(rel, "/.")) {
        *status = 400;
        return NULL;
    }
    char path[PATH_MAX + 600], real[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", s->static_dir, rel);
    if (!realpath(path, real) || strncmp(real, s->static_dir, strlen(s->static_dir)) ||
        (real[strlen(s->static_dir)] != '/' && real[strlen(s->static_dir)] != 0))
        return NULL;
    int fd = open(real, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (!r) {
        close(fd);
        *status = 500;
        return NULL;
    }
    /* the web application loads only its own files, and is framed by nobody;
     * the workbook writer may compress in a worker it makes from a blob; a
     * header that could not be added (memory) is not a file to send */
    if (MHD_add_response_header(r, "Content-Type", mime(real)) != MHD_YES ||
        MHD_add_response_header(r, "X-Content-Type-Options", "nosniff") != MHD_YES ||
        MHD_add_response_header(r, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                "worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; "
                                "form-action 'self'") != MHD_YES ||
        MHD_add_response_header(r, "Referrer-Policy", "no-referrer") != MHD_YES || transport_headers(r) != MHD_YES) {
        MHD_destroy_response(r);
        *status = 500;
        return NULL;
    }
    *status = 200;
    return r;
}

/* ---- the dispatcher ---- */

/* A request's own state, made when its request line is read (on_uri). */
typedef struct conn_ctx {
    char *body;
    size_t n, cap;
    int too_big;
    int nomem;                /* the body could not be kept: no memory */
    int checked;              /* the first call, with the headers, was made */
    const char *target;       /* the request target (decoded in place after on_uri saw it) */
    size_t target_len;        /* its bytes as it came, up to the first NUL */
    int escaped_nul;          /* it came with %00 */
} conn_ctx;

/* Writers in this process take turns here rather than in SQLite, whose busy
 * handler sleeps for milliseconds when two connections write at once. */
static pthread_mutex_t write_turn = PTHREAD_MUTEX_INITIALIZER;

int api_audit(api_req *rq, const sec_audit_entry *e)
{
    rp_error err = RP_ERROR_INIT;
    if (sec_journal_append(rq->srv->journal, e, NULL, &err)) {
        rp_log(RP_LOG_ERROR, "api: audit: %s", rp_errmsg(&err));
        return -1;
    }
    /* the scribe moves entries every tick; sooner only when many wait */
    if (sec_journal_pending(rq->srv->journal) > (4 << 20)) {
        pthread_mutex_lock(&rq->srv->qlock);
        pthread_cond_signal(&rq->srv->qcond);
        pthread_mutex_unlock(&rq->srv->qlock);
    }
    return 0;
}

int api_audit_flush(api_req *rq, rp_error *err)
{
    pthread_mutex_lock(&write_turn);
    int rc = sec_journal_ingest(wh_store(rq->w), NULL, rq->srv->journal, 0, 0, NULL, err);
    pthread_mutex_unlock(&write_turn);
    return rc;
}

void api_doc_wanted(api_req *rq, int64_t person)
{
    api_server *s = rq->srv;
    pthread_mutex_lock(&s->qlock);
    if (s->wtail - s->whead < WANTED)
        s->wanted[s->wtail++ % WANTED] = person;
    pthread_mutex_unlock(&s->qlock);
}

/* (a harness's request has no server: no board, nothing to wake) */
api_board *api_board_of(api_req *rq) { return rq->srv ? rq->srv->board : NULL; }

void api_centre_post(api_req *rq, const json_t *assignments) { api_board_post(api_board_of(rq), assignments); }

void api_centre_wake(api_req *rq)
{
    if (!rq->srv)
        return;
    pthread_mutex_lock(&rq->srv->qlock);
    rq->srv->centre_wanted = 1;
    pthread_cond_signal(&rq->srv->qcond);
    pthread_mutex_unlock(&rq->srv->qlock);
}

void api_count_doc(api_req *rq, int kept) { atomic_fetch_add(kept ? &rq->srv->docs_kept : &rq->srv->docs_built, 1); }

/* 0, or -1 when the entry could not be written (the caller then withholds the reply). */
static int audit_call(api_req *rq, const api_route *rt, int status)
{
    if (!rq->srv)
        return 0;
    sec_audit_entry e = { .user = rq->signed_in ? rq->session.user.name : NULL,
                          .address = rq->address,
                          .action = rq->audit_action ? rq->audit_action : rt->action ? rt->action : "call",
                          .target = rq->path,
                          .reason = rq->reason[0] ? rq->reason : NULL,
                          .outcome = status < 400 ? "ok" : status == 401 || status == 403 ? "refused" : "failed",
                          .detail = rq->detail[0] ? rq->detail : NULL,
                          .customer = rq->customer,
                          .customers = rq->shown[0] ? rq->shown : NULL };
    return api_audit(rq, &e);
}

static int has_json_type(struct MHD_Connection *c)
{
    const char *t = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    if (!t)
        return 0;
    size_t n = strlen("application/json");
    return !strncasecmp(t, "application/json", n) && (t[n] == 0 || t[n] == ';' || t[n] == ' ');
}

static void handle(api_server *s, api_req *rq, conn_ctx *cc, api_resp *rs, const api_route *rt, const char *cookie,
                   int *touch);

static void dispatch(api_server *s, api_req *rq, conn_ctx *cc, api_resp *rs, int *route_index)
{
    int path_known = 0;
    const api_route *rt = NULL;
    for (int i = 0; i < api_nroutes; i++) {
        if (!match(api_routes[i].pattern, rq->path, rq))
            continue;
        path_known = 1;
        if (!strcmp(api_routes[i].method, rq->method) ||
            (!strcmp(rq->method, "HEAD") && !strcmp(api_routes[i].method, "GET"))) {
            rt = &api_routes[i];
            *route_index = i;
            break;
        }
    }
    if (!rt) {
        if (path_known)
            api_error(rs, 405, "method_not_allowed", "%s is not allowed on %s", rq->method, rq->path);
        else
            api_error(rs, 404, "not_found", "no such route: %s", rq->path);
        return;
    }
    if (cc->too_big || (rt->max_body && cc->n > rt->max_body)) {
        api_error(rs, 413, "too_large", "the request body is larger than %zu bytes",
                  cc->too_big || !rt->max_body ? s->o.max_body : rt->max_body);
        return;
    }
    if (cc->nomem) {
        rp_log(RP_LOG_ERROR, "api: %s %s: out of memory reading the body", rq->method, rq->path);
        api_error(rs, 500, "internal", "something went wrong on the server; it has been logged");
        return;
    }
    rp_error err = RP_ERROR_INIT;
    if (!(rq->w = thread_store(s, &err))) {
        api_fail(rs, &err);
        return;
    }
    /* a request that only reads sees one snapshot, begun and ended once */
    int reads = (!strcmp(rq->method, "GET") || !strcmp(rq->method, "HEAD")) &&
                !(rt->flags & (API_BODY | API_CHANGES | API_WRITES));
    int txn = reads && wh_begin_read(rq->w, &err) == RP_OK;
    rp_err_clear(&err);
    int touch = 0;
    const char *cookie = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, COOKIE);
    handle(s, rq, cc, rs, rt, cookie, &touch);
    if (txn && wh_commit(rq->w, &err)) {
        rp_log(RP_LOG_WARN, "api: ending a read: %s", rp_errmsg(&err));
        wh_rollback(rq->w);
    }
    /* the session's last use, at most once a minute, after the reads */
    if (touch) {
        pthread_mutex_lock(&write_turn);
        if (sec_session_touch(wh_store(rq->w), cookie, rp_now(), &err)) {
            /* tried again on the next request */
        }
        pthread_mutex_unlock(&write_turn);
    }
}

int api_can(const api_req *rq, sec_perm p)
{
    return rq->by_token ? (int)(rq->token_permissions >> p & 1) : sec_can(rq->session.user.role, p);
}

/* A program's token (Authorization: Bearer rpt_...) instead of a session:
 * 0, or -1 when a token was given and is not good (the reply is set). */
static int signed_in_by_token(api_req *rq, api_resp *rs)
{
    const char *h = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Authorization");
    if (!h || strncasecmp(h, "Bearer ", 7))
        return 0;
    sec_token_info t;
    rp_error err = RP_ERROR_INIT;
    if (sec_token_check(wh_store(rq->w), h + 7, rp_now(), &t, &err)) {
        if (err.code != RP_NOTFOUND)
            api_fail(rs, &err);
        else
            api_error(rs, 401, "unauthenticated", "the token is unknown, expired or revoked");
        return -1;
    }
    rq->signed_in = rq->by_token = 1;
    rq->token_permissions = t.permissions;
    snprintf(rq->session.user.name, sizeof rq->session.user.name, "%s", t.name);
    snprintf(rq->session.user.branch, sizeof rq->session.user.branch, "%s", t.branch);
    rq->session.user.role = SEC_NROLES; /* no role: api_can asks the token */
    return 0;
}

static void handle(api_server *s, api_req *rq, conn_ctx *cc, api_resp *rs, const api_route *rt, const char *cookie,
                   int *touch)
{
    rp_error err = RP_ERROR_INIT;
    /* who is asking: a session that could not be read (memory, I/O) is the server's failure, not a
     * request to sign in again */
    int rc = cookie ? sec_session_check(wh_store(rq->w), cookie, rp_now(), s->o.idle_seconds,
                                        s->o.lifetime_seconds, &rq->session, touch, &err)
                    : RP_NOTFOUND;
    if (rc == RP_OK) {
        rq->signed_in = 1;
    } else if (rc != RP_NOTFOUND && rc != RP_INVAL) {
        api_fail(rs, &err);
        return;
    }
    /* a public route does not ask who calls; /metrics reads its own bearer token */
    if (!rq->signed_in && !(rt->flags & API_PUBLIC) && signed_in_by_token(rq, rs)) {
        rq->audit_action = "denied";
        if (audit_call(rq, rt, 401)) {
            /* refused either way; the server log has the audit failure */
        }
        return;
    }
    if (!(rt->flags & API_PUBLIC)) {
        if (!rq->signed_in) {
            api_error(rs, 401, "unauthenticated", "sign in first (POST /api/v1/session)");
            return;
        }
        if (rq->session.user.password_expired && !(rt->flags & API_EXPIRED_OK)) {
            api_error(rs, 403, "password_expired",
                      "your password has expired; change it first (PUT /api/v1/session/password)");
            return;
        }
        if (rt->permission >= 0 && !api_can(rq, (sec_perm)rt->permission)) {
            api_error(rs, 403, "forbidden", "%s %s may not do this (%s)",
                      rq->by_token ? "the token" : sec_role_article(rq->session.user.role),
                      rq->by_token ? rq->session.user.name : sec_role_titles[rq->session.user.role],
                      sec_perm_names[rt->permission]);
            rq->audit_action = "denied";
            if (audit_call(rq, rt, 403)) {
                /* refused either way; the server log has the audit failure */
            }
            return;
        }
        if ((rt->flags & API_CHANGES) && !rq->by_token) { /* a token is not a cookie: nothing to forge */
            const char *t = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-CSRF-Token");
            if (!t || strlen(t) != strlen(rq->session.csrf) ||
                sodium_memcmp(t, rq->session.csrf, strlen(rq->session.csrf))) {
                api_error(rs, 403, "csrf", "the X-CSRF-Token header is missing or wrong; it is given at sign-in");
                rq->audit_action = "denied";
                if (audit_call(rq, rt, 403)) {
                    /* refused either way; the server log has the audit failure */
                }
                return;
            }
        }
    }
    /* whose customers the viewer sees: a route without API_BRANCH sees none */
    rq->scope_branch = !(rt->flags & API_BRANCH)           ? ""
                       : rq->by_token && rq->session.user.branch[0] ? rq->session.user.branch
                       : api_can(rq, SEC_P_ALL_BRANCHES)       ? NULL
                                                               : rq->session.user.branch;
    if (rt->flags & API_BODY) {
        if (!has_json_type(rq->conn)) {
            api_error(rs, 415, "unsupported_media_type", "send the body as Content-Type: application/json");
            return;
        }
        if (rp_json_load_str("body", cc->body ? cc->body : "", cc->n, &rq->body, &err)) {
            if (err.code == RP_NOMEM)
                api_fail(rs, &err);
            else
                api_error(rs, 400, "malformed", "%s", rp_errmsg(&err));
            return;
        }
        if (!json_is_object(rq->body)) {
            api_error(rs, 422, "invalid", "body: a JSON object is expected");
            return;
        }
    }
    int writes = (rt->flags & (API_CHANGES | API_BODY)) != 0 && !(rt->flags & API_LONG);
    if (writes)
        pthread_mutex_lock(&write_turn);
    unsigned long json_failures = rp_json_failures();
    rt->fn(rq, rs);
    if (writes)
        pthread_mutex_unlock(&write_turn);
    /* jansson could not allocate a part of the reply (or of what the handler read): the reply is not
     * whole, or its error may be the wrong one; what was written stays written */
    if (rp_json_failures() != json_failures && rs->status < 500) {
        rp_log(RP_LOG_ERROR, "api: %s %s: out of memory building the reply (%d)", rq->method, rq->path, rs->status);
        api_error(rs, 500, "internal", "something went wrong on the server; it has been logged");
    }
    /* customer data leaves only when its audit entry is written; every call of a program's token is audited */
    if (((rt->flags & (API_CUSTOMER | API_AUDITED)) || rq->by_token) && rs->status != 401 &&
        audit_call(rq, rt, rs->status))
        api_error(rs, 500, "audit", "the audit trail could not be written, so nothing is shown; it has been logged");
}

/* The reply of last resort, made when the server starts: for a reply that cannot be made for want of
 * memory (its JSON, its buffer or a header). */
static const char oom_body[] = "{\"error\":{\"code\":\"internal\",\"message\":\"the server is out of memory; "
                               "it has been logged\"}}\n";
static struct MHD_Response *oom_response;

static struct MHD_Response *last_resort(void)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(sizeof oom_body - 1, (void *)oom_body,
                                                             MHD_RESPMEM_PERSISTENT);
    if (r && (MHD_add_response_header(r, "Content-Type", "application/json") != MHD_YES ||
              MHD_add_response_header(r, "Cache-Control", "no-store") != MHD_YES ||
              MHD_add_response_header(r, "X-Content-Type-Options", "nosniff") != MHD_YES ||
              (the_server && the_server->hsts[0] &&
               MHD_add_response_header(r, "Strict-Transport-Security", the_server->hsts) != MHD_YES))) {
        MHD_destroy_response(r);
        r = NULL;
    }
    return r;
}

static enum MHD_Result queue_last_resort(struct MHD_Connection *c, const char *why)
{
    rp_log(RP_LOG_ERROR, "api: out of memory: %s; the reply is 500", why);
    return oom_response ? MHD_queue_response(c, 500, oom_response) : MHD_NO;
}

/* The body of a JSON reply with its final newline (so that replies read well in a terminal), or NULL
 * for want of memory. */
static char *json_body(const api_resp *rs, size_t *n)
{
    unsigned long failures = rp_json_failures();
    char *j = json_dumps(rs->json, JSON_COMPACT);
    if (rp_json_failures() != failures) { /* jansson 2.14 leaves a key out then, and goes on */
        free(j);
        return NULL;
    }
    size_t len = j ? strlen(j) : 0;
    char *s = j ? realloc(j, len + 2) : NULL;
    if (!s) {
        free(j);
        return NULL;
    }
    s[len++] = '\n';
    s[len] = 0;
    *n = len;
    return s;
}

static enum MHD_Result reply(struct MHD_Connection *c, api_resp *rs, int head)
{
    struct MHD_Response *r;
    size_t n = 0;
    api_stream *st = rs->stream;
    rs->stream = NULL;
    if (st && (rs->json || rs->text || head)) { /* an error came after it (the audit), or no body is wanted */
        if (!rs->json && !rs->text) { /* HEAD: the headers alone */
            rs->content_type = "text/csv; charset=utf-8";
            rs->text = strdup("");
        }
        stream_free(st);
        st = NULL;
    }
    if (st) {
        /* the piece size libmicrohttpd asks for; the stream frees itself with the response */
        r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, stream_read, st, stream_free);
        if (!r) {
            stream_free(st);
            return queue_last_resort(c, "making a streamed reply");
        }
        rs->content_type = st->type;
        snprintf(rs->attachment, sizeof rs->attachment, "%s", st->filename);
    } else if (rs->text) {
        n = strlen(rs->text);
        r = MHD_create_response_from_buffer(head ? 0 : n, rs->text, MHD_RESPMEM_MUST_FREE);
        rs->text = NULL;
    } else {
        /* every reply has a body: one without (its JSON could not be made) failed */
        char *s = rs->json ? json_body(rs, &n) : NULL;
        if (!s)
            return queue_last_resort(c, rs->json ? "writing a reply" : "a reply without a body");
        r = MHD_create_response_from_buffer(head ? 0 : n, s, MHD_RESPMEM_MUST_FREE);
        if (!r)
            free(s);
    }
    if (!r)
        return queue_last_resort(c, "making a reply");
    int ok = MHD_add_response_header(r, "Content-Type", rs->content_type ? rs->content_type : "application/json") ==
                 MHD_YES &&
             MHD_add_response_header(r, "Cache-Control", "no-store") == MHD_YES &&
             MHD_add_response_header(r, "X-Content-Type-Options", "nosniff") == MHD_YES &&
             transport_headers(r) == MHD_YES;
    if (ok && rs->content_type && !strncmp(rs->content_type, "text/html", 9)) /* a page: nothing but itself */
        ok = MHD_add_response_header(r, "Content-Security-Policy",
                                     rs->csp ? rs->csp
                                             : "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                                               "frame-ancestors 'none'; base-uri 'none'") == MHD_YES;
    if (ok && rs->cookie[0])
        ok = MHD_add_response_header(r, "Set-Cookie", rs->cookie) == MHD_YES;
    if (ok && rs->retry_after > 0) {
        char ra[24];
        snprintf(ra, sizeof ra, "%lld", (long long)rs->retry_after);
        ok = MHD_add_response_header(r, "Retry-After", ra) == MHD_YES;
    }
    if (ok && rs->attachment[0]) {
        char cd[128];
        snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", rs->attachment);
        ok = MHD_add_response_header(r, "Content-Disposition", cd) == MHD_YES;
    }
    if (!ok) { /* a header missing (a cookie, HSTS) is not a reply to send */
        MHD_destroy_response(r);
        return queue_last_resort(c, "a header of a reply");
    }
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)rs->status, r);
    MHD_destroy_response(r);
    return ret;
}

/* ---- requests refused before anything else (400) ----
 *
 * libmicrohttpd decodes the path in place and then sees it end at a NUL, and
 * ends a header at one: /api/v1/customers/5151%00 was customer 5151 and
 * /index.html%00.png was index.html.  A NUL, raw or as %00, anywhere in the
 * request line or a header is refused, and so (MHD_OPTION_STRICT_FOR_CLIENT)
 * is HTTP/1.1 without Host. */

/* Each request's context, made as its request line is read: the target is
 * seen here as it came, before it is decoded. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls, (void)c;
    conn_ctx *cc = calloc(1, sizeof *cc);
    if (cc && uri) {
        cc->target = uri;
        cc->target_len = strlen(uri);
        cc->escaped_nul = strstr(uri, "%00") != NULL;
    }
    return cc;
}

#if MHD_VERSION < 0x00097600
/* libmicrohttpd before 0.9.76 (Debian 12 has 0.9.75) takes a raw NUL as the
 * end of what it hands out, and says nothing.  It parses a request in place,
 * in one buffer, turning the separators it consumed (the request line's
 * spaces, each colon, each line end) into NULs: so between the parts it
 * reports there are only those NULs and blanks, and any other byte there
 * lies behind a NUL the client sent.  One NUL escapes: the last byte of a
 * line ended by a bare LF, which leaves two NULs as CR LF does (the value it
 * ends is whole).  Later versions refuse NULs themselves (strict for the
 * client). */
typedef struct walk {
    const char *at; /* the end of the last part */
    int ok;
} walk;

/* From the end of one part to the start of the next: min to max bytes, each a NUL or one of blanks. */
static int gap(const char *from, const char *to, size_t min, size_t max, const char *blanks)
{
    uintptr_t a = (uintptr_t)from, b = (uintptr_t)to;
    if (b < a + min || b > a + max)
        return 0;
    for (; from < to; from++)
        if (*from && !strchr(blanks, *from))
            return 0;
    return 1;
}

static enum MHD_Result walk_header(void *cls, enum MHD_ValueKind kind, const char *key, size_t ks, const char *value,
                                   size_t vs)
{
    (void)kind;
    walk *w = cls;
    /* the line end before it (CR LF or LF), then its colon and the blanks after it; a header
     * folded onto a second line is moved elsewhere, so it fails too, as RFC 9112 allows */
    w->ok = gap(w->at, key, 1, 2, "") && gap(key + ks, value, 1, 1024, " \t");
    w->at = value + vs;
    return w->ok ? MHD_YES : MHD_NO;
}

static int nul_free(struct MHD_Connection *c, const conn_ctx *cc, const char *method, const char *url,
                    const char *version)
{
    const union MHD_ConnectionInfo *size = MHD_get_connection_info(c, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    if (!size || !*version || url != cc->target)
        return 0;
    /* METHOD SP target SP version: the target's raw length is where the version starts */
    if (!gap(method + strlen(method), url, 1, 64, " ") || !gap(url + cc->target_len, version, 1, 1, ""))
        return 0;
    walk w = { .at = version + strlen(version), .ok = 1 };
    MHD_get_connection_values_n(c, MHD_HEADER_KIND, walk_header, &w);
    /* then the last line's end and the empty line's */
    return w.ok && gap(w.at, method + size->header_size, 2, 4, "");
}
#endif

/* Why the request must be refused, or NULL. */
static const char *malformed(struct MHD_Connection *c, const conn_ctx *cc, const char *method, const char *url,
                             const char *version)
{
    if (!cc->target)
        return "the request has no target";
    if (cc->escaped_nul)
        return "the request's path or query holds %00 (a NUL)";
#if MHD_VERSION < 0x00097600
    if (!nul_free(c, cc, method, url, version))
        return "the request line or a header holds a NUL, or a header is folded onto a second line";
#else
    (void)c, (void)method, (void)url, (void)version;
#endif
    return NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    api_server *s = cls;
    conn_ctx *cc = *con_cls;
    if (!cc)
        return queue_last_resort(c, "a request's context"); /* on_uri found no memory */
    if (!cc->checked) {
        cc->checked = 1;
        const char *why = malformed(c, cc, method, url, version);
        if (!why)
            return MHD_YES;
        api_resp rs = { 0 };
        api_error(&rs, 400, "bad_request", "%s", why);
        enum MHD_Result ret = reply(c, &rs, !strcmp(method, "HEAD"));
        json_decref(rs.json);
        observe(s, api_nroutes + 1, 400, 0, 0);
        return ret;
    }
    if (*upload_size) {
        if (!cc->too_big && !cc->nomem) {
            if (cc->n + *upload_size > s->o.max_body) {
                cc->too_big = 1;
            } else {
                if (cc->n + *upload_size + 1 > cc->cap) {
                    size_t cap = (cc->n + *upload_size + 1) * 2;
                    if (cap > s->o.max_body + 1)
                        cap = s->o.max_body + 1;
                    char *b = realloc(cc->body, cap);
                    if (b) {
                        cc->body = b;
                        cc->cap = cap;
                    } else {
                        cc->nomem = 1; /* the rest is read and dropped; the reply says why */
                    }
                }
                if (!cc->nomem) {
                    memcpy(cc->body + cc->n, upload, *upload_size);
                    cc->n += *upload_size;
                    cc->body[cc->n] = 0;
                }
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    double t0 = rp_monotonic();
    int route_index = api_nroutes + 1;
    int head = !strcmp(method, "HEAD");
    /* the web application's files: anything outside /api/, /healthz and /metrics */
    if (strncmp(url, "/api/", 5) && strcmp(url, "/healthz") && strcmp(url, "/metrics")) {
        int status;
        if (strcmp(method, "GET") && !head) {
            api_resp rs = { 0 };
            api_error(&rs, 405, "method_not_allowed", "static files are read with GET");
            enum MHD_Result ret = reply(c, &rs, 0);
            json_decref(rs.json);
            observe(s, api_nroutes, 405, rp_monotonic() - t0, 0);
            return ret;
        }
        struct MHD_Response *r = static_file(s, url, &status);
        if (r) {
            enum MHD_Result ret = MHD_queue_response(c, 200, r);
            MHD_destroy_response(r);
            observe(s, api_nroutes, 200, rp_monotonic() - t0, 0);
            return ret;
        }
        api_resp rs = { 0 };
        api_error(&rs, status, status == 400 ? "bad_path" : status == 500 ? "internal" : "not_found",
                  "%s", status == 400 ? "that path is not allowed" : "no such file");
        enum MHD_Result ret = reply(c, &rs, head);
        json_decref(rs.json);
        observe(s, api_nroutes, status, rp_monotonic() - t0, 0);
        return ret;
    }
    RP_FAULT_SCOPE_BEGIN(); /* a request's work, for the allocation-failure tests (core/fault.h) */
    api_req rq;
    memset(&rq, 0, sizeof rq);
    rq.method = method;
    rq.path = url;
    rq.conn = c;
    rq.opt = &s->o;
    rq.srv = s;
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, rq.address, sizeof rq.address);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, rq.address, sizeof rq.address);
    }
    api_resp rs = { 0 };
    rs.status = 500;
    double th = rp_monotonic();
    dispatch(s, &rq, cc, &rs, &route_index);
    double handler = rp_monotonic() - th;
    if (rs.status == 500 && !rs.json && !rs.text)
        api_error(&rs, 500, "internal", "no reply was made");
    enum MHD_Result ret = reply(c, &rs, head);
    observe(s, route_index, rs.status, rp_monotonic() - t0, handler);
    json_decref(rs.json);
    free(rs.text);
    json_decref(rq.body);
    RP_FAULT_SCOPE_END();
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode t)
{
    (void)cls, (void)c, (void)t;
    conn_ctx *cc = *con_cls;
    if (cc) {
        free(cc->body);
        free(cc);
        *con_cls = NULL;
    }
}

/* ---- the metrics and health routes live here: they need the server ---- */

int api_metrics(api_req *rq, api_resp *rs)
{
    int st = api_metrics_check(&the_server->metrics, rq, rs);
    if (st)
        return st;
    rs->text = metrics_text(the_server, rq->w);
    if (!rs->text)
        return api_error(rs, 500, "internal", "out of memory");
    rs->content_type = "text/plain; version=0.0.4; charset=utf-8";
    rs->status = 200;
    return 200;
}

void api_cookie(api_req *rq, api_resp *rs, const char *token, int64_t max_age)
{
    snprintf(rs->cookie, sizeof rs->cookie, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s", COOKIE,
             token, (long long)max_age, rq->opt->secure_cookie ? "; Secure" : "");
}

/* ---- the scribe ---- */

/* Every tick: move the audit journal into the store; then, within a small
 * budget, build the kept 360s that views found missing, and those a change
 * deleted or new customers (table c360_stale). */
#define TICK_MS 25
#define DOC_BUDGET 0.005          /* seconds of building per tick: a fifth of a core at most */
#define INDEX_TICKS 200           /* 5 seconds */

static void scribe_ingest(api_server *s, wh *w)
{
    rp_error err = RP_ERROR_INIT;
    pthread_mutex_lock(&write_turn);
    int rc = sec_journal_ingest(wh_store(w), NULL, s->journal, 8 << 20, 0, NULL, &err);
    pthread_mutex_unlock(&write_turn);
    if (rc)
        rp_log(RP_LOG_ERROR, "api: moving the audit journal into the store: %s", rp_errmsg(&err));
}

static void scribe_build(api_server *s, wh *w, const int64_t *ids, int n)
{
    if (!n)
        return;
    double t0 = rp_monotonic();
    rp_error err = RP_ERROR_INIT;
    pthread_mutex_lock(&write_turn);
    if (wh_begin(w, &err) == RP_OK) {
        int made = 0;
        for (int i = 0; i < n && rp_monotonic() - t0 < DOC_BUDGET; i++) {
            rp_error e2 = RP_ERROR_INIT;
            int rc = wh_c360doc_build(w, ids[i], &e2);
            if (rc == RP_OK)
                made++;
            else if (rc != RP_NOTFOUND)
                rp_log(RP_LOG_WARN, "api: the 360 of customer %lld: %s", (long long)ids[i], rp_errmsg(&e2));
        }
        if (wh_commit(w, &err)) {
            wh_rollback(w);
            rp_log(RP_LOG_WARN, "api: keeping 360s: %s", rp_errmsg(&err));
        } else {
            atomic_fetch_add(&s->docs_made, (unsigned long long)made);
        }
    }
    pthread_mutex_unlock(&write_turn);
}

/* The contact centre's timers (wrap-ups over, sign-ins gone quiet, call-backs due, overflow) and the
 * calls the switch could not take (recorded as abandoned, with why); what that routes goes out. */
static void centre_tick(api_server *s, wh *w)
{
    rp_error err = RP_ERROR_INIT;
    json_t *o = NULL, *failed = api_board_failures(s->board), *f;
    size_t i;
    pthread_mutex_lock(&write_turn);
    json_array_foreach(failed, i, f) {
        /* a call the switch could not take: abandoned; an outbound one it could not dial: not dialled */
        const char *ch = json_string_value(json_object_get(f, "channel"));
        cc_event_in ev = { .interaction = json_integer_value(json_object_get(f, "interaction")),
                           .event = ch && !strcmp(ch, "outbound") ? "not_dialled" : "abandoned",
                           .reason = json_string_value(json_object_get(f, "reason")), .by = "switch" };
        json_t *r = NULL;
        if (cc_event_apply(w, &ev, &r, &err))
            rp_log(RP_LOG_WARN, "api: a call the switch did not take: %s", rp_errmsg(&err)), rp_err_clear(&err);
        json_decref(r);
    }
    int rc = cc_tick(w, 0, &o, &err);
    pthread_mutex_unlock(&write_turn);
    json_decref(failed);
    if (rc)
        rp_log(RP_LOG_WARN, "api: the contact centre's timers: %s", rp_errmsg(&err));
    json_decref(o);
}

/* The assignments nobody has told the switch and the agents' screens of (made here, by another server
 * or by the command line): told now, each by one server. */
static void centre_tell(api_server *s, wh *w)
{
    rp_error err = RP_ERROR_INIT;
    json_t *a = NULL;
    pthread_mutex_lock(&write_turn);
    int rc = cc_untold(w, 200, &a, &err);
    pthread_mutex_unlock(&write_turn);
    if (rc)
        rp_log(RP_LOG_WARN, "api: the contact centre's assignments: %s", rp_errmsg(&err));
    else
        api_board_post(s->board, a);
    json_decref(a);
}

/* libcurl's global state, made once before any thread uses it (the board, campaign e-mail). */
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

static void *scribe_main(void *arg)
{
    api_server *s = arg;
    wh *w = NULL;
    rp_error err = RP_ERROR_INIT;
    if (open_store(s, 1, &w, &err)) {
        rp_log(RP_LOG_ERROR, "api: the scribe cannot open the store: %s", rp_errmsg(&err));
        return NULL;
    }
    double last_centre = rp_monotonic();
    for (long tick = 1;; tick++) {
        pthread_mutex_lock(&s->qlock);
        if (!s->stop_scribe && !s->centre_wanted) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += TICK_MS * 1000000L;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&s->qcond, &s->qlock, &ts);
        }
        int stop = s->stop_scribe;
        s->centre_wanted = 0;
        int64_t ids[128];
        int n = 0;
        while (n < 64 && s->whead != s->wtail)
            ids[n++] = s->wanted[s->whead++ % WANTED];
        pthread_mutex_unlock(&s->qlock);
        if (!stop && api_board_running(s->board))
            centre_tell(s, w); /* marked told only when a board is there to tell */
        scribe_ingest(s, w);
        if (stop)
            break;
        /* transactions another program added: their customers' kept 360s go */
        pthread_mutex_lock(&write_turn);
        if (wh_c360_catch_up(w, NULL, &err)) {
            rp_log(RP_LOG_WARN, "api: kept 360s and new transactions: %s", rp_errmsg(&err));
            rp_err_clear(&err);
        }
        pthread_mutex_unlock(&write_turn);
        if (rp_monotonic() - last_centre >= 1.0) { /* every second by the clock, however often woken */
            last_centre = rp_monotonic();
            centre_tick(s, w);
        }
        /* the trail by customer, in bulk now and then (security.h) */
        if (tick % INDEX_TICKS == 0) {
            pthread_mutex_lock(&write_turn);
            if (sec_audit_index(wh_store(w), NULL, &err)) {
                rp_log(RP_LOG_WARN, "api: indexing the audit trail by customer: %s", rp_errmsg(&err));
                rp_err_clear(&err);
            }
            pthread_mutex_unlock(&write_turn);
        }
        if (!s->o.warm)
            continue;
        /* then those deleted by changes, and new customers */
        int got = 0;
        if (n < 128 && wh_c360doc_pending(w, ids + n, 128 - n, &got, &err)) {
            rp_log(RP_LOG_WARN, "api: looking for 360s to build: %s", rp_errmsg(&err));
            rp_err_clear(&err);
        }
        scribe_build(s, w, ids, n + got);
    }
    wh_close(w);
    return NULL;
}

/* ---- start and stop ---- */

/* The options with their defaults, the web application's folder, HTTPS and
 * /metrics' access: what can be refused before the store is opened. */
static int configure(api_server *s, const api_options *o, rp_error *err)
{
    s->o = *o;
    if (!s->o.max_body)
        s->o.max_body = 1 << 20;
    if (!s->o.idle_seconds)
        s->o.idle_seconds = 15 * 60;
    if (!s->o.lifetime_seconds)
        s->o.lifetime_seconds = 8 * 3600;
    sec_signin_defaults(&s->o.signin);
    if (s->o.threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        s->o.threads = n > 0 ? (int)n : 2;
    }
    snprintf(s->db, sizeof s->db, "%s", o->db ? o->db : "");
    snprintf(s->key, sizeof s->key, "%s", o->key ? o->key : "");
    s->o.db = s->db;
    s->o.key = s->key[0] ? s->key : NULL;
    if (o->static_dir) {
        if (!realpath(o->static_dir, s->static_dir))
            return rp_err(err, RP_IO, "%s: %s", o->static_dir, strerror(errno));
        s->o.static_dir = s->static_dir;
    }
    if (!o->tls_cert != !o->tls_key)
        return rp_err(err, RP_USAGE, "HTTPS needs both a TLS certificate and its key (%s is missing)",
                      o->tls_cert ? "the key" : "the certificate");
    int rc;
    if (o->tls_cert && (rc = api_tls_load(o->tls_cert, o->tls_key, &s->tls, err)))
        return rc;
    /* over HTTPS the cookie is always Secure, and HSTS tells browsers to come back only so */
    if (s->tls.cert) {
        s->o.secure_cookie = 1;
        if (o->hsts_seconds >= 0)
            snprintf(s->hsts, sizeof s->hsts, "max-age=%lld",
                     (long long)(o->hsts_seconds ? o->hsts_seconds : 31536000));
    }
    s->o.tls_cert = s->o.tls_key = NULL;
    if (o->metrics_token && o->metrics_token_file)
        return rp_err(err, RP_USAGE, "the metrics token is given twice: as text and in file %s",
                      o->metrics_token_file);
    char *token = NULL;
    if (o->metrics_token_file &&
        (rc = api_read_file("metrics_token_file", o->metrics_token_file, 1, &token, NULL, err)))
        return rc;
    rc = api_metrics_access_parse(o->metrics_allow, token ? token : o->metrics_token, &s->metrics, err);
    if (rc && token)
        rp_err_prefix(err, "%s", o->metrics_token_file);
    if (token)
        sodium_memzero(token, strlen(token));
    free(token);
    s->o.metrics_token = s->o.metrics_token_file = NULL;
    return rc;
}

/* One daemon per worker on the address (HTTPS with the server's certificate): 0, or an errno. */
static int start_daemons(api_server *s, struct sockaddr_in *sa)
{
    struct MHD_OptionItem tls[] = {
        { MHD_OPTION_HTTPS_MEM_CERT, 0, s->tls.cert },
        { MHD_OPTION_HTTPS_MEM_KEY, 0, s->tls.key },
        { MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)API_TLS_PRIORITIES },
        { MHD_OPTION_END, 0, NULL },
    };
    /* suspend and resume: an agent's screen parked until it has an event (cti.c) */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     (s->tls.cert ? MHD_USE_TLS : 0);
    int n = s->o.threads > MAX_DAEMONS ? MAX_DAEMONS : s->o.threads;
    for (int i = 0; i < n; i++) {
        errno = 0;
        s->d[i] = MHD_start_daemon(flags, ntohs(sa->sin_port), NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
                                   (struct sockaddr *)sa, MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned int)1,
                                   MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_URI_LOG_CALLBACK, on_uri,
                                   s, MHD_OPTION_STRICT_FOR_CLIENT, (int)1, MHD_OPTION_CONNECTION_TIMEOUT,
                                   (unsigned int)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned int)(4096 / n + 1),
                                   MHD_OPTION_ARRAY, s->tls.cert ? tls : tls + 3, MHD_OPTION_END);
        if (!s->d[i])
            return errno ? errno : EADDRINUSE;
        s->nd = i + 1;
    }
    return 0;
}

static void release(api_server *s)
{
    api_tls_free(&s->tls);
    sodium_memzero(&s->metrics, sizeof s->metrics);
    free(s->stats);
    free(s);
}

int api_start(const api_options *o, api_server **out, rp_error *err)
{
    if (the_server)
        return rp_err(err, RP_INTERNAL, "a server is already running in this process");
    if (sodium_init() < 0)
        return rp_err(err, RP_CRYPTO, "libsodium could not start");
    api_server *s = calloc(1, sizeof *s);
    if (!s)
        return rp_err(err, RP_NOMEM, NULL);
    int rc = configure(s, o, err);
    if (rc) {
        release(s);
        return rc;
    }
    /* listen on host:port */
    const char *listen = o->listen ? o->listen : "127.0.0.1:8080";
    const char *colon = strrchr(listen, ':');
    char host[256];
    char *end;
    long port = colon ? strtol(colon + 1, &end, 10) : -1;
    if (!colon || *end || port < 0 || port > 65535 || (size_t)(colon - listen) >= sizeof host) {
        release(s);
        return rp_err(err, RP_INVAL, "--listen '%s': HOST:PORT expected, e.g. 127.0.0.1:8080", listen);
    }
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = 0;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &sa.sin_addr) != 1) {
        release(s);
        return rp_err(err, RP_INVAL, "--listen '%s': '%s' is not an IPv4 address", listen, host);
    }
    /* the store must open here, so that a wrong path fails at once */
    wh *probe;
    if (wh_open(s->db, s->o.key, 0, &probe, NULL, err)) {
        release(s);
        return err->code;
    }
    /* the audit journal: this server's alone; what a stopped one left goes into the store first */
    if (wh_c360_catch_up(probe, NULL, err) || sec_journal_open(s->db, s->key, &s->journal, err) ||
        sec_journal_ingest(wh_store(probe), NULL, s->journal, 0, 1, NULL, err) ||
        sec_journal_restart(wh_store(probe), s->journal, err)) {
        sec_journal_close(s->journal);
        wh_close(probe);
        release(s);
        return err->code;
    }
    wh_close(probe);
    s->stats = calloc((size_t)api_nroutes + 2, sizeof *s->stats);
    s->started = rp_now();
    if (!s->stats || pthread_key_create(&s->store_key, close_store) || pthread_mutex_init(&s->mlock, NULL) ||
        pthread_mutex_init(&s->qlock, NULL) || pthread_cond_init(&s->qcond, NULL)) {
        sec_journal_close(s->journal);
        release(s);
        return rp_err(err, RP_NOMEM, NULL);
    }
    the_server = s;
    if (!oom_response && !(oom_response = last_resort())) {
        the_server = NULL;
        pthread_key_delete(s->store_key);
        pthread_mutex_destroy(&s->qlock);
        pthread_cond_destroy(&s->qcond);
        sec_journal_close(s->journal);
        release(s);
        return rp_err(err, RP_NOMEM, NULL);
    }
    /* a port another program listens on is refused, as it would be without SO_REUSEPORT.  The
     * probe has SO_REUSEADDR, as the daemons' sockets have: the connections of a server that died
     * (in TIME_WAIT, or being closed by the kernel) do not hold the port for a minute, while a
     * listening socket still does */
    int probe_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int e = 0, on = 1;
    if (probe_fd < 0 || setsockopt(probe_fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) ||
        bind(probe_fd, (struct sockaddr *)&sa, sizeof sa))
        e = errno;
    if (!e && port == 0) {
        socklen_t sl = sizeof sa;
        if (getsockname(probe_fd, (struct sockaddr *)&sa, &sl))
            e = errno;
    }
    if (probe_fd >= 0)
        close(probe_fd);
    if (!e) { /* the contact centre's board first: the daemons' handlers post to it */
        static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
        pthread_once(&curl_once, curl_init_once);
        s->board = api_board_start(&s->o);
        e = start_daemons(s, &sa);
    }
    if (e) {
        for (int i = 0; i < s->nd; i++)
            MHD_stop_daemon(s->d[i]);
        the_server = NULL;
        MHD_destroy_response(oom_response);
        oom_response = NULL;
        pthread_key_delete(s->store_key);
        pthread_mutex_destroy(&s->mlock);
        pthread_mutex_destroy(&s->qlock);
        pthread_cond_destroy(&s->qcond);
        sec_journal_close(s->journal);
        api_board_stop(s->board);
        api_board_free(s->board);
        release(s);
        return rp_err(err, RP_IO, "cannot listen on %s: %s", listen, strerror(e));
    }
    if (pthread_create(&s->scribe, NULL, scribe_main, s) == 0)
        s->scribe_started = 1;
    else
        rp_log(RP_LOG_ERROR, "api: the scribe thread cannot start; audit entries wait in the journal");
    s->port = ntohs(sa.sin_port);
    *out = s;
    return RP_OK;
}

int api_port(const api_server *s) { return s->port; }

void api_stop(api_server *s)
{
    if (!s)
        return;
    api_board_stop(s->board); /* the screens parked are let go first: a daemon stops with none suspended */
    for (int i = 0; i < s->nd; i++)
        MHD_stop_daemon(s->d[i]); /* waits for its thread; its store closes with it */
    if (s->scribe_started) {
        pthread_mutex_lock(&s->qlock);
        s->stop_scribe = 1;
        pthread_cond_signal(&s->qcond);
        pthread_mutex_unlock(&s->qlock);
        pthread_join(s->scribe, NULL); /* it moves the rest of the journal first */
    }
    sec_journal_close(s->journal);
    api_board_free(s->board);
    pthread_key_delete(s->store_key);
    pthread_mutex_destroy(&s->mlock);
    pthread_mutex_destroy(&s->qlock);
    pthread_cond_destroy(&s->qcond);
    the_server = NULL;
    MHD_destroy_response(oom_response);
    oom_response = NULL;
    release(s);
}
