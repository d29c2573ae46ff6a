/* banner.c — the banners internet banking and the app show one customer now: the banner cells of
 * running campaigns in which the customer is treated, while they may still be contacted on the app
 * for the campaign's purpose; the first showing of each is kept (campaign_send, channel banner) and
 * enters the customer's contact history.  See marketing.h. */
#include "marketing/internal.h"

#include <stdio.h>
#include <string.h>

/* Kept unless kept before: *first 1 when this is the first showing. */
static int shown(wh *w, const char *campaign, int64_t customer, const char *cell, const char *offer_name,
                 const char *by, int *first, rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    mk__now(now);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "INSERT INTO campaign_send(campaign, party_id, channel, cell, at, status, by_user) "
                              "VALUES (?, ?, 'banner', ?, ?, 'sent', ?) ON CONFLICT(campaign, party_id, channel) "
                              "DO NOTHING RETURNING at",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, campaign);
    rp_stmt_bind_int(st, 2, customer);
    rp_stmt_bind_text(st, 3, cell);
    rp_stmt_bind_text(st, 4, now);
    rp_stmt_bind_text(st, 5, by);
    rc = rp_stmt_step(st, err);
    *first = rc == RP_ROW;
    rp_stmt_done(st);
    if (rc != RP_ROW && rc != RP_DONE)
        return rc;
    if (!*first)
        return RP_OK;
    char reason[300];
    snprintf(reason, sizeof reason, "campaign %.40s, cell %.40s: %.200s", campaign, cell, offer_name);
    wh_interaction i = { .party_id = customer, .at = now, .channel = "internet", .direction = "outbound",
                         .kind = "campaign", .reason = reason, .outcome = "banner shown", .created_by = by };
    return wh_interaction_add(w, &i, NULL, err);
}

typedef struct bcell {
    char campaign[33], cell[33], offer[33], purpose[16];
    char name[201], incentive[201], message[501];
} bcell;

static int banner_cells(wh *w, bcell *b, int max, int *n, rp_error *err)
{
    rp_stmt *st;
    *n = 0;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT c.campaign, c.cell, c.offer, p.purpose, o.name, o.incentive, c.message "
                              "FROM campaign_cell c JOIN campaign_plan p ON p.code = c.campaign "
                              "JOIN offer o ON o.code = c.offer WHERE c.channel = 'banner' AND c.paused = 0 "
                              "AND p.status = 'running' ORDER BY c.campaign, c.cell",
                              &st, err);
    if (rc)
        return rc;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW && *n < max) {
        bcell *x = &b[(*n)++];
        const char *v[7];
        for (int k = 0; k < 7; k++)
            v[k] = rp_stmt_text(st, k) ? rp_stmt_text(st, k) : "";
        snprintf(x->campaign, sizeof x->campaign, "%s", v[0]);
        snprintf(x->cell, sizeof x->cell, "%s", v[1]);
        snprintf(x->offer, sizeof x->offer, "%s", v[2]);
        snprintf(x->purpose, sizeof x->purpose, "%s", v[3]);
        snprintf(x->name, sizeof x->name, "%s", v[4]);
        snprintf(x->incentive, sizeof x->incentive, "%s", v[5]);
        snprintf(x->message, sizeof x->message, "%s", v[6]);
    }
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

int mk_banners(wh *w, int64_t customer, const char *by, json_t **out, rp_error *err)
{
    enum { MAX = 64 };
    static _Thread_local bcell b[MAX];
    int n, rc = banner_cells(w, b, MAX, &n, err);
    *out = NULL;
    if (rc)
        return rc;
    json_t *a = json_array();
    if ((rc = wh_begin(w, err))) {
        json_decref(a);
        return rc;
    }
    for (int i = 0; !rc && i < n; i++) {
        char grp[16], cell[33];
        if ((rc = wh_campaign_target_of(w, b[i].campaign, customer, grp, cell, err)))
            break;
        if (strcmp(grp, "treatment") || strcmp(cell, b[i].cell))
            continue; /* not a target, held out, or in another cell */
        json_t *c = NULL;
        if ((rc = wh_contactable(w, customer, b[i].purpose, "app", rp_now(), &c, err)))
            break;
        int allowed = json_is_true(json_object_get(c, "allowed"));
        json_decref(c);
        int first = 0;
        if (!allowed || (rc = shown(w, b[i].campaign, customer, b[i].cell, b[i].name, by, &first, err)))
            continue;
        json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:b}", "campaign", b[i].campaign, "cell",
                                           b[i].cell, "offer", b[i].offer, "name", b[i].name, "incentive",
                                           *b[i].incentive ? b[i].incentive : NULL, "message",
                                           *b[i].message ? b[i].message : NULL, "first_showing", first));
    }
    if (rc || (rc = wh_commit(w, err))) {
        wh_rollback(w);
        json_decref(a);
        return rc;
    }
    *out = json_pack("{s:I, s:o}", "customer", (json_int_t)customer, "banners", a);
    return RP_OK;
}
