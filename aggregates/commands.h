// What people ask the system to do: one struct per command, plain data. Who asks is not in the
// command: the shell resolves the caller's token to a user and passes it in the decision
// context, so a command can never act for a user named in its body.
//
// Ids the system chooses (customer ids) are chosen by the shell and passed in, so deciders stay
// pure and a decision is reproducible from its inputs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "events/event_types.h"

namespace crm::aggregates {

using events::Fen;
using events::TimeMs;

// ---- Customers (stream customer-<id>) -------------------------------------------------------

// Rule 2. Registers a new customer and protects it for the caller.
struct RegisterCustomer {
  std::string customer_id;  // chosen by the shell
  std::string name;         // the full company name: 行政区划 + 字号 + 行业 + 组织形式
  std::string region;
  std::string industry;
  std::string address;
  std::string phone;
  std::string intro;
  std::string website;  // optional
};

struct ProtectCustomer {};  // rule 3: from the pool

struct ReviewProtection {  // rule 4
  bool approve = false;
  std::string reason;  // required to reject
};

struct AddContact {  // rule 5
  std::string name;
  std::string title;
  std::string mobile;  // mobile and/or phone
  std::string phone;
  std::string email;     // optional
  std::string postcode;  // optional
};

struct RecordFollowUp {  // rule 5
  events::FollowUpChannel channel = events::FollowUpChannel::kPhone;
  std::string notes;
  std::optional<TimeMs> next_contact_at_ms;
};

struct RequestExtension {  // rule 7
  std::uint32_t days = 0;
  std::string reason;
};

struct DecideExtension {  // rule 7
  std::string request_id;
  bool approve = false;
  std::string reason;  // optional
};

struct RequestPromotion {  // rule 8
  std::string reason;
};

struct DecidePromotion {  // rule 8
  std::string request_id;
  bool approve = false;
  std::string reason;  // optional
};

struct AbandonCustomer {  // rule 9
  std::string reason;
};

struct ReassignCustomer {  // rule 12
  std::string to_user_id;
  std::string reason;
};

struct SignContractLine {
  std::string product;
  std::int64_t quantity = 0;
  Fen unit_price_fen = 0;
};

struct SignContract {  // rule 10
  std::string contract_no;
  std::string contract_type;
  TimeMs signed_at_ms = 0;
  std::string payment_method;
  events::ContractBuyer buyer;
  std::vector<SignContractLine> lines;
  std::vector<std::string> extras;  // gifts and promises, written down before signing
  Fen total_fen = 0;                // must equal the sum of the lines
  std::string aftersales_owner_id;  // first contract: else the policy's default
};

using CustomerCommand =
    std::variant<ProtectCustomer, ReviewProtection, AddContact, RecordFollowUp, RequestExtension, DecideExtension,
                 RequestPromotion, DecidePromotion, AbandonCustomer, ReassignCustomer, SignContract>;

// ---- Contracts (stream contract-<no>) -------------------------------------------------------

struct RecordPayment {  // rule 11
  std::string contract_no;
  Fen amount_fen = 0;
  TimeMs paid_at_ms = 0;
  std::string method;
  std::string handler;
  std::string account;
};

// ---- Users (stream user-<id>) ---------------------------------------------------------------

struct CreateUser {
  std::string user_id;
  std::string name;
  events::Role role = events::Role::kSales;
  std::string team;
  std::string manager_id;  // optional
  events::Sha256Digest token_sha256{};
};

struct DeactivateUser {
  std::string user_id;
  std::string reason;
};

struct ChangeUserRole {
  std::string user_id;
  events::Role role = events::Role::kSales;
};

struct ChangeUserTeam {
  std::string user_id;
  std::string team;
  std::string manager_id;
};

using UserCommand = std::variant<CreateUser, DeactivateUser, ChangeUserRole, ChangeUserTeam>;

// Rule 12: every customer of a (typically departing) user to another user.
struct HandOverCustomers {
  std::string from_user_id;
  std::string to_user_id;
  std::string reason;
};

// ---- Policy (stream policy) -----------------------------------------------------------------

struct ChangePolicy {
  events::Policy policy;  // the whole new policy; the shell merges a partial change first
};

}  // namespace crm::aggregates
