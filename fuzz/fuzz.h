/*
 * fuzz.h — what the libFuzzer harnesses in fuzz/ share (docs/testing.md).
 *
 * Each fuzz_NAME.c is one harness: LLVMFuzzerTestOneInput over one parser
 * of outside input, built with clang -fsanitize=fuzzer,address,undefined
 * against the library compiled the same way (make fuzz, in build-fuzz/).
 * A harness is deterministic, frees what each input allocates (the leak
 * check is on) and writes only inside its own temporary folder, which
 * common.c makes on first use under $TMPDIR and removes at exit.  Files of
 * the checkout (tests/fixtures) are read where it is: the harnesses run
 * beside their sources.
 *
 *   common.c      the temporary folder, files in it, the copybooks and
 *                 specs the harnesses decode with, a file read and decoded
 *                 as the loader does it
 *   api_common.c  a store with the test bank and a request run through a
 *                 route's handler in-process (fuzz_api_*.c)
 */
#ifndef RP_FUZZ_H
#define RP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include "etl/spec.h"

/* Stop the run: the harness itself could not be set up (not a finding:
 * no input is kept; the temporary folder is removed). */
_Noreturn void fz_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A finding: print why and abort, so that libFuzzer keeps the input. */
_Noreturn void fz_bug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* This process's temporary folder. */
const char *fz_tmpdir(void);
/* Write n bytes to NAME in it; the path (valid until the next call). */
const char *fz_write(const char *name, const void *data, size_t n);
/* The input as a NUL-terminated string (malloc'd; the caller frees). */
char *fz_cstr(const uint8_t *data, size_t n);

/* A path in the checkout the harness was built from (the Makefile's
 * FZ_TREE), valid for the next three calls: "tests/fixtures/bank.json". */
const char *fz_tree(const char *rel);
/* A folder with the host copybooks, as `rapport gen` writes them (a bank
 * of one customer is generated there, beside it). */
const char *fz_copybook_dir(void);
/* The specs harnesses decode with: the shipped ones, then the fixtures'
 * (tests/fixtures/etl), parsed once and kept. */
int fz_spec_count(void);
const sp_spec *fz_spec(int i);
/* The spec of that name, shipped or a fixture's ("test-products"), or NULL. */
const sp_spec *fz_spec_named(const char *name);

/* Read a file with spec's reader and decode up to max records as the
 * loader's decoding thread does (etl/pipe.c), checking what comes back. */
void fz_decode_file(const sp_spec *s, const char *path, int max);

/* ---- the API in-process (api_common.c) ---- */

/* Call a route as the dispatcher would, with line "OP ROLE TARGET": the
 * route by its operationId (addCustomerNote), the role of the user calling
 * it (teller, ... auditor; each has a user in the store), and the request
 * target after the route's fixed part: path arguments separated by '/',
 * then '?' and the query string as sent ("6?what=contact&limit=5").  With
 * bodies set, only routes that take a body, and body (nbody bytes) is it;
 * without, only those that take path arguments or a query string.  Never
 * the routes that hash a password (sign-in, a password change, a new user:
 * a tenth of a second each) nor /metrics (a running server's counters).
 * What the handler writes is rolled back. */
void fz_api_call(int bodies, const char *line, const char *body, size_t nbody);

#endif
