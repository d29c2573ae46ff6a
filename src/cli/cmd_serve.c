/* cmd_serve.c — rapport serve, rapport user ..., rapport audit. */
#include "api/api.h"
#include "cli/cli.h"
#include "cli/table.h"
#include "security/journal.h"
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

int cmd_serve(int argc, char **argv)
{
    const cli_cmd *self = cli_find("serve");
    cli_store_opts so = { 0 };
    const char *listen = NULL, *static_opt = NULL, *threads = NULL, *port_file = NULL;
    cli_opt opts[] = { CLI_STORE_OPTS(so),          { "listen", &listen, NULL }, { "static", &static_opt, NULL },
                       { "threads", &threads, NULL }, { "port-file", &port_file, NULL }, { 0 } };
    int rc = cli_parse(self, argc, argv, opts, NULL, 0, 0);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    rp_config *cfg = NULL;
    if (cli_config(&so, &cfg, &err))
        return cli_fail("serve", &err);
    char db[1024], key[1024];
    if (cli_store_target(&so, db, sizeof db, key, sizeof key, &err)) {
        rp_config_free(cfg);
        return cli_fail("serve", &err);
    }
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
        if (*end || t < 1 || t > 256) {
            rp_config_free(cfg);
            return cli_failf("serve", "--threads: '%s' is not a number from 1 to 256", threads);
        }
        o.threads = (int)t;
    }
    if (config_seconds(cfg, "idle_minutes", 60, 1, 24 * 60, &o.idle_seconds, &err) ||
        config_seconds(cfg, "lifetime_hours", 3600, 1, 24 * 30, &o.lifetime_seconds, &err)) {
        rp_config_free(cfg);
        return cli_fail("serve", &err);
    }
    o.secure_cookie = cfg && !strcmp(rp_config_get(cfg, "api", "secure_cookie", "no"), "yes");
    o.warm = !cfg || strcmp(rp_config_get(cfg, "api", "keep_c360", "yes"), "no");
    api_server *s;
    rc = api_start(&o, &s, &err);
    rp_config_free(cfg);
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
    printf("listening on http://%.*s:%d  (store %s; stop with Ctrl-C or SIGTERM)\n",
           (int)(strrchr(o.listen, ':') - o.listen), o.listen, api_port(s), db);
    fflush(stdout);
    while (!stop_now)
        pause();
    api_stop(s);
    printf("stopped\n");
    return CLI_OK;
}

/* ---- users ---- */

/* A password from the terminal (asked twice, not echoed) or the first line of stdin. */
static int read_password(const char *what, char *out, size_t n)
{
    if (isatty(STDIN_FILENO)) {
        struct termios old, quiet;
        char again[1100];
        if (tcgetattr(STDIN_FILENO, &old))
            return -1;
        quiet = old;
        quiet.c_lflag &= (tcflag_t)~ECHO;
        fprintf(stderr, "%s: ", what);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        char *a = fgets(out, (int)n, stdin);
        fprintf(stderr, "\nagain: ");
        char *b = a ? fgets(again, sizeof again, stdin) : NULL;
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        fprintf(stderr, "\n");
        if (!a || !b)
            return -1;
        out[strcspn(out, "\r\n")] = 0;
        again[strcspn(again, "\r\n")] = 0;
        int same = !strcmp(out, again);
        memset(again, 0, sizeof again);
        return same ? 0 : -2;
    }
    if (!fgets(out, (int)n, stdin))
        return -1;
    out[strcspn(out, "\r\n")] = 0;
    return 0;
}

static int password_arg(const char *cmd, char *pw, size_t n)
{
    int r = read_password("password", pw, n);
    if (r == -2)
        return cli_failf(cmd, "the two passwords differ");
    if (r)
        return cli_failf(cmd, "no password given: type it when asked, or give it on standard input");
    return CLI_OK;
}

int cmd_user_add(int argc, char **argv)
{
    const cli_cmd *self = cli_find("user add");
    cli_store_opts so = { 0 };
    const char *role = NULL, *branch = NULL, *name = NULL;
    cli_opt opts[] = { CLI_STORE_OPTS(so), { "role", &role, NULL }, { "branch", &branch, NULL }, { 0 } };
    int rc = cli_parse(self, argc, argv, opts, &name, 1, 1);
    if (rc)
        return rc;
    if (!role)
        return cli_failf("user add", "--role: one of teller, rm, csr, tsr, supervisor, analyst, steward, admin, "
                                     "auditor");
    char pw[1100];
    if ((rc = password_arg("user add", pw, sizeof pw)))
        return rc;
    wh *w;
    if ((rc = cli_open(self, &so, 0, &w, NULL))) {
        memset(pw, 0, sizeof pw);
        return rc;
    }
    rp_error err = RP_ERROR_INIT;
    sec_user u;
    rc = sec_user_add(wh_store(w), name, role, branch, pw, cli_user(), &u, &err);
    memset(pw, 0, sizeof pw);
    if (!rc) {
        sec_audit_entry e = { .user = cli_user(), .action = "user_add", .target = name, .detail = role };
        rc = sec_audit(wh_store(w), &e, &err);
    }
    wh_close(w);
    if (rc)
        return cli_fail("user add", &err);
    printf("user %s added: %s%s%s\n", u.name, sec_role_titles[u.role], u.branch[0] ? ", branch " : "", u.branch);
    return CLI_OK;
}

int cmd_user_passwd(int argc, char **argv)
{
    const cli_cmd *self = cli_find("user passwd");
    cli_store_opts so = { 0 };
    const char *name = NULL;
    cli_opt opts[] = { CLI_STORE_OPTS(so), { 0 } };
    int rc = cli_parse(self, argc, argv, opts, &name, 1, 1);
    if (rc)
        return rc;
    char pw[1100];
    if ((rc = password_arg("user passwd", pw, sizeof pw)))
        return rc;
    wh *w;
    if ((rc = cli_open(self, &so, 0, &w, NULL))) {
        memset(pw, 0, sizeof pw);
        return rc;
    }
    rp_error err = RP_ERROR_INIT;
    rc = sec_user_passwd(wh_store(w), name, pw, cli_user(), &err);
    memset(pw, 0, sizeof pw);
    if (!rc) {
        sec_audit_entry e = { .user = cli_user(), .action = "user_passwd", .target = name };
        rc = sec_audit(wh_store(w), &e, &err);
    }
    wh_close(w);
    if (rc)
        return cli_fail("user passwd", &err);
    printf("password of %s changed\n", name);
    return CLI_OK;
}

int cmd_user_disable(int argc, char **argv)
{
    const cli_cmd *self = cli_find("user disable");
    cli_store_opts so = { 0 };
    const char *name = NULL;
    int enable = 0;
    cli_opt opts[] = { CLI_STORE_OPTS(so), { "enable", NULL, &enable }, { 0 } };
    int rc = cli_parse(self, argc, argv, opts, &name, 1, 1);
    if (rc)
        return rc;
    wh *w;
    if ((rc = cli_open(self, &so, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    rc = sec_user_disable(wh_store(w), name, !enable, cli_user(), &err);
    if (!rc) {
        sec_audit_entry e = { .user = cli_user(), .action = enable ? "user_enable" : "user_disable", .target = name };
        rc = sec_audit(wh_store(w), &e, &err);
    }
    wh_close(w);
    if (rc)
        return cli_fail("user disable", &err);
    printf("user %s %s\n", name, enable ? "enabled" : "disabled; their sessions are ended");
    return CLI_OK;
}

int cmd_user_list(int argc, char **argv)
{
    const cli_cmd *self = cli_find("user list");
    cli_store_opts so = { 0 };
    int json = 0;
    cli_opt opts[] = { CLI_STORE_OPTS(so), { "json", NULL, &json }, { 0 } };
    int rc = cli_parse(self, argc, argv, opts, NULL, 0, 0);
    if (rc)
        return rc;
    wh *w;
    if ((rc = cli_open(self, &so, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *a;
    rc = sec_user_list(wh_store(w), &a, &err);
    wh_close(w);
    if (rc)
        return cli_fail("user list", &err);
    if (json) {
        cli_print_json(a);
    } else {
        table t;
        table_init(&t, 5, 0);
        const char *head[5] = { "user", "role", "branch", "state", "since" };
        table_row(&t, head);
        size_t i;
        json_t *u;
        json_array_foreach(a, i, u) {
            const char *row[5] = { json_string_value(json_object_get(u, "name")),
                                   json_string_value(json_object_get(u, "role")),
                                   json_string_value(json_object_get(u, "branch")),
                                   json_is_true(json_object_get(u, "disabled")) ? "disabled" : "active",
                                   json_string_value(json_object_get(u, "created_at")) };
            table_row(&t, row);
        }
        table_print(&t, stdout);
        table_release(&t);
    }
    json_decref(a);
    return CLI_OK;
}

/* ---- audit ---- */

int cmd_audit(int argc, char **argv)
{
    const cli_cmd *self = cli_find("audit");
    cli_store_opts so = { 0 };
    const char *since = NULL, *until = NULL, *user = NULL, *customer = NULL, *action = NULL, *limit = NULL;
    int json = 0;
    cli_opt opts[] = { CLI_STORE_OPTS(so),          { "since", &since, NULL },   { "until", &until, NULL },
                       { "user", &user, NULL },       { "customer", &customer, NULL }, { "action", &action, NULL },
                       { "limit", &limit, NULL },     { "json", NULL, &json },     { 0 } };
    int rc = cli_parse(self, argc, argv, opts, NULL, 0, 0);
    if (rc)
        return rc;
    sec_audit_filter f = { .since = since, .until = until, .user = user, .action = action, .limit = 100 };
    char *end;
    if (customer && ((f.customer = strtoll(customer, &end, 10)) <= 0 || *end))
        return cli_failf("audit", "--customer: '%s' is not a customer id", customer);
    if (limit && ((f.limit = (int)strtol(limit, &end, 10)) <= 0 || *end || f.limit > 1000000))
        return cli_failf("audit", "--limit: '%s' is not a number from 1 to 1000000", limit);
    wh *w;
    if ((rc = cli_open(self, &so, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *a;
    /* what a running (or stopped) server still holds in its journal first */
    if (!(rc = sec_journal_ingest(wh_store(w), wh_db_path(w), NULL, 0, 0, NULL, &err)))
        rc = sec_audit_query(wh_store(w), &f, &a, &err);
    wh_close(w);
    if (rc)
        return cli_fail("audit", &err);
    if (json) {
        cli_print_json(a);
    } else {
        table t;
        table_init(&t, 7, 0);
        const char *head[7] = { "at", "user", "from", "action", "customer", "outcome", "what" };
        table_row(&t, head);
        size_t i;
        json_t *e;
        json_array_foreach(a, i, e) {
            char cu[24] = "";
            if (json_is_integer(json_object_get(e, "customer")))
                snprintf(cu, sizeof cu, "%lld", (long long)json_integer_value(json_object_get(e, "customer")));
            char what[400];
            const char *tg = json_string_value(json_object_get(e, "target")),
                       *rs = json_string_value(json_object_get(e, "reason")),
                       *dt = json_string_value(json_object_get(e, "detail"));
            snprintf(what, sizeof what, "%s%s%s%s%s", tg ? tg : "", rs ? "  reason: " : "", rs ? rs : "",
                     dt ? "  " : "", dt ? dt : "");
            const char *row[7] = { json_string_value(json_object_get(e, "at")),
                                   json_string_value(json_object_get(e, "user")),
                                   json_string_value(json_object_get(e, "address")),
                                   json_string_value(json_object_get(e, "action")), cu,
                                   json_string_value(json_object_get(e, "outcome")), what };
            table_row(&t, row);
        }
        table_print(&t, stdout);
        table_release(&t);
    }
    json_decref(a);
    return CLI_OK;
}
