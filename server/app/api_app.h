// ApiApp: crm-server's application behind the HTTP transport. Routes every api.md endpoint to
// its handler (command_routes.h, read_routes.h) and counts each answer in the metrics by route
// pattern. Thread-safe: Handle runs on many worker threads at once.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "server/app/app_context.h"
#include "server/app/router.h"
#include "server/http/http_types.h"

namespace crm::server::app {

class ApiApp {
 public:
  // `app` is borrowed for the ApiApp's life.
  explicit ApiApp(AppContext& app);

  http::HttpResponse Handle(const http::HttpRequest& request) const;
  // The transport's AsyncHttpHandler: takes the requests whose route answers without holding
  // a thread (customer commands that only wait for the disk), counting them in the metrics as
  // Handle does; false leaves the request to Handle. Called on an I/O thread.
  bool HandleAsync(const http::HttpRequest& request, const http::HttpResponder& responder) const;

  // True for a request that never waits on the log's fsync or a long poll: every read but
  // GET /v1/events. The transport runs these on its small quick pool (HttpServerOptions).
  // Called on an I/O thread: looks at the method and path only.
  static bool IsQuick(const http::HttpRequest& request);

  // Every "METHOD pattern" served.
  std::vector<std::string> Routes() const { return router_.Routes(); }

 private:
  // Counts an answered request: the in-flight gauge, and its route (or "unmatched"), status and
  // time since `started`.
  void Finished(const std::string& route, unsigned status, std::chrono::steady_clock::time_point started) const;

  AppContext& app_;
  Router router_;
};

}  // namespace crm::server::app
