/* send.c — a campaign's e-mail sent for real through an SMTP server (libcurl), personalised, with
 * a signed one-click unsubscribe (RFC 8058: List-Unsubscribe and List-Unsubscribe-Post; a POST to
 * the link withdraws the consent, a GET only shows the page); each message kept in campaign_send and
 * entered in the customer's contact history.  See marketing.h. */
#include "marketing/internal.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/buf.h"
#include "core/log.h"

#define BATCH 50                       /* messages a transaction records */

/* ---- the unsubscribe link ---- */

/* E-mail's token: "CAMPAIGN.ID.HEX" (the whole keyed hash); a text message's "CAMPAIGN.IDs.HEX" with 64
 * bits of it, so that the link fits a message (forging one still takes 2^64 tries at the server). */
static void token_for(wh *w, const char *campaign, int64_t customer, int sms, char out[MK_TOKEN_MAX])
{
    char what[80];
    int n = snprintf(what, sizeof what, "%.40s.%lld%s", campaign, (long long)customer, sms ? "s" : "");
    unsigned char h[RP_HASH_LEN];
    wh_keyed_hash(w, "unsubscribe", what, (size_t)n, h);
    char hex[2 * RP_HASH_LEN + 1];
    sodium_bin2hex(hex, sizeof hex, h, sms ? 8 : sizeof h);
    snprintf(out, MK_TOKEN_MAX, "%s.%s", what, hex);
}

void mk_unsubscribe_token(wh *w, const char *campaign, int64_t customer, char out[MK_TOKEN_MAX])
{
    token_for(w, campaign, customer, 0, out);
}

int mk_unsubscribe(wh *w, const char *token, int apply, json_t **out, rp_error *err)
{
    char code[41] = "", want[MK_TOKEN_MAX];
    long long id = 0;
    int used = 0;
    const char *dot = token ? strchr(token, '.') : NULL;
    if (!dot || dot == token || dot - token > 40 || sscanf(dot + 1, "%lld%n", &id, &used) != 1 || id <= 0)
        return rp_err(err, RP_NOTFOUND, "this unsubscribe link is not valid");
    memcpy(code, token, (size_t)(dot - token));
    int sms = dot[1 + used] == 's';
    const char *channel = sms ? "sms" : "email";
    token_for(w, code, id, sms, want);
    if (strlen(token) != strlen(want) || sodium_memcmp(token, want, strlen(want)))
        return rp_err(err, RP_NOTFOUND, "this unsubscribe link is not valid");
    json_t *doc;
    int rc = mk_campaign_get(w, code, &doc, err);
    if (rc)
        return rc == RP_NOTFOUND ? rp_err(err, RP_NOTFOUND, "this unsubscribe link is not valid") : rc;
    const char *purpose = json_string_value(json_object_get(doc, "purpose"));
    if (!purpose || mk__index(purpose, wh_consent_purposes) < 0)
        purpose = "marketing";
    json_t *hist = NULL;
    if (apply && !(rc = wh_consent_history(w, id, &hist, err))) {
        /* already withdrawn on e-mail for this purpose (the newest such row): nothing to add, so a
         * link posted again and again does not grow the table */
        size_t i;
        json_t *h;
        json_array_foreach(hist, i, h) {
            const char *hp = json_string_value(json_object_get(h, "purpose")),
                       *hc = json_string_value(json_object_get(h, "channel"));
            if (hp && hc && !strcmp(hp, purpose) && !strcmp(hc, channel)) {
                json_t *g = json_object_get(h, "granted");
                if (json_is_integer(g) ? !json_integer_value(g) : json_is_false(g))
                    apply = 2;
                break;
            }
        }
        json_decref(hist);
    }
    if (apply == 1 && !rc) {
        char now[RP_TIME_UTC_LEN], evidence[120];
        mk__now(now);
        snprintf(evidence, sizeof evidence, sms ? "unsubscribe link in a text message, campaign %s"
                                                : "one-click unsubscribe (RFC 8058), campaign %s", code);
        wh_consent c = { .party_id = id, .purpose = purpose, .channel = channel, .granted = 0, .evidence = evidence,
                         .effective_at = now, .recorded_by = "unsubscribe" };
        rc = wh_consent_set(w, &c, err);
    }
    if (!rc)
        *out = json_pack("{s:s, s:s?, s:s, s:s, s:b}", "campaign", code, "name",
                         json_string_value(json_object_get(doc, "name")), "purpose", purpose, "channel", channel,
                         "withdrawn", apply != 0);
    json_decref(doc);
    return rc;
}

/* ---- the message ---- */

typedef struct rcpt {
    int64_t id;
    char *name, *email;                /* email: the address, or a text message's number (+8869...) */
} rcpt;

typedef struct sender {
    wh *w;
    const mk_mart *m;
    const mk_mail *o;
    const char *purpose, *by;
    int sms;                           /* a text message through the SMS gateway, else e-mail */
    const char *country;               /* sms: a national number's country code ("886") */
    char cell[40], offer_name[200], from_addr[256], domain[200];
    const char *tmpl;
    char *own_tmpl;
    int contact;
    int64_t cap;
    rcpt *r;
    size_t n, room;
    mk__waves waves;
    int64_t not_started, wave_ended;
    int64_t *sent;                     /* already sent (or refused) by the campaign, ascending */
    uint8_t *refused;                  /* ...: the server refused it */
    size_t nsent, cell_sent;           /* ...; of them, sent by this cell (its cap) */
    int64_t refused_before;
    int64_t gone[4], missing, over_cap, later, already;
} sender;

static const char default_tmpl[] = "{name} 您好：\n\n{offer}\n\n"
                                   "如不想再收到這類訊息，請按此取消訂閱 / To stop these messages: {unsubscribe}\n";
static const char default_sms[] = "{name} 您好：{offer}。拒收請點 {unsubscribe}";

/* The template's placeholders are {name}, {offer} and {unsubscribe}; any other is refused by name. */
static int tmpl_ok(const char *t, rp_error *err)
{
    static const char *const known[] = { "name", "offer", "unsubscribe", NULL };
    for (const char *p = strchr(t, '{'); p; p = strchr(p + 1, '{')) {
        const char *e = strchr(p, '}');
        char key[32];
        if (!e || e - p - 1 >= (long)sizeof key)
            return rp_err(err, RP_INVAL, "message: a '{' without its '}' (placeholders: {name}, {offer}, {unsubscribe})");
        memcpy(key, p + 1, (size_t)(e - p - 1));
        key[e - p - 1] = 0;
        if (mk__index(key, known) < 0)
            return rp_err(err, RP_INVAL, "message: unknown placeholder {%s} (placeholders: {name}, {offer}, "
                                         "{unsubscribe})", key);
    }
    return RP_OK;
}

static void b64(rp_buf *b, const void *p, size_t n, int wrap)
{
    size_t cap = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
    char *s = malloc(cap);
    if (!s) {
        b->status = RP_NOMEM;  /* sticky: the caller checks the buffer's status */
        return;
    }
    sodium_bin2base64(s, cap, p, n, sodium_base64_VARIANT_ORIGINAL);
    size_t len = strlen(s);
    for (size_t i = 0; i < len; i += 76) {
        rp_buf_append(b, s + i, len - i < 76 ? len - i : 76);
        if (wrap)
            rp_buf_append(b, "\r\n", 2);
    }
    free(s);
}

/* A header's UTF-8 text as RFC 2047 encoded words, each of at most 45 bytes of whole characters. */
static void encoded_words(rp_buf *b, const char *s)
{
    size_t n = strlen(s);
    for (size_t at = 0; at < n;) {
        size_t k = n - at < 45 ? n - at : 45;
        while (k > 0 && at + k < n && ((unsigned char)s[at + k] & 0xC0) == 0x80)
            k--;
        if (k == 0) /* not UTF-8 (no character starts within 45 bytes): cut anyway, never stand still */
            k = n - at < 45 ? n - at : 45;
        rp_buf_printf(b, "%s=?UTF-8?B?", at ? "\r\n " : "");
        b64(b, s + at, k, 0);
        rp_buf_append(b, "?=", 2);
        at += k;
    }
}

/* The template with the customer's name, the offer and the link (tmpl_ok checked its placeholders);
 * with crlf, line ends as CRLF (e-mail's). */
static void expand(rp_buf *t, const sender *s, const rcpt *r, const char *link, int crlf)
{
    for (const char *p = s->tmpl; *p; p++) {
        if (*p == '{') {
            const char *e = strchr(p, '}');
            size_t k = (size_t)(e - p - 1);
            const char *v = !strncmp(p + 1, "name", k) ? r->name : !strncmp(p + 1, "offer", k) ? s->offer_name : link;
            rp_buf_append(t, v, strlen(v));
            p = e;
        } else if (*p == '\n' && crlf)
            rp_buf_append(t, "\r\n", 2);
        else
            rp_buf_append(t, p, 1);
    }
}

/* The body: the template, CRLF line ends; a marketing message always says how to stop them. */
static void body_text(rp_buf *t, const sender *s, const rcpt *r, const char *link)
{
    expand(t, s, r, link, 1);
    if (!strstr(s->tmpl, "{unsubscribe}"))
        rp_buf_printf(t, "\r\n--\r\n取消訂閱 / Unsubscribe: %s\r\n", link);
}

static int compose(const sender *s, const rcpt *r, rp_buf *b, char msgid[300])
{
    char token[MK_TOKEN_MAX], link[600], date[64], rnd[17];
    mk_unsubscribe_token(s->w, s->o->campaign, r->id, token);
    snprintf(link, sizeof link, "%s/api/v1/unsubscribe/%s", s->o->unsubscribe_base, token);
    unsigned char raw[8];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(rnd, sizeof rnd, raw, sizeof raw);
    time_t now = (time_t)rp_now();
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    snprintf(msgid, 300, "<%.40s.%lld.%s@%.200s>", s->o->campaign, (long long)r->id, rnd, s->domain);
    const char *lt = strchr(s->o->from, '<');
    rp_buf_append(b, "From: ", 6);
    if (lt && lt > s->o->from) {  /* the display name, encoded when it is not ASCII */
        char name[200];
        size_t n = (size_t)(lt - s->o->from);
        while (n && s->o->from[n - 1] == ' ')
            n--;
        snprintf(name, sizeof name, "%.*s", (int)n, s->o->from);
        int ascii = 1;
        for (const char *p = name; *p; p++)
            ascii &= (unsigned char)*p < 0x80;
        if (ascii) { /* quoted: "Bank, Taipei" is one name, not two mailboxes */
            rp_buf_putc(b, '"');
            for (const char *q = name; *q; q++) {
                if (*q == '"' || *q == '\\')
                    rp_buf_putc(b, '\\');
                rp_buf_putc(b, *q);
            }
            rp_buf_putc(b, '"');
        } else
            encoded_words(b, name);
        rp_buf_append(b, " ", 1);
    }
    rp_buf_printf(b, "<%s>\r\nTo: <%s>\r\nSubject: ", s->from_addr, r->email);
    encoded_words(b, s->o->subject && *s->o->subject ? s->o->subject : s->offer_name);
    rp_buf_printf(b, "\r\nDate: %s\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n"
                      "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n"
                      "List-Unsubscribe: <%s>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
                      "X-Rapport-Campaign: %s\r\n\r\n",
                   date, msgid, link, s->o->campaign);
    rp_buf t = RP_BUF_INIT;
    body_text(&t, s, r, link);
    b64(b, t.data ? t.data : "", t.len, 1);
    int bad = t.status || b->status;
    rp_buf_release(&t);
    return bad ? RP_NOMEM : RP_OK;
}

/* ---- whom: the cell's treated who may still be mailed and were not yet ---- */

/* 0 not sent before, 1 sent, 2 refused by the server */
static int already_sent(const sender *s, int64_t id)
{
    size_t lo = 0, hi = s->nsent;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->sent[mid] == id)
            return 1 + s->refused[mid];
        if (s->sent[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* A mobile as the gateway takes it: +COUNTRY then the digits; a national number (a leading 0) in
 * country's; blanks, dashes, dots and brackets dropped; 0 when it is not 8 to 15 digits. */
static int sms_number(const char *in, const char *country, char out[24])
{
    char d[17]; /* E.164: at most 15 digits (and a leading 0 or 00 more is refused by the count below) */
    size_t n = 0;
    int plus = 0;
    for (const char *p = in ? in : ""; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n + 1 >= sizeof d)
                return 0;
            d[n++] = *p;
        } else if (*p == '+' && n == 0 && !plus)
            plus = 1;
        else if (!strchr(" -.()", *p))
            return 0;
    }
    d[n] = 0;
    if (!plus && n && d[0] == '0' && d[1] != '0')
        snprintf(out, 24, "+%s%s", country, d + 1);
    else if (!plus && n > 2 && d[0] == '0' && d[1] == '0') /* 00: the international prefix */
        snprintf(out, 24, "+%s", d + 2);
    else
        snprintf(out, 24, "+%s", d);
    size_t digits = strlen(out) - 1;
    return digits >= 8 && digits <= 15;
}

static int gather(void *u, const wh_reach_row *row, rp_error *err)
{
    sender *s = u;
    int ws = mk__wave_state(&s->waves, row->wave);
    if (ws) {
        *(ws > 0 ? &s->wave_ended : &s->not_started) += 1;
        return RP_OK;
    }
    int before = already_sent(s, row->party_id);
    if (before) {
        *(before == 2 ? &s->refused_before : &s->already) += 1;
        return RP_OK;
    }
    int why = mk__reach_now(s->m, s->purpose, s->contact, row->party_id);
    if (why >= 0) {
        s->gone[why]++;
        return RP_OK;
    }
    char number[24];
    const char *addr = s->sms ? (sms_number(row->mobile, s->country, number) ? number : NULL) : row->email;
    if (!addr || !*addr || strpbrk(addr, "\r\n<>")) {
        s->missing++;
        return RP_OK;
    }
    if (s->cap > 0 && (int64_t)(s->cell_sent + s->n) >= s->cap) {
        s->over_cap++;
        return RP_OK;
    }
    if (s->o->limit > 0 && (int64_t)s->n >= s->o->limit) {
        s->later++;
        return RP_OK;
    }
    if (s->n == s->room) {
        size_t room = s->room ? s->room * 2 : 256;
        rcpt *r = realloc(s->r, room * sizeof *r);
        if (!r)
            return rp_err(err, RP_NOMEM, NULL);
        s->r = r, s->room = room;
    }
    rcpt *r = &s->r[s->n];
    const char *name = row->name_zh ? row->name_zh : row->name_latin ? row->name_latin : "";
    if (!(r->name = strdup(name)) || !(r->email = strdup(addr))) {
        free(r->name);
        return rp_err(err, RP_NOMEM, NULL);
    }
    r->id = row->party_id;
    s->n++;
    return RP_OK;
}

static int load_sent(sender *s, rp_error *err)
{
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(s->w),
                              "SELECT party_id, cell, status = 'failed' FROM campaign_send WHERE campaign = ? AND "
                              "channel = ? AND (status = 'sent' OR ? = 0) ORDER BY party_id",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, s->o->campaign);
    rp_stmt_bind_text(st, 2, s->sms ? "sms" : "email");
    rp_stmt_bind_int(st, 3, s->o->retry_failed);
    size_t room = 0;
    while ((rc = rp_stmt_step(st, err)) == RP_ROW) {
        if (s->nsent == room) {
            room = room ? room * 2 : 256;
            int64_t *p = realloc(s->sent, room * sizeof *p);
            uint8_t *q = p ? realloc(s->refused, room) : NULL;
            if (p)
                s->sent = p;
            if (!q) {
                rp_stmt_done(st);
                return rp_err(err, RP_NOMEM, NULL);
            }
            s->refused = q;
        }
        int failed = (int)rp_stmt_int(st, 2);
        s->refused[s->nsent] = (uint8_t)failed;
        s->sent[s->nsent++] = rp_stmt_int(st, 0);
        s->cell_sent += !failed && rp_stmt_text(st, 1) && !strcmp(rp_stmt_text(st, 1), s->o->cell ? s->o->cell : "");
    }
    rp_stmt_done(st);
    return rc == RP_DONE ? RP_OK : rc;
}

/* The campaign is running, the cell is of e-mail and not paused; its offer's name, its template. */
static int setup(sender *s, rp_error *err)
{
    mk__campaign c;
    int rc = mk__campaign_cells(s->w, s->o->campaign, &c, err);
    if (rc)
        return rc;
    const mk__cell *cell = mk__campaign_cell(&c, s->o->cell);
    const char *what = s->sms ? "text messages are" : "e-mail is", *channel = s->sms ? "sms" : "email";
    if (strcmp(c.status, "running"))
        rc = rp_err(err, RP_DENIED, "campaign %s is %s: %s sent while it runs", s->o->campaign, c.status, what);
    else if (!cell)
        rc = rp_err(err, RP_NOTFOUND, "campaign %s has no cell '%.40s'", s->o->campaign, s->o->cell ? s->o->cell : "");
    else if (strcmp(cell->channel, channel))
        rc = rp_err(err, RP_INVAL, "cell %s is of channel %s: only an email or sms cell is sent", s->o->cell,
                    cell->channel);
    else if (cell->paused)
        rc = rp_err(err, RP_DENIED, "cell %s is paused ('rapport campaign cell %s %s --resume')", s->o->cell,
                    s->o->campaign, s->o->cell);
    if (!rc) {
        const char *msg = s->o->body ? s->o->body : cell->message;
        s->own_tmpl = strdup(msg && *msg ? msg : s->sms ? default_sms : default_tmpl);
        s->tmpl = s->own_tmpl;
        s->cap = cell->cap;
        s->waves = c.waves;
        int p = mk__index(c.purpose, wh_consent_purposes);
        s->purpose = p >= 0 ? wh_consent_purposes[p] : "service";  /* the list's: outlives doc */
        snprintf(s->cell, sizeof s->cell, "%s", s->o->cell);
        json_t *of;
        if (!s->own_tmpl)
            rc = rp_err(err, RP_NOMEM, NULL);
        else if (!(rc = tmpl_ok(s->tmpl, err)) && !(rc = mk_offer_get(s->w, cell->offer, &of, err))) {
            snprintf(s->offer_name, sizeof s->offer_name, "%s", json_string_value(json_object_get(of, "name")));
            json_decref(of);
        }
    }
    json_decref(c.doc);
    return rc;
}

/* From: one address, in <> or bare, on one line; its domain names the Message-IDs. */
static int from_ok(sender *s, rp_error *err)
{
    const char *f = s->o->from, *lt = f ? strchr(f, '<') : NULL;
    if (!f || !*f || strpbrk(f, "\r\n"))
        return rp_err(err, RP_INVAL, "from: the sender's address is required ([mail] from, or --from)");
    const char *a = lt ? lt + 1 : f;
    size_t n = lt ? strcspn(a, ">") : strlen(a);
    if (n == 0 || n >= sizeof s->from_addr || (lt && a[n] != '>'))
        return rp_err(err, RP_INVAL, "from: '%.80s' is not an address", f);
    memcpy(s->from_addr, a, n);
    s->from_addr[n] = 0;
    const char *at = strchr(s->from_addr, '@');
    if (!at || !at[1] || strchr(s->from_addr, ' '))
        return rp_err(err, RP_INVAL, "from: '%.80s' is not an address", f);
    snprintf(s->domain, sizeof s->domain, "%s", at + 1);
    return RP_OK;
}

/* ---- sending ---- */

typedef struct upload {
    const char *p;
    size_t left;
} upload;

static size_t read_cb(char *out, size_t size, size_t n, void *u)
{
    upload *up = u;
    size_t k = size * n < up->left ? size * n : up->left;
    memcpy(out, up->p, k);
    up->p += k, up->left -= k;
    return k;
}

static int record(sender *s, const rcpt *r, const char *msgid, const char *error, rp_error *err)
{
    char now[RP_TIME_UTC_LEN];
    mk__now(now);
    rp_stmt *st;
    int rc = rp_store_prepare(wh_store(s->w),
                              "INSERT INTO campaign_send(campaign, party_id, channel, cell, at, status, message_id, "
                              "error, by_user) VALUES (?1, ?2, ?9, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(campaign, "
                              "party_id, channel) DO UPDATE SET cell = ?3, at = ?4, status = ?5, message_id = ?6, "
                              "error = ?7, by_user = ?8",
                              &st, err);
    if (rc)
        return rc;
    rp_stmt_bind_text(st, 1, s->o->campaign);
    rp_stmt_bind_int(st, 2, r->id);
    rp_stmt_bind_text(st, 3, s->cell);
    rp_stmt_bind_text(st, 4, now);
    rp_stmt_bind_text(st, 5, error ? "failed" : "sent");
    rp_stmt_bind_text(st, 6, error ? NULL : msgid);
    rp_stmt_bind_text(st, 7, error);
    rp_stmt_bind_text(st, 8, s->by);
    rp_stmt_bind_text(st, 9, s->sms ? "sms" : "email");
    if ((rc = rp_stmt_run(st, err)) || error)
        return rc;
    char reason[300];
    snprintf(reason, sizeof reason, "campaign %.40s, cell %.40s: %.200s", s->o->campaign, s->cell, s->offer_name);
    wh_interaction i = { .party_id = r->id, .at = now, .channel = s->sms ? "sms" : "email", .direction = "outbound",
                         .kind = "campaign",
                         .reason = reason, .outcome = "sent", .created_by = s->by };
    return wh_interaction_add(s->w, &i, NULL, err);
}

/* One message: RP_OK sent (or refused for this address alone: *refused holds why); an error stops
 * the run (the server unreachable, the sign-in refused). */
static int send_one(sender *s, CURL *h, const rcpt *r, char msgid[300], char refused[300], rp_error *err)
{
    rp_buf b = RP_BUF_INIT;
    refused[0] = 0;
    if (compose(s, r, &b, msgid)) {
        rp_buf_release(&b);
        return rp_err(err, RP_NOMEM, NULL);
    }
    char to[300], ebuf[CURL_ERROR_SIZE] = "";
    snprintf(to, sizeof to, "<%s>", r->email);
    struct curl_slist *rc_list = curl_slist_append(NULL, to);
    upload up = { b.data, b.len };
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rc_list);
    curl_easy_setopt(h, CURLOPT_READDATA, &up);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
    CURLcode c = rc_list ? curl_easy_perform(h) : CURLE_OUT_OF_MEMORY;
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL); /* ebuf's frame ends here; libcurl keeps the pointer */
    curl_slist_free_all(rc_list);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, NULL);
    rp_buf_release(&b);
    if (c == CURLE_OK)
        return RP_OK;
    /* the server refused this address (RCPT) or this message (DATA): that recipient fails, the run goes
     * on; a refused sender (MAIL FROM) or anything else stops it */
    if ((c == CURLE_SEND_ERROR || c == CURLE_UPLOAD_FAILED || c == CURLE_RECV_ERROR) && code >= 500 && code < 600 &&
        !strstr(ebuf, "MAIL")) {
        snprintf(refused, 300, "%ld %s", code, ebuf[0] ? ebuf : curl_easy_strerror(c));
        return RP_OK;
    }
    return rp_err(err, RP_IO, "smtp: %s%s%s", curl_easy_strerror(c), ebuf[0] ? ": " : "", ebuf);
}

static CURL *smtp_handle(const sender *s, rp_error *err)
{
    const mk_mail *o = s->o;
    if (!o->smtp_url || (strncmp(o->smtp_url, "smtp://", 7) && strncmp(o->smtp_url, "smtps://", 8))) {
        rp_err(err, RP_INVAL, "smtp: a server is required as smtp://HOST:PORT or smtps://HOST:PORT ([mail] smtp)");
        return NULL;
    }
    CURL *h = curl_easy_init();
    if (!h) {
        rp_err(err, RP_NOMEM, NULL);
        return NULL;
    }
    char from[300];
    snprintf(from, sizeof from, "<%s>", s->from_addr);
    curl_easy_setopt(h, CURLOPT_URL, o->smtp_url);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 20L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(h, CURLOPT_USE_SSL, !o->tls || !strcmp(o->tls, "required") ? (long)CURLUSESSL_ALL
                                         : !strcmp(o->tls, "try")               ? (long)CURLUSESSL_TRY
                                                                                : (long)CURLUSESSL_NONE);
    if (o->user && *o->user) {
        curl_easy_setopt(h, CURLOPT_USERNAME, o->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, o->password ? o->password : "");
    }
    return h;
}

/* ---- text messages through the SMS gateway (Kannel's sendsms interface) ---- */

/* The message: the template with the customer's name, the offer and a short link (added when the
 * template has none). */
static void sms_text(const sender *s, const rcpt *r, rp_buf *t)
{
    char token[MK_TOKEN_MAX], link[600];
    token_for(s->w, s->o->campaign, r->id, 1, token);
    snprintf(link, sizeof link, "%s/api/v1/unsubscribe/%s", s->o->unsubscribe_base, token);
    expand(t, s, r, link, 0);
    if (!strstr(s->tmpl, "{unsubscribe}")) /* as e-mail: a marketing message always says how to stop them */
        rp_buf_printf(t, " 拒收請點 %s", link);
}

static size_t keep_reply(char *p, size_t size, size_t n, void *u)
{
    rp_buf *b = u;
    size_t k = size * n;
    if (b->len < 300)
        rp_buf_append(b, p, k < 300 - b->len ? k : 300 - b->len);
    return k;
}

static CURL *sms_handle(const sender *s, rp_error *err)
{
    const char *u = s->o->smtp_url;
    if (!u || (strncmp(u, "http://", 7) && strncmp(u, "https://", 8)) || strpbrk(u, " \r\n")) {
        rp_err(err, RP_INVAL, "gateway: the SMS gateway's sendsms address is required, as "
                              "http://HOST:13013/cgi-bin/sendsms ([sms] gateway, or --gateway)");
        return NULL;
    }
    CURL *h = curl_easy_init();
    if (!h) {
        rp_err(err, RP_NOMEM, NULL);
        return NULL;
    }
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 20L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep_reply);
    return h;
}

/* One message by an HTTP GET of the gateway's sendsms (username, password, from, to, text in UTF-8;
 * coding 2, UCS-2, when it is not ASCII): 2xx sent (the gateway's answer kept as the message's id);
 * another 4xx refused for this number alone (*refused); 401, 403, 5xx or no answer stop the run. */
static int sms_one(sender *s, CURL *h, const rcpt *r, char msgid[300], char refused[300], rp_error *err)
{
    refused[0] = msgid[0] = 0;
    rp_buf text = RP_BUF_INIT, url = RP_BUF_INIT, reply = RP_BUF_INIT;
    sms_text(s, r, &text);
    int ascii = 1;
    for (size_t i = 0; i < text.len; i++)
        ascii &= (unsigned char)text.data[i] < 0x80;
    char *pu = curl_easy_escape(h, s->o->user ? s->o->user : "", 0),
         *pp = curl_easy_escape(h, s->o->password ? s->o->password : "", 0), *pt = curl_easy_escape(h, r->email, 0),
         *px = curl_easy_escape(h, text.data ? text.data : "", (int)text.len),
         *pf = s->o->from ? curl_easy_escape(h, s->o->from, 0) : NULL;
    rp_buf_printf(&url, "%s%cusername=%s&password=%s&to=%s&text=%s&charset=UTF-8&coding=%d%s%s", s->o->smtp_url,
                  strchr(s->o->smtp_url, '?') ? '&' : '?', pu ? pu : "", pp ? pp : "", pt ? pt : "", px ? px : "",
                  ascii ? 0 : 2, pf ? "&from=" : "", pf ? pf : "");
    curl_free(pu), curl_free(pp), curl_free(pt), curl_free(px), curl_free(pf);
    int rc = RP_OK;
    char ebuf[CURL_ERROR_SIZE] = "";
    if (text.status || url.status || !pt || !px) {
        rc = rp_err(err, RP_NOMEM, NULL);
        goto out;
    }
    curl_easy_setopt(h, CURLOPT_URL, url.data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
    CURLcode c = curl_easy_perform(h);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    sodium_memzero(url.data, url.len); /* the password was in it */
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    char said[300];
    snprintf(said, sizeof said, "%.*s", (int)strcspn(reply.data ? reply.data : "", "\r\n"), reply.data ? reply.data : "");
    if (c != CURLE_OK)
        rc = rp_err(err, RP_IO, "sms gateway: %s%s%s", curl_easy_strerror(c), ebuf[0] ? ": " : "", ebuf);
    else if (code >= 200 && code < 300)
        snprintf(msgid, 300, "%s", said[0] ? said : "accepted");
    else if (code >= 400 && code < 500 && code != 401 && code != 403)
        snprintf(refused, 300, "%ld %.250s", code, said);
    else
        rc = rp_err(err, RP_IO, "sms gateway: %ld %s", code, said);
out:
    rp_buf_release(&text), rp_buf_release(&url), rp_buf_release(&reply);
    return rc;
}

typedef struct sent_one {
    char msgid[300], refused[300];
} sent_one;

/* A batch's messages recorded in one short transaction: no write lock is held while mail goes out. */
static int record_batch(sender *s, size_t from, size_t to, const sent_one *out, json_t *failures, int64_t *sent,
                        int64_t *failed, rp_error *err)
{
    if (from == to)
        return RP_OK;
    int rc = wh_begin(s->w, err);
    for (size_t i = from; !rc && i < to; i++) {
        const sent_one *o = &out[i - from];
        rc = record(s, &s->r[i], o->msgid, o->refused[0] ? o->refused : NULL, err);
        if (rc)
            break;
        if (o->refused[0]) {
            (*failed)++;
            if (json_array_size(failures) < 20)
                json_array_append_new(failures, json_pack("{s:I, s:s}", "customer", (json_int_t)s->r[i].id, "error",
                                                          o->refused));
        } else
            (*sent)++;
    }
    if (!rc)
        rc = wh_commit(s->w, err);
    else
        wh_rollback(s->w);
    return rc;
}

static int send_all(sender *s, json_t *failures, int64_t *sent, int64_t *failed, rp_error *err)
{
    CURL *h = s->sms ? sms_handle(s, err) : smtp_handle(s, err);
    sent_one *out = calloc(BATCH, sizeof *out);
    if (!h || !out) {
        if (h)
            curl_easy_cleanup(h);
        free(out);
        return h ? rp_err(err, RP_NOMEM, NULL) : (int)err->code;
    }
    int rc = RP_OK;
    for (size_t b = 0; b < s->n && !rc; b += BATCH) {
        size_t e = b + BATCH < s->n ? b + BATCH : s->n, done = b;
        for (size_t i = b; i < e && !rc; i++)
            if (!(rc = (s->sms ? sms_one : send_one)(s, h, &s->r[i], out[i - b].msgid, out[i - b].refused, err)))
                done = i + 1;
        /* what went out is kept even when the run stops here, so that it is not sent again */
        rp_error e2 = RP_ERROR_INIT;
        int rk = record_batch(s, b, done, out, failures, sent, failed, rc ? &e2 : err);
        if (!rc)
            rc = rk;
        else if (rk)
            rp_log(RP_LOG_ERROR, "marketing: %zu messages sent could not be recorded: %s", done - b, rp_errmsg(&e2));
    }
    free(out);
    curl_easy_cleanup(h);
    return rc;
}

/* Who, then send: the summary into *out. */
static int run(sender *s, json_t **out, rp_error *err)
{
    const mk_mail *o = s->o;
    int rc;
    if (!o->unsubscribe_base || strncmp(o->unsubscribe_base, "http", 4) || strpbrk(o->unsubscribe_base, "\r\n <>\""))
        rc = rp_err(err, RP_INVAL, "unsubscribe: the server's public address is required, as https://HOST "
                                   "([mail] unsubscribe_url, or --unsubscribe-url): the link in each message");
    else if (!(rc = s->sms ? RP_OK : from_ok(s, err)) && !(rc = setup(s, err)) && !(rc = load_sent(s, err)))
        rc = wh_campaign_reach(s->w, o->campaign, o->cell, gather, s, err);
    json_t *failures = json_array();
    int64_t sent = 0, failed = 0;
    if (!rc && s->n)
        rc = send_all(s, failures, &sent, &failed, err);
    if (!rc)
        *out = json_pack("{s:s, s:s, s:s, s:I, s:I, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}}", "campaign",
                         o->campaign, "cell", s->cell, "channel", s->sms ? "sms" : "email", "sent", (json_int_t)sent,
                         "failed", (json_int_t)failed, "failures", json_incref(failures), "not_sent", "already_sent",
                         (json_int_t)s->already, "left_for_later", (json_int_t)s->later, "over_cap",
                         (json_int_t)s->over_cap, s->sms ? "missing_mobile" : "missing_email", (json_int_t)s->missing,
                         "deceased_or_closed", (json_int_t)s->gone[0], "do_not_contact", (json_int_t)s->gone[1],
                         "no_consent", (json_int_t)s->gone[2], "unreachable", (json_int_t)s->gone[3]);
    if (!rc) {
        json_t *ns = json_object_get(*out, "not_sent");
        json_object_set_new(ns, "refused_before", json_integer(s->refused_before));
        if (s->waves.n)
            json_object_set_new(ns, "wave_not_started", json_integer(s->not_started)),
                json_object_set_new(ns, "wave_ended", json_integer(s->wave_ended));
    }
    json_decref(failures);
    for (size_t i = 0; i < s->n; i++)
        free(s->r[i].name), free(s->r[i].email);
    free(s->r);
    free(s->sent), free(s->refused);
    free(s->own_tmpl);
    return rc;
}

int mk_send_email(wh *w, const mk_mart *m, const mk_mail *o, const char *by, json_t **out, rp_error *err)
{
    sender *s = calloc(1, sizeof *s);
    if (!s)
        return rp_err(err, RP_NOMEM, NULL);
    s->w = w, s->m = m, s->o = o, s->by = by;
    s->contact = wh_contact_channel("email");
    int rc = run(s, out, err);
    free(s);
    return rc;
}

int mk_send_sms(wh *w, const mk_mart *m, const mk_sms *o, const char *by, json_t **out, rp_error *err)
{
    if (o->from && (strlen(o->from) > 20 || strpbrk(o->from, "\r\n")))
        return rp_err(err, RP_INVAL, "from: the sender's name or number, at most 20 characters");
    if (o->country && (strlen(o->country) > 4 || strspn(o->country, "0123456789") != strlen(o->country) || !*o->country))
        return rp_err(err, RP_INVAL, "country: a country calling code such as 886, not '%.10s'", o->country);
    mk_mail as = { .campaign = o->campaign, .cell = o->cell, .smtp_url = o->gateway, .user = o->user,
                   .password = o->password, .from = o->from, .body = o->body, .unsubscribe_base = o->unsubscribe_base,
                   .limit = o->limit, .retry_failed = o->retry_failed };
    sender *s = calloc(1, sizeof *s);
    if (!s)
        return rp_err(err, RP_NOMEM, NULL);
    s->w = w, s->m = m, s->o = &as, s->by = by, s->sms = 1, s->country = o->country ? o->country : "886";
    s->contact = wh_contact_channel("sms");
    int rc = run(s, out, err);
    free(s);
    return rc;
}
