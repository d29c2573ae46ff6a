/*
 * c360 — how fast is the customer-360 lookup at a million customers?
 *
 * Builds (once, then reuses) a store of N synthetic customers through the
 * warehouse API itself — validation, sealing and all — each with a sealed
 * national ID, a card customer number, a mobile phone, an e-mail, one to
 * three accounts, transactions, and some notes and consents.  Then looks up
 * random customers by each kind of key a person would type, timing
 * wh_find() + wh_c360() + rendering the JSON, and prints percentiles.
 *
 * Side by side: the same eight queries the 360 view runs, by account number,
 * as one script through the sqlite3 shell (what a user would otherwise
 * use), and the ratio of the two.
 *
 * usage: build/bench/c360 [--customers N] [--lookups K] [--db PATH] [--fresh]
 */
#include "core/buf.h"
#include "core/json.h"
#include "core/progress.h"
#include "warehouse/warehouse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static int rnd_n(int n) { return (int)(rnd() % (uint64_t)n); }

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, const rp_error *e)
{
    fprintf(stderr, "c360: %s: %s\n", what, rp_errmsg(e));
    exit(1);
}

/* The i-th customer's keys; unique by construction. */
static void national_id(int64_t i, char out[11])
{
    static const int codes[26] = { 10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21,
                                   22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33 };
    int letter = (int)(i % 26), sex = (int)(i / 26 % 2) + 1;
    snprintf(out, 11, "%c%d%07lld", 'A' + letter, sex, (long long)(i / 52 % 10000000));
    int c = codes[letter];
    int sum = c / 10 + (c % 10) * 9;
    for (int k = 1; k <= 8; k++)
        sum += (out[k] - '0') * (9 - k);
    out[9] = (char)('0' + (10 - sum % 10) % 10);
    out[10] = 0;
}
static void mobile(int64_t i, char *out, size_t n) { snprintf(out, n, "09%08lld", 10000000 + (long long)i); }
static void mobile_typed(int64_t i, char *out, size_t n)
{
    long long v = 10000000 + (long long)i;
    snprintf(out, n, "09%02lld-%03lld-%03lld", v / 1000000, v / 1000 % 1000, v % 1000);
}
static void email(int64_t i, char *out, size_t n) { snprintf(out, n, "customer%lld@example.com.tw", (long long)i); }
static void card_no(int64_t i, char *out, size_t n) { snprintf(out, n, "C%09lld", (long long)i); }
static void account_no(int64_t i, int k, char *out, size_t n)
{
    snprintf(out, n, "%04d-%d00-%07lld", (int)(i % 40) + 1, k + 1, (long long)i);
}

static const char *const surnames[] = { "陳", "林", "黃", "張", "李", "王", "吳", "劉", "蔡", "楊",
                                        "許", "鄭", "謝", "洪", "郭", "邱", "曾", "廖", "賴", "徐" };
static const char *const given[] = { "怡", "君", "志", "明", "淑", "芬", "美", "玲", "家", "豪",
                                     "建", "宏", "雅", "婷", "俊", "傑", "宗", "翰", "冠", "廷" };

static void build(const char *db, int64_t n)
{
    rp_error e = RP_ERROR_INIT;
    wh *w;
    char key[1100];
    snprintf(key, sizeof key, "%s.key", db);
    unlink(db);
    unlink(key);
    if (wh_open(db, NULL, WH_INIT, &w, NULL, &e))
        die(db, &e);
    if (rp_store_exec(wh_store(w), "PRAGMA synchronous=OFF", &e))
        die("pragma", &e);
    if (rp_store_begin(wh_store(w), &e))
        die("begin", &e);
    for (int b = 1; b <= 40; b++) {
        char code[12], name[32];
        snprintf(code, sizeof code, "%04d", b);
        snprintf(name, sizeof name, "第%d分行", b);
        wh_branch br = { .code = code, .name_zh = name };
        if (wh_branch_put(w, &br, &e))
            die("branch", &e);
    }
    wh_category cat = { .code = "retail", .name_zh = "零售" };
    if (wh_category_put(w, &cat, &e))
        die("category", &e);
    const char *const cats[] = { "retail", NULL };
    const char *pcode[3] = { "SAV", "CARD", "MTG" }, *pkind[3] = { "deposit", "card", "loan" };
    for (int k = 0; k < 3; k++) {
        wh_product p = { .code = pcode[k], .name_zh = pcode[k], .kind = pkind[k], .categories = cats };
        if (wh_product_put(w, &p, &e))
            die("product", &e);
    }
    if (rp_store_commit(wh_store(w), &e))
        die("commit", &e);
    rp_progress pr;
    rp_progress_start(&pr, "building customers", (uint64_t)n);
    double t0 = now_s();
    const int batch = 5000;
    for (int64_t i = 0; i < n; i++) {
        if (i % batch == 0 && rp_store_begin(wh_store(w), &e))
            die("begin", &e);
        char name[32], nid[11], ph[24], em[64], card[32], acct[64], br[12], src[32];
        snprintf(name, sizeof name, "%s%s%s", surnames[rnd_n(20)], given[rnd_n(20)], given[rnd_n(20)]);
        snprintf(br, sizeof br, "%04d", (int)(i % 40) + 1);
        char bd[11];
        snprintf(bd, sizeof bd, "%04d-%02d-%02d", 1940 + rnd_n(65), 1 + rnd_n(12), 1 + rnd_n(28));
        wh_party p = { .kind = "person", .name_zh = name, .birth_date = bd,
                       .gender = (i / 26) % 2 ? "F" : "M", .home_branch = br };
        int64_t pid, aid[3];
        if (wh_party_add(w, &p, &pid, &e))
            die("party", &e);
        national_id(i, nid);
        card_no(i, card, sizeof card);
        if (wh_identifier_add(w, pid, "national_id", NULL, nid, NULL, &e) ||
            wh_identifier_add(w, pid, "card_customer_no", "card", card, NULL, &e))
            die("identifier", &e);
        mobile(i, ph, sizeof ph);
        email(i, em, sizeof em);
        wh_contact c1 = { .kind = "mobile", .value = ph, .primary = 1 };
        wh_contact c2 = { .kind = "email", .value = em };
        if (wh_contact_add(w, pid, &c1, NULL, &e) || wh_contact_add(w, pid, &c2, NULL, &e))
            die("contact", &e);
        snprintf(src, sizeof src, "H%09lld", (long long)i);
        if (wh_lineage_add(w, "party", pid, "host", src, 0, &e))
            die("lineage", &e);
        int nacct = 1 + (rnd_n(10) < 3) + (rnd_n(10) < 1);
        for (int k = 0; k < nacct; k++) {
            account_no(i, k, acct, sizeof acct);
            int64_t bal = (int64_t)(exp((double)rnd_n(1000) / 80.0) * 100);
            wh_account a = { .number = acct, .product = pcode[k], .branch = br, .currency = "TWD",
                             .opened_on = "2015-01-01", .balance_minor = k ? -bal : bal };
            if (wh_account_add(w, &a, &aid[k], &e) || wh_role_add(w, pid, aid[k], "owner", NULL, &e))
                die("account", &e);
        }
        static const char *const ch[] = { "atm", "internet", "mobile", "branch", "pos" };
        for (int t = 0; t < 8; t++) {
            char when[32];
            snprintf(when, sizeof when, "2026-%02d-%02dT%02d:%02d:00Z", 1 + rnd_n(10), 1 + rnd_n(28),
                     rnd_n(24), rnd_n(60));
            wh_txn tx = { .account_id = aid[0], .posted_at = when,
                          .amount_minor = (int64_t)rnd_n(500000) - 250000, .channel = ch[rnd_n(5)],
                          .class_ = "transfer" };
            if (wh_txn_add(w, &tx, NULL, &e))
                die("txn", &e);
        }
        if (rnd_n(5) == 0) {
            wh_interaction ia = { .party_id = pid, .at = "2026-10-01T02:00:00Z", .channel = "branch",
                                  .notes = "詢問定存利率" };
            if (wh_interaction_add(w, &ia, NULL, &e))
                die("interaction", &e);
        }
        if (rnd_n(2) == 0) {
            wh_consent co = { .party_id = pid, .purpose = "marketing", .channel = "sms", .granted = 1 };
            if (wh_consent_set(w, &co, &e))
                die("consent", &e);
        }
        if ((i + 1) % batch == 0 || i + 1 == n) {
            if (rp_store_commit(wh_store(w), &e))
                die("commit", &e);
            rp_progress_update(&pr, (uint64_t)i + 1);
        }
    }
    rp_progress_finish(&pr);
    if (rp_store_exec(wh_store(w), "ANALYZE", &e))
        die("analyze", &e);
    printf("built %lld customers in %.1f s (%.0f customers/s through the validating API)\n",
           (long long)n, now_s() - t0, (double)n / (now_s() - t0));
    wh_close(w);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef void (*keyfn)(int64_t i, char *out, size_t n);
static void k_nid(int64_t i, char *out, size_t n) { char t[11]; national_id(i, t); snprintf(out, n, "%s", t); }
static void k_acct(int64_t i, char *out, size_t n) { account_no(i, 0, out, n); }
static void k_id(int64_t i, char *out, size_t n) { snprintf(out, n, "#%lld", (long long)i + 1); }

int main(int argc, char **argv)
{
    int64_t n = 1000000, lookups = 20000;
    const char *db = "bench/out/c360.db";
    int fresh = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--customers") && i + 1 < argc)
            n = atoll(argv[++i]);
        else if (!strcmp(argv[i], "--lookups") && i + 1 < argc)
            lookups = atoll(argv[++i]);
        else if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db = argv[++i];
        else if (!strcmp(argv[i], "--fresh"))
            fresh = 1;
        else {
            fprintf(stderr, "usage: %s [--customers N] [--lookups K] [--db PATH] [--fresh]\n", argv[0]);
            return 2;
        }
    }
    if (n < 1 || lookups < 1) {
        fprintf(stderr, "c360: --customers and --lookups must be at least 1\n");
        return 2;
    }
    if (!strcmp(db, "bench/out/c360.db"))
        mkdir("bench/out", 0755);
    rp_error e = RP_ERROR_INIT;
    wh *w;
    int have = 0;
    if (!fresh && wh_open(db, NULL, 0, &w, NULL, &e) == RP_OK) {
        rp_stmt *st;
        if (rp_store_prepare(wh_store(w), "SELECT count(*) FROM party", &st, &e) == RP_OK &&
            rp_stmt_step(st, &e) == RP_ROW)
            have = rp_stmt_int(st, 0) == n;
        rp_stmt_done(st);
        wh_close(w);
    }
    if (!have)
        build(db, n);
    else
        printf("reusing %s with %lld customers (--fresh rebuilds it)\n", db, (long long)n);
    if (wh_open(db, NULL, 0, &w, NULL, &e))
        die(db, &e);
    struct {
        const char *name;
        keyfn fn;
    } kinds[] = { { "internal id", k_id },     { "national ID", k_nid },
                  { "phone (typed)", mobile_typed }, { "account number", k_acct },
                  { "e-mail", email },          { "card customer no", card_no } };
    int nk = (int)(sizeof kinds / sizeof kinds[0]);
    double *lat = malloc(sizeof(double) * (size_t)lookups);
    double all_sum = 0;
    int64_t all_n = 0;
    /* warm the page cache and statement cache */
    for (int64_t i = 0; i < 2000; i++) {
        char key[64];
        k_id(rnd() % (uint64_t)n, key, sizeof key);
        int64_t pid;
        json_t *doc;
        if (wh_find(w, key, &pid, NULL, &e) || wh_c360(w, pid, 0, &doc, &e))
            die(key, &e);
        json_decref(doc);
    }
    printf("\ncustomer 360 at %lld customers: wh_find + wh_c360 + JSON text, %lld lookups per key kind\n",
           (long long)n, (long long)lookups);
    printf("%-18s %10s %10s %10s %10s\n", "key", "mean µs", "p50 µs", "p99 µs", "max µs");
    for (int k = 0; k < nk; k++) {
        for (int64_t j = 0; j < lookups; j++) {
            int64_t i = (int64_t)(rnd() % (uint64_t)n);
            char key[64];
            kinds[k].fn(i, key, sizeof key);
            double t0 = now_s();
            int64_t pid;
            json_t *doc;
            if (wh_find(w, key, &pid, NULL, &e) || wh_c360(w, pid, 0, &doc, &e))
                die(key, &e);
            rp_buf b = RP_BUF_INIT;
            rp_json_dump(doc, 0, &b);
            json_decref(doc);
            rp_buf_release(&b);
            lat[j] = (now_s() - t0) * 1e6;
            if (pid != i + 1) {
                fprintf(stderr, "c360: key %s found party %lld, expected %lld\n", key,
                        (long long)pid, (long long)i + 1);
                return 1;
            }
        }
        double sum = 0;
        for (int64_t j = 0; j < lookups; j++)
            sum += lat[j];
        qsort(lat, (size_t)lookups, sizeof *lat, cmp_double);
        printf("%-18s %10.1f %10.1f %10.1f %10.1f\n", kinds[k].name, sum / (double)lookups,
               lat[lookups / 2], lat[(int64_t)(lookups * 0.99)], lat[lookups - 1]);
        all_sum += sum;
        all_n += lookups;
    }
    double ours = all_sum / (double)all_n;
    printf("%-18s %10.1f\n", "all kinds", ours);
    wh_close(w);
    free(lat);

    /* Side by side: the sqlite3 shell running the same queries by account number. */
    int64_t shell_n = lookups < 5000 ? lookups : 5000;
    char script[1100];
    snprintf(script, sizeof script, "%s.shell.sql", db);
    FILE *f = fopen(script, "w");
    if (!f) {
        perror(script);
        return 1;
    }
    fprintf(f, ".output /dev/null\n");
    for (int64_t j = 0; j < shell_n; j++) {
        char acct[64];
        account_no((int64_t)(rnd() % (uint64_t)n), 0, acct, sizeof acct);
        const char *p = "(SELECT pa.party_id FROM account a JOIN party_account pa ON pa.account_id = a.id WHERE a.number = '%s' AND pa.role = 'owner')";
        char pid[256];
        snprintf(pid, sizeof pid, p, acct);
        fprintf(f, "SELECT * FROM party p LEFT JOIN branch b ON b.code = p.home_branch WHERE p.id = %s;\n", pid);
        fprintf(f, "SELECT type, issuer, value, masked FROM party_identifier WHERE party_id = %s;\n", pid);
        fprintf(f, "SELECT * FROM contact_point WHERE party_id = %s ORDER BY valid_to IS NOT NULL, is_primary DESC, kind, id;\n", pid);
        fprintf(f, "SELECT a.*, pa.role, pr.name_zh FROM party_account pa JOIN account a ON a.id = pa.account_id JOIN product pr ON pr.code = a.product WHERE pa.party_id = %s;\n", pid);
        fprintf(f, "SELECT l.to_party, l.kind, p.name_zh FROM party_link l JOIN party p ON p.id = l.to_party WHERE l.from_party = %s UNION ALL SELECT l.from_party, l.kind, p.name_zh FROM party_link l JOIN party p ON p.id = l.from_party WHERE l.to_party = %s;\n", pid, pid);
        fprintf(f, "SELECT t.*, a.number FROM txn t JOIN account a ON a.id = t.account_id WHERE t.account_id IN (SELECT account_id FROM party_account WHERE party_id = %s) ORDER BY t.posted_at DESC, t.id DESC LIMIT 20;\n", pid);
        fprintf(f, "SELECT * FROM interaction WHERE party_id = %s ORDER BY at DESC, id DESC LIMIT 20;\n", pid);
        fprintf(f, "SELECT * FROM consent c WHERE c.party_id = %s AND c.id = (SELECT MAX(c2.id) FROM consent c2 WHERE c2.party_id = c.party_id AND c2.purpose = c.purpose AND c2.channel = c.channel);\n", pid);
    }
    fclose(f);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "sqlite3 -readonly '%s' < '%s'", db, script);
    double t0 = now_s();
    int rc = system(cmd);
    double shell = (now_s() - t0) / (double)shell_n * 1e6;
    unlink(script);
    if (rc != 0) {
        fprintf(stderr, "c360: the sqlite3 shell failed (is the sqlite3 package installed?)\n");
        return 1;
    }
    printf("\nside by side, one lookup by account number (eight queries):\n");
    printf("  rapport  wh_find + wh_c360 + JSON  %8.1f µs\n", ours);
    printf("  sqlite3 shell, same SQL, one script %7.1f µs  (%lld lookups)\n", shell, (long long)shell_n);
    printf("  ratio sqlite3 shell / rapport      %8.2fx\n", shell / ours);
    printf("  sub-millisecond: %s\n", ours < 1000 ? "yes" : "NO");
    return 0;
}
