// Result: a value or the Status that explains its absence, and conversions between Results.
#include "events/status.h"

#include <gtest/gtest.h>

#include <string>

namespace crm {
namespace {

// Made from a string only explicitly, as JsonText is from Json.
struct Length {
  explicit Length(const std::string& text) : bytes(text.size()) {}
  std::size_t bytes;
};

Result<std::string> Text(bool ok) {
  if (!ok) return Status::NotFound("no_text", "there is no text");
  return std::string("hello");
}

TEST(ResultTest, AResultOfAnotherTypeConvertsItsValue) {
  const Result<std::string> converted = Result<const char*>("converted");
  ASSERT_TRUE(converted.ok());
  EXPECT_EQ(*converted, "converted");

  const Result<Length> length = Text(true);
  ASSERT_TRUE(length.ok());
  EXPECT_EQ(length->bytes, 5u);
}

TEST(ResultTest, AFailureConvertsToTheSameFailure) {
  const Result<Length> length = Text(false);
  ASSERT_FALSE(length.ok());
  EXPECT_EQ(length.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(length.status().reason(), "no_text");
  EXPECT_EQ(length.status().message(), "there is no text");
}

TEST(ResultTest, AnOkStatusWithoutAValueIsAnInternalError) {
  const Result<int> result = Status::Ok();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().reason(), "ok_status_without_value");
}

}  // namespace
}  // namespace crm
