#include "projections/customer_360.h"

#include <algorithm>
#include <limits>
#include <type_traits>
#include <utility>
#include <variant>

#include "events/event_subject.h"

namespace crm::projections {
namespace {

using events::RecordedEvent;

HoldingEnd HoldingEndOf(PoolReason reason) {
  switch (reason) {
    case PoolReason::kRejected: return HoldingEnd::kRejected;
    case PoolReason::kReviewTimedOut: return HoldingEnd::kReviewTimedOut;
    case PoolReason::kAbandoned: return HoldingEnd::kAbandoned;
    case PoolReason::kExpired: return HoldingEnd::kExpired;
    case PoolReason::kNone: break;
  }
  return HoldingEnd::kOpen;
}

// The reason a release event carries, if it carries one.
std::string ReleaseReasonOf(const events::Event& event) {
  if (const auto* rejected = std::get_if<events::ProtectionRejected>(&event)) return rejected->reason;
  if (const auto* abandoned = std::get_if<events::CustomerAbandoned>(&event)) return abandoned->reason;
  return {};
}

Fen SaturatingAdd(Fen a, Fen b) {
  Fen sum = 0;
  if (!__builtin_add_overflow(a, b, &sum)) return sum;
  return b > 0 ? std::numeric_limits<Fen>::max() : std::numeric_limits<Fen>::min();
}

// Folds one event of the customer (or of one of its contracts) into the report; one overload
// per event that changes it. The hold has already had the event applied (events::ApplyToHold).
class Folder {
 public:
  Folder(Customer360Report& report, const events::Hold& hold, const RecordedEvent& recorded)
      : report_(report),
        hold_(hold),
        recorded_(recorded),
        at_ms_(recorded.envelope.effective_at_ms),
        actor_(recorded.envelope.actor_id) {}

  // Any release (rule 4, 6, 8, 9, 13): the holding ends, and with it the requests about it.
  void EnterPool(const events::PoolEntrance& entrance, const std::string& reason) {
    CloseRequests(std::nullopt, entrance.at_ms, events::PoolReasonName(entrance.reason));
    report_.extensions_granted = 0;
    report_.pool_reason = entrance.reason;
    report_.pool_since_ms = entrance.at_ms;
    CloseHolding(entrance.at_ms, HoldingEndOf(entrance.reason), reason);
  }

  void operator()(const events::CustomerRegistered& e) {
    report_.exists = true;
    report_.profile = CustomerProfile{.registration = e, .registered_at_ms = at_ms_, .registered_by = actor_};
  }
  void operator()(const events::CustomerProtected& e) {
    report_.extensions_granted = 0;
    report_.pool_reason = PoolReason::kNone;
    report_.pool_since_ms = 0;
    OpenHolding(e.owner_id, CustomerStage::kPotential,
                e.source == events::ProtectionSource::kRegistration ? HoldingStart::kRegistered
                                                                    : HoldingStart::kProtectedFromPool,
                "");
  }
  void operator()(const events::ProtectionApproved& e) {
    if (Holding* holding = OpenHoldingOrNull()) {
      holding->approved_at_ms = at_ms_;
      holding->approved_by = actor_;
      holding->approval_reason = e.reason;
    }
  }
  void operator()(const events::ContactAdded& e) {
    report_.contacts.push_back(CustomerContactEntry{.contact = e, .added_at_ms = at_ms_, .added_by = actor_});
  }
  void operator()(const events::FollowUpRecorded& e) {
    report_.follow_ups.push_back(CustomerFollowUpEntry{.follow_up = e, .at_ms = at_ms_, .by = actor_});
  }
  void operator()(const events::ExtensionRequested& e) {
    AddRequest(e.request_id, CustomerRequestKind::kExtension, e.days, e.reason);
  }
  void operator()(const events::PromotionRequested& e) {
    AddRequest(e.request_id, CustomerRequestKind::kPromotion, 0, e.reason);
  }
  void operator()(const events::ExtensionGranted& e) {
    Decide(e.request_id, CustomerRequestStatus::kGranted, e.reason, e.deadline_ms);
    ++report_.extensions_granted;
  }
  void operator()(const events::ExtensionDenied& e) {
    Decide(e.request_id, CustomerRequestStatus::kDenied, e.reason, 0);
  }
  void operator()(const events::PromotionDenied& e) {
    Decide(e.request_id, CustomerRequestStatus::kDenied, e.reason, 0);
  }
  void operator()(const events::CustomerPromoted& e) {
    // An empty request id: promoted without approval (promotionNeedsApproval=false), no request.
    if (!e.request_id.empty()) Decide(e.request_id, CustomerRequestStatus::kGranted, e.reason, e.deadline_ms);
    // The new stage is a new protection: a pending potential-stage extension is moot.
    CloseRequests(CustomerRequestKind::kExtension, at_ms_, "promoted");
    report_.extensions_granted = 0;
    if (Holding* holding = OpenHoldingOrNull()) holding->stages.push_back(CustomerStage::kIntention);
  }
  void operator()(const events::CustomerReassigned& e) {
    CloseHolding(at_ms_, HoldingEnd::kReassigned, e.reason);
    OpenHolding(e.to_user_id, hold_.stage, HoldingStart::kReassigned, e.reason);
  }
  void operator()(const events::CustomerHandedToAftersales& e) {
    CloseRequests(std::nullopt, at_ms_, "handed_to_aftersales");
    report_.extensions_granted = 0;
    if (Holding* holding = OpenHoldingOrNull()) holding->contract_no = e.contract_no;
    CloseHolding(at_ms_, HoldingEnd::kHandedToAftersales, "");
    OpenHolding(e.aftersales_owner_id, CustomerStage::kFormal, HoldingStart::kAftersales, "");
    report_.ownership.back().contract_no = e.contract_no;
    if (ContractRecord* contract = FindContract(e.contract_no)) contract->aftersales_owner_id = e.aftersales_owner_id;
  }
  void operator()(const events::ContractSigned& e) {
    if (FindContract(e.contract_no) != nullptr) return;  // a number is taken once; the first stands
    report_.contracts.push_back(ContractRecordOf(recorded_, e));
  }
  void operator()(const events::PaymentRecorded& e) {
    // A payment on a contract this customer has not signed is not in any log; ignore it.
    if (ContractRecord* contract = FindContract(e.contract_no)) static_cast<void>(AddPayment(*contract, recorded_, e));
  }

  template <typename E>
  void operator()(const E&) {}

 private:
  Holding* OpenHoldingOrNull() {
    if (report_.ownership.empty() || report_.ownership.back().ended != HoldingEnd::kOpen) return nullptr;
    return &report_.ownership.back();
  }
  void OpenHolding(const std::string& owner_id, CustomerStage stage, HoldingStart began, const std::string& reason) {
    Holding holding;
    holding.owner_id = owner_id;
    holding.stages.push_back(stage);
    holding.from_ms = at_ms_;
    holding.began = began;
    holding.began_by = actor_;
    holding.began_reason = reason;
    report_.ownership.push_back(std::move(holding));
  }
  void CloseHolding(TimeMs to_ms, HoldingEnd ended, const std::string& reason) {
    Holding* holding = OpenHoldingOrNull();
    if (holding == nullptr) return;
    holding->to_ms = to_ms;
    holding->ended = ended;
    holding->ended_by = actor_;
    holding->ended_reason = reason;
  }

  void AddRequest(const std::string& request_id, CustomerRequestKind kind, std::uint32_t days,
                  const std::string& reason) {
    CustomerRequestEntry request;
    request.request_id = request_id;
    request.kind = kind;
    request.days = days;
    request.reason = reason;
    request.requested_at_ms = at_ms_;
    request.requested_by = actor_;
    report_.requests.push_back(std::move(request));
  }
  // A manager's decision on a pending request; decisions on anything else are not in a log.
  void Decide(const std::string& request_id, CustomerRequestStatus status, const std::string& reason,
              TimeMs granted_deadline_ms) {
    for (CustomerRequestEntry& request : report_.requests) {
      if (request.request_id != request_id || request.status != CustomerRequestStatus::kPending) continue;
      request.status = status;
      request.decided_at_ms = at_ms_;
      request.decided_by = actor_;
      request.decision_reason = reason;
      request.granted_deadline_ms = granted_deadline_ms;
    }
  }
  void CloseRequests(std::optional<CustomerRequestKind> only_kind, TimeMs closed_at_ms, std::string_view why) {
    for (CustomerRequestEntry& request : report_.requests) {
      if (request.status != CustomerRequestStatus::kPending || (only_kind && request.kind != *only_kind)) continue;
      request.status = CustomerRequestStatus::kClosed;
      request.decided_at_ms = closed_at_ms;
      request.decided_by = actor_;
      request.decision_reason = std::string(why);
    }
  }

  ContractRecord* FindContract(std::string_view contract_no) {
    const auto it = std::find_if(report_.contracts.begin(), report_.contracts.end(),
                                 [&](const ContractRecord& c) { return c.contract.contract_no == contract_no; });
    return it == report_.contracts.end() ? nullptr : &*it;
  }

  Customer360Report& report_;
  const events::Hold& hold_;
  const RecordedEvent& recorded_;
  const TimeMs at_ms_;
  const std::string& actor_;
};

void Fold(Customer360Report& report, events::Hold& hold, const RecordedEvent& recorded) {
  events::ApplyToHold(hold, recorded.event);
  Folder folder(report, hold, recorded);
  if (const auto entrance = events::PoolEntranceOf(recorded.event, recorded.envelope.effective_at_ms)) {
    folder.EnterPool(*entrance, ReleaseReasonOf(recorded.event));
  }
  std::visit(folder, recorded.event);
}

// The release time has decided by `ended.at_ms` (rule 13), as the sweeper would write it.
RecordedEvent DueRelease(const std::string& customer_id, const events::Hold& hold, const events::PoolEntrance& ended) {
  RecordedEvent release;
  release.envelope.actor_id = std::string(events::kSystemActorId);
  release.envelope.recorded_at_ms = ended.at_ms;
  release.envelope.effective_at_ms = ended.at_ms;
  if (ended.reason == PoolReason::kReviewTimedOut) {
    release.event = events::ProtectionReviewTimedOut{
        .customer_id = customer_id, .owner_id = hold.owner_id, .review_deadline_ms = hold.review_deadline_ms};
  } else {
    release.event =
        events::ProtectionExpired{.customer_id = customer_id,
                                  .owner_id = hold.owner_id,
                                  .stage = hold.stage == CustomerStage::kIntention ? events::HeldStage::kIntention
                                                                                   : events::HeldStage::kPotential,
                                  .deadline_ms = hold.deadline_ms};
  }
  return release;
}

// The fields of the report that the hold gives.
void FillHold(Customer360Report& report, const events::Hold& hold) {
  report.stage = hold.stage;
  report.owner_id = hold.owner_id;
  report.deadline_ms = hold.deadline_ms;
  report.review_pending = hold.review_pending;
  report.review_deadline_ms = hold.review_deadline_ms;
  report.hold_ends_at_ms = hold.ReleaseDueAt();
  if (hold.stage != CustomerStage::kPool) {
    report.pool_reason = PoolReason::kNone;
    report.pool_since_ms = 0;
  }
}

void FillTotals(Customer360Report& report) {
  report.signed_fen = 0;
  report.paid_fen = 0;
  report.receivable_fen = 0;
  for (const ContractRecord& contract : report.contracts) {
    report.signed_fen = SaturatingAdd(report.signed_fen, contract.contract.total_fen);
    report.paid_fen = SaturatingAdd(report.paid_fen, contract.paid_fen);
    report.receivable_fen = SaturatingAdd(report.receivable_fen, contract.receivable_fen());
  }
}

}  // namespace

std::string_view HoldingStartName(HoldingStart start) {
  switch (start) {
    case HoldingStart::kRegistered: return "registered";
    case HoldingStart::kProtectedFromPool: return "protected_from_pool";
    case HoldingStart::kReassigned: return "reassigned";
    case HoldingStart::kHandedOver: return "handed_over";
    case HoldingStart::kAftersales: return "aftersales";
  }
  return "unknown";
}

std::string_view HoldingEndName(HoldingEnd end) {
  switch (end) {
    case HoldingEnd::kOpen: return "open";
    case HoldingEnd::kRejected: return "rejected";
    case HoldingEnd::kReviewTimedOut: return "review_timed_out";
    case HoldingEnd::kAbandoned: return "abandoned";
    case HoldingEnd::kExpired: return "expired";
    case HoldingEnd::kReassigned: return "reassigned";
    case HoldingEnd::kHandedOver: return "handed_over";
    case HoldingEnd::kHandedToAftersales: return "handed_to_aftersales";
  }
  return "unknown";
}

std::string_view CustomerRequestKindName(CustomerRequestKind kind) {
  switch (kind) {
    case CustomerRequestKind::kExtension: return "extension";
    case CustomerRequestKind::kPromotion: return "promotion";
  }
  return "unknown";
}

std::string_view CustomerRequestStatusName(CustomerRequestStatus status) {
  switch (status) {
    case CustomerRequestStatus::kPending: return "pending";
    case CustomerRequestStatus::kGranted: return "granted";
    case CustomerRequestStatus::kDenied: return "denied";
    case CustomerRequestStatus::kClosed: return "closed";
  }
  return "unknown";
}

Customer360::Customer360(std::string customer_id) : customer_id_(std::move(customer_id)) {}

bool Customer360::Concerns(const events::Event& event) const {
  if (const std::string* customer_id = events::CustomerIdOf(event)) return *customer_id == customer_id_;
  return std::visit(
      [this](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, events::ContractSigned> || std::is_same_v<E, events::PaymentRecorded>) {
          return e.customer_id == customer_id_;
        } else if constexpr (std::is_same_v<E, events::CustomersHandedOver>) {
          return std::find(e.customer_ids.begin(), e.customer_ids.end(), customer_id_) != e.customer_ids.end();
        } else {
          return false;
        }
      },
      event);
}

void Customer360::Apply(const events::RecordedEvent& recorded) {
  if (!Concerns(recorded.event)) return;
  ++applied_events_;
  if (const auto* handover = std::get_if<events::CustomersHandedOver>(&recorded.event)) {
    RelabelHandover(*handover);
  } else {
    Fold(report_, hold_, recorded);
  }
  const auto* reassigned = std::get_if<events::CustomerReassigned>(&recorded.event);
  last_reassignment_ = reassigned == nullptr ? std::nullopt : std::optional(*reassigned);
}

// A handover writes one CustomerReassigned per customer, then the CustomersHandedOver, in one
// atomic append: the reassignment just applied is this handover's when the users match.
void Customer360::RelabelHandover(const events::CustomersHandedOver& handover) {
  if (!last_reassignment_.has_value() || last_reassignment_->from_user_id != handover.from_user_id ||
      last_reassignment_->to_user_id != handover.to_user_id) {
    return;
  }
  std::vector<Holding>& ownership = report_.ownership;
  if (ownership.size() < 2) return;
  Holding& previous = ownership[ownership.size() - 2];
  Holding& current = ownership.back();
  if (current.began != HoldingStart::kReassigned || previous.ended != HoldingEnd::kReassigned) return;
  current.began = HoldingStart::kHandedOver;
  previous.ended = HoldingEnd::kHandedOver;
}

Customer360Report Customer360::At(TimeMs now_ms) const {
  if (!report_.exists) return Customer360Report{};
  Customer360Report report = report_;
  events::Hold hold = hold_;
  // Rule 13: a hold time has ended reads exactly as if its release had been written.
  if (const std::optional<events::PoolEntrance> ended = hold.EndedBy(now_ms)) {
    Fold(report, hold, DueRelease(customer_id_, hold, *ended));
  }
  FillHold(report, hold);
  FillTotals(report);
  return report;
}

}  // namespace crm::projections
