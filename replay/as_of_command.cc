#include "replay/as_of_command.h"

#include <memory>

#include "events/time_format.h"
#include "projections/all_projections.h"
#include "projections/store/projection_host.h"
#include "replay/data_dir.h"
#include "replay/exit_codes.h"
#include "replay/view_query.h"

namespace crm::replay {
namespace {

CommandSpec AsOfSpec() {
  CommandSpec spec{.name = "as-of",
                   .positionals = {"time|seq:N", "view"},
                   .description =
                       "  Prints a view as the system stood at a past time or log position, as JSON: every event\n"
                       "  recorded at or before it, with every deadline at or before it applied (rule 13). A time\n"
                       "  is RFC 3339 or a date (00:00 UTC); seq:N is the log up to event N, read at N's time.\n"
                       "  Views: " +
                       std::string(kViewNames) +
                       ".\n"
                       "  Days and months are counted in the time zone of the policy in force at the point.\n",
                   .options = {DataDirOption()}};
  for (OptionSpec& option : ViewFilterOptions()) spec.options.push_back(std::move(option));
  return spec;
}

}  // namespace

int RunAsOf(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const CommandSpec spec = AsOfSpec();
  ParsedArgs parsed;
  if (const std::optional<int> exit = ParseOrExit(spec, args, out, err, parsed)) return *exit;
  Result<std::unique_ptr<log::EventLog>> log = OpenForReading(parsed.Get("--data"));
  if (!log.ok()) return Fail(err, spec.name, log.status().message(), kExitUsage);
  const Result<ViewPoint> point = ResolveViewPoint(**log, parsed.positionals[0]);
  if (!point.ok()) return Fail(err, spec.name, point.status().message(), kExitUsage);
  // Read-only: the stored views are loaded and caught up in memory; snapshots serve the as-of.
  Result<std::unique_ptr<projections::store::ProjectionHost>> host =
      projections::store::ProjectionHost::Open(**log, projections::AllProjections());
  if (!host.ok()) return Fail(err, spec.name, host.status().message(), kExitUsage);
  const Result<projections::json::Json> view = QueryView(**host, **log, parsed.positionals[1], parsed, *point);
  if (!view.ok()) {
    return Fail(err, spec.name, view.status().message(),
                view.status().code() == StatusCode::kNotFound ? kExitCheckFailed : kExitUsage);
  }
  const projections::json::Json answer{
      {"asOf", projections::json::Json{{"seq", point->seq}, {"time", events::FormatRfc3339(point->now_ms)}}},
      {"view", parsed.positionals[1]},
      {"data", *view}};
  out << answer.dump(2) << "\n";
  return kExitOk;
}

}  // namespace crm::replay
