/* Unit tests of src/gen: the synthetic bank, checked against its own truth
 * and against independent decoders (a copybook reader here, iconv). */
#include "testutil.h"

#include "core/ebcdic.h"
#include "core/json.h"
#include "core/rtime.h"
#include "gen/gen.h"
#include "gen/internal.h"
#include "warehouse/warehouse.h"

#include <iconv.h>
#include <math.h>
#include <sodium.h>

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)len + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)len, f), (size_t)len);
    p[len] = 0;
    fclose(f);
    *n = (size_t)len;
    return p;
}

static const char *gen_dir(const char *name, int64_t customers, uint64_t seed, double rate)
{
    const char *dir = tu_path(name);
    gen_options o = GEN_OPTIONS_INIT;
    o.customers = customers;
    o.seed = seed;
    o.defect_rate = rate;
    o.out = dir;
    o.progress = 0;
    o.months = 6;
    rp_error e = RP_ERROR_INIT;
    if (gen_run(&o, NULL, &e))
        fail_msg("gen: %s", rp_errmsg(&e));
    return dir;
}

/* ---- a copybook reader, independent of the generator's own tables ---- */

typedef struct cfield {
    char name[64];
    char kind; /* X, 9 (zoned), P (packed) */
    int digits, scale, off, len, is_signed;
} cfield;

static int read_copybook(const char *path, cfield *f, int max)
{
    size_t n;
    char *text = slurp(path, &n);
    int nf = 0, off = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[6] == '*')
            continue;
        char name[64], pic[64], comp[16] = "";
        int lvl;
        if (sscanf(line, " %d %63s PIC %63s %15s", &lvl, name, pic, comp) < 3 || lvl != 5)
            continue;
        assert_true(nf < max);
        cfield *c = &f[nf++];
        memset(c, 0, sizeof *c);
        snprintf(c->name, sizeof c->name, "%s", name);
        size_t pl = strlen(pic);
        if (pic[pl - 1] == '.')
            pic[--pl] = 0;
        int a = 0, b = 0;
        if (sscanf(pic, "X(%d)", &a) == 1) {
            c->kind = 'X';
            c->len = a;
        } else {
            const char *q = pic;
            if (*q == 'S') {
                c->is_signed = 1;
                q++;
            }
            if (sscanf(q, "9(%d)V9(%d)", &a, &b) == 2 || sscanf(q, "9(%d)", &a) == 1) {
                c->digits = a + b;
                c->scale = b;
            } else {
                fail_msg("copybook %s: cannot read PIC %s", path, pic);
            }
            c->kind = strncmp(comp, "COMP-3", 6) == 0 ? 'P' : '9';
            c->len = c->kind == 'P' ? c->digits / 2 + 1 : c->digits;
        }
        c->off = off;
        off += c->len;
    }
    free(text);
    return nf;
}

static int find_field(const cfield *f, int nf, const char *name)
{
    for (int k = 0; k < nf; k++)
        if (strcmp(f[k].name, name) == 0)
            return k;
    fail_msg("no field %s", name);
    return -1;
}

/* defects.csv rows for one file: record -> kind */
typedef struct defect_row {
    int64_t record;
    char field[32], kind[32];
} defect_row;

static int load_defects(const char *dir, const char *file, defect_row *out, int max)
{
    char path[512];
    snprintf(path, sizeof path, "%s/truth/defects.csv", dir);
    size_t n;
    char *text = slurp(path, &n);
    int k = 0;
    char *save;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char src[16], fl[128], fld[32] = "", kind[32];
        long long rec;
        if (sscanf(line, "%15[^,],%127[^,],%lld,%31[^,],%31s", src, fl, &rec, fld, kind) != 5 &&
            sscanf(line, "%15[^,],%127[^,],%lld,,%31s", src, fl, &rec, kind) != 4)
            continue;
        if (strcmp(fl, file) != 0)
            continue;
        assert_true(k < max);
        out[k].record = rec;
        snprintf(out[k].field, sizeof out[k].field, "%s", fld);
        snprintf(out[k].kind, sizeof out[k].kind, "%s", kind);
        k++;
    }
    free(text);
    return k;
}

static const char *defect_of(const defect_row *d, int nd, int64_t rec)
{
    for (int k = 0; k < nd; k++)
        if (d[k].record == rec)
            return d[k].kind;
    return NULL;
}

/* The next RDW record of a file in memory, read here independently of the
 * library's reader: *len is the data length, the RDW's flags must be zero. */
static const unsigned char *rdw_next(const unsigned char *data, size_t n, size_t *pos, int *len)
{
    assert_true(*pos + 4 <= n);
    *len = (data[*pos] << 8 | data[*pos + 1]) - 4;
    assert_int_equal(data[*pos + 2] | data[*pos + 3], 0);
    const unsigned char *r = data + *pos + 4;
    *pos += 4 + (size_t)*len;
    assert_true(*pos <= n);
    return r;
}

/* The verdict for one record: what defects.csv lists (want) must be what the
 * record shows (got), and a record that shows a defect must be listed.
 * Returns 1 when a listed defect was seen. */
static int judge(const char *file, int64_t recno, const char *want, const char *got)
{
    if (want) {
        if (!got || strcmp(want, got) != 0)
            fail_msg("%s record %lld: defects.csv says %s, the record shows %s", file, (long long)recno, want,
                     got ? got : "nothing wrong");
        return 1;
    }
    if (got)
        fail_msg("%s record %lld is %s but defects.csv does not list it", file, (long long)recno, got);
    return 0;
}

/* Every CIF record decodes by its copybook through iconv IBM-937, and every
 * record that fails a check is exactly one listed in defects.csv. */
static void host_files_decode_by_copybook(void **state)
{
    (void)state;
    const char *dir = gen_dir("bank", 3000, 7, 0.03);
    char path[512];
    cfield f[40];
    snprintf(path, sizeof path, "%s/host/CIF.cpy", dir);
    int nf = read_copybook(path, f, 40);
    int reclen = f[nf - 1].off + f[nf - 1].len;
    assert_int_equal(reclen, 348);
    int fid = find_field(f, nf, "CIF-ID-NO"),
        ftype = find_field(f, nf, "CIF-ID-TYPE"), fname = find_field(f, nf, "CIF-NAME"),
        fbirth = find_field(f, nf, "CIF-BIRTH-DATE"), finc = find_field(f, nf, "CIF-ANNUAL-INCOME"),
        faddr = find_field(f, nf, "CIF-ADDRESS");
    defect_row *d = calloc(2000, sizeof *d);
    int nd = load_defects(dir, "host/CIF.dat", d, 2000);
    snprintf(path, sizeof path, "%s/host/CIF.dat", dir);
    size_t n;
    unsigned char *data = (unsigned char *)slurp(path, &n);
    rp_host_codec *hc;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(rp_host_codec_open("IBM-937", &hc, &e), RP_OK);
    int64_t recno = 0, clean = 0, seen_defects = 0;
    int chinese = 0;
    char prev[512] = "";
    for (size_t pos = 0; pos < n;) {
        int len;
        const unsigned char *r = rdw_next(data, n, &pos, &len);
        recno++;
        const char *want = defect_of(d, nd, recno);
        const char *got = NULL;
        char text[256], id[16], name[128];
        if (len != reclen) {
            got = "truncated";
        } else if (rp_host_text_decode(hc, r + f[fname].off, (size_t)f[fname].len, name, sizeof name, &e)) {
            got = "invalid_dbcs";
        } else {
            int64_t birth, income;
            assert_int_equal(rp_host_text_decode(hc, r + f[fid].off, 10, id, sizeof id, &e), RP_OK);
            assert_int_equal(rp_host_text_decode(hc, r + f[ftype].off, 1, text, sizeof text, &e), RP_OK);
            int is_person = text[0] == '1';
            assert_int_equal(rp_zoned_decode(r + f[fbirth].off, f[fbirth].digits, &birth), RP_OK);
            assert_int_equal(rp_packed_decode(r + f[finc].off, f[finc].digits, &income), RP_OK);
            assert_true(income > 0);
            assert_int_equal(rp_host_text_decode(hc, r + f[faddr].off, (size_t)f[faddr].len, text, sizeof text, &e),
                             RP_OK);
            int y = (int)(birth / 10000) + 1911, m = (int)(birth / 100 % 100), dd = (int)(birth % 100);
            if (!rp_date_valid(y, m, dd))
                got = "impossible_date";
            else if (is_person ? !wh_check_national_id(id) : !wh_check_ubn(id))
                got = "bad_checksum";
            else if (memcmp(prev, r, (size_t)len) == 0)
                got = "duplicate";
            if (!got && (unsigned char)name[0] >= 0xE4)
                chinese++; /* a CJK first character */
        }
        if (len == reclen)
            memcpy(prev, r, (size_t)len);
        if (judge("host/CIF.dat", recno, want, got))
            seen_defects++;
        else if (!got)
            clean++;
    }
    assert_int_equal(seen_defects, nd);
    assert_true(nd > 30 && nd < 150); /* about 3% of 3,000 */
    assert_true(chinese > clean * 9 / 10); /* persons and companies have Chinese names */
    rp_host_codec_close(hc);
    free(data);
    free(d);
}

/* Every monthly transaction file decodes by TXN.cpy; its defects are the listed ones. */
static void txn_files_decode_by_copybook(void **state)
{
    (void)state;
    const char *dir = gen_dir("txn", 1500, 21, 0.03);
    char path[512];
    cfield f[40];
    snprintf(path, sizeof path, "%s/host/TXN.cpy", dir);
    int nf = read_copybook(path, f, 40);
    int reclen = f[nf - 1].off + f[nf - 1].len;
    assert_int_equal(reclen, 92);
    int facct = find_field(f, nf, "TXN-ACCT-NO"), fdate = find_field(f, nf, "TXN-DATE"),
        fcode = find_field(f, nf, "TXN-CODE"), famt = find_field(f, nf, "TXN-AMOUNT"),
        fbal = find_field(f, nf, "TXN-BALANCE"), fmemo = find_field(f, nf, "TXN-MEMO");
    rp_host_codec *hc;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(rp_host_codec_open("IBM-937", &hc, &e), RP_OK);
    defect_row *d = calloc(20000, sizeof *d);
    int64_t total = 0, defects = 0;
    for (int month = 5; month <= 10; month++) {
        char rel[64];
        snprintf(rel, sizeof rel, "host/TXN_2026%02d.dat", month);
        int nd = load_defects(dir, rel, d, 20000);
        snprintf(path, sizeof path, "%s/%s", dir, rel);
        size_t n;
        unsigned char *data = (unsigned char *)slurp(path, &n);
        unsigned char prev[128] = { 0 };
        int64_t recno = 0;
        for (size_t pos = 0; pos < n;) {
            int len;
            const unsigned char *r = rdw_next(data, n, &pos, &len);
            recno++;
            const char *want = defect_of(d, nd, recno), *got = NULL;
            char acct[32], code[8], memo[64];
            int64_t date, amt, bal;
            if (len != reclen) {
                got = "truncated";
            } else {
                assert_int_equal(rp_host_text_decode(hc, r + f[facct].off, 14, acct, sizeof acct, &e), RP_OK);
                assert_int_equal(rp_host_text_decode(hc, r + f[fcode].off, 4, code, sizeof code, &e), RP_OK);
                assert_int_equal(rp_host_text_decode(hc, r + f[fmemo].off, 22, memo, sizeof memo, &e), RP_OK);
                assert_int_equal(rp_zoned_decode(r + f[fdate].off, 7, &date), RP_OK);
                assert_int_equal(rp_packed_decode(r + f[famt].off, f[famt].digits, &amt), RP_OK);
                assert_int_equal(rp_packed_decode(r + f[fbal].off, f[fbal].digits, &bal), RP_OK);
                int credit_code = !strcmp(code, "1001") || !strcmp(code, "2001") || !strcmp(code, "3001") ||
                                  !strcmp(code, "5001") || !strcmp(code, "7002");
                int y = (int)(date / 10000) + 1911, m = (int)(date / 100 % 100), dd = (int)(date % 100);
                if (!rp_date_valid(y, m, dd))
                    got = "impossible_date";
                else if (acct[0] == '9' && acct[1] == '9')
                    got = "orphan_reference";
                else if (credit_code && amt <= 0)
                    got = "negative_amount";
                else if (memcmp(prev, r, (size_t)len) == 0)
                    got = "duplicate";
                else if (y != 2026 || m != month)
                    fail_msg("%s record %lld: posted %lld, not in this month's file", rel, (long long)recno,
                             (long long)date);
                memcpy(prev, r, (size_t)len);
            }
            defects += judge(rel, recno, want, got);
        }
        total += recno;
        free(data);
    }
    assert_true(total > 10000);
    assert_true(defects > total * 2 / 100 && defects < total * 4 / 100);
    rp_host_codec_close(hc);
    free(d);
}

static void same_seed_same_bytes(void **state)
{
    (void)state;
    const char *a = gen_dir("a", 500, 42, 0.02), *b = gen_dir("b", 500, 42, 0.02), *c = gen_dir("c", 500, 43, 0.02);
    char pa[512], pb[512], pc[512];
    snprintf(pa, sizeof pa, "%s/manifest.json", a);
    snprintf(pb, sizeof pb, "%s/manifest.json", b);
    snprintf(pc, sizeof pc, "%s/manifest.json", c);
    size_t na, nb, nc;
    char *ma = slurp(pa, &na), *mb = slurp(pb, &nb), *mc = slurp(pc, &nc);
    assert_int_equal(na, nb);
    assert_memory_equal(ma, mb, na); /* every file's SHA-256 is in it */
    assert_true(na != nc || memcmp(ma, mc, na) != 0);
    free(ma);
    free(mb);
    free(mc);
}

/* The manifest's hashes and counts are the files' own. */
static void manifest_agrees_with_files(void **state)
{
    (void)state;
    const char *dir = gen_dir("m", 800, 3, 0.02);
    char path[512];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    json_t *m;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(rp_json_load_file(path, 1 << 20, &m, &e), RP_OK);
    json_t *files = json_object_get(m, "files");
    assert_int_equal(json_array_size(files), 30 + 6); /* 30 files and 6 months of TXN */
    size_t i;
    json_t *f;
    int64_t identity_rows = 0, cif_records = 0, card_records = 0, online_records = 0;
    json_array_foreach(files, i, f) {
        const char *rel = json_string_value(json_object_get(f, "path"));
        snprintf(path, sizeof path, "%s/%s", dir, rel);
        size_t n;
        unsigned char *data = (unsigned char *)slurp(path, &n);
        unsigned char h[32];
        char hex[65];
        crypto_hash_sha256(h, data, n);
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        assert_string_equal(hex, json_string_value(json_object_get(f, "sha256")));
        assert_int_equal((int64_t)n, json_integer_value(json_object_get(f, "bytes")));
        int64_t records = json_integer_value(json_object_get(f, "records"));
        int64_t counted = 0;
        if (strstr(rel, ".dat")) {
            for (size_t pos = 0; pos + 4 <= n; pos += (size_t)(data[pos] << 8 | data[pos + 1]))
                counted++;
        } else if (strstr(rel, ".csv")) {
            for (size_t k = 0; k < n; k++)
                counted += data[k] == '\n';
            counted -= 1; /* the header */
        } else if (strstr(rel, ".jsonl")) {
            for (size_t k = 0; k < n; k++)
                counted += data[k] == '\n';
        }
        if (strstr(rel, ".dat") || strstr(rel, "card/") || strstr(rel, "online/") || strstr(rel, "callcentre/") ||
            strstr(rel, "campaign/"))
            assert_int_equal(counted, records);
        if (!strcmp(rel, "truth/identity.csv"))
            identity_rows = counted;
        if (!strcmp(rel, "host/CIF.dat"))
            cif_records = records;
        if (!strcmp(rel, "card/card_customers.csv"))
            card_records = records;
        if (!strcmp(rel, "online/users.jsonl"))
            online_records = records;
        free(data);
    }
    /* one identity row per customer record of each source; duplicates are defects, not people */
    assert_true(identity_rows <= cif_records + card_records + online_records);
    assert_true(identity_rows > cif_records);
    assert_true(identity_rows >= 800);
    json_decref(m);
}

static void big5_files_are_cp950(void **state)
{
    (void)state;
    const char *dir = gen_dir("big5", 1500, 5, 0.02);
    const char *files[] = { "card/card_customers.csv", "card/card_transactions.csv" };
    iconv_t cd = iconv_open("UTF-8", "CP950");
    assert_true(cd != (iconv_t)-1);
    int tai = 0;
    for (int k = 0; k < 2; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, files[k]);
        size_t n;
        char *data = slurp(path, &n);
        size_t outn = n * 2 + 16;
        char *out = malloc(outn), *in = data, *op = out;
        size_t inl = n, outl = outn;
        iconv(cd, NULL, NULL, NULL, NULL);
        if (iconv(cd, &in, &inl, &op, &outl) == (size_t)-1)
            fail_msg("%s: not CP950 at byte %zu", files[k], (size_t)(in - data));
        *op = 0;
        if (k == 0) {
            assert_int_equal(strncmp(out, "card_cust_no,name,name_en,id_no,birth_date", 42), 0);
            for (char *p = out; (p = strstr(p, "台")); p++)
                tai++;
        }
        free(out);
        free(data);
    }
    assert_true(tai > 50); /* the card system writes 台 where the host writes 臺 */
    iconv_close(cd);
}

static int64_t count_csv(const char *dir, const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    size_t n;
    char *data = slurp(path, &n);
    int64_t c = 0;
    for (size_t k = 0; k < n; k++)
        c += data[k] == '\n';
    free(data);
    return c - 1;
}

static void defect_rate_is_honoured(void **state)
{
    (void)state;
    gen_options o = GEN_OPTIONS_INIT;
    gen_stats st;
    rp_error e = RP_ERROR_INIT;
    o.customers = 2000;
    o.months = 6;
    o.progress = 0;
    o.defect_rate = 0.05;
    o.out = tu_path("rate5");
    assert_int_equal(gen_run(&o, &st, &e), RP_OK);
    double share = (double)st.defects / (double)st.records;
    assert_true(share > 0.04 && share < 0.06);
    assert_int_equal(count_csv(o.out, "truth/defects.csv"), st.defects);
    o.defect_rate = 0;
    o.out = tu_path("rate0");
    assert_int_equal(gen_run(&o, &st, &e), RP_OK);
    assert_int_equal(st.defects, 0);
    assert_int_equal(count_csv(o.out, "truth/defects.csv"), 0);
}

/* Revenue is concentrated (DOMAIN M3); churn has signal in the attributes. */
static void behaviour_has_the_declared_properties(void **state)
{
    (void)state;
    gen_options o = GEN_OPTIONS_INIT;
    gen_stats st;
    rp_error e = RP_ERROR_INIT;
    o.customers = 20000;
    o.progress = 0;
    o.out = tu_path("props");
    assert_int_equal(gen_run(&o, &st, &e), RP_OK);
    assert_true(st.top20_revenue_share >= 0.75 && st.top20_revenue_share <= 0.95);
    assert_true(st.organisations > 300 && st.organisations < 900); /* about 3% */
    assert_true(st.card_customers > 6000 && st.card_customers < 11000);
    /* churn next month: around half a percent, and young adults leave more than the mature */
    char path[512];
    snprintf(path, sizeof path, "%s/truth/churn.csv", o.out);
    size_t n;
    char *churn = slurp(path, &n);
    snprintf(path, sizeof path, "%s/truth/segments.csv", o.out);
    char *seg = slurp(path, &n);
    char *s1, *s2;
    char *cl = strtok_r(churn, "\n", &s1), *sl = strtok_r(seg, "\n", &s2);
    double young = 0, young_n = 0, mature = 0, mature_n = 0, window = 0, total = 0;
    for (cl = strtok_r(NULL, "\n", &s1), sl = strtok_r(NULL, "\n", &s2); cl && sl;
         cl = strtok_r(NULL, "\n", &s1), sl = strtok_r(NULL, "\n", &s2)) {
        char pid1[16], pid2[16], cust[16], month[16] = "", stage[32];
        int next;
        double hz;
        if (sscanf(cl, "%15[^,],%15[^,],%15[^,],%d,%lf", pid1, cust, month, &next, &hz) != 5) {
            month[0] = 0;
            assert_int_equal(sscanf(cl, "%15[^,],%15[^,],,%d,%lf", pid1, cust, &next, &hz), 4);
        }
        assert_int_equal(sscanf(sl, "%15[^,],%15[^,],%31[^,]", pid2, cust, stage), 3);
        assert_string_equal(pid1, pid2);
        total++;
        window += month[0] != 0;
        if (!strcmp(stage, "young_adult")) {
            young += month[0] != 0;
            young_n++;
        } else if (!strcmp(stage, "mature")) {
            mature += month[0] != 0;
            mature_n++;
        }
    }
    assert_int_equal((int64_t)total, 20000);
    assert_true(st.churned_next_month > 40 && st.churned_next_month < 250);
    assert_true(window / total > 0.08 && window / total < 0.35);
    assert_true(young / young_n > 1.3 * (mature / mature_n));
    free(churn);
    free(seg);
}

/* Every JSON line parses unless defects.csv says it was cut short; every
 * online user is in the identity truth. */
static void online_lines_parse(void **state)
{
    (void)state;
    const char *dir = gen_dir("online", 3000, 9, 0.02);
    const char *files[] = { "online/users.jsonl", "online/logins.jsonl", "online/transfers.jsonl",
                            "online/events.jsonl" };
    defect_row *d = calloc(20000, sizeof *d);
    int64_t users = 0;
    for (int f = 0; f < 4; f++) {
        int nd = load_defects(dir, files[f], d, 20000);
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, files[f]);
        size_t n;
        char *text = slurp(path, &n);
        int64_t recno = 0, bad = 0, cut = 0;
        char *save;
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            recno++;
            json_error_t je;
            json_t *j = json_loads(line, 0, &je);
            const char *want = defect_of(d, nd, recno);
            if (!j) {
                bad++;
                if (!want || strcmp(want, "truncated"))
                    fail_msg("%s line %lld does not parse and is not listed as truncated: %s", files[f],
                             (long long)recno, je.text);
                continue;
            }
            if (want && !strcmp(want, "truncated"))
                cut++; /* a cut that happens to end on a boundary is still listed */
            assert_non_null(json_string_value(json_object_get(j, "user_id")));
            if (f == 0)
                users++;
            json_decref(j);
        }
        assert_true(recno > 0);
        int64_t truncated = 0;
        for (int k = 0; k < nd; k++) {
            assert_true(d[k].record >= 1 && d[k].record <= recno);
            truncated += !strcmp(d[k].kind, "truncated");
        }
        /* every line that does not parse is a listed truncation, and every listed
         * truncation is either unparseable or was cut where it still parses */
        assert_int_equal(bad + cut, truncated);
        free(text);
    }
    char path[512];
    snprintf(path, sizeof path, "%s/truth/identity.csv", dir);
    size_t n;
    char *idt = slurp(path, &n);
    int64_t online_ids = 0;
    for (char *q = idt; (q = strstr(q, "\nonline,")); q++)
        online_ids++;
    assert_true(online_ids > 1000);
    assert_true(users >= online_ids); /* duplicates are defects, not users */
    free(idt);
    free(d);
}

/* The lift measured between the arms is the true treatment effect. */
static void campaigns_have_true_lift(void **state)
{
    (void)state;
    const char *dir = gen_dir("camp", 20000, 13, 0.0);
    char path[512];
    snprintf(path, sizeof path, "%s/truth/treatment.csv", dir);
    size_t n;
    char *text = slurp(path, &n);
    double t_n = 0, t_pos = 0, c_n = 0, c_pos = 0, true_effect = 0;
    char *save;
    strtok_r(text, "\n", &save);
    for (char *line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char camp[16], pid[16], cust[16], group[16], resp[16];
        double p0, p1;
        assert_int_equal(sscanf(line, "%15[^,],%15[^,],%15[^,],%15[^,],%lf,%lf,%15s", camp, pid, cust, group,
                                &p0, &p1, resp),
                         7);
        int pos = !strcmp(resp, "positive");
        if (!strcmp(group, "treatment")) {
            t_n++;
            t_pos += pos;
            true_effect += p1 - p0;
        } else {
            c_n++;
            c_pos += pos;
        }
    }
    free(text);
    assert_true(c_n > 0.15 * (t_n + c_n) && c_n < 0.25 * (t_n + c_n)); /* a 20% random control group */
    double lift = t_pos / t_n - c_pos / c_n, effect = true_effect / t_n;
    assert_true(effect > 0.02);
    assert_true(fabs(lift - effect) < 0.015);
    /* the responses file agrees with the truth */
    assert_int_equal(count_csv(dir, "campaign/responses.csv") > 0, 1);
}

static void bad_options(void **state)
{
    (void)state;
    gen_options o = GEN_OPTIONS_INIT;
    rp_error e = RP_ERROR_INIT;
    o.out = tu_path("bad");
    o.customers = 0;
    assert_int_equal(gen_run(&o, NULL, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "--customers: 0 is not a number of customers from 1 to 10000000");
    assert_int_equal(access(o.out, F_OK), -1); /* nothing was created */
    o.customers = -5;
    assert_int_equal(gen_run(&o, NULL, &e), RP_INVAL);
    o.customers = 10;
    o.defect_rate = 0.9;
    assert_int_equal(gen_run(&o, NULL, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "--defect-rate: 0.9 is not from 0 to 0.5");
    o.defect_rate = 0.02;
    o.out = "/proc/rapport-cannot-write-here";
    assert_int_equal(gen_run(&o, NULL, &e), RP_IO);
    assert_string_equal(rp_errmsg(&e), "/proc/rapport-cannot-write-here: cannot create: No such file or directory");
}

/* A full disk is an error that names the file, never a silent short file. */
static void full_disk(void **state)
{
    (void)state;
    gen_out o;
    rp_error e = RP_ERROR_INIT;
    if (access("/dev/full", W_OK) != 0)
        skip();
    assert_int_equal(gen_out_open(&o, "/dev", "full", &e), RP_OK);
    char block[65536];
    memset(block, 'x', sizeof block);
    for (int k = 0; k < 64; k++)
        gen_out_write(&o, block, sizeof block);
    assert_int_equal(gen_out_close(&o, NULL, &e), RP_IO);
    assert_string_equal(rp_errmsg(&e), "/dev/full: write failed: No space left on device");
}

static void rng_streams(void **state)
{
    (void)state;
    rng a, b, c;
    rng_init(&a, 1, 5, 2);
    rng_init(&b, 1, 5, 2);
    rng_init(&c, 1, 5, 3);
    int same = 1, diff = 0;
    for (int k = 0; k < 100; k++) {
        uint64_t x = rng_next(&a), y = rng_next(&b), z = rng_next(&c);
        same &= x == y;
        diff += x != z;
    }
    assert_true(same);
    assert_true(diff > 95);
    /* uniform below n: every value appears, roughly equally */
    int hist[7] = { 0 };
    for (int k = 0; k < 70000; k++)
        hist[rng_below(&a, 7)]++;
    for (int k = 0; k < 7; k++)
        assert_true(hist[k] > 9500 && hist[k] < 10500);
    double sum = 0;
    for (int k = 0; k < 20000; k++)
        sum += rng_poisson(&a, 3.5);
    assert_true(fabs(sum / 20000 - 3.5) < 0.1);
}

static void packed_and_zoned(void **state)
{
    (void)state;
    unsigned char b[16];
    int64_t v;
    assert_int_equal(rp_packed_encode(1234567, 7, 1, b), RP_OK);
    assert_memory_equal(b, "\x12\x34\x56\x7C", 4);
    assert_int_equal(rp_packed_encode(-5, 3, 1, b), RP_OK);
    assert_memory_equal(b, "\x00\x5D", 2);
    assert_int_equal(rp_packed_encode(42, 4, 0, b), RP_OK);
    assert_memory_equal(b, "\x00\x04\x2F", 3);
    assert_int_equal(rp_packed_encode(100000, 5, 1, b), RP_TOOBIG);
    assert_int_equal(rp_packed_decode((const unsigned char *)"\x12\x34\x56\x7D", 7, &v), RP_OK);
    assert_int_equal(v, -1234567);
    assert_int_equal(rp_packed_decode((const unsigned char *)"\x1A\x3C", 3, &v), RP_ENCODING);
    /* 2 digits take 2 bytes, the first nibble a pad: 0x80 0x0C is not 800 (fuzz_ebcdic) */
    assert_int_equal(rp_packed_decode((const unsigned char *)"\x80\x0C", 2, &v), RP_ENCODING);
    assert_int_equal(rp_packed_decode((const unsigned char *)"\x08\x0C", 2, &v), RP_OK);
    assert_int_equal(v, 80);
    assert_int_equal(rp_zoned_encode(-123, 5, 1, b), RP_OK);
    assert_memory_equal(b, "\xF0\xF0\xF1\xF2\xD3", 5);
    assert_int_equal(rp_zoned_decode(b, 5, &v), RP_OK);
    assert_int_equal(v, -123);
    assert_int_equal(rp_zoned_encode(1140230, 7, 0, b), RP_OK);
    assert_memory_equal(b, "\xF1\xF1\xF4\xF0\xF2\xF3\xF0", 7);
    assert_int_equal(rp_zoned_decode((const unsigned char *)"\xF1\x41\xF3", 3, &v), RP_ENCODING);
    rp_host_codec *hc;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(rp_host_codec_open("IBM-937", &hc, &e), RP_OK);
    char out[64];
    int trunc;
    /* a DBCS run is always closed inside the field, never split */
    assert_int_equal(rp_host_text_encode(hc, "A陳怡君", b, 6, &trunc, &e), RP_OK);
    assert_true(trunc);
    assert_memory_equal(b, "\xC1\x0E\x58\xF2\x0F\x40", 6);
    assert_int_equal(rp_host_text_decode(hc, b, 6, out, sizeof out, &e), RP_OK);
    assert_string_equal(out, "A陳");
    assert_int_equal(rp_host_text_decode(hc, (const unsigned char *)"\x0E\xFF\xFF\x0F", 4, out, sizeof out, &e),
                     RP_ENCODING);
    assert_int_equal(rp_host_text_encode(hc, "😀", b, 6, &trunc, &e), RP_ENCODING);
    assert_string_equal(rp_errmsg(&e), "'😀' (U+1F600) has no code in the host code page");
    rp_host_codec_close(hc);
    assert_int_equal(rp_host_codec_open("NO-SUCH-PAGE", &hc, &e), RP_ENCODING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rng_streams),
        cmocka_unit_test(packed_and_zoned),
        cmocka_unit_test(same_seed_same_bytes),
        cmocka_unit_test(manifest_agrees_with_files),
        cmocka_unit_test(host_files_decode_by_copybook),
        cmocka_unit_test(txn_files_decode_by_copybook),
        cmocka_unit_test(big5_files_are_cp950),
        cmocka_unit_test(defect_rate_is_honoured),
        cmocka_unit_test(behaviour_has_the_declared_properties),
        cmocka_unit_test(online_lines_parse),
        cmocka_unit_test(campaigns_have_true_lift),
        cmocka_unit_test(bad_options),
        cmocka_unit_test(full_disk),
    };
    return cmocka_run_group_tests_name("gen", tests, NULL, NULL);
}
