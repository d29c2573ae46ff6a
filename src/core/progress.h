/*
 * progress.h — progress display for long work.
 *
 * On a terminal (stderr is a tty) it redraws one line at most ten times a
 * second: label, rows done (of total), rate, elapsed and time left.  When
 * stderr is not a terminal it prints nothing, so scripts and logs stay
 * clean.  RAPPORT_PROGRESS=never silences it; =always forces it.
 */
#ifndef RP_PROGRESS_H
#define RP_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

typedef struct rp_progress {
    const char *label;
    uint64_t total; /* 0 = unknown */
    uint64_t done;
    uint64_t bytes_total, bytes_done; /* a file read as a stream: time left by bytes */
    double start, last;
    int on;
} rp_progress;

void rp_progress_start(rp_progress *p, const char *label, uint64_t total);
void rp_progress_update(rp_progress *p, uint64_t done);
/* Rows done so far and bytes read of bytes_total (set before the first
 * update): the share done and the time left come from the bytes. */
void rp_progress_update_bytes(rp_progress *p, uint64_t rows, uint64_t bytes);
void rp_progress_finish(rp_progress *p);
/* The line it would draw, for tests: "loading  12,345 / 100,000 rows  12.3% ..." */
void rp_progress_format(char *out, size_t n, const char *label, uint64_t done, uint64_t total,
                        double elapsed);
/* "loading CIF.dat  12,345 rows  40.1%  9,876 rows/s  0m01s elapsed  0m02s left" */
void rp_progress_format_bytes(char *out, size_t n, const char *label, uint64_t rows, uint64_t bytes,
                              uint64_t bytes_total, double elapsed);
/* 1234567 -> "1,234,567" */
void rp_format_thousands(char *out, size_t n, uint64_t v);

#endif
