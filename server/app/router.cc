#include "server/app/router.h"

#include <algorithm>

#include "events/utf8.h"

namespace crm::server::app {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 1;  // after the leading '/'
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

bool IsCapture(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::Add(std::string method, std::string pattern, RouteHandler handler) {
  Add(std::move(method), std::move(pattern), std::move(handler), {});
}

void Router::Add(std::string method, std::string pattern, RouteHandler handler, AsyncRouteHandler async_handler) {
  std::vector<std::string> segments;
  for (const std::string_view segment : Split(pattern)) segments.emplace_back(segment);
  if (async_handler && std::find(async_methods_.begin(), async_methods_.end(), method) == async_methods_.end()) {
    async_methods_.push_back(method);
  }
  routes_.push_back(
      Route{std::move(method), std::move(pattern), std::move(segments), std::move(handler), std::move(async_handler)});
}

bool Router::Matches(const Route& route, const std::vector<std::string_view>& path_segments,
                     std::vector<std::pair<std::string, std::string_view>>* raw) {
  if (route.segments.size() != path_segments.size()) return false;
  raw->clear();
  for (std::size_t i = 0; i < path_segments.size(); ++i) {
    const std::string& expected = route.segments[i];
    if (IsCapture(expected)) {
      if (path_segments[i].empty()) return false;
      raw->emplace_back(expected.substr(1, expected.size() - 2), path_segments[i]);
    } else if (expected != path_segments[i]) {
      return false;
    }
  }
  return true;
}

Router::Match Router::Find(const http::HttpRequest& request) const {
  Match match;
  const std::vector<std::string_view> path_segments = Split(request.path);
  std::vector<std::pair<std::string, std::string_view>> raw;
  for (const Route& route : routes_) {
    if (!Matches(route, path_segments, &raw)) continue;
    if (route.method != request.method) {
      match.allowed += (match.allowed.empty() ? "" : ", ") + route.method;
      continue;
    }
    match.route = &route;
    for (const auto& [name, text] : raw) {
      std::string decoded;
      if (!http::PercentDecode(text, /*plus_is_space=*/false, &decoded) || !events::IsWellFormedUtf8(decoded)) {
        match.bad_segment = std::string(text);
        break;
      }
      match.params.emplace(name, std::move(decoded));
    }
    return match;
  }
  return match;
}

http::HttpResponse Router::Handle(const http::HttpRequest& request, std::string* matched_pattern) const {
  matched_pattern->clear();
  const Match match = Find(request);
  if (match.route != nullptr) {
    *matched_pattern = match.route->pattern;
    if (!match.bad_segment.empty()) {
      return http::ErrorResponse(400, "invalid_path",
                                 "the path segment '" + match.bad_segment + "' is not percent-encoded UTF-8");
    }
    return match.route->handler(request, match.params);
  }
  if (!match.allowed.empty()) {
    http::HttpResponse response =
        http::ErrorResponse(405, "method_not_allowed", request.method + " is not allowed here; use " + match.allowed);
    response.headers.emplace_back("Allow", match.allowed);
    return response;
  }
  return http::ErrorResponse(404, "not_found", "no such endpoint: " + request.method + " " + request.path);
}

bool Router::HandleAsync(const http::HttpRequest& request, std::string* matched_pattern,
                         const http::HttpResponder& responder) const {
  if (std::find(async_methods_.begin(), async_methods_.end(), request.method) == async_methods_.end()) return false;
  const Match match = Find(request);
  if (match.route == nullptr || !match.bad_segment.empty() || !match.route->async_handler) return false;
  *matched_pattern = match.route->pattern;
  match.route->async_handler(request, match.params, responder);
  return true;
}

std::vector<std::string> Router::Routes() const {
  std::vector<std::string> names;
  names.reserve(routes_.size());
  for (const Route& route : routes_) names.push_back(route.method + " " + route.pattern);
  return names;
}

}  // namespace crm::server::app
