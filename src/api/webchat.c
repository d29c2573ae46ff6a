/* webchat.c — the customer-side chat served by Rapport (contact.h, cc_chat_*): a small page in zh-TW and
 * English anyone may open (GET /api/v1/chat), and the calls it makes.  Public: no sign-in; a chat's
 * authority is its session, the token POST /api/v1/chat answers (signed with the store's key, naming
 * the chat and an expiry), sent back as the header X-Chat-Token.  A forged, changed or expired token
 * is 403 chat_session, a chat that has ended 403 chat_ended.  Rate limits, per minute in this server:
 * chats started by one address ([chat] starts_per_minute, 5), messages sent in one chat
 * ([chat] messages_per_minute, 30) and reads of one chat (four a second); beyond them 429 with
 * Retry-After.  The page puts everything it shows as text (never as HTML), and runs one inline script
 * allowed by its hash (Content-Security-Policy).  A customer's message and the end of a chat go to the
 * agent's screen as the server-sent event "chat". */
#include "api/internal.h"
#include "contact/contact.h"
#include "core/buf.h"
#include "core/json.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define STARTS_PER_MIN 5
#define MESSAGES_PER_MIN 30
#define READS_PER_MIN 240

/* ---- rate limits: a fixed window of a minute per key, in a bounded table ---- */

#define SLOTS 4096
#define PROBE 8

static struct slot {
    char key[72];
    int64_t window;
    int count;
} slots[SLOTS];
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;

/* One more for key within max a minute: 0, or the seconds until the window opens again. */
static int64_t limited(const char *key, int max, int64_t now_s)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = key; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    int64_t window = now_s - now_s % 60, wait = 0;
    pthread_mutex_lock(&slots_lock);
    struct slot *s = NULL, *oldest = NULL;
    for (int i = 0; i < PROBE && !s; i++) {
        struct slot *x = &slots[(h + (uint64_t)i) % SLOTS];
        if (!strcmp(x->key, key))
            s = x;
        else if (!oldest || x->window < oldest->window)
            oldest = x;
    }
    if (!s) { /* a slot of a past minute (or the oldest) is taken over */
        s = oldest;
        snprintf(s->key, sizeof s->key, "%s", key);
        s->window = window, s->count = 0;
    }
    if (s->window != window)
        s->window = window, s->count = 0;
    if (s->count >= max)
        wait = window + 60 - now_s;
    else
        s->count++;
    pthread_mutex_unlock(&slots_lock);
    return wait;
}

static int too_many(api_resp *rs, int64_t wait, const char *what)
{
    rs->retry_after = wait > 0 ? wait : 1;
    return api_error(rs, 429, "too_many_requests", "too many %s; try again in %lld s", what, (long long)rs->retry_after);
}

/* ---- the session ---- */

/* The chat of the request's X-Chat-Token: 0, or the reply's status (403). */
static int session(api_req *rq, api_resp *rs, int64_t *chat)
{
    const char *t = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-Chat-Token");
    rp_error err = RP_ERROR_INIT;
    if (!t || !*t)
        return api_error(rs, 403, "chat_session", "the chat session is missing: start a chat first (POST /api/v1/chat)");
    if (cc_chat_session(rq->w, t, cc_clock_ms(), chat, &err))
        return api_error(rs, 403, "chat_session", "%s", rp_errmsg(&err));
    snprintf(rq->detail, sizeof rq->detail, "chat %lld", (long long)*chat);
    return 0;
}

/* A domain error for the customer: a chat that has ended 403, bad text 422 naming body.text. */
static int chat_fail(api_resp *rs, const rp_error *err)
{
    const char *m = rp_errmsg(err);
    if (err->code == RP_EXISTS)
        return api_error(rs, 403, "chat_ended", "%s", m);
    if (err->code == RP_INVAL)
        return api_error(rs, 422, "invalid", "body.%s", m);
    return api_fail(rs, err);
}

static int limit_of(int configured, int dflt) { return configured > 0 ? configured : dflt; }

/* The agent's screen told of the customer's message or end of the chat (on this server). */
static void tell_agent(api_req *rq, const json_t *o, const char *what)
{
    const char *agent = json_string_value(json_object_get(o, "to_agent"));
    if (agent)
        api_board_tell(api_board_of(rq), agent, "chat",
                       json_pack("{s:O, s:O, s:s}", "interaction", json_object_get(o, "interaction"), "chat",
                                 json_object_get(o, "chat"), "what", what));
}

/* POST /chat {name?, lang?, queue?} */
int api_chat_start(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "name", "lang", "queue", NULL };
    cc_chat_in in = { 0 };
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) || rp_json_get_str(rq->body, "body", "name", 0, &in.name, &err) ||
        rp_json_get_str(rq->body, "body", "lang", 0, &in.lang, &err) ||
        rp_json_get_str(rq->body, "body", "queue", 0, &in.queue, &err))
        return api_fail_body(rs, &err, "body");
    char key[72];
    snprintf(key, sizeof key, "start %s", rq->address);
    int64_t wait = limited(key, limit_of(rq->opt ? rq->opt->chat_starts_per_min : 0, STARTS_PER_MIN), time(NULL));
    if (wait)
        return too_many(rs, wait, "chats started from this address");
    if (!in.queue && rq->opt && rq->opt->chat_queue)
        in.queue = rq->opt->chat_queue;
    json_t *o;
    if (cc_chat_start(rq->w, &in, &o, &err))
        return chat_fail(rs, &err);
    snprintf(rq->detail, sizeof rq->detail, "chat %lld started", (long long)json_integer_value(json_object_get(o, "chat")));
    json_object_del(o, "assignments"); /* the scribe tells the agent's screen (cc_untold) */
    api_centre_wake(rq);
    return api_created(rs, o);
}

/* POST /chat/messages {text} */
int api_chat_send(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { "text", NULL };
    int64_t chat;
    int st = session(rq, rs, &chat);
    if (st)
        return st;
    const char *text = NULL;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err) || rp_json_get_str(rq->body, "body", "text", 1, &text, &err))
        return api_fail_body(rs, &err, "body");
    char key[72];
    snprintf(key, sizeof key, "say %lld", (long long)chat);
    int64_t wait = limited(key, limit_of(rq->opt ? rq->opt->chat_messages_per_min : 0, MESSAGES_PER_MIN), time(NULL));
    if (wait)
        return too_many(rs, wait, "messages in this chat");
    json_t *o;
    if (cc_chat_say(rq->w, chat, "customer", NULL, text, 0, &o, &err))
        return chat_fail(rs, &err);
    tell_agent(rq, o, "message");
    json_t *r = json_pack("{s:O, s:O, s:O}", "seq", json_object_get(o, "seq"), "at", json_object_get(o, "at"), "from",
                          json_object_get(o, "from"));
    json_decref(o);
    return api_created(rs, r);
}

/* GET /chat/messages?after=N */
int api_chat_read(api_req *rq, api_resp *rs)
{
    int64_t chat, after = 0;
    int st = session(rq, rs, &chat), ok = 1;
    if (st)
        return st;
    if (api_query(rq, "after"))
        after = api_int(api_query(rq, "after"), 0, INT64_MAX, &ok);
    if (!ok)
        return api_error(rs, 422, "invalid", "query.after: a message's number (0 or more)");
    char key[72];
    snprintf(key, sizeof key, "read %lld", (long long)chat);
    int64_t wait = limited(key, READS_PER_MIN, time(NULL));
    if (wait)
        return too_many(rs, wait, "reads of this chat");
    cc_chat_viewer v = { .customer = 1 };
    json_t *o;
    rp_error err = RP_ERROR_INIT;
    if (cc_chat_read(rq->w, chat, after, &v, 0, &o, &err))
        return chat_fail(rs, &err);
    return api_ok(rs, o);
}

/* POST /chat/end {} */
int api_chat_end(api_req *rq, api_resp *rs)
{
    static const char *const keys[] = { NULL };
    int64_t chat;
    int st = session(rq, rs, &chat);
    if (st)
        return st;
    rp_error err = RP_ERROR_INIT;
    if (rp_json_check_keys(rq->body, "body", keys, &err))
        return api_fail_body(rs, &err, "body");
    json_t *o;
    if (cc_chat_end(rq->w, chat, 0, &o, &err))
        return chat_fail(rs, &err);
    tell_agent(rq, o, "ended");
    json_object_del(o, "to_agent");
    api_centre_wake(rq);
    return api_ok(rs, o);
}

/* ---- the page ---- */

/* The page's words: [0] zh-TW, [1] English. */
static const struct word {
    const char *key, *text[2];
} words[] = {
    { "title", { "線上文字客服", "Chat with us" } },
    { "intro", { "請留下您的稱呼（可不填），按「開始對話」，客服人員將盡快回覆您。",
                 "Tell us your name (you may leave it out) and start a chat: an agent will answer you shortly." } },
    { "name", { "您的稱呼（選填）", "Your name (optional)" } },
    { "start", { "開始對話", "Start the chat" } },
    { "message", { "訊息", "Message" } },
    { "placeholder", { "請輸入訊息…", "Type a message…" } },
    { "send", { "送出", "Send" } },
    { "end", { "結束對話", "End the chat" } },
    { "other", { "English", "中文" } },
    { "you", { "您", "You" } },
    { "agent", { "客服人員", "Agent" } },
    { "waiting", { "正在為您安排客服人員，請稍候…", "Finding an agent for you; please wait…" } },
    { "joined", { "客服人員 {name} 為您服務", "{name} is here to help you" } },
    { "endedYou", { "您已結束對話，謝謝您的來訊。", "You ended the chat. Thank you for writing to us." } },
    { "endedAgent", { "客服人員已結束對話，謝謝您的來訊。", "The agent ended the chat. Thank you for writing to us." } },
    { "tooMany", { "傳送太頻繁，請於 {s} 秒後再試。", "Too many at once: try again in {s} seconds." } },
    { "invalid", { "訊息不可空白，且最多 2000 字。", "A message may not be empty and has at most 2000 characters." } },
    { "session", { "這個對話已失效，請重新開始對話。", "This chat is no longer valid: please start a new one." } },
    { "failed", { "目前無法連線，請稍後再試。", "We cannot be reached right now: please try again later." } },
    { "closed", { "目前沒有開放線上文字客服，請稍後再試。", "Chat is not open right now: please try again later." } },
};

static const char *word(const char *key, int en)
{
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (!strcmp(words[i].key, key))
            return words[i].text[en];
    return key;
}

/* The script: it takes its words from the page's JSON block (#words), and puts everything as text. */
static const char script[] =
    "(function(){'use strict';"
    "var W=JSON.parse(document.getElementById('words').textContent);"
    "var $=function(id){return document.getElementById(id);};"
    "var token=null,after=0,timer=null,over=false,endedByMe=false,agentShown=null;"
    "function say(k,v){var s=W[k]||k;for(var n in (v||{}))s=s.split('{'+n+'}').join(v[n]);return s;}"
    "function status(t){$('status').textContent=t||'';}"
    "function call(m,p,b){var h={'X-Chat-Token':token||''};if(b)h['Content-Type']='application/json';"
    "return fetch('/api/v1/chat'+p,{method:m,headers:h,body:b?JSON.stringify(b):undefined,credentials:'omit'})"
    ".then(function(r){return r.json().catch(function(){return {};}).then(function(j){if(r.ok)return j;"
    "var e=new Error((j.error&&j.error.message)||String(r.status));e.status=r.status;e.code=j.error&&j.error.code;"
    "e.retry=r.headers.get('Retry-After');throw e;});});}"
    "function failed(e){if(e.status===429)status(say('tooMany',{s:e.retry||'60'}));"
    "else if(e.code==='chat_session')stop(say('session'));"
    "else if(e.code==='chat_ended')stop(endedByMe?say('endedYou'):say('endedAgent'));"
    "else if(e.code==='invalid')status(say('invalid'));"
    "else if(e.status===404)status(say('closed'));else status(say('failed'));}"
    "function add(m){var li=document.createElement('li');li.className='m '+m.from;li.setAttribute('data-seq',m.seq);"
    "li.setAttribute('data-test','chat-'+m.from);"
    "if(m.from==='system'){if(m.text==='customer_ended')return;li.textContent=m.text;}"
    "else{var b=document.createElement('b');b.textContent=m.from==='customer'?say('you'):say('agent');"
    "var s=document.createElement('span');s.textContent=m.text;li.appendChild(b);li.appendChild(s);}"
    "$('log').appendChild(li);li.scrollIntoView({block:'end'});}"
    "function stop(t){over=true;if(timer)clearInterval(timer);timer=null;status(t);"
    "$('talk').hidden=true;}"
    "function poll(){if(!token||over)return;call('GET','/messages?after='+after).then(function(r){"
    "r.messages.forEach(add);after=r.last_seq;"
    "if(r.agent_name&&agentShown!==r.agent_name){agentShown=r.agent_name;status(say('joined',{name:r.agent_name}));}"
    "if(r.ended)stop(endedByMe?say('endedYou'):say('endedAgent'));}).catch(failed);}"
    "$('start').addEventListener('submit',function(ev){ev.preventDefault();var n=$('name').value.trim();"
    "var b={lang:document.documentElement.lang};if(n)b.name=n;"
    "call('POST','',b).then(function(r){token=r.token;$('start').hidden=true;$('talk').hidden=false;"
    "status(say('waiting'));$('text').focus();timer=setInterval(poll,1000);poll();}).catch(failed);});"
    "$('talk').addEventListener('submit',function(ev){ev.preventDefault();var t=$('text').value;"
    "if(!t.trim())return;call('POST','/messages',{text:t}).then(function(){$('text').value='';poll();})"
    ".catch(failed);});"
    "$('end').addEventListener('click',function(){endedByMe=true;call('POST','/end',{}).then(function(){"
    "poll();stop(say('endedYou'));}).catch(failed);});"
    "})();";

static char script_csp[400];
static pthread_once_t script_once = PTHREAD_ONCE_INIT;

static void script_hash(void)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    crypto_hash_sha256(h, (const unsigned char *)script, sizeof script - 1);
    sodium_bin2base64(b64, sizeof b64, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
    snprintf(script_csp, sizeof script_csp,
             "default-src 'none'; script-src 'sha256-%s'; connect-src 'self'; style-src 'unsafe-inline'; "
             "form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
             b64);
}

/* English when asked (?lang=en), else as the browser prefers (Accept-Language: the first of zh and en
 * named), else zh-TW. */
static int english(api_req *rq)
{
    const char *q = api_query(rq, "lang");
    if (q)
        return !strcmp(q, "en");
    const char *al = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Accept-Language");
    const char *en = al ? strcasestr(al, "en") : NULL, *zh = al ? strcasestr(al, "zh") : NULL;
    return en && (!zh || en < zh);
}

static void page_words(rp_buf *b, int en)
{
    json_t *o = json_object();
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        json_object_set_new(o, words[i].key, json_string(words[i].text[en]));
    char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ESCAPE_SLASH); /* no "</" ends the block */
    rp_buf_puts(b, s ? s : "{}");
    free(s);
    json_decref(o);
}

/* GET /chat?lang= */
int api_chat_page(api_req *rq, api_resp *rs)
{
    int en = english(rq);
    rp_buf b = RP_BUF_INIT;
    pthread_once(&script_once, script_hash);
    rp_buf_printf(&b, "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width\"><title>", en ? "en" : "zh-TW");
    api_html_text(&b, word("title", en));
    rp_buf_puts(&b, "</title><style>body{font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em}"
                    "nav{text-align:right}#log{list-style:none;padding:0;min-height:8em;border:1px solid #ccc;"
                    "padding:.5em;max-height:60vh;overflow-y:auto}#log li{margin:.3em 0;white-space:pre-wrap}"
                    "#log li b{margin-right:.5em}#log li.customer{text-align:right}#log li.system{color:#666}"
                    "textarea{width:100%;box-sizing:border-box}button{font-size:1em;padding:.4em 1.2em;margin:.3em .3em 0 0}"
                    "#status{color:#245}</style></head><body>");
    rp_buf_printf(&b, "<nav><a href=\"?lang=%s\" data-test=\"chat-lang\">", en ? "zh-TW" : "en");
    api_html_text(&b, word("other", en));
    rp_buf_puts(&b, "</a></nav><h1>");
    api_html_text(&b, word("title", en));
    rp_buf_puts(&b, "</h1><p>");
    api_html_text(&b, word("intro", en));
    rp_buf_puts(&b, "</p><form id=\"start\"><label>");
    api_html_text(&b, word("name", en));
    rp_buf_printf(&b, " <input id=\"name\" maxlength=\"%d\" autocomplete=\"name\" data-test=\"chat-name\"></label> "
                      "<button type=\"submit\" data-test=\"chat-start\">", CC_CHAT_NAME_MAX);
    api_html_text(&b, word("start", en));
    rp_buf_puts(&b, "</button></form><p id=\"status\" role=\"status\" data-test=\"chat-status\"></p>"
                    "<ul id=\"log\" aria-live=\"polite\" data-test=\"chat-log\"></ul><form id=\"talk\" hidden><label>");
    api_html_text(&b, word("message", en));
    rp_buf_printf(&b, "<textarea id=\"text\" rows=\"3\" maxlength=\"%d\" data-test=\"chat-text\" placeholder=\"",
                  CC_CHAT_TEXT_MAX);
    api_html_text(&b, word("placeholder", en));
    rp_buf_puts(&b, "\"></textarea></label><button type=\"submit\" data-test=\"chat-send\">");
    api_html_text(&b, word("send", en));
    rp_buf_puts(&b, "</button><button type=\"button\" id=\"end\" data-test=\"chat-end\">");
    api_html_text(&b, word("end", en));
    rp_buf_puts(&b, "</button></form><script type=\"application/json\" id=\"words\">");
    page_words(&b, en);
    rp_buf_printf(&b, "</script><script>%s</script></body></html>\n", script);
    if (rp_buf_status(&b)) {
        rp_buf_release(&b);
        return api_error(rs, 500, "internal", "out of memory");
    }
    rs->status = 200;
    rs->text = rp_buf_take(&b, NULL);
    rs->content_type = "text/html; charset=utf-8";
    rs->csp = script_csp;
    return 0;
}
