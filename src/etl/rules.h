/*
 * rules.h — what a field of a source spec can be, as three tables: the
 * types a field decodes to, the rules it can carry and the checksums a rule
 * can name.  Private to etl/: spec.c reads them from a spec, decode.c and
 * rules.c apply them to every record.
 *
 * Adding a check ("check": "name"): a function int ok(const char *value)
 * saying whether the value passes, and one row of sp_checks[] (rules.c):
 * {name, what a valid value is called in the reject message, function}.
 *
 * Adding a rule (a member of a field, and of the entries of its "rules"): a
 * function that applies it to a value, rejecting the record with the field,
 * the rule and a message, and one row of sp_rule_kinds[] (rules.c): {the
 * member's name, its parser, the function, whether it looks at a missing
 * value}.  The parsers of a number, a pattern, a check and a list are
 * there to reuse; a new kind of value needs its parser too.  Rules are
 * applied in the table's order, the first broken one rejecting.
 *
 * Adding a field type: an FT_ value (spec.h), a function turning the text
 * (or host number) into the typed value, and one row of sp_field_types[]
 * (decode.c) in the FT_ order.
 *
 * Each of these is also a line of docs/etl.md.
 */
#ifndef RP_ETL_RULES_H
#define RP_ETL_RULES_H

#include <jansson.h>
#include <regex.h>
#include "etl/spec.h"

/* regexec, with REG_ESPACE when it ran out of memory: glibc's regexec
 * answers REG_NOMATCH then, which would reject a good value; a failed
 * allocation leaves errno ENOMEM. */
int sp_regexec(const regex_t *re, const char *text);

/* A length not known (the text was written by a formatting call). */
#define SP_NOLEN ((size_t)-1)

/* ---- checks ---- */

struct sp_check {
    const char *name; /* as a spec names it: "national_id" */
    const char *what; /* in the reject: "'...' is not a valid national ID" */
    int (*ok)(const char *value);
};

/* Ended by a row without a name. */
extern const sp_check sp_checks[];

/* ---- rules ---- */

/* A parser's answer when the member asks for no rule ("required": false). */
enum { SP_NO_RULE = 301 };

struct sp_rule_kind {
    const char *name; /* the member: "max_length" */
    /* The member's value v into r; path names it in messages. */
    int (*parse)(sp_rule *r, const json_t *v, const char *path, rp_error *err);
    /* A value of f (len bytes of text, or SP_NOLEN) against r: RP_OK, or
     * SP_REJECT with *rej filled in. */
    int (*apply)(const sp_rule *r, const sp_field *f, const sp_value *v, size_t len, sp_reject *rej);
    int on_null; /* 1: applied to a missing value only (required); 0: to a value only */
};

/* Ended by a row without a name. */
extern const sp_rule_kind sp_rule_kinds[];

/* The rules written in object o (a field, or with in_list an entry of its
 * "rules", which may carry "when"), appended to f's; path names o. */
int sp_rules_parse(sp_spec *s, sp_field *f, const json_t *o, const char *path, int in_list,
                   rp_error *err) RP_WARN_UNUSED;
/* f's rules on its value v (len as for apply), the record's values in all. */
int sp_rules_apply(const sp_field *f, const sp_value *v, size_t len, const sp_value *all, sp_reject *rej);
void sp_rule_release(sp_rule *r);
/* first (NULL-terminated) and then the rules' member names into out, of n
 * entries, NULL-terminated: the members an object may have. */
void sp_rule_members(const char *const *first, const char **out, size_t n);

/* ---- field types ---- */

/* A field on its way through the decoder (decode.c). */
typedef struct sp_raw sp_raw;

typedef struct sp_field_type {
    const char *name; /* as a spec names it: "amount" */
    /* The field's text or host number to its value: RP_OK (the value may
     * have become null) or SP_REJECT. */
    int (*decode)(sp_decoder *d, sp_raw *x);
} sp_field_type;

/* Indexed by sp_type. */
extern const sp_field_type sp_field_types[FT__COUNT];

/* ---- from spec.c ---- */

/* A list of strings: a string alone counts as a list of one. */
int sp_str_list(const json_t *v, const char *path, char ***out, int *n, rp_error *err) RP_WARN_UNUSED;
void sp_free_list(char **l, int n);
/* The index of the field of that name, or -1. */
int sp_field_index(const sp_spec *s, const char *name);

#endif
