/* common.c — what the harnesses share.  See fuzz.h. */
#include "fuzz.h"
#include "core/utf8.h"
#include "gen/gen.h"

#include <ftw.h>
#include <glob.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FZ_TREE
#error "FZ_TREE, the checkout's path, is set by the Makefile"
#endif

/* ---- the temporary folder ---- */

static char tmpdir[512];
static pid_t tmp_owner;

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static void remove_tmpdir(void)
{
    if (tmpdir[0] && getpid() == tmp_owner)
        nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

void fz_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "fuzz harness: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    remove_tmpdir();
    _exit(2); /* not exit(): libFuzzer would take it for a finding */
}

void fz_bug(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "fuzz finding: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    abort();
}

const char *fz_tmpdir(void)
{
    if (!tmpdir[0]) {
        const char *base = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
        snprintf(tmpdir, sizeof tmpdir, "%s/rapport-fuzz-XXXXXX", base);
        if (!mkdtemp(tmpdir))
            fz_die("cannot make a temporary folder under %s", base);
        tmp_owner = getpid();
        atexit(remove_tmpdir);
        json_object_seed(1); /* the same hash order every run */
    }
    return tmpdir;
}

const char *fz_write(const char *name, const void *data, size_t n)
{
    static char path[700];
    snprintf(path, sizeof path, "%s/%s", fz_tmpdir(), name);
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(data, 1, n, f) != n) || fclose(f))
        fz_die("cannot write %s", path);
    return path;
}

char *fz_cstr(const uint8_t *data, size_t n)
{
    char *s = malloc(n + 1);
    if (!s)
        fz_die("out of memory");
    if (n)
        memcpy(s, data, n);
    s[n] = 0;
    return s;
}

/* ---- copybooks and specs ---- */

const char *fz_copybook_dir(void)
{
    static char dir[700];
    if (dir[0])
        return dir;
    /* the host copybooks as the generator writes them, so that they are the shipped specs' */
    char bank[600];
    snprintf(bank, sizeof bank, "%s/bank", fz_tmpdir());
    gen_options o = GEN_OPTIONS_INIT;
    o.customers = 1;
    o.months = 1;
    o.out = bank;
    o.progress = 0;
    rp_error err = RP_ERROR_INIT;
    if (gen_run(&o, NULL, &err))
        fz_die("gen: %s", rp_errmsg(&err));
    snprintf(dir, sizeof dir, "%s/host", bank);
    return dir;
}

const char *fz_tree(const char *rel)
{
    static char path[4][1024];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, sizeof path[0], "%s/%s", FZ_TREE, rel);
    return p;
}

static sp_spec **specs;
static int nspecs;

static void load_specs(void)
{
    if (specs)
        return;
    const char *const *names = sp_builtin_names();
    int nb = 0;
    while (names[nb])
        nb++;
    glob_t g;
    if (glob(fz_tree("tests/fixtures/etl/*.json"), 0, NULL, &g))
        fz_die("no specs in %s", fz_tree("tests/fixtures/etl"));
    specs = calloc((size_t)nb + g.gl_pathc, sizeof *specs);
    if (!specs)
        fz_die("out of memory");
    const char *dir = fz_copybook_dir();
    rp_error err = RP_ERROR_INIT;
    for (int i = 0; i < nb; i++)
        if (sp_spec_builtin(names[i], dir, &specs[nspecs++], &err))
            fz_die("spec %s: %s", names[i], rp_errmsg(&err));
    for (size_t i = 0; i < g.gl_pathc; i++) /* some are there to be refused (accounts.json) */
        if (sp_spec_load(g.gl_pathv[i], NULL, &specs[nspecs], &err) == RP_OK)
            nspecs++;
    globfree(&g);
}

int fz_spec_count(void)
{
    load_specs();
    return nspecs;
}

const sp_spec *fz_spec(int i)
{
    load_specs();
    return specs[i];
}

const sp_spec *fz_spec_named(const char *name)
{
    load_specs();
    for (int i = 0; i < nspecs; i++)
        if (!strcmp(specs[i]->name, name))
            return specs[i];
    return NULL;
}

/* ---- decoding a file as the loader does ---- */

/* Every value of a decoded record is text that ends (ASan checks the read). */
static void check_values(sp_decoder *d, const sp_spec *s, const sp_value *v)
{
    for (int i = 0; i < s->nfields; i++) {
        if (v[i].null)
            continue;
        if (!v[i].text)
            fz_bug("field %s: not null and no text", s->fields[i].name);
        size_t n = strlen(v[i].text);
        if (n >= SP_TEXT_MAX)
            fz_bug("field %s: %zu bytes, above SP_TEXT_MAX", s->fields[i].name, n);
        if (!rp_utf8_valid(v[i].text, n, NULL))
            fz_bug("field %s: the decoded value is not UTF-8", s->fields[i].name);
    }
    (void)strlen(sp_record_key(d, v));
    const char *rule, *field;
    for (int i = 0; i < sp_fixed_count(d); i++)
        sp_fixed_get(d, i, &rule, &field);
}

static void check_reject(const sp_reject *rej)
{
    if (!memchr(rej->field, 0, sizeof rej->field) || !memchr(rej->value, 0, sizeof rej->value) ||
        !memchr(rej->rule, 0, sizeof rej->rule) || !memchr(rej->message, 0, sizeof rej->message))
        fz_bug("a reject with an unterminated member");
    if (!rej->rule[0])
        fz_bug("a reject without a rule: %s", rej->message);
}

void fz_decode_file(const sp_spec *s, const char *path, int max)
{
    rd_options ro = sp_reader_options(s);
    ro.max_record = 1 << 15; /* the loader's 1 MiB: buffers that large cost most of a run under ASan */
    reader *r = NULL;
    sp_decoder *d = NULL;
    rp_error err = RP_ERROR_INIT;
    if (rd_open(path, &ro, &r, &err))
        fz_die("%s", rp_errmsg(&err));
    static sp_value vals[SP_MAX_FIELDS];
    for (int n = 0; n < max; n++) {
        rd_record rec;
        rp_error re = RP_ERROR_INIT;
        int got = rd_next(r, &rec, &re);
        if (got != RD_RECORD && got != RD_BAD)
            break; /* the end, or an I/O error */
        if (got == RD_BAD) { /* as pipe.c keeps it */
            char value[256];
            size_t vl = rec.data ? (rec.len < 64 ? rec.len : 64) : 0;
            rp_utf8_printable(rec.data ? rec.data : "", vl, value, sizeof value);
            continue;
        }
        if (!d) {
            const char **header;
            int nheader = rd_header(r, &header);
            if (sp_decoder_open(s, path, header, nheader, &d, &err))
                break; /* a header without the spec's columns: the load stops, as it does */
        }
        sp_reject rej;
        memset(&rej, 0, sizeof rej);
        int rc = sp_decode(d, &rec, vals, &rej, &err);
        if (rc == SP_OK)
            check_values(d, s, vals);
        else if (rc == SP_REJECT)
            check_reject(&rej);
        else
            fz_bug("spec %s: record %lld: an internal failure (%d): %s", s->name, (long long)rec.number, rc,
                   rp_errmsg(&err));
    }
    sp_decoder_close(d);
    rd_close(r);
}
