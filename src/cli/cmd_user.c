/* cmd_user.c — rapport user add, passwd, role, disable, unlock, totp, list: the web application's users,
 * managed by the system's operator (their changes apply at once, audited); and user requests, approve,
 * reject: the changes administrators asked for through the API that wait for a second one (security.h,
 * "separation of duties"). */
#include "cli/cli.h"
#include "cli/table.h"
#include "core/rtime.h"
#include "security/security.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

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

/* A user's branch is one of the store's branches (NULL: none given). */
static int branch_known(wh *w, const char *branch, rp_error *err)
{
    int exists = 0, rc;
    if (!branch)
        return RP_OK;
    if ((rc = wh_branch_exists(w, branch, &exists, err)))
        return rc;
    return exists ? RP_OK : rp_err(err, RP_INVAL, "branch: no branch '%s'", branch);
}

int cmd_user_add(cli_ctx *c)
{
    const char *role = cli_arg(c, "role"), *branch = cli_arg(c, "branch"), *name = c->args[0];
    int rc;
    if (!role)
        return cli_failf("user add", "--role: one of teller, rm, csr, tsr, supervisor, analyst, steward, admin, "
                                     "auditor");
    char pw[1100];
    if ((rc = password_arg("user add", pw, sizeof pw)))
        return rc;
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL))) {
        memset(pw, 0, sizeof pw);
        return rc;
    }
    rp_error err = RP_ERROR_INIT;
    sec_user u;
    rc = branch_known(w, branch, &err);
    if (!rc)
        rc = sec_user_add(wh_store(w), name, role, branch, pw, cli_user(), &u, &err);
    memset(pw, 0, sizeof pw);
    if (!rc) {
        sec_audit_entry e = { .user = cli_user(), .action = "user_add", .target = name, .detail = role };
        rc = sec_audit(wh_store(w), &e, &err);
    }
    cli_wh_close(c);
    if (rc)
        return cli_fail("user add", &err);
    printf("user %s added: %s%s%s\n", u.name, sec_role_titles[u.role], u.branch[0] ? ", branch " : "", u.branch);
    return CLI_OK;
}

int cmd_user_passwd(cli_ctx *c)
{
    const char *name = c->args[0];
    int rc;
    char pw[1100];
    if ((rc = password_arg("user passwd", pw, sizeof pw)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    rp_config *cfg = NULL;
    sec_signin_policy pol;
    if (cli_cfg(c, &cfg, &err) || sec_signin_config(cfg, &pol, &err)) {
        memset(pw, 0, sizeof pw);
        return cli_fail("user passwd", &err);
    }
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL))) {
        memset(pw, 0, sizeof pw);
        return rc;
    }
    rc = sec_password_change(wh_store(w), name, pw, pol.password_history, cli_user(), NULL, &err);
    memset(pw, 0, sizeof pw);
    if (!rc) {
        sec_audit_entry e = { .user = cli_user(), .action = "user_passwd", .target = name };
        rc = sec_audit(wh_store(w), &e, &err);
    }
    cli_wh_close(c);
    if (rc)
        return cli_fail("user passwd", &err);
    printf("password of %s changed; their sessions are ended\n", name);
    return CLI_OK;
}

int cmd_user_disable(cli_ctx *c)
{
    const char *name = c->args[0];
    int enable = cli_flag(c, "enable");
    int rc;
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    rc = sec_user_disable(wh_store(w), name, !enable, cli_user(), &err);
    if (!rc) {
        sec_audit_entry e = { .user = cli_user(), .action = enable ? "user_enable" : "user_disable", .target = name };
        rc = sec_audit(wh_store(w), &e, &err);
    }
    cli_wh_close(c);
    if (rc)
        return cli_fail("user disable", &err);
    printf("user %s %s\n", name, enable ? "enabled" : "disabled; their sessions are ended");
    return CLI_OK;
}

int cmd_user_unlock(cli_ctx *c)
{
    const char *name = c->args[0];
    int rc, was_locked = 0;
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    rc = sec_user_unlock(wh_store(w), name, rp_now(), &was_locked, &err);
    if (!rc) {
        sec_audit_entry e = { .user = cli_user(), .action = "user_unlock", .target = name,
                              .detail = was_locked ? "was locked" : "was not locked" };
        rc = sec_audit(wh_store(w), &e, &err);
    }
    cli_wh_close(c);
    if (rc)
        return cli_fail("user unlock", &err);
    printf("user %s %s\n", name, was_locked ? "unlocked" : "was not locked; their failed sign-ins are cleared");
    return CLI_OK;
}

/* A new second factor (TOTP) for a user, shown once; or --remove it.  The
 * change and its audit entry land together, and the secret is printed only
 * when both have. */
int cmd_user_totp(cli_ctx *c)
{
    const char *name = c->args[0];
    int remove = cli_flag(c, "remove");
    int rc, had = 0;
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    sec_totp_enrolment t;
    memset(&t, 0, sizeof t);
    if (!(rc = wh_begin(w, &err))) {
        rc = remove ? sec_totp_remove(wh_store(w), name, &had, &err)
                    : sec_totp_enrol(wh_store(w), wh_keyring(w), name, cli_user(), rp_now(), &t, &err);
        sec_audit_entry e = { .user = cli_user(), .address = "cli", .action = remove ? "user_totp_remove" : "user_totp",
                              .target = name,
                              .detail = remove ? (had ? "removed" : "there was none")
                                               : "a new second factor; the secret shown once" };
        if (rc || (rc = sec_audit(wh_store(w), &e, &err)) || (rc = wh_commit(w, &err)))
            wh_rollback(w);
    }
    cli_wh_close(c);
    if (rc) {
        memset(&t, 0, sizeof t);
        return cli_fail("user totp", &err);
    }
    if (remove)
        printf(had ? "user %s: second factor removed\n" : "user %s had no second factor\n", name);
    else
        printf("user %s: a new second factor (TOTP, RFC 6238: SHA-1, 6 digits, 30 s); it is shown this once:\n"
               "  secret  %s\n  uri     %s\n",
               name, t.secret, t.uri);
    memset(&t, 0, sizeof t);
    return CLI_OK;
}

/* active, disabled, or locked (until when) */
static const char *user_state(json_t *u, char *buf, size_t n)
{
    if (json_is_true(json_object_get(u, "disabled")))
        return "disabled";
    if (!json_is_true(json_object_get(u, "locked")))
        return "active";
    const char *until = json_string_value(json_object_get(u, "locked_until"));
    snprintf(buf, n, "locked %s%s", until ? "until " : "until unlocked", until ? until : "");
    return buf;
}

int cmd_user_list(cli_ctx *c)
{
    int json = cli_flag(c, "json");
    int rc;
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    if ((rc = cli_audit(c, "users_read", 0, NULL, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *a;
    rc = sec_user_list(wh_store(w), &a, &err);
    cli_wh_close(c);
    if (rc)
        return cli_fail("user list", &err);
    if (json) {
        cli_print_json(a);
    } else {
        table t;
        table_init(&t, 6, 0);
        const char *head[6] = { "user", "role", "branch", "state", "totp", "since" };
        table_row(&t, head);
        size_t i;
        json_t *u;
        json_array_foreach(a, i, u) {
            char state[64];
            const char *row[6] = { json_string_value(json_object_get(u, "name")),
                                   json_string_value(json_object_get(u, "role")),
                                   json_string_value(json_object_get(u, "branch")),
                                   user_state(u, state, sizeof state),
                                   json_is_true(json_object_get(u, "totp")) ? "yes" : "",
                                   json_string_value(json_object_get(u, "created_at")) };
            table_row(&t, row);
        }
        table_print(&t, stdout);
        table_release(&t);
    }
    json_decref(a);
    return CLI_OK;
}


int cmd_user_role(cli_ctx *c)
{
    const char *role = cli_arg(c, "role"), *branch = cli_arg(c, "branch"), *name = c->args[0];
    if (!role)
        return cli_failf("user role", "--role: one of teller, rm, csr, tsr, supervisor, analyst, steward, admin, "
                                      "auditor");
    int rc;
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    sec_user was;
    char detail[100] = "";
    if (!(rc = sec_user_get(wh_store(w), name, &was, &err)) && !(rc = branch_known(w, branch, &err)) &&
        !(rc = sec_user_role(wh_store(w), name, role, branch, cli_user(), &err))) {
        snprintf(detail, sizeof detail, "%s%s%s -> %s%s%s", sec_role_names[was.role], was.branch[0] ? ", branch " : "",
                 was.branch, role, branch ? ", branch " : "", branch ? branch : "");
        sec_audit_entry e = { .user = cli_user(), .address = "cli", .action = "user_role", .target = name,
                              .detail = detail };
        rc = sec_audit(wh_store(w), &e, &err);
    }
    cli_wh_close(c);
    if (rc)
        return cli_fail("user role", &err);
    printf("user %s: %s\n", name, detail);
    return CLI_OK;
}

/* pending (until when), or approved/rejected/expired (when, by whom) */
static const char *request_state(json_t *r, char *buf, size_t n)
{
    const char *status = json_string_value(json_object_get(r, "status"));
    const char *by = json_string_value(json_object_get(r, "decided_by"));
    if (status && !strcmp(status, "pending"))
        snprintf(buf, n, "pending until %s", json_string_value(json_object_get(r, "expires_at")));
    else
        snprintf(buf, n, "%s %s%s%s", status ? status : "?", json_string_value(json_object_get(r, "decided_at")),
                 by ? " by " : "", by ? by : "");
    return buf;
}

int cmd_user_requests(cli_ctx *c)
{
    int json = cli_flag(c, "json");
    int rc;
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    if ((rc = cli_audit(c, "users_read", 0, NULL, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *a;
    rc = sec_user_requests(wh_store(w), 0, &a, &err);
    cli_wh_close(c);
    if (rc)
        return cli_fail("user requests", &err);
    if (json) {
        cli_print_json(a);
        json_decref(a);
        return CLI_OK;
    }
    table t;
    table_init(&t, 5, 0);
    const char *head[5] = { "request", "change", "asked by", "at", "state" };
    table_row(&t, head);
    size_t i;
    json_t *r;
    json_array_foreach(a, i, r) {
        char id[24], what[160], state[120];
        snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(r, "id")));
        sec_user_request_text(r, what, sizeof what);
        const char *row[5] = { id, what, json_string_value(json_object_get(r, "requested_by")),
                               json_string_value(json_object_get(r, "requested_at")),
                               request_state(r, state, sizeof state) };
        table_row(&t, row);
    }
    table_print(&t, stdout);
    table_release(&t);
    json_decref(a);
    return CLI_OK;
}

/* Approve or reject request ARG as cli_user(), audited as the API audits it. */
static int decide(cli_ctx *c, int approve)
{
    const char *cmd = approve ? "user approve" : "user reject", *note = cli_arg(c, "note");
    char *end;
    long long id = strtoll(c->args[0], &end, 10);
    if (end == c->args[0] || *end || id < 1)
        return cli_failf(cmd, "'%s' is not a request number ('rapport user requests' lists them)", c->args[0]);
    if (note && strlen(note) > SEC_NOTE_MAX)
        return cli_failf(cmd, "--note: at most %d bytes", SEC_NOTE_MAX);
    int rc;
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *before = NULL;
    if ((rc = sec_user_request_get(wh_store(w), id, &before, &err))) {
        cli_wh_close(c);
        return cli_fail(cmd, &err);
    }
    char what[160], detail[256];
    sec_user_request_text(before, what, sizeof what);
    snprintf(detail, sizeof detail, "request %lld: %s (asked by %s)", id, what,
             json_string_value(json_object_get(before, "requested_by")));
    rc = sec_user_request_decide(wh_store(w), id, approve, cli_user(), note, NULL, &err);
    rp_error aerr = RP_ERROR_INIT;
    sec_audit_entry e = { .user = cli_user(), .address = "cli", .action = approve ? "user_approve" : "user_reject",
                          .target = json_string_value(json_object_get(before, "user")), .reason = note,
                          .outcome = !rc ? "ok" : rc == RP_DENIED ? "refused" : "failed", .detail = detail };
    int arc = sec_audit(wh_store(w), &e, &aerr);
    json_decref(before);
    cli_wh_close(c);
    if (rc)
        return cli_fail(cmd, &err);
    if (arc)
        return cli_fail(cmd, &aerr);
    printf("request %lld %s: %s\n", id, approve ? "approved" : "rejected", what);
    return CLI_OK;
}

int cmd_user_approve(cli_ctx *c) { return decide(c, 1); }
int cmd_user_reject(cli_ctx *c) { return decide(c, 0); }
