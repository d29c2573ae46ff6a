/* args.c — reading a request's arguments, as every handler does.  See internal.h. */
#include "api/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t api_int(const char *s, int64_t min, int64_t max, int *ok)
{
    char *end;
    long long v = s && *s ? strtoll(s, &end, 10) : 0;
    *ok = s && *s && !*end && v >= min && v <= max;
    return v;
}

int api_limit(api_req *rq, api_resp *rs, int def, int max, int *limit)
{
    const char *lim = api_query(rq, "limit");
    int ok = 1;
    *limit = lim ? (int)api_int(lim, 1, max, &ok) : def;
    return ok ? 0 : api_error(rs, 422, "invalid", "query.limit: a whole number from 1 to %d", max);
}

int api_one_of(const char *v, const char *const *list, char *msg, size_t n)
{
    for (int i = 0; list[i]; i++)
        if (!strcmp(v, list[i]))
            return 1;
    size_t k = (size_t)snprintf(msg, n, "one of");
    for (int i = 0; list[i] && k < n; i++)
        k += (size_t)snprintf(msg + k, n - k, "%s %s", i ? "," : "", list[i]);
    return 0;
}

int api_body_max(api_resp *rs, const char *member, const char *v, size_t max)
{
    if (v && strlen(v) > max)
        return api_error(rs, 422, "invalid", "body.%s: at most %zu bytes", member, max);
    return 0;
}

int api_body_in(api_resp *rs, const char *member, const char *v, const char *const *list)
{
    char msg[400];
    if (v && !api_one_of(v, list, msg, sizeof msg))
        return api_error(rs, 422, "invalid", "body.%s: %s", member, msg);
    return 0;
}
