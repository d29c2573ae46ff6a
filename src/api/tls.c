/* tls.c — HTTPS for `rapport serve`: the certificate and key read and
 * checked before libmicrohttpd is given them (GnuTLS, TLS 1.2 and 1.3
 * only), and who may read /metrics.  See api.h. */
#include "api/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FILE_MAX (1 << 20)

/* The whole of a small file, NUL-terminated, into *out (malloc'd); with
 * private set, refused when group or others may read it. */
int api_read_file(const char *what, const char *path, int private, char **out, size_t *len, rp_error *err)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return rp_err(err, RP_IO, "%s %s: %s", what, path, strerror(e));
    }
    int rc = RP_OK;
    if (!S_ISREG(st.st_mode))
        rc = rp_err(err, RP_INVAL, "%s %s: not a file", what, path);
    else if (st.st_size > FILE_MAX)
        rc = rp_err(err, RP_TOOBIG, "%s %s: larger than %d bytes", what, path, FILE_MAX);
    else if (private && (st.st_mode & 077))
        rc = rp_err(err, RP_INVAL, "%s %s: group or others may read it (mode %04o); make it its owner's alone "
                    "(chmod 600)", what, path, (unsigned)(st.st_mode & 07777));
    char *b = rc ? NULL : malloc((size_t)st.st_size + 1);
    if (!rc && !b)
        rc = rp_err(err, RP_NOMEM, NULL);
    size_t n = 0;
    while (!rc && n < (size_t)st.st_size) {
        ssize_t k = read(fd, b + n, (size_t)st.st_size - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            rc = rp_err(err, RP_IO, "%s %s: %s", what, path, k ? strerror(errno) : "shorter than it was");
            break;
        }
        n += (size_t)k;
    }
    close(fd);
    if (rc) {
        free(b);
        return rc;
    }
    b[n] = 0;
    *out = b;
    if (len)
        *len = n;
    return RP_OK;
}

/* ---- the certificate and key ---- */

static int check_cert(const char *file, const char *pem, size_t n, rp_error *err)
{
    gnutls_datum_t d = { (unsigned char *)pem, (unsigned)n };
    gnutls_x509_crt_t *list = NULL;
    unsigned count = 0;
    int r = gnutls_x509_crt_list_import2(&list, &count, &d, GNUTLS_X509_FMT_PEM, 0);
    if (r < 0 || !count)
        return rp_err(err, RP_PARSE, "TLS certificate %s: not a PEM certificate (%s)", file,
                      r < 0 ? gnutls_strerror(r) : "none in it");
    time_t until = gnutls_x509_crt_get_expiration_time(list[0]);
    for (unsigned i = 0; i < count; i++)
        gnutls_x509_crt_deinit(list[i]);
    gnutls_free(list);
    if (until != (time_t)-1 && until < time(NULL)) {
        char at[32];
        struct tm tm;
        strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&until, &tm));
        return rp_err(err, RP_INVAL, "TLS certificate %s: expired at %s", file, at);
    }
    return RP_OK;
}

static int check_key(const char *file, const char *pem, size_t n, rp_error *err)
{
    gnutls_datum_t d = { (unsigned char *)pem, (unsigned)n };
    gnutls_x509_privkey_t k;
    if (gnutls_x509_privkey_init(&k) < 0)
        return rp_err(err, RP_NOMEM, NULL);
    int r = gnutls_x509_privkey_import2(k, &d, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN);
    gnutls_x509_privkey_deinit(k);
    if (r < 0)
        return rp_err(err, RP_PARSE, "TLS key %s: not a PEM private key without a passphrase (%s)", file,
                      gnutls_strerror(r));
    return RP_OK;
}

int api_tls_load(const char *cert_file, const char *key_file, api_tls *out, rp_error *err)
{
    memset(out, 0, sizeof *out);
    if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
        return rp_err(err, RP_INVAL, "this libmicrohttpd was built without TLS, so HTTPS cannot be served (Debian's "
                      "libmicrohttpd12 is built with GnuTLS)");
    size_t cn = 0, kn = 0;
    int rc;
    if ((rc = api_read_file("TLS certificate", cert_file, 0, &out->cert, &cn, err)) ||
        (rc = api_read_file("TLS key", key_file, 1, &out->key, &kn, err)) ||
        (rc = check_cert(cert_file, out->cert, cn, err)) || (rc = check_key(key_file, out->key, kn, err))) {
        api_tls_free(out);
        return rc;
    }
    /* the pair, as libmicrohttpd will load it, and the versions */
    gnutls_certificate_credentials_t cred;
    gnutls_priority_t prio;
    const char *at = NULL;
    gnutls_datum_t cd = { (unsigned char *)out->cert, (unsigned)cn }, kd = { (unsigned char *)out->key, (unsigned)kn };
    if (gnutls_certificate_allocate_credentials(&cred) < 0) {
        api_tls_free(out);
        return rp_err(err, RP_NOMEM, NULL);
    }
    int r = gnutls_certificate_set_x509_key_mem(cred, &cd, &kd, GNUTLS_X509_FMT_PEM);
    gnutls_certificate_free_credentials(cred);
    if (r < 0) {
        api_tls_free(out);
        return rp_err(err, RP_INVAL, "TLS key %s and certificate %s: %s", key_file, cert_file,
                      r == GNUTLS_E_CERTIFICATE_KEY_MISMATCH ? "the key is not the certificate's" : gnutls_strerror(r));
    }
    if ((r = gnutls_priority_init(&prio, API_TLS_PRIORITIES, &at)) < 0) {
        api_tls_free(out);
        return rp_err(err, RP_INTERNAL, "the TLS priorities '%s' at '%s': %s", API_TLS_PRIORITIES, at ? at : "",
                      gnutls_strerror(r));
    }
    gnutls_priority_deinit(prio);
    return RP_OK;
}

void api_tls_free(api_tls *t)
{
    if (t->key)
        sodium_memzero(t->key, strlen(t->key));
    free(t->key);
    free(t->cert);
    t->key = t->cert = NULL;
}

/* ---- who may read /metrics ---- */

/* addr as 16 bytes (an IPv4 address as ::ffff:a.b.c.d): 1, or 0 when it is not an address. */
static int parse_addr(const char *s, unsigned char out[16])
{
    struct in_addr a4;
    if (inet_pton(AF_INET, s, &a4) == 1) {
        memset(out, 0, 10);
        out[10] = out[11] = 0xff;
        memcpy(out + 12, &a4, 4);
        return 4;
    }
    return inet_pton(AF_INET6, s, out) == 1 ? 6 : 0;
}

static int parse_net(const char *word, api_net *net, rp_error *err)
{
    char a[64];
    const char *slash = strchr(word, '/');
    size_t n = slash ? (size_t)(slash - word) : strlen(word);
    if (n >= sizeof a)
        return rp_err(err, RP_INVAL, "'%s' is not an address or CIDR block", word);
    memcpy(a, word, n);
    a[n] = 0;
    int family = parse_addr(a, net->addr);
    if (!family)
        return rp_err(err, RP_INVAL, "'%s' is not an address or CIDR block (127.0.0.1, 10.0.0.0/8, ::1)", word);
    int max = family == 4 ? 32 : 128;
    long bits = max;
    if (slash) {
        char *end;
        bits = strtol(slash + 1, &end, 10);
        if (!slash[1] || *end || bits < 0 || bits > max)
            return rp_err(err, RP_INVAL, "'%s': the prefix length is 0 to %d", word, max);
    }
    net->bits = (int)(family == 4 ? bits + 96 : bits);
    return RP_OK;
}

int api_metrics_access_parse(const char *allow, const char *token, api_metrics_access *out, rp_error *err)
{
    memset(out, 0, sizeof *out);
    if (token) {
        size_t n = strlen(token);
        while (n && strchr(" \t\r\n", token[n - 1]))
            n--;
        while (n && strchr(" \t\r\n", *token))
            token++, n--;
        if (n < 16 || n >= sizeof out->token)
            return rp_err(err, RP_INVAL, "metrics_token: %zu characters; 16 to %zu are needed", n,
                          sizeof out->token - 1);
        memcpy(out->token, token, n);
        out->token[n] = 0;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)token[i] <= ' ' || (unsigned char)token[i] >= 0x7f)
                return rp_err(err, RP_INVAL, "metrics_token: visible ASCII characters only");
    }
    const char *p = allow ? allow : "127.0.0.1 ::1";
    while (*p) {
        p += strspn(p, ", \t");
        size_t n = strcspn(p, ", \t");
        if (!n)
            break;
        char word[80];
        snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word - 1 ? n : sizeof word - 1), p);
        p += n;
        if (!strcmp(word, "none"))
            continue;
        if (out->nnets == API_METRICS_NETS)
            return rp_err(err, RP_INVAL, "metrics_allow: at most %d entries", API_METRICS_NETS);
        int rc = parse_net(word, &out->nets[out->nnets], err);
        if (rc)
            return rp_err_prefix(err, "metrics_allow");
        out->nnets++;
    }
    return RP_OK;
}

static int in_net(const api_net *net, const unsigned char a[16])
{
    int full = net->bits / 8, rest = net->bits % 8;
    if (memcmp(net->addr, a, (size_t)full))
        return 0;
    if (!rest)
        return 1;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (net->addr[full] & mask) == (a[full] & mask);
}

int api_metrics_check(const api_metrics_access *m, api_req *rq, api_resp *rs)
{
    const char *auth = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Authorization");
    if (auth) {
        size_t n = strlen(m->token);
        if (strncasecmp(auth, "Bearer ", 7))
            return api_error(rs, 401, "unauthenticated", "/metrics takes Authorization: Bearer TOKEN");
        auth += 7;
        /* the same time whatever the token sent: its length is compared after its bytes */
        int same = n && strlen(auth) == n;
        char pad[sizeof m->token] = { 0 };
        snprintf(pad, sizeof pad, "%s", auth);
        if (sodium_memcmp(pad, m->token, sizeof pad) || !same)
            return api_error(rs, 401, "unauthenticated", "the metrics token is wrong");
        return 0;
    }
    unsigned char a[16];
    if (parse_addr(rq->address, a))
        for (int i = 0; i < m->nnets; i++)
            if (in_net(&m->nets[i], a))
                return 0;
    return api_error(rs, 403, "forbidden",
                     "/metrics answers the addresses of [api] metrics_allow and requests bearing the metrics token");
}
