// Reading any view at a point of the log, for `as-of` and `export --view`: the point (a time or
// seq:N), the filters each view takes, and the view as the server's JSON (projections/json/).
#pragma once

#include <string>
#include <vector>

#include "events/log/event_log.h"
#include "projections/json/view_json.h"
#include "projections/store/projection_host.h"
#include "replay/cli_args.h"

namespace crm::replay {

struct ViewPoint {
  events::Seq seq = 0;        // the log up to this event
  events::TimeMs now_ms = 0;  // read at this time (rule 13)
};

// "seq:N" (read at event N's recorded time) or a time (RFC 3339 or a date): the last event
// recorded at or before it, read at that time. kInvalidArgument for anything else, or a seq
// beyond the head.
Result<ViewPoint> ResolveViewPoint(const log::EventLog& log, const std::string& text);

// The names of the views QueryView answers, for help texts and errors.
inline constexpr std::string_view kViewNames =
    "pool, ownership, reminders, search, customer, contract, funnel, pool-flow, salespeople, revenue, rfm";

// The filter options of every view (--region, --user, --from, ...), for a CommandSpec.
std::vector<OptionSpec> ViewFilterOptions();

// The view `name` at `point` as the server's JSON: lists as {"items": [...]}, single objects
// (customer, contract, funnel) as themselves. kInvalidArgument for an unknown view or a missing
// or bad filter; kNotFound for an unknown customer or contract.
Result<projections::json::Json> QueryView(projections::store::ProjectionHost& host, const log::EventLog& log,
                                          const std::string& name, const ParsedArgs& filters, const ViewPoint& point);

}  // namespace crm::replay
