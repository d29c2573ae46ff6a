/* targets.c — a record's targets written into the warehouse: one function
 * per kind of target, found in writers[] by its kind.  Each reads the
 * target's attributes, calls the warehouse's writer and says what became
 * of the record: written, rejected (rj says why) or a failure of the load.
 * See load_internal.h. */
#include "etl/load_internal.h"

#include <stdio.h>
#include <string.h>

/* ---- target values ---- */

/* sp_attr_index, remembered by the name's address: the names below are
 * literals, and looking each up by strcmp for every record was a tenth of
 * a load's time. */
static int attr_ix(sp_target_kind k, const char *name)
{
    enum { MEMO = 32 };
    static _Thread_local const char *names[TG__COUNT][MEMO];
    static _Thread_local int ixs[TG__COUNT][MEMO], n[TG__COUNT];
    for (int i = 0; i < n[k]; i++)
        if (names[k][i] == name)
            return ixs[k][i];
    int ix = sp_attr_index(k, name);
    if (n[k] < MEMO) {
        names[k][n[k]] = name;
        ixs[k][n[k]++] = ix;
    }
    return ix;
}

static const char *val(const sp_target *t, const char *name, const sp_value *v)
{
    return ld__val_at(t, attr_ix(t->kind, name), v);
}

static int num(const sp_target *t, const char *name, const sp_value *v, int64_t *out)
{
    return ld__num_at(t, attr_ix(t->kind, name), v, out);
}

/* What a target's references found: its party, its account and the
 * account's currency when known. */
typedef struct ld_refs {
    int64_t party, account;
    const char *currency;
} ld_refs;

/* A warehouse writer's answer: a refusal is the record's reject, anything
 * else the load's failure. */
static int wrote(int rc, const rp_error *e, const sp_target *t, sp_reject *rj, rp_error *err)
{
    if (!rc)
        return RP_OK;
    if (ld__refused(rc, e, sp_target_name(t->kind), rj))
        return SP_REJECT;
    return rp_err(err, rc, "%s", rp_errmsg(e));
}

/* A failure of a writer whose refusals the caller has turned into rejects. */
static int failed(int rc, const rp_error *e, rp_error *err) { return rc ? rp_err(err, rc, "%s", rp_errmsg(e)) : RP_OK; }

/* "a, b or c" of a NULL-terminated list */
static const char *or_list(const char *const *list, char *out, size_t n)
{
    size_t len = 0;
    out[0] = 0;
    for (int i = 0; list[i] && len < n; i++)
        len += (size_t)snprintf(out + len, n - len, "%s%s", i == 0 ? "" : list[i + 1] ? ", " : " or ", list[i]);
    return out;
}

/* ---- one function per kind of target ---- */

static int put_party(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj, rp_error *err)
{
    (void)x;
    wh_party p;
    for (int i = 0; i < WH_NPARTY_ATTRS; i++)
        *wh_party_attr_slot(&p, i) = val(t, wh_party_attr_names[i], v);
    const char *key = val(t, "key", v);
    if (!key)
        return ld__rejectf(rj, "key", "", "required", "party key: required (the source's customer number)");
    rp_error e;
    rp_err_clear(&e);
    int outcome = 0;
    int rc = wh_party_upsert(L->w, t->source, key, &p, L->job, t->insert_only, &L->party, &outcome, &e);
    if (!rc && outcome == WH_CREATED)
        rc = ld__pending_resolve(L, t->source, key, L->party, &e);
    if (!rc)
        L->r->created += outcome == WH_CREATED, L->r->updated += outcome == WH_UPDATED;
    return wrote(rc, &e, t, rj, err);
}

static int put_identifier(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj,
                          rp_error *err)
{
    const char *value = val(t, "value", v);
    if (!value)
        return RP_OK;
    const char *type = val(t, "type", v);
    if (type && !strcmp(type, "taiwan_id")) /* by its shape: UBN, national ID or resident certificate */
        type = strlen(value) == 8 ? "ubn" : wh_check_national_id(value) ? "national_id" : "resident_cert";
    rp_error e;
    rp_err_clear(&e);
    int outcome = 0;
    int rc = wh_identifier_put(L->w, x->party, type, val(t, "issuer", v), value, val(t, "valid_from", v), &outcome,
                               &e);
    return wrote(rc, &e, t, rj, err);
}

static int put_contact(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj, rp_error *err)
{
    const char *value = val(t, "value", v);
    if (!value)
        return RP_OK;
    int64_t primary = 0;
    num(t, "primary", v, &primary);
    wh_contact c = { val(t, "kind", v),        val(t, "purpose", v), value,
                     val(t, "postal_code", v), val(t, "county", v),  val(t, "district", v),
                     (int)primary,             NULL,                 NULL,
                     t->source,                val(t, "country", v) };
    rp_error e;
    rp_err_clear(&e);
    int outcome = 0;
    return wrote(wh_contact_put(L->w, x->party, &c, &outcome, &e), &e, t, rj, err);
}

static int put_account(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj, rp_error *err)
{
    (void)x;
    wh_account a = { val(t, "number", v), val(t, "product", v),   val(t, "branch", v),
                     val(t, "currency", v), val(t, "opened_on", v), val(t, "closed_on", v),
                     val(t, "status", v), 0,                        0,
                     0,                   val(t, "balance_at", v), NULL, 0, 0, NULL };
    if (!a.currency)
        a.currency = "TWD";
    num(t, "balance", v, &a.balance_minor);
    a.has_limit = num(t, "limit", v, &a.limit_minor);
    a.interest_rate = val(t, "interest_rate", v);
    a.has_accrued = num(t, "accrued_interest", v, &a.accrued_interest_minor);
    a.matures_on = val(t, "matures_on", v);
    rp_error e;
    rp_err_clear(&e);
    int outcome = 0;
    int rc = wh_account_upsert(L->w, t->source, &a, L->job, t->insert_only, &L->account, &outcome, &e);
    if (!rc)
        L->r->created += outcome == WH_CREATED, L->r->updated += outcome == WH_UPDATED;
    return wrote(rc, &e, t, rj, err);
}

static int put_role(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj, rp_error *err)
{
    rp_error e;
    rp_err_clear(&e);
    int outcome = 0;
    int rc = wh_role_put(L->w, x->party, x->account, val(t, "role", v), val(t, "since", v), &outcome, &e);
    return wrote(rc, &e, t, rj, err);
}

/* A link to a party of another source; one not there yet waits for it. */
static int put_link(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj, rp_error *err)
{
    const char *key = v[t->party2.field].null ? NULL : v[t->party2.field].text;
    if (!key)
        return RP_OK;
    rp_error e;
    rp_err_clear(&e);
    int64_t party2 = 0;
    int rc = wh_party_by_source(L->w, t->party2.source, key, &party2, &e);
    if (rc == RP_NOTFOUND)
        return ld__pending_add(L, x->party, t->party2.source, key, val(t, "kind", v), val(t, "since", v), err);
    if (!rc && party2 != x->party) {
        rc = wh_party_link_add(L->w, x->party, party2, val(t, "kind", v), val(t, "since", v), &e);
        if (rc == RP_EXISTS)
            rc = RP_OK;
    }
    return wrote(rc, &e, t, rj, err);
}

/* The transaction the decoding thread checked and wrote waits in the batch
 * until it commits, with the record it came from. */
static int put_txn(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj, rp_error *err)
{
    (void)v;
    const ld_enc *en = L->enc++;
    rp_error e;
    rp_err_clear(&e);
    if (en->rc)
        return wrote(rp_err(&e, en->rc, "%s", L->enc_text + en->msg), &e, t, rj, err);
    if (L->npend == L->cappend) {
        size_t cap = L->cappend ? L->cappend * 2 : 4096;
        ld_pend *np = realloc(L->pend, cap * sizeof *np);
        if (!np)
            return rp_err(err, RP_NOMEM, NULL);
        L->pend = np;
        L->cappend = cap;
    }
    int rc = wh_txn_batch_add_row(L->w, L->txns, x->account, x->currency, t->source, L->job, L->enc_text, &en->row,
                                  (int64_t)L->npend, &e);
    if (rc)
        return wrote(rc, &e, t, rj, err);
    ld_pend *pd = &L->pend[L->npend++];
    pd->number = L->rec->number;
    pd->offset = L->rec->offset;
    pd->raw = L->raw.len;
    pd->rawlen = L->rec->len;
    pd->fixed = L->rec_fixed;
    rp_buf_append(&L->raw, L->rec->data ? L->rec->data : "", L->rec->len);
    if (rp_buf_status(&L->raw) != RP_OK)
        return rp_err(err, RP_NOMEM, "the records waiting to be written are more than the buffer allows");
    return RP_OK;
}

static int put_interaction(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj,
                           rp_error *err)
{
    wh_interaction in = { x->party,
                          val(t, "at", v),
                          val(t, "channel", v),
                          val(t, "direction", v),
                          val(t, "staff", v),
                          val(t, "reason", v),
                          val(t, "outcome", v),
                          val(t, "notes", v),
                          NULL,
                          L->o->by,
                          val(t, "kind", v),
                          val(t, "resolved_at", v) };
    rp_error e;
    rp_err_clear(&e);
    return wrote(wh_interaction_add(L->w, &in, NULL, &e), &e, t, rj, err);
}

static int put_staff(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj, rp_error *err)
{
    wh_staff s = { x->party, val(t, "employee_no", v), val(t, "since", v), val(t, "until", v), t->source, L->job };
    rp_error e;
    rp_err_clear(&e);
    return wrote(wh_staff_put(L->w, &s, &e), &e, t, rj, err);
}

static int put_manager(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj, rp_error *err)
{
    wh_manager m = { x->party, val(t, "manager", v), val(t, "since", v), t->source, L->job };
    rp_error e;
    rp_err_clear(&e);
    return wrote(wh_manager_put(L->w, &m, &e), &e, t, rj, err);
}

/* A do-not-contact entry: a customer's (party given) or a number's or address's (value). */
static int put_dnc(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj, rp_error *err)
{
    const char *value = val(t, "value", v);
    wh_dnc d = { value && *value ? 0 : x->party, value, val(t, "channel", v), val(t, "reason", v), val(t, "since", v),
                 val(t, "until", v), t->source, val(t, "note", v), L->job };
    rp_error e;
    rp_err_clear(&e);
    return wrote(wh_dnc_add(L->w, &d, NULL, &e), &e, t, rj, err);
}

static int put_consent(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj, rp_error *err)
{
    int64_t g = 0;
    num(t, "granted", v, &g);
    wh_consent c = { x->party, val(t, "purpose", v), val(t, "channel", v), (int)g,
                     val(t, "evidence", v), val(t, "effective_at", v), L->o->by };
    rp_error e;
    rp_err_clear(&e);
    return wrote(wh_consent_set(L->w, &c, &e), &e, t, rj, err);
}

/* Online activity; a key its source gave before is a duplicate. */
static int put_activity(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj,
                        rp_error *err)
{
    wh_activity a = { x->party, val(t, "at", v), val(t, "kind", v), val(t, "channel", v), val(t, "detail", v), 0, 0,
                      val(t, "currency", v), t->source, val(t, "key", v), L->job };
    a.has_amount = num(t, "amount", v, &a.amount_minor);
    rp_error e;
    rp_err_clear(&e);
    int rc = wh_activity_add(L->w, &a, &e);
    if (rc == RP_EXISTS)
        return ld__rejectf(rj, "", a.source_key, "duplicate", "%s record '%s' was already loaded", t->source,
                           a.source_key);
    return failed(rc, &e, err);
}

/* A call, in the customer's contact history too when they were identified
 * and said why they called; a call its source gave before is a duplicate. */
static int put_call(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj, rp_error *err)
{
    int64_t ia = 0;
    const char *agent = val(t, "agent", v), *reason = val(t, "reason", v);
    rp_error e;
    rp_err_clear(&e);
    int rc;
    /* the call's contact-history entry lands with the call or not at all (a
     * repeated call is rejected after its entry was written otherwise) */
    if ((rc = wh_begin(L->w, err)))
        return rc;
    if (x->party && reason) {
        wh_interaction in = { x->party, val(t, "arrival", v), "phone", "inbound", agent, reason,
                              NULL,     NULL,                 NULL,    L->o->by, NULL, NULL };
        if ((rc = wh_interaction_add(L->w, &in, &ia, &e))) {
            wh_rollback(L->w);
            return wrote(rc, &e, t, rj, err);
        }
    }
    wh_call c = { 0 };
    c.call_id = val(t, "call_id", v);
    c.source = t->source;
    c.arrival = val(t, "arrival", v);
    c.caller = val(t, "caller", v);
    c.ivr_path = val(t, "ivr_path", v);
    c.party_id = x->party;
    c.queue = val(t, "queue", v);
    c.has_wait = num(t, "wait_s", v, &c.wait_s);
    c.has_talk = num(t, "talk_s", v, &c.talk_s);
    c.has_wrap = num(t, "wrap_s", v, &c.wrap_s);
    int64_t abandoned = 0;
    num(t, "abandoned", v, &abandoned);
    c.abandoned = abandoned != 0;
    c.agent = agent;
    c.reason = reason;
    c.interaction_id = ia;
    c.job_id = L->job;
    if ((rc = wh_call_add(L->w, &c, &e))) {
        wh_rollback(L->w);
        if (rc == RP_EXISTS)
            return ld__rejectf(rj, "call_id", c.call_id, "duplicate", "call '%s' was already loaded", c.call_id);
        return failed(rc, &e, err);
    }
    return wh_commit(L->w, err);
}

static int put_call_note(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj,
                         rp_error *err)
{
    (void)x;
    const char *id = val(t, "call_id", v);
    wh_call_note n = { t->source, id, val(t, "note", v), val(t, "category", v), val(t, "at", v), val(t, "agent", v) };
    rp_error e;
    rp_err_clear(&e);
    int rc = wh_call_note_put(L->w, &n, &e);
    if (rc == RP_NOTFOUND)
        return ld__rejectf(rj, "call_id", id, "reference", "call_id: no call '%s' from %s", id, t->source);
    return failed(rc, &e, err);
}

static int put_campaign(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj,
                        rp_error *err)
{
    (void)x, (void)rj;
    wh_campaign c = { val(t, "code", v),       val(t, "name", v),     val(t, "offer", v),
                      val(t, "channel", v),    val(t, "start_date", v), val(t, "end_date", v),
                      val(t, "response_deadline", v), L->job };
    rp_error e;
    rp_err_clear(&e);
    return failed(wh_campaign_put(L->w, &c, &e), &e, err);
}

/* A target's or a response's campaign must be there, and its group or
 * response be one of the list (what the attribute is called). */
static int campaign_refused(int rc, const char *code, const char *attr, const char *value,
                            const char *const *list, sp_reject *rj)
{
    char all[128];
    if (rc == RP_NOTFOUND)
        return ld__rejectf(rj, "campaign", code, "reference", "campaign: no campaign '%s'", code);
    return ld__rejectf(rj, attr, value, "code", "%s: '%s' is not %s", attr, ld__nn(value),
                       or_list(list, all, sizeof all));
}

static int put_campaign_target(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj,
                               rp_error *err)
{
    wh_campaign_target c = { val(t, "campaign", v), x->party, val(t, "group", v), val(t, "contacted_at", v),
                             val(t, "channel", v), L->job, NULL, NULL, NULL, 0 };
    rp_error e;
    rp_err_clear(&e);
    int rc = wh_campaign_target_put(L->w, &c, &e);
    if (rc == RP_NOTFOUND || rc == RP_INVAL || rc == RP_CONSTRAINT)
        return campaign_refused(rc, c.campaign, "group", c.group, wh_campaign_groups, rj);
    return failed(rc, &e, err);
}

static int put_campaign_response(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj,
                                 rp_error *err)
{
    wh_campaign_response c = { val(t, "campaign", v), x->party, val(t, "response", v), val(t, "responded_at", v),
                               L->job, "file", NULL, NULL, NULL };
    rp_error e;
    rp_err_clear(&e);
    int rc = wh_campaign_response_put(L->w, &c, &e);
    if (rc == RP_NOTFOUND && strstr(e.msg, "not a target"))  /* a response from someone never targeted */
        return ld__rejectf(rj, "campaign", c.campaign, "reference", "campaign: the customer is not a target of campaign '%s'",
                           c.campaign);
    if (rc == RP_NOTFOUND || rc == RP_INVAL || rc == RP_CONSTRAINT)
        return campaign_refused(rc, c.campaign, "response", c.response, wh_campaign_responses, rj);
    return failed(rc, &e, err);
}

static int put_branch(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj, rp_error *err)
{
    (void)x;
    wh_branch b = { val(t, "code", v),     val(t, "name_zh", v),     val(t, "name_en", v),
                    val(t, "county", v),   val(t, "district", v),    val(t, "address", v),
                    val(t, "postal_code", v), val(t, "phone", v),    val(t, "opened_on", v),
                    NULL };
    rp_error e;
    rp_err_clear(&e);
    return wrote(wh_branch_put(L->w, &b, &e), &e, t, rj, err);
}

static int put_statement(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj,
                         rp_error *err)
{
    wh_statement s = { 0 };
    s.account_id = x->account;
    s.date = val(t, "date", v);
    s.due_date = val(t, "due_date", v);
    s.source = t->source;
    s.job_id = L->job;
    s.has_previous_balance = num(t, "previous_balance", v, &s.previous_balance);
    s.has_purchases = num(t, "purchases", v, &s.purchases);
    s.has_cash_advances = num(t, "cash_advances", v, &s.cash_advances);
    s.has_interest_fees = num(t, "interest_fees", v, &s.interest_fees);
    s.has_payments = num(t, "payments", v, &s.payments);
    s.has_balance = num(t, "balance", v, &s.balance);
    s.has_limit = num(t, "limit", v, &s.limit);
    s.has_minimum_due = num(t, "minimum_due", v, &s.minimum_due);
    num(t, "days_past_due", v, &s.days_past_due);
    rp_error e;
    rp_err_clear(&e);
    return wrote(wh_statement_put(L->w, &s, &e), &e, t, rj, err);
}

static int put_product(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj, rp_error *err)
{
    (void)x;
    const char *cats[2] = { val(t, "category", v), NULL };
    wh_product pr = { 0 };
    pr.code = val(t, "code", v);
    pr.name_zh = val(t, "name_zh", v);
    pr.name_en = val(t, "name_en", v);
    pr.description = val(t, "description", v);
    pr.kind = val(t, "kind", v);
    pr.currency = val(t, "currency", v);
    num(t, "monthly_cost", v, &pr.monthly_cost_minor);
    num(t, "monthly_revenue", v, &pr.monthly_revenue_minor);
    int64_t prio = 0;
    num(t, "sales_priority", v, &prio);
    pr.sales_priority = (int)prio;
    pr.launched_on = val(t, "launched_on", v);
    pr.withdrawn_on = val(t, "withdrawn_on", v);
    pr.categories = cats;
    rp_error e;
    rp_err_clear(&e);
    return wrote(wh_product_put(L->w, &pr, &e), &e, t, rj, err);
}

/* ---- the table ---- */

typedef int (*ld_put_fn)(ld *L, const sp_target *t, const sp_value *v, const ld_refs *x, sp_reject *rj,
                         rp_error *err);

/* A new kind of target: its attributes in spec.c and one row here. */
static const struct {
    sp_target_kind kind;
    ld_put_fn put;
} writers[TG__COUNT] = {
    [TG_PARTY] = { TG_PARTY, put_party },
    [TG_IDENTIFIER] = { TG_IDENTIFIER, put_identifier },
    [TG_CONTACT] = { TG_CONTACT, put_contact },
    [TG_ACCOUNT] = { TG_ACCOUNT, put_account },
    [TG_ROLE] = { TG_ROLE, put_role },
    [TG_LINK] = { TG_LINK, put_link },
    [TG_TXN] = { TG_TXN, put_txn },
    [TG_INTERACTION] = { TG_INTERACTION, put_interaction },
    [TG_CONSENT] = { TG_CONSENT, put_consent },
    [TG_ACTIVITY] = { TG_ACTIVITY, put_activity },
    [TG_CALL] = { TG_CALL, put_call },
    [TG_CALL_NOTE] = { TG_CALL_NOTE, put_call_note },
    [TG_CAMPAIGN] = { TG_CAMPAIGN, put_campaign },
    [TG_CAMPAIGN_TARGET] = { TG_CAMPAIGN_TARGET, put_campaign_target },
    [TG_CAMPAIGN_RESPONSE] = { TG_CAMPAIGN_RESPONSE, put_campaign_response },
    [TG_BRANCH] = { TG_BRANCH, put_branch },
    [TG_PRODUCT] = { TG_PRODUCT, put_product },
    [TG_STATEMENT] = { TG_STATEMENT, put_statement },
    [TG_STAFF] = { TG_STAFF, put_staff },
    [TG_MANAGER] = { TG_MANAGER, put_manager },
    [TG_DNC] = { TG_DNC, put_dnc },
};

int ld__targets_check(rp_error *err)
{
    for (int k = 0; k < TG__COUNT; k++)
        if (writers[k].kind != (sp_target_kind)k || !writers[k].put)
            return rp_err(err, RP_INTERNAL, "no writer for targets of kind %s", sp_target_name((sp_target_kind)k));
    return RP_OK;
}

int ld__write_targets(ld *L, const sp_value *v, sp_reject *rj, rp_error *err)
{
    L->party = L->account = 0;
    for (int ti = 0; ti < L->s->ntargets; ti++) {
        const sp_target *t = &L->s->targets[ti];
        if (t->when_field >= 0 && v[t->when_field].null) {
            L->enc += t->kind == TG_TXN; /* the decoding thread wrote none for it, but kept its place */
            continue;
        }
        ld_refs x = { 0, 0, NULL };
        int rc;
        if (t->party.kind && (rc = ld__party_ref(L, &t->party, v, &x.party, rj, err)))
            return rc;
        if (t->account.kind && (rc = ld__account_ref(L, &t->account, v, &x.account, &x.currency, rj, err)))
            return rc;
        if ((rc = writers[t->kind].put(L, t, v, &x, rj, err)))
            return rc;
    }
    return RP_OK;
}

/* ---- transactions in the batch ---- */

/* A transaction the flush found repeated: its record becomes a reject
 * rather than a load. */
static int txn_repeat(void *ctx, int64_t tag, const char *message, rp_error *err)
{
    ld *L = ctx;
    const ld_pend *pd = &L->pend[tag];
    rd_record rec;
    rec.nfields = 0;
    rec.number = pd->number;
    rec.offset = pd->offset;
    rec.data = L->raw.data + pd->raw;
    rec.len = pd->rawlen;
    rp_error e = RP_ERROR_INIT;
    rp_err(&e, RP_EXISTS, "%s", message);
    sp_reject rj;
    ld__refused(RP_EXISTS, &e, "transaction", &rj);
    int rc = ld__reject(L, &rec, &rj, err);
    if (!rc && !L->rejected_again) { /* counted as loaded until now, once */
        L->r->loaded--;
        if (pd->fixed)
            L->r->fixed--;
    }
    return rc;
}

int ld__flush_txns(ld *L, rp_error *err)
{
    int rc = wh_txn_batch_flush(L->w, L->txns, txn_repeat, L, NULL, NULL, err);
    L->npend = 0;
    rp_buf_reset(&L->raw);
    return rc;
}
