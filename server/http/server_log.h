// The server's structured log: one JSON object per line, "ts" and "event" first. Internal to
// server/http.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>

#include "server/http/http_server.h"

namespace crm::server::http::internal {

struct RequestLogEntry {
  std::string_view method;  // empty when the request line was not understood
  std::string_view path;    // without the query; empty as above
  unsigned status = 0;
  double duration_ms = 0;  // first byte of the request to last byte of the answer
  std::size_t body_bytes_in = 0;
  std::size_t body_bytes_out = 0;
  std::string_view remote_address;
  std::string_view code;   // the error code of a transport answer; empty otherwise
  std::string_view error;  // what a throwing handler said; empty otherwise
};

class ServerLog {
 public:
  // An empty sink means StderrLogSink().
  explicit ServerLog(LogSink sink);

  // {"ts":...,"event":"request","method":...,"path":...,"status":...,"ms":...,"bytes":...,
  //  "bytesIn":...,"remote":...[,"code":...][,"error":...]}
  void Request(const RequestLogEntry& entry) const;

  // {"ts":...,"event":<event>, ...fields}. REQUIRES: fields is an object.
  void Event(std::string_view event, const nlohmann::ordered_json& fields = nlohmann::ordered_json::object()) const;

 private:
  void Write(const nlohmann::ordered_json& line) const;

  LogSink sink_;
};

}  // namespace crm::server::http::internal
