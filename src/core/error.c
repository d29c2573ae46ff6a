#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const messages[] = {
#define RP_X_(name, msg) msg,
    RP_ERRORS(RP_X_)
#undef RP_X_
};

static const char *const names[] = {
#define RP_X_(name, msg) #name,
    RP_ERRORS(RP_X_)
#undef RP_X_
};

const char *rp_strerror(int code)
{
    if (code < 0 || code >= RP__NCODES)
        return "unknown error";
    return messages[code];
}

const char *rp_code_name(int code)
{
    if (code < 0 || code >= RP__NCODES)
        return "UNKNOWN";
    return names[code];
}

int rp_err(rp_error *err, int code, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = (rp_code)code;
    if (!fmt || !*fmt) {
        snprintf(err->msg, sizeof err->msg, "%s", rp_strerror(code));
        return code;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

int rp_err_prefix(rp_error *err, const char *fmt, ...)
{
    if (!err)
        return RP_OK;
    char prefix[RP_ERROR_MSG_MAX];
    char old[RP_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, rp_errmsg(err), sizeof old);
    old[sizeof old - 1] = 0;
    char both[2 * RP_ERROR_MSG_MAX + 4];
    snprintf(both, sizeof both, "%s: %s", prefix, old);
    memcpy(err->msg, both, sizeof err->msg - 1);
    err->msg[sizeof err->msg - 1] = 0;
    return err->code;
}

const char *rp_errmsg(const rp_error *err)
{
    if (!err)
        return "";
    if (err->msg[0])
        return err->msg;
    return rp_strerror(err->code);
}

