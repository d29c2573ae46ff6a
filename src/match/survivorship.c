/* survivorship.c — which member's value a person shows: the rules, from the
 * configuration, and the values chosen by them.  See match.h and internal.h. */
#include "match/internal.h"
#include "core/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const rule_names[] = { "trusted", "recent", "complete" };

int mt_attr_slot(int a)
{
#define ATTR_FLAGS(n, check, max, zh, en, flags) flags,
    static const int flags[] = { WH_PARTY_ATTRS(ATTR_FLAGS) };
#undef ATTR_FLAGS
    for (int i = 0; i < WH_NPARTY_ATTRS && a >= 0; i++)
        if ((flags[i] & WH_PA_PERSON) && a-- == 0)
            return i;
    return -1;
}

const char *mt_attr_name(int a)
{
    int i = mt_attr_slot(a);
    return i >= 0 ? wh_party_attr_names[i] : "?";
}

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
    mt_spec_default(&o->spec);
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

/* trust = host, card, online */
static int parse_trust(mt_survivorship *sv, const char *v, rp_error *err)
{
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
            return rp_err(err, RP_TOOBIG, "[survivorship] trust: source '%.*s' is longer than %zu bytes", (int)n, s,
                          sizeof sv->trust[0] - 1);
        snprintf(sv->trust[sv->ntrust++], sizeof sv->trust[0], "%.*s", (int)n, s);
        s += n;
    }
    if (!sv->ntrust)
        return rp_err(err, RP_INVAL, "[survivorship] trust: no source named (e.g. host, card, online)");
    return RP_OK;
}

/* name = rule, for an attribute by name */
static int parse_attr_rule(mt_survivorship *sv, const char *name, const char *v, rp_error *err)
{
    int a = 0;
    while (a < MT_ATTRS && strcmp(name, mt_attr_name(a)))
        a++;
    if (a < MT_ATTRS)
        return parse_rule(name, v, &sv->rule[a], err);
    char names[256] = "";
    size_t len = 0;
    for (int i = 0; i < MT_ATTRS && len < sizeof names; i++)
        len += (size_t)snprintf(names + len, sizeof names - len, ", %s", mt_attr_name(i));
    return rp_err(err, RP_INVAL, "[survivorship] %s: no such attribute (trust, default%s)", name, names);
}

int mt_survivorship_config(mt_survivorship *sv, const rp_config *c, rp_error *err)
{
    mt_survivorship_default(sv);
    int rc;
    const char *v = rp_config_get(c, "survivorship", "trust", NULL);
    if (v && (rc = parse_trust(sv, v, err)))
        return rc;
    uint8_t def = MT_TRUSTED;
    if ((v = rp_config_get(c, "survivorship", "default", NULL)) && (rc = parse_rule("default", v, &def, err)))
        return rc;
    for (int a = 0; a < MT_ATTRS; a++)
        sv->rule[a] = def;
    size_t it = 0;
    const char *name;
    while ((name = rp_config_next(c, "survivorship", &it, &v)))
        if (strcmp(name, "trust") && strcmp(name, "default") && (rc = parse_attr_rule(sv, name, v, err)))
            return rc;
    return RP_OK;
}

int mt_trust(const mt_survivorship *sv, const char *source)
{
    for (int i = 0; i < sv->ntrust; i++)
        if (strcmp(source, sv->trust[i]) == 0)
            return i;
    return MT_TRUST_MAX;
}

int mt_by_trust(const void *a, const void *b)
{
    const mt_member *x = a, *y = b;
    return x->trust != y->trust ? x->trust - y->trust : (x->rec > y->rec) - (x->rec < y->rec);
}

int mt_survivors(const mt_records *m, const mt_attrs *at, const mt_survivorship *sv, const mt_member *mem,
                 size_t k, wh_party *p, rp_error *err)
{
    const char *val[MT_A_N] = { 0 }, *when[MT_ATTRS] = { 0 };
    int any_active = 0;
    for (size_t i = 0; i < k; i++) {
        size_t rec = mem[i].rec;
        const char *updated = mt_attr_at(at, rec, MT_A_UPDATED);
        if (!updated)
            updated = "";
        for (int a = 0; a < MT_ATTRS; a++) {
            const char *t = mt_attr_at(at, rec, a);
            if (!t)
                continue;
            int better = !val[a] || (sv->rule[a] == MT_RECENT && strcmp(updated, when[a]) > 0) ||
                         (sv->rule[a] == MT_COMPLETE && rp_utf8_count(t, strlen(t)) > rp_utf8_count(val[a], strlen(val[a])));
            if (better) {
                val[a] = t;
                when[a] = updated;
            }
        }
        const char *status = mt_attr_at(at, rec, MT_A_STATUS);
        any_active |= status && !strcmp(status, "active");
        if (status && !val[MT_A_STATUS])
            val[MT_A_STATUS] = status;
    }
    memset(p, 0, sizeof *p);
    for (int a = 0; a < MT_ATTRS; a++)
        *wh_party_attr_slot(p, mt_attr_slot(a)) = val[a];
    /* a person is active while any of their records is */
    p->status = any_active || !val[MT_A_STATUS] ? "active" : val[MT_A_STATUS];
    if (!p->kind)
        p->kind = "person";
    if (!p->name_zh && !p->name_latin)
        return rp_err(err, RP_INVAL, "the person of party %lld: no member has a name", (long long)m->r[mem[0].rec].party);
    return RP_OK;
}
