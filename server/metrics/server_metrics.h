// ServerMetrics: what crm-server's GET /metrics exposes (issue 5), on a Registry of its own.
//
//   crm_http_requests_total{route,status}             counter    answered requests
//   crm_http_request_duration_seconds{route}          histogram  request latency, buckets 0.0005 .. 10 s
//   crm_http_connections_open                         gauge
//   crm_http_requests_in_flight                       gauge
//   crm_log_appends_total                             counter    LogStats.appended_batches (sampled)
//   crm_log_appended_events_total                     counter    LogStats.appended_events (sampled)
//   crm_log_fsync_batches_total                       counter    LogStats.commit_groups (sampled)
//   crm_projection_lag_events{view}                   gauge      head seq - applied seq (sampled)
//   crm_sweeper_runs_total                            counter
//   crm_sweeper_released_customers_total              counter
//
// Fsync batch sizes: LogStats keeps totals since open, not one number per commit group, so a
// histogram of group sizes cannot be derived from it; the three log counters give the mean
// instead, e.g. rate(crm_log_appended_events_total[1m]) / rate(crm_log_fsync_batches_total[1m])
// events per fsync, and the same with crm_log_appends_total for appends per fsync. (A true
// histogram would need a per-group hook in the log's writer.)
//
// The metrics library links nothing of ours: the log's and the projections' numbers come in
// through ServerMetricsSources, which main() wires, e.g.
//
//   metrics::ServerMetricsSources sources;
//   sources.log = [&log] {
//     const log::LogStats s = log.Stats();
//     return metrics::LogCounts{s.appended_batches, s.appended_events, s.commit_groups};
//   };
//   sources.projections = [&log, &host] {
//     metrics::ProjectionPositions p{.head_seq = log.HeadSeq(), .views = {}};  // head first
//     for (const auto& s : host.Statuses()) p.views.push_back({s.name, s.applied_seq});
//     return p;
//   };
//
// Thread-safety: every method may be called from any number of threads at once.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "server/metrics/registry.h"

namespace crm::metrics {

// The route label of a request no route matched (an unknown path, answered 404): one series for
// all of them, whatever the path was.
inline constexpr std::string_view kUnmatchedRoute = "unmatched";

// Upper bounds of the request latency buckets, in seconds: 0.5 ms (a cached read) to 10 s (a
// long-polled feed request).
inline constexpr std::array<double, 14> kRequestDurationBucketsSeconds = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

// The LogStats fields the server exposes, copied at scrape time.
struct LogCounts {
  std::uint64_t appended_batches = 0;  // acknowledged appends that wrote events
  std::uint64_t appended_events = 0;
  std::uint64_t commit_groups = 0;  // synced writes: one fsync each
};

struct ViewPosition {
  std::string view;               // the projection's name, e.g. "customers"
  std::uint64_t applied_seq = 0;  // the last event folded into its serving fold
};

struct ProjectionPositions {
  // The log's head. Read it before the views' positions, so that a view folding meanwhile shows
  // a lag too small rather than too large; a view past the head shows 0.
  std::uint64_t head_seq = 0;
  std::vector<ViewPosition> views;
};

// Numbers owned by others, sampled at every scrape from the scraping thread. Each must stay
// callable for the ServerMetrics' life.
struct ServerMetricsSources {
  // Default: none (the log counters stay at 0).
  std::function<LogCounts()> log;
  // Default: none (no crm_projection_lag_events series).
  std::function<ProjectionPositions()> projections;
};

class ServerMetrics {
 public:
  explicit ServerMetrics(ServerMetricsSources sources, RegistryOptions options = {});
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  // One answered request. `route` is the pattern the router matched ("/v1/customers/{id}"),
  // never the raw path: a label value per customer id would grow the series without bound (the
  // registry's series_per_family_max caps the damage by folding the excess into one overflow
  // series). kUnmatchedRoute when no route matched. A shared lock and two map look-ups, plus
  // three atomic adds.
  void RecordRequest(std::string_view route, int status, double duration_seconds);

  // In-flight and open counts: call each pair exactly once per request / connection.
  void RequestStarted() { requests_in_flight_.Increment(); }
  void RequestFinished() { requests_in_flight_.Decrement(); }
  void ConnectionOpened() { connections_open_.Increment(); }
  void ConnectionClosed() { connections_open_.Decrement(); }

  // One run of the deadline sweeper, with the customers it released back to the pool.
  void RecordSweep(std::size_t released_customers);

  // The body of GET /metrics; serve it with kExpositionContentType.
  std::string Render() const { return registry_.Render(); }

  // For the shell's own additions; the names above are taken.
  Registry& registry() { return registry_; }

 private:
  Registry registry_;
  Family<Counter>& requests_;
  Family<Histogram>& request_duration_;
  Gauge& connections_open_;
  Gauge& requests_in_flight_;
  Counter& sweeper_runs_;
  Counter& sweeper_released_;
};

}  // namespace crm::metrics
