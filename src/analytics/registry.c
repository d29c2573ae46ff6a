/* registry.c — the analyses there are, one row each: X(name, run, summary).
 * A row declares its run function (an_job_fn, defined in job_NAME.c) and
 * makes its entry of an_jobs[]; `rapport analyze`, its help and the API
 * take the names from here.  See analytics.h for the steps. */
#include "analytics/analytics.h"

#define AN_ANALYSES(X)                                                                                            \
    X("value", an_value_job,                                                                                      \
      "profitability per customer: revenue (interest margin, fees) less cost to serve by channel")                \
    X("pareto", an_pareto_job, "contribution curve, the top 20 %'s share, breakpoints and deciles")              \
    X("pyramid", an_pyramid_job, "the customer pyramid: customers and value per level")                          \
    X("rfm", an_rfm_job, "recency, frequency and monetary value, quintile scores and RFM cells")                 \
    X("clv", an_clv_job,                                                                                          \
      "lifetime value: BG/NBD and Gamma-Gamma, P(alive), expected transactions, ROI of acquisition")              \
    X("gains-losses", an_gains_losses_job,                                                                        \
      "month on month: customers spending the same, more, less, activated and lapsed")                            \
    X("migration", an_migration_job,                                                                              \
      "movement between pyramid levels or segments, and the rules of joining, leaving and staying")               \
    X("segment", an_segment_job, "rule-based segments, checked to be exhaustive and mutually exclusive")         \
    X("cluster", an_cluster_job, "k-means++ on standardised features, k by silhouette or elbow, profiles in words") \
    X("quality", an_quality_job,                                                                                  \
      "data quality per source and field: completeness, validity, duplicates, rejects by rule")

#define DECLARE(name, run, summary) an_job_fn run;
AN_ANALYSES(DECLARE)

#define ROW(name, run, summary) { name, summary, run },
const an_job an_jobs[] = { AN_ANALYSES(ROW) };
const int an_njobs = (int)(sizeof an_jobs / sizeof an_jobs[0]);
