#include "cli/cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

int cmd_import(int argc, char **argv)
{
    const cli_cmd *self = cli_find("import");
    cli_store_opts so = { 0 };
    int json = 0;
    cli_opt opts[] = { CLI_STORE_OPTS(so), { "json", NULL, &json }, { 0 } };
    const char *pos[1];
    int rc = cli_parse(self, argc, argv, opts, pos, 1, 1);
    if (rc)
        return rc;
    wh *w;
    if ((rc = cli_open(self, &so, 0, &w, NULL)))
        return rc;
    wh_import_stats st;
    rp_error err = RP_ERROR_INIT;
    if (wh_import_json(w, pos[0], cli_user(), &st, &err)) {
        wh_close(w);
        return cli_fail("import", &err);
    }
    wh_close(w);
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
