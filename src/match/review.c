/* review.c — what people decide: the pairs waiting for review, accepting
 * or rejecting one, and merging or unmerging customers by hand.  Each
 * decision is kept in match_decision with who, when and why, and applied
 * by the next run.  See match.h. */
#include "match/internal.h"
#include "core/rtime.h"

#include <stdio.h>
#include <string.h>

/* The next run resolves these records again. */
static int requeue(wh *w, int64_t a, int64_t b, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "INSERT INTO match_queue(party_id) VALUES (?), (?) ON CONFLICT DO NOTHING", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, a);
    rp_stmt_bind_int(st, 2, b);
    return rp_stmt_run(st, err);
}

/* Every decision is kept with who, when and why (pair 0: none). */
static int decision(wh *w, const char *action, int64_t pair, int64_t party, int64_t other, const char *by,
                    const char *note, const char *now, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "INSERT INTO match_decision(at, by_user, action, pair_id, party, other, note) "
                              "VALUES (?,?,?,?,?,?,?)",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, now);
    rp_stmt_bind_text(st, 2, by);
    rp_stmt_bind_text(st, 3, action);
    if (pair)
        rp_stmt_bind_int(st, 4, pair);
    else
        rp_stmt_bind_null(st, 4);
    rp_stmt_bind_int(st, 5, party);
    rp_stmt_bind_int(st, 6, other);
    rp_stmt_bind_text(st, 7, note);
    return rp_stmt_run(st, err);
}

int mt_review_list(wh *w, int limit, json_t **out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT id, a_party, b_party, probability, weight, evidence FROM match_pair "
                              "WHERE status = 'review' ORDER BY probability DESC, id LIMIT ?",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, limit > 0 ? limit : 100);
    json_t *arr = json_array();
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        json_t *ev = json_loads(rp_stmt_text(st, 5) ? rp_stmt_text(st, 5) : "{}", 0, NULL);
        json_array_append_new(arr, json_pack("{s:I, s:I, s:I, s:f, s:f, s:o}", "pair", (json_int_t)rp_stmt_int(st, 0),
                                             "a", (json_int_t)rp_stmt_int(st, 1), "b", (json_int_t)rp_stmt_int(st, 2),
                                             "probability", rp_stmt_real(st, 3), "weight", rp_stmt_real(st, 4),
                                             "evidence", ev ? ev : json_object()));
    }
    rp_stmt_done(st);
    if (rc != RP_DONE) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return RP_OK;
}

int mt_decide(wh *w, int64_t pair, int accept, const char *by, const char *note, rp_error *err)
{
    if (note && strlen(note) > MT_NOTE_MAX)
        return rp_err(err, RP_TOOBIG, "note: longer than %d bytes", MT_NOTE_MAX);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "SELECT status, a_party, b_party FROM match_pair WHERE id = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, pair);
    rc = rp_stmt_step(st, err);
    char status[16] = "";
    int64_t a = 0, b = 0;
    if (rc == RP_ROW) {
        snprintf(status, sizeof status, "%s", rp_stmt_text(st, 0));
        a = rp_stmt_int(st, 1);
        b = rp_stmt_int(st, 2);
    }
    rp_stmt_done(st);
    if (rc == RP_DONE)
        return rp_err(err, RP_NOTFOUND, "no pair %lld (rapport match review lists them)", (long long)pair);
    if (rc != RP_ROW)
        return rc;
    if (strcmp(status, "review") != 0)
        return rp_err(err, RP_EXISTS, "pair %lld was already decided: %s", (long long)pair, status);
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    if ((rc = wh_begin(w, err)))
        return rc;
    if (!(rc = rp_store_prepare(wh_store(w),
                                "UPDATE match_pair SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?", &st,
                                err))) {
        rp_stmt_bind_text(st, 1, accept ? "accepted" : "rejected");
        rp_stmt_bind_text(st, 2, by);
        rp_stmt_bind_text(st, 3, now);
        rp_stmt_bind_int(st, 4, pair);
        rc = rp_stmt_run(st, err);
    }
    if (!rc)
        rc = decision(w, accept ? "accept" : "reject", pair, a, b, by, note, now, err);
    if (!rc)
        rc = requeue(w, a, b, err);
    if (rc || (rc = wh_commit(w, err))) {
        wh_rollback(w);
        return rc;
    }
    return RP_OK;
}

/* ---- by hand ---- */

static int pair_decided(wh *w, int64_t a, int64_t b, const char *status, const char *by, const char *now,
                        rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "INSERT INTO match_pair(a_party, b_party, status, decided_by, decided_at) VALUES (?,?,?,?,?) "
                              "ON CONFLICT(a_party, b_party) DO UPDATE SET status = excluded.status, decided_by = "
                              "excluded.decided_by, decided_at = excluded.decided_at",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, a < b ? a : b);
    rp_stmt_bind_int(st, 2, a < b ? b : a);
    rp_stmt_bind_text(st, 3, status);
    rp_stmt_bind_text(st, 4, by);
    rp_stmt_bind_text(st, 5, now);
    return rp_stmt_run(st, err);
}

int mt_merge(wh *w, int64_t a, int64_t b, const mt_options *o, const char *by, const char *note, mt_run_stats *st,
             rp_error *err)
{
    int64_t pa, pb, ma, mb;
    int rc;
    if ((rc = wh_party_customer(w, a, &pa, &ma, err)) || (rc = wh_party_customer(w, b, &pb, &mb, err)))
        return rc;
    if (pa == pb)
        return rp_err(err, RP_EXISTS, "%lld and %lld are already one customer (#%lld)", (long long)a, (long long)b,
                      (long long)pa);
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    if ((rc = wh_begin(w, err)))
        return rc;
    if ((rc = pair_decided(w, ma, mb, "accepted", by, now, err)) ||
        (rc = decision(w, "merge", 0, pa, pb, by, note, now, err)) || (rc = requeue(w, ma, mb, err)) ||
        (rc = wh_commit(w, err))) {
        wh_rollback(w);
        return rc;
    }
    return mt_run(w, o, by, st, err);
}

int mt_unmerge(wh *w, int64_t person, const char *source, const char *key, const mt_options *o, const char *by,
               const char *note, mt_run_stats *st, rp_error *err)
{
    int64_t sp;
    rp_error e = RP_ERROR_INIT;
    int rc = wh_party_by_source(w, source, key, &sp, &e);
    if (rc == RP_NOTFOUND)
        return rp_err(err, RP_NOTFOUND, "no source record %s:%s", source, key);
    if (rc)
        return rp_err(err, rc, "%s", rp_errmsg(&e));
    int64_t of, one;
    if ((rc = wh_party_customer(w, sp, &of, &one, err)))
        return rc;
    if (of != person)
        return rp_err(err, RP_INVAL, "%s:%s is not part of customer #%lld (it is customer #%lld)", source, key,
                      (long long)person, (long long)of);
    if (of == sp)
        return rp_err(err, RP_INVAL, "%s:%s is a customer on its own: there is nothing to take it out of", source, key);
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    if ((rc = wh_begin(w, err)))
        return rc;
    int64_t others[4096];
    size_t n = 0;
    rc = wh_person_members(w, person, sp, others, sizeof others / sizeof *others, &n, err);
    for (size_t i = 0; i < n && !rc; i++)
        rc = pair_decided(w, sp, others[i], "rejected", by, now, err);
    if (rc || (rc = decision(w, "unmerge", 0, person, sp, by, note, now, err)) || (rc = requeue(w, sp, sp, err)) ||
        (rc = wh_commit(w, err))) {
        wh_rollback(w);
        return rc;
    }
    return mt_run(w, o, by, st, err);
}
