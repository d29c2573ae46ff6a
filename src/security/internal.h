/* internal.h — what security's files share.  Private to src/security (and
 * its unit tests). */
#ifndef RP_SECURITY_INTERNAL_H
#define RP_SECURITY_INTERNAL_H

#include "security/security.h"

/* An argon2id hash of pw (libsodium's interactive limits, as every user's)
 * into out, of crypto_pwhash_STRBYTES (128) bytes. */
int sec__hash_password(const char *pw, char *out, rp_error *err) RP_WARN_UNUSED;
/* Whether pw is the password of hash: RP_OK, RP_NOTFOUND (no message), or RP_NOMEM when the check
 * could not run (libsodium answers -1 for both, and says which in errno). */
int sec__verify_password(const char *hash, const char *pw, rp_error *err) RP_WARN_UNUSED;
/* Chain the entries not yet chained (audit_chain), in id order; inside
 * sec_audit_index's transaction. */
int sec__audit_chain(rp_store *s, rp_error *err) RP_WARN_UNUSED;
/* role and branch as a user may have them (a teller's and an RM's branch
 * required): RP_INVAL naming "role" or "branch". */
int sec__role_check(const char *role, const char *branch, sec_role *out, rp_error *err) RP_WARN_UNUSED;
/* A new user as sec_user_add checks one: name, role and branch, password,
 * and that nobody has the name. */
int sec__user_new_check(rp_store *s, const char *name, const char *role, const char *branch, const char *password,
                        sec_role *out, rp_error *err) RP_WARN_UNUSED;
/* Insert a user with the password hash given; pw_changed_at (seconds) when
 * the password was set, 0: when the user is created. */
int sec__user_insert(rp_store *s, const char *name, sec_role r, const char *branch, const char *hash, const char *by,
                     int64_t pw_changed_at, rp_error *err) RP_WARN_UNUSED;
/* The hex BLAKE2b hash of a session token, as app_session keeps it. */
void sec__token_hash(const char *token, char out[65]);
/* sec_sign_in without the second factor: for a user changing their own
 * password in a session that was begun with it. */
int sec__sign_in_password(rp_store *s, const sec_signin_policy *p, const char *name, const char *password,
                          const char *address, int64_t now, sec_user *out, sec_signin_wait *wait,
                          rp_error *err) RP_WARN_UNUSED;

#endif
