/* cmd_serve.c — rapport serve: the API and the web application. */
#include "api/api.h"
#include "cli/cli.h"
#include "cli/table.h"
#include "core/buf.h"
#include "match/match.h"
#include "security/security.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

/* ---- serve ---- */

static volatile sig_atomic_t stop_now;
static void on_signal(int sig) { (void)sig, stop_now = 1; }

static int config_seconds(const rp_config *c, const char *key, int64_t unit, int64_t min, int64_t max, int64_t *out,
                          rp_error *err)
{
    int64_t v;
    if (!c)
        return RP_OK;
    int rc = rp_config_get_int(c, "api", key, 0, min, max, &v, err);
    if (!rc && v)
        *out = v * unit;
    return rc;
}

/* HTTPS, HSTS, the cookie and /metrics, from the options and [api]. */
static int serve_security(cli_ctx *c, const rp_config *cfg, api_options *o, rp_error *err)
{
    const char *cert = cli_arg(c, "tls-cert"), *key = cli_arg(c, "tls-key");
    if (!cert && !key && cfg) {
        cert = rp_config_get(cfg, "api", "tls_cert", NULL);
        key = rp_config_get(cfg, "api", "tls_key", NULL);
        if (!cert != !key)
            return rp_err(err, RP_USAGE, "[api] %s is given without [api] %s", cert ? "tls_cert" : "tls_key",
                          cert ? "tls_key" : "tls_cert");
    } else if (!cert != !key) {
        return rp_err(err, RP_USAGE, "--%s needs --%s too", cert ? "tls-cert" : "tls-key", cert ? "tls-key" : "tls-cert");
    }
    o->tls_cert = cert;
    o->tls_key = key;
    const char *secure = cfg ? rp_config_get(cfg, "api", "secure_cookie", NULL) : NULL;
    if (secure && strcmp(secure, "yes") && strcmp(secure, "no"))
        return rp_err(err, RP_INVAL, "[api] secure_cookie: '%s' is not yes or no", secure);
    if (secure && cert && !strcmp(secure, "no"))
        return rp_err(err, RP_INVAL, "[api] secure_cookie: 'no' is for plain HTTP only; over HTTPS the session "
                      "cookie is always Secure");
    o->secure_cookie = secure && !strcmp(secure, "yes");
    int64_t hsts = 31536000;
    int rc;
    if (cfg && (rc = rp_config_get_int(cfg, "api", "hsts_max_age", hsts, 0, 2 * 31536000, &hsts, err)))
        return rc;
    o->hsts_seconds = hsts ? hsts : -1;
    if (cfg) {
        o->metrics_token = rp_config_get(cfg, "api", "metrics_token", NULL);
        o->metrics_token_file = rp_config_get(cfg, "api", "metrics_token_file", NULL);
        o->metrics_allow = rp_config_get(cfg, "api", "metrics_allow", NULL);
        if (o->metrics_token && o->metrics_token_file)
            return rp_err(err, RP_USAGE, "[api] metrics_token and metrics_token_file: give one of them");
    }
    return RP_OK;
}

/* [mail]: the campaign e-mail the API sends (POST /campaigns/{code}/send); the password into pw. */
/* [sms]: the campaign text messages the API sends through the SMS gateway. */
static int serve_sms(const rp_config *cfg, api_options *o, rp_buf *pw, rp_error *err)
{
    if (!cfg)
        return RP_OK;
    o->sms_gateway = rp_config_get(cfg, "sms", "gateway", NULL);
    o->sms_user = rp_config_get(cfg, "sms", "user", NULL);
    o->sms_from = rp_config_get(cfg, "sms", "from", NULL);
    o->sms_country = rp_config_get(cfg, "sms", "country", NULL);
    o->sms_unsubscribe = rp_config_get(cfg, "sms", "unsubscribe_url", rp_config_get(cfg, "mail", "unsubscribe_url", NULL));
    return cli_password(cfg, "RAPPORT_SMS_PASSWORD", "sms", pw, &o->sms_password, err);
}

static int serve_mail(const rp_config *cfg, api_options *o, rp_buf *pw, rp_error *err)
{
    if (!cfg)
        return RP_OK;
    o->mail_smtp = rp_config_get(cfg, "mail", "smtp", NULL);
    o->mail_user = rp_config_get(cfg, "mail", "user", NULL);
    o->mail_tls = rp_config_get(cfg, "mail", "tls", NULL);
    o->mail_from = rp_config_get(cfg, "mail", "from", NULL);
    o->mail_unsubscribe = rp_config_get(cfg, "mail", "unsubscribe_url", NULL);
    if (o->mail_tls && strcmp(o->mail_tls, "required") && strcmp(o->mail_tls, "try") && strcmp(o->mail_tls, "none"))
        return rp_err(err, RP_INVAL, "[mail] tls: '%.20s' is not required, try or none", o->mail_tls);
    return cli_password(cfg, "RAPPORT_SMTP_PASSWORD", "mail", pw, &o->mail_password, err);
}

int cmd_serve(cli_ctx *c)
{
    if (cli_flag(c, "openapi")) { /* the API's document, for a client generator; no store, no server */
        rp_error e = RP_ERROR_INIT;
        json_t *doc = api_openapi(&e);
        if (!doc)
            return cli_fail("serve", &e);
        cli_print_json(doc);
        json_decref(doc);
        return CLI_OK;
    }
    const char *listen = cli_arg(c, "listen");
    const char *static_opt = cli_arg(c, "static");
    const char *threads = cli_arg(c, "threads");
    const char *port_file = cli_arg(c, "port-file");
    int rc;
    rp_error err = RP_ERROR_INIT;
    rp_config *cfg = NULL;
    if (cli_cfg(c, &cfg, &err))
        return cli_fail("serve", &err);
    char db[1024], key[1024];
    if (cli_store_target(c, db, sizeof db, key, sizeof key, &err))
        return cli_fail("serve", &err);
    api_options o = { 0 };
    o.db = db;
    o.key = key;
    o.listen = listen ? listen : cfg ? rp_config_get(cfg, "api", "listen", "127.0.0.1:8080") : "127.0.0.1:8080";
    o.static_dir = static_opt ? static_opt : cfg ? rp_config_get(cfg, "api", "static", NULL) : NULL;
    /* by default, the web application built beside the binary (make: BUILD/web) */
    char webdir[PATH_MAX + 8];
    if (!o.static_dir) {
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n > 0) {
            exe[n] = 0;
            char *slash = strrchr(exe, '/');
            if (slash)
                *slash = 0;
            snprintf(webdir, sizeof webdir, "%s/web", exe);
            struct stat sb;
            if (stat(webdir, &sb) == 0 && S_ISDIR(sb.st_mode))
                o.static_dir = webdir;
        }
    }
    if (threads) {
        char *end;
        long t = strtol(threads, &end, 10);
        if (*end || t < 1 || t > 256)
            return cli_failf("serve", "--threads: '%s' is not a number from 1 to 256", threads);
        o.threads = (int)t;
    }
    if (config_seconds(cfg, "idle_minutes", 60, 1, 24 * 60, &o.idle_seconds, &err) ||
        config_seconds(cfg, "lifetime_hours", 3600, 1, 24 * 30, &o.lifetime_seconds, &err) ||
        sec_signin_config(cfg, &o.signin, &err) || serve_security(c, cfg, &o, &err))
        return cli_fail("serve", &err);
    static rp_buf mail_pw = RP_BUF_INIT, sms_pw = RP_BUF_INIT, cti_pw = RP_BUF_INIT; /* the server's, for its life */
    if (serve_mail(cfg, &o, &mail_pw, &err) || serve_sms(cfg, &o, &sms_pw, &err) ||
        cli_password(cfg, "RAPPORT_CTI_SECRET", "cti", &cti_pw, &o.cti_secret, &err))
        return cli_fail("serve", &err);
    /* [cti] switch_url: where a held call is put through to the agent chosen (docs/contact.md) */
    o.cti_switch_url = cfg ? rp_config_get(cfg, "cti", "switch_url", NULL) : NULL;
    /* [chat]: the customer chat page's rate limits and queue (docs/contact.md) */
    int64_t starts = 0, says = 0;
    if (cfg && (rp_config_get_int(cfg, "chat", "starts_per_minute", 0, 1, 10000, &starts, &err) ||
                rp_config_get_int(cfg, "chat", "messages_per_minute", 0, 1, 10000, &says, &err)))
        return cli_fail("serve", &err);
    o.chat_starts_per_min = (int)starts, o.chat_messages_per_min = (int)says;
    o.chat_queue = cfg ? rp_config_get(cfg, "chat", "queue", NULL) : NULL;
    static mt_options match; /* [match] spec: the runs' matching specification, for the sample and evaluation */
    const char *spec = cfg ? rp_config_get(cfg, "match", "spec", NULL) : NULL;
    mt_options_default(&match);
    if (spec && mt_spec_file(spec, &match.spec, &match.params, &err))
        return cli_fail("serve", &err);
    o.match = spec ? &match : NULL;
    o.warm = !cfg || strcmp(rp_config_get(cfg, "api", "keep_c360", "yes"), "no");
    o.home_currency = cfg ? rp_config_get(cfg, "marketing", "home_currency", NULL) : NULL;
    int64_t cache_mb = 0;
    if (cfg && rp_config_get_int(cfg, "api", "cache_mb", 0, 1, 4096, &cache_mb, &err))
        return cli_fail("serve", &err);
    o.cache_mb = (int)cache_mb;
    api_server *s;
    rc = api_start(&o, &s, &err);
    if (rc)
        return cli_fail("serve", &err);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (port_file) {
        FILE *f = fopen(port_file, "w");
        if (!f || fprintf(f, "%d\n", api_port(s)) < 0 || fclose(f)) {
            api_stop(s);
            return cli_failf("serve", "--port-file %s: %s", port_file, strerror(errno));
        }
    }
    printf("listening on %s://%.*s:%d  (store %s; stop with Ctrl-C or SIGTERM)\n", o.tls_cert ? "https" : "http",
           (int)(strrchr(o.listen, ':') - o.listen), o.listen, api_port(s), db);
    fflush(stdout);
    while (!stop_now)
        pause();
    api_stop(s);
    printf("stopped\n");
    return CLI_OK;
}
