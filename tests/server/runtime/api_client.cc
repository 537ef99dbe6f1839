#include "server/runtime/api_client.h"

#include <boost/beast/http/field.hpp>

namespace crm::server::testing {

std::string ApiResponse::code() const {
  if (!body.is_object() || !body.contains("error")) return {};
  return body["error"].value("code", "");
}

ApiResponse ApiClient::Get(std::string_view target, std::string_view token) {
  return Send("GET", target, token, {});
}

ApiResponse ApiClient::Post(std::string_view target, std::string_view token, const Json& body,
                            std::string_view idempotency_key) {
  return Send("POST", target, token, body.dump(), idempotency_key);
}

ApiResponse ApiClient::Put(std::string_view target, std::string_view token, const Json& body) {
  return Send("PUT", target, token, body.dump());
}

ApiResponse ApiClient::Send(std::string_view method, std::string_view target, std::string_view token, std::string body,
                            std::string_view idempotency_key) {
  // Two tries: a kept-alive connection the server has closed meanwhile answers nothing once.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!connected_) {
      client_.Close();
      connected_ = client_.Connect(port_);
      if (!connected_) return {};
    }
    http::testing::Request request = http::testing::MakeRequest(method, target, body);
    if (!token.empty()) request.set(boost::beast::http::field::authorization, "Bearer " + std::string(token));
    if (!idempotency_key.empty()) request.set("Idempotency-Key", std::string(idempotency_key));
    request.set(boost::beast::http::field::content_type, "application/json");
    std::optional<http::testing::Response> response = client_.Send(std::move(request));
    if (!response.has_value()) {
      connected_ = false;
      continue;
    }
    if (!response->keep_alive()) connected_ = false;
    ApiResponse answer;
    answer.status = response->result_int();
    answer.raw = response->body();
    answer.body = Json::parse(answer.raw, nullptr, /*allow_exceptions=*/false);
    if (answer.body.is_discarded()) answer.body = nullptr;
    return answer;
  }
  return {};
}

std::string Escape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xf]);
    }
  }
  return out;
}

}  // namespace crm::server::testing
