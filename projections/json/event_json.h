// Events as JSON, for `history --json` and `export` (and, later, wherever else the log is shown
// to machines). Self-contained on purpose: it depends on the event values only, so it can move
// to a shared place unchanged.
//
// The shape, per api.md's conventions: field names in camelCase; times as RFC 3339 UTC strings
// with milliseconds ("2026-03-03T09:00:00.000Z"), an absent optional time as null; money as
// integer fen (`totalFen`); enums by their stable wire names ("sales", "intention", "wechat");
// the token hash as 64 lower-case hex digits. Every field of every event of
// events/event_types.h appears, so an export loses nothing.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "events/envelope.h"
#include "events/event_types.h"

namespace crm::projections::json {

using Json = nlohmann::ordered_json;  // the same as view_json.h

// The event's own fields: {"customerId": "C1", "ownerId": "s1", "deadline": "...", ...}.
Json EventDataJson(const events::Event& event);

// Every policy value, named as in api.md's PUT /v1/policy.
Json PolicyJson(const events::Policy& policy);

// The envelope and the data:
// {"seq","stream","version","recorded","effective","actor","commandId","type","data"}.
Json RecordedEventJson(const events::RecordedEvent& recorded);

// The API's form (api.md GET /v1/customers/{id}/history, GET /v1/events, command answers):
// {"seq","type","at","effectiveAt","actorId","stream","version","data"}; every time of an event,
// in the envelope and in the data alike, with milliseconds like the exports'.
Json ApiEventJson(const events::RecordedEvent& recorded);

// One line of JSON. Never throws: text that is not UTF-8 (which the log refuses to hold, so only
// a damaged store could give) is written with U+FFFD in its place.
std::string DumpJson(const Json& json);

}  // namespace crm::projections::json
