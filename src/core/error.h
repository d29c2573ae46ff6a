/*
 * error.h — Rapport's one error type.
 *
 * Every fallible function returns an int that is RP_OK (0) or one of the
 * codes below, and fills a caller-owned rp_error with detail text that names
 * what was wrong (file, record, field, request member).  The codes and their
 * messages come from one X-macro list, so they cannot drift apart.
 *
 * Contract: a function that returns RP_OK leaves *err untouched; one that
 * fails sets err->code to the returned code and err->msg to a lower-case
 * message without a full stop.  err may be NULL when the caller does not care.
 */
#ifndef RP_ERROR_H
#define RP_ERROR_H

#include <stddef.h>

#define RP_WARN_UNUSED __attribute__((warn_unused_result))
#define RP_PRINTF(a, b) __attribute__((format(printf, a, b)))

#define RP_ERRORS(X)                                   \
    X(OK, "success")                                   \
    X(NOMEM, "out of memory")                          \
    X(INVAL, "invalid value")                          \
    X(USAGE, "usage error")                            \
    X(IO, "input/output error")                        \
    X(NOTFOUND, "not found")                           \
    X(EXISTS, "already exists")                        \
    X(TOOBIG, "too large")                             \
    X(PARSE, "parse error")                            \
    X(CHECKSUM, "checksum mismatch")                   \
    X(ENCODING, "invalid encoding")                    \
    X(AMBIGUOUS, "ambiguous")                          \
    X(STORE, "store error")                            \
    X(BUSY, "store busy")                              \
    X(CONSTRAINT, "constraint violated")               \
    X(VERSION, "incompatible version")                 \
    X(READONLY, "refused: read-only")                  \
    X(CRYPTO, "cryptographic failure")                 \
    X(INTERNAL, "internal error")                      \
    X(NUMERIC, "no numerical solution")                \
    X(DENIED, "not allowed")                           \
    X(FULL, "disk full")                               \
    X(UNAVAILABLE, "store unreachable")

typedef enum {
#define RP_X_(name, msg) RP_##name,
    RP_ERRORS(RP_X_)
#undef RP_X_
    RP__NCODES
} rp_code;

#define RP_ERROR_MSG_MAX 512

typedef struct rp_error {
    rp_code code;
    char msg[RP_ERROR_MSG_MAX];
} rp_error;

#define RP_ERROR_INIT { RP_OK, { 0 } }

/* The fixed message of a code ("checksum mismatch"). */
const char *rp_strerror(int code);
/* The code's symbolic name ("CHECKSUM"), for JSON error replies. */
const char *rp_code_name(int code);

/* Set err (if not NULL) and return code.  A NULL or empty fmt uses the
 * code's fixed message. */
int rp_err(rp_error *err, int code, const char *fmt, ...) RP_PRINTF(3, 4);

/* Put "CONTEXT: " in front of an error's message, keeping its code. */
int rp_err_prefix(rp_error *err, const char *fmt, ...) RP_PRINTF(2, 3);

/* The message to show: the detail text or, without one, the fixed text. */
const char *rp_errmsg(const rp_error *err);

/* Empty err.  `rp_error e; rp_err_clear(&e);` is also how a loop that runs
 * for every record declares one: RP_ERROR_INIT zeroes all 512 bytes of the
 * message, which was a quarter of decoding a field. */
static inline void rp_err_clear(rp_error *err)
{
    if (err) {
        err->code = RP_OK;
        err->msg[0] = 0;
    }
}

#endif
