/* commands.c — the command table, `rapport help` and `rapport version`. */
#include "cli/cli.h"
#include "store/store.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define RAPPORT_VERSION "0.1.0"

#define STORE_HELP                                                                   \
    "  --db PATH       the store (default $RAPPORT_DB, then [store] path or url in\n" \
    "                  the configuration, then ./rapport.db); postgresql://... a\n"  \
    "                  database server's (its password from PGPASSFILE or\n"       \
    "                  PGPASSWORD, never in the URL)\n"                             \
    "  --key PATH      the sealing key file (default $RAPPORT_KEY, then\n"           \
    "                  [security] key_file, then the store's path + .key)\n"         \
    "  --config FILE   an INI configuration file (default $RAPPORT_CONFIG)\n"

/* The user commands that change a user: the operator's, at once. */
#define OPERATOR_HELP                                                                \
    "This command is the system operator's, who holds the store and its key: the\n" \
    "bootstrap and break-glass path.  It applies at once, without the second\n"    \
    "administrator the API asks for (see 'rapport user requests'), and is in the\n" \
    "audit trail under your name.\n\n"

#define DESIGN_OPTS "name= objective= purpose= owner= start= end= deadline= budget= currency= rule= model= top-deciles= list= policy= control-pct= control-rate= control-margin= confidence= stratify= seed="
#define DESIGN_HELP \
      "options:\n" \
      "  --name TEXT, --objective TEXT    what it is called and what it is for\n" \
      "  --purpose P       the consent purpose it contacts for: marketing, cross_group,\n" \
      "                    third_party, profiling, research or service (required)\n" \
      "  --owner USER      who runs it (who creates it)\n" \
      "  --start, --end, --deadline DATE  its dates; responses count until the deadline\n" \
      "  --budget AMOUNT [--currency TWD]\n" \
      "  --rule RULE       the candidates, in the segment language ('rapport analyze\n" \
      "                    attributes'; score('m') and score_decile('m') of kept models)\n" \
      "  --model M --top-deciles N   the top N deciles of kept model M's latest scoring\n" \
      "  --list NAME       the customers of an uploaded list ('rapport targetlist add'), or\n" \
      "                    event:RULE[:DAYS] those an event rule found in the last DAYS days (30)\n" \
      "  --policy JSON     suppression: {\"recent_days\": 30, \"max_per_month\": 4,\n" \
      "                    \"minor_age\": 18, \"household\": true, \"skip\": [steps]}\n" \
      "  --control-pct P   the hold-out, percent of the eligible (10)\n" \
      "  --control-rate P --control-margin E [--confidence 80|90|95]   or sized by\n" \
      "                    n = z^2 p (1 - p) / e^2\n" \
      "  --stratify ATTR   the hold-out taken alike in each value of an attribute\n" \
      "  --seed N          the hold-out and the cells, the same again from the same seed\n" STORE_HELP, NULL }, \

const cli_cmd cli_commands[] = {
    { "help", cmd_help, 0, "commands", 0, 2,
      "rapport help [COMMAND] [--commands]", "Show the commands, or one command's help.",
      "options:\n"
      "  --commands      list the command names, one per line\n", NULL },
    { "version", cmd_version, 0, "", 0, 0, "rapport version", "Show the version of Rapport and of its libraries.",
      "", NULL },
    { "init", cmd_init, CLI_STORE, "grant=", 0, 0, "rapport init [--grant ROLE] [--db PATH] [--key PATH] [--config FILE]",
      "Create the store, or bring an existing one up to this version's schema.",
      "Creates the SQLite store and a sealing key file (mode 0600) beside it when\n"
      "they do not exist, and applies any pending schema migrations.  Running it\n"
      "again is harmless.  A store written by a newer Rapport is refused.  On a\n"
      "PostgreSQL store, run it as the owner role: the application's servers\n"
      "connect as another role, which --grant lets use the tables.\n\n"
      "options:\n"
      "  --grant ROLE    (PostgreSQL) let ROLE read and write the tables and use the\n"
      "                  sequences; it may add to the audit trail, not change it\n" STORE_HELP, NULL },
    { "store copy", cmd_store_copy, CLI_STORE, "from= to= json", 0, 0,
      "rapport store copy [--from PATH] --to URL [--json] [--db PATH] [--key PATH] [--config FILE]",
      "Copy the whole store to PostgreSQL: a bank that began on SQLite moves up.",
      "Every table of the store (--from, or --db as for any command) goes into the PostgreSQL\n"
      "store --to names, made or brought up to date first with the same sealing key\n"
      "(what is sealed stays readable), in one transaction there: the copy is whole\n"
      "or nothing.  Each table is read back and compared: its rows counted and\n"
      "summed (a hash of every row's values) on both sides; any difference and\n"
      "nothing is kept.  The destination must hold no bank yet.  The source is\n"
      "only read; stop the servers that write to it first.\n\n"
      "options:\n"
      "  --from PATH     the store to copy (default: --db, $RAPPORT_DB, the configuration's)\n"
      "  --to URL        the PostgreSQL store (postgresql://ROLE@HOST:PORT/DB; its\n"
      "                  password from PGPASSFILE or PGPASSWORD)\n"
      "  --json          the tables, their rows and sums as JSON\n" STORE_HELP, NULL },
    { "backup", cmd_backup, CLI_STORE, "", 1, 1, "rapport backup FILE [--db PATH] [--key PATH] [--config FILE]",
      "Copy the whole store into FILE while it is in use.",
      "An SQLite store is copied page by page with SQLite's online backup (a\n"
      "writer waits a moment at most; FILE is itself a store); a PostgreSQL store\n"
      "with pg_dump in its custom format.  FILE must not exist, and is made\n"
      "readable by its owner only.  The sealing key is not in it: keep the key\n"
      "file apart, as without it the sealed identifiers cannot be read.\n" STORE_HELP, NULL },
    { "restore", cmd_restore, CLI_STORE, "", 1, 1, "rapport restore FILE [--db PATH] [--key PATH] [--config FILE]",
      "Make the store again from a backup.",
      "The store --db names is made from FILE (written by 'rapport backup' from a\n"
      "store of the same kind): an SQLite store's path must hold no file yet (move\n"
      "a damaged one away first); a PostgreSQL database must hold no table yet\n"
      "(createdb), and pg_restore fills it in one transaction.  The store is then\n"
      "opened with the sealing key (--key, or the store's path + .key) to check\n"
      "that the key is the one it was sealed with.\n" STORE_HELP, NULL },
    { "import", cmd_import, CLI_STORE, "json", 1, 1,
      "rapport import FILE [--json] [--db PATH] [--key PATH] [--config FILE]",
      "Enter branches, products, customers, accounts and their history from a JSON file.",
      "The whole file lands in one transaction: a single bad record stops the\n"
      "import with a message naming its member path, and nothing is written.\n"
      "The format is described in docs/warehouse.md.\n\n"
      "options:\n"
      "  --json          print the counts as JSON\n" STORE_HELP, NULL },
    { "customer offers", cmd_customer_offers, CLI_STORE, "max= json", 1, 1, "rapport customer offers ID [--max N] [--json]",
      "The customer's next-best offers now, with the reasons.",
      "Offers in their validity, whose product the customer does not hold and whose\n"
      "eligibility holds, when the customer may be called about them (consent, do\n"
      "not contact); those behind an open lead first, then by expected value (the\n"
      "share of the customer's peers, the same pyramid level and age, holding the\n"
      "product, times the offer's value, less its cost).\n\n"
      "options:\n  --max N         at most N (3)\n  --json          as JSON, with the offers left out and why\n"
      STORE_HELP, NULL },
    { "customer show", cmd_customer_show, CLI_STORE, "json reveal reason=", 1, 1,
      "rapport customer show KEY [--json] [--reveal --reason TEXT] [--db PATH] [--key PATH] [--config FILE]",
      "Show one customer's whole picture (customer 360).",
      "KEY is whatever identifies the customer: an internal id (#42 or id:42), a\n"
      "national ID or resident certificate, a phone number in any common form\n"
      "(0912-345-678, +886 912 345 678, (02) 2345-6789), an account number, an\n"
      "e-mail address, a card or source-system customer number.  A prefix forces\n"
      "the kind: id:, nid:, rc:, passport:, tax:, ubn:, phone:, acct:, email:,\n"
      "card:, cust:, online:.\n\n"
      "options:\n"
      "  --json          print the customer as JSON\n"
      "  --reveal        show sealed identifiers and card numbers in full instead of\n"
      "                  masked; needs --reason\n"
      "  --reason TEXT   why the full values are needed (5 characters or more)\n\n"
      "Every look is in the audit trail (a view, or a reveal with its reason), as\n"
      "it is through the API.\n" STORE_HELP, NULL },
    { "customer note", cmd_customer_note, CLI_STORE, "text= channel= direction= reason= outcome= follow-up= staff= at=", 1, 1,
      "rapport customer note KEY --text TEXT [--channel CH] [--direction inbound|outbound] "
      "[--reason R] [--outcome O] [--follow-up DATE] [--staff NAME] [--at TIME] [--db PATH]",
      "Add a note to a customer's contact history.",
      "options:\n"
      "  --text TEXT       what was said (family, birthdays, wishes, ...); required\n"
      "  --channel CH      branch (default), phone, email, chat, letter, visit,\n"
      "                    internet, mobile, sms, other\n"
      "  --direction D     inbound (default) or outbound\n"
      "  --reason R        why the contact happened\n"
      "  --outcome O       what came of it\n"
      "  --follow-up DATE  when to follow up (YYYY-MM-DD or ROC YYY/MM/DD)\n"
      "  --staff NAME      who talked to the customer (default: you)\n"
      "  --at TIME         when (ISO 8601; default now)\n" STORE_HELP, NULL },
    { "customer refresh", cmd_customer_refresh, CLI_STORE, "all verify every= even-in-surge json", 0, 0,
      "rapport customer refresh [--all] [--verify [--every N]] [--json] [--db PATH]",
      "Build the customer 360 documents the API serves: those missing or out of date.",
      "The API serves each customer's 360 from a document kept in the store, one\n"
      "read instead of eight queries.  Any change to what a document shows deletes\n"
      "it in the same transaction (ETL, identity resolution, the API, any tool), and\n"
      "`rapport serve` builds missing ones in the background and on first view.\n"
      "Run this after a large load so that the first views are fast too.\n\n"
      "options:\n"
      "  --all           build every document again, not only the missing ones\n"
      "  --verify        compare kept documents with fresh builds instead; exit 1\n"
      "                  when any differs\n"
      "  --every N       with --verify, compare every Nth customer only\n"
      "  --even-in-surge build while the contact centre is in a surge (it waits)\n"
      "  --json          print the counts as JSON\n" STORE_HELP, NULL },
    { "load", cmd_load, CLI_STORE, "spec= source= max-reject-rate= rejects= batch= preview= force list-specs json", 0, 256,
      "rapport load [--spec FILE | --source NAME] [--max-reject-rate R] [--rejects FILE] [--force] "
      "[--preview N] [--json] FILE|DIR...",
      "Load source extracts into the warehouse, with rejects, lineage and a job per file.",
      "Each FILE is read with a source spec (docs/etl.md): --spec FILE names a spec\n"
      "document, --source NAME one that ships with Rapport (--list-specs), and\n"
      "without either the shipped spec whose file patterns match the file's name is\n"
      "used.  A DIR is a whole extract folder: the files its manifest.json lists\n"
      "(or all files in it) are loaded in dependency order (customers before\n"
      "accounts before transactions), each checked against the manifest's SHA-256;\n"
      "its record and byte counts are control totals: a file that differs fails,\n"
      "with both numbers.\n\n"
      "Records are written in batches, each one transaction.  A record that breaks\n"
      "a rule is rejected and the load goes on; the summary counts loaded, fixed\n"
      "and rejected records per rule.  There is no reject-rate ceiling unless\n"
      "--max-reject-rate sets one, but a file whose every record is rejected (the\n"
      "wrong spec or code page) fails: its job ends failed and the exit code is 1.\n"
      "Loading the same file again is a no-op.  Ctrl-C or a crash leaves whole\n"
      "batches only (the job shows as interrupted); the same command finishes the\n"
      "job without loading anything twice.\n\n"
      "options:\n"
      "  --spec FILE            the source spec (JSON) to read the files with\n"
      "  --source NAME          a spec that ships with Rapport, by name\n"
      "  --list-specs           list the shipped specs and stop\n"
      "  --max-reject-rate R    stop and commit nothing when more than R of the\n"
      "                         records are rejected (0.05 or 5%); the file is then\n"
      "                         loaded in one transaction.  Default: no ceiling,\n"
      "                         batches commit as they go (a file whose every\n"
      "                         record is rejected still fails)\n"
      "  --rejects FILE         write every rejected record to FILE as CSV:\n"
      "                         file,record,offset,field,value,rule,message\n"
      "  --batch N              records a transaction (default 200000)\n"
      "  --force                load a file again although it was loaded before\n"
      "  --preview N            load nothing: decode the first N records of each FILE\n"
      "                         with its spec and show them (each field's value, the\n"
      "                         record's reject, what cleansing fixed and, for a\n"
      "                         copybook spec, every copybook field as decoded); no\n"
      "                         store is opened\n"
      "  --json                 print each file's result as JSON\n" STORE_HELP, NULL },
    { "copybook", cmd_copybook, 0, "json", 1, 1, "rapport copybook [--json] FILE",
      "Show a COBOL copybook's record layout as the host lays it out.",
      "Every item of the record, groups too, as a compiler's map shows it: level,\n"
      "name (indented by nesting), picture, usage (declared or its group's), start\n"
      "and end byte (from 1; an OCCURS item's end is that of its last occurrence),\n"
      "length of one occurrence, OCCURS count, and what it REDEFINES.  A copybook\n"
      "Rapport cannot read is refused with the line at fault (docs/etl.md lists the\n"
      "COBOL it reads).\n\n"
      "options:\n"
      "  --json          the layout as JSON: its items and its elementary fields\n"
      "                  (kind, offset from 0, length, digits, scale, sign)\n", NULL },
    { "jobs", cmd_jobs, CLI_STORE, "limit= status= json", 0, 1,
      "rapport jobs [JOB] [--status running|done|failed|interrupted] [--limit N] [--json]",
      "Show the load jobs: state, file, counts, rates and durations.",
      "A job is running, done, failed, or interrupted: stopped before the end of\n"
      "its file by Ctrl-C, or its process gone (killed, the machine restarted).\n"
      "Loading the same file again resumes an interrupted job after its last\n"
      "committed batch.\n\n"
      "options:\n"
      "  --status S      only jobs in this state\n"
      "  --limit N       the latest N jobs (default 50)\n"
      "  --json          print the jobs as JSON\n" STORE_HELP, NULL },
    { "rejects", cmd_rejects, CLI_STORE, "job= rule= status= limit= all json csv", 0, 0,
      "rapport rejects [--job N] [--rule R] [--status S | --all] [--limit N] [--json|--csv]",
      "List rejected records: which file, record and field, the value, the rule and why.",
      "Without --status or --all only the open rejects are listed (not yet loaded\n"
      "by a re-submission).\n\n"
      "options:\n"
      "  --job N         the rejects of one load job\n"
      "  --rule R        of one rule (required, date, range, checksum, reference, ...)\n"
      "  --status S      open, loaded, resubmitted or dismissed\n"
      "  --all           every status\n"
      "  --limit N       at most N rows (default 1000)\n"
      "  --json, --csv   machine-readable output\n" STORE_HELP, NULL },
    { "rejects export", cmd_rejects_export, CLI_STORE, "out= reason=", 1, 1,
      "rapport rejects export JOB --out FILE --reason TEXT",
      "Write a job's open rejected records to FILE in the file's own format, to correct.",
      "The header row comes first if the file had one; host records keep their\n"
      "RDW.  Correct the records in place (keep their order) and give the file to\n"
      "'rapport rejects resubmit JOB FILE'.  The records are written as they came,\n"
      "identifiers and card numbers in full: the export needs a reason, is in the\n"
      "audit trail, and FILE is made readable by its owner only (0600).\n\n"
      "options:\n"
      "  --out FILE      where to write; required\n"
      "  --reason TEXT   why (5 characters or more); required\n" STORE_HELP, NULL },
    { "rejects resubmit", cmd_rejects_resubmit, CLI_STORE, "json", 1, 2,
      "rapport rejects resubmit JOB [FILE] [--json]",
      "Load corrected rejects of a job again, with the job's own spec.",
      "FILE is the corrected export of the job's open rejects.  Without FILE the\n"
      "rejected records are tried again as they were: what failed a reference\n"
      "(an account whose customer was missing) loads once the customer is there.\n"
      "Each open reject becomes 'loaded', or 'resubmitted' when it is rejected\n"
      "again (the new job's reject then says why).\n\n"
      "options:\n"
      "  --json          print the result as JSON\n" STORE_HELP, NULL },
    { "rejects dismiss", cmd_rejects_dismiss, CLI_STORE, "record= rule= reason=", 1, 1,
      "rapport rejects dismiss JOB (--record N | --rule R) --reason TEXT",
      "Mark open rejects of a job as not to be loaded, with who and why.",
      "A dismissed reject stays in the table (status dismissed, with the reason,\n"
      "who and when) and leaves the open list.\n\n"
      "options:\n"
      "  --record N      the reject of one record\n"
      "  --rule R        every open reject of a rule\n"
      "  --reason TEXT   why; required\n" STORE_HELP, NULL },
    { "watch", cmd_watch, CLI_STORE, "archive= errors= interval= spec= source= max-reject-rate= once", 1, 1,
      "rapport watch INBOX [--archive DIR] [--errors DIR] [--interval S] [--once] [--spec FILE | --source NAME]",
      "Load files as they arrive in INBOX, then move them to an archive or error folder.",
      "Every file that a spec reads is loaded (in dependency order when several\n"
      "arrive together) and moved to the archive folder; a file that fails, or\n"
      "that no spec reads, goes to the error folder with a .why file beside it.\n"
      "Files whose names start with a dot, or that changed in the last two\n"
      "seconds, are left for the next look: write to a temporary name and rename.\n"
      "Stops on Ctrl-C or SIGTERM after the file in hand.\n\n"
      "options:\n"
      "  --archive DIR   where loaded files go (default INBOX/../archive)\n"
      "  --errors DIR    where failed files go (default INBOX/../errors)\n"
      "  --interval S    seconds between looks (default 5)\n"
      "  --once          look once, load what is there, and stop\n"
      "  --max-reject-rate R, --spec FILE, --source NAME   as for load\n" STORE_HELP, NULL },
    { "match", cmd_match, CLI_STORE, "link-at= review-at= spec= full json", 0, 0,
      "rapport match [--full] [--spec FILE] [--link-at P] [--review-at P] [--json]",
      "Find who is who: join the source records of one person into one customer.",
      "Compares the customers every source delivered (names across scripts and in\n"
      "any order, birth dates, phones, e-mails, addresses of any country, national\n"
      "IDs, passports, tax numbers and shared customer numbers), links those that\n"
      "are the same person and keeps the doubtful pairs for review.  The same valid\n"
      "national ID always links, two different ones never do.  Source records are\n"
      "not changed: each points to the customer it belongs to, so that\n"
      "'rapport customer show' shows one customer with every source's data and\n"
      "lineage.  Decisions made with 'match accept' and 'match reject' hold.\n\n"
      "After the first run, runs are incremental: only the records loaded or\n"
      "changed since the last run are compared, with the records that share a\n"
      "name, phone, e-mail, address or ID with them, and scored with the model\n"
      "of the last full run; nothing else is touched.\n\n"
      "Which source's value a customer shows is set in the configuration file:\n"
      "  [survivorship]\n"
      "  trust = host, card, online     ; most trusted first\n"
      "  default = trusted              ; trusted, recent or complete\n"
      "  occupation = recent            ; per attribute\n\n"
      "How records are compared and blocked can be said in a matching\n"
      "specification (JSON; docs/match.md): which fields, how (names word by word,\n"
      "by Jaro-Winkler or exactly; dates and identifiers with typos or exactly;\n"
      "addresses by their parts or exactly), with what thresholds, which blocks.\n"
      "A run with another specification than the last full run's is full.\n\n"
      "options:\n"
      "  --full          compare every record again and estimate the model afresh\n"
      "  --spec FILE     the matching specification (default [match] spec in the\n"
      "                  configuration; none: the defaults of docs/match.md)\n"
      "  --link-at P     link a pair at this probability or more (default 0.95)\n"
      "  --review-at P   keep a pair for review from this probability (default 0.5)\n"
      "  --json          print the counts as JSON\n" STORE_HELP, NULL },
    { "match review", cmd_match_review, CLI_STORE, "limit= json", 0, 0, "rapport match review [--limit N] [--json]",
      "List the pairs waiting for a person's decision, with the evidence field by field.",
      "options:\n"
      "  --limit N       at most N pairs (default 100)\n"
      "  --json          print the pairs as JSON\n" STORE_HELP, NULL },
    { "match accept", cmd_match_accept, CLI_STORE, "note=", 1, 1, "rapport match accept PAIR [--note TEXT]",
      "Decide that a pair is the same person (recorded with who and when).", "options:\n"
      "  --note TEXT     why\n" STORE_HELP, NULL },
    { "match reject", cmd_match_reject, CLI_STORE, "note=", 1, 1, "rapport match reject PAIR [--note TEXT]",
      "Decide that a pair is two people (recorded with who and when).", "options:\n"
      "  --note TEXT     why\n" STORE_HELP, NULL },
    { "match merge", cmd_match_merge, CLI_STORE, "note= spec=", 2, 2,
      "rapport match merge A B [--note TEXT] [--spec FILE]",
      "Make two customers one person by hand (held in every later run).",
      "A and B are any keys 'customer show' takes.  Resolution runs again, with\n"
      "the matching specification of --spec or [match] spec (another than the\n"
      "last full run's: a full run).\n\n"
      "options:\n"
      "  --note TEXT     why\n"
      "  --spec FILE     the matching specification\n" STORE_HELP, NULL },
    { "match unmerge", cmd_match_unmerge, CLI_STORE, "note= spec=", 2, 2,
      "rapport match unmerge CUSTOMER SOURCE:KEY [--note TEXT] [--spec FILE]",
      "Take one source record out of a customer by hand (held in every later run).",
      "CUSTOMER is any key 'customer show' takes; SOURCE:KEY names the source\n"
      "record (host:0012345679).  Resolution runs again, with the matching\n"
      "specification of --spec or [match] spec.\n\n"
      "options:\n"
      "  --note TEXT     why\n"
      "  --spec FILE     the matching specification\n" STORE_HELP, NULL },
    { "match export", cmd_match_export, CLI_STORE, "csv", 0, 0, "rapport match export [--csv]",
      "Write source,source_key,party_id: which customer every source record belongs to.", STORE_HELP, NULL },
    { "match sample", cmd_match_sample, CLI_STORE, "size= seed= labelled= spec= json", 0, 0,
      "rapport match sample [--size N] [--seed S] [--spec FILE] | --labelled FILE [--json]",
      "Estimate precision where no truth exists: links to label, then what the labels say.",
      "Draws a random sample of the links the store holds (every two source\n"
      "records of one customer, decisions by hand included), scored by the last\n"
      "full run's model and stratified by score (by the same national ID; probability 0.9999 to 1;\n"
      "0.99 to 0.9999; below 0.99), the same number from each so that the\n"
      "doubtful ones are seen, and writes it as CSV: both records (source:key,\n"
      "names, birth dates), the evidence, and an empty label column.  A person\n"
      "writes same or different (yes/no, 1/0, 是/否) in it; --labelled FILE then\n"
      "prints each stratum's precision and the bank's, weighted by the links\n"
      "each stratum holds, with a 95% interval.  Unlabelled rows are left out.\n\n"
      "options:\n"
      "  --size N        pairs to draw (default 200)\n"
      "  --seed S        the draw (default 1: the same sample again)\n"
      "  --spec FILE     the matching specification of the last full run (default\n"
      "                  [match] spec in the configuration)\n"
      "  --labelled FILE estimate precision from a labelled sample\n"
      "  --json          print the estimate as JSON\n" STORE_HELP, NULL },
    { "match evaluate", cmd_match_evaluate, CLI_STORE, "truth= spec= json", 0, 0,
      "rapport match evaluate --truth FILE [--spec FILE] [--json]",
      "Measure who is who against the truth: pairwise precision, recall and F1.",
      "FILE is CSV with the columns source, key (or source_key) and true_id (or\n"
      "party_id: another run's match export is a truth too): the\n"
      "person each source record really is (others are ignored).  Over the\n"
      "truth's records in the store: precision (of the pairs put in one customer,\n"
      "the share that are one person), recall (of the true pairs, the share put\n"
      "together), F1, blocking recall (the true pairs that were compared at all:\n"
      "what no threshold can recover) and the pairs waiting for review.\n\n"
      "options:\n"
      "  --truth FILE    the truth (CSV: source,key,true_id)\n"
      "  --spec FILE     the matching specification whose blocks blocking recall\n"
      "                  is measured with (default [match] spec; none: the defaults)\n"
      "  --json          print the figures as JSON\n" STORE_HELP, NULL },
    { "analyze", cmd_analyze, CLI_STORE, "as-of= months= measure= levels= segments= by= k= choose= horizon= acquisition-cost= no-save even-in-surge json csv", 1, 20,
      "rapport analyze JOB... [--as-of DATE] [--months N] [--measure M] [--levels SPEC] [--segments FILE] "
      "[--by pyramid|segment] [--k K] [--choose silhouette|elbow] [--horizon WEEKS] [--acquisition-cost X] "
      "[--no-save] [--json|--csv]",
      "Run a customer value or segmentation analysis and keep its result.",
      /* "JOB is one of:" and the analyses, from their table (cmd_analyze_help) */
      "Several jobs in one command read the store once: 'rapport analyze value\n"
      "pareto pyramid rfm' is the monthly pack.  With --json they print an array.\n\n"
      "Each run is kept with its parameters and as-of date ('analyze runs',\n"
      "'analyze show RUN'); per-customer results go to customer_value,\n"
      "customer_rfm, customer_clv, customer_segment and customer_behaviour.\n"
      "Parameters can also be set in the configuration file: [value] ftp_rate,\n"
      "investment_fee, interchange, cost_branch, cost_atm, ...; [pyramid] levels;\n"
      "[clv] margin, discount_rate; [gains_losses] tolerance; [analytics]\n"
      "activity_classes, fee_classes; [segments] file; [behaviour] risk_model,\n"
      "grade_bands, dormant_days, saver_assets, digital_share, branch_share, ...;\n"
      "[models] protected.  See docs/analytics.md.\n\n"
      "options:\n"
      "  --as-of DATE        the last day counted (default today, Taipei)\n"
      "  --months N          the window: N months up to the as-of date (default 12)\n"
      "  --measure M         profit (default), revenue or spend\n"
      "  --levels SPEC       pyramid levels, e.g. top:1%,big:4%,medium:15%,small\n"
      "                      or top:100000,big:10000,medium:1000,small (amounts)\n"
      "  --segments FILE     segment rules, one 'name = expression' a line\n"
      "  --by B              migration between pyramid levels (default) or segments\n"
      "  --k K               clusters (default: chosen from 2 to 8)\n"
      "  --choose C          silhouette (default) or elbow\n"
      "  --horizon WEEKS     clv horizon (default 52)\n"
      "  --acquisition-cost X  clv: what a new customer costs, for the ROI\n"
      "  --no-save           do not keep the run\n"
      "  --even-in-surge     run while the contact centre is in a surge (it waits)\n"
      "  --json              the whole result as JSON\n"
      "  --csv               the main table as CSV\n" STORE_HELP, cmd_analyze_help },
    { "analyze runs", cmd_analyze_runs, CLI_STORE, "job= limit= json", 0, 0,
      "rapport analyze runs [--job JOB] [--limit N] [--json]",
      "List the analysis runs kept, newest first.",
      "options:\n"
      "  --job JOB       only this analysis\n"
      "  --limit N       at most N runs (default 20)\n"
      "  --json          as JSON\n" STORE_HELP, NULL },
    { "analyze show", cmd_analyze_show, CLI_STORE, "json csv", 1, 1, "rapport analyze show RUN [--json|--csv]",
      "Show a kept analysis run's result again.",
      "options:\n"
      "  --json          the whole result as JSON\n"
      "  --csv           the main table as CSV\n" STORE_HELP, NULL },
    { "analyze attributes", cmd_analyze_attributes, 0, "", 0, 0, "rapport analyze attributes",
      "List the customer attributes segment rules can use.",
      "Segment rules are 'name = expression' lines, e.g.\n"
      "  premium = level in ('top', 'big') and age >= 30\n"
      "  digital = digital_share >= 0.5 and not (level in ('top', 'big'))\n"
      "  others  = else\n"
      "Expressions: and, or, not; = != < <= > >=; in (...); between ... and ...;\n"
      "+ - * /; numbers and 'texts'.  An unknown value (no birth date) makes\n"
      "every comparison false.\n", NULL },
    { "serve", cmd_serve, CLI_STORE, "listen= static= threads= port-file= tls-cert= tls-key= openapi", 0, 0,
      "rapport serve [--listen HOST:PORT] [--static DIR] [--threads N] [--port-file FILE] [--tls-cert FILE "
      "--tls-key FILE] [--openapi]",
      "Serve the HTTP API and the web application.",
      "Serves /api/v1/... as JSON (the routes: GET /api/v1/openapi.json), /healthz\n"
      "and /metrics (Prometheus), and the web application's files from --static.\n"
      "Sign in with POST /api/v1/session {name, password}: the session cookie is\n"
      "HttpOnly and SameSite=Strict, and every request that changes something must\n"
      "send the X-CSRF-Token the sign-in returned.  Every look at customer data is\n"
      "written to the audit trail ('rapport audit') before it is sent: first to the\n"
      "journal STORE-audit, which the server moves into the store every few\n"
      "milliseconds.  The customer 360 is served from documents kept per customer\n"
      "('rapport customer refresh'); the server builds missing ones in the\n"
      "background.  One server per store.  Stops cleanly on SIGTERM.\n\n"
      "HTTPS: with a certificate and key (PEM; the key its owner's alone, chmod\n"
      "600) the server speaks TLS 1.2 and 1.3 only, the cookie is always Secure, and\n"
      "replies carry Strict-Transport-Security.  /metrics answers a request bearing\n"
      "Authorization: Bearer and the metrics token, or one from an allowed address.\n\n"
      "Configuration ([api]): listen, static, idle_minutes (15), lifetime_hours (8),\n"
      "tls_cert, tls_key (files, as --tls-cert and --tls-key), hsts_max_age\n"
      "(31536000 seconds; 0 none), secure_cookie = yes for plain HTTP behind a TLS\n"
      "proxy, metrics_token or metrics_token_file (16 characters or more),\n"
      "metrics_allow (addresses and CIDR blocks; 127.0.0.1 ::1 by default; none),\n"
      "keep_c360 = no to build no documents in the background, cache_mb (16): the\n"
      "store's page cache of each connection (one a thread and two more), so that a\n"
      "server needs about 60 MB and cache_mb a connection, whatever it has served.\n"
      "Failed sign-ins ([security], counted in the store): a user name\n"
      "waits after login_attempts (5) failures within login_window_minutes (5), an\n"
      "address after login_address_attempts (20); a user name is locked after\n"
      "lock_after (10) failures in a row, for lock_minutes (30), or until an\n"
      "administrator unlocks it ('rapport user unlock') with lock_until_unlocked = yes.\n"
      "Passwords ([security]): password_history (5) earlier ones may not come back;\n"
      "one older than password_max_days (90; 0 never) may only be changed (PUT\n"
      "/api/v1/session/password), which ends the user's other sessions.\n"
      "totp_roles ([security]; none by default): the roles that sign in only with\n"
      "a second factor ('rapport user totp').\n\n"
      "The customer chat page (GET /api/v1/chat, public; [chat]): starts_per_minute\n"
      "(5) chats one address may start, messages_per_minute (30) in one chat, and\n"
      "queue (the first open chat queue) the chats go to.\n\n"
      "Four eyes ([security]): an administrator's change through the API that\n"
      "gives a role revealing data, or takes an auditor away, waits for a second\n"
      "administrator ('rapport user requests') and expires after request_days (7).\n\n"
      "options:\n"
      "  --listen HOST:PORT  where to listen (default 127.0.0.1:8080; port 0: any)\n"
      "  --static DIR        the web application's files\n"
      "  --threads N         worker threads (default: one per core)\n"
      "  --port-file FILE    write the port listened on to FILE\n"
      "  --tls-cert FILE     serve HTTPS with this certificate (PEM)\n"
      "  --tls-key FILE      and its private key (PEM, no passphrase, mode 0600)\n"
      "  --openapi           print the API's OpenAPI document and stop\n" STORE_HELP, NULL },
    { "user add", cmd_user_add, CLI_STORE, "role= branch=", 1, 1, "rapport user add NAME --role ROLE [--branch CODE]",
      "Add a user; the password is asked for (or read from standard input), never an argument.",
      "Roles: teller (branch staff), rm (relationship manager), csr (contact-centre\n"
      "agent), tsr (outbound agent), supervisor, analyst (marketing analyst),\n"
      "steward (data steward), admin, auditor.  Tellers and relationship managers\n"
      "need --branch: they see their own branch's customers only.  Passwords have\n"
      "at least 10 characters and are kept as argon2id hashes.\n\n"
      OPERATOR_HELP
      "options:\n"
      "  --role ROLE     the role\n"
      "  --branch CODE   the user's branch\n" STORE_HELP, NULL },
    { "user passwd", cmd_user_passwd, CLI_STORE, "", 1, 1, "rapport user passwd NAME",
      "Change a user's password (asked for, or read from standard input); their sessions end.",
      "A password has 10 characters or more and is not one of the most common\n"
      "passwords (nor one with digits or symbols before or after), one character\n"
      "repeated, one containing the user name, or one of the user's last\n"
      "[security] password_history (5) passwords.  Audited as user_passwd.\n\n" STORE_HELP, NULL },
    { "user role", cmd_user_role, CLI_STORE, "role= branch=", 1, 1,
      "rapport user role NAME --role ROLE [--branch CODE]",
      "Change a user's role and branch, at once.",
      "The roles are those of 'rapport user add'; without --branch the user has\n"
      "none (tellers and relationship managers need one).  Audited as user_role,\n"
      "with the old and the new role.\n\n"
      OPERATOR_HELP
      "options:\n"
      "  --role ROLE     the new role\n"
      "  --branch CODE   the user's branch\n" STORE_HELP, NULL },
    { "user disable", cmd_user_disable, CLI_STORE, "enable", 1, 1, "rapport user disable NAME [--enable]",
      "Disable a user at once (their sessions end), or enable them again.",
      "Audited as user_disable or user_enable.\n\n"
      OPERATOR_HELP
      "options:\n"
      "  --enable        enable instead\n" STORE_HELP, NULL },
    { "user unlock", cmd_user_unlock, CLI_STORE, "", 1, 1, "rapport user unlock NAME",
      "Unlock a user locked by failed sign-ins, and clear their count of failures.",
      "A user name is locked after [security] lock_after failed sign-ins in a row\n"
      "('rapport serve --help'); 'rapport user list' shows who is.  Audited as\n"
      "user_unlock.\n\n" STORE_HELP, NULL },
    { "user totp", cmd_user_totp, CLI_STORE, "remove", 1, 1, "rapport user totp NAME [--remove]",
      "Give a user a new second factor (TOTP), shown once; or remove it.",
      "Prints the secret in base32 and as an otpauth:// URI (for an authenticator\n"
      "app, or a QR code made of it) once: the store keeps it sealed with the\n"
      "store's key, and nothing shows it again.  Codes are RFC 6238's: HMAC-SHA1,\n"
      "6 digits, 30-second steps; the step before and after are accepted, and no\n"
      "code twice.  A user with a second factor gives the code at sign-in (POST\n"
      "/api/v1/session {name, password, otp}); a missing or wrong code is refused\n"
      "as a wrong password is, and counted.  Running it again replaces the secret\n"
      "(a lost phone).  [security] totp_roles lists the roles that may not sign in\n"
      "without one (none by default; recommended: supervisor, steward, admin,\n"
      "auditor).  Audited as user_totp or user_totp_remove.\n\n"
      "options:\n"
      "  --remove        remove the user's second factor instead\n" STORE_HELP, NULL },
    { "key rotate", cmd_key_rotate, CLI_STORE, "batch=", 0, 0, "rapport key rotate [--batch N]",
      "Seal the store with a new key: every sealed value sealed again, every keyed hash made again.",
      "A new key is made beside the old one (KEY.new, readable by its owner only);\n"
      "national IDs and the other sealed identifiers, card numbers and rejected\n"
      "records are sealed again with it, and the hashes that find them made again,\n"
      "N rows a transaction (default 10,000).  Only then does the store take the\n"
      "new key, and the key file becomes it; the old key is kept as\n"
      "KEY.retired-TIME for the backups made with it.  Stopped anywhere (Ctrl-C, a\n"
      "crash), run it again: it goes on where it was.  While it is under way the\n"
      "store opens for nothing else: stop 'rapport serve' first.  Audited.\n\n"
      "options:\n"
      "  --batch N       rows a transaction\n" STORE_HELP, NULL },
    { "token add", cmd_token_add, CLI_STORE, "permissions= branch= days=", 1, 1,
      "rapport token add NAME --permissions LIST [--branch CODE] [--days N]",
      "Make a token for another program (a switch, internet banking, a scheduler) to call the API.",
      "The program sends it as 'Authorization: Bearer TOKEN'.  It may do what its\n"
      "permissions say and nothing else ('users' is never given to a token), sees\n"
      "only one branch's customers with --branch, and ends after --days (default\n"
      "90, at most 400) or when revoked.  The token is printed this once; the store\n"
      "keeps only its hash.  Every call made with it is in the audit trail as\n"
      "token:NAME.\n\n"
      "options:\n"
      "  --permissions LIST  permission names, comma-separated: search,view,...\n"
      "                      ('rapport serve' lists them at GET /api/v1/roles)\n"
      "  --branch CODE       only this branch's customers\n"
      "  --days N            how long it lives (1-400; default 90)\n" STORE_HELP, NULL },
    { "token list", cmd_token_list, CLI_STORE, "json", 0, 0, "rapport token list [--json]",
      "List the programs' tokens: who has which permissions until when (never the tokens).",
      "options:\n"
      "  --json          as JSON\n" STORE_HELP, NULL },
    { "token revoke", cmd_token_revoke, CLI_STORE, "", 1, 1, "rapport token revoke NAME",
      "Revoke a program's token: the API refuses it from now on.", "options:\n" STORE_HELP, NULL },
    { "user list", cmd_user_list, CLI_STORE, "json", 0, 0,
      "rapport user list [--json]", "List the users, their roles and branches, and who is locked.",
      "The state is active, disabled, or locked (by failed sign-ins: until the time\n"
      "shown, or until 'rapport user unlock NAME').\n\n"
      "options:\n"
      "  --json          as JSON\n" STORE_HELP, NULL },
    { "user requests", cmd_user_requests, CLI_STORE, "json", 0, 0, "rapport user requests [--json]",
      "List the changes to users waiting for a second administrator, pending first.",
      "Through the API an administrator may not alone add a user with a role that\n"
      "reveals data (one with reveal, export or reveal_rejects: supervisor,\n"
      "steward), change a user's role to one, or take an auditor away (disable\n"
      "one, or change an auditor's role): the change is kept as a request until\n"
      "another administrator approves it, or it expires after [security]\n"
      "request_days (7).  'rapport user approve' and 'user reject' decide one\n"
      "as the operator.  Reading the list is audited (users_read).\n\n"
      "options:\n"
      "  --json          as JSON\n" STORE_HELP, NULL },
    { "user approve", cmd_user_approve, CLI_STORE, "", 1, 1, "rapport user approve REQUEST",
      "Approve a change an administrator asked for: it is made at once.",
      "You approve as the operator ($RAPPORT_USER, else your login name), which\n"
      "may not be the administrator who asked, nor the user it changes.  Audited\n"
      "as user_approve (a refusal too).\n\n" STORE_HELP, NULL },
    { "user reject", cmd_user_reject, CLI_STORE, "note=", 1, 1, "rapport user reject REQUEST [--note TEXT]",
      "Reject a change an administrator asked for.",
      "As for 'user approve': not by the administrator who asked.  Audited as\n"
      "user_reject, with the note.\n\n"
      "options:\n"
      "  --note TEXT     why (at most 500 bytes)\n" STORE_HELP, NULL },
    { "features", cmd_features, CLI_STORE, "as-of= label= horizon= lapse= campaign= product= snapshots= dpd= out= json", 0, 0,
      "rapport features [--as-of DATE] [--label churn|response|takeup|delinquency] [--horizon MONTHS]\n"
      "       [--lapse MONTHS] [--campaign CODE] [--product CODE|KIND] [--dpd DAYS] [--snapshots N]\n"
      "       [--out FILE.csv [--json]]",
      "The customer signature: one row per customer of what was known on a day.",
      "One CSV row per customer holding an account at the end of --as-of (today\n"
      "by default): demographics, tenure, holdings and balances by product kind\n"
      "and their change over 3 and 12 months, flows, channels, RFM, value and\n"
      "lifetime value, salary and time-deposit breaks, calls and complaints,\n"
      "sign-ins, campaign contacts and responses, card statements (every column\n"
      "in docs/models.md).\n"
      "Nothing after the day enters a feature, so a model trained on an earlier\n"
      "day's rows scores today's without leakage.  The rows are the data of\n"
      "'rapport model train --data FILE --target LABEL'.\n\n"
      "labels (a last column):\n"
      "  churn     every account held that day closed within --horizon months (1);\n"
      "            with --lapse N also no transaction of one's own in the last N\n"
      "  response  the targets of --campaign: 1 for a positive response by its\n"
      "            deadline; a column 'group' (treatment or control); the day, unless\n"
      "            given, is the day before its first contact\n"
      "  takeup    customers not holding --product (a product code or kind): 1 when\n"
      "            they opened it within --horizon months\n"
      "  delinquency card holders with a statement in the two months to the day:\n"
      "            1 when a statement within --horizon months is --dpd (30) or more\n"
      "            days past due\n"
      "A label needs the history to reach its end: take --as-of that many months\n"
      "before the last transaction (statement).  Audited as an export.\n\n"
      "options:\n"
      "  --snapshots N   the rows of N days a month apart, ending on --as-of, one\n"
      "                  after another: a model learns from several months' leavers\n"
      "  --out FILE      write the rows there (whole, or not at all) instead of to\n"
      "                  standard output\n"
      "  --json          the summary as JSON (with --out)\n" STORE_HELP, NULL },
    { "model train", cmd_model_train, CLI_STORE, "data= target= positive= learner= set= holdout= test= folds= seed= lang= pmml= scores= score= id= save= exclude= protected json", 0, 0,
      "rapport model train --data FILE.csv --target COLUMN [--positive VALUE] [--learner tree|logit|gbm|mlp|scorecard]\n"
      "       [--set NAME=VALUE,...] [--holdout 0.3 | --test TEST.csv] [--folds 5] [--seed N] [--lang zh-TW]\n"
      "       [--pmml FILE] [--scores FILE [--score OTHER.csv [--id COLUMN]]] [--save NAME]\n"
      "       [--exclude COLUMN,...] [--protected] [--json]",
      "Train a model on a CSV file and measure it: hold-out and cross-validation.",
      "FILE.csv has a header row; TARGET is the column to predict, with two values\n"
      "(--positive names the one to predict unless they say it: 1/0, yes/no,\n"
      "true/false, Y/N).  Each other column is numeric when all its values are\n"
      "numbers, else categorical; empty, NA, N/A, NULL and ? are missing.  What a\n"
      "model cannot use is refused with its row and column (text in a column of\n"
      "numbers, NaN, Inf, a target of one value or more than two); constant,\n"
      "empty and identifier-like columns are left out with a warning, and a column\n"
      "that tells the classes apart without a miss is warned of (leakage?).\n"
      "The model is fitted on a stratified share of the rows and measured on the\n"
      "rest (--holdout): AUC, Gini, KS, log-loss, Brier, gains and lift by decile;\n"
      "then by --folds-fold cross-validation (0: none).  The same --seed gives the\n"
      "same split and the same model.  With --test TEST.csv the model is fitted on\n"
      "every row of FILE and measured on TEST's (read as FILE was: the analyst's own\n"
      "split, or the one another tool used).  The report gives the seconds the fit\n"
      "took.\n\n"
      "learners and their settings (--set):\n"
      "  tree   CART: max_depth (8), min_leaf (20), criterion (gini | entropy),\n"
      "         prune_folds (5: cost-complexity pruning chosen by cross-validation;\n"
      "         0: none), ccp_alpha (prune at this alpha instead)\n"
      "  logit  logistic regression on standardised features: penalty (l2 | l1 |\n"
      "         elasticnet | none), C (1, as scikit-learn's), l1_ratio (0.5),\n"
      "         max_iter (100), tol (1e-6)\n"
      "  gbm    gradient-boosted trees on histograms: learning_rate (0.1),\n"
      "         max_iter (100), max_leaf_nodes (31), max_depth (0: none),\n"
      "         min_samples_leaf (20), l2_regularization (0), early_stopping (auto:\n"
      "         on past 10,000 rows | on | off), validation_fraction (0.1),\n"
      "         n_iter_no_change (10), tol (1e-7)\n"
      "  mlp    a neural network: hidden_layer_sizes (100; two layers as 32;16),\n"
      "         activation (relu | tanh), alpha (1e-4), batch_size (200),\n"
      "         learning_rate_init (0.001), max_iter (200 epochs),\n"
      "         n_iter_no_change (10), tol (1e-4)\n"
      "  scorecard  weight-of-evidence bands and points: bins (10), min_bin_share\n"
      "         (0.05), iv_min (0.02), base_score (600), base_odds (50), pdo (20)\n\n"
      "options:\n"
      "  --exclude COLS  leave these columns out (each must be in the file)\n"
      "  --protected     leave out the protected attributes, [models] protected\n"
      "                  (gender and age unless the bank's policy says otherwise):\n"
      "                  for risk grades and credit-like scores\n"
      "  --lang L        a tree's rules in en (the default) or zh-TW\n"
      "  --pmml FILE     the model measured, as PMML 4.4 (tree, logit, scorecard)\n"
      "  --scores FILE   its probability for every row of the file, as CSV (row,score)\n"
      "  --save NAME     keep the model measured in the store as NAME's next version,\n"
      "                  with its settings, columns, data fingerprint and report\n"
      "                  ('rapport model list|show|score|export|retire')\n"
      "  --score OTHER   score OTHER.csv instead (today's rows, say): read as the\n"
      "                  training file was (its columns by name, the same levels; one\n"
      "                  never seen counts as missing), each row named by --id COLUMN\n"
      "                  (its first column by default); measured when it has the target\n"
      "  --json          the report as JSON (with the tree's rules as data)\n", NULL },
    { "model list", cmd_model_list, CLI_STORE, "all json", 0, 0, "rapport model list [--all] [--json]",
      "The models kept: name, version, learner, target, hold-out AUC, status, scorings.",
      "Kept by 'rapport model train ... --save NAME', each save the next version of\n"
      "its name.  --all shows the retired too.\n\n" STORE_HELP, NULL },
    { "model show", cmd_model_show, CLI_STORE, "json", 1, 1, "rapport model show NAME[:VERSION] [--json]",
      "A kept model: who kept it from which data, its settings and how it measured.",
      "NAME alone is its latest version; #ID a model by its number.  --json gives\n"
      "the whole training report and the training data's profile.\n\n" STORE_HELP, NULL },
    { "model score", cmd_model_score, CLI_STORE, "as-of= data= id= out= json", 1, 1,
      "rapport model score NAME[:VERSION] [--as-of DATE] [--data FILE.csv --out SCORES.csv [--id COLUMN]] [--json]",
      "Score every customer (or a file's rows) with a kept model.",
      "Without --data: the customer signature as of --as-of (today by default) is\n"
      "scored, and each customer's probability, decile (1 the highest) and reasons\n"
      "(the features that raise it most) kept as a run (customer_score), which the\n"
      "customer view and the API show.  With --data: the file's rows, read as the\n"
      "training file was, scored into --out.  Either way the drift from the training\n"
      "data is measured (population stability index of the score and of each\n"
      "feature: above 0.1 a shift to watch, above 0.25 a population the model was\n"
      "not trained on) and kept with the run.  Audited.\n\n" STORE_HELP, NULL },
    { "model export", cmd_model_export, CLI_STORE, "format= out=", 1, 1,
      "rapport model export NAME[:VERSION] [--format pmml|json] [--out FILE]",
      "A kept model as PMML 4.4 (tree, logit, scorecard) or as Rapport's JSON.",
      "PMML is what SAS, SPSS, KNIME and most scoring engines read; the JSON is the\n"
      "model as kept (learner, columns, fitted body).\n\n" STORE_HELP, NULL },
    { "model at-risk", cmd_model_at_risk, CLI_STORE, "limit= json csv", 1, 1,
      "rapport model at-risk NAME[:VERSION] [--limit 50] [--json|--csv]",
      "Who is worth saving: customers by P(leaving) x the profit they bring.",
      "The model's latest scoring ('rapport model score') against the latest value\n"
      "analysis ('rapport analyze value'): each customer's expected loss, the\n"
      "probability times a year's profit (0 for one who costs more than they\n"
      "bring), the first --limit of them; and the churn-by-contribution cross\n"
      "table: risk bands by the model's deciles (high 1-2, medium 3-5, low 6-10)\n"
      "against pyramid levels, each cell's customers and expected loss.  Audited.\n\n"
      "options:\n"
      "  --csv           the list as CSV\n"
      "  --json          the list and the cross table as JSON\n" STORE_HELP, NULL },
    { "model retire", cmd_model_retire, CLI_STORE, "", 1, 1, "rapport model retire NAME[:VERSION]",
      "Retire a kept model: it scores no more and its scores leave the customer view.",
      "The model and its runs stay on record.  Audited.\n\n" STORE_HELP, NULL },
    { "model uplift", cmd_model_uplift, 0, "data= target= positive= treatment= treated= learner= method= set= folds= seed= id= scores= json", 0, 0,
      "rapport model uplift --data FILE.csv --target COLUMN [--positive VALUE] --treatment COLUMN [--treated VALUE]\n"
      "       [--learner gbm] [--method two-model|transform] [--set NAME=VALUE,...] [--folds 5] [--seed N]\n"
      "       [--id COLUMN] [--scores FILE] [--json]",
      "Who responds because of the campaign: an uplift model and its Qini curve.",
      "FILE.csv holds a campaign's targets, treated and held out as control\n"
      "(--treatment names the column, --treated its treated value, 'treatment' by\n"
      "default), and their response (--target); 'rapport features --label response\n"
      "--campaign CODE' writes one.  The uplift, P(response | treated) less\n"
      "P(response | control), is learnt by two models (one per group) or by one on\n"
      "the transformed class (z = 1 for a treated responder or a control\n"
      "non-responder; uplift = 2 P(z) - 1, the larger group subsampled to the\n"
      "smaller's size), each row scored by a model of the other --folds, and\n"
      "measured by the Qini curve (the extra responders among the first share of\n"
      "the ranking), its coefficient (the area between it and a random order's\n"
      "line) and the area under the uplift curve.\n\n"
      "options:\n"
      "  --scores FILE   every row's uplift as CSV (id,uplift,treated,response); rows\n"
      "                  named by --id COLUMN (the first column by default)\n"
      "  --json          the report as JSON\n", NULL },
    { "model compare", cmd_model_compare, 0, "data= target= positive= learners= holdout= folds= seed= json", 0, 0,
      "rapport model compare --data FILE.csv --target COLUMN [--positive VALUE]\n"
      "       [--learners tree,logit,gbm,mlp,scorecard] [--holdout 0.3] [--folds 5] [--seed N] [--json]",
      "Train several learners on the same hold-out and folds, side by side.",
      "A champion and its challengers, measured alike: each learner (at its default\n"
      "settings) is fitted on the same rows and measured on the same hold-out, and\n"
      "cross-validated on the same folds, all made by --seed.  The file is read as\n"
      "'model train' reads it.  Shown: hold-out AUC, Gini, KS, log-loss, Brier, the\n"
      "top decile's lift, the cross-validated AUC and the seconds each took.\n\n"
      "options:\n"
      "  --learners L,L  the learners (all of them)\n"
      "  --json          every learner's report as JSON\n", NULL },
    { "sample-size", cmd_sample_size, 0, "rate= margin= confidence= expected= power= json", 0, 0,
      "rapport sample-size --rate P (--margin E | --expected P2 [--power 0.8]) [--confidence 0.95] [--json]",
      "How many customers a test needs: to estimate a rate, or to tell two apart.",
      "With --margin: n = z^2 p (1 - p) / e^2, the customers to sample to estimate a\n"
      "rate near P within +/- E; z is 1.281, 1.645 and 1.960 at 80, 90 and 95%\n"
      "confidence (two-sided).  With --expected: the customers in each group (a\n"
      "test cell and its control) to tell a rate of P2 from P at the confidence,\n"
      "with the power asked: (z_a sqrt(2 pq) + z_b sqrt(p1 q1 + p2 q2))^2 / (p2 - p1)^2.\n\n"
      "options:\n"
      "  --json          as JSON\n", NULL },
    { "calllist add", cmd_calllist_add, CLI_STORE, "agent= until= file=", 1, CLI_MAX_ARGS,
      "rapport calllist add LIST --agent NAME [--until YYYY-MM-DD] [KEY...] [--file FILE]",
      "Give customers to an outbound agent to call, on the list named LIST.",
      "The agent (a user whose role may dial: tsr) sees the phone numbers of the\n"
      "customers on their lists, in full, on the customer's screen and in their\n"
      "list while it runs; no other customer's.  A customer is given by any key a\n"
      "search takes (a customer id as id:N, a national ID, a phone, an account\n"
      "number), as arguments or in FILE one a line (blank lines and lines starting\n"
      "with # left out).  The list is made whole or not at all: a key that finds no\n"
      "customer, or more than one, is named with its line and nothing is added.  A\n"
      "customer already on the list stays there once.  Audited (calling_list_add).\n\n"
      "options:\n"
      "  --agent NAME    the agent who calls\n"
      "  --until DATE    the last day the list runs (Taipei); without it, until removed\n"
      "  --file FILE     the customers' keys, one a line\n" STORE_HELP, NULL },
    { "calllist show", cmd_calllist_show, CLI_STORE, "agent= list= limit= json csv", 0, 0,
      "rapport calllist show [--agent NAME] [--list LIST] [--limit N] [--json|--csv]",
      "Show the calling lists that run today: list, agent, customer, last contact.",
      "The numbers are shown masked here: the agent sees them on their screen.\n"
      "Audited (calling_list).\n\n"
      "options:\n"
      "  --agent NAME    one agent's lists\n"
      "  --list LIST     one list\n"
      "  --limit N       at most N entries (100000)\n"
      "  --json          as JSON\n"
      "  --csv           as CSV\n" STORE_HELP, NULL },
    { "calllist remove", cmd_calllist_remove, CLI_STORE, "agent= customer=", 1, 1,
      "rapport calllist remove LIST [--agent NAME] [--customer ID]",
      "Take a list off, or one agent's part of it, or one customer.",
      "The agent no longer sees those numbers.  The entries are kept on record with\n"
      "who took them off and when.  Audited (calling_list_remove).\n\n"
      "options:\n"
      "  --agent NAME    only this agent's entries\n"
      "  --customer ID   only this customer\n" STORE_HELP, NULL },
    { "offer put", cmd_offer_put, CLI_STORE, "name= product= incentive= cost= value= currency= eligibility= from= to=", 1, 1,
      "rapport offer put CODE --name TEXT --product CODE [--incentive TEXT] [--cost AMOUNT] [--value AMOUNT]\n"
      "       [--currency TWD] [--eligibility RULE] [--from DATE] [--to DATE]",
      "Keep an offer: a product with an incentive, a cost per contact and a value.",
      "An offer is of a product of the catalogue; its cost is what one contact costs\n"
      "(mail, SMS, a call), its value what a take-up is worth.  The eligibility rule\n"
      "(the segment language) says who may be offered it.  The same code again\n"
      "replaces the offer.\n\n"
      "options:\n"
      "  --cost, --value AMOUNT   in currency units (12.50)\n" STORE_HELP, NULL },
    { "offer list", cmd_offer_list, CLI_STORE, "json", 0, 0, "rapport offer list [--json]",
      "List the offers.", "options:\n  --json          as JSON\n" STORE_HELP, NULL },
    { "campaign create", cmd_campaign_create, CLI_STORE, DESIGN_OPTS, 1, 1,
      "rapport campaign create CODE --name TEXT --objective TEXT --purpose P [options]",
      "Design a campaign: a draft, until it is submitted and approved.",
      "Then give it cells (an offer on a channel each), count it, select its targets,\n"
      "submit it; another user approves it; then launch it.  Every change is recorded\n"
      "('rapport campaign show').\n\n"
DESIGN_HELP
    { "campaign set", cmd_campaign_set, CLI_STORE, DESIGN_OPTS, 1, 1, "rapport campaign set CODE [options]",
      "Change a draft's design (its selection is dropped: select again).",
      "The options of 'campaign create'; an empty value clears a text.\n\n"
DESIGN_HELP
    { "campaign cell", cmd_campaign_cell, CLI_STORE, "offer= channel= share= cap= message= remove pause resume", 2, 2,
      "rapport campaign cell CODE CELL --offer OFFER --channel CHANNEL [--share W] [--cap N] [--message TEXT]\n"
      "       rapport campaign cell CODE CELL --remove\n"
      "       rapport campaign cell CODE CELL (--pause | --resume | --cap N)",
      "Give a draft a cell: an offer on a channel, with a share of the treated; steer a live one.",
      "Two cells with shares test two offers or messages (champion and challenger).\n"
      "Channels: direct_mail, email, sms, outbound_call, branch_lead, banner; each\n"
      "needs the customer's consent and a way to reach them on its contact channel.\n"
      "While the campaign is approved, running or paused, --pause and --resume stop\n"
      "and restart a cell's outputs, and --cap alone changes how many it lists (0:\n"
      "no cap), as its daily results say.\n\n"
      "options:\n"
      "  --share W       the cell's weight among the cells a customer may be given (1)\n"
      "  --cap N         at most N customers; the rest go to another cell or none\n"
      "  --pause, --resume  a live campaign's cell\n" STORE_HELP, NULL },
    { "campaign wave", cmd_campaign_wave, CLI_STORE, "starts= ends= share= remove", 2, 2,
      "rapport campaign wave CODE WAVE --starts DATE [--ends DATE] [--share W]\n"
      "       rapport campaign wave CODE WAVE --remove",
      "Give a draft a wave: a day its contacts go out from, and its share of the targets.",
      "Waves 1 to 12, in the order of their first days, within the campaign's dates.\n"
      "The selection gives each target, treated and control alike, a wave drawn from\n"
      "the campaign's seed by the shares; a wave's customers are exported, mailed and\n"
      "dialled from its first day, and the results count each wave against its own\n"
      "control customers.  A change to the waves drops the selection: select again.\n\n"
      "options:\n"
      "  --starts DATE   the wave's first day\n"
      "  --ends DATE     its last day (optional)\n"
      "  --share W       its weight among the waves (1)\n"
      "  --remove        take the wave out of the design\n" STORE_HELP, NULL },
    { "campaign count", cmd_campaign_count, CLI_STORE, "rule= refresh json", 0, 1,
      "rapport campaign count [CODE] [--rule RULE] [--refresh] [--json]",
      "Count a design, step by step (the waterfall), or a rule alone.",
      "From the selection copy beside the store (made again when missing, from\n"
      "another store, after new transactions, or older than [marketing] mart_hours).\n"
      "With a campaign and --rule, the rule is tried in place of the campaign's.\n\n"
      "options:\n"
      "  --refresh       make the selection copy afresh first\n"
      "  --json          as JSON\n" STORE_HELP, NULL },
    { "campaign select", cmd_campaign_select, CLI_STORE, "refresh json", 1, 1,
      "rapport campaign select CODE [--refresh] [--json]",
      "Select a draft's targets: the waterfall, the control group, the cells.",
      "Written as the campaign's targets (treatment and control), replacing an earlier\n"
      "selection.  The selection copy is made again when older than [marketing]\n"
      "select_minutes (60).\n\n"
      "options:\n"
      "  --json          as JSON\n" STORE_HELP, NULL },
    { "campaign submit", cmd_campaign_step, CLI_STORE, "note=", 1, 1, "rapport campaign submit CODE [--note TEXT]",
      "Submit a selected draft for approval: its design is frozen.", STORE_HELP, NULL },
    { "campaign approve", cmd_campaign_step, CLI_STORE, "note=", 1, 1, "rapport campaign approve CODE [--note TEXT]",
      "Approve a submitted campaign (never by who created or submitted it).", STORE_HELP, NULL },
    { "campaign reject", cmd_campaign_step, CLI_STORE, "note=", 1, 1, "rapport campaign reject CODE --note TEXT",
      "Send a submitted or approved campaign back to draft, saying why.", STORE_HELP, NULL },
    { "campaign launch", cmd_campaign_step, CLI_STORE, "note=", 1, 1, "rapport campaign launch CODE [--note TEXT]",
      "Launch an approved campaign: its treated targets are contacted from today.", STORE_HELP, NULL },
    { "campaign pause", cmd_campaign_step, CLI_STORE, "note=", 1, 1, "rapport campaign pause CODE [--note TEXT]",
      "Pause a running campaign.", STORE_HELP, NULL },
    { "campaign resume", cmd_campaign_step, CLI_STORE, "note=", 1, 1, "rapport campaign resume CODE [--note TEXT]",
      "Resume a paused campaign.", STORE_HELP, NULL },
    { "campaign close", cmd_campaign_step, CLI_STORE, "note=", 1, 1, "rapport campaign close CODE [--note TEXT]",
      "Close a running or paused campaign.", STORE_HELP, NULL },
    { "campaign cancel", cmd_campaign_step, CLI_STORE, "note=", 1, 1, "rapport campaign cancel CODE [--note TEXT]",
      "Cancel a campaign before it runs.", STORE_HELP, NULL },
    { "campaign show", cmd_campaign_show, CLI_STORE, "json", 1, 1, "rapport campaign show CODE [--json]",
      "Show a campaign: its design, cells, targets, waterfall and history.", "options:\n  --json          as JSON\n" STORE_HELP, NULL },
    { "campaign list", cmd_campaign_list, CLI_STORE, "status= json", 0, 0, "rapport campaign list [--status S] [--json]",
      "List the campaigns, designed and loaded, the latest first.",
      "options:\n  --status S      draft, submitted, approved, running, paused, closed, cancelled\n"
      "                  or loaded\n  --json          as JSON\n" STORE_HELP, NULL },
    { "campaign mart", cmd_campaign_mart, CLI_STORE, "refresh json", 0, 0, "rapport campaign mart [--refresh] [--json]",
      "Show the selection copy beside the store, or make it afresh.",
      "options:\n  --refresh       make it afresh\n  --json          as JSON\n" STORE_HELP, NULL },
    { "campaign respond", cmd_campaign_respond, CLI_STORE, "at= product= note=", 3, 3,
      "rapport campaign respond CODE CUSTOMER positive|negative [--at DATE] [--product P] [--note TEXT]",
      "Record a target's response as staff heard it (\"accepted at the counter\").",
      "CUSTOMER is a customer id (or id:N) the campaign targeted; anyone else is\n"
      "refused.  The day must fall between the campaign's start and its response\n"
      "deadline; a campaign still in design takes none.  The same customer again\n"
      "replaces the earlier response.\n\n"
      "options:\n"
      "  --at DATE       the day of the response (default today)\n"
      "  --product P     the product taken, when it is not the offer's\n"
      "  --note TEXT     what the customer said\n" STORE_HELP, NULL },
    { "campaign observe", cmd_campaign_observe, CLI_STORE, "json", 1, 1, "rapport campaign observe CODE [--json]",
      "Record the responses seen in behaviour: the offered product opened in the window.",
      "A treated target who opened an account of their cell's product from the day\n"
      "they were contacted, and a control customer who opened a product the campaign\n"
      "offers from its start, until today or the response deadline, are positive\n"
      "(source behaviour), unless a positive is recorded already.  Run it again as\n"
      "new accounts load; it adds only what is new.\n\n"
      "options:\n  --json          as JSON\n" STORE_HELP, NULL },
    { "campaign results", cmd_campaign_results, CLI_STORE, "json csv daily", 1, 1,
      "rapport campaign results CODE [--daily] [--json|--csv]",
      "What a campaign did: the treated against the control group.",
      "For the campaign, each cell, channel and segment (the stratum of its control\n"
      "group): treated, contacted, responders and rate; the control group's; the\n"
      "uplift in percentage points, lift, incremental responders, the two-proportion\n"
      "test's p-value and the 95% interval of the uplift; with an offer's cost and\n"
      "value, the cost, incremental revenue and ROI.  While the window is open the\n"
      "figures are as of today; --daily shows them day by day.\n\n"
      "options:\n"
      "  --daily         the cumulative responses day by day\n"
      "  --json          as JSON (every figure, and the days)\n"
      "  --csv           the table as CSV\n" STORE_HELP, NULL },
    { "campaign capacity", cmd_campaign_capacity, CLI_STORE, "json", 0, 8,
      "rapport campaign capacity [CHANNEL=N ...] [--json]",
      "Set or show how many contacts a channel takes a day.",
      "Until the contact centre tells it, each channel's daily capacity is set here:\n"
      "outbound_call=400 sends event leads past 400 a day to the customer's branch\n"
      "instead of the outbound queue.  Channels: direct_mail, email, sms,\n"
      "outbound_call, branch_lead, banner.\n\n"
      "options:\n  --json          as JSON\n" STORE_HELP, NULL },
    { "event detectors", cmd_event_detectors, 0, "json", 0, 0, "rapport event detectors [--json]",
      "List the detectors event rules are made of, with their parameters.",
      "Transaction detectors judge each transaction that came since the last run\n"
      "against the account's and customer's own history before it; state detectors\n"
      "look at today's picture (maturities, birthdays, salaries that stopped,\n"
      "balances that fell, complaints).\n\n"
      "options:\n  --json          as JSON\n", NULL },
    { "event rule", cmd_event_rule, CLI_STORE,
      "detector= name-zh= name-en= params= offer= route= expires-days= priority= control-pct= disabled", 1, 1,
      "rapport event rule CODE --detector D --name-zh TEXT --name-en TEXT [--params JSON] [--offer OFFER]\n"
      "       [--route manager|branch|outbound] [--expires-days N] [--priority 0-100] [--control-pct P] [--disabled]",
      "Create or replace an event rule: a detector, its parameters, and what its leads are.",
      "Each event a rule finds becomes a lead for the customer: to their relationship\n"
      "manager (route manager; else their branch, else the outbound queue), their\n"
      "branch (route branch) or the outbound queue (route outbound), open for\n"
      "--expires-days (14).  With an offer the lead suggests it and needs the\n"
      "customer's consent to be called for marketing; without one it is service.\n"
      "--control-pct holds that share of customers out (never a lead) so that the\n"
      "rule's effect can be measured ('rapport lead results').\n\n"
      "options:\n"
      "  --params JSON   over the detector's defaults ('rapport event detectors'), e.g.\n"
      "                  '{\"min\": 500000}' (amounts in currency units)\n"
      "  --disabled      kept but not run\n" STORE_HELP, NULL },
    { "event enable", cmd_event_enable, CLI_STORE, "", 1, 1, "rapport event enable CODE", "Run an event rule again.",
      STORE_HELP, NULL },
    { "event disable", cmd_event_disable, CLI_STORE, "", 1, 1, "rapport event disable CODE",
      "Keep an event rule but stop running it.", STORE_HELP, NULL },
    { "event rules", cmd_event_rules, CLI_STORE, "json csv", 0, 0, "rapport event rules [--json|--csv]",
      "List the event rules, with their events and open leads.", "options:\n  --json, --csv\n" STORE_HELP, NULL },
    { "event run", cmd_event_run, CLI_STORE, "as-of= json", 0, 0, "rapport event run [--as-of DATE] [--json]",
      "Run the event rules over what came since the last run.",
      "Every load runs them at its end; this runs them by hand (after a rule is\n"
      "added, or with --as-of to judge as of another day).  Only events within a\n"
      "rule's expiry of that day make leads: a first load of years of history\n"
      "makes no flood of stale ones.  An event is kept once per rule and fact.\n\n"
      "options:\n"
      "  --as-of DATE    the day to judge on (default: the newest transaction's)\n"
      "  --json          as JSON, with every new event\n" STORE_HELP, NULL },
    { "event feed", cmd_event_feed, CLI_STORE, "json", 1, 1, "rapport event feed FILE|- [--json]",
      "Judge transactions as they happen (what the API's event feed does).",
      "FILE holds {\"transactions\": [{\"account\": NUMBER, \"posted_at\": ISO 8601,\n"
      "\"amount\": 1200000, \"class\": \"td_break\", \"currency\": \"TWD\", \"channel\":\n"
      "\"branch\"}]} (1-1,000); each is judged against its account's own history,\n"
      "now.  The batch is checked whole first; an error names the member.\n\n"
      "options:\n  --json          as JSON\n" STORE_HELP, NULL },
    { "event list", cmd_event_list, CLI_STORE, "customer= rule= limit= json csv", 0, 0,
      "rapport event list [--customer ID] [--rule CODE] [--limit N] [--json|--csv]",
      "List the events found, newest first, with their leads.", "options:\n  --json, --csv\n" STORE_HELP, NULL },
    { "lead list", cmd_lead_list, CLI_STORE, "mine manager= branch= queue= status= customer= all limit= json csv", 0, 0,
      "rapport lead list [--mine | --manager USER] [--branch B] [--queue Q] [--status S | --all] [--customer ID]\n"
      "       [--limit N] [--json|--csv]",
      "List leads: one's own (--mine), a branch's, the outbound queue's.",
      "Open leads by default (those past their expiry are expired), highest priority\n"
      "first, each with the event that made it ('because').\n\n"
      "options:\n"
      "  --mine          assigned to me ($RAPPORT_USER)\n"
      "  --queue Q       manager, branch or outbound\n"
      "  --status S      open, worked, converted, declined, expired or control\n"
      "  --all           every status but the held out\n" STORE_HELP, NULL },
    { "lead work", cmd_lead_work, CLI_STORE, "outcome= note=", 1, 1,
      "rapport lead work LEAD --outcome worked|converted|declined [--note TEXT]",
      "Record what came of a lead: it enters the customer's contact history.",
      "A lead open (or worked, to its outcome) is worked; converted (the customer\n"
      "took the offer) and declined are its responses.\n\n" STORE_HELP, NULL },
    { "lead assign", cmd_lead_assign, CLI_STORE, "to=", 1, 1, "rapport lead assign LEAD --to USER",
      "Give an open lead to another person: a manager who left, a colleague covering.",
      "The lead goes to USER's own queue (manager), the change noted on it.\n\n" STORE_HELP, NULL },
    { "lead expire", cmd_lead_expire, CLI_STORE, "", 0, 0, "rapport lead expire",
      "Mark the open leads past their expiry as expired.", STORE_HELP, NULL },
    { "lead results", cmd_lead_results, CLI_STORE, "json csv", 0, 0, "rapport lead results [--json|--csv]",
      "What each event rule's leads came to, against its held-out customers.",
      "By rule: leads, open, worked, converted, declined, expired, held out; the\n"
      "conversion of the leads worked; and with an offer, the share of leads and of\n"
      "held-out customers who opened its product during the lead's life, and the\n"
      "difference (uplift).\n\n"
      "options:\n  --json, --csv\n" STORE_HELP, NULL },
    { "campaign export", cmd_campaign_export, CLI_STORE, "cell= channel= wave= out= format= reason= json", 1, 1,
      "rapport campaign export CODE (--cell C | --channel CH) [--wave N] --out FILE [--format csv|xlsx] --reason TEXT\n"
      "       [--json]",
      "Write a campaign's list for a channel's vendor or system (audited).",
      "The treated of a cell, or of every cell of a channel, never the control group,\n"
      "with the columns the channel needs: direct_mail name, postal code, address and\n"
      "branch; email the e-mail address; sms the mobile; outbound_call a phone;\n"
      "branch_lead the home branch first; banner the customer and the offer.  Only an\n"
      "approved, running or paused campaign.  Not listed, and counted: a paused cell's\n"
      "customers, those without what the channel needs, and those who since the\n"
      "selection died, closed, asked not to be contacted or withdrew consent.  A list\n"
      "of addresses or phone numbers is personal data: the reason and the file are\n"
      "written to the audit trail.\n\n"
      "options:\n"
      "  --cell C        one cell's treated\n"
      "  --channel CH    every cell of the channel\n"
      "  --wave N        one wave's customers (each wave's list once); else every\n"
      "                  wave whose time it is (begun, its last day not past)\n"
      "  --out FILE      the file, written whole or not at all\n"
      "  --format F      csv or xlsx (default: by FILE's ending, else csv)\n"
      "  --reason TEXT   why (at least five characters)\n"
      "  --json          the summary as JSON\n" STORE_HELP, NULL },
    { "campaign send", cmd_campaign_send, CLI_STORE,
      "cell= smtp= gateway= from= subject= body-file= limit= unsubscribe-url= tls= retry-failed json", 1, 1,
      "rapport campaign send CODE --cell C [--smtp URL] [--from ADDR] [--subject TEXT] [--body-file FILE]\n"
      "       [--limit N] [--unsubscribe-url URL] [--tls required|try|none] [--json]\n"
      "       rapport campaign send CODE --cell C [--gateway URL] [--from NAME] [--body-file FILE] [--limit N]",
      "Send a running campaign's e-mail cell through an SMTP server, or its sms cell through an SMS gateway.",
      "Each treated customer of the cell who may still be mailed (consent, do-not-\n"
      "contact, an address) and was not mailed before gets one message: the template\n"
      "(--body-file, else the cell's message, else a default) with {name}, {offer}\n"
      "and {unsubscribe}, a List-Unsubscribe link signed for them and\n"
      "List-Unsubscribe-Post (RFC 8058: a POST to the link withdraws their consent, a\n"
      "GET only shows the page; 'rapport serve' answers it).  Each message sent is\n"
      "kept and entered in the customer's contact history; an address the server\n"
      "refuses is kept as failed; run it again to take up what is left.\n\n"
      "options (else [mail] in the configuration):\n"
      "  --smtp URL      smtp://HOST:PORT or smtps://HOST:PORT ([mail] smtp)\n"
      "  --from ADDR     the sender, \"Bank <news@bank.example>\" ([mail] from)\n"
      "  --subject TEXT  the subject (default: the offer's name)\n"
      "  --body-file F   the template, UTF-8 text\n"
      "  --limit N       at most N messages this run\n"
      "  --retry-failed  try again those the server refused before (else counted)\n"
      "  --unsubscribe-url URL  the public address of 'rapport serve' ([mail] unsubscribe_url)\n"
      "  --tls T         required (default), try or none ([mail] tls); smtps:// is TLS\n"
      "  --json          the summary as JSON\n"
      "The server's user is [mail] user; its password $RAPPORT_SMTP_PASSWORD or the\n"
      "file [mail] password_file, never an option.\n\n"
      "An sms cell's text messages go through an SMS gateway that speaks Kannel's\n"
      "sendsms interface, to each mobile as +COUNTRY digits (a national 09... number\n"
      "in [sms] country's code, 886 by default), the link in the text ({unsubscribe})\n"
      "withdrawing the consent on sms:\n"
      "  --gateway URL   http://HOST:13013/cgi-bin/sendsms ([sms] gateway)\n"
      "  --from NAME     the sender's name or number ([sms] from)\n"
      "its user [sms] user, its password $RAPPORT_SMS_PASSWORD or [sms] password_file;\n"
      "the link's address [sms] unsubscribe_url, else [mail]'s.\n" STORE_HELP, NULL },
    { "campaign dial", cmd_campaign_dial, CLI_STORE, "cell= agents= until= json", 1, 1,
      "rapport campaign dial CODE --cell C --agents a,b,c [--until DATE] [--json]",
      "Give a running campaign's outbound_call cell to the contact centre's agents.",
      "The cell's treated who may still be called (consent and reach on the phone, not\n"
      "on the do-not-call list, a number to dial), at most the cell's cap, in turn to\n"
      "each agent (a user with dial), as the calling list CODE-CELL until DATE (the\n"
      "campaign's end): the agents see them on their worklist and only they their\n"
      "numbers.  Run again, it adds only who is not on the list yet.\n\n"
      "options:\n"
      "  --cell C        the outbound_call cell\n"
      "  --agents LIST   the outbound agents, comma-separated\n"
      "  --until DATE    the last day they may be called from the list\n"
      "  --json          the summary as JSON\n" STORE_HELP, NULL },
    { "campaign optimise", cmd_campaign_optimise, CLI_STORE,
      "scores= models= level= budget= min= max= capacity= group-by= group-max= value= per-customer= method= apply json",
      1, 1,
      "rapport campaign optimise CODE (--scores FILE | --models CELL=MODEL,...) [--level 1-4] [--budget B]\n"
      "       [--min CELL=N,...]"
      "       [--max CELL=N,...] [--capacity CHANNEL=N,...] [--group-by ATTR --group-max N]\n"
      "       [--value ATTR] [--method auto|exact|lagrange|greedy] [--apply] [--json]",
      "Give a draft's treated their cells by the offer optimiser (M11).",
      "FILE is CSV with a header naming customer, cell (or offer) and score: the\n"
      "response model's probability of each customer taking each cell's offer; a\n"
      "pair not in the file, or that consent, reach or a product held rules out now,\n"
      "is not eligible.  Or --models: a cell's (or an offer's) scores are a kept\n"
      "model's latest scoring ('rapport model score'); the file may give the others.\n"
      "Levels: 1 the highest score; 2 score x the offer's value;\n"
      "3 score x the customer's own value (--value, an attribute: profit); 4 the\n"
      "expected profit (score x value - cost) under the constraints given, solved\n"
      "exactly (GLPK) when small, else by Lagrangian relaxation; the objective, the\n"
      "upper bound and gap, and each binding constraint's shadow price are shown.\n"
      "Constraints that cannot all hold are refused, naming them.  Without --apply\n"
      "nothing changes: the plan is shown; with it each treated target takes its\n"
      "cell and those given none leave the campaign (recorded in its history).\n\n"
      "options:\n"
      "  --budget B          the total cost of the contacts at most B\n"
      "  --min, --max        customers per cell: A=100,B=50\n"
      "  --capacity          contacts per channel: outbound_call=1500 (the agents' hours);\n"
      "                      else 'campaign capacity' a day times the campaign's days\n"
      "  --group-by ATTR     branch, level, ... with --group-max N contacts in each\n"
      "  --value ATTR        level 3: the customer's value (profit)\n"
      "  --per-customer M    1: a campaign gives each customer one cell\n"
      "  --method M          auto (default), exact, lagrange or greedy\n"
      "  --apply             give the targets their cells\n"
      "  --json              the plan as JSON\n" STORE_HELP, NULL },
    { "targetlist add", cmd_targetlist_add, CLI_STORE, "file=", 1, CLI_MAX_ARGS,
      "rapport targetlist add NAME [ID...] [--file FILE]",
      "Upload a list of customers (ids, or id:N) for a campaign's selection.",
      "All or none: an id that is no customer is named and nothing is added.\n\n"
      "options:\n  --file FILE     the ids, one a line\n" STORE_HELP, NULL },
    { "audit", cmd_audit, CLI_STORE, "since= until= user= customer= action= limit= json", 0, 0,
      "rapport audit [--since TIME] [--until TIME] [--user NAME] [--customer ID] [--action A] [--limit N] [--json]",
      "Read the audit trail: who looked at, searched, revealed or changed what, and when.",
      "The trail is append-only: the store itself refuses to change or delete it.\n"
      "Actions: login, login_failed, logout, search, view, reveal, denied,\n"
      "user_add, user_passwd, user_role, user_disable, user_enable, user_unlock,\n"
      "user_totp, user_totp_remove, user_request, user_approve, user_reject,\n"
      "password_change, rejects_read, reject_reveal, rejects_export, pairs_read,\n"
      "match_export, query, users_read, audit_read.  Reading the trail is itself\n"
      "an entry.\n\n"
      "options:\n"
      "  --since TIME    from this time (ISO 8601, UTC)\n"
      "  --until TIME    up to this time\n"
      "  --user NAME     one user's\n"
      "  --customer ID   about one customer\n"
      "  --action A      one kind\n"
      "  --limit N       at most N, newest first (default 100)\n"
      "  --json          as JSON\n" STORE_HELP, NULL },
    { "audit verify", cmd_audit_verify, CLI_STORE, "file= json", 0, 0,
      "rapport audit verify [--file ARCHIVE] [--json]",
      "Check that the audit trail (or an archive of it) is as it was written.",
      "Each entry's hash covers the entry and the hash before it (SHA-256), so an\n"
      "entry changed, removed or put in behind Rapport's back breaks the chain from\n"
      "there on.  Prints the number of entries that verify and the head (the last\n"
      "hash): write the head down elsewhere now and then; a trail that verifies\n"
      "and still holds a head written down earlier was not rewritten since.\n"
      "Exit code 1 when the chain is broken.\n\n"
      "options:\n"
      "  --file ARCHIVE  verify a file written by 'rapport audit archive' instead\n"
      "  --json          as JSON\n" STORE_HELP, NULL },
    { "audit archive", cmd_audit_archive, CLI_STORE, "before= out=", 0, 0,
      "rapport audit archive --before DATE --out FILE",
      "Move the audit entries older than DATE to a file (retention).",
      "The entries are written to FILE (JSON lines with their hashes, readable by\n"
      "its owner only), the file is flushed to disk, and only then are they\n"
      "removed from the store, in one transaction.  The store keeps the last\n"
      "archived hash, so the chain goes on and each archive verifies on its own\n"
      "('rapport audit verify --file FILE').  FILE must not exist.\n\n"
      "options:\n"
      "  --before DATE   entries before this day (YYYY-MM-DD, UTC)\n"
      "  --out FILE      the archive to write\n" STORE_HELP, NULL },
    { "contact erlang", cmd_contact_erlang, 0, "calls= interval= aht= agents= target= service-level= max-asa= json", 0, 0,
      "rapport contact erlang --calls N --aht S (--agents N | --service-level P) [--interval S] [--target S]\n"
      "       [--max-asa S] [--json]",
      "A contact centre's service level and speed of answer, or the agents a target needs, by Erlang C.",
      "Calls arriving at random in an interval (--interval seconds, 1800), --aht\n"
      "seconds each, waiting in one queue for alike agents: with --agents the share\n"
      "answered within --target seconds (20), the average speed of answer, the\n"
      "share that waits and the occupancy; with --service-level P (percent) the\n"
      "fewest agents that answer P % within the target (and, with --max-asa, with\n"
      "an average speed of answer at most that).  Fewer agents than the traffic in\n"
      "Erlangs is said: the queue grows without end.\n\n"
      "options:\n"
      "  --calls N          calls offered in the interval\n"
      "  --aht S            the average handle time, seconds\n"
      "  --agents N         agents on duty\n"
      "  --service-level P  the target share, percent: the agents it needs\n"
      "  --json             as JSON\n", NULL },
    { "contact simulate", cmd_contact_simulate, 0,
      "calls= agents= intervals= interval= aht= patience= target= seed= handle-cv= json", 0, 0,
      "rapport contact simulate --calls N[,N...] --agents N[,N...] --aht S [--intervals K] [--interval S]\n"
      "       [--patience S] [--target S] [--handle-cv CV] [--seed N] [--json]",
      "Simulate a contact centre call by call, interval by interval, beside Erlang C.",
      "Calls arrive at random at each interval's rate (--calls: one number for every\n"
      "interval, or one each), --agents are on duty in each (a schedule), handle\n"
      "times are exponential (or log-normal with --handle-cv), callers give up after\n"
      "an exponential patience (--patience seconds; 0: nobody does), and each agent\n"
      "takes the longest-waiting caller when free.  Every call offered ends once,\n"
      "answered or abandoned; the same seed gives the same run.  By interval:\n"
      "offered, answered, abandoned, the service level within --target seconds, the\n"
      "average speed of answer and Erlang C's service level for comparison.\n\n"
      "options:\n"
      "  --intervals K   how many intervals (1 to 96), of --interval seconds (1800)\n"
      "  --json          as JSON\n", NULL },
    { "contact setup", cmd_contact_setup, CLI_STORE, "", 1, 1, "rapport contact setup FILE.json",
      "Define the contact centre's skills, queues and agents from a JSON file.",
      "FILE is {\"skills\": [...], \"queues\": [...], \"agents\": [...]}, written\n"
      "whole or not at all (an error names the member: agents[3].skills.信用卡):\n"
      "  skill  {name, kind: language|product|segment|other}\n"
      "  queue  {code, name, channel, skill, min_level 1-5, strategy, priority,\n"
      "          overflow_s, overflow_skill, target_s (15), target_level (0.8),\n"
      "          wrap_up_s (60), number (dialled to reach it), active}\n"
      "  agent  {login (a Rapport user), name, sip, skills {name: level 1-5},\n"
      "          capacity {channel: at once}, active}\n"
      "A row named again is replaced (an agent's skills all).  Strategies:\n"
      "longest_idle, skills, value_priority, last_agent, blended (docs/contact.md).\n", NULL },
    { "contact show", cmd_contact_show, CLI_STORE, "json", 0, 0, "rapport contact show [--json]",
      "Show the contact centre's queues and agents, with each agent's state.", NULL, NULL },
    { "contact agent", cmd_contact_agent, CLI_STORE, "reason= at= json", 2, 2,
      "rapport contact agent LOGIN ready|break|offline [--reason R] [--at TIME] [--json]",
      "Set an agent's state: ready for work, on a break (with a reason) or offline.",
      "Becoming ready routes what waits to the agent at once (their assignments are\n"
      "printed).  An agent wrapping up a call gives it a disposition first (contact\n"
      "event N wrap_up); one with an interaction open cannot go offline.\n\n"
      "options:\n"
      "  --reason R   a break's reason (lunch, training, meeting, ...)\n"
      "  --at TIME    when (the switch's time; default now)\n", NULL },
    { "contact offer", cmd_contact_offer, CLI_STORE,
      "channel= queue= to= id= from= ivr= reason= campaign= callback-at= outbound at= json", 0, 0,
      "rapport contact offer --id ID (--queue Q | --to NUMBER) [--channel C] [--from ADDRESS]\n"
      "       [--ivr PATH] [--reason R] [--callback-at TIME] [--outbound] [--campaign C] [--at TIME] [--json]",
      "Offer the centre an interaction: a call, an e-mail, a chat, a call-back asked for.",
      "The interaction is queued and routed at once if an agent may take it: the\n"
      "agent and why are printed, else its place in line and the wait to expect.\n"
      "The customer is found by --from (a phone number or an e-mail address).  The\n"
      "same --id again is the same interaction: nothing is written twice.\n\n"
      "options:\n"
      "  --channel C  voice (default), email, chat, callback, outbound, webform\n"
      "  --queue Q    the queue; or --to NUMBER, the number the caller dialled\n"
      "  --ivr PATH   the IVR's path, travelling with the interaction to the agent\n", NULL },
    { "contact event", cmd_contact_event, CLI_STORE,
      "id= channel= agent= switch-ref= disposition= note= queue= to-agent= reason= callback-at= at= json", 1, 2,
      "rapport contact event (N | --id ID [--channel C]) EVENT [--agent LOGIN] [--disposition D] [--note TEXT]\n"
      "       [--queue Q] [--to-agent LOGIN] [--switch-ref REF] [--callback-at TIME] [--reason R] [--at TIME] [--json]",
      "Record what happened to an interaction: answered, ended, abandoned, wrap_up, ...",
      "EVENT is one of: held (the switch holds the call: --switch-ref), answered,\n"
      "ended (a call ends: the agent wraps up), abandoned (the caller gave up),\n"
      "no_answer (the agent's phone did not answer: back in line, the agent on a\n"
      "break), transfer (--queue or --to-agent: a new leg with the context),\n"
      "wrap_up (--disposition, --note: done), note, callback (the caller would\n"
      "rather be called back: the place in line kept).  The same event again is\n"
      "said and changes nothing; one that cannot happen now names the state.\n", NULL },
    { "contact keys", cmd_contact_keys, CLI_STORE, "id= at= json", 1, 1,
      "rapport contact keys --id CALL (DIGITS | -) [--at TIME] [--json]",
      "Pass a caller's keys to the IVR, as a switch does: the next prompt, or the queue.",
      "The call (--id, the switch's Call-ID) is in its queue's IVR flow (contact\n"
      "setup: \"ivr\" and a queue's \"ivr\"); DIGITS are the keys it pressed (-: read\n"
      "from the standard input, so that a PIN is not on a command line).  Prints what\n"
      "the caller hears next, or the call's place in the queue at the flow's end.\n", NULL },
    { "contact pin", cmd_contact_pin, CLI_STORE, "", 1, 1, "rapport contact pin CUSTOMER",
      "Issue a customer a new telephone PIN for the IVR (shown once; audited).",
      "CUSTOMER: any key customer show takes.  Six random digits, kept only under\n"
      "a slow keyed hash (Argon2id over a hash keyed with the store's key); the old\n"
      "PIN and its lock are gone.  Three wrong PINs in the IVR lock it for thirty\n"
      "minutes; issuing a new one is the reset.\n", NULL },
    { "contact tick", cmd_contact_tick, CLI_STORE, "at= json", 0, 0, "rapport contact tick [--at TIME] [--json]",
      "Run the contact centre's timers: wrap-ups over, quiet sign-ins, call-backs due, overflow.",
      "rapport serve runs them every second; this is for a centre driven from\n"
      "scripts.\n", NULL },
    { "contact dial", cmd_contact_dial, CLI_STORE, "cell= queue= hours= days= attempts= retry= refresh json", 1, 1,
      "rapport contact dial CAMPAIGN --cell C --queue Q [--hours 09:00-21:00] [--days 1234567] [--attempts N]\n"
      "       [--retry MIN] [--refresh] [--json]",
      "Start dialling a running campaign's outbound_call cell: a call for each agent free.",
      "The cell's treated who may be called (consent and reach on the phone, not on\n"
      "the do-not-call list, a number; at most the cell's cap) are dialled in the\n"
      "queue Q (channel outbound) by progressive pacing: each agent of the queue free\n"
      "once the waiting callers are served gets the next customer, the agent first so\n"
      "that nobody who answers hears silence.  Only within --hours (Taipei time) on\n"
      "--days (ISO weekdays, 1 Monday), while the campaign runs and the cell is not\n"
      "paused (a surge pauses it); consent and do-not-call are asked again at each\n"
      "dial.  No answer, busy and a failed call are tried again --retry minutes later,\n"
      "up to --attempts (3) in all.  The agent's wrap-up code is the outcome: sale (the\n"
      "campaign's positive response), refused (negative), callback (with\n"
      "--callback-at), wrong_number, anything else a contact.  Audited.\n\n"
      "options:\n"
      "  --hours FROM-TO   calling hours, Taipei time (09:00-21:00)\n"
      "  --days DIGITS     ISO weekdays dialled (1234567: every day)\n"
      "  --attempts N      calls at most to one customer (3)\n"
      "  --retry MIN       minutes before a customer not reached is called again (60)\n"
      "  --refresh         make the selection copy afresh first (else one under an\n"
      "                    hour old, [marketing] select_minutes, serves)\n", NULL },
    { "contact diallers", cmd_contact_diallers, CLI_STORE, "json csv", 0, 0, "rapport contact diallers [--json|--csv]",
      "List the outbound diallers, newest first, with their progress.", NULL, NULL },
    { "contact dialler", cmd_contact_dialler, CLI_STORE, "pause resume stop entries= json", 1, 1,
      "rapport contact dialler N [--pause|--resume|--stop] [--entries N] [--json]",
      "Show a dialler's progress by outcome; pause, resume or stop it.",
      "--entries N lists its first N customers (numbers masked) with their attempts\n"
      "and outcomes.  Stopped is final; a dialler with nobody left to call is done.\n"
      "Pausing, resuming and stopping are audited.\n", NULL },
    { "contact desk", cmd_contact_desk, CLI_STORE, "json", 1, 1, "rapport contact desk LOGIN [--json]",
      "Show an agent's state and the interactions they hold.", NULL, NULL },
    { "contact interactions", cmd_contact_interactions, CLI_STORE, "state= queue= limit= json csv", 0, 0,
      "rapport contact interactions [--state S|open] [--queue Q] [--limit N] [--json|--csv]",
      "List the contact centre's interactions, newest first.", NULL, NULL },
    { "contact board", cmd_contact_board, CLI_STORE, "at= since= json", 0, 0,
      "rapport contact board [--since TIME] [--at TIME] [--json]",
      "The supervisor's wallboard: each queue now and today, each agent, the alerts.",
      "Per queue: waiting now and the longest wait; since the start of the day in\n"
      "Taipei (or --since): offered, answered, abandoned, the service level (answered\n"
      "within the queue's target, of those offered), average speed of answer, handle\n"
      "time, abandonment and first-contact resolution (no contact of the customer for\n"
      "the same reason within 7 days).  Per agent: state, since when, open and\n"
      "handled interactions, occupancy (handling over signed-in time).  Alerts: a\n"
      "service level under the queue's target level, a caller waiting over four times\n"
      "the target, abandonment over 5 %.\n", NULL },
    { "contact drive", cmd_contact_drive, CLI_STORE, "queue= minutes= calls= speed= aht= patience= wrap= seed= ready json",
      0, 0,
      "rapport contact drive --queue Q [--calls N] [--minutes M] [--speed X] [--aht S] [--patience S] [--wrap S]\n"
      "       [--ready] [--seed N] [--json]",
      "Play a simulated busy period against the live centre, so that the wallboard moves.",
      "Callers arrive at random into --queue (--calls in --minutes: 600 in 60), the\n"
      "agents' phones answer after a few seconds, they talk for an exponential time\n"
      "(--aht seconds, 180) and wrap up (--wrap, 10); a caller still waiting after an\n"
      "exponential patience (--patience, 120; 0: never) gives up.  Time runs --speed\n"
      "times faster (60: the hour in a minute); every step is written as it happens\n"
      "through what the switch and the desks use, routed by the engine, on the\n"
      "wallboard of `rapport serve` on the same store.  --ready makes every agent\n"
      "ready first.  The times the wallboard shows are on the compressed clock.\n", NULL },
    { "contact report", cmd_contact_report, CLI_STORE, "by= from= to= interval= source= json csv", 0, 0,
      "rapport contact report --from DAY --to DAY [--by interval|queue|agent] [--interval MIN] [--source S]\n"
      "       [--json|--csv]",
      "The contact centre's calls of a period by interval, queue or agent, with revenue per call.",
      "From the call records: the live centre's and those the call centre's extract\n"
      "loaded (--source: one of them), arrived from --from to before --to (days are\n"
      "midnight in Taipei).  By --by (queue): calls offered, answered and abandoned,\n"
      "the service level (answered within the queue's target, of those offered; 15 s\n"
      "for a queue the live centre does not know), average speed of answer, handle\n"
      "time (talk and wrap-up), abandonment, the peak of calls talking at once, sales\n"
      "(positive campaign responses the agent recorded for the caller that day) and\n"
      "revenue per answered call (the offers' value).  --interval: 30 minutes.\n", NULL },
    { "contact interaction", cmd_contact_interaction, CLI_STORE, "json", 1, 1,
      "rapport contact interaction N [--json]",
      "Show an interaction with every step it went through: when, what, who, why.", NULL, NULL },
    { "contact chat", cmd_contact_chat, CLI_STORE, "after= agent= json", 1, 1,
      "rapport contact chat N [--after SEQ] [--agent LOGIN] [--json]",
      "Print a chat's transcript: every message, the customer's and the agents', numbered.",
      "N is any leg of the chat (a transferred chat is one conversation).  Each\n"
      "message with its number, time (UTC), who wrote it and its text; the chat's\n"
      "state and agent first.  --after SEQ: only the messages after that number;\n"
      "--agent LOGIN: as that agent sees it (their own chats only).\n", NULL },
    { "contact say", cmd_contact_say, CLI_STORE, "agent= at= json", 2, 2,
      "rapport contact say N TEXT --agent LOGIN [--at TIME] [--json]",
      "Send the customer of a chat a message as its agent.",
      "The chat's newest leg must be the agent's; one assigned to them and not yet\n"
      "accepted is accepted by it.  TEXT: at most 2000 characters.  The customer's\n"
      "page shows it within a second.  A chat that has ended takes none.\n", NULL },
    { "gen", cmd_gen, 0, "customers= months= seed= defect-rate= out= end= json", 0, 0,
      "rapport gen --customers N --out DIR [--months M] [--seed S] [--defect-rate R] [--end YYYY-MM] [--json]",
      "Write a synthetic bank's source-system extracts, with the truth beside them.",
      "Writes the core banking host files (EBCDIC IBM-937, RDW records, packed and\n"
      "zoned decimals, COBOL copybooks), the card system's Big5 CSV files, the truth\n"
      "(identity, defects, churn, segments) and a manifest with SHA-256 sums, for N\n"
      "customers over M months ending with --end.  docs/sources.md describes every\n"
      "file.  The same options always give the same bytes.\n\n"
      "options:\n"
      "  --customers N     how many customers (1 to 10,000,000); required\n"
      "  --out DIR         where to write; created if missing; required\n"
      "  --months M        months of history (default 24)\n"
      "  --seed S          random seed (default 1)\n"
      "  --defect-rate R   share of records given a defect, 0 to 0.5 (default 0.02)\n"
      "  --end YYYY-MM     the last month extracted (default 2026-10)\n"
      "  --json            print the counts as JSON\n", NULL },
    { "query", cmd_query, CLI_STORE, "csv json limit=", 1, 1,
      "rapport query SQL [--csv|--json] [--limit N] [--db PATH] [--config FILE]",
      "Run one read-only SQL statement against the store.",
      "Only SELECT, WITH, VALUES and EXPLAIN are accepted; anything that would\n"
      "write is refused before it runs, and the store is opened read-only.\n"
      "Sealed identifiers appear as ciphertext.\n\n"
      "options:\n"
      "  --csv           RFC 4180 CSV with a header row\n"
      "  --json          a JSON array of objects\n"
      "  --limit N       stop after N rows (default 10000; 0 for no limit)\n" STORE_HELP, NULL },
};
const int cli_ncommands = (int)(sizeof cli_commands / sizeof cli_commands[0]);

int cmd_help(cli_ctx *c)
{
    int names = cli_flag(c, "commands");
    const char *pos[2] = { c->args[0], c->args[1] };
    if (names) {
        for (int i = 0; i < cli_ncommands; i++)
            printf("%s\n", cli_commands[i].name);
        return CLI_OK;
    }
    if (pos[0]) {
        char name[128];
        snprintf(name, sizeof name, "%s%s%s", pos[0], pos[1] ? " " : "", pos[1] ? pos[1] : "");
        const cli_cmd *cmd = cli_find(name);
        if (!cmd)
            return cli_failf("help", "no such command '%s'", name);
        printf("usage: %s\n\n%s\n", cmd->usage, cmd->summary);
        cli_print_help(cmd);
        return CLI_OK;
    }
    printf("usage: rapport COMMAND [ARGS]\n\n"
           "Rapport: one customer view for a bank, and what to do with it.\n\ncommands:\n");
    for (int i = 0; i < cli_ncommands; i++)
        printf("  %-16s %s\n", cli_commands[i].name, cli_commands[i].summary);
    printf("\n'rapport COMMAND --help' tells more about one command.\n");
    return CLI_OK;
}

extern const int rp_sqlite_migrations_count;
extern const rp_migration rp_sqlite_migrations[];

int cmd_version(cli_ctx *c)
{
    (void)c;
    int schema = rp_sqlite_migrations[rp_sqlite_migrations_count - 1].version;
    printf("rapport %s (schema %d; %s, jansson %s, libsodium %s)\n", RAPPORT_VERSION, schema, rp_store_engines(),
           jansson_version_str(), sodium_version_string());
    return CLI_OK;
}
