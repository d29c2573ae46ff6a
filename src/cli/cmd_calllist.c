/* cmd_calllist.c — rapport calllist add, show, remove: the customers outbound agents are given to
 * call (warehouse.h, calling lists), made by the operator as a supervisor makes them through the
 * API; audited. */
#include "cli/cli.h"
#include "cli/table.h"
#include "core/buf.h"
#include "core/rtime.h"
#include "security/security.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILE_MAX (64u << 20) /* a file of keys: a million lines and more */

typedef struct {
    int64_t *id;
    size_t n, cap;
} ids;

/* One key (an id, a national ID, a phone, an account...) as a customer, or the command's failure
 * naming where the key came from. */
static int resolve(wh *w, const char *key, size_t len, const char *where, ids *out)
{
    char k[128];
    if (len >= sizeof k)
        return cli_failf("calllist add", "%s: a key of %zu bytes; a customer's is shorter", where, len);
    memcpy(k, key, len);
    k[len] = 0;
    int64_t party;
    rp_error err = RP_ERROR_INIT;
    int rc = wh_find_record(w, k, &party, &err); /* the record named: see wh_calllist_add */
    if (rc == RP_NOTFOUND)
        return cli_failf("calllist add", "%s: no customer '%s'", where, k);
    if (rc == RP_AMBIGUOUS)
        return cli_failf("calllist add", "%s: '%s' names more than one customer; give the customer's id (id:N)", where, k);
    if (rc)
        return cli_fail("calllist add", &err);
    if (out->n == out->cap) {
        size_t cap = out->cap ? 2 * out->cap : 256;
        int64_t *p = realloc(out->id, cap * sizeof *p);
        if (!p)
            return cli_failf("calllist add", "out of memory");
        out->id = p;
        out->cap = cap;
    }
    out->id[out->n++] = party;
    return CLI_OK;
}

/* The keys of a file, one a line; blank lines and lines starting with # left out. */
static int resolve_file(wh *w, const char *path, ids *out)
{
    rp_buf b = RP_BUF_INIT;
    rp_error err = RP_ERROR_INIT;
    if (rp_buf_read_file(&b, path, FILE_MAX, &err)) {
        rp_buf_release(&b);
        return cli_fail("calllist add", &err);
    }
    int rc = CLI_OK;
    size_t line = 0;
    for (const char *p = b.data, *end = b.data + b.len; p < end && !rc;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        line++;
        const char *s = p;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        const char *t = e;
        while (t > s && (t[-1] == '\r' || t[-1] == ' ' || t[-1] == '\t'))
            t--;
        if (t > s && *s != '#') {
            char where[1100];
            snprintf(where, sizeof where, "%s:%zu", path, line);
            rc = resolve(w, s, (size_t)(t - s), where, out);
        }
        p = e + 1;
    }
    rp_buf_release(&b);
    return rc;
}

int cmd_calllist_add(cli_ctx *c)
{
    const char *list = c->args[0], *agent = cli_arg(c, "agent"), *until = cli_arg(c, "until"),
               *file = cli_arg(c, "file");
    if (!agent)
        return cli_failf("calllist add", "--agent: the outbound agent who calls (a tsr user)");
    if (c->nargs < 2 && !file)
        return cli_failf("calllist add", "no customers: give their keys, or --file FILE with one a line");
    wh *w;
    int rc;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    if ((rc = sec_user_can(wh_store(w), agent, SEC_P_DIAL, &err))) {
        rp_error e2 = RP_ERROR_INIT;
        rp_err(&e2, RP_INVAL, "--agent: %s", rp_errmsg(&err));
        return cli_fail("calllist add", &e2);
    }
    ids all = { 0 };
    for (int i = 1; i < c->nargs && !rc; i++) {
        char where[32];
        snprintf(where, sizeof where, "customer %d", i);
        rc = resolve(w, c->args[i], strlen(c->args[i]), where, &all);
    }
    if (!rc && file)
        rc = resolve_file(w, file, &all);
    if (!rc && all.n > (size_t)INT32_MAX)
        rc = cli_failf("calllist add", "more customers than a list takes");
    if (rc) {
        free(all.id);
        return rc;
    }
    int added = 0;
    if (!(rc = wh_begin(w, &err))) {
        rc = wh_calllist_add(w, list, agent, all.id, (int)all.n, until, cli_user(), &added, &err);
        if (!rc)
            rc = wh_commit(w, &err);
        if (rc)
            wh_rollback(w);
    }
    if (rc) {
        free(all.id);
        return cli_fail("calllist add", &err);
    }
    char detail[256];
    snprintf(detail, sizeof detail, "list %.80s for %.40s: %d added of %zu", list, agent, added, all.n);
    free(all.id);
    if ((rc = cli_audit(c, "calling_list_add", 0, NULL, detail)))
        return rc;
    printf("list %s for %s: %d added, %zu already on it%s%s\n", list, agent, added, all.n - (size_t)added,
           until ? "; runs until " : "", until ? until : "");
    return CLI_OK;
}

/* The phones of an entry, masked, as one cell. */
static void phones_cell(json_t *e, char *out, size_t n)
{
    size_t i, k = 0;
    json_t *ph;
    out[0] = 0;
    json_array_foreach(json_object_get(e, "phones"), i, ph) {
        char m[128];
        sec_mask_phone(json_string_value(json_object_get(ph, "value")), m, sizeof m);
        json_object_set_new(ph, "value", json_string(m));
        int w = snprintf(out + k, n - k, "%s%s", k ? " " : "", m);
        if (w < 0 || (size_t)w >= n - k)
            break;
        k += (size_t)w;
    }
}

static const char *const columns[] = { "list", "agent", "customer", "name_zh", "name_latin", "home_branch",
                                       "until", "last_contact", "phones" };
enum { NCOL = sizeof columns / sizeof columns[0] };

static void print_rows(json_t *a, int csv)
{
    table_or_csv out;
    table_or_csv_init(&out, NCOL, csv, columns);
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e) {
        char id[32], phones[400];
        snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(e, "customer")));
        phones_cell(e, phones, sizeof phones);
        const char *row[NCOL];
        for (int k = 0; k < NCOL; k++) {
            const char *v = json_string_value(json_object_get(e, columns[k]));
            row[k] = k == 2 ? id : k == NCOL - 1 ? phones : v ? v : "";
        }
        table_or_csv_row(&out, row);
    }
    table_or_csv_end(&out, stdout);
}

int cmd_calllist_show(cli_ctx *c)
{
    const char *agent = cli_arg(c, "agent"), *list = cli_arg(c, "list"), *lim = cli_arg(c, "limit");
    int json = cli_flag(c, "json"), csv = cli_flag(c, "csv");
    if (json && csv)
        return cli_failf("calllist show", "--json and --csv cannot be used together");
    char *end = NULL;
    long limit = lim ? strtol(lim, &end, 10) : 100000;
    if (lim && (*end || limit < 1 || limit > 10000000))
        return cli_failf("calllist show", "--limit: a number from 1 to 10000000, not '%s'", lim);
    wh *w;
    int rc;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    char what[200], today[RP_DATE_LEN];
    snprintf(what, sizeof what, "agent=%.40s list=%.80s", agent ? agent : "", list ? list : "");
    if ((rc = cli_audit(c, "calling_list", 0, NULL, what)))
        return rc;
    rp_date_format(rp_time_taipei_date(rp_now()), today);
    json_t *a;
    rp_error err = RP_ERROR_INIT;
    rc = wh_calllist_read(w, agent, list, today, (int)limit, &a, &err);
    cli_wh_close(c);
    if (rc)
        return cli_fail("calllist show", &err);
    if (json) {
        char scratch[400];
        size_t i;
        json_t *e;
        json_array_foreach(a, i, e) phones_cell(e, scratch, sizeof scratch);
        cli_print_json(a);
    } else if (!json_array_size(a)) {
        printf("no calling list runs today%s%s\n", agent || list ? " for " : "", agent ? agent : list ? list : "");
    } else {
        cli_printable(a);
        print_rows(a, csv);
    }
    json_decref(a);
    return CLI_OK;
}

int cmd_calllist_remove(cli_ctx *c)
{
    const char *list = c->args[0], *agent = cli_arg(c, "agent"), *cust = cli_arg(c, "customer");
    char *end = NULL;
    long long party = cust ? strtoll(cust, &end, 10) : 0;
    if (cust && (*end || party < 1))
        return cli_failf("calllist remove", "--customer: a customer's id, not '%s'", cust);
    wh *w;
    int rc;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    int64_t removed = 0;
    rp_error err = RP_ERROR_INIT;
    if (!(rc = wh_begin(w, &err))) {
        rc = wh_calllist_remove(w, list, agent, party, cli_user(), &removed, &err);
        if (!rc)
            rc = wh_commit(w, &err);
        if (rc)
            wh_rollback(w);
    }
    if (rc)
        return cli_fail("calllist remove", &err);
    if (!removed)
        return cli_failf("calllist remove", "list '%s' has no such entry running", list);
    char detail[256];
    snprintf(detail, sizeof detail, "list %.80s agent=%.40s customer=%lld: %lld removed", list, agent ? agent : "",
             party, (long long)removed);
    if ((rc = cli_audit(c, "calling_list_remove", 0, NULL, detail)))
        return rc;
    printf("list %s: %lld taken off\n", list, (long long)removed);
    return CLI_OK;
}
