/* Tests of the audit journal (src/security/journal.c): entries land in the
 * audit table exactly once whoever moves them, with their own time and every
 * field as written; a second writer is refused; an unfinished or damaged
 * line is kept as an entry saying so, never dropped; a journal fully moved
 * starts again; what waits in it is told for /metrics. */
#include "testutil.h"

#include <fcntl.h>
#include <jansson.h>
#include <sys/stat.h>

#include "core/rtime.h"
#include "security/security.h"
#include "warehouse/warehouse.h"

static char db[512];
static wh *w;

static int setup(void **state)
{
    (void)state;
    setenv("RAPPORT_NOW", "2026-11-23T04:00:00Z", 1);
    snprintf(db, sizeof db, "%s", tu_path("journal.db"));
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(wh_open(db, NULL, WH_INIT, &w, NULL, &e), RP_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    wh_close(w);
    return 0;
}

static int64_t count(const char *where)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE %s", where);
    rp_stmt *st;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(rp_store_prepare(wh_store(w), sql, &st, &e), RP_OK);
    assert_int_equal(rp_stmt_step(st, &e), RP_ROW);
    int64_t n = rp_stmt_int(st, 0);
    rp_stmt_done(st);
    return n;
}

static void append(sec_journal *j, const char *action, const char *detail, int64_t customer, const char *at)
{
    sec_audit_entry e = { .user = "csr1", .address = "10.0.0.7", .action = action, .target = "/api/v1/customers/1",
                          .outcome = "ok", .detail = detail, .customer = customer };
    rp_error err = RP_ERROR_INIT;
    if (sec_journal_append(j, &e, at, &err))
        fail_msg("append: %s", rp_errmsg(&err));
}

static void raw_append(const char *text)
{
    char path[600];
    {
        char p2[1100];
        sec_journal_path("postgresql://bank@db1/rapport", "/etc/rapport/key", p2, sizeof p2);
        assert_string_equal(p2, "/etc/rapport/key-audit");
        sec_journal_path("postgresql://bank@db1/rapport", "/etc/rapport/bank.key", p2, sizeof p2);
        assert_string_equal(p2, "/etc/rapport/bank-audit");
    }
    sec_journal_path(db, NULL, path, sizeof path);
    int fd = open(path, O_WRONLY | O_APPEND);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static void entries_land_once_with_every_field(void **state)
{
    (void)state;
    sec_journal *j;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(sec_journal_open(db, NULL, &j, &e), RP_OK);
    /* the journal is the server's alone */
    sec_journal *j2;
    assert_int_equal(sec_journal_open(db, NULL, &j2, &e), RP_BUSY);
    assert_non_null(strstr(rp_errmsg(&e), "another `rapport serve` is running on this store"));
    rp_err_clear(&e);
    for (int i = 0; i < 100; i++)
        append(j, "view", NULL, i + 1, "2026-11-23T01:02:03Z");
    /* what JSON must escape, Chinese, and a byte that is not UTF-8 */
    append(j, "search", "q=\"陳\"\n\\ %_\x01 \xff end", 0, NULL);
    assert_true(sec_journal_pending(j) > 0);
    int64_t moved;
    assert_int_equal(sec_journal_ingest(wh_store(w), db, j, 0, 0, &moved, &e), RP_OK);
    assert_int_equal(moved, 101);
    assert_int_equal(sec_journal_pending(j), 0);
    /* again: nothing twice, whoever moves it */
    assert_int_equal(sec_journal_ingest(wh_store(w), db, j, 0, 0, &moved, &e), RP_OK);
    assert_int_equal(moved, 0);
    assert_int_equal(sec_journal_ingest(wh_store(w), db, NULL, 0, 0, &moved, &e), RP_OK);
    assert_int_equal(moved, 0);
    assert_int_equal(count("action = 'view' AND at = '2026-11-23T01:02:03Z' AND user_name = 'csr1' "
                           "AND address = '10.0.0.7' AND outcome = 'ok' AND target = '/api/v1/customers/1'"),
                     100);
    assert_int_equal(count("action = 'view' AND customer_id = 57"), 1);
    assert_int_equal(count("action = 'search' AND detail = 'q=\"陳\"' || char(10) || '\\ %_' || char(1) || "
                           "' ' || char(65533) || ' end' AND customer_id IS NULL AND at = '2026-11-23T04:00:00Z'"),
                     1);
    /* the reader (`rapport audit`) and the server take turns */
    append(j, "view", "a", 7, NULL);
    assert_int_equal(sec_journal_ingest(wh_store(w), db, NULL, 0, 0, &moved, &e), RP_OK);
    assert_int_equal(moved, 1);
    append(j, "view", "b", 7, NULL);
    assert_int_equal(sec_journal_ingest(wh_store(w), db, j, 0, 0, &moved, &e), RP_OK);
    assert_int_equal(moved, 1);
    assert_int_equal(count("customer_id = 7 AND detail IN ('a', 'b')"), 2);
    /* by customer: the trail by customer is brought up to date by the query */
    sec_audit_filter f = { .customer = 7 };
    json_t *a;
    assert_int_equal(sec_audit_query(wh_store(w), &f, &a, &e), RP_OK);
    assert_int_equal(json_array_size(a), 3); /* one of the hundred, a and b */
    assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "detail")), "b"); /* newest first */
    json_decref(a);
    append(j, "view", "c", 7, NULL);
    append(j, "view", "d", 8, NULL);
    assert_int_equal(sec_journal_ingest(wh_store(w), db, j, 0, 0, &moved, &e), RP_OK);
    f.customer = 7;
    f.user = "csr1";
    assert_int_equal(sec_audit_query(wh_store(w), &f, &a, &e), RP_OK);
    assert_int_equal(json_array_size(a), 4);
    json_decref(a);
    int64_t added;
    assert_int_equal(sec_audit_index(wh_store(w), &added, &e), RP_OK);
    assert_int_equal(added, 0); /* already up to date */
    /* as append-only as the trail */
    assert_int_equal(rp_store_exec(wh_store(w), "DELETE FROM audit_customer WHERE customer_id = 7", &e), RP_CONSTRAINT);
    assert_non_null(strstr(rp_errmsg(&e), "the audit trail is append-only"));
    rp_err_clear(&e);
    sec_journal_close(j);
    /* closed, it can be opened again */
    assert_int_equal(sec_journal_open(db, NULL, &j, &e), RP_OK);
    sec_journal_close(j);
}

static void unfinished_and_damaged_lines_are_kept(void **state)
{
    (void)state;
    sec_journal *j;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(sec_journal_open(db, NULL, &j, &e), RP_OK);
    int64_t before = count("1");
    append(j, "view", "before", 3, NULL);
    raw_append("this is not an entry\n");
    append(j, "view", "after", 3, NULL);
    raw_append("{\"at\":\"2026-11-23T04:00:00Z\",\"action\":\"vi"); /* cut short by a crash */
    int64_t moved;
    assert_int_equal(sec_journal_ingest(wh_store(w), db, j, 0, 0, &moved, &e), RP_OK);
    assert_int_equal(moved, 3); /* the unfinished line waits */
    assert_int_equal(count("action = 'journal_damaged' AND outcome = 'failed' AND detail LIKE '%this is not an entry'"), 1);
    assert_int_equal(count("detail IN ('before', 'after')"), 2);
    sec_journal_close(j);
    /* a server starting: nothing will finish that line now */
    assert_int_equal(sec_journal_open(db, NULL, &j, &e), RP_OK);
    assert_int_equal(sec_journal_ingest(wh_store(w), db, j, 0, 1, &moved, &e), RP_OK);
    assert_int_equal(moved, 1);
    assert_int_equal(count("action = 'journal_damaged' AND detail LIKE '%\"action\":\"vi'"), 1);
    assert_int_equal(count("1"), before + 4);
    sec_journal_close(j);
}

static void a_moved_journal_starts_again(void **state)
{
    (void)state;
    sec_journal *j;
    rp_error e = RP_ERROR_INIT;
    char path[600];
    sec_journal_path(db, NULL, path, sizeof path);
    assert_int_equal(sec_journal_open(db, NULL, &j, &e), RP_OK);
    append(j, "view", "x1", 9, NULL);
    /* not all moved: kept as it is */
    assert_int_equal(sec_journal_restart(wh_store(w), j, &e), RP_OK);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    off_t big = sb.st_size;
    int64_t moved;
    assert_int_equal(sec_journal_ingest(wh_store(w), db, j, 0, 1, &moved, &e), RP_OK);
    assert_int_equal(moved, 1);
    assert_int_equal(sec_journal_restart(wh_store(w), j, &e), RP_OK);
    assert_int_equal(stat(path, &sb), 0);
    assert_true(sb.st_size < big);
    assert_int_equal(sb.st_mode & 0777, 0600);
    /* the new journal's entries land, once */
    append(j, "view", "x2", 9, NULL);
    assert_int_equal(sec_journal_ingest(wh_store(w), db, NULL, 0, 0, &moved, &e), RP_OK);
    assert_int_equal(moved, 1);
    assert_int_equal(count("detail IN ('x1', 'x2')"), 2);
    sec_journal_close(j);
    /* a file that is no journal is refused, not overwritten */
    char other[600];
    snprintf(other, sizeof other, "%s", tu_path("other.db"));
    char opath[700];
    sec_journal_path(other, NULL, opath, sizeof opath);
    tu_write_file(opath, "hello\n");
    assert_int_equal(sec_journal_open(other, NULL, &j, &e), RP_STORE);
    assert_non_null(strstr(rp_errmsg(&e), "is not an audit journal of Rapport"));
}

/* Issue 21 item 15: /metrics' backlog of the journal, bytes, entries and
 * the time of the oldest still waiting, as moves take the entries in part
 * (a move's cap) and in whole. */
static void the_backlog_is_told(void **state)
{
    (void)state;
    sec_journal *j;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(sec_journal_open(db, NULL, &j, &e), RP_OK);
    /* as a server starts: what an earlier one left moves first */
    assert_int_equal(sec_journal_ingest(wh_store(w), db, j, 0, 1, NULL, &e), RP_OK);
    assert_int_equal(sec_journal_restart(wh_store(w), j, &e), RP_OK);
    sec_journal_state st;
    sec_journal_backlog(j, &st);
    assert_true(st.bytes == 0 && st.entries == 0 && st.oldest == 0);
    int64_t t1, t2;
    assert_int_equal(rp_time_parse("2026-11-23T04:01:00Z", &t1, &e), RP_OK);
    assert_int_equal(rp_time_parse("2026-11-23T04:01:30Z", &t2, &e), RP_OK);
    setenv("RAPPORT_NOW", "2026-11-23T04:01:00Z", 1);
    for (int i = 0; i < 500; i++)
        append(j, "view", "backlog", i + 1, NULL);
    setenv("RAPPORT_NOW", "2026-11-23T04:01:30Z", 1);
    for (int i = 0; i < 500; i++)
        append(j, "view", "backlog", i + 1, NULL);
    sec_journal_backlog(j, &st);
    assert_int_equal(st.entries, 1000);
    assert_int_equal(st.oldest, t1);
    assert_int_equal(st.bytes, sec_journal_pending(j));
    assert_true(st.bytes > 1000 * 100);
    /* a move capped at 64 KiB takes a part: the rest waits, the oldest of it timed by its second */
    int64_t moved, total = 0;
    for (int k = 0; k < 2; k++) {
        assert_int_equal(sec_journal_ingest(wh_store(w), db, j, 65536, 0, &moved, &e), RP_OK);
        assert_true(moved > 0 && moved < 1000);
        total += moved;
        sec_journal_backlog(j, &st);
        assert_int_equal(st.entries, 1000 - total);
        assert_int_equal(st.oldest, total < 500 ? t1 : t2);
        assert_int_equal(st.bytes, sec_journal_pending(j));
    }
    assert_true(total > 500); /* the second move reached the second batch */
    assert_int_equal(sec_journal_ingest(wh_store(w), db, j, 0, 0, &moved, &e), RP_OK);
    assert_int_equal(moved, 1000 - total);
    sec_journal_backlog(j, &st);
    assert_true(st.bytes == 0 && st.entries == 0 && st.oldest == 0);
    assert_int_equal(count("detail = 'backlog'"), 1000);
    sec_journal_close(j);
    setenv("RAPPORT_NOW", "2026-11-23T04:00:00Z", 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(entries_land_once_with_every_field),
        cmocka_unit_test(unfinished_and_damaged_lines_are_kept),
        cmocka_unit_test(a_moved_journal_starts_again),
        cmocka_unit_test(the_backlog_is_told),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
