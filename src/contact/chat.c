/* chat.c — the customer-side chat: a chat started from the public page (an interaction of channel chat
 * offered to a chat queue), the signed session that keeps it (a token naming the chat and an expiry,
 * keyed with the store's key as the unsubscribe links are), and its messages, customer's, agent's and
 * the centre's own, numbered within the chat.  A chat transferred goes on as one conversation: its
 * messages are kept by its first leg, and the agent who may read and answer is the newest leg's.
 * See contact.h. */
#include "contact/internal.h"
#include "core/utf8.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *S(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t I(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

/* States in which a chat is still going on (the rest: it has ended). */
static int open_state(const char *state)
{
    static const char *const open[] = { "offered", "queued", "assigned", "connected", NULL };
    return state && cc__index(state, open) >= 0;
}

/* ---- the signed session ---- */

/* "CHAT.EXPIRY.HEX": the chat's first leg, the expiry (seconds since 1970) and the keyed hash of both. */
void cc_chat_token(wh *w, int64_t chat, int64_t expires_s, char out[CC_CHAT_TOKEN_MAX])
{
    char what[48];
    int n = snprintf(what, sizeof what, "%lld.%lld", (long long)chat, (long long)expires_s);
    unsigned char h[RP_HASH_LEN];
    wh_keyed_hash(w, "chat", what, (size_t)n, h);
    char hex[2 * RP_HASH_LEN + 1];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(out, CC_CHAT_TOKEN_MAX, "%s.%s", what, hex);
}

/* A run of 1-18 digits at *p as a number; p moved past it; 0 when there is none. */
static int digits(const char **p, int64_t *v)
{
    size_t n = strspn(*p, "0123456789");
    if (!n || n > 18 || **p == '0')
        return 0;
    *v = strtoll(*p, NULL, 10);
    *p += n;
    return 1;
}

int cc_chat_session(wh *w, const char *token, int64_t now_ms, int64_t *chat, rp_error *err)
{
    const char *p = token ? token : "";
    int64_t id = 0, exp = 0;
    char want[CC_CHAT_TOKEN_MAX];
    size_t n = strlen(p);
    if (n >= CC_CHAT_TOKEN_MAX || !digits(&p, &id) || *p++ != '.' || !digits(&p, &exp) || *p != '.')
        return rp_err(err, RP_DENIED, "the chat session is not valid");
    cc_chat_token(w, id, exp, want);
    if (strlen(want) != n || sodium_memcmp(want, token, n))
        return rp_err(err, RP_DENIED, "the chat session is not valid");
    if (exp * 1000 <= now_ms)
        return rp_err(err, RP_DENIED, "the chat session has expired: start a new chat");
    *chat = id;
    return RP_OK;
}

/* ---- checks ---- */

/* Text a person typed: UTF-8 without control characters but new lines and tabs, at most max characters
 * (code points), required: something besides blanks.  RP_INVAL naming field. */
static int typed_ok(const char *field, const char *v, size_t max, int required, rp_error *err)
{
    size_t n = v ? strlen(v) : 0;
    if (!n || strspn(v, " \t\r\n") == n)
        return required ? rp_err(err, RP_INVAL, "%s: required", field) : RP_OK;
    if (!rp_utf8_valid(v, n, NULL))
        return rp_err(err, RP_INVAL, "%s: not UTF-8 text", field);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7f)
            return rp_err(err, RP_INVAL, "%s: holds a control character", field);
    }
    if (rp_utf8_count(v, n) > max)
        return rp_err(err, RP_INVAL, "%s: at most %zu characters", field, max);
    return RP_OK;
}

/* The queue a chat goes to: the one named, if it is an open chat queue, or the first open chat queue
 * (the highest priority, then by code). */
static int chat_queue(wh *w, const char *named, char code[40], rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              named ? "SELECT code FROM cc_queue WHERE code = ? AND channel = 'chat' AND active = 1"
                                    : "SELECT code FROM cc_queue WHERE channel = 'chat' AND active = 1 "
                                      "ORDER BY priority DESC, code LIMIT 1",
                              &st, err);
    if (rc)
        return rc;
    if (named)
        rp_stmt_bind_text(st, 1, named);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        snprintf(code, 40, "%s", rp_stmt_text(st, 0));
    rp_stmt_done(st);
    if (rc == RP_DONE)
        return named ? rp_err(err, RP_NOTFOUND, "queue: '%.40s' is not an open chat queue", named)
                     : rp_err(err, RP_NOTFOUND, "no chat queue is open");
    return rc == RP_ROW ? RP_OK : rc;
}

/* ---- starting ---- */

int cc_chat_start(wh *w, const cc_chat_in *in, json_t **out, rp_error *err)
{
    const char *lang = in->lang ? in->lang : "zh-TW";
    int64_t at = in->at_ms ? in->at_ms : cc_clock_ms();
    char queue[40], ext[40], when[CC_TIME_LEN];
    unsigned char rnd[12];
    int rc;
    if (strcmp(lang, "zh-TW") && strcmp(lang, "en"))
        return rp_err(err, RP_INVAL, "lang: '%.10s' is not zh-TW or en", lang);
    if ((rc = typed_ok("name", in->name, CC_CHAT_NAME_MAX, 0, err)) ||
        (in->name && strpbrk(in->name, "\r\n\t") && (rc = rp_err(err, RP_INVAL, "name: one line"))))
        return rc;
    randombytes_buf(rnd, sizeof rnd);
    memcpy(ext, "web-", 4);
    sodium_bin2hex(ext + 4, sizeof ext - 4, rnd, sizeof rnd);
    if ((rc = rp_store_begin(wh_store(w), err)))
        return rc;
    json_t *o = NULL;
    cc_offer_in off = { .channel = "chat", .external_id = ext, .at_ms = at };
    if (!(rc = chat_queue(w, in->queue, queue, err))) {
        off.queue = queue;
        rc = cc_offer(w, &off, &o, err);
    }
    int64_t id = o ? I(json_object_get(o, "interaction"), "id") : 0;
    rp_stmt *st;
    cc_time_format(at, when);
    if (!rc && !(rc = rp_store_prepare(wh_store(w), "INSERT INTO cc_chat(interaction, name, lang, started_at) "
                                                    "VALUES (?, ?, ?, ?)", &st, err))) {
        int blank = !in->name || strspn(in->name, " ") == strlen(in->name);
        rp_stmt_bind_int(st, 1, id);
        rp_stmt_bind_text(st, 2, blank ? NULL : in->name);
        rp_stmt_bind_text(st, 3, lang);
        rp_stmt_bind_text(st, 4, when);
        rc = rp_stmt_run(st, err);
    }
    if ((rc = cc__end(w, rc, &o, err))) {
        json_decref(o); /* the offer's answer, when what came after it failed (NULL when the commit did) */
        return rc;
    }
    int64_t exp = at / 1000 + CC_CHAT_TTL_S;
    char token[CC_CHAT_TOKEN_MAX], expires[CC_TIME_LEN];
    cc_chat_token(w, id, exp, token);
    cc_time_format(exp * 1000, expires);
    json_t *ix = json_object_get(o, "interaction");
    *out = json_pack("{s:I, s:s, s:s, s:O, s:O, s:O, s:O}", "chat", (json_int_t)id, "token", token, "expires_at",
                     expires, "state", json_object_get(ix, "state"), "queue", json_object_get(ix, "queue"),
                     "position", json_object_get(ix, "position") ? json_object_get(ix, "position") : json_null(),
                     "assignments", json_object_get(o, "assignments"));
    json_decref(o);
    return *out ? RP_OK : rp_err(err, RP_NOMEM, "chat: out of memory");
}

/* ---- the chat and its messages ---- */

/* The chat an interaction (any leg) belongs to: *chat its first leg, *cur the newest leg's row, *row
 * the chat's own (name, lang).  RP_NOTFOUND when it is not a chat. */
static int chat_of(wh *w, int64_t id, int64_t *chat, json_t **cur, json_t **row, rp_error *err)
{
    rp_stmt *st;
    *cur = *row = NULL;
    int rc = rp_store_prepare(wh_store(w), "SELECT r.id, r.external_id, c.name, c.lang FROM cc_interaction i "
                                           "JOIN cc_interaction r ON r.channel = 'chat' AND r.external_id = i.external_id "
                                           "AND r.leg = 0 LEFT JOIN cc_chat c ON c.interaction = r.id "
                                           "WHERE i.id = ? AND i.channel = 'chat'",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, id);
    json_t *a;
    if ((rc = rp_stmt_rows_json(st, 1, &a, NULL, err)))
        return rc;
    if (!json_array_size(a)) {
        json_decref(a);
        return rp_err(err, RP_NOTFOUND, "no chat %lld", (long long)id);
    }
    *row = json_incref(json_array_get(a, 0));
    json_decref(a);
    *chat = I(*row, "id");
    if ((rc = cc__ix(w, 0, "chat", S(*row, "external_id"), cur, err))) {
        json_decref(*row);
        *row = NULL;
    }
    return rc;
}

/* An agent's claim on a chat: the newest leg must be theirs. */
static int owner_ok(const json_t *cur, const char *agent, rp_error *err)
{
    if (!agent || (S(cur, "agent") && !strcmp(S(cur, "agent"), agent)))
        return RP_OK;
    return rp_err(err, RP_DENIED, "interaction %lld is %s's, not %s's", (long long)I(cur, "id"),
                  S(cur, "agent") ? S(cur, "agent") : "no agent", agent);
}

static int next_seq(wh *w, int64_t chat, int64_t *seq, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "SELECT COALESCE(MAX(seq), 0) + 1 FROM cc_chat_message WHERE interaction = ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, chat);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        *seq = rp_stmt_int(st, 0);
    rp_stmt_done(st);
    return rc == RP_ROW ? RP_OK : rc == RP_DONE ? rp_err(err, RP_INTERNAL, "cc_chat_message: no seq") : rc;
}

/* A message appended to the chat (the caller holds the transaction). */
static int append(wh *w, int64_t chat, const char *from, const char *agent, const char *text, int64_t at,
                  int64_t *seq, rp_error *err)
{
    char when[CC_TIME_LEN];
    rp_stmt *st;
    int rc = next_seq(w, chat, seq, err);
    if (rc || (rc = rp_store_prepare(wh_store(w), "INSERT INTO cc_chat_message(interaction, seq, sender, agent, text, "
                                                  "at) VALUES (?, ?, ?, ?, ?, ?)", &st, err)))
        return rc;
    cc_time_format(at, when);
    rp_stmt_bind_int(st, 1, chat);
    rp_stmt_bind_int(st, 2, *seq);
    rp_stmt_bind_text(st, 3, from);
    rp_stmt_bind_text(st, 4, agent);
    rp_stmt_bind_text(st, 5, text);
    rp_stmt_bind_text(st, 6, when);
    return rp_stmt_run(st, err);
}

/* The agent's answer to a chat given to them and not yet accepted accepts it. */
static int accept(wh *w, const json_t *cur, const char *agent, int64_t at, rp_error *err)
{
    if (strcmp(S(cur, "state"), "assigned"))
        return RP_OK;
    cc_event_in ev = { .interaction = I(cur, "id"), .event = "answered", .agent = agent, .by = agent, .at_ms = at };
    json_t *o = NULL;
    int rc = cc_event_apply(w, &ev, &o, err);
    json_decref(o);
    return rc;
}

static int say(wh *w, int64_t id, const char *from, const char *agent, const char *text, int64_t at, json_t **out,
               rp_error *err)
{
    int64_t chat, seq = 0;
    json_t *cur, *row;
    int rc = chat_of(w, id, &chat, &cur, &row, err);
    if (rc)
        return rc;
    if (!strcmp(from, "agent") && !(rc = owner_ok(cur, agent, err)))
        rc = accept(w, cur, agent, at, err);
    if (!rc && !open_state(S(cur, "state")))
        rc = rp_err(err, RP_EXISTS, "this chat has ended");
    if (!rc)
        rc = append(w, chat, from, agent, text, at, &seq, err);
    if (!rc) {
        char when[CC_TIME_LEN];
        cc_time_format(at, when);
        *out = json_pack("{s:I, s:I, s:I, s:s, s:s*, s:s, s:s, s:s*}", "chat", (json_int_t)chat, "interaction",
                         (json_int_t)I(cur, "id"), "seq", (json_int_t)seq, "from", from, "agent",
                         strcmp(from, "agent") ? NULL : agent, "text", text, "at", when, "to_agent", S(cur, "agent"));
        if (!*out)
            rc = rp_err(err, RP_NOMEM, "chat: out of memory");
    }
    json_decref(cur);
    json_decref(row);
    return rc;
}

int cc_chat_say(wh *w, int64_t id, const char *from, const char *agent, const char *text, int64_t at_ms, json_t **out,
                rp_error *err)
{
    int rc;
    if (!from || (strcmp(from, "customer") && strcmp(from, "agent")))
        return rp_err(err, RP_INVAL, "from: customer or agent");
    if (!strcmp(from, "agent") && !agent)
        return rp_err(err, RP_INVAL, "agent: required");
    if ((rc = typed_ok("text", text, CC_CHAT_TEXT_MAX, 1, err)) || (rc = rp_store_begin(wh_store(w), err)))
        return rc;
    *out = NULL;
    rc = say(w, id, from, agent, text, at_ms ? at_ms : cc_clock_ms(), out, err);
    return cc__end(w, rc, out, err);
}

int cc_chat_end(wh *w, int64_t id, int64_t at_ms, json_t **out, rp_error *err)
{
    int64_t chat, seq, at = at_ms ? at_ms : cc_clock_ms();
    json_t *cur, *row, *o = NULL;
    int rc = rp_store_begin(wh_store(w), err);
    if (rc)
        return rc;
    if ((rc = chat_of(w, id, &chat, &cur, &row, err)))
        return cc__end(w, rc, NULL, err);
    if (!open_state(S(cur, "state")))
        rc = rp_err(err, RP_EXISTS, "this chat has ended");
    if (!rc)
        rc = append(w, chat, "system", NULL, "customer_ended", at, &seq, err);
    cc_event_in ev = { .interaction = I(cur, "id"), .event = "ended", .by = "customer",
                       .reason = "the customer ended the chat", .at_ms = at };
    if (!rc && !(rc = cc_event_apply(w, &ev, &o, err)))
        *out = json_pack("{s:I, s:O, s:O, s:s*}", "chat", (json_int_t)chat, "interaction",
                         json_object_get(json_object_get(o, "interaction"), "id"), "state",
                         json_object_get(json_object_get(o, "interaction"), "state"), "to_agent", S(cur, "agent"));
    json_decref(o);
    json_decref(cur);
    json_decref(row);
    return cc__end(w, rc, rc ? NULL : out, err);
}

/* When the chat's newest leg ended (its wrap-up or its end), in ms; 0 while open. */
static int64_t ended_ms(const json_t *cur)
{
    int64_t ms = 0;
    rp_error e = RP_ERROR_INIT;
    const char *t = S(cur, "wrap_at") ? S(cur, "wrap_at") : S(cur, "ended_at");
    if (open_state(S(cur, "state")) || !t || cc_time_parse("ended", t, &ms, &e))
        return 0;
    return ms;
}

static int messages(wh *w, int64_t chat, int64_t after, int customer, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              customer ? "SELECT seq, sender AS \"from\", text, at FROM cc_chat_message "
                                         "WHERE interaction = ? AND seq > ? ORDER BY seq LIMIT ?"
                                       : "SELECT seq, sender AS \"from\", agent, text, at FROM cc_chat_message "
                                         "WHERE interaction = ? AND seq > ? ORDER BY seq LIMIT ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, chat);
    rp_stmt_bind_int(st, 2, after);
    rp_stmt_bind_int(st, 3, CC_CHAT_READ_MAX);
    return rp_stmt_rows_json(st, 0, out, NULL, err);
}

/* The name of the agent on the chat, as the customer sees it. */
static int agent_name(wh *w, const char *login, json_t *o, rp_error *err)
{
    rp_stmt *st;
    int rc = login ? rp_store_prepare(wh_store(w), "SELECT name FROM cc_agent WHERE login = ?", &st, err) : RP_OK;
    if (rc || !login)
        return json_object_set_new(o, "agent_name", json_null()), rc;
    rp_stmt_bind_text(st, 1, login);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        json_object_set_new(o, "agent_name", json_string(rp_stmt_text(st, 0)));
    else
        json_object_set_new(o, "agent_name", json_null());
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

int cc_chat_read(wh *w, int64_t id, int64_t after, const cc_chat_viewer *v, int64_t now_ms, json_t **out,
                 rp_error *err)
{
    int64_t chat, now = now_ms ? now_ms : cc_clock_ms();
    json_t *cur, *row, *msgs = NULL;
    *out = NULL;
    if (after < 0)
        return rp_err(err, RP_INVAL, "after: a message's number (0 or more)");
    int rc = chat_of(w, id, &chat, &cur, &row, err);
    if (rc)
        return rc;
    int64_t ended = ended_ms(cur);
    if (v->agent)
        rc = owner_ok(cur, v->agent, err) ? rp_err(err, RP_NOTFOUND, "no interaction %lld of yours", (long long)id) : RP_OK;
    if (!rc && v->customer && ended && now - ended > (int64_t)CC_CHAT_GRACE_S * 1000)
        rc = rp_err(err, RP_EXISTS, "this chat has ended");
    if (!rc)
        rc = messages(w, chat, after, v->customer, &msgs, err);
    if (!rc) {
        json_t *last = json_array_get(msgs, json_array_size(msgs) - 1);
        *out = json_pack("{s:I, s:I, s:O, s:b, s:O?, s:O?, s:I, s:o}", "chat", (json_int_t)chat, "interaction",
                         (json_int_t)I(cur, "id"), "state", json_object_get(cur, "state"), "ended", ended != 0, "name",
                         json_object_get(row, "name"), "lang", json_object_get(row, "lang"), "last_seq",
                         (json_int_t)(last ? I(last, "seq") : after), "messages", msgs);
        if (!*out)
            rc = rp_err(err, RP_NOMEM, "chat: out of memory");
        else if (!v->customer)
            json_object_set(*out, "agent", json_object_get(cur, "agent"));
        if (!rc)
            rc = agent_name(w, S(cur, "agent"), *out, err);
        if (rc) {
            json_decref(*out);
            *out = NULL;
        }
    }
    json_decref(cur);
    json_decref(row);
    return rc;
}
