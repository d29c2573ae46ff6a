/* cluster.c — k-means++, silhouette and elbow.  See cluster.h. */
#include "analytics/cluster.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static double uniform(uint64_t *s) { return (double)(splitmix(s) >> 11) / 9007199254740992.0; }

void an_standardise(double *x, size_t n, int d, double *mean, double *sd)
{
    for (int j = 0; j < d; j++) {
        double m = 0, v = 0;
        for (size_t i = 0; i < n; i++)
            m += x[i * (size_t)d + (size_t)j];
        m = n ? m / (double)n : 0;
        for (size_t i = 0; i < n; i++) {
            double t = x[i * (size_t)d + (size_t)j] - m;
            v += t * t;
        }
        double s = n > 1 ? sqrt(v / (double)(n - 1)) : 0;
        for (size_t i = 0; i < n; i++)
            x[i * (size_t)d + (size_t)j] = s > 0 ? (x[i * (size_t)d + (size_t)j] - m) / s : 0;
        if (mean)
            mean[j] = m;
        if (sd)
            sd[j] = s;
    }
}

static double dist2(const double *a, const double *b, int d)
{
    double s = 0;
    for (int j = 0; j < d; j++) {
        double t = a[j] - b[j];
        s += t * t;
    }
    return s;
}

void an_kmeans_free(an_kmeans *m)
{
    free(m->centroid);
    free(m->assign);
    free(m->size);
    memset(m, 0, sizeof *m);
}

/* One run from k-means++ seeds. */
static int one_run(const double *x, size_t n, int d, int k, uint64_t *rng, an_kmeans *m, double *near)
{
    size_t first = (size_t)(uniform(rng) * (double)n);
    if (first >= n)
        first = n - 1;
    memcpy(m->centroid, x + first * (size_t)d, (size_t)d * sizeof(double));
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += near[i] = dist2(x + i * (size_t)d, m->centroid, d);
    for (int c = 1; c < k; c++) {
        /* the next seed with probability proportional to the squared distance */
        size_t pick = n - 1;
        if (total > 0) {
            double r = uniform(rng) * total, acc = 0;
            for (size_t i = 0; i < n; i++) {
                acc += near[i];
                if (acc >= r && near[i] > 0) {
                    pick = i;
                    break;
                }
            }
        } else {
            pick = (size_t)c % n;
        }
        double *ce = m->centroid + (size_t)c * (size_t)d;
        memcpy(ce, x + pick * (size_t)d, (size_t)d * sizeof(double));
        total = 0;
        for (size_t i = 0; i < n; i++) {
            double t = dist2(x + i * (size_t)d, ce, d);
            if (t < near[i])
                near[i] = t;
            total += near[i];
        }
    }
    double *sum = calloc((size_t)k * (size_t)d, sizeof *sum);
    if (!sum)
        return RP_NOMEM;
    for (size_t i = 0; i < n; i++)
        m->assign[i] = -1;
    int it;
    for (it = 0; it < 300; it++) {
        int changed = 0;
        m->wss = 0;
        for (size_t i = 0; i < n; i++) {
            int best = 0;
            double bd = DBL_MAX;
            for (int c = 0; c < k; c++) {
                double t = dist2(x + i * (size_t)d, m->centroid + (size_t)c * (size_t)d, d);
                if (t < bd)
                    bd = t, best = c;
            }
            if (m->assign[i] != best)
                changed = 1, m->assign[i] = best;
            m->wss += bd;
        }
        if (!changed)
            break;
        memset(sum, 0, (size_t)k * (size_t)d * sizeof *sum);
        memset(m->size, 0, (size_t)k * sizeof *m->size);
        for (size_t i = 0; i < n; i++) {
            m->size[m->assign[i]]++;
            for (int j = 0; j < d; j++)
                sum[(size_t)m->assign[i] * (size_t)d + (size_t)j] += x[i * (size_t)d + (size_t)j];
        }
        for (int c = 0; c < k; c++)
            if (m->size[c])
                for (int j = 0; j < d; j++)
                    m->centroid[(size_t)c * (size_t)d + (size_t)j] =
                        sum[(size_t)c * (size_t)d + (size_t)j] / (double)m->size[c];
    }
    memset(m->size, 0, (size_t)k * sizeof *m->size);
    for (size_t i = 0; i < n; i++)
        m->size[m->assign[i]]++;
    m->iterations = it + 1;
    free(sum);
    return RP_OK;
}

int an_kmeans_run(const double *x, size_t n, int d, int k, uint64_t seed, int restarts, an_kmeans *out,
                  rp_error *err)
{
    memset(out, 0, sizeof *out);
    if (k < 1 || d < 1 || (size_t)k > n)
        return rp_err(err, RP_INVAL, "k-means: k = %d for %zu customers and %d features", k, n, d);
    an_kmeans cur = { k, d, NULL, NULL, NULL, 0, 0 };
    cur.centroid = malloc((size_t)k * (size_t)d * sizeof(double));
    cur.assign = malloc(n * sizeof(int));
    cur.size = malloc((size_t)k * sizeof(size_t));
    double *near = malloc(n * sizeof(double));
    uint64_t rng = seed;
    int rc = cur.centroid && cur.assign && cur.size && near ? RP_OK : RP_NOMEM;
    for (int r = 0; !rc && r < (restarts < 1 ? 1 : restarts); r++) {
        if ((rc = one_run(x, n, d, k, &rng, &cur, near)))
            break;
        if (!out->centroid || cur.wss < out->wss) {
            an_kmeans t = *out;
            *out = cur;
            cur = t;
            if (!cur.centroid) {
                cur = (an_kmeans){ k, d, malloc((size_t)k * (size_t)d * sizeof(double)), malloc(n * sizeof(int)),
                                   malloc((size_t)k * sizeof(size_t)), 0, 0 };
                if (!cur.centroid || !cur.assign || !cur.size)
                    rc = RP_NOMEM;
            }
        }
    }
    an_kmeans_free(&cur);
    free(near);
    if (rc) {
        an_kmeans_free(out);
        return rp_err(err, RP_NOMEM, NULL);
    }
    return RP_OK;
}

double an_silhouette(const double *x, size_t n, int d, const int *assign, int k, size_t sample, uint64_t seed)
{
    if (k < 2 || n < 2)
        return 0;
    size_t m = n <= sample ? n : sample;
    size_t *rows = malloc(m * sizeof *rows);
    double *sum = malloc((size_t)k * sizeof *sum);
    size_t *cnt = malloc((size_t)k * sizeof *cnt);
    if (!rows || !sum || !cnt) {
        free(rows), free(sum), free(cnt);
        return NAN;
    }
    if (m == n) {
        for (size_t i = 0; i < n; i++)
            rows[i] = i;
    } else {
        /* a uniform sample without replacement (selection sampling, in order) */
        uint64_t rng = seed;
        size_t got = 0;
        for (size_t i = 0; i < n && got < m; i++)
            if (uniform(&rng) * (double)(n - i) < (double)(m - got))
                rows[got++] = i;
        m = got;
    }
    double total = 0;
    for (size_t a = 0; a < m; a++) {
        memset(sum, 0, (size_t)k * sizeof *sum);
        memset(cnt, 0, (size_t)k * sizeof *cnt);
        const double *xa = x + rows[a] * (size_t)d;
        for (size_t b = 0; b < m; b++) {
            if (b == a)
                continue;
            int c = assign[rows[b]];
            sum[c] += sqrt(dist2(xa, x + rows[b] * (size_t)d, d));
            cnt[c]++;
        }
        int own = assign[rows[a]];
        if (!cnt[own])
            continue; /* a singleton's silhouette is 0 by convention */
        double ai = sum[own] / (double)cnt[own], bi = DBL_MAX;
        for (int c = 0; c < k; c++)
            if (c != own && cnt[c] && sum[c] / (double)cnt[c] < bi)
                bi = sum[c] / (double)cnt[c];
        if (bi == DBL_MAX)
            continue;
        double mx = ai > bi ? ai : bi;
        total += mx > 0 ? (bi - ai) / mx : 0;
    }
    free(rows), free(sum), free(cnt);
    return m ? total / (double)m : 0;
}

int an_elbow(const double *wss, int kmin, int count)
{
    if (count < 3)
        return kmin + (count > 1);
    double x0 = 0, y0 = wss[0], x1 = count - 1, y1 = wss[count - 1];
    double best = -1;
    int at = 1;
    for (int i = 1; i < count - 1; i++) {
        /* distance below the chord, with both axes scaled to [0, 1] */
        double xs = (i - x0) / (x1 - x0);
        double ys = y0 != y1 ? (wss[i] - y1) / (y0 - y1) : 0;
        double dist = (1 - xs) - ys;
        if (dist > best)
            best = dist, at = i;
    }
    return kmin + at;
}
