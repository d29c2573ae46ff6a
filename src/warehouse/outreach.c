/* outreach.c — a campaign's treated customers with what a channel needs to reach them (name,
 * mailing address, e-mail, mobile, home branch), for the outputs per channel; and a contact made
 * entered in the customer's contact history.  Tables campaign_target, party, contact_point,
 * interaction.  See warehouse.h. */
#include "warehouse/internal.h"

#include <stdio.h>
#include <string.h>

/* The current contact point of a kind of the customer or a record merged into them: the mailing
 * address before the home one, the primary before others. */
#define BEST(KIND, COL)                                                                                   \
    "(SELECT " COL " FROM contact_point c JOIN party m ON m.id = c.party_id WHERE (m.id = t.party_id OR " \
    "m.merged_into = t.party_id) AND c.kind " KIND " AND c.valid_to IS NULL ORDER BY c.kind = 'mobile' "   \
    "DESC, c.purpose = 'mail' DESC, c.purpose = 'home' DESC, c.is_primary DESC, c.id DESC LIMIT 1)"

int wh_campaign_reach(wh *w, const char *code, const char *cell, int (*fn)(void *u, const wh_reach_row *r, rp_error *err),
                      void *u, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(
        w->store,
        "SELECT t.party_id, t.cell, t.offer, t.channel, p.name_zh, p.name_latin, p.gender, p.home_branch, "
        BEST("= 'address'", "c.value") ", " BEST("= 'address'", "c.postal_code") ", "
        BEST("= 'email'", "c.value") ", " BEST("IN ('mobile', 'phone')", "c.value") ", "
        BEST("= 'mobile'", "c.value") ", coalesce(t.wave, 0) FROM campaign_target t JOIN party p ON p.id = t.party_id "
        "WHERE t.campaign = ?1 AND t.grp = 'treatment' AND (t.cell = ?2 OR ?3 = 1) ORDER BY t.cell, t.party_id",
        &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    rp_stmt_bind_text(st, 2, cell ? cell : "");
    rp_stmt_bind_int(st, 3, cell ? 0 : 1);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        wh_reach_row r = { .party_id = rp_stmt_int(st, 0), .cell = rp_stmt_text(st, 1), .offer = rp_stmt_text(st, 2),
                           .channel = rp_stmt_text(st, 3), .name_zh = rp_stmt_text(st, 4),
                           .name_latin = rp_stmt_text(st, 5), .gender = rp_stmt_text(st, 6),
                           .home_branch = rp_stmt_text(st, 7), .address = rp_stmt_text(st, 8),
                           .postal_code = rp_stmt_text(st, 9), .email = rp_stmt_text(st, 10),
                           .phone = rp_stmt_text(st, 11), .mobile = rp_stmt_text(st, 12),
                           .wave = (int)rp_stmt_int(st, 13) };
        if ((rc = fn(u, &r, err)))
            break;
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}
