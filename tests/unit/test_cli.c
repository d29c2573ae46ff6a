/* Unit tests of src/cli: the command table, the option parser, text tables. */
#include "testutil.h"

#include "cli/cli.h"
#include "cli/table.h"

static void every_command_is_documented(void **state)
{
    (void)state;
    assert_true(cli_ncommands >= 7);
    for (int i = 0; i < cli_ncommands; i++) {
        const cli_cmd *c = &cli_commands[i];
        char want[64];
        snprintf(want, sizeof want, "rapport %s", c->name);
        assert_non_null(c->fn);
        assert_int_equal(strncmp(c->usage, want, strlen(want)), 0);
        assert_true(strlen(c->summary) > 10);
        assert_ptr_equal(cli_find(c->name), c);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(cli_commands[j].name, c->name);
    }
    assert_null(cli_find("customer"));
}

static void parser(void **state)
{
    (void)state;
    const cli_cmd *cmd = cli_find("customer show");
    cli_ctx *c = calloc(1, sizeof *c);
    c->cmd = cmd;
    char *argv1[] = { "A123456789", "--db=x.db", "--json" };
    assert_int_equal(cli_parse(c, 3, argv1), CLI_OK);
    assert_string_equal(c->args[0], "A123456789");
    assert_string_equal(c->store.db, "x.db");
    assert_int_equal(cli_flag(c, "json"), 1);
    assert_int_equal(cli_flag(c, "reveal"), 0);
    memset(c, 0, sizeof *c);
    c->cmd = cmd;
    char *argv2[] = { "--db", "y.db", "-5" }; /* a negative number is an argument */
    assert_int_equal(cli_parse(c, 3, argv2), CLI_OK);
    assert_string_equal(c->store.db, "y.db");
    assert_string_equal(c->args[0], "-5");
    memset(c, 0, sizeof *c);
    c->cmd = cmd;
    char *argv3[] = { "--", "--json" }; /* after --, options are arguments */
    assert_int_equal(cli_parse(c, 2, argv3), CLI_OK);
    assert_string_equal(c->args[0], "--json");
    assert_int_equal(cli_flag(c, "json"), 0);
    char *argv4[] = { "x", "--json=1" };
    assert_int_equal(cli_parse(c, 2, argv4), CLI_USAGE);
    char *argv5[] = { "x", "--db" };
    assert_int_equal(cli_parse(c, 2, argv5), CLI_USAGE);
    char *argv6[] = { "x", "-v" };
    assert_int_equal(cli_parse(c, 2, argv6), CLI_USAGE);
    memset(c, 0, sizeof *c);
    c->cmd = cmd;
    assert_int_equal(cli_parse(c, 0, NULL), CLI_USAGE);
    /* options with values, as the row declares them */
    memset(c, 0, sizeof *c);
    c->cmd = cli_find("jobs");
    char *argv7[] = { "--limit", "5", "--status=done", "3" };
    assert_int_equal(cli_parse(c, 4, argv7), CLI_OK);
    assert_string_equal(cli_arg(c, "limit"), "5");
    assert_string_equal(cli_arg(c, "status"), "done");
    assert_null(cli_arg(c, "json")); /* a flag has no value */
    assert_null(cli_arg(c, "nosuch"));
    assert_int_equal(c->nargs, 1);
    char *argv8[] = { "1", "2" }; /* one argument at most */
    assert_int_equal(cli_parse(c, 2, argv8), CLI_USAGE);
    /* a command without the store has no --db */
    memset(c, 0, sizeof *c);
    c->cmd = cli_find("gen");
    char *argv9[] = { "--db", "x.db" };
    assert_int_equal(cli_parse(c, 2, argv9), CLI_USAGE);
    free(c);
}

/* Every option a row declares is told of in its usage line or help. */
static void every_option_is_documented(void **state)
{
    (void)state;
    for (int i = 0; i < cli_ncommands; i++) {
        const cli_cmd *c = &cli_commands[i];
        const char *p = c->opts;
        int n = 0;
        while (p && *p) {
            while (*p == ' ')
                p++;
            size_t len = strcspn(p, " =");
            if (!len)
                break;
            char opt[64];
            snprintf(opt, sizeof opt, "--%.*s", (int)len, p);
            if (!strstr(c->usage, opt) && !strstr(c->help, opt))
                fail_msg("rapport %s: option %s is not in its usage or help", c->name, opt);
            p += strcspn(p, " ");
            n++;
        }
        assert_true(n <= CLI_MAX_OPTS);
        assert_true(c->minargs <= c->maxargs && c->maxargs <= CLI_MAX_ARGS);
    }
}

static void table_aligns_by_display_width(void **state)
{
    (void)state;
    table t;
    table_init(&t, 3, 2);
    const char *r1[] = { "code", "name", "x" };
    const char *r2[] = { "0012", "大安分行", NULL };
    const char *r3[] = { "7", "Da-an", "y" };
    table_row(&t, r1);
    table_row(&t, r2);
    table_row(&t, r3);
    assert_int_equal(table_rows(&t), 3);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    table_print(&t, f);
    fclose(f);
    assert_string_equal(text, "  code  name      x\n"
                              "  0012  大安分行\n"
                              "  7     Da-an     y\n");
    free(text);
    table_release(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_command_is_documented),
        cmocka_unit_test(parser),
        cmocka_unit_test(every_option_is_documented),
        cmocka_unit_test(table_aligns_by_display_width),
    };
    return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
