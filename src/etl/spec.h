/*
 * spec.h — source specifications: how a bank describes one kind of file.
 *
 * A spec is a JSON document (the format is in docs/etl.md) that says how to
 * read a file (format, encoding, header, copybook or column positions), how
 * to turn each record into named, typed, cleansed and validated fields, and
 * which warehouse entities the fields become (targets).  No C is written to
 * load a new kind of file.
 *
 * sp_spec_parse() checks the whole document up front and names the member
 * at fault ("spec host-cif: fields[3].from: no field 'CIF-NAMX' in
 * copybook CIF.cpy"), so that a bad spec never half-loads a file.
 *
 * sp_decode() turns one record into field values: a record that breaks a
 * rule yields SP_REJECT with the field, its printable value, the rule's
 * name and a message; cleansing that changed a value is counted as fixed.
 *
 * Segments (a copybook of several records, told apart by a field): the
 * decoder keeps the last record of each kind, and a field of another kind
 * than the record at hand's is read from it (a detail sees its header); a
 * target names its record and is written through a field of its own that
 * tests it (SRC_SEGMENT, as when); a trailer's count is checked as the
 * trailer is read (a mismatch fails the load, not the record).
 */
#ifndef RP_SPEC_H
#define RP_SPEC_H

#include <jansson.h>
#include <regex.h>
#include <stdint.h>
#include "core/error.h"
#include "core/rtime.h"
#include "etl/copybook.h"
#include "core/reader.h"

#define SP_MAX_FIELDS 128
#define SP_MAX_TARGETS 16
#define SP_TEXT_MAX 1024 /* longest field value, UTF-8 bytes */
#define SP_MAX_SPEC_BYTES ((size_t)1 << 20)

typedef enum { SPF_RDW, SPF_FIXED, SPF_COLUMNS, SPF_CSV, SPF_DELIMITED, SPF_WHITESPACE, SPF_JSONL } sp_format;

typedef enum {
    SRC_FROM,      /* a column, copybook field or JSON member */
    SRC_POSITION,  /* bytes start..start+length of a text line */
    SRC_CONST,     /* a literal */
    SRC_CONCAT,    /* other fields and literals joined */
    SRC_RECORD,    /* the record number in its file */
    SRC_HASH,      /* a hash of the record's bytes */
    SRC_FILE,      /* the file's base name */
    SRC_SEGMENT    /* a target's record test (segments): "1" when the record is of segment seg (and its
                      target's when field has a value), else no value */
} sp_source;

/* The field types; their names and decoding functions are sp_field_types[] (rules.h). */
typedef enum {
    FT_TEXT, FT_NAME, FT_ADDRESS, FT_PHONE, FT_EMAIL, FT_INTEGER, FT_AMOUNT, FT_DATE,
    FT_DATETIME, FT_BOOLEAN, FT_DECIMAL, FT__COUNT
} sp_type;

typedef enum { DF_AUTO, DF_ROC, DF_YYYYMMDD } sp_datefmt;

/* A rule of a field (required, min, pattern, check ...): its kind and check
 * are rows of the tables in rules.h. */
typedef struct sp_rule_kind sp_rule_kind;
typedef struct sp_check sp_check;

typedef struct sp_rule {
    const sp_rule_kind *kind;
    double num;       /* min, max (amounts in major units), max length */
    regex_t re;       /* pattern (POSIX extended, anchored by the author) */
    int has_re;
    /* the same pattern when it is a fixed sequence of byte classes, ^[A-Z][12][0-9]{8}$ and the
     * like: one 256-bit set a byte, tested directly (POSIX regexec cost a load a tenth of its time) */
    unsigned char (*fixed)[32];
    int nfixed;       /* > 0: fixed is used instead of re */
    char *text;       /* the pattern as written */
    const sp_check *check;
    char **set;       /* in */
    int nset;
    int when_field;   /* -1: always */
    char **when;      /* ... when that field's value is one of these */
    int nwhen;
} sp_rule;

typedef struct sp_part {
    int field; /* -1: a literal */
    char *lit;
} sp_part;

typedef struct sp_field {
    char name[64];
    sp_source src;
    char from[128];   /* column name, copybook field or JSON member path */
    int column;       /* 0-based column, -1 by name (resolved per file) */
    const cb_field *cb;
    int book_ix;      /* segments: which of the copybook's records cb is of (0 without) */
    int seg, seg_when; /* SRC_SEGMENT: the record (its index in the book) and the target's when field (-1) */
    int start, length; /* SRC_POSITION, bytes, 0-based */
    char *constant;
    sp_part *parts;
    int nparts;
    char *sep;         /* concat separator */
    sp_type type;
    int clean;         /* apply the type's cleansing rule */
    char **map_from, **map_to; /* code table; map_to[i] NULL maps to empty */
    int nmap;
    char *map_default;
    int has_default, map_strict;
    sp_datefmt datefmt;
    int time_field;    /* FT_DATETIME from a date field plus this time (HHMMSS) */
    int country_field; /* FT_PHONE: numbers read as this earlier field's country writes them (-1 none) */
    char country[3];   /* ... or as this country does ("=AU"); "" Taiwan */
    int decimals;      /* text amounts: decimals written; -1 as written */
    int implied;       /* text amounts: no point, last `decimals` digits */
    char currency[4];  /* amounts: minor units of this currency */
    int exponent;
    int negate;
    char zone[8];      /* local times without an offset: default +08:00 */
    int optional;      /* an absent JSON member is no value (a missing column is an error: may_be_absent) */
    int may_be_absent; /* the file's header may lack the column: then every value of it is none */
    int on_invalid_empty; /* "on_invalid": "empty": a value refused is no value, counted as fixed (emptied) */
    regex_t *case_re;   /* classify by pattern: the first that matches gives case_to */
    char **case_to;
    int ncases;
    int64_t *band_from; /* numbers to labels: the last band whose lower bound <= value */
    char **band_label;
    int nbands;
    sp_rule *rules;
    int nrules;
} sp_field;

typedef enum {
    TG_PARTY, TG_IDENTIFIER, TG_CONTACT, TG_ACCOUNT, TG_ROLE, TG_LINK, TG_TXN, TG_INTERACTION,
    TG_CONSENT, TG_ACTIVITY, TG_CALL, TG_CALL_NOTE, TG_CAMPAIGN, TG_CAMPAIGN_TARGET,
    TG_CAMPAIGN_RESPONSE, TG_BRANCH, TG_PRODUCT, TG_STATEMENT, TG_STAFF, TG_DNC, TG_MANAGER, TG__COUNT
} sp_target_kind;

#define SP_MAX_ATTRS 24

/* A value for an attribute: a field's value or a literal. */
typedef struct sp_arg {
    int field;   /* -1: literal (may be NULL: absent) */
    char *lit;
} sp_arg;

/* A reference to a party or account already in the store. */
typedef struct sp_ref {
    int kind;       /* 0 none, 1 this record's party/account, 2 by source key, 3 account number,
                       4 by any key (wh_find: phones, e-mails...) */
    char source[32];
    int field;
    int optional;   /* an empty key gives no party instead of a reject */
} sp_ref;

typedef struct sp_target {
    sp_target_kind kind;
    char source[32];
    sp_arg attr[SP_MAX_ATTRS]; /* indexed by the kind's attribute table */
    int has[SP_MAX_ATTRS];
    sp_ref party, party2, account;
    int insert_only; /* party/account: create if missing, never update */
    int when_field;  /* write only when this field is not empty (-1 always) */
} sp_target;

typedef struct sp_spec {
    char name[64];
    char source[32];
    char description[256];
    char **files;   /* glob patterns on the path relative to an extract folder */
    int nfiles;
    char **after;   /* specs to load first */
    int nafter;
    sp_format format;
    char encoding[24];   /* as named: IBM-NNN for a host (EBCDIC) code page, else an iconv name, UTF-8 by default */
    char iconv_name[24]; /* what iconv calls it (IBM937) */
    int ebcdic;          /* a host code page: SO/SI around DBCS runs, rdw and fixed formats only */
    int bdw;             /* rdw: blocks with block descriptor words (block_descriptors) */
    char copybook[256];
    cb_layout *book;            /* the copybook's records */
    const cb_layout *layout;    /* the one this spec reads (record: when it has several; the first with segments) */
    /* segments: a file of several kinds of record told apart by a field (by) of the first record, each value
     * naming the record its bytes are; a field of another record than the one at hand is that record's last */
    int nsegments;
    const cb_field *seg_by;
    char seg_value[CB_MAX_RECORDS][32];
    int seg_record[CB_MAX_RECORDS]; /* the value's record: its index in the book */
    const cb_layout *records[CB_MAX_RECORDS]; /* the book's records by index */
    int nrecords;
    /* segments.trailer: a control total, the records of kind count_of since the last trailer (of kind
     * trailer) against the trailer's field count_field; -1 without one */
    int trailer, count_of;
    const cb_field *count_field;
    const cb_field *sum_field, *sum_of; /* and the trailer's sum of a field of theirs (NULL without one) */
    int reclen;      /* SPF_FIXED without a copybook */
    char delimiter;
    int header;
    int min_length;  /* shortest acceptable record (copybook formats: the layout's) */
    int key[8];      /* fields making the record's key */
    int nkey;
    int dedup_seen;  /* duplicate keys detected through load_seen (no unique target) */
    sp_field fields[SP_MAX_FIELDS];
    int nfields;
    sp_target targets[SP_MAX_TARGETS];
    int ntargets;
    json_t *reference; /* branches, categories, products put before loading */
    char dir[512];     /* where the spec lives (copybooks are looked for there too) */
    char *text;        /* the document as read */
} sp_spec;

/* text: the document; what: its name in messages; dir: for relative
 * copybooks (also tried: extra_dir, the data file's folder). */
int sp_spec_parse(const char *text, size_t n, const char *what, const char *dir,
                  const char *extra_dir, sp_spec **out, rp_error *err) RP_WARN_UNUSED;
int sp_spec_load(const char *path, const char *extra_dir, sp_spec **out, rp_error *err) RP_WARN_UNUSED;
/* A spec shipped with Rapport, by name ("host-cif"). */
int sp_spec_builtin(const char *name, const char *extra_dir, sp_spec **out, rp_error *err) RP_WARN_UNUSED;
/* The shipped spec whose file patterns match a path (a pattern with k
 * slashes matches the last k+1 components, one without the file name):
 * *name, or NULL when none does; an error only when the specs' patterns
 * could not be read (memory).  Then the spec's depth in the "after" order
 * (0 first), and its description (NULL for want of memory). */
int sp_builtin_for_path(const char *path, const char **name, rp_error *err) RP_WARN_UNUSED;
int sp_builtin_depth(const char *name);
const char *sp_builtin_description(const char *name);
/* Names of the shipped specs, NULL-terminated. */
const char *const *sp_builtin_names(void);
const char *sp_builtin_text(const char *name);
void sp_spec_free(sp_spec *s);
/* Does a relative path match one of the spec's file patterns? */
int sp_spec_matches(const sp_spec *s, const char *relpath);
rd_options sp_reader_options(const sp_spec *s);
const char *sp_target_name(sp_target_kind k);
/* The attribute index of name for a target kind, or -1. */
int sp_attr_index(sp_target_kind k, const char *name);

/* ---- decoding records ---- */

typedef struct sp_value {
    int null;
    const char *text;  /* canonical text: dates YYYY-MM-DD, times UTC ISO 8601 */
    int64_t num;       /* integers, amounts in minor units, booleans */
    int is_num;
} sp_value;

typedef struct sp_reject {
    char field[64];
    char value[256];  /* printable: non-text bytes as \xHH */
    char rule[32];
    char message[512];
} sp_reject;

enum { SP_OK = 0, SP_REJECT = 300 };

typedef struct sp_decoder sp_decoder;

/* One decoder per file: it binds header columns and owns the code page
 * converters.  header: names from the file's header row (or NULL). */
int sp_decoder_open(const sp_spec *s, const char *file, const char **header, int nheader,
                    sp_decoder **out, rp_error *err) RP_WARN_UNUSED;
void sp_decoder_close(sp_decoder *d);
/* Decode a record, as read by a reader opened with sp_reader_options(s)
 * (which has checked that a UTF-8 text record is UTF-8, so its fields are
 * not checked again).  SP_OK: values[] holds every field; *fixes the number
 * of values cleansing changed (fixed_rule/fixed_field name the last).
 * SP_REJECT: *rej says why.  Other codes are internal failures. */
int sp_decode(sp_decoder *d, const rd_record *rec, sp_value *values, sp_reject *rej,
              rp_error *err);
/* Segments: a record read before the decoding goes on from a checkpoint, kept as the last of its kind (the
 * header a detail after the checkpoint sees); the record just decoded's kind (its copybook record's name;
 * NULL without segments or when it was none). */
int sp_decoder_remember(sp_decoder *d, const rd_record *rec, rp_error *err) RP_WARN_UNUSED;
const char *sp_decoder_record(const sp_decoder *d);
/* Every named field of the spec's copybook decoded on its own into obj (its name: text through the code
 * page, trimmed; a number as its exact decimal text; a field the record does not reach, null; one that
 * does not decode, {"error": why}): what `rapport load --preview` shows beside the spec's values. */
int sp_decode_layout(sp_decoder *d, const rd_record *rec, json_t *obj, rp_error *err) RP_WARN_UNUSED;
/* After sp_decode: how many values cleansing changed, and which. */
int sp_fixed_count(const sp_decoder *d);
void sp_fixed_get(const sp_decoder *d, int i, const char **rule, const char **field);
/* The record's key (the spec's key fields joined by U+001F). */
const char *sp_record_key(sp_decoder *d, const sp_value *values);
/* Fill a reject: field, value (vlen bytes, made printable), rule and a
 * message; returns SP_REJECT. */
int sp_reject_set(sp_reject *rej, const char *field, const void *value, size_t vlen, const char *rule,
                  const char *fmt, ...) RP_PRINTF(6, 7);

#endif
