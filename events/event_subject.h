// Which customer an event is about, for folds that key by customer (the deciders' directory,
// the views). Contract events name their customer too but belong to the contract's stream, so
// they are not "of" the customer here.
#pragma once

#include <string>

#include "events/event_types.h"

namespace crm::events {

// The customer_id of an event of a customer stream; nullptr for every other event.
const std::string* CustomerIdOf(const Event& event);

}  // namespace crm::events
