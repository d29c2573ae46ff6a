/* args.c — reading a request's arguments, and noting the customers its reply shows for the audit entry,
 * as every handler does.  See internal.h. */
#include "api/internal.h"
#include "core/json.h"
#include "core/utf8.h"

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

int api_reason(api_req *rq, api_resp *rs, const char *const *keys)
{
    const char *reason = NULL;
    rp_error err = RP_ERROR_INIT;
    if ((keys && rp_json_check_keys(rq->body, "body", keys, &err)) ||
        rp_json_get_str(rq->body, "body", "reason", 1, &reason, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    size_t n = strlen(reason);
    if (n > WH_REASON_MAX)
        return api_error(rs, 422, "invalid", "body.reason: at most %d bytes", WH_REASON_MAX);
    long seen = rp_utf8_visible(reason, n);
    if (seen == -1)
        return api_error(rs, 422, "invalid", "body.reason: not UTF-8");
    if (seen == -2)
        return api_error(rs, 422, "invalid", "body.reason: control characters are not allowed");
    if (seen < API_REASON_MIN)
        return api_error(rs, 422, "invalid",
                         "body.reason: say why the full values are needed (%d characters or more, blanks not counted)",
                         API_REASON_MIN);
    snprintf(rq->reason, sizeof rq->reason, "%s", reason);
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

int api_shown_add(api_req *rq, int64_t id)
{
    size_t n = strlen(rq->shown);
    int k = snprintf(rq->shown + n, sizeof rq->shown - n, "%s%lld", n ? " " : "", (long long)id);
    if (k < 0 || (size_t)k >= sizeof rq->shown - n) {
        rq->shown[n] = 0; /* an id is kept whole or not at all */
        return -1;
    }
    return 0;
}
