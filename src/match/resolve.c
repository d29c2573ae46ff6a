/* resolve.c — blocking, comparison, Fellegi-Sunter scoring by EM, and
 * clustering, on records in memory.  See internal.h. */
#include "match/internal.h"
#include "core/rtime.h"
#include "core/sort.h"

#include <pthread.h>
#include <stddef.h>
#include <unistd.h>

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h ? h : 1;
}
#define FNV0 14695981039346656037ULL

static uint64_t hash_str(const char *s, uint64_t tag) { return fnv(s, strlen(s), FNV0 ^ tag); }
uint64_t mt_hash(const void *p, size_t n) { return fnv(p, n, FNV0); }
uint64_t mt_hash_str(const char *s, uint64_t tag) { return hash_str(s, tag); }

void mt_records_init(mt_records *m)
{
    memset(m, 0, sizeof *m);
    rp_buf_init(&m->text, (size_t)4 << 30);
    rp_buf_putc(&m->text, 0); /* offset 0 is the empty string */
}

void mt_records_free(mt_records *m)
{
    free(m->r);
    rp_buf_release(&m->text);
    memset(m, 0, sizeof *m);
}

const char *mt_text(const mt_records *m, uint32_t off) { return m->text.data ? m->text.data + off : ""; }

uint32_t mt_keep_text(mt_records *m, const char *s)
{
    if (!s || !*s)
        return 0;
    size_t at = m->text.len;
    rp_buf_append(&m->text, s, strlen(s));
    rp_buf_putc(&m->text, 0);
    return at > UINT32_MAX ? 0 : (uint32_t)at;
}

uint32_t mt_keep_folded(mt_records *m, const char *s)
{
    char buf[256];
    size_t n = 0;
    for (const char *p = s ? s : ""; *p && n < sizeof buf - 1; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
            if (n && buf[n - 1] != ' ')
                buf[n++] = ' ';
        } else {
            buf[n++] = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
        }
    }
    while (n && buf[n - 1] == ' ')
        n--;
    buf[n] = 0;
    return mt_keep_text(m, buf);
}

int mt_records_add(mt_records *m, mt_romaniser *ro, int64_t party, const char *source, const char *key,
                   const char *name_zh, const char *name_latin, const char *birth, const char *gender, int org,
                   rp_error *err)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        mt_rec *nr = realloc(m->r, cap * sizeof *nr);
        if (!nr)
            return rp_err(err, RP_NOMEM, NULL);
        m->r = nr;
        m->cap = cap;
    }
    mt_rec *r = &m->r[m->n];
    memset(r, 0, sizeof *r);
    r->party = party;
    int s = 0;
    while (s < m->nsources && strcmp(m->sources[s], source ? source : ""))
        s++;
    if (s == m->nsources) {
        if (m->nsources == 16)
            return rp_err(err, RP_TOOBIG, "more than 16 source systems");
        snprintf(m->sources[m->nsources++], sizeof m->sources[0], "%s", source ? source : "");
    }
    r->source = (uint32_t)s;
    mt_name nm;
    int rc = mt_name_standardise(ro, name_zh, name_latin, &nm, err);
    if (rc)
        return rc;
    r->key = mt_keep_text(m, key);
    r->han = mt_keep_text(m, nm.han);
    r->han_key = mt_keep_text(m, nm.han_key);
    r->latin_key = mt_keep_text(m, nm.latin_key);
    r->latin_alt = mt_keep_text(m, nm.latin_alt);
    r->sorted = mt_keep_text(m, nm.sorted);
    r->birth = INT32_MIN;
    rp_date d;
    rp_error ignore = RP_ERROR_INIT;
    if (birth && *birth && rp_date_parse(birth, &d, &ignore) == RP_OK)
        r->birth = (int32_t)rp_days_from_civil(d.y, d.m, d.d);
    r->gender = gender && (*gender == 'F' || *gender == 'M') ? *gender : 0;
    r->org = (char)(org != 0);
    if (rp_buf_status(&m->text))
        return rp_err(err, RP_NOMEM, "the names of the records do not fit in memory");
    m->n++;
    return RP_OK;
}

/* ---- blocking ---- */

typedef struct bkey {
    uint64_t key;
    uint32_t rec;
    uint8_t weak;                  /* a name alone: common names make large blocks */
} bkey;

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The surname syllable of a name key ("CHEN YICHUN" -> "CHEN"). */
static uint64_t surname_hash(const char *k, uint64_t tag)
{
    const char *sp = strchr(k, ' ');
    return fnv(k, sp ? (size_t)(sp - k) : strlen(k), FNV0 ^ tag);
}

typedef struct growing {
    void *p;
    size_t n, cap, size;
} growing;

static void *grow(growing *g, rp_error *err)
{
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 4096;
        void *np = realloc(g->p, cap * g->size);
        if (!np) {
            rp_err(err, RP_NOMEM, NULL);
            return NULL;
        }
        g->p = np;
        g->cap = cap;
    }
    return (char *)g->p + g->n++ * g->size;
}

/* ---- comparing ---- */

const mt_spec *mt_spec_of(const mt_records *m) { return m->spec ? m->spec : mt_spec_defaults(); }
#define spec_of mt_spec_of

static double jw_keys(const mt_records *m, const mt_rec *a, const mt_rec *b, int method)
{
    uint32_t ka[4] = { a->han_key, a->latin_key, a->latin_alt, a->sorted },
             kb[4] = { b->han_key, b->latin_key, b->latin_alt, b->sorted };
    /* the same romanisation, the usual case for a match: no distance to compute */
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            if (ka[i] && kb[j] && strcmp(mt_text(m, ka[i]), mt_text(m, kb[j])) == 0)
                return a->han && b->han && strcmp(mt_text(m, a->han), mt_text(m, b->han)) ? 0.995 : 1.0;
    if (method == MT_NAME_EXACT)
        return 0;
    double best = 0;
    if (a->han && b->han)
        best = mt_jaro_winkler(mt_text(m, a->han), mt_text(m, b->han));
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            if (ka[i] && kb[j] && best < 1) {
                double s = method == MT_NAME_JW ? mt_jaro_winkler(mt_text(m, ka[i]), mt_text(m, kb[j]))
                                                : mt_words_similarity(mt_text(m, ka[i]), mt_text(m, kb[j]));
                if (s > best)
                    best = s;
            }
    return best;
}

/* Addresses: 3 the same, 2 alike (the words of two addresses outside Taiwan close), 1 the same area, 0 none
 * of these; 255 either has none */
static uint8_t address_level(const mt_records *m, const mt_spec *sp, const mt_rec *a, const mt_rec *b)
{
    if (!a->addr || !b->addr)
        return a->area && b->area ? a->area == b->area : 255;
    if (a->addr == b->addr)
        return 3;
    if (sp->address_method == MT_METHOD_TYPOS && a->street && b->street &&
        mt_jaro_winkler(mt_text(m, a->street), mt_text(m, b->street)) >= sp->address_alike)
        return 2;
    return a->area && a->area == b->area;
}

/* At most one edit apart (a letter inserted, dropped or changed, or two next to each other swapped)? */
static int one_edit(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b), i = 0;
    if (na > nb + 1 || nb > na + 1)
        return 0;
    while (i < na && i < nb && a[i] == b[i])
        i++;
    if (i == na && na == nb)
        return 1; /* the same */
    if (na == nb)
        return !strcmp(a + i + 1, b + i + 1) ||
               (i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] && !strcmp(a + i + 2, b + i + 2));
    return na > nb ? !strcmp(a + i + 1, b + i) : !strcmp(a + i, b + i + 1);
}

/* Identifiers besides the national one: 2 one shared, 1 one of the same type a typo away (both of five
 * characters or more), 0 of one type and none shared (a source's own numbers aside: each has its own),
 * 255 nothing to compare */
static uint8_t identifier_level(const mt_records *m, const mt_spec *sp, const mt_rec *a, const mt_rec *b)
{
    int level = 255;
    for (int i = 0; i < MT_IDS && a->ids[i]; i++)
        for (int j = 0; j < MT_IDS && b->ids[j]; j++) {
            if (a->ids[i] == b->ids[j])
                return 2;
            if (a->id_type[i] != b->id_type[j])
                continue;
            if (a->id_type[i] & MT_ID_AGREE_ONLY)
                continue; /* a source's own numbers, one after another, are a typo apart and two people */
            const char *x = mt_text(m, a->id_value[i]), *y = mt_text(m, b->id_value[j]);
            if (sp->id_method == MT_METHOD_TYPOS && strlen(x) >= 5 && strlen(y) >= 5 && one_edit(x, y))
                level = 1;
            else if (level == 255)
                level = 0;
        }
    return (uint8_t)level;
}

static int thousands(const char *p) /* [+-]d{1,3}(,ddd)+ then anything but a comma */
{
    p += *p == '-' || *p == '+';
    int d = 0;
    while (p[d] >= '0' && p[d] <= '9')
        d++;
    if (d < 1 || d > 3 || p[d] != ',')
        return 0;
    for (p += d; *p == ','; p += 4)
        for (int i = 1; i <= 3; i++)
            if (p[i] < '0' || p[i] > '9')
                return 0;
    return !strchr(p, ',') && !(*p >= '0' && *p <= '9');
}

/* A number as banks write it: 1 and *v, else 0.  Blanks anywhere are dropped ("1 200 000", " 35.5 ");
 * commas separate thousands where every group after one has three digits ("1,200,000", "-12,345.5"),
 * else a single comma without a point is the decimal one ("35,5": 35.5, as Europe writes it); anything
 * else with a comma ("1,20,0", "1,200,5.5") is no number, nor are hexadecimal, inf and nan. */
int mt_number(const char *s, double *v)
{
    char raw[64], buf[64];
    size_t n = 0;
    for (; *s; s++) {
        if (*s == ' ')
            continue;
        if (n >= sizeof raw - 1 || !strchr("0123456789.,+-eE", *s)) /* no hexadecimal, inf or nan */
            return 0;
        raw[n++] = *s;
    }
    raw[n] = 0;
    const char *comma = strchr(raw, ',');
    int grouped = comma && thousands(raw);
    if (comma && !grouped &&
        (strchr(comma + 1, ',') || strchr(raw, '.') || comma == raw || !isdigit((unsigned char)comma[-1]) ||
         !isdigit((unsigned char)comma[1])))
        return 0; /* "1,20,0", "1,200,5.5", "1," */
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (raw[i] != ',')
            buf[k++] = raw[i];
        else if (!grouped)
            buf[k++] = '.'; /* "35,5": the decimal comma */
    buf[k] = 0;
    char *end;
    *v = strtod(buf, &end);
    return k && end != buf && !*end && *v == *v && *v - *v == 0; /* all of it, and finite */
}

/* The party's attribute a: 2 (1 when compared exactly) the same, 1 alike or within the tolerance, 0 different,
 * 255 either has none (or, compared as numbers, a value that is not a number and not the other's) */
static uint8_t attr_level(const mt_records *m, const mt_spec *sp, int a, const mt_rec *x, const mt_rec *y)
{
    if (!x->attr[a] || !y->attr[a])
        return 255;
    const char *s = mt_text(m, x->attr[a]), *t = mt_text(m, y->attr[a]);
    int method = sp->attr_method[a], same = !strcmp(s, t);
    if (method == MT_ATTR_EXACT)
        return (uint8_t)same;
    if (same)
        return 2;
    if (method == MT_ATTR_JW)
        return mt_jaro_winkler(s, t) >= sp->attr_alike[a];
    double u, v;
    if (!mt_number(s, &u) || !mt_number(t, &v))
        return 255;
    double d = fabs(u - v), big = fmax(fabs(u), fabs(v));
    return d == 0 ? 2 : d <= sp->attr_within[a] || d <= sp->attr_share[a] * big;
}

static void compare(const mt_records *m, mt_pair *p)
{
    const mt_rec *a = &m->r[p->a], *b = &m->r[p->b];
    const mt_spec *sp = spec_of(m);
    memset(p->level, 255, sizeof p->level);
    if (sp->use[0] && (a->han || a->latin_key) && (b->han || b->latin_key)) {
        double s = jw_keys(m, a, b, sp->name_method);
        p->level[0] = s >= sp->name_same ? 3 : s >= sp->name_close ? 2 : s >= sp->name_alike ? 1 : 0;
    }
    if (sp->use[1] && a->birth != INT32_MIN && b->birth != INT32_MIN) {
        rp_date x = rp_civil_from_days(a->birth), y = rp_civil_from_days(b->birth);
        int parts = (x.y == y.y) + (x.m == y.m) + (x.d == y.d);
        int swapped = x.y == y.y && x.m == y.d && x.d == y.m;
        p->level[1] = a->birth == b->birth ? 2 : sp->date_method == MT_METHOD_TYPOS && (parts == 2 || swapped) ? 1 : 0;
    }
    if (sp->use[2] && a->gender && b->gender)
        p->level[2] = a->gender == b->gender;
    int shared = 0;
    for (int i = 0; i < MT_PHONES; i++)
        for (int j = 0; j < MT_PHONES; j++)
            shared |= a->phone[i] && a->phone[i] == b->phone[j];
    if (sp->use[3] && a->phone[0] && b->phone[0])
        p->level[3] = (uint8_t)shared;
    if (sp->use[4] && a->email && b->email)
        p->level[4] = a->email == b->email;
    if (sp->use[5])
        p->level[5] = address_level(m, sp, a, b);
    if (sp->use[6])
        p->level[6] = identifier_level(m, sp, a, b);
    for (int f = MT_FIRST_ATTR; f < MT_FIELDS; f++)
        if (sp->use[f])
            p->level[f] = attr_level(m, sp, f - MT_FIRST_ATTR, a, b);
    p->id = a->nid && b->nid ? (a->nid == b->nid ? 1 : -1) : 0;
}

void mt_compare_pair(const mt_records *m, const mt_model *mo, mt_pair *p)
{
    compare(m, p);
    double lm = log(mo->p), lu = log(1 - mo->p), w = 0;
    for (int f = 0; f < MT_FIELDS; f++)
        if (p->level[f] != 255 && mo->m[f][p->level[f]] > 0 && mo->u[f][p->level[f]] > 0) {
            lm += log(mo->m[f][p->level[f]]);
            lu += log(mo->u[f][p->level[f]]);
            w += log2(mo->m[f][p->level[f]] / mo->u[f][p->level[f]]);
        }
    p->weight = (float)w;
    p->prob = (float)(1 / (1 + exp(lu - lm)));
    p->decision = p->id > 0 ? MT_SAME_ID : MT_LINK;
}

/* Comparing is most of the work and each pair stands alone: the pairs are
 * shared out among the processors. */
typedef struct cmp_part {
    const mt_records *m;
    mt_pair *p;
    size_t n;
} cmp_part;

static void *compare_part(void *arg)
{
    cmp_part *c = arg;
    for (size_t i = 0; i < c->n; i++)
        compare(c->m, &c->p[i]);
    return NULL;
}

static void compare_all(const mt_records *m, mt_pair *p, size_t n)
{
    enum { MAXT = 8 };
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int nt = n < 50000 ? 1 : cpus < 1 ? 1 : cpus > MAXT ? MAXT : (int)cpus;
    cmp_part parts[MAXT];
    pthread_t th[MAXT];
    int started[MAXT] = { 0 };
    size_t per = (n + (size_t)nt - 1) / (size_t)nt;
    for (int t = 0; t < nt; t++) {
        size_t from = (size_t)t * per, to = from + per > n ? n : from + per;
        parts[t] = (cmp_part){ m, p + from, to > from ? to - from : 0 };
        if (t > 0)
            started[t] = pthread_create(&th[t], NULL, compare_part, &parts[t]) == 0;
    }
    compare_part(&parts[0]);
    for (int t = 1; t < nt; t++)
        if (started[t])
            pthread_join(th[t], NULL);
        else
            compare_part(&parts[t]); /* no thread to be had: here, then */
}

int mt_field_levels(const mt_spec *sp, int f)
{
    static const int nlevels[MT_FIRST_ATTR] = { 4, 3, 2, 2, 2, 4, 3 };
    return f < MT_FIRST_ATTR                              ? nlevels[f]
           : !sp->use[f]                                  ? 0 /* not compared: no weights */
           : sp->attr_method[f - MT_FIRST_ATTR] == MT_ATTR_EXACT ? 2
                                                          : 3;
}

const char *mt_field_name(int f)
{
    static const char *const n[MT_FIELDS] = { "name",    "birth_date", "gender",     "phone",       "email",
                                              "address", "identifier", "occupation", "income_band", "home_branch" };
    return f >= 0 && f < MT_FIELDS ? n[f] : "?";
}

/* ---- union-find with a guard against chaining two people ---- */

typedef struct uf {
    uint32_t *parent;
    uint64_t *nid;   /* the cluster's national ID (0 none) */
    int32_t *birth;  /* the cluster's birth date (INT32_MIN none) */
} uf;

static uint32_t find(uf *u, uint32_t x)
{
    while (u->parent[x] != x) {
        u->parent[x] = u->parent[u->parent[x]];
        x = u->parent[x];
    }
    return x;
}

/* Two years one typo apart: a digit changed, or two next to each other swapped (1978, 1987) */
static int years_typo(int a, int b)
{
    char x[8], y[8];
    snprintf(x, sizeof x, "%04d", a);
    snprintf(y, sizeof y, "%04d", b);
    int diff = 0, first = -1;
    for (int i = 0; i < 4; i++)
        if (x[i] != y[i])
            diff++, first = first < 0 ? i : first;
    return diff == 1 || (diff == 2 && first < 3 && x[first] == y[first + 1] && x[first + 1] == y[first]);
}

/* Two birth dates one person may have been written with: either unknown, within a year, the day or the
 * month different, the year a typo apart, or day and month swapped */
static int births_alike(int32_t a, int32_t b)
{
    if (a == INT32_MIN || b == INT32_MIN || abs(a - b) <= 366)
        return 1;
    rp_date x = rp_civil_from_days(a), y = rp_civil_from_days(b);
    if (x.y == y.y)
        return x.m == y.m || x.d == y.d || (x.m == y.d && x.d == y.m);
    return x.m == y.m && x.d == y.d && years_typo(x.y, y.y);
}

/* 1 joined, 0 already one, -1 refused */
static int join(uf *u, uint32_t a, uint32_t b)
{
    uint32_t x = find(u, a), y = find(u, b);
    if (x == y)
        return 0;
    if (u->nid[x] && u->nid[y] && u->nid[x] != u->nid[y])
        return -1;
    if (!births_alike(u->birth[x], u->birth[y]))
        return -1;
    if (y < x) {
        uint32_t t = x;
        x = y;
        y = t;
    }
    u->parent[y] = x;
    if (!u->nid[x])
        u->nid[x] = u->nid[y];
    if (u->birth[x] == INT32_MIN)
        u->birth[x] = u->birth[y];
    return 1;
}

static int by_strength(const void *a, const void *b, void *base)
{
    const mt_pair *pairs = base;
    const mt_pair *x = &pairs[*(const uint32_t *)a], *y = &pairs[*(const uint32_t *)b];
    if (x->decision != y->decision)
        return y->decision - x->decision;
    return (y->prob > x->prob) - (y->prob < x->prob);
}


/* Would joining the clusters of a and b put a cannot-link pair together? */
static int forbidden(uf *u, const mt_constraints *c, uint32_t a, uint32_t b)
{
    if (!c || !c->ncannot)
        return 0;
    uint32_t x = find(u, a), y = find(u, b);
    for (size_t i = 0; i < c->ncannot; i++) {
        uint32_t p = find(u, c->cannot[i][0]), q = find(u, c->cannot[i][1]);
        if ((p == x && q == y) || (p == y && q == x))
            return 1;
    }
    return 0;
}

/* The levels of the pairs that pass a test, counted into c; how many passed. */
static size_t count_pairs(const mt_result *out, int (*test)(const mt_pair *), double c[MT_FIELDS][MT_LEVELS])
{
    size_t k = 0;
    for (size_t i = 0; i < out->npairs; i++)
        if (test(&out->pairs[i])) {
            k++;
            for (int f = 0; f < MT_FIELDS; f++)
                if (out->pairs[i].level[f] != 255)
                    c[f][out->pairs[i].level[f]] += 1;
        }
    return k;
}

static int national_differ(const mt_pair *q) { return q->id < 0; }
static int national_same(const mt_pair *q) { return q->id > 0; }
static int other_differ(const mt_pair *q) { return !q->id && q->level[6] == 0; } /* two numbers, not a typo apart */
static int any_pair(const mt_pair *q) { (void)q; return 1; }
static int other_same(const mt_pair *q) { return !q->id && q->level[6] == 2; }

/* m and u before EM (see step 3 of mt_resolve).  u from the candidate pairs of two national IDs (then held
 * by EM); too few of them, from those of two other identifiers of a type, else from all the candidate
 * pairs (then refined by EM: random pairs, which hardly ever share an address or a name, would make
 * every candidate, a household's two people too, look like one person, and EM would settle there).  m from the pairs that share a national ID; too few, those that share another identifier;
 * none, agreement likely. */
static void estimate(const mt_records *m, mt_result *out)
{
    double (*mm)[MT_LEVELS] = out->m, (*uu)[MT_LEVELS] = out->u;
    double cu[MT_FIELDS][MT_LEVELS] = { { 0 } }, cm[MT_FIELDS][MT_LEVELS] = { { 0 } };
    out->u_sampled = count_pairs(out, national_differ, cu) < 30;
    if (out->u_sampled) {
        memset(cu, 0, sizeof cu);
        if (count_pairs(out, other_differ, cu) < 30) {
            memset(cu, 0, sizeof cu);
            count_pairs(out, any_pair, cu);
        }
    }
    if (count_pairs(out, national_same, cm) < 30)
        count_pairs(out, other_same, cm);
    for (int f = 0; f < MT_FIELDS; f++) {
        double tu = 0, tm = 0;
        int nl = mt_field_levels(spec_of(m), f);
        for (int l = 0; l < nl; l++)
            tu += cu[f][l] + 1, tm += cm[f][l] + 1;
        for (int l = 0; l < nl; l++) {
            uu[f][l] = (cu[f][l] + 1) / tu;
            mm[f][l] = tm > nl ? (cm[f][l] + 1) / tm : (l == nl - 1 ? 0.9 : 0.1 / (nl - 1));
        }
    }
}

/* A record's blocking keys: its identifiers, phones, e-mail, each name key
 * alone and with the birth date (by its first word), and its address. */
#define MT_KEYS (1 + MT_IDS + MT_PHONES + 1 + 4 * 2 + 1 + MT_RULES * 2)

/* The key of a blocking rule of parts for a name key (0: a part is missing) */
static uint64_t rule_key(const mt_records *m, const mt_rec *r, uint8_t parts, uint32_t name, int rule)
{
    uint64_t h = FNV0 ^ (uint64_t)(rule + 1) * 0x9E3779B97F4A7C15ULL;
    if (parts >> MT_P_AREA & 1) {
        if (!r->area)
            return 0;
        h = fnv(&r->area, sizeof r->area, h);
    }
    const char *k = mt_text(m, name), *sp = strchr(k, ' ');
    if (parts >> MT_P_SURNAME & 1) {
        if (!*k)
            return 0;
        h = fnv(k, sp ? (size_t)(sp - k) : strlen(k), h);
    }
    if (parts >> MT_P_INITIAL & 1) {
        if (!sp || !sp[1])
            return 0;
        h = fnv(sp + 1, 1, h);
    }
    if (parts & (1u << MT_P_BIRTH_DATE | 1u << MT_P_BIRTH_YEAR)) {
        if (r->birth == INT32_MIN)
            return 0;
        int32_t v = parts >> MT_P_BIRTH_DATE & 1 ? r->birth : rp_civil_from_days(r->birth).y;
        h = fnv(&v, sizeof v, h);
    }
    return h ? h : 1;
}
static int rec_keys(const mt_records *m, uint32_t i, uint64_t k[MT_KEYS], uint8_t weak[MT_KEYS])
{
    memset(weak, 0, MT_KEYS);
    const mt_rec *r = &m->r[i];
    uint32_t on = spec_of(m)->blocks;
    int nk = 0;
    if (r->nid)
        k[nk++] = r->nid ^ 0x1111;
    for (int j = 0; j < MT_IDS && (on >> MT_B_IDENTIFIER & 1); j++)
        if (r->ids[j])
            k[nk++] = r->ids[j] ^ 0x2222;
    for (int j = 0; j < MT_PHONES; j++)
        if (r->phone[j] && (on >> MT_B_PHONE & 1))
            k[nk++] = r->phone[j];
    if (r->email && (on >> MT_B_EMAIL & 1))
        k[nk++] = r->email;
    uint32_t names[4] = { r->han_key, r->latin_key, r->latin_alt, r->sorted };
    for (int j = 0; j < 4; j++)
        if (names[j]) {
            if (on >> MT_B_NAME & 1) {
                weak[nk] = 1;
                k[nk++] = hash_str(mt_text(m, names[j]), 'n');
            }
            if (r->birth != INT32_MIN && (on >> MT_B_NAME_BIRTH & 1))
                k[nk++] = surname_hash(mt_text(m, names[j]), (uint64_t)(uint32_t)r->birth * 31 + 'b');
        }
    if (r->addr && (on >> MT_B_ADDRESS & 1))
        k[nk++] = r->addr;
    const mt_spec *sp = spec_of(m);
    for (int q = 0; q < MT_RULES && sp->rules[q]; q++) {
        uint32_t keys2[2] = { r->latin_key ? r->latin_key : r->han_key, r->latin_key ? r->han_key : 0 };
        int named = sp->rules[q] & (1u << MT_P_SURNAME | 1u << MT_P_INITIAL);
        uint64_t first = 0;
        for (int j = 0; j < (named ? 2 : 1); j++) {
            uint64_t key = named && !keys2[j] ? 0 : rule_key(m, r, sp->rules[q], keys2[j], q);
            if (key && key != first)
                k[nk++] = key;
            if (j == 0)
                first = key;
        }
    }
    return nk;
}

/* Every record's keys, sorted by key. */
static int all_keys(const mt_records *m, growing *keys, rp_error *err)
{
    for (uint32_t i = 0; i < m->n; i++) {
        uint64_t k[MT_KEYS];
        uint8_t weak[MT_KEYS];
        int nk = rec_keys(m, i, k, weak);
        for (int j = 0; j < nk; j++) {
            bkey *b = grow(keys, err);
            if (!b)
                return err->code;
            b->key = k[j];
            b->rec = i;
            b->weak = weak[j];
        }
    }
    /* by key, then record: stable, and the records went in in order */
    return rp_sort_by_u64(keys->p, keys->n, sizeof(bkey), offsetof(bkey, key)) ? rp_err(err, RP_NOMEM, NULL) : RP_OK;
}

int mt_rec_anonymous(const mt_rec *r)
{
    int ids = 0; /* a source's own number tells nobody apart from another source's records */
    for (int i = 0; i < MT_IDS; i++)
        ids |= r->ids[i] && !(r->id_type[i] & MT_ID_AGREE_ONLY);
    return !r->nid && !ids && !r->phone[0] && !r->email && !r->addr;
}

int mt_neighbours(const mt_records *m, const mt_params *prm, uint8_t *mark, uint64_t **skip, size_t *nskip,
                  rp_error *err)
{
    *skip = NULL;
    *nskip = 0;
    growing keys = { NULL, 0, 0, sizeof(bkey) }, big = { NULL, 0, 0, sizeof(uint64_t) };
    int rc = all_keys(m, &keys, err);
    bkey *bk = keys.p;
    for (size_t i = 0; i < keys.n && !rc;) {
        size_t j = i;
        int dirty = 0;
        while (j < keys.n && bk[j].key == bk[i].key)
            dirty |= mark[bk[j++].rec] == 1;
        if (j - i > (bk[i].weak ? prm->max_name_block : prm->max_block)) {
            uint64_t *k = grow(&big, err);
            if (!k)
                rc = err->code;
            else
                *k = bk[i].key;
        } else if (dirty) {
            for (size_t a = i; a < j; a++)
                if (!mark[bk[a].rec])
                    mark[bk[a].rec] = 2;
        }
        i = j;
    }
    free(keys.p);
    if (rc) {
        free(big.p);
        return rc;
    }
    *skip = big.p; /* sorted already: the keys were */
    *nskip = big.n;
    return RP_OK;
}

/* ---- mt_resolve, step by step ---- */

/* The pairs of records of one block, bk[i] to bk[j - 1], as (a << 32 | b), a < b. */
static int block_pairs(const bkey *bk, size_t i, size_t j, growing *pairs, rp_error *err)
{
    for (size_t a = i; a < j; a++)
        for (size_t b = a + 1; b < j; b++) {
            if (bk[a].rec == bk[b].rec)
                continue;
            uint64_t *pp = grow(pairs, err);
            if (!pp)
                return err->code;
            uint32_t x = bk[a].rec < bk[b].rec ? bk[a].rec : bk[b].rec,
                     y = bk[a].rec < bk[b].rec ? bk[b].rec : bk[a].rec;
            *pp = (uint64_t)x << 32 | y;
        }
    return RP_OK;
}

/* 1. The candidate pairs: every two records that share a usable block,
 * once each, sorted; *pk is the caller's to free. */
static int candidates(const mt_records *m, const mt_params *prm, mt_result *out, uint64_t **pk, size_t *np,
                      rp_error *err)
{
    growing keys = { NULL, 0, 0, sizeof(bkey) }, pairs = { NULL, 0, 0, sizeof(uint64_t) };
    int rc = all_keys(m, &keys, err);
    bkey *bk = keys.p;
    for (size_t i = 0; i < keys.n && !rc;) {
        size_t j = i;
        while (j < keys.n && bk[j].key == bk[i].key)
            j++;
        if (j - i > (bk[i].weak ? prm->max_name_block : prm->max_block) ||
            (prm->nskip && bsearch(&bk[i].key, prm->skip, prm->nskip, sizeof *prm->skip, by_u64)))
            out->blocks_skipped++;
        else
            rc = block_pairs(bk, i, j, &pairs, err);
        i = j;
    }
    free(keys.p);
    uint64_t *p = pairs.p;
    if (!rc && rp_sort_u64(p, pairs.n))
        rc = rp_err(err, RP_NOMEM, NULL);
    if (rc) {
        free(p);
        return rc;
    }
    size_t n = 0;
    for (size_t i = 0; i < pairs.n; i++)
        if (!n || p[i] != p[n - 1])
            p[n++] = p[i];
    *pk = p;
    *np = n;
    return RP_OK;
}

int mt_candidate_pairs(const mt_records *m, const mt_params *prm, uint64_t **pk, size_t *np, rp_error *err)
{
    mt_result ignore;
    memset(&ignore, 0, sizeof ignore);
    return candidates(m, prm, &ignore, pk, np, err);
}

/* 2. The comparisons: out's pairs from pk (freed here), compared. */
static int compare_pairs(const mt_records *m, mt_result *out, uint64_t *pk, size_t np, rp_error *err)
{
    out->pairs = calloc(np ? np : 1, sizeof *out->pairs);
    out->cluster = calloc(m->n ? m->n : 1, sizeof *out->cluster);
    if (!out->pairs || !out->cluster) {
        free(pk);
        return rp_err(err, RP_NOMEM, NULL);
    }
    out->npairs = np;
    for (size_t i = 0; i < np; i++) {
        out->pairs[i].a = (uint32_t)(pk[i] >> 32);
        out->pairs[i].b = (uint32_t)pk[i];
    }
    free(pk);
    compare_all(m, out->pairs, np);
    return RP_OK;
}

/* The distinct patterns of levels (at most a few thousand), each with its
 * count of pairs: EM and scoring work over these rather than every pair.
 * A pattern's code counts its levels (missing the last) in the radix of
 * each field, then the national IDs (-1, 0, 1). */
static const int radix[MT_FIELDS] = { 5, 4, 3, 3, 3, 5, 4, 4, 4, 4 };
enum { NCODES = 5 * 4 * 3 * 3 * 3 * 5 * 4 * 4 * 4 * 4 * 3 };

typedef struct patterns {
    size_t n;                      /* distinct patterns */
    double *cnt;                   /* pairs per pattern */
    uint32_t *pat;                 /* each pair's pattern */
    int8_t (*lv)[MT_FIELDS + 1];   /* a pattern's levels (-1 missing), then its id */
    int nl[MT_FIELDS];             /* each field's levels (mt_field_levels) */
} patterns;

static void patterns_free(patterns *pt)
{
    free(pt->cnt), free(pt->pat), free(pt->lv);
    memset(pt, 0, sizeof *pt);
}

static int patterns_make(const mt_records *m, const mt_result *out, patterns *pt, rp_error *err)
{
    size_t np = out->npairs;
    uint32_t *index = calloc(NCODES, sizeof *index); /* a code's pattern + 1 */
    pt->pat = malloc((np ? np : 1) * sizeof *pt->pat);
    for (int f = 0; f < MT_FIELDS; f++)
        pt->nl[f] = mt_field_levels(spec_of(m), f);
    size_t cap = 0;
    int failed = !index || !pt->pat;
    for (size_t i = 0; i < np && !failed; i++) {
        const mt_pair *q = &out->pairs[i];
        uint32_t code = (uint32_t)(q->id + 1);
        for (int f = 0; f < MT_FIELDS; f++)
            code = code * (uint32_t)radix[f] + (q->level[f] == 255 ? (uint32_t)radix[f] - 1 : q->level[f]);
        if (!index[code]) {
            if (pt->n == cap) {
                size_t nc = cap ? cap * 2 : 256;
                double *c = realloc(pt->cnt, nc * sizeof *c);
                int8_t(*lv)[MT_FIELDS + 1] = c ? realloc(pt->lv, nc * sizeof *lv) : NULL;
                if (c)
                    pt->cnt = c;
                if (!lv) {
                    failed = 1;
                    break;
                }
                pt->lv = lv, cap = nc;
            }
            pt->cnt[pt->n] = 0;
            pt->lv[pt->n][MT_FIELDS] = q->id;
            for (int f = 0; f < MT_FIELDS; f++)
                pt->lv[pt->n][f] = q->level[f] == 255 ? -1 : (int8_t)q->level[f];
            index[code] = (uint32_t)++pt->n;
        }
        pt->pat[i] = index[code] - 1;
        pt->cnt[index[code] - 1] += 1;
    }
    free(index);
    return failed ? rp_err(err, RP_NOMEM, NULL) : RP_OK;
}

/* 3. m refined by EM over the patterns; u held when it came from pairs known to be two people, else
 * refined too (all the candidates are matches and non-matches both), but never so far that agreeing on a field tells against a match: a field's u that
 * would goes back to where it began (EM's classes swapped on it: the non-matches taken for the matches
 * that lack other evidence).  Returns the match share. */
static double em(const mt_params *prm, const patterns *pt, size_t np, mt_result *out)
{
    double (*mm)[MT_LEVELS] = out->m, (*uu)[MT_LEVELS] = out->u, u0[MT_FIELDS][MT_LEVELS];
    memcpy(u0, uu, sizeof u0);
    double p = prm->model ? prm->model->p : 0.5, last = -1;
    for (int it = 0; it < prm->em_iterations && np && !prm->model && fabs(p - last) > 1e-7; it++) {
        out->em_iterations = it + 1;
        last = p;
        double sm[MT_FIELDS][MT_LEVELS] = { { 0 } }, su[MT_FIELDS][MT_LEVELS] = { { 0 } }, sg = 0;
        double lmm[MT_FIELDS][MT_LEVELS], luu[MT_FIELDS][MT_LEVELS];
        for (int f = 0; f < MT_FIELDS; f++)
            for (int l = 0; l < pt->nl[f]; l++)
                lmm[f][l] = log(mm[f][l]), luu[f][l] = log(uu[f][l]);
        for (size_t c = 0; c < pt->n; c++) {
            double lm = log(p), lu = log(1 - p);
            for (int f = 0; f < MT_FIELDS; f++)
                if (pt->lv[c][f] >= 0)
                    lm += lmm[f][pt->lv[c][f]], lu += luu[f][pt->lv[c][f]];
            int id = pt->lv[c][MT_FIELDS];
            double gi = id > 0 ? 1 : id < 0 ? 0 : 1 / (1 + exp(lu - lm));
            sg += gi * pt->cnt[c];
            for (int f = 0; f < MT_FIELDS; f++)
                if (pt->lv[c][f] >= 0) {
                    sm[f][pt->lv[c][f]] += gi * pt->cnt[c];
                    su[f][pt->lv[c][f]] += (1 - gi) * pt->cnt[c];
                }
        }
        p = sg / (double)np;
        if (p < 1e-4)
            p = 1e-4;
        if (p > 1 - 1e-4)
            p = 1 - 1e-4;
        for (int f = 0; f < MT_FIELDS; f++) {
            double tm = 0, tu = 0;
            for (int l = 0; l < pt->nl[f]; l++)
                tm += sm[f][l] + 1, tu += su[f][l] + 1;
            for (int l = 0; l < pt->nl[f]; l++) {
                mm[f][l] = (sm[f][l] + 1) / tm;
                if (out->u_sampled)
                    uu[f][l] = (su[f][l] + 1) / tu;
            }
            int top = pt->nl[f] - 1;
            if (out->u_sampled && top >= 0 && mm[f][top] < uu[f][top])
                memcpy(uu[f], u0[f], sizeof u0[f]);
        }
    }
    return p;
}

enum { MIN_PAIRS = 30 };

/* What the run should say of the model EM made: one field only to tell people apart by, or no settling. */
static void model_note(const mt_params *prm, const patterns *pt, mt_result *out)
{
    if (prm->model)
        return;
    int fields = 0;
    char which[64] = "";
    for (int f = 0; f < MT_FIELDS; f++) {
        double seen = 0;
        for (size_t c = 0; c < pt->n; c++)
            if (pt->lv[c][f] >= 0)
                seen += pt->cnt[c];
        if (seen > 0 && f != 2) { /* gender alone tells nobody apart */
            fields++;
            snprintf(which, sizeof which, "%s", mt_field_name(f));
        }
    }
    if (fields <= 1)
        snprintf(out->note, sizeof out->note, "the records have %s%s to compare: the weights cannot tell a person "
                 "from a namesake (give the spec more: an identifier, a birth date, a phone, an address)",
                 fields ? "only the " : "nothing", which);
    else if (out->em_iterations >= prm->em_iterations)
        snprintf(out->note, sizeof out->note, "the weights had not settled after %d rounds of EM; check the result "
                 "with rapport match evaluate or rapport match review", out->em_iterations);
}

/* What a scored pair calls for (step 4 of mt_resolve). */
static uint8_t decide(const mt_records *m, const mt_params *prm, const mt_pair *q)
{
    const mt_rec *a = &m->r[q->a], *b = &m->r[q->b];
    if (a->org != b->org || q->id < 0)
        return MT_NONE;
    if (q->id > 0)
        return MT_SAME_ID;
    if ((mt_rec_anonymous(a) || mt_rec_anonymous(b)) && q->level[6] != 2) /* nothing to tell them apart: a person decides */
        return q->prob >= prm->review_at || q->level[0] >= 2 ? MT_REVIEW : MT_NONE;
    if (q->prob >= prm->link_at)
        return MT_LINK;
    return q->prob >= prm->review_at ? MT_REVIEW : MT_NONE;
}

/* 4. Scores, per pattern, and decisions. */
static int score(const mt_records *m, const mt_params *prm, const patterns *pt, mt_result *out, rp_error *err)
{
    double (*mm)[MT_LEVELS] = out->m, (*uu)[MT_LEVELS] = out->u, p = out->p;
    float *pw = malloc((pt->n ? pt->n : 1) * sizeof *pw), *pp = malloc((pt->n ? pt->n : 1) * sizeof *pp);
    if (!pw || !pp) {
        free(pw), free(pp);
        return rp_err(err, RP_NOMEM, NULL);
    }
    for (size_t c = 0; c < pt->n; c++) {
        double w = 0, lm = log(p), lu = log(1 - p);
        for (int f = 0; f < MT_FIELDS; f++)
            if (pt->lv[c][f] >= 0 && mm[f][pt->lv[c][f]] > 0 && uu[f][pt->lv[c][f]] > 0) { /* a model's zero: no weight */
                w += log2(mm[f][pt->lv[c][f]] / uu[f][pt->lv[c][f]]);
                lm += log(mm[f][pt->lv[c][f]]);
                lu += log(uu[f][pt->lv[c][f]]);
            }
        pw[c] = (float)w;
        pp[c] = (float)(1 / (1 + exp(lu - lm)));
    }
    for (size_t i = 0; i < out->npairs; i++) {
        mt_pair *q = &out->pairs[i];
        q->weight = pw[pt->pat[i]];
        q->prob = pp[pt->pat[i]];
        q->decision = decide(m, prm, q);
    }
    free(pw), free(pp);
    return RP_OK;
}

/* Join the clusters of a and b as people decided, whatever their IDs,
 * unless that puts a pair people kept apart together: 1 joined. */
static int join_decided(uf *u, const mt_constraints *c, uint32_t a, uint32_t b)
{
    uint32_t x = find(u, a), y = find(u, b);
    if (x == y || forbidden(u, c, x, y))
        return 0;
    uint32_t lo = x < y ? x : y, hi = x < y ? y : x;
    u->parent[hi] = lo;
    if (!u->nid[lo])
        u->nid[lo] = u->nid[hi];
    if (u->birth[lo] == INT32_MIN)
        u->birth[lo] = u->birth[hi];
    return 1;
}

/* 5. Clusters, strongest links first, after what people decided. */
static int cluster(const mt_records *m, const mt_constraints *cons, mt_result *out, rp_error *err)
{
    size_t n = m->n, np = out->npairs;
    uf u = { malloc(n * sizeof(uint32_t)), malloc(n * sizeof(uint64_t)), malloc(n * sizeof(int32_t)) };
    uint32_t *order = malloc((np ? np : 1) * sizeof *order);
    int rc = RP_OK;
    if (!u.parent || !u.nid || !u.birth || !order) {
        rc = rp_err(err, RP_NOMEM, NULL);
        goto out;
    }
    for (uint32_t i = 0; i < n; i++) {
        u.parent[i] = i;
        u.nid[i] = m->r[i].nid;
        u.birth[i] = m->r[i].birth;
    }
    size_t nl = 0;
    for (size_t i = 0; i < np; i++)
        if (out->pairs[i].decision >= MT_LINK)
            order[nl++] = (uint32_t)i;
        else if (out->pairs[i].decision == MT_REVIEW)
            out->reviews++;
    qsort_r(order, nl, sizeof *order, by_strength, out->pairs);
    /* what people decided comes first: their links hold, their separations too */
    for (size_t i = 0; cons && i < cons->nmust; i++)
        if (cons->must[i][0] < n && cons->must[i][1] < n && join_decided(&u, cons, cons->must[i][0], cons->must[i][1]))
            out->links++;
    for (size_t i = 0; i < nl; i++) {
        mt_pair *q = &out->pairs[order[i]];
        int j = forbidden(&u, cons, q->a, q->b) ? -1 : join(&u, q->a, q->b);
        if (j < 0) {
            q->decision = MT_REVIEW; /* refused: a person decides */
            out->refused++;
            out->reviews++;
        } else {
            out->links++;
        }
    }
    for (uint32_t i = 0; i < n; i++)
        out->cluster[i] = find(&u, i);
out:
    free(u.parent), free(u.nid), free(u.birth), free(order);
    return rc;
}

int mt_resolve(const mt_records *m, const mt_params *prm, const mt_constraints *cons, mt_result *out, rp_error *err)
{
    memset(out, 0, sizeof *out);
    double t0 = rp_monotonic();
    if (m->n > UINT32_MAX - 1)
        return rp_err(err, RP_TOOBIG, "more than 4 billion records");
    uint64_t *pk;
    size_t np;
    patterns pt;
    memset(&pt, 0, sizeof pt);
    int rc = candidates(m, prm, out, &pk, &np, err);
    if (rc || (rc = compare_pairs(m, out, pk, np, err)))
        goto out;
    /* 3. the weights.  u, how often non-matches agree at each level, from the
     * candidate pairs known to be different people (two different valid
     * national IDs): among candidates, non-matches are mostly households and
     * namesakes, who share phones, addresses and names far more often than
     * random pairs do, and a weight that ignored that would link spouses.
     * With too few such pairs, from all the candidate pairs.  m, how often
     * matches agree, first from the pairs that share a national ID, then
     * refined by EM over the candidate pairs with u held (conditional
     * independence; missing levels left out; Laplace smoothing so no level
     * is impossible). */
    if (prm->model) { /* an incremental run scores with the model of the last full one */
        memcpy(out->m, prm->model->m, sizeof out->m);
        memcpy(out->u, prm->model->u, sizeof out->u);
    } else {
        estimate(m, out);
    }
    if ((rc = patterns_make(m, out, &pt, err)))
        goto out;
    if (!prm->model && np < MIN_PAIRS) { /* too few to learn from: agreement likely for matches, as estimate() set */
        out->p = 0.5;
        snprintf(out->note, sizeof out->note, "only %zu candidate pairs: too few to estimate the weights from; "
                 "the prior weights were used (agreement likely for the same person)", np);
    } else {
        out->p = em(prm, &pt, np, out);
        model_note(prm, &pt, out);
    }
    if ((rc = score(m, prm, &pt, out, err)) || (rc = cluster(m, cons, out, err)))
        goto out;
    out->seconds = rp_monotonic() - t0;
out:
    patterns_free(&pt);
    if (rc)
        mt_result_free(out);
    return rc;
}

void mt_result_free(mt_result *r)
{
    free(r->pairs);
    free(r->cluster);
    memset(r, 0, sizeof *r);
}
