#include "replay/rebuild_command.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "projections/all_projections.h"
#include "projections/store/projection_host.h"
#include "replay/cli_args.h"
#include "replay/data_dir.h"
#include "replay/progress_bar.h"

namespace crm::replay {
namespace {

using std::chrono::steady_clock;

CommandSpec RebuildSpec() {
  return CommandSpec{.name = "rebuild",
                     .positionals = {},
                     .description =
                         "Rebuilds views from zero into new column families while the old ones stay in place, then\n"
                         "switches each atomically (blue/green); an interrupted rebuild resumes on the next open.\n"
                         "Views that were never built are built first. Prints progress on stderr (a redrawn bar\n"
                         "on a terminal, a plain line at most once a second otherwise) and, per view, events,\n"
                         "seconds and events/s on stdout.\n"
                         "Opens the directory read-write, so it refuses to run while crm-server holds it.\n",
                     .options = {DataDirOption(),
                                 OptionSpec{.name = "--projection",
                                            .value_name = "NAME",
                                            .default_text = "every view",
                                            .help = "rebuild this view only",
                                            .required = false},
                                 OptionSpec{.name = "--progress",
                                            .value_name = "auto|bar|lines|none",
                                            .default_text = "auto (a bar on a terminal, lines otherwise)",
                                            .help = "how to show progress on stderr",
                                            .required = false}}};
}

std::vector<std::string> KnownNames() {
  std::vector<std::string> names;
  for (const projections::ProjectionKind& kind : projections::AllProjections()) names.push_back(kind.name);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::string Joined(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) joined += (joined.empty() ? "" : ", ") + name;
  return joined;
}

struct BuiltView {
  std::string name;
  events::Seq events = 0;
  double seconds = 0;
};

// Turns the host's build callbacks into progress and a summary. Builds run one after another
// in one thread, so each build started when the previous one finished (or the run began).
class BuildWatcher {
 public:
  explicit BuildWatcher(ProgressBar& bar) : bar_(bar), phase_start_(steady_clock::now()) {}

  void Restart() { phase_start_ = steady_clock::now(); }

  void OnProgress(const projections::store::BuildProgress& progress) {
    if (progress.projection != current_) {
      current_ = progress.projection;
      bar_.Start(current_, 0, phase_start_);
    }
    if (!progress.finished) {
      bar_.Update(progress.done, progress.target);
      return;
    }
    bar_.Finish(progress.done, progress.target);
    const steady_clock::time_point now = steady_clock::now();
    built_.push_back(BuiltView{.name = current_,
                               .events = progress.done,
                               .seconds = std::chrono::duration<double>(now - phase_start_).count()});
    current_.clear();
    phase_start_ = now;
  }

  const std::vector<BuiltView>& built() const { return built_; }

 private:
  ProgressBar& bar_;
  steady_clock::time_point phase_start_;
  std::string current_;
  std::vector<BuiltView> built_;
};

void PrintSummary(const std::vector<BuiltView>& built, std::ostream& out) {
  for (const BuiltView& view : built) {
    char line[160];
    const double rate = view.seconds > 0 ? static_cast<double>(view.events) / view.seconds : 0;
    std::snprintf(line, sizeof line, "rebuilt %s: %llu events in %.2f s (%.0f events/s)\n", view.name.c_str(),
                  static_cast<unsigned long long>(view.events), view.seconds, rate);
    out << line;
  }
}

}  // namespace

int RunRebuild(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const CommandSpec spec = RebuildSpec();
  ParsedArgs parsed;
  if (const std::optional<int> exit = ParseOrExit(spec, args, out, err, parsed)) return *exit;
  const std::string data_dir = parsed.Get("--data");
  const std::vector<std::string> known = KnownNames();
  const std::string only = parsed.Get("--projection");
  if (!only.empty() && std::find(known.begin(), known.end(), only) == known.end()) {
    return Fail(err, spec.name, "no projection named '" + only + "'; known: " + Joined(known), kExitUsage);
  }
  const std::string progress = parsed.Get("--progress", "auto");
  ProgressStyle style = DetectProgressStyle(err);
  if (progress == "bar") {
    style = ProgressStyle::kBar;
  } else if (progress == "lines") {
    style = ProgressStyle::kLines;
  } else if (progress == "none") {
    style = ProgressStyle::kNone;
  } else if (progress != "auto") {
    return Fail(err, spec.name, "--progress must be auto, bar, lines or none, not '" + progress + "'", kExitUsage);
  }

  Result<std::unique_ptr<log::EventLog>> log = OpenForWriting(data_dir);
  if (!log.ok()) return Fail(err, spec.name, log.status().message(), kExitUsage);
  ProgressBar bar(err, style);
  BuildWatcher watcher(bar);
  projections::store::HostOptions options;
  options.progress = [&watcher](const projections::store::BuildProgress& p) { watcher.OnProgress(p); };
  // Opening builds the views that have never been built (their callbacks count as rebuilt).
  Result<std::unique_ptr<projections::store::ProjectionHost>> host =
      projections::store::ProjectionHost::Open(**log, projections::AllProjections(), options);
  if (!host.ok()) return Fail(err, spec.name, "cannot open the views: " + host.status().ToString(), kExitUsage);
  std::vector<std::string> asked;
  for (const std::string& name : known) {
    if (!only.empty() && name != only) continue;
    // A view Open has just built from zero needs no second pass.
    const bool just_built = std::any_of(watcher.built().begin(), watcher.built().end(),
                                        [&name](const BuiltView& view) { return view.name == name; });
    if (!just_built) asked.push_back(name);
  }
  for (const std::string& name : asked) {
    const Status started = (*host)->StartRebuild(name);
    if (!started.ok())
      return Fail(err, spec.name, "cannot start rebuilding " + name + ": " + started.ToString(), kExitUsage);
  }
  watcher.Restart();
  const Status ran = (*host)->RunBuilds();
  if (!ran.ok()) return Fail(err, spec.name, "rebuild failed: " + ran.ToString(), kExitUsage);
  PrintSummary(watcher.built(), out);
  out << "head: seq " << (*log)->HeadSeq() << "\n";
  return kExitOk;
}

}  // namespace crm::replay
