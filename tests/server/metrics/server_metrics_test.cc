#include "server/metrics/server_metrics.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "server/metrics/exposition.h"
#include "server/metrics/exposition_lines.h"

namespace crm::metrics {
namespace {

TEST(ServerMetricsTest, RegistersExactlyTheMetricsOfIssue5) {
  ServerMetrics metrics({});
  EXPECT_EQ(LinesStartingWith(metrics.Render(), "# TYPE "), (std::vector<std::string>{
                                                                "# TYPE crm_http_connections_open gauge",
                                                                "# TYPE crm_http_request_duration_seconds histogram",
                                                                "# TYPE crm_http_requests_in_flight gauge",
                                                                "# TYPE crm_http_requests_total counter",
                                                                "# TYPE crm_log_appended_events_total counter",
                                                                "# TYPE crm_log_appends_total counter",
                                                                "# TYPE crm_log_fsync_batches_total counter",
                                                                "# TYPE crm_projection_lag_events gauge",
                                                                "# TYPE crm_sweeper_released_customers_total counter",
                                                                "# TYPE crm_sweeper_runs_total counter",
                                                            }));
}

TEST(ServerMetricsTest, FreshMetricsAreZeroAndLabelledOnesAbsent) {
  ServerMetrics metrics({});
  const std::string text = metrics.Render();
  std::vector<std::string> samples;
  for (const std::string& line : LinesStartingWith(text, "crm_")) samples.push_back(line);
  EXPECT_EQ(samples, (std::vector<std::string>{
                         "crm_http_connections_open 0",
                         "crm_http_requests_in_flight 0",
                         "crm_log_appended_events_total 0",
                         "crm_log_appends_total 0",
                         "crm_log_fsync_batches_total 0",
                         "crm_sweeper_released_customers_total 0",
                         "crm_sweeper_runs_total 0",
                     }));
}

TEST(ServerMetricsTest, RequestsCountByRoutePatternAndStatus) {
  ServerMetrics metrics({});
  metrics.RecordRequest("/v1/customers/{id}", 200, 0.003);
  metrics.RecordRequest("/v1/customers/{id}", 200, 0.004);
  metrics.RecordRequest("/v1/customers/{id}", 404, 0.001);
  metrics.RecordRequest(kUnmatchedRoute, 404, 0.0001);
  EXPECT_EQ(LinesStartingWith(metrics.Render(), "crm_http_requests_total{"),
            (std::vector<std::string>{
                "crm_http_requests_total{route=\"/v1/customers/{id}\",status=\"200\"} 2",
                "crm_http_requests_total{route=\"/v1/customers/{id}\",status=\"404\"} 1",
                "crm_http_requests_total{route=\"unmatched\",status=\"404\"} 1",
            }));
}

TEST(ServerMetricsTest, LatencyHistogramUsesTheIssueBucketsInSeconds) {
  ServerMetrics metrics({});
  metrics.RecordRequest("/v1/pool", 200, 0.0005);  // on the first bound: counts in it
  metrics.RecordRequest("/v1/pool", 200, 0.02);
  metrics.RecordRequest("/v1/pool", 200, 30);  // a long poll beyond the last bound
  const std::string text = metrics.Render();
  EXPECT_EQ(LinesStartingWith(text, "crm_http_request_duration_seconds_bucket{"),
            (std::vector<std::string>{
                "crm_http_request_duration_seconds_bucket{route=\"/v1/pool\",le=\"0.0005\"} 1",
                "crm_http_request_duration_seconds_bucket{route=\"/v1/pool\",le=\"0.001\"} 1",
                "crm_http_request_duration_seconds_bucket{route=\"/v1/pool\",le=\"0.0025\"} 1",
                "crm_http_request_duration_seconds_bucket{route=\"/v1/pool\",le=\"0.005\"} 1",
                "crm_http_request_duration_seconds_bucket{route=\"/v1/pool\",le=\"0.01\"} 1",
                "crm_http_request_duration_seconds_bucket{route=\"/v1/pool\",le=\"0.025\"} 2",
                "crm_http_request_duration_seconds_bucket{route=\"/v1/pool\",le=\"0.05\"} 2",
                "crm_http_request_duration_seconds_bucket{route=\"/v1/pool\",le=\"0.1\"} 2",
                "crm_http_request_duration_seconds_bucket{route=\"/v1/pool\",le=\"0.25\"} 2",
                "crm_http_request_duration_seconds_bucket{route=\"/v1/pool\",le=\"0.5\"} 2",
                "crm_http_request_duration_seconds_bucket{route=\"/v1/pool\",le=\"1\"} 2",
                "crm_http_request_duration_seconds_bucket{route=\"/v1/pool\",le=\"2.5\"} 2",
                "crm_http_request_duration_seconds_bucket{route=\"/v1/pool\",le=\"5\"} 2",
                "crm_http_request_duration_seconds_bucket{route=\"/v1/pool\",le=\"10\"} 2",
                "crm_http_request_duration_seconds_bucket{route=\"/v1/pool\",le=\"+Inf\"} 3",
            }));
  EXPECT_EQ(LinesStartingWith(text, "crm_http_request_duration_seconds_count{"),
            std::vector<std::string>{"crm_http_request_duration_seconds_count{route=\"/v1/pool\"} 3"});
  EXPECT_EQ(LinesStartingWith(text, "crm_http_request_duration_seconds_sum{"),
            std::vector<std::string>{"crm_http_request_duration_seconds_sum{route=\"/v1/pool\"} " +
                                     FormatValue(0.0005 + 0.02 + 30)});
}

TEST(ServerMetricsTest, LogCountersAreSampledFromTheSourceAtEachScrape) {
  LogCounts counts{.appended_batches = 10, .appended_events = 25, .commit_groups = 4};
  ServerMetricsSources sources;
  sources.log = [&counts] { return counts; };
  ServerMetrics metrics(std::move(sources));
  EXPECT_EQ(LinesStartingWith(metrics.Render(), "crm_log_"), (std::vector<std::string>{
                                                                 "crm_log_appended_events_total 25",
                                                                 "crm_log_appends_total 10",
                                                                 "crm_log_fsync_batches_total 4",
                                                             }));
  counts = {.appended_batches = 11, .appended_events = 27, .commit_groups = 5};
  EXPECT_EQ(LinesStartingWith(metrics.Render(), "crm_log_"), (std::vector<std::string>{
                                                                 "crm_log_appended_events_total 27",
                                                                 "crm_log_appends_total 11",
                                                                 "crm_log_fsync_batches_total 5",
                                                             }));
}

TEST(ServerMetricsTest, ProjectionLagIsHeadMinusAppliedPerView) {
  ProjectionPositions positions{.head_seq = 100, .views = {{"customers", 100}, {"analytics", 60}, {"contracts", 0}}};
  ServerMetricsSources sources;
  sources.projections = [&positions] { return positions; };
  ServerMetrics metrics(std::move(sources));
  EXPECT_EQ(LinesStartingWith(metrics.Render(), "crm_projection_lag_events{"),
            (std::vector<std::string>{
                "crm_projection_lag_events{view=\"analytics\"} 40",
                "crm_projection_lag_events{view=\"contracts\"} 100",
                "crm_projection_lag_events{view=\"customers\"} 0",
            }));
  // A view that folded past the head read a moment earlier shows no lag, not a huge one.
  positions = {.head_seq = 120, .views = {{"customers", 125}}};
  EXPECT_EQ(LinesStartingWith(metrics.Render(), "crm_projection_lag_events{"),
            std::vector<std::string>{"crm_projection_lag_events{view=\"customers\"} 0"});
}

TEST(ServerMetricsTest, SweeperRunsAndReleasedCustomersAccumulate) {
  ServerMetrics metrics({});
  metrics.RecordSweep(0);
  metrics.RecordSweep(3);
  metrics.RecordSweep(256);
  const std::string text = metrics.Render();
  EXPECT_EQ(LinesStartingWith(text, "crm_sweeper_runs_total "), std::vector<std::string>{"crm_sweeper_runs_total 3"});
  EXPECT_EQ(LinesStartingWith(text, "crm_sweeper_released_customers_total "),
            std::vector<std::string>{"crm_sweeper_released_customers_total 259"});
}

TEST(ServerMetricsTest, ConnectionsAndInFlightGoUpAndDown) {
  ServerMetrics metrics({});
  metrics.ConnectionOpened();
  metrics.ConnectionOpened();
  metrics.RequestStarted();
  metrics.RequestStarted();
  metrics.RequestStarted();
  metrics.RequestFinished();
  metrics.ConnectionClosed();
  const std::string text = metrics.Render();
  EXPECT_EQ(LinesStartingWith(text, "crm_http_connections_open "),
            std::vector<std::string>{"crm_http_connections_open 1"});
  EXPECT_EQ(LinesStartingWith(text, "crm_http_requests_in_flight "),
            std::vector<std::string>{"crm_http_requests_in_flight 2"});
}

TEST(ServerMetricsTest, ConcurrentRequestsFrom8ThreadsSumExactly) {
  constexpr int kThreads = 8;
  constexpr int kRequestsPerThread = 10'000;
  ServerMetrics metrics({});
  std::atomic<bool> go{false};
  std::atomic<bool> stop_scraping{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < kRequestsPerThread; ++i) {
        metrics.RequestStarted();
        metrics.RecordRequest(t % 2 == 0 ? "/v1/pool" : "/v1/customers/{id}", i % 4 == 0 ? 404 : 200, 0.001);
        metrics.RequestFinished();
      }
    });
  }
  std::thread scraper([&] {  // scrapes race with the requests
    while (!stop_scraping.load()) (void)metrics.Render();
  });
  go.store(true);
  for (std::thread& thread : threads) thread.join();
  stop_scraping.store(true);
  scraper.join();

  // Each route: 4 threads x 10'000 requests, a quarter of them 404.
  const std::string text = metrics.Render();
  EXPECT_EQ(LinesStartingWith(text, "crm_http_requests_total{"),
            (std::vector<std::string>{
                "crm_http_requests_total{route=\"/v1/customers/{id}\",status=\"200\"} 30000",
                "crm_http_requests_total{route=\"/v1/customers/{id}\",status=\"404\"} 10000",
                "crm_http_requests_total{route=\"/v1/pool\",status=\"200\"} 30000",
                "crm_http_requests_total{route=\"/v1/pool\",status=\"404\"} 10000",
            }));
  EXPECT_EQ(LinesStartingWith(text, "crm_http_request_duration_seconds_count{"),
            (std::vector<std::string>{
                "crm_http_request_duration_seconds_count{route=\"/v1/customers/{id}\"} 40000",
                "crm_http_request_duration_seconds_count{route=\"/v1/pool\"} 40000",
            }));
  EXPECT_EQ(LinesStartingWith(text, "crm_http_requests_in_flight "),
            std::vector<std::string>{"crm_http_requests_in_flight 0"});
}

}  // namespace
}  // namespace crm::metrics
