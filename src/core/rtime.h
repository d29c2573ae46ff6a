/*
 * rtime.h — dates and times.
 *
 * Time is kept in UTC as seconds since 1970 (int64).  The bank's display
 * zone is Asia/Taipei, which has been UTC+08:00 without daylight saving
 * since 1980; Rapport displays every instant at +08:00 (earlier historical
 * DST is not applied, see docs/architecture.md).
 *
 * Dates are calendar dates (rp_date) without a zone.  Sources write them
 * Gregorian (YYYY-MM-DD, YYYYMMDD, YYYY/MM/DD, YYYY.MM.DD) or ROC/Minguo
 * (民國 year = Gregorian - 1911): YYY/MM/DD or YY/MM/DD (a year of 1-3
 * digits with separators), YYYMMDD (exactly 7 digits), 民國112年5月1日.
 * Six plain digits are refused as ambiguous.
 *
 * rp_now() reads RAPPORT_NOW (ISO 8601) when it is set, so that tests and
 * demos give repeatable output.
 */
#ifndef RP_RTIME_H
#define RP_RTIME_H

#include <stdint.h>
#include "core/error.h"

typedef struct rp_date {
    int y, m, d;
} rp_date;

#define RP_TIME_UTC_LEN 21    /* "2026-11-23T04:05:06Z" + NUL */
#define RP_TIME_LOCAL_LEN 27  /* "2026-11-23 12:05:06 +08:00" + NUL */
#define RP_DATE_LEN 11        /* "2026-11-23" + NUL */
#define RP_TAIPEI_OFFSET (8 * 3600)

int64_t rp_days_from_civil(int y, int m, int d);
rp_date rp_civil_from_days(int64_t days);
int rp_date_valid(int y, int m, int d);
int rp_date_parse(const char *s, rp_date *out, rp_error *err) RP_WARN_UNUSED;
/* "2023-05-01" */
void rp_date_format(rp_date d, char out[RP_DATE_LEN]);
/* "民國112年05月01日"; dates before 1912 are written Gregorian. */
void rp_date_format_roc(rp_date d, char *out, size_t n);
/* Whole years from birth to on (an age). */
int rp_date_years_between(rp_date birth, rp_date on);

int64_t rp_now(void);
void rp_time_format_utc(int64_t t, char out[RP_TIME_UTC_LEN]);
void rp_time_format_taipei(int64_t t, char out[RP_TIME_LOCAL_LEN]);
/* The calendar date of an instant in Asia/Taipei. */
rp_date rp_time_taipei_date(int64_t t);
/* ISO 8601: "YYYY-MM-DDTHH:MM[:SS][.fff](Z|±HH:MM)", a space for the T,
 * or a date alone (taken as midnight Asia/Taipei). */
int rp_time_parse(const char *s, int64_t *out, rp_error *err) RP_WARN_UNUSED;

/* Seconds on a clock that only goes forward, for measuring durations. */
double rp_monotonic(void);

#endif
