/* setup.c — the live centre's definitions (tables cc_skill, cc_queue, cc_agent, cc_agent_skill of
 * migration 0028): skills, queues and agents, each put whole from one JSON object checked member by
 * member; the clock in milliseconds.  See contact.h. */
#include "contact/internal.h"
#include "core/json.h"
#include "core/rtime.h"
#include "core/utf8.h"
#include "security/security.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const skill_kinds[] = { "language", "product", "segment", "other", NULL };

/* ---- small things the files share ---- */

int cc__index(const char *v, const char *const *list)
{
    for (int i = 0; v && list[i]; i++)
        if (!strcmp(v, list[i]))
            return i;
    return -1;
}

int cc__channel(const char *name)
{
    for (int i = 0; name && i < CC_NCHANNELS; i++)
        if (!strcmp(name, cc_channel_names[i]))
            return i;
    return -1;
}

int cc__code_ok(const char *field, const char *v, rp_error *err)
{
    size_t n = v ? strlen(v) : 0;
    if (n < 1 || n > 32)
        return rp_err(err, RP_INVAL, "%s: 1 to 32 letters, digits, '-', '_' or '.', not %zu bytes", field, n);
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)v[i]) && !strchr("-_.", v[i]))
            return rp_err(err, RP_INVAL, "%s: '%.32s' has '%c': letters, digits, '-', '_' or '.' only", field, v,
                          isprint((unsigned char)v[i]) ? v[i] : '?');
    return RP_OK;
}

int cc__text_ok(const char *field, const char *v, size_t max, int required, rp_error *err)
{
    size_t n = v ? strlen(v) : 0;
    if (required && !n)
        return rp_err(err, RP_INVAL, "%s: required", field);
    if (n > max)
        return rp_err(err, RP_INVAL, "%s: at most %zu bytes, not %zu", field, max, n);
    if (n && !rp_utf8_is_printable(v, n))
        return rp_err(err, RP_INVAL, "%s: not printable UTF-8 text", field);
    return RP_OK;
}

int cc__skill_id(wh *w, const char *field, const char *name, int *id, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "SELECT id FROM cc_skill WHERE name = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, name);
    rc = rp_stmt_step(st, err);
    if (rc == RP_ROW)
        *id = (int)rp_stmt_int(st, 0);
    rp_stmt_done(st);
    if (rc == RP_DONE)
        return rp_err(err, RP_NOTFOUND, "%s: '%.60s' is not a skill (rapport contact skill)", field, name);
    return rc == RP_ROW ? RP_OK : rc;
}

int cc__agent_id(wh *w, const char *login, int64_t *id, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "SELECT id FROM cc_agent WHERE login = ? AND active = 1", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, login);
    rc = rp_stmt_step(st, err);
    if (rc == RP_ROW)
        *id = rp_stmt_int(st, 0);
    rp_stmt_done(st);
    if (rc == RP_DONE)
        return rp_err(err, RP_NOTFOUND, "'%.40s' is not an agent of the contact centre", login ? login : "");
    return rc == RP_ROW ? RP_OK : rc;
}

/* ---- the clock ---- */

int64_t cc_clock_ms(void)
{
    const char *fixed = getenv("RAPPORT_NOW");
    if (fixed && *fixed)
        return rp_now() * 1000;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void cc_time_format(int64_t ms, char out[CC_TIME_LEN])
{
    char s[RP_TIME_UTC_LEN];
    int64_t sec = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    rp_time_format_utc(sec, s);
    snprintf(out, CC_TIME_LEN, "%.19s.%03dZ", s, (int)(ms - sec * 1000));
}

int cc_time_parse(const char *field, const char *s, int64_t *ms, rp_error *err)
{
    int64_t t;
    rp_error e = RP_ERROR_INIT;
    if (!s || rp_time_parse(s, &t, &e))
        return rp_err(err, RP_INVAL, "%s: '%.40s' is not a time (2026-12-04T10:00:00.125Z)", field, s ? s : "");
    int frac = 0;
    const char *dot = strchr(s, '.');
    if (dot && isdigit((unsigned char)dot[1])) {
        int scale = 100;
        for (const char *p = dot + 1; isdigit((unsigned char)*p) && scale; p++, scale /= 10)
            frac += (*p - '0') * scale;
    }
    *ms = t * 1000 + frac;
    return RP_OK;
}

/* ---- skills ---- */

int cc_skill_put(wh *w, const json_t *def, const char *path, rp_error *err)
{
    static const char *const keys[] = { "name", "kind", NULL };
    const char *name = NULL, *kind = "product";
    char f[80];
    int rc;
    if ((rc = rp_json_check_keys(def, path, keys, err)) || (rc = rp_json_get_str(def, path, "name", 1, &name, err)) ||
        (rc = rp_json_get_str(def, path, "kind", 0, &kind, err)))
        return rc;
    snprintf(f, sizeof f, "%s.name", path);
    if ((rc = cc__text_ok(f, name, CC_NAME_MAX - 1, 1, err)))
        return rc;
    if (cc__index(kind, skill_kinds) < 0)
        return rp_err(err, RP_INVAL, "%s.kind: '%.20s' is not language, product, segment or other", path, kind);
    rp_store *s = wh_store(w);
    int64_t next;
    rp_stmt *st;
    if ((rc = rp_store_query_int(s, "SELECT coalesce(max(id) + 1, 0) FROM cc_skill", &next, err)))
        return rc;
    if ((rc = rp_store_prepare(s, "INSERT INTO cc_skill(id, name, kind) VALUES (?, ?, ?) "
                                  "ON CONFLICT(name) DO UPDATE SET kind = excluded.kind",
                               &st, err)))
        return rc;
    int id;
    if (next >= CC_MAX_SKILLS && cc__skill_id(w, f, name, &id, NULL))
        return rp_err(err, RP_TOOBIG, "%s: the centre has %d skills, the most it takes", f, CC_MAX_SKILLS);
    rp_stmt_bind_int(st, 1, next);
    rp_stmt_bind_text(st, 2, name);
    rp_stmt_bind_text(st, 3, kind);
    return rp_stmt_run(st, err);
}

/* ---- queues ---- */

typedef struct queue_def {
    const char *code, *name, *channel, *skill, *strategy, *overflow_skill, *number, *ivr;
    int64_t min_level, priority, overflow_s, target_s, wrap_up_s;
    double target_level;
    int active;
} queue_def;

static int queue_read(const json_t *d, const char *p, queue_def *q, rp_error *err)
{
    static const char *const keys[] = { "code", "name", "channel", "skill", "min_level", "strategy", "priority",
                                        "overflow_s", "overflow_skill", "target_s", "target_level", "wrap_up_s",
                                        "number", "active", "ivr", NULL };
    *q = (queue_def){ .channel = "voice", .strategy = "skills", .min_level = 1, .target_s = 15, .wrap_up_s = 60,
                      .target_level = 0.8, .active = 1 };
    int rc;
    if ((rc = rp_json_check_keys(d, p, keys, err)) || (rc = rp_json_get_str(d, p, "code", 1, &q->code, err)) ||
        (rc = rp_json_get_str(d, p, "name", 0, &q->name, err)) ||
        (rc = rp_json_get_str(d, p, "channel", 0, &q->channel, err)) ||
        (rc = rp_json_get_str(d, p, "skill", 1, &q->skill, err)) ||
        (rc = rp_json_get_int(d, p, "min_level", 0, &q->min_level, err)) ||
        (rc = rp_json_get_str(d, p, "strategy", 0, &q->strategy, err)) ||
        (rc = rp_json_get_int(d, p, "priority", 0, &q->priority, err)) ||
        (rc = rp_json_get_int(d, p, "overflow_s", 0, &q->overflow_s, err)) ||
        (rc = rp_json_get_str(d, p, "overflow_skill", 0, &q->overflow_skill, err)) ||
        (rc = rp_json_get_int(d, p, "target_s", 0, &q->target_s, err)) ||
        (rc = rp_json_get_int(d, p, "wrap_up_s", 0, &q->wrap_up_s, err)) ||
        (rc = rp_json_get_str(d, p, "number", 0, &q->number, err)) ||
        (rc = rp_json_get_str(d, p, "ivr", 0, &q->ivr, err)) ||
        (rc = rp_json_get_bool(d, p, "active", 0, &q->active, err)))
        return rc;
    json_t *tl = json_object_get(d, "target_level");
    if (tl && !json_is_null(tl)) {
        if (!json_is_number(tl) || json_number_value(tl) <= 0 || json_number_value(tl) > 1)
            return rp_err(err, RP_INVAL, "%s.target_level: a share above 0 and at most 1", p);
        q->target_level = json_number_value(tl);
    }
    return RP_OK;
}

static int queue_check(const queue_def *q, const char *p, rp_error *err)
{
    char f[80];
    int rc;
    snprintf(f, sizeof f, "%s.code", p);
    if ((rc = cc__code_ok(f, q->code, err)))
        return rc;
    snprintf(f, sizeof f, "%s.name", p);
    if ((rc = cc__text_ok(f, q->name, 80, 0, err)))
        return rc;
    if (cc__channel(q->channel) < 0)
        return rp_err(err, RP_INVAL, "%s.channel: '%.20s' is not voice, email, chat, callback, outbound or webform", p,
                      q->channel);
    if (!cc_strategy_find(q->strategy)) {
        char list[200] = "";
        for (const cc_strategy *s = cc_strategies; s->name; s++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", list[0] ? ", " : "", s->name);
        return rp_err(err, RP_INVAL, "%s.strategy: '%.30s' is not a strategy (%s)", p, q->strategy, list);
    }
    if (q->min_level < 1 || q->min_level > 5)
        return rp_err(err, RP_INVAL, "%s.min_level: a level from 1 to 5, not %lld", p, (long long)q->min_level);
    if (q->priority < -100 || q->priority > 100)
        return rp_err(err, RP_INVAL, "%s.priority: from -100 to 100, not %lld", p, (long long)q->priority);
    if (q->overflow_s < 0 || q->overflow_s > 86400)
        return rp_err(err, RP_INVAL, "%s.overflow_s: seconds from 0 (never) to 86400", p);
    if (q->target_s < 1 || q->target_s > 86400 * 7)
        return rp_err(err, RP_INVAL, "%s.target_s: seconds from 1 to 604800", p);
    if (q->wrap_up_s < 0 || q->wrap_up_s > 3600)
        return rp_err(err, RP_INVAL, "%s.wrap_up_s: seconds from 0 to 3600", p);
    if (q->number && (!*q->number || strlen(q->number) > 32 || strspn(q->number, "+0123456789*#") != strlen(q->number)))
        return rp_err(err, RP_INVAL, "%s.number: '%.40s' is not a number to dial (digits, +, * or #)", p, q->number);
    return RP_OK;
}

int cc_queue_put(wh *w, const json_t *def, const char *path, const char *by, int64_t now_ms, rp_error *err)
{
    queue_def q;
    int rc, skill, over = -1;
    char f[80], at[CC_TIME_LEN];
    if ((rc = queue_read(def, path, &q, err)) || (rc = queue_check(&q, path, err)))
        return rc;
    snprintf(f, sizeof f, "%s.skill", path);
    if ((rc = cc__skill_id(w, f, q.skill, &skill, err)))
        return rc;
    snprintf(f, sizeof f, "%s.overflow_skill", path);
    if (q.overflow_skill && (rc = cc__skill_id(w, f, q.overflow_skill, &over, err)))
        return rc;
    json_t *flow = NULL;
    rp_error e = RP_ERROR_INIT;
    if (q.ivr && cc_ivr_flow(w, q.ivr, &flow, &e))
        return rp_err(err, RP_NOTFOUND, "%s.ivr: '%.40s' is not an IVR flow", path, q.ivr);
    json_decref(flow);
    cc_time_format(now_ms, at);
    rp_stmt *st;
    if ((rc = rp_store_prepare(wh_store(w),
                               "INSERT INTO cc_queue(code, name, channel, skill, min_level, strategy, priority, "
                               "overflow_s, overflow_skill, target_s, target_level, wrap_up_s, number, active, "
                               "changed_at, changed_by, ivr) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                               "ON CONFLICT(code) DO UPDATE SET name = excluded.name, channel = excluded.channel, "
                               "skill = excluded.skill, min_level = excluded.min_level, strategy = excluded.strategy, "
                               "priority = excluded.priority, overflow_s = excluded.overflow_s, "
                               "overflow_skill = excluded.overflow_skill, target_s = excluded.target_s, "
                               "target_level = excluded.target_level, wrap_up_s = excluded.wrap_up_s, "
                               "number = excluded.number, active = excluded.active, "
                               "changed_at = excluded.changed_at, changed_by = excluded.changed_by, ivr = excluded.ivr",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, q.code);
    rp_stmt_bind_text(st, 2, q.name ? q.name : q.code);
    rp_stmt_bind_text(st, 3, q.channel);
    rp_stmt_bind_int(st, 4, skill);
    rp_stmt_bind_int(st, 5, q.min_level);
    rp_stmt_bind_text(st, 6, q.strategy);
    rp_stmt_bind_int(st, 7, q.priority);
    rp_stmt_bind_int(st, 8, q.overflow_s);
    if (over >= 0)
        rp_stmt_bind_int(st, 9, over);
    else
        rp_stmt_bind_null(st, 9);
    rp_stmt_bind_int(st, 10, q.target_s);
    rp_stmt_bind_real(st, 11, q.target_level);
    rp_stmt_bind_int(st, 12, q.wrap_up_s);
    rp_stmt_bind_text(st, 13, q.number);
    rp_stmt_bind_int(st, 14, q.active);
    rp_stmt_bind_text(st, 15, at);
    rp_stmt_bind_text(st, 16, by);
    rp_stmt_bind_text(st, 17, q.ivr);
    rc = rp_stmt_run(st, err);
    if (rc == RP_EXISTS || rc == RP_CONSTRAINT)
        return rp_err(err, RP_EXISTS, "%s.number: %s reaches another queue already", path, q.number ? q.number : "");
    return rc;
}

/* ---- agents ---- */

static int agent_skills(wh *w, int64_t agent, const json_t *skills, const char *path, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "DELETE FROM cc_agent_skill WHERE agent = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, agent);
    if ((rc = rp_stmt_run(st, err)))
        return rc;
    const char *name;
    json_t *lv;
    json_object_foreach((json_t *)skills, name, lv) {
        char f[120];
        int id;
        snprintf(f, sizeof f, "%s.skills.%.60s", path, name);
        if (!json_is_integer(lv) || json_integer_value(lv) < 1 || json_integer_value(lv) > 5)
            return rp_err(err, RP_INVAL, "%s: a level from 1 to 5", f);
        if ((rc = cc__skill_id(w, f, name, &id, err)) ||
            (rc = rp_store_prepare(wh_store(w), "INSERT INTO cc_agent_skill(agent, skill, level) VALUES (?, ?, ?)",
                                   &st, err)))
            return rc;
        rp_stmt_bind_int(st, 1, agent);
        rp_stmt_bind_int(st, 2, id);
        rp_stmt_bind_int(st, 3, json_integer_value(lv));
        if ((rc = rp_stmt_run(st, err)))
            return rc;
    }
    return RP_OK;
}

/* The most of each channel an agent takes at once (the table's checks): a call or a call-back, or up
 * to five messages and chats. */
static const int cap_max[CC_NCHANNELS] = { 1, 5, 5, 1, 1, 5 };
static const int cap_default[CC_NCHANNELS] = { 1, 1, 3, 1, 1, 1 };

static int agent_caps(const json_t *cap, const char *path, int caps[CC_NCHANNELS], rp_error *err)
{
    memcpy(caps, cap_default, sizeof cap_default);
    if (!cap || json_is_null(cap))
        return RP_OK;
    if (!json_is_object(cap))
        return rp_err(err, RP_INVAL, "%s.capacity: an object {channel: how many at once}", path);
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)cap, k, v) {
        int ch = cc__channel(k);
        if (ch < 0)
            return rp_err(err, RP_INVAL, "%s.capacity.%.20s: not a channel (voice, email, chat, callback, outbound, "
                                         "webform)", path, k);
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > cap_max[ch])
            return rp_err(err, RP_INVAL, "%s.capacity.%s: from 0 to %d at once", path, k, cap_max[ch]);
        caps[ch] = (int)json_integer_value(v);
    }
    return RP_OK;
}

typedef struct agent_def {
    const char *login, *name, *sip;
    json_t *skills;
    int caps[CC_NCHANNELS];
    int active;
} agent_def;

static int agent_read(wh *w, const json_t *d, const char *p, agent_def *a, rp_error *err)
{
    static const char *const keys[] = { "login", "name", "sip", "skills", "capacity", "active", NULL };
    *a = (agent_def){ .active = 1 };
    char f[80];
    int rc;
    if ((rc = rp_json_check_keys(d, p, keys, err)) || (rc = rp_json_get_str(d, p, "login", 1, &a->login, err)) ||
        (rc = rp_json_get_str(d, p, "name", 0, &a->name, err)) || (rc = rp_json_get_str(d, p, "sip", 0, &a->sip, err)) ||
        (rc = rp_json_get_bool(d, p, "active", 0, &a->active, err)) ||
        (rc = agent_caps(json_object_get(d, "capacity"), p, a->caps, err)))
        return rc;
    a->skills = json_object_get(d, "skills");
    if (a->skills && !json_is_object(a->skills))
        return rp_err(err, RP_INVAL, "%s.skills: an object {skill: level 1-5}", p);
    snprintf(f, sizeof f, "%s.name", p);
    if ((rc = cc__text_ok(f, a->name, CC_NAME_MAX - 1, 0, err)))
        return rc;
    if (a->sip && (strncmp(a->sip, "sip:", 4) && strncmp(a->sip, "sips:", 5)))
        return rp_err(err, RP_INVAL, "%s.sip: '%.60s' is not a SIP address (sip:1001@pbx.bank)", p, a->sip);
    snprintf(f, sizeof f, "%s.sip", p);
    if ((rc = cc__text_ok(f, a->sip, 120, 0, err)))
        return rc;
    sec_user u;
    rp_error e = RP_ERROR_INIT;
    if (sec_user_get(wh_store(w), a->login, &u, &e))
        return rp_err(err, RP_NOTFOUND, "%s.login: '%.40s' is not a Rapport user (rapport user add)", p, a->login);
    return RP_OK;
}

int cc_agent_put(wh *w, const json_t *def, const char *path, const char *by, int64_t now_ms, rp_error *err)
{
    agent_def a;
    char at[CC_TIME_LEN];
    int rc = agent_read(w, def, path, &a, err);
    if (rc)
        return rc;
    cc_time_format(now_ms, at);
    rp_stmt *st;
    if ((rc = rp_store_prepare(wh_store(w),
                               "INSERT INTO cc_agent(login, name, sip, state_at, cap_voice, cap_email, cap_chat, "
                               "cap_callback, cap_outbound, cap_webform, active, changed_at, changed_by) "
                               "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(login) DO UPDATE SET "
                               "name = excluded.name, sip = excluded.sip, cap_voice = excluded.cap_voice, "
                               "cap_email = excluded.cap_email, cap_chat = excluded.cap_chat, "
                               "cap_callback = excluded.cap_callback, cap_outbound = excluded.cap_outbound, "
                               "cap_webform = excluded.cap_webform, active = excluded.active, "
                               "changed_at = excluded.changed_at, changed_by = excluded.changed_by RETURNING id",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, a.login);
    rp_stmt_bind_text(st, 2, a.name ? a.name : a.login);
    rp_stmt_bind_text(st, 3, a.sip);
    rp_stmt_bind_text(st, 4, at);
    for (int k = 0; k < CC_NCHANNELS; k++)
        rp_stmt_bind_int(st, 5 + k, a.caps[k]);
    rp_stmt_bind_int(st, 11, a.active);
    rp_stmt_bind_text(st, 12, at);
    rp_stmt_bind_text(st, 13, by);
    rc = rp_stmt_step(st, err);
    int64_t id = rc == RP_ROW ? rp_stmt_int(st, 0) : 0;
    if (rc == RP_ROW)
        rc = rp_stmt_finish(st, err);
    else {
        rp_stmt_done(st);
        return rc == RP_DONE ? rp_err(err, RP_INTERNAL, "cc_agent: no id") : rc;
    }
    if (!rc && a.skills)
        rc = agent_skills(w, id, a.skills, path, err);
    return rc;
}

/* ---- the whole setup ---- */

static int put_each(wh *w, const json_t *doc, const char *key, const char *by, int64_t now_ms, rp_error *err)
{
    json_t *a = json_object_get(doc, key), *x;
    size_t i;
    if (!a)
        return RP_OK;
    if (!json_is_array(a))
        return rp_err(err, RP_INVAL, "%s: an array", key);
    json_array_foreach(a, i, x) {
        char p[40];
        snprintf(p, sizeof p, "%s[%zu]", key, i);
        int rc = !strcmp(key, "skills")   ? cc_skill_put(w, x, p, err)
                 : !strcmp(key, "queues") ? cc_queue_put(w, x, p, by, now_ms, err)
                                          : cc_agent_put(w, x, p, by, now_ms, err);
        if (rc)
            return rc;
    }
    return RP_OK;
}

/* The IVR flows of a setup: {"ivr": {name: flow}}, checked whole (ivr.c), the queues their ends name
 * after the setup's queues are in (check); their errors name the flow. */
static int put_flows(wh *w, const json_t *doc, int check, const char *by, int64_t now_ms, rp_error *err)
{
    json_t *flows = json_object_get(doc, "ivr"), *f;
    const char *name;
    if (flows && !json_is_object(flows))
        return rp_err(err, RP_INVAL, "ivr: an object {name: flow}");
    json_object_foreach(flows, name, f) {
        int rc = check ? cc__ivr_check_queues(w, f, err) : cc__ivr_put(w, name, f, 0, by, now_ms, err);
        if (rc)
            return rp_err_prefix(err, "ivr.%.40s", name);
    }
    return RP_OK;
}

int cc_setup_put(wh *w, const json_t *doc, const char *by, int64_t now_ms, rp_error *err)
{
    static const char *const keys[] = { "skills", "ivr", "queues", "agents", NULL };
    if (!json_is_object(doc))
        return rp_err(err, RP_INVAL, "the setup: an object {skills, queues, agents}");
    int rc = rp_json_check_keys(doc, "setup", keys, err);
    if (rc || (rc = rp_store_begin(wh_store(w), err)))
        return rc;
    if ((rc = put_each(w, doc, "skills", by, now_ms, err)) || (rc = put_flows(w, doc, 0, by, now_ms, err)) ||
        (rc = put_each(w, doc, "queues", by, now_ms, err)) || (rc = put_flows(w, doc, 1, by, now_ms, err)) ||
        (rc = put_each(w, doc, "agents", by, now_ms, err)) || (rc = rp_store_commit(wh_store(w), err))) {
        rp_store_rollback(wh_store(w));
        return rc;
    }
    return RP_OK;
}

static int rows(wh *w, const char *sql, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), sql, &st, err);
    return rc ? rc : rp_stmt_rows_json(st, 0, out, NULL, err);
}

/* Each agent's skills as {name: level} and capacity as {channel: n} (from the rows' columns). */
static int agents_shape(wh *w, json_t *agents, rp_error *err)
{
    json_t *sk;
    int rc = rows(w, "SELECT a.agent, s.name, a.level FROM cc_agent_skill a JOIN cc_skill s ON s.id = a.skill "
                     "ORDER BY a.agent, s.id",
                  &sk, err);
    if (rc)
        return rc;
    size_t i, j;
    json_t *a, *x;
    json_array_foreach(agents, i, a) {
        json_t *skills = json_object(), *cap = json_object();
        json_array_foreach(sk, j, x) if (json_integer_value(json_object_get(x, "agent")) ==
                                         json_integer_value(json_object_get(a, "id")))
            json_object_set(skills, json_string_value(json_object_get(x, "name")), json_object_get(x, "level"));
        for (int k = 0; k < CC_NCHANNELS; k++) {
            char col[24];
            snprintf(col, sizeof col, "cap_%s", cc_channel_names[k]);
            json_object_set(cap, cc_channel_names[k], json_object_get(a, col));
            json_object_del(a, col);
        }
        json_object_set_new(a, "skills", skills);
        json_object_set_new(a, "capacity", cap);
        json_object_set_new(a, "active", json_boolean(json_integer_value(json_object_get(a, "active"))));
    }
    json_decref(sk);
    return RP_OK;
}

int cc_setup_get(wh *w, json_t **out, rp_error *err)
{
    json_t *skills = NULL, *queues = NULL, *agents = NULL;
    int rc;
    if ((rc = rows(w, "SELECT id, name, kind FROM cc_skill ORDER BY id", &skills, err)) ||
        (rc = rows(w, "SELECT q.code, q.name, q.channel, s.name AS skill, q.min_level, q.strategy, q.priority, "
                      "q.overflow_s, o.name AS overflow_skill, q.target_s, q.target_level, q.wrap_up_s, q.number, "
                      "q.active, q.ivr, q.changed_at, q.changed_by FROM cc_queue q JOIN cc_skill s ON s.id = q.skill "
                      "LEFT JOIN cc_skill o ON o.id = q.overflow_skill ORDER BY q.code",
                   &queues, err)) ||
        (rc = rows(w, "SELECT id, login, name, sip, state, reason, state_at, idle_since, wrap_until, cap_voice, "
                      "cap_email, cap_chat, cap_callback, cap_outbound, cap_webform, active, changed_at, changed_by "
                      "FROM cc_agent ORDER BY login",
                   &agents, err)) ||
        (rc = agents_shape(w, agents, err))) {
        json_decref(skills), json_decref(queues), json_decref(agents);
        return rc;
    }
    size_t i;
    json_t *q;
    json_array_foreach(queues, i, q)
        json_object_set_new(q, "active", json_boolean(json_integer_value(json_object_get(q, "active"))));
    *out = json_pack("{s:o, s:o, s:o}", "skills", skills, "queues", queues, "agents", agents);
    return RP_OK;
}
