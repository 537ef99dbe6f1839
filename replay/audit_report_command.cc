#include "replay/audit_report_command.h"

#include "replay/audit_report.h"
#include "replay/cli_args.h"
#include "replay/data_dir.h"
#include "replay/time_format.h"

namespace crm::replay {
namespace {

CommandSpec AuditReportSpec() {
  return CommandSpec{.name = "audit-report",
                     .positionals = {},
                     .description =
                         "Reports on the events recorded in [--from, --to): counts by actor and by event type; every\n"
                         "release to the pool with its reason and effective time (a deadline release recorded late\n"
                         "by the sweeper takes effect at its deadline, which may be before --from); every\n"
                         "reassignment, handover and hand-over to after-sales; every policy change with the values\n"
                         "it changed, from what to what; every user created, re-roled, moved or deactivated.\n"
                         "Times are RFC 3339 (2026-03-01T00:00:00+08:00) or a date (2026-03-01, meaning 00:00 UTC).\n"
                         "Opens the directory read-only: safe beside a running crm-server.\n",
                     .options = {DataDirOption(),
                                 OptionSpec{.name = "--from",
                                            .value_name = "TIME",
                                            .default_text = "the first event",
                                            .help = "first recorded time included",
                                            .required = false},
                                 OptionSpec{.name = "--to",
                                            .value_name = "TIME",
                                            .default_text = "after the last event",
                                            .help = "first recorded time excluded",
                                            .required = false},
                                 OptionSpec{.name = "--format",
                                            .value_name = "markdown|json",
                                            .default_text = "markdown",
                                            .help = "report format",
                                            .required = false}}};
}

}  // namespace

int RunAuditReport(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const CommandSpec spec = AuditReportSpec();
  ParsedArgs parsed;
  if (const std::optional<int> exit = ParseOrExit(spec, args, out, err, parsed)) return *exit;
  const std::string data_dir = parsed.Get("--data");
  const std::string format = parsed.Get("--format", "markdown");
  if (format != "markdown" && format != "json") {
    return Fail(err, spec.name, "--format must be markdown or json, not '" + format + "'", kExitUsage);
  }
  std::optional<events::TimeMs> from_ms;
  std::optional<events::TimeMs> to_ms;
  for (const auto& [option, time] : {std::pair{"--from", &from_ms}, std::pair{"--to", &to_ms}}) {
    if (!parsed.Has(option)) continue;
    const Result<events::TimeMs> parsed_time = ParseTimeArg(parsed.Get(option), option);
    if (!parsed_time.ok()) return Fail(err, spec.name, parsed_time.status().message(), kExitUsage);
    *time = *parsed_time;
  }
  if (from_ms.has_value() && to_ms.has_value() && *from_ms >= *to_ms) {
    return Fail(err, spec.name, "--from must be before --to", kExitUsage);
  }

  Result<std::unique_ptr<log::EventLog>> log = OpenForReading(data_dir);
  if (!log.ok()) return Fail(err, spec.name, "cannot open " + data_dir + ": " + log.status().message(), kExitUsage);
  const Result<AuditReport> report = BuildAuditReport(**log, from_ms, to_ms);
  if (!report.ok()) return Fail(err, spec.name, report.status().ToString(), kExitUsage);
  if (format == "json") {
    out << DumpJson(RenderAuditJson(*report)) << "\n";
  } else {
    out << RenderAuditMarkdown(*report);
  }
  return kExitOk;
}

}  // namespace crm::replay
