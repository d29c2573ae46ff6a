/* standard.c — names, romanisation, addresses and string similarity for
 * matching.  See internal.h. */
#include "match/internal.h"
#include "core/map.h"
#include "core/utf8.h"
#include "core/text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>

struct mt_romaniser {
    UTransliterator *tr;
    UTransliterator *latin; /* any script and accents to ASCII */
    rp_map *cache; /* a Han character (UTF-8) -> its Wade-Giles syllable */
};

int mt_romaniser_open(mt_romaniser **out, rp_error *err)
{
    mt_romaniser *r = calloc(1, sizeof *r);
    if (!r || !(r->cache = rp_map_new())) {
        free(r);
        return rp_err(err, RP_NOMEM, NULL);
    }
    UErrorCode st = U_ZERO_ERROR;
    UChar id[64];
    u_uastrcpy(id, "Han-Latin; Latin-ASCII; Lower");
    r->tr = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    if (U_FAILURE(st)) {
        mt_romaniser_close(r);
        return rp_err(err, RP_INTERNAL, "ICU cannot open its Han-Latin transliterator: %s", u_errorName(st));
    }
    u_uastrcpy(id, "Any-Latin; Latin-ASCII");
    r->latin = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    if (U_FAILURE(st)) {
        mt_romaniser_close(r);
        return rp_err(err, RP_INTERNAL, "ICU cannot open its Any-Latin transliterator: %s", u_errorName(st));
    }
    *out = r;
    return RP_OK;
}

void mt_romaniser_close(mt_romaniser *r)
{
    if (!r)
        return;
    if (r->tr)
        utrans_close(r->tr);
    if (r->latin)
        utrans_close(r->latin);
    rp_map_free(r->cache, free);
    free(r);
}

/* ---- Pinyin to the passport's Wade-Giles ---- */

static const char *const initials[] = { "zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k",
                                        "h",  "j",  "q",  "x", "r", "z", "c", "s", NULL };
static const char *const finals[] = { "a",   "o",   "e",    "i",    "u",   "ai",  "ei",  "ao",  "ou",   "an",
                                      "en",  "ang", "eng",  "ong",  "ia",  "ie",  "iao", "iu",  "ian",  "in",
                                      "iang", "ing", "iong", "ua",  "uo",  "uai", "ui",  "uan", "un",   "uang",
                                      "ue",  NULL };

static int in_list(const char *s, const char *const *l)
{
    for (; *l; l++)
        if (strcmp(s, *l) == 0)
            return 1;
    return 0;
}

int mt_pinyin_to_wg(const char *syllable, char *out, size_t n)
{
    static const struct {
        const char *py, *wg;
    } whole[] = {
        { "zi", "tzu" },   { "ci", "tzu" },   { "si", "ssu" },   { "zhi", "chih" }, { "chi", "chih" },
        { "shi", "shih" }, { "ri", "jih" },   { "er", "erh" },   { "e", "o" },      { "a", "a" },
        { "o", "o" },      { "ai", "ai" },    { "ei", "ei" },    { "ao", "ao" },    { "ou", "ou" },
        { "an", "an" },    { "en", "en" },    { "ang", "ang" },  { "eng", "eng" },  { "yi", "yi" },
        { "ya", "ya" },    { "yo", "yo" },    { "ye", "yeh" },   { "yao", "yao" },  { "you", "yu" },
        { "yan", "yen" },  { "yin", "yin" },  { "yang", "yang" }, { "ying", "ying" }, { "yong", "yung" },
        { "yu", "yu" },    { "yue", "yueh" }, { "yuan", "yuan" }, { "yun", "yun" },  { "wu", "wu" },
        { "wa", "wa" },    { "wo", "wo" },    { "wai", "wai" },  { "wei", "wei" },  { "wan", "wan" },
        { "wen", "wen" },  { "wang", "wang" }, { "weng", "weng" },
    };
    char s[16];
    size_t k = 0;
    for (const char *p = syllable; *p && k + 1 < sizeof s; p++) {
        char c = (char)tolower((unsigned char)*p);
        if (c == 'v') /* lv, nv: ü */
            c = 'u';
        else if (c == ':')
            continue; /* lu: */
        s[k++] = c;
    }
    s[k] = 0;
    char wg[16] = "";
    int ok = 0;
    for (size_t i = 0; i < sizeof whole / sizeof whole[0] && !ok; i++)
        if (strcmp(s, whole[i].py) == 0) {
            snprintf(wg, sizeof wg, "%s", whole[i].wg);
            ok = 1;
        }
    if (!ok) {
        const char *ini = NULL;
        for (const char *const *p = initials; *p && !ini; p++)
            if (strncmp(s, *p, strlen(*p)) == 0)
                ini = *p;
        const char *fin = ini ? s + strlen(ini) : NULL;
        if (ini && in_list(fin, finals)) {
            static const struct {
                const char *py, *wg;
            } imap[] = { { "b", "p" }, { "d", "t" }, { "g", "k" }, { "zh", "ch" }, { "j", "ch" }, { "q", "ch" },
                         { "x", "hs" }, { "z", "ts" }, { "c", "ts" }, { "r", "j" } };
            const char *wi = ini;
            for (size_t i = 0; i < sizeof imap / sizeof imap[0]; i++)
                if (strcmp(ini, imap[i].py) == 0)
                    wi = imap[i].wg;
            int gkh = !strcmp(ini, "g") || !strcmp(ini, "k") || !strcmp(ini, "h");
            const char *wf = fin;
            if (!strcmp(fin, "ong"))
                wf = "ung";
            else if (!strcmp(fin, "iong"))
                wf = "iung";
            else if (!strcmp(fin, "ian"))
                wf = "ien";
            else if (!strcmp(fin, "ie"))
                wf = "ieh";
            else if (!strcmp(fin, "ue"))
                wf = "ueh";
            else if (!strcmp(fin, "uo"))
                wf = gkh || !strcmp(ini, "sh") ? "uo" : "o";
            else if (!strcmp(fin, "e"))
                wf = gkh ? "o" : "e";
            else if (!strcmp(fin, "ui"))
                wf = !strcmp(ini, "g") || !strcmp(ini, "k") ? "uei" : "ui";
            snprintf(wg, sizeof wg, "%s%s", wi, wf);
            ok = 1;
        }
    }
    const char *res = ok ? wg : s;
    size_t i = 0;
    for (; res[i] && i + 1 < n; i++)
        out[i] = (char)toupper((unsigned char)res[i]);
    if (n)
        out[i] = 0;
    return ok;
}

/* ---- Han to syllables ---- */

static int is_han(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x2EBEF);
}

/* Characters whose reading as a surname differs from their usual one. */
static const char *surname_reading(const char *ch)
{
    static const char *const t[][2] = { { "曾", "zeng" }, { "單", "shan" }, { "解", "xie" }, { "仇", "qiu" },
                                        { "區", "ou" },   { "查", "zha" },  { "蓋", "ge" },  { "樂", "yue" },
                                        { "繆", "miao" }, { "覃", "qin" },  { "沈", "shen" }, { "尉", "yu" },
                                        { "万", "mo" },   { "員", "yun" },  { "種", "chong" } };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i][0], ch) == 0)
            return t[i][1];
    return NULL;
}

static int han_syllable(mt_romaniser *r, const char *ch, size_t len, int first, char *out, size_t n, rp_error *err)
{
    char key[8];
    memcpy(key, ch, len);
    key[len] = 0;
    const char *sr = first ? surname_reading(key) : NULL;
    if (sr) {
        mt_pinyin_to_wg(sr, out, n);
        return RP_OK;
    }
    const char *hit = rp_map_get(r->cache, key, len);
    if (hit) {
        snprintf(out, n, "%s", hit);
        return RP_OK;
    }
    UChar buf[64];
    int32_t ulen = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8(buf, 64, &ulen, key, (int32_t)len, &st);
    int32_t limit = ulen;
    if (U_SUCCESS(st))
        utrans_transUChars(r->tr, buf, &ulen, 64, 0, &limit, &st);
    char py[64] = "";
    if (U_SUCCESS(st))
        u_strToUTF8(py, (int32_t)sizeof py - 1, NULL, buf, ulen, &st);
    if (U_FAILURE(st))
        return rp_err(err, RP_INTERNAL, "ICU cannot romanise '%s': %s", key, u_errorName(st));
    /* a character ICU does not know comes back as itself: no syllable */
    char wg[16] = "";
    if (py[0] && (unsigned char)py[0] < 0x80)
        mt_pinyin_to_wg(py, wg, sizeof wg);
    char *copy = strdup(wg);
    if (!copy || rp_map_put(r->cache, key, len, copy, NULL)) {
        free(copy);
        return rp_err(err, RP_NOMEM, NULL);
    }
    snprintf(out, n, "%s", wg);
    return RP_OK;
}

int mt_romanise(mt_romaniser *r, const char *zh, char *out, size_t n, rp_error *err)
{
    size_t o = 0, len = strlen(zh);
    int first = 1, in_word = 0;
    if (n)
        out[0] = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int k = rp_utf8_decode(zh + i, len - i, &cp);
        if (k <= 0) {
            i++;
            continue;
        }
        char piece[16] = "";
        int sep = 0;
        if (is_han(cp)) {
            int rc = han_syllable(r, zh + i, (size_t)k, first, piece, sizeof piece, err);
            if (rc)
                return rc;
            first = 0;
            sep = 1;
            in_word = 0;
        } else if (cp < 0x80 && isalnum((int)cp)) {
            piece[0] = (char)toupper((int)cp);
            sep = !in_word;
            in_word = 1;
            first = 0;
        } else {
            in_word = 0;
        }
        if (*piece) {
            int w = snprintf(out + o, n > o ? n - o : 0, "%s%s", o && sep ? " " : "", piece);
            if (w < 0 || (size_t)w >= (n > o ? n - o : 0))
                return rp_err(err, RP_TOOBIG, "romanisation of '%s' longer than %zu bytes", zh, n);
            o += (size_t)w;
        }
        i += (size_t)k;
    }
    return RP_OK;
}

/* ---- names ---- */

/* One form of each variant pair the sources are known to write. */
static void fold_variants(char *s)
{
    static const char *const v[][2] = { { "台", "臺" }, { "裡", "裏" }, { "歎", "嘆" }, { "汙", "污" },
                                        { "祕", "秘" }, { "岩", "巖" }, { "彫", "雕" }, { "峯", "峰" },
                                        { "羣", "群" }, { "爲", "為" }, { "眞", "真" }, { "綫", "線" } };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char *p = s;
        while ((p = strstr(p, v[i][0]))) { /* same byte length: replaced in place */
            memcpy(p, v[i][1], strlen(v[i][1]));
            p += strlen(v[i][1]);
        }
    }
}

/* "CHEN YI CHUN" (syllables) -> "CHEN YICHUN". */
static void join_given(const char *syl, char *out, size_t n)
{
    size_t o = 0;
    int seen_space = 0;
    for (const char *p = syl; *p && o + 1 < n; p++) {
        if (*p == ' ') {
            if (!seen_space)
                out[o++] = ' ';
            seen_space = 1;
            continue;
        }
        out[o++] = *p;
    }
    out[o] = 0;
}

/* Split a run of letters into Pinyin syllables (longest first) and write
 * them in Wade-Giles; 0 if the run is not Pinyin. */
static int pinyin_run(const char *run, size_t len, char *out, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        size_t best = 0;
        char wg[16];
        for (size_t l = len - i < 6 ? len - i : 6; l >= 1 && !best; l--) {
            char s[8];
            memcpy(s, run + i, l);
            s[l] = 0;
            /* a syllable is not followed by a lone vowel-less remainder that cannot start one */
            if (mt_pinyin_to_wg(s, wg, sizeof wg))
                best = l;
        }
        if (!best)
            return 0;
        int w = snprintf(out + o, n > o ? n - o : 0, "%s", wg);
        if (w < 0 || (size_t)w >= (n > o ? n - o : 0))
            return 0;
        o += (size_t)w;
        i += best;
    }
    return 1;
}

int mt_pinyin_query(const char *text, char *out, size_t n)
{
    size_t o = 0, len = strlen(text);
    int changed = 0;
    if (n)
        out[0] = 0;
    if (len > 200)
        return 0;
    for (size_t i = 0; i < len;) {
        if (!isalpha((unsigned char)text[i])) {
            if (text[i] != ' ' && text[i] != '-' && text[i] != ',' && text[i] != '.' && text[i] != '\'') {
                if (n)
                    out[0] = 0;
                return 0;
            }
            i++;
            continue;
        }
        char run[208], wg[256];
        size_t r = 0;
        while (i < len && isalpha((unsigned char)text[i]))
            run[r++] = (char)tolower((unsigned char)text[i++]);
        run[r] = 0;
        if (!pinyin_run(run, r, wg, sizeof wg) || o + strlen(wg) + 1 > n) {
            if (n)
                out[0] = 0;
            return 0;
        }
        for (size_t k = 0; k < r; k++)
            run[k] = (char)toupper((unsigned char)run[k]);
        changed |= strcmp(run, wg) != 0;
        memcpy(out + o, wg, strlen(wg) + 1);
        o += strlen(wg);
    }
    if (!changed && n)
        out[0] = 0;
    return changed && o > 0;
}

/* Text in any script or with accents in ASCII (in itself when it is, or when ICU cannot) */
static const char *to_ascii(mt_romaniser *r, const char *in, char *out, size_t n)
{
    const unsigned char *p = (const unsigned char *)in;
    while (*p && *p < 0x80)
        p++;
    if (!*p || !r || !r->latin)
        return in;
    UChar buf[320];
    int32_t ulen = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8(buf, 160, &ulen, in, -1, &st);
    int32_t limit = ulen;
    if (U_SUCCESS(st))
        utrans_transUChars(r->latin, buf, &ulen, 320, 0, &limit, &st);
    if (U_SUCCESS(st))
        u_strToUTF8(out, (int32_t)n - 1, NULL, buf, ulen, &st);
    if (U_FAILURE(st))
        return in;
    out[n - 1] = 0;
    return out;
}

/* English given names and the names they stand for (the nicknames record-linkage benchmarks corrupt names
 * with, and a clerk writes), and companies' legal forms in one spelling: sorted by the first */
static const char *const nicknames[][2] = {
    { "ABBY", "ABIGAIL" }, { "AL", "ALBERT" }, { "ALEX", "ALEXANDER" }, { "ANDY", "ANDREW" },
    { "ANNIE", "ANN" }, { "BEN", "BENJAMIN" }, { "BETH", "ELIZABETH" }, { "BETTY", "ELIZABETH" },
    { "BILL", "WILLIAM" }, { "BILLY", "WILLIAM" }, { "BOB", "ROBERT" }, { "BOBBY", "ROBERT" },
    { "CATHY", "CATHERINE" }, { "CHARLIE", "CHARLES" }, { "CHRIS", "CHRISTOPHER" }, { "CHUCK", "CHARLES" },
    { "COMPANY", "CO" }, { "CORPORATION", "CORP" }, { "DAN", "DANIEL" }, { "DANNY", "DANIEL" },
    { "DAVE", "DAVID" }, { "DICK", "RICHARD" }, { "DON", "DONALD" }, { "ED", "EDWARD" },
    { "EDDIE", "EDWARD" }, { "FRANK", "FRANCIS" }, { "FRED", "FREDERICK" }, { "GREG", "GREGORY" },
    { "INCORPORATED", "INC" }, { "JACK", "JOHN" }, { "JAKE", "JACOB" }, { "JEFF", "JEFFREY" },
    { "JENNY", "JENNIFER" }, { "JIM", "JAMES" }, { "JIMMY", "JAMES" }, { "JOE", "JOSEPH" },
    { "JOEY", "JOSEPH" }, { "JOHNNY", "JOHN" }, { "JON", "JONATHAN" }, { "KATE", "KATHERINE" },
    { "KATHY", "KATHERINE" }, { "KATIE", "KATHERINE" }, { "KEN", "KENNETH" }, { "LARRY", "LAWRENCE" },
    { "LIMITED", "LTD" }, { "LIZ", "ELIZABETH" }, { "LIZZIE", "ELIZABETH" }, { "MAGGIE", "MARGARET" },
    { "MATT", "MATTHEW" }, { "MEG", "MARGARET" }, { "MICK", "MICHAEL" }, { "MIKE", "MICHAEL" },
    { "NATE", "NATHAN" }, { "NICK", "NICHOLAS" }, { "PAM", "PAMELA" }, { "PAT", "PATRICK" },
    { "PEGGY", "MARGARET" }, { "PETE", "PETER" }, { "PHIL", "PHILIP" }, { "PROPRIETARY", "PTY" },
    { "RICH", "RICHARD" }, { "RICK", "RICHARD" }, { "ROB", "ROBERT" }, { "RON", "RONALD" },
    { "SAM", "SAMUEL" }, { "SANDY", "SANDRA" }, { "STEVE", "STEPHEN" }, { "SUE", "SUSAN" },
    { "SUSIE", "SUSAN" }, { "TED", "EDWARD" }, { "TIM", "TIMOTHY" }, { "TOM", "THOMAS" },
    { "TOMMY", "THOMAS" }, { "TONY", "ANTHONY" }, { "VICKY", "VICTORIA" }, { "WILL", "WILLIAM" },
};

static int by_nick(const void *k, const void *e) { return strcmp(k, *(const char *const *)e); }

static int by_word(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* The words of a name (letters upper-cased; hyphens and apostrophes join), nicknames as their names, sorted */
static void sorted_key(const char *name, char *out, size_t n)
{
    char buf[160], *words[16];
    int nw = 0;
    size_t b = 0;
    *out = 0;
    if (!name)
        return;
    for (const char *p = name;; p++) {
        if (isalnum((unsigned char)*p) && b + 2 < sizeof buf) {
            buf[b++] = (char)toupper((unsigned char)*p);
        } else if (*p == '-' || *p == '\'' || *p == '.') {
            continue; /* YI-CHUN, O'BRIEN, ST.JOHN: one word */
        } else {
            if (b && buf[b - 1] && nw < 16) {
                buf[b++] = 0;
                size_t start = b - 1;
                while (start > 0 && buf[start - 1])
                    start--;
                words[nw++] = &buf[start];
            }
            if (!*p)
                break;
        }
    }
    size_t o = 0;
    for (int i = 0; i < nw; i++) {
        const char *const *hit = bsearch(words[i], nicknames, sizeof nicknames / sizeof *nicknames,
                                         sizeof *nicknames, by_nick);
        if (hit)
            words[i] = (char *)hit[1];
    }
    qsort(words, (size_t)nw, sizeof *words, by_word);
    for (int i = 0; i < nw && o + strlen(words[i]) + 2 < n; i++)
        o += (size_t)snprintf(out + o, n - o, "%s%s", i ? " " : "", words[i]);
}

static void latin_keys(const char *latin, char *key, size_t kn, char *alt, size_t an)
{
    char up[160];
    size_t u = 0;
    for (const char *p = latin; *p && u + 1 < sizeof up; p++)
        up[u++] = (char)toupper((unsigned char)*p);
    up[u] = 0;
    /* surname: before a comma, else the first word */
    char sur[64] = "", given[128] = "";
    char *comma = strchr(up, ',');
    const char *g;
    if (comma) {
        *comma = 0;
        g = comma + 1;
        size_t s = 0;
        for (const char *p = up; *p && s + 1 < sizeof sur; p++)
            if (isalpha((unsigned char)*p))
                sur[s++] = *p;
        sur[s] = 0;
    } else {
        const char *p = up;
        while (*p && !isalpha((unsigned char)*p))
            p++;
        size_t s = 0;
        while (*p && isalpha((unsigned char)*p) && s + 1 < sizeof sur)
            sur[s++] = *p++;
        sur[s] = 0;
        g = p;
    }
    size_t gi = 0;
    for (const char *p = g; *p && gi + 1 < sizeof given; p++)
        if (isalpha((unsigned char)*p))
            given[gi++] = *p;
    given[gi] = 0;
    snprintf(key, kn, "%.40s%s%.50s", sur, *sur && *given ? " " : "", given);
    /* read as Pinyin */
    char lower_s[64], lower_g[128], ws[96] = "", wgv[128] = "";
    for (size_t i = 0; i <= strlen(sur); i++)
        lower_s[i] = (char)tolower((unsigned char)sur[i]);
    for (size_t i = 0; i <= strlen(given); i++)
        lower_g[i] = (char)tolower((unsigned char)given[i]);
    alt[0] = 0;
    if (pinyin_run(lower_s, strlen(lower_s), ws, sizeof ws) && pinyin_run(lower_g, strlen(lower_g), wgv, sizeof wgv)) {
        char a[240];
        snprintf(a, sizeof a, "%.95s%s%.127s", ws, *ws && *wgv ? " " : "", wgv);
        if (strcmp(a, key) != 0 && strlen(a) < an)
            memcpy(alt, a, strlen(a) + 1);
    }
}

int mt_name_standardise(mt_romaniser *r, const char *zh, const char *latin, mt_name *out, rp_error *err)
{
    memset(out, 0, sizeof *out);
    if (zh && *zh) {
        int changed;
        rp_error ignore = RP_ERROR_INIT;
        if (rp_clean_name(zh, out->han, sizeof out->han, &changed, &ignore))
            snprintf(out->han, sizeof out->han, "%s", zh);
        fold_variants(out->han);
        char syl[160];
        int rc = mt_romanise(r, out->han, syl, sizeof syl, err);
        if (rc)
            return rc;
        join_given(syl, out->han_key, sizeof out->han_key);
    }
    char ascii[160];
    if (latin && *latin) {
        latin = to_ascii(r, latin, ascii, sizeof ascii);
        latin_keys(latin, out->latin_key, sizeof out->latin_key, out->latin_alt, sizeof out->latin_alt);
    }
    sorted_key(latin && *latin ? latin : out->han_key, out->sorted, sizeof out->sorted);
    return RP_OK;
}

double mt_name_similarity(const mt_name *a, const mt_name *b)
{
    double best = 0;
    if (*a->han && *b->han)
        best = mt_jaro_winkler(a->han, b->han);
    const char *ka[3] = { a->han_key, a->latin_key, a->latin_alt };
    const char *kb[3] = { b->han_key, b->latin_key, b->latin_alt };
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            if (*ka[i] && *kb[j]) {
                double s = mt_jaro_winkler(ka[i], kb[j]);
                if (s > best)
                    best = s;
            }
    return best;
}

/* ---- addresses of any country ---- */

/* The words of street addresses and the one form each is compared in, sorted by word */
static const char *const address_words[][2] = {
    { "APARTMENT", "UNIT" }, { "APT", "UNIT" },      { "AV", "AVE" },        { "AVENUE", "AVE" },
    { "BOULEVARD", "BLVD" }, { "CIRCUIT", "CCT" },   { "CLOSE", "CL" },      { "COURT", "CT" },
    { "CRESCENT", "CRES" },  { "DRIVE", "DR" },      { "EAST", "E" },        { "FLAT", "UNIT" },
    { "FLOOR", "FL" },       { "HIGHWAY", "HWY" },   { "LANE", "LN" },       { "MOUNT", "MT" },
    { "NORTH", "N" },        { "NUMBER", "NO" },     { "PARADE", "PDE" },    { "PLACE", "PL" },
    { "ROAD", "RD" },        { "SAINT", "ST" },      { "SOUTH", "S" },       { "SQUARE", "SQ" },
    { "STR", "ST" },         { "STRASSE", "ST" },    { "STREET", "ST" },     { "SUITE", "UNIT" },
    { "TERRACE", "TCE" },    { "WEST", "W" },
};

void mt_address_words(mt_romaniser *r, const char *address, const char *postal_code, char *street, size_t sn,
                      char *area, size_t an)
{
    char ascii[400], word[64], last[64] = "";
    const char *a = to_ascii(r, address ? address : "", ascii, sizeof ascii);
    size_t o = 0, w = 0;
    *street = *area = 0;
    for (const char *p = a;; p++) {
        if (isalnum((unsigned char)*p)) {
            if (w + 1 < sizeof word)
                word[w++] = (char)toupper((unsigned char)*p);
            continue;
        }
        if (w) {
            word[w] = 0;
            const char *const *hit = bsearch(word, address_words, sizeof address_words / sizeof *address_words,
                                             sizeof *address_words, by_nick);
            const char *x = hit ? hit[1] : word;
            if (o + strlen(x) + 2 < sn)
                o += (size_t)snprintf(street + o, sn - o, "%s%s", o ? " " : "", x);
            snprintf(last, sizeof last, "%s", x);
            w = 0;
        }
        if (!*p)
            break;
    }
    size_t k = 0;
    for (const char *p = postal_code ? postal_code : ""; *p && k + 1 < an; p++)
        if (isalnum((unsigned char)*p))
            area[k++] = (char)toupper((unsigned char)*p);
    area[k] = 0;
    if (!k)
        snprintf(area, an, "%s", last);
}

/* ---- names word by word ---- */

static int split_words(const char *s, char w[8][64])
{
    int n = 0;
    while (*s && n < 8) {
        while (*s == ' ')
            s++;
        size_t k = 0;
        while (*s && *s != ' ') {
            if (k + 1 < 64)
                w[n][k++] = *s;
            s++;
        }
        w[n][k] = 0;
        if (k)
            n++;
    }
    return n;
}

double mt_words_similarity(const char *a, const char *b)
{
    char wa[8][64], wb[8][64];
    int na = split_words(a, wa), nb = split_words(b, wb);
    if (!na || !nb)
        return 0;
    if (na == 1 && nb == 1)
        return mt_jaro_winkler(wa[0], wb[0]);
    double s[8][8];
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++)
            s[i][j] = mt_jaro_winkler(wa[i], wb[j]);
    /* the best pairs first, each word once */
    int used_a = 0, used_b = 0, pairs = na < nb ? na : nb;
    double sum = 0;
    for (int k = 0; k < pairs; k++) {
        int bi = -1, bj = -1;
        for (int i = 0; i < na; i++)
            for (int j = 0; j < nb; j++)
                if (!(used_a >> i & 1) && !(used_b >> j & 1) && (bi < 0 || s[i][j] > s[bi][bj]))
                    bi = i, bj = j;
        sum += s[bi][bj];
        used_a |= 1 << bi;
        used_b |= 1 << bj;
    }
    return sum / (na > nb ? na : nb);
}

/* ---- Jaro-Winkler over code points ---- */

#define JW_MAX 256

static int to_cps(const char *s, uint32_t *cp)
{
    int n = 0;
    size_t len = strlen(s);
    for (size_t i = 0; i < len && n < JW_MAX;) {
        int k = rp_utf8_decode(s + i, len - i, &cp[n]);
        if (k <= 0) {
            cp[n] = (unsigned char)s[i];
            k = 1;
        }
        n++;
        i += (size_t)k;
    }
    return n;
}

double mt_jaro_winkler(const char *a, const char *b)
{
    uint32_t x[JW_MAX], y[JW_MAX];
    int n = to_cps(a, x), m = to_cps(b, y);
    if (!n || !m)
        return 0;
    if (n == m && memcmp(x, y, (size_t)n * sizeof *x) == 0)
        return 1;
    int window = (n > m ? n : m) / 2 - 1;
    if (window < 0)
        window = 0;
    char mx[JW_MAX] = { 0 }, my[JW_MAX] = { 0 };
    int matches = 0;
    for (int i = 0; i < n; i++) {
        int lo = i - window < 0 ? 0 : i - window, hi = i + window + 1 > m ? m : i + window + 1;
        for (int j = lo; j < hi; j++)
            if (!my[j] && x[i] == y[j]) {
                mx[i] = my[j] = 1;
                matches++;
                break;
            }
    }
    if (!matches)
        return 0;
    int t = 0;
    for (int i = 0, j = 0; i < n; i++) {
        if (!mx[i])
            continue;
        while (!my[j])
            j++;
        if (x[i] != y[j])
            t++;
        j++;
    }
    double mm = matches;
    double jaro = (mm / n + mm / m + (mm - t / 2.0) / mm) / 3.0;
    int prefix = 0;
    while (prefix < 4 && prefix < n && prefix < m && x[prefix] == y[prefix])
        prefix++;
    return jaro + prefix * 0.1 * (1 - jaro);
}

/* ---- addresses ---- */

/* The code point at s, and its length in bytes (0 at the end). */
static int cp_at(const char *s, uint32_t *cp)
{
    if (!*s)
        return 0;
    int k = rp_utf8_decode(s, strlen(s), cp);
    return k > 0 ? k : 1;
}

/* Chinese numerals (一 to 九十九) and digits at s to a number; *len bytes read. */
static int read_number(const char *s, long *v, size_t *len)
{
    static const char *const digits[] = { "零", "一", "二", "三", "四", "五", "六", "七", "八", "九" };
    const char *p = s;
    long val = 0, cur = 0;
    int any = 0, han = 0;
    if (isdigit((unsigned char)*p)) {
        while (isdigit((unsigned char)*p) && val < 100000000)
            val = val * 10 + (*p++ - '0');
        *v = val;
        *len = (size_t)(p - s);
        return 1;
    }
    for (;;) {
        int d = -1;
        for (int i = 0; i < 10; i++)
            if (strncmp(p, digits[i], 3) == 0)
                d = i;
        if (d >= 0) {
            cur = d;
            p += 3;
            any = han = 1;
        } else if (strncmp(p, "十", 3) == 0) {
            val += (cur ? cur : 1) * 10;
            cur = 0;
            p += 3;
            any = han = 1;
        } else {
            break;
        }
    }
    (void)han;
    if (!any)
        return 0;
    *v = val + cur;
    *len = (size_t)(p - s);
    return 1;
}

/* If s starts with a number followed by unit, copy "N" into out and advance. */
static int take_unit(const char **s, const char *unit, char *out, size_t n)
{
    long v;
    size_t len;
    if (!read_number(*s, &v, &len))
        return 0;
    const char *p = *s + len;
    /* 200之1號, 200-1號: a number with its sub-number */
    char sub[16] = "";
    if (strncmp(p, "之", 3) == 0 || *p == '-') {
        const char *q = p + (*p == '-' ? 1 : 3);
        long sv;
        size_t sl;
        if (read_number(q, &sv, &sl)) {
            snprintf(sub, sizeof sub, "-%ld", sv);
            p = q + sl;
        }
    }
    if (strncmp(p, unit, strlen(unit)) != 0)
        return 0;
    snprintf(out, n, "%ld%s", v, sub);
    *s = p + strlen(unit);
    return 1;
}

void mt_address_parse(const char *address, mt_address *out)
{
    memset(out, 0, sizeof *out);
    char clean[512];
    int changed;
    rp_error ignore = RP_ERROR_INIT;
    if (rp_clean_address(address ? address : "", clean, sizeof clean, &changed, &ignore))
        snprintf(clean, sizeof clean, "%s", address ? address : "");
    const char *p = clean;
    /* a leading postal code */
    while (isdigit((unsigned char)*p) || *p == ' ')
        p++;
    /* county: three characters ending in 市 or 縣 */
    uint32_t cp;
    const char *q = p;
    int k, chars = 0;
    while (chars < 3 && (k = cp_at(q, &cp)) > 0) {
        q += k;
        chars++;
    }
    if (chars == 3 && q - p == 9 && (strncmp(q - 3, "市", 3) == 0 || strncmp(q - 3, "縣", 3) == 0)) {
        snprintf(out->county, sizeof out->county, "%.*s", (int)(q - p), p);
        p = q;
    }
    /* district: up to four characters ending in 區, 鄉, 鎮 or 市 */
    q = p;
    for (chars = 0; chars < 4 && (k = cp_at(q, &cp)) > 0; chars++) {
        q += k;
        if (chars >= 1 && q - p >= 6 && (strncmp(q - 3, "區", 3) == 0 || strncmp(q - 3, "鄉", 3) == 0 ||
                           strncmp(q - 3, "鎮", 3) == 0 || strncmp(q - 3, "市", 3) == 0)) {
            snprintf(out->district, sizeof out->district, "%.*s", (int)(q - p), p);
            p = q;
            break;
        }
    }
    /* road: up to 路, 街 or 大道, with its section */
    static const char *const ends[] = { "大道", "路", "街", NULL };
    const char *best = NULL;
    size_t best_len = 0;
    for (const char *const *e = ends; *e; e++) {
        const char *hit = strstr(p, *e);
        if (hit && (!best || hit < best)) {
            best = hit;
            best_len = strlen(*e);
        }
    }
    if (best) {
        const char *end = best + best_len;
        long sec;
        size_t sl;
        char section[16] = "";
        if (read_number(end, &sec, &sl) && strncmp(end + sl, "段", 3) == 0) {
            snprintf(section, sizeof section, "%ld段", sec);
            end += sl + 3;
        }
        snprintf(out->road, sizeof out->road, "%.*s%s", (int)(best + best_len - p), p, section);
        p = end;
    }
    take_unit(&p, "巷", out->lane, sizeof out->lane);
    take_unit(&p, "弄", out->alley, sizeof out->alley);
    take_unit(&p, "號", out->number, sizeof out->number);
    if (!take_unit(&p, "樓", out->floor, sizeof out->floor))
        take_unit(&p, "F", out->floor, sizeof out->floor);
    while (*p == ' ' || *p == ',')
        p++;
    snprintf(out->rest, sizeof out->rest, "%s", p);
}
