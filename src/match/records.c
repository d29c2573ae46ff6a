/* records.c — the records identity resolution works on, read from the
 * warehouse's source parties; and their attributes for survivorship.
 * See internal.h. */
#include "match/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mt_index(rp_map **ix, const mt_records *m, rp_error *err)
{
    rp_map_free(*ix, NULL);
    if (!(*ix = rp_map_new()))
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < m->n; i++)
        if (rp_map_put(*ix, &m->r[i].party, sizeof m->r[i].party, (void *)(uintptr_t)(i + 1), NULL))
            return rp_err(err, RP_NOMEM, NULL);
    return RP_OK;
}

size_t mt_index_of(rp_map *ix, int64_t party)
{
    uintptr_t v = (uintptr_t)rp_map_get(ix, &party, sizeof party);
    return v ? (size_t)v - 1 : SIZE_MAX;
}

/* ---- the records ---- */

typedef struct loading {
    mt_records *m;
    mt_romaniser *ro;
    rp_map *ix;
} loading;

static int on_party(void *ctx, const wh_source_party *p, rp_error *err)
{
    loading *l = ctx;
    int rc = mt_records_add(l->m, l->ro, p->id, p->source, p->key, p->name_zh, p->name_latin, p->birth_date,
                            p->gender, p->kind && !strcmp(p->kind, "organisation"), err);
    if (rc)
        return rc;
    mt_rec *r = &l->m->r[l->m->n - 1];
    r->person = p->merged_into;
    const mt_spec *sp = mt_spec_of(l->m);
    const char *attrs[MT_SPEC_ATTRS] = { p->occupation, p->income_band, p->home_branch };
    for (int a = 0; a < MT_SPEC_ATTRS; a++)
        if (sp->use[MT_FIRST_ATTR + a] && (r->attr[a] = mt_keep_folded(l->m, attrs[a]), rp_buf_status(&l->m->text)))
            return rp_err(err, RP_NOMEM, "the attributes of the records do not fit in memory");
    if (rp_map_put(l->ix, &p->id, sizeof p->id, (void *)(uintptr_t)l->m->n, NULL))
        return rp_err(err, RP_NOMEM, NULL);
    return RP_OK;
}

/* Identifier types, and which of them are a person's whoever issued them (the national ones: one party's,
 * always, and kept as mt_rec.nid), which a source's own numbers (shared, they say two records are one; one
 * each, that says nothing), and which neither (passports, tax numbers: shared or differing, both evidence) */
#define ID_TYPE_NAME(v, zh, en, flags) v,
#define ID_TYPE_FLAGS(v, zh, en, flags) flags,
static const char *const id_types[] = { WH_IDENTIFIER_TYPES(ID_TYPE_NAME) };
static const int id_flags[] = { WH_IDENTIFIER_TYPES(ID_TYPE_FLAGS) };

static int on_identifier(void *ctx, int64_t party, const char *type, const void *lookup, size_t n, const char *value,
                         rp_error *err)
{
    loading *l = ctx;
    size_t at = mt_index_of(l->ix, party);
    if (at == SIZE_MAX || !type || !lookup)
        return RP_OK;
    mt_rec *r = &l->m->r[at];
    if (!strcmp(type, "national_id") || !strcmp(type, "resident_cert") || !strcmp(type, "ubn")) {
        r->nid = mt_hash(lookup, n);
        return RP_OK;
    }
    for (size_t t = 0; t < sizeof id_types / sizeof *id_types; t++)
        if (!strcmp(type, id_types[t]))
            for (int k = 0; k < MT_IDS; k++)
                if (!r->ids[k]) {
                    r->ids[k] = mt_hash(lookup, n);
                    r->id_type[k] = (uint8_t)((t + 1) | (id_flags[t] & WH_ID_ISSUER ? MT_ID_AGREE_ONLY : 0));
                    r->id_value[k] = mt_keep_text(l->m, value);
                    if (rp_buf_status(&l->m->text))
                        return rp_err(err, RP_NOMEM, "the identifiers of the records do not fit in memory");
                    break;
                }
    return RP_OK;
}

/* An address written out enough to tell a household by: a house number and a word beside it */
static int has_number_and_word(const char *street)
{
    int digit = 0, words = 0;
    for (const char *p = street; *p; p++) {
        digit |= *p >= '0' && *p <= '9';
        words += p == street || p[-1] == ' ';
    }
    return digit && words >= 2;
}

/* A Taiwanese address by its parts (a county and district alone: its area only); one of another country,
 * or one without Taiwanese parts, by its words (a town alone: its area only) */
static void address_keys(loading *l, mt_rec *r, const wh_current_contact *c)
{
    mt_address a;
    int taiwan = !c->country || !strcmp(c->country, "TW");
    if (taiwan) {
        mt_address_parse(c->value, &a);
        if (*a.county && *a.district) {
            char area[40];
            snprintf(area, sizeof area, "%s|%s", a.county, a.district);
            r->area = mt_hash_str(area, 'd');
        }
        if (*a.county && *a.road && *a.number) {
            char full[200];
            snprintf(full, sizeof full, "%s|%s|%s|%s|%s|%s|%s", a.county, a.district, a.road, a.lane, a.alley,
                     a.number, a.floor);
            r->addr = mt_hash_str(full, 'a');
            return;
        }
        if (*a.county)
            return;
    }
    char street[200], area[64], full[270];
    mt_address_words(l->ro, c->value, c->postal_code, street, sizeof street, area, sizeof area);
    if (!r->area && *area)
        r->area = mt_hash_str(area, 'z');
    if (!has_number_and_word(street))
        return;
    snprintf(full, sizeof full, "%s|%s", street, area);
    r->addr = mt_hash_str(full, 'a');
    r->street = mt_keep_text(l->m, street);
}

/* current phones, e-mails and addresses */
static int on_contact(void *ctx, const wh_current_contact *c, rp_error *err)
{
    loading *l = ctx;
    size_t at = mt_index_of(l->ix, c->party);
    const char *kind = c->kind, *lookup = c->lookup;
    if (at == SIZE_MAX || !kind)
        return RP_OK;
    mt_rec *r = &l->m->r[at];
    if (!strcmp(kind, "email") && lookup) {
        r->email = mt_hash_str(lookup, 'e');
    } else if (!strcmp(kind, "address") && c->value) {
        address_keys(l, r, c);
        if (rp_buf_status(&l->m->text))
            return rp_err(err, RP_NOMEM, "the addresses of the records do not fit in memory");
    } else if (lookup) {
        for (int k = 0; k < MT_PHONES; k++)
            if (!r->phone[k]) {
                r->phone[k] = mt_hash_str(lookup, 'p');
                break;
            }
    }
    return RP_OK;
}

int mt_records_load(wh *w, mt_romaniser *ro, mt_records *m, rp_error *err)
{
    loading l = { m, ro, rp_map_new() };
    if (!l.ix)
        return rp_err(err, RP_NOMEM, NULL);
    int rc = wh_source_parties(w, on_party, &l, err);
    if (!rc)
        rc = wh_source_identifiers(w, on_identifier, &l, err);
    if (!rc)
        rc = wh_current_contacts(w, on_contact, &l, err);
    rp_map_free(l.ix, NULL);
    return rc;
}

/* ---- their attributes ---- */

typedef struct attrs_loading {
    mt_attrs *at;
    rp_map *ix;
    int slot[MT_ATTRS];            /* each attribute's place in WH_PARTY_ATTRS */
} attrs_loading;

static void keep_attr(mt_attrs *at, size_t i, int a, const char *t)
{
    at->off[i][a] = 0;
    if (t && *t && at->text.len < UINT32_MAX - 4096) {
        at->off[i][a] = (uint32_t)at->text.len;
        rp_buf_append(&at->text, t, strlen(t) + 1);
    }
}

static int on_attrs(void *ctx, int64_t id, const wh_party *p, const char *updated_at, rp_error *err)
{
    (void)err;
    attrs_loading *l = ctx;
    size_t i = mt_index_of(l->ix, id);
    if (i == SIZE_MAX)
        return RP_OK;
    for (int a = 0; a < MT_ATTRS; a++)
        keep_attr(l->at, i, a, wh_party_attr(p, l->slot[a]));
    keep_attr(l->at, i, MT_A_STATUS, p->status);
    keep_attr(l->at, i, MT_A_UPDATED, updated_at);
    return RP_OK;
}

int mt_attrs_load(wh *w, const mt_records *m, rp_map *ix, size_t all, mt_attrs *at, rp_error *err)
{
    rp_buf_init(&at->text, (size_t)4 << 30);
    rp_buf_putc(&at->text, 0);
    if (!(at->off = calloc(m->n ? m->n : 1, sizeof *at->off)))
        return rp_err(err, RP_NOMEM, NULL);
    attrs_loading l = { at, ix, { 0 } };
    for (int a = 0; a < MT_ATTRS; a++)
        l.slot[a] = mt_attr_slot(a);
    if (m->n * 4 > all)
        return wh_source_party_attrs(w, NULL, 0, on_attrs, &l, err);
    int64_t *ids = malloc((m->n ? m->n : 1) * sizeof *ids);
    if (!ids)
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < m->n; i++)
        ids[i] = m->r[i].party;
    int rc = wh_source_party_attrs(w, ids, m->n, on_attrs, &l, err);
    free(ids);
    return rc;
}

void mt_attrs_free(mt_attrs *at)
{
    free(at->off);
    rp_buf_release(&at->text);
}

/* ---- names to show ---- */

static int by_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static const int64_t *shown_at(const mt_shown *s, int64_t party)
{
    return s->n ? bsearch(&party, s->party, s->n, sizeof *s->party, by_id) : NULL;
}

static int on_shown(void *ctx, int64_t id, const wh_party *p, const char *updated_at, rp_error *err)
{
    (void)updated_at;
    mt_shown *s = ctx;
    const int64_t *at = shown_at(s, id);
    if (!at)
        return RP_OK;
    const char *names[2] = { p->name_zh, p->name_latin };
    for (int k = 0; k < 2; k++) {
        s->name[at - s->party][k] = 0;
        if (names[k] && *names[k] && s->text.len < UINT32_MAX - 4096) {
            s->name[at - s->party][k] = (uint32_t)s->text.len;
            rp_buf_append(&s->text, names[k], strlen(names[k]) + 1);
        }
    }
    return rp_buf_status(&s->text) ? rp_err(err, RP_NOMEM, NULL) : RP_OK;
}

int mt_shown_load(wh *w, const mt_records *m, const mt_result *r, const size_t *pick, size_t n, mt_shown *s,
                  rp_error *err)
{
    memset(s, 0, sizeof *s);
    rp_buf_init(&s->text, (size_t)1 << 30);
    rp_buf_putc(&s->text, 0);
    if (!pick)
        for (size_t i = n = 0; i < r->npairs; i++)
            n += r->pairs[i].decision == MT_REVIEW;
    n *= 2; /* two records a pair */
    s->party = malloc((n ? n : 1) * sizeof *s->party);
    s->name = calloc(n ? n : 1, sizeof *s->name);
    if (!s->party || !s->name)
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0, k = 0; k < n; i++) {
        const mt_pair *q = &r->pairs[pick ? pick[i] : i];
        if (pick || q->decision == MT_REVIEW)
            s->party[k++] = m->r[q->a].party, s->party[k++] = m->r[q->b].party;
    }
    qsort(s->party, n, sizeof *s->party, by_id);
    for (size_t i = 0; i < n; i++)
        if (!s->n || s->party[s->n - 1] != s->party[i])
            s->party[s->n++] = s->party[i];
    /* a lookup each, unless they are a quarter of the records or more: then one scan (mt_attrs_load's rule) */
    return wh_source_party_attrs(w, s->n * 4 > m->n ? NULL : s->party, s->n, on_shown, s, err);
}

const char *mt_shown_name(const mt_shown *s, const mt_rec *r, int latin)
{
    const int64_t *at = s ? shown_at(s, r->party) : NULL;
    uint32_t o = at ? s->name[at - s->party][latin != 0] : 0;
    return o ? s->text.data + o : NULL;
}

void mt_shown_free(mt_shown *s)
{
    free(s->party);
    free(s->name);
    rp_buf_release(&s->text);
    memset(s, 0, sizeof *s);
}
