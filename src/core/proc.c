/* proc.c — processes named by host, PID and start.  See proc.h. */
#include "core/proc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

void rp_proc_host(char *out, size_t n)
{
    if (!n)
        return;
    if (gethostname(out, n) != 0)
        out[0] = 0;
    out[n - 1] = 0;
}

/* The first line of a small file, without its line end; "" when unreadable. */
static void first_line(const char *path, char *out, size_t n)
{
    FILE *f = fopen(path, "r");
    out[0] = 0;
    if (!f)
        return;
    if (!fgets(out, (int)n, f))
        out[0] = 0;
    fclose(f);
    out[strcspn(out, "\r\n")] = 0;
}

/* Field k (from 3) of /proc/PID/stat into stat, or NULL: "PID (COMM) STATE
 * PPID ...", where COMM may hold blanks and parentheses, so the fields are
 * counted from the last ')'. */
static const char *stat_field(int64_t pid, int k, char *stat, size_t n)
{
    char path[64];
    if (pid <= 0)
        return NULL;
    snprintf(path, sizeof path, "/proc/%lld/stat", (long long)pid);
    first_line(path, stat, n);
    const char *p = strrchr(stat, ')');
    if (!p)
        return NULL;
    p++; /* the blank before field 3 */
    for (int field = 3; field < k && p; field++)
        p = strchr(p + 1, ' ');
    return p ? p + 1 : NULL;
}

void rp_proc_start(int64_t pid, char *out, size_t n)
{
    char stat[1024], boot[64];
    if (!n)
        return;
    out[0] = 0;
    const char *p = stat_field(pid, 22, stat, sizeof stat); /* the start time, in clock ticks after boot */
    if (!p)
        return;
    char *end;
    unsigned long long ticks = strtoull(p, &end, 10);
    if (end == p)
        return;
    first_line("/proc/sys/kernel/random/boot_id", boot, sizeof boot);
    snprintf(out, n, "%s:%llu", boot, ticks);
}

int rp_proc_alive(const char *host, int64_t pid, const char *start)
{
    if (pid <= 0 || pid > INT32_MAX)
        return RP_PROC_UNKNOWN;
    if (host && *host) {
        char here[RP_HOST_MAX];
        rp_proc_host(here, sizeof here);
        if (strcmp(host, here) != 0)
            return RP_PROC_UNKNOWN;
    }
    if (kill((pid_t)pid, 0) != 0 && errno != EPERM)
        return RP_PROC_GONE;
    char stat[1024];
    const char *state = stat_field(pid, 3, stat, sizeof stat);
    if (state && (*state == 'Z' || *state == 'X'))
        return RP_PROC_GONE; /* ended; only its exit status is waiting for its parent */
    if (start && *start) {
        char now[RP_PROC_START_MAX];
        rp_proc_start(pid, now, sizeof now);
        if (*now && strcmp(now, start) != 0)
            return RP_PROC_GONE; /* the PID is another process's now */
    }
    return RP_PROC_ALIVE;
}
