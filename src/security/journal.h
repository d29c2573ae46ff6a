/*
 * journal.h — the audit trail's journal, for `rapport serve`.
 *
 * Every customer record viewed is audited before the record leaves the
 * server.  An INSERT into the store per view halves what the server can
 * answer and puts every reply behind the store's write lock and its WAL
 * checkpoints; so the server writes each entry as one line to the journal
 * instead (STORE-audit, next to the store, mode 0600): one write(2), after
 * which the entry is as safe as a commit of the store itself (which runs
 * with synchronous=NORMAL: in the operating system's hands, not yet on
 * disk).  A reply is sent only once its line is written.
 *
 * sec_journal_ingest() moves what the journal holds into the audit table, in
 * one transaction that also records how far it got (store_meta
 * 'audit_journal'), so that every line lands exactly once, whoever moves it
 * and whenever the server stopped.  The server does so every few
 * milliseconds; `rapport audit` and the audit route do so before they read.
 *
 * The file's first line names it with a random id; the part already moved
 * is given back to the file system (a hole is punched), and a server
 * starting on a fully moved journal begins a new one.  One server per store
 * writes the journal (it holds an exclusive lock on it).
 */
#ifndef RP_SECURITY_JOURNAL_H
#define RP_SECURITY_JOURNAL_H

#include <stdint.h>
#include "core/error.h"
#include "security/security.h"
#include "store/store.h"

typedef struct sec_journal sec_journal;

/* The journal's path for a store: "<db>-audit". */
void sec_journal_path(const char *db, char *out, size_t n);

/* Open (creating) the journal of store db for writing, and lock it: a
 * second writer is refused (RP_BUSY). */
int sec_journal_open(const char *db, sec_journal **out, rp_error *err) RP_WARN_UNUSED;
void sec_journal_close(sec_journal *j);

/* Write one entry (at: its time, UTC ISO; NULL now).  Safe from any thread.
 * RP_OK only when the whole line was written. */
int sec_journal_append(sec_journal *j, const sec_audit_entry *e, const char *at, rp_error *err) RP_WARN_UNUSED;

/* Move the entries not yet in the store into table audit, at most max
 * bytes of journal (0: all), in one transaction; *moved (may be NULL) gets
 * how many.  With j NULL, the journal of db is read if there is one (what
 * `rapport audit` does).  With final set (a server starting), a last line
 * left unfinished by a crash is kept as an entry saying so. */
int sec_journal_ingest(rp_store *s, const char *db, sec_journal *j, size_t max, int final, int64_t *moved,
                       rp_error *err) RP_WARN_UNUSED;

/* A server starting: when everything is moved, begin a new, empty journal. */
int sec_journal_restart(rp_store *s, sec_journal *j, rp_error *err) RP_WARN_UNUSED;

/* Bytes written to the journal and not yet moved (for /metrics). */
int64_t sec_journal_pending(const sec_journal *j);

#endif
