/*
 * failmalloc.c — allocations that fail on demand, for the fault-injection
 * tests (tests/faults/run.sh, docs/testing.md "Fault injection").
 *
 * Built as a shared object (BUILD/faults/failmalloc.so) and preloaded into
 * rapport with LD_PRELOAD, it replaces malloc, calloc, realloc and the
 * aligned allocations for the whole process: Rapport's own code, SQLite,
 * jansson, ICU, libsodium, OpenSSL, GnuTLS and libmicrohttpd alike (glibc's
 * strdup, fopen, ... call the replacement too).  It counts allocations and
 * makes one of them return NULL with errno ENOMEM, as SQLite's
 * test_malloc.c and curl's torture tests do.  The memory itself is glibc's
 * (__libc_malloc and friends).
 *
 * Threads are numbered as they are created (pthread_create): main() is 0,
 * the first thread it starts 1, and so on; each counts its own
 * allocations, so that "the 2,000th allocation of thread 1" is the same
 * allocation in every run of a workload, however the threads interleave.
 *
 *   RAPPORT_FAULT_ALLOC=T:N  fail the Nth allocation of thread T made after
 *                            main() begins (the dynamic loader's and the
 *                            libraries' constructors are not counted)
 *   RAPPORT_FAULT_CTL=FILE   the server's way instead: only the work of a
 *                            request counts (core/fault.h marks it), on the
 *                            thread that does it.  FILE holds a batch
 *                            number and a list of N, one for each request
 *                            that comes (0, or past the list's end: none
 *                            fails; -1: none fails, and with
 *                            RAPPORT_FAULT_SITES each allocation's stack is
 *                            noted); a new batch number starts the list
 *                            again, so that one client can send a batch
 *                            of requests on one connection
 *   RAPPORT_FAULT_PERSIST=1  after the first failure every counted
 *                            allocation fails, as a machine out of memory
 *                            does (SQLite's "persistent" faults)
 *   RAPPORT_FAULT_LOG=FILE   for each failure "fail T:N SIZE" and a line
 *                            "  at FRAME" for each of its callers; for a
 *                            crash after it "crash SIGNAL" and "  in FRAME"
 *                            lines (where it crashed); with RAPPORT_FAULT_CTL one at the end
 *                            of each request that had an N, "request
 *                            ALLOCATIONS FAILED"; otherwise "count T:N ..."
 *                            (each thread's allocations) when the process
 *                            exits normally
 *   RAPPORT_FAULT_SITES=FILE a line for every allocation, "T N H1 H2 H3 H4
 *                            H6 H8 H16": hashes of the call stack's first
 *                            1, 2, ... 16 frames above the allocator, so
 *                            that a driver can fail each distinct call
 *                            stack once (run.sh); slow (a backtrace each)
 *
 * Nothing here may allocate: lines are written with write(2) from buffers
 * on the stack, and a thread's state is initial-exec TLS.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

#define TLS __thread __attribute__((tls_model("initial-exec")))
#define MAX_THREADS 256

static atomic_int armed;          /* main() has begun */
static atomic_int nthreads = 1;   /* numbers given so far; main() is 0 */
static atomic_long per_thread[MAX_THREADS];
static int fail_thread = -1;      /* T of RAPPORT_FAULT_ALLOC, or -1: none */
static long fail_at;              /* its N */
static int persist, ctl_mode, log_fd = -1, sites_fd = -1;
static atomic_int failed;         /* an allocation has failed */
static char ctl_path[4096];

static TLS int my_thread;         /* this thread's number */
static TLS long my_count;         /* its allocations counted */
static TLS int in_unwind;         /* inside backtrace(): not counted */
static TLS int in_scope;          /* RAPPORT_FAULT_CTL: this thread does a request's work */
static TLS long scope_n, scope_count, scope_failed;
static TLS long batch_seen = -1, batch_next; /* RAPPORT_FAULT_CTL: the batch, and its next N */

static void say(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(int fd, const char *fmt, ...)
{
    if (fd < 0)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n > 0 && write(fd, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1) < 0) {
        /* nowhere to tell */
    }
}

/* One frame as "SYMBOL+0xOFF OBJECT" (or "+0xOFF OBJECT", the offset in the object, for a symbol
 * that is not exported: tests/faults/run.sh turns Rapport's into function and line with addr2line). */
static int frame(char *out, size_t n, void *pc)
{
    Dl_info di;
    if (!dladdr(pc, &di) || !di.dli_fname)
        return snprintf(out, n, "%p ?", pc);
    const char *slash = strrchr(di.dli_fname, '/');
    const char *obj = slash ? slash + 1 : di.dli_fname;
    if (di.dli_sname && di.dli_saddr)
        return snprintf(out, n, "%s+0x%lx %s", di.dli_sname, (unsigned long)((uintptr_t)pc - (uintptr_t)di.dli_saddr),
                        obj);
    return snprintf(out, n, "+0x%lx %s", (unsigned long)((uintptr_t)pc - (uintptr_t)di.dli_fbase), obj);
}

/* The call stack from frame `skip` on, innermost first, one "  WORD FRAME" a line. */
__attribute__((noinline)) static void say_stack(const char *word, int skip)
{
    void *bt[32];
    in_unwind = 1;
    int k = backtrace(bt, 32);
    in_unwind = 0;
    for (int i = skip; i < k; i++) {
        char f[300];
        /* a return address is after the call: one byte back is inside it, for addr2line */
        frame(f, sizeof f, (char *)bt[i] - 1);
        say(log_fd, "  %s %s\n", word, f);
    }
}

/* "fail T:N SIZE", then the failed allocation's callers, one "  at FRAME" a line. */
__attribute__((noinline)) static void note_failure(long n, size_t size)
{
    say(log_fd, "fail %d:%ld %zu\n", my_thread, n, size);
    say_stack("at", 4); /* past say_stack, here, should_fail and the allocator */
}

/* A crash after a failure: "crash SIGNAL" and where, one "  in FRAME" a line; then the signal's own
 * end (a core, the exit status of a signal).  Not async-signal-safe by the letter (backtrace and
 * dladdr), which a test that is dying anyway can afford. */
static void on_crash(int sig)
{
    if (atomic_load(&failed) || scope_failed) {
        say(log_fd, "crash %d\n", sig);
        say_stack("in", 2);
    }
    raise(sig);
}

/* The call stack of this allocation, hashed at several depths (RAPPORT_FAULT_SITES). */
__attribute__((noinline)) static void note_site(long n)
{
    void *bt[20];
    in_unwind = 1;
    int k = backtrace(bt, 20);
    in_unwind = 0;
    /* bt[0] is here, bt[1] should_fail, bt[2] the allocator, bt[3] its caller */
    static const int depth[] = { 1, 2, 3, 4, 6, 8, 16 };
    uint64_t h = 1469598103934665603ull, out[7];
    int d = 0;
    for (int i = 3, f = 0; d < 7; i++, f++) {
        if (f == depth[d]) /* the first f frames */
            out[d++] = h;
        if (d < 7)
            h = (h ^ (uint64_t)(uintptr_t)(i < k ? bt[i] : 0)) * 1099511628211ull;
    }
    say(sites_fd, "%d %ld %llx %llx %llx %llx %llx %llx %llx\n", my_thread, n, (unsigned long long)out[0],
        (unsigned long long)out[1], (unsigned long long)out[2], (unsigned long long)out[3],
        (unsigned long long)out[4], (unsigned long long)out[5], (unsigned long long)out[6]);
}

/* Whether this allocation is to fail. */
__attribute__((noinline)) static int should_fail(size_t size)
{
    if (in_unwind)
        return 0;
    long n;
    if (ctl_mode) {
        if (!in_scope || !scope_n)
            return 0;
        n = ++scope_count;
        if (scope_n < 0) { /* a request whose allocations are only counted, and their stacks noted */
            if (sites_fd >= 0)
                note_site(n);
            return 0;
        }
        if (n == scope_n || (persist && n > scope_n)) {
            if (++scope_failed == 1)
                note_failure(n, size);
            return 1;
        }
        return 0;
    }
    if (!atomic_load_explicit(&armed, memory_order_relaxed))
        return 0;
    n = ++my_count;
    if (my_thread < MAX_THREADS)
        atomic_store_explicit(&per_thread[my_thread], n, memory_order_relaxed);
    if (sites_fd >= 0)
        note_site(n);
    if (fail_thread < 0)
        return 0;
    if ((my_thread == fail_thread && n == fail_at) || (persist && atomic_load(&failed))) {
        if (!atomic_exchange(&failed, 1))
            note_failure(n, size);
        return 1;
    }
    return 0;
}

void *malloc(size_t size)
{
    if (should_fail(size)) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    if (should_fail(n * size)) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
    if (size && should_fail(size)) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_realloc(p, size);
}

void free(void *p) { __libc_free(p); }

void *memalign(size_t align, size_t size)
{
    if (should_fail(size)) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_memalign(align, size);
}

void *aligned_alloc(size_t align, size_t size)
{
    if (should_fail(size)) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_memalign(align, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
    if (align < sizeof(void *) || (align & (align - 1)))
        return EINVAL;
    if (should_fail(size))
        return ENOMEM;
    void *p = __libc_memalign(align, size);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

/* ---- threads, numbered as they are made ---- */

typedef struct start {
    void *(*fn)(void *);
    void *arg;
    int number;
} start;

static void *numbered(void *p)
{
    start st = *(start *)p;
    __libc_free(p);
    my_thread = st.number;
    return st.fn(st.arg);
}

typedef int (*create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    static create_fn next;
    if (!next)
        next = (create_fn)dlsym(RTLD_NEXT, "pthread_create");
    start *st = __libc_malloc(sizeof *st);
    if (!st)
        return EAGAIN;
    st->fn = fn;
    st->arg = arg;
    st->number = atomic_fetch_add(&nthreads, 1);
    int rc = next(t, attr, numbered, st);
    if (rc)
        __libc_free(st);
    return rc;
}

/* ---- the server's requests (core/fault.h) ---- */

void rp_fault_scope_begin(void)
{
    if (!ctl_mode)
        return;
    char buf[16384];
    long n = 0;
    int fd = open(ctl_path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t k = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (k > 0) {
            buf[k] = 0;
            char *p = buf, *end;
            long batch = strtol(p, &end, 10);
            if (batch != batch_seen) {
                batch_seen = batch;
                batch_next = 0;
            }
            p = end;
            for (long i = 0; i <= batch_next; i++) {
                n = strtol(p, &end, 10);
                if (end == p) { /* past the list's end */
                    n = 0;
                    break;
                }
                p = end;
            }
            batch_next++;
        }
    }
    scope_n = n;
    scope_count = scope_failed = 0;
    in_scope = 1;
}

void rp_fault_scope_end(void)
{
    if (!ctl_mode || !in_scope)
        return;
    in_scope = 0;
    if (scope_n)
        say(log_fd, "request %ld %ld\n", scope_count, scope_failed);
}

/* ---- set up before main(), armed when it begins ---- */

__attribute__((constructor)) static void setup(void)
{
    const char *v;
    if ((v = getenv("RAPPORT_FAULT_LOG")) && *v)
        log_fd = open(v, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if ((v = getenv("RAPPORT_FAULT_PERSIST")) && *v == '1')
        persist = 1;
    if ((v = getenv("RAPPORT_FAULT_SITES")) && *v) {
        void *bt[2];
        in_unwind = 1;
        backtrace(bt, 2); /* loads the unwinder now, not inside an allocation */
        in_unwind = 0;
        sites_fd = open(v, O_WRONLY | O_APPEND | O_TRUNC | O_CREAT | O_CLOEXEC, 0600); /* a driver may empty it */
    }
    if (log_fd >= 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_crash;
        sa.sa_flags = SA_RESETHAND | SA_NODEFER;
        static const int sigs[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };
        for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
            sigaction(sigs[i], &sa, NULL);
    }
    if ((v = getenv("RAPPORT_FAULT_CTL")) && *v) {
        ctl_mode = 1;
        snprintf(ctl_path, sizeof ctl_path, "%s", v);
    } else if ((v = getenv("RAPPORT_FAULT_ALLOC")) && *v) {
        char *end;
        long t = strtol(v, &end, 10);
        if (*end == ':' && t >= 0 && t < MAX_THREADS) {
            fail_thread = (int)t;
            fail_at = strtol(end + 1, NULL, 10);
        }
    }
}

/* Each thread's count, when the process exits normally. */
__attribute__((destructor)) static void report(void)
{
    if (ctl_mode || log_fd < 0)
        return;
    char line[512];
    size_t o = (size_t)snprintf(line, sizeof line, "count");
    int n = atomic_load(&nthreads);
    for (int t = 0; t < n && t < MAX_THREADS && o < sizeof line - 32; t++)
        o += (size_t)snprintf(line + o, sizeof line - o, " %d:%ld", t, atomic_load(&per_thread[t]));
    say(log_fd, "%s\n", line);
}

typedef int (*main_fn)(int, char **, char **);
typedef int (*start_main_fn)(main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void), void *);
static main_fn real_main;

static int armed_main(int argc, char **argv, char **envp)
{
    atomic_store(&armed, 1);
    return real_main(argc, argv, envp);
}

/* glibc's start: main() is called through here, so that counting begins with it. */
int __libc_start_main(main_fn main_, int argc, char **argv, void (*init)(void), void (*fini)(void),
                      void (*rtld_fini)(void), void *stack_end)
{
    start_main_fn next = (start_main_fn)dlsym(RTLD_NEXT, "__libc_start_main");
    real_main = main_;
    return next(armed_main, argc, argv, init, fini, rtld_fini, stack_end);
}
