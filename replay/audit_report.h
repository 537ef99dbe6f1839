// What `crm-replay audit-report` finds in a window of the log: who did what, every release to
// the pool, every reassignment and handover, every policy change, every change to users.
// Collected here; rendered as Markdown or JSON by audit_report_render.cc.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "events/log/event_log.h"
#include "events/status.h"
#include "replay/event_json.h"
#include "replay/policy_history.h"

namespace crm::replay {

struct AuditRelease {
  events::Seq seq = 0;
  events::TimeMs effective_at_ms = 0;  // the deadline for expiries and review time-outs
  std::string customer_id;
  std::string owner_id;  // whose hold ended
  std::string reason;    // events::PoolReasonName: rejected, review_timed_out, abandoned, expired
  std::string note;      // the rejecting reviewer's or abandoning owner's words; empty otherwise
  std::string actor_id;
};

struct AuditMove {
  enum class Kind { kReassignment, kHandover, kAftersales };
  Kind kind = Kind::kReassignment;
  events::Seq seq = 0;
  events::TimeMs recorded_at_ms = 0;
  std::vector<std::string> customer_ids;
  std::string from_user_id;
  std::string to_user_id;
  std::string reason;  // for a hand-over to after-sales: the contract that made it formal
  std::string actor_id;
};
std::string_view AuditMoveKindName(AuditMove::Kind kind);  // "reassignment", "handover", "aftersales"

struct AuditPolicyChange {
  events::Seq seq = 0;
  events::TimeMs recorded_at_ms = 0;
  std::string actor_id;
  std::vector<PolicyFieldChange> changes;  // empty: set to the values already in force
};

struct AuditUserChange {
  events::Seq seq = 0;
  events::TimeMs recorded_at_ms = 0;
  std::string actor_id;
  std::string user_id;
  std::string change;  // "created", "role", "team", "deactivated"
  std::string detail;  // "sales in team east", "sales -> manager", ...
};

struct AuditReport {
  std::optional<events::TimeMs> from_ms;  // nullopt: from the first event
  std::optional<events::TimeMs> to_ms;    // nullopt: to the last event
  events::Seq first_seq = 0;              // the window is first_seq..last_seq; empty when first > last
  events::Seq last_seq = 0;
  events::Seq head_seq = 0;
  std::uint64_t events = 0;
  std::map<std::string, std::map<std::string, std::uint64_t>> by_actor;  // actor -> event type -> count
  std::map<std::string, std::uint64_t> by_type;
  std::vector<AuditRelease> releases;
  std::vector<AuditMove> moves;
  std::vector<AuditPolicyChange> policy_changes;
  std::vector<AuditUserChange> user_changes;
};

// Every event recorded in [from, to) (recorded times never decrease along the log, so that is
// one range of seqs). REQUIRES: from < to when both are given.
Result<AuditReport> BuildAuditReport(const log::EventLog& log, std::optional<events::TimeMs> from_ms,
                                     std::optional<events::TimeMs> to_ms);

std::string RenderAuditMarkdown(const AuditReport& report);
Json RenderAuditJson(const AuditReport& report);

}  // namespace crm::replay
