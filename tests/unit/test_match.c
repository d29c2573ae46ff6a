/* Unit tests of name, romanisation and address standardisation for matching. */
#include "testutil.h"

#include <math.h>

#include "gen/world.h"
#include "match/standard.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pinyin_syllables_to_passport_spelling),
        cmocka_unit_test(every_generated_name_part_romanises_to_its_spelling),
        cmocka_unit_test(names_across_scripts),
        cmocka_unit_test(jaro_winkler_over_characters),
        cmocka_unit_test(addresses_in_parts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
