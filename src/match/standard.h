/*
 * standard.h — putting what sources write about a person into forms that can
 * be compared (issue 5, DOMAIN W12): names in both scripts, addresses,
 * and a string similarity over characters.
 *
 * Romanised names.  Taiwanese passports, and the host and card systems that
 * copied them, write Wade-Giles without apostrophes or umlauts: 張 CHANG,
 * 許 HSU, 君 CHUN, 曾 TSENG, 子 TZU.  mt_romanise() takes each Han character
 * to Hanyu Pinyin with ICU's Han-Latin transliterator (a surname's reading
 * from a table where the character reads otherwise as a surname: 曾 ZENG,
 * 單 SHAN), and each syllable to that Wade-Giles spelling by the rules that
 * relate the two systems (mt_pinyin_to_wg).  A clerk who typed 宜 for 怡 by
 * sound leaves the romanisation unchanged, which is why it is compared.
 * Results are cached per character: ICU is asked once for each.
 *
 * Name keys are upper-case syllables with the given name's syllables
 * joined: 陳怡君 and "Chen, Yi-Chun" both give "CHEN YICHUN".  A romanised
 * name written in Pinyin ("CHEN YIJUN") gets a second key converted to
 * Wade-Giles, because a spelling alone cannot say which system it is in
 * (JU is 如 in Wade-Giles and 居 in Pinyin): comparisons take the better.
 *
 * Addresses are cut into county, district, road (with its section), lane,
 * alley, number and floor, after the cleansing rules (臺 for 台, half-width
 * digits), so that "台北市大安區復興南路1段200號5樓" and "臺北市大安區復興南路一段
 * 200號五樓" compare equal part by part.
 */
#ifndef RP_MATCH_STANDARD_H
#define RP_MATCH_STANDARD_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

typedef struct mt_romaniser mt_romaniser;

int mt_romaniser_open(mt_romaniser **out, rp_error *err) RP_WARN_UNUSED;
void mt_romaniser_close(mt_romaniser *r);
/* "陳怡君" -> "CHEN YI CHUN": a syllable a Han character, the first read as
 * a surname; letters and digits kept, upper-cased; other characters out. */
int mt_romanise(mt_romaniser *r, const char *zh, char *out, size_t n, rp_error *err) RP_WARN_UNUSED;
/* One toneless Pinyin syllable ("jun"; "lu" also stands for lü) to the
 * passport Wade-Giles spelling, upper case ("CHUN").  Returns 0, leaving
 * the syllable upper-cased, if it is not Pinyin. */
int mt_pinyin_to_wg(const char *syllable, char *out, size_t n);
/* A name as someone typed it into a search box, read as Pinyin and written
 * in Wade-Giles without blanks: "xu yizhen" -> "HSUYICHEN".  Returns 0 (out
 * "") when a word is not Pinyin, or when the spelling would not change. */
int mt_pinyin_query(const char *text, char *out, size_t n);

typedef struct mt_name {
    char han[96];       /* the Chinese name cleaned: blanks out, variants folded (裡 -> 裏) */
    char han_key[96];   /* its romanisation, given name joined: "CHEN YICHUN" */
    char latin_key[96]; /* the romanised name as written: "CHEN YICHUN" */
    char latin_alt[96]; /* ... read as Pinyin, in Wade-Giles; "" when that is the same */
} mt_name;

/* Either name may be NULL or empty. */
int mt_name_standardise(mt_romaniser *r, const char *zh, const char *latin, mt_name *out,
                        rp_error *err) RP_WARN_UNUSED;
/* How alike two names are, 0 to 1: the best of the Chinese names compared
 * character by character and the romanisations compared (across scripts). */
double mt_name_similarity(const mt_name *a, const mt_name *b);

typedef struct mt_address {
    char county[16], district[16], road[64], lane[16], alley[16], number[32], floor[16], rest[96];
} mt_address;

/* Cut a Taiwanese address into its parts (what is not recognised goes to
 * rest); Chinese numerals in sections, lanes and floors become digits. */
void mt_address_parse(const char *address, mt_address *out);

/* Jaro-Winkler similarity of two UTF-8 strings, over characters (code
 * points), not bytes; 1 for equal strings, 0 when either is empty. */
double mt_jaro_winkler(const char *a, const char *b);

#endif
