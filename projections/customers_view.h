// CustomersView: one summary per customer, folded from the log, that the pool and ownership
// views are read from (domain.md "Views people expect"). It reads events and nothing else.
//
// Time is applied when the view is read, never stored (rule 13): a customer whose hold has
// ended at the asked time is in the pool for the reader, with reason "expired" or
// "review_timed_out" and the deadline as the time it entered, whether or not the release event
// has been written yet. So the same fold answers "now" and any past time it has been folded to.
//
// Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "events/customer_hold.h"
#include "events/envelope.h"

namespace crm::projections {

using events::TimeMs;

using events::PoolReason;
using events::PoolReasonName;

enum class RequestKind : std::uint8_t { kExtension, kPromotion };

struct CustomerSummary {
  std::string customer_id;
  std::string name;
  std::string region;
  std::string industry;
  events::Hold hold;
  PoolReason pool_reason = PoolReason::kNone;  // as of the last release event
  TimeMs pool_entered_ms = 0;
  std::set<std::string> owners;                         // everyone who has held it
  std::map<std::string, RequestKind> pending_requests;  // request id -> kind, waiting for a manager
};

struct PoolFilter {
  std::string region;    // empty: any
  std::string industry;  // empty: any
};

struct PoolEntry {
  const CustomerSummary* customer = nullptr;  // borrowed from the view until its next Apply
  PoolReason reason = PoolReason::kNone;
  TimeMs entered_at_ms = 0;
  std::size_t previous_owners = 0;
};

struct OwnedEntry {
  const CustomerSummary* customer = nullptr;  // borrowed from the view until its next Apply
  TimeMs deadline_ms = 0;                     // the stage's deadline
  // When the hold ends: the review deadline while the review is pending, else the deadline.
  TimeMs ends_at_ms = 0;
  std::int64_t days_left = 0;  // until ends_at_ms, in whole days rounded up: half a day reads as 1
};

class CustomersView {
 public:
  // REQUIRES: events in seq order, each once.
  void Apply(const events::RecordedEvent& recorded);
  events::Seq applied_seq() const { return applied_seq_; }

  const CustomerSummary* Find(std::string_view customer_id) const;

  // Every customer in the pool at `now_ms`, ordered by id.
  std::vector<PoolEntry> Pool(TimeMs now_ms, const PoolFilter& filter = {}) const;

  // What `user_id` holds at `now_ms` (potential and intention), soonest end first; with
  // `expiring_within_days`, only holds ending within that many days (the warning sales teams
  // ask for most).
  std::vector<OwnedEntry> HeldBy(std::string_view user_id, TimeMs now_ms,
                                 std::optional<std::uint32_t> expiring_within_days = std::nullopt) const;

 private:
  void ApplyToSummary(CustomerSummary& summary, const events::RecordedEvent& recorded);

  events::Seq applied_seq_ = 0;
  std::map<std::string, CustomerSummary, std::less<>> customers_;
};

}  // namespace crm::projections
