/*
 * security.h — who may do what (issue 7, DOMAIN S1-S3): roles and the one
 * permission matrix, users with argon2id passwords (libsodium), sessions,
 * masking of personal data by permission, and the append-only audit trail.
 *
 * The API's dispatcher and the CLI call these; nothing else decides access.
 *
 * Sessions: the cookie carries 32 random bytes (base64url); the store keeps
 * only their BLAKE2b hash, the user, a CSRF token, and when the session
 * began and was last used.  A session ends after `idle` seconds unused or
 * `lifetime` seconds in all, at logout, or when its user is disabled.
 *
 * Files: security.c (roles, the matrix, users, sessions, masking, the audit
 * trail and its index by customer; tables app_user, app_session, audit,
 * audit_customer of migrations 0007 and 0009), journal.c (the audit
 * journal the server writes before it answers; see its section below).
 */
#ifndef RP_SECURITY_H
#define RP_SECURITY_H

#include <jansson.h>
#include <stdint.h>
#include "core/error.h"
#include "store/store.h"

/* ---- roles and permissions (S2) ---- */

typedef enum {
    SEC_TELLER, SEC_RM, SEC_CSR, SEC_TSR, SEC_SUPERVISOR, SEC_ANALYST, SEC_STEWARD, SEC_ADMIN, SEC_AUDITOR,
    SEC_NROLES
} sec_role;

typedef enum {
    SEC_P_SEARCH,           /* find customers by name, ID, phone, account, e-mail */
    SEC_P_VIEW,             /* the customer 360 (masked) */
    SEC_P_REVEAL,           /* see a masked value in full, with a reason (audited) */
    SEC_P_CONTACTS,         /* see phones, e-mails and addresses unmasked in the 360 */
    SEC_P_NOTE,             /* add to contact history */
    SEC_P_EDIT,             /* change contact points and preferences */
    SEC_P_CONSENT_READ,
    SEC_P_CONSENT_WRITE,
    SEC_P_ALL_BRANCHES,     /* customers of every branch, not only one's own */
    SEC_P_ETL,              /* load jobs and rejects */
    SEC_P_ANALYSIS,         /* analysis results: aggregates and scores, never identifiers */
    SEC_P_USERS,            /* manage users */
    SEC_P_AUDIT,            /* read the audit trail */
    SEC_P_EXPORT,           /* a copy of all of a customer's data, unmasked, with a reason (audited):
                               the answer to a customer's request for their data (PDPA art. 3, 10) */
    SEC_NPERMS
} sec_perm;

extern const char *const sec_role_names[SEC_NROLES];
extern const char *const sec_role_titles[SEC_NROLES];
extern const char *const sec_perm_names[SEC_NPERMS];

/* -1 when the name is not a role / permission. */
int sec_role_parse(const char *name);
int sec_perm_parse(const char *name);
int sec_can(sec_role r, sec_perm p);

/* ---- users ---- */

#define SEC_NAME_MAX 32         /* a user name's bytes, at least 2 */
#define SEC_BRANCH_MAX 15       /* a branch code's */
#define SEC_PASSWORD_MAX 1024   /* a password's, at least 10 */

typedef struct sec_user {
    int64_t id;
    char name[SEC_NAME_MAX + 8];
    sec_role role;
    char branch[SEC_BRANCH_MAX + 1];
    int disabled;
} sec_user;

/* Names are 2-32 characters of a-z, 0-9, '.', '_' and '-'; passwords at
 * least 10 characters, at most 1024.  Errors name the field. */
int sec_user_add(rp_store *s, const char *name, const char *role, const char *branch, const char *password,
                 const char *by, sec_user *out, rp_error *err) RP_WARN_UNUSED;
int sec_user_passwd(rp_store *s, const char *name, const char *password, const char *by,
                    rp_error *err) RP_WARN_UNUSED;
/* Disabling also ends every session of the user. */
int sec_user_disable(rp_store *s, const char *name, int disabled, const char *by, rp_error *err) RP_WARN_UNUSED;
int sec_user_get(rp_store *s, const char *name, sec_user *out, rp_error *err) RP_WARN_UNUSED;
int sec_user_list(rp_store *s, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* Check a password: RP_OK, or RP_NOTFOUND for an unknown name, a wrong
 * password or a disabled user alike (message "wrong user name or
 * password"), so that a caller cannot tell which. */
int sec_authenticate(rp_store *s, const char *name, const char *password, sec_user *out,
                     rp_error *err) RP_WARN_UNUSED;

/* ---- sessions ---- */

#define SEC_TOKEN_LEN 44         /* base64url of 32 bytes, and NUL */

typedef struct sec_session {
    char token[SEC_TOKEN_LEN];   /* only when just created */
    char csrf[SEC_TOKEN_LEN];
    sec_user user;
    int64_t created_at, last_seen;
} sec_session;

int sec_session_new(rp_store *s, const sec_user *u, const char *address, int64_t now, sec_session *out,
                    rp_error *err) RP_WARN_UNUSED;
/* The session of a token, if it is alive (then its last use is now):
 * RP_NOTFOUND when it is unknown, ended, timed out or its user disabled. */
int sec_session_get(rp_store *s, const char *token, int64_t now, int64_t idle, int64_t lifetime, sec_session *out,
                    rp_error *err) RP_WARN_UNUSED;
int sec_session_end(rp_store *s, const char *token, rp_error *err) RP_WARN_UNUSED;
/* sec_session_get in two: the check, which only reads (an ended session is
 * removed, best effort) and sets *touch when the last use is to be written;
 * and that write. */
int sec_session_check(rp_store *s, const char *token, int64_t now, int64_t idle, int64_t lifetime, sec_session *out,
                      int *touch, rp_error *err) RP_WARN_UNUSED;
int sec_session_touch(rp_store *s, const char *token, int64_t now, rp_error *err) RP_WARN_UNUSED;

/* ---- masking (S1) ---- */

/* The 360 document as a viewer may see it: identifiers already masked by
 * the warehouse; phones, e-mails and addresses masked without
 * SEC_P_CONTACTS; account and card numbers masked always unless revealed. */
void sec_mask_c360(json_t *doc, sec_role r);
/* The same, with contacts shown or masked (what SEC_P_CONTACTS decides). */
void sec_mask_c360_contacts(json_t *doc, int show_contacts);
/* "0912****78"-style masks: the first and last few characters kept. */
void sec_mask_phone(const char *v, char *out, size_t n);
void sec_mask_email(const char *v, char *out, size_t n);
void sec_mask_address(const char *v, char *out, size_t n);
void sec_mask_account(const char *v, char *out, size_t n);

/* ---- audit (S3) ---- */

/* An entry's fields; the journal keeps SEC_AUDIT_FIELD_MAX bytes of each
 * (a reason longer than that must be refused by whoever takes it). */
typedef struct sec_audit_entry {
    const char *user, *address, *action, *target, *reason, *outcome, *detail;
    int64_t customer;            /* 0 none */
} sec_audit_entry;
#define SEC_AUDIT_FIELD_MAX 1024

int sec_audit(rp_store *s, const sec_audit_entry *e, rp_error *err) RP_WARN_UNUSED;
/* The same, for an entry of an earlier time (UTC ISO): from the journal. */
int sec_audit_at(rp_store *s, const sec_audit_entry *e, const char *at, rp_error *err) RP_WARN_UNUSED;

typedef struct sec_audit_filter {
    const char *since, *until;   /* ISO times, inclusive */
    const char *user, *action;
    int64_t customer;
    int limit;
} sec_audit_filter;

/* Newest first.  A query by customer brings the trail by customer up to date first (a write). */
int sec_audit_query(rp_store *s, const sec_audit_filter *f, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* Bring the trail by customer (table audit_customer) up to date, in bulk
 * and sorted; *added (may be NULL) gets how many entries it took in. */
int sec_audit_index(rp_store *s, int64_t *added, rp_error *err) RP_WARN_UNUSED;


/* ---- the audit trail's journal, for `rapport serve` (journal.c) ----
 *
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
