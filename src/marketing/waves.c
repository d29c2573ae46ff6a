/* waves.c — a campaign's waves (table campaign_wave): the days its contacts go out and the share of its
 * targets each takes.  A draft's waves are designed (each change drops its selection, as a cell's
 * does); the selection gives every target, treated and control alike, a wave drawn from its seed;
 * a wave's customers are exported, mailed and dialled from its first day; results are counted by
 * wave.  See marketing.h. */
#include "marketing/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The campaign's dates ("" when not set), read in the caller's transaction. */
static int campaign_dates(wh *w, const char *code, char start[RP_DATE_LEN], char end[RP_DATE_LEN], rp_error *err)
{
    json_t *c;
    int rc = wh_campaign_find(w, code, &c, err);
    if (rc)
        return rc;
    const char *s = json_string_value(json_object_get(c, "start_date")), *e = json_string_value(json_object_get(c, "end_date"));
    snprintf(start, RP_DATE_LEN, "%.10s", s ? s : "");
    snprintf(end, RP_DATE_LEN, "%.10s", e ? e : "");
    json_decref(c);
    return RP_OK;
}

/* The other waves' first days: a wave starts on or after the one before it and on or before the one
 * after it (so that the waves open in their order). */
static int order_ok(wh *w, const mk_wave *v, const char *starts, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "SELECT wave, starts_on FROM campaign_wave WHERE campaign = ? AND wave <> ? "
                                           "ORDER BY wave",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, v->campaign);
    rp_stmt_bind_int(st, 2, v->wave);
    int64_t n = 0;
    while (!rc && (rc = rp_stmt_step(st, err)) == RP_ROW) {
        int64_t k = rp_stmt_int(st, 0);
        const char *s = rp_stmt_text(st, 1);
        n++;
        rc = RP_OK;
        if (k < v->wave && strcmp(s, starts) > 0)
            rc = rp_err(err, RP_INVAL, "wave.starts_on: %s is before wave %lld's first day (%s): the waves go out in "
                                       "their order", starts, (long long)k, s);
        else if (k > v->wave && strcmp(s, starts) < 0)
            rc = rp_err(err, RP_INVAL, "wave.starts_on: %s is after wave %lld's first day (%s): the waves go out in "
                                       "their order", starts, (long long)k, s);
    }
    rp_stmt_done(st);
    if (rc == RP_DONE)
        rc = RP_OK;
    if (!rc && n >= MK_MAX_WAVES)
        rc = rp_err(err, RP_TOOBIG, "campaign %s has %d waves, the most a campaign takes", v->campaign, MK_MAX_WAVES);
    return rc;
}

static int put_wave(wh *w, const mk_wave *v, const char *by, rp_error *err)
{
    char start[RP_DATE_LEN], end[RP_DATE_LEN], d[2][11];
    const char *starts, *ends = NULL;
    int rc = mk__draft_only(w, v->campaign, "waves", err);
    if (!rc)
        rc = campaign_dates(w, v->campaign, start, end, err);
    if (!rc)
        rc = wh_date_normalise("wave.starts_on", v->starts_on, d[0], &starts, err);
    if (!rc && v->ends_on)
        rc = wh_date_normalise("wave.ends_on", v->ends_on, d[1], &ends, err);
    if (rc)
        return rc;
    if (ends && strcmp(ends, starts) < 0)
        return rp_err(err, RP_INVAL, "wave.ends_on: %s is before its first day (%s)", ends, starts);
    if (*start && strcmp(starts, start) < 0)
        return rp_err(err, RP_INVAL, "wave.starts_on: %s is before the campaign starts (%s)", starts, start);
    if (*end && strcmp(ends ? ends : starts, end) > 0)
        return rp_err(err, RP_INVAL, "wave.%s: %s is after the campaign ends (%s)", ends ? "ends_on" : "starts_on",
                      ends ? ends : starts, end);
    if ((rc = order_ok(w, v, starts, err)))
        return rc;
    rp_stmt *st;
    if ((rc = rp_store_prepare(wh_store(w),
                               "INSERT INTO campaign_wave(campaign, wave, starts_on, ends_on, share) VALUES (?1,?2,?3,?4,?5) "
                               "ON CONFLICT(campaign, wave) DO UPDATE SET starts_on = ?3, ends_on = ?4, share = ?5",
                               &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, v->campaign);
    rp_stmt_bind_int(st, 2, v->wave);
    rp_stmt_bind_text(st, 3, starts);
    rp_stmt_bind_text(st, 4, ends);
    rp_stmt_bind_real(st, 5, v->share > 0 ? v->share : 1);
    char detail[160];
    snprintf(detail, sizeof detail, "wave %d: from %s%s%s, share %g", v->wave, starts, ends ? " to " : "",
             ends ? ends : "", v->share > 0 ? v->share : 1);
    if ((rc = rp_stmt_run(st, err)) || (rc = mk__touch(w, v->campaign, err)))
        return rc;
    return mk__log(w, v->campaign, by, "wave", "draft", "draft", detail, err);
}

int mk_wave_put(wh *w, const mk_wave *v, const char *by, rp_error *err)
{
    if (v->wave < 1 || v->wave > MK_MAX_WAVES)
        return rp_err(err, RP_INVAL, "wave.wave: a number from 1 to %d, not %d", MK_MAX_WAVES, v->wave);
    if (!v->starts_on || !*v->starts_on)
        return rp_err(err, RP_INVAL, "wave.starts_on: the wave's first day is required");
    if (v->share < 0 || !isfinite(v->share) || v->share > 1000)
        return rp_err(err, RP_INVAL, "wave.share: a positive weight");
    int rc = wh_begin(w, err);
    if (rc)
        return rc;
    if ((rc = put_wave(w, v, by, err)) || (rc = wh_commit(w, err)))
        wh_rollback(w);
    return rc;
}

static int remove_wave(wh *w, const char *campaign, int wave, const char *by, rp_error *err)
{
    int rc = mk__draft_only(w, campaign, "waves", err);
    rp_stmt *st;
    if (rc || (rc = rp_store_prepare(wh_store(w), "DELETE FROM campaign_wave WHERE campaign = ? AND wave = ?", &st, err)))
        return rc;
    rp_stmt_bind_text(st, 1, campaign);
    rp_stmt_bind_int(st, 2, wave);
    if ((rc = rp_stmt_run(st, err)))
        return rc;
    if (!rp_store_changes(wh_store(w)))
        return rp_err(err, RP_NOTFOUND, "campaign %s has no wave %d", campaign, wave);
    char detail[40];
    snprintf(detail, sizeof detail, "wave %d removed", wave);
    if ((rc = mk__touch(w, campaign, err)))
        return rc;
    return mk__log(w, campaign, by, "wave", "draft", "draft", detail, err);
}

int mk_wave_remove(wh *w, const char *campaign, int wave, const char *by, rp_error *err)
{
    int rc = wh_begin(w, err);
    if (rc)
        return rc;
    if ((rc = remove_wave(w, campaign, wave, by, err)) || (rc = wh_commit(w, err)))
        wh_rollback(w);
    return rc;
}

int mk__waves_json(wh *w, const char *code, json_t *doc, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT wave, starts_on, ends_on, share FROM campaign_wave WHERE campaign = ? ORDER BY wave",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, code);
    json_t *arr = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW)
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s?, s:f}", "wave", (json_int_t)rp_stmt_int(st, 0), "starts_on",
                                             rp_stmt_text(st, 1), "ends_on", rp_stmt_text(st, 2), "share",
                                             rp_stmt_real(st, 3)));
    rp_stmt_done(st);
    json_object_set_new(doc, "waves", arr);
    return rc == RP_DONE ? RP_OK : rc;
}

void mk__waves_read(const json_t *doc, mk__waves *v)
{
    memset(v, 0, sizeof *v);
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(doc, "waves"), i, x) {
        if (v->n == MK_MAX_WAVES)
            break;
        int k = v->n++;
        v->wave[k] = (int)json_integer_value(json_object_get(x, "wave"));
        v->share[k] = json_number_value(json_object_get(x, "share"));
        snprintf(v->starts[k], sizeof v->starts[k], "%.10s", json_string_value(json_object_get(x, "starts_on")));
        const char *e = json_string_value(json_object_get(x, "ends_on"));
        snprintf(v->ends[k], sizeof v->ends[k], "%.10s", e ? e : "");
    }
    rp_date_format(rp_time_taipei_date(rp_now()), v->today);
}

int mk__wave_draw(const mk__waves *v, uint64_t seed, int64_t customer)
{
    if (!v->n)
        return 0;
    /* splitmix64 of the seed and the customer: the same draw every time the same design is selected */
    uint64_t z = seed * 0x9E3779B97F4A7C15ull + (uint64_t)customer + 0x632BE59BD9B4E019ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    double total = 0, u = (double)(z >> 11) / 9007199254740992.0, at = 0;
    for (int k = 0; k < v->n; k++)
        total += v->share[k] > 0 ? v->share[k] : 1;
    for (int k = 0; k < v->n; k++) {
        at += (v->share[k] > 0 ? v->share[k] : 1) / total;
        if (u < at)
            return v->wave[k];
    }
    return v->wave[v->n - 1];
}

int mk__wave_state(const mk__waves *v, int wave)
{
    if (wave <= 0 || !v->n)
        return 0;
    for (int k = 0; k < v->n; k++)
        if (v->wave[k] == wave)
            return strcmp(v->starts[k], v->today) > 0 ? -1 : v->ends[k][0] && strcmp(v->ends[k], v->today) < 0 ? 1 : 0;
    return -1; /* a wave the design no longer has: not sent until selected again */
}

int mk__waves_within(wh *w, const char *code, const char *start, const char *end, rp_error *err)
{
    json_t *doc = json_object();
    int rc = mk__waves_json(w, code, doc, err);
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(doc, "waves"), i, x) {
        const char *s = json_string_value(json_object_get(x, "starts_on")),
                   *e = json_string_value(json_object_get(x, "ends_on"));
        int k = (int)json_integer_value(json_object_get(x, "wave"));
        if (rc)
            break;
        if (start && *start && strcmp(s, start) < 0)
            rc = rp_err(err, RP_INVAL, "campaign.start_date: %s is after wave %d's first day (%s): change the wave first",
                        start, k, s);
        else if (end && *end && strcmp(e ? e : s, end) > 0)
            rc = rp_err(err, RP_INVAL, "campaign.end_date: %s is before wave %d's %s day (%s): change the wave first",
                        end, k, e ? "last" : "first", e ? e : s);
    }
    json_decref(doc);
    return rc;
}
