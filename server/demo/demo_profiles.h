// The demo's customers as a salesperson would type them in, and the contracts they sign: built
// from demo_catalogue.h's words so that every field passes the rulebook's format checks.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "aggregates/commands.h"
#include "events/status.h"
#include "server/demo/demo_catalogue.h"
#include "server/demo/demo_random.h"

namespace crm::demo {

struct DemoCustomerProfile {
  aggregates::RegisterCustomer registration;     // customer_id empty: the service chooses it
  int sales_team = 0;                            // the team covering its city
  std::vector<aggregates::AddContact> contacts;  // one or two; the first is the main contact
  std::string bank;                              // for the buyer on its contracts
  std::string tax_id;                            // 统一社会信用代码, 18 characters
};

// `count` customers, no two with the same normalised name (each city and trade name pair is
// used once). kInternal if the catalogue cannot give `count` distinct names.
Result<std::vector<DemoCustomerProfile>> MakeCustomerProfiles(std::size_t count, DemoRandom& random);

// A follow-up in the words of `note`, naming the customer's main contact.
aggregates::RecordFollowUp FollowUpFrom(const DemoNote& note, const DemoCustomerProfile& customer,
                                        std::optional<events::TimeMs> next_contact_at_ms);

// The first contract: licences for 10-80 users, some modules and services, maybe extras.
// `aftersales_owner_id` empty: the policy's default owner takes the customer.
aggregates::SignContract FirstContract(const DemoCustomerProfile& customer, std::string contract_no,
                                       events::TimeMs signed_at_ms, std::string aftersales_owner_id,
                                       DemoRandom& random);
// A year of maintenance, the follow-on contract after-sales signs.
aggregates::SignContract MaintenanceContract(const DemoCustomerProfile& customer, std::string contract_no,
                                             events::TimeMs signed_at_ms);

}  // namespace crm::demo
