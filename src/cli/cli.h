/*
 * cli.h — the `rapport` command line: one command table.
 *
 * Adding a command takes three steps:
 *   1. write `int cmd_NAME(int argc, char **argv)` in src/cli/cmd_NAME.c,
 *      parsing its options with cli_parse() and reporting failures with
 *      cli_fail() (which prints "rapport: CONTEXT: MESSAGE" on stderr);
 *   2. declare it below;
 *   3. add one row to cli_commands[] in src/cli/commands.c: the name (one
 *      or two words), the handler, a usage line, a one-line summary and the
 *      help text.
 * The dispatcher answers `--help` for every row, so a test can walk the
 * table (`rapport help --commands`) and check them all.
 *
 * Exit codes: 0 success, 1 failure, 2 usage error.
 */
#ifndef RP_CLI_H
#define RP_CLI_H

#include <jansson.h>
#include "core/config.h"
#include "core/error.h"
#include "warehouse/warehouse.h"

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

typedef struct cli_cmd {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *usage;
    const char *summary;
    const char *help;
} cli_cmd;

extern const cli_cmd cli_commands[];
extern const int cli_ncommands;

int cli_main(int argc, char **argv);

/* One option: "--name" with an argument (*sval) or a flag (*flag = 1). */
typedef struct cli_opt {
    const char *name;
    const char **sval;
    int *flag;
} cli_opt;

/* Parse argv (after the command words) against opts; positional arguments
 * go to pos (at most maxpos, at least minpos).  On a usage error prints
 * "rapport: CMD: ..." and the usage line, and returns CLI_USAGE. */
int cli_parse(const cli_cmd *cmd, int argc, char **argv, const cli_opt *opts, const char **pos,
              int minpos, int maxpos);

/* Print "rapport: CONTEXT: MESSAGE" to stderr; return CLI_FAIL (or
 * CLI_USAGE for RP_USAGE). */
int cli_fail(const char *context, const rp_error *err);
int cli_failf(const char *context, const char *fmt, ...) RP_PRINTF(2, 3);

/* The options every store-using command takes: --db, --key, --config. */
typedef struct cli_store_opts {
    const char *db, *key, *config;
} cli_store_opts;
#define CLI_STORE_OPTS(o) { "db", &(o).db, NULL }, { "key", &(o).key, NULL }, \
                          { "config", &(o).config, NULL }

/* Open the warehouse: --db, then $RAPPORT_DB, then [store] path in the
 * configuration file (--config or $RAPPORT_CONFIG), then ./rapport.db. */
int cli_open(const cli_cmd *cmd, const cli_store_opts *o, int flags, wh **out, int *migrations);
/* Where the store and its key are, by the precedence above. */
/* The configuration file (--config, then $RAPPORT_CONFIG), or *out NULL
 * when there is none. */
int cli_config(const cli_store_opts *o, rp_config **out, rp_error *err);
int cli_store_target(const cli_store_opts *o, char *db, size_t dn, char *key, size_t kn,
                     rp_error *err) RP_WARN_UNUSED;
/* Print j as indented JSON and a newline on stdout (members in the order they were set). */
void cli_print_json(const json_t *j);
/* Who is at the keyboard, for "recorded by". */
const char *cli_user(void);
const cli_cmd *cli_find(const char *name);

int cmd_help(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_customer_show(int argc, char **argv);
int cmd_customer_note(int argc, char **argv);
int cmd_customer_refresh(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_jobs(int argc, char **argv);
int cmd_rejects(int argc, char **argv);
int cmd_rejects_export(int argc, char **argv);
int cmd_rejects_resubmit(int argc, char **argv);
int cmd_rejects_dismiss(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_match(int argc, char **argv);
int cmd_match_review(int argc, char **argv);
int cmd_match_accept(int argc, char **argv);
int cmd_match_reject(int argc, char **argv);
int cmd_match_export(int argc, char **argv);
int cmd_match_merge(int argc, char **argv);
int cmd_match_unmerge(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_analyze_runs(int argc, char **argv);
int cmd_analyze_show(int argc, char **argv);
int cmd_analyze_attributes(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user_add(int argc, char **argv);
int cmd_user_passwd(int argc, char **argv);
int cmd_user_disable(int argc, char **argv);
int cmd_user_list(int argc, char **argv);
int cmd_audit(int argc, char **argv);

#endif
