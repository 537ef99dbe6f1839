#include "aggregates/user_state.h"

#include <type_traits>

namespace crm::aggregates {

bool UserState::ManagedBy(const UserState& manager) const {
  if (manager.role != events::Role::kManager || !manager.active) return false;
  return (!team.empty() && team == manager.team) || (!manager_id.empty() && manager_id == manager.user_id);
}

UserState EvolveUser(UserState state, const events::Event& event) {
  using namespace events;
  std::visit(
      [&state](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, UserCreated>) {
          state.user_id = e.user_id;
          state.name = e.name;
          state.role = e.role;
          state.team = e.team;
          state.manager_id = e.manager_id;
          state.token_sha256 = e.token_sha256;
          state.active = true;
        } else if constexpr (std::is_same_v<E, UserRoleChanged>) {
          state.role = e.role;
        } else if constexpr (std::is_same_v<E, UserTeamChanged>) {
          state.team = e.team;
          state.manager_id = e.manager_id;
        } else if constexpr (std::is_same_v<E, UserDeactivated>) {
          state.active = false;
        }
      },
      event);
  ++state.version;
  return state;
}

}  // namespace crm::aggregates
