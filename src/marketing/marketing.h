/*
 * marketing.h — database marketing (issue 24, DOMAIN K1-K7, M11, M12): offers, campaigns and
 * their lifecycle, target selection with a waterfall of eligibility and suppression, control
 * groups, champion and challenger cells.  docs/marketing.md is the user's guide.
 *
 * An offer is a product with an incentive, a cost per contact, a value when taken up and an
 * eligibility rule.  A campaign (the campaign table of the warehouse is the register of every
 * campaign, loaded from files or designed here; a designed one has a plan, this module's) has an
 * objective, the consent purpose it contacts for, a selection, a suppression policy, a control
 * group, cells (an offer on a channel each, with shares to test one against another), dates, a
 * budget, an owner and a status:
 *
 *   draft --submit--> submitted --approve--> approved --launch--> running --close--> closed
 *     ^                   |                                        | ^
 *     +------reject-------+                             pause      v | resume
 *   (draft, submitted, approved: cancel)                         paused
 *
 * Only a draft is edited; submitting freezes the design and its selection (made then, or before
 * with mk_select), which is what the approver sees and approves; an approval by the campaign's
 * author (who created or submitted it) is refused; a launch without approval is refused.  Every
 * change is a row of campaign_change, with who, when and what.  Who may do what (design, approve)
 * is security's permission matrix, checked by the CLI and the API.
 *
 * Selection reads the selection copy ("the mart", mart.c): a file beside the store
 * (DB.mart) with every customer's attributes (an_attrs[], analytics.h), what suppression asks
 * (warehouse.h, wh_reach_all) and which products each holds, as columns; so counting a rule over
 * a million customers is a scan of a few columns in memory.  The copy is made again when it is
 * missing, from another store, older than [marketing] mart_hours (24), older than the newest
 * transaction, or when consents, contact points, do-not-contact, staff or complaints changed since; a selection that writes targets makes it again when it is older than [marketing]
 * select_minutes (60): consents withdrawn this morning are not contacted this afternoon.
 *
 * The waterfall (select.c), in this order, each step counted:
 *   candidates      the rule, the top deciles of a kept model, an uploaded list (all that are given)
 *   deceased_or_closed, minor ([marketing] minor_age, 18), staff, do_not_contact, no_consent,
 *   unreachable     (on every channel of the campaign's cells: a customer a cell can reach stays)
 *   open_complaint, holds_product (every offer's product held), not_eligible (no offer's rule holds)
 *   recently_contacted  (contacted by any campaign in the last policy.recent_days, 30)
 *   contact_pressure    (policy.max_per_month, 4, outbound contacts in the last 30 days)
 *   household           (direct mail: one piece per household address, the most valuable member)
 *   control         the hold-out, never contacted
 *   over_cap        a cell's cap reached
 * The policy is a JSON object on the plan: {"recent_days": 30, "max_per_month": 4, "minor_age": 18,
 * "household": true, "skip": ["staff", ...]}; a step skipped is reported as skipped.
 *
 * Files:
 *   marketing.h   this: what other modules use (cli, api, tests)
 *   internal.h    (private) what the files share
 *   offer.c       offers: kept, checked, listed (table offer)
 *   plan.c        campaigns: plans checked, created and changed, cells (campaign_plan,
 *                 campaign_cell), every change recorded (campaign_change)
 *   waves.c       a campaign's waves: designed, drawn for each target, opened on their first day
 *   lifecycle.c   the steps from draft to closed, a campaign as people read it, the list of
 *                 campaigns, uploaded lists (target_list)
 *   mart.c        the selection copy beside the store: made, opened, read
 *   select.c      counting and selecting: the rule, the waterfall, the control group, the cells;
 *                 the targets written (the warehouse's campaign_target) and the waterfall kept
 *                 (campaign_waterfall)
 *   output.c      the lists each channel's vendor or system takes (CSV, XLSX), one layout a
 *                 channel; the outbound cell's customers given to the agents as a calling list
 *   send.c        e-mail sent through SMTP (libcurl), personalised, with a signed one-click
 *                 unsubscribe (RFC 8058); each message kept (campaign_send) and in the contact history
 *   optimise.c    offer optimisation: levels 1-4, greedy, Lagrangian relaxation at scale
 *   allocate.c    a campaign's treated given their cells by the optimiser, from kept models' scores or a
 *                 file, capacity from the channel table
 *   optimise_lp.c level 4 exactly with GLPK: the relaxation's duals, branch and bound, conflicts named
 *   results.c     responses told by staff or seen in behaviour; results: treated against control
 *                 by campaign, cell, channel and segment, significance, economics, day by day
 *   events.c      event detectors (one row each of a table), runs over what came since the last
 *                 one and the event feed's transactions as they happen
 *   eventrule.c   event rules kept and checked (event_rule), events kept (customer_event), marks
 *   leads.c       leads made from events and routed, worked, expired, measured; channel capacity
 *   nbo.c         the next-best offers for one customer, with their reasons
 *   banner.c      the banners internet banking shows one customer, each first showing kept
 *
 * Errors name the member or option (RP_INVAL "campaign.purpose: ..."), a rule's position
 * ("rule:1:14: unknown attribute 'agee'"), and a refused step of the lifecycle (RP_DENIED "campaign
 * C1 is draft: only an approved campaign is launched"); nothing is written when one is returned.
 */
#ifndef RP_MARKETING_H
#define RP_MARKETING_H

#include <jansson.h>
#include <stdint.h>
#include "analytics/analytics.h"
#include "core/config.h"
#include "core/error.h"
#include "warehouse/warehouse.h"

/* ---- offers (offer.c) ---- */

typedef struct mk_offer {
    const char *code, *name, *product, *incentive, *currency, *eligibility, *valid_from, *valid_to;
    int64_t cost_minor, value_minor;   /* a contact's cost; a take-up's value */
} mk_offer;
/* Create or replace (*created 1 when new); RP_INVAL naming the member: a code of 1-32 letters,
 * digits, '-' or '_', a name, a product of the catalogue, an eligibility rule that parses. */
int mk_offer_put(wh *w, const mk_offer *o, const char *by, int *created, rp_error *err) RP_WARN_UNUSED;
/* {code, name, product, product_name, kind, incentive, currency, cost, value (currency units),
 * cost_minor, value_minor, eligibility, valid_from, valid_to, created_at, created_by, updated_at} */
int mk_offer_get(wh *w, const char *code, json_t **out, rp_error *err) RP_WARN_UNUSED;
int mk_offer_list(wh *w, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* ---- campaigns (campaign.c) ---- */

/* Cell channels: X(value, zh, en, the contact channel whose consent and reach it needs). */
#define MK_CHANNELS(X)                                                                    \
    X("direct_mail", "郵寄DM", "direct mail", "mail") X("email", "電子郵件", "e-mail", "email") \
    X("sms", "簡訊", "SMS", "sms") X("outbound_call", "電話行銷", "outbound call", "phone")       \
    X("branch_lead", "分行名單", "branch lead", "phone") X("banner", "網銀/App 橫幅", "web/app banner", "app")
#define MK_STATUSES(X)                                                                              \
    X("draft", "草稿", "draft") X("submitted", "待核准", "submitted") X("approved", "已核准", "approved") \
    X("running", "執行中", "running") X("paused", "暫停", "paused") X("closed", "已結案", "closed")      \
    X("cancelled", "已取消", "cancelled")
extern const char *const mk_channels[], *const mk_statuses[];
/* The contact channel (wh_contact_channels) a cell channel needs, or NULL. */
const char *mk_channel_contact(const char *channel);

/* A campaign's design.  Create: code, name, objective and purpose required.  Update: the members
 * given (non-NULL; has_* for numbers) replace the plan's. */
typedef struct mk_campaign {
    const char *code, *name, *objective, *purpose, *owner;
    const char *start_date, *end_date, *response_deadline;
    const char *currency, *rule, *model, *list, *policy, *stratify;
    int64_t budget_minor;
    int has_budget;
    int top_deciles;                  /* 0: not given */
    double control_pct;               /* has_control_pct */
    int has_control_pct;
    double control_rate, control_margin; /* the sample-size calculation (M15): both or neither */
    int control_conf;                 /* 80, 90 or 95 (default 95) */
    int64_t seed;
    int has_seed;
} mk_campaign;
int mk_campaign_create(wh *w, const mk_campaign *c, const char *by, rp_error *err) RP_WARN_UNUSED;
int mk_campaign_update(wh *w, const mk_campaign *c, const char *by, rp_error *err) RP_WARN_UNUSED;
/* A cell: an offer on a channel with a share of the treated (champion and challenger: two cells),
 * a message, a cap (0: none); the same name again replaces it; remove drops it.  Drafts only. */
typedef struct mk_cell {
    const char *campaign, *cell, *offer, *channel, *message;
    double share;                     /* 0: 1 */
    int64_t cap;                      /* 0: none */
} mk_cell;
int mk_cell_put(wh *w, const mk_cell *c, const char *by, rp_error *err) RP_WARN_UNUSED;
int mk_cell_remove(wh *w, const char *campaign, const char *cell, const char *by, rp_error *err) RP_WARN_UNUSED;
/* Steer a cell while the campaign is approved, running or paused: paused 1 or 0 (-1: as it is), a cap
 * (0: none; -1: as it is).  A paused cell's customers are left off its outputs; a cap lists at most
 * that many.  Recorded in campaign_change.  RP_DENIED for a campaign in design or ended. */
int mk_cell_steer(wh *w, const char *campaign, const char *cell, int paused, int64_t cap, const char *by,
                  rp_error *err) RP_WARN_UNUSED;

/* A draft's waves: the days its contacts go out and the share of its targets each takes.  Wave 1 to
 * MK_MAX_WAVES, its first day (within the campaign's dates, on or after the wave before it), an
 * optional last day, a share (0: 1).  Each change drops the selection (select again); recorded in
 * campaign_change.  The selection gives each target, treated and control alike, a wave drawn from the
 * campaign's seed by the shares; a wave's customers are exported, mailed and dialled from its first
 * day (those of a wave not begun are counted, not listed: wave_not_started); the results count each
 * wave's treated against its own control customers.  The campaign's document lists them ("waves").
 * RP_INVAL naming the member (wave.starts_on ...), RP_DENIED for a campaign past design, RP_NOTFOUND
 * removing a wave it does not have. */
#define MK_MAX_WAVES 12
typedef struct mk_wave {
    const char *campaign;
    int wave;
    const char *starts_on, *ends_on;  /* ends_on NULL: none */
    double share;
} mk_wave;
int mk_wave_put(wh *w, const mk_wave *v, const char *by, rp_error *err) RP_WARN_UNUSED;
int mk_wave_remove(wh *w, const char *campaign, int wave, const char *by, rp_error *err) RP_WARN_UNUSED;

/* The lifecycle: action submit, reject, approve, launch, pause, resume, close or cancel, by a user,
 * with a note (reject: required).  RP_DENIED naming why a step is refused (its status, its author
 * approving, a launch without approval or targets, a submit without a cell, a consent purpose or a
 * selection); RP_NOTFOUND for no such campaign.  *status gets the new status (may be NULL). */
int mk_campaign_act(wh *w, const char *code, const char *action, const char *by, const char *note,
                    const char **status, rp_error *err) RP_WARN_UNUSED;
/* {code, name, objective, purpose, status, owner, created_by, dates, budget_minor, currency, rule,
 * model, top_deciles, list, policy, control_pct, control_rate, control_margin, control_confidence,
 * stratify, seed, version, ..., cells [...], waterfall [...], targets {treatment, control, by_cell},
 * history [...]}; a campaign loaded from files without a plan has status "loaded". */
int mk_campaign_get(wh *w, const char *code, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* Campaigns newest first, designed and loaded, status NULL for all. */
int mk_campaign_list(wh *w, const char *status, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* An uploaded list: customers by id (*added new ones); RP_NOTFOUND naming the first id that is no
 * customer, nothing added. */
int mk_list_add(wh *w, const char *name, const int64_t *customers, size_t n, const char *by, size_t *added,
                rp_error *err) RP_WARN_UNUSED;

/* ---- the selection copy (mart.c) ---- */

typedef struct mk_mart mk_mart;
typedef struct mk_env {
    const rp_config *cfg;             /* [marketing], and the analyses' own sections; may be NULL */
    const char *facts;                /* the analyses' column copy of the transactions, or NULL */
    int progress;
    int64_t now;                      /* 0: rp_now() */
} mk_env;
/* Make the copy afresh (DB.mart beside the store; "" for an in-memory store: kept in memory). */
int mk_mart_build(wh *w, const mk_env *env, mk_mart **out, rp_error *err) RP_WARN_UNUSED;
/* The copy, made again when stale (above); fresh_minutes > 0: also when older than that. */
int mk_mart_get(wh *w, const mk_env *env, int fresh_minutes, mk_mart **out, rp_error *err) RP_WARN_UNUSED;
/* The copy as it stands, not made again however old (*out NULL when there is none, or it is another
 * store's): for one customer's offers on a busy route, which says its as-of. */
int mk_mart_peek(wh *w, const mk_env *env, mk_mart **out, rp_error *err) RP_WARN_UNUSED;
void mk_mart_close(mk_mart *m);
/* {customers, as_of, built_at, file, bytes, columns} */
json_t *mk_mart_info(const mk_mart *m);

/* ---- counting and selecting (select.c) ---- */

/* Count a design as it stands (the rule may be given to try it before it is kept: NULL takes the
 * plan's): {candidates, waterfall: [{step, name, removed, remaining, skipped}], control, treated,
 * by_cell: [{cell, offer, channel, customers}], seconds, as_of, mart_built_at}. */
int mk_count(wh *w, mk_mart *m, const char *code, const char *rule, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* Count a rule alone, with no campaign: {customers, matching, seconds}. */
int mk_count_rule(wh *w, mk_mart *m, const char *rule, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* Select a draft's targets: the waterfall, the control group, the cells, written as the campaign's
 * targets (replacing an earlier selection) and its waterfall kept; out as mk_count's. */
int mk_select(wh *w, mk_mart *m, const char *code, const char *by, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* ---- responses and results (results.c) ---- */

/* A response told by staff ("accepted at the counter"): positive or negative, on day at (NULL:
 * today, Taipei), the product taken (NULL: the offer's), a note.  RP_NOTFOUND for no such campaign
 * or a customer it did not target ("campaign_response.party_id: customer N is not a target of
 * campaign C"); RP_DENIED for a campaign still in design or cancelled, or a day outside the window
 * from its start to its response deadline (its end when it has none). */
typedef struct mk_response {
    const char *campaign;
    int64_t customer;
    const char *response, *at, *product, *note, *by;
} mk_response;
int mk_response_record(wh *w, const mk_response *r, rp_error *err) RP_WARN_UNUSED;
/* Responses seen in behaviour: the treated of each cell who opened an account of its offer's
 * product from their contact day, and the control group who opened any product offered from the
 * start, until today or the deadline, are positive (source behaviour) unless they are already;
 * {campaign, from, to, products, added {treatment, control}}. */
int mk_observe(wh *w, const char *code, const char *by, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* Results: {campaign, name, status, from, to, as_of, window (open, closed), overall, groups (level
 * cell, channel or segment, key), daily [{day, responders, control_responders, response_rate,
 * control_rate, uplift}] cumulative, responses_outside_window}; a group: {treated, contacted,
 * control, responders, control_responders, negatives, credited_responders, pending (window open)
 * or neutral (closed), response_rate, control_rate, uplift, lift, incremental_responders, z,
 * p_value, ci95 [lo, hi], significant, economics, cost, incremental_revenue, profit, roi}.
 * The control group is every cell's and channel's comparison; a segment's is its own stratum's.
 * A control customer's positive counts for a group when it names no product or one the group's
 * cells offer.  Money in currency units; null without an offer's cost and value (a loaded
 * campaign names a product). */
int mk_results(wh *w, const char *code, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* ---- outputs per channel (output.c) ---- */

/* A campaign's list for a channel's vendor or system: the treated (never the control group) of a
 * cell, or of every cell of a channel, with the columns the channel needs (direct_mail: name,
 * postal code, address, branch; email: e-mail; sms: mobile; outbound_call: phone; branch_lead: the
 * home branch first; banner: the customer and offer alone), as CSV or XLSX (format "csv", "xlsx"),
 * written whole or not at all.  Only an approved, running or paused campaign is output.  Not
 * listed but counted: a paused cell's, a customer without what the channel needs, and one who by
 * the selection copy (fresh: the caller gets it with select_minutes) has since died or closed,
 * asked not to be contacted, withdrawn consent or lost the channel.  *summary: {campaign, channel,
 * format, file, rows, by_cell {CELL: n}, skipped {paused, missing_contact, deceased_or_closed,
 * do_not_contact, no_consent, unreachable}}. */
typedef struct mk_output {
    const char *campaign, *cell, *channel, *format, *path;
    int wave;                         /* only this wave's customers (each wave's list once); 0: every wave
                                         open today (skipped: wave_not_started, wave_ended, other_waves) */
} mk_output;
int mk_export(wh *w, const mk_mart *m, const mk_output *o, json_t **summary, rp_error *err) RP_WARN_UNUSED;

/* The outbound dialling list: a running campaign's outbound_call cell's treated who may still be
 * called (consent and reach on the phone, not on the do-not-call list, a phone number), at most its
 * cap, given in turn to the agents (users with the permission dial) as the calling list
 * "CAMPAIGN-CELL" until the day given (NULL: the campaign's end) — the contact centre's agents then
 * see them, and only they their numbers.  Recorded in the campaign's history.  *out: {campaign,
 * cell, list, customers, by_agent {AGENT: n added}, skipped {over_cap, missing_phone,
 * deceased_or_closed, do_not_contact, no_consent, unreachable}}. */
int mk_dial_list(wh *w, const mk_mart *m, const char *code, const char *cell, const char *const *agents, int nagents,
                 const char *until, const char *by, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* The customers an outbound dialler calls (the contact centre's, contact.h): a running campaign's
 * outbound_call cell's treated chosen as mk_dial_list chooses them, each with the phone to dial, in
 * the cell's order, and the campaign's consent purpose (what each dial asks again); *skipped as
 * mk_dial_list's.  The caller frees *out. */
#define MK_PHONE_MAX 40
typedef struct mk_dial_target {
    int64_t customer;
    char phone[MK_PHONE_MAX];
} mk_dial_target;
int mk_dial_targets(wh *w, const mk_mart *m, const char *code, const char *cell, mk_dial_target **out, size_t *n,
                    char purpose[24], json_t **skipped, rp_error *err) RP_WARN_UNUSED;
/* May the cell be dialled at now (seconds since 1970): the campaign running, not past its last day (in
 * Taipei), and the cell not paused (a surge pauses it); *live 0 with why ("cell C is paused") otherwise,
 * and *over 1 when that is for good (closed, cancelled, past its end).  RP_NOTFOUND for no such campaign. */
int mk_cell_live(wh *w, const char *code, const char *cell, int64_t now, int *live, int *over, char why[80],
                 rp_error *err) RP_WARN_UNUSED;

/* ---- e-mail sent (send.c) ---- */

/* Send a running campaign's e-mail cell through an SMTP server: the cell's treated who by the
 * selection copy may still be mailed and were not mailed before (campaign_send), at most the cell's
 * cap and limit (0: all).  Each message: From, To, the subject (the offer's name unless given, RFC
 * 2047), a text body from the template ({name}, {offer}, {unsubscribe}; body NULL: the cell's message,
 * else a default; a link is added when the template has none), List-Unsubscribe with a signed link
 * (unsubscribe_base/api/v1/unsubscribe/TOKEN) and List-Unsubscribe-Post (RFC 8058).  A message sent is kept in
 * campaign_send with its Message-ID and entered in the contact history (an interaction: e-mail,
 * outbound, kind campaign); an address the server refuses (5xx) is kept as failed and the run goes
 * on; the server unreachable or the sign-in refused stops it, what was sent kept (recorded in
 * transactions of 50).  tls: "required" (default), "try" or "none" for smtp://; smtps:// is TLS.
 * A customer the server refused before is not tried again (not_sent.refused_before) unless retry_failed.
 * *out: {campaign, cell, channel, sent, failed, failures [{customer, error}] (the first 20), not_sent
 * {already_sent, refused_before, left_for_later (beyond the limit), over_cap, missing_email,
 * deceased_or_closed, do_not_contact, no_consent, unreachable, wave_not_started? wave_ended?}}. */
typedef struct mk_mail {
    const char *campaign, *cell;
    const char *smtp_url, *user, *password, *tls;
    const char *from, *subject, *body, *unsubscribe_base;
    int64_t limit;
    int retry_failed;                 /* send again to those the server refused before (else counted, not sent) */
} mk_mail;
int mk_send_email(wh *w, const mk_mart *m, const mk_mail *o, const char *by, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* Send a running campaign's sms cell through an SMS gateway that speaks Kannel's sendsms HTTP
 * interface (Kannel itself, or the many gateways that copy it): as mk_send_email, the cell's treated who
 * may still be texted (consent and reach on sms, a mobile) and were not before, at most the cap and
 * limit; each message the template ({name}, {offer}, {unsubscribe}; else the cell's message, else a
 * default with the link) as UTF-8 (coding 2, UCS-2, when not ASCII) to the mobile as +COUNTRY digits
 * (a national number, 09..., in country's code: "886" when NULL); the link's token is short (a text
 * message's) and its POST withdraws the consent on sms.  A 2xx answer is sent (kept in campaign_send,
 * channel sms, and the contact history); another 4xx refuses that number alone; 401, 403, 5xx or no
 * answer stop the run, what was sent kept.  *out as mk_send_email's, channel "sms" and missing_mobile. */
typedef struct mk_sms {
    const char *campaign, *cell;
    const char *gateway, *user, *password;   /* http://HOST:13013/cgi-bin/sendsms */
    const char *from, *body, *unsubscribe_base, *country;
    int64_t limit;
    int retry_failed;
} mk_sms;
int mk_send_sms(wh *w, const mk_mart *m, const mk_sms *o, const char *by, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* The signed token of a customer's unsubscribe link for a campaign: "CAMPAIGN.ID.HEX" (a keyed hash
 * under the store's key). */
#define MK_TOKEN_MAX 120
void mk_unsubscribe_token(wh *w, const char *campaign, int64_t customer, char out[MK_TOKEN_MAX]);
/* A link followed: RP_NOTFOUND "this unsubscribe link is not valid" for a token not signed here;
 * with apply (a POST), the customer's consent for the campaign's purpose on e-mail withdrawn (evidence:
 * the campaign); *out {campaign, name, purpose, channel, withdrawn}. */
int mk_unsubscribe(wh *w, const char *token, int apply, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* ---- offer optimisation (optimise.c, optimise_lp.c) ---- */

/* Which customers get which offers (choices: a campaign's cells, or any offers), from a score
 * matrix (customers x choices: the probability of taking each up, from the response models; < 0 or
 * NAN: not eligible), at a level of seed 000:
 *   1 the highest score; 2 score x the choice's value; 3 score x the customer's own value;
 *   4 expected profit (score x value - cost) under constraints: a budget (total cost), a minimum and
 *     a maximum per choice, a capacity per channel (the call centre's agent hours as calls a day),
 *     at most group_max contacts in each group of customers (branch, region, segment), at most M
 *     choices per customer (all levels).
 * Level 4 is solved exactly by GLPK's branch and bound up to MK_OPT_EXACT_VARS eligible pairs (method
 * auto), else by Lagrangian relaxation of the shared constraints (multipliers started from the
 * LP duals of a sample of the customers) with a repair to feasibility, keeping the better of that
 * and the greedy assignment (greedy, lagrangian: both objectives); both methods report the
 * objective, an upper bound and the gap between them, and the shadow price of each
 * binding constraint (the LP relaxation's duals; the multipliers).  Constraints that cannot all hold
 * are refused naming them ("the constraints 'budget' (100.00) and 'min FUND1' conflict ..."). */
#define MK_OPT_MAX 64
#define MK_OPT_CHANNELS 8
#define MK_OPT_EXACT_VARS 400000
enum { MK_OPT_AUTO, MK_OPT_EXACT, MK_OPT_LAGRANGE, MK_OPT_GREEDY };
typedef struct mk_opt {
    size_t n;                          /* customers */
    int k;                             /* choices, 1..MK_OPT_MAX */
    const float *score;                /* n x k, by customer */
    const double *value, *cost;        /* per choice: a take-up's value, a contact's cost */
    const double *cust_value;          /* per customer (level 3); NULL: 1 */
    const int *channel;                /* per choice: 0..MK_OPT_CHANNELS-1, -1 none; NULL: none */
    const char *const *names;          /* per choice, for messages */
    const char *const *channel_names;  /* per channel */
    int level, per_customer;           /* per_customer: M, 1 when 0 */
    double budget;                     /* 0: none */
    int64_t min[MK_OPT_MAX], max[MK_OPT_MAX];  /* per choice; max 0: none */
    int64_t capacity[MK_OPT_CHANNELS]; /* 0: none */
    const int *group;                  /* per customer: 0..ngroups-1, -1 none; NULL: no groups */
    int ngroups;
    const char *const *group_names;
    int64_t group_max;                 /* 0: none */
    const int64_t *group_caps;         /* per group, in place of group_max (0: none); NULL: group_max */
    int method;                        /* MK_OPT_AUTO, ... */
    int iterations;                    /* Lagrangian: at most (0: 200) */
    double time_limit;                 /* exact: seconds (0: 120), then the best found with its gap */
    double mip_gap;                    /* exact: the search stops within this relative gap (0: 1e-3) */
} mk_opt;
typedef struct mk_opt_result {
    int m;                             /* slots per customer */
    int8_t *pick;                      /* n x m choices, -1 none */
    const char *method;
    double objective, bound, gap, relaxation, greedy, lagrangian, cost, seconds;
    int64_t assigned, per_choice[MK_OPT_MAX];
    int iterations, timed_out;
    json_t *binding;                   /* [{constraint, shadow_price, used, limit}] */
} mk_opt_result;
int mk_optimise(const mk_opt *p, mk_opt_result *r, rp_error *err) RP_WARN_UNUSED;
void mk_opt_result_free(mk_opt_result *r);

/* A draft campaign's treated given their cells by the optimiser (allocate.c): the choices are its
 * cells, the customers its treated targets, scores a CSV file with a header naming customer (or
 * customer_id, id), cell (or offer: every cell of it) and score (or probability), one row a pair;
 * a pair without a score, or that the selection copy says cannot be made now (consent and reach on
 * the cell's channel, the product held), is not eligible.  mins, maxes: "CELL=N,..."; capacities:
 * "CHANNEL=N,..."; group_by an attribute with values (branch, level, ...) and group_max the contacts
 * each may have; level 3 weighs by the attribute value_attr (profit).  apply: each treated target
 * takes its cell, those given none are dropped, recorded in the campaign's history.  *out: {campaign,
 * level, method, customers, assigned, objective, bound, gap, cost, seconds, by_cell [{cell, offer,
 * channel, customers, cost, expected_value}], binding, ineligible_pairs, scores_not_targets,
 * applied, greedy?, capacity_from_table? {CHANNEL: {per_day, days, contacts}}, models? {CELL: {model,
 * run, as_of}}}.  Scores come from the file, from kept models (models: a cell's probability is the model's
 * for each customer it scored), or both for different cells.  A channel of the cells that capacities
 * does not name takes its capacity from channel_capacity (mk_capacity_put): per_day times the days the
 * campaign runs (start to end; one day without them).  Errors name the file and line, the option and
 * the constraint. */
typedef struct mk_allocation {
    const char *campaign, *scores;
    const char *scores_name;          /* the file's name in messages (NULL: scores), "body.scores" */
    const char *models;               /* "CELL=MODEL,...": a cell's (or offer's) scores from a kept model's
                                         latest scoring (models.h), in place of the file's */
    int level, per_customer, method;
    double budget;
    const char *mins, *maxes, *capacities, *group_by, *value_attr;
    int64_t group_max;
    int apply;
} mk_allocation;
int mk_allocate(wh *w, const mk_mart *m, const mk_allocation *a, const char *by, json_t **out,
                rp_error *err) RP_WARN_UNUSED;

/* The control group's size by the sample-size rule (DOMAIN M15): n = z^2 p (1 - p) / e^2, z 1.281,
 * 1.645 or 1.960 for 80, 90 or 95 % confidence; 0 for a confidence not one of them. */
int64_t mk_sample_size(double p, double e, int confidence);

/* ---- events (events.c, eventrule.c) ----
 *
 * An event rule is a row of event_rule: a detector (mk_detectors(): large_break, large_incoming,
 * salary_moved_in, salary_stopped, balance_drop, spend_abroad, maturity, birthday, dormant_active,
 * complaint, unusual_amount) with its parameters (a JSON object over the detector's defaults), the
 * offer it suggests, where its leads go (manager: the customer's relationship manager, else their
 * branch, else the outbound queue; branch; outbound), how many days a lead stands, a priority and
 * a control share held out to measure it.  Transaction detectors judge each transaction that came
 * since the last run against the account's and customer's history before it (only those within
 * the rule's expiry of the data's newest day: a first load of years of history makes no flood of
 * stale leads); state detectors look at today's picture.  An event is kept once per rule and fact
 * (the transaction, the maturity, the birthday's year...), whichever path saw it. */
typedef struct mk_event_rule {
    const char *code, *detector, *name_zh, *name_en, *params, *offer, *route;
    int expires_days, priority;       /* expires_days 0: 14 */
    double control_pct;
    int enabled;
} mk_event_rule;
/* Create or replace; RP_INVAL naming the member (event_rule.detector, event_rule.params.min, ...),
 * RP_NOTFOUND for an offer that is not there. */
int mk_event_rule_put(wh *w, const mk_event_rule *r, const char *by, int *created, rp_error *err) RP_WARN_UNUSED;
int mk_event_rule_enable(wh *w, const char *code, int enabled, const char *by, rp_error *err) RP_WARN_UNUSED;
/* [{code, detector, name_zh, name_en, params, offer, route, expires_days, priority, control_pct,
 * enabled, updated_at, updated_by, events, open_leads}] */
int mk_event_rule_list(wh *w, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* [{name, name_zh, name_en, kind (transaction or state), params (the defaults)}] */
json_t *mk_detectors(void);

typedef struct mk_event_opts {
    const char *via;                  /* "load" or "run" (the feed's is "feed") */
    const char *by, *as_of;           /* as_of NULL: the newest transaction's day */
    const char *home_currency;        /* NULL: TWD */
    int64_t now;                      /* 0: rp_now() */
    int progress;
} mk_event_opts;
typedef struct mk_event_stats {
    int rules;
    int64_t read, events, repeated, leads, control, suppressed;
    char as_of[11];
    double seconds;
} mk_event_stats;
/* Every enabled rule over what came since the last run; events, leads and the marks written in one
 * transaction.  items (may be NULL) gets each new event {event, rule, customer, occurred_at,
 * reason_zh, reason_en, outcome, lead}. */
int mk_events_run(wh *w, const mk_event_opts *o, mk_event_stats *st, json_t *items, rp_error *err) RP_WARN_UNUSED;
/* The event feed: {"transactions": [{account (number), posted_at, amount (currency units, credit
 * positive), class, currency?, channel?}]} (1-1,000), each judged against its account's own history
 * as it happens; checked whole first (RP_INVAL / RP_NOTFOUND naming transactions[i].member). */
int mk_events_feed(wh *w, const json_t *in, const mk_event_opts *o, mk_event_stats *st, json_t *items,
                   rp_error *err) RP_WARN_UNUSED;
json_t *mk_event_stats_json(const mk_event_stats *st);
/* Events newest first, of one customer (0: all) and rule (NULL: all), with their lead. */
int mk_event_list(wh *w, int64_t customer, const char *rule, int limit, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* ---- leads (leads.c) ----
 *
 * A lead is an event's suggestion for one customer: in the queue of their relationship manager,
 * of their branch, or the outbound queue (whose daily capacity, channel_capacity's outbound_call,
 * sends the rest to the branch), open until worked (worked, converted, declined) or expired. */
typedef struct mk_lead_filter {
    const char *manager;              /* assigned to this user */
    const char *branch;               /* of this branch (the branch queue, or any with branch_all) */
    const char *queue, *status;       /* NULL: any; status "open" also leaves out those past their expiry */
    int64_t customer;
    int limit;
} mk_lead_filter;
/* [{id, customer, name, rule, rule_name_zh, rule_name_en, reason_zh, reason_en, offer, offer_name,
 * queue, assigned_to, branch, priority, status, created_at, expires_at, worked_at, worked_by, note}] */
int mk_lead_list(wh *w, const mk_lead_filter *f, json_t **out, rp_error *err) RP_WARN_UNUSED;
int mk_lead_get(wh *w, int64_t id, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* Work an open lead: outcome worked, converted or declined, with a note; RP_DENIED for one that is
 * no longer open or has expired, RP_NOTFOUND for none. */
int mk_lead_work(wh *w, int64_t id, const char *outcome, const char *note, const char *by, rp_error *err) RP_WARN_UNUSED;
/* An open or worked lead given to another person (a manager who left, a colleague covering): their
 * own queue, the change noted on the lead; RP_DENIED for a lead closed or expired. */
int mk_lead_assign(wh *w, int64_t id, const char *to, const char *by, rp_error *err) RP_WARN_UNUSED;
/* Open leads past their expiry marked expired (*n of them). */
int mk_leads_expire(wh *w, int64_t now, int64_t *n, rp_error *err) RP_WARN_UNUSED;
/* By rule: leads, open, worked, converted, declined, expired, held out; and for rules with an offer,
 * how many of the leads and of the held out opened the offer's product within the lead's life. */
int mk_lead_results(wh *w, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* The daily capacity of a cell channel until the contact centre tells it (table channel_capacity). */
int mk_capacity_put(wh *w, const char *channel, int64_t per_day, const char *by, rp_error *err) RP_WARN_UNUSED;
int mk_capacity_list(wh *w, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* ---- the next-best offer (nbo.c) ---- */

/* A customer's best offers now, at most max: offers in their validity, whose product they do not
 * hold, whose eligibility holds (by the selection copy m; NULL: not judged, said), when they may be
 * called about them (consent, do not contact, deceased; not staff, minors or with an open
 * complaint: else not_contactable says why), ranked: those behind an open lead first, then by
 * expected value (the propensity — the share of the customer's peers, the same pyramid level and
 * age band, holding the product — times the offer's value, less its cost), each with its reasons:
 * the events behind their open leads, the peers' share against everyone's.  {customer, as_of,
 * eligibility_judged, offers: [{offer, name, product, incentive, propensity, expected_value, lead,
 * reasons_zh: [], reasons_en: []}], left_out: [{offer, why}], not_contactable?} */
int mk_next_best(wh *w, const mk_mart *m, int64_t customer, int max, int64_t now, json_t **out,
                 rp_error *err) RP_WARN_UNUSED;

/* ---- banners (banner.c) ---- */

/* The banners to show a customer now (internet banking, the app): the banner cells of running
 * campaigns (not paused) in which they are treated, while they may be contacted on the app for the
 * campaign's purpose; the first showing of each is kept (campaign_send) and in the contact history.
 * {customer, banners: [{campaign, cell, offer, name, incentive, message, first_showing}]} */
int mk_banners(wh *w, int64_t customer, const char *by, json_t **out, rp_error *err) RP_WARN_UNUSED;

#endif
