/* cmd_match.c — rapport match: who is who. */
#include "cli/cli.h"
#include "cli/table.h"
#include "core/json.h"
#include "core/progress.h"
#include "match/match.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_prob(const char *cmd, const char *name, const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (*end || v < 0 || v > 1)
        return cli_failf(cmd, "--%s: '%s' is not a probability from 0 to 1", name, s);
    *out = v;
    return CLI_OK;
}

/* A matching specification's file into o (spec and thresholds). */
static int spec_file(cli_ctx *c, const char *path, mt_options *o)
{
    rp_error err = RP_ERROR_INIT;
    return mt_spec_file(path, &o->spec, &o->params, &err) ? cli_fail(c->cmd->name, &err) : CLI_OK;
}

/* The survivorship rules and the matching specification ([match] spec = FILE, or --spec FILE) of the
 * configuration file, if there is one. */
static int match_options(cli_ctx *c, mt_options *o)
{
    mt_options_default(o);
    rp_config *cfg;
    rp_error err = RP_ERROR_INIT;
    if (cli_cfg(c, &cfg, &err))
        return cli_fail(c->cmd->name, &err);
    int rc = cfg ? mt_survivorship_config(&o->surv, cfg, &err) : RP_OK;
    if (rc)
        return cli_fail(c->cmd->name, &err);
    const char *spec = cli_arg(c, "spec");
    if (!spec && cfg)
        spec = rp_config_get(cfg, "match", "spec", NULL);
    return spec ? spec_file(c, spec, o) : CLI_OK;
}

static void print_counts(const mt_run_stats *st)
{
    char a[32], b[32], c[32];
    rp_format_thousands(a, sizeof a, st->records);
    rp_format_thousands(b, sizeof b, st->customers);
    rp_format_thousands(c, sizeof c, st->persons);
    printf("%s source records are %s customers (%s of them in more than one source)", a, b, c);
}

int cmd_match(cli_ctx *c)
{
    const char *link = cli_arg(c, "link-at"), *review = cli_arg(c, "review-at");
    int json = cli_flag(c, "json"), full = cli_flag(c, "full");
    int rc;
    mt_options o;
    if ((rc = match_options(c, &o)))
        return rc;
    o.full = full;
    if ((link && (rc = parse_prob("match", "link-at", link, &o.params.link_at))) ||
        (review && (rc = parse_prob("match", "review-at", review, &o.params.review_at))))
        return rc;
    if (o.params.review_at > o.params.link_at)
        return cli_failf("match", "--review-at %g is above --link-at %g", o.params.review_at, o.params.link_at);
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    mt_run_stats st;
    rc = mt_run(w, &o, cli_user(), &st, &err);
    cli_wh_close(c);
    if (rc)
        return cli_fail("match", &err);
    const char *mode = !st.run ? "none" : st.incremental ? "incremental" : "full";
    if (json) {
        json_t *j = json_object();
        json_object_set_new(j, "run", st.run ? json_integer(st.run) : json_null());
        json_object_set_new(j, "mode", json_string(mode));
        json_object_set_new(j, "records", json_integer((json_int_t)st.records));
        json_object_set_new(j, "changed", json_integer((json_int_t)st.changed));
        json_object_set_new(j, "compared", json_integer((json_int_t)st.compared));
        json_object_set_new(j, "customers", json_integer((json_int_t)st.customers));
        json_object_set_new(j, "persons_of_several_records", json_integer((json_int_t)st.persons));
        json_object_set_new(j, "candidate_pairs", json_integer((json_int_t)st.pairs));
        json_object_set_new(j, "links", json_integer((json_int_t)st.links));
        json_object_set_new(j, "for_review", json_integer((json_int_t)st.reviews));
        json_object_set_new(j, "seconds", json_real(st.seconds));
        json_object_set_new(j, "read_seconds", json_real(st.read_seconds));
        json_object_set_new(j, "write_seconds", json_real(st.write_seconds));
        json_object_set_new(j, "note", *st.note ? json_string(st.note) : json_null());
        cli_print_json(j);
        json_decref(j);
        return CLI_OK;
    }
    if (!st.run) {
        printf("nothing new or changed since the last run: ");
        print_counts(&st);
        printf("\n");
        return CLI_OK;
    }
    char a[32], b[32], d[32], e[32];
    rp_format_thousands(d, sizeof d, st.pairs);
    rp_format_thousands(e, sizeof e, st.reviews);
    if (st.incremental) {
        rp_format_thousands(a, sizeof a, st.changed);
        rp_format_thousands(b, sizeof b, st.compared);
        printf("run %lld, incremental: %s new or changed records, %s resolved again with their neighbours; ",
               (long long)st.run, a, b);
    } else {
        printf("run %lld: ", (long long)st.run);
    }
    print_counts(&st);
    printf("; %s candidate pairs compared, %s waiting for review  [%.2f s]\n", d, e, st.seconds);
    if (*st.note)
        printf("note: %s\n", st.note);
    return CLI_OK;
}

int cmd_match_review(cli_ctx *c)
{
    const char *limit = cli_arg(c, "limit");
    int json = cli_flag(c, "json");
    int rc;
    long lim = 100;
    if (limit) {
        char *end;
        lim = strtol(limit, &end, 10);
        if (*end || lim < 1)
            return cli_failf("match review", "--limit: '%s' is not a positive number", limit);
    }
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *arr = NULL;
    rc = mt_review_list(w, (int)(lim > 100000 ? 100000 : lim), &arr, &err);
    cli_wh_close(c);
    if (rc)
        return cli_fail("match review", &err);
    if (json) {
        cli_print_json(arr);
    } else if (!json_array_size(arr)) {
        printf("no pairs waiting for review\n");
    } else {
        size_t i;
        json_t *o;
        cli_printable(arr); /* what sources wrote, shown and never obeyed */
        json_array_foreach(arr, i, o)
        {
            json_t *ev = json_object_get(o, "evidence"), *recs = json_object_get(ev, "records");
            printf("pair %lld  (probability %.3f)\n  %s\n  %s\n", (long long)json_integer_value(json_object_get(o, "pair")),
                   json_real_value(json_object_get(o, "probability")), json_string_value(json_array_get(recs, 0)),
                   json_string_value(json_array_get(recs, 1)));
            const char *k;
            json_t *v;
            printf("  ");
            json_object_foreach(ev, k, v)
            if (json_is_string(v))
                printf(" %s: %s;", k, json_string_value(v));
            printf("\n");
        }
    }
    json_decref(arr);
    return CLI_OK;
}

static int decide(cli_ctx *c, int accept)
{
    const char *name = c->cmd->name;
    const char *note = cli_arg(c, "note");
    const char **pos = c->args;
    int rc;
    char *end;
    long long pair = strtoll(pos[0], &end, 10);
    if (*end || pair < 1)
        return cli_failf(name, "'%s' is not a pair number (rapport match review lists them)", pos[0]);
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    rc = mt_decide(w, pair, accept, cli_user(), note, &err);
    cli_wh_close(c);
    if (rc)
        return cli_fail(name, &err);
    printf("pair %lld %s; the next rapport match applies it\n", pair, accept ? "accepted" : "rejected");
    return CLI_OK;
}

int cmd_match_accept(cli_ctx *c) { return decide(c, 1); }
int cmd_match_reject(cli_ctx *c) { return decide(c, 0); }

int cmd_match_export(cli_ctx *c)
{
    int csv = cli_flag(c, "csv");
    int rc;
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    if ((rc = cli_audit(c, "match_export", 0, NULL, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    rc = mt_export(w, stdout, &err);
    cli_wh_close(c);
    (void)csv;
    return rc ? cli_fail("match export", &err) : CLI_OK;
}

/* The options and the store for reading source records as personal data (evaluate, sample): audited as
 * an export of who is who. */
static int open_for_records(cli_ctx *c, mt_options *o, wh **w)
{
    int rc;
    if ((rc = match_options(c, o)) || (rc = cli_wh(c, 0, w, NULL)))
        return rc;
    return cli_audit(c, "match_export", 0, NULL, NULL);
}

int cmd_match_evaluate(cli_ctx *c)
{
    const char *truth = cli_arg(c, "truth");
    if (!truth)
        return cli_failf("match evaluate", "--truth FILE is needed (CSV: source,key,true_id)");
    wh *w;
    mt_options o;
    int rc;
    if ((rc = open_for_records(c, &o, &w)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    mt_quality q;
    rc = mt_evaluate(w, truth, &o, &q, &err);
    cli_wh_close(c);
    if (rc)
        return cli_fail("match evaluate", &err);
    if (cli_flag(c, "json")) {
        json_t *j = mt_quality_json(&q);
        cli_print_json(j);
        json_decref(j);
        return CLI_OK;
    }
    char a[32], b[32], d[32], e[32];
    rp_format_thousands(a, sizeof a, q.truth_records);
    rp_format_thousands(b, sizeof b, q.found_records);
    printf("truth: %s records, %s of them in the store", a, b);
    if (q.missing_records) {
        rp_format_thousands(a, sizeof a, q.missing_records);
        printf(" (%s not: rejected at load, or not loaded)", a);
    }
    rp_format_thousands(a, sizeof a, (size_t)q.true_pairs);
    rp_format_thousands(b, sizeof b, (size_t)q.found_pairs);
    rp_format_thousands(d, sizeof d, (size_t)q.right_pairs);
    printf("\npairs: %s true, %s put together, %s of them right\n", a, b, d);
    printf("precision  %.4f\nrecall     %.4f\nF1         %.4f\n", q.precision, q.recall, q.f1);
    rp_format_thousands(a, sizeof a, (size_t)q.candidate_true_pairs);
    printf("blocking recall  %.4f  (%s true pairs were candidates)\n", q.blocking_recall, a);
    rp_format_thousands(e, sizeof e, q.reviews);
    printf("review     %s pairs waiting, %.2f%% of the %s source records\n", e, 100 * q.review_share,
           (rp_format_thousands(a, sizeof a, q.store_records), a));
    return CLI_OK;
}

static int print_estimate(cli_ctx *c, const char *path)
{
    mt_estimate e;
    rp_error err = RP_ERROR_INIT;
    if (mt_sample_estimate(path, &e, &err))
        return cli_fail("match sample", &err);
    if (cli_flag(c, "json")) {
        json_t *j = mt_estimate_json(&e);
        cli_print_json(j);
        json_decref(j);
        return CLI_OK;
    }
    printf("%zu of %zu pairs labelled\n%-18s %12s %9s %6s %10s\n", e.total_labelled, e.rows, "stratum", "links",
           "labelled", "same", "precision");
    for (int s = 0; s < MT_STRATA; s++) {
        char n[32], p[16] = "";
        rp_format_thousands(n, sizeof n, e.links[s]);
        if (e.labelled[s])
            snprintf(p, sizeof p, "%.4f", e.precision_of[s]);
        printf("%-18s %12s %9zu %6zu %10s\n", mt_stratum_name(s), e.links[s] ? n : "", e.labelled[s], e.same[s], p);
    }
    printf("estimated precision %.4f (95%% interval %.4f to %.4f)\n", e.precision, e.low, e.high);
    return CLI_OK;
}

int cmd_match_sample(cli_ctx *c)
{
    const char *labelled = cli_arg(c, "labelled"), *size = cli_arg(c, "size"), *seed = cli_arg(c, "seed");
    if (labelled)
        return print_estimate(c, labelled);
    char *end;
    long n = size ? strtol(size, &end, 10) : 200;
    if (size && (*end || n < MT_STRATA || n > 100000))
        return cli_failf("match sample", "--size: '%s' is not a number of pairs from %d to 100000", size, MT_STRATA);
    unsigned long long sd = seed ? strtoull(seed, &end, 10) : 1;
    if (seed && *end)
        return cli_failf("match sample", "--seed: '%s' is not a number", seed);
    wh *w;
    mt_options o;
    int rc;
    if ((rc = open_for_records(c, &o, &w)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    size_t links[MT_STRATA];
    json_t *pairs;
    size_t drawn = 0;
    rc = mt_sample(w, &o.spec, (size_t)n, sd, &pairs, links, &err);
    cli_wh_close(c);
    if (!rc) {
        drawn = json_array_size(pairs);
        rc = mt_sample_csv(pairs, stdout, &err);
        json_decref(pairs);
    }
    if (rc)
        return cli_fail("match sample", &err);
    fprintf(stderr, "%zu pairs drawn from", drawn);
    for (int s = 0; s < MT_STRATA; s++)
        fprintf(stderr, "%s %zu links %s", s ? ";" : "", links[s], mt_stratum_name(s));
    fprintf(stderr, ".  Label each: same or different; then rapport match sample --labelled FILE\n");
    return CLI_OK;
}

/* A customer by any key, as 'customer show' takes it. */
static int customer(wh *w, const char *cmd, const char *key, int64_t *party)
{
    rp_error err = RP_ERROR_INIT;
    if (wh_find(w, key, party, NULL, &err))
        return cli_fail(cmd, &err);
    return CLI_OK;
}

static void print_run(const char *what, const mt_run_stats *st)
{
    char b[32];
    rp_format_thousands(b, sizeof b, st->customers);
    printf("%s; run %lld: %s customers\n", what, (long long)st->run, b);
}

int cmd_match_merge(cli_ctx *c)
{
    const char *note = cli_arg(c, "note");
    const char **pos = c->args;
    int rc;
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    int64_t a, b;
    if ((rc = customer(w, "match merge", pos[0], &a)) || (rc = customer(w, "match merge", pos[1], &b))) {
        cli_wh_close(c);
        return rc;
    }
    rp_error err = RP_ERROR_INIT;
    mt_run_stats st;
    if (a == b) {
        cli_wh_close(c);
        return cli_failf("match merge", "'%s' and '%s' are the same customer (#%lld)", pos[0], pos[1], (long long)a);
    }
    mt_options o;
    if ((rc = match_options(c, &o))) {
        cli_wh_close(c);
        return rc;
    }
    rc = mt_merge(w, a, b, &o, cli_user(), note, &st, &err);
    cli_wh_close(c);
    if (rc)
        return cli_fail("match merge", &err);
    char what[128];
    snprintf(what, sizeof what, "#%lld and #%lld are one customer", (long long)a, (long long)b);
    print_run(what, &st);
    return CLI_OK;
}

int cmd_match_unmerge(cli_ctx *c)
{
    const char *note = cli_arg(c, "note");
    const char **pos = c->args;
    int rc;
    const char *colon = strchr(pos[1], ':');
    if (!colon || colon == pos[1] || !colon[1])
        return cli_failf("match unmerge", "'%s' is not SOURCE:KEY (host:0012345679)", pos[1]);
    char source[64];
    snprintf(source, sizeof source, "%.*s", (int)(colon - pos[1]), pos[1]);
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    int64_t person;
    if ((rc = customer(w, "match unmerge", pos[0], &person))) {
        cli_wh_close(c);
        return rc;
    }
    rp_error err = RP_ERROR_INIT;
    mt_run_stats st;
    mt_options o;
    if ((rc = match_options(c, &o))) {
        cli_wh_close(c);
        return rc;
    }
    rc = mt_unmerge(w, person, source, colon + 1, &o, cli_user(), note, &st, &err);
    cli_wh_close(c);
    if (rc)
        return cli_fail("match unmerge", &err);
    char what[200];
    snprintf(what, sizeof what, "%s is taken out of customer #%lld", pos[1], (long long)person);
    print_run(what, &st);
    return CLI_OK;
}
