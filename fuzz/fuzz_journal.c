/* fuzz_journal.c — the audit journal read back (security.h:
 * sec_journal_ingest): JSON lines, as `rapport serve` wrote them or as a
 * crash or a hand left them, moved into the store's audit table.
 *
 * Input: a byte (bit 0: a server starting, `final`), then what follows the
 * journal's header line.  Moving never fails for what a line holds: a line
 * that cannot be read is kept as an entry saying so, or the server could
 * never move the entries after it.  Each input's move is rolled back, so
 * that every input starts from the same store. */
#include "fuzz.h"
#include "security/security.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER "rapport audit journal 1 0123456789abcdef0123456789abcdef\n"

static rp_store *store(char *db, size_t n)
{
    static rp_store *s;
    static char path[700];
    if (!s) {
        snprintf(path, sizeof path, "%s/journal.db", fz_tmpdir());
        rp_error err = RP_ERROR_INIT;
        if (rp_store_open(path, RP_STORE_CREATE | RP_STORE_MIGRATE, &s, &err))
            fz_die("store: %s", rp_errmsg(&err));
    }
    snprintf(db, n, "%s", path);
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char db[700];
    rp_store *s = store(db, sizeof db);
    size_t hn = strlen(HEADER);
    char *file = malloc(hn + size);
    memcpy(file, HEADER, hn);
    memcpy(file + hn, data + 1, size - 1);
    fz_write("journal.db-audit", file, hn + size - 1);
    free(file);
    rp_error err = RP_ERROR_INIT;
    if (rp_store_begin(s, &err))
        fz_die("begin: %s", rp_errmsg(&err));
    int64_t moved = -1;
    int rc = sec_journal_ingest(s, db, NULL, 0, data[0] & 1, &moved, &err);
    if (rc)
        fz_bug("the journal could not be moved: %s", rp_errmsg(&err));
    int64_t lines = 1;
    for (size_t i = 1; i < size; i++)
        lines += data[i] == '\n';
    if (moved < 0 || moved > lines)
        fz_bug("%lld entries moved from %lld lines", (long long)moved, (long long)lines);
    rp_store_rollback(s);
    return 0;
}
