// The alternative rule values of `crm-replay what-if --policy file.json`: any subset of the
// policy fields of api.md's PUT /v1/policy, checked with the same ranges the rulebook applies
// (aggregates/user_decider.cc, DecidePolicy). A value not given keeps, at every moment, the
// value that was in force then.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/domain_values.h"
#include "events/status.h"
#include "replay/event_json.h"

namespace crm::replay {

// A policy file larger than this is refused: a policy is a few hundred bytes, 1000 holidays
// about 14 KiB.
inline constexpr std::size_t kPolicyFileBytesMax = 1u << 20;

struct PolicyOverrides {
  std::optional<std::uint32_t> potential_days;
  std::optional<std::uint32_t> intention_days;
  std::optional<std::uint32_t> abandon_cooldown_days;
  std::optional<std::uint32_t> review_working_days;
  std::optional<std::uint32_t> max_protected;
  std::optional<std::uint32_t> max_claims_per_day;
  std::optional<std::uint32_t> max_extensions;
  std::optional<std::uint32_t> max_extension_days;
  std::optional<bool> promotion_needs_approval;
  std::optional<bool> mask_pool_contacts;
  std::optional<std::vector<std::string>> holidays;
  std::optional<std::string> time_zone;
  std::optional<std::string> default_aftersales_owner_id;

  // `in_force` with every given value put in.
  events::Policy Apply(events::Policy in_force) const;
  // Whether review deadlines are recomputed (working days, holidays or time zone given).
  bool ChangesReviewDeadline() const { return review_working_days || holidays || time_zone; }
  // The given fields what-if cannot replay, because they change what people could do rather
  // than when holds end (quotas, claims, cooldowns, extension limits, approvals): api.md names.
  std::vector<std::string> NotReplayed() const;
  // The given fields only, as api.md names them.
  Json ToJson() const;
};

// kInvalidArgument/invalid_policy_file naming the field: not a JSON object, an unknown field, a
// wrong type, a value out of the rulebook's range, a holiday that is not a date, an unknown
// time zone.
Result<PolicyOverrides> ParsePolicyOverrides(std::string_view json_text);

// Reads and parses the file; kNotFound/IO errors name the path.
Result<PolicyOverrides> LoadPolicyOverrides(const std::string& path);

}  // namespace crm::replay
