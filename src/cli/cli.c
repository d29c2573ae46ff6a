/* cli.c — dispatch, option parsing, errors, opening the store. */
#include "cli/cli.h"
#include "core/config.h"
#include "core/log.h"

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

int cli_fail(const char *context, const rp_error *err)
{
    fprintf(stderr, "rapport: %s: %s\n", context, rp_errmsg(err));
    return err->code == RP_USAGE ? CLI_USAGE : CLI_FAIL;
}

int cli_failf(const char *context, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "rapport: %s: %s\n", context, msg);
    return CLI_FAIL;
}

static int usage_error(const cli_cmd *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "rapport: %s: ", cmd->name);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nusage: %s\n", cmd->usage);
    return CLI_USAGE;
}

int cli_parse(const cli_cmd *cmd, int argc, char **argv, const cli_opt *opts, const char **pos,
              int minpos, int maxpos)
{
    int npos = 0, only_pos = 0;
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
            const cli_opt *o = NULL;
            for (const cli_opt *p = opts; p && p->name; p++)
                if (strlen(p->name) == nl && strncmp(p->name, name, nl) == 0) {
                    o = p;
                    break;
                }
            if (!o)
                return usage_error(cmd, "unknown option '%s'", a);
            if (o->flag) {
                if (eq)
                    return usage_error(cmd, "option '%s' takes no value", a);
                *o->flag = 1;
            } else if (eq) {
                *o->sval = eq + 1;
            } else if (i + 1 < argc) {
                *o->sval = argv[++i];
            } else {
                return usage_error(cmd, "option '%s' needs a value", a);
            }
            continue;
        }
        if (!only_pos && a[0] == '-' && a[1] && !(a[1] >= '0' && a[1] <= '9'))
            return usage_error(cmd, "unknown option '%s'", a);
        if (npos >= maxpos)
            return usage_error(cmd, "unexpected argument '%s'", a);
        pos[npos++] = a;
    }
    if (npos < minpos)
        return usage_error(cmd, "%s", minpos - npos == 1 ? "missing argument" : "missing arguments");
    return CLI_OK;
}

int cli_config(const cli_store_opts *o, rp_config **out, rp_error *err)
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

int cli_store_target(const cli_store_opts *o, char *db, size_t dn, char *key, size_t kn,
                     rp_error *err)
{
    const char *d = o->db, *k = o->key;
    if (!d && getenv("RAPPORT_DB") && *getenv("RAPPORT_DB"))
        d = getenv("RAPPORT_DB");
    if (!k && getenv("RAPPORT_KEY") && *getenv("RAPPORT_KEY"))
        k = getenv("RAPPORT_KEY");
    rp_config *c = NULL;
    int rc = cli_config(o, &c, err);
    if (rc)
        return rc;
    if (c) {
        if (!d)
            d = rp_config_get(c, "store", "path", NULL);
        if (!k)
            k = rp_config_get(c, "security", "key_file", NULL);
    }
    snprintf(db, dn, "%s", d ? d : "rapport.db");
    if (k)
        snprintf(key, kn, "%s", k);
    else
        snprintf(key, kn, "%s.key", db);
    rp_config_free(c);
    return RP_OK;
}

int cli_open(const cli_cmd *cmd, const cli_store_opts *o, int flags, wh **out, int *migrations)
{
    char db[1024], key[1024];
    rp_error err = RP_ERROR_INIT;
    if (cli_store_target(o, db, sizeof db, key, sizeof key, &err) ||
        wh_open(db, key, flags, out, migrations, &err))
        return cli_fail(cmd->name, &err);
    return CLI_OK;
}

void cli_print_json(const json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    printf("%s\n", s ? s : "null");
    free(s);
}

const char *cli_user(void)
{
    const char *u = getenv("RAPPORT_USER");
    if (u && *u)
        return u;
    struct passwd *pw = getpwuid(getuid());
    return pw ? pw->pw_name : "unknown";
}

static void print_help(const cli_cmd *c)
{
    printf("usage: %s\n\n%s\n", c->usage, c->summary);
    if (c->help && *c->help)
        printf("\n%s", c->help);
}

int cli_main(int argc, char **argv)
{
    rp_log_init_from_env();
    if (argc < 2) {
        cmd_help(0, NULL);
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
            return cmd_help(0, NULL);
        if (strcmp(argv[1], "--version") == 0)
            return cmd_version(0, NULL);
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
    return cmd->fn(argc - 1 - used, argv + 1 + used);
}
