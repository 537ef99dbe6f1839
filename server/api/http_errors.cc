#include "server/api/http_errors.h"

#include <nlohmann/json.hpp>

namespace crm::server::api {

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kConflict: return 409;
    case StatusCode::kTooLarge: return 413;
    case StatusCode::kResourceExhausted: return 429;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kCorruption:
    case StatusCode::kIOError:
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

std::string ErrorBodyJson(const Status& status) {
  // ordered_json: code, message, details, in api.md's order.
  using Ordered = nlohmann::ordered_json;
  const bool server_fault = HttpStatusFor(status) == 500;
  Ordered details = Ordered::object();
  if (!server_fault) {
    for (const auto& [key, value] : status.details()) details[key] = value;
  }
  Ordered error = Ordered::object();
  error["code"] = status.ok() ? std::string("internal") : status.reason();
  error["message"] =
      server_fault ? std::string("something went wrong on the server; please try again later") : status.message();
  error["details"] = std::move(details);
  Ordered body = Ordered::object();
  body["error"] = std::move(error);
  return body.dump(-1, ' ', /*ensure_ascii=*/false, Ordered::error_handler_t::replace);
}

}  // namespace crm::server::api
