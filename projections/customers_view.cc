#include "projections/customers_view.h"

#include <algorithm>
#include <type_traits>

#include "events/event_subject.h"

namespace crm::projections {

namespace {

void EnterPool(CustomerSummary& summary, const events::PoolEntrance& entrance) {
  summary.pool_reason = entrance.reason;
  summary.pool_entered_ms = entrance.at_ms;
  summary.pending_requests.clear();
}

void CloseRequests(CustomerSummary& summary, RequestKind kind) {
  std::erase_if(summary.pending_requests, [kind](const auto& request) { return request.second == kind; });
}

// Why and since when the customer is in the pool at `now_ms`, if it is.
std::optional<events::PoolEntrance> InPoolAt(const CustomerSummary& summary, TimeMs now_ms) {
  if (summary.hold.stage == events::CustomerStage::kPool) {
    return events::PoolEntrance{summary.pool_reason, summary.pool_entered_ms};
  }
  return summary.hold.EndedBy(now_ms);
}

}  // namespace

void CustomersView::Apply(const events::RecordedEvent& recorded) {
  applied_seq_ = recorded.envelope.seq;
  const std::string* customer_id = events::CustomerIdOf(recorded.event);
  if (customer_id == nullptr) return;
  CustomerSummary& summary = customers_[*customer_id];
  summary.customer_id = *customer_id;
  ApplyToSummary(summary, recorded);
}

void CustomersView::ApplyToSummary(CustomerSummary& summary, const events::RecordedEvent& recorded) {
  using namespace events;
  const TimeMs effective_ms = recorded.envelope.effective_at_ms;
  events::ApplyToHold(summary.hold, recorded.event);
  if (const auto entrance = events::PoolEntranceOf(recorded.event, effective_ms)) EnterPool(summary, *entrance);
  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, CustomerRegistered>) {
          summary.name = e.name;
          summary.region = e.region;
          summary.industry = e.industry;
        } else if constexpr (std::is_same_v<E, CustomerProtected>) {
          summary.owners.insert(e.owner_id);
          summary.pool_reason = PoolReason::kNone;
        } else if constexpr (std::is_same_v<E, CustomerReassigned>) {
          summary.owners.insert(e.to_user_id);
        } else if constexpr (std::is_same_v<E, ExtensionRequested>) {
          summary.pending_requests[e.request_id] = RequestKind::kExtension;
        } else if constexpr (std::is_same_v<E, PromotionRequested>) {
          summary.pending_requests[e.request_id] = RequestKind::kPromotion;
        } else if constexpr (std::is_same_v<E, ExtensionGranted> || std::is_same_v<E, ExtensionDenied> ||
                             std::is_same_v<E, PromotionDenied>) {
          summary.pending_requests.erase(e.request_id);
        } else if constexpr (std::is_same_v<E, CustomerPromoted>) {
          summary.pending_requests.erase(e.request_id);
          CloseRequests(summary, RequestKind::kExtension);  // the new stage is a new protection
        } else if constexpr (std::is_same_v<E, CustomerHandedToAftersales>) {
          summary.pending_requests.clear();
        }
      },
      recorded.event);
}

const CustomerSummary* CustomersView::Find(std::string_view customer_id) const {
  const auto it = customers_.find(customer_id);
  return it == customers_.end() ? nullptr : &it->second;
}

std::vector<PoolEntry> CustomersView::Pool(TimeMs now_ms, const PoolFilter& filter) const {
  std::vector<PoolEntry> pool;
  for (const auto& [id, summary] : customers_) {
    if (!filter.region.empty() && summary.region != filter.region) continue;
    if (!filter.industry.empty() && summary.industry != filter.industry) continue;
    const auto in_pool = InPoolAt(summary, now_ms);
    if (!in_pool.has_value()) continue;
    pool.push_back(PoolEntry{.customer = &summary,
                             .reason = in_pool->reason,
                             .entered_at_ms = in_pool->at_ms,
                             .previous_owners = summary.owners.size()});
  }
  return pool;
}

std::vector<OwnedEntry> CustomersView::HeldBy(std::string_view user_id, TimeMs now_ms,
                                              std::optional<std::uint32_t> expiring_within_days) const {
  std::vector<OwnedEntry> held;
  for (const auto& [id, summary] : customers_) {
    if (summary.hold.owner_id != user_id || !summary.hold.HeldAt(now_ms)) continue;
    const TimeMs ends_ms = *summary.hold.ReleaseDueAt();
    if (expiring_within_days.has_value() &&
        ends_ms - now_ms > static_cast<TimeMs>(*expiring_within_days) * events::kMsPerDay) {
      continue;
    }
    held.push_back(OwnedEntry{.customer = &summary,
                              .deadline_ms = summary.hold.deadline_ms,
                              .ends_at_ms = ends_ms,
                              .days_left = (ends_ms - now_ms + events::kMsPerDay - 1) / events::kMsPerDay});
  }
  std::stable_sort(held.begin(), held.end(),
                   [](const OwnedEntry& a, const OwnedEntry& b) { return a.ends_at_ms < b.ends_at_ms; });
  return held;
}

}  // namespace crm::projections
