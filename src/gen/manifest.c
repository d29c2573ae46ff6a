/*
 * manifest.c — every output file with its manifest entry (system, format,
 * encoding, layout, description): opened before the first customer; at the
 * end closed, hashed and listed with records, bytes and SHA-256 in
 * manifest.json.
 */
#include "gen/internal.h"

#include <stdio.h>
#include "core/buf.h"
#include "core/json.h"

/* Open every file, in manifest order, and let each writer begin its files. */
int gen_open_all(ctx *c, rp_error *err)
{
    const char *dir = c->o->out;
    struct {
        gen_out *o;
        const char *rel, *system, *format, *encoding, *layout, *description;
    } files[] = {
        { &c->branches, "host/BRANCH.dat", "host", "fixed-width records with RDW", "IBM-937",
          "host/BRANCH.cpy", "branch master: one record per branch" },
        { &c->cpy_branch, "host/BRANCH.cpy", "host", "COBOL copybook", "ASCII", NULL, "layout of BRANCH.dat" },
        { &c->cif, "host/CIF.dat", "host", "fixed-width records with RDW", "IBM-937", "host/CIF.cpy",
          "customer information file: one record per customer" },
        { &c->acct, "host/ACCT.dat", "host", "fixed-width records with RDW", "IBM-937", "host/ACCT.cpy",
          "account master: one record per account holder" },
        { &c->cpy_cif, "host/CIF.cpy", "host", "COBOL copybook", "ASCII", NULL, "layout of CIF.dat" },
        { &c->cpy_acct, "host/ACCT.cpy", "host", "COBOL copybook", "ASCII", NULL, "layout of ACCT.dat" },
        { &c->cpy_txn, "host/TXN.cpy", "host", "COBOL copybook", "ASCII", NULL, "layout of TXN_YYYYMM.dat" },
        { &c->card_cust, "card/card_customers.csv", "card", "CSV (RFC 4180) with header", "CP950", NULL,
          "card holders as the card system knows them" },
        { &c->card_txn, "card/card_transactions.csv", "card", "CSV (RFC 4180) with header", "CP950", NULL,
          "card purchases" },
        { &c->card_stmt, "card/card_statements.csv", "card", "CSV (RFC 4180) with header", "CP950", NULL,
          "monthly card statements: balance, repayment, minimum due, days past due" },
        { &c->ol_users, "online/users.jsonl", "online", "JSON lines", "UTF-8", NULL,
          "internet and mobile banking users" },
        { &c->ol_logins, "online/logins.jsonl", "online", "JSON lines", "UTF-8", NULL,
          "log-ins, successful and failed" },
        { &c->ol_events, "online/events.jsonl", "online", "JSON lines", "UTF-8", NULL,
          "page views (click stream) of the last three months" },
        { &c->ol_transfers, "online/transfers.jsonl", "online", "JSON lines", "UTF-8", NULL,
          "transfers and payments made online" },
        { &c->cdr, "callcentre/calls.csv", "callcentre", "CSV (RFC 4180) with header", "UTF-8", NULL,
          "call detail records: arrival, IVR path, queue, wait, talk, wrap-up, abandon" },
        { &c->notes, "callcentre/notes.csv", "callcentre", "CSV (RFC 4180) with header", "UTF-8", NULL,
          "agents' contact notes" },
        { &c->campaigns, "campaign/campaigns.csv", "campaign", "CSV (RFC 4180) with header", "UTF-8", NULL,
          "past campaigns: offer, channel, dates" },
        { &c->targets, "campaign/targets.csv", "campaign", "CSV (RFC 4180) with header", "UTF-8", NULL,
          "target lists with the random control group" },
        { &c->responses, "campaign/responses.csv", "campaign", "CSV (RFC 4180) with header", "UTF-8", NULL,
          "responses: positive, negative (no response is no row)" },
        { &c->consents, "crm/consents.csv", "crm", "CSV (RFC 4180) with header", "UTF-8", NULL,
          "consents to marketing by purpose and channel, as given and withdrawn" },
        { &c->dnc, "crm/do_not_contact.csv", "crm", "CSV (RFC 4180) with header", "UTF-8", NULL,
          "do not contact: customers who asked, numbers on the do-not-call registry" },
        { &c->staff, "crm/staff.csv", "crm", "CSV (RFC 4180) with header", "UTF-8", NULL, "the bank's staff" },
        { &c->complaints, "crm/complaints.csv", "crm", "CSV (RFC 4180) with header", "UTF-8", NULL,
          "complaints, open until resolved" },
        { &c->managers, "crm/managers.csv", "crm", "CSV (RFC 4180) with header", "UTF-8", NULL,
          "relationship managers of the wealthier customers, by their user names" },
        { &c->treatment, "truth/treatment.csv", "truth", "CSV with header", "UTF-8", NULL,
          "true response probabilities with and without the campaign" },
        { &c->identity, "truth/identity.csv", "truth", "CSV with header", "UTF-8", NULL,
          "the true person behind every customer record of every source" },
        { &c->defects, "truth/defects.csv", "truth", "CSV with header", "UTF-8", NULL,
          "every defect put into the extracts" },
        { &c->churn, "truth/churn.csv", "truth", "CSV with header", "UTF-8", NULL,
          "churn within the window and in the month after it" },
        { &c->segments, "truth/segments.csv", "truth", "CSV with header", "UTF-8", NULL,
          "true life stage, value tier and revenue" },
        { &c->behaviour, "truth/behaviour.csv", "truth", "CSV with header", "UTF-8", NULL,
          "true digital propensity, card repayment behaviour and delinquency in the month after" },
    };
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        int rc = gen_out_open(files[k].o, dir, files[k].rel, err);
        if (rc)
            return rc;
        c->files[c->nfiles++] = files[k].o;
        files[k].o->system = files[k].system;
        files[k].o->format = files[k].format;
        files[k].o->encoding = files[k].encoding;
        files[k].o->layout = files[k].layout;
        files[k].o->description = files[k].description;
    }
    for (int m = 0; m < c->o->months; m++) {
        char rel[64];
        snprintf(rel, sizeof rel, "host/TXN_%04d%02d.dat", month_y(c, m) % 10000, month_m(c, m) % 100);
        int rc = gen_out_open(&c->txn[m], dir, rel, err);
        if (rc)
            return rc;
        c->files[c->nfiles++] = &c->txn[m];
        c->txn[m].system = "host";
        c->txn[m].format = "fixed-width records with RDW";
        c->txn[m].encoding = "IBM-937";
        c->txn[m].layout = "host/TXN.cpy";
        c->txn[m].description = "posted transactions of one month";
    }
    gen_host_begin(c);
    gen_card_begin(c);
    gen_statement_begin(c);
    gen_callcentre_begin(c);
    gen_campaign_begin(c);
    gen_privacy_begin(c);
    gen_truth_begin(c);
    return RP_OK;
}

/* Close every file that is open and write manifest.json, unless a file failed:
 * then the first error. */
int gen_close_all(ctx *c, rp_error *err)
{
    gen_out **all = c->files;
    int n = c->nfiles;
    json_t *files = json_array();
    int rc = RP_OK;
    for (int k = 0; k < n; k++) {
        gen_out *o = all[k];
        if (!o->f)
            continue;
        char hex[65];
        int r = gen_out_close(o, hex, err);
        if (r && !rc)
            rc = r;
        json_t *f = json_object();
        json_object_set_new(f, "path", json_string(o->rel));
        json_object_set_new(f, "system", json_string(o->system));
        json_object_set_new(f, "format", json_string(o->format));
        json_object_set_new(f, "encoding", json_string(o->encoding));
        if (o->layout)
            json_object_set_new(f, "layout", json_string(o->layout));
        json_object_set_new(f, "description", json_string(o->description));
        json_object_set_new(f, "records", json_integer(o->records));
        json_object_set_new(f, "bytes", json_integer(o->bytes));
        json_object_set_new(f, "sha256", json_string(hex));
        json_array_append_new(files, f);
    }
    if (rc) {
        json_decref(files);
        return rc;
    }
    json_t *m = json_object();
    char first[16], last[16];
    snprintf(first, sizeof first, "%04d-%02d", c->y0 % 10000, c->m0 % 100);
    snprintf(last, sizeof last, "%04d-%02d", c->o->end_year % 10000, c->o->end_month % 100);
    json_object_set_new(m, "generator", json_string("rapport gen"));
    json_object_set_new(m, "seed", json_integer((json_int_t)c->o->seed));
    json_object_set_new(m, "customers", json_integer(c->o->customers));
    json_object_set_new(m, "months", json_integer(c->o->months));
    json_object_set_new(m, "first_month", json_string(first));
    json_object_set_new(m, "last_month", json_string(last));
    json_object_set_new(m, "defect_rate", json_real(c->o->defect_rate));
    json_object_set_new(m, "files", files);
    gen_out mf;
    if ((rc = gen_out_open(&mf, c->o->out, "manifest.json", err)) == RP_OK) {
        rp_buf b = RP_BUF_INIT;
        rp_json_dump(m, 2, &b);
        rp_buf_putc(&b, '\n');
        gen_out_write(&mf, b.data, b.len);
        rp_buf_release(&b);
        rc = gen_out_close(&mf, NULL, err);
    }
    json_decref(m);
    return rc;
}
