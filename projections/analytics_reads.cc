// AnalyticsView's reads. Each walks only what it answers for: the fact buckets of its range,
// or the customer and contract records for figures that are not dated (stages at a time,
// conversions, receivables, RFM). Rule 13 is applied here, never in the fold.
#include <algorithm>

#include "projections/analytics_view.h"

namespace crm::projections {
namespace {

Conversion MakeConversion(std::int64_t numerator, std::int64_t denominator) {
  Conversion conversion{.numerator = numerator, .denominator = denominator, .ratio = std::nullopt};
  if (denominator != 0) conversion.ratio = static_cast<double>(numerator) / static_cast<double>(denominator);
  return conversion;
}

// The median of durations in ms, in days: the middle sample, or the mean of the two middle
// ones. Reorders `samples`.
std::optional<double> MedianDays(std::vector<TimeMs>& samples) {
  if (samples.empty()) return std::nullopt;
  const std::size_t middle = samples.size() / 2;
  std::nth_element(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(middle), samples.end());
  double median_ms = static_cast<double>(samples[middle]);
  if (samples.size() % 2 == 0) {
    const TimeMs below = *std::max_element(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(middle));
    median_ms = (median_ms + static_cast<double>(below)) / 2;
  }
  return median_ms / static_cast<double>(events::kMsPerDay);
}

// The lower middle value: always one of the samples. Reorders `samples`; 0 when empty.
std::int64_t LowerMedian(std::vector<std::int64_t>& samples) {
  if (samples.empty()) return 0;
  const auto middle = static_cast<std::ptrdiff_t>((samples.size() - 1) / 2);
  std::nth_element(samples.begin(), samples.begin() + middle, samples.end());
  return samples[static_cast<std::size_t>(middle)];
}

Status CheckRange(TimeMs from_ms, TimeMs to_ms) {
  if (to_ms > from_ms) return Status::Ok();
  return Status::InvalidArgument("invalid_range", "the range must end after it starts",
                                 {{"from", std::to_string(from_ms)}, {"to", std::to_string(to_ms)}});
}

Status RangeTooLong(std::int64_t buckets, std::int64_t buckets_max, std::string_view unit) {
  return Status::InvalidArgument(
      "range_too_long", "ask for at most " + std::to_string(buckets_max) + " " + std::string(unit) + " at once",
      {{"buckets", std::to_string(buckets)}, {"max", std::to_string(buckets_max)}});
}

// The local days [first, last] of [from_ms, to_ms); kInvalidArgument when `local_day` runs
// backwards, which no calendar does.
Result<std::pair<std::int64_t, std::int64_t>> LocalDays(TimeMs from_ms, TimeMs to_ms, const LocalDayFn& local_day) {
  CRM_RETURN_IF_ERROR(CheckRange(from_ms, to_ms));
  const std::int64_t first = local_day(from_ms);
  const std::int64_t last = local_day(to_ms - 1);
  if (last < first) return Status::InvalidArgument("invalid_calendar", "the company calendar runs backwards");
  return std::pair{first, last};
}

}  // namespace

std::optional<RevenueBucket> ParseRevenueBucket(std::string_view name) {
  if (name == "day") return RevenueBucket::kDay;
  if (name == "month") return RevenueBucket::kMonth;
  return std::nullopt;
}

std::string_view RfmClassName(RfmClass rfm_class) {
  return rfm_class == RfmClass::kImportant ? "important" : "ordinary";
}

template <typename Visit>
void AnalyticsView::ForEachFact(TimeMs from_ms, TimeMs to_ms, Visit&& visit) const {
  const std::int64_t last_hour = HourOf(to_ms - 1);
  for (auto it = facts_by_hour_.lower_bound(HourOf(from_ms)); it != facts_by_hour_.end() && it->first <= last_hour;
       ++it) {
    for (const Fact& fact : it->second) {
      if (fact.at_ms >= from_ms && fact.at_ms < to_ms) visit(fact);
    }
  }
}

template <typename Visit>
void AnalyticsView::ForEachFactDay(TimeMs from_ms, TimeMs to_ms, const LocalDayFn& local_day, Visit&& visit) const {
  const std::int64_t last_hour = HourOf(to_ms - 1);
  for (auto it = facts_by_hour_.lower_bound(HourOf(from_ms)); it != facts_by_hour_.end() && it->first <= last_hour;
       ++it) {
    const TimeMs start_ms = std::max(from_ms, it->first * kFactBucketMs);
    const TimeMs end_ms = std::min(to_ms, (it->first + 1) * kFactBucketMs);  // exclusive
    const std::int64_t start_day = local_day(start_ms);
    const bool one_day = local_day(end_ms - 1) == start_day;  // local_day never runs backwards
    for (const Fact& fact : it->second) {
      if (fact.at_ms < from_ms || fact.at_ms >= to_ms) continue;
      visit(fact, one_day ? start_day : local_day(fact.at_ms));
    }
  }
}

FunnelReport AnalyticsView::Funnel(TimeMs now_ms) const {
  FunnelReport report;
  std::int64_t protected_ever = 0;
  std::int64_t promoted_ever = 0;
  std::int64_t formal_ever = 0;
  std::vector<TimeMs> protect_to_promote;
  std::vector<TimeMs> promote_to_sign;
  std::vector<TimeMs> protect_to_sign;
  for (const Customer& customer : customers_) {
    if (!customer.registered) continue;  // a real log registers every customer first
    ++report.registered;
    if (customer.formal()) {
      ++report.formal;
    } else if (customer.hold.held() && customer.hold.HeldAt(now_ms)) {
      ++(customer.hold.stage == events::CustomerStage::kIntention ? report.intention : report.potential);
    } else if (customer.hold.held() || customer.hold.stage == events::CustomerStage::kPool) {
      ++report.pool;  // released, or its hold has ended by now (rule 13)
    }
    protected_ever += customer.ever_protected ? 1 : 0;
    promoted_ever += customer.ever_promoted ? 1 : 0;
    formal_ever += customer.formal() ? 1 : 0;
    for (const Milestone& milestone : customer.milestones) {
      if (milestone.kind == MilestoneKind::kPromoted) {
        protect_to_promote.push_back(std::max<TimeMs>(0, milestone.at_ms - milestone.hold_start_ms));
      }
    }
    if (customer.promote_to_sign_ms.has_value()) promote_to_sign.push_back(*customer.promote_to_sign_ms);
    if (customer.protect_to_sign_ms.has_value()) protect_to_sign.push_back(*customer.protect_to_sign_ms);
  }
  report.protected_to_intention = MakeConversion(promoted_ever, protected_ever);
  report.intention_to_formal = MakeConversion(formal_ever, promoted_ever);
  report.median_days_protect_to_promote = MedianDays(protect_to_promote);
  report.median_days_promote_to_sign = MedianDays(promote_to_sign);
  report.median_days_protect_to_sign = MedianDays(protect_to_sign);
  return report;
}

Result<std::vector<PoolFlowDay>> AnalyticsView::PoolFlow(TimeMs from_ms, TimeMs to_ms, TimeMs now_ms,
                                                         const LocalDayFn& local_day) const {
  CRM_ASSIGN_OR_RETURN(const auto days, LocalDays(from_ms, to_ms, local_day));
  const std::int64_t first_day = days.first;
  const std::int64_t last_day = days.second;
  const std::int64_t count = last_day - first_day + 1;
  if (count > kPoolFlowDaysMax) return RangeTooLong(count, kPoolFlowDaysMax, "days");
  std::vector<PoolFlowDay> flow(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) {
    flow[static_cast<std::size_t>(i)].day = first_day + i;
    flow[static_cast<std::size_t>(i)].date = DayKey(first_day + i);
  }
  const auto entered = [&](std::int64_t day, std::uint8_t reason) {
    if (day < first_day || day > last_day) return;
    PoolFlowDay& slot = flow[static_cast<std::size_t>(day - first_day)];
    switch (static_cast<events::PoolReason>(reason)) {
      case events::PoolReason::kRejected: ++slot.rejected; break;
      case events::PoolReason::kReviewTimedOut: ++slot.review_timed_out; break;
      case events::PoolReason::kAbandoned: ++slot.abandoned; break;
      case events::PoolReason::kExpired: ++slot.expired; break;
      case events::PoolReason::kNone: break;
    }
  };
  ForEachFactDay(from_ms, to_ms, local_day, [&](const Fact& fact, std::int64_t day) {
    if (fact.kind == FactKind::kEnteredPool) {
      entered(day, fact.detail);
    } else if (fact.kind == FactKind::kProtected &&
               fact.detail == static_cast<std::uint8_t>(events::ProtectionSource::kPool) && day >= first_day &&
               day <= last_day) {
      ++flow[static_cast<std::size_t>(day - first_day)].outflow;
    }
  });
  // Holds that time has ended by now but whose release is not folded yet (rule 13): the release,
  // when folded, is a fact at this same time with this same reason.
  for (const Customer& customer : customers_) {
    if (customer.formal()) continue;
    const std::optional<events::PoolEntrance> ended = customer.hold.EndedBy(now_ms);
    if (!ended.has_value() || ended->at_ms < from_ms || ended->at_ms >= to_ms) continue;
    entered(local_day(ended->at_ms), static_cast<std::uint8_t>(ended->reason));
  }
  return flow;
}

Result<std::vector<SalespersonFigures>> AnalyticsView::Salespeople(TimeMs from_ms, TimeMs to_ms,
                                                                   TimeMs /*now_ms*/) const {
  CRM_RETURN_IF_ERROR(CheckRange(from_ms, to_ms));
  std::vector<SalespersonFigures> by_user(users_.size());
  std::vector<bool> seen(users_.size(), false);
  const auto figures = [&](Index user) -> SalespersonFigures* {
    if (user == kNoIndex) return nullptr;
    seen[user] = true;
    return &by_user[user];
  };
  ForEachFact(from_ms, to_ms, [&](const Fact& fact) {
    const bool of_contract = fact.kind == FactKind::kSigned || fact.kind == FactKind::kPaid;
    SalespersonFigures* user = figures(of_contract ? contracts_[fact.subject].sales_owner : fact.user);
    if (user == nullptr) return;
    switch (fact.kind) {
      case FactKind::kProtected: ++user->protections; break;
      case FactKind::kPromoted: ++user->promotions; break;
      case FactKind::kSigned:
        ++user->contracts;
        user->signed_fen = AddFen(user->signed_fen, fact.fen);
        break;
      case FactKind::kPaid: user->collected_fen = AddFen(user->collected_fen, fact.fen); break;
      case FactKind::kEnteredPool: break;
    }
  });
  for (const Contract& contract : contracts_) {
    SalespersonFigures* user = contract.signed_ ? figures(contract.sales_owner) : nullptr;
    if (user != nullptr)
      user->receivable_fen = AddFen(user->receivable_fen, AddFen(contract.total_fen, -contract.paid_fen));
  }
  std::vector<SalespersonFigures> result;
  for (Index user = 0; user < users_.size(); ++user) {
    if (!seen[user]) continue;
    result.push_back(std::move(by_user[user]));
    result.back().user_id = users_[user];
  }
  std::sort(result.begin(), result.end(),
            [](const SalespersonFigures& a, const SalespersonFigures& b) { return a.user_id < b.user_id; });
  return result;
}

Result<std::vector<RevenuePoint>> AnalyticsView::Revenue(TimeMs from_ms, TimeMs to_ms, RevenueBucket bucket,
                                                         const LocalDayFn& local_day) const {
  CRM_ASSIGN_OR_RETURN(const auto days, LocalDays(from_ms, to_ms, local_day));
  const bool by_month = bucket == RevenueBucket::kMonth;
  // Buckets are numbered by day or by MonthIndex.
  const auto bucket_of = [by_month](std::int64_t day) { return by_month ? MonthIndex(day) : day; };
  const std::int64_t first = bucket_of(days.first);
  const std::int64_t count = bucket_of(days.second) - first + 1;
  if (count > kRevenueBucketsMax) return RangeTooLong(count, kRevenueBucketsMax, by_month ? "months" : "days");
  std::vector<RevenuePoint> points(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) {
    RevenuePoint& point = points[static_cast<std::size_t>(i)];
    point.first_day = by_month ? FirstDayOfMonth(first + i) : first + i;
    point.key = by_month ? MonthKey(point.first_day) : DayKey(point.first_day);
  }
  ForEachFactDay(from_ms, to_ms, local_day, [&](const Fact& fact, std::int64_t day) {
    if (fact.kind != FactKind::kSigned && fact.kind != FactKind::kPaid) return;
    const std::int64_t slot = bucket_of(day) - first;
    if (slot < 0 || slot >= count) return;
    RevenuePoint& point = points[static_cast<std::size_t>(slot)];
    Fen& sum = fact.kind == FactKind::kSigned ? point.signed_fen : point.collected_fen;
    sum = AddFen(sum, fact.fen);
  });
  return points;
}

RfmReport AnalyticsView::Rfm(TimeMs now_ms) const {
  struct Activity {
    TimeMs latest_ms = 0;
    std::int64_t frequency = 0;
    Fen monetary_fen = 0;
  };
  std::vector<Activity> activity(customers_.size());
  for (const Contract& contract : contracts_) {
    if (contract.customer == kNoIndex) continue;
    Activity& customer = activity[contract.customer];
    if (contract.signed_ && contract.signed_at_ms <= now_ms) {
      ++customer.frequency;
      customer.latest_ms = std::max(customer.latest_ms, contract.signed_at_ms);
    }
    for (const Payment& payment : contract.payments) {
      if (payment.paid_at_ms > now_ms) continue;
      customer.monetary_fen = AddFen(customer.monetary_fen, payment.amount_fen);
      customer.latest_ms = std::max(customer.latest_ms, payment.paid_at_ms);
    }
  }
  RfmReport report;
  std::vector<std::int64_t> recencies;
  std::vector<std::int64_t> frequencies;
  std::vector<std::int64_t> monetaries;
  for (Index index = 0; index < customers_.size(); ++index) {
    const Activity& customer = activity[index];
    if (customer.frequency == 0) continue;
    report.customers.push_back(RfmCustomer{.customer_id = customers_[index].id,
                                           .recency_days = (now_ms - customer.latest_ms) / events::kMsPerDay,
                                           .frequency = customer.frequency,
                                           .monetary_fen = customer.monetary_fen,
                                           .rfm_class = RfmClass::kOrdinary});
    recencies.push_back(report.customers.back().recency_days);
    frequencies.push_back(customer.frequency);
    monetaries.push_back(customer.monetary_fen);
  }
  report.median_recency_days = LowerMedian(recencies);
  report.median_frequency = LowerMedian(frequencies);
  report.median_monetary_fen = LowerMedian(monetaries);
  for (RfmCustomer& customer : report.customers) {
    const bool important =
        customer.monetary_fen >= report.median_monetary_fen &&
        (customer.recency_days <= report.median_recency_days || customer.frequency >= report.median_frequency);
    customer.rfm_class = important ? RfmClass::kImportant : RfmClass::kOrdinary;
  }
  std::sort(report.customers.begin(), report.customers.end(),
            [](const RfmCustomer& a, const RfmCustomer& b) { return a.customer_id < b.customer_id; });
  return report;
}

}  // namespace crm::projections
