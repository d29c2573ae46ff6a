/* contact.c — what people change about a customer (contact points and
 * preferences, with who, when, old and new), and whether a customer may be
 * contacted (consent, status, reachability, preferred hours).  See
 * warehouse.h and migration 0010. */
#include "warehouse/internal.h"
#include "core/json.h"
#include "core/rtime.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const wh_preference_names[] = { "language", "channel", "hours", "days", NULL };


static int list_index(const char *v, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (!strcasecmp(v, list[i]))
            return i;
    return -1;
}


/* "9:00" or "09:00" (to 24:00) as minutes; -1 if not a time. */
static int minutes(const char *s, size_t n)
{
    int h = 0, m = 0, i = 0, digits = 0;
    while (i < (int)n && isdigit((unsigned char)s[i]) && digits < 2)
        h = h * 10 + s[i++] - '0', digits++;
    if (!digits || i >= (int)n || s[i++] != ':' || n - (size_t)i != 2 || !isdigit((unsigned char)s[i]) ||
        !isdigit((unsigned char)s[i + 1]))
        return -1;
    m = (s[i] - '0') * 10 + s[i + 1] - '0';
    if (h > 24 || m > 59 || (h == 24 && m))
        return -1;
    return h * 60 + m;
}

static int norm_hours(const char *v, char *out, size_t n, rp_error *err)
{
    const char *dash = strchr(v, '-');
    int from = dash ? minutes(v, (size_t)(dash - v)) : -1, to = dash ? minutes(dash + 1, strlen(dash + 1)) : -1;
    if (from < 0 || to < 0)
        return rp_err(err, RP_INVAL, "preferences.hours: '%.40s' is not HH:MM-HH:MM", v);
    if (from >= to)
        return rp_err(err, RP_INVAL, "preferences.hours: '%.40s' ends before it starts", v);
    snprintf(out, n, "%02d:%02d-%02d:%02d", from / 60, from % 60, to / 60, to % 60);
    return RP_OK;
}

static int day_index(const char *s, size_t n)
{
    static const char *const full[] = { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" };
    for (int d = 0; d < 7; d++)
        if ((n == 3 && !strncasecmp(s, wh_weekdays[d], 3)) || (n == strlen(full[d]) && !strncasecmp(s, full[d], n)))
            return d;
    return -1;
}

static int norm_days(const char *v, char *out, size_t n, rp_error *err)
{
    int set[7] = { 0 };
    if (!strcasecmp(v, "weekdays"))
        v = "mon-fri";
    else if (!strcasecmp(v, "every day") || !strcasecmp(v, "daily"))
        v = "mon-sun";
    for (const char *p = v; *p;) {
        while (*p == ',' || *p == ' ')
            p++;
        if (!*p)
            break;
        size_t k = strcspn(p, ", ");
        const char *dash = memchr(p, '-', k);
        int a = day_index(p, dash ? (size_t)(dash - p) : k), b = dash ? day_index(dash + 1, k - (size_t)(dash - p) - 1) : a;
        if (a < 0 || b < 0 || b < a)
            return rp_err(err, RP_INVAL, "preferences.days: '%.*s' is not a day or a range of days (mon..sun)",
                          (int)(k < 40 ? k : 40), p);
        for (int d = a; d <= b; d++)
            set[d] = 1;
        p += k;
    }
    size_t j = 0;
    out[0] = 0;
    for (int d = 0; d < 7; d++)
        if (set[d])
            j += (size_t)snprintf(out + j, n - j, "%s%s", j ? "," : "", wh_weekdays[d]);
    if (!j)
        return rp_err(err, RP_INVAL, "preferences.days: name at least one day (mon..sun)");
    return RP_OK;
}

/* value in its one written form */
static int norm_pref(const char *name, const char *v, char *out, size_t n, rp_error *err)
{
    char list[128];
    if (strlen(v) > WH_PREFERENCE_MAX)
        return rp_err(err, RP_INVAL, "preferences.%s: at most %d bytes", name, WH_PREFERENCE_MAX);
    if (!strcmp(name, "language")) {
        char t[80];
        snprintf(t, sizeof t, "%s", v);
        for (char *p = t; *p; p++)
            if (*p == '_')
                *p = '-';
        int i = list_index(t, wh_languages);
        wh__list_join(wh_languages, list, sizeof list);
        if (i < 0)
            return rp_err(err, RP_INVAL, "preferences.language: '%s' is not one of %s", v, list);
        snprintf(out, n, "%s", wh_languages[i]);
        return RP_OK;
    }
    if (!strcmp(name, "channel")) {
        int i = list_index(v, wh_preference_channels);
        wh__list_join(wh_preference_channels, list, sizeof list);
        if (i < 0)
            return rp_err(err, RP_INVAL, "preferences.channel: '%s' is not one of %s", v, list);
        snprintf(out, n, "%s", wh_preference_channels[i]);
        return RP_OK;
    }
    if (!strcmp(name, "hours"))
        return norm_hours(v, out, n, err);
    return norm_days(v, out, n, err);
}

/* The customer a person is; RP_NOTFOUND naming it otherwise. */
static int must_be_customer(wh *w, int64_t person, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store, "SELECT merged_into FROM party WHERE id = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, person);
    rc = rp_stmt_step(st, err);
    int merged = rc == RP_ROW && rp_stmt_column_type(st, 0) != RP_COL_NULL;
    int64_t into = merged ? rp_stmt_int(st, 0) : 0;
    rp_stmt_done(st);
    if (rc == RP_DONE)
        return rp_err(err, RP_NOTFOUND, "no customer %lld", (long long)person);
    if (rc != RP_ROW)
        return rc;
    if (merged)
        return rp_err(err, RP_INVAL, "party %lld is part of customer %lld: change that customer", (long long)person,
                      (long long)into);
    return RP_OK;
}

static int log_change(wh *w, int64_t person, const char *by, const char *what, const char *field, const char *old,
                      const char *new_, const char *reason, rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "INSERT INTO customer_change(party_id, at, by_user, what, field, old_value, new_value, "
                              "reason) VALUES (?,?,?,?,?,?,?,?)",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, person);
    rp_stmt_bind_text(st, 2, now);
    rp_stmt_bind_text(st, 3, by && *by ? by : "unknown");
    rp_stmt_bind_text(st, 4, what);
    rp_stmt_bind_text(st, 5, field);
    rp_stmt_bind_text(st, 6, old);
    rp_stmt_bind_text(st, 7, new_);
    rp_stmt_bind_text(st, 8, reason && *reason ? reason : NULL);
    return rp_stmt_run(st, err);
}

#define MEMBERS1 "SELECT ?1 UNION ALL SELECT id FROM party WHERE merged_into = ?1"

int wh_preference_set(wh *w, int64_t person, const char *name, const char *value, const char *by,
                      const char *reason, int *changed, rp_error *err)
{
    char list[64], v[80];
    if (changed)
        *changed = 0;
    if (!name || list_index(name, wh_preference_names) < 0) {
        wh__list_join(wh_preference_names, list, sizeof list);
        return rp_err(err, RP_INVAL, "preferences: '%s' is not one of %s", name ? name : "", list);
    }
    int clear = !value || !*value;
    int rc;
    if ((rc = wh__text_ok("preferences.reason", reason, WH_REASON_MAX, 0, err)) ||
        (!clear && (rc = norm_pref(name, value, v, sizeof v, err))))
        return rc;
    if ((rc = must_be_customer(w, person, err)))
        return rc;
    /* the value in force: the latest of any of the customer's parties */
    rp_stmt *st;
    if ((rc = rp_store_prepare(w->store,
                               "SELECT value FROM party_preference WHERE party_id IN (" MEMBERS1 ") AND name = ?2 "
                               "ORDER BY since DESC, party_id = ?1 DESC LIMIT 1",
                               &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, person);
    rp_stmt_bind_text(st, 2, name);
    char *old = NULL;
    rc = rp_stmt_step(st, err);
    if (rc == RP_ROW)
        old = strdup(rp_stmt_text(st, 0));
    rp_stmt_done(st);
    if (rc != RP_ROW && rc != RP_DONE)
        return rc;
    if ((clear && !old) || (!clear && old && !strcmp(old, v))) {
        free(old);
        return RP_OK;
    }
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    rc = rp_store_prepare(w->store, "DELETE FROM party_preference WHERE party_id IN (" MEMBERS1 ") AND name = ?2",
                          &st, err);
    if (!rc) {
        rp_stmt_bind_int(st, 1, person);
        rp_stmt_bind_text(st, 2, name);
        rc = rp_stmt_run(st, err);
    }
    if (!rc && !clear && !(rc = rp_store_prepare(w->store,
                                                 "INSERT INTO party_preference(party_id, name, value, since, set_by) "
                                                 "VALUES (?,?,?,?,?)",
                                                 &st, err))) {
        rp_stmt_bind_int(st, 1, person);
        rp_stmt_bind_text(st, 2, name);
        rp_stmt_bind_text(st, 3, v);
        rp_stmt_bind_text(st, 4, now);
        rp_stmt_bind_text(st, 5, by);
        rc = rp_stmt_run(st, err);
    }
    if (!rc)
        rc = log_change(w, person, by, "preference", name, old, clear ? NULL : v, reason, err);
    free(old);
    if (!rc && changed)
        *changed = 1;
    return rc;
}

int wh_contact_change(wh *w, int64_t person, const wh_contact *c, const char *by, const char *reason, char **old,
                      int *outcome, rp_error *err)
{
    char value[WH_CONTACT_VALUE_MAX + 1], lookup[WH_CONTACT_VALUE_MAX + 1];
    int rc = RP_OK;
    if (old)
        *old = NULL;
    *outcome = WH_UNCHANGED;
    if (!c->kind || !c->value || !*c->value)
        return rp_err(err, RP_INVAL, "contact: kind and value are required");
    /* an address is copied whole: longer than its field is refused here, not cut */
    if ((rc = wh__text_ok("contact.value", c->value, WH_CONTACT_VALUE_MAX, 1, err)) ||
        (rc = wh__text_ok("contact.reason", reason, WH_REASON_MAX, 0, err)))
        return rc;
    const char *purpose = c->purpose ? c->purpose : "home";
    int keyed = strcmp(c->kind, "address") != 0;
    char country[3];
    if ((rc = wh_country_ok("contact.country", c->country, country, err)))
        return rc;
    if (!strcmp(c->kind, "email"))
        rc = wh_email_normalise(c->value, value, sizeof value, lookup, sizeof lookup, err);
    else if (keyed)
        rc = wh_phone_normalise_in(country, c->value, value, sizeof value, lookup, sizeof lookup, err);
    else
        snprintf(value, sizeof value, "%s", c->value);
    if (rc)
        return rp_err_prefix(err, "contact.value");
    if ((rc = must_be_customer(w, person, err)))
        return rc;
    /* the current points of this kind and purpose, the primary first */
    rp_stmt *st;
    if ((rc = rp_store_prepare(w->store,
                               "SELECT id, value, lookup FROM contact_point WHERE party_id IN (" MEMBERS1 ") "
                               "AND kind = ?2 AND purpose = ?3 AND valid_to IS NULL ORDER BY is_primary DESC, id DESC",
                               &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, person);
    rp_stmt_bind_text(st, 2, c->kind);
    rp_stmt_bind_text(st, 3, purpose);
    int64_t close_ids[64];
    int nclose = 0, kept = 0;
    char *replaced = NULL;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        const char *ov = rp_stmt_text(st, 1), *ol = rp_stmt_text(st, 2);
        int equal = keyed ? (ol && !strcmp(ol, lookup)) : !strcmp(ov ? ov : "", value);
        if (equal) {
            kept = 1;
            continue;
        }
        if (!replaced)
            replaced = strdup(ov ? ov : "");
        if (nclose < (int)(sizeof close_ids / sizeof close_ids[0]))
            close_ids[nclose++] = rp_stmt_int(st, 0);
    }
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        free(replaced);
        return rc;
    }
    rc = RP_OK;
    if (kept && !nclose) {
        free(replaced);
        return RP_OK;
    }
    char today[RP_DATE_LEN];
    rp_date_format(rp_time_taipei_date(rp_now()), today);
    for (int i = 0; i < nclose && !rc; i++) {
        if ((rc = rp_store_prepare(w->store, "UPDATE contact_point SET valid_to = ? WHERE id = ?", &st, err)))
            break;
        rp_stmt_bind_text(st, 1, today);
        rp_stmt_bind_int(st, 2, close_ids[i]);
        if (!(rc = rp_stmt_run(st, err)))
            wh__fresh_contact_closed(w, close_ids[i]);
    }
    if (!rc && !kept) {
        wh_contact n = *c;
        n.purpose = purpose;
        n.valid_from = today;
        n.valid_to = NULL;
        n.primary = 1;
        rc = wh_contact_add(w, person, &n, NULL, err);
    }
    char field[40];
    snprintf(field, sizeof field, "%s/%s", c->kind, purpose);
    if (!rc)
        rc = log_change(w, person, by, "contact", field, replaced, value, reason, err);
    if (rc) {
        free(replaced);
        return rc;
    }
    *outcome = replaced ? WH_UPDATED : WH_CREATED;
    if (old)
        *old = replaced;
    else
        free(replaced);
    return RP_OK;
}

/* ---- may we contact them? ---- */


/* Whether the customer has a current contact point (or login) for the channel. */
static int reachable(wh *w, int64_t person, const char *channel, int *yes, rp_error *err)
{
    const char *sql;
    if (!strcmp(channel, "app"))
        sql = "SELECT 1 FROM party_identifier WHERE party_id IN (" MEMBERS1 ") AND type = 'online_user_id' "
              "AND valid_to IS NULL LIMIT 1";
    else
        sql = "SELECT 1 FROM contact_point WHERE party_id IN (" MEMBERS1 ") AND valid_to IS NULL AND kind IN "
              "(?2, ?3) LIMIT 1";
    const char *k1 = "mobile", *k2 = "phone"; /* phone: either */
    if (!strcmp(channel, "sms"))
        k2 = "mobile";
    else if (!strcmp(channel, "email"))
        k1 = k2 = "email";
    else if (!strcmp(channel, "mail"))
        k1 = k2 = "address";
    rp_stmt *st;
    int rc = rp_store_prepare(w->store, sql, &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, person);
    if (strcmp(channel, "app")) {
        rp_stmt_bind_text(st, 2, k1);
        rp_stmt_bind_text(st, 3, k2);
    }
    return wh__exists(st, yes, err);
}

/* The reason of a do-not-contact entry in force on the channel for the customer or one of their
 * current phone numbers or e-mail addresses (reach.c keeps the same rule for all customers), or "". */
static int dnc_reason(wh *w, int64_t person, const char *channel, int64_t now, char reason[32], rp_error *err)
{
    char today[RP_DATE_LEN];
    rp_date_format(rp_time_taipei_date(now), today);
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT reason FROM do_not_contact WHERE channel IN (?2, 'any') AND since <= ?3 AND "
                              "(until IS NULL OR until >= ?3) AND (party_id IN (" MEMBERS1 ") OR lookup IN (SELECT "
                              "lookup FROM contact_point WHERE party_id IN (" MEMBERS1 ") AND valid_to IS NULL AND "
                              "lookup IS NOT NULL)) LIMIT 1",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, person);
    rp_stmt_bind_text(st, 2, channel);
    rp_stmt_bind_text(st, 3, today);
    return wh__one_text(st, reason, 32, err);
}

/* Whether Taipei time t falls in "mon,tue" and "09:00-18:00" (either may be NULL). */
static int in_window(int64_t t, const char *days, const char *hours)
{
    int64_t local = t + 8 * 3600;
    int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    int minute = (int)((local - day * 86400) / 60);
    int wd = (int)(((day % 7) + 7 + 3) % 7); /* 1970-01-01 was a Thursday: 0 = mon */
    if (days && !strstr(days, wh_weekdays[wd]))
        return 0;
    if (hours) {
        int from = minutes(hours, 5), to = minutes(hours + 6, 5);
        if (minute < from || minute >= to)
            return 0;
    }
    return 1;
}

int wh_contactable(wh *w, int64_t person, const char *purpose, const char *channel, int64_t now, json_t **out,
                   rp_error *err)
{
    char list[128];
    if (!purpose || list_index(purpose, wh_contact_purposes_all) < 0) {
        wh__list_join(wh_contact_purposes_all, list, sizeof list);
        return rp_err(err, RP_INVAL, "purpose: '%s' is not one of %s", purpose ? purpose : "", list);
    }
    if (!channel || list_index(channel, wh_contact_channels) < 0) {
        wh__list_join(wh_contact_channels, list, sizeof list);
        return rp_err(err, RP_INVAL, "channel: '%s' is not one of %s", channel ? channel : "", list);
    }
    purpose = wh_contact_purposes_all[list_index(purpose, wh_contact_purposes_all)];
    channel = wh_contact_channels[list_index(channel, wh_contact_channels)];
    int rc = must_be_customer(w, person, err);
    if (rc)
        return rc;
    rp_stmt *st;
    if ((rc = rp_store_prepare(w->store, "SELECT status FROM party WHERE id = ?", &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, person);
    char status[16] = "";
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        snprintf(status, sizeof status, "%s", rp_stmt_text(st, 0));
    rp_stmt_done(st);
    if (rc != RP_ROW)
        return rc == RP_DONE ? rp_err(err, RP_NOTFOUND, "no customer %lld", (long long)person) : rc;
    json_t *o = json_pack("{s:I, s:s, s:s}", "customer", (json_int_t)person, "purpose", purpose, "channel", channel);
    /* the consent in force */
    char nowiso[RP_TIME_UTC_LEN];
    rp_time_format_utc(now, nowiso);
    json_t *consent = json_null();
    int granted = 0;
    if (strcmp(purpose, "service")) {
        if ((rc = rp_store_prepare(w->store,
                                   "SELECT purpose, channel, granted, evidence, effective_at, recorded_at, recorded_by "
                                   "FROM consent WHERE party_id IN (" MEMBERS1 ") AND purpose = ?2 "
                                   "AND channel IN (?3, 'any') AND effective_at <= ?4 "
                                   "ORDER BY effective_at DESC, id DESC LIMIT 1",
                                   &st, err))) {
            json_decref(o);
            return rc;
        }
        rp_stmt_bind_int(st, 1, person);
        rp_stmt_bind_text(st, 2, purpose);
        rp_stmt_bind_text(st, 3, channel);
        rp_stmt_bind_text(st, 4, nowiso);
        if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
            consent = json_object();
            for (int c = 0; c < 7; c++)
                if (c == 2)
                    json_object_set_new(consent, "granted", json_boolean(rp_stmt_int(st, 2)));
                else
                    wh__set_col(consent, st, c, rp_stmt_column_name(st, c));
            granted = rp_stmt_int(st, 2) != 0;
        }
        rp_stmt_done(st);
        if (rc != RP_ROW && rc != RP_DONE) {
            json_decref(consent);
            json_decref(o);
            return rc;
        }
    }
    int reach = 0;
    char dnc[32];
    if ((rc = reachable(w, person, channel, &reach, err)) || (rc = dnc_reason(w, person, channel, now, dnc, err))) {
        json_decref(consent);
        json_decref(o);
        return rc;
    }
    /* the preferences */
    const char *pv[4] = { NULL, NULL, NULL, NULL };
    json_t *prefs = json_object();
    if ((rc = rp_store_prepare(w->store,
                               "SELECT name, value FROM party_preference WHERE party_id IN (" MEMBERS1 ") "
                               "ORDER BY since",
                               &st, err))) {
        json_decref(prefs);
        json_decref(consent);
        json_decref(o);
        return rc;
    }
    rp_stmt_bind_int(st, 1, person);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        rp_json_set_str(prefs, rp_stmt_text(st, 0), rp_stmt_text(st, 1));
    rp_stmt_done(st);
    for (int i = 0; i < 4; i++)
        pv[i] = json_string_value(json_object_get(prefs, wh_preference_names[i]));
    char why[300];
    int allowed = 0;
    const char *eff = json_string_value(json_object_get(consent, "effective_at"));
    const char *cch = json_string_value(json_object_get(consent, "channel"));
    if (strcmp(purpose, "service") && (!strcmp(status, "deceased") || !strcmp(status, "closed")))
        snprintf(why, sizeof why, "the customer is %s", status);
    else if (strcmp(purpose, "service") && *dnc)
        snprintf(why, sizeof why, "on the do-not-contact list for %s (%s)", channel, dnc);
    else if (strcmp(purpose, "service") && json_is_null(consent))
        snprintf(why, sizeof why, "no consent to %s by %s on record", purpose, channel);
    else if (strcmp(purpose, "service") && !granted)
        snprintf(why, sizeof why, "consent to %s by %s withdrawn on %.10s", purpose, cch, eff);
    else if (!reach)
        snprintf(why, sizeof why, "no current %s for %s", !strcmp(channel, "app") ? "login" : "contact point",
                 channel);
    else {
        allowed = 1;
        if (!strcmp(purpose, "service"))
            snprintf(why, sizeof why, "service of the customer's own accounts needs no consent");
        else
            snprintf(why, sizeof why, "consent to %s by %s given on %.10s", purpose, cch, eff);
    }
    json_object_set_new(o, "allowed", json_boolean(allowed));
    rp_json_set_str(o, "reason", why);
    json_object_set_new(o, "consent", consent);
    json_object_set_new(o, "reachable", json_boolean(reach));
    json_object_set_new(o, "within_hours",
                        pv[2] || pv[3] ? json_boolean(in_window(now, pv[3], pv[2])) : json_null());
    json_object_set_new(o, "language", pv[0] ? json_string(pv[0]) : json_null());
    json_object_set_new(o, "preferred_channel", pv[1] ? json_string(pv[1]) : json_null());
    json_object_set_new(o, "hours", pv[2] ? json_string(pv[2]) : json_null());
    json_object_set_new(o, "days", pv[3] ? json_string(pv[3]) : json_null());
    json_decref(prefs);
    if (rc != RP_DONE) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return RP_OK;
}

int wh_changes(wh *w, int64_t person, const char *what, int limit, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT id, at, by_user, what, field, old_value, new_value, reason FROM customer_change "
                              "WHERE party_id IN (" MEMBERS1 ") AND (?2 IS NULL OR what = ?2) ORDER BY id DESC LIMIT ?3",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, person);
    rp_stmt_bind_text(st, 2, what);
    rp_stmt_bind_int(st, 3, limit > 0 ? limit : 200);
    json_t *arr = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        json_t *o = json_object();
        for (int c = 0; c < 8; c++)
            wh__set_col(o, st, c, rp_stmt_column_name(st, c));
        json_array_append_new(arr, o);
    }
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return RP_OK;
}

int wh_consent_history(wh *w, int64_t person, json_t **out, rp_error *err)
{
    json_t *arr = json_array();
    int rc = wh__rows(w,
                      "SELECT purpose, channel, granted, evidence, effective_at, recorded_at, recorded_by FROM consent "
                      "WHERE party_id IN (" WH__MEMBERS ") ORDER BY id DESC",
                      person, arr, 2, err);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return RP_OK;
}
