/*
 * log.h — levelled logging to stderr.
 *
 * The level comes from RAPPORT_LOG (error, warn, info, debug; default warn)
 * or rp_log_set_level().  Lines are "TIME LEVEL: message" with TIME in UTC.
 */
#ifndef RP_LOG_H
#define RP_LOG_H

#include "core/error.h"

typedef enum { RP_LOG_ERROR, RP_LOG_WARN, RP_LOG_INFO, RP_LOG_DEBUG } rp_log_level;

void rp_log_set_level(rp_log_level l);
rp_log_level rp_log_get_level(void);
/* Parse a level name; returns -1 for an unknown one. */
int rp_log_parse_level(const char *s);
void rp_log_init_from_env(void);
void rp_log(rp_log_level l, const char *fmt, ...) RP_PRINTF(2, 3);

#define rp_log_error(...) rp_log(RP_LOG_ERROR, __VA_ARGS__)
#define rp_log_warn(...) rp_log(RP_LOG_WARN, __VA_ARGS__)
#define rp_log_info(...) rp_log(RP_LOG_INFO, __VA_ARGS__)
#define rp_log_debug(...) rp_log(RP_LOG_DEBUG, __VA_ARGS__)

#endif
