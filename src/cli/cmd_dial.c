/* cmd_dial.c — rapport contact dial|diallers|dialler: outbound dialling from campaigns (contact.h,
 * dial.c): a dialler started on a running campaign's outbound_call cell, paused, resumed or stopped,
 * and its progress by outcome. */
#include "cli/cli.h"
#include "cli/table.h"
#include "contact/contact.h"
#include "core/json.h"
#include "marketing/marketing.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *S(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static long long I(const json_t *o, const char *k) { return (long long)json_integer_value(json_object_get(o, k)); }

static void print_dialler(const json_t *o)
{
    const json_t *d = json_object_get(o, "dialler");
    printf("dialler %lld: campaign %s cell %s, queue %s, %s; %s-%s on days %s, %lld attempts %lld minutes apart\n",
           I(d, "id"), S(d, "campaign"), S(d, "cell"), S(d, "queue"), S(d, "state"), S(d, "hours_from"),
           S(d, "hours_to"), S(d, "days"), I(d, "attempts"), I(d, "retry_min"));
    printf("customers %lld: waiting %lld, dialling %lld, done %lld; calls made %lld; sales %lld, refusals %lld\n",
           I(d, "customers"), I(d, "waiting"), I(d, "dialling"), I(d, "done"), I(d, "attempts_made"), I(d, "sales"),
           I(d, "refusals"));
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(o, "outcomes"), i, x)
        printf("  %-14s %lld\n", S(x, "outcome"), I(x, "customers"));
    if (json_object_get(o, "entries")) {
        static const char *const ec[] = { "customer", "phone", "state", "attempts", "next_at", "agent", "outcome",
                                          "response", "detail" };
        static const char *const eh[] = { "CUSTOMER", "PHONE", "STATE", "ATTEMPTS", "NEXT", "AGENT", "OUTCOME",
                                          "RESPONSE", "DETAIL" };
        printf("\n");
        table_or_csv_json(json_object_get(o, "entries"), ec, eh, 9, 0, stdout);
    }
}

static int number(const char *cmd, const char *name, const char *s, int lo, int hi, int *v)
{
    char *end;
    long n = s ? strtol(s, &end, 10) : 0;
    if (!s)
        return CLI_OK;
    if (!*s || *end || n < lo || n > hi)
        return cli_failf(cmd, "--%s: '%.20s' is not a number from %d to %d", name, s, lo, hi);
    *v = (int)n;
    return CLI_OK;
}

int cmd_contact_dial(cli_ctx *c)
{
    const char *cmd = "contact dial";
    cc_dial_opts o = { .campaign = c->args[0], .cell = cli_arg(c, "cell"), .queue = cli_arg(c, "queue"),
                       .days = cli_arg(c, "days") };
    char from[8] = "", to[8] = "";
    const char *hours = cli_arg(c, "hours");
    if (hours) {
        if (strlen(hours) != 11 || hours[5] != '-')
            return cli_failf(cmd, "--hours: '%.20s' is not FROM-TO (09:00-21:00)", hours);
        memcpy(from, hours, 5), memcpy(to, hours + 6, 5);
        o.hours_from = from, o.hours_to = to;
    }
    int rc;
    if ((rc = number(cmd, "attempts", cli_arg(c, "attempts"), 1, 10, &o.attempts)) ||
        (rc = number(cmd, "retry", cli_arg(c, "retry"), 1, 10080, &o.retry_min)))
        return rc;
    if (!o.cell || !o.queue)
        return cli_failf(cmd, "--cell and --queue are required");
    wh *w;
    mk_mart *m;
    if ((rc = cli_mart(c, cmd, 1, &w, &m)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *out;
    rc = cc_dial_start(w, m, &o, cli_user(), 0, &out, &err);
    mk_mart_close(m);
    if (rc)
        return cli_fail(cmd, &err);
    char what[200];
    snprintf(what, sizeof what, "dialler %lld: campaign %.40s cell %.32s, %lld customers",
             I(json_object_get(out, "dialler"), "id"), o.campaign, o.cell, I(out, "customers"));
    if ((rc = cli_audit(c, "dialler_start", 0, NULL, what))) {
        json_decref(out);
        return rc;
    }
    if (cli_flag(c, "json")) {
        cli_print_json(out);
    } else {
        print_dialler(out);
        const json_t *sk = json_object_get(out, "skipped");
        const char *k;
        json_t *v;
        printf("not dialled:");
        json_object_foreach((json_t *)sk, k, v) printf(" %s %lld", k, (long long)json_integer_value(v));
        printf("\n");
    }
    json_decref(out);
    return CLI_OK;
}

int cmd_contact_diallers(cli_ctx *c)
{
    static const char *const cols[] = { "id", "campaign", "cell", "queue", "state", "customers", "waiting", "dialling",
                                        "done", "attempts_made", "sales", "refusals" };
    static const char *const heads[] = { "DIALLER", "CAMPAIGN", "CELL", "QUEUE", "STATE", "CUSTOMERS", "WAITING",
                                         "DIALLING", "DONE", "CALLS", "SALES", "REFUSALS" };
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    json_t *out;
    rp_error err = RP_ERROR_INIT;
    if (cc_diallers(w, &out, &err))
        return cli_fail("contact diallers", &err);
    if (cli_flag(c, "json"))
        cli_print_json(out);
    else
        table_or_csv_json(out, cols, heads, 12, cli_flag(c, "csv"), stdout);
    json_decref(out);
    return CLI_OK;
}

/* rapport contact dialler N [--pause|--resume|--stop] [--entries N] */
int cmd_contact_dialler(cli_ctx *c)
{
    const char *cmd = "contact dialler";
    char *end;
    long long id = strtoll(c->args[0], &end, 10);
    if (*end || id < 1)
        return cli_failf(cmd, "'%.20s' is not a dialler's number", c->args[0]);
    int entries = 0, rc, steer = cli_flag(c, "pause") + cli_flag(c, "resume") + cli_flag(c, "stop");
    if ((rc = number(cmd, "entries", cli_arg(c, "entries"), 1, 10000, &entries)))
        return rc;
    if (steer > 1)
        return cli_failf(cmd, "one of --pause, --resume and --stop");
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    json_t *out;
    rp_error err = RP_ERROR_INIT;
    if (steer) {
        const char *state = cli_flag(c, "pause") ? "paused" : cli_flag(c, "resume") ? "running" : "stopped";
        if (cc_dial_state(w, id, state, cli_user(), 0, &out, &err))
            return cli_fail(cmd, &err);
        json_decref(out);
        char what[80];
        snprintf(what, sizeof what, "dialler %lld %s", id, state);
        if ((rc = cli_audit(c, "dialler_state", 0, NULL, what)))
            return rc;
    }
    if (cc_dialler_get(w, id, entries, &out, &err))
        return cli_fail(cmd, &err);
    if (cli_flag(c, "json"))
        cli_print_json(out);
    else
        print_dialler(out);
    json_decref(out);
    return CLI_OK;
}
