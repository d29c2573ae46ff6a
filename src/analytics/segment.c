/* segment.c — the segment expression language and the exhaustive and
 * exclusive check.  See segment.h. */
#include "analytics/segment.h"
#include "analytics/value.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* gender, income_band and home_branch are the party's own (WH_PARTY_ATTRS) */
const an_attr_def an_attrs[] = {
    [AN_A_AGE] = { "age", 0, "whole years at the as-of date" },
    [AN_A_GENDER] = { AN_PARTY_ATTR(gender), 1, "'F', 'M' or 'X'" },
    [AN_A_INCOME_BAND] = { AN_PARTY_ATTR(income_band), 1, "as the source system codes it" },
    [AN_A_HOME_BRANCH] = { AN_PARTY_ATTR(home_branch), 1, "branch code" },
    [AN_A_TENURE_YEARS] = { "tenure_years", 0, "years since the first account opened" },
    [AN_A_ACCOUNTS] = { "accounts", 0, "accounts held" },
    [AN_A_PRODUCTS] = { "products", 0, "distinct products held" },
    [AN_A_HAS_DEPOSIT] = { "has_deposit", 0, "1 when holding a demand deposit" },
    [AN_A_HAS_TIME_DEPOSIT] = { "has_time_deposit", 0, "1 when holding a time deposit" },
    [AN_A_HAS_LOAN] = { "has_loan", 0, "1 when holding a loan" },
    [AN_A_HAS_CARD] = { "has_card", 0, "1 when holding a card" },
    [AN_A_HAS_INVESTMENT] = { "has_investment", 0, "1 when holding an investment" },
    [AN_A_HAS_INSURANCE] = { "has_insurance", 0, "1 when holding insurance" },
    [AN_A_BALANCE] = { "balance", 0, "average deposit and investment balance over the window" },
    [AN_A_LOANS] = { "loans", 0, "average debt over the window" },
    [AN_A_REVENUE] = { "revenue", 0, "interest margin and fees over the window" },
    [AN_A_COST] = { "cost", 0, "cost to serve over the window" },
    [AN_A_PROFIT] = { "profit", 0, "revenue less cost to serve" },
    [AN_A_TRANSACTIONS] = { "transactions", 0, "transactions of every channel in the window" },
    [AN_A_LEVEL] = { "level", 1, "pyramid level: 'top', 'big', 'medium', 'small', 'inactive' by default" },
    [AN_A_DECILE] = { "decile", 0, "1 the most valuable tenth" },
    [AN_A_RFM] = { "rfm", 0, "RFM cell, e.g. 555 (null when never active)" },
    [AN_A_R] = { "r", 0, "recency score 1-5" },
    [AN_A_F] = { "f", 0, "frequency score 1-5" },
    [AN_A_M] = { "m", 0, "monetary score 1-5" },
    [AN_A_RECENCY_DAYS] = { "recency_days", 0, "days since the last activity" },
    [AN_A_FREQUENCY] = { "frequency", 0, "activity transactions in the window" },
    [AN_A_MONETARY] = { "monetary", 0, "their value" },
    [AN_A_BRANCH] = { "branch", 0, "branch counter transactions in the window" },
    [AN_A_ATM] = { "atm", 0, "ATM transactions" },
    [AN_A_INTERNET] = { "internet", 0, "internet banking transactions" },
    [AN_A_MOBILE] = { "mobile", 0, "mobile banking transactions" },
    [AN_A_PHONE] = { "phone", 0, "phone banking transactions" },
    [AN_A_POS] = { "pos", 0, "card purchases at points of sale" },
    [AN_A_DIGITAL_SHARE] = { "digital_share", 0, "internet and mobile share of the customer's own transactions, 0-1" },
    [AN_A_ACTIVE] = { "active", 0, "1 when there was any transaction in the window" },
};
const int an_nattrs = AN_NATTRS;

enum {
    E_NUM, E_STR, E_ATTR, E_NEG, E_ADD, E_SUB, E_MUL, E_DIV, E_EQ, E_NE, E_LT, E_LE, E_GT, E_GE,
    E_AND, E_OR, E_NOT, E_IN, E_BETWEEN, E_BOOL
};
enum { T_NUM, T_STR, T_BOOL };

struct an_expr {
    int op, type;
    double num;
    char *str;
    int attr;
    an_expr *a, *b, *c;
    an_expr **list;
    int nlist;
};

/* ---- parsing ---- */

typedef struct parser {
    const char *src, *p, *what;
    int line;
    rp_error *err;
    int failed;
    int depth;
    an_segment_set *set;   /* the models score() names are kept here; NULL: score() is refused */
} parser;

static int fail(parser *ps, const char *at, const char *fmt, const char *a, const char *b)
{
    if (ps->failed)
        return RP_PARSE;
    ps->failed = 1;
    char msg[256];
    snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
    return rp_err(ps->err, RP_PARSE, "%s:%d:%d: %s", ps->what, ps->line, (int)(at - ps->src) + 1, msg);
}

static void skip(parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r')
        ps->p++;
}

static int is_word_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* The next token is this keyword (whole word, any case)? Consumes it. */
static int keyword(parser *ps, const char *kw)
{
    skip(ps);
    size_t n = strlen(kw);
    if (!strncasecmp(ps->p, kw, n) && !is_word_char(ps->p[n])) {
        ps->p += n;
        return 1;
    }
    return 0;
}

static int punct(parser *ps, const char *op)
{
    skip(ps);
    size_t n = strlen(op);
    if (!strncmp(ps->p, op, n)) {
        ps->p += n;
        return 1;
    }
    return 0;
}

static an_expr *node(parser *ps, int op, int type)
{
    an_expr *e = calloc(1, sizeof *e);
    if (!e) {
        if (!ps->failed) {
            ps->failed = 1;
            rp_err(ps->err, RP_NOMEM, NULL);
        }
        return NULL;
    }
    e->op = op;
    e->type = type;
    e->attr = -1;
    return e;
}

static an_expr *parse_or(parser *ps);

static const char *type_name(int t) { return t == T_NUM ? "a number" : t == T_STR ? "a text" : "a condition"; }

static an_expr *model_score(parser *ps, const char *at, int decile);

static an_expr *parse_primary(parser *ps)
{
    skip(ps);
    const char *at = ps->p;
    if (++ps->depth > 64) {
        fail(ps, at, "expression nested too deeply", NULL, NULL);
        return NULL;
    }
    an_expr *e = NULL;
    if (punct(ps, "(")) {
        e = parse_or(ps);
        if (e && !punct(ps, ")")) {
            fail(ps, ps->p, "')' expected", NULL, NULL);
            an_expr_free(e);
            e = NULL;
        }
    } else if (*ps->p == '\'' || *ps->p == '"') {
        char q = *ps->p++;
        const char *s = ps->p;
        while (*ps->p && *ps->p != q && *ps->p != '\n')
            ps->p++;
        if (*ps->p != q) {
            fail(ps, at, "text not closed", NULL, NULL);
        } else if ((e = node(ps, E_STR, T_STR))) {
            e->str = strndup(s, (size_t)(ps->p - s));
            ps->p++;
            if (!e->str) {
                an_expr_free(e);
                e = NULL;
                rp_err(ps->err, RP_NOMEM, NULL);
                ps->failed = 1;
            }
        }
    } else if (isdigit((unsigned char)*ps->p) || (*ps->p == '.' && isdigit((unsigned char)ps->p[1]))) {
        char *end;
        double v = strtod(ps->p, &end);
        if (is_word_char(*end)) {
            char tok[32];
            size_t n = strspn(at, "0123456789.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_");
            snprintf(tok, sizeof tok, "%.*s", (int)(n < 31 ? n : 31), at);
            fail(ps, at, "'%s' is not a number", tok, NULL);
        } else if ((e = node(ps, E_NUM, T_NUM))) {
            e->num = v;
            ps->p = end;
        }
    } else if (keyword(ps, "true") || keyword(ps, "false")) {
        if ((e = node(ps, E_BOOL, T_BOOL)))
            e->num = tolower((unsigned char)*at) == 't';
    } else if (is_word_char(*ps->p)) {
        const char *s = ps->p;
        while (is_word_char(*ps->p))
            ps->p++;
        size_t n = (size_t)(ps->p - s);
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(n < 63 ? n : 63), s);
        int found = -1;
        for (int i = 0; i < an_nattrs; i++)
            if (strlen(an_attrs[i].name) == n && !strncasecmp(an_attrs[i].name, s, n))
                found = i;
        if (found < 0 && (!strcasecmp(name, "score") || !strcasecmp(name, "score_decile"))) {
            e = model_score(ps, s, !strcasecmp(name, "score_decile"));
        } else if (found < 0) {
            fail(ps, s, "unknown attribute '%s' (`rapport analyze attributes` lists them)", name, NULL);
        } else if ((e = node(ps, E_ATTR, an_attrs[found].text ? T_STR : T_NUM))) {
            e->attr = found;
        }
    } else {
        fail(ps, at, *at ? "unexpected '%.1s'" : "an attribute, a number or a text expected at the end", at, NULL);
    }
    ps->depth--;
    return e;
}

/* score('model') or score_decile('model') after its name: the customer's probability, or decile (1
 * the highest), by the latest scoring of that kept model; the model named in the set. */
static an_expr *model_score(parser *ps, const char *at, int decile)
{
    const char *fn = decile ? "score_decile" : "score";
    skip(ps);
    if (*ps->p != '(') {
        fail(ps, at, "%s('model') takes the name of a kept model in parentheses", fn, NULL);
        return NULL;
    }
    ps->p++;
    skip(ps);
    char q = *ps->p;
    const char *name = ps->p + 1, *end = q == '\'' || q == '"' ? strchr(name, q) : NULL;
    if (!end || end == name || end - name >= 64) {
        fail(ps, ps->p, "%s('model') takes the name of a kept model, quoted", fn, NULL);
        return NULL;
    }
    char model[64];
    snprintf(model, sizeof model, "%.*s", (int)(end - name), name);
    ps->p = end + 1;
    skip(ps);
    if (*ps->p != ')') {
        fail(ps, ps->p, "%s('%s') wants its closing parenthesis", fn, model);
        return NULL;
    }
    ps->p++;
    if (!ps->set) {
        fail(ps, at, "%s(): a model's scores are read in a segment file, not here", fn, NULL);
        return NULL;
    }
    int k = 0;
    while (k < ps->set->nmodels && strcmp(ps->set->model[k], model))
        k++;
    if (k == AN_SEG_MODELS) {
        fail(ps, at, "more than %s models' scores in one set of segments", "8", NULL);
        return NULL;
    }
    if (k == ps->set->nmodels)
        snprintf(ps->set->model[ps->set->nmodels++], sizeof ps->set->model[0], "%s", model);
    an_expr *e = node(ps, E_ATTR, T_NUM);
    if (e)
        e->attr = AN_NATTRS + 2 * k + decile;
    return e;
}

static an_expr *parse_unary(parser *ps)
{
    const char *at = (skip(ps), ps->p);
    if (punct(ps, "-")) {
        an_expr *a = parse_unary(ps), *e;
        if (!a)
            return NULL;
        if (a->type != T_NUM) {
            fail(ps, at, "'-' needs a number", NULL, NULL);
            an_expr_free(a);
            return NULL;
        }
        if (!(e = node(ps, E_NEG, T_NUM))) {
            an_expr_free(a);
            return NULL;
        }
        e->a = a;
        return e;
    }
    return parse_primary(ps);
}

static an_expr *binary(parser *ps, int op, int type, an_expr *a, an_expr *b)
{
    an_expr *e = node(ps, op, type);
    if (!e) {
        an_expr_free(a), an_expr_free(b);
        return NULL;
    }
    e->a = a;
    e->b = b;
    return e;
}

static an_expr *arith(parser *ps, int mul)
{
    an_expr *a = mul ? parse_unary(ps) : arith(ps, 1);
    while (a) {
        skip(ps);
        const char *at = ps->p;
        int op = mul ? (punct(ps, "*") ? E_MUL : punct(ps, "/") ? E_DIV : -1)
                     : (punct(ps, "+") ? E_ADD : punct(ps, "-") ? E_SUB : -1);
        if (op < 0)
            break;
        an_expr *b = mul ? parse_unary(ps) : arith(ps, 1);
        if (!b) {
            an_expr_free(a);
            return NULL;
        }
        if (a->type != T_NUM || b->type != T_NUM) {
            fail(ps, at, "arithmetic needs numbers", NULL, NULL);
            an_expr_free(a), an_expr_free(b);
            return NULL;
        }
        a = binary(ps, op, T_NUM, a, b);
    }
    return a;
}

static an_expr *parse_cmp(parser *ps)
{
    an_expr *a = arith(ps, 0);
    if (!a)
        return NULL;
    skip(ps);
    const char *at = ps->p;
    int negate = 0;
    if (keyword(ps, "not")) {
        if (!keyword(ps, "in")) {
            fail(ps, at, "'in' expected after 'not' here", NULL, NULL);
            an_expr_free(a);
            return NULL;
        }
        negate = 1;
        ps->p -= 2;
    }
    if (keyword(ps, "in")) {
        an_expr *e = node(ps, E_IN, T_BOOL);
        if (!e) {
            an_expr_free(a);
            return NULL;
        }
        e->a = a;
        e->num = negate;
        if (!punct(ps, "(")) {
            fail(ps, ps->p, "'(' expected after 'in'", NULL, NULL);
            an_expr_free(e);
            return NULL;
        }
        do {
            const char *iat = (skip(ps), ps->p);
            an_expr *item = arith(ps, 0);
            if (!item) {
                an_expr_free(e);
                return NULL;
            }
            an_expr **l = realloc(e->list, (size_t)(e->nlist + 1) * sizeof *l);
            if (!l) {
                an_expr_free(item), an_expr_free(e);
                rp_err(ps->err, RP_NOMEM, NULL);
                ps->failed = 1;
                return NULL;
            }
            e->list = l;
            e->list[e->nlist++] = item;
            if (item->type != a->type) {
                fail(ps, iat, "the list holds %s where %s is expected", type_name(item->type), type_name(a->type));
                an_expr_free(e);
                return NULL;
            }
        } while (punct(ps, ","));
        if (!punct(ps, ")")) {
            fail(ps, ps->p, "')' or ',' expected in the list", NULL, NULL);
            an_expr_free(e);
            return NULL;
        }
        return e;
    }
    if (keyword(ps, "between")) {
        an_expr *lo = arith(ps, 0), *hi = NULL;
        if (lo && !keyword(ps, "and"))
            fail(ps, ps->p, "'and' expected in 'between ... and ...'", NULL, NULL);
        else if (lo)
            hi = arith(ps, 0);
        if (!lo || !hi) {
            an_expr_free(a), an_expr_free(lo), an_expr_free(hi);
            return NULL;
        }
        if (a->type != T_NUM || lo->type != T_NUM || hi->type != T_NUM) {
            fail(ps, at, "'between' needs numbers", NULL, NULL);
            an_expr_free(a), an_expr_free(lo), an_expr_free(hi);
            return NULL;
        }
        an_expr *e = binary(ps, E_BETWEEN, T_BOOL, a, lo);
        if (e)
            e->c = hi;
        else
            an_expr_free(hi);
        return e;
    }
    static const struct { const char *s; int op; } ops[] = {
        { "<=", E_LE }, { ">=", E_GE }, { "!=", E_NE }, { "<>", E_NE }, { "==", E_EQ },
        { "=", E_EQ },  { "<", E_LT },  { ">", E_GT },
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (punct(ps, ops[i].s)) {
            an_expr *b = arith(ps, 0);
            if (!b) {
                an_expr_free(a);
                return NULL;
            }
            if (a->type != b->type || a->type == T_BOOL) {
                fail(ps, at, "'%s' compares %s with ", ops[i].s, type_name(a->type));
                /* append what the right side is */
                char tail[64];
                snprintf(tail, sizeof tail, "%s", type_name(b->type));
                size_t len = strlen(ps->err ? ps->err->msg : "");
                if (ps->err && len + strlen(tail) < sizeof ps->err->msg)
                    strcat(ps->err->msg, tail);
                an_expr_free(a), an_expr_free(b);
                return NULL;
            }
            return binary(ps, ops[i].op, T_BOOL, a, b);
        }
    return a;
}

static an_expr *parse_not(parser *ps)
{
    skip(ps);
    const char *at = ps->p;
    if (keyword(ps, "not")) {
        an_expr *a = parse_not(ps);
        if (!a)
            return NULL;
        if (a->type == T_STR) {
            fail(ps, at, "'not' needs a condition", NULL, NULL);
            an_expr_free(a);
            return NULL;
        }
        return binary(ps, E_NOT, T_BOOL, a, NULL);
    }
    return parse_cmp(ps);
}

static an_expr *logic(parser *ps, int and)
{
    an_expr *a = and ? parse_not(ps) : logic(ps, 1);
    while (a && keyword(ps, and ? "and" : "or")) {
        an_expr *b = and ? parse_not(ps) : logic(ps, 1);
        if (!b) {
            an_expr_free(a);
            return NULL;
        }
        if (a->type == T_STR || b->type == T_STR) {
            fail(ps, ps->p, "'%s' joins conditions, not texts", and ? "and" : "or", NULL);
            an_expr_free(a), an_expr_free(b);
            return NULL;
        }
        a = binary(ps, and ? E_AND : E_OR, T_BOOL, a, b);
    }
    return a;
}

static an_expr *parse_or(parser *ps) { return logic(ps, 0); }

static int expr_parse(const char *text, const char *what, int line, an_segment_set *set, an_expr **out,
                      rp_error *err)
{
    parser ps = { text, text, what ? what : "expression", line, err, 0, 0, set };
    *out = NULL;
    skip(&ps);
    if (!*ps.p || *ps.p == '\n')
        return rp_err(err, RP_PARSE, "%s:%d: the expression is empty", ps.what, line);
    an_expr *e = parse_or(&ps);
    if (e) {
        skip(&ps);
        if (*ps.p && *ps.p != '\n')
            fail(&ps, ps.p, "unexpected '%s' after the expression", ps.p, NULL);
        else if (e->type == T_STR)
            fail(&ps, text, "a text is not a condition; compare it, e.g. level = 'top'", NULL, NULL);
    }
    if (ps.failed) {
        an_expr_free(e);
        return err ? err->code : RP_PARSE;
    }
    *out = e;
    return RP_OK;
}

int an_expr_parse(const char *text, const char *what, int line, an_expr **out, rp_error *err)
{
    return expr_parse(text, what, line, NULL, out, err);
}

int an_expr_parse_set(const char *text, const char *what, int line, an_segment_set *set, an_expr **out, rp_error *err)
{
    return expr_parse(text, what, line, set, out, err);
}

void an_expr_attrs(const an_expr *e, uint8_t *used, int n)
{
    if (!e)
        return;
    if (e->op == E_ATTR && e->attr >= 0 && e->attr < n)
        used[e->attr] = 1;
    an_expr_attrs(e->a, used, n), an_expr_attrs(e->b, used, n), an_expr_attrs(e->c, used, n);
    for (int i = 0; i < e->nlist; i++)
        an_expr_attrs(e->list[i], used, n);
}

void an_expr_free(an_expr *e)
{
    if (!e)
        return;
    an_expr_free(e->a), an_expr_free(e->b), an_expr_free(e->c);
    for (int i = 0; i < e->nlist; i++)
        an_expr_free(e->list[i]);
    free(e->list);
    free(e->str);
    free(e);
}

/* ---- evaluation: three-valued (1 true, 0 false, -1 null) ---- */

typedef struct val {
    int null;
    double num;
    const char *str;
} val;

static val eval(const an_expr *e, an_attr_fn get, void *ctx, size_t row);

static int truth(const an_expr *e, an_attr_fn get, void *ctx, size_t row)
{
    val v = eval(e, get, ctx, row);
    return v.null ? -1 : v.num != 0;
}

static int cmp(const val *a, const val *b, int type)
{
    if (type == T_STR)
        return strcmp(a->str ? a->str : "", b->str ? b->str : "");
    return a->num < b->num ? -1 : a->num > b->num;
}

static val eval(const an_expr *e, an_attr_fn get, void *ctx, size_t row)
{
    val r = { 0, 0, NULL }, a, b;
    switch (e->op) {
    case E_NUM:
    case E_BOOL:
        r.num = e->num;
        return r;
    case E_STR:
        r.str = e->str;
        return r;
    case E_ATTR: {
        an_value_cell c = get(ctx, row, e->attr);
        if (e->type == T_STR) {
            r.str = c.str;
            r.null = !c.str || !*c.str;
        } else {
            r.num = c.num;
            r.null = isnan(c.num);
        }
        return r;
    }
    case E_NEG:
        a = eval(e->a, get, ctx, row);
        a.num = -a.num;
        return a;
    case E_ADD: case E_SUB: case E_MUL: case E_DIV:
        a = eval(e->a, get, ctx, row);
        b = eval(e->b, get, ctx, row);
        r.null = a.null || b.null || (e->op == E_DIV && b.num == 0);
        r.num = e->op == E_ADD ? a.num + b.num : e->op == E_SUB ? a.num - b.num : e->op == E_MUL ? a.num * b.num
              : r.null ? 0 : a.num / b.num;
        return r;
    case E_EQ: case E_NE: case E_LT: case E_LE: case E_GT: case E_GE: {
        a = eval(e->a, get, ctx, row);
        b = eval(e->b, get, ctx, row);
        if (a.null || b.null) {
            r.null = 1;
            return r;
        }
        int c = cmp(&a, &b, e->a->type);
        r.num = e->op == E_EQ ? c == 0 : e->op == E_NE ? c != 0 : e->op == E_LT ? c < 0 : e->op == E_LE ? c <= 0
              : e->op == E_GT ? c > 0 : c >= 0;
        return r;
    }
    case E_BETWEEN:
        a = eval(e->a, get, ctx, row);
        b = eval(e->b, get, ctx, row);
        {
            val c = eval(e->c, get, ctx, row);
            r.null = a.null || b.null || c.null;
            r.num = !r.null && a.num >= b.num && a.num <= c.num;
        }
        return r;
    case E_IN:
        a = eval(e->a, get, ctx, row);
        if (a.null) {
            r.null = 1;
            return r;
        }
        for (int i = 0; i < e->nlist; i++) {
            b = eval(e->list[i], get, ctx, row);
            if (!b.null && !cmp(&a, &b, e->a->type)) {
                r.num = 1;
                break;
            }
        }
        if (e->num)
            r.num = !r.num;
        return r;
    case E_NOT: {
        int t = truth(e->a, get, ctx, row);
        r.null = t < 0;
        r.num = t == 0;
        return r;
    }
    case E_AND: case E_OR: {
        int x = truth(e->a, get, ctx, row);
        if (e->op == E_AND ? x == 0 : x == 1) {
            r.num = x;
            return r;
        }
        int y = truth(e->b, get, ctx, row);
        if (e->op == E_AND) {
            r.num = x == 1 && y == 1;
            r.null = !r.num && y != 0;
        } else {
            r.num = y == 1;
            r.null = !r.num && (x < 0 || y < 0);
        }
        return r;
    }
    }
    r.null = 1;
    return r;
}

int an_expr_eval(const an_expr *e, an_attr_fn get, void *ctx, size_t row) { return truth(e, get, ctx, row) == 1; }

/* ---- segment sets ---- */

int an_segments_parse(const char *text, const char *what, an_segment_set *out, rp_error *err)
{
    memset(out, 0, sizeof *out);
    out->else_index = -1;
    int line = 0;
    for (const char *p = text; p && *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        line++;
        const char *s = p;
        p = eol ? eol + 1 : p + len;
        while (len && (*s == ' ' || *s == '\t'))
            s++, len--;
        if (!len || *s == '#' || *s == '\r')
            continue;
        const char *eq = memchr(s, '=', len);
        if (!eq) {
            an_segments_free(out);
            return rp_err(err, RP_PARSE, "%s:%d: 'name = expression' expected", what, line);
        }
        size_t nl = (size_t)(eq - s);
        while (nl && (s[nl - 1] == ' ' || s[nl - 1] == '\t'))
            nl--;
        if (!nl || nl >= sizeof out->name[0]) {
            an_segments_free(out);
            return rp_err(err, RP_PARSE, "%s:%d: a segment name of 1 to %zu bytes is needed", what, line,
                          sizeof out->name[0] - 1);
        }
        if (out->n == AN_MAX_SEGMENTS) {
            an_segments_free(out);
            return rp_err(err, RP_PARSE, "%s:%d: more than %d segments", what, line, AN_MAX_SEGMENTS);
        }
        char name[64];
        memcpy(name, s, nl);
        name[nl] = 0;
        for (int i = 0; i < out->n; i++)
            if (!strcmp(out->name[i], name)) {
                an_segments_free(out);
                return rp_err(err, RP_PARSE, "%s:%d: segment '%s' is defined twice", what, line, name);
            }
        char *body = strndup(eq + 1, (size_t)(s + len - eq - 1));
        if (!body) {
            an_segments_free(out);
            return rp_err(err, RP_NOMEM, NULL);
        }
        char *b = body;
        while (*b == ' ' || *b == '\t')
            b++;
        size_t bl = strlen(b);
        while (bl && (b[bl - 1] == ' ' || b[bl - 1] == '\t' || b[bl - 1] == '\r'))
            b[--bl] = 0;
        int idx = out->n;
        if (!strcasecmp(b, "else")) {
            if (out->else_index >= 0) {
                free(body);
                an_segments_free(out);
                return rp_err(err, RP_PARSE, "%s:%d: only one segment may be 'else'", what, line);
            }
            out->else_index = idx;
        } else {
            /* column numbers count from the start of the line */
            char *whole = strndup(s, len);
            if (!whole) {
                free(body);
                an_segments_free(out);
                return rp_err(err, RP_NOMEM, NULL);
            }
            memset(whole, ' ', (size_t)(eq - s) + 1);
            int rc = expr_parse(whole, what, line, out, &out->rule[idx], err);
            free(whole);
            if (rc) {
                free(body);
                an_segments_free(out);
                return rc;
            }
        }
        free(body);
        memcpy(out->name[idx], name, nl + 1);
        out->n++;
    }
    if (!out->n)
        return rp_err(err, RP_PARSE, "%s: no segment defined", what);
    return RP_OK;
}

void an_segments_free(an_segment_set *s)
{
    for (int i = 0; i < s->n; i++)
        an_expr_free(s->rule[i]);
    /* a rule parsed for a segment not yet counted */
    if (s->n < AN_MAX_SEGMENTS)
        an_expr_free(s->rule[s->n]);
    memset(s, 0, sizeof *s);
    s->else_index = -1;
}

void an_segment_check_free(an_segment_check *c)
{
    free(c->overlap);
    free(c->overlap_example);
    c->overlap = c->overlap_example = NULL;
}

int an_segments_assign(const an_segment_set *s, an_attr_fn get, void *ctx, size_t rows, int16_t *seg,
                       an_segment_check *chk, rp_error *err)
{
    memset(chk, 0, sizeof *chk);
    int n = s->n;
    chk->overlap = calloc((size_t)(n * n), sizeof *chk->overlap);
    chk->overlap_example = calloc((size_t)(n * n * AN_SEG_EXAMPLES), sizeof *chk->overlap_example);
    if (!chk->overlap || !chk->overlap_example) {
        an_segment_check_free(chk);
        return rp_err(err, RP_NOMEM, NULL);
    }
    int hit[AN_MAX_SEGMENTS];
    for (size_t r = 0; r < rows; r++) {
        int nh = 0;
        for (int i = 0; i < n; i++)
            if (s->rule[i] && an_expr_eval(s->rule[i], get, ctx, r))
                hit[nh++] = i;
        if (!nh && s->else_index >= 0)
            hit[nh++] = s->else_index;
        if (nh == 1) {
            seg[r] = (int16_t)hit[0];
            chk->count[hit[0]]++;
        } else if (!nh) {
            seg[r] = -1;
            if (chk->gaps < AN_SEG_EXAMPLES)
                chk->gap_example[chk->gaps] = r;
            chk->gaps++;
        } else {
            seg[r] = -2;
            chk->overlapping++;
            for (int x = 0; x < nh; x++)
                for (int y = x + 1; y < nh; y++) {
                    size_t k = (size_t)(hit[x] * n + hit[y]);
                    if (chk->overlap[k] < AN_SEG_EXAMPLES)
                        chk->overlap_example[k * AN_SEG_EXAMPLES + chk->overlap[k]] = r;
                    chk->overlap[k]++;
                }
        }
    }
    return RP_OK;
}
