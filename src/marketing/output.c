/* output.c — a campaign's outputs per channel (K6): the list a mail house, an e-mail or SMS sender,
 * the outbound dialler, the branches or the banner server take, as CSV or XLSX (libxlsxwriter),
 * written whole or not at all.  Each channel's layout is a row of one table.  See marketing.h. */
#include "marketing/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include "core/buf.h"
#include "core/csv.h"
#include "core/fileio.h"
#include "security/security.h"

enum { C_CUSTOMER, C_NAME, C_NAME_LATIN, C_GENDER, C_POSTAL, C_ADDRESS, C_EMAIL, C_MOBILE, C_PHONE, C_BRANCH,
       C_CELL, C_OFFER, C_OFFER_NAME, C_CHANNEL, C_MESSAGE, NCOLS };
static const char *const col_names[NCOLS] = { "customer", "name", "name_latin", "gender", "postal_code", "address",
                                              "email", "mobile", "phone", "branch", "cell", "offer", "offer_name",
                                              "channel", "message" };
/* Free text from the sources: a leading = + - @ would be a formula to a spreadsheet opening the CSV. */
static const int col_text[NCOLS] = { [C_NAME] = 1, [C_NAME_LATIN] = 1, [C_ADDRESS] = 1, [C_OFFER_NAME] = 1,
                                     [C_MESSAGE] = 1 };

/* The channels' layouts: what a channel needs to reach a customer (a customer without it is not
 * listed but counted), and the columns its file has. */
static const struct layout {
    const char *channel;
    int need;                          /* a column that must not be empty, -1: none */
    int cols[12];                      /* ended by -1 */
} layouts[] = {
    { "direct_mail", C_ADDRESS, { C_CUSTOMER, C_NAME, C_POSTAL, C_ADDRESS, C_BRANCH, C_CELL, C_OFFER, C_OFFER_NAME, C_MESSAGE, -1 } },
    { "email", C_EMAIL, { C_CUSTOMER, C_NAME, C_NAME_LATIN, C_EMAIL, C_CELL, C_OFFER, C_OFFER_NAME, C_MESSAGE, -1 } },
    { "sms", C_MOBILE, { C_CUSTOMER, C_NAME, C_MOBILE, C_CELL, C_OFFER, C_OFFER_NAME, C_MESSAGE, -1 } },
    { "outbound_call", C_PHONE, { C_CUSTOMER, C_NAME, C_GENDER, C_PHONE, C_BRANCH, C_CELL, C_OFFER, C_OFFER_NAME, C_MESSAGE, -1 } },
    { "branch_lead", C_BRANCH, { C_BRANCH, C_CUSTOMER, C_NAME, C_PHONE, C_CELL, C_OFFER, C_OFFER_NAME, C_MESSAGE, -1 } },
    { "banner", -1, { C_CUSTOMER, C_CELL, C_OFFER, C_OFFER_NAME, C_MESSAGE, -1 } },
};

#define XLSX_ROWS 1048575              /* a sheet's rows after the header */

typedef struct ocell {
    char cell[40], offer[40], offer_name[200], channel[24], message[1100];
    int contact, paused, chosen;
    int64_t rows, cap;
} ocell;

typedef struct out {
    const mk_mart *m;
    const struct layout *L;
    const char *purpose;
    ocell cells[MK_MAX_CELLS];
    int ncells;
    rp_buf csv;                        /* written to fd each megabyte */
    int fd;
    lxw_worksheet *ws;
    int xlsx;
    mk__waves waves;
    int wave;                          /* only this wave's (0: every wave open today) */
    int64_t rows, paused, missing, over_cap, not_started, wave_ended, other_waves, gone[4];
} out;

static const char *const gone_names[4] = { "deceased_or_closed", "do_not_contact", "no_consent", "unreachable" };

static void put(out *o, int col, const char *v)
{
    v = v ? v : "";
    char guarded[1200];
    if (col_text[col] && strchr("=+-@\t\r", v[0]) && v[0]) {
        snprintf(guarded, sizeof guarded, "'%s", v);
        v = guarded;
    }
    int k = 0;
    while (o->L->cols[k] != col)
        k++;
    if (o->xlsx)
        worksheet_write_string(o->ws, (lxw_row_t)(o->rows + 1), (lxw_col_t)k, v, NULL);
    else
        rp_csv_field(&o->csv, v, strlen(v), k == 0);
}

static void header(out *o)
{
    for (int k = 0; o->L->cols[k] >= 0; k++) {
        const char *n = col_names[o->L->cols[k]];
        if (o->xlsx)
            worksheet_write_string(o->ws, 0, (lxw_col_t)k, n, NULL);
        else
            rp_csv_field(&o->csv, n, strlen(n), k == 0);
    }
    if (!o->xlsx)
        rp_csv_end_row(&o->csv);
}

static int row(void *u, const wh_reach_row *r, rp_error *err)
{
    out *o = u;
    ocell *c = NULL;
    for (int k = 0; k < o->ncells && !c; k++)
        if (r->cell && !strcmp(o->cells[k].cell, r->cell))
            c = &o->cells[k];
    if (!c || !c->chosen)
        return RP_OK;
    if (c->paused) {
        o->paused++;
        return RP_OK;
    }
    int ws = mk__wave_state(&o->waves, r->wave);
    if (ws || (o->wave > 0 && r->wave != o->wave)) {
        *(o->wave > 0 && r->wave != o->wave ? &o->other_waves : ws > 0 ? &o->wave_ended : &o->not_started) += 1;
        return RP_OK;
    }
    int why = mk__reach_now(o->m, o->purpose, c->contact, r->party_id);
    if (why >= 0) {  /* withdrawn, listed, gone since the selection */
        o->gone[why]++;
        return RP_OK;
    }
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)r->party_id);
    const char *v[NCOLS] = { id, r->name_zh ? r->name_zh : r->name_latin, r->name_latin, r->gender, r->postal_code,
                             r->address, r->email, r->mobile, r->phone, r->home_branch, c->cell, c->offer,
                             c->offer_name, c->channel, c->message };
    if (o->L->need >= 0 && (!v[o->L->need] || !*v[o->L->need])) {
        o->missing++;
        return RP_OK;
    }
    if (c->cap > 0 && c->rows >= c->cap) {
        o->over_cap++;
        return RP_OK;
    }
    if (o->xlsx && o->rows >= XLSX_ROWS)
        return rp_err(err, RP_TOOBIG, "an XLSX sheet holds %d rows: write this list as CSV", XLSX_ROWS);
    for (int k = 0; o->L->cols[k] >= 0; k++)
        put(o, o->L->cols[k], v[o->L->cols[k]]);
    if (!o->xlsx && rp_csv_end_row(&o->csv))
        return rp_err(err, RP_NOMEM, NULL);
    if (!o->xlsx && o->csv.len >= (1u << 20)) {
        if (rp_write_full(o->fd, o->csv.data, o->csv.len))
            return rp_err(err, errno == ENOSPC ? RP_FULL : RP_IO, "output: %s", strerror(errno));
        o->csv.len = 0;
    }
    o->rows++;
    c->rows++;
    return RP_OK;
}

/* The campaign's cells, those chosen (by cell or channel), and the one layout they share. */
static int cells_of(wh *w, const mk__campaign *mc, const mk_output *opt, out *o, rp_error *err)
{
    const char *channel = opt->channel;
    for (int k = 0; k < mc->ncells; k++) {
        const mk__cell *x = &mc->cells[k];
        ocell *c = &o->cells[o->ncells++];
        snprintf(c->cell, sizeof c->cell, "%s", x->cell);
        snprintf(c->offer, sizeof c->offer, "%s", x->offer);
        snprintf(c->channel, sizeof c->channel, "%s", x->channel);
        snprintf(c->message, sizeof c->message, "%s", x->message ? x->message : "");
        c->paused = x->paused;
        c->cap = x->cap;
        c->contact = x->contact;
        c->chosen = opt->cell ? !strcmp(c->cell, opt->cell) : !strcmp(c->channel, opt->channel);
        if (c->chosen && opt->cell && opt->channel && strcmp(c->channel, opt->channel))
            return rp_err(err, RP_INVAL, "cell %s is of channel %s, not %s", c->cell, c->channel, opt->channel);
        if (c->chosen)
            channel = c->channel;
        json_t *of;
        if (c->chosen && !mk_offer_get(w, c->offer, &of, err)) {
            snprintf(c->offer_name, sizeof c->offer_name, "%s", json_string_value(json_object_get(of, "name")));
            json_decref(of);
        }
    }
    int any = 0;
    for (int k = 0; k < o->ncells; k++)
        any |= o->cells[k].chosen;
    if (!any)
        return opt->cell ? rp_err(err, RP_NOTFOUND, "campaign %s has no cell '%s'", opt->campaign, opt->cell)
                         : rp_err(err, RP_NOTFOUND, "campaign %s has no cell of channel '%s'", opt->campaign,
                                  opt->channel);
    for (size_t k = 0; k < sizeof layouts / sizeof *layouts; k++)
        if (!strcmp(layouts[k].channel, channel))
            o->L = &layouts[k];
    return o->L ? RP_OK : rp_err(err, RP_INVAL, "channel '%s' has no output layout", channel);
}

static int status_ok(const char *s, const char *code, rp_error *err)
{
    static const char *const ok[] = { "approved", "running", "paused", NULL };
    if (!strcmp(s, "loaded"))
        return rp_err(err, RP_DENIED, "campaign %s was loaded from files: it has no design to output", code);
    if (mk__index(s, ok) < 0)
        return rp_err(err, RP_DENIED, "campaign %s is %s: its lists are output once it is approved, until it closes",
                      code, s);
    return RP_OK;
}

/* A wave asked for: the campaign has it and it has begun. */
static int wave_ok(const mk__campaign *mc, const mk_output *opt, rp_error *err)
{
    int known = 0;
    for (int k = 0; opt->wave && k < mc->waves.n; k++)
        known |= mc->waves.wave[k] == opt->wave;
    if (opt->wave && !known)
        return rp_err(err, RP_NOTFOUND, "campaign %s has no wave %d", opt->campaign, opt->wave);
    if (opt->wave && mk__wave_state(&mc->waves, opt->wave) < 0)
        return rp_err(err, RP_DENIED, "wave %d of campaign %s has not begun: its list is made from its first day",
                      opt->wave, opt->campaign);
    return RP_OK;
}

static int finish(out *o, const mk_output *opt, lxw_workbook *wb, const char *tmp, rp_error *err)
{
    int rc = RP_OK;
    if (o->xlsx) {
        lxw_error e = workbook_close(wb);
        if (e)
            rc = rp_err(err, RP_IO, "%s: %s", opt->path, lxw_strerror(e));
    } else if (rp_write_full(o->fd, o->csv.data ? o->csv.data : "", o->csv.len) || fsync(o->fd))
        rc = rp_err(err, errno == ENOSPC ? RP_FULL : RP_IO, "%s: %s", opt->path, strerror(errno));
    if (!rc && rename(tmp, opt->path))
        rc = rp_err(err, RP_IO, "%s: %s", opt->path, strerror(errno));
    return rc;
}

static json_t *summary(const out *o, const mk_output *opt)
{
    json_t *cells = json_object(), *skipped = json_pack("{s:I, s:I, s:I}", "paused", (json_int_t)o->paused,
                                                       "over_cap", (json_int_t)o->over_cap, "missing_contact",
                                                       (json_int_t)o->missing);
    if (o->waves.n) {
        json_object_set_new(skipped, "wave_not_started", json_integer(o->not_started));
        json_object_set_new(skipped, "wave_ended", json_integer(o->wave_ended));
        if (o->wave)
            json_object_set_new(skipped, "other_waves", json_integer(o->other_waves));
    }
    for (int k = 0; k < o->ncells; k++)
        if (o->cells[k].chosen)
            json_object_set_new(cells, o->cells[k].cell, json_integer(o->cells[k].rows));
    for (int k = 0; k < 4; k++)
        json_object_set_new(skipped, gone_names[k], json_integer(o->gone[k]));
    return json_pack("{s:s, s:s, s:s, s:s, s:I, s:o, s:o}", "campaign", opt->campaign, "channel", o->L->channel,
                     "format", o->xlsx ? "xlsx" : "csv", "file", opt->path, "rows", (json_int_t)o->rows, "by_cell",
                     cells, "skipped", skipped);
}

int mk_export(wh *w, const mk_mart *m, const mk_output *opt, json_t **sum, rp_error *err)
{
    if (!opt->cell && !opt->channel)
        return rp_err(err, RP_INVAL, "name a cell or a channel: each channel has its own layout");
    if (!opt->path || !*opt->path)
        return rp_err(err, RP_INVAL, "output: a file to write is required");
    const char *fmt = opt->format ? opt->format : "csv";
    if (strcmp(fmt, "csv") && strcmp(fmt, "xlsx"))
        return rp_err(err, RP_INVAL, "format: '%.20s' is not csv or xlsx", fmt);
    mk__campaign mc;
    int rc = mk__campaign_cells(w, opt->campaign, &mc, err);
    if (rc)
        return rc;
    out *o = calloc(1, sizeof *o);
    if (!o) {
        json_decref(mc.doc);
        return rp_err(err, RP_NOMEM, NULL);
    }
    o->m = m;
    rp_buf_init(&o->csv, RP_BUF_DEFAULT_MAX);
    o->purpose = mc.purpose;
    o->waves = mc.waves;
    o->wave = opt->wave;
    o->xlsx = !strcmp(fmt, "xlsx");
    char tmp[1200];
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", opt->path, (long)getpid());
    lxw_workbook *wb = NULL;
    o->fd = -1;
    if (!(rc = status_ok(mc.status, opt->campaign, err)) && !(rc = wave_ok(&mc, opt, err)) &&
        !(rc = cells_of(w, &mc, opt, o, err))) {
        lxw_workbook_options wo = { .constant_memory = 1 };
        if (o->xlsx ? !(wb = workbook_new_opt(tmp, &wo)) || !(o->ws = workbook_add_worksheet(wb, o->L->channel))
                    : (o->fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
            rc = rp_err(err, RP_IO, "%s: cannot be written: %s", opt->path, strerror(errno));
    }
    if (!rc) {
        header(o);
        rc = wh_campaign_reach(w, opt->campaign, opt->cell, row, o, err);
    }
    if (!rc)
        rc = finish(o, opt, wb, tmp, err);
    else if (wb)
        workbook_close(wb);
    if (o->fd >= 0)
        close(o->fd);
    if (rc)
        unlink(tmp);
    if (!rc)
        *sum = summary(o, opt);
    rp_buf_release(&o->csv);
    free(o);
    json_decref(mc.doc);
    return rc;
}

/* ---- the outbound dialling list: an outbound_call cell's treated given to the agents ---- */

typedef struct dial {
    const mk_mart *m;
    const char *purpose;
    int contact, paused;
    int64_t cap, *ids;
    char (*phones)[MK_PHONE_MAX];   /* kept with the ids when given (mk_dial_targets) */
    int keep_phones;
    size_t n, room;
    mk__waves waves;
    int64_t gone[4], missing, over_cap, not_started, wave_ended;
} dial;

static int dial_row(void *u, const wh_reach_row *r, rp_error *err)
{
    dial *d = u;
    int ws = mk__wave_state(&d->waves, r->wave);
    if (ws) {
        *(ws > 0 ? &d->wave_ended : &d->not_started) += 1;
        return RP_OK;
    }
    int why = mk__reach_now(d->m, d->purpose, d->contact, r->party_id);
    if (why >= 0) {
        d->gone[why]++;
        return RP_OK;
    }
    if (!r->phone || !*r->phone) {
        d->missing++;
        return RP_OK;
    }
    if (d->cap > 0 && (int64_t)d->n >= d->cap) {
        d->over_cap++;
        return RP_OK;
    }
    if (d->n == d->room) {
        size_t room = d->room ? d->room * 2 : 256;
        int64_t *p = realloc(d->ids, room * sizeof *p);
        if (p)
            d->ids = p;
        char(*ph)[MK_PHONE_MAX] = p && d->keep_phones ? realloc(d->phones, room * sizeof *ph) : NULL;
        if (ph)
            d->phones = ph;
        if (!p || (d->keep_phones && !ph))
            return rp_err(err, RP_NOMEM, NULL);
        d->room = room;
    }
    if (d->keep_phones)
        snprintf(d->phones[d->n], MK_PHONE_MAX, "%s", r->phone);
    d->ids[d->n++] = r->party_id;
    return RP_OK;
}

/* The cell: of a running campaign, of channel outbound_call, not paused. */
static int dial_cell(wh *w, const char *code, const char *cell, dial *d, char end[RP_DATE_LEN], rp_error *err)
{
    mk__campaign mc;
    int rc = mk__campaign_cells(w, code, &mc, err);
    if (rc)
        return rc;
    const mk__cell *c = mk__campaign_cell(&mc, cell);
    if (strcmp(mc.status, "running"))
        rc = rp_err(err, RP_DENIED, "campaign %s is %s: its customers are given to agents while it runs", code,
                    mc.status);
    else if (!c)
        rc = rp_err(err, RP_NOTFOUND, "campaign %s has no cell '%.40s'", code, cell ? cell : "");
    else if (strcmp(c->channel, "outbound_call"))
        rc = rp_err(err, RP_INVAL, "cell %s is of channel %s: only an outbound_call cell is dialled", cell, c->channel);
    else if (c->paused)
        rc = rp_err(err, RP_DENIED, "cell %s is paused", cell);
    if (!rc) {
        int p = mk__index(mc.purpose, wh_consent_purposes);
        d->purpose = p >= 0 ? wh_consent_purposes[p] : "service";
        d->cap = c->cap;
        d->contact = wh_contact_channel("phone");
        d->waves = mc.waves;
        const char *e = json_string_value(json_object_get(mc.doc, "end_date"));
        snprintf(end, RP_DATE_LEN, "%.10s", e ? e : "");
    }
    json_decref(mc.doc);
    return rc;
}

static json_t *dial_skipped(const dial *d)
{
    json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "over_cap", (json_int_t)d->over_cap, "missing_phone",
                          (json_int_t)d->missing, "deceased_or_closed", (json_int_t)d->gone[0], "do_not_contact",
                          (json_int_t)d->gone[1], "no_consent", (json_int_t)d->gone[2], "unreachable",
                          (json_int_t)d->gone[3]);
    if (o && d->waves.n) {
        json_object_set_new(o, "wave_not_started", json_integer(d->not_started));
        json_object_set_new(o, "wave_ended", json_integer(d->wave_ended));
    }
    return o;
}

int mk_dial_targets(wh *w, const mk_mart *m, const char *code, const char *cell, mk_dial_target **list, size_t *n,
                    char purpose[24], json_t **skipped, rp_error *err)
{
    dial d = { .m = m, .keep_phones = 1 };
    char end[RP_DATE_LEN];
    *list = NULL, *n = 0, *skipped = NULL;
    int rc = dial_cell(w, code, cell, &d, end, err);
    if (!rc)
        rc = wh_campaign_reach(w, code, cell, dial_row, &d, err);
    mk_dial_target *t = rc || !d.n ? NULL : malloc(d.n * sizeof *t);
    if (!rc && d.n && !t)
        rc = rp_err(err, RP_NOMEM, NULL);
    for (size_t i = 0; !rc && i < d.n; i++) {
        t[i].customer = d.ids[i];
        memcpy(t[i].phone, d.phones[i], MK_PHONE_MAX);
    }
    if (!rc) {
        *list = t, *n = d.n, *skipped = dial_skipped(&d);
        snprintf(purpose, 24, "%s", d.purpose);
    }
    free(d.ids), free(d.phones);
    return rc;
}

int mk_cell_live(wh *w, const char *code, const char *cell, int64_t now, int *live, int *over, char why[80],
                 rp_error *err)
{
    mk__campaign mc;
    int rc = mk__campaign_cells(w, code, &mc, err);
    if (rc)
        return rc;
    const mk__cell *c = mk__campaign_cell(&mc, cell);
    const char *end = json_string_value(json_object_get(mc.doc, "end_date"));
    char today[RP_DATE_LEN];
    rp_date_format(rp_time_taipei_date(now), today);
    *live = 0;
    /* a campaign closed, cancelled or past its last day is over for good; a paused one may resume */
    *over = !strcmp(mc.status, "closed") || !strcmp(mc.status, "cancelled") || (end && strncmp(today, end, 10) > 0);
    if (end && strncmp(today, end, 10) > 0)
        snprintf(why, 80, "campaign %.30s ended on %.10s", code, end);
    else if (strcmp(mc.status, "running"))
        snprintf(why, 80, "campaign %.30s is %s", code, mc.status);
    else if (!c)
        snprintf(why, 80, "campaign %.20s has no cell %.30s", code, cell);
    else if (c->paused)
        snprintf(why, 80, "cell %.40s is paused", cell);
    else
        *live = 1, why[0] = 0;
    json_decref(mc.doc);
    return RP_OK;
}

int mk_dial_list(wh *w, const mk_mart *m, const char *code, const char *cell, const char *const *agents, int nagents,
                 const char *until, const char *by, json_t **summ, rp_error *err)
{
    if (nagents < 1)
        return rp_err(err, RP_INVAL, "agents: at least one outbound agent");
    char today[RP_DATE_LEN];
    rp_date_format(rp_time_taipei_date(rp_now()), today);
    if (until && strlen(until) == 10 && strcmp(until, today) < 0)
        return rp_err(err, RP_INVAL, "until: %s is before today (%s): the list would end before it began", until,
                      today);
    dial d = { .m = m };
    char end[RP_DATE_LEN], list[WH_LIST_NAME_MAX + 1];
    int rc = dial_cell(w, code, cell, &d, end, err);
    for (int a = 0; !rc && a < nagents; a++)
        if ((rc = sec_user_can(wh_store(w), agents[a], SEC_P_DIAL, err)))
            rp_err_prefix(err, "agents[%d]", a);
    if (!rc)
        rc = wh_campaign_reach(w, code, cell, dial_row, &d, err);
    snprintf(list, sizeof list, "%.40s-%.38s", code, cell);
    json_t *by_agent = json_object();
    int64_t *mine = rc ? NULL : malloc((d.n / (size_t)nagents + 1) * sizeof *mine);
    if (!rc && !mine)
        rc = rp_err(err, RP_NOMEM, NULL);
    if (!rc && !(rc = wh_begin(w, err))) {
        for (int a = 0; !rc && a < nagents; a++) { /* in turn: customer i to agent i mod n */
            int n = 0, added = 0;
            for (size_t i = (size_t)a; i < d.n; i += (size_t)nagents)
                mine[n++] = d.ids[i];
            if (!(rc = wh_calllist_add(w, list, agents[a], mine, n, until ? until : end[0] ? end : NULL, by, &added,
                                       err)))
                json_object_set_new(by_agent, agents[a], json_integer(added));
        }
        if (!rc)
            rc = mk__log(w, code, by, "dial", "running", "running", list, err);
        if (!rc)
            rc = wh_commit(w, err);
        else
            wh_rollback(w);
    }
    if (!rc)
        *summ = json_pack("{s:s, s:s, s:s, s:I, s:O, s:o}", "campaign", code, "cell", cell, "list", list, "customers",
                          (json_int_t)d.n, "by_agent", by_agent, "skipped", dial_skipped(&d));
    json_decref(by_agent);
    free(mine), free(d.ids);
    return rc;
}
