#include "server/http/server_log.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

#include "events/time_format.h"

namespace crm::server::http {

LogSink StderrLogSink() {
  return [](std::string_view line) {
    std::string framed;
    framed.reserve(line.size() + 1);
    framed.append(line).push_back('\n');
    std::fwrite(framed.data(), 1, framed.size(), stderr);
  };
}

namespace internal {

namespace {

nlohmann::ordered_json Header(std::string_view event) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  nlohmann::ordered_json line;
  line["ts"] = events::FormatRfc3339(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
  line["event"] = event;
  return line;
}

}  // namespace

ServerLog::ServerLog(LogSink sink) : sink_(sink ? std::move(sink) : StderrLogSink()) {}

void ServerLog::Request(const RequestLogEntry& entry) const {
  nlohmann::ordered_json line = Header("request");
  line["method"] = entry.method;
  line["path"] = entry.path;
  line["status"] = entry.status;
  // Microsecond resolution is all a request log needs, and keeps the lines short.
  line["ms"] = std::round(entry.duration_ms * 1000.0) / 1000.0;
  line["bytes"] = entry.body_bytes_out;
  line["bytesIn"] = entry.body_bytes_in;
  line["remote"] = entry.remote_address;
  if (!entry.code.empty()) line["code"] = entry.code;
  if (!entry.error.empty()) line["error"] = entry.error;
  Write(line);
}

void ServerLog::Event(std::string_view event, const nlohmann::ordered_json& fields) const {
  nlohmann::ordered_json line = Header(event);
  for (const auto& [key, value] : fields.items()) line[key] = value;
  Write(line);
}

void ServerLog::Write(const nlohmann::ordered_json& line) const {
  // Method and path are client bytes and may not be UTF-8: replace them rather than throw.
  sink_(line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

}  // namespace internal
}  // namespace crm::server::http
