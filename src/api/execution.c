/* execution.c — a campaign carried out over the API: its treated given their cells by the offer
 * optimiser (scores from kept models or a CSV the caller sends), its list for a channel's vendor
 * written as a file (permission export_lists, audited with the reason), its e-mail sent through the
 * server's SMTP settings a batch at a time, its outbound calls given to agents as a calling list,
 * and the channels' daily capacity.  See api.h and marketing.h. */
#include "api/internal.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/log.h"
#include "marketing/marketing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <pthread.h>
#include <unistd.h>

#define SEND_BATCH_MAX 2000  /* messages one request sends at most: a long campaign goes in batches */
#define SEND_BATCH_DEF 200

/* {NAME: value, ...} as "NAME=value,NAME=value" (what marketing.h's allocation reads): whole numbers of 0
 * or more, or (text) names; 0, or the reply's status naming body.member.NAME. */
static int pairs_of(api_resp *rs, const json_t *body, const char *member, int text, rp_buf *out)
{
    json_t *o = json_object_get(body, member), *v;
    if (!o || json_is_null(o))
        return 0;
    if (!json_is_object(o))
        return api_error(rs, 422, "invalid", "body.%s: an object of %s", member,
                         text ? "cell: model name" : "name: whole number");
    const char *k;
    json_object_foreach(o, k, v) {
        if (!*k || strlen(k) > 40 || strpbrk(k, "=,"))
            return api_error(rs, 422, "invalid", "body.%s: '%.40s' is not a cell, offer or channel name", member, k);
        if (text ? !json_is_string(v) || !*json_string_value(v) || strlen(json_string_value(v)) > 64 ||
                       strpbrk(json_string_value(v), "=,")
                 : !json_is_integer(v) || json_integer_value(v) < 0)
            return api_error(rs, 422, "invalid", "body.%s.%s: %s", member, k,
                             text ? "a kept model's name" : "a whole number of 0 or more");
        if (out->len)
            rp_buf_append(out, ",", 1);
        if (text)
            rp_buf_printf(out, "%s=%s", k, json_string_value(v));
        else
            rp_buf_printf(out, "%s=%lld", k, (long long)json_integer_value(v));
    }
    return rp_buf_status(out) ? api_error(rs, 500, "internal", "something went wrong on the server; it has been logged")
                              : 0;
}

/* The optimiser's messages name its options; the API's members are the body's. */
static int optimise_fail(api_resp *rs, const rp_error *err)
{
    static const char *const opt[][2] = { { "min: ", "min" },           { "max: ", "max" },
                                          { "capacity: ", "capacity" }, { "models: ", "models" },
                                          { "value: ", "value" },       { "group-by: ", "group_by" },
                                          { "per-customer: ", "per_customer" }, { "scores: ", "scores" } };
    const char *m = rp_errmsg(err);
    if (err->code == RP_INVAL)
        for (size_t i = 0; i < sizeof opt / sizeof *opt; i++)
            if (!strncmp(m, opt[i][0], strlen(opt[i][0])))
                return api_error(rs, 422, "invalid", "body.%s: %s", opt[i][1], m + strlen(opt[i][0]));
    return api_fail_body(rs, err, "body");
}

/* body.scores (CSV text) into a file of its own for the reader, removed by the caller. */
static int scores_file(api_resp *rs, const char *text, char *path, size_t n)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, n, "%s/rapport-scores-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        rp_log(RP_LOG_ERROR, "api: the optimiser's scores: %s: %s", path, strerror(errno));
        *path = 0;
        return api_error(rs, 500, "internal", "something went wrong on the server; it has been logged");
    }
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(fd);
    if (off < len) {
        unlink(path);
        *path = 0;
        return api_error(rs, 503, "disk_full", "the server could not keep the scores: try again");
    }
    return 0;
}

/* POST /campaigns/{code}/optimise: {level?, method?, budget?, min?, max?, capacity?, group_by?, group_max?,
 * value?, models? {CELL: MODEL}, scores? (CSV text), apply?} */
int api_campaign_optimise(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "level", "method", "budget", "min", "max", "capacity", "group_by", "group_max",
                                        "value", "models", "scores", "apply", NULL };
    static const char *const methods[] = { "auto", "exact", "lagrange", "greedy", NULL };
    mk_allocation a = { .campaign = rq->param[0], .level = 4, .scores_name = "body.scores" };
    const char *method = NULL, *scores = NULL;
    int64_t level = 4;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) || rp_json_get_int(rq->body, "body", "level", 0, &level, &err) ||
        rp_json_get_str(rq->body, "body", "method", 0, &method, &err) ||
        rp_json_get_str(rq->body, "body", "group_by", 0, &a.group_by, &err) ||
        rp_json_get_int(rq->body, "body", "group_max", 0, &a.group_max, &err) ||
        rp_json_get_str(rq->body, "body", "value", 0, &a.value_attr, &err) ||
        rp_json_get_str(rq->body, "body", "scores", 0, &scores, &err))
        return api_fail_body(rs, &err, "body");
    if (level < 1 || level > 4)
        return api_error(rs, 422, "invalid", "body.level: 1, 2, 3 or 4");
    a.level = (int)level;
    int st = api_body_in(rs, "method", method, methods);
    json_t *b = json_object_get(rq->body, "budget"), *ap = json_object_get(rq->body, "apply");
    if (!st && b && !json_is_null(b) && !(json_is_number(b) && (a.budget = json_number_value(b)) > 0))
        st = api_error(rs, 422, "invalid", "body.budget: an amount above 0");
    if (!st && ap && !json_is_boolean(ap))
        st = api_error(rs, 422, "invalid", "body.apply: true or false");
    if (!st && a.group_by && a.group_max < 1)
        st = api_error(rs, 422, "invalid", "body.group_max: the contacts each group may have, with group_by");
    for (int k = 0; method && methods[k]; k++)
        if (!strcmp(methods[k], method))
            a.method = k;
    a.apply = json_is_true(ap);
    rp_buf mins = RP_BUF_INIT, maxes = RP_BUF_INIT, caps = RP_BUF_INIT, models = RP_BUF_INIT;
    if (!st && !(st = pairs_of(rs, rq->body, "min", 0, &mins)) && !(st = pairs_of(rs, rq->body, "max", 0, &maxes)) &&
        !(st = pairs_of(rs, rq->body, "capacity", 0, &caps)))
        st = pairs_of(rs, rq->body, "models", 1, &models);
    char path[512] = "";
    if (!st && scores && *scores)
        st = scores_file(rs, scores, path, sizeof path);
    mk_mart *m = NULL;
    if (!st)
        st = api_mart(rq, rs, 0, &m);
    if (!st) {
        a.mins = mins.len ? mins.data : NULL, a.maxes = maxes.len ? maxes.data : NULL;
        a.capacities = caps.len ? caps.data : NULL, a.models = models.len ? models.data : NULL;
        a.scores = *path ? path : NULL;
        json_t *out;
        if (mk_allocate(rq->w, m, &a, rq->session.user.name, &out, &err))
            st = optimise_fail(rs, &err);
        else
            st = api_ok(rs, out);
        mk_mart_close(m);
    }
    if (*path)
        unlink(path);
    rp_buf_release(&mins), rp_buf_release(&maxes), rp_buf_release(&caps), rp_buf_release(&models);
    return st;
}

/* ---- the list for a channel's vendor, as a file ---- */

/* A campaign's lists span every branch: a caller limited to one (a branch's token, a user without
 * all_branches) is refused rather than given the whole bank's customers. */
static int whole_bank(api_req *rq, api_resp *rs)
{
    if ((rq->by_token && rq->session.user.branch[0]) || (!rq->by_token && !api_can(rq, SEC_P_ALL_BRANCHES)))
        return api_error(rs, 403, "forbidden", "a campaign's customers are every branch's: this needs a caller who "
                                               "may see all branches");
    return 0;
}


static int file_more(void *state, wh *w, rp_buf *out, rp_error *err)
{
    (void)w;
    char piece[65536];
    size_t n = fread(piece, 1, sizeof piece, state);
    if (ferror(state))
        return rp_err(err, RP_IO, "the campaign's list could not be read back");
    rp_buf_append(out, piece, n);
    return n < sizeof piece ? API_STREAM_END : RP_OK;
}

static void file_done(void *state) { fclose(state); }

/* POST /campaigns/{code}/export: {cell? | channel?, format?, reason} the treated's list as CSV or XLSX. */
int api_campaign_export(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "cell", "channel", "format", "wave", "reason", NULL };
    static const char *const formats[] = { "csv", "xlsx", NULL };
    mk_output o = { .campaign = rq->param[0], .format = "csv" };
    int st = api_reason(rq, rs, keys);
    if (st || (st = whole_bank(rq, rs)))
        return st;
    rp_error err = RP_ERROR_INIT;
    int64_t wave = 0;
    if (rp_json_get_str(rq->body, "body", "cell", 0, &o.cell, &err) ||
        rp_json_get_str(rq->body, "body", "channel", 0, &o.channel, &err) ||
        rp_json_get_str(rq->body, "body", "format", 0, &o.format, &err) ||
        rp_json_get_int(rq->body, "body", "wave", 0, &wave, &err))
        return api_fail_body(rs, &err, "body");
    if ((st = api_body_in(rs, "format", o.format, formats)))
        return st;
    if (wave < 0 || wave > MK_MAX_WAVES)
        return api_error(rs, 422, "invalid", "body.wave: a wave from 1 to %d", MK_MAX_WAVES);
    o.wave = (int)wave;
    if (!o.cell && !o.channel)
        return api_error(rs, 422, "invalid", "body.cell: name a cell or a channel: each channel has its own layout");
    /* in a folder of the server's alone: the list is never readable by another user, even for a moment */
    const char *tmp = getenv("TMPDIR");
    char dir[480], path[512];
    snprintf(dir, sizeof dir, "%s/rapport-list-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        rp_log(RP_LOG_ERROR, "api: a campaign's list: %s: %s", dir, strerror(errno));
        return api_error(rs, 500, "internal", "something went wrong on the server; it has been logged");
    }
    snprintf(path, sizeof path, "%s/list", dir);
    o.path = path;
    mk_mart *m;
    if ((st = api_mart(rq, rs, 60, &m))) {
        rmdir(dir);
        return st;
    }
    json_t *s = NULL;
    int rc = mk_export(rq->w, m, &o, &s, &err);
    mk_mart_close(m);
    FILE *f = rc ? NULL : fopen(path, "rb");
    unlink(path); /* the open file is the reply's; nothing is left on the server's disk */
    rmdir(dir);
    if (rc)
        return api_fail_body(rs, &err, "body");
    if (!f) {
        json_decref(s);
        return api_error(rs, 500, "internal", "something went wrong on the server; it has been logged");
    }
    snprintf(rq->detail, sizeof rq->detail, "campaign=%.40s cell=%.40s channel=%.20s wave=%d rows=%lld format=%s",
             o.campaign, o.cell ? o.cell : "", json_string_value(json_object_get(s, "channel")), o.wave,
             (long long)json_integer_value(json_object_get(s, "rows")), o.format);
    char name[64];
    snprintf(name, sizeof name, "%.24s-%.20s.%s", o.campaign, o.cell ? o.cell : json_string_value(json_object_get(s, "channel")),
             o.format);
    json_decref(s);
    int xlsx = !strcmp(o.format, "xlsx");
    return api_stream_reply(rq, rs,
                            xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                                 : "text/csv; charset=utf-8",
                            name, file_more, file_done, f);
}

/* Is the campaign's cell one of text messages? */
static int sms_cell(api_req *rq, const char *cell)
{
    json_t *doc, *x;
    rp_error err = RP_ERROR_INIT;
    int sms = 0;
    size_t i;
    if (mk_campaign_get(rq->w, rq->param[0], &doc, &err))
        return 0;
    json_array_foreach(json_object_get(doc, "cells"), i, x)
        sms |= !strcmp(json_string_value(json_object_get(x, "cell")), cell) &&
               !strcmp(json_string_value(json_object_get(x, "channel")), "sms");
    json_decref(doc);
    return sms;
}

/* One send at a time in this server: two at once could take the same customers. */
static pthread_mutex_t send_turn = PTHREAD_MUTEX_INITIALIZER;

/* POST /campaigns/{code}/send: {cell, limit?, retry_failed?} a batch of the e-mail (or sms) cell's messages,
 * the approved message of the cell, sent through the server's [mail] (or [sms]) settings; what is left
 * for the next batch is in not_sent.left_for_later. */
int api_campaign_send(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "cell", "limit", "retry_failed", NULL };
    const api_options *op = rq->opt;
    mk_mail o = { .campaign = rq->param[0], .smtp_url = op->mail_smtp, .user = op->mail_user,
                  .password = op->mail_password, .tls = op->mail_tls, .from = op->mail_from,
                  .unsubscribe_base = op->mail_unsubscribe, .limit = SEND_BATCH_DEF };
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) || rp_json_get_str(rq->body, "body", "cell", 1, &o.cell, &err) ||
        rp_json_get_int(rq->body, "body", "limit", 0, &o.limit, &err))
        return api_fail_body(rs, &err, "body");
    json_t *retry = json_object_get(rq->body, "retry_failed");
    if (retry && !json_is_boolean(retry))
        return api_error(rs, 422, "invalid", "body.retry_failed: true or false");
    o.retry_failed = json_is_true(retry);
    if (o.limit < 1 || o.limit > SEND_BATCH_MAX)
        return api_error(rs, 422, "invalid", "body.limit: 1 to %d messages a request", SEND_BATCH_MAX);
    int st = whole_bank(rq, rs), sms = sms_cell(rq, o.cell);
    if (st)
        return st;
    if (sms ? !op->sms_gateway || !op->sms_unsubscribe : !o.smtp_url || !o.from || !o.unsubscribe_base)
        return api_error(rs, 503, "not_configured", sms ? "this server sends no text messages: its configuration has "
                                                          "no [sms] gateway and unsubscribe_url"
                                                        : "this server sends no e-mail: its configuration has no [mail] "
                                                          "smtp, from and unsubscribe_url");
    mk_sms so = { .campaign = o.campaign, .cell = o.cell, .gateway = op->sms_gateway, .user = op->sms_user,
                  .password = op->sms_password, .from = op->sms_from, .unsubscribe_base = op->sms_unsubscribe,
                  .country = op->sms_country, .limit = o.limit, .retry_failed = o.retry_failed };
    if (pthread_mutex_trylock(&send_turn))
        return api_error(rs, 409, "conflict", "another send is under way on this server: try again when it ends");
    mk_mart *m;
    if ((st = api_mart(rq, rs, 60, &m))) {
        pthread_mutex_unlock(&send_turn);
        return st;
    }
    json_t *out;
    int rc = sms ? mk_send_sms(rq->w, m, &so, rq->session.user.name, &out, &err)
                 : mk_send_email(rq->w, m, &o, rq->session.user.name, &out, &err);
    mk_mart_close(m);
    pthread_mutex_unlock(&send_turn);
    if (rc == RP_IO) /* the mail server or gateway: what went out before is kept, a send again takes up the rest */
        return api_error(rs, 502, "bad_gateway", "%s (what was sent before it is kept: send again to take up the "
                                                 "rest)", rp_errmsg(&err));
    if (rc)
        return api_fail_body(rs, &err, "body");
    snprintf(rq->detail, sizeof rq->detail, "campaign=%.40s cell=%.40s sent=%lld", o.campaign, o.cell,
             (long long)json_integer_value(json_object_get(out, "sent")));
    return api_ok(rs, out);
}

/* POST /campaigns/{code}/dial: {cell, agents [..], until?} the outbound cell given to agents to call. */
int api_campaign_dial(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "cell", "agents", "until", NULL };
    const char *cell = NULL, *until = NULL, *agents[64];
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) || rp_json_get_str(rq->body, "body", "cell", 1, &cell, &err) ||
        rp_json_get_str(rq->body, "body", "until", 0, &until, &err))
        return api_fail_body(rs, &err, "body");
    json_t *list = json_object_get(rq->body, "agents"), *a;
    size_t n = json_array_size(list), i;
    if (!json_is_array(list) || n < 1 || n > sizeof agents / sizeof *agents)
        return api_error(rs, 422, "invalid", "body.agents: the outbound agents' user names, 1 to %zu",
                         sizeof agents / sizeof *agents);
    json_array_foreach(list, i, a) {
        if (!json_is_string(a) || !*json_string_value(a) || strlen(json_string_value(a)) > SEC_NAME_MAX)
            return api_error(rs, 422, "invalid", "body.agents[%zu]: a user name", i);
        agents[i] = json_string_value(a);
    }
    int st = whole_bank(rq, rs);
    if (st)
        return st;
    mk_mart *m;
    if ((st = api_mart(rq, rs, 60, &m)))
        return st;
    json_t *out;
    int rc = mk_dial_list(rq->w, m, rq->param[0], cell, agents, (int)n, until, rq->session.user.name, &out, &err);
    mk_mart_close(m);
    const char *msg = rp_errmsg(&err);
    if (rc && (!strncmp(msg, "agents[", 7) || !strncmp(msg, "until: ", 7))) /* the body's members, as the caller named them */
        return api_error(rs, 422, "invalid", "body.%s", msg);
    if (rc)
        return api_fail_body(rs, &err, "body");
    snprintf(rq->detail, sizeof rq->detail, "campaign=%.40s cell=%.40s customers=%lld", rq->param[0], cell,
             (long long)json_integer_value(json_object_get(out, "customers")));
    return api_ok(rs, out);
}

/* GET /channel-capacity */
int api_capacity_list(api_req *rq, api_resp *rs)
{
    json_t *list;
    rp_error err = RP_ERROR_INIT;
    if (mk_capacity_list(rq->w, &list, &err))
        return api_fail(rs, &err);
    return api_ok(rs, json_pack("{s:o}", "channels", list));
}

/* PUT /channel-capacity/{channel}: {per_day} */
int api_capacity_put(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "per_day", NULL };
    int64_t per_day = -1;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_int(rq->body, "body", "per_day", 1, &per_day, &err))
        return api_fail_body(rs, &err, "body");
    int rc = wh_begin(rq->w, &err);
    if (!rc)
        rc = mk_capacity_put(rq->w, rq->param[0], per_day, rq->session.user.name, &err);
    if (!rc)
        rc = wh_commit(rq->w, &err);
    if (rc) {
        wh_rollback(rq->w);
        if (rc == RP_INVAL && !strncmp(rp_errmsg(&err), "per_day: ", 9))
            return api_error(rs, 422, "invalid", "body.%s", rp_errmsg(&err));
        if (rc == RP_INVAL && !strncmp(rp_errmsg(&err), "channel: ", 9))
            return api_error(rs, 404, "not_found", "no channel '%.40s' (direct_mail, email, sms, outbound_call, "
                                                   "branch_lead, banner)", rq->param[0]);
        return api_fail(rs, &err);
    }
    return api_capacity_list(rq, rs);
}
