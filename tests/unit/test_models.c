/* test_models.c — the predictive models: a CSV read into a frame (and every refusal, word for
 * word), splits, metrics against sums done by hand, the CART tree on data whose best tree is known,
 * and sample sizes against the textbook's. */
#include "testutil.h"
#include "models/internal.h"

#include <math.h>

static const char *csv(const char *name, const char *text)
{
    const char *p = tu_path(name);
    tu_write_file(p, text);
    return p;
}

/* The frame's refusal of a file, word for word after the path. */
static void refused(const char *text, const char *target, const char *positive, const char *says)
{
    const char *p = csv("bad.csv", text);
    mdl_frame f;
    rp_error e = RP_ERROR_INIT;
    assert_int_not_equal(mdl_frame_read_csv(p, target, positive, &f, NULL, &e), RP_OK);
    if (!strstr(rp_errmsg(&e), says))
        fail_msg("wanted '%s', got '%s'", says, rp_errmsg(&e));
}

static void bad_files_are_refused_by_row_and_column(void **state)
{
    (void)state;
    refused("a,b\n1,x\n", "churn", NULL, "target: ");
    refused("a,b\n1,x\n", "churn", NULL, "has no column 'churn' (its columns: a, b)");
    refused("a,y\n1,x\n2,x\n", "y", NULL, "target: column 'y' has one value only ('x' in all 2 rows)");
    refused("a,y\n1,x\n2,z\n3,w\n", "y", NULL, "target: column 'y' has more than two values ('x', 'z', 'w', ...)");
    refused("a,y\n1,red\n2,blue\n", "y", NULL, "positive: column 'y' has the values 'red' and 'blue': say which");
    refused("a,y\n1,red\n2,blue\n", "y", "green", "positive: 'green' is not a value of 'y' (it has 'red' and 'blue')");
    refused("a,y\n1,1\nNaN,0\n", "y", NULL, "row 3, column 'a': 'NaN' is not a value a model can use");
    refused("a,y\n1,1\ninf,0\n", "y", NULL, "row 3, column 'a': 'inf' is not a value a model can use");
    refused("a,y\n1,1\n2\n", "y", NULL, "row 3 has 1 fields; the header has 2");
    refused("a,a,y\n1,2,1\n", "y", NULL, "two columns are named 'a' (1 and 2)");
    refused("a,y\n1,0\n\"unclosed,1\n2,0\n", "y", NULL, "bad.csv: row 3: field 1: unmatched quote");
    refused("", "y", NULL, "bad.csv: a header row naming at least two columns is needed");
    refused("a,y\n", "y", NULL, "bad.csv: no rows with a value of 'y' to learn from");
    refused("\xff\xfe,y\n1,0\n", "y", NULL, "the header row cannot be read (not UTF-8");
    /* text in a column of numbers: one value in 40 */
    char big[4096] = "income,y\n";
    for (int i = 0; i < 40; i++)
        snprintf(big + strlen(big), sizeof big - strlen(big), "%s,%d\n", i == 17 ? "n/a?" : "1200", i % 2);
    refused(big, "y", NULL, "row 19, column 'income': 'n/a?' is text in a column of numbers (1 of its 40 values");
}

static void a_frame_reads_types_and_warns(void **state)
{
    (void)state;
    char text[8192] = " ref , age,branch,flat,empty, churned ,customer_id\n";
    for (int i = 0; i < 60; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "C%03d,%d,%s,7,,%s,%d\n", i, 20 + i,
                 i % 3 ? "0012" : "0345", i == 5 ? "" : i % 4 ? "no" : "yes", i / 2);
    mdl_frame f;
    rp_buf w = RP_BUF_INIT;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(mdl_frame_read_csv(csv("ok.csv", text), "churned", NULL, &f, &w, &e), RP_OK);
    assert_int_equal(f.nrows, 59);
    assert_string_equal(f.positive, "yes"); /* yes of yes/no, found */
    assert_int_equal(f.npos, 15);
    assert_int_equal(f.ncols, 2);
    assert_string_equal(f.cols[0].name, "age");
    assert_int_equal(f.cols[0].kind, MDL_NUM);
    assert_string_equal(f.cols[1].name, "branch");
    assert_int_equal(f.cols[1].kind, MDL_CAT); /* 0012 is a code, not twelve */
    assert_int_equal(f.cols[1].nlevels, 2);
    const char *said = w.data;
    assert_non_null(strstr(said, "column 'ref': a different value in every row, as an identifier has: left out\n"));
    /* numbers, not all different, but its name says what it is */
    assert_non_null(strstr(said, "column 'customer_id': named as an identifier: left out\n"));
    assert_non_null(strstr(said, "column 'flat': the same value in every row: left out\n"));
    assert_non_null(strstr(said, "column 'empty': no values at all: left out\n"));
    assert_non_null(strstr(said, "1 rows without a value of 'churned' left out (the first: row 7)\n"));
    mdl_frame_free(&f);
    rp_buf_release(&w);
    /* a column that tells the classes apart without a miss is warned of */
    char leak[2048] = "x,closed_on,y\n";
    for (int i = 0; i < 30; i++)
        if (i % 2)
            snprintf(leak + strlen(leak), sizeof leak - strlen(leak), "%d,2026-01-0%d,1\n", i % 7, i % 9 + 1);
        else
            snprintf(leak + strlen(leak), sizeof leak - strlen(leak), "%d,,0\n", i % 7);
    assert_int_equal(mdl_frame_read_csv(csv("leak.csv", leak), "y", NULL, &f, &w, &e), RP_OK);
    assert_non_null(strstr(w.data, "column 'closed_on': tells '1' from '0' without a single miss"));
    assert_null(strstr(w.data, "column 'x'"));
    mdl_frame_free(&f);
    rp_buf_release(&w);
}

/* Semicolons (as spreadsheets in many locales export) and tabs are read as commas are. */
static void delimiters_are_found(void **state)
{
    (void)state;
    static const char *const files[] = { "a;b;\"c;d\";y\n1,5;x;p;1\n2,5;z;q;0\n3;x;p;1\n4;z;q;0\n",
                                         "a\tb\tc\ty\n1\tx\tp\t1\n2\tz\tq\t0\n3\tx\tp\t1\n4\tz\tq\t0\n" };
    for (int i = 0; i < 2; i++) {
        mdl_frame f;
        rp_error e = RP_ERROR_INIT;
        assert_int_equal(mdl_frame_read_csv(csv("delim.csv", files[i]), "y", NULL, &f, NULL, &e), RP_OK);
        assert_int_equal(f.nrows, 4);
        assert_int_equal(f.ncols, 3);
        assert_string_equal(f.cols[2].name, i ? "c" : "c;d"); /* a quoted name keeps its semicolon */
        assert_int_equal(f.cols[0].kind, i ? MDL_NUM : MDL_CAT); /* "1,5" is not a number here: text */
        mdl_frame_free(&f);
    }
}

static void metrics_as_done_by_hand(void **state)
{
    (void)state;
    /* positives score 0.9, 0.8, 0.6; negatives 0.7, 0.55, 0.4: 8 of 9 pairs in order */
    double p[] = { 0.9, 0.8, 0.7, 0.6, 0.55, 0.4 };
    uint8_t y[] = { 1, 1, 0, 1, 0, 0 };
    mdl_metrics m;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(mdl_metrics_of(p, y, 6, 0.5, &m, &e), RP_OK);
    assert_float_equal(m.auc, 8.0 / 9, 1e-12);
    assert_float_equal(m.gini, 7.0 / 9, 1e-12);
    assert_float_equal(m.ks, 2.0 / 3, 1e-12); /* after 0.8: 2/3 of positives, no negative */
    double ll = -(log(0.9) + log(0.8) + log(0.3) + log(0.6) + log(0.45) + log(0.6)) / 6;
    assert_float_equal(m.logloss, ll, 1e-12);
    double br = (0.01 + 0.04 + 0.49 + 0.16 + 0.3025 + 0.16) / 6;
    assert_float_equal(m.brier, br, 1e-12);
    assert_int_equal(m.tp, 3);
    assert_int_equal(m.fp, 2);
    assert_int_equal(m.tn, 1);
    assert_int_equal(m.fn, 0);
    /* ties count half */
    double q[] = { 0.5, 0.5, 0.5, 0.1 };
    uint8_t z[] = { 1, 0, 1, 0 };
    assert_int_equal(mdl_metrics_of(q, z, 4, 0.5, &m, &e), RP_OK);
    assert_float_equal(m.auc, (1 + 0.5 + 1 + 0.5) / 4, 1e-12);
    /* one class is no measure */
    assert_int_not_equal(mdl_metrics_of(q, (uint8_t[]){ 1, 1, 1, 1 }, 4, 0.5, &m, &e), RP_OK);
    assert_non_null(strstr(rp_errmsg(&e), "both classes are needed"));
}

static void splits_keep_each_class_share(void **state)
{
    (void)state;
    enum { N = 1000 };
    uint8_t y[N], test[N], again[N];
    for (int i = 0; i < N; i++)
        y[i] = i % 10 == 0; /* 100 positives */
    mdl_split_holdout(y, N, 0.3, 42, test);
    int tp = 0, tn = 0;
    for (int i = 0; i < N; i++)
        test[i] ? (y[i] ? tp++ : tn++) : 0;
    assert_int_equal(tp, 30);
    assert_int_equal(tn, 270);
    mdl_split_holdout(y, N, 0.3, 42, again);
    assert_memory_equal(test, again, N);
    mdl_split_holdout(y, N, 0.3, 43, again);
    assert_memory_not_equal(test, again, N);
    int fold[N], pos[5] = { 0 }, all[5] = { 0 };
    mdl_split_folds(y, N, 5, 7, fold);
    for (int i = 0; i < N; i++) {
        all[fold[i]]++;
        pos[fold[i]] += y[i];
    }
    for (int k = 0; k < 5; k++) {
        assert_int_equal(all[k], 200);
        assert_int_equal(pos[k], 20);
    }
}

/* y is 1 exactly when x > 60 or the colour is red or blue; x is missing for some positives. */
static void the_tree_finds_the_known_splits(void **state)
{
    (void)state;
    char text[1 << 16] = "x,colour,y\n";
    static const char *const colours[] = { "red", "green", "blue", "grey" };
    for (int i = 1; i <= 400; i++) {
        int x = (i * 37) % 100 + 1;
        const char *c = colours[(i * 7) % 4];
        int y = x > 60 || (c[0] == 'r' || c[0] == 'b');
        if (i % 50 == 0 && y)
            snprintf(text + strlen(text), sizeof text - strlen(text), ",%s,%d\n", c, y);
        else
            snprintf(text + strlen(text), sizeof text - strlen(text), "%d,%s,%d\n", x, c, y);
    }
    mdl_frame f;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(mdl_frame_read_csv(csv("tree.csv", text), "y", NULL, &f, NULL, &e), RP_OK);
    const mdl_learner *l = mdl_learner_find("tree");
    assert_non_null(l);
    mdl_params p = { .seed = 3, .n = 1, .names = { "min_leaf" }, .values = { "5" } };
    json_t *r;
    assert_int_equal(mdl_train(l, &f, &p, 0.3, 5, &r, &e), RP_OK);
    /* the classes are told apart exactly: every hold-out and every fold AUC 1 */
    assert_float_equal(json_real_value(json_object_get(json_object_get(r, "holdout"), "auc")), 1.0, 1e-12);
    assert_float_equal(json_real_value(json_object_get(json_object_get(r, "cv"), "auc_mean")), 1.0, 1e-12);
    json_t *rules = json_object_get(json_object_get(r, "model"), "rules");
    assert_int_equal(json_array_size(rules), 3);
    /* both features carry it: shuffling either costs the hold-out much of its AUC */
    json_t *imp = json_object_get(json_object_get(r, "holdout"), "importance");
    assert_int_equal(json_array_size(imp), 2);
    for (size_t k = 0; k < 2; k++)
        assert_true(json_real_value(json_object_get(json_array_get(imp, k), "auc_drop")) > 0.1);
    char *all = json_dumps(rules, JSON_COMPACT);
    /* the colours split by set (the lower rate on the left), x halfway between the 60 and the 62 the
     * training rows have, the missing x with the positives */
    assert_non_null(strstr(all, "\"text\":\"colour not in {grey, green}\""));
    assert_non_null(strstr(all, "\"rows\":84,\"positives\":0,\"p\":0.0,\"text\":\"colour in {grey, green} and x <= 61\""));
    assert_non_null(strstr(all, "\"text\":\"colour in {grey, green} and x > 61 (or missing)\""));
    free(all);
    /* the same seed, the same report */
    json_t *r2;
    assert_int_equal(mdl_train(l, &f, &p, 0.3, 5, &r2, &e), RP_OK);
    assert_true(json_object_get(json_object_get(r, "seconds"), "fit") != NULL); /* the time each took, apart */
    json_object_del(r, "seconds");
    json_object_del(r2, "seconds");
    assert_true(json_equal(r, r2));
    json_decref(r2);
    json_decref(r);
    /* settings a tree does not have, or out of range, are named */
    mdl_params bad = { .n = 1, .names = { "depth" }, .values = { "3" } };
    assert_int_not_equal(mdl_train(l, &f, &bad, 0.3, 0, &r, &e), RP_OK);
    assert_non_null(strstr(rp_errmsg(&e), "depth: the tree learner has no setting 'depth' (it has: max_depth (8), "));
    mdl_params bad2 = { .n = 1, .names = { "criterion" }, .values = { "chaos" } };
    assert_int_not_equal(mdl_train(l, &f, &bad2, 0.3, 0, &r, &e), RP_OK);
    assert_string_equal(rp_errmsg(&e), "criterion: gini or entropy, not 'chaos'");
    mdl_frame_free(&f);
}

/* Pruning: on noise, cross-validation prunes a deep tree back to (almost) its root. */
static void pruning_cuts_back_what_is_noise(void **state)
{
    (void)state;
    char text[1 << 16] = "a,b,y\n";
    uint64_t s = 99;
    for (int i = 0; i < 1000; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        snprintf(text + strlen(text), sizeof text - strlen(text), "%d,%d,%d\n", (int)(s >> 40) % 1000,
                 (int)(s >> 20) % 1000, (int)(s >> 61) == 0);
    }
    mdl_frame f;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(mdl_frame_read_csv(csv("noise.csv", text), "y", NULL, &f, NULL, &e), RP_OK);
    const mdl_learner *l = mdl_learner_find("tree");
    mdl_params grown = { .seed = 1, .n = 2, .names = { "min_leaf", "prune_folds" }, .values = { "5", "0" } };
    mdl_params pruned = { .seed = 1, .n = 1, .names = { "min_leaf" }, .values = { "5" } };
    json_t *a, *b;
    assert_int_equal(mdl_train(l, &f, &grown, 0.3, 0, &a, &e), RP_OK);
    assert_int_equal(mdl_train(l, &f, &pruned, 0.3, 0, &b, &e), RP_OK);
    json_int_t la = json_integer_value(json_object_get(json_object_get(a, "model"), "leaves"));
    json_int_t lb = json_integer_value(json_object_get(json_object_get(b, "model"), "leaves"));
    assert_true(la > 20);
    assert_true(lb <= 3);
    json_decref(a);
    json_decref(b);
    mdl_frame_free(&f);
}

/* The coefficient of a term in a logit's description: feature, level (or NULL), missing. */
static double coef(json_t *d, const char *feature, const char *level, int missing)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(d, "coefficients"), i, c) {
        const char *l = json_string_value(json_object_get(c, "level"));
        if (!strcmp(json_string_value(json_object_get(c, "feature")), feature) && (level ? l && !strcmp(l, level) : !l) &&
            json_is_true(json_object_get(c, "missing")) == missing)
            return json_real_value(json_object_get(c, "coef"));
    }
    fail_msg("no coefficient of %s %s", feature, level ? level : "");
    return NAN;
}

/* Logistic regression on tests/fixtures/models/churn.csv against scikit-learn's on the same design
 * (the numbers tests/fixtures/models/expected.py prints): unpenalised, L2 and L1. */
static void logit_as_scikit_learn(void **state)
{
    (void)state;
    mdl_frame f;
    rp_error e = RP_ERROR_INIT;
    const char *path = access("../tests/fixtures/models/churn.csv", R_OK) ? "tests/fixtures/models/churn.csv"
                                                                          : "../tests/fixtures/models/churn.csv";
    assert_int_equal(mdl_frame_read_csv(path, "churned", NULL, &f, NULL, &e), RP_OK);
    size_t *rows = malloc(f.nrows * sizeof *rows);
    for (size_t i = 0; i < f.nrows; i++)
        rows[i] = i;
    const mdl_learner *l = mdl_learner_find("logit");
    static const struct {
        const char *penalty, *C;
        double intercept, age, income, income_missing, products, b0012, b0345, b0101, b0999, tol;
    } want[] = {
        /* unpenalised: the exact maximum (expected.py's Newton; scikit-learn's L-BFGS is within 1.2e-4) */
        { "none", "1", -2.314755, 0.461696, -0.053110, -0.278682, -0.997761, NAN, 0.030592, 0.311588, 0.802938, 1e-5 },
        { "l2", "0.01", -1.811548, 0.304274, -0.037787, -0.013945, -0.647106, -0.100265, -0.088325, 0.004793, 0.183791,
          1e-4 },
        { "l1", "0.02", -1.826917, 0.219126, 0, 0, -0.711199, 0, 0, 0, 0, 1e-3 },
    };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        mdl_params p = { .n = 3, .names = { "penalty", "C", "tol" }, .values = { want[k].penalty, want[k].C, "1e-12" } };
        mdl_model *m;
        assert_int_equal(l->fit(&f, rows, f.nrows, &p, &m, &e), RP_OK);
        json_t *d = l->describe(m, &f);
        double tol = want[k].tol;
        assert_float_equal(json_real_value(json_object_get(d, "intercept_standardised")), want[k].intercept, tol);
        assert_float_equal(coef(d, "age", NULL, 0), want[k].age, tol);
        assert_float_equal(coef(d, "income", NULL, 0), want[k].income, tol);
        assert_float_equal(coef(d, "income", NULL, 1), want[k].income_missing, tol);
        assert_float_equal(coef(d, "products", NULL, 0), want[k].products, tol);
        if (!isnan(want[k].b0012))
            assert_float_equal(coef(d, "branch", "0012", 0), want[k].b0012, tol);
        assert_float_equal(coef(d, "branch", "0345", 0), want[k].b0345, tol);
        assert_float_equal(coef(d, "branch", "0101", 0), want[k].b0101, tol);
        assert_float_equal(coef(d, "branch", "0999", 0), want[k].b0999, tol);
        json_decref(d);
        l->free(m);
    }
    /* its settings are checked */
    mdl_params bad = { .n = 1, .names = { "penalty" }, .values = { "l3" } };
    mdl_model *m;
    assert_int_not_equal(l->fit(&f, rows, f.nrows, &bad, &m, &e), RP_OK);
    assert_string_equal(rp_errmsg(&e), "penalty: l2, l1, elasticnet or none, not 'l3'");
    free(rows);
    mdl_frame_free(&f);
}

/* Each learner's hold-out AUC on the fixture against scikit-learn's on the same split (rows whose
 * number ends in 0, 1 or 2 are the test; expected.py prints its AUCs), within 0.01 or better. */
static void learners_rank_as_well_as_scikit_learn(void **state)
{
    (void)state;
    mdl_frame f;
    rp_error e = RP_ERROR_INIT;
    const char *path = access("../tests/fixtures/models/churn.csv", R_OK) ? "tests/fixtures/models/churn.csv"
                                                                          : "../tests/fixtures/models/churn.csv";
    assert_int_equal(mdl_frame_read_csv(path, "churned", NULL, &f, NULL, &e), RP_OK);
    size_t *tr = malloc(f.nrows * sizeof *tr), *te = malloc(f.nrows * sizeof *te), ntr = 0, nte = 0;
    for (size_t i = 0; i < f.nrows; i++) {
        if (i % 10 < 3)
            te[nte++] = i;
        else
            tr[ntr++] = i;
    }
    double *p = malloc(nte * sizeof *p);
    uint8_t *y = malloc(nte);
    for (size_t i = 0; i < nte; i++)
        y[i] = f.y[te[i]];
    static const struct {
        const char *learner, *names[3], *values[3];
        int n;
        double sklearn;
    } cases[] = {
        { "logit", { "C" }, { "1" }, 1, 0.7887 },
        { "tree", { "max_depth", "min_leaf", "prune_folds" }, { "5", "20", "0" }, 3, 0.7220 },
        { "gbm", { "early_stopping" }, { "off" }, 1, 0.6867 },
        { "mlp", { 0 }, { 0 }, 0, 0.7732 },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const mdl_learner *l = mdl_learner_find(cases[k].learner);
        mdl_params prm = { .seed = 1, .n = cases[k].n };
        for (int j = 0; j < cases[k].n; j++) {
            prm.names[j] = cases[k].names[j];
            prm.values[j] = cases[k].values[j];
        }
        mdl_model *m;
        mdl_metrics met;
        assert_int_equal(l->fit(&f, tr, ntr, &prm, &m, &e), RP_OK);
        l->predict(m, &f, te, nte, p);
        assert_int_equal(mdl_metrics_of(p, y, nte, 0.5, &met, &e), RP_OK);
        l->free(m);
        /* as good as scikit-learn's, or better: never more than 0.01 worse */
        if (met.auc < cases[k].sklearn - 0.01)
            fail_msg("%s: AUC %.4f, scikit-learn's %.4f", cases[k].learner, met.auc, cases[k].sklearn);
        print_message("%s: AUC %.4f, scikit-learn's %.4f\n", cases[k].learner, met.auc, cases[k].sklearn);
    }
    free(tr);
    free(te);
    free(p);
    free(y);
    mdl_frame_free(&f);
}

/* Gradient boosting finds an interaction a linear model cannot see, uses missing values, and stops
 * early on noise. */
static void boosting_finds_interactions_and_stops_on_noise(void **state)
{
    (void)state;
    static char text[1 << 20];
    strcpy(text, "a,b,kind,y\n");
    uint64_t s = 11;
    for (int i = 0; i < 4000; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        double a = (double)(s >> 11) / 9007199254740992.0;
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        double b = (double)(s >> 11) / 9007199254740992.0;
        int y = (a > 0.5) != (b > 0.5); /* xor: no line separates it */
        const char *kind = i % 3 ? "p" : "q";
        if (i % 17 == 0)
            snprintf(text + strlen(text), sizeof text - strlen(text), ",%.4f,%s,%d\n", b, kind, y);
        else
            snprintf(text + strlen(text), sizeof text - strlen(text), "%.4f,%.4f,%s,%d\n", a, b, kind, y);
    }
    mdl_frame f;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(mdl_frame_read_csv(csv("xor.csv", text), "y", NULL, &f, NULL, &e), RP_OK);
    mdl_params none = { .seed = 5 };
    json_t *g, *l;
    assert_int_equal(mdl_train(mdl_learner_find("gbm"), &f, &none, 0.3, 0, &g, &e), RP_OK);
    assert_int_equal(mdl_train(mdl_learner_find("logit"), &f, &none, 0.3, 0, &l, &e), RP_OK);
    double ga = json_real_value(json_object_get(json_object_get(g, "holdout"), "auc"));
    double la = json_real_value(json_object_get(json_object_get(l, "holdout"), "auc"));
    assert_true(ga > 0.93); /* the rows without a are the ones it cannot tell */
    assert_true(la < 0.6);
    /* a network of two layers learns it too, the same for a seed */
    mdl_params two = { .seed = 5, .n = 2, .names = { "hidden_layer_sizes", "max_iter" }, .values = { "16;8", "60" } };
    json_t *nn, *nn2;
    assert_int_equal(mdl_train(mdl_learner_find("mlp"), &f, &two, 0.3, 0, &nn, &e), RP_OK);
    assert_int_equal(mdl_train(mdl_learner_find("mlp"), &f, &two, 0.3, 0, &nn2, &e), RP_OK);
    assert_true(json_real_value(json_object_get(json_object_get(nn, "holdout"), "auc")) > 0.9);
    json_object_del(nn, "seconds");
    json_object_del(nn2, "seconds");
    assert_true(json_equal(nn, nn2));
    assert_int_equal(json_array_size(json_object_get(json_object_get(nn, "model"), "hidden_layers")), 2);
    json_decref(nn);
    json_decref(nn2);
    mdl_params wide = { .n = 1, .names = { "hidden_layer_sizes" }, .values = { "8;8;8" } };
    assert_int_not_equal(mdl_params_check(mdl_learner_find("mlp"), &wide, &e), RP_OK);
    assert_string_equal(rp_errmsg(&e), "hidden_layer_sizes: one or two layers of 1 to 1024 units (100, or 32;16), not '8;8;8'");
    json_t *again;
    assert_int_equal(mdl_train(mdl_learner_find("gbm"), &f, &none, 0.3, 0, &again, &e), RP_OK);
    json_object_del(g, "seconds");
    json_object_del(again, "seconds");
    assert_true(json_equal(g, again));
    json_decref(again);
    json_decref(g);
    json_decref(l);
    mdl_frame_free(&f);
    /* noise: early stopping ends the rounds long before 100 */
    strcpy(text, "a,y\n");
    for (int i = 0; i < 16000; i++) { /* 11,200 to fit: past 10,000, early stopping is on */
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        int a = (int)((s >> 20) % 1000);
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        snprintf(text + strlen(text), sizeof text - strlen(text), "%d,%d\n", a, (int)(s >> 63));
    }
    assert_int_equal(mdl_frame_read_csv(csv("noise2.csv", text), "y", NULL, &f, NULL, &e), RP_OK);
    assert_int_equal(mdl_train(mdl_learner_find("gbm"), &f, &none, 0.3, 0, &g, &e), RP_OK);
    json_t *m = json_object_get(g, "model");
    assert_true(json_is_true(json_object_get(m, "stopped_early")));
    assert_true(json_integer_value(json_object_get(m, "rounds_run")) < 40);
    json_decref(g);
    mdl_params bad = { .n = 1, .names = { "early_stopping" }, .values = { "maybe" } };
    assert_int_not_equal(mdl_params_check(mdl_learner_find("gbm"), &bad, &e), RP_OK);
    assert_string_equal(rp_errmsg(&e), "early_stopping: auto, on or off, not 'maybe'");
    mdl_frame_free(&f);
}

/* The scorecard: weights of evidence and information values as the textbook's formulas give them
 * from the band counts (worked here by hand), points that add up to the score, and the score that
 * says the odds: base_score at base_odds, pdo more points for twice the odds. */
static void a_scorecard_as_the_textbook(void **state)
{
    (void)state;
    /* grade A: 80 good, 20 bad; B: 50 good, 50 bad; C: 20 good, 80 bad (the bad is the positive) */
    char text[1 << 14] = "grade,bad\n";
    static const struct { const char *g; int good, bad; } cells[] = { { "A", 80, 20 }, { "B", 50, 50 }, { "C", 20, 80 } };
    for (int c = 0; c < 3; c++) {
        for (int i = 0; i < cells[c].good; i++)
            snprintf(text + strlen(text), sizeof text - strlen(text), "%s,0\n", cells[c].g);
        for (int i = 0; i < cells[c].bad; i++)
            snprintf(text + strlen(text), sizeof text - strlen(text), "%s,1\n", cells[c].g);
    }
    mdl_frame f;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(mdl_frame_read_csv(csv("grades.csv", text), "bad", NULL, &f, NULL, &e), RP_OK);
    size_t rows[300];
    for (size_t i = 0; i < f.nrows; i++)
        rows[i] = i;
    const mdl_learner *l = mdl_learner_find("scorecard");
    mdl_params p = { .seed = 1 };
    mdl_model *m;
    assert_int_equal(l->fit(&f, rows, f.nrows, &p, &m, &e), RP_OK);
    json_t *d = l->describe(m, &f);
    json_t *ft = json_array_get(json_object_get(d, "features"), 0);
    json_t *bands = json_object_get(ft, "bands");
    assert_int_equal(json_array_size(bands), 3);
    double iv = 0, points[3];
    for (int c = 0; c < 3; c++) {
        json_t *b = json_array_get(bands, (size_t)c);
        assert_string_equal(json_string_value(json_object_get(b, "band")), cells[c].g);
        double pg = (cells[c].good + 0.5) / (150 + 1.5), pb = (cells[c].bad + 0.5) / (150 + 1.5);
        assert_float_equal(json_real_value(json_object_get(b, "woe")), log(pg / pb), 1e-12);
        iv += (pg - pb) * log(pg / pb);
        points[c] = json_real_value(json_object_get(b, "points"));
    }
    assert_float_equal(json_real_value(json_object_get(ft, "iv")), iv, 1e-12);
    /* one feature whose WoE is the log-odds of its bands: the regression gives it a coefficient of -1
     * (to the smoothing), and the score of each band says its odds of good to bad */
    assert_float_equal(json_real_value(json_object_get(ft, "coef")), -1, 0.02);
    double factor = 20 / log(2), offset = 600 - factor * log(50);
    assert_float_equal(json_real_value(json_object_get(d, "factor")), factor, 1e-9);
    assert_float_equal(json_real_value(json_object_get(d, "offset")), offset, 1e-9);
    double prob[3];
    size_t one[3] = { 0, 100, 200 }; /* a row of each grade */
    l->predict(m, &f, one, 3, prob);
    for (int c = 0; c < 3; c++) {
        /* the probability from the points, and the points from the probability */
        double odds = (1 - prob[c]) / prob[c];
        assert_float_equal(points[c], offset + factor * log(odds), 1e-6);
        assert_float_equal(prob[c], (double)cells[c].bad / 100, 0.01); /* the band's own rate */
    }
    assert_true(points[0] > points[1] && points[1] > points[2]);
    assert_float_equal(points[0] - points[2], factor * log((80.0 / 20) / (20.0 / 80)), 1.0); /* ~ pdo per doubling */
    json_decref(d);
    l->free(m);
    mdl_frame_free(&f);
    /* nothing informative: said, not modelled */
    char flat[4096] = "x,bad\n";
    for (int i = 0; i < 200; i++)
        snprintf(flat + strlen(flat), sizeof flat - strlen(flat), "%d,%d\n", i % 2, (i / 2) % 2);
    assert_int_equal(mdl_frame_read_csv(csv("flat.csv", flat), "bad", NULL, &f, NULL, &e), RP_OK);
    size_t all[200];
    for (size_t i = 0; i < 200; i++)
        all[i] = i;
    assert_int_not_equal(l->fit(&f, all, 200, &p, &m, &e), RP_OK);
    assert_string_equal(rp_errmsg(&e), "scorecard: no feature has an information value of 0.02 or more (iv_min)");
    mdl_frame_free(&f);
}

static void sample_sizes_as_the_textbook(void **state)
{
    (void)state;
    assert_float_equal(mdl_z(0.80), 1.281552, 1e-6);
    assert_float_equal(mdl_z(0.90), 1.644854, 1e-6);
    assert_float_equal(mdl_z(0.95), 1.959964, 1e-6);
    int64_t n;
    rp_error e = RP_ERROR_INIT;
    assert_int_equal(mdl_sample_rate(0.5, 0.05, 0.95, &n, &e), RP_OK);
    assert_int_equal(n, 385); /* 384.16 */
    assert_int_equal(mdl_sample_rate(0.02, 0.005, 0.90, &n, &e), RP_OK);
    assert_int_equal(n, 2122); /* 2121.2 */
    assert_int_equal(mdl_sample_lift(0.02, 0.03, 0.95, 0.80, &n, &e), RP_OK);
    assert_int_equal(n, 3826); /* 3825.1, Fleiss without continuity correction */
    assert_int_not_equal(mdl_sample_rate(1.2, 0.05, 0.95, &n, &e), RP_OK);
    assert_string_equal(rp_errmsg(&e), "rate: a number between 0 and 1, not 1.2");
    assert_int_not_equal(mdl_sample_lift(0.02, 0.02, 0.95, 0.8, &n, &e), RP_OK);
    assert_non_null(strstr(rp_errmsg(&e), "no difference to detect"));
}

/* Settings with alternatives: every combination, checked; the best chosen on a validation quarter. */
static void settings_are_tuned_on_a_validation_quarter(void **state)
{
    (void)state;
    mdl_params p = { .seed = 3 }, grid[MDL_MAX_TRIALS];
    char buf[512];
    int n;
    rp_error e = RP_ERROR_INIT;
    p.names[0] = "max_depth", p.values[0] = "1|3";
    p.names[1] = "min_leaf", p.values[1] = "5|10|20";
    p.n = 2;
    assert_ok(mdl_grid(&p, grid, MDL_MAX_TRIALS, &n, buf, sizeof buf, &e));
    assert_int_equal(n, 6);
    assert_string_equal(grid[0].values[0], "1");
    assert_string_equal(grid[0].values[1], "5");
    assert_string_equal(grid[1].values[0], "3");
    assert_string_equal(grid[1].values[1], "5");
    assert_string_equal(grid[5].values[0], "3");
    assert_string_equal(grid[5].values[1], "20");
    assert_int_equal(grid[5].seed, 3);
    p.values[1] = "5||20";
    assert_int_equal(mdl_grid(&p, grid, MDL_MAX_TRIALS, &n, buf, sizeof buf, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "min_leaf: an empty alternative in '5||20'");
    p.values[1] = "1|2|3|4|5|6|7|8|9";
    assert_int_equal(mdl_grid(&p, grid, MDL_MAX_TRIALS, &n, buf, sizeof buf, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "min_leaf: at most 8 alternatives");
    p.names[2] = "prune_folds", p.values[2] = "0|1|2|3|4|5|6|7", p.n = 3;
    p.values[1] = "1|2|3|4|5|6|7|8";
    assert_int_equal(mdl_grid(&p, grid, MDL_MAX_TRIALS, &n, buf, sizeof buf, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "--set: more than 64 combinations of settings to try");
    /* y = [a > 1/2] xor [b > 1/2]: a stump cannot see it, a tree of depth 3 can */
    static char text[1 << 16];
    strcpy(text, "a,b,y\n");
    uint64_t r = 7;
    for (int i = 0; i < 2000; i++) {
        double a = (double)(mdl__next(&r) % 1000) / 1000, b = (double)(mdl__next(&r) % 1000) / 1000;
        snprintf(text + strlen(text), sizeof text - strlen(text), "%.3f,%.3f,%d\n", a, b, (a > 0.5) != (b > 0.5));
    }
    mdl_frame f;
    rp_buf w = RP_BUF_INIT;
    assert_ok(mdl_frame_read_csv(csv("xor.csv", text), "y", NULL, &f, &w, &e));
    p = (mdl_params){ .seed = 3, .n = 2 };
    p.names[0] = "max_depth", p.values[0] = "1|3";
    p.names[1] = "prune_folds", p.values[1] = "0";
    assert_ok(mdl_grid(&p, grid, MDL_MAX_TRIALS, &n, buf, sizeof buf, &e));
    int best;
    json_t *trials;
    assert_ok(mdl_tune(mdl_learner_find("tree"), &f, grid, n, 0.3, &best, &trials, &e));
    assert_int_equal(best, 1);
    assert_int_equal(json_array_size(trials), 2);
    assert_true(json_real_value(json_object_get(json_array_get(trials, 0), "auc")) < 0.6);
    assert_true(json_real_value(json_object_get(json_array_get(trials, 1), "auc")) > 0.95);
    assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(trials, 1), "params"),
                                                          "max_depth")), "3");
    json_decref(trials);
    mdl_frame_free(&f);
    rp_buf_release(&w);
}

/* Every learner's model kept as JSON (as text, as the store keeps it) and read back scores every row
 * exactly as before; a document that does not fit is refused by name. */
static void models_are_kept_and_read_back(void **state)
{
    (void)state;
    const char *path = access("../tests/fixtures/models/churn.csv", R_OK) ? "tests/fixtures/models/churn.csv"
                                                                          : "../tests/fixtures/models/churn.csv";
    mdl_frame f;
    rp_error e = RP_ERROR_INIT;
    assert_ok(mdl_frame_read_csv(path, "churned", NULL, &f, NULL, &e));
    size_t n = f.nrows, *rows = malloc(n * sizeof *rows);
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    for (size_t i = 0; i < n; i++)
        rows[i] = i;
    for (int k = 0; k < mdl_nlearners; k++) {
        const mdl_learner *l = mdl_learners[k];
        mdl_params p = { .seed = 5 };
        if (!strcmp(l->name, "mlp"))
            p.names[0] = "max_iter", p.values[0] = "20", p.n = 1;
        if (!strcmp(l->name, "gbm"))
            p.names[0] = "max_iter", p.values[0] = "30", p.n = 1;
        mdl_model *m, *back;
        assert_ok(l->fit(&f, rows, n, &p, &m, &e));
        l->predict(m, &f, rows, n, a);
        json_t *doc;
        assert_ok(mdl_model_save(l, m, &f, &doc, &e));
        char *text = json_dumps(doc, JSON_COMPACT);
        json_decref(doc);
        json_t *again = json_loads(text, 0, NULL);
        const mdl_learner *l2;
        mdl_frame schema;
        assert_ok(mdl_model_load(again, &l2, &schema, &back, &e));
        assert_ptr_equal(l2, l);
        assert_int_equal(schema.ncols, f.ncols);
        l->predict(back, &f, rows, n, b);
        for (size_t i = 0; i < n; i++)
            if (a[i] != b[i])
                fail_msg("%s: row %zu scored %.17g, read back %.17g", l->name, i, a[i], b[i]);
        /* the body of another learner does not fit */
        json_object_set_new(again, "learner", json_string(k ? mdl_learners[0]->name : mdl_learners[1]->name));
        mdl_model *wrong = NULL;
        mdl_frame s2;
        int rc = mdl_model_load(again, &l2, &s2, &wrong, &e);
        if (!rc) { /* a body may happen to parse as another's: then it must still score */
            l2->free(wrong);
            mdl_frame_free(&s2);
        } else {
            assert_int_equal(rc, RP_PARSE);
        }
        json_object_set_new(again, "learner", json_string("forest"));
        assert_int_equal(mdl_model_load(again, &l2, &s2, &wrong, &e), RP_PARSE);
        assert_string_equal(rp_errmsg(&e), "model: no learner 'forest' here to read it");
        json_decref(again);
        free(text);
        l->free(m);
        l->free(back);
        mdl_frame_free(&schema);
    }
    free(rows), free(a), free(b);
    mdl_frame_free(&f);
}

/* A file to score read as the training file was: columns by name in any order, the model's levels
 * (a code means what it meant), an unseen level missing and said; a missing column and text where
 * the model had numbers refused by name and row. */
static void a_file_to_score_is_read_as_the_training_file(void **state)
{
    (void)state;
    mdl_frame f, g;
    rp_buf w = RP_BUF_INIT;
    rp_error e = RP_ERROR_INIT;
    char **ids;
    assert_ok(mdl_frame_read_csv(csv("train.csv", "a,b,y\n1,x,0\n2,y,1\n3,x,0\n4,y,1\n5,x,1\n"), "y", NULL, &f, NULL, &e));
    assert_ok(mdl_frame_read_like(csv("score.csv", "b,a,id\ny,10,r1\nz,,r2\nx,7,r3\n"), &f, "id", &g, &ids, &w, &e));
    assert_int_equal(g.nrows, 3);
    assert_int_equal(g.ncols, 2);
    assert_string_equal(g.cols[0].name, "a");
    assert_true(g.cols[0].x[0] == 10 && isnan(g.cols[0].x[1]) && g.cols[0].x[2] == 7);
    assert_string_equal(g.cols[1].name, "b");
    assert_int_equal(g.cols[1].nlevels, 2);
    assert_string_equal(g.cols[1].levels[0], "x");
    assert_string_equal(g.cols[1].levels[1], "y");
    assert_int_equal(g.cols[1].code[0], 1);
    assert_int_equal(g.cols[1].code[1], -1);
    assert_int_equal(g.cols[1].code[2], 0);
    assert_null(g.target); /* the file has no target */
    assert_string_equal(ids[1], "r2");
    assert_string_equal(w.data, "column 'b': 1 rows with a value the model has not seen (the first at row 3): taken as "
                                "missing\n");
    for (int i = 0; i < 3; i++)
        free(ids[i]);
    free(ids);
    mdl_frame_free(&g);
    assert_int_equal(mdl_frame_read_like(csv("s2.csv", "b,id\nx,1\n"), &f, NULL, &g, &ids, NULL, &e), RP_INVAL);
    assert_non_null(strstr(rp_errmsg(&e), "s2.csv has no column 'a', which the model was trained on"));
    assert_int_equal(mdl_frame_read_like(csv("s3.csv", "a,b\n1,x\nlots,y\n"), &f, NULL, &g, &ids, NULL, &e), RP_INVAL);
    assert_non_null(strstr(rp_errmsg(&e), "s3.csv: row 3, column 'a': 'lots' is not a number, as the model's column is"));
    mdl_frame_free(&f);
    rp_buf_release(&w);
}

/* The Qini curve and coefficient and the area under the uplift curve of six rows, worked by hand:
 * (score, group, response) = (.9 T 1) (.8 C 0) (.7 T 1) (.6 C 1) (.5 T 0) (.4 C 0).  Down the ranking
 * g = 1, 1, 2, 2 - 1*2/2 = 1, 2 - 1*3/2 = .5, 2 - 1 = 1; the trapezoids give 1, the random line 1/2:
 * Qini 1/2.  The uplift curve 1, 1, 1, 1/2, 1/6, 1/3 gives 46/72.  Equal scores are one block: 0. */
static void qini_as_worked_by_hand(void **state)
{
    (void)state;
    double s[] = { .9, .8, .7, .6, .5, .4 };
    uint8_t y[] = { 1, 0, 1, 1, 0, 0 }, tr[] = { 1, 0, 1, 0, 1, 0 };
    mdl_qini_out q;
    rp_error e = RP_ERROR_INIT;
    assert_ok(mdl_qini(s, y, tr, 6, &q, &e));
    assert_true(fabs(q.qini - 0.5) < 1e-12);
    assert_true(fabs(q.auuc - 46.0 / 72) < 1e-12);
    assert_true(fabs(q.gain - 1) < 1e-12);
    assert_true(fabs(q.uplift - 1.0 / 3) < 1e-12);
    double curve[] = { 1, 1, 1, 2, 2, 1, .5, .5, 1, 1 };
    for (int d = 0; d < 10; d++)
        assert_true(fabs(q.curve[d] - curve[d]) < 1e-12);
    /* shuffled input, same answer; all scores equal: no ranking at all */
    double s2[] = { .5, .4, .9, .6, .7, .8 };
    uint8_t y2[] = { 0, 0, 1, 1, 1, 0 }, tr2[] = { 1, 0, 1, 0, 1, 0 };
    assert_ok(mdl_qini(s2, y2, tr2, 6, &q, &e));
    assert_true(fabs(q.qini - 0.5) < 1e-12);
    double flat[] = { 1, 1, 1, 1, 1, 1 };
    assert_ok(mdl_qini(flat, y, tr, 6, &q, &e));
    assert_true(fabs(q.qini) < 1e-12);
    uint8_t none[] = { 1, 1, 1, 1, 1, 1 };
    assert_int_equal(mdl_qini(s, y, none, 6, &q, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "uplift: 6 treated and 0 control rows; both are needed");
}

/* Uplift models find whom the treatment moves: y ~ 0.1 + 0.4 [treated and x > 1/2], a noise column
 * beside; cross-fitted, both methods rank the movable first (Qini at least 0.8 of the oracle's, which
 * knows the rule), the same twice for a seed; the treatment column is taken out of the frame. */
static void uplift_models_find_whom_the_treatment_moves(void **state)
{
    (void)state;
    static char text[1 << 18];
    strcpy(text, "x,noise,grp,y\n");
    uint64_t r = 11;
    for (int i = 0; i < 6000; i++) {
        double x = (double)(mdl__next(&r) % 1000) / 1000, noise = (double)(mdl__next(&r) % 1000) / 1000;
        int t = mdl__next(&r) % 2;
        double p = 0.1 + (t && x > 0.5 ? 0.4 : 0);
        snprintf(text + strlen(text), sizeof text - strlen(text), "%.3f,%.3f,%s,%d\n", x, noise, t ? "T" : "C",
                 (double)(mdl__next(&r) % 10000) / 10000 < p);
    }
    mdl_frame f;
    rp_error e = RP_ERROR_INIT;
    assert_ok(mdl_frame_read_csv(csv("uplift.csv", text), "y", NULL, &f, NULL, &e));
    uint8_t *tr = malloc(f.nrows);
    assert_int_equal(mdl_frame_treatment(&f, "grp", "X", tr, &e), RP_INVAL);
    assert_string_equal(rp_errmsg(&e), "treatment: 'X' is not a value of 'grp' (it has 'T' and 'C')");
    assert_ok(mdl_frame_treatment(&f, "grp", "T", tr, &e));
    assert_int_equal(f.ncols, 2);
    double *u = malloc(f.nrows * sizeof *u), *o = malloc(f.nrows * sizeof *o), *again = malloc(f.nrows * sizeof *again);
    for (size_t i = 0; i < f.nrows; i++)
        o[i] = f.cols[0].x[i] > 0.5;
    mdl_qini_out oracle, q;
    assert_ok(mdl_qini(o, f.y, tr, f.nrows, &oracle, &e));
    mdl_params p = { .seed = 2, .n = 1 };
    p.names[0] = "max_depth", p.values[0] = "2";
    const mdl_learner *tree = mdl_learner_find("tree");
    for (int m = 0; m < 2; m++) {
        assert_ok(mdl_uplift_crossfit(tree, &f, tr, &p, (mdl_uplift_method)m, 5, u, &e));
        assert_ok(mdl_qini(u, f.y, tr, f.nrows, &q, &e));
        if (q.qini < 0.8 * oracle.qini)
            fail_msg("method %d: Qini %.2f of the oracle's %.2f", m, q.qini, oracle.qini);
        assert_ok(mdl_uplift_crossfit(tree, &f, tr, &p, (mdl_uplift_method)m, 5, again, &e));
        assert_memory_equal(u, again, f.nrows * sizeof *u);
    }
    free(tr), free(u), free(o), free(again);
    mdl_frame_free(&f);
}

static int by_value_then_id(const void *a, const void *b)
{
    const double *u = a, *v = b; /* pairs (value, id) */
    return u[0] < v[0] ? -1 : u[0] > v[0] ? 1 : u[1] < v[1] ? -1 : u[1] > v[1];
}

/* A frame of n rows: x0, x1 numbers (x1 missing in one row of 7), c a category of 4 levels, y from a
 * logistic of them, by seed. */
static void synthetic_frame(mdl_frame *f, size_t n, uint64_t seed)
{
    memset(f, 0, sizeof *f);
    f->nrows = n;
    f->ncols = 3;
    f->cols = calloc(3, sizeof *f->cols);
    f->y = malloc(n);
    f->target = strdup("y");
    f->positive = strdup("1");
    f->negative = strdup("0");
    static const char *const lv[] = { "a", "b", "c", "d" };
    f->cols[0] = (mdl_col){ .name = strdup("x0"), .kind = MDL_NUM, .x = malloc(n * sizeof(double)) };
    f->cols[1] = (mdl_col){ .name = strdup("x1"), .kind = MDL_NUM, .x = malloc(n * sizeof(double)) };
    f->cols[2] = (mdl_col){ .name = strdup("c"), .kind = MDL_CAT, .code = malloc(n * sizeof(int32_t)),
                            .levels = malloc(4 * sizeof(char *)), .nlevels = 4 };
    for (int k = 0; k < 4; k++)
        f->cols[2].levels[k] = strdup(lv[k]);
    for (size_t i = 0; i < n; i++) {
        double u = (double)(mdl__next(&seed) >> 11) / 9007199254740992.0;
        double v = (double)(mdl__next(&seed) >> 11) / 9007199254740992.0;
        int c = (int)(mdl__next(&seed) % 4);
        f->cols[0].x[i] = round(u * 1000) / 100; /* ties: many rows share a value */
        f->cols[1].x[i] = i % 7 == 3 ? NAN : v * 4 - 2;
        f->cols[2].code[i] = c;
        double z = 0.4 * (f->cols[0].x[i] - 5) - (i % 7 == 3 ? 0.5 : f->cols[1].x[i]) + (c == 2 ? 1.0 : 0);
        f->y[i] = (double)(mdl__next(&seed) >> 11) / 9007199254740992.0 < 1 / (1 + exp(-z));
        f->npos += f->y[i];
    }
    f->cols[1].missing = (n + 3) / 7;
}

/* The fast paths change nothing a user sees: the radix sort sorts as a stable comparison sort does,
 * scores on many cores are the scores on one, and a logistic regression fitted with its Newton
 * steps' matrix summed over a sample (past 131,072 rows) still solves the likelihood's equations. */
static void fast_paths_give_the_same_answers(void **state)
{
    (void)state;
    enum { N = 5000 };
    double *x = malloc(N * sizeof *x), *pairs = malloc(2 * N * sizeof *pairs);
    uint32_t *id = malloc(N * sizeof *id);
    uint64_t s = 42;
    for (int i = 0; i < N; i++) {
        int k = (int)(mdl__next(&s) % 6);
        x[i] = k == 0 ? 0.0 : k == 1 ? -0.0 : k == 2 ? (double)(mdl__next(&s) % 10) - 5 : k == 3 ? -1e300 * (i % 2 ? 1 : -1)
             : (double)(int64_t)mdl__next(&s) / 1e9;
        id[i] = (uint32_t)i;
        pairs[2 * i] = x[i];
        pairs[2 * i + 1] = i;
    }
    assert_int_equal(mdl__sort_pairs(x, id, N), RP_OK);
    qsort(pairs, N, 2 * sizeof *pairs, by_value_then_id);
    for (int i = 0; i < N; i++) {
        assert_true(x[i] == pairs[2 * i]);
        if (!(x[i] == 0)) /* -0 and +0 are equal to the comparison; the radix puts -0 first */
            assert_int_equal(id[i], (uint32_t)pairs[2 * i + 1]);
        if (i)
            assert_true(x[i - 1] <= x[i]);
    }
    free(x), free(pairs), free(id);

    mdl_frame f;
    synthetic_frame(&f, 140000, 7);
    size_t *rows = malloc(f.nrows * sizeof *rows);
    double *one = malloc(f.nrows * sizeof *one), *many = malloc(f.nrows * sizeof *many);
    for (size_t i = 0; i < f.nrows; i++)
        rows[i] = i;
    rp_error e = RP_ERROR_INIT;
    const char *learners[] = { "tree", "gbm", "logit" };
    for (int k = 0; k < 3; k++) {
        const mdl_learner *l = mdl_learner_find(learners[k]);
        mdl_params p = { .seed = 1, .n = 1, .names = { k == 0 ? "prune_folds" : k == 1 ? "max_iter" : "penalty" },
                         .values = { k == 0 ? "0" : k == 1 ? "20" : "none" } };
        mdl_model *m;
        assert_int_equal(l->fit(&f, rows, f.nrows, &p, &m, &e), RP_OK);
        l->predict(m, &f, rows, f.nrows, one);
        mdl_predict(l, m, &f, rows, f.nrows, many);
        assert_memory_equal(one, many, f.nrows * sizeof *one);
        if (k == 2) { /* the score equations: sum (y - p) = 0 and sum (y - p) x = 0 for each term */
            double g0 = 0, g1 = 0, gc = 0;
            for (size_t i = 0; i < f.nrows; i++) {
                double r = f.y[i] - one[i];
                g0 += r;
                g1 += r * f.cols[0].x[i];
                gc += r * (f.cols[2].code[i] == 2);
            }
            assert_true(fabs(g0) / (double)f.nrows < 1e-7);
            assert_true(fabs(g1) / (double)f.nrows < 1e-6);
            assert_true(fabs(gc) / (double)f.nrows < 1e-7);
        }
        l->free(m);
    }
    free(rows), free(one), free(many);
    mdl_frame_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bad_files_are_refused_by_row_and_column),
        cmocka_unit_test(a_frame_reads_types_and_warns),
        cmocka_unit_test(delimiters_are_found),
        cmocka_unit_test(metrics_as_done_by_hand),
        cmocka_unit_test(splits_keep_each_class_share),
        cmocka_unit_test(the_tree_finds_the_known_splits),
        cmocka_unit_test(pruning_cuts_back_what_is_noise),
        cmocka_unit_test(logit_as_scikit_learn),
        cmocka_unit_test(learners_rank_as_well_as_scikit_learn),
        cmocka_unit_test(boosting_finds_interactions_and_stops_on_noise),
        cmocka_unit_test(a_scorecard_as_the_textbook),
        cmocka_unit_test(sample_sizes_as_the_textbook),
        cmocka_unit_test(settings_are_tuned_on_a_validation_quarter),
        cmocka_unit_test(models_are_kept_and_read_back),
        cmocka_unit_test(a_file_to_score_is_read_as_the_training_file),
        cmocka_unit_test(qini_as_worked_by_hand),
        cmocka_unit_test(uplift_models_find_whom_the_treatment_moves),
        cmocka_unit_test(fast_paths_give_the_same_answers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
