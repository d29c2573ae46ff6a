/* registry.c — the analyses there are, one row each:
 *   X(name, run, title in zh-TW, title in English, summary, help)
 * where run is the analysis's function (an_job_fn, defined in job_NAME.c),
 * the titles name its tab in the web application, summary is one line and
 * help the lines `rapport analyze --help` shows (at most 60 characters each).
 * A row declares its run function and makes its entry of an_jobs[];
 * `rapport analyze`, its help, the API and the web application take the
 * analyses from here.  See analytics.h for the steps. */
#include "analytics/analytics.h"

#define AN_ANALYSES(X)                                                                                         \
    X("value", an_value_job, "獲利", "Value",                                                                 \
      "profitability per customer: revenue (interest margin, fees) less cost to serve by channel",             \
      "profit per customer: interest margin and fees less cost to\n"                                           \
      "serve by channel, with totals, deciles and channel costs")                                              \
    X("pareto", an_pareto_job, "柏拉圖", "Pareto",                                                           \
      "contribution curve, the top 20 %'s share, breakpoints and deciles",                                     \
      "contribution curve, the top 20%'s share, breakpoints, deciles")                                         \
    X("pyramid", an_pyramid_job, "客戶金字塔", "Pyramid", "the customer pyramid: customers and value per level", \
      "customers and value per pyramid level")                                                                 \
    X("rfm", an_rfm_job, "RFM", "RFM", "recency, frequency and monetary value, quintile scores and RFM cells",  \
      "recency, frequency, monetary quintiles and RFM cells")                                                  \
    X("clv", an_clv_job, "終身價值", "Lifetime value",                                                        \
      "lifetime value: BG/NBD and Gamma-Gamma, P(alive), expected transactions, ROI of acquisition",           \
      "BG/NBD and Gamma-Gamma: P(alive), expected transactions,\n"                                             \
      "discounted lifetime value, ROI of acquisition")                                                         \
    X("gains-losses", an_gains_losses_job, "得失分析", "Gains and losses",                                    \
      "month on month: customers spending the same, more, less, activated and lapsed",                         \
      "the last whole month against the one before: customers\n"                                               \
      "spending the same, more, less, activated and lapsed")                                                   \
    X("migration", an_migration_job, "層級移轉", "Migration",                                                 \
      "movement between pyramid levels or segments, and the rules of joining, leaving and staying",            \
      "movement between pyramid levels (or segments) from the\n"                                               \
      "previous period, with rules for joining, leaving, staying")                                             \
    X("segment", an_segment_job, "區隔", "Segments",                                                          \
      "rule-based segments, checked to be exhaustive and mutually exclusive",                                  \
      "rule-based segments (--segments FILE), checked to put every\n"                                          \
      "customer in exactly one; exits 1 when they do not")                                                     \
    X("cluster", an_cluster_job, "集群", "Clusters",                                                          \
      "k-means++ on standardised features, k by silhouette or elbow, profiles in words",                       \
      "k-means++ on standardised features, k by silhouette or\n"                                               \
      "elbow, each cluster described in words")                                                                \
    X("channels", an_channels_job, "通路組合", "Channels",                                                    \
      "each pyramid level's use of the channels, the digital share and the channel cost per customer",         \
      "each pyramid level's share of every channel, the digital\n"                                             \
      "channels' share and the channel cost per customer")                                                     \
    X("behaviour", an_behaviour_job, "行為類型", "Behaviour",                                               \
      "behaviour types by documented rules (digital-first, branch-loyal, saver, borrower, revolver...) and risk grades", \
      "behaviour types by rules over the customer signature, and\n"                                          \
      "a risk grade (A-E, X) from the risk model's latest scores")                                             \
    X("quality", an_quality_job, "資料品質", "Data quality",                                                  \
      "data quality per source and field: completeness, validity, duplicates, rejects by rule",                \
      "completeness, rejects and duplicates per source and field")

#define DECLARE(name, run, zh, en, summary, help) an_job_fn run;
AN_ANALYSES(DECLARE)

#define ROW(name, run, zh, en, summary, help) { name, summary, run, zh, en, help },
const an_job an_jobs[] = { AN_ANALYSES(ROW) };
const int an_njobs = (int)(sizeof an_jobs / sizeof an_jobs[0]);

json_t *an_jobs_json(void)
{
    json_t *terms = json_array();
    for (int i = 0; i < an_njobs; i++)
        json_array_append_new(terms, json_pack("{s:s, s:s, s:s}", "value", an_jobs[i].name, "zh", an_jobs[i].title_zh,
                                               "en", an_jobs[i].title_en));
    return json_pack("{s:b, s:s, s:o}", "open", 0, "about", "the analyses (rapport analyze)", "terms", terms);
}
