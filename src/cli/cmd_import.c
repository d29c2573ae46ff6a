#include "cli/cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

int cmd_import(cli_ctx *c)
{
    int json = cli_flag(c, "json");
    const char **pos = c->args;
    int rc;
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    wh_import_stats st;
    rp_error err = RP_ERROR_INIT;
    if (wh_import_json(w, pos[0], cli_user(), &st, &err)) {
        cli_wh_close(c);
        return cli_fail("import", &err);
    }
    cli_wh_close(c);
    const struct {
        const char *name;
        int64_t n;
    } rows[] = { { "branches", st.branches },         { "categories", st.categories },
                 { "products", st.products },         { "parties", st.parties },
                 { "identifiers", st.identifiers },   { "contacts", st.contacts },
                 { "accounts", st.accounts },         { "roles", st.roles },
                 { "links", st.links },               { "transactions", st.transactions },
                 { "interactions", st.interactions }, { "consents", st.consents } };
    if (json) {
        json_t *o = json_object();
        json_object_set_new(o, "file", json_string(pos[0]));
        for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
            json_object_set_new(o, rows[i].name, json_integer(rows[i].n));
        cli_print_json(o);
        json_decref(o);
    } else {
        printf("imported %s:", pos[0]);
        for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
            printf("%s %lld %s", i ? "," : "", (long long)rows[i].n, rows[i].name);
        printf("\n");
    }
    return CLI_OK;
}
