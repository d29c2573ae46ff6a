/* cmd_customer.c — `rapport customer show`, `customer note` and `customer refresh`. */
#include "analytics/analytics.h"
#include "cli/cli.h"
#include "cli/table.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/progress.h"
#include "core/rtime.h"
#include "models/models.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *js(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* UTC ISO text to "YYYY-MM-DD HH:MM" in Asia/Taipei. */
static const char *local_time(const char *utc, char *out, size_t n)
{
    int64_t t;
    char full[RP_TIME_LOCAL_LEN];
    if (!*utc || rp_time_parse(utc, &t, NULL) != RP_OK) {
        snprintf(out, n, "%s", utc);
        return out;
    }
    rp_time_format_taipei(t, full);
    snprintf(out, n, "%.16s", full);
    return out;
}

static void section(const char *title, size_t rows)
{
    printf("\n%s%s\n", title, rows ? "" : "  (none)");
}

static void print_party(json_t *p, const char *how)
{
    char line[512];
    printf("Customer #%lld  %s%s%s\n", (long long)json_integer_value(json_object_get(p, "id")),
           js(p, "name_zh"), *js(p, "name_zh") && *js(p, "name_latin") ? "  " : "",
           js(p, "name_latin"));
    snprintf(line, sizeof line, "%s, %s", js(p, "kind"), js(p, "status"));
    printf("  %s", line);
    if (*js(p, "status_since"))
        printf(" since %s", js(p, "status_since"));
    if (*js(p, "birth_date")) {
        printf("; %s %s (%s)", strcmp(js(p, "kind"), "person") == 0 ? "born" : "founded",
               js(p, "birth_date"), js(p, "birth_date_roc"));
        if (json_object_get(p, "age"))
            printf(", age %lld", (long long)json_integer_value(json_object_get(p, "age")));
    }
    if (*js(p, "gender"))
        printf("; gender %s", js(p, "gender"));
    printf("\n");
    if (*js(p, "occupation") || *js(p, "income_band") || *js(p, "home_branch")) {
        const char *sep = "  ";
        if (*js(p, "occupation")) {
            printf("%soccupation %s", sep, js(p, "occupation"));
            sep = "; ";
        }
        if (*js(p, "income_band")) {
            printf("%sincome band %s", sep, js(p, "income_band"));
            sep = "; ";
        }
        if (*js(p, "home_branch"))
            printf("%shome branch %s %s", sep, js(p, "home_branch"), js(p, "home_branch_name"));
        printf("\n");
    }
    if (how)
        printf("  found by %s\n", how);
}

static void show_identifiers(json_t *arr)
{
    size_t i;
    json_t *o;
    table t;
    table_init(&t, 4, 2);
    json_array_foreach(arr, i, o) {
        const char *row[] = { js(o, "type"), js(o, "value"), js(o, "issuer"),
                              json_is_true(json_object_get(o, "masked")) ? "(masked)" : "" };
        table_row(&t, row);
    }
    table_print(&t, stdout);
    table_release(&t);
}

static void show_contacts(json_t *arr)
{
    size_t i;
    json_t *o;
    table t;
    char a[128], b[128];
    table_init(&t, 5, 2);
    json_array_foreach(arr, i, o) {
        snprintf(a, sizeof a, "%s%s%s", js(o, "postal_code"), *js(o, "postal_code") ? " " : "",
                 js(o, "value"));
        if (*js(o, "valid_to"))
            snprintf(b, sizeof b, "until %s", js(o, "valid_to"));
        else if (*js(o, "valid_from"))
            snprintf(b, sizeof b, "since %s", js(o, "valid_from"));
        else
            b[0] = 0;
        const char *row[] = { js(o, "kind"), js(o, "purpose"), a,
                              json_is_true(json_object_get(o, "primary")) ? "primary" : "", b };
        table_row(&t, row);
    }
    table_print(&t, stdout);
    table_release(&t);
}

static void show_accounts(json_t *arr)
{
    size_t i;
    json_t *o;
    table t;
    char a[128], b[128], c[128];
    table_init(&t, 7, 2);
    json_array_foreach(arr, i, o) {
        snprintf(a, sizeof a, "%s %s", js(o, "product"), js(o, "product_name"));
        snprintf(b, sizeof b, "opened %s", js(o, "opened_on"));
        if (json_is_integer(json_object_get(o, "limit_minor"))) {
            char lim[64];
            wh_money_format(json_integer_value(json_object_get(o, "limit_minor")), js(o, "currency"),
                            lim, sizeof lim);
            snprintf(c, sizeof c, "limit %s", lim);
        } else {
            c[0] = 0;
        }
        const char *row[] = { js(o, "role"), js(o, "number"), a, js(o, "status"), js(o, "balance"),
                              c, b };
        table_row(&t, row);
    }
    table_print(&t, stdout);
    table_release(&t);
}

static void show_related(json_t *arr)
{
    size_t i;
    json_t *o;
    table t;
    char a[128], b[128];
    table_init(&t, 4, 2);
    json_array_foreach(arr, i, o) {
        snprintf(a, sizeof a, "#%lld", (long long)json_integer_value(json_object_get(o, "party_id")));
        snprintf(b, sizeof b, "%s%s%s", js(o, "name_zh"), *js(o, "name_zh") && *js(o, "name_latin") ? "  " : "",
                 js(o, "name_latin"));
        const char *row[] = { js(o, "relation"), a, b,
                              strcmp(js(o, "status"), "active") ? js(o, "status") : "" };
        table_row(&t, row);
    }
    table_print(&t, stdout);
    table_release(&t);
}

static void show_transactions(json_t *arr)
{
    size_t i;
    json_t *o;
    table t;
    char a[128];
    table_init(&t, 6, 2);
    json_array_foreach(arr, i, o) {
        const char *row[] = { local_time(js(o, "posted_at"), a, sizeof a), js(o, "account"),
                              js(o, "channel"), js(o, "class"), js(o, "amount"),
                              js(o, "description") };
        table_row(&t, row);
    }
    table_print(&t, stdout);
    table_release(&t);
}

static void show_history(json_t *arr)
{
    size_t i;
    json_t *o;
    char a[128];
    json_array_foreach(arr, i, o) {
        printf("  %s  %s %s", local_time(js(o, "at"), a, sizeof a), js(o, "channel"),
               js(o, "direction"));
        if (*js(o, "staff"))
            printf("  by %s", js(o, "staff"));
        if (*js(o, "reason"))
            printf("  reason: %s", js(o, "reason"));
        if (*js(o, "outcome"))
            printf("  outcome: %s", js(o, "outcome"));
        printf("\n");
        if (*js(o, "notes"))
            printf("    %s\n", js(o, "notes"));
        if (*js(o, "follow_up_on"))
            printf("    follow up on %s\n", js(o, "follow_up_on"));
    }
}

static void show_consents(json_t *arr)
{
    size_t i;
    json_t *o;
    table t;
    char a[128];
    table_init(&t, 5, 2);
    json_array_foreach(arr, i, o) {
        char when[32];
        snprintf(a, sizeof a, "since %.10s", local_time(js(o, "effective_at"), when, sizeof when));
        const char *row[] = { js(o, "purpose"), js(o, "channel"),
                              json_is_true(json_object_get(o, "granted")) ? "granted" : "withdrawn",
                              a, js(o, "evidence") };
        table_row(&t, row);
    }
    table_print(&t, stdout);
    table_release(&t);
}

static void show_lineage(json_t *arr)
{
    size_t i;
    json_t *o;
    table t;
    char a[128], b[128];
    table_init(&t, 3, 2);
    json_array_foreach(arr, i, o) {
        snprintf(a, sizeof a, "%s:%s", js(o, "source"), js(o, "source_key"));
        snprintf(b, sizeof b, "job %lld", (long long)json_integer_value(json_object_get(o, "job_id")));
        const char *row[] = { a, b, js(o, "file") };
        table_row(&t, row);
    }
    table_print(&t, stdout);
    table_release(&t);
}

/* An analysis's latest result in a few words. */
static void score_words(const char *analysis, json_t *r, char *out, size_t n)
{
    if (!strcmp(analysis, "behaviour")) {
        int graded = json_is_string(json_object_get(r, "risk_grade")), p = json_is_number(json_object_get(r, "risk_p"));
        int k = snprintf(out, n, "%s%s%s", *js(r, "types") ? js(r, "types") : "general", graded ? "; risk grade " : "",
                         js(r, "risk_grade"));
        if (p && k >= 0 && (size_t)k < n)
            snprintf(out + k, n - (size_t)k, " (%.1f %% to fall 30 days past due)",
                     100 * json_number_value(json_object_get(r, "risk_p")));
    } else if (json_object_get(r, "level")) {
        snprintf(out, n, "decile %lld, level %s, profit %s", (long long)json_integer_value(json_object_get(r, "decile")),
                 js(r, "level"), js(r, "profit"));
    } else if (json_object_get(r, "cell")) {
        snprintf(out, n, "cell %lld", (long long)json_integer_value(json_object_get(r, "cell")));
    } else if (json_object_get(r, "clv")) {
        snprintf(out, n, "lifetime value %s, P(alive) %.2f", js(r, "clv"), json_number_value(json_object_get(r, "p_alive")));
    } else {
        snprintf(out, n, "%s", js(r, "segment"));
    }
}

static void show_scores(json_t *arr)
{
    size_t i;
    json_t *o;
    table t;
    char a[256], b[64];
    table_init(&t, 3, 2);
    json_array_foreach(arr, i, o) {
        score_words(js(o, "analysis"), json_object_get(o, "result"), a, sizeof a);
        snprintf(b, sizeof b, "as of %s", js(o, "as_of"));
        const char *row[] = { js(o, "analysis"), a, b };
        table_row(&t, row);
    }
    table_print(&t, stdout);
    table_release(&t);
}

static void show_predictions(json_t *arr)
{
    size_t i, k;
    json_t *o, *r;
    table t;
    char a[64], b[96], c[320];
    table_init(&t, 4, 2);
    json_array_foreach(arr, i, o) {
        snprintf(a, sizeof a, "%s v%lld", js(o, "model"), (long long)json_integer_value(json_object_get(o, "version")));
        snprintf(b, sizeof b, "%s: %.1f %%, decile %lld", js(o, "target"), 100 * json_number_value(json_object_get(o, "score")),
                 (long long)json_integer_value(json_object_get(o, "decile")));
        c[0] = 0;
        json_array_foreach(json_object_get(o, "reasons"), k, r)
            snprintf(c + strlen(c), sizeof c - strlen(c), "%s%s %s", k ? ", " : "because ", js(r, "feature"), js(r, "value"));
        const char *row[] = { a, b, c, js(o, "as_of") };
        table_row(&t, row);
    }
    table_print(&t, stdout);
    table_release(&t);
}

/* The sections of the 360 in the order shown: member, title, how, and whether an empty one is left
 * out (no analysis or model has run: nothing to say) rather than shown as "(none)". */
static const struct {
    const char *member, *title;
    void (*show)(json_t *arr);
    int quiet;
} sections[] = {
    { "scores", "Scores (the latest analyses)", show_scores, 1 },
    { "predictions", "Predictions (each kept model's latest scoring)", show_predictions, 1 },
    { "identifiers", "Identifiers", show_identifiers, 0 },
    { "contact_points", "Contact points", show_contacts, 0 },
    { "accounts", "Accounts", show_accounts, 0 },
    { "related_parties", "Related parties", show_related, 0 },
    { "transactions", "Latest transactions (Asia/Taipei)", show_transactions, 0 },
    { "interactions", "Contact history", show_history, 0 },
    { "consents", "Consents", show_consents, 0 },
    { "lineage", "Source records", show_lineage, 0 },
};

static void print_text(json_t *doc, const char *how)
{
    print_party(json_object_get(doc, "party"), how);
    for (size_t k = 0; k < sizeof sections / sizeof sections[0]; k++) {
        json_t *arr = json_object_get(doc, sections[k].member);
        if (sections[k].quiet && !json_array_size(arr))
            continue;
        section(sections[k].title, json_array_size(arr));
        sections[k].show(arr);
    }
}

int cmd_customer_show(cli_ctx *c)
{
    int json = cli_flag(c, "json"), reveal = cli_flag(c, "reveal");
    const char **pos = c->args, *reason = cli_arg(c, "reason");
    int rc;
    if (reveal && (rc = cli_reason("customer show", reason)))
        return rc;
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    int64_t id;
    const char *how = NULL;
    json_t *doc = NULL;
    if (wh_find(w, pos[0], &id, &how, &err) ||
        wh_c360(w, id, reveal ? WH_C360_REVEAL : 0, &doc, &err)) {
        cli_wh_close(c);
        return cli_fail("customer show", &err);
    }
    /* the analyses' and the models' latest word on the customer, as the API's scores give them */
    json_t *scores = NULL, *pred = NULL;
    int64_t pid = json_integer_value(json_object_get(json_object_get(doc, "party"), "id"));
    if (an_scores(w, pid, &scores, &err) || mdl_customer_scores(wh_store(w), pid, &pred, &err)) {
        json_decref(scores);
        json_decref(doc);
        cli_wh_close(c);
        return cli_fail("customer show", &err);
    }
    json_object_set_new(doc, "scores", scores);
    json_object_set_new(doc, "predictions", pred);
    /* who saw the customer, as the API records a view; a reveal with its reason */
    if ((rc = cli_audit(c, reveal ? "reveal" : "view", json_integer_value(json_object_get(
                                                          json_object_get(doc, "party"), "id")),
                        reveal ? reason : NULL, pos[0]))) {
        json_decref(doc);
        return rc;
    }
    cli_wh_close(c);
    if (json) {
        json_object_set_new(doc, "found_by", json_string(how));
        rp_buf b = RP_BUF_INIT;
        rp_json_dump(doc, 2, &b);
        printf("%s\n", rp_buf_str(&b));
        rp_buf_release(&b);
    } else {
        cli_printable(doc); /* what sources wrote, shown and never obeyed */
        print_text(doc, how);
    }
    json_decref(doc);
    return CLI_OK;
}

int cmd_customer_note(cli_ctx *c)
{
    const cli_cmd *self = c->cmd;
    wh_interaction ia = { 0 };
    const char **pos = c->args;
    ia.notes = cli_arg(c, "text");
    ia.channel = cli_arg(c, "channel");
    ia.direction = cli_arg(c, "direction");
    ia.reason = cli_arg(c, "reason");
    ia.outcome = cli_arg(c, "outcome");
    ia.follow_up_on = cli_arg(c, "follow-up");
    ia.staff = cli_arg(c, "staff");
    ia.at = cli_arg(c, "at");
    int rc;
    if (!ia.notes || !*ia.notes) {
        fprintf(stderr, "rapport: customer note: --text is required\nusage: %s\n", self->usage);
        return CLI_USAGE;
    }
    if (!ia.channel)
        ia.channel = "branch";
    if (!ia.staff)
        ia.staff = cli_user();
    ia.created_by = cli_user();
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    int64_t note;
    if (wh_find(w, pos[0], &ia.party_id, NULL, &err) || wh_begin(w, &err))
        goto out;
    if (wh_interaction_add(w, &ia, &note, &err) || wh_commit(w, &err)) {
        wh_rollback(w);
        goto out;
    }
    printf("added note %lld to customer #%lld\n", (long long)note, (long long)ia.party_id);
    cli_wh_close(c);
    return CLI_OK;
out:
    cli_wh_close(c);
    return cli_fail("customer note", &err);
}

int cmd_customer_refresh(cli_ctx *c)
{
    const cli_cmd *self = c->cmd;
    int all = cli_flag(c, "all"), verify = cli_flag(c, "verify"), json = cli_flag(c, "json");
    const char *every = cli_arg(c, "every");
    int rc;
    long n_every = 1;
    if (every) {
        char *end;
        n_every = strtol(every, &end, 10);
        if (!verify || *end || n_every < 1 || n_every > 1000000) {
            fprintf(stderr, "rapport: customer refresh: --every N (1 to 1000000) goes with --verify\nusage: %s\n",
                    self->usage);
            return CLI_USAGE;
        }
    }
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    if (!verify && (rc = cli_surge_wait(c, w, "customer refresh")))
        return rc;
    rp_error err = RP_ERROR_INIT;
    if (verify) {
        int64_t checked, differ;
        if (wh_c360doc_verify(w, (int)n_every, &checked, &differ, &err)) {
            cli_wh_close(c);
            return cli_fail("customer refresh", &err);
        }
        cli_wh_close(c);
        if (json) {
            json_t *o = json_pack("{s:I, s:I}", "checked", (json_int_t)checked, "differ", (json_int_t)differ);
            cli_print_json(o);
            json_decref(o);
        } else {
            printf("%lld kept documents compared with the warehouse: %lld differ\n", (long long)checked,
                   (long long)differ);
        }
        return differ ? CLI_FAIL : CLI_OK;
    }
    wh_c360doc_stats st;
    rc = wh_c360doc_refresh(w, all, 0, 500, !json, &st, &err);
    cli_wh_close(c);
    if (rc)
        return cli_fail("customer refresh", &err);
    if (json) {
        json_t *o = json_pack("{s:I, s:I, s:I, s:f}", "built", (json_int_t)st.built, "kept", (json_int_t)st.kept,
                              "customers", (json_int_t)st.customers, "seconds", st.seconds);
        cli_print_json(o);
        json_decref(o);
    } else {
        char b[32], k[32], n[32];
        rp_format_thousands(b, sizeof b, (uint64_t)st.built);
        rp_format_thousands(k, sizeof k, (uint64_t)st.kept);
        rp_format_thousands(n, sizeof n, (uint64_t)st.customers);
        printf("built %s customer 360 documents in %.1f s; %s of %s customers have one\n", b, st.seconds, k, n);
    }
    return CLI_OK;
}
