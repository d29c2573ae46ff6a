/* fuzz_big5.c — Big5 (CP950) text as the loader decodes and cleanses it:
 * the card system's CSV files and the fixtures' product list in fixed
 * columns, through their specs (iconv from CP950, then names, addresses,
 * phones, e-mails, amounts and dates cleansed and checked).
 *
 * Input: a byte choosing the file (0 card customers, 1 card transactions,
 * 2 products), then its records; the card files' header row is the one
 * `rapport gen` writes, put first by the harness, so that every input binds
 * the spec's columns. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first line of a generated file (read once for each of the two), with its line end. */
static const char *header_of(int which, const char *rel)
{
    static char lines[2][4096];
    if (lines[which][0])
        return lines[which];
    char path[800];
    snprintf(path, sizeof path, "%s/../%s", fz_copybook_dir(), rel);
    FILE *f = fopen(path, "rb");
    if (!f || !fgets(lines[which], sizeof lines[which], f))
        fz_die("cannot read the header of %s", path);
    fclose(f);
    return lines[which];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *const specs[] = { "card-customers", "card-transactions", "test-products" };
    static const char *const files[] = { "card/card_customers.csv", "card/card_transactions.csv", NULL };
    int which = data[0] % 3;
    const sp_spec *s = fz_spec_named(specs[which]);
    if (!s)
        fz_die("no spec %s", specs[which]);
    const char *head = files[which] ? header_of(which, files[which]) : "";
    size_t hn = strlen(head);
    char *file = malloc(hn + size);
    memcpy(file, head, hn);
    memcpy(file + hn, data + 1, size - 1);
    fz_decode_file(s, fz_write("input.csv", file, hn + size - 1), 64);
    free(file);
    return 0;
}
