/* run.c — identity resolution against the store, `rapport match`: mt_run,
 * phase by phase (read, choose the subset, resolve, write persons, write
 * pairs, bookkeeping).  See match.h. */
#include "match/internal.h"
#include "core/json.h"
#include "core/log.h"
#include "core/rtime.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *mt_evidence(const mt_records *m, const mt_pair *q, const mt_shown *shown)
{
    static const char *const words[MT_FIRST_ATTR][MT_LEVELS] = {
        { "different", "alike", "close", "same" }, { "different", "one part differs", "same", "" },
        { "different", "same", "", "" },           { "none shared", "shared", "", "" },
        { "different", "same", "", "" },           { "different", "same area", "alike", "same" },
        { "different", "a typo apart", "shared", "" },
    };
    static const char *const attr_words[][MT_LEVELS] = { /* by method: exact, jaro_winkler, number */
        { "different", "same", "", "" }, { "different", "alike", "same", "" }, { "different", "within", "same", "" },
    };
    const mt_rec *a = &m->r[q->a], *b = &m->r[q->b];
    const mt_spec *sp = mt_spec_of(m);
    json_t *o = json_object();
    for (int f = 0; f < MT_FIELDS; f++) {
        if (f >= MT_FIRST_ATTR && !sp->use[f])
            continue; /* an attribute the spec does not compare: not even "missing" */
        const char *w = q->level[f] == 255     ? "missing"
                        : f < MT_FIRST_ATTR    ? words[f][q->level[f]]
                                               : attr_words[sp->attr_method[f - MT_FIRST_ATTR]][q->level[f]];
        json_object_set_new(o, mt_field_name(f), json_string(w));
    }
    json_t *names = json_array();
    const mt_rec *rs[2] = { a, b };
    for (int i = 0; i < 2; i++) {
        char s[1024]; /* names of 200 bytes each, a key, a source: whole (a cut inside a character is no string) */
        const char *zh = mt_shown_name(shown, rs[i], 0), *latin = mt_shown_name(shown, rs[i], 1);
        if (!zh && !latin) /* not shown: the keys it was compared by */
            zh = rs[i]->han ? mt_text(m, rs[i]->han) : NULL, latin = rs[i]->latin_key ? mt_text(m, rs[i]->latin_key) : NULL;
        snprintf(s, sizeof s, "%s:%s %s%s%s", m->sources[rs[i]->source], mt_text(m, rs[i]->key), zh ? zh : "",
                 zh && latin ? " / " : "", latin ? latin : "");
        json_array_append_new(names, json_string(s));
    }
    json_object_set_new(o, "records", names);
    json_object_set_new(o, "national_id", json_string(q->id > 0 ? "same" : q->id < 0 ? "different" : "missing"));
    return o;
}

/* The model of the last full run, when it was made with these thresholds. */
typedef struct last_full {
    mt_model model;
    double link_at, review_at;     /* its thresholds */
    size_t records;                /* source records then */
    json_t *sources;               /* the source systems it saw */
} last_full;

static int last_model(wh *w, const mt_params *p, const mt_spec *spec, last_full *lf, int *have, rp_error *err)
{
    *have = 0;
    mt_model *model = &lf->model;
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
                              "SELECT model, records FROM match_run WHERE mode = 'full' AND finished_at IS NOT NULL "
                              "ORDER BY id DESC LIMIT 1",
                              &st, err);
    if (rc)
        return rc;
    json_t *j = NULL;
    if ((rc = rp_stmt_step(st, err)) == RP_ROW && rp_stmt_text(st, 0)) {
        j = json_loads(rp_stmt_text(st, 0), 0, NULL);
        lf->records = (size_t)rp_stmt_int(st, 1);
    }
    rp_stmt_done(st);
    if (rc != RP_ROW && rc != RP_DONE)
        return rc;
    if (!j)
        return RP_OK;
    lf->link_at = json_real_value(json_object_get(j, "link_at"));
    lf->review_at = json_real_value(json_object_get(j, "review_at"));
    int ok = !p || (fabs(lf->link_at - p->link_at) < 1e-9 && fabs(lf->review_at - p->review_at) < 1e-9);
    const char *sh = json_string_value(json_object_get(j, "spec")); /* made by another spec: not this model */
    ok &= !spec || (sh ? strtoull(sh, NULL, 16) : 0) == spec->hash;
    model->p = json_real_value(json_object_get(j, "match_share"));
    ok &= model->p > 0 && model->p < 1;
    for (int f = 0; f < MT_FIELDS && ok; f++) {
        json_t *fo = json_object_get(j, mt_field_name(f));
        if (!fo && f >= MT_FIRST_ATTR && !(spec ? spec : mt_spec_defaults())->use[f]) {
            memset(model->m[f], 0, sizeof model->m[f]), memset(model->u[f], 0, sizeof model->u[f]);
            continue; /* an attribute not compared (a model of before attributes could be) */
        }
        json_t *jm = json_object_get(fo, "m"), *ju = json_object_get(fo, "u");
        ok &= json_array_size(jm) == MT_LEVELS && json_array_size(ju) == MT_LEVELS;
        for (int l = 0; l < MT_LEVELS && ok; l++) {
            model->m[f][l] = json_real_value(json_array_get(jm, (size_t)l));
            model->u[f][l] = json_real_value(json_array_get(ju, (size_t)l));
        }
    }
    lf->sources = json_incref(json_object_get(j, "sources"));
    ok &= json_is_array(lf->sources);
    json_decref(j);
    *have = ok;
    return RP_OK;
}

int mt_last_model(wh *w, const mt_spec *spec, mt_params *p, mt_model *model, int *have, rp_error *err)
{
    last_full lf;
    memset(&lf, 0, sizeof lf);
    int rc = last_model(w, NULL, spec, &lf, have, err);
    if (!rc && *have) {
        *model = lf.model;
        p->link_at = lf.link_at;
        p->review_at = lf.review_at;
    }
    json_decref(lf.sources);
    return rc;
}

/* Does the last full model fit what changed?  Not when a source system it
 * never saw delivered records, nor when the store grew or changed by more
 * than a fifth since: then its weights may be off, and a full run
 * estimates them again. */
static int model_fits(const last_full *lf, const mt_records *m, const uint8_t *mark, size_t nchanged)
{
    if (nchanged * 5 > m->n || m->n * 5 > lf->records * 6)
        return 0;
    int seen[16] = { 0 };
    for (size_t i = 0; i < m->n; i++)
        if (mark[i])
            seen[m->r[i].source] = 1;
    for (int s = 0; s < m->nsources; s++) {
        if (!seen[s])
            continue;
        int known = 0;
        for (size_t k = 0; k < json_array_size(lf->sources) && !known; k++)
            known = json_is_string(json_array_get(lf->sources, k)) &&
                    !strcmp(json_string_value(json_array_get(lf->sources, k)), m->sources[s]);
        if (!known)
            return 0;
    }
    return 1;
}

typedef struct decided {
    int64_t a, b;
    int accepted;
} decided;

/* A run's state, from phase to phase. */
typedef struct run {
    wh *w;
    const mt_options *o;
    mt_run_stats *st;
    mt_params prm;                 /* o->params; an incremental run adds the last full model */
    mt_romaniser *ro;
    mt_records m;                  /* every source record, then those this run resolves */
    size_t all;                    /* source records in the store */
    rp_map *ix;                    /* party id -> index in m */
    uint8_t *mark;                 /* per record: 1 new or changed, 2 resolved with them */
    int64_t *changed;              /* the parties queued */
    size_t nchanged;
    decided *dec;                  /* what people decided */
    size_t ndec;
    last_full lf;
    int have_model;
    uint64_t *skip;                /* blocks too large to use over the whole store */
    size_t nskip;
    mt_result r;
    mt_attrs at;
    char now[RP_TIME_UTC_LEN];     /* when the run started */
} run;

static void run_release(run *x)
{
    free(x->mark);
    free(x->changed);
    free(x->dec);
    free(x->skip);
    json_decref(x->lf.sources);
    mt_attrs_free(&x->at);
    rp_map_free(x->ix, NULL);
    mt_result_free(&x->r);
    mt_records_free(&x->m);
    mt_romaniser_close(x->ro);
}

/* ---- reading ---- */

/* What changed since the last run: the records queued. */
static int read_queue(run *x, rp_error *err)
{
    size_t n = x->m.n ? x->m.n : 1;
    if (!(x->mark = calloc(n, 1)) || !(x->changed = malloc(n * sizeof *x->changed)))
        return rp_err(err, RP_NOMEM, NULL);
    rp_stmt *q;
    int rc = rp_store_prepare(wh_store(x->w), "SELECT party_id FROM match_queue", &q, err);
    if (rc)
        return rc;
    while ((rc = rp_stmt_step(q, err)) == RP_ROW) {
        size_t i = mt_index_of(x->ix, rp_stmt_int(q, 0));
        if (i != SIZE_MAX && !x->mark[i]) {
            x->mark[i] = 1;
            x->changed[x->nchanged++] = x->m.r[i].party;
        }
    }
    rp_stmt_done(q);
    x->st->changed = x->nchanged;
    return rc == RP_DONE ? RP_OK : rc;
}

/* What people decided: pairs accepted or rejected. */
static int read_decisions(run *x, rp_error *err)
{
    rp_stmt *q;
    int rc = rp_store_prepare(wh_store(x->w),
                              "SELECT a_party, b_party, status FROM match_pair WHERE status IN ('accepted', 'rejected')",
                              &q, err);
    if (rc)
        return rc;
    size_t cap = 0;
    while ((rc = rp_stmt_step(q, err)) == RP_ROW) {
        if (x->ndec == cap) {
            cap = cap ? cap * 2 : 256;
            decided *nd = realloc(x->dec, cap * sizeof *x->dec);
            if (!nd) {
                rc = rp_err(err, RP_NOMEM, NULL);
                break;
            }
            x->dec = nd;
        }
        x->dec[x->ndec++] = (decided){ rp_stmt_int(q, 0), rp_stmt_int(q, 1), !strcmp(rp_stmt_text(q, 2), "accepted") };
    }
    rp_stmt_done(q);
    return rc == RP_DONE ? RP_OK : rc;
}

/* Customers in the store: source records alone, and persons with members. */
static int customers(run *x, rp_error *err)
{
    wh_customer_counts c;
    int rc = wh_customer_count(x->w, &c, err);
    x->st->records = c.records;
    x->st->customers = c.customers;
    x->st->persons = c.persons;
    return rc;
}

/* ---- choosing and resolving ---- */

/* An incremental run resolves the changed records, those that share a block
 * with them, the records people tied to these, and every customer any of
 * them is, with the model of the last full run. */
static int choose_subset(run *x, rp_error *err)
{
    mt_records *m = &x->m;
    uint8_t *mark = x->mark;
    int rc = mt_neighbours(m, &x->prm, mark, &x->skip, &x->nskip, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < x->ndec; i++) {
        size_t a = mt_index_of(x->ix, x->dec[i].a), b = mt_index_of(x->ix, x->dec[i].b);
        if (x->dec[i].accepted && a != SIZE_MAX && b != SIZE_MAX && (mark[a] || mark[b]))
            mark[a] = mark[a] ? mark[a] : 2, mark[b] = mark[b] ? mark[b] : 2;
    }
    rp_map *persons = rp_map_new();
    if (!persons)
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < m->n; i++)
        if (mark[i] && m->r[i].person)
            rp_map_put(persons, &m->r[i].person, sizeof m->r[i].person, (void *)1, NULL);
    size_t j = 0;
    for (size_t i = 0; i < m->n; i++)
        if (mark[i] || (m->r[i].person && rp_map_get(persons, &m->r[i].person, sizeof m->r[i].person)))
            m->r[j++] = m->r[i];
    m->n = j;
    rp_map_free(persons, NULL);
    x->prm.model = &x->lf.model;
    x->prm.skip = x->skip;
    x->prm.nskip = x->nskip;
    return mt_index(&x->ix, m, err);
}

/* Add the pair of records (a, b) to a list grown 256 at a time. */
static int add_pair(uint32_t (**arr)[2], size_t *n, size_t a, size_t b, rp_error *err)
{
    if (*n % 256 == 0) {
        void *np = realloc(*arr, (*n + 256) * sizeof **arr);
        if (!np)
            return rp_err(err, RP_NOMEM, NULL);
        *arr = np;
    }
    (*arr)[*n][0] = (uint32_t)a;
    (*arr)[*n][1] = (uint32_t)b;
    (*n)++;
    return RP_OK;
}

/* Resolve the records, honouring what people decided about them. */
static int resolve(run *x, rp_error *err)
{
    uint32_t (*must)[2] = NULL, (*cannot)[2] = NULL;
    size_t nmust = 0, ncannot = 0;
    int rc = RP_OK;
    for (size_t i = 0; i < x->ndec && !rc; i++) {
        size_t a = mt_index_of(x->ix, x->dec[i].a), b = mt_index_of(x->ix, x->dec[i].b);
        if (a == SIZE_MAX || b == SIZE_MAX)
            continue;
        rc = x->dec[i].accepted ? add_pair(&must, &nmust, a, b, err) : add_pair(&cannot, &ncannot, a, b, err);
    }
    if (!rc) {
        mt_constraints c = { (const uint32_t(*)[2])must, nmust, (const uint32_t(*)[2])cannot, ncannot };
        rc = mt_resolve(&x->m, &x->prm, &c, &x->r, err);
    }
    free(must);
    free(cannot);
    return rc;
}

/* ---- writing persons ---- */

/* Which cluster each person of the last run goes to: the one with most of its records (a customer split
 * in two keeps its number in its larger half; the other half is a new customer).  owner: person ->
 * (root << 32 | votes) + 1. */
static int prior_owners(const mt_records *m, const uint32_t *head, const uint32_t *next, rp_map *owner,
                        rp_error *err)
{
    for (size_t root = 0; root < m->n; root++) {
        if (head[root] == UINT32_MAX || next[head[root]] == UINT32_MAX)
            continue;
        for (uint32_t i = head[root]; i != UINT32_MAX; i = next[i]) {
            int64_t p = m->r[i].person;
            uint64_t votes = 0;
            if (!p)
                continue;
            for (uint32_t j = head[root]; j != UINT32_MAX; j = next[j])
                votes += m->r[j].person == p;
            uintptr_t was = (uintptr_t)rp_map_get(owner, &p, sizeof p);
            if ((!was || ((was - 1) & 0xffffffffu) < votes) &&
                rp_map_put(owner, &p, sizeof p, (void *)(uintptr_t)(((uint64_t)root << 32 | votes) + 1), NULL))
                return rp_err(err, RP_NOMEM, NULL);
        }
    }
    return RP_OK;
}

/* The person most members of a cluster point to already keeps its number, unless another cluster has more
 * of its records (owner) or took it before (used). */
static int64_t prior_person(const mt_records *m, const mt_member *mem, size_t k, uint32_t root, rp_map *owner,
                            rp_map *used)
{
    int64_t prior = 0;
    int prior_votes = 0;
    for (size_t i = 0; i < k; i++) {
        int64_t mi = m->r[mem[i].rec].person, votes = 0;
        uintptr_t own = mi ? (uintptr_t)rp_map_get(owner, &mi, sizeof mi) : 0;
        if (!mi || mi == prior || rp_map_get(used, &mi, sizeof mi) || (own && (own - 1) >> 32 != root))
            continue;
        for (size_t j = 0; j < k; j++)
            votes += m->r[mem[j].rec].person == mi;
        if (votes > prior_votes) {
            prior_votes = (int)votes;
            prior = mi;
        }
    }
    return prior;
}

/* The person of a cluster of k members (in trust order), with the values
 * the survivorship rules choose: the one it already is, or a new one. */
static int person_for(run *x, const mt_member *mem, size_t k, uint32_t root, rp_map *owner, rp_map *used,
                      int64_t *person, rp_error *err)
{
    int64_t prior = prior_person(&x->m, mem, k, root, owner, used);
    wh_party p;
    int rc = mt_survivors(&x->m, &x->at, &x->o->surv, mem, k, &p, err);
    if (rc)
        return rc;
    if (prior) {
        *person = prior;
        return wh_person_update(x->w, prior, &p, x->now, err);
    }
    /* a new person: its members' values are valid already */
    if ((rc = wh_person_add(x->w, &p, x->now, person, err)))
        return rp_err_prefix(err, "the person of party %lld", (long long)x->m.r[mem[0].rec].party);
    return RP_OK;
}

/* A cluster of two or more records: its person, and every member pointing to it. */
static int write_person(run *x, mt_member *mem, size_t k, uint32_t root, rp_map *owner, rp_map *used,
                        rp_error *err)
{
    qsort(mem, k, sizeof *mem, mt_by_trust);
    int64_t person = 0;
    int rc = person_for(x, mem, k, root, owner, used, &person, err);
    if (rc)
        return rc;
    rp_map_put(used, &person, sizeof person, (void *)1, NULL);
    for (size_t i = 0; i < k && !rc; i++)
        if (x->m.r[mem[i].rec].person != person)
            rc = wh_party_set_merged(x->w, x->m.r[mem[i].rec].party, person, err);
    return rc;
}

/* A record alone keeps the person it was when no other record is in it now. */
static int keep_alone(run *x, uint32_t rec, rp_map *used, rp_error *err)
{
    int64_t person = x->m.r[rec].person;
    if (person && rp_map_get(used, &person, sizeof person))
        person = 0;
    if (person) /* still one customer, of one record: not counted as joined */
        rp_map_put(used, &person, sizeof person, (void *)1, NULL);
    return person != x->m.r[rec].person ? wh_party_set_merged(x->w, x->m.r[rec].party, person, err) : RP_OK;
}

/* Persons of two or more records first, then the records alone, in trust
 * order: the host's record keeps a person before the card's. */
static int write_persons(run *x, rp_error *err)
{
    size_t n = x->m.n ? x->m.n : 1;
    const uint32_t *cluster = x->r.cluster;
    /* clusters as lists: head[root] -> member -> next[member] ... */
    uint32_t *head = malloc(n * sizeof *head), *next = malloc(n * sizeof *next);
    mt_member *mem = malloc(n * sizeof *mem), *alone = malloc(n * sizeof *alone);
    rp_map *used = rp_map_new(), *owner = rp_map_new();
    size_t nalone = 0;
    int rc = RP_OK;
    if (!head || !next || !mem || !alone || !used || !owner) {
        rc = rp_err(err, RP_NOMEM, NULL);
        goto out;
    }
    for (size_t i = 0; i < x->m.n; i++)
        head[i] = UINT32_MAX;
    for (size_t i = x->m.n; i-- > 0;) {
        next[i] = head[cluster[i]];
        head[cluster[i]] = (uint32_t)i;
    }
    rc = prior_owners(&x->m, head, next, owner, err);
    for (size_t root = 0; root < x->m.n && !rc; root++) {
        if (head[root] == UINT32_MAX)
            continue;
        if (next[head[root]] == UINT32_MAX) {
            alone[nalone++] = (mt_member){ head[root], mt_trust(&x->o->surv, x->m.sources[x->m.r[head[root]].source]) };
            continue;
        }
        size_t k = 0;
        for (uint32_t i = head[root]; i != UINT32_MAX; i = next[i])
            mem[k++] = (mt_member){ i, mt_trust(&x->o->surv, x->m.sources[x->m.r[i].source]) };
        rc = write_person(x, mem, k, (uint32_t)root, owner, used, err);
    }
    qsort(alone, nalone, sizeof *alone, mt_by_trust);
    for (size_t i = 0; i < nalone && !rc; i++)
        rc = keep_alone(x, alone[i].rec, used, err);
out:
    rp_map_free(used, NULL);
    rp_map_free(owner, NULL);
    free(head);
    free(next);
    free(mem);
    free(alone);
    return rc;
}

/* ---- writing pairs and the run ---- */

/* Pairs for a person: kept with their evidence, unless already decided. */
static int write_pairs(run *x, rp_error *err)
{
    mt_shown shown;
    int rc = mt_shown_load(x->w, &x->m, &x->r, NULL, 0, &shown, err);
    for (size_t i = 0; i < x->r.npairs && !rc; i++) {
        const mt_pair *p = &x->r.pairs[i];
        if (p->decision != MT_REVIEW)
            continue;
        int64_t a = x->m.r[p->a].party, b = x->m.r[p->b].party;
        json_t *ev = mt_evidence(&x->m, p, &shown);
        rp_buf eb = RP_BUF_INIT;
        rp_json_dump(ev, 0, &eb);
        json_decref(ev);
        rp_stmt *q;
        if (!(rc = rp_store_prepare(wh_store(x->w),
                                    "INSERT INTO match_pair(a_party, b_party, run_id, weight, probability, evidence) "
                                    "VALUES (?,?,?,?,?,?) ON CONFLICT(a_party, b_party) DO UPDATE SET run_id = "
                                    "excluded.run_id, weight = excluded.weight, probability = excluded.probability, "
                                    "evidence = excluded.evidence",
                                    &q, err))) {
            rp_stmt_bind_int(q, 1, a < b ? a : b);
            rp_stmt_bind_int(q, 2, a < b ? b : a);
            rp_stmt_bind_int(q, 3, x->st->run);
            rp_stmt_bind_real(q, 4, p->weight);
            rp_stmt_bind_real(q, 5, p->prob);
            rp_stmt_bind_text(q, 6, rp_buf_str(&eb));
            rc = rp_stmt_run(q, err);
        }
        rp_buf_release(&eb);
    }
    mt_shown_free(&shown);
    return rc;
}

/* Pairs kept for review before that this run resolved again and no longer
 * finds doubtful (linked now, or changed) are not waiting any more. */
static int drop_stale_pairs(run *x, rp_error *err)
{
    rp_stmt *q;
    int rc = rp_store_prepare(wh_store(x->w),
                              "SELECT id, a_party, b_party FROM match_pair WHERE status = 'review' AND "
                              "(run_id IS NULL OR run_id <> ?)",
                              &q, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(q, 1, x->st->run);
    int64_t *stale = NULL;
    size_t nstale = 0, scap = 0;
    while ((rc = rp_stmt_step(q, err)) == RP_ROW) {
        if (mt_index_of(x->ix, rp_stmt_int(q, 1)) == SIZE_MAX || mt_index_of(x->ix, rp_stmt_int(q, 2)) == SIZE_MAX)
            continue;
        if (nstale == scap) {
            scap = scap ? scap * 2 : 64;
            int64_t *ns = realloc(stale, scap * sizeof *stale);
            if (!ns) {
                rc = rp_err(err, RP_NOMEM, NULL);
                break;
            }
            stale = ns;
        }
        stale[nstale++] = rp_stmt_int(q, 0);
    }
    rp_stmt_done(q);
    if (rc == RP_DONE && !(rc = rp_store_prepare(wh_store(x->w), "DELETE FROM match_pair WHERE id = ?", &q, err)))
        for (size_t i = 0; i < nstale && !rc; i++) {
            rp_stmt_bind_int(q, 1, stale[i]);
            rc = rp_stmt_run(q, err);
        }
    free(stale);
    return rc;
}

/* What was queued is resolved now. */
static int dequeue(run *x, rp_error *err)
{
    if (!x->st->incremental)
        return rp_store_exec(wh_store(x->w), "DELETE FROM match_queue", err);
    rp_stmt *q;
    int rc = rp_store_prepare(wh_store(x->w), "DELETE FROM match_queue WHERE party_id = ?", &q, err);
    for (size_t i = 0; i < x->nchanged && !rc; i++) {
        rp_stmt_bind_int(q, 1, x->changed[i]);
        rc = rp_stmt_run(q, err);
    }
    return rc;
}

/* The run's model as kept: thresholds, match share, m and u, survivorship
 * rules, and the sources a full run saw (an incremental one keeps those). */
static void model_json(const run *x, rp_buf *out)
{
    const mt_result *r = &x->r;
    const mt_survivorship *sv = &x->o->surv;
    json_t *mj = json_object();
    json_object_set_new(mj, "link_at", json_real(x->prm.link_at));
    json_object_set_new(mj, "review_at", json_real(x->prm.review_at));
    if (x->o->spec.hash) {
        char h[24];
        snprintf(h, sizeof h, "%016llx", (unsigned long long)x->o->spec.hash);
        json_object_set_new(mj, "spec", json_string(h));
    }
    json_object_set_new(mj, "match_share", json_real(r->p));
    for (int f = 0; f < MT_FIELDS; f++) {
        if (f >= MT_FIRST_ATTR && !x->o->spec.use[f])
            continue; /* an attribute the spec does not compare */
        json_t *fo = json_object(), *jm = json_array(), *ju = json_array();
        for (int l = 0; l < MT_LEVELS; l++) {
            json_array_append_new(jm, json_real(r->m[f][l]));
            json_array_append_new(ju, json_real(r->u[f][l]));
        }
        json_object_set_new(fo, "m", jm);
        json_object_set_new(fo, "u", ju);
        json_object_set_new(mj, mt_field_name(f), fo);
    }
    json_t *sj = json_object(), *tj = json_array();
    for (int t = 0; t < sv->ntrust; t++)
        json_array_append_new(tj, json_string(sv->trust[t]));
    json_object_set_new(sj, "trust", tj);
    for (int a = 0; a < MT_ATTRS; a++)
        json_object_set_new(sj, mt_attr_name(a), json_string(mt_rule_name(sv->rule[a])));
    json_object_set_new(mj, "survivorship", sj);
    if (!x->st->incremental) {
        json_t *srcs = json_array();
        for (int i = 0; i < x->m.nsources; i++)
            json_array_append_new(srcs, json_string(x->m.sources[i]));
        json_object_set_new(mj, "sources", srcs);
    } else {
        json_object_set(mj, "sources", x->lf.sources);
    }
    rp_json_dump(mj, 0, out);
    json_decref(mj);
}

static int start_run(run *x, const char *by, rp_error *err)
{
    rp_stmt *q;
    int rc = rp_store_prepare(wh_store(x->w), "INSERT INTO match_run(started_at, started_by) VALUES (?, ?) RETURNING id",
                              &q, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(q, 1, x->now);
    rp_stmt_bind_text(q, 2, by);
    if ((rc = rp_stmt_step(q, err)) == RP_ROW) {
        x->st->run = rp_stmt_int(q, 0);
        return rp_stmt_finish(q, err); /* committed at its end outside a transaction (store.h) */
    }
    rp_stmt_done(q);
    return rc;
}

static int finish_run(run *x, rp_error *err)
{
    const mt_run_stats *st = x->st;
    char now[RP_TIME_UTC_LEN];
    rp_buf mb = RP_BUF_INIT;
    model_json(x, &mb);
    rp_time_format_utc(rp_now(), now);
    rp_stmt *q;
    int rc = rp_store_prepare(wh_store(x->w),
                              "UPDATE match_run SET finished_at = ?, records = ?, pairs = ?, links = ?, reviews = ?, "
                              "persons = ?, seconds = ?, model = ?, mode = ?, changed = ?, compared = ?, "
                              "customers = ? WHERE id = ?",
                              &q, err);
    if (!rc) {
        rp_stmt_bind_text(q, 1, now);
        rp_stmt_bind_int(q, 2, (int64_t)st->records);
        rp_stmt_bind_int(q, 3, (int64_t)st->pairs);
        rp_stmt_bind_int(q, 4, (int64_t)st->links);
        rp_stmt_bind_int(q, 5, (int64_t)st->reviews);
        rp_stmt_bind_int(q, 6, (int64_t)st->persons);
        rp_stmt_bind_real(q, 7, st->seconds);
        rp_stmt_bind_text(q, 8, rp_buf_str(&mb));
        rp_stmt_bind_text(q, 9, st->incremental ? "incremental" : "full");
        rp_stmt_bind_int(q, 10, (int64_t)st->changed);
        rp_stmt_bind_int(q, 11, (int64_t)st->compared);
        rp_stmt_bind_int(q, 12, (int64_t)st->customers);
        rp_stmt_bind_int(q, 13, st->run);
        rc = rp_stmt_run(q, err);
    }
    rp_buf_release(&mb);
    return rc;
}

/* The result, in one transaction. */
static int write_run(run *x, const char *by, rp_error *err)
{
    mt_run_stats *st = x->st;
    rp_time_format_utc(rp_now(), x->now);
    int rc = wh_begin(x->w, err);
    if (rc)
        return rc;
    if ((rc = start_run(x, by, err)) || (rc = write_persons(x, err)) || (rc = write_pairs(x, err)))
        goto out;
    st->pairs = x->r.npairs;
    st->links = x->r.links;
    int64_t waiting = 0; /* every pair kept for review that nobody has decided yet */
    if ((rc = drop_stale_pairs(x, err)) ||
        (rc = rp_store_query_int(wh_store(x->w), "SELECT count(*) FROM match_pair WHERE status = 'review'", &waiting,
                                 err)))
        goto out;
    st->reviews = (size_t)waiting;
    st->seconds = x->r.seconds;
    snprintf(st->note, sizeof st->note, "%s", x->r.note);
    if ((rc = dequeue(x, err)) || (rc = customers(x, err)) || (rc = finish_run(x, err)))
        goto out;
    rc = wh_commit(x->w, err);
out:
    if (rc)
        wh_rollback(x->w);
    return rc;
}

int mt_run(wh *w, const mt_options *o, const char *by, mt_run_stats *st, rp_error *err)
{
    memset(st, 0, sizeof *st);
    run x = { .w = w, .o = o, .st = st, .prm = o->params, .at = MT_ATTRS_INIT };
    mt_records_init(&x.m);
    x.m.spec = &o->spec;
    double t0 = rp_monotonic(), t1;
    int rc = mt_romaniser_open(&x.ro, err);
    if (rc || (rc = mt_records_load(w, x.ro, &x.m, err)) || (rc = mt_index(&x.ix, &x.m, err)))
        goto out;
    x.all = x.m.n;
    st->read_seconds = rp_monotonic() - t0;
    if ((rc = read_queue(&x, err)) || (rc = read_decisions(&x, err)) ||
        (rc = last_model(w, &o->params, &o->spec, &x.lf, &x.have_model, err)))
        goto out;
    st->incremental = !o->full && x.have_model && (!x.nchanged || model_fits(&x.lf, &x.m, x.mark, x.nchanged));
    if (st->incremental && !x.nchanged) { /* nothing new: nothing to run */
        rc = customers(&x, err);
        goto out;
    }
    if (st->incremental && (rc = choose_subset(&x, err)))
        goto out;
    st->compared = x.m.n;
    if ((rc = resolve(&x, err)))
        goto out;
    t1 = rp_monotonic();
    if ((rc = mt_attrs_load(w, &x.m, x.ix, x.all, &x.at, err)) || (rc = write_run(&x, by, err)))
        goto out;
    st->write_seconds = rp_monotonic() - t1;
    if (!rp_store_depth(wh_store(w))) { /* the customers and pairs written: what the 360 is planned by */
        rp_error e2;
        rp_err_clear(&e2);
        if (rp_store_optimize(wh_store(w), NULL, &e2) != RP_OK)
            rp_log_warn("match: the store's statistics stay as they were until its own maintenance: %s", rp_errmsg(&e2));
    }
out:
    run_release(&x);
    return rc;
}
