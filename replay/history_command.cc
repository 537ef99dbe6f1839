#include "replay/history_command.h"

#include <algorithm>

#include "replay/cli_args.h"
#include "replay/customer_events.h"
#include "replay/data_dir.h"
#include "replay/event_description.h"
#include "replay/event_json.h"
#include "replay/policy_history.h"
#include "replay/text_columns.h"
#include "replay/time_format.h"

namespace crm::replay {
namespace {

CommandSpec HistorySpec() {
  return CommandSpec{
      .name = "history",
      .positionals = {"customerId"},
      .description =
          "Prints every event of one customer in log order: its own stream and its contracts' streams\n"
          "(signing, payments). Per event: seq, recorded time, effective time (RFC 3339 UTC; a deadline\n"
          "release takes effect at the deadline), actor, event type, what changed, and the policy values\n"
          "in force at that seq (a line above the table, repeated where a change takes effect).\n"
          "With --json: one JSON object per line, the event's full data and the whole policy in force.\n"
          "Opens the directory read-only: safe beside a running crm-server.\n",
      .options = {DataDirOption(), OptionSpec{.name = "--json",
                                              .value_name = "",
                                              .default_text = "off (a table)",
                                              .help = "one JSON object per line instead of a table",
                                              .required = false}}};
}

struct Row {
  std::string seq, recorded, effective, actor, type, what;
  const events::Policy* policy = nullptr;
  const PolicyHistory::Change* change = nullptr;  // where `policy` comes from; null: the defaults
};

void PrintTable(const std::string& customer_id, const CustomerHistory& history, const PolicyHistory& policies,
                std::ostream& out) {
  std::string name;
  for (const events::RecordedEvent& recorded : history.events) {
    if (const auto* registered = std::get_if<events::CustomerRegistered>(&recorded.event)) name = registered->name;
  }
  out << "customer " << customer_id << " \"" << name << "\": " << history.events.size() << " events";
  if (!history.contract_nos.empty()) {
    out << ", contracts:";
    for (const std::string& contract_no : history.contract_nos) out << " " << contract_no;
  }
  out << "\n";
  std::vector<Row> rows;
  Row header{"SEQ", "RECORDED", "EFFECTIVE", "ACTOR", "EVENT", "WHAT CHANGED", nullptr, nullptr};
  std::size_t widths[5] = {header.seq.size(), header.recorded.size(), header.effective.size(), header.actor.size(),
                           header.type.size()};
  for (const events::RecordedEvent& recorded : history.events) {
    const events::EventEnvelope& envelope = recorded.envelope;
    Row row{std::to_string(envelope.seq),
            FormatTime(envelope.recorded_at_ms),
            FormatTime(envelope.effective_at_ms),
            envelope.actor_id,
            std::string(events::EventTypeName(recorded.event)),
            DescribeEvent(recorded.event),
            &policies.AtSeq(envelope.seq),
            policies.ChangeAtSeq(envelope.seq)};
    widths[0] = std::max(widths[0], row.seq.size());
    widths[1] = std::max(widths[1], row.recorded.size());
    widths[2] = std::max(widths[2], row.effective.size());
    widths[3] = std::max(widths[3], row.actor.size());
    widths[4] = std::max(widths[4], row.type.size());
    rows.push_back(std::move(row));
  }
  auto print = [&](const Row& row) {
    out << Padded(row.seq, widths[0]) << "  " << Padded(row.recorded, widths[1]) << "  "
        << Padded(row.effective, widths[2]) << "  " << Padded(row.actor, widths[3]) << "  "
        << Padded(row.type, widths[4]) << "  " << row.what << "\n";
  };
  // The policy line is repeated only where the values change: a change that set the same
  // values again is in audit-report, not here.
  const events::Policy* shown = nullptr;
  for (const Row& row : rows) {
    if (shown == nullptr || !(*shown == *row.policy)) {
      out << "policy in force";
      if (row.change != nullptr) {
        out << " from seq " << row.change->seq << " (set by " << row.change->actor_id << " at "
            << FormatTime(row.change->effective_at_ms) << ")";
      }
      out << ": " << PolicySummary(*row.policy) << "\n";
      if (shown == nullptr) print(header);
      shown = row.policy;
    }
    print(row);
  }
}

void PrintJsonLines(const CustomerHistory& history, const PolicyHistory& policies, std::ostream& out) {
  for (const events::RecordedEvent& recorded : history.events) {
    Json line = RecordedEventJson(recorded);
    line["description"] = DescribeEvent(recorded.event);
    line["policy"] = PolicyJson(policies.AtSeq(recorded.envelope.seq));
    out << DumpJson(line) << "\n";
  }
}

}  // namespace

int RunHistory(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const CommandSpec spec = HistorySpec();
  ParsedArgs parsed;
  if (const std::optional<int> exit = ParseOrExit(spec, args, out, err, parsed)) return *exit;
  const std::string data_dir = parsed.Get("--data");
  const std::string& customer_id = parsed.positionals[0];

  Result<std::unique_ptr<log::EventLog>> log = OpenForReading(data_dir);
  if (!log.ok()) return Fail(err, spec.name, "cannot open " + data_dir + ": " + log.status().message(), kExitUsage);
  // Both reads at one head, so the policy shown is the one in force at every printed seq.
  const events::Seq head = (*log)->HeadSeq();
  const Result<CustomerHistory> history = LoadCustomerHistory(**log, customer_id, head);
  if (!history.ok() && history.status().reason() == "no_customer") {
    return Fail(err, spec.name, "no customer " + customer_id, kExitCheckFailed);
  }
  if (!history.ok()) return Fail(err, spec.name, history.status().ToString(), kExitUsage);
  const Result<PolicyHistory> policies = PolicyHistory::Load(**log, head);
  if (!policies.ok()) return Fail(err, spec.name, policies.status().ToString(), kExitUsage);
  if (parsed.Has("--json")) {
    PrintJsonLines(*history, *policies, out);
  } else {
    PrintTable(customer_id, *history, *policies, out);
  }
  return kExitOk;
}

}  // namespace crm::replay
