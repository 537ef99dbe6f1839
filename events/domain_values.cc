#include "events/domain_values.h"

#include <array>

namespace crm::events {
namespace {

constexpr std::array<std::string_view, kRoleCount> kRoleNames = {"sales",   "manager", "reviewer", "aftersales",
                                                                 "finance", "auditor", "admin"};
constexpr std::array<std::string_view, kHeldStageCount> kHeldStageNames = {"potential", "intention"};
constexpr std::array<std::string_view, kFollowUpChannelCount> kChannelNames = {"phone", "visit", "email", "wechat",
                                                                               "other"};
constexpr std::array<std::string_view, kProtectionSourceCount> kSourceNames = {"registration", "pool"};

template <typename Enum, std::size_t N>
std::optional<Enum> ParseName(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view RoleName(Role role) {
  return kRoleNames.at(static_cast<std::size_t>(role));
}
std::string_view HeldStageName(HeldStage stage) {
  return kHeldStageNames.at(static_cast<std::size_t>(stage));
}
std::string_view FollowUpChannelName(FollowUpChannel channel) {
  return kChannelNames.at(static_cast<std::size_t>(channel));
}
std::string_view ProtectionSourceName(ProtectionSource source) {
  return kSourceNames.at(static_cast<std::size_t>(source));
}
std::optional<Role> ParseRole(std::string_view name) {
  return ParseName<Role>(kRoleNames, name);
}
std::optional<FollowUpChannel> ParseFollowUpChannel(std::string_view name) {
  return ParseName<FollowUpChannel>(kChannelNames, name);
}

}  // namespace crm::events
