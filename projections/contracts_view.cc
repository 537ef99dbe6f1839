#include "projections/contracts_view.h"

#include <algorithm>
#include <limits>
#include <tuple>
#include <type_traits>
#include <utility>

#include "projections/row_codec.h"

namespace crm::projections {
namespace {

// A contract number the view can key a row by (projection.h: non-empty, bounded).
bool IsRowKey(std::string_view contract_no) {
  return !contract_no.empty() && contract_no.size() <= kRowKeyBytesMax;
}

void WriteBuyer(RowWriter& w, const events::ContractBuyer& buyer) {
  w.Bytes(buyer.name);
  w.Bytes(buyer.tax_id);
  w.Bytes(buyer.address);
  w.Bytes(buyer.phone);
  w.Bytes(buyer.bank);
  w.Bytes(buyer.bank_account);
  w.Bytes(buyer.contact_person);
}

void ReadBuyer(RowReader& r, events::ContractBuyer& buyer) {
  buyer.name = r.Bytes();
  buyer.tax_id = r.Bytes();
  buyer.address = r.Bytes();
  buyer.phone = r.Bytes();
  buyer.bank = r.Bytes();
  buyer.bank_account = r.Bytes();
  buyer.contact_person = r.Bytes();
}

// The row form, in this order: the signing (contract fields, lines, extras, total, credited
// salesperson), where the log recorded it, the after-sales owner, then the payments.
std::string EncodeRow(const ContractRecord& record) {
  const events::ContractSigned& c = record.contract;
  RowWriter w;
  w.Bytes(c.contract_no);
  w.Bytes(c.customer_id);
  w.Bytes(c.contract_type);
  w.I64(c.signed_at_ms);
  w.Bytes(c.payment_method);
  WriteBuyer(w, c.buyer);
  w.U64(c.lines.size());
  for (const events::ContractLine& line : c.lines) {
    w.Bytes(line.product);
    w.I64(line.quantity);
    w.I64(line.unit_price_fen);
    w.I64(line.amount_fen);
  }
  w.U64(c.extras.size());
  for (const std::string& extra : c.extras) w.Bytes(extra);
  w.I64(c.total_fen);
  w.Bytes(c.sales_owner_id);
  w.U64(record.signed_seq);
  w.I64(record.recorded_at_ms);
  w.Bytes(record.recorded_by);
  w.Bytes(record.aftersales_owner_id);
  w.U64(record.payments.size());
  for (const ContractPayment& p : record.payments) {
    w.Bytes(p.payment_id);
    w.I64(p.amount_fen);
    w.I64(p.paid_at_ms);
    w.Bytes(p.method);
    w.Bytes(p.handler);
    w.Bytes(p.account);
    w.U64(p.seq);
    w.I64(p.recorded_at_ms);
    w.Bytes(p.recorded_by);
  }
  return w.Take();
}

Status ContractRowCorrupt(std::string_view key, std::string_view why) {
  return Status::Corruption("projection_row_corrupt", "contracts row " + std::string(key) + ": " + std::string(why),
                            {{"projection", std::string(kContractsViewName)}, {"contractNo", std::string(key)}});
}

// The inverse of EncodeRow. Checks after reading what the fold guarantees before writing: the
// row is keyed by its own number, and its payments are positive and sum without overflow.
Status DecodeRow(std::string_view key, std::string_view value, ContractRecord& record) {
  events::ContractSigned& c = record.contract;
  RowReader r(value);
  c.contract_no = r.Bytes();
  c.customer_id = r.Bytes();
  c.contract_type = r.Bytes();
  c.signed_at_ms = r.I64();
  c.payment_method = r.Bytes();
  ReadBuyer(r, c.buyer);
  c.lines.resize(r.Count());
  for (events::ContractLine& line : c.lines) {
    line.product = r.Bytes();
    line.quantity = r.I64();
    line.unit_price_fen = r.I64();
    line.amount_fen = r.I64();
  }
  c.extras.resize(r.Count());
  for (std::string& extra : c.extras) extra = r.Bytes();
  c.total_fen = r.I64();
  c.sales_owner_id = r.Bytes();
  record.signed_seq = r.U64();
  record.recorded_at_ms = r.I64();
  record.recorded_by = r.Bytes();
  record.aftersales_owner_id = r.Bytes();
  record.payments.resize(r.Count());
  for (ContractPayment& p : record.payments) {
    p.payment_id = r.Bytes();
    p.amount_fen = r.I64();
    p.paid_at_ms = r.I64();
    p.method = r.Bytes();
    p.handler = r.Bytes();
    p.account = r.Bytes();
    p.seq = r.U64();
    p.recorded_at_ms = r.I64();
    p.recorded_by = r.Bytes();
  }
  CRM_RETURN_IF_ERROR(r.Finish({"contracts row ", key}));
  if (c.contract_no != key) return ContractRowCorrupt(key, "holds contract " + c.contract_no);
  record.paid_fen = 0;
  for (const ContractPayment& p : record.payments) {
    if (p.amount_fen <= 0 || __builtin_add_overflow(record.paid_fen, p.amount_fen, &record.paid_fen)) {
      return ContractRowCorrupt(key, "payment " + p.payment_id + " has an impossible amount");
    }
  }
  return Status::Ok();
}

}  // namespace

Fen ContractRecord::receivable_fen() const {
  Fen receivable_fen = 0;
  if (__builtin_sub_overflow(contract.total_fen, paid_fen, &receivable_fen)) {
    return paid_fen > 0 ? std::numeric_limits<Fen>::min() : std::numeric_limits<Fen>::max();
  }
  return receivable_fen;
}

ContractRecord ContractRecordOf(const events::RecordedEvent& recorded, const events::ContractSigned& signed_event) {
  ContractRecord record;
  record.contract = signed_event;
  record.signed_seq = recorded.envelope.seq;
  record.recorded_at_ms = recorded.envelope.recorded_at_ms;
  record.recorded_by = recorded.envelope.actor_id;
  return record;
}

bool AddPayment(ContractRecord& record, const events::RecordedEvent& recorded, const events::PaymentRecorded& payment) {
  if (payment.contract_no != record.contract.contract_no || payment.amount_fen <= 0) return false;
  Fen paid_fen = 0;
  if (__builtin_add_overflow(record.paid_fen, payment.amount_fen, &paid_fen)) return false;
  record.paid_fen = paid_fen;
  record.payments.push_back(ContractPayment{.payment_id = payment.payment_id,
                                            .amount_fen = payment.amount_fen,
                                            .paid_at_ms = payment.paid_at_ms,
                                            .method = payment.method,
                                            .handler = payment.handler,
                                            .account = payment.account,
                                            .seq = recorded.envelope.seq,
                                            .recorded_at_ms = recorded.envelope.recorded_at_ms,
                                            .recorded_by = recorded.envelope.actor_id});
  return true;
}

ProjectionKind ContractsView::Kind() {
  return ProjectionKind{.name = std::string(kContractsViewName), .version = kContractsViewVersion, .make = [] {
                          return std::make_unique<ContractsView>();
                        }};
}

void ContractsView::Apply(const events::RecordedEvent& recorded) {
  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, events::ContractSigned>) {
          // A number is taken once (the log's version check); a repeat would be a second fact
          // about the same row, so the first signing stands.
          if (!IsRowKey(e.contract_no) || contracts_.contains(e.contract_no)) return;
          const ContractRecord& record = contracts_.emplace(e.contract_no, ContractRecordOf(recorded, e)).first->second;
          by_customer_[e.customer_id].push_back(&record);
          dirty_.insert(e.contract_no);
        } else if constexpr (std::is_same_v<E, events::PaymentRecorded>) {
          ContractRecord* record = FindMutable(e.contract_no);
          if (record != nullptr && AddPayment(*record, recorded, e)) dirty_.insert(e.contract_no);
        } else if constexpr (std::is_same_v<E, events::CustomerHandedToAftersales>) {
          ContractRecord* record = FindMutable(e.contract_no);
          if (record == nullptr || record->contract.customer_id != e.customer_id) return;
          record->aftersales_owner_id = e.aftersales_owner_id;
          dirty_.insert(e.contract_no);
        }
      },
      recorded.event);
}

void ContractsView::FlushChanges(RowSink& sink) {
  for (const std::string& contract_no : dirty_) {
    const ContractRecord* record = Find(contract_no);
    if (record != nullptr) sink.Put(contract_no, EncodeRow(*record));
  }
  dirty_.clear();
}

void ContractsView::WriteRows(RowSink& sink) const {
  for (const auto& [contract_no, record] : contracts_) sink.Put(contract_no, EncodeRow(record));
}

Status ContractsView::LoadRow(std::string_view key, std::string_view value) {
  if (!IsRowKey(key)) return ContractRowCorrupt(key, "not a contract number");
  // Decoded straight into its node, not into a record then moved (each string copied again).
  // Rows come in key order: the end is the hint that makes each insertion constant time.
  const std::size_t size_before = contracts_.size();
  const auto node = contracts_.try_emplace(contracts_.end(), std::string(key));
  if (contracts_.size() == size_before) return ContractRowCorrupt(key, "loaded twice");
  if (Status decoded = DecodeRow(key, value, node->second); !decoded.ok()) {
    contracts_.erase(node);
    return decoded;
  }
  return Status::Ok();
}

// One sort of every record by customer, then signing order, and each customer's list made once
// in key order: a map of the customer's lists grown record by record, then copied, took a
// twentieth of an as-of read of this view (docs/benchmarks.md, "As-of reads").
Status ContractsView::FinishLoad() {
  by_customer_.clear();
  dirty_.clear();
  std::vector<const ContractRecord*> records;
  records.reserve(contracts_.size());
  for (const auto& [contract_no, record] : contracts_) records.push_back(&record);
  std::sort(records.begin(), records.end(), [](const ContractRecord* a, const ContractRecord* b) {
    return std::tie(a->contract.customer_id, a->signed_seq, a->contract.contract_no) <
           std::tie(b->contract.customer_id, b->signed_seq, b->contract.contract_no);
  });
  for (auto first = records.begin(); first != records.end();) {
    const std::string& customer_id = (*first)->contract.customer_id;
    const auto last = std::find_if(first, records.end(), [&](const ContractRecord* record) {
      return record->contract.customer_id != customer_id;
    });
    by_customer_.emplace_hint(by_customer_.end(), customer_id, std::vector<const ContractRecord*>(first, last));
    first = last;
  }
  return Status::Ok();
}

const ContractRecord* ContractsView::Find(std::string_view contract_no) const {
  const auto it = contracts_.find(contract_no);
  return it == contracts_.end() ? nullptr : &it->second;
}

ContractRecord* ContractsView::FindMutable(std::string_view contract_no) {
  const auto it = contracts_.find(contract_no);
  return it == contracts_.end() ? nullptr : &it->second;
}

std::vector<const ContractRecord*> ContractsView::OfCustomer(std::string_view customer_id) const {
  const auto it = by_customer_.find(customer_id);
  if (it == by_customer_.end()) return {};
  return it->second;
}

}  // namespace crm::projections
