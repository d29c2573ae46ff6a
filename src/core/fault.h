/*
 * fault.h — the marks fault-injection tests find in the code
 * (tests/faults/, docs/testing.md "Fault injection").
 *
 * The allocation-failure library the tests preload (tests/faults/failmalloc.c)
 * fails the Nth allocation of a piece of work.  For a command the work is
 * the whole process; for the server it is one request, which the
 * dispatcher marks with RP_FAULT_SCOPE_BEGIN() and RP_FAULT_SCOPE_END() on
 * the thread that does it.  The two functions are weak references that
 * only that library defines: without it they are null, and a mark costs a
 * comparison.
 */
#ifndef RP_FAULT_H
#define RP_FAULT_H

void rp_fault_scope_begin(void) __attribute__((weak));
void rp_fault_scope_end(void) __attribute__((weak));

#define RP_FAULT_SCOPE_BEGIN()          \
    do {                                \
        if (rp_fault_scope_begin)       \
            rp_fault_scope_begin();     \
    } while (0)
#define RP_FAULT_SCOPE_END()            \
    do {                                \
        if (rp_fault_scope_end)         \
            rp_fault_scope_end();       \
    } while (0)

#endif
