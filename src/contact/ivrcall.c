/* ivrcall.c — a call in an IVR flow: its session (cc_ivr_session), the walk from node to node as the
 * caller's keys come, and the hand-over to the queue at the end with the path taken.  See contact.h. */
#include "contact/internal.h"
#include "core/json.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TRIES 3
#define SAY_MAX 600
#define MAX_STEPS 32   /* nodes walked without input: a flow of says and services in a loop is cut */

static const char *S(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

typedef struct sess {
    int64_t ix, party;
    char flow[40], node[64], path[200], lang[8], queue[40];
    int verified, tries;
} sess;

static int sess_get(wh *w, int64_t ix, sess *s, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "SELECT s.flow, s.node, s.path, s.lang, coalesce(s.party_id, 0), s.verified, "
                                           "s.tries, i.queue FROM cc_ivr_session s JOIN cc_interaction i ON i.id = "
                                           "s.interaction WHERE s.interaction = ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, ix);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        s->ix = ix;
        snprintf(s->flow, sizeof s->flow, "%s", rp_stmt_text(st, 0));
        snprintf(s->node, sizeof s->node, "%s", rp_stmt_text(st, 1));
        snprintf(s->path, sizeof s->path, "%s", rp_stmt_text(st, 2));
        snprintf(s->lang, sizeof s->lang, "%s", rp_stmt_text(st, 3));
        s->party = rp_stmt_int(st, 4);
        s->verified = (int)rp_stmt_int(st, 5);
        s->tries = (int)rp_stmt_int(st, 6);
        snprintf(s->queue, sizeof s->queue, "%s", rp_stmt_text(st, 7));
    }
    rp_stmt_done(st);
    if (rc == RP_DONE)
        return rp_err(err, RP_EXISTS, "interaction %lld is not in an IVR flow", (long long)ix);
    return rc == RP_ROW ? RP_OK : rc;
}

static int sess_put(wh *w, const sess *s, int64_t now, rp_error *err)
{
    char at[CC_TIME_LEN];
    cc_time_format(now, at);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "INSERT INTO cc_ivr_session(interaction, flow, node, path, lang, party_id, "
                                           "verified, tries, updated_at) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(interaction) "
                                           "DO UPDATE SET node = excluded.node, path = excluded.path, lang = excluded.lang, "
                                           "party_id = excluded.party_id, verified = excluded.verified, tries = "
                                           "excluded.tries, updated_at = excluded.updated_at",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, s->ix);
    rp_stmt_bind_text(st, 2, s->flow);
    rp_stmt_bind_text(st, 3, s->node);
    rp_stmt_bind_text(st, 4, s->path);
    rp_stmt_bind_text(st, 5, s->lang);
    if (s->party)
        rp_stmt_bind_int(st, 6, s->party);
    else
        rp_stmt_bind_null(st, 6);
    rp_stmt_bind_int(st, 7, s->verified);
    rp_stmt_bind_int(st, 8, s->tries);
    rp_stmt_bind_text(st, 9, at);
    return rp_stmt_run(st, err);
}

static void path_add(sess *s, const char *step)
{
    size_t n = strlen(s->path);
    if (n + strlen(step) + 2 < sizeof s->path)
        snprintf(s->path + n, sizeof s->path - n, "%s%s", n ? ">" : "", step);
}

static void say_add(char *say, const char *text)
{
    size_t n = strlen(say);
    if (text && *text && n + strlen(text) + 2 < SAY_MAX)
        snprintf(say + n, SAY_MAX - n, "%s%s", n ? " " : "", text);
}

static const char *prompt_of(const json_t *node, const char *lang)
{
    return S(json_object_get(node, "prompt"), lang);
}

/* The call joins the queue of the flow's end with the path it took and the customer it identified. */
static int hand_over(wh *w, sess *s, const json_t *node, int64_t now, rp_error *err)
{
    char at[CC_TIME_LEN];
    cc_time_format(now, at);
    path_add(s, S(node, "queue"));
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "UPDATE cc_interaction SET state = 'queued', queue = ?, queued_at = ?, "
                                           "ivr_path = ?, party_id = coalesce(?, party_id), reason = coalesce(?, reason) "
                                           "WHERE id = ? AND state = 'offered'",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, S(node, "queue"));
    rp_stmt_bind_text(st, 2, at);
    rp_stmt_bind_text(st, 3, s->path);
    if (s->party)
        rp_stmt_bind_int(st, 4, s->party);
    else
        rp_stmt_bind_null(st, 4);
    rp_stmt_bind_text(st, 5, S(node, "reason"));
    rp_stmt_bind_int(st, 6, s->ix);
    if ((rc = rp_stmt_run(st, err)) || (rc = cc__event(w, s->ix, now, "queued", 0, s->path, err)) ||
        (rc = rp_store_prepare(wh_store(w), "DELETE FROM cc_ivr_session WHERE interaction = ?", &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, s->ix);
    return rp_stmt_run(st, err);
}

/* From node id: services and spoken lines done and said, until a node waiting for keys (the reply
 * asks for them) or the queue (*handed 1). */
static int walk(wh *w, const json_t *flow, sess *s, const char *id, char *say, int64_t now, int *handed,
                rp_error *err)
{
    const json_t *nodes = json_object_get(flow, "nodes");
    *handed = 0;
    for (int k = 0; k < MAX_STEPS; k++) {
        const json_t *n = id ? json_object_get(nodes, id) : NULL;
        const char *kind = S(n, "kind");
        if (!kind) { /* the flow changed under the call: it goes to the queue it called */
            json_t *q = json_pack("{s:s}", "queue", s->queue);
            path_add(s, "flow changed");
            *handed = 1;
            int rc = hand_over(w, s, q, now, err);
            json_decref(q);
            return rc;
        }
        snprintf(s->node, sizeof s->node, "%s", id);
        s->tries = 0;
        if (!strcmp(kind, "queue")) {
            *handed = 1;
            return hand_over(w, s, n, now, err);
        }
        if (!strcmp(kind, "service")) {
            char out[SAY_MAX] = "";
            int rc = cc__ivr_service(w, S(n, "service"), s->party, s->verified, s->lang, out, sizeof out, err);
            if (rc == RP_DENIED) { /* not identified, or no PIN: the flow's way out */
                path_add(s, S(n, "service"));
                id = S(n, "fail") ? S(n, "fail") : S(n, "next");
                continue;
            }
            if (rc)
                return rc;
            path_add(s, S(n, "service"));
            say_add(say, out);
            id = S(n, "next");
            continue;
        }
        say_add(say, prompt_of(n, s->lang));
        if (!strcmp(kind, "say")) {
            id = S(n, "next");
            continue;
        }
        return RP_OK; /* menu, identify, pin: keys wanted */
    }
    return rp_err(err, RP_INVAL, "IVR flow %s: %d nodes without a key to wait for: a loop", s->flow, MAX_STEPS);
}

/* The reply the switch acts on while the call is in the flow. */
static json_t *ivr_reply(const json_t *flow, const sess *s, const char *say)
{
    const json_t *n = json_object_get(json_object_get(flow, "nodes"), s->node);
    char prompt[120];
    snprintf(prompt, sizeof prompt, "%s.%s", s->flow, s->node);
    const char *kind = S(n, "kind") ? S(n, "kind") : "menu";
    int max = !strcmp(kind, "menu") ? 1 : !strcmp(kind, "pin") ? CC_PIN_LEN : 20;
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s}}", "flow", s->flow, "node", s->node, "prompt", prompt,
                     "lang", s->lang, "say", say, "collect", "max_digits", max, "end", "#");
}

int cc__ivr_start(wh *w, int64_t ix, int64_t party, const char *flow_name, int64_t now, json_t **reply, rp_error *err)
{
    json_t *flow;
    int rc = cc_ivr_flow(w, flow_name, &flow, err);
    if (rc)
        return rc;
    sess s = { .ix = ix, .party = party };
    snprintf(s.flow, sizeof s.flow, "%s", flow_name);
    snprintf(s.lang, sizeof s.lang, "zh-TW");
    char say[SAY_MAX] = "";
    int handed;
    if (!(rc = walk(w, flow, &s, S(flow, "start"), say, now, &handed, err)) && !handed &&
        !(rc = sess_put(w, &s, now, err)) && !(rc = cc__event(w, ix, now, "ivr", 0, s.node, err)))
        *reply = ivr_reply(flow, &s, say);
    else if (!rc)
        *reply = NULL; /* straight to the queue */
    json_decref(flow);
    return rc;
}

/* The caller's keys at a node: the next node, or the same again (tries), or the flow's way out. */
static int take(wh *w, const json_t *flow, sess *s, const char *digits, int64_t now, const char **next, char *say,
                rp_error *err)
{
    const json_t *n = json_object_get(json_object_get(flow, "nodes"), s->node);
    const char *kind = S(n, "kind");
    *next = NULL;
    if (!kind) { /* the flow changed under the call: walk() sends it to its queue */
        *next = s->node;
        return RP_OK;
    }
    if (!strcmp(kind, "menu")) {
        char k[2] = { digits[0], 0 };
        const json_t *o = json_object_get(json_object_get(n, "options"), k);
        if (o) {
            char step[80];
            snprintf(step, sizeof step, "%s:%s", s->node, k);
            path_add(s, step);
            if (S(o, "lang"))
                snprintf(s->lang, sizeof s->lang, "%s", S(o, "lang"));
            *next = S(o, "next");
        }
    } else if (!strcmp(kind, "identify")) {
        int64_t party;
        if (cc__ivr_identify(w, digits, &party) == RP_OK) {
            s->party = party, s->verified = 0;
            path_add(s, "identified");
            *next = S(n, "next");
        }
    } else { /* pin */
        rp_error e = RP_ERROR_INIT;
        char pin[CC_PIN_LEN + 2];
        snprintf(pin, sizeof pin, "%.*s", (int)strcspn(digits, "#"), digits); /* a # to end it is no digit */
        int rc = s->party ? cc__pin_check(w, s->party, pin, now, &e) : RP_EXISTS;
        if (rc == RP_OK) {
            s->verified = 1;
            path_add(s, "pin ok");
            *next = S(n, "next");
        } else if (rc == RP_EXISTS) { /* locked, or none: no use trying again */
            path_add(s, "pin locked");
            *next = S(n, "fail") ? S(n, "fail") : S(n, "next");
            say_add(say, !strcmp(s->lang, "en") ? "the PIN cannot be used now" : "密碼目前無法使用");
            return RP_OK;
        } else if (rc != RP_DENIED) {
            *err = e;
            return rc;
        }
    }
    if (!*next && ++s->tries >= MAX_TRIES) {
        char step[80];
        snprintf(step, sizeof step, "%s:failed", s->node);
        path_add(s, step);
        *next = S(n, "fail");
        if (!*next)
            return rp_err(err, RP_INVAL, "IVR flow %s: node %s has no way out after %d tries (fail)", s->flow, s->node,
                          MAX_TRIES);
    }
    if (!*next)
        say_add(say, !strcmp(s->lang, "en") ? "that was not right, please try again" : "輸入有誤，請再試一次");
    return RP_OK;
}

int cc__ivr_input(wh *w, int64_t ix, const char *digits, int64_t now, json_t **reply, rp_error *err)
{
    size_t n = digits ? strlen(digits) : 0;
    if (!n || n > 24 || strspn(digits, "0123456789*#") != n)
        return rp_err(err, RP_INVAL, "digits: 1 to 24 of 0-9, * and #");
    sess s;
    json_t *flow = NULL;
    int rc = sess_get(w, ix, &s, err);
    if (rc || (rc = cc_ivr_flow(w, s.flow, &flow, err)))
        return rc;
    char say[SAY_MAX] = "";
    const char *next;
    int handed = 0;
    *reply = NULL;
    /* the keys themselves are not kept (a PIN among them): the node they were pressed at */
    if (!(rc = cc__event(w, ix, now, "dtmf", 0, s.node, err)) && !(rc = take(w, flow, &s, digits, now, &next, say, err))) {
        if (next)
            rc = walk(w, flow, &s, next, say, now, &handed, err);
        else /* the same node again: its prompt */
            say_add(say, prompt_of(json_object_get(json_object_get(flow, "nodes"), s.node), s.lang));
    }
    if (!rc && !handed && !(rc = sess_put(w, &s, now, err)))
        *reply = ivr_reply(flow, &s, say);
    json_decref(flow);
    if (rc) {
        json_decref(*reply);
        *reply = NULL;
    }
    return rc;
}
