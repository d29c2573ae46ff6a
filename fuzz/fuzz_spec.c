/* fuzz_spec.c — source specs (etl/spec.h: sp_spec_parse), and a file read
 * with the spec that parsed; and matching specifications (match/match.h:
 * mt_spec_parse), a few records compared and resolved with the one that
 * parsed.
 *
 * Input: a spec's JSON, then optionally a NUL byte and a data file.  The
 * copybooks a spec may name are the host's (CIF.cpy, ACCT.cpy, BRANCH.cpy,
 * TXN.cpy, as `rapport gen` writes them) and tests/fixtures/etl's
 * (accounts.cpy, fixed.cpy, names.cpy).  A spec that parses is asked what the loader asks
 * of it, and the data file is decoded with it (up to 16 records). */
#include "fuzz.h"
#include "match/internal.h"

#include <string.h>

/* Six records of two people and a namesake, each field and attribute filled or not, resolved by EM with
 * the spec and again with its model: whatever the thresholds and methods, it must hold together. */
static void match_with(const mt_spec *sp, const mt_params *p)
{
    static mt_romaniser *ro;
    rp_error err = RP_ERROR_INIT;
    if (!ro && mt_romaniser_open(&ro, &err))
        fz_die("romaniser: %s", rp_errmsg(&err));
    static const char *const names[] = { "Walker, Jack", "Jack Walker", "WALKER, JAC", "Walker, Jill", NULL, "陳怡君" };
    static const char *const births[] = { "1980-05-06", "1980-06-05", NULL, "1979-01-02", "1980-05-06", "1980-05-06" };
    static const char *const occ[] = { "Civil engineer", "civil enginer", "", "teacher", "1,200", "x" };
    static const char *const inc[] = { "1,200,000", "1260000", "n/a", "-3e308", "0", "1e400" };
    mt_records m;
    mt_records_init(&m);
    m.spec = sp;
    for (int i = 0; i < 6; i++) {
        char key[16];
        snprintf(key, sizeof key, "K%d", i);
        if (mt_records_add(&m, ro, i + 1, i % 2 ? "b" : "a", key, i == 5 ? names[5] : NULL, names[i % 5],
                           births[i], i % 2 ? "F" : "M", 0, &err))
            fz_die("records: %s", rp_errmsg(&err));
        m.r[i].attr[0] = mt_keep_folded(&m, occ[i]);
        m.r[i].attr[1] = mt_keep_folded(&m, inc[i]);
        m.r[i].attr[2] = mt_keep_folded(&m, i < 3 ? "0012" : "0045");
        m.r[i].phone[0] = i < 4 ? 42 : 0;
        m.r[i].addr = m.r[i].area = 7;
    }
    mt_result r;
    if (!mt_resolve(&m, p, NULL, &r, &err)) {
        mt_model mo;
        memcpy(mo.m, r.m, sizeof mo.m), memcpy(mo.u, r.u, sizeof mo.u), mo.p = r.p;
        for (size_t i = 0; i < r.npairs; i++) {
            json_t *ev = mt_evidence(&m, &r.pairs[i], NULL);
            json_decref(ev);
        }
        mt_result_free(&r);
        mt_params again = *p;
        again.model = &mo;
        if (mo.p > 0 && mo.p < 1 && !mt_resolve(&m, &again, NULL, &r, &err))
            mt_result_free(&r);
    }
    mt_records_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t n = nul ? (size_t)(nul - data) : size;
    sp_spec *s = NULL;
    rp_error err = RP_ERROR_INIT;
    mt_spec ms;
    mt_params mp = MT_PARAMS_DEFAULT;
    if (!mt_spec_parse((const char *)data, n, "fuzz", &ms, &mp, &err))
        match_with(&ms, &mp);
    else
        (void)strlen(rp_errmsg(&err));
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
