/*
 * online.c — internet and mobile banking: users, log-ins, the click stream
 * and transfers as UTF-8 JSON lines keyed by online user id, some with a
 * defect.
 */
#include "gen/internal.h"

#include <stdio.h>
#include <string.h>
#include "core/buf.h"

/* Append s as a JSON string (quotes, backslashes and controls escaped). */
static void json_str(rp_buf *b, const char *s)
{
    rp_buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            rp_buf_putc(b, '\\');
            rp_buf_putc(b, (char)ch);
        } else if (ch < 0x20) {
            rp_buf_printf(b, "\\u%04x", ch);
        } else {
            rp_buf_putc(b, (char)ch);
        }
    }
    rp_buf_putc(b, '"');
}

/* Write one JSON line, perhaps with a defect: cut short, a day that does
 * not exist, a negative amount, or written twice. */
static void jsonl_write(ctx *c, rng *dr, gen_out *o, rp_buf *line, const char *ts_field, int has_amount)
{
    int64_t recno = o->records + 1;
    int dup = 0;
    if (rng_chance(dr, c->o->defect_rate)) {
        int kind = (int)rng_below(dr, has_amount ? 4 : 3);
        if (kind == 0) {
            line->len = line->len / 2;
            gen_defect(c, "online", o, recno, "", "truncated");
        } else if (kind == 1) {
            char *q = strstr(line->data, ts_field), *t;
            if (q && (t = strchr(q + strlen(ts_field), '-'))) /* "YYYY-MM-DD": make it February 30 */
                memcpy(t + 1, "02-30", 5);
            char name[32];
            snprintf(name, sizeof name, "%.*s", (int)strlen(ts_field) - 4, ts_field + 1);
            gen_defect(c, "online", o, recno, name, "impossible_date");
        } else if (kind == 2) {
            dup = 1;
            gen_defect(c, "online", o, recno + 1, "", "duplicate");
        } else {
            const char *a = strstr(line->data, "\"amount\":");
            if (a) {
                rp_buf neg = RP_BUF_INIT;
                size_t cut = (size_t)(a + 9 - line->data);
                rp_buf_append(&neg, line->data, cut);
                rp_buf_putc(&neg, '-');
                rp_buf_append(&neg, line->data + cut, line->len - cut);
                rp_buf_reset(line);
                rp_buf_append(line, neg.data, neg.len);
                rp_buf_release(&neg);
            }
            gen_defect(c, "online", o, recno, "amount", "negative_amount");
        }
    }
    rp_buf_putc(line, '\n');
    gen_out_write(o, line->data, line->len);
    o->records++;
    if (dup) {
        gen_out_write(o, line->data, line->len);
        o->records++;
    }
}

/* A transfer or payment made online, as online banking logs it beside the host's
 * transaction. */
void gen_online_transfer(sim *s, const account *a, int m, int day, int ch, int64_t amount, const char *memo)
{
    ctx *c = s->c;
    person *p = s->p;
    rng dr;
    rng_init(&dr, c->o->seed, (uint64_t)p->i, S_DEFECT + 400 + (uint64_t)a->seq);
    rp_buf b = RP_BUF_INIT;
    char ts[40];
    iso_local(ts, sizeof ts, month_y(c, m), month_m(c, m), day, rng_range(&s->r, 7, 23), rng_range(&s->r, 0, 59),
              rng_range(&s->r, 0, 59));
    int64_t v = amount < 0 ? -amount : amount;
    rp_buf_puts(&b, "{\"user_id\":");
    json_str(&b, p->online_id);
    rp_buf_printf(&b, ",\"ts\":\"%s\",\"type\":\"%s\",\"from_account\":\"%s\",\"amount\":%lld.%02lld,"
                      "\"currency\":\"TWD\",\"channel\":\"%s\",\"memo\":",
                  ts, strstr(memo, "費") || strstr(memo, "繳") ? "payment" : "transfer", a->no,
                  (long long)(v / 100), (long long)(v % 100), ch == CH_MB ? "mobile" : "internet");
    json_str(&b, memo);
    rp_buf_puts(&b, ",\"status\":\"ok\"}");
    jsonl_write(c, &dr, &c->ol_transfers, &b, "\"ts\":\"", 1);
    rp_buf_release(&b);
}

static const char *const pages[] = { "/home", "/accounts", "/accounts/history", "/transfer", "/payments",
                                     "/fx/rates", "/funds", "/td/rates", "/loans/mortgage", "/loans/personal",
                                     "/cards/apply", "/profile" };

/* A user, with log-ins every month and the click stream of the last three. */
void gen_online(ctx *c, const person *p)
{
    if (!p->has_online)
        return;
    rng r, dr;
    rng_init(&r, c->o->seed, (uint64_t)p->i, S_ONLINE);
    rng_init(&dr, c->o->seed, (uint64_t)p->i, S_DEFECT + 500);
    (void)rng_next(&r); /* the first draw decided has_online */
    int first = p->since_m > 0 ? p->since_m : 0;
    int last = p->churn_m >= 0 && p->churn_m < c->o->months ? p->churn_m : c->o->months - 1;
    rp_buf b = RP_BUF_INIT;
    char ts[40];
    rp_date reg = p->since_m >= 0 ? p->since : (rp_date){ c->y0 - rng_range(&r, 0, 6), rng_range(&r, 1, 12), 1 };
    iso_local(ts, sizeof ts, reg.y, reg.m, reg.d, 10, 0, 0);
    rp_buf_puts(&b, "{\"user_id\":");
    json_str(&b, p->online_id);
    rp_buf_puts(&b, ",\"name\":");
    json_str(&b, p->name_zh);
    rp_buf_printf(&b, ",\"id_no\":\"%s\",\"mobile\":\"%s\",\"email\":", rng_chance(&r, 0.95) ? p->id : "",
                  p->mobile);
    json_str(&b, p->email);
    rp_buf_printf(&b, ",\"registered_at\":\"%s\",\"status\":\"%s\"}", ts,
                  last < c->o->months - 1 ? "closed" : "active");
    jsonl_write(c, &dr, &c->ol_users, &b, "\"registered_at\":\"", 0);
    gen_out_printf(&c->identity, "online,%s,%s\n", p->online_id, p->pid);
    static const char *const devices[] = { "ios", "android", "web" };
    for (int m = first; m <= last; m++) {
        int y = month_y(c, m), mo = month_m(c, m), dim = days_in(y, mo);
        int n = rng_poisson(&r, 0.5 + 3.5 * p->digital);
        for (int k = 0; k < n; k++) {
            int day = rng_range(&r, 1, dim), hh = rng_range(&r, 7, 23), mi = rng_range(&r, 0, 59);
            iso_local(ts, sizeof ts, y, mo, day, hh, mi, rng_range(&r, 0, 59));
            int ok = !rng_chance(&r, 0.04);
            const char *dev = devices[p->digital > 0.6 ? rng_below(&r, 2) : rng_below(&r, 3)];
            rp_buf_reset(&b);
            rp_buf_puts(&b, "{\"user_id\":");
            json_str(&b, p->online_id);
            rp_buf_printf(&b, ",\"ts\":\"%s\",\"device\":\"%s\",\"ip\":\"203.0.113.%d\",\"success\":%s}", ts, dev,
                          rng_range(&r, 1, 254), ok ? "true" : "false");
            jsonl_write(c, &dr, &c->ol_logins, &b, "\"ts\":\"", 0);
            /* the click stream is kept for the last three months */
            if (!ok || m < c->o->months - 3)
                continue;
            int views = 1 + rng_poisson(&r, 1.5);
            for (int v = 0; v < views; v++) {
                int pg = (int)rng_below(&r, sizeof pages / sizeof pages[0]);
                /* interest shows before a purchase: the wealthy look at funds, families at mortgages */
                if (p->wealth > 2 && rng_chance(&r, 0.3))
                    pg = 6;
                else if (p->stage == 2 && rng_chance(&r, 0.15))
                    pg = 8;
                iso_local(ts, sizeof ts, y, mo, day, hh, (mi + v) % 60, rng_range(&r, 0, 59));
                rp_buf_reset(&b);
                rp_buf_puts(&b, "{\"user_id\":");
                json_str(&b, p->online_id);
                rp_buf_printf(&b, ",\"ts\":\"%s\",\"session\":\"%s-%d-%d-%d\",\"page\":\"%s\",\"device\":\"%s\"}", ts,
                              p->online_id, m, k, day, pages[pg], dev);
                jsonl_write(c, &dr, &c->ol_events, &b, "\"ts\":\"", 0);
            }
        }
    }
    rp_buf_release(&b);
}
