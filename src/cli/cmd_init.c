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
    int version = rp_store_latest_version(w->store);
    if (migrations)
        printf("store %s: schema version %d (%d migration%s applied); sealing key %s\n", w->db_path,
               version, migrations, migrations == 1 ? "" : "s", w->key_path);
    else
        printf("store %s: up to date at schema version %d; sealing key %s\n", w->db_path, version,
               w->key_path);
    wh_close(w);
    return CLI_OK;
}
