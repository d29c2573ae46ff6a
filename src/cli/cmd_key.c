/* cmd_key.c — rapport key rotate: a new sealing key for the store. */
#include "cli/cli.h"
#include "contact/contact.h"
#include "core/progress.h"
#include "etl/etl.h"
#include "security/security.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_key_rotate(cli_ctx *c)
{
    const char *batch_arg = cli_arg(c, "batch");
    int batch = 10000;
    if (batch_arg) {
        char *end;
        long b = strtol(batch_arg, &end, 10);
        if (*end || b < 1 || b > 1000000)
            return cli_failf("key rotate", "--batch: '%s' is not a number from 1 to 1000000", batch_arg);
        batch = (int)b;
    }
    wh *w;
    int rc = cli_wh(c, WH_ROTATE, &w, NULL);
    if (rc)
        return rc;
    rp_error err = RP_ERROR_INIT;
    /* a running server holds the old key and its journal's lock */
    sec_journal *j;
    if (sec_journal_open(wh_db_path(w), wh_key_path(w), &j, &err))
        return err.code == RP_BUSY ? cli_failf("key rotate", "%s is being served: stop 'rapport serve' first",
                                               wh_db_path(w))
                                   : cli_fail("key rotate", &err);
    sec_journal_close(j);
    int step;
    int64_t after, done, total = 0;
    if (wh_rotation_state(w, &step, &after, &err))
        return cli_fail("key rotate", &err);
    printf("%s the key rotation of %s\n", step >= 0 ? "going on with" : "beginning", wh_db_path(w));
    if ((rc = cli_audit(c, "key_rotate", 0, NULL, step >= 0 ? "resumed" : "begun")) ||
        wh_rotation_begin(w, &err))
        return rc ? rc : cli_fail("key rotate", &err);
    /* the warehouse's sealed values and hashes, then the rejects, then the new key is the store's */
    int finished = 0;
    while (!finished) {
        if (wh_rotation_step(w, batch, &done, &finished, &err))
            return cli_fail("key rotate", &err);
        total += done;
    }
    for (finished = 0; !finished; total += done)
        if (ld_rotation_step(w, batch, &done, &finished, &err))
            return cli_fail("key rotate", &err);
    /* the IVR's PINs are kept under a hash keyed with the old key and cannot be made again: withdrawn */
    int64_t pins = 0;
    if (cc_pins_withdraw(w, &pins, &err))
        return cli_fail("key rotate", &err);
    char retired[1200];
    if (wh_rotation_finish(w, retired, sizeof retired, &err) || ld_rotation_end(w, &err))
        return cli_fail("key rotate", &err);
    if (pins)
        printf("%lld telephone PINs withdrawn (kept under the old key's hash): issue new ones with rapport contact pin\n",
               (long long)pins);
    printf("%lld sealed values and hashes made again with the new key, now %s\n"
           "the old key is %s: keep it as long as backups made with it, then destroy it\n",
           (long long)total, wh_key_path(w), retired);
    return CLI_OK;
}
