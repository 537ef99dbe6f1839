#include "replay/what_if_policy.h"

#include <fstream>
#include <iterator>
#include <sstream>

#include "aggregates/company_calendar.h"

namespace crm::replay {
namespace {

// The rulebook's ranges (aggregates/user_decider.cc, DecidePolicy; docs/rules.md "Policy").
constexpr std::uint32_t kPolicyDaysMax = 3650;
constexpr std::uint32_t kReviewWorkingDaysMax = 250;
constexpr std::uint32_t kPolicyLimitMax = 1'000'000;
constexpr std::uint32_t kExtensionsMax = 100;
constexpr std::size_t kPolicyHolidaysMax = 1000;

Status Invalid(std::string_view field, std::string_view why) {
  return Status::InvalidArgument("invalid_policy_file",
                                 "policy field \"" + std::string(field) + "\" " + std::string(why),
                                 {{"field", std::string(field)}});
}

struct Range {
  std::uint32_t min;
  std::uint32_t max;
};

Status ReadCount(const std::string& field, const Json& value, Range range, std::optional<std::uint32_t>& out) {
  if (!value.is_number_integer()) return Invalid(field, "must be a whole number");
  // A non-negative JSON integer parses as unsigned; a negative one is below every range.
  const bool in_range =
      value.is_number_unsigned() && value.get<std::uint64_t>() >= range.min && value.get<std::uint64_t>() <= range.max;
  if (!in_range) {
    return Invalid(field, "must be between " + std::to_string(range.min) + " and " + std::to_string(range.max));
  }
  out = static_cast<std::uint32_t>(value.get<std::uint64_t>());
  return Status::Ok();
}

Status ReadBool(const std::string& field, const Json& value, std::optional<bool>& out) {
  if (!value.is_boolean()) return Invalid(field, "must be true or false");
  out = value.get<bool>();
  return Status::Ok();
}

Status ReadText(const std::string& field, const Json& value, std::optional<std::string>& out) {
  if (!value.is_string()) return Invalid(field, "must be a string");
  out = value.get<std::string>();
  return Status::Ok();
}

Status ReadHolidays(const std::string& field, const Json& value, std::optional<std::vector<std::string>>& out) {
  if (!value.is_array()) return Invalid(field, "must be an array of dates like \"2026-10-01\"");
  if (value.size() > kPolicyHolidaysMax) {
    return Invalid(field, "may list at most " + std::to_string(kPolicyHolidaysMax) + " dates");
  }
  std::vector<std::string> days;
  for (const Json& day : value) {
    if (!day.is_string() || !aggregates::ParseIsoDate(day.get<std::string>()).ok()) {
      return Invalid(field, "must be an array of dates like \"2026-10-01\"");
    }
    days.push_back(day.get<std::string>());
  }
  out = std::move(days);
  return Status::Ok();
}

Status ReadField(const std::string& field, const Json& value, PolicyOverrides& o) {
  if (field == "potentialDays") return ReadCount(field, value, {1, kPolicyDaysMax}, o.potential_days);
  if (field == "intentionDays") return ReadCount(field, value, {1, kPolicyDaysMax}, o.intention_days);
  if (field == "abandonCooldownDays") return ReadCount(field, value, {0, kPolicyDaysMax}, o.abandon_cooldown_days);
  if (field == "reviewWorkingDays") return ReadCount(field, value, {1, kReviewWorkingDaysMax}, o.review_working_days);
  if (field == "maxProtected") return ReadCount(field, value, {1, kPolicyLimitMax}, o.max_protected);
  if (field == "maxClaimsPerDay") return ReadCount(field, value, {1, kPolicyLimitMax}, o.max_claims_per_day);
  if (field == "maxExtensions") return ReadCount(field, value, {0, kExtensionsMax}, o.max_extensions);
  if (field == "maxExtensionDays") return ReadCount(field, value, {1, kPolicyDaysMax}, o.max_extension_days);
  if (field == "promotionNeedsApproval") return ReadBool(field, value, o.promotion_needs_approval);
  if (field == "maskPoolContacts") return ReadBool(field, value, o.mask_pool_contacts);
  if (field == "holidays") return ReadHolidays(field, value, o.holidays);
  if (field == "timeZone") return ReadText(field, value, o.time_zone);
  if (field == "defaultAftersalesOwnerId") return ReadText(field, value, o.default_aftersales_owner_id);
  return Invalid(field, "is not a policy field (api.md, PUT /v1/policy)");
}

}  // namespace

events::Policy PolicyOverrides::Apply(events::Policy p) const {
  if (potential_days) p.potential_days = *potential_days;
  if (intention_days) p.intention_days = *intention_days;
  if (abandon_cooldown_days) p.abandon_cooldown_days = *abandon_cooldown_days;
  if (review_working_days) p.review_working_days = *review_working_days;
  if (max_protected) p.max_protected = *max_protected;
  if (max_claims_per_day) p.max_claims_per_day = *max_claims_per_day;
  if (max_extensions) p.max_extensions = *max_extensions;
  if (max_extension_days) p.max_extension_days = *max_extension_days;
  if (promotion_needs_approval) p.promotion_needs_approval = *promotion_needs_approval;
  if (mask_pool_contacts) p.mask_pool_contacts = *mask_pool_contacts;
  if (holidays) p.holidays = *holidays;
  if (time_zone) p.time_zone = *time_zone;
  if (default_aftersales_owner_id) p.default_aftersales_owner_id = *default_aftersales_owner_id;
  return p;
}

std::vector<std::string> PolicyOverrides::NotReplayed() const {
  std::vector<std::string> fields;
  if (abandon_cooldown_days) fields.push_back("abandonCooldownDays");
  if (max_protected) fields.push_back("maxProtected");
  if (max_claims_per_day) fields.push_back("maxClaimsPerDay");
  if (max_extensions) fields.push_back("maxExtensions");
  if (max_extension_days) fields.push_back("maxExtensionDays");
  if (promotion_needs_approval) fields.push_back("promotionNeedsApproval");
  if (mask_pool_contacts) fields.push_back("maskPoolContacts");
  if (default_aftersales_owner_id) fields.push_back("defaultAftersalesOwnerId");
  return fields;
}

Json PolicyOverrides::ToJson() const {
  const Json all = PolicyJson(Apply(events::Policy()));
  Json given = Json::object();
  auto put = [&](const char* field, bool present) {
    if (present) given[field] = all.at(field);
  };
  put("potentialDays", potential_days.has_value());
  put("intentionDays", intention_days.has_value());
  put("abandonCooldownDays", abandon_cooldown_days.has_value());
  put("reviewWorkingDays", review_working_days.has_value());
  put("maxProtected", max_protected.has_value());
  put("maxClaimsPerDay", max_claims_per_day.has_value());
  put("maxExtensions", max_extensions.has_value());
  put("maxExtensionDays", max_extension_days.has_value());
  put("promotionNeedsApproval", promotion_needs_approval.has_value());
  put("maskPoolContacts", mask_pool_contacts.has_value());
  put("holidays", holidays.has_value());
  put("timeZone", time_zone.has_value());
  put("defaultAftersalesOwnerId", default_aftersales_owner_id.has_value());
  return given;
}

Result<PolicyOverrides> ParsePolicyOverrides(std::string_view json_text) {
  const Json parsed = Json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return Status::InvalidArgument("invalid_policy_file", "the policy file is not valid JSON");
  }
  if (!parsed.is_object()) {
    return Status::InvalidArgument("invalid_policy_file", "the policy file must hold one JSON object");
  }
  PolicyOverrides overrides;
  for (const auto& [field, value] : parsed.items()) CRM_RETURN_IF_ERROR(ReadField(field, value, overrides));
  if (overrides.time_zone || overrides.holidays) {
    // The zone must exist in the tz database; holidays were checked above.
    const events::Policy defaults;
    const Result<aggregates::CompanyCalendar> calendar = aggregates::CompanyCalendar::Create(
        overrides.time_zone.value_or(defaults.time_zone), overrides.holidays.value_or(std::vector<std::string>{}));
    if (!calendar.ok()) return Invalid("timeZone", "is not a time zone of the tz database (Asia/Shanghai)");
  }
  return overrides;
}

Result<PolicyOverrides> LoadPolicyOverrides(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::NotFound("policy_file_not_found", "cannot read the policy file " + path);
  std::string text;
  char buffer[4096];
  while (file.read(buffer, sizeof buffer) || file.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(file.gcount()));
    if (text.size() > kPolicyFileBytesMax) {
      return Status::TooLarge("policy_file_too_large", "the policy file " + path + " is larger than " +
                                                           std::to_string(kPolicyFileBytesMax) + " bytes");
    }
  }
  if (file.bad()) return Status::IOError("policy_file_unreadable", "cannot read the policy file " + path);
  return ParsePolicyOverrides(text);
}

}  // namespace crm::replay
