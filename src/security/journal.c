/* journal.c — the audit trail's journal.  See journal.h. */
#include "security/security.h"
#include "core/fileio.h"
#include "core/json.h"
#include "core/log.h"
#include "core/rtime.h"
#include "core/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "rapport audit journal 1 "
#define ID_LEN 32                 /* hex */
#define HEADER_LEN (sizeof MAGIC - 1 + ID_LEN + 1)
#define FIELD_MAX SEC_AUDIT_FIELD_MAX /* bytes of one field kept in the journal */
#define LINE_MAX_BYTES 16384
#define PUNCH_STEP (1 << 20)
#define JOURNAL_SLOTS 16          /* servers of a database server's store on one machine */
#define MARKS 1024                /* seconds of backlog timed exactly; beyond, an upper bound of its age */

struct sec_journal {
    int fd;
    char path[1100];
    char id[ID_LEN + 1];
    pthread_mutex_t lock;
    int64_t size;                 /* bytes written, under lock */
    _Atomic int64_t moved;        /* offset moved into the store */
    /* what waits, under lock (sec_journal_backlog): entries written and not
     * yet moved, and a mark per second of writing: the offset of the first
     * line written in that second.  The first line still waiting was
     * written in the second of the last mark at or before it. */
    int64_t waiting;
    struct { int64_t offset, at; } marks[MARKS];
    unsigned mhead, mtail;
    int64_t punched;              /* bytes given back, from the header on */
};

void sec_journal_path(const char *db, const char *key, char *out, size_t n)
{
    char base[1024];
    if (rp_store_local_name(db, key, base, sizeof base))
        base[0] = 0;
    snprintf(out, n, "%s-audit", base);
}

static int new_header(sec_journal *j, rp_error *err)
{
    unsigned char r[ID_LEN / 2];
    randombytes_buf(r, sizeof r);
    sodium_bin2hex(j->id, sizeof j->id, r, sizeof r);
    char h[HEADER_LEN + 1];
    snprintf(h, sizeof h, "%s%s\n", MAGIC, j->id);
    if (rp_write_full(j->fd, h, HEADER_LEN))
        return rp_err(err, RP_IO, "%s: %s", j->path, strerror(errno));
    j->size = (int64_t)HEADER_LEN;
    j->moved = j->punched = (int64_t)HEADER_LEN;
    return RP_OK;
}

/* The id in a header, or "" when fd holds none. */
static int read_header(int fd, char id[ID_LEN + 1])
{
    char h[HEADER_LEN];
    id[0] = 0;
    if (pread(fd, h, HEADER_LEN, 0) != (ssize_t)HEADER_LEN || memcmp(h, MAGIC, sizeof MAGIC - 1) ||
        h[HEADER_LEN - 1] != '\n')
        return -1;
    memcpy(id, h + sizeof MAGIC - 1, ID_LEN);
    id[ID_LEN] = 0;
    return 0;
}

int sec_journal_open(const char *db, const char *key, sec_journal **out, rp_error *err)
{
    if (sodium_init() < 0)
        return rp_err(err, RP_CRYPTO, "libsodium could not start");
    sec_journal *j = calloc(1, sizeof *j);
    if (!j)
        return rp_err(err, RP_NOMEM, NULL);
    /* a database server's store has several servers, each with a journal of its own: on one machine the
     * first of STORE-audit, STORE-audit.2, ... that no other server holds (one left by a server that
     * stopped is moved by the next that takes it) */
    int slots = strstr(db, "://") ? JOURNAL_SLOTS : 1;
    char base[1024];
    sec_journal_path(db, key, base, sizeof base);
    for (int slot = 1;; slot++) {
        if (slot == 1)
            snprintf(j->path, sizeof j->path, "%s", base);
        else
            snprintf(j->path, sizeof j->path, "%s.%d", base, slot);
        j->fd = open(j->path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (j->fd < 0) {
            int rc = rp_err(err, RP_IO, "%s: %s", j->path, strerror(errno)); /* before j is gone */
            free(j);
            return rc;
        }
        if (!flock(j->fd, LOCK_EX | LOCK_NB))
            break;
        int e = errno;
        close(j->fd);
        if (e == EWOULDBLOCK && slot < slots)
            continue;
        free(j);
        if (e != EWOULDBLOCK)
            return rp_err(err, RP_IO, "%s: %s", db, strerror(e));
        return slots == 1 ? rp_err(err, RP_BUSY, "another `rapport serve` is running on this store (%s is locked)", db)
                          : rp_err(err, RP_BUSY, "%d `rapport serve` are running on this store from this machine, "
                                                 "each with its journal (%s.N): no more", slots, base);
    }
    struct stat sb;
    int rc = RP_OK;
    if (fstat(j->fd, &sb)) {
        rc = rp_err(err, RP_IO, "%s: %s", j->path, strerror(errno));
    } else if (sb.st_size == 0) {
        rc = new_header(j, err);
    } else if (read_header(j->fd, j->id)) {
        rc = rp_err(err, RP_STORE, "%s is not an audit journal of Rapport; move it away to start a new one",
                    j->path);
    } else {
        j->size = sb.st_size;
        j->moved = j->punched = (int64_t)HEADER_LEN; /* until ingest says how far */
    }
    if (rc || pthread_mutex_init(&j->lock, NULL)) {
        close(j->fd);
        free(j);
        return rc ? rc : rp_err(err, RP_NOMEM, NULL);
    }
    *out = j;
    return RP_OK;
}

void sec_journal_close(sec_journal *j)
{
    if (!j)
        return;
    close(j->fd); /* the lock goes with it */
    pthread_mutex_destroy(&j->lock);
    free(j);
}

int64_t sec_journal_pending(const sec_journal *j) { return j ? j->size - j->moved : 0; }

void sec_journal_backlog(sec_journal *j, sec_journal_state *out)
{
    memset(out, 0, sizeof *out);
    if (!j)
        return;
    pthread_mutex_lock(&j->lock);
    out->bytes = j->size - j->moved;
    out->entries = j->waiting;
    if (out->bytes > 0 && j->mhead != j->mtail)
        out->oldest = j->marks[j->mhead % MARKS].at;
    pthread_mutex_unlock(&j->lock);
}

/* Under lock: a line written now at offset. */
static void mark_written(sec_journal *j, int64_t offset)
{
    int64_t now = rp_now();
    j->waiting++;
    if (j->mhead != j->mtail && j->marks[(j->mtail - 1) % MARKS].at == now)
        return;
    if (j->mtail - j->mhead == MARKS)
        return; /* full: this second's lines count as the last mark's, older: their age an upper bound */
    j->marks[j->mtail % MARKS].offset = offset;
    j->marks[j->mtail % MARKS].at = now;
    j->mtail++;
}

/* Under lock: count lines moved, up to offset done. */
static void mark_moved(sec_journal *j, int64_t done, int64_t count)
{
    j->moved = done;
    if (done >= j->size) {
        j->waiting = 0;
        j->mhead = j->mtail = 0;
        return;
    }
    j->waiting = j->waiting > count ? j->waiting - count : 0;
    while (j->mtail - j->mhead >= 2 && j->marks[(j->mhead + 1) % MARKS].offset <= done)
        j->mhead++;
}

/* ---- writing ---- */

typedef struct line {
    char b[LINE_MAX_BYTES];
    size_t n;
} line;

static void put(line *l, const char *s, size_t n)
{
    if (l->n + n < sizeof l->b) {
        memcpy(l->b + l->n, s, n);
        l->n += n;
    }
}

/* "key":"value" with JSON escapes; invalid UTF-8 bytes become U+FFFD. */
static void put_str(line *l, const char *key, const char *v)
{
    if (!v)
        return;
    char k[40];
    int kn = snprintf(k, sizeof k, "%s\"%s\":\"", l->n > 1 ? "," : "", key);
    put(l, k, (size_t)kn);
    size_t n = strnlen(v, FIELD_MAX);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)v[i];
        if (c >= 0x80) {
            uint32_t cp;
            int k2 = rp_utf8_decode(v + i, n - i, &cp);
            if (k2 > 0) {
                put(l, v + i, (size_t)k2);
                i += (size_t)k2;
            } else {
                put(l, "\\ufffd", 6);
                i++;
            }
            continue;
        }
        if (c == '"' || c == '\\') {
            char e[2] = { '\\', (char)c };
            put(l, e, 2);
        } else if (c < 0x20 || c == 0x7f) {
            char e[8];
            snprintf(e, sizeof e, "\\u%04x", c);
            put(l, e, 6);
        } else {
            put(l, v + i, 1);
        }
        i++;
    }
    put(l, "\"", 1);
}

int sec_journal_append(sec_journal *j, const sec_audit_entry *e, const char *at, rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    if (!at) {
        rp_time_format_utc(rp_now(), now);
        at = now;
    }
    line l;
    l.n = 0;
    put(&l, "{", 1);
    put_str(&l, "at", at);
    put_str(&l, "user", e->user);
    put_str(&l, "address", e->address);
    put_str(&l, "action", e->action ? e->action : "unknown");
    if (e->customer > 0) {
        char c[48];
        int n = snprintf(c, sizeof c, ",\"customer\":%lld", (long long)e->customer);
        put(&l, c, (size_t)n);
    }
    put_str(&l, "target", e->target);
    put_str(&l, "reason", e->reason);
    put_str(&l, "outcome", e->outcome ? e->outcome : "ok");
    put_str(&l, "detail", e->detail);
    put_str(&l, "customers", e->customers);
    put(&l, "}\n", 2);
    if (l.n < 3 || l.b[l.n - 1] != '\n')
        return rp_err(err, RP_TOOBIG, "an audit entry longer than %d bytes", LINE_MAX_BYTES);
    pthread_mutex_lock(&j->lock);
    int64_t before = j->size;
    ssize_t k;
    do
        k = write(j->fd, l.b, l.n);
    while (k < 0 && errno == EINTR);
    int rc = RP_OK;
    if (k == (ssize_t)l.n) {
        mark_written(j, before);
        j->size += k;
    } else {
        int e2 = k < 0 ? errno : ENOSPC;
        /* a part of a line would join the next one: take it back */
        if (k > 0 && ftruncate(j->fd, before))
            rp_log(RP_LOG_ERROR, "%s: a partly written entry could not be taken back: %s", j->path, strerror(errno));
        rc = rp_err(err, e2 == ENOSPC || e2 == EFBIG || e2 == EDQUOT ? RP_FULL : RP_IO, "%s: %s", j->path,
                    strerror(e2));
    }
    pthread_mutex_unlock(&j->lock);
    return rc;
}

/* ---- moving into the store ---- */

/* store_meta 'audit_journal': "ID OFFSET", how far the journal of that id has been moved. */
/* How far the journal of this id has been moved: store_meta "audit_journal ID" (one a journal, as several
 * servers of one store each keep their own), or the one "audit_journal" of a store before them ("ID
 * OFFSET").  id "" when neither is this journal's. */
static int meta_get(rp_store *s, const char *file_id, char id[ID_LEN + 1], int64_t *offset, rp_error *err)
{
    char v[80], tmp[ID_LEN + 1], name[ID_LEN + 16];
    long long off;
    int found;
    id[0] = 0;
    *offset = 0;
    snprintf(name, sizeof name, "audit_journal %s", file_id);
    int rc = rp_store_meta_get(s, name, v, sizeof v, &found, err);
    if (rc == RP_OK && found && sscanf(v, "%lld", &off) == 1 && off >= 0) {
        snprintf(id, ID_LEN + 1, "%s", file_id);
        *offset = off;
        return RP_OK;
    }
    if (rc == RP_OK)
        rc = rp_store_meta_get(s, "audit_journal", v, sizeof v, NULL, err);
    if (rc == RP_OK && sscanf(v, "%32s %lld", tmp, &off) == 2 && strlen(tmp) == ID_LEN && off >= 0 &&
        !strcmp(tmp, file_id)) {
        memcpy(id, tmp, ID_LEN + 1);
        *offset = off;
    }
    return rc;
}

static int meta_set(rp_store *s, const char *id, int64_t offset, rp_error *err)
{
    char v[32], name[ID_LEN + 16];
    snprintf(name, sizeof name, "audit_journal %s", id);
    snprintf(v, sizeof v, "%lld", (long long)offset);
    return rp_store_meta_set(s, name, v, err);
}

static const char *member(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* One line into table audit; a line that cannot be read is kept as an entry saying so. */
static int move_line(rp_store *s, const char *path, int64_t at_offset, const char *p, size_t n, rp_error *err)
{
    unsigned long failures = rp_json_failures();
    json_t *o = json_loadb(p, n, JSON_REJECT_DUPLICATES, NULL);
    if (rp_json_failures() != failures) { /* not a damaged line: it is moved on a later try */
        json_decref(o);
        return rp_err(err, RP_NOMEM, "audit journal %s, byte %lld: %s", path, (long long)at_offset,
                      rp_strerror(RP_NOMEM));
    }
    const char *at = member(o, "at"), *action = member(o, "action");
    int rc;
    if (!json_is_object(o) || !at || !action) {
        char detail[1600];
        size_t k = n < 200 ? n : 200;
        snprintf(detail, sizeof detail, "%s, byte %lld: %.*s", path, (long long)at_offset, (int)k, p);
        for (char *c = detail; *c; c++)
            if ((unsigned char)*c < 0x20)
                *c = ' ';
        rp_log(RP_LOG_ERROR, "audit journal %s: an entry at byte %lld cannot be read; kept as 'journal_damaged'", path,
               (long long)at_offset);
        sec_audit_entry e = { .action = "journal_damaged", .outcome = "failed", .detail = detail };
        char now[RP_TIME_UTC_LEN];
        rp_time_format_utc(rp_now(), now);
        rc = sec_audit_at(s, &e, now, err);
    } else {
        json_t *c = json_object_get(o, "customer");
        sec_audit_entry e = { .user = member(o, "user"),
                              .address = member(o, "address"),
                              .action = action,
                              .target = member(o, "target"),
                              .reason = member(o, "reason"),
                              .outcome = member(o, "outcome"),
                              .detail = member(o, "detail"),
                              .customer = json_is_integer(c) ? json_integer_value(c) : 0,
                              .customers = member(o, "customers") };
        rc = sec_audit_at(s, &e, at, err);
    }
    json_decref(o);
    return rc;
}

int sec_journal_ingest(rp_store *s, const char *db, sec_journal *j, size_t max, int final, int64_t *moved,
                       rp_error *err)
{
    if (moved)
        *moved = 0;
    char path[1100];
    int fd = j ? j->fd : -1;
    if (j) {
        snprintf(path, sizeof path, "%s", j->path);
    } else if (!db || strstr(db, "://")) { /* a database server's store: its servers move their own journals */
        return RP_OK;
    } else {
        sec_journal_path(db, NULL, path, sizeof path);
        if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
            return errno == ENOENT ? RP_OK : rp_err(err, RP_IO, "%s: %s", path, strerror(errno));
    }
    char file_id[ID_LEN + 1], id[ID_LEN + 1];
    int64_t off;
    struct stat sb;
    char *buf = NULL;
    int rc = rp_store_begin(s, err);
    if (rc)
        goto out;
    if ((rc = rp_store_lock(s, "audit", err))) { /* the ids of several servers' entries commit in order */
        rp_store_rollback(s);
        goto out;
    }
    if (read_header(fd, file_id) || fstat(fd, &sb)) {
        rp_store_rollback(s);
        if (!j && fstat(fd, &sb) == 0 && sb.st_size == 0)
            goto out; /* a journal just begun */
        rc = rp_err(err, RP_STORE, "%s is not an audit journal of Rapport", path);
        goto out;
    }
    if ((rc = meta_get(s, file_id, id, &off, err))) {
        rp_store_rollback(s);
        goto out;
    }
    if (strcmp(id, file_id) || off < (int64_t)HEADER_LEN || off > sb.st_size)
        off = (int64_t)HEADER_LEN; /* a new journal: from its start */
    int64_t end = sb.st_size;
    if (max && max < 4 * LINE_MAX_BYTES)
        max = 4 * LINE_MAX_BYTES;
    if (max && end - off > (int64_t)max)
        end = off + (int64_t)max;
    size_t want = (size_t)(end - off);
    int64_t count = 0, done = off;
    if (want) {
        if (!(buf = malloc(want))) {
            rp_store_rollback(s);
            rc = rp_err(err, RP_NOMEM, NULL);
            goto out;
        }
        ssize_t got = pread(fd, buf, want, off);
        if (got < 0) {
            rp_store_rollback(s);
            rc = rp_err(err, RP_IO, "%s: %s", path, strerror(errno));
            goto out;
        }
        size_t at = 0, n = (size_t)got;
        while (at < n) {
            char *nl = memchr(buf + at, '\n', n - at);
            size_t len = nl ? (size_t)(nl - (buf + at)) : n - at;
            if (!nl && !(final && off + (int64_t)n == sb.st_size))
                break; /* still being written, or cut by max: next time */
            if ((rc = move_line(s, path, off + (int64_t)at, buf + at, len, err))) {
                rp_store_rollback(s);
                goto out;
            }
            count++;
            at += len + (nl ? 1 : 0);
        }
        done = off + (int64_t)at;
    }
    if ((done != off || strcmp(id, file_id)) && (rc = meta_set(s, file_id, done, err))) {
        rp_store_rollback(s);
        goto out;
    }
    if ((rc = rp_store_commit(s, err)))
        goto out;
    if (moved)
        *moved = count;
    if (j) {
        pthread_mutex_lock(&j->lock);
        mark_moved(j, done, count);
        pthread_mutex_unlock(&j->lock);
        /* give back what is moved, a megabyte at a time */
        int64_t from = (j->punched + 4095) / 4096 * 4096, to = done / 4096 * 4096;
        if (to - from >= PUNCH_STEP) {
            if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, from, to - from) == 0)
                j->punched = to;
            else if (errno != EOPNOTSUPP)
                rp_log(RP_LOG_WARN, "%s: cannot give back moved entries: %s", path, strerror(errno));
            else
                j->punched = to; /* the file system cannot: the journal starts again at the next start */
        }
    }
out:
    free(buf);
    if (!j)
        close(fd);
    return rc;
}

int sec_journal_restart(rp_store *s, sec_journal *j, rp_error *err)
{
    char id[ID_LEN + 1];
    int64_t off;
    int rc = rp_store_begin(s, err);
    if (rc)
        return rc;
    if ((rc = meta_get(s, j->id, id, &off, err))) {
        rp_store_rollback(s);
        return rc;
    }
    pthread_mutex_lock(&j->lock);
    if (strcmp(id, j->id) || off != j->size) {
        pthread_mutex_unlock(&j->lock);
        rp_store_rollback(s);
        return RP_OK; /* not all moved: keep it */
    }
    /* a crash from here on leaves a journal whose id the store does not know: read from its start */
    char old[ID_LEN + 16];
    snprintf(old, sizeof old, "audit_journal %s", j->id);
    if (ftruncate(j->fd, 0)) {
        rc = rp_err(err, RP_IO, "%s: %s", j->path, strerror(errno));
    } else if (!(rc = new_header(j, err)) && !(rc = rp_store_meta_set(s, old, NULL, err))) {
        rc = meta_set(s, j->id, j->size, err); /* the old journal's place forgotten, the new one's kept */
    }
    pthread_mutex_unlock(&j->lock);
    if (rc) {
        rp_store_rollback(s);
        return rc;
    }
    return rp_store_commit(s, err);
}
