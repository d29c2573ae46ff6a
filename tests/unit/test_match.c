/* Unit tests of name, romanisation and address standardisation for matching. */
#include "testutil.h"

#include <math.h>

#include "core/map.h"
#include "etl/etl.h"
#include "gen/gen.h"
#include "gen/gen.h"
#include "match/internal.h"

static mt_romaniser *R;

static int setup(void **state)
{
    (void)state;
    rp_error e = RP_ERROR_INIT;
    return mt_romaniser_open(&R, &e);
}

static int teardown(void **state)
{
    (void)state;
    mt_romaniser_close(R);
    return 0;
}

static void pinyin_syllables_to_passport_spelling(void **state)
{
    (void)state;
    static const char *const t[][2] = {
        { "zhang", "CHANG" }, { "xu", "HSU" },     { "jun", "CHUN" },  { "zeng", "TSENG" }, { "zi", "TZU" },
        { "si", "SSU" },      { "zhi", "CHIH" },   { "shi", "SHIH" },  { "ri", "JIH" },     { "xie", "HSIEH" },
        { "hong", "HUNG" },   { "guo", "KUO" },    { "luo", "LO" },    { "he", "HO" },      { "ke", "KO" },
        { "de", "TE" },       { "zhe", "CHE" },    { "jian", "CHIEN" }, { "xuan", "HSUAN" }, { "qing", "CHING" },
        { "ru", "JU" },       { "you", "YU" },     { "ye", "YEH" },    { "yan", "YEN" },    { "gui", "KUEI" },
        { "hui", "HUI" },     { "xiong", "HSIUNG" }, { "yong", "YUNG" }, { "er", "ERH" },     { "lv", "LU" },
        { "nue", "NUEH" },    { "dai", "TAI" },    { "bo", "PO" },     { "cong", "TSUNG" }, { "shuo", "SHUO" },
    };
    char out[16];
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        assert_int_equal(mt_pinyin_to_wg(t[i][0], out, sizeof out), 1);
        if (strcmp(out, t[i][1]))
            fail_msg("%s: %s, wanted %s", t[i][0], out, t[i][1]);
    }
    /* not Pinyin: left as it is, upper-cased */
    assert_int_equal(mt_pinyin_to_wg("hsu", out, sizeof out), 0);
    assert_string_equal(out, "HSU");
    assert_int_equal(mt_pinyin_to_wg("tsai", out, sizeof out), 0);
}

/* What someone types into the search box, read as Pinyin. */
static void pinyin_typed_into_search(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(mt_pinyin_query("xu yizhen", out, sizeof out), 1);
    assert_string_equal(out, "HSUYICHEN");
    assert_int_equal(mt_pinyin_query("Zhang, Zi-Qiang", out, sizeof out), 1);
    assert_string_equal(out, "CHANGTZUCHIANG");
    /* the same in both systems: nothing else to try */
    assert_int_equal(mt_pinyin_query("chen", out, sizeof out), 0);
    assert_string_equal(out, "");
    /* not Pinyin: a Wade-Giles name, a half-typed syllable, digits */
    assert_int_equal(mt_pinyin_query("hsu yi-chen", out, sizeof out), 0);
    assert_int_equal(mt_pinyin_query("xu yizh", out, sizeof out), 0);
    assert_int_equal(mt_pinyin_query("xu2", out, sizeof out), 0);
    assert_string_equal(out, "");
    /* too small a buffer is not an overflow */
    char tiny[4];
    assert_int_equal(mt_pinyin_query("xu yizhen", tiny, sizeof tiny), 0);
}

/* The generator's name tables were written by hand in passport spelling:
 * every surname and given-name character must romanise to it. */
static void every_generated_name_part_romanises_to_its_spelling(void **state)
{
    (void)state;
    rp_error e = RP_ERROR_INIT;
    char out[64], han[16];
    int checked = 0;
    for (size_t i = 0; i < gen_nsurnames; i++) {
        assert_ok(mt_romanise(R, gen_surnames[i].zh, out, sizeof out, &e));
        if (strcmp(out, gen_surnames[i].latin))
            fail_msg("surname %s: %s, wanted %s", gen_surnames[i].zh, out, gen_surnames[i].latin);
        checked++;
    }
    const gen_name_part *lists[] = { gen_given_female, gen_given_male };
    size_t counts[] = { gen_ngiven_female, gen_ngiven_male };
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < counts[l]; i++) {
            /* after a surname, so that the character is read as a given name */
            snprintf(han, sizeof han, "王%s", lists[l][i].zh);
            assert_ok(mt_romanise(R, han, out, sizeof out, &e));
            char want[64];
            snprintf(want, sizeof want, "WANG %s", lists[l][i].latin);
            if (strcmp(out, want))
                fail_msg("given %s: %s, wanted %s", lists[l][i].zh, out, want);
            checked++;
        }
    assert_true(checked > 90);
}

static void names_across_scripts(void **state)
{
    (void)state;
    rp_error e = RP_ERROR_INIT;
    mt_name a, b, c, d;
    assert_ok(mt_name_standardise(R, "陳 怡君", NULL, &a, &e));
    assert_string_equal(a.han, "陳怡君");
    assert_string_equal(a.han_key, "CHEN YICHUN");
    assert_ok(mt_name_standardise(R, NULL, "Chen, Yi-Chun", &b, &e));
    assert_string_equal(b.latin_key, "CHEN YICHUN");
    assert_string_equal(b.latin_alt, ""); /* read as Pinyin it is the same */
    assert_true(mt_name_similarity(&a, &b) == 1.0);
    /* a homophone typed by sound (宜 for 怡) reads the same */
    assert_ok(mt_name_standardise(R, "陳宜君", "CHEN, YI-CHUN", &c, &e));
    assert_true(mt_name_similarity(&a, &c) == 1.0);
    /* Pinyin as written by a mainland-style form: compared through its Wade-Giles reading */
    assert_ok(mt_name_standardise(R, NULL, "CHEN YIJUN", &d, &e));
    assert_string_equal(d.latin_key, "CHEN YIJUN");
    assert_string_equal(d.latin_alt, "CHEN YICHUN");
    assert_true(mt_name_similarity(&a, &d) == 1.0);
    /* someone else */
    mt_name x;
    assert_ok(mt_name_standardise(R, "林志明", "LIN, CHIH-MING", &x, &e));
    assert_true(mt_name_similarity(&a, &x) < 0.7);
    /* a surname read as a surname: 曾 is TSENG, 單 is SHAN */
    char out[64];
    assert_ok(mt_romanise(R, "曾志豪", out, sizeof out, &e));
    assert_string_equal(out, "TSENG CHIH HAO");
    assert_ok(mt_romanise(R, "單小明", out, sizeof out, &e));
    assert_string_equal(out, "SHAN HSIAO MING");
    /* variants are folded before comparing */
    mt_name v1, v2;
    assert_ok(mt_name_standardise(R, "林裡", NULL, &v1, &e));
    assert_ok(mt_name_standardise(R, "林裏", NULL, &v2, &e));
    assert_string_equal(v1.han, v2.han);
}

static void jaro_winkler_over_characters(void **state)
{
    (void)state;
    /* the textbook values (Winkler 1990) */
    assert_true(fabs(mt_jaro_winkler("MARTHA", "MARHTA") - 0.9611) < 1e-4);
    assert_true(fabs(mt_jaro_winkler("DWAYNE", "DUANE") - 0.84) < 1e-4);
    assert_true(fabs(mt_jaro_winkler("DIXON", "DICKSONX") - 0.8133) < 1e-4);
    assert_true(mt_jaro_winkler("abc", "abc") == 1.0);
    assert_true(mt_jaro_winkler("", "abc") == 0.0);
    /* characters, not bytes: one Han character apart of three */
    double s = mt_jaro_winkler("陳怡君", "陳宜君");
    assert_true(fabs(s - (7.0 / 9.0 + 0.1 * (1 - 7.0 / 9.0))) < 1e-9);
}

static void addresses_in_parts(void **state)
{
    (void)state;
    mt_address a, b;
    mt_address_parse("106 台北市大安區復興南路1段200號5樓", &a);
    assert_string_equal(a.county, "臺北市");
    assert_string_equal(a.district, "大安區");
    assert_string_equal(a.road, "復興南路1段");
    assert_string_equal(a.number, "200");
    assert_string_equal(a.floor, "5");
    mt_address_parse("臺北市大安區復興南路一段２００號五樓", &b);
    assert_string_equal(b.road, a.road);
    assert_string_equal(b.number, a.number);
    assert_string_equal(b.floor, a.floor);
    mt_address_parse("新北市板橋區文化路一段188巷12弄3之1號十二樓", &a);
    assert_string_equal(a.county, "新北市");
    assert_string_equal(a.district, "板橋區");
    assert_string_equal(a.road, "文化路1段");
    assert_string_equal(a.lane, "188");
    assert_string_equal(a.alley, "12");
    assert_string_equal(a.number, "3-1");
    assert_string_equal(a.floor, "12");
    mt_address_parse("宜蘭縣羅東鎮中正路15號", &a);
    assert_string_equal(a.county, "宜蘭縣");
    assert_string_equal(a.district, "羅東鎮");
    assert_string_equal(a.road, "中正路");
    assert_string_equal(a.number, "15");
    assert_string_equal(a.rest, "");
    mt_address_parse("P.O. Box 12", &a);
    assert_string_equal(a.county, "");
    assert_string_equal(a.rest, "P.O. Box 12");
}

/* ---- resolution against the synthetic bank's truth ---- */

typedef struct pr {
    double precision, recall;
    long long true_pairs, found_pairs, right_pairs;
} pr;

/* Pairwise precision and recall of the clusters against truth/identity.csv. */
static pr score_against_truth(const mt_records *m, const mt_result *r, const char *bank)
{
    char path[600];
    snprintf(path, sizeof path, "%s/truth/identity.csv", bank);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    rp_map *person = rp_map_new(); /* "source:key" -> person number + 1 */
    rp_map *names = rp_map_new();  /* person id -> number + 1 */
    char line[256];
    uintptr_t next = 0;
    assert_non_null(fgets(line, sizeof line, f));
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        char *c1 = strchr(line, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
        assert_non_null(c2);
        uintptr_t id = (uintptr_t)rp_map_get(names, c2 + 1, strlen(c2 + 1));
        if (!id) {
            id = ++next;
            assert_int_equal(rp_map_put(names, c2 + 1, strlen(c2 + 1), (void *)id, NULL), 0);
        }
        *c2 = 0;
        *c1 = ':';
        assert_int_equal(rp_map_put(person, line, strlen(line), (void *)id, NULL), 0);
    }
    fclose(f);
    uintptr_t *truth = calloc(m->n, sizeof *truth);
    for (size_t i = 0; i < m->n; i++) {
        char k[128];
        snprintf(k, sizeof k, "%s:%s", m->sources[m->r[i].source], mt_text(m, m->r[i].key));
        truth[i] = (uintptr_t)rp_map_get(person, k, strlen(k));
        if (!truth[i])
            fail_msg("%s is not in the truth", k);
    }
    /* pairs that share a person, pairs that share a cluster, pairs that share both:
     * counted by sorting (person, cluster) */
    typedef struct { uintptr_t p; uint32_t c; } pc;
    pc *v = calloc(m->n, sizeof *v);
    for (size_t i = 0; i < m->n; i++)
        v[i] = (pc){ truth[i], r->cluster[i] };
    pr out = { 0, 0, 0, 0, 0 };
    /* by person */
    uintptr_t *tp = calloc(next + 1, sizeof *tp);
    for (size_t i = 0; i < m->n; i++)
        tp[truth[i]]++;
    for (uintptr_t i = 0; i <= next; i++)
        out.true_pairs += (long long)tp[i] * ((long long)tp[i] - 1) / 2;
    uint32_t *cs = calloc(m->n, sizeof *cs);
    for (size_t i = 0; i < m->n; i++)
        cs[r->cluster[i]]++;
    for (size_t i = 0; i < m->n; i++)
        out.found_pairs += (long long)cs[i] * ((long long)cs[i] - 1) / 2;
    /* both: within each cluster, count members by person */
    rp_map *both = rp_map_new();
    for (size_t i = 0; i < m->n; i++) {
        uint64_t k2[2] = { v[i].p, v[i].c };
        uintptr_t c = (uintptr_t)rp_map_get(both, k2, sizeof k2);
        out.right_pairs += (long long)c; /* pairs with the earlier members of the same (person, cluster) */
        assert_int_equal(rp_map_put(both, k2, sizeof k2, (void *)(c + 1), NULL), 0);
    }
    out.precision = out.found_pairs ? (double)out.right_pairs / (double)out.found_pairs : 1;
    out.recall = out.true_pairs ? (double)out.right_pairs / (double)out.true_pairs : 1;
    rp_map_free(both, NULL);
    rp_map_free(person, NULL);
    rp_map_free(names, NULL);
    free(truth), free(v), free(tp), free(cs);
    return out;
}

static void the_bank_resolves_to_its_people(void **state)
{
    (void)state;
    const char *dir = tu_path("bank");
    gen_options go = GEN_OPTIONS_INIT;
    go.customers = 3000;
    go.months = 2;
    go.seed = 21;
    go.out = dir;
    go.progress = 0;
    rp_error e = RP_ERROR_INIT;
    if (gen_run(&go, NULL, &e))
        fail_msg("gen: %s", rp_errmsg(&e));
    wh *w;
    assert_ok(wh_open(tu_store("m.db"), tu_store_key(), WH_INIT, &w, NULL, &e));
    const char *files[][2] = { { "host/BRANCH.dat", "host-branch" },
                               { "host/CIF.dat", "host-cif" },
                               { "card/card_customers.csv", "card-customers" },
                               { "online/users.jsonl", "online-users" } };
    for (int i = 0; i < 4; i++) {
        char path[600], d[600];
        snprintf(path, sizeof path, "%s/%s", dir, files[i][0]);
        snprintf(d, sizeof d, "%s", path);
        *strrchr(d, '/') = 0;
        sp_spec *s;
        if (sp_spec_builtin(files[i][1], d, &s, &e))
            fail_msg("%s", rp_errmsg(&e));
        ld_options o = { 0 };
        o.max_reject_rate = -1;
        ld_result lr;
        if (ld_load(w, s, path, &o, &lr, &e))
            fail_msg("%s", rp_errmsg(&e));
        sp_spec_free(s);
    }
    mt_records m;
    mt_records_init(&m);
    assert_ok(mt_records_load(w, R, &m, &e));
    assert_true(m.n > 5000);
    mt_params prm = MT_PARAMS_DEFAULT;
    mt_result r;
    assert_ok(mt_resolve(&m, &prm, NULL, &r, &e));
    pr q = score_against_truth(&m, &r, dir);
    printf("who is who: %zu records, %zu candidate pairs, %zu links (%zu refused), %zu for review; "
           "pairwise precision %.4f, recall %.4f (%lld true pairs, %lld found, %lld right), %.2f s\n",
           m.n, r.npairs, r.links, r.refused, r.reviews, q.precision, q.recall, q.true_pairs, q.found_pairs,
           q.right_pairs, r.seconds);
    size_t by[4] = { 0 };
    for (size_t i = 0; i < r.npairs; i++)
        by[r.pairs[i].decision]++;
    printf("  p %.4f; pairs: %zu none, %zu review, %zu linked by score, %zu by national ID\n", r.p, by[0], by[1], by[2],
           by[3]);
    for (int f = 0; f < MT_FIRST_ATTR; f++) /* the attributes: not compared by default */
        printf("  %-10s m %.3f %.3f %.3f %.3f   u %.3f %.3f %.3f %.3f\n", mt_field_name(f), r.m[f][0], r.m[f][1],
               r.m[f][2], r.m[f][3], r.u[f][0], r.u[f][1], r.u[f][2], r.u[f][3]);
    assert_true(q.precision >= 0.98);
    assert_true(q.recall >= 0.98);
    mt_result_free(&r);
    mt_records_free(&m);
    wh_close(w);
}

/* A model in which a shared name alone is near certain, as it is where
 * most candidate pairs are one person. */
static void confident_model(mt_model *mo)
{
    memset(mo, 0, sizeof *mo);
    static const int nl[MT_FIELDS] = { 4, 3, 2, 2, 2, 4, 3, 3, 3, 2 }; /* the attributes as the test's spec has them */
    for (int f = 0; f < MT_FIELDS; f++)
        for (int l = 0; l < nl[f]; l++) {
            mo->m[f][l] = l == nl[f] - 1 ? 0.9 : 0.1 / (nl[f] - 1);
            mo->u[f][l] = l == nl[f] - 1 ? 0.05 : 0.95 / (nl[f] - 1);
        }
    mo->p = 0.8;
}

/* m resolved with the confident model (nothing estimated), with's thresholds and blocks (NULL: the defaults) */
static void resolve_confidently(const mt_records *m, const mt_params *with, mt_result *r)
{
    mt_model mo;
    confident_model(&mo);
    mt_params p = with ? *with : (mt_params)MT_PARAMS_DEFAULT;
    p.model = &mo;
    rp_error e = RP_ERROR_INIT;
    assert_ok(mt_resolve(m, &p, NULL, r, &e));
}

static void records_without_identifiers_wait_for_a_person(void **state)
{
    (void)state;
    rp_error e = RP_ERROR_INIT;
    mt_records m;
    mt_records_init(&m);
    /* 0 and 1: the same name and birth date, and a shared phone; 2: the same
     * name and birth date but nothing else at all */
    assert_ok(mt_records_add(&m, R, 1, "host", "H1", "陳怡君", "CHEN, YI-CHUN", "1980-05-06", "F", 0, &e));
    assert_ok(mt_records_add(&m, R, 2, "card", "C1", "陳怡君", NULL, "1980-05-06", "F", 0, &e));
    assert_ok(mt_records_add(&m, R, 3, "online", "O1", "陳怡君", NULL, "1980-05-06", "F", 0, &e));
    m.r[0].phone[0] = m.r[1].phone[0] = 42;
    assert_false(mt_rec_anonymous(&m.r[0]));
    assert_true(mt_rec_anonymous(&m.r[2]));
    mt_model mo;
    confident_model(&mo);
    mt_params prm = MT_PARAMS_DEFAULT;
    prm.model = &mo;
    mt_result r;
    assert_ok(mt_resolve(&m, &prm, NULL, &r, &e));
    assert_int_equal(r.npairs, 3);
    for (size_t i = 0; i < r.npairs; i++) {
        const mt_pair *q = &r.pairs[i];
        assert_true(q->prob > 0.99); /* the score alone would link every pair */
        if (q->a == 0 && q->b == 1)
            assert_int_equal(q->decision, MT_LINK);
        else
            assert_int_equal(q->decision, MT_REVIEW);
    }
    assert_int_equal(r.cluster[0], r.cluster[1]);
    assert_int_not_equal(r.cluster[2], r.cluster[0]);
    assert_int_equal(r.reviews, 2);
    /* the model given is the model used: nothing estimated */
    assert_true(r.p == mo.p && r.m[0][3] == mo.m[0][3] && r.u[3][1] == mo.u[3][1]);
    mt_result_free(&r);
    mt_records_free(&m);
}

/* Names of any country in any order, with nicknames and accents; addresses by their words; identifiers a
 * typo apart (issue 28 item 2) */
static void names_and_addresses_of_any_country(void **state)
{
    (void)state;
    rp_error e = RP_ERROR_INIT;
    mt_name a, b, c, d;
    assert_ok(mt_name_standardise(R, NULL, "Bill Smith", &a, &e));
    assert_ok(mt_name_standardise(R, NULL, "SMITH, William", &b, &e));
    assert_string_equal(a.sorted, "SMITH WILLIAM");
    assert_string_equal(b.sorted, "SMITH WILLIAM");
    assert_ok(mt_name_standardise(R, NULL, "José Müller-Lüdenscheidt", &c, &e));
    assert_string_equal(c.sorted, "JOSE MULLERLUDENSCHEIDT");
    assert_ok(mt_name_standardise(R, NULL, "Иван Петров", &d, &e));
    assert_string_equal(d.sorted, "IVAN PETROV");
    assert_ok(mt_name_standardise(R, NULL, "Harbour Atlas Shipping Proprietary Limited", &c, &e));
    assert_ok(mt_name_standardise(R, NULL, "HARBOUR ATLAS SHIPPING PTY. LTD.", &d, &e));
    assert_string_equal(c.sorted, d.sorted);
    /* word by word: a household's shared surname counts for half, a typo in one word little */
    assert_true(mt_words_similarity("DIXON JULIE", "DIXON SUSAN") < 0.85);
    assert_true(mt_jaro_winkler("DIXON JULIE", "DIXON SUSAN") >= 0.85); /* what the whole string said */
    assert_true(mt_words_similarity("MARRSHALL LACHLAN", "LACHLAN MARSHALL") > 0.97);
    assert_true(mt_words_similarity("SMITH", "SMITH JOHN") <= 0.5);
    char street[200], area[64];
    mt_address_words(R, "Unit 4, 12 Miller Street, North Sydney", "2060", street, sizeof street, area, sizeof area);
    assert_string_equal(street, "UNIT 4 12 MILLER ST N SYDNEY");
    assert_string_equal(area, "2060");
    mt_address_words(R, "Flat 4 12 Miller St North Sydney", NULL, street, sizeof street, area, sizeof area);
    assert_string_equal(street, "UNIT 4 12 MILLER ST N SYDNEY");
    assert_string_equal(area, "SYDNEY");
    /* two records sharing a passport a typo apart, and a third with another passport */
    mt_records m;
    mt_records_init(&m);
    assert_ok(mt_records_add(&m, R, 1, "a", "A1", NULL, "Walker, Jack", "1980-05-06", NULL, 0, &e));
    assert_ok(mt_records_add(&m, R, 2, "b", "B1", NULL, "Jack Walker", "1980-06-05", NULL, 0, &e));
    assert_ok(mt_records_add(&m, R, 3, "b", "B2", NULL, "Jack Walker", "1980-05-06", NULL, 0, &e));
    for (int i = 0; i < 3; i++)
        m.r[i].id_type[0] = 3; /* passports */
    m.r[0].ids[0] = 7, m.r[0].id_value[0] = mt_keep_text(&m, "PA1234567");
    m.r[1].ids[0] = 8, m.r[1].id_value[0] = mt_keep_text(&m, "PA1243567");
    m.r[2].ids[0] = 9, m.r[2].id_value[0] = mt_keep_text(&m, "PB7654321");
    mt_result r;
    resolve_confidently(&m, NULL, &r);
    assert_int_equal(r.npairs, 3);
    for (size_t i = 0; i < r.npairs; i++) {
        const mt_pair *q = &r.pairs[i];
        assert_int_equal(q->level[0], 3);                       /* the same name, in either order */
        assert_int_equal(q->level[1], q->a == 0 && q->b == 2 ? 2 : 1); /* day and month swapped: alike */
        assert_int_equal(q->level[6], q->a == 0 && q->b == 1 ? 1 : 0); /* a typo apart; another passport */
    }
    mt_result_free(&r);
    mt_records_free(&m);
}

/* The matching specification: the defaults said in full are the defaults; what a spec turns off is not
 * compared, and its blocks are the only ones (issue 28 item 3) */
static void a_matching_specification(void **state)
{
    (void)state;
    rp_error e = RP_ERROR_INIT;
    mt_spec s, d;
    mt_params p = MT_PARAMS_DEFAULT;
    mt_spec_default(&d);
    const char *all = "{\"link_at\": 0.95, \"review_at\": 0.5, \"compare\": {\"name\": {\"method\": \"words\", "
                      "\"same\": 0.99, \"close\": 0.93, \"alike\": 0.85}, \"gender\": true}, \"blocking\": "
                      "[\"national_id\", \"identifier\", \"phone\", \"email\", \"name\", \"name_birth\", \"address\"]}";
    assert_ok(mt_spec_parse(all, strlen(all), "all", &s, &p, &e));
    assert_true(s.hash == 0 && !memcmp(&s, &d, sizeof s));
    const char *off = "{\"compare\": {\"birth_date\": false, \"name\": {\"method\": \"exact\"}}, "
                      "\"blocking\": [\"phone\"], \"max_block\": 10}";
    assert_ok(mt_spec_parse(off, strlen(off), "off", &s, &p, &e));
    assert_true(s.hash != 0 && p.max_block == 10);
    mt_records m;
    mt_records_init(&m);
    m.spec = &s;
    assert_ok(mt_records_add(&m, R, 1, "a", "A1", NULL, "Walker, Jack", "1980-05-06", NULL, 0, &e));
    assert_ok(mt_records_add(&m, R, 2, "b", "B1", NULL, "Walker, Jac", "1980-05-06", NULL, 0, &e));
    assert_ok(mt_records_add(&m, R, 3, "b", "B2", NULL, "Walker, Jack", "1980-05-06", NULL, 0, &e));
    m.r[0].phone[0] = m.r[1].phone[0] = 42;
    mt_result r;
    resolve_confidently(&m, &p, &r);
    assert_int_equal(r.npairs, 1); /* the phone block alone: not the name, not the birth date */
    assert_int_equal(r.pairs[0].level[0], 0); /* JACK and JAC are not the same name exactly */
    assert_int_equal(r.pairs[0].level[1], 255); /* birth dates not compared */
    mt_result_free(&r);
    mt_records_free(&m);
    const char *bad = "{\"compare\": {\"address\": {\"method\": \"words\"}}}";
    assert_int_equal(mt_spec_parse(bad, strlen(bad), "bad.json", &s, &p, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "match spec bad.json: compare.address.method: 'words' is not one of parts, exact");
}

/* Numbers as banks write them: thousands by comma or blank, a decimal comma, and what is no number */
static void numbers_as_banks_write_them(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int ok;
        double v;
    } cases[] = {
        { "1,200,000", 1, 1200000 }, { " 35.5 ", 1, 35.5 },  { "1 200 000", 1, 1200000 }, { "35,5", 1, 35.5 },
        { "-12,345.5", 1, -12345.5 }, { "999,000", 1, 999000 }, { "1,2345", 1, 1.2345 },  { "1e3", 1, 1000 },
        { "1,20,0", 0, 0 },          { "1,200,5.5", 0, 0 },    { "12,34.5", 0, 0 },      { "1234,567", 1, 1234.567 },
        { "0x10", 0, 0 },             { "inf", 0, 0 },          { "nan", 0, 0 },          { "", 0, 0 },
        { ",", 0, 0 },                { "1,", 0, 0 },           { "n/a", 0, 0 },          { "1.2.3", 0, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double v = -1;
        int ok = mt_number(cases[i].s, &v);
        if (ok != cases[i].ok || (ok && fabs(v - cases[i].v) > 1e-9))
            fail_msg("'%s': %d %g, not %d %g", cases[i].s, ok, v, cases[i].ok, cases[i].v);
    }
    char longer[100];
    memset(longer, '1', sizeof longer - 1);
    longer[sizeof longer - 1] = 0;
    double v;
    assert_false(mt_number(longer, &v)); /* bounded: past 63 characters, no number */
}

/* The party's own attributes, compared only when a spec names them: exactly, by Jaro-Winkler, as numbers
 * within a tolerance; and weighed by EM like any field (issue 28 item 3) */
static void attributes_a_spec_names(void **state)
{
    (void)state;
    rp_error e = RP_ERROR_INIT;
    mt_spec s;
    mt_params p = MT_PARAMS_DEFAULT;
    const char *spec = "{\"compare\": {\"occupation\": {\"method\": \"jaro_winkler\", \"alike\": 0.9}, "
                       "\"income_band\": {\"method\": \"number\", \"within_share\": 0.1}, \"home_branch\": true}, "
                       "\"blocking\": [\"phone\"]}";
    assert_ok(mt_spec_parse(spec, strlen(spec), "attrs", &s, &p, &e));
    assert_true(s.hash != 0 && s.use[7] && s.use[8] && s.use[9]);
    assert_int_equal(mt_field_levels(&s, 7), 3);
    assert_int_equal(mt_field_levels(&s, 9), 2);
    mt_records m;
    mt_records_init(&m);
    m.spec = &s;
    /* 0-1: one person (a typo in the occupation, an income 5 % apart); 0-2: not (another occupation, twice the
     * income, another branch); 0-3: nothing to compare (3 has none); all share a phone */
    static const char *const occ[] = { "  Civil   ENGINEER", "civil engineer ", "Teacher", NULL },
                             *const inc[] = { "1,200,000", "1260000", "2400000", "n/a" },
                             *const br[] = { "0012", "0012", "0045", NULL };
    for (int i = 0; i < 4; i++) {
        char key[16];
        snprintf(key, sizeof key, "K%d", i);
        assert_ok(mt_records_add(&m, R, i + 1, "host", key, NULL, "Walker, Jack", NULL, NULL, 0, &e));
        m.r[i].attr[0] = mt_keep_folded(&m, occ[i]);
        m.r[i].attr[1] = mt_keep_folded(&m, inc[i]);
        m.r[i].attr[2] = mt_keep_folded(&m, br[i]);
        m.r[i].phone[0] = 42;
    }
    assert_string_equal(mt_text(&m, m.r[0].attr[0]), "civil engineer");
    m.r[1].attr[0] = mt_keep_folded(&m, "civil enginer");
    mt_result r;
    resolve_confidently(&m, &p, &r);
    assert_int_equal(r.npairs, 6);
    for (size_t i = 0; i < r.npairs; i++) {
        const mt_pair *q = &r.pairs[i];
        if (q->a == 0 && q->b == 1) {
            assert_int_equal(q->level[7], 1);   /* alike */
            assert_int_equal(q->level[8], 1);   /* within a tenth */
            assert_int_equal(q->level[9], 1);   /* the same branch */
            json_t *ev = mt_evidence(&m, q, NULL);
            assert_string_equal(json_string_value(json_object_get(ev, "occupation")), "alike");
            assert_string_equal(json_string_value(json_object_get(ev, "income_band")), "within");
            assert_string_equal(json_string_value(json_object_get(ev, "home_branch")), "same");
            json_decref(ev);
        } else if (q->a == 0 && q->b == 2) {
            assert_int_equal(q->level[7], 0);
            assert_int_equal(q->level[8], 0);
            assert_int_equal(q->level[9], 0);
        } else if (q->a == 0 && q->b == 3) {
            assert_int_equal(q->level[7], 255); /* none */
            assert_int_equal(q->level[8], 255); /* not a number */
            assert_int_equal(q->level[9], 255);
        }
    }
    mt_result_free(&r);
    mt_records_free(&m);
    /* EM learns what an attribute tells: 300 people of two records each sharing a phone, a birth date and an
     * occupation, and 300 pairs of two people (households) sharing a phone, each with a birth date and an
     * occupation of their own */
    mt_records_init(&m);
    m.spec = &s;
    for (int i = 0; i < 1200; i++) {
        char key[16], o[32], day[16];
        unsigned who = (unsigned)(i < 600 ? i / 2 : i);
        snprintf(key, sizeof key, "K%d", i);
        snprintf(o, sizeof o, "%08x", who * 2654435761u);
        snprintf(day, sizeof day, "19%02u-%02u-%02u", 40 + who % 50, 1 + who % 12, 1 + who % 28);
        assert_ok(mt_records_add(&m, R, i + 1, "host", key, NULL, "Walker, Jack", day, NULL, 0, &e));
        m.r[i].attr[0] = mt_keep_folded(&m, o);
        m.r[i].phone[0] = (uint64_t)(i / 2 + 1);
    }
    mt_params fresh = MT_PARAMS_DEFAULT;
    assert_ok(mt_resolve(&m, &fresh, NULL, &r, &e));
    assert_int_equal(r.npairs, 600);
    assert_true(r.m[7][2] > 0.9 && r.u[7][2] < 0.1); /* the same occupation: a match's, rarely two people's */
    mt_result_free(&r);
    mt_records_free(&m);
    static const struct {
        const char *spec, *msg;
    } bad[] = {
        { "{\"compare\": {\"employer\": true}}", "compare: 'employer' is not one of name, birth_date, gender, phone, "
          "email, address, identifier, occupation, income_band, home_branch" },
        { "{\"compare\": {\"occupation\": {\"method\": \"fuzzy\"}}}",
          "compare.occupation.method: 'fuzzy' is not one of exact, jaro_winkler, number" },
        { "{\"compare\": {\"income_band\": {\"alike\": 0.9}}}", "compare.income_band.alike: only with method "
          "jaro_winkler" },
        { "{\"compare\": {\"income_band\": {\"method\": \"number\", \"within_share\": 2}}}",
          "compare.income_band.within_share: a number from 0 to 1 is needed" },
        { "{\"compare\": {\"home_branch\": {\"method\": \"exact\", \"same\": 1}}}",
          "compare.home_branch.same: unknown member" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char want[300];
        assert_int_equal(mt_spec_parse(bad[i].spec, strlen(bad[i].spec), "b.json", &s, &p, &e), RP_INVAL);
        snprintf(want, sizeof want, "match spec b.json: %s", bad[i].msg);
        assert_string_equal(rp_errmsg(&e), want);
    }
}

static void neighbours_of_what_changed(void **state)
{
    (void)state;
    rp_error e = RP_ERROR_INIT;
    mt_records m;
    mt_records_init(&m);
    /* 0-1 share a phone and a name; 2 shares an e-mail with 1 only; 3 is someone else; 4..8
     * share one address (a block of 5, above max_block 4) with 0 */
    static const char *const names[] = { "陳怡君", "陳怡君", "周杰倫", "林志明", "王大明",
                                         "張小華", "李美玲", "黃建國", "吳淑芬" };
    for (int i = 0; i < 9; i++) {
        char key[16];
        snprintf(key, sizeof key, "K%d", i);
        assert_ok(mt_records_add(&m, R, i + 1, "host", key, names[i], NULL, NULL, NULL, 0, &e));
    }
    m.r[0].phone[0] = m.r[1].phone[0] = 7;
    m.r[1].email = m.r[2].email = 9;
    for (int i = 4; i < 9; i++)
        m.r[i].addr = 11;
    m.r[0].addr = 11;
    mt_params prm = MT_PARAMS_DEFAULT;
    prm.max_block = 4;
    uint8_t mark[9] = { 0 };
    mark[0] = 1; /* record 0 changed */
    uint64_t *skip;
    size_t nskip;
    assert_ok(mt_neighbours(&m, &prm, mark, &skip, &nskip, &e));
    assert_int_equal(mark[0], 1);
    assert_int_equal(mark[1], 2); /* by the phone */
    assert_int_equal(mark[2], 0); /* a neighbour of a neighbour: not compared (unless one customer, see run.c) */
    assert_int_equal(mark[3], 0);
    for (int i = 4; i < 9; i++)
        assert_int_equal(mark[i], 0); /* the address block is too large to use */
    assert_int_equal(nskip, 1);
    assert_true(skip[0] == 11);
    /* on the subset, the skipped key stays skipped however small it is there */
    mt_records sub;
    mt_records_init(&sub);
    assert_ok(mt_records_add(&sub, R, 1, "host", "K0", "甲", NULL, NULL, NULL, 0, &e));
    assert_ok(mt_records_add(&sub, R, 5, "host", "K4", "乙", NULL, NULL, NULL, 0, &e));
    sub.r[0].addr = sub.r[1].addr = 11;
    prm.skip = skip;
    prm.nskip = nskip;
    mt_result r;
    assert_ok(mt_resolve(&sub, &prm, NULL, &r, &e));
    assert_int_equal(r.npairs, 0);
    mt_result_free(&r);
    prm.nskip = 0;
    assert_ok(mt_resolve(&sub, &prm, NULL, &r, &e));
    assert_int_equal(r.npairs, 1);
    mt_result_free(&r);
    free(skip);
    mt_records_free(&sub);
    mt_records_free(&m);
}

static void survivorship_from_configuration(void **state)
{
    (void)state;
    rp_error e = RP_ERROR_INIT;
    mt_survivorship sv;
    mt_survivorship_default(&sv);
    assert_int_equal(sv.ntrust, 3);
    assert_string_equal(sv.trust[0], "host");
    for (int a = 0; a < MT_ATTRS; a++)
        assert_int_equal(sv.rule[a], MT_TRUSTED);
    rp_config *c = rp_config_new();
    assert_ok(rp_config_load_str(c, "t.ini",
                                 "[survivorship]\ntrust = card,  online host\ndefault = complete\n"
                                 "occupation = recent\n",
                                 &e));
    assert_ok(mt_survivorship_config(&sv, c, &e));
    assert_int_equal(sv.ntrust, 3);
    assert_string_equal(sv.trust[0], "card");
    assert_string_equal(sv.trust[1], "online");
    assert_string_equal(sv.trust[2], "host");
    for (int a = 0; a < MT_ATTRS; a++)
        assert_int_equal(sv.rule[a], strcmp(mt_attr_name(a), "occupation") ? MT_COMPLETE : MT_RECENT);
    rp_config_free(c);
    static const struct {
        const char *ini, *msg;
    } bad[] = {
        { "[survivorship]\nname = trusted\n", "[survivorship] name: no such attribute (trust, default, kind, "
                                              "name_zh, name_latin, birth_date, gender, occupation, income_band, "
                                              "home_branch)" },
        { "[survivorship]\nname_zh = best\n", "[survivorship] name_zh: 'best' is not a rule (trusted, recent or "
                                              "complete)" },
        { "[survivorship]\ntrust = , ,\n", "[survivorship] trust: no source named (e.g. host, card, online)" },
        { "[survivorship]\ntrust = a b c d e f g h i j k l m n o p q\n",
          "[survivorship] trust: more than 16 sources" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        c = rp_config_new();
        assert_ok(rp_config_load_str(c, "t.ini", bad[i].ini, &e));
        rp_error e2 = RP_ERROR_INIT;
        assert_int_not_equal(mt_survivorship_config(&sv, c, &e2), RP_OK);
        assert_string_equal(rp_errmsg(&e2), bad[i].msg);
        rp_config_free(c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pinyin_syllables_to_passport_spelling), cmocka_unit_test(pinyin_typed_into_search),
        cmocka_unit_test(every_generated_name_part_romanises_to_its_spelling),
        cmocka_unit_test(names_across_scripts),
        cmocka_unit_test(jaro_winkler_over_characters),
        cmocka_unit_test(addresses_in_parts),
        cmocka_unit_test(records_without_identifiers_wait_for_a_person),
        cmocka_unit_test(names_and_addresses_of_any_country),
        cmocka_unit_test(a_matching_specification),
        cmocka_unit_test(numbers_as_banks_write_them),
        cmocka_unit_test(attributes_a_spec_names),
        cmocka_unit_test(neighbours_of_what_changed),
        cmocka_unit_test(survivorship_from_configuration),
        cmocka_unit_test(the_bank_resolves_to_its_people),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
