/* frame.c — an analyst's CSV file read into a frame: each column's type found from its values,
 * the target made 0/1, and what a model cannot use refused with the row and column named.  See
 * models.h. */
#include "models/internal.h"
#include "core/map.h"
#include "core/progress.h"
#include "core/reader.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

typedef struct {
    char *text;           /* the column's values back to back, each ending in NUL */
    size_t len, cap;
    size_t *off;          /* where each row's value starts; SIZE_MAX: missing */
    size_t offcap;
} rawcol;

typedef struct {
    const char *path;
    int ncols, target;
    char **names;
    rawcol *raw;
    size_t nrows;
    size_t untargeted, first_untargeted;
    int target_optional;  /* a file to score: the target may be absent, and a row without it is kept */
} reading;

static int is_missing(const char *s)
{
    static const char *const marks[] = { "", "NA", "N/A", "NULL", "null", "?", NULL };
    if (*s && *s != 'N' && *s != 'n' && *s != '?')
        return 0; /* the common case, at once */
    for (int i = 0; marks[i]; i++)
        if (!strcmp(s, marks[i]))
            return 1;
    return 0;
}

/* Plain decimals ("-12.345", "7", "0.5") as strtod reads them, faster: at most 15 significant
 * digits and as many decimals as 10^22 holds are an integer exact in a double divided by a power of
 * ten exact in one, so the quotient is rounded once, correctly (Clinger 1990).  0 for anything else
 * (an exponent, more digits), which strtod then reads. */
static int plain_decimal(const char *s, double *v)
{
    static const double p10[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };
    int neg = *s == '-', digits = 0, decimals = -1;
    uint64_t m = 0;
    s += neg || *s == '+';
    for (;; s++) {
        if (*s >= '0' && *s <= '9') {
            if (++digits > 15)
                return 0;
            m = m * 10 + (uint64_t)(*s - '0');
            decimals += decimals >= 0;
        } else if (*s == '.' && decimals < 0) {
            decimals = 0;
        } else
            break;
    }
    if (*s || !digits || decimals == 0) /* something else follows; or "5." */
        return 0;
    double x = (double)m;
    if (decimals > 0)
        x /= p10[decimals];
    *v = neg ? -x : x;
    return 1;
}

/* A number written as a number, finite: 1 with *v; 0 for text; -1 for NaN or Inf, which a model
 * cannot use. */
static int number(const char *s, double *v)
{
    if (!*s || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
        return 0; /* "0012" is a code (a branch, a product), not twelve */
    if (plain_decimal(s, v))
        return 1;
    char *end;
    *v = strtod(s, &end);
    if (*end || end == s)
        return 0;
    return isfinite(*v) ? 1 : -1;
}

static void trim(const char *s, size_t n, const char **out, size_t *on)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    *out = s;
    *on = n;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 1024;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static void reading_free(reading *r)
{
    for (int c = 0; c < r->ncols; c++) {
        free(r->names ? r->names[c] : NULL);
        if (r->raw) {
            free(r->raw[c].text);
            free(r->raw[c].off);
        }
    }
    free(r->names);
    free(r->raw);
}

static int header(reading *r, reader *rd, const char *target, rp_error *err)
{
    const char **h;
    int n = rd_header(rd, &h);
    if (n < 2)
        return rp_err(err, RP_INVAL, "%s: a header row naming at least two columns is needed", r->path);
    if (n > MDL_MAX_COLS + 1)
        return rp_err(err, RP_INVAL, "%s: %d columns; at most %d", r->path, n, MDL_MAX_COLS + 1);
    r->names = calloc((size_t)n, sizeof *r->names);
    r->raw = calloc((size_t)n, sizeof *r->raw);
    if (!r->names || !r->raw)
        return rp_err(err, RP_NOMEM, NULL);
    r->ncols = n;
    r->target = -1;
    for (int c = 0; c < n; c++) {
        const char *s;
        size_t len;
        trim(h[c], strlen(h[c]), &s, &len); /* " given_name" is given_name */
        if (!len)
            return rp_err(err, RP_INVAL, "%s: column %d of the header has no name", r->path, c + 1);
        if (!(r->names[c] = strndup(s, len)))
            return rp_err(err, RP_NOMEM, NULL);
        for (int d = 0; d < c; d++)
            if (!strcmp(r->names[d], r->names[c]))
                return rp_err(err, RP_INVAL, "%s: two columns are named '%s' (%d and %d)", r->path, r->names[c], d + 1,
                              c + 1);
        if (target && !strcmp(r->names[c], target))
            r->target = c;
    }
    if (r->target < 0 && target && !r->target_optional) {
        char list[300] = "";
        for (int c = 0; c < n && strlen(list) < 250; c++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", c ? ", " : "", r->names[c]);
        return rp_err(err, RP_INVAL, "target: %s has no column '%s' (its columns: %s%s)", r->path, target, list,
                      strlen(list) >= 250 ? ", ..." : "");
    }
    return RP_OK;
}

/* One record's values into the raw columns; a record without a target is counted and left out. */
static int keep_row(reading *r, const rd_record *rec, rp_error *err)
{
    int64_t row = rec->number + 1; /* the header is row 1 */
    if (rec->nfields != r->ncols)
        return rp_err(err, RP_INVAL, "%s: row %lld has %d fields; the header has %d", r->path, (long long)row,
                      rec->nfields, r->ncols);
    const char *t = "";
    size_t tn = 0;
    if (r->target >= 0)
        trim(rec->field[r->target], rec->flen[r->target], &t, &tn);
    char tv[8];
    snprintf(tv, sizeof tv, "%.*s", (int)(tn < 7 ? tn : 7), t);
    if (!r->target_optional && (!tn || (tn < 7 && is_missing(tv)))) {
        if (!r->untargeted++)
            r->first_untargeted = (size_t)row;
        return RP_OK;
    }
    for (int c = 0; c < r->ncols; c++) {
        rawcol *rc = &r->raw[c];
        const char *s;
        size_t n;
        trim(rec->field[c], rec->flen[c], &s, &n);
        if (grow((void **)&rc->off, &rc->offcap, r->nrows + 1, sizeof *rc->off))
            return rp_err(err, RP_NOMEM, NULL);
        if (rc->len + n + 1 > rc->cap) {
            size_t nc = rc->cap ? rc->cap : 4096;
            while (nc < rc->len + n + 1)
                nc *= 2;
            char *q = realloc(rc->text, nc);
            if (!q)
                return rp_err(err, RP_NOMEM, NULL);
            rc->text = q;
            rc->cap = nc;
        }
        memcpy(rc->text + rc->len, s, n);
        rc->text[rc->len + n] = 0;
        rc->off[r->nrows] = is_missing(rc->text + rc->len) ? SIZE_MAX : rc->len;
        rc->len += n + 1;
    }
    r->nrows++;
    return RP_OK;
}

static const char *raw_at(const rawcol *rc, size_t i) { return rc->off[i] == SIZE_MAX ? NULL : rc->text + rc->off[i]; }

/* The target's two values and which is positive. */
static int target_values(reading *r, const char *positive, mdl_frame *f, rp_error *err)
{
    const rawcol *t = &r->raw[r->target];
    const char *v[3] = { 0 };
    size_t nv = 0, count[3] = { 0 };
    for (size_t i = 0; i < r->nrows; i++) {
        const char *s = raw_at(t, i);
        size_t k = 0;
        while (k < nv && strcmp(v[k], s))
            k++;
        if (k == nv && nv < 3)
            v[nv++] = s;
        if (k < 3)
            count[k]++;
    }
    if (nv == 0)
        return rp_err(err, RP_INVAL, "target: column '%s' of %s has no values", r->names[r->target], r->path);
    if (nv == 1)
        return rp_err(err, RP_INVAL, "target: column '%s' has one value only ('%.40s' in all %zu rows): a model "
                      "needs two classes", r->names[r->target], v[0], r->nrows);
    if (nv == 3)
        return rp_err(err, RP_INVAL, "target: column '%s' has more than two values ('%.40s', '%.40s', '%.40s', ...): "
                      "a model here predicts one of two", r->names[r->target], v[0], v[1], v[2]);
    int pos = -1;
    if (positive) {
        for (int k = 0; k < 2; k++)
            if (!strcmp(v[k], positive))
                pos = k;
        if (pos < 0)
            return rp_err(err, RP_INVAL, "positive: '%.40s' is not a value of '%s' (it has '%.40s' and '%.40s')", positive,
                          r->names[r->target], v[0], v[1]);
    } else {
        static const char *const yes[] = { "1", "yes", "y", "true", "t", NULL }, *const no[] = { "0", "no", "n",
                                                                                               "false", "f", NULL };
        for (int k = 0; k < 2 && pos < 0; k++)
            for (int j = 0; yes[j] && pos < 0; j++)
                if (!strcasecmp(v[k], yes[j]) && !strcasecmp(v[1 - k], no[j]))
                    pos = k;
        if (pos < 0)
            return rp_err(err, RP_INVAL, "positive: column '%s' has the values '%.40s' and '%.40s': say which is the "
                          "one to predict (--positive)", r->names[r->target], v[0], v[1]);
    }
    if (!(f->y = malloc(r->nrows)) || !(f->target = strdup(r->names[r->target])) ||
        !(f->positive = strdup(v[pos])) || !(f->negative = strdup(v[1 - pos])))
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < r->nrows; i++) {
        f->y[i] = !strcmp(raw_at(t, i), v[pos]);
        f->npos += f->y[i];
    }
    return RP_OK;
}

/* Does the column, alone, tell the classes apart without a miss (ignoring missing values)? */
static int separates(const mdl_col *c, const mdl_frame *f)
{
    if (c->kind == MDL_CAT) {
        int8_t *cls = malloc((size_t)c->nlevels);
        if (!cls)
            return 0;
        memset(cls, -1, (size_t)c->nlevels);
        int pure = 1;
        for (size_t i = 0; i < f->nrows && pure; i++) {
            int32_t k = c->code[i];
            if (k < 0)
                continue;
            if (cls[k] < 0)
                cls[k] = (int8_t)f->y[i];
            else if (cls[k] != f->y[i])
                pure = 0;
        }
        free(cls);
        return pure;
    }
    double lo[2] = { INFINITY, INFINITY }, hi[2] = { -INFINITY, -INFINITY };
    for (size_t i = 0; i < f->nrows; i++) {
        double x = c->x[i];
        if (isnan(x))
            continue;
        int y = f->y[i];
        if (x < lo[y])
            lo[y] = x;
        if (x > hi[y])
            hi[y] = x;
    }
    return hi[0] < lo[1] || hi[1] < lo[0];
}

static void warnf(rp_buf *w, const char *fmt, const char *name, const char *what)
{
    if (w) {
        rp_buf_printf(w, fmt, name, what);
        rp_buf_puts(w, "\n");
    }
}

/* One raw column typed and converted; *keep 0 when it is dropped (said in warn). */
/* "id", "customer_id", "CustomerID": a name that says the column identifies rows. */
static int named_as_identifier(const char *name)
{
    size_t n = strlen(name);
    return !strcasecmp(name, "id") || (n > 3 && !strcasecmp(name + n - 3, "_id")) ||
           (n > 2 && !strcmp(name + n - 2, "ID") && islower((unsigned char)name[n - 3]));
}

static int type_column(reading *r, int c, mdl_col *col, int *keep, rp_buf *warn, rp_error *err)
{
    const rawcol *rc = &r->raw[c];
    *keep = 0;
    if (named_as_identifier(r->names[c])) {
        warnf(warn, "column '%s': %s", r->names[c], "named as an identifier: left out");
        return RP_OK;
    }
    size_t present = 0, text = 0, first_text = 0;
    double *x = malloc((r->nrows ? r->nrows : 1) * sizeof *x); /* the values read once, kept if numbers */
    if (!x)
        return rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < r->nrows; i++) {
        const char *s = raw_at(rc, i);
        double v = NAN;
        x[i] = NAN;
        if (!s)
            continue;
        present++;
        int k = number(s, &v);
        x[i] = v;
        if (k < 0) {
            free(x);
            return rp_err(err, RP_INVAL, "%s: row %zu, column '%s': '%.20s' is not a value a model can use (leave it "
                          "empty for a missing value)", r->path, i + 2, r->names[c], s);
        }
        if (!k && !text++)
            first_text = i;
    }
    *keep = 0;
    if (!present || text) {
        free(x);
        x = NULL;
    }
    if (!present) {
        warnf(warn, "column '%s': %s", r->names[c], "no values at all: left out");
        return RP_OK;
    }
    if (text && text <= 5 && text * 20 <= present)
        return rp_err(err, RP_INVAL, "%s: row %zu, column '%s': '%.40s' is text in a column of numbers (%zu of its %zu "
                      "values are not numbers)", r->path, first_text + 2, r->names[c], raw_at(rc, first_text), text, present);
    col->name = strdup(r->names[c]);
    col->missing = r->nrows - present;
    if (!col->name) {
        free(x);
        return rp_err(err, RP_NOMEM, NULL);
    }
    if (!text) {
        col->kind = MDL_NUM;
        col->x = x;
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < r->nrows; i++) {
            double v = col->x[i];
            if (v < lo)
                lo = v;
            if (v > hi)
                hi = v;
        }
        if (lo == hi) {
            warnf(warn, "column '%s': %s", r->names[c], "the same value in every row: left out");
            return RP_OK;
        }
        *keep = 1;
        return RP_OK;
    }
    col->kind = MDL_CAT;
    rp_map *levels = rp_map_new();
    col->code = malloc(r->nrows * sizeof *col->code);
    col->levels = malloc(MDL_MAX_LEVELS * sizeof *col->levels);
    if (!levels || !col->code || !col->levels) {
        rp_map_free(levels, NULL);
        return rp_err(err, RP_NOMEM, NULL);
    }
    int many = 0;
    for (size_t i = 0; i < r->nrows && !many; i++) {
        const char *s = raw_at(rc, i);
        if (!s) {
            col->code[i] = -1;
            continue;
        }
        void *got = rp_map_get(levels, s, strlen(s));
        if (!got) {
            if (col->nlevels == MDL_MAX_LEVELS) {
                many = 1;
                break;
            }
            if (!(col->levels[col->nlevels] = strdup(s)) ||
                rp_map_put(levels, s, strlen(s), (void *)(intptr_t)(col->nlevels + 1), NULL)) {
                rp_map_free(levels, NULL);
                return rp_err(err, RP_NOMEM, NULL);
            }
            got = (void *)(intptr_t)(++col->nlevels);
        }
        col->code[i] = (int32_t)(intptr_t)got - 1;
    }
    rp_map_free(levels, NULL);
    if (many)
        warnf(warn, "column '%s': %s", r->names[c], "more than 1000 different values (an identifier?): not a category "
                                                   "a model can use; left out");
    else if (col->nlevels == 1)
        warnf(warn, "column '%s': %s", r->names[c], "the same value in every row: left out");
    else if ((size_t)col->nlevels == present && present >= 20)
        warnf(warn, "column '%s': %s", r->names[c], "a different value in every row, as an identifier has: left out");
    else
        *keep = 1;
    return RP_OK;
}

static void col_free(mdl_col *c)
{
    free(c->name);
    free(c->x);
    free(c->code);
    for (int k = 0; k < c->nlevels; k++)
        free(c->levels[k]);
    free(c->levels);
    memset(c, 0, sizeof *c);
}

void mdl_frame_free(mdl_frame *f)
{
    if (!f)
        return;
    for (int c = 0; c < f->ncols; c++)
        col_free(&f->cols[c]);
    free(f->cols);
    free(f->y);
    free(f->target);
    free(f->positive);
    free(f->negative);
    memset(f, 0, sizeof *f);
}

/* The delimiter a file's header uses: the most frequent of comma, semicolon (as spreadsheets in many
 * locales export) and tab, outside quotes; comma when the header has none of them. */
static char delimiter_of(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return ','; /* the reader says why it cannot open it */
    int n[3] = { 0 }, quoted = 0, ch;
    for (long i = 0; i < 65536 && (ch = fgetc(fp)) != EOF && (quoted || (ch != '\n' && ch != '\r')); i++) {
        if (ch == '"')
            quoted = !quoted;
        else if (!quoted)
            n[0] += ch == ',', n[1] += ch == ';', n[2] += ch == '\t';
    }
    fclose(fp);
    return n[1] > n[0] && n[1] >= n[2] ? ';' : n[2] > n[0] && n[2] > n[1] ? '\t' : ',';
}

static int read_rows(reading *r, const char *target, rp_error *err)
{
    rd_options o = { .format = RD_CSV, .delimiter = delimiter_of(r->path), .header = 1, .utf8 = 1 };
    reader *rd;
    int rc = rd_open(r->path, &o, &rd, err);
    if (rc)
        return rc;
    rd_record rec;
    int first = 1;
    struct stat sb;
    char label[300];
    rp_progress pr;
    snprintf(label, sizeof label, "reading %s", r->path);
    rp_progress_start(&pr, label, 0);
    pr.bytes_total = stat(r->path, &sb) ? 0 : (uint64_t)sb.st_size;
    while (!rc) {
        if (!(r->nrows & 4095))
            rp_progress_update_bytes(&pr, r->nrows, (uint64_t)rd_bytes_read(rd));
        int k = rd_next(rd, &rec, err); /* the header is read with the first record */
        if (first && (k == RD_RECORD || k == RD_END || k == RD_BAD)) {
            first = 0;
            if ((rc = header(r, rd, target, err)))
                break;
        }
        if (k == RD_END)
            break;
        if (k == RD_BAD) { /* the reader's "FILE: record N (byte B): why" said in rows, as the rest is */
            char why[300];
            const char *m = rp_errmsg(err), *after = strstr(m, "): ");
            snprintf(why, sizeof why, "%s", after ? after + 3 : m);
            rc = rp_err(err, RP_PARSE, "%s: row %lld: %s", r->path, (long long)rec.number + 1, why);
        } else if (k != RD_RECORD) {
            rc = k;
        } else {
            rc = keep_row(r, &rec, err);
        }
    }
    rp_progress_finish(&pr);
    rd_close(rd);
    return rc;
}

typedef struct {
    reading *r;
    mdl_col *cols;        /* per raw column */
    int *keep, *rc;
    rp_buf *warn;
    rp_error *err;
    int nparts;
} type_job;

static void type_part(void *v, int k) /* a contiguous run of the columns */
{
    type_job *j = v;
    int n = j->r->ncols;
    for (int c = k * n / j->nparts; c < (k + 1) * n / j->nparts; c++)
        if (c != j->r->target)
            j->rc[c] = type_column(j->r, c, &j->cols[c], &j->keep[c], &j->warn[c], &j->err[c]);
}

/* Every column but the target typed and converted, on the machine's cores; the warnings, and the
 * first error, as one column after another would give them. */
static int type_columns(reading *r, mdl_frame *f, rp_buf *warn, rp_error *err)
{
    size_t n = (size_t)r->ncols;
    type_job j = { .r = r, .cols = calloc(n, sizeof *j.cols), .keep = calloc(n, sizeof(int)), .rc = calloc(n, sizeof(int)),
                   .warn = calloc(n, sizeof(rp_buf)), .err = calloc(n, sizeof(rp_error)),
                   .nparts = r->ncols < 8 ? r->ncols : 8 };
    int ok = j.cols && j.keep && j.rc && j.warn && j.err, rc = ok ? RP_OK : rp_err(err, RP_NOMEM, NULL);
    for (int c = 0; ok && c < r->ncols; c++)
        j.warn[c] = (rp_buf)RP_BUF_INIT;
    if (ok)
        mdl__parallel(j.nparts, type_part, &j);
    for (int c = 0; ok && c < r->ncols; c++) {
        if (!rc && j.rc[c]) {
            rc = j.rc[c];
            *err = j.err[c];
        }
        if (!rc && warn && j.warn[c].len)
            rp_buf_append(warn, j.warn[c].data, j.warn[c].len);
        rp_buf_release(&j.warn[c]);
        if (!rc && j.keep[c])
            f->cols[f->ncols++] = j.cols[c];
        else
            col_free(&j.cols[c]);
    }
    free(j.cols);
    free(j.keep);
    free(j.rc);
    free(j.warn);
    free(j.err);
    return rc;
}

int mdl_frame_read_csv(const char *path, const char *target, const char *positive, mdl_frame *f, rp_buf *warn,
                       rp_error *err)
{
    memset(f, 0, sizeof *f);
    reading r = { .path = path };
    int rc = read_rows(&r, target, err);
    if (!rc && !r.nrows)
        rc = rp_err(err, RP_INVAL, "%s: no rows with a value of '%s' to learn from", path, target);
    if (!rc)
        rc = target_values(&r, positive, f, err);
    if (!rc && !(f->cols = calloc((size_t)r.ncols, sizeof *f->cols)))
        rc = rp_err(err, RP_NOMEM, NULL);
    f->nrows = r.nrows;
    if (!rc)
        rc = type_columns(&r, f, warn, err);
    if (!rc && r.untargeted && warn)
        rp_buf_printf(warn, "%zu rows without a value of '%s' left out (the first: row %zu)\n", r.untargeted, target,
                      r.first_untargeted);
    if (!rc && !f->ncols)
        rc = rp_err(err, RP_INVAL, "%s: no column left to learn from", path);
    for (int c = 0; !rc && c < f->ncols; c++)
        if (separates(&f->cols[c], f) && warn)
            rp_buf_printf(warn, "column '%s': tells '%s' from '%s' without a single miss: a value known only after the "
                          "fact (leakage)?\n", f->cols[c].name, f->positive, f->negative);
    reading_free(&r);
    if (rc)
        mdl_frame_free(f);
    return rc;
}

/* ---- a file to score, read as the model's frame was ---- */

/* Column c of the reading as the frame's column like: numbers parsed, levels mapped to like's
 * (one it has not seen is missing, counted in *unseen). */
static int column_like(reading *r, int c, const mdl_col *like, mdl_col *col, size_t *unseen, size_t *first_unseen,
                       rp_error *err)
{
    const rawcol *rc = &r->raw[c];
    col->kind = like->kind;
    if (!(col->name = strdup(like->name)))
        return rp_err(err, RP_NOMEM, NULL);
    if (like->kind == MDL_NUM) {
        if (!(col->x = malloc((r->nrows ? r->nrows : 1) * sizeof *col->x)))
            return rp_err(err, RP_NOMEM, NULL);
        for (size_t i = 0; i < r->nrows; i++) {
            const char *s = raw_at(rc, i);
            double v = NAN;
            int k = s ? number(s, &v) : 1;
            if (k <= 0)
                return rp_err(err, RP_INVAL, "%s: row %zu, column '%s': '%.40s' is not a number, as the model's "
                              "column is", r->path, i + 2, like->name, s);
            col->missing += !s;
            col->x[i] = v;
        }
        return RP_OK;
    }
    rp_map *levels = rp_map_new();
    if (!levels || !(col->code = malloc((r->nrows ? r->nrows : 1) * sizeof *col->code)) ||
        !(col->levels = calloc((size_t)like->nlevels + 1, sizeof *col->levels))) {
        rp_map_free(levels, NULL);
        return rp_err(err, RP_NOMEM, NULL);
    }
    int rc2 = RP_OK;
    /* the model's levels, in its order: a code means here what it meant when it was trained */
    for (int l = 0; l < like->nlevels && !rc2; l++, col->nlevels++)
        if (!(col->levels[l] = strdup(like->levels[l])))
            rc2 = rp_err(err, RP_NOMEM, NULL);
    for (int l = 0; l < like->nlevels && !rc2; l++)
        if (rp_map_put(levels, like->levels[l], strlen(like->levels[l]), (void *)(intptr_t)(l + 1), NULL))
            rc2 = rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; i < r->nrows && !rc2; i++) {
        const char *s = raw_at(rc, i);
        void *got = s ? rp_map_get(levels, s, strlen(s)) : NULL;
        col->code[i] = got ? (int32_t)(intptr_t)got - 1 : -1;
        col->missing += col->code[i] < 0;
        if (s && !got && !(*unseen)++)
            *first_unseen = i + 2;
    }
    rp_map_free(levels, NULL);
    return rc2;
}

int mdl_frame_read_like(const char *path, const mdl_frame *like, const char *id, mdl_frame *f, char ***ids,
                        rp_buf *warn, rp_error *err)
{
    memset(f, 0, sizeof *f);
    *ids = NULL;
    reading r = { .path = path, .target_optional = 1 };
    int rc = read_rows(&r, like->target, err);
    int idc = id ? -1 : 0;
    for (int c = 0; !rc && id && c < r.ncols; c++)
        if (!strcmp(r.names[c], id))
            idc = c;
    if (!rc && idc < 0)
        rc = rp_err(err, RP_INVAL, "id: %s has no column '%s'", path, id);
    f->nrows = r.nrows;
    if (!rc && (!(f->cols = calloc((size_t)like->ncols + 1, sizeof *f->cols)) || !(f->y = calloc(r.nrows + 1, 1)) ||
                !(*ids = calloc(r.nrows + 1, sizeof **ids))))
        rc = rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; !rc && i < r.nrows; i++)
        if (!((*ids)[i] = strdup(raw_at(&r.raw[idc], i) ? raw_at(&r.raw[idc], i) : "")))
            rc = rp_err(err, RP_NOMEM, NULL);
    for (int k = 0; !rc && k < like->ncols; k++) {
        int c = 0;
        while (c < r.ncols && strcmp(r.names[c], like->cols[k].name))
            c++;
        if (c == r.ncols) {
            rc = rp_err(err, RP_INVAL, "%s has no column '%s', which the model was trained on", path, like->cols[k].name);
            break;
        }
        size_t unseen = 0, first = 0;
        rc = column_like(&r, c, &like->cols[k], &f->cols[k], &unseen, &first, err);
        f->ncols = k + 1;
        if (!rc && unseen && warn)
            rp_buf_printf(warn, "column '%s': %zu rows with a value the model has not seen (the first at row %zu): "
                          "taken as missing\n", like->cols[k].name, unseen, first);
    }
    /* the target, when the file has it with the model's values, for measuring */
    for (size_t i = 0; !rc && r.target >= 0 && i < r.nrows; i++) {
        const char *s = raw_at(&r.raw[r.target], i);
        f->y[i] = s && !strcmp(s, like->positive);
        f->npos += f->y[i];
    }
    if (!rc && r.target >= 0 && !(f->target = strdup(like->target)))
        rc = rp_err(err, RP_NOMEM, NULL);
    size_t n = r.nrows;
    reading_free(&r);
    if (rc) {
        for (size_t i = 0; *ids && i < n; i++)
            free((*ids)[i]);
        free(*ids);
        *ids = NULL;
        mdl_frame_free(f);
    }
    return rc;
}

int mdl_frame_drop(mdl_frame *f, const char *name)
{
    for (int c = 0; c < f->ncols; c++)
        if (!strcmp(f->cols[c].name, name)) {
            col_free(&f->cols[c]);
            memmove(&f->cols[c], &f->cols[c + 1], (size_t)(f->ncols - c - 1) * sizeof *f->cols);
            f->ncols--;
            return 1;
        }
    return 0;
}

int mdl_frame_treatment(mdl_frame *f, const char *name, const char *treated, uint8_t *out, rp_error *err)
{
    int c = 0;
    while (c < f->ncols && strcmp(f->cols[c].name, name))
        c++;
    if (c == f->ncols)
        return rp_err(err, RP_INVAL, "treatment: no column '%s' among those the frame kept", name);
    mdl_col *col = &f->cols[c];
    if (col->kind != MDL_CAT || col->nlevels != 2)
        return rp_err(err, RP_INVAL, "treatment: column '%s' must have two values (treated and control)", name);
    int t = !strcmp(col->levels[0], treated) ? 0 : !strcmp(col->levels[1], treated) ? 1 : -1;
    if (t < 0)
        return rp_err(err, RP_INVAL, "treatment: '%s' is not a value of '%s' (it has '%s' and '%s')", treated, name,
                      col->levels[0], col->levels[1]);
    for (size_t i = 0; i < f->nrows; i++) {
        if (col->code[i] < 0)
            return rp_err(err, RP_INVAL, "treatment: row %zu has no value of '%s'", i + 2, name);
        out[i] = col->code[i] == t;
    }
    col_free(col);
    memmove(col, col + 1, (size_t)(f->ncols - c - 1) * sizeof *col);
    f->ncols--;
    return RP_OK;
}
