#include "server/demo/demo_people.h"

#include <openssl/rand.h>

#include <array>
#include <cstdint>

#include "events/log/sha256.h"
#include "server/demo/demo_catalogue.h"

namespace crm::demo {
namespace {

using events::Role;

constexpr std::string_view kTeamNames[kTeamCount] = {"华东一组", "华东二组", "华南组"};

// Three teams of four, a manager each; the departments everyone else belongs to.
constexpr DemoStaffMember kStaff[] = {
    {"chen.gang", "陈刚", Role::kManager, "华东一组", "", 0},
    {"liu.yang", "刘洋", Role::kManager, "华东二组", "", 1},
    {"huang.wei", "黄伟", Role::kManager, "华南组", "", 2},
    {"wang.lei", "王磊", Role::kSales, "华东一组", "chen.gang", 0},
    {"li.na", "李娜", Role::kSales, "华东一组", "chen.gang", 0},
    {"zhang.wei", "张伟", Role::kSales, "华东一组", "chen.gang", 0},
    {"zhou.min", "周敏", Role::kSales, "华东一组", "chen.gang", 0},
    {"sun.li", "孙丽", Role::kSales, "华东二组", "liu.yang", 1},
    {"wu.tao", "吴涛", Role::kSales, "华东二组", "liu.yang", 1},
    {"xu.jing", "徐静", Role::kSales, "华东二组", "liu.yang", 1},
    {"zhu.qiang", "朱强", Role::kSales, "华东二组", "liu.yang", 1},
    {"lin.hui", "林辉", Role::kSales, "华南组", "huang.wei", 2},
    {"he.fang", "何芳", Role::kSales, "华南组", "huang.wei", 2},
    {"guo.jun", "郭军", Role::kSales, "华南组", "huang.wei", 2},
    {"luo.xin", "罗欣", Role::kSales, "华南组", "huang.wei", 2},
    {"ma.lin", "马琳", Role::kReviewer, "客服部", "", -1},
    {"zheng.hao", "郑浩", Role::kAftersales, "售后服务部", "", -1},
    {"xie.yu", "谢雨", Role::kAftersales, "售后服务部", "", -1},
    {"tang.qian", "唐倩", Role::kFinance, "财务部", "", -1},
    {"han.xue", "韩雪", Role::kAuditor, "合规部", "", -1},
};

// Every day off of 2026's arrangement, and New Year's Day 2027. Make-up working days (调休)
// are not modelled by the policy yet (docs/rules.md), so they are left out.
constexpr std::string_view kHolidays[] = {
    "2026-01-01", "2026-01-02", "2026-01-03", "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18",
    "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23", "2026-04-04", "2026-04-05",
    "2026-04-06", "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05", "2026-06-19",
    "2026-06-20", "2026-06-21", "2026-09-25", "2026-09-26", "2026-09-27", "2026-10-01", "2026-10-02",
    "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07", "2027-01-01"};

constexpr std::size_t kTokenRandomBytes = 8;  // 16 hex digits: 64 bits no one can guess online

// "demo-sales-wang-lei-3f9a0c1d2b4e5f60": says whose it is, so a tester picks the right one.
Result<std::string> MakeToken(const DemoStaffMember& member, bool deterministic, DemoRandom& random) {
  std::array<unsigned char, kTokenRandomBytes> bytes{};
  if (deterministic) {
    std::uint64_t bits = random.Bits();
    for (unsigned char& byte : bytes) {
      byte = static_cast<unsigned char>(bits);
      bits >>= 8;
    }
  } else if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return Status::Internal("no_randomness", "OpenSSL's random generator failed");
  }
  std::string token = "demo-" + std::string(events::RoleName(member.role)) + "-";
  for (const char c : member.id) token.push_back(c == '.' ? '-' : c);
  token.push_back('-');
  static constexpr char kDigits[] = "0123456789abcdef";
  for (const unsigned char byte : bytes) {
    token.push_back(kDigits[byte >> 4]);
    token.push_back(kDigits[byte & 0xf]);
  }
  return token;
}

DemoUser ToDemoUser(const DemoStaffMember& member, std::string token) {
  return DemoUser{.id = std::string(member.id),
                  .name = std::string(member.name),
                  .role = std::string(events::RoleName(member.role)),
                  .team = std::string(member.team),
                  .token = std::move(token),
                  .active = true};
}

aggregates::CreateUser CreateCommand(const DemoStaffMember& member, const std::string& token) {
  return aggregates::CreateUser{.user_id = std::string(member.id),
                                .name = std::string(member.name),
                                .role = member.role,
                                .team = std::string(member.team),
                                .manager_id = std::string(member.manager_id),
                                .token_sha256 = log::Sha256(token)};
}

}  // namespace

std::span<const DemoStaffMember> Staff() {
  return kStaff;
}

std::string_view TeamName(int sales_team) {
  return kTeamNames[sales_team];
}

std::string_view ManagerOfTeam(int sales_team) {
  for (const DemoStaffMember& member : kStaff) {
    if (member.role == Role::kManager && member.sales_team == sales_team) return member.id;
  }
  return {};
}

std::vector<std::string_view> SalesOfTeam(int sales_team) {
  std::vector<std::string_view> sales;
  for (const DemoStaffMember& member : kStaff) {
    if (member.role == Role::kSales && member.sales_team == sales_team) sales.push_back(member.id);
  }
  return sales;
}

int SalesTeamOf(std::string_view user_id) {
  for (const DemoStaffMember& member : kStaff) {
    if (member.id == user_id) return member.sales_team;
  }
  return -1;
}

std::vector<std::string> DemoHolidays() {
  return {std::begin(kHolidays), std::end(kHolidays)};
}

Result<std::vector<DemoUser>> CreateDemoUsers(aggregates::CommandService& service, const DemoOptions& options,
                                              events::TimeMs at_ms, DemoRandom& token_random) {
  std::vector<DemoUser> users;
  const DemoStaffMember admin{std::string_view(kDemoAdminId), "管理员", Role::kAdmin, "", "", -1};
  aggregates::CreateUser first_admin = CreateCommand(admin, "");
  if (options.admin_token_sha256.has_value()) {
    first_admin.token_sha256 = *options.admin_token_sha256;
  } else {
    CRM_ASSIGN_OR_RETURN(std::string token, MakeToken(admin, options.deterministic_tokens, token_random));
    first_admin.token_sha256 = log::Sha256(token);
    users.push_back(ToDemoUser(admin, std::move(token)));
  }
  CRM_RETURN_IF_ERROR(service.CreateFirstAdmin(first_admin, at_ms).status());

  for (const DemoStaffMember& member : kStaff) {
    at_ms += events::kMsPerSecond;  // an admin typing them in, one after the other
    CRM_ASSIGN_OR_RETURN(std::string token, MakeToken(member, options.deterministic_tokens, token_random));
    const aggregates::CommandMeta meta{.actor_id = std::string(kDemoAdminId),
                                       .now_ms = at_ms,
                                       .idempotency_key = {},
                                       .request_fingerprint = std::nullopt};
    CRM_RETURN_IF_ERROR(service.ExecuteUser(meta, CreateCommand(member, token)).status());
    users.push_back(ToDemoUser(member, std::move(token)));
  }
  return users;
}

Result<aggregates::CommandOutcome> SetDemoPolicy(aggregates::CommandService& service, events::TimeMs at_ms) {
  events::Policy policy = service.PolicyAt(at_ms);
  policy.holidays = DemoHolidays();
  policy.default_aftersales_owner_id = std::string(kDefaultAftersalesId);
  const aggregates::CommandMeta meta{.actor_id = std::string(kDemoAdminId),
                                     .now_ms = at_ms,
                                     .idempotency_key = {},
                                     .request_fingerprint = std::nullopt};
  return service.ChangePolicy(meta, aggregates::ChangePolicy{.policy = std::move(policy)});
}

}  // namespace crm::demo
