// The JSON form of every view, exactly as api.md ("Reads") shows it, shared by crm-server's
// answers and crm-replay's as-of and export output so that the two can never drift apart.
//
// Times are RFC 3339 UTC strings, money integer fen, absent values null. Field names are
// api.md's (camelCase).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "projections/analytics_view.h"
#include "projections/contracts_view.h"
#include "projections/customer_360.h"
#include "projections/customers_view.h"

namespace crm::projections::json {

using Json = nlohmann::ordered_json;  // keys in api.md's order, as people read them

// A user's display name by id (the server knows users; the views only know ids); empty when
// unknown, which is written as null.
using UserNameFn = std::function<std::string(std::string_view user_id)>;

Json TimeJson(TimeMs time_ms);

Json SearchHitJson(const SearchHit& hit, const UserNameFn& user_name);
Json PoolEntryJson(const PoolEntry& entry);
// The same entry serialized, appended to `out`: what a page of the pool is made of, written
// without building a document first. PoolEntryJson is this, parsed.
void AppendPoolEntryText(std::string& out, const PoolEntry& entry);
Json OwnedEntryJson(const OwnedEntry& entry, TimeMs now_ms);
Json ReminderJson(const ReminderEntry& entry);

Json ContractJson(const ContractRecord& record);
Json Customer360Json(const Customer360Report& report);

Json FunnelJson(const FunnelReport& report);
Json PoolFlowDayJson(const PoolFlowDay& day);
Json SalespersonJson(const SalespersonFigures& figures);
Json RevenuePointJson(const RevenuePoint& point);
Json RfmCustomerJson(const RfmCustomer& customer);
// The medians a class was decided by.
Json RfmMediansJson(const RfmReport& report);

}  // namespace crm::projections::json
