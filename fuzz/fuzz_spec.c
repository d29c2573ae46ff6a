/* fuzz_spec.c — source specs (etl/spec.h: sp_spec_parse), and a file read
 * with the spec that parsed.
 *
 * Input: a spec's JSON, then optionally a NUL byte and a data file.  The
 * copybooks a spec may name are the host's (CIF.cpy, ACCT.cpy, BRANCH.cpy,
 * TXN.cpy, as `rapport gen` writes them) and tests/fixtures/etl's
 * (accounts.cpy, fixed.cpy, names.cpy).  A spec that parses is asked what the loader asks
 * of it, and the data file is decoded with it (up to 16 records). */
#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t n = nul ? (size_t)(nul - data) : size;
    sp_spec *s = NULL;
    rp_error err = RP_ERROR_INIT;
    if (sp_spec_parse((const char *)data, n, "fuzz", fz_copybook_dir(), fz_tree("tests/fixtures/etl"), &s, &err)) {
        (void)strlen(rp_errmsg(&err));
        return 0;
    }
    (void)sp_spec_matches(s, "host/CIF.dat");
    (void)sp_spec_matches(s, "card_customers_202610.csv");
    for (int i = 0; i < s->ntargets; i++)
        (void)strlen(sp_target_name(s->targets[i].kind));
    if (nul) {
        const char *path = fz_write("CIF.dat", nul + 1, size - n - 1);
        fz_decode_file(s, path, 16);
    }
    sp_spec_free(s);
    return 0;
}
