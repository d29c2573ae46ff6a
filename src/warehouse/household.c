/* household.c — a customer's household: the customer and the relatives linked to them (spouse,
 * parents, children, siblings, those of a household link), what each holds, and what they hold
 * together, each account once though several of them hold it.  See warehouse.h. */
#include "warehouse/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const family[] = { "household", "spouse", "parent", "child", "sibling", NULL };
static const char *const assets[] = { "deposit", "time_deposit", "investment", "insurance", NULL };
static const char *const debts[] = { "loan", "card", NULL };

enum { MAX_CUR = 64 };
typedef struct {
    char cur[MAX_CUR][4];
    int64_t minor[MAX_CUR];
    int n;
} sums;

typedef struct {
    int64_t *id;
    size_t n, cap;
} idset;

static int in_list(const char *v, const char *const *list)
{
    for (int i = 0; v && list[i]; i++)
        if (!strcmp(v, list[i]))
            return 1;
    return 0;
}

/* RP_OK, or RP_TOOBIG when the sum would not fit or there are more currencies than MAX_CUR: a
 * household's value is shown whole or not at all. */
static int sum_add(sums *s, const char *cur, int64_t minor, rp_error *err)
{
    int i = 0;
    while (i < s->n && strcmp(s->cur[i], cur))
        i++;
    if (i == s->n) {
        if (s->n == MAX_CUR)
            return rp_err(err, RP_TOOBIG, "household: accounts in more than %d currencies", MAX_CUR);
        snprintf(s->cur[s->n], sizeof s->cur[0], "%s", cur);
        s->minor[s->n++] = 0;
    }
    if (__builtin_add_overflow(s->minor[i], minor, &s->minor[i]))
        return rp_err(err, RP_TOOBIG, "household: the balances in %s add up to more than can be counted", cur);
    return RP_OK;
}

/* [{currency, minor, amount}] of the sums, by currency code. */
static json_t *sums_json(sums *s)
{
    for (int i = 1; i < s->n; i++) /* a handful at most: insertion */
        for (int j = i; j > 0 && strcmp(s->cur[j - 1], s->cur[j]) > 0; j--) {
            char c[4];
            int64_t m = s->minor[j];
            memcpy(c, s->cur[j], sizeof c);
            memcpy(s->cur[j], s->cur[j - 1], sizeof c);
            memcpy(s->cur[j - 1], c, sizeof c);
            s->minor[j] = s->minor[j - 1];
            s->minor[j - 1] = m;
        }
    json_t *a = json_array();
    for (int i = 0; i < s->n; i++) {
        char buf[64];
        wh_money_format(s->minor[i], s->cur[i], buf, sizeof buf);
        json_array_append_new(a, json_pack("{s:s, s:I, s:s}", "currency", s->cur[i], "minor", (json_int_t)s->minor[i],
                                           "amount", buf));
    }
    return a;
}

/* Add to mine what one member holds (accounts still open with a balance, by asset and debt), and
 * to all what no member before them held. */
static int holdings(wh *w, int64_t party, sums mine[2], sums all[2], idset *seen, int *accounts, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(w->store,
                              "SELECT DISTINCT a.id, pr.kind, a.currency, a.balance_minor FROM party_account pa "
                              "JOIN account a ON a.id = pa.account_id JOIN product pr ON pr.code = a.product "
                              "WHERE pa.party_id IN (SELECT ?1 UNION ALL SELECT id FROM party WHERE merged_into = ?1) "
                              "AND pa.role IN ('owner', 'joint') AND a.status <> 'closed' AND a.balance_minor IS NOT NULL ORDER BY a.id",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_int(st, 1, party);
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        int64_t id = rp_stmt_int(st, 0);
        const char *kind = rp_stmt_text(st, 1), *cur = rp_stmt_text(st, 2);
        int side = in_list(kind, assets) ? 0 : in_list(kind, debts) ? 1 : -1;
        if (side < 0 || !cur)
            continue;
        (*accounts)++;
        if ((rc = sum_add(&mine[side], cur, rp_stmt_int(st, 3), err)))
            break;
        size_t i = 0;
        while (i < seen->n && seen->id[i] != id)
            i++;
        if (i < seen->n)
            continue; /* a joint account, counted with a member before */
        if (seen->n == seen->cap) {
            size_t cap = seen->cap ? 2 * seen->cap : 32;
            int64_t *p = realloc(seen->id, cap * sizeof *p);
            if (!p) {
                rp_stmt_done(st);
                return rp_err(err, RP_NOMEM, "household: %s", rp_strerror(RP_NOMEM));
            }
            seen->id = p;
            seen->cap = cap;
        }
        seen->id[seen->n++] = id;
        if ((rc = sum_add(&all[side], cur, rp_stmt_int(st, 3), err)))
            break;
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

/* The customer's own row, as wh__related gives the others'. */
static int self_row(wh *w, int64_t party, json_t *members, rp_error *err)
{
    json_t *a = json_array();
    int rc = wh__rows(w,
                      "SELECT id AS party_id, 'self' AS relation, name_zh, name_latin, status, home_branch "
                      "FROM party WHERE id = ?",
                      party, a, -1, err);
    if (!rc && !json_array_size(a))
        rc = rp_err(err, RP_NOTFOUND, "customer %lld: no such customer", (long long)party);
    if (!rc)
        json_array_append(members, json_array_get(a, 0));
    json_decref(a);
    return rc;
}

int wh_household(wh *w, int64_t party, const char *branch, json_t **out, rp_error *err)
{
    json_t *members = json_array(), *rel = json_array();
    int rc = self_row(w, party, members, err);
    if (!rc)
        rc = wh__related(w, party, rel, err);
    size_t i;
    json_t *r;
    json_array_foreach(rel, i, r) {
        if (!in_list(json_string_value(json_object_get(r, "relation")), family))
            continue;
        /* a relative linked both ways, by two kinds or from two merged records is one member (the
         * first kind said) */
        json_int_t id = json_integer_value(json_object_get(r, "party_id"));
        size_t k;
        json_t *x;
        int seen = 0;
        json_array_foreach(members, k, x) seen |= json_integer_value(json_object_get(x, "party_id")) == id;
        if (!seen)
            json_array_append(members, r);
    }
    json_decref(rel);
    sums all[2] = { 0 };
    idset seen = { 0 };
    int not_counted = 0, total_accounts = 0;
    json_array_foreach(members, i, r) {
        if (rc)
            break;
        const char *home = json_string_value(json_object_get(r, "home_branch"));
        int counted = i == 0 || !branch || (home && !strcmp(home, branch));
        json_object_set_new(r, "counted", json_boolean(counted));
        if (!counted) {
            not_counted++;
            continue;
        }
        sums mine[2] = { 0 };
        int accounts = 0;
        if ((rc = holdings(w, json_integer_value(json_object_get(r, "party_id")), mine, all, &seen, &accounts, err)))
            break;
        json_object_set_new(r, "accounts", json_integer(accounts));
        json_object_set_new(r, "assets", sums_json(&mine[0]));
        json_object_set_new(r, "debts", sums_json(&mine[1]));
    }
    free(seen.id);
    total_accounts = (int)seen.n;
    if (rc) {
        json_decref(members);
        return rc;
    }
    *out = json_pack("{s:I, s:o, s:{s:o, s:o, s:i}, s:i}", "customer", (json_int_t)party, "members", members,
                     "combined", "assets", sums_json(&all[0]), "debts", sums_json(&all[1]), "accounts", total_accounts,
                     "not_counted", not_counted);
    return *out ? RP_OK : rp_err(err, RP_NOMEM, "household: %s", rp_strerror(RP_NOMEM));
}
