/*
 * cluster.h — k-means with k-means++ seeding (Arthur and Vassilvitskii
 * 2007) on standardised features, and the choice of k by the mean
 * silhouette or by the elbow of the within-cluster sum of squares (issue 6,
 * DOMAIN M7-M8).  Pure functions over a row-major n x d matrix; seeded, so
 * the same data and seed give the same clusters.
 */
#ifndef RP_ANALYTICS_CLUSTER_H
#define RP_ANALYTICS_CLUSTER_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

/* Subtract each column's mean and divide by its standard deviation (a
 * constant column becomes 0).  mean and sd (d each) may be NULL. */
void an_standardise(double *x, size_t n, int d, double *mean, double *sd);

typedef struct an_kmeans {
    int k, d;
    double *centroid;            /* k * d */
    int *assign;                 /* n */
    size_t *size;                /* k */
    double wss;                  /* within-cluster sum of squares */
    int iterations;
} an_kmeans;

/* Lloyd's iterations from k-means++ seeds, the best of `restarts` seeds. */
int an_kmeans_run(const double *x, size_t n, int d, int k, uint64_t seed, int restarts, an_kmeans *out,
                  rp_error *err) RP_WARN_UNUSED;
void an_kmeans_free(an_kmeans *m);

/* The mean silhouette of an assignment, over at most `sample` rows chosen
 * by seed (all rows when n <= sample). */
double an_silhouette(const double *x, size_t n, int d, const int *assign, int k, size_t sample, uint64_t seed);

/* The elbow of wss[0..count) for k = kmin.. : the k farthest below the
 * straight line from the first point to the last. */
int an_elbow(const double *wss, int kmin, int count);

#endif
