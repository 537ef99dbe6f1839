// crm-server's configuration: every flag, its environment variable and its default (printed by
// --help). A flag beats its variable; a variable beats the default. Limits are the named
// constants of the layer that enforces them (http_server.h, json_body.h, query_params.h,
// app_context.h, deadline_sweeper.h).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "events/domain_values.h"
#include "events/status.h"
#include "server/http/http_server.h"

namespace crm::server::app {

inline constexpr std::string_view kDataDirDefault = "./data";

struct ServerConfig {
  std::string data_dir = std::string(kDataDirDefault);
  // Creates the first admin on an empty log; afterwards it must be that admin's token or empty.
  std::string admin_token;
  http::HttpServerOptions http;  // listen address, threads, transport limits
  std::size_t json_depth_max = 0;
  std::size_t page_items_max = 0;
  std::uint32_t sweep_interval_ms = 0;
  std::uint32_t read_wait_ms = 0;
  std::size_t event_polls_max = 0;
  bool test_clock = false;
  // Where the test clock starts. Default: the last event's time, or the machine's on an empty log.
  std::optional<events::TimeMs> test_clock_start_ms;
  // Loads the demo company (server/demo) on first start, when the log holds only the first admin.
  bool demo = false;
  bool help = false;
};

// Reads `getenv(name)` for variables (nullptr: unset). kInvalidArgument/invalid_flag naming the
// flag or variable and what it takes.
using GetEnvFn = std::function<const char*(const char* name)>;
Result<ServerConfig> ParseServerConfig(int argc, const char* const* argv, const GetEnvFn& getenv);

// The --help text: usage, then one line per flag with its variable and default.
std::string ServerHelp();

}  // namespace crm::server::app
