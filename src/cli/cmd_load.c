/* cmd_load.c — rapport load, jobs, rejects and watch: source extracts in. */
#include "cli/cli.h"
#include "cli/table.h"
#include "core/json.h"
#include "core/progress.h"
#include "etl/load.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
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

/* ---- choosing a spec ---- */

/* Does a builtin spec's pattern match this path?  A pattern with a slash
 * matches that many trailing components, one without matches the name. */
static int path_matches(const sp_spec *s, const char *path)
{
    for (int i = 0; i < s->nfiles; i++) {
        int slashes = 0;
        for (const char *p = s->files[i]; *p; p++)
            slashes += *p == '/';
        const char *tail = path + strlen(path);
        for (int k = 0; k <= slashes && tail > path; k++) {
            tail--;
            while (tail > path && tail[-1] != '/')
                tail--;
        }
        if (fnmatch(s->files[i], tail, FNM_PATHNAME) == 0)
            return 1;
    }
    return 0;
}

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
 * whose file patterns match.  *name_out (if not NULL) gets the spec name
 * without parsing it. */
static int spec_for(const char *spec_file, const char *source, const char *file, sp_spec **out,
                    rp_error *err)
{
    char dir[1024];
    dir_of(file, dir, sizeof dir);
    if (spec_file)
        return sp_spec_load(spec_file, dir, out, err);
    if (source)
        return sp_spec_builtin(source, dir, out, err);
    const char *const *names = sp_builtin_names();
    for (int i = 0; names[i]; i++) {
        sp_spec *s = NULL;
        rp_error e = RP_ERROR_INIT;
        /* parse without the data folder first: a copybook may be missing for other files */
        const char *t = sp_builtin_text(names[i]);
        json_t *root = json_loads(t, 0, NULL);
        int match = 0;
        if (root) {
            json_t *files = json_object_get(root, "files");
            size_t k;
            json_t *v;
            json_array_foreach(files, k, v)
            {
                sp_spec probe = { 0 };
                char *pat = (char *)json_string_value(v);
                probe.files = &pat;
                probe.nfiles = pat ? 1 : 0;
                match |= path_matches(&probe, file);
            }
            json_decref(root);
        }
        if (!match)
            continue;
        if (sp_spec_builtin(names[i], dir, &s, &e))
            return rp_err(err, e.code, "%s", rp_errmsg(&e));
        *out = s;
        return RP_OK;
    }
    return rp_err(err, RP_NOTFOUND, "%s: no shipped spec matches this file; name one with --spec FILE or "
                  "--source NAME (rapport load --list-specs shows them)", file);
}

/* ---- reporting ---- */

static void print_result(const char *label, const ld_result *r)
{
    char a[32], b[32], c[32], d[32], e[32];
    rp_format_thousands(a, sizeof a, (uint64_t)r->records);
    if (r->noop) {
        printf("%s: already loaded by job %lld (same SHA-256); nothing to do\n", label, (long long)r->noop_job);
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
        printf("  %-9s %-14s %-22s %s\n", k->outcome, k->rule, *k->field ? k->field : "(record)", n);
    }
    if (r->interrupted)
        printf("%s: interrupted after record %lld; run the same command again to finish\n", label,
               (long long)r->records);
}

static json_t *result_json(const char *label, const char *spec, const ld_result *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "file", json_string(label));
    json_object_set_new(o, "spec", json_string(spec));
    json_object_set_new(o, "job", json_integer(r->noop ? r->noop_job : r->job));
    json_object_set_new(o, "status", json_string(r->noop ? "already_loaded" : r->interrupted ? "interrupted" : "done"));
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
        json_object_set_new(c, "field", json_string(r->counts[i].field));
        json_object_set_new(c, "count", json_integer(r->counts[i].n));
        json_array_append_new(rules, c);
    }
    json_object_set_new(o, "rules", rules);
    return o;
}

/* ---- a folder ---- */

typedef struct item {
    char path[2048], label[512], spec[64], sha[65];
    int order;
} item;

static int cmp_items(const void *a, const void *b)
{
    const item *x = a, *y = b;
    if (x->order != y->order)
        return x->order - y->order;
    return strcmp(x->label, y->label);
}

static int list_files(const char *root, const char *rel, item **items, int *n, int *cap, rp_error *err)
{
    char dir[1200];
    snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *d = opendir(dir);
    if (!d)
        return rp_err(err, RP_IO, "%s: cannot read the folder: %s", dir, strerror(errno));
    struct dirent *e;
    int rc = RP_OK;
    while (!rc && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char r2[512], full[1800];
        snprintf(r2, sizeof r2, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", root, r2);
        struct stat st;
        if (stat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (strlen(r2) < 400)
                rc = list_files(root, r2, items, n, cap, err);
            continue;
        }
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 64;
            item *ni = realloc(*items, (size_t)*cap * sizeof *ni);
            if (!ni) {
                rc = rp_err(err, RP_NOMEM, NULL);
                break;
            }
            *items = ni;
        }
        item *it = &(*items)[(*n)++];
        memset(it, 0, sizeof *it);
        snprintf(it->path, sizeof it->path, "%s", full);
        snprintf(it->label, sizeof it->label, "%s", r2);
    }
    closedir(d);
    return rc;
}

/* Order shipped specs so that each comes after those it names in "after". */
static int spec_order(const char *name)
{
    const char *const *names = sp_builtin_names();
    int depth[256] = { 0 }, n = 0;
    while (names[n])
        n++;
    for (int pass = 0; pass < n; pass++)
        for (int i = 0; i < n; i++) {
            json_t *root = json_loads(sp_builtin_text(names[i]), 0, NULL);
            json_t *after = json_object_get(root, "after");
            size_t k;
            json_t *v;
            json_array_foreach(after, k, v)
            for (int j = 0; j < n; j++)
                if (json_string_value(v) && !strcmp(names[j], json_string_value(v)) && depth[i] <= depth[j])
                    depth[i] = depth[j] + 1;
            json_decref(root);
        }
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], name))
            return depth[i];
    return 1000;
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
} run;

static int load_one(run *R, const char *path, const char *label, const char *spec_name, const char *sha)
{
    sp_spec *s = NULL;
    rp_error err = RP_ERROR_INIT;
    int rc = spec_name && !R->spec_file && !R->source ? spec_for(NULL, spec_name, path, &s, &err)
                                                      : spec_for(R->spec_file, R->source, path, &s, &err);
    if (rc) {
        R->failed++;
        return cli_fail("load", &err);
    }
    ld_result res;
    ld_options lo = R->lo;
    lo.label = label;
    lo.expect_sha256 = sha && *sha ? sha : NULL;
    rc = ld_load(R->w, s, path, &lo, &res, &err);
    if (rc) {
        sp_spec_free(s);
        R->failed++;
        return cli_fail("load", &err);
    }
    if (R->json)
        json_array_append_new(R->out, result_json(label, s->name, &res));
    else
        print_result(label, &res);
    fflush(stdout);
    if (R->rejects && !res.noop && res.rejected) {
        if ((rc = ld_rejects_csv(R->w, res.job, R->rejects, R->rejects_header, &err))) {
            sp_spec_free(s);
            R->failed++;
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
    if (res.interrupted)
        R->failed++;
    return res.interrupted ? CLI_FAIL : CLI_OK;
}

static int load_dir(run *R, const char *dir)
{
    char mpath[1200];
    snprintf(mpath, sizeof mpath, "%s/manifest.json", dir);
    item *items = NULL;
    int n = 0, cap = 0;
    rp_error err = RP_ERROR_INIT;
    json_t *manifest = NULL;
    int rc = RP_OK;
    struct stat st;
    if (stat(mpath, &st) == 0) {
        if ((rc = rp_json_load_file(mpath, 64 << 20, &manifest, &err)))
            return cli_fail("load", &err);
        json_t *files = json_object_get(manifest, "files");
        size_t k;
        json_t *f;
        json_array_foreach(files, k, f)
        {
            const char *p = json_string_value(json_object_get(f, "path"));
            const char *sys = json_string_value(json_object_get(f, "system"));
            if (!p || (sys && !strcmp(sys, "truth")))
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                item *ni = realloc(items, (size_t)cap * sizeof *ni);
                if (!ni) {
                    free(items);
                    json_decref(manifest);
                    return cli_failf("load", "out of memory");
                }
                items = ni;
            }
            item *it = &items[n++];
            memset(it, 0, sizeof *it);
            snprintf(it->path, sizeof it->path, "%s/%s", dir, p);
            snprintf(it->label, sizeof it->label, "%s", p);
            const char *sha = json_string_value(json_object_get(f, "sha256"));
            snprintf(it->sha, sizeof it->sha, "%s", sha ? sha : "");
        }
        json_decref(manifest);
    } else if ((rc = list_files(dir, "", &items, &n, &cap, &err))) {
        free(items);
        return cli_fail("load", &err);
    }
    /* which spec each file takes, and the order */
    int skipped = 0;
    char skipped_names[600] = "";
    for (int i = 0; i < n; i++) {
        item *it = &items[i];
        it->order = -1;
        if (R->spec_file || R->source) {
            it->order = 0;
            continue;
        }
        const char *const *names = sp_builtin_names();
        for (int k = 0; names[k] && it->order < 0; k++) {
            json_t *root = json_loads(sp_builtin_text(names[k]), 0, NULL);
            json_t *files = json_object_get(root, "files");
            size_t j;
            json_t *v;
            json_array_foreach(files, j, v)
            {
                sp_spec probe = { 0 };
                char *pat = (char *)json_string_value(v);
                probe.files = &pat;
                probe.nfiles = pat ? 1 : 0;
                if (it->order < 0 && path_matches(&probe, it->label)) {
                    snprintf(it->spec, sizeof it->spec, "%s", names[k]);
                    it->order = spec_order(names[k]);
                }
            }
            json_decref(root);
        }
        if (it->order < 0) {
            const char *ext = strrchr(it->label, '.');
            if (!ext || (strcmp(ext, ".cpy") && strcmp(ext, ".json"))) {
                skipped++;
                if (strlen(skipped_names) < 400)
                    snprintf(skipped_names + strlen(skipped_names), sizeof skipped_names - strlen(skipped_names),
                             "%s%s", *skipped_names ? ", " : "", it->label);
            }
            it->order = 1 << 20;
        }
    }
    qsort(items, (size_t)n, sizeof *items, cmp_items);
    for (int i = 0; i < n && !stop_requested; i++) {
        if (items[i].order == 1 << 20)
            continue;
        load_one(R, items[i].path, items[i].label, *items[i].spec ? items[i].spec : NULL, items[i].sha);
    }
    free(items);
    if (skipped && !R->json)
        printf("%s: %d file%s without a spec left alone: %s\n", dir, skipped, skipped == 1 ? "" : "s",
               skipped_names);
    return CLI_OK;
}

int cmd_load(int argc, char **argv)
{
    const cli_cmd *self = cli_find("load");
    cli_store_opts so = { 0 };
    const char *spec = NULL, *source = NULL, *rate = NULL, *rejects = NULL, *batch = NULL;
    int json = 0, force = 0, list = 0;
    cli_opt opts[] = { CLI_STORE_OPTS(so),
                       { "spec", &spec, NULL },
                       { "source", &source, NULL },
                       { "max-reject-rate", &rate, NULL },
                       { "rejects", &rejects, NULL },
                       { "batch", &batch, NULL },
                       { "force", NULL, &force },
                       { "list-specs", NULL, &list },
                       { "json", NULL, &json },
                       { 0 } };
    const char *pos[257] = { 0 };
    int rc = cli_parse(self, argc, argv, opts, pos, 0, 256);
    if (rc)
        return rc;
    if (list) {
        const char *const *names = sp_builtin_names();
        for (int i = 0; names[i]; i++) {
            json_t *root = json_loads(sp_builtin_text(names[i]), 0, NULL);
            printf("%-22s %s\n", names[i], json_string_value(json_object_get(root, "description"))
                                             ? json_string_value(json_object_get(root, "description"))
                                             : "");
            json_decref(root);
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
    if ((rc = cli_open(self, &so, 0, &R.w, NULL)))
        return rc;
    if (rejects) {
        R.rejects = fopen(rejects, "wb");
        if (!R.rejects) {
            wh_close(R.w);
            return cli_failf("load", "--rejects: %s: %s", rejects, strerror(errno));
        }
        R.rejects_header = 1;
    }
    R.out = json_array();
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
        char *s = json_dumps(R.out, JSON_INDENT(2));
        printf("%s\n", s);
        free(s);
    } else if (npos > 1 || R.records) {
        char a[32], b[32], c[32], d[32];
        rp_format_thousands(a, sizeof a, (uint64_t)R.records);
        rp_format_thousands(b, sizeof b, (uint64_t)R.loaded);
        rp_format_thousands(c, sizeof c, (uint64_t)R.fixed);
        rp_format_thousands(d, sizeof d, (uint64_t)R.rejected);
        printf("total: %s records: %s loaded (%s fixed), %s rejected\n", a, b, c, d);
    }
    json_decref(R.out);
    wh_close(R.w);
    if (stop_requested)
        fprintf(stderr, "rapport: load: interrupted; what was committed stays, run the same command to finish\n");
    return R.failed || stop_requested ? CLI_FAIL : CLI_OK;
}

/* ---- rapport jobs ---- */

int cmd_jobs(int argc, char **argv)
{
    const cli_cmd *self = cli_find("jobs");
    cli_store_opts so = { 0 };
    const char *limit = NULL, *status = NULL;
    int json = 0;
    cli_opt opts[] = { CLI_STORE_OPTS(so), { "limit", &limit, NULL }, { "status", &status, NULL },
                       { "json", NULL, &json }, { 0 } };
    const char *pos[1] = { 0 };
    int rc = cli_parse(self, argc, argv, opts, pos, 0, 1);
    if (rc)
        return rc;
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
    if (status && strcmp(status, "running") && strcmp(status, "done") && strcmp(status, "failed"))
        return cli_failf("jobs", "--status: '%s' is not one of running, done, failed", status);
    wh *w;
    if ((rc = cli_open(self, &so, 0, &w, NULL)))
        return rc;
    rp_error err = RP_ERROR_INIT;
    rp_stmt *st;
    rc = rp_store_prepare(w->store,
                          "SELECT id, status, coalesce(spec, source), file, records, rows_loaded, rows_fixed, "
                          "rows_rejected, seconds, started_at, finished_at, started_by, message, bytes, "
                          "fingerprint FROM load_job WHERE (? IS NULL OR status = ?) AND (? = 0 OR id = ?) "
                          "ORDER BY id DESC LIMIT ?",
                          &st, &err);
    if (rc) {
        wh_close(w);
        return cli_fail("jobs", &err);
    }
    rp_stmt_bind_text(st, 1, status);
    rp_stmt_bind_text(st, 2, status);
    rp_stmt_bind_int(st, 3, one);
    rp_stmt_bind_int(st, 4, one);
    rp_stmt_bind_int(st, 5, lim);
    json_t *arr = json_array();
    table t;
    table_init(&t, 10, 0);
    const char *head[] = { "job", "state", "spec", "file", "records", "loaded", "fixed", "rejected", "rate/s",
                           "seconds" };
    table_row(&t, head);
    int found = 0;
    while ((rc = rp_stmt_step(st, &err)) == RP_ROW) {
        found++;
        double secs = rp_stmt_real(st, 8);
        int64_t recs = rp_stmt_int(st, 4);
        if (json) {
            json_t *o = json_object();
            json_object_set_new(o, "job", json_integer(rp_stmt_int(st, 0)));
            json_object_set_new(o, "status", json_string(rp_stmt_text(st, 1)));
            rp_json_set_str(o, "spec", rp_stmt_text(st, 2));
            rp_json_set_str(o, "file", rp_stmt_text(st, 3));
            json_object_set_new(o, "records", json_integer(recs));
            json_object_set_new(o, "loaded", json_integer(rp_stmt_int(st, 5)));
            json_object_set_new(o, "fixed", json_integer(rp_stmt_int(st, 6)));
            json_object_set_new(o, "rejected", json_integer(rp_stmt_int(st, 7)));
            json_object_set_new(o, "seconds", json_real(secs));
            json_object_set_new(o, "records_per_second", json_real(secs > 0 ? (double)recs / secs : 0));
            rp_json_set_str(o, "started_at", rp_stmt_text(st, 9));
            rp_json_set_str(o, "finished_at", rp_stmt_text(st, 10));
            rp_json_set_str(o, "started_by", rp_stmt_text(st, 11));
            rp_json_set_str(o, "message", rp_stmt_text(st, 12));
            json_object_set_new(o, "bytes", json_integer(rp_stmt_int(st, 13)));
            rp_json_set_str(o, "sha256", rp_stmt_text(st, 14));
            json_array_append_new(arr, o);
            continue;
        }
        char c[10][64];
        snprintf(c[0], 64, "%lld", (long long)rp_stmt_int(st, 0));
        snprintf(c[1], 64, "%s", rp_stmt_text(st, 1));
        snprintf(c[2], 64, "%s", rp_stmt_text(st, 2) ? rp_stmt_text(st, 2) : "");
        const char *f = rp_stmt_text(st, 3) ? rp_stmt_text(st, 3) : "";
        snprintf(c[3], 64, "%s", strlen(f) > 40 ? f + strlen(f) - 40 : f);
        rp_format_thousands(c[4], 64, (uint64_t)recs);
        rp_format_thousands(c[5], 64, (uint64_t)rp_stmt_int(st, 5));
        rp_format_thousands(c[6], 64, (uint64_t)rp_stmt_int(st, 6));
        rp_format_thousands(c[7], 64, (uint64_t)rp_stmt_int(st, 7));
        rp_format_thousands(c[8], 64, (uint64_t)(secs > 0 ? (double)recs / secs + 0.5 : 0));
        snprintf(c[9], 64, "%.1f", secs);
        const char *row[10];
        for (int i = 0; i < 10; i++)
            row[i] = c[i];
        table_row(&t, row);
        const char *msg = rp_stmt_text(st, 12);
        if (msg && *msg) {
            char m[200];
            snprintf(m, sizeof m, "  %s", msg);
            const char *mrow[10] = { "", m, "", "", "", "", "", "", "", "" };
            table_row(&t, mrow);
        }
    }
    rp_stmt_done(st);
    wh_close(w);
    if (rc != RP_DONE) {
        json_decref(arr);
        table_release(&t);
        return cli_fail("jobs", &err);
    }
    if (json) {
        char *s = json_dumps(arr, JSON_INDENT(2));
        printf("%s\n", s);
        free(s);
    } else if (!found) {
        printf(one ? "no job %ld\n" : "no load jobs yet\n", one);
    } else {
        table_print(&t, stdout);
    }
    json_decref(arr);
    table_release(&t);
    return one && !found ? CLI_FAIL : CLI_OK;
}
