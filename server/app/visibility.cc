#include "server/app/visibility.h"

namespace crm::server::app {

using events::CustomerStage;
using events::Role;

Visibility::Visibility(aggregates::UserState caller, FindUserFn find_user)
    : caller_(std::move(caller)), find_user_(std::move(find_user)) {}

bool Visibility::SeesEverything() const {
  return caller_.role == Role::kAuditor || caller_.role == Role::kAdmin;
}

bool Visibility::SeesUser(std::string_view user_id) const {
  if (user_id == caller_.user_id || SeesEverything()) return true;
  if (caller_.role != Role::kManager || user_id.empty()) return false;
  const auto cached = managed_.find(user_id);
  if (cached != managed_.end()) return cached->second;
  const std::optional<aggregates::UserState> user = find_user_(std::string(user_id));
  const bool managed = user.has_value() && user->ManagedBy(caller_);
  managed_.emplace(std::string(user_id), managed);
  return managed;
}

bool Visibility::SeesCustomer(const projections::CustomerSummary& customer, events::TimeMs now_ms) const {
  const bool review_pending = customer.hold.review_pending && customer.hold.HeldAt(now_ms);
  return SeesCustomerIn(projections::StageAt(customer, now_ms), projections::OwnerAt(customer, now_ms), review_pending);
}

bool Visibility::SeesCustomerIn(CustomerStage stage, std::string_view owner, bool review_pending) const {
  if (SeesEverything()) return true;
  if (stage == CustomerStage::kPool) return true;  // the public pool (公共客户池) is everyone's
  switch (caller_.role) {
    case Role::kSales:
      return owner == caller_.user_id;
    case Role::kManager:
      return SeesUser(owner);
    case Role::kAftersales:
      return stage == CustomerStage::kFormal && owner == caller_.user_id;
    case Role::kReviewer:
      return review_pending;
    case Role::kFinance:
      return stage == CustomerStage::kFormal;
    case Role::kAuditor:
    case Role::kAdmin:
      return true;
  }
  return false;
}

bool Visibility::SeesContract(const projections::ContractRecord& contract,
                              const projections::CustomerSummary* customer, events::TimeMs now_ms) const {
  return SeesContract(contract, customer != nullptr && SeesCustomer(*customer, now_ms));
}

bool Visibility::SeesContract(const projections::ContractRecord& contract, bool customer_seen) const {
  if (SeesEverything() || caller_.role == Role::kFinance || customer_seen) return true;
  const std::string& credited = contract.contract.sales_owner_id;
  return (caller_.role == Role::kSales || caller_.role == Role::kManager) && SeesUser(credited);
}

}  // namespace crm::server::app
