#include "aggregates/directory.h"

#include <algorithm>
#include <charconv>
#include <type_traits>

#include "events/event_subject.h"

namespace crm::aggregates {
namespace {

// The user whose stream an event belongs to; nullptr for other events.
const std::string* UserIdOf(const events::Event& event) {
  return std::visit(
      [](const auto& e) -> const std::string* {
        if constexpr (std::is_same_v<std::decay_t<decltype(e)>, events::CustomersHandedOver>) {
          return &e.from_user_id;
        } else if constexpr (requires { e.user_id; }) {
          return &e.user_id;
        } else {
          return nullptr;
        }
      },
      event);
}

std::uint64_t CustomerNumber(std::string_view customer_id) {
  std::uint64_t number = 0;
  if (customer_id.size() < 2 || customer_id[0] != 'C') return 0;
  const auto [end, error] = std::from_chars(customer_id.data() + 1, customer_id.data() + customer_id.size(), number);
  return error == std::errc() && end == customer_id.data() + customer_id.size() ? number : 0;
}

}  // namespace

void Directory::Apply(const events::RecordedEvent& recorded) {
  applied_seq_ = recorded.envelope.seq;
  const events::Event& event = recorded.event;
  if (const std::string* customer_id = events::CustomerIdOf(event)) {
    ApplyToCustomer(*customer_id, recorded);
  } else if (const std::string* user_id = UserIdOf(event)) {
    UserState& user = users_[*user_id];
    user = EvolveUser(std::move(user), event);
    if (const auto* created = std::get_if<events::UserCreated>(&event)) {
      users_by_token_[created->token_sha256] = created->user_id;
    }
  } else if (std::holds_alternative<events::PolicyChanged>(event)) {
    policy_ = EvolvePolicy(std::move(policy_), event, recorded.envelope.effective_at_ms);
  }
}

void Directory::ApplyToCustomer(const std::string& customer_id, const events::RecordedEvent& recorded) {
  const events::Event& event = recorded.event;
  if (const auto* registered = std::get_if<events::CustomerRegistered>(&event)) {
    customers_by_name_.emplace(registered->normalized_name, customer_id);
    max_customer_number_ = std::max(max_customer_number_, CustomerNumber(customer_id));
  }
  if (const auto* protected_ = std::get_if<events::CustomerProtected>(&event);
      protected_ != nullptr && protected_->source == events::ProtectionSource::kPool) {
    std::deque<TimeMs>& claims = pool_claims_by_user_[protected_->owner_id];
    const TimeMs at = recorded.envelope.effective_at_ms;
    claims.push_back(at);
    while (!claims.empty() && claims.front() < at - kClaimMemoryMs) claims.pop_front();
  }
  Hold& hold = holds_[customer_id];
  UnindexHold(customer_id, hold);
  ApplyToHold(hold, event);
  IndexHold(customer_id, hold);
}

void Directory::IndexHold(const std::string& customer_id, const Hold& hold) {
  if (!hold.owner_id.empty()) owned_by_user_[hold.owner_id].insert(customer_id);
  if (const std::optional<TimeMs> due = hold.ReleaseDueAt()) release_due_.emplace(*due, customer_id);
}

void Directory::UnindexHold(const std::string& customer_id, const Hold& hold) {
  if (!hold.owner_id.empty()) {
    if (const auto it = owned_by_user_.find(hold.owner_id); it != owned_by_user_.end()) {
      it->second.erase(customer_id);
      if (it->second.empty()) owned_by_user_.erase(it);
    }
  }
  if (const std::optional<TimeMs> due = hold.ReleaseDueAt()) release_due_.erase({*due, customer_id});
}

const UserState* Directory::FindUser(std::string_view user_id) const {
  const auto it = users_.find(std::string(user_id));
  return it == users_.end() ? nullptr : &it->second;
}

const UserState* Directory::FindUserByToken(const events::Sha256Digest& token_sha256) const {
  const auto it = users_by_token_.find(token_sha256);
  return it == users_by_token_.end() ? nullptr : FindUser(it->second);
}

std::vector<const UserState*> Directory::Users() const {
  std::vector<const UserState*> users;
  users.reserve(users_.size());
  for (const auto& [id, user] : users_) users.push_back(&user);
  std::sort(users.begin(), users.end(), [](const UserState* a, const UserState* b) { return a->user_id < b->user_id; });
  return users;
}

std::optional<std::string> Directory::CustomerWithName(std::string_view normalized_name) const {
  const auto it = customers_by_name_.find(std::string(normalized_name));
  if (it == customers_by_name_.end()) return std::nullopt;
  return it->second;
}

const Hold* Directory::FindHold(std::string_view customer_id) const {
  const auto it = holds_.find(std::string(customer_id));
  return it == holds_.end() ? nullptr : &it->second;
}

std::size_t Directory::HeldCount(std::string_view user_id, TimeMs now_ms) const {
  const auto it = owned_by_user_.find(std::string(user_id));
  if (it == owned_by_user_.end()) return 0;
  return static_cast<std::size_t>(std::count_if(it->second.begin(), it->second.end(),
                                                [&](const std::string& id) { return holds_.at(id).HeldAt(now_ms); }));
}

std::vector<std::string> Directory::CustomersOwnedBy(std::string_view user_id) const {
  const auto it = owned_by_user_.find(std::string(user_id));
  if (it == owned_by_user_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

std::size_t Directory::PoolClaimsOnDay(std::string_view user_id, CivilDay day, const CompanyCalendar& calendar) const {
  const auto it = pool_claims_by_user_.find(std::string(user_id));
  if (it == pool_claims_by_user_.end()) return 0;
  return static_cast<std::size_t>(
      std::count_if(it->second.begin(), it->second.end(), [&](TimeMs at) { return calendar.LocalDay(at) == day; }));
}

std::vector<std::string> Directory::DueForRelease(TimeMs now_ms, std::size_t max) const {
  std::vector<std::string> due;
  for (auto it = release_due_.begin(); it != release_due_.end() && it->first <= now_ms && due.size() < max; ++it) {
    due.push_back(it->second);
  }
  return due;
}

}  // namespace crm::aggregates
