// A JSON client of crm-server for the end-to-end tests: one keep-alive connection, bounded
// calls (tests/server/http/test_client.h), answers parsed as JSON.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "server/http/test_client.h"

namespace crm::server::testing {

using Json = nlohmann::json;

struct ApiResponse {
  unsigned status = 0;  // 0: no answer (connection failed or timed out)
  Json body;            // null when the body is not JSON
  std::string raw;

  // The error code of a refusal, or "" when the body has none.
  std::string code() const;
};

class ApiClient {
 public:
  explicit ApiClient(std::uint16_t port) : port_(port) {}

  ApiResponse Get(std::string_view target, std::string_view token);
  ApiResponse Post(std::string_view target, std::string_view token, const Json& body,
                   std::string_view idempotency_key = {});
  ApiResponse Put(std::string_view target, std::string_view token, const Json& body);
  // Any method with raw body bytes.
  ApiResponse Send(std::string_view method, std::string_view target, std::string_view token, std::string body,
                   std::string_view idempotency_key = {});

 private:
  std::uint16_t port_;
  http::testing::TestClient client_;
  bool connected_ = false;
};

// Percent-encodes a path segment or query value (UTF-8 bytes, '/' included).
std::string Escape(std::string_view text);

}  // namespace crm::server::testing
