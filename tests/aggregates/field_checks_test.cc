// The checks of the fields people type in (domain rule 5), on their own.
#include "aggregates/field_checks.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "testutil/status_matchers.h"

namespace crm::aggregates {
namespace {

TEST(FieldChecksTest, MobileNumbersHaveElevenDigitsStartingWithOne) {
  EXPECT_TRUE(IsMobileNumber("13812345678"));
  EXPECT_TRUE(IsMobileNumber("19912345678"));
  EXPECT_FALSE(IsMobileNumber(""));
  EXPECT_FALSE(IsMobileNumber("1381234567"));
  EXPECT_FALSE(IsMobileNumber("138123456789"));
  EXPECT_FALSE(IsMobileNumber("23812345678"));
  EXPECT_FALSE(IsMobileNumber("138 1234 567"));
  EXPECT_FALSE(IsMobileNumber("138-1234-5678"));
  EXPECT_FALSE(IsMobileNumber("１３８１２３４５６７８"));  // full-width digits
}

TEST(FieldChecksTest, LandlinesHaveAnAreaCodeAndSevenOrEightDigits) {
  for (const char* ok : {"0523-84561234", "0523-8456123", "010-88886666", "01088886666", "052384561234",
                         "0523-84561234-801", "010-8888666-1"}) {
    EXPECT_TRUE(IsLandlineNumber(ok)) << ok;
  }
  for (const char* bad : {"", "84561234", "523-84561234", "05-84561234", "05231-84561234", "0523-845612",
                          "0523-845612345", "0523-84561234-", "0523-84561234-1234567", "0523-8456x234", "0523 84561234",
                          "052384561", "0523845612345", "13812345678"}) {
    EXPECT_FALSE(IsLandlineNumber(bad)) << bad;
  }
}

TEST(FieldChecksTest, ALandlineNumberDoesNotStartWithZeroWhetherOrNotADashSeparatesIt) {
  EXPECT_FALSE(IsLandlineNumber("010-0123456"));
  // Without a dash the same digits are accepted: the split is ambiguous and any split that works
  // is taken, but no split of "0100123456" (010|0123456, 0100|123456) is a valid number.
  EXPECT_FALSE(IsLandlineNumber("0100123456"));
  EXPECT_FALSE(IsLandlineNumber("0000000000"));
}

TEST(FieldChecksTest, PostcodesHaveSixDigits) {
  EXPECT_TRUE(IsPostcode("214500"));
  EXPECT_FALSE(IsPostcode("21450"));
  EXPECT_FALSE(IsPostcode("2145000"));
  EXPECT_FALSE(IsPostcode("21450a"));
  EXPECT_FALSE(IsPostcode(""));
}

TEST(FieldChecksTest, EmailAddressesAreLocalAtDomainDotTld) {
  for (const char* ok : {"wang@example.com", "a.b+c@mail.example.cn", "王@例子.中国"}) {
    EXPECT_TRUE(IsEmailAddress(ok)) << ok;
  }
  for (const char* bad : {"", "wang", "wang@", "@example.com", "wang@example", "wang@.com", "wang@example.",
                          "wang@@example.com", "wa@ng@example.com", "wang@exa..mple.com", "wang @example.com",
                          "wang@example.com;li@example.com", "wang@example.com,"}) {
    EXPECT_FALSE(IsEmailAddress(bad)) << bad;
  }
  EXPECT_FALSE(IsEmailAddress(std::string(250, 'a') + "@b.cn"));
}

TEST(FieldChecksTest, RequiredTextIsNotBlank) {
  EXPECT_OK(CheckRequiredText("notes", "x", 10));
  for (const char* blank : {"", " ", "\t\r\n "}) {
    const Status status = CheckRequiredText("notes", blank, 10);
    EXPECT_EQ(status.reason(), "missing_field");
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(status.details().at("field"), "notes");
  }
  EXPECT_OK(CheckOptionalText("notes", "", 10));
}

TEST(FieldChecksTest, TextHasAByteLimit) {
  EXPECT_OK(CheckRequiredText("name", std::string(kShortTextBytesMax, 'x'), kShortTextBytesMax));
  const Status status = CheckRequiredText("name", std::string(kShortTextBytesMax + 1, 'x'), kShortTextBytesMax);
  EXPECT_EQ(status.reason(), "text_too_long");
  EXPECT_EQ(status.details().at("maxBytes"), "300");
  EXPECT_EQ(CheckOptionalText("intro", std::string(kLongTextBytesMax + 1, 'x'), kLongTextBytesMax).reason(),
            "text_too_long");
  // 100 CJK characters are 300 bytes.
  std::string hundred_characters;
  for (int i = 0; i < 100; ++i) hundred_characters += "春";
  EXPECT_OK(CheckRequiredText("name", hundred_characters, kShortTextBytesMax));
  EXPECT_EQ(CheckRequiredText("name", hundred_characters + "春", kShortTextBytesMax).reason(), "text_too_long");
}

TEST(FieldChecksTest, TextIsWellFormedUtf8) {
  for (const char* ok :
       {"靖江市春意空调有限公司", "\xC2\x80", "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "😀 emoji"}) {
    EXPECT_OK(CheckRequiredText("f", ok, 100)) << ok;
  }
  for (const char* bad : {"\x80", "\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF0\x80\x80\xAF",
                          "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\xE6\x98", "abc\xE6", "\xE6\x98\x41"}) {
    const Status status = CheckRequiredText("f", bad, 100);
    EXPECT_EQ(status.reason(), "invalid_utf8") << testing::PrintToString(std::string(bad));
  }
}

TEST(FieldChecksTest, IdentifiersAreShortAndPlain) {
  EXPECT_OK(CheckIdentifier("user_id", "s1"));
  EXPECT_OK(CheckIdentifier("contract_no", "HT/2026-001_a.b"));
  EXPECT_OK(CheckIdentifier("contract_no", std::string(kIdBytesMax, 'x')));
  for (const std::string& bad : {std::string(), std::string("a b"), std::string("张三"), std::string("a:b"),
                                 std::string(kIdBytesMax + 1, 'x')}) {
    const Status status = CheckIdentifier("contract_no", bad);
    EXPECT_EQ(status.reason(), "invalid_contract_no") << bad;
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace crm::aggregates
