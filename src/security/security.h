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
 * audit_customer of migrations 0007 and 0009), signin.c (failed sign-ins
 * counted, throttled and locked; table sign_in_failure of migration 0014),
 * password.c (what a password may be, its history and expiry, changing it;
 * table password_history of migration 0014, and common_passwords.txt, the
 * list compiled in), tokens.c (tokens for other programs; table
 * api_token of migration 0016), chain.c (the trail hash-chained, verified and
 * archived; table audit_chain of migration 0015), totp.c (the second factor:
 * TOTP codes by liboath, enrolment, checking a code once; table user_totp of
 * migration 0017), approval.c (separation of duties: changes one
 * administrator may not make alone wait for a second; table user_request of
 * migration 0019), journal.c (the audit journal the server writes before it
 * answers; see their sections below); internal.h (what they share: the
 * password hash, checking and inserting a user, signing in by password
 * alone, and the session token's hash).
 */
#ifndef RP_SECURITY_H
#define RP_SECURITY_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include "core/buf.h"
#include "core/config.h"
#include "core/error.h"
#include "core/seal.h"
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
    SEC_P_REVEAL_REJECTS,   /* a rejected record in full, with a reason (audited): to correct it */
    SEC_P_DIAL,             /* the phone numbers, in full, of the customers on one's own calling list
                               while it runs (an outbound agent); no one else's */
    SEC_P_LISTS,            /* make calling lists: customers given to an outbound agent to call */
    SEC_P_CAMPAIGNS,        /* design campaigns and offers, submit them, read their results */
    SEC_P_APPROVE,          /* approve, launch, pause, resume, close or reject campaigns (never one's own) */
    SEC_P_EVENTS,           /* post transactions to the event feed (a core system's token; no role has it) */
    SEC_P_BANNERS,          /* the banners to show a customer (internet banking's token; no role has it) */
    SEC_P_EXPORT_LISTS,     /* a campaign's list with names, addresses, phones or e-mail written as a file for
                               a vendor or system, with a reason (audited) */
    SEC_P_ANSWER,           /* work as a contact-centre agent: one's own state, the interactions routed to one */
    SEC_P_CENTRE,           /* run the contact centre: queues, skills, agents and their states, the wallboard */
    SEC_P_CTI,              /* the telephone switch's interface: calls offered and their events (a switch's token;
                               no role has it) */
    SEC_NPERMS
} sec_perm;

extern const char *const sec_role_names[SEC_NROLES];
extern const char *const sec_role_titles[SEC_NROLES];
extern const char *const sec_perm_names[SEC_NPERMS];

/* -1 when the name is not a role / permission. */
int sec_role_parse(const char *name);
int sec_perm_parse(const char *name);
int sec_can(sec_role r, sec_perm p);
/* "a" or "an", as the role's title begins ("an administrator", "a supervisor"). */
const char *sec_role_article(sec_role r);
/* Does the role reveal customer data: has it reveal, export or
 * reveal_rejects (read from the matrix)?  Giving such a role takes two
 * administrators (approval.c). */
int sec_role_reveals(sec_role r);
/* Is the permission one of those (reveal, export, reveal_rejects, export_lists)?  A
 * token holding one is the operator's to make (rapport token add), never an
 * administrator's alone through the API. */
int sec_perm_reveals(int p);

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
    int password_expired;        /* the password is older than the policy allows: it may only be changed
                                    (set by sec_sign_in, kept with the session) */
} sec_user;

/* Names are 2-32 characters of a-z, 0-9, '.', '_' and '-'; passwords as
 * sec_password_check says.  Errors name the field.  sec_user_passwd is
 * sec_password_change keeping the last SEC_PASSWORD_HISTORY passwords and
 * ending every session of the user. */
int sec_user_add(rp_store *s, const char *name, const char *role, const char *branch, const char *password,
                 const char *by, sec_user *out, rp_error *err) RP_WARN_UNUSED;
int sec_user_passwd(rp_store *s, const char *name, const char *password, const char *by,
                    rp_error *err) RP_WARN_UNUSED;
/* A user's role and branch (NULL: none), at once; errors as sec_user_add's. */
int sec_user_role(rp_store *s, const char *name, const char *role, const char *branch, const char *by,
                  rp_error *err) RP_WARN_UNUSED;
/* Disabling also ends every session of the user. */
int sec_user_disable(rp_store *s, const char *name, int disabled, const char *by, rp_error *err) RP_WARN_UNUSED;
int sec_user_get(rp_store *s, const char *name, sec_user *out, rp_error *err) RP_WARN_UNUSED;
/* May the user do p now: RP_OK; RP_NOTFOUND ("no user 'x'") or RP_DENIED (disabled; "'x' is a teller
 * / branch staff, whose role has no 'dial'") otherwise, for a message that names what the user was
 * given for (an agent a calling list is made for). */
int sec_user_can(rp_store *s, const char *name, sec_perm p, rp_error *err) RP_WARN_UNUSED;
/* Every user: name, role, branch, disabled, created_at, created_by,
 * changed_at, and the sign-in lock: locked, locked_until (UTC ISO, null
 * while it lasts until an administrator unlocks it) and failures (in a
 * row, since the last success or unlock); totp: a second factor is
 * enrolled; last_sign_in: the last successful sign-in the audit trail holds
 * (UTC ISO, or null: an entry still in the server's journal is seen when
 * the scribe has moved it, within 25 ms); must_change: the password was
 * reset by an administrator and is changed at the next sign-in. */
int sec_user_list(rp_store *s, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* Check a password: RP_OK, or RP_NOTFOUND for an unknown name, a wrong
 * password or a disabled user alike (message "wrong user name or
 * password"), so that a caller cannot tell which, not even by the time it
 * takes: an unknown name is checked against a stand-in argon2id hash made
 * with the same parameters as users' (once, at the first call). */
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

/* ---- tokens for other programs (tokens.c, migration 0016) ----
 *
 * The telephone switch, internet banking or a scheduler call the API with
 * "Authorization: Bearer rpt_..." instead of a session: a token is made for
 * a named service with the permissions it needs (never `users`), at most
 * one branch's customers if it should not see all, and a life of 1 to
 * SEC_TOKEN_MAX_DAYS days.  The token is shown once; the store keeps its
 * BLAKE2b hash.  Revoking ends it at once.  The API audits every call made
 * with a token, under the user "token:NAME". */
#define SEC_API_TOKEN_LEN 52    /* "rpt_" + base64url of 32 bytes, and NUL */
#define SEC_TOKEN_MAX_DAYS 400
typedef struct sec_token_spec {
    const char *name;           /* the service: 2-32 of a-z 0-9 . _ - */
    const char *permissions;    /* names separated by blanks or commas */
    const char *branch;         /* NULL: as the permissions say (all_branches or none) */
    int days;
} sec_token_spec;
typedef struct sec_token_info {
    int64_t id;
    char name[SEC_NAME_MAX + 8];  /* "token:NAME" */
    unsigned permissions;         /* a bit per sec_perm */
    char branch[SEC_BRANCH_MAX + 1];
} sec_token_info;
int sec_token_add(rp_store *s, const sec_token_spec *t, const char *by, int64_t now, char token[SEC_API_TOKEN_LEN],
                  rp_error *err) RP_WARN_UNUSED;
/* RP_NOTFOUND for a token unknown, expired or revoked alike. */
int sec_token_check(rp_store *s, const char *token, int64_t now, sec_token_info *out, rp_error *err) RP_WARN_UNUSED;
int sec_token_revoke(rp_store *s, const char *name, const char *by, int64_t now, rp_error *err) RP_WARN_UNUSED;
/* [{id, name, permissions[], branch, created_by, created_at, expires_at, revoked_by, revoked_at, state}] */
int sec_token_list(rp_store *s, int64_t now, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* ---- masking (S1) ---- */

/* The 360 document as a viewer may see it: identifiers already masked by
 * the warehouse; phones, e-mails and addresses masked without
 * SEC_P_CONTACTS; account and card numbers masked always unless revealed. */
void sec_mask_c360(json_t *doc, sec_role r);
/* The same, with contacts shown or masked (what SEC_P_CONTACTS decides: 0 or 1), or the numbers to
 * dial alone shown (mobile and phone: an agent's own calling list, SEC_P_DIAL). */
enum { SEC_CONTACTS_MASKED = 0, SEC_CONTACTS_SHOWN = 1, SEC_CONTACTS_PHONES = 2 };
void sec_mask_c360_contacts(json_t *doc, int show_contacts);
/* "0912****78"-style masks: the first and last few characters kept. */
void sec_mask_phone(const char *v, char *out, size_t n);
void sec_mask_email(const char *v, char *out, size_t n);
void sec_mask_address(const char *v, char *out, size_t n);
void sec_mask_account(const char *v, char *out, size_t n);
/* A person's name as a list for analysts shows it: the surname and an initial, "陳○○" and
 * "CHEN Y." (the Latin surname is what comes before the comma; without a comma, the first word). */
void sec_mask_name_zh(const char *v, char *out, size_t n);
void sec_mask_name_latin(const char *v, char *out, size_t n);
/* Is number a card number (PAN): 13-19 digits (dashes and blanks aside)
 * beginning with 2-6 that pass the Luhn check?  digits gets them. */
int sec_is_pan(const char *number, char digits[20]);
/* 456318******0001: the first six and last four digits, as PCI DSS allows. */
void sec_mask_pan(const char *digits, char *out, size_t n);
/* Free text with what may identify a person masked wherever it stands: a
 * run of letters, digits and -_.+@:/ holding an '@' (an e-mail address) or
 * seven digits or more (national IDs, passports, phones, account and card
 * numbers, birth dates written as digits) is masked as those are; dates
 * and times written with - and : are left.  For messages and queries whose
 * fields are not known. */
void sec_scrub(const char *in, char *out, size_t n);

/* ---- audit (S3) ---- */

/* An entry's fields; the journal keeps SEC_AUDIT_FIELD_MAX bytes of each
 * (a reason longer than that must be refused by whoever takes it). */
typedef struct sec_audit_entry {
    const char *user, *address, *action, *target, *reason, *outcome, *detail;
    int64_t customer;            /* 0 none */
    const char *customers;       /* others it showed (a search's hits): ids separated by blanks, or NULL */
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
    int64_t before;              /* only entries with a smaller id: the page after the one ending there (a
                                    keyset cursor, as fast at the millionth entry as at the first); 0: none */
} sec_audit_filter;

/* Newest first.  A query by customer brings the trail by customer up to date first (a write). */
int sec_audit_query(rp_store *s, const sec_audit_filter *f, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* How many entries f selects (its limit aside), and *last (may be NULL) the
 * trail's greatest id when counted, in one read: an export bounded by
 * before = *last + 1 gives exactly *total entries, whatever is added meanwhile. */
int sec_audit_count(rp_store *s, const sec_audit_filter *f, int64_t *total, int64_t *last,
                    rp_error *err) RP_WARN_UNUSED;
/* The columns of sec_audit_csv_page, as a CSV header row (RFC 4180). */
void sec_audit_csv_header(rp_buf *out);
/* A page of f (at most f->limit entries, newest first) as CSV rows appended
 * to out, as sec_audit_query lists them; *n how many, *last_id the id of the
 * last (the next page's f->before). */
int sec_audit_csv_page(rp_store *s, const sec_audit_filter *f, rp_buf *out, int *n, int64_t *last_id,
                       rp_error *err) RP_WARN_UNUSED;
/* Bring the trail by customer (table audit_customer) and the chain
 * (audit_chain) up to date, in bulk and sorted; *added (may be NULL) gets
 * how many entries the trail by customer took in. */
int sec_audit_index(rp_store *s, int64_t *added, rp_error *err) RP_WARN_UNUSED;

/* ---- the trail chained, verified and archived (chain.c, migration 0015) ----
 *
 * Each entry's hash is SHA-256 over the previous entry's hash and its own
 * fields (id, at, user, address, action, customer, target, reason,
 * outcome, detail, customers: each a byte 0 for null, or 1, a 4-byte
 * big-endian length and the UTF-8 text; numbers in decimal), the first
 * entry's previous hash 32 zero bytes.  An entry changed, removed or put
 * in behind Rapport's back breaks the chain from there on.  The head (the
 * last hash) is what to write down elsewhere now and then: a chain that
 * verifies and ends in a head recorded earlier was not rewritten since.
 *
 * Archiving writes the entries before a date as JSON lines (a header
 * {"rapport_audit_archive":1, "after": N, "prev": HASH}, then one entry a
 * line with its "hash") and only then removes them; the store keeps the
 * last archived id and hash and the chain goes on from it, so that each
 * archive file verifies on its own and follows the one before. */
#define SEC_CHAIN_LEN 32
typedef struct sec_audit_check {
    int64_t entries;    /* entries that verified */
    int64_t last;       /* the last of them */
    int64_t broken_at;  /* the first entry whose hash is not what it should be (0: none) */
    int64_t removed;    /* hashes whose entries are gone */
    int64_t archived;   /* the entries before this id are in archives */
    char head[2 * SEC_CHAIN_LEN + 1]; /* the last good hash, hex */
} sec_audit_check;
int sec_audit_verify(rp_store *s, sec_audit_check *out, rp_error *err) RP_WARN_UNUSED;
/* An archive file, on its own. */
int sec_audit_verify_file(FILE *f, sec_audit_check *out, rp_error *err) RP_WARN_UNUSED;
/* The entries before `before` (UTC ISO) to f, then out of the store, in one
 * transaction: *n how many (0: nothing was removed). */
int sec_audit_archive(rp_store *s, const char *before, FILE *f, int64_t *n, rp_error *err) RP_WARN_UNUSED;

/* ---- signing in: failures counted, throttled and locked (signin.c) ----
 *
 * Failed sign-ins are counted in the store (table sign_in_failure), one row
 * per user name and one per address, so that a restart forgets nothing and
 * no other name's failures can push a count out.  Names nobody has are
 * counted and locked exactly as users' are, so that the answers do not tell
 * which names exist.
 *
 *   throttle  a name with user_attempts failures within window seconds of
 *             the first, or an address with address_attempts, waits for the
 *             rest of the window;
 *   lock      a name with lock_after failures in a row (a success or an
 *             administrator's unlock clears them) is locked for lock_seconds
 *             or, with lock_until_unlocked, until an administrator unlocks
 *             it; one more failure after a lock has passed locks it again.
 *
 * A refused sign-in is not checked against the password at all, so a
 * locked account answers the same whether the password was right or not.
 * A row goes when SEC_SIGNIN_FORGET seconds (or the window, if longer)
 * have passed since its last failure and no lock holds it; what one
 * address can add meanwhile is bounded by its own throttle.
 *
 * The configuration is [security] (sec_signin_config): login_attempts,
 * login_address_attempts, login_window_minutes, lock_after, lock_minutes,
 * lock_until_unlocked (yes/no), and totp_roles (the second factor's, below).
 */

#define SEC_SIGNIN_FORGET 86400

typedef struct sec_signin_policy {
    int user_attempts;           /* failures of one name in a window; 0: 5 */
    int address_attempts;        /* failures from one address in a window; 0: 20 */
    int64_t window;              /* seconds; 0: 300 */
    int lock_after;              /* failures of one name in a row that lock it; 0: 10 */
    int64_t lock_seconds;        /* how long a lock lasts; 0: 1800 */
    int lock_until_unlocked;     /* 1: a lock lasts until an administrator unlocks it */
    /* and the passwords' (password.c): 0 none */
    int password_history;        /* a new password is none of the last N (the current one included) */
    int64_t password_max_age;    /* seconds a password lasts; an older one may only be changed */
    /* and the second factor's (totp.c): the roles (bits 1 << sec_role) whose
     * users may sign in only with a TOTP enrolled; 0 none */
    unsigned totp_roles;
    /* and the second administrator's (approval.c) */
    int64_t request_max_age;     /* seconds a user request waits before it expires; 0: SEC_REQUEST_DAYS days */
} sec_signin_policy;

/* The policy with every sign-in field left 0 set to its default (the
 * password fields stay as they are). */
void sec_signin_defaults(sec_signin_policy *p);
/* The policy from [security] of c (c may be NULL: the defaults, with
 * password_history 5, password_max_age 90 days, totp_roles none and
 * request_max_age SEC_REQUEST_DAYS days; [security] request_days sets it);
 * RP_INVAL naming "[security] NAME" for a value out of range or a role
 * that is none. */
int sec_signin_config(const rp_config *c, sec_signin_policy *p, rp_error *err) RP_WARN_UNUSED;

typedef struct sec_signin_wait {
    int refused;                 /* 1: no sign-in for now, whatever the password */
    int locked;                  /* the name is locked (not only throttled) */
    int64_t seconds;             /* until it may try again; 0 with locked: until an administrator unlocks it */
    int enrol;                   /* the name and password were right, but the user's role needs a second factor
                                    and none is enrolled (p->totp_roles): not signed in, nothing counted */
} sec_signin_wait;

/* May name sign in from address at now?  Only reads. */
int sec_signin_check(rp_store *s, const sec_signin_policy *p, const char *name, const char *address, int64_t now,
                     sec_signin_wait *out, rp_error *err) RP_WARN_UNUSED;
/* Count a failure of name and of address at now, in one transaction;
 * *locked (may be NULL) is set when this failure locked the name. */
int sec_signin_failed(rp_store *s, const sec_signin_policy *p, const char *name, const char *address, int64_t now,
                      int *locked, rp_error *err) RP_WARN_UNUSED;
/* A success: the name's failures are cleared (its address's are not, so
 * that one good account does not reset an address guessing others). */
int sec_signin_succeeded(rp_store *s, const char *name, rp_error *err) RP_WARN_UNUSED;

/* Signing in, whole: refused without a password check when wait->refused
 * (the caller answers "too many attempts"; the return is RP_NOTFOUND);
 * otherwise sec_authenticate and, for a user with a TOTP enrolled, the
 * one-time code otp (sec_totp_check, with k the store's keyring): a
 * missing, wrong or used code is a failure as a wrong password is.  The
 * failure is counted, or the name's failures cleared.  RP_OK with *out the
 * user (out->password_expired when the password is older than
 * p->password_max_age); RP_NOTFOUND for a wrong name, password or code
 * (wait->locked when this failure locked the name; the message is the
 * same for all three); RP_NOTFOUND with wait->enrol when the role needs a
 * second factor the user has not enrolled (p->totp_roles). */
int sec_sign_in(rp_store *s, const sec_signin_policy *p, const rp_keyring *k, const char *name, const char *password,
                const char *otp, const char *address, int64_t now, sec_user *out, sec_signin_wait *wait,
                rp_error *err) RP_WARN_UNUSED;

/* An administrator's unlock: the user's lock and failures are cleared;
 * *was_locked (may be NULL) says whether a lock was in force at now.
 * RP_NOTFOUND when there is no such user. */
int sec_user_unlock(rp_store *s, const char *name, int64_t now, int *was_locked, rp_error *err) RP_WARN_UNUSED;

/* ---- passwords (password.c) ----
 *
 * A password has 10 to 1024 characters and is not:
 *   - a common password: one of the list compiled in (common_passwords.txt,
 *     the Openwall Project's, 3,400 words), in any case, nor one of them
 *     with digits or symbols before or after ("Password2024!");
 *   - one character repeated;
 *   - the user name, or one containing it or a part of it of 3 characters
 *     or more (the name cut at '.', '_' and '-'), in any case;
 *   - one of the user's last `history` passwords, the current one included.
 * Changing a password records the old hash (keeping history - 1 of them),
 * sets when it changed, and ends the user's sessions but the one it was
 * changed in.  Expiry is the sign-in policy's password_max_age: a session
 * begun with an older password may only change it (the API answers 403
 * password_expired to anything else).
 */

#define SEC_PASSWORD_HISTORY 5

/* RP_OK, or RP_INVAL with "password: ..." saying which rule. */
int sec_password_check(rp_store *s, const char *name, const char *password, int history,
                       rp_error *err) RP_WARN_UNUSED;
/* Set name's password (checked, with history), by whom; end every session
 * of the user but keep_token's (NULL: every one).  One transaction. */
int sec_password_change(rp_store *s, const char *name, const char *password, int history, const char *by,
                        const char *keep_token, rp_error *err) RP_WARN_UNUSED;
/* A user changing their own password: current is checked as a sign-in is
 * (throttled, locked and counted: wait as sec_sign_in's; RP_NOTFOUND
 * "password: not your current password" when it is wrong), then
 * sec_password_change with p->password_history (RP_INVAL "password: ..."
 * for a new password the rules refuse), keeping keep_token's session,
 * which may do everything again. */
int sec_password_change_own(rp_store *s, const sec_signin_policy *p, const char *name, const char *current,
                            const char *password, const char *address, int64_t now, const char *keep_token,
                            sec_signin_wait *wait, rp_error *err) RP_WARN_UNUSED;
/* An administrator's reset of name's password: a new one made at random
 * (SEC_TEMP_PASSWORD_LEN - 1 characters, that the rules accept) into out,
 * set with history as sec_password_change does (every session of the
 * user ends), and marked to be changed at the next sign-in (pw_changed_at
 * 0: sec_password_expired says expired whatever max_age is).  One
 * transaction. */
#define SEC_TEMP_PASSWORD_LEN 20
int sec_password_reset(rp_store *s, const char *name, int history, const char *by, char out[SEC_TEMP_PASSWORD_LEN],
                       rp_error *err) RP_WARN_UNUSED;
/* Is name's password older than max_age seconds at now (0: never), or
 * reset by an administrator and not changed since? */
int sec_password_expired(rp_store *s, const char *name, int64_t max_age, int64_t now, int *expired,
                         rp_error *err) RP_WARN_UNUSED;

/* ---- the second factor: TOTP (totp.c) ----
 *
 * RFC 6238 time-based one-time codes, computed and checked by liboath
 * (Debian's liboath, the OATH Toolkit): HMAC-SHA1, 6 digits, 30-second
 * steps from 1970, the code of the step before and after accepted too
 * (a clock a little off, a code typed as its step ended).  A code is
 * accepted once: the step it belongs to is recorded, and a code of that
 * step or an earlier one is refused, even within the window.
 *
 * Enrolling makes a random 20-byte secret, stores it sealed with the
 * store's key (table user_totp) and gives it back once, in base32 and as an
 * otpauth:// URI for an authenticator app; nothing shows it again.
 * Enrolling again (an administrator's reset) replaces it.  Any user with a
 * secret enrolled must give a code at sign-in; [security] totp_roles
 * names the roles whose users may not sign in without one (none by
 * default; supervisor, steward, admin, auditor are the roles that reveal,
 * export or administer, and the recommended list).
 */

#define SEC_TOTP_SECRET_BYTES 20 /* the secret's length: HMAC-SHA1's block of output, as RFC 4226 advises */
#define SEC_TOTP_DIGITS 6
#define SEC_TOTP_STEP 30         /* seconds */
#define SEC_TOTP_WINDOW 1        /* steps accepted before and after the current one */
#define SEC_TOTP_ISSUER "Rapport"

typedef enum { SEC_TOTP_SHA1, SEC_TOTP_SHA256, SEC_TOTP_SHA512 } sec_totp_hash;

/* The code of secret (n bytes) at time t with 30-second steps, in digits
 * (6 to 8) digits, into out (digits + 1 bytes).  RFC 6238's hash choice is
 * here for its test vectors; users' codes are SHA-1, as apps expect. */
int sec_totp_code(const void *secret, size_t n, int64_t t, int digits, sec_totp_hash h, char *out,
                  rp_error *err) RP_WARN_UNUSED;

typedef struct sec_totp_enrolment {
    char secret[2 * SEC_TOTP_SECRET_BYTES];  /* base32, 32 characters */
    char uri[256];                           /* otpauth://totp/Rapport:NAME?secret=...&issuer=Rapport */
} sec_totp_enrolment;

/* Enrol name (replacing a secret it had), by whom, at now: the secret is
 * stored sealed with k and given back in *out, once.  RP_NOTFOUND for no
 * such user. */
int sec_totp_enrol(rp_store *s, const rp_keyring *k, const char *name, const char *by, int64_t now,
                   sec_totp_enrolment *out, rp_error *err) RP_WARN_UNUSED;
/* Remove name's second factor; *had (may be NULL) says whether it had one.
 * RP_NOTFOUND for no such user. */
int sec_totp_remove(rp_store *s, const char *name, int *had, rp_error *err) RP_WARN_UNUSED;
/* Has the user a second factor enrolled? */
int sec_totp_enrolled(rp_store *s, int64_t user_id, int *yes, rp_error *err) RP_WARN_UNUSED;
/* The names of the users with a second factor enrolled (a new JSON array). */
int sec_totp_users(rp_store *s, json_t **names, rp_error *err) RP_WARN_UNUSED;
/* Is code the user's code at now, within the window, and of a later step
 * than any accepted before?  RP_OK (the step is recorded), or RP_NOTFOUND
 * for a missing, malformed, wrong or used code. */
int sec_totp_check(rp_store *s, const rp_keyring *k, int64_t user_id, const char *code, int64_t now,
                   rp_error *err) RP_WARN_UNUSED;
/* "supervisor, admin" (blanks or commas between; "none" or "" for none)
 * as role bits; RP_INVAL naming the word that is not a role. */
int sec_totp_roles_parse(const char *list, unsigned *roles, rp_error *err) RP_WARN_UNUSED;

/* ---- separation of duties: four eyes (approval.c, migration 0019) ----
 *
 * Through the API an administrator may not alone:
 *   - add a user with a role that reveals data (sec_role_reveals: reveal,
 *     export or reveal_rejects in the matrix, so today supervisor and
 *     steward);
 *   - change a user's role or branch leaving them such a role;
 *   - take an auditor away: disable an enabled auditor, or change an
 *     auditor's role to another (every auditor, not only the last);
 *   - give a program's token a permission that reveals data
 *     (sec_perm_reveals): that is refused through the API (403), and only
 *     the operator makes such a token (rapport token add), audited.
 * Such a change is kept as a request (table user_request) until another
 * administrator approves it, which applies it in the same transaction, or
 * rejects it; one not decided within the policy's request_max_age
 * ([security] request_days, 7) expires.  Nobody decides a request they
 * made, nor one that changes their own account (RP_DENIED).  A new user's
 * request keeps the argon2id hash of the password, never the password, and
 * the hash is dropped once the request is decided or expires.  A user name
 * has one pending request at a time.
 *
 * The command line (`rapport user ...`) is the operator's, who holds the
 * store and its key: its changes apply at once, audited (the bootstrap and
 * break-glass path); the operator may decide requests made through the API
 * as any administrator may, never one in their own name.
 */

typedef enum { SEC_REQ_ADD, SEC_REQ_ROLE, SEC_REQ_DISABLE, SEC_NREQ } sec_request_kind;
extern const char *const sec_request_kinds[SEC_NREQ]; /* "add", "role", "disable" */

#define SEC_REQUEST_DAYS 7
#define SEC_NOTE_MAX 500          /* a decision's note, bytes */

typedef struct sec_user_change {
    sec_request_kind kind;
    const char *name;             /* the user */
    const char *role, *branch;    /* add and role: the role, and the branch (NULL: none) */
    const char *password;         /* add */
} sec_user_change;

/* Would the change need a second administrator?  *needs 1 or 0; errors as
 * the change's own (no such user, a role that is none). */
int sec_user_change_needs(rp_store *s, const sec_user_change *c, int *needs, rp_error *err) RP_WARN_UNUSED;

/* An administrator's change through the API, checked as sec_user_add,
 * sec_user_role and sec_user_disable check it: made at once when it needs
 * nobody else (*request 0), or kept as a pending request by `by` that
 * expires after max_age seconds (0: SEC_REQUEST_DAYS days; *request its
 * id).  RP_EXISTS when the user has a request pending already.  One
 * transaction. */
int sec_user_submit(rp_store *s, const sec_user_change *c, const char *by, int64_t max_age, int64_t *request,
                    rp_error *err) RP_WARN_UNUSED;

/* Approve (the change is made) or reject a pending request, by `by`, with
 * a note (NULL: none; at most SEC_NOTE_MAX bytes), in one transaction; *out
 * (may be NULL) the request as it then is.  RP_NOTFOUND: no such request;
 * RP_DENIED: `by` made it, or it changes `by`'s own account; RP_EXISTS:
 * decided already, expired, or no longer possible (the name was taken
 * since). */
int sec_user_request_decide(rp_store *s, int64_t id, int approve, const char *by, const char *note, json_t **out,
                            rp_error *err) RP_WARN_UNUSED;

/* Requests, pending first (oldest first), then the rest newest first, at
 * most limit (0: 200): {id, kind, user, role, branch, from_role (the
 * user's role when it was asked), requested_by, requested_at, expires_at,
 * status, decided_by, decided_at, note}; one past its time is shown expired (it is marked so at the next
 * write).  Only reads. */
int sec_user_requests(rp_store *s, int limit, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* One, as listed; RP_NOTFOUND when there is none. */
int sec_user_request_get(rp_store *s, int64_t id, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* What a request (as listed) asks, in words: "add bob as supervisor",
 * "bob: csr -> steward", "disable auditor bob". */
void sec_user_request_text(const json_t *r, char *out, size_t n);

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
 * starting on a fully moved journal begins a new one.  One server writes a
 * journal (it holds an exclusive lock on it).  A SQLite store has one server;
 * a database server's store has several, each with its journal and its own
 * place in it (store_meta "audit_journal ID"), their entries moved under the
 * store's lock "audit", so that ids commit in order for the hash chain.
 */

typedef struct sec_journal sec_journal;

/* The journal's path for a store: "<db>-audit"; for a database server's store (a URL, not a file of this
 * machine) "<key file>-audit", beside the key file the server was started with. */
void sec_journal_path(const char *db, const char *key, char *out, size_t n);

/* Open (creating) the journal of store db (key: its key file) for writing, and lock it: a
 * second server of a SQLite store is refused (RP_BUSY); one of a database server's store takes the
 * next journal of this machine that no server holds, "<key file>-audit.2" and on, up to 16. */
int sec_journal_open(const char *db, const char *key, sec_journal **out, rp_error *err) RP_WARN_UNUSED;
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

/* What waits in the journal, for /metrics: bytes and entries written and
 * not yet moved, and when the oldest of them was written (0: none waits),
 * to the second; past 1,024 seconds of backlog, an earlier time (an upper
 * bound of its age). */
typedef struct sec_journal_state {
    int64_t bytes, entries;
    int64_t oldest;              /* seconds since 1970 */
} sec_journal_state;
void sec_journal_backlog(sec_journal *j, sec_journal_state *out);

#endif
