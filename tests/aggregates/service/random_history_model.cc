// The independent model of the randomised history test; see random_history_model.h.
#include "aggregates/service/random_history_model.h"

#include <cstdio>
#include <variant>

#include "aggregates/service/service_fixture.h"  // the fixture's time constants only

namespace crm::aggregates::random_history {
namespace {

using testutil::kDayMs;
using testutil::kHourMs;
using testutil::kMonday10am;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// "2026-10-01" -> days since the epoch.
std::int64_t IsoDay(const std::string& iso) {
  return DaysFromCivil(std::stoll(iso.substr(0, 4)), static_cast<unsigned>(std::stoul(iso.substr(5, 2))),
                       static_cast<unsigned>(std::stoul(iso.substr(8, 2))));
}

}  // namespace

std::int64_t ShanghaiDay(TimeMs t) {
  const TimeMs local = t + kShanghaiOffsetMs;
  return local / kDayMs - (local % kDayMs < 0 ? 1 : 0);
}

bool IsWorkingDay(std::int64_t day, const events::Policy& policy) {
  const std::int64_t weekday = (day + 4) % 7;  // 1970-01-01 was a Thursday; 0 is Sunday
  if (weekday == 0 || weekday == 6) return false;
  return std::none_of(policy.holidays.begin(), policy.holidays.end(),
                      [day](const std::string& iso) { return IsoDay(iso) == day; });
}

std::string NameKey(std::string name) {
  name.erase(std::remove(name.begin(), name.end(), ' '), name.end());
  return name;
}

std::string When(TimeMs t) {
  static constexpr const char* kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  const std::int64_t day = ShanghaiDay(t);
  const TimeMs ms = t + kShanghaiOffsetMs - day * kDayMs;
  char text[64];
  std::snprintf(text, sizeof text, "d%lld %s %02lld:%02lld:%02lld.%03lld",
                static_cast<long long>(day - ShanghaiDay(kMonday10am)), kWeekdays[(day + 4) % 7],
                static_cast<long long>(ms / kHourMs), static_cast<long long>(ms / kMinuteMs % 60),
                static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
  return text;
}

const ModelCustomer* Model::Customer(const std::string& id) const {
  const auto it = customers_.find(id);
  return it == customers_.end() ? nullptr : &it->second;
}

const ModelContract* Model::Contract(const std::string& no) const {
  const auto it = contracts_.find(no);
  return it == contracts_.end() ? nullptr : &it->second;
}

std::optional<Role> Model::RoleOf(const std::string& user_id) const {
  const auto it = roles_.find(user_id);
  return it == roles_.end() ? std::nullopt : std::optional<Role>(it->second);
}

bool Model::NameTaken(const std::string& key) const {
  return std::any_of(customers_.begin(), customers_.end(), [&](const auto& c) { return c.second.name_key == key; });
}

const events::Policy& Model::PolicyAt(TimeMs t) const {
  for (auto it = policies_.rbegin(); it != policies_.rend(); ++it) {
    if (it->first <= t) return it->second;
  }
  return defaults_;
}

std::size_t Model::HeldBy(const std::string& user_id, TimeMs t) const {
  return static_cast<std::size_t>(std::count_if(customers_.begin(), customers_.end(), [&](const auto& c) {
    return c.second.HeldAt(t) && c.second.holder == user_id;
  }));
}

std::string Model::WhyNotRegister(const std::string& user_id, const std::string& name, TimeMs t) const {
  if (!Active(user_id) || RoleOf(user_id) != Role::kSales) return "not an active salesperson";
  if (NameTaken(NameKey(name))) return "name taken";
  return WhyNotHoldMore(user_id, t);
}

std::string Model::WhyNotProtect(const std::string& user_id, const std::string& customer_id, TimeMs t) const {
  if (!Active(user_id) || RoleOf(user_id) != Role::kSales) return "not an active salesperson";
  const ModelCustomer* c = Customer(customer_id);
  if (c == nullptr) return "no such customer";
  if (c->HeldAt(t)) return "held by " + c->holder;
  if (c->stage == Stage::kFormal) return "formal";
  if (const TimeMs until_ms = CooldownUntil(*c, user_id, t); t < until_ms) return "in cooldown until " + When(until_ms);
  if (PoolClaimsOnDay(user_id, ShanghaiDay(t)) >= PolicyAt(t).max_claims_per_day) return "at maxClaimsPerDay";
  return WhyNotHoldMore(user_id, t);
}

std::string Model::WhyNotReassign(const std::string& actor_id, const std::string& customer_id,
                                  const std::string& to_user_id, TimeMs t) const {
  if (!Active(actor_id) || RoleOf(actor_id) != Role::kManager) return "not an active manager";
  const ModelCustomer* c = Customer(customer_id);
  if (c == nullptr) return "no such customer";
  if (c->stage != Stage::kFormal && !c->HeldAt(t)) return "nobody holds it";
  const Role needed = c->stage == Stage::kFormal ? Role::kAftersales : Role::kSales;
  if (!Active(to_user_id) || RoleOf(to_user_id) != needed) return "the recipient cannot own it";
  if (to_user_id == c->holder) return "it is theirs already";
  return c->stage == Stage::kFormal ? "" : WhyNotHoldMore(to_user_id, t);
}

TimeMs Model::CooldownUntil(const ModelCustomer& c, const std::string& user_id, TimeMs t) const {
  TimeMs until_ms = 0;
  if (const auto it = c.cooldown_until_ms.find(user_id); it != c.cooldown_until_ms.end()) until_ms = it->second;
  std::optional<TimeMs> lapsed_ms;
  if (const auto it = c.lapsed_at_ms.find(user_id); it != c.lapsed_at_ms.end()) lapsed_ms = it->second;
  // An expiry time has decided but nobody has written yet counts the same (rule 13).
  if (c.LapsedAt(t) && !c.TimesOutReview() && c.holder == user_id) lapsed_ms = c.due_ms();
  if (lapsed_ms) until_ms = std::max(until_ms, *lapsed_ms + PolicyAt(t).abandon_cooldown_days * kDayMs);
  return until_ms;
}

std::string Model::WhyNotHoldMore(const std::string& user_id, TimeMs t) const {
  return HeldBy(user_id, t) >= PolicyAt(t).max_protected ? "at maxProtected" : "";
}

std::size_t Model::PoolClaimsOnDay(const std::string& user_id, std::int64_t day) const {
  const auto it = pool_claims_.find(user_id);
  if (it == pool_claims_.end()) return 0;
  return static_cast<std::size_t>(
      std::count_if(it->second.begin(), it->second.end(), [day](TimeMs at) { return ShanghaiDay(at) == day; }));
}

template <typename E>
void Model::On(const E&, const Envelope&) {}

template <>
void Model::On(const events::UserCreated& e, const Envelope&) {
  roles_[e.user_id] = e.role;
  active_.insert(e.user_id);
}
template <>
void Model::On(const events::UserDeactivated& e, const Envelope&) {
  active_.erase(e.user_id);
}
template <>
void Model::On(const events::UserRoleChanged& e, const Envelope&) {
  roles_[e.user_id] = e.role;
}
template <>
void Model::On(const events::PolicyChanged& e, const Envelope& env) {
  policies_.emplace_back(env.effective_at_ms, e.policy);
}
template <>
void Model::On(const events::CustomerRegistered& e, const Envelope&) {
  customers_[e.customer_id].name_key = NameKey(e.name);
}
template <>
void Model::On(const events::CustomerProtected& e, const Envelope& env) {
  ModelCustomer& c = customers_[e.customer_id];
  c.stage = Stage::kPotential;
  c.holder = e.owner_id;
  c.deadline_ms = e.deadline_ms;
  c.review_pending = true;
  c.review_deadline_ms = e.review_deadline_ms;
  c.pool_reason.clear();
  c.extensions_in_stage = 0;
  ++c.protections;
  if (e.source == events::ProtectionSource::kPool) pool_claims_[e.owner_id].push_back(env.effective_at_ms);
}
template <>
void Model::On(const events::ProtectionApproved& e, const Envelope&) {
  customers_[e.customer_id].review_pending = false;
  customers_[e.customer_id].review_deadline_ms = 0;
}
template <>
void Model::On(const events::ProtectionRejected& e, const Envelope&) {
  Release(e.customer_id, "rejected");
}
template <>
void Model::On(const events::ProtectionReviewTimedOut& e, const Envelope&) {
  Release(e.customer_id, "review_timed_out");
}
template <>
void Model::On(const events::ProtectionExpired& e, const Envelope&) {
  Release(e.customer_id, "expired");
  customers_[e.customer_id].lapsed_at_ms[e.owner_id] = e.deadline_ms;
}
template <>
void Model::On(const events::CustomerAbandoned& e, const Envelope&) {
  Release(e.customer_id, "abandoned");
  customers_[e.customer_id].cooldown_until_ms[e.owner_id] = e.cooldown_until_ms;
}
template <>
void Model::On(const events::ExtensionRequested& e, const Envelope&) {
  customers_[e.customer_id].requests[e.request_id] = ModelRequest{'x', e.days, true};
}
template <>
void Model::On(const events::ExtensionGranted& e, const Envelope&) {
  ModelCustomer& c = customers_[e.customer_id];
  c.requests[e.request_id].pending = false;
  c.deadline_ms = e.deadline_ms;
  ++c.extensions_in_stage;
}
template <>
void Model::On(const events::ExtensionDenied& e, const Envelope&) {
  customers_[e.customer_id].requests[e.request_id].pending = false;
}
template <>
void Model::On(const events::PromotionRequested& e, const Envelope&) {
  customers_[e.customer_id].requests[e.request_id] = ModelRequest{'p', 0, true};
}
template <>
void Model::On(const events::CustomerPromoted& e, const Envelope&) {
  ModelCustomer& c = customers_[e.customer_id];
  if (!e.request_id.empty()) c.requests[e.request_id].pending = false;
  c.stage = Stage::kIntention;
  c.deadline_ms = e.deadline_ms;
  c.extensions_in_stage = 0;
  CloseRequests(c, 'x');  // an extension of the potential stage means nothing any more
}
template <>
void Model::On(const events::PromotionDenied& e, const Envelope&) {
  customers_[e.customer_id].requests[e.request_id].pending = false;
}
template <>
void Model::On(const events::CustomerReassigned& e, const Envelope&) {
  customers_[e.customer_id].holder = e.to_user_id;
}
template <>
void Model::On(const events::CustomerHandedToAftersales& e, const Envelope&) {
  ModelCustomer& c = customers_[e.customer_id];
  c.stage = Stage::kFormal;
  c.holder = e.aftersales_owner_id;
  c.deadline_ms = 0;
  c.review_pending = false;
  c.review_deadline_ms = 0;
  c.ever_formal = true;
  CloseRequests(c, 'x');
  CloseRequests(c, 'p');
}
template <>
void Model::On(const events::ContractSigned& e, const Envelope&) {
  contracts_[e.contract_no] = ModelContract{e.customer_id, e.total_fen, 0};
}
template <>
void Model::On(const events::PaymentRecorded& e, const Envelope&) {
  contracts_[e.contract_no].paid_fen += e.amount_fen;
}

void Model::Apply(const RecordedEvent& recorded) {
  std::visit([&](const auto& e) { On(e, recorded.envelope); }, recorded.event);
}

void Model::Release(const std::string& customer_id, const std::string& reason) {
  ModelCustomer& c = customers_[customer_id];
  c.stage = Stage::kPool;
  c.holder.clear();
  c.deadline_ms = 0;
  c.review_pending = false;
  c.review_deadline_ms = 0;
  c.pool_reason = reason;
  c.extensions_in_stage = 0;
  CloseRequests(c, 'x');
  CloseRequests(c, 'p');
}
void Model::CloseRequests(ModelCustomer& c, char kind) {
  for (auto& [id, request] : c.requests) {
    if (request.kind == kind) request.pending = false;
  }
}

}  // namespace crm::aggregates::random_history
