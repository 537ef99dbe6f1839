// Rule 5: contacts and follow-ups, by whoever owns the customer now.
#include <string>

#include "aggregates/customer_rules.h"
#include "aggregates/domain_errors.h"
#include "aggregates/field_checks.h"

namespace crm::aggregates::internal {
namespace {

Status CheckContact(const AddContact& c) {
  CRM_RETURN_IF_ERROR(CheckRequiredText("name", c.name, kShortTextBytesMax));
  CRM_RETURN_IF_ERROR(CheckRequiredText("title", c.title, kShortTextBytesMax));
  if (c.mobile.empty() && c.phone.empty()) {
    return errors::InvalidField("contact_number_required", "mobile", "a contact needs a mobile or a landline number");
  }
  if (!c.mobile.empty() && !IsMobileNumber(c.mobile)) {
    return errors::InvalidField("invalid_mobile", "mobile", "a mobile number has 11 digits and starts with 1");
  }
  if (!c.phone.empty() && !IsLandlineNumber(c.phone)) {
    return errors::InvalidField("invalid_phone", "phone",
                                "a landline is an area code and 7 or 8 digits, e.g. 0523-84561234");
  }
  if (!c.email.empty() && !IsEmailAddress(c.email)) {
    return errors::InvalidField("invalid_email", "email", "the e-mail address is not valid");
  }
  if (!c.postcode.empty() && !IsPostcode(c.postcode)) {
    return errors::InvalidField("invalid_postcode", "postcode", "a postcode has 6 digits");
  }
  return Status::Ok();
}

}  // namespace

Result<Events> Decide(const AddContact& command, const CustomerView& view, const DecisionContext& ctx) {
  CRM_RETURN_IF_ERROR(RequireHolderOrOwner(view, ctx));
  CRM_RETURN_IF_ERROR(CheckContact(command));
  const CustomerState& state = view.state;
  return Events{ByCaller(view, ctx,
                         events::ContactAdded{.customer_id = state.customer_id,
                                              .contact_id = "k" + std::to_string(state.contact_count + 1),
                                              .name = command.name,
                                              .title = command.title,
                                              .mobile = command.mobile,
                                              .phone = command.phone,
                                              .email = command.email,
                                              .postcode = command.postcode})};
}

Result<Events> Decide(const RecordFollowUp& command, const CustomerView& view, const DecisionContext& ctx) {
  CRM_RETURN_IF_ERROR(RequireHolderOrOwner(view, ctx));
  CRM_RETURN_IF_ERROR(CheckRequiredText("notes", command.notes, kLongTextBytesMax));
  if (command.next_contact_at_ms.has_value() && *command.next_contact_at_ms <= ctx.now_ms) {
    return errors::InvalidField("invalid_next_contact_at", "nextContactAt",
                                "the next contact time must be in the future");
  }
  const CustomerState& state = view.state;
  return Events{ByCaller(view, ctx,
                         events::FollowUpRecorded{.customer_id = state.customer_id,
                                                  .follow_up_id = "f" + std::to_string(state.follow_up_count + 1),
                                                  .channel = command.channel,
                                                  .notes = command.notes,
                                                  .next_contact_at_ms = command.next_contact_at_ms})};
}

}  // namespace crm::aggregates::internal
