// The small value types that events are made of: times, money, roles, stages, the policy.
// Plain data with no behaviour beyond naming; the rules that use them live in aggregates/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crm::events {

// Milliseconds since the Unix epoch, UTC. Every time in an event is one of these.
using TimeMs = std::int64_t;
inline constexpr TimeMs kMsPerSecond = 1000;
inline constexpr TimeMs kMsPerDay = 24 * 60 * 60 * kMsPerSecond;

// Money is integer fen (分): never floating point.
using Fen = std::int64_t;

// Reserved actor id of the deadline sweeper (expiries, review time-outs).
inline constexpr std::string_view kSystemActorId = "system";

enum class Role : std::uint8_t { kSales, kManager, kReviewer, kAftersales, kFinance, kAuditor, kAdmin };
inline constexpr int kRoleCount = 7;

// The stage a held customer was in when its protection ended.
enum class HeldStage : std::uint8_t { kPotential, kIntention };
inline constexpr int kHeldStageCount = 2;

enum class FollowUpChannel : std::uint8_t { kPhone, kVisit, kEmail, kWechat, kOther };
inline constexpr int kFollowUpChannelCount = 5;

// How a protection started: by registering a new customer or by claiming one from the pool.
enum class ProtectionSource : std::uint8_t { kRegistration, kPool };
inline constexpr int kProtectionSourceCount = 2;

// Stable wire names ("sales", "intention", "wechat", "pool"); used by the API and exports.
std::string_view RoleName(Role role);
std::string_view HeldStageName(HeldStage stage);
std::string_view FollowUpChannelName(FollowUpChannel channel);
std::string_view ProtectionSourceName(ProtectionSource source);
std::optional<Role> ParseRole(std::string_view name);
std::optional<FollowUpChannel> ParseFollowUpChannel(std::string_view name);

// Every rule value an admin can change (domain.md "Rules"). A PolicyChanged event carries the
// whole policy, so "which rule was in force at T" is one lookup, not a fold over partial changes.
// The defaults here are the product's defaults, in force until the first PolicyChanged.
struct Policy {
  std::uint32_t potential_days = 30;
  std::uint32_t intention_days = 15;
  std::uint32_t abandon_cooldown_days = 3;
  std::uint32_t review_working_days = 3;
  std::uint32_t max_protected = 200;
  std::uint32_t max_claims_per_day = 20;
  std::uint32_t max_extensions = 1;
  std::uint32_t max_extension_days = 30;
  bool promotion_needs_approval = true;
  bool mask_pool_contacts = false;
  // Company holidays as ISO dates ("2026-10-01"), in the company's time zone.
  std::vector<std::string> holidays;
  // IANA zone that "today" and "working day" are counted in.
  std::string time_zone = "Asia/Shanghai";
  // After-sales owner for a first contract that names none; empty: the contract must name one.
  std::string default_aftersales_owner_id;

  bool operator==(const Policy&) const = default;
};

}  // namespace crm::events
