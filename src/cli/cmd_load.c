/* cmd_load.c — rapport load, jobs, rejects and watch: source extracts in. */
#include "cli/cli.h"
#include "cli/table.h"
#include "core/json.h"
#include "core/csv.h"
#include "core/progress.h"
#include "core/rtime.h"
#include "core/utf8.h"
#include "etl/etl.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* Print a JSON value, indented, and release it. */
/* Print j (see cli_print_json) and let it go. */
static void put_json(json_t *j)
{
    cli_print_json(j);
    json_decref(j);
}

/* ---- choosing a spec ---- */

static void dir_of(const char *file, char *out, size_t n)
{
    snprintf(out, n, "%s", file);
    char *slash = strrchr(out, '/');
    if (slash)
        *slash = 0;
    else
        snprintf(out, n, ".");
}

/* The spec for a file: --spec FILE, --source NAME, or the shipped spec
 * whose file patterns match its name.  Copybooks are looked for beside the
 * file first. */
static int spec_for(const char *spec_file, const char *source, const char *file, sp_spec **out, rp_error *err)
{
    char dir[1024];
    dir_of(file, dir, sizeof dir);
    if (spec_file)
        return sp_spec_load(spec_file, dir, out, err);
    int rc;
    if (!source && (rc = sp_builtin_for_path(file, &source, err)))
        return rc;
    if (!source)
        return rp_err(err, RP_NOTFOUND, "%s: no shipped spec matches this file; name one with --spec FILE or "
                      "--source NAME (rapport load --list-specs shows them)", file);
    return sp_spec_builtin(source, dir, out, err);
}

/* ---- reporting ---- */

/* Text from data (a file's name, a field) as the terminal shows it and
 * never obeys: core/utf8.h.  buf holds 4 * n + 1 of the n bytes shown. */
static const char *shown(const char *s, char *buf, size_t n)
{
    rp_utf8_printable(s ? s : "", s ? strlen(s) : 0, buf, n);
    return buf;
}

static void print_result(const char *name, const ld_result *r)
{
    char lb[2049];
    const char *label = shown(name, lb, sizeof lb);
    char a[32], b[32], c[32], d[32], e[32];
    rp_format_thousands(a, sizeof a, (uint64_t)r->records);
    if (r->noop) {
        printf("%s: already loaded by job %lld (same SHA-256); nothing to do\n", label, (long long)r->noop_job);
        return;
    }
    if (r->bytes == 0) {
        printf("%s: the file is empty; nothing to load  [job %lld]\n", label, (long long)r->job);
        return;
    }
    rp_format_thousands(b, sizeof b, (uint64_t)r->loaded);
    rp_format_thousands(c, sizeof c, (uint64_t)r->fixed);
    rp_format_thousands(d, sizeof d, (uint64_t)r->rejected);
    double rate = r->seconds > 0 ? (double)(r->records - r->resume_from) / r->seconds : 0;
    rp_format_thousands(e, sizeof e, (uint64_t)(rate + 0.5));
    printf("%s: %s records: %s loaded (%s fixed), %s rejected  [job %lld, %.1f s, %s records/s%s]\n", label, a,
           b, c, d, (long long)r->job, r->seconds, e, r->resumed ? ", resumed" : "");
    for (int i = 0; i < r->ncounts; i++) {
        const ld_count *k = &r->counts[i];
        char n[32];
        rp_format_thousands(n, sizeof n, (uint64_t)k->n);
        char fb[4 * sizeof k->field + 1];
        printf("  %-9s %-14s %-22s %s\n", k->outcome, k->rule, *k->field ? shown(k->field, fb, sizeof fb) : "(record)",
               n);
    }
    if (r->interrupted)
        printf("%s: interrupted after record %lld; run the same command again to finish\n", label,
               (long long)r->records);
}

static json_t *result_json(const char *label, const char *spec, const ld_result *r, const char *failure)
{
    json_t *o = json_object();
    char *file = rp_utf8_printable_dup(label);
    json_object_set_new(o, "file", json_string(file ? file : ""));
    free(file);
    json_object_set_new(o, "spec", json_string(spec));
    json_object_set_new(o, "job", json_integer(r->noop ? r->noop_job : r->job));
    json_object_set_new(o, "status", json_string(r->noop ? "already_loaded" : r->interrupted ? "interrupted"
                                                 : r->failed ? "failed" : "done"));
    if (failure) {
        char *m = rp_utf8_printable_dup(failure);
        json_object_set_new(o, "message", json_string(m ? m : ""));
        free(m);
    }
    json_object_set_new(o, "sha256", json_string(r->fingerprint));
    json_object_set_new(o, "records", json_integer(r->records));
    json_object_set_new(o, "loaded", json_integer(r->loaded));
    json_object_set_new(o, "fixed", json_integer(r->fixed));
    json_object_set_new(o, "rejected", json_integer(r->rejected));
    json_object_set_new(o, "unchanged", json_integer(r->unchanged));
    json_object_set_new(o, "resumed_from", json_integer(r->resume_from));
    json_object_set_new(o, "seconds", json_real(r->seconds));
    json_t *rules = json_array();
    for (int i = 0; i < r->ncounts; i++) {
        json_t *c = json_object();
        json_object_set_new(c, "outcome", json_string(r->counts[i].outcome));
        json_object_set_new(c, "rule", json_string(r->counts[i].rule));
        char fb[4 * sizeof r->counts[i].field + 1];
        json_object_set_new(c, "field", json_string(shown(r->counts[i].field, fb, sizeof fb)));
        json_object_set_new(c, "count", json_integer(r->counts[i].n));
        json_array_append_new(rules, c);
    }
    json_object_set_new(o, "rules", rules);
    return o;
}

/* ---- rapport load ---- */

typedef struct run {
    wh *w;
    ld_options lo;
    const char *spec_file, *source;
    FILE *rejects;
    int rejects_header;
    int json;
    json_t *out;
    int failed;
    int64_t records, loaded, rejected, fixed;
    char why[600];
} run;

/* Load one file (listed in a manifest: m, else NULL); on failure the
 * message is printed and kept in R->why.  A file read to its end whose job
 * failed (every record rejected, a control total that differs) has its
 * counts shown first: they say why. */
static int load_one(run *R, const char *path, const char *label, const char *spec_name, const ld_item *m)
{
    sp_spec *s = NULL;
    rp_error err = RP_ERROR_INIT;
    R->why[0] = 0;
    int rc = spec_name && !R->spec_file && !R->source ? spec_for(NULL, spec_name, path, &s, &err)
                                                      : spec_for(R->spec_file, R->source, path, &s, &err);
    ld_result res;
    memset(&res, 0, sizeof res);
    if (!rc) {
        ld_options lo = R->lo;
        lo.label = label;
        if (m) { /* the manifest's SHA-256, and its counts as control totals */
            lo.expect_sha256 = *m->sha256 ? m->sha256 : NULL;
            lo.expect_records = m->records;
            lo.expect_bytes = m->bytes;
            lo.expect = (m->records >= 0 ? LD_EXPECT_RECORDS : 0) | (m->bytes >= 0 ? LD_EXPECT_BYTES : 0);
        }
        rc = ld_load(R->w, s, path, &lo, &res, &err);
    }
    if (rc && res.failed) {
        if (R->json)
            json_array_append_new(R->out, result_json(label, s->name, &res, rp_errmsg(&err)));
        else
            print_result(label, &res);
        fflush(stdout);
        R->records += res.records; /* what it read is committed: in the totals */
        R->loaded += res.loaded;
        R->rejected += res.rejected;
        R->fixed += res.fixed;
    }
    if (rc) {
        sp_spec_free(s);
        R->failed++;
        rp_utf8_printable(rp_errmsg(&err), strlen(rp_errmsg(&err)), R->why, sizeof R->why);
        return cli_fail("load", &err);
    }
    if (R->json)
        json_array_append_new(R->out, result_json(label, s->name, &res, NULL));
    else
        print_result(label, &res);
    fflush(stdout);
    if (R->rejects && !res.noop && res.rejected) {
        if ((rc = ld_rejects_csv(R->w, res.job, R->rejects, R->rejects_header, &err))) {
            sp_spec_free(s);
            R->failed++;
            rp_utf8_printable(rp_errmsg(&err), strlen(rp_errmsg(&err)), R->why, sizeof R->why);
            return cli_fail("load: --rejects", &err);
        }
        R->rejects_header = 0;
    }
    if (!res.noop) {
        R->records += res.records;
        R->loaded += res.loaded;
        R->rejected += res.rejected;
        R->fixed += res.fixed;
    }
    sp_spec_free(s);
    if (res.interrupted) {
        R->failed++;
        snprintf(R->why, sizeof R->why, "interrupted");
        return CLI_FAIL;
    }
    return CLI_OK;
}

static int load_dir(run *R, const char *dir)
{
    ld_plan p;
    rp_error err = RP_ERROR_INIT;
    if (ld_plan_dir(dir, 0, &p, &err)) {
        R->failed++;
        return cli_fail("load", &err);
    }
    for (int i = 0; i < p.n && !stop_requested; i++)
        load_one(R, p.items[i].path, p.items[i].label, R->spec_file || R->source ? NULL : p.items[i].spec,
                 &p.items[i]);
    if (p.nunknown && !R->json) {
        char b[2049];
        printf("%s: %d file%s without a spec left alone:", shown(dir, b, sizeof b), p.nunknown,
               p.nunknown == 1 ? "" : "s");
        for (int i = 0; i < p.nunknown && i < 10; i++)
            printf(" %s", shown(p.unknown[i], b, sizeof b));
        printf("%s\n", p.nunknown > 10 ? " ..." : "");
    }
    ld_plan_free(&p);
    return CLI_OK;
}

/* ---- rapport load --preview, rapport copybook ---- */

/* A preview value as a cell: text as it is, a number plainly, null empty, an object its "error". */
static const char *cell(const json_t *v, char *buf, size_t n)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(buf, n, "%lld", (long long)json_integer_value(v));
        return buf;
    }
    if (json_is_object(v)) {
        snprintf(buf, n, "(%s)", json_string_value(json_object_get(v, "error")) ? json_string_value(json_object_get(v, "error")) : "?");
        return buf;
    }
    return "";
}

static void print_members(const json_t *o, int indent)
{
    table t;
    table_init(&t, 2, indent);
    const char *k;
    json_t *v;
    char buf[1200];
    json_object_foreach((json_t *)o, k, v) {
        const char *row[] = { k, cell(v, buf, sizeof buf) };
        table_row(&t, row);
    }
    table_print(&t, stdout);
    table_release(&t);
}

static void print_preview(const char *file, const sp_spec *s, const json_t *recs)
{
    char lb[2049];
    printf("%s (spec %s): the first %zu record%s, nothing loaded\n", shown(file, lb, sizeof lb), s->name,
           json_array_size(recs), json_array_size(recs) == 1 ? "" : "s");
    size_t i;
    json_t *r;
    json_array_foreach(recs, i, r) {
        const char *seg = json_string_value(json_object_get(r, "segment"));
        printf("record %lld (offset %lld, %lld bytes%s%s)\n", (long long)json_integer_value(json_object_get(r, "record")),
               (long long)json_integer_value(json_object_get(r, "offset")),
               (long long)json_integer_value(json_object_get(r, "length")), seg ? ", " : "", seg ? seg : "");
        const json_t *rj = json_object_get(r, "rejected"), *fx = json_object_get(r, "fixed");
        if (json_is_object(rj))
            printf("  rejected (%s): %s\n", shown(json_string_value(json_object_get(rj, "rule")), lb, 200),
                   shown(json_string_value(json_object_get(rj, "message")), lb + 800, 300));
        else
            print_members(json_object_get(r, "values"), 2);
        size_t k;
        json_t *f;
        json_array_foreach(fx, k, f)
            printf("  fixed by %s: %s\n", json_string_value(json_object_get(f, "rule")),
                   json_string_value(json_object_get(f, "field")));
        if (json_object_get(r, "copybook")) {
            printf("  as the copybook reads it:\n");
            print_members(json_object_get(r, "copybook"), 4);
        }
    }
}

static int preview(const char *spec_file, const char *source, const char *n_arg, int json, const char **pos, int npos)
{
    char *end;
    long long n = strtoll(n_arg, &end, 10);
    if (*end || n < 1 || n > 100000)
        return cli_failf("load", "--preview: '%s' is not a number of records from 1 to 100000", n_arg);
    json_t *all = json ? json_array() : NULL;
    int failed = 0;
    for (int i = 0; i < npos; i++) {
        struct stat st;
        if (stat(pos[i], &st) != 0 || S_ISDIR(st.st_mode)) {
            failed |= cli_failf("load", "%s: %s", pos[i], stat(pos[i], &st) ? strerror(errno) : "--preview reads files, not folders");
            continue;
        }
        sp_spec *s = NULL;
        rp_error err = RP_ERROR_INIT;
        json_t *recs = NULL;
        if (spec_for(spec_file, source, pos[i], &s, &err) || ld_preview(s, pos[i], n, &recs, &err)) {
            failed |= cli_fail("load", &err);
        } else if (json) {
            json_array_append_new(all, json_pack("{s:s, s:s, s:o}", "file", pos[i], "spec", s->name, "records", recs));
        } else {
            print_preview(pos[i], s, recs);
            json_decref(recs);
        }
        sp_spec_free(s);
    }
    if (json)
        put_json(all);
    return failed ? CLI_FAIL : CLI_OK;
}

/* One record of a copybook as a compiler's map. */
static void print_record_map(const char *file, const json_t *m)
{
    char lb[2049];
    int variable = json_is_true(json_object_get(m, "variable"));
    printf("%s: record %s, %s%lld bytes, %zu fields%s\n", shown(file, lb, sizeof lb),
           json_string_value(json_object_get(m, "record")), variable ? "up to " : "",
           (long long)json_integer_value(json_object_get(m, "length")), json_array_size(json_object_get(m, "fields")),
           variable ? " (OCCURS DEPENDING ON: what follows an array moves with its count; the map shows the most)" : "");
    table t;
    table_init(&t, 8, 0);
    const char *head[] = { "LVL", "NAME", "PICTURE", "USAGE", "START", "END", "LENGTH", "OCCURS" };
    table_row(&t, head);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(m, "items"), i, it) {
        char lvl[8], name[200], st[16], en[16], ln[16], oc[16], ocs[120];
        snprintf(lvl, sizeof lvl, "%02lld", (long long)json_integer_value(json_object_get(it, "level")));
        int depth = (int)json_integer_value(json_object_get(it, "depth"));
        const char *red = json_string_value(json_object_get(it, "redefines"));
        snprintf(name, sizeof name, "%*s%s%s%s", 2 * (depth < 20 ? depth : 20), "",
                 json_string_value(json_object_get(it, "name")), red ? " REDEFINES " : "", red ? red : "");
        snprintf(st, sizeof st, "%lld", (long long)json_integer_value(json_object_get(it, "start")));
        snprintf(en, sizeof en, "%lld", (long long)json_integer_value(json_object_get(it, "end")));
        snprintf(ln, sizeof ln, "%lld", (long long)json_integer_value(json_object_get(it, "length")));
        long long occ = json_integer_value(json_object_get(it, "occurs"));
        const char *dep = json_string_value(json_object_get(it, "depending_on"));
        snprintf(oc, sizeof oc, "%lld", occ);
        if (dep) /* OCCURS min TO max DEPENDING ON counter */
            snprintf(ocs, sizeof ocs, "%lld TO %lld DEPENDING ON %s",
                     (long long)json_integer_value(json_object_get(it, "occurs_min")), occ, dep);
        const char *row[] = { lvl, name, json_string_value(json_object_get(it, "picture")),
                              json_string_value(json_object_get(it, "usage")), st, en, ln, dep ? ocs : occ > 1 ? oc : "" };
        table_row(&t, row);
    }
    table_print(&t, stdout);
    table_release(&t);
}

int cmd_copybook(cli_ctx *c)
{
    rp_error err = RP_ERROR_INIT;
    json_t *m;
    if (etl_copybook_map_file(c->args[0], &m, &err))
        return cli_fail("copybook", &err);
    if (cli_flag(c, "json")) {
        put_json(m);
        return CLI_OK;
    }
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(m, "records"), i, r) {
        if (i)
            printf("\n");
        print_record_map(c->args[0], r);
    }
    json_decref(m);
    return CLI_OK;
}

int cmd_load(cli_ctx *c)
{
    const char *spec = cli_arg(c, "spec");
    const char *source = cli_arg(c, "source");
    const char *rate = cli_arg(c, "max-reject-rate");
    const char *rejects = cli_arg(c, "rejects");
    const char *batch = cli_arg(c, "batch");
    int json = cli_flag(c, "json"), force = cli_flag(c, "force"), list = cli_flag(c, "list-specs");
    const char **pos = c->args;
    int rc;
    if (list) {
        const char *const *names = sp_builtin_names();
        for (int i = 0; names[i]; i++) {
            const char *d = sp_builtin_description(names[i]);
            if (!d)
                return cli_failf("load", "%s", rp_strerror(RP_NOMEM));
            printf("%-22s %s\n", names[i], d);
        }
        return CLI_OK;
    }
    int npos = 0;
    while (npos < 256 && pos[npos])
        npos++;
    if (!npos)
        return cli_failf("load", "name a file or an extract folder (rapport load --help)");
    if (spec && source)
        return cli_failf("load", "--spec and --source cannot be used together");
    if (cli_arg(c, "preview"))
        return preview(spec, source, cli_arg(c, "preview"), json, pos, npos);
    run R = { 0 };
    R.lo.by = cli_user();
    R.lo.max_reject_rate = -1;
    R.lo.progress = !json;
    R.lo.force = force;
    R.lo.stop = &stop_requested;
    R.spec_file = spec;
    R.source = source;
    R.json = json;
    if (rate) {
        char *end;
        double r = strtod(rate, &end);
        if (*end == '%')
            r /= 100, end++;
        if (*end || r < 0 || r > 1)
            return cli_failf("load", "--max-reject-rate: '%s' is not a share from 0 to 1 (or 0%% to 100%%)", rate);
        R.lo.max_reject_rate = r;
    }
    if (batch) {
        char *end;
        long b = strtol(batch, &end, 10);
        if (*end || b < 1 || b > 10000000)
            return cli_failf("load", "--batch: '%s' is not a number of records from 1 to 10,000,000", batch);
        R.lo.batch = (int)b;
    }
    /* every named path must exist before anything is loaded */
    for (int i = 0; i < npos; i++) {
        struct stat st;
        if (stat(pos[i], &st) != 0)
            return cli_failf("load", "%s: %s", pos[i], strerror(errno));
    }
    if ((rc = cli_wh(c, 0, &R.w, NULL)))
        return rc;
    if (rejects) {
        /* masked, but still about people: the file is its owner's alone */
        int fd = open(rejects, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        R.rejects = fd >= 0 ? fdopen(fd, "wb") : NULL;
        if (!R.rejects && fd >= 0)
            close(fd);
        if (!R.rejects) {
            cli_wh_close(c);
            return cli_failf("load", "--rejects: %s: %s", rejects, strerror(errno));
        }
        R.rejects_header = 1;
    }
    if (json && !(R.out = json_array())) {
        cli_wh_close(c);
        return cli_failf("load", "%s", rp_strerror(RP_NOMEM));
    }
    catch_signals();
    for (int i = 0; i < npos && !stop_requested; i++) {
        struct stat st;
        stat(pos[i], &st);
        if (S_ISDIR(st.st_mode))
            load_dir(&R, pos[i]);
        else
            load_one(&R, pos[i], pos[i], NULL, NULL);
    }
    if (R.rejects) {
        if (R.rejects_header) { /* no rejects: still a valid CSV with its header */
            rp_error e = RP_ERROR_INIT;
            if (ld_rejects_csv(R.w, 0, R.rejects, 1, &e))
                R.failed++;
        }
        if (fclose(R.rejects) != 0)
            R.failed++;
    }
    if (json) {
        put_json(json_incref(R.out));
    } else if (npos > 1 || R.records) {
        char a[32], b[32], f[32], d[32];
        rp_format_thousands(a, sizeof a, (uint64_t)R.records);
        rp_format_thousands(b, sizeof b, (uint64_t)R.loaded);
        rp_format_thousands(f, sizeof f, (uint64_t)R.fixed);
        rp_format_thousands(d, sizeof d, (uint64_t)R.rejected);
        printf("total: %s records: %s loaded (%s fixed), %s rejected\n", a, b, f, d);
    }
    if (R.loaded > 0 && !stop_requested)
        cli_events_after_load(c, R.w, json); /* the event rules over what came (marketing.h) */
    json_decref(R.out);
    cli_wh_close(c);
    if (stop_requested)
        fprintf(stderr, "rapport: load: interrupted; what was committed stays, run the same command to finish\n");
    return R.failed || stop_requested ? CLI_FAIL : CLI_OK;
}

/* ---- rapport jobs ---- */

int cmd_jobs(cli_ctx *c)
{
    const char *limit = cli_arg(c, "limit"), *status = cli_arg(c, "status");
    int json = cli_flag(c, "json");
    const char **pos = c->args;
    int rc;
    long lim = 50, one = 0;
    if (limit) {
        char *end;
        lim = strtol(limit, &end, 10);
        if (*end || lim < 1 || lim > 100000)
            return cli_failf("jobs", "--limit: '%s' is not a number from 1 to 100000", limit);
    }
    if (pos[0]) {
        char *end;
        one = strtol(pos[0], &end, 10);
        if (*end || one < 1)
            return cli_failf("jobs", "'%s' is not a job number", pos[0]);
    }
    if (status && !ld_job_status_ok(status))
        return cli_failf("jobs", "--status: '%s' is not one of running, done, failed, interrupted", status);
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *arr;
    rc = ld_jobs_list(w, status, one, (int)lim, &arr, &err);
    cli_wh_close(c);
    if (rc)
        return cli_fail("jobs", &err);
    int found = (int)json_array_size(arr);
    if (json) {
        put_json(json_incref(arr));
    } else if (!found) {
        printf(one ? "no job %ld\n" : "no load jobs yet\n", one);
    } else {
        table t;
        table_init(&t, 10, 0);
        const char *head[] = { "job", "state", "spec", "file", "records", "loaded", "fixed", "rejected", "rate/s",
                               "seconds" };
        table_row(&t, head);
        size_t i;
        json_t *o;
        json_array_foreach(arr, i, o) {
            double secs = json_real_value(json_object_get(o, "seconds"));
            int64_t recs = json_integer_value(json_object_get(o, "records"));
            char cell[10][64];
            const char *spec = json_string_value(json_object_get(o, "spec"));
            const char *f = json_string_value(json_object_get(o, "file"));
            f = f ? f : "";
            snprintf(cell[0], 64, "%lld", (long long)json_integer_value(json_object_get(o, "job")));
            snprintf(cell[1], 64, "%s", json_string_value(json_object_get(o, "status")));
            snprintf(cell[2], 64, "%s", spec ? spec : "");
            snprintf(cell[3], 64, "%s", strlen(f) > 40 ? f + strlen(f) - 40 : f);
            rp_format_thousands(cell[4], 64, (uint64_t)recs);
            rp_format_thousands(cell[5], 64, (uint64_t)json_integer_value(json_object_get(o, "loaded")));
            rp_format_thousands(cell[6], 64, (uint64_t)json_integer_value(json_object_get(o, "fixed")));
            rp_format_thousands(cell[7], 64, (uint64_t)json_integer_value(json_object_get(o, "rejected")));
            rp_format_thousands(cell[8], 64, (uint64_t)(secs > 0 ? (double)recs / secs + 0.5 : 0));
            snprintf(cell[9], 64, "%.1f", secs);
            const char *row[10];
            for (int k = 0; k < 10; k++)
                row[k] = cell[k];
            table_row(&t, row);
            const char *msg = json_string_value(json_object_get(o, "message"));
            if (msg && *msg)
                table_note(&t, msg);
        }
        table_print(&t, stdout);
        table_release(&t);
        /* one job: what it rejected and fixed, rule by rule */
        json_array_foreach(json_object_get(json_array_get(arr, 0), "rules"), i, o) {
            char n[32];
            rp_format_thousands(n, sizeof n, (uint64_t)json_integer_value(json_object_get(o, "count")));
            const char *fl = json_string_value(json_object_get(o, "field"));
            char fb[4 * 64 + 1];
            printf("  %-9s %-14s %-22s %s\n", json_string_value(json_object_get(o, "outcome")),
                   json_string_value(json_object_get(o, "rule")), fl && *fl ? shown(fl, fb, sizeof fb) : "(record)",
                   n);
        }
    }
    json_decref(arr);
    return one && !found ? CLI_FAIL : CLI_OK;
}

/* ---- rapport rejects ---- */

static int parse_job(const char *cmd, const char *s, int64_t *job)
{
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || *end || v < 1)
        return cli_failf(cmd, "'%s' is not a job number", s ? s : "");
    *job = v;
    return CLI_OK;
}

int cmd_rejects(cli_ctx *c)
{
    const char *job = cli_arg(c, "job");
    const char *rule = cli_arg(c, "rule");
    const char *status = cli_arg(c, "status");
    const char *limit = cli_arg(c, "limit");
    int json = cli_flag(c, "json"), csv = cli_flag(c, "csv"), all = cli_flag(c, "all");
    int rc;
    int64_t j = 0;
    if (job && (rc = parse_job("rejects", job, &j)))
        return rc;
    long lim = 1000;
    if (limit) {
        char *end;
        lim = strtol(limit, &end, 10);
        if (*end || lim < 1)
            return cli_failf("rejects", "--limit: '%s' is not a positive number", limit);
    }
    if (status && strcmp(status, "open") && strcmp(status, "loaded") && strcmp(status, "resubmitted") &&
        strcmp(status, "dismissed"))
        return cli_failf("rejects", "--status: '%s' is not one of open, loaded, resubmitted, dismissed", status);
    if (json && csv)
        return cli_failf("rejects", "--json and --csv cannot be used together");
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    json_t *arr;
    char what[200];
    snprintf(what, sizeof what, "job=%lld rule=%.40s status=%.20s", (long long)j, rule ? rule : "",
             status ? status : all ? "all" : "open");
    if ((rc = cli_audit(c, "rejects_read", 0, NULL, what)))
        return rc;
    rc = ld_rejects_list(w, j, rule, status ? status : all ? NULL : "open", (int)lim, &arr, &err);
    cli_wh_close(c);
    if (rc)
        return cli_fail("rejects", &err);
    size_t n = json_array_size(arr);
    if (json) {
        put_json(json_incref(arr));
    } else if (csv) {
        rp_buf out = RP_BUF_INIT;
        const char *h[] = { "job", "file", "record", "offset", "field", "value", "rule", "message", "status" };
        for (int i = 0; i < 9; i++)
            rp_csv_field(&out, h[i], strlen(h[i]), i == 0);
        rp_csv_end_row(&out);
        size_t i;
        json_t *o;
        json_array_foreach(arr, i, o) {
            char num[3][32];
            snprintf(num[0], 32, "%lld", (long long)json_integer_value(json_object_get(o, "job")));
            snprintf(num[1], 32, "%lld", (long long)json_integer_value(json_object_get(o, "record")));
            snprintf(num[2], 32, "%lld", (long long)json_integer_value(json_object_get(o, "offset")));
            const char *row[9] = { num[0], json_string_value(json_object_get(o, "file")), num[1], num[2],
                                   json_string_value(json_object_get(o, "field")),
                                   json_string_value(json_object_get(o, "value")),
                                   json_string_value(json_object_get(o, "rule")),
                                   json_string_value(json_object_get(o, "message")),
                                   json_string_value(json_object_get(o, "status")) };
            for (int k = 0; k < 9; k++)
                rp_csv_field(&out, row[k], strlen(row[k]), k == 0);
            rp_csv_end_row(&out);
        }
        fwrite(out.data, 1, out.len, stdout);
        rp_buf_release(&out);
    } else if (!n) {
        printf("no %srejects\n", status ? "" : all ? "" : "open ");
    } else {
        table t;
        table_init(&t, 8, 0);
        const char *head[] = { "job", "file", "record", "field", "value", "rule", "message", "status" };
        table_row(&t, head);
        size_t i;
        json_t *o;
        json_array_foreach(arr, i, o) {
            char num[2][32], msg[80];
            const char *m = json_string_value(json_object_get(o, "message"));
            snprintf(num[0], 32, "%lld", (long long)json_integer_value(json_object_get(o, "job")));
            snprintf(num[1], 32, "%lld", (long long)json_integer_value(json_object_get(o, "record")));
            size_t ml = rp_utf8_cut(m, strlen(m), 76); /* not a character cut in two */
            snprintf(msg, sizeof msg, "%.*s%s", (int)ml, m, strlen(m) > ml ? "..." : "");
            const char *row[8] = { num[0], json_string_value(json_object_get(o, "file")), num[1],
                                   json_string_value(json_object_get(o, "field")),
                                   json_string_value(json_object_get(o, "value")),
                                   json_string_value(json_object_get(o, "rule")), msg,
                                   json_string_value(json_object_get(o, "status")) };
            table_row(&t, row);
        }
        table_print(&t, stdout);
        table_release(&t);
    }
    json_decref(arr);
    return CLI_OK;
}

int cmd_rejects_export(cli_ctx *c)
{
    const char *outp = cli_arg(c, "out");
    const char **pos = c->args;
    int rc;
    int64_t job = 0;
    if ((rc = parse_job("rejects export", pos[0], &job)))
        return rc;
    if (!outp)
        return cli_failf("rejects export", "--out FILE is required");
    const char *reason = cli_arg(c, "reason");
    if ((rc = cli_reason("rejects export", reason)))
        return rc;
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    char what[300];
    snprintf(what, sizeof what, "job %lld to %.200s", (long long)job, outp);
    if ((rc = cli_audit(c, "rejects_export", 0, reason, what)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    int64_t n = 0;
    rc = ld_rejects_export(w, job, outp, &n, &err);
    cli_wh_close(c);
    if (rc)
        return cli_fail("rejects export", &err);
    printf("wrote %s: %lld open rejected record%s of job %lld, in the file's own format\n", outp, (long long)n,
           n == 1 ? "" : "s", (long long)job);
    return CLI_OK;
}

int cmd_rejects_resubmit(cli_ctx *c)
{
    int json = cli_flag(c, "json");
    const char **pos = c->args;
    int rc;
    int64_t job = 0;
    if ((rc = parse_job("rejects resubmit", pos[0], &job)))
        return rc;
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    ld_options lo = { 0 };
    lo.by = cli_user();
    lo.max_reject_rate = -1;
    lo.progress = !json;
    ld_result r;
    rc = ld_resubmit(w, job, pos[1], &lo, &r, &err);
    cli_wh_close(c);
    if (rc)
        return cli_fail("rejects resubmit", &err);
    char label[64];
    snprintf(label, sizeof label, "job %lld re-submitted", (long long)job);
    if (json) {
        put_json(result_json(label, "", &r, NULL));
    } else {
        print_result(label, &r);
    }
    return CLI_OK;
}

int cmd_rejects_dismiss(cli_ctx *c)
{
    const char *record = cli_arg(c, "record"), *rule = cli_arg(c, "rule"), *reason = cli_arg(c, "reason");
    const char **pos = c->args;
    int rc;
    int64_t job = 0, rec = 0;
    if ((rc = parse_job("rejects dismiss", pos[0], &job)))
        return rc;
    if (record) {
        char *end;
        rec = strtoll(record, &end, 10);
        if (*end || rec < 1)
            return cli_failf("rejects dismiss", "--record: '%s' is not a record number", record);
    }
    if (!reason || !*reason)
        return cli_failf("rejects dismiss", "--reason is required: say why the records will not be loaded");
    if (!record && !rule)
        return cli_failf("rejects dismiss", "name the rejects: --record N or --rule R (or both)");
    wh *w;
    if ((rc = cli_wh(c, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    int64_t n = 0;
    rc = ld_rejects_dismiss(w, job, rec, rule, reason, cli_user(), &n, &err);
    cli_wh_close(c);
    if (rc)
        return cli_fail("rejects dismiss", &err);
    if (!n)
        return cli_failf("rejects dismiss", "job %lld has no open reject%s%s%s%s", (long long)job, record ? " at record " : "",
                         record ? record : "", rule ? " by rule " : "", rule ? rule : "");
    printf("dismissed %lld reject%s of job %lld\n", (long long)n, n == 1 ? "" : "s", (long long)job);
    return CLI_OK;
}

/* ---- rapport watch ---- */

static int mkdirs(const char *path)
{
    char p[2048];
    snprintf(p, sizeof p, "%s", path);
    for (char *q = p + 1; *q; q++)
        if (*q == '/') {
            *q = 0;
            mkdir(p, 0755);
            *q = '/';
        }
    return mkdir(p, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

/* Move INBOX/label to DIR/label, not overwriting: label.1, label.2 ... */
static int move_to(const char *from, const char *dir, const char *label, char *dest, size_t n)
{
    char parent[1024];
    snprintf(dest, n, "%s/%s", dir, label);
    snprintf(parent, sizeof parent, "%s", dest);
    char *slash = strrchr(parent, '/');
    if (slash)
        *slash = 0;
    if (mkdirs(parent))
        return -1;
    struct stat st;
    for (int k = 1; stat(dest, &st) == 0 && k < 10000; k++)
        snprintf(dest, n, "%s/%s.%d", dir, label, k);
    return rename(from, dest);
}

static void sleep_interruptible(double s)
{
    for (double t = 0; t < s && !stop_requested; t += 0.1) {
        struct timespec ts = { 0, 100000000L };
        nanosleep(&ts, NULL);
    }
}

int cmd_watch(cli_ctx *c)
{
    const char *archive = cli_arg(c, "archive");
    const char *errors = cli_arg(c, "errors");
    const char *interval = cli_arg(c, "interval");
    const char *spec = cli_arg(c, "spec");
    const char *source = cli_arg(c, "source");
    const char *rate = cli_arg(c, "max-reject-rate");
    int once = cli_flag(c, "once");
    const char **pos = c->args;
    int rc;
    const char *inbox = pos[0];
    struct stat st;
    if (stat(inbox, &st) != 0 || !S_ISDIR(st.st_mode))
        return cli_failf("watch", "%s: not a folder", inbox);
    double every = 5;
    if (interval) {
        char *end;
        every = strtod(interval, &end);
        if (*end || every < 0.1 || every > 86400)
            return cli_failf("watch", "--interval: '%s' is not a number of seconds from 0.1 to 86400", interval);
    }
    if (spec && source)
        return cli_failf("watch", "--spec and --source cannot be used together");
    char arch[2048], errd[2048];
    snprintf(arch, sizeof arch, "%s", archive ? archive : "");
    snprintf(errd, sizeof errd, "%s", errors ? errors : "");
    char parent[1024];
    snprintf(parent, sizeof parent, "%s", inbox);
    size_t pl = strlen(parent);
    while (pl > 1 && parent[pl - 1] == '/')
        parent[--pl] = 0;
    char *slash = strrchr(parent, '/');
    if (slash)
        slash[slash == parent ? 1 : 0] = 0;
    else
        snprintf(parent, sizeof parent, ".");
    const char *pre = strcmp(parent, ".") ? parent : "";
    if (!archive)
        snprintf(arch, sizeof arch, "%s%sarchive", pre, *pre ? "/" : "");
    if (!errors)
        snprintf(errd, sizeof errd, "%s%serrors", pre, *pre ? "/" : "");
    if (mkdirs(arch) || mkdirs(errd))
        return cli_failf("watch", "cannot make the folders %s and %s: %s", arch, errd, strerror(errno));
    run R = { 0 };
    R.lo.by = cli_user();
    R.lo.max_reject_rate = -1;
    R.lo.progress = 1;
    R.lo.stop = &stop_requested;
    R.spec_file = spec;
    R.source = source;
    if (rate) {
        char *end;
        double r = strtod(rate, &end);
        if (*end == '%')
            r /= 100, end++;
        if (*end || r < 0 || r > 1)
            return cli_failf("watch", "--max-reject-rate: '%s' is not a share from 0 to 1 (or 0%% to 100%%)", rate);
        R.lo.max_reject_rate = r;
    }
    if ((rc = cli_wh(c, 0, &R.w, NULL)))
        return rc;
    catch_signals();
    if (!once)
        printf("watching %s (archive %s, errors %s); Ctrl-C stops\n", inbox, arch, errd);
    fflush(stdout);
    int moved_bad = 0;
    while (!stop_requested) {
        ld_plan p;
        rp_error err = RP_ERROR_INIT;
        if (ld_plan_dir(inbox, LD_PLAN_NO_MANIFEST, &p, &err)) {
            cli_fail("watch", &err);
            break;
        }
        time_t now = time(NULL);
        for (int i = 0; i < p.n && !stop_requested; i++) {
            if (stat(p.items[i].path, &st) != 0 || now - st.st_mtime < 2)
                continue; /* still being written */
            int failed = load_one(&R, p.items[i].path, p.items[i].label, p.items[i].spec, NULL);
            char dest[2200];
            if (!failed)
                cli_events_after_load(c, R.w, 0);
            if (!failed) {
                char b1[4 * sizeof dest + 1], b2[4 * sizeof arch + 1];
                if (move_to(p.items[i].path, arch, p.items[i].label, dest, sizeof dest))
                    fprintf(stderr, "rapport: watch: cannot move %s to %s: %s\n", shown(p.items[i].path, b1, sizeof b1),
                            shown(arch, b2, sizeof b2), strerror(errno));
                else
                    printf("  archived as %s\n", shown(dest, b1, sizeof b1));
            } else if (!stop_requested) {
                if (move_to(p.items[i].path, errd, p.items[i].label, dest, sizeof dest) == 0) {
                    char why[2300];
                    snprintf(why, sizeof why, "%s.why", dest);
                    FILE *f = fopen(why, "w");
                    if (f) {
                        fprintf(f, "%s\n", R.why);
                        fclose(f);
                    }
                    char b1[4 * sizeof dest + 1];
                    printf("  moved to %s\n", shown(dest, b1, sizeof b1));
                }
                moved_bad++;
            }
            fflush(stdout);
        }
        for (int i = 0; i < p.nunknown && !stop_requested; i++) {
            char from[2048], dest[2200];
            snprintf(from, sizeof from, "%s/%s", inbox, p.unknown[i]);
            if (stat(from, &st) != 0 || now - st.st_mtime < 2)
                continue;
            if (move_to(from, errd, p.unknown[i], dest, sizeof dest) == 0) {
                char why[2300];
                snprintf(why, sizeof why, "%s.why", dest);
                FILE *f = fopen(why, "w");
                if (f) {
                    fprintf(f, "no spec reads this file; load it with rapport load --spec FILE\n");
                    fclose(f);
                }
                char b1[4 * sizeof from + 1], b2[4 * sizeof dest + 1];
                fprintf(stderr, "rapport: watch: %s: no spec reads this file; moved to %s\n",
                        shown(p.unknown[i], b1, sizeof b1), shown(dest, b2, sizeof b2));
                moved_bad++;
            }
        }
        ld_plan_free(&p);
        fflush(stdout);
        if (once)
            break;
        sleep_interruptible(every);
    }
    json_decref(R.out);
    cli_wh_close(c);
    return moved_bad && once ? CLI_FAIL : CLI_OK;
}
