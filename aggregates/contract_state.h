// A contract as its stream tells it: what was signed and what has been paid (rule 10, 11).
#pragma once

#include <string>

#include "events/envelope.h"
#include "events/event_types.h"

namespace crm::aggregates {

struct ContractState {
  std::string contract_no;
  std::string customer_id;
  events::Fen total_fen = 0;
  events::Fen paid_fen = 0;  // never above total_fen
  std::uint32_t payment_count = 0;
  events::StreamVersion version = 0;

  bool exists() const { return version > 0; }
  events::Fen receivable_fen() const { return total_fen - paid_fen; }
};

ContractState EvolveContract(ContractState state, const events::Event& event);

}  // namespace crm::aggregates
