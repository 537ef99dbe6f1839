// GET /v1/health, /metrics, /v1/events (the log as a feed), /v1/users, /v1/policy.
#include <algorithm>

#include "aggregates/stream_ids.h"
#include "events/time_format.h"
#include "projections/json/event_json.h"
#include "server/app/caller.h"
#include "server/app/read_routes.h"
#include "server/metrics/exposition.h"

namespace crm::server::app {
namespace {

using events::Role;

// While a long poll waits, it looks at the server's stop request this often, so that shutdown
// is never held up by a poll for more than this.
constexpr std::chrono::milliseconds kPollSliceMs{100};

Json UserJson(const aggregates::UserState& user) {
  return Json{{"id", user.user_id},
              {"name", user.name},
              {"role", events::RoleName(user.role)},
              {"team", user.team},
              {"managerId", user.manager_id.empty() ? Json(nullptr) : Json(user.manager_id)},
              {"active", user.active}};
}

// Holds one of the event_polls_max places while a poll waits.
class PollSlot {
 public:
  explicit PollSlot(std::atomic<std::size_t>& polls) : polls_(polls) {}
  ~PollSlot() {
    if (taken_) polls_.fetch_sub(1);
  }
  PollSlot(const PollSlot&) = delete;
  PollSlot& operator=(const PollSlot&) = delete;

  bool Take(std::size_t max) {
    if (polls_.fetch_add(1) >= max) {
      polls_.fetch_sub(1);
      return false;
    }
    taken_ = true;
    return true;
  }

 private:
  std::atomic<std::size_t>& polls_;
  bool taken_ = false;
};

// Waits until the log grows past `after`, `wait` passes, or the server stops.
void WaitForEvents(AppContext& app, const http::HttpRequest& request, events::Seq after,
                   std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (app.log.HeadSeq() <= after && !request.stop_token.stop_requested()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return;
    app.log.WaitForHeadAbove(after, std::min(left, kPollSliceMs));
  }
}

Result<Json> EventsFeed(AppContext& app, const http::HttpRequest& request) {
  CRM_ASSIGN_OR_RETURN(const aggregates::UserState caller, Authenticate(request.authorization, app.commands));
  CRM_RETURN_IF_ERROR(RequireRole(caller, {Role::kAuditor, Role::kAdmin}));
  // The feed pages with `after` (a seq), not with a cursor.
  CRM_ASSIGN_OR_RETURN(const api::QueryParams query, ReadQuery(request, {"after", "limit", "waitMs"}));
  CRM_ASSIGN_OR_RETURN(const events::Seq after, api::ParseAfterSeq(query));
  CRM_ASSIGN_OR_RETURN(const std::uint32_t wait_ms, api::ParseWaitMs(query));
  CRM_ASSIGN_OR_RETURN(const api::PageRequest page,
                       api::ParsePageRequest(query, api::PageLimits{.items_default = api::kPageItemsDefault,
                                                                    .items_max = kEventsPageMax}));
  // asOf caps the feed at that point of the log: nothing after it is shown, and nothing waited for.
  events::Seq last = log::kLatestSeq;
  if (query.contains("asOf")) {
    CRM_ASSIGN_OR_RETURN(const ReadPoint point, ResolveReadPoint(app, query));
    if (point.as_of) last = point.seq;
  }
  if (wait_ms > 0 && last == log::kLatestSeq && app.log.HeadSeq() <= after) {
    PollSlot slot(app.event_polls);
    if (!slot.Take(app.options.event_polls_max)) {
      return Status(StatusCode::kResourceExhausted, "too_many_polls",
                    "too many clients are long-polling the feed; poll again without waitMs or later",
                    {{"maxPolls", std::to_string(app.options.event_polls_max)}});
    }
    WaitForEvents(app, request, after, std::chrono::milliseconds(wait_ms));
  }
  Json items = Json::array();
  events::Seq next_after = after;
  if (after < std::min(last, app.log.HeadSeq())) {  // also keeps after + 1 from wrapping
    auto cursor = app.log.Scan(after + 1, last);
    for (; cursor->Valid() && items.size() < page.limit; cursor->Next()) {
      items.push_back(projections::json::ApiEventJson(cursor->event()));
      next_after = cursor->event().envelope.seq;
    }
    CRM_RETURN_IF_ERROR(cursor->status());
  }
  return Json{{"items", std::move(items)}, {"nextAfter", next_after}, {"headSeq", app.log.HeadSeq()}};
}

// The users as of `point`: each one's stream folded up to it (users are never removed, so
// today's list names everyone who existed then; one who did not exist yet has no events).
Result<std::vector<aggregates::UserState>> UsersAt(AppContext& app, const ReadPoint& point) {
  std::vector<aggregates::UserState> users = app.commands.Users();
  if (!point.as_of) return users;
  std::vector<aggregates::UserState> then;
  for (const aggregates::UserState& user : users) {
    CRM_ASSIGN_OR_RETURN(const std::vector<events::RecordedEvent> stream,
                         app.log.ReadStream(aggregates::UserStream(user.user_id),
                                            log::StreamReadOptions{.from_version = 1, .max_seq = point.seq}));
    aggregates::UserState state;
    for (const events::RecordedEvent& recorded : stream) state = aggregates::EvolveUser(std::move(state), recorded.event);
    if (state.exists()) then.push_back(std::move(state));
  }
  return then;
}

// api.md "Users (admin)": administrators manage users, and auditors read everything.
Result<JsonText> Users(AppContext& app, const Visibility& viewer, const api::QueryParams& query,
                       const ReadPoint& point) {
  CRM_RETURN_IF_ERROR(RequireRole(viewer.caller(), {Role::kAdmin, Role::kAuditor}));
  CRM_ASSIGN_OR_RETURN(PageBuilder page, PageBuilder::Start(query, point, app.options.page_items_max));
  CRM_ASSIGN_OR_RETURN(std::vector<aggregates::UserState> users, UsersAt(app, point));
  std::sort(users.begin(), users.end(), [](const auto& a, const auto& b) { return a.user_id < b.user_id; });
  for (const aggregates::UserState& user : users) {
    const PageBuilder::Offer offer = page.Consider(user.user_id);
    if (offer == PageBuilder::Offer::kStop) break;
    if (offer == PageBuilder::Offer::kTake) page.Add(user.user_id, UserJson(user));
  }
  return std::move(page).Finish();
}

http::HttpResponse Answer(Result<Json> answer) {
  if (!answer.ok()) return StatusResponse(answer.status());
  return JsonResponse(200, *answer);
}

}  // namespace

void AddSystemRoutes(Router& router, AppContext& app) {
  router.Add("GET", "/v1/health", [&app](const http::HttpRequest&, const PathParams&) {
    Json health{{"status", "ok"}, {"seq", app.log.HeadSeq()}};
    if (app.clock.is_test()) health["testClock"] = events::FormatRfc3339(app.clock.Now());
    return JsonResponse(200, health);
  });
  router.Add("GET", "/metrics", [&app](const http::HttpRequest& request, const PathParams&) {
    Result<aggregates::UserState> caller = Authenticate(request.authorization, app.commands);
    if (!caller.ok()) return StatusResponse(caller.status());
    const Status allowed = RequireRole(*caller, {Role::kAuditor, Role::kAdmin});
    if (!allowed.ok()) return StatusResponse(allowed);
    http::HttpResponse response;
    response.body = app.metrics.Render();
    response.content_type = std::string(metrics::kExpositionContentType);
    return response;
  });
  router.Add("GET", "/v1/events",
             [&app](const http::HttpRequest& request, const PathParams&) { return Answer(EventsFeed(app, request)); });
  router.Add("GET", "/v1/users",
             ReadHandler(app, {"limit", "cursor"},
                         [&app](const Visibility& viewer, const api::QueryParams& query, const ReadPoint& point,
                                const PathParams&) { return Users(app, viewer, query, point); }));
  router.Add("GET", "/v1/policy",
             ReadHandler(app, {}, [&app](const Visibility&, const api::QueryParams&, const ReadPoint& point,
                                         const PathParams&) -> Result<Json> {
               return projections::json::PolicyJson(app.commands.PolicyAt(point.now_ms));
             }));
}

}  // namespace crm::server::app
