/* cmd_features.c — rapport features: the customer signature as of a date, with a label of what
 * happened after it (analytics.h, "the customer signature"; docs/models.md). */
#include "analytics/analytics.h"
#include "cli/cli.h"
#include "core/rtime.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int small_int(const char *name, const char *v, int min, int max, int *out)
{
    char *end;
    errno = 0;
    long x = v ? strtol(v, &end, 10) : 0;
    if (!v)
        return CLI_OK;
    if (!*v || *end || errno || x < min || x > max)
        return cli_failf("features", "--%s: a whole number from %d to %d, not '%s'", name, min, max, v);
    *out = (int)x;
    return CLI_OK;
}

static json_t *summary(const an_sig_info *in, const an_sig_opts *so, const char *out)
{
    char asof[RP_DATE_LEN], end[RP_DATE_LEN] = "";
    rp_date_format(rp_civil_from_days(in->as_of), asof);
    if (in->label_end != INT32_MIN)
        rp_date_format(rp_civil_from_days(in->label_end), end);
    json_t *j = json_pack("{s:s, s:I, s:i, s:I, s:I, s:f}", "as_of", asof, "rows", (json_int_t)in->rows, "columns",
                          in->columns, "customers", (json_int_t)in->customers, "left_out", (json_int_t)in->left_out,
                          "seconds", in->seconds);
    if (so->label) {
        json_object_set_new(j, "label", json_string(so->label));
        json_object_set_new(j, "positives", json_integer((json_int_t)in->positives));
        if (*end)
            json_object_set_new(j, "label_end", json_string(end));
    }
    if (so->snapshots > 1) {
        char first[RP_DATE_LEN];
        rp_date_format(rp_civil_from_days(in->first_as_of), first);
        json_object_set_new(j, "snapshots", json_integer(so->snapshots));
        json_object_set_new(j, "first_as_of", json_string(first));
    }
    if (out)
        json_object_set_new(j, "out", json_string(out));
    return j;
}

static void say(const an_sig_info *in, const an_sig_opts *so, const char *out)
{
    rp_date d = rp_civil_from_days(in->as_of);
    fprintf(stderr, "rapport: features: %zu rows of %d columns as of ", in->rows, in->columns);
    if (so->snapshots > 1) {
        rp_date f = rp_civil_from_days(in->first_as_of);
        fprintf(stderr, "%d days from %04d-%02d-%02d to ", so->snapshots, f.y, f.m, f.d);
    }
    fprintf(stderr, "%04d-%02d-%02d", d.y, d.m, d.d);
    if (so->label)
        fprintf(stderr, "; %s: %zu positive (%.2f %%)", so->label, in->positives,
                in->rows ? 100.0 * (double)in->positives / (double)in->rows : 0.0);
    if (in->label_end != INT32_MIN) {
        d = rp_civil_from_days(in->label_end);
        fprintf(stderr, " to %04d-%02d-%02d", d.y, d.m, d.d);
    }
    if (in->left_out)
        fprintf(stderr, "; %zu customers left out (%s)", in->left_out,
                so->label && !strcmp(so->label, "response") ? "not targeted"
                : so->label && !strcmp(so->label, "takeup") ? "no account that day, or already holding it"
                : so->label && !strcmp(so->label, "delinquency") ? "no card statement in the two months to that day"
                                                            : "no account that day");
    fprintf(stderr, "; %.1f s%s%s\n", in->seconds, out ? "; written to " : "", out ? out : "");
}

int cmd_features(cli_ctx *c)
{
    const char *as_of = cli_arg(c, "as-of"), *out = cli_arg(c, "out");
    int json = cli_flag(c, "json");
    an_sig_opts so = { .label = cli_arg(c, "label"), .campaign = cli_arg(c, "campaign"),
                       .product = cli_arg(c, "product"), .horizon = 1 };
    int rc;
    if ((rc = small_int("horizon", cli_arg(c, "horizon"), 1, 36, &so.horizon)) ||
        (rc = small_int("lapse", cli_arg(c, "lapse"), 0, 36, &so.lapse)) ||
        (rc = small_int("snapshots", cli_arg(c, "snapshots"), 1, 36, &so.snapshots)) ||
        (rc = small_int("dpd", cli_arg(c, "dpd"), 1, 9999, &so.dpd)))
        return rc;
    if (cli_arg(c, "dpd") && !(so.label && !strcmp(so.label, "delinquency")))
        return cli_failf("features", "--dpd: the days past due that count for --label delinquency");
    if (json && !out)
        return cli_failf("features", "--json prints the summary: give --out FILE for the rows");
    if (so.label && strcmp(so.label, "response") && !as_of)
        return cli_failf("features", "--label %s needs --as-of DATE: the features are taken on that day and the "
                         "label looks %d month(s) after it", so.label, so.horizon);
    an_job_opts o = { .save = 0, .user = cli_user() };
    rp_error err = RP_ERROR_INIT;
    rp_date d;
    if (as_of && rp_date_parse(as_of, &d, &err))
        return cli_failf("features", "--as-of: %s", rp_errmsg(&err));
    if (!as_of)
        d = rp_time_taipei_date(rp_now());
    o.as_of = (int32_t)rp_days_from_civil(d.y, d.m, d.d);
    so.as_of_given = as_of != NULL;
    o.progress = isatty(2);
    rp_config *cfg = NULL;
    if (cli_cfg(c, &cfg, &err))
        return cli_fail("features", &err);
    o.cfg = cfg;
    wh *w;
    char facts[1100], tmp[4200];
    if ((rc = cli_wh(c, 0, &w, NULL)) || (rc = cli_facts("features", w, cfg, facts, sizeof facts, &o.facts)))
        return rc;
    if ((rc = cli_audit(c, "export", 0, NULL, so.label ? so.label : "customer signature")))
        return rc;
    FILE *f = stdout;
    if (out) {
        if ((size_t)snprintf(tmp, sizeof tmp, "%s.part", out) >= sizeof tmp)
            return cli_failf("features", "--out: too long a name");
        if (!(f = fopen(tmp, "w")))
            return cli_failf("features", "%s: %s", out, strerror(errno));
    }
    an_sig_info info;
    rc = an_signature(w, &o, &so, f, &info, &err);
    if (out) {
        if (fclose(f) && !rc)
            rc = rp_err(&err, RP_IO, "%s: %s", out, strerror(errno));
        if (!rc && rename(tmp, out))
            rc = rp_err(&err, RP_IO, "%s: %s", out, strerror(errno));
        if (rc)
            unlink(tmp);
    } else if (fflush(stdout) && !rc) {
        rc = rp_err(&err, RP_IO, "standard output: %s", strerror(errno));
    }
    if (rc)
        return cli_fail("features", &err);
    if (json) {
        json_t *j = summary(&info, &so, out);
        cli_print_json(j);
        json_decref(j);
    } else {
        say(&info, &so, out);
    }
    return CLI_OK;
}
