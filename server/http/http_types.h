// The values the HTTP transport hands to the application and takes back: a request, a response,
// and the handler between them. Nothing here knows Boost; the api layer (server/api/) builds on
// these without seeing Beast.
#pragma once

#include <cstdint>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crm::server::http {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // as sent, e.g. "GET"; the transport accepts any token method
  // The target's path, without the query, exactly as sent (still percent-encoded): routing on
  // a decoded path would let "%2F" inside an id split a segment. Decode each segment with
  // PercentDecode() after splitting. Always starts with '/'.
  std::string path;
  // The query's parameters in the order sent, percent-decoded ('+' is a space). A repeated
  // name appears repeatedly; FindQuery() answers the first. Bytes are not checked for UTF-8.
  QueryParams query;
  // The headers the api needs; empty when absent.
  std::string authorization;    // Authorization
  std::string idempotency_key;  // Idempotency-Key
  std::string content_type;     // Content-Type
  std::string body;             // at most HttpServerOptions::request_body_bytes_max bytes
  std::string remote_address;   // the peer's IP address, e.g. "127.0.0.1"
  std::uint16_t remote_port = 0;
  // Requested when the server starts to stop. A handler that waits (a long poll) should watch
  // it and answer with what it has, so that shutdown is not held up by it.
  std::stop_token stop_token;

  // The first value of the query parameter `name`, or nullptr. The pointer is borrowed from
  // this request and lives as long as it does.
  const std::string* FindQuery(std::string_view name) const;
};

struct HttpResponse {
  unsigned status = 200;  // 200..599; anything else is answered as a 500
  std::string body;       // sent as is; Content-Length is set by the transport
  std::string content_type = "application/json";
  // Extra headers (e.g. Location, Retry-After). The transport owns Content-Length,
  // Content-Type, Connection and Transfer-Encoding and ignores these names here, and drops a
  // header whose name or value holds CR, LF or NUL.
  std::vector<std::pair<std::string, std::string>> headers;
};

// Runs on a worker thread, never on an I/O thread, so it may block (an fsync'd append, a long
// poll). Called concurrently from up to HttpServerOptions::worker_threads threads at once.
// Expected failures (a rule refuses, a token is unknown) are responses with a 4xx status; an
// exception means an infrastructure fault and is answered with 500 "internal".
using HttpHandler = std::function<HttpResponse(const HttpRequest& request)>;

// What an asynchronous handler answers through. Each function may be called from any thread.
struct HttpResponder {
  // Answers the request; call it exactly once.
  std::function<void(HttpResponse response)> respond;
  // Runs a task on an I/O thread soon: for short work that must not block.
  std::function<void(std::function<void()> task)> post;
  // Runs a task on a worker thread: for work that may block.
  std::function<void(std::function<void()> task)> post_blocking;
};

// Offered every request first, on the I/O thread that read it, so it must not block. Returns
// false to leave the request to the HttpHandler; true when it has taken it, and will answer it
// through `responder` (the transport waits for that answer, also when stopping). Lets a request
// that only waits for the disk hold no thread while it waits (docs/benchmarks.md, "Peers").
// Taken requests do not count against queued_requests_max: a connection carries one request at
// a time, so connections_max bounds how many are open at once.
using AsyncHttpHandler = std::function<bool(const HttpRequest& request, const HttpResponder& responder)>;

// {"error":{"code":<code>,"message":<message>,"details":{}}}, the error body of api.md.
std::string ErrorBody(std::string_view code, std::string_view message);

// A response with status and ErrorBody(code, message).
HttpResponse ErrorResponse(unsigned status, std::string_view code, std::string_view message);

// Decodes %XX escapes; when plus_is_space, '+' becomes ' ' (query strings). Returns false, and
// leaves *out unspecified, on a '%' not followed by two hex digits.
bool PercentDecode(std::string_view text, bool plus_is_space, std::string* out);

// Splits "a=1&b=%E6%98%A5" into decoded pairs; "a" alone is ("a", ""), empty pieces are
// skipped. Returns false on a malformed escape.
bool ParseQuery(std::string_view query, QueryParams* out);

// Splits a request target into its path (as sent) and decoded query. Accepts the origin form
// ("/v1/pool?region=x") and the absolute form ("http://host/v1/pool", which RFC 9112 says a
// server must accept), whose scheme and authority are dropped. Returns false for anything
// else ("*", a relative path) and for a malformed query.
bool ParseTarget(std::string_view target, std::string* path, QueryParams* query);

}  // namespace crm::server::http
