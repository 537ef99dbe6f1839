#include "replay/audit_report.h"

#include <type_traits>

#include "aggregates/stream_ids.h"
#include "events/customer_hold.h"
#include "events/log/read_ahead_cursor.h"

namespace crm::replay {
namespace {

using namespace crm::events;

// A user as their stream says just before `seq`: what a role or team change changed from.
struct UserBefore {
  std::string role = "(unknown)";
  std::string team;
};

Result<UserBefore> ReadUserBefore(const log::EventLog& log, const std::string& user_id, Seq seq) {
  log::StreamReadOptions options;
  options.max_seq = seq - 1;
  CRM_ASSIGN_OR_RETURN(const std::vector<RecordedEvent> stream,
                       log.ReadStream(aggregates::UserStream(user_id), options));
  UserBefore before;
  for (const RecordedEvent& recorded : stream) {
    if (const auto* created = std::get_if<UserCreated>(&recorded.event)) {
      before.role = RoleName(created->role);
      before.team = created->team;
    } else if (const auto* role = std::get_if<UserRoleChanged>(&recorded.event)) {
      before.role = RoleName(role->role);
    } else if (const auto* team = std::get_if<UserTeamChanged>(&recorded.event)) {
      before.team = team->team;
    }
  }
  return before;
}

std::string TeamName(const std::string& team) {
  return team.empty() ? "(none)" : team;
}

// Adds what one event means for the report's lists (counts are kept by the caller).
class Collector {
 public:
  Collector(const log::EventLog& log, const PolicyHistory& policies, AuditReport& report)
      : log_(log), policies_(policies), report_(report) {}

  Status Add(const RecordedEvent& recorded) {
    const EventEnvelope& envelope = recorded.envelope;
    if (const std::optional<PoolEntrance> entrance = PoolEntranceOf(recorded.event, envelope.effective_at_ms)) {
      AddRelease(recorded, *entrance);
      return Status::Ok();
    }
    return std::visit([&](const auto& e) { return On(e, envelope); }, recorded.event);
  }

 private:
  void AddRelease(const RecordedEvent& recorded, const PoolEntrance& entrance) {
    AuditRelease release;
    release.seq = recorded.envelope.seq;
    release.effective_at_ms = entrance.at_ms;
    release.reason = PoolReasonName(entrance.reason);
    release.actor_id = recorded.envelope.actor_id;
    std::visit(
        [&release](const auto& e) {
          using E = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<E, ProtectionRejected> || std::is_same_v<E, CustomerAbandoned>) {
            release.note = e.reason;
          }
          if constexpr (std::is_same_v<E, ProtectionRejected> || std::is_same_v<E, CustomerAbandoned> ||
                        std::is_same_v<E, ProtectionExpired> || std::is_same_v<E, ProtectionReviewTimedOut>) {
            release.customer_id = e.customer_id;
            release.owner_id = e.owner_id;
          }
        },
        recorded.event);
    report_.releases.push_back(std::move(release));
  }

  AuditMove Move(AuditMove::Kind kind, const EventEnvelope& envelope) {
    AuditMove move;
    move.kind = kind;
    move.seq = envelope.seq;
    move.recorded_at_ms = envelope.recorded_at_ms;
    move.actor_id = envelope.actor_id;
    return move;
  }

  Status On(const CustomerReassigned& e, const EventEnvelope& envelope) {
    AuditMove move = Move(AuditMove::Kind::kReassignment, envelope);
    move.customer_ids = {e.customer_id};
    move.from_user_id = e.from_user_id;
    move.to_user_id = e.to_user_id;
    move.reason = e.reason;
    report_.moves.push_back(std::move(move));
    return Status::Ok();
  }
  Status On(const CustomersHandedOver& e, const EventEnvelope& envelope) {
    AuditMove move = Move(AuditMove::Kind::kHandover, envelope);
    move.customer_ids = e.customer_ids;
    move.from_user_id = e.from_user_id;
    move.to_user_id = e.to_user_id;
    move.reason = e.reason;
    report_.moves.push_back(std::move(move));
    return Status::Ok();
  }
  Status On(const CustomerHandedToAftersales& e, const EventEnvelope& envelope) {
    AuditMove move = Move(AuditMove::Kind::kAftersales, envelope);
    move.customer_ids = {e.customer_id};
    move.from_user_id = e.from_user_id;
    move.to_user_id = e.aftersales_owner_id;
    move.reason = "contract " + e.contract_no;
    report_.moves.push_back(std::move(move));
    return Status::Ok();
  }
  Status On(const PolicyChanged& e, const EventEnvelope& envelope) {
    report_.policy_changes.push_back(
        AuditPolicyChange{.seq = envelope.seq,
                          .recorded_at_ms = envelope.recorded_at_ms,
                          .actor_id = envelope.actor_id,
                          .changes = DiffPolicies(policies_.AtSeq(envelope.seq - 1), e.policy)});
    return Status::Ok();
  }
  Status On(const UserCreated& e, const EventEnvelope& envelope) {
    std::string detail = std::string(RoleName(e.role)) + " in team " + TeamName(e.team);
    if (!e.manager_id.empty()) detail += ", manager " + e.manager_id;
    AddUser(envelope, e.user_id, "created", detail);
    return Status::Ok();
  }
  Status On(const UserRoleChanged& e, const EventEnvelope& envelope) {
    CRM_ASSIGN_OR_RETURN(const UserBefore before, ReadUserBefore(log_, e.user_id, envelope.seq));
    AddUser(envelope, e.user_id, "role", before.role + " -> " + std::string(RoleName(e.role)));
    return Status::Ok();
  }
  Status On(const UserTeamChanged& e, const EventEnvelope& envelope) {
    CRM_ASSIGN_OR_RETURN(const UserBefore before, ReadUserBefore(log_, e.user_id, envelope.seq));
    std::string detail = TeamName(before.team) + " -> " + TeamName(e.team);
    if (!e.manager_id.empty()) detail += ", manager " + e.manager_id;
    AddUser(envelope, e.user_id, "team", detail);
    return Status::Ok();
  }
  Status On(const UserDeactivated& e, const EventEnvelope& envelope) {
    AddUser(envelope, e.user_id, "deactivated", e.reason);
    return Status::Ok();
  }
  template <class E>
  Status On(const E&, const EventEnvelope&) {
    return Status::Ok();
  }

  void AddUser(const EventEnvelope& envelope, const std::string& user_id, std::string change, std::string detail) {
    report_.user_changes.push_back(AuditUserChange{.seq = envelope.seq,
                                                   .recorded_at_ms = envelope.recorded_at_ms,
                                                   .actor_id = envelope.actor_id,
                                                   .user_id = user_id,
                                                   .change = std::move(change),
                                                   .detail = std::move(detail)});
  }

  const log::EventLog& log_;
  const PolicyHistory& policies_;
  AuditReport& report_;
};

}  // namespace

std::string_view AuditMoveKindName(AuditMove::Kind kind) {
  switch (kind) {
    case AuditMove::Kind::kReassignment: return "reassignment";
    case AuditMove::Kind::kHandover: return "handover";
    case AuditMove::Kind::kAftersales: return "aftersales";
  }
  return "unknown";
}

Result<AuditReport> BuildAuditReport(const log::EventLog& log, std::optional<TimeMs> from_ms,
                                     std::optional<TimeMs> to_ms) {
  AuditReport report;
  report.from_ms = from_ms;
  report.to_ms = to_ms;
  report.head_seq = log.HeadSeq();
  report.first_seq = 1;
  report.last_seq = report.head_seq;
  if (from_ms.has_value()) {
    CRM_ASSIGN_OR_RETURN(const Seq before, log.LastSeqAtOrBefore(*from_ms - 1));
    report.first_seq = before + 1;
  }
  if (to_ms.has_value()) {
    CRM_ASSIGN_OR_RETURN(report.last_seq, log.LastSeqAtOrBefore(*to_ms - 1));
  }
  if (report.first_seq > report.last_seq) return report;
  CRM_ASSIGN_OR_RETURN(const PolicyHistory policies, PolicyHistory::Load(log, report.last_seq));
  Collector collector(log, policies, report);
  auto cursor = log::ScanAhead(log, report.first_seq, report.last_seq);
  for (; cursor->Valid(); cursor->Next()) {
    const RecordedEvent& recorded = cursor->event();
    const std::string type(EventTypeName(recorded.event));
    ++report.events;
    ++report.by_type[type];
    ++report.by_actor[recorded.envelope.actor_id][type];
    CRM_RETURN_IF_ERROR(collector.Add(recorded));
  }
  CRM_RETURN_IF_ERROR(cursor->status());
  return report;
}

}  // namespace crm::replay
