// The read endpoints of api.md ("Reads"), each at now or asOf, each list paged by cursor, each
// showing only what the caller may see (visibility.h).
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "server/app/app_context.h"
#include "server/app/route_support.h"
#include "server/app/router.h"
#include "server/app/visibility.h"

namespace crm::server::app {

// What a read route computes once the caller, query and point are known.
using ReadFn = std::function<Result<JsonText>(const Visibility& viewer, const api::QueryParams& query,
                                              const ReadPoint& point, const PathParams& params)>;

// Authenticates, reads the query (`known` parameters plus asOf), resolves the point, and
// answers 200 with the JSON or the refusal.
RouteHandler ReadHandler(AppContext& app, std::vector<std::string_view> known, ReadFn read);

// A display name by user id, for answers that show ownerName; cached for one request.
std::function<std::string(std::string_view)> UserNames(AppContext& app);

void AddCustomerReadRoutes(Router& router, AppContext& app);
void AddAnalyticsRoutes(Router& router, AppContext& app);
void AddSystemRoutes(Router& router, AppContext& app);

}  // namespace crm::server::app
