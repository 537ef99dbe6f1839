#include "server/api/http_errors.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace crm::server::api {
namespace {

TEST(HttpErrorsTest, EveryStatusCodeHasItsHttpStatus) {
  const std::pair<StatusCode, int> table[] = {
      {StatusCode::kOk, 200},
      {StatusCode::kInvalidArgument, 400},
      {StatusCode::kUnauthenticated, 401},
      {StatusCode::kPermissionDenied, 403},
      {StatusCode::kNotFound, 404},
      {StatusCode::kConflict, 409},
      {StatusCode::kTooLarge, 413},
      {StatusCode::kResourceExhausted, 429},
      {StatusCode::kCorruption, 500},
      {StatusCode::kIOError, 500},
      {StatusCode::kUnavailable, 503},
      {StatusCode::kInternal, 500},
  };
  for (const auto& [code, http] : table) {
    EXPECT_EQ(HttpStatusFor(Status(code, "r", "m")), http) << StatusCodeName(code);
  }
}

TEST(HttpErrorsTest, RefusalsOfTheRulebookMapAsDocsRulesSays) {
  // One reason per row of docs/rules.md's refusal table whose status is not the obvious one.
  EXPECT_EQ(HttpStatusFor(Status(StatusCode::kUnauthenticated, "unknown_user", "m")), 401);
  EXPECT_EQ(HttpStatusFor(Status::PermissionDenied("user_deactivated", "m")), 403);
  EXPECT_EQ(HttpStatusFor(Status::TooLarge("handover_too_large", "m")), 413);
  EXPECT_EQ(HttpStatusFor(Status(StatusCode::kResourceExhausted, "too_much_contention", "m")), 429);
  EXPECT_EQ(HttpStatusFor(Status::Conflict("idempotency_key_reused", "m")), 409);
}

TEST(HttpErrorsTest, ErrorBodyCarriesCodeMessageAndDetails) {
  const std::string body = ErrorBodyJson(
      Status::Conflict("already_protected", "王芳 已经保护了这个客户", {{"ownerId", "s2"}, {"customerId", "C7"}}));
  EXPECT_EQ(body, R"({"error":{"code":"already_protected","message":"王芳 已经保护了这个客户",)"
                  R"("details":{"customerId":"C7","ownerId":"s2"}}})");
}

TEST(HttpErrorsTest, ErrorBodyHasEmptyDetailsWhenThereAreNone) {
  const auto body = nlohmann::json::parse(ErrorBodyJson(Status::NotFound("customer_not_found", "no such customer")));
  EXPECT_EQ(body["error"]["code"], "customer_not_found");
  EXPECT_EQ(body["error"]["message"], "no such customer");
  EXPECT_EQ(body["error"]["details"], nlohmann::json::object());
}

TEST(HttpErrorsTest, ServerFaultsKeepTheirWordsInTheLog) {
  const auto body = nlohmann::json::parse(
      ErrorBodyJson(Status::IOError("write_failed", "/data/log/000012.log: no space", {{"path", "/data"}})));
  EXPECT_EQ(body["error"]["code"], "write_failed");
  EXPECT_EQ(body["error"]["message"].get<std::string>().find("/data"), std::string::npos);
  EXPECT_EQ(body["error"]["details"], nlohmann::json::object());
  // 503 is not a fault of ours to hide: the words say what to do.
  const auto unavailable = nlohmann::json::parse(ErrorBodyJson(Status::Unavailable("shutting_down", "restarting")));
  EXPECT_EQ(unavailable["error"]["message"], "restarting");
}

TEST(HttpErrorsTest, InvalidUtf8InAMessageIsReplacedNotThrown) {
  std::string body;
  EXPECT_NO_THROW(body = ErrorBodyJson(Status::InvalidArgument("invalid_time", "'\xff' is not a time")));
  EXPECT_TRUE(nlohmann::json::accept(body)) << body;
}

}  // namespace
}  // namespace crm::server::api
