/* marketing.c — the routes of database marketing.  Today: the one-click unsubscribe link each
 * campaign e-mail carries (RFC 8058).  Public: the link's signature is its authority, no session is
 * asked.  A GET (a person's click, or a mail scanner's look) only shows a page with a button; the
 * POST (the button, or the mail client's List-Unsubscribe-Post) withdraws the consent.  The pages are
 * small HTML in zh-TW and English.  See api.h and marketing.h. */
#include "api/internal.h"
#include "core/buf.h"
#include "marketing/marketing.h"

#include <string.h>

void api_html_text(rp_buf *b, const char *s)
{
    for (; s && *s; s++)
        switch (*s) {
        case '<': rp_buf_puts(b, "&lt;"); break;
        case '>': rp_buf_puts(b, "&gt;"); break;
        case '&': rp_buf_puts(b, "&amp;"); break;
        case '"': rp_buf_puts(b, "&quot;"); break;
        case '\'': rp_buf_puts(b, "&#39;"); break;
        default: rp_buf_putc(b, *s);
        }
}

/* A page: a heading and a line in both languages, with the campaign's name; with form, the button
 * that POSTs to this same address. */
static int page(api_resp *rs, int status, const char *zh, const char *en, const char *campaign, int form)
{
    rp_buf b = RP_BUF_INIT;
    rp_buf_puts(&b, "<!doctype html>\n<html lang=\"zh-TW\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width\"><title>");
    api_html_text(&b, zh);
    rp_buf_puts(&b, "</title><style>body{font-family:sans-serif;max-width:36em;margin:3em auto;padding:0 1em}"
                    "button{font-size:1.1em;padding:.5em 1.5em}</style></head><body><h1>");
    api_html_text(&b, zh);
    rp_buf_puts(&b, "</h1><p lang=\"en\">");
    api_html_text(&b, en);
    rp_buf_puts(&b, "</p>");
    if (campaign) {
        rp_buf_puts(&b, "<p>");
        api_html_text(&b, campaign);
        rp_buf_puts(&b, "</p>");
    }
    if (form)
        rp_buf_puts(&b, "<form method=\"post\"><button type=\"submit\">取消訂閱 / Unsubscribe</button></form>");
    rp_buf_puts(&b, "</body></html>\n");
    if (rp_buf_status(&b)) {
        rp_buf_release(&b);
        return api_error(rs, 500, "internal", "out of memory");
    }
    rs->status = status;
    rs->text = rp_buf_take(&b, NULL);
    rs->content_type = "text/html; charset=utf-8";
    return 0;
}

static int follow(api_req *rq, api_resp *rs, int apply)
{
    rp_error err = RP_ERROR_INIT;
    json_t *o = NULL;
    int rc = apply ? wh_begin(rq->w, &err) : RP_OK;
    if (!rc)
        rc = mk_unsubscribe(rq->w, rq->param[0], apply, &o, &err);
    if (apply)
        rc = rc ? (wh_rollback(rq->w), rc) : wh_commit(rq->w, &err);
    if (rc == RP_NOTFOUND)
        return page(rs, 404, "這個取消訂閱連結無效", "This unsubscribe link is not valid.", NULL, 0);
    if (rc)
        return api_fail(rs, &err);
    const char *name = json_string_value(json_object_get(o, "name"));
    int r = apply ? page(rs, 200, "已取消訂閱", "You are unsubscribed: no more e-mail of this kind will be sent to you.",
                         name, 0)
                  : page(rs, 200, "取消訂閱電子郵件", "Press the button to stop e-mail of this kind.", name, 1);
    json_decref(o);
    return r;
}

int api_unsubscribe_page(api_req *rq, api_resp *rs) { return follow(rq, rs, 0); }
int api_unsubscribe(api_req *rq, api_resp *rs) { return follow(rq, rs, 1); }
