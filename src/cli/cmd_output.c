/* cmd_output.c — rapport campaign export: a campaign's list for a channel's vendor or system, as
 * CSV or XLSX, with a reason, audited (mk_export); rapport campaign send: its e-mail through an SMTP
 * server (mk_send_email); docs/marketing.md. */
#include "cli/cli.h"
#include "marketing/marketing.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_campaign_export(cli_ctx *c)
{
    const char *path = cli_arg(c, "out"), *fmt = cli_arg(c, "format"), *reason = cli_arg(c, "reason");
    if (!cli_arg(c, "cell") && !cli_arg(c, "channel"))
        return cli_failf("campaign export", "name --cell or --channel: each channel has its own layout");
    if (!path)
        return cli_failf("campaign export", "--out FILE is required");
    int rc = cli_reason("campaign export", reason);
    if (rc)
        return rc;
    size_t n = strlen(path);
    if (!fmt)
        fmt = n > 5 && !strcmp(path + n - 5, ".xlsx") ? "xlsx" : "csv";
    wh *w;
    mk_mart *m;
    if ((rc = cli_mart(c, "campaign export", 1, &w, &m)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    mk_output o = { .campaign = c->args[0], .cell = cli_arg(c, "cell"), .channel = cli_arg(c, "channel"),
                    .format = fmt, .path = path };
    const char *wv = cli_arg(c, "wave");
    char *wend;
    if (wv && ((o.wave = (int)strtol(wv, &wend, 10)) < 1 || o.wave > MK_MAX_WAVES || *wend)) {
        mk_mart_close(m);
        return cli_failf("campaign export", "--wave: a wave from 1 to %d, not '%.20s'", MK_MAX_WAVES, wv);
    }
    json_t *s = NULL;
    rc = mk_export(w, m, &o, &s, &err);
    mk_mart_close(m);
    if (rc)
        return cli_fail("campaign export", &err);
    char what[400];
    snprintf(what, sizeof what, "campaign=%.40s cell=%.40s channel=%.20s wave=%d rows=%lld format=%s file=%.200s",
             o.campaign, o.cell ? o.cell : "", json_string_value(json_object_get(s, "channel")), o.wave,
             (long long)json_integer_value(json_object_get(s, "rows")), fmt, path);
    if ((rc = cli_audit(c, "campaign_export", 0, reason, what))) {
        remove(path);  /* a list nobody can account for is not left behind */
        json_decref(s);
        return rc;
    }
    if (cli_flag(c, "json"))
        cli_print_json(s);
    else {
        json_t *k = json_object_get(s, "skipped");
        printf("campaign %s: %lld customers written to %s (%s, %s)", o.campaign,
               (long long)json_integer_value(json_object_get(s, "rows")), path,
               json_string_value(json_object_get(s, "channel")), fmt);
        const char *key;
        json_t *v;
        int first = 1;
        json_object_foreach(k, key, v) if (json_integer_value(v)) {
            printf("%s%s %lld", first ? "; not listed: " : ", ", key, (long long)json_integer_value(v));
            first = 0;
        }
        printf("\n");
    }
    json_decref(s);
    return CLI_OK;
}

/* A file's text (a template, a password), at most max bytes; NULL with the message printed. */
static char *read_small(const char *cmd, const char *opt, const char *path, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        cli_failf(cmd, "%s: %s cannot be read", opt, path);
        return NULL;
    }
    char *s = malloc(max + 1);
    size_t n = s ? fread(s, 1, max + 1, f) : 0;
    fclose(f);
    if (!s || n > max) {
        free(s);
        cli_failf(cmd, "%s: %s is over %zu bytes", opt, path, max);
        return NULL;
    }
    s[n] = 0;
    return s;
}

static void print_sent(const char *code, const char *cell, const json_t *s)
{
    printf("campaign %s, cell %s: %lld sent, %lld refused by the %s", code, cell,
           (long long)json_integer_value(json_object_get(s, "sent")),
           (long long)json_integer_value(json_object_get(s, "failed")),
           !strcmp(json_string_value(json_object_get(s, "channel")), "sms") ? "gateway" : "server");
    const char *key;
    json_t *v;
    int first = 1;
    json_object_foreach(json_object_get(s, "not_sent"), key, v) if (json_integer_value(v)) {
        printf("%s%s %lld", first ? "; not sent: " : ", ", key, (long long)json_integer_value(v));
        first = 0;
    }
    printf("\n");
}

/* The channel of a campaign's cell ("" when either is not there: the send says why). */
static void cell_channel(wh *w, const char *code, const char *cell, char out[24])
{
    out[0] = 0;
    json_t *doc;
    rp_error e = RP_ERROR_INIT;
    if (!cell || mk_campaign_get(w, code, &doc, &e))
        return;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(doc, "cells"), i, x)
        if (!strcmp(json_string_value(json_object_get(x, "cell")), cell))
            snprintf(out, 24, "%s", json_string_value(json_object_get(x, "channel")));
    json_decref(doc);
}

/* The send's options of a channel's section of the configuration: the command line's first. */
static const char *opt_or(cli_ctx *c, const rp_config *cfg, const char *opt, const char *section, const char *key)
{
    return cli_arg(c, opt) ? cli_arg(c, opt) : cfg ? rp_config_get(cfg, section, key, NULL) : NULL;
}

/* Send by the transport of the cell's channel: e-mail (SMTP) or text messages (the SMS gateway). */
static int send_cell(cli_ctx *c, wh *w, const rp_config *cfg, int sms, const char *body, int64_t limit, json_t **s,
                     rp_error *err)
{
    const char *cmd = "campaign send", *pw = NULL;
    rp_buf own = RP_BUF_INIT;
    if (cli_password(cfg, sms ? "RAPPORT_SMS_PASSWORD" : "RAPPORT_SMTP_PASSWORD", sms ? "sms" : "mail", &own, &pw, err))
        return cli_fail(cmd, err);
    const char *unsub = opt_or(c, cfg, "unsubscribe-url", sms ? "sms" : "mail", "unsubscribe_url");
    if (!unsub && sms)
        unsub = opt_or(c, cfg, "unsubscribe-url", "mail", "unsubscribe_url");
    mk_mart *m = NULL;
    int rc = cli_mart(c, cmd, 1, &w, &m);
    if (!rc && sms) {
        mk_sms o = { .campaign = c->args[0], .cell = cli_arg(c, "cell"), .gateway = opt_or(c, cfg, "gateway", "sms", "gateway"),
                     .user = cfg ? rp_config_get(cfg, "sms", "user", NULL) : NULL, .password = pw,
                     .from = opt_or(c, cfg, "from", "sms", "from"), .body = body, .unsubscribe_base = unsub,
                     .country = cfg ? rp_config_get(cfg, "sms", "country", NULL) : NULL, .limit = limit,
                     .retry_failed = cli_flag(c, "retry-failed") };
        if (mk_send_sms(w, m, &o, cli_user(), s, err))
            rc = cli_fail(cmd, err);
    } else if (!rc) {
        mk_mail o = { .campaign = c->args[0], .cell = cli_arg(c, "cell"), .smtp_url = opt_or(c, cfg, "smtp", "mail", "smtp"),
                      .user = cfg ? rp_config_get(cfg, "mail", "user", NULL) : NULL, .password = pw,
                      .tls = opt_or(c, cfg, "tls", "mail", "tls"), .from = opt_or(c, cfg, "from", "mail", "from"),
                      .subject = cli_arg(c, "subject"), .body = body, .unsubscribe_base = unsub, .limit = limit,
                      .retry_failed = cli_flag(c, "retry-failed") };
        if (o.tls && strcmp(o.tls, "required") && strcmp(o.tls, "try") && strcmp(o.tls, "none"))
            rc = cli_failf(cmd, "--tls: '%.20s' is not required, try or none", o.tls);
        else if (mk_send_email(w, m, &o, cli_user(), s, err))
            rc = cli_fail(cmd, err);
    }
    mk_mart_close(m);
    if (own.data)
        sodium_memzero(own.data, own.cap);
    rp_buf_release(&own);
    return rc;
}

int cmd_campaign_send(cli_ctx *c)
{
    const char *cmd = "campaign send";
    rp_config *cfg = NULL;
    rp_error err = RP_ERROR_INIT;
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    if (cli_cfg(c, &cfg, &err))
        return cli_fail(cmd, &err);
    const char *lim = cli_arg(c, "limit");
    char *end = NULL, channel[24];
    long long limit = 0;
    if (lim && ((limit = strtoll(lim, &end, 10)) < 1 || *end))
        return cli_failf(cmd, "--limit: '%.20s' is not a number of messages", lim);
    cell_channel(w, c->args[0], cli_arg(c, "cell"), channel);
    int sms = !strcmp(channel, "sms");
    if (sms && (cli_arg(c, "smtp") || cli_arg(c, "tls") || cli_arg(c, "subject")))
        return cli_failf(cmd, "cell %s sends text messages: --smtp, --tls and --subject are e-mail's", cli_arg(c, "cell"));
    if (!sms && cli_arg(c, "gateway"))
        return cli_failf(cmd, "--gateway is for an sms cell's text messages");
    char *body = NULL;
    if (cli_arg(c, "body-file") && !(body = read_small(cmd, "--body-file", cli_arg(c, "body-file"), 64 << 10)))
        return CLI_FAIL;
    json_t *s = NULL;
    rc = send_cell(c, w, cfg, sms, body, (int64_t)limit, &s, &err);
    free(body);
    if (rc)
        return rc;
    if (cli_flag(c, "json"))
        cli_print_json(s);
    else
        print_sent(c->args[0], cli_arg(c, "cell"), s);
    json_decref(s);
    return CLI_OK;
}

int cmd_campaign_dial(cli_ctx *c)
{
    const char *cmd = "campaign dial", *spec = cli_arg(c, "agents");
    if (!spec || !*spec)
        return cli_failf(cmd, "--agents: the outbound agents who call, a,b,c (users with dial)");
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", spec);
    const char *agents[64];
    int n = 0;
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (n == 64)
            return cli_failf(cmd, "--agents: at most 64");
        agents[n++] = t;
    }
    wh *w;
    mk_mart *m;
    int rc = cli_mart(c, cmd, 1, &w, &m);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *s = NULL;
    rc = mk_dial_list(w, m, c->args[0], cli_arg(c, "cell"), agents, n, cli_arg(c, "until"), cli_user(), &s, &err);
    mk_mart_close(m);
    if (rc)
        return cli_fail(cmd, &err);
    char what[300];
    snprintf(what, sizeof what, "list %.80s: %lld customers to %d agents", json_string_value(json_object_get(s, "list")),
             (long long)json_integer_value(json_object_get(s, "customers")), n);
    if ((rc = cli_audit(c, "calling_list_add", 0, NULL, what))) {
        json_decref(s);
        return rc;
    }
    if (cli_flag(c, "json"))
        cli_print_json(s);
    else {
        printf("campaign %s: %lld customers on calling list %s:", c->args[0],
               (long long)json_integer_value(json_object_get(s, "customers")),
               json_string_value(json_object_get(s, "list")));
        const char *key;
        json_t *v;
        json_object_foreach(json_object_get(s, "by_agent"), key, v)
            printf(" %s %lld", key, (long long)json_integer_value(v));
        printf("\n");
    }
    json_decref(s);
    return CLI_OK;
}
