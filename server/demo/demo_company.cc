#include "server/demo/demo_company.h"

#include <algorithm>

#include "server/demo/demo_people.h"
#include "server/demo/demo_stories.h"

namespace crm::demo {
namespace {

// The last step comes this long before now_ms: "now" is just after the demo, not during it.
constexpr events::TimeMs kQuietBeforeNowMs = 10 * kMinuteMs;
// The salesperson of 华南组 leaves about three weeks before now.
constexpr events::TimeMs kDepartureBeforeNowMinMs = 20 * kDayMs;
constexpr events::TimeMs kDepartureBeforeNowMaxMs = 22 * kDayMs;
// Tokens draw from their own generator, so that deterministic_tokens changes nothing else.
constexpr std::uint64_t kTokenSeedSalt = 0x746f6b656e73ull;  // "tokens"

Status CheckOptions(const DemoOptions& options) {
  if (options.customers < kDemoCustomersMin || options.customers > kDemoCustomersMax) {
    return Status::InvalidArgument("invalid_demo_options", "the demo has " + std::to_string(kDemoCustomersMin) +
                                                               " to " + std::to_string(kDemoCustomersMax) +
                                                               " customers");
  }
  if (options.now_ms <= kDemoHistoryDays * kDayMs) {
    return Status::InvalidArgument("invalid_demo_options", "the demo needs the time its history ends at");
  }
  return Status::Ok();
}

// What the log holds at now, customer by customer (after the last sweep).
Status CountStages(aggregates::CommandService& service, const DemoPlayer& player, std::size_t customers,
                   DemoReport& report) {
  for (std::size_t i = 0; i < customers; ++i) {
    CRM_ASSIGN_OR_RETURN(const aggregates::CustomerState state, service.LoadCustomer(player.CustomerId(i)));
    ++report.customers;
    report.formal += state.hold.stage == events::CustomerStage::kFormal;
    report.in_pool += state.hold.stage == events::CustomerStage::kPool;
    if (!state.hold.held()) continue;
    report.pending_reviews += state.hold.review_pending;
    for (const auto& [id, request] : state.requests) {
      report.pending_requests += request.status == aggregates::RequestStatus::kPending;
    }
  }
  return Status::Ok();
}

}  // namespace

Result<DemoReport> LoadDemoCompany(aggregates::CommandService& service, const DemoOptions& options) {
  CRM_RETURN_IF_ERROR(CheckOptions(options));
  // No user means an empty log: every command but the first admin's needs a user.
  if (!service.Users().empty()) {
    return Status::Conflict("demo_needs_empty_log",
                            "the demo company is loaded into an empty data directory only, and only once");
  }
  DemoTimeline timeline{.start_ms = options.now_ms - kDemoHistoryDays * kDayMs,
                        .now_ms = options.now_ms,
                        .last_step_ms = options.now_ms - kQuietBeforeNowMs,
                        .departure_ms = 0};
  DemoRandom random(options.seed);
  DemoRandom token_random(options.seed ^ kTokenSeedSalt);

  DemoReport report;
  CRM_ASSIGN_OR_RETURN(report.users, CreateDemoUsers(service, options, timeline.start_ms, token_random));
  CRM_RETURN_IF_ERROR(SetDemoPolicy(service, timeline.start_ms + kMinuteMs).status());
  CRM_ASSIGN_OR_RETURN(aggregates::CompanyCalendar calendar,
                       aggregates::CompanyCalendar::Create(events::Policy{}.time_zone, DemoHolidays()));
  const DemoClock clock(std::move(calendar));
  timeline.departure_ms =
      clock.Within(options.now_ms - kDepartureBeforeNowMaxMs, options.now_ms - kDepartureBeforeNowMinMs, random);

  CRM_ASSIGN_OR_RETURN(const std::vector<DemoCustomerProfile> customers,
                       MakeCustomerProfiles(options.customers, random));
  CRM_ASSIGN_OR_RETURN(std::vector<DemoStep> steps, PlanDemo(customers, timeline, clock, random));
  // Time order, and plan order among equal times (a story's steps are planned in order).
  std::stable_sort(steps.begin(), steps.end(), [](const DemoStep& a, const DemoStep& b) { return a.at_ms < b.at_ms; });

  DemoPlayer player(service, customers.size(), timeline.start_ms);
  for (const DemoStep& step : steps) {
    CRM_RETURN_IF_ERROR(player.AdvanceTo(step.at_ms));
    CRM_RETURN_IF_ERROR(step.run(player));
  }
  CRM_RETURN_IF_ERROR(player.AdvanceTo(options.now_ms));
  CRM_RETURN_IF_ERROR(player.Finish(options.now_ms));

  CRM_RETURN_IF_ERROR(CountStages(service, player, customers.size(), report));
  report.contracts = player.contracts();
  report.payments = player.payments();
  report.receivable_fen = player.receivable_fen();
  report.last_seq = player.last_seq();
  for (DemoUser& user : report.users) user.active = user.id != kDepartingSalesId;
  return report;
}

}  // namespace crm::demo
