#include "server/metrics/exposition.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace crm::metrics {
namespace {

TEST(ExpositionTest, MetricNamesFollowThePrometheusGrammar) {
  EXPECT_TRUE(IsValidMetricName("crm_http_requests_total"));
  EXPECT_TRUE(IsValidMetricName("_private"));
  EXPECT_TRUE(IsValidMetricName("job:rate5m"));
  EXPECT_TRUE(IsValidMetricName("a1"));
  EXPECT_FALSE(IsValidMetricName(""));
  EXPECT_FALSE(IsValidMetricName("1abc"));
  EXPECT_FALSE(IsValidMetricName("http-requests"));
  EXPECT_FALSE(IsValidMetricName("requests total"));
  EXPECT_FALSE(IsValidMetricName("延迟"));
  EXPECT_TRUE(IsValidMetricName(std::string(kMetricNameBytesMax, 'a')));
  EXPECT_FALSE(IsValidMetricName(std::string(kMetricNameBytesMax + 1, 'a')));
}

TEST(ExpositionTest, LabelNamesFollowThePrometheusGrammar) {
  EXPECT_TRUE(IsValidLabelName("route"));
  EXPECT_TRUE(IsValidLabelName("_x1"));
  EXPECT_TRUE(IsValidLabelName("le"));  // only a histogram forbids it; the registry checks that
  EXPECT_FALSE(IsValidLabelName(""));
  EXPECT_FALSE(IsValidLabelName("__name__"));  // reserved for Prometheus
  EXPECT_FALSE(IsValidLabelName("a:b"));       // colons are for metric names only
  EXPECT_FALSE(IsValidLabelName("2xx"));
  EXPECT_FALSE(IsValidLabelName("status-code"));
  EXPECT_FALSE(IsValidLabelName(std::string(kLabelNameBytesMax + 1, 'a')));
}

TEST(ExpositionTest, LabelValuesEscapeBackslashQuoteAndNewline) {
  std::string out;
  AppendEscapedLabelValue(out, "a\\b\"c\nd");
  EXPECT_EQ(out, R"(a\\b\"c\nd)");
  out.clear();
  AppendEscapedLabelValue(out, "/v1/customers/{id} 春意\t");  // UTF-8 and tabs pass through
  EXPECT_EQ(out, "/v1/customers/{id} 春意\t");
}

TEST(ExpositionTest, HelpEscapesBackslashAndNewlineButNotQuotes) {
  std::string out;
  AppendEscapedHelp(out, "say \"hi\"\\\nbye");
  EXPECT_EQ(out, R"(say "hi"\\\nbye)");
}

TEST(ExpositionTest, ValuesUseIntegersWherePossibleAndRoundTripOtherwise) {
  EXPECT_EQ(FormatValue(0), "0");
  EXPECT_EQ(FormatValue(-0.0), "0");
  EXPECT_EQ(FormatValue(42), "42");
  EXPECT_EQ(FormatValue(-3), "-3");
  EXPECT_EQ(FormatValue(1e15), "1000000000000000");
  EXPECT_EQ(FormatValue(2.5), "2.5");
  EXPECT_EQ(FormatValue(-0.25), "-0.25");
  EXPECT_EQ(FormatValue(0.0005), "0.0005");
  EXPECT_EQ(FormatValue(0.1), "0.1");
  EXPECT_EQ(FormatValue(1e-5), "1e-05");
  EXPECT_EQ(FormatValue(1e300), "1e+300");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatValue(std::nan("")), "NaN");
  // Shortest text that reads back as the same double.
  const double third = 1.0 / 3.0;
  EXPECT_EQ(std::stod(FormatValue(third)), third);
}

TEST(ExpositionTest, UnsignedValuesPrintEveryDigit) {
  std::string out;
  AppendValue(out, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(out, "18446744073709551615");
}

}  // namespace
}  // namespace crm::metrics
