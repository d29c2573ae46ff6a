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

/* A draft's design may change (RP_DENIED naming what, for a campaign past design); plan.c. */
int mk__draft_only(wh *w, const char *code, const char *what, rp_error *err);
/* The design changed: its version moves on and its selection (targets, waterfall) is dropped; plan.c. */
int mk__touch(wh *w, const char *code, rp_error *err);

/* ---- waves (waves.c) ---- */

/* A campaign's waves as the document has them, and today's date (Taipei). */
typedef struct mk__waves {
    int n;
    int wave[MK_MAX_WAVES];
    double share[MK_MAX_WAVES];
    char starts[MK_MAX_WAVES][RP_DATE_LEN], ends[MK_MAX_WAVES][RP_DATE_LEN];  /* ends "": none */
    char today[RP_DATE_LEN];
} mk__waves;
/* doc's "waves": [{wave, starts_on, ends_on, share}] from campaign_wave. */
int mk__waves_json(wh *w, const char *code, json_t *doc, rp_error *err);
void mk__waves_read(const json_t *doc, mk__waves *v);
/* A customer's wave by the shares, drawn from the seed (0 when the campaign has none). */
int mk__wave_draw(const mk__waves *v, uint64_t seed, int64_t customer);
/* Is the wave's time now: 0 it is (its first day today or before, its last day not past; wave 0, none,
 * always), -1 not yet (or a wave the design no longer has), 1 over. */
int mk__wave_state(const mk__waves *v, int wave);
/* The campaign's waves within start and end (dates, "" none): RP_INVAL naming the first that is not,
 * as field says (campaign.start_date ...). */
int mk__waves_within(wh *w, const char *code, const char *start, const char *end, rp_error *err);

/* ---- a campaign as the steps that act on it read it (lifecycle.c) ---- */

/* A cell of the campaign's document: the strings are the document's, valid while it is. */
typedef struct mk__cell {
    const char *cell, *offer, *channel, *message;  /* message NULL: none */
    int paused;
    int contact;                                   /* the channel's contact (wh_contact_channel; -1 none) */
    int64_t cap;                                   /* 0: none */
} mk__cell;
/* The campaign: its document (mk_campaign_get's; the caller json_decref's doc), status, purpose
 * (NULL for a loaded campaign) and cells in the document's order, at most MK_MAX_CELLS (a loaded
 * campaign has none). */
typedef struct mk__campaign {
    json_t *doc;
    const char *status, *purpose;
    mk__cell cells[MK_MAX_CELLS];
    int ncells;
    mk__waves waves;
} mk__campaign;
int mk__campaign_cells(wh *w, const char *code, mk__campaign *c, rp_error *err);
/* The cell named name (NULL: ""), or NULL when the campaign has none. */
const mk__cell *mk__campaign_cell(const mk__campaign *c, const char *name);

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

/* Customer row i's value of attribute at (an index into an_attrs): a number, or a code's text from
 * the attribute's dictionary; NAN and NULL when the copy has no such attribute or at is past
 * an_attrs (select.c). */
an_value_cell mk__attr_get(const mk_mart *m, size_t i, int at);
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

/* ---- events and leads (events.c, eventrule.c, leads.c) ---- */

/* A customer and the source parties merged into them (at most MK_PARTIES, -1 after the last): an
 * event or lead made before identity resolution is of a source party. */
#define MK_PARTIES 16
int mk__customer_parties(wh *w, int64_t customer, int64_t ids[MK_PARTIES], rp_error *err);

/* An event rule's row, as the run and the leads it makes read it. */
typedef struct mk__rule_row {
    char code[33], detector[32], offer[33], route[16], name_zh[129], name_en[129];
    int expires_days, priority;
    double control_pct;
} mk__rule_row;
struct rule;
/* A detector's parameters checked (r NULL) or read into r (events.c's). */
int mk__event_params(const char *detector, const char *params, struct rule *r, rp_error *err);
/* The enabled rules, highest priority first: *rows and *params (malloc'd, n each). */
int mk__rules_load(wh *w, mk__rule_row **rows, char ***params, int *n, rp_error *err);
/* A value of event_state ("" when unset), and setting one. */
int mk__event_state(wh *w, const char *name, char *out, size_t n, rp_error *err);
int mk__event_state_set(wh *w, const char *name, const char *value, rp_error *err);
/* Keep an event unless the rule has one for the fact: *id the new event's, 0 when it was there. */
int mk__event_put(wh *w, const mk__rule_row *r, int64_t customer, int64_t account, const char *occurred,
                  const char *via, const char *fact, const int64_t *amount, const char *zh, const char *en,
                  int64_t *id, rp_error *err);
/* The lead an event makes: routed (the manager, else the home branch, else the outbound queue; the
 * outbound queue's daily capacity), held out (the rule's control share) or suppressed (no consent
 * to be called, do not contact, deceased).  *outcome "lead", "control" or "suppressed". */
int mk__lead_make(wh *w, const mk__rule_row *r, int64_t event, int64_t customer, int64_t now,
                  const char **outcome, int64_t *lead, rp_error *err);

#endif
