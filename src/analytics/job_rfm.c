/* job_rfm.c — rfm (DOMAIN M4): recency, frequency and monetary value of
 * each customer active by the as-of date, their quintile scores and cells
 * (customer_rfm), and each cell's count and means. */
#include "analytics/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

an_job_fn an_rfm_job;

/* The cells, best first, and each score's range; n customers scored of ncust. */
static json_t *rfm_summary(const an_rfm_in *in, const an_rfm_out *sc, size_t n, size_t ncust)
{
    typedef struct cellsum {
        size_t n;
        double rec, freq, mon;
    } cellsum;
    cellsum cells[556];
    memset(cells, 0, sizeof cells);
    int64_t lo[3][6], hi[3][6];
    size_t cnt[3][6];
    memset(cnt, 0, sizeof cnt);
    for (size_t i = 0; i < n; i++) {
        cellsum *c = &cells[sc[i].cell];
        c->n++;
        c->rec += in[i].recency_days, c->freq += in[i].frequency, c->mon += (double)in[i].monetary_minor;
        int64_t v[3] = { in[i].recency_days, in[i].frequency, in[i].monetary_minor };
        uint8_t s3[3] = { sc[i].r, sc[i].f, sc[i].m };
        for (int k = 0; k < 3; k++) {
            if (!cnt[k][s3[k]] || v[k] < lo[k][s3[k]])
                lo[k][s3[k]] = v[k];
            if (!cnt[k][s3[k]] || v[k] > hi[k][s3[k]])
                hi[k][s3[k]] = v[k];
            cnt[k][s3[k]]++;
        }
    }
    static const char *const cols[] = { "cell", "customers", "customers_%", "mean_recency_days", "mean_frequency",
                                        "mean_monetary", NULL };
    json_t *t = an_table_new(cols);
    for (int c = 555; c >= 111; c--)
        if (cells[c].n) {
            double k = (double)cells[c].n;
            an_table_add(t, json_pack("[i, I, o, f, f, o]", c, (json_int_t)cells[c].n, an_pct(k / (double)n),
                                      round(cells[c].rec / k * 10) / 10, round(cells[c].freq / k * 10) / 10,
                                      an_money((int64_t)llround(cells[c].mon / k))));
        }
    json_t *scores = json_object();
    static const char *const names[3] = { "recency_days", "frequency", "monetary" };
    for (int k = 0; k < 3; k++) {
        json_t *a = json_array();
        for (int sc5 = 1; sc5 <= 5; sc5++) {
            if (!cnt[k][sc5]) {
                json_array_append_new(a, json_pack("{s:i, s:i}", "score", sc5, "customers", 0));
                continue;
            }
            json_t *l = k == 2 ? an_money(lo[k][sc5]) : json_integer(lo[k][sc5]);
            json_t *h = k == 2 ? an_money(hi[k][sc5]) : json_integer(hi[k][sc5]);
            json_array_append_new(a, json_pack("{s:i, s:I, s:o, s:o}", "score", sc5, "customers",
                                               (json_int_t)cnt[k][sc5], "min", l, "max", h));
        }
        json_object_set_new(scores, names[k], a);
    }
    size_t best = cells[555].n;
    char head[256];
    snprintf(head, sizeof head, "%zu customers scored; %zu (%.1f%%) in cell 555, %zu never active are not scored", n,
             best, n ? 100.0 * (double)best / (double)n : 0, ncust - n);
    return json_pack("{s:s, s:I, s:o, s:o}", "headline", head, "never_active", (json_int_t)(ncust - n), "scores",
                     scores, "table", t);
}

int an_rfm_job(wh *w, const an_job_opts *o, json_t **summary, rp_error *err)
{
    an_base_params bp;
    an_base b;
    an_base_params_of(o, &bp);
    int rc = an_base_get(w, o, &bp, &b, err);
    if (rc)
        return rc;
    size_t n = 0, nn = b.ncust ? b.ncust : 1;
    an_rfm_in *in = malloc(nn * sizeof *in);
    an_rfm_out *sc = malloc(nn * sizeof *sc);
    uint32_t *who = malloc(nn * sizeof *who);
    json_t *params = NULL, *sum = NULL;
    an_run r;
    if (!in || !sc || !who) {
        rc = rp_err(err, RP_NOMEM, NULL);
        goto out;
    }
    for (size_t i = 0; i < b.ncust; i++) {
        const an_window *win = &b.cust[i].w[0];
        if (win->last_act == AN_NO_DAY)
            continue; /* never active: no recency to score */
        in[n] = (an_rfm_in){ o->as_of - win->last_act, win->act_n, win->act_sum };
        who[n++] = (uint32_t)i;
    }
    if ((rc = an_rfm(in, n, sc, err)))
        goto out;
    char from[RP_DATE_LEN];
    an_day_text(bp.from[0], from);
    params = json_pack("{s:s, s:i}", "from", from, "months", o->months > 0 ? o->months : 12);
    if ((rc = an_run_begin(w, o, params, &r, err)))
        goto out;
    if (o->save) {
        rp_stmt *st;
        rc = rp_store_prepare(r.s,
                              "INSERT INTO customer_rfm(run_id, customer_id, recency_days, frequency, monetary_minor, "
                              "r, f, m, cell) VALUES (?,?,?,?,?,?,?,?,?)",
                              &st, err);
        for (size_t i = 0; !rc && i < n; i++) {
            rp_stmt_bind_int(st, 1, r.id);
            rp_stmt_bind_int(st, 2, b.cust[who[i]].id);
            rp_stmt_bind_int(st, 3, in[i].recency_days);
            rp_stmt_bind_int(st, 4, in[i].frequency);
            rp_stmt_bind_int(st, 5, in[i].monetary_minor);
            rp_stmt_bind_int(st, 6, sc[i].r);
            rp_stmt_bind_int(st, 7, sc[i].f);
            rp_stmt_bind_int(st, 8, sc[i].m);
            rp_stmt_bind_int(st, 9, sc[i].cell);
            rc = rp_stmt_run(st, err);
        }
        if (rc) {
            an_run_abort(&r);
            goto out;
        }
    }
    sum = rfm_summary(in, sc, n, b.ncust);
    rc = an_run_end(&r, sum, n, err);
out:
    json_decref(params);
    free(in), free(sc), free(who);
    an_base_free(&b);
    return an_hand_over(rc, sum, summary);
}
