/* job_cluster.c — cluster (DOMAIN M7, M8): k-means++ over the active
 * customers' standardised features, k by silhouette or elbow or as asked,
 * each customer's cluster (customer_segment), each cluster described in
 * words from what sets it apart. */
#include "analytics/cluster.h"
#include "analytics/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

an_job_fn an_cluster_job;

enum { CF_RECENCY, CF_FREQUENCY, CF_MONETARY, CF_PROFIT, CF_BALANCE, CF_PRODUCTS, CF_DIGITAL, CF_AGE, CF_N };
static const char *const cf_names[CF_N] = { "recency_days", "frequency", "monetary", "profit", "balance", "products",
                                            "digital_share", "age" };
static const char *const cf_high[CF_N] = { "long since their last transaction", "transacts often", "spends a lot",
                                           "very profitable", "large balances", "holds many products",
                                           "banks online", "older" };
static const char *const cf_low[CF_N] = { "recently active", "transacts rarely", "spends little", "unprofitable",
                                          "small balances", "holds few products", "prefers branch, ATM and phone",
                                          "younger" };

static double slog(double v) { return v < 0 ? -log1p(-v) : log1p(v); }

typedef struct clustering {
    an_valued d;
    an_attrs_ctx a;
    size_t n, m;                 /* customers, active ones */
    uint32_t *who;               /* the customer of each active row */
    double *x, *raw;             /* m x CF_N: standardised, and in the original units */
    an_kmeans best;
    int bestk;
    double sil[21];
} clustering;

/* The features of the active customers (the inactive are a group of their own, not a cluster). */
static int features(clustering *c, rp_error *err)
{
    const an_valued *d = &c->d;
    size_t n = c->n, nn = n ? n : 1;
    c->who = malloc(nn * sizeof *c->who);
    c->x = malloc(nn * CF_N * sizeof *c->x);
    c->raw = malloc(nn * CF_N * sizeof *c->raw);
    if (!c->who || !c->x || !c->raw)
        return rp_err(err, RP_NOMEM, NULL);
    double age_sum = 0;
    size_t aged = 0;
    for (size_t i = 0; i < n; i++)
        if (d->v[i].transactions > 0) {
            int y = an_age(d->base.cust[i].birth, c->a.as_of);
            if (y >= 0)
                age_sum += y, aged++;
        }
    for (size_t i = 0; i < n; i++) {
        if (!d->v[i].transactions)
            continue;
        const an_window *w = &d->base.cust[i].w[0];
        int y = an_age(d->base.cust[i].birth, c->a.as_of);
        double ds = an_digital_share(w);
        double *r = c->raw + c->m * CF_N;
        r[CF_RECENCY] = c->a.recency[i] < 0 ? (double)(d->base.p.to[0] - d->base.p.from[0]) : c->a.recency[i];
        r[CF_FREQUENCY] = w->act_n;
        r[CF_MONETARY] = (double)w->act_sum / 100;
        r[CF_PROFIT] = (double)d->v[i].profit / 100;
        r[CF_BALANCE] = (double)d->v[i].deposits / 100;
        r[CF_PRODUCTS] = d->base.cust[i].products;
        r[CF_DIGITAL] = isnan(ds) ? 0 : ds;
        r[CF_AGE] = y >= 0 ? y : aged ? age_sum / (double)aged : 0;
        double *z = c->x + c->m * CF_N;
        memcpy(z, r, CF_N * sizeof *z);
        z[CF_FREQUENCY] = log1p(z[CF_FREQUENCY]);
        z[CF_MONETARY] = log1p(z[CF_MONETARY]);
        z[CF_PROFIT] = slog(z[CF_PROFIT]);
        z[CF_BALANCE] = log1p(z[CF_BALANCE]);
        c->who[c->m++] = (uint32_t)i;
    }
    return RP_OK;
}

/* k from 2 to 8 (or as asked, or fewer for few customers), each tried;
 * the chosen one run again into c->best. */
static int choose_k(clustering *c, const an_job_opts *o, const char *choose, json_t *tried, rp_error *err)
{
    size_t m = c->m;
    int kmin = o->k ? o->k : 2, kmax = o->k ? o->k : 8;
    if (m < (size_t)kmax + 1) {
        if (m < 3)
            return rp_err(err, RP_INVAL, "cluster: %zu active customers; at least 3 are needed", m);
        kmax = (int)m - 1;
        if (kmin > kmax)
            kmin = kmax;
    }
    uint64_t seed = 20261123;
    double wss[21];
    an_standardise(c->x, m, CF_N, NULL, NULL);
    for (int k = kmin; k <= kmax; k++) {
        an_kmeans km;
        int rc = an_kmeans_run(c->x, m, CF_N, k, seed + (uint64_t)k, 4, &km, err);
        if (rc)
            return rc;
        wss[k] = km.wss;
        c->sil[k] = an_silhouette(c->x, m, CF_N, km.assign, k, 2000, seed);
        json_array_append_new(tried, json_pack("{s:i, s:f, s:f}", "k", k, "within_ss", round(km.wss * 10) / 10,
                                               "silhouette", round(c->sil[k] * 10000) / 10000));
        an_kmeans_free(&km);
    }
    c->bestk = kmin;
    if (kmin == kmax)
        c->bestk = kmin;
    else if (choose[0] == 'e')
        c->bestk = an_elbow(wss + kmin, kmin, kmax - kmin + 1);
    else
        for (int k = kmin; k <= kmax; k++)
            if (c->sil[k] > c->sil[c->bestk])
                c->bestk = k;
    return an_kmeans_run(c->x, m, CF_N, c->bestk, seed + (uint64_t)c->bestk, 4, &c->best, err);
}

/* What sets cluster k apart, in words, strongest first (zm: its means in
 * standard deviations). */
static void profile_words(const double zm[CF_N], char *words, size_t n)
{
    int order[CF_N];
    for (int f = 0; f < CF_N; f++)
        order[f] = f;
    for (int i = 1; i < CF_N; i++)
        for (int j = i; j > 0 && fabs(zm[order[j]]) > fabs(zm[order[j - 1]]); j--) {
            int tmp = order[j];
            order[j] = order[j - 1];
            order[j - 1] = tmp;
        }
    words[0] = 0;
    size_t wl = 0;
    for (int i = 0, said = 0; i < CF_N && said < 4; i++) {
        int f = order[i];
        if (fabs(zm[f]) < 0.4)
            break;
        wl += (size_t)snprintf(words + wl, n - wl, "%s%s%s", said ? "; " : "", zm[f] > 0 ? cf_high[f] : cf_low[f],
                               fabs(zm[f]) >= 1.0 ? " (far from the average)" : "");
        if (wl >= n)
            wl = n - 1;
        said++;
    }
    if (!wl)
        snprintf(words, n, "close to the average active customer");
}

/* Profiles: each cluster's means, and the features that set it apart, in words. */
static json_t *profiles(const clustering *c)
{
    size_t m = c->m;
    static const char *const cols[] = { "cluster", "customers", "customers_%", "profile", "recency_days", "frequency",
                                        "monetary", "profit", "balance", "products", "digital_share", "age", NULL };
    json_t *t = an_table_new(cols);
    for (int k = 0; k < c->bestk; k++) {
        double mean[CF_N] = { 0 }, zm[CF_N] = { 0 };
        size_t cnt = c->best.size[k];
        for (size_t j = 0; j < m; j++)
            if (c->best.assign[j] == k)
                for (int f = 0; f < CF_N; f++) {
                    mean[f] += c->raw[j * CF_N + f] / (double)cnt;
                    zm[f] += c->x[j * CF_N + f] / (double)cnt;
                }
        char words[512], name[32];
        profile_words(zm, words, sizeof words);
        snprintf(name, sizeof name, "cluster %d", k + 1);
        an_table_add(t, json_pack("[s, I, o, s, f, f, f, f, f, f, f, f]", name, (json_int_t)cnt,
                                  an_pct(m ? (double)cnt / (double)m : 0), words, round(mean[CF_RECENCY] * 10) / 10,
                                  round(mean[CF_FREQUENCY] * 10) / 10, round(mean[CF_MONETARY] * 100) / 100,
                                  round(mean[CF_PROFIT] * 100) / 100, round(mean[CF_BALANCE] * 100) / 100,
                                  round(mean[CF_PRODUCTS] * 100) / 100, round(mean[CF_DIGITAL] * 1000) / 1000,
                                  round(mean[CF_AGE] * 10) / 10));
    }
    return t;
}

int an_cluster_job(wh *w, const an_job_opts *o, json_t **summary, rp_error *err)
{
    const char *choose = o->choose ? o->choose : "silhouette";
    if (strcmp(choose, "silhouette") && strcmp(choose, "elbow"))
        return rp_err(err, RP_INVAL, "--choose: '%s' is not silhouette or elbow", choose);
    if (o->k < 0 || o->k > 20)
        return rp_err(err, RP_INVAL, "--k: %d is not from 2 to 20", o->k);
    if (o->k == 1)
        return rp_err(err, RP_INVAL, "--k: 1 cluster is every customer; ask for 2 to 20");
    clustering c;
    memset(&c, 0, sizeof c);
    json_t *params = NULL, *sum = NULL, *tried = json_array();
    an_run r;
    int rc = an_valued_load(&c.d, w, o, &params, err);
    if (rc || (rc = an_attrs_compute(&c.a, &c.d, o, 0, err)))
        goto out;
    c.n = c.d.base.ncust;
    if ((rc = features(&c, err)) || (rc = choose_k(&c, o, choose, tried, err)))
        goto out;
    json_object_set_new(params, "choose", json_string(o->k ? "fixed" : choose));
    json_object_set_new(params, "features", json_pack("[s,s,s,s,s,s,s,s]", cf_names[0], cf_names[1], cf_names[2],
                                                      cf_names[3], cf_names[4], cf_names[5], cf_names[6], cf_names[7]));
    if ((rc = an_run_begin(w, o, params, &r, err)))
        goto out;
    for (size_t j = 0; o->save && !rc && j < c.m; j++) {
        char name[32];
        snprintf(name, sizeof name, "cluster %d", c.best.assign[j] + 1);
        rc = an_segment_insert(&r, c.d.base.cust[c.who[j]].id, name, err);
    }
    if (rc) {
        an_run_abort(&r);
        goto out;
    }
    char head[256];
    snprintf(head, sizeof head, "%zu active customers in %d clusters (k by %s%s, silhouette %.3f); %zu inactive left "
             "out", c.m, c.bestk, o->k ? "request" : choose, "", c.sil[c.bestk], c.n - c.m);
    sum = json_pack("{s:s, s:i, s:O, s:I, s:o}", "headline", head, "k", c.bestk, "tried", tried, "inactive",
                    (json_int_t)(c.n - c.m), "table", profiles(&c));
    rc = an_run_end(&r, sum, c.m, err);
out:
    json_decref(tried);
    json_decref(params);
    an_kmeans_free(&c.best);
    free(c.who), free(c.x), free(c.raw);
    an_attrs_free(&c.a);
    an_valued_free(&c.d);
    return an_hand_over(rc, sum, summary);
}
