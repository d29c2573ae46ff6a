/*
 * gen.h — the synthetic bank.
 *
 * Writes, for N customers over M months, the extracts a Taiwanese retail
 * bank's source systems deliver, each in its own format and encoding, with
 * the truth beside them so that cleansing, matching and models can be
 * scored (docs/sources.md describes every file):
 *
 *   host/     core banking: CIF, ACCT and monthly TXN files, EBCDIC IBM-937,
 *             variable-length records with RDW, packed and zoned decimals,
 *             each with its COBOL copybook
 *   card/     the card system: customers, transactions and monthly statements
 *             (repayments, days past due), CSV in Big5 (CP950),
 *             its own customer numbers and the same people written its own way
 *   online/   internet and mobile banking: users, log-ins, click stream and
 *             transfers as UTF-8 JSON lines, keyed by online user id
 *   callcentre/  call detail records and agents' notes, CSV
 *   campaign/ past campaigns, target lists with random control groups, responses
 *   truth/    identity, defects, churn, segments, treatment effects, and each
 *             customer's digital propensity, card behaviour and delinquency
 *   manifest.json   every file with its system, format, encoding, records, SHA-256
 *
 * Output depends only on the options: the same seed gives the same bytes.
 * Each customer is made from its own random streams and written as soon as
 * it is made, so memory stays flat however many customers there are.
 *
 * The files of src/gen:
 *
 *   gen.h         this: the options, the counts, gen_run; the name tables
 *   internal.h    what gen's own files share: random streams, output files,
 *                 the world's places, the customer and the run (ctx)
 *   gen.c         gen_run: options checked, the loop over customers, counts
 *   people.c      customers: names, IDs, addresses, phones, income, wealth,
 *                 their channels (card, online id) and households
 *   simulate.c    behaviour month by month: products held, salaries, spending,
 *                 bills, loans, time deposits broken, churn, revenue
 *   host.c        core banking host: record layouts (copybook and EBCDIC bytes
 *                 from one table), host defects, CIF, ACCT, TXN, BRANCH records
 *   card.c        the card system: Big5 CSV, its own numbers and spellings
 *   statement.c   the card's monthly statements: repayment behaviour (transactor
 *                 or revolver), a latent risk, missed payments, days past due
 *   online.c      internet and mobile banking: JSON lines, log-ins, clicks,
 *                 transfers
 *   callcentre.c  call detail records and agents' notes
 *   campaign.c    campaigns, target lists with control groups, responses,
 *                 true treatment effects
 *   crm.c         the CRM's consents, do-not-contact list, staff list and complaints
 *   truth.c       the truth files: defects as put in, churn, segments, behaviour;
 *                 the top 20 % revenue share
 *   manifest.c    every output file with its manifest entry: opened, closed,
 *                 hashed, listed in manifest.json
 *   rng.c         deterministic random streams (xoshiro256**)
 *   out.c         an output file: written once, hashed as it goes
 *   world.c       the world's facts: surnames, given names, counties and
 *                 districts, streets, occupations, variant characters
 */
#ifndef RP_GEN_H
#define RP_GEN_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

#define GEN_MAX_CUSTOMERS 10000000
#define GEN_MAX_MONTHS 120

typedef struct gen_options {
    int64_t customers;
    int months;         /* default 24 */
    uint64_t seed;      /* default 1 */
    double defect_rate; /* default 0.02: share of records given one defect */
    const char *out;
    int end_year, end_month; /* the last month extracted; default 2026-10 */
    int progress;       /* show progress on a terminal */
} gen_options;

#define GEN_OPTIONS_INIT { 0, 24, 1, 0.02, NULL, 2026, 10, 1 }

typedef struct gen_stats {
    int64_t customers, persons, organisations, accounts, host_txns, card_customers, card_txns, card_statements;
    int64_t online_users, calls, campaign_targets;
    int64_t defects, records, churned_next_month;
    double top20_revenue_share;
} gen_stats;

int gen_run(const gen_options *o, gen_stats *stats, rp_error *err) RP_WARN_UNUSED;

/* The name tables (world.c), which the matcher's tests read too: Taiwanese
 * surnames with their frequencies (Ministry of the Interior, 2018) and
 * given-name characters, with their Wade-Giles romanisation as passports
 * write it. */
typedef struct gen_name_part {
    const char *zh, *latin;
    double weight;
} gen_name_part;

extern const gen_name_part gen_surnames[];
extern const size_t gen_nsurnames;
extern const gen_name_part gen_given_female[], gen_given_male[];
extern const size_t gen_ngiven_female, gen_ngiven_male;

#endif
