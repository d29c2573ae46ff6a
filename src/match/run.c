/* run.c — identity resolution written to the store.  See run.h. */
#include "match/run.h"
#include "core/json.h"
#include "core/map.h"
#include "core/rtime.h"
#include "core/utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const attr_names[MT_ATTRS] = { "kind",       "name_zh",     "name_latin",  "birth_date",
                                                   "gender",     "occupation",  "income_band", "home_branch" };
static const char *const rule_names[] = { "trusted", "recent", "complete" };

const char *mt_attr_name(int a) { return a >= 0 && a < MT_ATTRS ? attr_names[a] : "?"; }
const char *mt_rule_name(int r) { return r >= 0 && r <= MT_COMPLETE ? rule_names[r] : "?"; }

void mt_survivorship_default(mt_survivorship *sv)
{
    memset(sv, 0, sizeof *sv);
    static const char *const order[] = { "host", "card", "online" };
    for (int i = 0; i < 3; i++)
        snprintf(sv->trust[sv->ntrust++], sizeof sv->trust[0], "%s", order[i]);
}

void mt_options_default(mt_options *o)
{
    mt_params p = MT_PARAMS_DEFAULT;
    memset(o, 0, sizeof *o);
    o->params = p;
    mt_survivorship_default(&o->surv);
}

static int parse_rule(const char *name, const char *v, uint8_t *out, rp_error *err)
{
    for (int r = 0; r <= MT_COMPLETE; r++)
        if (!strcmp(v, rule_names[r])) {
            *out = (uint8_t)r;
            return RP_OK;
        }
    return rp_err(err, RP_INVAL, "[survivorship] %s: '%s' is not a rule (trusted, recent or complete)", name, v);
}

int mt_survivorship_config(mt_survivorship *sv, const rp_config *c, rp_error *err)
{
    mt_survivorship_default(sv);
    const char *v = rp_config_get(c, "survivorship", "trust", NULL);
    if (v) {
        sv->ntrust = 0;
        for (const char *s = v; *s;) {
            while (*s == ' ' || *s == '\t' || *s == ',')
                s++;
            size_t n = strcspn(s, ", \t");
            if (!n)
                break;
            if (sv->ntrust == MT_TRUST_MAX)
                return rp_err(err, RP_TOOBIG, "[survivorship] trust: more than %d sources", MT_TRUST_MAX);
            if (n >= sizeof sv->trust[0])
                return rp_err(err, RP_TOOBIG, "[survivorship] trust: source '%.*s' is longer than %zu bytes", (int)n,
                              s, sizeof sv->trust[0] - 1);
            snprintf(sv->trust[sv->ntrust++], sizeof sv->trust[0], "%.*s", (int)n, s);
            s += n;
        }
        if (!sv->ntrust)
            return rp_err(err, RP_INVAL, "[survivorship] trust: no source named (e.g. host, card, online)");
    }
    int rc;
    uint8_t def = MT_TRUSTED;
    if ((v = rp_config_get(c, "survivorship", "default", NULL)) && (rc = parse_rule("default", v, &def, err)))
        return rc;
    for (int a = 0; a < MT_ATTRS; a++)
        sv->rule[a] = def;
    size_t it = 0;
    const char *name;
    while ((name = rp_config_next(c, "survivorship", &it, &v))) {
        if (!strcmp(name, "trust") || !strcmp(name, "default"))
            continue;
        int a = 0;
        while (a < MT_ATTRS && strcmp(name, attr_names[a]))
            a++;
        if (a == MT_ATTRS)
            return rp_err(err, RP_INVAL,
                          "[survivorship] %s: no such attribute (trust, default, kind, name_zh, name_latin, "
                          "birth_date, gender, occupation, income_band, home_branch)",
                          name);
        if ((rc = parse_rule(name, v, &sv->rule[a], err)))
            return rc;
    }
    return RP_OK;
}

/* Lower is more trusted. */
static int trust(const mt_survivorship *sv, const char *source)
{
    for (int i = 0; i < sv->ntrust; i++)
        if (strcmp(source, sv->trust[i]) == 0)
            return i;
    return MT_TRUST_MAX;
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

static int map_index(rp_map **ix, const mt_records *m, rp_error *err)
{
    rp_map_free(*ix, NULL);
    if (!(*ix = rp_map_new()))
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < m->n; i++)
        if (rp_map_put(*ix, &m->r[i].party, sizeof m->r[i].party, (void *)(uintptr_t)(i + 1), NULL))
            return rp_err(err, RP_NOMEM, NULL);
    return RP_OK;
}

static size_t index_in(rp_map *ix, int64_t party)
{
    uintptr_t v = (uintptr_t)rp_map_get(ix, &party, sizeof party);
    return v ? (size_t)v - 1 : SIZE_MAX;
}

/* Each record's attributes for survivorship, read once: the attributes,
 * status and updated_at, as offsets into text (0: none). */
enum { A_STATUS = MT_ATTRS, A_UPDATED, A_N };
typedef struct attrs {
    uint32_t (*off)[A_N];
    rp_buf text;
} attrs;

static const char *attr_at(const attrs *at, size_t rec, int a)
{
    uint32_t o = at->off[rec][a];
    return o ? at->text.data + o : NULL;
}

#define ATTR_SQL                                                                                                       \
    "SELECT id, kind, name_zh, name_latin, birth_date, gender, occupation, income_band, home_branch, status, "       \
    "updated_at FROM party WHERE resolved = 0"

static void attrs_row(attrs *at, size_t i, rp_stmt *st)
{
    for (int a = 0; a < A_N; a++) {
        const char *t = rp_stmt_text(st, a + 1);
        at->off[i][a] = 0;
        if (t && *t && at->text.len < UINT32_MAX - 4096) {
            at->off[i][a] = (uint32_t)at->text.len;
            rp_buf_append(&at->text, t, strlen(t) + 1);
        }
    }
}

/* One scan of the party table when most records are wanted, a lookup each
 * otherwise. */
static int attrs_load(wh *w, const mt_records *m, rp_map *ix, size_t all, attrs *at, rp_error *err)
{
    rp_buf_init(&at->text, (size_t)4 << 30);
    rp_buf_putc(&at->text, 0);
    if (!(at->off = calloc(m->n ? m->n : 1, sizeof *at->off)))
        return rp_err(err, RP_NOMEM, NULL);
    rp_stmt *st;
    int rc;
    if (m->n * 4 > all) {
        if ((rc = rp_store_prepare(wh_store(w), ATTR_SQL, &st, err)))
            return rc;
        while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
            size_t i = index_in(ix, rp_stmt_int(st, 0));
            if (i != SIZE_MAX)
                attrs_row(at, i, st);
        }
        rp_stmt_done(st);
        return rc == RP_DONE ? RP_OK : rc;
    }
    for (size_t i = 0; i < m->n; i++) {
        if ((rc = rp_store_prepare(wh_store(w), ATTR_SQL " AND id = ?", &st, err)))
            return rc;
        rp_stmt_bind_int(st, 1, m->r[i].party);
        if ((rc = rp_stmt_step(st, err)) == RP_ROW)
            attrs_row(at, i, st);
        rp_stmt_done(st);
        if (rc != RP_ROW && rc != RP_DONE)
            return rc;
    }
    return RP_OK;
}

static void attrs_free(attrs *at)
{
    free(at->off);
    rp_buf_release(&at->text);
}

/* The survivors' values (members in trust order) and the person this
 * cluster already is, if any. */
static int person_for(wh *w, const mt_records *m, const attrs *at, const mt_survivorship *sv, member *mem, size_t k,
                      const char *now, int64_t *person, rp_error *err)
{
    const char *val[A_N] = { 0 }, *when[MT_ATTRS] = { 0 };
    int64_t prior = 0;
    int prior_votes = 0, any_active = 0;
    /* the person most members point to already keeps its number */
    for (size_t i = 0; i < k; i++) {
        int64_t mi = m->r[mem[i].rec].person, votes = 0;
        if (!mi || mi == prior)
            continue;
        for (size_t j = 0; j < k; j++)
            votes += m->r[mem[j].rec].person == mi;
        if (votes > prior_votes) {
            prior_votes = (int)votes;
            prior = mi;
        }
    }
    for (size_t i = 0; i < k; i++) {
        size_t rec = mem[i].rec;
        const char *updated = attr_at(at, rec, A_UPDATED);
        if (!updated)
            updated = "";
        for (int a = 0; a < MT_ATTRS; a++) {
            const char *t = attr_at(at, rec, a);
            if (!t)
                continue;
            int better = !val[a] || (sv->rule[a] == MT_RECENT && strcmp(updated, when[a]) > 0) ||
                         (sv->rule[a] == MT_COMPLETE && rp_utf8_count(t, strlen(t)) > rp_utf8_count(val[a], strlen(val[a])));
            if (better) {
                val[a] = t;
                when[a] = updated;
            }
        }
        const char *status = attr_at(at, rec, A_STATUS);
        any_active |= status && !strcmp(status, "active");
        if (status && !val[A_STATUS])
            val[A_STATUS] = status;
    }
    if (any_active || !val[A_STATUS]) /* a person is active while any of their records is */
        val[A_STATUS] = "active";
    if (!val[0])
        val[0] = "person";
    if (!val[1] && !val[2])
        return rp_err(err, RP_INVAL, "the person of party %lld: no member has a name", (long long)m->r[mem[0].rec].party);
    rp_stmt *st;
    int rc;
    if (prior) {
        *person = prior;
        if ((rc = rp_store_prepare(wh_store(w),
                                   "UPDATE party SET kind = ?, name_zh = ?, name_latin = ?, birth_date = ?, gender = ?, "
                                   "occupation = ?, income_band = ?, home_branch = ?, status = ?, updated_at = ? "
                                   "WHERE id = ? AND resolved = 1 AND (kind, name_zh, name_latin, birth_date, gender, "
                                   "occupation, income_band, home_branch, status) IS NOT (?,?,?,?,?,?,?,?,?)",
                                   &st, err)))
            return rc;
        for (int a = 0; a <= A_STATUS; a++) {
            rp_stmt_bind_text(st, a + 1, val[a]);
            rp_stmt_bind_text(st, a + 12, val[a]);
        }
        rp_stmt_bind_text(st, 10, now);
        rp_stmt_bind_int(st, 11, prior);
        return rp_stmt_run(st, err);
    }
    /* a new person: its members' values are valid already */
    if ((rc = rp_store_prepare(wh_store(w),
                               "INSERT INTO party(kind, name_zh, name_latin, birth_date, gender, occupation, "
                               "income_band, home_branch, status, created_at, updated_at, resolved) "
                               "VALUES (?,?,?,?,?,?,?,?,?,?,?,1) RETURNING id",
                               &st, err)))
        return rc;
    for (int a = 0; a <= A_STATUS; a++)
        rp_stmt_bind_text(st, a + 1, val[a]);
    rp_stmt_bind_text(st, 10, now);
    rp_stmt_bind_text(st, 11, now);
    if ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        *person = rp_stmt_int(st, 0);
        rc = RP_OK;
    }
    rp_stmt_done(st);
    return rc ? rp_err_prefix(err, "the person of party %lld", (long long)m->r[mem[0].rec].party) : RP_OK;
}

static int set_merged(wh *w, int64_t party, int64_t person, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w),
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

/* The model of the last full run, when it was made with these thresholds. */
typedef struct last_full {
    mt_model model;
    size_t records;                /* source records then */
    json_t *sources;               /* the source systems it saw */
} last_full;

static int last_model(wh *w, const mt_params *p, last_full *lf, int *have, rp_error *err)
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
    int ok = fabs(json_real_value(json_object_get(j, "link_at")) - p->link_at) < 1e-9 &&
             fabs(json_real_value(json_object_get(j, "review_at")) - p->review_at) < 1e-9;
    model->p = json_real_value(json_object_get(j, "match_share"));
    ok &= model->p > 0 && model->p < 1;
    for (int f = 0; f < MT_FIELDS && ok; f++) {
        json_t *fo = json_object_get(j, mt_field_name(f));
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

static int count_of(wh *w, const char *sql, size_t *out, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), sql, &st, err);
    if (rc)
        return rc;
    if ((rc = rp_stmt_step(st, err)) == RP_ROW)
        *out = (size_t)rp_stmt_int(st, 0);
    rp_stmt_done(st);
    return rc == RP_ROW ? RP_OK : rc;
}

/* Customers in the store: source records alone, and persons with members. */
static int customers(wh *w, mt_run_stats *st, rp_error *err)
{
    size_t alone = 0;
    int rc = count_of(w, "SELECT count(*) FROM party WHERE resolved = 0 AND merged_into IS NULL", &alone, err);
    if (!rc)
        rc = count_of(w, "SELECT count(DISTINCT merged_into) FROM party WHERE resolved = 0 AND merged_into IS NOT NULL",
                      &st->customers, err);
    if (!rc) /* a record alone may keep the number of the person it was */
        rc = count_of(w,
                      "SELECT count(*) FROM (SELECT 1 FROM party WHERE resolved = 0 AND merged_into IS NOT NULL "
                      "GROUP BY merged_into HAVING count(*) > 1)",
                      &st->persons, err);
    if (!rc)
        rc = count_of(w, "SELECT count(*) FROM party WHERE resolved = 0", &st->records, err);
    st->customers += alone;
    return rc;
}

typedef struct decided {
    int64_t a, b;
    int accepted;
} decided;



int mt_run(wh *w, const mt_options *o, const char *by, mt_run_stats *st, rp_error *err)
{
    memset(st, 0, sizeof *st);
    mt_romaniser *ro = NULL;
    mt_records m;
    mt_records_init(&m);
    mt_result r;
    memset(&r, 0, sizeof r);
    rp_map *ix = NULL;
    uint32_t (*must)[2] = NULL, (*cannot)[2] = NULL;
    size_t nmust = 0, ncannot = 0, ndec = 0, nskip = 0, nchanged = 0;
    member *mem = NULL;
    uint32_t *next = NULL, *head = NULL;
    uint8_t *mark = NULL;
    uint64_t *skip = NULL;
    int64_t *changed = NULL;
    decided *dec = NULL;
    last_full lf = { .sources = NULL };
    attrs at = { NULL, RP_BUF_INIT };
    int have_model = 0;
    mt_params prm = o->params;
    rp_stmt *q;
    double t0 = rp_monotonic();
    int rc = mt_romaniser_open(&ro, err);
    if (rc || (rc = mt_records_load(w, ro, &m, err)) || (rc = map_index(&ix, &m, err)))
        goto out;
    size_t all = m.n;
    st->read_seconds = rp_monotonic() - t0;
    /* what changed since the last run */
    if (!(mark = calloc(m.n ? m.n : 1, 1)) || !(changed = malloc((m.n ? m.n : 1) * sizeof *changed))) {
        rc = rp_err(err, RP_NOMEM, NULL);
        goto out;
    }
    if ((rc = rp_store_prepare(wh_store(w), "SELECT party_id FROM match_queue", &q, err)))
        goto out;
    while ((rc = rp_stmt_step(q, err)) == RP_ROW) {
        size_t i = index_in(ix, rp_stmt_int(q, 0));
        if (i != SIZE_MAX && !mark[i]) {
            mark[i] = 1;
            changed[nchanged++] = m.r[i].party;
        }
    }
    rp_stmt_done(q);
    if (rc != RP_DONE)
        goto out;
    st->changed = nchanged;
    /* what people decided */
    if ((rc = rp_store_prepare(wh_store(w),
                               "SELECT a_party, b_party, status FROM match_pair WHERE status IN ('accepted', 'rejected')",
                               &q, err)))
        goto out;
    size_t dcap = 0;
    while ((rc = rp_stmt_step(q, err)) == RP_ROW) {
        if (ndec == dcap) {
            dcap = dcap ? dcap * 2 : 256;
            decided *nd = realloc(dec, dcap * sizeof *dec);
            if (!nd) {
                rc = rp_err(err, RP_NOMEM, NULL);
                break;
            }
            dec = nd;
        }
        dec[ndec++] = (decided){ rp_stmt_int(q, 0), rp_stmt_int(q, 1), !strcmp(rp_stmt_text(q, 2), "accepted") };
    }
    rp_stmt_done(q);
    if (rc != RP_DONE)
        goto out;
    if ((rc = last_model(w, &o->params, &lf, &have_model, err)))
        goto out;
    st->incremental = !o->full && have_model && (!nchanged || model_fits(&lf, &m, mark, nchanged));
    if (st->incremental && !nchanged) { /* nothing new: nothing to run */
        rc = customers(w, st, err);
        goto out;
    }
    if (st->incremental) {
        /* the changed records, those that share a block with them, the
         * records people tied to these, and every customer any of them is */
        if ((rc = mt_neighbours(&m, &prm, mark, &skip, &nskip, err)))
            goto out;
        for (size_t i = 0; i < ndec; i++) {
            size_t x = index_in(ix, dec[i].a), y = index_in(ix, dec[i].b);
            if (dec[i].accepted && x != SIZE_MAX && y != SIZE_MAX && (mark[x] || mark[y]))
                mark[x] = mark[x] ? mark[x] : 2, mark[y] = mark[y] ? mark[y] : 2;
        }
        rp_map *persons = rp_map_new();
        if (!persons) {
            rc = rp_err(err, RP_NOMEM, NULL);
            goto out;
        }
        for (size_t i = 0; i < m.n; i++)
            if (mark[i] && m.r[i].person)
                rp_map_put(persons, &m.r[i].person, sizeof m.r[i].person, (void *)1, NULL);
        size_t j = 0;
        for (size_t i = 0; i < m.n; i++)
            if (mark[i] || (m.r[i].person && rp_map_get(persons, &m.r[i].person, sizeof m.r[i].person)))
                m.r[j++] = m.r[i];
        m.n = j;
        rp_map_free(persons, NULL);
        if ((rc = map_index(&ix, &m, err)))
            goto out;
        prm.model = &lf.model;
        prm.skip = skip;
        prm.nskip = nskip;
    }
    st->compared = m.n;
    for (size_t i = 0; i < ndec; i++) {
        size_t x = index_in(ix, dec[i].a), y = index_in(ix, dec[i].b);
        if (x == SIZE_MAX || y == SIZE_MAX)
            continue;
        size_t *cnt = dec[i].accepted ? &nmust : &ncannot;
        uint32_t (**arr)[2] = dec[i].accepted ? &must : &cannot;
        if (*cnt % 256 == 0) {
            void *np = realloc(*arr, (*cnt + 256) * sizeof **arr);
            if (!np) {
                rc = rp_err(err, RP_NOMEM, NULL);
                goto out;
            }
            *arr = np;
        }
        (*arr)[*cnt][0] = (uint32_t)x;
        (*arr)[*cnt][1] = (uint32_t)y;
        (*cnt)++;
    }
    mt_constraints c = { (const uint32_t(*)[2])must, nmust, (const uint32_t(*)[2])cannot, ncannot };
    if ((rc = mt_resolve(&m, &prm, &c, &r, err)))
        goto out;
    double t1 = rp_monotonic();
    if ((rc = attrs_load(w, &m, ix, all, &at, err)))
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
    if ((rc = rp_store_begin(wh_store(w), err)))
        goto out;
    if ((rc = rp_store_prepare(wh_store(w), "INSERT INTO match_run(started_at, started_by) VALUES (?, ?) RETURNING id", &q,
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
            alone[nalone++] = (member){ head[root], trust(&o->surv, m.sources[m.r[head[root]].source]) };
    if (!rc)
        qsort(alone, nalone, sizeof *alone, by_trust);
    for (int pass = 0; pass < 2 && !rc; pass++)
        for (size_t it = 0; it < (pass ? nalone : m.n) && !rc; it++) {
            size_t root = pass ? alone[it].rec : it;
            if (head[root] == UINT32_MAX)
                continue;
            size_t k = 0;
            for (uint32_t i = head[root]; i != UINT32_MAX; i = next[i])
                mem[k++] = (member){ i, trust(&o->surv, m.sources[m.r[i].source]) };
            if ((k == 1) != (pass == 1))
                continue;
            int64_t person = 0;
            if (k == 1) {
                person = m.r[mem[0].rec].person;
                if (person && rp_map_get(used, &person, sizeof person))
                    person = 0;
                if (person) /* still one customer, of one record: not counted as joined */
                    rp_map_put(used, &person, sizeof person, (void *)1, NULL);
                if (person != m.r[mem[0].rec].person)
                    rc = set_merged(w, m.r[mem[0].rec].party, person, err);
                continue;
            }
            qsort(mem, k, sizeof *mem, by_trust);
            if ((rc = person_for(w, &m, &at, &o->surv, mem, k, now, &person, err)))
                break;
            rp_map_put(used, &person, sizeof person, (void *)1, NULL);
            for (size_t i = 0; i < k && !rc; i++)
                if (m.r[mem[i].rec].person != person)
                    rc = set_merged(w, m.r[mem[i].rec].party, person, err);
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
        if (!(rc = rp_store_prepare(wh_store(w),
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
    st->pairs = r.npairs;
    st->links = r.links;
    /* pairs kept for review before that this run resolved again and no
     * longer finds doubtful (linked now, or changed) are not waiting any more */
    if ((rc = rp_store_prepare(wh_store(w), "SELECT id, a_party, b_party FROM match_pair WHERE status = 'review' AND "
                                         "(run_id IS NULL OR run_id <> ?)",
                               &q, err)))
        goto rollback;
    rp_stmt_bind_int(q, 1, st->run);
    int64_t *stale = NULL;
    size_t nstale = 0, scap = 0;
    while ((rc = rp_stmt_step(q, err)) == RP_ROW) {
        if (index_in(ix, rp_stmt_int(q, 1)) == SIZE_MAX || index_in(ix, rp_stmt_int(q, 2)) == SIZE_MAX)
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
    if (rc == RP_DONE && !(rc = rp_store_prepare(wh_store(w), "DELETE FROM match_pair WHERE id = ?", &q, err)))
        for (size_t i = 0; i < nstale && !rc; i++) {
            rp_stmt_bind_int(q, 1, stale[i]);
            rc = rp_stmt_run(q, err);
        }
    free(stale);
    /* waiting: every pair kept for review that nobody has decided yet */
    if (rc || (rc = count_of(w, "SELECT count(*) FROM match_pair WHERE status = 'review'", &st->reviews, err)))
        goto rollback;
    st->seconds = r.seconds;
    /* what was queued is resolved now */
    if (!st->incremental) {
        rc = rp_store_exec(wh_store(w), "DELETE FROM match_queue", err);
    } else if (!(rc = rp_store_prepare(wh_store(w), "DELETE FROM match_queue WHERE party_id = ?", &q, err))) {
        for (size_t i = 0; i < nchanged && !rc; i++) {
            rp_stmt_bind_int(q, 1, changed[i]);
            rc = rp_stmt_run(q, err);
        }
    }
    if (rc || (rc = customers(w, st, err)))
        goto rollback;
    json_t *mj = json_object();
    json_object_set_new(mj, "link_at", json_real(prm.link_at));
    json_object_set_new(mj, "review_at", json_real(prm.review_at));
    json_object_set_new(mj, "match_share", json_real(r.p));
    for (int f = 0; f < MT_FIELDS; f++) {
        json_t *fo = json_object(), *jm = json_array(), *ju = json_array();
        for (int l = 0; l < MT_LEVELS; l++) {
            json_array_append_new(jm, json_real(r.m[f][l]));
            json_array_append_new(ju, json_real(r.u[f][l]));
        }
        json_object_set_new(fo, "m", jm);
        json_object_set_new(fo, "u", ju);
        json_object_set_new(mj, mt_field_name(f), fo);
    }
    json_t *sj = json_object(), *tj = json_array();
    for (int t = 0; t < o->surv.ntrust; t++)
        json_array_append_new(tj, json_string(o->surv.trust[t]));
    json_object_set_new(sj, "trust", tj);
    for (int a = 0; a < MT_ATTRS; a++)
        json_object_set_new(sj, mt_attr_name(a), json_string(mt_rule_name(o->surv.rule[a])));
    json_object_set_new(mj, "survivorship", sj);
    if (!st->incremental) {
        json_t *srcs = json_array();
        for (int i = 0; i < m.nsources; i++)
            json_array_append_new(srcs, json_string(m.sources[i]));
        json_object_set_new(mj, "sources", srcs);
    } else {
        json_object_set(mj, "sources", lf.sources);
    }
    rp_buf mb = RP_BUF_INIT;
    rp_json_dump(mj, 0, &mb);
    json_decref(mj);
    rp_time_format_utc(rp_now(), now);
    if (!(rc = rp_store_prepare(wh_store(w),
                                "UPDATE match_run SET finished_at = ?, records = ?, pairs = ?, links = ?, reviews = ?, "
                                "persons = ?, seconds = ?, model = ?, mode = ?, changed = ?, compared = ?, "
                                "customers = ? WHERE id = ?",
                                &q, err))) {
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
    if (rc || (rc = rp_store_commit(wh_store(w), err)))
        goto rollback;
    st->write_seconds = rp_monotonic() - t1;
    goto out;
rollback:
    rp_store_rollback(wh_store(w));
out:
    free(head);
    free(next);
    free(mem);
    free(must);
    free(cannot);
    free(mark);
    free(skip);
    free(changed);
    free(dec);
    json_decref(lf.sources);
    attrs_free(&at);
    rp_map_free(ix, NULL);
    mt_result_free(&r);
    mt_records_free(&m);
    mt_romaniser_close(ro);
    return rc;
}

/* The next run resolves these records again. */
static int requeue(wh *w, int64_t a, int64_t b, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "INSERT OR IGNORE INTO match_queue(party_id) VALUES (?), (?)", &st, err);
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
    if ((rc = rp_store_begin(wh_store(w), err)))
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
    if (rc || (rc = rp_store_commit(wh_store(w), err))) {
        rp_store_rollback(wh_store(w));
        return rc;
    }
    return RP_OK;
}

/* ---- by hand ---- */

/* The customer a party is shown as, and one of its source parties. */
static int person_and_member(wh *w, int64_t party, int64_t *person, int64_t *one, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(w), "SELECT coalesce(merged_into, id), resolved FROM party WHERE id = ?", &st, err);
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
    if ((rc = rp_store_prepare(wh_store(w), "SELECT min(id) FROM party WHERE merged_into = ?", &st, err)))
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
    if ((rc = person_and_member(w, a, &pa, &ma, err)) || (rc = person_and_member(w, b, &pb, &mb, err)))
        return rc;
    if (pa == pb)
        return rp_err(err, RP_EXISTS, "%lld and %lld are already one customer (#%lld)", (long long)a, (long long)b,
                      (long long)pa);
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    if ((rc = rp_store_begin(wh_store(w), err)))
        return rc;
    if ((rc = pair_decided(w, ma, mb, "accepted", by, now, err)) ||
        (rc = decision(w, "merge", 0, pa, pb, by, note, now, err)) || (rc = requeue(w, ma, mb, err)) ||
        (rc = rp_store_commit(wh_store(w), err))) {
        rp_store_rollback(wh_store(w));
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
    if ((rc = person_and_member(w, sp, &of, &one, err)))
        return rc;
    if (of != person)
        return rp_err(err, RP_INVAL, "%s:%s is not part of customer #%lld (it is customer #%lld)", source, key,
                      (long long)person, (long long)of);
    if (of == sp)
        return rp_err(err, RP_INVAL, "%s:%s is a customer on its own: there is nothing to take it out of", source, key);
    char now[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), now);
    if ((rc = rp_store_begin(wh_store(w), err)))
        return rc;
    rp_stmt *q;
    if (!(rc = rp_store_prepare(wh_store(w), "SELECT id FROM party WHERE merged_into = ? AND id <> ?", &q, err))) {
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
    if (rc || (rc = decision(w, "unmerge", 0, person, sp, by, note, now, err)) || (rc = requeue(w, sp, sp, err)) ||
        (rc = rp_store_commit(wh_store(w), err))) {
        rp_store_rollback(wh_store(w));
        return rc;
    }
    return mt_run(w, o, by, st, err);
}
