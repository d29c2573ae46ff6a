/* run.c — identity resolution written to the store.  See run.h. */
#include "match/run.h"
#include "core/json.h"
#include "core/map.h"
#include "core/rtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lower is more trusted. */
static int trust(const char *source)
{
    static const char *const order[] = { "host", "card", "online", NULL };
    for (int i = 0; order[i]; i++)
        if (strcmp(source, order[i]) == 0)
            return i;
    return 9;
}

typedef struct member {
    uint32_t rec;
    int trust;
} member;

static int by_trust(const void *a, const void *b)
{
    const member *x = a, *y = b;
    return x->trust != y->trust ? x->trust - y->trust : (x->rec > y->rec) - (x->rec < y->rec);
}

#define ATTRS 9

/* The survivors' values and the person this cluster already is, if any. */
static int person_for(wh *w, const mt_records *m, member *mem, size_t k, int64_t *person, rp_error *err)
{
    char val[ATTRS][256];
    int have[ATTRS] = { 0 };
    int64_t prior = 0;
    int prior_votes = 0, any_active = 0;
    rp_map *votes = rp_map_new();
    if (!votes)
        return rp_err(err, RP_NOMEM, NULL);
    int rc = RP_OK;
    for (size_t i = 0; i < k && !rc; i++) {
        rp_stmt *st;
        if ((rc = rp_store_prepare(w->store,
                                   "SELECT kind, name_zh, name_latin, birth_date, gender, occupation, income_band, "
                                   "home_branch, status, merged_into FROM party WHERE id = ?",
                                   &st, err)))
            break;
        rp_stmt_bind_int(st, 1, m->r[mem[i].rec].party);
        if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
            rc = RP_OK;
            for (int a = 0; a < ATTRS; a++) {
                const char *t = rp_stmt_text(st, a);
                if (t && *t && !have[a]) {
                    snprintf(val[a], sizeof val[a], "%s", t);
                    have[a] = 1;
                }
            }
            const char *status = rp_stmt_text(st, 8);
            any_active |= status && !strcmp(status, "active");
            int64_t mi = rp_stmt_int(st, 9);
            if (mi) {
                intptr_t v = (intptr_t)rp_map_get(votes, &mi, sizeof mi) + 1;
                rp_map_put(votes, &mi, sizeof mi, (void *)v, NULL);
                if (v > prior_votes) {
                    prior_votes = (int)v;
                    prior = mi;
                }
            }
        }
        rp_stmt_done(st);
    }
    rp_map_free(votes, NULL);
    if (rc)
        return rc;
    if (any_active || !have[8]) /* a person is active while any of their records is */
        snprintf(val[8], sizeof val[8], "active");
    have[8] = 1;
    rp_stmt *st;
    if (prior) {
        *person = prior;
        if ((rc = rp_store_prepare(w->store,
                                   "UPDATE party SET kind = ?, name_zh = ?, name_latin = ?, birth_date = ?, gender = ?, "
                                   "occupation = ?, income_band = ?, home_branch = ?, status = ?, updated_at = ? "
                                   "WHERE id = ? AND resolved = 1",
                                   &st, err)))
            return rc;
        for (int a = 0; a < ATTRS; a++)
            rp_stmt_bind_text(st, a + 1, have[a] ? val[a] : NULL);
        char now[RP_TIME_UTC_LEN];
        rp_time_format_utc(rp_now(), now);
        rp_stmt_bind_text(st, 10, now);
        rp_stmt_bind_int(st, 11, prior);
        return rp_stmt_run(st, err);
    }
    wh_party p = { 0 };
    p.kind = have[0] ? val[0] : "person";
    p.name_zh = have[1] ? val[1] : NULL;
    p.name_latin = have[2] ? val[2] : NULL;
    p.birth_date = have[3] ? val[3] : NULL;
    p.gender = have[4] ? val[4] : NULL;
    p.occupation = have[5] ? val[5] : NULL;
    p.income_band = have[6] ? val[6] : NULL;
    p.home_branch = have[7] ? val[7] : NULL;
    p.status = val[8];
    if ((rc = wh_party_add(w, &p, person, err)))
        return rp_err_prefix(err, "the person of party %lld", (long long)m->r[mem[0].rec].party);
    if ((rc = rp_store_prepare(w->store, "UPDATE party SET resolved = 1 WHERE id = ?", &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, *person);
    return rp_stmt_run(st, err);
}

static int set_merged(wh *w, int64_t party, int64_t person, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "UPDATE party SET merged_into = ? WHERE id = ? AND merged_into IS NOT ?", &st, err);
    if (rc)
        return rc;
    if (person)
        rp_stmt_bind_int(st, 1, person);
    else
        rp_stmt_bind_null(st, 1);
    rp_stmt_bind_int(st, 2, party);
    if (person)
        rp_stmt_bind_int(st, 3, person);
    else
        rp_stmt_bind_null(st, 3);
    return rp_stmt_run(st, err);
}

static json_t *evidence(const mt_records *m, const mt_pair *q)
{
    static const char *const words[MT_FIELDS][MT_LEVELS] = {
        { "different", "alike", "close", "same" }, { "different", "one part differs", "same", "" },
        { "different", "same", "", "" },           { "none shared", "shared", "", "" },
        { "different", "same", "", "" },           { "different", "same district", "same", "" },
    };
    const mt_rec *a = &m->r[q->a], *b = &m->r[q->b];
    json_t *o = json_object();
    for (int f = 0; f < MT_FIELDS; f++)
        json_object_set_new(o, mt_field_name(f),
                            json_string(q->level[f] == 255 ? "missing" : words[f][q->level[f]]));
    json_t *names = json_array();
    const mt_rec *rs[2] = { a, b };
    for (int i = 0; i < 2; i++) {
        char s[300];
        snprintf(s, sizeof s, "%s:%s %s%s%s", m->sources[rs[i]->source], mt_text(m, rs[i]->key), mt_text(m, rs[i]->han),
                 rs[i]->han && rs[i]->latin_key ? " / " : "", mt_text(m, rs[i]->latin_key));
        json_array_append_new(names, json_string(s));
    }
    json_object_set_new(o, "records", names);
    json_object_set_new(o, "national_id", json_string(q->id > 0 ? "same" : q->id < 0 ? "different" : "missing"));
    return o;
}

int mt_run(wh *w, const mt_params *prm, const char *by, mt_run_stats *st, rp_error *err)
{
    memset(st, 0, sizeof *st);
    mt_romaniser *ro = NULL;
    mt_records m;
    mt_records_init(&m);
    mt_result r;
    memset(&r, 0, sizeof r);
    rp_map *ix = NULL;
    uint32_t (*must)[2] = NULL, (*cannot)[2] = NULL;
    size_t nmust = 0, ncannot = 0;
    member *mem = NULL;
    uint32_t *next = NULL, *head = NULL;
    int rc = mt_romaniser_open(&ro, err);
    if (rc || (rc = mt_records_load(w, ro, &m, err)))
        goto out;
    /* what people decided */
    if (!(ix = rp_map_new())) {
        rc = rp_err(err, RP_NOMEM, NULL);
        goto out;
    }
    for (size_t i = 0; i < m.n; i++)
        rp_map_put(ix, &m.r[i].party, sizeof m.r[i].party, (void *)(uintptr_t)(i + 1), NULL);
    rp_stmt *q;
    if ((rc = rp_store_prepare(w->store,
                               "SELECT a_party, b_party, status FROM match_pair WHERE status IN ('accepted', 'rejected')",
                               &q, err)))
        goto out;
    while ((rc = rp_stmt_step(q, err)) == RP_ROW) {
        int64_t a = rp_stmt_int(q, 0), b = rp_stmt_int(q, 1);
        uintptr_t ia = (uintptr_t)rp_map_get(ix, &a, sizeof a), ib = (uintptr_t)rp_map_get(ix, &b, sizeof b);
        if (!ia || !ib)
            continue;
        int acc = !strcmp(rp_stmt_text(q, 2), "accepted");
        size_t *cnt = acc ? &nmust : &ncannot;
        uint32_t (**arr)[2] = acc ? &must : &cannot;
        if (*cnt % 256 == 0) {
            void *np = realloc(*arr, (*cnt + 256) * sizeof **arr);
            if (!np) {
                rc = rp_err(err, RP_NOMEM, NULL);
                break;
            }
            *arr = np;
        }
        (*arr)[*cnt][0] = (uint32_t)(ia - 1);
        (*arr)[*cnt][1] = (uint32_t)(ib - 1);
        (*cnt)++;
    }
    rp_stmt_done(q);
    if (rc != RP_DONE)
        goto out;
    mt_constraints c = { (const uint32_t(*)[2])must, nmust, (const uint32_t(*)[2])cannot, ncannot };
    if ((rc = mt_resolve(&m, prm, &c, &r, err)))
        goto out;
    /* clusters as lists: head[root] -> member -> next[member] ... */
    head = malloc((m.n ? m.n : 1) * sizeof *head);
    next = malloc((m.n ? m.n : 1) * sizeof *next);
    mem = malloc((m.n ? m.n : 1) * sizeof *mem);
    if (!head || !next || !mem) {
        rc = rp_err(err, RP_NOMEM, NULL);
        goto out;
    }
    for (size_t i = 0; i < m.n; i++)
        head[i] = UINT32_MAX;
    for (size_t i = m.n; i-- > 0;) {
        next[i] = head[r.cluster[i]];
        head[r.cluster[i]] = (uint32_t)i;
    }
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    if ((rc = rp_store_begin(w->store, err)))
        goto out;
    if ((rc = rp_store_prepare(w->store, "INSERT INTO match_run(started_at, started_by) VALUES (?, ?) RETURNING id", &q,
                               err)))
        goto rollback;
    rp_stmt_bind_text(q, 1, now);
    rp_stmt_bind_text(q, 2, by);
    if ((rc = rp_stmt_step(q, err)) == RP_ROW) {
        st->run = rp_stmt_int(q, 0);
        rc = RP_OK;
    }
    rp_stmt_done(q);
    if (rc)
        goto rollback;
    /* persons of two or more records first, then the records alone: one keeps
     * its person (and the person's number) when no other record is in it now */
    rp_map *used = rp_map_new();
    if (!used)
        rc = rp_err(err, RP_NOMEM, NULL);
    /* the records alone in trust order: the host's record keeps a person before the card's */
    member *alone = malloc((m.n ? m.n : 1) * sizeof *alone);
    size_t nalone = 0;
    if (!alone && !rc)
        rc = rp_err(err, RP_NOMEM, NULL);
    for (size_t root = 0; root < m.n && !rc; root++)
        if (head[root] != UINT32_MAX && next[head[root]] == UINT32_MAX)
            alone[nalone++] = (member){ head[root], trust(m.sources[m.r[head[root]].source]) };
    if (!rc)
        qsort(alone, nalone, sizeof *alone, by_trust);
    for (int pass = 0; pass < 2 && !rc; pass++)
        for (size_t it = 0; it < (pass ? nalone : m.n) && !rc; it++) {
            size_t root = pass ? alone[it].rec : it;
            if (head[root] == UINT32_MAX)
                continue;
            size_t k = 0;
            for (uint32_t i = head[root]; i != UINT32_MAX; i = next[i])
                mem[k++] = (member){ i, trust(m.sources[m.r[i].source]) };
            if ((k == 1) != (pass == 1))
                continue;
            int64_t person = 0;
            if (k == 1) {
                if ((rc = rp_store_prepare(w->store, "SELECT merged_into FROM party WHERE id = ?", &q, err)))
                    break;
                rp_stmt_bind_int(q, 1, m.r[mem[0].rec].party);
                if ((rc = rp_stmt_step(q, err)) == RP_ROW)
                    person = rp_stmt_int(q, 0);
                rp_stmt_done(q);
                if (rc != RP_ROW && rc != RP_DONE)
                    break;
                rc = RP_OK;
                if (person && rp_map_get(used, &person, sizeof person))
                    person = 0;
                if (person) /* still one customer, of one record: not counted as joined */
                    rp_map_put(used, &person, sizeof person, (void *)1, NULL);
                rc = set_merged(w, m.r[mem[0].rec].party, person, err);
                continue;
            }
            qsort(mem, k, sizeof *mem, by_trust);
            if ((rc = person_for(w, &m, mem, k, &person, err)))
                break;
            rp_map_put(used, &person, sizeof person, (void *)1, NULL);
            for (size_t i = 0; i < k && !rc; i++)
                rc = set_merged(w, m.r[mem[i].rec].party, person, err);
            st->persons++;
            st->merged_records += k;
        }
    rp_map_free(used, NULL);
    free(alone);
    /* pairs for a person: kept with their evidence, unless already decided */
    for (size_t i = 0; i < r.npairs && !rc; i++) {
        const mt_pair *p = &r.pairs[i];
        if (p->decision != MT_REVIEW)
            continue;
        int64_t a = m.r[p->a].party, b = m.r[p->b].party;
        json_t *ev = evidence(&m, p);
        rp_buf eb = RP_BUF_INIT;
        rp_json_dump(ev, 0, &eb);
        json_decref(ev);
        if (!(rc = rp_store_prepare(w->store,
                                    "INSERT INTO match_pair(a_party, b_party, run_id, weight, probability, evidence) "
                                    "VALUES (?,?,?,?,?,?) ON CONFLICT(a_party, b_party) DO UPDATE SET run_id = "
                                    "excluded.run_id, weight = excluded.weight, probability = excluded.probability, "
                                    "evidence = excluded.evidence",
                                    &q, err))) {
            rp_stmt_bind_int(q, 1, a < b ? a : b);
            rp_stmt_bind_int(q, 2, a < b ? b : a);
            rp_stmt_bind_int(q, 3, st->run);
            rp_stmt_bind_real(q, 4, p->weight);
            rp_stmt_bind_real(q, 5, p->prob);
            rp_stmt_bind_text(q, 6, rp_buf_str(&eb));
            rc = rp_stmt_run(q, err);
        }
        rp_buf_release(&eb);
    }
    if (rc)
        goto rollback;
    st->records = m.n;
    st->pairs = r.npairs;
    st->links = r.links;
    /* waiting: what this run kept for review and nobody has decided yet */
    if ((rc = rp_store_prepare(w->store, "SELECT count(*) FROM match_pair WHERE status = 'review' AND run_id = ?", &q,
                               err)))
        goto rollback;
    rp_stmt_bind_int(q, 1, st->run);
    if ((rc = rp_stmt_step(q, err)) == RP_ROW) {
        st->reviews = (size_t)rp_stmt_int(q, 0);
        rc = RP_OK;
    }
    rp_stmt_done(q);
    if (rc)
        goto rollback;
    st->seconds = r.seconds;
    json_t *model = json_object();
    json_object_set_new(model, "link_at", json_real(prm->link_at));
    json_object_set_new(model, "review_at", json_real(prm->review_at));
    json_object_set_new(model, "match_share", json_real(r.p));
    for (int f = 0; f < MT_FIELDS; f++) {
        json_t *fo = json_object(), *jm = json_array(), *ju = json_array();
        for (int l = 0; l < MT_LEVELS; l++) {
            json_array_append_new(jm, json_real(r.m[f][l]));
            json_array_append_new(ju, json_real(r.u[f][l]));
        }
        json_object_set_new(fo, "m", jm);
        json_object_set_new(fo, "u", ju);
        json_object_set_new(model, mt_field_name(f), fo);
    }
    rp_buf mb = RP_BUF_INIT;
    rp_json_dump(model, 0, &mb);
    json_decref(model);
    rp_time_format_utc(rp_now(), now);
    if (!(rc = rp_store_prepare(w->store,
                                "UPDATE match_run SET finished_at = ?, records = ?, pairs = ?, links = ?, reviews = ?, "
                                "persons = ?, seconds = ?, model = ? WHERE id = ?",
                                &q, err))) {
        rp_stmt_bind_text(q, 1, now);
        rp_stmt_bind_int(q, 2, (int64_t)st->records);
        rp_stmt_bind_int(q, 3, (int64_t)st->pairs);
        rp_stmt_bind_int(q, 4, (int64_t)st->links);
        rp_stmt_bind_int(q, 5, (int64_t)st->reviews);
        rp_stmt_bind_int(q, 6, (int64_t)st->persons);
        rp_stmt_bind_real(q, 7, st->seconds);
        rp_stmt_bind_text(q, 8, rp_buf_str(&mb));
        rp_stmt_bind_int(q, 9, st->run);
        rc = rp_stmt_run(q, err);
    }
    rp_buf_release(&mb);
    if (rc || (rc = rp_store_commit(w->store, err)))
        goto rollback;
    goto out;
rollback:
    rp_store_rollback(w->store);
out:
    free(head);
    free(next);
    free(mem);
    free(must);
    free(cannot);
    rp_map_free(ix, NULL);
    mt_result_free(&r);
    mt_records_free(&m);
    mt_romaniser_close(ro);
    return rc;
}

int mt_decide(wh *w, int64_t pair, int accept, const char *by, const char *note, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store, "SELECT status, a_party, b_party FROM match_pair WHERE id = ?", &st, err);
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
    if ((rc = rp_store_begin(w->store, err)))
        return rc;
    if (!(rc = rp_store_prepare(w->store,
                                "UPDATE match_pair SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?", &st,
                                err))) {
        rp_stmt_bind_text(st, 1, accept ? "accepted" : "rejected");
        rp_stmt_bind_text(st, 2, by);
        rp_stmt_bind_text(st, 3, now);
        rp_stmt_bind_int(st, 4, pair);
        rc = rp_stmt_run(st, err);
    }
    if (!rc && !(rc = rp_store_prepare(w->store,
                                       "INSERT INTO match_decision(at, by_user, action, pair_id, party, other, note) "
                                       "VALUES (?,?,?,?,?,?,?)",
                                       &st, err))) {
        rp_stmt_bind_text(st, 1, now);
        rp_stmt_bind_text(st, 2, by);
        rp_stmt_bind_text(st, 3, accept ? "accept" : "reject");
        rp_stmt_bind_int(st, 4, pair);
        rp_stmt_bind_int(st, 5, a);
        rp_stmt_bind_int(st, 6, b);
        rp_stmt_bind_text(st, 7, note);
        rc = rp_stmt_run(st, err);
    }
    if (rc || (rc = rp_store_commit(w->store, err))) {
        rp_store_rollback(w->store);
        return rc;
    }
    return RP_OK;
}

/* ---- by hand ---- */

/* The customer a party is shown as, and one of its source parties. */
static int person_and_member(wh *w, int64_t party, int64_t *person, int64_t *one, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store, "SELECT coalesce(merged_into, id), resolved FROM party WHERE id = ?", &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, party);
    int resolved = 0;
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        *person = rp_stmt_int(st, 0);
        resolved = (int)rp_stmt_int(st, 1);
    }
    rp_stmt_done(st);
    if (rc == RP_DONE)
        return rp_err(err, RP_NOTFOUND, "no party %lld", (long long)party);
    if (rc != RP_ROW)
        return rc;
    *one = party;
    if (!resolved)
        return RP_OK;
    if ((rc = rp_store_prepare(w->store, "SELECT min(id) FROM party WHERE merged_into = ?", &st, err)))
        return rc;
    rp_stmt_bind_int(st, 1, party);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW && rp_stmt_int(st, 0))
        *one = rp_stmt_int(st, 0);
    rp_stmt_done(st);
    return rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
}

static int pair_decided(wh *w, int64_t a, int64_t b, const char *status, const char *by, const char *now,
                        rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
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

static int decision(wh *w, const char *action, int64_t party, int64_t other, const char *by, const char *note,
                    const char *now, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "INSERT INTO match_decision(at, by_user, action, party, other, note) VALUES (?,?,?,?,?,?)",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, now);
    rp_stmt_bind_text(st, 2, by);
    rp_stmt_bind_text(st, 3, action);
    rp_stmt_bind_int(st, 4, party);
    rp_stmt_bind_int(st, 5, other);
    rp_stmt_bind_text(st, 6, note);
    return rp_stmt_run(st, err);
}

int mt_merge(wh *w, int64_t a, int64_t b, const char *by, const char *note, mt_run_stats *st, rp_error *err)
{
    int64_t pa, pb, ma, mb;
    int rc;
    if ((rc = person_and_member(w, a, &pa, &ma, err)) || (rc = person_and_member(w, b, &pb, &mb, err)))
        return rc;
    if (pa == pb)
        return rp_err(err, RP_EXISTS, "%lld and %lld are already one customer (#%lld)", (long long)a, (long long)b,
                      (long long)pa);
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    if ((rc = rp_store_begin(w->store, err)))
        return rc;
    if ((rc = pair_decided(w, ma, mb, "accepted", by, now, err)) ||
        (rc = decision(w, "merge", pa, pb, by, note, now, err)) || (rc = rp_store_commit(w->store, err))) {
        rp_store_rollback(w->store);
        return rc;
    }
    mt_params p = MT_PARAMS_DEFAULT;
    return mt_run(w, &p, by, st, err);
}

int mt_unmerge(wh *w, int64_t person, const char *source, const char *key, const char *by, const char *note,
               mt_run_stats *st, rp_error *err)
{
    int64_t sp;
    rp_error e = RP_ERROR_INIT;
    int rc = wh_party_by_source(w, source, key, &sp, &e);
    if (rc == RP_NOTFOUND)
        return rp_err(err, RP_NOTFOUND, "no source record %s:%s", source, key);
    if (rc)
        return rp_err(err, rc, "%s", rp_errmsg(&e));
    int64_t of, one;
    if ((rc = person_and_member(w, sp, &of, &one, err)))
        return rc;
    if (of != person)
        return rp_err(err, RP_INVAL, "%s:%s is not part of customer #%lld (it is customer #%lld)", source, key,
                      (long long)person, (long long)of);
    if (of == sp)
        return rp_err(err, RP_INVAL, "%s:%s is a customer on its own: there is nothing to take it out of", source, key);
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    if ((rc = rp_store_begin(w->store, err)))
        return rc;
    rp_stmt *q;
    if (!(rc = rp_store_prepare(w->store, "SELECT id FROM party WHERE merged_into = ? AND id <> ?", &q, err))) {
        rp_stmt_bind_int(q, 1, person);
        rp_stmt_bind_int(q, 2, sp);
        int64_t others[4096];
        size_t n = 0;
        while ((rc = rp_stmt_step(q, err)) == RP_ROW && n < 4096)
            others[n++] = rp_stmt_int(q, 0);
        rp_stmt_done(q);
        rc = rc == RP_ROW || rc == RP_DONE ? RP_OK : rc;
        for (size_t i = 0; i < n && !rc; i++)
            rc = pair_decided(w, sp, others[i], "rejected", by, now, err);
    }
    if (rc || (rc = decision(w, "unmerge", person, sp, by, note, now, err)) || (rc = rp_store_commit(w->store, err))) {
        rp_store_rollback(w->store);
        return rc;
    }
    mt_params p = MT_PARAMS_DEFAULT;
    return mt_run(w, &p, by, st, err);
}
