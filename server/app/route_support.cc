#include "server/app/route_support.h"

#include <algorithm>
#include <cstdio>

#include "events/utf8.h"
#include "server/api/http_errors.h"

namespace crm::server::app {

JsonText::JsonText(const Json& value) : text(DumpJson(value)) {}

std::string DumpJson(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

http::HttpResponse JsonResponse(unsigned status, const Json& body) {
  return JsonResponse(status, JsonText(body));
}

http::HttpResponse JsonResponse(unsigned status, JsonText body) {
  http::HttpResponse response;
  response.status = status;
  response.body = std::move(body.text);
  return response;
}

http::HttpResponse StatusResponse(const Status& status) {
  http::HttpResponse response;
  response.status = static_cast<unsigned>(api::HttpStatusFor(status));
  response.body = api::ErrorBodyJson(status);
  return response;
}

Status RequireRole(const aggregates::UserState& caller, std::initializer_list<events::Role> roles) {
  for (const events::Role role : roles) {
    if (caller.role == role) return Status::Ok();
  }
  std::string allowed;
  for (const events::Role role : roles) allowed += (allowed.empty() ? "" : ", ") + std::string(events::RoleName(role));
  return Status::PermissionDenied("role_forbidden",
                                  "a " + std::string(events::RoleName(caller.role)) + " may not do this (" + allowed +
                                      " may)",
                                  {{"role", std::string(events::RoleName(caller.role))}});
}

Result<api::QueryParams> ReadQuery(const http::HttpRequest& request, const std::vector<std::string_view>& known) {
  if (request.query.size() > api::kQueryParametersMax) {
    return Status::InvalidArgument("invalid_query", "more than " + std::to_string(api::kQueryParametersMax) +
                                                        " query parameters");
  }
  api::QueryParams params;
  for (const auto& [name, value] : request.query) {
    if (!events::IsWellFormedUtf8(name) || !events::IsWellFormedUtf8(value)) {
      return Status::InvalidArgument("invalid_utf8", "a query parameter is not UTF-8");
    }
    if (!params.emplace(name, value).second) {
      return Status::InvalidArgument("duplicate_parameter", "the parameter '" + name + "' is given twice",
                                     {{"parameter", name}});
    }
  }
  std::vector<std::string_view> names = known;
  names.push_back("asOf");
  for (const auto& [name, value] : params) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      return Status::InvalidArgument("unknown_parameter", "this read takes no parameter '" + name + "'",
                                     {{"parameter", name}});
    }
  }
  return params;
}

Status WaitForViews(AppContext& app, events::Seq seq) {
  if (app.views.WaitForApplied(seq, std::chrono::milliseconds(app.options.read_wait_ms))) return Status::Ok();
  return Status::Unavailable("projection_lagging", "the views are still catching up with the log; try again",
                             {{"seq", std::to_string(seq)}});
}

Result<ReadPoint> ResolveReadPoint(AppContext& app, const api::QueryParams& query) {
  CRM_ASSIGN_OR_RETURN(const api::AsOf as_of, api::ParseAsOf(query));
  const events::Seq head = app.log.HeadSeq();
  switch (as_of.kind) {
    case api::AsOf::Kind::kNow: {
      CRM_RETURN_IF_ERROR(WaitForViews(app, head));
      return ReadPoint{.as_of = false, .seq = head, .now_ms = app.clock.Now()};
    }
    case api::AsOf::Kind::kTime: {
      const events::TimeMs now = app.clock.Now();
      if (as_of.time_ms > now) {
        return Status::InvalidArgument("invalid_as_of", "asOf is in the future", {{"parameter", "asOf"}});
      }
      CRM_ASSIGN_OR_RETURN(const events::Seq seq, app.log.LastSeqAtOrBefore(as_of.time_ms));
      return ReadPoint{.as_of = true, .seq = seq, .now_ms = as_of.time_ms};
    }
    case api::AsOf::Kind::kSeq: {
      if (as_of.seq > head) {
        return Status::InvalidArgument("invalid_as_of", "the log ends at seq " + std::to_string(head),
                                       {{"parameter", "asOf"}, {"headSeq", std::to_string(head)}});
      }
      ReadPoint point{.as_of = true, .seq = as_of.seq, .now_ms = 0};
      if (as_of.seq > 0) {
        CRM_ASSIGN_OR_RETURN(const events::RecordedEvent event, app.log.Read(as_of.seq));
        point.now_ms = event.envelope.recorded_at_ms;
      }
      return point;
    }
  }
  return Status::Internal("as_of_kind", "unknown asOf kind");
}

Result<PageBuilder> PageBuilder::Start(const api::QueryParams& query, const ReadPoint& point,
                                       std::size_t items_max) {
  CRM_ASSIGN_OR_RETURN(api::PageRequest request,
                       api::ParsePageRequest(query, api::PageLimits{.items_default = api::kPageItemsDefault,
                                                                    .items_max = items_max}));
  const events::Seq pinned = point.as_of ? point.seq : 0;
  if (request.cursor.has_value() && request.cursor->seq != pinned) {
    return Status::InvalidArgument("invalid_cursor", "this cursor belongs to another asOf; repeat the first page's asOf",
                                   {{"parameter", "cursor"}});
  }
  return PageBuilder(std::move(request), pinned);
}

PageBuilder::Offer PageBuilder::Consider(std::string_view key) {
  if (more_) return Offer::kStop;
  if (request_.cursor.has_value() && key <= request_.cursor->after_key) return Offer::kSkip;
  if (items_ >= request_.limit) {
    more_ = true;
    return Offer::kStop;
  }
  return Offer::kTake;
}

void PageBuilder::Add(std::string key, const Json& item) {
  AddSerialized(std::move(key), DumpJson(item));
}

void PageBuilder::AddSerialized(std::string key, std::string_view item) {
  last_key_ = std::move(key);
  body_.append(item);
  body_.push_back(',');
  ++items_;
}

JsonText PageBuilder::Finish(const Json& more_fields) && {
  if (items_ > 0) body_.pop_back();  // the last item's comma
  body_.append("],\"nextCursor\":");
  if (more_) {
    body_.append(DumpJson(api::EncodeCursor(api::PageCursor{.seq = pinned_seq_, .after_key = last_key_})));
  } else {
    body_.append("null");
  }
  for (const auto& [name, value] : more_fields.items()) {
    body_.append(",").append(DumpJson(name)).append(":").append(DumpJson(value));
  }
  body_.push_back('}');
  return JsonText(std::move(body_));
}

std::string TimeKey(events::TimeMs time_ms) {
  // Offset into unsigned space so that the 20 digits sort as the signed times do.
  const auto shifted = static_cast<std::uint64_t>(time_ms) ^ (std::uint64_t{1} << 63);
  char text[24];
  std::snprintf(text, sizeof(text), "%020llu", static_cast<unsigned long long>(shifted));
  return text;
}

}  // namespace crm::server::app
