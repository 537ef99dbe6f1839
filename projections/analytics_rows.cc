// The byte form of AnalyticsView's rows (RowWriter: varints and length-prefixed bytes).
//
// Customer row "c/<id>":
//   Bool registered
//   U64 hold.stage, Bytes hold.owner_id, I64 hold.deadline_ms, Bool hold.review_pending,
//   I64 hold.review_deadline_ms
//   I64 hold_start_ms, Opt promoted_ms, Bool signed_any, Opt protect_to_sign_ms,
//   Opt promote_to_sign_ms
//   Count milestones, each: U64 kind, I64 at_ms, then
//     protected:    Bytes owner, U64 source
//     promoted:     Bytes holder, I64 hold_start_ms
//     entered pool: U64 reason
// Contract row "k/<no>":
//   Bool signed, Bytes customer id, Bytes sales owner, I64 signed_at_ms, I64 total_fen,
//   Count payments, each: I64 paid_at_ms, I64 amount_fen
// where Opt is Bool present, then I64 when present. Users are written by id ("" for none);
// paid_fen and the fact buckets are derived, never written.
//
// Loading checks what the fold guarantees and the reads rely on: enums in range, times within
// ±kRowTimeAbsMsMax (so differences of times cannot overflow), amounts positive.
#include "projections/analytics_view.h"
#include "projections/row_codec.h"

namespace crm::projections {
namespace {

// About 35,000 years either side of 1970: beyond any real time, far from overflowing a sum.
constexpr TimeMs kRowTimeAbsMsMax = TimeMs{1} << 50;

// Reads times and remembers whether any was out of range, so the caller checks once.
class TimeChecker {
 public:
  explicit TimeChecker(RowReader& reader) : reader_(&reader) {}
  TimeMs Time() { return Check(reader_->I64()); }
  std::optional<TimeMs> Optional() {
    if (!reader_->Bool()) return std::nullopt;
    return Time();
  }
  TimeMs Check(TimeMs value) {
    sane_ = sane_ && value >= -kRowTimeAbsMsMax && value <= kRowTimeAbsMsMax;
    return value;
  }
  bool sane() const { return sane_; }

 private:
  RowReader* reader_;
  bool sane_ = true;
};

void WriteOptional(RowWriter& writer, const std::optional<TimeMs>& value) {
  writer.Bool(value.has_value());
  if (value.has_value()) writer.I64(*value);
}

Status BadField(std::string_view key_prefix, std::string_view id, std::string_view what) {
  return Status::Corruption("projection_row_corrupt",
                            "analytics row " + std::string(key_prefix) + std::string(id) + ": " + std::string(what));
}

}  // namespace

std::string AnalyticsView::CustomerRow(const Customer& customer) const {
  static const std::string kNoUser;
  const auto user_id = [this](Index user) -> const std::string& { return user == kNoIndex ? kNoUser : UserId(user); };
  RowWriter writer;
  writer.Bool(customer.registered);
  writer.U64(static_cast<std::uint64_t>(customer.hold.stage));
  writer.Bytes(customer.hold.owner_id);
  writer.I64(customer.hold.deadline_ms);
  writer.Bool(customer.hold.review_pending);
  writer.I64(customer.hold.review_deadline_ms);
  writer.I64(customer.hold_start_ms);
  WriteOptional(writer, customer.promoted_ms);
  writer.Bool(customer.signed_any);
  WriteOptional(writer, customer.protect_to_sign_ms);
  WriteOptional(writer, customer.promote_to_sign_ms);
  writer.U64(customer.milestones.size());
  for (const Milestone& milestone : customer.milestones) {
    writer.U64(static_cast<std::uint64_t>(milestone.kind));
    writer.I64(milestone.at_ms);
    switch (milestone.kind) {
      case MilestoneKind::kProtected:
        writer.Bytes(user_id(milestone.user));
        writer.U64(milestone.detail);
        break;
      case MilestoneKind::kPromoted:
        writer.Bytes(user_id(milestone.user));
        writer.I64(milestone.hold_start_ms);
        break;
      case MilestoneKind::kEnteredPool: writer.U64(milestone.detail); break;
    }
  }
  return writer.Take();
}

std::string AnalyticsView::ContractRow(const Contract& contract) const {
  RowWriter writer;
  writer.Bool(contract.signed_);
  writer.Bytes(contract.customer == kNoIndex ? std::string_view() : std::string_view(customers_[contract.customer].id));
  writer.Bytes(contract.sales_owner == kNoIndex ? std::string_view() : std::string_view(UserId(contract.sales_owner)));
  writer.I64(contract.signed_at_ms);
  writer.I64(contract.total_fen);
  writer.U64(contract.payments.size());
  for (const Payment& payment : contract.payments) {
    writer.I64(payment.paid_at_ms);
    writer.I64(payment.amount_fen);
  }
  return writer.Take();
}

Status AnalyticsView::LoadCustomer(std::string_view id, std::string_view value) {
  constexpr std::string_view kPrefix = "c/";
  RowReader reader(value);
  TimeChecker times(reader);
  Customer loaded;
  loaded.registered = reader.Bool();
  const std::uint64_t stage = reader.U64();
  loaded.hold.owner_id = reader.Bytes();
  loaded.hold.deadline_ms = times.Time();
  loaded.hold.review_pending = reader.Bool();
  loaded.hold.review_deadline_ms = times.Time();
  loaded.hold_start_ms = times.Time();
  loaded.promoted_ms = times.Optional();
  loaded.signed_any = reader.Bool();
  loaded.protect_to_sign_ms = times.Optional();
  loaded.promote_to_sign_ms = times.Optional();
  const std::size_t count = reader.Count();
  loaded.milestones.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    Milestone milestone;
    const std::uint64_t kind = reader.U64();
    milestone.at_ms = times.Time();
    if (kind >= kMilestoneKindCount) return BadField(kPrefix, id, "unknown milestone kind");
    milestone.kind = static_cast<MilestoneKind>(kind);
    std::uint64_t detail = 0;
    if (milestone.kind != MilestoneKind::kEnteredPool) milestone.user = UserIndex(reader.BytesView());
    if (milestone.kind == MilestoneKind::kPromoted) {
      milestone.hold_start_ms = times.Time();
    } else {
      detail = reader.U64();
    }
    const bool detail_ok = milestone.kind == MilestoneKind::kProtected
                               ? detail < static_cast<std::uint64_t>(events::kProtectionSourceCount)
                               : detail <= static_cast<std::uint64_t>(events::PoolReason::kExpired);
    if (!detail_ok) return BadField(kPrefix, id, "milestone detail out of range");
    milestone.detail = static_cast<std::uint8_t>(detail);
    loaded.AddMilestone(milestone);
  }
  CRM_RETURN_IF_ERROR(reader.Finish({"analytics row c/", id}));
  if (!times.sane()) return BadField(kPrefix, id, "time out of range");
  if (stage > static_cast<std::uint64_t>(events::CustomerStage::kPool)) return BadField(kPrefix, id, "unknown stage");
  loaded.hold.stage = static_cast<events::CustomerStage>(stage);

  const Index index = CustomerIndex(id);
  Customer& customer = customers_[index];
  loaded.id = std::move(customer.id);
  customer = std::move(loaded);  // not dirty: it is what the store holds
  return Status::Ok();
}

Status AnalyticsView::LoadContract(std::string_view contract_no, std::string_view value) {
  RowReader reader(value);
  TimeChecker times(reader);
  Contract loaded;
  loaded.signed_ = reader.Bool();
  const std::string_view customer_id = reader.BytesView();
  const std::string_view sales_owner_id = reader.BytesView();
  loaded.signed_at_ms = times.Time();
  loaded.total_fen = reader.I64();
  bool amounts_ok = true;
  const std::size_t count = reader.Count();
  loaded.payments.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    Payment payment;
    payment.paid_at_ms = times.Time();
    payment.amount_fen = reader.I64();
    amounts_ok = amounts_ok && payment.amount_fen > 0;  // the fold keeps no other
    loaded.payments.push_back(payment);
    loaded.paid_fen = AddFen(loaded.paid_fen, payment.amount_fen);
  }
  CRM_RETURN_IF_ERROR(reader.Finish({"analytics row k/", contract_no}));
  if (customer_id.empty()) return BadField("k/", contract_no, "no customer");
  if (!times.sane()) return BadField("k/", contract_no, "time out of range");
  if (!amounts_ok) return BadField("k/", contract_no, "a payment that is not positive");
  // Customer rows sort before contract rows; one not loaded yet is created here and must then
  // come later (FinishLoad checks).
  loaded.customer = CustomerIndex(customer_id);
  loaded.sales_owner = UserIndex(sales_owner_id);

  const Index index = ContractIndex(contract_no);
  Contract& contract = contracts_[index];
  loaded.contract_no = std::move(contract.contract_no);
  contract = std::move(loaded);
  return Status::Ok();
}

}  // namespace crm::projections
