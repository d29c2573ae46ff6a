/* internal.h — shared between the marketing module's own files; not for callers. */
#ifndef RP_MARKETING_INTERNAL_H
#define RP_MARKETING_INTERNAL_H

#include "core/rtime.h"
#include "marketing/marketing.h"

/* The most cells a campaign has. */
#define MK_MAX_CELLS 16

/* A code of 1-32 letters, digits, '-' or '_' (offers, campaigns, cells); RP_INVAL naming field. */
int mk__code_ok(const char *field, const char *v, rp_error *err);
/* Text of at most max bytes, printable (required: not empty). */
int mk__text_ok(const char *field, const char *v, size_t max, int required, rp_error *err);
/* v's place in a NULL-terminated list, or -1. */
int mk__index(const char *v, const char *const *list);
/* Now as canonical UTC text. */
void mk__now(char out[RP_TIME_UTC_LEN]);
/* A row of campaign_change. */
int mk__log(wh *w, const char *campaign, const char *by, const char *action, const char *from, const char *to,
            const char *detail, rp_error *err);
/* The plan's status ("" and RP_NOTFOUND for a campaign without one), for a step that needs one. */
int mk__status(wh *w, const char *code, char status[16], rp_error *err);

/* The suppression steps a policy may skip, NULL-terminated. */
const char *const *mk__steps(void);
/* An uploaded list's customers in ascending order (RP_NOTFOUND for none). */
int mk__list_members(wh *w, const char *name, int64_t **ids, size_t *n, rp_error *err);

/* ---- the mart's columns (mart.c), read by select.c ---- */

/* A customer's flags in the mart */
enum { MK_F_DECEASED_OR_CLOSED = 1, MK_F_STAFF = 2, MK_F_COMPLAINT = 4, MK_F_ORGANISATION = 8 };

struct mk_mart {
    size_t n;
    int32_t as_of;
    int64_t built_at;
    char path[1100];
    void *map;                     /* the file, mapped; or the memory of an in-memory store's copy */
    size_t bytes;
    int in_memory;
    const rp_config *cfg;          /* [marketing] minor_age: the caller's, while the copy is open */
    const int64_t *customer;
    const double *num[AN_ATTRS_MAX];
    const uint32_t *code[AN_ATTRS_MAX];
    const char *const *dict[AN_ATTRS_MAX];  /* dict[a][code] */
    uint32_t ndict[AN_ATTRS_MAX];
    char **dict_mem[AN_ATTRS_MAX];
    const uint64_t *consent, *address;
    const int32_t *last_contact;
    const uint8_t *reachable, *dnc, *flags, *recent_all;
    /* the products held: nproducts codes, each a bitset of n bits */
    int nproducts;
    char (*product)[32];
    const uint64_t **holds;
};

/* 1 when customer row i holds product p (an index into m->product, -1: none). */
int mk__holds(const mk_mart *m, int p, size_t i);
int mk__product_index(const mk_mart *m, const char *code);
/* The row of a customer id, or -1. */
ptrdiff_t mk__row(const mk_mart *m, int64_t customer);
/* Whether a customer may still be contacted on a contact channel (wh_contact_channels; -1: one
 * that needs none) for a consent purpose (service: none needed), by the copy: -1 yes; else why not,
 * 0 deceased or closed (or no longer a customer), 1 do not contact, 2 no consent, 3 unreachable. */
int mk__reach_now(const mk_mart *m, const char *purpose, int contact, int64_t customer);

/* ---- optimisation's shared parts (optimise.c), and the exact method (optimise_lp.c) ---- */
double mk__opt_value(const mk_opt *p, size_t i, int j);
/* Group g's cap (group_caps, else group_max; 0: none). */
int64_t mk__opt_gcap(const mk_opt *p, int g);
void mk__opt_name(const mk_opt *p, int constraint, char *out, size_t n);
int mk__opt_greedy(const mk_opt *p, mk_opt_result *r, rp_error *err);
int mk__opt_exact(const mk_opt *p, mk_opt_result *r, rp_error *err);
/* The LP relaxation's duals, by constraint number (optimise.c's), into dual (zeroed by the caller). */
int mk__opt_lp_duals(const mk_opt *p, double *dual, rp_error *err);

#endif
