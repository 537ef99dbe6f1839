// The audit report as Markdown (for people: a reviewer pastes it into a ticket) and JSON.
#include <numeric>
#include <sstream>

#include "replay/audit_report.h"
#include "replay/event_description.h"
#include "replay/time_format.h"

namespace crm::replay {
namespace {

// Longest free text in a Markdown cell, in Unicode characters; JSON has it whole.
constexpr std::size_t kCellTextCharsMax = 80;

// A Markdown table cell: one line, pipes escaped.
std::string Cell(std::string_view text) {
  std::string out;
  for (const char c : Shorten(text, kCellTextCharsMax)) {
    if (c == '|')
      out += "\\|";
    else
      out.push_back(c);
  }
  return out;
}

std::string Joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string joined;
  for (const std::string& item : items) {
    if (!joined.empty()) joined += separator;
    joined += item;
  }
  return joined;
}

std::string WindowText(const AuditReport& report) {
  const std::string from = report.from_ms.has_value() ? FormatTime(*report.from_ms) : "the first event";
  const std::string to = report.to_ms.has_value() ? FormatTime(*report.to_ms) : "the last event";
  // [from, to): an event recorded exactly at `to` belongs to the next report.
  std::string text = "Events recorded from " + from + " to " + to + (report.to_ms.has_value() ? " (excluded): " : ": ");
  if (report.events == 0) return text + "none; log head seq " + std::to_string(report.head_seq) + ".";
  return text + std::to_string(report.events) + " events, seq " + std::to_string(report.first_seq) + "–" +
         std::to_string(report.last_seq) + "; log head seq " + std::to_string(report.head_seq) + ".";
}

std::string PolicyChangesText(const AuditPolicyChange& change) {
  if (change.changes.empty()) return "no value changed";
  std::vector<std::string> parts;
  for (const PolicyFieldChange& field : change.changes) {
    parts.push_back(field.field + " " + DumpJson(field.from) + " → " + DumpJson(field.to));
  }
  return Joined(parts, "; ");
}

void Counts(const AuditReport& report, std::ostream& md) {
  md << "\n## Who did what\n\n| actor | events | by event type |\n| --- | ---: | --- |\n";
  for (const auto& [actor, types] : report.by_actor) {
    std::vector<std::string> parts;
    std::uint64_t total = 0;
    for (const auto& [type, count] : types) {
      parts.push_back(type + " " + std::to_string(count));
      total += count;
    }
    md << "| " << Cell(actor) << " | " << total << " | " << Joined(parts, ", ") << " |\n";
  }
  md << "\n## Events by type\n\n| event type | count |\n| --- | ---: |\n";
  for (const auto& [type, count] : report.by_type) md << "| " << type << " | " << count << " |\n";
}

void Releases(const AuditReport& report, std::ostream& md) {
  md << "\n## Releases to the pool (" << report.releases.size() << ")\n\n";
  if (report.releases.empty()) {
    md << "None.\n";
    return;
  }
  md << "| seq | customer | released from | reason | effective | actor | note |\n"
        "| ---: | --- | --- | --- | --- | --- | --- |\n";
  for (const AuditRelease& release : report.releases) {
    md << "| " << release.seq << " | " << Cell(release.customer_id) << " | " << Cell(release.owner_id) << " | "
       << release.reason << " | " << FormatTime(release.effective_at_ms) << " | " << Cell(release.actor_id) << " | "
       << Cell(release.note) << " |\n";
  }
}

void Moves(const AuditReport& report, std::ostream& md) {
  md << "\n## Reassignments and handovers (" << report.moves.size() << ")\n\n";
  if (report.moves.empty()) {
    md << "None.\n";
    return;
  }
  md << "| seq | recorded | kind | customers | from | to | reason | actor |\n"
        "| ---: | --- | --- | --- | --- | --- | --- | --- |\n";
  for (const AuditMove& move : report.moves) {
    const std::string customers = move.customer_ids.size() == 1
                                      ? move.customer_ids.front()
                                      : std::to_string(move.customer_ids.size()) + " customers";
    md << "| " << move.seq << " | " << FormatTime(move.recorded_at_ms) << " | " << AuditMoveKindName(move.kind) << " | "
       << Cell(customers) << " | " << Cell(move.from_user_id) << " | " << Cell(move.to_user_id) << " | "
       << Cell(move.reason) << " | " << Cell(move.actor_id) << " |\n";
  }
}

void PolicyChanges(const AuditReport& report, std::ostream& md) {
  md << "\n## Policy changes (" << report.policy_changes.size() << ")\n\n";
  if (report.policy_changes.empty()) {
    md << "None.\n";
    return;
  }
  md << "| seq | recorded | actor | changes |\n| ---: | --- | --- | --- |\n";
  for (const AuditPolicyChange& change : report.policy_changes) {
    // Not Cell(): the list of changes is the point of the row and is never cut.
    std::string changes = PolicyChangesText(change);
    for (std::size_t at = changes.find('|'); at != std::string::npos; at = changes.find('|', at + 2)) {
      changes.insert(at, "\\");
    }
    md << "| " << change.seq << " | " << FormatTime(change.recorded_at_ms) << " | " << Cell(change.actor_id) << " | "
       << changes << " |\n";
  }
}

void Users(const AuditReport& report, std::ostream& md) {
  md << "\n## Users created, changed or deactivated (" << report.user_changes.size() << ")\n\n";
  if (report.user_changes.empty()) {
    md << "None.\n";
    return;
  }
  md << "| seq | recorded | actor | user | change | detail |\n| ---: | --- | --- | --- | --- | --- |\n";
  for (const AuditUserChange& user : report.user_changes) {
    md << "| " << user.seq << " | " << FormatTime(user.recorded_at_ms) << " | " << Cell(user.actor_id) << " | "
       << Cell(user.user_id) << " | " << user.change << " | " << Cell(user.detail) << " |\n";
  }
}

Json OptionalTimeJson(const std::optional<TimeMs>& time_ms) {
  return time_ms.has_value() ? Json(FormatTimeMs(*time_ms)) : Json(nullptr);
}

}  // namespace

std::string RenderAuditMarkdown(const AuditReport& report) {
  std::ostringstream md;
  md << "# Audit report\n\n" << WindowText(report) << "\n";
  Counts(report, md);
  Releases(report, md);
  Moves(report, md);
  PolicyChanges(report, md);
  Users(report, md);
  return md.str();
}

Json RenderAuditJson(const AuditReport& report) {
  Json by_actor = Json::object();
  for (const auto& [actor, types] : report.by_actor) {
    Json counts = Json::object();
    std::uint64_t total = 0;
    for (const auto& [type, count] : types) {
      counts[type] = count;
      total += count;
    }
    by_actor[actor] = {{"total", total}, {"byType", counts}};
  }
  Json by_type = Json::object();
  for (const auto& [type, count] : report.by_type) by_type[type] = count;
  Json releases = Json::array();
  for (const AuditRelease& r : report.releases) {
    releases.push_back({{"seq", r.seq},
                        {"customerId", r.customer_id},
                        {"ownerId", r.owner_id},
                        {"reason", r.reason},
                        {"effective", FormatTimeMs(r.effective_at_ms)},
                        {"actor", r.actor_id},
                        {"note", r.note}});
  }
  Json moves = Json::array();
  for (const AuditMove& m : report.moves) {
    Json customers = Json::array();
    for (const std::string& id : m.customer_ids) customers.push_back(id);
    moves.push_back({{"seq", m.seq},
                     {"recorded", FormatTimeMs(m.recorded_at_ms)},
                     {"kind", AuditMoveKindName(m.kind)},
                     {"customerIds", customers},
                     {"fromUserId", m.from_user_id},
                     {"toUserId", m.to_user_id},
                     {"reason", m.reason},
                     {"actor", m.actor_id}});
  }
  Json policy_changes = Json::array();
  for (const AuditPolicyChange& c : report.policy_changes) {
    Json changes = Json::array();
    for (const PolicyFieldChange& field : c.changes) {
      changes.push_back({{"field", field.field}, {"from", field.from}, {"to", field.to}});
    }
    policy_changes.push_back(
        {{"seq", c.seq}, {"recorded", FormatTimeMs(c.recorded_at_ms)}, {"actor", c.actor_id}, {"changes", changes}});
  }
  Json users = Json::array();
  for (const AuditUserChange& u : report.user_changes) {
    users.push_back({{"seq", u.seq},
                     {"recorded", FormatTimeMs(u.recorded_at_ms)},
                     {"actor", u.actor_id},
                     {"userId", u.user_id},
                     {"change", u.change},
                     {"detail", u.detail}});
  }
  return {{"from", OptionalTimeJson(report.from_ms)},
          {"to", OptionalTimeJson(report.to_ms)},
          {"firstSeq", report.first_seq},
          {"lastSeq", report.last_seq},
          {"headSeq", report.head_seq},
          {"events", report.events},
          {"byActor", by_actor},
          {"byType", by_type},
          {"releases", releases},
          {"moves", moves},
          {"policyChanges", policy_changes},
          {"userChanges", users}};
}

}  // namespace crm::replay
