/* ivr.c — the IVR, run by Rapport and driven over the CTI interface (C3).  A flow is data: nodes of a
 * few kinds (a menu of keys, identification by account or ID number, a PIN, a self-service of the
 * table below, a spoken line, the queue at the end), each with its prompt in zh-TW and English.  The
 * switch plays the prompt a node names (and says the text, for a switch with speech) and passes the
 * caller's keys; each call in a flow has a session (where it is, the path taken, the customer and
 * whether the PIN was right); at the queue node the call joins the line with its path, which travels
 * to the agent's screen.  PINs: six digits under Argon2id of a hash keyed with the store's key, three
 * wrong in a row lock them for thirty minutes; issued and reset by staff.  See contact.h. */
#include "contact/internal.h"
#include "core/json.h"
#include "core/seal.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TRIES 3
#define PIN_LOCK_S 1800
#define SAY_MAX 600

static const char *S(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t I(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

static const char *const kinds[] = { "menu", "identify", "pin", "service", "say", "queue", NULL };

/* ---- self-service: a table ---- */

typedef int (*svc_fn)(wh *w, int64_t party, const char *lang, char *say, size_t n, rp_error *err);

static int svc_balance(wh *w, int64_t party, const char *lang, char *say, size_t n, rp_error *err)
{
    json_t *c;
    int rc = wh_c360(w, party, 0, &c, err), en = !strcmp(lang, "en");
    if (rc)
        return rc;
    size_t i, k = 0;
    json_t *a;
    say[0] = 0;
    json_array_foreach(json_object_get(c, "accounts"), i, a) {
        const char *num = S(a, "number"), *bal = S(a, "balance");
        if (!bal || !num || strcmp(S(a, "status") ? S(a, "status") : "", "active") || k >= 3)
            continue;
        size_t len = strlen(num), used = strlen(say);
        const char *sep = k ? (en ? "; " : "；") : "", *prod = S(a, "product_name") ? S(a, "product_name") : "",
                   *last4 = len >= 4 ? num + len - 4 : num;
        if (en)
            snprintf(say + used, n - used, "%saccount ending %s (%s): %s", sep, last4, prod, bal);
        else
            snprintf(say + used, n - used, "%s%s末四碼 %s，餘額 %s", sep, prod, last4, bal);
        k++;
    }
    if (!k)
        snprintf(say, n, en ? "there is no account to tell" : "查無可告知的帳戶");
    json_decref(c);
    return RP_OK;
}

static int svc_transactions(wh *w, int64_t party, const char *lang, char *say, size_t n, rp_error *err)
{
    json_t *c;
    int rc = wh_c360(w, party, 0, &c, err), en = !strcmp(lang, "en");
    if (rc)
        return rc;
    size_t i;
    json_t *t;
    say[0] = 0;
    json_array_foreach(json_object_get(c, "transactions"), i, t) {
        if (i >= 3)
            break;
        size_t used = strlen(say);
        snprintf(say + used, n - used, "%s%.10s %s %s", i ? (en ? "; " : "；") : "", S(t, "posted_at") ? S(t, "posted_at") : "",
                 S(t, "description") ? S(t, "description") : "", S(t, "amount") ? S(t, "amount") : "");
    }
    if (!say[0])
        snprintf(say, n, en ? "no transactions lately" : "近期沒有交易");
    json_decref(c);
    return RP_OK;
}

/* A lost card reported: in the customer's contact history as a request, for the card team and the
 * agent who takes the call next. */
static int svc_lost_card(wh *w, int64_t party, const char *lang, char *say, size_t n, rp_error *err)
{
    wh_interaction in = { .party_id = party, .channel = "phone", .direction = "inbound", .kind = "request",
                          .reason = "掛失信用卡 (IVR)", .notes = "reported lost through the IVR: to be blocked",
                          .created_by = "ivr" };
    int64_t id;
    int rc = wh_interaction_add(w, &in, &id, err);
    if (!rc)
        snprintf(say, n, !strcmp(lang, "en") ? "your lost card is reported; an agent will confirm the block now"
                                             : "已受理掛失，將由專員為您確認停卡");
    return rc;
}

static const struct svc {
    const char *name;
    svc_fn fn;
    int needs_pin;
} services[] = {
    { "balance", svc_balance, 1 },
    { "last_transactions", svc_transactions, 1 },
    { "lost_card", svc_lost_card, 0 },
    { NULL, NULL, 0 },
};

static const struct svc *svc_find(const char *name)
{
    for (const struct svc *s = services; name && s->name; s++)
        if (!strcmp(s->name, name))
            return s;
    return NULL;
}

/* ---- flows ---- */

static int prompt_ok(const json_t *p, const char *path, rp_error *err)
{
    if (!json_is_object(p) || !json_is_string(json_object_get(p, "zh-TW")) || !json_is_string(json_object_get(p, "en")))
        return rp_err(err, RP_INVAL, "%s.prompt: {\"zh-TW\": text, \"en\": text}", path);
    return RP_OK;
}

static int node_ok(const json_t *nodes, const char *id, const json_t *n, wh *w, int queues, rp_error *err)
{
    char p[120];
    snprintf(p, sizeof p, "flow.nodes.%.60s", id);
    const char *kind = S(n, "kind");
    if (cc__index(kind, kinds) < 0)
        return rp_err(err, RP_INVAL, "%s.kind: '%.20s' is not menu, identify, pin, service, say or queue", p,
                      kind ? kind : "");
    if (strcmp(kind, "service") && strcmp(kind, "queue") && prompt_ok(json_object_get(n, "prompt"), p, err))
        return RP_INVAL;
    static const char *const links[] = { "next", "fail", NULL };
    for (int k = 0; links[k]; k++) {
        const char *to = S(n, links[k]);
        int needed = !strcmp(links[k], "next") && strcmp(kind, "menu") && strcmp(kind, "queue");
        if ((to && !json_object_get(nodes, to)) || (needed && !to))
            return rp_err(err, RP_INVAL, "%s.%s: %s%.40s%s", p, links[k], to ? "'" : "", to ? to : "required",
                          to ? "' is not a node" : "");
    }
    if (!strcmp(kind, "menu")) {
        const char *key;
        json_t *o;
        if (!json_object_size(json_object_get(n, "options")))
            return rp_err(err, RP_INVAL, "%s.options: a menu's keys, {\"1\": {\"next\": node}}", p);
        json_object_foreach(json_object_get(n, "options"), key, o) {
            if (strlen(key) != 1 || !strchr("0123456789*#", key[0]))
                return rp_err(err, RP_INVAL, "%s.options.%.8s: a key is one of 0-9, * and #", p, key);
            if (!S(o, "next") || !json_object_get(nodes, S(o, "next")))
                return rp_err(err, RP_INVAL, "%s.options.%s.next: not a node", p, key);
            if (S(o, "lang") && strcmp(S(o, "lang"), "zh-TW") && strcmp(S(o, "lang"), "en"))
                return rp_err(err, RP_INVAL, "%s.options.%s.lang: zh-TW or en", p, key);
        }
    }
    if (!strcmp(kind, "service") && !svc_find(S(n, "service")))
        return rp_err(err, RP_INVAL, "%s.service: '%.30s' is not balance, last_transactions or lost_card", p,
                      S(n, "service") ? S(n, "service") : "");
    if (!strcmp(kind, "queue") && !json_is_string(json_object_get(n, "queue")))
        return rp_err(err, RP_INVAL, "%s.queue: required (the queue the call joins)", p);
    if (!strcmp(kind, "queue") && queues) {
        rp_stmt *st;
        int rc = rp_store_prepare(wh_store(w), "SELECT 1 FROM cc_queue WHERE code = ? AND active = 1", &st, err);
        if (rc)
            return rc;
        rp_stmt_bind_text(st, 1, S(n, "queue"));
        rc = rp_stmt_step(st, err);
        rp_stmt_done(st);
        if (rc == RP_DONE)
            return rp_err(err, RP_INVAL, "%s.queue: '%.40s' is not an open queue", p, S(n, "queue") ? S(n, "queue") : "");
        if (rc != RP_ROW)
            return rc;
    }
    return RP_OK;
}

int cc_ivr_put(wh *w, const char *name, const json_t *flow, const char *by, int64_t now_ms, rp_error *err)
{
    return cc__ivr_put(w, name, flow, 1, by, now_ms, err);
}

int cc__ivr_check_queues(wh *w, const json_t *flow, rp_error *err)
{
    const char *id;
    json_t *n, *nodes = json_object_get(flow, "nodes");
    int rc;
    json_object_foreach(nodes, id, n) if ((rc = node_ok(nodes, id, n, w, 1, err))) return rc;
    return RP_OK;
}

int cc__ivr_put(wh *w, const char *name, const json_t *flow, int queues, const char *by, int64_t now_ms, rp_error *err)
{
    int rc = cc__code_ok("flow name", name, err);
    if (rc)
        return rc;
    json_t *nodes = json_object_get(flow, "nodes");
    if (!json_is_object(flow) || !json_object_size(nodes))
        return rp_err(err, RP_INVAL, "flow: {start, nodes: {id: {kind, prompt, ...}}}");
    if (!S(flow, "start") || !json_object_get(nodes, S(flow, "start")))
        return rp_err(err, RP_INVAL, "flow.start: %s is not a node", S(flow, "start") ? S(flow, "start") : "(none)");
    if (json_object_size(nodes) > 200)
        return rp_err(err, RP_TOOBIG, "flow.nodes: at most 200");
    const char *id;
    json_t *n;
    json_object_foreach(nodes, id, n) if ((rc = node_ok(nodes, id, n, w, queues, err))) return rc;
    char *doc = json_dumps(flow, JSON_COMPACT), at[CC_TIME_LEN];
    cc_time_format(now_ms, at);
    rp_stmt *st;
    if (!doc)
        return rp_err(err, RP_NOMEM, "flow");
    if (!(rc = rp_store_prepare(wh_store(w), "INSERT INTO cc_ivr(name, flow, changed_at, changed_by) VALUES (?,?,?,?) "
                                             "ON CONFLICT(name) DO UPDATE SET flow = excluded.flow, changed_at = "
                                             "excluded.changed_at, changed_by = excluded.changed_by",
                                &st, err))) {
        rp_stmt_bind_text(st, 1, name);
        rp_stmt_bind_text(st, 2, doc);
        rp_stmt_bind_text(st, 3, at);
        rp_stmt_bind_text(st, 4, by);
        rc = rp_stmt_run(st, err);
    }
    free(doc);
    return rc;
}

int cc_ivr_flow(wh *w, const char *name, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "SELECT flow FROM cc_ivr WHERE name = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, name);
    rc = rp_stmt_step(st, err);
    if (rc == RP_ROW)
        rc = rp_json_load_str("flow", rp_stmt_text(st, 0), strlen(rp_stmt_text(st, 0)), out, err);
    else if (rc == RP_DONE)
        rc = rp_err(err, RP_NOTFOUND, "no IVR flow '%.40s'", name);
    rp_stmt_done(st);
    return rc;
}

/* ---- PINs ---- */

static void keyed_pin(wh *w, int64_t party, const char *pin, char out[2 * RP_HASH_LEN + 1])
{
    char data[64];
    unsigned char h[RP_HASH_LEN];
    int n = snprintf(data, sizeof data, "%lld:%s", (long long)party, pin);
    rp_keyed_hash(wh_keyring(w), "ivr-pin", data, (size_t)n, h);
    sodium_bin2hex(out, 2 * RP_HASH_LEN + 1, h, sizeof h);
    sodium_memzero(data, sizeof data);
}

int cc_pin_issue(wh *w, int64_t party, const char *by, int64_t now_ms, char pin[CC_PIN_LEN + 1], rp_error *err)
{
    for (int i = 0; i < CC_PIN_LEN; i++)
        pin[i] = (char)('0' + randombytes_uniform(10));
    pin[CC_PIN_LEN] = 0;
    char k[2 * RP_HASH_LEN + 1], hash[crypto_pwhash_STRBYTES], at[CC_TIME_LEN];
    keyed_pin(w, party, pin, k);
    if (crypto_pwhash_str(hash, k, strlen(k), crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE))
        return rp_err(err, RP_NOMEM, "PIN: the slow hash has no memory");
    sodium_memzero(k, sizeof k);
    cc_time_format(now_ms, at);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "INSERT INTO cc_pin(party_id, hash, failures, locked_until, set_at, set_by) "
                                           "VALUES (?, ?, 0, NULL, ?, ?) ON CONFLICT(party_id) DO UPDATE SET hash = "
                                           "excluded.hash, failures = 0, locked_until = NULL, set_at = excluded.set_at, "
                                           "set_by = excluded.set_by",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, party);
    rp_stmt_bind_text(st, 2, hash);
    rp_stmt_bind_text(st, 3, at);
    rp_stmt_bind_text(st, 4, by);
    return rp_stmt_run(st, err);
}

int cc_pins_withdraw(wh *w, int64_t *n, rp_error *err)
{
    int rc = rp_store_query_int(wh_store(w), "SELECT count(*) FROM cc_pin", n, err);
    rp_stmt *st;
    if (rc || !*n || (rc = rp_store_prepare(wh_store(w), "DELETE FROM cc_pin", &st, err)))
        return rc;
    return rp_stmt_run(st, err);
}

/* RP_OK right, RP_DENIED wrong (failures counted, locked at the third), RP_EXISTS locked or none. */
int cc__pin_check(wh *w, int64_t party, const char *pin, int64_t now, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "SELECT hash, failures, locked_until FROM cc_pin WHERE party_id = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, party);
    json_t *r;
    if ((rc = rp_stmt_rows_json(st, 1, &r, NULL, err)))
        return rc;
    json_t *row = json_array_get(r, 0);
    int64_t until = 0;
    rp_error e = RP_ERROR_INIT;
    if (!row || (S(row, "locked_until") && !cc_time_parse("locked", S(row, "locked_until"), &until, &e) && until > now)) {
        json_decref(r);
        return rp_err(err, RP_EXISTS, row ? "the PIN is locked" : "no PIN issued");
    }
    char k[2 * RP_HASH_LEN + 1], at[CC_TIME_LEN];
    keyed_pin(w, party, pin, k);
    int right = strlen(pin) == CC_PIN_LEN && !crypto_pwhash_str_verify(S(row, "hash"), k, strlen(k));
    sodium_memzero(k, sizeof k);
    int64_t failures = right ? 0 : I(row, "failures") + 1;
    json_decref(r);
    cc_time_format(now + PIN_LOCK_S * 1000, at);
    if ((rc = rp_store_prepare(wh_store(w), "UPDATE cc_pin SET failures = ?, locked_until = ? WHERE party_id = ?", &st,
                               err)))
        return rc;
    rp_stmt_bind_int(st, 1, failures >= MAX_TRIES ? 0 : failures);
    rp_stmt_bind_text(st, 2, failures >= MAX_TRIES ? at : NULL);
    rp_stmt_bind_int(st, 3, party);
    if ((rc = rp_stmt_run(st, err)))
        return rc;
    return right ? RP_OK : rp_err(err, RP_DENIED, failures >= MAX_TRIES ? "the PIN is now locked" : "a wrong PIN");
}

int cc__ivr_service(wh *w, const char *name, int64_t party, int verified, const char *lang, char *out, size_t n,
                    rp_error *err)
{
    const struct svc *sv = svc_find(name);
    if (!sv)
        return rp_err(err, RP_INVAL, "no self-service '%.30s'", name ? name : "");
    if (!party || (sv->needs_pin && !verified))
        return rp_err(err, RP_DENIED, "%s: the caller is not identified%s", name, sv->needs_pin ? " with a PIN" : "");
    return sv->fn(w, party, lang, out, n, err);
}

/* Taiwan's ID letters as their two-digit codes (the checksum's): a caller keys A123456789 as 10123456789. */
static const char id_letters[] = "ABCDEFGHJKLMNPQRSTUVXYWZIO";

int cc__ivr_identify(wh *w, const char *digits, int64_t *party)
{
    char key[48];
    size_t n = strlen(digits);
    rp_error e = RP_ERROR_INIT;
    if (n >= 1 && digits[n - 1] == '#')
        n--;
    if (n == 11 && isdigit((unsigned char)digits[0]) && isdigit((unsigned char)digits[1])) {
        int code = (digits[0] - '0') * 10 + (digits[1] - '0');
        if (code >= 10 && code <= 35) {
            snprintf(key, sizeof key, "nid:%c%.9s", id_letters[code - 10], digits + 2);
            if (!wh_find(w, key, party, NULL, &e))
                return RP_OK;
        }
    }
    snprintf(key, sizeof key, "acct:%.*s", (int)(n < 40 ? n : 40), digits);
    return wh_find(w, key, party, NULL, &e) ? RP_NOTFOUND : RP_OK;
}
