/* copybook.c — COBOL data descriptions to byte layouts.  See copybook.h. */
#include "etl/copybook.h"
#include "core/buf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 64
#define MAX_DEPTH 50

typedef struct token {
    char text[96];
    int line;
} token;

typedef struct node {
    int level, line;
    char name[64];
    char redefines[64];
    int is_group, filler;
    cb_kind kind;
    int digits, scale, is_signed, chars; /* chars: X/G/N count */
    int occurs;
    struct node *child, *next, *parent;
} node;

typedef struct parser {
    const char *file;
    rp_error *err;
    node *root;
    cb_layout *out;
    int cap;
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

/* The code area of one line: fixed format (sequence area, indicator,
 * columns 8-72) when columns 1-6 are digits or blanks; else the whole
 * line.  Returns NULL for a comment line. */
static const char *code_area(char *line, size_t len)
{
    /* fixed format: columns 1-6 all blank or all digits, column 7 an indicator */
    if (len >= 7) {
        int blanks = 0, digits = 0;
        for (int i = 0; i < 6; i++) {
            blanks += line[i] == ' ';
            digits += isdigit((unsigned char)line[i]) != 0;
        }
        char ind = line[6];
        if ((blanks == 6 || digits == 6) && (ind == ' ' || ind == '*' || ind == '/' || ind == '-' || ind == 'D')) {
            if (ind == '*' || ind == '/' || ind == 'D')
                return NULL; /* comments and debugging lines */
            if (len > 72)
                line[72] = 0;
            return line + 7;
        }
    }
    const char *s = line;
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s == '*')
        return NULL;
    return s;
}

static int is_word(const char *a, const char *b) { return strcmp(a, b) == 0; }

/* ---- PIC strings ---- */

static int parse_pic(parser *p, node *n, const char *pic, int line)
{
    int x = 0, nines = 0, dbcs = 0, after_v = 0, seen_v = 0;
    char kind_dbcs = 0;
    for (const char *s = pic; *s;) {
        char c = (char)toupper((unsigned char)*s++);
        int count = 1;
        if (*s == '(') {
            char *end;
            long k = strtol(s + 1, &end, 10);
            if (*end != ')' || k < 1 || k > 65535)
                return fail(p, line, "picture '%s' has a bad repeat count", pic);
            count = (int)k;
            s = end + 1;
        }
        switch (c) {
        case 'X':
        case 'A': x += count; break;
        case '9':
            nines += count;
            if (seen_v)
                after_v += count;
            break;
        case 'S':
            if (s - 1 != pic || count != 1)
                return fail(p, line, "picture '%s': S must come first", pic);
            n->is_signed = 1;
            break;
        case 'V':
            if (seen_v)
                return fail(p, line, "picture '%s' has two V", pic);
            seen_v = 1;
            break;
        case 'G':
        case 'N':
            dbcs += count;
            kind_dbcs = c;
            break;
        case 'P': return fail(p, line, "picture '%s': P scaling is not supported", pic);
        default: return fail(p, line, "edited picture '%s' is not supported", pic);
        }
    }
    (void)kind_dbcs;
    if (dbcs && (x || nines))
        return fail(p, line, "picture '%s' mixes DBCS with other characters", pic);
    if (dbcs) {
        n->kind = CB_DBCS;
        n->chars = dbcs;
    } else if (x) {
        if (n->is_signed || seen_v)
            return fail(p, line, "picture '%s' mixes a sign or V with characters", pic);
        n->kind = CB_ALNUM;
        n->chars = x + nines;
    } else if (nines) {
        if (nines > 18)
            return fail(p, line, "picture '%s' has more than 18 digits", pic);
        n->kind = CB_ZONED;
        n->digits = nines;
        n->scale = after_v;
    } else {
        return fail(p, line, "picture '%s' describes nothing", pic);
    }
    return RP_OK;
}

/* ---- statements to nodes ---- */

static const char *const clause_words[] = { "PIC", "PICTURE", "USAGE", "OCCURS", "REDEFINES", "VALUE",
                                            "VALUES", "COMP", "COMP-3", "COMP-4", "COMP-5", "BINARY",
                                            "PACKED-DECIMAL", "DISPLAY", "DISPLAY-1", "NATIONAL",
                                            "COMPUTATIONAL", "COMPUTATIONAL-3", "COMPUTATIONAL-4",
                                            "COMPUTATIONAL-5", "SIGN", "SYNC", "SYNCHRONIZED", "JUST",
                                            "JUSTIFIED", "BLANK", NULL };

static int is_clause(const char *w)
{
    for (const char *const *c = clause_words; *c; c++)
        if (is_word(w, *c))
            return 1;
    return 0;
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
    n->occurs = 1;
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
    int usage = 0; /* 0 display, 3 packed, 4 binary, 1 dbcs */
    int rc = RP_OK;
    for (; i < nt && !rc; i++) {
        const char *w = t[i].text;
        if (is_word(w, "PIC") || is_word(w, "PICTURE")) {
            if (i + 1 < nt && is_word(t[i + 1].text, "IS"))
                i++;
            if (++i >= nt) {
                rc = fail(p, line, "%s", "PIC without a picture");
                break;
            }
            rc = parse_pic(p, n, t[i].text, t[i].line);
            n->is_group = 0;
        } else if (is_word(w, "USAGE")) {
            if (i + 1 < nt && is_word(t[i + 1].text, "IS"))
                i++;
        } else if (is_word(w, "COMP-3") || is_word(w, "COMPUTATIONAL-3") || is_word(w, "PACKED-DECIMAL")) {
            usage = 3;
        } else if (is_word(w, "COMP") || is_word(w, "COMP-4") || is_word(w, "COMP-5") ||
                   is_word(w, "COMPUTATIONAL") || is_word(w, "COMPUTATIONAL-4") ||
                   is_word(w, "COMPUTATIONAL-5") || is_word(w, "BINARY")) {
            usage = 4;
        } else if (is_word(w, "COMP-1") || is_word(w, "COMP-2") || is_word(w, "COMPUTATIONAL-1") ||
                   is_word(w, "COMPUTATIONAL-2") || is_word(w, "POINTER") || is_word(w, "INDEX")) {
            rc = fail(p, line, "USAGE %s is not supported", w);
        } else if (is_word(w, "DISPLAY") || is_word(w, "DISPLAY-1") || is_word(w, "NATIONAL")) {
            usage = is_word(w, "DISPLAY") ? 0 : 1;
        } else if (is_word(w, "OCCURS")) {
            if (++i >= nt) {
                rc = fail(p, line, "%s", "OCCURS without a count");
                break;
            }
            long k = strtol(t[i].text, &endp, 10);
            if (*endp || k < 1 || k > 10000) {
                rc = fail(p, line, "OCCURS count '%s' is not a number from 1 to 10000", t[i].text);
                break;
            }
            n->occurs = (int)k;
            if (i + 1 < nt && is_word(t[i + 1].text, "TO"))
                rc = fail(p, line, "%s", "OCCURS n TO m DEPENDING ON is not supported");
            for (int j = i + 1; j < nt && !rc; j++)
                if (is_word(t[j].text, "DEPENDING"))
                    rc = fail(p, line, "%s", "OCCURS DEPENDING ON is not supported");
            if (i + 1 < nt && is_word(t[i + 1].text, "TIMES"))
                i++;
        } else if (is_word(w, "REDEFINES")) {
            if (++i >= nt) {
                rc = fail(p, line, "%s", "REDEFINES without a name");
                break;
            }
            snprintf(n->redefines, sizeof n->redefines, "%.63s", t[i].text);
        } else if (is_word(w, "SIGN")) {
            for (int j = i + 1; j < nt && !rc; j++)
                if (is_word(t[j].text, "SEPARATE") || is_word(t[j].text, "LEADING"))
                    rc = fail(p, line, "SIGN %s is not supported (only the trailing overpunched sign)",
                              t[j].text);
            break;
        } else if (is_word(w, "SYNC") || is_word(w, "SYNCHRONIZED")) {
            rc = fail(p, line, "%s", "SYNCHRONIZED is not supported (it inserts slack bytes)");
        } else if (is_word(w, "VALUE") || is_word(w, "VALUES")) {
            /* skip the literal(s) up to the next clause */
            while (i + 1 < nt && !is_clause(t[i + 1].text))
                i++;
        } else if (is_word(w, "JUST") || is_word(w, "JUSTIFIED") || is_word(w, "BLANK") ||
                   is_word(w, "RIGHT") || is_word(w, "WHEN") || is_word(w, "ZERO") || is_word(w, "IS") ||
                   is_word(w, "INDEXED") || is_word(w, "BY") || is_word(w, "ASCENDING") ||
                   is_word(w, "DESCENDING") || is_word(w, "KEY") || is_word(w, "TIMES")) {
            if (is_word(w, "INDEXED") || is_word(w, "KEY"))
                while (i + 1 < nt && !is_clause(t[i + 1].text))
                    i++;
        } else {
            rc = fail(p, t[i].line, "unexpected word '%s'", w);
        }
    }
    if (!rc && !n->is_group) {
        if (usage == 3 || usage == 4) {
            if (n->kind != CB_ZONED)
                rc = fail(p, line, "%s", "COMP and COMP-3 need a numeric picture");
            else
                n->kind = usage == 3 ? CB_PACKED : CB_BINARY;
        } else if (usage == 1 && n->kind != CB_DBCS) {
            rc = fail(p, line, "%s", "DISPLAY-1 and NATIONAL need PIC G or N");
        }
    } else if (!rc && usage) {
        rc = fail(p, line, "group '%s' has a USAGE; give it to its elementary items", n->name);
    }
    if (rc) {
        free(n);
        return rc;
    }
    /* place it in the tree by level */
    while (*depth > 0 && stack[*depth - 1]->level >= n->level)
        (*depth)--;
    if (*depth == 0) {
        if (p->root) {
            free(n);
            return fail(p, line, "%s", "a second record description: one copybook describes one record");
        }
        p->root = n;
    } else {
        node *parent = stack[*depth - 1];
        if (!parent->is_group) {
            free(n);
            return fail(p, line, "'%s' has a picture and cannot contain other items", parent->name);
        }
        n->parent = parent;
        node **tail = &parent->child;
        while (*tail)
            tail = &(*tail)->next;
        *tail = n;
    }
    if (*depth >= MAX_DEPTH) {
        return fail(p, line, "%s", "nested deeper than 50 levels");
    }
    stack[(*depth)++] = n;
    return RP_OK;
}

/* ---- layout ---- */

static int elem_size(const node *n)
{
    switch (n->kind) {
    case CB_ALNUM: return n->chars;
    case CB_DBCS: return 2 * n->chars;
    case CB_ZONED: return n->digits;
    case CB_PACKED: return n->digits / 2 + 1;
    default: return n->digits <= 4 ? 2 : n->digits <= 9 ? 4 : 8;
    }
}

static int size_of(const node *n);

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

static int emit(parser *p, const node *n, int offset, const char *subs, int redefined, const char *parent)
{
    if (!n->is_group) {
        if (p->out->nfields >= CB_MAX_FIELDS)
            return fail(p, n->line, "%s", "more than 4096 fields");
        if (p->out->nfields == p->cap) {
            int cap = p->cap ? p->cap * 2 : 64;
            cb_field *f = realloc(p->out->fields, (size_t)cap * sizeof *f);
            if (!f)
                return rp_err(p->err, RP_NOMEM, NULL);
            p->out->fields = f;
            p->cap = cap;
        }
        cb_field *f = &p->out->fields[p->out->nfields++];
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
        f->filler = n->filler;
        f->redefined = redefined;
        f->line = n->line;
        return RP_OK;
    }
    int cursor = offset;
    int k = 0;
    int offs[512];
    for (const node *c = n->child; c; c = c->next, k++) {
        int one = size_of(c);
        int at = cursor, red = redefined;
        if (c->redefines[0]) {
            const node *target = find_sibling(n->child, c, c->redefines);
            if (!target)
                return fail(p, c->line, "REDEFINES '%s': no earlier item of that name at this level",
                            c->redefines);
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
            int rc = emit(p, c, at + (o - 1) * one, sub, red, n->name);
            if (rc)
                return rc;
        }
    }
    return RP_OK;
}

int cb_parse(const char *text, const char *filename, cb_layout **out, rp_error *err)
{
    parser p = { filename, err, NULL, NULL, 0 };
    if (strlen(text) > CB_MAX_TEXT)
        return rp_err(err, RP_TOOBIG, "%s: copybook larger than 1 MiB", filename);
    token t[MAX_TOKENS];
    int nt = 0, rc = RP_OK, lineno = 0, depth = 0;
    node *stack[MAX_DEPTH + 1];
    char *copy = strdup(text);
    if (!copy)
        return rp_err(err, RP_NOMEM, NULL);
    char *next = copy;
    while (next && !rc) {
        char *line = next, *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        next = nl ? nl + 1 : NULL;
        lineno++;
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r')
            line[--len] = 0;
        const char *code = code_area(line, len);
        if (!code)
            continue;
        const char *s = code;
        while (*s && !rc) {
            while (*s == ' ' || *s == '\t')
                s++;
            if (!*s || (s[0] == '*' && s[1] == '>'))
                break;
            token *tk = &t[nt];
            size_t k = 0;
            if (*s == '\'' || *s == '"') { /* a literal, kept whole */
                char q = *s;
                tk->text[k++] = *s++;
                while (*s && *s != q && k < sizeof tk->text - 2)
                    tk->text[k++] = *s++;
                if (*s == q)
                    tk->text[k++] = *s++;
            } else {
                while (*s && *s != ' ' && *s != '\t' && k < sizeof tk->text - 1)
                    tk->text[k++] = (char)toupper((unsigned char)*s++);
            }
            tk->text[k] = 0;
            tk->line = lineno;
            int end = 0;
            if (k > 0 && tk->text[k - 1] == '.' && (*s == 0 || *s == ' ' || *s == '\t')) {
                tk->text[--k] = 0;
                end = 1;
            }
            if (k > 0) {
                if (++nt >= MAX_TOKENS) {
                    rc = fail(&p, lineno, "%s", "statement too long");
                    break;
                }
            }
            if (end && nt) {
                rc = statement(&p, t, nt, stack, &depth);
                nt = 0;
            }
        }
    }
    free(copy);
    if (!rc && nt)
        rc = fail(&p, t[0].line, "%s", "the last statement does not end with a period");
    if (!rc && !p.root)
        rc = rp_err(err, RP_PARSE, "%s: no record description found", filename);
    if (rc) {
        free_nodes(p.root);
        return rc;
    }
    cb_layout *l = calloc(1, sizeof *l);
    if (!l) {
        free_nodes(p.root);
        return rp_err(err, RP_NOMEM, NULL);
    }
    p.out = l;
    snprintf(l->record, sizeof l->record, "%s", p.root->name);
    rc = emit(&p, p.root, 0, "", 0, "");
    l->length = size_of(p.root) * p.root->occurs;
    if (!rc && !l->nfields)
        rc = fail(&p, p.root->line, "record '%s' has no elementary items (nothing with a PIC)", p.root->name);
    free_nodes(p.root);
    if (rc) {
        cb_free(l);
        return rc;
    }
    *out = l;
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
    free(l->fields);
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
    static const char *const names[] = { "alphanumeric", "dbcs", "zoned", "packed", "binary" };
    return names[k];
}
