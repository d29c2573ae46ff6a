/* args.c — reading a request's arguments, as every handler does.  See internal.h. */
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

/* Blanks of every kind and the invisible characters (zero-width spaces and
 * joiners, the byte-order mark, the soft hyphen): no part of a reason. */
static int invisible(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0xAD || cp == 0x1680 || cp == 0x180E ||
           (cp >= 0x2000 && cp <= 0x200F) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
           (cp >= 0x2060 && cp <= 0x2064) || cp == 0x3000 || cp == 0xFEFF;
}

int api_reason(api_req *rq, api_resp *rs, const char *const *keys)
{
    const char *reason = NULL;
    rp_error err = RP_ERROR_INIT;
    if ((keys && rp_json_check_keys(rq->body, "body", keys, &err)) ||
        rp_json_get_str(rq->body, "body", "reason", 1, &reason, &err))
        return api_error(rs, 422, "invalid", "%s", rp_errmsg(&err));
    size_t n = strlen(reason), seen = 0;
    if (n > WH_REASON_MAX)
        return api_error(rs, 422, "invalid", "body.reason: at most %d bytes", WH_REASON_MAX);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k = rp_utf8_decode(reason + i, n - i, &cp);
        if (k <= 0)
            return api_error(rs, 422, "invalid", "body.reason: not UTF-8");
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
            return api_error(rs, 422, "invalid", "body.reason: control characters are not allowed");
        seen += !invisible(cp);
        i += (size_t)k;
    }
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
