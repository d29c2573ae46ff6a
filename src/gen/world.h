/*
 * world.h — the facts the synthetic bank is made of: Taiwanese surnames with
 * their frequencies (Ministry of the Interior, 2018), given-name characters
 * with their Wade-Giles romanisation as passports write it, counties and
 * districts with postal codes, telephone area codes and national-ID letters,
 * street names, occupations, e-mail domains.
 */
#ifndef RP_GEN_WORLD_H
#define RP_GEN_WORLD_H

#include <stddef.h>

typedef struct gen_name_part {
    const char *zh, *latin;
    double weight;
} gen_name_part;

typedef struct gen_district {
    const char *name;
    const char *zip; /* three-digit postal code */
} gen_district;

typedef struct gen_county {
    const char *name;      /* 臺北市 (official form, with 臺) */
    const char *name_en;
    double population;     /* millions, for weighting */
    char id_letter;        /* national-ID letter of the household registration */
    const char *area_code; /* "02", "037" ... */
    int local_digits;      /* digits after the area code */
    const gen_district *districts;
    size_t ndistricts;
} gen_county;

extern const gen_name_part gen_surnames[];
extern const size_t gen_nsurnames;
extern const gen_name_part gen_given_female[], gen_given_male[];
extern const size_t gen_ngiven_female, gen_ngiven_male;
extern const gen_county gen_counties[];
extern const size_t gen_ncounties;
extern const char *const gen_streets[];
extern const size_t gen_nstreets;
extern const char *const gen_email_domains[];
extern const size_t gen_nemail_domains;

typedef struct gen_occupation {
    const char *code, *zh, *en;
    double income_factor;
} gen_occupation;
extern const gen_occupation gen_occupations[];
extern const size_t gen_noccupations;

/* Variant characters a clerk or another system may use for the same
 * character (臺/台 and others), among those both Big5 and IBM-937 hold:
 * returns the variant or NULL. */
const char *gen_variant(const char *ch);

/* A character with the same reading (Zhuyin), as a clerk typing by sound
 * may pick instead: 怡 -> 宜, 婷 -> 庭.  NULL when the table has none. */
const char *gen_homophone(const char *ch);

#endif
