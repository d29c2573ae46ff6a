/*
 * cli.h — the `rapport` command line: one command table.
 *
 * A command is one function and one row.  To add one:
 *   1. write `int cmd_NAME(cli_ctx *c)` in src/cli/cmd_GROUP.c and declare
 *      it at the end of this header;
 *   2. add its row to cli_commands[] in src/cli/commands.c: the name (one or
 *      two words), the function, CLI_STORE if it uses the store, its options
 *      ("limit= json": `name=` takes a value, `name` alone is a flag), how
 *      many arguments it takes (least, most), a usage line, a one-line
 *      summary and the help text.
 * The dispatcher (cli.c) does what every command shares before the function
 * runs: it finds the row (the longest name the words match: "customer show"
 * before "customer"), answers --help, parses the options and arguments
 * against the row (unknown options, missing values and extra or missing
 * arguments are usage errors, exit 2) and, for CLI_STORE rows, adds --db,
 * --key and --config.  The function reads them with cli_arg() and
 * cli_flag(), opens the store with cli_wh() when it needs it (after its own
 * checks of its options, so a usage mistake never touches a store) and
 * reports failures with cli_fail() ("rapport: CONTEXT: MESSAGE" on stderr);
 * the dispatcher closes the store and frees the configuration after it
 * returns.  `rapport help --commands` lists the rows, so a test can walk the
 * table and check every command's --help.
 *
 * Files:
 *   main.c         main(): hands argv to cli_main (everything else is in the library)
 *   cli.c          the dispatcher: the row, --help, options and arguments, the store
 *   commands.c     the table of commands, `rapport help` and `rapport version`
 *   table.c        text tables aligned by display width (table.h)
 *   cmd_init.c     init               cmd_import.c   import
 *   cmd_gen.c      gen                cmd_query.c    query (read-only ad-hoc SQL)
 *   cmd_load.c     load (and its --preview), jobs, rejects, rejects export|resubmit|dismiss, watch,
 *                  copybook
 *   cmd_match.c    match, match review|accept|reject|merge|unmerge|export
 *   cmd_analyze.c  analyze, analyze runs|show|attributes
 *   cmd_customer.c customer show|note|refresh
 *   cmd_serve.c    serve              cmd_token.c    token add|list|revoke
 *   cmd_key.c      key rotate
 *   cmd_store.c    store copy (to PostgreSQL), backup, restore
 *   cmd_user.c     user add|passwd|role|disable|unlock|totp|list, user requests|approve|reject
 *   cmd_audit.c    audit, audit verify|archive
 *   cmd_calllist.c calllist add|show|remove
 *   cmd_model.c    model train|compare|uplift, sample-size
 *   cmd_features.c features: the customer signature as of a day
 *   cmd_modelstore.c model list|show|score|export|retire, and train --save
 *   cmd_campaign.c offer put|list, campaign create|set|cell|count|select|show|list|mart and the
 *                  lifecycle's steps (submit, approve, reject, launch, pause, resume, close, cancel),
 *                  targetlist add
 *   cmd_response.c campaign respond|observe|results: responses and results
 *   cmd_event.c    event detectors|rule|enable|disable|rules|run|feed|list, lead
 *                  list|work|assign|expire|results, campaign capacity, customer offers
 *   cmd_optimise.c campaign optimise: the treated given cells by the offer optimiser
 *   cmd_output.c   campaign export|send|dial: the lists per channel (CSV, XLSX), audited; e-mail sent
 *   cmd_contact.c  contact erlang|simulate: staffing by Erlang C, the centre simulated
 *   cmd_centre.c   contact setup|show|agent|offer|event|keys|pin|tick|desk|interactions|interaction|
 *                  board|drive|report|chat|say: the live centre, its IVR, reports and chats
 *   cmd_dial.c     contact dial|diallers|dialler: outbound dialling from campaigns
 *
 * Exit codes: 0 success, 1 failure, 2 usage error.
 */
#ifndef RP_CLI_H
#define RP_CLI_H

#include <jansson.h>
#include <stdio.h>
#include "core/config.h"
#include "core/error.h"
#include "warehouse/warehouse.h"

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

#define CLI_MAX_ARGS 256  /* positional arguments a command may take */
#define CLI_MAX_OPTS 32   /* options a row may declare */

typedef struct cli_ctx cli_ctx;

/* Row flags. */
enum { CLI_STORE = 1 /* takes --db, --key, --config; may open the store with cli_wh() */ };

typedef struct cli_cmd {
    const char *name;
    int (*fn)(cli_ctx *c);
    unsigned flags;
    const char *opts;            /* "limit= status= json" */
    int minargs, maxargs;        /* positional arguments */
    const char *usage;
    const char *summary;
    const char *help;
    void (*more_help)(FILE *f);  /* help made from another table, printed before help; or NULL */
} cli_cmd;

extern const cli_cmd cli_commands[];
extern const int cli_ncommands;

int cli_main(int argc, char **argv);

/* The options every store-using command takes: --db, --key, --config. */
typedef struct cli_store_opts {
    const char *db, *key, *config;
} cli_store_opts;

/* What the dispatcher hands a command. */
struct cli_ctx {
    const cli_cmd *cmd;                  /* its row */
    const char *args[CLI_MAX_ARGS + 1];  /* the positional arguments, NULL after the last */
    int nargs;
    cli_store_opts store;                /* --db, --key, --config as given */
    /* the dispatcher's: read them through the functions below */
    const char *val[CLI_MAX_OPTS];
    int set[CLI_MAX_OPTS];
    wh *w;
    rp_config *cfg;
    int cfg_loaded;
};

/* What the dispatcher does first: parse argv (after the command words)
 * against c->cmd's row, options into c, positional arguments into c->args.
 * On a usage error prints "rapport: CMD: ..." and the usage line, and
 * returns CLI_USAGE. */
int cli_parse(cli_ctx *c, int argc, char **argv);

/* The value of option `name` (declared "name=" in the row), or NULL when
 * not given; whether flag `name` was given. */
const char *cli_arg(const cli_ctx *c, const char *name);
int cli_flag(const cli_ctx *c, const char *name);
/* Open the store (once; the dispatcher closes it): --db, then $RAPPORT_DB,
 * then [store] path in the configuration file (--config or
 * $RAPPORT_CONFIG), then ./rapport.db; flags as wh_open's.  On failure the
 * message is printed and the exit code returned. */
int cli_wh(cli_ctx *c, int flags, wh **out, int *migrations);
/* Close the store early (before a long wait, or to let another connection
 * have it alone); harmless when it is not open. */
void cli_wh_close(cli_ctx *c);
/* The configuration file, loaded once (*out NULL when there is none). */
int cli_cfg(cli_ctx *c, rp_config **out, rp_error *err) RP_WARN_UNUSED;
/* Heavy batch work (an analysis, the kept 360s rebuilt) waits while the contact centre is in a surge
 * (contact.h cc_surges_open): CLI_FAIL said, unless --even-in-surge. */
int cli_surge_wait(cli_ctx *c, wh *w, const char *cmd);
/* A transport's password: $env, else the first line of [section] password_file read into pw (the
 * caller's to wipe and free); *out stays NULL when there is neither.  An unreadable file is an error
 * naming the setting. */
int cli_password(const rp_config *cfg, const char *env, const char *section, rp_buf *pw, const char **out,
                 rp_error *err) RP_WARN_UNUSED;

/* Print "rapport: CONTEXT: MESSAGE" to stderr; return CLI_FAIL (or
 * CLI_USAGE for RP_USAGE). */
int cli_fail(const char *context, const rp_error *err);
int cli_failf(const char *context, const char *fmt, ...) RP_PRINTF(2, 3);

/* Where the store and its key are, by the precedence above. */
int cli_store_target(cli_ctx *c, char *db, size_t dn, char *key, size_t kn, rp_error *err) RP_WARN_UNUSED;
/* A row's help: more_help's, then the text. */
void cli_print_help(const cli_cmd *c);
/* Print j as indented JSON and a newline on stdout (members in the order they were set). */
void cli_print_json(const json_t *j);
/* Every string in j that a terminal would obey (a control character, bytes
 * that are not UTF-8: data as it came from a file) made printable in place
 * (core/utf8.h), before j is printed as text. */
void cli_printable(json_t *j);
/* The analyses' column copy of the transactions beside the store's file
 * ([analytics] column_copy, yes by default; SQLite only), in buf, or
 * *out NULL to read the store.  CLI_FAIL with the message printed for a
 * bad setting. */
int cli_facts(const char *cmd, wh *w, const rp_config *cfg, char *buf, size_t n, const char **out);
/* The store (cli_wh) and the campaign selection copy a command reads (marketing.h mk_mart_get), for
 * cmd: the configuration, the analyses' column copy, progress unless --json; made again when stale,
 * with fresh also when older than [marketing] select_minutes (60), made afresh with --refresh where
 * the command takes it.  CLI_OK with *out to close (mk_mart_close), or the exit code with the
 * message printed (*out NULL). */
struct mk_mart;
int cli_mart(cli_ctx *c, const char *cmd, int fresh, wh **w, struct mk_mart **out);
/* Who is at the keyboard, for "recorded by" and the audit trail: $RAPPORT_USER
 * (a person working through a shared account names themselves), else the
 * operating-system user. */
const char *cli_user(void);
/* The command line is audited as the API is: an entry naming the user,
 * "cli" as the address, "rapport COMMAND" as the target, the action, the
 * customer (0 none), the reason and a detail (scrubbed of identifiers:
 * security.h sec_scrub).  Written to the open store (opened if need be)
 * before the command shows anything; CLI_FAIL, with the message printed,
 * when it cannot be written, and then the command shows nothing. */
int cli_audit(cli_ctx *c, const char *action, int64_t customer, const char *reason, const char *detail);
/* A reason given with --reason for what shows full values (--reveal, rejects
 * export): CLI_OK, or CLI_FAIL with the message printed when it is missing,
 * has fewer than five characters that are not blanks, or over WH_REASON_MAX bytes. */
int cli_reason(const char *context, const char *reason);
const cli_cmd *cli_find(const char *name);

int cmd_help(cli_ctx *c);
int cmd_version(cli_ctx *c);
int cmd_init(cli_ctx *c);
int cmd_store_copy(cli_ctx *c);
int cmd_backup(cli_ctx *c);
int cmd_restore(cli_ctx *c);
int cmd_customer_show(cli_ctx *c);
int cmd_customer_note(cli_ctx *c);
int cmd_customer_refresh(cli_ctx *c);
int cmd_query(cli_ctx *c);
int cmd_import(cli_ctx *c);
int cmd_gen(cli_ctx *c);
int cmd_load(cli_ctx *c);
int cmd_copybook(cli_ctx *c);
int cmd_jobs(cli_ctx *c);
int cmd_rejects(cli_ctx *c);
int cmd_rejects_export(cli_ctx *c);
int cmd_rejects_resubmit(cli_ctx *c);
int cmd_rejects_dismiss(cli_ctx *c);
int cmd_watch(cli_ctx *c);
int cmd_match(cli_ctx *c);
int cmd_match_review(cli_ctx *c);
int cmd_match_accept(cli_ctx *c);
int cmd_match_reject(cli_ctx *c);
int cmd_match_export(cli_ctx *c);
int cmd_match_evaluate(cli_ctx *c);
int cmd_match_sample(cli_ctx *c);
int cmd_match_merge(cli_ctx *c);
int cmd_match_unmerge(cli_ctx *c);
int cmd_analyze(cli_ctx *c);
void cmd_analyze_help(FILE *f);
int cmd_analyze_runs(cli_ctx *c);
int cmd_analyze_show(cli_ctx *c);
int cmd_analyze_attributes(cli_ctx *c);
int cmd_serve(cli_ctx *c);
int cmd_user_add(cli_ctx *c);
int cmd_user_passwd(cli_ctx *c);
int cmd_user_disable(cli_ctx *c);
int cmd_user_unlock(cli_ctx *c);
int cmd_user_totp(cli_ctx *c);
int cmd_user_list(cli_ctx *c);
int cmd_calllist_add(cli_ctx *c);
int cmd_model_train(cli_ctx *c);
int cmd_features(cli_ctx *c);
int cmd_model_list(cli_ctx *c);
int cmd_model_show(cli_ctx *c);
int cmd_model_score(cli_ctx *c);
int cmd_model_export(cli_ctx *c);
int cmd_model_retire(cli_ctx *c);
int cmd_model_at_risk(cli_ctx *c);
int cmd_model_uplift(cli_ctx *c);
/* model train --save NAME: the model measured kept in the store as NAME's next version (report's
 * "kept"); audited. */
int cli_model_name(const char *cmd, const char *name); /* CLI_OK, or CLI_FAIL said */
struct mdl_learner;
struct mdl_model;
struct mdl_frame;
int cli_model_keep(cli_ctx *c, const struct mdl_learner *l, const struct mdl_model *m, const struct mdl_frame *f,
                   json_t *report, const char *data, rp_error *err);
int cmd_model_compare(cli_ctx *c);
int cmd_sample_size(cli_ctx *c);
int cmd_calllist_show(cli_ctx *c);
int cmd_offer_put(cli_ctx *c);
int cmd_offer_list(cli_ctx *c);
int cmd_campaign_create(cli_ctx *c);
int cmd_campaign_set(cli_ctx *c);
int cmd_campaign_cell(cli_ctx *c);
int cmd_campaign_wave(cli_ctx *c);
int cmd_contact_erlang(cli_ctx *c);
int cmd_contact_simulate(cli_ctx *c);
int cmd_contact_setup(cli_ctx *c);
int cmd_contact_show(cli_ctx *c);
int cmd_contact_agent(cli_ctx *c);
int cmd_contact_offer(cli_ctx *c);
int cmd_contact_event(cli_ctx *c);
int cmd_contact_tick(cli_ctx *c);
int cmd_contact_dial(cli_ctx *c);
int cmd_contact_diallers(cli_ctx *c);
int cmd_contact_dialler(cli_ctx *c);
int cmd_contact_desk(cli_ctx *c);
int cmd_contact_interactions(cli_ctx *c);
int cmd_contact_interaction(cli_ctx *c);
int cmd_contact_board(cli_ctx *c);
int cmd_contact_drive(cli_ctx *c);
int cmd_contact_report(cli_ctx *c);
int cmd_contact_keys(cli_ctx *c);
int cmd_contact_pin(cli_ctx *c);
int cmd_contact_chat(cli_ctx *c);
int cmd_contact_say(cli_ctx *c);
int cmd_campaign_step(cli_ctx *c);
int cmd_campaign_count(cli_ctx *c);
int cmd_campaign_select(cli_ctx *c);
int cmd_campaign_show(cli_ctx *c);
int cmd_campaign_list(cli_ctx *c);
int cmd_campaign_mart(cli_ctx *c);
int cmd_targetlist_add(cli_ctx *c);
int cmd_campaign_respond(cli_ctx *c);
int cmd_campaign_capacity(cli_ctx *c);
int cmd_event_detectors(cli_ctx *c);
int cmd_event_rule(cli_ctx *c);
int cmd_event_enable(cli_ctx *c);
int cmd_event_disable(cli_ctx *c);
int cmd_event_rules(cli_ctx *c);
int cmd_event_run(cli_ctx *c);
int cmd_event_feed(cli_ctx *c);
int cmd_event_list(cli_ctx *c);
int cmd_lead_list(cli_ctx *c);
int cmd_lead_work(cli_ctx *c);
int cmd_lead_assign(cli_ctx *c);
int cmd_lead_expire(cli_ctx *c);
int cmd_lead_results(cli_ctx *c);
int cmd_customer_offers(cli_ctx *c);
/* After a load (cmd_load.c): the event rules over what it brought (cmd_event.c). */
void cli_events_after_load(cli_ctx *c, wh *w, int quiet);
int cmd_campaign_observe(cli_ctx *c);
int cmd_campaign_results(cli_ctx *c);
int cmd_campaign_export(cli_ctx *c);
int cmd_campaign_send(cli_ctx *c);
int cmd_campaign_optimise(cli_ctx *c);
int cmd_campaign_dial(cli_ctx *c);
int cmd_calllist_remove(cli_ctx *c);
int cmd_key_rotate(cli_ctx *c);
int cmd_token_add(cli_ctx *c);
int cmd_token_list(cli_ctx *c);
int cmd_token_revoke(cli_ctx *c);
int cmd_user_role(cli_ctx *c);
int cmd_user_requests(cli_ctx *c);
int cmd_user_approve(cli_ctx *c);
int cmd_user_reject(cli_ctx *c);
int cmd_audit(cli_ctx *c);
int cmd_audit_verify(cli_ctx *c);
int cmd_audit_archive(cli_ctx *c);

#endif
