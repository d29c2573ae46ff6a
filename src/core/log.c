#include "core/log.h"
#include "core/rtime.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static rp_log_level level = RP_LOG_WARN;
static const char *const level_names[] = { "error", "warn", "info", "debug" };

void rp_log_set_level(rp_log_level l) { level = l; }
rp_log_level rp_log_get_level(void) { return level; }

int rp_log_parse_level(const char *s)
{
    for (int i = 0; i < 4; i++)
        if (s && strcmp(s, level_names[i]) == 0)
            return i;
    return -1;
}

void rp_log_init_from_env(void)
{
    const char *s = getenv("RAPPORT_LOG");
    int l = rp_log_parse_level(s);
    if (l >= 0)
        level = (rp_log_level)l;
}

void rp_log(rp_log_level l, const char *fmt, ...)
{
    if (l > level)
        return;
    char ts[RP_TIME_UTC_LEN];
    rp_time_format_utc(rp_now(), ts);
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s %s: %s\n", ts, level_names[l], line);
}
