#include "aggregates/contract_state.h"

namespace crm::aggregates {

ContractState EvolveContract(ContractState state, const events::Event& event) {
  if (const auto* signed_ = std::get_if<events::ContractSigned>(&event)) {
    state.contract_no = signed_->contract_no;
    state.customer_id = signed_->customer_id;
    state.total_fen = signed_->total_fen;
  } else if (const auto* paid = std::get_if<events::PaymentRecorded>(&event)) {
    state.paid_fen += paid->amount_fen;
    ++state.payment_count;
  }
  ++state.version;
  return state;
}

}  // namespace crm::aggregates
