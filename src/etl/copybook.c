/* copybook.c — COBOL data descriptions to byte layouts.  See copybook.h. */
#include "etl/copybook.h"
#include "core/buf.h"
#include "core/json.h"
#include "etl/convert.h"
#include "etl/etl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 64
#define MAX_DEPTH 50
#define MAX_LINE 4096

typedef struct token {
    char text[96];
    int line;
} token;

/* USAGE, as declared or inherited from a group */
enum { U_NONE, U_DISPLAY, U_COMP, U_COMP3, U_COMP1, U_COMP2, U_DBCS };
/* SIGN clause bits */
enum { SG_SET = 1, SG_LEADING = 2, SG_SEPARATE = 4 };

typedef struct node {
    int level, line;
    char name[64];
    char redefines[64];
    char pic[48];
    int is_group, filler;
    cb_kind kind; /* from the picture: CB_ALNUM, CB_DBCS, CB_ZONED (numeric) or CB_EDITED; then by usage */
    int digits, scale, is_signed, chars; /* chars: X/G/N count, a float's bytes */
    char edit[CB_EDIT_MAX];
    int edit_len;
    int usage;
    char usage_word[20];
    int sign, blank_zero;
    int occurs, occurs_min; /* OCCURS [min TO] max */
    char depending[64];     /* DEPENDING ON: the counter's name */
    int dep_field;          /* ... how many fields before the array's first it lies, -1 without one */
    int dep_field_set;
    int nf;                 /* fields one occurrence of it emits */
    struct node *child, *next, *parent;
} node;

typedef struct parser {
    const char *file;
    rp_error *err;
    node *root;
    cb_layout *out;
    int cap, item_cap;
} parser;

static int fail(parser *p, int line, const char *fmt, const char *arg)
{
    char msg[300];
    snprintf(msg, sizeof msg, fmt, arg);
    return rp_err(p->err, RP_PARSE, "%s:%d: %s", p->file, line, msg);
}

static void free_nodes(node *n)
{
    while (n) {
        node *next = n->next;
        free_nodes(n->child);
        free(n);
        n = next;
    }
}

/* ---- lines to statements ---- */

/* The line with its tabs expanded to stops every 8 columns, in out (n bytes); -1 when too long. */
static int expand_tabs(const char *in, size_t len, char *out, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        if (in[i] == '\t') {
            do {
                if (k + 1 >= n)
                    return -1;
                out[k++] = ' ';
            } while (k % 8);
        } else {
            if (k + 1 >= n)
                return -1;
            out[k++] = in[i];
        }
    }
    out[k] = 0;
    return (int)k;
}

static int is_indicator(char c) { return c == ' ' || c == '*' || c == '/' || c == '-' || c == 'D' || c == 'd'; }

/* Fixed format when every line has at most one word in columns 1-6 (a sequence number or a change mark,
 * in any of them) and a blank or an indicator in column 7; free otherwise ("01 R." and "  05 A PIC X."
 * have two words there).  A copybook whose code is only indented (columns 1-7 blank everywhere) but runs
 * past column 72 is free: fixed format would cut it. */
static int fixed_format(const char *text)
{
    char line[MAX_LINE];
    int seq = 0, long_line = 0;
    for (const char *s = text; *s;) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        int n = expand_tabs(s, len, line, sizeof line);
        s += len + (nl != NULL);
        while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' '))
            line[--n] = 0;
        if (n < 0)
            return 0;
        if (n >= 7 && !is_indicator(line[6]))
            return 0;
        int words = 0;
        for (int i = 0; i < 6 && i < n; i++)
            words += line[i] != ' ' && (i == 0 || line[i - 1] == ' ');
        if (words > 1)
            return 0;
        for (int i = 0; i < 6 && i < n; i++)
            seq |= line[i] != ' ';
        long_line |= n > 72;
    }
    return seq || !long_line;
}

/* The code area of one line (tabs expanded): columns 8-72 in fixed format, else the whole line.  NULL
 * for a comment or debugging line. */
static const char *code_area(char *line, size_t len, int fixed)
{
    if (fixed) {
        if (len < 7)
            return "";
        char ind = line[6];
        if (ind == '*' || ind == '/' || ind == 'D' || ind == 'd')
            return NULL;
        if (len > 72)
            line[72] = 0;
        return line + 7;
    }
    const char *s = line;
    while (*s == ' ')
        s++;
    if (*s == '*' && s[1] != '>')
        return NULL;
    return s;
}

static int is_word(const char *a, const char *b) { return strcmp(a, b) == 0; }

/* ---- PIC strings ---- */

/* The picture's symbols, a repeat count expanded ("Z(3)9.99CR" is ZZZ9.99 then C r): at most n. */
static int expand_pic(parser *p, const char *pic, int line, char *sym, int n, int *count)
{
    int k = 0;
    for (const char *s = pic; *s;) {
        char c = (char)toupper((unsigned char)*s++), c2 = 0;
        if ((c == 'C' && toupper((unsigned char)*s) == 'R') || (c == 'D' && toupper((unsigned char)*s) == 'B')) {
            c2 = c == 'C' ? 'r' : 'b';
            s++;
        }
        long rep = 1;
        if (*s == '(') {
            char *end;
            rep = strtol(s + 1, &end, 10);
            if (*end != ')' || rep < 1 || rep > 65535 || c2)
                return fail(p, line, "picture '%s' has a bad repeat count", pic);
            s = end + 1;
        }
        if (!strchr("XA9SVPGNZ*.,+-B0/$CDE", c) || (c == 'C' && !c2) || (c == 'D' && !c2))
            return fail(p, line, "picture '%s' has a symbol COBOL does not know", pic);
        if (c == 'E')
            return fail(p, line, "floating-point edited picture '%s' is not supported", pic);
        for (long r = 0; r < rep; r++) {
            if (c == 'X' || c == 'A' || c == 'G' || c == 'N') { /* long text: counted, not kept */
                if (k < n)
                    sym[k] = c;
                k += k < n;
                count[(unsigned char)c]++;
                continue;
            }
            if (k + 2 > n)
                return fail(p, line, "picture '%s' is too long for a number", pic);
            sym[k++] = c;
            count[(unsigned char)c]++;
            if (c2)
                sym[k++] = c2;
        }
    }
    sym[k < n ? k : n - 1] = 0;
    return RP_OK;
}

/* 9, S, V and P: a number of `digits` digits at `scale` (P on the right: negative). */
static int numeric_pic(parser *p, node *n, const char *sym, const char *pic, int line)
{
    int seen9 = 0, pleft = 0, pright = 0, after_v = 0, seen_v = 0;
    for (const char *c = sym; *c; c++) {
        if (*c == 'S' && c != sym)
            return fail(p, line, "picture '%s': S must come first", pic);
        if (*c == 'V') {
            if (seen_v)
                return fail(p, line, "picture '%s' has two V", pic);
            seen_v = 1;
        } else if (*c == '9') {
            if (pright)
                return fail(p, line, "picture '%s': P stands at one end of the digits", pic);
            seen9++;
            after_v += seen_v;
        } else if (*c == 'P') {
            if (seen9 && (seen_v && after_v))
                return fail(p, line, "picture '%s': P stands at one end of the digits", pic);
            *(seen9 ? &pright : &pleft) += 1;
        }
    }
    if (!seen9)
        return fail(p, line, "picture '%s' has no digit", pic);
    if (pleft && pright)
        return fail(p, line, "picture '%s': P stands at one end of the digits", pic);
    if (seen9 + pleft + pright > CB_MAX_DIGITS)
        return fail(p, line, "picture '%s' has more than 38 digits", pic);
    n->kind = CB_ZONED;
    n->is_signed = sym[0] == 'S';
    n->digits = seen9;
    n->scale = pleft ? seen9 + pleft : pright ? -pright : after_v;
    return RP_OK;
}

/* An edited number: the mask one symbol a byte ('9' 'Z' '*' digits, '.' ',' 'B' '0' '/' insertions,
 * '+' '-' '$' fixed, 's' 'm' 'c' floating +, - and $ (each of which may hold a digit but the first),
 * "Cr" "Db"), its digits and the scale its point gives. */
static int edited_pic(parser *p, node *n, const char *sym, const int *count, const char *pic, int line)
{
    int k = 0, digits = 0, scale = 0, point = 0, sign = 0;
    if (count['P'])
        return fail(p, line, "picture '%s': P scaling in an edited picture is not supported", pic);
    if (count['S'] && (count['+'] || count['-'] || count['C'] || count['D'] || count['Z'] || count['*'] ||
                       count['$'] || count[',']))
        return fail(p, line, "picture '%s': S with editing symbols (the sign is + - CR or DB)", pic);
    for (const char *c = sym; *c; c++) {
        char m = *c;
        if (m == 'S') {
            sign = 1;
            continue;
        }
        if (m == 'V' || m == '.') {
            if (point)
                return fail(p, line, "picture '%s' has two decimal points", pic);
            point = 1;
            if (m == 'V')
                continue;
        } else if ((m == '+' || m == '-' || m == '$') && count[(unsigned char)m] > 1) {
            int first = c == sym || strchr(sym, m) == c;
            m = m == '+' ? 's' : m == '-' ? 'm' : 'c';
            if (!first)
                digits++, scale += point;
            sign |= m != 'c';
        } else if (m == '9' || m == 'Z' || m == '*') {
            digits++;
            scale += point;
        } else if (m == '+' || m == '-' || m == 'C' || m == 'D') {
            sign = 1;
        }
        if (k >= CB_EDIT_MAX - 1)
            return fail(p, line, "edited picture '%s' is longer than 63 bytes", pic);
        n->edit[k++] = m;
    }
    if (!digits)
        return fail(p, line, "picture '%s' has no digit", pic);
    if (digits > CB_MAX_DIGITS)
        return fail(p, line, "picture '%s' has more than 38 digits", pic);
    n->edit[k] = 0;
    n->edit_len = k;
    n->kind = CB_EDITED;
    n->digits = digits;
    n->scale = scale;
    n->is_signed = sign;
    return RP_OK;
}

static int parse_pic(parser *p, node *n, const char *pic, int line)
{
    char sym[512];
    int count[256] = { 0 };
    int rc = expand_pic(p, pic, line, sym, (int)sizeof sym, count);
    if (rc)
        return rc;
    snprintf(n->pic, sizeof n->pic, "%.47s", pic);
    int text = count['X'] + count['A'], dbcs = count['G'] + count['N'];
    int numeric = count['9'] + count['S'] + count['V'] + count['P'];
    int editing = 0;
    for (const char *e = "Z*.,+-CD$"; *e; e++)
        editing += count[(unsigned char)*e];
    int inserts = count['B'] + count['0'] + count['/'];
    if (dbcs && (text || numeric || editing || inserts))
        return fail(p, line, "picture '%s' mixes DBCS with other characters", pic);
    if (dbcs) {
        n->kind = CB_DBCS;
        n->chars = dbcs;
        return RP_OK;
    }
    if (text) { /* alphanumeric, and alphanumeric-edited: B, 0 and / are characters */
        if (count['S'] || count['V'] || count['P'] || editing)
            return fail(p, line, "picture '%s' mixes a sign, V, P or editing with characters", pic);
        n->kind = CB_ALNUM;
        n->chars = text + count['9'] + inserts;
        return RP_OK;
    }
    if (!editing && !inserts)
        return numeric_pic(p, n, sym, pic, line);
    return edited_pic(p, n, sym, count, pic, line);
}

/* ---- statements to nodes ---- */

static const char *const clause_words[] = {
    "PIC",        "PICTURE",     "USAGE",           "OCCURS",          "REDEFINES",       "VALUE",
    "VALUES",     "COMP",        "COMP-1",          "COMP-2",          "COMP-3",          "COMP-4",
    "COMP-5",     "BINARY",      "PACKED-DECIMAL",  "DISPLAY",         "DISPLAY-1",       "NATIONAL",
    "COMPUTATIONAL", "COMPUTATIONAL-1", "COMPUTATIONAL-2", "COMPUTATIONAL-3", "COMPUTATIONAL-4",
    "COMPUTATIONAL-5", "SIGN",   "LEADING",         "TRAILING",        "SYNC",            "SYNCHRONIZED",
    "JUST",       "JUSTIFIED",   "BLANK",           NULL
};

static int is_clause(const char *w)
{
    for (const char *const *c = clause_words; *c; c++)
        if (is_word(w, *c))
            return 1;
    return 0;
}

/* A USAGE word: its code and the name the listing shows, or U_NONE. */
static int usage_of(const char *w, const char **shown)
{
    static const struct {
        const char *word, *shown;
        int usage;
    } u[] = {
        { "DISPLAY", "DISPLAY", U_DISPLAY },          { "COMP", "COMP", U_COMP },
        { "COMP-4", "COMP-4", U_COMP },               { "COMP-5", "COMP-5", U_COMP },
        { "BINARY", "BINARY", U_COMP },               { "COMPUTATIONAL", "COMP", U_COMP },
        { "COMPUTATIONAL-4", "COMP-4", U_COMP },      { "COMPUTATIONAL-5", "COMP-5", U_COMP },
        { "COMP-3", "COMP-3", U_COMP3 },              { "COMPUTATIONAL-3", "COMP-3", U_COMP3 },
        { "PACKED-DECIMAL", "PACKED-DECIMAL", U_COMP3 }, { "COMP-1", "COMP-1", U_COMP1 },
        { "COMPUTATIONAL-1", "COMP-1", U_COMP1 },     { "COMP-2", "COMP-2", U_COMP2 },
        { "COMPUTATIONAL-2", "COMP-2", U_COMP2 },     { "DISPLAY-1", "DISPLAY-1", U_DBCS },
        { "NATIONAL", "NATIONAL", U_DBCS },
    };
    for (size_t i = 0; i < sizeof u / sizeof u[0]; i++)
        if (is_word(w, u[i].word)) {
            *shown = u[i].shown;
            return u[i].usage;
        }
    return U_NONE;
}

static int is_level_number(const char *w)
{
    return isdigit((unsigned char)w[0]) && (!w[1] || (isdigit((unsigned char)w[1]) && !w[2]));
}

static int occurs_count(parser *p, const char *w, int line, int from, long *k)
{
    char *endp;
    *k = strtol(w, &endp, 10);
    if (*endp || *k < from || *k > 10000)
        return fail(p, line, from ? "OCCURS count '%s' is not a number from 1 to 10000"
                                  : "OCCURS count '%s' is not a number from 0 to 10000", w);
    return RP_OK;
}

/* OCCURS [min TO] max [TIMES] [DEPENDING ON counter], at t[*i]. */
static int occurs_clause(parser *p, node *n, token *t, int nt, int *i, int line)
{
    long k, lo = -1;
    if (++*i >= nt)
        return fail(p, line, "%s", "OCCURS without a count");
    if (*i + 2 < nt && is_word(t[*i + 1].text, "TO")) {
        if (occurs_count(p, t[*i].text, line, 0, &lo))
            return RP_PARSE;
        *i += 2;
    }
    if (occurs_count(p, t[*i].text, line, 1, &k))
        return RP_PARSE;
    if (lo > k)
        return fail(p, line, "OCCURS %s: the least is more than the most", t[*i - 2].text);
    n->occurs = (int)k;
    if (*i + 1 < nt && is_word(t[*i + 1].text, "TIMES"))
        ++*i;
    if (*i + 1 < nt && is_word(t[*i + 1].text, "DEPENDING")) {
        *i += 1 + (*i + 2 < nt && is_word(t[*i + 2].text, "ON"));
        if (++*i >= nt)
            return fail(p, line, "%s", "DEPENDING ON without the counter's name");
        snprintf(n->depending, sizeof n->depending, "%.63s", t[*i].text);
        n->occurs_min = lo < 0 ? 0 : (int)lo; /* without "min TO", any count up to the most is taken */
    } else if (lo >= 0) {
        return fail(p, line, "%s", "OCCURS n TO m needs DEPENDING ON its counter");
    } else {
        n->occurs_min = n->occurs;
    }
    return RP_OK;
}

/* [SIGN [IS]] LEADING|TRAILING [SEPARATE [CHARACTER]], at t[*i]. */
static int sign_clause(parser *p, node *n, token *t, int nt, int *i, int line)
{
    if (is_word(t[*i].text, "SIGN")) {
        if (*i + 1 < nt && is_word(t[*i + 1].text, "IS"))
            ++*i;
        if (++*i >= nt)
            return fail(p, line, "%s", "SIGN without LEADING or TRAILING");
    }
    if (!is_word(t[*i].text, "LEADING") && !is_word(t[*i].text, "TRAILING"))
        return fail(p, line, "SIGN %s: LEADING or TRAILING expected", t[*i].text);
    n->sign = SG_SET | (is_word(t[*i].text, "LEADING") ? SG_LEADING : 0);
    if (*i + 1 < nt && is_word(t[*i + 1].text, "SEPARATE")) {
        n->sign |= SG_SEPARATE;
        ++*i;
        if (*i + 1 < nt && is_word(t[*i + 1].text, "CHARACTER"))
            ++*i;
    }
    return RP_OK;
}

/* One clause of an item's statement at t[*i], *i left on its last word. */
static int clause(parser *p, node *n, token *t, int nt, int *i, int line)
{
    const char *w = t[*i].text, *shown;
    int u = usage_of(w, &shown);
    if (u) {
        n->usage = u;
        snprintf(n->usage_word, sizeof n->usage_word, "%s", shown);
        if (u == U_COMP1 || u == U_COMP2)
            n->chars = u == U_COMP1 ? 4 : 8;
        return RP_OK;
    }
    if (is_word(w, "PIC") || is_word(w, "PICTURE")) {
        if (*i + 1 < nt && is_word(t[*i + 1].text, "IS"))
            ++*i;
        if (++*i >= nt)
            return fail(p, line, "%s", "PIC without a picture");
        n->is_group = 0;
        return parse_pic(p, n, t[*i].text, t[*i].line);
    }
    if (is_word(w, "USAGE")) {
        if (*i + 1 < nt && is_word(t[*i + 1].text, "IS"))
            ++*i;
        return RP_OK;
    }
    if (is_word(w, "POINTER") || is_word(w, "INDEX") || is_word(w, "PROCEDURE-POINTER"))
        return fail(p, line, "USAGE %s is not supported", w);
    if (is_word(w, "OCCURS"))
        return occurs_clause(p, n, t, nt, i, line);
    if (is_word(w, "REDEFINES")) {
        if (++*i >= nt)
            return fail(p, line, "%s", "REDEFINES without a name");
        snprintf(n->redefines, sizeof n->redefines, "%.63s", t[*i].text);
        return RP_OK;
    }
    if (is_word(w, "SIGN") || is_word(w, "LEADING") || is_word(w, "TRAILING"))
        return sign_clause(p, n, t, nt, i, line);
    if (is_word(w, "SYNC") || is_word(w, "SYNCHRONIZED"))
        return fail(p, line, "%s", "SYNCHRONIZED is not supported (it inserts slack bytes)");
    if (is_word(w, "VALUE") || is_word(w, "VALUES")) { /* the literal(s), up to the next clause */
        while (*i + 1 < nt && !is_clause(t[*i + 1].text))
            ++*i;
        return RP_OK;
    }
    if (is_word(w, "BLANK")) {
        n->blank_zero = 1;
        while (*i + 1 < nt && (is_word(t[*i + 1].text, "WHEN") || is_word(t[*i + 1].text, "ZERO") ||
                               is_word(t[*i + 1].text, "ZEROS") || is_word(t[*i + 1].text, "ZEROES")))
            ++*i;
        return RP_OK;
    }
    if (is_word(w, "JUST") || is_word(w, "JUSTIFIED") || is_word(w, "RIGHT") || is_word(w, "IS") ||
        is_word(w, "TIMES") || is_word(w, "GLOBAL") || is_word(w, "EXTERNAL"))
        return RP_OK;
    if (is_word(w, "INDEXED") || is_word(w, "ASCENDING") || is_word(w, "DESCENDING") || is_word(w, "KEY")) {
        while (*i + 1 < nt && !is_clause(t[*i + 1].text))
            ++*i;
        return RP_OK;
    }
    if (is_level_number(w)) {
        char msg[240];
        snprintf(msg, sizeof msg, "'%s' begins another item: the statement before it (line %d) does not end with a period",
                 w, line);
        return fail(p, t[*i].line, "%s", msg);
    }
    return fail(p, t[*i].line, "unexpected word '%s'", w);
}

/* The item into the tree by its level. */
static int place(parser *p, node *n, node **stack, int *depth)
{
    while (*depth > 0 && stack[*depth - 1]->level >= n->level)
        (*depth)--;
    if (*depth == 0) { /* a record: the first, or another one of the file's (header, detail, trailer ...) */
        node **tail = &p->root;
        int nrec = 0;
        for (; *tail; tail = &(*tail)->next)
            if (!strcmp((*tail)->name, n->name) || ++nrec >= CB_MAX_RECORDS) {
                int line = n->line;
                char name[64];
                snprintf(name, sizeof name, "%s", n->name);
                free(n);
                return nrec >= CB_MAX_RECORDS ? fail(p, line, "%s", "more than 64 records in one copybook")
                                              : fail(p, line, "a second record named %s", name);
            }
        n->redefines[0] = 0; /* a record's REDEFINES of another: they share the record area, as every 01 of a file */
        *tail = n;
    } else {
        node *parent = stack[*depth - 1];
        if (!parent->is_group) {
            int line = n->line;
            free(n);
            return fail(p, line, "'%s' has a picture and cannot contain other items", parent->name);
        }
        n->parent = parent;
        node **tail = &parent->child;
        while (*tail)
            tail = &(*tail)->next;
        *tail = n;
    }
    if (*depth >= MAX_DEPTH)
        return fail(p, n->line, "%s", "nested deeper than 50 levels");
    stack[(*depth)++] = n;
    return RP_OK;
}

static int statement(parser *p, token *t, int nt, node **stack, int *depth)
{
    int line = t[0].line;
    char *endp;
    long level = strtol(t[0].text, &endp, 10);
    if (*endp || level < 1 || level > 88)
        return fail(p, line, "expected a level number, found '%s'", t[0].text);
    if (level == 88)
        return RP_OK; /* condition names describe values, not bytes */
    if (level == 66)
        return fail(p, line, "%s", "66 RENAMES is not supported");
    if (level > 49 && level != 77)
        return fail(p, line, "level %s is not a data level", t[0].text);
    node *n = calloc(1, sizeof *n);
    if (!n)
        return rp_err(p->err, RP_NOMEM, NULL);
    n->level = level == 77 ? 1 : (int)level;
    n->line = line;
    n->occurs = n->occurs_min = 1;
    n->dep_field = -1;
    n->is_group = 1;
    int i = 1;
    if (i < nt && !is_clause(t[i].text)) {
        if (strlen(t[i].text) > 30) {
            free(n);
            return fail(p, line, "name '%s' is longer than 30 characters", t[i].text);
        }
        snprintf(n->name, sizeof n->name, "%.63s", t[i].text);
        i++;
    } else {
        snprintf(n->name, sizeof n->name, "FILLER");
    }
    n->filler = is_word(n->name, "FILLER");
    int rc = RP_OK;
    for (; i < nt && !rc; i++)
        rc = clause(p, n, t, nt, &i, line);
    if (rc) {
        free(n);
        return rc;
    }
    return place(p, n, stack, depth);
}

/* ---- usages and signs, groups' given to their items ---- */

static int resolve_item(parser *p, node *n, int usage, const char *word, int sign)
{
    if (!n->usage_word[0])
        snprintf(n->usage_word, sizeof n->usage_word, "%s", word[0] ? word : n->kind == CB_DBCS ? "DISPLAY-1" : "DISPLAY");
    if (usage == U_COMP1 || usage == U_COMP2) {
        if (n->pic[0])
            return fail(p, n->line, "%s", "COMP-1 and COMP-2 take no picture");
        n->kind = CB_FLOAT;
        n->chars = usage == U_COMP1 ? 4 : 8;
        n->is_signed = 1;
        return RP_OK;
    }
    if ((usage == U_COMP || usage == U_COMP3) && n->kind != CB_ZONED)
        return fail(p, n->line, "%s", n->kind == CB_EDITED ? "an edited picture is DISPLAY only"
                                                            : "COMP and COMP-3 need a numeric picture");
    if (usage == U_DBCS && n->kind != CB_DBCS)
        return fail(p, n->line, "%s", "DISPLAY-1 and NATIONAL need PIC G or N");
    if (usage == U_COMP3)
        n->kind = CB_PACKED;
    else if (usage == U_COMP) {
        if (n->digits > 18)
            return fail(p, n->line, "%s", "a binary item holds at most 18 digits");
        n->kind = CB_BINARY;
    }
    /* the SIGN clause: a signed display number's (an edited one's sign is in its picture) */
    if ((sign & SG_SET) && n->is_signed && (n->kind == CB_ZONED || (n->kind == CB_EDITED && !strpbrk(n->edit, "+-CDsm"))))
        n->sign = sign;
    else
        n->sign = 0;
    return RP_OK;
}

static int resolve(parser *p, node *n, int usage, const char *word, int sign)
{
    for (; n; n = n->next) {
        int u = n->usage ? n->usage : usage, sg = n->sign ? n->sign : sign;
        const char *w = n->usage ? n->usage_word : word;
        if (n->is_group && !n->child && (u == U_COMP1 || u == U_COMP2))
            n->is_group = 0; /* a float: no picture */
        int rc = n->is_group ? resolve(p, n->child, u, w, sg) : resolve_item(p, n, u, w, sg);
        if (rc)
            return rc;
    }
    return RP_OK;
}

/* ---- layout ---- */

static int elem_size(const node *n)
{
    int sep = (n->sign & SG_SEPARATE) != 0;
    switch (n->kind) {
    case CB_ALNUM: return n->chars;
    case CB_DBCS: return 2 * n->chars;
    case CB_ZONED: return n->digits + sep;
    case CB_PACKED: return n->digits / 2 + 1;
    case CB_EDITED: return n->edit_len + sep;
    case CB_FLOAT: return n->chars;
    default: return n->digits <= 4 ? 2 : n->digits <= 9 ? 4 : 8;
    }
}

static const node *find_sibling(const node *first, const node *upto, const char *name)
{
    for (const node *s = first; s && s != upto; s = s->next)
        if (strcmp(s->name, name) == 0)
            return s;
    return NULL;
}

/* Size of one occurrence. */
static int size_of(const node *n)
{
    if (!n->is_group)
        return elem_size(n);
    int cursor = 0, extent = 0;
    int offs[512];
    int k = 0;
    for (const node *c = n->child; c; c = c->next, k++) {
        int sz = size_of(c) * c->occurs;
        int at = cursor;
        if (c->redefines[0]) {
            int j = 0;
            for (const node *s = n->child; s && s != c; s = s->next, j++)
                if (strcmp(s->name, c->redefines) == 0 && j < 512)
                    at = offs[j];
        } else {
            cursor += sz;
        }
        if (k < 512)
            offs[k] = at;
        if (at + sz > extent)
            extent = at + sz;
    }
    return extent > cursor ? extent : cursor;
}

static void *grow(void *a, int *cap, int n, size_t size)
{
    if (n < *cap)
        return a;
    int c = *cap ? *cap * 2 : 64;
    void *b = realloc(a, (size_t)c * size);
    if (b)
        *cap = c;
    return b;
}

/* The item as the listing shows it, once (the first occurrence of what encloses it). */
static int list_item(parser *p, const node *n, int offset)
{
    cb_item *it = grow(p->out->items, &p->item_cap, p->out->nitems, sizeof *it);
    if (!it)
        return rp_err(p->err, RP_NOMEM, NULL);
    p->out->items = it;
    it = &p->out->items[p->out->nitems++];
    memset(it, 0, sizeof *it);
    it->level = n->level;
    for (const node *up = n->parent; up; up = up->parent)
        it->depth++;
    snprintf(it->name, sizeof it->name, "%s", n->name);
    snprintf(it->picture, sizeof it->picture, "%s", n->pic);
    snprintf(it->usage, sizeof it->usage, "%s", n->usage_word);
    it->offset = offset;
    it->length = size_of(n);
    it->occurs = n->occurs;
    it->occurs_min = n->depending[0] ? n->occurs_min : n->occurs;
    snprintf(it->depending, sizeof it->depending, "%s", n->depending);
    it->is_group = n->is_group;
    it->line = n->line;
    snprintf(it->redefines, sizeof it->redefines, "%s", n->redefines);
    return RP_OK;
}

static int emit_field(parser *p, const node *n, int offset, const char *subs, int redefined, const char *parent)
{
    if (p->out->nfields >= CB_MAX_FIELDS)
        return fail(p, n->line, "%s", "more than 4096 fields");
    cb_field *f = grow(p->out->fields, &p->cap, p->out->nfields, sizeof *f);
    if (!f)
        return rp_err(p->err, RP_NOMEM, NULL);
    p->out->fields = f;
    f = &p->out->fields[p->out->nfields++];
    memset(f, 0, sizeof *f);
    if (*subs)
        snprintf(f->name, sizeof f->name, "%s(%s)", n->name, subs);
    else
        snprintf(f->name, sizeof f->name, "%s", n->name);
    snprintf(f->parent, sizeof f->parent, "%s", parent);
    f->kind = n->kind;
    f->offset = offset;
    f->length = elem_size(n);
    f->digits = n->digits;
    f->scale = n->scale;
    f->is_signed = n->is_signed;
    f->sign_leading = (n->sign & SG_LEADING) != 0;
    f->sign_separate = (n->sign & SG_SEPARATE) != 0;
    f->blank_zero = n->blank_zero;
    memcpy(f->edit, n->edit, sizeof f->edit);
    f->filler = n->filler;
    f->redefined = redefined;
    f->line = n->line;
    return RP_OK;
}

/* OCCURS DEPENDING ON: its counter, an elementary whole number before it, in the same occurrence of what
 * encloses them both (subs: that occurrence's subscripts) or outside; kept as how many fields before the
 * array's first it lies, the same in every occurrence. */
static int counter(parser *p, node *c, const char *subs)
{
    char name[160];
    snprintf(name, sizeof name, "%s(%s)", c->depending, subs);
    const cb_field *f = *subs ? cb_find(p->out, name) : NULL;
    if (!f)
        f = cb_find(p->out, c->depending);
    if (!f)
        return fail(p, c->line, "DEPENDING ON %s: no item of that name before it (the counter comes first)",
                    c->depending);
    if ((f->kind != CB_ZONED && f->kind != CB_PACKED && f->kind != CB_BINARY) || f->scale || f->sign_separate ||
        f->sign_leading)
        return fail(p, c->line, "DEPENDING ON %s: the counter is a whole number (PIC 9, COMP or COMP-3)", c->depending);
    c->dep_field = p->out->nfields - (int)(f - p->out->fields);
    p->out->variable = 1;
    return RP_OK;
}

static int emit(parser *p, node *n, int offset, const char *subs, int redefined, const char *parent, int first)
{
    if (first) {
        int rc = list_item(p, n, offset);
        if (rc)
            return rc;
    }
    if (!n->is_group)
        return emit_field(p, n, offset, subs, redefined, parent);
    int cursor = offset;
    int k = 0;
    int offs[512];
    for (node *c = n->child; c; c = c->next, k++) {
        int one = size_of(c);
        if (c->depending[0] && !c->dep_field_set) {
            int rc = counter(p, c, subs);
            if (rc)
                return rc;
            c->dep_field_set = 1;
        }
        int at = cursor, red = redefined;
        if (c->redefines[0]) {
            const node *target = find_sibling(n->child, c, c->redefines);
            if (!target)
                return fail(p, c->line, "REDEFINES '%s': no earlier item of that name at this level", c->redefines);
            int j = 0;
            for (const node *s = n->child; s != target; s = s->next)
                j++;
            at = j < 512 ? offs[j] : offset;
            red = 1;
        } else {
            cursor += one * c->occurs;
        }
        if (k < 512)
            offs[k] = at;
        for (int o = 1; o <= c->occurs; o++) {
            char sub[64];
            if (c->occurs > 1)
                snprintf(sub, sizeof sub, "%s%s%d", subs, *subs ? "," : "", o);
            else
                snprintf(sub, sizeof sub, "%s", subs);
            int before = p->out->nfields;
            int rc = emit(p, c, at + (o - 1) * one, sub, red, n->name, first && o == 1);
            if (rc)
                return rc;
            c->nf = p->out->nfields - before;
        }
    }
    return RP_OK;
}

/* ---- the text ---- */

/* One line's code into tokens; a statement ended by a period goes to statement(). */
static int tokens(parser *p, const char *s, int lineno, token *t, int *nt, node **stack, int *depth)
{
    int rc = RP_OK;
    while (*s && !rc) {
        while (*s == ' ')
            s++;
        if (!*s || (s[0] == '*' && s[1] == '>'))
            break;
        token *tk = &t[*nt];
        size_t k = 0;
        if (*s == '\'' || *s == '"') { /* a literal, kept whole */
            char q = *s;
            tk->text[k++] = *s++;
            while (*s && *s != q && k < sizeof tk->text - 2)
                tk->text[k++] = *s++;
            if (*s == q)
                tk->text[k++] = *s++;
        } else {
            while (*s && *s != ' ' && k < sizeof tk->text - 1)
                tk->text[k++] = (char)toupper((unsigned char)*s++);
        }
        tk->text[k] = 0;
        tk->line = lineno;
        int end = 0;
        if (k > 0 && tk->text[k - 1] == '.' && (*s == 0 || *s == ' ')) {
            tk->text[--k] = 0;
            end = 1;
        }
        if (k > 0 && ++*nt >= MAX_TOKENS)
            return fail(p, lineno, "%s", "statement too long");
        if (end && *nt) {
            rc = statement(p, t, *nt, stack, depth);
            *nt = 0;
        }
    }
    return rc;
}

static int read_text(parser *p, const char *text)
{
    token t[MAX_TOKENS];
    int nt = 0, rc = RP_OK, lineno = 0, depth = 0, fixed = fixed_format(text);
    node *stack[MAX_DEPTH + 1];
    char line[MAX_LINE];
    for (const char *s = text; *s && !rc;) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        lineno++;
        int n = expand_tabs(s, len, line, sizeof line);
        s += len + (nl != NULL);
        if (n < 0)
            return fail(p, lineno, "%s", "a line longer than 4,000 characters");
        if (n && line[n - 1] == '\r')
            line[--n] = 0;
        const char *code = code_area(line, (size_t)n, fixed);
        if (code)
            rc = tokens(p, code, lineno, t, &nt, stack, &depth);
    }
    if (!rc && nt) /* the last statement without its period, as the host's compilers take it */
        rc = statement(p, t, nt, stack, &depth);
    return rc;
}

/* One record's layout from its tree (which it keeps when it is variable, else frees). */
static int layout_of(parser *p, node *root, cb_layout **out)
{
    cb_layout *l = calloc(1, sizeof *l);
    if (!l) {
        free_nodes(root);
        return rp_err(p->err, RP_NOMEM, NULL);
    }
    p->out = l;
    p->cap = p->item_cap = 0;
    snprintf(l->record, sizeof l->record, "%s", root->name);
    int rc = emit(p, root, 0, "", 0, "", 1);
    root->nf = l->nfields;
    l->length = size_of(root) * root->occurs;
    if (!rc && !l->nfields)
        rc = fail(p, root->line, "record '%s' has no elementary items (nothing with a PIC)", root->name);
    if (!rc && root->depending[0])
        rc = fail(p, root->line, "%s", "the record itself cannot OCCUR DEPENDING ON");
    if (!rc && l->variable)
        l->tree = root; /* for cb_locate */
    else
        free_nodes(root);
    if (rc) {
        cb_free(l);
        return rc;
    }
    *out = l;
    return RP_OK;
}

int cb_parse(const char *text, const char *filename, cb_layout **out, rp_error *err)
{
    parser p = { .file = filename, .err = err };
    if (strlen(text) > CB_MAX_TEXT)
        return rp_err(err, RP_TOOBIG, "%s: copybook larger than 1 MiB", filename);
    int rc = read_text(&p, text);
    if (!rc && !p.root)
        rc = rp_err(err, RP_PARSE, "%s: no record description found", filename);
    if (!rc)
        rc = resolve(&p, p.root, U_NONE, "", 0);
    cb_layout *first = NULL, **tail = &first;
    node *root = rc ? NULL : p.root;
    if (rc)
        free_nodes(p.root);
    while (root && !rc) { /* each record a layout of its own, in the copybook's order */
        node *next = root->next;
        root->next = NULL;
        if ((rc = layout_of(&p, root, tail)))
            free_nodes(next);
        else
            tail = &(*tail)->next;
        root = next;
    }
    if (rc) {
        cb_free(first);
        return rc;
    }
    *out = first;
    return RP_OK;
}

/* ---- a variable record's fields (OCCURS DEPENDING ON) ---- */

typedef struct loc {
    const cb_layout *l;
    const unsigned char *rec;
    size_t len;
    int *off, k;
    rp_error *err;
} loc;

/* How many occurrences of c this record has: its counter's value (located already, before it), checked. */
static int occurrences(loc *L, const node *c, int *count)
{
    int ci = L->k - c->dep_field;
    const cb_field *f = &L->l->fields[ci];
    int64_t v;
    rp_error e = RP_ERROR_INIT;
    if (etl_field_number_at(f, L->off[ci], L->rec, L->len, &v, &e))
        return rp_err(L->err, RP_INVAL, "%s", rp_errmsg(&e));
    if (v < c->occurs_min || v > c->occurs)
        return rp_err(L->err, RP_INVAL, "%s: %lld is not from %d to %d, the OCCURS of %s", f->name, (long long)v,
                      c->occurs_min, c->occurs, c->name);
    *count = (int)v;
    return RP_OK;
}

/* One occurrence of n laid out from byte at: its fields' offsets (-1 for those past a count), *size its
 * bytes. */
static int locate(loc *L, const node *n, int at, int *size)
{
    if (!n->is_group) {
        L->off[L->k++] = at;
        *size = elem_size(n);
        return RP_OK;
    }
    int cursor = at, extent = at, k = 0, offs[512];
    for (const node *c = n->child; c; c = c->next, k++) {
        int start = cursor, count = c->occurs, rc;
        if (c->redefines[0]) {
            int j = 0;
            for (const node *s = n->child; s != c && strcmp(s->name, c->redefines); s = s->next)
                j++;
            start = j < 512 ? offs[j] : at;
        }
        if (k < 512)
            offs[k] = start;
        if (c->dep_field >= 0 && (rc = occurrences(L, c, &count)))
            return rc;
        int pos = start;
        for (int o = 1; o <= c->occurs; o++) {
            if (o > count) { /* past the count: not in this record */
                for (int i = 0; i < c->nf; i++)
                    L->off[L->k++] = -1;
                continue;
            }
            int sz;
            if ((rc = locate(L, c, pos, &sz)))
                return rc;
            pos += sz;
        }
        if (!c->redefines[0])
            cursor = pos;
        if (pos > extent)
            extent = pos;
    }
    *size = (extent > cursor ? extent : cursor) - at;
    return RP_OK;
}

int cb_locate(const cb_layout *l, const unsigned char *rec, size_t len, int *off, int *reclen, rp_error *err)
{
    loc L = { l, rec, len, off, 0, err };
    if (!l->variable) {
        for (int i = 0; i < l->nfields; i++)
            off[i] = l->fields[i].offset;
        *reclen = l->length;
        return RP_OK;
    }
    int size;
    int rc = locate(&L, l->tree, 0, &size);
    if (rc)
        return rc;
    *reclen = size;
    if ((size_t)size > len)
        return rp_err(err, RP_INVAL, "the record is %zu bytes; its counts make it %d", len, size);
    return RP_OK;
}

int cb_parse_file(const char *path, cb_layout **out, rp_error *err)
{
    rp_buf b = RP_BUF_INIT;
    int rc = rp_buf_read_file(&b, path, CB_MAX_TEXT, err);
    if (rc == RP_TOOBIG)
        rc = rp_err(err, RP_TOOBIG, "%s: copybook larger than 1 MiB", path);
    else if (!rc)
        rc = cb_parse(rp_buf_str(&b), path, out, err);
    rp_buf_release(&b);
    return rc;
}

void cb_free(cb_layout *l)
{
    if (!l)
        return;
    cb_free(l->next);
    free(l->fields);
    free(l->items);
    free_nodes(l->tree);
    free(l);
}

const cb_field *cb_find(const cb_layout *l, const char *name)
{
    for (int i = 0; i < l->nfields; i++)
        if (strcmp(l->fields[i].name, name) == 0)
            return &l->fields[i];
    return NULL;
}

const char *cb_kind_name(cb_kind k)
{
    static const char *const names[] = { "alphanumeric", "dbcs", "zoned", "packed", "binary", "edited", "float" };
    return names[k];
}

/* ---- the map (etl.h) ---- */

static json_t *item_json(const cb_item *it)
{
    json_t *o = json_pack("{s:i, s:i, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:b, s:i}", "level", it->level, "depth",
                          it->depth, "name", it->name, "picture", it->picture, "usage", it->usage, "start",
                          it->offset + 1, "end", it->offset + it->length * it->occurs, "length", it->length, "occurs",
                          it->occurs, "group", it->is_group, "line", it->line);
    if (o && it->redefines[0] && json_object_set_new(o, "redefines", json_string(it->redefines))) {
        json_decref(o);
        return NULL;
    }
    if (o && it->depending[0] &&
        (json_object_set_new(o, "depending_on", json_string(it->depending)) ||
         json_object_set_new(o, "occurs_min", json_integer(it->occurs_min)))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *field_json(const cb_field *f)
{
    json_t *o = json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:b, s:b, s:b, s:i}", "name", f->name, "kind",
                          cb_kind_name(f->kind), "offset", f->offset, "length", f->length, "digits", f->digits,
                          "scale", f->scale, "signed", f->is_signed, "filler", f->filler, "redefined", f->redefined,
                          "line", f->line);
    if (o && (f->sign_leading || f->sign_separate) &&
        json_object_set_new(o, "sign", json_string(f->sign_separate ? f->sign_leading ? "leading separate" : "trailing separate" : "leading"))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static int map_json(const cb_layout *l, json_t **out, rp_error *err)
{
    json_t *items = json_array(), *fields = json_array();
    int bad = !items || !fields;
    for (int i = 0; i < l->nitems && !bad; i++)
        bad = json_array_append_new(items, item_json(&l->items[i])) != 0;
    for (int i = 0; i < l->nfields && !bad; i++)
        bad = json_array_append_new(fields, field_json(&l->fields[i])) != 0;
    json_t *o = bad ? NULL : json_pack("{s:s, s:i, s:b, s:o, s:o}", "record", l->record, "length", l->length,
                                       "variable", l->variable, "items", items, "fields", fields);
    if (!o) {
        if (bad) {
            json_decref(items);
            json_decref(fields);
        }
        return rp_err(err, RP_NOMEM, NULL);
    }
    *out = o;
    return RP_OK;
}

/* The first record's map, with "records": every record's (the first's too). */
static int book_json(const cb_layout *l, json_t **out, rp_error *err)
{
    json_t *all = json_array();
    int rc = all ? RP_OK : rp_err(err, RP_NOMEM, NULL);
    for (const cb_layout *r = l; r && !rc; r = r->next) {
        json_t *m;
        if (!(rc = map_json(r, &m, err)) && json_array_append_new(all, m))
            rc = rp_err(err, RP_NOMEM, NULL);
    }
    json_t *first = NULL;
    if (!rc && !(rc = map_json(l, &first, err)) && json_object_set_new(first, "records", all)) {
        json_decref(first);
        return rp_err(err, RP_NOMEM, NULL);
    }
    if (rc) {
        json_decref(all);
        return rc;
    }
    *out = first;
    return RP_OK;
}

int etl_copybook_map(const char *text, const char *name, json_t **out, rp_error *err)
{
    cb_layout *l;
    int rc = cb_parse(text, name, &l, err);
    if (!rc) {
        rc = book_json(l, out, err);
        cb_free(l);
    }
    return rc;
}

int etl_copybook_map_file(const char *path, json_t **out, rp_error *err)
{
    cb_layout *l;
    int rc = cb_parse_file(path, &l, err);
    if (!rc) {
        rc = book_json(l, out, err);
        cb_free(l);
    }
    return rc;
}

const cb_layout *cb_record(const cb_layout *l, const char *name)
{
    for (; l; l = l->next)
        if (!strcmp(l->record, name))
            return l;
    return NULL;
}
