/* cmd_centre.c — rapport contact setup|show|agent|offer|event|tick|desk|interactions|interaction: the
 * live contact centre from the command line (contact.h): its skills, queues and agents, interactions
 * offered and what happens to them, agents' states, the timers.  What the switch and the agents'
 * screens do through the API, an operator or a script does here. */
#include "cli/cli.h"
#include "cli/table.h"
#include "contact/contact.h"
#include "core/json.h"
#include "core/rtime.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *S(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* --at as milliseconds (0: now); -1 said when it is not a time. */
static int at_of(cli_ctx *c, const char *cmd, int64_t *ms)
{
    rp_error err = RP_ERROR_INIT;
    *ms = 0;
    if (cli_arg(c, "at") && cc_time_parse("--at", cli_arg(c, "at"), ms, &err)) {
        cli_fail(cmd, &err);
        return -1;
    }
    return 0;
}

/* --at read and the store opened, the preamble of the commands that change the centre: CLI_OK, or the
 * exit code with the message said. */
static int open_at(cli_ctx *c, const char *cmd, int64_t *at, wh **w)
{
    return at_of(c, cmd, at) ? CLI_FAIL : cli_wh(c, 0, w, NULL);
}

static void print_assignments(const json_t *a)
{
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x)
        printf("  interaction %lld (%s) to %s%s%s: %s\n", (long long)json_integer_value(json_object_get(x, "interaction")),
               S(x, "channel"), S(x, "agent"), S(x, "sip") ? " at " : "", S(x, "sip") ? S(x, "sip") : "", S(x, "why"));
}

/* An interaction as a line: where it is, and for one waiting its place in line. */
static void print_change(const json_t *o)
{
    const json_t *ix = json_object_get(o, "interaction");
    const char *state = S(ix, "state");
    printf("interaction %lld (%s %s, queue %s): %s", (long long)json_integer_value(json_object_get(ix, "id")),
           S(ix, "channel"), S(ix, "external_id"), S(ix, "queue"), state);
    if (S(ix, "agent"))
        printf(", agent %s", S(ix, "agent"));
    if (!strcmp(state, "queued"))
        printf(", position %lld, about %lld s", (long long)json_integer_value(json_object_get(ix, "position")),
               (long long)json_integer_value(json_object_get(ix, "estimated_wait_s")));
    printf("%s\n", json_is_true(json_object_get(o, "repeated")) ? " (already so: nothing changed)" : "");
    if (json_array_size(json_object_get(o, "assignments"))) {
        printf("routed:\n");
        print_assignments(json_object_get(o, "assignments"));
    }
}

static int done(cli_ctx *c, json_t *o, void (*print)(const json_t *))
{
    cli_printable(o);
    if (cli_flag(c, "json"))
        cli_print_json(o);
    else
        print(o);
    json_decref(o);
    return CLI_OK;
}

int cmd_contact_setup(cli_ctx *c)
{
    const char *cmd = "contact setup";
    json_t *doc, *now;
    rp_error err = RP_ERROR_INIT;
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    if (rp_json_load_file(c->args[0], 4 << 20, &doc, &err))
        return cli_fail(cmd, &err);
    rc = cc_setup_put(w, doc, cli_user(), cc_clock_ms(), &err);
    json_decref(doc);
    if (rc)
        return cli_fail(cmd, &err);
    if ((rc = cli_audit(c, "contact_setup", 0, NULL, c->args[0])))
        return rc;
    if (cc_setup_get(w, &now, &err))
        return cli_fail(cmd, &err);
    printf("contact centre: %zu skills, %zu queues, %zu agents\n", json_array_size(json_object_get(now, "skills")),
           json_array_size(json_object_get(now, "queues")), json_array_size(json_object_get(now, "agents")));
    json_decref(now);
    return CLI_OK;
}

static void print_setup(const json_t *o)
{
    static const char *const qc[] = { "code", "name", "channel", "skill", "min_level", "strategy", "priority",
                                      "overflow_s", "target_s", "wrap_up_s", "number" };
    static const char *const qh[] = { "QUEUE", "NAME", "CHANNEL", "SKILL", "LEVEL", "STRATEGY", "PRIORITY",
                                      "OVERFLOW S", "TARGET S", "WRAP-UP S", "NUMBER" };
    static const char *const ac[] = { "login", "name", "sip", "state", "reason", "state_at" };
    static const char *const ah[] = { "AGENT", "NAME", "PHONE", "STATE", "REASON", "SINCE" };
    table_or_csv_json(json_object_get(o, "queues"), qc, qh, 11, 0, stdout);
    printf("\n");
    table_or_csv_json(json_object_get(o, "agents"), ac, ah, 6, 0, stdout);
}

int cmd_contact_show(cli_ctx *c)
{
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    if (cc_setup_get(w, &o, &err))
        return cli_fail("contact show", &err);
    return done(c, o, print_setup);
}

static void print_agent(const json_t *o)
{
    const json_t *a = json_object_get(o, "agent");
    printf("agent %s: %s%s%s%s since %s%s\n", S(a, "login"), S(a, "state"), S(a, "reason") ? " (" : "",
           S(a, "reason") ? S(a, "reason") : "", S(a, "reason") ? ")" : "", S(a, "state_at"),
           json_is_true(json_object_get(o, "repeated")) ? " (already so: nothing changed)" : "");
    if (json_array_size(json_object_get(o, "assignments"))) {
        printf("routed:\n");
        print_assignments(json_object_get(o, "assignments"));
    }
}

int cmd_contact_agent(cli_ctx *c)
{
    const char *cmd = "contact agent";
    int64_t at;
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    wh *w;
    int rc = open_at(c, cmd, &at, &w);
    if (rc)
        return rc;
    if (cc_agent_state(w, c->args[0], c->args[1], cli_arg(c, "reason"), NULL, 0, cli_user(), at, &o, &err))
        return cli_fail(cmd, &err);
    return done(c, o, print_agent);
}

int cmd_contact_offer(cli_ctx *c)
{
    const char *cmd = "contact offer";
    cc_offer_in in = { .channel = cli_arg(c, "channel") ? cli_arg(c, "channel") : "voice", .queue = cli_arg(c, "queue"),
                       .to = cli_arg(c, "to"), .external_id = cli_arg(c, "id"), .address = cli_arg(c, "from"),
                       .ivr_path = cli_arg(c, "ivr"), .reason = cli_arg(c, "reason"), .campaign = cli_arg(c, "campaign"),
                       .callback_at = cli_arg(c, "callback-at"), .direction_out = cli_flag(c, "outbound") };
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    wh *w;
    if (!in.external_id)
        return cli_failf(cmd, "--id ID is required (the switch's call id, a chat's or a message's)");
    int rc = open_at(c, cmd, &in.at_ms, &w);
    if (rc)
        return rc;
    if (cc_offer(w, &in, &o, &err))
        return cli_fail(cmd, &err);
    return done(c, o, print_change);
}

int cmd_contact_event(cli_ctx *c)
{
    const char *cmd = "contact event";
    cc_event_in ev = { .channel = cli_arg(c, "channel") ? cli_arg(c, "channel") : "voice", .external_id = cli_arg(c, "id"),
                       .event = c->args[c->args[1] ? 1 : 0], .agent = cli_arg(c, "agent"), .by = cli_user(),
                       .switch_ref = cli_arg(c, "switch-ref"), .disposition = cli_arg(c, "disposition"),
                       .note = cli_arg(c, "note"), .queue = cli_arg(c, "queue"), .to_agent = cli_arg(c, "to-agent"),
                       .reason = cli_arg(c, "reason"), .callback_at = cli_arg(c, "callback-at") };
    if (c->args[1]) {
        char *end;
        ev.interaction = strtoll(c->args[0], &end, 10);
        if (*end || ev.interaction < 1)
            return cli_failf(cmd, "'%.20s' is not an interaction's number", c->args[0]);
    } else if (!ev.external_id)
        return cli_failf(cmd, "the interaction: its number, or --id ID (and --channel)");
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    wh *w;
    int rc = open_at(c, cmd, &ev.at_ms, &w);
    if (rc)
        return rc;
    if (cc_event_apply(w, &ev, &o, &err))
        return cli_fail(cmd, &err);
    return done(c, o, print_change);
}

static void print_tick(const json_t *o)
{
    size_t i, dialled = 0;
    json_t *x;
    json_array_foreach(json_object_get(o, "dialled"), i, x) dialled += json_object_get(x, "customer") != NULL;
    printf("wrap-ups ended: %zu; agents gone quiet: %zu; dialled: %zu; routed: %zu\n",
           json_array_size(json_object_get(o, "wrapped_up")), json_array_size(json_object_get(o, "timed_out")), dialled,
           json_array_size(json_object_get(o, "assignments")));
    json_array_foreach(json_object_get(o, "dialled"), i, x) if (S(x, "done"))
        printf("dialler %lld done%s%s\n", (long long)json_integer_value(json_object_get(x, "dialler")),
               S(x, "why") ? ": " : "", S(x, "why") ? S(x, "why") : "");
    json_array_foreach(json_object_get(o, "surges"), i, x) {
        if (!strcmp(S(x, "surge"), "started"))
            printf("surge in queue %s: %lld calls in 15 minutes need %lld agents, %lld on duty; outbound cells paused: "
                   "%zu; batch work deferred, skills widened, call-backs offered\n",
                   S(x, "queue"), (long long)json_integer_value(json_object_get(x, "offered_15m")),
                   (long long)json_integer_value(json_object_get(x, "agents_needed")),
                   (long long)json_integer_value(json_object_get(x, "agents_on_duty")),
                   json_array_size(json_object_get(json_object_get(x, "actions"), "outbound_paused")));
        else
            printf("surge in queue %s over: what it paused resumed\n", S(x, "queue"));
    }
    print_assignments(json_object_get(o, "assignments"));
}

int cmd_contact_tick(cli_ctx *c)
{
    int64_t at;
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    wh *w;
    int rc = open_at(c, "contact tick", &at, &w);
    if (rc)
        return rc;
    if (cc_tick(w, at, &o, &err))
        return cli_fail("contact tick", &err);
    return done(c, o, print_tick);
}

static const char *const ix_cols[] = { "id", "channel", "external_id", "queue", "state", "agent", "address",
                                       "party_id", "offered_at", "disposition" };
static const char *const ix_heads[] = { "ID", "CHANNEL", "EXTERNAL ID", "QUEUE", "STATE", "AGENT", "FROM",
                                        "CUSTOMER", "OFFERED", "DISPOSITION" };

static void print_desk(const json_t *o)
{
    print_agent(o);
    table_or_csv_json(json_object_get(o, "interactions"), ix_cols, ix_heads, 10, 0, stdout);
}

int cmd_contact_desk(cli_ctx *c)
{
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    if (cc_desk(w, c->args[0], &o, &err))
        return cli_fail("contact desk", &err);
    return done(c, o, print_desk);
}

int cmd_contact_interactions(cli_ctx *c)
{
    const char *lim = cli_arg(c, "limit");
    char *end = NULL;
    int64_t limit = lim ? strtoll(lim, &end, 10) : 100;
    if (lim && (*end || limit < 1 || limit > 10000))
        return cli_failf("contact interactions", "--limit: from 1 to 10000, not '%.20s'", lim);
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    if (cc_interactions(w, cli_arg(c, "state"), cli_arg(c, "queue"), limit, &o, &err))
        return cli_fail("contact interactions", &err);
    cli_printable(o);
    if (cli_flag(c, "json"))
        cli_print_json(o);
    else
        table_or_csv_json(o, ix_cols, ix_heads, 10, cli_flag(c, "csv"), stdout);
    json_decref(o);
    return CLI_OK;
}

static void print_one(const json_t *ix)
{
    static const char *const ec[] = { "at", "event", "agent", "detail" };
    static const char *const eh[] = { "AT", "EVENT", "AGENT", "DETAIL" };
    printf("interaction %lld: %s %s, queue %s, %s%s%s\n", (long long)json_integer_value(json_object_get(ix, "id")),
           S(ix, "channel"), S(ix, "external_id"), S(ix, "queue"), S(ix, "state"), S(ix, "agent") ? ", agent " : "",
           S(ix, "agent") ? S(ix, "agent") : "");
    if (S(ix, "why"))
        printf("routed: %s\n", S(ix, "why"));
    table_or_csv_json(json_object_get(ix, "events"), ec, eh, 4, 0, stdout);
}

int cmd_contact_interaction(cli_ctx *c)
{
    char *end;
    int64_t id = strtoll(c->args[0], &end, 10);
    if (*end || id < 1)
        return cli_failf("contact interaction", "'%.20s' is not an interaction's number", c->args[0]);
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    if (cc_interaction_get(w, id, &o, &err))
        return cli_fail("contact interaction", &err);
    return done(c, o, print_one);
}

static void print_board(const json_t *o)
{
    static const char *const qc[] = { "code", "waiting", "longest_wait_s", "offered", "answered", "abandoned",
                                      "service_level", "asa_s", "aht_s", "abandonment", "fcr" };
    static const char *const qh[] = { "QUEUE", "WAITING", "LONGEST S", "OFFERED", "ANSWERED", "ABANDONED",
                                      "SERVICE LEVEL", "ASA S", "AHT S", "ABANDONMENT", "FCR" };
    static const char *const ac[] = { "login", "state", "reason", "state_at", "open", "handled", "occupancy" };
    static const char *const ah[] = { "AGENT", "STATE", "REASON", "SINCE", "OPEN", "HANDLED", "OCCUPANCY" };
    printf("the contact centre at %s, since %s\n", S(o, "as_of"), S(o, "since"));
    table_or_csv_json(json_object_get(o, "queues"), qc, qh, 11, 0, stdout);
    printf("\n");
    table_or_csv_json(json_object_get(o, "agents"), ac, ah, 7, 0, stdout);
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(o, "alerts"), i, a) {
        char v[40];
        if (!strcmp(S(a, "kind"), "surge")) {
            printf("alert: queue %s in a surge: %lld agents needed, %lld on duty\n", S(a, "queue"),
                   (long long)json_integer_value(json_object_get(a, "value")),
                   (long long)json_integer_value(json_object_get(a, "threshold")));
            continue;
        }
        const json_t *val = json_object_get(a, "value");
        snprintf(v, sizeof v, json_is_integer(val) ? "%.0f" : "%.4g", json_number_value(val));
        printf("alert: queue %s, %s %s (threshold %g)\n", S(a, "queue"), S(a, "kind"), v,
               json_number_value(json_object_get(a, "threshold")));
    }
}

int cmd_contact_board(cli_ctx *c)
{
    const char *cmd = "contact board";
    int64_t at;
    cc_board_opts o = { 0 };
    rp_error err = RP_ERROR_INIT;
    if (cli_arg(c, "since") && cc_time_parse("--since", cli_arg(c, "since"), &o.since_ms, &err))
        return cli_fail(cmd, &err);
    json_t *out;
    wh *w;
    int rc = open_at(c, cmd, &at, &w);
    if (rc)
        return rc;
    if (cc_wallboard(w, at, &o, &out, &err))
        return cli_fail(cmd, &err);
    return done(c, out, print_board);
}

static void drive_progress(const cc_drive_stats *s, void *cls)
{
    (void)cls;
    fprintf(stderr, "\r%6.0f s: %lld calls offered, %lld answered, %lld abandoned   ", s->elapsed_s,
            (long long)s->offered, (long long)s->answered, (long long)s->abandoned);
}

int cmd_contact_drive(cli_ctx *c)
{
    const char *cmd = "contact drive";
    struct { const char *opt; double min, max, def; } nums[] = {
        { "minutes", 0.1, 1440, 60 }, { "calls", 1, 1000000, 600 }, { "speed", 1, 3600, 60 }, { "aht", 1, 7200, 180 },
        { "patience", 0, 3600, 120 }, { "wrap", 0, 3600, 10 }, { "seed", 1, 1e15, 1 },
    };
    double v[7];
    for (int i = 0; i < 7; i++) {
        const char *s = cli_arg(c, nums[i].opt);
        char *end = NULL;
        v[i] = s ? strtod(s, &end) : nums[i].def;
        if (s && (!*s || *end || !(v[i] >= nums[i].min && v[i] <= nums[i].max)))
            return cli_failf(cmd, "--%s: a number from %g to %g, not '%.20s'", nums[i].opt, nums[i].min, nums[i].max, s);
    }
    cc_drive_opts o = { .queue = cli_arg(c, "queue"), .minutes = v[0], .calls = (int)v[1], .speed = v[2], .aht_s = v[3],
                        .patience_s = v[4], .wrap_s = v[5], .seed = (uint64_t)v[6], .run = (int64_t)time(NULL),
                        .ready_all = cli_flag(c, "ready") };
    if (!o.queue)
        return cli_failf(cmd, "--queue Q is required (the queue the calls come to)");
    cc_drive_stats st;
    rp_error err = RP_ERROR_INIT;
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    int tty = !cli_flag(c, "json") && isatty(2);
    rc = cc_drive(w, &o, tty ? drive_progress : NULL, NULL, &st, &err);
    if (tty)
        fprintf(stderr, "\n");
    if (rc)
        return cli_fail(cmd, &err);
    if (cli_flag(c, "json"))
        printf("{\"offered\": %lld, \"answered\": %lld, \"abandoned\": %lld, \"seconds\": %.1f}\n", (long long)st.offered,
               (long long)st.answered, (long long)st.abandoned, st.elapsed_s);
    else
        printf("queue %s: %lld calls offered, %lld answered, %lld abandoned in %.0f s (%.0f minutes of the centre)\n",
               o.queue, (long long)st.offered, (long long)st.answered, (long long)st.abandoned, st.elapsed_s,
               st.elapsed_s * o.speed / 60);
    return CLI_OK;
}

/* A day (taken as its midnight in Taipei) or an instant, as UTC seconds; -1 said when it is neither. */
static int when_of(const char *cmd, const char *opt, const char *v, int64_t *t)
{
    rp_error err = RP_ERROR_INIT;
    if (rp_time_parse(v, t, &err)) {
        cli_failf(cmd, "--%s: '%.40s' is not a day or a time (2026-11-01, 2026-11-01T09:00:00+08:00)", opt, v);
        return -1;
    }
    return 0;
}

int cmd_contact_report(cli_ctx *c)
{
    const char *cmd = "contact report", *by = cli_arg(c, "by") ? cli_arg(c, "by") : "queue";
    cc_report_opts o = { .by = !strcmp(by, "interval") ? CC_BY_INTERVAL : !strcmp(by, "agent") ? CC_BY_AGENT : CC_BY_QUEUE,
                         .interval_min = 30, .source = cli_arg(c, "source") };
    if (strcmp(by, "interval") && strcmp(by, "queue") && strcmp(by, "agent"))
        return cli_failf(cmd, "--by: interval, queue or agent, not '%.20s'", by);
    if (!cli_arg(c, "from") || !cli_arg(c, "to"))
        return cli_failf(cmd, "--from DAY and --to DAY are required (the period: from the first, before the second)");
    if (when_of(cmd, "from", cli_arg(c, "from"), &o.from) || when_of(cmd, "to", cli_arg(c, "to"), &o.to))
        return CLI_FAIL;
    if (cli_arg(c, "interval")) {
        char *end;
        long m = strtol(cli_arg(c, "interval"), &end, 10);
        if (*end || m < 5 || m > 1440)
            return cli_failf(cmd, "--interval: minutes from 5 to 1440, not '%.20s'", cli_arg(c, "interval"));
        o.interval_min = (int)m;
    }
    json_t *out;
    rp_error err = RP_ERROR_INIT;
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    if (cc_report(w, &o, &out, &err))
        return cli_fail(cmd, &err);
    cli_printable(out);
    if (cli_flag(c, "json")) {
        cli_print_json(out);
    } else {
        const char *cols[] = { by, "offered", "answered", "abandoned", "service_level", "asa_s", "aht_s", "abandonment",
                               "peak_concurrent", "sales", "revenue_per_call" };
        const char *heads[] = { !strcmp(by, "interval") ? "INTERVAL" : !strcmp(by, "agent") ? "AGENT" : "QUEUE", "OFFERED",
                                "ANSWERED", "ABANDONED", "SERVICE LEVEL", "ASA S", "AHT S", "ABANDONMENT", "PEAK",
                                "SALES", "REVENUE/CALL" };
        table_or_csv_json(json_object_get(out, "rows"), cols, heads, 11, cli_flag(c, "csv"), stdout);
    }
    json_decref(out);
    return CLI_OK;
}

int cmd_contact_keys(cli_ctx *c)
{
    const char *cmd = "contact keys";
    int64_t at;
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    wh *w;
    int rc = open_at(c, cmd, &at, &w);
    if (rc)
        return rc;
    /* "-": the keys from the standard input, so that a PIN is never on a command line `ps` shows */
    char keys[64];
    const char *digits = c->args[0];
    if (!strcmp(digits, "-")) {
        if (!fgets(keys, sizeof keys, stdin))
            return cli_failf(cmd, "no keys on the standard input");
        keys[strcspn(keys, "\r\n")] = 0;
        digits = keys;
    }
    rc = cc_ivr_input(w, cli_arg(c, "id"), digits, at, &o, &err);
    sodium_memzero(keys, sizeof keys);
    if (rc)
        return cli_fail(cmd, &err);
    if (!cli_flag(c, "json") && json_object_get(o, "ivr")) {
        const json_t *v = json_object_get(o, "ivr");
        printf("ivr %s at %s: %s\n", S(v, "flow"), S(v, "node"), S(v, "say"));
        json_decref(o);
        return CLI_OK;
    }
    return done(c, o, print_change);
}

int cmd_contact_pin(cli_ctx *c)
{
    const char *cmd = "contact pin";
    int64_t party;
    const char *how;
    rp_error err = RP_ERROR_INIT;
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    if (wh_find(w, c->args[0], &party, &how, &err))
        return cli_fail(cmd, &err);
    char pin[CC_PIN_LEN + 1];
    if (cc_pin_issue(w, party, cli_user(), cc_clock_ms(), pin, &err))
        return cli_fail(cmd, &err);
    if ((rc = cli_audit(c, "pin_issue", party, NULL, "a telephone PIN issued")))
        return rc;
    printf("customer %lld: telephone PIN %s (shown this once: hand it to the customer)\n", (long long)party, pin);
    return CLI_OK;
}

/* A chat's number from the command line (any leg of it): 0 said when it is not one. */
static int64_t chat_id(const char *cmd, const char *arg)
{
    char *end;
    int64_t id = strtoll(arg, &end, 10);
    if (*end || id < 1) {
        cli_failf(cmd, "'%.20s' is not an interaction's number", arg);
        return 0;
    }
    return id;
}

static void print_chat(const json_t *o)
{
    printf("chat %lld (interaction %lld): %s%s%s%s%s\n", (long long)json_integer_value(json_object_get(o, "chat")),
           (long long)json_integer_value(json_object_get(o, "interaction")), S(o, "state"), S(o, "agent") ? ", agent " : "",
           S(o, "agent") ? S(o, "agent") : "", S(o, "name") ? ", customer " : "", S(o, "name") ? S(o, "name") : "");
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(o, "messages"), i, m) {
        const char *from = S(m, "from");
        if (!strcmp(from, "system"))
            printf("%lld %s %s\n", (long long)json_integer_value(json_object_get(m, "seq")), S(m, "at"),
                   !strcmp(S(m, "text"), "customer_ended") ? "(the customer ended the chat)" : S(m, "text"));
        else
            printf("%lld %s %s%s%s: %s\n", (long long)json_integer_value(json_object_get(m, "seq")), S(m, "at"), from,
                   S(m, "agent") ? " " : "", S(m, "agent") ? S(m, "agent") : "", S(m, "text"));
    }
}

int cmd_contact_chat(cli_ctx *c)
{
    const char *cmd = "contact chat", *a = cli_arg(c, "after");
    int64_t id = chat_id(cmd, c->args[0]), after = 0;
    if (!id)
        return CLI_FAIL;
    char *end = NULL;
    if (a && ((after = strtoll(a, &end, 10)) < 0 || *end))
        return cli_failf(cmd, "--after: a message's number (0 or more), not '%.20s'", a);
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    wh *w;
    int rc = cli_wh(c, 0, &w, NULL);
    if (rc)
        return rc;
    cc_chat_viewer v = { .agent = cli_arg(c, "agent") };
    if (cc_chat_read(w, id, after, &v, 0, &o, &err))
        return cli_fail(cmd, &err);
    return done(c, o, print_chat);
}

static void print_said(const json_t *o)
{
    printf("chat %lld: message %lld from %s at %s\n", (long long)json_integer_value(json_object_get(o, "chat")),
           (long long)json_integer_value(json_object_get(o, "seq")), S(o, "agent"), S(o, "at"));
}

int cmd_contact_say(cli_ctx *c)
{
    const char *cmd = "contact say", *agent = cli_arg(c, "agent");
    int64_t id = chat_id(cmd, c->args[0]), at;
    if (!id)
        return CLI_FAIL;
    if (!agent)
        return cli_failf(cmd, "--agent LOGIN is required (the agent the chat is with)");
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    wh *w;
    int rc = open_at(c, cmd, &at, &w);
    if (rc)
        return rc;
    if (cc_chat_say(w, id, "agent", agent, c->args[1], at, &o, &err))
        return cli_fail(cmd, &err);
    json_object_del(o, "to_agent");
    return done(c, o, print_said);
}
