#include "core/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void rp_format_thousands(char *out, size_t n, uint64_t v)
{
    char tmp[32];
    int len = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
    char res[48];
    int j = 0;
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            res[j++] = ',';
        res[j++] = tmp[i];
    }
    res[j] = 0;
    snprintf(out, n, "%s", res);
}

static void fmt_dur(char *out, size_t n, double s)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(out, n, "%ldh%02ldm", t / 3600, t / 60 % 60);
    else
        snprintf(out, n, "%ldm%02lds", t / 60, t % 60);
}

void rp_progress_format(char *out, size_t n, const char *label, uint64_t done, uint64_t total,
                        double elapsed)
{
    char d[32], t[32], el[32], left[32];
    rp_format_thousands(d, sizeof d, done);
    double rate = elapsed > 0 ? done / elapsed : 0;
    fmt_dur(el, sizeof el, elapsed);
    if (total) {
        rp_format_thousands(t, sizeof t, total);
        double pct = 100.0 * (double)done / (double)total;
        if (rate > 0 && done < total)
            fmt_dur(left, sizeof left, (double)(total - done) / rate);
        else
            snprintf(left, sizeof left, "--");
        snprintf(out, n, "%s  %s / %s rows  %5.1f%%  %.0f rows/s  %s elapsed  %s left", label, d, t,
                 pct, rate, el, left);
    } else {
        snprintf(out, n, "%s  %s rows  %.0f rows/s  %s elapsed", label, d, rate, el);
    }
}

void rp_progress_format_bytes(char *out, size_t n, const char *label, uint64_t rows, uint64_t bytes,
                              uint64_t bytes_total, double elapsed)
{
    char d[32], el[32], left[32];
    rp_format_thousands(d, sizeof d, rows);
    double rate = elapsed > 0 ? rows / elapsed : 0, brate = elapsed > 0 ? bytes / elapsed : 0;
    double pct = bytes_total ? 100.0 * (double)bytes / (double)bytes_total : 0;
    fmt_dur(el, sizeof el, elapsed);
    if (brate > 0 && bytes < bytes_total)
        fmt_dur(left, sizeof left, (double)(bytes_total - bytes) / brate);
    else
        snprintf(left, sizeof left, "--");
    snprintf(out, n, "%s  %s rows  %5.1f%%  %.0f rows/s  %s elapsed  %s left", label, d, pct, rate, el, left);
}

void rp_progress_start(rp_progress *p, const char *label, uint64_t total)
{
    memset(p, 0, sizeof *p);
    p->label = label;
    p->total = total;
    p->start = mono();
    const char *env = getenv("RAPPORT_PROGRESS");
    if (env && strcmp(env, "never") == 0)
        p->on = 0;
    else if (env && strcmp(env, "always") == 0)
        p->on = 1;
    else
        p->on = isatty(STDERR_FILENO);
}

static void draw(rp_progress *p, double now)
{
    char line[256];
    if (p->bytes_total)
        rp_progress_format_bytes(line, sizeof line, p->label, p->done, p->bytes_done, p->bytes_total,
                                 now - p->start);
    else
        rp_progress_format(line, sizeof line, p->label, p->done, p->total, now - p->start);
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
    p->last = now;
}

void rp_progress_update(rp_progress *p, uint64_t done)
{
    p->done = done;
    if (!p->on)
        return;
    double now = mono();
    if (now - p->last >= 0.1)
        draw(p, now);
}

void rp_progress_update_bytes(rp_progress *p, uint64_t rows, uint64_t bytes)
{
    p->bytes_done = bytes;
    rp_progress_update(p, rows);
}

void rp_progress_finish(rp_progress *p)
{
    if (!p->on)
        return;
    draw(p, mono());
    fputc('\n', stderr);
}
