/* job_channels.c — channels (DOMAIN M2, cost to serve): how each pyramid
 * level uses the bank's channels, the digital channels' share, and what
 * serving a customer through them costs.  Moving low-value customers to
 * cheaper channels is where the cost to serve is won back; this shows where
 * each level stands.  The channels a bank counts as digital are
 * [channels] digital (default internet, mobile). */
#include "analytics/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

an_job_fn an_channels_job;

/* One row of the mix: a level, or everyone (the last). */
typedef struct mix_row {
    size_t customers;
    int64_t n[AN_NCH];           /* transactions by channel */
    int64_t cost;                /* channel cost, minor units */
} mix_row;

/* The mix per level (pure): customer i's window counts n[i], its level
 * level[i]; out has nlevels + 1 rows, the last everyone's. */
static void channel_mix(const an_customer *cust, const uint8_t *level, size_t n, int nlevels,
                        const int64_t cost[AN_NCH], mix_row *out)
{
    memset(out, 0, (size_t)(nlevels + 1) * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        mix_row *r[2] = { &out[level[i]], &out[nlevels] };
        for (int k = 0; k < 2; k++) {
            r[k]->customers++;
            for (int ch = 0; ch < AN_NCH; ch++) {
                r[k]->n[ch] += cust[i].w[0].n[ch];
                r[k]->cost += cust[i].w[0].n[ch] * cost[ch];
            }
        }
    }
}

/* [channels] digital: the channels counted as digital, a bit each. */
static int digital_channels(const an_job_opts *o, unsigned *mask, rp_error *err)
{
    const char *v = o->cfg ? rp_config_get(o->cfg, "channels", "digital", NULL) : NULL;
    char list[256];
    snprintf(list, sizeof list, "%s", v ? v : "internet,mobile");
    *mask = 0;
    for (char *save = NULL, *t = strtok_r(list, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
        int ch = 0;
        while (ch < AN_NCH && strcmp(t, wh_txn_channels[ch]))
            ch++;
        if (ch == AN_NCH)
            return rp_err(err, RP_INVAL, "[channels] digital: '%s' is not a channel", t);
        *mask |= 1u << ch;
    }
    return RP_OK;
}

static int64_t total(const mix_row *r, unsigned mask)
{
    int64_t t = 0;
    for (int ch = 0; ch < AN_NCH; ch++)
        t += (mask >> ch & 1) ? r->n[ch] : 0;
    return t;
}

static json_t *mix_table(const mix_row *rows, const an_pyramid *py, unsigned digital)
{
    char names[AN_NCH][40]; /* copied by an_table_new */
    const char *cols[AN_NCH + 7];
    int c = 0;
    cols[c++] = "level", cols[c++] = "customers", cols[c++] = "transactions_per_customer";
    for (int ch = 0; ch < AN_NCH; ch++) {
        snprintf(names[ch], sizeof names[ch], "%s_%%", wh_txn_channels[ch]);
        cols[c++] = names[ch];
    }
    cols[c++] = "digital_%", cols[c++] = "channel_cost_per_customer", cols[c] = NULL;
    json_t *t = an_table_new(cols);
    for (int l = 0; l <= py->nlevels; l++) {
        const mix_row *r = &rows[l];
        int64_t all = total(r, ~0u);
        json_t *row = json_pack("[s, I, f]", l < py->nlevels ? py->level[l].name : "all", (json_int_t)r->customers,
                                r->customers ? round(100.0 * (double)all / (double)r->customers) / 100 : 0.0);
        for (int ch = 0; ch < AN_NCH; ch++)
            json_array_append_new(row, an_pct(all ? (double)r->n[ch] / (double)all : 0));
        json_array_append_new(row, an_pct(all ? (double)total(r, digital) / (double)all : 0));
        json_array_append_new(row, an_money(r->customers ? r->cost / (int64_t)r->customers : 0));
        an_table_add(t, row);
    }
    return t;
}

/* The share of the digital channels in a row's transactions. */
static double digital_share(const mix_row *r, unsigned digital)
{
    int64_t all = total(r, ~0u);
    return all ? (double)total(r, digital) / (double)all : 0;
}

static json_t *mix_summary(const mix_row *rows, const an_pyramid *py, unsigned digital)
{
    const mix_row *all = &rows[py->nlevels];
    char names[128] = "", head[320];
    for (int ch = 0; ch < AN_NCH; ch++)
        if (digital >> ch & 1)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", *names ? ", " : "",
                     wh_txn_channels[ch]);
    /* the highest and the lowest level with customers, inactive ones left out (the last level) */
    int hi = 0, lo = py->nlevels - 2;
    while (hi < py->nlevels - 1 && !rows[hi].customers)
        hi++;
    while (lo > hi && !rows[lo].customers)
        lo--;
    int n = snprintf(head, sizeof head, "%s carry %.1f%% of %lld transactions", names,
                     100 * digital_share(all, digital), (long long)total(all, ~0u));
    if (hi < py->nlevels - 1 && lo > hi)
        snprintf(head + n, sizeof head - (size_t)n, ": %.1f%% for '%s', %.1f%% for '%s'",
                 100 * digital_share(&rows[hi], digital), py->level[hi].name, 100 * digital_share(&rows[lo], digital),
                 py->level[lo].name);
    return json_pack("{s:s, s:s, s:o}", "headline", head, "digital", names, "table", mix_table(rows, py, digital));
}

int an_channels_job(wh *w, const an_job_opts *o, json_t **summary, rp_error *err)
{
    an_valued d;
    json_t *params = NULL, *sum = NULL;
    mix_row *rows = NULL;
    an_run r;
    unsigned digital;
    int rc = digital_channels(o, &digital, err);
    if (rc)
        return rc;
    if ((rc = an_valued_load(&d, w, o, &params, err)))
        goto out;
    if (!(rows = malloc((size_t)(d.py.nlevels + 1) * sizeof *rows))) {
        rc = rp_err(err, RP_NOMEM, NULL);
        goto out;
    }
    channel_mix(d.base.cust, d.level, d.base.ncust, d.py.nlevels, d.vp.channel_cost, rows);
    if ((rc = an_run_begin(w, o, params, &r, err)))
        goto out;
    sum = mix_summary(rows, &d.py, digital);
    rc = an_run_end(&r, sum, d.base.ncust, err);
out:
    free(rows);
    json_decref(params);
    an_valued_free(&d);
    return an_hand_over(rc, sum, summary);
}
