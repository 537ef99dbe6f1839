#include "replay/what_if_command.h"

#include <algorithm>
#include <set>

#include "events/log/read_ahead_cursor.h"
#include "replay/cli_args.h"
#include "replay/data_dir.h"
#include "replay/hold_replay.h"
#include "replay/text_columns.h"
#include "replay/time_format.h"

namespace crm::replay {
namespace {

CommandSpec WhatIfSpec() {
  return CommandSpec{.name = "what-if",
                     .positionals = {},
                     .description =
                         "Replays every customer's hold periods under other rule values and lists the holds whose\n"
                         "fate would differ: released by time before the event that really kept the hold (approval,\n"
                         "extension, promotion, reassignment, contract, abandonment), or kept past the time it really\n"
                         "expired or timed out, or released at another time; with totals of releases.\n"
                         "The file holds any subset of api.md's policy fields, e.g. {\"potentialDays\": 20,\n"
                         "\"holidays\": [\"2026-10-01\"]}; a value not given stays as it was in force at each moment.\n"
                         "Deadlines are recomputed from the protection and promotion times (potentialDays,\n"
                         "intentionDays; reviewWorkingDays in the company calendar with holidays and timeZone);\n"
                         "granted extensions add their days as recorded.\n"
                         "What it cannot know: people would have acted differently. Every real event is taken as it\n"
                         "happened; quotas (maxProtected, maxClaimsPerDay), cooldowns, extension limits and approvals\n"
                         "are not decided again, and a claim of a customer the alternative still held is not refused.\n"
                         "Times are RFC 3339 or a date (00:00 UTC). Opens the directory read-only.\n",
                     .options = {DataDirOption(),
                                 OptionSpec{.name = "--policy",
                                            .value_name = "FILE",
                                            .default_text = "required",
                                            .help = "JSON object with the alternative policy values",
                                            .required = true},
                                 OptionSpec{.name = "--from",
                                            .value_name = "TIME",
                                            .default_text = "the beginning",
                                            .help = "list holds whose fates first differ at or after this time",
                                            .required = false},
                                 OptionSpec{.name = "--to",
                                            .value_name = "TIME",
                                            .default_text = "no end",
                                            .help = "... and before this time",
                                            .required = false},
                                 OptionSpec{.name = "--json",
                                            .value_name = "",
                                            .default_text = "off (a table)",
                                            .help = "print one JSON object instead of a table",
                                            .required = false}}};
}

struct Window {
  std::optional<events::TimeMs> from_ms;
  std::optional<events::TimeMs> to_ms;
  bool Contains(events::TimeMs t) const {
    return (!from_ms.has_value() || t >= *from_ms) && (!to_ms.has_value() || t < *to_ms);
  }
};

struct Comparison {
  events::Seq head_seq = 0;
  events::TimeMs as_of_ms = 0;
  std::uint64_t holds = 0;
  std::uint64_t releases_actual = 0;  // in the window
  std::uint64_t releases_alternative = 0;
  std::uint64_t more = 0;
  std::uint64_t fewer = 0;
  std::uint64_t moved = 0;
  std::vector<HoldOutcome> differences;  // in the window
};

Result<Comparison> Compare(const log::EventLog& log, const PolicyOverrides& overrides, const Window& window) {
  Comparison comparison;
  comparison.head_seq = log.HeadSeq();
  if (comparison.head_seq > 0) {
    CRM_ASSIGN_OR_RETURN(const events::RecordedEvent last, log.Read(comparison.head_seq));
    comparison.as_of_ms = last.envelope.recorded_at_ms;
  }
  HoldReplayer replayer(overrides, comparison.as_of_ms, [&](const HoldOutcome& outcome) {
    ++comparison.holds;
    if (outcome.actual.released && window.Contains(outcome.actual.at_ms)) ++comparison.releases_actual;
    if (outcome.alternative.released && window.Contains(outcome.alternative.at_ms)) ++comparison.releases_alternative;
    if (outcome.change == FateChange::kSame || !window.Contains(outcome.diverges_at_ms)) return;
    if (outcome.change == FateChange::kMoreRelease) ++comparison.more;
    if (outcome.change == FateChange::kFewerRelease) ++comparison.fewer;
    if (outcome.change == FateChange::kReleaseMoved) ++comparison.moved;
    comparison.differences.push_back(outcome);
  });
  auto cursor = log::ScanAhead(log, 1, comparison.head_seq);
  for (; cursor->Valid(); cursor->Next()) CRM_RETURN_IF_ERROR(replayer.Apply(cursor->event()));
  CRM_RETURN_IF_ERROR(cursor->status());
  replayer.Finish();
  std::sort(comparison.differences.begin(), comparison.differences.end(),
            [](const HoldOutcome& a, const HoldOutcome& b) { return a.protected_seq < b.protected_seq; });
  return comparison;
}

std::string FateText(const Fate& fate) {
  if (fate.released) return "released " + FormatTime(fate.at_ms) + " (" + fate.how + ")";
  return fate.how == "formal" ? "kept: formal from " + FormatTime(fate.at_ms) : "kept: still held at the end";
}

std::size_t CustomersDiffering(const Comparison& comparison) {
  std::set<std::string> customers;
  for (const HoldOutcome& outcome : comparison.differences) customers.insert(outcome.customer_id);
  return customers.size();
}

void PrintTable(const PolicyOverrides& overrides, const Comparison& c, std::ostream& out) {
  out << "what-if: " << DumpJson(overrides.ToJson()) << " (every other value as it was in force)\n";
  const std::vector<std::string> ignored = overrides.NotReplayed();
  if (!ignored.empty()) {
    out << "not replayed (they change what people could do, not when holds end):";
    for (const std::string& field : ignored) out << " " << field;
    out << "\n";
  }
  out << "history: seq 1.." << c.head_seq << ", as of " << FormatTime(c.as_of_ms) << "; " << c.holds
      << " holds compared\n\n";
  if (c.differences.empty()) {
    out << "no hold's fate differs in the window\n";
  } else {
    out << c.differences.size() << " holds of " << CustomersDiffering(c) << " customers differ:\n";
    std::size_t customer_width = 8, owner_width = 5, actual_width = 6;
    for (const HoldOutcome& o : c.differences) {
      customer_width = std::max(customer_width, o.customer_id.size());
      owner_width = std::max(owner_width, o.owner_id.size());
      actual_width = std::max(actual_width, FateText(o.actual).size());
    }
    out << Padded("CUSTOMER", customer_width) << "  " << Padded("OWNER", owner_width) << "  " << Padded("PROTECTED", 24)
        << "  " << Padded("ACTUAL", actual_width) << "  ALTERNATIVE\n";
    for (const HoldOutcome& o : c.differences) {
      std::string alternative = FateText(o.alternative);
      if (o.preempted.has_value()) {
        alternative += ", before " + o.preempted->type + " at seq " + std::to_string(o.preempted->seq);
      }
      out << Padded(o.customer_id, customer_width) << "  " << Padded(o.owner_id, owner_width) << "  "
          << Padded(FormatTime(o.protected_at_ms), 24) << "  " << Padded(FateText(o.actual), actual_width) << "  "
          << alternative << "\n";
    }
  }
  const auto net = static_cast<std::int64_t>(c.releases_alternative) - static_cast<std::int64_t>(c.releases_actual);
  out << "\ntotals: more releases " << c.more << " (released instead of kept), fewer releases " << c.fewer
      << " (kept instead of released), releases moved " << c.moved << " (another time or reason)\n"
      << "releases in the window: actual " << c.releases_actual << ", alternative " << c.releases_alternative << " ("
      << (net >= 0 ? "+" : "") << net << ")\n";
}

Json FateJson(const Fate& fate) {
  return {{"fate", fate.released ? "released" : "kept"}, {"at", FormatTimeMs(fate.at_ms)}, {"how", fate.how}};
}

void PrintJson(const PolicyOverrides& overrides, const Window& window, const Comparison& c, std::ostream& out) {
  Json differences = Json::array();
  for (const HoldOutcome& o : c.differences) {
    Json alternative = FateJson(o.alternative);
    alternative["before"] =
        o.preempted.has_value()
            ? Json{{"seq", o.preempted->seq}, {"type", o.preempted->type}, {"at", FormatTimeMs(o.preempted->at_ms)}}
            : Json(nullptr);
    differences.push_back({{"customerId", o.customer_id},
                           {"ownerId", o.owner_id},
                           {"protectedSeq", o.protected_seq},
                           {"protectedAt", FormatTimeMs(o.protected_at_ms)},
                           {"change", FateChangeName(o.change)},
                           {"actual", FateJson(o.actual)},
                           {"alternative", alternative}});
  }
  Json not_replayed = Json::array();
  for (const std::string& field : overrides.NotReplayed()) not_replayed.push_back(field);
  const Json json = {{"overrides", overrides.ToJson()},
                     {"notReplayed", not_replayed},
                     {"headSeq", c.head_seq},
                     {"asOf", FormatTimeMs(c.as_of_ms)},
                     {"from", window.from_ms.has_value() ? Json(FormatTimeMs(*window.from_ms)) : Json(nullptr)},
                     {"to", window.to_ms.has_value() ? Json(FormatTimeMs(*window.to_ms)) : Json(nullptr)},
                     {"holdsCompared", c.holds},
                     {"differences", differences},
                     {"totals",
                      {{"customersDiffering", CustomersDiffering(c)},
                       {"moreReleases", c.more},
                       {"fewerReleases", c.fewer},
                       {"releasesMoved", c.moved},
                       {"releasesActual", c.releases_actual},
                       {"releasesAlternative", c.releases_alternative}}}};
  out << DumpJson(json) << "\n";
}

}  // namespace

int RunWhatIf(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const CommandSpec spec = WhatIfSpec();
  ParsedArgs parsed;
  if (const std::optional<int> exit = ParseOrExit(spec, args, out, err, parsed)) return *exit;
  const std::string data_dir = parsed.Get("--data");
  const Result<PolicyOverrides> overrides = LoadPolicyOverrides(parsed.Get("--policy"));
  if (!overrides.ok()) return Fail(err, spec.name, overrides.status().message(), kExitUsage);
  Window window;
  for (const auto& [option, time] : {std::pair{"--from", &window.from_ms}, std::pair{"--to", &window.to_ms}}) {
    if (!parsed.Has(option)) continue;
    const Result<events::TimeMs> parsed_time = ParseTimeArg(parsed.Get(option), option);
    if (!parsed_time.ok()) return Fail(err, spec.name, parsed_time.status().message(), kExitUsage);
    *time = *parsed_time;
  }
  if (window.from_ms.has_value() && window.to_ms.has_value() && *window.from_ms >= *window.to_ms) {
    return Fail(err, spec.name, "--from must be before --to", kExitUsage);
  }

  Result<std::unique_ptr<log::EventLog>> log = OpenForReading(data_dir);
  if (!log.ok()) return Fail(err, spec.name, "cannot open " + data_dir + ": " + log.status().message(), kExitUsage);
  const Result<Comparison> comparison = Compare(**log, *overrides, window);
  if (!comparison.ok()) return Fail(err, spec.name, comparison.status().ToString(), kExitUsage);
  if (parsed.Has("--json")) {
    PrintJson(*overrides, window, *comparison, out);
  } else {
    PrintTable(*overrides, *comparison, out);
  }
  return kExitOk;
}

}  // namespace crm::replay
