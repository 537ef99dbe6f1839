// Router: api.md's paths to handlers. Patterns are literal segments and `{name}` captures,
// e.g. "/v1/customers/{id}/extension-requests/{rid}/decision". Matching is on the path as sent,
// split at '/', and each captured segment is percent-decoded afterwards, so an id holding "%2F"
// ("HT/2026/001") stays one segment.
//
//   no pattern matches the path             404 not_found
//   a pattern matches, but not the method   405 method_not_allowed, with Allow
//   a captured segment is not valid %-escaped UTF-8                     400 invalid_path
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "server/http/http_types.h"

namespace crm::server::app {

// Captured segments by name, decoded.
using PathParams = std::map<std::string, std::string, std::less<>>;

using RouteHandler = std::function<http::HttpResponse(const http::HttpRequest&, const PathParams&)>;
// A route's way of answering without holding a thread (http::AsyncHttpHandler): called on an
// I/O thread, it must not block, and answers through the responder exactly once.
using AsyncRouteHandler = std::function<void(const http::HttpRequest&, const PathParams&, const http::HttpResponder&)>;

class Router {
 public:
  // REQUIRES: `pattern` starts with '/'; method and pattern are not added twice.
  void Add(std::string method, std::string pattern, RouteHandler handler);
  // The same route, also answerable by `async_handler` (HandleAsync); `handler` must answer it
  // the same way, for callers that wait.
  void Add(std::string method, std::string pattern, RouteHandler handler, AsyncRouteHandler async_handler);

  // Answers `request` with the handler of the first matching route. `*matched_pattern` is the
  // route's pattern, or empty when no route matched (metrics label requests by it).
  http::HttpResponse Handle(const http::HttpRequest& request, std::string* matched_pattern) const;
  // When `request` matches a route that has an async handler (with well-formed captures), calls
  // it and returns true, with `*matched_pattern` set; otherwise returns false and Handle answers.
  bool HandleAsync(const http::HttpRequest& request, std::string* matched_pattern,
                   const http::HttpResponder& responder) const;

  // Every "METHOD pattern", in the order added (docs and tests check them against openapi.yaml).
  std::vector<std::string> Routes() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;  // "{id}" for a capture
    RouteHandler handler;
    AsyncRouteHandler async_handler;  // empty: none
  };
  // What a request's method and path name.
  struct Match {
    const Route* route = nullptr;  // nullptr: no route has this method and path
    PathParams params;             // its captures, decoded
    std::string bad_segment;       // a capture that is not %-encoded UTF-8, as sent; empty: none
    std::string allowed;           // the methods of the routes with this path, when route is nullptr
  };
  Match Find(const http::HttpRequest& request) const;
  // Whether `path_segments` fit `route`; fills `raw` with the captured segments as sent.
  static bool Matches(const Route& route, const std::vector<std::string_view>& path_segments,
                      std::vector<std::pair<std::string, std::string_view>>* raw);

  std::vector<Route> routes_;
  // Methods with at least one async route: HandleAsync, offered every request, skips the rest
  // without matching paths twice (reads are the hot path).
  std::vector<std::string> async_methods_;
};

}  // namespace crm::server::app
