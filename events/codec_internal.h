// Private to the codec: helpers shared by the per-category mapping files, and the per-event
// mapping functions. Each Cap'n Proto struct has exactly one Encode overload (fills the union
// member) and one Decode overload (validates and builds the value).
#pragma once

#include <capnp/list.h>

#include <string>
#include <vector>

#include "events/event_types.h"
#include "events/schema/events.capnp.h"
#include "events/status.h"

namespace crm::events::codec_internal {

inline capnp::Text::Reader AsText(const std::string& s) {
  return {s.data(), s.size()};
}
inline std::string ToString(capnp::Text::Reader t) {
  return {t.begin(), t.size()};
}
// Into an existing string, keeping its capacity (decoding into reused events).
inline void AssignText(std::string& out, capnp::Text::Reader t) {
  out.assign(t.begin(), t.size());
}

void SetTextList(const std::vector<std::string>& values, capnp::List<capnp::Text>::Builder list);
std::vector<std::string> ToStringList(capnp::List<capnp::Text>::Reader list);

Result<Sha256Digest> ToDigest(capnp::Data::Reader data, const char* field);

// Maps a schema enum onto the domain enum with the same ordinals; values written by a newer
// schema that this build does not know are refused rather than guessed.
template <typename DomainEnum, typename SchemaEnum>
Result<DomainEnum> ToDomainEnum(SchemaEnum value, int known_count, const char* field) {
  const auto raw = static_cast<int>(value);
  if (raw < 0 || raw >= known_count) {
    return Status::Corruption("unknown_enum_value",
                              std::string("unknown value ") + std::to_string(raw) + " for " + field);
  }
  return static_cast<DomainEnum>(raw);
}

template <typename SchemaEnum, typename DomainEnum>
SchemaEnum ToSchemaEnum(DomainEnum value) {
  return static_cast<SchemaEnum>(static_cast<int>(value));
}

// Each Decode assigns every field of `out`, which may hold the previous event of its type: a
// scan decodes into one reused event, so strings keep their capacity. On error `out` holds a
// partly decoded value.

// Users, teams, roles and policy (codec_user_events.cc).
void Encode(const UserCreated& e, schema::Event::Builder out);
void Encode(const UserRoleChanged& e, schema::Event::Builder out);
void Encode(const UserTeamChanged& e, schema::Event::Builder out);
void Encode(const UserDeactivated& e, schema::Event::Builder out);
void Encode(const CustomersHandedOver& e, schema::Event::Builder out);
void Encode(const PolicyChanged& e, schema::Event::Builder out);
Status Decode(schema::UserCreated::Reader in, UserCreated& out);
Status Decode(schema::UserRoleChanged::Reader in, UserRoleChanged& out);
Status Decode(schema::UserTeamChanged::Reader in, UserTeamChanged& out);
Status Decode(schema::UserDeactivated::Reader in, UserDeactivated& out);
Status Decode(schema::CustomersHandedOver::Reader in, CustomersHandedOver& out);
Status Decode(schema::PolicyChanged::Reader in, PolicyChanged& out);

// Customers (codec_customer_events.cc).
void Encode(const CustomerRegistered& e, schema::Event::Builder out);
void Encode(const CustomerProtected& e, schema::Event::Builder out);
void Encode(const ProtectionApproved& e, schema::Event::Builder out);
void Encode(const ProtectionRejected& e, schema::Event::Builder out);
void Encode(const ProtectionReviewTimedOut& e, schema::Event::Builder out);
void Encode(const ContactAdded& e, schema::Event::Builder out);
void Encode(const FollowUpRecorded& e, schema::Event::Builder out);
void Encode(const CustomerAbandoned& e, schema::Event::Builder out);
void Encode(const ProtectionExpired& e, schema::Event::Builder out);
void Encode(const CustomerReassigned& e, schema::Event::Builder out);
void Encode(const CustomerHandedToAftersales& e, schema::Event::Builder out);
Status Decode(schema::CustomerRegistered::Reader in, CustomerRegistered& out);
Status Decode(schema::CustomerProtected::Reader in, CustomerProtected& out);
Status Decode(schema::ProtectionApproved::Reader in, ProtectionApproved& out);
Status Decode(schema::ProtectionRejected::Reader in, ProtectionRejected& out);
Status Decode(schema::ProtectionReviewTimedOut::Reader in, ProtectionReviewTimedOut& out);
Status Decode(schema::ContactAdded::Reader in, ContactAdded& out);
Status Decode(schema::FollowUpRecorded::Reader in, FollowUpRecorded& out);
Status Decode(schema::CustomerAbandoned::Reader in, CustomerAbandoned& out);
Status Decode(schema::ProtectionExpired::Reader in, ProtectionExpired& out);
Status Decode(schema::CustomerReassigned::Reader in, CustomerReassigned& out);
Status Decode(schema::CustomerHandedToAftersales::Reader in, CustomerHandedToAftersales& out);

// Extension and promotion requests (codec_request_events.cc).
void Encode(const ExtensionRequested& e, schema::Event::Builder out);
void Encode(const ExtensionGranted& e, schema::Event::Builder out);
void Encode(const ExtensionDenied& e, schema::Event::Builder out);
void Encode(const PromotionRequested& e, schema::Event::Builder out);
void Encode(const CustomerPromoted& e, schema::Event::Builder out);
void Encode(const PromotionDenied& e, schema::Event::Builder out);
Status Decode(schema::ExtensionRequested::Reader in, ExtensionRequested& out);
Status Decode(schema::ExtensionGranted::Reader in, ExtensionGranted& out);
Status Decode(schema::ExtensionDenied::Reader in, ExtensionDenied& out);
Status Decode(schema::PromotionRequested::Reader in, PromotionRequested& out);
Status Decode(schema::CustomerPromoted::Reader in, CustomerPromoted& out);
Status Decode(schema::PromotionDenied::Reader in, PromotionDenied& out);

// Contracts and payments (codec_contract_events.cc).
void Encode(const ContractSigned& e, schema::Event::Builder out);
void Encode(const PaymentRecorded& e, schema::Event::Builder out);
Status Decode(schema::ContractSigned::Reader in, ContractSigned& out);
Status Decode(schema::PaymentRecorded::Reader in, PaymentRecorded& out);

}  // namespace crm::events::codec_internal
