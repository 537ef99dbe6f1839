#include "events/company_name.h"

#include <gtest/gtest.h>

#include "testutil/status_matchers.h"

namespace crm::events {
namespace {

std::string Normal(std::string_view name) {
  Result<std::string> normal = NormalizeCompanyName(name);
  EXPECT_OK(normal.status());
  return normal.ok() ? *normal : std::string();
}

TEST(CompanyNameTest, FullWidthAndHalfWidthFormsMatch) {
  EXPECT_EQ(Normal("ＡＢＣ科技（北京）有限公司"), Normal("ABC科技(北京)有限公司"));
  EXPECT_EQ(Normal("１２３空调"), Normal("123空调"));
}

TEST(CompanyNameTest, CaseIsFolded) {
  EXPECT_EQ(Normal("IBM中国"), Normal("ibm中国"));
}

TEST(CompanyNameTest, SpacesOfEveryKindAreRemoved) {
  // ASCII space, tab, ideographic space U+3000, no-break space U+00A0.
  EXPECT_EQ(Normal(" 靖江市 春意\t空调\u3000有限\u00a0公司 "), Normal("靖江市春意空调有限公司"));
}

TEST(CompanyNameTest, DifferentNamesStayDifferent) {
  EXPECT_NE(Normal("靖江市春意空调有限公司"), Normal("靖江市春意空调设备有限公司"));
  EXPECT_EQ(Normal("靖江市春意空调有限公司"), "靖江市春意空调有限公司");
}

TEST(CompanyNameTest, InvalidUtf8IsRefused) {
  EXPECT_REASON(NormalizeCompanyName("\xe9\x9d"), "invalid_utf8");  // truncated 3-byte sequence
  EXPECT_REASON(NormalizeCompanyName("abc\xff"), "invalid_utf8");
}

}  // namespace
}  // namespace crm::events
