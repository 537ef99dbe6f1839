#include "server/demo/demo_player.h"

#include "events/event_subject.h"
#include "events/time_format.h"
#include "server/demo/demo_clock.h"
#include "server/demo/demo_people.h"

namespace crm::demo {
namespace {

constexpr std::size_t kNoCustomer = ~std::size_t{0};

}  // namespace

DemoPlayer::DemoPlayer(aggregates::CommandService& service, std::size_t customers, events::TimeMs from_ms)
    : service_(service),
      customer_ids_(customers),
      holds_(customers),
      holders_(customers),
      next_sweep_ms_((from_ms / kHourMs + 1) * kHourMs) {}

aggregates::CommandMeta DemoPlayer::Meta(std::string_view actor_id, events::TimeMs at_ms) const {
  return aggregates::CommandMeta{
      .actor_id = std::string(actor_id), .now_ms = at_ms, .idempotency_key = {}, .request_fingerprint = std::nullopt};
}

Status DemoPlayer::AdvanceTo(events::TimeMs at_ms) {
  for (; next_sweep_ms_ <= at_ms; next_sweep_ms_ += kHourMs) CRM_RETURN_IF_ERROR(Finish(next_sweep_ms_));
  return Status::Ok();
}

Status DemoPlayer::Finish(events::TimeMs now_ms) {
  for (bool more = true; more;) {
    CRM_ASSIGN_OR_RETURN(const aggregates::SweepReport report, service_.Sweep(now_ms));
    more = report.more;
    last_seq_ = std::max(last_seq_, report.last_seq);
  }
  return Status::Ok();
}

Status DemoPlayer::Track(std::string_view step, std::size_t customer, events::TimeMs at_ms,
                         const Result<aggregates::CommandOutcome>& outcome) {
  if (!outcome.ok()) {
    // A refusal is a bug of the plan: say which step, keep the rulebook's code and details.
    const Status& refused = outcome.status();
    std::string where = "demo step \"" + std::string(step) + "\" at " + events::FormatRfc3339(at_ms);
    if (customer != kNoCustomer) {
      where += " for customer #" + std::to_string(customer) + " (" + customer_ids_[customer] + ")";
    }
    return Status(refused.code(), refused.reason(), where + " was refused: " + refused.message(), refused.details());
  }
  last_seq_ = std::max(last_seq_, outcome->last_seq);
  for (const events::RecordedEvent& recorded : outcome->events) {
    const std::string* customer_id = events::CustomerIdOf(recorded.event);
    if (customer_id == nullptr) continue;
    if (std::holds_alternative<events::CustomerRegistered>(recorded.event)) {
      customer_ids_[customer] = *customer_id;
      index_of_[*customer_id] = customer;
    }
    const std::size_t index = index_of_.at(*customer_id);
    events::ApplyToHold(holds_[index], recorded.event);
    if (holds_[index].held()) holders_[index].insert(holds_[index].owner_id);
  }
  return Status::Ok();
}

Result<std::string> DemoPlayer::ActorFor(std::size_t customer, DemoActor actor) const {
  const events::Hold& hold = holds_[customer];
  switch (actor) {
    case DemoActor::kHolder: return hold.owner_id;
    case DemoActor::kReviewer: return std::string(kReviewerId);
    case DemoActor::kManager: {
      const int team = SalesTeamOf(hold.owner_id);
      if (team < 0)
        return Status::Internal("demo_no_manager", "no sales team holds customer #" + std::to_string(customer));
      return std::string(ManagerOfTeam(team));
    }
  }
  return Status::Internal("demo_unknown_actor", "unknown demo actor");
}

bool DemoPlayer::IsActive(std::string_view user_id) const {
  const std::optional<aggregates::UserState> user = service_.FindUser(std::string(user_id));
  return user.has_value() && user->active;
}

Status DemoPlayer::Register(std::size_t customer, std::string_view sales_id, events::TimeMs at_ms,
                            const aggregates::RegisterCustomer& command) {
  return Track("register", customer, at_ms, service_.RegisterCustomer(Meta(sales_id, at_ms), command));
}

Status DemoPlayer::Act(std::size_t customer, DemoActor actor, events::TimeMs at_ms,
                       const aggregates::CustomerCommand& command) {
  CRM_ASSIGN_OR_RETURN(const std::string actor_id, ActorFor(customer, actor));
  if (const auto* sign = std::get_if<aggregates::SignContract>(&command)) {
    ++contracts_;
    signed_fen_ += sign->total_fen;
  }
  static constexpr std::string_view kStepNames[] = {
      "protect",       "review",           "add contact", "follow up", "ask extension", "decide extension",
      "ask promotion", "decide promotion", "abandon",     "reassign",  "sign contract"};
  static_assert(std::size(kStepNames) == std::variant_size_v<aggregates::CustomerCommand>);
  return Track(kStepNames[command.index()], customer, at_ms,
               service_.ExecuteCustomer(Meta(actor_id, at_ms), customer_ids_[customer], command));
}

Status DemoPlayer::DecideRequest(std::size_t customer, aggregates::RequestKind kind, bool approve, std::string reason,
                                 events::TimeMs at_ms) {
  CRM_ASSIGN_OR_RETURN(const aggregates::CustomerState state, service_.LoadCustomer(customer_ids_[customer]));
  std::string request_id;
  if (state.PendingRequest(kind, &request_id) == nullptr) {
    return Status::Internal("demo_no_pending_request", "the demo planned a decision on customer " +
                                                           customer_ids_[customer] + " but no request is pending");
  }
  if (kind == aggregates::RequestKind::kExtension) {
    return Act(customer, DemoActor::kManager, at_ms,
               aggregates::DecideExtension{.request_id = request_id, .approve = approve, .reason = std::move(reason)});
  }
  return Act(customer, DemoActor::kManager, at_ms,
             aggregates::DecidePromotion{.request_id = request_id, .approve = approve, .reason = std::move(reason)});
}

Status DemoPlayer::Claim(std::size_t customer, int sales_team, std::string_view excluded, std::uint64_t pick,
                         events::TimeMs at_ms) {
  // Never someone who held it: an abandoner or a lapsed owner would be in their cooldown.
  std::vector<std::string_view> candidates;
  for (const std::string_view sales_id : SalesOfTeam(sales_team)) {
    if (sales_id == excluded || holders_[customer].contains(std::string(sales_id)) || !IsActive(sales_id)) continue;
    candidates.push_back(sales_id);
  }
  if (candidates.empty()) {
    return Status::Internal("demo_no_claimer", "nobody left in the team to claim customer " + customer_ids_[customer]);
  }
  const std::string_view claimer = candidates[pick % candidates.size()];
  return Track("claim from the pool", customer, at_ms,
               service_.ExecuteCustomer(Meta(claimer, at_ms), customer_ids_[customer], aggregates::ProtectCustomer{}));
}

Status DemoPlayer::Reassign(std::size_t customer, std::string_view excluded, std::string reason, events::TimeMs at_ms) {
  // Starting from a different colleague for each customer spreads the moves over the team.
  const std::string& holder = holds_[customer].owner_id;
  const std::vector<std::string_view> team = SalesOfTeam(SalesTeamOf(holder));
  for (std::size_t i = 0; i < team.size(); ++i) {
    const std::string_view sales_id = team[(customer + i) % team.size()];
    if (sales_id == holder || sales_id == excluded || !IsActive(sales_id)) continue;
    return Act(customer, DemoActor::kManager, at_ms,
               aggregates::ReassignCustomer{.to_user_id = std::string(sales_id), .reason = std::move(reason)});
  }
  return Status::Internal("demo_no_colleague", "nobody to reassign customer " + customer_ids_[customer] + " to");
}

Status DemoPlayer::Pay(std::size_t customer, const aggregates::RecordPayment& command, events::TimeMs at_ms) {
  ++payments_;
  paid_fen_ += command.amount_fen;
  return Track("record payment", customer, at_ms, service_.RecordPayment(Meta(kFinanceId, at_ms), command));
}

Status DemoPlayer::HandOver(std::string_view manager_id, const aggregates::HandOverCustomers& command,
                            events::TimeMs at_ms) {
  return Track("hand over", kNoCustomer, at_ms, service_.HandOver(Meta(manager_id, at_ms), command));
}

Status DemoPlayer::ExecuteUser(std::string_view admin_id, const aggregates::UserCommand& command,
                               events::TimeMs at_ms) {
  return Track("user administration", kNoCustomer, at_ms, service_.ExecuteUser(Meta(admin_id, at_ms), command));
}

}  // namespace crm::demo
