#include "server/runtime/server_runtime.h"

#include "aggregates/service/command_service.h"
#include "events/log/event_log.h"
#include "events/log/sha256.h"
#include "events/time_format.h"
#include "projections/all_projections.h"
#include "projections/store/projection_host.h"
#include "server/app/api_app.h"
#include "server/app/deadline_sweeper.h"
#include "server/metrics/server_metrics.h"

namespace crm::server {
namespace {

using Json = nlohmann::ordered_json;

Result<std::unique_ptr<log::EventLog>> OpenLog(const std::string& dir) {
  log::LogOptions options;
  options.store.path = dir;
  options.store.mode = log::OpenMode::kReadWrite;
  Result<std::unique_ptr<log::EventLog>> opened = log::EventLog::Open(options);
  // RocksDB names its LOCK file when another process (or this one) holds the directory.
  if (!opened.ok() && opened.status().message().find("/LOCK") != std::string::npos) {
    return Status::Unavailable("data_dir_in_use", "the data directory " + dir +
                                                      " is in use by another process (another crm-server?)");
  }
  return opened;
}

// The first admin comes from --admin-token on an empty log. Later starts need no token; a
// token that is nobody's is refused rather than ignored, so that a typo is noticed.
Status EnsureFirstAdmin(aggregates::CommandService& commands, const std::string& token, events::TimeMs now_ms) {
  const bool empty = commands.Users().empty();
  if (token.empty()) {
    if (!empty) return Status::Ok();
    return Status::InvalidArgument("admin_token_required",
                                   "the log is empty: give --admin-token (or CRM_ADMIN_TOKEN) to create the first admin");
  }
  const events::Sha256Digest hash = log::Sha256(token);
  if (commands.FindUserByToken(hash).has_value()) return Status::Ok();
  if (!empty) {
    return Status::InvalidArgument("admin_token_unknown",
                                   "--admin-token is no user's token; the first admin was created with another one");
  }
  const aggregates::CreateUser admin{.user_id = "admin", .name = "Administrator",
                                     .role = events::Role::kAdmin, .team = "", .manager_id = "",
                                     .token_sha256 = hash};
  return commands.CreateFirstAdmin(admin, now_ms).status();
}

events::TimeMs TestClockStart(const app::ServerConfig& config, const log::EventLog& log) {
  if (config.test_clock_start_ms.has_value()) return *config.test_clock_start_ms;
  if (log.HeadSeq() > 0) {
    const Result<events::RecordedEvent> last = log.Read(log.HeadSeq());
    if (last.ok()) return last->envelope.recorded_at_ms;
  }
  return app::ServerClock(app::ServerClock::Mode::kSystem).Now();
}

}  // namespace

void LogLifecycle(const http::LogSink& sink, std::string_view event, const Json& fields) {
  Json line{{"ts", events::FormatRfc3339Millis(app::ServerClock(app::ServerClock::Mode::kSystem).Now())},
            {"event", event}};
  line.update(fields);
  sink(line.dump(-1, ' ', false, Json::error_handler_t::replace));
}

// Declared in the order they are built; destroyed in reverse.
struct ServerRuntime::Parts {
  http::LogSink sink;
  std::unique_ptr<log::EventLog> log;
  std::unique_ptr<app::ServerClock> clock;
  std::unique_ptr<aggregates::CommandService> commands;
  std::optional<demo::DemoReport> demo;
  std::unique_ptr<projections::store::ProjectionHost> views;
  std::unique_ptr<metrics::ServerMetrics> metrics;
  std::unique_ptr<app::DeadlineSweeper> sweeper;
  std::unique_ptr<app::AppContext> context;
  std::unique_ptr<app::ApiApp> api;
  std::unique_ptr<http::HttpServer> http;
  bool stopped = false;
};

namespace {

Status OpenDomain(const app::ServerConfig& config, ServerRuntime::Parts& parts) {
  CRM_ASSIGN_OR_RETURN(parts.log, OpenLog(config.data_dir));
  parts.clock = std::make_unique<app::ServerClock>(
      config.test_clock ? app::ServerClock::Mode::kTest : app::ServerClock::Mode::kSystem,
      config.test_clock ? TestClockStart(config, *parts.log) : 0);
  CRM_ASSIGN_OR_RETURN(parts.commands, aggregates::CommandService::Open(*parts.log));
  if (config.demo && parts.log->HeadSeq() == 0 && !config.admin_token.empty()) {
    // The demo writes 90 days of history ending now, and creates the first admin (with this
    // token) at its start: the log's times never go backwards, so the admin cannot come first.
    const demo::DemoOptions options{.now_ms = parts.clock->Now(), .admin_token_sha256 = log::Sha256(config.admin_token)};
    CRM_ASSIGN_OR_RETURN(demo::DemoReport report, demo::LoadDemoCompany(*parts.commands, options));
    parts.demo = std::move(report);
  }
  CRM_RETURN_IF_ERROR(EnsureFirstAdmin(*parts.commands, config.admin_token, parts.clock->Now()));
  CRM_ASSIGN_OR_RETURN(parts.views, projections::store::ProjectionHost::Open(*parts.log, projections::AllProjections()));
  parts.views->Start();
  return Status::Ok();
}

std::unique_ptr<metrics::ServerMetrics> MakeMetrics(log::EventLog& log, projections::store::ProjectionHost& views) {
  metrics::ServerMetricsSources sources;
  sources.log = [&log] {
    const log::LogStats stats = log.Stats();
    return metrics::LogCounts{stats.appended_batches, stats.appended_events, stats.commit_groups};
  };
  sources.projections = [&log, &views] {
    metrics::ProjectionPositions positions{.head_seq = log.HeadSeq(), .views = {}};
    for (const auto& status : views.Statuses()) positions.views.push_back({status.name, status.applied_seq});
    return positions;
  };
  return std::make_unique<metrics::ServerMetrics>(std::move(sources));
}

}  // namespace

Result<std::unique_ptr<ServerRuntime>> ServerRuntime::Start(const app::ServerConfig& config) {
  auto parts = std::make_unique<Parts>();
  parts->sink = config.http.log_sink ? config.http.log_sink : http::StderrLogSink();
  CRM_RETURN_IF_ERROR(OpenDomain(config, *parts));
  parts->metrics = MakeMetrics(*parts->log, *parts->views);
  Parts& p = *parts;
  parts->sweeper = std::make_unique<app::DeadlineSweeper>(
      *p.commands, *p.clock, config.sweep_interval_ms, [&p](const app::SweepPassReport& pass) {
        p.metrics->RecordSweep(pass.released);
        if (!pass.status.ok()) {
          LogLifecycle(p.sink, "sweep_failed", {{"code", pass.status.reason()}, {"message", pass.status.message()}});
        }
      });
  parts->context.reset(new app::AppContext{
      .commands = *p.commands, .views = *p.views, .log = *p.log, .clock = *p.clock, .metrics = *p.metrics,
      .options = app::AppOptions{.read_wait_ms = config.read_wait_ms, .event_polls_max = config.event_polls_max,
                                 .page_items_max = config.page_items_max, .json_depth_max = config.json_depth_max,
                                 .after_clock_change = [&p] { p.sweeper->SweepNow(); }},
      .event_polls = {}});
  parts->api = std::make_unique<app::ApiApp>(*p.context);
  http::HttpServerOptions http_options = config.http;
  http_options.log_sink = p.sink;
  http_options.is_quick = app::ApiApp::IsQuick;
  http_options.async_handler = [&p](const http::HttpRequest& request, const http::HttpResponder& responder) {
    return p.api->HandleAsync(request, responder);
  };
  parts->http = std::make_unique<http::HttpServer>(
      http_options, [&p](const http::HttpRequest& request) { return p.api->Handle(request); });
  CRM_RETURN_IF_ERROR(parts->http->Start());
  parts->sweeper->Start();
  return std::unique_ptr<ServerRuntime>(new ServerRuntime(std::move(parts)));
}

ServerRuntime::ServerRuntime(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

ServerRuntime::~ServerRuntime() {
  Stop();
}

std::uint16_t ServerRuntime::port() const {
  return parts_->http->port();
}

http::HttpServer& ServerRuntime::http() {
  return *parts_->http;
}

const std::optional<demo::DemoReport>& ServerRuntime::demo() const {
  return parts_->demo;
}

std::vector<std::string> ServerRuntime::Routes() const {
  return parts_->api->Routes();
}

std::uint64_t ServerRuntime::head_seq() const {
  return parts_->log->HeadSeq();
}

void ServerRuntime::Stop() {
  if (parts_ == nullptr || parts_->stopped) return;
  parts_->stopped = true;
  parts_->http->Stop();
  parts_->sweeper->Stop();
  parts_->views->Stop();
}

}  // namespace crm::server
