// GET /v1/search, /v1/customers/{id}, /v1/customers/{id}/history, /v1/pool, /v1/ownership,
// /v1/reminders, /v1/contracts/{no}.
#include <algorithm>

#include "aggregates/stream_ids.h"
#include "projections/json/event_json.h"
#include "projections/json/view_json.h"
#include "projections/store/customer_360_reader.h"
#include "server/app/read_routes.h"

namespace crm::server::app {
namespace {

namespace views = projections;
using views::ContractsView;
using views::CustomersView;

constexpr events::TimeMs kReminderHorizonMsDefault = events::kMsPerDay;

std::string SeqKey(events::Seq seq) {
  return TimeKey(static_cast<events::TimeMs>(seq));
}

Status CustomerNotFound(const std::string& id) {
  return Status::NotFound("customer_not_found", "no customer " + id, {{"customerId", id}});
}

Result<std::string> RequiredParam(const api::QueryParams& query, std::string_view name) {
  const auto found = query.find(name);
  if (found == query.end() || found->second.empty()) {
    return Status::InvalidArgument("missing_parameter", "this read needs '" + std::string(name) + "'",
                                   {{"parameter", std::string(name)}});
  }
  return found->second;
}

std::string OptionalParam(const api::QueryParams& query, std::string_view name) {
  const auto found = query.find(name);
  return found == query.end() ? std::string() : found->second;
}

// One customer at a read's point, from its own streams alone (issue 4: "a customer's state as
// of T comes from its stream alone"): no view is folded for an as-of read, however old.
struct CustomerAtPoint {
  std::vector<events::RecordedEvent> events;  // seq order, up to the point
  views::Customer360Report report;             // at the point's time (rule 13 applied)
};

// The customer at `point`, if `viewer` may see it as it stood then (404 otherwise, and for a
// customer not registered by then).
Result<CustomerAtPoint> ReadVisibleCustomer(AppContext& app, const Visibility& viewer, const ReadPoint& point,
                                            const std::string& id) {
  // Every contract the customer has signed, by now: the live view holds them once it has folded
  // the point (contracts are never removed), and reading each stream up to the point drops the
  // ones signed after it.
  CRM_RETURN_IF_ERROR(WaitForViews(app, point.seq));
  std::vector<std::string> streams;
  CRM_RETURN_IF_ERROR(app.views.Read<ContractsView>(
      views::kContractsViewName, [&](const ContractsView& contracts, events::Seq) {
        for (const views::ContractRecord* record : contracts.OfCustomer(id)) {
          streams.push_back(aggregates::ContractStream(record->contract.contract_no));
        }
      }));
  CustomerAtPoint customer;
  CRM_ASSIGN_OR_RETURN(customer.events,
                       views::store::ReadCustomerEvents(app.log, id, aggregates::CustomerStream(id), streams, point.seq));
  views::Customer360 folded(id);
  for (const events::RecordedEvent& recorded : customer.events) folded.Apply(recorded);
  if (!folded.exists()) return CustomerNotFound(id);
  customer.report = folded.At(point.now_ms);
  if (!viewer.SeesCustomerIn(customer.report.stage, customer.report.owner_id, customer.report.review_pending)) {
    return CustomerNotFound(id);
  }
  return customer;
}

// Rule 14: with maskPoolContacts, a pool customer's mobiles read "138****5678" for everyone
// but auditors and admins, until someone claims it.
void MaskPoolMobiles(Json& customer) {
  for (Json& contact : customer["contacts"]) {
    Json& mobile = contact["mobile"];
    if (!mobile.is_string()) continue;
    const std::string number = mobile.get<std::string>();
    if (number.size() == 11) mobile = number.substr(0, 3) + "****" + number.substr(7);
  }
}

Result<Json> Customer360(AppContext& app, const Visibility& viewer, const ReadPoint& point, const std::string& id) {
  CRM_ASSIGN_OR_RETURN(const CustomerAtPoint customer, ReadVisibleCustomer(app, viewer, point, id));
  const views::Customer360Report& report = customer.report;
  Json answer = views::json::Customer360Json(report);
  if (report.stage == events::CustomerStage::kPool && !viewer.SeesEverything() &&
      app.commands.PolicyAt(point.now_ms).mask_pool_contacts) {
    MaskPoolMobiles(answer);
  }
  return answer;
}

Result<JsonText> CustomerHistory(AppContext& app, const Visibility& viewer, const api::QueryParams& query,
                                 const ReadPoint& point, const std::string& id) {
  CRM_ASSIGN_OR_RETURN(PageBuilder page, PageBuilder::Start(query, point, app.options.page_items_max));
  CRM_ASSIGN_OR_RETURN(const CustomerAtPoint customer, ReadVisibleCustomer(app, viewer, point, id));
  for (const events::RecordedEvent& recorded : customer.events) {
    std::string key = SeqKey(recorded.envelope.seq);
    const PageBuilder::Offer offer = page.Consider(key);
    if (offer == PageBuilder::Offer::kStop) break;
    if (offer == PageBuilder::Offer::kTake) page.Add(std::move(key), views::json::ApiEventJson(recorded));
  }
  return std::move(page).Finish();
}

Result<JsonText> Search(AppContext& app, const api::QueryParams& query, const ReadPoint& point) {
  CRM_ASSIGN_OR_RETURN(const std::string text, RequiredParam(query, "q"));
  CRM_ASSIGN_OR_RETURN(PageBuilder page, PageBuilder::Start(query, point, app.options.page_items_max));
  const auto user_name = UserNames(app);
  CRM_RETURN_IF_ERROR(ReadView<CustomersView>(app, point, CustomersView::kName, [&](const CustomersView& customers) {
    for (const views::SearchHit& hit : customers.Search(text, point.now_ms)) {
      const PageBuilder::Offer offer = page.Consider(hit.customer->customer_id);
      if (offer == PageBuilder::Offer::kStop) break;
      if (offer == PageBuilder::Offer::kTake) {
        page.Add(hit.customer->customer_id, views::json::SearchHitJson(hit, user_name));
      }
    }
    return Status::Ok();
  }));
  return std::move(page).Finish();
}

Result<JsonText> Pool(AppContext& app, const api::QueryParams& query, const ReadPoint& point) {
  CRM_ASSIGN_OR_RETURN(PageBuilder page, PageBuilder::Start(query, point, app.options.page_items_max));
  const views::PoolFilter filter{.region = OptionalParam(query, "region"), .industry = OptionalParam(query, "industry")};
  CRM_RETURN_IF_ERROR(ReadView<CustomersView>(app, point, CustomersView::kName, [&](const CustomersView& customers) {
    std::string item;  // reused: the page is the most read list, so its items skip the DOM
    customers.VisitPool(point.now_ms, filter, page.after_key(), [&](const views::PoolEntry& entry) {
      const PageBuilder::Offer offer = page.Consider(entry.customer->customer_id);
      if (offer == PageBuilder::Offer::kTake) {
        item.clear();
        views::json::AppendPoolEntryText(item, entry);
        page.AddSerialized(entry.customer->customer_id, item);
      }
      return offer != PageBuilder::Offer::kStop;
    });
    return Status::Ok();
  }));
  return std::move(page).Finish();
}

// `userId` (default: the caller), when the caller may see that user's lists.
Result<std::string> ListOwner(AppContext& app, const Visibility& viewer, const api::QueryParams& query) {
  std::string user_id = OptionalParam(query, "userId");
  if (user_id.empty()) user_id = viewer.caller().user_id;
  if (!viewer.SeesUser(user_id) || !app.commands.FindUser(user_id).has_value()) {
    return Status::NotFound("user_not_found", "no user " + user_id, {{"userId", user_id}});
  }
  return user_id;
}

// Items in an order the view chose, given sortable keys: sorted by key, then paged.
JsonText PageOfKeyed(PageBuilder page, std::vector<std::pair<std::string, Json>> keyed) {
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [key, item] : keyed) {
    const PageBuilder::Offer offer = page.Consider(key);
    if (offer == PageBuilder::Offer::kStop) break;
    if (offer == PageBuilder::Offer::kTake) page.Add(std::move(key), std::move(item));
  }
  return std::move(page).Finish();
}

Result<JsonText> Ownership(AppContext& app, const Visibility& viewer, const api::QueryParams& query,
                           const ReadPoint& point) {
  CRM_ASSIGN_OR_RETURN(const std::string user_id, ListOwner(app, viewer, query));
  CRM_ASSIGN_OR_RETURN(const std::optional<std::uint32_t> within, api::ParseExpiringWithinDays(query));
  CRM_ASSIGN_OR_RETURN(PageBuilder page, PageBuilder::Start(query, point, app.options.page_items_max));
  std::vector<std::pair<std::string, Json>> keyed;
  CRM_RETURN_IF_ERROR(ReadView<CustomersView>(app, point, CustomersView::kName, [&](const CustomersView& customers) {
    for (const views::OwnedEntry& entry : customers.HeldBy(user_id, point.now_ms, within)) {
      keyed.emplace_back(TimeKey(entry.ends_at_ms) + "/" + entry.customer->customer_id,
                         views::json::OwnedEntryJson(entry, point.now_ms));
    }
    return Status::Ok();
  }));
  return PageOfKeyed(std::move(page), std::move(keyed));
}

Result<JsonText> Reminders(AppContext& app, const Visibility& viewer, const api::QueryParams& query,
                           const ReadPoint& point) {
  CRM_ASSIGN_OR_RETURN(const std::string user_id, ListOwner(app, viewer, query));
  CRM_ASSIGN_OR_RETURN(const std::optional<events::TimeMs> until, api::OptionalTimeParam(query, "until"));
  CRM_ASSIGN_OR_RETURN(PageBuilder page, PageBuilder::Start(query, point, app.options.page_items_max));
  std::vector<std::pair<std::string, Json>> keyed;
  CRM_RETURN_IF_ERROR(ReadView<CustomersView>(app, point, CustomersView::kName, [&](const CustomersView& customers) {
    const events::TimeMs horizon = until.value_or(point.now_ms + kReminderHorizonMsDefault);
    for (const views::ReminderEntry& entry : customers.Reminders(user_id, point.now_ms, horizon)) {
      keyed.emplace_back(TimeKey(entry.next_contact_at_ms) + "/" + entry.customer->customer_id,
                         views::json::ReminderJson(entry));
    }
    return Status::Ok();
  }));
  return PageOfKeyed(std::move(page), std::move(keyed));
}

// A contract at the point, from its customer's stream and its own (like the 360): the live
// contracts view only says whose contract it is.
Result<Json> Contract(AppContext& app, const Visibility& viewer, const ReadPoint& point, const std::string& no) {
  const Status not_found = Status::NotFound("contract_not_found", "no contract " + no, {{"contractNo", no}});
  CRM_RETURN_IF_ERROR(WaitForViews(app, point.seq));
  std::string customer_id;
  CRM_RETURN_IF_ERROR(app.views.Read<ContractsView>(views::kContractsViewName,
                                                    [&](const ContractsView& contracts, events::Seq) {
                                                      const views::ContractRecord* found = contracts.Find(no);
                                                      if (found != nullptr) customer_id = found->contract.customer_id;
                                                    }));
  if (customer_id.empty()) return not_found;
  CRM_ASSIGN_OR_RETURN(const std::vector<events::RecordedEvent> history,
                       views::store::ReadCustomerEvents(app.log, customer_id, aggregates::CustomerStream(customer_id),
                                                        {aggregates::ContractStream(no)}, point.seq));
  ContractsView contracts;
  views::Customer360 customer(customer_id);
  for (const events::RecordedEvent& recorded : history) {
    contracts.Apply(recorded);
    customer.Apply(recorded);
  }
  const views::ContractRecord* record = contracts.Find(no);
  if (record == nullptr) return not_found;  // signed after the point
  const views::Customer360Report report = customer.At(point.now_ms);
  if (!viewer.SeesContract(*record, viewer.SeesCustomerIn(report.stage, report.owner_id, report.review_pending))) {
    return not_found;
  }
  return views::json::ContractJson(*record);
}

}  // namespace

void AddCustomerReadRoutes(Router& router, AppContext& app) {
  router.Add("GET", "/v1/search",
             ReadHandler(app, {"q", "limit", "cursor"},
                         [&app](const Visibility&, const api::QueryParams& query, const ReadPoint& point,
                                const PathParams&) { return Search(app, query, point); }));
  router.Add("GET", "/v1/customers/{id}",
             ReadHandler(app, {}, [&app](const Visibility& viewer, const api::QueryParams&, const ReadPoint& point,
                                         const PathParams& params) {
               return Customer360(app, viewer, point, params.at("id"));
             }));
  router.Add("GET", "/v1/customers/{id}/history",
             ReadHandler(app, {"limit", "cursor"},
                         [&app](const Visibility& viewer, const api::QueryParams& query, const ReadPoint& point,
                                const PathParams& params) {
                           return CustomerHistory(app, viewer, query, point, params.at("id"));
                         }));
  router.Add("GET", "/v1/pool",
             ReadHandler(app, {"region", "industry", "limit", "cursor"},
                         [&app](const Visibility&, const api::QueryParams& query, const ReadPoint& point,
                                const PathParams&) { return Pool(app, query, point); }));
  router.Add("GET", "/v1/ownership",
             ReadHandler(app, {"userId", "expiringWithinDays", "limit", "cursor"},
                         [&app](const Visibility& viewer, const api::QueryParams& query, const ReadPoint& point,
                                const PathParams&) { return Ownership(app, viewer, query, point); }));
  router.Add("GET", "/v1/reminders",
             ReadHandler(app, {"userId", "until", "limit", "cursor"},
                         [&app](const Visibility& viewer, const api::QueryParams& query, const ReadPoint& point,
                                const PathParams&) { return Reminders(app, viewer, query, point); }));
  router.Add("GET", "/v1/contracts/{no}",
             ReadHandler(app, {}, [&app](const Visibility& viewer, const api::QueryParams&, const ReadPoint& point,
                                         const PathParams& params) {
               return Contract(app, viewer, point, params.at("no"));
             }));
}

}  // namespace crm::server::app
