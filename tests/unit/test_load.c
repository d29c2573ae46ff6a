/* Unit tests of source specs, record decoding and the loader. */
#include "testutil.h"

#include <regex.h>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "core/json.h"
#include "core/proc.h"
#include "core/utf8.h"
#include "etl/etl.h"
#include "etl/spec.h"
#include "gen/gen.h"
#include "warehouse/warehouse.h"

static wh *fresh_store(const char *name)
{
    wh *w;
    rp_error e = RP_ERROR_INIT;
    if (wh_open(tu_store(name), tu_store_key(), WH_INIT, &w, NULL, &e))
        fail_msg("wh_open: %s", rp_errmsg(&e));
    return w;
}

static int64_t scalar(wh *w, const char *sql)
{
    rp_stmt *st;
    rp_error e = RP_ERROR_INIT;
    if (rp_store_prepare(wh_store(w), sql, &st, &e))
        fail_msg("%s: %s", sql, rp_errmsg(&e));
    int64_t v = rp_stmt_step(st, &e) == RP_ROW ? rp_stmt_int(st, 0) : -1;
    rp_stmt_done(st);
    return v;
}

static int file_exists(const char *db, const char *suffix)
{
    char p[700];
    snprintf(p, sizeof p, "%s%s", db, suffix);
    return access(p, F_OK) == 0;
}

static int in_wal(wh *w)
{
    rp_stmt *st;
    rp_error e = RP_ERROR_INIT;
    if (rp_store_prepare_once(wh_store(w), "PRAGMA journal_mode", &st, &e))
        fail_msg("%s", rp_errmsg(&e));
    int wal = rp_stmt_step(st, &e) == RP_ROW && !strcmp(rp_stmt_text(st, 0), "wal");
    rp_stmt_done(st);
    return wal;
}

/* ---- specs: every mistake is named by its member ---- */

static void spec_errors_name_the_member(void **state)
{
    (void)state;
    static const struct {
        const char *json, *msg;
    } cases[] = {
        { "{\"spec\":\"s\",\"source\":\"x\",\"format\":\"csv\",\"header\":true,\"fields\":[{\"name\":\"a\"}],"
          "\"targets\":[{\"entity\":\"party\",\"key\":\"a\",\"kind\":\"=person\"}]}",
          "spec s: fields[0] (a): exactly one of from, start, value, concat, record is needed" },
        { "{\"spec\":\"s\",\"source\":\"x\",\"format\":\"tsv\",\"fields\":[],\"targets\":[]}",
          "spec s: format: 'tsv' is not one of rdw, fixed, columns, csv, delimited, whitespace, jsonl" },
        { "{\"spec\":\"s\",\"source\":\"x\",\"format\":\"csv\",\"encoding\":\"IBM-937\",\"fields\":[],\"targets\":[]}",
          "spec s: encoding: IBM-937 is for host records (format rdw or fixed)" },
        { "{\"spec\":\"s\",\"source\":\"x\",\"format\":\"csv\",\"header\":true,\"fields\":[{\"name\":\"a\",\"from\":\"a\","
          "\"pattern\":\"([\"}],\"targets\":[{\"entity\":\"party\",\"key\":\"a\",\"kind\":\"=person\"}]}",
          NULL /* regcomp's wording varies: checked by prefix below */ },
        { "{\"spec\":\"s\",\"source\":\"x\",\"format\":\"csv\",\"header\":true,\"fields\":[{\"name\":\"a\",\"from\":\"a\","
          "\"rules\":[{\"check\":\"ubn\",\"when\":{\"b\":[\"1\"]}}]}],\"targets\":[{\"entity\":\"party\",\"key\":\"a\","
          "\"kind\":\"=person\"}]}",
          "spec s: fields[0] (a).rules[0].when: no earlier field 'b'" },
        { "{\"spec\":\"s\",\"source\":\"x\",\"format\":\"csv\",\"header\":true,\"fields\":[{\"name\":\"a\",\"from\":\"a\"}],"
          "\"targets\":[{\"entity\":\"identifier\",\"type\":\"=ubn\",\"value\":\"a\"}]}",
          "spec s: targets[0] (identifier).party: required (no party target comes before)" },
        { "{\"spec\":\"s\",\"source\":\"x\",\"format\":\"csv\",\"header\":true,\"fields\":[{\"name\":\"a\",\"from\":\"a\"}],"
          "\"targets\":[{\"entity\":\"party\",\"key\":\"b\",\"kind\":\"=person\"}]}",
          "spec s: targets[0] (party).key: no field 'b'" },
        { "{\"spec\":\"s\",\"source\":\"x\",\"format\":\"csv\",\"header\":true,\"fields\":[{\"name\":\"a\",\"from\":\"a\"}],"
          "\"targets\":[{\"entity\":\"party\",\"key\":\"a\"}]}",
          "spec s: targets[0] (party): 'kind' is required" },
        { "{\"spec\":\"s\",\"source\":\"x\",\"format\":\"rdw\",\"fields\":[],\"targets\":[]}",
          "spec s: copybook: a host file with RDWs needs its copybook" },
        { "{\"spec\":\"s\",\"source\":\"x\",\"format\":\"csv\",\"header\":true,\"fields\":[{\"name\":\"a\",\"from\":\"a\","
          "\"type\":\"integer\",\"bands\":[[10,\"x\"],[5,\"y\"]]}],\"targets\":[{\"entity\":\"party\",\"key\":\"a\","
          "\"kind\":\"=person\"}]}",
          "spec s: fields[0] (a).bands[1]: lower bounds must rise" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sp_spec *s = NULL;
        rp_error e = RP_ERROR_INIT;
        int rc = sp_spec_parse(cases[i].json, strlen(cases[i].json), "t", NULL, NULL, &s, &e);
        assert_int_not_equal(rc, RP_OK);
        assert_null(s);
        if (cases[i].msg)
            assert_string_equal(rp_errmsg(&e), cases[i].msg);
        else
            assert_non_null(strstr(rp_errmsg(&e), "spec s: fields[0] (a).pattern: '([' is not a regular expression"));
    }
}

static void every_shipped_spec_parses(void **state)
{
    (void)state;
    const char *const *names = sp_builtin_names();
    int n = 0;
    for (; names[n]; n++) {
        const char *t = sp_builtin_text(names[n]);
        json_t *root = json_loads(t, 0, NULL);
        assert_non_null(root);
        const char *fmt = json_string_value(json_object_get(root, "format"));
        int host = fmt && (!strcmp(fmt, "rdw") || !strcmp(fmt, "fixed"));
        json_decref(root);
        if (host)
            continue; /* needs its copybook: parsed by the bank load below */
        sp_spec *s = NULL;
        rp_error e = RP_ERROR_INIT;
        if (sp_spec_builtin(names[n], NULL, &s, &e))
            fail_msg("%s: %s", names[n], rp_errmsg(&e));
        assert_string_equal(s->name, names[n]);
        sp_spec_free(s);
    }
    assert_true(n >= 17);
    const char *name;
    rp_error err = RP_ERROR_INIT;
    assert_int_equal(sp_builtin_for_path("bank/host/TXN_202601.dat", &name, &err), RP_OK);
    assert_string_equal(name, "host-txn");
    assert_int_equal(sp_builtin_for_path("card_customers.csv", &name, &err), RP_OK);
    assert_string_equal(name, "card-customers");
    assert_int_equal(sp_builtin_for_path("host/CIF.cpy", &name, &err), RP_OK);
    assert_null(name);
    assert_true(sp_builtin_depth("host-txn") > sp_builtin_depth("host-acct"));
    assert_true(sp_builtin_depth("host-acct") > sp_builtin_depth("host-cif"));
}

/* ---- decoding: conversions and rules on one record at a time ---- */

/* A spec from its JSON text, which the test expects to be valid. */
static sp_spec *spec_of(const char *json)
{
    sp_spec *s = NULL;
    rp_error e = RP_ERROR_INIT;
    if (sp_spec_parse(json, strlen(json), "t", NULL, NULL, &s, &e))
        fail_msg("%s", rp_errmsg(&e));
    return s;
}

static const char *decode_spec =
    "{\"spec\":\"d\",\"source\":\"x\",\"format\":\"csv\",\"header\":true,\"fields\":["
    "{\"name\":\"kind\",\"from\":\"k\",\"map\":{\"1\":\"national\",\"3\":\"ubn\"}},"
    "{\"name\":\"id\",\"from\":\"id\",\"rules\":[{\"check\":\"national_id\",\"when\":{\"kind\":[\"national\"]}},"
    "  {\"check\":\"ubn\",\"when\":{\"kind\":[\"ubn\"]}}]},"
    "{\"name\":\"roc\",\"from\":\"roc\",\"type\":\"date\"},"
    "{\"name\":\"amt\",\"from\":\"amt\",\"type\":\"amount\",\"min\":0,\"negate\":true},"
    "{\"name\":\"implied\",\"from\":\"imp\",\"type\":\"amount\",\"decimals\":2,\"implied\":true},"
    "{\"name\":\"at\",\"from\":\"at\",\"type\":\"datetime\"},"
    "{\"name\":\"income\",\"from\":\"inc\",\"type\":\"integer\",\"bands\":[[0,\"low\"],[500000,\"high\"]]},"
    "{\"name\":\"who\",\"from\":\"id\",\"cases\":[[\"^[0-9]{8}$\",\"organisation\"],[\".*\",\"person\"]]},"
    "{\"name\":\"flag\",\"from\":\"f\",\"type\":\"boolean\"},"
    "{\"name\":\"name\",\"from\":\"n\",\"type\":\"name\"},"
    "{\"name\":\"key\",\"concat\":[\"=K-\",\"id\"]}],"
    "\"targets\":[{\"entity\":\"party\",\"key\":\"key\",\"kind\":\"who\",\"name_zh\":\"name\"}]}";

/* The first record of a file holding text, decoded by spec s. */
static int decode_text(const char *text, sp_value *v, sp_reject *rj, sp_decoder **dp, reader **rp, sp_spec *s)
{
    const char *path = tu_path("rec.csv");
    tu_write_file(path, text);
    rd_options o = sp_reader_options(s);
    rp_error e = RP_ERROR_INIT;
    assert_ok(rd_open(path, &o, rp, &e));
    rd_record rec;
    assert_int_equal(rd_next(*rp, &rec, &e), RD_RECORD);
    const char **names;
    int nh = rd_header(*rp, &names);
    assert_ok(sp_decoder_open(s, path, names, nh, dp, &e));
    return sp_decode(*dp, &rec, v, rj, &e);
}

static int decode_line(const char *line, sp_value *v, sp_reject *rj, sp_decoder **dp, reader **rp, sp_spec *s)
{
    char text[1024];
    snprintf(text, sizeof text, "k,id,roc,amt,imp,at,inc,f,n\n%s\n", line);
    return decode_text(text, v, rj, dp, rp, s);
}

static void decode_converts_and_checks(void **state)
{
    (void)state;
    sp_spec *s = spec_of(decode_spec);
    sp_value v[SP_MAX_FIELDS];
    sp_reject rj;
    sp_decoder *d;
    reader *r;
    assert_int_equal(decode_line("1,A123456707,112/05/01,\"1,234.50\",000012345,2026-03-01 09:30:00,720000,Y,陳 怡君", v,
                                 &rj, &d, &r, s),
                     SP_OK);
    assert_string_equal(v[0].text, "national");
    assert_string_equal(v[2].text, "2023-05-01");
    assert_int_equal(v[3].num, -123450); /* checked at 1,234.50 >= 0, then negated */
    assert_int_equal(v[4].num, 12345);   /* 123.45 with implied decimals, in cents */
    assert_string_equal(v[5].text, "2026-03-01T01:30:00Z"); /* Taipei time without an offset */
    assert_string_equal(v[6].text, "high");
    assert_string_equal(v[7].text, "person");
    assert_int_equal(v[8].num, 1);
    assert_string_equal(v[9].text, "陳怡君");
    assert_int_equal(sp_fixed_count(d), 1);
    assert_string_equal(v[10].text, "K-A123456707");
    sp_decoder_close(d);
    rd_close(r);

    /* the UBN rule applies only when kind says UBN */
    assert_int_equal(decode_line("3,04595257,,0,,,,N,X", v, &rj, &d, &r, s), SP_OK);
    assert_string_equal(v[7].text, "organisation");
    sp_decoder_close(d);
    rd_close(r);
    assert_int_equal(decode_line("3,04595258,,0,,,,N,X", v, &rj, &d, &r, s), SP_REJECT);
    assert_string_equal(rj.rule, "checksum");
    assert_string_equal(rj.field, "id");
    assert_string_equal(rj.message, "id: '04595258' is not a valid unified business number");
    sp_decoder_close(d);
    rd_close(r);

    static const struct {
        const char *line, *rule, *field, *msg;
    } bad[] = {
        { "2,A123456707,,0,,,,N,X", "code", "kind", "kind: '2' is not one of 1, 3" },
        { "1,A123456708,,0,,,,N,X", "checksum", "id", "id: 'A123456708' is not a valid national ID" },
        { "1,A123456707,112/02/30,0,,,,N,X", "date", "roc", "roc: invalid date '112/02/30': no such date" },
        { "1,A123456707,,-5,,,,N,X", "range", "amt", "amt: -5.00 is below the minimum 0" },
        { "1,A123456707,,12.3.4,,,,N,X", "amount", "amt", "amt: '12.3.4' is not an amount" },
        { "1,A123456707,,1,,,,maybe,X", "code", "flag", "flag: 'maybe' is not yes or no" },
        { "1,A123456707,,1,,2026-02-30T10:00:00,,N,X", "date", "at", NULL },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(decode_line(bad[i].line, v, &rj, &d, &r, s), SP_REJECT);
        assert_string_equal(rj.rule, bad[i].rule);
        assert_string_equal(rj.field, bad[i].field);
        if (bad[i].msg)
            assert_string_equal(rj.message, bad[i].msg);
        sp_decoder_close(d);
        rd_close(r);
    }
    sp_spec_free(s);
}

/* Lengths as the rules see them: after blanks are trimmed, in characters, and of a value a map
 * has rewritten; amounts and times read within their blanks. */
static void decode_lengths_after_trimming(void **state)
{
    (void)state;
    static const char *spec =
        "{\"spec\":\"l\",\"source\":\"x\",\"format\":\"csv\",\"header\":true,\"fields\":["
        "{\"name\":\"note\",\"from\":\"note\",\"max_length\":3},"
        "{\"name\":\"code\",\"from\":\"code\",\"map\":{\"x\":\"four\",\"y\":\"two\"},\"max_length\":3},"
        "{\"name\":\"amt\",\"from\":\"amt\",\"type\":\"amount\"},"
        "{\"name\":\"at\",\"from\":\"at\",\"type\":\"datetime\"}],"
        "\"targets\":[{\"entity\":\"party\",\"key\":\"note\",\"kind\":\"=person\",\"name_zh\":\"note\"}]}";
    sp_spec *s = spec_of(spec);
    sp_value v[SP_MAX_FIELDS];
    sp_reject rj;
    sp_decoder *d;
    reader *r;
    assert_int_equal(decode_text("note,code,amt,at\n  陳怡君  ,y, 12.50 , 2026-03-01 09:30:00 \n", v, &rj, &d, &r, s),
                     SP_OK);
    assert_string_equal(v[0].text, "陳怡君"); /* nine bytes, three characters */
    assert_string_equal(v[1].text, "two");
    assert_int_equal(v[2].num, 1250);
    assert_string_equal(v[3].text, "2026-03-01T01:30:00Z");
    sp_decoder_close(d);
    rd_close(r);
    static const struct {
        const char *text, *field, *msg;
    } bad[] = {
        { "note,code,amt,at\n abcd ,y,1,\n", "note", "note: longer than 3 characters" },
        { "note,code,amt,at\nab,x,1,\n", "code", "code: longer than 3 characters" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(decode_text(bad[i].text, v, &rj, &d, &r, s), SP_REJECT);
        assert_string_equal(rj.rule, "length");
        assert_string_equal(rj.field, bad[i].field);
        assert_string_equal(rj.message, bad[i].msg);
        sp_decoder_close(d);
        rd_close(r);
    }
    sp_spec_free(s);
}

/* Patterns of fixed byte classes are matched without regexec: the same
 * answers as regexec, and regexec still for every other pattern. */
static void fixed_patterns_agree_with_regexec(void **state)
{
    (void)state;
    static const struct {
        const char *re;
        int fixed;
    } pats[] = {
        { "^[0-9]{14}$", 14 },      { "^[A-Z][12][0-9]{8}$", 10 }, { "^[A-Za-z0-9_-]{3}$", 3 },
        { "^S-[0-9]{3}$", 5 },      { "^\\.[a-z]$", 2 },           { "^[0-9]{2,3}$", 0 },
        { "^A.B$", 0 },             { "[0-9]{3}", 0 },             { "^[^0-9]$", 0 },
        { "^(AB|CD)$", 0 },         { "^[0-9]+$", 0 },
    };
    static const char *const texts[] = { "12345678901234", "1234567890123", "123456789012345", "A123456789",
                                         "A323456789",     "a123456789",    "abc",             "a_-",
                                         "S-123",          "S-12",          ".a",              "xa",
                                         "12",             "123",           "1234",            "AxB",
                                         "A陳B",           "5",             "陳",              "AB",
                                         "x123y" };
    for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++) {
        char json[600], re[64];
        size_t o = 0;
        for (const char *q = pats[i].re; *q; q++) { /* as a JSON string */
            if (*q == '\\')
                re[o++] = '\\';
            re[o++] = *q;
        }
        re[o] = 0;
        snprintf(json, sizeof json,
                 "{\"spec\":\"p\",\"source\":\"p\",\"format\":\"csv\",\"header\":true,\"fields\":["
                 "{\"name\":\"v\",\"from\":\"v\",\"pattern\":\"%s\"}],"
                 "\"targets\":[{\"entity\":\"party\",\"key\":\"v\",\"kind\":\"=person\",\"name_latin\":\"v\"}]}",
                 re);
        sp_spec *s = NULL;
        rp_error e = RP_ERROR_INIT;
        if (sp_spec_parse(json, strlen(json), "t", NULL, NULL, &s, &e))
            fail_msg("%s: %s", pats[i].re, rp_errmsg(&e));
        assert_int_equal(s->fields[0].rules[0].nfixed, pats[i].fixed);
        regex_t rx;
        assert_int_equal(regcomp(&rx, pats[i].re, REG_EXTENDED | REG_NOSUB), 0);
        for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
            char text[64];
            snprintf(text, sizeof text, "v\n%s\n", texts[k]);
            sp_decoder *d;
            reader *r;
            sp_value v[SP_MAX_FIELDS];
            sp_reject rj;
            int got = decode_text(text, v, &rj, &d, &r, s);
            int want = regexec(&rx, texts[k], 0, NULL, 0) == 0 ? SP_OK : SP_REJECT;
            if (got != want)
                fail_msg("%s on '%s': %d, regexec says %d", pats[i].re, texts[k], got, want);
            if (got == SP_REJECT)
                assert_string_equal(rj.rule, "pattern");
            sp_decoder_close(d);
            rd_close(r);
        }
        regfree(&rx);
        sp_spec_free(s);
    }
}

/* Big5-HKSCS: a Cantonese character Big5 does not have (㗎) */
static void decode_big5_hkscs(void **state)
{
    (void)state;
    const char *spec = "{\"spec\":\"hk\",\"source\":\"hk\",\"format\":\"csv\",\"header\":true,"
                       "\"encoding\":\"BIG5-HKSCS\",\"fields\":[{\"name\":\"n\",\"from\":\"name\","
                       "\"type\":\"name\"}],\"targets\":[{\"entity\":\"party\",\"key\":\"n\","
                       "\"kind\":\"=person\",\"name_zh\":\"n\"}]}";
    sp_spec *s;
    rp_error e = RP_ERROR_INIT;
    assert_ok(sp_spec_parse(spec, strlen(spec), "t", NULL, NULL, &s, &e));
    const char *path = tu_path("hk.csv");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    /* name, then 陳㗎 in Big5-HKSCS (B3 AF, 9D EE, as iconv writes them), then a byte pair no table has */
    fputs("name\n\xB3\xAF\x9D\xEE\n\xB3\xAF\xFF\xFF\n", f);
    fclose(f);
    rd_options o = sp_reader_options(s);
    reader *r;
    assert_ok(rd_open(path, &o, &r, &e));
    rd_record rec;
    assert_int_equal(rd_next(r, &rec, &e), RD_RECORD);
    const char **names;
    int nh = rd_header(r, &names);
    sp_decoder *d;
    assert_ok(sp_decoder_open(s, path, names, nh, &d, &e));
    sp_value v[SP_MAX_FIELDS];
    sp_reject rj;
    assert_int_equal(sp_decode(d, &rec, v, &rj, &e), SP_OK);
    assert_string_equal(v[0].text, "陳㗎");
    assert_int_equal(rd_next(r, &rec, &e), RD_RECORD);
    assert_int_equal(sp_decode(d, &rec, v, &rj, &e), SP_REJECT);
    assert_string_equal(rj.rule, "encoding");
    assert_string_equal(rj.value, "\\xb3\\xaf\\xff\\xff"); /* the source's bytes, not text */
    assert_string_equal(rj.message, "n: not valid BIG5-HKSCS at byte 2");
    sp_decoder_close(d);
    rd_close(r);
    sp_spec_free(s);
}

/* ---- the synthetic bank: loaded + rejected = records, rejects = declared defects ---- */

typedef struct defect {
    char file[64];
    int64_t record;
    char kind[32];
} defect;

static const char *rule_for(const char *kind)
{
    return !strcmp(kind, "truncated") ? "length|parse" : !strcmp(kind, "bad_checksum") ? "checksum"
         : !strcmp(kind, "impossible_date") ? "date" : !strcmp(kind, "invalid_dbcs") ? "encoding"
         : !strcmp(kind, "negative_amount") ? "range" : !strcmp(kind, "orphan_reference") ? "reference"
         : !strcmp(kind, "duplicate") ? "duplicate" : "?";
}

static int load_dir(wh *w, const char *dir, int64_t *records, int64_t *loaded, int64_t *rejected)
{
    ld_plan p;
    rp_error e = RP_ERROR_INIT;
    if (ld_plan_dir(dir, 0, &p, &e))
        fail_msg("plan: %s", rp_errmsg(&e));
    *records = *loaded = *rejected = 0;
    for (int i = 0; i < p.n; i++) {
        sp_spec *s = NULL;
        char d[2100];
        snprintf(d, sizeof d, "%s", p.items[i].path);
        *strrchr(d, '/') = 0;
        if (sp_spec_builtin(p.items[i].spec, d, &s, &e))
            fail_msg("%s: %s", p.items[i].label, rp_errmsg(&e));
        ld_options o = { 0 };
        o.max_reject_rate = -1;
        o.label = p.items[i].label;
        o.expect_sha256 = p.items[i].sha256;
        ld_result r;
        if (ld_load(w, s, p.items[i].path, &o, &r, &e))
            fail_msg("%s: %s", p.items[i].label, rp_errmsg(&e));
        if (!r.noop) {
            *records += r.records;
            *loaded += r.loaded;
            *rejected += r.rejected;
        }
        sp_spec_free(s);
    }
    int n = p.n;
    assert_int_equal(p.nunknown, 0);
    ld_plan_free(&p);
    return n;
}

static void the_bank_loads_and_rejects_its_defects(void **state)
{
    (void)state;
    const char *dir = tu_path("bank");
    gen_options go = GEN_OPTIONS_INIT;
    go.customers = 1500;
    go.months = 4;
    go.seed = 5;
    go.defect_rate = 0.03;
    go.out = dir;
    go.progress = 0;
    rp_error e = RP_ERROR_INIT;
    if (gen_run(&go, NULL, &e))
        fail_msg("gen: %s", rp_errmsg(&e));
    wh *w = fresh_store("bank.db");
    int64_t records, loaded, rejected;
    int files = load_dir(w, dir, &records, &loaded, &rejected);
    assert_int_equal(files, 7 + 3 + 4 + 2 + 3 + 5); /* host (BRANCH, CIF, ACCT, 4 x TXN), card (holders,
                                                     * purchases, statements), online, calls, campaigns, crm
                                                     * (consents, do-not-contact, staff, complaints, managers) */

    /* loaded + rejected = the manifest's records of every source file */
    char mpath[600];
    snprintf(mpath, sizeof mpath, "%s/manifest.json", dir);
    json_t *m;
    assert_ok(rp_json_load_file(mpath, 1 << 24, &m, &e));
    int64_t manifest = 0;
    size_t k;
    json_t *f;
    json_array_foreach(json_object_get(m, "files"), k, f)
    {
        const char *sys = json_string_value(json_object_get(f, "system"));
        const char *fmt = json_string_value(json_object_get(f, "format"));
        if (strcmp(sys, "truth") && strcmp(fmt, "COBOL copybook"))
            manifest += json_integer_value(json_object_get(f, "records"));
    }
    json_decref(m);
    assert_int_equal(records, manifest);
    assert_int_equal(loaded + rejected, manifest);
    assert_int_equal(scalar(w, "SELECT count(*) FROM reject"), rejected);

    /* every declared defect is rejected, by the rule that fits it */
    char dpath[600];
    snprintf(dpath, sizeof dpath, "%s/truth/defects.csv", dir);
    FILE *df = fopen(dpath, "r");
    assert_non_null(df);
    char line[512];
    int ndefects = 0;
    assert_ok(rp_store_exec(wh_store(w), "CREATE TEMP TABLE declared(file TEXT, record INTEGER)", &e));
    assert_non_null(fgets(line, sizeof line, df)); /* header */
    while (fgets(line, sizeof line, df)) {
        char src[32], file[128], field[64], kind[64];
        long long rec;
        if (sscanf(line, "%31[^,],%127[^,],%lld,%63[^,],%63s", src, file, &rec, field, kind) != 5 &&
            sscanf(line, "%31[^,],%127[^,],%lld,,%63s", src, file, &rec, kind) != 4)
            fail_msg("defects.csv: %s", line);
        rp_stmt *st;
        assert_ok(rp_store_prepare(wh_store(w), "INSERT INTO declared VALUES (?, ?)", &st, &e));
        rp_stmt_bind_text(st, 1, file);
        rp_stmt_bind_int(st, 2, rec);
        assert_ok(rp_stmt_run(st, &e));
        assert_ok(rp_store_prepare(wh_store(w), "SELECT rule FROM reject WHERE file = ? AND record = ?", &st, &e));
        rp_stmt_bind_text(st, 1, file);
        rp_stmt_bind_int(st, 2, rec);
        int got = rp_stmt_step(st, &e);
        char rule[32] = "";
        if (got == RP_ROW)
            snprintf(rule, sizeof rule, "%s", rp_stmt_text(st, 0));
        rp_stmt_done(st);
        if (got != RP_ROW)
            fail_msg("%s record %lld (%s) was loaded, not rejected", file, rec, kind);
        /* a second copy of a record that refers to something missing is
         * refused for that first, like its first copy */
        int dup_of_orphan = !strcmp(kind, "duplicate") && !strcmp(rule, "reference");
        if (dup_of_orphan) {
            char sql[400];
            snprintf(sql, sizeof sql, "SELECT count(*) FROM reject WHERE file = '%s' AND record = %lld AND rule = "
                     "'reference'", file, rec - 1);
            dup_of_orphan = scalar(w, sql) == 1;
        }
        if (!strstr(rule_for(kind), rule) && !dup_of_orphan)
            fail_msg("%s record %lld (%s) was rejected by rule %s", file, rec, kind, rule);
        ndefects++;
    }
    fclose(df);
    assert_true(ndefects > 300);
    /* the other rejects only follow from those: a reference to a customer,
     * account, user or call whose own record was rejected (not an orphan key) */
    assert_int_equal(scalar(w, "SELECT count(*) FROM reject WHERE rule NOT IN ('length', 'parse', 'checksum', "
                               "'date', 'encoding', 'range', 'reference', 'duplicate')"),
                     0);
    (void)0;
    int consequential = (int)(rejected - ndefects);
    assert_true(consequential >= 0);
    rp_stmt *q;
    assert_ok(rp_store_prepare(wh_store(w), "SELECT file, record, rule, value, message FROM reject r WHERE NOT EXISTS (SELECT 1 FROM declared d WHERE d.file = r.file AND d.record = r.record) AND (rule <> 'reference' OR value LIKE '99%' OR value LIKE '45639999%')", &q, &e));
    while (rp_stmt_step(q, &e) == RP_ROW)
        printf("undeclared: %s %lld %s %s %s\n", rp_stmt_text(q, 0), (long long)rp_stmt_int(q, 1), rp_stmt_text(q, 2), rp_stmt_text(q, 3), rp_stmt_text(q, 4));
    rp_stmt_done(q);
    assert_int_equal(scalar(w, "SELECT count(*) FROM reject r WHERE NOT EXISTS (SELECT 1 FROM declared d WHERE "
                               "d.file = r.file AND d.record = r.record) AND (rule <> 'reference' OR value LIKE '99%' "
                               "OR value LIKE '45639999%')"),
                     0);
    printf("the bank: %lld records, %lld loaded, %lld rejected: %d declared defects, %d that refer to a rejected "
           "record\n", (long long)records, (long long)loaded, (long long)rejected, ndefects, consequential);

    /* parties: one per loaded customer record of each source, with lineage */
    assert_int_equal(scalar(w, "SELECT count(*) FROM party"), scalar(w, "SELECT count(*) FROM source_record WHERE "
                                                                        "entity = 'party'"));
    assert_true(scalar(w, "SELECT count(*) FROM party_link WHERE kind = 'spouse'") > 50);
    assert_true(scalar(w, "SELECT count(*) FROM call_record WHERE note IS NOT NULL") > 10);
    assert_int_equal(scalar(w, "SELECT count(*) FROM load_seen"), 0);
    /* the host's rates (S9(03)V9(4) COMP-3) arrive at their scale: 1.6500 % for the time deposit */
    assert_int_equal(scalar(w, "SELECT count(DISTINCT product) FROM account WHERE product = 'TD0012' AND "
                               "abs(interest_rate - 1.65) < 1e-9"),
                     1);
    assert_int_equal(scalar(w, "SELECT count(*) FROM account WHERE product = 'SAV001' AND interest_rate IS NULL"), 0);
    /* every attribute a spec maps arrives: the card's merchant and category, the host's memo */
    assert_int_equal(scalar(w, "SELECT count(*) = count(description) AND count(*) = count(item) FROM txn "
                               "WHERE source = 'card'"),
                     1);
    assert_true(scalar(w, "SELECT count(description) * 10 > count(*) * 9 FROM txn WHERE source = 'host'") == 1);
    assert_int_equal(scalar(w, "SELECT count(*) FROM party WHERE home_branch IS NULL AND id IN (SELECT entity_id "
                               "FROM source_record WHERE entity = 'party' AND source = 'host')"),
                     0);

    /* loading the folder again is a no-op */
    int64_t r2, l2, j2;
    load_dir(w, dir, &r2, &l2, &j2);
    assert_int_equal(r2, 0);
    wh_close(w);
}

/* ---- kill -9 in the middle of a batch, then the same load again ---- */

static void killed_load_resumes_without_duplicates(void **state)
{
    (void)state;
    const char *dir = tu_path("kbank");
    gen_options go = GEN_OPTIONS_INIT;
    go.customers = 400;
    go.months = 2;
    go.seed = 9;
    go.out = dir;
    go.progress = 0;
    rp_error e = RP_ERROR_INIT;
    if (gen_run(&go, NULL, &e))
        fail_msg("gen: %s", rp_errmsg(&e));
    char host[600], txn[700];
    snprintf(host, sizeof host, "%s/host", dir);
    snprintf(txn, sizeof txn, "%s/host/TXN_202609.dat", dir);
    const char *db = tu_path("k.db");
    wh *w;
    assert_ok(wh_open(db, NULL, WH_INIT, &w, NULL, &e));
    const char *masters[] = { "BRANCH.dat", "CIF.dat", "ACCT.dat" };
    const char *specs[] = { "host-branch", "host-cif", "host-acct" };
    ld_options o = { 0 };
    o.max_reject_rate = -1;
    ld_result r;
    for (int i = 0; i < 3; i++) {
        char p[700];
        snprintf(p, sizeof p, "%s/%s", host, masters[i]);
        sp_spec *s;
        assert_ok(sp_spec_builtin(specs[i], host, &s, &e));
        assert_ok(ld_load(w, s, p, &o, &r, &e));
        sp_spec_free(s);
    }
    wh_close(w);
    /* a child loads the month with small batches and dies like kill -9 */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setenv("RAPPORT_TEST_KILL_AFTER", "230", 1);
        wh *cw;
        sp_spec *s;
        if (wh_open(db, NULL, 0, &cw, NULL, &e) || sp_spec_builtin("host-txn", host, &s, &e))
            _exit(3);
        ld_options co = o;
        co.batch = 50;
        if (ld_load(cw, s, txn, &co, &r, &e))
            _exit(5);
        _exit(4); /* not reached: the load kills itself */
    }
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
    /* it had the store to itself and wrote in bulk: it died with a rollback journal, not a WAL */
    assert_true(file_exists(db, "-journal"));
    assert_false(file_exists(db, "-wal"));
    assert_ok(wh_open(db, NULL, 0, &w, NULL, &e));
    assert_true(in_wal(w));
    assert_int_equal(scalar(w, "SELECT records FROM load_job WHERE spec = 'host-txn'"), 200); /* 4 batches */
    int64_t before = scalar(w, "SELECT count(*) FROM txn") + scalar(w, "SELECT count(*) FROM reject WHERE job_id = 4");
    assert_int_equal(before, 200);
    sp_spec *s;
    assert_ok(sp_spec_builtin("host-txn", host, &s, &e));
    o.batch = 50;
    /* the rest loads beside another connection that reads all along: in WAL, which lets the load
     * commit while the reader keeps its snapshot (in bulk, each commit would wait for the reader) */
    wh *rd;
    assert_ok(wh_open(db, NULL, 0, &rd, NULL, &e));
    assert_ok(rp_store_begin_read(wh_store(rd), &e));
    int64_t seen = scalar(rd, "SELECT count(*) FROM txn");
    assert_ok(ld_load(w, s, txn, &o, &r, &e));
    assert_int_equal(scalar(rd, "SELECT count(*) FROM txn"), seen);
    assert_ok(rp_store_commit(wh_store(rd), &e));
    assert_int_equal(scalar(rd, "SELECT count(*) FROM txn"), r.loaded);
    wh_close(rd);
    assert_true(in_wal(w));
    assert_int_equal(r.resumed, 1);
    assert_int_equal(r.resume_from, 200);
    assert_int_equal(r.job, 4);
    int64_t txns = scalar(w, "SELECT count(*) FROM txn"), rejects = scalar(w, "SELECT count(*) FROM reject WHERE job_id = 4");
    assert_int_equal(txns + rejects, r.records);
    assert_int_equal(txns, r.loaded);
    assert_int_equal(scalar(w, "SELECT count(*) - count(DISTINCT source_key) FROM txn"), 0);
    wh_close(w);

    /* the same file into a fresh store without a crash gives the same store */
    wh *w2 = fresh_store("k2.db");
    for (int i = 0; i < 3; i++) {
        char p[700];
        snprintf(p, sizeof p, "%s/%s", host, masters[i]);
        sp_spec *ms;
        assert_ok(sp_spec_builtin(specs[i], host, &ms, &e));
        assert_ok(ld_load(w2, ms, p, &o, &r, &e));
        sp_spec_free(ms);
    }
    ld_result r2;
    assert_ok(ld_load(w2, s, txn, &o, &r2, &e));
    assert_int_equal(r2.loaded, txns);
    assert_int_equal(r2.rejected, rejects);
    int64_t clean_sum = scalar(w2, "SELECT sum(amount_minor) FROM txn");
    sp_spec_free(s);
    wh_close(w2);
    assert_ok(wh_open(db, NULL, 0, &w, NULL, &e));
    assert_int_equal(scalar(w, "SELECT sum(amount_minor) FROM txn"), clean_sum);
    wh_close(w);
}

/* ---- CDNOW with its spec alone ---- */

static void cdnow_loads_with_a_spec(void **state)
{
    (void)state;
    const char *path = "../shared/data/cdnow/CDNOW_sample.txt";
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("skipped: %s is not here (the shared data folder sits beside the project)\n", path);
        return;
    }
    /* an independent count and total */
    long long n = 0, cents = 0;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        int a, b, c, q, d1, d2;
        if (sscanf(line, "%d %d %d %d %d.%d", &a, &b, &c, &q, &d1, &d2) == 6) {
            n++;
            cents += d1 * 100LL + d2;
        }
    }
    fclose(f);
    assert_int_equal(n, 6919);
    assert_int_equal(cents, 24409194);
    wh *w = fresh_store("cdnow.db");
    sp_spec *s;
    rp_error e = RP_ERROR_INIT;
    assert_ok(sp_spec_builtin("cdnow", NULL, &s, &e));
    ld_options o = { 0 };
    o.max_reject_rate = 0;
    ld_result r;
    assert_ok(ld_load(w, s, path, &o, &r, &e));
    assert_int_equal(r.loaded, 6919);
    assert_int_equal(r.rejected, 0);
    assert_int_equal(scalar(w, "SELECT count(*) FROM party"), 2357);
    assert_int_equal(scalar(w, "SELECT count(DISTINCT account_id) FROM txn"), 2357);
    assert_int_equal(scalar(w, "SELECT -sum(amount_minor) FROM txn WHERE currency = 'USD'"), cents);
    assert_int_equal(scalar(w, "SELECT sum(quantity) > 6919 FROM txn"), 1);
    assert_int_equal(scalar(w, "SELECT min(posted_at) = '1996-12-31T16:00:00Z' FROM txn"), 1);
    sp_spec_free(s);
    wh_close(w);
}

/* Transactions the warehouse refuses, checked on the decoding thread: each
 * is a reject of its record, with the first target's reason, in the file's
 * order; a repeated reference becomes a reject when its batch is written;
 * the rest load, in batches of two. */
static void transactions_refused_by_the_warehouse(void **state)
{
    (void)state;
    wh *w = fresh_store("refused.db");
    rp_error e = RP_ERROR_INIT;
    if (wh_import_json(w, "tests/fixtures/bank.json", "test", NULL, &e))
        fail_msg("%s", rp_errmsg(&e));
    const char *spec =
        "{\"spec\":\"refused\",\"source\":\"card\",\"format\":\"csv\",\"header\":true,\"fields\":["
        "{\"name\":\"account\",\"from\":\"account\",\"required\":true},"
        "{\"name\":\"posted\",\"from\":\"posted\",\"required\":true},"
        "{\"name\":\"amount\",\"from\":\"amount\",\"type\":\"amount\",\"required\":true},"
        "{\"name\":\"channel\",\"from\":\"channel\"},{\"name\":\"class\",\"from\":\"class\"},"
        "{\"name\":\"ref\",\"from\":\"ref\",\"required\":true},"
        "{\"name\":\"fee\",\"from\":\"fee\",\"type\":\"amount\"},"
        "{\"name\":\"fee_ref\",\"concat\":[\"ref\",\"=F\"]},"
        "{\"name\":\"note\",\"from\":\"note\"}],"
        "\"targets\":["
        "{\"entity\":\"transaction\",\"when\":\"fee\",\"account\":{\"number\":\"account\"},\"posted_at\":\"posted\","
        "\"amount\":\"fee\",\"channel\":\"=counter\",\"class\":\"=fee\",\"key\":\"fee_ref\"},"
        "{\"entity\":\"transaction\",\"account\":{\"number\":\"account\"},\"posted_at\":\"posted\",\"amount\":\"amount\","
        "\"channel\":\"channel\",\"class\":\"class\",\"key\":\"ref\",\"description\":\"note\"}]}";
    sp_spec *s;
    if (sp_spec_parse(spec, strlen(spec), "test", NULL, NULL, &s, &e))
        fail_msg("%s", rp_errmsg(&e));
    const char *file = tu_path("refused.csv");
    tu_write_file(file,
                  "account,posted,amount,channel,class,ref,fee,note\n"
                  "0012-100-000001,2026-11-02T09:00:00+08:00,100.00,atm,deposit,R1,,\n"
                  "0012-100-000001,2026-11-02T10:00:00+08:00,5.00,teleport,fee,R2,,\n"
                  "0012-100-000001,2026-13-40T00:00:00Z,1.00,atm,fee,R3,,\n"
                  "9999-999,2026-11-02T11:00:00+08:00,1.00,atm,fee,R4,,\n"
                  "0012-100-000001,2026-11-03T09:00:00+08:00,7.00,pos,purchase,R1,,\n"
                  "0012-300-000002,2026-11-03T09:00:00+08:00,50.00,branch,withdrawal,R6,15.00,\n"
                  "0012-300-000002,2026-11-04T09:00:00+08:00,-20.00,mobile,transfer_out,R7,,\"a \"\"quoted\"\" note\"\n"
                  "0012-300-000002,2026-11-04T10:00:00+08:00,3.00,mobile,transfer_in,R8,,\n"
                  "0012-100-000001,2026-11-05T09:00:00+08:00,9.00,internet,purchase,R9,,\n"
                  "0012-100-000001,2026-11-05T09:30:00+08:00,9.00,internet,purchase,R9,,\n"
                  "0012-100-000001,2026-11-06T09:00:00+08:00,4.00,phone,fee,R11,,\n");
    ld_options o = { 0 };
    o.max_reject_rate = -1;
    o.batch = 2;
    ld_result r;
    assert_ok(ld_load(w, s, file, &o, &r, &e));
    assert_int_equal(r.records, 11);
    assert_int_equal(r.loaded, 5);
    assert_int_equal(r.rejected, 6);
    char *got = NULL;
    size_t gl = 0;
    FILE *f = open_memstream(&got, &gl);
    assert_ok(ld_rejects_csv(w, r.job, f, 0, &e));
    fclose(f);
    /* in the file's order; the repeats found when their batch was written, with their own records */
    const char *want[] = {
        "2,115,transaction.channel,,invalid,\"transaction.channel: 'teleport' is not one of branch, atm, internet, "
        "mobile, phone, pos, batch\"",
        "3,180,transaction.posted_at,,invalid,transaction.posted_at: invalid time '2026-13-40T00:00:00Z': no such "
        "date",
        /* an account number is masked in every listing, as the 360 masks it */
        "4,235,account,999**999,reference,account: no account '999**999'",
        "5,288,transaction,,duplicate,transaction: card record 'R1' was already loaded",
        /* the fee's target comes first, and its refusal is the record's: R6 itself is not loaded */
        "6,353,transaction.channel,,invalid,\"transaction.channel: 'counter' is not one of branch, atm, internet, "
        "mobile, phone, pos, batch\"",
        "10,663,transaction,,duplicate,transaction: card record 'R9' was already loaded",
    };
    char all[4096] = "";
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        snprintf(all + strlen(all), sizeof all - strlen(all), "%s,%s\r\n", file, want[i]);
    assert_string_equal(got, all);
    free(got);
    /* the fee target, skipped where there is no fee, leaves the record's own transaction its place */
    rp_stmt *st;
    assert_ok(rp_store_prepare(wh_store(w),
                               "SELECT group_concat(source_key || '=' || amount_minor || coalesce('/' || description, "
                               "''), ' ') FROM (SELECT * FROM txn WHERE source = 'card' ORDER BY id) t",
                               &st, &e));
    assert_int_equal(rp_stmt_step(st, &e), RP_ROW);
    assert_string_equal(rp_stmt_text(st, 0), "R1=10000 R7=-2000/a \"quoted\" note R8=300 R9=900 R11=400");
    rp_stmt_done(st);
    assert_int_equal(scalar(w, "SELECT count(*) FROM txn WHERE source = 'card' AND source_key = 'R6'"), 0);
    sp_spec_free(s);
    wh_close(w);
}

/* Load a CSV (header first) with a spec of one target: its rejects as CSV
 * rows without the file's name, and the result. */
static char *load_csv(wh *w, const char *name, const char *spec, const char *csv, ld_result *r)
{
    rp_error e = RP_ERROR_INIT;
    sp_spec *s;
    if (sp_spec_parse(spec, strlen(spec), name, NULL, NULL, &s, &e))
        fail_msg("%s: %s", name, rp_errmsg(&e));
    const char *file = tu_path(name);
    tu_write_file(file, csv);
    ld_options o = { 0 };
    o.max_reject_rate = -1;
    if (ld_load(w, s, file, &o, r, &e))
        fail_msg("%s: %s", name, rp_errmsg(&e));
    char *got = NULL;
    size_t gl = 0;
    FILE *f = open_memstream(&got, &gl);
    assert_ok(ld_rejects_csv(w, r->job, f, 0, &e));
    fclose(f);
    /* the rows without the file's name, which is a temporary path */
    char *out = calloc(1, gl + 1);
    for (char *p = got, *q = out; *p;) {
        char *nl = strchr(p, '\n'), *comma = strchr(p, ',');
        size_t n = nl ? (size_t)(nl - comma) : strlen(comma + 1);
        memcpy(q, comma + 1, n);
        q += n;
        p = nl ? nl + 1 : p + strlen(p);
    }
    free(got);
    sp_spec_free(s);
    return out;
}

/* Campaigns, calls, notes and online activity go through the warehouse's
 * writers; what those refuse is the record's reject, named as it always
 * was. */
/* Links to a customer not loaded yet wait for them, however many there are:
 * twenty members of one household name a head who arrives in a later file. */
/* Does the store's file (or its WAL) hold these bytes anywhere? */
static int store_holds(wh *w, const char *what)
{
    int found = 0;
    const char *suffix[] = { "", "-wal" };
    for (int i = 0; i < 2 && !found; i++) {
        char path[1100];
        snprintf(path, sizeof path, "%s%s", wh_db_path(w), suffix[i]);
        struct stat sb;
        char *buf = stat(path, &sb) == 0 ? tu_read_file(path) : NULL;
        found = buf && memmem(buf, (size_t)sb.st_size, what, strlen(what)) != NULL;
        free(buf);
    }
    return found;
}

/* A rejected record is personal data: its raw bytes, value and message are
 * sealed at rest, listed masked, revealed whole; a card number loaded is
 * kept as a keyed hash, sealed and masked, never in clear, and still found
 * by its number. */
static void rejects_and_cards_are_sealed(void **state)
{
    (void)state;
    wh *w = fresh_store("sealed.db");
    rp_error e = RP_ERROR_INIT;
    sp_spec *s;
    assert_ok(sp_spec_builtin("card-customers", NULL, &s, &e));
    const char *file = tu_path("card_customers_sealed.csv");
    /* record 2: a national ID whose checksum fails; record 3: a bad birth date (CP950: names in ASCII) */
    tu_write_file(file,
                  "card_cust_no,name,name_en,id_no,birth_date,gender,mobile,home_phone,zip,address,email,card_no,"
                  "card_product,issued,credit_limit,status\n"
                  "C000000001,WANG,WANG HSIAO-MING,A123456789,1980-01-02,M,0912345678,,100,No. 1 Chongqing S. Rd,"
                  "ming@example.com,4563180000000001,GOLD,2020-01-01,100000,active\n"
                  "C000000002,LI,LI HSIAO-HUA,F105679093,1981-02-03,F,0922333444,,100,No. 2 Chongqing S. Rd,"
                  "hua@example.com,4563180000000019,GOLD,2020-01-01,100000,active\n"
                  "C000000003,CHANG,CHANG SAN,B123456780,1982-02-30,M,0933444555,,100,No. 3 Chongqing S. Rd,"
                  "san@example.com,4563180000000027,PLAT,2020-01-01,100000,active\n");
    ld_options o = { 0 };
    o.max_reject_rate = -1;
    ld_result r;
    assert_ok(ld_load(w, s, file, &o, &r, &e));
    if (r.loaded != 1) {
        json_t *dbg;
        assert_ok(ld_rejects_list(w, r.job, NULL, NULL, 10, &dbg, &e));
        fail_msg("loaded %lld: %s", (long long)r.loaded, json_dumps(dbg, 0));
    }
    assert_int_equal(r.rejected, 2);
    /* at rest: no raw record, no ID, no card number, no e-mail of a rejected record in clear */
    char db[1100], key[1100];
    snprintf(db, sizeof db, "%s", wh_db_path(w));
    snprintf(key, sizeof key, "%s", wh_key_path(w));
    wh_close(w);
    assert_ok(wh_open(db, key, 0, &w, NULL, &e));
    assert_false(store_holds(w, "F105679093"));
    assert_false(store_holds(w, "4563180000000019"));
    assert_false(store_holds(w, "4563180000000001"));
    assert_false(store_holds(w, "hua@example.com"));
    assert_int_equal(scalar(w, "SELECT count(*) FROM reject WHERE raw IS NULL AND sealed IS NOT NULL"), 2);
    /* listed masked */
    json_t *list;
    assert_ok(ld_rejects_list(w, r.job, NULL, NULL, 10, &list, &e));
    assert_int_equal(json_array_size(list), 2);
    json_t *first = json_array_get(list, 0);
    assert_string_equal(json_string_value(json_object_get(first, "field")), "id_no");
    assert_string_equal(json_string_value(json_object_get(first, "value")), "F10****093");
    assert_null(strstr(json_string_value(json_object_get(first, "message")), "F105679093"));
    assert_non_null(strstr(json_string_value(json_object_get(first, "message")), "F10****093"));
    json_decref(list);
    /* revealed whole */
    json_t *one;
    assert_ok(ld_reject_reveal(w, r.job, 2, &one, &e));
    assert_string_equal(json_string_value(json_object_get(one, "value")), "F105679093");
    assert_non_null(strstr(json_string_value(json_object_get(one, "message")), "'F105679093'"));
    assert_non_null(strstr(json_string_value(json_object_get(one, "raw")), "4563180000000019,GOLD"));
    json_decref(one);
    assert_int_equal(ld_reject_reveal(w, r.job, 9, &one, &e), RP_NOTFOUND);
    /* the card loaded: kept by its keyed hash, masked, sealed; found by its number with or without dashes */
    assert_int_equal(scalar(w, "SELECT count(*) FROM account WHERE number LIKE 'pan:%' AND masked = "
                               "'456318******0001' AND length(sealed) = 16 + 40"), 1);
    assert_int_equal(scalar(w, "SELECT count(*) FROM source_record WHERE entity = 'account' AND "
                               "source_key LIKE 'pan:%'"), 1);
    int64_t id1, id2, party;
    assert_ok(wh_account_id(w, "4563180000000001", &id1, &e));
    assert_ok(wh_account_id(w, "4563-1800-0000-0001", &id2, &e));
    assert_int_equal(id1, id2);
    const char *how;
    assert_ok(wh_find(w, "4563180000000001", &party, &how, &e));
    json_t *doc;
    assert_ok(wh_c360(w, party, 0, &doc, &e));
    json_t *acct = json_array_get(json_object_get(doc, "accounts"), 0);
    assert_string_equal(json_string_value(json_object_get(acct, "number")), "456318******0001");
    assert_null(json_object_get(acct, "sealed_account"));
    json_decref(doc);
    assert_ok(wh_c360(w, party, WH_C360_REVEAL, &doc, &e));
    acct = json_array_get(json_object_get(doc, "accounts"), 0);
    assert_string_equal(json_string_value(json_object_get(acct, "number")), "4563180000000001");
    json_decref(doc);
    /* an unknown card is named masked */
    assert_int_equal(wh_account_id(w, "4563180000000035", &id1, &e), RP_NOTFOUND);
    assert_null(strstr(rp_errmsg(&e), "4563180000000035"));
    /* the rejects written back out for correction are the records as they came, in a file only its owner reads */
    const char *out = tu_path("sealed-rejects.csv");
    int64_t n;
    assert_ok(ld_rejects_export(w, r.job, out, &n, &e));
    assert_int_equal(n, 2);
    struct stat sb;
    assert_int_equal(stat(out, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    char *text = tu_read_file(out);
    assert_non_null(strstr(text, "F105679093"));
    free(text);
    sp_spec_free(s);
    wh_close(w);
}

/* A new sealing key: stopped half way, the store opens for nothing but the
 * rotation, which goes on where it was; after it every value is found and
 * revealed as before, with the new key only. */
static void the_key_rotates_and_resumes(void **state)
{
    (void)state;
    wh *w = fresh_store("rotate.db");
    rp_error e = RP_ERROR_INIT;
    sp_spec *s;
    assert_ok(sp_spec_builtin("card-customers", NULL, &s, &e));
    const char *file = tu_path("card_customers_rotate.csv");
    tu_write_file(file,
                  "card_cust_no,name,name_en,id_no,birth_date,gender,mobile,home_phone,zip,address,email,card_no,"
                  "card_product,issued,credit_limit,status\n"
                  "C000000001,,WANG,A123456789,1980-01-02,M,0912345678,,100,No. 1,a@example.com,4563180000000001,"
                  "GOLD,2020-01-01,100000,active\n"
                  "C000000002,,LI,F105679093,1981-02-03,F,0922333444,,100,No. 2,b@example.com,4563180000000019,"
                  "GOLD,2020-01-01,100000,active\n"
                  "C000000003,,CHANG,B120000008,1982-03-04,M,0933444555,,100,No. 3,c@example.com,4563180000000027,"
                  "PLAT,2020-01-01,100000,active\n");
    ld_options o = { 0 };
    o.max_reject_rate = -1;
    ld_result r;
    assert_ok(ld_load(w, s, file, &o, &r, &e));
    assert_int_equal(r.rejected, 1);
    char db[1100], key[1100];
    snprintf(db, sizeof db, "%s", wh_db_path(w));
    snprintf(key, sizeof key, "%s", wh_key_path(w));
    char *old_key = tu_read_file(key);
    /* begun, one batch of one row, then stopped */
    int64_t done;
    int finished;
    assert_ok(wh_rotation_begin(w, &e));
    assert_ok(wh_rotation_step(w, 1, &done, &finished, &e));
    assert_int_equal(done, 1);
    wh_close(w);
    assert_int_equal(wh_open(db, key, 0, &w, NULL, &e), RP_BUSY);
    assert_non_null(strstr(rp_errmsg(&e), "key rotation is under way"));
    assert_ok(wh_open(db, key, WH_ROTATE, &w, NULL, &e));
    for (finished = 0; !finished;)
        assert_ok(wh_rotation_step(w, 2, &done, &finished, &e));
    for (finished = 0; !finished;)
        assert_ok(ld_rotation_step(w, 2, &done, &finished, &e));
    char retired[1200];
    assert_ok(wh_rotation_finish(w, retired, sizeof retired, &e));
    assert_ok(ld_rotation_end(w, &e));
    wh_close(w);
    /* the key file is new, the old one retired beside it */
    char *new_key = tu_read_file(key), *kept = tu_read_file(retired);
    assert_non_null(kept);
    assert_string_equal(kept, old_key);
    assert_string_not_equal(new_key, old_key);
    free(old_key), free(new_key), free(kept);
    /* found and revealed as before */
    assert_ok(wh_open(db, key, 0, &w, NULL, &e));
    int64_t party, acct;
    const char *how;
    assert_ok(wh_find(w, "A123456789", &party, &how, &e));
    assert_ok(wh_find(w, "C000000003", &party, &how, &e));
    assert_ok(wh_account_id(w, "4563180000000027", &acct, &e));
    json_t *doc;
    assert_ok(wh_c360(w, party, WH_C360_REVEAL, &doc, &e));
    json_t *ids = json_object_get(doc, "identifiers");
    int seen = 0;
    size_t i;
    json_t *id;
    json_array_foreach(ids, i, id) seen |= !strcmp(json_string_value(json_object_get(id, "value")), "B120000008");
    assert_true(seen);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(doc, "accounts"), 0),
                                                           "number")), "4563180000000027");
    json_decref(doc);
    json_t *one;
    assert_ok(ld_reject_reveal(w, r.job, 2, &one, &e));
    assert_string_equal(json_string_value(json_object_get(one, "value")), "F105679093");
    json_decref(one);
    sp_spec_free(s);
    wh_close(w);
}

static void many_links_wait_for_one_customer(void **state)
{
    (void)state;
    wh *w = fresh_store("pending.db");
    const char *spec = "{\"spec\":\"h\",\"source\":\"hh\",\"format\":\"csv\",\"header\":true,\"fields\":["
                       "{\"name\":\"cust\",\"from\":\"cust\"},{\"name\":\"name\",\"from\":\"name\"},"
                       "{\"name\":\"head\",\"from\":\"head\",\"optional\":true}],"
                       "\"targets\":[{\"entity\":\"party\",\"key\":\"cust\",\"kind\":\"=person\",\"name_latin\":\"name\"},"
                       "{\"entity\":\"link\",\"to\":{\"source\":\"hh\",\"key\":\"head\"},\"kind\":\"=household\"}]}";
    char csv[2048] = "cust,name,head\n";
    for (int i = 1; i <= 20; i++)
        snprintf(csv + strlen(csv), sizeof csv - strlen(csv), "M%02d,MEMBER %d,H1\n", i, i);
    ld_result r;
    char *got = load_csv(w, "members.csv", spec, csv, &r);
    assert_string_equal(got, "");
    free(got);
    assert_int_equal(scalar(w, "SELECT count(*) FROM party_link"), 0);
    got = load_csv(w, "head.csv", spec, "cust,name,head\nH1,HEAD OF HOUSE,\n", &r);
    assert_string_equal(got, "");
    free(got);
    assert_int_equal(scalar(w, "SELECT count(*) FROM party_link WHERE kind = 'household'"), 20);
    assert_int_equal(scalar(w, "SELECT count(*) FROM pending_link"), 0);
    wh_close(w);
}

static void history_refused_by_the_warehouse(void **state)
{
    (void)state;
    wh *w = fresh_store("history.db");
    rp_error e = RP_ERROR_INIT;
    if (wh_import_json(w, "tests/fixtures/bank.json", "test", NULL, &e))
        fail_msg("%s", rp_errmsg(&e));
    ld_result r;
    char *got = load_csv(w, "campaigns.csv",
                         "{\"spec\":\"c\",\"source\":\"campaign\",\"format\":\"csv\",\"header\":true,\"fields\":["
                         "{\"name\":\"code\",\"from\":\"code\"},{\"name\":\"name\",\"from\":\"name\"}],"
                         "\"targets\":[{\"entity\":\"campaign\",\"code\":\"code\",\"name\":\"name\"}]}",
                         "code,name\nC1,Spring\nC2,Autumn\n", &r);
    assert_string_equal(got, "");
    free(got);
    assert_int_equal(r.loaded, 2);

    const char *targets =
        "{\"spec\":\"t\",\"source\":\"campaign\",\"format\":\"csv\",\"header\":true,\"fields\":["
        "{\"name\":\"campaign\",\"from\":\"campaign\"},{\"name\":\"cust\",\"from\":\"cust\"},"
        "{\"name\":\"group\",\"from\":\"group\"}],"
        "\"targets\":[{\"entity\":\"campaign_target\",\"party\":{\"source\":\"host\",\"key\":\"cust\"},"
        "\"campaign\":\"campaign\",\"group\":\"group\"}]}";
    got = load_csv(w, "targets.csv", targets,
                   "campaign,cust,group\nC1,0000012345,treatment\nC9,0000012345,control\n"
                   "C1,0000012346,placebo\nC1,0000012346,control\n",
                   &r);
    assert_string_equal(got, "2,44,campaign,C9,reference,campaign: no campaign 'C9'\r\n"
                             "3,66,group,placebo,code,group: 'placebo' is not treatment or control\r\n");
    free(got);
    assert_int_equal(r.loaded, 2);
    assert_int_equal(scalar(w, "SELECT count(*) FROM campaign_target WHERE campaign = 'C1'"), 2);

    const char *responses =
        "{\"spec\":\"r\",\"source\":\"campaign\",\"format\":\"csv\",\"header\":true,\"fields\":["
        "{\"name\":\"campaign\",\"from\":\"campaign\"},{\"name\":\"cust\",\"from\":\"cust\"},"
        "{\"name\":\"response\",\"from\":\"response\"}],"
        "\"targets\":[{\"entity\":\"campaign_response\",\"party\":{\"source\":\"host\",\"key\":\"cust\"},"
        "\"campaign\":\"campaign\",\"response\":\"response\"}]}";
    got = load_csv(w, "responses.csv", responses,
                   "campaign,cust,response\nC1,0000012345,positive\nC1,0000012346,maybe\nC2,0000012345,positive\n", &r);
    assert_string_equal(got, "2,46,response,maybe,code,response: 'maybe' is not positive or negative\r\n"
                             "3,66,campaign,C2,reference,campaign: the customer is not a target of campaign 'C2'\r\n");
    free(got);
    assert_int_equal(r.loaded, 1);
    assert_int_equal(scalar(w, "SELECT count(*) FROM campaign_response WHERE campaign = 'C1' AND source = 'file'"), 1);

    const char *calls =
        "{\"spec\":\"k\",\"source\":\"callcentre\",\"format\":\"csv\",\"header\":true,\"fields\":["
        "{\"name\":\"call_id\",\"from\":\"call_id\"},{\"name\":\"arrival\",\"from\":\"arrival\",\"type\":\"datetime\"},"
        "{\"name\":\"cust\",\"from\":\"cust\"},{\"name\":\"wait\",\"from\":\"wait\",\"type\":\"integer\"},"
        "{\"name\":\"reason\",\"from\":\"reason\"}],"
        "\"targets\":[{\"entity\":\"call\",\"party\":{\"source\":\"host\",\"key\":\"cust\",\"optional\":true},"
        "\"call_id\":\"call_id\",\"arrival\":\"arrival\",\"wait_s\":\"wait\",\"reason\":\"reason\"}]}";
    got = load_csv(w, "calls.csv", calls,
                   "call_id,arrival,cust,wait,reason\nK1,2026-11-02T09:00:00+08:00,0000012345,12,card lost\n"
                   "K2,2026-11-02T10:00:00+08:00,,,\nK2,2026-11-02T11:00:00+08:00,,5,\n",
                   &r);
    assert_string_equal(got, "3,118,call_id,K2,duplicate,call 'K2' was already loaded\r\n");
    free(got);
    assert_int_equal(scalar(w, "SELECT wait_s FROM call_record WHERE call_id = 'K1'"), 12);
    assert_int_equal(scalar(w, "SELECT count(*) FROM call_record WHERE call_id = 'K2' AND wait_s IS NULL "
                               "AND party_id IS NULL AND interaction_id IS NULL"), 1);
    /* an identified call loaded again is refused whole: no second contact-history entry */
    int64_t entries = scalar(w, "SELECT count(*) FROM interaction");
    got = load_csv(w, "calls-again.csv", calls,
                   "call_id,arrival,cust,wait,reason\nK1,2026-11-02T09:00:00+08:00,0000012345,12,card lost again\n"
                   "K3,2026-11-02T12:00:00+08:00,,,\n", /* (a file whose every record is rejected fails) */
                   &r);
    assert_non_null(strstr(got, ",call_id,K1,duplicate,call 'K1' was already loaded\r\n"));
    free(got);
    assert_int_equal(scalar(w, "SELECT count(*) FROM interaction"), entries);

    const char *notes =
        "{\"spec\":\"n\",\"source\":\"callcentre\",\"format\":\"csv\",\"header\":true,\"fields\":["
        "{\"name\":\"call_id\",\"from\":\"call_id\"},{\"name\":\"note\",\"from\":\"note\"}],"
        "\"targets\":[{\"entity\":\"call_note\",\"call_id\":\"call_id\",\"note\":\"note\"}]}";
    got = load_csv(w, "notes.csv", notes, "call_id,note\nK1,called back\nK7,hello\n", &r);
    assert_string_equal(got, "2,28,call_id,K7,reference,call_id: no call 'K7' from callcentre\r\n");
    free(got);
    /* the identified call's note is its contact-history entry's too */
    assert_int_equal(scalar(w, "SELECT count(*) FROM interaction i JOIN call_record c ON c.interaction_id = i.id "
                               "WHERE c.call_id = 'K1' AND i.notes = 'called back' AND c.note = 'called back'"), 1);

    const char *events =
        "{\"spec\":\"a\",\"source\":\"online\",\"format\":\"csv\",\"header\":true,\"fields\":["
        "{\"name\":\"key\",\"from\":\"key\"},{\"name\":\"at\",\"from\":\"at\",\"type\":\"datetime\"},"
        "{\"name\":\"cust\",\"from\":\"cust\"},{\"name\":\"amount\",\"from\":\"amount\",\"type\":\"amount\"}],"
        "\"targets\":[{\"entity\":\"activity\",\"party\":{\"source\":\"host\",\"key\":\"cust\"},\"at\":\"at\","
        "\"kind\":\"=transfer\",\"amount\":\"amount\",\"key\":\"key\"}]}";
    got = load_csv(w, "events.csv", events,
                   "key,at,cust,amount\nA1,2026-11-02T09:00:00+08:00,0000012345,12.50\n"
                   "A1,2026-11-02T09:05:00+08:00,0000012345,\nA2,2026-11-02T09:06:00+08:00,0000012346,\n",
                   &r);
    assert_string_equal(got, "2,65,,A1,duplicate,online record 'A1' was already loaded\r\n");
    free(got);
    assert_int_equal(scalar(w, "SELECT amount_minor FROM activity WHERE source_key = 'A1'"), 1250);
    assert_int_equal(scalar(w, "SELECT count(*) FROM activity WHERE source_key = 'A2' AND amount_minor IS NULL"), 1);
    wh_close(w);
}


/* ---- issue 21 items 11 and 12: files where nothing loads, control totals, text from files, killed jobs ---- */

static const char *const cust_spec =
    "{\"spec\":\"g\",\"source\":\"g\",\"format\":\"csv\",\"header\":true,\"fields\":["
    "{\"name\":\"no\",\"from\":\"no\",\"required\":true,\"pattern\":\"^G[0-9]+$\"},"
    "{\"name\":\"birth\",\"from\":\"birth\",\"type\":\"date\"}],"
    "\"targets\":[{\"entity\":\"party\",\"key\":\"no\",\"kind\":\"=person\",\"name_latin\":\"no\","
    "\"birth_date\":\"birth\"}]}";

static void write_bytes(const char *path, const void *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
}

/* The text of a query's first row, first column (copied), or "". */
static char *text_of(wh *w, const char *sql)
{
    rp_stmt *st;
    rp_error e = RP_ERROR_INIT;
    if (rp_store_prepare(wh_store(w), sql, &st, &e))
        fail_msg("%s: %s", sql, rp_errmsg(&e));
    char *v = strdup(rp_stmt_step(st, &e) == RP_ROW && rp_stmt_text(st, 0) ? rp_stmt_text(st, 0) : "");
    rp_stmt_done(st);
    return v;
}

/* No byte of s is ESC, and it is valid UTF-8. */
static void printable_text(const char *what, const char *s)
{
    if (!s)
        return;
    if (strchr(s, '\x1b') || !rp_utf8_valid(s, strlen(s), NULL))
        fail_msg("%s is not printable: %s", what, s);
}

/* printf '\xff\n"' to a CSV spec ended in "UNIQUE constraint failed:
 * reject.job_id, reject.record": the unreadable header row was record 1,
 * and so was the row after it, itself taken for the header.  Now the file
 * fails, saying why; without a header each row is a record of its own; and
 * a record bad in two ways has one reject that gives both reasons. */
static void csv_garbage_fails_cleanly(void **state)
{
    (void)state;
    wh *w = fresh_store("garbage.db");
    rp_error e = RP_ERROR_INIT;
    sp_spec *s = spec_of(cust_spec);
    const char *file = tu_path("f.csv");
    write_bytes(file, "\xff\n\"", 3);
    ld_options o = { 0 };
    o.max_reject_rate = -1;
    ld_result r;
    assert_int_equal(ld_load(w, s, file, &o, &r, &e), RP_ENCODING);
    assert_null(strstr(rp_errmsg(&e), "constraint"));
    assert_non_null(strstr(rp_errmsg(&e), "f.csv: the header row cannot be read (not UTF-8 at byte 0 of the record)"));
    assert_int_equal(scalar(w, "SELECT count(*) FROM load_job WHERE status = 'failed' AND message LIKE "
                               "'%header row cannot be read%'"), 1);
    assert_int_equal(scalar(w, "SELECT count(*) FROM reject"), 0);
    sp_spec_free(s);
    /* no header: the two rows are records 1 and 2, each rejected once; nothing loads, so the job fails */
    s = spec_of("{\"spec\":\"n\",\"source\":\"n\",\"format\":\"csv\",\"fields\":[{\"name\":\"no\",\"from\":1}],"
                "\"targets\":[{\"entity\":\"party\",\"key\":\"no\",\"kind\":\"=person\",\"name_latin\":\"no\"}]}");
    file = tu_path("g.csv");
    write_bytes(file, "\xff\n\"", 3);
    assert_int_equal(ld_load(w, s, file, &o, &r, &e), RP_INVAL);
    assert_true(r.failed);
    assert_int_equal(r.records, 2);
    assert_int_equal(r.rejected, 2);
    assert_string_equal(rp_errmsg(&e) + strlen(rp_errmsg(&e)) - strlen("every one of 2 records was rejected: is this "
                                                                     "the right spec / code page?"),
                        "every one of 2 records was rejected: is this the right spec / code page?");
    assert_int_equal(scalar(w, "SELECT count(DISTINCT record) FROM reject WHERE job_id = 2"), 2);
    /* an unmatched quote in a record that is not UTF-8 either: one reject, both reasons */
    file = tu_path("h.csv");
    tu_write_file(file, "G1\n\"G\xff\n");
    assert_int_equal(ld_load(w, s, file, &o, &r, &e), RP_OK);
    assert_int_equal(r.rejected, 1);
    char *m = text_of(w, "SELECT message FROM reject WHERE job_id = 3");
    assert_string_equal(m, "field 1: unmatched quote: the file ends inside it; not UTF-8 at byte 2 of the record either");
    free(m);
    sp_spec_free(s);
    wh_close(w);
}

/* A file whose every record is rejected (and that has one) is not done:
 * its job fails, with the rejects kept; a duplicate of everything says so. */
static void nothing_loaded_is_a_failure(void **state)
{
    (void)state;
    wh *w = fresh_store("nothing.db");
    rp_error e = RP_ERROR_INIT;
    sp_spec *s = spec_of(cust_spec);
    const char *file = tu_path("bad.csv");
    tu_write_file(file, "no,birth\nX1,\nX2,\nX3,\n");
    ld_options o = { 0 };
    o.max_reject_rate = -1;
    ld_result r;
    assert_int_equal(ld_load(w, s, file, &o, &r, &e), RP_INVAL);
    assert_true(r.failed);
    assert_int_equal(r.records, 3);
    assert_int_equal(r.rejected, 3);
    assert_int_equal(r.ncounts, 1); /* the counts say why */
    assert_string_equal(r.counts[0].rule, "pattern");
    char *m = text_of(w, "SELECT status || ': ' || message FROM load_job WHERE id = 1");
    assert_string_equal(m, "failed: every one of 3 records was rejected: is this the right spec / code page?");
    free(m);
    assert_int_equal(scalar(w, "SELECT count(*) FROM reject WHERE job_id = 1"), 3);
    /* with a maximum of 100 % (one transaction) the rejects are committed all the same */
    file = tu_path("bad2.csv");
    tu_write_file(file, "no,birth\nX4,\n");
    o.max_reject_rate = 1;
    assert_int_equal(ld_load(w, s, file, &o, &r, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e) + strlen(rp_errmsg(&e)) - strlen("its one record was rejected: is this the right "
                                                                     "spec / code page?"),
                        "its one record was rejected: is this the right spec / code page?");
    assert_int_equal(scalar(w, "SELECT count(*) FROM reject WHERE job_id = 2"), 1);
    /* and below the maximum, the refusal says every record was rejected */
    file = tu_path("bad3.csv");
    tu_write_file(file, "no,birth\nX5,\n");
    o.max_reject_rate = 0.5;
    assert_int_equal(ld_load(w, s, file, &o, &r, &e), RP_INVAL);
    assert_non_null(strstr(rp_errmsg(&e), "stopped: its one record was rejected: is this the right spec / code page?; "
                                          "nothing was committed"));
    /* an empty file and a header alone are no failure */
    file = tu_path("header.csv");
    tu_write_file(file, "no,birth\n");
    o.max_reject_rate = -1;
    assert_ok(ld_load(w, s, file, &o, &r, &e));
    assert_int_equal(r.records, 0);
    sp_spec_free(s);
    /* every record a duplicate of what was loaded before */
    assert_ok(wh_import_json(w, "tests/fixtures/bank.json", "test", NULL, &e));
    s = spec_of("{\"spec\":\"k\",\"source\":\"callcentre\",\"format\":\"csv\",\"header\":true,\"fields\":["
                "{\"name\":\"call_id\",\"from\":\"call_id\"},{\"name\":\"arrival\",\"from\":\"arrival\","
                "\"type\":\"datetime\"}],\"targets\":[{\"entity\":\"call\",\"call_id\":\"call_id\",\"arrival\":\"arrival\"}]}");
    file = tu_path("calls.csv");
    tu_write_file(file, "call_id,arrival\nK1,2026-11-02T09:00:00+08:00\nK2,2026-11-02T09:01:00+08:00\n");
    assert_ok(ld_load(w, s, file, &o, &r, &e));
    file = tu_path("calls-again.csv");
    tu_write_file(file, "call_id,arrival\nK1,2026-11-02T09:00:00+08:00\nK2,2026-11-02T09:01:00+08:00\n\n");
    assert_int_equal(ld_load(w, s, file, &o, &r, &e), RP_INVAL);
    assert_non_null(strstr(rp_errmsg(&e), "every one of 2 records was rejected as a duplicate: was this file loaded "
                                          "before, under another name?"));
    sp_spec_free(s);
    wh_close(w);
}

/* A manifest's counts are control totals: a file with other counts fails
 * with both numbers; with a maximum reject rate nothing of it is committed,
 * without one what was committed stays.  ld_plan_dir reads them. */
static void manifest_counts_are_control_totals(void **state)
{
    (void)state;
    wh *w = fresh_store("totals.db");
    rp_error e = RP_ERROR_INIT;
    sp_spec *s = spec_of(cust_spec);
    const char *file = tu_path("people.csv");
    tu_write_file(file, "no,birth\nG1,1980-01-01\nG2,1980-01-02\n");
    ld_options o = { 0 };
    o.max_reject_rate = 0.5;
    o.expect = LD_EXPECT_RECORDS | LD_EXPECT_BYTES;
    o.expect_records = 10000;
    o.expect_bytes = 37;
    ld_result r;
    assert_int_equal(ld_load(w, s, file, &o, &r, &e), RP_CHECKSUM);
    assert_non_null(strstr(rp_errmsg(&e), "manifest says 10,000 records, the file has 2; nothing was committed"));
    assert_int_equal(scalar(w, "SELECT count(*) FROM party"), 0);
    assert_int_equal(scalar(w, "SELECT count(*) FROM load_job WHERE status = 'failed' AND records = 0"), 1);
    /* without a maximum the batches committed as they went: they stay, and the job fails all the same */
    o.max_reject_rate = -1;
    o.batch = 1;
    assert_int_equal(ld_load(w, s, file, &o, &r, &e), RP_CHECKSUM);
    assert_true(r.failed);
    assert_int_equal(r.loaded, 2);
    assert_non_null(strstr(rp_errmsg(&e), "manifest says 10,000 records, the file has 2; its batches were committed"));
    assert_int_equal(scalar(w, "SELECT count(*) FROM party"), 2);
    char *m = text_of(w, "SELECT status || ': ' || message FROM load_job WHERE id = 1");
    assert_string_equal(m, "failed: manifest says 10,000 records, the file has 2; its batches were committed as they "
                           "were read (there was no --max-reject-rate): what loaded stays");
    free(m);
    /* the bytes are checked before anything is read */
    file = tu_path("people2.csv");
    tu_write_file(file, "no,birth\nG3,1980-01-03\n");
    o.expect_records = 1;
    assert_int_equal(ld_load(w, s, file, &o, &r, &e), RP_CHECKSUM);
    assert_non_null(strstr(rp_errmsg(&e), "people2.csv: manifest says 37 bytes, the file has 23; nothing was loaded"));
    assert_int_equal(scalar(w, "SELECT count(*) FROM party"), 2);
    o.expect_bytes = 23;
    assert_ok(ld_load(w, s, file, &o, &r, &e));
    assert_int_equal(scalar(w, "SELECT count(*) FROM party"), 3);
    sp_spec_free(s);
    wh_close(w);
    /* the plan of a folder carries each file's counts from its manifest, -1 where it gives none */
    const char *dir = tu_path("extract");
    char p[700];
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(p, sizeof p, "%s/host", dir);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/manifest.json", dir);
    tu_write_file(p, "{\"files\":[{\"path\":\"host/CIF.dat\",\"records\":12,\"bytes\":345},"
                     "{\"path\":\"host/ACCT.dat\"}]}");
    ld_plan plan;
    assert_ok(ld_plan_dir(dir, 0, &plan, &e));
    assert_int_equal(plan.n, 2);
    for (int i = 0; i < plan.n; i++) {
        int cif = strstr(plan.items[i].label, "CIF") != NULL;
        assert_int_equal(plan.items[i].records, cif ? 12 : -1);
        assert_int_equal(plan.items[i].bytes, cif ? 345 : -1);
    }
    ld_plan_free(&plan);
    tu_write_file(p, "{\"files\":[{\"path\":\"host/CIF.dat\",\"records\":-1}]}");
    assert_int_equal(ld_plan_dir(dir, 0, &plan, &e), RP_INVAL);
    assert_non_null(strstr(rp_errmsg(&e), "files[0] (host/CIF.dat).records: a count (a whole number, 0 or more) is "
                                          "needed"));
}

/* Text from a file — its name, a value a message quotes, an error that
 * quotes its bytes — is kept printable: ESC as \x1b, bytes that are not
 * UTF-8 as \xhh; the API's JSON has every job and reject. */
static void text_from_files_is_printable(void **state)
{
    (void)state;
    wh *w = fresh_store("printable.db");
    rp_error e = RP_ERROR_INIT;
    sp_spec *s = spec_of(cust_spec);
    const char *file = tu_path("esc\x1b[31m\xff.csv");
    tu_write_file(file, "no,birth\nG1,\x1b[2J1980-01-01\nG2,1980-01-02\n");
    ld_options o = { 0 };
    o.max_reject_rate = -1;
    ld_result r;
    assert_ok(ld_load(w, s, file, &o, &r, &e));
    assert_int_equal(r.rejected, 1);
    char *f = text_of(w, "SELECT file FROM load_job WHERE id = 1");
    assert_non_null(strstr(f, "esc\\x1b[31m\\xff.csv"));
    printable_text("load_job.file", f);
    free(f);
    json_t *list;
    assert_ok(ld_rejects_list(w, 1, NULL, NULL, 10, &list, &e));
    assert_int_equal(json_array_size(list), 1);
    json_t *rj = json_array_get(list, 0);
    printable_text("reject.file", json_string_value(json_object_get(rj, "file")));
    printable_text("reject.value", json_string_value(json_object_get(rj, "value")));
    printable_text("reject.message", json_string_value(json_object_get(rj, "message")));
    assert_non_null(strstr(json_string_value(json_object_get(rj, "message")), "\\x1b[2J"));
    json_decref(list);
    assert_ok(ld_reject_reveal(w, 1, 1, &list, &e));
    printable_text("revealed message", json_string_value(json_object_get(list, "message")));
    printable_text("revealed raw", json_string_value(json_object_get(list, "raw")));
    json_decref(list);
    /* a failure that quotes the file's name and bytes: the job's message is valid UTF-8 */
    file = tu_path("bad\x1b]0;x\x07\xfe.csv");
    write_bytes(file, "\xfe\xff\x00n\x00o\n", 7);
    assert_int_not_equal(ld_load(w, s, file, &o, &r, &e), RP_OK);
    char *m = text_of(w, "SELECT message FROM load_job WHERE id = 2");
    printable_text("load_job.message", m);
    assert_non_null(strstr(m, "bad\\x1b]0;x\\x07\\xfe.csv: the header row cannot be read"));
    free(m);
    json_t *jobs;
    assert_ok(ld_jobs_list(w, NULL, 0, 10, &jobs, &e));
    assert_int_equal(json_array_size(jobs), 2);
    for (size_t i = 0; i < 2; i++) {
        assert_non_null(json_object_get(json_array_get(jobs, i), "file"));
        printable_text("job.file", json_string_value(json_object_get(json_array_get(jobs, i), "file")));
    }
    json_decref(jobs);
    /* the rejects as CSV */
    char *csv = NULL;
    size_t cl = 0;
    FILE *mf = open_memstream(&csv, &cl);
    assert_ok(ld_rejects_csv(w, 1, mf, 1, &e));
    fclose(mf);
    printable_text("rejects CSV", csv);
    free(csv);
    sp_spec_free(s);
    wh_close(w);
}

/* Two transactions of one record found repeated when the batch is written:
 * one reject for the record, giving both reasons (it failed on the UNIQUE
 * constraint of reject(job_id, record)), and the record counted once. */
static void a_record_rejected_twice_is_one_reject(void **state)
{
    (void)state;
    wh *w = fresh_store("twice.db");
    rp_error e = RP_ERROR_INIT;
    assert_ok(wh_import_json(w, "tests/fixtures/bank.json", "test", NULL, &e));
    sp_spec *s = spec_of(
        "{\"spec\":\"two\",\"source\":\"card\",\"format\":\"csv\",\"header\":true,\"fields\":["
        "{\"name\":\"account\",\"from\":\"account\"},{\"name\":\"posted\",\"from\":\"posted\"},"
        "{\"name\":\"amount\",\"from\":\"amount\",\"type\":\"amount\"},{\"name\":\"ref\",\"from\":\"ref\"},"
        "{\"name\":\"fee\",\"from\":\"fee\",\"type\":\"amount\"},{\"name\":\"fee_ref\",\"concat\":[\"ref\",\"=F\"]}],"
        "\"targets\":["
        "{\"entity\":\"transaction\",\"account\":{\"number\":\"account\"},\"posted_at\":\"posted\",\"amount\":\"fee\","
        "\"channel\":\"=branch\",\"class\":\"=fee\",\"key\":\"fee_ref\"},"
        "{\"entity\":\"transaction\",\"account\":{\"number\":\"account\"},\"posted_at\":\"posted\",\"amount\":\"amount\","
        "\"channel\":\"=atm\",\"class\":\"=withdrawal\",\"key\":\"ref\"}]}");
    const char *file = tu_path("t1.csv");
    tu_write_file(file, "account,posted,amount,ref,fee\n0012-100-000001,2026-11-02T09:00:00+08:00,-100.00,T1,-15.00\n");
    ld_options o = { 0 };
    o.max_reject_rate = -1;
    ld_result r;
    assert_ok(ld_load(w, s, file, &o, &r, &e));
    assert_int_equal(r.loaded, 1);
    file = tu_path("t2.csv");
    tu_write_file(file, "account,posted,amount,ref,fee\n0012-100-000001,2026-11-02T09:00:00+08:00,-100.00,T1,-15.00\n"
                        "0012-100-000001,2026-11-03T09:00:00+08:00,-50.00,T2,-15.00\n");
    assert_ok(ld_load(w, s, file, &o, &r, &e));
    assert_int_equal(r.records, 2);
    assert_int_equal(r.loaded, 1);
    assert_int_equal(r.rejected, 1);
    char q[200];
    snprintf(q, sizeof q, "SELECT count(*) FROM reject WHERE job_id = %lld", (long long)r.job);
    assert_int_equal(scalar(w, q), 1);
    snprintf(q, sizeof q, "SELECT rows_loaded * 10 + rows_rejected FROM load_job WHERE id = %lld", (long long)r.job);
    assert_int_equal(scalar(w, q), 11);
    snprintf(q, sizeof q, "SELECT message FROM reject WHERE job_id = %lld AND record = 1", (long long)r.job);
    char *m = text_of(w, q);
    assert_non_null(strstr(m, "'T1F' was already loaded; "));
    assert_non_null(strstr(m, "'T1' was already loaded"));
    free(m);
    json_t *one;
    assert_ok(ld_reject_reveal(w, r.job, 1, &one, &e));
    assert_non_null(strstr(json_string_value(json_object_get(one, "message")), "'T1F' was already loaded; "));
    assert_non_null(strstr(json_string_value(json_object_get(one, "raw")), "T1,-15.00"));
    json_decref(one);
    sp_spec_free(s);
    wh_close(w);
}

/* The status of job 1 as listed. */
static char *listed_status(wh *w)
{
    json_t *a;
    rp_error e = RP_ERROR_INIT;
    assert_ok(ld_jobs_list(w, NULL, 1, 1, &a, &e));
    char *st = strdup(json_string_value(json_object_get(json_array_get(a, 0), "status")));
    json_decref(a);
    return st;
}

static void status_is(wh *w, const char *want)
{
    char *got = listed_status(w);
    assert_string_equal(got, want);
    free(got);
}

/* A job still stored as running whose process is gone (ended, or its PID
 * now another process's) is listed as interrupted, and so is one Ctrl-C
 * stopped; one whose process is there, or on another host, is running.  A
 * live process's job is busy; a gone one's resumes. */
static void killed_job_shows_as_interrupted(void **state)
{
    (void)state;
    wh *w = fresh_store("killed.db");
    rp_error e = RP_ERROR_INIT;
    sp_spec *s = spec_of(cust_spec);
    const char *file = tu_path("k.csv");
    tu_write_file(file, "no,birth\nG1,1980-01-01\nG2,1980-01-02\nG3,1980-01-03\n");
    ld_options o = { 0 };
    o.max_reject_rate = -1;
    ld_result r;
    assert_ok(ld_load(w, s, file, &o, &r, &e));
    char host[RP_HOST_MAX], me[RP_PROC_START_MAX];
    rp_proc_host(host, sizeof host);
    rp_proc_start(getpid(), me, sizeof me);
    assert_true(*me);
    /* a child that has ended (reaped), one that is waiting to be */
    pid_t dead = fork();
    if (!dead)
        _exit(0);
    waitpid(dead, NULL, 0);
    rp_stmt *st;
    const char *set = "UPDATE load_job SET status = 'running', records = 2, \"offset\" = 37, pid = ?, host = ?, "
                      "pid_start = ?, finished_at = ? WHERE id = 1";
    struct {
        int64_t pid;
        const char *host, *start, *finished, *want;
    } cases[] = {
        { getpid(), host, me, NULL, "running" },                       /* its process is there */
        { getpid(), NULL, NULL, NULL, "running" },                     /* before migration 0016: the PID alone */
        { getpid(), host, "another-boot:1", NULL, "interrupted" },     /* the PID is another process's now */
        { dead, host, NULL, NULL, "interrupted" },                     /* the process ended */
        { dead, "elsewhere.example", NULL, NULL, "running" },          /* another host's: cannot tell */
        { getpid(), host, me, "2026-11-23T04:00:00Z", "interrupted" }, /* stopped by Ctrl-C */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_ok(rp_store_prepare(wh_store(w), set, &st, &e));
        rp_stmt_bind_int(st, 1, cases[i].pid);
        rp_stmt_bind_text(st, 2, cases[i].host);
        rp_stmt_bind_text(st, 3, cases[i].start);
        rp_stmt_bind_text(st, 4, cases[i].finished);
        assert_ok(rp_stmt_run(st, &e));
        char *got = listed_status(w);
        if (strcmp(got, cases[i].want))
            fail_msg("case %zu: %s, wanted %s", i, got, cases[i].want);
        free(got);
    }
    /* filtered by the status as shown; an interrupted job says so when it has no message */
    json_t *a;
    assert_ok(ld_jobs_list(w, "interrupted", 0, 10, &a, &e));
    assert_int_equal(json_array_size(a), 1);
    json_decref(a);
    assert_ok(ld_jobs_list(w, "running", 0, 10, &a, &e));
    assert_int_equal(json_array_size(a), 0);
    json_decref(a);
    assert_int_equal(ld_jobs_list(w, "stopped", 0, 10, &a, &e), RP_INVAL);
    assert_true(ld_job_status_ok("interrupted") && !ld_job_status_ok("paused"));
    assert_ok(rp_store_prepare(wh_store(w), set, &st, &e));
    rp_stmt_bind_int(st, 1, dead);
    rp_stmt_bind_text(st, 2, host);
    rp_stmt_bind_null(st, 3);
    rp_stmt_bind_null(st, 4);
    assert_ok(rp_stmt_run(st, &e));
    assert_ok(ld_jobs_list(w, NULL, 1, 1, &a, &e));
    assert_non_null(strstr(json_string_value(json_object_get(json_array_get(a, 0), "message")),
                           "ended before the job did; the last committed batch ends at record 2"));
    json_decref(a);
    /* a live process's job is busy; once it has gone, the job resumes */
    pid_t live = fork();
    if (!live) {
        pause();
        _exit(0);
    }
    char start[RP_PROC_START_MAX] = "";
    for (int k = 0; k < 100 && !strcmp(start, me); k++) /* the child's own start, once it is its own */
        rp_proc_start(live, start, sizeof start);
    rp_proc_start(live, start, sizeof start);
    assert_ok(rp_store_prepare(wh_store(w), set, &st, &e));
    rp_stmt_bind_int(st, 1, live);
    rp_stmt_bind_text(st, 2, host);
    rp_stmt_bind_text(st, 3, start);
    rp_stmt_bind_null(st, 4);
    assert_ok(rp_stmt_run(st, &e));
    o.force = 1; /* the job is not done: --force changes nothing here */
    assert_int_equal(ld_load(w, s, file, &o, &r, &e), RP_BUSY);
    assert_non_null(strstr(rp_errmsg(&e), "job 1 is loading this file now"));
    status_is(w, "running");
    kill(live, SIGKILL);
    waitpid(live, NULL, 0);
    status_is(w, "interrupted");
    o.force = 0;
    assert_ok(ld_load(w, s, file, &o, &r, &e));
    assert_true(r.resumed);
    assert_int_equal(r.resume_from, 2);
    assert_int_equal(r.records, 3);
    assert_int_equal(r.job, 1);
    status_is(w, "done");
    sp_spec_free(s);
    wh_close(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spec_errors_name_the_member),
        cmocka_unit_test(every_shipped_spec_parses),
        cmocka_unit_test(decode_converts_and_checks), cmocka_unit_test(decode_lengths_after_trimming),
        cmocka_unit_test(fixed_patterns_agree_with_regexec),
        cmocka_unit_test(decode_big5_hkscs),
        cmocka_unit_test(the_bank_loads_and_rejects_its_defects),
        cmocka_unit_test(killed_load_resumes_without_duplicates),
        cmocka_unit_test(cdnow_loads_with_a_spec),
        cmocka_unit_test(transactions_refused_by_the_warehouse),
        cmocka_unit_test(history_refused_by_the_warehouse),
        cmocka_unit_test(many_links_wait_for_one_customer),
        cmocka_unit_test(rejects_and_cards_are_sealed),
        cmocka_unit_test(the_key_rotates_and_resumes),
        cmocka_unit_test(csv_garbage_fails_cleanly),
        cmocka_unit_test(nothing_loaded_is_a_failure),
        cmocka_unit_test(manifest_counts_are_control_totals),
        cmocka_unit_test(text_from_files_is_printable),
        cmocka_unit_test(a_record_rejected_twice_is_one_reject),
        cmocka_unit_test(killed_job_shows_as_interrupted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
