#include "cli/cli.h"

#include <stdio.h>

int cmd_init(int argc, char **argv)
{
    const cli_cmd *self = cli_find("init");
    cli_store_opts so = { 0 };
    cli_opt opts[] = { CLI_STORE_OPTS(so), { 0 } };
    const char *pos[1];
    int rc = cli_parse(self, argc, argv, opts, pos, 0, 0);
    if (rc)
        return rc;
    wh *w;
    int migrations = 0;
    if ((rc = cli_open(self, &so, WH_INIT, &w, &migrations)))
        return rc;
    int version = rp_store_latest_version(wh_store(w));
    if (migrations)
        printf("store %s: schema version %d (%d migration%s applied); sealing key %s\n", wh_db_path(w),
               version, migrations, migrations == 1 ? "" : "s", wh_key_path(w));
    else
        printf("store %s: up to date at schema version %d; sealing key %s\n", wh_db_path(w), version,
               wh_key_path(w));
    wh_close(w);
    return CLI_OK;
}
