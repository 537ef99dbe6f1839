#include "server/metrics/registry.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <type_traits>
#include <utility>

#include "server/metrics/exposition.h"

namespace crm::metrics {
namespace {

// A registration or sampling bug: say what and stop (registry.h, "bugs crash").
[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "crm::metrics: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

void AppendHeader(std::string& out, const FamilyInfo& info) {
  out += "# HELP ";
  out += info.name;
  out += ' ';
  AppendEscapedHelp(out, info.help);
  out += "\n# TYPE ";
  out += info.name;
  out += ' ';
  out += MetricTypeName(info.type);
  out += '\n';
}

// Appends `name{a="x",b="y"` plus `,le="..."` when `le` is given, then `} ` -- or `name ` when
// there are no labels at all.
void AppendSeriesName(std::string& out, std::string_view name, const std::vector<std::string>& label_names,
                      const std::vector<std::string>& label_values, const std::string* le = nullptr) {
  out += name;
  if (label_names.empty() && le == nullptr) {
    out += ' ';
    return;
  }
  out += '{';
  for (std::size_t i = 0; i < label_names.size(); ++i) {
    if (i > 0) out += ',';
    out += label_names[i];
    out += "=\"";
    AppendEscapedLabelValue(out, label_values[i]);
    out += '"';
  }
  if (le != nullptr) {
    if (!label_names.empty()) out += ',';
    out += "le=\"";
    out += *le;
    out += '"';
  }
  out += "} ";
}

// A family whose samples come from a callback at every Render.
class CallbackFamily final : public Collector {
 public:
  CallbackFamily(FamilyInfo info, SampleCallback sample) : info_(std::move(info)), sample_(std::move(sample)) {}

  void RenderTo(std::string& out) const override {
    std::vector<Sample> samples = sample_();
    for (const Sample& sample : samples) {
      if (sample.label_values.size() != info_.label_names.size()) {
        Fail("callback of '" + info_.name + "' returned " + std::to_string(sample.label_values.size()) +
             " label values for " + std::to_string(info_.label_names.size()) + " label names");
      }
    }
    std::sort(samples.begin(), samples.end(),
              [](const Sample& a, const Sample& b) { return a.label_values < b.label_values; });
    for (std::size_t i = 1; i < samples.size(); ++i) {
      if (samples[i].label_values == samples[i - 1].label_values) {
        Fail("callback of '" + info_.name + "' returned one label set twice");
      }
    }
    AppendHeader(out, info_);
    for (const Sample& sample : samples) {
      AppendSeriesName(out, info_.name, info_.label_names, sample.label_values);
      AppendValue(out, sample.value);
      out += '\n';
    }
  }

 private:
  const FamilyInfo info_;
  const SampleCallback sample_;
};

}  // namespace

std::string_view MetricTypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter: return "counter";
    case MetricType::kGauge: return "gauge";
    case MetricType::kHistogram: return "histogram";
  }
  return "untyped";
}

// --- Histogram ---

Histogram::Histogram(std::span<const double> upper_bounds)
    : upper_bounds_(upper_bounds),
      bucket_counts_(std::make_unique<std::atomic<std::uint64_t>[]>(upper_bounds.size() + 1)) {}

void Histogram::Observe(double value) noexcept {
  // The first bound >= value; NaN compares false with everything, so it is sent to +Inf.
  const std::size_t bucket =
      std::isnan(value) ? upper_bounds_.size()
                        : static_cast<std::size_t>(std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) -
                                                   upper_bounds_.begin());
  bucket_counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot snapshot;
  snapshot.cumulative_counts.resize(upper_bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= upper_bounds_.size(); ++i) {
    running += bucket_counts_[i].load(std::memory_order_relaxed);
    snapshot.cumulative_counts[i] = running;
  }
  snapshot.count = running;
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

// --- Family ---

template <class Series>
Family<Series>::Family(FamilyInfo info, std::vector<double> upper_bounds, std::size_t series_max)
    : info_(std::move(info)), upper_bounds_(std::move(upper_bounds)), series_max_(series_max) {
  // A family without labels has exactly one series: show it from the start.
  if (info_.label_names.empty()) Create({});
}

template <class Series>
Series& Family<Series>::WithLabels(std::span<const std::string_view> label_values) {
  if (label_values.size() != info_.label_names.size()) {
    Fail("'" + info_.name + "' takes " + std::to_string(info_.label_names.size()) + " label values, not " +
         std::to_string(label_values.size()));
  }
  {
    std::shared_lock lock(mutex_);
    auto found = series_.find(label_values);
    if (found != series_.end()) return *found->second;
  }
  return Create(label_values);
}

template <class Series>
Series& Family<Series>::Create(std::span<const std::string_view> label_values) {
  std::vector<std::string> key(label_values.begin(), label_values.end());
  std::unique_lock lock(mutex_);
  auto found = series_.find(key);  // another thread may have created it since the shared lookup
  if (found != series_.end()) return *found->second;
  if (series_.size() >= series_max_) {
    key.assign(key.size(), std::string(kOverflowLabelValue));
    found = series_.find(key);
    if (found != series_.end()) return *found->second;
  }
  std::unique_ptr<Series> series;
  if constexpr (std::is_same_v<Series, Histogram>) {
    series = std::make_unique<Histogram>(upper_bounds_);
  } else {
    series = std::make_unique<Series>();
  }
  return *series_.emplace(std::move(key), std::move(series)).first->second;
}

template <class Series>
std::size_t Family<Series>::SeriesCount() const {
  std::shared_lock lock(mutex_);
  return series_.size();
}

template <class Series>
void Family<Series>::AppendSeries(std::string& out, const std::vector<std::string>& label_values,
                                  const Series& series) const {
  if constexpr (std::is_same_v<Series, Histogram>) {
    const Histogram::Snapshot snapshot = series.Read();
    const std::string bucket_name = info_.name + "_bucket";
    for (std::size_t i = 0; i < snapshot.cumulative_counts.size(); ++i) {
      const std::string le = i < upper_bounds_.size() ? FormatValue(upper_bounds_[i]) : "+Inf";
      AppendSeriesName(out, bucket_name, info_.label_names, label_values, &le);
      AppendValue(out, snapshot.cumulative_counts[i]);
      out += '\n';
    }
    AppendSeriesName(out, info_.name + "_sum", info_.label_names, label_values);
    AppendValue(out, snapshot.sum);
    out += '\n';
    AppendSeriesName(out, info_.name + "_count", info_.label_names, label_values);
    AppendValue(out, snapshot.count);
    out += '\n';
  } else {
    AppendSeriesName(out, info_.name, info_.label_names, label_values);
    AppendValue(out, series.Value());
    out += '\n';
  }
}

template <class Series>
void Family<Series>::RenderTo(std::string& out) const {
  AppendHeader(out, info_);
  std::shared_lock lock(mutex_);  // blocks only series creation, never an increment
  for (const auto& [label_values, series] : series_) AppendSeries(out, label_values, *series);
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

// --- Registry ---

Registry::Registry(RegistryOptions options) : options_(options) {}
Registry::~Registry() = default;

void Registry::Claim(const FamilyInfo& info) {
  if (!IsValidMetricName(info.name)) Fail("invalid metric name '" + info.name + "'");
  if (info.label_names.size() > kLabelNamesMax) Fail("'" + info.name + "' has more than kLabelNamesMax labels");
  std::set<std::string_view> seen;
  for (const std::string& label : info.label_names) {
    if (!IsValidLabelName(label)) Fail("'" + info.name + "': invalid label name '" + label + "'");
    if (info.type == MetricType::kHistogram && label == "le") Fail("'" + info.name + "': a histogram's label 'le'");
    if (!seen.insert(label).second) Fail("'" + info.name + "': label '" + label + "' named twice");
  }
  std::vector<std::string> names{info.name};
  if (info.type == MetricType::kHistogram) {
    for (const char* suffix : {"_bucket", "_sum", "_count"}) names.push_back(info.name + suffix);
  }
  // Called with mutex_ held.
  for (const std::string& name : names) {
    if (std::find(claimed_names_.begin(), claimed_names_.end(), name) != claimed_names_.end()) {
      Fail("'" + info.name + "' exposes '" + name + "', which another family already exposes");
    }
  }
  claimed_names_.insert(claimed_names_.end(), names.begin(), names.end());
}

Family<Counter>& Registry::AddCounter(std::string name, std::string help, std::vector<std::string> label_names) {
  FamilyInfo info{std::move(name), std::move(help), MetricType::kCounter, std::move(label_names)};
  std::lock_guard lock(mutex_);
  Claim(info);
  auto family = std::unique_ptr<Family<Counter>>(new Family<Counter>(info, {}, options_.series_per_family_max));
  Family<Counter>& result = *family;
  collectors_.emplace(info.name, std::move(family));
  return result;
}

Family<Gauge>& Registry::AddGauge(std::string name, std::string help, std::vector<std::string> label_names) {
  FamilyInfo info{std::move(name), std::move(help), MetricType::kGauge, std::move(label_names)};
  std::lock_guard lock(mutex_);
  Claim(info);
  auto family = std::unique_ptr<Family<Gauge>>(new Family<Gauge>(info, {}, options_.series_per_family_max));
  Family<Gauge>& result = *family;
  collectors_.emplace(info.name, std::move(family));
  return result;
}

Family<Histogram>& Registry::AddHistogram(std::string name, std::string help, std::vector<double> upper_bounds,
                                          std::vector<std::string> label_names) {
  FamilyInfo info{std::move(name), std::move(help), MetricType::kHistogram, std::move(label_names)};
  if (upper_bounds.empty() || upper_bounds.size() > kBucketsMax) {
    Fail("'" + info.name + "' needs 1 to kBucketsMax bucket bounds");
  }
  for (std::size_t i = 0; i < upper_bounds.size(); ++i) {
    if (!std::isfinite(upper_bounds[i])) Fail("'" + info.name + "': bucket bounds must be finite");
    if (i > 0 && !(upper_bounds[i - 1] < upper_bounds[i])) {
      Fail("'" + info.name + "': bucket bounds must increase strictly");
    }
  }
  std::lock_guard lock(mutex_);
  Claim(info);
  auto family = std::unique_ptr<Family<Histogram>>(
      new Family<Histogram>(info, std::move(upper_bounds), options_.series_per_family_max));
  Family<Histogram>& result = *family;
  collectors_.emplace(info.name, std::move(family));
  return result;
}

void Registry::AddCallback(FamilyInfo info, SampleCallback sample) {
  if (!sample) Fail("'" + info.name + "' has no callback");
  std::lock_guard lock(mutex_);
  Claim(info);
  std::string name = info.name;
  collectors_.emplace(std::move(name), std::make_unique<CallbackFamily>(std::move(info), std::move(sample)));
}

void Registry::AddCallbackCounter(std::string name, std::string help, std::vector<std::string> label_names,
                                  SampleCallback sample) {
  AddCallback({std::move(name), std::move(help), MetricType::kCounter, std::move(label_names)}, std::move(sample));
}

void Registry::AddCallbackGauge(std::string name, std::string help, std::vector<std::string> label_names,
                                SampleCallback sample) {
  AddCallback({std::move(name), std::move(help), MetricType::kGauge, std::move(label_names)}, std::move(sample));
}

void Registry::AddCallbackCounter(std::string name, std::string help, std::function<double()> value) {
  if (!value) Fail("'" + name + "' has no callback");
  AddCallbackCounter(std::move(name), std::move(help), {}, [value = std::move(value)] {
    return std::vector<Sample>{Sample{{}, value()}};
  });
}

void Registry::AddCallbackGauge(std::string name, std::string help, std::function<double()> value) {
  if (!value) Fail("'" + name + "' has no callback");
  AddCallbackGauge(std::move(name), std::move(help), {}, [value = std::move(value)] {
    return std::vector<Sample>{Sample{{}, value()}};
  });
}

std::string Registry::Render() const {
  // Families are never removed, so the pointers outlive the lock; rendering without it lets
  // callbacks take their owners' locks (or even register) without a lock-order cycle.
  std::vector<const Collector*> collectors;
  {
    std::lock_guard lock(mutex_);
    collectors.reserve(collectors_.size());
    for (const auto& [name, collector] : collectors_) collectors.push_back(collector.get());
  }
  std::string out;
  for (const Collector* collector : collectors) collector->RenderTo(out);
  return out;
}

}  // namespace crm::metrics
