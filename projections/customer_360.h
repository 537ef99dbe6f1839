// Customer360: everything about one customer (domain.md "Views people expect"; api.md
// GET /v1/customers/{id}): profile, stage and deadlines, contacts, follow-ups, requests,
// contracts with their payments, and the ownership history.
//
// Not a stored projection: an on-demand fold of one customer's events. The caller reads them
// from the log and applies them in seq order: the customer's stream, the streams of its
// contracts, and (optionally) the CustomersHandedOver events that name it, which only relabel a
// reassignment as part of a handover. As of a log position = the same events cut at that seq.
//
// Time is applied when the report is made, never during the fold (rule 13): At(now_ms) on a
// hold whose deadline has passed reads exactly as if the system release (actor "system",
// effective at the deadline) had been written, whether or not it has been yet.
//
// Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/customer_hold.h"
#include "events/envelope.h"
#include "projections/contracts_view.h"

namespace crm::projections {

using events::CustomerStage;
using events::PoolReason;

// How a holding (one owner's uninterrupted possession of the customer) began.
enum class HoldingStart : std::uint8_t {
  kRegistered,         // the registering salesperson (rule 2)
  kProtectedFromPool,  // claimed from the pool (rule 3)
  kReassigned,         // a manager moved it (rule 12)
  kHandedOver,         // moved with all of a departing user's customers (rule 12)
  kAftersales,         // the first contract handed it to after-sales (rule 10)
};
std::string_view HoldingStartName(HoldingStart start);  // "registered", "protected_from_pool", ...

// How it ended.
enum class HoldingEnd : std::uint8_t {
  kOpen,  // still held
  kRejected,
  kReviewTimedOut,
  kAbandoned,
  kExpired,
  kReassigned,
  kHandedOver,
  kHandedToAftersales,
};
std::string_view HoldingEndName(HoldingEnd end);  // "open", "rejected", ...

struct Holding {
  std::string owner_id;
  std::vector<CustomerStage> stages;  // in the order held: potential, intention; or formal
  TimeMs from_ms = 0;
  std::optional<TimeMs> to_ms;  // nullopt while open
  HoldingStart began = HoldingStart::kRegistered;
  std::string began_by;      // the actor of the event that began it
  std::string began_reason;  // reassignments and handovers carry one
  HoldingEnd ended = HoldingEnd::kOpen;
  std::string ended_by;      // "system" for expiries and review time-outs
  std::string ended_reason;  // rejections, abandonments, reassignments and handovers carry one
  // The contract that handed the customer to after-sales (kAftersales, kHandedToAftersales).
  std::string contract_no;
  // The review of this protection, when approved (a rejection ends the holding instead).
  TimeMs approved_at_ms = 0;
  std::string approved_by;
  std::string approval_reason;

  bool operator==(const Holding&) const = default;
};

enum class CustomerRequestKind : std::uint8_t { kExtension, kPromotion };
enum class CustomerRequestStatus : std::uint8_t { kPending, kGranted, kDenied, kClosed };
std::string_view CustomerRequestKindName(CustomerRequestKind kind);        // "extension", "promotion"
std::string_view CustomerRequestStatusName(CustomerRequestStatus status);  // "pending", ...

// An extension or promotion request and its outcome. A pending request closes when the hold it
// was about ends (any release, including by time at the report's now, or the hand-over to
// after-sales), and a promotion closes a pending extension (docs/rules.md "Requests end with the
// hold"); then decided_* say when and by what, and decision_reason is why it closed
// ("expired", "review_timed_out", "abandoned", "rejected", "promoted", "handed_to_aftersales").
struct CustomerRequestEntry {
  std::string request_id;
  CustomerRequestKind kind = CustomerRequestKind::kExtension;
  std::uint32_t days = 0;  // extensions: the days asked for
  std::string reason;
  CustomerRequestStatus status = CustomerRequestStatus::kPending;
  TimeMs requested_at_ms = 0;
  std::string requested_by;
  TimeMs decided_at_ms = 0;  // 0 while pending
  std::string decided_by;
  std::string decision_reason;
  TimeMs granted_deadline_ms = 0;  // granted: the deadline it gave

  bool operator==(const CustomerRequestEntry&) const = default;
};

struct CustomerProfile {
  events::CustomerRegistered registration;  // every field as registered
  TimeMs registered_at_ms = 0;
  std::string registered_by;

  bool operator==(const CustomerProfile&) const = default;
};

struct CustomerContactEntry {
  events::ContactAdded contact;  // every field as added
  TimeMs added_at_ms = 0;
  std::string added_by;

  bool operator==(const CustomerContactEntry&) const = default;
};

struct CustomerFollowUpEntry {
  events::FollowUpRecorded follow_up;  // id, channel, notes, next contact
  TimeMs at_ms = 0;
  std::string by;

  bool operator==(const CustomerFollowUpEntry&) const = default;
};

// The customer as it stands at the asked time. Lists are in log order.
struct Customer360Report {
  bool exists = false;  // false: not registered (as of the events applied); nothing else is set
  CustomerProfile profile;

  // Rule 13 applied: a hold that has ended by time reads as pool.
  CustomerStage stage = CustomerStage::kUnregistered;
  std::string owner_id;    // holder (potential, intention), after-sales owner (formal), else empty
  TimeMs deadline_ms = 0;  // potential/intention: when the stage ends; else 0
  bool review_pending = false;
  TimeMs review_deadline_ms = 0;               // while review_pending
  std::optional<TimeMs> hold_ends_at_ms;       // held: when time alone ends the hold
  PoolReason pool_reason = PoolReason::kNone;  // in the pool: why
  TimeMs pool_since_ms = 0;                    // in the pool: since when
  // Extensions granted in the current stage: the count rule 7's maxExtensions limits.
  std::uint32_t extensions_granted = 0;

  std::vector<CustomerContactEntry> contacts;
  std::vector<CustomerFollowUpEntry> follow_ups;
  std::vector<CustomerRequestEntry> requests;
  std::vector<ContractRecord> contracts;  // signing order, each with its payments
  Fen signed_fen = 0;                     // sums over contracts (saturating; never overflow)
  Fen paid_fen = 0;
  Fen receivable_fen = 0;
  std::vector<Holding> ownership;  // one entry per holding, oldest first

  bool operator==(const Customer360Report&) const = default;
};

class Customer360 {
 public:
  explicit Customer360(std::string customer_id);

  // REQUIRES: events in seq order, each once. Events about other customers are ignored, and so
  // are payments on contracts this customer has not signed (the log never holds them).
  void Apply(const events::RecordedEvent& recorded);

  // The customer at `now_ms`. REQUIRES: now_ms is not before the last applied event's time.
  Customer360Report At(TimeMs now_ms) const;

  const std::string& customer_id() const { return customer_id_; }
  bool exists() const { return report_.exists; }
  // Events of this customer applied so far (ignored events do not count).
  std::uint64_t applied_events() const { return applied_events_; }

 private:
  bool Concerns(const events::Event& event) const;
  void RelabelHandover(const events::CustomersHandedOver& handover);

  std::string customer_id_;
  // The report as the applied events alone say, before time is applied; hold-derived fields
  // are filled by At() from hold_.
  Customer360Report report_;
  events::Hold hold_;
  std::uint64_t applied_events_ = 0;
  // The reassignment that was the last event applied, if it was one: a CustomersHandedOver
  // right after it (the same atomic append) makes it part of a handover.
  std::optional<events::CustomerReassigned> last_reassignment_;
};

}  // namespace crm::projections
