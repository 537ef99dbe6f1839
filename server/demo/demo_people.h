// The demo company's people, their tokens, and the policy their admin sets.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aggregates/service/command_service.h"
#include "server/demo/demo_company.h"
#include "server/demo/demo_random.h"

namespace crm::demo {

inline constexpr std::string_view kDemoAdminId = "admin";
// The salesperson of 华南组 who leaves during the history, and the colleague who takes over.
inline constexpr std::string_view kDepartingSalesId = "guo.jun";
inline constexpr std::string_view kHeirSalesId = "luo.xin";
// After-sales owner of first contracts that name none (the policy's default: 华东), and the one
// 华南's contracts name.
inline constexpr std::string_view kDefaultAftersalesId = "zheng.hao";
inline constexpr std::string_view kSouthAftersalesId = "xie.yu";
inline constexpr std::string_view kReviewerId = "ma.lin";
inline constexpr std::string_view kFinanceId = "tang.qian";

struct DemoStaffMember {
  std::string_view id;
  std::string_view name;
  events::Role role = events::Role::kSales;
  std::string_view team;
  std::string_view manager_id;  // empty: none
  int sales_team = -1;          // 0..kTeamCount-1 for salespeople and managers
};

// Managers before the people who report to them, so every managerId exists when used.
std::span<const DemoStaffMember> Staff();
std::string_view TeamName(int sales_team);
// The manager of a sales team.
std::string_view ManagerOfTeam(int sales_team);
// The salespeople of a team, in a fixed order.
std::vector<std::string_view> SalesOfTeam(int sales_team);
// The team of a salesperson or manager; -1 for anyone else.
int SalesTeamOf(std::string_view user_id);

// Creates the first admin and every staff member, in time order from `at_ms`, and returns them
// with their tokens in clear. `token_random` draws the tokens when options.deterministic_tokens
// is set; it serves nothing else, so the rest of the demo is the same either way.
Result<std::vector<DemoUser>> CreateDemoUsers(aggregates::CommandService& service, const DemoOptions& options,
                                              events::TimeMs at_ms, DemoRandom& token_random);

// The 2026 public holidays (国务院办公厅's arrangement) and the default after-sales owner,
// merged into the policy in force, by the admin at `at_ms`.
Result<aggregates::CommandOutcome> SetDemoPolicy(aggregates::CommandService& service, events::TimeMs at_ms);

// The holidays SetDemoPolicy sets: the planner's calendar must count working days as the
// service will.
std::vector<std::string> DemoHolidays();

}  // namespace crm::demo
