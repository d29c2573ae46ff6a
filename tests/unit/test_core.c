/* Unit tests of src/core. */
#include "testutil.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/csv.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/json.h"
#include "core/log.h"
#include "core/map.h"
#include "core/proc.h"
#include "core/progress.h"
#include "core/rtime.h"
#include "core/seal.h"
#include "core/utf8.h"
#include "core/vec.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Every byte through a pipe far larger than its buffer (short writes), then errors as errno. */
static void write_full_whole_or_error(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    enum { N = 1 << 20 };
    char *data = malloc(N);
    assert_non_null(data);
    for (size_t i = 0; i < N; i++)
        data[i] = (char)(i * 7 + 3);
    pid_t kid = fork();
    assert_true(kid >= 0);
    if (kid == 0) {
        close(p[0]);
        _exit(rp_write_full(p[1], data, N) ? 1 : 0);
    }
    close(p[1]);
    size_t got = 0;
    int same = 1;
    char b[4096];
    ssize_t k;
    while ((k = read(p[0], b, sizeof b)) > 0) {
        for (ssize_t j = 0; j < k; j++)
            same &= b[j] == data[got + (size_t)j];
        got += (size_t)k;
    }
    close(p[0]);
    int st = 0;
    waitpid(kid, &st, 0);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    assert_int_equal(got, N);
    assert_true(same);
    errno = 0;
    assert_int_equal(rp_write_full(-1, data, 10), -1);
    assert_int_equal(errno, EBADF);
    assert_int_equal(rp_write_full(-1, data, 0), 0);
    free(data);
}

static void error_codes(void **state)
{
    (void)state;
    rp_error e = RP_ERROR_INIT;
    assert_string_equal(rp_strerror(RP_OK), "success");
    assert_string_equal(rp_strerror(RP_CHECKSUM), "checksum mismatch");
    assert_string_equal(rp_code_name(RP_NOTFOUND), "NOTFOUND");
    assert_string_equal(rp_strerror(9999), "unknown error");
    assert_int_equal(rp_err(&e, RP_INVAL, "field %s: bad", "x"), RP_INVAL);
    assert_int_equal(e.code, RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "field x: bad");
    rp_err_prefix(&e, "file.csv:%d", 7);
    assert_string_equal(rp_errmsg(&e), "file.csv:7: field x: bad");
    assert_int_equal(e.code, RP_INVAL);
    rp_err(&e, RP_NOMEM, NULL);
    assert_string_equal(rp_errmsg(&e), "out of memory");
    assert_int_equal(rp_err(NULL, RP_IO, "ignored"), RP_IO);
    rp_err_clear(&e);
    assert_int_equal(e.code, RP_OK);
}

static void integers_in_decimal(void **state)
{
    (void)state;
    const struct {
        int64_t v;
        const char *s;
    } c[] = { { 0, "0" }, { 7, "7" }, { -5, "-5" }, { 1234567890, "1234567890" },
              { INT64_MAX, "9223372036854775807" }, { INT64_MIN, "-9223372036854775808" } };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        char d[21];
        assert_int_equal(rp_fmt_i64(d, c[i].v), strlen(c[i].s));
        assert_string_equal(d, c[i].s);
    }
    rp_buf b = RP_BUF_INIT;
    assert_int_equal(rp_buf_put_i64(&b, -42), RP_OK);
    assert_int_equal(rp_buf_put_i64(&b, 7), RP_OK);
    assert_string_equal(rp_buf_str(&b), "-427");
    rp_buf_release(&b);
}

static void buf_grows_and_caps(void **state)
{
    (void)state;
    rp_buf b = RP_BUF_INIT;
    assert_string_equal(rp_buf_str(&b), "");
    for (int i = 0; i < 1000; i++)
        rp_buf_printf(&b, "%d,", i);
    assert_int_equal(rp_buf_status(&b), RP_OK);
    assert_int_equal(strncmp(rp_buf_str(&b), "0,1,2,", 6), 0);
    assert_int_equal(b.len, strlen(rp_buf_str(&b)));
    size_t n;
    char *p = rp_buf_take(&b, &n);
    assert_non_null(p);
    assert_int_equal(n, strlen(p));
    assert_null(b.data);
    free(p);

    rp_buf c;
    rp_buf_init(&c, 10);
    assert_int_equal(rp_buf_puts(&c, "0123456789"), RP_OK);
    assert_int_equal(rp_buf_putc(&c, 'x'), RP_TOOBIG);
    /* sticky: a later small append also fails and nothing changes */
    assert_int_equal(rp_buf_puts(&c, ""), RP_TOOBIG);
    assert_int_equal(c.len, 10);
    assert_null(rp_buf_take(&c, NULL));
    rp_buf_init(&c, 100);
    char big[300];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    assert_int_equal(rp_buf_printf(&c, "%s", big), RP_TOOBIG);
    rp_buf_reset(&c);
    assert_int_equal(rp_buf_printf(&c, "%.50s", big), RP_OK);
    assert_int_equal(c.len, 50);
    /* room allocated past the cap does not let an append through (the inline path checks the cap) */
    rp_buf_reset(&c);
    assert_int_equal(rp_buf_append(&c, big, 70), RP_OK);
    assert_true(c.cap - c.len > 40); /* grown by doubling: 128 bytes */
    assert_int_equal(rp_buf_append(&c, big, 40), RP_TOOBIG);
    assert_int_equal(c.len, 70);
    rp_buf_reset(&c);
    /* writing in place: room asked for, bytes counted, still a string */
    char *w = rp_buf_space(&c, 5);
    assert_non_null(w);
    memcpy(w, "abc", 3);
    rp_buf_wrote(&c, 3);
    assert_string_equal(rp_buf_str(&c), "abc");
    assert_null(rp_buf_space(&c, 98)); /* 3 + 98 is past the cap of 100 */
    assert_int_equal(rp_buf_status(&c), RP_TOOBIG);
    rp_buf_release(&c);
}

static void vec_push_and_cap(void **state)
{
    (void)state;
    rp_vec v = RP_VEC_INIT(int64_t);
    for (int64_t i = 0; i < 10000; i++) {
        int64_t *slot = rp_vec_push(&v);
        assert_non_null(slot);
        assert_int_equal(*slot, 0);
        *slot = i * 3;
    }
    assert_int_equal(v.len, 10000);
    assert_int_equal(*(int64_t *)rp_vec_at(&v, 9999), 29997);
    assert_null(rp_vec_at(&v, 10000));
    rp_vec_release(&v);
    rp_vec w;
    rp_vec_init(&w, sizeof(int), 3);
    assert_non_null(rp_vec_push(&w));
    assert_non_null(rp_vec_push(&w));
    assert_non_null(rp_vec_push(&w));
    assert_null(rp_vec_push(&w));
    rp_vec_release(&w);
}

static void map_put_get_del(void **state)
{
    (void)state;
    rp_map *m = rp_map_new();
    char key[32];
    for (intptr_t i = 1; i <= 50000; i++) {
        int n = snprintf(key, sizeof key, "key-%ld", (long)i);
        assert_int_equal(rp_map_put(m, key, (size_t)n, (void *)i, NULL), RP_OK);
    }
    assert_int_equal(rp_map_len(m), 50000);
    for (intptr_t i = 1; i <= 50000; i += 7) {
        int n = snprintf(key, sizeof key, "key-%ld", (long)i);
        assert_int_equal((intptr_t)rp_map_get(m, key, (size_t)n), i);
    }
    assert_null(rp_map_get(m, "nope", 4));
    void *old;
    assert_int_equal(rp_map_put(m, "key-5", 5, (void *)99, &old), RP_OK);
    assert_int_equal((intptr_t)old, 5);
    assert_int_equal(rp_map_len(m), 50000);
    for (intptr_t i = 1; i <= 50000; i += 2) {
        int n = snprintf(key, sizeof key, "key-%ld", (long)i);
        assert_non_null(rp_map_del(m, key, (size_t)n));
    }
    assert_int_equal(rp_map_len(m), 25000);
    assert_null(rp_map_get(m, "key-1", 5));
    assert_int_equal((intptr_t)rp_map_get(m, "key-2", 5), 2);
    /* re-insert after deletes reuses tombstones */
    assert_int_equal(rp_map_put(m, "key-1", 5, (void *)1, NULL), RP_OK);
    assert_int_equal((intptr_t)rp_map_get(m, "key-1", 5), 1);
    size_t it = 0, count = 0;
    while (rp_map_next(m, &it, NULL, NULL, NULL))
        count++;
    assert_int_equal(count, 25001);
    /* keys with NUL bytes are distinct */
    assert_int_equal(rp_map_put(m, "a\0b", 3, (void *)7, NULL), RP_OK);
    assert_null(rp_map_get(m, "a\0c", 3));
    assert_int_equal((intptr_t)rp_map_get(m, "a\0b", 3), 7);
    rp_map_free(m, NULL);
}

static void arena_allocates_aligned(void **state)
{
    (void)state;
    rp_arena a = RP_ARENA_INIT;
    for (int i = 1; i < 5000; i++) {
        char *p = rp_arena_alloc(&a, (size_t)(i % 97 + 1));
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        memset(p, 'x', (size_t)(i % 97 + 1));
    }
    char *s = rp_arena_strdup(&a, "陳怡君");
    assert_string_equal(s, "陳怡君");
    char *big = rp_arena_alloc(&a, 1 << 20);
    assert_non_null(big);
    rp_arena_release(&a);
    assert_null(a.head);
    rp_arena capped = { NULL, 0, 32 << 10 };
    assert_non_null(rp_arena_alloc(&capped, 1000));
    assert_null(rp_arena_alloc(&capped, 64 << 10));
    rp_arena_release(&capped);
}

static void dates_gregorian_and_roc(void **state)
{
    (void)state;
    rp_date d;
    rp_error e = RP_ERROR_INIT;
    struct {
        const char *in;
        int y, m, d;
    } ok[] = {
        { "2023-05-01", 2023, 5, 1 },  { "20230501", 2023, 5, 1 },     { "2023/05/01", 2023, 5, 1 },
        { "2023.5.1", 2023, 5, 1 },    { "112/05/01", 2023, 5, 1 },    { "1120501", 2023, 5, 1 },
        { "0990101", 2010, 1, 1 },     { "99/1/1", 2010, 1, 1 },       { "1/1/1", 1912, 1, 1 },
        { "民國112年5月1日", 2023, 5, 1 }, { "112年12月31日", 2023, 12, 31 },
        { "2024-02-29", 2024, 2, 29 }, { "2026-11-23T10:00:00Z", 2026, 11, 23 },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        if (rp_date_parse(ok[i].in, &d, &e) != RP_OK)
            fail_msg("%s: %s", ok[i].in, rp_errmsg(&e));
        assert_int_equal(d.y, ok[i].y);
        assert_int_equal(d.m, ok[i].m);
        assert_int_equal(d.d, ok[i].d);
    }
    assert_int_equal(rp_date_parse("2023-02-29", &d, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "invalid date '2023-02-29': no such date");
    assert_int_equal(rp_date_parse("230501", &d, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e),
                        "invalid date '230501': six digits are ambiguous, write YYYYMMDD or ROC YYYMMDD");
    assert_int_equal(rp_date_parse("0/01/01", &d, &e), RP_INVAL);
    assert_int_equal(rp_date_parse("2023-13-01", &d, &e), RP_INVAL);
    assert_int_equal(rp_date_parse("", &d, &e), RP_INVAL);
    assert_int_equal(rp_date_parse("yesterday", &d, &e), RP_INVAL);
    assert_int_equal(rp_date_parse("民國abc", &d, &e), RP_INVAL);
    char out[64];
    rp_date_format((rp_date){ 2023, 5, 1 }, out);
    assert_string_equal(out, "2023-05-01");
    rp_date_format_roc((rp_date){ 2023, 5, 1 }, out, sizeof out);
    assert_string_equal(out, "民國112年05月01日");
    assert_int_equal(rp_date_years_between((rp_date){ 1985, 3, 14 }, (rp_date){ 2026, 3, 13 }), 40);
    assert_int_equal(rp_date_years_between((rp_date){ 1985, 3, 14 }, (rp_date){ 2026, 3, 14 }), 41);
    /* round trip over four centuries of days */
    for (int64_t day = -200000; day < 200000; day += 37) {
        rp_date c = rp_civil_from_days(day);
        assert_true(rp_date_valid(c.y, c.m, c.d));
        assert_int_equal(rp_days_from_civil(c.y, c.m, c.d), day);
    }
}

static void times_utc_and_taipei(void **state)
{
    (void)state;
    int64_t t;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(rp_time_parse("1970-01-01T00:00:00Z", &t, &e), RP_OK);
    assert_int_equal(t, 0);
    assert_int_equal(rp_time_parse("2026-11-23T12:00:00+08:00", &t, &e), RP_OK);
    char utc[RP_TIME_UTC_LEN], local[RP_TIME_LOCAL_LEN];
    rp_time_format_utc(t, utc);
    assert_string_equal(utc, "2026-11-23T04:00:00Z");
    rp_time_format_taipei(t, local);
    assert_string_equal(local, "2026-11-23 12:00:00 +08:00");
    /* 20:30 UTC is already the next day in Taipei */
    assert_int_equal(rp_time_parse("2026-12-31T20:30:00Z", &t, &e), RP_OK);
    rp_date d = rp_time_taipei_date(t);
    assert_int_equal(d.y, 2027);
    assert_int_equal(d.m, 1);
    assert_int_equal(d.d, 1);
    /* a date alone is midnight in Taipei */
    assert_int_equal(rp_time_parse("2026-11-23", &t, &e), RP_OK);
    rp_time_format_utc(t, utc);
    assert_string_equal(utc, "2026-11-22T16:00:00Z");
    assert_int_equal(rp_time_parse("2026-11-23 09:15", &t, &e), RP_OK);
    rp_time_format_utc(t, utc);
    assert_string_equal(utc, "2026-11-23T01:15:00Z");
    assert_int_equal(rp_time_parse("2026-11-23T09:15:00.123-05:00", &t, &e), RP_OK);
    rp_time_format_utc(t, utc);
    assert_string_equal(utc, "2026-11-23T14:15:00Z");
    assert_int_equal(rp_time_parse("2026-11-23T25:00:00Z", &t, &e), RP_INVAL);
    assert_int_equal(rp_time_parse("2026-11-23T10:00:00+0800", &t, &e), RP_INVAL);
    assert_int_equal(rp_time_parse("2026-02-30T10:00:00Z", &t, &e), RP_INVAL);
    setenv("RAPPORT_NOW", "2030-01-02T03:04:05Z", 1);
    rp_time_format_utc(rp_now(), utc);
    assert_string_equal(utc, "2030-01-02T03:04:05Z");
    unsetenv("RAPPORT_NOW");
    assert_true(rp_now() > 1700000000);
}

/* Text from data shown on a terminal: valid UTF-8 kept, control characters
 * (ESC, C1's CSI, newline) and bytes that are not UTF-8 as \xhh, never an
 * escape or a character cut in two (issue 21 item 11). */
/* What shows of a reason: blanks of every kind and invisible characters do
 * not count; not UTF-8 and control characters are told apart (issue 21 item 8). */
static void visible_text(void **state)
{
    (void)state;
    const char *zw = "a b\xe2\x80\x8b\xe2\x80\x8b\xe3\x80\x80\xc2\xa0\xef\xbb\xbf\xc2\xad\xe2\x81\xa0" "c";
    assert_int_equal(rp_utf8_visible(zw, strlen(zw)), 3);
    assert_int_equal(rp_utf8_visible("對帳單申請", strlen("對帳單申請")), 5);
    assert_int_equal(rp_utf8_visible("", 0), 0);
    assert_int_equal(rp_utf8_visible("ok\xff", 3), -1);
    assert_int_equal(rp_utf8_visible("a\tb", 3), -2);
    assert_int_equal(rp_utf8_visible("a\xc2\x9b" "b", 4), -2);
    assert_int_equal(rp_utf8_visible("a\x7f", 2), -2);
}

static void printable_text(void **state)
{
    (void)state;
    char out[128];
    const char in[] = "陳\x1b[31mred\x1b[0m \xc2\x9b" "2J\tx\ny\x7f\xff\\ok";
    size_t n = rp_utf8_printable(in, sizeof in - 1, out, sizeof out);
    assert_string_equal(out, "陳\\x1b[31mred\\x1b[0m \\xc2\\x9b2J\\x09x\\x0ay\\x7f\\xff\\ok");
    assert_int_equal(n, strlen(out));
    assert_true(rp_utf8_is_printable(out, n));
    assert_false(rp_utf8_is_printable(in, sizeof in - 1));
    assert_true(rp_utf8_is_printable("臺北 ＡＢ é", strlen("臺北 ＡＢ é")));
    /* printable text is left as it is: escaping twice changes nothing */
    char again[128];
    rp_utf8_printable(out, n, again, sizeof again);
    assert_string_equal(again, out);
    /* a short buffer: whole characters and whole escapes only */
    assert_int_equal(rp_utf8_printable("ab\x1b", 3, out, 5), 2);
    assert_string_equal(out, "ab");
    assert_int_equal(rp_utf8_printable("a陳", 4, out, 4), 1);
    assert_string_equal(out, "a");
    char *d = rp_utf8_printable_dup("\x1b]0;title\x07");
    assert_string_equal(d, "\\x1b]0;title\\x07");
    free(d);
    d = rp_utf8_printable_dup(NULL);
    assert_string_equal(d, "");
    free(d);
}

/* A process named by host, PID and start: this one is alive; with another
 * start (its PID reused) or once it has ended it is gone; another host's
 * cannot be told (issue 21 item 12). */
static void processes_by_pid_and_start(void **state)
{
    (void)state;
    char host[RP_HOST_MAX], me[RP_PROC_START_MAX];
    rp_proc_host(host, sizeof host);
    rp_proc_start(getpid(), me, sizeof me);
    assert_true(*me);
    assert_int_equal(rp_proc_alive(host, getpid(), me), RP_PROC_ALIVE);
    assert_int_equal(rp_proc_alive(NULL, getpid(), NULL), RP_PROC_ALIVE);
    assert_int_equal(rp_proc_alive(host, getpid(), "another-boot:1"), RP_PROC_GONE);
    assert_int_equal(rp_proc_alive("elsewhere.example", getpid(), me), RP_PROC_UNKNOWN);
    assert_int_equal(rp_proc_alive(host, 0, NULL), RP_PROC_UNKNOWN);
    pid_t child = fork();
    if (!child)
        _exit(0);
    for (int i = 0; i < 200 && rp_proc_alive(NULL, child, NULL) == RP_PROC_ALIVE; i++)
        usleep(10000); /* ended, not yet reaped: a zombie is gone too */
    assert_int_equal(rp_proc_alive(NULL, child, NULL), RP_PROC_GONE);
    waitpid(child, NULL, 0);
    assert_int_equal(rp_proc_alive(NULL, child, NULL), RP_PROC_GONE);
}

static void utf8_rules(void **state)
{
    (void)state;
    size_t bad;
    const char *zh = "陳怡君";
    assert_true(rp_utf8_valid(zh, strlen(zh), &bad));
    assert_int_equal(rp_utf8_count(zh, strlen(zh)), 3);
    assert_int_equal(rp_utf8_width(zh, strlen(zh)), 6);
    assert_int_equal(rp_utf8_width("ABC", 3), 3);
    assert_int_equal(rp_utf8_width("ＡＢ", strlen("ＡＢ")), 4); /* full-width */
    assert_false(rp_utf8_valid("ab\xC0\xAF", 4, &bad)); /* overlong '/' */
    assert_int_equal(bad, 2);
    assert_false(rp_utf8_valid("\xED\xA0\x80", 3, &bad)); /* surrogate */
    assert_false(rp_utf8_valid("\xF4\x90\x80\x80", 4, &bad)); /* > U+10FFFF */
    assert_false(rp_utf8_valid("\xE9\x99", 2, &bad)); /* truncated */
    assert_false(rp_utf8_valid("\xB3\xAF", 2, &bad)); /* Big5 bytes, not UTF-8 */
    char out[4];
    uint32_t cp;
    for (uint32_t c = 1; c < 0x110000; c += 97) {
        if (c >= 0xD800 && c <= 0xDFFF)
            continue;
        int n = rp_utf8_encode(c, out);
        assert_true(n >= 1 && n <= 4);
        assert_int_equal(rp_utf8_decode(out, (size_t)n, &cp), n);
        assert_int_equal(cp, c);
    }
    assert_int_equal(rp_utf8_encode(0xD800, out), 0);
}

static void json_helpers(void **state)
{
    (void)state;
    rp_error e = RP_ERROR_INIT;
    json_t *j;
    const char *doc = "{\"a\": \"x\", \"n\": 5, \"b\": true, \"arr\": [1]}";
    assert_int_equal(rp_json_load_str("doc", doc, strlen(doc), &j, &e), RP_OK);
    const char *s = NULL;
    int64_t n = 0;
    int b = 0;
    json_t *arr;
    assert_int_equal(rp_json_get_str(j, "p[1]", "a", 1, &s, &e), RP_OK);
    assert_string_equal(s, "x");
    assert_int_equal(rp_json_get_int(j, "p[1]", "n", 1, &n, &e), RP_OK);
    assert_int_equal(n, 5);
    assert_int_equal(rp_json_get_bool(j, "", "b", 1, &b, &e), RP_OK);
    assert_true(b);
    assert_int_equal(rp_json_get_array(j, "", "arr", 1, &arr, &e), RP_OK);
    assert_int_equal(rp_json_get_str(j, "p[1]", "n", 1, &s, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "p[1].n: must be a string, not an integer");
    assert_int_equal(rp_json_get_str(j, "p[1]", "missing", 1, &s, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "p[1].missing: required");
    s = "unchanged";
    assert_int_equal(rp_json_get_str(j, "", "missing", 0, &s, &e), RP_OK);
    assert_string_equal(s, "unchanged");
    const char *const allowed[] = { "a", "n", "b", NULL };
    assert_int_equal(rp_json_check_keys(j, "p[1]", allowed, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "p[1].arr: unknown member");
    rp_buf out = RP_BUF_INIT;
    assert_int_equal(rp_json_dump(j, 0, &out), RP_OK);
    assert_string_equal(rp_buf_str(&out), "{\"a\":\"x\",\"n\":5,\"b\":true,\"arr\":[1]}");
    rp_buf_release(&out);
    json_decref(j);

    const char *broken = "{\n  \"a\": 1,\n  \"b\": }";
    assert_int_equal(rp_json_load_str("in.json", broken, strlen(broken), &j, &e), RP_PARSE);
    assert_string_equal(rp_errmsg(&e), "in.json:3:8: unexpected token near '}'");
    const char *dup = "{\"a\": 1, \"a\": 2}";
    assert_int_equal(rp_json_load_str("d.json", dup, strlen(dup), &j, &e), RP_PARSE);
    /* nesting deeper than the cap is refused */
    char deep[400];
    int k = 0;
    for (int i = 0; i < 100; i++)
        deep[k++] = '[';
    for (int i = 0; i < 100; i++)
        deep[k++] = ']';
    deep[k] = 0;
    assert_int_equal(rp_json_load_str("deep", deep, strlen(deep), &j, &e), RP_TOOBIG);
    assert_string_equal(rp_errmsg(&e), "deep: nesting deeper than 64 levels");
    /* a file over the byte cap */
    const char *path = tu_path("big.json");
    tu_write_file(path, "[1,2,3,4,5,6,7,8,9,10]");
    assert_int_equal(rp_json_load_file(path, 8, &j, &e), RP_TOOBIG);
    assert_int_equal(rp_json_load_file(path, 100, &j, &e), RP_OK);
    json_decref(j);
    assert_int_equal(rp_json_load_file("/nonexistent/x.json", 100, &j, &e), RP_IO);
}

static void config_ini(void **state)
{
    (void)state;
    rp_config *c = rp_config_new();
    rp_error e = RP_ERROR_INIT;
    const char *path = tu_path("rapport.ini");
    tu_write_file(path, "; Rapport\n[store]\npath = /var/lib/rapport/bank.db\n\n[server]\n"
                        "listen = 127.0.0.1:8080\nthreads = 8\nbad = x12\n");
    assert_int_equal(rp_config_load(c, path, &e), RP_OK);
    assert_string_equal(rp_config_get(c, "store", "path", NULL), "/var/lib/rapport/bank.db");
    assert_string_equal(rp_config_get(c, "server", "missing", "dflt"), "dflt");
    int64_t n;
    assert_int_equal(rp_config_get_int(c, "server", "threads", 4, 1, 64, &n, &e), RP_OK);
    assert_int_equal(n, 8);
    assert_int_equal(rp_config_get_int(c, "server", "absent", 4, 1, 64, &n, &e), RP_OK);
    assert_int_equal(n, 4);
    assert_int_equal(rp_config_get_int(c, "server", "bad", 4, 1, 64, &n, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "[server] bad: 'x12' is not a whole number from 1 to 64");
    assert_int_equal(rp_config_get_int(c, "server", "threads", 4, 1, 4, &n, &e), RP_INVAL);
    const char *bad = tu_path("bad.ini");
    tu_write_file(bad, "[store]\npath = a\nthis line is wrong\n");
    assert_int_equal(rp_config_load(c, bad, &e), RP_PARSE);
    char want[400];
    snprintf(want, sizeof want, "%s:3: expected [section] or name = value", bad);
    assert_string_equal(rp_errmsg(&e), want);
    assert_int_equal(rp_config_load(c, "/nonexistent.ini", &e), RP_IO);
    rp_config_free(c);
}

static void progress_line(void **state)
{
    (void)state;
    char line[256], n[32];
    rp_format_thousands(n, sizeof n, 1234567);
    assert_string_equal(n, "1,234,567");
    rp_format_thousands(n, sizeof n, 999);
    assert_string_equal(n, "999");
    rp_format_thousands(n, sizeof n, 0);
    assert_string_equal(n, "0");
    rp_progress_format(line, sizeof line, "loading", 250000, 1000000, 10.0);
    assert_string_equal(line,
                        "loading  250,000 / 1,000,000 rows   25.0%  25000 rows/s  0m10s elapsed  0m30s left");
    rp_progress_format(line, sizeof line, "scan", 5000, 0, 2.0);
    assert_string_equal(line, "scan  5,000 rows  2500 rows/s  0m02s elapsed");
    rp_progress_format(line, sizeof line, "big", 10, 100000, 1.0);
    assert_string_equal(line, "big  10 / 100,000 rows    0.0%  10 rows/s  0m01s elapsed  2h46m left");
    /* a file read as a stream: the share and the time left come from its bytes */
    rp_progress_format_bytes(line, sizeof line, "loading CIF.dat", 12000, 25 << 20, 100 << 20, 5.0);
    assert_string_equal(line, "loading CIF.dat  12,000 rows   25.0%  2400 rows/s  0m05s elapsed  0m15s left");
    /* not a terminal: silent */
    setenv("RAPPORT_PROGRESS", "never", 1);
    rp_progress p;
    rp_progress_start(&p, "x", 10);
    assert_int_equal(p.on, 0);
    rp_progress_update(&p, 5);
    rp_progress_finish(&p);
    unsetenv("RAPPORT_PROGRESS");
}

static void csv_quoting(void **state)
{
    (void)state;
    rp_buf b = RP_BUF_INIT;
    rp_csv_field(&b, "plain", 5, 1);
    rp_csv_field(&b, "a,b", 3, 0);
    rp_csv_field(&b, "say \"hi\"", 8, 0);
    rp_csv_field(&b, "line\nbreak", 10, 0);
    rp_csv_field(&b, "", 0, 0);
    rp_csv_end_row(&b);
    assert_string_equal(rp_buf_str(&b), "plain,\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\",\r\n");
    rp_buf_release(&b);
}

static void seal_roundtrip(void **state)
{
    (void)state;
    rp_error e = RP_ERROR_INIT;
    const char *path = tu_path("test.key");
    assert_int_equal(rp_keyring_create(path, &e), RP_OK);
    assert_int_equal(rp_keyring_create(path, &e), RP_EXISTS);
    rp_keyring *k, *k2;
    assert_int_equal(rp_keyring_load(path, &k, &e), RP_OK);
    const char *secret = "A223456781";
    unsigned char sealed[64], sealed2[64];
    char plain[32] = { 0 };
    rp_seal(k, secret, 10, sealed);
    rp_seal(k, secret, 10, sealed2);
    assert_memory_not_equal(sealed, sealed2, 10 + RP_SEAL_OVERHEAD); /* random nonce */
    assert_int_equal(rp_unseal(k, sealed, 10 + RP_SEAL_OVERHEAD, plain), RP_OK);
    assert_string_equal(plain, secret);
    sealed[30] ^= 1; /* tampering is detected */
    assert_int_equal(rp_unseal(k, sealed, 10 + RP_SEAL_OVERHEAD, plain), RP_CRYPTO);
    unsigned char h1[RP_HASH_LEN], h2[RP_HASH_LEN], h3[RP_HASH_LEN];
    rp_keyed_hash(k, "id", secret, 10, h1);
    rp_keyed_hash(k, "id", secret, 10, h2);
    rp_keyed_hash(k, "other", secret, 10, h3);
    assert_memory_equal(h1, h2, RP_HASH_LEN);
    assert_memory_not_equal(h1, h3, RP_HASH_LEN);
    /* another key gives other hashes and cannot open the seal */
    const char *path2 = tu_path("other.key");
    assert_int_equal(rp_keyring_create(path2, &e), RP_OK);
    assert_int_equal(rp_keyring_load(path2, &k2, &e), RP_OK);
    rp_keyed_hash(k2, "id", secret, 10, h3);
    assert_memory_not_equal(h1, h3, RP_HASH_LEN);
    rp_seal(k, secret, 10, sealed);
    assert_int_equal(rp_unseal(k2, sealed, 10 + RP_SEAL_OVERHEAD, plain), RP_CRYPTO);
    rp_keyring_free(k);
    rp_keyring_free(k2);
    const char *bad = tu_path("bad.key");
    tu_write_file(bad, "not a key\n");
    assert_int_equal(rp_keyring_load(bad, &k, &e), RP_CRYPTO);
    assert_int_equal(rp_keyring_load(tu_path("missing.key"), &k, &e), RP_NOTFOUND);
}

static void log_levels(void **state)
{
    (void)state;
    assert_int_equal(rp_log_parse_level("debug"), RP_LOG_DEBUG);
    assert_int_equal(rp_log_parse_level("loud"), -1);
    setenv("RAPPORT_LOG", "error", 1);
    rp_log_init_from_env();
    assert_int_equal(rp_log_get_level(), RP_LOG_ERROR);
    rp_log_set_level(RP_LOG_WARN);
    unsetenv("RAPPORT_LOG");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(error_codes),        cmocka_unit_test(buf_grows_and_caps), cmocka_unit_test(integers_in_decimal),
        cmocka_unit_test(vec_push_and_cap),   cmocka_unit_test(map_put_get_del),
        cmocka_unit_test(arena_allocates_aligned), cmocka_unit_test(dates_gregorian_and_roc),
        cmocka_unit_test(times_utc_and_taipei), cmocka_unit_test(utf8_rules),
        cmocka_unit_test(printable_text), cmocka_unit_test(visible_text), cmocka_unit_test(processes_by_pid_and_start),
        cmocka_unit_test(json_helpers),       cmocka_unit_test(config_ini),
        cmocka_unit_test(progress_line),      cmocka_unit_test(csv_quoting),
        cmocka_unit_test(seal_roundtrip),     cmocka_unit_test(log_levels),
        cmocka_unit_test(write_full_whole_or_error),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
