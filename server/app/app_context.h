// What every route of crm-server works with: the command service, the projections, the log, the
// clock and the limits, wired by main() (or a test) and borrowed by the routes for the app's life.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "aggregates/service/command_service.h"
#include "events/log/event_log.h"
#include "projections/store/projection_host.h"
#include "server/api/json_body.h"
#include "server/app/server_clock.h"
#include "server/metrics/server_metrics.h"

namespace crm::server::app {

// How long a read waits for the views to fold everything acknowledged before it started (so a
// client reads its own writes) before answering 503 projection_lagging.
inline constexpr std::uint32_t kReadWaitMsDefault = 5'000;
// Long polls of GET /v1/events waiting at once; one more is answered 429, so that polls can
// never take every worker thread from commands.
inline constexpr std::size_t kEventPollsMaxDefault = 16;
// Events one GET /v1/events answer holds at most, whatever `limit` asks.
inline constexpr std::size_t kEventsPageMax = 1000;

struct AppOptions {
  // Default: kReadWaitMsDefault (5 s).
  std::uint32_t read_wait_ms = kReadWaitMsDefault;
  // Default: kEventPollsMaxDefault (16).
  std::size_t event_polls_max = kEventPollsMaxDefault;
  // Items one list answer holds at most (`limit` above it is refused). Default: 1000 (api.md).
  std::size_t page_items_max = 1000;
  // Deepest request body. Default: api::kJsonDepthMax (32).
  std::size_t json_depth_max = api::kJsonDepthMax;
  // Called after each command that may have made releases due (a test-clock change). Default: none.
  std::function<void()> after_clock_change;
};

struct AppContext {
  aggregates::CommandService& commands;
  projections::store::ProjectionHost& views;
  log::EventLog& log;
  ServerClock& clock;
  metrics::ServerMetrics& metrics;
  AppOptions options;
  std::atomic<std::size_t> event_polls{0};
};

}  // namespace crm::server::app
