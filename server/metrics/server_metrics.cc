#include "server/metrics/server_metrics.h"

#include <array>
#include <charconv>
#include <memory>
#include <utility>

namespace crm::metrics {
namespace {

std::vector<Sample> LogSample(const std::function<LogCounts()>& source, std::uint64_t LogCounts::*field) {
  const LogCounts counts = source ? source() : LogCounts{};
  return {Sample{{}, static_cast<double>(counts.*field)}};
}

std::vector<Sample> LagSamples(const std::function<ProjectionPositions()>& source) {
  std::vector<Sample> samples;
  if (!source) return samples;
  const ProjectionPositions positions = source();
  samples.reserve(positions.views.size());
  for (const ViewPosition& view : positions.views) {
    const std::uint64_t lag = positions.head_seq > view.applied_seq ? positions.head_seq - view.applied_seq : 0;
    samples.push_back(Sample{{view.view}, static_cast<double>(lag)});
  }
  return samples;
}

}  // namespace

ServerMetrics::ServerMetrics(ServerMetricsSources sources, RegistryOptions options)
    : registry_(options),
      requests_(registry_.AddCounter("crm_http_requests_total",
                                     "HTTP requests answered, by route pattern and status code.", {"route", "status"})),
      request_duration_(registry_.AddHistogram(
          "crm_http_request_duration_seconds", "Time to answer an HTTP request, by route pattern.",
          {kRequestDurationBucketsSeconds.begin(), kRequestDurationBucketsSeconds.end()}, {"route"})),
      connections_open_(registry_.AddGauge("crm_http_connections_open", "Open client connections.").Get()),
      requests_in_flight_(
          registry_.AddGauge("crm_http_requests_in_flight", "Requests read and not yet answered.").Get()),
      sweeper_runs_(registry_.AddCounter("crm_sweeper_runs_total", "Runs of the deadline sweeper.").Get()),
      sweeper_released_(registry_
                            .AddCounter("crm_sweeper_released_customers_total",
                                        "Customers the deadline sweeper released to the public pool.")
                            .Get()) {
  // The callbacks share the sources; each scrape samples the log once per counter, which is
  // cheap (LogStats is a few relaxed loads) and never mixes two scrapes in one value.
  auto log = std::make_shared<const std::function<LogCounts()>>(std::move(sources.log));
  registry_.AddCallbackCounter("crm_log_appends_total", "Acknowledged appends to the event log that wrote events.", {},
                               [log] { return LogSample(*log, &LogCounts::appended_batches); });
  registry_.AddCallbackCounter("crm_log_appended_events_total", "Events appended to the event log.", {},
                               [log] { return LogSample(*log, &LogCounts::appended_events); });
  registry_.AddCallbackCounter("crm_log_fsync_batches_total",
                               "Synced writes of the event log (group commits): one fsync each. Events per fsync "
                               "= rate(crm_log_appended_events_total) / rate(crm_log_fsync_batches_total).",
                               {}, [log] { return LogSample(*log, &LogCounts::commit_groups); });
  registry_.AddCallbackGauge("crm_projection_lag_events", "Events in the log not yet folded into a view.", {"view"},
                             [projections = std::move(sources.projections)] { return LagSamples(projections); });
}

void ServerMetrics::RecordRequest(std::string_view route, int status, double duration_seconds) {
  std::array<char, 16> status_text;  // any int fits
  const auto [end, error] = std::to_chars(status_text.data(), status_text.data() + status_text.size(), status);
  (void)error;  // cannot fail: the buffer holds every int
  const std::string_view status_label(status_text.data(), static_cast<std::size_t>(end - status_text.data()));
  requests_.WithLabels({route, status_label}).Increment();
  request_duration_.WithLabels({route}).Observe(duration_seconds);
}

void ServerMetrics::RecordSweep(std::size_t released_customers) {
  sweeper_runs_.Increment();
  sweeper_released_.Increment(released_customers);
}

}  // namespace crm::metrics
