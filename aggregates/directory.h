// Directory: what a decision needs to know beyond its own stream, folded from the whole log in
// seq order: the users, the policy's history, which normalised names are taken, who holds which
// customer until when, and each salesperson's recent pool claims.
//
// It is a pure fold like any projection (Apply in seq order, no I/O); the command service keeps
// one up to date with every append and rebuilds it from the log at start. It is what makes the
// cross-stream rules decidable: name uniqueness (rule 2), maxProtected and maxClaimsPerDay (rule
// 3), handovers (rule 12) and the sweeper's list of due releases (rule 13).
//
// Not thread-safe; the command service guards it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "aggregates/company_calendar.h"
#include "aggregates/hold.h"
#include "aggregates/policy_state.h"
#include "aggregates/user_state.h"
#include "events/envelope.h"

namespace crm::aggregates {

class Directory {
 public:
  // REQUIRES: events arrive in seq order, each once (recorded.envelope.seq > applied_seq()).
  void Apply(const events::RecordedEvent& recorded);
  events::Seq applied_seq() const { return applied_seq_; }

  const UserState* FindUser(std::string_view user_id) const;
  const UserState* FindUserByToken(const events::Sha256Digest& token_sha256) const;
  // Every user, ordered by id.
  std::vector<const UserState*> Users() const;
  std::size_t user_count() const { return users_.size(); }

  const PolicyState& policy() const { return policy_; }

  // The customer registered under this normalised name, if any.
  std::optional<std::string> CustomerWithName(std::string_view normalized_name) const;
  // nullptr for an unknown customer.
  const Hold* FindHold(std::string_view customer_id) const;
  // The largest n of the ids "C<n>" seen; new ids continue after it.
  std::uint64_t max_customer_number() const { return max_customer_number_; }

  // Customers `user_id` holds and whose hold has not ended by `now_ms` (rule 3's maxProtected).
  std::size_t HeldCount(std::string_view user_id, TimeMs now_ms) const;
  // Every customer whose hold or after-sales ownership names `user_id` in the events so far,
  // including holds that time has ended but no release event has recorded yet. Ordered by id.
  std::vector<std::string> CustomersOwnedBy(std::string_view user_id) const;
  // Pool claims by `user_id` on the company day `day` (rule 3's maxClaimsPerDay).
  std::size_t PoolClaimsOnDay(std::string_view user_id, CivilDay day, const CompanyCalendar& calendar) const;
  // Up to `max` customers whose hold had ended by `now_ms` with no release event yet, the
  // longest overdue first (the sweeper's work list).
  std::vector<std::string> DueForRelease(TimeMs now_ms, std::size_t max) const;

 private:
  void ApplyToCustomer(const std::string& customer_id, const events::RecordedEvent& recorded);
  void IndexHold(const std::string& customer_id, const Hold& hold);
  void UnindexHold(const std::string& customer_id, const Hold& hold);

  // Pool claims older than this before the newest are forgotten: "today" never reaches back
  // further, in any time zone.
  static constexpr TimeMs kClaimMemoryMs = 2 * events::kMsPerDay;

  events::Seq applied_seq_ = 0;
  std::unordered_map<std::string, UserState> users_;
  std::map<events::Sha256Digest, std::string> users_by_token_;
  PolicyState policy_;
  std::unordered_map<std::string, std::string> customers_by_name_;
  std::unordered_map<std::string, Hold> holds_;
  std::unordered_map<std::string, std::set<std::string>> owned_by_user_;
  std::unordered_map<std::string, std::deque<TimeMs>> pool_claims_by_user_;
  std::set<std::pair<TimeMs, std::string>> release_due_;  // (due time, customer id)
  std::uint64_t max_customer_number_ = 0;
};

}  // namespace crm::aggregates
