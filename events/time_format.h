// RFC 3339 times on the wire and in reports (api.md "Times": UTC, e.g. 2026-03-03T09:00:00Z).
#pragma once

#include <string>
#include <string_view>

#include "events/domain_values.h"
#include "events/status.h"

namespace crm::events {

// "2026-03-03T09:00:00Z", with ".123" before the Z when the milliseconds are not zero.
std::string FormatRfc3339(TimeMs time_ms);

// "2026-03-03T09:00:00.000Z", always with milliseconds: for exports and event feeds, so that
// every value of a column has one shape.
std::string FormatRfc3339Millis(TimeMs time_ms);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)" (a lower-case t/z too) and returns the
// instant; fractions beyond milliseconds are truncated. kInvalidArgument/invalid_time with the
// text quoted otherwise (including dates that do not exist, like 2026-02-30).
Result<TimeMs> ParseRfc3339(std::string_view text);

}  // namespace crm::events
