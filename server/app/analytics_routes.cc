// GET /v1/analytics/{funnel,pool-flow,salespeople,revenue,rfm}: dashboards' figures, for
// managers, finance, auditors and admins; salespeople see their own row of /salespeople.
// Ranges are [from, to) in time; days and months are the company's (policy timeZone) as in force
// at the read's point.
#include <optional>
#include <utility>

#include "aggregates/company_calendar.h"
#include "projections/analytics_view.h"
#include "projections/json/view_json.h"
#include "server/app/read_routes.h"

namespace crm::server::app {
namespace {

namespace views = projections;
using events::Role;
using views::AnalyticsView;

constexpr std::string_view kAnalyticsView = "analytics";
// Ranges when a dashboard gives none: the last 30 days, and revenue over the last year.
constexpr events::TimeMs kRangeMsDefault = 30 * events::kMsPerDay;
constexpr events::TimeMs kRevenueRangeMsDefault = 365 * events::kMsPerDay;

Status RequireDashboardRole(const Visibility& viewer) {
  return RequireRole(viewer.caller(), {Role::kManager, Role::kFinance, Role::kAuditor, Role::kAdmin});
}

struct Range {
  events::TimeMs from_ms = 0;
  events::TimeMs to_ms = 0;
};

Result<Range> ReadRange(const api::QueryParams& query, const ReadPoint& point, events::TimeMs default_span_ms) {
  CRM_ASSIGN_OR_RETURN(const std::optional<events::TimeMs> to, api::OptionalTimeParam(query, "to"));
  CRM_ASSIGN_OR_RETURN(const std::optional<events::TimeMs> from, api::OptionalTimeParam(query, "from"));
  Range range;
  range.to_ms = to.value_or(point.now_ms);
  range.from_ms = from.value_or(range.to_ms - default_span_ms);
  return range;
}

Result<views::LocalDayFn> LocalDays(AppContext& app, const ReadPoint& point) {
  const events::Policy policy = app.commands.PolicyAt(point.now_ms);
  CRM_ASSIGN_OR_RETURN(const aggregates::CompanyCalendar calendar,
                       aggregates::CompanyCalendar::Create(policy.time_zone, policy.holidays));
  return views::LocalDayFn([calendar](events::TimeMs t) { return std::int64_t{calendar.LocalDay(t)}; });
}

// `compute`'s answer (a Result of Json or JsonText) from the analytics view at the point.
template <class Compute>
auto WithAnalytics(AppContext& app, const ReadPoint& point, Compute compute)
    -> decltype(compute(std::declval<const AnalyticsView&>())) {
  std::optional<decltype(compute(std::declval<const AnalyticsView&>()))> answer;
  CRM_RETURN_IF_ERROR(ReadView<AnalyticsView>(app, point, kAnalyticsView, [&](const AnalyticsView& analytics) {
    answer.emplace(compute(analytics));
    return Status::Ok();
  }));
  return std::move(*answer);
}

// A page of a figure list whose items are in a fixed order for the read's range (days,
// buckets, users): keyed by position, so the next page continues where this one ended.
template <class Item, class ToJson>
Result<JsonText> PageOf(const api::QueryParams& query, const ReadPoint& point, std::size_t items_max,
                        const std::vector<Item>& items, ToJson to_json) {
  CRM_ASSIGN_OR_RETURN(PageBuilder page, PageBuilder::Start(query, point, items_max));
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string key = TimeKey(static_cast<events::TimeMs>(i));
    const PageBuilder::Offer offer = page.Consider(key);
    if (offer == PageBuilder::Offer::kStop) break;
    if (offer == PageBuilder::Offer::kTake) page.Add(std::move(key), to_json(items[i]));
  }
  return std::move(page).Finish();
}

Result<Json> Funnel(AppContext& app, const Visibility& viewer, const ReadPoint& point) {
  CRM_RETURN_IF_ERROR(RequireDashboardRole(viewer));
  return WithAnalytics(app, point, [&](const AnalyticsView& analytics) -> Result<Json> {
    return views::json::FunnelJson(analytics.Funnel(point.now_ms));
  });
}

Result<JsonText> PoolFlow(AppContext& app, const Visibility& viewer, const api::QueryParams& query,
                          const ReadPoint& point) {
  CRM_RETURN_IF_ERROR(RequireDashboardRole(viewer));
  CRM_ASSIGN_OR_RETURN(const Range range, ReadRange(query, point, kRangeMsDefault));
  CRM_ASSIGN_OR_RETURN(const views::LocalDayFn local_day, LocalDays(app, point));
  return WithAnalytics(app, point, [&](const AnalyticsView& analytics) -> Result<JsonText> {
    CRM_ASSIGN_OR_RETURN(const auto days, analytics.PoolFlow(range.from_ms, range.to_ms, point.now_ms, local_day));
    return PageOf(query, point, app.options.page_items_max, days, views::json::PoolFlowDayJson);
  });
}

Result<JsonText> Salespeople(AppContext& app, const Visibility& viewer, const api::QueryParams& query,
                             const ReadPoint& point) {
  if (viewer.caller().role != Role::kSales) CRM_RETURN_IF_ERROR(RequireDashboardRole(viewer));
  CRM_ASSIGN_OR_RETURN(const Range range, ReadRange(query, point, kRangeMsDefault));
  // Finance reads everyone's revenue; others the users they may see (a salesperson: themselves).
  const bool everyone = viewer.caller().role == Role::kFinance || viewer.SeesEverything();
  return WithAnalytics(app, point, [&](const AnalyticsView& analytics) -> Result<JsonText> {
    CRM_ASSIGN_OR_RETURN(auto figures, analytics.Salespeople(range.from_ms, range.to_ms, point.now_ms));
    std::erase_if(figures, [&](const views::SalespersonFigures& user) {
      return !everyone && !viewer.SeesUser(user.user_id);
    });
    return PageOf(query, point, app.options.page_items_max, figures, views::json::SalespersonJson);
  });
}

Result<JsonText> Revenue(AppContext& app, const Visibility& viewer, const api::QueryParams& query,
                         const ReadPoint& point) {
  CRM_RETURN_IF_ERROR(RequireDashboardRole(viewer));
  CRM_ASSIGN_OR_RETURN(const Range range, ReadRange(query, point, kRevenueRangeMsDefault));
  const auto bucket_param = query.find("bucket");
  const std::string bucket_name = bucket_param == query.end() || bucket_param->second.empty() ? "month"
                                                                                               : bucket_param->second;
  const std::optional<views::RevenueBucket> bucket = views::ParseRevenueBucket(bucket_name);
  if (!bucket.has_value()) {
    return Status::InvalidArgument("invalid_parameter", "bucket is day or month", {{"parameter", "bucket"}});
  }
  CRM_ASSIGN_OR_RETURN(const views::LocalDayFn local_day, LocalDays(app, point));
  return WithAnalytics(app, point, [&](const AnalyticsView& analytics) -> Result<JsonText> {
    CRM_ASSIGN_OR_RETURN(const auto points, analytics.Revenue(range.from_ms, range.to_ms, *bucket, local_day));
    return PageOf(query, point, app.options.page_items_max, points, views::json::RevenuePointJson);
  });
}

Result<JsonText> Rfm(AppContext& app, const Visibility& viewer, const api::QueryParams& query, const ReadPoint& point) {
  CRM_RETURN_IF_ERROR(RequireDashboardRole(viewer));
  CRM_ASSIGN_OR_RETURN(PageBuilder page, PageBuilder::Start(query, point, app.options.page_items_max));
  return WithAnalytics(app, point, [&](const AnalyticsView& analytics) -> Result<JsonText> {
    const views::RfmReport report = analytics.Rfm(point.now_ms);
    for (const views::RfmCustomer& customer : report.customers) {
      const PageBuilder::Offer offer = page.Consider(customer.customer_id);
      if (offer == PageBuilder::Offer::kStop) break;
      if (offer == PageBuilder::Offer::kTake) page.Add(customer.customer_id, views::json::RfmCustomerJson(customer));
    }
    return std::move(page).Finish(Json{{"medians", views::json::RfmMediansJson(report)}});
  });
}

}  // namespace

void AddAnalyticsRoutes(Router& router, AppContext& app) {
  router.Add("GET", "/v1/analytics/funnel",
             ReadHandler(app, {}, [&app](const Visibility& viewer, const api::QueryParams&, const ReadPoint& point,
                                         const PathParams&) { return Funnel(app, viewer, point); }));
  router.Add("GET", "/v1/analytics/pool-flow",
             ReadHandler(app, {"from", "to", "limit", "cursor"},
                         [&app](const Visibility& viewer, const api::QueryParams& query, const ReadPoint& point,
                                const PathParams&) { return PoolFlow(app, viewer, query, point); }));
  router.Add("GET", "/v1/analytics/salespeople",
             ReadHandler(app, {"from", "to", "limit", "cursor"},
                         [&app](const Visibility& viewer, const api::QueryParams& query, const ReadPoint& point,
                                const PathParams&) { return Salespeople(app, viewer, query, point); }));
  router.Add("GET", "/v1/analytics/revenue",
             ReadHandler(app, {"from", "to", "bucket", "limit", "cursor"},
                         [&app](const Visibility& viewer, const api::QueryParams& query, const ReadPoint& point,
                                const PathParams&) { return Revenue(app, viewer, query, point); }));
  router.Add("GET", "/v1/analytics/rfm",
             ReadHandler(app, {"limit", "cursor"},
                         [&app](const Visibility& viewer, const api::QueryParams& query, const ReadPoint& point,
                                const PathParams&) { return Rfm(app, viewer, query, point); }));
}

}  // namespace crm::server::app
