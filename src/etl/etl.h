/*
 * etl.h — loading source extracts into the warehouse (DOMAIN W6-W9): the
 * module's one public header.
 *
 * A source spec (docs/etl.md, specs/ in the tree) describes a file: its format
 * (host records with a copybook, fixed columns, CSV, JSON lines), its
 * encoding, each field's source, type, cleansing, code map and rules, and
 * the warehouse entities (targets) a record becomes.  A load reads the file
 * as a stream, decodes each record against the spec and writes its targets
 * through the warehouse's writers; a record that breaks a rule is a reject
 * naming the field, value and rule, and the load goes on.
 *
 * A load is a job (load_job): the file's SHA-256 fingerprint and the spec
 * name identify it, so loading the same file again is a no-op that says
 * which job loaded it.  Records are read as a stream and written in
 * batches, each batch one transaction that also moves the job's checkpoint
 * (records read, byte offset, counts): after Ctrl-C or kill -9 the store
 * holds whole batches only, and the next run of the same file resumes
 * after the last committed batch, so nothing is loaded twice.
 *
 * Every record that cannot be loaded is a reject (table `reject`, with the
 * raw bytes, and optionally a CSV file `file,record,offset,field,value,
 * rule,message`); the load goes on.  A rejected record is personal data:
 * its raw bytes, value and message are sealed with the store's key, and
 * value and message are kept and listed masked (an identifier, card or
 * account number as the 360 masks it, a phone, e-mail or address as
 * contacts are, other text scrubbed of anything shaped like an
 * identifier); ld_reject_reveal opens one, for the caller to audit.  With a maximum reject rate the whole
 * file is one transaction, and a file whose rate is above it commits
 * nothing (the job is marked failed and says why).  Without one (the
 * default: no ceiling) batches commit as they go, but a file whose every
 * record was rejected still ends failed.  A manifest's record and byte
 * counts are control totals: a file that differs fails (with a ceiling,
 * committing nothing; without one, what was committed stays).
 *
 * A job's status is running, done or failed as stored, or interrupted,
 * worked out when it is read: a job still running whose process is gone
 * (killed, or its PID another process's now: core/proc.h) or that Ctrl-C
 * stopped.  The next load of the same file resumes it.  Text from a file
 * (a job's message, a reject's value and message, the file's name) is kept
 * printable: core/utf8.h, rp_utf8_printable.
 *
 * The module keeps SQL for its own tables only (load_job, load_rule,
 * load_seen, reject, pending_link: migration 0002).
 *
 * Files:
 *   spec.c       reading and checking a spec (fields by part, targets), the
 *                shipped specs compiled in (spec.h: the spec's structures)
 *   rules.c      a field's rules and the checks they name, as tables:
 *                sp_rule_kinds[], sp_checks[] (rules.h: how to add one)
 *   decode.c     a record to typed values: source, code map, type
 *                (sp_field_types[]), rules
 *   copybook.c   COBOL copybooks to record layouts
 *   convert.c    host numbers (packed, zoned), text amounts and dates
 *   cleanse.c    the phone rule (text cleansing is core/text.h)
 *   load.c       ld_load in its phases: open and fingerprint, the job, the
 *                batches, the end
 *   pipe.c       the decoding thread and its queue of blocks
 *   targets.c    one writer per target entity, in writers[]
 *   refs.c       the parties and accounts a record names; the account cache
 *   ledger.c     the job's own rows: load_job, load_rule, reject, load_seen,
 *                pending_link
 *   listing.c    jobs and rejects listed, rejects as CSV, dismissed
 *   privacy.c    rejects kept sealed and masked, revealed one at a time
 *   resubmit.c   open rejects written out again and a corrected copy loaded
 *   extract.c    planning a folder: manifest or walk, spec by pattern, order
 *   quality.c    loads and rejects counted for data quality (analytics)
 *   preview.c    the first records of a file decoded and shown, nothing written
 *   load_internal.h  what the loader's files share
 *   spec.h, rules.h, copybook.h, convert.h, cleanse.h
 *                private headers of the parts above, each its part's manual
 *                (the unit tests include them; other folders include etl.h)
 * The streaming record readers (RDW, fixed, lines, CSV, delimited) are
 * core/reader.h: the predictive models read analysts' CSV files with them too.
 */
#ifndef RP_ETL_H
#define RP_ETL_H

#include <signal.h>
#include <stdint.h>
#include <jansson.h>
#include <stdio.h>
#include "core/buf.h"
#include "core/error.h"
#include "etl/spec.h"
#include "warehouse/warehouse.h"

#define LD_DEFAULT_BATCH 200000
#define LD_MAX_RULES 64

typedef struct ld_options {
    const char *by;              /* who runs it (load_job.started_by) */
    double max_reject_rate;      /* 0..1; < 0: no limit, batches commit as they go */
    int batch;                   /* records a transaction; 0: LD_DEFAULT_BATCH */
    int progress;                /* draw progress on a terminal */
    int force;                   /* load again even when the fingerprint was loaded */
    const char *label;           /* the file as messages name it; NULL: the path */
    int64_t resubmit_of;         /* the job whose rejects this file corrects */
    const char *expect_sha256;   /* from a manifest: refuse a file that differs */
    int64_t expect_records;      /* from a manifest, control totals: the file must have this many */
    int64_t expect_bytes;        /* records and bytes; each checked only when its flag is in expect */
    int expect;                  /* LD_EXPECT_RECORDS | LD_EXPECT_BYTES */
    volatile sig_atomic_t *stop; /* set asynchronously: stop after the current record */
} ld_options;

enum { LD_EXPECT_RECORDS = 1, LD_EXPECT_BYTES = 2 };

/* The states of a job as rapport jobs, the API and the web show them:
 * X(value, zh-TW, English).  load_job.status stores the first three;
 * interrupted is worked out when a job is read (listing.c). */
#define LD_JOB_STATUSES(X)                                                           \
    X("running", "執行中", "running") X("done", "完成", "done") X("failed", "失敗", "failed") \
    X("interrupted", "中斷", "interrupted")
/* The statuses, NULL-terminated; whether s is one of them. */
extern const char *const ld_job_statuses[];
int ld_job_status_ok(const char *s);

typedef struct ld_count {
    char outcome[12]; /* rejected, fixed */
    char rule[32];
    char field[64];
    int64_t n;
} ld_count;

typedef struct ld_result {
    int64_t job;
    int noop;          /* already loaded by noop_job */
    int64_t noop_job;
    int resumed;       /* went on from resume_from records */
    int64_t resume_from;
    int interrupted;   /* stopped by *stop: run again to finish */
    int failed;        /* read to its end and the job failed (the error says why): the counts are what it did */
    int64_t records, loaded, fixed, rejected, unchanged, created, updated;
    int64_t bytes;
    double seconds;    /* this run */
    char fingerprint[65];
    ld_count counts[LD_MAX_RULES]; /* per rule and field, the whole job */
    int ncounts;
} ld_result;

int ld_fingerprint(const char *file, char hex[65], int64_t *bytes, rp_error *err) RP_WARN_UNUSED;
int ld_load(wh *w, const sp_spec *s, const char *file, const ld_options *o, ld_result *r,
            rp_error *err) RP_WARN_UNUSED;
/* The rejects of a job as CSV rows (RFC 4180), after a header row when
 * header is set. */
int ld_rejects_csv(wh *w, int64_t job, FILE *f, int header, rp_error *err) RP_WARN_UNUSED;
/* Load jobs as JSON, newest first (status NULL for all, or one of
 * LD_JOB_STATUSES; one > 0 for that job alone, with its counts rule by rule
 * under "rules").  A job stored as running whose process is gone is
 * listed as interrupted, with a message saying so when it has none. */
int ld_jobs_list(wh *w, const char *status, int64_t one, int limit, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* The jobs counted by status as shown (running, done, failed, interrupted:
 * indexed as ld_job_statuses), and when the last job that ended done and
 * the last that failed finished (seconds since 1970; 0: none), for
 * /metrics.  Two reads of load_job; only reads. */
typedef struct ld_jobs_tally {
    int64_t by_status[4];
    int64_t last_done, last_failed;
} ld_jobs_tally;
int ld_jobs_count(wh *w, ld_jobs_tally *out, rp_error *err) RP_WARN_UNUSED;
/* Rejects as JSON by job and record (job 0, rule NULL and status NULL for all). */
int ld_rejects_list(wh *w, int64_t job, const char *rule, const char *status, int limit, json_t **out,
                    rp_error *err) RP_WARN_UNUSED;
/* Rejects by pages, in the listing's order (job, record), each page a range
 * of the key from a cursor (keyset paging: as fast at record 100,000 as at
 * the first), for the API's listing and its streamed export. */
typedef struct ld_rejects_filter {
    int64_t job;                 /* 0: every job */
    const char *rule, *status;   /* NULL: every rule, every status */
} ld_rejects_filter;
typedef struct ld_reject_at {
    int64_t job, record;         /* the last reject given; 0, 0: before the first */
} ld_reject_at;
/* At most limit rejects after *at, masked as ld_rejects_list's, appended to
 * out (a JSON array); *at moves to the last given. */
int ld_rejects_page(wh *w, const ld_rejects_filter *f, ld_reject_at *at, int limit, json_t *out,
                    rp_error *err) RP_WARN_UNUSED;
/* How many rejects f selects. */
int ld_rejects_count(wh *w, const ld_rejects_filter *f, int64_t *total, rp_error *err) RP_WARN_UNUSED;
/* The same page as CSV rows (RFC 4180) appended to out, the columns of
 * ld_rejects_csv_header (job, file, record, offset, field, value, rule,
 * message, status), masked and printable as the listing; *n how many. */
void ld_rejects_csv_header(rp_buf *out);
int ld_rejects_csv_page(wh *w, const ld_rejects_filter *f, ld_reject_at *at, int limit, rp_buf *out, int *n,
                        rp_error *err) RP_WARN_UNUSED;
/* For data quality (quality.c): every job's counts summed by source,
 * {source: {records, loaded, fixed, rejected}} in order of source; and the
 * rejects by source, field and rule, [{source, field, rule, rejects, open}]
 * by source, the most frequent first. */
/* The first n records of file decoded by spec s, nothing written, no store needed (rapport load
 * --preview): an array of {"record", "offset", "length", "segment"? (with segments: its copybook record's
 * name), "values": {field: value} or null, "copybook":
 * {copybook field: value} (a copybook spec's, every named field decoded on its own: spec.h
 * sp_decode_layout), "rejected": {"field", "rule", "value", "message"} or null, "fixed": [{"rule",
 * "field"}]}.  A value is null when missing, an integer a number, an amount its decimal text in the
 * currency's units ("1234.50"), anything else its text.  An error only when the file cannot be read at
 * all; a record that breaks a rule is shown with its reject, as the load would keep it. */
int ld_preview(const sp_spec *s, const char *file, int64_t n, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* The same for what a person uploads (the data steward's screen, POST /api/v1/load/preview): a spec
 * document (JSON text), the copybook it names (text; NULL for a spec without one) and a sample of the
 * file (bytes), put in a folder of their own for the time it takes and removed.  The spec's copybook
 * must be a plain file name (the uploaded text is it, never a file of the server's); errors name the
 * spec's member or the copybook's line. */
int ld_preview_upload(const char *spec, size_t spec_len, const char *copybook, const void *sample, size_t sample_len,
                      int64_t n, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* A copybook's layout as a compiler's map (copybook.h): {"record", "length", "items": [{"level", "depth",
 * "name", "picture", "usage", "start", "end", "length", "occurs", "group", "line", "redefines"?}],
 * "fields": [{"name", "kind", "offset", "length", "digits", "scale", "signed", "filler", "redefined",
 * "line", "sign"?}], "records": [the same for each record of the copybook, the first's too]}: an item's
 * start counted from 1, its length one occurrence's, its end the last byte of all of them; every item once
 * (an OCCURS's first occurrence), the fields each occurrence.  From text (an upload, named name in
 * messages) or a file; an error names the line. */
int etl_copybook_map(const char *text, const char *name, json_t **out, rp_error *err) RP_WARN_UNUSED;
int etl_copybook_map_file(const char *path, json_t **out, rp_error *err) RP_WARN_UNUSED;

int ld_totals_by_source(wh *w, json_t **out, rp_error *err) RP_WARN_UNUSED;
int ld_rejects_by_rule(wh *w, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* Dismiss a job's open rejects, at one record (record > 0) and/or by one
 * rule (rule not NULL), as user by, saying why (reason): they will not be
 * loaded.  A transaction of its own; *n receives how many were dismissed. */
int ld_rejects_dismiss(wh *w, int64_t job, int64_t record, const char *rule, const char *reason, const char *by,
                       int64_t *n, rp_error *err) RP_WARN_UNUSED;

/* One reject in full: {job, file, record, offset, field, value, rule,
 * message, status, raw} with raw printable (core/utf8.h: control
 * characters and bytes that are not UTF-8 as \xhh).  The
 * caller has checked the permission and audits the reveal. */
int ld_reject_reveal(wh *w, int64_t job, int64_t record, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* Seal the rejects a store kept in clear before migration 0013 (once:
 * store_meta 'rejects_sealed'); *sealed (may be NULL) counts them. */
int ld_seal_rejects(wh *w, int64_t *sealed, rp_error *err) RP_WARN_UNUSED;

/* A new sealing key (warehouse.h, rotate.c): the rejects sealed again with
 * it, a batch a transaction, resumable; ld_rotation_end clears the mark
 * once the rotation is finished. */
int ld_rotation_step(wh *w, int batch, int64_t *done, int *finished, rp_error *err) RP_WARN_UNUSED;
int ld_rotation_end(wh *w, rp_error *err) RP_WARN_UNUSED;

/* ---- correcting rejects ---- */

/* Write a job's open rejects back out in the file's own format (the header
 * row first, if it had one), in record order: the file a data steward
 * corrects.  *n receives the number of records written. */
int ld_rejects_export(wh *w, int64_t job, const char *path, int64_t *n, rp_error *err) RP_WARN_UNUSED;
/* Load a corrected export of job's open rejects (file), or without one the
 * rejected records as they were (after the data they referred to has
 * arrived), with the job's own spec, as a new job.  Each open reject of
 * the job becomes 'loaded', or 'resubmitted' when the new job rejected its
 * record again (the new reject says why). */
int ld_resubmit(wh *w, int64_t job, const char *file, const ld_options *o, ld_result *r,
                rp_error *err) RP_WARN_UNUSED;

/* ---- a whole extract folder ---- */

typedef struct ld_item {
    char path[2048];  /* to open */
    char label[512];  /* relative to the folder, as messages name it */
    char spec[64];    /* the shipped spec that reads it; "" for none */
    char sha256[65];  /* from the manifest, "" without one */
    int64_t records;  /* from the manifest: control totals, -1 without */
    int64_t bytes;
    int depth;        /* load order: the spec's depth in its "after" chain */
} ld_item;

typedef struct ld_plan {
    ld_item *items;   /* in load order */
    int n;
    char **unknown;   /* files no spec reads (copybooks, manifest and truth/ left out) */
    int nunknown;
} ld_plan;

/* The files of an extract folder with their specs, in dependency order:
 * those its manifest.json lists (the truth/ system left out), or every file
 * under it when there is no manifest. */
enum { LD_PLAN_NO_MANIFEST = 1 }; /* every file under dir (an inbox), manifest or not */
int ld_plan_dir(const char *dir, int flags, ld_plan *p, rp_error *err) RP_WARN_UNUSED;
void ld_plan_free(ld_plan *p);

#endif
