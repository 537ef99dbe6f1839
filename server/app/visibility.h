// Who may see what (api.md, last paragraph; docs/api-visibility in the README's API section):
//
//   everyone    the pool (公共客户池: anyone may take a pool customer, so anyone may look at
//               it; rule 14 masks its mobiles when the policy says so) and search results
//   sales       and the customers they hold
//   manager     and the customers held by themselves or by users they manage (same team, or
//               reporting to them: UserState::ManagedBy)
//   aftersales  and the formal customers they own
//   reviewer    and customers whose protection awaits review
//   finance     and every formal customer and every contract (they record payments)
//   auditor, admin  everything
//
// A contract is seen with its customer, and also by the salesperson it is credited to (and
// their managers): revenue stays theirs after the customer moves to after-sales.
//
// Lists of a user (ownership, reminders, salespeople figures) are seen by that user, their
// managers, and auditors and admins. Anything not seen is answered 404, as if it did not exist,
// so that ids cannot be probed.
//
// Seeing is judged at the read's point: as of a past time, by who held the customer then.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "aggregates/user_state.h"
#include "projections/contracts_view.h"
#include "projections/customers_view.h"

namespace crm::server::app {

class Visibility {
 public:
  using FindUserFn = std::function<std::optional<aggregates::UserState>(const std::string& user_id)>;

  // `find_user` is called for managers' checks, at most once per user (cached); it is kept for
  // this object's life.
  Visibility(aggregates::UserState caller, FindUserFn find_user);

  const aggregates::UserState& caller() const { return caller_; }
  // Auditors and admins.
  bool SeesEverything() const;
  // The lists of `user_id`.
  bool SeesUser(std::string_view user_id) const;
  // The customer (its 360, history and contacts) at `now_ms`.
  bool SeesCustomer(const projections::CustomerSummary& customer, events::TimeMs now_ms) const;
  // The same judged on a customer's state with time already applied: its stage, who holds or
  // owns it (empty in the pool), and whether a review is pending.
  bool SeesCustomerIn(events::CustomerStage stage, std::string_view owner_id, bool review_pending) const;
  // The contract; `customer` is its customer's summary (nullptr when unknown).
  bool SeesContract(const projections::ContractRecord& contract, const projections::CustomerSummary* customer,
                    events::TimeMs now_ms) const;
  // The same when whether the caller sees its customer is already known.
  bool SeesContract(const projections::ContractRecord& contract, bool customer_seen) const;

 private:
  aggregates::UserState caller_;
  FindUserFn find_user_;
  mutable std::map<std::string, bool, std::less<>> managed_;  // user id -> ManagedBy(caller_)
};

}  // namespace crm::server::app
