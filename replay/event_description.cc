#include "replay/event_description.h"

#include <cinttypes>
#include <cstdio>

#include "replay/time_format.h"

namespace crm::replay {
namespace {

using namespace crm::events;

constexpr Fen kFenPerYuan = 100;

std::string Quoted(std::string_view text) {
  return "\"" + Shorten(text, kDescriptionTextCharsMax) + "\"";
}

// ", reason \"...\"" when there is one.
std::string Reason(std::string_view reason) {
  return reason.empty() ? std::string() : ", reason " + Quoted(reason);
}

std::string UserRef(std::string_view user_id) {
  return user_id.empty() ? std::string("nobody") : std::string(user_id);
}

std::string Describe(const UserCreated& e) {
  std::string text = "user " + e.user_id + " (" + Shorten(e.name, kDescriptionTextCharsMax) + ") created as " +
                     std::string(RoleName(e.role));
  if (!e.team.empty()) text += " in team " + e.team;
  if (!e.manager_id.empty()) text += ", manager " + e.manager_id;
  return text;
}
std::string Describe(const UserRoleChanged& e) {
  return "user " + e.user_id + " now has role " + std::string(RoleName(e.role));
}
std::string Describe(const UserTeamChanged& e) {
  return "user " + e.user_id + " moved to team " + (e.team.empty() ? "(none)" : e.team) + ", manager " +
         UserRef(e.manager_id);
}
std::string Describe(const UserDeactivated& e) {
  return "user " + e.user_id + " deactivated" + Reason(e.reason);
}
std::string Describe(const CustomersHandedOver& e) {
  return "handover of " + std::to_string(e.customer_ids.size()) + " customers from " + e.from_user_id + " to " +
         e.to_user_id + Reason(e.reason);
}
std::string Describe(const PolicyChanged& e) {
  const Policy& p = e.policy;
  return "policy set: potential " + std::to_string(p.potential_days) + "d, intention " +
         std::to_string(p.intention_days) + "d, review " + std::to_string(p.review_working_days) +
         " working days, cooldown " + std::to_string(p.abandon_cooldown_days) + "d, " +
         std::to_string(p.holidays.size()) + " holidays, zone " + p.time_zone;
}
std::string Describe(const CustomerRegistered& e) {
  return "registered " + Quoted(e.name) + " (" + Shorten(e.region, kDescriptionTextCharsMax) + ", " +
         Shorten(e.industry, kDescriptionTextCharsMax) + ")";
}
std::string Describe(const CustomerProtected& e) {
  return "protected for " + e.owner_id + " until " + FormatTime(e.deadline_ms) + ", review by " +
         FormatTime(e.review_deadline_ms) + " (" + std::string(ProtectionSourceName(e.source)) + ")";
}
std::string Describe(const ProtectionApproved& e) {
  return "protection of " + e.owner_id + " approved" + Reason(e.reason);
}
std::string Describe(const ProtectionRejected& e) {
  return "protection of " + e.owner_id + " rejected, released to the pool" + Reason(e.reason);
}
std::string Describe(const ProtectionReviewTimedOut& e) {
  return "review not done by " + FormatTime(e.review_deadline_ms) + ": " + e.owner_id + "'s hold released to the pool";
}
std::string Describe(const ContactAdded& e) {
  std::string text = "contact " + e.contact_id + " " + Quoted(e.name);
  if (!e.title.empty()) text += " (" + Shorten(e.title, kDescriptionTextCharsMax) + ")";
  if (!e.mobile.empty()) text += ", mobile " + e.mobile;
  if (!e.phone.empty()) text += ", phone " + e.phone;
  return text;
}
std::string Describe(const FollowUpRecorded& e) {
  std::string text =
      "follow-up " + e.follow_up_id + " by " + std::string(FollowUpChannelName(e.channel)) + ": " + Quoted(e.notes);
  if (e.next_contact_at_ms.has_value()) text += ", next contact " + FormatTime(*e.next_contact_at_ms);
  return text;
}
std::string Describe(const ExtensionRequested& e) {
  return "extension " + e.request_id + " of " + std::to_string(e.days) + " days requested" + Reason(e.reason);
}
std::string Describe(const ExtensionGranted& e) {
  return "extension " + e.request_id + " granted: +" + std::to_string(e.days) + " days, now until " +
         FormatTime(e.deadline_ms) + Reason(e.reason);
}
std::string Describe(const ExtensionDenied& e) {
  return "extension " + e.request_id + " denied" + Reason(e.reason);
}
std::string Describe(const PromotionRequested& e) {
  return "promotion " + e.request_id + " requested" + Reason(e.reason);
}
std::string Describe(const CustomerPromoted& e) {
  return "promoted to intention until " + FormatTime(e.deadline_ms) +
         (e.request_id.empty() ? std::string(" (no approval needed)") : " (request " + e.request_id + ")") +
         Reason(e.reason);
}
std::string Describe(const PromotionDenied& e) {
  return "promotion " + e.request_id + " denied" + Reason(e.reason);
}
std::string Describe(const CustomerAbandoned& e) {
  return "abandoned by " + e.owner_id + ", released to the pool; " + e.owner_id + " may not claim it before " +
         FormatTime(e.cooldown_until_ms) + Reason(e.reason);
}
std::string Describe(const ProtectionExpired& e) {
  return std::string(HeldStageName(e.stage)) + " hold of " + e.owner_id + " expired at " + FormatTime(e.deadline_ms) +
         ", released to the pool";
}
std::string Describe(const CustomerReassigned& e) {
  return "reassigned from " + e.from_user_id + " to " + e.to_user_id + Reason(e.reason);
}
std::string Describe(const CustomerHandedToAftersales& e) {
  return "formal with contract " + e.contract_no + ": handed from " + e.from_user_id + " to after-sales " +
         e.aftersales_owner_id;
}
std::string Describe(const ContractSigned& e) {
  return "contract " + e.contract_no + " signed " + FormatTime(e.signed_at_ms) + ": " + std::to_string(e.lines.size()) +
         (e.lines.size() == 1 ? " line" : " lines") + ", total " + FormatYuan(e.total_fen) + " yuan, credited to " +
         UserRef(e.sales_owner_id);
}
std::string Describe(const PaymentRecorded& e) {
  return "payment " + e.payment_id + " of " + FormatYuan(e.amount_fen) + " yuan on contract " + e.contract_no +
         ", paid " + FormatTime(e.paid_at_ms) + " by " + Shorten(e.method, kDescriptionTextCharsMax);
}

}  // namespace

std::string DescribeEvent(const events::Event& event) {
  return std::visit([](const auto& e) { return Describe(e); }, event);
}

std::string Shorten(std::string_view text, std::size_t chars_max) {
  std::string out;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const bool starts_char = (byte & 0xC0) != 0x80;
    if (starts_char && ++chars > chars_max) return out + "…";
    out.push_back(text[i] == '\n' || text[i] == '\r' || text[i] == '\t' ? ' ' : text[i]);
  }
  return out;
}

std::string FormatYuan(events::Fen fen) {
  const bool negative = fen < 0;
  // Unsigned, so that the most negative fen prints too.
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(fen) : static_cast<std::uint64_t>(fen);
  char text[32];
  std::snprintf(text, sizeof text, "%s%" PRIu64 ".%02" PRIu64, negative ? "-" : "", magnitude / kFenPerYuan,
                magnitude % kFenPerYuan);
  return text;
}

}  // namespace crm::replay
