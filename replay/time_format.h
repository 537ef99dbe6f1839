// Times as crm-replay prints and reads them: RFC 3339 in UTC (api.md, "Times").
#pragma once

#include <string>
#include <string_view>

#include "events/domain_values.h"
#include "events/status.h"

namespace crm::replay {

using events::TimeMs;

// "2026-03-03T09:00:00Z", with ".123" before the Z when the milliseconds are not zero: for
// tables people read.
std::string FormatTime(TimeMs time_ms);

// "2026-03-03T09:00:00.000Z", always with milliseconds: for JSON and CSV, so that every value
// of a column has one shape.
std::string FormatTimeMs(TimeMs time_ms);

// A time given on the command line: RFC 3339 ("2026-03-03T09:00:00Z",
// "2026-03-03T17:00:00+08:00", fractions to the millisecond) or a date ("2026-03-03", which is
// 00:00 UTC that day). kInvalidArgument/invalid_time naming `option` otherwise.
Result<TimeMs> ParseTimeArg(std::string_view text, std::string_view option);

}  // namespace crm::replay
