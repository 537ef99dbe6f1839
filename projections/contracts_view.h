// ContractsView: one row per contract, with its payments (domain.md rules 10, 11; api.md
// GET /v1/contracts/{no}). Folded from the contract streams (ContractSigned, then its
// PaymentRecorded) and from the CustomerHandedToAftersales that names a contract.
//
// Rows: key = the contract number (1-64 bytes, docs/rules.md "Contracts"), value = the whole
// ContractRecord in RowWriter form. paid_fen is not stored: it is the sum of the stored payments,
// recomputed when a row is loaded, so a row cannot disagree with itself.
//
// Money is integer fen throughout; sums are checked for overflow rather than trusted.
//
// Not thread-safe (projection.h).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "events/envelope.h"
#include "events/event_types.h"
#include "projections/projection.h"

namespace crm::projections {

using events::Fen;
using events::TimeMs;

inline constexpr std::string_view kContractsViewName = "contracts";
inline constexpr std::uint32_t kContractsViewVersion = 1;

// One PaymentRecorded (回款), with where and when the log recorded it.
struct ContractPayment {
  std::string payment_id;  // "<contract>#<n>"
  Fen amount_fen = 0;      // > 0
  TimeMs paid_at_ms = 0;   // when the money was paid (may precede the signing: a deposit)
  std::string method;
  std::string handler;
  std::string account;
  events::Seq seq = 0;        // the PaymentRecorded's log position
  TimeMs recorded_at_ms = 0;  // when the log accepted it
  std::string recorded_by;    // the finance user who recorded it

  bool operator==(const ContractPayment&) const = default;
};

struct ContractRecord {
  events::ContractSigned contract;  // everything the signing recorded, sales_owner_id included
  events::Seq signed_seq = 0;       // the ContractSigned's log position: signing order
  TimeMs recorded_at_ms = 0;        // when the log accepted the signing
  std::string recorded_by;          // who signed it in the system
  // The after-sales owner the customer was handed to on this contract (its first contract);
  // empty for follow-on contracts. Later moves of the customer are the customer's (Customer360).
  std::string aftersales_owner_id;
  std::vector<ContractPayment> payments;  // in log order
  Fen paid_fen = 0;                       // the sum of payments' amounts

  // Total − paid (rule 11); saturates instead of overflowing on amounts no log can hold.
  Fen receivable_fen() const;

  bool operator==(const ContractRecord&) const = default;
};

// The fold of one contract, shared by ContractsView and Customer360 so that the two never
// disagree about a contract.
ContractRecord ContractRecordOf(const events::RecordedEvent& recorded, const events::ContractSigned& signed_event);
// Adds `payment` to `record`. False, and `record` unchanged, when the payment names another
// contract or cannot be real (amount ≤ 0, or the sum would overflow): the decider never writes
// one, and a fold must not crash on it.
bool AddPayment(ContractRecord& record, const events::RecordedEvent& recorded, const events::PaymentRecorded& payment);

class ContractsView final : public Projection {
 public:
  static ProjectionKind Kind();

  ContractsView() = default;
  // Not copyable: by_customer_ points into this view's own contracts_.
  ContractsView(const ContractsView&) = delete;
  ContractsView& operator=(const ContractsView&) = delete;

  // Events of other kinds are ignored; so are payments and hand-overs naming a contract the
  // view has not seen (the log never holds them).
  void Apply(const events::RecordedEvent& recorded) override;
  void FlushChanges(RowSink& sink) override;
  void WriteRows(RowSink& sink) const override;
  Status LoadRow(std::string_view key, std::string_view value) override;
  // Rebuilds the customer → contracts index from the loaded rows.
  Status FinishLoad() override;

  // nullptr when unknown. Borrowed from the view until its next Apply or LoadRow.
  const ContractRecord* Find(std::string_view contract_no) const;
  // The customer's contracts in signing order; borrowed like Find's.
  std::vector<const ContractRecord*> OfCustomer(std::string_view customer_id) const;
  std::size_t size() const { return contracts_.size(); }

 private:
  ContractRecord* FindMutable(std::string_view contract_no);

  std::map<std::string, ContractRecord, std::less<>> contracts_;
  // customer id -> its contracts in signing order; derived from contracts_, whose nodes never
  // move and are never erased (a contract number is taken for good).
  std::map<std::string, std::vector<const ContractRecord*>, std::less<>> by_customer_;
  // Contracts changed since the last FlushChanges.
  std::set<std::string, std::less<>> dirty_;
};

}  // namespace crm::projections
