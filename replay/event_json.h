// The log as JSON lives in projections/json/event_json.h, shared with crm-server; replay's code
// names it unqualified.
#pragma once

#include "projections/json/event_json.h"

namespace crm::replay {

using projections::json::DumpJson;
using projections::json::EventDataJson;
using projections::json::Json;
using projections::json::PolicyJson;
using projections::json::RecordedEventJson;

}  // namespace crm::replay
