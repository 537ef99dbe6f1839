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

Status Decode(schema::CustomerRegistered::Reader in, CustomerRegistered& e) {
  AssignText(e.customer_id, in.getCustomerId());
  AssignText(e.name, in.getName());
  AssignText(e.normalized_name, in.getNormalizedName());
  AssignText(e.region, in.getRegion());
  AssignText(e.industry, in.getIndustry());
  AssignText(e.address, in.getAddress());
  AssignText(e.phone, in.getPhone());
  AssignText(e.intro, in.getIntro());
  AssignText(e.website, in.getWebsite());
  return Status::Ok();
}

void Encode(const CustomerProtected& e, schema::Event::Builder out) {
  auto b = out.initCustomerProtected();
  b.setCustomerId(AsText(e.customer_id));
  b.setOwnerId(AsText(e.owner_id));
  b.setSource(ToSchemaEnum<schema::ProtectionSource>(e.source));
  b.setDeadlineMs(e.deadline_ms);
  b.setReviewDeadlineMs(e.review_deadline_ms);
}

Status Decode(schema::CustomerProtected::Reader in, CustomerProtected& e) {
  AssignText(e.customer_id, in.getCustomerId());
  AssignText(e.owner_id, in.getOwnerId());
  CRM_ASSIGN_OR_RETURN(
      e.source, ToDomainEnum<ProtectionSource>(in.getSource(), kProtectionSourceCount, "CustomerProtected.source"));
  e.deadline_ms = in.getDeadlineMs();
  e.review_deadline_ms = in.getReviewDeadlineMs();
  return Status::Ok();
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
Status DecodeReviewDecision(Reader in, Value& e) {
  AssignText(e.customer_id, in.getCustomerId());
  AssignText(e.owner_id, in.getOwnerId());
  AssignText(e.reason, in.getReason());
  return Status::Ok();
}

void Encode(const ProtectionApproved& e, schema::Event::Builder out) {
  EncodeReviewDecision(e, out.initProtectionApproved());
}
Status Decode(schema::ProtectionApproved::Reader in, ProtectionApproved& e) {
  return DecodeReviewDecision(in, e);
}

void Encode(const ProtectionRejected& e, schema::Event::Builder out) {
  EncodeReviewDecision(e, out.initProtectionRejected());
}
Status Decode(schema::ProtectionRejected::Reader in, ProtectionRejected& e) {
  return DecodeReviewDecision(in, e);
}

void Encode(const ProtectionReviewTimedOut& e, schema::Event::Builder out) {
  auto b = out.initProtectionReviewTimedOut();
  b.setCustomerId(AsText(e.customer_id));
  b.setOwnerId(AsText(e.owner_id));
  b.setReviewDeadlineMs(e.review_deadline_ms);
}

Status Decode(schema::ProtectionReviewTimedOut::Reader in, ProtectionReviewTimedOut& e) {
  AssignText(e.customer_id, in.getCustomerId());
  AssignText(e.owner_id, in.getOwnerId());
  e.review_deadline_ms = in.getReviewDeadlineMs();
  return Status::Ok();
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

Status Decode(schema::ContactAdded::Reader in, ContactAdded& e) {
  AssignText(e.customer_id, in.getCustomerId());
  AssignText(e.contact_id, in.getContactId());
  AssignText(e.name, in.getName());
  AssignText(e.title, in.getTitle());
  AssignText(e.mobile, in.getMobile());
  AssignText(e.phone, in.getPhone());
  AssignText(e.email, in.getEmail());
  AssignText(e.postcode, in.getPostcode());
  return Status::Ok();
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

Status Decode(schema::FollowUpRecorded::Reader in, FollowUpRecorded& e) {
  AssignText(e.customer_id, in.getCustomerId());
  AssignText(e.follow_up_id, in.getFollowUpId());
  CRM_ASSIGN_OR_RETURN(
      e.channel, ToDomainEnum<FollowUpChannel>(in.getChannel(), kFollowUpChannelCount, "FollowUpRecorded.channel"));
  AssignText(e.notes, in.getNotes());
  const auto next = in.getNextContact();
  switch (next.which()) {
    case schema::FollowUpRecorded::NextContact::NONE: e.next_contact_at_ms.reset(); break;
    case schema::FollowUpRecorded::NextContact::AT_MS: e.next_contact_at_ms = next.getAtMs(); break;
    default: return Status::Corruption("unknown_union_member", "unknown FollowUpRecorded.nextContact member");
  }
  return Status::Ok();
}

void Encode(const CustomerAbandoned& e, schema::Event::Builder out) {
  auto b = out.initCustomerAbandoned();
  b.setCustomerId(AsText(e.customer_id));
  b.setOwnerId(AsText(e.owner_id));
  b.setReason(AsText(e.reason));
  b.setCooldownUntilMs(e.cooldown_until_ms);
}

Status Decode(schema::CustomerAbandoned::Reader in, CustomerAbandoned& e) {
  AssignText(e.customer_id, in.getCustomerId());
  AssignText(e.owner_id, in.getOwnerId());
  AssignText(e.reason, in.getReason());
  e.cooldown_until_ms = in.getCooldownUntilMs();
  return Status::Ok();
}

void Encode(const ProtectionExpired& e, schema::Event::Builder out) {
  auto b = out.initProtectionExpired();
  b.setCustomerId(AsText(e.customer_id));
  b.setOwnerId(AsText(e.owner_id));
  b.setStage(ToSchemaEnum<schema::HeldStage>(e.stage));
  b.setDeadlineMs(e.deadline_ms);
}

Status Decode(schema::ProtectionExpired::Reader in, ProtectionExpired& e) {
  AssignText(e.customer_id, in.getCustomerId());
  AssignText(e.owner_id, in.getOwnerId());
  CRM_ASSIGN_OR_RETURN(e.stage, ToDomainEnum<HeldStage>(in.getStage(), kHeldStageCount, "ProtectionExpired.stage"));
  e.deadline_ms = in.getDeadlineMs();
  return Status::Ok();
}

void Encode(const CustomerReassigned& e, schema::Event::Builder out) {
  auto b = out.initCustomerReassigned();
  b.setCustomerId(AsText(e.customer_id));
  b.setFromUserId(AsText(e.from_user_id));
  b.setToUserId(AsText(e.to_user_id));
  b.setReason(AsText(e.reason));
}

Status Decode(schema::CustomerReassigned::Reader in, CustomerReassigned& e) {
  AssignText(e.customer_id, in.getCustomerId());
  AssignText(e.from_user_id, in.getFromUserId());
  AssignText(e.to_user_id, in.getToUserId());
  AssignText(e.reason, in.getReason());
  return Status::Ok();
}

void Encode(const CustomerHandedToAftersales& e, schema::Event::Builder out) {
  auto b = out.initCustomerHandedToAftersales();
  b.setCustomerId(AsText(e.customer_id));
  b.setContractNo(AsText(e.contract_no));
  b.setFromUserId(AsText(e.from_user_id));
  b.setAftersalesOwnerId(AsText(e.aftersales_owner_id));
}

Status Decode(schema::CustomerHandedToAftersales::Reader in, CustomerHandedToAftersales& e) {
  AssignText(e.customer_id, in.getCustomerId());
  AssignText(e.contract_no, in.getContractNo());
  AssignText(e.from_user_id, in.getFromUserId());
  AssignText(e.aftersales_owner_id, in.getAftersalesOwnerId());
  return Status::Ok();
}

}  // namespace crm::events::codec_internal
