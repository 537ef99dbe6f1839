// ServerRuntime: a whole crm-server in one object: the log in the data directory, the command
// service, the first admin, the demo company on first start (--demo), the projections, the
// application, the HTTP transport and the deadline sweeper, wired in that order and stopped in
// reverse. main() is this plus flags and signals; the end-to-end tests run the same object on
// an ephemeral port, so what they test is what ships.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "events/status.h"
#include "server/app/server_config.h"
#include "server/demo/demo_company.h"
#include "server/http/http_server.h"

namespace crm::server {

class ServerRuntime {
 public:
  // Opens everything and starts serving. kUnavailable/data_dir_in_use when another process
  // holds the directory; kInvalidArgument/admin_token_required on an empty log without
  // --admin-token, admin_token_unknown for a token that is nobody's.
  static Result<std::unique_ptr<ServerRuntime>> Start(const app::ServerConfig& config);
  // Stops if running.
  ~ServerRuntime();
  ServerRuntime(const ServerRuntime&) = delete;
  ServerRuntime& operator=(const ServerRuntime&) = delete;

  std::uint16_t port() const;
  http::HttpServer& http();
  // The demo company loaded by this start, if it loaded one.
  const std::optional<demo::DemoReport>& demo() const;
  // Every "METHOD pattern" served.
  std::vector<std::string> Routes() const;
  // The log's head (events acknowledged so far).
  std::uint64_t head_seq() const;

  // Stops accepting, drains requests, stops the sweeper and the views, closes the log.
  // Idempotent. REQUIRES: not called from a request handler.
  void Stop();

 struct Parts;  // what the runtime owns; public so that its builders can be free functions

 private:
  explicit ServerRuntime(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

// One lifecycle line on `sink` in the request log's shape: {"ts":...,"event":...,...fields}.
// REQUIRES: `fields` is an object.
void LogLifecycle(const http::LogSink& sink, std::string_view event,
                  const nlohmann::ordered_json& fields = nlohmann::ordered_json::object());

}  // namespace crm::server
