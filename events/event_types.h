// Every event of the product, as plain immutable values.
//
// Events are past-tense facts with a stable persisted name (kName). Once released, an event's
// meaning never changes: a new meaning is a new event type, or a new field whose default keeps
// old events' meaning (docs/storage-format.md, "Schema evolution"). The Cap'n Proto schema in
// events/schema/events.capnp is the on-disk form; codec.h converts between the two.
//
// Which stream an event goes to is the writer's decision (aggregates/), not the event's.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "events/domain_values.h"

namespace crm::events {

using Sha256Digest = std::array<std::uint8_t, 32>;

// ---- Users, teams and roles ---------------------------------------------------------------

struct UserCreated {
  static constexpr std::string_view kName = "UserCreated";
  std::string user_id;
  std::string name;
  Role role = Role::kSales;
  std::string team;
  std::string manager_id;       // empty: none
  Sha256Digest token_sha256{};  // the bearer token is never stored, only its hash
  bool operator==(const UserCreated&) const = default;
};

struct UserRoleChanged {
  static constexpr std::string_view kName = "UserRoleChanged";
  std::string user_id;
  Role role = Role::kSales;
  bool operator==(const UserRoleChanged&) const = default;
};

struct UserTeamChanged {
  static constexpr std::string_view kName = "UserTeamChanged";
  std::string user_id;
  std::string team;
  std::string manager_id;
  bool operator==(const UserTeamChanged&) const = default;
};

struct UserDeactivated {
  static constexpr std::string_view kName = "UserDeactivated";
  std::string user_id;
  std::string reason;
  bool operator==(const UserDeactivated&) const = default;
};

// A manager moved all of a departing user's customers; each move is also a CustomerReassigned
// in the customer's own stream. This event records the handover as one act for the audit.
struct CustomersHandedOver {
  static constexpr std::string_view kName = "CustomersHandedOver";
  std::string from_user_id;
  std::string to_user_id;
  std::string reason;
  std::vector<std::string> customer_ids;
  bool operator==(const CustomersHandedOver&) const = default;
};

// ---- Policy --------------------------------------------------------------------------------

struct PolicyChanged {
  static constexpr std::string_view kName = "PolicyChanged";
  Policy policy;  // the whole policy in force from this event on
  bool operator==(const PolicyChanged&) const = default;
};

// ---- Customers -----------------------------------------------------------------------------

struct CustomerRegistered {
  static constexpr std::string_view kName = "CustomerRegistered";
  std::string customer_id;
  std::string name;             // the full company name as entered
  std::string normalized_name;  // the form duplicates are checked on
  std::string region;
  std::string industry;
  std::string address;
  std::string phone;
  std::string intro;
  std::string website;
  bool operator==(const CustomerRegistered&) const = default;
};

// The customer enters POTENTIAL for owner_id, pending review.
struct CustomerProtected {
  static constexpr std::string_view kName = "CustomerProtected";
  std::string customer_id;
  std::string owner_id;
  ProtectionSource source = ProtectionSource::kRegistration;
  TimeMs deadline_ms = 0;         // POTENTIAL ends here unless promoted, signed or extended
  TimeMs review_deadline_ms = 0;  // released by the system if not reviewed by then
  bool operator==(const CustomerProtected&) const = default;
};

struct ProtectionApproved {
  static constexpr std::string_view kName = "ProtectionApproved";
  std::string customer_id;
  std::string owner_id;
  std::string reason;
  bool operator==(const ProtectionApproved&) const = default;
};

// Releases the customer to the pool at once.
struct ProtectionRejected {
  static constexpr std::string_view kName = "ProtectionRejected";
  std::string customer_id;
  std::string owner_id;
  std::string reason;
  bool operator==(const ProtectionRejected&) const = default;
};

// Releases the customer to the pool; effective at review_deadline_ms.
struct ProtectionReviewTimedOut {
  static constexpr std::string_view kName = "ProtectionReviewTimedOut";
  std::string customer_id;
  std::string owner_id;
  TimeMs review_deadline_ms = 0;
  bool operator==(const ProtectionReviewTimedOut&) const = default;
};

struct ContactAdded {
  static constexpr std::string_view kName = "ContactAdded";
  std::string customer_id;
  std::string contact_id;
  std::string name;
  std::string title;
  std::string mobile;  // empty: none
  std::string phone;   // landline; empty: none
  std::string email;
  std::string postcode;
  bool operator==(const ContactAdded&) const = default;
};

struct FollowUpRecorded {
  static constexpr std::string_view kName = "FollowUpRecorded";
  std::string customer_id;
  std::string follow_up_id;
  FollowUpChannel channel = FollowUpChannel::kPhone;
  std::string notes;
  std::optional<TimeMs> next_contact_at_ms;
  bool operator==(const FollowUpRecorded&) const = default;
};

struct ExtensionRequested {
  static constexpr std::string_view kName = "ExtensionRequested";
  std::string customer_id;
  std::string request_id;
  std::uint32_t days = 0;
  std::string reason;
  bool operator==(const ExtensionRequested&) const = default;
};

struct ExtensionGranted {
  static constexpr std::string_view kName = "ExtensionGranted";
  std::string customer_id;
  std::string request_id;
  std::uint32_t days = 0;
  TimeMs deadline_ms = 0;  // the new deadline
  std::string reason;
  bool operator==(const ExtensionGranted&) const = default;
};

struct ExtensionDenied {
  static constexpr std::string_view kName = "ExtensionDenied";
  std::string customer_id;
  std::string request_id;
  std::string reason;
  bool operator==(const ExtensionDenied&) const = default;
};

struct PromotionRequested {
  static constexpr std::string_view kName = "PromotionRequested";
  std::string customer_id;
  std::string request_id;
  std::string reason;
  bool operator==(const PromotionRequested&) const = default;
};

// The customer enters INTENTION. request_id is empty when no approval was needed.
struct CustomerPromoted {
  static constexpr std::string_view kName = "CustomerPromoted";
  std::string customer_id;
  std::string request_id;
  TimeMs deadline_ms = 0;  // INTENTION ends here unless a contract is signed or it is extended
  std::string reason;
  bool operator==(const CustomerPromoted&) const = default;
};

struct PromotionDenied {
  static constexpr std::string_view kName = "PromotionDenied";
  std::string customer_id;
  std::string request_id;
  std::string reason;
  bool operator==(const PromotionDenied&) const = default;
};

// Releases the customer to the pool; owner_id may not claim it again before cooldown_until_ms.
struct CustomerAbandoned {
  static constexpr std::string_view kName = "CustomerAbandoned";
  std::string customer_id;
  std::string owner_id;
  std::string reason;
  TimeMs cooldown_until_ms = 0;
  bool operator==(const CustomerAbandoned&) const = default;
};

// Releases the customer to the pool; effective at deadline_ms.
struct ProtectionExpired {
  static constexpr std::string_view kName = "ProtectionExpired";
  std::string customer_id;
  std::string owner_id;
  HeldStage stage = HeldStage::kPotential;
  TimeMs deadline_ms = 0;
  bool operator==(const ProtectionExpired&) const = default;
};

// Deadlines are kept (domain rule 12).
struct CustomerReassigned {
  static constexpr std::string_view kName = "CustomerReassigned";
  std::string customer_id;
  std::string from_user_id;
  std::string to_user_id;
  std::string reason;
  bool operator==(const CustomerReassigned&) const = default;
};

// The first contract made the customer FORMAL; it belongs to after-sales from now on.
struct CustomerHandedToAftersales {
  static constexpr std::string_view kName = "CustomerHandedToAftersales";
  std::string customer_id;
  std::string contract_no;
  std::string from_user_id;
  std::string aftersales_owner_id;
  bool operator==(const CustomerHandedToAftersales&) const = default;
};

// ---- Contracts and payments ----------------------------------------------------------------

struct ContractBuyer {
  std::string name;
  std::string tax_id;
  std::string address;
  std::string phone;
  std::string bank;
  std::string bank_account;
  std::string contact_person;
  bool operator==(const ContractBuyer&) const = default;
};

struct ContractLine {
  std::string product;
  std::int64_t quantity = 0;
  Fen unit_price_fen = 0;
  Fen amount_fen = 0;  // quantity × unit price
  bool operator==(const ContractLine&) const = default;
};

struct ContractSigned {
  static constexpr std::string_view kName = "ContractSigned";
  std::string contract_no;
  std::string customer_id;
  std::string contract_type;
  TimeMs signed_at_ms = 0;
  std::string payment_method;
  ContractBuyer buyer;
  std::vector<ContractLine> lines;
  std::vector<std::string> extras;  // gifts and promises (赠送或其他承诺), written down before signing
  Fen total_fen = 0;                // equals the sum of the lines' amounts
  std::string sales_owner_id;
  bool operator==(const ContractSigned&) const = default;
};

struct PaymentRecorded {
  static constexpr std::string_view kName = "PaymentRecorded";
  std::string contract_no;
  std::string customer_id;
  std::string payment_id;
  Fen amount_fen = 0;
  TimeMs paid_at_ms = 0;
  std::string method;
  std::string handler;
  std::string account;
  bool operator==(const PaymentRecorded&) const = default;
};

// The order of alternatives is the order of the schema's union; append new types at the end.
using Event =
    std::variant<UserCreated, UserRoleChanged, UserTeamChanged, UserDeactivated, CustomersHandedOver, PolicyChanged,
                 CustomerRegistered, CustomerProtected, ProtectionApproved, ProtectionRejected,
                 ProtectionReviewTimedOut, ContactAdded, FollowUpRecorded, ExtensionRequested, ExtensionGranted,
                 ExtensionDenied, PromotionRequested, CustomerPromoted, PromotionDenied, CustomerAbandoned,
                 ProtectionExpired, CustomerReassigned, CustomerHandedToAftersales, ContractSigned, PaymentRecorded>;

inline constexpr std::size_t kEventTypeCount = std::variant_size_v<Event>;

// The persisted name of the event's type ("CustomerProtected").
std::string_view EventTypeName(const Event& event);

}  // namespace crm::events
