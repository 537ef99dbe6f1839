#include "server/app/server_config.h"

#include <charconv>
#include <vector>

#include "events/time_format.h"
#include "server/api/json_body.h"
#include "server/api/query_params.h"
#include "server/app/app_context.h"
#include "server/app/deadline_sweeper.h"

namespace crm::server::app {
namespace {

enum class Kind : unsigned char { kText, kCount, kSwitch, kTime };

struct Flag {
  std::string_view name;     // "--data"
  std::string_view env;      // "CRM_DATA"
  Kind kind;
  std::string_view value;    // "DIR" in the help
  std::string fallback;      // the default, as --help shows it
  std::string_view help;
  std::uint64_t min = 0;     // counts only
  std::uint64_t max = 0;
  std::function<void(ServerConfig&, const std::string& text, std::uint64_t count)> set;
};

std::string Num(std::uint64_t value) {
  return std::to_string(value);
}

std::vector<Flag> Flags() {
  const http::HttpServerOptions http;
  using C = ServerConfig;
  return {
      {"--data", "CRM_DATA", Kind::kText, "DIR", std::string(kDataDirDefault),
       "the data directory (RocksDB); created on first start", 0, 0,
       [](C& c, const std::string& v, std::uint64_t) { c.data_dir = v; }},
      {"--listen", "CRM_LISTEN", Kind::kText, "HOST:PORT", http.listen_address,
       "address to listen on (port 0: any free port)", 0, 0,
       [](C& c, const std::string& v, std::uint64_t) { c.http.listen_address = v; }},
      {"--admin-token", "CRM_ADMIN_TOKEN", Kind::kText, "TOKEN", "none",
       "the first admin's bearer token (required on first start)", 0, 0,
       [](C& c, const std::string& v, std::uint64_t) { c.admin_token = v; }},
      {"--threads", "CRM_THREADS", Kind::kCount, "N", Num(http.worker_threads),
       "worker threads that run requests (claims, registrations and admin commands wait there for fsync)", 1, http::kWorkerThreadsMax,
       [](C& c, const std::string&, std::uint64_t n) { c.http.worker_threads = n; }},
      {"--read-threads", "CRM_READ_THREADS", Kind::kCount, "N", Num(http.quick_threads),
       "threads that run reads (all but GET /v1/events), apart from the commands", 1, http::kWorkerThreadsMax,
       [](C& c, const std::string&, std::uint64_t n) { c.http.quick_threads = n; }},
      {"--io-threads", "CRM_IO_THREADS", Kind::kCount, "N", Num(http.io_threads), "threads that run socket I/O", 1,
       http::kIoThreadsMax, [](C& c, const std::string&, std::uint64_t n) { c.http.io_threads = n; }},
      {"--max-body-bytes", "CRM_MAX_BODY_BYTES", Kind::kCount, "BYTES", Num(http.request_body_bytes_max),
       "largest request body (413 before it is read)", 1, std::uint64_t{1} << 30,
       [](C& c, const std::string&, std::uint64_t n) { c.http.request_body_bytes_max = n; }},
      {"--max-header-bytes", "CRM_MAX_HEADER_BYTES", Kind::kCount, "BYTES", Num(http.header_bytes_max),
       "largest request line and headers (431)", 1024, std::uint64_t{1} << 20,
       [](C& c, const std::string&, std::uint64_t n) { c.http.header_bytes_max = n; }},
      {"--read-timeout-ms", "CRM_READ_TIMEOUT_MS", Kind::kCount, "MS", Num(http.request_read_timeout_ms),
       "time for a whole request to arrive (408: slow clients are cut off)", 1, 3'600'000,
       [](C& c, const std::string&, std::uint64_t n) {
         c.http.request_read_timeout_ms = static_cast<std::uint32_t>(n);
       }},
      {"--idle-timeout-ms", "CRM_IDLE_TIMEOUT_MS", Kind::kCount, "MS", Num(http.idle_timeout_ms),
       "how long a kept-alive connection may idle", 1, 3'600'000,
       [](C& c, const std::string&, std::uint64_t n) { c.http.idle_timeout_ms = static_cast<std::uint32_t>(n); }},
      {"--max-connections", "CRM_MAX_CONNECTIONS", Kind::kCount, "N", Num(http.connections_max),
       "open connections at most (503 beyond)", 1, 1'000'000,
       [](C& c, const std::string&, std::uint64_t n) { c.http.connections_max = n; }},
      {"--max-json-depth", "CRM_MAX_JSON_DEPTH", Kind::kCount, "N", Num(api::kJsonDepthMax),
       "deepest nesting of a request body (400 too_deep)", 3, 1000,
       [](C& c, const std::string&, std::uint64_t n) { c.json_depth_max = n; }},
      {"--max-page-items", "CRM_MAX_PAGE_ITEMS", Kind::kCount, "N", Num(api::kPageItemsMax),
       "largest `limit` of a list", 1, 100'000,
       [](C& c, const std::string&, std::uint64_t n) { c.page_items_max = n; }},
      {"--sweep-interval-ms", "CRM_SWEEP_INTERVAL_MS", Kind::kCount, "MS", Num(kSweepIntervalMsDefault),
       "how often the deadline sweeper writes due releases", 10, 86'400'000,
       [](C& c, const std::string&, std::uint64_t n) { c.sweep_interval_ms = static_cast<std::uint32_t>(n); }},
      {"--read-wait-ms", "CRM_READ_WAIT_MS", Kind::kCount, "MS", Num(kReadWaitMsDefault),
       "how long a read waits for the views to catch up (503 after)", 1, 600'000,
       [](C& c, const std::string&, std::uint64_t n) { c.read_wait_ms = static_cast<std::uint32_t>(n); }},
      {"--max-event-polls", "CRM_MAX_EVENT_POLLS", Kind::kCount, "N", Num(kEventPollsMaxDefault),
       "GET /v1/events long polls at once (429 beyond)", 1, 100'000,
       [](C& c, const std::string&, std::uint64_t n) { c.event_polls_max = n; }},
      {"--test-clock", "CRM_TEST_CLOCK", Kind::kSwitch, "", "off",
       "time stands still until POST /v1/test/clock sets it (tests only)", 0, 0,
       [](C& c, const std::string&, std::uint64_t) { c.test_clock = true; }},
      {"--test-clock-start", "CRM_TEST_CLOCK_START", Kind::kTime, "TIME", "the last event's time, else now",
       "where the test clock starts (RFC 3339)", 0, 0, nullptr},
      {"--demo", "CRM_DEMO", Kind::kSwitch, "", "off", "on first start, load a demo company through the commands", 0, 0,
       [](C& c, const std::string&, std::uint64_t) { c.demo = true; }},
  };
}

Status Invalid(std::string_view source, std::string what) {
  return Status::InvalidArgument("invalid_flag", std::string(source) + ": " + what);
}

Status Apply(const Flag& flag, std::string_view source, const std::string& text, ServerConfig& config) {
  switch (flag.kind) {
    case Kind::kText:
      if (text.empty()) return Invalid(source, "needs a value (" + std::string(flag.value) + ")");
      flag.set(config, text, 0);
      return Status::Ok();
    case Kind::kSwitch:
      if (!text.empty() && text != "1" && text != "true" && text != "0" && text != "false") {
        return Invalid(source, "is a switch: 1/true or 0/false");
      }
      if (text.empty() || text == "1" || text == "true") flag.set(config, text, 0);
      return Status::Ok();
    case Kind::kTime: {
      const Result<events::TimeMs> time = events::ParseRfc3339(text);
      if (!time.ok()) return Invalid(source, "takes an RFC 3339 time like 2026-03-02T09:00:00Z, not '" + text + "'");
      config.test_clock_start_ms = *time;
      return Status::Ok();
    }
    case Kind::kCount: {
      std::uint64_t count = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
      if (text.empty() || error != std::errc() || end != text.data() + text.size() || count < flag.min ||
          count > flag.max) {
        return Invalid(source, "takes a whole number from " + Num(flag.min) + " to " + Num(flag.max) + ", not '" +
                                   text + "'");
      }
      flag.set(config, text, count);
      return Status::Ok();
    }
  }
  return Status::Ok();
}

ServerConfig Defaults() {
  ServerConfig config;
  config.json_depth_max = api::kJsonDepthMax;
  config.page_items_max = api::kPageItemsMax;
  config.sweep_interval_ms = kSweepIntervalMsDefault;
  config.read_wait_ms = kReadWaitMsDefault;
  config.event_polls_max = kEventPollsMaxDefault;
  return config;
}

}  // namespace

Result<ServerConfig> ParseServerConfig(int argc, const char* const* argv, const GetEnvFn& getenv) {
  ServerConfig config = Defaults();
  const std::vector<Flag> flags = Flags();
  for (const Flag& flag : flags) {
    const char* value = getenv(std::string(flag.env).c_str());
    if (value != nullptr) CRM_RETURN_IF_ERROR(Apply(flag, flag.env, value, config));
  }
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      config.help = true;
      continue;
    }
    const std::size_t equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    const Flag* flag = nullptr;
    for (const Flag& candidate : flags) {
      if (candidate.name == name) flag = &candidate;
    }
    if (flag == nullptr) return Invalid(arg, "unknown flag (see --help)");
    std::string value;
    if (equals != std::string::npos) {
      value = arg.substr(equals + 1);
    } else if (flag->kind != Kind::kSwitch) {
      if (i + 1 >= argc) return Invalid(name, "needs a value (" + std::string(flag->value) + ")");
      value = argv[++i];
    }
    CRM_RETURN_IF_ERROR(Apply(*flag, name, value, config));
  }
  return config;
}

std::string ServerHelp() {
  std::string help =
      "usage: crm-server [--data DIR] [--listen HOST:PORT] [--admin-token TOKEN] [--threads N] [--test-clock] ...\n"
      "\n"
      "Serves the CRM's HTTP API (README, API section; docs/openapi.yaml) on an embedded RocksDB log.\n"
      "Every flag may also come from its environment variable; a flag wins over the variable.\n"
      "\n";
  for (const Flag& flag : Flags()) {
    std::string left = "  " + std::string(flag.name);
    if (!flag.value.empty()) left += " " + std::string(flag.value);
    if (left.size() < 30) left.resize(30, ' ');
    help += left + " " + std::string(flag.help) + "\n" + std::string(32, ' ') + "[" + std::string(flag.env) +
            "; default: " + flag.fallback + "]\n";
  }
  return help;
}

}  // namespace crm::server::app
