/* cli.c — dispatch, option parsing, errors, opening the store. */
#include "cli/cli.h"
#include "contact/contact.h"
#include "core/config.h"
#include "core/json.h"
#include "core/log.h"
#include "core/utf8.h"
#include "etl/etl.h"
#include "security/security.h"

#include <ctype.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const cli_cmd *cli_find(const char *name)
{
    for (int i = 0; i < cli_ncommands; i++)
        if (strcmp(cli_commands[i].name, name) == 0)
            return &cli_commands[i];
    return NULL;
}

/* A message may quote a file's bytes, a value or a file name: shown
 * printable (core/utf8.h), never obeyed by the terminal. */
static void put_failure(const char *context, const char *msg)
{
    char safe[4 * 1024 + 1]; /* cli_failf's message, each byte escaped */
    rp_utf8_printable(msg, strlen(msg), safe, sizeof safe);
    fprintf(stderr, "rapport: %s: %s\n", context, safe);
}

int cli_fail(const char *context, const rp_error *err)
{
    put_failure(context, rp_errmsg(err));
    return err->code == RP_USAGE ? CLI_USAGE : CLI_FAIL;
}

int cli_failf(const char *context, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    put_failure(context, msg);
    return CLI_FAIL;
}

static int usage_error(const cli_cmd *cmd, const char *fmt, const char *arg)
{
    char shown[4 * 256 + 1]; /* an argument as typed is shown, never obeyed */
    rp_utf8_printable(arg ? arg : "", arg ? strnlen(arg, 256) : 0, shown, sizeof shown);
    fprintf(stderr, "rapport: %s: ", cmd->name);
    fprintf(stderr, fmt, shown);
    fprintf(stderr, "\nusage: %s\n", cmd->usage);
    return CLI_USAGE;
}

/* The row's option i: its name (length *len) and whether it takes a value. */
static int opt_at(const char *spec, int i, const char **name, size_t *len, int *value)
{
    const char *p = spec ? spec : "";
    for (int k = 0;; k++) {
        while (*p == ' ')
            p++;
        if (!*p)
            return 0;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if (k == i) {
            *value = e[-1] == '=';
            *name = p;
            *len = (size_t)(e - p) - (size_t)*value;
            return 1;
        }
        p = e;
    }
}

/* The index of option name (nl bytes) among the row's, or -1. */
static int opt_index(const cli_cmd *cmd, const char *name, size_t nl, int *value)
{
    const char *n;
    size_t len;
    for (int i = 0; i < CLI_MAX_OPTS && opt_at(cmd->opts, i, &n, &len, value); i++)
        if (len == nl && !strncmp(n, name, nl))
            return i;
    return -1;
}

/* An option of the store (--db, --key, --config) for CLI_STORE rows, or NULL. */
static const char **store_opt(cli_ctx *c, const char *name, size_t nl)
{
    if (!(c->cmd->flags & CLI_STORE))
        return NULL;
    if (nl == 2 && !strncmp(name, "db", 2))
        return &c->store.db;
    if (nl == 3 && !strncmp(name, "key", 3))
        return &c->store.key;
    if (nl == 6 && !strncmp(name, "config", 6))
        return &c->store.config;
    return NULL;
}

int cli_parse(cli_ctx *c, int argc, char **argv)
{
    const cli_cmd *cmd = c->cmd;
    int only_pos = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!only_pos && strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (!only_pos && a[0] == '-' && a[1] == '-' && a[2]) {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t nl = eq ? (size_t)(eq - name) : strlen(name);
            int value = 1, ix = opt_index(cmd, name, nl, &value);
            const char **slot = ix >= 0 ? &c->val[ix] : store_opt(c, name, nl);
            if (!slot)
                return usage_error(cmd, "unknown option '%s'", a);
            if (ix < 0)
                value = 1; /* --db, --key, --config */
            if (!value) {
                if (eq)
                    return usage_error(cmd, "option '%s' takes no value", a);
                c->set[ix] = 1;
            } else if (eq) {
                *slot = eq + 1;
            } else if (i + 1 < argc) {
                *slot = argv[++i];
            } else {
                return usage_error(cmd, "option '%s' needs a value", a);
            }
            continue;
        }
        if (!only_pos && a[0] == '-' && a[1] && !(a[1] >= '0' && a[1] <= '9'))
            return usage_error(cmd, "unknown option '%s'", a);
        if (c->nargs >= cmd->maxargs)
            return usage_error(cmd, "unexpected argument '%s'", a);
        c->args[c->nargs++] = a;
    }
    if (c->nargs < cmd->minargs)
        return usage_error(cmd, "%s", cmd->minargs - c->nargs == 1 ? "missing argument" : "missing arguments");
    return CLI_OK;
}

const char *cli_arg(const cli_ctx *c, const char *name)
{
    int value;
    int i = opt_index(c->cmd, name, strlen(name), &value);
    return i >= 0 && value ? c->val[i] : NULL;
}

int cli_flag(const cli_ctx *c, const char *name)
{
    int value;
    int i = opt_index(c->cmd, name, strlen(name), &value);
    return i >= 0 && !value && c->set[i];
}

static int cli_config(const cli_store_opts *o, rp_config **out, rp_error *err)
{
    *out = NULL;
    const char *cfgfile = o->config ? o->config : getenv("RAPPORT_CONFIG");
    if (!cfgfile || !*cfgfile)
        return RP_OK;
    rp_config *c = rp_config_new();
    if (!c)
        return rp_err(err, RP_NOMEM, NULL);
    if (rp_config_load(c, cfgfile, err)) {
        rp_config_free(c);
        return rp_err_prefix(err, "config");
    }
    *out = c;
    return RP_OK;
}

int cli_store_target(cli_ctx *c, char *db, size_t dn, char *key, size_t kn, rp_error *err)
{
    const char *d = c->store.db, *k = c->store.key;
    if (!d && getenv("RAPPORT_DB") && *getenv("RAPPORT_DB"))
        d = getenv("RAPPORT_DB");
    if (!k && getenv("RAPPORT_KEY") && *getenv("RAPPORT_KEY"))
        k = getenv("RAPPORT_KEY");
    rp_config *cfg;
    int rc = cli_cfg(c, &cfg, err); /* read once for the whole command */
    if (rc)
        return rc;
    if (cfg) {
        if (!d) /* a file (SQLite), or a database server's URL (PostgreSQL: [store] url) */
            d = rp_config_get(cfg, "store", "path", rp_config_get(cfg, "store", "url", NULL));
        if (!k)
            k = rp_config_get(cfg, "security", "key_file", NULL);
    }
    snprintf(db, dn, "%s", d ? d : "rapport.db");
    if (k)
        snprintf(key, kn, "%s", k);
    else if (strstr(db, "://")) /* a database server's store: no file beside it to take the key from */
        return rp_err(err, RP_INVAL, "%s: a database server's store needs its sealing key file named (--key PATH, "
                                     "RAPPORT_KEY or [security] key_file)", db);
    else
        snprintf(key, kn, "%s.key", db);
    return RP_OK;
}

int cli_wh(cli_ctx *c, int flags, wh **out, int *migrations)
{
    if (!c->w) {
        char db[1024], key[1024];
        rp_error err = RP_ERROR_INIT;
        /* a store opened to write has any rejects it kept in clear sealed (etl.h) */
        if (cli_store_target(c, db, sizeof db, key, sizeof key, &err) ||
            wh_open(db, key, flags, &c->w, migrations, &err) ||
            ((flags & WH_INIT) && ld_seal_rejects(c->w, NULL, &err)))
            return cli_fail(c->cmd->name, &err);
    }
    *out = c->w;
    return CLI_OK;
}

void cli_wh_close(cli_ctx *c)
{
    wh_close(c->w);
    c->w = NULL;
}

int cli_cfg(cli_ctx *c, rp_config **out, rp_error *err)
{
    if (!c->cfg_loaded) {
        int rc = cli_config(&c->store, &c->cfg, err);
        if (rc)
            return rc;
        c->cfg_loaded = 1;
    }
    *out = c->cfg;
    return RP_OK;
}

int cli_surge_wait(cli_ctx *c, wh *w, const char *cmd)
{
    json_t *on;
    rp_error err = RP_ERROR_INIT;
    if (cli_flag(c, "even-in-surge") || cc_surges_open(w, &on, &err))
        return CLI_OK; /* a centre not set up (or unreadable) holds nothing up */
    int rc = CLI_OK;
    if (json_array_size(on))
        rc = cli_failf(cmd, "the contact centre is in a surge (queue %s since %s): heavy work waits until it is over; "
                            "--even-in-surge to run it now",
                       json_string_value(json_object_get(json_array_get(on, 0), "queue")),
                       json_string_value(json_object_get(json_array_get(on, 0), "started_at")));
    json_decref(on);
    return rc;
}

int cli_password(const rp_config *cfg, const char *env, const char *section, rp_buf *pw, const char **out,
                 rp_error *err)
{
    const char *file = cfg ? rp_config_get(cfg, section, "password_file", NULL) : NULL;
    if (getenv(env))
        *out = getenv(env);
    else if (file) {
        int rc = rp_buf_read_file(pw, file, 1024, err);
        if (rc)
            return rp_err_prefix(err, "[%s] password_file", section);
        rp_buf_putc(pw, 0);
        pw->data[strcspn(pw->data, "\r\n")] = 0;
        *out = pw->data;
    }
    return RP_OK;
}

void cli_printable(json_t *j)
{
    size_t i;
    const char *k;
    json_t *v;
    if (json_is_object(j)) {
        json_object_foreach(j, k, v)
        {
            if (json_is_string(v) && !rp_utf8_is_printable(json_string_value(v), json_string_length(v))) {
                char *p = rp_utf8_printable_dup(json_string_value(v));
                if (p)
                    json_object_set_new(j, k, json_string(p));
                free(p);
            } else {
                cli_printable(v);
            }
        }
    } else if (json_is_array(j)) {
        json_array_foreach(j, i, v)
        {
            if (json_is_string(v) && !rp_utf8_is_printable(json_string_value(v), json_string_length(v))) {
                char *p = rp_utf8_printable_dup(json_string_value(v));
                if (p)
                    json_array_set_new(j, i, json_string(p));
                free(p);
            } else {
                cli_printable(v);
            }
        }
    }
}

void cli_print_json(const json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    printf("%s\n", s ? s : "null");
    free(s);
}

int cli_facts(const char *cmd, wh *w, const rp_config *cfg, char *buf, size_t n, const char **out)
{
    *out = NULL;
    const char *copy = cfg ? rp_config_get(cfg, "analytics", "column_copy", "yes") : "yes";
    if (strcmp(copy, "yes") && strcmp(copy, "no"))
        return cli_failf(cmd, "[analytics] column_copy: '%s' is not yes or no", copy);
    char base[1024];
    if (!strcmp(copy, "yes") && !rp_store_local_name(wh_db_path(w), wh_key_path(w), base, sizeof base) && base[0] &&
        (size_t)snprintf(buf, n, "%s.facts", base) < n)
        *out = buf;
    return CLI_OK;
}

const char *cli_user(void)
{
    const char *u = getenv("RAPPORT_USER");
    if (u && *u)
        return u;
    struct passwd *pw = getpwuid(getuid());
    return pw ? pw->pw_name : "unknown";
}

int cli_reason(const char *context, const char *reason)
{
    /* measured as the API measures it: blanks and invisible characters do not count */
    long seen = reason ? rp_utf8_visible(reason, strlen(reason)) : 0;
    if (seen == -1)
        return cli_failf(context, "--reason: not UTF-8");
    if (seen == -2)
        return cli_failf(context, "--reason: control characters are not allowed");
    if (seen < 5)
        return cli_failf(context, "--reason: say why the full values are needed (5 characters or more, blanks not "
                                  "counted)");
    if (strlen(reason) > WH_REASON_MAX)
        return cli_failf(context, "--reason: at most %d bytes", WH_REASON_MAX);
    return CLI_OK;
}

int cli_audit(cli_ctx *c, const char *action, int64_t customer, const char *reason, const char *detail)
{
    /* the trail is the store's own: written without the sealing key when the warehouse is not open */
    rp_store *own = NULL;
    rp_error err = RP_ERROR_INIT;
    if (!c->w) {
        char db[1024], key[1024];
        if (cli_store_target(c, db, sizeof db, key, sizeof key, &err) || rp_store_open(db, 0, &own, &err))
            return cli_fail(c->cmd->name, &err);
    }
    char target[80], scrubbed[512];
    snprintf(target, sizeof target, "rapport %s", c->cmd->name);
    if (detail)
        sec_scrub(detail, scrubbed, sizeof scrubbed);
    sec_audit_entry e = { .user = cli_user(), .address = "cli", .action = action, .target = target,
                          .reason = reason, .detail = detail ? scrubbed : NULL, .customer = customer };
    int rc = sec_audit(own ? own : wh_store(c->w), &e, &err);
    rp_store_close(own);
    return rc ? cli_fail(c->cmd->name, &err) : CLI_OK;
}

void cli_print_help(const cli_cmd *c)
{
    if ((c->help && *c->help) || c->more_help)
        printf("\n");
    if (c->more_help)
        c->more_help(stdout);
    if (c->help && *c->help)
        printf("%s", c->help);
}

static void print_help(const cli_cmd *c)
{
    printf("usage: %s\n\n%s\n", c->usage, c->summary);
    cli_print_help(c);
}

/* Parse the command's options, run it, release what it opened. */
static int run(const cli_cmd *cmd, int argc, char **argv)
{
    cli_ctx *c = calloc(1, sizeof *c);
    if (!c) {
        fprintf(stderr, "rapport: %s: out of memory\n", cmd->name);
        return CLI_FAIL;
    }
    c->cmd = cmd;
    unsigned long json_failures = rp_json_failures();
    int rc = cli_parse(c, argc, argv);
    if (rc == CLI_OK)
        rc = cmd->fn(c);
    /* jansson could not allocate a part of what the command built: json_object_set_new() and the
     * like say nothing, so what it printed may lack a member */
    if (rc == CLI_OK && rp_json_failures() != json_failures)
        rc = cli_failf(cmd->name, "%s: what it printed may be incomplete", rp_strerror(RP_NOMEM));
    cli_wh_close(c);
    rp_config_free(c->cfg);
    free(c);
    return rc;
}

int cli_main(int argc, char **argv)
{
    rp_log_init_from_env();
    if (argc < 2) {
        run(cli_find("help"), 0, NULL);
        return CLI_USAGE;
    }
    /* the longest command name that the words match: "customer show" before "customer" */
    const cli_cmd *cmd = NULL;
    int used = 0;
    if (argc >= 3) {
        char two[128];
        snprintf(two, sizeof two, "%s %s", argv[1], argv[2]);
        if ((cmd = cli_find(two)))
            used = 2;
    }
    if (!cmd && (cmd = cli_find(argv[1])))
        used = 1;
    if (!cmd) {
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
            return run(cli_find("help"), 0, NULL);
        if (strcmp(argv[1], "--version") == 0)
            return run(cli_find("version"), 0, NULL);
        /* a group word alone ("customer") lists its commands */
        size_t l = strlen(argv[1]);
        int group = 0;
        for (int i = 0; i < cli_ncommands; i++)
            if (strncmp(cli_commands[i].name, argv[1], l) == 0 && cli_commands[i].name[l] == ' ')
                group = 1;
        if (group) {
            int want_help = argc >= 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0);
            FILE *f = want_help ? stdout : stderr;
            if (!want_help && argc >= 3)
                fprintf(stderr, "rapport: %s: unknown command '%s'\n", argv[1], argv[2]);
            fprintf(f, "usage: rapport %s COMMAND\n\ncommands:\n", argv[1]);
            for (int i = 0; i < cli_ncommands; i++)
                if (strncmp(cli_commands[i].name, argv[1], l) == 0 && cli_commands[i].name[l] == ' ')
                    fprintf(f, "  %-18s %s\n", cli_commands[i].name, cli_commands[i].summary);
            return want_help ? CLI_OK : CLI_USAGE;
        }
        fprintf(stderr, "rapport: '%s' is not a command; see 'rapport help'\n", argv[1]);
        return CLI_USAGE;
    }
    for (int i = 1 + used; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            print_help(cmd);
            return CLI_OK;
        }
    }
    return run(cmd, argc - 1 - used, argv + 1 + used);
}
