// Registry: counters, gauges and histograms with labels, and callbacks sampled at scrape time,
// rendered in the Prometheus text format 0.0.4 (exposition.h).
//
//   Registry registry;
//   Family<Counter>& requests = registry.AddCounter("http_requests_total", "Requests.", {"route", "status"});
//   requests.WithLabels({"/v1/customers/{id}", "200"}).Increment();
//   registry.AddCallbackGauge("log_head_seq", "Newest seq.", [&] { return double(log.HeadSeq()); });
//   std::string body = registry.Render();
//
// Hot path: Counter, Gauge and Histogram are a handful of relaxed atomics each. A family finds a
// label set's series under a shared lock (no allocation when it exists) and takes its lock
// exclusively only to create one. A series reference stays valid for the registry's life, so a
// caller with a fixed label set can look it up once and keep it.
//
// Registration is start-up wiring with names fixed in code, so a bad name, a name registered
// twice, bad bucket bounds or a wrong number of label values are bugs: they print what is wrong
// to stderr and abort, in the spirit of "bugs crash" (../shared/style.md). Nothing on the hot
// path fails otherwise.
//
// Thread-safety: every method may be called from any number of threads at once.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crm::metrics {

// Bounds on what one registration may hold: a family holding more series than this is almost
// always a label fed with unbounded values (a raw id instead of a route pattern).
inline constexpr std::size_t kLabelNamesMax = 8;
inline constexpr std::size_t kBucketsMax = 64;  // bucket bounds of one histogram, +Inf not counted
inline constexpr std::size_t kSeriesPerFamilyMaxDefault = 2048;
// Every label value of the series that label sets beyond a family's series_max fold into.
inline constexpr std::string_view kOverflowLabelValue = "__overflow__";

enum class MetricType { kCounter, kGauge, kHistogram };

// "counter", "gauge", "histogram": the word in # TYPE.
std::string_view MetricTypeName(MetricType type);

// A monotonically increasing count.
class Counter {
 public:
  void Increment(std::uint64_t by = 1) noexcept { value_.fetch_add(by, std::memory_order_relaxed); }
  std::uint64_t Value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// A value that goes up and down. Integers up to 2^53 in magnitude add up exactly.
class Gauge {
 public:
  void Set(double value) noexcept { value_.store(value, std::memory_order_relaxed); }
  void Add(double delta) noexcept { value_.fetch_add(delta, std::memory_order_relaxed); }
  void Increment() noexcept { Add(1); }
  void Decrement() noexcept { Add(-1); }
  double Value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Counts observations into fixed buckets: bucket i holds the values v with v <= bound i (and
// above bound i-1); one more bucket holds the rest (+Inf), NaN included.
class Histogram {
 public:
  struct Snapshot {
    // Cumulative, as exposed: cumulative_counts[i] is the number of observations <= bound i; the
    // last entry (one past the bounds) is the +Inf bucket and equals `count`.
    std::vector<std::uint64_t> cumulative_counts;
    std::uint64_t count = 0;
    double sum = 0;
  };

  // `upper_bounds` is borrowed: strictly increasing, finite, and alive as long as the histogram
  // (the family's own copy).
  explicit Histogram(std::span<const double> upper_bounds);

  void Observe(double value) noexcept;

  // The buckets are read one by one while others may observe, so `sum` may leave out or include
  // an observation in flight; `count` is always the +Inf bucket, as the format requires.
  Snapshot Read() const;

 private:
  std::span<const double> upper_bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> bucket_counts_;  // per bucket, not cumulative; +Inf last
  std::atomic<double> sum_{0};
};

// One sampled value of a callback family.
struct Sample {
  std::vector<std::string> label_values;  // one per label name, in the family's order
  double value = 0;
};
using SampleCallback = std::function<std::vector<Sample>()>;

// A registered metric as Render sees it.
class Collector {
 public:
  virtual ~Collector() = default;
  // Appends the # HELP and # TYPE lines and every series, in a stable order.
  virtual void RenderTo(std::string& out) const = 0;
};

// Describes a family: what # HELP and # TYPE say and which labels its series carry.
struct FamilyInfo {
  std::string name;
  std::string help;
  MetricType type = MetricType::kCounter;
  std::vector<std::string> label_names;
};

// The series of one metric, one per label set. Series is Counter, Gauge or Histogram.
template <class Series>
class Family final : public Collector {
 public:
  // The series for these label values (one per label name, in order), created at the first
  // call. The reference is valid for the registry's life. Beyond series_max label sets, new
  // label sets share the series whose every value is kOverflowLabelValue.
  Series& WithLabels(std::span<const std::string_view> label_values);
  Series& WithLabels(std::initializer_list<std::string_view> label_values) {
    return WithLabels(std::span<const std::string_view>(label_values.begin(), label_values.size()));
  }
  // The only series of a family without labels.
  Series& Get() { return WithLabels(std::span<const std::string_view>()); }

  const FamilyInfo& info() const { return info_; }
  std::size_t SeriesCount() const;

  void RenderTo(std::string& out) const override;

 private:
  friend class Registry;  // the only maker of families: AddCounter, AddGauge, AddHistogram
  Family(FamilyInfo info, std::vector<double> upper_bounds, std::size_t series_max);

  // Orders label sets byte-wise, value by value; compares a stored set with a looked-up one
  // without copying it.
  struct LabelValuesLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                          [](std::string_view x, std::string_view y) { return x < y; });
    }
  };

  Series& Create(std::span<const std::string_view> label_values);
  void AppendSeries(std::string& out, const std::vector<std::string>& label_values, const Series& series) const;

  const FamilyInfo info_;
  const std::vector<double> upper_bounds_;  // histograms only; the series borrow it
  const std::size_t series_max_;
  mutable std::shared_mutex mutex_;  // guards the map, never a series' values
  std::map<std::vector<std::string>, std::unique_ptr<Series>, LabelValuesLess> series_;
};

extern template class Family<Counter>;
extern template class Family<Gauge>;
extern template class Family<Histogram>;

struct RegistryOptions {
  // Series one family may hold before new label sets fold into the overflow series.
  // Default: kSeriesPerFamilyMaxDefault.
  std::size_t series_per_family_max = kSeriesPerFamilyMaxDefault;
};

class Registry {
 public:
  explicit Registry(RegistryOptions options = {});
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Each returns the new family, owned by the registry and valid for its life. A family without
  // labels shows its single series (at zero) from the start; a labelled one shows a series once
  // WithLabels has created it. REQUIRES (else abort): a valid metric name no other family
  // exposes (a histogram also claims name_bucket, name_sum and name_count), valid distinct
  // label names, at most kLabelNamesMax of them, and "le" not among a histogram's.
  Family<Counter>& AddCounter(std::string name, std::string help, std::vector<std::string> label_names = {});
  Family<Gauge>& AddGauge(std::string name, std::string help, std::vector<std::string> label_names = {});
  // REQUIRES: 1 to kBucketsMax finite, strictly increasing upper bounds (+Inf is implicit).
  Family<Histogram>& AddHistogram(std::string name, std::string help, std::vector<double> upper_bounds,
                                  std::vector<std::string> label_names = {});

  // Families whose values live elsewhere: `sample` is called at every Render, from the rendering
  // thread, and must be safe to call from there for the registry's life. It may return any
  // number of samples, in any order; each must carry one value per label name, and no label set
  // twice (else abort). A counter's samples must never go down.
  void AddCallbackCounter(std::string name, std::string help, std::vector<std::string> label_names,
                          SampleCallback sample);
  void AddCallbackGauge(std::string name, std::string help, std::vector<std::string> label_names,
                        SampleCallback sample);
  // A single value without labels.
  void AddCallbackCounter(std::string name, std::string help, std::function<double()> value);
  void AddCallbackGauge(std::string name, std::string help, std::function<double()> value);

  // Every family, by name, each with its series ordered by label values (byte-wise). Callbacks
  // run without any registry lock held, so they may take their owners' locks freely.
  std::string Render() const;

 private:
  // Checks `info` and claims the names it exposes; aborts on a bug.
  void Claim(const FamilyInfo& info);
  void AddCallback(FamilyInfo info, SampleCallback sample);

  const RegistryOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Collector>> collectors_;  // by family name
  std::vector<std::string> claimed_names_;                        // every name a family exposes
};

}  // namespace crm::metrics
