// A user as the user's stream tells it: role, team, manager, active. Deactivated users can do
// nothing (rule: "deactivated users can do nothing"), but stay: their history is audit history.
#pragma once

#include <string>

#include "events/envelope.h"
#include "events/event_types.h"

namespace crm::aggregates {

struct UserState {
  std::string user_id;
  std::string name;
  events::Role role = events::Role::kSales;
  std::string team;
  std::string manager_id;
  events::Sha256Digest token_sha256{};
  bool active = false;  // true from UserCreated until UserDeactivated
  events::StreamVersion version = 0;

  bool exists() const { return version > 0; }
  // Whether `manager` may decide for this user's customers: a manager of the same team, or the
  // manager this user reports to.
  bool ManagedBy(const UserState& manager) const;
};

UserState EvolveUser(UserState state, const events::Event& event);

}  // namespace crm::aggregates
