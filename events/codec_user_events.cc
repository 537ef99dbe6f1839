// Users, teams, roles and policy <-> schema.
#include "events/codec_internal.h"

namespace crm::events::codec_internal {
namespace {

Result<Role> ToRole(schema::Role role) {
  return ToDomainEnum<Role>(role, kRoleCount, "role");
}

}  // namespace

void Encode(const UserCreated& e, schema::Event::Builder out) {
  auto b = out.initUserCreated();
  b.setUserId(AsText(e.user_id));
  b.setName(AsText(e.name));
  b.setRole(ToSchemaEnum<schema::Role>(e.role));
  b.setTeam(AsText(e.team));
  b.setManagerId(AsText(e.manager_id));
  b.setTokenSha256(capnp::Data::Reader(e.token_sha256.data(), e.token_sha256.size()));
}

Status Decode(schema::UserCreated::Reader in, UserCreated& e) {
  AssignText(e.user_id, in.getUserId());
  AssignText(e.name, in.getName());
  CRM_ASSIGN_OR_RETURN(e.role, ToRole(in.getRole()));
  AssignText(e.team, in.getTeam());
  AssignText(e.manager_id, in.getManagerId());
  CRM_ASSIGN_OR_RETURN(e.token_sha256, ToDigest(in.getTokenSha256(), "UserCreated.tokenSha256"));
  return Status::Ok();
}

void Encode(const UserRoleChanged& e, schema::Event::Builder out) {
  auto b = out.initUserRoleChanged();
  b.setUserId(AsText(e.user_id));
  b.setRole(ToSchemaEnum<schema::Role>(e.role));
}

Status Decode(schema::UserRoleChanged::Reader in, UserRoleChanged& e) {
  AssignText(e.user_id, in.getUserId());
  CRM_ASSIGN_OR_RETURN(e.role, ToRole(in.getRole()));
  return Status::Ok();
}

void Encode(const UserTeamChanged& e, schema::Event::Builder out) {
  auto b = out.initUserTeamChanged();
  b.setUserId(AsText(e.user_id));
  b.setTeam(AsText(e.team));
  b.setManagerId(AsText(e.manager_id));
}

Status Decode(schema::UserTeamChanged::Reader in, UserTeamChanged& e) {
  AssignText(e.user_id, in.getUserId());
  AssignText(e.team, in.getTeam());
  AssignText(e.manager_id, in.getManagerId());
  return Status::Ok();
}

void Encode(const UserDeactivated& e, schema::Event::Builder out) {
  auto b = out.initUserDeactivated();
  b.setUserId(AsText(e.user_id));
  b.setReason(AsText(e.reason));
}

Status Decode(schema::UserDeactivated::Reader in, UserDeactivated& e) {
  AssignText(e.user_id, in.getUserId());
  AssignText(e.reason, in.getReason());
  return Status::Ok();
}

void Encode(const CustomersHandedOver& e, schema::Event::Builder out) {
  auto b = out.initCustomersHandedOver();
  b.setFromUserId(AsText(e.from_user_id));
  b.setToUserId(AsText(e.to_user_id));
  b.setReason(AsText(e.reason));
  SetTextList(e.customer_ids, b.initCustomerIds(static_cast<unsigned>(e.customer_ids.size())));
}

Status Decode(schema::CustomersHandedOver::Reader in, CustomersHandedOver& e) {
  AssignText(e.from_user_id, in.getFromUserId());
  AssignText(e.to_user_id, in.getToUserId());
  AssignText(e.reason, in.getReason());
  e.customer_ids = ToStringList(in.getCustomerIds());
  return Status::Ok();
}

void Encode(const PolicyChanged& e, schema::Event::Builder out) {
  auto b = out.initPolicyChanged().initPolicy();
  const Policy& p = e.policy;
  b.setPotentialDays(p.potential_days);
  b.setIntentionDays(p.intention_days);
  b.setAbandonCooldownDays(p.abandon_cooldown_days);
  b.setReviewWorkingDays(p.review_working_days);
  b.setMaxProtected(p.max_protected);
  b.setMaxClaimsPerDay(p.max_claims_per_day);
  b.setMaxExtensions(p.max_extensions);
  b.setMaxExtensionDays(p.max_extension_days);
  b.setPromotionNeedsApproval(p.promotion_needs_approval);
  b.setMaskPoolContacts(p.mask_pool_contacts);
  SetTextList(p.holidays, b.initHolidays(static_cast<unsigned>(p.holidays.size())));
  b.setTimeZone(AsText(p.time_zone));
  b.setDefaultAftersalesOwnerId(AsText(p.default_aftersales_owner_id));
}

Status Decode(schema::PolicyChanged::Reader in, PolicyChanged& e) {
  const auto p = in.getPolicy();
  e.policy = Policy{
      .potential_days = p.getPotentialDays(),
      .intention_days = p.getIntentionDays(),
      .abandon_cooldown_days = p.getAbandonCooldownDays(),
      .review_working_days = p.getReviewWorkingDays(),
      .max_protected = p.getMaxProtected(),
      .max_claims_per_day = p.getMaxClaimsPerDay(),
      .max_extensions = p.getMaxExtensions(),
      .max_extension_days = p.getMaxExtensionDays(),
      .promotion_needs_approval = p.getPromotionNeedsApproval(),
      .mask_pool_contacts = p.getMaskPoolContacts(),
      .holidays = ToStringList(p.getHolidays()),
      .time_zone = ToString(p.getTimeZone()),
      .default_aftersales_owner_id = ToString(p.getDefaultAftersalesOwnerId()),
  };
  return Status::Ok();
}

}  // namespace crm::events::codec_internal
