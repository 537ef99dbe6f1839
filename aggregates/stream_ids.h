// Which stream each event goes to. The log knows streams only as byte strings; the names below
// are the domain's, and docs/rules.md ("Streams") explains what each one guards.
//
//   customer-<id>   a customer's whole life: registration, protection, requests, release, hand-over
//   contract-<no>   a contract and its payments; created with "no stream yet", so a contract number
//                   is unique by the log's own version check
//   user-<id>       a user's creation, role and team changes, deactivation, handovers from them
//   policy          every policy change
#pragma once

#include <string>
#include <string_view>

namespace crm::aggregates {

inline constexpr std::string_view kPolicyStream = "policy";

std::string CustomerStream(std::string_view customer_id);
std::string ContractStream(std::string_view contract_no);
std::string UserStream(std::string_view user_id);

}  // namespace crm::aggregates
