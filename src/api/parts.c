/* parts.c — the parts of one customer: notes (contact history), contact
 * points, the changes people made, preferences, whether to contact,
 * consents and scores.  Each route opens the customer of its path with
 * api_customer_of (customers.c), which checks the viewer's scope.  See api.h. */
#include "api/internal.h"
#include "analytics/analytics.h"
#include "core/json.h"
#include "core/rtime.h"
#include "models/models.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The contact history by pages, latest first: q= words every note shown holds, limit=, after= the page
 * before's next (a note's id). */
int api_notes_list(api_req *rq, api_resp *rs)
{
    int64_t id, before = 0;
    int st, limit, ok = 1;
    if ((st = api_customer_of(rq, rs, 0, &id, NULL)) || (st = api_limit(rq, rs, 50, 500, &limit)))
        return st;
    const char *after = api_query(rq, "after"), *q = api_query(rq, "q");
    if (after)
        before = api_int(after, 1, INT64_MAX, &ok);
    if (!ok)
        return api_error(rs, 422, "invalid", "after: a note's id, as the listing's next gave it");
    json_t *a;
    int64_t total = 0;
    rp_error err = RP_ERROR_INIT;
    if (wh_notes(rq->w, id, q, before, limit + 1, &a, &total, &err))
        return api_fail(rs, &err);
    json_t *next = json_null();
    if (json_array_size(a) > (size_t)limit) { /* one more than asked says whether a page follows */
        json_array_remove(a, (size_t)limit);
        next = json_integer(json_integer_value(json_object_get(json_array_get(a, (size_t)limit - 1), "id")));
    }
    char scrubbed[128];
    sec_scrub(q ? q : "", scrubbed, sizeof scrubbed); /* a phone or an ID searched for is not kept in clear */
    snprintf(rq->detail, sizeof rq->detail, "notes q=%.60s: %zu of %lld", scrubbed, json_array_size(a),
             (long long)total);
    return api_ok(rs, json_pack("{s:I, s:o, s:I, s:o}", "customer", (json_int_t)id, "notes", a, "total",
                                (json_int_t)total, "next", next));
}

/* The customer's household, relatives of other branches counted only for a viewer of every branch. */
int api_household(api_req *rq, api_resp *rs)
{
    int64_t id;
    int st = api_customer_of(rq, rs, 0, &id, NULL);
    if (st)
        return st;
    json_t *h;
    rp_error err = RP_ERROR_INIT;
    if (wh_household(rq->w, id, rq->scope_branch, &h, &err))
        return api_fail(rs, &err);
    /* the relatives whose holdings were shown are in the entry too */
    size_t i;
    json_t *mb;
    json_array_foreach(json_object_get(h, "members"), i, mb) {
        if (i && json_is_true(json_object_get(mb, "counted")) &&
            api_shown_add(rq, json_integer_value(json_object_get(mb, "party_id"))))
            break;
    }
    snprintf(rq->detail, sizeof rq->detail, "household: %zu members", json_array_size(json_object_get(h, "members")));
    return api_ok(rs, h);
}

int api_note_add(api_req *rq, api_resp *rs)
{
    int64_t id;
    int st = api_customer_of(rq, rs, 0, &id, NULL);
    if (st)
        return st;
    static const char *const keys[] = { "text", "channel", "direction", "reason", "outcome", "follow_up_on", NULL };
    rp_error err = RP_ERROR_INIT;
    wh_interaction in = { .party_id = id, .channel = "branch", .direction = "inbound",
                          .staff = rq->session.user.name, .created_by = rq->session.user.name };
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_str(rq->body, "body", "text", 1, &in.notes, &err) ||
        rp_json_get_str(rq->body, "body", "channel", 0, &in.channel, &err) ||
        rp_json_get_str(rq->body, "body", "direction", 0, &in.direction, &err) ||
        rp_json_get_str(rq->body, "body", "reason", 0, &in.reason, &err) ||
        rp_json_get_str(rq->body, "body", "outcome", 0, &in.outcome, &err) ||
        rp_json_get_str(rq->body, "body", "follow_up_on", 0, &in.follow_up_on, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    if (!*in.notes)
        return api_error(rs, 422, "invalid", "body.text: 1 to %d bytes", WH_NOTES_MAX);
    if ((st = api_body_max(rs, "text", in.notes, WH_NOTES_MAX)) ||
        (st = api_body_in(rs, "channel", in.channel, wh_interaction_channels)) ||
        (st = api_body_in(rs, "direction", in.direction, wh_directions)) ||
        (st = api_body_max(rs, "reason", in.reason, WH_SUBJECT_MAX)) ||
        (st = api_body_max(rs, "outcome", in.outcome, WH_SUBJECT_MAX)))
        return st;
    int64_t nid;
    if (wh_interaction_add(rq->w, &in, &nid, &err))
        return api_fail_body(rs, &err, "interaction");
    snprintf(rq->detail, sizeof rq->detail, "note %lld", (long long)nid);
    return api_created(rs, json_pack("{s:I, s:I}", "note", (json_int_t)nid, "customer", (json_int_t)id));
}

/* Contact values of a change as this viewer may see them. */
static void mask_change(json_t *c, int show)
{
    const char *field = json_string_value(json_object_get(c, "field"));
    const char *what = json_string_value(json_object_get(c, "what"));
    if (show || !field || !what || strcmp(what, "contact"))
        return;
    static const char *const members[] = { "old_value", "new_value" };
    for (int i = 0; i < 2; i++) {
        const char *v = json_string_value(json_object_get(c, members[i]));
        if (!v)
            continue;
        char m[WH_CONTACT_VALUE_MAX + 1]; /* a mask is no longer than its value */
        if (!strncmp(field, "email", 5))
            sec_mask_email(v, m, sizeof m);
        else if (!strncmp(field, "address", 7))
            sec_mask_address(v, m, sizeof m);
        else
            sec_mask_phone(v, m, sizeof m);
        json_object_set_new(c, members[i], json_string(m));
    }
}

int api_changes_list(api_req *rq, api_resp *rs)
{
    int64_t id;
    int st = api_customer_of(rq, rs, 0, &id, NULL);
    if (st)
        return st;
    const char *what = api_query(rq, "what");
    if (what && strcmp(what, "contact") && strcmp(what, "preference"))
        return api_error(rs, 422, "invalid", "query.what: contact or preference, not '%.40s'", what);
    int limit;
    if ((st = api_limit(rq, rs, 200, 1000, &limit)))
        return st;
    json_t *arr;
    rp_error err = RP_ERROR_INIT;
    if (wh_changes(rq->w, id, what, (int)limit, &arr, &err))
        return api_fail(rs, &err);
    int show = api_can(rq, SEC_P_CONTACTS);
    size_t i;
    json_t *c;
    json_array_foreach(arr, i, c) mask_change(c, show);
    return api_ok(rs, json_pack("{s:I, s:o}", "customer", (json_int_t)id, "changes", arr));
}

int api_contact_change(api_req *rq, api_resp *rs)
{
    int64_t id;
    int st = api_customer_of(rq, rs, 0, &id, NULL);
    if (st)
        return st;
    static const char *const keys[] = { "kind", "purpose", "value", "postal_code", "country", "reason", NULL };
    rp_error err = RP_ERROR_INIT;
    const char *reason = NULL;
    wh_contact c = { .purpose = "home", .primary = 1, .source = "branch" };
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_str(rq->body, "body", "kind", 1, &c.kind, &err) ||
        rp_json_get_str(rq->body, "body", "value", 1, &c.value, &err) ||
        rp_json_get_str(rq->body, "body", "purpose", 0, &c.purpose, &err) ||
        rp_json_get_str(rq->body, "body", "postal_code", 0, &c.postal_code, &err) ||
        rp_json_get_str(rq->body, "body", "country", 0, &c.country, &err) ||
        rp_json_get_str(rq->body, "body", "reason", 0, &reason, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    if ((st = api_body_in(rs, "kind", c.kind, wh_contact_kinds)) ||
        (st = api_body_in(rs, "purpose", c.purpose, wh_contact_purposes)) ||
        (st = api_body_max(rs, "value", c.value, WH_CONTACT_VALUE_MAX)) ||
        (st = api_body_max(rs, "postal_code", c.postal_code, WH_POSTAL_CODE_MAX)) ||
        (st = api_body_max(rs, "reason", reason, WH_REASON_MAX)))
        return st;
    int outcome;
    char *old = NULL;
    int rc = wh_begin(rq->w, &err);
    if (!rc)
        rc = wh_contact_change(rq->w, id, &c, rq->session.user.name, reason, &old, &outcome, &err);
    if (!rc)
        rc = wh_commit(rq->w, &err);
    if (rc) {
        wh_rollback(rq->w);
        return api_fail_body(rs, &err, "contact");
    }
    snprintf(rq->detail, sizeof rq->detail, "%s %s: %.100s -> %.100s", c.kind, c.purpose, old ? old : "(none)",
             c.value);
    if (reason)
        snprintf(rq->reason, sizeof rq->reason, "%s", reason);
    rq->audit_action = "change";
    json_t *out = json_pack("{s:I, s:s, s:s, s:s?, s:s, s:s}", "customer", (json_int_t)id, "kind", c.kind, "purpose",
                            c.purpose, "replaced", old, "outcome", outcome == WH_UNCHANGED ? "unchanged" : "changed",
                            "changed_by", rq->session.user.name);
    free(old);
    return api_ok(rs, out);
}

static int preferences_reply(api_req *rq, api_resp *rs, int64_t id)
{
    json_t *prefs, *hist;
    rp_error err = RP_ERROR_INIT;
    if (wh_preferences(rq->w, id, &prefs, &err))
        return api_fail(rs, &err);
    if (wh_changes(rq->w, id, "preference", 200, &hist, &err)) {
        json_decref(prefs);
        return api_fail(rs, &err);
    }
    return api_ok(rs, json_pack("{s:I, s:o, s:o}", "customer", (json_int_t)id, "preferences", prefs, "history", hist));
}

int api_preferences_get(api_req *rq, api_resp *rs)
{
    int64_t id;
    int st = api_customer_of(rq, rs, 0, &id, NULL);
    return st ? st : preferences_reply(rq, rs, id);
}

/* Set or clear (null) any of language, channel, hours and days, in one transaction. */
int api_preferences_set(api_req *rq, api_resp *rs)
{
    int64_t id;
    int st = api_customer_of(rq, rs, 0, &id, NULL);
    if (st)
        return st;
    static const char *const keys[] = { "language", "channel", "hours", "days", "reason", NULL };
    rp_error err = RP_ERROR_INIT;
    const char *reason = NULL;
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_str(rq->body, "body", "reason", 0, &reason, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    if ((st = api_body_max(rs, "reason", reason, WH_REASON_MAX)))
        return st;
    int named = 0;
    for (int i = 0; wh_preference_names[i]; i++) {
        json_t *v = json_object_get(rq->body, wh_preference_names[i]);
        if (v && !json_is_string(v) && !json_is_null(v))
            return api_error(rs, 422, "invalid", "body.%s: a string, or null to clear it", wh_preference_names[i]);
        if ((st = api_body_max(rs, wh_preference_names[i], json_string_value(v), WH_PREFERENCE_MAX)))
            return st;
        named += v != NULL;
    }
    if (!named)
        return api_error(rs, 422, "invalid", "body: name at least one of language, channel, hours, days");
    int rc = wh_begin(rq->w, &err);
    size_t dl = 0;
    rq->detail[0] = 0;
    for (int i = 0; wh_preference_names[i] && !rc; i++) {
        json_t *v = json_object_get(rq->body, wh_preference_names[i]);
        int changed = 0;
        if (v)
            rc = wh_preference_set(rq->w, id, wh_preference_names[i], json_string_value(v), rq->session.user.name,
                                   reason, &changed, &err);
        if (!rc && changed && dl < sizeof rq->detail)
            dl += (size_t)snprintf(rq->detail + dl, sizeof rq->detail - dl, "%s%s: %.60s", dl ? "; " : "",
                                   wh_preference_names[i], json_is_null(v) ? "(cleared)" : json_string_value(v));
    }
    if (!rc)
        rc = wh_commit(rq->w, &err);
    if (rc) {
        wh_rollback(rq->w);
        return api_fail_body(rs, &err, "preferences");
    }
    if (!rq->detail[0])
        snprintf(rq->detail, sizeof rq->detail, "unchanged");
    if (reason)
        snprintf(rq->reason, sizeof rq->reason, "%s", reason);
    rq->audit_action = "change";
    return preferences_reply(rq, rs, id);
}

/* The channels of a reply without channel=: every contact channel of the
 * warehouse (wh_contact_channels), with those an agent reaches for first
 * at the head, as replies have always listed them; a channel the warehouse
 * adds comes after these. */
static void channels_in_order(const char **out, size_t n)
{
    static const char *const first[] = { "phone", "sms", "email", "mail" };
    size_t k = 0;
    char msg[8];
    for (size_t i = 0; i < sizeof first / sizeof first[0]; i++)
        if (k + 1 < n && api_one_of(first[i], wh_contact_channels, msg, sizeof msg))
            out[k++] = first[i];
    for (size_t i = 0; wh_contact_channels[i] && k + 1 < n; i++) {
        int seen = 0;
        for (size_t j = 0; j < k; j++)
            seen |= !strcmp(out[j], wh_contact_channels[i]);
        if (!seen)
            out[k++] = wh_contact_channels[i];
    }
    out[k] = NULL;
}

/* Whether the customer may be contacted for a purpose on a channel now
 * (warehouse.h: wh_contactable); without a channel, on each channel. */
int api_contactable(api_req *rq, api_resp *rs)
{
    int64_t id;
    int st = api_customer_of(rq, rs, 0, &id, NULL);
    if (st)
        return st;
    const char *channels[32];
    channels_in_order(channels, sizeof channels / sizeof channels[0]);
    const char *purpose = api_query(rq, "purpose"), *channel = api_query(rq, "channel");
    json_t *all = json_array();
    rp_error err = RP_ERROR_INIT;
    int64_t now = rp_now();
    size_t dl = 0;
    rq->detail[0] = 0;
    for (size_t i = 0; channel ? i < 1 : channels[i] != NULL; i++) {
        json_t *out;
        int rc = wh_contactable(rq->w, id, purpose ? purpose : "marketing", channel ? channel : channels[i], now,
                                &out, &err);
        if (rc) {
            json_decref(all);
            return rc == RP_INVAL ? api_error(rs, 422, "invalid", "query.%s", rp_errmsg(&err)) : api_fail(rs, &err);
        }
        if (dl < sizeof rq->detail)
            dl += (size_t)snprintf(rq->detail + dl, sizeof rq->detail - dl, "%s%s by %s: %s", dl ? "; " : "",
                                   json_string_value(json_object_get(out, "purpose")),
                                   json_string_value(json_object_get(out, "channel")),
                                   json_is_true(json_object_get(out, "allowed")) ? "yes" : "no");
        json_array_append_new(all, out);
    }
    if (channel) {
        json_t *one = json_incref(json_array_get(all, 0));
        json_decref(all);
        return api_ok(rs, one);
    }
    return api_ok(rs, json_pack("{s:I, s:s, s:o}", "customer", (json_int_t)id, "purpose", purpose ? purpose : "marketing",
                                "channels", all));
}

/* The latest analysis scores (value level, pyramid level, RFM cell, CLV, segments) and the latest
 * prediction of each active model, with its reasons. */
int api_scores_get(api_req *rq, api_resp *rs)
{
    int64_t id;
    int st = api_customer_of(rq, rs, 0, &id, NULL);
    if (st)
        return st;
    json_t *a, *m;
    rp_error err = RP_ERROR_INIT;
    if (an_scores(rq->w, id, &a, &err))
        return api_fail(rs, &err);
    if (mdl_customer_scores(wh_store(rq->w), id, &m, &err)) {
        json_decref(a);
        return api_fail(rs, &err);
    }
    snprintf(rq->detail, sizeof rq->detail, "scores");
    return api_ok(rs, json_pack("{s:I, s:o, s:o}", "customer", (json_int_t)id, "scores", a, "predictions", m));
}

/* The consents in force, and every consent ever recorded (newest first). */
int api_consents_get(api_req *rq, api_resp *rs)
{
    int64_t id;
    json_t *doc;
    int st = api_customer_of(rq, rs, 0, &id, &doc);
    if (st)
        return st;
    json_t *now = json_incref(json_object_get(doc, "consents")), *hist;
    json_decref(doc);
    rp_error err = RP_ERROR_INIT;
    if (wh_consent_history(rq->w, id, &hist, &err)) {
        json_decref(now);
        return api_fail(rs, &err);
    }
    return api_ok(rs, json_pack("{s:I, s:o, s:o}", "customer", (json_int_t)id, "consents", now, "history", hist));
}

int api_consent_set(api_req *rq, api_resp *rs)
{
    int64_t id;
    int st = api_customer_of(rq, rs, 0, &id, NULL);
    if (st)
        return st;
    static const char *const keys[] = { "purpose", "channel", "granted", "evidence", "effective_at", NULL };
    rp_error err = RP_ERROR_INIT;
    wh_consent c = { .party_id = id, .channel = "any", .recorded_by = rq->session.user.name };
    if (rp_json_check_keys(rq->body, "body", keys, &err) ||
        rp_json_get_str(rq->body, "body", "purpose", 1, &c.purpose, &err) ||
        rp_json_get_str(rq->body, "body", "channel", 0, &c.channel, &err) ||
        rp_json_get_bool(rq->body, "body", "granted", 1, &c.granted, &err) ||
        rp_json_get_str(rq->body, "body", "evidence", 1, &c.evidence, &err) ||
        rp_json_get_str(rq->body, "body", "effective_at", 0, &c.effective_at, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    if (!*c.evidence)
        return api_error(rs, 422, "invalid", "body.evidence: how the customer gave or withdrew consent");
    if ((st = api_body_in(rs, "purpose", c.purpose, wh_consent_purposes)) ||
        (st = api_body_in(rs, "channel", c.channel, wh_consent_channels)) ||
        (st = api_body_max(rs, "evidence", c.evidence, WH_EVIDENCE_MAX)))
        return st;
    if (wh_consent_set(rq->w, &c, &err))
        return api_fail_body(rs, &err, "consent");
    snprintf(rq->detail, sizeof rq->detail, "%s/%s %s", c.purpose, c.channel, c.granted ? "granted" : "withdrawn");
    rq->audit_action = "change";
    return api_consents_get(rq, rs);
}

/* Follow-ups due: the viewer's own (who=me) or their branch's (who=branch; the bank's for a role
 * of every branch), by due (today in Taipei by default). */
int api_follow_ups(api_req *rq, api_resp *rs)
{
    const char *who = api_query(rq, "who"), *due = api_query(rq, "due");
    if (!who)
        who = "me";
    if (strcmp(who, "me") && strcmp(who, "branch"))
        return api_error(rs, 422, "invalid", "who: me or branch, not '%.20s'", who);
    char today[RP_DATE_LEN];
    rp_date_format(rp_time_taipei_date(rp_now()), today);
    int y, m, d, limit, st;
    if (due && (strlen(due) != 10 || sscanf(due, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31))
        return api_error(rs, 422, "invalid", "due: not a date (YYYY-MM-DD)");
    if ((st = api_limit(rq, rs, 200, 1000, &limit)))
        return st;
    json_t *list;
    rp_error err = RP_ERROR_INIT;
    if (wh_follow_ups(rq->w, due ? due : today, !strcmp(who, "me") ? rq->session.user.name : NULL, rq->scope_branch,
                      limit, &list, &err))
        return api_fail(rs, &err);
    snprintf(rq->detail, sizeof rq->detail, "who=%s due=%s: %zu", who, due ? due : today, json_array_size(list));
    return api_ok(rs, json_pack("{s:s, s:s, s:o}", "due", due ? due : today, "who", who, "follow_ups", list));
}
