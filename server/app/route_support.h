// What the routes share: JSON answers and refusals, the query of a read, role checks, the point
// a read answers at (now, or asOf), reading a view there, and cursor pages.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "events/status.h"
#include "server/api/query_params.h"
#include "server/app/app_context.h"
#include "server/http/http_types.h"

namespace crm::server::app {

using Json = nlohmann::ordered_json;

// An answer already serialized: pages are written item by item instead of as one document
// built and then printed (docs/benchmarks.md, "Peers": the pool page).
struct JsonText {
  explicit JsonText(const Json& value);
  explicit JsonText(std::string serialized) : text(std::move(serialized)) {}
  std::string text;
};

// The one way the server prints JSON: UTF-8 as is, anything malformed replaced by U+FFFD.
std::string DumpJson(const Json& value);

http::HttpResponse JsonResponse(unsigned status, const Json& body);
http::HttpResponse JsonResponse(unsigned status, JsonText body);
// The api.md error body with the status's HTTP status.
http::HttpResponse StatusResponse(const Status& status);

// 403 role_forbidden unless `caller` has one of `roles`.
Status RequireRole(const aggregates::UserState& caller, std::initializer_list<events::Role> roles);

// The request's query as api::QueryParams: a name given twice is duplicate_parameter, a name
// or value that is not UTF-8 invalid_utf8, a name not in `known` unknown_parameter (asOf is
// always known: every read takes it).
Result<api::QueryParams> ReadQuery(const http::HttpRequest& request, const std::vector<std::string_view>& known);

// Where a read answers: the log up to `seq`, read at `now_ms` (rule 13 applied then).
struct ReadPoint {
  bool as_of = false;  // false: now, served by the live views
  events::Seq seq = 0;
  events::TimeMs now_ms = 0;
};

// Waits until every view has folded `seq`: 503 projection_lagging after
// AppOptions::read_wait_ms.
Status WaitForViews(AppContext& app, events::Seq seq);

// Now: the log's head when the request started, once every view has folded it (read your
// writes; 503 projection_lagging after AppOptions::read_wait_ms). asOf=<time>: the last event
// recorded at or before it, read at that time; a time after now is invalid_as_of.
// asOf=seq:<N>: up to N (beyond the head is invalid_as_of), read at N's recorded time.
Result<ReadPoint> ResolveReadPoint(AppContext& app, const api::QueryParams& query);

// Calls `reader(view)` with the view `name` at `point`: the live view under its read lock, or a
// private fold as of the point. `reader` returns a Status.
template <class View, class Reader>
Status ReadView(AppContext& app, const ReadPoint& point, std::string_view name, Reader&& reader) {
  if (!point.as_of) {
    Status inner = Status::Ok();
    CRM_RETURN_IF_ERROR(
        app.views.Read<View>(name, [&](const View& view, events::Seq) { inner = reader(view); }));
    return inner;
  }
  CRM_ASSIGN_OR_RETURN(const projections::store::AsOfView as_of, app.views.AsOf(name, point.seq));
  const auto* view = dynamic_cast<const View*>(as_of.projection.get());
  if (view == nullptr) return Status::Internal("projection_type", "view '" + std::string(name) + "' is another type");
  return reader(*view);
}

// One page of a list whose items come in ascending key order (keys unique).
class PageBuilder {
 public:
  // `request` from api::ParsePageRequest. A cursor is only valid at the point it was issued
  // for: an asOf cursor at the same seq, a "now" cursor (seq 0) now.
  static Result<PageBuilder> Start(const api::QueryParams& query, const ReadPoint& point, std::size_t items_max);

  // What to do with the next item: skip it (at or before the cursor), take it (Add), or stop
  // (the page is full; one more item having been offered, nextCursor is set, so a next page
  // is only announced when it exists).
  enum class Offer : unsigned char { kSkip, kTake, kStop };
  Offer Consider(std::string_view key);
  // The key the page starts after (empty on a first page): a list that can seek starts there
  // instead of offering every earlier item to be skipped.
  std::string_view after_key() const {
    // Both arms string_view: with a std::string and "" the conditional is a temporary string.
    return request_.cursor.has_value() ? std::string_view(request_.cursor->after_key) : std::string_view();
  }
  // REQUIRES: Consider(key) answered kTake.
  void Add(std::string key, const Json& item);
  // The same with the item already serialized (one JSON value).
  void AddSerialized(std::string key, std::string_view item);
  // {"items": [...], "nextCursor": "…" | null, ...then each field of `more_fields`}
  JsonText Finish(const Json& more_fields = Json::object()) &&;

 private:
  PageBuilder(api::PageRequest request, events::Seq pinned_seq)
      : request_(std::move(request)), pinned_seq_(pinned_seq) {}

  api::PageRequest request_;
  events::Seq pinned_seq_;
  std::string body_ = "{\"items\":[";  // the items so far, each followed by a comma
  std::size_t items_ = 0;
  std::string last_key_;
  bool more_ = false;
};

// A fixed-width decimal of a time, so that keys sort as the times do (negative times sort first).
std::string TimeKey(events::TimeMs time_ms);

}  // namespace crm::server::app
