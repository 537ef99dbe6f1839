#include "replay/view_query.h"

#include "aggregates/company_calendar.h"
#include "aggregates/stream_ids.h"
#include "projections/store/customer_360_reader.h"
#include "replay/policy_history.h"
#include "replay/time_format.h"

namespace crm::replay {
namespace {

using ViewJsonValue = projections::json::Json;
namespace views = projections;

}  // namespace

Result<ViewPoint> ResolveViewPoint(const log::EventLog& log, const std::string& text) {
  if (text.starts_with("seq:")) {
    ViewPoint point;
    const std::string digits = text.substr(4);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 19) {
      return Status::InvalidArgument("invalid_as_of", "'" + text + "' is not seq:N");
    }
    point.seq = std::stoull(digits);
    if (point.seq > log.HeadSeq()) {
      return Status::InvalidArgument("invalid_as_of", "the log ends at seq " + std::to_string(log.HeadSeq()));
    }
    if (point.seq > 0) {
      CRM_ASSIGN_OR_RETURN(const events::RecordedEvent event, log.Read(point.seq));
      point.now_ms = event.envelope.recorded_at_ms;
    }
    return point;
  }
  CRM_ASSIGN_OR_RETURN(const events::TimeMs time, ParseTimeArg(text, "as-of"));
  CRM_ASSIGN_OR_RETURN(const events::Seq seq, log.LastSeqAtOrBefore(time));
  return ViewPoint{.seq = seq, .now_ms = time};
}

namespace {

Result<events::TimeMs> TimeOption(const ParsedArgs& parsed, std::string_view name, events::TimeMs fallback) {
  if (!parsed.Has(name)) return fallback;
  return ParseTimeArg(parsed.Get(name), name);
}

Status Require(const ParsedArgs& parsed, std::string_view name, std::string_view view) {
  if (parsed.Has(name)) return Status::Ok();
  return Status::InvalidArgument("missing_option", "view " + std::string(view) + " needs " + std::string(name));
}

template <class View>
Result<const View*> Typed(const views::store::AsOfView& as_of) {
  const auto* view = dynamic_cast<const View*>(as_of.projection.get());
  if (view == nullptr) return Status::Internal("projection_type", "unexpected view type");
  return view;
}

ViewJsonValue Items(ViewJsonValue items) {
  return ViewJsonValue{{"items", std::move(items)}};
}

}  // namespace

Result<ViewJsonValue> QueryView(views::store::ProjectionHost& host, const log::EventLog& log, const std::string& name,
                                const ParsedArgs& parsed, const ViewPoint& point) {
  const events::TimeMs now = point.now_ms;
  CRM_ASSIGN_OR_RETURN(const PolicyHistory policies, PolicyHistory::Load(log, point.seq));
  const events::Policy& policy = policies.AtSeq(point.seq);
  CRM_ASSIGN_OR_RETURN(const aggregates::CompanyCalendar calendar,
                       aggregates::CompanyCalendar::Create(policy.time_zone, policy.holidays));
  const views::LocalDayFn local_day = [calendar](events::TimeMs t) { return std::int64_t{calendar.LocalDay(t)}; };

  if (name == "pool" || name == "ownership" || name == "reminders" || name == "search") {
    CRM_ASSIGN_OR_RETURN(const views::store::AsOfView as_of, host.AsOf("customers", point.seq));
    CRM_ASSIGN_OR_RETURN(const views::CustomersView* customers, Typed<views::CustomersView>(as_of));
    ViewJsonValue items = ViewJsonValue::array();
    if (name == "pool") {
      const views::PoolFilter filter{.region = parsed.Get("--region"), .industry = parsed.Get("--industry")};
      for (const views::PoolEntry& entry : customers->Pool(now, filter)) {
        items.push_back(views::json::PoolEntryJson(entry));
      }
    } else if (name == "ownership") {
      CRM_RETURN_IF_ERROR(Require(parsed, "--user", name));
      std::optional<std::uint32_t> within;
      if (parsed.Has("--expiring-within-days")) {
        const std::string days = parsed.Get("--expiring-within-days");
        if (days.empty() || days.size() > 5 || days.find_first_not_of("0123456789") != std::string::npos) {
          return Status::InvalidArgument("invalid_option", "--expiring-within-days takes a number of days");
        }
        within = static_cast<std::uint32_t>(std::stoul(days));
      }
      for (const views::OwnedEntry& entry : customers->HeldBy(parsed.Get("--user"), now, within)) {
        items.push_back(views::json::OwnedEntryJson(entry, now));
      }
    } else if (name == "reminders") {
      CRM_RETURN_IF_ERROR(Require(parsed, "--user", name));
      CRM_ASSIGN_OR_RETURN(const events::TimeMs until, TimeOption(parsed, "--until", now + events::kMsPerDay));
      for (const views::ReminderEntry& entry : customers->Reminders(parsed.Get("--user"), now, until)) {
        items.push_back(views::json::ReminderJson(entry));
      }
    } else {
      CRM_RETURN_IF_ERROR(Require(parsed, "--q", name));
      const auto no_names = [](std::string_view) { return std::string(); };
      for (const views::SearchHit& hit : customers->Search(parsed.Get("--q"), now)) {
        items.push_back(views::json::SearchHitJson(hit, no_names));
      }
    }
    return Items(std::move(items));
  }
  if (name == "customer") {
    CRM_RETURN_IF_ERROR(Require(parsed, "--id", name));
    const std::string id = parsed.Get("--id");
    CRM_ASSIGN_OR_RETURN(const views::store::AsOfView contracts_as_of, host.AsOf("contracts", point.seq));
    CRM_ASSIGN_OR_RETURN(const views::ContractsView* contracts, Typed<views::ContractsView>(contracts_as_of));
    std::vector<std::string> streams;
    for (const views::ContractRecord* record : contracts->OfCustomer(id)) {
      streams.push_back(aggregates::ContractStream(record->contract.contract_no));
    }
    CRM_ASSIGN_OR_RETURN(const views::Customer360 customer,
                         views::store::ReadCustomer360(log, id, aggregates::CustomerStream(id), streams, point.seq));
    return views::json::Customer360Json(customer.At(now));
  }
  if (name == "contract") {
    CRM_RETURN_IF_ERROR(Require(parsed, "--no", name));
    CRM_ASSIGN_OR_RETURN(const views::store::AsOfView as_of, host.AsOf("contracts", point.seq));
    CRM_ASSIGN_OR_RETURN(const views::ContractsView* contracts, Typed<views::ContractsView>(as_of));
    const views::ContractRecord* record = contracts->Find(parsed.Get("--no"));
    if (record == nullptr) return Status::NotFound("unknown_contract", "no contract " + parsed.Get("--no"));
    return views::json::ContractJson(*record);
  }
  if (name == "funnel" || name == "pool-flow" || name == "salespeople" || name == "revenue" || name == "rfm") {
    CRM_ASSIGN_OR_RETURN(const views::store::AsOfView as_of, host.AsOf("analytics", point.seq));
    CRM_ASSIGN_OR_RETURN(const views::AnalyticsView* analytics, Typed<views::AnalyticsView>(as_of));
    if (name == "funnel") return views::json::FunnelJson(analytics->Funnel(now));
    if (name == "rfm") {
      const views::RfmReport report = analytics->Rfm(now);
      ViewJsonValue items = ViewJsonValue::array();
      for (const views::RfmCustomer& customer : report.customers)
        items.push_back(views::json::RfmCustomerJson(customer));
      return ViewJsonValue{{"items", std::move(items)}, {"medians", views::json::RfmMediansJson(report)}};
    }
    CRM_RETURN_IF_ERROR(Require(parsed, "--from", name));
    CRM_ASSIGN_OR_RETURN(const events::TimeMs from, TimeOption(parsed, "--from", 0));
    CRM_ASSIGN_OR_RETURN(const events::TimeMs to, TimeOption(parsed, "--to", now));
    ViewJsonValue items = ViewJsonValue::array();
    if (name == "pool-flow") {
      CRM_ASSIGN_OR_RETURN(const auto days, analytics->PoolFlow(from, to, now, local_day));
      for (const views::PoolFlowDay& day : days) items.push_back(views::json::PoolFlowDayJson(day));
    } else if (name == "salespeople") {
      CRM_ASSIGN_OR_RETURN(const auto figures, analytics->Salespeople(from, to, now));
      for (const views::SalespersonFigures& user : figures) items.push_back(views::json::SalespersonJson(user));
    } else {
      const std::optional<views::RevenueBucket> bucket = views::ParseRevenueBucket(parsed.Get("--bucket", "month"));
      if (!bucket.has_value()) return Status::InvalidArgument("invalid_option", "--bucket is day or month");
      CRM_ASSIGN_OR_RETURN(const auto points, analytics->Revenue(from, to, *bucket, local_day));
      for (const views::RevenuePoint& revenue : points) items.push_back(views::json::RevenuePointJson(revenue));
    }
    return Items(std::move(items));
  }
  return Status::InvalidArgument("unknown_view", "no view '" + name + "'; views: " + std::string(kViewNames));
}

std::vector<OptionSpec> ViewFilterOptions() {
  return {{"--region", "REGION", "any", "pool: only this region", false},
          {"--industry", "INDUSTRY", "any", "pool: only this industry", false},
          {"--user", "ID", "required for ownership, reminders", "whose customers", false},
          {"--expiring-within-days", "N", "all", "ownership: only holds ending within N days", false},
          {"--until", "TIME", "24 hours after the point", "reminders: due at or before", false},
          {"--q", "TEXT", "required for search", "search: part of a company name", false},
          {"--id", "CUSTOMER", "required for customer", "customer: whose 360", false},
          {"--no", "CONTRACT", "required for contract", "contract: its number", false},
          {"--from", "TIME", "required for pool-flow, salespeople, revenue", "range start", false},
          {"--to", "TIME", "the point's time", "range end (exclusive)", false},
          {"--bucket", "day|month", "month", "revenue: bucket size", false}};
}

}  // namespace crm::replay
