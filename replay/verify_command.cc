#include "replay/verify_command.h"

#include "replay/checks.h"
#include "replay/cli_args.h"
#include "replay/data_dir.h"

namespace crm::replay {
namespace {

constexpr log::Seq kProgressEveryEvents = 1'000'000;

CommandSpec VerifySpec() {
  return CommandSpec{.name = "verify",
                     .positionals = {},
                     .description =
                         "Walks the event log from seq 1: every event's hash and its link to the previous event, and\n"
                         "the stream index; then compares every stored view with a fresh fold of the log up to the\n"
                         "view's checkpoint. A view with no stored rows is reported as not stored (not a failure).\n"
                         "Exit 0 when all hold; 1 naming the first bad seq or the first differing row key.\n"
                         "Opens the directory read-only (a point-in-time view that writes nothing), so it is safe\n"
                         "beside a running crm-server.\n",
                     .options = {DataDirOption(),
                                 OptionSpec{.name = "--no-index",
                                            .value_name = "",
                                            .default_text = "off (the index is checked)",
                                            .help = "skip the stream index walk",
                                            .required = false},
                                 OptionSpec{.name = "--no-views",
                                            .value_name = "",
                                            .default_text = "off (views are checked)",
                                            .help = "check the log only, not the stored views",
                                            .required = false}}};
}

}  // namespace

int RunVerify(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const CommandSpec spec = VerifySpec();
  ParsedArgs parsed;
  if (const std::optional<int> exit = ParseOrExit(spec, args, out, err, parsed)) return *exit;
  const std::string data_dir = parsed.Get("--data");

  Result<std::unique_ptr<log::EventLog>> opened = OpenForReading(data_dir);
  if (!opened.ok())
    return Fail(err, spec.name, "cannot open " + data_dir + ": " + opened.status().message(), kExitUsage);
  CheckOptions options;
  options.check_stream_index = !parsed.Has("--no-index");
  options.check_views = !parsed.Has("--no-views");
  options.progress = [&err](log::Seq seq) {
    if (seq % kProgressEveryEvents == 0 && seq > 0) err << "verified " << seq << " events\n";
  };
  const Result<CheckReport> report = RunChecks(**opened, options);
  if (!report.ok()) return Fail(err, spec.name, report.status().ToString(), kExitUsage);
  PrintCheckReport(*report, out);
  return report->ok() ? kExitOk : kExitCheckFailed;
}

}  // namespace crm::replay
