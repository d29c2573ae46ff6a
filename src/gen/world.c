/*
 * world.c — the facts the synthetic bank is made of: Taiwanese surnames with
 * their frequencies (Ministry of the Interior, 2018), given-name characters
 * with their Wade-Giles romanisation as passports write it, counties and
 * districts with postal codes, telephone area codes and national-ID letters,
 * street names, occupations, e-mail domains, variant and homophone characters.
 */
#include "gen/internal.h"

#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

const gen_name_part gen_surnames[] = {
    { "陳", "CHEN", 11.13 },  { "林", "LIN", 8.28 },    { "黃", "HUANG", 6.01 },  { "張", "CHANG", 5.26 },
    { "李", "LI", 5.11 },     { "王", "WANG", 4.11 },   { "吳", "WU", 4.04 },     { "劉", "LIU", 3.17 },
    { "蔡", "TSAI", 2.91 },   { "楊", "YANG", 2.65 },   { "許", "HSU", 2.34 },    { "鄭", "CHENG", 1.88 },
    { "謝", "HSIEH", 1.78 },  { "洪", "HUNG", 1.54 },   { "郭", "KUO", 1.52 },    { "邱", "CHIU", 1.47 },
    { "曾", "TSENG", 1.39 },  { "廖", "LIAO", 1.33 },   { "賴", "LAI", 1.32 },    { "徐", "HSU", 1.26 },
    { "周", "CHOU", 1.21 },   { "葉", "YEH", 1.16 },    { "蘇", "SU", 1.13 },     { "莊", "CHUANG", 0.95 },
    { "呂", "LU", 0.84 },     { "江", "CHIANG", 0.82 }, { "何", "HO", 0.79 },     { "蕭", "HSIAO", 0.74 },
    { "羅", "LO", 0.74 },     { "高", "KAO", 0.72 },    { "潘", "PAN", 0.69 },    { "簡", "CHIEN", 0.67 },
    { "朱", "CHU", 0.66 },    { "鍾", "CHUNG", 0.65 },  { "游", "YU", 0.57 },     { "彭", "PENG", 0.57 },
    { "詹", "CHAN", 0.55 },   { "胡", "HU", 0.53 },     { "施", "SHIH", 0.53 },   { "沈", "SHEN", 0.52 },
    { "余", "YU", 0.50 },     { "盧", "LU", 0.49 },     { "梁", "LIANG", 0.48 },  { "趙", "CHAO", 0.47 },
    { "顏", "YEN", 0.46 },    { "柯", "KO", 0.45 },     { "翁", "WENG", 0.44 },   { "魏", "WEI", 0.41 },
    { "孫", "SUN", 0.38 },    { "戴", "TAI", 0.36 },
};
const size_t gen_nsurnames = N(gen_surnames);

const gen_name_part gen_given_female[] = {
    { "淑", "SHU", 3 },  { "美", "MEI", 3 },   { "惠", "HUI", 2.5 }, { "玲", "LING", 2.5 },
    { "婷", "TING", 3 }, { "雅", "YA", 3 },    { "怡", "YI", 3 },    { "芳", "FANG", 2 },
    { "君", "CHUN", 2.5 }, { "萱", "HSUAN", 2 }, { "慧", "HUI", 2 }, { "欣", "HSIN", 2 },
    { "佩", "PEI", 2 },  { "如", "JU", 1.5 },  { "珍", "CHEN", 1.5 }, { "琪", "CHI", 1.5 },
    { "秀", "HSIU", 2 }, { "麗", "LI", 2 },    { "詩", "SHIH", 1.5 }, { "宜", "YI", 1.5 },
    { "庭", "TING", 1.5 }, { "安", "AN", 1 },  { "晴", "CHING", 1 }, { "子", "TZU", 1 },
};
const size_t gen_ngiven_female = N(gen_given_female);

const gen_name_part gen_given_male[] = {
    { "志", "CHIH", 3 },  { "明", "MING", 3 },  { "家", "CHIA", 2.5 }, { "豪", "HAO", 2.5 },
    { "建", "CHIEN", 3 }, { "宏", "HUNG", 3 },  { "俊", "CHUN", 2.5 }, { "傑", "CHIEH", 2.5 },
    { "文", "WEN", 2.5 }, { "偉", "WEI", 2.5 }, { "冠", "KUAN", 2 },  { "廷", "TING", 2 },
    { "宗", "TSUNG", 2 }, { "翰", "HAN", 2 },  { "承", "CHENG", 2 }, { "哲", "CHE", 2 },
    { "信", "HSIN", 1.5 }, { "國", "KUO", 1.5 }, { "正", "CHENG", 1.5 }, { "勝", "SHENG", 1.5 },
    { "宇", "YU", 2 },    { "子", "TZU", 1 },   { "安", "AN", 1 },    { "德", "TE", 1.5 },
};
const size_t gen_ngiven_male = N(gen_given_male);

static const gen_district taipei[] = {
    { "中正區", "100" }, { "大同區", "103" }, { "中山區", "104" }, { "松山區", "105" },
    { "大安區", "106" }, { "萬華區", "108" }, { "信義區", "110" }, { "士林區", "111" },
    { "北投區", "112" }, { "內湖區", "114" }, { "南港區", "115" }, { "文山區", "116" },
};
static const gen_district new_taipei[] = {
    { "板橋區", "220" }, { "汐止區", "221" }, { "新店區", "231" }, { "永和區", "234" },
    { "中和區", "235" }, { "土城區", "236" }, { "樹林區", "238" }, { "三重區", "241" },
    { "新莊區", "242" }, { "蘆洲區", "247" }, { "淡水區", "251" },
};
static const gen_district taoyuan[] = {
    { "中壢區", "320" }, { "平鎮區", "324" }, { "龍潭區", "325" }, { "楊梅區", "326" },
    { "桃園區", "330" }, { "龜山區", "333" }, { "八德區", "334" }, { "大園區", "337" },
    { "蘆竹區", "338" },
};
static const gen_district taichung[] = {
    { "中區", "400" },   { "東區", "401" },   { "南區", "402" },   { "西區", "403" },
    { "北區", "404" },   { "北屯區", "406" }, { "西屯區", "407" }, { "南屯區", "408" },
    { "太平區", "411" }, { "大里區", "412" }, { "豐原區", "420" },
};
static const gen_district tainan[] = {
    { "中西區", "700" }, { "東區", "701" },   { "南區", "702" },   { "北區", "704" },
    { "安平區", "708" }, { "安南區", "709" }, { "永康區", "710" }, { "新營區", "730" },
};
static const gen_district kaohsiung[] = {
    { "新興區", "800" }, { "前金區", "801" }, { "苓雅區", "802" }, { "鹽埕區", "803" },
    { "鼓山區", "804" }, { "前鎮區", "806" }, { "三民區", "807" }, { "楠梓區", "811" },
    { "小港區", "812" }, { "左營區", "813" }, { "鳳山區", "830" },
};
static const gen_district hsinchu_county[] = { { "竹北市", "302" }, { "湖口鄉", "303" }, { "竹東鎮", "310" } };
static const gen_district hsinchu_city[] = { { "東區", "300" }, { "北區", "300" }, { "香山區", "300" } };
static const gen_district keelung[] = { { "仁愛區", "200" }, { "信義區", "201" }, { "中正區", "202" }, { "安樂區", "204" } };
static const gen_district changhua[] = { { "彰化市", "500" }, { "鹿港鎮", "505" }, { "和美鎮", "508" }, { "員林市", "510" } };
static const gen_district pingtung[] = { { "屏東市", "900" }, { "潮州鎮", "920" }, { "東港鎮", "928" } };
static const gen_district yilan[] = { { "宜蘭市", "260" }, { "礁溪鄉", "262" }, { "羅東鎮", "265" } };
static const gen_district hualien[] = { { "花蓮市", "970" }, { "吉安鄉", "973" } };
static const gen_district chiayi_city[] = { { "東區", "600" }, { "西區", "600" } };
static const gen_district miaoli[] = { { "竹南鎮", "350" }, { "頭份市", "351" }, { "苗栗市", "360" } };
static const gen_district yunlin[] = { { "虎尾鎮", "632" }, { "斗六市", "640" } };

#define C(name, en, pop, letter, area, digits, d) { name, en, pop, letter, area, digits, d, N(d) }
const gen_county gen_counties[] = {
    C("新北市", "New Taipei City", 4.00, 'F', "02", 8, new_taipei),
    C("臺北市", "Taipei City", 2.50, 'A', "02", 8, taipei),
    C("桃園市", "Taoyuan City", 2.30, 'H', "03", 7, taoyuan),
    C("臺中市", "Taichung City", 2.80, 'B', "04", 8, taichung),
    C("臺南市", "Tainan City", 1.85, 'D', "06", 7, tainan),
    C("高雄市", "Kaohsiung City", 2.70, 'E', "07", 7, kaohsiung),
    C("新竹縣", "Hsinchu County", 0.58, 'J', "03", 7, hsinchu_county),
    C("新竹市", "Hsinchu City", 0.45, 'O', "03", 7, hsinchu_city),
    C("基隆市", "Keelung City", 0.36, 'C', "02", 8, keelung),
    C("彰化縣", "Changhua County", 1.24, 'N', "04", 7, changhua),
    C("屏東縣", "Pingtung County", 0.80, 'T', "08", 7, pingtung),
    C("宜蘭縣", "Yilan County", 0.45, 'G', "03", 7, yilan),
    C("花蓮縣", "Hualien County", 0.32, 'U', "03", 7, hualien),
    C("嘉義市", "Chiayi City", 0.26, 'I', "05", 7, chiayi_city),
    C("苗栗縣", "Miaoli County", 0.54, 'K', "037", 6, miaoli),
    C("雲林縣", "Yunlin County", 0.67, 'P', "05", 7, yunlin),
};
const size_t gen_ncounties = N(gen_counties);

const char *const gen_streets[] = {
    "中山路", "中正路", "民生路", "民權路", "民族路", "中華路", "復興路", "和平路", "建國路", "光復路",
    "成功路", "文化路", "自由路", "三民路", "忠孝路", "仁愛路", "信義路", "大同路", "公園路", "新生路",
    "中山北路", "忠孝東路", "和平東路", "復興南路", "民生東路", "重慶南路",
};
const size_t gen_nstreets = N(gen_streets);

const char *const gen_email_domains[] = { "gmail.com", "yahoo.com.tw", "hotmail.com", "msa.hinet.net",
                                          "outlook.com", "icloud.com" };
const size_t gen_nemail_domains = N(gen_email_domains);

const gen_occupation gen_occupations[] = {
    { "0101", "學生", "student", 0.1 },          { "0201", "軍公教", "civil servant", 1.1 },
    { "0301", "製造業", "manufacturing", 1.0 },  { "0302", "科技業", "technology", 1.6 },
    { "0401", "金融業", "finance", 1.5 },        { "0501", "服務業", "services", 0.8 },
    { "0601", "醫療", "healthcare", 1.7 },       { "0701", "自營商", "self-employed", 1.3 },
    { "0801", "家管", "homemaker", 0.3 },        { "0901", "退休", "retired", 0.6 },
    { "1001", "農林漁牧", "agriculture", 0.6 },  { "1101", "自由業", "professional", 1.4 },
};
const size_t gen_noccupations = N(gen_occupations);

const char *gen_variant(const char *ch)
{
    /* only pairs that both Big5 (CP950) and the host code page (IBM-937) can hold */
    static const char *const pairs[][2] = {
        { "臺", "台" }, { "台", "臺" }, { "裏", "裡" }, { "裡", "裏" }, { "嘆", "歎" }, { "歎", "嘆" },
        { "汙", "污" }, { "污", "汙" }, { "秘", "祕" }, { "祕", "秘" }, { "巖", "岩" }, { "岩", "巖" },
        { "雕", "彫" }, { "彫", "雕" },
    };
    for (size_t i = 0; i < N(pairs); i++)
        if (strcmp(ch, pairs[i][0]) == 0)
            return pairs[i][1];
    return NULL;
}

const char *gen_homophone(const char *ch)
{
    /* same Zhuyin reading, so a clerk typing by sound picks the wrong one;
     * every pair is held by both Big5 and IBM-937 */
    static const char *const pairs[][2] = {
        { "怡", "宜" }, { "婷", "庭" }, { "君", "均" }, { "宏", "鴻" }, { "志", "智" }, { "明", "銘" },
        { "俊", "峻" }, { "雅", "亞" }, { "惠", "慧" }, { "慧", "惠" }, { "玲", "伶" }, { "芳", "方" },
        { "佩", "珮" }, { "傑", "杰" }, { "淑", "書" }, { "美", "媚" }, { "珍", "真" }, { "琪", "琦" },
        { "秀", "繡" }, { "麗", "莉" }, { "萱", "宣" }, { "欣", "馨" }, { "詩", "師" }, { "家", "嘉" },
        { "豪", "浩" }, { "建", "健" }, { "偉", "瑋" }, { "冠", "貫" }, { "廷", "庭" }, { "庭", "廷" },
        { "宗", "琮" }, { "翰", "瀚" }, { "承", "丞" }, { "信", "新" }, { "正", "政" }, { "勝", "聖" },
        { "宇", "羽" }, { "德", "得" }, { "文", "雯" }, { "安", "鞍" }, { "晴", "情" }, { "子", "紫" },
        { "如", "茹" }, { "國", "幗" },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (strcmp(ch, pairs[i][0]) == 0)
            return pairs[i][1];
    return NULL;
}
