/* fuzz_api_body.c — JSON request bodies as the API reads them: parsed with
 * the dispatcher's limits (core/json.h: rp_json_load_str, at most 64
 * deep), then checked and used by the route's handler (notes, contact
 * points, preferences, consents, the reasons of a reveal or an export,
 * rejects revealed, pairs decided, users disabled), in-process against a
 * store with the test bank (api_common.c).
 *
 * Input: a line "OP ROLE ARGS" (addCustomerNote csr 1: the route by its
 * operationId, the role calling it, its path arguments separated by '/'),
 * then the body. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    if (!nl || memchr(data, 0, (size_t)(nl - data)))
        return 0;
    char *line = fz_cstr(data, (size_t)(nl - data));
    fz_api_call(1, line, (const char *)nl + 1, size - (size_t)(nl - data) - 1);
    free(line);
    return 0;
}
