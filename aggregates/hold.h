// The deciders' names for the customer hold, which is defined with the events it is folded
// from (events/customer_hold.h) so that views and decisions share one reading of them.
#pragma once

#include "events/customer_hold.h"

namespace crm::aggregates {

using events::ApplyToHold;
using events::CustomerStage;
using events::CustomerStageName;
using events::Hold;
using events::PoolReason;
using events::PoolReasonName;
using events::TimeMs;

}  // namespace crm::aggregates
