/* reach.c — what marketing asks of every customer before contacting them (issue 24): the consents
 * in force, the channels they can be reached on, do-not-contact lists, staff, open complaints, the
 * address a household shares and the contacts already made; and the writers of staff and
 * do-not-contact entries.  The one-customer answer is wh_contactable (contact.c); this is the same
 * decision for all of them at once.  See warehouse.h. */
#include "warehouse/internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "core/map.h"

enum { NPURPOSES = 5, NCHANNELS = 5 };
_Static_assert(NCHANNELS <= 8 && NPURPOSES * 8 <= 64, "wh_reach's bit fields");

static int list_at(const char *v, const char *const *list)
{
    for (int i = 0; v && list[i]; i++)
        if (!strcmp(v, list[i]))
            return i;
    return -1;
}

int wh_contact_channel(const char *name) { return list_at(name, wh_contact_channels); }

/* ---- writers ---- */

int wh_staff_put(wh *w, const wh_staff *s, rp_error *err)
{
    char a[11], b[11];
    const char *since, *until;
    int rc;
    if ((rc = wh__text_ok("staff.employee_no", s->employee_no, 32, 1, err)) ||
        (rc = wh_date_normalise("staff.since", s->since, a, &since, err)) ||
        (rc = wh_date_normalise("staff.until", s->until, b, &until, err)))
        return rc;
    if ((rc = wh_party_exists(w, s->party_id, err)) == RP_NOTFOUND)
        return rp_err(err, RP_NOTFOUND, "staff.party: no customer %lld", (long long)s->party_id);
    if (rc)
        return rc;
    rp_stmt *st;
    if ((rc = rp_store_prepare(w->store,
                               "INSERT INTO staff_member(party_id, employee_no, since, until, source, job_id) "
                               "VALUES (?,?,?,?,?,?) ON CONFLICT(party_id, employee_no) DO UPDATE SET "
                               "since = excluded.since, until = excluded.until, source = excluded.source, "
                               "job_id = excluded.job_id",
                               &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, s->party_id);
    rp_stmt_bind_text(st, 2, s->employee_no);
    rp_stmt_bind_text(st, 3, since);
    rp_stmt_bind_text(st, 4, until);
    rp_stmt_bind_text(st, 5, s->source);
    if (s->job_id)
        rp_stmt_bind_int(st, 6, s->job_id);
    else
        rp_stmt_bind_null(st, 6);
    return rp_stmt_run(st, err);
}

static const char *const dnc_reasons[] = { "customer_request", "registry", "legal", "complaint", "bereavement",
                                           "other", NULL };
const char *const *wh_dnc_reasons(void) { return dnc_reasons; }

/* A do-not-contact entry's key: the party, or a phone number or e-mail address's lookup. */
static int dnc_key(const wh_dnc *d, char *lookup, size_t n, rp_error *err)
{
    if ((d->party_id != 0) == (d->value && *d->value))
        return rp_err(err, RP_INVAL, "do_not_contact: a customer or a phone number or e-mail address, one of them");
    if (!d->value || !*d->value) {
        *lookup = 0;
        return RP_OK;
    }
    char canon[320];
    rp_error e2 = RP_ERROR_INIT;
    if (strchr(d->value, '@'))
        return wh_email_normalise(d->value, canon, sizeof canon, lookup, n, err) == RP_OK
                   ? RP_OK
                   : rp_err(err, RP_INVAL, "do_not_contact.value: '%.80s' is not an e-mail address", d->value);
    if (wh_phone_normalise(d->value, canon, sizeof canon, lookup, n, &e2))
        return rp_err(err, RP_INVAL, "do_not_contact.value: '%.80s' is neither a phone number nor an e-mail address",
                      d->value);
    return RP_OK;
}

int wh_dnc_add(wh *w, const wh_dnc *d, int64_t *id, rp_error *err)
{
    char lookup[320], a[11], b[11];
    const char *since, *until;
    const char *channel = d->channel && *d->channel ? d->channel : "any";
    int rc;
    if ((rc = dnc_key(d, lookup, sizeof lookup, err)) ||
        (rc = wh__one_of("do_not_contact.channel", channel, wh_consent_channels, err)) ||
        (rc = wh__one_of("do_not_contact.reason", d->reason, dnc_reasons, err)) ||
        (rc = wh__text_ok("do_not_contact.note", d->note, 500, 0, err)) ||
        (rc = wh_date_normalise("do_not_contact.since", d->since, a, &since, err)) ||
        (rc = wh_date_normalise("do_not_contact.until", d->until, b, &until, err)))
        return rc;
    if (!since)
        return rp_err(err, RP_INVAL, "do_not_contact.since: a date is needed");
    if (until && strcmp(until, since) < 0)
        return rp_err(err, RP_INVAL, "do_not_contact.until: %s is before since (%s)", until, since);
    if (d->party_id && (rc = wh_party_exists(w, d->party_id, err)) == RP_NOTFOUND)
        return rp_err(err, RP_NOTFOUND, "do_not_contact.party: no customer %lld", (long long)d->party_id);
    if (rc)
        return rc;
    rp_stmt *st;
    if ((rc = rp_store_prepare(w->store,
                               "INSERT INTO do_not_contact(party_id, lookup, channel, reason, since, until, source, "
                               "note, job_id) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
                               &st, err)))
        return rc;
    if (d->party_id)
        rp_stmt_bind_int(st, 1, d->party_id);
    else
        rp_stmt_bind_null(st, 1);
    rp_stmt_bind_text(st, 2, *lookup ? lookup : NULL);
    rp_stmt_bind_text(st, 3, channel);
    rp_stmt_bind_text(st, 4, d->reason);
    rp_stmt_bind_text(st, 5, since);
    rp_stmt_bind_text(st, 6, until);
    rp_stmt_bind_text(st, 7, d->source);
    rp_stmt_bind_text(st, 8, d->note && *d->note ? d->note : NULL);
    if (d->job_id)
        rp_stmt_bind_int(st, 9, d->job_id);
    else
        rp_stmt_bind_null(st, 9);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW && id)
        *id = rp_stmt_int(st, 0);
    int fin = rp_stmt_finish(st, err);
    return rc == RP_ROW ? fin : rc == RP_DONE ? rp_err(err, RP_INTERNAL, "do_not_contact: no id") : rc;
}

/* ---- every customer at once ---- */

typedef struct reach_ctx {
    wh *w;
    wh_reach *r;                 /* by party id; r[id].customer 0: not a customer */
    int64_t max;
    int64_t seq;                 /* consents in order */
    char today[11], now[RP_TIME_UTC_LEN], since[RP_TIME_UTC_LEN];
    int32_t window_start;
    rp_map *dnc;                 /* do-not-contact by number or address: lookup -> channel bits */
} reach_ctx;

static wh_reach *at(reach_ctx *x, int64_t id) { return id > 0 && id <= x->max && x->r[id].customer ? &x->r[id] : NULL; }

static int scan(reach_ctx *x, const char *sql, int nbind, int (*row)(reach_ctx *, rp_stmt *), rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(x->w->store, sql, &st, err);
    if (rc)
        return rc;
    for (int i = 1; i <= nbind; i++)
        rp_stmt_bind_text(st, i, i == 1 ? x->today : i == 2 ? x->now : x->since);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        if ((rc = row(x, st)))
            break;
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

static int customer_row(reach_ctx *x, rp_stmt *st)
{
    int64_t id = rp_stmt_int(st, 0);
    if (id <= 0 || id > x->max)
        return RP_OK;
    wh_reach *r = &x->r[id];
    r->customer = id;
    snprintf(r->status, sizeof r->status, "%s", rp_stmt_text(st, 1) ? rp_stmt_text(st, 1) : "");
    r->last_contact = INT32_MIN;
    return RP_OK;
}

/* Consents come in order of customer, effective time and id, so the last row of a purpose and
 * channel (or "any") is the one in force; seq orders a channel's against "any"'s. */
typedef struct consent_state {
    int64_t seq[NPURPOSES][NCHANNELS + 1];
    uint8_t granted[NPURPOSES][NCHANNELS + 1];
} consent_state;

static void consent_flush(wh_reach *r, const consent_state *cs)
{
    if (!r)
        return;
    for (int p = 0; p < NPURPOSES; p++)
        for (int c = 0; c < NCHANNELS; c++) {
            const int64_t own = cs->seq[p][c + 1], any = cs->seq[p][0];
            int g = own > any ? cs->granted[p][c + 1] : any ? cs->granted[p][0] : 0;
            if (g)
                r->consent |= (uint64_t)1 << (p * 8 + c);
        }
}

static int consents(reach_ctx *x, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(x->w->store,
                              "SELECT coalesce(p.merged_into, p.id), c.purpose, c.channel, c.granted "
                              "FROM consent c JOIN party p ON p.id = c.party_id WHERE c.effective_at <= ?1 "
                              "ORDER BY 1, c.effective_at, c.id",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, x->now);
    consent_state cs;
    memset(&cs, 0, sizeof cs);
    int64_t cur = 0, seq = 0;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        int64_t c = rp_stmt_int(st, 0);
        if (c != cur) {
            consent_flush(at(x, cur), &cs);
            memset(&cs, 0, sizeof cs);
            cur = c;
        }
        int p = list_at(rp_stmt_text(st, 1), wh_consent_purposes), ch = list_at(rp_stmt_text(st, 2), wh_consent_channels);
        if (p < 0 || ch < 0)
            continue;
        cs.seq[p][ch] = ++seq;
        cs.granted[p][ch] = rp_stmt_int(st, 3) != 0;
    }
    rp_stmt_done(st);
    if (rc == RP_DONE)
        consent_flush(at(x, cur), &cs);
    return rc == RP_DONE ? RP_OK : rc;
}

static uint8_t channel_bits(const char *channel)
{
    int c = list_at(channel, wh_contact_channels);
    return c < 0 ? (uint8_t)((1u << NCHANNELS) - 1) : (uint8_t)(1u << c);
}

static int contact_row(reach_ctx *x, rp_stmt *st)
{
    wh_reach *r = at(x, rp_stmt_int(st, 0));
    if (!r)
        return RP_OK;
    const char *kind = rp_stmt_text(st, 1), *purpose = rp_stmt_text(st, 2), *lookup = rp_stmt_text(st, 5);
    static const char *const kinds[] = { "mobile", "phone", "email", "address", NULL };
    int k = list_at(kind, kinds);
    if (k == 0)
        r->reachable |= 1u << 2 | 1u << 3;      /* sms, phone */
    else if (k == 1)
        r->reachable |= 1u << 3;                /* phone */
    else if (k == 2)
        r->reachable |= 1u << 1;                /* email */
    else if (k == 3) {
        r->reachable |= 1u << 0;                /* mail */
        /* the household's address: the mailing address before the home one before any other */
        int rank = purpose && !strcmp(purpose, "mail") ? 3 : purpose && !strcmp(purpose, "home") ? 2 : 1;
        if (rank > r->address_rank) {
            char key[700];
            int n = snprintf(key, sizeof key, "%s|%s", rp_stmt_text(st, 4) ? rp_stmt_text(st, 4) : "",
                             rp_stmt_text(st, 3) ? rp_stmt_text(st, 3) : "");
            unsigned char h[RP_HASH_LEN];
            wh_keyed_hash(x->w, "household-address", key, (size_t)(n < (int)sizeof key ? n : (int)sizeof key - 1), h);
            memcpy(&r->address, h, sizeof r->address);
            if (!r->address)
                r->address = 1;
            r->address_rank = (uint8_t)rank;
        }
    }
    if (lookup) {
        uint8_t *bits = rp_map_get(x->dnc, lookup, strlen(lookup));
        if (bits)
            r->dnc |= *bits;
    }
    return RP_OK;
}

static int app_row(reach_ctx *x, rp_stmt *st)
{
    wh_reach *r = at(x, rp_stmt_int(st, 0));
    if (r)
        r->reachable |= 1u << 4;
    return RP_OK;
}

static int dnc_party_row(reach_ctx *x, rp_stmt *st)
{
    wh_reach *r = at(x, rp_stmt_int(st, 0));
    if (r)
        r->dnc |= channel_bits(rp_stmt_text(st, 1));
    return RP_OK;
}

static int dnc_lookup_row(reach_ctx *x, rp_stmt *st)
{
    const char *lookup = rp_stmt_text(st, 0);
    if (!lookup)
        return RP_OK;
    size_t n = strlen(lookup);
    uint8_t *bits = rp_map_get(x->dnc, lookup, n);
    if (!bits) {
        if (!(bits = calloc(1, 1)))
            return RP_NOMEM;
        void *old;
        if (rp_map_put(x->dnc, lookup, n, bits, &old)) {
            free(bits);
            return RP_NOMEM;
        }
    }
    *bits |= channel_bits(rp_stmt_text(st, 1));
    return RP_OK;
}

static int staff_row(reach_ctx *x, rp_stmt *st)
{
    wh_reach *r = at(x, rp_stmt_int(st, 0));
    if (r)
        r->staff = 1;
    return RP_OK;
}

static int complaint_row(reach_ctx *x, rp_stmt *st)
{
    wh_reach *r = at(x, rp_stmt_int(st, 0));
    if (r)
        r->complaint = 1;
    return RP_OK;
}

/* An outbound contact: the day (Taipei) and the contact channel its channel is. */
static int contacted_row(reach_ctx *x, rp_stmt *st)
{
    wh_reach *r = at(x, rp_stmt_int(st, 0));
    const char *when = rp_stmt_text(st, 1), *ch = rp_stmt_text(st, 2);
    if (!r || !when)
        return RP_OK;
    int64_t t;
    if (rp_time_parse(when, &t, NULL))
        return RP_OK;
    rp_date d = rp_time_taipei_date(t);
    int32_t day = (int32_t)rp_days_from_civil(d.y, d.m, d.d);
    if (day > r->last_contact)
        r->last_contact = day;
    static const char *const from[] = { "direct_mail", "letter", "mail", "email", "sms", "outbound_call", "phone",
                                        "app", "banner", "mobile", "internet", NULL };
    static const int to[] = { 0, 0, 0, 1, 2, 3, 3, 4, 4, 4, 4 };
    int k = list_at(ch, from);
    if (k >= 0 && day >= x->window_start && r->recent[to[k]] < 255)
        r->recent[to[k]]++;
    if (day >= x->window_start && r->recent_all < 255)
        r->recent_all++;
    return RP_OK;
}

static int reach_scans(reach_ctx *x, int64_t now, rp_error *err)
{
    int rc;
    if ((rc = scan(x, "SELECT id, status FROM party WHERE merged_into IS NULL", 0, customer_row, err)) ||
        (rc = consents(x, err)) ||
        (rc = scan(x,
                   "SELECT lookup, channel FROM do_not_contact WHERE lookup IS NOT NULL AND since <= ?1 "
                   "AND (until IS NULL OR until >= ?1)",
                   1, dnc_lookup_row, err)) ||
        (rc = scan(x,
                   "SELECT coalesce(p.merged_into, p.id), c.kind, c.purpose, c.value, c.postal_code, c.lookup "
                   "FROM contact_point c JOIN party p ON p.id = c.party_id WHERE c.valid_to IS NULL",
                   0, contact_row, err)) ||
        (rc = scan(x,
                   "SELECT coalesce(p.merged_into, p.id) FROM party_identifier i JOIN party p ON p.id = i.party_id "
                   "WHERE i.type = 'online_user_id' AND i.valid_to IS NULL",
                   0, app_row, err)) ||
        (rc = scan(x,
                   "SELECT coalesce(p.merged_into, p.id), d.channel FROM do_not_contact d JOIN party p ON p.id = "
                   "d.party_id WHERE d.since <= ?1 AND (d.until IS NULL OR d.until >= ?1)",
                   1, dnc_party_row, err)) ||
        (rc = scan(x,
                   "SELECT coalesce(p.merged_into, p.id) FROM staff_member s JOIN party p ON p.id = s.party_id "
                   "WHERE (s.since IS NULL OR s.since <= ?1) AND (s.until IS NULL OR s.until >= ?1)",
                   1, staff_row, err)) ||
        (rc = scan(x,
                   "SELECT coalesce(p.merged_into, p.id) FROM interaction i JOIN party p ON p.id = i.party_id "
                   "WHERE i.kind = 'complaint' AND i.resolved_at IS NULL AND i.at <= ?2",
                   2, complaint_row, err)))
        return rc;
    (void)now;
    return scan(x,
                "SELECT coalesce(p.merged_into, p.id), t.contacted_at, coalesce(t.channel, m.channel) "
                "FROM campaign_target t JOIN party p ON p.id = t.party_id JOIN campaign m ON m.code = t.campaign "
                "WHERE t.grp = 'treatment' AND t.contacted_at IS NOT NULL "
                "UNION ALL SELECT coalesce(p.merged_into, p.id), i.at, i.channel FROM interaction i "
                "JOIN party p ON p.id = i.party_id WHERE i.direction = 'outbound' AND i.at <= ?2",
                2, contacted_row, err);
}

int wh_reach_all(wh *w, int64_t now, int window_days, wh_reach_fn fn, void *ctx, rp_error *err)
{
    if (window_days < 1 || window_days > 3660)
        return rp_err(err, RP_INVAL, "window: %d days is not 1 to 3660", window_days);
    wh_bounds b;
    int rc = wh_id_bounds(w, &b, err);
    if (rc)
        return rc;
    reach_ctx x = { .w = w, .max = b.party };
    if (!(x.r = calloc((size_t)b.party + 1, sizeof *x.r)) || !(x.dnc = rp_map_new())) {
        free(x.r);
        return rp_err(err, RP_NOMEM, NULL);
    }
    rp_date today = rp_time_taipei_date(now);
    rp_date_format(today, x.today);
    rp_time_format_utc(now, x.now);
    x.window_start = (int32_t)rp_days_from_civil(today.y, today.m, today.d) - window_days + 1;
    rp_date_format(rp_civil_from_days(x.window_start), x.since);
    if ((rc = reach_scans(&x, now, err)) == RP_NOMEM)
        rc = rp_err(err, RP_NOMEM, NULL);
    rp_map_free(x.dnc, free);
    for (int64_t id = 1; !rc && id <= x.max; id++)
        if (x.r[id].customer)
            rc = fn(ctx, &x.r[id], err);
    free(x.r);
    return rc;
}

int wh_product_find(wh *w, const char *code, char *name, size_t n, char kind[16], int *exists, rp_error *err)
{
    rp_stmt *st;
    *exists = 0;
    int rc = rp_store_prepare(w->store, "SELECT coalesce(name_zh, name_en, code), kind FROM product WHERE code = ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        *exists = 1;
        if (name)
            snprintf(name, n, "%s", rp_stmt_text(st, 0));
        if (kind)
            snprintf(kind, 16, "%s", rp_stmt_text(st, 1));
    }
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

int wh_reach_mark(wh *w, uint64_t *mark, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(
        w->store,
        "SELECT (SELECT count(*) || '.' || coalesce(max(id), 0) FROM consent), "
        "(SELECT count(*) || '.' || coalesce(max(id), 0) FROM do_not_contact), "
        "(SELECT count(*) || '.' || coalesce(max(id), 0) || '.' || count(valid_to) FROM contact_point), "
        "(SELECT coalesce(max(updated_at), '') FROM party), "
        "(SELECT count(*) || '.' || count(until) FROM staff_member), "
        "(SELECT coalesce(max(id), 0) FROM interaction) || '.' || (SELECT count(*) FROM interaction "
        "WHERE kind = 'complaint' AND resolved_at IS NULL), "
        "(SELECT count(contacted_at) FROM campaign_target), "
        "(SELECT count(*) || '.' || coalesce(max(id), 0) FROM party_identifier)",
        &st, err);
    if (rc)
        return rc;
    uint64_t h = 1469598103934665603ull;  /* FNV-1a over the eight texts */
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        for (int c = 0; c < 8; c++) {
            const char *t = rp_stmt_text(st, c);
            for (const char *p = t ? t : ""; ; p++) {
                h = (h ^ (unsigned char)*p) * 1099511628211ull;
                if (!*p)
                    break;
            }
        }
    rp_stmt_done(st);
    if (rc != RP_ROW)
        return rc == RP_DONE ? rp_err(err, RP_INTERNAL, "reach mark: no row") : rc;
    *mark = h;
    return RP_OK;
}
