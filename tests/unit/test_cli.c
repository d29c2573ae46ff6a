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
    const char *db = NULL, *pos[2] = { 0 };
    int json = 0;
    cli_opt opts[] = { { "db", &db, NULL }, { "json", NULL, &json }, { 0 } };
    char *argv1[] = { "A123456789", "--db=x.db", "--json" };
    assert_int_equal(cli_parse(cmd, 3, argv1, opts, pos, 1, 1), CLI_OK);
    assert_string_equal(pos[0], "A123456789");
    assert_string_equal(db, "x.db");
    assert_int_equal(json, 1);
    char *argv2[] = { "--db", "y.db", "-5" }; /* a negative number is an argument */
    assert_int_equal(cli_parse(cmd, 3, argv2, opts, pos, 1, 1), CLI_OK);
    assert_string_equal(db, "y.db");
    assert_string_equal(pos[0], "-5");
    char *argv3[] = { "--", "--json" }; /* after --, options are arguments */
    json = 0;
    assert_int_equal(cli_parse(cmd, 2, argv3, opts, pos, 1, 1), CLI_OK);
    assert_string_equal(pos[0], "--json");
    assert_int_equal(json, 0);
    char *argv4[] = { "x", "--json=1" };
    assert_int_equal(cli_parse(cmd, 2, argv4, opts, pos, 1, 1), CLI_USAGE);
    char *argv5[] = { "x", "--db" };
    assert_int_equal(cli_parse(cmd, 2, argv5, opts, pos, 1, 1), CLI_USAGE);
    char *argv6[] = { "x", "-v" };
    assert_int_equal(cli_parse(cmd, 2, argv6, opts, pos, 1, 1), CLI_USAGE);
    assert_int_equal(cli_parse(cmd, 0, NULL, opts, pos, 1, 1), CLI_USAGE);
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
        cmocka_unit_test(table_aligns_by_display_width),
    };
    return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
