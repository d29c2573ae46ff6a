/*
 * gen.c — gen_run: the options checked, the run set up, each customer made,
 * lived month by month and written to every source system's files, the
 * counts.  gen.h maps the other files.
 */
#include "gen/internal.h"
#include "core/progress.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int gen_run(const gen_options *o, gen_stats *stats, rp_error *err)
{
    if (o->customers < 1 || o->customers > GEN_MAX_CUSTOMERS)
        return rp_err(err, RP_INVAL, "--customers: %lld is not a number of customers from 1 to %d",
                      (long long)o->customers, GEN_MAX_CUSTOMERS);
    if (o->months < 1 || o->months > GEN_MAX_MONTHS)
        return rp_err(err, RP_INVAL, "--months: %d is not from 1 to %d", o->months, GEN_MAX_MONTHS);
    if (!(o->defect_rate >= 0 && o->defect_rate <= 0.5))
        return rp_err(err, RP_INVAL, "--defect-rate: %g is not from 0 to 0.5", o->defect_rate);
    if (!o->out || !*o->out)
        return rp_err(err, RP_USAGE, "--out: required");
    if (o->end_month < 1 || o->end_month > 12 || o->end_year < 1950 || o->end_year > 2100)
        return rp_err(err, RP_INVAL, "--end: %04d-%02d is not a month", o->end_year, o->end_month);
    if (mkdir(o->out, 0755) != 0 && errno != EEXIST)
        return rp_err(err, RP_IO, "%s: cannot create: %s", o->out, strerror(errno));
    struct stat sb;
    if (stat(o->out, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return rp_err(err, RP_IO, "%s: not a directory", o->out);
    gen_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    ctx *c = calloc(1, sizeof *c);
    if (!c)
        return rp_err(err, RP_NOMEM, NULL);
    c->o = o;
    c->st = stats;
    c->txn = calloc((size_t)o->months, sizeof *c->txn);
    int total = (o->end_year * 12 + o->end_month - 1) - (o->months - 1);
    c->y0 = total / 12;
    c->m0 = total % 12 + 1;
    c->asof = (rp_date){ o->end_year, o->end_month, days_in(o->end_year, o->end_month) };
    int rc = c->txn ? RP_OK : rp_err(err, RP_NOMEM, NULL);
    if (!rc)
        rc = rp_host_codec_open("IBM-937", &c->hc, err);
    c->big5 = iconv_open("CP950", "UTF-8");
    if (!rc && c->big5 == (iconv_t)-1)
        rc = rp_err(err, RP_ENCODING, "code page CP950 is not available");
    if (!rc)
        rc = gen_open_all(c, err);
    rp_progress pr;
    rp_progress_start(&pr, "generating customers", (uint64_t)o->customers);
    if (!o->progress)
        pr.on = 0;
    person *pp = calloc(2, sizeof *pp);
    if (!pp && !rc)
        rc = rp_err(err, RP_NOMEM, NULL);
    for (int64_t i = 0; !rc && i < o->customers; i += 2) {
        int n = i + 1 < o->customers ? 2 : 1;
        gen_make_pair(c, i, n, pp);
        for (int k = 0; k < n; k++) {
            person *p = &pp[k], *partner = p->household ? &pp[1 - k] : NULL;
            gen_simulate(c, p);
            gen_card(c, p);
            gen_online(c, p);
            gen_campaigns(c, p);
            gen_privacy(c, p);
            gen_host_cif(c, p, partner ? partner->cust_no : "");
            gen_host_accounts(c, p, partner);
            gen_truth(c, p);
            stats->customers++;
            if (p->org)
                stats->organisations++;
            else
                stats->persons++;
        }
        /* a write that failed (a full disk) stops the run at once; gen_close_all names the file */
        int failed = 0;
        for (int k = 0; k < c->nfiles && !failed; k++)
            failed = c->files[k]->failed;
        if (failed)
            break;
        rp_progress_update(&pr, (uint64_t)stats->customers);
    }
    rp_progress_finish(&pr);
    free(pp);
    int rc2 = gen_close_all(c, err);
    if (!rc)
        rc = rc2;
    stats->top20_revenue_share = gen_top20_share(c);
    /* records of the source systems' files (not copybooks, not the truth) */
    stats->records = 0;
    for (int k = 0; k < c->nfiles; k++)
        if (strcmp(c->files[k]->system, "truth") != 0 && !strstr(c->files[k]->rel, ".cpy"))
            stats->records += c->files[k]->records;
    stats->online_users = c->ol_users.records;
    stats->calls = c->cdr.records;
    stats->campaign_targets = c->targets.records;
    if (c->big5 != (iconv_t)-1 && c->big5)
        iconv_close(c->big5);
    rp_host_codec_close(c->hc);
    free(c->txn);
    free(c);
    return rc;
}
