// Customer profile, protection, review, contacts, follow-ups and releases <-> schema.
#include "events/codec_internal.h"

namespace crm::events::codec_internal {

void Encode(const CustomerRegistered& e, schema::Event::Builder out) {
  auto b = out.initCustomerRegistered();
  b.setCustomerId(AsText(e.customer_id));
  b.setName(AsText(e.name));
  b.setNormalizedName(AsText(e.normalized_name));
  b.setRegion(AsText(e.region));
  b.setIndustry(AsText(e.industry));
  b.setAddress(AsText(e.address));
  b.setPhone(AsText(e.phone));
  b.setIntro(AsText(e.intro));
  b.setWebsite(AsText(e.website));
}

Result<Event> Decode(schema::CustomerRegistered::Reader in) {
  return Event(CustomerRegistered{
      .customer_id = ToString(in.getCustomerId()),
      .name = ToString(in.getName()),
      .normalized_name = ToString(in.getNormalizedName()),
      .region = ToString(in.getRegion()),
      .industry = ToString(in.getIndustry()),
      .address = ToString(in.getAddress()),
      .phone = ToString(in.getPhone()),
      .intro = ToString(in.getIntro()),
      .website = ToString(in.getWebsite()),
  });
}

void Encode(const CustomerProtected& e, schema::Event::Builder out) {
  auto b = out.initCustomerProtected();
  b.setCustomerId(AsText(e.customer_id));
  b.setOwnerId(AsText(e.owner_id));
  b.setSource(ToSchemaEnum<schema::ProtectionSource>(e.source));
  b.setDeadlineMs(e.deadline_ms);
  b.setReviewDeadlineMs(e.review_deadline_ms);
}

Result<Event> Decode(schema::CustomerProtected::Reader in) {
  CustomerProtected e;
  e.customer_id = ToString(in.getCustomerId());
  e.owner_id = ToString(in.getOwnerId());
  CRM_ASSIGN_OR_RETURN(
      e.source, ToDomainEnum<ProtectionSource>(in.getSource(), kProtectionSourceCount, "CustomerProtected.source"));
  e.deadline_ms = in.getDeadlineMs();
  e.review_deadline_ms = in.getReviewDeadlineMs();
  return Event(std::move(e));
}

// ProtectionApproved and ProtectionRejected share one shape; each keeps its own schema struct so
// that either can grow a field without touching the other.
template <typename Value, typename Builder>
void EncodeReviewDecision(const Value& e, Builder b) {
  b.setCustomerId(AsText(e.customer_id));
  b.setOwnerId(AsText(e.owner_id));
  b.setReason(AsText(e.reason));
}

template <typename Value, typename Reader>
Result<Event> DecodeReviewDecision(Reader in) {
  return Event(Value{
      .customer_id = ToString(in.getCustomerId()),
      .owner_id = ToString(in.getOwnerId()),
      .reason = ToString(in.getReason()),
  });
}

void Encode(const ProtectionApproved& e, schema::Event::Builder out) {
  EncodeReviewDecision(e, out.initProtectionApproved());
}
Result<Event> Decode(schema::ProtectionApproved::Reader in) {
  return DecodeReviewDecision<ProtectionApproved>(in);
}

void Encode(const ProtectionRejected& e, schema::Event::Builder out) {
  EncodeReviewDecision(e, out.initProtectionRejected());
}
Result<Event> Decode(schema::ProtectionRejected::Reader in) {
  return DecodeReviewDecision<ProtectionRejected>(in);
}

void Encode(const ProtectionReviewTimedOut& e, schema::Event::Builder out) {
  auto b = out.initProtectionReviewTimedOut();
  b.setCustomerId(AsText(e.customer_id));
  b.setOwnerId(AsText(e.owner_id));
  b.setReviewDeadlineMs(e.review_deadline_ms);
}

Result<Event> Decode(schema::ProtectionReviewTimedOut::Reader in) {
  return Event(ProtectionReviewTimedOut{
      .customer_id = ToString(in.getCustomerId()),
      .owner_id = ToString(in.getOwnerId()),
      .review_deadline_ms = in.getReviewDeadlineMs(),
  });
}

void Encode(const ContactAdded& e, schema::Event::Builder out) {
  auto b = out.initContactAdded();
  b.setCustomerId(AsText(e.customer_id));
  b.setContactId(AsText(e.contact_id));
  b.setName(AsText(e.name));
  b.setTitle(AsText(e.title));
  b.setMobile(AsText(e.mobile));
  b.setPhone(AsText(e.phone));
  b.setEmail(AsText(e.email));
  b.setPostcode(AsText(e.postcode));
}

Result<Event> Decode(schema::ContactAdded::Reader in) {
  return Event(ContactAdded{
      .customer_id = ToString(in.getCustomerId()),
      .contact_id = ToString(in.getContactId()),
      .name = ToString(in.getName()),
      .title = ToString(in.getTitle()),
      .mobile = ToString(in.getMobile()),
      .phone = ToString(in.getPhone()),
      .email = ToString(in.getEmail()),
      .postcode = ToString(in.getPostcode()),
  });
}

void Encode(const FollowUpRecorded& e, schema::Event::Builder out) {
  auto b = out.initFollowUpRecorded();
  b.setCustomerId(AsText(e.customer_id));
  b.setFollowUpId(AsText(e.follow_up_id));
  b.setChannel(ToSchemaEnum<schema::FollowUpChannel>(e.channel));
  b.setNotes(AsText(e.notes));
  if (e.next_contact_at_ms.has_value()) {
    b.getNextContact().setAtMs(*e.next_contact_at_ms);
  } else {
    b.getNextContact().setNone();
  }
}

Result<Event> Decode(schema::FollowUpRecorded::Reader in) {
  FollowUpRecorded e;
  e.customer_id = ToString(in.getCustomerId());
  e.follow_up_id = ToString(in.getFollowUpId());
  CRM_ASSIGN_OR_RETURN(
      e.channel, ToDomainEnum<FollowUpChannel>(in.getChannel(), kFollowUpChannelCount, "FollowUpRecorded.channel"));
  e.notes = ToString(in.getNotes());
  const auto next = in.getNextContact();
  switch (next.which()) {
    case schema::FollowUpRecorded::NextContact::NONE: break;
    case schema::FollowUpRecorded::NextContact::AT_MS: e.next_contact_at_ms = next.getAtMs(); break;
    default: return Status::Corruption("unknown_union_member", "unknown FollowUpRecorded.nextContact member");
  }
  return Event(std::move(e));
}

void Encode(const CustomerAbandoned& e, schema::Event::Builder out) {
  auto b = out.initCustomerAbandoned();
  b.setCustomerId(AsText(e.customer_id));
  b.setOwnerId(AsText(e.owner_id));
  b.setReason(AsText(e.reason));
  b.setCooldownUntilMs(e.cooldown_until_ms);
}

Result<Event> Decode(schema::CustomerAbandoned::Reader in) {
  return Event(CustomerAbandoned{
      .customer_id = ToString(in.getCustomerId()),
      .owner_id = ToString(in.getOwnerId()),
      .reason = ToString(in.getReason()),
      .cooldown_until_ms = in.getCooldownUntilMs(),
  });
}

void Encode(const ProtectionExpired& e, schema::Event::Builder out) {
  auto b = out.initProtectionExpired();
  b.setCustomerId(AsText(e.customer_id));
  b.setOwnerId(AsText(e.owner_id));
  b.setStage(ToSchemaEnum<schema::HeldStage>(e.stage));
  b.setDeadlineMs(e.deadline_ms);
}

Result<Event> Decode(schema::ProtectionExpired::Reader in) {
  ProtectionExpired e;
  e.customer_id = ToString(in.getCustomerId());
  e.owner_id = ToString(in.getOwnerId());
  CRM_ASSIGN_OR_RETURN(e.stage, ToDomainEnum<HeldStage>(in.getStage(), kHeldStageCount, "ProtectionExpired.stage"));
  e.deadline_ms = in.getDeadlineMs();
  return Event(std::move(e));
}

void Encode(const CustomerReassigned& e, schema::Event::Builder out) {
  auto b = out.initCustomerReassigned();
  b.setCustomerId(AsText(e.customer_id));
  b.setFromUserId(AsText(e.from_user_id));
  b.setToUserId(AsText(e.to_user_id));
  b.setReason(AsText(e.reason));
}

Result<Event> Decode(schema::CustomerReassigned::Reader in) {
  return Event(CustomerReassigned{
      .customer_id = ToString(in.getCustomerId()),
      .from_user_id = ToString(in.getFromUserId()),
      .to_user_id = ToString(in.getToUserId()),
      .reason = ToString(in.getReason()),
  });
}

void Encode(const CustomerHandedToAftersales& e, schema::Event::Builder out) {
  auto b = out.initCustomerHandedToAftersales();
  b.setCustomerId(AsText(e.customer_id));
  b.setContractNo(AsText(e.contract_no));
  b.setFromUserId(AsText(e.from_user_id));
  b.setAftersalesOwnerId(AsText(e.aftersales_owner_id));
}

Result<Event> Decode(schema::CustomerHandedToAftersales::Reader in) {
  return Event(CustomerHandedToAftersales{
      .customer_id = ToString(in.getCustomerId()),
      .contract_no = ToString(in.getContractNo()),
      .from_user_id = ToString(in.getFromUserId()),
      .aftersales_owner_id = ToString(in.getAftersalesOwnerId()),
  });
}

}  // namespace crm::events::codec_internal
