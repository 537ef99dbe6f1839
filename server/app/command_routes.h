// The command endpoints of api.md: customers, contracts, users, policy, and the test clock.
#pragma once

#include "server/app/app_context.h"
#include "server/app/router.h"

namespace crm::server::app {

void AddCustomerCommandRoutes(Router& router, AppContext& app);
void AddAdminCommandRoutes(Router& router, AppContext& app);

}  // namespace crm::server::app
