#include "cli/cli.h"

#include <stdio.h>

int cmd_init(cli_ctx *c)
{
    int rc;
    wh *w;
    int migrations = 0;
    if ((rc = cli_wh(c, WH_INIT, &w, &migrations)))
        return rc;
    int version = rp_store_latest_version(wh_store(w));
    const char *role = cli_arg(c, "grant");
    rp_error err = RP_ERROR_INIT;
    if (role && rp_store_grant(wh_store(w), role, &err)) {
        cli_wh_close(c);
        return cli_fail("init", &err);
    }
    if (migrations)
        printf("store %s: schema version %d (%d migration%s applied); sealing key %s\n", wh_db_path(w),
               version, migrations, migrations == 1 ? "" : "s", wh_key_path(w));
    else
        printf("store %s: up to date at schema version %d; sealing key %s\n", wh_db_path(w), version,
               wh_key_path(w));
    if (role)
        printf("role %s may read and write the store (not change its schema or its audit trail)\n", role);
    cli_wh_close(c);
    return CLI_OK;
}
