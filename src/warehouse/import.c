/* import.c — bulk entry of a JSON document into the warehouse, all or nothing. */
#include "warehouse/internal.h"
#include "core/json.h"
#include "core/map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT_MAX_BYTES ((size_t)256 << 20)
#define PATH_MAX_ 160

typedef struct ctx {
    wh *w;
    rp_map *refs; /* party ref -> (intptr_t) party id */
    int64_t job;
    const char *by;
    wh_import_stats *st;
} ctx;

/* Getters that fold the many small checks into one expression each. */
#define STR(obj, path, key, req, out) rp_json_get_str(obj, path, key, req, out, err)
#define INT(obj, path, key, req, out) rp_json_get_int(obj, path, key, req, out, err)
#define BOOL(obj, path, key, req, out) rp_json_get_bool(obj, path, key, req, out, err)

static char *json_text(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return NULL;
    return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
}

static int party_ref(ctx *c, json_t *obj, const char *path, const char *key, int64_t *id,
                     rp_error *err)
{
    json_t *v = json_object_get(obj, key);
    if (json_is_integer(v)) {
        *id = json_integer_value(v);
        int rc = wh_party_exists(c->w, *id, err);
        if (rc == RP_NOTFOUND)
            return rp_err(err, RP_NOTFOUND, "%s.%s: no party %lld", path, key, (long long)*id);
        return rc;
    }
    const char *ref = NULL;
    int rc = STR(obj, path, key, 1, &ref);
    if (rc)
        return rc;
    void *p = rp_map_get(c->refs, ref, strlen(ref));
    if (!p)
        return rp_err(err, RP_NOTFOUND, "%s.%s: unknown party ref '%s'", path, key, ref);
    *id = (int64_t)(intptr_t)p;
    return RP_OK;
}

static int account_ref(ctx *c, json_t *obj, const char *path, const char *key, int64_t *id,
                       rp_error *err)
{
    const char *num = NULL;
    int rc = STR(obj, path, key, 1, &num);
    if (rc)
        return rc;
    if ((rc = wh_account_id(c->w, num, id, err)))
        return rp_err_prefix(err, "%s.%s", path, key);
    return RP_OK;
}

/* Run `each` over the array member `key` of the root. */
typedef int (*each_fn)(ctx *c, json_t *item, const char *path, rp_error *err);

static int each(ctx *c, json_t *root, const char *key, each_fn fn, int64_t *count, rp_error *err)
{
    json_t *arr = NULL;
    int rc = rp_json_get_array(root, "", key, 0, &arr, err);
    if (rc || !arr)
        return rc;
    size_t i;
    json_t *item;
    json_array_foreach(arr, i, item) {
        char path[PATH_MAX_];
        snprintf(path, sizeof path, "%s[%zu]", key, i);
        if (!json_is_object(item))
            return rp_err(err, RP_INVAL, "%s: must be an object", path);
        if ((rc = fn(c, item, path, err)))
            return rc;
        (*count)++;
    }
    return RP_OK;
}

/* The optional "source": { "system", "key" } member: lineage of a party or account. */
static int do_source(ctx *c, json_t *o, const char *path, const char *entity, int64_t id,
                     rp_error *err)
{
    static const char *const keys[] = { "system", "key", NULL };
    json_t *src = json_object_get(o, "source");
    if (!src)
        return RP_OK;
    const char *sys = NULL, *key = NULL;
    char sp[PATH_MAX_];
    snprintf(sp, sizeof sp, "%s.source", path);
    int rc;
    if ((rc = rp_json_check_keys(src, sp, keys, err)) || (rc = STR(src, sp, "system", 1, &sys)) ||
        (rc = STR(src, sp, "key", 1, &key)))
        return rc;
    if ((rc = wh_lineage_add(c->w, entity, id, sys, key, c->job, err)))
        return rp_err_prefix(err, "%s", sp);
    return RP_OK;
}

static int do_branch(ctx *c, json_t *o, const char *path, rp_error *err)
{
    static const char *const keys[] = { "code", "name_zh", "name_en", "county", "district",
                                         "address", "postal_code", "phone", "opened_on",
                                         "closed_on", NULL };
    wh_branch b = { 0 };
    int rc;
    if ((rc = rp_json_check_keys(o, path, keys, err)) || (rc = STR(o, path, "code", 1, &b.code)) ||
        (rc = STR(o, path, "name_zh", 1, &b.name_zh)) ||
        (rc = STR(o, path, "name_en", 0, &b.name_en)) ||
        (rc = STR(o, path, "county", 0, &b.county)) ||
        (rc = STR(o, path, "district", 0, &b.district)) ||
        (rc = STR(o, path, "address", 0, &b.address)) ||
        (rc = STR(o, path, "postal_code", 0, &b.postal_code)) ||
        (rc = STR(o, path, "phone", 0, &b.phone)) ||
        (rc = STR(o, path, "opened_on", 0, &b.opened_on)) ||
        (rc = STR(o, path, "closed_on", 0, &b.closed_on)))
        return rc;
    if ((rc = wh_branch_put(c->w, &b, err)))
        return rp_err_prefix(err, "%s", path);
    return RP_OK;
}

static int do_category(ctx *c, json_t *o, const char *path, rp_error *err)
{
    static const char *const keys[] = { "code", "name_zh", "name_en", "parent", NULL };
    wh_category k = { 0 };
    int rc;
    if ((rc = rp_json_check_keys(o, path, keys, err)) || (rc = STR(o, path, "code", 1, &k.code)) ||
        (rc = STR(o, path, "name_zh", 1, &k.name_zh)) ||
        (rc = STR(o, path, "name_en", 0, &k.name_en)) ||
        (rc = STR(o, path, "parent", 0, &k.parent)))
        return rc;
    if ((rc = wh_category_put(c->w, &k, err)))
        return rp_err_prefix(err, "%s", path);
    return RP_OK;
}

static int do_product(ctx *c, json_t *o, const char *path, rp_error *err)
{
    static const char *const keys[] = { "code", "name_zh", "name_en", "description", "kind",
                                        "features", "constraints", "currency",
                                        "monthly_cost_minor", "monthly_revenue_minor",
                                        "sales_priority", "launched_on", "withdrawn_on",
                                        "categories", NULL };
    wh_product p = { 0 };
    int64_t prio = 0;
    json_t *cats = NULL;
    int rc;
    if ((rc = rp_json_check_keys(o, path, keys, err)) || (rc = STR(o, path, "code", 1, &p.code)) ||
        (rc = STR(o, path, "name_zh", 1, &p.name_zh)) ||
        (rc = STR(o, path, "name_en", 0, &p.name_en)) ||
        (rc = STR(o, path, "description", 0, &p.description)) ||
        (rc = STR(o, path, "kind", 1, &p.kind)) || (rc = STR(o, path, "currency", 0, &p.currency)) ||
        (rc = INT(o, path, "monthly_cost_minor", 0, &p.monthly_cost_minor)) ||
        (rc = INT(o, path, "monthly_revenue_minor", 0, &p.monthly_revenue_minor)) ||
        (rc = INT(o, path, "sales_priority", 0, &prio)) ||
        (rc = STR(o, path, "launched_on", 0, &p.launched_on)) ||
        (rc = STR(o, path, "withdrawn_on", 0, &p.withdrawn_on)) ||
        (rc = rp_json_get_array(o, path, "categories", 1, &cats, err)))
        return rc;
    p.sales_priority = (int)prio;
    size_t n = json_array_size(cats);
    if (n == 0 || n > 32)
        return rp_err(err, RP_INVAL, "%s.categories: one to 32 categories", path);
    const char *list[33];
    for (size_t i = 0; i < n; i++) {
        list[i] = json_string_value(json_array_get(cats, i));
        if (!list[i])
            return rp_err(err, RP_INVAL, "%s.categories[%zu]: must be a string", path, i);
    }
    list[n] = NULL;
    p.categories = list;
    char *features = json_text(o, "features"), *constraints = json_text(o, "constraints");
    p.features_json = features;
    p.constraints_json = constraints;
    rc = wh_product_put(c->w, &p, err);
    free(features);
    free(constraints);
    if (rc)
        return rp_err_prefix(err, "%s", path);
    return RP_OK;
}

static int do_party(ctx *c, json_t *o, const char *path, rp_error *err)
{
    static const char *const keys[] = { "ref", WH_PARTY_ATTRS(WH_ATTR_NAME) "identifiers", "contacts", "source", NULL };
    wh_party p = { 0 };
    const char *ref = NULL;
    json_t *ids = NULL, *contacts = NULL;
    int rc;
    if ((rc = rp_json_check_keys(o, path, keys, err)) || (rc = STR(o, path, "ref", 1, &ref)))
        return rc;
    for (int a = 0; a < WH_NPARTY_ATTRS; a++)
        if ((rc = STR(o, path, wh_party_attr_names[a], a == WH_PA_kind, wh_party_attr_slot(&p, a))))
            return rc;
    if ((rc = rp_json_get_array(o, path, "identifiers", 0, &ids, err)) ||
        (rc = rp_json_get_array(o, path, "contacts", 0, &contacts, err)))
        return rc;
    if (rp_map_get(c->refs, ref, strlen(ref)))
        return rp_err(err, RP_EXISTS, "%s.ref: '%s' is used by another party in this file", path,
                      ref);
    int64_t id;
    if ((rc = wh_party_add(c->w, &p, &id, err)))
        return rp_err_prefix(err, "%s", path);
    if (rp_map_put(c->refs, ref, strlen(ref), (void *)(intptr_t)id, NULL))
        return rp_err(err, RP_NOMEM, NULL);
    if ((rc = do_source(c, o, path, "party", id, err)))
        return rc;
    size_t i;
    json_t *it;
    json_array_foreach(ids, i, it) {
        static const char *const ikeys[] = { "type", "issuer", "value", "valid_from", NULL };
        char ip[PATH_MAX_];
        snprintf(ip, sizeof ip, "%s.identifiers[%zu]", path, i);
        const char *type = NULL, *issuer = NULL, *value = NULL, *from = NULL;
        if ((rc = rp_json_check_keys(it, ip, ikeys, err)) || (rc = STR(it, ip, "type", 1, &type)) ||
            (rc = STR(it, ip, "issuer", 0, &issuer)) || (rc = STR(it, ip, "value", 1, &value)) ||
            (rc = STR(it, ip, "valid_from", 0, &from)))
            return rc;
        if ((rc = wh_identifier_add(c->w, id, type, issuer, value, from, err))) {
            /* "identifier.value: X" reads better as "PATH.value: X" */
            const char *m = rp_errmsg(err);
            char msg[RP_ERROR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", strncmp(m, "identifier.", 11) == 0 ? m + 11 : m);
            return rp_err(err, rc, "%s.%s", ip, msg);
        }
        c->st->identifiers++;
    }
    json_array_foreach(contacts, i, it) {
        static const char *const ckeys[] = { "kind",    "purpose",    "value",    "postal_code", "county",
                                             "district", "primary",   "valid_from", "valid_to", "country",
                                             NULL };
        char cp[PATH_MAX_];
        snprintf(cp, sizeof cp, "%s.contacts[%zu]", path, i);
        wh_contact k = { 0 };
        if ((rc = rp_json_check_keys(it, cp, ckeys, err)) || (rc = STR(it, cp, "kind", 1, &k.kind)) ||
            (rc = STR(it, cp, "purpose", 0, &k.purpose)) || (rc = STR(it, cp, "value", 1, &k.value)) ||
            (rc = STR(it, cp, "postal_code", 0, &k.postal_code)) ||
            (rc = STR(it, cp, "county", 0, &k.county)) ||
            (rc = STR(it, cp, "district", 0, &k.district)) ||
            (rc = BOOL(it, cp, "primary", 0, &k.primary)) ||
            (rc = STR(it, cp, "valid_from", 0, &k.valid_from)) ||
            (rc = STR(it, cp, "valid_to", 0, &k.valid_to)) || (rc = STR(it, cp, "country", 0, &k.country)))
            return rc;
        if ((rc = wh_contact_add(c->w, id, &k, NULL, err))) {
            const char *m = rp_errmsg(err);
            char msg[RP_ERROR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", strncmp(m, "contact.", 8) == 0 ? m + 8 : m);
            return rp_err(err, rc, "%s.%s", cp, msg);
        }
        c->st->contacts++;
    }
    return RP_OK;
}

static int do_account(ctx *c, json_t *o, const char *path, rp_error *err)
{
    static const char *const keys[] = { "number", "product", "branch", "currency", "opened_on",
                                        "closed_on", "status", "balance_minor", "limit_minor",
                                        "balance_at", "interest_rate", "matures_on", "holders", "source", NULL };
    wh_account a = { 0 };
    json_t *holders = NULL;
    int rc;
    if ((rc = rp_json_check_keys(o, path, keys, err)) || (rc = STR(o, path, "number", 1, &a.number)) ||
        (rc = STR(o, path, "product", 1, &a.product)) || (rc = STR(o, path, "branch", 0, &a.branch)) ||
        (rc = STR(o, path, "currency", 1, &a.currency)) ||
        (rc = STR(o, path, "opened_on", 1, &a.opened_on)) ||
        (rc = STR(o, path, "closed_on", 0, &a.closed_on)) ||
        (rc = STR(o, path, "status", 0, &a.status)) ||
        (rc = INT(o, path, "balance_minor", 1, &a.balance_minor)) ||
        (rc = STR(o, path, "balance_at", 0, &a.balance_at)) ||
        (rc = STR(o, path, "interest_rate", 0, &a.interest_rate)) ||
        (rc = STR(o, path, "matures_on", 0, &a.matures_on)) ||
        (rc = rp_json_get_array(o, path, "holders", 1, &holders, err)))
        return rc;
    if (json_object_get(o, "limit_minor") && !json_is_null(json_object_get(o, "limit_minor"))) {
        if ((rc = INT(o, path, "limit_minor", 1, &a.limit_minor)))
            return rc;
        a.has_limit = 1;
    }
    if (json_array_size(holders) == 0)
        return rp_err(err, RP_INVAL, "%s.holders: an account needs at least one holder", path);
    int64_t id;
    if ((rc = wh_account_add(c->w, &a, &id, err)))
        return rp_err_prefix(err, "%s", path);
    size_t i;
    json_t *h;
    json_array_foreach(holders, i, h) {
        static const char *const hkeys[] = { "party", "role", "since", NULL };
        char hp[PATH_MAX_];
        snprintf(hp, sizeof hp, "%s.holders[%zu]", path, i);
        const char *role = NULL, *since = NULL;
        int64_t party;
        if ((rc = rp_json_check_keys(h, hp, hkeys, err)) ||
            (rc = party_ref(c, h, hp, "party", &party, err)) || (rc = STR(h, hp, "role", 1, &role)) ||
            (rc = STR(h, hp, "since", 0, &since)))
            return rc;
        if ((rc = wh_role_add(c->w, party, id, role, since, err)))
            return rp_err_prefix(err, "%s", hp);
        c->st->roles++;
    }
    if ((rc = do_source(c, o, path, "account", id, err)))
        return rc;
    return RP_OK;
}

static int do_party_link(ctx *c, json_t *o, const char *path, rp_error *err)
{
    static const char *const keys[] = { "from", "to", "kind", "since", NULL };
    int64_t from, to;
    const char *kind = NULL, *since = NULL;
    int rc;
    if ((rc = rp_json_check_keys(o, path, keys, err)) || (rc = party_ref(c, o, path, "from", &from, err)) ||
        (rc = party_ref(c, o, path, "to", &to, err)) || (rc = STR(o, path, "kind", 1, &kind)) ||
        (rc = STR(o, path, "since", 0, &since)))
        return rc;
    if ((rc = wh_party_link_add(c->w, from, to, kind, since, err)))
        return rp_err_prefix(err, "%s", path);
    return RP_OK;
}

static int do_account_link(ctx *c, json_t *o, const char *path, rp_error *err)
{
    static const char *const keys[] = { "from", "to", "kind", "since", NULL };
    int64_t from, to;
    const char *kind = NULL, *since = NULL;
    int rc;
    if ((rc = rp_json_check_keys(o, path, keys, err)) ||
        (rc = account_ref(c, o, path, "from", &from, err)) ||
        (rc = account_ref(c, o, path, "to", &to, err)) || (rc = STR(o, path, "kind", 1, &kind)) ||
        (rc = STR(o, path, "since", 0, &since)))
        return rc;
    if ((rc = wh_account_link_add(c->w, from, to, kind, since, err)))
        return rp_err_prefix(err, "%s", path);
    return RP_OK;
}

static int do_txn(ctx *c, json_t *o, const char *path, rp_error *err)
{
    static const char *const keys[] = { "account", "posted_at", "value_date", "amount_minor",
                                        "currency", "channel", "class", "description",
                                        "counterparty", "source_key", NULL };
    wh_txn t = { 0 };
    int rc;
    if ((rc = rp_json_check_keys(o, path, keys, err)) ||
        (rc = account_ref(c, o, path, "account", &t.account_id, err)) ||
        (rc = STR(o, path, "posted_at", 1, &t.posted_at)) ||
        (rc = STR(o, path, "value_date", 0, &t.value_date)) ||
        (rc = INT(o, path, "amount_minor", 1, &t.amount_minor)) ||
        (rc = STR(o, path, "currency", 0, &t.currency)) ||
        (rc = STR(o, path, "channel", 1, &t.channel)) || (rc = STR(o, path, "class", 1, &t.class_)) ||
        (rc = STR(o, path, "description", 0, &t.description)) ||
        (rc = STR(o, path, "counterparty", 0, &t.counterparty)) ||
        (rc = STR(o, path, "source_key", 0, &t.source_key)))
        return rc;
    t.job_id = c->job;
    if (t.source_key)
        t.source = "import";
    if ((rc = wh_txn_add(c->w, &t, NULL, err)))
        return rp_err_prefix(err, "%s", path);
    return RP_OK;
}

static int do_interaction(ctx *c, json_t *o, const char *path, rp_error *err)
{
    static const char *const keys[] = { "party", "at", "channel", "direction", "staff", "reason",
                                        "outcome", "notes", "follow_up_on", NULL };
    wh_interaction i = { 0 };
    int rc;
    if ((rc = rp_json_check_keys(o, path, keys, err)) ||
        (rc = party_ref(c, o, path, "party", &i.party_id, err)) || (rc = STR(o, path, "at", 0, &i.at)) ||
        (rc = STR(o, path, "channel", 1, &i.channel)) ||
        (rc = STR(o, path, "direction", 0, &i.direction)) ||
        (rc = STR(o, path, "staff", 0, &i.staff)) || (rc = STR(o, path, "reason", 0, &i.reason)) ||
        (rc = STR(o, path, "outcome", 0, &i.outcome)) || (rc = STR(o, path, "notes", 0, &i.notes)) ||
        (rc = STR(o, path, "follow_up_on", 0, &i.follow_up_on)))
        return rc;
    i.created_by = c->by;
    if ((rc = wh_interaction_add(c->w, &i, NULL, err)))
        return rp_err_prefix(err, "%s", path);
    return RP_OK;
}

static int do_consent(ctx *c, json_t *o, const char *path, rp_error *err)
{
    static const char *const keys[] = { "party", "purpose", "channel", "granted", "evidence",
                                        "effective_at", NULL };
    wh_consent k = { 0 };
    int rc;
    if ((rc = rp_json_check_keys(o, path, keys, err)) ||
        (rc = party_ref(c, o, path, "party", &k.party_id, err)) ||
        (rc = STR(o, path, "purpose", 1, &k.purpose)) || (rc = STR(o, path, "channel", 1, &k.channel)) ||
        (rc = BOOL(o, path, "granted", 1, &k.granted)) ||
        (rc = STR(o, path, "evidence", 0, &k.evidence)) ||
        (rc = STR(o, path, "effective_at", 0, &k.effective_at)))
        return rc;
    k.recorded_by = c->by;
    if ((rc = wh_consent_set(c->w, &k, err)))
        return rp_err_prefix(err, "%s", path);
    return RP_OK;
}

int wh_import_json(wh *w, const char *file, const char *by, wh_import_stats *stats, rp_error *err)
{
    static const char *const keys[] = { "branches", "categories", "products", "parties",
                                        "accounts", "party_links", "account_links",
                                        "transactions", "interactions", "consents", NULL };
    json_t *root = NULL;
    int rc = rp_json_load_file(file, IMPORT_MAX_BYTES, &root, err);
    if (rc)
        return rc;
    wh_import_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    ctx c = { w, rp_map_new(), 0, by, stats };
    if (!c.refs) {
        json_decref(root);
        return rp_err(err, RP_NOMEM, NULL);
    }
    if ((rc = rp_json_check_keys(root, "", keys, err)))
        goto out;
    if ((rc = rp_store_begin(w->store, err)))
        goto out;
    int64_t links = 0, alinks = 0;
    if ((rc = wh_job_start(w, "import", file, by, &c.job, err)) ||
        (rc = each(&c, root, "branches", do_branch, &stats->branches, err)) ||
        (rc = each(&c, root, "categories", do_category, &stats->categories, err)) ||
        (rc = each(&c, root, "products", do_product, &stats->products, err)) ||
        (rc = each(&c, root, "parties", do_party, &stats->parties, err)) ||
        (rc = each(&c, root, "accounts", do_account, &stats->accounts, err)) ||
        (rc = each(&c, root, "party_links", do_party_link, &links, err)) ||
        (rc = each(&c, root, "account_links", do_account_link, &alinks, err)) ||
        (rc = each(&c, root, "transactions", do_txn, &stats->transactions, err)) ||
        (rc = each(&c, root, "interactions", do_interaction, &stats->interactions, err)) ||
        (rc = each(&c, root, "consents", do_consent, &stats->consents, err))) {
        rp_store_rollback(w->store);
        goto out;
    }
    stats->links = links + alinks;
    int64_t rows = stats->branches + stats->categories + stats->products + stats->parties +
                   stats->accounts + stats->links + stats->transactions + stats->interactions +
                   stats->consents;
    if ((rc = wh_job_finish(w, c.job, "done", rows, 0, err)) || (rc = wh_c360_catch_up(w, NULL, err)) ||
        (rc = rp_store_commit(w->store, err))) {
        rp_store_rollback(w->store);
        goto out;
    }
out:
    if (rc)
        rp_err_prefix(err, "%s", file);
    rp_map_free(c.refs, NULL);
    json_decref(root);
    return rc;
}

int wh_reference_put(wh *w, json_t *doc, const char *what, rp_error *err)
{
    static const char *const keys[] = { "branches", "categories", "products", NULL };
    wh_import_stats st = { 0 };
    ctx c = { w, NULL, 0, NULL, &st };
    int rc;
    if ((rc = rp_json_check_keys(doc, "reference", keys, err)) ||
        (rc = each(&c, doc, "branches", do_branch, &st.branches, err)) ||
        (rc = each(&c, doc, "categories", do_category, &st.categories, err)) ||
        (rc = each(&c, doc, "products", do_product, &st.products, err)))
        return rp_err_prefix(err, "%s", what);
    return RP_OK;
}
