#include "server/app/api_app.h"

#include <chrono>
#include <memory>

#include "server/app/command_routes.h"
#include "server/app/read_routes.h"

namespace crm::server::app {

ApiApp::ApiApp(AppContext& app) : app_(app) {
  AddCustomerCommandRoutes(router_, app_);
  AddAdminCommandRoutes(router_, app_);
  AddCustomerReadRoutes(router_, app_);
  AddAnalyticsRoutes(router_, app_);
  AddSystemRoutes(router_, app_);
}

void ApiApp::Finished(const std::string& route, unsigned status, std::chrono::steady_clock::time_point started) const {
  app_.metrics.RequestFinished();
  app_.metrics.RecordRequest(route.empty() ? metrics::kUnmatchedRoute : route, static_cast<int>(status),
                             std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

http::HttpResponse ApiApp::Handle(const http::HttpRequest& request) const {
  const auto started = std::chrono::steady_clock::now();
  app_.metrics.RequestStarted();
  std::string route;
  http::HttpResponse response;
  try {
    response = router_.Handle(request, &route);
  } catch (...) {
    Finished(route, 500, started);  // the transport answers 500; the metrics still count it
    throw;
  }
  Finished(route, response.status, started);
  return response;
}

bool ApiApp::HandleAsync(const http::HttpRequest& request, const http::HttpResponder& responder) const {
  const auto started = std::chrono::steady_clock::now();
  // Set by the router before the route's handler runs, which may answer at once.
  auto route = std::make_shared<std::string>();
  http::HttpResponder measured = responder;
  measured.respond = [this, started, route, respond = responder.respond](http::HttpResponse response) {
    Finished(*route, response.status, started);
    respond(std::move(response));
  };
  app_.metrics.RequestStarted();
  bool taken = false;
  try {
    taken = router_.HandleAsync(request, route.get(), measured);
  } catch (...) {
    Finished(*route, 500, started);  // the transport answers 500; the metrics still count it
    throw;
  }
  if (!taken) app_.metrics.RequestFinished();  // Handle counts it
  return taken;
}

bool ApiApp::IsQuick(const http::HttpRequest& request) {
  // A read waits for the views at most --read-wait-ms, and only when they lag the log.
  return (request.method == "GET" || request.method == "HEAD") && request.path != "/v1/events";
}

}  // namespace crm::server::app
