// JSON written straight into a string must be byte for byte what nlohmann's dump() prints
// (the server's DumpJson: compact, UTF-8 as is, malformed bytes replaced).
#include "projections/json/json_text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

namespace crm::projections::json {
namespace {

std::string Dumped(const std::string& text) {
  return nlohmann::ordered_json(text).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string Appended(const std::string& text) {
  std::string out = "prefix:";
  AppendJsonString(out, text);
  return out.substr(7);
}

TEST(JsonTextTest, StringsAreWrittenAsDumpWritesThem) {
  std::string every_control;
  for (char c = 1; c < 0x20; ++c) every_control.push_back(c);
  const std::string cases[] = {
      "",
      "C1",
      "靖江市春意空调有限公司",
      "quote \" and backslash \\ and slash /",
      every_control,
      std::string("nul \0 inside", 12),
      "delete \x7f stays",
      "emoji 😀 and 𠀀",
      "bad \xff byte",
      "cut \xe6\x98",
      "overlong \xc0\xaf",
  };
  for (const std::string& text : cases) EXPECT_EQ(Appended(text), Dumped(text)) << text;
}

TEST(JsonTextTest, NumbersAreDecimal) {
  for (const std::uint64_t value :
       {std::uint64_t{0}, std::uint64_t{7}, std::uint64_t{1234567890}, std::numeric_limits<std::uint64_t>::max()}) {
    std::string out;
    AppendJsonNumber(out, value);
    EXPECT_EQ(out, nlohmann::json(value).dump());
  }
}

}  // namespace
}  // namespace crm::projections::json
