// The fold of AnalyticsView and its rows' life cycle; the row bytes are in analytics_rows.cc
// and the reads in analytics_reads.cc.
#include "projections/analytics_view.h"

#include <algorithm>
#include <type_traits>

#include "projections/key_order.h"

namespace crm::projections {
namespace {

template <typename E, typename... Ts>
constexpr bool kIsAnyOf = (std::is_same_v<E, Ts> || ...);

// The customer events that move a figure: those that move the hold (events::ApplyToHold) or
// start or end it. Contacts, follow-ups and requests move none.
template <typename E>
constexpr bool kMovesCustomerFigures =
    kIsAnyOf<E, events::CustomerRegistered, events::CustomerProtected, events::ProtectionApproved,
             events::ProtectionRejected, events::ProtectionReviewTimedOut, events::ExtensionGranted,
             events::CustomerPromoted, events::CustomerAbandoned, events::ProtectionExpired, events::CustomerReassigned,
             events::CustomerHandedToAftersales>;

template <typename E>
constexpr bool kReleasesToPool = kIsAnyOf<E, events::ProtectionRejected, events::ProtectionReviewTimedOut,
                                          events::CustomerAbandoned, events::ProtectionExpired>;

constexpr std::string_view kCustomerPrefix = "c/";
constexpr std::string_view kContractPrefix = "k/";

std::string RowKey(std::string_view prefix, std::string_view id) {
  std::string key;
  key.reserve(prefix.size() + id.size());
  key.append(prefix).append(id);
  return key;
}

}  // namespace

Fen AnalyticsView::AddFen(Fen a, Fen b) {
  Fen sum = 0;
  if (!__builtin_add_overflow(a, b, &sum)) return sum;
  return b > 0 ? INT64_MAX : INT64_MIN;
}

ProjectionKind AnalyticsView::Kind() {
  return ProjectionKind{.name = std::string(kAnalyticsViewName), .version = kAnalyticsViewVersion, .make = [] {
                          return std::make_unique<AnalyticsView>();
                        }};
}

void AnalyticsView::Apply(const events::RecordedEvent& recorded) {
  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (kMovesCustomerFigures<E>) {
          ApplyToCustomer(e, recorded);
        } else if constexpr (std::is_same_v<E, events::ContractSigned>) {
          ApplySigned(e);
        } else if constexpr (std::is_same_v<E, events::PaymentRecorded>) {
          ApplyPayment(e);
        }
      },
      recorded.event);
}

template <typename E>
void AnalyticsView::ApplyToCustomer(const E& event, const events::RecordedEvent& recorded) {
  const Index index = CustomerIndex(event.customer_id);
  Customer& customer = customers_[index];
  const TimeMs at_ms = recorded.envelope.recorded_at_ms;
  if constexpr (std::is_same_v<E, events::CustomerRegistered>) {
    customer.registered = true;
  } else if constexpr (std::is_same_v<E, events::CustomerProtected>) {
    customer.hold_start_ms = at_ms;
    customer.promoted_ms.reset();
    AddMilestone(index, Milestone{.at_ms = at_ms,
                                  .hold_start_ms = at_ms,
                                  .user = UserIndex(event.owner_id),
                                  .kind = MilestoneKind::kProtected,
                                  .detail = static_cast<std::uint8_t>(event.source)});
  } else if constexpr (std::is_same_v<E, events::CustomerPromoted>) {
    AddMilestone(index, Milestone{.at_ms = at_ms,
                                  .hold_start_ms = customer.hold_start_ms,
                                  .user = UserIndex(customer.hold.owner_id),
                                  .kind = MilestoneKind::kPromoted,
                                  .detail = 0});
    customer.promoted_ms = at_ms;
  } else if constexpr (kReleasesToPool<E>) {
    const std::optional<events::PoolEntrance> entrance =
        events::PoolEntranceOf(recorded.event, recorded.envelope.effective_at_ms);
    AddMilestone(index, Milestone{.at_ms = entrance->at_ms,
                                  .hold_start_ms = 0,
                                  .user = kNoIndex,
                                  .kind = MilestoneKind::kEnteredPool,
                                  .detail = static_cast<std::uint8_t>(entrance->reason)});
  }
  events::ApplyToHold(customer.hold, recorded.event);
  MarkDirty(customer, index);
}

void AnalyticsView::ApplySigned(const events::ContractSigned& event) {
  const Index customer_index = CustomerIndex(event.customer_id);
  const Index index = ContractIndex(event.contract_no);
  Contract& contract = contracts_[index];
  if (contract.signed_) return;  // contract numbers are unique (rule 10): the first signing stands
  contract.signed_ = true;
  contract.customer = customer_index;
  contract.sales_owner = UserIndex(event.sales_owner_id);
  contract.signed_at_ms = event.signed_at_ms;
  contract.total_fen = event.total_fen;
  MarkDirty(contract, index);
  AddFact(ContractFact(FactKind::kSigned, index, event.signed_at_ms, event.total_fen));

  Customer& customer = customers_[customer_index];
  if (customer.signed_any) return;
  // The first contract: the funnel's samples are taken from the hold in force now, which is
  // the hold that signed (rule 10 signs only held intention customers).
  customer.signed_any = true;
  if (customer.ever_protected) {
    customer.protect_to_sign_ms = std::max<TimeMs>(0, event.signed_at_ms - customer.hold_start_ms);
  }
  if (customer.promoted_ms.has_value()) {
    customer.promote_to_sign_ms = std::max<TimeMs>(0, event.signed_at_ms - *customer.promoted_ms);
  }
  MarkDirty(customer, customer_index);
}

void AnalyticsView::ApplyPayment(const events::PaymentRecorded& event) {
  if (event.amount_fen <= 0) return;  // the decider never writes one; it must not bend a sum
  const Index index = ContractIndex(event.contract_no);
  if (contracts_[index].customer == kNoIndex) {
    const Index customer_index = CustomerIndex(event.customer_id);
    contracts_[index].customer = customer_index;
  }
  Contract& contract = contracts_[index];
  contract.payments.push_back(Payment{.paid_at_ms = event.paid_at_ms, .amount_fen = event.amount_fen});
  contract.paid_fen = AddFen(contract.paid_fen, event.amount_fen);
  MarkDirty(contract, index);
  AddFact(ContractFact(FactKind::kPaid, index, event.paid_at_ms, event.amount_fen));
}

AnalyticsView::Index AnalyticsView::CustomerIndex(std::string_view id) {
  const Index found = customer_index_.Find(id, [this](Index i) -> const std::string& { return customers_[i].id; });
  if (found != IdIndex::kAbsent) return found;
  const auto index = static_cast<Index>(customers_.size());
  customers_.emplace_back().id = std::string(id);
  customer_index_.Insert(id, index);
  MarkDirty(customers_.back(), index);  // a new record is a new row
  return index;
}

AnalyticsView::Index AnalyticsView::ContractIndex(std::string_view contract_no) {
  const Index found =
      contract_index_.Find(contract_no, [this](Index i) -> const std::string& { return contracts_[i].contract_no; });
  if (found != IdIndex::kAbsent) return found;
  const auto index = static_cast<Index>(contracts_.size());
  contracts_.emplace_back().contract_no = std::string(contract_no);
  contract_index_.Insert(contract_no, index);
  MarkDirty(contracts_.back(), index);
  return index;
}

AnalyticsView::Index AnalyticsView::UserIndex(std::string_view user_id) {
  if (user_id.empty()) return kNoIndex;
  const Index found = user_index_.Find(user_id, [this](Index i) -> const std::string& { return users_[i]; });
  if (found != IdIndex::kAbsent) return found;
  const auto index = static_cast<Index>(users_.size());
  users_.emplace_back(user_id);
  user_index_.Insert(user_id, index);
  return index;
}

void AnalyticsView::AddMilestone(Index customer_index, const Milestone& milestone) {
  Customer& customer = customers_[customer_index];
  customer.AddMilestone(milestone);
  AddFact(MilestoneFact(customer_index, milestone));
}

void AnalyticsView::MarkDirty(Customer& customer, Index index) {
  if (customer.dirty) return;
  customer.dirty = true;
  dirty_customers_.push_back(index);
}

void AnalyticsView::MarkDirty(Contract& contract, Index index) {
  if (contract.dirty) return;
  contract.dirty = true;
  dirty_contracts_.push_back(index);
}

void AnalyticsView::FlushChanges(RowSink& sink) {
  // Rows in key order: "c/" rows by customer id, then "k/" rows by contract number.
  SortByKey(dirty_customers_, [this](Index index) { return std::string_view(customers_[index].id); });
  SortByKey(dirty_contracts_, [this](Index index) { return std::string_view(contracts_[index].contract_no); });
  for (const Index index : dirty_customers_) {
    Customer& customer = customers_[index];
    customer.dirty = false;
    sink.Put(RowKey(kCustomerPrefix, customer.id), CustomerRow(customer));
  }
  for (const Index index : dirty_contracts_) {
    Contract& contract = contracts_[index];
    contract.dirty = false;
    sink.Put(RowKey(kContractPrefix, contract.contract_no), ContractRow(contract));
  }
  dirty_customers_.clear();
  dirty_contracts_.clear();
}

void AnalyticsView::WriteRows(RowSink& sink) const {
  for (const Customer& customer : customers_) sink.Put(RowKey(kCustomerPrefix, customer.id), CustomerRow(customer));
  for (const Contract& contract : contracts_) {
    sink.Put(RowKey(kContractPrefix, contract.contract_no), ContractRow(contract));
  }
}

Status AnalyticsView::LoadRow(std::string_view key, std::string_view value) {
  if (key.starts_with(kCustomerPrefix) && key.size() > kCustomerPrefix.size()) {
    return LoadCustomer(key.substr(kCustomerPrefix.size()), value);
  }
  if (key.starts_with(kContractPrefix) && key.size() > kContractPrefix.size()) {
    return LoadContract(key.substr(kContractPrefix.size()), value);
  }
  return Status::Corruption("projection_row_corrupt", "analytics row " + std::string(key) + ": unknown key");
}

Status AnalyticsView::FinishLoad() {
  // A record still dirty was named by another row but never loaded itself: the rows disagree.
  for (const Index index : dirty_customers_) {
    if (customers_[index].dirty) {
      return Status::Corruption("projection_row_corrupt",
                                "analytics: a contract names customer " + customers_[index].id + ", which has no row");
    }
  }
  dirty_customers_.clear();
  dirty_contracts_.clear();
  RebuildFacts();
  return Status::Ok();
}

}  // namespace crm::projections
