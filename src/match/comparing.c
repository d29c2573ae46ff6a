/* comparing.c — the matching specification: which fields are compared and
 * how, which blocks bring records together, and the thresholds (`rapport
 * match --spec FILE`).  See match.h. */
#include "match/internal.h"
#include "core/buf.h"
#include "core/json.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *const field_names[MT_SPEC_FIELDS + 1] = { "name",        "birth_date", "gender",     "phone",
                                                              "email",       "address",    "identifier", "occupation",
                                                              "income_band", "home_branch", NULL };
static const char *const block_names[MT_BLOCK_KINDS + 1] = { "national_id", "identifier", "phone",   "email",
                                                             "name",        "name_birth", "address", NULL };

/* the defaults, never written (several threads of the server compare with them at once); an object of
 * static storage: its padding is zero too, as mt_spec_default's memset makes a copy's */
static const mt_spec defaults = { .use = { 1, 1, 1, 1, 1, 1, 1 },
                                  .name_method = MT_NAME_WORDS,
                                  .date_method = MT_METHOD_TYPOS,
                                  .address_method = MT_METHOD_TYPOS,
                                  .id_method = MT_METHOD_TYPOS,
                                  .name_same = 0.99,
                                  .name_close = 0.93,
                                  .name_alike = 0.85,
                                  .address_alike = 0.9,
                                  .attr_alike = { 0.9, 0.9, 0.9 },
                                  .blocks = (1u << MT_BLOCK_KINDS) - 1,
                                  .max_block = 200,
                                  .max_name_block = 50 };

const mt_spec *mt_spec_defaults(void) { return &defaults; }

void mt_spec_default(mt_spec *s)
{
    memset(s, 0, sizeof *s);
    memcpy(s->use, defaults.use, sizeof s->use);
    s->name_method = defaults.name_method;
    s->date_method = defaults.date_method, s->address_method = defaults.address_method;
    s->id_method = defaults.id_method;
    s->name_same = defaults.name_same, s->name_close = defaults.name_close, s->name_alike = defaults.name_alike;
    s->address_alike = defaults.address_alike;
    memcpy(s->attr_alike, defaults.attr_alike, sizeof s->attr_alike);
    s->blocks = defaults.blocks;
    s->max_block = defaults.max_block, s->max_name_block = defaults.max_name_block;
}

static int one_of(const char *path, const char *v, const char *const *list, int *out, rp_error *err)
{
    char all[200] = "";
    for (int i = 0; list[i]; i++) {
        if (!strcmp(v, list[i])) {
            *out = i;
            return RP_OK;
        }
        snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s", i ? ", " : "", list[i]);
    }
    return rp_err(err, RP_INVAL, "%s: '%s' is not one of %s", path, v, all);
}

/* A number of a member, from lo to hi */
static int number(const json_t *o, const char *path, const char *key, double lo, double hi, double *out,
                  rp_error *err)
{
    json_t *v = json_object_get(o, key);
    if (!v)
        return RP_OK;
    if (!json_is_number(v) || json_number_value(v) < lo || json_number_value(v) > hi)
        return rp_err(err, RP_INVAL, "%s.%s: a number from %g to %g is needed", path, key, lo, hi);
    *out = json_number_value(v);
    return RP_OK;
}

/* One of the party's attributes (a = f - MT_FIRST_ATTR): {"method": exact | jaro_winkler | number, and its
 * thresholds, each only with its method} */
static int parse_attr(const json_t *v, const char *path, int a, mt_spec *s, rp_error *err)
{
    static const char *const methods[] = { "exact", "jaro_winkler", "number", NULL };
    static const char *const keys[] = { "method", "alike", "within", "within_share", NULL };
    static const char *const own[] = { "alike", "within", "within_share" };
    static const int owner[] = { MT_ATTR_JW, MT_ATTR_NUMBER, MT_ATTR_NUMBER };
    const char *m = NULL;
    int rc = rp_json_check_keys(v, path, keys, err), method = MT_ATTR_EXACT;
    if (!rc)
        rc = rp_json_get_str(v, path, "method", 0, &m, err);
    char mp[80];
    snprintf(mp, sizeof mp, "%s.method", path);
    if (!rc && m)
        rc = one_of(mp, m, methods, &method, err);
    if (rc)
        return rc;
    for (int k = 0; k < 3; k++)
        if (json_object_get(v, own[k]) && method != owner[k])
            return rp_err(err, RP_INVAL, "%s.%s: only with method %s", path, own[k], methods[owner[k]]);
    s->attr_method[a] = (uint8_t)method;
    if ((rc = number(v, path, "alike", 0.5, 1, &s->attr_alike[a], err)) ||
        (rc = number(v, path, "within", 0, 1e15, &s->attr_within[a], err)) ||
        (rc = number(v, path, "within_share", 0, 1, &s->attr_share[a], err)))
        return rc;
    return RP_OK;
}

/* One field of "compare": false, true, or {"method": ..., and its thresholds} */
static int parse_field(const json_t *v, int f, mt_spec *s, rp_error *err)
{
    static const char *const name_methods[] = { "words", "jaro_winkler", "exact", NULL };
    static const char *const typo_methods[] = { "typos", "exact", NULL };
    static const char *const addr_methods[] = { "parts", "exact", NULL };
    static const char *const plain[] = { NULL }, *const name_keys[] = { "method", "same", "close", "alike", NULL },
                             *const addr_keys[] = { "method", "alike", NULL }, *const method_keys[] = { "method", NULL };
    char path[64];
    snprintf(path, sizeof path, "compare.%s", field_names[f]);
    if (json_is_boolean(v)) {
        s->use[f] = (uint8_t)json_is_true(v);
        return RP_OK;
    }
    if (!json_is_object(v))
        return rp_err(err, RP_INVAL, "%s: true, false or an object is needed", path);
    if (f >= MT_FIRST_ATTR) {
        s->use[f] = 1;
        return parse_attr(v, path, f - MT_FIRST_ATTR, s, err);
    }
    const char *const *keys = f == 0 ? name_keys : f == 5 ? addr_keys : f == 1 || f == 6 ? method_keys : plain;
    const char *m = NULL;
    int rc = rp_json_check_keys(v, path, keys, err);
    if (!rc)
        rc = rp_json_get_str(v, path, "method", 0, &m, err);
    char mp[80];
    snprintf(mp, sizeof mp, "%s.method", path);
    int method = 0;
    if (!rc && m)
        rc = one_of(mp, m, f == 0 ? name_methods : f == 5 ? addr_methods : typo_methods, &method, err);
    if (rc)
        return rc;
    if (f == 0) {
        s->name_method = (uint8_t)method;
        if ((rc = number(v, path, "same", 0.5, 1, &s->name_same, err)) ||
            (rc = number(v, path, "close", 0.5, 1, &s->name_close, err)) ||
            (rc = number(v, path, "alike", 0.5, 1, &s->name_alike, err)))
            return rc;
        if (!(s->name_alike <= s->name_close && s->name_close <= s->name_same))
            return rp_err(err, RP_INVAL, "%s: alike %g, close %g and same %g must not decrease", path, s->name_alike,
                          s->name_close, s->name_same);
    } else if (f == 5) {
        s->address_method = (uint8_t)method;
        if ((rc = number(v, path, "alike", 0.5, 1, &s->address_alike, err)))
            return rc;
    } else if (f == 1) {
        s->date_method = (uint8_t)method;
    } else if (f == 6) {
        s->id_method = (uint8_t)method;
    }
    return RP_OK;
}

/* {"all": ["area", "surname", ...]}: a rule of parts */
static int parse_rule(const json_t *v, const char *path, mt_spec *s, rp_error *err)
{
    static const char *const parts[] = { "area", "surname", "initial", "birth_date", "birth_year", NULL };
    static const char *const keys[] = { "all", NULL };
    int rc = rp_json_check_keys(v, path, keys, err), r = 0;
    if (rc)
        return rc;
    json_t *all = json_object_get(v, "all");
    if (!json_is_array(all) || !json_array_size(all))
        return rp_err(err, RP_INVAL, "%s.all: a list of parts (area, surname, initial, birth_date, birth_year) is "
                                     "needed", path);
    while (r < MT_RULES && s->rules[r])
        r++;
    if (r == MT_RULES)
        return rp_err(err, RP_INVAL, "%s: more than %d blocking rules of parts", path, MT_RULES);
    size_t i;
    json_t *p;
    json_array_foreach(all, i, p) {
        char pp[64];
        snprintf(pp, sizeof pp, "%s.all[%zu]", path, i);
        int k;
        if (!json_is_string(p))
            return rp_err(err, RP_INVAL, "%s: a part's name is needed", pp);
        if ((rc = one_of(pp, json_string_value(p), parts, &k, err)))
            return rc;
        s->rules[r] |= (uint8_t)(1u << k);
    }
    return RP_OK;
}

static int parse_blocks(const json_t *b, mt_spec *s, rp_error *err)
{
    if (!json_is_array(b) || !json_array_size(b))
        return rp_err(err, RP_INVAL, "blocking: a list of one or more of national_id, identifier, phone, email, "
                                     "name, name_birth, address is needed");
    s->blocks = 1u << MT_B_NATIONAL; /* a valid national ID is one person's: always a block */
    size_t i;
    json_t *v;
    json_array_foreach(b, i, v) {
        char path[32];
        snprintf(path, sizeof path, "blocking[%zu]", i);
        if (json_is_object(v)) {
            int rc = parse_rule(v, path, s, err);
            if (rc)
                return rc;
            continue;
        }
        if (!json_is_string(v))
            return rp_err(err, RP_INVAL, "%s: a block's name or a rule ({\"all\": [parts]}) is needed", path);
        int k;
        int rc = one_of(path, json_string_value(v), block_names, &k, err);
        if (rc)
            return rc;
        s->blocks |= 1u << k;
    }
    return RP_OK;
}

static int parse_doc(const json_t *j, mt_spec *s, mt_params *p, rp_error *err)
{
    static const char *const keys[] = { "link_at", "review_at", "max_block", "max_name_block", "compare", "blocking",
                                        "description", NULL };
    int rc = rp_json_check_keys(j, "spec", keys, err);
    double blk = (double)s->max_block, nblk = (double)s->max_name_block;
    if (rc || (rc = number(j, "spec", "link_at", 0, 1, &p->link_at, err)) ||
        (rc = number(j, "spec", "review_at", 0, 1, &p->review_at, err)) ||
        (rc = number(j, "spec", "max_block", 2, 100000, &blk, err)) ||
        (rc = number(j, "spec", "max_name_block", 2, 100000, &nblk, err)))
        return rc;
    /* both in the file: they must agree (with the command line's, the caller checks) */
    if (json_object_get(j, "link_at") && json_object_get(j, "review_at") && p->review_at > p->link_at)
        return rp_err(err, RP_INVAL, "spec.review_at: %g is above link_at %g", p->review_at, p->link_at);
    /* the block limits are the spec's (in its hash: another limit, another model) and the run's */
    s->max_block = p->max_block = (size_t)blk, s->max_name_block = p->max_name_block = (size_t)nblk;
    json_t *c = json_object_get(j, "compare");
    if (c && !json_is_object(c))
        return rp_err(err, RP_INVAL, "compare: an object of the fields is needed");
    const char *k;
    json_t *v;
    json_object_foreach(c, k, v) {
        int f;
        if ((rc = one_of("compare", k, field_names, &f, err)) || (rc = parse_field(v, f, s, err)))
            return rc;
    }
    json_t *b = json_object_get(j, "blocking");
    return b ? parse_blocks(b, s, err) : RP_OK;
}

int mt_spec_parse(const char *text, size_t n, const char *name, mt_spec *s, mt_params *p, rp_error *err)
{
    mt_spec_default(s);
    json_error_t je;
    json_t *j = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
    if (!j)
        return rp_err(err, RP_INVAL, "match spec %s: line %d: %s", name, je.line, je.text);
    int rc = json_is_object(j) ? parse_doc(j, s, p, err) : rp_err(err, RP_INVAL, "spec: an object is needed");
    if (rc) {
        json_decref(j);
        return rp_err_prefix(err, "match spec %s", name);
    }
    /* what it says, in one canonical form, hashed: a spec that says the default is the default */
    mt_spec d;
    mt_spec_default(&d);
    s->hash = 0;
    if (memcmp(s, &d, sizeof d)) /* both begin zeroed, padding too (mt_spec_default) */
        s->hash = mt_hash(s, sizeof *s) | 1;
    json_decref(j);
    return RP_OK;
}

int mt_spec_file(const char *path, mt_spec *s, mt_params *p, rp_error *err)
{
    rp_buf b = RP_BUF_INIT;
    int rc = rp_buf_read_file(&b, path, 1 << 20, err);
    if (!rc)
        rc = mt_spec_parse(b.data ? b.data : "", b.len, path, s, p, err);
    rp_buf_release(&b);
    return rc;
}
