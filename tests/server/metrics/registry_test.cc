#include "server/metrics/registry.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "server/metrics/exposition_lines.h"

namespace crm::metrics {
namespace {

// The lines of `text` that start with `prefix`, in order.
TEST(RegistryTest, RenderMatchesGoldenExposition) {
  Registry registry;
  Family<Counter>& requests = registry.AddCounter("app_requests_total", "Requests answered.", {"route", "status"});
  // Created out of order: the render orders series by label values.
  requests.WithLabels({"/v1/pool", "200"}).Increment(3);
  requests.WithLabels({"/v1/customers/{id}", "404"}).Increment();
  requests.WithLabels({"/v1/customers/{id}", "200"}).Increment(2);
  registry.AddGauge("app_connections_open", "Open connections.").Get().Set(4);
  Family<Histogram>& latency = registry.AddHistogram("app_latency_seconds", "Latency.", {0.25, 0.5, 1}, {"route"});
  latency.WithLabels({"/v1/pool"}).Observe(0.125);
  latency.WithLabels({"/v1/pool"}).Observe(0.5);
  latency.WithLabels({"/v1/pool"}).Observe(3);
  registry.AddCallbackGauge("app_lag_events", "Events not yet folded, by view.", {"view"}, [] {
    return std::vector<Sample>{{{"customers"}, 7}, {{"analytics"}, 0}};
  });
  registry.AddCallbackCounter("app_appends_total", "Appends.", [] { return 12.0; });
  registry.AddCounter("app_unused_total", "Never incremented, with labels.", {"route"});

  EXPECT_EQ(registry.Render(),
            "# HELP app_appends_total Appends.\n"
            "# TYPE app_appends_total counter\n"
            "app_appends_total 12\n"
            "# HELP app_connections_open Open connections.\n"
            "# TYPE app_connections_open gauge\n"
            "app_connections_open 4\n"
            "# HELP app_lag_events Events not yet folded, by view.\n"
            "# TYPE app_lag_events gauge\n"
            "app_lag_events{view=\"analytics\"} 0\n"
            "app_lag_events{view=\"customers\"} 7\n"
            "# HELP app_latency_seconds Latency.\n"
            "# TYPE app_latency_seconds histogram\n"
            "app_latency_seconds_bucket{route=\"/v1/pool\",le=\"0.25\"} 1\n"
            "app_latency_seconds_bucket{route=\"/v1/pool\",le=\"0.5\"} 2\n"
            "app_latency_seconds_bucket{route=\"/v1/pool\",le=\"1\"} 2\n"
            "app_latency_seconds_bucket{route=\"/v1/pool\",le=\"+Inf\"} 3\n"
            "app_latency_seconds_sum{route=\"/v1/pool\"} 3.625\n"
            "app_latency_seconds_count{route=\"/v1/pool\"} 3\n"
            "# HELP app_requests_total Requests answered.\n"
            "# TYPE app_requests_total counter\n"
            "app_requests_total{route=\"/v1/customers/{id}\",status=\"200\"} 2\n"
            "app_requests_total{route=\"/v1/customers/{id}\",status=\"404\"} 1\n"
            "app_requests_total{route=\"/v1/pool\",status=\"200\"} 3\n"
            "# HELP app_unused_total Never incremented, with labels.\n"
            "# TYPE app_unused_total counter\n");
}

TEST(RegistryTest, UnlabelledHistogramRendersZerosFromTheStart) {
  Registry registry;
  registry.AddHistogram("h_seconds", "H.", {1, 2});
  EXPECT_EQ(registry.Render(),
            "# HELP h_seconds H.\n"
            "# TYPE h_seconds histogram\n"
            "h_seconds_bucket{le=\"1\"} 0\n"
            "h_seconds_bucket{le=\"2\"} 0\n"
            "h_seconds_bucket{le=\"+Inf\"} 0\n"
            "h_seconds_sum 0\n"
            "h_seconds_count 0\n");
}

TEST(RegistryTest, LabelValuesAndHelpAreEscaped) {
  Registry registry;
  registry.AddCounter("c_total", "Line one\nline \"two\" with a \\.", {"path"}).WithLabels({"a\\b\"c\nd"}).Increment();
  EXPECT_EQ(registry.Render(),
            "# HELP c_total Line one\\nline \"two\" with a \\\\.\n"
            "# TYPE c_total counter\n"
            "c_total{path=\"a\\\\b\\\"c\\nd\"} 1\n");
}

TEST(RegistryTest, HistogramBucketsAreCumulativeAndBoundsInclusive) {
  Registry registry;
  Histogram& histogram = registry.AddHistogram("h", "H.", {1, 2, 5}).Get();
  // A value equal to a bound counts in that bound's bucket (le = "less or equal").
  for (double value : {0.5, 1.0, 1.5, 2.0, 4.0, 5.0, 5.5, 100.0, -3.0}) histogram.Observe(value);

  const Histogram::Snapshot snapshot = histogram.Read();
  // le=1: 0.5 1 -3; le=2: +1.5 2; le=5: +4 5; +Inf: +5.5 100.
  EXPECT_EQ(snapshot.cumulative_counts, (std::vector<std::uint64_t>{3, 5, 7, 9}));
  EXPECT_EQ(snapshot.count, 9u);
  EXPECT_EQ(snapshot.sum, 0.5 + 1 + 1.5 + 2 + 4 + 5 + 5.5 + 100 - 3);
  const std::vector<std::string> buckets = LinesStartingWith(registry.Render(), "h_bucket");
  EXPECT_EQ(buckets, (std::vector<std::string>{"h_bucket{le=\"1\"} 3", "h_bucket{le=\"2\"} 5", "h_bucket{le=\"5\"} 7",
                                               "h_bucket{le=\"+Inf\"} 9"}));
}

TEST(RegistryTest, HistogramCountsNaNOnlyInTheInfBucket) {
  Registry registry;
  Histogram& histogram = registry.AddHistogram("h", "H.", {1}).Get();
  histogram.Observe(std::nan(""));
  histogram.Observe(0.5);
  const Histogram::Snapshot snapshot = histogram.Read();
  EXPECT_EQ(snapshot.cumulative_counts, (std::vector<std::uint64_t>{1, 2}));
  EXPECT_TRUE(std::isnan(snapshot.sum));
}

TEST(RegistryTest, GaugeGoesUpDownAndHoldsFractions) {
  Registry registry;
  Gauge& gauge = registry.AddGauge("g", "G.").Get();
  gauge.Increment();
  gauge.Increment();
  gauge.Decrement();
  gauge.Add(0.5);
  EXPECT_EQ(gauge.Value(), 1.5);
  EXPECT_EQ(LinesStartingWith(registry.Render(), "g "), std::vector<std::string>{"g 1.5"});
  gauge.Set(-2);
  EXPECT_EQ(LinesStartingWith(registry.Render(), "g "), std::vector<std::string>{"g -2"});
}

TEST(RegistryTest, WithLabelsReturnsTheSameSeriesForTheSameValues) {
  Registry registry;
  Family<Counter>& family = registry.AddCounter("c_total", "C.", {"a", "b"});
  Counter& first = family.WithLabels({"x", "y"});
  EXPECT_EQ(&first, &family.WithLabels({"x", "y"}));
  EXPECT_NE(&first, &family.WithLabels({"x", "z"}));
  // Values are compared whole, not as a concatenation.
  EXPECT_NE(&family.WithLabels({"ab", "c"}), &family.WithLabels({"a", "bc"}));
  EXPECT_EQ(family.SeriesCount(), 4u);
}

TEST(RegistryTest, ConcurrentIncrementsFrom8ThreadsSumExactly) {
  constexpr int kThreads = 8;
  constexpr int kIterations = 20'000;
  Registry registry;
  Family<Counter>& counters = registry.AddCounter("c_total", "C.", {"route"});
  Gauge& gauge = registry.AddGauge("g", "G.").Get();
  Family<Histogram>& histograms = registry.AddHistogram("h", "H.", {1, 2}, {"route"});
  const std::vector<std::string> routes = {"/a", "/b", "/c"};

  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < kIterations; ++i) {
        // Every thread looks its series up each time, so creation races with lookups too.
        const std::string& route = routes[static_cast<std::size_t>(i + t) % routes.size()];
        counters.WithLabels({route}).Increment();
        gauge.Increment();
        histograms.WithLabels({route}).Observe(i % 3);  // 0, 1 and 2: exact in a double sum
        if (i % 2 == 0) gauge.Decrement();
      }
    });
  }
  go.store(true);
  for (std::thread& thread : threads) thread.join();

  std::uint64_t total = 0;
  Histogram::Snapshot merged{{0, 0, 0}, 0, 0};
  for (const std::string& route : routes) {
    total += counters.WithLabels({route}).Value();
    const Histogram::Snapshot snapshot = histograms.WithLabels({route}).Read();
    for (std::size_t i = 0; i < 3; ++i) merged.cumulative_counts[i] += snapshot.cumulative_counts[i];
    merged.count += snapshot.count;
    merged.sum += snapshot.sum;
  }
  constexpr std::uint64_t kTotal = std::uint64_t{kThreads} * kIterations;
  EXPECT_EQ(total, kTotal);
  EXPECT_EQ(counters.SeriesCount(), routes.size());
  EXPECT_EQ(gauge.Value(), static_cast<double>(kTotal / 2));
  EXPECT_EQ(merged.count, kTotal);
  // i % 3 over 20'000 iterations: 6667 zeros, 6667 ones, 6666 twos per thread.
  EXPECT_EQ(merged.cumulative_counts, (std::vector<std::uint64_t>{kThreads * 13'334, kTotal, kTotal}));
  EXPECT_EQ(merged.sum, static_cast<double>(kThreads * (6667 + 2 * 6666)));
}

TEST(RegistryTest, RenderWhileIncrementingIsConsistentPerHistogram) {
  Registry registry;
  Histogram& histogram = registry.AddHistogram("h", "H.", {1}).Get();
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    while (!stop.load()) histogram.Observe(0.5);
  });
  while (histogram.Read().count < 1000) std::this_thread::yield();  // render mid-stream, not before
  for (int i = 0; i < 200; ++i) {
    const std::string text = registry.Render();
    const std::vector<std::string> inf = LinesStartingWith(text, "h_bucket{le=\"+Inf\"} ");
    const std::vector<std::string> count = LinesStartingWith(text, "h_count ");
    ASSERT_EQ(inf.size(), 1u);
    ASSERT_EQ(count.size(), 1u);
    // The format requires the +Inf bucket to equal the count, even mid-increment.
    EXPECT_EQ(inf[0].substr(inf[0].find(' ') + 1), count[0].substr(count[0].find(' ') + 1));
  }
  stop.store(true);
  writer.join();
}

TEST(RegistryTest, CallbackValuesAreSampledAtRenderTime) {
  Registry registry;
  std::atomic<std::uint64_t> appends{0};
  int calls = 0;
  registry.AddCallbackCounter("appends_total", "Appends.", [&] {
    ++calls;
    return static_cast<double>(appends.load());
  });
  EXPECT_EQ(calls, 0);  // registration does not sample
  EXPECT_EQ(LinesStartingWith(registry.Render(), "appends_total "), std::vector<std::string>{"appends_total 0"});
  appends = 41;
  appends += 1;
  EXPECT_EQ(LinesStartingWith(registry.Render(), "appends_total "), std::vector<std::string>{"appends_total 42"});
  EXPECT_EQ(calls, 2);
}

TEST(RegistryTest, CallbackSamplesAreSortedAndMayVaryInNumber) {
  Registry registry;
  std::vector<Sample> samples = {{{"b"}, 2}, {{"a"}, 1}};
  registry.AddCallbackGauge("lag", "Lag.", {"view"}, [&] { return samples; });
  EXPECT_EQ(LinesStartingWith(registry.Render(), "lag{"),
            (std::vector<std::string>{"lag{view=\"a\"} 1", "lag{view=\"b\"} 2"}));
  samples.clear();
  EXPECT_EQ(registry.Render(), "# HELP lag Lag.\n# TYPE lag gauge\n");
}

TEST(RegistryTest, CallbackMayUseTheRegistryItself) {
  // Render holds no registry lock while sampling, so a callback may even register.
  Registry registry;
  bool added = false;
  registry.AddCallbackGauge("late_registrations", "Families a callback registered.", [&] {
    if (!added) registry.AddGauge("added_late", "Registered from a callback.");
    added = true;
    return 1.0;
  });
  EXPECT_EQ(LinesStartingWith(registry.Render(), "late_registrations "),
            std::vector<std::string>{"late_registrations 1"});
  EXPECT_EQ(LinesStartingWith(registry.Render(), "added_late"), std::vector<std::string>{"added_late 0"});
}

TEST(RegistryTest, OrderIsStableWhateverTheRegistrationOrder) {
  Registry forward;
  Family<Counter>& a = forward.AddCounter("a_total", "A.", {"x", "y"});
  forward.AddGauge("b", "B.", {"x"}).WithLabels({"1"}).Set(1);
  a.WithLabels({"1", "2"}).Increment();
  a.WithLabels({"1", "10"}).Increment();
  a.WithLabels({"2", "1"}).Increment();

  Registry backward;
  backward.AddGauge("b", "B.", {"x"}).WithLabels({"1"}).Set(1);
  Family<Counter>& a2 = backward.AddCounter("a_total", "A.", {"x", "y"});
  a2.WithLabels({"2", "1"}).Increment();
  a2.WithLabels({"1", "10"}).Increment();
  a2.WithLabels({"1", "2"}).Increment();

  const std::string text = forward.Render();
  EXPECT_EQ(text, backward.Render());
  EXPECT_EQ(text, forward.Render());
  // Byte-wise order of label values: "10" before "2".
  EXPECT_EQ(LinesStartingWith(text, "a_total{"),
            (std::vector<std::string>{"a_total{x=\"1\",y=\"10\"} 1", "a_total{x=\"1\",y=\"2\"} 1",
                                      "a_total{x=\"2\",y=\"1\"} 1"}));
}

TEST(RegistryTest, LabelSetsBeyondTheLimitFoldIntoTheOverflowSeries) {
  Registry registry(RegistryOptions{.series_per_family_max = 2});
  Family<Counter>& family = registry.AddCounter("c_total", "C.", {"route", "status"});
  family.WithLabels({"/a", "200"}).Increment();
  family.WithLabels({"/b", "200"}).Increment();
  family.WithLabels({"/customers/C1", "200"}).Increment();  // a raw id: the bug the limit contains
  family.WithLabels({"/customers/C2", "200"}).Increment();
  family.WithLabels({"/a", "200"}).Increment();  // existing series still count normally
  EXPECT_EQ(family.SeriesCount(), 3u);
  EXPECT_EQ(
      LinesStartingWith(registry.Render(), "c_total{"),
      (std::vector<std::string>{"c_total{route=\"/a\",status=\"200\"} 2", "c_total{route=\"/b\",status=\"200\"} 1",
                                "c_total{route=\"__overflow__\",status=\"__overflow__\"} 2"}));
}

// Registration mistakes are bugs in the registering code: they abort, naming the problem.
class RegistryDeathTest : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(RegistryDeathTest, InvalidNamesAbort) {
  Registry registry;
  EXPECT_DEATH(registry.AddCounter("http-requests", "H."), "invalid metric name 'http-requests'");
  EXPECT_DEATH(registry.AddCounter("c", "C.", {"__name__"}), "invalid label name '__name__'");
  EXPECT_DEATH(registry.AddCounter("c", "C.", {"route", "route"}), "label 'route' named twice");
  EXPECT_DEATH(registry.AddHistogram("h", "H.", {1}, {"le"}), "a histogram's label 'le'");
  EXPECT_DEATH(registry.AddGauge("g", "G.", std::vector<std::string>(kLabelNamesMax + 1, "x")),
               "more than kLabelNamesMax labels");
}

TEST_F(RegistryDeathTest, NamesAreExposedOnce) {
  Registry registry;
  registry.AddHistogram("latency", "L.", {1});
  EXPECT_DEATH(registry.AddGauge("latency", "L."), "'latency' exposes 'latency'");
  EXPECT_DEATH(registry.AddCounter("latency_count", "C."), "exposes 'latency_count'");
  registry.AddCounter("x_sum", "S.");
  EXPECT_DEATH(registry.AddHistogram("x", "X.", {1}), "'x' exposes 'x_sum'");
  EXPECT_DEATH(registry.AddCallbackGauge("x_sum", "S.", [] { return 0.0; }), "exposes 'x_sum'");
}

TEST_F(RegistryDeathTest, BadBucketBoundsAbort) {
  Registry registry;
  EXPECT_DEATH(registry.AddHistogram("h", "H.", {}), "bucket bounds");
  EXPECT_DEATH(registry.AddHistogram("h", "H.", {1, 1}), "increase strictly");
  EXPECT_DEATH(registry.AddHistogram("h", "H.", {2, 1}), "increase strictly");
  EXPECT_DEATH(registry.AddHistogram("h", "H.", {1, std::numeric_limits<double>::infinity()}), "finite");
  EXPECT_DEATH(registry.AddHistogram("h", "H.", {std::nan("")}), "finite");
  EXPECT_DEATH(registry.AddHistogram("h", "H.", std::vector<double>(kBucketsMax + 1, 1)), "bucket bounds");
}

TEST_F(RegistryDeathTest, WrongNumberOfLabelValuesAborts) {
  Registry registry;
  Family<Counter>& family = registry.AddCounter("c_total", "C.", {"route", "status"});
  EXPECT_DEATH(family.WithLabels({"/a"}), "'c_total' takes 2 label values, not 1");
  EXPECT_DEATH(family.Get(), "takes 2 label values, not 0");
}

TEST_F(RegistryDeathTest, BadCallbackSamplesAbort) {
  Registry registry;
  registry.AddCallbackGauge("lag", "L.", {"view"}, [] { return std::vector<Sample>{{{}, 1}}; });
  EXPECT_DEATH(registry.Render(), "'lag' returned 0 label values for 1 label names");

  Registry twice;
  twice.AddCallbackGauge("lag", "L.", {"view"}, [] { return std::vector<Sample>{{{"a"}, 1}, {{"a"}, 2}}; });
  EXPECT_DEATH(twice.Render(), "returned one label set twice");
}

}  // namespace
}  // namespace crm::metrics
