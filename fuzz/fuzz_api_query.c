/* fuzz_api_query.c — what the API does with a request's path arguments and
 * query string: whole numbers (api_int), limit= (api_limit), the search
 * text, statuses, rules, dates and names of the lists, handed to the
 * handler of every route that reads them, in-process against a store with
 * the test bank (api_common.c).
 *
 * Input: "OP ROLE TARGET" (listRejects steward ?job=1&limit=5;
 * getCustomerChanges rm 6?what=contact): the route by its operationId,
 * the role calling it, and the request target after the route's fixed
 * part.  A target holds no blank, line end or NUL (the request line could
 * not carry it). */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (memchr(data, 0, size) || memchr(data, '\n', size) || memchr(data, '\r', size))
        return 0;
    char *line = fz_cstr(data, size);
    char *sp = strchr(line, ' ');
    sp = sp ? strchr(sp + 1, ' ') : NULL;
    if (sp && !strpbrk(sp + 1, " \t"))
        fz_api_call(0, line, NULL, 0);
    free(line);
    return 0;
}
