/*
 * proc.h — which process this is, and whether one that wrote its name down
 * (a load job's, say) is still running.
 *
 * A process is named by its host, its PID and its start: the boot's id and
 * the start time in clock ticks after boot (/proc/PID/stat, field 22).  A PID
 * alone is not enough: once its process has ended the system gives it to
 * another.  Where /proc cannot be read the start is "" and a PID that is
 * alive is taken to be the same process.  A process on another host cannot
 * be checked from here.
 */
#ifndef RP_PROC_H
#define RP_PROC_H

#include <stddef.h>
#include <stdint.h>

#define RP_PROC_START_MAX 64
#define RP_HOST_MAX 256

/* This host's name ("" when it has none). */
void rp_proc_host(char *out, size_t n);
/* The start of process pid, "" when it cannot be read (no such process, no
 * /proc). */
void rp_proc_start(int64_t pid, char *out, size_t n);
enum { RP_PROC_GONE = 0, RP_PROC_ALIVE = 1, RP_PROC_UNKNOWN = -1 };
/* Whether the process named so is still running: RP_PROC_ALIVE, RP_PROC_GONE
 * (ended, or its PID is now another process's), or RP_PROC_UNKNOWN (another
 * host's, or no PID).  host NULL or "": this host; start NULL or "": the PID
 * alone is compared. */
int rp_proc_alive(const char *host, int64_t pid, const char *start);

#endif
