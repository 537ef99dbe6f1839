// Rules 10 and 11: signing contracts and recording payments. Money is integer fen throughout;
// every product and sum is checked for overflow rather than trusted.
#include <string>

#include "aggregates/customer_decider.h"
#include "aggregates/customer_rules.h"
#include "aggregates/domain_errors.h"
#include "aggregates/field_checks.h"
#include "aggregates/stream_ids.h"

namespace crm::aggregates {
namespace {

inline constexpr std::size_t kContractLinesMax = 500;
inline constexpr std::size_t kContractExtrasMax = 100;

Status CheckBuyer(const events::ContractBuyer& buyer) {
  CRM_RETURN_IF_ERROR(CheckRequiredText("buyer.name", buyer.name, kShortTextBytesMax));
  for (const auto& [field, value] :
       {std::pair{"buyer.taxId", &buyer.tax_id}, std::pair{"buyer.address", &buyer.address},
        std::pair{"buyer.phone", &buyer.phone}, std::pair{"buyer.bank", &buyer.bank},
        std::pair{"buyer.bankAccount", &buyer.bank_account}, std::pair{"buyer.contactPerson", &buyer.contact_person}}) {
    CRM_RETURN_IF_ERROR(CheckOptionalText(field, *value, kShortTextBytesMax));
  }
  return Status::Ok();
}

// The lines as they will be stored, each with its amount; the sum must equal the stated total.
Result<std::vector<events::ContractLine>> PriceLines(const SignContract& c) {
  if (c.lines.empty())
    return errors::InvalidField("missing_lines", "lines", "a contract needs at least one product line");
  if (c.lines.size() > kContractLinesMax) {
    return errors::InvalidField("too_many_lines", "lines",
                                "a contract has at most " + std::to_string(kContractLinesMax) + " lines");
  }
  std::vector<events::ContractLine> lines;
  Fen sum_fen = 0;
  for (const SignContractLine& line : c.lines) {
    CRM_RETURN_IF_ERROR(CheckRequiredText("lines.product", line.product, kShortTextBytesMax));
    if (line.quantity <= 0)
      return errors::InvalidField("invalid_quantity", "lines.quantity", "a quantity must be positive");
    if (line.unit_price_fen < 0) {
      return errors::InvalidField("invalid_unit_price", "lines.unitPriceFen", "a unit price cannot be negative");
    }
    Fen amount_fen = 0;
    if (__builtin_mul_overflow(line.quantity, line.unit_price_fen, &amount_fen) ||
        __builtin_add_overflow(sum_fen, amount_fen, &sum_fen)) {
      return errors::InvalidField("amount_overflow", "lines", "the contract's amounts are too large to be real");
    }
    lines.push_back({.product = line.product,
                     .quantity = line.quantity,
                     .unit_price_fen = line.unit_price_fen,
                     .amount_fen = amount_fen});
  }
  if (sum_fen != c.total_fen) return errors::TotalMismatch(c.total_fen, sum_fen);
  return lines;
}

Status CheckContractFields(const SignContract& c, TimeMs now_ms) {
  CRM_RETURN_IF_ERROR(CheckIdentifier("contract_no", c.contract_no));
  CRM_RETURN_IF_ERROR(CheckRequiredText("type", c.contract_type, kShortTextBytesMax));
  CRM_RETURN_IF_ERROR(CheckRequiredText("paymentMethod", c.payment_method, kShortTextBytesMax));
  if (c.signed_at_ms <= 0 || c.signed_at_ms > now_ms) {
    return errors::InvalidField("invalid_signed_at", "signedAt", "the signing time cannot be in the future");
  }
  CRM_RETURN_IF_ERROR(CheckBuyer(c.buyer));
  if (c.extras.size() > kContractExtrasMax) {
    return errors::InvalidField("too_many_extras", "extras",
                                "a contract has at most " + std::to_string(kContractExtrasMax) + " extras");
  }
  for (const std::string& extra : c.extras) CRM_RETURN_IF_ERROR(CheckRequiredText("extras", extra, kLongTextBytesMax));
  return Status::Ok();
}

}  // namespace

namespace internal {

Result<Events> Decide(const SignContract& command, const CustomerView& view, const DecisionContext& ctx) {
  CRM_RETURN_IF_ERROR(RequireHolderOrOwner(view, ctx));
  const CustomerState& state = view.state;
  const bool first_contract = state.hold.stage == CustomerStage::kIntention;
  if (!first_contract && state.hold.stage != CustomerStage::kFormal) {
    return errors::WrongStage(state.customer_id, state.hold.stage, "intention or formal");
  }
  CRM_RETURN_IF_ERROR(CheckContractFields(command, ctx.now_ms));
  CRM_ASSIGN_OR_RETURN(std::vector<events::ContractLine> lines, PriceLines(command));

  std::string aftersales_owner_id;
  if (first_contract) {
    aftersales_owner_id =
        command.aftersales_owner_id.empty() ? ctx.policy.default_aftersales_owner_id : command.aftersales_owner_id;
    if (aftersales_owner_id.empty()) return errors::AftersalesOwnerRequired();
    CRM_RETURN_IF_ERROR(
        CheckRecipient(ctx.directory.FindUser(aftersales_owner_id), aftersales_owner_id, CustomerStage::kFormal));
  }
  // The salesperson credited with the contract: the holder who signs the first one; for a
  // follow-on contract signed by after-sales, still the salesperson who won the customer.
  const std::string& sales_owner_id =
      first_contract || state.sales_owner_id.empty() ? state.hold.owner_id : state.sales_owner_id;
  Events events;
  events.push_back(DecidedEvent{.stream_id = ContractStream(command.contract_no),
                                .event = events::ContractSigned{.contract_no = command.contract_no,
                                                                .customer_id = state.customer_id,
                                                                .contract_type = command.contract_type,
                                                                .signed_at_ms = command.signed_at_ms,
                                                                .payment_method = command.payment_method,
                                                                .buyer = command.buyer,
                                                                .lines = std::move(lines),
                                                                .extras = command.extras,
                                                                .total_fen = command.total_fen,
                                                                .sales_owner_id = sales_owner_id},
                                .actor_id = ctx.actor.user_id,
                                .effective_at_ms = std::nullopt});
  if (first_contract) {
    events.push_back(ByCaller(view, ctx,
                              events::CustomerHandedToAftersales{.customer_id = state.customer_id,
                                                                 .contract_no = command.contract_no,
                                                                 .from_user_id = state.hold.owner_id,
                                                                 .aftersales_owner_id = aftersales_owner_id}));
  }
  return events;
}

}  // namespace internal

Result<Decision> DecidePayment(const ContractState& contract, const RecordPayment& command,
                               const DecisionContext& ctx) {
  CRM_RETURN_IF_ERROR(internal::RequireActive(ctx.actor));
  CRM_RETURN_IF_ERROR(internal::RequireRole(ctx, events::Role::kFinance, "record payments"));
  if (!contract.exists()) return errors::ContractNotFound(command.contract_no);
  if (command.amount_fen <= 0)
    return errors::InvalidField("invalid_amount", "amountFen", "a payment must be more than 0");
  if (command.paid_at_ms <= 0 || command.paid_at_ms > ctx.now_ms) {
    return errors::InvalidField("invalid_paid_at", "paidAt", "the payment time cannot be in the future");
  }
  CRM_RETURN_IF_ERROR(CheckRequiredText("method", command.method, kShortTextBytesMax));
  CRM_RETURN_IF_ERROR(CheckRequiredText("handler", command.handler, kShortTextBytesMax));
  CRM_RETURN_IF_ERROR(CheckOptionalText("account", command.account, kShortTextBytesMax));
  if (command.amount_fen > contract.receivable_fen()) {
    return errors::PaymentExceedsTotal(contract.contract_no, command.amount_fen, contract.receivable_fen());
  }
  Decision decision;
  decision.events.push_back(DecidedEvent{
      .stream_id = ContractStream(contract.contract_no),
      .event =
          events::PaymentRecorded{.contract_no = contract.contract_no,
                                  .customer_id = contract.customer_id,
                                  .payment_id = contract.contract_no + "#" + std::to_string(contract.payment_count + 1),
                                  .amount_fen = command.amount_fen,
                                  .paid_at_ms = command.paid_at_ms,
                                  .method = command.method,
                                  .handler = command.handler,
                                  .account = command.account},
      .actor_id = ctx.actor.user_id,
      .effective_at_ms = std::nullopt});
  return decision;
}

}  // namespace crm::aggregates
